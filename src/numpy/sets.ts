/**
 * NumPy's set routines: `unique` (with JAX's static `size`) and `isin`.
 * Composed from sorts, gathers and comparisons, so they batch under `vmap`.
 *
 * @module
 */

import { checkOptions } from "../core/options.ts";
import * as P from "../primitives/structural.ts";
import { type ArrayLike, NdArray } from "../array/array.ts";
import { isInexact } from "../array/dtype.ts";
import { normalizeAxis } from "../array/shape.ts";
import { moveaxis } from "./manipulation.ts";
import { Tracer } from "../core/handler.ts";
import { convert } from "../primitives/elementwise.ts";
import { asArray, promote, readOptions, scalarArray } from "./_args.ts";
import { equal, isnan, less, logicalAnd, logicalNot, notEqual, subtract, where } from "./math.ts";
import { any, cumsum, sum } from "./reductions.ts";
import { argsort, nonzero } from "./sorting.ts";
import { diff } from "./math.ts";

/** Options of {@linkcode unique}. */
export interface UniqueOptions {
  /** Also return the index of each unique value's first occurrence. */
  returnIndex?: boolean;
  /** Also return, for each input element, the index of its unique value (the input's shape). */
  returnInverse?: boolean;
  /** Also return how often each unique value occurs. */
  returnCounts?: boolean;
  /** The axis whose sub-arrays are compared (default `null`: the flattened array). */
  axis?: number | null;
  /** Count all NaNs as one value (default true). */
  equalNan?: boolean;
  /**
   * The static number of results (required when the input is traced). Extra
   * slots hold `fillValue` (default: the smallest value); values beyond it are dropped.
   */
  size?: number | null;
  /** The value for unused slots (default the smallest value). */
  fillValue?: number | null;
}

/**
 * The sorted unique values of the flattened array (NaN last) — or, with
 * `axis`, the unique sub-arrays along it in lexicographic order — optionally
 * with first-occurrence indices, inverse indices and counts — in that
 * order, as a list, when any is asked for. As JAX, a traced input needs a
 * static `size`.
 *
 * @example
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * const x = np.array([3, 1, 3, 2]);
 * deepEqual(np.unique(x).tolist(), [1, 2, 3]);
 * const [u, counts] = np.unique(x, { returnCounts: true, size: 4, fillValue: 0 });
 * deepEqual([u.tolist(), counts.tolist()], [[1, 2, 3, 0], [1, 1, 2, 0]]);
 * ```
 *
 * @param x The array.
 * @param options `returnIndex`, `returnInverse`, `returnCounts`, `equalNan`, `size`, `fillValue`.
 * @returns The unique values, or a list of them and the requested extras.
 */
