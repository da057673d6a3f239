/**
 * `lax` operations that map directly onto one primitive.
 *
 * @module
 */

import { NdArray } from "../array/array.ts";
import { bind } from "../core/handler.ts";
import { stopGradientP } from "../primitives/elementwise.ts";
import { map as treeMap } from "../tree.ts";

/**
 * The identity on values whose derivative is zero: differentiation treats
 * the result as a constant. Works on trees; JS numbers pass through.
 *
 * @example Blocking a gradient
 * ```ts
 * import { grad, np, stopGradient } from "@nabla/ad";
 * import { equal } from "node:assert/strict";
 *
 * // d/dx [x · stop(x)] = stop(x) = 3
 * equal(grad((x) => np.multiply(x, stopGradient(x)))(3).item(), 3);
 * ```
 *
 * @param x An array or a tree of arrays.
 * @returns The same values, with zero derivative.
 */
export function stopGradient<T>(x: T): T {
  return treeMap(
    (leaf: unknown) => (leaf instanceof NdArray ? bind(stopGradientP, [leaf], undefined) : leaf),
    x,
  );
}
