/**
 * Convolutions and windowed reductions: `lax.convGeneralDilated` and its
 * wrappers (`conv`, `convWithGeneralPadding`, `convTranspose`), the
 * dimension-number and padding helpers, and `lax.reduceWindow`.
 *
 * @module
 */

import { NdArray } from "../array/array.ts";
import { scalar } from "../array/create.ts";
import { allocate, isComplex } from "../array/dtype.ts";
import { type Shape, showShape, showValue } from "../array/shape.ts";
import { windowOffsets } from "../array/kernels/conv.ts";
import { bind, evalHandler, Tracer, withHandler } from "../core/handler.ts";
import { checkOptions } from "../core/options.ts";
import { add as addArrays, convert, select, sub as subArrays } from "../primitives/elementwise.ts";
import { complexP, imagP, realP } from "../primitives/fft.ts";
import {
  type ConvDimensionNumbers,
  convGeneralDilated as convP,
  type ConvParams,
  dilateDim,
  strideDim,
} from "../primitives/conv.ts";
import {
  broadcastTo,
  concatenate,
  reshape,
  rev,
  slice,
  take,
  transpose,
} from "../primitives/structural.ts";
import {
  reduceWindowMax,
  reduceWindowMin,
  reduceWindowSum,
  type WindowParams,
} from "../primitives/windowed.ts";
import { add, max, min } from "./ops.ts";

export type { ConvDimensionNumbers } from "../primitives/conv.ts";

/** A padding: `"SAME"`, `"SAME_LOWER"`, `"VALID"`, or `[lo, hi]` per spatial axis. */
export type Padding = string | readonly (readonly [number, number])[];

/**
 * Dimension numbers: `null`/`undefined` (`NCHW`, `OIHW`, `NCHW` in any rank),
 * three layout strings such as `["NHWC", "HWIO", "NHWC"]`, or resolved
 * {@linkcode ConvDimensionNumbers}.
 */
export type DimensionNumbers =
  | readonly [string, string, string]
  | ConvDimensionNumbers
  | null
  | undefined;

/** Options of {@linkcode convGeneralDilated}. */
export interface ConvGeneralDilatedOptions {
  /** Dilation of `lhs` along each spatial axis (transposed convolution); default 1. */
  lhsDilation?: readonly number[] | null;
  /** Dilation of `rhs` along each spatial axis (atrous convolution); default 1. */
  rhsDilation?: readonly number[] | null;
  /** Axis layout of `lhs`, `rhs` and the output; default `NCHW`/`OIHW`/`NCHW`. */
  dimensionNumbers?: DimensionNumbers;
  /** Feature groups (1 = dense; C = depthwise); default 1. */
  featureGroupCount?: number;
  /** Batch groups; default 1. */
  batchGroupCount?: number;
  /** Accepted for JAX compatibility; kernels always compute at the operands' precision. */
  precision?: unknown;
  /** Converts both operands to this dtype first (accumulating in it). */
  preferredElementType?: "float32" | "float64" | "int32" | null;
}

function fail(fn: string, msg: string): never {
  throw new TypeError(`${fn}: ${msg}`);
}

function intList(fn: string, what: string, v: unknown, n: number, min = 1): number[] {
  if (!globalThis.Array.isArray(v) || v.length !== n) {
    fail(fn, `${what} must be a list of ${n} integers: got ${showValue(v)}`);
  }
  for (const x of v) {
    if (!Number.isInteger(x) || x < min) {
      fail(fn, `${what} must hold integers >= ${min}: got ${showValue(v)}`);
    }
  }
  return v as number[];
}

function permutations(specs: readonly [string, string, string]): ConvDimensionNumbers {
  const [lhs, rhs, out] = specs;
  const pairs = [["N", "C"], ["O", "I"], ["N", "C"]];
  specs.forEach((s, i) => {
    const [a, b] = pairs[i];
    if (s.split(a).length !== 2 || s.split(b).length !== 2) {
      fail(
        "convDimensionNumbers",
        `dimensionNumbers[${i}] must contain the characters '${a}' and '${b}' exactly once: got ${
          showValue(s)
        }`,
      );
    }
    if (new Set(s).size !== s.length) {
      fail(
        "convDimensionNumbers",
        `dimensionNumbers[${i}] cannot repeat characters: got ${showValue(s)}`,
      );
    }
  });
  const spatial = (s: string, [a, b]: string[]) => [...s].filter((c) => c !== a && c !== b);
  const ls = spatial(lhs, pairs[0]).sort().join(), rs = spatial(rhs, pairs[1]).sort().join();
  const os = spatial(out, pairs[2]).sort().join();
  if (ls !== rs || rs !== os) {
    fail(
      "convDimensionNumbers",
      `the three layouts must name the same spatial axes: got ${showValue([...specs])}`,
    );
  }
  const perm = (s: string, [a, b]: string[], isRhs: boolean) => {
    const idx = [...s].map((_, i) => i).filter((i) => s[i] !== a && s[i] !== b);
    if (!isRhs) idx.sort((x, y) => rhs.indexOf(s[x]) - rhs.indexOf(s[y]));
    return [s.indexOf(a), s.indexOf(b), ...idx];
  };
  return {
    lhsSpec: perm(lhs, pairs[0], false),
    rhsSpec: perm(rhs, pairs[1], true),
    outSpec: perm(out, pairs[2], false),
  };
}

