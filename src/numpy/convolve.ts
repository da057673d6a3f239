/**
 * `np.convolve` and `np.correlate`: 1-D discrete convolution and
 * cross-correlation, as JAX computes them — one `lax.convGeneralDilated`
 * of the longer operand with the (flipped, for `convolve`; conjugated, for
 * `correlate`) shorter one.
 *
 * @module
 */

import type { ArrayLike, NdArray } from "../array/array.ts";
import { isInexact } from "../array/dtype.ts";
import { showShape, showValue } from "../array/shape.ts";
import { checkOptions } from "../core/options.ts";
import { convGeneralDilated } from "../lax/conv.ts";
import { reshape, rev } from "../primitives/structural.ts";
import { asArray, resultDType } from "./_args.ts";
import { conj } from "./complex.ts";

/** How much of the full convolution to keep. */
export type ConvolveMode = "full" | "same" | "valid";

/** Options of {@linkcode convolve} and {@linkcode correlate}. */
export interface ConvolveOptions {
  /** Accepted for JAX compatibility. */
  precision?: unknown;
  /** Computes and returns in this dtype (JAX: without it, inputs promote to an inexact dtype). */
  preferredElementType?: "float32" | "float64" | "int32" | null;
}

function conv1d(
  a: ArrayLike,
  v: ArrayLike,
  mode: ConvolveMode,
  op: "convolve" | "correlate",
  options: ConvolveOptions,
) {
  checkOptions(`np.${op}`, options, ["precision", "preferredElementType"]);
  let dt = options.preferredElementType ?? resultDType([a, v]);
  if (!options.preferredElementType && !isInexact(dt)) dt = "float64";
  let x = asArray(a, dt), y = asArray(v, dt);
  if (x.ndim !== 1 || y.ndim !== 1) {
    throw new TypeError(
      `np.${op}() only supports 1-dimensional inputs: got shapes ${showShape(x.shape)} and ${
        showShape(y.shape)
      }`,
    );
  }
  if (x.size === 0 || y.size === 0) {
    throw new TypeError(
      `np.${op}: inputs cannot be empty, got shapes ${showShape(x.shape)} and ${
        showShape(y.shape)
      }`,
    );
  }
  let reverse = false;
  if (op === "correlate") {
    y = conj(y);
    if (x.size < y.size) {
      [x, y] = [y, x];
      reverse = true;
    }
  } else {
    if (x.size < y.size) [x, y] = [y, x];
    y = rev(y, [0]);
  }
  const n = y.size;
  let padding: [number, number];
  if (mode === "valid") padding = [0, 0];
  else if (mode === "same") padding = [Math.floor(n / 2), n - Math.floor(n / 2) - 1];
  else if (mode === "full") padding = [n - 1, n - 1];
  else {
    throw new RangeError(
      `np.${op}: mode must be one of ['full', 'same', 'valid']: got ${showValue(mode)}`,
    );
  }
  const out = convGeneralDilated(reshape(x, [1, 1, x.size]), reshape(y, [1, 1, n]), [1], [
    padding,
  ]);
  const flat = reshape(out, [out.size]);
  return reverse ? rev(flat, [0]) : flat;
}

/**
 * The discrete convolution `(a ∗ v)[n] = Σ_m a[m] v[n − m]` of two 1-D arrays
 * (NumPy's and JAX's `convolve`): `"full"` (default, length `N + M − 1`),
 * `"same"` (length `max(N, M)`, centred) or `"valid"` (where they overlap
 * fully, length `max(N, M) − min(N, M) + 1`). Integers promote to float64.
 *
 * @example A moving average and a polynomial product
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.convolve([1, 2, 3, 4], [0.5, 0.5], "valid").tolist(), [1.5, 2.5, 3.5]);
 * deepEqual(np.convolve([1, 1], [1, 2]).tolist(), [1, 3, 2]); // (1 + x)(1 + 2x)
 * ```
 *
 * @param a First 1-D array.
 * @param v Second 1-D array.
 * @param mode `"full"`, `"same"` or `"valid"`.
 * @param options `precision` (accepted) and `preferredElementType`.
 * @returns The convolution.
 */
export function convolve(
  a: ArrayLike,
  v: ArrayLike,
  mode: ConvolveMode = "full",
  options: ConvolveOptions = {},
): NdArray {
  return conv1d(a, v, mode, "convolve", options);
}

/**
 * The cross-correlation `c[k] = Σ_n a[n + k] · conj(v[n])` of two 1-D arrays
 * (NumPy's and JAX's `correlate`): modes as {@linkcode convolve}, default
 * `"valid"`.
 *
 * @example
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.correlate([1, 2, 3], [0, 1, 0.5]).tolist(), [3.5]);
 * deepEqual(np.correlate([1, 2, 3], [0, 1, 0.5], "full").tolist(), [0.5, 2, 3.5, 3, 0]);
 * ```
 *
 * @param a First 1-D array.
 * @param v Second 1-D array.
 * @param mode `"full"`, `"same"` or `"valid"`.
 * @param options `precision` (accepted) and `preferredElementType`.
 * @returns The correlation.
 */
export function correlate(
  a: ArrayLike,
  v: ArrayLike,
  mode: ConvolveMode = "valid",
  options: ConvolveOptions = {},
): NdArray {
  return conv1d(a, v, mode, "correlate", options);
}
