// np.linalg and lax.linalg against JAX (tests/fixtures/linalg/linalg.json, made by
// make_fixtures.py beside it): values and gradients of weighted losses for every function;
// reconstruction and orthogonality identities; finite differences (checkGrads) and vmap against
// a loop on batched factorizations; bad arguments.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { type Array, grad, jvp, lax, np, vmap } from "../mod.ts";
import { checkGrads, checkVmap } from "../src/testing.ts";
import { assertAllClose } from "./_assert.ts";

interface Enc {
  shape: number[];
  v: number[];
}
type Kind = "plain" | "col" | "row" | "int" | "value";
interface Entry {
  inputs: Enc[];
  outputs: Enc[];
  kinds: Kind[];
  weights?: Enc[];
  grads?: Enc[];
}
const fx = JSON.parse(
  readFileSync(new URL("./fixtures/linalg/linalg.json", import.meta.url), "utf8"),
) as Record<string, Entry>;

const dec = (e: Enc): Array => np.array(e.v).reshape(e.shape);
const la = np.linalg;
const ll = lax.linalg;
type Fn = (...xs: Array[]) => Array | Array[];

/** The nabla twin of each fixture's function. */
const FNS: Record<string, Fn> = {
  "inv": la.inv,
  "inv batch": la.inv,
  "solve vector": la.solve,
  "solve matrix": la.solve,
  "solve batch": la.solve,
  "det": la.det,
  "det batch": la.det,
  "slogdet": la.slogdet,
  "slogdet batch": la.slogdet,
  "cholesky": (a) => la.cholesky(a),
  "cholesky upper": (a) => la.cholesky(a, { upper: true }),
  "cholesky batch": (a) => la.cholesky(a),
  "qr reduced tall": (a) => la.qr(a),
  "qr reduced wide": (a) => la.qr(a),
  "qr complete square": (a) => la.qr(a, "complete"),
  "qr complete tall": (a) => la.qr(a, "complete"),
  "qr r": (a) => la.qr(a, "r"),
  "eigh": (a) => la.eigh(a),
  "eigh batch": (a) => la.eigh(a),
  "eigh upper": (a) => la.eigh(a, { UPLO: "U", symmetrizeInput: false }),
  "eigvalsh": (a) => la.eigvalsh(a),
  "svd reduced tall": (a) => la.svd(a, { fullMatrices: false }),
  "svd reduced wide": (a) => la.svd(a, { fullMatrices: false }),
  "svd full square": (a) => la.svd(a),
  "svd full tall": (a) => {
    const [u, s, vh] = la.svd(a);
    return [u.get(":", ":3"), s, vh];
  },
  "svd values": (a) => la.svd(a, { computeUv: false }),
  "svdvals": la.svdvals,
  "svdvals batch": la.svdvals,
  "pinv tall": (a) => la.pinv(a),
  "pinv wide": (a) => la.pinv(a),
  "pinv rank deficient": (a) => la.pinv(a),
  "lstsq vector": (a, b) => la.lstsq(a, b),
  "lstsq matrix": (a, b) => la.lstsq(a, b),
  "matrix_power 5": (a) => la.matrixPower(a, 5),
  "matrix_power -3": (a) => la.matrixPower(a, -3),
  "matrix_power 0": (a) => la.matrixPower(a, 0),
  "matrix_rank": (a) => la.matrixRank(a),
  "matrix_rank batch": (a) => la.matrixRank(a),
  "multi_dot": (a, b, c, d) => la.multiDot([a, b, c, d]),
  "norm axis keepdims": (a) => la.norm(a, "nuc", [0, 2], { keepdims: true }),
  "matrix_norm 2 batch": (a) => la.matrixNorm(a, { ord: 2 }),
  "vector_norm axes": (a) => la.vectorNorm(a, { ord: 3, axis: [0, 2] }),
  "vector_norm all": (a) => la.vectorNorm(a),
  "cond tall": (a) => la.cond(a),
  "tensorinv": (a) => la.tensorinv(a, 2),
  "tensorsolve": (a, b) => la.tensorsolve(a, b),
  "tensorsolve axes": (a, b) => la.tensorsolve(a, b, [0]),
  "outer": la.outer,
  "matrix_transpose": la.matrixTranspose,
  "tensordot": (a, b) => la.tensordot(a, b, 1),
  "trace offset": (a) => la.trace(a, 1),
  "diagonal offset": (a) => la.diagonal(a, -1),
  "vecdot": (a, b) => la.vecdot(a, b, 0),
  "cross": (a, b) => la.cross(a, b),
  "lax cholesky": (a) => ll.cholesky(a),
  "lax cholesky lower only": (a) => ll.cholesky(a, { symmetrizeInput: false }),
  "lax lu": (a) => ll.lu(a),
  "lax lu tall": (a) => ll.lu(a),
  "lax lu wide": (a) => ll.lu(a),
  "lax lu batch": (a) => ll.lu(a),
  "lax qr": (a) => ll.qr(a, { fullMatrices: false }),
  "lax eigh": (a) => ll.eigh(a),
  "lax svd": (a) => ll.svd(a, { fullMatrices: false }),
  "lax svd values": (a) => ll.svd(a, { computeUv: false }),
};
const ORD: Record<string, number | "fro" | "nuc" | null> = {
  "None": null,
  "fro": "fro",
  "nuc": "nuc",
  "inf": Infinity,
  "-inf": -Infinity,
};
const ordOf = (s: string) => (s in ORD ? ORD[s] : Number(s));
for (const o of ["None", "fro", "nuc", "2", "-2", "1", "-1", "inf", "-inf"]) {
  FNS[`norm matrix ${o}`] = (a) => la.norm(a, ordOf(o));
}
for (const o of ["None", "2", "1", "-1", "inf", "-inf", "0", "3", "0.5"]) {
  FNS[`norm vector ${o}`] = (a) => la.norm(a, ordOf(o));
}
for (const o of ["None", "-2", "fro", "nuc", "1", "-1", "inf", "-inf"]) {
  FNS[`cond ${o}`] = (a) => la.cond(a, ordOf(o));
}
for (const left of [true, false]) {
  for (const lower of [true, false]) {
    for (const tr of [true, false]) {
      for (const unit of [true, false]) {
        const cap = (b: boolean) => (b ? "True" : "False");
        FNS[
          `triangular_solve left=${cap(left)} lower=${cap(lower)} transpose=${cap(tr)} unit=${
            cap(unit)
          }`
        ] = (a, b) =>
          ll.triangularSolve(a, b, { leftSide: left, lower, transposeA: tr, unitDiagonal: unit });
      }
    }
  }
}

