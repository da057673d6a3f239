/**
 * Raw kernels for structural ops: transpose, broadcast, slice, pad,
 * concatenate, rev, take and its transpose scatter-add.
 *
 * Every kernel reads contiguous row-major buffers and writes a preallocated
 * contiguous `out` of the right size and storage type; shapes are validated by
 * the caller. Most kernels are one strided copy ({@linkcode stridedCopy}): the
 * op only decides the strides and offsets on each side. Inner loops are plain
 * indexed loops over typed arrays, with no per-element allocation or closure.
 *
 * @module
 */

import type { TypedArray } from "../dtype.ts";
import { type Shape, stridesOf } from "../shape.ts";

/** Below this many elements a contiguous run is copied by a loop, above it by `set`. */
const SET_THRESHOLD = 64;

/** Tile edge for blocked transposes (a 32x32 float64 tile is 8 KiB per side). */
const TILE = 32;

/**
 * Transposed planes up to this many elements use the plain loop (contiguous
 * writes, strided reads): measured faster than tiling up to 1000x1000 float64,
 * while tiling wins about 1.5-2x from 1200x1200 up.
 */
const TILE_MIN_ELEMENTS = 1 << 20;

/** Copies `n` contiguous elements `x[p..p+n)` to `out[o..o+n)`. */
function copyRun(x: TypedArray, p: number, out: TypedArray, o: number, n: number): void {
  if (n >= SET_THRESHOLD) {
    out.set(x.subarray(p, p + n), o);
  } else {
    for (let j = 0; j < n; j++) out[o + j] = x[p + j];
  }
}

/**
 * The general strided copy: for every index `i` of `shape`,
 * `out[outOffset + i·outStrides] = x[xOffset + i·xStrides]`.
 *
 * Size-1 dimensions are dropped and adjacent dimensions that are contiguous on
 * both sides are merged first, so a copy that is contiguous overall becomes a
 * single `set`, and a broadcast becomes runs of `fill`. Strides may be zero
 * (broadcast) or negative (rev).
 */
function stridedCopy(
  x: TypedArray,
  xOffset: number,
  xStrides: readonly number[],
  shape: Shape,
  out: TypedArray,
  outOffset: number,
  outStrides: readonly number[],
): void {
  // Simplify: drop size-1 dims, merge mergeable neighbours.
  const dims: number[] = [];
  const xs: number[] = [];
  const os: number[] = [];
  for (let d = 0; d < shape.length; d++) {
    const n = shape[d];
    if (n === 0) return;
    if (n === 1) continue;
    const r = dims.length;
    if (
      r > 0 && xs[r - 1] === xStrides[d] * n && os[r - 1] === outStrides[d] * n
    ) {
      dims[r - 1] *= n;
      xs[r - 1] = xStrides[d];
      os[r - 1] = outStrides[d];
    } else {
      dims.push(n);
      xs.push(xStrides[d]);
      os.push(outStrides[d]);
    }
  }
  const rank = dims.length;
  if (rank === 0) {
    out[outOffset] = x[xOffset];
    return;
  }
  const n = dims[rank - 1];
  const xStep = xs[rank - 1];
  const oStep = os[rank - 1];
  const outer = rank - 1;
  const idx = new globalThis.Array<number>(outer).fill(0);
  let p = xOffset;
  let o = outOffset;
  for (;;) {
    // Inner run.
    if (oStep === 1 && xStep === 1) {
      copyRun(x, p, out, o, n);
    } else if (oStep === 1 && xStep === 0) {
      out.fill(x[p], o, o + n);
    } else if (oStep === 1) {
      let pp = p;
      const end = o + n;
      for (let oo = o; oo < end; oo++) {
        out[oo] = x[pp];
        pp += xStep;
      }
    } else {
      let pp = p;
      let oo = o;
      for (let j = 0; j < n; j++) {
        out[oo] = x[pp];
        pp += xStep;
        oo += oStep;
      }
    }
    // Odometer over the outer dims.
    let d = outer - 1;
    while (d >= 0) {
      p += xs[d];
      o += os[d];
      if (++idx[d] < dims[d]) break;
      p -= xs[d] * dims[d];
      o -= os[d] * dims[d];
      idx[d] = 0;
      d--;
    }
    if (d < 0) return;
  }
}

