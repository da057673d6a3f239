/**
 * Reductions: `sum`, `prod`, `mean`, `max`, `min`, `argmax`, `argmin`, `var`,
 * `std`, `all`, `any`, `cumsum` and `logsumexp`, composed from the reduction
 * primitives.
 *
 * The axis is the second positional argument, then an options object:
 * `sum(x, axis?, { keepdims, dtype })`. `axis` is a number (negative counts
 * from the end), a list of numbers, or `null`/`undefined` for all axes. The
 * options may also take the axis's place: `sum(x, { keepdims: true })`.
 *
 * @module
 */

import * as P from "../primitives/structural.ts";
import type { ArrayLike, NdArray } from "../array/array.ts";
import { checkDType, type DType, isFloat, sumDTypeOf } from "../array/dtype.ts";
import { normalizeAxes, normalizeAxis, showShape } from "../array/shape.ts";
import { bind } from "../core/handler.ts";
import {
  abs,
  add,
  convert,
  div,
  eq,
  expP,
  isfiniteP,
  log,
  mul,
  notP,
  select,
  sqrt,
  stopGradientP,
  sub,
} from "../primitives/elementwise.ts";
import {
  cumsum as cumsumPrim,
  keptShape,
  reduceMaxP,
  reduceMinP,
  reduceProdP,
  reduceSum,
} from "../primitives/reductions.ts";
import { reshape } from "../primitives/structural.ts";
import { asArray, readOptions, scalarArray } from "./_args.ts";
import { astype, isnan, logicalNot, multiply, where } from "./math.ts";
import { filled } from "../array/create.ts";
import { axisArgs } from "./_args.ts";
import { checkInt } from "./_args.ts";
import { floatOf } from "./_args.ts";
import { sliceAxis } from "./_args.ts";
import { withoutNan } from "./_args.ts";
import { axisOptions } from "./_args.ts";
import { showValue } from "../array/shape.ts";
import { checkOptions } from "../core/options.ts";
/** An `axis` argument: one axis, several, or `null`/`undefined` for all. */
export type Axis = number | readonly number[] | null | undefined;

/** Options of the reductions that keep reduced axes. */
export interface KeepDimsOptions {
  /** Keep reduced axes as length 1, so the result broadcasts against the input (default `false`). */
  keepdims?: boolean;
}

/** Options of `sum`, `prod` and `mean`. */
export interface ReduceOptions extends KeepDimsOptions {
  /** The dtype to accumulate in and return. */
  dtype?: DType;
}

/** Options of `var` and `std`. */
export interface VarOptions extends KeepDimsOptions {
  /** Delta degrees of freedom: the divisor is `N - ddof` (default 0). */
  ddof?: number;
  /** The float dtype to compute in and return (`float32` or `float64`). */
  dtype?: DType;
}

function keep(y: NdArray, x: NdArray, axes: readonly number[], keepdims: boolean): NdArray {
  return keepdims ? reshape(y, keptShape(x.shape, axes)) : y;
}

/**
 * `x` converted to `dtype`, or by default to JAX's accumulation type: `bool`,
 * `int8`, `int16` to `int32`, `uint8`, `uint16` to `uint32` (JAX's `int64` and
 * `uint64`; nabla has no 64-bit integers).
 */
function accumulate(x: NdArray, dtype: DType | undefined): NdArray {
  if (dtype !== undefined) return convert(x, checkDType(dtype));
  return convert(x, sumDTypeOf(x.dtype));
}

function countOf(x: NdArray, axes: readonly number[]): number {
  return axes.reduce((n, a) => n * x.shape[a], 1);
}

