/**
 * Reverse mode through `lax.scan` under `jit`, side by side with eager
 * nabla and a hand-written loop (each result checked equal first):
 * `grad` of `x ↦ Σ c_N` for `c_{k+1} = 0.9 sin c_k + t_k x`, `c_0 = x`,
 * over N steps with a 16-vector carry. Under `jit` the gradient is two
 * rolled loops (a forward scan stacking residuals, a reverse scan), so its
 * program and compile time do not grow with N; the first call (trace,
 * compile, run) of a fresh `jit` is timed too.
 *
 * Run: `deno run bench/control_bench.ts`.
 *
 * @module
 */

import { Bench } from "tinybench";
import { type Array, grad, jit, lax, np } from "../mod.ts";

const D = 16;
const x0 = np.linspace(-1, 1, D);

function loss(n: number) {
  const ts = np.linspace(0, 1, n);
  return (x: Array) => {
    const [c] = lax.scan(
      (c: Array, t: Array): [Array, null] => [
        np.add(np.multiply(np.sin(c), 0.9), np.multiply(t, x)),
        null,
      ],
      x,
      ts,
    );
    return np.sum(c);
  };
}

/** The same gradient by hand: a forward loop keeping the states, a backward loop. */
function hand(n: number, x: Float64Array): Float64Array {
  const cs = new Float64Array((n + 1) * D);
  cs.set(x);
  for (let k = 0; k < n; k++) {
    const t = n === 1 ? 0 : k / (n - 1);
    for (let i = 0; i < D; i++) cs[(k + 1) * D + i] = 0.9 * Math.sin(cs[k * D + i]) + t * x[i];
  }
  const gx = new Float64Array(D), gc = new Float64Array(D).fill(1);
  for (let k = n - 1; k >= 0; k--) {
    const t = n === 1 ? 0 : k / (n - 1);
    for (let i = 0; i < D; i++) {
      gx[i] += gc[i] * t;
      gc[i] *= 0.9 * Math.cos(cs[k * D + i]);
    }
  }
  for (let i = 0; i < D; i++) gx[i] += gc[i];
  return gx;
}

const xData = x0.data as Float64Array;
for (const n of [100, 1000]) {
  const f = loss(n);
  const eager = grad(f);
  const jitted = jit(grad(f));
  const want = hand(n, xData);
  for (const got of [eager(x0), jitted(x0)]) {
    const d = got.data as Float64Array;
    for (let i = 0; i < D; i++) {
      if (Math.abs(d[i] - want[i]) > 1e-12 * Math.max(1, Math.abs(want[i]))) {
        throw new Error(`n=${n}: gradient ${d[i]} != ${want[i]} at ${i}`);
      }
    }
  }
  const first = performance.now();
  jit(grad(loss(n)))(x0);
  const firstMs = performance.now() - first;
  const bench = new Bench({ time: 400, warmup: true });
  bench
    .add(`eager grad, ${n} steps`, () => eager(x0))
    .add(`jit(grad), ${n} steps`, () => jitted(x0))
    .add(`hand loop, ${n} steps`, () => hand(n, xData));
  await bench.run();
  const p50 = (name: string) => {
    const r = bench.getTask(name)!.result;
    return r.state === "completed" ? r.latency.p50! : NaN;
  };
  const e = p50(`eager grad, ${n} steps`), j = p50(`jit(grad), ${n} steps`);
  const h = p50(`hand loop, ${n} steps`);
  console.log(
    `n=${n}: eager ${e.toFixed(3)} ms, jit ${j.toFixed(3)} ms (eager/jit ${(e / j).toFixed(1)}×, ` +
      `jit/hand ${(j / h).toFixed(1)}×), hand ${h.toFixed(4)} ms; first jit call ${
        firstMs.toFixed(1)
      } ms`,
  );
}
