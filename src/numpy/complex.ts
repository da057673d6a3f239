/**
 * Complex numbers in `np`: `real`, `imag`, `conj`/`conjugate`, `angle`,
 * `iscomplexobj`, `isrealobj`, and `complex` (`lax.complex`). Complex arrays
 * are `complex64`/`complex128`; `tolist()` gives `{ re, im }` objects.
 *
 * @module
 */

import { type ArrayLike, NdArray } from "../array/array.ts";
import { complexDTypeOf, inexactDTypeOf, isComplex, isFloat } from "../array/dtype.ts";
import { convert } from "../primitives/elementwise.ts";
import * as F from "../primitives/fft.ts";
import { asArray, promote } from "./_args.ts";
import {
  abs as absReal,
  add,
  arctan2,
  copysign,
  cos,
  divide,
  equal,
  exp,
  greaterEqual,
  hypot,
  log,
  maximum,
  multiply,
  sin,
  sqrt,
  subtract,
  where,
} from "./math.ts";
import { broadcastArrays } from "./manipulation.ts";
import { checkOptions } from "../core/options.ts";

/**
 * `x` as a complex array (floats keep their precision; `int32` and bools become
 * `complex128`, the smaller integers and `uint32` `complex64`, as their floats).
 */
export function asComplex(x: ArrayLike): NdArray {
  const a = asArray(x);
  return isComplex(a.dtype) ? a : convert(a, complexDTypeOf(inexactDTypeOf(a.dtype)));
}

/**
 * The complex array `re + i·im` (JAX's `lax.complex`): the parts broadcast
 * and promote to one float dtype; `float32` parts give `complex64`, others
 * `complex128`.
 *
 * @example Building a complex array
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual, equal } from "node:assert/strict";
 *
 * const z = np.complex([1, 2], 3);
 * equal(z.dtype, "complex128");
 * deepEqual(z.tolist(), [{ re: 1, im: 3 }, { re: 2, im: 3 }]);
 * ```
 *
 * @param re The real parts.
 * @param im The imaginary parts.
 * @returns The complex array.
 */
export function complex(re: ArrayLike, im: ArrayLike): NdArray {
  let [a, b] = promote([re, im]);
  if (isComplex(a.dtype)) {
    throw new TypeError(`Invalid parts for complex: expected real arrays, got ${a.dtype}`);
  }
  if (!isFloat(a.dtype)) [a, b] = [convert(a, "float64"), convert(b, "float64")];
  [a, b] = broadcastArrays(a, b);
  return F.complex(a, b);
}

/**
 * The real part (a real array is returned as it is).
 *
 * @example Real and imaginary parts
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * const z = np.complex([1, 2], [3, -4]);
 * deepEqual(np.real(z).tolist(), [1, 2]);
 * deepEqual(np.imag(z).tolist(), [3, -4]);
 * ```
 *
 * @param x The input.
 * @returns Its real part, of the real dtype of the parts.
 */
export function real(x: ArrayLike): NdArray {
  const a = asArray(x);
  return isComplex(a.dtype) ? F.real(a) : a;
}

/**
 * The imaginary part (zeros for a real array).
 *
 * @example The imaginary part of a real array
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.imag([1.5, 2]).tolist(), [0, 0]);
 * ```
 *
 * @param x The input.
 * @returns Its imaginary part.
 */
export function imag(x: ArrayLike): NdArray {
  const a = asArray(x);
  if (isComplex(a.dtype)) return F.imag(a);
  return F.imag(asComplex(a));
}

/**
 * The complex conjugate (a real array is returned as it is).
 *
 * @example Conjugates
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.conj(np.complex(1, 2)).tolist(), { re: 1, im: -2 });
 * ```
 *
 * @param x The input.
 * @returns `re − i·im`.
 */
export function conj(x: ArrayLike): NdArray {
  const a = asArray(x);
  return isComplex(a.dtype) ? F.conj(a) : a;
}

/**
 * The complex conjugate (NumPy's other name for {@linkcode conj}).
 *
 * @example The same as conj
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.conjugate(np.complex(0, 1)).tolist(), { re: 0, im: -1 });
 * ```
 *
 * @param x The input.
 * @returns `re − i·im`.
 */
export function conjugate(x: ArrayLike): NdArray {
  return conj(x);
}

/**
 * The argument `atan2(im, re)` of each element, in radians (or degrees).
 *
 * @example Arguments
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.angle(np.complex([1, 0, -1], [0, 1, 0])).tolist(), [0, Math.PI / 2, Math.PI]);
 * deepEqual(np.angle(np.complex(0, 1), { deg: true }).tolist(), 90);
 * ```
 *
 * @param x The input (real inputs have argument 0 or π).
 * @param opts `deg`: degrees instead of radians.
 * @returns The arguments, real.
 */
