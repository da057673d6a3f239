/**
 * Shape manipulation and indexing for the `np` namespace: `reshape`,
 * `transpose`, `concatenate`, `split`, `take`, `diag`, `get` (NumPy basic
 * indexing), ... Every function here is composed from structural primitives
 * (`broadcast_to`, `reshape`, `transpose`, `slice`, `pad`, `concatenate`,
 * `rev`, `take`), so `grad`, `jvp` and `vmap` see every operation. Concrete
 * values are read only for static arguments (shapes, axes, JS numbers) and to
 * bounds-check index arrays that are not tracers.
 *
 * @module
 */

import { type ArrayLike, type Index, NdArray } from "../array/array.ts";
import {
  broadcastShapesN,
  normalizeAxes,
  normalizeAxis,
  type Shape,
  shapesEqual,
  showShape,
  sizeOf,
} from "../array/shape.ts";
import { Tracer } from "../core/handler.ts";
import { add, convert, lt, mul, select } from "../primitives/elementwise.ts";
import { reduceSum } from "../primitives/reductions.ts";
import * as P from "../primitives/structural.ts";
import { asArray, promote, scalarArray } from "./_convert.ts";

// ---------------------------------------------------------------------------
// Helpers

function fmtList(list: readonly number[]): string {
  return `[${list.join(",")}]`;
}

function sliceAll(
  x: NdArray,
  starts: readonly number[],
  limits: readonly number[],
  strides?: readonly number[],
): NdArray {
  const st = strides ?? x.shape.map(() => 1);
  let trivial = true;
  for (let i = 0; i < x.ndim; i++) {
    if (starts[i] !== 0 || limits[i] !== x.shape[i] || st[i] !== 1) trivial = false;
  }
  return trivial ? x : P.slice(x, { starts, limits, strides: st });
}

/** Slices `x` along one axis. */
function sliceAxis(x: NdArray, axis: number, start: number, stop: number, step = 1): NdArray {
  const starts = x.shape.map((_, i) => (i === axis ? start : 0));
  const limits = x.shape.map((n, i) => (i === axis ? stop : n));
  const strides = x.shape.map((_, i) => (i === axis ? step : 1));
  return sliceAll(x, starts, limits, strides);
}

/** Python's `slice(start, stop, step).indices(n)` plus the resulting length. */
function sliceIndices(
  start: number | undefined,
  stop: number | undefined,
  step: number,
  n: number,
): [number, number, number] {
  const lower = step > 0 ? 0 : -1;
  const upper = step > 0 ? n : n - 1;
  const norm = (v: number | undefined, dflt: number): number => {
    if (v === undefined) return dflt;
    if (v < 0) v += n;
    return v < lower ? lower : v > upper ? upper : v;
  };
  const s = norm(start, step > 0 ? lower : upper);
  const e = norm(stop, step > 0 ? upper : lower);
  const len = step > 0
    ? Math.max(0, Math.ceil((e - s) / step))
    : Math.max(0, Math.ceil((s - e) / -step));
  return [s, e, len];
}

/**
 * Converts an index argument to an int32 array. JS numbers and lists must
 * hold integers (they are converted here, as JS numbers otherwise make
 * float64 data); arrays must already be int32. Booleans are rejected: masks
 * select a data-dependent number of elements.
 */
function indexArray(indices: ArrayLike, what: string, n: number, axis: number): NdArray {
  if (indices instanceof NdArray) {
    if (indices.dtype === "int32") return indices;
    if (indices.dtype === "bool") boolIndex(what, indices.shape);
    throw new TypeError(
      `${what} must be integers: got an array of dtype ${indices.dtype} (use astype("int32"))`,
    );
  }
  if (globalThis.Array.isArray(indices) && indices.length === 0) {
    return new NdArray(new Int32Array(0), [0], "int32");
  }
  const probe = asArray(indices);
  if (probe.dtype === "bool") boolIndex(what, probe.shape);
  const data = probe.data;
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (!Number.isInteger(v)) {
      throw new TypeError(`${what} must be integers: got ${JSON.stringify(indices)}`);
    }
    if (Math.abs(v) > 2147483647) {
      throw new RangeError(`Index ${v} is out of bounds for axis ${axis} with size ${n}`);
    }
  }
  return new NdArray(Int32Array.from(data), probe.shape, "int32");
}

function boolIndex(what: string, shape: Shape): never {
  throw new TypeError(
    `${what} must be integers: got booleans of shape ${
      showShape(shape)
    } (boolean masks index with get, not here)`,
  );
}

/**
 * Maps negative indices to `i + n` (with primitives, so tracers work) and,
 * for concrete indices, checks that every index is in `[-n, n)`.
 */
function normalizeIndices(idx: NdArray, n: number, axis: number): NdArray {
  if (!(idx instanceof Tracer)) {
    const data = idx.data;
    let negative = false;
    for (let i = 0; i < data.length; i++) {
      const v = data[i];
      if (v < -n || v >= n) {
        throw new RangeError(`Index ${v} is out of bounds for axis ${axis} with size ${n}`);
      }
      if (v < 0) negative = true;
    }
    if (!negative) return idx;
  }
  return select(lt(idx, scalarArray(0, "int32")), add(idx, scalarArray(n, "int32")), idx);
}

