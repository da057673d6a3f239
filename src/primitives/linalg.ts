/**
 * Linear-algebra primitives on stacks of matrices (leading axes are batch
 * axes; kernels loop over them): `cholesky`, `triangular_solve`, `lu` and
 * `lu_pivots`, `qr`, `eigh`, `svd`. Their JVP rules are the standard
 * matrix-calculus results, as JAX's `jax/_src/lax/linalg.py`; reverse mode
 * transposes those JVPs (only `triangular_solve` is linear, in its
 * right-hand side). Each batches by moving the batch axis to the front.
 *
 * A primitive has one output, so the factorizations with several (`qr`,
 * `eigh`, `svd`) return their factors flattened and concatenated along one
 * last axis; {@linkcode unpack} splits them again. Derivatives of
 * eigenvectors and singular vectors are those of JAX: infinite or NaN where
 * eigenvalues (singular values) coincide.
 *
 * @module
 */

import { NdArray, storageOf } from "../array/array.ts";
import { allocate, type DType, isFloat } from "../array/dtype.ts";
import { type Shape, showShape, sizeOf } from "../array/shape.ts";
import {
  choleskyKernel,
  eighKernel,
  eigKernel,
  luKernel,
  qrKernel,
  type RealStorage,
  svdKernel,
  type SymmetricPart,
  triangularSolveKernel,
} from "../array/kernels/linalg.ts";
import { bind } from "../core/handler.ts";
import { type Aval, type LinearPrimitive, type Primitive, Zero } from "../core/primitive.ts";
import { add, convert, div, eq, mul, neg, sub } from "./elementwise.ts";
import { dotGeneral } from "./products.ts";
import { reduceSum } from "./reductions.ts";
import { batchToFront, moveAxis } from "./rules.ts";
import { concatenate, pad, reshape, slice, transpose } from "./structural.ts";

// ---------------------------------------------------------------------------
// Shape checks and helpers

function matrixAval(name: string, x: Aval, square = false): [Shape, number, number] {
  if (!isFloat(x.dtype)) {
    throw new TypeError(`Primitive '${name}' needs a float operand: got ${x.dtype}`);
  }
  if (x.shape.length < 2) {
    throw new TypeError(
      `Primitive '${name}' needs an operand of rank >= 2: got shape ${showShape(x.shape)}`,
    );
  }
  const m = x.shape[x.shape.length - 2], n = x.shape[x.shape.length - 1];
  if (square && m !== n) {
    throw new TypeError(
      `Primitive '${name}' needs square matrices: got shape ${showShape(x.shape)}`,
    );
  }
  return [x.shape.slice(0, -2), m, n];
}

const count = (batch: Shape): number => sizeOf(batch);

function out(dtype: DType, shape: Shape): [RealStorage, Shape] {
  return [allocate(dtype, sizeOf(shape)) as RealStorage, shape];
}

/** The batched matrix product of two arrays of one rank and batch shape. */
function mm(a: NdArray, b: NdArray): NdArray {
  const r = a.ndim;
  const batch = Array.from({ length: r - 2 }, (_, i) => i);
  return dotGeneral(a, b, {
    lhsContract: [r - 1],
    rhsContract: [r - 2],
    lhsBatch: batch,
    rhsBatch: batch,
  });
}

/** Swaps the last two axes. */
function mT(x: NdArray): NdArray {
  const perm = Array.from({ length: x.ndim }, (_, i) => i);
  perm[x.ndim - 2] = x.ndim - 1;
  perm[x.ndim - 1] = x.ndim - 2;
  return transpose(x, perm);
}

/** A constant m×n matrix with `f(i, j)` as entries. */
function constant(
  m: number,
  n: number,
  dtype: DType,
  f: (i: number, j: number) => number,
): NdArray {
  const data = allocate(dtype, m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) data[i * n + j] = f(i, j);
  return new NdArray(data, [m, n], dtype);
}

const scal = (v: number, dtype: DType): NdArray => {
  const data = allocate(dtype, 1);
  data[0] = v;
  return new NdArray(data, [], dtype);
};

const eye = (m: number, n: number, dtype: DType): NdArray =>
  constant(m, n, dtype, (i, j) => (i === j ? 1 : 0));

/** `x` with entries outside the band `j - i >= k` (upper) / `j - i <= k` (lower) zeroed. */
function band(x: NdArray, lower: boolean, k: number): NdArray {
  const m = x.shape[x.ndim - 2], n = x.shape[x.ndim - 1];
  return mul(x, constant(m, n, x.dtype, (i, j) => ((lower ? j - i <= k : j - i >= k) ? 1 : 0)));
}

