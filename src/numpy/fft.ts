/**
 * `np.fft`: discrete Fourier transforms as NumPy and `jax.numpy.fft` define
 * them — `fft`, `ifft`, `rfft`, `irfft`, `hfft`, `ihfft`, their 2-D and n-D forms,
 * `fftfreq`, `rfftfreq`, `fftshift`, `ifftshift` — with `n`/`s` (crop or
 * zero-pad), `axis`/`axes` and `norm` (`"backward"`, the default, scales the
 * inverse by `1/n`; `"ortho"` both by `1/√n`; `"forward"` the forward one by
 * `1/n`). Any length: powers of two by radix-2, others by Bluestein's
 * algorithm (`src/array/kernels/fft.ts`). Every transform is differentiable
 * (its transpose is again an FFT, as in JAX) and batchable.
 *
 * Each takes its NumPy arguments positionally (`fft(a, n, axis, norm)`) or
 * as a trailing options object (`fft(a, { n, axis, norm })`).
 *
 * @module
 */

import { type ArrayLike, NdArray } from "../array/array.ts";
import { inexactDTypeOf, isComplex, isFloat } from "../array/dtype.ts";
import { normalizeAxis } from "../array/shape.ts";
import { convert } from "../primitives/elementwise.ts";
import * as F from "../primitives/fft.ts";
import { moveAxis } from "../primitives/rules.ts";
import { pad, slice } from "../primitives/structural.ts";
import { asArray, checkInt } from "./_args.ts";
import { asComplex } from "./complex.ts";
import { arange } from "./creation.ts";
import { roll } from "./manipulation.ts";
import { checkOptions } from "../core/options.ts";

/** NumPy's normalisation modes. */
export type FftNorm = "backward" | "ortho" | "forward";

/** Options of the one-dimensional transforms. */
export interface FftOptions {
  /** Transform length: the input is cropped or zero-padded along `axis` (default: its length). */
  n?: number | null;
  /** The axis (default: the last). */
  axis?: number;
  /** Normalisation (default `"backward"`). */
  norm?: FftNorm | null;
}

/** Options of the n-dimensional transforms. */
export interface FftnOptions {
  /** Transform lengths, one per axis of `axes`. */
  s?: readonly number[] | null;
  /** The axes (default: all, or the last `s.length`; the last two for the 2-D forms). */
  axes?: readonly number[] | null;
  /** Normalisation (default `"backward"`). */
  norm?: FftNorm | null;
}

type Kind = F.FftParams["kind"];

function readOpts(
  name: string,
  n: number | FftOptions | null | undefined,
  axis: number | undefined,
  norm: FftNorm | null | undefined,
): { n: number | null; axis: number; norm: FftNorm } {
  const o: FftOptions = typeof n === "object" && n !== null ? n : { n, axis, norm };
  const nn = o.n ?? null;
  if (nn !== null) {
    checkInt(name, "n", nn);
    if (nn < 1) {
      throw new RangeError(`Invalid n for ${name}: expected a positive length, got ${nn}`);
    }
  }
  const ax = o.axis ?? -1;
  checkInt(name, "axis", ax);
  return { n: nn, axis: ax, norm: checkNorm(name, o.norm ?? "backward") };
}

function checkNorm(name: string, norm: unknown): FftNorm {
  if (norm !== "backward" && norm !== "ortho" && norm !== "forward") {
    throw new TypeError(
      `Invalid norm for ${name}: expected "backward", "ortho" or "forward", got ${
        JSON.stringify(norm)
      }`,
    );
  }
  return norm;
}

/** The factor on the unnormalised sums of a forward (or inverse) transform of length `n`. */
function scaleOf(norm: FftNorm, n: number, inverse: boolean): number {
  if (norm === "ortho") return 1 / Math.sqrt(n);
  return (norm === "forward") !== inverse ? 1 / n : 1;
}

