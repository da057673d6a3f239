/**
 * `conv_general_dilated`: XLA's convolution, with JAX's rules.
 *
 * `out[n, o, p] = Σ_{i, k} lhs[n, g·I + i, p·stride + k·rhsDil − lo] · rhs[o, i, k]`
 * on the lhs dilated by `lhsDilation` and padded by `padding`, in canonical
 * layout (`lhs` [N, C, ...], `rhs` [O, I, ...], `out` [N, O, ...]); the
 * dimension numbers say where those axes are in each operand. With feature
 * groups, input features and output features are split into G groups that
 * convolve pairwise; with batch groups, the batch is split into B groups
 * (group-major) that convolve with the B groups of output features.
 *
 * Bilinear: its JVP is `conv(dl, r) + conv(l, dr)`, and its transposes are
 * convolutions again (JAX's `_conv_general_dilated_transpose_lhs/_rhs`): the
 * cotangent with the spatially reversed kernel for `lhs`, the input with the
 * cotangent as the kernel for `rhs`. The batching rule folds the mapped axis
 * into the batch or into feature groups.
 *
 * @module
 */

import { NdArray, storageOf } from "../array/array.ts";
import { allocate } from "../array/dtype.ts";
import { type Shape, showShape, sizeOf } from "../array/shape.ts";
import { convKernel } from "../array/kernels/conv.ts";
import { transposeKernel } from "../array/kernels/structural.ts";
import { filled } from "../array/create.ts";
import { bind } from "../core/handler.ts";
import {
  type Aval,
  LinearIn,
  type LinearPrimitive,
  type Tangent,
  Zero,
} from "../core/primitive.ts";
import { add } from "./elementwise.ts";
import { reshape, rev, transpose } from "./structural.ts";

/** Where the batch, feature and spatial axes of each convolution operand are (JAX's `ConvDimensionNumbers`). */
export interface ConvDimensionNumbers {
  /** Axes of `lhs`: batch, feature, then spatial axes. */
  readonly lhsSpec: readonly number[];
  /** Axes of `rhs`: output feature, input feature, then spatial axes. */
  readonly rhsSpec: readonly number[];
  /** Axes of the output: batch, feature, then spatial axes. */
  readonly outSpec: readonly number[];
}

/** Parameters of `conv_general_dilated` (resolved: explicit padding, spec permutations). */
export interface ConvParams {
  /** Stride of the window along each spatial axis. */
  readonly windowStrides: readonly number[];
  /** `[lo, hi]` padding of each spatial axis (may be negative). */
  readonly padding: readonly (readonly [number, number])[];
  /** Dilation of `lhs` (transposed convolution). */
  readonly lhsDilation: readonly number[];
  /** Dilation of `rhs` (atrous convolution). */
  readonly rhsDilation: readonly number[];
  /** Axis roles of the operands and the output. */
  readonly dimensionNumbers: ConvDimensionNumbers;
  /** Feature groups. */
  readonly featureGroupCount: number;
  /** Batch groups. */
  readonly batchGroupCount: number;
}

const take = (shape: Shape, axes: readonly number[]) => axes.map((a) => shape[a]);
/** `1 + d·(n − 1)`, or 0 for an empty axis. */
export const dilateDim = (n: number, d: number): number => n === 0 ? 0 : 1 + d * (n - 1);
/** Number of window positions: `max(0, ⌊(n − w) / s⌋ + 1)`. */
export const strideDim = (n: number, w: number, s: number): number =>
  Math.max(0, Math.floor((n - w) / s) + 1);
const argsort = (xs: readonly number[]) => xs.map((_, i) => i).sort((a, b) => xs[a] - xs[b]);

function err(msg: string): never {
  throw new TypeError(`conv_general_dilated: ${msg}`);
}

