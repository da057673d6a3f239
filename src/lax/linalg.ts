/**
 * `lax.linalg` (JAX's `jax.lax.linalg`): the matrix factorizations as
 * primitives — `cholesky`, `triangularSolve`, `lu`, `qr`, `eigh`, `svd`.
 * Leading axes are batch axes. Every function is differentiable (JAX's
 * rules) and batchable.
 *
 * @example A Cholesky factor
 * ```ts
 * import { lax, np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(lax.linalg.cholesky(np.array([[4, 2], [2, 5]])).tolist(), [[2, 0], [1, 2]]);
 * ```
 *
 * @module
 */

import { NdArray } from "../array/array.ts";
import { showShape } from "../array/shape.ts";
import * as la from "../primitives/linalg.ts";
import { convert } from "../primitives/elementwise.ts";
import { isInexact } from "../array/dtype.ts";
import { checkOptions } from "../core/options.ts";

function matrix(name: string, x: NdArray): NdArray {
  if (!(x instanceof NdArray)) throw new TypeError(`lax.linalg.${name} needs an Array`);
  if (x.ndim < 2) {
    throw new TypeError(
      `lax.linalg.${name} needs an array of rank >= 2: got shape ${showShape(x.shape)}`,
    );
  }
  // Integer and boolean matrices are taken as float64 (JAX asks for floats).
  return isInexact(x.dtype) ? x : convert(x, "float64");
}

/** Options of {@linkcode cholesky}. */
export interface CholeskyOptions {
  /**
   * Factor `(x + xᵀ)/2` (default `true`); otherwise only the lower triangle
   * is read, and the derivative is JAX's (the symmetric-input formula
   * applied to the raw tangent).
   */
  readonly symmetrizeInput?: boolean;
}

/**
 * The lower Cholesky factor `L` of symmetric positive-definite matrices
 * (`x = L Lᵀ`), as `jax.lax.linalg.cholesky`. A matrix that is not positive
 * definite gives NaNs.
 *
 * @example Reconstruction
 * ```ts
 * import { lax, np } from "@nabla/ad";
 * import { ok } from "node:assert/strict";
 *
 * const a = np.array([[4, 2], [2, 3]]);
 * const l = lax.linalg.cholesky(a);
 * ok(np.allclose(np.matmul(l, np.swapaxes(l, -1, -2)), a));
 * ```
 *
 * @param x Matrices `[..., n, n]` (float).
 * @param opts `symmetrizeInput` (default `true`).
 * @returns `L`, lower triangular.
 */
export function cholesky(x: NdArray, opts: CholeskyOptions = {}): NdArray {
  checkOptions("lax.linalg.cholesky", opts, ["symmetrizeInput"]);
  const a = matrix("cholesky", x);
  return la.cholesky(a, { part: opts.symmetrizeInput === false ? "lower" : "sym" });
}

/** Options of {@linkcode triangularSolve} (JAX's defaults: right side, upper, no transpose). */
export interface TriangularSolveOptions {
  /** Solve `op(a) x = b` (true) or `x op(a) = b` (false, the default). */
  readonly leftSide?: boolean;
  /** `a` is lower triangular (default `false`: upper). */
  readonly lower?: boolean;
  /** `op(a) = aᵀ` (default `false`). */
  readonly transposeA?: boolean;
  /** Conjugate `a` (no effect on real matrices; complex ones are not supported). */
  readonly conjugateA?: boolean;
  /** Take the diagonal of `a` as ones (default `false`). */
  readonly unitDiagonal?: boolean;
}

/**
 * Solves a triangular system, as `jax.lax.linalg.triangular_solve`:
 * `op(a) x = b` with `leftSide`, else `x op(a) = b`. `a` and `b` have the
 * same rank and batch axes. Differentiable in both; linear in `b`.
 *
 * @example A lower-triangular system
 * ```ts
 * import { lax, np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * const l = np.array([[2, 0], [1, 4]]);
 * const x = lax.linalg.triangularSolve(l, np.array([[2], [9]]), { leftSide: true, lower: true });
 * deepEqual(x.tolist(), [[1], [2]]);
 * ```
 *
 * @param a Triangular matrices `[..., k, k]`.
 * @param b Right-hand sides `[..., k, n]` (left side) or `[..., m, k]`.
 * @param opts See {@linkcode TriangularSolveOptions}.
 * @returns The solutions, shaped as `b`.
 */
export function triangularSolve(
  a: NdArray,
  b: NdArray,
  opts: TriangularSolveOptions = {},
): NdArray {
  checkOptions("lax.linalg.triangularSolve", opts, [
    "leftSide",
    "lower",
    "transposeA",
    "conjugateA",
    "unitDiagonal",
  ]);
  return la.triangularSolve(matrix("triangularSolve", a), matrix("triangularSolve", b), {
    leftSide: opts.leftSide ?? false,
    lower: opts.lower ?? false,
    transposeA: opts.transposeA ?? false,
    unitDiagonal: opts.unitDiagonal ?? false,
  });
}

/**
 * LU decomposition with partial pivoting, as `jax.lax.linalg.lu`:
 * `[lu, pivots, permutation]` with `a[..., permutation, :] = L U`, `L`
 * unit lower triangular (below the diagonal of `lu`) and `U` upper
 * triangular (on and above it). `pivots[i]` is the row swapped with row
 * `i` (LAPACK's, zero-based); both are int32.
 *
 * @example Factors of a 2×2 matrix
 * ```ts
 * import { lax, np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * const [lu, pivots, perm] = lax.linalg.lu(np.array([[1, 2], [3, 4]]));
 * deepEqual(pivots.tolist(), [1, 1]);
 * deepEqual(perm.tolist(), [1, 0]);
 * deepEqual(np.round(lu, 6).tolist(), [[3, 4], [0.333333, 0.666667]]);
 * ```
 *
 * @param x Matrices `[..., m, n]` (float).
 * @returns `[lu, pivots, permutation]`.
 */
