/**
 * `scipy.stats.norm`: the normal distribution with `loc` (mean) and `scale`
 * (standard deviation), as `jax.scipy.stats.norm`.
 *
 * @module
 */

import type { ArrayLike } from "../../array/array.ts";
import * as np from "../../numpy/index.ts";
import { logNdtr, ndtr, ndtri } from "../special.ts";
import { type A, floats } from "./_args.ts";

/**
 * The log density `-((x - loc)/scale)²/2 - log(√(2π) scale)`.
 *
 * @example The standard normal at 0
 * ```ts
 * import { scipy } from "@nabla/ad";
 * import { ok } from "node:assert/strict";
 *
 * ok(Math.abs((scipy.stats.norm.logpdf(0).item() as number) + 0.5 * Math.log(2 * Math.PI)) < 1e-15);
 * ```
 *
 * @param x Points.
 * @param loc Mean (default 0).
 * @param scale Standard deviation (default 1).
 * @returns `log p(x)`.
 */
export function logpdf(x: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): A {
  const [xa, l, s] = floats(x, loc, scale);
  const s2 = np.square(s);
  const lognorm = np.log(np.multiply(2 * Math.PI, s2));
  const quad = np.divide(np.square(np.subtract(xa, l)), s2);
  return np.divide(np.add(lognorm, quad), -2);
}

/**
 * The density `exp(logpdf(x, loc, scale))`.
 *
 * @example At the mean
 * ```ts
 * import { scipy } from "@nabla/ad";
 * import { ok } from "node:assert/strict";
 *
 * ok(Math.abs((scipy.stats.norm.pdf(1, 1, 2).item() as number) - 1 / (2 * Math.sqrt(2 * Math.PI))) < 1e-16);
 * ```
 *
 * @param x Points.
 * @param loc Mean (default 0).
 * @param scale Standard deviation (default 1).
 * @returns `p(x)`.
 */
export function pdf(x: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): A {
  return np.exp(logpdf(x, loc, scale));
}

/**
 * The CDF `Φ((x - loc)/scale)`.
 *
 * @example Half below the mean
 * ```ts
 * import { scipy } from "@nabla/ad";
 * import { equal } from "node:assert/strict";
 *
 * equal(scipy.stats.norm.cdf(3, 3, 2).item(), 0.5);
 * ```
 *
 * @param x Points.
 * @param loc Mean (default 0).
 * @param scale Standard deviation (default 1).
 * @returns `P(X ≤ x)`.
 */
export function cdf(x: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): A {
  const [xa, l, s] = floats(x, loc, scale);
  return ndtr(np.divide(np.subtract(xa, l), s));
}

/**
 * `log Φ((x - loc)/scale)`, accurate far in both tails.
 *
 * @example Far in the lower tail
 * ```ts
 * import { scipy } from "@nabla/ad";
 * import { ok } from "node:assert/strict";
 *
 * ok((scipy.stats.norm.logcdf(-50).item() as number) < -1250);
 * ```
 *
 * @param x Points.
 * @param loc Mean (default 0).
 * @param scale Standard deviation (default 1).
 * @returns `log P(X ≤ x)`.
 */
export function logcdf(x: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): A {
  const [xa, l, s] = floats(x, loc, scale);
  return logNdtr(np.divide(np.subtract(xa, l), s));
}

/**
 * The survival function `1 - cdf`, as `cdf(-x, -loc, scale)` (no cancellation).
 *
 * @example The upper tail
 * ```ts
 * import { scipy } from "@nabla/ad";
 * import { ok } from "node:assert/strict";
 *
 * ok(Math.abs((scipy.stats.norm.sf(10).item() as number) / 7.61985302416047e-24 - 1) < 1e-13);
 * ```
 *
 * @param x Points.
 * @param loc Mean (default 0).
 * @param scale Standard deviation (default 1).
 * @returns `P(X > x)`.
 */
export function sf(x: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): A {
  const [xa, l, s] = floats(x, loc, scale);
  return cdf(np.negative(xa), np.negative(l), s);
}

/**
 * `log sf(x)`, as `logcdf(-x, -loc, scale)`.
 *
 * @example log ½
 * ```ts
 * import { scipy } from "@nabla/ad";
 * import { equal } from "node:assert/strict";
 *
 * equal(scipy.stats.norm.logsf(0).item(), -Math.LN2);
 * ```
 *
 * @param x Points.
 * @param loc Mean (default 0).
 * @param scale Standard deviation (default 1).
 * @returns `log P(X > x)`.
 */
export function logsf(x: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): A {
  const [xa, l, s] = floats(x, loc, scale);
  return logcdf(np.negative(xa), np.negative(l), s);
}

/**
 * The quantile function `ndtri(q) · scale + loc`.
 *
 * @example The 97.5% quantile
 * ```ts
 * import { scipy } from "@nabla/ad";
 * import { ok } from "node:assert/strict";
 *
 * ok(Math.abs((scipy.stats.norm.ppf(0.975).item() as number) - 1.959963984540054) < 1e-14);
 * ```
 *
 * @param q Probabilities.
 * @param loc Mean (default 0).
 * @param scale Standard deviation (default 1).
 * @returns `x` with `P(X ≤ x) = q`.
 */
export function ppf(q: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): A {
  const [qa, l, s] = floats(q, loc, scale);
  return np.add(np.multiply(ndtri(qa), s), l);
}

/**
 * The inverse survival function `ppf(1 - q, loc, scale)`.
 *
 * @example The upper 2.5% point
 * ```ts
 * import { scipy } from "@nabla/ad";
 * import { ok } from "node:assert/strict";
 *
 * ok(Math.abs((scipy.stats.norm.isf(0.025).item() as number) - 1.959963984540054) < 1e-14);
 * ```
 *
 * @param q Probabilities.
 * @param loc Mean (default 0).
 * @param scale Standard deviation (default 1).
 * @returns `x` with `P(X > x) = q`.
 */
export function isf(q: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): A {
  const [qa, l, s] = floats(q, loc, scale);
  return ppf(np.subtract(1, qa), l, s);
}
