/**
 * Kernel benchmarks: each nabla kernel against hand-written loops on the same
 * typed arrays, measured side by side in one run.
 *
 * Prints one table: median latency (p50), the ratio kernel / baseline
 * (below 1 means the kernel is faster), and GFLOP/s for matmul (2·m·n·k / time).
 *
 * Run: `deno run bench/kernels_bench.ts` (about a minute).
 *
 * @module
 */

import { Table } from "./_harness.ts";
import { binaryKernel, unaryKernel } from "../src/array/kernels/elementwise.ts";
import { reduceKernel } from "../src/array/kernels/reduce.ts";
import { matmulKernel, setWasmMatmul, wasmMatmulAvailable } from "../src/array/kernels/matmul.ts";
import { transposeKernel } from "../src/array/kernels/structural.ts";
import { handMatmul } from "./_workloads.ts";

const table = new Table();

function random(n: number): Float64Array {
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) x[i] = Math.random() * 2 - 1;
  return x;
}

/** Runs one group: the first task is the kernel, the others are baselines. */
const group = (
  workload: string,
  tasks: [string, () => void][],
  opts: { time: number; iterations: number },
  flops = 0,
) =>
  table.group(workload, tasks, {
    ...opts,
    warmupTime: 50,
    warmupIterations: 2,
    ratio: { title: "kernel / this", baseOverThis: true },
    flops,
  });

// --- (a) elementwise chain: exp(x) * y + z over 1e6 float64 -----------------

const N = 1_000_000;
const shape1 = [N];
const x = random(N);
const y = random(N);
const z = random(N);
const t1 = new Float64Array(N);
const t2 = new Float64Array(N);
const out = new Float64Array(N);

await group("exp·mul·add 1e6 f64", [
  ["kernels (3 passes)", () => {
    unaryKernel("exp", x, t1);
    binaryKernel("mul", t1, shape1, y, shape1, t2, shape1);
    binaryKernel("add", t2, shape1, z, shape1, out, shape1);
  }],
  ["hand loops (3 passes)", () => {
    for (let i = 0; i < N; i++) t1[i] = Math.exp(x[i]);
    for (let i = 0; i < N; i++) t2[i] = t1[i] * y[i];
    for (let i = 0; i < N; i++) out[i] = t2[i] + z[i];
  }],
  ["hand fused (1 pass, not a kernel target)", () => {
    for (let i = 0; i < N; i++) out[i] = Math.exp(x[i]) * y[i] + z[i];
  }],
], { time: 1500, iterations: 10 });

// --- (b) reductions --------------------------------------------------------

const R = 1000;
const mat = random(R * R);
const scalar = new Float64Array(1);
const rowOut = new Float64Array(R);

await group("sum 1e6 f64", [
  ["reduceKernel", () => reduceKernel("sum", x, shape1, [0], scalar)],
  ["hand loop", () => {
    let s = 0;
    for (let i = 0; i < N; i++) s += x[i];
    scalar[0] = s;
  }],
], { time: 1000, iterations: 10 });

await group("sum axis 0 of 1000x1000", [
  ["reduceKernel", () => reduceKernel("sum", mat, [R, R], [0], rowOut)],
  ["hand loop (row adds)", () => {
    rowOut.fill(0);
    for (let i = 0; i < R; i++) {
      const base = i * R;
      for (let j = 0; j < R; j++) rowOut[j] += mat[base + j];
    }
  }],
], { time: 1000, iterations: 10 });

await group("sum axis 1 of 1000x1000", [
  ["reduceKernel", () => reduceKernel("sum", mat, [R, R], [1], rowOut)],
  ["hand loop (row sums)", () => {
    for (let i = 0; i < R; i++) {
      const base = i * R;
      let s = 0;
      for (let j = 0; j < R; j++) s += mat[base + j];
      rowOut[i] = s;
    }
  }],
], { time: 1000, iterations: 10 });

// --- (c) matmul ------------------------------------------------------------

/** Naive i-j-k triple loop. */
function matmulNaive(a: Float64Array, b: Float64Array, c: Float64Array, n: number): void {
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < n; p++) s += a[i * n + p] * b[p * n + j];
      c[i * n + j] = s;
    }
  }
}

/**
 * The best plain-loop baseline found (bench/_workloads.ts): i-k-j order, four
 * rows of C per pass (each B element loaded once for four multiply-adds), k
 * blocked by 256. Faster than single-row i-k-j with any k/j blocking tried.
 */
function matmulIkj4(a: Float64Array, b: Float64Array, c: Float64Array, n: number): void {
  handMatmul(a, b, c, n, n, n);
}

/**
 * Hand-written 4×4 register-blocked loop without packing: sixteen
 * accumulators in locals, A and B read in place, k blocked by 256.
 */