const list = (y: Array | Array[]): Array[] => (globalThis.Array.isArray(y) ? y : [y]);

/** `ours` with each column (`"col"`) or row of each matrix flipped to match `theirs`' sign. */
function alignSigns(ours: Array, theirs: Array, kind: "col" | "row"): Array {
  const x = kind === "col" ? ours : np.swapaxes(ours, -1, -2);
  const y = kind === "col" ? theirs : np.swapaxes(theirs, -1, -2);
  const dots = np.sum(np.multiply(x, y), -2, { keepdims: true });
  const s = np.where(np.less(dots, 0), -1, 1);
  const z = np.multiply(x, s);
  return kind === "col" ? z : np.swapaxes(z, -1, -2);
}

describe("np.linalg and lax.linalg against JAX", () => {
  it("has a nabla function for every fixture", () => {
    assert.deepEqual(Object.keys(fx).filter((k) => !(k in FNS)), []);
  });
  for (const [name, e] of Object.entries(fx)) {
    it(name, () => {
      const f = FNS[name];
      const xs = e.inputs.map(dec);
      const ys = list(f(...xs));
      assert.equal(ys.length, e.outputs.length, "number of outputs");
      ys.forEach((y, k) => {
        const want = dec(e.outputs[k]);
        const kind = e.kinds[k];
        if (kind === "int") {
          assert.deepEqual(y.tolist(), want.tolist(), `output ${k}`);
          return;
        }
        const got = kind === "col" || kind === "row" ? alignSigns(y, want, kind) : y;
        assertAllClose(got, want, { rtol: 1e-9, atol: 1e-10, msg: `output ${k}` });
      });
      if (e.grads === undefined) return;
      const ws = e.weights!.map(dec);
      const loss = (...args: Array[]): Array => {
        let total = np.array(0);
        list(f(...args)).forEach((y, k) => {
          const kind = e.kinds[k];
          if (kind === "plain") total = np.add(total, np.sum(np.multiply(y, ws[k])));
          if (kind === "col" || kind === "row") {
            total = np.add(total, np.sum(np.multiply(np.square(y), ws[k])));
          }
        });
        return total;
      };
      const argnums = xs.map((_, i) => i);
      const gs = list(grad(loss, { argnums })(...xs) as Array | Array[]);
      gs.forEach((g, i) =>
        assertAllClose(g, dec(e.grads![i]), { rtol: 1e-8, atol: 1e-9, msg: `gradient ${i}` })
      );
    });
  }
});