/** `x` cropped or zero-padded to length `n` along its last axis. */
function resizeLast(x: NdArray, n: number): NdArray {
  const m = x.shape[x.ndim - 1];
  if (m === n) return x;
  if (m > n) {
    return slice(x, {
      starts: x.shape.map(() => 0),
      limits: x.shape.map((d, i) => (i === x.ndim - 1 ? n : d)),
      strides: x.shape.map(() => 1),
    });
  }
  return pad(x, {
    lo: x.shape.map(() => 0),
    hi: x.shape.map((_, i) => (i === x.ndim - 1 ? n - m : 0)),
    interior: x.shape.map(() => 0),
  });
}

/** One 1-D transform of `kind` along `axis`, output length `n` (input resized as NumPy does). */
function along(
  name: string,
  x: NdArray,
  kind: Kind,
  n: number | null,
  axis: number,
  norm: FftNorm,
): NdArray {
  if (x.ndim === 0) throw new TypeError(`Invalid input for ${name}: expected at least one axis`);
  const ax = normalizeAxis(axis, x.ndim);
  let y = moveAxis(x, ax, x.ndim - 1);
  const m = y.shape[y.ndim - 1];
  const len = n ?? (kind === "irfft" ? 2 * (m - 1) : m);
  if (len < 1) {
    throw new RangeError(
      `Invalid n for ${name}: the default 2(m − 1) is ${len} for an axis of length ${m}`,
    );
  }
  y = resizeLast(y, kind === "irfft" ? (len >> 1) + 1 : len);
  const inverse = kind === "ifft" || kind === "irfft";
  y = F.fft(y, { kind, n: len, scale: scaleOf(norm, len, inverse) });
  return moveAxis(y, y.ndim - 1, ax);
}

function realInput(name: string, a: ArrayLike): NdArray {
  const x = asArray(a);
  if (isComplex(x.dtype)) {
    throw new TypeError(`Invalid input for ${name}: expected a real array, got ${x.dtype}`);
  }
  return isFloat(x.dtype) ? x : convert(x, inexactDTypeOf(x.dtype)); // int8 → float32, as JAX
}

/**
 * The one-dimensional DFT `X_k = Σ_j x_j e^{−2πi jk/n}` along `axis`.
 *
 * @example A spectrum, and the options form
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.fft.fft([1, 2, 3, 4]).tolist(), [
 *   { re: 10, im: 0 }, { re: -2, im: 2 }, { re: -2, im: 0 }, { re: -2, im: -2 },
 * ]);
 * deepEqual(np.fft.fft([1, 1], { n: 4, norm: "forward" }).tolist(), [
 *   { re: 0.5, im: 0 }, { re: 0.25, im: -0.25 }, { re: 0, im: 0 }, { re: 0.25, im: 0.25 },
 * ]);
 * ```
 *
 * @param a The input (real inputs are converted to complex).
 * @param n Transform length, or the options object.
 * @param axis The axis (default −1).
 * @param norm Normalisation (default `"backward"`).
 * @returns The complex spectrum.
 */
export function fft(
  a: ArrayLike,
  n?: number | FftOptions | null,
  axis?: number,
  norm?: FftNorm | null,
): NdArray {
  checkOptions("fft", n, ["axis", "n", "norm"]);
  const o = readOpts("fft", n, axis, norm);
  return along("fft", asComplex(a), "fft", o.n, o.axis, o.norm);
}

/**
 * The inverse DFT `x_j = (1/n) Σ_k X_k e^{+2πi jk/n}` along `axis`.
 *
 * @example A round trip
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.real(np.fft.ifft(np.fft.fft([1, 2, 3, 4]))).tolist(), [1, 2, 3, 4]);
 * ```
 *
 * @param a The spectrum.
 * @param n Transform length, or the options object.
 * @param axis The axis (default −1).
 * @param norm Normalisation (default `"backward"`).
 * @returns The complex signal.
 */
export function ifft(
  a: ArrayLike,
  n?: number | FftOptions | null,
  axis?: number,
  norm?: FftNorm | null,
): NdArray {
  checkOptions("ifft", n, ["axis", "n", "norm"]);
  const o = readOpts("ifft", n, axis, norm);
  return along("ifft", asComplex(a), "ifft", o.n, o.axis, o.norm);
}

