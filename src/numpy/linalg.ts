/**
 * The `np.linalg` namespace (JAX's `jax.numpy.linalg`): norms, solves,
 * inverses, determinants and the factorizations (`cholesky`, `qr`, `svd`,
 * `eigh`), composed from the primitives of `lax.linalg`, so every
 * transformation applies. Leading axes are batch axes throughout.
 *
 * @example The Euclidean norm
 * ```ts
 * import { np } from "@nabla/ad";
 * import { equal } from "node:assert/strict";
 *
 * equal(np.linalg.norm([3, 4]).item(), 5);
 * ```
 *
 * @module
 */

import type { ArrayLike, NdArray } from "../array/array.ts";
import { isInexact } from "../array/dtype.ts";
import { broadcastShapes, normalizeAxes, showShape, sizeOf } from "../array/shape.ts";
import { keptShape } from "../primitives/reductions.ts";
import { reshape, slice } from "../primitives/structural.ts";
import * as prim from "../primitives/linalg.ts";
import * as lax from "../lax/linalg.ts";
import { complex } from "../primitives/fft.ts";
import { customJvp } from "../transforms/custom.ts";
import { asArray, promote, readOptions, scalarArray } from "./_args.ts";
import {
  abs,
  astype,
  divide,
  equal,
  greater,
  greaterEqual,
  isnan,
  less,
  log,
  logicalAnd,
  logicalNot,
  mod,
  multiply,
  negative,
  notEqual,
  power,
  sqrt,
  square,
  subtract,
  where,
} from "./math.ts";
import { any, type KeepDimsOptions, max, min, prod, sum } from "./reductions.ts";
import { broadcastTo, expandDims, moveaxis, swapaxes } from "./manipulation.ts";
import {
  cross as npCross,
  matmul as npMatmul,
  outer as npOuter,
  tensordot as npTensordot,
  trace as npTrace,
} from "./products.ts";
import { arange, eye } from "./creation.ts";
import { diagonal as npDiagonal } from "./indexing.ts";
import { countNonzero } from "./sorting.ts";
import { showValue } from "../array/shape.ts";
import { checkOptions } from "../core/options.ts";

/** The order of a {@linkcode norm}: a number (including ±Infinity), or `"fro"` (also `"f"`) / `"nuc"` for matrices. */
export type NormOrder = number | "fro" | "f" | "nuc" | null;

/**
 * A vector or matrix norm, as `jnp.linalg.norm`. Without `axis`, a 1-D
 * input takes a vector norm and a 2-D input a matrix norm (`ord` omitted:
 * the 2-norm of the flattened input, whatever its rank). With one axis:
 * vector norms — `ord` 2 (default), 1, `Infinity` (max |x|), `-Infinity`
 * (min |x|), 0 (count of nonzeros) or any `p` (`(Σ|x|ᵖ)^(1/p)`). With two
 * axes: matrix norms — `"fro"` (default), 1 / -1 (max / min column sum of
 * |x|), `Infinity` / `-Infinity` (max / min row sum), 2 / -2 (largest /
 * smallest singular value), `"nuc"` (sum of singular values). The gradient of the 2-norm at zero is NaN, as JAX's.
 *
 * @example Vector and matrix norms
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual, equal } from "node:assert/strict";
 *
 * equal(np.linalg.norm([3, -4]).item(), 5);
 * equal(np.linalg.norm([3, -4], 1).item(), 7);
 * equal(np.linalg.norm([3, -4], Infinity).item(), 4);
 * equal(np.linalg.norm([[1, 2], [3, 4]], 1).item(), 6);
 * deepEqual(np.linalg.norm([[3, 4], [6, 8]], null, 1).tolist(), [5, 10]);
 * ```
 *
 * @param x The input.
 * @param ord The order (see above); `null` or omitted for the default.
 * @param axis One axis (vector norms) or two (matrix norms); by default as described above.
 * @param opts `keepdims` (default `false`).
 * @returns The norms.
 */
export function norm(
  x: ArrayLike,
  ord: NormOrder = null,
  axis: number | readonly number[] | null = null,
  opts: KeepDimsOptions = {},
): NdArray {
  checkOptions("norm", opts, ["keepdims"]);
  const o = readOptions("norm", opts, false);
  const keepdims = o.keepdims ?? false;
  let a = asArray(x);
  if (!isInexact(a.dtype)) a = astype(a, "float64");
  let axes: number[];
  if (axis === null || axis === undefined) {
    axes = normalizeAxes(null, a.ndim);
    if (ord === null) return finish(sqrt(sum(multiply(a, a), axes)), a, axes, keepdims);
    if (a.ndim !== 1 && a.ndim !== 2) {
      throw new TypeError(
        `Improper number of dimensions to norm: an order needs a 1-D or 2-D input or an axis, got shape ${
          showShape(a.shape)
        }`,
      );
    }
  } else {
    axes = (typeof axis === "number" ? [axis] : [...axis]).map((v) => {
      if (!Number.isInteger(v)) {
        throw new TypeError(
          `Invalid axis for norm: expected integers, got ${showValue(axis)}`,
        );
      }
      return v;
    });
    const sorted = normalizeAxes(axes, a.ndim);
    axes = axes.map((v) => (v < 0 ? v + a.ndim : v));
    if (sorted.length !== axes.length) throw new RangeError("Duplicate axes given to norm");
  }
  if (axes.length === 1) return finish(vecNorm(a, ord, axes[0]), a, axes, keepdims);
  if (axes.length === 2) return finish(matNorm(a, ord, axes[0], axes[1]), a, axes, keepdims);
  throw new TypeError(`Improper number of axes for norm: expected 1 or 2, got ${axes.length}`);
}

function finish(y: NdArray, a: NdArray, axes: number[], keepdims: boolean): NdArray {
  return keepdims ? reshape(y, keptShape(a.shape, axes)) : y;
}

function vecNorm(a: NdArray, ord: NormOrder, axis: number): NdArray {
  if (ord === null || ord === 2) return sqrt(sum(multiply(a, a), axis));
  if (typeof ord !== "number") {
    throw new TypeError(`Invalid norm order ${showValue(ord)} for vectors`);
  }
  if (ord === Infinity) return max(abs(a), axis);
  if (ord === -Infinity) return min(abs(a), axis);
  if (ord === 0) return sum(astype(notEqual(a, scalarArray(0, a.dtype)), a.dtype), axis);
  if (ord === 1) return sum(abs(a), axis);
  if (Number.isNaN(ord)) throw new TypeError("Invalid norm order NaN for vectors");
  return power(sum(power(abs(a), ord), axis), 1 / ord);
}

