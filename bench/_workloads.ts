/**
 * The benchmark workloads of issues 5 and 10, shared by `nabla_bench.ts`
 * (nabla against hand-written loops), `jit_bench.ts` (eager nabla against
 * nabla `jit` and the hand loops) and `peers_bench.ts` (nabla against jax-js
 * and TensorFlow.js): deterministic data, the hand-written float64 reference
 * (the floor, and the value every system is checked against before it is
 * timed), and nabla's implementation, eager and under `jit` (a factory of
 * fresh `jit`s, so a first call can be timed).
 *
 * Every implementation returns its result read back as flat numbers (a typed
 * array, or a list of them), so the timing includes getting the values out.
 *
 * @module
 */

import { type Array, grad, hessian, jit, np, valueAndGrad, vmap } from "../mod.ts";
import { compare, errorMessage, type Impl, tolerance, type Workload } from "./_harness.ts";

// ---------------------------------------------------------------------------
// Deterministic data

/** A small deterministic generator (mulberry32) of uniform numbers in [0, 1). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `n` uniform numbers in [lo, hi) from `seed`. */
export function uniform(n: number, seed: number, lo = -1, hi = 1): Float64Array {
  const r = rng(seed);
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) x[i] = lo + (hi - lo) * r();
  return x;
}

// ---------------------------------------------------------------------------
// Hand-written kernels

/** C = A·B for row-major A [m,k], B [k,n]: i-k-j order, four rows of C per pass, k blocked. */
export function handMatmul(
  a: Float64Array,
  b: Float64Array,
  c: Float64Array,
  m: number,
  k: number,
  n: number,
): void {
  const KB = 256;
  c.fill(0);
  for (let p0 = 0; p0 < k; p0 += KB) {
    const p1 = Math.min(p0 + KB, k);
    let i = 0;
    for (; i + 4 <= m; i += 4) {
      const c0 = i * n, c1 = c0 + n, c2 = c1 + n, c3 = c2 + n;
      const a0r = i * k, a1r = a0r + k, a2r = a1r + k, a3r = a2r + k;
      for (let p = p0; p < p1; p++) {
        const a0 = a[a0r + p], a1 = a[a1r + p], a2 = a[a2r + p], a3 = a[a3r + p];
        const bp = p * n;
        for (let j = 0; j < n; j++) {
          const bv = b[bp + j];
          c[c0 + j] += a0 * bv;
          c[c1 + j] += a1 * bv;
          c[c2 + j] += a2 * bv;
          c[c3 + j] += a3 * bv;
        }
      }
    }
    for (; i < m; i++) {
      const ci = i * n, ai = i * k;
      for (let p = p0; p < p1; p++) {
        const av = a[ai + p];
        const bp = p * n;
        for (let j = 0; j < n; j++) c[ci + j] += av * b[bp + j];
      }
    }
  }
}

/** Transpose of a row-major [r, c] matrix. */
function handTranspose(a: Float64Array, r: number, c: number): Float64Array {
  const t = new Float64Array(r * c);
  for (let i = 0; i < r; i++) for (let j = 0; j < c; j++) t[j * r + i] = a[i * c + j];
  return t;
}

// ---------------------------------------------------------------------------
// W1 scalar latency

const w1x = 0.1;
const w1f = (x: Array) => np.add(np.square(x), np.log(x));
const w1g = grad(w1f);

const W1: Workload = {
  id: "W1",
  title: "scalar latency: grad(x => x² + log x)(0.1), per call",
  hand: { system: "hand-written", dtype: "float64", run: () => 2 * w1x + 1 / w1x },
  nabla: { system: "nabla", dtype: "float64", run: () => w1g(w1x).item() as number },
  jit: () => {
    const g = jit(w1g);
    return () => g(w1x).item() as number;
  },
};

// ---------------------------------------------------------------------------
// W2 scalar chain: 333 × (sin, mul, add) = 999 operations on one value

/** Iterations of `y = sin(y)·0.9 + x` in W2. */
export const W2_STEPS = 333;
const w2x = 0.5;

/** W2's chain of `steps` × (sin, mul, add). */
function w2chain(steps: number): (x: Array) => Array {
  // y feeds x back in at every step, so the derivative stays of order 1 (a chain
  // y = sin(y)·0.9 + c alone contracts it to 1e-46, below float32's range).
  return (x: Array) => {
    let y = x;
    for (let i = 0; i < steps; i++) y = np.add(np.multiply(np.sin(y), 0.9), x);
    return y;
  };
}
const w2g = grad(w2chain(W2_STEPS));