function checkAxisList(axis: number | readonly number[], ndim: number): number[] {
  const list = typeof axis === "number" ? [axis] : axis;
  const out = list.map((a) => normalizeAxis(a, ndim));
  for (let i = 0; i < out.length; i++) {
    if (out.indexOf(out[i]) !== i) {
      throw new RangeError(`Repeated axis in ${fmtList(list)}: axis ${out[i]} appears twice`);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------
// Reshaping

/**
 * Gives `x` a new shape with the same number of elements; one entry may be
 * `-1`, inferred from the others.
 *
 * @example Reshape with an inferred dimension
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.reshape(np.arange(6), [-1, 3]).tolist(), [[0, 1, 2], [3, 4, 5]]);
 * ```
 *
 * @param x The array.
 * @param shape The new shape (a number for 1-D).
 * @returns The same elements in row-major order with shape `shape`.
 */
export function reshape(x: ArrayLike, shape: number | readonly number[]): NdArray {
  const a = asArray(x);
  const list = typeof shape === "number" ? [shape] : shape.slice();
  let unknown = -1;
  for (let i = 0; i < list.length; i++) {
    const d = list[i];
    if (d === -1 && unknown === -1) unknown = i;
    else if (d === -1) {
      throw new TypeError(
        `Cannot reshape into shape ${fmtList(list)}: only one dimension can be -1`,
      );
    } else if (!Number.isInteger(d) || d < 0) {
      throw new TypeError(
        `Cannot reshape into shape ${
          fmtList(list)
        }: dimensions must be non-negative integers or -1`,
      );
    }
  }
  const fail = (): never => {
    throw new TypeError(
      `Cannot reshape array of shape ${showShape(a.shape)} (size ${a.size}) into shape ${
        fmtList(list)
      }${unknown === -1 ? ` (size ${sizeOf(list)})` : ""}`,
    );
  };
  if (unknown !== -1) {
    const known = list.reduce((p, d, i) => (i === unknown ? p : p * d), 1);
    if (known === 0 || a.size % known !== 0) fail();
    list[unknown] = a.size / known;
  }
  if (sizeOf(list) !== a.size) fail();
  return P.reshape(a, list);
}

/**
 * Flattens `x` to one dimension (row-major order).
 *
 * @example Flatten a matrix
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.ravel([[1, 2], [3, 4]]).tolist(), [1, 2, 3, 4]);
 * ```
 *
 * @param x The array.
 * @returns A 1-D array of `x.size` elements.
 */
export function ravel(x: ArrayLike): NdArray {
  const a = asArray(x);
  return P.reshape(a, [a.size]);
}

/**
 * Permutes the axes of `x`: `out.shape[i] = x.shape[axes[i]]`. Reverses the
 * axes when `axes` is omitted.
 *
 * @example Transpose a matrix
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.transpose([[1, 2, 3], [4, 5, 6]]).tolist(), [[1, 4], [2, 5], [3, 6]]);
 * ```
 *
 * @param x The array.
 * @param axes A permutation of the axes (negative axes count from the end).
 * @returns The array with permuted axes.
 */
export function transpose(x: ArrayLike, axes?: readonly number[] | null): NdArray {
  const a = asArray(x);
  if (axes === undefined || axes === null) {
    return P.transpose(a, a.shape.map((_, i) => a.ndim - 1 - i));
  }
  if (axes.length !== a.ndim) {
    throw new TypeError(
      `Cannot transpose an array of shape ${showShape(a.shape)} with axes ${
        fmtList(axes)
      }: expected ${a.ndim} axes, got ${axes.length}`,
    );
  }
  const perm = checkAxisList(axes, a.ndim);
  return P.transpose(a, perm);
}

/**
 * Interchanges two axes of `x`.
 *
 * @example Swap the axes of a matrix
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.swapaxes(np.zeros([2, 3, 4]), 0, -1).shape, [4, 3, 2]);
 * ```
 *
 * @param x The array.
 * @param axis1 The first axis.
 * @param axis2 The second axis.
 * @returns The array with the two axes exchanged.
 */
export function swapaxes(x: ArrayLike, axis1: number, axis2: number): NdArray {
  const a = asArray(x);
  const i = normalizeAxis(axis1, a.ndim), j = normalizeAxis(axis2, a.ndim);
  const perm = a.shape.map((_, k) => (k === i ? j : k === j ? i : k));
  return P.transpose(a, perm);
}

/**
 * Moves axes of `x` to new positions; the other axes keep their order.
 *
 * @example Move the first axis to the end
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.moveaxis(np.zeros([2, 3, 4]), 0, -1).shape, [3, 4, 2]);
 * ```
 *
 * @param x The array.
 * @param source The axis or axes to move.
 * @param destination Their new positions (same count as `source`).
 * @returns The array with moved axes.
 */
export function moveaxis(
  x: ArrayLike,
  source: number | readonly number[],
  destination: number | readonly number[],
): NdArray {
  const a = asArray(x);
  const src = checkAxisList(source, a.ndim);
  const dst = checkAxisList(destination, a.ndim);
  if (src.length !== dst.length) {
    throw new TypeError(
      `Cannot move axes ${JSON.stringify(source)} to ${
        JSON.stringify(destination)
      }: source and destination must have the same number of elements (${src.length} vs ${dst.length})`,
    );
  }
  const order: number[] = [];
  for (let i = 0; i < a.ndim; i++) if (!src.includes(i)) order.push(i);
  const pairs = src.map((s, i) => [dst[i], s]).sort((p, q) => p[0] - q[0]);
  for (const [d, s] of pairs) order.splice(d, 0, s);
  return P.transpose(a, order);
}

/**
 * Inserts axes of length 1 at positions `axis` of the result.
 *
 * @example Add a leading and a trailing axis
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.expandDims([1, 2], [0, -1]).shape, [1, 2, 1]);
 * ```
 *
 * @param x The array.
 * @param axis Position(s) of the new axes in the result (negative counts from the end).
 * @returns The array with the new axes.
 */
export function expandDims(x: ArrayLike, axis: number | readonly number[]): NdArray {
  const a = asArray(x);
  const n = (typeof axis === "number" ? 1 : axis.length) + a.ndim;
  const axes = checkAxisList(axis, n);
  const shape: number[] = [];
  let k = 0;
  for (let i = 0; i < n; i++) shape.push(axes.includes(i) ? 1 : a.shape[k++]);
  return P.reshape(a, shape);
}

/**
 * Removes axes of length 1: all of them, or the given ones (which must have
 * length 1).
 *
 * @example Squeeze all unit axes
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.squeeze(np.zeros([1, 3, 1])).shape, [3]);
 * ```
 *
 * @param x The array.
 * @param axis Axis or axes to remove; all length-1 axes by default.
 * @returns The array without those axes.
 */
export function squeeze(x: ArrayLike, axis?: number | readonly number[] | null): NdArray {
  const a = asArray(x);
  let axes: number[];
  if (axis === undefined || axis === null) {
    axes = [];
    a.shape.forEach((d, i) => d === 1 && axes.push(i));
  } else {
    axes = checkAxisList(axis, a.ndim);
    for (const ax of axes) {
      if (a.shape[ax] !== 1) {
        throw new TypeError(
          `Cannot squeeze axis ${ax} of an array of shape ${showShape(a.shape)}: its size is ${
            a.shape[ax]
          }, not 1`,
        );
      }
    }
  }
  return P.reshape(a, a.shape.filter((_, i) => !axes.includes(i)));
}

// ---------------------------------------------------------------------------
// Broadcasting

/**
 * Broadcasts `x` to `shape` with NumPy rules (right-aligned; only length-1
 * axes stretch).
 *
 * @example Broadcast a row
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.broadcastTo([1, 2], [2, 2]).tolist(), [[1, 2], [1, 2]]);
 * ```
 *
 * @param x The array.
 * @param shape The target shape.
 * @returns `x` repeated to `shape`.
 */
export function broadcastTo(x: ArrayLike, shape: number | readonly number[]): NdArray {
  const a = asArray(x);
  const target = typeof shape === "number" ? [shape] : shape.slice();
  if (!target.every((d) => Number.isInteger(d) && d >= 0)) {
    throw new TypeError(
      `Invalid shape ${fmtList(target)}: expected an array of non-negative integers`,
    );
  }
  if (a.ndim > target.length) {
    throw new TypeError(
      `Cannot broadcast an array of shape ${showShape(a.shape)} to shape ${
        showShape(target)
      }: the target has fewer dimensions`,
    );
  }
  const lead = target.length - a.ndim;
  for (let i = 0; i < a.ndim; i++) {
    const d = a.shape[i], t = target[lead + i];
    if (d !== t && d !== 1) {
      throw new TypeError(
        `Cannot broadcast an array of shape ${showShape(a.shape)} to shape ${
          showShape(target)
        }: dimension ${i} differs (${d} vs ${t})`,
      );
    }
  }
  return P.broadcastTo(a, target);
}

/**
 * Broadcasts arrays against each other to their common shape.
 *
 * @example Broadcast a column against a row
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * const [a, b] = np.broadcastArrays([[1], [2]], [3, 4, 5]);
 * deepEqual([a.shape, b.shape], [[2, 3], [2, 3]]);
 * ```
 *
 * @param xs The arrays.
 * @returns The arrays, each broadcast to the common shape.
 */
export function broadcastArrays(...xs: ArrayLike[]): NdArray[] {
  const arrs = xs.map((x) => asArray(x));
  const shape = broadcastShapesN(arrs.map((a) => a.shape));
  return arrs.map((a) => P.broadcastTo(a, shape));
}

// ---------------------------------------------------------------------------
// Joining and splitting

/**
 * Joins arrays along an existing axis (with `axis: null`, flattens them
 * first). Dtypes are promoted to a common one.
 *
 * @example Join two matrices
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.concatenate([[[1, 2]], [[3, 4]]]).tolist(), [[1, 2], [3, 4]]);
 * deepEqual(np.concatenate([[[1, 2]], [[3, 4]]], 1).tolist(), [[1, 2, 3, 4]]);
 * ```
 *
 * @param xs The arrays (same shape except along `axis`).
 * @param axis The axis to join along; `null` flattens the inputs.
 * @returns The joined array.
 */
export function concatenate(xs: readonly ArrayLike[], axis: number | null = 0): NdArray {
  if (xs.length === 0) throw new TypeError("Need at least one array to concatenate");
  let arrs = promote(xs);
  if (axis === null) {
    arrs = arrs.map((a) => P.reshape(a, [a.size]));
    axis = 0;
  }
  const first = arrs[0];
  if (arrs.some((a) => a.ndim === 0)) {
    throw new TypeError("Cannot concatenate zero-dimensional arrays: use stack instead");
  }
  const ax = normalizeAxis(axis, first.ndim);
  const shapes = () => arrs.map((a) => showShape(a.shape)).join(" and ");
  for (const a of arrs) {
    if (a.ndim !== first.ndim) {
      throw new TypeError(
        `Cannot concatenate arrays of shapes ${shapes()}: ranks differ (${first.ndim} vs ${a.ndim})`,
      );
    }
    for (let i = 0; i < a.ndim; i++) {
      if (i !== ax && a.shape[i] !== first.shape[i]) {
        throw new TypeError(
          `Cannot concatenate arrays of shapes ${shapes()} along axis ${ax}: dimension ${i} differs (${
            first.shape[i]
          } vs ${a.shape[i]})`,
        );
      }
    }
  }
  return P.concatenate(arrs, ax);
}

/**
 * Joins arrays of one shape along a new axis.
 *
 * @example Stack two vectors
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.stack([[1, 2], [3, 4]], 1).tolist(), [[1, 3], [2, 4]]);
 * ```
 *
 * @param xs The arrays (all of the same shape).
 * @param axis Position of the new axis in the result.
 * @returns The stacked array.
 */
export function stack(xs: readonly ArrayLike[], axis = 0): NdArray {
  if (xs.length === 0) throw new TypeError("Need at least one array to stack");
  const arrs = promote(xs);
  const first = arrs[0];
  for (const a of arrs) {
    if (a.ndim !== first.ndim || a.shape.some((d, i) => d !== first.shape[i])) {
      throw new TypeError(
        `Cannot stack arrays of shapes ${
          arrs.map((b) => showShape(b.shape)).join(" and ")
        }: all input arrays must have the same shape`,
      );
    }
  }
  const ax = normalizeAxis(axis, first.ndim + 1);
  const shape = [...first.shape.slice(0, ax), 1, ...first.shape.slice(ax)];
  return P.concatenate(arrs.map((a) => P.reshape(a, shape)), ax);
}

/**
 * Splits `x` along `axis` into equal sections (a number, which must divide
 * the axis length) or at the given indices (NumPy slice semantics: negative
 * indices count from the end, out-of-range ones clamp).
 *
 * @example Equal sections and split points
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.split(np.arange(6), 3).map((a) => a.tolist()), [[0, 1], [2, 3], [4, 5]]);
 * deepEqual(np.split(np.arange(5), [1, 3]).map((a) => a.tolist()), [[0], [1, 2], [3, 4]]);
 * ```
 *
 * @param x The array.
 * @param indicesOrSections The number of equal sections, or the split points.
 * @param axis The axis to split along.
 * @returns The pieces, in order.
 */
export function split(
  x: ArrayLike,
  indicesOrSections: number | readonly number[],
  axis = 0,
): NdArray[] {
  const a = asArray(x);
  if (a.ndim === 0) throw new RangeError("Cannot split a zero-dimensional array");
  const ax = normalizeAxis(axis, a.ndim);
  const n = a.shape[ax];
  let points: number[];
  if (typeof indicesOrSections === "number") {
    const k = indicesOrSections;
    if (!Number.isInteger(k) || k <= 0) {
      throw new RangeError(`Number of sections must be a positive integer: got ${k}`);
    }
    if (n % k !== 0) {
      throw new RangeError(
        `Array split does not result in an equal division: axis ${ax} of size ${n} into ${k} sections`,
      );
    }
    points = globalThis.Array.from({ length: k - 1 }, (_, i) => ((i + 1) * n) / k);
  } else {
    points = indicesOrSections.slice();
    for (const p of points) {
      if (!Number.isInteger(p)) {
        throw new TypeError(`Split indices must be integers: got ${fmtList(points)}`);
      }
    }
  }
  const bounds: (number | undefined)[] = [undefined, ...points, undefined];
  const out: NdArray[] = [];
  for (let i = 0; i + 1 < bounds.length; i++) {
    const [s, , len] = sliceIndices(bounds[i], bounds[i + 1], 1, n);
    out.push(sliceAxis(a, ax, len === 0 ? 0 : s, len === 0 ? 0 : s + len));
  }
  return out;
}

// ---------------------------------------------------------------------------
// Reordering and repeating

/**
 * Reverses the order of elements along the given axes (all by default).
 *
 * @example Flip a matrix's columns
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.flip([[1, 2], [3, 4]], 1).tolist(), [[2, 1], [4, 3]]);
 * ```
 *
 * @param x The array.
 * @param axis Axis or axes to reverse; all axes by default.
 * @returns The reversed array.
 */
export function flip(x: ArrayLike, axis?: number | readonly number[] | null): NdArray {
  const a = asArray(x);
  return P.rev(a, normalizeAxes(axis, a.ndim));
}

/**
 * Repeats the whole of `x` `reps` times along each axis (NumPy `tile`:
 * shorter `reps` are padded with leading 1s, a lower-rank `x` with leading
 * axes).
 *
 * @example Tile a vector
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.tile([1, 2], [2, 2]).tolist(), [[1, 2, 1, 2], [1, 2, 1, 2]]);
 * ```
 *
 * @param x The array.
 * @param reps Repetitions per axis.
 * @returns The tiled array.
 */
export function tile(x: ArrayLike, reps: number | readonly number[]): NdArray {
  const a = asArray(x);
  const r = typeof reps === "number" ? [reps] : reps.slice();
  if (!r.every((d) => Number.isInteger(d) && d >= 0)) {
    throw new RangeError(`Tile repetitions must be non-negative integers: got ${fmtList(r)}`);
  }
  const nd = Math.max(a.ndim, r.length);
  const shape = [...new globalThis.Array<number>(nd - a.ndim).fill(1), ...a.shape];
  const rr = [...new globalThis.Array<number>(nd - r.length).fill(1), ...r];
  const inter: number[] = [], big: number[] = [];
  for (let i = 0; i < nd; i++) {
    inter.push(1, shape[i]);
    big.push(rr[i], shape[i]);
  }
  const b = P.broadcastTo(P.reshape(a, inter), big);
  return P.reshape(b, shape.map((d, i) => d * rr[i]));
}

/**
 * Repeats each element of `x` along `axis` (the flattened array by default),
 * `repeats` times or `repeats[i]` times for element `i`.
 *
 * @example Repeat elements
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.repeat([1, 2], 2).tolist(), [1, 1, 2, 2]);
 * deepEqual(np.repeat([[1, 2]], [1, 3], 1).tolist(), [[1, 2, 2, 2]]);
 * ```
 *
 * @param x The array.
 * @param repeats Repetitions, for all elements or per element along `axis`.
 * @param axis The axis; the flattened array when omitted.
 * @returns The array with repeated elements.
 */
export function repeat(
  x: ArrayLike,
  repeats: number | readonly number[],
  axis?: number | null,
): NdArray {
  let a = asArray(x);
  if (axis === undefined || axis === null) {
    a = P.reshape(a, [a.size]);
    axis = 0;
  }
  const ax = normalizeAxis(axis, a.ndim);
  const n = a.shape[ax];
  const list = typeof repeats === "number" ? [repeats] : repeats;
  if (!list.every((d) => Number.isInteger(d) && d >= 0)) {
    throw new RangeError(`Repeats must be non-negative integers: got ${fmtList(list)}`);
  }
  if (list.length === 1) {
    const r = list[0];
    const inter = [...a.shape.slice(0, ax + 1), 1, ...a.shape.slice(ax + 1)];
    const big = inter.map((d, i) => (i === ax + 1 ? r : d));
    const out = a.shape.map((d, i) => (i === ax ? d * r : d));
    return P.reshape(P.broadcastTo(P.reshape(a, inter), big), out);
  }
  if (list.length !== n) {
    throw new RangeError(
      `Cannot repeat axis ${ax} of size ${n} with ${list.length} repeats: expected 1 or ${n}`,
    );
  }
  const idx: number[] = [];
  list.forEach((r, i) => {
    for (let k = 0; k < r; k++) idx.push(i);
  });
  return P.take(a, new NdArray(Int32Array.from(idx), [idx.length], "int32"), ax);
}

/**
 * Gathers elements of `x` at `indices` along `axis` (of the flattened array
 * when `axis` is omitted): `out.shape = x.shape[:axis] ++ indices.shape ++
 * x.shape[axis+1:]`. Negative indices count from the end; concrete indices
 * out of range throw a `RangeError`.
 *
 * @example Gather rows and elements
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * const x = np.array([[1, 2], [3, 4]]);
 * deepEqual(np.take(x, [1, 0], 0).tolist(), [[3, 4], [1, 2]]);
 * deepEqual(np.take(x, [-1, 0]).tolist(), [4, 1]);
 * ```
 *
 * @param x The array.
 * @param indices Integer indices (a number, a list or an int32 array).
 * @param axis The axis to gather along; the flattened array when omitted.
 * @returns The gathered values.
 */
export function take(x: ArrayLike, indices: ArrayLike, axis?: number | null): NdArray {
  let a = asArray(x);
  if (axis === undefined || axis === null) {
    a = P.reshape(a, [a.size]);
    axis = 0;
  }
  const ax = normalizeAxis(axis, a.ndim);
  const idx = normalizeIndices(indexArray(indices, "Indices", a.shape[ax], ax), a.shape[ax], ax);
  return P.take(a, idx, ax);
}

// ---------------------------------------------------------------------------
// Diagonals

/**
 * Extracts a diagonal or builds a diagonal matrix: for a 1-D `x`, the square
 * matrix with `x` on diagonal `k`; for a 2-D `x`, its `k`-th diagonal.
 *
 * @example Both directions
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.diag([1, 2]).tolist(), [[1, 0], [0, 2]]);
 * deepEqual(np.diag([[1, 2], [3, 4]], 1).tolist(), [2]);
 * ```
 *
 * @param x A 1-D or 2-D array.
 * @param k The diagonal: 0 the main one, positive above, negative below.
 * @returns A 2-D matrix (1-D input) or a 1-D diagonal (2-D input).
 */
export function diag(x: ArrayLike, k = 0): NdArray {
  const a = asArray(x);
  if (!Number.isInteger(k)) throw new TypeError(`Diagonal offset must be an integer: got ${k}`);
  if (a.ndim === 2) return diagonal(a, k);
  if (a.ndim !== 1) {
    throw new TypeError(`Input must be 1-D or 2-D for diag: got shape ${showShape(a.shape)}`);
  }
  const n = a.shape[0];
  // Interior padding of n zeros puts element i at i * (n + 1): the flat n×n diagonal.
  const sq = P.reshape(P.pad(a, { lo: [0], hi: [0], interior: [n] }), [n, n]);
  if (k === 0) return sq;
  const m = Math.abs(k);
  return P.pad(sq, {
    lo: k > 0 ? [0, m] : [m, 0],
    hi: k > 0 ? [m, 0] : [0, m],
    interior: [0, 0],
  });
}

/**
 * The diagonal with `offset` of the 2-D sub-arrays spanned by `axis1` and
 * `axis2`; those axes are removed and the diagonal becomes the last axis.
 *
 * @example Main and upper diagonals
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * const x = np.arange(9).reshape([3, 3]);
 * deepEqual(np.diagonal(x).tolist(), [0, 4, 8]);
 * deepEqual(np.diagonal(x, 1).tolist(), [1, 5]);
 * ```
 *
 * @param x An array of rank at least 2.
 * @param offset The diagonal: positive above the main one, negative below.
 * @param axis1 The axis of the rows.
 * @param axis2 The axis of the columns.
 * @returns The diagonals, along the last axis.
 */
export function diagonal(x: ArrayLike, offset = 0, axis1 = 0, axis2 = 1): NdArray {
  const a = asArray(x);
  if (a.ndim < 2) {
    throw new TypeError(
      `Diagonal requires an array of at least two dimensions: got shape ${showShape(a.shape)}`,
    );
  }
  if (!Number.isInteger(offset)) {
    throw new TypeError(`Diagonal offset must be an integer: got ${offset}`);
  }
  const i = normalizeAxis(axis1, a.ndim), j = normalizeAxis(axis2, a.ndim);
  if (i === j) {
    throw new RangeError(`Diagonal axes must differ: axis1 and axis2 are both ${i}`);
  }
  const rest: number[] = [];
  for (let d = 0; d < a.ndim; d++) if (d !== i && d !== j) rest.push(d);
  const t = P.transpose(a, [...rest, i, j]);
  const batch = t.shape.slice(0, -2);
  const [r, c] = t.shape.slice(-2);
  const len = Math.max(0, offset >= 0 ? Math.min(r, c - offset) : Math.min(r + offset, c));
  const r0 = offset >= 0 ? 0 : -offset, c0 = offset >= 0 ? offset : 0;
  const starts = [...batch.map(() => 0), len === 0 ? 0 : r0, len === 0 ? 0 : c0];
  const limits = [...batch, starts[batch.length] + len, starts[batch.length + 1] + len];
  const square = sliceAll(t, starts, limits);
  // The diagonal of a flattened L×L block is every (L+1)-th element.
  const flat = P.reshape(square, [...batch, len * len]);
  return sliceAxis(flat, batch.length, 0, len * len, len + 1);
}

/**
 * Sum along a diagonal (see {@linkcode diagonal}); bool arrays sum as int32.
 *
 * @example Trace of a matrix
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.trace([[1, 2], [3, 4]]).item(), 5);
 * ```
 *
 * @param x An array of rank at least 2.
 * @param offset The diagonal.
 * @param axis1 The axis of the rows.
 * @param axis2 The axis of the columns.
 * @returns The sums of the diagonals.
 */
export function trace(x: ArrayLike, offset = 0, axis1 = 0, axis2 = 1): NdArray {
  let d = diagonal(x, offset, axis1, axis2);
  if (d.dtype === "bool") d = convert(d, "int32");
  return reduceSum(d, [d.ndim - 1]);
}

// ---------------------------------------------------------------------------
// Indexing

type Parsed =
  | { kind: "int"; value: number }
  | { kind: "slice"; start?: number; stop?: number; step: number }
  | { kind: "array"; value: ArrayLike; mask?: { shape: Shape; axis: number } }
  | { kind: "newaxis" }
  | { kind: "ellipsis" };

function parseSlice(s: string): Parsed {
  const parts = s.split(":");
  const bad = (): never => {
    throw new TypeError(
      `Invalid index ${
        JSON.stringify(s)
      }: expected a slice "start:stop:step" (each part an optional integer) or "..."`,
    );
  };
  if (parts.length < 2 || parts.length > 3) bad();
  const nums = parts.map((p) => {
    const t = p.trim();
    if (t === "") return undefined;
    if (!/^[+-]?\d+$/.test(t)) bad();
    return Number(t);
  });
  const step = nums[2] ?? 1;
  if (step === 0) {
    throw new RangeError(`Invalid index ${JSON.stringify(s)}: slice step cannot be zero`);
  }
  return { kind: "slice", start: nums[0], stop: nums[1], step };
}

function parseIndex(ix: Index): Parsed {
  if (ix === null) return { kind: "newaxis" };
  if (typeof ix === "number") {
    if (!Number.isInteger(ix)) throw new TypeError(`Indices must be integers: got ${ix}`);
    return { kind: "int", value: ix };
  }
  if (typeof ix === "string") return ix === "..." ? { kind: "ellipsis" } : parseSlice(ix);
  if (ix instanceof NdArray || globalThis.Array.isArray(ix)) {
    return { kind: "array", value: ix as ArrayLike };
  }
  throw new TypeError(
    `Invalid index ${
      JSON.stringify(ix)
    }: expected an integer, a slice string, "...", null or an integer array`,
  );
}

/**
 * NumPy indexing `x[i, j, ...]`: integers (negative count from the end),
 * slice strings `"start:stop:step"` (any part optional; negative steps
 * reverse), `"..."` (the remaining axes), `null` (a new axis of length 1),
 * integer arrays (lists or `int32` arrays; several are broadcast together and
 * gather elementwise, as NumPy's advanced indexing), and boolean masks (a
 * mask of rank k selects along k axes where it is true, as the integer arrays
 * of its `nonzero` would).
 *
 * As in NumPy, when the advanced indices (integer arrays and integers) are
 * separated by a slice, `"..."` or `null`, the gathered axes come first in the
 * result. A boolean mask must be concrete: its result shape depends on its
 * values, so it cannot be a `vmap` tracer.
 *
 * @example Basic and advanced indexing
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * const x = np.arange(6).reshape([2, 3]);
 * deepEqual(np.get(x, 1, -1).item(), 5);
 * deepEqual(np.get(x, ":", "::-2").tolist(), [[2, 0], [5, 3]]);
 * deepEqual(np.get(x, "...", null).shape, [2, 3, 1]);
 * deepEqual(np.get(x, [1, 0], 0).tolist(), [3, 0]);
 * deepEqual(np.get(x, [0, 1], [2, 0]).tolist(), [2, 3]);
 * deepEqual(np.get(x, np.greater(x, 3)).tolist(), [4, 5]);
 * ```
 *
 * @param x The array.
 * @param index One index per axis; missing trailing indices select whole axes.
 * @returns The selected values.
 */
export function get(x: ArrayLike, ...index: Index[]): NdArray {
  let a = asArray(x);
  const parsed = index.flatMap((ix) => expandMask(parseIndex(ix)));
  const ellipses = parsed.filter((p) => p.kind === "ellipsis").length;
  if (ellipses > 1) throw new TypeError(`An index can only have a single ellipsis ("...")`);
  const consumed = parsed.filter((p) => p.kind !== "ellipsis" && p.kind !== "newaxis").length;
  if (consumed > a.ndim) {
    throw new RangeError(
      `Too many indices for an array of shape ${
        showShape(a.shape)
      }: the array is ${a.ndim}-dimensional, but ${consumed} were indexed`,
    );
  }
  // Expand "..." (or append it) into full slices.
  const full: Parsed[] = [];
  const fill = (): void => {
    for (let i = 0; i < a.ndim - consumed; i++) full.push({ kind: "slice", step: 1 });
  };
  for (const p of parsed) {
    if (p.kind === "ellipsis") fill();
    else full.push(p);
  }
  if (ellipses === 0) fill();

  // One slice over all input axes; ints become [i, i+1), negative steps rev afterwards.
  const starts: number[] = [], limits: number[] = [], strides: number[] = [];
  const revAxes: number[] = [];
  const arrayAxes: number[] = [], arrayIndices: NdArray[] = [];
  let d = 0;
  for (const p of full) {
    if (p.kind === "newaxis") continue;
    const n = a.shape[d];
    if (p.kind === "int") {
      const v = p.value;
      if (v < -n || v >= n) {
        throw new RangeError(`Index ${v} is out of bounds for axis ${d} with size ${n}`);
      }
      const i = v < 0 ? v + n : v;
      starts.push(i), limits.push(i + 1), strides.push(1);
    } else if (p.kind === "slice") {
      const [s, , len] = sliceIndices(p.start, p.stop, p.step, n);
      const step = Math.abs(p.step);
      if (len === 0) starts.push(0), limits.push(0), strides.push(1);
      else if (p.step > 0) {
        starts.push(s), limits.push(s + (len - 1) * step + 1), strides.push(step);
      } else {
        starts.push(s - (len - 1) * step), limits.push(s + 1), strides.push(step);
        if (len > 1) revAxes.push(d);
      }
    } else if (p.kind === "array") {
      if (p.mask !== undefined && p.mask.shape[p.mask.axis] !== n) {
        throw new RangeError(
          `Boolean index of shape ${
            showShape(p.mask.shape)
          } does not match the indexed array: axis ${d} has size ${n}, but mask axis ${p.mask.axis} has size ${
            p.mask.shape[p.mask.axis]
          }`,
        );
      }
      arrayAxes.push(d);
      arrayIndices.push(normalizeIndices(indexArray(p.value, "Array indices", n, d), n, d));
      starts.push(0), limits.push(n), strides.push(1);
    }
    d++;
  }
  a = sliceAll(a, starts, limits, strides);
  a = P.rev(a, revAxes);

  // Output layout: walk the index again, collecting the result's dimensions.
  if (arrayIndices.length === 0) {
    const shape: number[] = [];
    let k = 0;
    for (const p of full) {
      if (p.kind === "newaxis") shape.push(1);
      else if (p.kind === "int") k++;
      else shape.push(a.shape[k++]);
    }
    return P.reshape(a, shape);
  }
  // Gather: move the array-indexed axes to the front, flatten them into one, and take the
  // row-major linear index of the broadcast index arrays. `a` becomes [...ishape, ...others].
  let ishape: number[];
  try {
    ishape = broadcastShapesN(arrayIndices.map((i) => i.shape));
  } catch {
    throw new TypeError(
      `Cannot broadcast the index arrays together: shapes ${
        arrayIndices.map((i) => showShape(i.shape)).join(", ")
      }`,
    );
  }
  const others: number[] = [];
  for (let i = 0; i < a.ndim; i++) if (!arrayAxes.includes(i)) others.push(i);
  const sizes = arrayAxes.map((ax) => a.shape[ax]);
  let linear = arrayIndices[arrayIndices.length - 1];
  let stride = sizes[sizes.length - 1];
  for (let i = arrayIndices.length - 2; i >= 0; i--) {
    linear = add(mul(arrayIndices[i], scalarArray(stride, "int32")), linear);
    stride *= sizes[i];
  }
  if (!shapesEqual(linear.shape, ishape)) linear = P.broadcastTo(linear, ishape);
  const moved = arrayAxes.every((ax, i) => ax === i)
    ? a
    : P.transpose(a, [...arrayAxes, ...others]);
  const flat = P.reshape(moved, [sizeOf(sizes), ...others.map((ax) => a.shape[ax])]);
  a = P.take(flat, linear, 0);
  // Advanced indices (ints and arrays) are adjacent unless something else separates them;
  // adjacent ones put the gathered axes where they stood, others put them first.
  const adv = full.map((p, i) => (p.kind === "int" || p.kind === "array" ? i : -1)).filter((
    i,
  ) => i >= 0);
  const adjacent = adv[adv.length - 1] - adv[0] + 1 === adv.length;
  const nb = ishape.length;
  // Dimensions of `a` after the gathered block, in index order (ints are length-1 axes there).
  const shape: number[] = [];
  const perm: number[] = [];
  let k = nb;
  let placed = !adjacent;
  if (!adjacent) {
    for (let i = 0; i < nb; i++) perm.push(i);
    shape.push(...ishape);
  }
  for (const p of full) {
    if (p.kind === "newaxis") shape.push(1);
    else if (p.kind === "int") perm.push(k++);
    else if (p.kind === "slice") perm.push(k), shape.push(a.shape[k++]);
    else if (!placed) {
      for (let i = 0; i < nb; i++) perm.push(i);
      shape.push(...ishape);
      placed = true;
    }
  }
  if (perm.some((q, i) => q !== i)) a = P.transpose(a, perm);
  return P.reshape(a, shape);
}

/**
 * Replaces a boolean mask index by the integer arrays of its `nonzero` (one per mask axis),
 * as NumPy does; other indices pass through. The mask's values must be concrete.
 */
function expandMask(p: Parsed): Parsed[] {
  if (p.kind !== "array") return [p];
  const v = p.value;
  let mask: NdArray;
  if (v instanceof NdArray) {
    if (v.dtype !== "bool") return [p];
    mask = v;
  } else {
    if (!isAllBool(v)) return [p];
    mask = asArray(v);
  }
  if (mask.ndim === 0) {
    throw new TypeError(
      "Boolean scalar indices are not supported: index with a boolean array of rank at least 1",
    );
  }
  const data = mask.data; // a vmap tracer throws here: the result shape depends on the values
  const strides = mask.shape.map((_, i) => sizeOf(mask.shape.slice(i + 1)));
  const hits: number[] = [];
  for (let i = 0; i < data.length; i++) if (data[i] !== 0) hits.push(i);
  return mask.shape.map((n, axis) => ({
    kind: "array" as const,
    value: new NdArray(
      Int32Array.from(hits, (h) => Math.floor(h / strides[axis]) % n),
      [hits.length],
      "int32",
    ),
    mask: { shape: mask.shape, axis },
  }));
}

/** Whether a nested JS list holds booleans only (and at least one). */
function isAllBool(v: unknown): boolean {
  let seen = false;
  const walk = (u: unknown): boolean => {
    if (globalThis.Array.isArray(u)) return u.every(walk);
    if (typeof u === "boolean") return (seen = true);
    return false;
  };
  return walk(v) && seen;
}
