// The notebook examples/seed.ipynb: its code cells, concatenated in order into one module, type-check
// and run under `deno run --check` (a headless Jupyter is not available in CI), and reach the
// seed's values. Also the Jupyter rich display of arrays, which a cell ending in an array uses.
import { describe, it } from "node:test";
import { deepEqual, equal, match, ok } from "node:assert/strict";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { grad, np, vmap } from "../mod.ts";
import { root, runDeno, skipUnlessDeno } from "./_deno.ts";

interface Cell {
  cell_type: "code" | "markdown" | "raw";
  source: string | string[];
}

const notebookPath = `${root}examples/seed.ipynb`;

/** The notebook's code cells, in order. */
function codeCells(): string[] {
  const nb = JSON.parse(readFileSync(notebookPath, "utf8")) as { cells: Cell[] };
  return nb.cells
    .filter((c) => c.cell_type === "code")
    .map((c) => (Array.isArray(c.source) ? c.source.join("") : c.source));
}

describe("examples/seed.ipynb", () => {
  it("is a Deno notebook whose cells follow the seed", () => {
    const nb = JSON.parse(readFileSync(notebookPath, "utf8"));
    equal(nb.metadata.kernelspec.name, "deno");
    const code = codeCells().join("\n");
    for (
      const step of [
        "grad(np.square)",
        "gradComplex(0.1)",
        "grad(grad(f))",
        "vmap(grad(np.square))",
      ]
    ) {
      ok(code.includes(step), `the notebook has the step ${step}`);
    }
  });

  it("runs its code cells in order as one module", { skip: skipUnlessDeno }, () => {
    // The module lives in examples/out/ so that "@nabla/ad" and the npm packages resolve as in
    // the notebook (from deno.json and package.json).
    const dir = `${root}examples/out`;
    mkdirSync(dir, { recursive: true });
    const file = `${dir}/_seed_notebook_${Date.now()}.ts`;
    const checks = `
if (gradSquare(0.5).item() !== 1) throw new Error("grad(np.square)(0.5) is not 1");
if (gradComplex(0.1).item() !== 10.2) throw new Error("grad(f)(0.1) is not 10.2");
if (Math.abs((gradComplexTwo(0.1).item() as number) + 98) > 1e-9) throw new Error("f''(0.1) is not -98");
if (!svg.startsWith("<svg") || !svg.includes(">dy/dx<")) throw new Error("no figure");
console.log("notebook ran:", gradComplex(0.1).toString(), yDash.shape);
`;
    writeFileSync(file, codeCells().join("\n\n") + "\n" + checks);
    try {
      const out = runDeno(["--check", "--allow-read=.", file]);
      match(out, /notebook ran: Array\(10\.2, dtype=float64\) \[ 100 \]/);
    } finally {
      rmSync(file, { force: true });
    }
  });
});

describe("Array's Jupyter display", () => {
  const display = Symbol.for("Jupyter.display");
  type Bundle = { "text/plain": string; "text/html": string };
  const bundle = (x: unknown) => (x as { [display](): Bundle })[display]();

  it("shows a 2-D array as a table, with its text as text/plain", () => {
    const b = bundle(np.arange(6).reshape([2, 3]));
    equal(b["text/plain"], "Array([[0, 1, 2],\n       [3, 4, 5]], dtype=int32)");
    match(b["text/html"], /^<table><caption>Array shape=\(2, 3\) dtype=int32<\/caption>/);
    equal(b["text/html"].match(/<tr>/g)!.length, 3); // header + 2 rows
    ok(b["text/html"].includes('<td style="text-align:right">5</td>'));
  });

  it("shows a 1-D array as one row, eliding the middle of long axes", () => {
    const b = bundle(np.linspace(0, 1, 100));
    match(b["text/html"], /shape=\(100,\) dtype=float64/);
    ok(b["text/html"].includes("<td>…</td>"));
    equal(b["text/html"].match(/<td/g)!.length, 17); // 8 + … + 8
  });

  it("shows scalars and 3-D arrays as escaped text", () => {
    deepEqual(bundle(np.array(2)), {
      "text/plain": "Array(2, dtype=float64)",
      "text/html": "<pre>Array(2, dtype=float64)</pre>",
    });
    match(bundle(np.zeros([2, 2, 2]))["text/html"], /^<pre>Array\(\[\[\[0, 0\],/);
  });

  it("does not break on tracers, under grad or vmap", () => {
    const seen: Bundle[] = [];
    const spy = (x: ReturnType<typeof np.array>) => {
      seen.push(bundle(x));
      return np.sum(np.square(x));
    };
    grad(spy)(np.array([1, 2]));
    vmap(spy)(np.ones([3, 2]));
    equal(seen.length, 2);
    for (const b of seen) {
      match(b["text/plain"], /Tracer/);
      match(b["text/html"], /^<pre>.*Tracer/);
      ok(!b["text/html"].includes("<Tracer"), "the HTML is escaped");
    }
  });
});