export function unique(
  x: ArrayLike,
  options?: UniqueOptions & { returnIndex?: false; returnInverse?: false; returnCounts?: false },
): NdArray;
export function unique(
  x: ArrayLike,
  options:
    & UniqueOptions
    & ({ returnIndex: true } | { returnInverse: true } | { returnCounts: true }),
): NdArray[];
export function unique(x: ArrayLike, options?: UniqueOptions): NdArray | NdArray[];
export function unique(x: ArrayLike, options?: UniqueOptions): NdArray | NdArray[] {
  checkOptions("unique", options, [
    "returnIndex",
    "returnInverse",
    "returnCounts",
    "axis",
    "equalNan",
    "size",
    "fillValue",
  ]);
  const o = readOptions("unique", options, false);
  const a0 = asArray(x);
  let size = o.size;
  if ((size === undefined || size === null) && a0 instanceof Tracer) {
    throw new TypeError(
      "unique needs a static size when its input is traced (the number of unique values depends on the data): pass { size }",
    );
  }
  // Work on rows: [n, k] (k = 1 for the flattened array; the sub-arrays along `axis` otherwise).
  const byAxis = o.axis !== undefined && o.axis !== null;
  const ax = byAxis ? normalizeAxis(o.axis as number, a0.ndim) : 0;
  const moved = byAxis ? moveaxis(a0, ax, 0) : P.reshape(a0, [a0.size]);
  const n = moved.shape[0];
  const rest = moved.shape.slice(1);
  const k = rest.reduce((p, q) => p * q, 1);
  const rows = P.reshape(moved, [n, k]);
  if (n === 0 && size && (o.fillValue === undefined || o.fillValue === null)) {
    throw new RangeError("unique of an empty array with a non-zero size needs a fillValue");
  }
  const col = (j: number) =>
    P.reshape(P.slice(rows, { starts: [0, j], limits: [n, j + 1], strides: [1, 1] }), [n]);
  let perm: NdArray;
  if (n === 0 || k === 0) {
    perm = new NdArray(Int32Array.from({ length: n }, (_, i) => i), [n], "int32");
  } else {
    // Lexicographic order of the rows: stable sorts from the last column to the first.
    perm = argsort(col(k - 1));
    for (let j = k - 2; j >= 0; j--) perm = P.take(perm, argsort(P.take(col(j), perm, 0)), 0);
  }
  const aux = P.take(rows, perm, 0);
  let mask: NdArray;
  if (n === 0) mask = new NdArray(new Uint8Array(0), [0], "bool");
  else if (k === 0) {
    mask = P.concatenate([
      new NdArray(new Uint8Array([1]), [1], "bool"),
      P.broadcastTo(scalarArray(0, "bool"), [n - 1]),
    ], 0);
  } else {
    const hi = P.slice(aux, { starts: [1, 0], limits: [n, k], strides: [1, 1] });
    const lo = P.slice(aux, { starts: [0, 0], limits: [n - 1, k], strides: [1, 1] });
    let neq = notEqual(hi, lo);
    if (isInexact(aux.dtype) && (o.equalNan ?? true)) {
      neq = logicalAnd(neq, logicalNot(logicalAnd(isnan(hi), isnan(lo))));
    }
    mask = P.concatenate([new NdArray(new Uint8Array([1]), [1], "bool"), any(neq, 1)], 0);
  }
  if (size === undefined || size === null) size = sum(convert(mask, "int32")).item() as number;
  const [ind] = n === 0
    ? [new NdArray(new Int32Array(size), [size], "int32")]
    : nonzero(mask, { size });
  let values = n === 0
    ? P.broadcastTo(scalarArray(o.fillValue ?? 0, a0.dtype), [size, k])
    : P.take(aux, ind, 0);
  if (n > 0 && o.fillValue !== undefined && o.fillValue !== null) {
    const slot = new NdArray(Int32Array.from({ length: size }, (_, i) => i), [size, 1], "int32");
    values = where(
      less(slot, sum(convert(mask, "int32"))),
      values,
      scalarArray(o.fillValue, a0.dtype),
    );
  }
  values = P.reshape(values, [size, ...rest]);
  const out: NdArray[] = [byAxis ? moveaxis(values, 0, ax) : values];
  if (o.returnIndex) out.push(n === 0 ? perm : P.take(perm, ind, 0));
  if (o.returnInverse) {
    const imask = subtract(cumsum(convert(mask, "int32")), scalarArray(1, "int32"));
    // inverse[perm[i]] = imask[i]: gather through the inverse permutation.
    const inv = n === 0 ? imask : P.take(imask, argsort(perm), 0);
    out.push(byAxis ? inv : P.reshape(inv, a0.shape));
  }
  if (o.returnCounts) {
    if (n === 0) out.push(new NdArray(new Int32Array(size), [size], "int32"));
    else {
      const [idx] = nonzero(mask, { size: size + 1 });
      const tail = P.slice(idx, { starts: [1], limits: [size + 1], strides: [1] });
      const ends = where(notEqual(tail, scalarArray(0, "int32")), tail, scalarArray(n, "int32"));
      const bounds = P.concatenate(
        [P.slice(idx, { starts: [0], limits: [1], strides: [1] }), ends],
        0,
      );
      out.push(diff(bounds));
    }
  }
  return out.length === 1 ? out[0] : out;
}

