/**
 * Elementwise math, comparisons and logic with NumPy broadcasting and JAX
 * type promotion (arrays are strongly typed, JS numbers and booleans weakly:
 * `float32Array * 2` stays `float32`, `int32Array * 2.5` is `float64`).
 *
 * Every function here is composed from primitives, so `grad`, `jvp` and `vmap`
 * see each operation. Float-only functions (`sqrt`, `exp`, `sin`, ...) convert
 * `int32` and `bool` input to `float64` first.
 *
 * @module
 */

import * as P from "../primitives/structural.ts";
import type { ArrayLike, NdArray } from "../array/array.ts";
import {
  checkDType,
  type DType,
  inexactDTypeOf,
  isComplex,
  isFloat,
  isInexact,
  isInteger,
} from "../array/dtype.ts";
import {
  complexAbs,
  complexDivide,
  complexExp,
  complexLog,
  complexMultiply,
  complexSqrt,
} from "./complex.ts";
import { bind } from "../core/handler.ts";
import type { Primitive } from "../core/primitive.ts";
import {
  abs as absPrim,
  acoshP,
  acosP,
  add as addPrim,
  andP,
  asinhP,
  asinP,
  atan2P,
  atanhP,
  atanP,
  ceilP,
  convert,
  coshP,
  cosP,
  div,
  eqP,
  expm1P,
  expP,
  floorDivideP,
  floorP,
  geP,
  gtP,
  integerPow,
  isfiniteP,
  isinfP,
  isnanP,
  leP,
  log1pP,
  logP,
  ltP,
  maxP,
  minP,
  mul,
  neg,
  neP,
  notP,
  orP,
  pow as powPrim,
  remP,
  roundP,
  select,
  sign as signPrim,
  sinhP,
  sinP,
  sqrtP,
  stopGradientP,
  sub,
  tanhP,
  tanP,
} from "../primitives/elementwise.ts";
import { reduceSum } from "../primitives/reductions.ts";
import { asArray, promote, readOptions, scalarArray } from "./_args.ts";
import { customJvp } from "../transforms/custom.ts";
import { broadcastShapes, normalizeAxis, showShape } from "../array/shape.ts";
import { all, cumsum, sum } from "./reductions.ts";
import { concatenate } from "./manipulation.ts";
import { checkInt } from "./_args.ts";
import { floatOf } from "./_args.ts";
import { sliceAxis } from "./_args.ts";
import { checkOptions } from "../core/options.ts";
// ---------------------------------------------------------------------------
// Helpers

function un(p: Primitive<undefined>, x: NdArray): NdArray {
  return bind(p, [x], undefined);
}

function bin(p: Primitive<undefined>, x: NdArray, y: NdArray): NdArray {
  return bind(p, [x, y], undefined);
}

/**
 * `x` as an array, converted to a float unless it already is one (`int32` and
 * `bool` to `float64`, smaller integers and `uint32` to `float32`, as JAX).
 */
function floatArg(x: ArrayLike): NdArray {
  const a = asArray(x);
  return isInexact(a.dtype) ? a : convert(a, inexactDTypeOf(a.dtype));
}

/** Both operands promoted to their common dtype, then to a float unless float (as `floatArg`). */
function floatArgs(x: ArrayLike, y: ArrayLike): [NdArray, NdArray] {
  const [a, b] = promote([x, y]);
  if (isInexact(a.dtype)) return [a, b];
  const f = inexactDTypeOf(a.dtype);
  return [convert(a, f), convert(b, f)];
}

/** Both operands promoted, with `bool` widened to `int32` (for arithmetic bool has no loop for). */
function numericArgs(x: ArrayLike, y: ArrayLike): [NdArray, NdArray] {
  const [a, b] = promote([x, y]);
  if (a.dtype !== "bool") return [a, b];
  return [convert(a, "int32"), convert(b, "int32")];
}

const c = (v: number, dtype: DType): NdArray => scalarArray(v, dtype);

function floatUnary(p: Primitive<undefined>, x: ArrayLike): NdArray {
  return un(p, floatArg(x));
}

// ---------------------------------------------------------------------------
// Unary arithmetic

/**
 * Elementwise negation `-x` (`int32` wraps; `bool` is rejected as in NumPy).
 *
 * @example Negating
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.negative([1, -2]).tolist(), [-1, 2]);
 * ```
 *
 * @param x The input.
 * @returns `-x`, with the dtype of `x`.
 */
export function negative(x: ArrayLike): NdArray {
  const a = asArray(x);
  if (a.dtype === "bool") {
    throw new TypeError("Cannot negate a bool array: use logicalNot instead");
  }
  return neg(a);
}

/**
 * Elementwise absolute value (keeps the dtype; `bool` is returned as is).
 *
 * @example Absolute values
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.abs([-1.5, 2]).tolist(), [1.5, 2]);
 * ```
 *
 * @param x The input.
 * @returns `|x|`.
 */
export function abs(x: ArrayLike): NdArray {
  const a = asArray(x);
  if (isComplex(a.dtype)) return complexAbs(a);
  return a.dtype === "bool" ? a : absPrim(a);
}

/**
 * Elementwise sign: -1, 0 or 1 (NaN for NaN), with the dtype of `x`. `bool`
 * input is rejected, as in NumPy and JAX.
 *
 * @example Signs
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.sign([-3, 0, 2]).tolist(), [-1, 0, 1]);
 * ```
 *
 * @param x The input.
 * @returns `sign(x)`.
 */
export function sign(x: ArrayLike): NdArray {
  const a = asArray(x);
  if (a.dtype === "bool") {
    throw new TypeError("Cannot take the sign of a bool array: convert it with astype first");
  }
  return signPrim(a);
}

/**
 * Elementwise square root (int and bool input become `float64`).
 *
 * @example Square roots
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.sqrt([4, 9]).tolist(), [2, 3]);
 * ```
 *
 * @param x The input.
 * @returns `√x` (NaN for negative `x`).
 */
export function sqrt(x: ArrayLike): NdArray {
  const a = asArray(x);
  if (isComplex(a.dtype)) return complexSqrt(a);
  return floatUnary(sqrtP, a);
}

/**
 * Elementwise square `x * x` (keeps the dtype; `bool` gives `int32`, as in JAX).
 *
 * @example Squares
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.square([-3, 2]).tolist(), [9, 4]);
 * ```
 *
 * @param x The input.
 * @returns `x²`.
 */
export function square(x: ArrayLike): NdArray {
  const a = asArray(x);
  const b = a.dtype === "bool" ? convert(a, "int32") : a;
  return multiply(b, b);
}

/**
 * Elementwise reciprocal `1 / x`. As in NumPy and JAX, integer input stays
 * integer (truncating division: `reciprocal(2)` is 0); use
 * `divide(1, x)` for true division.
 *
 * @example Reciprocals
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.reciprocal([2, 0.5]).tolist(), [0.5, 2]);
 * ```
 *
 * @param x The input.
 * @returns `1 / x`.
 */
export function reciprocal(x: ArrayLike): NdArray {
  // as JAX: integers and booleans give float64
  const b = floatArg(x);
  return div(c(1, b.dtype), b);
}

/**
 * Elementwise exponential `eˣ`.
 *
 * @example Exponentials
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.exp([0, 1]).tolist(), [1, Math.E]);
 * ```
 *
 * @param x The input.
 * @returns `exp(x)`.
 */
export function exp(x: ArrayLike): NdArray {
  const a = asArray(x);
  if (isComplex(a.dtype)) return complexExp(a);
  return floatUnary(expP, a);
}

/**
 * Elementwise `eˣ - 1`, accurate near zero.
 *
 * @example Small arguments
 * ```ts
 * import { np } from "@nabla/ad";
 * import { equal } from "node:assert/strict";
 *
 * equal(np.expm1(1e-20).item(), 1e-20);
 * ```
 *
 * @param x The input.
 * @returns `exp(x) - 1`.
 */
export function expm1(x: ArrayLike): NdArray {
  return floatUnary(expm1P, x);
}

/**
 * Elementwise natural logarithm.
 *
 * @example Logarithms
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.log([1, Math.E]).tolist(), [0, 1]);
 * ```
 *
 * @param x The input.
 * @returns `ln x` (`-Infinity` at 0, NaN below).
 */
export function log(x: ArrayLike): NdArray {
  const a = asArray(x);
  if (isComplex(a.dtype)) return complexLog(a);
  return floatUnary(logP, a);
}

/**
 * Elementwise `ln(1 + x)`, accurate near zero.
 *
 * @example Small arguments
 * ```ts
 * import { np } from "@nabla/ad";
 * import { equal } from "node:assert/strict";
 *
 * equal(np.log1p(1e-20).item(), 1e-20);
 * ```
 *
 * @param x The input.
 * @returns `log(1 + x)`.
 */
export function log1p(x: ArrayLike): NdArray {
  return floatUnary(log1pP, x);
}

/**
 * `log(x) / ln(base)` computed in float64, snapped to the exact integer at
 * powers of the base (as C's `log2`/`log10` are). The snapped value is
 * `y + stopGradient(round(y) - y)`, so the derivative stays that of `y`.
 */