/**
 * Transposes: `out` has shape `perm.map((p) => shape[p])` and
 * `out[i_0, …, i_{r-1}] = x[j]` where `j_{perm[a]} = i_a`.
 *
 * When the innermost output axis is not the innermost input axis (a real
 * transpose, not a batch of row copies) and the plane is large, the two axes
 * that are contiguous on one side each are walked in `TILE`×`TILE` blocks, so
 * both reads and writes stay in cache. Smaller planes use one strided loop
 * with contiguous writes.
 */
export function transposeKernel(
  x: TypedArray,
  shape: Shape,
  perm: readonly number[],
  out: TypedArray,
): void {
  const rank = shape.length;
  const xStridesIn = stridesOf(shape);
  // Merge output axes that are consecutive in the input too; drop size-1 axes.
  const dims: number[] = [];
  const xs: number[] = [];
  for (let a = 0; a < rank; a++) {
    const n = shape[perm[a]];
    if (n === 0) return;
    if (n === 1) continue;
    const s = xStridesIn[perm[a]];
    const r = dims.length;
    if (r > 0 && xs[r - 1] === s * n) {
      dims[r - 1] *= n;
      xs[r - 1] = s;
    } else {
      dims.push(n);
      xs.push(s);
    }
  }
  const r = dims.length;
  const os = stridesOf(dims);
  // Find the output axis that is innermost in the input (x stride 1).
  let q = -1;
  for (let a = 0; a < r - 1; a++) if (xs[a] === 1) q = a;
  if (q < 0 || dims[q] * dims[r - 1] <= TILE_MIN_ELEMENTS) {
    stridedCopy(x, 0, xs, dims, out, 0, os);
    return;
  }
  // Blocked path over axes q (x-contiguous) and r-1 (out-contiguous).
  const Q = dims[q];
  const N = dims[r - 1];
  const osQ = os[q];
  const xsN = xs[r - 1];
  // Odometer over every other axis.
  const restDims: number[] = [];
  const restXs: number[] = [];
  const restOs: number[] = [];
  for (let a = 0; a < r - 1; a++) {
    if (a === q) continue;
    restDims.push(dims[a]);
    restXs.push(xs[a]);
    restOs.push(os[a]);
  }
  const outer = restDims.length;
  const idx = new globalThis.Array<number>(outer).fill(0);
  let xBase = 0;
  let oBase = 0;
  for (;;) {
    for (let i0 = 0; i0 < Q; i0 += TILE) {
      const i1 = i0 + TILE < Q ? i0 + TILE : Q;
      for (let j0 = 0; j0 < N; j0 += TILE) {
        const j1 = j0 + TILE < N ? j0 + TILE : N;
        for (let i = i0; i < i1; i++) {
          let o = oBase + i * osQ + j0;
          let p = xBase + i + j0 * xsN;
          for (let j = j0; j < j1; j++) {
            out[o++] = x[p];
            p += xsN;
          }
        }
      }
    }
    let d = outer - 1;
    while (d >= 0) {
      xBase += restXs[d];
      oBase += restOs[d];
      if (++idx[d] < restDims[d]) break;
      xBase -= restXs[d] * restDims[d];
      oBase -= restOs[d] * restDims[d];
      idx[d] = 0;
      d--;
    }
    if (d < 0) return;
  }
}

/**
 * NumPy broadcast (right-aligned) of `x` from `shape` to `outShape`; the
 * caller has checked that every dimension of `shape` is 1 or equal to the
 * matching one of `outShape`.
 */
