/**
 * Dense linear-algebra kernels on batches of row-major matrices: pivoted LU,
 * Cholesky, triangular solves, Householder QR, the cyclic Jacobi
 * eigensolver for symmetric matrices and the one-sided (Hestenes) Jacobi
 * SVD. Every kernel loops over `batch` contiguous matrices and computes in
 * float64 whatever the storage (float32 results are rounded once, at the end).
 *
 * @module
 */

/** Real storage a linear-algebra kernel reads or writes. */
export type RealStorage = Float64Array | Float32Array;

const EPS = 2.220446049250313e-16;

/**
 * LU with partial pivoting (LAPACK's `getrf`): `P A = L U`, `L` unit lower
 * (m×k, below the diagonal of `lu`), `U` upper (k×n), k = min(m, n).
 * `pivots[j]` is the row swapped with row j at step j; `perm` is the
 * resulting row permutation (row i of `P A` is row `perm[i]` of `A`). A zero
 * pivot is left in place (singular input: `U` has a zero on its diagonal).
 */
export function luKernel(
  a: RealStorage,
  lu: RealStorage,
  pivots: Int32Array,
  perm: Int32Array,
  batch: number,
  m: number,
  n: number,
): void {
  const k = Math.min(m, n);
  const w = new Float64Array(m * n);
  for (let b = 0; b < batch; b++) {
    const off = b * m * n;
    for (let i = 0; i < m * n; i++) w[i] = a[off + i];
    const pv = b * k, pm = b * m;
    for (let i = 0; i < m; i++) perm[pm + i] = i;
    for (let j = 0; j < k; j++) {
      let p = j, best = Math.abs(w[j * n + j]);
      for (let i = j + 1; i < m; i++) {
        const v = Math.abs(w[i * n + j]);
        if (v > best || (Number.isNaN(v) && !Number.isNaN(best))) {
          best = v;
          p = i;
        }
      }
      pivots[pv + j] = p;
      if (p !== j) {
        for (let c = 0; c < n; c++) {
          const t = w[j * n + c];
          w[j * n + c] = w[p * n + c];
          w[p * n + c] = t;
        }
        const t = perm[pm + j];
        perm[pm + j] = perm[pm + p];
        perm[pm + p] = t;
      }
      const rj = j * n;
      const d = w[rj + j];
      if (d === 0) continue;
      for (let i = j + 1; i < m; i++) {
        const ri = i * n;
        const f = w[ri + j] / d;
        w[ri + j] = f;
        if (f === 0) continue;
        for (let c = j + 1; c < n; c++) w[ri + c] -= f * w[rj + c];
      }
    }
    for (let i = 0; i < m * n; i++) lu[off + i] = w[i];
  }
}

/**
 * Which symmetric matrix a kernel reads from `A`: `(A + Aᵀ)/2` (`"sym"`),
 * or the one whose lower (upper) triangle is that of `A`.
 */
export type SymmetricPart = "sym" | "lower" | "upper";

/** Entry (i, j) of the symmetric matrix `part` of the n×n matrix at `a[off]`. */
function symAt(a: RealStorage, off: number, n: number, i: number, j: number, part: SymmetricPart) {
  if (part === "sym") return 0.5 * (a[off + i * n + j] + a[off + j * n + i]);
  const direct = part === "lower" ? i >= j : i <= j;
  return direct ? a[off + i * n + j] : a[off + j * n + i];
}

/**
 * Cholesky factor `L` (lower, zeros above the diagonal) of each symmetric
 * matrix `part` of `A`; a matrix that is not positive definite gives NaNs
 * (as JAX).
 */
export function choleskyKernel(
  a: RealStorage,
  out: RealStorage,
  batch: number,
  n: number,
  part: SymmetricPart = "sym",
): void {
  const l = new Float64Array(n * n);
  for (let b = 0; b < batch; b++) {
    const off = b * n * n;
    l.fill(0);
    let ok = true;
    for (let j = 0; j < n && ok; j++) {
      let d = a[off + j * n + j];
      for (let c = 0; c < j; c++) d -= l[j * n + c] * l[j * n + c];
      if (!(d > 0)) {
        ok = false;
        break;
      }
      const ljj = Math.sqrt(d);
      l[j * n + j] = ljj;
      for (let i = j + 1; i < n; i++) {
        let s = symAt(a, off, n, i, j, part);
        for (let c = 0; c < j; c++) s -= l[i * n + c] * l[j * n + c];
        l[i * n + j] = s / ljj;
      }
    }
    if (ok) { for (let i = 0; i < n * n; i++) out[off + i] = l[i]; }
    else for (let i = 0; i < n * n; i++) out[off + i] = NaN;
  }
}