/** The derivative of W2's chain of `steps` steps at 0.5, by forward-mode dual numbers. */
export function w2hand(steps: number): number {
  let y = w2x, dy = 1;
  for (let i = 0; i < steps; i++) {
    dy = Math.cos(y) * 0.9 * dy + 1;
    y = Math.sin(y) * 0.9 + w2x;
  }
  return dy;
}

/** A fresh `jit(grad(chain))` of W2's chain of `steps` steps, run at 0.5. */
export function w2jit(steps: number): () => number {
  const g = jit(grad(w2chain(steps)));
  return () => g(w2x).item() as number;
}

/** W2's chain compiled at one length: a fresh `jit(grad)`, checked, first call timed. */
export interface ChainRow {
  /** Operations in the forward chain (3 per step). */
  ops: number;
  /** `ok`, `wrong` (against the hand-written dual numbers) or `fails` (threw). */
  status: "ok" | "wrong" | "fails";
  /** Why, for `wrong` and `fails`. */
  message?: string;
  /** The first call (trace + compile + run), in ms. */
  firstMs?: number;
  /** The second call (one sample of the steady state), in ms. */
  secondMs?: number;
}

/** Times the first and second calls of a fresh `jit(grad)` of W2's chain of `steps` steps. */
export function w2ChainFirstCall(steps: number): ChainRow {
  const row: ChainRow = { ops: 3 * steps, status: "ok" };
  try {
    const run = w2jit(steps);
    const t0 = performance.now();
    const got = run();
    row.firstMs = performance.now() - t0;
    const t1 = performance.now();
    run();
    row.secondMs = performance.now() - t1;
    const bad = compare(got, w2hand(steps), ...tolerance("float64"));
    if (bad !== null) {
      row.status = "wrong";
      row.message = bad;
    }
  } catch (e) {
    row.status = "fails";
    row.message = errorMessage(e);
  }
  return row;
}

const W2: Workload = {
  id: "W2",
  title: `scalar chain: grad of ${W2_STEPS}× y = sin(y)·0.9 + x (${3 * W2_STEPS} ops)`,
  // Forward-mode dual numbers: the derivative travels with the value.
  hand: { system: "hand-written", dtype: "float64", run: () => w2hand(W2_STEPS) },
  nabla: { system: "nabla", dtype: "float64", run: () => w2g(w2x).item() as number },
  jit: () => w2jit(W2_STEPS),
};

// ---------------------------------------------------------------------------
// W3 the seed at scale

/** Length of W3's input. */
export const W3_N = 1_000_000;
const w3x = np.linspace(0, 1, W3_N);
/** W3's input, `linspace(0, 1, 1e6)` (peers get it rounded to float32). */
export const w3xData: Float64Array = w3x.data as Float64Array;
const w3g = vmap(grad(np.square));

const W3: Workload = {
  id: "W3",
  title: "vmap(grad(np.square)) over linspace(0, 1, 1e6)",
  hand: {
    system: "hand-written",
    dtype: "float64",
    run: () => {
      const out = new Float64Array(W3_N);
      for (let i = 0; i < W3_N; i++) out[i] = 2 * w3xData[i];
      return out;
    },
    note: "writes a fresh output",
  },
  nabla: { system: "nabla", dtype: "float64", run: () => w3g(w3x).data },
  jit: () => {
    const g = jit(w3g);
    return () => g(w3x).data;
  },
};

// ---------------------------------------------------------------------------
// W4 MLP 784 → 512 → 10, tanh, batch 256, softmax cross-entropy

/** MLP sizes: input, hidden, classes, batch. */
export const MLP = { d: 784, h: 512, c: 10, b: 256 } as const;

/** The W4 data and parameters (float64, row-major), generated deterministically. */
export interface MlpData {
  x: Float64Array;
  /** Labels, one per example. */
  labels: Int32Array;
  /** One-hot labels [b, c]. */
  y: Float64Array;
  w1: Float64Array;
  b1: Float64Array;
  w2: Float64Array;
  b2: Float64Array;
}

