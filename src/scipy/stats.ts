/**
 * `scipy.stats`: JAX's `jax.scipy.stats` distributions — `norm`,
 * `multivariateNormal`, `t`, `gamma`, `beta`, `poisson`, `bernoulli` — each a
 * namespace of the functions JAX has for it (`pdf`, `logpdf`, `cdf`, `ppf`, …),
 * composed from `np` and `scipy.special`, so differentiable and batchable.
 *
 * @example The normal CDF
 * ```ts
 * import { scipy } from "@nabla/ad";
 * import { equal } from "node:assert/strict";
 *
 * equal(scipy.stats.norm.cdf(0).item(), 0.5);
 * ```
 *
 * @module
 */

export * as norm from "./stats/norm.ts";
export * as multivariateNormal from "./stats/multivariate_normal.ts";
export * as t from "./stats/t.ts";
export * as gamma from "./stats/gamma.ts";
export * as beta from "./stats/beta.ts";
export * as poisson from "./stats/poisson.ts";
export * as bernoulli from "./stats/bernoulli.ts";
