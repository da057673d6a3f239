/**
 * The cost of `optim`'s generality: one Adam update (moments, bias
 * correction, the step, `applyUpdates`) on parameter trees, through
 * `optim.adam` against the same arithmetic written by hand with `np` on the
 * same tree (no state objects, no chain), and against a raw `Float64Array`
 * loop. Two trees: the MLP example's `{ w1, b1, w2, b2 }` (2→16→1, 65
 * values: per-operation overhead dominates) and a 784→128→10 MLP (101 770
 * values: the kernels dominate).
 *
 * Prints median latency (p50) and the ratio to the hand-written `np`
 * version (above 1: optim is slower).
 *
 * Run: `deno run bench/optim_bench.ts` (about ten seconds).
 *
 * @module
 */

import { Table } from "./_harness.ts";
import { type Array, np, optim, tree } from "../mod.ts";

const b1 = 0.9, b2 = 0.999, eps = 1e-8, lr = 1e-3;

function mlp(sizes: number[]): Record<string, Array> {
  const p: Record<string, Array> = {};
  for (let i = 0; i + 1 < sizes.length; i++) {
    p[`w${i + 1}`] = np.multiply(np.sin(np.arange(sizes[i] * sizes[i + 1])), 0.1)
      .reshape([sizes[i], sizes[i + 1]]);
    p[`b${i + 1}`] = np.zeros([sizes[i + 1]]);
  }
  return p;
}

function tasks(params: Record<string, Array>) {
  const grads = tree.map((p: Array) => np.cos(np.add(p, 1)), params);
  // optim
  const tx = optim.adam(lr);
  let state = tx.init(params);
  let pOptim = params;
  const viaOptim = () => {
    let u: unknown;
    [u, state] = tx.update(grads, state, pOptim);
    pOptim = optim.applyUpdates(pOptim, u);
  };
  // the same arithmetic by hand, with np
  let mu = tree.map((p: Array) => np.zerosLike(p), params);
  let nu = tree.map((p: Array) => np.zerosLike(p), params);
  let t = 0;
  let pHand = params;
  const byHand = () => {
    t += 1;
    mu = tree.map(
      (g: Array, m: Array) => np.add(np.multiply(1 - b1, g), np.multiply(b1, m)),
      grads,
      mu,
    );
    nu = tree.map(
      (g: Array, v: Array) => np.add(np.multiply(1 - b2, np.square(g)), np.multiply(b2, v)),
      grads,
      nu,
    );
    const c1 = 1 - b1 ** t, c2 = 1 - b2 ** t;
    pHand = tree.map(
      (p: Array, m: Array, v: Array) =>
        np.subtract(
          p,
          np.multiply(lr, np.divide(np.divide(m, c1), np.add(np.sqrt(np.divide(v, c2)), eps))),
        ),
      pHand,
      mu,
      nu,
    );
  };
  // a raw loop over typed arrays
  const names = Object.keys(params).sort();
  const P = names.map((k) => Float64Array.from(params[k].data));
  const G = names.map((k) => Float64Array.from((grads[k] as Array).data));
  const M = P.map((x) => new Float64Array(x.length));
  const V = P.map((x) => new Float64Array(x.length));
  let tr = 0;
  const raw = () => {
    tr += 1;
    const c1 = 1 - b1 ** tr, c2 = 1 - b2 ** tr;
    for (let j = 0; j < P.length; j++) {
      const p = P[j], g = G[j], m = M[j], v = V[j];
      for (let i = 0; i < p.length; i++) {
        m[i] = (1 - b1) * g[i] + b1 * m[i];
        v[i] = (1 - b2) * g[i] * g[i] + b2 * v[i];
        p[i] -= lr * (m[i] / c1) / (Math.sqrt(v[i] / c2) + eps);
      }
    }
  };
  return [["optim.adam", viaOptim], ["np by hand", byHand], [
    "Float64Array loop",
    raw,
  ]] as const;
}

const table = new Table();
for (const [label, sizes] of [["2-16-1", [2, 16, 1]], ["784-128-10", [784, 128, 10]]] as const) {
  await table.group(label, tasks(mlp([...sizes])), {
    time: 1500,
    iterations: 20,
    ratio: { title: "÷ np by hand" },
    base: 1,
  });
}
table.print();
