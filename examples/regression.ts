/**
 * Linear and logistic regression trained by gradient descent with
 * `valueAndGrad`, on data the example makes itself with a small linear
 * congruential generator (deterministic: the same numbers every run).
 * Parameters are trees (`{ w, b }`) and so are their gradients.
 *
 * Run: `deno run examples/regression.ts`
 *
 * @module
 */

import { type Array, np, tree, valueAndGrad } from "../mod.ts";

/** Uniform numbers in [0, 1) from a 32-bit linear congruential generator (Numerical Recipes). */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Standard normal samples by the Box–Muller transform. */
function normals(rand: () => number, n: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    out.push(Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand()));
  }
  return out;
}

type Params = { w: Array; b: Array };

/** Plain gradient descent: p ← p − lr ∇loss(p), printing the loss every `every` steps. */
function fit(
  loss: (p: Params) => Array,
  p: Params,
  lr: number,
  steps: number,
  every: number,
): Params {
  const step = valueAndGrad(loss);
  for (let i = 0; i <= steps; i++) {
    const [value, g] = step(p);
    if (i % every === 0) {
      console.log(`  step ${String(i).padStart(4)}  loss ${(value.item() as number).toFixed(6)}`);
    }
    if (i < steps) p = tree.map((x: Array, dx: Array) => np.subtract(x, np.multiply(lr, dx)), p, g);
  }
  return p;
}

const rand = lcg(42);
const n = 200;

// Linear regression: y = 3 x₀ − 2 x₁ + 0.5 + 0.1 noise, mean squared error.
const X = np.array(normals(rand, 2 * n)).reshape([n, 2]);
const y = np.add(
  np.add(np.matmul(X, np.array([3, -2])), 0.5),
  np.multiply(0.1, np.array(normals(rand, n))),
);
const mse = (p: Params) => np.mean(np.square(np.subtract(np.add(np.matmul(X, p.w), p.b), y)));

console.log("Linear regression (true w = [3, -2], b = 0.5):");
const lin = fit(mse, { w: np.zeros([2]), b: np.array(0) }, 0.05, 100, 20);
console.log(`  fitted w = ${np.round(lin.w, 3)}, b = ${np.round(lin.b, 3)}`);

// Logistic regression: label 1 where x₀ + x₁ > 0.5 (with 10% of labels flipped), cross-entropy.
const Z = np.array(normals(rand, 2 * n)).reshape([n, 2]);
const zs = Z.tolist() as number[][];
const labels = np.array(zs.map(([a, b]) => (a + b > 0.5) !== (rand() < 0.1) ? 1 : 0));

/** softplus(z) = log(1 + eˢ), computed stably. */
const softplus = (z: Array) => np.add(np.maximum(z, 0), np.log1p(np.exp(np.negative(np.abs(z)))));
const logits = (p: Params) => np.add(np.matmul(Z, p.w), p.b);
// −[y log σ(z) + (1 − y) log(1 − σ(z))] = softplus(z) − y z
const crossEntropy = (p: Params) =>
  np.mean(np.subtract(softplus(logits(p)), np.multiply(labels, logits(p))));

console.log("\nLogistic regression (boundary x₀ + x₁ = 0.5, 10% label noise):");
const log = fit(crossEntropy, { w: np.zeros([2]), b: np.array(0) }, 0.5, 200, 40);
const accuracy = np.mean(np.equal(np.greater(logits(log), 0), np.greater(labels, 0.5)));
console.log(`  fitted w = ${np.round(log.w, 3)}, b = ${np.round(log.b, 3)}`);
console.log(`  training accuracy ${((accuracy.item() as number) * 100).toFixed(1)}%`);
