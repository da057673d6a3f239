/**
 * NumPy's window functions: `bartlett`, `blackman`, `hamming`, `hanning` and
 * `kaiser`, each a `float64` array of `m` samples symmetric about its centre
 * (an empty array for `m < 1`, `[1]` for `m == 1`), computed directly from
 * their formulas (`kaiser` with an array `beta` from array operations, so it
 * is differentiable in `beta` and may be traced).
 *
 * @module
 */

import { NdArray } from "../array/array.ts";
import { showValue } from "../array/shape.ts";
import {
  abs,
  add,
  astype,
  divide,
  exp,
  lessEqual,
  maximum,
  minimum,
  multiply,
  negative,
  sqrt,
  subtract,
  where,
} from "./math.ts";
import { onesLike } from "./creation.ts";

function windowLength(name: string, m: number): number {
  if (typeof m !== "number" || !Number.isInteger(m)) {
    throw new TypeError(
      `Invalid window length for ${name}: expected an integer, got ${showValue(m)}`,
    );
  }
  return Math.max(m, 0);
}

/** The window `w(n)` for n = 1-m, 3-m, ..., m-1 (NumPy's symmetric grid), divided by m-1. */
function cosineWindow(name: string, m: number, w: (t: number) => number): NdArray {
  const len = windowLength(name, m);
  const out = new Float64Array(len);
  if (len === 1) out[0] = 1;
  else for (let i = 0; i < len; i++) out[i] = w((1 - len + 2 * i) / (len - 1));
  return new NdArray(out, [len], "float64");
}

/**
 * The Bartlett (triangular) window.
 *
 * @example
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.bartlett(5).tolist(), [0, 0.5, 1, 0.5, 0]);
 * ```
 *
 * @param m Number of samples.
 * @returns The window.
 */
export function bartlett(m: number): NdArray {
  return cosineWindow("bartlett", m, (t) => (t <= 0 ? 1 + t : 1 - t));
}

/**
 * The Blackman window `0.42 + 0.5 cos(πt) + 0.08 cos(2πt)`.
 *
 * @example
 * ```ts
 * import { np } from "@nabla/ad";
 * import { ok } from "node:assert/strict";
 *
 * ok(Math.abs((np.blackman(3).tolist() as number[])[1] - 1) < 1e-15);
 * ```
 *
 * @param m Number of samples.
 * @returns The window.
 */
export function blackman(m: number): NdArray {
  return cosineWindow(
    "blackman",
    m,
    (t) => 0.42 + 0.5 * Math.cos(Math.PI * t) + 0.08 * Math.cos(2 * Math.PI * t),
  );
}

/**
 * The Hamming window `0.54 + 0.46 cos(πt)`.
 *
 * @example
 * ```ts
 * import { np } from "@nabla/ad";
 * import { equal } from "node:assert/strict";
 *
 * equal((np.hamming(3).tolist() as number[])[1], 1);
 * ```
 *
 * @param m Number of samples.
 * @returns The window.
 */
export function hamming(m: number): NdArray {
  return cosineWindow("hamming", m, (t) => 0.54 + 0.46 * Math.cos(Math.PI * t));
}

/**
 * The Hann window `0.5 + 0.5 cos(πt)`.
 *
 * @example
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.hanning(3).tolist(), [0, 1, 0]);
 * ```
 *
 * @param m Number of samples.
 * @returns The window.
 */
export function hanning(m: number): NdArray {
  return cosineWindow(
    "hanning",
    m,
    (t) => (Math.abs(t) === 1 ? 0 : 0.5 + 0.5 * Math.cos(Math.PI * t)),
  );
}

/**
 * `I0(x)·e^(-x)`, the exponentially scaled modified Bessel function of order
 * 0, for `x ≥ 0`: its power series below 25 (positive terms, so no
 * cancellation) and the asymptotic series above (stopped at its smallest
 * term, below 1e-20 there); both are accurate to a few ulps.
 */