/** The diagonals of a stack of square matrices. */
function diag(x: NdArray): NdArray {
  const n = x.shape[x.ndim - 1];
  return reduceSum(mul(x, eye(n, n, x.dtype)), [x.ndim - 1]);
}

/** `x[..., None, :]`. */
function rowOf(x: NdArray): NdArray {
  return reshape(x, [...x.shape.slice(0, -1), 1, x.shape[x.ndim - 1]]);
}

/** `x[..., :, None]`. */
function colOf(x: NdArray): NdArray {
  return reshape(x, [...x.shape, 1]);
}

/** A window of the last two axes. */
function block(x: NdArray, r0: number, r1: number, c0: number, c1: number): NdArray {
  const lead = x.shape.slice(0, -2);
  return slice(x, {
    starts: [...lead.map(() => 0), r0, c0],
    limits: [...lead, r1, c1],
    strides: x.shape.map(() => 1),
  });
}

/** Zero padding of the last two axes to `rows` × `cols`. */
function padTo(x: NdArray, rows: number, cols: number): NdArray {
  const r = x.shape[x.ndim - 2], c = x.shape[x.ndim - 1];
  if (r === rows && c === cols) return x;
  const z = x.shape.map(() => 0);
  const hi = [...z.slice(0, -2), rows - r, cols - c];
  return pad(x, { lo: z, hi, interior: z });
}

/** Flattens each factor's matrix axes and concatenates them along one last axis. */
function pack(parts: readonly NdArray[], batch: Shape): NdArray {
  const flat = parts.map((p) => reshape(p, [...batch, sizeOf(p.shape.slice(batch.length))]));
  return flat.length === 1 ? flat[0] : concatenate(flat, batch.length);
}

/**
 * Splits a packed multi-factor output (or its tangent) into factors of the
 * given per-matrix shapes.
 *
 * @param packed The packed array `[...batch, total]`.
 * @param shapes The shape of each factor without the batch axes.
 * @returns The factors, each `[...batch, ...shape]`.
 */
export function unpack(packed: NdArray, shapes: readonly Shape[]): NdArray[] {
  const batch = packed.shape.slice(0, -1);
  const res: NdArray[] = [];
  let at = 0;
  for (const s of shapes) {
    const size = sizeOf(s);
    const part = slice(packed, {
      starts: [...batch.map(() => 0), at],
      limits: [...batch, at + size],
      strides: packed.shape.map(() => 1),
    });
    res.push(reshape(part, [...batch, ...s]));
    at += size;
  }
  return res;
}

const zeroLike = (x: NdArray | Aval, shape: Shape = x.shape): Zero => new Zero(shape, x.dtype);

// ---------------------------------------------------------------------------
// cholesky

/** Parameters of `cholesky` and `eigh`. */
export interface SymmetricParams {
  /**
   * `"sym"`: factor `(A + Aᵀ)/2`, with the tangent symmetrised likewise;
   * `"lower"`/`"upper"`: the symmetric matrix with that triangle of `A`,
   * with JAX's rule of applying the symmetric-input formula to the raw
   * tangent (correct for symmetric tangents, as JAX's `symmetrize_input=False`).
   */
  readonly part: SymmetricPart;
}

/** Parameters of `eigh`. */
export interface EighParams extends SymmetricParams {
  /** Eigenvalues ascending (true), or in the order the Jacobi sweeps leave them on the diagonal. */
  readonly sort: boolean;
}

/** Symmetrises a tangent when the primitive symmetrises its input. */
function symTangent(t: NdArray, p: SymmetricParams): NdArray {
  return p.part === "sym" ? mul(add(t, mT(t)), scal(0.5, t.dtype)) : t;
}

