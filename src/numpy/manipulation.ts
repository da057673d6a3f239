/**
 * NumPy's array manipulation routines: `reshape`, `transpose`, `squeeze`,
 * `broadcastTo`, `concatenate`, `stack` and its variants, `split`, `flip`,
 * `tile`, `repeat`, `pad`, `roll`, `atleast*`, `append`, ... Every function
 * here is composed from structural primitives
 * (`broadcast_to`, `reshape`, `transpose`, `slice`, `pad`, `concatenate`,
 * `rev`), so `grad`, `jvp` and `vmap` see every operation. Concrete values are
 * read only for static arguments (shapes, axes, JS numbers).
 *
 * @module
 */

import * as P from "../primitives/structural.ts";
import { type ArrayLike, NdArray } from "../array/array.ts";
import {
  broadcastShapesN,
  normalizeAxes,
  normalizeAxis,
  ShapeError,
  showShape,
  sizeOf,
} from "../array/shape.ts";
import { asArray, fmtList, promote, readOptions, sliceIndices } from "./_args.ts";
import { astype, where } from "./math.ts";
import { filled } from "../array/create.ts";
import { checkInt } from "./_args.ts";
import { sliceAxis } from "./_args.ts";
import { showValue } from "../array/shape.ts";
import { checkOptions } from "../core/options.ts";
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
    throw new ShapeError(
      `Cannot reshape array of shape ${showShape(a.shape)} (size ${a.size}) into shape ${
        fmtList(list)
      }${unknown === -1 ? ` (size ${sizeOf(list)})` : ""}`,
      { op: "reshape", shapes: [a.shape, list] },
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
      `Cannot move axes ${showValue(source)} to ${
        showValue(destination)
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
    throw new ShapeError(
      `Cannot broadcast an array of shape ${showShape(a.shape)} to shape ${
        showShape(target)
      }: the target has fewer dimensions`,
      { op: "broadcastTo", shapes: [a.shape, target] },
    );
  }
  const lead = target.length - a.ndim;
  for (let i = 0; i < a.ndim; i++) {
    const d = a.shape[i], t = target[lead + i];
    if (d !== t && d !== 1) {
      throw new ShapeError(
        `Cannot broadcast an array of shape ${showShape(a.shape)} to shape ${
          showShape(target)
        }: dimension ${i} differs (${d} vs ${t})`,
        { op: "broadcastTo", shapes: [a.shape, target] },
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
      throw new ShapeError(
        `Cannot concatenate arrays of shapes ${shapes()}: ranks differ (${first.ndim} vs ${a.ndim})`,
        { op: "concatenate", shapes: arrs.map((b) => b.shape) },
      );
    }
    for (let i = 0; i < a.ndim; i++) {
      if (i !== ax && a.shape[i] !== first.shape[i]) {
        throw new ShapeError(
          `Cannot concatenate arrays of shapes ${shapes()} along axis ${ax}: dimension ${i} differs (${
            first.shape[i]
          } vs ${a.shape[i]})`,
          { op: "concatenate", shapes: arrs.map((b) => b.shape) },
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
      throw new ShapeError(
        `Cannot stack arrays of shapes ${
          arrs.map((b) => showShape(b.shape)).join(" and ")
        }: all input arrays must have the same shape`,
        { op: "stack", shapes: arrs.map((b) => b.shape) },
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

function int32(values: readonly number[]): NdArray {
  return new NdArray(Int32Array.from(values), [values.length], "int32");
}

// ---------------------------------------------------------------------------
// pad

/** How {@linkcode pad} fills the new elements. */
export type PadMode = "constant" | "empty" | "edge" | "reflect" | "symmetric" | "wrap";

/** Options of {@linkcode pad}. */
export interface PadOptions {
  /** The fill (default `"constant"`). */
  mode?: PadMode;
  /** The value of the padding in `"constant"` mode (default 0; may be a traced scalar). */
  constantValues?: ArrayLike;
}

/** A pad width: one for every side, `[before, after]` for every axis, or one pair per axis. */
export type PadWidth = number | readonly number[] | readonly (readonly number[])[];

/** NumPy's `_as_pairs`: a pad width broadcast to one `[before, after]` per axis. */
function padPairs(width: PadWidth, ndim: number): [number, number][] {
  const bad = (): never => {
    throw new TypeError(
      `Invalid pad width ${
        showValue(width)
      }: expected an integer, a pair [before, after], or one pair per axis (${ndim})`,
    );
  };
  const pair = (p: unknown): [number, number] => {
    if (typeof p === "number") return [p, p];
    if (!globalThis.Array.isArray(p) || p.length < 1 || p.length > 2) return bad();
    return p.length === 1 ? [p[0], p[0]] : [p[0], p[1]];
  };
  let pairs: [number, number][];
  if (typeof width === "number") pairs = new globalThis.Array(ndim).fill([width, width]);
  else if (!globalThis.Array.isArray(width)) pairs = bad();
  else if (width.every((w) => typeof w === "number")) {
    pairs = new globalThis.Array(ndim).fill(pair(width));
  } else if (width.length === 1) pairs = new globalThis.Array(ndim).fill(pair(width[0]));
  else if (width.length === ndim) pairs = width.map(pair);
  else pairs = bad();
  for (const [b, a] of pairs) {
    if (!Number.isInteger(b) || !Number.isInteger(a)) bad();
    if (b < 0 || a < 0) {
      throw new RangeError(
        `Invalid pad width ${showValue(width)}: widths must be non-negative`,
      );
    }
  }
  return pairs;
}

/** The source index of padded position `i` (in `[-before, n + after)`) along an axis of length `n`. */
function padSource(mode: PadMode, i: number, n: number): number {
  switch (mode) {
    case "edge":
      return Math.min(Math.max(i, 0), n - 1);
    case "wrap":
      return ((i % n) + n) % n;
    case "symmetric": {
      const j = ((i % (2 * n)) + 2 * n) % (2 * n);
      return j >= n ? 2 * n - 1 - j : j;
    }
    default: { // reflect
      if (n === 1) return 0;
      const per = 2 * (n - 1);
      const j = ((i % per) + per) % per;
      return j >= n ? per - j : j;
    }
  }
}

const PAD_MODES: readonly PadMode[] = ["constant", "empty", "edge", "reflect", "symmetric", "wrap"];

/**
 * Pads `x` along every axis (NumPy's `pad`). Modes: `"constant"` (the
 * default; with `constantValues`, a scalar), `"empty"` (zeros here),
 * `"edge"`, `"reflect"`, `"symmetric"` and `"wrap"`. The gradient flows to
 * `x` (and to a traced `constantValues`).
 *
 * @example Constant, edge and reflect padding
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.pad([1, 2, 3], [1, 2]).tolist(), [0, 1, 2, 3, 0, 0]);
 * deepEqual(np.pad([1, 2], 1, { constantValues: 9 }).tolist(), [9, 1, 2, 9]);
 * deepEqual(np.pad([1, 2, 3], 2, "edge").tolist(), [1, 1, 1, 2, 3, 3, 3]);
 * deepEqual(np.pad([1, 2, 3], 2, { mode: "reflect" }).tolist(), [3, 2, 1, 2, 3, 2, 1]);
 * deepEqual(np.pad([[1]], [[0, 1], [1, 0]]).tolist(), [[0, 1], [0, 0]]);
 * ```
 *
 * @param x The array.
 * @param padWidth Widths: `n` on every side, `[before, after]` for every axis, or a pair per axis.
 * @param opts `mode` and `constantValues`; a mode name alone also works.
 * @returns The padded array.
 */
export function pad(x: ArrayLike, padWidth: PadWidth, opts: PadOptions | PadMode = {}): NdArray {
  checkOptions("pad", opts, ["constantValues", "mode"]);
  const o: PadOptions = typeof opts === "string" ? { mode: opts } : readOptions("pad", opts, false);
  const mode = o.mode ?? "constant";
  if (!PAD_MODES.includes(mode)) {
    throw new TypeError(
      `Invalid mode for pad: expected one of ${PAD_MODES.join(", ")}, got ${showValue(mode)}`,
    );
  }
  const a = asArray(x);
  const pairs = padPairs(padWidth, a.ndim);
  if (mode === "constant" || mode === "empty") {
    if (pairs.every(([b, e]) => b === 0 && e === 0)) return a;
    const params = {
      lo: pairs.map((p) => p[0]),
      hi: pairs.map((p) => p[1]),
      interior: pairs.map(() => 0),
    };
    const padded = P.pad(a, params);
    const cv = o.constantValues;
    if (mode === "empty" || cv === undefined || (typeof cv === "number" && cv === 0)) {
      return padded;
    }
    const value = astype(asArray(cv), a.dtype);
    if (value.ndim !== 0) {
      throw new TypeError(
        `Invalid constantValues for pad: expected a scalar, got shape ${showShape(value.shape)}`,
      );
    }
    const inside = P.pad(filled(a.shape, 1, "bool"), params);
    return where(inside, padded, value);
  }
  let out = a;
  pairs.forEach(([before, after], axis) => {
    if (before === 0 && after === 0) return;
    const n = out.shape[axis];
    if (n === 0) {
      throw new RangeError(
        `Cannot pad an empty axis ${axis} in mode "${mode}": only "constant" and "empty" can extend an empty axis`,
      );
    }
    const idx: number[] = [];
    for (let i = -before; i < n + after; i++) idx.push(padSource(mode, i, n));
    out = P.take(out, int32(idx), axis);
  });
  return out;
}

// ---------------------------------------------------------------------------
// roll

/**
 * Rolls elements along `axis` by `shift` places (elements leaving one end
 * come back at the other); without an axis, over the flattened array,
 * keeping the shape. Several shifts and axes roll along each.
 *
 * @example Rolling a vector and a matrix
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.roll([1, 2, 3, 4], 1).tolist(), [4, 1, 2, 3]);
 * deepEqual(np.roll([[1, 2], [3, 4]], -1, 1).tolist(), [[2, 1], [4, 3]]);
 * deepEqual(np.roll([[1, 2], [3, 4]], 1).tolist(), [[4, 1], [2, 3]]);
 * ```
 *
 * @param x The array.
 * @param shift Places to roll (negative rolls backwards), one or one per axis.
 * @param axis Axis or axes; the flattened array when omitted.
 * @returns The rolled array.
 */
export function roll(
  x: ArrayLike,
  shift: number | readonly number[],
  axis?: number | readonly number[] | null,
): NdArray {
  const a = asArray(x);
  const shifts = typeof shift === "number" ? [shift] : [...shift];
  shifts.forEach((s) => checkInt("roll", "shift", s));
  if (axis === undefined || axis === null) {
    if (shifts.length !== 1) {
      throw new TypeError(
        `Invalid shift for roll: without an axis, expected one shift, got ${shifts.length}`,
      );
    }
    return P.reshape(roll(P.reshape(a, [a.size]), shifts[0], 0), a.shape);
  }
  const axes = (typeof axis === "number" ? [axis] : [...axis]).map((ax) =>
    normalizeAxis(ax, a.ndim)
  );
  if (shifts.length !== axes.length && shifts.length !== 1 && axes.length !== 1) {
    throw new TypeError(
      `Cannot roll: ${shifts.length} shifts and ${axes.length} axes do not broadcast`,
    );
  }
  const m = Math.max(shifts.length, axes.length);
  const total = new Map<number, number>();
  for (let i = 0; i < m; i++) {
    const ax = axes[axes.length === 1 ? 0 : i];
    total.set(ax, (total.get(ax) ?? 0) + shifts[shifts.length === 1 ? 0 : i]);
  }
  let out = a;
  for (const [ax, s] of total) {
    const n = out.shape[ax];
    if (n === 0) continue;
    const r = ((s % n) + n) % n;
    if (r === 0) continue;
    out = P.concatenate([sliceAxis(out, ax, n - r, n), sliceAxis(out, ax, 0, n - r)], ax);
  }
  return out;
}

// ---------------------------------------------------------------------------
// atleast / stacking

function toAtLeast(a: NdArray, nd: 1 | 2 | 3): NdArray {
  if (a.ndim >= nd) return a;
  if (nd === 1) return P.reshape(a, [1]);
  if (nd === 2) return P.reshape(a, a.ndim === 0 ? [1, 1] : [1, a.shape[0]]);
  if (a.ndim === 0) return P.reshape(a, [1, 1, 1]);
  if (a.ndim === 1) return P.reshape(a, [1, a.shape[0], 1]);
  return P.reshape(a, [...a.shape, 1]);
}

function atleast(nd: 1 | 2 | 3, xs: ArrayLike[]): NdArray | NdArray[] {
  const out = xs.map((x) => toAtLeast(asArray(x), nd));
  return out.length === 1 ? out[0] : out;
}

/**
 * Views `x` as an array of at least one dimension (a scalar becomes shape `[1]`).
 *
 * @example A scalar
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.atleast1d(5).tolist(), [5]);
 * ```
 *
 * @param x The input.
 * @returns The array.
 */
export function atleast1d(x: ArrayLike): NdArray;
/**
 * Views several inputs as arrays of at least one dimension.
 *
 * @example A scalar and a vector
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.atleast1d(5, [1, 2]).map((a) => a.shape), [[1], [2]]);
 * ```
 *
 * @param xs The inputs.
 * @returns One array per input.
 */
export function atleast1d(...xs: ArrayLike[]): NdArray[];
export function atleast1d(...xs: ArrayLike[]): NdArray | NdArray[] {
  return atleast(1, xs);
}

/**
 * Views `x` as an array of at least two dimensions (a vector of length `n`
 * becomes `[1, n]`, a scalar `[1, 1]`).
 *
 * @example A vector becomes a row
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.atleast2d([1, 2]).tolist(), [[1, 2]]);
 * ```
 *
 * @param x The input.
 * @returns The array.
 */
export function atleast2d(x: ArrayLike): NdArray;
/**
 * Views several inputs as arrays of at least two dimensions.
 *
 * @example A scalar and a matrix
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.atleast2d(1, [[1, 2]]).map((a) => a.shape), [[1, 1], [1, 2]]);
 * ```
 *
 * @param xs The inputs.
 * @returns One array per input.
 */
export function atleast2d(...xs: ArrayLike[]): NdArray[];
export function atleast2d(...xs: ArrayLike[]): NdArray | NdArray[] {
  return atleast(2, xs);
}

/**
 * Views `x` as an array of at least three dimensions (a vector of length
 * `n` becomes `[1, n, 1]`, an `m × n` matrix `[m, n, 1]`).
 *
 * @example Vectors and matrices
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.atleast3d([1, 2]).shape, [1, 2, 1]);
 * deepEqual(np.atleast3d([[1, 2]]).shape, [1, 2, 1]);
 * ```
 *
 * @param x The input.
 * @returns The array.
 */
export function atleast3d(x: ArrayLike): NdArray;
/**
 * Views several inputs as arrays of at least three dimensions.
 *
 * @example A scalar and a vector
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.atleast3d(1, [1, 2]).map((a) => a.shape), [[1, 1, 1], [1, 2, 1]]);
 * ```
 *
 * @param xs The inputs.
 * @returns One array per input.
 */
export function atleast3d(...xs: ArrayLike[]): NdArray[];
export function atleast3d(...xs: ArrayLike[]): NdArray | NdArray[] {
  return atleast(3, xs);
}

function checkSeq(name: string, xs: readonly ArrayLike[]): void {
  if (!globalThis.Array.isArray(xs) || xs.length === 0) {
    throw new TypeError(`${name} needs a non-empty list of arrays`);
  }
}

/**
 * Joins arrays horizontally: along axis 1, or axis 0 for 1-D inputs.
 *
 * @example Vectors and columns
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.hstack([[1, 2], [3]]).tolist(), [1, 2, 3]);
 * deepEqual(np.hstack([[[1], [2]], [[3], [4]]]).tolist(), [[1, 3], [2, 4]]);
 * ```
 *
 * @param xs The arrays.
 * @returns The joined array.
 */
export function hstack(xs: readonly ArrayLike[]): NdArray {
  checkSeq("hstack", xs);
  const arrs = xs.map((x) => toAtLeast(asArray(x), 1));
  return concatenate(arrs, arrs[0].ndim === 1 ? 0 : 1);
}

/**
 * Joins arrays vertically: along axis 0, after making 1-D inputs rows.
 *
 * @example Stacking rows
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.vstack([[1, 2], [3, 4]]).tolist(), [[1, 2], [3, 4]]);
 * ```
 *
 * @param xs The arrays.
 * @returns The joined array.
 */
export function vstack(xs: readonly ArrayLike[]): NdArray {
  checkSeq("vstack", xs);
  return concatenate(xs.map((x) => toAtLeast(asArray(x), 2)), 0);
}

/**
 * Joins arrays along the third axis, after making them at least 3-D.
 *
 * @example Pairing elements in depth
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.dstack([[1, 2], [3, 4]]).tolist(), [[[1, 3], [2, 4]]]);
 * ```
 *
 * @param xs The arrays.
 * @returns The joined array.
 */
export function dstack(xs: readonly ArrayLike[]): NdArray {
  checkSeq("dstack", xs);
  return concatenate(xs.map((x) => toAtLeast(asArray(x), 3)), 2);
}

/**
 * Joins 1-D arrays as the columns of a matrix (2-D arrays are joined along
 * axis 1 as they are).
 *
 * @example Two vectors as columns
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.columnStack([[1, 2], [3, 4]]).tolist(), [[1, 3], [2, 4]]);
 * ```
 *
 * @param xs The arrays.
 * @returns The joined matrix.
 */
export function columnStack(xs: readonly ArrayLike[]): NdArray {
  checkSeq("columnStack", xs);
  const arrs = xs.map((x) => {
    const a = asArray(x);
    return a.ndim < 2 ? P.reshape(a, [a.size, 1]) : a;
  });
  return concatenate(arrs, 1);
}

/**
 * Appends `values` to the end of `x` along `axis`; without an axis, both
 * are flattened first.
 *
 * @example Flattened and along an axis
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.append([1, 2], [[3], [4]]).tolist(), [1, 2, 3, 4]);
 * deepEqual(np.append([[1, 2]], [[3, 4]], 0).tolist(), [[1, 2], [3, 4]]);
 * ```
 *
 * @param x The array.
 * @param values Values to append (the shape of `x` except along `axis`).
 * @param axis The axis; the flattened arrays when omitted.
 * @returns The joined array.
 */
export function append(x: ArrayLike, values: ArrayLike, axis?: number | null): NdArray {
  if (axis === undefined || axis === null) return concatenate([x, values], null);
  return concatenate([x, values], axis);
}

// ---------------------------------------------------------------------------
// More splitting, rotating, inserting and deleting

/**
 * Splits `x` into `sections` parts along `axis`, allowing an unequal
 * division (the first `n % sections` parts are one longer), or at the given
 * indices (then the same as {@linkcode split}).
 *
 * @example
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.arraySplit(np.arange(5), 3).map((p) => p.tolist()), [[0, 1], [2, 3], [4]]);
 * ```
 *
 * @param x The array.
 * @param indicesOrSections Number of parts, or the split points.
 * @param axis The axis (default 0).
 * @returns The parts.
 */
export function arraySplit(
  x: ArrayLike,
  indicesOrSections: number | readonly number[],
  axis = 0,
): NdArray[] {
  const a = asArray(x);
  if (typeof indicesOrSections !== "number") return split(a, indicesOrSections, axis);
  if (a.ndim === 0) throw new RangeError("Cannot split a zero-dimensional array");
  const k = indicesOrSections;
  if (!Number.isInteger(k) || k <= 0) {
    throw new RangeError(`Number of sections must be a positive integer: got ${showValue(k)}`);
  }
  const ax = normalizeAxis(axis, a.ndim);
  const n = a.shape[ax];
  const each = Math.floor(n / k), extra = n % k;
  const points: number[] = [];
  let at = 0;
  for (let i = 0; i < k - 1; i++) {
    at += each + (i < extra ? 1 : 0);
    points.push(at);
  }
  return split(a, points, ax);
}

/**
 * Splits along the second axis (the first for 1-D input), as NumPy's `hsplit`.
 *
 * @example
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.hsplit(np.arange(4).reshape([1, 4]), 2).map((p) => p.tolist()), [[[0, 1]], [[2, 3]]]);
 * ```
 *
 * @param x The array (at least 1-D).
 * @param indicesOrSections Number of equal parts, or the split points.
 * @returns The parts.
 */
export function hsplit(x: ArrayLike, indicesOrSections: number | readonly number[]): NdArray[] {
  const a = asArray(x);
  if (a.ndim === 0) throw new RangeError("hsplit needs an array of at least one dimension");
  return split(a, indicesOrSections, a.ndim > 1 ? 1 : 0);
}

/**
 * Splits along the first axis of an array of at least two dimensions.
 *
 * @example
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.vsplit(np.arange(4).reshape([2, 2]), 2).map((p) => p.tolist()), [[[0, 1]], [[2, 3]]]);
 * ```
 *
 * @param x The array (at least 2-D).
 * @param indicesOrSections Number of equal parts, or the split points.
 * @returns The parts.
 */
export function vsplit(x: ArrayLike, indicesOrSections: number | readonly number[]): NdArray[] {
  const a = asArray(x);
  if (a.ndim < 2) {
    throw new RangeError(
      `vsplit needs an array of at least two dimensions: got shape ${fmtList(a.shape)}`,
    );
  }
  return split(a, indicesOrSections, 0);
}

/**
 * Splits along the third axis of an array of at least three dimensions.
 *
 * @example
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.dsplit(np.arange(4).reshape([1, 1, 4]), [1]).map((p) => p.shape), [[1, 1, 1], [1, 1, 3]]);
 * ```
 *
 * @param x The array (at least 3-D).
 * @param indicesOrSections Number of equal parts, or the split points.
 * @returns The parts.
 */
export function dsplit(x: ArrayLike, indicesOrSections: number | readonly number[]): NdArray[] {
  const a = asArray(x);
  if (a.ndim < 3) {
    throw new RangeError(
      `dsplit needs an array of at least three dimensions: got shape ${fmtList(a.shape)}`,
    );
  }
  return split(a, indicesOrSections, 2);
}

/**
 * The slices of `x` along `axis`, that axis removed (the inverse of
 * {@linkcode stack}).
 *
 * @example
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.unstack(np.array([[1, 2], [3, 4]]), { axis: 1 }).map((p) => p.tolist()), [[1, 3], [2, 4]]);
 * ```
 *
 * @param x An array of at least one dimension.
 * @param options `axis` (default 0).
 * @returns The slices.
 */
export function unstack(x: ArrayLike, options?: { axis?: number }): NdArray[] {
  const a = asArray(x);
  if (a.ndim === 0) throw new RangeError("unstack needs an array of at least one dimension");
  checkOptions("unstack", options, ["axis"]);
  const ax = normalizeAxis(readOptions("unstack", options, false).axis ?? 0, a.ndim);
  const rest = a.shape.filter((_, i) => i !== ax);
  return globalThis.Array.from(
    { length: a.shape[ax] },
    (_, i) => P.reshape(sliceAxis(a, ax, i, i + 1), rest),
  );
}

/**
 * Rotates by 90° `k` times in the plane of `axes`, from the first axis
 * towards the second (counter-clockwise for a matrix).
 *
 * @example
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.rot90(np.array([[1, 2], [3, 4]])).tolist(), [[2, 4], [1, 3]]);
 * ```
 *
 * @param x An array of at least two dimensions.
 * @param k Number of quarter turns (negative turns clockwise).
 * @param axes The plane (default `[0, 1]`).
 * @returns The rotated array.
 */
export function rot90(x: ArrayLike, k = 1, axes: readonly [number, number] = [0, 1]): NdArray {
  const a = asArray(x);
  checkInt("rot90", "k", k);
  if (a.ndim < 2) {
    throw new RangeError(`rot90 needs at least two dimensions: got shape ${fmtList(a.shape)}`);
  }
  if (axes.length !== 2) throw new TypeError(`rot90 axes must be two axes: got ${showValue(axes)}`);
  const a0 = normalizeAxis(axes[0], a.ndim), a1 = normalizeAxis(axes[1], a.ndim);
  if (a0 === a1) throw new RangeError(`rot90 axes must differ: got ${showValue(axes)}`);
  const turns = ((k % 4) + 4) % 4;
  if (turns === 0) return a;
  if (turns === 2) return P.rev(a, [a0, a1]);
  const perm = a.shape.map((_, i) => (i === a0 ? a1 : i === a1 ? a0 : i));
  return turns === 1 ? P.transpose(P.rev(a, [a1]), perm) : P.rev(P.transpose(a, perm), [a1]);
}

/** Concrete integer indices of `obj` (a number, a list or a concrete int array) for insert/delete. */
function concreteIndices(
  name: string,
  obj: ArrayLike | string,
  n: number,
): { values: number[]; scalar: boolean } {
  if (typeof obj === "string") {
    // A slice "start:stop:step", as NumPy's slice objects.
    const parts = obj.split(":");
    const nums = parts.map((p) => (p.trim() === "" ? undefined : Number(p.trim())));
    if (
      parts.length < 2 || parts.length > 3 ||
      nums.some((v) => v !== undefined && !Number.isInteger(v)) || nums[2] === 0
    ) {
      throw new TypeError(`${name}: invalid slice ${showValue(obj)}: expected "start:stop:step"`);
    }
    const step = nums[2] ?? 1;
    const [start, , len] = sliceIndices(nums[0], nums[1], step, n);
    return {
      values: globalThis.Array.from({ length: len }, (_, i) => start + i * step),
      scalar: false,
    };
  }
  const o = asArray(obj);
  if (o.ndim > 1) {
    throw new TypeError(
      `${name}: indices must be a scalar or one-dimensional: got shape ${fmtList(o.shape)}`,
    );
  }
  if (o.dtype === "bool") throw new TypeError(`${name}: indices must be integers, got booleans`);
  let data: ArrayLike;
  try {
    data = o.tolist() as ArrayLike;
  } catch {
    throw new TypeError(
      `${name}: indices must be concrete (not traced): their values fix the output shape`,
    );
  }
  const values = (o.ndim === 0 ? [data] : data) as number[];
  for (const v of values) {
    if (!Number.isInteger(v)) {
      throw new TypeError(`${name}: indices must be integers: got ${showValue(obj)}`);
    }
  }
  return { values, scalar: o.ndim === 0 };
}

/**
 * `x` with `values` inserted before the given indices along `axis` (of the
 * flattened array when `axis` is null). The indices must be concrete: they
 * fix the output shape. Differentiable in `x` and `values`.
 *
 * @example
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.insert(np.array([1, 2, 3]), 1, 9).tolist(), [1, 9, 2, 3]);
 * deepEqual(np.insert(np.array([[1, 2], [3, 4]]), 1, 0, 1).tolist(), [[1, 0, 2], [3, 0, 4]]);
 * ```
 *
 * @param x The array.
 * @param obj The index (or indices) before which to insert, or a slice string `"start:stop:step"`.
 * @param values The values, broadcast to the inserted block.
 * @param axis The axis (default null: flatten).
 * @returns The longer array.
 */
export function insert(
  x: ArrayLike,
  obj: number | readonly number[] | NdArray | string,
  values: ArrayLike,
  axis: number | null = null,
): NdArray {
  let a = asArray(x);
  if (axis === null) {
    a = P.reshape(a, [a.size]);
    axis = 0;
  }
  const ax = normalizeAxis(axis, a.ndim);
  const n = a.shape[ax];
  const { values: idx0, scalar } = concreteIndices("insert", obj as ArrayLike | string, n);
  let v = asArray(values, a.dtype);
  // As NumPy: values get at least the array's rank (leading axes); a scalar
  // index inserts the whole block there, its first axis moved to `axis`.
  if (v.ndim < a.ndim) {
    v = P.reshape(v, [...new globalThis.Array(a.ndim - v.ndim).fill(1), ...v.shape]);
  }
  if (scalar) v = moveaxis(v, 0, ax);
  const nInsert = scalar ? v.shape[ax] : idx0.length;
  const idx = scalar ? new globalThis.Array(nInsert).fill(idx0[0]) : idx0;
  const block = a.shape.map((d, i) => (i === ax ? nInsert : d));
  v = broadcastTo(v, block);
  const pos = idx.map((i) => Math.min(Math.max(i < 0 ? i + n : i, 0), n));
  // Where each inserted value lands: sort by position (stably), shift by rank.
  const order = pos.map((_, i) => i).sort((p, q) => pos[p] - pos[q] || p - q);
  const valueAt = new globalThis.Array<number>(nInsert);
  order.forEach((j, r) => (valueAt[j] = pos[j] + r));
  const isValue = new globalThis.Array<number>(n + nInsert).fill(-1);
  valueAt.forEach((p, j) => (isValue[p] = j));
  const gather = new Int32Array(n + nInsert);
  let next = 0;
  for (let p = 0; p < n + nInsert; p++) gather[p] = isValue[p] >= 0 ? n + isValue[p] : next++;
  const both = P.concatenate([a, v], ax);
  return P.take(both, new NdArray(gather, [n + nInsert], "int32"), ax);
}

/**
 * `x` without the entries at the given indices along `axis` (of the
 * flattened array when `axis` is null). The indices must be concrete;
 * repeated indices delete once, out-of-range ones are an error.
 *
 * @example
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.delete(np.array([1, 2, 3, 4]), [0, -1]).tolist(), [2, 3]);
 * ```
 *
 * @param x The array.
 * @param obj The index or indices to delete, or a slice string `"start:stop:step"`.
 * @param axis The axis (default null: flatten).
 * @returns The shorter array.
 */
function delete_(
  x: ArrayLike,
  obj: number | readonly number[] | NdArray | string,
  axis: number | null = null,
): NdArray {
  let a = asArray(x);
  if (axis === null) {
    a = P.reshape(a, [a.size]);
    axis = 0;
  }
  const ax = normalizeAxis(axis, a.ndim);
  const n = a.shape[ax];
  const drop = new Set<number>();
  for (const i of concreteIndices("delete", obj as ArrayLike | string, n).values) {
    if (i < -n || i >= n) {
      throw new RangeError(`delete: index ${i} is out of bounds for axis ${ax} with size ${n}`);
    }
    drop.add(i < 0 ? i + n : i);
  }
  const keep: number[] = [];
  for (let i = 0; i < n; i++) if (!drop.has(i)) keep.push(i);
  return P.take(a, new NdArray(Int32Array.from(keep), [keep.length], "int32"), ax);
}
export { delete_ as delete };
