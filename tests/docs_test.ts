// Every exported function, class and constant of the package, ./effect and ./testing carries a JSDoc
// `@example` (which `deno test --doc` runs). Overload implementations are exempt.
import { describe, it } from "node:test";
import { deepEqual } from "node:assert/strict";
import { root, skipUnlessDeno } from "./_deno.ts";

interface Declaration {
  kind: string;
  jsDoc?: { tags?: { kind: string }[] };
  def?: { elements?: DocSymbol[] };
  functionDef?: { hasBody?: boolean };
}
interface DocSymbol {
  name: string;
  declarations: Declaration[];
}

function symbolsOf(entry: string): DocSymbol[] {
  const out = new Deno.Command(Deno.execPath(), {
    args: ["doc", "--json", entry],
    cwd: root,
    stdout: "piped",
    stderr: "piped",
  }).outputSync();
  const json = JSON.parse(new TextDecoder().decode(out.stdout));
  return Object.values(json.nodes as Record<string, { symbols: DocSymbol[] }>)[0].symbols;
}

function withoutExamples(symbols: DocSymbol[], prefix = ""): string[] {
  const missing = new Set<string>();
  for (const s of symbols) {
    const decls = s.declarations;
    for (const d of decls) {
      if (d.kind === "namespace") {
        for (const m of withoutExamples(d.def?.elements ?? [], `${prefix}${s.name}.`)) {
          missing.add(m);
        }
      }
    }
    const documented = decls.filter((d) => ["function", "class", "variable"].includes(d.kind));
    // With overloads, the undocumented implementation signature does not count.
    if (
      documented.length > 0 &&
      !documented.some((d) => d.jsDoc?.tags?.some((t) => t.kind === "example"))
    ) {
      missing.add(`${prefix}${s.name}`);
    }
  }
  return [...missing].sort();
}

describe("API docs", () => {
  it("every export of mod.ts has an @example", { skip: skipUnlessDeno }, () => {
    deepEqual(withoutExamples(symbolsOf("mod.ts")), []);
  });
  it("every export of ./effect has an @example", { skip: skipUnlessDeno }, () => {
    deepEqual(withoutExamples(symbolsOf("src/effect/mod.ts")), []);
  });
  it("every export of ./testing has an @example", { skip: skipUnlessDeno }, () => {
    deepEqual(withoutExamples(symbolsOf("src/testing.ts")), []);
  });
});
