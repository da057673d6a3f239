/**
 * `nn` activations, composed from `np` (so `grad`, `jvp` and `vmap` apply to
 * all of them), with JAX's definitions: ReLU family, ELU, softplus, sigmoid,
 * SiLU/swish, GELU, tanh, softmax and log-softmax, logsumexp. Piecewise
 * definitions evaluate each branch on an input clamped to its domain (the
 * "double where"), so unselected branches cannot inject `0 · ∞ = NaN` into
 * gradients.
 *
 * @module
 */

import { type A, floating } from "./_args.ts";
import type { ArrayLike } from "../array/array.ts";
import * as np from "../numpy/index.ts";
import { stopGradient } from "../lax/ops.ts";
import { erfc } from "../scipy/special.ts";
import { customJvp } from "../transforms/custom.ts";
import { checkOptions } from "../core/options.ts";

// ---------------------------------------------------------------------------
// Rectifiers

/**
 * Rectified linear unit, `max(x, 0)`, elementwise. Its derivative at 0 is 0
 * (as JAX); NaN propagates.
 *
 * @example Values and the derivative at 0
 * ```ts
 * import { grad, nn, np } from "@nabla/ad";
 * import { deepEqual, equal } from "node:assert/strict";
 *
 * deepEqual(nn.relu(np.array([-2, 0, 3])).tolist(), [0, 0, 3]);
 * equal(grad(nn.relu)(0).item(), 0);
 * ```
 *
 * @param x Input.
 * @returns `max(x, 0)`.
 */
export function relu(x: ArrayLike): A {
  return reluRule(np.asarray(x));
}

// max(x, 0) with JAX's rule d = [x > 0] dx: 0 at 0 and at NaN, and itself differentiable (to 0).
const reluRule = customJvp((x: A): A => np.maximum(x, np.zerosLike(x)));
reluRule.defjvp(([x]: A[], [t]: A[]) => [
  reluRule(x),
  np.where(np.greater(x, 0), t, np.zerosLike(t)),
]);

/**
 * `min(max(x, 0), 6)`, elementwise; the derivative is 0 at 0 and at 6 (as
 * JAX).
 *
 * @example Clipped to [0, 6]
 * ```ts
 * import { nn, np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(nn.relu6(np.array([-1, 3, 7])).tolist(), [0, 3, 6]);
 * ```
 *
 * @param x Input.
 * @returns `min(max(x, 0), 6)`.
 */
export function relu6(x: ArrayLike): A {
  return relu6Rule(np.asarray(x));
}

// min(max(x, 0), 6) with JAX's rule d = [0 < x < 6] dx.
const relu6Rule = customJvp((x: A): A => np.minimum(np.maximum(x, np.zerosLike(x)), 6));
relu6Rule.defjvp(([x]: A[], [t]: A[]) => [
  relu6Rule(x),
  np.where(np.logicalAnd(np.greater(x, 0), np.less(x, 6)), t, np.zerosLike(t)),
]);

/**
 * Leaky rectifier: `x` where `x >= 0`, `negativeSlope · x` elsewhere.
 *
 * @example Default slope 0.01
 * ```ts
 * import { nn, np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(nn.leakyRelu(np.array([-100, 2])).tolist(), [-1, 2]);
 * ```
 *
 * @param x Input.
 * @param negativeSlope Slope for negative inputs (default 0.01).
 * @returns The leaky rectifier of `x`.
 */
export function leakyRelu(x: ArrayLike, negativeSlope: ArrayLike = 0.01): A {
  const a = np.asarray(x);
  return np.where(np.greaterEqual(a, 0), a, np.multiply(negativeSlope, a));
}

/**
 * Exponential linear unit: `x` where `x > 0`, `alpha · (eˣ - 1)` elsewhere
 * (with `expm1`, and finite gradients for any x).
 *
 * @example Saturates at -alpha
 * ```ts
 * import { nn, np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(nn.elu(np.array([-1000, 0, 2])).tolist(), [-1, 0, 2]);
 * ```
 *
 * @param x Input.
 * @param alpha Scale of the negative part (default 1).
 * @returns The ELU of `x`.
 */
export function elu(x: ArrayLike, alpha: ArrayLike = 1): A {
  const a = floating(x);
  const pos = np.greater(a, 0);
  const safe = np.where(pos, np.zerosLike(a), a);
  return np.where(pos, a, np.multiply(alpha, np.expm1(safe)));
}

