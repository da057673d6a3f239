/**
 * `lax` operations that map directly onto one primitive.
 *
 * @module
 */

import { NdArray } from "../array/array.ts";
import { bind } from "../core/handler.ts";
import {
  addP,
  andP,
  convert,
  maxP,
  minP,
  mulP,
  notP,
  orP,
  stopGradientP,
} from "../primitives/elementwise.ts";
import { showValue } from "../array/shape.ts";
import { scalar } from "../array/create.ts";
import {
  bitcastConvertTypeP,
  clzP,
  populationCountP,
  shiftLeftP,
  shiftRightArithmeticP,
  shiftRightLogicalP,
  xorP,
} from "../primitives/bitwise.ts";
import { checkDType, type DType, isInteger } from "../array/dtype.ts";
import type { Primitive } from "../core/primitive.ts";
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

// ---------------------------------------------------------------------------
// Bitwise operations: operands of one integer dtype (bool too for and/or/xor/not), no promotion

function bitwise2(p: Primitive<undefined>, x: NdArray, y: NdArray): NdArray {
  return bind(p, [x, y], undefined);
}

/**
 * `x << y` in the dtype's width (`lax.shift_left`): 0 where `y` is negative
 * or at least the width.
 *
 * @example
 * ```ts
 * import { lax, np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * const x = np.array([1, 1, 1], "int8");
 * deepEqual(lax.shiftLeft(x, np.array([6, 7, 8], "int8")).tolist(), [64, -128, 0]);
 * ```
 *
 * @param x An integer array.
 * @param y Shift amounts, of the dtype of `x`.
 * @returns The shifted values.
 */
export function shiftLeft(x: NdArray, y: NdArray): NdArray {
  return bitwise2(shiftLeftP, x, y);
}

/**
 * Logical right shift on the dtype's bits (`lax.shift_right_logical`): zeros
 * shift in; 0 where `y` is negative or at least the width.
 *
 * @example
 * ```ts
 * import { lax, np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * const x = np.array([-128, -1], "int8");
 * deepEqual(lax.shiftRightLogical(x, np.array([1, 4], "int8")).tolist(), [64, 15]);
 * ```
 *
 * @param x An integer array.
 * @param y Shift amounts, of the dtype of `x`.
 * @returns The shifted values.
 */
export function shiftRightLogical(x: NdArray, y: NdArray): NdArray {
  return bitwise2(shiftRightLogicalP, x, y);
}

/**
 * Arithmetic right shift (`lax.shift_right_arithmetic`): copies of the sign
 * bit shift in; where `y` is negative or at least the width, every bit is the
 * sign bit.
 *
 * @example
 * ```ts
 * import { lax, np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * const x = np.array([-128, 100], "int16");
 * deepEqual(lax.shiftRightArithmetic(x, np.array([3, 20], "int16")).tolist(), [-16, 0]);
 * ```
 *
 * @param x An integer array.
 * @param y Shift amounts, of the dtype of `x`.
 * @returns The shifted values.
 */
export function shiftRightArithmetic(x: NdArray, y: NdArray): NdArray {
  return bitwise2(shiftRightArithmeticP, x, y);
}

/**
 * The number of set bits of each element (`lax.population_count`), of the
 * dtype of `x`.
 *
 * @example
 * ```ts
 * import { lax, np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(lax.populationCount(np.array([-1, 3, 0], "int8")).tolist(), [8, 2, 0]);
 * ```
 *
 * @param x An integer array.
 * @returns The bit counts.
 */
export function populationCount(x: NdArray): NdArray {
  return bind(populationCountP, [x], undefined);
}

/**
 * The number of leading zero bits of each element in its dtype's width
 * (`lax.clz`).
 *
 * @example
 * ```ts
 * import { lax, np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(lax.clz(np.array([-1, 3, 0, 1], "int8")).tolist(), [0, 6, 8, 7]);
 * ```
 *
 * @param x An integer array.
 * @returns The counts, of the dtype of `x`.
 */