function matNorm(a: NdArray, ord: NormOrder, row: number, col: number): NdArray {
  if (ord === null || ord === "fro" || ord === "f") return sqrt(sum(multiply(a, a), [row, col]));
  if (ord === 1 || ord === -1) {
    const s = sum(abs(a), row);
    const c = col > row ? col - 1 : col;
    return ord === 1 ? max(s, c) : min(s, c);
  }
  if (ord === Infinity || ord === -Infinity) {
    const s = sum(abs(a), col);
    const r = row > col ? row - 1 : row;
    return ord === Infinity ? max(s, r) : min(s, r);
  }
  if (ord === 2 || ord === -2 || ord === "nuc") {
    // Singular values of the matrices on axes (row, col), moved last.
    const s = svdvals(moveaxis(a, [row, col], [-2, -1]));
    return ord === 2 ? max(s, -1) : ord === -2 ? min(s, -1) : sum(s, -1);
  }
  throw new TypeError(`Invalid norm order ${showValue(ord)} for matrices`);
}

// ---------------------------------------------------------------------------
// Helpers

/** `x` as an inexact array of rank >= 2 (integers become float64). */
function matrixArg(name: string, x: ArrayLike, square = false): NdArray {
  let a = asArray(x);
  if (!isInexact(a.dtype)) a = astype(a, "float64");
  if (a.ndim < 2) {
    throw new TypeError(
      `np.linalg.${name} needs an array of rank >= 2: got shape ${showShape(a.shape)}`,
    );
  }
  if (square && a.shape[a.ndim - 1] !== a.shape[a.ndim - 2]) {
    throw new TypeError(
      `np.linalg.${name} needs square matrices: got shape ${showShape(a.shape)}`,
    );
  }
  return a;
}

function floatPair(x: ArrayLike, y: ArrayLike): [NdArray, NdArray] {
  let [a, b] = promote([x, y]);
  if (!isInexact(a.dtype)) {
    a = astype(a, "float64");
    b = astype(b, "float64");
  }
  return [a, b];
}

/** Swaps the last two axes. */
function mT(x: NdArray): NdArray {
  return swapaxes(x, -1, -2);
}

/** `x[..., i]` (last axis). */
function lastAt(x: NdArray, i: number): NdArray {
  const lead = x.shape.slice(0, -1);
  const n = x.shape[x.ndim - 1];
  const j = i < 0 ? i + n : i;
  return reshape(
    slice(x, {
      starts: [...lead.map(() => 0), j],
      limits: [...lead, j + 1],
      strides: x.shape.map(() => 1),
    }),
    lead,
  );
}

/** The machine epsilon of a float dtype. */
function epsOf(x: NdArray): number {
  return x.dtype === "float32" ? 1.1920928955078125e-7 : 2.220446049250313e-16;
}

// ---------------------------------------------------------------------------
// Factorizations

/** Options of {@linkcode cholesky}. */
export interface CholeskyOptions {
  /** Return the upper factor `U = Lᵀ` (`a = Uᵀ U`) instead of `L` (default `false`). */
  readonly upper?: boolean;
  /** Factor `(a + aᵀ)/2` (default `true`); otherwise only the lower triangle is read. */
  readonly symmetrizeInput?: boolean;
}

/**
 * The Cholesky factor of symmetric positive-definite matrices, as
 * `jnp.linalg.cholesky`: `L` lower triangular with `a = L Lᵀ` (or `U` with
 * `upper`). A matrix that is not positive definite gives NaNs.
 *
 * @example Reconstruction
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * const l = np.linalg.cholesky([[4, 2], [2, 5]]);
 * deepEqual(l.tolist(), [[2, 0], [1, 2]]);
 * deepEqual(np.matmul(l, np.swapaxes(l, -1, -2)).tolist(), [[4, 2], [2, 5]]);
 * ```
 *
 * @param a Matrices `[..., n, n]`.
 * @param opts `upper`, `symmetrizeInput`.
 * @returns The factor.
 */
export function cholesky(a: ArrayLike, opts: CholeskyOptions = {}): NdArray {
  checkOptions("cholesky", opts, ["upper", "symmetrizeInput"]);
  const o = readOptions("cholesky", opts, false);
  const l = lax.cholesky(matrixArg("cholesky", a, true), {
    symmetrizeInput: o.symmetrizeInput ?? true,
  });
  return o.upper ? mT(l) : l;
}

/** The modes of {@linkcode qr}. */
export type QrMode = "reduced" | "complete" | "r";

/**
 * QR decomposition, as `jnp.linalg.qr`: `[q, r]` with `a = q r`, `q` with
 * orthonormal columns and `r` upper triangular. `mode` `"reduced"` (default:
 * `q` m×k, `r` k×n, k = min(m, n)), `"complete"` (`q` m×m, `r` m×n) or
 * `"r"` (`r` alone, reduced).
 *
 * @example Reconstruction
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual, ok } from "node:assert/strict";
 *
 * const a = np.array([[1, 2], [3, 4], [5, 6]]);
 * const [q, r] = np.linalg.qr(a);
 * deepEqual([q.shape, r.shape], [[3, 2], [2, 2]]);
 * ok(np.allclose(np.matmul(q, r), a));
 * ```
 *
 * @param a Matrices `[..., m, n]`.
 * @param mode `"reduced"`, `"complete"` or `"r"`.
 * @returns `[q, r]` (or `r` for mode `"r"`).
 */
export function qr(a: ArrayLike, mode: "r"): NdArray;
export function qr(a: ArrayLike, mode?: "reduced" | "complete"): [NdArray, NdArray];
export function qr(a: ArrayLike, mode: QrMode = "reduced"): NdArray | [NdArray, NdArray] {
  if (mode !== "reduced" && mode !== "complete" && mode !== "r") {
    throw new TypeError(
      `Invalid mode for qr: expected "reduced", "complete" or "r", got ${showValue(mode)}`,
    );
  }
  const [q, r] = lax.qr(matrixArg("qr", a), { fullMatrices: mode === "complete" });
  return mode === "r" ? r : [q, r];
}

/** Options of {@linkcode svd}. */
export interface SvdOptions {
  /** `u` m×m and `vh` n×n (default `true`), or `u` m×k and `vh` k×n, k = min(m, n). */
  readonly fullMatrices?: boolean;
  /** Return `[u, s, vh]` (default `true`) or the singular values alone. */
  readonly computeUv?: boolean;
  /** The input is symmetric: decompose `(a + aᵀ)/2` (default `false`). */
  readonly hermitian?: boolean;
}

