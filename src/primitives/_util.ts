/**
 * Small helpers the rules share: scalar constants, undoing broadcasting in
 * transpose rules, and moving batch axes in batching rules.
 *
 * @module
 */

import { NdArray } from "../array/array.ts";
import { allocate, type DType } from "../array/dtype.ts";
import { type Shape, shapesEqual, sizeOf } from "../array/shape.ts";
import { type BatchDim, Zero } from "../core/primitive.ts";
import { broadcastTo, reshape, transpose } from "./structural.ts";
import { reduceSum } from "./reductions.ts";

/** A concrete 0-d array holding `value`. */
export function scalar(value: number, dtype: DType): NdArray {
  const data = allocate(dtype, 1);
  data[0] = value;
  return new NdArray(data, [], dtype);
}

/** A concrete array of `shape` filled with `value`. */
export function filled(shape: Shape, value: number, dtype: DType): NdArray {
  const data = allocate(dtype, sizeOf(shape));
  if (value !== 0) data.fill(value);
  return new NdArray(data, shape, dtype);
}

/** Materialises a tangent: a symbolic zero becomes a zero-filled array. */
export function instantiate(t: NdArray | Zero): NdArray {
  return t instanceof Zero ? filled(t.shape, 0, t.dtype) : t;
}

/**
 * Sums a cotangent of a broadcast result back to the operand's `shape`
 * (the transpose of NumPy broadcasting).
 */
export function unbroadcast(ct: NdArray, shape: Shape): NdArray {
  if (shapesEqual(ct.shape, shape)) return ct;
  const lead = ct.ndim - shape.length;
  const axes: number[] = [];
  for (let i = 0; i < ct.ndim; i++) {
    if (i < lead || (shape[i - lead] === 1 && ct.shape[i] !== 1)) axes.push(i);
  }
  const summed = axes.length > 0 ? reduceSum(ct, axes) : ct;
  return shapesEqual(summed.shape, shape) ? summed : reshape(summed, shape);
}

/** Broadcasts `t` to `shape` when it is smaller (a tangent of a broadcasting operand). */
export function broadcastTangent(t: NdArray, shape: Shape): NdArray {
  return shapesEqual(t.shape, shape) ? t : broadcastTo(t, shape);
}

/** Moves axis `from` of `x` to position `to`. */
export function moveAxis(x: NdArray, from: number, to: number): NdArray {
  if (from === to) return x;
  const perm: number[] = [];
  for (let i = 0; i < x.ndim; i++) if (i !== from) perm.push(i);
  perm.splice(to, 0, from);
  return transpose(x, perm);
}

/** Moves a batched value's batch axis to the front (or broadcasts an unbatched one to size `n`). */
export function batchToFront(x: NdArray, dim: BatchDim, n: number): NdArray {
  if (dim === null) return broadcastTo(x, [n, ...x.shape]);
  return moveAxis(x, dim, 0);
}