/**
 * Resolves dimension numbers to the axis positions of each operand (JAX's
 * `lax.conv_dimension_numbers`): `lhsSpec` is (batch, feature, spatial...),
 * `rhsSpec` (output feature, input feature, spatial...), `outSpec` (batch,
 * feature, spatial...), spatial axes in the order of the `rhs` layout.
 *
 * @example TensorFlow's layout
 * ```ts
 * import { lax } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(lax.convDimensionNumbers([1, 5, 5, 3], [3, 3, 3, 8], ["NHWC", "HWIO", "NHWC"]), {
 *   lhsSpec: [0, 3, 1, 2],
 *   rhsSpec: [3, 2, 0, 1],
 *   outSpec: [0, 3, 1, 2],
 * });
 * ```
 *
 * @param lhsShape Shape of the input.
 * @param rhsShape Shape of the kernel.
 * @param dimensionNumbers `null`, three layout strings, or resolved numbers.
 * @returns The resolved dimension numbers.
 */
export function convDimensionNumbers(
  lhsShape: Shape,
  rhsShape: Shape,
  dimensionNumbers?: DimensionNumbers,
): ConvDimensionNumbers {
  if (lhsShape.length !== rhsShape.length) {
    fail(
      "convDimensionNumbers",
      `lhs and rhs must have the same rank: got shapes ${showShape(lhsShape)} and ${
        showShape(rhsShape)
      }`,
    );
  }
  const r = lhsShape.length;
  if (dimensionNumbers === null || dimensionNumbers === undefined) {
    if (r < 2) {
      fail("convDimensionNumbers", `operands need rank >= 2: got shape ${showShape(lhsShape)}`);
    }
    const iota = globalThis.Array.from({ length: r }, (_, i) => i);
    return { lhsSpec: iota, rhsSpec: iota, outSpec: iota };
  }
  if (globalThis.Array.isArray(dimensionNumbers)) {
    const specs = dimensionNumbers as readonly unknown[];
    if (specs.length !== 3 || !specs.every((s) => typeof s === "string")) {
      fail(
        "convDimensionNumbers",
        `dimensionNumbers must be three layout strings: got ${showValue(specs)}`,
      );
    }
    for (const [i, s] of (specs as string[]).entries()) {
      if (s.length !== r) {
        fail(
          "convDimensionNumbers",
          `dimensionNumbers[${i}] ${
            showValue(s)
          } must have one character per axis of the operands (rank ${r})`,
        );
      }
    }
    return permutations(specs as [string, string, string]);
  }
  const dn = dimensionNumbers as ConvDimensionNumbers;
  for (const k of ["lhsSpec", "rhsSpec", "outSpec"] as const) {
    const s = dn[k];
    const ok = globalThis.Array.isArray(s) && s.length === r &&
      [...s].sort((a, b) => a - b).every((v, i) => v === i);
    if (!ok) {
      fail(
        "convDimensionNumbers",
        `${k} must be a permutation of 0..${r - 1}: got ${showValue(s)}`,
      );
    }
  }
  return dn;
}

/**
 * Explicit `[lo, hi]` paddings for a padding string (JAX's
 * `lax.padtype_to_pads`): `"VALID"` pads nothing; `"SAME"` pads so that the
 * output has `⌈n / stride⌉` positions, the odd element at the end
 * (`"SAME_LOWER"`: at the start).
 *
 * @example
 * ```ts
 * import { lax } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(lax.padtypeToPads([5, 6], [3, 2], [1, 2], "SAME"), [[1, 1], [0, 0]]);
 * deepEqual(lax.padtypeToPads([4], [4], [1], "SAME_LOWER"), [[2, 1]]);
 * ```
 *
 * @param inShape Spatial extents of the input.
 * @param windowShape Window extents (dilated).
 * @param windowStrides Strides.
 * @param padding `"SAME"`, `"SAME_LOWER"` or `"VALID"` (any case).
 * @returns One `[lo, hi]` pair per axis.
 */
