/**
 * `scipy.stats.multivariateNormal`: the multivariate normal distribution with
 * `mean` and covariance `cov`, as `jax.scipy.stats.multivariate_normal`
 * (`logpdf`, `pdf`), batched over leading axes.
 *
 * The Cholesky factor and the triangular solve are composed from `np`
 * column by column (so they differentiate and batch like everything else).
 *
 * @module
 */

import type { ArrayLike } from "../../array/array.ts";
import * as np from "../../numpy/index.ts";
import { type A, floats } from "./_args.ts";

/** Column `j` of the last axis. */
const col = (x: A, j: number): A => np.take(x, j, -1);

/** `cov = L Lᵀ` over the last two axes: the columns of L and its diagonal. */
function choleskyColumns(cov: A): { cols: A[]; diag: A[] } {
  const n = cov.shape[cov.ndim - 1];
  const rows = np.arange(n);
  const cols: A[] = [];
  const diag: A[] = [];
  for (let j = 0; j < n; j++) {
    let a = col(cov, j); // [..., n]: A[..., i, j]
    for (let k = 0; k < j; k++) {
      a = np.subtract(a, np.multiply(cols[k], np.expandDims(col(cols[k], j), -1)));
    }
    const d = np.sqrt(col(a, j));
    cols.push(np.where(np.greaterEqual(rows, j), np.divide(a, np.expandDims(d, -1)), 0));
    diag.push(d);
  }
  return { cols, diag };
}

/**
 * The log density `-½ (x - μ)ᵀ Σ⁻¹ (x - μ) - ½ log det(2πΣ)`, over the last
 * axis of `x` and `mean` (broadcast) with `cov` of shape `[..., n, n]`; a
 * scalar `cov` is a variance shared by all coordinates, and a scalar `mean`
 * makes the distribution univariate.
 *
 * @example The standard bivariate normal at 0
 * ```ts
 * import { scipy } from "@nabla/ad";
 * import { ok } from "node:assert/strict";
 *
 * const y = scipy.stats.multivariateNormal.logpdf([0, 0], [0, 0], [[1, 0], [0, 1]]);
 * ok(Math.abs((y.item() as number) + Math.log(2 * Math.PI)) < 1e-15);
 * ```
 *
 * @param x Points, `[..., n]`.
 * @param mean Mean, `[..., n]`.
 * @param cov Covariance, `[..., n, n]` (symmetric positive definite), or a scalar.
 * @returns `log p(x)`, `[...]`.
 */
export function logpdf(x: ArrayLike, mean: ArrayLike, cov: ArrayLike): A {
  const [xa, m, c] = floats(x, mean, cov);
  if (m.ndim === 0) {
    return np.subtract(
      np.divide(np.multiply(-0.5, np.square(np.subtract(xa, m))), c),
      np.multiply(0.5, np.add(Math.log(2 * Math.PI), np.log(c))),
    );
  }
  const n = m.shape[m.ndim - 1];
  const y = np.subtract(xa, m);
  if (c.ndim === 0) {
    return np.subtract(
      np.divide(np.multiply(-0.5, np.sum(np.square(y), -1)), c),
      np.multiply(n / 2, np.add(Math.log(2 * Math.PI), np.log(c))),
    );
  }
  if (c.ndim < 2 || c.shape[c.ndim - 1] !== n || c.shape[c.ndim - 2] !== n) {
    throw new TypeError(
      `scipy.stats.multivariateNormal.logpdf: 'cov' must have shape [..., ${n}, ${n}] for a mean of length ${n}: got [${c.shape}]`,
    );
  }
  const { cols, diag } = choleskyColumns(c);
  // forward substitution L z = y, one column at a time
  let r = y;
  let quad: A | null = null;
  let logdet: A | null = null;
  for (let i = 0; i < n; i++) {
    const zi = np.divide(col(r, i), diag[i]);
    r = np.subtract(r, np.multiply(cols[i], np.expandDims(zi, -1)));
    quad = quad === null ? np.square(zi) : np.add(quad, np.square(zi));
    logdet = logdet === null ? np.log(diag[i]) : np.add(logdet, np.log(diag[i]));
  }
  return np.subtract(
    np.subtract(np.multiply(-0.5, quad!), (n / 2) * Math.log(2 * Math.PI)),
    logdet!,
  );
}

/**
 * The density `exp(logpdf(x, mean, cov))`.
 *
 * @example A diagonal covariance factorises
 * ```ts
 * import { scipy } from "@nabla/ad";
 * import { ok } from "node:assert/strict";
 *
 * const p = scipy.stats.multivariateNormal.pdf([1, 2], [0, 0], [[1, 0], [0, 4]]).item() as number;
 * const q = (scipy.stats.norm.pdf(1).item() as number) * (scipy.stats.norm.pdf(2, 0, 2).item() as number);
 * ok(Math.abs(p / q - 1) < 1e-14);
 * ```
 *
 * @param x Points, `[..., n]`.
 * @param mean Mean, `[..., n]`.
 * @param cov Covariance, `[..., n, n]`, or a scalar.
 * @returns `p(x)`.
 */
export function pdf(x: ArrayLike, mean: ArrayLike, cov: ArrayLike): A {
  return np.exp(logpdf(x, mean, cov));
}