function i0e(x: number): number {
  if (x <= 25) {
    const q = (x * x) / 4;
    let term = 1, s = 1;
    for (let k = 1; term > s * 1e-17; k++) {
      term *= q / (k * k);
      s += term;
    }
    return s * Math.exp(-x);
  }
  let term = 1, s = 1;
  for (let k = 1; k < 60; k++) {
    const next = (term * (2 * k - 1) * (2 * k - 1)) / (8 * k * x);
    if (next >= term) break;
    term = next;
    s += term;
    if (term < s * 1e-17) break;
  }
  return s / Math.sqrt(2 * Math.PI * x);
}

/**
 * `i0e` of a non-negative float array, composed from array operations (so
 * it is differentiable and batches): the power series (80 terms) on
 * `min(x, 25)` and the asymptotic series (30 terms) on `max(x, 25)`, each
 * branch fed only its own range so neither overflows under a gradient.
 */
function i0eArray(x: NdArray): NdArray {
  const cut = 25;
  const xs = minimum(x, cut);
  const q = divide(multiply(xs, xs), 4);
  let term = onesLike(xs), s = onesLike(xs);
  for (let k = 1; k <= 80; k++) {
    term = multiply(term, divide(q, k * k));
    s = add(s, term);
  }
  const series = multiply(s, exp(negative(xs)));
  const xa = maximum(x, cut);
  let ta = onesLike(xa), sa = onesLike(xa);
  for (let k = 1; k <= 30; k++) {
    ta = multiply(ta, divide((2 * k - 1) * (2 * k - 1), multiply(xa, 8 * k)));
    sa = add(sa, ta);
  }
  const asym = divide(sa, sqrt(multiply(xa, 2 * Math.PI)));
  return where(lessEqual(x, cut), series, asym);
}

/**
 * The Kaiser window `I0(β √(1 - t²)) / I0(β)` (a ratio of modified Bessel
 * functions, computed exponentially scaled so large `β` does not overflow).
 *
 * @example
 * ```ts
 * import { np } from "@nabla/ad";
 * import { equal } from "node:assert/strict";
 *
 * const w = np.kaiser(5, 0).tolist();
 * equal(JSON.stringify(w), "[1,1,1,1,1]");
 * ```
 *
 * @param m Number of samples.
 * @param beta The shape parameter (0 gives the rectangular window): a number, or a
 *   0-d array — then the window is differentiable in it and may be traced.
 * @returns The window.
 */
export function kaiser(m: number, beta: number | NdArray): NdArray {
  const len = windowLength("kaiser", m);
  const ts = Float64Array.from(
    { length: len },
    (_, i) => (len === 1 ? 0 : (2 * i) / (len - 1) - 1),
  );
  if (beta instanceof NdArray) {
    // An array beta (possibly traced): the same ratio from array operations, differentiable in beta.
    if (beta.ndim !== 0) {
      throw new TypeError(`kaiser needs a scalar beta: got shape [${beta.shape}]`);
    }
    const bb = abs(astype(beta, "float64"));
    const roots = new NdArray(ts.map((t) => Math.sqrt(Math.max(0, 1 - t * t))), [len], "float64");
    const arg = multiply(bb, roots);
    return multiply(divide(i0eArray(arg), i0eArray(bb)), exp(subtract(arg, bb)));
  }
  if (typeof beta !== "number" || Number.isNaN(beta)) {
    throw new TypeError(`Invalid beta for kaiser: expected a number, got ${showValue(beta)}`);
  }
  const out = new Float64Array(len);
  const bb = Math.abs(beta);
  const den = i0e(bb);
  for (let i = 0; i < len; i++) {
    const arg = bb * Math.sqrt(Math.max(0, 1 - ts[i] * ts[i]));
    out[i] = (i0e(arg) / den) * Math.exp(arg - bb);
  }
  return new NdArray(out, [len], "float64");
}