function makeMlpData(): MlpData {
  const { d, h, c, b } = MLP;
  const x = uniform(b * d, 1, 0, 1);
  const r = rng(2);
  const labels = new Int32Array(b);
  const y = new Float64Array(b * c);
  for (let i = 0; i < b; i++) {
    labels[i] = Math.floor(r() * c);
    y[i * c + labels[i]] = 1;
  }
  const s1 = 1 / Math.sqrt(d), s2 = 1 / Math.sqrt(h);
  return {
    x,
    labels,
    y,
    w1: uniform(d * h, 3, -s1, s1),
    b1: uniform(h, 4, -0.1, 0.1),
    w2: uniform(h * c, 5, -s2, s2),
    b2: uniform(c, 6, -0.1, 0.1),
  };
}

/** The W4 data. */
export const mlpData: MlpData = makeMlpData();

/** Hand-written forward pass: hidden activations and logits. */
function handMlpForward(p: MlpData): { hid: Float64Array; z: Float64Array } {
  const { d, h, c, b } = MLP;
  const hid = new Float64Array(b * h);
  handMatmul(p.x, p.w1, hid, b, d, h);
  for (let i = 0; i < b; i++) {
    for (let j = 0; j < h; j++) hid[i * h + j] = Math.tanh(hid[i * h + j] + p.b1[j]);
  }
  const z = new Float64Array(b * c);
  handMatmul(hid, p.w2, z, b, h, c);
  for (let i = 0; i < b; i++) for (let j = 0; j < c; j++) z[i * c + j] += p.b2[j];
  return { hid, z };
}

/** Hand-written mean softmax cross-entropy; fills `dz` with its gradient if given. */
function handMlpLoss(z: Float64Array, labels: Int32Array, dz?: Float64Array): number {
  const { c, b } = MLP;
  let loss = 0;
  for (let i = 0; i < b; i++) {
    let m = -Infinity;
    for (let j = 0; j < c; j++) m = Math.max(m, z[i * c + j]);
    let s = 0;
    for (let j = 0; j < c; j++) s += Math.exp(z[i * c + j] - m);
    const lse = m + Math.log(s);
    loss += lse - z[i * c + labels[i]];
    if (dz) {
      for (let j = 0; j < c; j++) {
        dz[i * c + j] = (Math.exp(z[i * c + j] - lse) - (j === labels[i] ? 1 : 0)) / b;
      }
    }
  }
  return loss / b;
}

/** Hand-written value and gradient of the W4 loss: [[loss], dw1, db1, dw2, db2]. */
export function handMlpValueAndGrad(p: MlpData): Float64Array[] {
  const { d, h, c, b } = MLP;
  const { hid, z } = handMlpForward(p);
  const dz = new Float64Array(b * c);
  const loss = handMlpLoss(z, p.labels, dz);
  const dw2 = new Float64Array(h * c);
  handMatmul(handTranspose(hid, b, h), dz, dw2, h, b, c);
  const db2 = new Float64Array(c);
  for (let i = 0; i < b; i++) for (let j = 0; j < c; j++) db2[j] += dz[i * c + j];
  const da = new Float64Array(b * h);
  handMatmul(dz, handTranspose(p.w2, h, c), da, b, c, h);
  for (let k = 0; k < b * h; k++) da[k] *= 1 - hid[k] * hid[k];
  const dw1 = new Float64Array(d * h);
  handMatmul(handTranspose(p.x, b, d), da, dw1, d, b, h);
  const db1 = new Float64Array(h);
  for (let i = 0; i < b; i++) for (let j = 0; j < h; j++) db1[j] += da[i * h + j];
  return [Float64Array.of(loss), dw1, db1, dw2, db2];
}

/** nabla's W4 parameters and data in `dtype`. */
function nablaMlpData(dtype: "float64" | "float32") {
  return {
    params: {
      w1: np.array(mlpData.w1, dtype).reshape([MLP.d, MLP.h]),
      b1: np.array(mlpData.b1, dtype),
      w2: np.array(mlpData.w2, dtype).reshape([MLP.h, MLP.c]),
      b2: np.array(mlpData.b2, dtype),
    },
    x: np.array(mlpData.x, dtype).reshape([MLP.b, MLP.d]),
    y: np.array(mlpData.y, dtype).reshape([MLP.b, MLP.c]),
  };
}
const nm = nablaMlpData("float64");
const nm32 = nablaMlpData("float32");
type MlpParams = typeof nm.params;

