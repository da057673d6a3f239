/**
 * Sorting and statistics for the `np` namespace: `sort`, `argsort`,
 * `median`, `quantile`, `percentile`, `average`, `ptp`, the NaN-ignoring
 * reductions `nansum`, `nanmean`, `nanmax`, `nanmin`, `countNonzero` and
 * `interp`.
 *
 * Sorting binds the `argsort` primitive (stable, NaN last); sorted values
 * are gathered with `take`, so gradients flow to the elements that land in
 * each position, and everything batches under `vmap`.
 *
 * @module
 */

import { type ArrayLike, NdArray } from "../array/array.ts";
import { checkDType, type DType, isFloat } from "../array/dtype.ts";
import { normalizeAxes, normalizeAxis, showShape } from "../array/shape.ts";
import { bind, Tracer } from "../core/handler.ts";
import { add as addPrim, convert } from "../primitives/elementwise.ts";
import { argsortP } from "../primitives/sort.ts";
import { keptShape, reduceSum } from "../primitives/reductions.ts";
import * as P from "../primitives/structural.ts";
import { asArray, readOptions, scalarArray } from "./_convert.ts";
import {
  add,
  astype,
  ceil,
  divide,
  equal,
  floor,
  greater,
  greaterEqual,
  isnan,
  less,
  lessEqual,
  logicalAnd,
  logicalNot,
  multiply,
  notEqual,
  round,
  subtract,
  where,
} from "./math.ts";
import { any, type Axis, type KeepDimsOptions, max, min, sum } from "./reductions.ts";

// ---------------------------------------------------------------------------
// Helpers

/** Splits `(axisOrOpts, options)` as the reductions do: the options may take the axis's place. */
function axisArgs<O extends object>(
  name: string,
  axis: Axis | O,
  opts: O | DType | undefined,
  dtypeShorthand = false,
): [Axis, O] {
  if (typeof axis === "object" && axis !== null && !globalThis.Array.isArray(axis)) {
    return [undefined, readOptions(name, axis as O, dtypeShorthand)];
  }
  const o = readOptions(name, opts as O | DType | undefined, dtypeShorthand);
  if (axis === null || axis === undefined) return [axis, o];
  const items = globalThis.Array.isArray(axis) ? axis : [axis];
  if (!items.every((a) => typeof a === "number" && Number.isInteger(a))) {
    throw new TypeError(
      `Invalid axis for ${name}: expected an integer, a list of integers or null, got ${
        JSON.stringify(axis)
      }`,
    );
  }
  return [axis as Axis, o];
}

function floatOf(x: ArrayLike): NdArray {
  const a = asArray(x);
  return isFloat(a.dtype) ? a : convert(a, "float64");
}

/** Moves `axis` of `x` to the end. */
function toLast(x: NdArray, axis: number): NdArray {
  if (axis === x.ndim - 1) return x;
  const perm = x.shape.map((_, i) => i).filter((i) => i !== axis);
  return P.transpose(x, [...perm, axis]);
}

/** Moves the last axis of `x` to `axis`. */
function fromLast(x: NdArray, axis: number): NdArray {
  const last = x.ndim - 1;
  if (axis === last) return x;
  const perm: number[] = [];
  for (let i = 0; i < last; i++) perm.push(i);
  perm.splice(axis, 0, last);
  return P.transpose(x, perm);
}

/** `v[..., idx[..., j]]` along the last axis (NumPy's `take_along_axis`), as one flat `take`. */
function takeAlongLast(v: NdArray, idx: NdArray): NdArray {
  const m = v.shape[v.ndim - 1];
  const rest = v.shape.slice(0, -1);
  const rows = rest.reduce((a, b) => a * b, 1);
  const k = idx.shape[idx.ndim - 1];
  const offsets = new NdArray(
    Int32Array.from({ length: rows }, (_, r) => r * m),
    [rows, 1],
    "int32",
  );
  const flat = addPrim(P.reshape(idx, [rows, k]), offsets);
  return P.reshape(P.take(P.reshape(v, [rows * m]), flat, 0), [...rest, k]);
}

function argsortPrim(a: NdArray): NdArray {
  return bind(argsortP, [a], { unsigned: false });
}