/**
 * Sum of elements over `axis`. `bool` and `int32` input sums in `int32`
 * (`int8`, `int16` too; `uint8`, `uint16`, `uint32` in `uint32`).
 *
 * @example Sums over all axes and along one
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual, equal } from "node:assert/strict";
 *
 * const x = np.array([[1, 2], [3, 4]]);
 * equal(np.sum(x).item(), 10);
 * deepEqual(np.sum(x, 0).tolist(), [4, 6]);
 * deepEqual(np.sum(x, -1, { keepdims: true }).tolist(), [[3], [7]]);
 * ```
 *
 * @param x The input.
 * @param axisOrOpts Axis or axes to reduce (all by default), or the options.
 * @param options `keepdims` (default `false`) and `dtype` (or just a dtype name).
 * @returns The sums.
 */
export function sum(
  x: ArrayLike,
  axisOrOpts?: Axis | ReduceOptions,
  options: ReduceOptions | DType = {},
): NdArray {
  checkOptions("sum", axisOrOpts, ["dtype", "keepdims"]);
  checkOptions("sum", options, ["dtype", "keepdims"]);
  const [axis, opts] = axisArgs("sum", axisOrOpts, options);
  const a = accumulate(asArray(x), opts.dtype);
  const axes = normalizeAxes(axis, a.ndim);
  return keep(reduceSum(a, axes), a, axes, opts.keepdims ?? false);
}

/**
 * Product of elements over `axis` (1 for an empty reduction). `bool` and
 * `int32` input multiplies in `int32` (wrapping).
 *
 * @example Products
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual, equal } from "node:assert/strict";
 *
 * const x = np.array([[1, 2], [3, 4]]);
 * equal(np.prod(x).item(), 24);
 * deepEqual(np.prod(x, 1).tolist(), [2, 12]);
 * ```
 *
 * @param x The input.
 * @param axisOrOpts Axis or axes to reduce (all by default), or the options.
 * @param options `keepdims` (default `false`) and `dtype` (or just a dtype name).
 * @returns The products.
 */
export function prod(
  x: ArrayLike,
  axisOrOpts?: Axis | ReduceOptions,
  options: ReduceOptions | DType = {},
): NdArray {
  checkOptions("prod", axisOrOpts, ["dtype", "keepdims"]);
  checkOptions("prod", options, ["dtype", "keepdims"]);
  const [axis, opts] = axisArgs("prod", axisOrOpts, options);
  const a = accumulate(asArray(x), opts.dtype);
  const axes = normalizeAxes(axis, a.ndim);
  const y = axes.length === 0 ? a : bind(reduceProdP, [a], { axes });
  return keep(y, a, axes, opts.keepdims ?? false);
}

/**
 * Arithmetic mean over `axis`; integer and bool input gives `float64`. The
 * mean of an empty reduction is NaN.
 *
 * @example Means
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual, equal } from "node:assert/strict";
 *
 * const x = np.array([[1, 2], [3, 4]]);
 * equal(np.mean(x).item(), 2.5);
 * deepEqual(np.mean(x, 0).tolist(), [2, 3]);
 * ```
 *
 * @param x The input.
 * @param axisOrOpts Axis or axes to reduce (all by default), or the options.
 * @param options `keepdims` (default `false`) and `dtype` (or just a dtype name).
 * @returns The means.
 */
export function mean(
  x: ArrayLike,
  axisOrOpts?: Axis | ReduceOptions,
  options: ReduceOptions | DType = {},
): NdArray {
  checkOptions("mean", axisOrOpts, ["dtype", "keepdims"]);
  checkOptions("mean", options, ["dtype", "keepdims"]);
  const [axis, opts] = axisArgs("mean", axisOrOpts, options);
  const a = floatOf(x, opts.dtype);
  const axes = normalizeAxes(axis, a.ndim);
  const s = reduceSum(a, axes);
  const n = countOf(a, axes);
  const m = div(s, scalarArray(n, s.dtype));
  return keep(m, a, axes, opts.keepdims ?? false);
}