/** The output shape in canonical order ([N / B, O, ...spatial]). */
function canonicalOutShape(l: Shape, r: Shape, p: ConvParams): number[] {
  const { lhsSpec, rhsSpec } = p.dimensionNumbers;
  const lt = take(l, lhsSpec), rt = take(r, rhsSpec);
  const nsp = lt.length - 2;
  const out = [p.batchGroupCount > 1 ? lt[0] / p.batchGroupCount : lt[0], rt[0]];
  for (let d = 0; d < nsp; d++) {
    const padded = dilateDim(lt[d + 2], p.lhsDilation[d]) + p.padding[d][0] + p.padding[d][1];
    if (padded < 0) {
      err(
        `padding [${p.padding[d]}] of spatial axis ${d} is more negative than the axis is long (${
          dilateDim(lt[d + 2], p.lhsDilation[d])
        })`,
      );
    }
    out.push(strideDim(padded, dilateDim(rt[d + 2], p.rhsDilation[d]), p.windowStrides[d]));
  }
  return out;
}

function convAval(l: Aval, r: Aval, p: ConvParams): Aval {
  if (l.dtype !== r.dtype) err(`operands must have one dtype: got ${l.dtype} and ${r.dtype}`);
  if (l.dtype === "bool") err("operands must be numbers: got bool");
  if (l.shape.length !== r.shape.length) {
    err(
      `lhs and rhs must have the same rank: got shapes ${showShape(l.shape)} and ${
        showShape(r.shape)
      }`,
    );
  }
  const { lhsSpec, rhsSpec, outSpec: oSpec } = p.dimensionNumbers;
  const rank = l.shape.length, nsp = rank - 2;
  for (
    const [what, spec] of [["lhsSpec", lhsSpec], ["rhsSpec", rhsSpec], ["outSpec", oSpec]] as const
  ) {
    if (spec.length !== rank || [...spec].sort((a, b) => a - b).some((v, i) => v !== i)) {
      err(`dimension numbers ${what} must be a permutation of 0..${rank - 1}: got [${spec}]`);
    }
  }
  for (
    const [what, v] of [
      ["windowStrides", p.windowStrides],
      ["lhsDilation", p.lhsDilation],
      ["rhsDilation", p.rhsDilation],
    ] as const
  ) {
    if (v.length !== nsp || v.some((x) => !Number.isInteger(x) || x < 1)) {
      err(`${what} must be ${nsp} positive integers: got [${v}]`);
    }
  }
  if (
    p.padding.length !== nsp || p.padding.some((q) => q.length !== 2 || !q.every(Number.isInteger))
  ) {
    err(`padding must be ${nsp} [lo, hi] integer pairs: got ${JSON.stringify(p.padding)}`);
  }
  const G = p.featureGroupCount, B = p.batchGroupCount;
  if (!(Number.isInteger(G) && G > 0)) {
    err(`featureGroupCount must be a positive integer: got ${G}`);
  }
  if (!(Number.isInteger(B) && B > 0)) err(`batchGroupCount must be a positive integer: got ${B}`);
  if (G > 1 && B > 1) {
    err(`at most one of featureGroupCount (${G}) and batchGroupCount (${B}) may exceed 1`);
  }
  const c = l.shape[lhsSpec[1]], i = r.shape[rhsSpec[1]], o = r.shape[rhsSpec[0]];
  if (c % G !== 0) {
    err(`featureGroupCount ${G} must divide the lhs feature dimension ${c}`);
  }
  if (c / G !== i) {
    err(
      `the lhs feature dimension ${c} divided by featureGroupCount ${G} must equal the rhs input feature dimension ${i}`,
    );
  }
  if (o % G !== 0) {
    err(`the rhs output feature dimension ${o} must be a multiple of featureGroupCount ${G}`);
  }
  if (B > 1 && l.shape[lhsSpec[0]] % B !== 0) {
    err(`batchGroupCount ${B} must divide the lhs batch dimension ${l.shape[lhsSpec[0]]}`);
  }
  if (o % B !== 0) {
    err(`the rhs output feature dimension ${o} must be a multiple of batchGroupCount ${B}`);
  }
  const canon = canonicalOutShape(l.shape, r.shape, p);
  const { outSpec } = p.dimensionNumbers;
  const shape = new globalThis.Array<number>(canon.length);
  for (let j = 0; j < canon.length; j++) shape[outSpec[j]] = canon[j];
  return { shape, dtype: l.dtype };
}