/** Stable ascending order along the last axis, NaN after +Infinity (NumPy's total order). */
function argsortLast(a: NdArray, descending: boolean): NdArray {
  const m = a.shape[a.ndim - 1];
  if (descending) {
    // Reversed, sorted stably, reversed back: ties keep their order, NaN comes first.
    const r = P.rev(argsortLast(P.rev(a, [a.ndim - 1]), false), [a.ndim - 1]);
    return subtract(scalarArray(m - 1, "int32"), r);
  }
  return argsortPrim(a); // stable, NaN after +Infinity
}

/** Options of {@linkcode sort} and {@linkcode argsort}. */
export interface SortOptions {
  /** Sort in descending order (default `false`); ties keep their order and NaN comes first. */
  descending?: boolean;
}

function sortArgs(
  name: string,
  x: ArrayLike,
  axis: number | null | SortOptions | undefined,
  opts: SortOptions,
): [NdArray, number, boolean, boolean] {
  if (typeof axis === "object" && axis !== null) {
    opts = axis;
    axis = -1;
  }
  const o = readOptions(name, opts, false);
  let a = asArray(x);
  const flat = axis === null;
  if (flat) a = P.reshape(a, [a.size]);
  else if (typeof axis !== "number" || !Number.isInteger(axis)) {
    throw new TypeError(
      `Invalid axis for ${name}: expected an integer or null, got ${JSON.stringify(axis)}`,
    );
  }
  if (a.ndim === 0) {
    throw new RangeError(`Axis ${axis} is out of bounds for an array of rank 0`);
  }
  const ax = flat ? 0 : normalizeAxis(axis as number, a.ndim);
  return [a, ax, flat, o.descending ?? false];
}

/**
 * The indices that sort `x` along `axis` (`int32`; `axis: null` sorts the
 * flattened array). The sort is stable, and NaN sorts last, as NumPy's.
 *
 * @example Sort orders
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.argsort([3, 1, 2]).tolist(), [1, 2, 0]);
 * deepEqual(np.argsort([NaN, Infinity, 1]).tolist(), [2, 1, 0]);
 * deepEqual(np.argsort([[3, 1], [0, 2]], 0).tolist(), [[1, 0], [0, 1]]);
 * deepEqual(np.argsort([1, 3, 2], { descending: true }).tolist(), [1, 2, 0]);
 * ```
 *
 * @param x The array.
 * @param axisOrOpts The axis (default the last; `null` flattens), or the options.
 * @param opts `descending` (default `false`).
 * @returns The sorting indices, of the shape of `x` (1-D when flattened).
 */
export function argsort(
  x: ArrayLike,
  axisOrOpts: number | null | SortOptions = -1,
  opts: SortOptions = {},
): NdArray {
  const [a, ax, , desc] = sortArgs("argsort", x, axisOrOpts, opts);
  return fromLast(argsortLast(toLast(a, ax), desc), ax);
}

/**
 * `x` sorted along `axis` (`axis: null` sorts the flattened array); stable,
 * NaN last, as NumPy's. The values are gathered, so the gradient of each
 * output position flows to the element that lands there.
 *
 * @example Sorting and its gradient
 * ```ts
 * import { grad, np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.sort([3, NaN, 1, 2]).tolist(), [1, 2, 3, NaN]);
 * deepEqual(np.sort([[3, 1], [0, 2]], 0).tolist(), [[0, 1], [3, 2]]);
 * // the largest element gets the weight of the last position
 * const g = grad((x) => np.sum(np.multiply(np.sort(x), np.array([1, 2, 3]))));
 * deepEqual(g(np.array([5, 4, 6])).tolist(), [2, 1, 3]);
 * ```
 *
 * @param x The array.
 * @param axisOrOpts The axis (default the last; `null` flattens), or the options.
 * @param opts `descending` (default `false`).
 * @returns The sorted array, of the shape of `x` (1-D when flattened).
 */
export function sort(
  x: ArrayLike,
  axisOrOpts: number | null | SortOptions = -1,
  opts: SortOptions = {},
): NdArray {
  const [a, ax, , desc] = sortArgs("sort", x, axisOrOpts, opts);
  const v = toLast(a, ax);
  return fromLast(takeAlongLast(v, argsortLast(v, desc)), ax);
}