/**
 * Singular value decomposition, as `jnp.linalg.svd`: `[u, s, vh]` with
 * `a = u diag(s) vh`, `s` descending (`fullMatrices` true by default, as
 * NumPy; gradients need `fullMatrices: false` unless the matrices are
 * square). Singular vectors are normalised so that the largest-magnitude
 * entry of each column of `u` is positive (LAPACK's signs are arbitrary).
 *
 * @example Reconstruction
 * ```ts
 * import { np } from "@nabla/ad";
 * import { ok } from "node:assert/strict";
 *
 * const a = np.array([[1, 2, 3], [4, 5, 6]]);
 * const [u, s, vh] = np.linalg.svd(a, { fullMatrices: false });
 * ok(np.allclose(np.matmul(np.multiply(u, s), vh), a));
 * ok(np.allclose(s, [9.508032000695723, 0.7728696356734851]));
 * ```
 *
 * @param a Matrices `[..., m, n]`.
 * @param opts `fullMatrices`, `computeUv`, `hermitian` (or `fullMatrices` as a boolean).
 * @param computeUv With a boolean `fullMatrices`, NumPy's third positional argument.
 * @returns `[u, s, vh]`.
 */
export function svd(a: ArrayLike, opts: SvdOptions & { computeUv: false }): NdArray;
export function svd(a: ArrayLike, fullMatrices: boolean, computeUv: false): NdArray;
export function svd(
  a: ArrayLike,
  opts?: SvdOptions | boolean,
  computeUv?: boolean,
): [NdArray, NdArray, NdArray];
export function svd(
  a: ArrayLike,
  opts: SvdOptions | boolean = {},
  computeUv?: boolean,
): NdArray | [NdArray, NdArray, NdArray] {
  // NumPy's positional form: svd(a, fullMatrices, computeUv).
  if (typeof opts === "boolean") opts = { fullMatrices: opts, computeUv: computeUv ?? true };
  checkOptions("svd", opts, ["fullMatrices", "computeUv", "hermitian"]);
  const o = readOptions("svd", opts, false);
  let x = matrixArg("svd", a, o.hermitian === true);
  if (o.hermitian) x = multiply(add2(x, mT(x)), 0.5);
  if (!(o.computeUv ?? true)) return lax.svd(x, { computeUv: false });
  return lax.svd(x, { fullMatrices: o.fullMatrices ?? true });
}

function add2(x: NdArray, y: NdArray): NdArray {
  return subtract(x, negative(y));
}

/**
 * The singular values of matrices, descending (`jnp.linalg.svdvals`).
 *
 * @example
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.linalg.svdvals([[0, 2], [-3, 0]]).tolist(), [3, 2]);
 * ```
 *
 * @param a Matrices `[..., m, n]`.
 * @returns `[..., min(m, n)]`.
 */
export function svdvals(a: ArrayLike): NdArray {
  return lax.svd(matrixArg("svdvals", a), { computeUv: false });
}

/** Options of {@linkcode eigh}. */
export interface EighOptions {
  /** With `symmetrizeInput` false, read the lower (`"L"`, default) or upper (`"U"`) triangle. */
  readonly UPLO?: "L" | "U";
  /** Decompose `(a + aᵀ)/2` (default `true`). */
  readonly symmetrizeInput?: boolean;
}

/**
 * Eigenvalues and eigenvectors of symmetric matrices, as
 * `jnp.linalg.eigh`: `[w, v]` — eigenvalues ascending, eigenvectors as the
 * columns of `v` (orthonormal; each with its largest-magnitude entry
 * positive, since their signs are otherwise arbitrary). The derivative of
 * `v` is infinite where eigenvalues coincide (as JAX's).
 *
 * @example A symmetric 2×2 matrix
 * ```ts
 * import { np } from "@nabla/ad";
 * import { ok } from "node:assert/strict";
 *
 * const a = np.array([[2, 1], [1, 2]]);
 * const [w, v] = np.linalg.eigh(a);
 * ok(np.allclose(w, [1, 3]));
 * ok(np.allclose(np.matmul(a, v), np.multiply(v, w)));
 * ```
 *
 * @param a Matrices `[..., n, n]`.
 * @param opts `UPLO`, `symmetrizeInput` (or `UPLO` alone, positionally).
 * @returns `[w, v]`.
 */
export function eigh(a: ArrayLike, opts: EighOptions | "L" | "U" = {}): [NdArray, NdArray] {
  if (opts === "L" || opts === "U") opts = { UPLO: opts };
  checkOptions("eigh", opts, ["UPLO", "symmetrizeInput"]);
  const o = readOptions("eigh", opts, false);
  const [v, w] = lax.eigh(matrixArg("eigh", a, true), {
    lower: (o.UPLO ?? "L") === "L",
    symmetrizeInput: o.symmetrizeInput ?? true,
  });
  return [w, v];
}

/**
 * The eigenvalues of symmetric matrices, ascending (`jnp.linalg.eigvalsh`).
 *
 * @example
 * ```ts
 * import { np } from "@nabla/ad";
 * import { ok } from "node:assert/strict";
 *
 * ok(np.allclose(np.linalg.eigvalsh([[2, 1], [1, 2]]), [1, 3]));
 * ```
 *
 * @param a Matrices `[..., n, n]`.
 * @param UPLO The triangle read (with `symmetrizeInput` false in {@linkcode eigh}).
 * @returns `[..., n]`.
 */
export function eigvalsh(a: ArrayLike, UPLO: "L" | "U" = "L"): NdArray {
  return eigh(a, { UPLO })[0];
}

/**
 * Eigenvalues and right eigenvectors of real square matrices, as
 * `jnp.linalg.eig`: `[w, v]`, complex (`complex128` for float64 input),
 * with `a v[:, i] = w[i] v[:, i]`. By Hessenberg reduction, the Francis
 * double-shift QR iteration and inverse iteration; eigenvalues in the order
 * the iteration leaves them (conjugate pairs together, positive imaginary
 * part first), eigenvectors of unit norm with their largest-magnitude
 * entry real and positive. Not differentiable (as JAX's eigenvectors); use
 * {@linkcode eigvals} for eigenvalue gradients.
 *
 * @example A rotation's eigenvalues are ±i
 * ```ts
 * import { np } from "@nabla/ad";
 * import { ok } from "node:assert/strict";
 *
 * const a = np.array([[0, -1], [1, 0]]);
 * const [w, v] = np.linalg.eig(a);
 * ok(np.allclose(np.imag(w), [1, -1]) && np.allclose(np.real(w), [0, 0]));
 * const av = np.complex(np.matmul(a, np.real(v)), np.matmul(a, np.imag(v)));
 * const vw = np.multiply(v, w);
 * ok(np.allclose(np.real(av), np.real(vw)) && np.allclose(np.imag(av), np.imag(vw)));
 * ```
 *
 * @param a Real matrices `[..., n, n]`.
 * @returns `[w, v]`: `[..., n]` and `[..., n, n]`, complex.
 */
