/**
 * `lax` operations that map directly onto one primitive.
 *
 * @module
 */

import { NdArray } from "../array/array.ts";
import { bind } from "../core/handler.ts";
import { stopGradientP } from "../primitives/elementwise.ts";
import { complexP, conjP, imagP, realP } from "../primitives/fft.ts";
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

/**
 * The complex array `re + i·im` from two float arrays of one dtype and shape
 * (`lax.complex`; `np.complex` also broadcasts and promotes).
 *
 * @example Parts to complex
 * ```ts
 * import { lax, np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(lax.complex(np.array([1, 2]), np.array([0, -1])).tolist(), [
 *   { re: 1, im: 0 },
 *   { re: 2, im: -1 },
 * ]);
 * ```
 *
 * @param re The real parts.
 * @param im The imaginary parts.
 * @returns A `complex64` (float32 parts) or `complex128` (float64 parts) array.
 */
export function complex(re: NdArray, im: NdArray): NdArray {
  return bind(complexP, [re, im], undefined);
}

/**
 * The real part of a complex array (`lax.real`).
 *
 * @example
 * ```ts
 * import { lax } from "@nabla/ad";
 * import { equal } from "node:assert/strict";
 * import { np } from "@nabla/ad";
 *
 * equal(lax.real(np.complex(3, 4)).item(), 3);
 * ```
 *
 * @param x A complex array.
 * @returns Its real part.
 */
export function real(x: NdArray): NdArray {
  return bind(realP, [x], undefined);
}

/**
 * The imaginary part of a complex array (`lax.imag`).
 *
 * @example
 * ```ts
 * import { lax, np } from "@nabla/ad";
 * import { equal } from "node:assert/strict";
 *
 * equal(lax.imag(np.complex(3, 4)).item(), 4);
 * ```
 *
 * @param x A complex array.
 * @returns Its imaginary part.
 */
export function imag(x: NdArray): NdArray {
  return bind(imagP, [x], undefined);
}

/**
 * The complex conjugate of a complex array (`lax.conj`).
 *
 * @example
 * ```ts
 * import { lax, np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(lax.conj(np.complex(3, 4)).item(), { re: 3, im: -4 });
 * ```
 *
 * @param x A complex array.
 * @returns `re − i·im`.
 */
export function conj(x: NdArray): NdArray {
  return bind(conjP, [x], undefined);
}