/** The W4 loss in nabla. */
function nablaMlpLoss(p: MlpParams, x: Array, y: Array): Array {
  const hid = np.tanh(np.add(np.matmul(x, p.w1), p.b1));
  const z = np.add(np.matmul(hid, p.w2), p.b2);
  return np.mean(np.subtract(np.logsumexp(z, 1), np.sum(np.multiply(z, y), 1)));
}
const nablaMlpGrad = grad(nablaMlpLoss);
const nablaMlpValueAndGrad = valueAndGrad(nablaMlpLoss);

/** One W8 gradient step in nabla, read back as [dw1, db1, dw2, db2]. */
export function nablaMlpStep(): ArrayLike<number>[] {
  const g = nablaMlpGrad(nm.params, nm.x, nm.y) as MlpParams;
  return [g.w1.data, g.b1.data, g.w2.data, g.b2.data];
}

/** The W8 gradient step under a fresh `jit`. */
export function nablaMlpJitStep(): () => ArrayLike<number>[] {
  const f = jit(nablaMlpGrad);
  return () => {
    const g = f(nm.params, nm.x, nm.y) as MlpParams;
    return [g.w1.data, g.b1.data, g.w2.data, g.b2.data];
  };
}

/** A W4 step of `vg` (a value-and-gradient function) on `m`, read back as [[loss], dw1, db1, dw2, db2]. */
function mlpValueAndGradStep(
  // deno-lint-ignore no-explicit-any
  vg: (...args: any[]) => unknown,
  m: typeof nm,
): () => ArrayLike<number>[] {
  return () => {
    const [v, g] = vg(m.params, m.x, m.y) as [Array, MlpParams];
    return [[v.item() as number], g.w1.data, g.b1.data, g.w2.data, g.b2.data];
  };
}

const w4hand: Impl = {
  system: "hand-written",
  dtype: "float64",
  run: () => handMlpValueAndGrad(mlpData),
  note: "hand loops (i-k-j blocked matmuls)",
};

const W4: Workload = {
  id: "W4",
  title: "MLP 784→512→10 tanh, batch 256, softmax CE: value and gradient w.r.t. all weights",
  hand: w4hand,
  nabla: {
    system: "nabla",
    dtype: "float64",
    run: mlpValueAndGradStep(nablaMlpValueAndGrad, nm),
  },
  jit: () => mlpValueAndGradStep(jit(nablaMlpValueAndGrad), nm),
  extra: [{
    system: "nabla valueAndGrad(jit)",
    dtype: "float64",
    run: mlpValueAndGradStep(valueAndGrad(jit(nablaMlpLoss)), nm),
    note: "the loss jitted, differentiated outside: a forward call and a transposed call",
  }],
};

const W4_32: Workload = {
  id: "W4-f32",
  title: "W4 in float32 (nabla's parameters and data float32; the peers' W4)",
  hand: w4hand,
  nabla: {
    system: "nabla",
    dtype: "float32",
    run: mlpValueAndGradStep(nablaMlpValueAndGrad, nm32),
  },
  jit: () => mlpValueAndGradStep(jit(nablaMlpValueAndGrad), nm32),
  peerId: "W4",
  peerSystems: ["jax-js eager", "jax-js jit"],
};

const W4F: Workload = {
  id: "W4f",
  title: "MLP forward pass alone (loss)",
  hand: {
    system: "hand-written",
    dtype: "float64",
    run: () => handMlpLoss(handMlpForward(mlpData).z, mlpData.labels),
  },
  nabla: {
    system: "nabla",
    dtype: "float64",
    run: () => nablaMlpLoss(nm.params, nm.x, nm.y).item() as number,
  },
  jit: () => {
    const f = jit(nablaMlpLoss);
    return () => f(nm.params, nm.x, nm.y).item() as number;
  },
};

// ---------------------------------------------------------------------------
// W5 Hessian of the 100-dimensional Rosenbrock function

/** Dimension of W5's Rosenbrock function. */
export const ROSEN_N = 100;
/** W5's point. */
export const rosenX: Float64Array = uniform(ROSEN_N, 7, -1, 1);

