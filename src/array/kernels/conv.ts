/**
 * Convolution and windowed-reduction kernels.
 *
 * Both families share one idea: for each spatial axis, a table maps (output
 * position, window position) to the input index it reads, or -1 where the
 * window sits on padding or between the elements of a dilated input. With
 * `pos = o·stride + w·windowDilation − padLo`, the input index is
 * `pos / baseDilation` when that is an integer in range. Negative padding
 * (which transposes produce) needs no special case: it only shifts `pos`.
 * The per-axis tables are combined into one table over (window, output)
 * offsets of the flattened spatial block, built once per call.
 *
 * The convolution is im2col + the matmul kernel: for each output sample and
 * feature group, the input patches are gathered into a `(I·K) × P` matrix
 * (K window positions, P output positions) and multiplied by the group's
 * `O_g × (I·K)` kernel matrix, writing the `O_g × P` block of the output in
 * place. Layouts are canonical (`lhs` [N, C, ...spatial], `rhs` [O, I,
 * ...window], `out` [N / batchGroups, O, ...outSpatial]); the primitive
 * transposes other dimension numbers to these.
 *
 * @module
 */

import type { TypedArray } from "../dtype.ts";
import type { Shape } from "../shape.ts";
import { matmulKernel } from "./matmul.ts";

/** Geometry of a windowed map over some axes: what each axis reads. */
export interface WindowGeometry {
  /** Extents of the input axes. */
  readonly inShape: Shape;
  /** Extents of the output axes. */
  readonly outShape: Shape;
  /** Window extents. */
  readonly window: Shape;
  /** Window strides. */
  readonly strides: readonly number[];
  /** Padding before each axis (may be negative). */
  readonly padLo: readonly number[];
  /** Input (base, lhs) dilation. */
  readonly baseDilation: readonly number[];
  /** Window (rhs) dilation. */
  readonly windowDilation: readonly number[];
}

/**
 * Combines per-axis tables (`axes[d][o·kd + w]`: the input index along axis
 * d, or -1) into the table over flattened (window, output) positions: entry
 * `w·P + p` is the flat offset (row-major in `inShape`), or -1.
 */
function combineAxes(
  axes: readonly Int32Array[],
  ks: readonly number[],
  ps: readonly number[],
  inShape: Shape,
): Int32Array {
  let table = new Int32Array([0]);
  let kPrev = 1, pPrev = 1;
  for (let d = 0; d < axes.length; d++) {
    const n = inShape[d], kd = ks[d], pd = ps[d], axis = axes[d];
    const kNew = kPrev * kd, pNew = pPrev * pd;
    const next = new Int32Array(kNew * pNew);
    for (let k0 = 0; k0 < kPrev; k0++) {
      for (let w = 0; w < kd; w++) {
        const row = (k0 * kd + w) * pNew;
        for (let p0 = 0; p0 < pPrev; p0++) {
          const t = table[k0 * pPrev + p0];
          const base = row + p0 * pd;
          if (t < 0) {
            next.fill(-1, base, base + pd);
            continue;
          }
          for (let o = 0; o < pd; o++) {
            const a = axis[o * kd + w];
            next[base + o] = a < 0 ? -1 : t * n + a;
          }
        }
      }
    }
    table = next;
    kPrev = kNew;
    pPrev = pNew;
  }
  return table;
}

/** The input index along axis `d` that window position `w` of output `o` reads, or -1. */
function axisIndex(g: WindowGeometry, d: number, o: number, w: number): number {
  const pos = o * g.strides[d] + w * g.windowDilation[d] - g.padLo[d];
  const bd = g.baseDilation[d];
  const i = pos / bd;
  return pos >= 0 && pos % bd === 0 && i < g.inShape[d] ? i : -1;
}

/**
 * The offset table of a window geometry: entry `w·P + p` is the flat offset
 * (row-major in `inShape`) that window position `w` of output position `p`
 * reads, or -1 for padding and dilation holes.
 */
export function windowOffsets(g: WindowGeometry): Int32Array {
  const axes = g.inShape.map((_, d) => {
    const kd = g.window[d], pd = g.outShape[d];
    const axis = new Int32Array(pd * kd);
    for (let o = 0; o < pd; o++) {
      for (let w = 0; w < kd; w++) axis[o * kd + w] = axisIndex(g, d, o, w);
    }
    return axis;
  });
  return combineAxes(axes, g.window, g.outShape, g.inShape);
}