/**
 * The DFT of real input: its `⌊n/2⌋ + 1` non-negative frequencies.
 *
 * @example The spectrum of a cosine
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * const x = np.cos(np.arange(4).mul(Math.PI / 2)); // 1, 0, -1, 0 (to rounding)
 * const X = np.round(np.real(np.fft.rfft(x)));
 * deepEqual(X.tolist(), [0, 2, 0]);
 * ```
 *
 * @param a Real input.
 * @param n Transform length, or the options object.
 * @param axis The axis (default −1).
 * @param norm Normalisation (default `"backward"`).
 * @returns The complex half-spectrum.
 */
export function rfft(
  a: ArrayLike,
  n?: number | FftOptions | null,
  axis?: number,
  norm?: FftNorm | null,
): NdArray {
  checkOptions("rfft", n, ["axis", "n", "norm"]);
  const o = readOpts("rfft", n, axis, norm);
  return along("rfft", realInput("rfft", a), "rfft", o.n, o.axis, o.norm);
}

/**
 * The inverse of {@linkcode rfft}: the real signal of length `n` (default
 * `2(m − 1)`) whose half-spectrum is `a` (cropped or zero-padded to
 * `⌊n/2⌋ + 1`; the imaginary parts of the zero and Nyquist frequencies are
 * ignored, as NumPy does).
 *
 * @example A round trip of odd length
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * const x = np.array([1, 2, 3, 4, 5]);
 * deepEqual(np.round(np.fft.irfft(np.fft.rfft(x), 5), 12).tolist(), [1, 2, 3, 4, 5]);
 * ```
 *
 * @param a The half-spectrum.
 * @param n Output length, or the options object.
 * @param axis The axis (default −1).
 * @param norm Normalisation (default `"backward"`).
 * @returns The real signal.
 */
export function irfft(
  a: ArrayLike,
  n?: number | FftOptions | null,
  axis?: number,
  norm?: FftNorm | null,
): NdArray {
  checkOptions("irfft", n, ["axis", "n", "norm"]);
  const o = readOpts("irfft", n, axis, norm);
  return along("irfft", asComplex(a), "irfft", o.n, o.axis, o.norm);
}

/**
 * The DFT of a Hermitian-symmetric signal given by its first half: real
 * output of length `n` (default `2(m − 1)`); `hfft(a, n) = irfft(conj(a), n) · n`.
 *
 * @example A real spectrum
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.fft.hfft([1, 2, 3]).tolist(), [8, -2, 0, -2]); // NumPy's values
 * ```
 *
 * @param a The first half of a Hermitian signal.
 * @param n Output length, or the options object.
 * @param axis The axis (default −1).
 * @param norm Normalisation (default `"backward"`).
 * @returns The real spectrum.
 */
export function hfft(
  a: ArrayLike,
  n?: number | FftOptions | null,
  axis?: number,
  norm?: FftNorm | null,
): NdArray {
  checkOptions("hfft", n, ["axis", "n", "norm"]);
  const o = readOpts("hfft", n, axis, norm);
  return along("hfft", F.conj(asComplex(a)), "irfft", o.n, o.axis, swapNorm(o.norm));
}

/**
 * The inverse of {@linkcode hfft}: the first `⌊n/2⌋ + 1` entries of the
 * Hermitian-symmetric spectrum of a real signal,
 * `ihfft(a, n) = conj(rfft(a, n)) / n` (NumPy's and JAX's definition, the
 * normalisation swapped).
 *
 * @example Inverting hfft
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.fft.ihfft([8, -2, 0, -2]).tolist(), [
 *   { re: 1, im: -0 }, { re: 2, im: -0 }, { re: 3, im: -0 },
 * ]);
 * ```
 *
 * @param a Real input.
 * @param n Transform length, or the options object.
 * @param axis The axis (default −1).
 * @param norm Normalisation (default `"backward"`: the `1/n` is on this transform).
 * @returns The complex half-spectrum.
 */