function arrange(x: NdArray, perm: readonly number[]) {
  if (perm.every((p, i) => p === i)) return storageOf(x);
  const out = allocate(x.dtype, x.size);
  transposeKernel(storageOf(x), x.shape, perm, out);
  return out;
}

function convImpl(l: NdArray, r: NdArray, p: ConvParams): NdArray {
  const { shape, dtype } = convAval(l, r, p);
  const { lhsSpec, rhsSpec, outSpec } = p.dimensionNumbers;
  const lt = take(l.shape, lhsSpec), rt = take(r.shape, rhsSpec);
  const canon = canonicalOutShape(l.shape, r.shape, p);
  const out = allocate(dtype, sizeOf(canon));
  convKernel(arrange(l, lhsSpec), arrange(r, rhsSpec), out, {
    n: lt[0],
    c: lt[1],
    o: rt[0],
    i: rt[1],
    featureGroups: p.featureGroupCount,
    batchGroups: p.batchGroupCount,
    spatial: {
      inShape: lt.slice(2),
      outShape: canon.slice(2),
      window: rt.slice(2),
      strides: p.windowStrides,
      padLo: p.padding.map(([lo]) => lo),
      baseDilation: p.lhsDilation,
      windowDilation: p.rhsDilation,
    },
  });
  const back = argsort(outSpec);
  if (back.every((a, i) => a === i)) return new NdArray(out, shape, dtype);
  const res = allocate(dtype, out.length);
  transposeKernel(out, canon, back, res);
  return new NdArray(res, shape, dtype);
}

// JAX's helpers: merge axis `src` into axis `dst` (src major), split axis `src` into [size1, rest].
function reshapeAxisInto(src: number, dst: number, x: NdArray): NdArray {
  const perm: number[] = [];
  for (let i = 0; i < x.ndim; i++) if (i !== src) perm.push(i);
  perm.splice(dst, 0, src);
  const shape = x.shape.filter((_, i) => i !== src);
  shape[dst] *= x.shape[src];
  return reshape(transpose(x, perm), shape);
}

function reshapeAxisOutOf(src: number, size1: number, x: NdArray): NdArray {
  const shape = [...x.shape];
  shape.splice(src, 1, size1, shape[src] / size1);
  return reshape(x, shape);
}

const specT = (s: readonly number[]) => [s[1], s[0], ...s.slice(2)];
const dilateAll = (xs: readonly number[], ds: readonly number[]) =>
  xs.map((x, i) => dilateDim(x, ds[i]));

/** Padding of the convolution giving the cotangent of `lhs` (JAX's `_conv_general_vjp_lhs_padding`). */
export function vjpLhsPadding(
  inShape: readonly number[],
  window: readonly number[],
  strides: readonly number[],
  outShape: readonly number[],
  padding: readonly (readonly [number, number])[],
  lhsDilation: readonly number[],
  rhsDilation: readonly number[],
): [number, number][] {
  const ld = dilateAll(inShape, lhsDilation);
  const rd = dilateAll(window, rhsDilation);
  const od = dilateAll(outShape, strides);
  return ld.map((_, i) => {
    const before = rd[i] - padding[i][0] - 1;
    return [before, ld[i] + rd[i] - 1 - od[i] - before];
  });
}

