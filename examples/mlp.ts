/**
 * A small multilayer perceptron (2 → 16 → 1, tanh) learns the two-moons
 * problem by full-batch training with Adam. The parameters are a tree
 * `{ w1, b1, w2, b2 }`; `valueAndGrad` returns the loss and a gradient tree of
 * the same shape, `optim.adam` turns gradients into updates (its state is a
 * tree of arrays too) and `optim.applyUpdates` adds them. The data are made
 * deterministically (a small LCG for the jitter).
 *
 * Run: `deno run examples/mlp.ts`
 *
 * @module
 */

import { type Array, np, optim, valueAndGrad } from "../mod.ts";

/** Uniform numbers in [0, 1) from a 32-bit linear congruential generator. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}
const rand = lcg(7);
const uniform = (lo: number, hi: number) => lo + (hi - lo) * rand();

// Two interleaved half-circles ("two moons"), 100 points each, with a little jitter.
const points: number[][] = [];
const classes: number[] = [];
for (let i = 0; i < 200; i++) {
  const label = i % 2;
  const t = Math.PI * rand();
  const [cx, cy] = label === 0 ? [Math.cos(t), Math.sin(t)] : [1 - Math.cos(t), 0.5 - Math.sin(t)];
  points.push([cx + uniform(-0.15, 0.15), cy + uniform(-0.15, 0.15)]);
  classes.push(label);
}
const X = np.array(points);
const y = np.array(classes);

type Params = { w1: Array; b1: Array; w2: Array; b2: Array };

/** Small random weights scaled by 1/√fan-in. */
function init(sizes: [number, number, number]): Params {
  const [nIn, nHidden, nOut] = sizes;
  const weights = (rows: number, cols: number) => {
    const w: number[] = [];
    for (let i = 0; i < rows * cols; i++) w.push(uniform(-1, 1) / Math.sqrt(rows));
    return np.array(w).reshape([rows, cols]);
  };
  return {
    w1: weights(nIn, nHidden),
    b1: np.zeros([nHidden]),
    w2: weights(nHidden, nOut),
    b2: np.zeros([nOut]),
  };
}

/** The logit of class 1 for each row of `x`. */
function predict(p: Params, x: Array): Array {
  const hidden = np.tanh(np.add(np.matmul(x, p.w1), p.b1));
  return np.add(np.matmul(hidden, p.w2), p.b2).reshape([-1]);
}

/** Binary cross-entropy from logits: mean of softplus(z) − y z. */
function loss(p: Params): Array {
  const z = predict(p, X);
  const softplus = np.add(np.maximum(z, 0), np.log1p(np.exp(np.negative(np.abs(z)))));
  return np.mean(np.subtract(softplus, np.multiply(y, z)));
}

const accuracy = (p: Params) =>
  (np.mean(np.equal(np.greater(predict(p, X), 0), np.greater(y, 0.5))).item() as number) * 100;

const steps = 1000;
const optimizer = optim.adam(0.01);
let params = init([2, 16, 1]);
let state = optimizer.init(params);
const step = valueAndGrad(loss);
for (let i = 0; i <= steps; i++) {
  const [value, g] = step(params);
  if (i % 100 === 0) {
    console.log(
      `step ${String(i).padStart(4)}  loss ${(value.item() as number).toFixed(4)}  accuracy ${
        accuracy(params).toFixed(1)
      }%`,
    );
  }
  if (i === steps) break;
  let updates: unknown;
  [updates, state] = optimizer.update(g, state, params);
  params = optim.applyUpdates(params, updates);
}
console.log(`final training accuracy ${accuracy(params).toFixed(1)}%`);
