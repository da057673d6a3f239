/**
 * `lax` special functions: one primitive each (`src/primitives/special.ts`),
 * on float arrays of one dtype, broadcasting, as `jax.lax` (`scipy.special`
 * has the promoting forms).
 *
 * @module
 */

import type { NdArray } from "../array/array.ts";
import { bind } from "../core/handler.ts";
import { divP, expP, log, mul, neg, sub } from "../primitives/elementwise.ts";
import * as sp from "../primitives/special.ts";
import { scalar } from "../array/create.ts";

/**
 * `log |Γ(x)|` (`jax.lax.lgamma`).
 *
 * @example log Γ(4) = log 6
 * ```ts
 * import { lax, np } from "@nabla/ad";
 * import { ok } from "node:assert/strict";
 *
 * ok(Math.abs((lax.lgamma(np.array(4)).item() as number) - Math.log(6)) < 1e-15);
 * ```
 *
 * @param x A float array.
 * @returns `log |Γ(x)|`.
 */
export function lgamma(x: NdArray): NdArray {
  return sp.lgamma(x);
}

/**
 * The digamma function ψ (`jax.lax.digamma`).
 *
 * @example ψ(1) = -γ
 * ```ts
 * import { lax, np } from "@nabla/ad";
 * import { ok } from "node:assert/strict";
 *
 * ok(Math.abs((lax.digamma(np.array(1)).item() as number) + 0.5772156649015329) < 1e-15);
 * ```
 *
 * @param x A float array.
 * @returns `ψ(x)`.
 */
export function digamma(x: NdArray): NdArray {
  return sp.digamma(x);
}

/**
 * `ψ⁽ᵐ⁾(x)` (`jax.lax.polygamma`); `m` holds integer values in the float dtype of `x`.
 *
 * @example The trigamma function at 1
 * ```ts
 * import { lax, np } from "@nabla/ad";
 * import { ok } from "node:assert/strict";
 *
 * ok(Math.abs((lax.polygamma(np.array(1), np.array(1)).item() as number) - Math.PI ** 2 / 6) < 1e-15);
 * ```
 *
 * @param m Orders (integer values).
 * @param x Arguments.
 * @returns `ψ⁽ᵐ⁾(x)`.
 */
export function polygamma(m: NdArray, x: NdArray): NdArray {
  return sp.polygamma(m, x);
}

/**
 * The Hurwitz zeta function ζ(x, q) (`jax.lax.zeta`).
 *
 * @example ζ(2, 1) = π²/6
 * ```ts
 * import { lax, np } from "@nabla/ad";
 * import { ok } from "node:assert/strict";
 *
 * ok(Math.abs((lax.zeta(np.array(2), np.array(1)).item() as number) - Math.PI ** 2 / 6) < 1e-15);
 * ```
 *
 * @param x Exponents.
 * @param q Shifts.
 * @returns `ζ(x, q)`.
 */
export function zeta(x: NdArray, q: NdArray): NdArray {
  return sp.zeta(x, q);
}

/**
 * The regularised lower incomplete gamma function P(a, x) (`jax.lax.igamma`).
 *
 * @example P(1, x) = 1 - e⁻ˣ
 * ```ts
 * import { lax, np } from "@nabla/ad";
 * import { ok } from "node:assert/strict";
 *
 * ok(Math.abs((lax.igamma(np.array(1), np.array(2)).item() as number) - (1 - Math.exp(-2))) < 1e-15);
 * ```
 *
 * @param a Shapes.
 * @param x Upper limits.
 * @returns `P(a, x)`.
 */
export function igamma(a: NdArray, x: NdArray): NdArray {
  return sp.igamma(a, x);
}

/**
 * The regularised upper incomplete gamma function Q(a, x) (`jax.lax.igammac`).
 *
 * @example Q(1, x) = e⁻ˣ
 * ```ts
 * import { lax, np } from "@nabla/ad";
 * import { ok } from "node:assert/strict";
 *
 * ok(Math.abs((lax.igammac(np.array(1), np.array(2)).item() as number) / Math.exp(-2) - 1) < 1e-15);
 * ```
 *
 * @param a Shapes.
 * @param x Lower limits.
 * @returns `Q(a, x)`.
 */