export function clz(x: NdArray): NdArray {
  return bind(clzP, [x], undefined);
}

/**
 * Bitwise and of two arrays of one integer or bool dtype (`lax.bitwise_and`).
 *
 * @example
 * ```ts
 * import { lax, np } from "@nabla/ad";
 * import { equal } from "node:assert/strict";
 *
 * equal(lax.bitwiseAnd(np.array(12, "uint32"), np.array(10, "uint32")).item(), 8);
 * ```
 *
 * @param x An integer or bool array.
 * @param y Another, of the same dtype.
 * @returns `x & y`.
 */
export function bitwiseAnd(x: NdArray, y: NdArray): NdArray {
  return bitwise2(andP, x, y);
}

/**
 * Bitwise or of two arrays of one integer or bool dtype (`lax.bitwise_or`).
 *
 * @example
 * ```ts
 * import { lax, np } from "@nabla/ad";
 * import { equal } from "node:assert/strict";
 *
 * equal(lax.bitwiseOr(np.array(12, "uint32"), np.array(10, "uint32")).item(), 14);
 * ```
 *
 * @param x An integer or bool array.
 * @param y Another, of the same dtype.
 * @returns `x | y`.
 */
export function bitwiseOr(x: NdArray, y: NdArray): NdArray {
  return bitwise2(orP, x, y);
}

/**
 * Bitwise exclusive or of two arrays of one integer or bool dtype
 * (`lax.bitwise_xor`).
 *
 * @example
 * ```ts
 * import { lax, np } from "@nabla/ad";
 * import { equal } from "node:assert/strict";
 *
 * equal(lax.bitwiseXor(np.array(12, "uint32"), np.array(10, "uint32")).item(), 6);
 * ```
 *
 * @param x An integer or bool array.
 * @param y Another, of the same dtype.
 * @returns `x ^ y`.
 */
export function bitwiseXor(x: NdArray, y: NdArray): NdArray {
  return bitwise2(xorP, x, y);
}

/**
 * Bitwise not of an integer array, logical not of a bool one
 * (`lax.bitwise_not`).
 *
 * @example
 * ```ts
 * import { lax, np } from "@nabla/ad";
 * import { equal } from "node:assert/strict";
 *
 * equal(lax.bitwiseNot(np.array(0, "uint32")).item(), 4294967295);
 * ```
 *
 * @param x An integer or bool array.
 * @returns `~x`.
 */
export function bitwiseNot(x: NdArray): NdArray {
  if (!isInteger(x.dtype) && x.dtype !== "bool") {
    throw new TypeError(`bitwiseNot needs an integer or bool operand: got dtype ${x.dtype}`);
  }
  return bind(notP, [x], undefined);
}

// ---------------------------------------------------------------------------
// Dtype conversions

/**
 * Converts to `dtype` (`lax.convert_element_type`): floats to integers
 * truncate and saturate (NaN gives 0), integers wrap, floats round to nearest
 * even; linear (differentiable) between float dtypes. A JS number converts as
 * a `float64`, a boolean as a `bool`.
 *
 * @example Saturating and wrapping
 * ```ts
 * import { lax, np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(lax.convertElementType(np.array([300.7, -5]), "uint8").tolist(), [255, 0]);
 * deepEqual(lax.convertElementType(np.array([300, -5], "int32"), "uint8").tolist(), [44, 251]);
 * ```
 *
 * @param x An array, a JS number or a boolean.
 * @param dtype The target dtype.
 * @returns The converted values.
 */
export function convertElementType(x: NdArray | number | boolean, dtype: DType): NdArray {
  const a = x instanceof NdArray
    ? x
    : typeof x === "boolean"
    ? scalar(x ? 1 : 0, "bool")
    : scalar(x, "float64");
  return convert(a, checkDType(dtype));
}

