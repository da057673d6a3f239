/**
 * Bit-wise operations (NumPy's chapter of that name) on integer and bool
 * arrays, with JAX's promotion and semantics: integers wrap in their width,
 * shifts by the width or more (or by a negative amount) give 0, or the sign
 * for an arithmetic right shift.
 *
 * @module
 */

import type { ArrayLike, NdArray } from "../array/array.ts";
import { type DType, isInteger, isUnsigned } from "../array/dtype.ts";
import { bind } from "../core/handler.ts";
import type { Primitive } from "../core/primitive.ts";
import { abs, andP, convert, notP, orP } from "../primitives/elementwise.ts";
import {
  populationCountP,
  shiftLeftP,
  shiftRightArithmeticP,
  shiftRightLogicalP,
  xorP,
} from "../primitives/bitwise.ts";
import { asArray, promote } from "./_args.ts";

function checkIntegral(name: string, dtype: DType, allowBool: boolean): void {
  if (!isInteger(dtype) && !(allowBool && dtype === "bool")) {
    throw new TypeError(
      `${name} needs integer${allowBool ? " or bool" : ""} operands: got dtype ${dtype}`,
    );
  }
}

/** Both operands promoted; integer or bool (bool widened to int32 unless `allowBool`). */
function intArgs(name: string, x: ArrayLike, y: ArrayLike, allowBool: boolean): NdArray[] {
  let [a, b] = promote([x, y]);
  if (!allowBool && a.dtype === "bool") [a, b] = [convert(a, "int32"), convert(b, "int32")];
  checkIntegral(name, a.dtype, allowBool);
  return [a, b];
}

function bin(p: Primitive<undefined>, a: NdArray, b: NdArray): NdArray {
  return bind(p, [a, b], undefined);
}

/**
 * Elementwise bitwise and (logical on bool), broadcasting and promoting.
 *
 * @example Masking bits
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * const x = np.array([12, 10], "uint8");
 * deepEqual(np.bitwiseAnd(x, 6).tolist(), [4, 2]);
 * ```
 *
 * @param x An integer or bool array-like.
 * @param y Another.
 * @returns `x & y`, of the promoted dtype.
 */
export function bitwiseAnd(x: ArrayLike, y: ArrayLike): NdArray {
  const [a, b] = intArgs("bitwiseAnd", x, y, true);
  return bin(andP, a, b);
}

/**
 * Elementwise bitwise or (logical on bool).
 *
 * @example Setting bits
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.bitwiseOr(np.array([12, 10], "int8"), 1).tolist(), [13, 11]);
 * ```
 *
 * @param x An integer or bool array-like.
 * @param y Another.
 * @returns `x | y`, of the promoted dtype.
 */
export function bitwiseOr(x: ArrayLike, y: ArrayLike): NdArray {
  const [a, b] = intArgs("bitwiseOr", x, y, true);
  return bin(orP, a, b);
}

/**
 * Elementwise bitwise exclusive or (logical on bool).
 *
 * @example Flipping bits
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.bitwiseXor(np.array([12, 10], "int32"), 6).tolist(), [10, 12]);
 * ```
 *
 * @param x An integer or bool array-like.
 * @param y Another.
 * @returns `x ^ y`, of the promoted dtype.
 */
export function bitwiseXor(x: ArrayLike, y: ArrayLike): NdArray {
  const [a, b] = intArgs("bitwiseXor", x, y, true);
  return bin(xorP, a, b);
}

/**
 * Elementwise bitwise not `~x` (logical not on bool); NumPy's `invert`.
 *
 * @example Complements
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.invert(np.array([0, 3], "uint8")).tolist(), [255, 252]);
 * deepEqual(np.invert(np.array([0, 3], "int8")).tolist(), [-1, -4]);
 * deepEqual(np.invert([true, false]).tolist(), [false, true]);
 * ```
 *
 * @param x An integer or bool array-like.
 * @returns `~x`, of the dtype of `x`.
 */
export function invert(x: ArrayLike): NdArray {
  const a = asArray(x);
  checkIntegral("invert", a.dtype, true);
  return bind(notP, [a], undefined);
}

/**
 * Alias of {@linkcode invert} (NumPy's `bitwise_not`).
 *
 * @example
 * ```ts
 * import { np } from "@nabla/ad";
 * import { equal } from "node:assert/strict";
 *
 * equal(np.bitwiseNot(np.array(5, "int16")).item(), -6);
 * ```
 *
 * @param x An integer or bool array-like.
 * @returns `~x`.
 */