function logBase(x: ArrayLike, base: 2 | 10): NdArray {
  const a = floatArg(x);
  const x64 = convert(a, "float64");
  const y = div(un(logP, x64), c(base === 2 ? Math.LN2 : Math.LN10, "float64"));
  const r = un(roundP, y);
  // Powers of two are exact doubles and Math.pow(2, r) is exact: test x === 2^r.
  // Math.pow(10, r) is not correctly rounded on every engine (V8 gives
  // 10 ** 23 !== 1e23), so for base 10 snap when y is within a few ulps of r.
  const atPower = base === 2
    ? bin(eqP, powPrim(c(2, "float64"), r), x64)
    : bin(leP, absPrim(sub(y, r)), mul(absPrim(r), c(4 * Number.EPSILON, "float64")));
  const exact = bin(andP, atPower, un(isfiniteP, y));
  const snapped = addPrim(y, un(stopGradientP, sub(r, y)));
  return convert(select(exact, snapped, y), a.dtype);
}

/**
 * Elementwise base-2 logarithm; exact at powers of two (`log2(8)` is 3), and
 * elsewhere within one ulp of NumPy's.
 *
 * @example Powers of two
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.log2([8, 0.5, 1024]).tolist(), [3, -1, 10]);
 * ```
 *
 * @param x The input.
 * @returns `log₂ x`.
 */
export function log2(x: ArrayLike): NdArray {
  return logBase(x, 2);
}

/**
 * Elementwise base-10 logarithm; exact at powers of ten (`log10(1000)` is 3),
 * and elsewhere within one ulp of NumPy's.
 *
 * @example Powers of ten
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.log10([1000, 0.01]).tolist(), [3, -2]);
 * ```
 *
 * @param x The input.
 * @returns `log₁₀ x`.
 */
export function log10(x: ArrayLike): NdArray {
  return logBase(x, 10);
}

/**
 * Elementwise sine (radians).
 *
 * @example Sine
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.sin([0, Math.PI / 2]).tolist(), [0, 1]);
 * ```
 *
 * @param x The input.
 * @returns `sin x`.
 */
export function sin(x: ArrayLike): NdArray {
  return floatUnary(sinP, x);
}

/**
 * Elementwise cosine (radians).
 *
 * @example Cosine
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.cos([0, Math.PI]).tolist(), [1, -1]);
 * ```
 *
 * @param x The input.
 * @returns `cos x`.
 */
export function cos(x: ArrayLike): NdArray {
  return floatUnary(cosP, x);
}

/**
 * Elementwise tangent (radians).
 *
 * @example Tangent
 * ```ts
 * import { np } from "@nabla/ad";
 * import { equal } from "node:assert/strict";
 *
 * equal(np.tan(0).item(), 0);
 * ```
 *
 * @param x The input.
 * @returns `tan x`.
 */
export function tan(x: ArrayLike): NdArray {
  return floatUnary(tanP, x);
}

/**
 * Elementwise inverse sine.
 *
 * @example Inverse sine
 * ```ts
 * import { np } from "@nabla/ad";
 * import { equal } from "node:assert/strict";
 *
 * equal(np.arcsin(1).item(), Math.PI / 2);
 * ```
 *
 * @param x The input, in [-1, 1].
 * @returns `asin x` (NaN outside [-1, 1]).
 */
export function arcsin(x: ArrayLike): NdArray {
  return floatUnary(asinP, x);
}

/**
 * Elementwise inverse cosine.
 *
 * @example Inverse cosine
 * ```ts
 * import { np } from "@nabla/ad";
 * import { equal } from "node:assert/strict";
 *
 * equal(np.arccos(-1).item(), Math.PI);
 * ```
 *
 * @param x The input, in [-1, 1].
 * @returns `acos x` (NaN outside [-1, 1]).
 */
export function arccos(x: ArrayLike): NdArray {
  return floatUnary(acosP, x);
}

/**
 * Elementwise inverse tangent.
 *
 * @example Inverse tangent
 * ```ts
 * import { np } from "@nabla/ad";
 * import { equal } from "node:assert/strict";
 *
 * equal(np.arctan(1).item(), Math.PI / 4);
 * ```
 *
 * @param x The input.
 * @returns `atan x`.
 */
export function arctan(x: ArrayLike): NdArray {
  return floatUnary(atanP, x);
}

/**
 * Elementwise hyperbolic sine.
 *
 * @example Hyperbolic sine
 * ```ts
 * import { np } from "@nabla/ad";
 * import { equal } from "node:assert/strict";
 *
 * equal(np.sinh(0).item(), 0);
 * ```
 *
 * @param x The input.
 * @returns `sinh x`.
 */
export function sinh(x: ArrayLike): NdArray {
  return floatUnary(sinhP, x);
}

/**
 * Elementwise hyperbolic cosine.
 *
 * @example Hyperbolic cosine
 * ```ts
 * import { np } from "@nabla/ad";
 * import { equal } from "node:assert/strict";
 *
 * equal(np.cosh(0).item(), 1);
 * ```
 *
 * @param x The input.
 * @returns `cosh x`.
 */
export function cosh(x: ArrayLike): NdArray {
  return floatUnary(coshP, x);
}

/**
 * Elementwise hyperbolic tangent.
 *
 * @example Hyperbolic tangent
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.tanh([0, Infinity]).tolist(), [0, 1]);
 * ```
 *
 * @param x The input.
 * @returns `tanh x`.
 */
export function tanh(x: ArrayLike): NdArray {
  return floatUnary(tanhP, x);
}

/**
 * Elementwise inverse hyperbolic sine.
 *
 * @example Inverse hyperbolic sine
 * ```ts
 * import { np } from "@nabla/ad";
 * import { equal } from "node:assert/strict";
 *
 * equal(np.arcsinh(0).item(), 0);
 * ```
 *
 * @param x The input.
 * @returns `asinh x`.
 */
export function arcsinh(x: ArrayLike): NdArray {
  return floatUnary(asinhP, x);
}

/**
 * Elementwise inverse hyperbolic cosine.
 *
 * @example Inverse hyperbolic cosine
 * ```ts
 * import { np } from "@nabla/ad";
 * import { equal } from "node:assert/strict";
 *
 * equal(np.arccosh(1).item(), 0);
 * ```
 *
 * @param x The input, at least 1.
 * @returns `acosh x` (NaN below 1).
 */
export function arccosh(x: ArrayLike): NdArray {
  return floatUnary(acoshP, x);
}

/**
 * Elementwise inverse hyperbolic tangent.
 *
 * @example Inverse hyperbolic tangent
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.arctanh([0, 1]).tolist(), [0, Infinity]);
 * ```
 *
 * @param x The input, in [-1, 1].
 * @returns `atanh x`.
 */
export function arctanh(x: ArrayLike): NdArray {
  return floatUnary(atanhP, x);
}

/**
 * Elementwise floor; integer and bool input is returned unchanged (as JAX).
 *
 * @example Floor
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.floor([-1.5, 1.5]).tolist(), [-2, 1]);
 * ```
 *
 * @param x The input.
 * @returns `⌊x⌋`.
 */
export function floor(x: ArrayLike): NdArray {
  const a = asArray(x);
  return isInexact(a.dtype) ? un(floorP, a) : a;
}

/**
 * Elementwise ceiling; integer and bool input is returned unchanged (as JAX).
 *
 * @example Ceiling
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.ceil([-1.5, 1.5]).tolist(), [-1, 2]);
 * ```
 *
 * @param x The input.
 * @returns `⌈x⌉`.
 */
export function ceil(x: ArrayLike): NdArray {
  const a = asArray(x);
  return isInexact(a.dtype) ? un(ceilP, a) : a;
}

/**
 * Rounds to `decimals` decimal places, halves to even, as NumPy: for
 * `decimals > 0` it is `rint(x * 10^d) / 10^d`, for `decimals < 0`
 * `rint(x / 10^-d) * 10^-d`. Integers are unchanged for `decimals >= 0` and
 * rounded to a multiple of `10^-d` otherwise; `bool` is unchanged for
 * `decimals = 0` and rejected otherwise (as NumPy).
 *
 * @example Rounding half to even
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.round([0.5, 1.5, 2.5]).tolist(), [0, 2, 2]);
 * deepEqual(np.round([1.234, 5.678], 1).tolist(), [1.2, 5.7]);
 * deepEqual(np.round([1250, 1351], -2).tolist(), [1200, 1400]);
 * ```
 *
 * @param x The input.
 * @param decimals Number of decimal places (default 0; may be negative).
 * @returns The rounded values, with the dtype of `x`.
 */
export function round(x: ArrayLike, decimals = 0): NdArray {
  if (!Number.isInteger(decimals)) {
    throw new TypeError(`Invalid decimals for round: expected an integer, got ${decimals}`);
  }
  const a = asArray(x);
  if (a.dtype === "bool") {
    if (decimals === 0) return a;
    throw new TypeError(
      `Cannot round a bool array to ${decimals} decimals (as NumPy): convert it with astype first`,
    );
  }
  if (isInteger(a.dtype)) {
    if (decimals >= 0) return a;
    const f = c(10 ** -decimals, "float64");
    return convert(mul(un(roundP, div(convert(a, "float64"), f)), f), a.dtype);
  }
  if (decimals === 0) return un(roundP, a);
  if (decimals > 0) {
    const f = c(10 ** decimals, a.dtype);
    return div(un(roundP, mul(a, f)), f);
  }
  const f = c(10 ** -decimals, a.dtype);
  return mul(un(roundP, div(a, f)), f);
}

