// nabla keeps working when a global `Array` binding shadows JavaScript's own (Deno's Jupyter
// kernel makes one for `import { Array } from "@nabla/ad"` in a cell).
import { describe, it } from "node:test";
import { deepEqual } from "node:assert/strict";
import { runDeno, skipUnlessDeno } from "./_deno.ts";

describe("a shadowed global Array", () => {
  it("does not break the library", { skip: skipUnlessDeno }, () => {
    const out = runDeno(["--allow-read=.", "tests/fixtures/shadowed_array.ts"]);
    deepEqual(JSON.parse(out), [10.2, [0, 1, 2], [1, 2], [2, 2], [[1, 1], [1, 1]]]);
  });
});
