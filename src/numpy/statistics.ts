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

import * as P from "../primitives/structural.ts";
import { type ArrayLike, NdArray } from "../array/array.ts";
import { isFloat, isInexact, isInteger } from "../array/dtype.ts";
import { normalizeAxes, normalizeAxis, showShape } from "../array/shape.ts";
import { Tracer } from "../core/handler.ts";
import { convert } from "../primitives/elementwise.ts";
import { keptShape } from "../primitives/reductions.ts";
import { asArray, scalarArray } from "./_args.ts";
import {
  add,
  astype,
  ceil,
  clip,
  divide,
  equal,
  floor,
  greater,
  greaterEqual,
  isnan,
  less,
  logicalNot,
  multiply,
  round,
  sqrt,
  subtract,
  where,
} from "./math.ts";
import { any, type Axis, type KeepDimsOptions, max, min, sum } from "./reductions.ts";
import { searchsorted, sort } from "./sorting.ts";
import { diagonal } from "./indexing.ts";
import { matmul } from "./products.ts";
import { readOptions } from "./_args.ts";
import { floatOf } from "./_args.ts";
import { withoutNan } from "./_args.ts";
import { axisOptions } from "./_args.ts";
import { storageOf } from "../array/array.ts";
import { showValue } from "../array/shape.ts";
import { checkOptions } from "../core/options.ts";
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
      `Invalid method for ${name}: expected one of ${METHODS.join(", ")}, got ${showValue(method)}`,
    );
  }
  const a = floatOf(x);
  let qa = typeof q === "number" ? scalarArray(q, a.dtype) : floatOf(q);
  if (!(qa instanceof Tracer)) {
    const d = storageOf(qa);
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
  checkOptions("quantile", axisOrOpts, ["keepdims", "method"]);
  checkOptions("quantile", opts, ["keepdims", "method"]);
  const [axis, o] = axisOptions("quantile", axisOrOpts, opts);
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
  checkOptions("percentile", axisOrOpts, ["keepdims", "method"]);
  checkOptions("percentile", opts, ["keepdims", "method"]);
  const [axis, o] = axisOptions("percentile", axisOrOpts, opts);
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
  checkOptions("median", axisOrOpts, ["keepdims"]);
  checkOptions("median", opts, ["keepdims"]);
  const [axis, o] = axisOptions("median", axisOrOpts, opts);
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
  checkOptions("average", axisOrOpts, ["keepdims", "weights"]);
  checkOptions("average", opts, ["keepdims", "weights"]);
  const [axis, o] = axisOptions("average", axisOrOpts, opts);
  const a = floatOf(x);
  const keepdims = o.keepdims ?? false;
  if (o.weights === undefined) {
    const axes = normalizeAxes(axis, a.ndim);
    const n = axes.reduce((s, ax) => s * a.shape[ax], 1);
    return divide(sum(a, axes, { keepdims }), scalarArray(n, a.dtype));
  }
  let w = asArray(o.weights);
  if (!isInexact(w.dtype)) w = convert(w, "float64");
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
    const d = storageOf(scl);
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
  checkOptions("ptp", axisOrOpts, ["keepdims"]);
  checkOptions("ptp", opts, ["keepdims"]);
  const [axis, o] = axisOptions("ptp", axisOrOpts, opts);
  return subtract(max(x, axis, o), min(x, axis, o));
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
  checkOptions("nanmean", axisOrOpts, ["keepdims"]);
  checkOptions("nanmean", opts, ["keepdims"]);
  const [axis, o] = axisOptions("nanmean", axisOrOpts, opts);
  const a = floatOf(x);
  const count = sum(convert(logicalNot(isnan(a)), a.dtype), axis, o);
  return divide(sum(withoutNan(a, 0), axis, o), count);
}

// ---------------------------------------------------------------------------
// Histograms, covariance and correlation

/**
 * The index of the bin of `bins` (monotonic, increasing or decreasing) each
 * value of `x` falls in: `i` with `bins[i-1] <= x < bins[i]` for increasing
 * bins (`bins[i-1] < x <= bins[i]` with `right`). `int32`, batchable.
 *
 * @example
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.digitize(np.array([-1, 0.5, 3]), np.array([0, 1, 2])).tolist(), [0, 1, 3]);
 * ```
 *
 * @param x The values.
 * @param bins Monotonic bin edges (1-D).
 * @param right Whether bins include their right edge (default false).
 * @returns Bin indices, of the shape of `x`.
 */
