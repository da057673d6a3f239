/**
 * `jit` against eager nabla on the same workloads, side by side in one run
 * (each jitted result is checked equal to eager's before timing):
 *
 * - W1 scalar `grad(x => x² + log x)` per call;
 * - W2 `grad` of a 999-op scalar chain: steady state, and the first call
 *   (trace + compile + run) of a fresh `jit`;
 * - a small MLP value-and-grad step (32 → 64 → 10, tanh, batch 64), as
 *   `jit(valueAndGrad(loss))` and as `valueAndGrad(jit(loss))` (two compiled
 *   calls: the forward pass with residuals and the transposed program);
 * - W5 Hessian of the 100-dimensional Rosenbrock function;
 * - W7 6th derivative of tanh by nested `grad`;
 * - W3 `vmap(grad(np.square))` over `linspace(0, 1, 1e6)` and W6 per-example
 *   gradients of linear regression (1000 features, batch 512), both also
 *   against hand-written loops writing a fresh output;
 * - a 10-op elementwise chain over 1e6 float64, also against a hand loop;
 * - the first call of a fresh `jit(grad)` of 999-, 9999- and 99 999-op
 *   scalar chains (trace + compile + run).
 *
 * Then the rolled loops of `_loops.ts` against eager and the hand loop.
 *
 * Prints median latency (p50) of eager and jit and the ratio eager / jit
 * (above 1: jit is faster).
 *
 * Run: `deno run bench/jit_bench.ts` (about half a minute).
 *
 * @module
 */

import { Bench } from "tinybench";
import { type Array, grad, hessian, jit, np, valueAndGrad, vmap } from "../mod.ts";
import { loopCases } from "./_loops.ts";
import { LINREG, linreg, W3_N, w3xData } from "./_workloads.ts";

interface Case {
  name: string;
  eager: () => unknown;
  jitted: () => unknown;
}

const read = (x: unknown): number[] => {
  if (x instanceof Object && "data" in (x as Array)) {
    return globalThis.Array.from((x as Array).data as Float64Array);
  }
  if (globalThis.Array.isArray(x)) return x.flatMap(read);
  if (x !== null && typeof x === "object") return Object.values(x).flatMap(read);
  return [x as number];
};

// W1
const w1 = grad((x: Array) => np.add(np.square(x), np.log(x)));
const w1j = jit(w1);

// W2
const W2_STEPS = 333;
const chain = (x: Array) => {
  let y = x;
  for (let i = 0; i < W2_STEPS; i++) y = np.add(np.multiply(np.sin(y), 0.9), x);
  return y;
};
const w2 = grad(chain);
const w2j = jit(w2);
const w2x = np.array(0.5);

// small MLP
function det(n: number, seed: number): number[] {
  const out: number[] = [];
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) % 2147483648;
    out.push(s / 2147483648 - 0.5);
  }
  return out;
}
const mp = {
  w1: np.reshape(np.array(det(32 * 64, 1)), [32, 64]),
  b1: np.zeros([64]),
  w2: np.reshape(np.array(det(64 * 10, 2)), [64, 10]),
  b2: np.zeros([10]),
};
const mx = np.reshape(np.array(det(64 * 32, 3)), [64, 32]);
const my = np.eye(10).get(np.array(det(64, 4).map((v) => Math.floor((v + 0.5) * 10)), "int32"));
const mlpLoss = (p: typeof mp, x: Array, y: Array) => {
  const h = np.tanh(np.add(np.matmul(x, p.w1), p.b1));
  const z = np.add(np.matmul(h, p.w2), p.b2);
  return np.mean(np.subtract(np.logsumexp(z, 1), np.sum(np.multiply(z, y), 1)));
};
const mlp = valueAndGrad(mlpLoss);
const mlpj = jit(mlp);
const mlpOuter = valueAndGrad(jit(mlpLoss)); // jit inside: forward call + transposed call

