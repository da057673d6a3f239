/**
 * More shape functions for the `np` namespace: `pad`, `roll`, `meshgrid`,
 * `triu`, `tril`, `atleast1d`/`2d`/`3d`, `hstack`, `vstack`, `columnStack`,
 * `dstack`, `append`, `diff`, `cumprod`, `cross`, `kron` and `select`. Each
 * is composed from structural and elementwise primitives, so `grad`, `jvp`
 * and `vmap` apply; only static arguments (shapes, widths, axes) are read.
 *
 * @module
 */

import { type ArrayLike, NdArray } from "../array/array.ts";
import { checkDType, type DType } from "../array/dtype.ts";
import { normalizeAxis, showShape } from "../array/shape.ts";
import { filled } from "../array/create.ts";
import * as P from "../primitives/structural.ts";
import { asArray, promote, readOptions, resultDType, scalarArray } from "./_convert.ts";
import { astype, multiply, notEqual, subtract, where } from "./math.ts";
import { broadcastArrays, concatenate } from "./shape.ts";

// ---------------------------------------------------------------------------
// Helpers

function sliceAxis(x: NdArray, axis: number, start: number, stop: number): NdArray {
  if (start === 0 && stop === x.shape[axis]) return x;
  return P.slice(x, {
    starts: x.shape.map((_, i) => (i === axis ? start : 0)),
    limits: x.shape.map((n, i) => (i === axis ? stop : n)),
    strides: x.shape.map(() => 1),
  });
}

function int32(values: readonly number[]): NdArray {
  return new NdArray(Int32Array.from(values), [values.length], "int32");
}

