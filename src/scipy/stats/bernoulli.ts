/**
 * `scipy.stats.bernoulli`: the Bernoulli distribution with success
 * probability `p`, as `jax.scipy.stats.bernoulli`.
 *
 * @module
 */

import type { ArrayLike } from "../../array/array.ts";
import * as np from "../../numpy/index.ts";
import { xlog1py, xlogy } from "../special.ts";
import { type A, floats } from "./_args.ts";

/**
 * The log mass `k log p + (1 - k) log(1 - p)` at `k - loc` (`-∞` outside [0, 1]).
 *
 * @example log P(1) = log p
 * ```ts
 * import { scipy } from "@nabla/ad";
 * import { equal } from "node:assert/strict";
 *
 * equal(scipy.stats.bernoulli.logpmf(1, 0.25).item(), Math.log(0.25));
 * ```
 *
 * @param k Outcomes.
 * @param p Success probability.
 * @param loc Shift (default 0).
 * @returns `log P(K = k)`.
 */
export function logpmf(k: ArrayLike, p: ArrayLike, loc: ArrayLike = 0): A {
  const [ka, pa, l] = floats(k, p, loc);
  const x = np.subtract(ka, l);
  const logp = np.add(xlogy(x, pa), xlog1py(np.subtract(1, x), np.negative(pa)));
  return np.where(np.logicalOr(np.less(x, 0), np.greater(x, 1)), -Infinity, logp);
}

/**
 * The mass `exp(logpmf(k, p, loc))`.
 *
 * @example P(0) = 1 - p
 * ```ts
 * import { scipy } from "@nabla/ad";
 * import { equal } from "node:assert/strict";
 *
 * equal(scipy.stats.bernoulli.pmf(0, 0.25).item(), 0.75);
 * ```
 *
 * @param k Outcomes.
 * @param p Success probability.
 * @param loc Shift (default 0).
 * @returns `P(K = k)`.
 */
export function pmf(k: ArrayLike, p: ArrayLike, loc: ArrayLike = 0): A {
  return np.exp(logpmf(k, p, loc));
}

/**
 * The CDF: 0 below 0, `1 - p` on [0, 1), 1 from 1 on; NaN for p outside [0, 1].
 *
 * @example Steps
 * ```ts
 * import { scipy } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(scipy.stats.bernoulli.cdf([-1, 0.5, 1], 0.25).tolist(), [0, 0.75, 1]);
 * ```
 *
 * @param k Points.
 * @param p Success probability.
 * @returns `P(K ≤ k)`.
 */
export function cdf(k: ArrayLike, p: ArrayLike): A {
  const [ka, pa] = floats(k, p);
  const bad = np.logicalOr(
    np.logicalOr(np.isnan(ka), np.isnan(pa)),
    np.logicalOr(np.less(pa, 0), np.greater(pa, 1)),
  );
  const v = np.where(np.less(ka, 0), 0, np.where(np.less(ka, 1), np.subtract(1, pa), 1));
  return np.where(bad, NaN, v);
}

/**
 * The quantile function: 0 for `q ≤ 1 - p`, else 1; NaN outside [0, 1].
 *
 * @example The median of a fair coin is 0
 * ```ts
 * import { scipy } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(scipy.stats.bernoulli.ppf([0.5, 0.6], 0.5).tolist(), [0, 1]);
 * ```
 *
 * @param q Probabilities.
 * @param p Success probability.
 * @returns The smallest `k` with `P(K ≤ k) ≥ q`.
 */
export function ppf(q: ArrayLike, p: ArrayLike): A {
  const [qa, pa] = floats(q, p);
  const bad = np.logicalOr(
    np.logicalOr(
      np.logicalOr(np.isnan(qa), np.isnan(pa)),
      np.logicalOr(np.less(pa, 0), np.greater(pa, 1)),
    ),
    np.logicalOr(np.less(qa, 0), np.greater(qa, 1)),
  );
  return np.where(bad, NaN, np.where(np.lessEqual(qa, np.subtract(1, pa)), 0, 1));
}
