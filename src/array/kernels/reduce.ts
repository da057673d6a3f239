/**
 * Reduction kernels (`sum`, `prod`, `max`, `min`, `argmax`, `argmin`) and
 * cumulative sum, written as raw loops over typed arrays.
 *
 * Summation order follows NumPy so float64 results agree bit for bit in the
 * common layouts: a reduction over a contiguous trailing block is a pairwise
 * sum (8 accumulators, blocks of 128), a reduction over leading or middle axes
 * accumulates whole rows in order. Other axis sets are first gathered into
 * "kept axes, then reduced axes" order and reduced as a trailing block.
 * `int32` sums and products wrap; `max`/`min` propagate NaN.
 *
 * As in `elementwise.ts`, hot loops have a separate copy for `Float64Array`
 * storage: V8 keeps type feedback per loop site, and a site shared by several
 * typed-array kinds runs 2–3x slower.
 *
 * @module
 */

import type { TypedArray } from "../dtype.ts";
import type { Shape } from "../shape.ts";

/** Names of the reduction kernels. */
export type ReduceOp = "sum" | "prod" | "max" | "min" | "argmax" | "argmin";

/**
 * The summation helpers of the reduce loops, for code generated from
 * programs (`compile/fuse.ts`) so that its summation order cannot drift
 * from the kernels': NumPy's pairwise sum of `x[off .. off+n)`, float64
 * storage and any other.
 */
export const reduceHelpers: {
  readonly pairwiseSum64: (x: Float64Array, off: number, n: number) => number;
  readonly pairwiseSum: (x: TypedArray, off: number, n: number) => number;
} = {
  pairwiseSum64: (x, off, n) => pairwiseSum64(x, off, n),
  pairwiseSum: (x, off, n) => pairwiseSum(x, off, n),
};

/** Pairwise-sum leaf size, as in NumPy. */
const PW_BLOCKSIZE = 128;

function emptyReduction(op: ReduceOp): RangeError {
  return new RangeError(`Cannot reduce an empty axis with ${op}: the operation has no identity`);
}

/**
 * Reduces `x` over `axes` into `out`.
 *
 * `sum`/`prod` of an empty axis give 0/1; `max`/`min`/`argmax`/`argmin` of an
 * empty axis throw a `RangeError`. `max`/`min` propagate NaN; `argmax`/`argmin`
 * return the first occurrence, and the first NaN counts as the extremum. Bool
 * input (`Uint8Array`) reduces as 0/1. Sums and products wrap when `out` is an
 * `Int32Array`.
 *
 * @param op The reduction.
 * @param x Input storage of shape `shape`.
 * @param shape Shape of `x`.
 * @param axes Axes to reduce: sorted, distinct and valid; empty copies `x`.
 *   `argmax`/`argmin` take exactly one axis.
 * @param out Preallocated output whose shape is `shape` without `axes`
 *   (an `Int32Array` for `argmax`/`argmin`).
 * @returns Nothing; `out` is filled in place.
 */