export function padtypeToPads(
  inShape: Shape,
  windowShape: Shape,
  windowStrides: readonly number[],
  padding: string,
): [number, number][] {
  const kind = String(padding).toUpperCase();
  if (kind === "VALID") return inShape.map(() => [0, 0]);
  if (kind !== "SAME" && kind !== "SAME_LOWER") {
    throw new RangeError(
      `Unrecognized padding type: expected 'VALID', 'SAME', or 'SAME_LOWER', got ${
        showValue(padding)
      }`,
    );
  }
  return inShape.map((n, i) => {
    const out = Math.ceil(n / windowStrides[i]);
    const total = Math.max(0, (out - 1) * windowStrides[i] + windowShape[i] - n);
    const small = Math.floor(total / 2);
    return kind === "SAME" ? [small, total - small] : [total - small, small];
  });
}

function explicitPadding(fn: string, padding: unknown, n: number): [number, number][] {
  if (!globalThis.Array.isArray(padding) || padding.length !== n) {
    fail(
      fn,
      `padding must be 'SAME', 'SAME_LOWER', 'VALID' or ${n} [lo, hi] pairs: got ${
        showValue(padding)
      }`,
    );
  }
  return padding.map((pair) => {
    if (
      !globalThis.Array.isArray(pair) || pair.length !== 2 ||
      !pair.every((v) => Number.isInteger(v))
    ) {
      fail(fn, `padding must hold [lo, hi] integer pairs: got ${showValue(padding)}`);
    }
    return [pair[0], pair[1]] as [number, number];
  });
}

function complexConv(lhs: NdArray, rhs: NdArray, p: ConvParams): NdArray {
  // Gauss's trick: three real convolutions.
  const re = (z: NdArray) => bind(realP, [z], undefined);
  const im = (z: NdArray) => bind(imagP, [z], undefined);
  const xr = re(lhs), xi = im(lhs), yr = re(rhs), yi = im(rhs);
  const k1 = convP(addArrays(xr, xi), yr, p);
  const k2 = convP(xr, subArrays(yi, yr), p);
  const k3 = convP(xi, addArrays(yr, yi), p);
  return bind(complexP, [subArrays(k1, k3), addArrays(k1, k2)], undefined);
}

function checkArray(fn: string, what: string, x: unknown): NdArray {
  if (!(x instanceof NdArray)) fail(fn, `${what} must be an array: got ${showValue(x)}`);
  return x;
}

/**
 * General n-dimensional convolution with strides, padding, input and kernel
 * dilation, dimension numbers and feature/batch groups (JAX's
 * `lax.conv_general_dilated`, XLA's Conv). Differentiable in both operands
 * (the gradients are convolutions too) and batchable. Also callable with
 * JAX's positional form `(lhs, rhs, strides, padding, lhsDilation,
 * rhsDilation, dimensionNumbers, featureGroupCount, batchGroupCount)`.
 *
 * @example A 2-D convolution in NHWC layout
 * ```ts
 * import { lax, np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * const x = np.arange(16, { dtype: "float64" }).reshape([1, 4, 4, 1]); // N H W C
 * const k = np.ones([2, 2, 1, 1]); // H W I O
 * const y = lax.convGeneralDilated(x, k, [2, 2], "VALID", {
 *   dimensionNumbers: ["NHWC", "HWIO", "NHWC"],
 * });
 * deepEqual(y.reshape([2, 2]).tolist(), [[10, 18], [42, 50]]);
 * ```
 *
 * @param lhs The input, rank n + 2.
 * @param rhs The kernel, rank n + 2.
 * @param windowStrides Stride along each of the n spatial axes.
 * @param padding `"SAME"`, `"SAME_LOWER"`, `"VALID"` or `[lo, hi]` per spatial axis.
 * @param options Dilations, dimension numbers and groups (or JAX's positional `lhsDilation`).
 * @param rest JAX's positional `rhsDilation, dimensionNumbers, featureGroupCount, batchGroupCount`.
 * @returns The convolution.
 */