// ---------------------------------------------------------------------------
// Quantiles

/** How {@linkcode quantile} picks a value between two order statistics. */
export type QuantileMethod = "linear" | "lower" | "higher" | "midpoint" | "nearest";

/** Options of {@linkcode quantile}, {@linkcode percentile} and {@linkcode median}. */
export interface QuantileOptions extends KeepDimsOptions {
  /** Interpolation between order statistics (default `"linear"`). */
  method?: QuantileMethod;
}

const METHODS: readonly QuantileMethod[] = ["linear", "lower", "higher", "midpoint", "nearest"];

/** `x` with `axes` merged into one last axis (sorted), plus the result's kept shape. */
function sortedAlong(name: string, x: NdArray, axis: Axis): [NdArray, number[], number[]] {
  const axes = normalizeAxes(axis, x.ndim);
  const rest = x.shape.map((_, i) => i).filter((i) => !axes.includes(i));
  const t = P.transpose(x, [...rest, ...axes]);
  const n = axes.reduce((s, a) => s * x.shape[a], 1);
  const outer = rest.map((i) => x.shape[i]);
  if (n === 0) {
    throw new RangeError(
      `Cannot compute the ${name} of an empty array: zero-size reduction over axes [${axes}] of shape ${
        showShape(x.shape)
      }`,
    );
  }
  const merged = P.reshape(t, [...outer, n]);
  return [sort(merged, -1), outer, keptShape(x.shape, axes)];
}

/** NaN where the reduced elements hold a NaN (NumPy's quantiles propagate NaN). */
function propagateNan(
  out: NdArray,
  x: NdArray,
  axis: Axis,
  kept: number[],
  keepdims: boolean,
): NdArray {
  if (!isFloat(x.dtype)) return out;
  const axes = normalizeAxes(axis, x.ndim);
  let has = any(isnan(x), axes);
  if (keepdims) has = P.reshape(has, kept);
  return where(has, scalarArray(NaN, out.dtype), out);
}

function quantileImpl(
  name: string,
  x: ArrayLike,
  q: ArrayLike,
  axis: Axis,
  opts: QuantileOptions,
  scale: number,
): NdArray {
  const method = opts.method ?? "linear";
  if (!METHODS.includes(method)) {
    throw new TypeError(
      `Invalid method for ${name}: expected one of ${METHODS.join(", ")}, got ${
        JSON.stringify(method)
      }`,
    );
  }
  const a = floatOf(x);
  let qa = typeof q === "number" ? scalarArray(q, a.dtype) : floatOf(q);
  if (!(qa instanceof Tracer)) {
    const d = qa.data;
    for (let i = 0; i < d.length; i++) {
      if (!(d[i] >= 0 && d[i] <= scale)) {
        throw new RangeError(
          `${
            name === "percentile" ? "Percentiles" : "Quantiles"
          } must be in the range [0, ${scale}]: got ${d[i]}`,
        );
      }
    }
  }
  if (scale !== 1) qa = divide(qa, scalarArray(scale, qa.dtype));
  if (qa.dtype !== a.dtype) qa = astype(qa, a.dtype);
  const [s, outer, kept] = sortedAlong(name, a, axis);
  const n = s.shape[s.ndim - 1];
  const v = multiply(qa, scalarArray(n - 1, a.dtype));
  const at = (i: NdArray) => {
    // Gather along the last axis: (...outer, ...q.shape), then the q axes first.
    const idx = convert(i, "int32");
    const g = P.take(s, idx, s.ndim - 1);
    const nq = idx.ndim, no = outer.length;
    const perm = [...globalThis.Array.from({ length: nq }, (_, j) => no + j)];
    for (let j = 0; j < no; j++) perm.push(j);
    return P.transpose(g, perm);
  };
  const clip = (i: NdArray) =>
    where(
      greater(i, n - 1),
      scalarArray(n - 1, i.dtype),
      where(less(i, 0), scalarArray(0, i.dtype), i),
    );
  let out: NdArray;
  if (method === "lower") out = at(clip(floor(v)));
  else if (method === "higher") out = at(clip(ceil(v)));
  else if (method === "nearest") out = at(clip(round(v)));
  else {
    const vi = method === "midpoint"
      ? multiply(add(floor(v), ceil(v)), scalarArray(0.5, v.dtype))
      : v;
    const prev = clip(floor(vi));
    const next = clip(add(prev, scalarArray(1, prev.dtype)));
    let gamma = subtract(vi, prev);
    if (method === "midpoint") {
      gamma = where(equal(vi, floor(vi)), scalarArray(0, v.dtype), scalarArray(0.5, v.dtype));
    }
    const lo = at(prev), hi = at(next);
    const g = P.reshape(gamma, [...gamma.shape, ...outer.map(() => 1)]);
    // NumPy's _lerp: a + (b - a)·t, or b - (b - a)·(1 - t) where t >= 0.5.
    const d = subtract(hi, lo);
    out = where(
      greaterEqual(g, 0.5),
      subtract(hi, multiply(d, subtract(1, g))),
      add(lo, multiply(d, g)),
    );
  }
  if (opts.keepdims) out = P.reshape(out, [...qa.shape, ...kept]);
  return propagateNan(out, a, axis, kept, opts.keepdims ?? false);
}