export function digitize(x: ArrayLike, bins: ArrayLike, right = false): NdArray {
  const b = asArray(bins);
  if (b.ndim !== 1) throw new TypeError(`digitize needs 1-D bins: got shape ${showShape(b.shape)}`);
  const xx = asArray(x);
  const n = b.shape[0];
  if (n === 0) return P.broadcastTo(scalarArray(0, "int32"), xx.shape);
  const side = right ? "left" : "right";
  const first = P.reshape(P.slice(b, { starts: [0], limits: [1], strides: [1] }), []);
  const last = P.reshape(P.slice(b, { starts: [n - 1], limits: [n], strides: [1] }), []);
  const up = searchsorted(b, xx, { side });
  const down = subtract(scalarArray(n, "int32"), searchsorted(P.rev(b, [0]), xx, { side }));
  return where(greaterEqual(last, first), up, down);
}

/** Options of {@linkcode bincount}. */
export interface BincountOptions {
  /** A weight per element (default 1: counts). */
  weights?: ArrayLike | null;
  /** The least number of bins (default 0). */
  minlength?: number;
  /**
   * The static number of bins (values at or beyond it are dropped); required
   * when the input is traced. Default `max(max(x) + 1, minlength)`.
   */
  length?: number | null;
}

/**
 * Counts (or sums `weights`) of each non-negative integer value of `x`
 * (negative values count as 0, as JAX clips them). Differentiable in
 * `weights`; batchable with a static `length`.
 *
 * @example
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.bincount(np.array([0, 2, 2], "int32")).tolist(), [1, 0, 2]);
 * ```
 *
 * @param x Non-negative integers (1-D `int32`).
 * @param options `weights`, `minlength`, `length` (or, positionally, `weights`).
 * @param minlengthArg The least number of bins (positional form).
 * @param more `length` (positional form).
 * @returns The counts (`int32`) or weighted sums.
 */
export function bincount(
  x: ArrayLike,
  options?: BincountOptions | ArrayLike | null,
  minlengthArg?: number,
  more?: { length?: number | null },
): NdArray {
  // NumPy's positional form: bincount(x, weights, minlength).
  const positional = options === null || minlengthArg !== undefined || more !== undefined ||
    options instanceof NdArray || globalThis.Array.isArray(options) || typeof options === "number";
  checkOptions("bincount", options, ["weights", "minlength", "length"]);
  const o: BincountOptions = positional
    ? {
      weights: options as ArrayLike | null | undefined,
      minlength: minlengthArg,
      length: more?.length,
    }
    : readOptions("bincount", options as BincountOptions | undefined, false);
  const xx = asArray(x);
  if (!isInteger(xx.dtype) && xx.dtype !== "bool") {
    throw new TypeError(
      `bincount needs integer input: got dtype ${xx.dtype} (use astype("int32"))`,
    );
  }
  if (xx.ndim !== 1) {
    throw new TypeError(`bincount needs 1-D input: got shape ${showShape(xx.shape)}`);
  }
  const idx0 = xx.dtype === "int32" ? xx : convert(xx, "int32");
  const minlength = o.minlength ?? 0;
  let length = o.length;
  if (length === undefined || length === null) {
    if (xx instanceof Tracer) {
      throw new TypeError(
        "bincount needs a static length when its input is traced (the number of bins depends on the data): pass { length }",
      );
    }
    const data = storageOf(idx0);
    let m = -1;
    for (let i = 0; i < data.length; i++) m = Math.max(m, data[i]);
    length = Math.max(m + 1, minlength);
  }
  if (!Number.isInteger(length) || length < 0) {
    throw new TypeError(
      `Invalid length for bincount: expected a non-negative integer, got ${showValue(length)}`,
    );
  }
  const w = o.weights === undefined || o.weights === null
    ? P.broadcastTo(scalarArray(1, "int32"), idx0.shape)
    : P.broadcastTo(weightsOf(o.weights), idx0.shape);
  // Values >= length go to a spare last bin, which is dropped.
  const zero = scalarArray(0, "int32"), len = scalarArray(length, "int32");
  const idx = where(greaterEqual(idx0, len), len, where(less(idx0, zero), zero, idx0));
  const counts = P.scatterAdd(w, idx, 0, [length + 1]);
  return P.slice(counts, { starts: [0], limits: [length], strides: [1] });
}

/** Weights keep their dtype (integers sum as integers, as JAX); booleans count as int32. */
function weightsOf(w: ArrayLike): NdArray {
  const a = asArray(w);
  return a.dtype === "bool" ? convert(a, "int32") : a;
}