export function lu(x: NdArray): [NdArray, NdArray, NdArray] {
  const a = matrix("lu", x);
  return [la.lu(a), la.luPivots(a), la.luPermutation(a)];
}

/** Options of {@linkcode qr}. */
export interface QrOptions {
  /** `q` m×m and `r` m×n (default `true`), or `q` m×k and `r` k×n, k = min(m, n). */
  readonly fullMatrices?: boolean;
}

/**
 * QR decomposition by Householder reflections, as `jax.lax.linalg.qr`:
 * `x = q r` with orthonormal columns in `q` and `r` upper triangular
 * (LAPACK's signs). Differentiable except for `fullMatrices` with m > n.
 *
 * @example Reconstruction and orthogonality
 * ```ts
 * import { lax, np } from "@nabla/ad";
 * import { ok } from "node:assert/strict";
 *
 * const a = np.array([[1, 2], [3, 4], [5, 6]]);
 * const [q, r] = lax.linalg.qr(a, { fullMatrices: false });
 * ok(np.allclose(np.matmul(q, r), a));
 * ok(np.allclose(np.matmul(np.swapaxes(q, -1, -2), q), np.eye(2)));
 * ```
 *
 * @param x Matrices `[..., m, n]` (float).
 * @param opts `fullMatrices` (default `true`).
 * @returns `[q, r]`.
 */
export function qr(x: NdArray, opts: QrOptions = {}): [NdArray, NdArray] {
  checkOptions("lax.linalg.qr", opts, ["fullMatrices"]);
  return la.qr(matrix("qr", x), { fullMatrices: opts.fullMatrices ?? true });
}

/** Options of {@linkcode eigh}. */
export interface EighOptions {
  /** With `symmetrizeInput` false, read the lower (default) or upper triangle. */
  readonly lower?: boolean;
  /** Decompose `(x + xᵀ)/2` (default `true`). */
  readonly symmetrizeInput?: boolean;
  /** Eigenvalues in ascending order (default `true`); otherwise in the order the iteration leaves them. */
  readonly sortEigenvalues?: boolean;
}

/**
 * Eigendecomposition of symmetric matrices, as `jax.lax.linalg.eigh`:
 * `[v, w]` — eigenvectors as the columns of `v` (orthonormal; each with its
 * largest-magnitude entry positive, where LAPACK's signs are arbitrary),
 * then eigenvalues `w` in ascending order. By the cyclic Jacobi method.
 * The derivative of `v` is infinite where eigenvalues coincide (as JAX).
 *
 * @example Eigenvalues of a 2×2 matrix
 * ```ts
 * import { lax, np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * const [v, w] = lax.linalg.eigh(np.array([[2, 1], [1, 2]]));
 * deepEqual(np.round(w, 12).tolist(), [1, 3]);
 * deepEqual(np.round(np.abs(v), 6).tolist(), [[0.707107, 0.707107], [0.707107, 0.707107]]);
 * ```
 *
 * @param x Matrices `[..., n, n]` (float).
 * @param opts `lower`, `symmetrizeInput`, `sortEigenvalues`.
 * @returns `[v, w]`.
 */
export function eigh(x: NdArray, opts: EighOptions = {}): [NdArray, NdArray] {
  checkOptions("lax.linalg.eigh", opts, ["lower", "symmetrizeInput", "sortEigenvalues"]);
  const a = matrix("eigh", x);
  const part = opts.symmetrizeInput === false ? (opts.lower ?? true ? "lower" : "upper") : "sym";
  return la.eigh(a, { part, sort: opts.sortEigenvalues ?? true });
}

/** Options of {@linkcode svd}. */
export interface SvdOptions {
  /** `u` m×m and `vt` n×n (default `true`), or `u` m×k and `vt` k×n. */
  readonly fullMatrices?: boolean;
  /** Return `[u, s, vt]` (default `true`) or `s` alone. */
  readonly computeUv?: boolean;
}

/**
 * Singular value decomposition by one-sided Jacobi rotations, as
 * `jax.lax.linalg.svd`: `[u, s, vt]` with `x = u diag(s) vt`, `s`
 * descending (with `computeUv: false`, `s` alone). Singular vectors are
 * normalised so that the largest-magnitude entry of each column of `u` is
 * positive. Differentiable with `fullMatrices: false` (or square inputs);
 * the vectors' derivative is infinite where singular values coincide.
 *
 * @example Singular values
 * ```ts
 * import { lax, np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * const s = lax.linalg.svd(np.array([[3, 0], [0, -4]]), { computeUv: false });
 * deepEqual(s.tolist(), [4, 3]);
 * ```
 *
 * @param x Matrices `[..., m, n]` (float).
 * @param opts `fullMatrices`, `computeUv`.
 * @returns `[u, s, vt]`.
 */
export function svd(x: NdArray, opts: SvdOptions & { computeUv: false }): NdArray;
export function svd(x: NdArray, opts?: SvdOptions): [NdArray, NdArray, NdArray];
export function svd(x: NdArray, opts: SvdOptions = {}): NdArray | [NdArray, NdArray, NdArray] {
  checkOptions("lax.linalg.svd", opts, ["fullMatrices", "computeUv"]);
  const computeUv = opts.computeUv ?? true;
  const res = la.svd(matrix("svd", x), { fullMatrices: opts.fullMatrices ?? true, computeUv });
  return computeUv ? [res[0], res[1], res[2]] : res[0];
}
