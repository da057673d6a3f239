/**
 * NumPy's window functions: `bartlett`, `blackman`, `hamming`, `hanning` and
 * `kaiser`, each a `float64` array of `m` samples symmetric about its centre
 * (an empty array for `m < 1`, `[1]` for `m == 1`). The windows are
 * constants: they are computed directly from their formulas.
 *
 * @module
 */

import { NdArray } from "../array/array.ts";
import { showValue } from "../array/shape.ts";

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
 * @param beta The shape parameter (a number; 0 gives the rectangular window).
 * @returns The window.
 */
export function kaiser(m: number, beta: number | NdArray): NdArray {
  const b = beta instanceof NdArray ? beta.item() : beta;
  if (typeof b !== "number" || Number.isNaN(b)) {
    throw new TypeError(`Invalid beta for kaiser: expected a number, got ${showValue(beta)}`);
  }
  const len = windowLength("kaiser", m);
  const out = new Float64Array(len);
  const bb = Math.abs(b);
  const den = i0e(bb);
  for (let i = 0; i < len; i++) {
    const t = len === 1 ? 0 : (2 * i) / (len - 1) - 1;
    const arg = bb * Math.sqrt(Math.max(0, 1 - t * t));
    out[i] = (i0e(arg) / den) * Math.exp(arg - bb);
  }
  return new NdArray(out, [len], "float64");
}
