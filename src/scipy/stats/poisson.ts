/**
 * `scipy.stats.poisson`: the Poisson distribution with mean `mu` and `loc`,
 * as `jax.scipy.stats.poisson`.
 *
 * @module
 */

import type { ArrayLike } from "../../array/array.ts";
import * as np from "../../numpy/index.ts";
import { gammaincc, gammaln, xlogy } from "../special.ts";
import { type A, floats } from "./_args.ts";

/**
 * The log mass `k log μ - log k! - μ` at `k - loc` (`-∞` at negative or
 * non-integer `k`).
 *
 * @example P(0) = e^{-μ}
 * ```ts
 * import { scipy } from "@nabla/ad";
 * import { equal } from "node:assert/strict";
 *
 * equal(scipy.stats.poisson.logpmf(0, 3).item(), -3);
 * ```
 *
 * @param k Counts.
 * @param mu Mean.
 * @param loc Shift (default 0).
 * @returns `log P(K = k)`.
 */
export function logpmf(k: ArrayLike, mu: ArrayLike, loc: ArrayLike = 0): A {
  const [ka, m, l] = floats(k, mu, loc);
  const x = np.subtract(ka, l);
  const logp = np.subtract(np.subtract(xlogy(x, m), gammaln(np.add(x, 1))), m);
  const bad = np.logicalOr(np.less(x, 0), np.notEqual(np.round(ka), ka));
  return np.where(bad, -Infinity, logp);
}

/**
 * The mass `exp(logpmf(k, mu, loc))`.
 *
 * @example P(2) for μ = 1
 * ```ts
 * import { scipy } from "@nabla/ad";
 * import { ok } from "node:assert/strict";
 *
 * ok(Math.abs((scipy.stats.poisson.pmf(2, 1).item() as number) - Math.exp(-1) / 2) < 1e-16);
 * ```
 *
 * @param k Counts.
 * @param mu Mean.
 * @param loc Shift (default 0).
 * @returns `P(K = k)`.
 */
export function pmf(k: ArrayLike, mu: ArrayLike, loc: ArrayLike = 0): A {
  return np.exp(logpmf(k, mu, loc));
}

/**
 * The CDF `Q(⌊k - loc⌋ + 1, μ)` (0 below `loc`).
 *
 * @example P(K ≤ 0) = e^{-μ}
 * ```ts
 * import { scipy } from "@nabla/ad";
 * import { ok } from "node:assert/strict";
 *
 * ok(Math.abs((scipy.stats.poisson.cdf(0, 2).item() as number) - Math.exp(-2)) < 1e-16);
 * ```
 *
 * @param k Counts.
 * @param mu Mean.
 * @param loc Shift (default 0).
 * @returns `P(K ≤ k)`.
 */
export function cdf(k: ArrayLike, mu: ArrayLike, loc: ArrayLike = 0): A {
  const [ka, m, l] = floats(k, mu, loc);
  const x = np.subtract(ka, l);
  const neg = np.less(x, 0);
  return np.where(neg, 0, gammaincc(np.floor(np.add(np.where(neg, 0, x), 1)), m));
}

// -Σ p log p summed over k < 250 for μ < 100 (the mass beyond is below 1e-20); beyond,
// ½ log(2πeμ) - 1/(12μ) - 1/(24μ²) - 19/(360μ³) (relative error below 1e-10 at μ = 100).
const TERMS = 250;

/**
 * The Shannon entropy `-Σₖ p(k) log p(k)` in nats, by direct summation for
 * μ < 100 and its asymptotic expansion beyond (relative error below 1e-10;
 * JAX's is 1e-5); `loc` does not change it. 0 at μ = 0, NaN for μ < 0.
 *
 * @example μ = 1
 * ```ts
 * import { scipy } from "@nabla/ad";
 * import { ok } from "node:assert/strict";
 *
 * ok(Math.abs((scipy.stats.poisson.entropy(1).item() as number) - 1.3048422422562516) < 1e-14);
 * ```
 *
 * @param mu Mean.
 * @param loc Shift (default 0), accepted as SciPy does.
 * @returns The entropy.
 */
export function entropy(mu: ArrayLike, loc: ArrayLike = 0): A {
  const [m0, l] = floats(mu, loc);
  const m = np.add(m0, np.zerosLike(l));
  const small = np.less(m, 100);
  const ms = np.where(np.logicalAnd(small, np.greater(m, 0)), m, 1);
  const k = np.arange(TERMS, { dtype: m.dtype });
  const me = np.expandDims(ms, -1);
  const logp = np.subtract(np.subtract(np.multiply(k, np.log(me)), me), gammaln(np.add(k, 1)));
  const direct = np.negative(np.sum(np.multiply(np.exp(logp), logp), -1));
  const ml = np.where(small, 100, m);
  const r = np.reciprocal(ml);
  const asym = np.subtract(
    np.multiply(0.5, np.log(np.multiply(2 * Math.PI * Math.E, ml))),
    np.multiply(r, np.add(1 / 12, np.multiply(r, np.add(1 / 24, np.multiply(r, 19 / 360))))),
  );
  const h = np.where(small, direct, asym);
  return np.where(np.equal(m, 0), 0, np.where(np.less(m, 0), NaN, h));
}