/**
 * Limits values to `[min, max]`: `minimum(maximum(x, min), max)` (JAX's
 * definition: when `min > max` the result is `max`; at ties the gradient is
 * split). Either bound may be omitted (`undefined` or `null`).
 *
 * @example Clipping
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.clip([-2, 0, 5], -1, 3).tolist(), [-1, 0, 3]);
 * deepEqual(np.clip([-2, 5], null, 3).tolist(), [-2, 3]);
 * ```
 *
 * @param x The input.
 * @param min Lower bound (broadcast), or none.
 * @param max Upper bound (broadcast), or none.
 * @returns The clipped values.
 */
export function clip(
  x: ArrayLike,
  min?: ArrayLike | null,
  max?: ArrayLike | null,
): NdArray {
  let a = asArray(x);
  if (min !== undefined && min !== null) a = maximum(min, a);
  if (max !== undefined && max !== null) a = minimum(max, a);
  return a;
}

// ---------------------------------------------------------------------------
// Binary arithmetic

/**
 * Elementwise sum with broadcasting. For `bool` operands it is logical or,
 * as in NumPy and JAX.
 *
 * @example Broadcasting a row
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.add([[1], [2]], [10, 20]).tolist(), [[11, 21], [12, 22]]);
 * ```
 *
 * @param x First operand.
 * @param y Second operand.
 * @returns `x + y`, of the promoted dtype.
 */
export function add(x: ArrayLike, y: ArrayLike): NdArray {
  const [a, b] = promote([x, y]);
  return a.dtype === "bool" ? bin(orP, a, b) : addPrim(a, b);
}

/**
 * Elementwise difference with broadcasting (`bool` operands are rejected, as
 * in NumPy).
 *
 * @example Subtraction
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.subtract([5, 7], 2).tolist(), [3, 5]);
 * ```
 *
 * @param x First operand.
 * @param y Second operand.
 * @returns `x - y`, of the promoted dtype.
 */
export function subtract(x: ArrayLike, y: ArrayLike): NdArray {
  const [a, b] = promote([x, y]);
  if (a.dtype === "bool") {
    throw new TypeError("Cannot subtract bool arrays: use logicalXor instead");
  }
  return sub(a, b);
}

/**
 * Elementwise product with broadcasting. For `bool` operands it is logical
 * and, as in NumPy and JAX.
 *
 * @example Scaling keeps float32
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual, equal } from "node:assert/strict";
 *
 * const y = np.multiply(np.array([1, 2], { dtype: "float32" }), 2);
 * deepEqual(y.tolist(), [2, 4]);
 * equal(y.dtype, "float32");
 * ```
 *
 * @param x First operand.
 * @param y Second operand.
 * @returns `x * y`, of the promoted dtype.
 */
export function multiply(x: ArrayLike, y: ArrayLike): NdArray {
  const [a, b] = promote([x, y]);
  if (isComplex(a.dtype)) return complexMultiply(a, b);
  return a.dtype === "bool" ? bin(andP, a, b) : mul(a, b);
}

/**
 * True division with broadcasting: integer and bool operands give `float64`.
 *
 * @example Integer division gives floats
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual, equal } from "node:assert/strict";
 *
 * const q = np.divide([1, 3], 2);
 * deepEqual(q.tolist(), [0.5, 1.5]);
 * equal(q.dtype, "float64");
 * ```
 *
 * @param x Numerator.
 * @param y Denominator.
 * @returns `x / y`.
 */
export function divide(x: ArrayLike, y: ArrayLike): NdArray {
  const [a, b] = floatArgs(x, y);
  if (isComplex(a.dtype)) return complexDivide(a, b);
  return div(a, b);
}

/**
 * Alias of {@linkcode divide} (true division).
 *
 * @example True division
 * ```ts
 * import { np } from "@nabla/ad";
 * import { equal } from "node:assert/strict";
 *
 * equal(np.trueDivide(7, 2).item(), 3.5);
 * ```
 *
 * @param x First operand.
 * @param y Second operand.
 * @returns `x / y`.
 */
export const trueDivide: (x: ArrayLike, y: ArrayLike) => NdArray = divide;

/**
 * Elementwise power `x ** y` with broadcasting. `int32 ** int32` stays
 * `int32` (exact, wrapping; a negative exponent gives 0 except for bases ±1,
 * as JAX); `bool ** bool` is computed in `int32`.
 *
 * @example Powers
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.power([2, 3], 2).tolist(), [4, 9]);
 * deepEqual(np.power(4, [0.5, -1]).tolist(), [2, 0.25]);
 * ```
 *
 * @param x Base.
 * @param y Exponent.
 * @returns `x ** y`.
 */
export function power(x: ArrayLike, y: ArrayLike): NdArray {
  const [a, b] = numericArgs(x, y);
  // A JS integer exponent is static, as Python's in `x ** 2`: JAX's integer_pow.
  if (typeof y === "number" && Number.isInteger(y) && isFloat(a.dtype)) return integerPow(a, y);
  return powPrim(a, b);
}

/**
 * Alias of {@linkcode power}.
 *
 * @example Cubes
 * ```ts
 * import { np } from "@nabla/ad";
 * import { equal } from "node:assert/strict";
 *
 * equal(np.pow(2, 3).item(), 8);
 * ```
 *
 * @param x First operand.
 * @param y Second operand.
 * @returns `x ** y`.
 */
export const pow: (x: ArrayLike, y: ArrayLike) => NdArray = power;

/**
 * Elementwise maximum with broadcasting; NaN propagates (as NumPy's
 * `maximum`). Ties share the gradient equally.
 *
 * @example Maximum
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.maximum([1, 5], [3, 2]).tolist(), [3, 5]);
 * ```
 *
 * @param x First operand.
 * @param y Second operand.
 * @returns The larger of each pair.
 */
export function maximum(x: ArrayLike, y: ArrayLike): NdArray {
  const [a, b] = promote([x, y]);
  return bin(maxP, a, b);
}

/**
 * Elementwise minimum with broadcasting; NaN propagates (as NumPy's
 * `minimum`). Ties share the gradient equally.
 *
 * @example Minimum
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.minimum([1, 5], [3, 2]).tolist(), [1, 2]);
 * ```
 *
 * @param x First operand.
 * @param y Second operand.
 * @returns The smaller of each pair.
 */
export function minimum(x: ArrayLike, y: ArrayLike): NdArray {
  const [a, b] = promote([x, y]);
  return bin(minP, a, b);
}

/**
 * Elementwise `atan2(y, x)`: the angle of the point `(x, y)`, in `[-π, π]`.
 *
 * @example Quadrants
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.arctan2([1, -1], [0, 0]).tolist(), [Math.PI / 2, -Math.PI / 2]);
 * ```
 *
 * @param y The y coordinate.
 * @param x The x coordinate.
 * @returns The angle in radians.
 */
export function arctan2(y: ArrayLike, x: ArrayLike): NdArray {
  const [a, b] = floatArgs(y, x);
  return bin(atan2P, a, b);
}

/**
 * Elementwise remainder with the sign of the divisor (Python's `%`, NumPy's
 * `mod`): `x - floor(x / y) * y`. Integer `x % 0` is 0; float `x % 0` is NaN.
 * Composed from the C remainder and a select, as JAX does.
 *
 * @example Sign of the divisor
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.mod([5, -5, 5, -5], [3, 3, -3, -3]).tolist(), [2, 1, -1, -2]);
 * ```
 *
 * @param x Dividend.
 * @param y Divisor.
 * @returns `x mod y`.
 */
export function mod(x: ArrayLike, y: ArrayLike): NdArray {
  const [a, b] = numericArgs(x, y);
  const r = bin(remP, a, b);
  const zero = c(0, r.dtype);
  // Shift by y where r is nonzero and its sign differs from y's.
  const bNeg = bin(ltP, b, zero);
  const doPlus = bin(andP, bin(neP, bin(ltP, r, zero), bNeg), bin(neP, r, zero));
  if (!isFloat(r.dtype)) return select(doPlus, addPrim(r, b), r);
  // A zero remainder takes the divisor's sign, as in NumPy (-3 % 1 is +0, 3 % -1 is -0):
  // r + 0 is +0 and -((-r) + 0) is -0 for r = ±0, and both leave other values (and d/dr) alone.
  const signed = select(bNeg, neg(addPrim(neg(r), zero)), addPrim(r, zero));
  return select(doPlus, addPrim(r, b), signed);
}

/**
 * Alias of {@linkcode mod}.
 *
 * @example Remainder
 * ```ts
 * import { np } from "@nabla/ad";
 * import { equal } from "node:assert/strict";
 *
 * equal(np.remainder(-1, 4).item(), 3);
 * ```
 *
 * @param x First operand.
 * @param y Second operand.
 * @returns `x mod y`.
 */
