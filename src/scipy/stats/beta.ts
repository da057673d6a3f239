/**
 * `scipy.stats.beta`: the beta distribution with shapes `a`, `b`, `loc` and
 * `scale`, as `jax.scipy.stats.beta`.
 *
 * @module
 */

import type { ArrayLike } from "../../array/array.ts";
import * as np from "../../numpy/index.ts";
import { betainc, betaln, xlog1py, xlogy } from "../special.ts";
import { type A, floats } from "./_args.ts";

/**
 * The log density `(a-1) log y + (b-1) log(1-y) - log B(a, b) - log scale`,
 * `y = (x - loc)/scale`; `-∞` outside `[loc, loc + scale]`, NaN for
 * non-positive `a`, `b` or `scale`.
 *
 * @example Beta(1, 1) is uniform
 * ```ts
 * import { scipy } from "@nabla/ad";
 * import { equal } from "node:assert/strict";
 *
 * equal(scipy.stats.beta.logpdf(0.3, 1, 1).item(), 0);
 * ```
 *
 * @param x Points.
 * @param a First shape.
 * @param b Second shape.
 * @param loc Location (default 0).
 * @param scale Scale (default 1).
 * @returns `log p(x)`.
 */
export function logpdf(
  x: ArrayLike,
  a: ArrayLike,
  b: ArrayLike,
  loc: ArrayLike = 0,
  scale: ArrayLike = 1,
): A {
  const [xa, aa, ba, l, s] = floats(x, a, b, loc, scale);
  const y = np.divide(np.subtract(xa, l), s);
  const linear = np.add(xlogy(np.subtract(aa, 1), y), xlog1py(np.subtract(ba, 1), np.negative(y)));
  const logp = np.subtract(np.subtract(linear, betaln(aa, ba)), np.log(s));
  const outside = np.logicalOr(np.greater(xa, np.add(l, s)), np.less(xa, l));
  const bad = np.logicalOr(
    np.logicalOr(np.lessEqual(aa, 0), np.lessEqual(ba, 0)),
    np.lessEqual(s, 0),
  );
  return np.where(bad, NaN, np.where(outside, -Infinity, logp));
}

/**
 * The density `exp(logpdf(x, a, b, loc, scale))`.
 *
 * @example Beta(2, 2) at ½
 * ```ts
 * import { scipy } from "@nabla/ad";
 * import { ok } from "node:assert/strict";
 *
 * ok(Math.abs((scipy.stats.beta.pdf(0.5, 2, 2).item() as number) - 1.5) < 1e-15);
 * ```
 *
 * @param x Points.
 * @param a First shape.
 * @param b Second shape.
 * @param loc Location (default 0).
 * @param scale Scale (default 1).
 * @returns `p(x)`.
 */
export function pdf(
  x: ArrayLike,
  a: ArrayLike,
  b: ArrayLike,
  loc: ArrayLike = 0,
  scale: ArrayLike = 1,
): A {
  return np.exp(logpdf(x, a, b, loc, scale));
}

function clipped(x: A, l: A, s: A): A {
  return np.clip(np.divide(np.subtract(x, l), s), 0, 1);
}

/**
 * The CDF `I_y(a, b)`, `y = (x - loc)/scale` clipped to [0, 1]
 * (differentiable in `x` only, as JAX).
 *
 * @example Beta(1, 1) is uniform
 * ```ts
 * import { scipy } from "@nabla/ad";
 * import { ok } from "node:assert/strict";
 *
 * ok(Math.abs((scipy.stats.beta.cdf(0.3, 1, 1).item() as number) - 0.3) < 1e-15);
 * ```
 *
 * @param x Points.
 * @param a First shape.
 * @param b Second shape.
 * @param loc Location (default 0).
 * @param scale Scale (default 1).
 * @returns `P(X ≤ x)`.
 */
export function cdf(
  x: ArrayLike,
  a: ArrayLike,
  b: ArrayLike,
  loc: ArrayLike = 0,
  scale: ArrayLike = 1,
): A {
  const [xa, aa, ba, l, s] = floats(x, a, b, loc, scale);
  return betainc(aa, ba, clipped(xa, l, s));
}

/**
 * `log cdf(x, a, b, loc, scale)`.
 *
 * @example log 0.3
 * ```ts
 * import { scipy } from "@nabla/ad";
 * import { ok } from "node:assert/strict";
 *
 * ok(Math.abs((scipy.stats.beta.logcdf(0.3, 1, 1).item() as number) - Math.log(0.3)) < 1e-15);
 * ```
 *
 * @param x Points.
 * @param a First shape.
 * @param b Second shape.
 * @param loc Location (default 0).
 * @param scale Scale (default 1).
 * @returns `log P(X ≤ x)`.
 */
export function logcdf(
  x: ArrayLike,
  a: ArrayLike,
  b: ArrayLike,
  loc: ArrayLike = 0,
  scale: ArrayLike = 1,
): A {
  return np.log(cdf(x, a, b, loc, scale));
}

/**
 * The survival function `I_{1-y}(b, a)` (no cancellation).
 *
 * @example Beta(1, 1)
 * ```ts
 * import { scipy } from "@nabla/ad";
 * import { ok } from "node:assert/strict";
 *
 * ok(Math.abs((scipy.stats.beta.sf(0.25, 1, 1).item() as number) - 0.75) < 1e-15);
 * ```
 *
 * @param x Points.
 * @param a First shape.
 * @param b Second shape.
 * @param loc Location (default 0).
 * @param scale Scale (default 1).
 * @returns `P(X > x)`.
 */
export function sf(
  x: ArrayLike,
  a: ArrayLike,
  b: ArrayLike,
  loc: ArrayLike = 0,
  scale: ArrayLike = 1,
): A {
  const [xa, aa, ba, l, s] = floats(x, a, b, loc, scale);
  return betainc(ba, aa, np.subtract(1, clipped(xa, l, s)));
}

/**
 * `log sf(x, a, b, loc, scale)`.
 *
 * @example log 0.75
 * ```ts
 * import { scipy } from "@nabla/ad";
 * import { ok } from "node:assert/strict";
 *
 * ok(Math.abs((scipy.stats.beta.logsf(0.25, 1, 1).item() as number) - Math.log(0.75)) < 1e-15);
 * ```
 *
 * @param x Points.
 * @param a First shape.
 * @param b Second shape.
 * @param loc Location (default 0).
 * @param scale Scale (default 1).
 * @returns `log P(X > x)`.
 */
export function logsf(
  x: ArrayLike,
  a: ArrayLike,
  b: ArrayLike,
  loc: ArrayLike = 0,
  scale: ArrayLike = 1,
): A {
  return np.log(sf(x, a, b, loc, scale));
}