/** The lower Cholesky factor of each symmetric matrix read from `A` (NaN if not positive definite). */
export const choleskyP: Primitive<SymmetricParams> = {
  name: "cholesky",
  impl([x], p) {
    const [batch, n] = matrixAval("cholesky", x, true);
    const [data, shape] = out(x.dtype, x.shape);
    choleskyKernel(storageOf(x) as RealStorage, data, count(batch), n, p.part);
    return new NdArray(data, shape, x.dtype);
  },
  abstractEval([x]) {
    matrixAval("cholesky", x, true);
    return x;
  },
  // dL = L Φ(L⁻¹ dΣ L⁻ᵀ), dΣ = (dA + dAᵀ)/2, Φ = lower triangle with half the diagonal.
  jvp([x], [t], p) {
    const l = cholesky(x, p);
    if (t instanceof Zero) return [l, zeroLike(l)];
    const n = x.shape[x.ndim - 1];
    const sigma = symTangent(t, p);
    const tmp = triangularSolve(l, sigma, {
      leftSide: false,
      lower: true,
      transposeA: true,
      unitDiagonal: false,
    });
    const inner = triangularSolve(l, tmp, {
      leftSide: true,
      lower: true,
      transposeA: false,
      unitDiagonal: false,
    });
    const phi = mul(inner, constant(n, n, x.dtype, (i, j) => (i > j ? 1 : i === j ? 0.5 : 0)));
    return [l, mm(l, phi)];
  },
  vmap: ([x], [d], p) => [cholesky(moveAxis(x, d!, 0), p), 0],
};

// ---------------------------------------------------------------------------
// triangular_solve

/** Parameters of `triangular_solve` (JAX's, without complex conjugation). */
export interface TriangularSolveParams {
  /** Solve `op(A) X = B` (true) or `X op(A) = B` (false). */
  readonly leftSide: boolean;
  /** Read the lower (true) or upper triangle of `A`. */
  readonly lower: boolean;
  /** `op(A) = Aᵀ` (true) or `A`. */
  readonly transposeA: boolean;
  /** Take the diagonal of `A` as ones. */
  readonly unitDiagonal: boolean;
}

function solveAval([a, b]: readonly Aval[], p: TriangularSolveParams): Aval {
  const [ab, s] = matrixAval("triangular_solve", a, true);
  const [bb, m, n] = matrixAval("triangular_solve", b);
  if (a.dtype !== b.dtype) {
    throw new TypeError(
      `Primitive 'triangular_solve' needs operands of one dtype: got ${a.dtype} and ${b.dtype}`,
    );
  }
  const want = p.leftSide ? m : n;
  if (
    s !== want || ab.length !== bb.length || ab.some((v, i) => v !== bb[i])
  ) {
    throw new TypeError(
      `Primitive 'triangular_solve' cannot solve with shapes ${showShape(a.shape)} and ${
        showShape(b.shape)
      }: needs equal batch axes and a ${want}×${want} matrix (${
        p.leftSide ? "left" : "right"
      } side)`,
    );
  }
  return b;
}

/** Solves triangular systems; linear in the right-hand side `b`. */
export const triangularSolveP: LinearPrimitive<TriangularSolveParams> = {
  name: "triangular_solve",
  impl([a, b], p) {
    solveAval([a, b], p);
    const m = b.shape[b.ndim - 2], n = b.shape[b.ndim - 1];
    const [data, shape] = out(b.dtype, b.shape);
    triangularSolveKernel(
      storageOf(a) as RealStorage,
      storageOf(b) as RealStorage,
      data,
      count(b.shape.slice(0, -2)),
      m,
      n,
      p.leftSide,
      p.lower,
      p.transposeA,
      p.unitDiagonal,
    );
    return new NdArray(data, shape, b.dtype);
  },
  abstractEval: (args, p) => solveAval(args, p),
  // d(op(A)⁻¹B) = op(A)⁻¹(dB − op(dA) X) (left side; X op(dA) on the right).
  jvp([a, b], [ta, tb], p) {
    const x = triangularSolve(a, b, p);
    let dx: NdArray | null = null;
    if (!(tb instanceof Zero)) dx = triangularSolve(a, tb, p);
    if (!(ta instanceof Zero)) {
      let g = neg(band(ta, p.lower, p.lower ? (p.unitDiagonal ? -1 : 0) : p.unitDiagonal ? 1 : 0));
      if (p.transposeA) g = mT(g);
      const term = triangularSolve(a, p.leftSide ? mm(g, x) : mm(x, g), p);
      dx = dx === null ? term : add(dx, term);
    }
    return [x, dx ?? zeroLike(x)];
  },
  vmap([a, b], [da, db], p, n) {
    return [triangularSolve(batchToFront(a, da, n), batchToFront(b, db, n), p), 0];
  },
  // The adjoint of X ↦ op(A)⁻¹X is C ↦ op(A)⁻ᵀC.
  transpose(ct, [a, b], p) {
    if (!(a instanceof NdArray) || b instanceof NdArray) {
      throw new TypeError(
        "Primitive 'triangular_solve' is linear in its right-hand side only",
      );
    }
    return [null, triangularSolve(a, ct, { ...p, transposeA: !p.transposeA })];
  },
};

