/**
 * The autodifferentiation tutorial (the seed) in TypeScript, step by step:
 * `grad(np.square)(0.5)`, the gradient of x² + log x at 0.1, its second and
 * third derivatives by nesting `grad`, and `vmap(grad(np.square))` over
 * `np.linspace(0, 1, 100)` — each printed the way JAX prints it. Then the
 * tutorial's two-panel figure (y = x² over x, and dy/dx over x), drawn with
 * Vega-Lite and written as SVG and PNG (rasterised by resvg).
 *
 * Run: `deno task demo` (or `deno run --allow-read=. --allow-write=examples/out examples/seed.ts [outDir]`).
 * The figure goes to `examples/out/seed.svg` and `.png` unless `outDir` is given.
 *
 * @module
 */

import { mkdir, readFile, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import { join } from "node:path";
import process from "node:process";
import { fileURLToPath } from "node:url";
import { initWasm, Resvg } from "@resvg/resvg-wasm";
import * as vega from "vega";
import { compile, type TopLevelSpec } from "vega-lite";
import { type Array, grad, np, vmap } from "../mod.ts";

/** Prints a line of code and its value, like a notebook cell and its output. */
function show(code: string, value: unknown): void {
  console.log(`>>> ${code}\n${String(value)}`);
}

// grad takes a function and returns its derivative — also a function.
const gradSquare = grad(np.square);
show("grad(np.square)(0.5)", gradSquare(0.5));

// To differentiate anything larger, write it as a function: f(x) = x² + log x.
const f = (x: Array) => np.add(np.square(x), np.log(x));
show("grad(f)(0.1)", grad(f)(0.1)); // f'(x) = 2x + 1/x

// Higher-order derivatives by nesting grad.
show("grad(grad(f))(0.1)", grad(grad(f))(0.1)); // f''(x) = 2 - 1/x²
show("grad(grad(grad(f)))(0.1)", grad(grad(grad(f)))(0.1)); // f'''(x) = 2/x³

// The derivative at many points in one call: vmap maps over the leading axis.
const x = np.linspace(0, 1, 100);
const y = np.square(x);
const yDash = vmap(grad(np.square))(x); // dy/dx at each of the 100 points
show("yDash.shape", `[${yDash.shape}]`);
show("x.get([0, 50, 99])", x.get([0, 50, 99]));
show("yDash.get([0, 50, 99])", yDash.get([0, 50, 99]));
show("np.allclose(yDash, np.multiply(2, x))", np.allclose(yDash, np.multiply(2, x)));

// The tutorial's figure: y over x and dy/dx over x, side by side.
const xs = x.tolist() as number[];
const ys = y.tolist() as number[];
const slopes = yDash.tolist() as number[];
const values = xs.map((xi, i) => ({ x: xi, y: ys[i], dydx: slopes[i] }));

function panel(field: string, title: string, label: string) {
  return {
    title: { text: title, fontSize: 13, font: "DejaVu Sans" },
    width: 300,
    height: 260,
    mark: { type: "line" as const, strokeWidth: 2.5 },
    encoding: {
      x: { field: "x", type: "quantitative" as const, title: "x" },
      y: { field, type: "quantitative" as const, title: label },
    },
  };
}

const spec: TopLevelSpec = {
  data: { values },
  hconcat: [
    panel("y", "y = np.square(x)", "y"),
    panel("dydx", "dy/dx = vmap(grad(np.square))(x)", "dy/dx"),
  ],
  background: "white",
  padding: 12,
  config: {
    font: "DejaVu Sans",
    axis: { labelFontSize: 11, titleFontSize: 13, titleFontWeight: "normal" },
  },
};

const view = new vega.View(vega.parse(compile(spec).spec), { renderer: "none" });
const svg = await view.toSVG();
view.finalize();

const outDir = process.argv[2] ?? fileURLToPath(new URL("./out/", import.meta.url));
await mkdir(outDir, { recursive: true });
const svgPath = join(outDir, "seed.svg");
await writeFile(svgPath, svg);
console.log(`\nWrote the figure to ${svgPath}`);

// resvg's WebAssembly build rasterises the SVG; it brings no fonts, so we give it DejaVu Sans.
const require = createRequire(import.meta.url);
await initWasm(await readFile(require.resolve("@resvg/resvg-wasm/index_bg.wasm")));
const font = await readFile(require.resolve("dejavu-fonts-ttf/ttf/DejaVuSans.ttf"));
const png = new Resvg(svg, {
  fitTo: { mode: "zoom", value: 2 },
  font: { fontBuffers: [font], defaultFontFamily: "DejaVu Sans", sansSerifFamily: "DejaVu Sans" },
}).render().asPng();
const pngPath = join(outDir, "seed.png");
await writeFile(pngPath, png);
console.log(`Wrote the figure to ${pngPath}`);