// W5
const rosen = (x: Array) => {
  const a = x.get("1:"), b = x.get(":-1");
  return np.sum(
    np.add(np.multiply(100, np.square(np.subtract(a, np.square(b)))), np.square(np.subtract(1, b))),
  );
};
const w5 = hessian(rosen);
const w5j = jit(w5);
const w5x = np.array(det(100, 7).map((v) => 2 * v));

// W7
let w7: (x: Array) => Array = np.tanh;
for (let k = 0; k < 6; k++) w7 = grad(w7);
const w7j = jit(w7);
const w7x = np.array(0.3);

// 10-op elementwise chain over 1e6 float64 (fused into one loop under jit)
const ex = np.linspace(-1, 1, 1_000_000);
const chain10 = (x: Array) => {
  let y = np.add(np.multiply(x, 1.5), 0.5);
  y = np.subtract(np.multiply(y, y), x);
  y = np.maximum(np.multiply(y, 0.7), np.add(y, 0.1));
  y = np.abs(np.divide(y, 1.3));
  return np.subtract(y, x);
};
const chain10j = jit(chain10);
const exd = ex.data as Float64Array;
function chain10Hand(): Float64Array {
  const out = new Float64Array(exd.length);
  for (let i = 0; i < exd.length; i++) {
    const x = exd[i];
    let y = x * 1.5 + 0.5;
    y = y * y - x;
    const p = y * 0.7, q = y + 0.1;
    y = p > q || p !== p ? p : q;
    out[i] = Math.abs(y / 1.3) - x;
  }
  return out;
}

// W3 (the hand loop writes a fresh output, as jit does)
const w3x = np.array(w3xData);
const w3 = vmap(grad(np.square));
const w3j = jit(w3);
function w3Hand(): Float64Array {
  const out = new Float64Array(W3_N);
  for (let i = 0; i < W3_N; i++) out[i] = 2 * w3xData[i];
  return out;
}

// W6 per-example gradients: loss(w; x, y) = ½ (x·w − y)²
const lrW = np.array(linreg.w);
const lrX = np.array(linreg.x).reshape([LINREG.b, LINREG.f]);
const lrY = np.array(linreg.y);
const lrLoss = (w: Array, x: Array, y: Array) =>
  np.multiply(0.5, np.square(np.subtract(np.dot(x, w), y)));
const w6 = vmap(grad(lrLoss), { inAxes: [null, 0, 0] });
const w6j = jit(w6);
function w6Hand(): Float64Array {
  const { f, b } = LINREG, { x, y, w } = linreg;
  const out = new Float64Array(b * f);
  for (let i = 0; i < b; i++) {
    let r = -y[i];
    for (let j = 0; j < f; j++) r += x[i * f + j] * w[j];
    for (let j = 0; j < f; j++) out[i * f + j] = r * x[i * f + j];
  }
  return out;
}

const cases: Case[] = [
  { name: "W1 scalar grad", eager: () => w1(0.1), jitted: () => w1j(0.1) },
  { name: "W2 999-op chain grad", eager: () => w2(w2x), jitted: () => w2j(w2x) },
  {
    name: "MLP 32-64-10 b64 value+grad",
    eager: () => mlp(mp, mx, my),
    jitted: () => mlpj(mp, mx, my),
  },
  {
    name: "MLP valueAndGrad(jit(loss))",
    eager: () => mlp(mp, mx, my),
    jitted: () => mlpOuter(mp, mx, my),
  },
  { name: "W5 Hessian Rosenbrock n=100", eager: () => w5(w5x), jitted: () => w5j(w5x) },
  { name: "W7 6th derivative of tanh", eager: () => w7(w7x), jitted: () => w7j(w7x) },
  { name: "10-op chain over 1e6 f64", eager: () => chain10(ex), jitted: () => chain10j(ex) },
  { name: "W3 vmap(grad(square)) over 1e6", eager: () => w3(w3x), jitted: () => w3j(w3x) },
  {
    name: "W6 per-example grads 512×1000",
    eager: () => w6(lrW, lrX, lrY),
    jitted: () => w6j(lrW, lrX, lrY),
  },
];

