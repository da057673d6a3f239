/**
 * `scipy.stats.gamma`: the gamma distribution with shape `a`, `loc` and
 * `scale`, as `jax.scipy.stats.gamma`.
 *
 * @module
 */

import type { ArrayLike } from "../../array/array.ts";
import * as np from "../../numpy/index.ts";
import { gammainc, gammaincc, gammaln, xlogy } from "../special.ts";
import { type A, floats } from "./_args.ts";

/**
 * The log density `(a - 1) log y - y - log Γ(a) - log scale`, `y = (x - loc)/scale`
 * (`-∞` below `loc`).
 *
 * @example a = 1 is the exponential distribution
 * ```ts
 * import { scipy } from "@nabla/ad";
 * import { ok } from "node:assert/strict";
 *
 * ok(Math.abs((scipy.stats.gamma.logpdf(2, 1).item() as number) + 2) < 1e-15);
 * ```
 *
 * @param x Points.
 * @param a Shape.
 * @param loc Location (default 0).
 * @param scale Scale (default 1).
 * @returns `log p(x)`.
 */
export function logpdf(x: ArrayLike, a: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): A {
  const [xa, aa, l, s] = floats(x, a, loc, scale);
  const ok = np.greaterEqual(xa, l);
  const y = np.where(ok, np.divide(np.subtract(xa, l), s), 1);
  const linear = np.subtract(xlogy(np.subtract(aa, 1), y), y);
  const shape = np.add(gammaln(aa), np.log(s));
  return np.where(ok, np.subtract(linear, shape), -Infinity);
}

/**
 * The density `exp(logpdf(x, a, loc, scale))`.
 *
 * @example Zero below loc
 * ```ts
 * import { scipy } from "@nabla/ad";
 * import { equal } from "node:assert/strict";
 *
 * equal(scipy.stats.gamma.pdf(-1, 2).item(), 0);
 * ```
 *
 * @param x Points.
 * @param a Shape.
 * @param loc Location (default 0).
 * @param scale Scale (default 1).
 * @returns `p(x)`.
 */
export function pdf(x: ArrayLike, a: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): A {
  return np.exp(logpdf(x, a, loc, scale));
}

/**
 * The CDF `P(a, max(y, 0))`, `y = (x - loc)/scale`.
 *
 * @example The exponential CDF
 * ```ts
 * import { scipy } from "@nabla/ad";
 * import { ok } from "node:assert/strict";
 *
 * ok(Math.abs((scipy.stats.gamma.cdf(1, 1).item() as number) - (1 - Math.exp(-1))) < 1e-14);
 * ```
 *
 * @param x Points.
 * @param a Shape.
 * @param loc Location (default 0).
 * @param scale Scale (default 1).
 * @returns `P(X ≤ x)`.
 */
export function cdf(x: ArrayLike, a: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): A {
  const [xa, aa, l, s] = floats(x, a, loc, scale);
  return gammainc(aa, np.maximum(np.divide(np.subtract(xa, l), s), 0));
}

/**
 * `log cdf(x, a, loc, scale)`.
 *
 * @example log(1 - e⁻¹)
 * ```ts
 * import { scipy } from "@nabla/ad";
 * import { ok } from "node:assert/strict";
 *
 * ok(Math.abs((scipy.stats.gamma.logcdf(1, 1).item() as number) - Math.log(1 - Math.exp(-1))) < 1e-14);
 * ```
 *
 * @param x Points.
 * @param a Shape.
 * @param loc Location (default 0).
 * @param scale Scale (default 1).
 * @returns `log P(X ≤ x)`.
 */
export function logcdf(x: ArrayLike, a: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): A {
  return np.log(cdf(x, a, loc, scale));
}

/**
 * The survival function `Q(a, y)` (1 below `loc`), accurate where tiny.
 *
 * @example The exponential tail
 * ```ts
 * import { scipy } from "@nabla/ad";
 * import { ok } from "node:assert/strict";
 *
 * ok(Math.abs((scipy.stats.gamma.sf(40, 1).item() as number) / Math.exp(-40) - 1) < 1e-14);
 * ```
 *
 * @param x Points.
 * @param a Shape.
 * @param loc Location (default 0).
 * @param scale Scale (default 1).
 * @returns `P(X > x)`.
 */
export function sf(x: ArrayLike, a: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): A {
  const [xa, aa, l, s] = floats(x, a, loc, scale);
  const y = np.divide(np.subtract(xa, l), s);
  const neg = np.less(y, 0);
  return np.where(neg, 1, gammaincc(aa, np.where(neg, 0, y)));
}

/**
 * `log sf(x, a, loc, scale)`.
 *
 * @example The exponential tail in log space
 * ```ts
 * import { scipy } from "@nabla/ad";
 * import { ok } from "node:assert/strict";
 *
 * ok(Math.abs((scipy.stats.gamma.logsf(40, 1).item() as number) + 40) < 1e-13);
 * ```
 *
 * @param x Points.
 * @param a Shape.
 * @param loc Location (default 0).
 * @param scale Scale (default 1).
 * @returns `log P(X > x)`.
 */
export function logsf(x: ArrayLike, a: ArrayLike, loc: ArrayLike = 0, scale: ArrayLike = 1): A {
  return np.log(sf(x, a, loc, scale));
}