/**
 * The `q`-th quantiles of `x` over `axis` (all axes by default), NumPy's
 * `quantile` with methods `"linear"` (the default), `"lower"`, `"higher"`,
 * `"midpoint"` and `"nearest"`. `q` (in [0, 1]) may be an array: its axes
 * come first in the result. A NaN among the reduced elements gives NaN.
 * Differentiable in `x` and, for `"linear"` and `"midpoint"`, in `q`.
 *
 * @example Quartiles
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual, equal } from "node:assert/strict";
 *
 * equal(np.quantile([1, 2, 3, 4], 0.5).item(), 2.5);
 * deepEqual(np.quantile([1, 2, 3, 4], [0.25, 0.75]).tolist(), [1.75, 3.25]);
 * deepEqual(np.quantile([[1, 5], [3, 7]], 0.5, 0).tolist(), [2, 6]);
 * equal(np.quantile([1, 2, 3, 4], 0.5, null, { method: "lower" }).item(), 2);
 * ```
 *
 * @param x The data.
 * @param q Quantiles in [0, 1]: a number or an array.
 * @param axisOrOpts Axis or axes to reduce (all by default), or the options.
 * @param opts `method` and `keepdims`.
 * @returns The quantiles, of shape `q.shape` followed by the reduced shape.
 */
export function quantile(
  x: ArrayLike,
  q: ArrayLike,
  axisOrOpts?: Axis | QuantileOptions,
  opts?: QuantileOptions,
): NdArray {
  const [axis, o] = axisArgs("quantile", axisOrOpts, opts);
  return quantileImpl("quantile", x, q, axis, o, 1);
}

/**
 * The `q`-th percentiles of `x` over `axis`: {@linkcode quantile} at
 * `q / 100`.
 *
 * @example Percentiles
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.percentile([1, 2, 3, 4, 5], [0, 50, 100]).tolist(), [1, 3, 5]);
 * ```
 *
 * @param x The data.
 * @param q Percentiles in [0, 100]: a number or an array.
 * @param axisOrOpts Axis or axes to reduce (all by default), or the options.
 * @param opts `method` and `keepdims`.
 * @returns The percentiles, of shape `q.shape` followed by the reduced shape.
 */
export function percentile(
  x: ArrayLike,
  q: ArrayLike,
  axisOrOpts?: Axis | QuantileOptions,
  opts?: QuantileOptions,
): NdArray {
  const [axis, o] = axisArgs("percentile", axisOrOpts, opts);
  return quantileImpl("percentile", x, q, axis, o, 100);
}