export function eig(a: ArrayLike): [NdArray, NdArray] {
  const [wr, wi, vr, vi] = prim.eig(realSquare("eig", a), true);
  return [complex(wr, wi), complex(vr, vi)];
}

/**
 * The eigenvalues of real square matrices, complex, as
 * `jnp.linalg.eigvals` (see {@linkcode eig} for the order). Differentiable
 * (first order, as JAX): `dλᵢ = uᵢ dA vᵢ` with left and right eigenvectors;
 * infinite where eigenvalues coincide.
 *
 * @example
 * ```ts
 * import { np } from "@nabla/ad";
 * import { ok } from "node:assert/strict";
 *
 * ok(np.allclose(np.real(np.linalg.eigvals([[2, 0], [0, 3]])), [2, 3]));
 * ```
 *
 * @param a Real matrices `[..., n, n]`.
 * @returns `[..., n]` complex.
 */
export function eigvals(a: ArrayLike): NdArray {
  const [wr, wi] = prim.eig(realSquare("eigvals", a), false);
  return complex(wr, wi);
}

function realSquare(name: string, a: ArrayLike): NdArray {
  const x = asArray(a);
  if (x.dtype === "complex64" || x.dtype === "complex128") {
    throw new TypeError(`np.linalg.${name} supports real matrices only: got ${x.dtype}`);
  }
  return matrixArg(name, x, true);
}

// ---------------------------------------------------------------------------
// Solves, inverses, determinants

/**
 * Solves `a x = b` for square `a`, as `jnp.linalg.solve` (pivoted LU): `b`
 * is one vector `[n]` or matrices `[..., n, k]`; leading axes broadcast.
 * Singular `a` gives infinities or NaNs.
 *
 * @example A 2×2 system
 * ```ts
 * import { np } from "@nabla/ad";
 * import { ok } from "node:assert/strict";
 *
 * ok(np.allclose(np.linalg.solve([[3, 1], [1, 2]], [9, 8]), [2, 3]));
 * ```
 *
 * @param a Matrices `[..., n, n]`.
 * @param b `[n]` or `[..., n, k]`.
 * @returns `x`, shaped as `b` (broadcast).
 */
export function solve(a: ArrayLike, b: ArrayLike): NdArray {
  const [x, y] = floatPair(a, b);
  const m = matrixArg("solve", x, true);
  const n = m.shape[m.ndim - 1];
  const batchA = m.shape.slice(0, -2);
  if (y.ndim === 1) {
    if (y.shape[0] !== n) {
      throw new TypeError(
        `Invalid shapes for solve: ${showShape(m.shape)} and ${showShape(y.shape)}`,
      );
    }
    const rhs = broadcastTo(reshape(y, [n, 1]), [...batchA, n, 1]);
    return lastAt(prim.luSolve(m, rhs), 0);
  }
  if (y.ndim < 2 || y.shape[y.ndim - 2] !== n) {
    throw new TypeError(
      `Invalid shapes for solve: ${showShape(m.shape)} and ${
        showShape(y.shape)
      }: b must be [n] or [..., n, k] with n = ${n}`,
    );
  }
  const batch = broadcastShapes(batchA, y.shape.slice(0, -2));
  const k = y.shape[y.ndim - 1];
  return prim.luSolve(broadcastTo(m, [...batch, n, n]), broadcastTo(y, [...batch, n, k]));
}

/**
 * The inverse of square matrices (`jnp.linalg.inv`), by pivoted LU.
 *
 * @example
 * ```ts
 * import { np } from "@nabla/ad";
 * import { ok } from "node:assert/strict";
 *
 * ok(np.allclose(np.linalg.inv([[2, 0], [0, 4]]), [[0.5, 0], [0, 0.25]]));
 * ```
 *
 * @param a Matrices `[..., n, n]`.
 * @returns Their inverses.
 */
export function inv(a: ArrayLike): NdArray {
  const m = matrixArg("inv", a, true);
  const n = m.shape[m.ndim - 1];
  return prim.luSolve(m, broadcastTo(eye(n, n, { dtype: m.dtype }), m.shape));
}

/** The LU diagonal and the number of row swaps (int32) of each matrix. */
function luParts(m: NdArray): [NdArray, NdArray] {
  const d = npDiagonal(prim.lu(m), 0, -2, -1);
  const k = d.shape[d.ndim - 1];
  const swaps = countNonzero(notEqual(prim.luPivots(m), arange(k, { dtype: "int32" })), -1);
  return [d, astype(swaps, "int32")];
}

/**
 * The sign and the natural log of the absolute value of determinants, as
 * `jnp.linalg.slogdet`: `[sign, logabsdet]` (sign 0 and logabsdet -∞ for a
 * singular matrix). `logabsdet`'s gradient is `a⁻ᵀ`; `sign`'s is zero.
 *
 * @example
 * ```ts
 * import { np } from "@nabla/ad";
 * import { ok } from "node:assert/strict";
 *
 * const [sign, logdet] = np.linalg.slogdet([[1, 2], [3, 4]]);
 * ok(sign.item() === -1 && np.allclose(logdet, Math.log(2)));
 * ```
 *
 * @param a Matrices `[..., n, n]`.
 * @returns `[sign, logabsdet]`.
 */
export function slogdet(a: ArrayLike): [NdArray, NdArray] {
  const m = matrixArg("slogdet", a, true);
  const [d, swaps] = luParts(m);
  const isZero = any(equal(d, 0), -1);
  const negatives = astype(countNonzero(less(d, 0), -1), "int32");
  const odd = notEqual(mod(add2(swaps, negatives), 2), 0);
  const s = where(isZero, 0, where(odd, -1, 1));
  const logdet = where(isZero, -Infinity, sum(log(abs(d)), -1));
  return [astype(s, m.dtype), logdet];
}

/**
 * Determinants of square matrices (`jnp.linalg.det`), by pivoted LU.
 *
 * @example
 * ```ts
 * import { np } from "@nabla/ad";
 * import { ok } from "node:assert/strict";
 *
 * ok(np.allclose(np.linalg.det([[1, 2], [3, 4]]), -2));
 * ```
 *
 * @param a Matrices `[..., n, n]`.
 * @returns `[...]`.
 */
export function det(a: ArrayLike): NdArray {
  const m = matrixArg("det", a, true);
  const [d, swaps] = luParts(m);
  const odd = notEqual(mod(swaps, 2), 0);
  return multiply(prod(d, -1), astype(where(odd, -1, 1), m.dtype));
}