/**
 * Solves `op(A) X = B` (`leftSide`) or `X op(A) = B` for triangular `A`,
 * `op(A) = Aᵀ` when `transposeA`; `B` and `X` are m×n, `A` is m×m (left)
 * or n×n (right). Only the triangle `lower` of `A` is read; `unitDiagonal`
 * takes its diagonal as ones.
 */
export function triangularSolveKernel(
  a: RealStorage,
  bIn: RealStorage,
  out: RealStorage,
  batch: number,
  m: number,
  n: number,
  leftSide: boolean,
  lower: boolean,
  transposeA: boolean,
  unitDiagonal: boolean,
): void {
  // Right-side solves are left-side solves of the transposed system:
  // X op(A) = B ⇔ op(A)ᵀ Xᵀ = Bᵀ. M is the effective left matrix.
  const s = leftSide ? m : n; // order of A
  const cols = leftSide ? n : m; // right-hand sides
  const tr = leftSide ? transposeA : !transposeA; // M[i][j] = A[j][i]
  const mLower = lower !== tr;
  const x = new Float64Array(s);
  for (let b = 0; b < batch; b++) {
    const ao = b * s * s, bo = b * m * n;
    const at = (i: number, j: number) => (tr ? a[ao + j * s + i] : a[ao + i * s + j]);
    for (let c = 0; c < cols; c++) {
      for (let i = 0; i < s; i++) x[i] = leftSide ? bIn[bo + i * n + c] : bIn[bo + c * n + i];
      if (mLower) {
        for (let i = 0; i < s; i++) {
          let v = x[i];
          for (let j = 0; j < i; j++) v -= at(i, j) * x[j];
          x[i] = unitDiagonal ? v : v / at(i, i);
        }
      } else {
        for (let i = s - 1; i >= 0; i--) {
          let v = x[i];
          for (let j = i + 1; j < s; j++) v -= at(i, j) * x[j];
          x[i] = unitDiagonal ? v : v / at(i, i);
        }
      }
      for (let i = 0; i < s; i++) {
        if (leftSide) out[bo + i * n + c] = x[i];
        else out[bo + c * n + i] = x[i];
      }
    }
  }
}

/**
 * `W[r0:r1, c0:] −= v (τ vᵀ W[r0:r1, c0:])` for the row-major matrix `W`
 * with `cols` columns and the reflector `v[r0:r1]` at `vs[vo + r]`; `d` is
 * scratch of at least `cols` entries. Row-wise, so the inner loops are
 * contiguous.
 */
function applyReflector(
  w: Float64Array,
  cols: number,
  vs: Float64Array,
  vo: number,
  r0: number,
  r1: number,
  c0: number,
  tau: number,
  d: Float64Array,
): void {
  d.fill(0, c0, cols);
  for (let i = r0; i < r1; i++) {
    const vi = vs[vo + i];
    if (vi === 0) continue;
    const row = i * cols;
    for (let c = c0; c < cols; c++) d[c] += vi * w[row + c];
  }
  for (let c = c0; c < cols; c++) d[c] *= tau;
  for (let i = r0; i < r1; i++) {
    const vi = vs[vo + i];
    if (vi === 0) continue;
    const row = i * cols;
    for (let c = c0; c < cols; c++) w[row + c] -= d[c] * vi;
  }
}

/**
 * Householder QR (LAPACK's `geqrf` + `orgqr` sign conventions): `A = Q R`
 * with `A` m×n, k = min(m, n). `full`: `Q` m×m and `R` m×n; otherwise `Q`
 * m×k and `R` k×n. `R` is upper triangular (exact zeros below).
 */