/**
 * The median of `x` over `axis` (all axes by default): the middle element
 * of the sorted values, or the mean of the two middle ones. A NaN among the
 * reduced elements gives NaN.
 *
 * @example Odd and even counts
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual, equal } from "node:assert/strict";
 *
 * equal(np.median([3, 1, 2]).item(), 2);
 * equal(np.median([4, 1, 3, 2]).item(), 2.5);
 * deepEqual(np.median([[1, 5], [3, 7]], 1).tolist(), [3, 5]);
 * ```
 *
 * @param x The data.
 * @param axisOrOpts Axis or axes to reduce (all by default), or the options.
 * @param opts `keepdims`.
 * @returns The medians.
 */
export function median(
  x: ArrayLike,
  axisOrOpts?: Axis | KeepDimsOptions,
  opts?: KeepDimsOptions,
): NdArray {
  const [axis, o] = axisArgs("median", axisOrOpts, opts);
  const a = floatOf(x);
  const [s, , kept] = sortedAlong("median", a, axis);
  const n = s.shape[s.ndim - 1];
  const pick = (i: number) => {
    const starts = s.shape.map((_, j) => (j === s.ndim - 1 ? i : 0));
    const limits = s.shape.map((d, j) => (j === s.ndim - 1 ? i + 1 : d));
    const one = P.slice(s, { starts, limits, strides: s.shape.map(() => 1) });
    return P.reshape(one, s.shape.slice(0, -1));
  };
  let out = n % 2 === 1
    ? pick((n - 1) / 2)
    : divide(add(pick(n / 2 - 1), pick(n / 2)), scalarArray(2, a.dtype));
  if (o.keepdims) out = P.reshape(out, kept);
  return propagateNan(out, a, axis, kept, o.keepdims ?? false);
}

// ---------------------------------------------------------------------------
// Weighted and NaN-ignoring reductions

/** Options of {@linkcode average}. */
export interface AverageOptions extends KeepDimsOptions {
  /** Weights: the shape of `x`, or 1-D along a single `axis` (default equal weights). */
  weights?: ArrayLike;
}

/**
 * The weighted mean over `axis`: `sum(x · w) / sum(w)` (the plain mean
 * without weights). Integer input gives `float64`. Concrete weights summing
 * to zero throw, as NumPy.
 *
 * @example Weighted means
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual, equal } from "node:assert/strict";
 *
 * equal(np.average([1, 2, 3, 4]).item(), 2.5);
 * equal(np.average([1, 2, 3], null, { weights: [3, 1, 0] }).item(), 1.25);
 * deepEqual(np.average([[1, 2], [3, 4]], 1, { weights: [1, 3] }).tolist(), [1.75, 3.75]);
 * ```
 *
 * @param x The data.
 * @param axisOrOpts Axis or axes to reduce (all by default), or the options.
 * @param opts `weights` and `keepdims`.
 * @returns The averages.
 */
export function average(
  x: ArrayLike,
  axisOrOpts?: Axis | AverageOptions,
  opts?: AverageOptions,
): NdArray {
  const [axis, o] = axisArgs("average", axisOrOpts, opts);
  const a = floatOf(x);
  const keepdims = o.keepdims ?? false;
  if (o.weights === undefined) {
    const axes = normalizeAxes(axis, a.ndim);
    const n = axes.reduce((s, ax) => s * a.shape[ax], 1);
    return divide(sum(a, axes, { keepdims }), scalarArray(n, a.dtype));
  }
  let w = asArray(o.weights);
  if (!isFloat(w.dtype)) w = convert(w, "float64");
  const same = w.ndim === a.ndim && w.shape.every((d, i) => d === a.shape[i]);
  if (!same) {
    if (axis === null || axis === undefined) {
      throw new TypeError(
        `Cannot average with weights of shape ${showShape(w.shape)} over an array of shape ${
          showShape(a.shape)
        } without an axis: the shapes differ`,
      );
    }
    if (typeof axis !== "number" || w.ndim !== 1) {
      throw new TypeError(
        `Cannot average with weights of shape ${
          showShape(w.shape)
        }: expected 1-D weights along one axis when the shapes differ`,
      );
    }
    const ax = normalizeAxis(axis, a.ndim);
    if (w.shape[0] !== a.shape[ax]) {
      throw new RangeError(
        `Cannot average with ${w.shape[0]} weights along axis ${ax} of length ${a.shape[ax]}`,
      );
    }
    w = P.reshape(w, a.shape.map((d, i) => (i === ax ? d : 1)));
  }
  const axes = normalizeAxes(axis, a.ndim);
  const scl = sum(P.broadcastTo(w, a.shape), axes, { keepdims });
  if (!(scl instanceof Tracer)) {
    const d = scl.data;
    for (let i = 0; i < d.length; i++) {
      if (d[i] === 0) throw new RangeError("Weights sum to zero: cannot normalize the average");
    }
  }
  return divide(sum(multiply(a, w), axes, { keepdims }), scl);
}