export function convGeneralDilated(
  lhs: NdArray,
  rhs: NdArray,
  windowStrides: readonly number[],
  padding: Padding,
  options?: ConvGeneralDilatedOptions | readonly number[] | null,
  ...rest: unknown[]
): NdArray {
  const fn = "convGeneralDilated";
  checkArray(fn, "lhs", lhs);
  checkArray(fn, "rhs", rhs);
  let o: ConvGeneralDilatedOptions;
  if (options === null || options === undefined || globalThis.Array.isArray(options)) {
    o = {
      lhsDilation: options as readonly number[] | null | undefined,
      rhsDilation: rest[0] as readonly number[] | undefined,
      dimensionNumbers: rest[1] as DimensionNumbers,
      featureGroupCount: rest[2] as number | undefined,
      batchGroupCount: rest[3] as number | undefined,
    };
  } else {
    checkOptions("lax.convGeneralDilated", options, [
      "lhsDilation",
      "rhsDilation",
      "dimensionNumbers",
      "featureGroupCount",
      "batchGroupCount",
      "precision",
      "preferredElementType",
    ]);
    o = options as ConvGeneralDilatedOptions;
  }
  const dn = convDimensionNumbers(lhs.shape, rhs.shape, o.dimensionNumbers);
  const nsp = lhs.ndim - 2;
  const strides = intList(fn, "windowStrides", windowStrides, nsp);
  const lhsDilation = o.lhsDilation == null
    ? new globalThis.Array<number>(nsp).fill(1)
    : intList(fn, "lhsDilation", o.lhsDilation, nsp);
  const rhsDilation = o.rhsDilation == null
    ? new globalThis.Array<number>(nsp).fill(1)
    : intList(fn, "rhsDilation", o.rhsDilation, nsp);
  let pads: [number, number][];
  if (typeof padding === "string") {
    if (lhsDilation.some((d) => d !== 1)) {
      fail(
        fn,
        "string padding is not implemented for transposed convolution (lhsDilation > 1): give explicit padding or use convTranspose",
      );
    }
    const window = dn.rhsSpec.slice(2).map((a, i) => dilateDim(rhs.shape[a], rhsDilation[i]));
    pads = padtypeToPads(dn.lhsSpec.slice(2).map((a) => lhs.shape[a]), window, strides, padding);
  } else pads = explicitPadding(fn, padding, nsp);
  const groups = (v: unknown, what: string) => {
    const g = v ?? 1;
    if (!Number.isInteger(g) || (g as number) < 1) {
      fail(fn, `${what} must be a positive integer: got ${showValue(v)}`);
    }
    return g as number;
  };
  const p: ConvParams = {
    windowStrides: strides,
    padding: pads,
    lhsDilation,
    rhsDilation,
    dimensionNumbers: dn,
    featureGroupCount: groups(o.featureGroupCount, "featureGroupCount"),
    batchGroupCount: groups(o.batchGroupCount, "batchGroupCount"),
  };
  let l = lhs, r = rhs;
  if (o.preferredElementType) {
    l = convert(l, o.preferredElementType);
    r = convert(r, o.preferredElementType);
  }
  if (isComplex(l.dtype) && l.dtype === r.dtype) return complexConv(l, r, p);
  return convP(l, r, p);
}

/**
 * Convolution in `NCHW`/`OIHW` layout with string padding (JAX's `lax.conv`).
 *
 * @example A 1-D moving sum
 * ```ts
 * import { lax, np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * const y = lax.conv(np.array([[[1, 2, 3, 4]]]), np.ones([1, 1, 2]), [1], "VALID");
 * deepEqual(y.tolist(), [[[3, 5, 7]]]);
 * ```
 *
 * @param lhs The input [N, C, ...spatial].
 * @param rhs The kernel [O, I, ...spatial].
 * @param windowStrides Strides.
 * @param padding `"SAME"` or `"VALID"` (or explicit pairs).
 * @returns The convolution [N, O, ...spatial].
 */
export function conv(
  lhs: NdArray,
  rhs: NdArray,
  windowStrides: readonly number[],
  padding: Padding,
): NdArray {
  return convGeneralDilated(lhs, rhs, windowStrides, padding);
}

/**
 * Convolution in `NCHW`/`OIHW` layout with explicit padding and dilations
 * (JAX's `lax.conv_with_general_padding`).
 *
 * @example Atrous (dilated) kernel
 * ```ts
 * import { lax, np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * const y = lax.convWithGeneralPadding(np.array([[[1, 2, 3, 4, 5]]]), np.ones([1, 1, 2]), [1], [[0, 0]], null, [2]);
 * deepEqual(y.tolist(), [[[4, 6, 8]]]);
 * ```
 *
 * @param lhs The input [N, C, ...spatial].
 * @param rhs The kernel [O, I, ...spatial].
 * @param windowStrides Strides.
 * @param padding A padding string or `[lo, hi]` pairs.
 * @param lhsDilation Input dilation (or `null`).
 * @param rhsDilation Kernel dilation (or `null`).
 * @returns The convolution.
 */