export function qrKernel(
  a: RealStorage,
  q: RealStorage,
  r: RealStorage,
  batch: number,
  m: number,
  n: number,
  full: boolean,
): void {
  const k = Math.min(m, n);
  const qc = full ? m : k;
  const rr = full ? m : k;
  const w = new Float64Array(m * n);
  const vs = new Float64Array(k * m); // reflector j: vs[j*m + j..m)
  const taus = new Float64Array(k);
  const qw = new Float64Array(m * qc);
  const d = new Float64Array(Math.max(n, qc));
  for (let b = 0; b < batch; b++) {
    const off = b * m * n;
    for (let i = 0; i < m * n; i++) w[i] = a[off + i];
    vs.fill(0);
    for (let j = 0; j < k; j++) {
      // dlarfg: H = I - tau v vᵀ with v[j] = 1, H x = beta e1.
      const alpha = w[j * n + j];
      let xn = 0;
      for (let i = j + 1; i < m; i++) xn = Math.hypot(xn, w[i * n + j]);
      if (xn === 0) {
        taus[j] = 0;
        continue;
      }
      const beta = -(alpha >= 0 ? 1 : -1) * Math.hypot(alpha, xn);
      const tau = (beta - alpha) / beta;
      const scale = 1 / (alpha - beta);
      vs[j * m + j] = 1;
      for (let i = j + 1; i < m; i++) vs[j * m + i] = w[i * n + j] * scale;
      taus[j] = tau;
      // Apply H to columns j.. of w, row by row: d = τ vᵀ W, W −= v d.
      applyReflector(w, n, vs, j * m, j, m, j, tau, d);
      w[j * n + j] = beta;
      for (let i = j + 1; i < m; i++) w[i * n + j] = 0;
    }
    // Q = H_0 H_1 … H_{k-1} I[:, :qc], applied from the last reflector.
    qw.fill(0);
    for (let i = 0; i < qc; i++) qw[i * qc + i] = 1;
    for (let j = k - 1; j >= 0; j--) {
      const tau = taus[j];
      if (tau === 0) continue;
      applyReflector(qw, qc, vs, j * m, j, m, 0, tau, d);
    }
    const qo = b * m * qc;
    for (let i = 0; i < m * qc; i++) q[qo + i] = qw[i];
    const ro = b * rr * n;
    for (let i = 0; i < rr; i++) {
      for (let c = 0; c < n; c++) r[ro + i * n + c] = i < m && c >= i ? w[i * n + c] : 0;
    }
  }
}

/** Makes the largest-magnitude entry of each column of the m×c matrix `v` positive (and flips `partner`'s matching rows when given). */
function normalizeSigns(
  v: Float64Array,
  m: number,
  c: number,
  partner?: Float64Array,
  pc = 0,
): void {
  for (let j = 0; j < c; j++) {
    let best = 0, val = 0;
    for (let i = 0; i < m; i++) {
      const x = v[i * c + j];
      if (Math.abs(x) > best + 1e-12 * best) {
        best = Math.abs(x);
        val = x;
      }
    }
    if (val < 0) {
      for (let i = 0; i < m; i++) v[i * c + j] = -v[i * c + j];
      if (partner) { for (let i = 0; i < pc; i++) partner[j * pc + i] = -partner[j * pc + i]; }
    }
  }
}

/**
 * Eigendecomposition of each symmetric matrix `part` of `A` (n×n) by the
 * cyclic Jacobi method: eigenvalues `w` ascending (with `sort`; otherwise in
 * the order of the diagonal they converge on), orthonormal eigenvectors
 * as the columns of `v`, each with its largest-magnitude entry positive.
 */
export function eighKernel(
  a: RealStorage,
  wOut: RealStorage,
  vOut: RealStorage,
  batch: number,
  n: number,
  part: SymmetricPart = "sym",
  sort = true,
): void {
  const s = new Float64Array(n * n);
  const v = new Float64Array(n * n);
  const w = new Float64Array(n);
  const order = new globalThis.Array<number>(n);
  for (let b = 0; b < batch; b++) {
    const off = b * n * n;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) s[i * n + j] = symAt(a, off, n, i, j, part);
    }
    v.fill(0);
    for (let i = 0; i < n; i++) v[i * n + i] = 1;
    for (let sweep = 0; sweep < 100; sweep++) {
      let rotated = false;
      for (let p = 0; p < n - 1; p++) {
        for (let q = p + 1; q < n; q++) {
          const apq = s[p * n + q];
          const app = s[p * n + p], aqq = s[q * n + q];
          if (apq === 0 || Math.abs(apq) <= EPS * 0.5 * Math.sqrt(Math.abs(app * aqq))) {
            s[p * n + q] = s[q * n + p] = 0;
            continue;
          }
          if (!Number.isFinite(apq)) continue;
          rotated = true;
          // Golub & Van Loan's sym.schur2: zero s[p][q] with J = [[c, s], [-s, c]].
          const tau = (aqq - app) / (2 * apq);
          const t = (tau >= 0 ? 1 : -1) / (Math.abs(tau) + Math.sqrt(1 + tau * tau));
          const c = 1 / Math.sqrt(1 + t * t), sn = t * c;
          for (let i = 0; i < n; i++) {
            const sip = s[i * n + p], siq = s[i * n + q];
            s[i * n + p] = c * sip - sn * siq;
            s[i * n + q] = sn * sip + c * siq;
          }
          for (let i = 0; i < n; i++) {
            const spi = s[p * n + i], sqi = s[q * n + i];
            s[p * n + i] = c * spi - sn * sqi;
            s[q * n + i] = sn * spi + c * sqi;
          }
          s[p * n + q] = s[q * n + p] = 0;
          for (let i = 0; i < n; i++) {
            const vip = v[i * n + p], viq = v[i * n + q];
            v[i * n + p] = c * vip - sn * viq;
            v[i * n + q] = sn * vip + c * viq;
          }
        }
      }
      if (!rotated) break;
    }
    for (let i = 0; i < n; i++) {
      w[i] = s[i * n + i];
      order[i] = i;
    }
    if (sort) order.sort((x, y) => w[x] - w[y] || x - y);
    for (let i = 0; i < n; i++) wOut[b * n + i] = w[order[i]];
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) s[i * n + j] = v[i * n + order[j]];
    }
    normalizeSigns(s, n, n);
    for (let i = 0; i < n * n; i++) vOut[off + i] = s[i];
  }
}