/** Options of {@linkcode isin}. */
export interface IsinOptions {
  /** Return the complement (`!isin`). */
  invert?: boolean;
  /** Accepted for NumPy compatibility; has no effect. */
  assumeUnique?: boolean;
}

/**
 * Whether each element of `element` occurs in `testElements` (a `bool`
 * array of `element`'s shape), by comparing against every test element.
 *
 * @example
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.isin(np.array([1, 2, 3]), [3, 1]).tolist(), [true, false, true]);
 * ```
 *
 * @param element The values to look up.
 * @param testElements The set (any shape; flattened).
 * @param options `invert`.
 * @returns The membership mask.
 */
export function isin(element: ArrayLike, testElements: ArrayLike, options?: IsinOptions): NdArray {
  checkOptions("isin", options, ["invert", "assumeUnique"]);
  const o = readOptions("isin", options, false);
  const e = asArray(element), t = asArray(testElements);
  const tf = P.reshape(t, [t.size]);
  const hit = t.size === 0
    ? P.broadcastTo(scalarArray(0, "bool"), e.shape)
    : any(equal(P.reshape(e, [...e.shape, 1]), tf), -1);
  return o.invert ? logicalNot(hit) : hit;
}

/** Options of the array-API `unique*` functions. */
export interface UniqueSizeOptions {
  /** The static number of results (required when the input is traced). */
  size?: number | null;
  /** The value for unused slots (default the smallest value). */
  fillValue?: number | null;
}

function uniqueParts(
  name: string,
  x: ArrayLike,
  options: UniqueSizeOptions | undefined,
  extra: UniqueOptions,
): NdArray[] {
  checkOptions(name, options, ["size", "fillValue"]);
  const o = readOptions(name, options, false);
  const out = unique(x, { ...extra, equalNan: false, size: o.size, fillValue: o.fillValue });
  return globalThis.Array.isArray(out) ? out : [out];
}

/**
 * The sorted unique values of the flattened array with their first indices,
 * inverse indices (the input's shape) and counts (the array API's
 * `unique_all`; NaNs are all distinct, as there).
 *
 * @example
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * const r = np.uniqueAll(np.array([3, 1, 3]));
 * deepEqual([r.values.tolist(), r.indices.tolist(), r.inverseIndices.tolist(), r.counts.tolist()], [
 *   [1, 3], [1, 0], [1, 0, 1], [1, 2],
 * ]);
 * ```
 *
 * @param x The array.
 * @param options `size`, `fillValue`.
 * @returns `{ values, indices, inverseIndices, counts }`.
 */
export function uniqueAll(
  x: ArrayLike,
  options?: UniqueSizeOptions,
): { values: NdArray; indices: NdArray; inverseIndices: NdArray; counts: NdArray } {
  const [values, indices, inverseIndices, counts] = uniqueParts("uniqueAll", x, options, {
    returnIndex: true,
    returnInverse: true,
    returnCounts: true,
  });
  return { values, indices, inverseIndices, counts };
}

/**
 * The sorted unique values and their counts (the array API's `unique_counts`).
 *
 * @example
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * const r = np.uniqueCounts(np.array([3, 1, 3]));
 * deepEqual([r.values.tolist(), r.counts.tolist()], [[1, 3], [1, 2]]);
 * ```
 *
 * @param x The array.
 * @param options `size`, `fillValue`.
 * @returns `{ values, counts }`.
 */
export function uniqueCounts(
  x: ArrayLike,
  options?: UniqueSizeOptions,
): { values: NdArray; counts: NdArray } {
  const [values, counts] = uniqueParts("uniqueCounts", x, options, { returnCounts: true });
  return { values, counts };
}

/**
 * The sorted unique values and the inverse indices that rebuild the input
 * (the array API's `unique_inverse`).
 *
 * @example
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * const r = np.uniqueInverse(np.array([3, 1, 3]));
 * deepEqual([r.values.tolist(), r.inverseIndices.tolist()], [[1, 3], [1, 0, 1]]);
 * ```
 *
 * @param x The array.
 * @param options `size`, `fillValue`.
 * @returns `{ values, inverseIndices }`.
 */
