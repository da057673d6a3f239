/**
 * Per-example gradients with `vmap(grad(loss))`: the gradient of a squared
 * error for each of eight examples at once, without a loop — the batch axis
 * of the data is mapped, the parameters are shared (`inAxes: [null, 0, 0]`).
 * Their mean equals the gradient of the mean loss, and their norms show which
 * examples pull hardest (what per-example clipping in DP-SGD needs).
 *
 * Run: `deno run examples/per_example_grads.ts`
 *
 * @module
 */

import { type Array, grad, np, vmap } from "../mod.ts";

type Params = { w: Array; b: Array };

// A linear model and the squared error of one example (x: [3], y: scalar).
const predict = (p: Params, x: Array) => np.add(np.dot(p.w, x), p.b);
const loss = (p: Params, x: Array, y: Array) => np.square(np.subtract(predict(p, x), y));

// Eight examples with three features, made deterministically; y = x · [1, -2, 0.5] + 0.3.
const xs = np.sin(np.multiply(np.arange(24).reshape([8, 3]), 0.7));
const ys = np.add(np.matmul(xs, np.array([1, -2, 0.5])), 0.3);
const params: Params = { w: np.zeros([3]), b: np.array(0) };

// One call: a gradient tree whose leaves have a leading batch axis of 8.
const perExample = vmap(grad(loss), { inAxes: [null, 0, 0] })(params, xs, ys);
// (Printed rounded to 4 decimals.)
console.log(`per-example dL/dw, shape [${perExample.w.shape}]:\n${np.round(perExample.w, 4)}`);
console.log(`per-example dL/db, shape [${perExample.b.shape}]:\n${np.round(perExample.b, 4)}`);

// Their mean is the gradient of the mean loss.
const meanLoss = (p: Params) => np.mean(vmap(loss, { inAxes: [null, 0, 0] })(p, xs, ys));
const full = grad(meanLoss)(params);
const agree = np.allclose(np.mean(perExample.w, 0), full.w) &&
  np.allclose(np.mean(perExample.b), full.b);
console.log(`mean of per-example gradients equals grad of the mean loss: ${agree}`);
if (!agree) throw new Error("per-example gradients disagree with the batch gradient");

// Per-example gradient norms, e.g. for clipping.
const norms = np.sqrt(np.add(np.sum(np.square(perExample.w), 1), np.square(perExample.b)));
console.log(`per-example gradient norms:\n${np.round(norms, 4)}`);