// ---------------------------------------------------------------------------
// Sigmoids and smooth rectifiers

/**
 * `softplus(x) = log(1 + eˣ)`, elementwise, computed as `x + log1p(e⁻ˣ)` for
 * positive x and `log1p(eˣ)` otherwise (JAX's `logaddexp(x, 0)`): exact for
 * large |x|, with derivative `sigmoid(x)` everywhere.
 *
 * @example Large arguments
 * ```ts
 * import { nn } from "@nabla/ad";
 * import { equal } from "node:assert/strict";
 *
 * equal(nn.softplus(1000).item(), 1000);
 * equal(nn.softplus(-1000).item(), 0);
 * ```
 *
 * @param x Input.
 * @returns `log(1 + eˣ)`.
 */
export function softplus(x: ArrayLike): A {
  const a = floating(x);
  const pos = np.greater(a, 0);
  const zero = np.zerosLike(a);
  const xp = np.where(pos, a, zero);
  const xn = np.where(pos, zero, a);
  return np.where(
    pos,
    np.add(xp, np.log1p(np.exp(np.negative(xp)))),
    np.log1p(np.exp(xn)),
  );
}

/**
 * The logistic sigmoid `1 / (1 + e⁻ˣ)`, elementwise, computed as
 * `eˣ / (1 + eˣ)` for negative x so that neither branch overflows.
 *
 * @example Symmetric and saturating
 * ```ts
 * import { nn, np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(nn.sigmoid(np.array([-1000, 0, 1000])).tolist(), [0, 0.5, 1]);
 * ```
 *
 * @param x Input.
 * @returns `1 / (1 + e⁻ˣ)`.
 */
export function sigmoid(x: ArrayLike): A {
  const a = floating(x);
  const pos = np.greaterEqual(a, 0);
  const zero = np.zerosLike(a);
  const ep = np.exp(np.negative(np.where(pos, a, zero)));
  const en = np.exp(np.where(pos, zero, a));
  return np.where(pos, np.divide(1, np.add(1, ep)), np.divide(en, np.add(1, en)));
}

/**
 * `log(sigmoid(x)) = -softplus(-x)`, elementwise.
 *
 * @example No underflow to -∞
 * ```ts
 * import { nn } from "@nabla/ad";
 * import { equal } from "node:assert/strict";
 *
 * equal(nn.logSigmoid(-1000).item(), -1000);
 * equal(nn.logSigmoid(1000).item(), 0);
 * ```
 *
 * @param x Input.
 * @returns `log(sigmoid(x))`.
 */
export function logSigmoid(x: ArrayLike): A {
  return np.negative(softplus(np.negative(floating(x))));
}

/**
 * Sigmoid linear unit `x · sigmoid(x)`, elementwise (also called swish).
 *
 * @example Values
 * ```ts
 * import { nn, np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(nn.silu(np.array([-1000, 0, 1000])).tolist(), [-0, 0, 1000]);
 * ```
 *
 * @param x Input.
 * @returns `x · sigmoid(x)`.
 */
export function silu(x: ArrayLike): A {
  const a = floating(x);
  return np.multiply(a, sigmoid(a));
}

/**
 * Alias of {@linkcode silu}: `x · sigmoid(x)`.
 *
 * @example Same as silu
 * ```ts
 * import { nn } from "@nabla/ad";
 * import { equal } from "node:assert/strict";
 *
 * equal(nn.swish(2).item(), nn.silu(2).item());
 * ```
 *
 * @param x Input.
 * @returns `x · sigmoid(x)`.
 */
export function swish(x: ArrayLike): A {
  return silu(x);
}

/** Options of {@linkcode gelu}. */
export interface GeluOptions {
  /** Use the tanh approximation (default `true`, as JAX). */
  approximate?: boolean;
}

/**
 * Gaussian error linear unit, elementwise. With `approximate` (the default,
 * as `jax.nn.gelu`): `x/2 · (1 + tanh(√(2/π) (x + 0.044715 x³)))`; otherwise
 * the exact `x/2 · erfc(-x/√2)`, with `erfc` accurate to double precision.
 *
 * @example Exact and approximate
 * ```ts
 * import { nn } from "@nabla/ad";
 * import { ok } from "node:assert/strict";
 *
 * const exact = nn.gelu(1, { approximate: false }).item() as number;
 * ok(Math.abs(exact - 0.8413447460685429) < 1e-15);
 * ok(Math.abs((nn.gelu(1).item() as number) - 0.8411919906082768) < 1e-15);
 * ```
 *
 * @param x Input.
 * @param options `approximate`.
 * @returns The GELU of `x`.
 */