/** Options of {@linkcode histogram}. */
export interface HistogramOptions {
  /** The range of the equal-width bins (default the data's min and max). */
  range?: readonly [number, number] | null;
  /** A weight per element. */
  weights?: ArrayLike | null;
  /** Normalise to a probability density (integral 1). */
  density?: boolean | null;
}

/**
 * The histogram of `a` (flattened): `[counts, binEdges]` with `bins` equal
 * bins over `range` (default the data's extent) or the given edges. Bins are
 * half-open except the last, which includes its right edge; values outside
 * are dropped. Counts are `float64` (weighted sums with `weights`, a density
 * with `density`) and differentiable in `weights`.
 *
 * @example
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * const [counts, edges] = np.histogram(np.array([0, 1, 1, 2, 4]), 2);
 * deepEqual([counts.tolist(), edges.tolist()], [[3, 2], [0, 2, 4]]);
 * ```
 *
 * @param a The data.
 * @param bins Number of bins (default 10) or the bin edges.
 * @param options `range`, `weights`, `density`.
 * @returns `[counts, binEdges]`.
 */
export function histogram(
  a: ArrayLike,
  bins: number | ArrayLike = 10,
  options?: HistogramOptions,
): [NdArray, NdArray] {
  checkOptions("histogram", options, ["range", "weights", "density"]);
  const o = readOptions("histogram", options, false);
  const x0 = floatOf(a);
  const x = P.reshape(x0, [x0.size]);
  let edges: NdArray;
  if (typeof bins === "number") {
    if (!Number.isInteger(bins) || bins < 1) {
      throw new TypeError(
        `Invalid bins for histogram: expected a positive integer, got ${showValue(bins)}`,
      );
    }
    let lo: NdArray, hi: NdArray;
    if (o.range !== undefined && o.range !== null) {
      lo = scalarArray(o.range[0], x.dtype);
      hi = scalarArray(o.range[1], x.dtype);
    } else {
      lo = min(x);
      hi = max(x);
    }
    const same = equal(lo, hi);
    lo = where(same, subtract(lo, 0.5), lo);
    hi = where(same, add(hi, 0.5), hi);
    const t = new NdArray(
      Float64Array.from({ length: bins + 1 }, (_, i) => i / bins),
      [bins + 1],
      "float64",
    );
    edges = add(lo, multiply(astype(t, x.dtype), subtract(hi, lo)));
    // The last edge exactly `hi` (as linspace's endpoint).
    edges = P.concatenate([
      P.slice(edges, { starts: [0], limits: [bins], strides: [1] }),
      P.reshape(hi, [1]),
    ], 0);
  } else {
    edges = floatOf(bins);
    if (edges.ndim !== 1 || edges.shape[0] < 2) {
      throw new TypeError(
        `histogram bin edges must be 1-D with at least two edges: got shape ${
          showShape(edges.shape)
        }`,
      );
    }
  }
  const ne = edges.shape[0];
  const w = o.weights === undefined || o.weights === null
    ? P.broadcastTo(scalarArray(1, x.dtype), x.shape)
    : P.reshape(floatOf(o.weights), [x.size]);
  const lastEdge = P.reshape(P.slice(edges, { starts: [ne - 1], limits: [ne], strides: [1] }), []);
  let idx = searchsorted(edges, x, { side: "right" });
  idx = where(equal(x, lastEdge), scalarArray(ne - 1, "int32"), idx);
  // Slot 0: below the first edge; slot ne: above the last; both dropped.
  let counts = P.scatterAdd(w, idx, 0, [ne + 1]);
  counts = P.slice(counts, { starts: [1], limits: [ne], strides: [1] });
  if (o.density) {
    const widths = subtract(
      P.slice(edges, { starts: [1], limits: [ne], strides: [1] }),
      P.slice(edges, { starts: [0], limits: [ne - 1], strides: [1] }),
    );
    counts = divide(divide(counts, widths), sum(counts));
  }
  return [counts, edges];
}

/** Options of {@linkcode cov}. */
export interface CovOptions {
  /** Rows are variables and columns observations (default true). */
  rowvar?: boolean;
  /** Normalise by N (true) rather than N - 1 (default false). */
  bias?: boolean;
  /** Overrides `bias`: normalise by N - ddof. */
  ddof?: number | null;
  /** Integer frequency weights per observation. */
  fweights?: ArrayLike | null;
  /** Observation weights. */
  aweights?: ArrayLike | null;
}

