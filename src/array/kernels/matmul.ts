/**
 * The batched matrix-product kernel.
 *
 * float64 and float32 go to the WebAssembly SIMD kernel (`matmul_wasm.ts`,
 * source `wasm/matmul.wat`) wherever WebAssembly SIMD is available (Deno, Bun,
 * Node >= 16.4, Chrome 91, Firefox 89, Safari 16.4), except matrix-vector products (n = 1)
 * and tiny ones (fewer than `WASM_MIN_WORK` multiply-adds), which stay in the
 * direct JS loops below. The WebAssembly kernel sums each float64 element in
 * increasing k within blocks of 256, like the JS path here, so both give
 * identical float64 results (bit-identical to a naive loop for k <= 256); it
 * sums float32 in float32 lanes (as sgemm does), where the JS path widens.
 *
 * The JS fallback follows the GotoBLAS layout, in plain TypeScript: for each
 * block of `KC` rows of B, the block is packed into
 * panels of `NR` = 4 columns and A into strips of `MR` = 4 rows (both as
 * contiguous float64), and a register-blocked 4×4 micro-kernel keeps sixteen
 * accumulators in locals while it walks the shared `k` dimension, so each
 * step does 16 multiply-adds for 8 loads. Panels are zero-padded, so edges
 * need no special inner loop. B is additionally split into column blocks of
 * `NC` so the packed panel stays in L2.
 *
 * In the JS path accumulation is always in float64: float32 inputs are widened
 * while packing, the products are summed in doubles in a float64 scratch C,
 * and each result is rounded to float32 once at the end. int32 (always JS)
 * uses `Math.imul` and `| 0`, so
 * it wraps like C int32 arithmetic. Small products (any dimension below 4, or
 * fewer than `SMALL_WORK` multiply-adds) skip packing and use direct loops.
 *
 * @module
 */

import type { TypedArray } from "../dtype.ts";
import { wasmMatmul, wasmMatmulEnabled } from "./matmul_wasm.ts";

export { setWasmMatmul, wasmMatmulAvailable } from "./matmul_wasm.ts";

const MR = 4;
const NR = 4;
/** Depth of a packed block (rows of B, columns of A). */
const KC = 256;
/** Width of a packed B block: KC×NC float64 = 1 MiB. */
const NC = 512;
/** Below this many multiply-adds the direct loops win over packing. */
const SMALL_WORK = 256;
/** Below this many multiply-adds (per batch element) the JS loops are used. */
export const WASM_MIN_WORK = 64;
/** Scratch buffers up to this many elements are kept between calls. */
const KEEP_SCRATCH = 1 << 20;

let packA = new Float64Array(0);
let packB = new Float64Array(0);
const edge = new Float64Array(MR * NR);

function scratchA(size: number): Float64Array {
  if (packA.length >= size) return packA;
  const buf = new Float64Array(size);
  if (size <= KEEP_SCRATCH) packA = buf;
  return buf;
}

function scratchB(size: number): Float64Array {
  if (packB.length >= size) return packB;
  const buf = new Float64Array(size);
  if (size <= KEEP_SCRATCH) packB = buf;
  return buf;
}

/**
 * Batched matrix product: `a` is (batch, m, k), `b` is (batch, k, n), `out`
 * is (batch, m, n), all contiguous row-major and of one storage type
 * (Float64Array, Float32Array or Int32Array).
 */
export function matmulKernel(
  a: TypedArray,
  b: TypedArray,
  out: TypedArray,
  batch: number,
  m: number,
  k: number,
  n: number,
): void {
  const mn = m * n;
  if (mn === 0 || batch === 0) return;
  if (k === 0) {
    out.fill(0, 0, batch * mn);
    return;
  }
  if (!(out instanceof Float64Array || out instanceof Float32Array)) {
    // Integers of any width: wrapping int32 arithmetic, stores wrap to the width.
    for (let t = 0; t < batch; t++) {
      matmulInt32(a, t * m * k, b, t * k * n, out, t * mn, m, k, n);
    }
    return;
  }
  if (
    n > 1 && m * n * k >= WASM_MIN_WORK &&
    (out instanceof Float64Array || out instanceof Float32Array) && wasmMatmulEnabled() &&
    wasmMatmul(
      a as Float64Array | Float32Array,
      b as Float64Array | Float32Array,
      out,
      batch,
      m,
      k,
      n,
    )
  ) {
    return;
  }
  const small = m < MR || n < NR || k < 4 || m * n * k < SMALL_WORK;
  if (small) {
    const row = new Float64Array(n);
    for (let t = 0; t < batch; t++) {
      matmulSmall(a, t * m * k, b, t * k * n, out, t * mn, m, k, n, row);
    }
    return;
  }
  if (out instanceof Float64Array) {
    for (let t = 0; t < batch; t++) matmulPacked(a, t * m * k, b, t * k * n, out, t * mn, m, k, n);
    return;
  }
  // float32 (or other) output: accumulate in a float64 C, round once.
  const c = new Float64Array(mn);
  for (let t = 0; t < batch; t++) {
    matmulPacked(a, t * m * k, b, t * k * n, c, 0, m, k, n);
    out.set(c, t * mn);
  }
}

