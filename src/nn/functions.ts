/**
 * `nn` helpers that are not activations: `oneHot` encoding and
 * `standardize` (zero mean, unit variance over an axis), as `jax.nn`.
 *
 * @module
 */

import { type A, floating } from "./_args.ts";
import * as np from "../numpy/index.ts";
import type { ArrayLike } from "../array/array.ts";
import type { DType } from "../array/dtype.ts";
import { checkOptions } from "../core/options.ts";
/** Options of {@linkcode oneHot}. */
export interface OneHotOptions {
  /** Result dtype (default float64). */
  dtype?: DType;
  /** Position of the new class axis in the result (default -1, the last). */
  axis?: number;
}

/**
 * One-hot encoding: a new axis of length `numClasses` holding 1 at the index
 * `x` and 0 elsewhere; indices outside `[0, numClasses)` encode as all zeros
 * (as JAX).
 *
 * @example Labels to one-hot rows
 * ```ts
 * import { nn, np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(nn.oneHot(np.array([0, 2, 5]), 3).tolist(), [[1, 0, 0], [0, 0, 1], [0, 0, 0]]);
 * ```
 *
 * @param x Integer class indices.
 * @param numClasses Number of classes.
 * @param options `dtype` and `axis`.
 * @returns An array with one more axis than `x`.
 */
export function oneHot(x: ArrayLike, numClasses: number, options: OneHotOptions = {}): A {
  checkOptions("oneHot", options, ["axis", "dtype"]);
  if (!Number.isInteger(numClasses) || numClasses < 0) {
    throw new RangeError(
      `Invalid numClasses: expected a non-negative integer, got ${numClasses}`,
    );
  }
  const a = np.asarray(x);
  const axis = options.axis ?? -1;
  if (!Number.isInteger(axis) || axis < -(a.ndim + 1) || axis > a.ndim) {
    throw new RangeError(`Invalid axis ${axis} for a one-hot result of rank ${a.ndim + 1}`);
  }
  const pos = axis < 0 ? axis + a.ndim + 1 : axis;
  const classes = np.arange(numClasses, { dtype: a.dtype === "bool" ? "int32" : a.dtype });
  const shape = new globalThis.Array<number>(a.ndim + 1).fill(1);
  shape[pos] = numClasses;
  const hot = np.equal(np.expandDims(a, pos), np.reshape(classes, shape));
  return np.astype(hot, options.dtype ?? "float64");
}

/** Options of {@linkcode standardize}. */
export interface StandardizeOptions {
  /** Mean to use instead of `mean(x, axis)`. */
  mean?: ArrayLike;
  /** Variance to use instead of the computed one. */
  variance?: ArrayLike;
  /** Added to the variance before the square root (default 1e-5). */
  epsilon?: number;
  /**
   * Variance formula: `"fast"` (default, as JAX) `mean(x²) - mean(x)²`
   * clipped at 0, or `"stable"`, the two-pass `mean((x - mean(x))²)`.
   */
  algorithm?: "fast" | "stable";
}

/**
 * Standardizes along `axis`: `(x - mean) / √(variance + epsilon)`, as
 * `jax.nn.standardize`.
 *
 * @example Zero mean, unit variance
 * ```ts
 * import { nn, np } from "@nabla/ad";
 * import { ok } from "node:assert/strict";
 *
 * const z = nn.standardize(np.array([1, 2, 3, 4]), -1, { epsilon: 0 });
 * ok(Math.abs(np.mean(z).item() as number) < 1e-15);
 * ok(Math.abs((np.var(z).item() as number) - 1) < 1e-12);
 * ```
 *
 * @param x Input.
 * @param axis Axis or axes the statistics are taken over (default -1).
 * @param options `mean`, `variance`, `epsilon`, `algorithm`.
 * @returns The standardized array.
 */
export function standardize(
  x: ArrayLike,
  axis: number | readonly number[] = -1,
  options: StandardizeOptions = {},
): A {
  checkOptions("standardize", options, ["algorithm", "epsilon", "mean", "variance"]);
  const a = floating(x);
  const { epsilon = 1e-5, algorithm = "fast" } = options;
  if (algorithm !== "fast" && algorithm !== "stable") {
    throw new TypeError(`Unknown algorithm "${algorithm}": expected "fast" or "stable"`);
  }
  const mean = options.mean === undefined
    ? np.mean(a, axis, { keepdims: true })
    : np.asarray(options.mean);
  let variance: A;
  if (options.variance !== undefined) variance = np.asarray(options.variance);
  else if (algorithm === "stable") {
    variance = np.mean(np.square(np.subtract(a, mean)), axis, { keepdims: true });
  } else {
    variance = np.maximum(
      np.subtract(np.mean(np.square(a), axis, { keepdims: true }), np.square(mean)),
      0,
    );
  }
  return np.divide(np.subtract(a, mean), np.sqrt(np.add(variance, epsilon)));
}