/** Padding of the convolution giving the cotangent of `rhs` (JAX's `_conv_general_vjp_rhs_padding`). */
function vjpRhsPadding(
  inShape: readonly number[],
  window: readonly number[],
  strides: readonly number[],
  outShape: readonly number[],
  padding: readonly (readonly [number, number])[],
  lhsDilation: readonly number[],
  rhsDilation: readonly number[],
): [number, number][] {
  const ld = dilateAll(inShape, lhsDilation);
  const rd = dilateAll(window, rhsDilation);
  const od = dilateAll(outShape, strides);
  return ld.map((_, i) => {
    const lo = padding[i][0];
    return [lo, od[i] - ld[i] + rd[i] - lo - 1];
  });
}

/** The cotangent of `lhs`: the cotangent convolved with the reversed kernel. */
function transposeLhs(g: NdArray, lhs: LinearIn, rhs: NdArray, p: ConvParams): NdArray {
  const { lhsSpec, rhsSpec, outSpec } = p.dimensionNumbers;
  const G = p.featureGroupCount, B = p.batchGroupCount;
  const rhsShape = rhs.shape;
  let groups = G;
  let w = rhs;
  if (G > 1 || B > 1) {
    // Move the group axis of the output features into the input features.
    w = reshapeAxisOutOf(rhsSpec[0], G > 1 ? G : B, w);
    w = reshapeAxisInto(rhsSpec[0], rhsSpec[1], w);
    if (B > 1) groups = B;
  }
  const padding = vjpLhsPadding(
    take(lhs.shape, lhsSpec.slice(2)),
    take(rhsShape, rhsSpec.slice(2)),
    p.windowStrides,
    take(g.shape, outSpec.slice(2)),
    p.padding,
    p.lhsDilation,
    p.rhsDilation,
  );
  let out = convGeneralDilated(g, rev(w, rhsSpec.slice(2)), {
    windowStrides: p.lhsDilation,
    padding,
    lhsDilation: p.windowStrides,
    rhsDilation: p.rhsDilation,
    dimensionNumbers: { lhsSpec: outSpec, rhsSpec: specT(rhsSpec), outSpec: lhsSpec },
    featureGroupCount: groups,
    batchGroupCount: 1,
  });
  if (B > 1) {
    out = reshapeAxisOutOf(lhsSpec[1], B, out);
    out = reshapeAxisInto(lhsSpec[1], lhsSpec[0], out);
  }
  return out;
}

/** The cotangent of `rhs`: the input convolved with the cotangent as the kernel. */
function transposeRhs(g: NdArray, lhs: NdArray, rhs: LinearIn, p: ConvParams): Tangent {
  if (g.size === 0) return new Zero(rhs.shape, rhs.dtype);
  const { lhsSpec, rhsSpec, outSpec } = p.dimensionNumbers;
  const G = p.featureGroupCount, B = p.batchGroupCount;
  const padding = vjpRhsPadding(
    take(lhs.shape, lhsSpec.slice(2)),
    take(rhs.shape, rhsSpec.slice(2)),
    p.windowStrides,
    take(g.shape, outSpec.slice(2)),
    p.padding,
    p.lhsDilation,
    p.rhsDilation,
  );
  return convGeneralDilated(lhs, g, {
    windowStrides: p.rhsDilation,
    padding,
    lhsDilation: p.lhsDilation,
    rhsDilation: p.windowStrides,
    dimensionNumbers: { lhsSpec: specT(lhsSpec), rhsSpec: specT(outSpec), outSpec: specT(rhsSpec) },
    featureGroupCount: B,
    batchGroupCount: G,
  });
}