export function reduceKernel(
  op: ReduceOp,
  x: TypedArray,
  shape: Shape,
  axes: readonly number[],
  out: TypedArray,
): void {
  if (op === "argmax" || op === "argmin") {
    if (axes.length !== 1) {
      throw new RangeError(
        `Cannot reduce with ${op} over ${axes.length} axes: expected exactly one`,
      );
    }
    argReduce(op === "argmax", x, shape, axes[0], out);
    return;
  }
  let m = 1;
  for (const ax of axes) m *= shape[ax];
  if (m === 0) {
    if (op === "sum") out.fill(0);
    else if (op === "prod") out.fill(1);
    else throw emptyReduction(op);
    return;
  }
  if (out.length === 0) return;
  if (m === 1) {
    // Nothing to combine. NumPy still adds a sum's identity 0 (so -0 becomes 0); x + -0 is x.
    const identity = op === "sum" ? 0 : -0;
    for (let i = 0; i < out.length; i++) out[i] = x[i] + identity;
    return;
  }
  // Integer outputs (any width: stores wrap) accumulate in wrapping int32 arithmetic.
  const intMode = !(out instanceof Float64Array || out instanceof Float32Array);

  // Coalesce: drop size-1 dims, merge neighbours of the same kind (kept/reduced).
  const sizes: number[] = [];
  const reduced: boolean[] = [];
  for (let i = 0, j = 0; i < shape.length; i++) {
    const isReduced = j < axes.length && axes[j] === i;
    if (isReduced) j++;
    if (shape[i] === 1) continue;
    const last = sizes.length - 1;
    if (last >= 0 && reduced[last] === isReduced) sizes[last] *= shape[i];
    else {
      sizes.push(shape[i]);
      reduced.push(isReduced);
    }
  }
  const g = sizes.length;

  if (reduced[g - 1]) {
    if (g <= 2) {
      // Contiguous trailing block: [R] or [K, R].
      const rows = out.length;
      for (let r = 0, off = 0; r < rows; r++, off += m) out[r] = reduceRun(op, x, off, m, intMode);
      return;
    }
  } else if (g <= 3 && reduced[g - 2] && (g === 2 || !reduced[0])) {
    // Leading or middle block: [R, K] or [K, R, K] — accumulate rows of length k.
    const k = sizes[g - 1];
    const blocks = g === 3 ? sizes[0] : 1;
    for (let blk = 0; blk < blocks; blk++) {
      accumulateRows(op, x, blk * m * k, m, k, out, blk * k, intMode);
    }
    return;
  }

  // General: gather into (kept..., reduced...) order, then reduce each output's block. A float
  // sum follows NumPy's order: sequential over runs of the innermost axes, pairwise within a run
  // when those innermost axes are reduced (so runs are 1 long when they are kept).
  const buf = gather(x, shape, axes);
  const run = reduced[g - 1] ? sizes[g - 1] : 1;
  const runSums = op === "sum" && !intMode && run < m;
  for (let r = 0, off = 0; r < out.length; r++, off += m) {
    out[r] = runSums ? sumRuns(buf, off, m, run) : reduceRun(op, buf, off, m, intMode);
  }
}

/** `0 + Σ pairwiseSum(run)` over the consecutive runs of length `run` in `x[off .. off+m)`. */
function sumRuns(x: Float64Array, off: number, m: number, run: number): number {
  let s = 0;
  const end = off + m;
  if (run === 1) {
    for (let i = off; i < end; i++) s += x[i];
  } else {
    for (let i = off; i < end; i += run) s += pairwiseSum64(x, i, run);
  }
  return s;
}

/** Reduces the contiguous run `x[off .. off+n)` (n ≥ 1) to one value. */
function reduceRun(op: ReduceOp, x: TypedArray, off: number, n: number, intMode: boolean): number {
  const end = off + n;
  const f64 = x instanceof Float64Array;
  switch (op) {
    case "sum": {
      if (!intMode) return 0 + (f64 ? pairwiseSum64(x, off, n) : pairwiseSum(x, off, n));
      let s = 0;
      for (let i = off; i < end; i++) s = (s + x[i]) | 0;
      return s;
    }
    case "prod": {
      let p = 1;
      if (intMode) {
        for (let i = off; i < end; i++) p = Math.imul(p, x[i]);
      } else if (f64) {
        for (let i = off; i < end; i++) p *= x[i];
      } else {
        for (let i = off; i < end; i++) p *= x[i];
      }
      return p;
    }
    // NumPy max/min: keep the accumulator if it wins or is NaN, else take the new value.
    case "max": {
      let v = x[off];
      if (f64) {
        for (let i = off + 1; i < end; i++) {
          const y = x[i];
          if (!(v > y || v !== v)) v = y;
        }
      } else {
        for (let i = off + 1; i < end; i++) {
          const y = x[i];
          if (!(v > y || v !== v)) v = y;
        }
      }
      return v;
    }
    case "min": {
      let v = x[off];
      if (f64) {
        for (let i = off + 1; i < end; i++) {
          const y = x[i];
          if (!(v < y || v !== v)) v = y;
        }
      } else {
        for (let i = off + 1; i < end; i++) {
          const y = x[i];
          if (!(v < y || v !== v)) v = y;
        }
      }
      return v;
    }
    default:
      throw new RangeError(`Unknown reduction ${op}`);
  }
}