function variance(x: ArrayLike, axis: Axis, opts: VarOptions): { v: NdArray; a: NdArray } {
  const { ddof = 0 } = opts;
  if (typeof ddof !== "number" || !Number.isFinite(ddof)) {
    throw new TypeError(`Invalid ddof: expected a finite number, got ${ddof}`);
  }
  if (opts.dtype !== undefined && !isFloat(checkDType(opts.dtype))) {
    throw new TypeError(
      `Invalid dtype for var and std: expected "float32" or "float64", got ${
        showValue(opts.dtype)
      }`,
    );
  }
  const a = floatOf(x, opts.dtype);
  const axes = normalizeAxes(axis, a.ndim);
  const n = countOf(a, axes);
  const m = div(reduceSum(a, axes), scalarArray(n, a.dtype));
  const centered = sub(a, reshape(m, keptShape(a.shape, axes)));
  const ss = reduceSum(mul(centered, centered), axes);
  // NumPy divides by max(N - ddof, 0): 0/0 is NaN, x/0 is Infinity.
  const v = div(ss, scalarArray(Math.max(n - ddof, 0), a.dtype));
  return { v: keep(v, a, axes, opts.keepdims ?? false), a };
}

/**
 * Variance over `axis`: the mean of squared deviations from the mean,
 * divided by `N - ddof` (NumPy's two-pass formula). Integer input gives
 * `float64`.
 *
 * @example Population and sample variance
 * ```ts
 * import { np } from "@nabla/ad";
 * import { equal } from "node:assert/strict";
 *
 * const x = np.array([1, 2, 3, 4]);
 * equal(np.var(x).item(), 1.25);
 * equal(np.var(x, null, { ddof: 1 }).item(), 5 / 3);
 * ```
 *
 * @param x The input.
 * @param axisOrOpts Axis or axes to reduce (all by default), or the options.
 * @param options `ddof` (default 0), `keepdims` (default `false`) and `dtype` (a float dtype; or just its name).
 * @returns The variances.
 */
function var_(
  x: ArrayLike,
  axisOrOpts?: Axis | VarOptions,
  options: VarOptions | DType = {},
): NdArray {
  const [axis, opts] = axisArgs("var", axisOrOpts, options);
  return variance(x, axis, opts).v;
}
export { var_ as var };

/**
 * Standard deviation over `axis`: `sqrt(var(x, axis, opts))`.
 *
 * @example Standard deviation
 * ```ts
 * import { np } from "@nabla/ad";
 * import { equal } from "node:assert/strict";
 *
 * equal(np.std([1, 3]).item(), 1);
 * ```
 *
 * @param x The input.
 * @param axisOrOpts Axis or axes to reduce (all by default), or the options.
 * @param options `ddof` (default 0), `keepdims` (default `false`) and `dtype` (a float dtype; or just its name).
 * @returns The standard deviations.
 */
export function std(
  x: ArrayLike,
  axisOrOpts?: Axis | VarOptions,
  options: VarOptions | DType = {},
): NdArray {
  checkOptions("std", axisOrOpts, ["ddof", "dtype", "keepdims"]);
  checkOptions("std", options, ["ddof", "dtype", "keepdims"]);
  const [axis, opts] = axisArgs("std", axisOrOpts, options);
  return sqrt(variance(x, axis, opts).v);
}

function extremum(
  name: "maximum" | "minimum",
  x: ArrayLike,
  axis: Axis,
  opts: KeepDimsOptions,
): NdArray {
  const a = asArray(x);
  const axes = normalizeAxes(axis, a.ndim);
  if (axes.some((ax) => a.shape[ax] === 0)) {
    throw new RangeError(
      `Cannot compute the ${name} of an empty array: zero-size reduction over axes [${axes}] of shape ${
        showShape(a.shape)
      } has no identity`,
    );
  }
  const y = axes.length === 0
    ? a
    : bind(name === "maximum" ? reduceMaxP : reduceMinP, [a], { axes });
  return keep(y, a, axes, opts.keepdims ?? false);
}