/**
 * Fills columns `from..c` of the m×c matrix `u` (whose first `from`
 * columns are orthonormal) with an orthonormal completion, by Gram–Schmidt
 * (twice) over the standard basis.
 */
function completeBasis(u: Float64Array, m: number, c: number, from: number): void {
  const x = new Float64Array(m);
  let col = from;
  for (let e = 0; e < m && col < c; e++) {
    x.fill(0);
    x[e] = 1;
    for (let pass = 0; pass < 2; pass++) {
      for (let j = 0; j < col; j++) {
        let d = 0;
        for (let i = 0; i < m; i++) d += u[i * c + j] * x[i];
        for (let i = 0; i < m; i++) x[i] -= d * u[i * c + j];
      }
    }
    let nrm = 0;
    for (let i = 0; i < m; i++) nrm = Math.hypot(nrm, x[i]);
    if (nrm < 0.5) continue;
    for (let i = 0; i < m; i++) u[i * c + col] = x[i] / nrm;
    col++;
  }
}

/**
 * Singular value decomposition `A = U diag(s) Vᵀ` of each m×n matrix by
 * one-sided Jacobi rotations (on `Aᵀ` when m < n); `s` descending, k =
 * min(m, n). `full`: `U` m×m, `Vᵀ` n×n, otherwise `U` m×k, `Vᵀ` k×n. The
 * singular vectors are normalised so that the largest-magnitude entry of
 * each column of `U` is positive. `u`/`vt` may be null (values only).
 */