/**
 * NumPy's pairwise summation of `x[off .. off+n)`: sequential below 8
 * elements, eight interleaved accumulators up to 128, halving (on a multiple
 * of 8) above. {@linkcode pairwiseSum64} is the same code kept as a separate
 * function so that float64 input gets its own (monomorphic) loop sites.
 */
function pairwiseSum(x: TypedArray, off: number, n: number): number {
  if (n < 8) {
    let res = -0;
    for (let i = off; i < off + n; i++) res += x[i];
    return res;
  }
  if (n <= PW_BLOCKSIZE) {
    let r0 = x[off], r1 = x[off + 1], r2 = x[off + 2], r3 = x[off + 3];
    let r4 = x[off + 4], r5 = x[off + 5], r6 = x[off + 6], r7 = x[off + 7];
    const blockEnd = off + n - (n % 8);
    let i = off + 8;
    for (; i < blockEnd; i += 8) {
      r0 += x[i];
      r1 += x[i + 1];
      r2 += x[i + 2];
      r3 += x[i + 3];
      r4 += x[i + 4];
      r5 += x[i + 5];
      r6 += x[i + 6];
      r7 += x[i + 7];
    }
    let res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7));
    for (; i < off + n; i++) res += x[i];
    return res;
  }
  let n2 = Math.floor(n / 2);
  n2 -= n2 % 8;
  return pairwiseSum(x, off, n2) + pairwiseSum(x, off + n2, n - n2);
}

/** {@linkcode pairwiseSum} for `Float64Array` storage (identical code, separate loop sites). */
function pairwiseSum64(x: Float64Array, off: number, n: number): number {
  if (n < 8) {
    let res = -0;
    for (let i = off; i < off + n; i++) res += x[i];
    return res;
  }
  if (n <= PW_BLOCKSIZE) {
    let r0 = x[off], r1 = x[off + 1], r2 = x[off + 2], r3 = x[off + 3];
    let r4 = x[off + 4], r5 = x[off + 5], r6 = x[off + 6], r7 = x[off + 7];
    const blockEnd = off + n - (n % 8);
    let i = off + 8;
    for (; i < blockEnd; i += 8) {
      r0 += x[i];
      r1 += x[i + 1];
      r2 += x[i + 2];
      r3 += x[i + 3];
      r4 += x[i + 4];
      r5 += x[i + 5];
      r6 += x[i + 6];
      r7 += x[i + 7];
    }
    let res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7));
    for (; i < off + n; i++) res += x[i];
    return res;
  }
  let n2 = Math.floor(n / 2);
  n2 -= n2 % 8;
  return pairwiseSum64(x, off, n2) + pairwiseSum64(x, off + n2, n - n2);
}

/**
 * Reduces `r` rows of length `k` starting at `x[base]` elementwise into
 * `out[outOff .. outOff+k)`, row by row (NumPy's order for non-trailing axes).
 * Accumulating in `out` itself rounds `float32` sums at every step as NumPy
 * does, and makes `int32` sums wrap on store.
 */