/**
 * The range (`max - min`) over `axis`; NaN propagates. An empty reduction
 * throws.
 *
 * @example Peak to peak
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual, equal } from "node:assert/strict";
 *
 * equal(np.ptp([4, 9, 2]).item(), 7);
 * deepEqual(np.ptp([[1, 5], [3, 2]], 1).tolist(), [4, 1]);
 * ```
 *
 * @param x The data.
 * @param axisOrOpts Axis or axes to reduce (all by default), or the options.
 * @param opts `keepdims`.
 * @returns The ranges.
 */
export function ptp(
  x: ArrayLike,
  axisOrOpts?: Axis | KeepDimsOptions,
  opts?: KeepDimsOptions,
): NdArray {
  const [axis, o] = axisArgs("ptp", axisOrOpts, opts);
  return subtract(max(x, axis, o), min(x, axis, o));
}

/** Options of {@linkcode nansum}. */
export interface NansumOptions extends KeepDimsOptions {
  /** The dtype to accumulate in and return. */
  dtype?: DType;
}

/** `x` with NaN replaced by `fill` (and its gradient zero there). */
function withoutNan(a: NdArray, fill: number): NdArray {
  if (!isFloat(a.dtype)) return a;
  return where(isnan(a), scalarArray(fill, a.dtype), a);
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
  const [axis, o] = axisArgs("nansum", axisOrOpts, opts, true);
  let a = asArray(x);
  if (o.dtype !== undefined) a = convert(a, checkDType(o.dtype));
  return sum(withoutNan(a, 0), axis, { keepdims: o.keepdims });
}

/**
 * The mean over `axis` of the elements that are not NaN (NaN where all
 * are); integer input gives `float64`. The gradient at NaN is zero.
 *
 * @example Ignoring NaN
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual, equal } from "node:assert/strict";
 *
 * equal(np.nanmean([1, NaN, 2]).item(), 1.5);
 * deepEqual(np.nanmean([[1, NaN], [NaN, NaN]], 1).tolist(), [1, NaN]);
 * ```
 *
 * @param x The data.
 * @param axisOrOpts Axis or axes to reduce (all by default), or the options.
 * @param opts `keepdims`.
 * @returns The means.
 */
export function nanmean(
  x: ArrayLike,
  axisOrOpts?: Axis | KeepDimsOptions,
  opts?: KeepDimsOptions,
): NdArray {
  const [axis, o] = axisArgs("nanmean", axisOrOpts, opts);
  const a = floatOf(x);
  const count = sum(convert(logicalNot(isnan(a)), a.dtype), axis, o);
  return divide(sum(withoutNan(a, 0), axis, o), count);
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
  const [axis, o] = axisArgs("nanmax", axisOrOpts, opts);
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
  const [axis, o] = axisArgs("nanmin", axisOrOpts, opts);
  return nanExtremum("nanmin", x, axis, o);
}

/**
 * The number of nonzero (true) elements over `axis` (all by default), as
 * `int32`. NaN counts as nonzero.
 *
 * @example Counting
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual, equal } from "node:assert/strict";
 *
 * equal(np.countNonzero([0, 1, NaN, -2]).item(), 3);
 * deepEqual(np.countNonzero([[0, 1], [2, 3]], 1).tolist(), [1, 2]);
 * ```
 *
 * @param x The data.
 * @param axisOrOpts Axis or axes to reduce (all by default), or the options.
 * @param opts `keepdims`.
 * @returns The counts.
 */