export function svdKernel(
  a: RealStorage,
  sOut: RealStorage,
  uOut: RealStorage | null,
  vtOut: RealStorage | null,
  batch: number,
  m: number,
  n: number,
  full: boolean,
): void {
  const tall = m >= n;
  const rows = tall ? m : n, cols = tall ? n : m; // work on B = A or Aᵀ, rows ≥ cols
  const k = cols;
  const g = new Float64Array(rows * cols); // columns being orthogonalised, column-major: g[j*rows + i]
  const v = new Float64Array(cols * cols);
  const sv = new Float64Array(cols);
  const order = new globalThis.Array<number>(cols);
  const uc = full ? rows : k; // columns of the left factor of B
  const ub = new Float64Array(rows * uc);
  const vb = new Float64Array(cols * cols);
  for (let b = 0; b < batch; b++) {
    const off = b * m * n;
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++) {
        g[j * rows + i] = tall ? a[off + i * n + j] : a[off + j * n + i];
      }
    }
    v.fill(0);
    for (let i = 0; i < cols; i++) v[i * cols + i] = 1;
    for (let sweep = 0; sweep < 80; sweep++) {
      let rotated = false;
      for (let p = 0; p < cols - 1; p++) {
        for (let q = p + 1; q < cols; q++) {
          let al = 0, be = 0, ga = 0;
          for (let i = 0; i < rows; i++) {
            const x = g[p * rows + i], y = g[q * rows + i];
            al += x * x;
            be += y * y;
            ga += x * y;
          }
          if (ga === 0 || Math.abs(ga) <= EPS * Math.sqrt(al * be) || !Number.isFinite(ga)) {
            continue;
          }
          rotated = true;
          const zeta = (be - al) / (2 * ga);
          const t = (zeta >= 0 ? 1 : -1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
          const c = 1 / Math.sqrt(1 + t * t), sn = c * t;
          for (let i = 0; i < rows; i++) {
            const x = g[p * rows + i], y = g[q * rows + i];
            g[p * rows + i] = c * x - sn * y;
            g[q * rows + i] = sn * x + c * y;
          }
          for (let i = 0; i < cols; i++) {
            const x = v[i * cols + p], y = v[i * cols + q];
            v[i * cols + p] = c * x - sn * y;
            v[i * cols + q] = sn * x + c * y;
          }
        }
      }
      if (!rotated) break;
    }
    for (let j = 0; j < cols; j++) {
      let nrm = 0;
      for (let i = 0; i < rows; i++) nrm = Math.hypot(nrm, g[j * rows + i]);
      sv[j] = nrm;
      order[j] = j;
    }
    order.sort((x, y) => sv[y] - sv[x] || x - y);
    for (let j = 0; j < k; j++) sOut[b * k + j] = sv[order[j]];
    if (uOut === null || vtOut === null) continue;
    // Left vectors of B: normalised columns; near-null ones are completed.
    ub.fill(0);
    const tiny = (sv[order[0]] || 0) * EPS * rows;
    let good = 0;
    for (let j = 0; j < k; j++) {
      const src = order[j], s = sv[src];
      if (!(s > tiny) || s === 0) break;
      for (let i = 0; i < rows; i++) ub[i * uc + j] = g[src * rows + i] / s;
      good++;
    }
    if (good < uc) {
      // Zero singular values: their left vectors are any orthonormal completion.
      const tmp = new Float64Array(rows * uc);
      tmp.set(ub);
      completeBasis(tmp, rows, uc, good);
      ub.set(tmp);
    }
    for (let i = 0; i < cols; i++) {
      for (let j = 0; j < cols; j++) vb[i * cols + j] = v[i * cols + order[j]];
    }
    // Sign normalisation on U (= ub when tall, = vb otherwise), mirrored on the other factor.
    if (tall) normalizeColumnsPair(ub, rows, uc, vb, cols, k);
    else normalizeColumnsPair(vb, cols, cols, ub, rows, uc);
    // Write U and Vᵀ of A.
    const ucA = full ? m : k, vrA = full ? n : k;
    const uo = b * m * ucA, vo = b * vrA * n;
    if (tall) {
      for (let i = 0; i < m; i++) {
        for (let j = 0; j < ucA; j++) uOut[uo + i * ucA + j] = ub[i * uc + j];
      }
      for (let i = 0; i < vrA; i++) {
        for (let j = 0; j < n; j++) vtOut[vo + i * n + j] = vb[j * cols + i];
      }
    } else {
      // A = Bᵀ = V_B S U_Bᵀ: U = V_B (m×m), Vᵀ = U_Bᵀ.
      for (let i = 0; i < m; i++) {
        for (let j = 0; j < ucA; j++) uOut[uo + i * ucA + j] = vb[i * cols + j];
      }
      for (let i = 0; i < vrA; i++) {
        for (let j = 0; j < n; j++) vtOut[vo + i * n + j] = ub[j * uc + i];
      }
    }
  }
}

/**
 * Flips column j of `x` (r×c) so its largest-magnitude entry is positive,
 * for j < k, and flips column j of `y` (ry×cy) with it.
 */
function normalizeColumnsPair(
  x: Float64Array,
  r: number,
  c: number,
  y: Float64Array,
  ry: number,
  cy: number,
): void {
  const k = Math.min(c, cy);
  for (let j = 0; j < k; j++) {
    let best = 0, val = 0;
    for (let i = 0; i < r; i++) {
      const e = x[i * c + j];
      if (Math.abs(e) > best + 1e-12 * best) {
        best = Math.abs(e);
        val = e;
      }
    }
    if (val < 0) {
      for (let i = 0; i < r; i++) x[i * c + j] = -x[i * c + j];
      for (let i = 0; i < ry; i++) y[i * cy + j] = -y[i * cy + j];
    }
  }
}

/**
 * Eigenvalues `w = wr + i·wi` of the real n×n Hessenberg matrix in `h`
 * (overwritten) by the Francis double-shift QR algorithm; complex pairs
 * are stored consecutively, the one with positive imaginary part first.
 * Returns false if the iteration did not converge (the values are then NaN).
 */