// ---------------------------------------------------------------------------
// lu, lu_pivots

// `lu` and `lu_pivots` of one array are asked for together (every solve needs
// both): arrays are immutable, so the factorization is kept per input array.
const luCache = new WeakMap<NdArray, [NdArray, NdArray]>();

function luImpl(x: NdArray): [NdArray, NdArray] {
  const hit = luCache.get(x);
  if (hit !== undefined) return hit;
  const res = luCompute(x);
  luCache.set(x, res);
  return res;
}

function luCompute(x: NdArray): [NdArray, NdArray] {
  const [batch, m, n] = matrixAval("lu", x);
  const k = Math.min(m, n), b = count(batch);
  const [data, shape] = out(x.dtype, x.shape);
  const pivots = new Int32Array(b * k), perm = new Int32Array(b * m);
  luKernel(storageOf(x) as RealStorage, data, pivots, perm, b, m, n);
  const both = new Int32Array(b * (k + m));
  for (let i = 0; i < b; i++) {
    both.set(pivots.subarray(i * k, (i + 1) * k), i * (k + m));
    both.set(perm.subarray(i * m, (i + 1) * m), i * (k + m) + k);
  }
  return [new NdArray(data, shape, x.dtype), new NdArray(both, [...batch, k + m], "int32")];
}

/** The pivoted LU factors `L\U` packed in one matrix (`P A = L U`, `L` unit lower). */
export const luP: Primitive<undefined> = {
  name: "lu",
  impl: ([x]) => luImpl(x)[0],
  abstractEval([x]) {
    matrixAval("lu", x);
    return x;
  },
  // L⁻¹ P dA U⁻¹ = Ψ; dL = L tril(Ψ, −1), dU = triu(Ψ) U (De Hoog, Anderssen & Lukas).
  jvp([x], [t]) {
    const f = lu(x);
    if (t instanceof Zero) return [f, zeroLike(f)];
    const m = x.shape[x.ndim - 2], n = x.shape[x.ndim - 1], k = Math.min(m, n);
    const perm = luPermutation(x);
    const pm = permutationMatrix(perm, x.dtype);
    const l = add(padTo(band(block(f, 0, m, 0, k), true, -1), m, m), eye(m, m, x.dtype));
    const uEye = constant(n, n, x.dtype, (i, j) => (i === j && i >= k ? 1 : 0));
    const u = add(padTo(band(block(f, 0, k, 0, n), false, 0), n, n), uEye);
    const la = triangularSolve(l, mm(pm, t), {
      leftSide: true,
      lower: true,
      transposeA: false,
      unitDiagonal: true,
    });
    const lau = triangularSolve(u, la, {
      leftSide: false,
      lower: false,
      transposeA: false,
      unitDiagonal: false,
    });
    return [f, add(mm(l, band(lau, true, -1)), mm(band(lau, false, 0), u))];
  },
  vmap: ([x], [d]) => [lu(moveAxis(x, d!, 0)), 0],
};

/** The pivots (`[..., min(m, n)]`, LAPACK's swaps) then the row permutation (`[..., m]`) of the pivoted LU, as int32. */
export const luPivotsP: Primitive<undefined> = {
  name: "lu_pivots",
  impl: ([x]) => luImpl(x)[1],
  abstractEval([x]) {
    const [batch, m, n] = matrixAval("lu_pivots", x);
    return { shape: [...batch, Math.min(m, n) + m], dtype: "int32" };
  },
  jvp([x]) {
    const y = bind(luPivotsP, [x], undefined);
    return [y, zeroLike(y)];
  },
  vmap: ([x], [d]) => [bind(luPivotsP, [moveAxis(x, d!, 0)], undefined), 0],
};

/** The row permutation of the pivoted LU of `x` (`[..., m]`, int32). */
export function luPermutation(x: NdArray): NdArray {
  const both = bind(luPivotsP, [x], undefined);
  const m = x.shape[x.ndim - 2], k = Math.min(m, x.shape[x.ndim - 1]);
  const lead = both.shape.slice(0, -1);
  return slice(both, {
    starts: [...lead.map(() => 0), k],
    limits: [...lead, k + m],
    strides: both.shape.map(() => 1),
  });
}

/** The pivots of the pivoted LU of `x` (`[..., min(m, n)]`, int32). */
export function luPivots(x: NdArray): NdArray {
  const both = bind(luPivotsP, [x], undefined);
  const k = Math.min(x.shape[x.ndim - 2], x.shape[x.ndim - 1]);
  const lead = both.shape.slice(0, -1);
  return slice(both, {
    starts: lead.map(() => 0).concat(0),
    limits: [...lead, k],
    strides: both.shape.map(() => 1),
  });
}