export function uniqueInverse(
  x: ArrayLike,
  options?: UniqueSizeOptions,
): { values: NdArray; inverseIndices: NdArray } {
  const [values, inverseIndices] = uniqueParts("uniqueInverse", x, options, {
    returnInverse: true,
  });
  return { values, inverseIndices };
}

/**
 * The sorted unique values (the array API's `unique_values`; NaNs distinct).
 *
 * @example
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.uniqueValues(np.array([3, 1, 3])).tolist(), [1, 3]);
 * ```
 *
 * @param x The array.
 * @param options `size`, `fillValue`.
 * @returns The unique values.
 */
export function uniqueValues(x: ArrayLike, options?: UniqueSizeOptions): NdArray {
  return uniqueParts("uniqueValues", x, options, {})[0];
}

/** Options of {@linkcode union1d}, {@linkcode intersect1d}, {@linkcode setdiff1d} and {@linkcode setxor1d}. */
export interface SetOptions extends UniqueSizeOptions {
  /** Accepted for NumPy compatibility; has no effect. */
  assumeUnique?: boolean;
}

/** The unique values of the flattened `x` padded to its length, and which slots are real. */
function uniqueSlots(x: NdArray): [NdArray, NdArray] {
  const n = x.size;
  const [u, counts] = unique(x, { size: n, returnCounts: true });
  const real = P.reshape(notEqual(counts, scalarArray(0, "int32")), [n]);
  return [P.reshape(u, [n]), real];
}

/** The first `size` of `values[keep]` (in order), the rest `fill` (default: the smallest kept value, 0 if none). */
function compact(
  name: string,
  values: NdArray,
  keep: NdArray,
  o: UniqueSizeOptions,
  defaultFill: "min" | "zero",
  traced: boolean,
): NdArray {
  let size = o.size;
  const count = sum(convert(keep, "int32"));
  if (size === undefined || size === null) {
    if (traced) {
      throw new TypeError(
        `${name} needs a static size when its inputs are traced (the number of results depends on the data): pass { size }`,
      );
    }
    size = count.item() as number;
  }
  if (values.size === 0) {
    return P.broadcastTo(scalarArray(o.fillValue ?? 0, values.dtype), [size]);
  }
  const [ind] = nonzero(keep, { size });
  const vals = P.take(values, ind, 0);
  const slot = new NdArray(Int32Array.from({ length: size }, (_, i) => i), [size], "int32");
  const valid = less(slot, count);
  let fill: NdArray;
  if (o.fillValue !== undefined && o.fillValue !== null) {
    fill = scalarArray(o.fillValue, values.dtype);
  } else if (defaultFill === "zero") fill = scalarArray(0, values.dtype);
  else {
    // JAX's default: the smallest result (the first, as results are sorted), 0 when there is none.
    const first = P.reshape(P.slice(vals, { starts: [0], limits: [1], strides: [1] }), []);
    fill = where(less(scalarArray(0, "int32"), count), first, scalarArray(0, values.dtype));
  }
  return where(valid, vals, fill);
}

function none(n: number): NdArray {
  return P.broadcastTo(scalarArray(0, "bool"), [n]);
}

function setArgs(name: string, a: ArrayLike, b: ArrayLike, options: SetOptions | undefined) {
  checkOptions(name, options, ["size", "fillValue", "assumeUnique"]);
  const o = readOptions(name, options, false);
  const [x, y] = promote([a, b]);
  const traced = x instanceof Tracer || y instanceof Tracer;
  return { o, x: P.reshape(x, [x.size]), y: P.reshape(y, [y.size]), traced };
}

/**
 * The sorted unique values in either array (JAX's `union1d`; a traced input
 * needs a static `size`, padded with `fillValue`, default the smallest value).
 *
 * @example
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.union1d([3, 1], [2, 3]).tolist(), [1, 2, 3]);
 * ```
 *
 * @param a First array (flattened).
 * @param b Second array (flattened).
 * @param options `size`, `fillValue`.
 * @returns The union.
 */