function hessenbergEigenvalues(
  h: Float64Array,
  n: number,
  wr: Float64Array,
  wi: Float64Array,
): boolean {
  const at = (i: number, j: number) => h[i * n + j];
  let anorm = 0;
  for (let i = 0; i < n; i++) {
    for (let j = Math.max(i - 1, 0); j < n; j++) anorm += Math.abs(at(i, j));
  }
  let nn = n - 1, t = 0;
  while (nn >= 0) {
    let its = 0, l: number;
    do {
      for (l = nn; l >= 1; l--) {
        let s = Math.abs(at(l - 1, l - 1)) + Math.abs(at(l, l));
        if (s === 0) s = anorm;
        if (Math.abs(at(l, l - 1)) + s === s) {
          h[l * n + l - 1] = 0;
          break;
        }
      }
      let x = at(nn, nn);
      if (l === nn) {
        wr[nn] = x + t;
        wi[nn] = 0;
        nn--;
      } else {
        let y = at(nn - 1, nn - 1);
        let w = at(nn, nn - 1) * at(nn - 1, nn);
        if (l === nn - 1) {
          // A 2×2 block: its two eigenvalues.
          const p = 0.5 * (y - x), q = p * p + w;
          let z = Math.sqrt(Math.abs(q));
          x += t;
          if (q >= 0) {
            z = p + (p >= 0 ? Math.abs(z) : -Math.abs(z));
            wr[nn - 1] = wr[nn] = x + z;
            if (z !== 0) wr[nn] = x - w / z;
            wi[nn - 1] = wi[nn] = 0;
          } else {
            wr[nn - 1] = wr[nn] = x + p;
            wi[nn - 1] = z;
            wi[nn] = -z;
          }
          nn -= 2;
        } else {
          if (its === 60) {
            for (let i = 0; i <= nn; i++) wr[i] = wi[i] = NaN;
            return false;
          }
          if (its === 10 || its === 20 || its === 40) {
            // Exceptional shift.
            t += x;
            for (let i = 0; i <= nn; i++) h[i * n + i] -= x;
            const s = Math.abs(at(nn, nn - 1)) + Math.abs(at(nn - 1, nn - 2));
            y = x = 0.75 * s;
            w = -0.4375 * s * s;
          }
          its++;
          let m: number, p = 0, q = 0, r = 0, z: number;
          for (m = nn - 2; m >= l; m--) {
            z = at(m, m);
            r = x - z;
            const s0 = y - z;
            p = (r * s0 - w) / at(m + 1, m) + at(m, m + 1);
            q = at(m + 1, m + 1) - z - r - s0;
            r = at(m + 2, m + 1);
            const s = Math.abs(p) + Math.abs(q) + Math.abs(r);
            p /= s;
            q /= s;
            r /= s;
            if (m === l) break;
            const u = Math.abs(at(m, m - 1)) * (Math.abs(q) + Math.abs(r));
            const v = Math.abs(p) *
              (Math.abs(at(m - 1, m - 1)) + Math.abs(z) + Math.abs(at(m + 1, m + 1)));
            if (u + v === v) break;
          }
          for (let i = m + 2; i <= nn; i++) {
            h[i * n + i - 2] = 0;
            if (i !== m + 2) h[i * n + i - 3] = 0;
          }
          for (let k = m; k <= nn - 1; k++) {
            if (k !== m) {
              p = at(k, k - 1);
              q = at(k + 1, k - 1);
              r = k !== nn - 1 ? at(k + 2, k - 1) : 0;
              x = Math.abs(p) + Math.abs(q) + Math.abs(r);
              if (x !== 0) {
                p /= x;
                q /= x;
                r /= x;
              }
            }
            const nrm = Math.sqrt(p * p + q * q + r * r);
            const s = p >= 0 ? nrm : -nrm;
            if (s !== 0) {
              if (k === m) {
                if (l !== m) h[k * n + k - 1] = -at(k, k - 1);
              } else h[k * n + k - 1] = -s * x;
              p += s;
              x = p / s;
              y = q / s;
              z = r / s;
              q /= p;
              r /= p;
              for (let j = k; j <= nn; j++) {
                p = at(k, j) + q * at(k + 1, j);
                if (k !== nn - 1) {
                  p += r * at(k + 2, j);
                  h[(k + 2) * n + j] -= p * z;
                }
                h[(k + 1) * n + j] -= p * y;
                h[k * n + j] -= p * x;
              }
              const mmin = nn < k + 3 ? nn : k + 3;
              for (let i = l; i <= mmin; i++) {
                p = x * at(i, k) + y * at(i, k + 1);
                if (k !== nn - 1) {
                  p += z * at(i, k + 2);
                  h[i * n + k + 2] -= p * r;
                }
                h[i * n + k + 1] -= p * q;
                h[i * n + k] -= p;
              }
            }
          }
        }
      }
    } while (l < nn - 1);
  }
  return true;
}

/**
 * Reduces the n×n matrix `a` (in place) to upper Hessenberg form `H` by
 * Householder similarity transformations, accumulating the orthogonal `q`
 * (`A = Q H Qᵀ`) when given.
 */