export function broadcastKernel(
  x: TypedArray,
  shape: Shape,
  outShape: Shape,
  out: TypedArray,
): void {
  const rank = outShape.length;
  const lead = rank - shape.length;
  const inStrides = stridesOf(shape);
  const xStrides = new globalThis.Array<number>(rank).fill(0);
  for (let d = 0; d < shape.length; d++) {
    xStrides[lead + d] = shape[d] === 1 ? 0 : inStrides[d];
  }
  stridedCopy(x, 0, xStrides, outShape, out, 0, stridesOf(outShape));
}

/**
 * Strided slice: along each axis `d`, takes `start[d], start[d] + stride[d], …`
 * below `limit[d]`. Requires `stride >= 1` and `0 <= start <= limit <= dim`;
 * the output dimension is `ceil((limit - start) / stride)`.
 */
export function sliceKernel(
  x: TypedArray,
  shape: Shape,
  starts: readonly number[],
  limits: readonly number[],
  strides: readonly number[],
  out: TypedArray,
): void {
  const rank = shape.length;
  const inStrides = stridesOf(shape);
  const outShape = new globalThis.Array<number>(rank);
  const xStrides = new globalThis.Array<number>(rank);
  let offset = 0;
  for (let d = 0; d < rank; d++) {
    outShape[d] = Math.max(0, Math.ceil((limits[d] - starts[d]) / strides[d]));
    xStrides[d] = inStrides[d] * strides[d];
    offset += starts[d] * inStrides[d];
  }
  stridedCopy(x, offset, xStrides, outShape, out, 0, stridesOf(outShape));
}

/**
 * Zero padding, the transpose of slice: input element `i` of axis `d` lands at
 * `lo[d] + i·(interior[d] + 1)`; the output dimension is
 * `lo + hi + dim + max(dim - 1, 0)·interior`. `out` must be zero-filled (a
 * fresh allocation). Negative `lo`/`hi` (cropping, as in `lax.pad`) are also
 * accepted as long as every output dimension is non-negative.
 */
export function padKernel(
  x: TypedArray,
  shape: Shape,
  lo: readonly number[],
  hi: readonly number[],
  interior: readonly number[],
  out: TypedArray,
): void {
  const rank = shape.length;
  const outShape = new globalThis.Array<number>(rank);
  for (let d = 0; d < rank; d++) {
    const n = shape[d];
    outShape[d] = lo[d] + hi[d] + n + Math.max(n - 1, 0) * interior[d];
  }
  const inStrides = stridesOf(shape);
  const outStridesIn = stridesOf(outShape);
  const counts = new globalThis.Array<number>(rank);
  const outStrides = new globalThis.Array<number>(rank);
  let xOffset = 0;
  let outOffset = 0;
  for (let d = 0; d < rank; d++) {
    const step = interior[d] + 1;
    // Input indices i with 0 <= lo + i·step < outDim.
    const first = lo[d] >= 0 ? 0 : Math.ceil(-lo[d] / step);
    const lastPos = outShape[d] - 1 - lo[d];
    const end = lastPos < 0 ? 0 : Math.min(shape[d], Math.floor(lastPos / step) + 1);
    counts[d] = Math.max(0, end - first);
    xOffset += first * inStrides[d];
    outOffset += (lo[d] + first * step) * outStridesIn[d];
    outStrides[d] = outStridesIn[d] * step;
  }
  stridedCopy(x, xOffset, inStrides, counts, out, outOffset, outStrides);
}