function accumulateRows(
  op: ReduceOp,
  x: TypedArray,
  base: number,
  r: number,
  k: number,
  out: TypedArray,
  outOff: number,
  intMode: boolean,
): void {
  const f64 = x instanceof Float64Array;
  // The first row initialises the accumulator (plus the identity 0 for sums, as in NumPy).
  if (op === "sum") {
    for (let j = 0; j < k; j++) out[outOff + j] = 0 + x[base + j];
  } else {
    for (let j = 0; j < k; j++) out[outOff + j] = x[base + j];
  }
  const outEnd = outOff + k;
  for (let row = 1; row < r; row++) {
    const start = base + row * k;
    switch (op) {
      case "sum":
        if (f64) {
          for (let o = outOff, i = start; o < outEnd; o++, i++) out[o] += x[i];
        } else {
          for (let o = outOff, i = start; o < outEnd; o++, i++) out[o] += x[i];
        }
        break;
      case "prod":
        if (intMode) {
          for (let o = outOff, i = start; o < outEnd; o++, i++) out[o] = Math.imul(out[o], x[i]);
        } else if (f64) {
          for (let o = outOff, i = start; o < outEnd; o++, i++) out[o] *= x[i];
        } else {
          for (let o = outOff, i = start; o < outEnd; o++, i++) out[o] *= x[i];
        }
        break;
      case "max":
        if (f64) {
          for (let o = outOff, i = start; o < outEnd; o++, i++) {
            const v = out[o];
            if (!(v > x[i] || v !== v)) out[o] = x[i];
          }
        } else {
          for (let o = outOff, i = start; o < outEnd; o++, i++) {
            const v = out[o];
            if (!(v > x[i] || v !== v)) out[o] = x[i];
          }
        }
        break;
      case "min":
        if (f64) {
          for (let o = outOff, i = start; o < outEnd; o++, i++) {
            const v = out[o];
            if (!(v < x[i] || v !== v)) out[o] = x[i];
          }
        } else {
          for (let o = outOff, i = start; o < outEnd; o++, i++) {
            const v = out[o];
            if (!(v < x[i] || v !== v)) out[o] = x[i];
          }
        }
        break;
      default:
        throw new RangeError(`Unknown reduction ${op}`);
    }
  }
}

/**
 * Copies `x` into a fresh `Float64Array` (which holds every dtype's values
 * exactly) with the kept axes first and the reduced `axes` last, each group in
 * its original order.
 */
function gather(x: TypedArray, shape: Shape, axes: readonly number[]): Float64Array {
  const nd = shape.length;
  const srcStrides = new globalThis.Array<number>(nd);
  for (let i = nd - 1, s = 1; i >= 0; i--) {
    srcStrides[i] = s;
    s *= shape[i];
  }
  const perm: number[] = [];
  for (let i = 0; i < nd; i++) if (!axes.includes(i)) perm.push(i);
  perm.push(...axes);
  const dims = perm.map((p) => shape[p]);
  const strides = perm.map((p) => srcStrides[p]);
  const buf = new Float64Array(x.length);
  const inner = dims[nd - 1];
  const innerStride = strides[nd - 1];
  const idx = new globalThis.Array<number>(nd).fill(0);
  let src = 0;
  for (let o = 0; o < buf.length;) {
    for (let end = o + inner, i = src; o < end; o++, i += innerStride) buf[o] = x[i];
    for (let d = nd - 2; d >= 0; d--) {
      src += strides[d];
      if (++idx[d] < dims[d]) break;
      src -= strides[d] * dims[d];
      idx[d] = 0;
    }
  }
  return buf;
}

/**
 * `argmax`/`argmin` over one axis: the first index of the extremum, a NaN
 * counting as the extremum (the first NaN wins, as in NumPy).
 */