/** Direct loops for tiny products: dot products when n = 1, else i-k-j with a float64 row. */
function matmulSmall(
  a: TypedArray,
  aOff: number,
  b: TypedArray,
  bOff: number,
  out: TypedArray,
  cOff: number,
  m: number,
  k: number,
  n: number,
  row: Float64Array,
): void {
  if (n === 1) {
    for (let i = 0; i < m; i++) {
      let s = 0;
      const ai = aOff + i * k;
      for (let p = 0; p < k; p++) s += a[ai + p] * b[bOff + p];
      out[cOff + i] = s;
    }
    return;
  }
  for (let i = 0; i < m; i++) {
    row.fill(0);
    const ai = aOff + i * k;
    for (let p = 0; p < k; p++) {
      const av = a[ai + p];
      const bp = bOff + p * n;
      for (let j = 0; j < n; j++) row[j] += av * b[bp + j];
    }
    const ci = cOff + i * n;
    for (let j = 0; j < n; j++) out[ci + j] = row[j];
  }
}

/** Packed, register-blocked product of one (m,k)×(k,n) pair into float64 `c` at `cOff`. */
function matmulPacked(
  a: TypedArray,
  aOff: number,
  b: TypedArray,
  bOff: number,
  c: Float64Array,
  cOff: number,
  m: number,
  k: number,
  n: number,
): void {
  c.fill(0, cOff, cOff + m * n);
  const mStrips = Math.ceil(m / MR);
  const kcMax = k < KC ? k : KC;
  const ncMax = n < NC ? n : NC;
  const ap = scratchA(mStrips * MR * kcMax);
  const bp = scratchB(Math.ceil(ncMax / NR) * NR * kcMax);
  for (let p0 = 0; p0 < k; p0 += KC) {
    const kc = k - p0 < KC ? k - p0 : KC;
    packStrips(a, aOff, ap, m, k, p0, kc);
    for (let j0 = 0; j0 < n; j0 += NC) {
      const nc = n - j0 < NC ? n - j0 : NC;
      packPanels(b, bOff, bp, n, p0, kc, j0, nc);
      for (let s = 0; s < mStrips; s++) {
        const i0 = s * MR;
        const h = m - i0 < MR ? m - i0 : MR;
        for (let jj = 0; jj < nc; jj += NR) {
          const w = nc - jj < NR ? nc - jj : NR;
          micro(ap, s * MR * kc, bp, jj * kc, kc, c, cOff + i0 * n + j0 + jj, n, h, w);
        }
      }
    }
  }
}

/** Packs A[:, p0:p0+kc] into strips of MR rows, k-major within a strip, zero-padded. */
function packStrips(
  a: TypedArray,
  aOff: number,
  ap: Float64Array,
  m: number,
  k: number,
  p0: number,
  kc: number,
): void {
  const mStrips = Math.ceil(m / MR);
  for (let s = 0; s < mStrips; s++) {
    const i0 = s * MR;
    const base = s * MR * kc;
    for (let ii = 0; ii < MR; ii++) {
      const i = i0 + ii;
      let dst = base + ii;
      if (i < m) {
        let src = aOff + i * k + p0;
        for (let p = 0; p < kc; p++) {
          ap[dst] = a[src++];
          dst += MR;
        }
      } else {
        for (let p = 0; p < kc; p++) {
          ap[dst] = 0;
          dst += MR;
        }
      }
    }
  }
}

/** Packs B[p0:p0+kc, j0:j0+nc] into panels of NR columns, k-major within a panel, zero-padded. */
function packPanels(
  b: TypedArray,
  bOff: number,
  bp: Float64Array,
  n: number,
  p0: number,
  kc: number,
  j0: number,
  nc: number,
): void {
  for (let jj = 0; jj < nc; jj += NR) {
    const w = nc - jj < NR ? nc - jj : NR;
    let dst = jj * kc;
    let src = bOff + p0 * n + j0 + jj;
    if (w === NR) {
      for (let p = 0; p < kc; p++) {
        bp[dst] = b[src];
        bp[dst + 1] = b[src + 1];
        bp[dst + 2] = b[src + 2];
        bp[dst + 3] = b[src + 3];
        dst += NR;
        src += n;
      }
    } else {
      for (let p = 0; p < kc; p++) {
        for (let q = 0; q < NR; q++) bp[dst + q] = q < w ? b[src + q] : 0;
        dst += NR;
        src += n;
      }
    }
  }
}