const rows: Record<string, string>[] = [];
const fmt = (ms: number) => (ms < 1 ? `${(ms * 1000).toFixed(1)} µs` : `${ms.toFixed(2)} ms`);

for (const c of cases) {
  const t0 = performance.now();
  const first = c.jitted();
  const firstMs = performance.now() - t0;
  const a = read(c.eager()), b = read(first);
  let maxErr = 0;
  for (let i = 0; i < a.length; i++) {
    maxErr = Math.max(maxErr, Math.abs(a[i] - b[i]) / Math.max(1, Math.abs(a[i])));
  }
  if (!(maxErr <= 1e-12)) throw new Error(`${c.name}: jit differs from eager by ${maxErr}`);
  const bench = new Bench({ time: 800, iterations: 10 });
  bench.add("eager", c.eager).add("jit", c.jitted);
  await bench.run();
  const [e, j] = bench.tasks.map((t) => {
    const r = t.result;
    if (r.state !== "completed") throw new Error(`${c.name}: task ${r.state}`);
    return r.latency.p50 ?? Number.NaN;
  });
  rows.push({
    workload: c.name,
    eager: fmt(e),
    jit: fmt(j),
    "eager / jit": (e / j).toFixed(2),
    "first jit call": fmt(firstMs),
    "max rel diff": maxErr.toExponential(1),
  });
}

// jitted programs against hand-written loops
for (
  const [name, jitted, hand] of [
    ["10-op chain: jit / hand-written loop", () => chain10j(ex), chain10Hand],
    ["W3: jit / hand loop (fresh output)", () => w3j(w3x), w3Hand],
    ["W6: jit / hand loop (fresh output)", () => w6j(lrW, lrX, lrY), w6Hand],
  ] as const
) {
  const bench = new Bench({ time: 800, iterations: 10 });
  bench.add("jit", jitted).add("hand", hand);
  await bench.run();
  const [j, h] = bench.tasks.map((
    t,
  ) => (t.result.state === "completed" ? t.result.latency.p50! : NaN));
  rows.push({
    workload: name,
    jit: fmt(j),
    "eager / jit": (h / j).toFixed(2) + " (hand / jit)",
  });
}

// first call of a fresh jit (trace + compile + run) on longer chains
for (const steps of [333, 3333, 33333]) {
  const f = (x: Array) => {
    let y = x;
    for (let i = 0; i < steps; i++) y = np.add(np.multiply(np.sin(y), 0.9), x);
    return y;
  };
  const t0 = performance.now();
  jit(grad(f))(w2x);
  const ms = performance.now() - t0;
  rows.push({ workload: `first call jit(grad) of a ${3 * steps}-op chain`, jit: fmt(ms) });
}

// rolled loops (bench/_loops.ts): eager, jit and the hand-written loop
{
  const loops = loopCases();
  for (const c of loops) {
    const t0 = performance.now();
    const first = c.jitted();
    const firstMs = performance.now() - t0;
    const a = read(c.eager()), b = read(first);
    if (!a.every((v, i) => Object.is(v, b[i]))) {
      throw new Error(`${c.name}: jit differs from eager`);
    }
    const bench = new Bench({ time: 800, iterations: 10 });
    bench.add("eager", c.eager).add("jit", c.jitted).add("hand", c.hand);
    await bench.run();
    const [e, j, h] = bench.tasks.map((t) => {
      const r = t.result;
      if (r.state !== "completed") throw new Error(`${c.name}: task ${r.state}`);
      return r.latency.p50 ?? Number.NaN;
    });
    rows.push({
      workload: c.name,
      eager: fmt(e),
      jit: fmt(j),
      "eager / jit": (e / j).toFixed(2),
      "first jit call": fmt(firstMs),
      "max rel diff": "0 (bits)",
      hand: fmt(h),
      "jit / hand": (j / h).toFixed(2),
    });
  }
}

console.table(rows);
