/**
 * `scipy`: JAX's `jax.scipy` — `scipy.special` (special functions) and
 * `scipy.signal` (N-dimensional convolutions), composed
 * from `np` and differentiable and batchable like everything else.
 *
 * @example The error function
 * ```ts
 * import { scipy } from "@nabla/ad";
 * import { equal } from "node:assert/strict";
 *
 * equal(scipy.special.erf(0).item(), 0);
 * ```
 *
 * @module
 */

export * as signal from "./signal.ts";
export * as special from "./special.ts";