/** `P` with `P[i, j] = 1` where `perm[i] = j`, so `(P A)[i] = A[perm[i]]`. */
export function permutationMatrix(perm: NdArray, dtype: DType): NdArray {
  const m = perm.shape[perm.ndim - 1];
  const cols = constant(1, m, "int32", (_, j) => j);
  return convert(eq(colOf(perm), cols), dtype);
}

/** Solves the square systems `A X = B` by pivoted LU (`B` of the same rank as `A`). */
export function luSolve(a: NdArray, b: NdArray): NdArray {
  const f = lu(a);
  const pb = mm(permutationMatrix(luPermutation(a), a.dtype), b);
  const y = triangularSolve(f, pb, {
    leftSide: true,
    lower: true,
    transposeA: false,
    unitDiagonal: true,
  });
  return triangularSolve(f, y, {
    leftSide: true,
    lower: false,
    transposeA: false,
    unitDiagonal: false,
  });
}

// ---------------------------------------------------------------------------
// qr

/** Parameters of `qr`. */
export interface QrParams {
  /** `Q` m×m and `R` m×n (true), or `Q` m×k and `R` k×n, k = min(m, n). */
  readonly fullMatrices: boolean;
}

/** The shapes of `Q` and `R` for an m×n input. */
export function qrShapes(m: number, n: number, full: boolean): [Shape, Shape] {
  const k = full ? m : Math.min(m, n);
  return [[m, k], [k, n]];
}

/** Householder QR: `Q` and `R` packed (see {@linkcode unpack}, {@linkcode qrShapes}). */
export const qrP: Primitive<QrParams> = {
  name: "qr",
  impl([x], p) {
    const [batch, m, n] = matrixAval("qr", x);
    const [qs, rs] = qrShapes(m, n, p.fullMatrices);
    const b = count(batch);
    const q = allocate(x.dtype, b * sizeOf(qs)) as RealStorage;
    const r = allocate(x.dtype, b * sizeOf(rs)) as RealStorage;
    qrKernel(storageOf(x) as RealStorage, q, r, b, m, n, p.fullMatrices);
    const qa = new NdArray(q, [...batch, ...qs], x.dtype);
    const ra = new NdArray(r, [...batch, ...rs], x.dtype);
    return packNow([qa, ra], batch);
  },
  abstractEval([x], p) {
    const [batch, m, n] = matrixAval("qr", x);
    const [qs, rs] = qrShapes(m, n, p.fullMatrices);
    return { shape: [...batch, sizeOf(qs) + sizeOf(rs)], dtype: x.dtype };
  },
  jvp([x], [t], p) {
    const packed = bind(qrP, [x], p);
    if (t instanceof Zero) return [packed, zeroLike(packed)];
    const m = x.shape[x.ndim - 2], n = x.shape[x.ndim - 1];
    const batch = x.shape.slice(0, -2);
    const [q, r] = unpack(packed, qrShapes(m, n, p.fullMatrices));
    if (m < n) {
      // X = [X₁ X₂] = Q [R₁ R₂]: the square part as usual, dR₂ = dQᵀ X₂ + Qᵀ dX₂.
      const [dq, dr1] = thinQrJvp(q, block(r, 0, m, 0, m), block(t, 0, m, 0, m));
      const dr2 = add(mm(mT(dq), block(x, 0, m, m, n)), mm(mT(q), block(t, 0, m, m, n)));
      return [packed, pack([dq, concatenate([dr1, dr2], x.ndim - 1)], batch)];
    }
    if (p.fullMatrices && m !== n) {
      throw new TypeError(
        `The derivative of 'qr' with fullMatrices is not implemented for tall matrices (shape ${
          showShape(x.shape)
        }): use mode "reduced"`,
      );
    }
    const [dq, dr] = thinQrJvp(q, r, t);
    return [packed, pack([dq, dr], batch)];
  },
  vmap: ([x], [d], p) => [bind(qrP, [moveAxis(x, d!, 0)], p), 0],
};