export function ihfft(
  a: ArrayLike,
  n?: number | FftOptions | null,
  axis?: number,
  norm?: FftNorm | null,
): NdArray {
  checkOptions("ihfft", n, ["axis", "n", "norm"]);
  const o = readOpts("ihfft", n, axis, norm);
  return F.conj(along("ihfft", realInput("ihfft", a), "rfft", o.n, o.axis, swapNorm(o.norm)));
}

/** `"backward"` ↔ `"forward"`: the normalisation of the transform in the other direction. */
function swapNorm(norm: FftNorm): FftNorm {
  return norm === "backward" ? "forward" : norm === "forward" ? "backward" : "ortho";
}

/** Axes and lengths of an n-D transform (NumPy's `_cook_nd_args`). */
function ndArgs(
  name: string,
  x: NdArray,
  o: FftnOptions,
  twoD: boolean,
): { axes: number[]; s: (number | null)[]; norm: FftNorm } {
  const norm = checkNorm(name, o.norm ?? "backward");
  let axes: number[];
  if (o.axes !== undefined && o.axes !== null) axes = [...o.axes];
  else if (twoD) axes = [-2, -1];
  else if (o.s !== undefined && o.s !== null) axes = o.s.map((_, i) => i - o.s!.length);
  else axes = x.shape.map((_, i) => i);
  axes = axes.map((a) => normalizeAxis(checkInt(name, "axes", a), x.ndim));
  if (new Set(axes).size !== axes.length) {
    throw new TypeError(`Invalid axes for ${name}: repeated axis in [${axes}]`);
  }
  const s = o.s ?? null;
  if (s !== null && s.length !== axes.length) {
    throw new TypeError(
      `Invalid s for ${name}: expected ${axes.length} lengths (one per axis), got ${s.length}`,
    );
  }
  return { axes, s: axes.map((_, i) => (s === null ? null : checkInt(name, "s", s[i]))), norm };
}

function nd(name: string, a: ArrayLike, o: FftnOptions, kind: Kind, twoD: boolean): NdArray {
  const x0 = kind === "rfft" ? realInput(name, a) : asComplex(a);
  const { axes, s, norm } = ndArgs(name, x0, o, twoD);
  const last = axes.length - 1;
  let x = x0;
  if (kind === "rfft") {
    // The real transform on the last axis, then complex ones on the others.
    x = along(name, x, "rfft", s[last], axes[last], norm);
    for (let i = 0; i < last; i++) x = along(name, x, "fft", s[i], axes[i], norm);
  } else if (kind === "irfft") {
    for (let i = 0; i < last; i++) x = along(name, x, "ifft", s[i], axes[i], norm);
    x = along(name, x, "irfft", s[last], axes[last], norm);
  } else {
    for (let i = 0; i < axes.length; i++) x = along(name, x, kind, s[i], axes[i], norm);
  }
  return x;
}

/**
 * The n-dimensional DFT over `axes` (default all).
 *
 * @example A 2×2 spectrum
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.real(np.fft.fftn([[1, 2], [3, 4]])).tolist(), [[10, -2], [-4, 0]]);
 * ```
 *
 * @param a The input.
 * @param opts `s` (lengths), `axes`, `norm`.
 * @returns The complex spectrum.
 */
export function fftn(a: ArrayLike, opts: FftnOptions = {}): NdArray {
  checkOptions("fftn", opts, ["axes", "norm", "s"]);
  return nd("fftn", a, opts, "fft", false);
}

/**
 * The n-dimensional inverse DFT over `axes` (default all).
 *
 * @example A round trip
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * const x = [[1, 2], [3, 4]];
 * deepEqual(np.real(np.fft.ifftn(np.fft.fftn(x))).tolist(), x);
 * ```
 *
 * @param a The spectrum.
 * @param opts `s` (lengths), `axes`, `norm`.
 * @returns The complex signal.
 */
