/**
 * NumPy's polynomial routines on coefficient arrays, highest power first:
 * `polyval`, `polyadd`, `polysub`, `polymul`, `polydiv`, `polyder`,
 * `polyint`, `polyfit`. All are composed from array operations, so they are
 * differentiable and batch under `vmap` (coefficient counts are static);
 * `roots` (through `np.linalg.eigvals`).
 *
 * @module
 */

import { checkOptions } from "../core/options.ts";
import * as P from "../primitives/structural.ts";
import type { ArrayLike, NdArray } from "../array/array.ts";
import { isInexact } from "../array/dtype.ts";
import { showShape, showValue } from "../array/shape.ts";
import { convert } from "../primitives/elementwise.ts";
import { asArray, checkInt, promote, sliceAxis } from "./_args.ts";
import { add, divide, multiply, negative, sqrt, subtract } from "./math.ts";
import { eigvals } from "./linalg.ts";
import { complex } from "./complex.ts";
import { sum } from "./reductions.ts";
import { arange, eye, full, zeros, zerosLike } from "./creation.ts";
import { concatenate } from "./manipulation.ts";

function coeffs(name: string, p: ArrayLike): NdArray {
  const a = asArray(p);
  if (a.ndim !== 1) {
    throw new TypeError(`${name} needs 1-D coefficients: got shape ${showShape(a.shape)}`);
  }
  return a;
}

function inexactPair(name: string, a: ArrayLike, b: ArrayLike): [NdArray, NdArray] {
  let [x, y] = promote([coeffs(name, a), coeffs(name, b)]);
  if (!isInexact(x.dtype)) [x, y] = [convert(x, "float64"), convert(y, "float64")];
  return [x, y];
}

function leftPad(a: NdArray, n: number): NdArray {
  return n === 0 ? a : P.pad(a, { lo: [n], hi: [0], interior: [0] });
}

/**
 * The polynomial `p` evaluated at `x` by Horner's rule:
 * `p[0]·x^(n-1) + … + p[n-1]`.
 *
 * @example
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.polyval([1, 0, -1], np.array([2, 3])).tolist(), [3, 8]);
 * ```
 *
 * @param p Coefficients, highest power first.
 * @param x Where to evaluate (any shape).
 * @returns The values, of the shape of `x`.
 */
export function polyval(p: ArrayLike, x: ArrayLike): NdArray {
  const [c, xx] = promote([coeffs("polyval", p), x]);
  let y = zerosLike(xx);
  for (let i = 0; i < c.shape[0]; i++) {
    y = add(multiply(y, xx), P.reshape(sliceAxis(c, 0, i, i + 1), []));
  }
  return y;
}

/**
 * The sum of two polynomials (the shorter padded with leading zeros).
 *
 * @example
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.polyadd([1, 2], [1, 0, 0]).tolist(), [1, 1, 2]);
 * ```
 *
 * @param a First coefficients.
 * @param b Second coefficients.
 * @returns The coefficients of `a + b`.
 */
export function polyadd(a: ArrayLike, b: ArrayLike): NdArray {
  const [x, y] = promote([coeffs("polyadd", a), coeffs("polyadd", b)]);
  const n = Math.max(x.shape[0], y.shape[0]);
  return add(leftPad(x, n - x.shape[0]), leftPad(y, n - y.shape[0]));
}

/**
 * The difference of two polynomials.
 *
 * @example
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.polysub([1, 2], [1, 0, 0]).tolist(), [-1, 1, 2]);
 * ```
 *
 * @param a First coefficients.
 * @param b Second coefficients.
 * @returns The coefficients of `a - b`.
 */
export function polysub(a: ArrayLike, b: ArrayLike): NdArray {
  const [x, y] = promote([coeffs("polysub", a), coeffs("polysub", b)]);
  const n = Math.max(x.shape[0], y.shape[0]);
  return subtract(leftPad(x, n - x.shape[0]), leftPad(y, n - y.shape[0]));
}

