/**
 * `scipy.stats.t`: Student's t distribution with `df` degrees of freedom,
 * `loc` and `scale`, as `jax.scipy.stats.t` (`logpdf`, `pdf`).
 *
 * @module
 */

import type { ArrayLike } from "../../array/array.ts";
import * as np from "../../numpy/index.ts";
import { gammaln } from "../special.ts";
import { type A, floats } from "./_args.ts";

/**
 * The log density `log Γ((ν+1)/2) - log Γ(ν/2) - ½ log(νπ scale²) - (ν+1)/2 · log1p(z²/ν)`,
 * `z = (x - loc)/scale`.
 *
 * @example One degree of freedom is Cauchy
 * ```ts
 * import { scipy } from "@nabla/ad";
 * import { ok } from "node:assert/strict";
 *
 * ok(Math.abs((scipy.stats.t.pdf(1, 1).item() as number) - 1 / (2 * Math.PI)) < 1e-16);
 * ```
 *
 * @param x Points.
 * @param df Degrees of freedom.
 * @param loc Location (default 0).
 * @param scale Scale (default 1).
 * @returns `log p(x)`.
 */
export function logpdf(x: ArrayLike, df: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): A {
  const [xa, nu, l, s] = floats(x, df, loc, scale);
  const z = np.divide(np.subtract(xa, l), s);
  const half = np.divide(nu, 2);
  const halfPlus = np.add(half, 0.5);
  const norm = np.subtract(
    np.add(
      gammaln(half),
      np.divide(np.log(np.multiply(np.multiply(np.square(s), Math.PI), nu)), 2),
    ),
    gammaln(halfPlus),
  );
  return np.negative(np.add(norm, np.multiply(halfPlus, np.log1p(np.divide(np.square(z), nu)))));
}

/**
 * The density `exp(logpdf(x, df, loc, scale))`.
 *
 * @example Symmetric about loc
 * ```ts
 * import { scipy } from "@nabla/ad";
 * import { equal } from "node:assert/strict";
 *
 * equal(scipy.stats.t.pdf(1.5, 3, 1).item(), scipy.stats.t.pdf(0.5, 3, 1).item());
 * ```
 *
 * @param x Points.
 * @param df Degrees of freedom.
 * @param loc Location (default 0).
 * @param scale Scale (default 1).
 * @returns `p(x)`.
 */
export function pdf(x: ArrayLike, df: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): A {
  return np.exp(logpdf(x, df, loc, scale));
}