function rosen(x: Array): Array {
  const a = x.get("1:"), b = x.get(":-1");
  return np.sum(
    np.add(np.multiply(100, np.square(np.subtract(a, np.square(b)))), np.square(np.subtract(1, b))),
  );
}
const rosenH = hessian(rosen);
const rosenXArr = np.array(rosenX);

const W5: Workload = {
  id: "W5",
  title: `full Hessian of the ${ROSEN_N}-dim Rosenbrock function`,
  hand: {
    system: "hand-written",
    dtype: "float64",
    run: () => {
      // Analytic: tridiagonal.
      const n = ROSEN_N, x = rosenX, hm = new Float64Array(n * n);
      for (let i = 0; i < n; i++) {
        let dii = i > 0 ? 200 : 0;
        if (i < n - 1) {
          dii += 1200 * x[i] * x[i] - 400 * x[i + 1] + 2;
          hm[i * n + i + 1] = hm[(i + 1) * n + i] = -400 * x[i];
        }
        hm[i * n + i] = dii;
      }
      return hm;
    },
  },
  nabla: { system: "nabla", dtype: "float64", run: () => rosenH(rosenXArr).data },
  jit: () => {
    const f = jit(rosenH);
    return () => f(rosenXArr).data;
  },
};

// ---------------------------------------------------------------------------
// W6 per-example gradients of linear regression

/** W6 sizes: features and batch. */
export const LINREG = { f: 1000, b: 512 } as const;
/** W6 data: inputs [b, f], targets [b], weights [f]. */
export const linreg: { x: Float64Array; y: Float64Array; w: Float64Array } = {
  x: uniform(LINREG.b * LINREG.f, 8),
  y: uniform(LINREG.b, 9),
  w: uniform(LINREG.f, 10, -0.1, 0.1),
};
const lrW = np.array(linreg.w);
const lrX = np.array(linreg.x).reshape([LINREG.b, LINREG.f]);
const lrY = np.array(linreg.y);
// loss(w; x, y) = ½ (x·w − y)²
const lrLoss = (w: Array, x: Array, y: Array) =>
  np.multiply(0.5, np.square(np.subtract(np.dot(x, w), y)));
const lrPerExample = vmap(grad(lrLoss), { inAxes: [null, 0, 0] });

const W6: Workload = {
  id: "W6",
  title: `per-example gradients: linear regression, ${LINREG.f} features, batch ${LINREG.b}`,
  hand: {
    system: "hand-written",
    dtype: "float64",
    run: () => {
      const { f, b } = LINREG, { x, y, w } = linreg;
      const out = new Float64Array(b * f);
      for (let i = 0; i < b; i++) {
        let r = -y[i];
        for (let j = 0; j < f; j++) r += x[i * f + j] * w[j];
        for (let j = 0; j < f; j++) out[i * f + j] = r * x[i * f + j];
      }
      return out;
    },
  },
  nabla: { system: "nabla", dtype: "float64", run: () => lrPerExample(lrW, lrX, lrY).data },
  jit: () => {
    const f = jit(lrPerExample);
    return () => f(lrW, lrX, lrY).data;
  },
};

// ---------------------------------------------------------------------------
// W7 sixth derivative of tanh by nested grad

const w7x = 0.3;
let w7g: (x: number) => Array = np.tanh as (x: number) => Array;
for (let i = 0; i < 6; i++) w7g = grad(w7g);

const W7: Workload = {
  id: "W7",
  title: "6th derivative of tanh at 0.3 by nested grad",
  hand: {
    system: "hand-written",
    dtype: "float64",
    run: () => {
      // dᵏ tanh = Pₖ(t), t = tanh x, with P₀ = t and Pₖ₊₁ = Pₖ'(t)·(1 − t²).
      let p = [0, 1];
      for (let k = 0; k < 6; k++) {
        const dp = new globalThis.Array<number>(p.length + 1).fill(0);
        for (let i = 1; i < p.length; i++) {
          dp[i - 1] += i * p[i];
          dp[i + 1] -= i * p[i];
        }
        p = dp;
      }
      const t = Math.tanh(w7x);
      let v = 0;
      for (let i = p.length - 1; i >= 0; i--) v = v * t + p[i];
      return v;
    },
  },
  nabla: { system: "nabla", dtype: "float64", run: () => w7g(w7x).item() as number },
  jit: () => {
    const f = jit(w7g);
    return () => f(w7x).item() as number;
  },
};