/** The full discrete convolution of two 1-D arrays, by summing the shifted rows of their outer product. */
function convolveFull(x: NdArray, y: NdArray): NdArray {
  const n = x.shape[0], m = y.shape[0];
  if (n === 0 || m === 0) return zeros([0], x.dtype);
  const outer = multiply(P.reshape(x, [n, 1]), P.reshape(y, [1, m]));
  // Row i padded to m + n and read back n + m - 1 wide lands shifted by i.
  const padded = P.reshape(P.pad(outer, { lo: [0, 0], hi: [0, n], interior: [0, 0] }), [
    n * (m + n),
  ]);
  const rows = P.reshape(sliceAxis(padded, 0, 0, n * (m + n - 1)), [n, m + n - 1]);
  return sum(rows, 0);
}

/**
 * The product of two polynomials (the convolution of their coefficients).
 *
 * @example
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.polymul([1, 1], [1, -1]).tolist(), [1, 0, -1]);
 * ```
 *
 * @param a First coefficients.
 * @param b Second coefficients.
 * @returns The coefficients of `a · b`.
 */
export function polymul(a: ArrayLike, b: ArrayLike): NdArray {
  // As JAX (a convolution), integer coefficients give float64.
  const [x, y] = inexactPair("polymul", a, b);
  return convolveFull(x, y);
}

/**
 * Polynomial long division: `[quotient, remainder]` with `u = q·v + r`. As
 * JAX, the remainder keeps the length of `u` (its leading entries are zero).
 *
 * @example
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * const [q, r] = np.polydiv([1, 0, -1], [1, 1]);
 * deepEqual([q.tolist(), r.tolist()], [[1, -1], [0, 0, 0]]);
 * ```
 *
 * @param u The dividend.
 * @param v The divisor (its leading coefficient must be non-zero).
 * @returns `[quotient, remainder]`.
 */
export function polydiv(u: ArrayLike, v: ArrayLike): [NdArray, NdArray] {
  const [uu, vv] = inexactPair("polydiv", u, v);
  const m = uu.shape[0] - 1, n = vv.shape[0] - 1;
  if (n < 0) throw new RangeError("polydiv needs a non-empty divisor");
  const scale = divide(1, P.reshape(sliceAxis(vv, 0, 0, 1), []));
  const qs: NdArray[] = [];
  let r = uu;
  for (let k = 0; k <= m - n; k++) {
    const d = multiply(scale, P.reshape(sliceAxis(r, 0, k, k + 1), []));
    qs.push(P.reshape(d, [1]));
    // r[k : k + n + 1] -= d · v
    const update = P.pad(multiply(d, vv), { lo: [k], hi: [m - n - k], interior: [0] });
    r = subtract(r, update);
  }
  const q = qs.length > 0 ? concatenate(qs, 0) : zeros([1], uu.dtype);
  return [q, r];
}

/**
 * The `m`-th derivative of a polynomial.
 *
 * @example
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.polyder([1, 1, 1, 1]).tolist(), [3, 2, 1]);
 * ```
 *
 * @param p Coefficients, highest power first.
 * @param m The order (default 1).
 * @returns The derivative's coefficients.
 */
export function polyder(p: ArrayLike, m = 1): NdArray {
  checkInt("polyder", "order m", m);
  if (m < 0) throw new RangeError(`Order of polyder must be non-negative: got ${m}`);
  let c = coeffs("polyder", p);
  // As JAX, integer coefficients give float64.
  if (!isInexact(c.dtype)) c = convert(c, "float64");
  for (let i = 0; i < m && c.shape[0] > 0; i++) {
    const n = c.shape[0];
    const powers = arange(n - 1, 0, -1, { dtype: c.dtype });
    c = multiply(sliceAxis(c, 0, 0, n - 1), powers);
  }
  return c;
}