export function bitwiseNot(x: ArrayLike): NdArray {
  return invert(x);
}

/**
 * Alias of {@linkcode invert} (NumPy 2's `bitwise_invert`).
 *
 * @example
 * ```ts
 * import { np } from "@nabla/ad";
 * import { equal } from "node:assert/strict";
 *
 * equal(np.bitwiseInvert(np.array(5, "uint16")).item(), 65530);
 * ```
 *
 * @param x An integer or bool array-like.
 * @returns `~x`.
 */
export function bitwiseInvert(x: ArrayLike): NdArray {
  return invert(x);
}

/**
 * `x << y` elementwise, in the width of the promoted dtype: bits shifted out
 * are lost, and a shift by the width or more (or a negative one) gives 0.
 * Bool operands count as `int32`.
 *
 * @example Shifting into the top bit
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * const x = np.array([1, 3], "uint8");
 * deepEqual(np.leftShift(x, 7).tolist(), [128, 128]);
 * deepEqual(np.leftShift(x, 8).tolist(), [0, 0]);
 * ```
 *
 * @param x An integer array-like.
 * @param y Shift amounts.
 * @returns `x << y`, of the promoted dtype.
 */
export function leftShift(x: ArrayLike, y: ArrayLike): NdArray {
  const [a, b] = intArgs("leftShift", x, y, false);
  return bin(shiftLeftP, a, b);
}

/**
 * `x >> y` elementwise: arithmetic (sign-filling) for signed dtypes, logical
 * for unsigned ones, as JAX; a shift by the width or more gives the sign
 * (`-1` or `0`) for signed and `0` for unsigned dtypes.
 *
 * @example Signed and unsigned
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.rightShift(np.array([-128, 64], "int8"), 3).tolist(), [-16, 8]);
 * deepEqual(np.rightShift(np.array([128, 64], "uint8"), 3).tolist(), [16, 8]);
 * ```
 *
 * @param x An integer array-like.
 * @param y Shift amounts.
 * @returns `x >> y`, of the promoted dtype.
 */
export function rightShift(x: ArrayLike, y: ArrayLike): NdArray {
  const [a, b] = intArgs("rightShift", x, y, false);
  return bin(isUnsigned(a.dtype) ? shiftRightLogicalP : shiftRightArithmeticP, a, b);
}

/**
 * Alias of {@linkcode leftShift} (NumPy 2's `bitwise_left_shift`).
 *
 * @example
 * ```ts
 * import { np } from "@nabla/ad";
 * import { equal } from "node:assert/strict";
 *
 * equal(np.bitwiseLeftShift(np.array(1, "int32"), 4).item(), 16);
 * ```
 *
 * @param x An integer array-like.
 * @param y Shift amounts.
 * @returns `x << y`.
 */
export function bitwiseLeftShift(x: ArrayLike, y: ArrayLike): NdArray {
  return leftShift(x, y);
}

/**
 * Alias of {@linkcode rightShift} (NumPy 2's `bitwise_right_shift`).
 *
 * @example
 * ```ts
 * import { np } from "@nabla/ad";
 * import { equal } from "node:assert/strict";
 *
 * equal(np.bitwiseRightShift(np.array(-16, "int32"), 2).item(), -4);
 * ```
 *
 * @param x An integer array-like.
 * @param y Shift amounts.
 * @returns `x >> y`.
 */
export function bitwiseRightShift(x: ArrayLike, y: ArrayLike): NdArray {
  return rightShift(x, y);
}

/**
 * The number of set bits in the absolute value of each element, as `uint8`
 * (NumPy 2's and JAX's `bitwise_count`).
 *
 * @example Counting bits
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * const n = np.bitwiseCount(np.array([7, -1, 0], "int8"));
 * deepEqual([n.dtype, n.tolist()], ["uint8", [3, 1, 0]]);
 * ```
 *
 * @param x An integer or bool array-like.
 * @returns The bit counts, `uint8`.
 */
export function bitwiseCount(x: ArrayLike): NdArray {
  let a = asArray(x);
  checkIntegral("bitwiseCount", a.dtype, true);
  if (a.dtype === "bool") return convert(a, "uint8");
  if (!isUnsigned(a.dtype)) a = abs(a);
  return convert(bind(populationCountP, [a], undefined), "uint8");
}