/** Geometry of a convolution in canonical layout. */
export interface ConvGeometry {
  /** Input batch N. */
  readonly n: number;
  /** Input features C. */
  readonly c: number;
  /** Kernel output features O. */
  readonly o: number;
  /** Kernel input features I = C / featureGroups. */
  readonly i: number;
  /** Spatial window geometry (window = kernel spatial extents). */
  readonly spatial: WindowGeometry;
  /** Feature groups. */
  readonly featureGroups: number;
  /** Batch groups. */
  readonly batchGroups: number;
}

/**
 * `out = conv(lhs, rhs)` in canonical layouts (see the module doc).
 *
 * With a dilated input (the transposed convolutions that input gradients of
 * strided convolutions are), most window positions of each output fall into
 * holes, and which ones depends only on the output's phase (its position
 * modulo the dilation). The outputs are then computed phase by phase, each
 * with only the window positions that can reach an element (the sub-pixel
 * decomposition): no multiply-adds with the holes' zeros.
 */
export function convKernel(
  lhs: TypedArray,
  rhs: TypedArray,
  out: TypedArray,
  g: ConvGeometry,
): void {
  const sp = g.spatial;
  const K = prod(sp.window), P = prod(sp.outShape);
  if (out.length === 0) return;
  if (g.i * K === 0 || P === 0) {
    out.fill(0);
    return;
  }
  if (sp.baseDilation.every((d) => d === 1)) {
    convPart(lhs, rhs, out, g, windowOffsets(sp), null, K, P);
    return;
  }
  out.fill(0);
  const nd = sp.inShape.length;
  const phases = sp.baseDilation.map((b, d) => Math.min(b, sp.outShape[d]));
  const phase = new Array<number>(nd).fill(0);
  for (let count = prod(phases), c = 0; c < count; c++) {
    let rest = c;
    for (let d = nd - 1; d >= 0; d--) {
      phase[d] = rest % phases[d];
      rest = Math.floor(rest / phases[d]);
    }
    // Per axis: the outputs of this phase and the window positions that land on elements.
    const outs: number[][] = [], wins: number[][] = [];
    for (let d = 0; d < nd; d++) {
      const b = sp.baseDilation[d], o: number[] = [], w: number[] = [];
      for (let x = phase[d]; x < sp.outShape[d]; x += b) o.push(x);
      for (let k = 0; k < sp.window[d]; k++) {
        const pos = phase[d] * sp.strides[d] + k * sp.windowDilation[d] - sp.padLo[d];
        if (((pos % b) + b) % b === 0) w.push(k);
      }
      outs.push(o);
      wins.push(w);
    }
    const Kp = prod(wins.map((w) => w.length)), Pp = prod(outs.map((o) => o.length));
    if (Kp * Pp === 0) continue;
    const axes = outs.map((o, d) => {
      const w = wins[d], axis = new Int32Array(o.length * w.length);
      for (let i = 0; i < o.length; i++) {
        for (let j = 0; j < w.length; j++) axis[i * w.length + j] = axisIndex(sp, d, o[i], w[j]);
      }
      return axis;
    });
    const table = combineAxes(
      axes,
      wins.map((w) => w.length),
      outs.map((o) => o.length),
      sp.inShape,
    );
    const outIndex = flatIndices(outs, sp.outShape);
    const kIndex = flatIndices(wins, sp.window);
    // The kernel restricted to those window positions: [O, I·Kp].
    const w = new (rhs.constructor as new (n: number) => TypedArray)(g.o * g.i * Kp);
    for (let r = 0; r < g.o * g.i; r++) {
      for (let k = 0; k < Kp; k++) w[r * Kp + k] = rhs[r * K + kIndex[k]];
    }
    convPart(lhs, w, out, g, table, outIndex, Kp, Pp);
  }
}

/** Row-major flat indices (in `shape`) of the grid of per-axis coordinate lists. */
function flatIndices(lists: readonly number[][], shape: Shape): Int32Array {
  let idx = new Int32Array([0]);
  for (let d = 0; d < lists.length; d++) {
    const l = lists[d], next = new Int32Array(idx.length * l.length);
    for (let i = 0; i < idx.length; i++) {
      for (let j = 0; j < l.length; j++) next[i * l.length + j] = idx[i] * shape[d] + l[j];
    }
    idx = next;
  }
  return idx;
}

/**
 * The convolution at `P` output positions (`outIndex`, or all of them in
 * order when `null`) over `K` window positions: `table` is their
 * (window, output) offset table, `rhs` the kernel as [O, I·K].
 */