/** Options of {@linkcode pinv}. */
export interface PinvOptions {
  /** Singular values at most `rtol · s_max` are dropped (default `10 · max(m, n) · eps`). */
  readonly rtol?: number;
  /** The input is symmetric (default `false`). */
  readonly hermitian?: boolean;
}

/**
 * The Moore–Penrose pseudo-inverse (`jnp.linalg.pinv`), by SVD, with JAX's
 * derivative rule (Golub & Pereyra), which holds at rank-deficient inputs.
 *
 * @example
 * ```ts
 * import { np } from "@nabla/ad";
 * import { ok } from "node:assert/strict";
 *
 * ok(np.allclose(np.linalg.pinv([[1, 0], [0, 0], [0, 2]]), [[1, 0, 0], [0, 0, 0.5]]));
 * ```
 *
 * @param a Matrices `[..., m, n]`.
 * @param opts `rtol`, `hermitian` (or `rtol` alone, positionally).
 * @returns `[..., n, m]`.
 */
export function pinv(a: ArrayLike, opts: PinvOptions | number = {}): NdArray {
  if (typeof opts === "number") opts = { rtol: opts };
  checkOptions("pinv", opts, ["rtol", "hermitian"]);
  const o = readOptions("pinv", opts, false);
  let x = matrixArg("pinv", a);
  if (o.hermitian) x = multiply(add2(x, mT(x)), 0.5);
  const m = x.shape[x.ndim - 2], n = x.shape[x.ndim - 1];
  const rtol = o.rtol ?? 10 * Math.max(m, n) * epsOf(x);
  const f = customJvp((y: NdArray) => pinvRaw(y, rtol));
  f.defjvp(([y]: NdArray[], [t]: NdArray[]) => {
    const p = f(y);
    const ph = mT(p), th = mT(t);
    let pDot: NdArray;
    if (m >= n) {
      const s = npMatmul(npMatmul(p, ph), th);
      const u = npMatmul(npMatmul(th, ph), p);
      pDot = add2(
        add2(negative(npMatmul(npMatmul(p, t), p)), subtract(s, npMatmul(npMatmul(s, y), p))),
        subtract(u, npMatmul(npMatmul(p, y), u)),
      );
    } else {
      const s = npMatmul(p, npMatmul(ph, th));
      const u = npMatmul(th, npMatmul(ph, p));
      pDot = add2(
        add2(negative(npMatmul(p, npMatmul(t, p))), subtract(s, npMatmul(s, npMatmul(y, p)))),
        subtract(u, npMatmul(p, npMatmul(y, u))),
      );
    }
    return [p, pDot];
  });
  return f(x);
}

function pinvRaw(x: NdArray, rtol: number): NdArray {
  const [u, s, vh] = lax.svd(x, { fullMatrices: false });
  const cutoff = multiply(rtol, expandDims(lastAt(s, 0), -1));
  const sSafe = where(greater(s, cutoff), s, Infinity);
  return npMatmul(mT(vh), divide(mT(u), expandDims(sSafe, -1)));
}

/** Options of {@linkcode lstsq}. */
export interface LstsqOptions {
  /** Singular values below `rcond · s_max` are dropped (default `eps · max(m, n)`). */
  readonly rcond?: number | null;
}

/**
 * The least-squares solution of `a x = b`, as `jnp.linalg.lstsq`:
 * `[x, residuals, rank, s]` (residuals `Σ(b − a x)²` per column — shape
 * `[1]` for a vector `b` — always returned; `rank` int32; `s` the singular values of `a`).
 *
 * @example A line through three points
 * ```ts
 * import { np } from "@nabla/ad";
 * import { ok } from "node:assert/strict";
 *
 * const a = np.array([[0, 1], [1, 1], [2, 1]]);
 * const [x, resid, rank] = np.linalg.lstsq(a, [1, 3, 5]);
 * ok(np.allclose(x, [2, 1]) && rank.item() === 2 && np.allclose(resid, 0));
 * ```
 *
 * @param a A matrix `[m, n]`.
 * @param b `[m]` or `[m, k]`.
 * @param opts `rcond` (or `rcond` alone, positionally).
 * @returns `[x, residuals, rank, s]`.
 */
export function lstsq(
  a: ArrayLike,
  b: ArrayLike,
  opts: LstsqOptions | number | null = {},
): [NdArray, NdArray, NdArray, NdArray] {
  if (typeof opts === "number" || opts === null) opts = { rcond: opts };
  checkOptions("lstsq", opts, ["rcond"]);
  const o = readOptions("lstsq", opts, false);
  let [x, y] = floatPair(a, b);
  if (x.ndim !== 2) {
    throw new TypeError(`np.linalg.lstsq needs a 2-D a: got shape ${showShape(x.shape)}`);
  }
  const vector = y.ndim === 1;
  if (vector) y = reshape(y, [y.shape[0], 1]);
  if (y.ndim !== 2 || y.shape[0] !== x.shape[0]) {
    throw new TypeError(
      `Leading dimensions of input arrays must match for lstsq: got shapes ${
        showShape(x.shape)
      } and ${showShape(y.shape)}`,
    );
  }
  const m = x.shape[0], n = x.shape[1];
  const rcond = o.rcond ?? epsOf(x) * Math.max(m, n);
  const [u, s, vt] = lax.svd(x, { fullMatrices: false });
  const mask = greaterEqual(s, multiply(rcond, lastAt(s, 0)));
  const rank = astype(sum(astype(mask, "int32")), "int32");
  const safe = where(mask, s, 1);
  const sInv = expandDims(where(mask, divide(1, safe), 0), -1);
  const sol = npMatmul(mT(vt), multiply(sInv, npMatmul(mT(u), y)));
  const resid = sum(square(subtract(y, npMatmul(x, sol))), 0);
  return [vector ? reshape(sol, [n]) : sol, resid, rank, s];
}

/**
 * Raises square matrices to an integer power (`jnp.linalg.matrix_power`),
 * by repeated squaring; negative powers invert first.
 *
 * @example
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.linalg.matrixPower([[1, 1], [0, 1]], 3).tolist(), [[1, 3], [0, 1]]);
 * ```
 *
 * @param a Matrices `[..., n, n]`.
 * @param n The power (an integer).
 * @returns `aⁿ`.
 */