export function convWithGeneralPadding(
  lhs: NdArray,
  rhs: NdArray,
  windowStrides: readonly number[],
  padding: Padding,
  lhsDilation?: readonly number[] | null,
  rhsDilation?: readonly number[] | null,
): NdArray {
  return convGeneralDilated(lhs, rhs, windowStrides, padding, { lhsDilation, rhsDilation });
}

/** Options of {@linkcode convTranspose}. */
export interface ConvTransposeOptions {
  /** Kernel dilation; default 1. */
  rhsDilation?: readonly number[] | null;
  /** Layouts; default TensorFlow's (`NHWC`, `HWIO`, `NHWC` and their 1-D/3-D forms). */
  dimensionNumbers?: DimensionNumbers;
  /** Flip the kernel's spatial axes and swap its feature axes (Keras's `Conv2DTranspose`). */
  transposeKernel?: boolean;
  /** Read explicit padding as the forward convolution's too (PyTorch's convention). */
  useConsistentPadding?: boolean;
  /** Accepted for JAX compatibility. */
  precision?: unknown;
  /** Converts both operands to this dtype first. */
  preferredElementType?: "float32" | "float64" | "int32" | null;
}

function transposePadding(
  k: number,
  s: number,
  padding: string | readonly number[],
): [number, number] {
  let a: number, len: number;
  if (padding === "SAME") {
    len = k + s - 2;
    a = s > k - 1 ? k - 1 : Math.ceil(len / 2);
  } else if (padding === "VALID") {
    len = k + s - 2 + Math.max(k - s, 0);
    a = k - 1;
  } else {
    const pads = (padding as readonly number[]).map((p) => k - p - 1);
    a = pads[0];
    len = pads[0] + pads[1];
  }
  return [a, len - a];
}

/**
 * Transposed ("fractionally strided") convolution (JAX's
 * `lax.conv_transpose`): the input is dilated by `strides` and convolved with
 * the kernel, so that `SAME` multiplies the spatial size by the stride. By
 * default the kernel is not flipped (set `transposeKernel` for Keras's
 * convention).
 *
 * @example Upsampling a 1-D signal by 2
 * ```ts
 * import { lax, np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * const x = np.array([[[1], [2], [3]]]); // N W C
 * const k = np.ones([2, 1, 1]); // W I O
 * deepEqual(lax.convTranspose(x, k, [2], "SAME").reshape([6]).tolist(), [1, 1, 2, 2, 3, 3]);
 * ```
 *
 * @param lhs The input.
 * @param rhs The kernel.
 * @param strides The upsampling factor along each spatial axis.
 * @param padding `"SAME"`, `"VALID"` or `[lo, hi]` pairs (see `useConsistentPadding`).
 * @param options Kernel dilation, layouts, kernel transposition.
 * @returns The transposed convolution.
 */
export function convTranspose(
  lhs: NdArray,
  rhs: NdArray,
  strides: readonly number[],
  padding: Padding,
  options: ConvTransposeOptions = {},
): NdArray {
  const fn = "convTranspose";
  checkOptions("lax.convTranspose", options, [
    "rhsDilation",
    "dimensionNumbers",
    "transposeKernel",
    "useConsistentPadding",
    "precision",
    "preferredElementType",
  ]);
  checkArray(fn, "lhs", lhs);
  checkArray(fn, "rhs", rhs);
  const nd = lhs.ndim;
  let dnums = options.dimensionNumbers;
  if (dnums == null) {
    const defaults: Record<number, [string, string, string]> = {
      2: ["NC", "IO", "NC"],
      3: ["NHC", "HIO", "NHC"],
      4: ["NHWC", "HWIO", "NHWC"],
      5: ["NHWDC", "HWDIO", "NHWDC"],
    };
    if (!(nd in defaults)) {
      fail(fn, `no default dimension numbers for rank ${nd}: give dimensionNumbers`);
    }
    dnums = defaults[nd];
  }
  const dn = convDimensionNumbers(lhs.shape, rhs.shape, dnums);
  const nsp = nd - 2;
  intList(fn, "strides", strides, nsp);
  const rhsDilation = options.rhsDilation == null
    ? new globalThis.Array<number>(nsp).fill(1)
    : intList(fn, "rhsDilation", options.rhsDilation, nsp);
  const kSizes = dn.rhsSpec.slice(2).map((a, i) => dilateDim(rhs.shape[a], rhsDilation[i]));
  let pads: Padding;
  const str = typeof padding === "string" ? padding.toUpperCase() : null;
  if (str !== null && str !== "SAME" && str !== "VALID") {
    throw new RangeError(
      `${fn}: padding must be 'SAME', 'VALID' or [lo, hi] pairs: got ${showValue(padding)}`,
    );
  }
  if (options.useConsistentPadding || str !== null) {
    const given = str ?? explicitPadding(fn, padding, nsp);
    pads = kSizes.map((k, i) =>
      transposePadding(k, strides[i], typeof given === "string" ? given : given[i])
    );
  } else pads = explicitPadding(fn, padding, nsp);
  let k = rhs;
  if (options.transposeKernel) {
    k = rev(k, dn.rhsSpec.slice(2));
    const perm = k.shape.map((_, i) => i);
    [perm[dn.rhsSpec[0]], perm[dn.rhsSpec[1]]] = [perm[dn.rhsSpec[1]], perm[dn.rhsSpec[0]]];
    k = transpose(k, perm);
  }
  const ones = new globalThis.Array<number>(nsp).fill(1);
  return convGeneralDilated(lhs, k, ones, pads, {
    lhsDilation: strides,
    rhsDilation,
    dimensionNumbers: dn,
    preferredElementType: options.preferredElementType,
  });
}