/**
 * Maximum over `axis`; NaN propagates. An empty reduction throws a
 * `RangeError` (it has no identity), as NumPy.
 *
 * @example Maxima
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual, equal } from "node:assert/strict";
 *
 * const x = np.array([[1, 5], [3, 2]]);
 * equal(np.max(x).item(), 5);
 * deepEqual(np.max(x, 0).tolist(), [3, 5]);
 * ```
 *
 * @param x The input.
 * @param axisOrOpts Axis or axes to reduce (all by default), or the options.
 * @param options `keepdims` (default `false`).
 * @returns The maxima.
 */
export function max(
  x: ArrayLike,
  axisOrOpts?: Axis | KeepDimsOptions,
  options: KeepDimsOptions = {},
): NdArray {
  checkOptions("max", axisOrOpts, ["keepdims"]);
  checkOptions("max", options, ["keepdims"]);
  const [axis, opts] = axisArgs("max", axisOrOpts, options);
  return extremum("maximum", x, axis, opts);
}

/**
 * Minimum over `axis`; NaN propagates. An empty reduction throws a
 * `RangeError`.
 *
 * @example Minima
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual, equal } from "node:assert/strict";
 *
 * const x = np.array([[1, 5], [3, 2]]);
 * equal(np.min(x).item(), 1);
 * deepEqual(np.min(x, 1).tolist(), [1, 2]);
 * ```
 *
 * @param x The input.
 * @param axisOrOpts Axis or axes to reduce (all by default), or the options.
 * @param options `keepdims` (default `false`).
 * @returns The minima.
 */
export function min(
  x: ArrayLike,
  axisOrOpts?: Axis | KeepDimsOptions,
  options: KeepDimsOptions = {},
): NdArray {
  checkOptions("min", axisOrOpts, ["keepdims"]);
  checkOptions("min", options, ["keepdims"]);
  const [axis, opts] = axisArgs("min", axisOrOpts, options);
  return extremum("minimum", x, axis, opts);
}

/** The number of `false` (with `negate`) or `true` elements of `b` over `axes`, in `int32`. */
function countTrue(b: NdArray, axes: readonly number[], negate: boolean): NdArray {
  const v = negate ? bind(notP, [b], undefined) : b;
  return reduceSum(convert(v, "int32"), axes);
}

function toBool(x: ArrayLike): NdArray {
  const a = asArray(x);
  return a.dtype === "bool" ? a : convert(a, "bool");
}

/**
 * Whether all elements along `axis` are true (nonzero); `true` for an empty
 * reduction.
 *
 * @example All
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual, equal } from "node:assert/strict";
 *
 * const x = np.array([[1, 0], [1, 1]]);
 * equal(np.all(x).item(), false);
 * deepEqual(np.all(x, 1).tolist(), [false, true]);
 * ```
 *
 * @param x The input.
 * @param axisOrOpts Axis or axes to reduce (all by default), or the options.
 * @param options `keepdims` (default `false`).
 * @returns A `bool` array.
 */
export function all(
  x: ArrayLike,
  axisOrOpts?: Axis | KeepDimsOptions,
  options: KeepDimsOptions = {},
): NdArray {
  checkOptions("all", axisOrOpts, ["keepdims"]);
  checkOptions("all", options, ["keepdims"]);
  const [axis, opts] = axisArgs("all", axisOrOpts, options);
  const b = toBool(x);
  const axes = normalizeAxes(axis, b.ndim);
  const y = eq(countTrue(b, axes, true), scalarArray(0, "int32"));
  return keep(y, b, axes, opts.keepdims ?? false);
}

/**
 * Whether any element along `axis` is true (nonzero); `false` for an empty
 * reduction.
 *
 * @example Any
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual, equal } from "node:assert/strict";
 *
 * const x = np.array([[1, 0], [0, 0]]);
 * equal(np.any(x).item(), true);
 * deepEqual(np.any(x, 1).tolist(), [true, false]);
 * ```
 *
 * @param x The input.
 * @param axisOrOpts Axis or axes to reduce (all by default), or the options.
 * @param options `keepdims` (default `false`).
 * @returns A `bool` array.
 */