export function matrixPower(a: ArrayLike, n: number): NdArray {
  if (!Number.isInteger(n)) {
    throw new TypeError(`Invalid power for matrixPower: expected an integer, got ${showValue(n)}`);
  }
  let x = asArray(a);
  if (x.ndim < 2 || x.shape[x.ndim - 1] !== x.shape[x.ndim - 2]) {
    throw new TypeError(
      `np.linalg.matrixPower needs square matrices: got shape ${showShape(x.shape)}`,
    );
  }
  const size = x.shape[x.ndim - 1];
  if (n === 0) return broadcastTo(eye(size, size, { dtype: x.dtype }), x.shape);
  if (n < 0) {
    x = inv(x);
    n = -n;
  }
  let result: NdArray | null = null;
  let base = x;
  while (n > 0) {
    if (n & 1) result = result === null ? base : npMatmul(result, base);
    n = Math.floor(n / 2);
    if (n > 0) base = npMatmul(base, base);
  }
  return result!;
}

/** Options of {@linkcode matrixRank}. */
export interface MatrixRankOptions {
  /** Singular values at most `rtol` (an absolute threshold, as JAX's) do not count (default `s_max · max(m, n) · eps`). */
  readonly rtol?: number;
  /** An alias of `rtol` (NumPy's name). */
  readonly tol?: number;
}

/**
 * The rank of matrices (`jnp.linalg.matrix_rank`): the number of singular
 * values above the threshold, as int32.
 *
 * @example
 * ```ts
 * import { np } from "@nabla/ad";
 * import { equal } from "node:assert/strict";
 *
 * equal(np.linalg.matrixRank([[1, 2], [2, 4]]).item(), 1);
 * ```
 *
 * @param a Matrices `[..., m, n]` (or a vector: 1 unless all zero).
 * @param opts `rtol` or `tol` (or `rtol` alone, positionally).
 * @returns `[...]` int32.
 */
export function matrixRank(a: ArrayLike, opts: MatrixRankOptions | number = {}): NdArray {
  if (typeof opts === "number") opts = { rtol: opts };
  checkOptions("matrixRank", opts, ["rtol", "tol"]);
  const o = readOptions("matrixRank", opts, false);
  if (o.tol !== undefined && o.rtol !== undefined) {
    throw new TypeError("matrixRank: only one of tol or rtol may be specified");
  }
  let x = asArray(a);
  if (!isInexact(x.dtype)) x = astype(x, "float64");
  if (x.ndim < 2) return astype(any(notEqual(x, 0)), "int32");
  const s = svdvals(x);
  const thr = o.rtol ?? o.tol;
  const cut = thr === undefined
    ? multiply(max(s, -1), Math.max(x.shape[x.ndim - 1], x.shape[x.ndim - 2]) * epsOf(x))
    : asArray(thr, s.dtype);
  return astype(sum(astype(greater(s, expandDims(cut, -1)), "int32"), -1), "int32");
}

/**
 * The product of two or more matrices in one call (`jnp.linalg.multi_dot`),
 * multiplied in the order that needs the fewest operations; the first and
 * last may be vectors.
 *
 * @example
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.linalg.multiDot([[1, 2], [[1, 0], [0, 2]], [3, 1]]).tolist(), 7);
 * ```
 *
 * @param arrays The factors: 2-D, except the first and last may be 1-D.
 * @returns Their product.
 */
export function multiDot(arrays: readonly ArrayLike[]): NdArray {
  if (arrays.length < 2) {
    throw new TypeError(`multiDot needs at least two arrays: got ${arrays.length}`);
  }
  const xs = promote(arrays);
  const last = xs.length - 1;
  xs.forEach((x, i) => {
    const ok = (i === 0 || i === last) ? x.ndim === 1 || x.ndim === 2 : x.ndim === 2;
    if (!ok) {
      throw new TypeError(
        `multiDot: arrays must be 2-D except the first and last, which may be 1-D: got shapes ${
          xs.map((y) => showShape(y.shape)).join(", ")
        }`,
      );
    }
  });
  const first1 = xs[0].ndim === 1, last1 = xs[last].ndim === 1;
  const ms = xs.map((x, i) =>
    i === 0 && first1
      ? reshape(x, [1, x.shape[0]])
      : i === last && last1
      ? reshape(x, [x.shape[0], 1])
      : x
  );
  for (let i = 0; i < last; i++) {
    if (ms[i].shape[1] !== ms[i + 1].shape[0]) {
      throw new TypeError(
        `multiDot: shapes ${showShape(xs[i].shape)} and ${showShape(xs[i + 1].shape)} do not align`,
      );
    }
  }
  // The classic matrix-chain dynamic programme over dims p0 × p1 × … × pk.
  const p = [ms[0].shape[0], ...ms.map((x) => x.shape[1])];
  const k = ms.length;
  const cost: number[][] = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  const split: number[][] = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  for (let len = 1; len < k; len++) {
    for (let i = 0; i + len < k; i++) {
      const j = i + len;
      cost[i][j] = Infinity;
      for (let s = i; s < j; s++) {
        const c = cost[i][s] + cost[s + 1][j] + p[i] * p[s + 1] * p[j + 1];
        if (c < cost[i][j]) {
          cost[i][j] = c;
          split[i][j] = s;
        }
      }
    }
  }
  const chain = (i: number, j: number): NdArray =>
    i === j ? ms[i] : npMatmul(chain(i, split[i][j]), chain(split[i][j] + 1, j));
  let out = chain(0, k - 1);
  const shape = [...(first1 ? [] : [out.shape[0]]), ...(last1 ? [] : [out.shape[1]])];
  if (first1 || last1) out = reshape(out, shape);
  return out;
}

/** Options of {@linkcode matrixNorm}. */
export interface MatrixNormOptions extends KeepDimsOptions {
  /** The order (default `"fro"`): `"fro"`, `"nuc"`, ±1, ±2, ±Infinity. */
  readonly ord?: NormOrder;
}

/**
 * The norm of the matrices on the last two axes (`jnp.linalg.matrix_norm`).
 *
 * @example
 * ```ts
 * import { np } from "@nabla/ad";
 * import { ok } from "node:assert/strict";
 *
 * ok(np.allclose(np.linalg.matrixNorm([[3, 0], [0, 4]], { ord: "nuc" }), 7));
 * ok(np.allclose(np.linalg.matrixNorm([[3, 0], [0, 4]]), 5));
 * ```
 *
 * @param x Matrices `[..., m, n]`.
 * @param opts `ord` (default `"fro"`), `keepdims`.
 * @returns `[...]`.
 */
export function matrixNorm(x: ArrayLike, opts: MatrixNormOptions = {}): NdArray {
  checkOptions("matrixNorm", opts, ["ord", "keepdims"]);
  const o = readOptions("matrixNorm", opts, false);
  const a = matrixArg("matrixNorm", x);
  return norm(a, o.ord ?? "fro", [-2, -1], { keepdims: o.keepdims ?? false });
}