export const remainder: (x: ArrayLike, y: ArrayLike) => NdArray = mod;

/**
 * Elementwise floor division `⌊x / y⌋` (NumPy's `//`; integer division by 0
 * gives 0, float division by 0 gives ±Infinity or NaN). Its gradient is zero.
 *
 * @example Floor division
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.floorDivide([7, -7], 2).tolist(), [3, -4]);
 * ```
 *
 * @param x Dividend.
 * @param y Divisor.
 * @returns `x // y`, of the promoted dtype.
 */
export function floorDivide(x: ArrayLike, y: ArrayLike): NdArray {
  const [a, b] = numericArgs(x, y);
  return bin(floorDivideP, a, b);
}

// ---------------------------------------------------------------------------
// Comparisons

function compare(p: Primitive<undefined>, x: ArrayLike, y: ArrayLike): NdArray {
  const [a, b] = promote([x, y]);
  return bin(p, a, b);
}

/**
 * Elementwise `x == y` with broadcasting (operands promoted first).
 *
 * @example Equality
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.equal([1, 2], 2).tolist(), [false, true]);
 * ```
 *
 * @param x First operand.
 * @param y Second operand.
 * @returns A `bool` array.
 */
export function equal(x: ArrayLike, y: ArrayLike): NdArray {
  return compare(eqP, x, y);
}

/**
 * Elementwise `x != y` with broadcasting (NaN differs from everything).
 *
 * @example Inequality
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.notEqual([1, NaN], [1, NaN]).tolist(), [false, true]);
 * ```
 *
 * @param x First operand.
 * @param y Second operand.
 * @returns A `bool` array.
 */
export function notEqual(x: ArrayLike, y: ArrayLike): NdArray {
  return compare(neP, x, y);
}

/**
 * Elementwise `x < y` with broadcasting.
 *
 * @example Less than
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.less([1, 2, 3], 2).tolist(), [true, false, false]);
 * ```
 *
 * @param x First operand.
 * @param y Second operand.
 * @returns A `bool` array.
 */
export function less(x: ArrayLike, y: ArrayLike): NdArray {
  return compare(ltP, x, y);
}

/**
 * Elementwise `x <= y` with broadcasting.
 *
 * @example Less or equal
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.lessEqual([1, 2, 3], 2).tolist(), [true, true, false]);
 * ```
 *
 * @param x First operand.
 * @param y Second operand.
 * @returns A `bool` array.
 */
export function lessEqual(x: ArrayLike, y: ArrayLike): NdArray {
  return compare(leP, x, y);
}

/**
 * Elementwise `x > y` with broadcasting.
 *
 * @example Greater than
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.greater([1, 2, 3], 2).tolist(), [false, false, true]);
 * ```
 *
 * @param x First operand.
 * @param y Second operand.
 * @returns A `bool` array.
 */
export function greater(x: ArrayLike, y: ArrayLike): NdArray {
  return compare(gtP, x, y);
}

/**
 * Elementwise `x >= y` with broadcasting.
 *
 * @example Greater or equal
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.greaterEqual([1, 2, 3], 2).tolist(), [false, true, true]);
 * ```
 *
 * @param x First operand.
 * @param y Second operand.
 * @returns A `bool` array.
 */
export function greaterEqual(x: ArrayLike, y: ArrayLike): NdArray {
  return compare(geP, x, y);
}

// ---------------------------------------------------------------------------
// Selection and logic

/** `x` as a `bool` array: `x != 0` unless it already is `bool`. */
function toBool(x: ArrayLike): NdArray {
  const a = asArray(x);
  return a.dtype === "bool" ? a : bin(neP, a, c(0, a.dtype));
}

/**
 * Chooses `x` where `cond` is true and `y` elsewhere, broadcasting all three
 * (`cond` is converted to `bool` as `cond != 0`). The gradient flows to the
 * chosen branch only. The one-argument form `where(cond)` (NumPy's `nonzero`)
 * is not supported: its result shape depends on the data.
 *
 * @example Choosing elementwise
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * const x = np.array([-1, 2, -3]);
 * deepEqual(np.where(np.less(x, 0), 0, x).tolist(), [0, 2, 0]);
 * ```
 *
 * @param cond The condition.
 * @param x Values where `cond` is true.
 * @param y Values where `cond` is false.
 * @returns The selected values, of the promoted dtype of `x` and `y`.
 */
export function where(cond: ArrayLike, x?: ArrayLike, y?: ArrayLike): NdArray {
  if (x === undefined || y === undefined) {
    throw new TypeError(
      "where needs three arguments (cond, x, y): the one-argument form is not supported because its result shape depends on the data",
    );
  }
  const p = toBool(cond);
  const [a, b] = promote([x, y]);
  return select(p, a, b);
}

/**
 * Elementwise logical and (operands are converted to `bool` as `x != 0`).
 *
 * @example Logical and
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.logicalAnd([true, true, false], [true, false, false]).tolist(), [true, false, false]);
 * ```
 *
 * @param x First operand.
 * @param y Second operand.
 * @returns A `bool` array.
 */
export function logicalAnd(x: ArrayLike, y: ArrayLike): NdArray {
  return bin(andP, toBool(x), toBool(y));
}

/**
 * Elementwise logical or (operands are converted to `bool` as `x != 0`).
 *
 * @example Logical or
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.logicalOr([0, 2, 0], [0, 0, 3]).tolist(), [false, true, true]);
 * ```
 *
 * @param x First operand.
 * @param y Second operand.
 * @returns A `bool` array.
 */
export function logicalOr(x: ArrayLike, y: ArrayLike): NdArray {
  return bin(orP, toBool(x), toBool(y));
}

/**
 * Elementwise logical not (the operand is converted to `bool` as `x != 0`).
 *
 * @example Logical not
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.logicalNot([0, 1.5]).tolist(), [true, false]);
 * ```
 *
 * @param x The operand.
 * @returns A `bool` array.
 */
export function logicalNot(x: ArrayLike): NdArray {
  return un(notP, toBool(x));
}

/**
 * Elementwise logical exclusive or (operands are converted to `bool`).
 *
 * @example Logical xor
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.logicalXor([true, true], [true, false]).tolist(), [false, true]);
 * ```
 *
 * @param x First operand.
 * @param y Second operand.
 * @returns A `bool` array.
 */
export function logicalXor(x: ArrayLike, y: ArrayLike): NdArray {
  return bin(neP, toBool(x), toBool(y));
}

/**
 * Elementwise test for NaN (always false for `int32` and `bool`).
 *
 * @example Finding NaN
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.isnan([1, NaN, Infinity]).tolist(), [false, true, false]);
 * ```
 *
 * @param x The input.
 * @returns A `bool` array.
 */
export function isnan(x: ArrayLike): NdArray {
  return un(isnanP, asArray(x));
}

/**
 * Elementwise test for ±Infinity (always false for `int32` and `bool`).
 *
 * @example Finding infinities
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.isinf([1, NaN, -Infinity]).tolist(), [false, false, true]);
 * ```
 *
 * @param x The input.
 * @returns A `bool` array.
 */
export function isinf(x: ArrayLike): NdArray {
  return un(isinfP, asArray(x));
}

/**
 * Elementwise test for finite values (always true for `int32` and `bool`).
 *
 * @example Finite values
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.isfinite([1, NaN, -Infinity]).tolist(), [true, false, false]);
 * ```
 *
 * @param x The input.
 * @returns A `bool` array.
 */
export function isfinite(x: ArrayLike): NdArray {
  return un(isfiniteP, asArray(x));
}

/** Options of {@linkcode isclose} and {@linkcode allclose}. */
export interface IsCloseOptions {
  /** Relative tolerance (default `1e-5`). */
  rtol?: number;
  /** Absolute tolerance (default `1e-8`). */
  atol?: number;
  /** Whether NaN equals NaN (default `false`). */
  equalNan?: boolean;
}

/**
 * Elementwise closeness as NumPy defines it:
 * `|x - y| <= atol + rtol * |y|` for finite `y`, or `x == y` (so equal
 * infinities are close); NaN is close to NaN only with `equalNan`. Asymmetric
 * in `y`, as NumPy's.
 *
 * @example Closeness
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.isclose([1, 1, Infinity], [1 + 1e-9, 1.1, Infinity]).tolist(), [true, false, true]);
 * ```
 *
 * @param x First operand.
 * @param y Second operand (the reference).
 * @param opts `rtol` (default `1e-5`), `atol` (default `1e-8`), `equalNan` (default `false`).
 * @returns A `bool` array.
 */
export function isclose(x: ArrayLike, y: ArrayLike, opts: IsCloseOptions = {}): NdArray {
  checkOptions("isclose", opts, ["atol", "equalNan", "rtol"]);
  const { rtol = 1e-5, atol = 1e-8, equalNan = false } = readOptions("isclose", opts, false);
  const [a, b] = floatArgs(x, y);
  const dt = a.dtype;
  const tol = addPrim(c(atol, dt), mul(c(rtol, dt), absPrim(b)));
  const near = bin(andP, bin(leP, absPrim(sub(a, b)), tol), un(isfiniteP, b));
  let out = bin(orP, near, bin(eqP, a, b));
  if (equalNan) out = bin(orP, out, bin(andP, un(isnanP, a), un(isnanP, b)));
  return out;
}

