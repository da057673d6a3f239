// ARCHITECTURE.md matches the code: every path it names exists, every folder of src/ and every
// primitive family is on the map, and no `_`-prefixed file is imported from another folder.
import { describe, it } from "node:test";
import { deepEqual } from "node:assert/strict";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../", import.meta.url));
const map = readFileSync(`${root}ARCHITECTURE.md`, "utf8");

function files(dir: string): string[] {
  return readdirSync(`${root}${dir}`).filter((f) => f !== "node_modules").flatMap((f) => {
    const p = `${dir}/${f}`;
    return statSync(`${root}${p}`).isDirectory() ? files(p) : [p];
  });
}

describe("ARCHITECTURE.md", () => {
  it("names only paths that exist", () => {
    const paths = [...map.matchAll(/`((?:src|tests|bench|examples)\/[\w./-]*)`/g)].map((m) => m[1]);
    deepEqual(paths.filter((p) => !existsSync(`${root}${p}`)), []);
  });

  it("puts every folder of src/ and every primitive family on the map", () => {
    const folders = readdirSync(`${root}src`).filter((f) =>
      statSync(`${root}src/${f}`).isDirectory()
    );
    const families = readdirSync(`${root}src/primitives`).map((f) => f.replace(/\.ts$/, ""));
    const missing = [
      ...folders.filter((f) => !map.includes(`src/${f}/`)),
      ...families.filter((f) => !map.includes(`\`${f}\``) && !map.includes(`${f}.ts`)),
    ];
    deepEqual(missing, []);
  });

  it("has no private file imported from another folder", () => {
    const leaks: string[] = [];
    const sources = [
      ...files("src"),
      ...files("tests"),
      ...files("bench"),
      ...files("examples"),
      "mod.ts",
      "extend.ts",
    ];
    for (const f of sources.filter((p) => p.endsWith(".ts"))) {
      const dir = f.includes("/") ? f.slice(0, f.lastIndexOf("/")) : "";
      for (
        const m of readFileSync(`${root}${f}`, "utf8").matchAll(
          /^(?:import|export)[^;]*?from "([^"]+)"/gms,
        )
      ) {
        const spec = m[1];
        if (!spec.startsWith(".")) continue;
        const target = new URL(spec, `file://${root}${f}`).pathname.slice(root.length);
        const name = target.slice(target.lastIndexOf("/") + 1);
        const targetDir = target.includes("/") ? target.slice(0, target.lastIndexOf("/")) : "";
        if (name.startsWith("_") && targetDir !== dir) {
          leaks.push(`${f} imports ${target}`);
        }
      }
    }
    deepEqual(leaks, []);
  });
});