function convPart(
  lhs: TypedArray,
  rhs: TypedArray,
  out: TypedArray,
  g: ConvGeometry,
  table: Int32Array,
  outIndex: Int32Array | null,
  K: number,
  P: number,
): void {
  const S = prod(g.spatial.inShape), Pfull = prod(g.spatial.outShape);
  const groups = g.featureGroups * g.batchGroups;
  const og = g.o / groups;
  const nOut = g.n / g.batchGroups;
  const ik = g.i * K;
  if (og < DIRECT_MAX_OUT && !(out instanceof Int32Array)) {
    convDirect(lhs, rhs, out, g, table, outIndex, K, P);
    return;
  }
  // Samples are gathered side by side (columns nb·P + p), CHUNK_ELEMENTS of patches at a
  // time, so each group's matmul is one wide product even when P is small.
  const chunk = Math.max(1, Math.min(nOut, Math.floor(CHUNK_ELEMENTS / (ik * P))));
  const col = scratch(out, 0, ik * chunk * P);
  const tmp = scratch(out, 1, og * chunk * P);
  const direct = outIndex === null;
  for (let n0 = 0; n0 < nOut; n0 += chunk) {
    const nc = Math.min(chunk, nOut - n0), width = nc * P;
    for (let gi = 0; gi < groups; gi++) {
      const cBase = g.featureGroups > 1 ? gi * g.i : 0;
      for (let j = 0; j < nc; j++) {
        const nb = n0 + j;
        const sample = g.batchGroups > 1 ? gi * nOut + nb : nb;
        gatherPatches(lhs, (sample * g.c + cBase) * S, S, col, j * P, width, table, g.i, K, P);
      }
      const w = rhs.subarray(gi * og * ik, (gi + 1) * og * ik);
      const inPlace = direct && nc === 1;
      const prodBuf = inPlace ? out.subarray((n0 * g.o + gi * og) * P) : tmp;
      matmulKernel(
        w,
        col.subarray(0, ik * width),
        prodBuf.subarray(0, og * width),
        1,
        og,
        ik,
        width,
      );
      if (inPlace) continue;
      // tmp is [og, nc, P]; output position p of sample n0 + j, feature gi·og + o.
      for (let o = 0; o < og; o++) {
        for (let j = 0; j < nc; j++) {
          const from = (o * nc + j) * P, to = ((n0 + j) * g.o + gi * og + o) * Pfull;
          if (direct) { for (let p = 0; p < P; p++) out[to + p] = tmp[from + p]; }
          else for (let p = 0; p < P; p++) out[to + outIndex![p]] = tmp[from + p];
        }
      }
    }
  }
}

/**
 * Below this many output features per group, the convolution accumulates
 * directly through the offset table instead of building the im2col matrix:
 * a matmul with fewer rows than its 4-row micro-kernel costs as much as one
 * with 4 (measured: 1×200×784 and 8×200×784 take the same time), so gathering
 * `I·K·P` patches costs more than the multiply-adds themselves (measured on
 * the input gradient of a 1 → 8 channel 5×5 convolution of 8 images 28×28:
 * the direct loop 3× faster than im2col).
 */
const DIRECT_MAX_OUT = 4;

/** Patch-matrix elements gathered per matmul (16 MiB of float64). */
const CHUNK_ELEMENTS = 1 << 21;

/**
 * Scratch buffers (patch matrix, product) kept between calls, by storage
 * type: writing a fresh multi-megabyte buffer costs a page fault per 4 KiB
 * page on first touch (measured: gathering into a new 4.7 MB Float64Array took
 * 8 ms, into a reused one 1 ms).
 */
const scratchBuffers = new Map<string, TypedArray[]>();

function scratch(like: TypedArray, slot: 0 | 1, size: number): TypedArray {
  const key = like.constructor.name;
  let bufs = scratchBuffers.get(key);
  if (bufs === undefined) scratchBuffers.set(key, bufs = []);
  const have = bufs[slot];
  if (have !== undefined && have.length >= size) return have;
  // A buffer of its own (never a view into the shared slab of small arrays).
  const n = Math.max(size, have?.length ?? 0);
  const buf = new (like.constructor as new (n: number) => TypedArray)(n);
  if (size <= CHUNK_ELEMENTS) bufs[slot] = buf;
  return buf;
}

