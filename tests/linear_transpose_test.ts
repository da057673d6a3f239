// linearTranspose against jax.linear_transpose (tests/fixtures/linear_transpose/, made by
// make_linear_transpose_fixtures.py beside it): transposes of linear maps over trees, slicing,
// cumsum, FFTs (real and complex), convolution and gathers; the adjoint identity; transposing
// twice; grad, vmap and jit of the transpose; errors for maps that are not linear.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import {
  type Array,
  grad,
  jit,
  lax,
  linearTranspose,
  np,
  ShapeDtype,
  ShapeError,
  tree,
  vmap,
} from "../mod.ts";
import { assertAllClose } from "./_assert.ts";

interface Enc {
  shape: number[];
  v?: number[];
  re?: number[];
  im?: number[];
}
const fx = JSON.parse(
  readFileSync(
    new URL("./fixtures/linear_transpose/linear_transpose.json", import.meta.url),
    "utf8",
  ),
) as {
  A: Enc;
  K: Enc;
  cases: Record<string, { primals: unknown; ct: unknown; value: unknown; out: unknown }>;
};

const isEnc = (x: unknown): x is Enc =>
  typeof x === "object" && x !== null && "shape" in x && ("v" in x || "re" in x);
function dec(e: Enc): Array {
  if (e.v !== undefined) return np.array(e.v).reshape(e.shape);
  return np.complex(np.array(e.re!), np.array(e.im!)).reshape(e.shape);
}
// deno-lint-ignore no-explicit-any
function decTree(t: unknown): any {
  if (isEnc(t)) return dec(t);
  if (globalThis.Array.isArray(t)) return t.map(decTree);
  return Object.fromEntries(Object.entries(t as object).map(([k, v]) => [k, decTree(v)]));
}
function closeTree(got: unknown, want: unknown, tol = 1e-12): void {
  const [g, gd] = tree.flatten<Array>(got);
  const [w, wd] = tree.flatten<Array>(want);
  assert.ok(gd.equals(wd), `structure ${gd} vs ${wd}`);
  g.forEach((x, i) => {
    assert.deepEqual(x.shape, w[i].shape);
    assert.equal(x.dtype, w[i].dtype);
    if (np.iscomplexobj(x)) {
      assertAllClose(np.real(x), np.real(w[i]), { atol: tol, rtol: tol });
      assertAllClose(np.imag(x), np.imag(w[i]), { atol: tol, rtol: tol });
    } else assertAllClose(x, w[i], { atol: tol, rtol: tol });
  });
}

const A = dec(fx.A), K = dec(fx.K);
// deno-lint-ignore no-explicit-any
const fns: Record<string, (...a: any[]) => unknown> = {
  matvec: (x: Array) => np.matmul(A, x),
  tree: (p: { a: Array; b: Array }, c: Array) => [
    np.add(np.multiply(np.sum(p.a, 0), 2), c),
    np.concatenate([np.flip(p.b), np.divide(np.ravel(np.transpose(p.a)), 4)]),
  ],
  shifts: (x: Array) =>
    np.add(
      np.add(
        np.subtract(np.cumsum(x), np.multiply(3, np.roll(x, 1))),
        np.pad(x.get("1:"), [[0, 1]]),
      ),
      np.repeat(x.get("::2"), 2),
    ),
  "real fft": (x: Array) => np.add(np.real(np.fft.fft(x)), np.sum(np.imag(np.fft.rfft(x, 6)))),
  "complex fft": (z: Array) => np.multiply(np.fft.fft(z), np.complex(1, 2)),
  affine: (x: Array) => np.add(np.multiply(3, x), 1),
  conv: (x: Array) => lax.convGeneralDilated(x, K, [1], "SAME"),
  gather: (x: Array) =>
    np.multiply(np.take(x, np.array([2, 0, 2, 1], "int32")), np.array([1, -2, 0.5, 3])),
};

describe("linearTranspose against jax.linear_transpose", () => {
  it("covers every fixture", () => assert.deepEqual(Object.keys(fns), Object.keys(fx.cases)));
  for (const [name, f] of Object.entries(fns)) {
    it(name, () => {
      const c = fx.cases[name];
      const primals = decTree(c.primals) as unknown[];
      closeTree(f(...primals), decTree(c.out));
      const fT = linearTranspose(f, ...primals);
      closeTree(fT(decTree(c.ct)), decTree(c.value));
      // only shapes and dtypes of the primals matter
      const abstract = tree.map((p: Array) => new ShapeDtype([...p.shape], p.dtype), primals);
      closeTree(linearTranspose(f, ...abstract)(decTree(c.ct)), decTree(c.value));
    });
  }
});