export function any(
  x: ArrayLike,
  axisOrOpts?: Axis | KeepDimsOptions,
  options: KeepDimsOptions = {},
): NdArray {
  checkOptions("any", axisOrOpts, ["keepdims"]);
  checkOptions("any", options, ["keepdims"]);
  const [axis, opts] = axisArgs("any", axisOrOpts, options);
  const b = toBool(x);
  const axes = normalizeAxes(axis, b.ndim);
  const y = bind(notP, [eq(countTrue(b, axes, false), scalarArray(0, "int32"))], undefined);
  return keep(y, b, axes, opts.keepdims ?? false);
}

/** Options of {@linkcode cumsum}. */
export interface CumsumOptions {
  /** The dtype to accumulate in and return. */
  dtype?: DType;
}

/**
 * Inclusive cumulative sum along `axis`; without an axis, over the
 * flattened array. `bool` and `int32` input accumulates in `int32`.
 *
 * @example Running totals
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.cumsum([1, 2, 3]).tolist(), [1, 3, 6]);
 * deepEqual(np.cumsum([[1, 2], [3, 4]], 0).tolist(), [[1, 2], [4, 6]]);
 * deepEqual(np.cumsum([[1, 2], [3, 4]]).tolist(), [1, 3, 6, 10]);
 * ```
 *
 * @param x The input.
 * @param axisOrOpts The axis (the flattened array by default), or the options.
 * @param options `dtype` (or just a dtype name).
 * @returns An array of the shape of `x` (1-D when flattened).
 */
export function cumsum(
  x: ArrayLike,
  axisOrOpts?: number | null | CumsumOptions,
  options: CumsumOptions | DType = {},
): NdArray {
  checkOptions("cumsum", axisOrOpts, ["dtype"]);
  checkOptions("cumsum", options, ["dtype"]);
  const [axis, opts] = axisArgs("cumsum", axisOrOpts, options, false);
  // JAX: a cumulative sum keeps an integer dtype (int8 stays int8); bool counts in int32.
  let a = asArray(x);
  a = opts.dtype !== undefined
    ? convert(a, checkDType(opts.dtype))
    : a.dtype === "bool"
    ? convert(a, "int32")
    : a;
  let ax: number;
  // a 0-d input is a 1-d one of length 1, also with axis 0 or -1 (as JAX)
  if (axis === null || axis === undefined || (a.ndim === 0 && (axis === 0 || axis === -1))) {
    a = reshape(a, [a.size]);
    ax = 0;
  } else {
    ax = normalizeAxis(axis as number, a.ndim);
  }
  return cumsumPrim(a, ax);
}

/**
 * `log(sum(exp(x)))` over `axis`, computed stably as JAX does: with
 * `m = max(x)` (0 where not finite, and held constant for the gradient),
 * `log(sum(exp(x - m))) + m`. All `-Infinity` gives `-Infinity`, any
 * `+Infinity` gives `+Infinity`, an empty reduction `-Infinity`.
 *
 * @example Stable for large inputs
 * ```ts
 * import { np } from "@nabla/ad";
 * import { equal } from "node:assert/strict";
 *
 * equal(np.logsumexp([1000, 1000]).item(), 1000 + Math.LN2);
 * equal(np.logsumexp([-Infinity, -Infinity]).item(), -Infinity);
 * ```
 *
 * @param x The input.
 * @param axisOrOpts Axis or axes to reduce (all by default), or the options.
 * @param options `keepdims` (default `false`).
 * @returns The log-sum-exps.
 */
