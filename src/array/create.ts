/**
 * Constructors of concrete arrays from JS values: a scalar, and an array
 * filled with one value. They run no primitive (no transformation sees them).
 *
 * @module
 */

import { NdArray } from "./array.ts";
import { allocate, type DType, isNarrowFloat, roundToDType } from "./dtype.ts";
import { type Shape, sizeOf } from "./shape.ts";

/** A concrete 0-d array holding `value`. */
export function scalar(value: number, dtype: DType): NdArray {
  const data = allocate(dtype, 1);
  data[0] = isNarrowFloat(dtype) ? roundToDType(value, dtype) : value;
  return new NdArray(data, [], dtype);
}

/** A concrete array of `shape` filled with `value`. */
export function filled(shape: Shape, value: number, dtype: DType): NdArray {
  const data = allocate(dtype, sizeOf(shape));
  if (value !== 0) data.fill(isNarrowFloat(dtype) ? roundToDType(value, dtype) : value);
  return new NdArray(data, shape, dtype);
}
