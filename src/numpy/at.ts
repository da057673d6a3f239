/**
 * Functional index updates — JAX's `x.at[idx].set(v)`, written
 * `x.at(...index).set(v)` (or `np.at(x, ...index).set(v)`). Arrays are
 * immutable: each update returns a new array. Indices are those of
 * `x.get(...)`: integers, slice strings, `"..."`, `null`, integer arrays and
 * boolean masks.
 *
 * Updates are composed from primitives (a gather of the selected flat
 * positions, `scatter_add`, `select`), so they are differentiable with
 * respect to both the array and the values, and batch under `vmap`.
 *
 * @module
 */

import type { ArrayLike, Index, IndexUpdate, NdArray } from "../array/array.ts";

import { add, convert, gt, mul, select } from "../primitives/elementwise.ts";
import { broadcastTo, reshape, scatterAdd } from "../primitives/structural.ts";
import { filled } from "../array/create.ts";
import { asArray } from "./_convert.ts";
import { arange } from "./creation.ts";
import { maximum, minimum } from "./math.ts";
import { get } from "./shape.ts";

/**
 * Selects elements of `x` for a functional update (JAX's `x.at[index]`).
 * With repeated positions `add` accumulates; for `set`, `multiply`, `min`
 * and `max` repeated positions are not supported (JAX leaves their order
 * unspecified): use distinct indices.
 *
 * @example Set, add and differentiate
 * ```ts
 * import { type Array, grad, np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * const x = np.zeros([2, 3]);
 * deepEqual(x.at(0, "1:").set(7).tolist(), [[0, 7, 7], [0, 0, 0]]);
 * deepEqual(np.at(np.zeros([3]), [0, 0, 2]).add(1).tolist(), [2, 0, 1]);
 * // d/dv sum(x.at[1].set(v)²) = 2v
 * deepEqual(grad((v: Array) => np.sum(np.square(x.at(1).set(v))))(np.array([1, 2, 3])).tolist(), [2, 4, 6]);
 * ```
 *
 * @param x The array to update.
 * @param index The selection, as for `x.get(...)`.
 * @returns The update operations on that selection.
 */
export function at(x: ArrayLike, ...index: Index[]): IndexUpdate {
  const a = asArray(x);
  // The flat positions of the selected elements, in the selection's shape.
  const positions = get(reshape(arange(a.size, { dtype: "int32" }), a.shape), ...index);
  const size = a.size;
  const work = a.dtype === "bool" ? "int32" : a.dtype;
  const flat = reshape(convert(a, work), [size]);
  const finish = (y: NdArray) => convert(reshape(y, a.shape), a.dtype);
  const scatter = (v: NdArray) =>
    scatterAdd(reshape(v, [positions.size]), reshape(positions, [positions.size]), 0, [size]);
  const valuesOf = (values: ArrayLike) =>
    broadcastTo(convert(asArray(values), work), positions.shape);
  const selected = () => gt(scatter(filled(positions.shape, 1, work)), filled([], 0, work));
  /** `op(old, new)` at the selected positions, `old` elsewhere. */
  const combine = (values: ArrayLike, op: (old: NdArray, v: NdArray) => NdArray) =>
    finish(select(selected(), op(flat, scatter(valuesOf(values))), flat));
  return {
    get: () => get(a, ...index),
    set: (values) => combine(values, (_old, v) => v),
    add: (values) => finish(add(flat, scatter(valuesOf(values)))),
    multiply: (values) => combine(values, (old, v) => mul(old, v)),
    min: (values) => combine(values, (old, v) => minimum(old, v)),
    max: (values) => combine(values, (old, v) => maximum(old, v)),
  };
}