// ---------------------------------------------------------------------------
// C10 a 10-op elementwise chain over 1e6 float64 (one fused loop under jit)

/** Length of C10's input. */
export const C10_N = 1_000_000;
const c10x = np.linspace(-1, 1, C10_N);
/** C10's input, `linspace(-1, 1, 1e6)` (peers get it rounded to float32). */
export const c10xData: Float64Array = c10x.data as Float64Array;
const c10f = (x: Array) => {
  let y = np.add(np.multiply(x, 1.5), 0.5);
  y = np.subtract(np.multiply(y, y), x);
  y = np.maximum(np.multiply(y, 0.7), np.add(y, 0.1));
  y = np.abs(np.divide(y, 1.3));
  return np.subtract(y, x);
};

const C10: Workload = {
  id: "C10",
  title:
    "10-op elementwise chain over linspace(-1, 1, 1e6): mul add mul sub mul add max div abs sub",
  hand: {
    system: "hand-written",
    dtype: "float64",
    run: () => {
      const x = c10xData, out = new Float64Array(C10_N);
      for (let i = 0; i < C10_N; i++) {
        const xi = x[i];
        let y = xi * 1.5 + 0.5;
        y = y * y - xi;
        const p = y * 0.7, q = y + 0.1;
        y = p > q || p !== p ? p : q;
        out[i] = Math.abs(y / 1.3) - xi;
      }
      return out;
    },
    note: "one fused loop writing a fresh output",
  },
  nabla: { system: "nabla", dtype: "float64", run: () => c10f(c10x).data },
  jit: () => {
    const f = jit(c10f);
    return () => f(c10x).data;
  },
};

// ---------------------------------------------------------------------------
// W9 matmul throughput

/** The W9 matrices, per size. */
export const matmulData: Map<number, { a: Float64Array; b: Float64Array }> = new Map();

function matmulWorkload(n: number): Workload {
  const a = uniform(n * n, 11 + n), b = uniform(n * n, 12 + n);
  matmulData.set(n, { a, b });
  const A = np.array(a).reshape([n, n]), B = np.array(b).reshape([n, n]);
  const c = new Float64Array(n * n);
  return {
    id: `W9-${n}`,
    title: `matmul ${n}×${n} · ${n}×${n}`,
    flops: 2 * n * n * n,
    hand: {
      system: "hand-written",
      dtype: "float64",
      run: () => {
        handMatmul(a, b, c, n, n, n);
        return c;
      },
      note: "i-k-j, 4 rows of C per pass, k blocked by 256",
    },
    nabla: { system: "nabla", dtype: "float64", run: () => np.matmul(A, B).data },
  };
}

/** All workloads except W8 (memory), in order (W9 has no `jit`: one matmul kernel either way). */
export const workloads: readonly Workload[] = [
  W1,
  W2,
  W3,
  W4,
  W4_32,
  W4F,
  W5,
  W6,
  W7,
  C10,
  matmulWorkload(512),
  matmulWorkload(1024),
];

// ---------------------------------------------------------------------------
// Running and reporting

/** Resident set size in bytes (Deno, Node or Bun). */
export function rss(): number {
  // deno-lint-ignore no-explicit-any
  const g = globalThis as any;
  if (g.Deno?.memoryUsage) return g.Deno.memoryUsage().rss;
  return g.process.memoryUsage().rss;
}

/** W8: RSS after each of `reps` runs of `step`, in bytes. */
export function rssTrace(step: () => unknown, reps = 100): number[] {
  const samples: number[] = [];
  for (let i = 0; i < reps; i++) {
    step();
    samples.push(rss());
  }
  return samples;
}

/** Summary of an RSS trace: peak, mean of the first and last ten samples, in MB. */
export function rssSummary(samples: readonly number[]): {
  peakMB: number;
  first10MB: number;
  last10MB: number;
  growthMB: number;
} {
  const mb = (x: number) => x / 2 ** 20;
  const mean = (xs: readonly number[]) => xs.reduce((s, v) => s + v, 0) / xs.length;
  const first = mean(samples.slice(0, 10)), last = mean(samples.slice(-10));
  return {
    peakMB: mb(Math.max(...samples)),
    first10MB: mb(first),
    last10MB: mb(last),
    growthMB: mb(last - first),
  };
}