/** Concatenates `xs` along `axis`; their shapes agree except on `axis`. */
export function concatenateKernel(
  xs: readonly TypedArray[],
  shapes: readonly Shape[],
  axis: number,
  out: TypedArray,
): void {
  if (xs.length === 0) return;
  const shape0 = shapes[0];
  let outer = 1;
  for (let d = 0; d < axis; d++) outer *= shape0[d];
  let inner = 1;
  for (let d = axis + 1; d < shape0.length; d++) inner *= shape0[d];
  let total = 0;
  for (const s of shapes) total += s[axis];
  const rowLen = total * inner;
  let offset = 0;
  for (let t = 0; t < xs.length; t++) {
    const x = xs[t];
    const chunk = shapes[t][axis] * inner;
    if (chunk > 0) {
      for (let o = 0; o < outer; o++) copyRun(x, o * chunk, out, o * rowLen + offset, chunk);
    }
    offset += chunk;
  }
}

/** Reverses `x` along each of `axes` (distinct, non-negative). */
export function revKernel(
  x: TypedArray,
  shape: Shape,
  axes: readonly number[],
  out: TypedArray,
): void {
  const xStrides = stridesOf(shape);
  let offset = 0;
  for (const a of axes) {
    if (shape[a] === 0) return;
    offset += (shape[a] - 1) * xStrides[a];
    xStrides[a] = -xStrides[a];
  }
  stridedCopy(x, offset, xStrides, shape, out, 0, stridesOf(shape));
}

/**
 * Gathers along `axis`: `out[…, t, …] = x[…, indices[t], …]`, with out shape
 * `shape[:axis] ++ [indices.length] ++ shape[axis+1:]`. An index outside the
 * axis reads the nearest element, or 0 with `zeroOutside` (`out` is zeroed by
 * the caller).
 */
export function takeKernel(
  x: TypedArray,
  shape: Shape,
  indices: Int32Array,
  axis: number,
  out: TypedArray,
  zeroOutside = false,
): void {
  let outer = 1;
  for (let d = 0; d < axis; d++) outer *= shape[d];
  const n = shape[axis];
  let inner = 1;
  for (let d = axis + 1; d < shape.length; d++) inner *= shape[d];
  const T = indices.length;
  if (inner === 0 || T === 0 || n === 0) return;
  const last = n - 1;
  let o = 0;
  if (inner === 1) {
    for (let b = 0; b < outer; b++) {
      const base = b * n;
      for (let t = 0; t < T; t++) {
        const i = indices[t];
        if (zeroOutside && (i < 0 || i > last)) o++; // out stays 0
        else out[o++] = x[base + (i < 0 ? 0 : i > last ? last : i)];
      }
    }
    return;
  }
  for (let b = 0; b < outer; b++) {
    const base = b * n;
    for (let t = 0; t < T; t++) {
      const i = indices[t];
      if (!zeroOutside || (i >= 0 && i <= last)) {
        copyRun(x, (base + (i < 0 ? 0 : i > last ? last : i)) * inner, out, o, inner);
      }
      o += inner;
    }
  }
}

/**
 * The transpose of {@linkcode takeKernel}: `out[…, indices[t], …] += updates[…, t, …]`.
 * `out` has shape `outShape` and is zero-filled by the caller; `updates` has
 * shape `outShape[:axis] ++ [indices.length] ++ outShape[axis+1:]`. Repeated
 * indices accumulate (in the storage type: int32 wraps, float32 rounds each add).
 */
export function scatterAddKernel(
  updates: TypedArray,
  outShape: Shape,
  indices: Int32Array,
  axis: number,
  out: TypedArray,
): void {
  let outer = 1;
  for (let d = 0; d < axis; d++) outer *= outShape[d];
  const n = outShape[axis];
  let inner = 1;
  for (let d = axis + 1; d < outShape.length; d++) inner *= outShape[d];
  const T = indices.length;
  let u = 0;
  for (let b = 0; b < outer; b++) {
    const base = b * n;
    for (let t = 0; t < T; t++) {
      const i = indices[t];
      if (i < 0 || i >= n) {
        u += inner; // out of bounds: dropped
        continue;
      }
      let o = (base + i) * inner;
      for (let k = 0; k < inner; k++) out[o++] += updates[u++];
    }
  }
}
