/**
 * `scipy.signal`: N-dimensional convolution and cross-correlation (JAX's
 * `jax.scipy.signal.convolve`, `correlate`, `convolve2d`, `correlate2d`),
 * each one `lax.convGeneralDilated`, so differentiable and batchable.
 *
 * @module
 */

import type { ArrayLike, NdArray } from "../array/array.ts";
import { isInexact, promoteTypes } from "../array/dtype.ts";
import { showShape, showValue } from "../array/shape.ts";
import { checkOptions } from "../core/options.ts";
import { convGeneralDilated } from "../lax/conv.ts";
import * as np from "../numpy/index.ts";
import { reshape, rev } from "../primitives/structural.ts";

/** How much of the full convolution to keep. */
export type SignalMode = "full" | "same" | "valid";

/** Options of the N-dimensional convolutions. */
export interface SignalOptions {
  /** `"auto"` (default), `"direct"` or `"fft"`: all compute the direct sum here (same values up to rounding). */
  method?: "auto" | "direct" | "fft";
  /** Accepted for JAX compatibility. */
  precision?: unknown;
}

const flipAll = (x: NdArray) => rev(x, x.shape.map((_, i) => i));

/** Both inputs as arrays of their common inexact dtype (integers and booleans promote to float64). */
function operands(in1: ArrayLike, in2: ArrayLike): [NdArray, NdArray] {
  const a = np.asarray(in1), b = np.asarray(in2);
  let dt = promoteTypes([a.dtype, b.dtype]);
  if (!isInexact(dt)) dt = "float64";
  return [np.astype(a, dt), np.astype(b, dt)];
}

function convolveNd(fn: string, a: NdArray, b: NdArray, mode: SignalMode): NdArray {
  if (mode !== "full" && mode !== "same" && mode !== "valid") {
    throw new RangeError(
      `scipy.signal.${fn}: mode must be one of ['full', 'same', 'valid']: got ${showValue(mode)}`,
    );
  }
  if (a.ndim !== b.ndim) {
    throw new TypeError(
      `scipy.signal.${fn}: in1 and in2 must have the same number of dimensions: got shapes ${
        showShape(a.shape)
      } and ${showShape(b.shape)}`,
    );
  }
  if (a.size === 0 || b.size === 0) {
    throw new TypeError(
      `scipy.signal.${fn}: zero-size arrays are not supported: got shapes ${
        showShape(a.shape)
      } and ${showShape(b.shape)}`,
    );
  }
  const noSwap = a.shape.every((s, i) => s >= b.shape[i]);
  const swap = a.shape.every((s, i) => s <= b.shape[i]);
  if (!noSwap && !swap) {
    throw new TypeError(
      `scipy.signal.${fn}: one input must be smaller than the other in every dimension: got shapes ${
        showShape(a.shape)
      } and ${showShape(b.shape)}`,
    );
  }
  const shapeO = b.shape;
  if (swap) [a, b] = [b, a];
  const shape = b.shape;
  b = flipAll(b);
  const padding: [number, number][] = shape.map((s, i) => {
    if (mode === "valid") return [0, 0];
    if (mode === "full") return [s - 1, s - 1];
    const so = shapeO[i];
    return [s - 1 - Math.floor((so - 1) / 2), s - so + Math.floor((so - 1) / 2)];
  });
  const y = convGeneralDilated(
    reshape(a, [1, 1, ...a.shape]),
    reshape(b, [1, 1, ...b.shape]),
    shape.map(() => 1),
    padding,
  );
  return reshape(y, y.shape.slice(2));
}

/**
 * The N-dimensional convolution of two arrays of one rank (JAX's
 * `jax.scipy.signal.convolve`): `"full"` (default), `"same"` (the shape of
 * `in1`) or `"valid"`; one input must be at least as large as the other along
 * every axis.
 *
 * @example Blurring an image with a 2×2 box
 * ```ts
 * import { scipy } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * const y = scipy.signal.convolve([[1, 2], [3, 4]], [[1, 1], [1, 1]], "valid");
 * deepEqual(y.tolist(), [[10]]);
 * ```
 *
 * @param in1 First array.
 * @param in2 Second array, of the same rank.
 * @param mode `"full"`, `"same"` or `"valid"`.
 * @param options `method` (all compute the direct sum) and `precision`.
 * @returns The convolution.
 */
export function convolve(
  in1: ArrayLike,
  in2: ArrayLike,
  mode: SignalMode = "full",
  options: SignalOptions = {},
): NdArray {
  checkOptions("scipy.signal.convolve", options, ["method", "precision"]);
  const method = options.method ?? "auto";
  if (method !== "auto" && method !== "direct" && method !== "fft") {
    throw new RangeError(
      `scipy.signal.convolve: method must be 'auto', 'fft' or 'direct': got ${showValue(method)}`,
    );
  }
  const [a, b] = operands(in1, in2);
  return convolveNd("convolve", a, b, mode);
}