/**
 * The patches `convGeneralDilated` would multiply its kernel with (JAX's
 * `lax.conv_general_dilated_patches`): for each output position, the
 * `C · prod(filterShape)` input values under the window, as output features
 * in (channel, window position) order. It is a convolution with an identity
 * kernel (one feature group per channel), so it differentiates and batches
 * like one.
 *
 * @example 2×2 patches of a 3×3 image
 * ```ts
 * import { lax, np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * const x = np.arange(9, { dtype: "float64" }).reshape([1, 1, 3, 3]);
 * const p = lax.convGeneralDilatedPatches(x, [2, 2], [1, 1], "VALID");
 * deepEqual(p.shape, [1, 4, 2, 2]);
 * // The patch at output position (0, 0) is [0, 1, 3, 4]: feature s holds window position s.
 * deepEqual(p.reshape([4, 4]).tolist(), [[0, 1, 3, 4], [1, 2, 4, 5], [3, 4, 6, 7], [4, 5, 7, 8]]);
 * ```
 *
 * @param lhs The input, rank n + 2.
 * @param filterShape The window extents (n of them).
 * @param windowStrides Strides.
 * @param padding A padding string or `[lo, hi]` pairs.
 * @param options Dilations, dimension numbers (the kernel's layout places `filterShape`).
 * @returns The patches.
 */
export function convGeneralDilatedPatches(
  lhs: NdArray,
  filterShape: readonly number[],
  windowStrides: readonly number[],
  padding: Padding,
  options: Omit<ConvGeneralDilatedOptions, "featureGroupCount" | "batchGroupCount"> = {},
): NdArray {
  const fn = "convGeneralDilatedPatches";
  checkOptions("lax.convGeneralDilatedPatches", options, [
    "lhsDilation",
    "rhsDilation",
    "dimensionNumbers",
    "precision",
    "preferredElementType",
  ]);
  checkArray(fn, "lhs", lhs);
  const filter = intList(fn, "filterShape", filterShape, lhs.ndim - 2, 0);
  const dn = convDimensionNumbers(lhs.shape, [1, 1, ...filter], options.dimensionNumbers);
  const S = filter.reduce((a, b) => a * b, 1);
  const C = lhs.shape[dn.lhsSpec[1]];
  // Canonical identity kernel [C·S, 1, ...filter]: feature c·S + s picks window position s.
  const dtype = lhs.dtype === "bool" ? "float64" : lhs.dtype;
  const data = allocate(dtype, C * S * S);
  for (let c = 0; c < C; c++) for (let s = 0; s < S; s++) data[(c * S + s) * S + s] = 1;
  const eye = new NdArray(data, [C * S, 1, ...filter], dtype);
  // Move axes 0 and 1 to the kernel's O and I positions (np.moveaxis), the window axes in order.
  const order = eye.shape.map((_, i) => i).filter((i) => i > 1);
  const moves = [[dn.rhsSpec[0], 0], [dn.rhsSpec[1], 1]].sort((a, b) => a[0] - b[0]);
  for (const [to, from] of moves) order.splice(to, 0, from);
  const rhs = transpose(eye, order);
  return convGeneralDilated(lhs, rhs, windowStrides, padding, {
    ...options,
    dimensionNumbers: dn,
    featureGroupCount: C,
  });
}