/** Options of {@linkcode vectorNorm}. */
export interface VectorNormOptions extends KeepDimsOptions {
  /** The order (default 2): any number, including 0 and ±Infinity. */
  readonly ord?: number;
  /** The axis or axes (default: all, the flattened input). */
  readonly axis?: number | readonly number[] | null;
}

/**
 * Vector norms (`jnp.linalg.vector_norm`): over all elements by default,
 * or over the given axes.
 *
 * @example
 * ```ts
 * import { np } from "@nabla/ad";
 * import { equal } from "node:assert/strict";
 *
 * equal(np.linalg.vectorNorm([[3, 0], [0, 4]]).item(), 5);
 * equal(np.linalg.vectorNorm([[3, 0], [0, -4]], { ord: 1 }).item(), 7);
 * ```
 *
 * @param x The input.
 * @param opts `ord` (default 2), `axis`, `keepdims`.
 * @returns The norms.
 */
export function vectorNorm(x: ArrayLike, opts: VectorNormOptions = {}): NdArray {
  checkOptions("vectorNorm", opts, ["ord", "axis", "keepdims"]);
  const o = readOptions("vectorNorm", opts, false);
  let a = asArray(x);
  if (!isInexact(a.dtype)) a = astype(a, "float64");
  const ord = o.ord ?? 2;
  const keepdims = o.keepdims ?? false;
  if (o.axis === undefined || o.axis === null) {
    const flat = reshape(a, [a.size]);
    const r = vecNorm(flat, ord, 0);
    return keepdims ? reshape(r, a.shape.map(() => 1)) : r;
  }
  const axes = normalizeAxes(typeof o.axis === "number" ? [o.axis] : o.axis, a.ndim);
  if (axes.length === 1) return norm(a, ord, axes[0], { keepdims });
  // Several axes: move them last and flatten them into one.
  const moved = moveaxis(a, axes, axes.map((_, i) => a.ndim - axes.length + i));
  const lead = moved.shape.slice(0, a.ndim - axes.length);
  const r = vecNorm(
    reshape(moved, [...lead, sizeOf(moved.shape.slice(lead.length))]),
    ord,
    lead.length,
  );
  return keepdims ? reshape(r, keptShape(a.shape, axes)) : r;
}

/**
 * The condition number of matrices (`jnp.linalg.cond`): `s_max / s_min`
 * for `p` 2 (default), its inverse for -2, else `‖x‖ₚ ‖x⁻¹‖ₚ`; infinite for
 * singular matrices.
 *
 * @example
 * ```ts
 * import { np } from "@nabla/ad";
 * import { ok } from "node:assert/strict";
 *
 * ok(np.allclose(np.linalg.cond([[1, 0], [0, 4]]), 4));
 * ok(np.allclose(np.linalg.cond([[1, 0], [0, 4]], 1), 4));
 * ```
 *
 * @param x Matrices `[..., m, n]` (square unless `p` is 2, -2 or omitted).
 * @param p The norm order.
 * @returns `[...]`.
 */
export function cond(x: ArrayLike, p: NormOrder = null): NdArray {
  const a = matrixArg("cond", x);
  let r: NdArray;
  if (p === null || p === 2) {
    const s = svdvals(a);
    return divide(lastAt(s, 0), lastAt(s, -1));
  } else if (p === -2) {
    const s = svdvals(a);
    r = divide(lastAt(s, -1), lastAt(s, 0));
  } else {
    if (a.shape[a.ndim - 1] !== a.shape[a.ndim - 2]) {
      throw new TypeError(
        `np.linalg.cond with p=${showValue(p)} needs square matrices: got shape ${
          showShape(a.shape)
        }`,
      );
    }
    r = multiply(norm(a, p, [-2, -1]), norm(inv(a), p, [-2, -1]));
  }
  const nanIn = any(isnan(a), [-2, -1]);
  return where(logicalAnd(isnan(r), logicalNot(nanIn)), Infinity, r);
}

/**
 * The tensor inverse (`jnp.linalg.tensorinv`): the inverse of
 * `tensordot(a, ·, ind)`, for `a` whose first `ind` axes have as many
 * elements as the rest.
 *
 * @example
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * const a = np.reshape(np.eye(4), [4, 2, 2]);
 * deepEqual(np.linalg.tensorinv(a, 1).shape, [2, 2, 4]);
 * ```
 *
 * @param a The tensor.
 * @param ind The number of leading axes (default 2).
 * @returns `[...a.shape[ind:], ...a.shape[:ind]]`.
 */
export function tensorinv(a: ArrayLike, ind = 2): NdArray {
  if (!Number.isInteger(ind) || ind <= 0) {
    throw new TypeError(`ind must be a positive integer for tensorinv: got ${showValue(ind)}`);
  }
  const x = asArray(a);
  const head = x.shape.slice(0, ind), tail = x.shape.slice(ind);
  if (sizeOf(head) !== sizeOf(tail)) {
    throw new TypeError(
      `tensorinv needs the first ${ind} axes to have as many elements as the rest: got shape ${
        showShape(x.shape)
      }`,
    );
  }
  return reshape(inv(reshape(x, [sizeOf(head), sizeOf(tail)])), [...tail, ...head]);
}

/**
 * Solves the tensor equation `tensordot(a, x, x.ndim) = b` for `x`
 * (`jnp.linalg.tensorsolve`); `axes` are moved to the end of `a` first.
 *
 * @example
 * ```ts
 * import { np } from "@nabla/ad";
 * import { ok } from "node:assert/strict";
 *
 * const a = np.reshape(np.multiply(np.eye(6), 2), [2, 3, 6]);
 * const x = np.linalg.tensorsolve(a, np.ones([2, 3]));
 * ok(np.allclose(x, np.full([6], 0.5)));
 * ```
 *
 * @param a The tensor `[...b.shape, ...x.shape]`.
 * @param b The right-hand side.
 * @param axes Axes of `a` to move to the end first.
 * @returns `x`.
 */
export function tensorsolve(
  a: ArrayLike,
  b: ArrayLike,
  axes: readonly number[] | null = null,
): NdArray {
  let [x, y] = floatPair(a, b);
  if (axes !== null) x = moveaxis(x, axes, axes.map((_, i) => x.ndim - axes.length + i));
  const outShape = x.shape.slice(y.ndim);
  const head = x.shape.slice(0, y.ndim);
  if (head.length !== y.ndim || head.some((v, i) => v !== y.shape[i])) {
    throw new TypeError(
      `tensorsolve: the leading shape of a must match the shape of b: got ${
        showShape(x.shape)
      } and ${showShape(y.shape)}`,
    );
  }
  if (y.size !== sizeOf(outShape)) {
    throw new TypeError(
      `tensorsolve needs prod(a.shape[:b.ndim]) == prod(a.shape[b.ndim:]): got shape ${
        showShape(x.shape)
      } with b.ndim = ${y.ndim}`,
    );
  }
  return reshape(solve(reshape(x, [y.size, sizeOf(outShape)]), reshape(y, [y.size])), outShape);
}