/**
 * Whether every element of `x` is close to `y` ({@linkcode isclose}).
 *
 * It returns a JS `boolean`, not an array: an array would always be truthy in
 * an `if`, which is the one place this function is used. It therefore reads
 * concrete values and cannot be used on `vmap` tracers (use `isclose` and
 * `all` there).
 *
 * @example Comparing results
 * ```ts
 * import { np } from "@nabla/ad";
 * import { equal } from "node:assert/strict";
 *
 * equal(np.allclose([1, 2], [1, 2 + 1e-10]), true);
 * equal(np.allclose([1, 2], [1, 2.1]), false);
 * ```
 *
 * @param x First operand.
 * @param y Second operand (the reference).
 * @param opts `rtol` (default `1e-5`), `atol` (default `1e-8`), `equalNan` (default `false`).
 * @returns `true` when all elements are close.
 */
export function allclose(x: ArrayLike, y: ArrayLike, opts: IsCloseOptions = {}): boolean {
  checkOptions("allclose", opts, ["atol", "equalNan", "rtol"]);
  const close = isclose(x, y, opts);
  const axes = close.shape.map((_, i) => i);
  const far = reduceSum(convert(un(notP, close), "int32"), axes);
  return far.item() === 0;
}

/**
 * The values of `x` converted to `dtype` (float → int truncates toward zero,
 * anything → bool is `x != 0`).
 *
 * @example Converting
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual, equal } from "node:assert/strict";
 *
 * const y = np.astype([1.7, -1.7], "int32");
 * deepEqual(y.tolist(), [1, -1]);
 * equal(y.dtype, "int32");
 * ```
 *
 * @param x The input.
 * @param dtype The target dtype.
 * @returns The converted array (`x` itself if it already has that dtype).
 */
export function astype(x: ArrayLike, dtype: DType): NdArray {
  return convert(asArray(x), checkDType(dtype));
}

// log(eˣ + eʸ) = max + log1p(e^-|x-y|); its rule d = eˣ⁻ᵒᵘᵗ dx + eʸ⁻ᵒᵘᵗ dy (JAX's custom JVP)
// gives each side half at ties, which composing maximum and abs would not.
const logaddexpImpl = customJvp(function logaddexp(x: NdArray, y: NdArray): NdArray {
  const amax = maximum(x, y);
  const delta = subtract(x, y);
  // Equal infinities give delta = NaN: the answer is then amax (or NaN for inf - inf).
  return where(isnan(delta), add(x, y), add(amax, log1p(exp(negative(abs(delta))))));
});
logaddexpImpl.defjvp(([x, y]: NdArray[], [tx, ty]: NdArray[]) => {
  const out = logaddexpImpl(x, y);
  // JAX's rule: +inf is replaced by 0 on both sides of each exponent, so an infinite
  // argument gets weight 1 and NaN propagates.
  const finite = (a: NdArray) => where(equal(a, Infinity), 0, a);
  const weight = (a: NdArray) => exp(subtract(finite(a), finite(out)));
  return [out, add(multiply(tx, weight(x)), multiply(ty, weight(y)))];
});

/**
 * `log(exp(x) + exp(y))` without overflow, elementwise with broadcasting;
 * ties share the derivative equally.
 *
 * @example Large arguments
 * ```ts
 * import { np } from "@nabla/ad";
 * import { ok } from "node:assert/strict";
 *
 * ok(Math.abs((np.logaddexp(1000, 1000).item() as number) - (1000 + Math.LN2)) < 1e-12);
 * ```
 *
 * @param x First operand.
 * @param y Second operand.
 * @returns `log(eˣ + eʸ)`.
 */
export function logaddexp(x: ArrayLike, y: ArrayLike): NdArray {
  const [a, b] = promote([x, y]);
  const dt = isFloat(a.dtype) ? a.dtype : inexactDTypeOf(a.dtype);
  return logaddexpImpl(astype(a, dt), astype(b, dt));
}

const k = (v: number, like: NdArray): NdArray => scalarArray(v, like.dtype);

/**
 * `√(x² + y²)` elementwise with broadcasting, without overflow or underflow
 * (JAX's formulation: `max · √(1 + (min/max)²)`, infinite if either is).
 *
 * @example The 3-4-5 triangle
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual, ok } from "node:assert/strict";
 *
 * deepEqual(np.hypot([3, 5], [4, 12]).tolist(), [5, 13]);
 * ok(Number.isFinite(np.hypot(1e300, 1e300).item())); // no overflow
 * ```
 *
 * @param x First leg.
 * @param y Second leg.
 * @returns The hypotenuse.
 */
export function hypot(x: ArrayLike, y: ArrayLike): NdArray {
  const [a0, b0] = floatArgs(x, y);
  const a = abs(a0), b = abs(b0);
  const inf = logicalOr(isinf(a), isinf(b));
  const hi = maximum(a, b), lo = minimum(a, b);
  const zero = equal(hi, 0);
  const safe = where(zero, k(1, hi), hi);
  const r = where(zero, hi, multiply(hi, sqrt(add(1, square(divide(lo, safe))))));
  return where(inf, k(Infinity, r), r);
}

// ---------------------------------------------------------------------------
// cbrt

/** The real cube root: `sign(x)·|x|^(1/3)` refined by one Newton step (exact at perfect cubes). */
function cbrtValue(x: NdArray): NdArray {
  const y0 = multiply(sign(x), power(abs(x), 1 / 3));
  // y ← y - (y³ - x) / (3y²)
  const y2 = multiply(y0, y0);
  const safe = logicalAnd(isfinite(x), logicalOr(less(x, 0), less(0, x)));
  const d = where(safe, multiply(k(3, y0), y2), k(1, y0));
  const y1 = subtract(y0, divide(subtract(multiply(y2, y0), x), d));
  return where(safe, y1, x);
}

// d cbrt(x) = dx / (3 cbrt(x)²) (infinite at 0, as JAX)
const cbrtImpl = customJvp(function cbrt(x: NdArray): NdArray {
  return cbrtValue(x);
});
cbrtImpl.defjvp(([x]: NdArray[], [t]: NdArray[]) => {
  const y = cbrtImpl(x);
  return [y, divide(t, multiply(k(3, y), multiply(y, y)))];
});

/**
 * The real cube root elementwise (negative for negative `x`; int and bool
 * input become `float64`). Its derivative is `1 / (3 ∛x²)`.
 *
 * @example Cube roots of negatives
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.cbrt([27, -8, 0]).tolist(), [3, -2, 0]);
 * ```
 *
 * @param x The input.
 * @returns `∛x`.
 */
export function cbrt(x: ArrayLike): NdArray {
  return cbrtImpl(floatArg(x));
}

/**
 * `2ˣ` elementwise (int and bool input become `float64`); exact at
 * integers.
 *
 * @example Powers of two
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.exp2([3, -1, 0.5]).tolist(), [8, 0.5, Math.SQRT2]);
 * ```
 *
 * @param x The exponent.
 * @returns `2 ** x`.
 */
export function exp2(x: ArrayLike): NdArray {
  const a = floatArg(x);
  return power(k(2, a), a);
}

// ---------------------------------------------------------------------------
// sinc

// The k-th derivative of sin(x)/x at 0, as a function of x whose own derivative
// is the (k+1)-th (JAX's `_sinc_maclaurin`): 0 for odd k, (-1)^(k/2) / (k + 1) for even k.
const maclaurin = new Map<number, (x: NdArray) => NdArray>();
function sincMaclaurin(order: number): (x: NdArray) => NdArray {
  let f = maclaurin.get(order);
  if (f === undefined) {
    const value = order % 2 === 1 ? 0 : (order % 4 === 0 ? 1 : -1) / (order + 1);
    const g = customJvp(function sincMaclaurin(x: NdArray): NdArray {
      return add(multiply(x, k(0, x)), k(value, x));
    });
    g.defjvp(([x]: NdArray[], [t]: NdArray[]) => [
      g(x),
      multiply(sincMaclaurin(order + 1)(x), t),
    ]);
    f = g;
    maclaurin.set(order, f);
  }
  return f;
}

/**
 * The normalised sinc function `sin(πx) / (πx)`, 1 at 0 (int and bool input
 * become `float64`). Its derivatives are exact at 0 to every order (a
 * Maclaurin rule, as JAX's).
 *
 * @example Zeros at the integers
 * ```ts
 * import { grad, np } from "@nabla/ad";
 * import { deepEqual, equal, ok } from "node:assert/strict";
 *
 * deepEqual(np.sinc([0, 0.5]).tolist(), [1, 2 / Math.PI]);
 * ok(Math.abs(np.sinc(1).item() as number) < 1e-16);
 * equal(grad(np.sinc)(0).item(), 0);
 * ```
 *
 * @param x The input.
 * @returns `sinc(x)`.
 */
export function sinc(x: ArrayLike): NdArray {
  const a = floatArg(x);
  const zero = equal(a, 0);
  const pix = multiply(k(Math.PI, a), a);
  const safe = where(zero, k(1, a), pix);
  return where(zero, sincMaclaurin(0)(pix), divide(sin(safe), safe));
}