export function union1d(a: ArrayLike, b: ArrayLike, options?: SetOptions): NdArray {
  const { o, x, y } = setArgs("union1d", a, b, options);
  return unique(P.concatenate([x, y], 0), { size: o.size, fillValue: o.fillValue });
}

/**
 * The sorted unique values in both arrays (JAX's `intersect1d`, without
 * `returnIndices`; with `size`, padded with `fillValue`, by default the
 * smallest result as JAX, 0 when there is none).
 *
 * @example
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.intersect1d([5, 1, 3, 3], [3, 4, 5]).tolist(), [3, 5]);
 * ```
 *
 * @param a First array (flattened).
 * @param b Second array (flattened).
 * @param options `size`, `fillValue`.
 * @returns The intersection.
 */
export function intersect1d(a: ArrayLike, b: ArrayLike, options?: SetOptions): NdArray {
  const { o, x, y, traced } = setArgs("intersect1d", a, b, options);
  if (x.size === 0 || y.size === 0) {
    return compact("intersect1d", x, none(x.size), o, "min", traced);
  }
  const [u, real] = uniqueSlots(x);
  return compact("intersect1d", u, logicalAnd(real, isin(u, y)), o, "min", traced);
}

/**
 * The sorted unique values of `a` that are not in `b` (JAX's `setdiff1d`;
 * with `size`, padded with `fillValue`, default 0 as JAX).
 *
 * @example
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.setdiff1d([5, 1, 3, 7], [3, 5]).tolist(), [1, 7]);
 * ```
 *
 * @param a First array (flattened).
 * @param b Second array (flattened).
 * @param options `size`, `fillValue`.
 * @returns The difference.
 */
export function setdiff1d(a: ArrayLike, b: ArrayLike, options?: SetOptions): NdArray {
  const { o, x, y, traced } = setArgs("setdiff1d", a, b, options);
  if (x.size === 0) return compact("setdiff1d", x, none(0), o, "zero", traced);
  const [u, real] = uniqueSlots(x);
  const keep = y.size === 0 ? real : logicalAnd(real, isin(u, y, { invert: true }));
  return compact("setdiff1d", u, keep, o, "zero", traced);
}

/**
 * The sorted unique values in exactly one of the arrays (JAX's `setxor1d`;
 * with `size`, padded with `fillValue`, by default the smallest result).
 *
 * @example
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.setxor1d([5, 1, 3], [3, 4, 5]).tolist(), [1, 4]);
 * ```
 *
 * @param a First array (flattened).
 * @param b Second array (flattened).
 * @param options `size`, `fillValue`.
 * @returns The symmetric difference.
 */
export function setxor1d(a: ArrayLike, b: ArrayLike, options?: SetOptions): NdArray {
  const { o, x, y, traced } = setArgs("setxor1d", a, b, options);
  const parts: NdArray[] = [], keeps: NdArray[] = [];
  for (const [p, q] of [[x, y], [y, x]]) {
    if (p.size === 0) continue;
    const [u, real] = uniqueSlots(p);
    parts.push(u);
    keeps.push(q.size === 0 ? real : logicalAnd(real, isin(u, q, { invert: true })));
  }
  if (parts.length === 0) return compact("setxor1d", x, none(0), o, "min", traced);
  const c = parts.length === 1 ? parts[0] : P.concatenate(parts, 0);
  const keep = keeps.length === 1 ? keeps[0] : P.concatenate(keeps, 0);
  // Kept values first, in ascending order: sort by value, then (stably) by not-kept.
  const byValue = argsort(c);
  const order = P.take(byValue, argsort(convert(logicalNot(P.take(keep, byValue, 0)), "int32")), 0);
  const sortedKeep = P.take(keep, order, 0);
  return compact("setxor1d", P.take(c, order, 0), sortedKeep, o, "min", traced);
}
