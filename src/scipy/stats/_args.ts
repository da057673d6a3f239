/**
 * Argument handling of `scipy.stats`: operands as arrays of one float dtype
 * (JS numbers weak, as in JAX).
 *
 * @module
 */

import type { ArrayLike, NdArray } from "../../array/array.ts";
import { isInexact } from "../../array/dtype.ts";
import * as np from "../../numpy/index.ts";

export type A = NdArray;

/** Operands as arrays of float32 if the array operands are float32 (or ints), else float64. */
export function floats(...xs: ArrayLike[]): A[] {
  const arrays = xs.map((x) => np.asarray(x));
  const strong = arrays.filter((_, i) => typeof xs[i] !== "number");
  const f32 = strong.some((a) => a.dtype === "float32") &&
    strong.every((a) => a.dtype === "float32" || !isInexact(a.dtype));
  const dtype = f32 ? "float32" : "float64";
  return arrays.map((a) => (a.dtype === dtype ? a : np.astype(a, dtype)));
}