export function gelu(x: ArrayLike, options: GeluOptions = {}): A {
  checkOptions("gelu", options, ["approximate"]);
  const a = floating(x);
  if (options.approximate ?? true) {
    // tanh saturates to ±1 exactly beyond |x| = 100; clamping there keeps x³ and its
    // derivative finite for huge |x| without changing any value.
    const c = np.clip(a, -100, 100);
    const inner = np.multiply(
      Math.sqrt(2 / Math.PI),
      np.add(c, np.multiply(0.044715, np.multiply(np.multiply(c, c), c))),
    );
    return np.multiply(a, np.multiply(0.5, np.add(1, np.tanh(inner))));
  }
  // Beyond |x| = 40 the factor erfc(-x/√2)/2 is exactly 0 or 1; clamping keeps exp(-x²) and
  // its derivative finite for huge |x| without changing any value.
  const c = np.clip(a, -40, 40);
  return np.multiply(np.multiply(0.5, a), erfc(np.multiply(c, -Math.SQRT1_2)));
}

/**
 * Hyperbolic tangent, elementwise (`np.tanh`).
 *
 * @example Saturation
 * ```ts
 * import { nn } from "@nabla/ad";
 * import { equal } from "node:assert/strict";
 *
 * equal(nn.tanh(1000).item(), 1);
 * ```
 *
 * @param x Input.
 * @returns `tanh x`.
 */
export function tanh(x: ArrayLike): A {
  return np.tanh(x);
}

// ---------------------------------------------------------------------------
// Normalisers

/**
 * Softmax along `axis`: `exp(x - max) / Σ exp(x - max)`, with the maximum
 * held constant under differentiation (as JAX).
 *
 * @example Rows sum to 1, also for large logits
 * ```ts
 * import { nn, np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(nn.softmax(np.array([1000, 1000])).tolist(), [0.5, 0.5]);
 * ```
 *
 * @param x Input.
 * @param axis Axis (or axes) normalised over (default the last).
 * @returns Non-negative values summing to 1 along `axis`.
 */
export function softmax(x: ArrayLike, axis: number | readonly number[] = -1): A {
  const a = floating(x);
  if (a.size === 0) return np.subtract(a, a); // an empty axis: an empty result, as JAX
  const unnormalized = np.exp(np.subtract(a, stopGradient(np.max(a, axis, { keepdims: true }))));
  return np.divide(unnormalized, np.sum(unnormalized, axis, { keepdims: true }));
}

/**
 * Log-softmax along `axis`: `x - max - log Σ exp(x - max)`, with the
 * maximum held constant under differentiation (as JAX).
 *
 * @example Large logits
 * ```ts
 * import { nn, np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(nn.logSoftmax(np.array([0, 1000])).tolist(), [-1000, 0]);
 * ```
 *
 * @param x Input.
 * @param axis Axis (or axes) normalised over (default the last).
 * @returns `log(softmax(x, axis))`.
 */
export function logSoftmax(x: ArrayLike, axis: number | readonly number[] = -1): A {
  const a = floating(x);
  if (a.size === 0) return np.subtract(a, a); // an empty axis: an empty result, as JAX
  const shifted = np.subtract(a, stopGradient(np.max(a, axis, { keepdims: true })));
  return np.subtract(shifted, np.log(np.sum(np.exp(shifted), axis, { keepdims: true })));
}

/**
 * `log Σ exp(x)` over `axis` (all axes by default) without overflow
 * (`np.logsumexp`, JAX's `jax.nn.logsumexp`).
 *
 * @example Large arguments
 * ```ts
 * import { nn, np } from "@nabla/ad";
 * import { ok } from "node:assert/strict";
 *
 * const v = nn.logsumexp(np.array([1000, 1000])).item() as number;
 * ok(Math.abs(v - (1000 + Math.LN2)) < 1e-12);
 * ```
 *
 * @param x Input.
 * @param axis Axis or axes reduced (default all).
 * @param options `keepdims`.
 * @returns The log of the sum of exponentials.
 */
export function logsumexp(x: ArrayLike, axis?: np.Axis, options: np.KeepDimsOptions = {}): A {
  checkOptions("logsumexp", options, ["keepdims"]);
  return np.logsumexp(x, axis, options);
}