// ---------------------------------------------------------------------------

let seed = 7;
function rand(shape: number[]): Array {
  const n = shape.reduce((a, b) => a * b, 1);
  const v = globalThis.Array.from({ length: n }, () => {
    seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
    return seed / 4294967296 * 2 - 1;
  });
  return np.array(v).reshape(shape);
}
const mT = (x: Array) => np.swapaxes(x, -1, -2);
const eyeLike = (n: number) => np.eye(n);

describe("identities", () => {
  it("Q R = A with orthonormal Q, for tall, wide, square and batched inputs", () => {
    for (const shape of [[6, 4], [4, 6], [5, 5], [3, 4, 2], [2, 3, 5]]) {
      const a = rand(shape);
      for (const mode of ["reduced", "complete"] as const) {
        const [q, r] = la.qr(a, mode);
        assertAllClose(np.matmul(q, r), a, { atol: 1e-13 });
        const k = q.shape[q.ndim - 1];
        assertAllClose(
          np.matmul(mT(q), q),
          np.broadcastTo(eyeLike(k), [...q.shape.slice(0, -2), k, k]),
          {
            atol: 1e-13,
          },
        );
        assertAllClose(np.tril(r, -1), np.zerosLike(r));
      }
    }
  });
  it("L Lᵀ = A for symmetric positive-definite A; NaN otherwise", () => {
    const x = rand([3, 5, 5]);
    const a = np.add(np.matmul(x, mT(x)), np.multiply(0.1, np.eye(5)));
    const l = la.cholesky(a);
    assertAllClose(np.matmul(l, mT(l)), a, { atol: 1e-13 });
    assertAllClose(np.triu(l, 1), np.zerosLike(l));
    assert.ok(np.all(np.isnan(la.cholesky([[1, 2], [2, 1]]))).item());
  });
  it("U S Vᵀ = A with orthonormal factors, reduced and full, tall and wide", () => {
    for (const shape of [[7, 3], [3, 7], [4, 4], [2, 5, 3]]) {
      const a = rand(shape);
      const [u, s, vh] = la.svd(a, { fullMatrices: false });
      assertAllClose(np.matmul(np.multiply(u, np.expandDims(s, -2)), vh), a, { atol: 1e-13 });
      const [uf, sf, vhf] = la.svd(a);
      const m = shape[shape.length - 2], n = shape[shape.length - 1];
      assertAllClose(sf, s, { atol: 1e-14 });
      assertAllClose(np.matmul(mT(uf), uf), np.broadcastTo(eyeLike(m), uf.shape), { atol: 1e-13 });
      assertAllClose(np.matmul(vhf, mT(vhf)), np.broadcastTo(eyeLike(n), vhf.shape), {
        atol: 1e-13,
      });
      // Descending and non-negative.
      const d = np.diff(s, 1, -1);
      assert.ok(np.all(np.lessEqual(d, 0)).item());
    }
  });
  it("SVD of a rank-deficient matrix completes U with an orthonormal basis", () => {
    const a = np.matmul(rand([5, 2]), rand([2, 4]));
    const [u, s] = la.svd(a);
    assertAllClose(np.matmul(mT(u), u), np.eye(5), { atol: 1e-13 });
    assertAllClose(s.get("2:"), [0, 0], { atol: 1e-14 });
    assert.equal(la.matrixRank(a).item(), 2);
  });
  it("A V = V diag(w) with orthonormal V, ascending w", () => {
    const x = rand([2, 6, 6]);
    const a = np.add(x, mT(x));
    const [w, v] = la.eigh(a);
    assertAllClose(np.matmul(a, v), np.multiply(v, np.expandDims(w, -2)), { atol: 1e-12 });
    assertAllClose(np.matmul(mT(v), v), np.broadcastTo(np.eye(6), [2, 6, 6]), { atol: 1e-13 });
    assert.ok(np.all(np.lessEqual(np.diff(w, 1, -1), 0)).item() === false);
    assert.ok(np.all(np.greaterEqual(np.diff(w, 1, -1), 0)).item());
  });
  it("P A = L U with the permutation and pivots of lax.linalg.lu", () => {
    for (const shape of [[5, 5], [6, 3], [3, 6]]) {
      const a = rand(shape);
      const [f, piv, perm] = ll.lu(a);
      const [m, n] = shape, k = Math.min(m, n);
      const l = np.add(np.tril(f.get(":", `:${k}`), -1), np.eye(m, k));
      const u = np.triu(f.get(`:${k}`));
      assertAllClose(np.matmul(l, u), np.take(a, perm, 0), { atol: 1e-13 });
      assert.equal(piv.shape[0], k);
    }
  });
  it("solve, inv, det and slogdet agree with each other", () => {
    const a = rand([3, 4, 4]);
    const b = rand([3, 4, 2]);
    const x = la.solve(a, b);
    assertAllClose(np.matmul(a, x), b, { atol: 1e-12 });
    assertAllClose(np.matmul(a, la.inv(a)), np.broadcastTo(np.eye(4), [3, 4, 4]), { atol: 1e-12 });
    const [sign, logdet] = la.slogdet(a);
    assertAllClose(np.multiply(sign, np.exp(logdet)), la.det(a), { rtol: 1e-12 });
    const [s0, l0] = la.slogdet(np.zeros([3, 3]));
    assert.deepEqual([s0.item(), l0.item()], [0, -Infinity]);
  });
  it("pinv satisfies the Penrose conditions", () => {
    const a = np.matmul(rand([5, 2]), rand([2, 3]));
    const p = la.pinv(a);
    assertAllClose(np.matmul(np.matmul(a, p), a), a, { atol: 1e-12 });
    assertAllClose(np.matmul(np.matmul(p, a), p), p, { atol: 1e-12 });
  });
});

