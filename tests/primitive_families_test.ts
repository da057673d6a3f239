// The primitive families import one another only inside rule bodies (see registry.ts), so each
// family module can be the first one loaded: imported alone in a fresh process, it and the
// registry come up with every record defined.
import { describe, it } from "node:test";
import { ok } from "node:assert/strict";
import { readdirSync } from "node:fs";
import { root, runDeno, skipUnlessDeno } from "./_deno.ts";

const families = readdirSync(`${root}src/primitives`).filter((f) => f.endsWith(".ts")).sort();

describe("primitive family modules load first, on their own", () => {
  for (const f of families) {
    it(f, { skip: skipUnlessDeno }, () => {
      const out = runDeno([
        "--allow-read=.",
        "tests/fixtures/import_family.ts",
        `src/primitives/${f}`,
      ]);
      const { names } = JSON.parse(out) as { names: (string | null)[] };
      ok(names.length > 0 && names.every((n) => typeof n === "string"), out);
    });
  }
});
