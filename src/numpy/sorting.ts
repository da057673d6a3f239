/**
 * NumPy's sorting, searching and counting routines: `sort`, `argsort`,
 * `argmax`, `argmin`, `countNonzero`. Sorting gathers with the `argsort`
 * primitive's order, so `sort` is differentiable (the cotangent is
 * scattered back) and batches under `vmap`.
 *
 * @module
 */

import * as P from "../primitives/structural.ts";
import { moveAxis } from "../primitives/rules.ts";
import { type ArrayLike, NdArray } from "../array/array.ts";
import { type Axis, type KeepDimsOptions, sum } from "./reductions.ts";
import { argmaxP, argminP, keptShape } from "../primitives/reductions.ts";
import { argsortP } from "../primitives/sort.ts";
import { asArray, promote, readOptions, scalarArray } from "./_args.ts";
import { bind } from "../core/handler.ts";
import { add as addPrim, convert } from "../primitives/elementwise.ts";
import { normalizeAxis, showShape } from "../array/shape.ts";
import {
  floorDivide,
  isnan,
  less,
  lessEqual,
  logicalAnd,
  logicalNot,
  logicalOr,
  minimum,
  mod,
  notEqual,
  subtract,
  where,
} from "./math.ts";
import { take } from "./indexing.ts";
import { Tracer } from "../core/handler.ts";
import { reshape } from "../primitives/structural.ts";
import { axisArgs } from "./_args.ts";
import { axisOptions } from "./_args.ts";
import { showValue } from "../array/shape.ts";
import { checkOptions } from "../core/options.ts";
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
      `Invalid axis for ${name}: expected an integer or null, got ${showValue(axis)}`,
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
  checkOptions("argsort", axisOrOpts, ["descending"]);
  checkOptions("argsort", opts, ["descending"]);
  const [a, ax, , desc] = sortArgs("argsort", x, axisOrOpts, opts);
  return moveAxis(argsortLast(moveAxis(a, ax, a.ndim - 1), desc), a.ndim - 1, ax);
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
  checkOptions("sort", axisOrOpts, ["descending"]);
  checkOptions("sort", opts, ["descending"]);
  const [a, ax, , desc] = sortArgs("sort", x, axisOrOpts, opts);
  const v = moveAxis(a, ax, a.ndim - 1);
  return moveAxis(P.takeAlongLast(v, argsortLast(v, desc)), a.ndim - 1, ax);
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
  checkOptions("countNonzero", axisOrOpts, ["keepdims"]);
  checkOptions("countNonzero", opts, ["keepdims"]);
  const [axis, o] = axisOptions("countNonzero", axisOrOpts, opts);
  const a = asArray(x);
  const nz = a.dtype === "bool" ? a : notEqual(a, scalarArray(0, a.dtype));
  return sum(convert(nz, "int32"), axis, o);
}

function argExtremum(
  name: "argmax" | "argmin",
  x: ArrayLike,
  axis: number | null | undefined,
  opts: KeepDimsOptions,
): NdArray {
  const a = asArray(x);
  const keepdims = opts.keepdims ?? false;
  const flat = axis === null || axis === undefined;
  const src = flat ? reshape(a, [a.size]) : a;
  const ax = flat ? 0 : normalizeAxis(axis, a.ndim);
  if (src.shape[ax] === 0) {
    throw new RangeError(
      `Cannot compute ${name} of an empty sequence: axis ${ax} of shape ${
        showShape(src.shape)
      } has length 0`,
    );
  }
  const y = bind(name === "argmax" ? argmaxP : argminP, [src], { axis: ax });
  if (!keepdims) return y;
  return reshape(y, flat ? a.shape.map(() => 1) : keptShape(a.shape, [ax]));
}

/**
 * Index of the first maximum along `axis` (`int32`); without an axis, the
 * index into the flattened array. NaN counts as the maximum.
 *
 * @example Indices of maxima
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual, equal } from "node:assert/strict";
 *
 * const x = np.array([[1, 5], [7, 2]]);
 * equal(np.argmax(x).item(), 2);
 * deepEqual(np.argmax(x, 1).tolist(), [1, 0]);
 * ```
 *
 * @param x The input.
 * @param axisOrOpts The axis (the flattened array by default), or the options.
 * @param options `keepdims` (default `false`).
 * @returns The indices.
 */
export function argmax(
  x: ArrayLike,
  axisOrOpts?: number | null | KeepDimsOptions,
  options: KeepDimsOptions = {},
): NdArray {
  checkOptions("argmax", axisOrOpts, ["keepdims"]);
  checkOptions("argmax", options, ["keepdims"]);
  const [axis, opts] = axisArgs("argmax", axisOrOpts, options, false);
  return argExtremum("argmax", x, axis as number | null | undefined, opts);
}