/**
 * The covariance matrix of the variables in `m` (and `y`), as NumPy's `cov`
 * with `rowvar`, `bias`, `ddof`, `fweights` and `aweights`. A single variable
 * gives a 0-d array.
 *
 * @example
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.cov(np.array([[0, 1, 2], [2, 1, 0]])).tolist(), [[1, -1], [-1, 1]]);
 * ```
 *
 * @param m Variables (rows by default) by observations.
 * @param y More variables, in the same layout.
 * @param options `rowvar`, `bias`, `ddof`, `fweights`, `aweights`.
 * @returns The covariance matrix.
 */
export function cov(
  m: ArrayLike,
  y?: ArrayLike | null | CovOptions,
  options?: CovOptions,
): NdArray {
  if (
    y !== null && y !== undefined && typeof y === "object" && !globalThis.Array.isArray(y) &&
    !(y instanceof NdArray)
  ) {
    options = y as CovOptions;
    y = undefined;
  }
  checkOptions("cov", options, ["rowvar", "bias", "ddof", "fweights", "aweights"]);
  const o = readOptions("cov", options, false);
  const rowvar = o.rowvar ?? true;
  const as2d = (v: ArrayLike): NdArray => {
    let a = floatOf(v);
    if (a.ndim > 2) {
      throw new TypeError(`cov needs 1-D or 2-D input: got shape ${showShape(a.shape)}`);
    }
    if (a.ndim < 2) a = P.reshape(a, [1, a.size]);
    if (!rowvar && a.shape[0] !== 1) a = P.transpose(a, [1, 0]);
    return a;
  };
  let X = as2d(m);
  if (y !== undefined && y !== null) {
    const Y = as2d(y as ArrayLike);
    const dt = X.dtype === Y.dtype ? X.dtype : "float64";
    X = P.concatenate([astype(X, dt), astype(Y, dt)], 0);
  }
  const nObs = X.shape[1];
  const ddof = o.ddof ?? (o.bias ? 0 : 1);
  let w: NdArray | null = null;
  let aw: NdArray | null = null;
  if (o.fweights !== undefined && o.fweights !== null) w = astype(asArray(o.fweights), X.dtype);
  if (o.aweights !== undefined && o.aweights !== null) {
    aw = astype(asArray(o.aweights), X.dtype);
    w = w === null ? aw : multiply(w, aw);
  }
  let avg: NdArray, fact: NdArray;
  if (w === null) {
    avg = divide(sum(X, 1), scalarArray(nObs, X.dtype));
    fact = scalarArray(nObs - ddof, X.dtype);
  } else {
    const wSum = sum(w);
    avg = divide(sum(multiply(X, w), 1), wSum);
    if (ddof === 0) fact = wSum;
    else if (aw === null) fact = subtract(wSum, ddof);
    else fact = subtract(wSum, divide(multiply(sum(multiply(w, aw)), ddof), wSum));
  }
  fact = where(less(fact, 0), scalarArray(0, X.dtype), fact);
  const Xc = subtract(X, P.reshape(avg, [avg.size, 1]));
  const XT = P.transpose(w === null ? Xc : multiply(Xc, w), [1, 0]);
  const c = divide(matmul(Xc, XT), fact);
  return c.shape[0] === 1 ? P.reshape(c, []) : c;
}

/**
 * The Pearson correlation coefficients of the variables in `x` (and `y`):
 * the covariance normalised by the standard deviations, clipped to
 * [-1, 1].
 *
 * @example
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.corrcoef(np.array([1, 2, 3]), np.array([3, 2, 1])).tolist(), [[1, -1], [-1, 1]]);
 * ```
 *
 * @param x Variables (rows by default) by observations.
 * @param y More variables.
 * @param options `rowvar`.
 * @returns The correlation matrix.
 */
export function corrcoef(
  x: ArrayLike,
  y?: ArrayLike | null | { rowvar?: boolean },
  options?: { rowvar?: boolean },
): NdArray {
  if (
    y !== null && y !== undefined && typeof y === "object" && !globalThis.Array.isArray(y) &&
    !(y instanceof NdArray)
  ) {
    options = y as { rowvar?: boolean };
    y = undefined;
  }
  checkOptions("corrcoef", options, ["rowvar"]);
  const c = cov(x, y as ArrayLike | null | undefined, {
    rowvar: readOptions("corrcoef", options, false).rowvar,
  });
  if (c.ndim === 0) return divide(c, c);
  const d = sqrt(diagonal(c));
  const n = d.shape[0];
  const r = divide(divide(c, P.reshape(d, [n, 1])), P.reshape(d, [1, n]));
  return clip(r, -1, 1);
}