export function angle(x: ArrayLike, opts: { deg?: boolean } = {}): NdArray {
  checkOptions("angle", opts, ["deg"]);
  const a = asArray(x);
  const z = isComplex(a.dtype) ? a : asComplex(isFloat(a.dtype) ? a : convert(a, "float64"));
  const t = arctan2(F.imag(z), F.real(z));
  return opts.deg === true ? t.mul(180 / Math.PI) : t;
}

/**
 * The modulus `|z|` of complex elements, by `hypot` (no overflow); used by
 * `np.abs` for complex input.
 *
 * @param z A complex array.
 * @returns `|z|`, real.
 */
export function complexAbs(z: NdArray): NdArray {
  return hypot(F.real(z), F.imag(z));
}

/**
 * Whether `x` has a complex dtype.
 *
 * @example Complex or not
 * ```ts
 * import { np } from "@nabla/ad";
 * import { equal } from "node:assert/strict";
 *
 * equal(np.iscomplexobj(np.complex(1, 0)), true);
 * equal(np.iscomplexobj([1, 2]), false);
 * ```
 *
 * @param x The input.
 * @returns `true` for `complex64`/`complex128` arrays.
 */
export function iscomplexobj(x: ArrayLike): boolean {
  return x instanceof NdArray && isComplex(x.dtype);
}

/**
 * Whether `x` does not have a complex dtype.
 *
 * @example Real or not
 * ```ts
 * import { np } from "@nabla/ad";
 * import { equal } from "node:assert/strict";
 *
 * equal(np.isrealobj([1, 2]), true);
 * ```
 *
 * @param x The input.
 * @returns `false` for `complex64`/`complex128` arrays.
 */
export function isrealobj(x: ArrayLike): boolean {
  return !iscomplexobj(x);
}

// ---------------------------------------------------------------------------
// Complex arithmetic composed from the parts: differentiable and batchable
// through the real primitives (the gradients follow from `complex`/`real`/
// `imag`'s rules); `np.multiply`, `divide`, `exp`, `log` and `sqrt` use these
// for complex operands.

/** Real and imaginary parts of `z`, a complex array. */
function partsOf(z: NdArray): [NdArray, NdArray] {
  return [F.real(z), F.imag(z)];
}

/** `(a + bi)(c + di) = (ac − bd) + (ad + bc)i`, broadcasting. */
export function complexMultiply(x: NdArray, y: NdArray): NdArray {
  const [a, b] = partsOf(x);
  const [c, d] = partsOf(y);
  return complex(subtract(multiply(a, c), multiply(b, d)), add(multiply(a, d), multiply(b, c)));
}

/**
 * `x / y = x · conj(y') / (|y'|² s)` with `y' = y / s`, `s = max(|Re y|, |Im y|)`
 * (so `|y|²` cannot overflow or underflow), broadcasting.
 */
export function complexDivide(x: NdArray, y: NdArray): NdArray {
  const [a, b] = partsOf(x);
  const [c, d] = partsOf(y);
  const s = maximum(absReal(c), absReal(d));
  const cs = divide(c, s);
  const ds = divide(d, s);
  const den = multiply(add(multiply(cs, cs), multiply(ds, ds)), s);
  return complex(
    divide(add(multiply(a, cs), multiply(b, ds)), den),
    divide(subtract(multiply(b, cs), multiply(a, ds)), den),
  );
}

/** `e^{a + bi} = e^a (cos b + i sin b)`. */
export function complexExp(z: NdArray): NdArray {
  const [a, b] = partsOf(z);
  const e = exp(a);
  return complex(multiply(e, cos(b)), multiply(e, sin(b)));
}

/** Principal `log z = log|z| + i arg z` (the branch cut on the negative reals). */
export function complexLog(z: NdArray): NdArray {
  const [a, b] = partsOf(z);
  return complex(log(hypot(a, b)), arctan2(b, a));
}

/**
 * Principal `√z`: `t = √((|a| + |z|)/2)`, then `(t, b/2t)` for `a ≥ 0` and
 * `(|b|/2t, ±t)` (the sign of `b`) otherwise — no cancellation.
 */
export function complexSqrt(z: NdArray): NdArray {
  const [a, b] = partsOf(z);
  const t = sqrt(multiply(add(absReal(a), hypot(a, b)), 0.5));
  const safe = where(equal(t, 0), 1, t);
  const u = where(equal(t, 0), 0, divide(absReal(b), multiply(safe, 2)));
  const pos = greaterEqual(a, 0);
  return complex(where(pos, t, u), copysign(where(pos, u, t), b));
}