describe("finite differences and vmap", () => {
  const spd = (x: Array) =>
    np.add(np.matmul(x, mT(x)), np.multiply(3, np.eye(x.shape[x.ndim - 1])));
  const sep = (x: Array) =>
    np.add(np.multiply(0.1, x), np.multiply(np.eye(x.shape[x.ndim - 2], x.shape[x.ndim - 1]), 4));
  const flat = (xs: Array[]) => np.concatenate(xs.map((y) => np.ravel(y)));
  const cases: [string, (x: Array) => Array, number[]][] = [
    ["cholesky batch", (x) => la.cholesky(spd(x)), [2, 3, 3]],
    ["solve", (x) => la.solve(sep(x), np.array([1, 2, 3])), [3, 3]],
    ["det", (x) => la.det(x), [2, 3, 3]],
    ["inv", (x) => la.inv(sep(x)), [2, 2, 2]],
    ["qr tall batch", (x) => flat(la.qr(x)), [2, 4, 3]],
    ["qr wide", (x) => flat(la.qr(x)), [2, 4]],
    ["lu wide batch", (x) => ll.lu(x)[0], [2, 2, 3]],
    [
      "eigh batch",
      (x) => flat(la.eigh(np.add(np.diag(np.array([1, 2, 3])), np.multiply(0.1, x)))),
      [2, 3, 3],
    ],
    [
      "svd batch",
      (x) =>
        flat(
          la.svd(np.add(np.multiply(0.1, x), np.diag(np.array([3, 2, 1]))), {
            fullMatrices: false,
          }),
        ),
      [2, 3, 3],
    ],
    ["svd wide values", (x) => la.svdvals(x), [2, 4]],
    ["pinv", (x) => la.pinv(x), [4, 2]],
    ["norm 2", (x) => la.norm(x, 2), [3, 2]],
    ["cond", (x) => la.cond(sep(x)), [3, 3]],
  ];
  for (const [name, f, shape] of cases) {
    it(name, () => {
      const x = rand(shape);
      checkGrads(f, [x], { order: 2, atol: 1e-6, rtol: 1e-6 });
      checkVmap(f, [np.stack([x, rand(shape), rand(shape)])], { inAxes: [0] });
    });
  }
  it("vmap of a factorization equals a loop over the batch, batch axis anywhere", () => {
    const xs = rand([3, 4, 3]);
    const f = (a: Array) => la.svdvals(a);
    const loop = np.stack([0, 1, 2, 3].map((i) => f(np.take(xs, i, 1))));
    assertAllClose(vmap(f, { inAxes: 1 })(xs), loop, { rtol: 1e-14 });
    const g = (a: Array) => la.qr(a)[1];
    assertAllClose(
      vmap(g, { inAxes: 2 })(xs),
      np.stack([0, 1, 2].map((i) => g(np.take(xs, i, 2)))),
      { rtol: 1e-14, atol: 1e-15 },
    );
  });
  it("jvp of eigh reproduces the eigenvalue perturbation formula", () => {
    const a = np.array([[2, 1, 0], [1, 3, 1], [0, 1, 4]]);
    const t = np.array([[1, 0, 0], [0, 0, 0], [0, 0, 0]]);
    const [, dw] = jvp((x: Array) => la.eigvalsh(x), [a], [t]) as [Array, Array];
    const [, v] = la.eigh(a);
    // dw_i = v_iᵀ T v_i = v_{0i}²
    assertAllClose(dw, np.square(v.get(0)), { rtol: 1e-12 });
  });
});