export function logsumexp(
  x: ArrayLike,
  axisOrOpts?: Axis | KeepDimsOptions,
  options: KeepDimsOptions = {},
): NdArray {
  checkOptions("logsumexp", axisOrOpts, ["keepdims"]);
  checkOptions("logsumexp", options, ["keepdims"]);
  const [axis, opts] = axisArgs("logsumexp", axisOrOpts, options);
  const a = floatOf(x);
  const axes = normalizeAxes(axis, a.ndim);
  const kept = keptShape(a.shape, axes);
  const zero = scalarArray(0, a.dtype);
  let amax: NdArray;
  if (axes.some((ax) => a.shape[ax] === 0)) {
    amax = reshape(zero, []);
  } else {
    const m = axes.length === 0 ? a : bind(reduceMaxP, [a], { axes });
    const finite = bind(isfiniteP, [m], undefined);
    amax = bind(stopGradientP, [select(finite, m, zero)], undefined);
  }
  const amaxKept = amax.ndim === 0 ? amax : reshape(amax, kept);
  const e = bind(expP, [sub(a, amaxKept)], undefined);
  const s = reduceSum(e, axes);
  const out = add(log(abs(s)), amax);
  return keep(out, a, axes, opts.keepdims ?? false);
}

/** Options of {@linkcode cumprod}. */
export interface CumprodOptions {
  /** The dtype to accumulate in and return. */
  dtype?: DType;
}

/**
 * Inclusive cumulative product along `axis`; without an axis, over the
 * flattened array. `bool` and `int32` input multiplies in `int32`. Built as
 * a log-depth (Hillis–Steele) scan of products, so it is exact to rounding
 * and its derivative is right at zeros; the association order differs from
 * NumPy's left-to-right loop, so floats may differ in the last bits.
 *
 * @example Running products
 * ```ts
 * import { grad, np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.cumprod([1, 2, 3, 4]).tolist(), [1, 2, 6, 24]);
 * deepEqual(np.cumprod([[1, 2], [3, 4]], 1).tolist(), [[1, 2], [3, 12]]);
 * // d/dx of the last product of [2, 0, 3] is [0, 6, 0]
 * deepEqual(grad((x) => np.cumprod(x).get(-1))(np.array([2, 0, 3])).tolist(), [0, 6, 0]);
 * ```
 *
 * @param x The input.
 * @param axisOrOpts The axis (the flattened array by default), or the options.
 * @param options `dtype` (or just a dtype name).
 * @returns An array of the shape of `x` (1-D when flattened).
 */
export function cumprod(
  x: ArrayLike,
  axisOrOpts?: number | null | CumprodOptions,
  options: CumprodOptions | DType = {},
): NdArray {
  checkOptions("cumprod", axisOrOpts, ["dtype"]);
  checkOptions("cumprod", options, ["dtype"]);
  let axis: number | null | undefined;
  let opts: CumprodOptions;
  if (typeof axisOrOpts === "object" && axisOrOpts !== null) {
    axis = undefined;
    opts = readOptions("cumprod", axisOrOpts, true);
  } else {
    axis = axisOrOpts;
    opts = readOptions("cumprod", options, true);
  }
  let a = asArray(x);
  if (opts.dtype !== undefined) a = astype(a, checkDType(opts.dtype));
  else if (a.dtype === "bool") a = astype(a, "int32");
  let ax: number;
  // a 0-d input is a 1-d one of length 1, also with axis 0 or -1 (as JAX)
  if (axis === null || axis === undefined || (a.ndim === 0 && (axis === 0 || axis === -1))) {
    a = P.reshape(a, [a.size]);
    ax = 0;
  } else {
    ax = normalizeAxis(checkInt("cumprod", "axis", axis), a.ndim);
  }
  const n = a.shape[ax];
  let y = a;
  for (let d = 1; d < n; d *= 2) {
    const ones = filled(y.shape.map((s, i) => (i === ax ? d : s)), 1, y.dtype);
    const shifted = P.concatenate([ones, sliceAxis(y, ax, 0, n - d)], ax);
    y = multiply(y, shifted);
  }
  return y;
}

/** Options of {@linkcode nansum}. */
export interface NansumOptions extends KeepDimsOptions {
  /** The dtype to accumulate in and return. */
  dtype?: DType;
}