/** The convolution as `out[o, p] += w[o, i, k] · x[i, table[k, p]]`, no patch matrix. */
function convDirect(
  lhs: TypedArray,
  rhs: TypedArray,
  out: TypedArray,
  g: ConvGeometry,
  table: Int32Array,
  outIndex: Int32Array | null,
  K: number,
  P: number,
): void {
  const S = prod(g.spatial.inShape), Pfull = prod(g.spatial.outShape);
  const groups = g.featureGroups * g.batchGroups;
  const og = g.o / groups;
  const nOut = g.n / g.batchGroups;
  const acc = new Float64Array(P);
  for (let nb = 0; nb < nOut; nb++) {
    for (let gi = 0; gi < groups; gi++) {
      const sample = g.batchGroups > 1 ? gi * nOut + nb : nb;
      const cBase = g.featureGroups > 1 ? gi * g.i : 0;
      for (let oi = 0; oi < og; oi++) {
        const o = gi * og + oi;
        acc.fill(0);
        for (let ci = 0; ci < g.i; ci++) {
          const src = (sample * g.c + cBase + ci) * S;
          const wBase = (o * g.i + ci) * K;
          for (let k = 0; k < K; k++) accumulate(acc, rhs[wBase + k], lhs, src, table, k * P, P);
        }
        const dst = (nb * g.o + o) * Pfull;
        if (outIndex === null) { for (let p = 0; p < P; p++) out[dst + p] = acc[p]; }
        else for (let p = 0; p < P; p++) out[dst + outIndex[p]] = acc[p];
      }
    }
  }
}

/** `acc[p] += w · x[src + table[t + p]]` where the table has an element. */
function accumulate(
  acc: Float64Array,
  w: number,
  x: TypedArray,
  src: number,
  table: Int32Array,
  t: number,
  P: number,
): void {
  for (let p = 0; p < P; p++) {
    const off = table[t + p];
    if (off >= 0) acc[p] += w * x[src + off];
  }
}

/**
 * Writes the patches of one sample into columns `at..at+P` of the patch
 * matrix (rows `ci·K + k`, row length `width`). Its own small function so
 * that the engine optimizes the loop on its own.
 */
function gatherPatches(
  x: TypedArray,
  src: number,
  S: number,
  col: TypedArray,
  at: number,
  width: number,
  table: Int32Array,
  channels: number,
  K: number,
  P: number,
): void {
  for (let ci = 0; ci < channels; ci++) {
    const base = src + ci * S;
    for (let k = 0; k < K; k++) {
      const row = (ci * K + k) * width + at, t = k * P;
      for (let p = 0; p < P; p++) {
        const off = table[t + p];
        col[row + p] = off < 0 ? 0 : x[base + off];
      }
    }
  }
}

/** A windowed reduction's monoid. */
export type WindowReduceOp = "sum" | "max" | "min";

function identityOf(op: WindowReduceOp, x: TypedArray): number {
  if (op === "sum") return 0;
  if (x instanceof Int32Array) return op === "max" ? -2147483648 : 2147483647;
  return op === "max" ? -Infinity : Infinity;
}

/**
 * Splits a geometry into leading axes the window does not touch (window 1,
 * stride 1, no padding or dilation: a plain loop over blocks) and the rest.
 */
function splitTrivial(g: WindowGeometry): [number, WindowGeometry] {
  let lead = 0;
  while (
    lead < g.inShape.length && g.window[lead] === 1 && g.strides[lead] === 1 &&
    g.padLo[lead] === 0 && g.baseDilation[lead] === 1 && g.inShape[lead] === g.outShape[lead]
  ) lead++;
  const outer = g.inShape.slice(0, lead).reduce((a, b) => a * b, 1);
  const cut = (xs: readonly number[]) => xs.slice(lead);
  return [outer, {
    inShape: cut(g.inShape),
    outShape: cut(g.outShape),
    window: cut(g.window),
    strides: cut(g.strides),
    padLo: cut(g.padLo),
    baseDilation: cut(g.baseDilation),
    windowDilation: cut(g.windowDilation),
  }];
}

const prod = (xs: Shape) => xs.reduce((a, b) => a * b, 1);

/** The offset table with each output position's window contiguous (`p·K + k`). */
function windowsByOutput(g: WindowGeometry, K: number, P: number): Int32Array {
  const t = windowOffsets(g), out = new Int32Array(K * P);
  for (let k = 0; k < K; k++) for (let p = 0; p < P; p++) out[p * K + k] = t[k * P + p];
  return out;
}

function windowSum(
  x: TypedArray,
  xb: number,
  out: TypedArray,
  ob: number,
  t: Int32Array,
  K: number,
  P: number,
): void {
  for (let p = 0; p < P; p++) {
    let acc = 0;
    for (let k = p * K, e = k + K; k < e; k++) {
      const off = t[k];
      if (off >= 0) acc += x[xb + off];
    }
    out[ob + p] = acc;
  }
}