function argReduce(
  isMax: boolean,
  x: TypedArray,
  shape: Shape,
  axis: number,
  out: TypedArray,
): void {
  const m = shape[axis];
  let outer = 1;
  for (let i = 0; i < axis; i++) outer *= shape[i];
  let inner = 1;
  for (let i = axis + 1; i < shape.length; i++) inner *= shape[i];
  if (m === 0) throw emptyReduction(isMax ? "argmax" : "argmin");
  if (outer * inner === 0) return;
  if (inner === 1) {
    for (let o = 0, base = 0; o < outer; o++, base += m) {
      out[o] = isMax ? argmaxRun(x, base, m) : argminRun(x, base, m);
    }
    return;
  }
  // Strided axis: sweep whole rows, tracking the best value per output element.
  const best = new Float64Array(inner);
  for (let o = 0; o < outer; o++) {
    const base = o * m * inner;
    const outOff = o * inner;
    for (let i = 0; i < inner; i++) {
      best[i] = x[base + i];
      out[outOff + i] = 0;
    }
    for (let j = 1; j < m; j++) {
      const row = base + j * inner;
      if (isMax) {
        for (let i = 0; i < inner; i++) {
          const b = best[i];
          const v = x[row + i];
          if (v > b || (v !== v && b === b)) {
            best[i] = v;
            out[outOff + i] = j;
          }
        }
      } else {
        for (let i = 0; i < inner; i++) {
          const b = best[i];
          const v = x[row + i];
          if (v < b || (v !== v && b === b)) {
            best[i] = v;
            out[outOff + i] = j;
          }
        }
      }
    }
  }
}

/** Index of the first maximum (or first NaN) of the contiguous run `x[off .. off+n)`. */
function argmaxRun(x: TypedArray, off: number, n: number): number {
  let best = x[off];
  if (best !== best) return 0;
  let at = 0;
  for (let j = 1; j < n; j++) {
    const v = x[off + j];
    if (v > best) {
      best = v;
      at = j;
    } else if (v !== v) return j;
  }
  return at;
}

/** Index of the first minimum (or first NaN) of the contiguous run `x[off .. off+n)`. */
function argminRun(x: TypedArray, off: number, n: number): number {
  let best = x[off];
  if (best !== best) return 0;
  let at = 0;
  for (let j = 1; j < n; j++) {
    const v = x[off + j];
    if (v < best) {
      best = v;
      at = j;
    } else if (v !== v) return j;
  }
  return at;
}

/**
 * Inclusive cumulative sum along `axis`: `out[..., j, ...] = Σ_{i ≤ j} x[..., i, ...]`
 * (with `reverse`, `Σ_{i ≥ j}`). Accumulates in `out`, so `int32` wraps and
 * `float32` rounds at every step, as in NumPy.
 *
 * @param x Input storage of shape `shape`.
 * @param shape Shape of `x` (and of `out`).
 * @param axis The axis to accumulate along (valid, non-negative).
 * @param reverse Accumulate from the end of the axis instead of the start.
 * @param out Preallocated output of the same size and storage type as `x`.
 * @returns Nothing; `out` is filled in place.
 */
export function cumsumKernel(
  x: TypedArray,
  shape: Shape,
  axis: number,
  reverse: boolean,
  out: TypedArray,
): void {
  const m = shape[axis];
  let outer = 1;
  for (let i = 0; i < axis; i++) outer *= shape[i];
  let inner = 1;
  for (let i = axis + 1; i < shape.length; i++) inner *= shape[i];
  if (m === 0 || outer * inner === 0) return;
  // Row j of a block starts at base + j*inner; step from the first row to the last.
  const first = reverse ? m - 1 : 0;
  const step = reverse ? -inner : inner;
  const f64 = x instanceof Float64Array;
  for (let o = 0; o < outer; o++) {
    let row = o * m * inner + first * inner;
    for (let i = row, end = row + inner; i < end; i++) out[i] = x[i];
    for (let j = 1; j < m; j++) {
      const prev = row;
      row += step;
      if (f64) {
        for (let i = 0; i < inner; i++) out[row + i] = out[prev + i] + x[row + i];
      } else {
        for (let i = 0; i < inner; i++) out[row + i] = out[prev + i] + x[row + i];
      }
    }
  }
}