/**
 * Degrees to radians elementwise: `x · (π/180)` (int and bool input become
 * `float64`).
 *
 * @example A right angle
 * ```ts
 * import { np } from "@nabla/ad";
 * import { equal } from "node:assert/strict";
 *
 * equal(np.deg2rad(90).item(), Math.PI / 2);
 * ```
 *
 * @param x Angles in degrees.
 * @returns Angles in radians.
 */
export function deg2rad(x: ArrayLike): NdArray {
  const a = floatArg(x);
  return multiply(a, k(Math.PI / 180, a));
}

/**
 * Radians to degrees elementwise: `x · (180/π)` (int and bool input become
 * `float64`).
 *
 * @example Half a turn
 * ```ts
 * import { np } from "@nabla/ad";
 * import { equal } from "node:assert/strict";
 *
 * equal(np.rad2deg(Math.PI).item(), 180);
 * ```
 *
 * @param x Angles in radians.
 * @returns Angles in degrees.
 */
export function rad2deg(x: ArrayLike): NdArray {
  const a = floatArg(x);
  return multiply(a, k(180 / Math.PI, a));
}

/**
 * The magnitude of `x` with the sign of `y`, elementwise with broadcasting
 * (int and bool input become `float64`). `-0` counts as negative; the sign
 * of a NaN `y` cannot be read from JavaScript and counts as positive (NumPy
 * reads its sign bit). The derivative in `y` is zero.
 *
 * @example Signs, including negative zero
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.copysign([1, 2, 3], [-1, -0, 0]).tolist(), [-1, -2, 3]);
 * ```
 *
 * @param x The magnitudes.
 * @param y The signs.
 * @returns `|x|` signed as `y`.
 */
export function copysign(x: ArrayLike, y: ArrayLike): NdArray {
  const [a, b] = floatArgs(x, y);
  // signbit: y < 0, or y is -0 (1 / -0 is -Infinity).
  const negZero = logicalAnd(equal(b, 0), less(divide(k(1, b), b), 0));
  const signbit = logicalOr(less(b, 0), negZero);
  const m = abs(a);
  return where(signbit, negative(m), m);
}

/**
 * Rounds toward zero elementwise; integer and bool input is returned
 * unchanged (as JAX). Its derivative is zero.
 *
 * @example Truncation
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.trunc([-1.7, 1.7, -0.2]).tolist(), [-1, 1, -0]);
 * ```
 *
 * @param x The input.
 * @returns `x` without its fractional part.
 */
export function trunc(x: ArrayLike): NdArray {
  const a = asArray(x);
  if (!isInexact(a.dtype)) return a;
  return where(less(a, 0), ceil(a), floor(a));
}

// ---------------------------------------------------------------------------
// diff / cumprod

/** Options of {@linkcode diff}. */
export interface DiffOptions {
  /** Values to put before `x` along the axis first (a scalar is broadcast to one slice). */
  prepend?: ArrayLike;
  /** Values to put after `x` along the axis first (a scalar is broadcast to one slice). */
  append?: ArrayLike;
}

/**
 * The `n`-th discrete difference along `axis`: `x[1:] - x[:-1]`, `n` times
 * (for `bool` input, `x[1:] != x[:-1]`, as NumPy).
 *
 * @example First and second differences
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.diff([1, 4, 9, 16]).tolist(), [3, 5, 7]);
 * deepEqual(np.diff([1, 4, 9, 16], 2).tolist(), [2, 2]);
 * deepEqual(np.diff([[1, 2], [5, 3]], 1, 0).tolist(), [[4, 1]]);
 * deepEqual(np.diff([1, 2], 1, -1, { prepend: 0 }).tolist(), [1, 1]);
 * ```
 *
 * @param x An array of rank at least 1.
 * @param n Number of times to difference (default 1).
 * @param axis The axis (default the last).
 * @param opts `prepend` and `append`.
 * @returns An array whose `axis` is `n` shorter.
 */
export function diff(x: ArrayLike, n = 1, axis = -1, opts: DiffOptions = {}): NdArray {
  checkOptions("diff", opts, ["append", "prepend"]);
  checkInt("diff", "order n", n);
  if (n < 0) throw new RangeError(`Invalid order n for diff: must be non-negative, got ${n}`);
  let a = asArray(x);
  if (n === 0) return a; // as JAX: the input unchanged, prepend and append ignored
  if (a.ndim === 0) {
    throw new TypeError("diff needs an array of at least one dimension: got a scalar");
  }
  const ax = normalizeAxis(axis, a.ndim);
  const o = readOptions("diff", opts, false);
  if (o.prepend !== undefined || o.append !== undefined) {
    const side = (v: ArrayLike) => {
      const b = asArray(v);
      if (b.ndim !== 0) return b;
      return P.broadcastTo(b, a.shape.map((d, i) => (i === ax ? 1 : d)));
    };
    const parts: ArrayLike[] = [];
    if (o.prepend !== undefined) parts.push(side(o.prepend));
    parts.push(a);
    if (o.append !== undefined) parts.push(side(o.append));
    a = concatenate(parts, ax);
  }
  for (let i = 0; i < n; i++) {
    const len = a.shape[ax];
    if (len === 0) break;
    const hi = sliceAxis(a, ax, 1, len), lo = sliceAxis(a, ax, 0, len - 1);
    a = a.dtype === "bool" ? notEqual(hi, lo) : subtract(hi, lo);
  }
  return a;
}

// ---------------------------------------------------------------------------
// interp

/** Options of {@linkcode interp}. */
export interface InterpOptions {
  /** The value for `x < xp[0]` (default `fp[0]`). */
  left?: ArrayLike;
  /** The value for `x > xp[xp.length - 1]` (default the last `fp`). */
  right?: ArrayLike;
}

/**
 * One-dimensional piecewise-linear interpolation of the points `(xp, fp)`
 * at `x`, as NumPy's `interp` (`xp` increasing). Differentiable in `x`,
 * `xp` and `fp`.
 *
 * @example Interpolating and clamping
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.interp([0.5, 1.5, 3], [0, 1, 2], [0, 10, 30]).tolist(), [5, 20, 30]);
 * deepEqual(np.interp([-1, 5], [0, 1], [1, 2], { left: 0, right: 9 }).tolist(), [0, 9]);
 * ```
 *
 * @param x Where to evaluate.
 * @param xp Increasing sample points (1-D).
 * @param fp Values at the sample points (1-D, as long as `xp`).
 * @param opts `left` and `right`.
 * @returns The interpolated values, of the shape of `x`.
 */
export function interp(
  x: ArrayLike,
  xp: ArrayLike,
  fp: ArrayLike,
  opts: InterpOptions = {},
): NdArray {
  checkOptions("interp", opts, ["left", "right"]);
  const o = readOptions("interp", opts, false);
  const a = floatOf(x), xs = floatOf(xp), fs = floatOf(fp);
  if (xs.ndim !== 1 || fs.ndim !== 1) {
    throw new TypeError(
      `interp needs 1-D xp and fp: got shapes ${showShape(xs.shape)} and ${showShape(fs.shape)}`,
    );
  }
  const n = xs.shape[0];
  if (fs.shape[0] !== n) {
    throw new RangeError(`interp needs xp and fp of one length: got ${n} and ${fs.shape[0]}`);
  }
  if (n === 0) throw new RangeError("interp needs at least one sample point: xp is empty");
  const at = (i: number) =>
    P.reshape(P.slice(xs, { starts: [i], limits: [i + 1], strides: [1] }), []);
  const ft = (i: number) =>
    P.reshape(P.slice(fs, { starts: [i], limits: [i + 1], strides: [1] }), []);
  const first = at(0), last = at(n - 1);
  let res: NdArray;
  if (n === 1) {
    res = P.broadcastTo(ft(0), a.shape);
  } else {
    // j: the interval [xp[j], xp[j+1]] holding x, clipped to [0, n - 2].
    const below = lessEqual(xs, P.reshape(a, [...a.shape, 1]));
    const count = reduceSum(convert(below, "int32"), [a.ndim]);
    const j0 = subtract(count, 1);
    const j = where(less(j0, 0), 0, where(greater(j0, n - 2), n - 2, j0));
    const j1 = add(j, 1);
    const x0 = P.take(xs, j, 0), x1 = P.take(xs, j1, 0);
    const f0 = P.take(fs, j, 0), f1 = P.take(fs, j1, 0);
    const dx = subtract(x1, x0);
    const flat = equal(dx, 0);
    const slope = where(flat, 0, divide(subtract(f1, f0), where(flat, 1, dx)));
    res = add(multiply(slope, subtract(a, x0)), f0);
    // NumPy's fallbacks: from the right end when the left gives NaN, and exact at the nodes.
    res = where(isnan(res), add(multiply(slope, subtract(a, x1)), f1), res);
    res = where(logicalAnd(isnan(res), equal(f0, f1)), f0, res);
    res = where(equal(a, x0), f0, res);
    res = where(equal(a, last), ft(n - 1), res);
  }
  const left = o.left === undefined ? ft(0) : astype(asArray(o.left), a.dtype);
  const right = o.right === undefined ? ft(n - 1) : astype(asArray(o.right), a.dtype);
  res = where(less(a, first), left, res);
  return where(greater(a, last), right, res);
}

