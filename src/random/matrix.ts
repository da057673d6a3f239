/**
 * Samplers that need a matrix factorisation: `multivariateNormal` (the
 * Cholesky factor of `np.linalg`, as JAX) and `orthogonal` (a QR
 * factorisation composed from `np` column by column).
 *
 * @module
 */

import * as np from "../numpy/index.ts";
import { checkOptions } from "../core/options.ts";
import type { ArrayLike } from "../array/array.ts";
import { broadcastShapes } from "../array/shape.ts";
import { type A, checkFloat, checkKey, shapeOf } from "./keys.ts";
import { type DTypeOption, normal } from "./distributions.ts";

const col = (x: A, j: number): A => np.take(x, j, -1);

/** Options of {@linkcode multivariateNormal}. */
export interface MultivariateNormalOptions extends DTypeOption {
  /** Only `"cholesky"` (JAX's default) is supported. */
  method?: "cholesky";
}

/**
 * Multivariate normal samples `mean + L z` with `L Lᵀ = cov` (lower
 * Cholesky factor), as `jax.random.multivariate_normal` with its default
 * method; differentiable in `mean` and `cov`.
 *
 * @example The sample covariance approaches cov
 * ```ts
 * import { np, random } from "@nabla/ad";
 * import { ok } from "node:assert/strict";
 *
 * const cov = np.array([[2, 0.5], [0.5, 1]]);
 * const x = random.multivariateNormal(random.key(0), np.zeros([2]), cov, [20000]);
 * ok(np.allclose(np.divide(np.matmul(np.transpose(x), x), 20000), cov, { atol: 0.06 }));
 * ```
 *
 * @param key A key (shape `[2]`).
 * @param mean Mean, `[..., n]`.
 * @param cov Covariance, `[..., n, n]`.
 * @param shape Batch shape (default: the broadcast of `mean`'s and `cov`'s batch shapes).
 * @param options `dtype`, `method`.
 * @returns Samples `[...shape, n]`.
 */
export function multivariateNormal(
  key: ArrayLike,
  mean: ArrayLike,
  cov: ArrayLike,
  shape?: readonly number[],
  options: MultivariateNormalOptions = {},
): A {
  checkOptions("multivariateNormal", options, ["dtype", "method"]);
  const k = checkKey("multivariateNormal", key);
  const dtype = checkFloat("multivariateNormal", options.dtype);
  if (options.method !== undefined && options.method !== "cholesky") {
    throw new TypeError(
      `multivariateNormal: only method 'cholesky' is supported: got '${String(options.method)}'`,
    );
  }
  const m = np.astype(mean, dtype), c = np.astype(cov, dtype);
  if (m.ndim < 1 || c.ndim < 2) {
    throw new TypeError(
      `multivariateNormal needs mean [..., n] and cov [..., n, n]: got [${m.shape}] and [${c.shape}]`,
    );
  }
  const n = m.shape[m.ndim - 1];
  if (c.shape[c.ndim - 1] !== n || c.shape[c.ndim - 2] !== n) {
    throw new TypeError(
      `multivariateNormal: 'cov' must have shape [..., ${n}, ${n}] for a mean of length ${n}: got [${c.shape}]`,
    );
  }
  const batch = broadcastShapes(m.shape.slice(0, -1), c.shape.slice(0, -2));
  const s = shape === undefined ? batch : shapeOf("multivariateNormal", shape);
  if (broadcastShapes(s, batch).join() !== s.join()) {
    throw new TypeError(
      `multivariateNormal: the parameters' batch shape [${batch}] does not broadcast to [${s}]`,
    );
  }
  const z = normal(k, [...s, n], { dtype });
  const l = np.linalg.cholesky(c);
  return np.add(m, np.einsum("...ij,...j->...i", l, z));
}

/** Q of the QR factorisation with R's diagonal positive ([..., m, n], m ≥ n), Gram–Schmidt twice. */
function positiveQ(a: A): A {
  const n = a.shape[a.ndim - 1];
  let cols: A[] = [];
  for (let j = 0; j < n; j++) cols.push(col(a, j));
  for (let pass = 0; pass < 2; pass++) {
    const out: A[] = [];
    for (let j = 0; j < n; j++) {
      let v = cols[j];
      for (const q of out) {
        v = np.subtract(v, np.multiply(np.sum(np.multiply(q, v), -1, { keepdims: true }), q));
      }
      out.push(np.divide(v, np.sqrt(np.sum(np.square(v), -1, { keepdims: true }))));
    }
    cols = out;
  }
  return np.stack(cols, -1);
}

/** Options of {@linkcode orthogonal}. */
export interface OrthogonalOptions extends DTypeOption {
  /** Columns (default `n`): an n×m matrix with orthonormal columns (n ≥ m) or rows. */
  m?: number;
}

/**
 * Haar-random orthogonal matrices, as `jax.random.orthogonal`: the Q factor
 * (with R's diagonal made positive) of a standard normal matrix; the same
 * matrices as JAX for the same key, to rounding.
 *
 * @example QᵀQ = I
 * ```ts
 * import { np, random } from "@nabla/ad";
 * import { ok } from "node:assert/strict";
 *
 * const q = random.orthogonal(random.key(0), 4);
 * ok(np.allclose(np.matmul(np.transpose(q), q), np.eye(4), { atol: 1e-14 }));
 * ```
 *
 * @param key A key (shape `[2]`).
 * @param n Rows.
 * @param shape Batch shape (default `[]`).
 * @param options `dtype`, `m` (columns, default n).
 * @returns Matrices `[...shape, n, m]`.
 */
export function orthogonal(
  key: ArrayLike,
  n: number,
  shape: readonly number[] = [],
  options: OrthogonalOptions = {},
): A {
  checkOptions("orthogonal", options, ["dtype", "m"]);
  const k = checkKey("orthogonal", key);
  const dtype = checkFloat("orthogonal", options.dtype);
  const m = options.m ?? n;
  for (const [name, v] of [["n", n], ["m", m]] as const) {
    if (!Number.isInteger(v) || v < 1) {
      throw new TypeError(`orthogonal: '${name}' must be a positive integer: got ${v}`);
    }
  }
  const s = shapeOf("orthogonal", shape);
  const z = normal(k, [...s, Math.max(n, m), Math.min(n, m)], { dtype });
  const q = positiveQ(z);
  return n < m ? np.swapaxes(q, -1, -2) : q;
}