/**
 * The sum over `axis`, treating NaN as zero (its gradient there is zero).
 *
 * @example Ignoring NaN
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual, equal } from "node:assert/strict";
 *
 * equal(np.nansum([1, NaN, 2]).item(), 3);
 * deepEqual(np.nansum([[1, NaN], [NaN, NaN]], 1).tolist(), [1, 0]);
 * ```
 *
 * @param x The data.
 * @param axisOrOpts Axis or axes to reduce (all by default), or the options.
 * @param opts `keepdims` and `dtype` (or just a dtype name).
 * @returns The sums.
 */
export function nansum(
  x: ArrayLike,
  axisOrOpts?: Axis | NansumOptions,
  opts?: NansumOptions | DType,
): NdArray {
  checkOptions("nansum", axisOrOpts, ["dtype", "keepdims"]);
  checkOptions("nansum", opts, ["dtype", "keepdims"]);
  const [axis, o] = axisOptions("nansum", axisOrOpts, opts, true);
  let a = asArray(x);
  if (o.dtype !== undefined) a = convert(a, checkDType(o.dtype));
  return sum(withoutNan(a, 0), axis, { keepdims: o.keepdims });
}

function nanExtremum(name: string, x: ArrayLike, axis: Axis, o: KeepDimsOptions): NdArray {
  const a = asArray(x);
  const isMax = name === "nanmax";
  const r = (isMax ? max : min)(withoutNan(a, isMax ? -Infinity : Infinity), axis, o);
  if (!isFloat(a.dtype)) return r;
  const axes = normalizeAxes(axis, a.ndim);
  let allNan = logicalNot(any(logicalNot(isnan(a)), axes));
  if (o.keepdims) allNan = P.reshape(allNan, keptShape(a.shape, axes));
  return where(allNan, scalarArray(NaN, r.dtype), r);
}

/**
 * The maximum over `axis`, ignoring NaN (NaN where all are). Ties share the
 * gradient; NaN positions get none. An empty reduction throws.
 *
 * @example Ignoring NaN
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual, equal } from "node:assert/strict";
 *
 * equal(np.nanmax([1, NaN, 3]).item(), 3);
 * deepEqual(np.nanmax([[1, NaN], [NaN, NaN]], 1).tolist(), [1, NaN]);
 * ```
 *
 * @param x The data.
 * @param axisOrOpts Axis or axes to reduce (all by default), or the options.
 * @param opts `keepdims`.
 * @returns The maxima.
 */
export function nanmax(
  x: ArrayLike,
  axisOrOpts?: Axis | KeepDimsOptions,
  opts?: KeepDimsOptions,
): NdArray {
  checkOptions("nanmax", axisOrOpts, ["keepdims"]);
  checkOptions("nanmax", opts, ["keepdims"]);
  const [axis, o] = axisOptions("nanmax", axisOrOpts, opts);
  return nanExtremum("nanmax", x, axis, o);
}

/**
 * The minimum over `axis`, ignoring NaN (NaN where all are). Ties share the
 * gradient; NaN positions get none. An empty reduction throws.
 *
 * @example Ignoring NaN
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual, equal } from "node:assert/strict";
 *
 * equal(np.nanmin([1, NaN, 3]).item(), 1);
 * deepEqual(np.nanmin([[NaN, 2], [NaN, NaN]], 1).tolist(), [2, NaN]);
 * ```
 *
 * @param x The data.
 * @param axisOrOpts Axis or axes to reduce (all by default), or the options.
 * @param opts `keepdims`.
 * @returns The minima.
 */
export function nanmin(
  x: ArrayLike,
  axisOrOpts?: Axis | KeepDimsOptions,
  opts?: KeepDimsOptions,
): NdArray {
  checkOptions("nanmin", axisOrOpts, ["keepdims"]);
  checkOptions("nanmin", opts, ["keepdims"]);
  const [axis, o] = axisOptions("nanmin", axisOrOpts, opts);
  return nanExtremum("nanmin", x, axis, o);
}