function matmulReg44(a: Float64Array, b: Float64Array, c: Float64Array, n: number): void {
  const KB = 256;
  c.fill(0);
  for (let p0 = 0; p0 < n; p0 += KB) {
    const p1 = Math.min(p0 + KB, n);
    for (let i = 0; i < n; i += 4) {
      const r0 = i * n, r1 = r0 + n, r2 = r1 + n, r3 = r2 + n;
      for (let j = 0; j < n; j += 4) {
        let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
        let c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
        for (let p = p0; p < p1; p++) {
          const q = p * n + j;
          const b0 = b[q], b1 = b[q + 1], b2 = b[q + 2], b3 = b[q + 3];
          const a0 = a[r0 + p], a1 = a[r1 + p], a2 = a[r2 + p], a3 = a[r3 + p];
          c00 += a0 * b0, c01 += a0 * b1, c02 += a0 * b2, c03 += a0 * b3;
          c10 += a1 * b0, c11 += a1 * b1, c12 += a1 * b2, c13 += a1 * b3;
          c20 += a2 * b0, c21 += a2 * b1, c22 += a2 * b2, c23 += a2 * b3;
          c30 += a3 * b0, c31 += a3 * b1, c32 += a3 * b2, c33 += a3 * b3;
        }
        c[r0 + j] += c00, c[r0 + j + 1] += c01, c[r0 + j + 2] += c02, c[r0 + j + 3] += c03;
        c[r1 + j] += c10, c[r1 + j + 1] += c11, c[r1 + j + 2] += c12, c[r1 + j + 3] += c13;
        c[r2 + j] += c20, c[r2 + j + 1] += c21, c[r2 + j + 2] += c22, c[r2 + j + 3] += c23;
        c[r3 + j] += c30, c[r3 + j + 1] += c31, c[r3 + j + 2] += c32, c[r3 + j + 3] += c33;
      }
    }
  }
}

/** matmulKernel with the WebAssembly path switched off: the pure-JS fallback. */
function matmulJs(a: Float64Array | Float32Array, b: typeof a, c: typeof a, n: number): void {
  setWasmMatmul(false);
  try {
    matmulKernel(a, b, c, 1, n, n, n);
  } finally {
    setWasmMatmul(true);
  }
}

if (!wasmMatmulAvailable()) console.warn("WebAssembly SIMD unavailable: matmulKernel = JS path");

for (const n of [256, 512, 1024]) {
  const a = random(n * n);
  const b = random(n * n);
  const c = new Float64Array(n * n);
  const ref = new Float64Array(n * n);
  // The naive loop is the reference up to 512; at 1024 (2 s a call) the JS kernel is.
  if (n <= 512) matmulNaive(a, b, ref, n);
  else matmulJs(a, b, ref, n);
  // The baselines (n divisible by 4) and both kernel paths must agree before they are timed.
  for (
    const f of [
      matmulIkj4,
      matmulReg44,
      matmulJs,
      (a: Float64Array, b: Float64Array, c: Float64Array) => matmulKernel(a, b, c, 1, n, n, n),
    ]
  ) {
    f(a, b, c, n);
    for (let i = 0; i < n * n; i++) {
      if (Math.abs(c[i] - ref[i]) > 1e-9) throw new Error(`Matmul mismatch at ${i} for n = ${n}`);
    }
  }
  const tasks: [string, () => void][] = [
    ["matmulKernel (wasm SIMD)", () => matmulKernel(a, b, c, 1, n, n, n)],
    ["matmulKernel, JS fallback", () => matmulJs(a, b, c, n)],
    ["hand 4x4 register-blocked", () => matmulReg44(a, b, c, n)],
    ["hand i-k-j, 4 rows, k-blocked", () => matmulIkj4(a, b, c, n)],
  ];
  if (n <= 512) tasks.push(["naive i-j-k", () => matmulNaive(a, b, c, n)]);
  await group(
    `matmul ${n}x${n} f64`,
    tasks,
    n === 256 ? { time: 1500, iterations: 10 } : { time: 3000, iterations: 5 },
    2 * n * n * n,
  );

  // float32: the wasm path sums in float32 lanes, the JS fallback in doubles.
  const a32 = Float32Array.from(a);
  const b32 = Float32Array.from(b);
  const c32 = new Float32Array(n * n);
  matmulKernel(a32, b32, c32, 1, n, n, n);
  for (let i = 0; i < n * n; i++) {
    if (Math.abs(c32[i] - ref[i]) > 1e-3) throw new Error(`f32 matmul mismatch at ${i}, n = ${n}`);
  }
  await group(
    `matmul ${n}x${n} f32`,
    [
      ["matmulKernel (wasm SIMD)", () => matmulKernel(a32, b32, c32, 1, n, n, n)],
      ["matmulKernel, JS fallback", () => matmulJs(a32, b32, c32, n)],
    ],
    n === 256 ? { time: 1000, iterations: 10 } : { time: 2000, iterations: 5 },
    2 * n * n * n,
  );
}

// --- (d) transpose 1000x1000 -----------------------------------------------

const tOut = new Float64Array(R * R);
await group("transpose 1000x1000 f64", [
  ["transposeKernel", () => transposeKernel(mat, [R, R], [1, 0], tOut)],
  ["hand naive (write-contiguous)", () => {
    for (let i = 0; i < R; i++) {
      for (let j = 0; j < R; j++) tOut[i * R + j] = mat[j * R + i];
    }
  }],
  ["hand blocked 32x32", () => {
    for (let i0 = 0; i0 < R; i0 += 32) {
      const i1 = Math.min(i0 + 32, R);
      for (let j0 = 0; j0 < R; j0 += 32) {
        const j1 = Math.min(j0 + 32, R);
        for (let i = i0; i < i1; i++) {
          for (let j = j0; j < j1; j++) tOut[j * R + i] = mat[i * R + j];
        }
      }
    }
  }],
], { time: 1000, iterations: 10 });

table.print();