// ---------------------------------------------------------------------------
// More elementwise functions (NumPy's fmax/fmin/fmod/modf/divmod family,
// signbit, nanToNum, rint, logaddexp2, heaviside, isposinf/isneginf) and
// sums/differences (trapezoid, unwrap, ediff1d), array comparison

/**
 * Whether the sign bit is set: true for negative numbers and `-0` (and
 * `-Infinity`); false for integers ≥ 0 and booleans. The sign of a NaN
 * cannot be read in JS: NaN counts as positive.
 *
 * @example
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.signbit(np.array([-1, 0, -0, 2])).tolist(), [true, false, true, false]);
 * ```
 *
 * @param x The values.
 * @returns A `bool` array.
 */
export function signbit(x: ArrayLike): NdArray {
  const a = asArray(x);
  if (isComplex(a.dtype)) throw new TypeError("signbit does not accept complex input");
  if (a.dtype === "bool") return notEqual(a, a);
  if (!isInexact(a.dtype)) return less(a, 0);
  // -0 is the zero whose reciprocal is -Infinity.
  const negZero = logicalAnd(equal(a, 0), less(divide(k(1, a), a), 0));
  return logicalOr(less(a, 0), negZero);
}

/**
 * Elementwise maximum that ignores NaN: where one operand is NaN the other
 * is returned (NaN only where both are), as JAX's `fmax`.
 *
 * @example
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.fmax(np.array([1, NaN, NaN]), np.array([2, 3, NaN])).tolist(), [2, 3, NaN]);
 * ```
 *
 * @param x First operand.
 * @param y Second operand.
 * @returns The NaN-ignoring maximum, broadcast.
 */
export function fmax(x: ArrayLike, y: ArrayLike): NdArray {
  const [a, b] = promote([x, y]);
  return where(logicalOr(greater(a, b), isnan(b)), a, b);
}

/**
 * Elementwise minimum that ignores NaN (NaN only where both are).
 *
 * @example
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.fmin(np.array([1, NaN, 4]), np.array([2, 3, NaN])).tolist(), [1, 3, 4]);
 * ```
 *
 * @param x First operand.
 * @param y Second operand.
 * @returns The NaN-ignoring minimum, broadcast.
 */
export function fmin(x: ArrayLike, y: ArrayLike): NdArray {
  const [a, b] = promote([x, y]);
  return where(logicalOr(less(a, b), isnan(b)), a, b);
}

/**
 * The C remainder `x - trunc(x / y) · y`: the sign of the dividend (compare
 * {@linkcode mod}, which takes the sign of the divisor).
 *
 * @example
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.fmod(np.array([-3, 3]), 2).tolist(), [-1, 1]);
 * ```
 *
 * @param x The dividend.
 * @param y The divisor.
 * @returns The remainder, broadcast.
 */
export function fmod(x: ArrayLike, y: ArrayLike): NdArray {
  const [a, b] = numericArgs(x, y);
  if (isComplex(a.dtype)) throw new TypeError("fmod does not accept complex input");
  return bin(remP, a, b);
}

/**
 * The fractional and integral parts, both with the sign of `x`:
 * `[x - trunc(x), trunc(x)]`.
 *
 * @example
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * const [frac, whole] = np.modf(np.array([-2.5, 1.25]));
 * deepEqual([frac.tolist(), whole.tolist()], [[-0.5, 0.25], [-2, 1]]);
 * ```
 *
 * @param x The values.
 * @returns `[fractional, integral]`.
 */
export function modf(x: ArrayLike): [NdArray, NdArray] {
  const a = floatArg(x);
  const whole = trunc(a);
  return [subtract(a, whole), whole];
}

/**
 * `[floorDivide(x, y), mod(x, y)]` together (Python's `divmod`), computed as
 * JAX does for floats: the remainder first, then the exact quotient.
 *
 * @example
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * const [q, r] = np.divmod(np.array([7, -7]), 2);
 * deepEqual([q.tolist(), r.tolist()], [[3, -4], [1, 1]]);
 * ```
 *
 * @param x The dividend.
 * @param y The divisor.
 * @returns `[quotient, remainder]`.
 */
export function divmod(x: ArrayLike, y: ArrayLike): [NdArray, NdArray] {
  const [a, b] = numericArgs(x, y);
  if (!isInexact(a.dtype)) return [floorDivide(a, b), mod(a, b)];
  if (isComplex(a.dtype)) throw new TypeError("divmod does not accept complex input");
  let r = bin(remP, a, b);
  let q = divide(subtract(a, r), b);
  // Remainders of the wrong sign move one divisor over.
  const fix = logicalAnd(notEqual(r, 0), notEqual(sign(b), sign(r)));
  r = where(fix, add(r, b), r);
  q = where(fix, subtract(q, k(1, q)), q);
  return [round(q), r];
}

/**
 * `x ** y` in floating point (integers and booleans become `float64`).
 *
 * @example
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.floatPower(np.array([4, 9]), 0.5).tolist(), [2, 3]);
 * ```
 *
 * @param x The bases.
 * @param y The exponents.
 * @returns The powers, inexact.
 */
export function floatPower(x: ArrayLike, y: ArrayLike): NdArray {
  const [a, b] = floatArgs(x, y);
  return power(a, b);
}

/** Options of {@linkcode nanToNum}. */
export interface NanToNumOptions {
  /** The value for NaN (default 0). */
  nan?: number;
  /** The value for +Infinity (default the dtype's largest finite value). */
  posinf?: number | null;
  /** The value for -Infinity (default the dtype's most negative finite value). */
  neginf?: number | null;
}

/**
 * Replaces NaN by `nan` (0), +Infinity by `posinf` and -Infinity by `neginf`
 * (by default the largest finite magnitudes of the dtype). Integers and
 * booleans pass through.
 *
 * @example
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.nanToNum(np.array([NaN, Infinity, 1]), { posinf: 9 }).tolist(), [0, 9, 1]);
 * ```
 *
 * @param x The values.
 * @param options `nan`, `posinf`, `neginf`.
 * @returns `x` with finite values only.
 */
export function nanToNum(x: ArrayLike, options?: NanToNumOptions): NdArray {
  const a = asArray(x);
  checkOptions("nanToNum", options, ["nan", "posinf", "neginf"]);
  const o = readOptions("nanToNum", options, false);
  if (!isInexact(a.dtype)) return a;
  if (isComplex(a.dtype)) throw new TypeError("nanToNum does not accept complex input yet");
  const big = a.dtype === "float32" ? 3.4028234663852886e38 : Number.MAX_VALUE;
  let out = where(isnan(a), k(o.nan ?? 0, a), a);
  out = where(isposinf(out), k(o.posinf ?? big, a), out);
  return where(isneginf(out), k(o.neginf ?? -big, a), out);
}

/**
 * Rounds to the nearest integer, halves to even (integers become `float64`).
 *
 * @example
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.rint(np.array([0.5, 1.5, -2.5, 2.6])).tolist(), [0, 2, -2, 3]);
 * ```
 *
 * @param x The values.
 * @returns The rounded values, inexact.
 */
export function rint(x: ArrayLike): NdArray {
  return round(floatArg(x));
}

/**
 * `log2(2^x + 2^y)` without overflow.
 *
 * @example
 * ```ts
 * import { np } from "@nabla/ad";
 * import { equal } from "node:assert/strict";
 *
 * equal(np.logaddexp2(3, 3).item(), 4);
 * ```
 *
 * @param x First operand.
 * @param y Second operand.
 * @returns The values, inexact.
 */
export function logaddexp2(x: ArrayLike, y: ArrayLike): NdArray {
  const [a, b] = floatArgs(x, y);
  const ln2 = k(Math.LN2, a);
  return divide(logaddexp(multiply(a, ln2), multiply(b, ln2)), ln2);
}

/**
 * Whether each element is `-Infinity` (always false for integers).
 *
 * @example
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.isneginf(np.array([-Infinity, Infinity, 0])).tolist(), [true, false, false]);
 * ```
 *
 * @param x The values.
 * @returns A `bool` array.
 */
export function isneginf(x: ArrayLike): NdArray {
  const a = asArray(x);
  if (!isFloat(a.dtype)) return notEqual(a, a);
  return equal(a, -Infinity);
}

/**
 * Whether each element is `+Infinity` (always false for integers).
 *
 * @example
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.isposinf(np.array([-Infinity, Infinity, 0])).tolist(), [false, true, false]);
 * ```
 *
 * @param x The values.
 * @returns A `bool` array.
 */
export function isposinf(x: ArrayLike): NdArray {
  const a = asArray(x);
  if (!isFloat(a.dtype)) return notEqual(a, a);
  return equal(a, Infinity);
}

/**
 * The Heaviside step: 0 where `x < 0`, 1 where `x > 0`, and `h0` where
 * `x == 0` (and, as JAX, where `x` is NaN).
 *
 * @example
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.heaviside(np.array([-1, 0, 2]), 0.5).tolist(), [0, 0.5, 1]);
 * ```
 *
 * @param x The values.
 * @param h0 The value at zero.
 * @returns The step values, broadcast.
 */