/** Packs concrete factors (eval only). */
function packNow(parts: readonly NdArray[], batch: Shape): NdArray {
  const b = count(batch);
  const sizes = parts.map((p) => sizeOf(p.shape.slice(batch.length)));
  const total = sizes.reduce((s, v) => s + v, 0);
  const dtype = parts[0].dtype;
  const data = allocate(dtype, b * total);
  for (let i = 0; i < b; i++) {
    let at = i * total;
    parts.forEach((p, j) => {
      data.set(storageOf(p).subarray(i * sizes[j], (i + 1) * sizes[j]), at);
      at += sizes[j];
    });
  }
  return new NdArray(data, [...batch, total], dtype);
}

// For m ≥ n (j-towns.github.io/papers/qr-derivative.pdf): C = Qᵀ dX R⁻¹,
// Ω = tril(C, −1) − tril(C, −1)ᵀ, dQ = Q(Ω − C) + dX R⁻¹, dR = (C − Ω) R.
function thinQrJvp(q: NdArray, r: NdArray, dx: NdArray): [NdArray, NdArray] {
  const dxRinv = triangularSolve(r, dx, {
    leftSide: false,
    lower: false,
    transposeA: false,
    unitDiagonal: false,
  });
  const c = mm(mT(q), dxRinv);
  const low = band(c, true, -1);
  const omega = sub(low, mT(low));
  return [add(mm(q, sub(omega, c)), dxRinv), mm(sub(c, omega), r)];
}

// ---------------------------------------------------------------------------
// eigh

/** Eigenvectors (columns, n×n) then eigenvalues (ascending, n) of each symmetric matrix read from `A`, packed. */
export const eighP: Primitive<EighParams> = {
  name: "eigh",
  impl([x], p) {
    const [batch, n] = matrixAval("eigh", x, true);
    const b = count(batch);
    const v = allocate(x.dtype, b * n * n) as RealStorage;
    const w = allocate(x.dtype, b * n) as RealStorage;
    eighKernel(storageOf(x) as RealStorage, w, v, b, n, p.part, p.sort);
    return packNow([
      new NdArray(v, [...batch, n, n], x.dtype),
      new NdArray(w, [...batch, n], x.dtype),
    ], batch);
  },
  abstractEval([x]) {
    const [batch, n] = matrixAval("eigh", x, true);
    return { shape: [...batch, n * n + n], dtype: x.dtype };
  },
  // With S = Vᵀ dA V (dA symmetrised): dw = diag(S), dV = V (F ∘ S), F_ij = 1/(w_j − w_i) off the diagonal.
  jvp([x], [t], p) {
    const packed = bind(eighP, [x], p);
    if (t instanceof Zero) return [packed, zeroLike(packed)];
    const n = x.shape[x.ndim - 1];
    const [v, w] = unpack(packed, [[n, n], [n]]);
    const id = eye(n, n, x.dtype);
    const f = sub(div(scal(1, x.dtype), add(id, sub(rowOf(w), colOf(w)))), id);
    const dA = symTangent(t, p);
    const s = mm(mm(mT(v), dA), v);
    return [packed, pack([mm(v, mul(f, s)), diag(s)], x.shape.slice(0, -2))];
  },
  vmap: ([x], [d], p) => [bind(eighP, [moveAxis(x, d!, 0)], p), 0],
};

// ---------------------------------------------------------------------------
// eig

/** Parameters of `eig`. */
export interface EigParams {
  /**
   * What is packed: `"values"` (`wr`, `wi`), `"vectors"` (then the right
   * eigenvectors' real and imaginary parts), `"all"` (then also the inverse
   * of the eigenvector matrix, whose rows are left eigenvectors).
   */
  readonly output: "values" | "vectors" | "all";
}

/** The packed factor shapes of `eig` for n×n inputs. */
export function eigShapes(n: number, p: EigParams): Shape[] {
  const shapes: Shape[] = [[n], [n]];
  if (p.output !== "values") shapes.push([n, n], [n, n]);
  if (p.output === "all") shapes.push([n, n], [n, n]);
  return shapes;
}

/**
 * Eigenvalues (and eigenvectors) of real square matrices, by Hessenberg
 * reduction, the Francis double-shift QR iteration and inverse iteration;
 * real and imaginary parts packed (see {@linkcode eigShapes}).
 */