// ---------------------------------------------------------------------------
// The array-API functions of jnp.linalg (on the last axes)

/**
 * The matrix product (`jnp.linalg.matmul`, the same as `np.matmul`).
 *
 * @example
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.linalg.matmul([[1, 2]], [[3], [4]]).tolist(), [[11]]);
 * ```
 *
 * @param a The left factor.
 * @param b The right factor.
 * @returns `a @ b`.
 */
export function matmul(a: ArrayLike, b: ArrayLike): NdArray {
  return npMatmul(a, b);
}

/**
 * The outer product of two vectors (`jnp.linalg.outer`: 1-D inputs only).
 *
 * @example
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.linalg.outer([1, 2], [3, 4]).tolist(), [[3, 4], [6, 8]]);
 * ```
 *
 * @param x1 A vector `[m]`.
 * @param x2 A vector `[n]`.
 * @returns `[m, n]`.
 */
export function outer(x1: ArrayLike, x2: ArrayLike): NdArray {
  const [a, b] = [asArray(x1), asArray(x2)];
  if (a.ndim !== 1 || b.ndim !== 1) {
    throw new TypeError(
      `np.linalg.outer needs 1-D inputs: got shapes ${showShape(a.shape)} and ${
        showShape(b.shape)
      }`,
    );
  }
  return npOuter(a, b);
}

/**
 * Swaps the last two axes (`jnp.linalg.matrix_transpose`).
 *
 * @example
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.linalg.matrixTranspose([[1, 2, 3]]).tolist(), [[1], [2], [3]]);
 * ```
 *
 * @param x Matrices `[..., m, n]`.
 * @returns `[..., n, m]`.
 */
export function matrixTranspose(x: ArrayLike): NdArray {
  const a = asArray(x);
  if (a.ndim < 2) {
    throw new TypeError(
      `np.linalg.matrixTranspose needs an array of rank >= 2: got shape ${showShape(a.shape)}`,
    );
  }
  return mT(a);
}

/**
 * The tensor dot product (`jnp.linalg.tensordot`, the same as `np.tensordot`).
 *
 * @example
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.linalg.tensordot([[1, 2], [3, 4]], [[1, 0], [0, 1]]).tolist(), 5);
 * ```
 *
 * @param x1 The first tensor.
 * @param x2 The second tensor.
 * @param axes The number of trailing/leading axes contracted (default 2), or two axis lists.
 * @returns The contraction.
 */
export function tensordot(
  x1: ArrayLike,
  x2: ArrayLike,
  axes: number | readonly [number | readonly number[], number | readonly number[]] = 2,
): NdArray {
  return npTensordot(x1, x2, axes);
}

/**
 * The sum of the `offset`-th diagonal of the matrices on the last two axes
 * (`jnp.linalg.trace`).
 *
 * @example
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.linalg.trace([[[1, 2], [3, 4]], [[5, 0], [0, 5]]]).tolist(), [5, 10]);
 * ```
 *
 * @param x Matrices `[..., m, n]`.
 * @param offset The diagonal (default 0).
 * @returns `[...]`.
 */
export function trace(x: ArrayLike, offset = 0): NdArray {
  return npTrace(matrixArgAny("trace", x), offset, -2, -1);
}

/**
 * The `offset`-th diagonal of the matrices on the last two axes
 * (`jnp.linalg.diagonal`).
 *
 * @example
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.linalg.diagonal([[1, 2], [3, 4]]).tolist(), [1, 4]);
 * ```
 *
 * @param x Matrices `[..., m, n]`.
 * @param offset The diagonal (default 0).
 * @returns `[..., k]`.
 */
export function diagonal(x: ArrayLike, offset = 0): NdArray {
  return npDiagonal(matrixArgAny("diagonal", x), offset, -2, -1);
}

/** `x` as an array of rank >= 2, any dtype. */
function matrixArgAny(name: string, x: ArrayLike): NdArray {
  const a = asArray(x);
  if (a.ndim < 2) {
    throw new TypeError(
      `np.linalg.${name} needs an array of rank >= 2: got shape ${showShape(a.shape)}`,
    );
  }
  return a;
}

/**
 * The dot product of vectors along an axis (`jnp.linalg.vecdot`), with
 * broadcasting of the other axes.
 *
 * @example
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.linalg.vecdot([[1, 2], [3, 4]], [1, 1]).tolist(), [3, 7]);
 * ```
 *
 * @param x1 The first vectors.
 * @param x2 The second vectors.
 * @param axis The axis of the vectors (default -1).
 * @returns The dot products.
 */
export function vecdot(x1: ArrayLike, x2: ArrayLike, axis = -1): NdArray {
  const [a, b] = promote([x1, x2]);
  const n = (x: NdArray) => x.shape[axis < 0 ? x.ndim + axis : axis];
  if (a.ndim === 0 || b.ndim === 0 || n(a) !== n(b)) {
    throw new TypeError(
      `np.linalg.vecdot needs vectors of one length along axis ${axis}: got shapes ${
        showShape(a.shape)
      } and ${showShape(b.shape)}`,
    );
  }
  return sum(multiply(a, b), axis);
}

/**
 * The cross product of 3-vectors along an axis (`jnp.linalg.cross`: both
 * inputs of length 3 there).
 *
 * @example
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.linalg.cross([1, 0, 0], [0, 1, 0]).tolist(), [0, 0, 1]);
 * ```
 *
 * @param x1 The first vectors.
 * @param x2 The second vectors.
 * @param axis The axis of the vectors (default -1).
 * @returns The cross products.
 */
export function cross(x1: ArrayLike, x2: ArrayLike, axis = -1): NdArray {
  const [a, b] = [asArray(x1), asArray(x2)];
  const n = (x: NdArray) => (x.ndim === 0 ? 0 : x.shape[axis < 0 ? x.ndim + axis : axis]);
  if (n(a) !== 3 || n(b) !== 3) {
    throw new TypeError(
      `np.linalg.cross needs vectors of length 3 along axis ${axis}: got shapes ${
        showShape(a.shape)
      } and ${showShape(b.shape)}`,
    );
  }
  return npCross(a, b, axis);
}
