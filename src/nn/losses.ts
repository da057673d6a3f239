/**
 * Losses (optax's definitions): `softmaxCrossEntropy` and
 * `meanSquaredError`, composed from `np` and stable for large logits.
 *
 * @module
 */

import type { A } from "./_args.ts";
import * as np from "../numpy/index.ts";
import type { ArrayLike } from "../array/array.ts";
import { logSoftmax } from "./activations.ts";
// ---------------------------------------------------------------------------
// Losses

/**
 * Softmax cross-entropy per example, as `optax.softmax_cross_entropy`:
 * `-Σ labels · logSoftmax(logits)` over `axis`. `labels` are one-hot rows or
 * probabilities with the shape of `logits`; the result has the batch shape
 * (average it with `np.mean` for a training loss). Stable for large logits.
 *
 * @example A batch of two examples
 * ```ts
 * import { nn, np } from "@nabla/ad";
 * import { ok } from "node:assert/strict";
 *
 * const logits = np.array([[1000, 0], [0, 0]]);
 * const labels = nn.oneHot(np.array([0, 1]), 2);
 * const loss = nn.softmaxCrossEntropy(logits, labels).tolist() as number[];
 * ok(loss[0] === 0 && Math.abs(loss[1] - Math.LN2) < 1e-15);
 * ```
 *
 * @param logits Unnormalised log-probabilities.
 * @param labels Target distributions (same shape as `logits`).
 * @param axis The class axis (default -1).
 * @returns The loss of each example.
 */
export function softmaxCrossEntropy(logits: ArrayLike, labels: ArrayLike, axis = -1): A {
  return np.negative(np.sum(np.multiply(labels, logSoftmax(logits, axis)), axis));
}

/**
 * Mean squared error `mean((pred - target)²)` over all elements.
 *
 * @example Scalar loss
 * ```ts
 * import { nn, np } from "@nabla/ad";
 * import { equal } from "node:assert/strict";
 *
 * equal(nn.meanSquaredError(np.array([1, 2]), np.array([0, 4])).item(), 2.5);
 * ```
 *
 * @param pred Predictions.
 * @param target Targets (broadcast against `pred`).
 * @returns The mean of the squared differences.
 */
export function meanSquaredError(pred: ArrayLike, target: ArrayLike): A {
  return np.mean(np.square(np.subtract(pred, target)));
}