function toHessenberg(a: Float64Array, n: number, q: Float64Array | null): void {
  if (q !== null) {
    q.fill(0);
    for (let i = 0; i < n; i++) q[i * n + i] = 1;
  }
  const v = new Float64Array(n);
  for (let k = 0; k < n - 2; k++) {
    let xn = 0;
    for (let i = k + 1; i < n; i++) xn = Math.hypot(xn, a[i * n + k]);
    if (xn === 0) continue;
    const alpha = a[(k + 1) * n + k] >= 0 ? -xn : xn;
    let vn = 0;
    for (let i = k + 1; i < n; i++) {
      v[i] = a[i * n + k] - (i === k + 1 ? alpha : 0);
      vn += v[i] * v[i];
    }
    if (vn === 0) continue;
    // A ← H A H with H = I − 2 v vᵀ / (vᵀ v).
    for (let j = 0; j < n; j++) {
      let d = 0;
      for (let i = k + 1; i < n; i++) d += v[i] * a[i * n + j];
      d = (2 * d) / vn;
      for (let i = k + 1; i < n; i++) a[i * n + j] -= d * v[i];
    }
    for (let i = 0; i < n; i++) {
      let d = 0;
      for (let j = k + 1; j < n; j++) d += a[i * n + j] * v[j];
      d = (2 * d) / vn;
      for (let j = k + 1; j < n; j++) a[i * n + j] -= d * v[j];
    }
    for (let i = k + 2; i < n; i++) a[i * n + k] = 0;
    if (q !== null) {
      for (let i = 0; i < n; i++) {
        let d = 0;
        for (let j = k + 1; j < n; j++) d += q[i * n + j] * v[j];
        d = (2 * d) / vn;
        for (let j = k + 1; j < n; j++) q[i * n + j] -= d * v[j];
      }
    }
  }
}

/**
 * Solves the complex systems `M X = B` in place (`M` n×n, `B` n×c, real and
 * imaginary parts apart) by Gaussian elimination with partial pivoting; an
 * exactly zero pivot is replaced by `tiny` (inverse iteration's rule).
 */
function complexSolve(
  mr: Float64Array,
  mi: Float64Array,
  br: Float64Array,
  bi: Float64Array,
  n: number,
  c: number,
  tiny: number,
  hessenberg = false,
): void {
  for (let k = 0; k < n; k++) {
    // Upper Hessenberg: only row k + 1 has an entry below the diagonal.
    const last = hessenberg ? Math.min(k + 2, n) : n;
    let p = k, best = -1;
    for (let i = k; i < last; i++) {
      const v = Math.hypot(mr[i * n + k], mi[i * n + k]);
      if (v > best) {
        best = v;
        p = i;
      }
    }
    if (p !== k) {
      for (let j = 0; j < n; j++) {
        let t = mr[k * n + j];
        mr[k * n + j] = mr[p * n + j];
        mr[p * n + j] = t;
        t = mi[k * n + j];
        mi[k * n + j] = mi[p * n + j];
        mi[p * n + j] = t;
      }
      for (let j = 0; j < c; j++) {
        let t = br[k * c + j];
        br[k * c + j] = br[p * c + j];
        br[p * c + j] = t;
        t = bi[k * c + j];
        bi[k * c + j] = bi[p * c + j];
        bi[p * c + j] = t;
      }
    }
    if (best === 0) mr[k * n + k] = tiny;
    const dr = mr[k * n + k], di = mi[k * n + k];
    const dd = dr * dr + di * di;
    for (let i = k + 1; i < last; i++) {
      // f = M[i][k] / M[k][k]
      const ar = mr[i * n + k], ai = mi[i * n + k];
      const fr = (ar * dr + ai * di) / dd, fi = (ai * dr - ar * di) / dd;
      if (fr === 0 && fi === 0) continue;
      for (let j = k; j < n; j++) {
        const xr = mr[k * n + j], xi = mi[k * n + j];
        mr[i * n + j] -= fr * xr - fi * xi;
        mi[i * n + j] -= fr * xi + fi * xr;
      }
      for (let j = 0; j < c; j++) {
        const xr = br[k * c + j], xi = bi[k * c + j];
        br[i * c + j] -= fr * xr - fi * xi;
        bi[i * c + j] -= fr * xi + fi * xr;
      }
    }
  }
  for (let j = 0; j < c; j++) {
    for (let i = n - 1; i >= 0; i--) {
      let sr = br[i * c + j], si = bi[i * c + j];
      for (let k = i + 1; k < n; k++) {
        const ur = mr[i * n + k], ui = mi[i * n + k];
        const xr = br[k * c + j], xi = bi[k * c + j];
        sr -= ur * xr - ui * xi;
        si -= ur * xi + ui * xr;
      }
      const dr = mr[i * n + i], di = mi[i * n + i];
      const dd = dr * dr + di * di;
      br[i * c + j] = (sr * dr + si * di) / dd;
      bi[i * c + j] = (si * dr - sr * di) / dd;
    }
  }
}

