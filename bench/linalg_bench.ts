/**
 * Linear-algebra benchmarks against hand-written baselines on the same data,
 * in one run: `np.linalg.solve` (pivoted LU kernel plus two triangular
 * solves, through the public API) against textbook Gaussian elimination with
 * partial pivoting on a `Float64Array`; the Cholesky kernel against the
 * textbook column-by-column Cholesky; and the QR kernel against classical
 * Gram–Schmidt (less accurate, but the cheapest orthogonalisation).
 *
 * Prints median latency (p50) and the ratio baseline / nabla (above 1:
 * nabla is faster).
 *
 * Run: `deno run bench/linalg_bench.ts` (about ten seconds).
 *
 * @module
 */

import { Table } from "./_harness.ts";
import { np } from "../mod.ts";
import { choleskyKernel, qrKernel } from "../src/array/kernels/linalg.ts";

function random(n: number): Float64Array {
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) x[i] = Math.random() * 2 - 1;
  return x;
}

/** Gaussian elimination with partial pivoting, solving A x = b (copies A and b). */
function gaussSolve(a0: Float64Array, b0: Float64Array, n: number): Float64Array {
  const a = a0.slice(), b = b0.slice();
  for (let k = 0; k < n; k++) {
    let p = k;
    for (let i = k + 1; i < n; i++) if (Math.abs(a[i * n + k]) > Math.abs(a[p * n + k])) p = i;
    for (let j = 0; j < n; j++) [a[k * n + j], a[p * n + j]] = [a[p * n + j], a[k * n + j]];
    [b[k], b[p]] = [b[p], b[k]];
    for (let i = k + 1; i < n; i++) {
      const f = a[i * n + k] / a[k * n + k];
      for (let j = k; j < n; j++) a[i * n + j] -= f * a[k * n + j];
      b[i] -= f * b[k];
    }
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i];
    for (let j = i + 1; j < n; j++) s -= a[i * n + j] * b[j];
    b[i] = s / a[i * n + i];
  }
  return b;
}

/** Textbook Cholesky (lower), column by column. */
function textbookCholesky(a: Float64Array, l: Float64Array, n: number): void {
  l.fill(0);
  for (let j = 0; j < n; j++) {
    let d = a[j * n + j];
    for (let k = 0; k < j; k++) d -= l[j * n + k] * l[j * n + k];
    l[j * n + j] = Math.sqrt(d);
    for (let i = j + 1; i < n; i++) {
      let s = a[i * n + j];
      for (let k = 0; k < j; k++) s -= l[i * n + k] * l[j * n + k];
      l[i * n + j] = s / l[j * n + j];
    }
  }
}

/** Classical Gram–Schmidt QR of an m×n matrix (m ≥ n). */
function gramSchmidt(a: Float64Array, q: Float64Array, r: Float64Array, m: number, n: number) {
  r.fill(0);
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < m; i++) q[i * n + j] = a[i * n + j];
    for (let k = 0; k < j; k++) {
      let d = 0;
      for (let i = 0; i < m; i++) d += q[i * n + k] * a[i * n + j];
      r[k * n + j] = d;
      for (let i = 0; i < m; i++) q[i * n + j] -= d * q[i * n + k];
    }
    let nrm = 0;
    for (let i = 0; i < m; i++) nrm += q[i * n + j] * q[i * n + j];
    nrm = Math.sqrt(nrm);
    r[j * n + j] = nrm;
    for (let i = 0; i < m; i++) q[i * n + j] /= nrm;
  }
}

const table = new Table();
const group = (workload: string, tasks: [string, () => void][]) =>
  table.group(workload, tasks, { time: 1000, iterations: 10, ratio: { title: "this / nabla" } });

for (const n of [32, 128]) {
  const a = random(n * n), b = random(n);
  const A = np.array(Array.from(a)).reshape([n, n]), B = np.array(Array.from(b));
  await group(`solve n=${n}`, [
    // A fresh array each time: the LU of an array is kept with it, and must not be reused here.
    ["np.linalg.solve", () => np.linalg.solve(np.add(A, 0), B)],
    ["Gaussian elimination", () => gaussSolve(a, b, n)],
  ]);
  const spd = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = i === j ? n : 0;
      for (let k = 0; k < n; k++) s += a[i * n + k] * a[j * n + k];
      spd[i * n + j] = s;
    }
  }
  const l = new Float64Array(n * n);
  await group(`cholesky n=${n}`, [
    ["choleskyKernel", () => choleskyKernel(spd, l, 1, n)],
    ["textbook Cholesky", () => textbookCholesky(spd, l, n)],
  ]);
  const q = new Float64Array(n * n), r = new Float64Array(n * n);
  await group(`qr n=${n}`, [
    ["qrKernel (Householder)", () => qrKernel(a, q, r, 1, n, n, false)],
    ["classical Gram–Schmidt", () => gramSchmidt(a, q, r, n, n)],
  ]);
}

table.print();