describe("bad input", () => {
  it("names the function and the shape", () => {
    assert.throws(
      () => la.inv([[1, 2, 3], [4, 5, 6]]),
      /np.linalg.inv needs square matrices: got shape \[2,3\]/,
    );
    assert.throws(() => la.cholesky([1, 2]), /rank >= 2/);
    assert.throws(() => la.solve(np.eye(3), [1, 2]), /Invalid shapes for solve/);
    assert.throws(() => la.qr(np.eye(2), "raw" as "r"), /Invalid mode for qr/);
    assert.throws(() => la.matrixPower(np.eye(2), 1.5), /expected an integer/);
    assert.throws(() => la.multiDot([np.eye(2)]), /at least two arrays/);
    assert.throws(() => la.norm(np.eye(2), "bad" as "fro"), /Invalid norm order/);
    assert.throws(
      () => ll.triangularSolve(np.eye(3), np.ones([2, 2]), { leftSide: true }),
      /cannot solve with shapes/,
    );
    assert.throws(
      () => grad((x: Array) => np.sum(la.svd(x)[0]))(np.ones([3, 2])),
      /fullMatrices is not implemented for non-square/,
    );
  });
});

interface EigEntry {
  a: Enc;
  w_re: Enc;
  w_im: Enc;
  v_re: Enc;
  v_im: Enc;
  loss: number;
  grad: Enc;
}
const eigFx = JSON.parse(
  readFileSync(new URL("./fixtures/linalg/eig.json", import.meta.url), "utf8"),
) as Record<string, EigEntry>;