describe("linearTranspose: algebra and transformations", () => {
  const x = np.array([0.3, -1.2, 2.5]);
  const B = np.array([[1, 2, 0], [0, -1, 3], [2, 2, 2], [1, 0, -1]]);
  const f = (v: Array) => np.add(np.matmul(B, v), np.multiply(2, np.sum(np.cumsum(v))));
  const ct = np.array([1, -2, 0.5, 4]);

  it("satisfies <fT(c), x> = <c, f(x)>", () => {
    const [g] = linearTranspose(f, x)(ct);
    assertAllClose(np.vdot(g, x), np.vdot(ct, f(x)), { rtol: 1e-14 });
  });

  it("transposes twice back to f, and the transpose of the transpose is linear", () => {
    const fT = linearTranspose(f, x);
    const fTT = linearTranspose((c: Array) => fT(c)[0], ct);
    assertAllClose(fTT(x)[0], f(x), { rtol: 1e-14 });
  });

  it("is differentiable, batchable and jittable", () => {
    const fT = linearTranspose(f, x);
    const cts = np.array([[1, 0, 0, 0], [0, 1, 0, 0], [3, -1, 2, 0.5]]);
    const batched = vmap((c: Array) => fT(c)[0])(cts);
    for (let i = 0; i < 3; i++) assertAllClose(batched.get(i), fT(cts.get(i))[0]);
    // the Jacobian of fT is Bᵀ-like: gradient of a quadratic through it
    const loss = (c: Array) => np.sum(np.square(fT(c)[0]));
    const g = grad(loss)(ct);
    const [h] = linearTranspose(f, x)(ct);
    assertAllClose(g, np.multiply(2, f(h)), { rtol: 1e-13 });
    assertAllClose(jit((c: Array) => fT(c)[0])(ct), fT(ct)[0], { rtol: 1e-14 });
    // linearTranspose inside vmap: a batched matrix closed over
    const Bs = np.stack([B, np.multiply(B, -2)]);
    const per = vmap((M: Array) => linearTranspose((v: Array) => np.matmul(M, v), x)(ct)[0])(Bs);
    assertAllClose(per, np.stack([np.matmul(ct, B), np.matmul(ct, np.multiply(B, -2))]));
  });

  it("transposes through jit, lax.scan, lax.foriLoop and lax.cond", () => {
    const scale = linearTranspose(jit((v: Array) => np.multiply(v, 2)), x);
    assert.deepEqual(scale(np.ones([3]))[0].tolist(), [2, 2, 2]);
    const cumsum = (v: Array) =>
      lax.scan(
        (c: Array, e: Array) => {
          const s = np.add(c, e);
          return [s, s];
        },
        np.array(0),
        v,
      )[1];
    assert.deepEqual(linearTranspose(cumsum, x)(np.array([1, 10, 100]))[0].tolist(), [
      111,
      110,
      100,
    ]);
    const loop = (v: Array) => lax.foriLoop(0, 3, (_i: unknown, c: Array) => np.multiply(c, 2), v);
    assert.deepEqual(linearTranspose(loop, x)(np.ones([3]))[0].tolist(), [8, 8, 8]);
    const branch = (v: Array) =>
      lax.cond(true, (u: Array) => np.multiply(u, 3), (u: Array) => u, v);
    assert.deepEqual(linearTranspose(branch, x)(np.ones([3]))[0].tolist(), [3, 3, 3]);
  });

  it("gives zero cotangents to unused inputs and drops constant outputs", () => {
    const fT = linearTranspose((a: Array, _b: Array) => [np.multiply(a, 2), np.ones([2])], x, x);
    const [da, db] = fT([np.array([1, 1, 1]), np.array([5, 5])]);
    assert.deepEqual([da.tolist(), db.tolist()], [[2, 2, 2], [0, 0, 0]]);
  });

  it("refuses functions that are not linear, and bad cotangents", () => {
    const bad: [(v: Array) => Array, RegExp][] = [
      [np.sin, /applies 'sin', which is not a linear primitive/],
      [(v) => np.multiply(v, v), /applies 'mul' to two values that depend on them/],
      [(v) => np.divide(1, v), /'div' is linear only in its operand 0, and operand 1/],
      [(v) => np.matmul(v, v), /'dot_general' to two values/],
      [(v) => np.where(np.greater(v, 0), v, 0), /not a linear primitive|not linear/],
    ];
    for (const [g, re] of bad) {
      assert.throws(() => linearTranspose(g, x), (e: unknown) => {
        assert.ok(e instanceof TypeError && re.test(e.message), String(e));
        assert.match((e as Error).message, /^linearTranspose: the function is not linear/);
        return true;
      });
    }
    // a jit-compiled part is transposed by its own rules when the transpose runs
    const staged = linearTranspose(jit((v: Array) => np.sin(v)), x);
    assert.throws(
      () => staged(x),
      /^TypeError: linearTranspose: the function is not linear.*'sin'/,
    );
    const square = linearTranspose(jit((v: Array) => np.multiply(v, v)), x);
    assert.throws(() => square(x), /not linear in its inputs: .*'mul' is not linear/);
    const fT = linearTranspose(f, x);
    assert.throws(() => fT(np.ones([3])), ShapeError);
    assert.throws(() => fT([ct]), /structure of the output/);
    assert.throws(
      () => linearTranspose(np.negative, np.array([1, 2], "int32")),
      /float or complex/,
    );
    assert.throws(() => linearTranspose(3 as never, x), /f must be a function/);
  });
});