export const eigP: Primitive<EigParams> = {
  name: "eig",
  impl([x], p) {
    const [batch, n] = matrixAval("eig", x, true);
    const b = count(batch);
    const parts = eigShapes(n, p).map((s) => allocate(x.dtype, b * sizeOf(s)) as RealStorage);
    eigKernel(
      storageOf(x) as RealStorage,
      parts[0],
      parts[1],
      p.output === "values" ? null : { vr: parts[2], vi: parts[3] },
      p.output === "all" ? { ur: parts[4], ui: parts[5] } : null,
      b,
      n,
    );
    const shapes = eigShapes(n, p);
    return packNow(parts.map((d, i) => new NdArray(d, [...batch, ...shapes[i]], x.dtype)), batch);
  },
  abstractEval([x], p) {
    const [batch, n] = matrixAval("eig", x, true);
    const total = eigShapes(n, p).reduce((a, s) => a + sizeOf(s), 0);
    return { shape: [...batch, total], dtype: x.dtype };
  },
  // dλᵢ = uᵢ dA vᵢ (left and right eigenvectors with uᵢ vᵢ = 1), in real arithmetic:
  // Re = diag(Uᵣ dA Vᵣ − Uᵢ dA Vᵢ), Im = diag(Uᵣ dA Vᵢ + Uᵢ dA Vᵣ).
  jvp([x], [t], p) {
    const packed = bind(eigP, [x], p);
    if (t instanceof Zero) return [packed, zeroLike(packed)];
    if (p.output !== "values") {
      throw new TypeError(
        "The derivatives of eigenvectors of 'eig' are not implemented (as in JAX): only eigenvalues (np.linalg.eigvals) are differentiable",
      );
    }
    const n = x.shape[x.ndim - 1];
    const all = { output: "all" } as const;
    const [, , vr, vi, ur, ui] = unpack(bind(eigP, [x], all), eigShapes(n, all));
    const dwr = sub(diag(mm(mm(ur, t), vr)), diag(mm(mm(ui, t), vi)));
    const dwi = add(diag(mm(mm(ur, t), vi)), diag(mm(mm(ui, t), vr)));
    return [packed, pack([dwr, dwi], x.shape.slice(0, -2))];
  },
  vmap: ([x], [d], p) => [bind(eigP, [moveAxis(x, d!, 0)], p), 0],
};

// ---------------------------------------------------------------------------
// svd

/** Parameters of `svd`. */
export interface SvdParams {
  /** `U` m×m and `Vᵀ` n×n (true), or `U` m×k and `Vᵀ` k×n, k = min(m, n). */
  readonly fullMatrices: boolean;
  /** Return `U` and `Vᵀ` besides the singular values. */
  readonly computeUv: boolean;
}

/** The shapes of `U`, `s` and `Vᵀ` (packed in this order) for an m×n input. */
export function svdShapes(m: number, n: number, p: SvdParams): Shape[] {
  const k = Math.min(m, n);
  if (!p.computeUv) return [[k]];
  return p.fullMatrices ? [[m, m], [k], [n, n]] : [[m, k], [k], [k, n]];
}