/**
 * The N-dimensional cross-correlation of two arrays of one rank (JAX's
 * `jax.scipy.signal.correlate`): the convolution with `in2` flipped and
 * conjugated.
 *
 * @example
 * ```ts
 * import { scipy } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(scipy.signal.correlate([1, 2, 3], [1, 0.5]).tolist(), [0.5, 2, 3.5, 3]);
 * ```
 *
 * @param in1 First array.
 * @param in2 Second array, of the same rank.
 * @param mode `"full"`, `"same"` or `"valid"`.
 * @param options `method` and `precision`.
 * @returns The correlation.
 */
export function correlate(
  in1: ArrayLike,
  in2: ArrayLike,
  mode: SignalMode = "full",
  options: SignalOptions = {},
): NdArray {
  const [a, b] = operands(in1, in2);
  return convolve(a, flipAll(np.conj(b)), mode, options);
}

function check2d(fn: string, a: NdArray, b: NdArray, options: Signal2dOptions): void {
  checkOptions(`scipy.signal.${fn}`, options, ["boundary", "fillvalue", "precision"]);
  const boundary = options.boundary ?? "fill", fillvalue = options.fillvalue ?? 0;
  if (boundary !== "fill" || fillvalue !== 0) {
    throw new TypeError(
      `scipy.signal.${fn}: only boundary 'fill' with fillvalue 0 is supported: got ${
        showValue(boundary)
      } and ${fillvalue}`,
    );
  }
  if (a.ndim !== 2 || b.ndim !== 2) {
    throw new TypeError(
      `scipy.signal.${fn}() only supports 2-dimensional inputs: got shapes ${
        showShape(a.shape)
      } and ${showShape(b.shape)}`,
    );
  }
}

/** Options of the 2-D convolutions. */
export interface Signal2dOptions {
  /** Only `"fill"` (the default). */
  boundary?: string;
  /** Only 0 (the default). */
  fillvalue?: number;
  /** Accepted for JAX compatibility. */
  precision?: unknown;
}

/**
 * The 2-D convolution (JAX's `jax.scipy.signal.convolve2d`, zero fill).
 *
 * @example
 * ```ts
 * import { scipy } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(scipy.signal.convolve2d([[1, 2], [3, 4]], [[0, 1]]).tolist(), [[0, 1, 2], [0, 3, 4]]);
 * ```
 *
 * @param in1 First 2-D array.
 * @param in2 Second 2-D array.
 * @param mode `"full"` (default), `"same"` or `"valid"`.
 * @param options `boundary` and `fillvalue` (only the defaults).
 * @returns The convolution.
 */
export function convolve2d(
  in1: ArrayLike,
  in2: ArrayLike,
  mode: SignalMode = "full",
  options: Signal2dOptions = {},
): NdArray {
  const [a, b] = operands(in1, in2);
  check2d("convolve2d", a, b, options);
  return convolveNd("convolve2d", a, b, mode);
}

/**
 * The 2-D cross-correlation (JAX's `jax.scipy.signal.correlate2d`, zero
 * fill), with JAX's (SciPy's) orientation of the `"same"` and `"valid"`
 * windows when `in2` is the larger input.
 *
 * @example
 * ```ts
 * import { scipy } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(scipy.signal.correlate2d([[1, 2], [3, 4]], [[1, 1]], "valid").tolist(), [[3], [7]]);
 * ```
 *
 * @param in1 First 2-D array.
 * @param in2 Second 2-D array.
 * @param mode `"full"` (default), `"same"` or `"valid"`.
 * @param options `boundary` and `fillvalue` (only the defaults).
 * @returns The correlation.
 */
export function correlate2d(
  in1: ArrayLike,
  in2: ArrayLike,
  mode: SignalMode = "full",
  options: Signal2dOptions = {},
): NdArray {
  let [a, b] = operands(in1, in2);
  check2d("correlate2d", a, b, options);
  const swap = a.shape.every((s, i) => s <= b.shape[i]);
  const same = a.shape.every((s, i) => s === b.shape[i]);
  const run = (x: NdArray, y: NdArray) => convolveNd("correlate2d", x, y, mode);
  if (mode === "same" || (mode === "valid" && !(swap && !same)) || (mode === "full" && !swap)) {
    return flipAll(run(flipAll(a), np.conj(b)));
  }
  [a, b] = [flipAll(b), np.conj(a)];
  const y = run(a, b);
  return mode === "full" ? np.conj(y) : y;
}