export function countNonzero(
  x: ArrayLike,
  axisOrOpts?: Axis | KeepDimsOptions,
  opts?: KeepDimsOptions,
): NdArray {
  const [axis, o] = axisArgs("countNonzero", axisOrOpts, opts);
  const a = asArray(x);
  const nz = a.dtype === "bool" ? a : notEqual(a, scalarArray(0, a.dtype));
  return sum(convert(nz, "int32"), axis, o);
}

// ---------------------------------------------------------------------------
// interp

/** Options of {@linkcode interp}. */
export interface InterpOptions {
  /** The value for `x < xp[0]` (default `fp[0]`). */
  left?: ArrayLike;
  /** The value for `x > xp[xp.length - 1]` (default the last `fp`). */
  right?: ArrayLike;
}

/**
 * One-dimensional piecewise-linear interpolation of the points `(xp, fp)`
 * at `x`, as NumPy's `interp` (`xp` increasing). Differentiable in `x`,
 * `xp` and `fp`.
 *
 * @example Interpolating and clamping
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.interp([0.5, 1.5, 3], [0, 1, 2], [0, 10, 30]).tolist(), [5, 20, 30]);
 * deepEqual(np.interp([-1, 5], [0, 1], [1, 2], { left: 0, right: 9 }).tolist(), [0, 9]);
 * ```
 *
 * @param x Where to evaluate.
 * @param xp Increasing sample points (1-D).
 * @param fp Values at the sample points (1-D, as long as `xp`).
 * @param opts `left` and `right`.
 * @returns The interpolated values, of the shape of `x`.
 */
export function interp(
  x: ArrayLike,
  xp: ArrayLike,
  fp: ArrayLike,
  opts: InterpOptions = {},
): NdArray {
  const o = readOptions("interp", opts, false);
  const a = floatOf(x), xs = floatOf(xp), fs = floatOf(fp);
  if (xs.ndim !== 1 || fs.ndim !== 1) {
    throw new TypeError(
      `interp needs 1-D xp and fp: got shapes ${showShape(xs.shape)} and ${showShape(fs.shape)}`,
    );
  }
  const n = xs.shape[0];
  if (fs.shape[0] !== n) {
    throw new RangeError(`interp needs xp and fp of one length: got ${n} and ${fs.shape[0]}`);
  }
  if (n === 0) throw new RangeError("interp needs at least one sample point: xp is empty");
  const at = (i: number) =>
    P.reshape(P.slice(xs, { starts: [i], limits: [i + 1], strides: [1] }), []);
  const ft = (i: number) =>
    P.reshape(P.slice(fs, { starts: [i], limits: [i + 1], strides: [1] }), []);
  const first = at(0), last = at(n - 1);
  let res: NdArray;
  if (n === 1) {
    res = P.broadcastTo(ft(0), a.shape);
  } else {
    // j: the interval [xp[j], xp[j+1]] holding x, clipped to [0, n - 2].
    const below = lessEqual(xs, P.reshape(a, [...a.shape, 1]));
    const count = reduceSum(convert(below, "int32"), [a.ndim]);
    const j0 = subtract(count, 1);
    const j = where(less(j0, 0), 0, where(greater(j0, n - 2), n - 2, j0));
    const j1 = add(j, 1);
    const x0 = P.take(xs, j, 0), x1 = P.take(xs, j1, 0);
    const f0 = P.take(fs, j, 0), f1 = P.take(fs, j1, 0);
    const dx = subtract(x1, x0);
    const flat = equal(dx, 0);
    const slope = where(flat, 0, divide(subtract(f1, f0), where(flat, 1, dx)));
    res = add(multiply(slope, subtract(a, x0)), f0);
    // NumPy's fallbacks: from the right end when the left gives NaN, and exact at the nodes.
    res = where(isnan(res), add(multiply(slope, subtract(a, x1)), f1), res);
    res = where(logicalAnd(isnan(res), equal(f0, f1)), f0, res);
    res = where(equal(a, x0), f0, res);
    res = where(equal(a, last), ft(n - 1), res);
  }
  const left = o.left === undefined ? ft(0) : astype(asArray(o.left), a.dtype);
  const right = o.right === undefined ? ft(n - 1) : astype(asArray(o.right), a.dtype);
  res = where(less(a, first), left, res);
  return where(greater(a, last), right, res);
}