export function heaviside(x: ArrayLike, h0: ArrayLike): NdArray {
  const [a, b] = floatArgs(x, h0);
  return where(less(a, 0), k(0, a), where(greater(a, 0), k(1, a), b));
}

/** Options of {@linkcode trapezoid}. */
export interface TrapezoidOptions {
  /** The sample points (1-D along `axis`, or the shape of `y`); default spacing `dx`. */
  x?: ArrayLike | null;
  /** The spacing when `x` is omitted (default 1). */
  dx?: ArrayLike;
  /** The axis to integrate along (default -1). */
  axis?: number;
}

/**
 * The integral of `y` along `axis` by the trapezoidal rule, with sample
 * points `x` or a uniform spacing `dx`.
 *
 * @example
 * ```ts
 * import { np } from "@nabla/ad";
 * import { equal } from "node:assert/strict";
 *
 * equal(np.trapezoid(np.array([1, 2, 3])).item(), 4);
 * equal(np.trapezoid(np.array([1, 2, 3]), np.array([0, 1, 3])).item(), 6.5);
 * ```
 *
 * @param y The values.
 * @param x The sample points, or options.
 * @param options `dx`, `axis`.
 * @returns The integral (one axis fewer than `y`).
 */
export function trapezoid(
  y: ArrayLike,
  x?: ArrayLike | null | TrapezoidOptions,
  options?: TrapezoidOptions,
): NdArray {
  if (x !== null && typeof x === "object" && !Array.isArray(x) && !isArrayValue(x)) {
    options = x as TrapezoidOptions;
    x = options.x;
  }
  checkOptions("trapezoid", options, ["x", "dx", "axis"]);
  const o = readOptions("trapezoid", options, false);
  const yy = floatArg(y);
  const ax = normalizeAxis(o.axis ?? -1, yy.ndim);
  const n = yy.shape[ax];
  let d: NdArray;
  if (x === undefined || x === null) {
    d = floatArg(o.dx ?? 1);
  } else {
    const xx = floatArg(x as ArrayLike);
    if (xx.ndim === 1) {
      const dx1 = diff(xx);
      const shape = yy.shape.map((_, i) => (i === ax ? dx1.shape[0] : 1));
      d = P.reshape(dx1, shape);
    } else {
      d = diff(xx, 1, ax);
    }
  }
  const mid = add(sliceAxis(yy, ax, 1, n), sliceAxis(yy, ax, 0, Math.max(n - 1, 0)));
  return multiply(sum(multiply(d, mid), ax), 0.5);
}

function isArrayValue(x: unknown): boolean {
  return x !== null && x !== undefined && typeof (x as { tolist?: unknown }).tolist === "function";
}

/** Options of {@linkcode unwrap}. */
export interface UnwrapOptions {
  /** Jumps smaller than this are kept (default `period / 2`). */
  discont?: number | null;
  /** The axis (default -1). */
  axis?: number;
  /** The period (default 2π). */
  period?: number;
}

/**
 * Unwraps phases: jumps between neighbours larger than `discont` are
 * replaced by their complement modulo `period`, so the result is continuous
 * (NumPy's algorithm, as JAX).
 *
 * @example
 * ```ts
 * import { np } from "@nabla/ad";
 * import { assert } from "node:console";
 *
 * const p = np.unwrap(np.array([0, 3, 6.5]));
 * assert(Math.abs((p.tolist() as number[])[2] - (6.5 - 2 * Math.PI)) < 1e-12);
 * ```
 *
 * @param p The phases.
 * @param options `discont`, `axis`, `period` (or, positionally, `discont`).
 * @param axisArg The axis (positional form).
 * @param periodArg The period (positional form).
 * @returns The unwrapped phases.
 */
export function unwrap(
  p: ArrayLike,
  options?: UnwrapOptions | number | null,
  axisArg?: number,
  periodArg?: number,
): NdArray {
  // NumPy's positional form: unwrap(p, discont, axis, period).
  checkOptions("unwrap", options, ["discont", "axis", "period"]);
  const o = typeof options === "number" || options === null || axisArg !== undefined ||
      periodArg !== undefined
    ? { discont: options as number | null | undefined, axis: axisArg, period: periodArg }
    : readOptions("unwrap", options, false);
  const a = floatArg(p);
  const ax = normalizeAxis(o.axis ?? -1, a.ndim);
  const period = o.period ?? 2 * Math.PI;
  const discont = o.discont ?? period / 2;
  const n = a.shape[ax];
  if (n < 2) return a;
  const dd = diff(a, 1, ax);
  const high = period / 2, low = -high;
  let ddmod = add(mod(subtract(dd, low), period), low);
  ddmod = where(logicalAnd(equal(ddmod, low), greater(dd, 0)), k(high, dd), ddmod);
  let correct = subtract(ddmod, dd);
  correct = where(less(abs(dd), discont), k(0, dd), correct);
  const rest = add(sliceAxis(a, ax, 1, n), cumsum(correct, ax));
  return concatenate([sliceAxis(a, ax, 0, 1), rest], ax);
}

/** Options of {@linkcode ediff1d}. */
export interface Ediff1dOptions {
  /** Values appended after the differences. */
  toEnd?: ArrayLike | null;
  /** Values prepended before the differences. */
  toBegin?: ArrayLike | null;
}

/**
 * The differences between consecutive elements of the flattened array, with
 * optional values before and after.
 *
 * @example
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.ediff1d(np.array([1, 4, 9]), { toBegin: 0 }).tolist(), [0, 3, 5]);
 * ```
 *
 * @param x The values (flattened).
 * @param options `toEnd`, `toBegin` (or, positionally, `toEnd`).
 * @param toBegin Values prepended (positional form).
 * @returns A 1-D array.
 */
export function ediff1d(
  x: ArrayLike,
  options?: Ediff1dOptions | ArrayLike | null,
  toBegin?: ArrayLike | null,
): NdArray {
  // NumPy's positional form: ediff1d(ary, to_end, to_begin).
  const positional = options === null || toBegin !== undefined || typeof options === "number" ||
    globalThis.Array.isArray(options) || isArrayValue(options);
  checkOptions("ediff1d", options, ["toEnd", "toBegin"]);
  const o: Ediff1dOptions = positional
    ? { toEnd: options as ArrayLike | null | undefined, toBegin }
    : readOptions("ediff1d", options as Ediff1dOptions | undefined, false);
  const a = asArray(x);
  const flat = P.reshape(a, [a.size]);
  const parts: NdArray[] = [];
  const flatOf = (v: ArrayLike): NdArray => {
    const b = asArray(v, flat.dtype === "bool" ? undefined : flat.dtype);
    return P.reshape(b, [b.size]);
  };
  if (o.toBegin !== undefined && o.toBegin !== null) parts.push(flatOf(o.toBegin));
  parts.push(
    flat.size < 2 ? P.reshape(sliceAxis(flat, 0, 0, 0), [0]) : diff(flat),
  );
  if (o.toEnd !== undefined && o.toEnd !== null) parts.push(flatOf(o.toEnd));
  return parts.length === 1 ? parts[0] : concatenate(parts, 0);
}

/**
 * Whether two arrays have the same shape and elements (a 0-d `bool` array;
 * with `equalNan`, NaNs in the same places count as equal).
 *
 * @example
 * ```ts
 * import { np } from "@nabla/ad";
 * import { equal } from "node:assert/strict";
 *
 * equal(np.arrayEqual([1, 2], [1, 2]).item(), true);
 * equal(np.arrayEqual([1, 2], [1, 2, 3]).item(), false);
 * ```
 *
 * @param x First array.
 * @param y Second array.
 * @param options `equalNan` (default false), or that boolean.
 * @returns A 0-d `bool` array.
 */
export function arrayEqual(
  x: ArrayLike,
  y: ArrayLike,
  options?: { equalNan?: boolean } | boolean,
): NdArray {
  checkOptions("arrayEqual", options, ["equalNan"]);
  const o = typeof options === "boolean"
    ? { equalNan: options }
    : readOptions("arrayEqual", options, false);
  const a = asArray(x), b = asArray(y);
  if (a.ndim !== b.ndim || a.shape.some((d, i) => d !== b.shape[i])) return scalarArray(0, "bool");
  let eq = equal(a, b);
  if (o.equalNan) eq = logicalOr(eq, logicalAnd(isnan(a), isnan(b)));
  return all(eq);
}

/**
 * Whether two arrays are equal after broadcasting (false when their shapes
 * do not broadcast).
 *
 * @example
 * ```ts
 * import { np } from "@nabla/ad";
 * import { equal } from "node:assert/strict";
 *
 * equal(np.arrayEquiv([1, 2], [[1, 2], [1, 2]]).item(), true);
 * ```
 *
 * @param x First array.
 * @param y Second array.
 * @returns A 0-d `bool` array.
 */
export function arrayEquiv(x: ArrayLike, y: ArrayLike): NdArray {
  const a = asArray(x), b = asArray(y);
  try {
    broadcastShapes(a.shape, b.shape);
  } catch {
    return scalarArray(0, "bool");
  }
  return all(equal(a, b));
}