export function igammac(a: NdArray, x: NdArray): NdArray {
  return sp.igammac(a, x);
}

/**
 * ∂P(a, x)/∂a (`jax.lax.igamma_grad_a`; not differentiable further, as JAX).
 *
 * @example Against a central difference
 * ```ts
 * import { lax, np, scipy } from "@nabla/ad";
 * import { ok } from "node:assert/strict";
 *
 * const h = 1e-5;
 * const fd = ((scipy.special.gammainc(2 + h, 1).item() as number) -
 *   (scipy.special.gammainc(2 - h, 1).item() as number)) / (2 * h);
 * ok(Math.abs((lax.igammaGradA(np.array(2), np.array(1)).item() as number) - fd) < 1e-9);
 * ```
 *
 * @param a Shapes.
 * @param x Upper limits.
 * @returns `∂P/∂a`.
 */
export function igammaGradA(a: NdArray, x: NdArray): NdArray {
  return sp.igammaGradA(a, x);
}

/**
 * The derivative of a gamma variate x of shape a with respect to a, by
 * implicit differentiation of its CDF: `-(∂P/∂a) / (∂P/∂x)`
 * (`jax.lax.random_gamma_grad`, behind `random.gamma`'s gradient).
 *
 * @example a = 1: x = -log(1 - u) does not depend on a, but its quantile's slope does
 * ```ts
 * import { lax, np } from "@nabla/ad";
 * import { ok } from "node:assert/strict";
 *
 * const g = lax.randomGammaGrad(np.array(1), np.array(0.5)).item() as number;
 * ok(Number.isFinite(g) && g > 0);
 * ```
 *
 * @param a Shapes.
 * @param x Samples.
 * @returns `dx/da`.
 */
export function randomGammaGrad(a: NdArray, x: NdArray): NdArray {
  const one = scalar(1, a.dtype);
  // ∂P/∂x = x^{a-1} e^{-x} / Γ(a)
  const logDensity = sub(sub(mul(sub(a, one), log(x)), x), sp.lgamma(a));
  const density = bind(expP, [logDensity], undefined);
  return neg(bind(divP, [sp.igammaGradA(a, x), density], undefined));
}

/**
 * `e^{-|x|} I₀(x)` (`jax.lax.bessel_i0e`).
 *
 * @example At 0
 * ```ts
 * import { lax, np } from "@nabla/ad";
 * import { equal } from "node:assert/strict";
 *
 * equal(lax.besselI0e(np.array(0)).item(), 1);
 * ```
 *
 * @param x A float array.
 * @returns `e^{-|x|} I₀(x)`.
 */
export function besselI0e(x: NdArray): NdArray {
  return sp.besselI0e(x);
}

/**
 * `e^{-|x|} I₁(x)` (`jax.lax.bessel_i1e`).
 *
 * @example At 0
 * ```ts
 * import { lax, np } from "@nabla/ad";
 * import { equal } from "node:assert/strict";
 *
 * equal(lax.besselI1e(np.array(0)).item(), 0);
 * ```
 *
 * @param x A float array.
 * @returns `e^{-|x|} I₁(x)`.
 */
export function besselI1e(x: NdArray): NdArray {
  return sp.besselI1e(x);
}

/**
 * The regularised incomplete beta function I_x(a, b)
 * (`jax.lax.regularized_incomplete_beta`; differentiable in x only).
 *
 * @example I_x(1, 1) = x
 * ```ts
 * import { lax, np } from "@nabla/ad";
 * import { ok } from "node:assert/strict";
 *
 * const y = lax.regularizedIncompleteBeta(np.array(1), np.array(1), np.array(0.3));
 * ok(Math.abs((y.item() as number) - 0.3) < 1e-15);
 * ```
 *
 * @param a First shapes.
 * @param b Second shapes.
 * @param x Points in [0, 1].
 * @returns `I_x(a, b)`.
 */
export function regularizedIncompleteBeta(a: NdArray, b: NdArray, x: NdArray): NdArray {
  return sp.betainc(a, b, x);
}