// ---------------------------------------------------------------------------
// reduceWindow

type Monoid = "sum" | "max" | "min";

/** The optional arguments of {@linkcode reduceWindow} as one object. */
export interface ReduceWindowOptions {
  /** Strides (default 1). */
  windowStrides?: readonly number[] | null;
  /** `"VALID"` (default), `"SAME"`, `"SAME_LOWER"` or `[lo, hi]` per axis. */
  padding?: Padding;
  /** Dilation of the operand (default 1). */
  baseDilation?: readonly number[] | null;
  /** Dilation of the window (default 1). */
  windowDilation?: readonly number[] | null;
}

/** Which monoid `f` is: lax.add/max/min by identity, else by probing it on scalars. */
function monoidOf(f: unknown): Monoid | null {
  if (f === add) return "sum";
  if (f === max) return "max";
  if (f === min) return "min";
  if (typeof f !== "function") return null;
  try {
    const at = (a: number, b: number) => {
      const y = (f as (a: NdArray, b: NdArray) => unknown)(
        scalar(a, "float64"),
        scalar(b, "float64"),
      );
      return y instanceof NdArray && y.ndim === 0 && !(y instanceof Tracer)
        ? Number(y.item())
        : NaN;
    };
    // Probed on eval, below any transformation (a staging one would return tracers).
    const r = withHandler(evalHandler, () => [at(2, 3), at(3, 2), at(-1, 5), at(5, -1)]);
    const is = (v: number[]) => r.every((x, i) => x === v[i]);
    if (is([5, 5, 4, 4])) return "sum";
    if (is([3, 3, 5, 5])) return "max";
    if (is([2, 2, -1, -1])) return "min";
  } catch {
    return null;
  }
  return null;
}

function identity(m: Monoid, dtype: string): number {
  if (m === "sum") return 0;
  if (dtype === "int32") return m === "max" ? -2147483648 : 2147483647;
  return m === "max" ? -Infinity : Infinity;
}

/**
 * Reduces each window of `operand` with `computation`, starting from
 * `initValue` (JAX's `lax.reduce_window`, XLA's ReduceWindow; padding
 * elements are skipped). With `lax.add` and 0, `lax.max` and −∞, or
 * `lax.min` and +∞ (or functions that compute the same, such as `np.add`
 * and `np.maximum`), it is one primitive with JAX's derivatives — max
 * pooling's gradient goes to the first maximum of each window; any other
 * computation or initial value is folded over the window elements, each
 * step differentiated as the computation is.
 *
 * @example 2×2 max pooling, stride 2, in NCHW
 * ```ts
 * import { lax, np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * const x = np.arange(16, { dtype: "float64" }).reshape([1, 1, 4, 4]);
 * const y = lax.reduceWindow(x, -Infinity, lax.max, [1, 1, 2, 2], [1, 1, 2, 2], "VALID");
 * deepEqual(y.reshape([2, 2]).tolist(), [[5, 7], [13, 15]]);
 * // The same with the optional arguments as an object:
 * const z = lax.reduceWindow(x, -Infinity, lax.max, [1, 1, 2, 2], { windowStrides: [1, 1, 2, 2] });
 * deepEqual(z.tolist(), y.tolist());
 * ```
 *
 * @param operand The array.
 * @param initValue A scalar: the start of each reduction.
 * @param computation `lax.add`, `lax.max`, `lax.min` or any binary function of arrays.
 * @param windowDimensions Window extent along every axis of `operand`.
 * @param windowStrides Strides (default 1), or all the optional arguments as an options object.
 * @param padding `"VALID"` (default), `"SAME"`, `"SAME_LOWER"` or `[lo, hi]` per axis.
 * @param baseDilation Dilation of `operand` (default 1).
 * @param windowDilation Dilation of the window (default 1).
 * @returns The reduced windows.
 */