export function ifftn(a: ArrayLike, opts: FftnOptions = {}): NdArray {
  checkOptions("ifftn", opts, ["axes", "norm", "s"]);
  return nd("ifftn", a, opts, "ifft", false);
}

/**
 * The 2-D DFT over the last two axes (or `axes`).
 *
 * @example The same as fftn on a matrix
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.real(np.fft.fft2([[1, 2], [3, 4]])).tolist(), [[10, -2], [-4, 0]]);
 * ```
 *
 * @param a The input.
 * @param opts `s` (lengths), `axes`, `norm`.
 * @returns The complex spectrum.
 */
export function fft2(a: ArrayLike, opts: FftnOptions = {}): NdArray {
  checkOptions("fft2", opts, ["axes", "norm", "s"]);
  return nd("fft2", a, opts, "fft", true);
}

/**
 * The 2-D inverse DFT over the last two axes (or `axes`).
 *
 * @example Inverting fft2
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.real(np.fft.ifft2(np.fft.fft2([[1, 2], [3, 4]]))).tolist(), [[1, 2], [3, 4]]);
 * ```
 *
 * @param a The spectrum.
 * @param opts `s` (lengths), `axes`, `norm`.
 * @returns The complex signal.
 */
export function ifft2(a: ArrayLike, opts: FftnOptions = {}): NdArray {
  checkOptions("ifft2", opts, ["axes", "norm", "s"]);
  return nd("ifft2", a, opts, "ifft", true);
}

/**
 * The n-dimensional DFT of real input: `rfft` over the last of `axes`, then
 * `fft` over the others.
 *
 * @example Shape of a real 2-D transform
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.fft.rfftn(np.ones([4, 6])).shape, [4, 4]);
 * ```
 *
 * @param a Real input.
 * @param opts `s` (lengths), `axes`, `norm`.
 * @returns The complex half-spectrum.
 */
export function rfftn(a: ArrayLike, opts: FftnOptions = {}): NdArray {
  checkOptions("rfftn", opts, ["axes", "norm", "s"]);
  return nd("rfftn", a, opts, "rfft", false);
}

/**
 * The inverse of {@linkcode rfftn}: `ifft` over all but the last of `axes`,
 * then `irfft` over the last (length `s` at the end, default `2(m − 1)`).
 *
 * @example A round trip
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * const x = np.arange(12).reshape([3, 4]);
 * deepEqual(np.round(np.fft.irfftn(np.fft.rfftn(x)), 12).tolist(), x.tolist());
 * ```
 *
 * @param a The half-spectrum.
 * @param opts `s` (lengths), `axes`, `norm`.
 * @returns The real signal.
 */
export function irfftn(a: ArrayLike, opts: FftnOptions = {}): NdArray {
  checkOptions("irfftn", opts, ["axes", "norm", "s"]);
  return nd("irfftn", a, opts, "irfft", false);
}

/**
 * The 2-D DFT of real input over the last two axes (or `axes`): `rfft` over
 * the last of them, then `fft` over the other (`rfftn` with two axes).
 *
 * @example The half-spectrum of a matrix
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * const X = np.fft.rfft2([[1, 2, 3, 4], [5, 6, 7, 8]]);
 * deepEqual(X.shape, [2, 3]);
 * deepEqual(np.real(X).tolist(), [[36, -4, -4], [-16, 0, 0]]);
 * ```
 *
 * @param a Real input.
 * @param opts `s` (lengths), `axes` (default `[-2, -1]`), `norm`.
 * @returns The complex half-spectrum.
 */
export function rfft2(a: ArrayLike, opts: FftnOptions = {}): NdArray {
  checkOptions("rfft2", opts, ["axes", "norm", "s"]);
  return nd("rfft2", a, opts, "rfft", true);
}