/**
 * Index of the first minimum along `axis` (`int32`); without an axis, the
 * index into the flattened array. NaN counts as the minimum.
 *
 * @example Indices of minima
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual, equal } from "node:assert/strict";
 *
 * const x = np.array([[1, 5], [7, 0]]);
 * equal(np.argmin(x).item(), 3);
 * deepEqual(np.argmin(x, 0).tolist(), [0, 1]);
 * ```
 *
 * @param x The input.
 * @param axisOrOpts The axis (the flattened array by default), or the options.
 * @param options `keepdims` (default `false`).
 * @returns The indices.
 */
export function argmin(
  x: ArrayLike,
  axisOrOpts?: number | null | KeepDimsOptions,
  options: KeepDimsOptions = {},
): NdArray {
  checkOptions("argmin", axisOrOpts, ["keepdims"]);
  checkOptions("argmin", options, ["keepdims"]);
  const [axis, opts] = axisArgs("argmin", axisOrOpts, options, false);
  return argExtremum("argmin", x, axis as number | null | undefined, opts);
}

// ---------------------------------------------------------------------------
// Searching with static sizes

/** `x < y` in sort order: NaN is the largest value (so it sorts last). */
function sortLess(x: NdArray, y: NdArray): NdArray {
  return logicalOr(less(x, y), logicalAnd(isnan(y), logicalNot(isnan(x))));
}

/** Options of {@linkcode searchsorted}. */
export interface SearchsortedOptions {
  /** `"left"`: the first suitable index (default); `"right"`: the last. */
  side?: "left" | "right";
  /** Indices that sort `a` (when `a` itself is not sorted). */
  sorter?: ArrayLike | null;
}

/**
 * The indices at which `v` would be inserted into the sorted 1-D `a` to
 * keep it sorted: with `side: "left"` the number of elements `< v`, with
 * `"right"` the number `<= v` (NaN sorts last). `int32`, the shape of `v`;
 * a binary search of ⌈log₂ n⌉ vectorised steps, so it is batchable and has
 * zero derivative.
 *
 * @example
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * const a = np.array([1, 2, 2, 3]);
 * deepEqual(np.searchsorted(a, np.array([2, 5])).tolist(), [1, 4]);
 * deepEqual(np.searchsorted(a, 2, { side: "right" }).tolist(), 3);
 * ```
 *
 * @param a A sorted 1-D array.
 * @param v The values to place.
 * @param options `side`, `sorter` (or, positionally, `side`).
 * @param sorter Indices that sort `a` (positional form).
 * @returns Insertion indices.
 */
export function searchsorted(
  a: ArrayLike,
  v: ArrayLike,
  options?: SearchsortedOptions | "left" | "right",
  sorter?: ArrayLike | null,
): NdArray {
  // NumPy's positional form: searchsorted(a, v, side, sorter).
  checkOptions("searchsorted", options, ["side", "sorter"]);
  const o = typeof options === "string" || sorter !== undefined
    ? { side: (options ?? "left") as "left" | "right", sorter }
    : readOptions("searchsorted", options, false);
  let arr = asArray(a);
  if (arr.ndim !== 1) {
    throw new TypeError(`searchsorted needs a 1-D sorted array: got shape ${showShape(arr.shape)}`);
  }
  const side = o.side ?? "left";
  if (side !== "left" && side !== "right") {
    throw new TypeError(
      `Invalid side for searchsorted: expected "left" or "right", got ${showValue(side)}`,
    );
  }
  if (o.sorter !== undefined && o.sorter !== null) arr = take(arr, o.sorter);
  const [q] = promote([v, arr]);
  const sa = convert(arr, q.dtype);
  const n = sa.shape[0];
  // Binary search, one halving step per bit of n: `pos` counts the elements
  // known to precede v; each step tries to advance it by `step`.
  let pos = P.broadcastTo(scalarArray(0, "int32"), q.shape);
  let step = 1;
  while (step * 2 <= n) step *= 2;
  for (; step >= 1 && n > 0; step = Math.floor(step / 2)) {
    const cand = addPrim(pos, scalarArray(step, "int32"));
    const fits = lessEqual(cand, scalarArray(n, "int32"));
    const at = P.take(
      sa,
      minimum(subtract(cand, scalarArray(1, "int32")), scalarArray(n - 1, "int32")),
      0,
    );
    const before = side === "left" ? sortLess(at, q) : logicalNot(sortLess(q, at));
    pos = where(logicalAnd(fits, before), cand, pos);
  }
  return pos;
}

/** Options of {@linkcode nonzero}, {@linkcode argwhere} and {@linkcode flatnonzero}. */
export interface NonzeroOptions {
  /**
   * The number of results: a static size, required when the input is traced
   * (the count depends on the data). Extra slots take `fillValue`; results
   * beyond `size` are dropped.
   */
  size?: number | null;
  /** The index placed in unused slots (default 0). */
  fillValue?: number | null;
}

/**
 * The first `size` flat positions (ascending) where `flat` is non-zero,
 * padded with `fill`, and the count. Built from a stable argsort of the
 * zero mask, so it batches under `vmap`.
 */