export function reduceWindow(
  operand: NdArray,
  initValue: NdArray | number,
  computation: (a: NdArray, b: NdArray) => NdArray,
  windowDimensions: readonly number[],
  windowStrides?: readonly number[] | null | ReduceWindowOptions,
  padding: Padding = "VALID",
  baseDilation?: readonly number[] | null,
  windowDilation?: readonly number[] | null,
): NdArray {
  const fn = "reduceWindow";
  checkArray(fn, "operand", operand);
  if (
    windowStrides !== null && windowStrides !== undefined &&
    !globalThis.Array.isArray(windowStrides)
  ) {
    checkOptions("lax.reduceWindow", windowStrides, [
      "windowStrides",
      "padding",
      "baseDilation",
      "windowDilation",
    ]);
    const o = windowStrides as ReduceWindowOptions;
    return reduceWindow(
      operand,
      initValue,
      computation,
      windowDimensions,
      o.windowStrides,
      o.padding ?? "VALID",
      o.baseDilation,
      o.windowDilation,
    );
  }
  const r = operand.ndim;
  const window = intList(fn, "windowDimensions", windowDimensions, r);
  const ones = new globalThis.Array<number>(r).fill(1);
  const strides = windowStrides == null ? ones : intList(fn, "windowStrides", windowStrides, r);
  const bd = baseDilation == null ? ones : intList(fn, "baseDilation", baseDilation, r);
  const wd = windowDilation == null ? ones : intList(fn, "windowDilation", windowDilation, r);
  const pads = typeof padding === "string"
    ? padtypeToPads(operand.shape, window.map((w, i) => dilateDim(w, wd[i])), strides, padding)
    : explicitPadding(fn, padding, r);
  const p: WindowParams = {
    windowDimensions: window,
    windowStrides: strides,
    padding: pads,
    baseDilation: bd,
    windowDilation: wd,
  };
  if (typeof computation !== "function") {
    fail(fn, `computation must be a function such as lax.add: got ${showValue(computation)}`);
  }
  let init: NdArray;
  if (typeof initValue === "number") init = scalar(initValue, operand.dtype);
  else {
    checkArray(fn, "initValue", initValue);
    if (initValue.ndim !== 0) {
      fail(fn, `initValue must be a scalar: got shape ${showShape(initValue.shape)}`);
    }
    init = convert(initValue, operand.dtype);
  }
  const m = monoidOf(computation);
  if (m !== null && !(init instanceof Tracer)) {
    const v = typeof initValue === "number" ? initValue : Number(init.item());
    const isIdentity = v === identity(m, operand.dtype) ||
      (operand.dtype === "int32" && m !== "sum" && v === (m === "max" ? -Infinity : Infinity));
    if (isIdentity) {
      return m === "sum"
        ? reduceWindowSum(operand, p)
        : m === "max"
        ? reduceWindowMax(operand, p)
        : reduceWindowMin(operand, p);
    }
  }
  return foldWindows(operand, init, computation, p);
}

/** The generic reduction: folds `f` over each window's elements from `init` (padding and dilation holes skipped, as XLA). */
function foldWindows(
  x: NdArray,
  init: NdArray,
  f: (a: NdArray, b: NdArray) => NdArray,
  p: WindowParams,
): NdArray {
  const outShape = x.shape.map((n, i) => {
    const padded = dilateDim(n, p.baseDilation[i]) + p.padding[i][0] + p.padding[i][1];
    if (padded < 0) fail("reduceWindow", `padding [${p.padding[i]}] of axis ${i} is too negative`);
    return strideDim(
      padded,
      dilateDim(p.windowDimensions[i], p.windowDilation[i]),
      p.windowStrides[i],
    );
  });
  const table = windowOffsets({
    inShape: x.shape,
    outShape,
    window: p.windowDimensions,
    strides: p.windowStrides,
    padLo: p.padding.map(([lo]) => lo),
    baseDilation: p.baseDilation,
    windowDilation: p.windowDilation,
  });
  const P = outShape.reduce((a, b) => a * b, 1);
  const K = p.windowDimensions.reduce((a, b) => a * b, 1);
  const flat = concatenate([reshape(x, [x.size]), reshape(init, [1])], 0);
  const idx = new Int32Array(table.length);
  for (let i = 0; i < table.length; i++) idx[i] = table[i] < 0 ? x.size : table[i];
  const gathered = take(flat, new NdArray(idx, [K * P], "int32"), 0);
  let acc: NdArray = broadcastTo(init, outShape);
  for (let k = 0; k < K; k++) {
    const part = (a: NdArray) =>
      reshape(slice(a, { starts: [k * P], limits: [(k + 1) * P], strides: [1] }), outShape);
    const valid = new Uint8Array(P);
    let all = true, none = true;
    for (let q = 0; q < P; q++) {
      valid[q] = table[k * P + q] < 0 ? 0 : 1;
      if (valid[q]) none = false;
      else all = false;
    }
    if (none) continue;
    const next = f(acc, part(gathered));
    acc = all ? next : select(new NdArray(valid, outShape, "bool"), next, acc);
  }
  return acc;
}