describe("eig and eigvals against JAX (eigenvalues as sets, eigenvectors up to a phase)", () => {
  const eigLoss = (w: Array) =>
    np.sum(
      np.add(
        np.add(np.square(np.real(w)), np.square(np.imag(w))),
        np.divide(np.power(np.real(w), 3), 3),
      ),
    );
  for (const [name, e] of Object.entries(eigFx)) {
    it(name, () => {
      const a = dec(e.a);
      const [w, v] = la.eig(a);
      const n = a.shape[a.ndim - 1];
      const mats = a.size / (n * n);
      const flatW = (x: Array) => (np.ravel(x).tolist() as number[]);
      const [wr, wi] = [flatW(np.real(w)), flatW(np.imag(w))];
      const [vr, vi] = [flatW(np.real(v)), flatW(np.imag(v))];
      const [jr, ji, jvr, jvi] = [e.w_re.v, e.w_im.v, e.v_re.v, e.v_im.v];
      for (let b = 0; b < mats; b++) {
        const used = new Set<number>();
        for (let j = 0; j < n; j++) {
          let k = -1, best = Infinity;
          for (let i = 0; i < n; i++) {
            const d = Math.hypot(wr[b * n + i] - jr[b * n + j], wi[b * n + i] - ji[b * n + j]);
            if (!used.has(i) && d < best) [best, k] = [d, i];
          }
          used.add(k);
          assert.ok(
            best < 1e-11 * (1 + Math.hypot(jr[b * n + j], ji[b * n + j])),
            `eigenvalue ${j}`,
          );
          // phase = <ours, theirs> / |·|; ours · conj-free phase should equal theirs.
          let pr = 0, pi = 0;
          const o = (r: number) => b * n * n + r * n;
          for (let r = 0; r < n; r++) {
            const [xr, xi] = [vr[o(r) + k], vi[o(r) + k]];
            const [yr, yi] = [jvr[o(r) + j], jvi[o(r) + j]];
            pr += xr * yr + xi * yi; // conj(x) · y
            pi += xr * yi - xi * yr;
          }
          const m = Math.hypot(pr, pi);
          for (let r = 0; r < n; r++) {
            const [xr, xi] = [vr[o(r) + k], vi[o(r) + k]];
            const zr = (xr * pr - xi * pi) / m, zi = (xr * pi + xi * pr) / m;
            assert.ok(
              Math.hypot(zr - jvr[o(r) + j], zi - jvi[o(r) + j]) < 1e-10,
              `eigenvector ${j} entry ${r}`,
            );
          }
        }
      }
      assertAllClose(eigLoss(la.eigvals(a)), e.loss, { rtol: 1e-12 });
      assertAllClose(grad((x: Array) => eigLoss(la.eigvals(x)))(a), dec(e.grad), {
        rtol: 1e-8,
        atol: 1e-9,
      });
    });
  }
  it("eigvals: first-order derivatives against finite differences, and vmap", () => {
    const x = rand([3, 3]);
    const f = (a: Array) => np.stack([np.real(la.eigvals(a)), np.imag(la.eigvals(a))]);
    checkGrads(f, [x], { order: 1, atol: 1e-6, rtol: 1e-6 });
    checkVmap(f, [rand([2, 3, 3])], { inAxes: [0] });
    assert.throws(
      () => jvp((a: Array) => np.real(la.eig(a)[1]), [x], [x]),
      /derivatives of eigenvectors of 'eig' are not implemented/,
    );
    assert.throws(() => la.eig(np.complex(np.eye(2), np.eye(2))), /real matrices only/);
  });
});

describe("small known cases", () => {
  const d = np.array([[3, 0, 0], [0, 1, 0], [0, 0, 2]]);
  it("eigh sorts eigenvalues (or leaves them in diagonal order) and normalises signs", () => {
    const [v, w] = ll.eigh(d);
    assert.deepEqual(w.tolist(), [1, 2, 3]);
    assert.deepEqual(v.tolist(), [[0, 0, 1], [1, 0, 0], [0, 1, 0]]);
    const [v2, w2] = ll.eigh(d, { sortEigenvalues: false });
    assert.deepEqual(w2.tolist(), [3, 1, 2]);
    assert.deepEqual(v2.tolist(), np.eye(3).tolist());
    const x = np.array([[2, 100], [1, 2]]);
    assertAllClose(ll.eigh(x, { symmetrizeInput: false })[1], [1, 3], { rtol: 1e-14 });
    assertAllClose(ll.eigh(x, { symmetrizeInput: false, lower: false })[1], [-98, 102], {
      rtol: 1e-14,
    });
  });
  it("triangularSolve reads only the triangle it is told to", () => {
    const l = np.array([[1, 1000000], [1, 1]]);
    const x = ll.triangularSolve(l, np.array([[1], [1]]), {
      leftSide: true,
      lower: true,
      transposeA: true,
    });
    assert.deepEqual(x.tolist(), [[0], [1]]);
  });
  it("lu, inv, det and multiDot of small matrices", () => {
    const [f, piv, perm] = ll.lu(np.array([[4, 3], [6, 3]]));
    assertAllClose(f, [[6, 3], [2 / 3, 1]], { rtol: 1e-15 });
    assert.deepEqual([piv.tolist(), perm.tolist()], [[1, 1], [1, 0]]);
    assertAllClose(grad((a: Array) => np.sum(la.inv(a)))(np.array([[2, 1], [1, 3]])), [
      [-0.16, -0.08],
      [-0.08, -0.04],
    ], { rtol: 1e-13 });
    const a = rand([15, 15]);
    assertAllClose(grad(la.det)(a), mT(np.multiply(la.inv(a), la.det(a))), { rtol: 1e-9 });
    const y = la.multiDot([[1, 2], [[1, 2, 3], [4, 5, 6]], [[1, 0], [0, 1], [1, 1]], [2, 3]]);
    assert.deepEqual([y.shape, y.item()], [[], 129]);
  });
});