/**
 * Reinterprets the bits of each element as another dtype of the same width
 * (`lax.bitcast_convert_type`): `float32` ↔ `int32`/`uint32`,
 * `float16`/`bfloat16` ↔ `int16`/`uint16`, `int8` ↔ `uint8`.
 *
 * @example The bits of 1.0
 * ```ts
 * import { lax, np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(lax.bitcastConvertType(np.array([1, -2], "float32"), "uint32").tolist(), [
 *   0x3f800000,
 *   0xc0000000,
 * ]);
 * deepEqual(lax.bitcastConvertType(np.array([1], "float16"), "uint16").tolist(), [0x3c00]);
 * deepEqual(lax.bitcastConvertType(np.array([0x3f80], "uint16"), "bfloat16").tolist(), [1]);
 * ```
 *
 * @param x An array of a non-bool real dtype.
 * @param dtype A dtype of the same width.
 * @returns The same bits, read as `dtype`.
 */
export function bitcastConvertType(x: NdArray, dtype: DType): NdArray {
  return bind(bitcastConvertTypeP, [x], { dtype: checkDType(dtype) });
}

/** Both operands as arrays of one dtype: a JS number takes the other operand's dtype (weak typing). */
function operands(fn: string, x: NdArray | number, y: NdArray | number): [NdArray, NdArray] {
  const a = x instanceof NdArray ? x : null, b = y instanceof NdArray ? y : null;
  for (const v of [x, y]) {
    if (!(v instanceof NdArray) && typeof v !== "number") {
      throw new TypeError(`lax.${fn}: operands must be arrays or numbers: got ${showValue(v)}`);
    }
  }
  const dtype = a?.dtype ?? b?.dtype ?? "float64";
  const xa = a ?? scalar(x as number, dtype), ya = b ?? scalar(y as number, dtype);
  if (xa.dtype !== ya.dtype) {
    throw new TypeError(
      `lax.${fn} requires arguments to have the same dtypes: got ${xa.dtype} and ${ya.dtype}`,
    );
  }
  return [xa, ya];
}

/**
 * `x + y` elementwise, operands of one dtype (`lax.add`; also the sum
 * computation of `lax.reduceWindow`).
 *
 * @example
 * ```ts
 * import { lax, np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(lax.add(np.array([1, 2]), 1).tolist(), [2, 3]);
 * ```
 *
 * @param x An array or number.
 * @param y An array or number of the same dtype.
 * @returns The sum.
 */
export function add(x: NdArray | number, y: NdArray | number): NdArray {
  return bind(addP, operands("add", x, y), undefined);
}

/**
 * `x · y` elementwise, operands of one dtype (`lax.mul`).
 *
 * @example
 * ```ts
 * import { lax, np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(lax.mul(np.array([1, 2]), 3).tolist(), [3, 6]);
 * ```
 *
 * @param x An array or number.
 * @param y An array or number of the same dtype.
 * @returns The product.
 */
export function mul(x: NdArray | number, y: NdArray | number): NdArray {
  return bind(mulP, operands("mul", x, y), undefined);
}

/**
 * The elementwise maximum, operands of one dtype (`lax.max`; also max
 * pooling's computation in `lax.reduceWindow`).
 *
 * @example
 * ```ts
 * import { lax, np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(lax.max(np.array([1, 5]), np.array([3, 2])).tolist(), [3, 5]);
 * ```
 *
 * @param x An array or number.
 * @param y An array or number of the same dtype.
 * @returns The larger of each pair.
 */
export function max(x: NdArray | number, y: NdArray | number): NdArray {
  return bind(maxP, operands("max", x, y), undefined);
}

/**
 * The elementwise minimum, operands of one dtype (`lax.min`).
 *
 * @example
 * ```ts
 * import { lax, np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(lax.min(np.array([1, 5]), np.array([3, 2])).tolist(), [1, 2]);
 * ```
 *
 * @param x An array or number.
 * @param y An array or number of the same dtype.
 * @returns The smaller of each pair.
 */
export function min(x: NdArray | number, y: NdArray | number): NdArray {
  return bind(minP, operands("min", x, y), undefined);
}
