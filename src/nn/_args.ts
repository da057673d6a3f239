/**
 * Argument handling shared by the `nn` modules.
 *
 * @module
 */

import type { ArrayLike, NdArray } from "../array/array.ts";
import { isInexact } from "../array/dtype.ts";
import * as np from "../numpy/index.ts";

export type A = NdArray;

/** `x` as a floating array (integers and booleans become float64). */
export function floating(x: ArrayLike): A {
  const a = np.asarray(x);
  return isInexact(a.dtype) ? a : np.astype(a, "float64");
}