/**
 * Eigendecomposition of each real n×n matrix (LAPACK's `geev` conventions):
 * eigenvalues `wr + i·wi` in the order the QR iteration leaves them on the
 * Schur form's diagonal (complex pairs consecutive, positive imaginary part
 * first); with `v`, right eigenvectors as columns (`vr + i·vi`, unit
 * 2-norm, largest-magnitude entry real and positive) by inverse iteration;
 * with `u`, the inverse of that eigenvector matrix (its rows are left
 * eigenvectors with `u_i v_i = 1`).
 */
export function eigKernel(
  a: RealStorage,
  wrOut: RealStorage,
  wiOut: RealStorage,
  v: { vr: RealStorage; vi: RealStorage } | null,
  u: { ur: RealStorage; ui: RealStorage } | null,
  batch: number,
  n: number,
): void {
  const h = new Float64Array(n * n);
  const wr = new Float64Array(n), wi = new Float64Array(n);
  const mr = new Float64Array(n * n), mi = new Float64Array(n * n);
  const xr = new Float64Array(n), xi = new Float64Array(n);
  const vr = new Float64Array(n * n), vi = new Float64Array(n * n);
  const qh = new Float64Array(n * n), hh = new Float64Array(n * n);
  const yr = new Float64Array(n), yi = new Float64Array(n);
  for (let b = 0; b < batch; b++) {
    const off = b * n * n;
    let norm = 0;
    for (let i = 0; i < n * n; i++) {
      h[i] = a[off + i];
      norm = Math.max(norm, Math.abs(h[i]));
    }
    toHessenberg(h, n, qh);
    hh.set(h);
    hessenbergEigenvalues(h, n, wr, wi);
    // Conjugate pairs: positive imaginary part first (LAPACK's order).
    for (let i = 0; i + 1 < n; i++) {
      if (wi[i] !== 0 && wi[i + 1] === -wi[i]) {
        if (wi[i] < 0) {
          wi[i] = -wi[i];
          wi[i + 1] = -wi[i + 1];
        }
        i++;
      }
    }
    for (let i = 0; i < n; i++) {
      wrOut[b * n + i] = wr[i];
      wiOut[b * n + i] = wi[i];
    }
    if (v === null && u === null) continue;
    const tiny = (norm || 1) * EPS;
    for (let j = 0; j < n; j++) {
      // Inverse iteration on H − λI (Hessenberg, O(n²) a step) from a fixed start;
      // the eigenvector of A = Q H Qᵀ is Q y.
      for (let i = 0; i < n; i++) {
        yr[i] = 1 / (i + 1) + 0.1 * Math.sin(i + 1);
        yi[i] = 0;
      }
      for (let it = 0; it < 3; it++) {
        mr.set(hh);
        mi.fill(0);
        for (let i = 0; i < n; i++) {
          mr[i * n + i] -= wr[j];
          mi[i * n + i] -= wi[j];
        }
        complexSolve(mr, mi, yr, yi, n, 1, tiny, true);
        let s = 0;
        for (let i = 0; i < n; i++) s = Math.hypot(s, yr[i], yi[i]);
        for (let i = 0; i < n; i++) {
          yr[i] /= s;
          yi[i] /= s;
        }
      }
      for (let i = 0; i < n; i++) {
        let sr = 0, si = 0;
        for (let k = 0; k < n; k++) {
          sr += qh[i * n + k] * yr[k];
          si += qh[i * n + k] * yi[k];
        }
        xr[i] = sr;
        xi[i] = si;
      }
      // Phase: the largest-magnitude entry real and positive.
      let big = 0, br = 1, bi = 0;
      for (let i = 0; i < n; i++) {
        const m = Math.hypot(xr[i], xi[i]);
        if (m > big * (1 + 1e-10)) {
          big = m;
          br = xr[i] / m;
          bi = xi[i] / m;
        }
      }
      for (let i = 0; i < n; i++) {
        // x · conj(phase)
        const r = xr[i] * br + xi[i] * bi, im = xi[i] * br - xr[i] * bi;
        vr[i * n + j] = r;
        vi[i * n + j] = wi[j] === 0 ? 0 : im;
      }
    }
    if (v !== null) {
      for (let i = 0; i < n * n; i++) {
        v.vr[off + i] = vr[i];
        v.vi[off + i] = vi[i];
      }
    }
    if (u !== null) {
      const ir = new Float64Array(n * n), ii = new Float64Array(n * n);
      for (let i = 0; i < n; i++) ir[i * n + i] = 1;
      mr.set(vr);
      mi.set(vi);
      complexSolve(mr, mi, ir, ii, n, n, tiny);
      for (let i = 0; i < n * n; i++) {
        u.ur[off + i] = ir[i];
        u.ui[off + i] = ii[i];
      }
    }
  }
}