// NaN propagates (XLA's max/min); a NaN ends the scan of its window.
function windowMax(
  x: TypedArray,
  xb: number,
  out: TypedArray,
  ob: number,
  t: Int32Array,
  K: number,
  P: number,
  init: number,
): void {
  for (let p = 0; p < P; p++) {
    let acc = init;
    for (let k = p * K, e = k + K; k < e; k++) {
      const off = t[k];
      if (off < 0) continue;
      const v = x[xb + off];
      if (v > acc) acc = v;
      else if (v !== v) {
        acc = v;
        break;
      }
    }
    out[ob + p] = acc;
  }
}

function windowMin(
  x: TypedArray,
  xb: number,
  out: TypedArray,
  ob: number,
  t: Int32Array,
  K: number,
  P: number,
  init: number,
): void {
  for (let p = 0; p < P; p++) {
    let acc = init;
    for (let k = p * K, e = k + K; k < e; k++) {
      const off = t[k];
      if (off < 0) continue;
      const v = x[xb + off];
      if (v < acc) acc = v;
      else if (v !== v) {
        acc = v;
        break;
      }
    }
    out[ob + p] = acc;
  }
}

/** `out[p] = op over the window of p` (padding contributes the identity). */
export function reduceWindowKernel(
  op: WindowReduceOp,
  x: TypedArray,
  out: TypedArray,
  geometry: WindowGeometry,
): void {
  const [outer, g] = splitTrivial(geometry);
  const S = prod(g.inShape), P = prod(g.outShape), K = prod(g.window);
  if (outer * P === 0) return;
  const t = windowsByOutput(g, K, P);
  const init = identityOf(op, x);
  for (let b = 0; b < outer; b++) {
    if (op === "sum") windowSum(x, b * S, out, b * P, t, K, P);
    else if (op === "max") windowMax(x, b * S, out, b * P, t, K, P, init);
    else windowMin(x, b * S, out, b * P, t, K, P, init);
  }
}

/** The flat index (within a block) each window selects, -1 when it holds no element. */
function selections(
  select: "max" | "min",
  x: TypedArray,
  xb: number,
  t: Int32Array,
  K: number,
  P: number,
  chosen: Int32Array,
): void {
  const max = select === "max";
  for (let p = 0; p < P; p++) {
    let best = -1, bv = 0;
    for (let k = p * K, e = k + K; k < e; k++) {
      const off = t[k];
      if (off < 0) continue;
      const v = x[xb + off];
      // The first element wins ties (XLA's select with ge/le keeps the current choice).
      if (best < 0 || (max ? v > bv : v < bv) || (v !== v && bv === bv)) {
        best = off;
        bv = v;
      }
    }
    chosen[p] = best;
  }
}

/**
 * `out[p] = t[argmax/argmin of x over the window of p]` (0 when the window
 * holds no element): the tangent of a max/min pooling (JAX's
 * `select_and_gather_add`).
 */
export function selectAndGatherKernel(
  select: "max" | "min",
  t: TypedArray,
  x: TypedArray,
  out: TypedArray,
  geometry: WindowGeometry,
): void {
  const [outer, g] = splitTrivial(geometry);
  const S = prod(g.inShape), P = prod(g.outShape), K = prod(g.window);
  if (outer * P === 0) return;
  const table = windowsByOutput(g, K, P);
  const chosen = new Int32Array(P);
  for (let b = 0; b < outer; b++) {
    selections(select, x, b * S, table, K, P, chosen);
    for (let p = 0; p < P; p++) {
      const c = chosen[p];
      out[b * P + p] = c < 0 ? 0 : t[b * S + c];
    }
  }
}

/**
 * `out[argmax/argmin of x over the window of p] += s[p]`, `out` of the shape
 * of `x`: the transpose of {@linkcode selectAndGatherKernel} (JAX's
 * `select_and_scatter_add`). `out` must be zeroed.
 */
export function selectAndScatterKernel(
  select: "max" | "min",
  s: TypedArray,
  x: TypedArray,
  out: TypedArray,
  geometry: WindowGeometry,
): void {
  const [outer, g] = splitTrivial(geometry);
  const S = prod(g.inShape), P = prod(g.outShape), K = prod(g.window);
  if (outer * P === 0) return;
  const table = windowsByOutput(g, K, P);
  const chosen = new Int32Array(P);
  for (let b = 0; b < outer; b++) {
    selections(select, x, b * S, table, K, P, chosen);
    for (let p = 0; p < P; p++) {
      const c = chosen[p];
      if (c >= 0) out[b * S + c] += s[b * P + p];
    }
  }
}