/** The 4×4 micro-kernel: C[h×w tile at o] += Astrip(kc×4) · Bpanel(kc×4). */
function micro(
  ap: Float64Array,
  r: number,
  bp: Float64Array,
  q: number,
  kc: number,
  c: Float64Array,
  o: number,
  n: number,
  h: number,
  w: number,
): void {
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
  let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
  let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
  let c30 = 0, c31 = 0, c32 = 0, c33 = 0;
  for (let p = 0; p < kc; p++) {
    const b0 = bp[q], b1 = bp[q + 1], b2 = bp[q + 2], b3 = bp[q + 3];
    const a0 = ap[r], a1 = ap[r + 1], a2 = ap[r + 2], a3 = ap[r + 3];
    c00 += a0 * b0;
    c01 += a0 * b1;
    c02 += a0 * b2;
    c03 += a0 * b3;
    c10 += a1 * b0;
    c11 += a1 * b1;
    c12 += a1 * b2;
    c13 += a1 * b3;
    c20 += a2 * b0;
    c21 += a2 * b1;
    c22 += a2 * b2;
    c23 += a2 * b3;
    c30 += a3 * b0;
    c31 += a3 * b1;
    c32 += a3 * b2;
    c33 += a3 * b3;
    q += NR;
    r += MR;
  }
  if (h === MR && w === NR) {
    c[o] += c00;
    c[o + 1] += c01;
    c[o + 2] += c02;
    c[o + 3] += c03;
    o += n;
    c[o] += c10;
    c[o + 1] += c11;
    c[o + 2] += c12;
    c[o + 3] += c13;
    o += n;
    c[o] += c20;
    c[o + 1] += c21;
    c[o + 2] += c22;
    c[o + 3] += c23;
    o += n;
    c[o] += c30;
    c[o + 1] += c31;
    c[o + 2] += c32;
    c[o + 3] += c33;
    return;
  }
  // Edge tile: only h rows and w columns are real.
  edge[0] = c00;
  edge[1] = c01;
  edge[2] = c02;
  edge[3] = c03;
  edge[4] = c10;
  edge[5] = c11;
  edge[6] = c12;
  edge[7] = c13;
  edge[8] = c20;
  edge[9] = c21;
  edge[10] = c22;
  edge[11] = c23;
  edge[12] = c30;
  edge[13] = c31;
  edge[14] = c32;
  edge[15] = c33;
  for (let i = 0; i < h; i++) {
    for (let j = 0; j < w; j++) c[o + i * n + j] += edge[i * NR + j];
  }
}

/** int32 product with wrapping: i-k-j over four rows of C at a time, `Math.imul` and `| 0`. */
function matmulInt32(
  a: TypedArray,
  aOff: number,
  b: TypedArray,
  bOff: number,
  c: TypedArray,
  cOff: number,
  m: number,
  k: number,
  n: number,
): void {
  c.fill(0, cOff, cOff + m * n);
  let i = 0;
  for (; i + 4 <= m; i += 4) {
    const c0 = cOff + i * n, c1 = c0 + n, c2 = c1 + n, c3 = c2 + n;
    const a0i = aOff + i * k, a1i = a0i + k, a2i = a1i + k, a3i = a2i + k;
    for (let p = 0; p < k; p++) {
      const a0 = a[a0i + p], a1 = a[a1i + p], a2 = a[a2i + p], a3 = a[a3i + p];
      const bp = bOff + p * n;
      for (let j = 0; j < n; j++) {
        const bv = b[bp + j];
        c[c0 + j] = (c[c0 + j] + Math.imul(a0, bv)) | 0;
        c[c1 + j] = (c[c1 + j] + Math.imul(a1, bv)) | 0;
        c[c2 + j] = (c[c2 + j] + Math.imul(a2, bv)) | 0;
        c[c3 + j] = (c[c3 + j] + Math.imul(a3, bv)) | 0;
      }
    }
  }
  for (; i < m; i++) {
    const ci = cOff + i * n;
    const ai = aOff + i * k;
    for (let p = 0; p < k; p++) {
      const av = a[ai + p];
      const bp = bOff + p * n;
      for (let j = 0; j < n; j++) c[ci + j] = (c[ci + j] + Math.imul(av, b[bp + j])) | 0;
    }
  }
}