function flatNonzeroCore(name: string, x: NdArray, o: NonzeroOptions): [NdArray, NdArray, number] {
  const flat = reshape(x, [x.size]);
  const mask = x.dtype === "bool" ? flat : notEqual(flat, 0);
  const count = sum(convert(mask, "int32"));
  let size = o.size;
  if (size === undefined || size === null) {
    if (x instanceof Tracer) {
      throw new TypeError(
        `${name} needs a static size when its input is traced (the number of results depends on the data): pass { size }`,
      );
    }
    size = count.item() as number;
  }
  if (!Number.isInteger(size) || size < 0) {
    throw new TypeError(
      `Invalid size for ${name}: expected a non-negative integer, got ${showValue(size)}`,
    );
  }
  const n = x.size;
  let pos: NdArray;
  if (n === 0) pos = new NdArray(new Int32Array(0), [0], "int32");
  else {
    // Non-zeros first, in order: the stable sort order of (value == 0).
    pos = argsortLast(convert(logicalNot(mask), "int32"), false);
  }
  if (size <= n) pos = P.slice(pos, { starts: [0], limits: [size], strides: [1] });
  else pos = P.pad(pos, { lo: [0], hi: [size - n], interior: [0] });
  const slot = new NdArray(Int32Array.from({ length: size }, (_, i) => i), [size], "int32");
  const valid = less(slot, count);
  return [pos, valid, size];
}

function unravel(pos: NdArray, shape: readonly number[]): NdArray[] {
  const out: NdArray[] = [];
  let stride = 1;
  const strides = shape.map(() => 0);
  for (let d = shape.length - 1; d >= 0; d--) {
    strides[d] = stride;
    stride *= shape[d];
  }
  for (let d = 0; d < shape.length; d++) {
    const q = floorDivide(pos, scalarArray(strides[d], "int32"));
    out.push(d === 0 ? q : mod(q, scalarArray(shape[d], "int32")));
  }
  return out;
}

function filledIndex(idx: NdArray, valid: NdArray, fill: number | null | undefined): NdArray {
  return where(valid, idx, scalarArray(fill ?? 0, "int32"));
}

/**
 * The indices of the non-zero elements, one `int32` array per axis (in
 * row-major order). Under `jit`/`vmap`-style tracing give a static `size`,
 * as JAX requires; unused slots take `fillValue` (default 0).
 *
 * @example
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * const x = np.array([[0, 3], [4, 0]]);
 * deepEqual(np.nonzero(x).map((i) => i.tolist()), [[0, 1], [1, 0]]);
 * deepEqual(np.nonzero(x, { size: 3, fillValue: -1 }).map((i) => i.tolist()), [[0, 1, -1], [1, 0, -1]]);
 * ```
 *
 * @param x The array (at least 1-D).
 * @param options `size`, `fillValue`.
 * @returns One index array per axis.
 */
export function nonzero(x: ArrayLike, options?: NonzeroOptions): NdArray[] {
  const a = asArray(x);
  if (a.ndim === 0) {
    throw new TypeError("Calling nonzero on 0-d arrays is not allowed: use atleast1d");
  }
  checkOptions("nonzero", options, ["size", "fillValue"]);
  const o = readOptions("nonzero", options, false);
  const [pos, valid] = flatNonzeroCore("nonzero", a, o);
  return unravel(pos, a.shape).map((i) => filledIndex(i, valid, o.fillValue));
}

/**
 * The indices of the non-zero elements as rows of an `[size, ndim]` `int32`
 * array (see {@linkcode nonzero} for `size` and `fillValue`).
 *
 * @example
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.argwhere(np.array([[0, 3], [4, 0]])).tolist(), [[0, 1], [1, 0]]);
 * ```
 *
 * @param x The array.
 * @param options `size`, `fillValue`.
 * @returns The index rows.
 */
export function argwhere(x: ArrayLike, options?: NonzeroOptions): NdArray {
  const a0 = asArray(x);
  const a = a0.ndim === 0 ? reshape(a0, [1]) : a0;
  checkOptions("argwhere", options, ["size", "fillValue"]);
  const o = readOptions("argwhere", options, false);
  const [pos, valid, size] = flatNonzeroCore("argwhere", a, o);
  const cols = unravel(pos, a.shape).map((i) =>
    reshape(filledIndex(i, valid, o.fillValue), [size, 1])
  );
  if (a0.ndim === 0) return reshape(cols[0], [size, 0]);
  return cols.length === 1 ? cols[0] : P.concatenate(cols, 1);
}

/**
 * The flat indices of the non-zero elements of the flattened array (see
 * {@linkcode nonzero} for `size` and `fillValue`).
 *
 * @example
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.flatnonzero(np.array([[0, 3], [4, 0]])).tolist(), [1, 2]);
 * ```
 *
 * @param x The array.
 * @param options `size`, `fillValue`.
 * @returns The flat indices.
 */
export function flatnonzero(x: ArrayLike, options?: NonzeroOptions): NdArray {
  const a = asArray(x);
  checkOptions("flatnonzero", options, ["size", "fillValue"]);
  const o = readOptions("flatnonzero", options, false);
  const [pos, valid] = flatNonzeroCore("flatnonzero", a, o);
  return filledIndex(pos, valid, o.fillValue);
}