function checkInt(name: string, what: string, v: unknown): number {
  if (typeof v !== "number" || !Number.isInteger(v)) {
    throw new TypeError(
      `Invalid ${what} for ${name}: expected an integer, got ${JSON.stringify(v)}`,
    );
  }
  return v;
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
        JSON.stringify(width)
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
        `Invalid pad width ${JSON.stringify(width)}: widths must be non-negative`,
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
  const o: PadOptions = typeof opts === "string" ? { mode: opts } : readOptions("pad", opts, false);
  const mode = o.mode ?? "constant";
  if (!PAD_MODES.includes(mode)) {
    throw new TypeError(
      `Invalid mode for pad: expected one of ${PAD_MODES.join(", ")}, got ${JSON.stringify(mode)}`,
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
// meshgrid

/** Options of {@linkcode meshgrid}. */
export interface MeshgridOptions {
  /** `"xy"` (Cartesian, the default: the first two output axes swapped) or `"ij"` (matrix). */
  indexing?: "xy" | "ij";
  /** Return broadcastable arrays with unit axes instead of full grids (default `false`). */
  sparse?: boolean;
}

function isOptions(v: unknown): v is MeshgridOptions {
  return typeof v === "object" && v !== null && !globalThis.Array.isArray(v) &&
    !(v instanceof NdArray);
}

/**
 * Coordinate grids from coordinate vectors (each input is flattened). With
 * `indexing: "xy"` (the default) the first two axes are swapped, so for
 * vectors of lengths `m` and `n` the grids are `n × m`; `"ij"` gives `m × n`.
 * An options object may come last.
 *
 * @example Cartesian and matrix indexing
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * const [X, Y] = np.meshgrid([1, 2, 3], [4, 5]);
 * deepEqual(X.tolist(), [[1, 2, 3], [1, 2, 3]]);
 * deepEqual(Y.tolist(), [[4, 4, 4], [5, 5, 5]]);
 * const [I] = np.meshgrid([1, 2, 3], [4, 5], { indexing: "ij" });
 * deepEqual(I.shape, [3, 2]);
 * ```
 *
 * @param args Coordinate vectors, then optionally `{ indexing, sparse }`.
 * @returns One grid per input.
 */
export function meshgrid(...args: (ArrayLike | MeshgridOptions)[]): NdArray[] {
  let opts: MeshgridOptions = {};
  if (args.length > 0 && isOptions(args[args.length - 1])) {
    opts = args[args.length - 1] as MeshgridOptions;
    args = args.slice(0, -1);
  }
  const indexing = opts.indexing ?? "xy";
  if (indexing !== "xy" && indexing !== "ij") {
    throw new TypeError(
      `Invalid indexing for meshgrid: expected "xy" or "ij", got ${JSON.stringify(indexing)}`,
    );
  }
  const xs = (args as ArrayLike[]).map((v) => {
    const a = asArray(v);
    return P.reshape(a, [a.size]);
  });
  const n = xs.length;
  const lens = xs.map((a) => a.size);
  // Position of input i's axis in the output.
  const pos = (i: number) => (indexing === "xy" && n > 1 && i < 2 ? 1 - i : i);
  const full = new globalThis.Array<number>(n);
  xs.forEach((_, i) => (full[pos(i)] = lens[i]));
  return xs.map((a, i) => {
    const shape = new globalThis.Array<number>(n).fill(1);
    shape[pos(i)] = lens[i];
    const r = P.reshape(a, shape);
    return opts.sparse ? r : P.broadcastTo(r, full);
  });
}

// ---------------------------------------------------------------------------
// triu / tril

function triangle(name: string, x: ArrayLike, k: number, upper: boolean): NdArray {
  const a = asArray(x);
  checkInt(name, "diagonal offset k", k);
  if (a.ndim === 0) {
    throw new TypeError(`${name} needs an array of at least one dimension: got a scalar`);
  }
  const [m, n] = a.ndim === 1 ? [a.shape[0], a.shape[0]] : a.shape.slice(-2);
  const mask = filled([m, n], 0, "bool");
  const data = mask.data;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) data[i * n + j] = (upper ? j - i >= k : j - i <= k) ? 1 : 0;
  }
  return where(mask, a, scalarArray(0, a.dtype));
}

/**
 * The upper triangle of the last two axes: elements below diagonal `k` are
 * zeroed (a 1-D `x` is first repeated into a square matrix, as NumPy).
 *
 * @example Upper triangles
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * const x = [[1, 2, 3], [4, 5, 6], [7, 8, 9]];
 * deepEqual(np.triu(x).tolist(), [[1, 2, 3], [0, 5, 6], [0, 0, 9]]);
 * deepEqual(np.triu(x, 1).tolist(), [[0, 2, 3], [0, 0, 6], [0, 0, 0]]);
 * ```
 *
 * @param x An array of rank at least 1.
 * @param k The diagonal: 0 the main one, positive above, negative below.
 * @returns `x` with the lower part zeroed.
 */
export function triu(x: ArrayLike, k = 0): NdArray {
  return triangle("triu", x, k, true);
}

/**
 * The lower triangle of the last two axes: elements above diagonal `k` are
 * zeroed (a 1-D `x` is first repeated into a square matrix, as NumPy).
 *
 * @example Lower triangles
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * const x = [[1, 2, 3], [4, 5, 6], [7, 8, 9]];
 * deepEqual(np.tril(x).tolist(), [[1, 0, 0], [4, 5, 0], [7, 8, 9]]);
 * deepEqual(np.tril(x, -1).tolist(), [[0, 0, 0], [4, 0, 0], [7, 8, 0]]);
 * ```
 *
 * @param x An array of rank at least 1.
 * @param k The diagonal: 0 the main one, positive above, negative below.
 * @returns `x` with the upper part zeroed.
 */
export function tril(x: ArrayLike, k = 0): NdArray {
  return triangle("tril", x, k, false);
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
// diff / cumprod

/** Options of {@linkcode diff}. */
export interface DiffOptions {
  /** Values to put before `x` along the axis first (a scalar is broadcast to one slice). */
  prepend?: ArrayLike;
  /** Values to put after `x` along the axis first (a scalar is broadcast to one slice). */
  append?: ArrayLike;
}

/**
 * The `n`-th discrete difference along `axis`: `x[1:] - x[:-1]`, `n` times
 * (for `bool` input, `x[1:] != x[:-1]`, as NumPy).
 *
 * @example First and second differences
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.diff([1, 4, 9, 16]).tolist(), [3, 5, 7]);
 * deepEqual(np.diff([1, 4, 9, 16], 2).tolist(), [2, 2]);
 * deepEqual(np.diff([[1, 2], [5, 3]], 1, 0).tolist(), [[4, 1]]);
 * deepEqual(np.diff([1, 2], 1, -1, { prepend: 0 }).tolist(), [1, 1]);
 * ```
 *
 * @param x An array of rank at least 1.
 * @param n Number of times to difference (default 1).
 * @param axis The axis (default the last).
 * @param opts `prepend` and `append`.
 * @returns An array whose `axis` is `n` shorter.
 */
export function diff(x: ArrayLike, n = 1, axis = -1, opts: DiffOptions = {}): NdArray {
  checkInt("diff", "order n", n);
  if (n < 0) throw new RangeError(`Invalid order n for diff: must be non-negative, got ${n}`);
  let a = asArray(x);
  if (a.ndim === 0) {
    throw new TypeError("diff needs an array of at least one dimension: got a scalar");
  }
  const ax = normalizeAxis(axis, a.ndim);
  const o = readOptions("diff", opts, false);
  if (o.prepend !== undefined || o.append !== undefined) {
    const side = (v: ArrayLike) => {
      const b = asArray(v);
      if (b.ndim !== 0) return b;
      return P.broadcastTo(b, a.shape.map((d, i) => (i === ax ? 1 : d)));
    };
    const parts: ArrayLike[] = [];
    if (o.prepend !== undefined) parts.push(side(o.prepend));
    parts.push(a);
    if (o.append !== undefined) parts.push(side(o.append));
    a = concatenate(parts, ax);
  }
  for (let i = 0; i < n; i++) {
    const len = a.shape[ax];
    if (len === 0) break;
    const hi = sliceAxis(a, ax, 1, len), lo = sliceAxis(a, ax, 0, len - 1);
    a = a.dtype === "bool" ? notEqual(hi, lo) : subtract(hi, lo);
  }
  return a;
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
  if (axis === null || axis === undefined) {
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

// ---------------------------------------------------------------------------
// cross / kron / select

/**
 * The cross product of 3-vectors (or 2-vectors, as NumPy and JAX) along
 * `axis`, broadcasting the other axes. Two 2-vectors give the scalar
 * z-component; a 2-vector with a 3-vector is taken to have z = 0.
 *
 * @example Unit vectors
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.cross([1, 0, 0], [0, 1, 0]).tolist(), [0, 0, 1]);
 * deepEqual(np.cross([[1, 2, 3]], [[4, 5, 6]]).tolist(), [[-3, 6, -3]]);
 * deepEqual(np.cross([1, 2], [3, 4]).tolist(), -2);
 * ```
 *
 * @param a First vectors.
 * @param b Second vectors.
 * @param axis The axis holding the vector components (default the last).
 * @returns The cross products (their vector axis at `axis`).
 */
export function cross(a: ArrayLike, b: ArrayLike, axis = -1): NdArray {
  const [x0, y0] = promote([a, b]);
  if (x0.dtype === "bool") {
    throw new TypeError("Cannot take the cross product of bool arrays: convert them with astype");
  }
  if (x0.ndim === 0 || y0.ndim === 0) {
    throw new TypeError("cross needs arrays of at least one dimension: got a scalar");
  }
  const move = (v: NdArray) => {
    const ax = normalizeAxis(axis, v.ndim);
    const perm = v.shape.map((_, i) => i).filter((i) => i !== ax);
    return P.transpose(v, [...perm, ax]);
  };
  const x = move(x0), y = move(y0);
  const nx = x.shape[x.ndim - 1], ny = y.shape[y.ndim - 1];
  if ((nx !== 2 && nx !== 3) || (ny !== 2 && ny !== 3)) {
    throw new RangeError(
      `Incompatible dimensions for cross product: the vector axes have lengths ${nx} and ${ny} (each must be 2 or 3)`,
    );
  }
  const comp = (v: NdArray, i: number): NdArray | null => {
    if (i >= v.shape[v.ndim - 1]) return null;
    const s = sliceAxis(v, v.ndim - 1, i, i + 1);
    return P.reshape(s, v.shape.slice(0, -1));
  };
  const [ax_, ay_, az_] = [comp(x, 0)!, comp(x, 1)!, comp(x, 2)];
  const [bx_, by_, bz_] = [comp(y, 0)!, comp(y, 1)!, comp(y, 2)];
  const mul = (p: NdArray | null, q: NdArray | null) =>
    p === null || q === null ? null : multiply(p, q);
  const minus = (p: NdArray | null, q: NdArray | null): NdArray => {
    if (p !== null && q !== null) return subtract(p, q);
    if (p !== null) return p;
    return subtract(scalarArray(0, x.dtype), q!);
  };
  const z = minus(mul(ax_, by_), mul(ay_, bx_));
  if (nx === 2 && ny === 2) return z;
  const cx = minus(mul(ay_, bz_), mul(az_, by_));
  const cy = minus(mul(az_, bx_), mul(ax_, bz_));
  const parts = broadcastArrays(cx, cy, z).map((p) => P.reshape(p, [...p.shape, 1]));
  const out = P.concatenate(parts, parts[0].ndim - 1);
  // The vector axis goes where `axis` says (NumPy's axisc).
  const at = normalizeAxis(axis, out.ndim);
  if (at === out.ndim - 1) return out;
  const perm = out.shape.map((_, i) => i).slice(0, -1);
  perm.splice(at, 0, out.ndim - 1);
  return P.transpose(out, perm);
}

/**
 * The Kronecker product: blocks `a[i] * b` laid out on the grid of `a`
 * (the lower-rank input gets leading unit axes).
 *
 * @example A block matrix
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.kron([1, 10], [1, 2]).tolist(), [1, 2, 10, 20]);
 * deepEqual(np.kron(np.eye(2), [[1, 2]]).tolist(), [[1, 2, 0, 0], [0, 0, 1, 2]]);
 * ```
 *
 * @param a First array.
 * @param b Second array.
 * @returns An array of shape `a.shape * b.shape` (per axis).
 */
export function kron(a: ArrayLike, b: ArrayLike): NdArray {
  const [x, y] = promote([a, b]);
  const nd = Math.max(x.ndim, y.ndim);
  const pad1 = (s: readonly number[]) => [...new globalThis.Array(nd - s.length).fill(1), ...s];
  const sx = pad1(x.shape), sy = pad1(y.shape);
  const xr = P.reshape(x, sx.flatMap((d) => [d, 1]));
  const yr = P.reshape(y, sy.flatMap((d) => [1, d]));
  const prod = multiply(xr, yr);
  return P.reshape(prod, sx.map((d, i) => d * sy[i]));
}

/**
 * Chooses, elementwise, from `choicelist[i]` where `condlist[i]` is the
 * first true condition, and `default` where none is (everything
 * broadcast). The gradient flows to the chosen entries.
 *
 * @example Piecewise values
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * const x = np.array([-2, 0, 3]);
 * const y = np.select([np.less(x, 0), np.greater(x, 0)], [np.negative(x), np.square(x)], -1);
 * deepEqual(y.tolist(), [2, -1, 9]);
 * ```
 *
 * @param condlist Boolean conditions.
 * @param choicelist Values, one per condition.
 * @param defaultValue The value where no condition holds (default 0).
 * @returns The selected values, of the promoted dtype of the choices and default.
 */
export function select(
  condlist: readonly ArrayLike[],
  choicelist: readonly ArrayLike[],
  defaultValue: ArrayLike = 0,
): NdArray {
  if (!globalThis.Array.isArray(condlist) || !globalThis.Array.isArray(choicelist)) {
    throw new TypeError("select needs a list of conditions and a list of choices");
  }
  if (condlist.length !== choicelist.length) {
    throw new RangeError(
      `select needs as many choices as conditions: got ${condlist.length} conditions and ${choicelist.length} choices`,
    );
  }
  if (condlist.length === 0) {
    throw new RangeError("select needs at least one condition");
  }
  const conds = condlist.map((c, i) => {
    const b = asArray(c);
    if (b.dtype !== "bool") {
      throw new TypeError(
        `Invalid condition ${i} for select: expected a bool array, got ${b.dtype}`,
      );
    }
    return b;
  });
  const dtype = resultDType([...choicelist, defaultValue]);
  let out = asArray(defaultValue, dtype);
  for (let i = conds.length - 1; i >= 0; i--) {
    out = where(conds[i], asArray(choicelist[i], dtype), out);
  }
  return out;
}
