/**
 * More elementwise functions and creation routines: `hypot`, `cbrt`,
 * `exp2`, `sinc`, `deg2rad`, `rad2deg`, `copysign`, `trunc`, `logspace`,
 * `identity` and `empty`. Composed from primitives (through the `np`
 * functions of `math.ts`), so every transformation applies.
 *
 * @module
 */

import type { ArrayLike, NdArray } from "../array/array.ts";
import { allocate, type DType, isFloat } from "../array/dtype.ts";
import { NdArray as ArrayClass } from "../array/array.ts";
import { customJvp } from "../transforms/custom.ts";
import { asArray, type DTypeOptions, promote, readOptions, scalarArray } from "./_convert.ts";
import { eye, linspace, type ShapeLike, zeros } from "./creation.ts";
import {
  abs,
  add,
  astype,
  ceil,
  divide,
  equal,
  floor,
  isfinite,
  isinf,
  less,
  logicalAnd,
  logicalOr,
  maximum,
  minimum,
  multiply,
  negative,
  power,
  sign,
  sin,
  sqrt,
  square,
  subtract,
  where,
} from "./math.ts";

/** `x` as an array, converted to `float64` unless it already is a float. */
function floatArg(x: ArrayLike): NdArray {
  const a = asArray(x);
  return isFloat(a.dtype) ? a : astype(a, "float64");
}

/** Both operands promoted, then to `float64` unless float. */
function floatArgs(x: ArrayLike, y: ArrayLike): [NdArray, NdArray] {
  const [a, b] = promote([x, y]);
  if (isFloat(a.dtype)) return [a, b];
  return [astype(a, "float64"), astype(b, "float64")];
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
  if (!isFloat(a.dtype)) return a;
  return where(less(a, 0), ceil(a), floor(a));
}

// ---------------------------------------------------------------------------
// Creation

/** Options of {@linkcode logspace}. */
export interface LogspaceOptions extends DTypeOptions {
  /** Whether `base ** stop` is the last sample (default `true`). */
  endpoint?: boolean;
  /** The base of the log space (default 10). */
  base?: number;
}

/**
 * `num` samples evenly spaced on a log scale: `base ** linspace(start,
 * stop, num)`, as NumPy computes them.
 *
 * @example Decades and octaves
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.logspace(0, 3, 4).tolist(), [1, 10, 100, 1000]);
 * deepEqual(np.logspace(0, 2, 3, { base: 2 }).tolist(), [1, 2, 4]);
 * ```
 *
 * @param start `base ** start` is the first sample.
 * @param stop `base ** stop` is the last sample (or the end, without `endpoint`).
 * @param num Number of samples (default 50).
 * @param opts `endpoint` (default `true`), `base` (default 10) and `dtype` (default `float64`).
 * @returns A 1-D array of `num` samples.
 */
export function logspace(
  start: number,
  stop: number,
  num = 50,
  opts: LogspaceOptions = {},
): NdArray {
  const o = readOptions("logspace", opts, false);
  const base = o.base ?? 10;
  if (typeof base !== "number") {
    throw new TypeError(`Invalid base for logspace: expected a number, got ${typeof base}`);
  }
  const exps = linspace(start, stop, num, { endpoint: o.endpoint ?? true });
  const dtype: DType = o.dtype ?? "float64";
  const src = exps.data as Float64Array;
  const data = allocate(dtype, num);
  for (let i = 0; i < num; i++) {
    const v = Math.pow(base, src[i]);
    data[i] = dtype === "int32" ? Math.trunc(v) : dtype === "bool" ? (v !== 0 ? 1 : 0) : v;
  }
  return new ArrayClass(data, [num], dtype);
}

/**
 * The `n × n` identity matrix.
 *
 * @example A 2 × 2 identity
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual, equal } from "node:assert/strict";
 *
 * deepEqual(np.identity(2).tolist(), [[1, 0], [0, 1]]);
 * equal(np.identity(2, "int32").dtype, "int32");
 * ```
 *
 * @param n Number of rows and columns.
 * @param opts `dtype` (default `float64`), or just a dtype name.
 * @returns An `n × n` array with ones on the diagonal.
 */
export function identity(n: number, opts?: DTypeOptions | DType): NdArray {
  const o = readOptions("identity", opts, true);
  return eye(n, n, { dtype: o.dtype });
}

/**
 * A new array of `shape`. Arrays are immutable, so there is nothing to leave
 * uninitialised: it is {@linkcode zeros} (as in JAX).
 *
 * @example An "empty" array
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.empty([2]).tolist(), [0, 0]);
 * ```
 *
 * @param shape The shape.
 * @param opts `dtype` (default `float64`), or just a dtype name.
 * @returns An array of zeros.
 */
export function empty(shape: ShapeLike, opts?: DTypeOptions | DType): NdArray {
  return zeros(shape, opts);
}
