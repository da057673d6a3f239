// FEATURES.md stays true: every `done` or `partial` row names something nabla exports, every row
// has a known status (and `partial` / `out of scope` rows say why), and no name appears twice.
// Exported names that the table misses, or still marks `not yet`, are listed as a note for whoever
// updates the table (they do not fail the run: features land before their row is flipped).
import { describe, it } from "node:test";
import { deepEqual, equal, ok } from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as nabla from "../mod.ts";
import * as testing from "../src/testing.ts";
import * as extend from "../extend.ts";

const STATUSES = ["done", "partial", "not yet", "out of scope"] as const;
type Status = typeof STATUSES[number];

interface Row {
  section: string;
  jax: string;
  name: string | null; // the nabla name, without backticks; null for "—"
  status: Status;
  notes: string;
  line: number;
}

/** The rows of every table in FEATURES.md (columns: JAX, nabla, Status, Notes). */
function parseFeatures(): Row[] {
  const text = readFileSync(new URL("../FEATURES.md", import.meta.url), "utf8");
  const rows: Row[] = [];
  let section = "";
  text.split("\n").forEach((raw, i) => {
    const line = raw.trim();
    if (line.startsWith("## ")) section = line.slice(3);
    if (!line.startsWith("|") || /^\|\s*-/.test(line) || /^\|\s*JAX\s*\|/.test(line)) return;
    const cells = line.slice(1, -1).split("|").map((c) => c.trim());
    equal(cells.length, 4, `FEATURES.md:${i + 1}: expected 4 columns, got ${cells.length}`);
    const [jax, nablaCell, status, notes] = cells;
    ok(
      (STATUSES as readonly string[]).includes(status),
      `FEATURES.md:${i + 1}: unknown status "${status}" (use one of ${STATUSES.join(", ")})`,
    );
    const name = nablaCell === "—" ? null : /^`([^`]+)`$/.exec(nablaCell)?.[1] ?? null;
    ok(
      nablaCell === "—" || name !== null,
      `FEATURES.md:${i + 1}: the nabla column is not a \`name\``,
    );
    rows.push({ section, jax, name, status: status as Status, notes, line: i + 1 });
  });
  return rows;
}

/** Looks a dotted name up in the package: `grad`, `np.sum`, `Array.get`, `testing.checkGrads`, `extend.bind`. */
function lookup(name: string): unknown {
  const [head, ...rest] = name.split(".");
  let value: unknown = head === "testing"
    ? testing
    : head === "extend"
    ? extend
    : head === "Array"
    ? nabla.Array.prototype
    : (nabla as Record<string, unknown>)[head];
  for (const key of rest) {
    if (value === null || value === undefined) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  return value;
}

const rows = parseFeatures();

describe("FEATURES.md", () => {
  it("has the sections of the JAX API", () => {
    const sections = [...new Set(rows.map((r) => r.section.split(" ")[0]))];
    for (const s of ["Transformations", "jax.numpy", "jax.lax", "jax.nn", "jax.random", "Tree"]) {
      ok(sections.includes(s), `a section for ${s}`);
    }
  });

  it("every done or partial row names an export (a function, a class or a registry)", () => {
    const exists = (v: unknown) => typeof v === "function" || (typeof v === "object" && v !== null);
    const missing = rows
      .filter((r) => r.status === "done" || r.status === "partial")
      .filter((r) => r.name === null || !exists(lookup(r.name)))
      .map((r) =>
        `FEATURES.md:${r.line}: ${r.name ?? r.jax} is marked ${r.status} but not exported`
      );
    deepEqual(missing, []);
  });

  it("partial and out-of-scope rows say why", () => {
    const silent = rows
      .filter((r) => (r.status === "partial" || r.status === "out of scope") && r.notes === "")
      .map((r) => `FEATURES.md:${r.line}: ${r.name ?? r.jax}`);
    deepEqual(silent, []);
  });

  it("names each nabla function once", () => {
    const names = rows.flatMap((r) => (r.name === null ? [] : [r.name]));
    deepEqual(names.filter((n, i) => names.indexOf(n) !== i), []);
  });

  it("notes exported names that the table misses or marks not yet", () => {
    const exported: string[] = [];
    for (const [key, value] of Object.entries(nabla)) {
      if (typeof value === "function") exported.push(key);
      else if (["np", "lax", "nn", "random", "tree"].includes(key)) {
        for (const [k, v] of Object.entries(value as object)) {
          if (typeof v === "function") exported.push(`${key}.${k}`);
        }
      }
    }
    for (const k of Object.keys(testing)) exported.push(`testing.${k}`);
    const byName = new Map(rows.flatMap((r) => (r.name === null ? [] : [[r.name, r] as const])));
    const stale = exported.filter((n) => byName.get(n)?.status === "not yet");
    // Classes (capitalised) exported for custom interpreters need no row of their own.
    const absent = exported.filter((n) =>
      !byName.has(n) && !/^[A-Z]/.test(n) && n !== "swapHandler"
    );
    if (stale.length > 0 || absent.length > 0) {
      console.log(
        `note: FEATURES.md is behind the exports.` +
          (stale.length > 0 ? `\n  exported but marked "not yet": ${stale.join(", ")}` : "") +
          (absent.length > 0 ? `\n  exported but without a row: ${absent.join(", ")}` : ""),
      );
    }
    ok(exported.includes("grad"));
  });
});