/** One-sided Jacobi SVD: `U`, `s` (descending), `Vᵀ` packed, or `s` alone. */
export const svdP: Primitive<SvdParams> = {
  name: "svd",
  impl([x], p) {
    const [batch, m, n] = matrixAval("svd", x);
    const shapes = svdShapes(m, n, p);
    const b = count(batch);
    const k = Math.min(m, n);
    const s = allocate(x.dtype, b * k) as RealStorage;
    const sa = new NdArray(s, [...batch, k], x.dtype);
    if (!p.computeUv) {
      svdKernel(storageOf(x) as RealStorage, s, null, null, b, m, n, false);
      return sa;
    }
    const u = allocate(x.dtype, b * sizeOf(shapes[0])) as RealStorage;
    const vt = allocate(x.dtype, b * sizeOf(shapes[2])) as RealStorage;
    svdKernel(storageOf(x) as RealStorage, s, u, vt, b, m, n, p.fullMatrices);
    return packNow([
      new NdArray(u, [...batch, ...shapes[0]], x.dtype),
      sa,
      new NdArray(vt, [...batch, ...shapes[2]], x.dtype),
    ], batch);
  },
  abstractEval([x], p) {
    const [batch, m, n] = matrixAval("svd", x);
    const total = svdShapes(m, n, p).reduce((a, s) => a + sizeOf(s), 0);
    return { shape: [...batch, total], dtype: x.dtype };
  },
  // JAX's rule (reduced factors): dS = Uᵀ dA V, ds = diag(dS), F_ij = 1/(s_j² − s_i²),
  // dU = U(F ∘ (dS S + S dSᵀ) + ½(dS − dSᵀ) S⁻¹) [+ (I − UUᵀ) dA V S⁻¹ when m > n],
  // dV = V(F ∘ (S dS + dSᵀ S)) [+ (I − VVᵀ) dAᵀ U S⁻¹ when n > m].
  jvp([x], [t], p) {
    const packed = bind(svdP, [x], p);
    if (t instanceof Zero) return [packed, zeroLike(packed)];
    const m = x.shape[x.ndim - 2], n = x.shape[x.ndim - 1], k = Math.min(m, n);
    if (p.computeUv && p.fullMatrices && m !== n) {
      throw new TypeError(
        `The derivative of 'svd' with fullMatrices is not implemented for non-square matrices (shape ${
          showShape(x.shape)
        }): pass fullMatrices false`,
      );
    }
    const batch = x.shape.slice(0, -2);
    const reduced = { fullMatrices: false, computeUv: true };
    const [u, s, vt] = unpack(bind(svdP, [x], reduced), svdShapes(m, n, reduced));
    const v = mT(vt);
    const ut = mT(u);
    const ds = mm(mm(ut, t), v);
    const dsDiag = diag(ds);
    if (!p.computeUv) return [packed, dsDiag];
    const sRow = rowOf(s), sCol = colOf(s);
    const id = eye(k, k, x.dtype);
    const one = scal(1, x.dtype);
    const f = sub(div(one, add(mul(add(sRow, sCol), sub(sRow, sCol)), id)), id);
    const sZero = convert(eq(s, scal(0, x.dtype)), x.dtype);
    const sInv = sub(div(one, add(s, sZero)), sZero);
    const dss = mul(sRow, ds), sds = mul(sCol, ds);
    const half = scal(0.5, x.dtype);
    const dUdVDiag = mul(mul(half, sub(ds, mT(ds))), mul(rowOf(sInv), id));
    let du = mm(u, add(mul(f, add(dss, mT(dss))), dUdVDiag));
    let dv = mm(v, mul(f, add(sds, mT(sds))));
    if (m > n) {
      const dav = mm(t, v);
      du = add(du, div(sub(dav, mm(u, mm(ut, dav))), sRow));
    }
    if (n > m) {
      const dahu = mm(mT(t), u);
      dv = add(dv, div(sub(dahu, mm(v, mm(vt, dahu))), sRow));
    }
    return [packed, pack([du, dsDiag, mT(dv)], batch)];
  },
  vmap: ([x], [d], p) => [bind(svdP, [moveAxis(x, d!, 0)], p), 0],
};

// ---------------------------------------------------------------------------
// Functions that bind them

/** The lower Cholesky factor of the symmetric matrix read from `x` (default `(x + xᵀ)/2`). */
export function cholesky(x: NdArray, p: SymmetricParams = { part: "sym" }): NdArray {
  return bind(choleskyP, [x], p);
}
/** Solves a triangular system (see {@linkcode TriangularSolveParams}). */
export function triangularSolve(a: NdArray, b: NdArray, p: TriangularSolveParams): NdArray {
  return bind(triangularSolveP, [a, b], p);
}
/** The packed pivoted LU factors of `x`. */
export function lu(x: NdArray): NdArray {
  return bind(luP, [x], undefined);
}
/** `[Q, R]` of `x`. */
export function qr(x: NdArray, p: QrParams): [NdArray, NdArray] {
  const m = x.shape[x.ndim - 2], n = x.shape[x.ndim - 1];
  const [q, r] = unpack(bind(qrP, [x], p), qrShapes(m, n, p.fullMatrices));
  return [q, r];
}
/** `[V, w]` of the symmetric matrix read from `x`: eigenvectors as columns, eigenvalues ascending. */
export function eigh(
  x: NdArray,
  p: EighParams = { part: "sym", sort: true },
): [NdArray, NdArray] {
  const n = x.shape[x.ndim - 1];
  const [v, w] = unpack(bind(eighP, [x], p), [[n, n], [n]]);
  return [v, w];
}
/** `[U, s, Vᵀ]` of `x` (or `[s]` without `computeUv`). */
export function svd(x: NdArray, p: SvdParams): NdArray[] {
  const m = x.shape[x.ndim - 2], n = x.shape[x.ndim - 1];
  const packed = bind(svdP, [x], p);
  return p.computeUv ? unpack(packed, svdShapes(m, n, p)) : [packed];
}
/** `[wr, wi]` or `[wr, wi, vr, vi]`: real and imaginary parts of eigenvalues (and right eigenvectors). */
export function eig(x: NdArray, vectors: boolean): NdArray[] {
  const n = x.shape[x.ndim - 1];
  const p: EigParams = { output: vectors ? "vectors" : "values" };
  return unpack(bind(eigP, [x], p), eigShapes(n, p));
}