/**
 * The `m`-th antiderivative of a polynomial; `k` gives the integration
 * constants (one per integration, the first one first; a scalar is used for
 * every integration; default zeros).
 *
 * @example
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.polyint([3, 2, 1]).tolist(), [1, 1, 1, 0]);
 * ```
 *
 * @param p Coefficients, highest power first.
 * @param m The order (default 1).
 * @param k The integration constants.
 * @returns The antiderivative's coefficients.
 */
export function polyint(p: ArrayLike, m = 1, k?: ArrayLike | null): NdArray {
  checkInt("polyint", "order m", m);
  if (m < 0) throw new RangeError(`Order of polyint must be non-negative: got ${m}`);
  let c = coeffs("polyint", p);
  if (!isInexact(c.dtype)) c = convert(c, "float64");
  if (m === 0) return c;
  let ks = k === undefined || k === null ? zeros([m], c.dtype) : asArray(k, c.dtype);
  ks = P.reshape(ks, [ks.size]);
  if (ks.shape[0] === 1) ks = P.broadcastTo(ks, [m]);
  if (ks.shape[0] !== m) {
    throw new RangeError(`polyint needs ${m} integration constants: got ${showValue(k)}`);
  }
  for (let i = 0; i < m; i++) {
    const n = c.shape[0];
    c = concatenate(
      [divide(c, arange(n, 0, -1, { dtype: c.dtype })), sliceAxis(ks, 0, i, i + 1)],
      0,
    );
  }
  return c;
}

/** Options of {@linkcode polyfit}. */
export interface PolyfitOptions {
  /** Weights of the samples (multiplying the residuals). */
  w?: ArrayLike | null;
}

/**
 * The least-squares polynomial of degree `deg` through `(x, y)`: minimises
 * `Σ (w·(polyval(p, x) − y))²`. Solved, as JAX, on the column-scaled
 * Vandermonde matrix — here by modified Gram–Schmidt QR and back
 * substitution, composed from array operations (so it is differentiable in
 * `x`, `y` and `w`). `y` may be 2-D (one fit per column).
 *
 * @example
 * ```ts
 * import { np } from "@nabla/ad";
 * import { ok } from "node:assert/strict";
 *
 * const x = np.array([0, 1, 2, 3]);
 * const p = np.polyfit(x, np.add(np.multiply(x, 2), 1), 1).tolist() as number[];
 * ok(Math.abs(p[0] - 2) < 1e-12 && Math.abs(p[1] - 1) < 1e-12);
 * ```
 *
 * @param x The sample points (1-D).
 * @param y The values (1-D, or 2-D with one column per fit).
 * @param deg The degree.
 * @param options `w`.
 * @returns The coefficients, highest power first.
 */
