/**
 * `nn`: neural-network activations and losses, composed from `np` (so `grad`,
 * `jvp` and `vmap` apply to all of them), with JAX's definitions and
 * conventions (`jax.nn`, `optax` for the losses).
 *
 * Every function is numerically stable for large |x|: where the true value or
 * derivative is finite, so is the computed one — also at ±1e3 and ±1e300 and
 * for higher derivatives. Piecewise definitions evaluate each branch on an
 * input clamped to that branch's domain (the "double where"), so a branch that
 * is not selected cannot inject `0 · ∞ = NaN` into a gradient.
 *
 * @example Stable activations and their derivatives at large |x|
 * ```ts
 * import { grad, nn, np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * const x = np.array([-1000, 0, 1000]);
 * deepEqual(nn.softplus(x).tolist(), [0, Math.LN2, 1000]);
 * deepEqual(grad((x) => np.sum(nn.softplus(x)))(x).tolist(), [0, 0.5, 1]);
 * ```
 *
 * @module
 */

export * from "./activations.ts";
export * from "./functions.ts";
export * from "./losses.ts";
export * from "./attention.ts";
export * as initializers from "./initializers.ts";