/** General dilated convolution (XLA's Conv); bilinear in `lhs` and `rhs`. */
export const convGeneralDilatedP: LinearPrimitive<ConvParams> = {
  name: "conv_general_dilated",
  impl: ([l, r], p) => convImpl(l, r, p),
  abstractEval: ([l, r], p) => convAval(l, r, p),
  // d conv(l, r) = conv(dl, r) + conv(l, dr)
  jvp([l, r], [tl, tr], p) {
    const y = convGeneralDilated(l, r, p);
    const a = tl instanceof Zero ? null : convGeneralDilated(tl, r, p);
    const b = tr instanceof Zero ? null : convGeneralDilated(l, tr, p);
    const t: Tangent = a && b ? add(a, b) : a ?? b ?? new Zero(y.shape, y.dtype);
    return [y, t];
  },
  transpose(ct, [l, r], p) {
    return [
      l instanceof LinearIn ? transposeLhs(ct, l, r as NdArray, p) : null,
      r instanceof LinearIn ? transposeRhs(ct, l as NdArray, r, p) : null,
    ];
  },
  vmap([l, r], [dl, dr], p) {
    const { lhsSpec, rhsSpec, outSpec } = p.dimensionNumbers;
    const size = dl !== null ? l.shape[dl] : r.shape[dr!];
    if (size === 0) {
      const unbatched = (x: NdArray, d: number | null) =>
        d === null ? x.shape : x.shape.filter((_, i) => i !== d);
      const { shape, dtype } = convAval(
        { shape: unbatched(l, dl), dtype: l.dtype },
        { shape: unbatched(r, dr), dtype: r.dtype },
        p,
      );
      return [filled([0, ...shape], 0, dtype), 0];
    }
    let G = p.featureGroupCount, B = p.batchGroupCount;
    if (dl !== null && dr !== null) {
      // Each batch member is one more group: of batches if batch-grouped, else of features.
      let nl: NdArray;
      if (B > 1) {
        nl = reshapeAxisInto(dl, lhsSpec[0], l);
        B *= size;
      } else {
        nl = reshapeAxisInto(dl, lhsSpec[1], l);
        G *= size;
      }
      const nr = reshapeAxisInto(dr, rhsSpec[0], r);
      const out = convGeneralDilated(nl, nr, { ...p, featureGroupCount: G, batchGroupCount: B });
      return [reshapeAxisOutOf(outSpec[1], size, out), outSpec[1]];
    }
    if (dl !== null) {
      let nl: NdArray;
      if (B === 1) {
        // The mapped axis joins the batch.
        nl = reshapeAxisInto(dl, lhsSpec[0], l);
      } else {
        // Within each batch group, the mapped axis joins the group's members.
        nl = reshapeAxisOutOf(lhsSpec[0] + (dl <= lhsSpec[0] ? 1 : 0), B, l);
        nl = reshapeAxisInto(dl + (lhsSpec[0] < dl ? 1 : 0), lhsSpec[0] + 1, nl);
        nl = reshapeAxisInto(lhsSpec[0], lhsSpec[0], nl);
      }
      const out = convGeneralDilated(nl, r, p);
      return [reshapeAxisOutOf(outSpec[0], size, out), outSpec[0]];
    }
    // Only rhs is mapped: the mapped axis joins the output features (within each group).
    if (G === 1 && B === 1) {
      const out = convGeneralDilated(l, reshapeAxisInto(dr!, rhsSpec[0], r), p);
      return [reshapeAxisOutOf(outSpec[1], size, out), outSpec[1]];
    }
    const groups = G > 1 ? G : B;
    let nr = reshapeAxisOutOf(rhsSpec[0] + (dr! <= rhsSpec[0] ? 1 : 0), groups, r);
    nr = reshapeAxisInto(dr! + (rhsSpec[0] < dr! ? 1 : 0), rhsSpec[0] + 1, nr);
    nr = reshapeAxisInto(rhsSpec[0], rhsSpec[0], nr);
    let out = convGeneralDilated(l, nr, p);
    out = reshapeAxisOutOf(outSpec[1], groups, out);
    out = reshapeAxisOutOf(outSpec[1] + 1, size, out);
    out = reshapeAxisInto(outSpec[1], outSpec[1] + 1, out);
    return [out, outSpec[1]];
  },
};

/** Performs `conv_general_dilated` with resolved parameters. */
export function convGeneralDilated(lhs: NdArray, rhs: NdArray, params: ConvParams): NdArray {
  return bind(convGeneralDilatedP, [lhs, rhs], params);
}