export function polyfit(
  x: ArrayLike,
  y: ArrayLike,
  deg: number,
  options?: PolyfitOptions,
): NdArray {
  checkOptions("polyfit", options, ["w"]);
  checkInt("polyfit", "degree", deg);
  if (deg < 0) throw new RangeError(`Degree of polyfit must be non-negative: got ${deg}`);
  let [xx, yy] = promote([x, y]);
  if (!isInexact(xx.dtype)) [xx, yy] = [convert(xx, "float64"), convert(yy, "float64")];
  if (xx.ndim !== 1) throw new TypeError(`polyfit needs 1-D x: got shape ${showShape(xx.shape)}`);
  if (yy.ndim < 1 || yy.ndim > 2 || yy.shape[0] !== xx.shape[0]) {
    throw new TypeError(
      `polyfit needs y of shape [${xx.shape[0]}] or [${xx.shape[0]}, k]: got ${
        showShape(yy.shape)
      }`,
    );
  }
  const n = xx.shape[0], order = deg + 1;
  if (n < order) {
    throw new RangeError(`polyfit of degree ${deg} needs at least ${order} points: got ${n}`);
  }
  // Columns x^deg ... x^0.
  const cols: NdArray[] = [];
  let pw = full([n], 1, xx.dtype);
  for (let j = 0; j < order; j++) {
    cols.push(pw);
    pw = multiply(pw, xx);
  }
  cols.reverse();
  let rhs = yy.ndim === 1 ? P.reshape(yy, [n, 1]) : yy;
  const w = options?.w;
  if (w !== undefined && w !== null) {
    const ww = asArray(w, xx.dtype);
    for (let j = 0; j < order; j++) cols[j] = multiply(cols[j], ww);
    rhs = multiply(rhs, P.reshape(ww, [n, 1]));
  }
  const scales = cols.map((c) => sqrt(sum(multiply(c, c))));
  const a = cols.map((c, j) => divide(c, scales[j]));
  // Modified Gram–Schmidt: a = Q R.
  const q: NdArray[] = [];
  const r: NdArray[][] = [];
  for (let j = 0; j < order; j++) {
    let v = a[j];
    r.push([]);
    for (let i = 0; i < j; i++) {
      const rij = sum(multiply(q[i], v));
      r[j][i] = rij;
      v = subtract(v, multiply(rij, q[i]));
    }
    const rjj = sqrt(sum(multiply(v, v)));
    r[j][j] = rjj;
    q.push(divide(v, rjj));
  }
  // Solve R c = Qᵀ rhs by back substitution (r[j][i] is R[i, j]).
  const qtb = q.map((qi) => sum(multiply(P.reshape(qi, [n, 1]), rhs), 0));
  const c: NdArray[] = new globalThis.Array(order);
  for (let i = order - 1; i >= 0; i--) {
    let s = qtb[i];
    for (let j = i + 1; j < order; j++) s = subtract(s, multiply(r[j][i], c[j]));
    c[i] = divide(s, r[i][i]);
  }
  const out = concatenate(c.map((ci, j) => P.reshape(divide(ci, scales[j]), [1, ci.shape[0]])), 0);
  return yy.ndim === 1 ? P.reshape(out, [order]) : out;
}

/**
 * The roots of a polynomial (JAX's `roots`): the eigenvalues of its
 * companion matrix, complex. Leading zero coefficients are stripped (they
 * must be concrete); trailing zeros give zero roots. Differentiable through
 * `np.linalg.eigvals` (simple roots). Their order is the eigensolver's.
 *
 * @example
 * ```ts
 * import { np } from "@nabla/ad";
 * import { ok } from "node:assert/strict";
 *
 * // x² - 3x + 2 = (x - 1)(x - 2)
 * const r = (np.real(np.roots([1, -3, 2])).tolist() as number[]).sort();
 * ok(Math.abs(r[0] - 1) < 1e-12 && Math.abs(r[1] - 2) < 1e-12);
 * ```
 *
 * @param p Coefficients, highest power first (1-D).
 * @returns The roots (`complex128` for float64 coefficients).
 */
export function roots(p: ArrayLike): NdArray {
  let c = coeffs("roots", p);
  if (!isInexact(c.dtype)) c = convert(c, "float64");
  const empty = () => complex(zeros([0], c.dtype), zeros([0], c.dtype));
  if (c.shape[0] < 2) return empty();
  // Strip leading zeros (a concrete count: it fixes the number of roots).
  let lead: number;
  try {
    const v = c.tolist() as number[];
    lead = v.findIndex((x) => x !== 0);
  } catch {
    throw new TypeError(
      "roots needs concrete coefficients to strip leading zeros (the number of roots depends on them)",
    );
  }
  if (lead < 0) return empty();
  if (lead > 0) c = sliceAxis(c, 0, lead, c.shape[0]);
  const n = c.shape[0];
  if (n < 2) return empty();
  const head = P.reshape(sliceAxis(c, 0, 0, 1), []);
  const row0 = P.reshape(negative(divide(sliceAxis(c, 0, 1, n), head)), [1, n - 1]);
  const companion = n === 2 ? row0 : concatenate([row0, eye(n - 2, n - 1, { dtype: c.dtype })], 0);
  return eigvals(companion);
}
