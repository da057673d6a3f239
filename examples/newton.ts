/**
 * Newton's method with `grad` and `hessian`: the root of cos x − x in one
 * dimension (x ← x − g(x)/g′(x), with g′ from `grad`), then the minimum of
 * the Rosenbrock function in two dimensions (x ← x − H⁻¹∇f, with ∇f from
 * `grad` and H from `hessian`).
 *
 * Run: `deno run examples/newton.ts`
 *
 * @module
 */

import { type Array, grad, hessian, np } from "../mod.ts";

// 1-D: solve g(x) = cos x − x = 0.
const g = (x: Array) => np.subtract(np.cos(x), x);
const dg = grad(g);
let x = 1;
console.log("Root of cos x − x by Newton's method:");
for (let i = 1; i <= 5; i++) {
  x = x - (g(np.array(x)).item() as number) / (dg(x).item() as number);
  console.log(
    `  step ${i}: x = ${x.toFixed(15)}  g(x) = ${
      (g(np.array(x)).item() as number).toExponential(2)
    }`,
  );
}
console.log(`root: x = ${x.toFixed(12)} (cos x = x)`);

// 2-D: minimise the Rosenbrock function f(a, b) = (1 − a)² + 100 (b − a²)², minimum at (1, 1).
const rosenbrock = (p: Array) => {
  const a = p.get(0);
  const b = p.get(1);
  return np.add(
    np.square(np.subtract(1, a)),
    np.multiply(100, np.square(np.subtract(b, np.square(a)))),
  );
};
const gradF = grad(rosenbrock);
const hessF = hessian(rosenbrock);

/** Solves the 2×2 system H d = v. */
function solve2(h: Array, v: Array): Array {
  const [[a, b], [c, d]] = h.tolist() as number[][];
  const [e, f] = v.tolist() as number[];
  const det = a * d - b * c;
  return np.array([(d * e - b * f) / det, (a * f - c * e) / det]);
}

let p = np.array([-1.2, 1]);
console.log("\nMinimum of the Rosenbrock function by Newton's method (hessian):");
for (let i = 1; i <= 7; i++) {
  p = np.subtract(p, solve2(hessF(p), gradF(p)));
  console.log(`  step ${i}: p = ${p}  f(p) = ${(rosenbrock(p).item() as number).toExponential(2)}`);
}
console.log(`minimum: p = ${p}`);