/**
 * The inverse of {@linkcode rfft2}: `ifft` over the first of the two axes,
 * then `irfft` over the last (length `s[1]`, default `2(m − 1)`).
 *
 * @example A round trip of odd width
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * const x = np.arange(15).reshape([3, 5]);
 * const back = np.fft.irfft2(np.fft.rfft2(x), { s: [3, 5] });
 * deepEqual(np.round(back, 12).tolist(), x.tolist());
 * ```
 *
 * @param a The half-spectrum.
 * @param opts `s` (output lengths), `axes` (default `[-2, -1]`), `norm`.
 * @returns The real signal.
 */
export function irfft2(a: ArrayLike, opts: FftnOptions = {}): NdArray {
  checkOptions("irfft2", opts, ["axes", "norm", "s"]);
  return nd("irfft2", a, opts, "irfft", true);
}

/**
 * The sample frequencies of {@linkcode fft}: `[0, 1, …, ⌈n/2⌉ − 1, −⌊n/2⌋, …, −1] / (d·n)`.
 *
 * @example Frequencies of 4 samples
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.fft.fftfreq(4).tolist(), [0, 0.25, -0.5, -0.25]);
 * deepEqual(np.fft.fftfreq(5, 0.1).tolist(), [0, 2, 4, -4, -2]);
 * ```
 *
 * @param n Number of samples.
 * @param d Sample spacing (default 1).
 * @returns The frequencies, `float64`.
 */
export function fftfreq(n: number, d: number = 1): NdArray {
  checkInt("fftfreq", "n", n);
  if (n < 1) throw new RangeError(`Invalid n for fftfreq: expected a positive length, got ${n}`);
  const f = new Float64Array(n);
  const pos = Math.floor((n - 1) / 2) + 1;
  for (let i = 0; i < n; i++) f[i] = (i < pos ? i : i - n) / (d * n);
  return new NdArray(f, [n], "float64");
}

/**
 * The sample frequencies of {@linkcode rfft}: `[0, 1, …, ⌊n/2⌋] / (d·n)`.
 *
 * @example Frequencies of 5 real samples
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.fft.rfftfreq(5).tolist(), [0, 0.2, 0.4]);
 * ```
 *
 * @param n Number of samples.
 * @param d Sample spacing (default 1).
 * @returns The frequencies, `float64`.
 */
export function rfftfreq(n: number, d: number = 1): NdArray {
  checkInt("rfftfreq", "n", n);
  if (n < 1) throw new RangeError(`Invalid n for rfftfreq: expected a positive length, got ${n}`);
  return arange((n >> 1) + 1).div(d * n);
}

function shiftAll(x: NdArray, axes: number | readonly number[] | null | undefined, sign: 1 | -1) {
  const list = axes === undefined || axes === null
    ? x.shape.map((_, i) => i)
    : typeof axes === "number"
    ? [axes]
    : [...axes];
  const norm = list.map((a) => normalizeAxis(a, x.ndim));
  if (norm.length === 0) return x;
  return roll(x, norm.map((a) => sign * Math.floor(x.shape[a] / 2)), norm);
}

/**
 * Moves the zero frequency to the centre (rolls each axis by `⌊n/2⌋`).
 *
 * @example Centring frequencies
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.fft.fftshift(np.fft.fftfreq(5)).tolist(), [-0.4, -0.2, 0, 0.2, 0.4]);
 * ```
 *
 * @param x The input.
 * @param axes Axes to shift (default all).
 * @returns The shifted array.
 */
export function fftshift(x: ArrayLike, axes?: number | readonly number[] | null): NdArray {
  return shiftAll(asArray(x), axes, 1);
}

/**
 * The inverse of {@linkcode fftshift} (rolls each axis by `−⌊n/2⌋`).
 *
 * @example Undoing fftshift at odd length
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.fft.ifftshift(np.fft.fftshift([0, 1, 2, 3, 4])).tolist(), [0, 1, 2, 3, 4]);
 * ```
 *
 * @param x The input.
 * @param axes Axes to shift (default all).
 * @returns The shifted array.
 */
export function ifftshift(x: ArrayLike, axes?: number | readonly number[] | null): NdArray {
  return shiftAll(asArray(x), axes, -1);
}
