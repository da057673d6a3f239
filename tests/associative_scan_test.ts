// lax.associativeScan against jax.lax.associative_scan (tests/fixtures/associative_scan/, made by
// make_associative_scan_fixtures.py beside it): np.add (cumsum), np.multiply, max and min, 2×2
// matrix products (non-commutative) and a linear recurrence over a tree, at odd and even lengths,
// any axis, reversed; gradients against jax.grad; vmap against a loop; jit; bad input.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { type Array, grad, jit, lax, np, ShapeError, vmap } from "../mod.ts";
import { checkGrads, checkVmap } from "../src/testing.ts";
import { assertAllClose } from "./_assert.ts";

interface Enc {
  shape: number[];
  v: number[];
}
const fx = JSON.parse(
  readFileSync(
    new URL("./fixtures/associative_scan/associative_scan.json", import.meta.url),
    "utf8",
  ),
) as {
  inputs: Record<string, Enc>;
  weights: Record<string, Enc>;
  values: Record<string, Enc>;
  grads: Record<string, { args: Enc[]; value: number; grad: Enc[] }>;
};
const dec = (e: Enc): Array => np.array(e.v).reshape(e.shape);
const I = Object.fromEntries(Object.entries(fx.inputs).map(([k, v]) => [k, dec(v)]));
const W = Object.fromEntries(Object.entries(fx.weights).map(([k, v]) => [k, dec(v)]));
const close = (got: Array, want: Enc, tol = 1e-12) => {
  assert.deepEqual(got.shape, want.shape);
  assertAllClose(got, dec(want), { rtol: tol, atol: tol });
};

const scan = lax.associativeScan;
const matmul = (a: Array, b: Array) => np.matmul(a, b);
const matmulLast = (a: Array, b: Array) => np.einsum("ijn,jkn->ikn", a, b);
type Rec = { a: Array; b: Array };
const recurrence = (e1: Rec, e2: Rec): Rec => ({
  a: np.multiply(e1.a, e2.a),
  b: np.add(np.multiply(e2.a, e1.b), e2.b),
});

const calls: Record<string, () => Array> = {
  "add x1": () => scan(np.add, I.x1),
  "add x2": () => scan(np.add, I.x2),
  "add x5": () => scan(np.add, I.x5),
  "add x8": () => scan(np.add, I.x8),
  "add x13": () => scan(np.add, I.x13),
  "add x13 reverse": () => scan(np.add, I.x13, { reverse: true }),
  "add m46 axis 1": () => scan(np.add, I.m46, { axis: 1 }),
  "add m46 axis -2 reverse": () => scan(np.add, I.m46, { axis: -2, reverse: true }),
  "multiply p7": () => scan(np.multiply, I.p7),
  "multiply p7 reverse": () => scan(np.multiply, I.p7, { reverse: true }),
  "maximum x13": () => scan(np.maximum, I.x13),
  "maximum m46 axis 0": () => scan(np.maximum, I.m46, { axis: 0 }),
  "minimum m46 axis 1 reverse": () => scan(np.minimum, I.m46, { axis: 1, reverse: true }),
  "matmul ms6": () => scan(matmul, I.ms6),
  "matmul ms7": () => scan(matmul, I.ms7),
  "matmul ms7 reverse": () => scan(matmul, I.ms7, { reverse: true }),
  "matmul ms3x5 axis 2": () => scan(matmulLast, I.ms3x5, { axis: 2 }),
  "recurrence a": () => scan(recurrence, { a: I.ra, b: I.rb }).a,
  "recurrence b": () => scan(recurrence, { a: I.ra, b: I.rb }).b,
  "recurrence reverse a": () => scan(recurrence, { a: I.ra, b: I.rb }, { reverse: true }).a,
  "recurrence reverse b": () => scan(recurrence, { a: I.ra, b: I.rb }, { reverse: true }).b,
};

describe("lax.associativeScan against jax.lax.associative_scan", () => {
  it("covers every fixture", () => assert.deepEqual(Object.keys(calls), Object.keys(fx.values)));
  for (const [name, call] of Object.entries(calls)) it(name, () => close(call(), fx.values[name]));

  it("agrees with np.cumsum, np.cumprod and a sequential fold at every length 0..17", () => {
    for (let n = 0; n <= 17; n++) {
      const x = np.sin(np.arange(n).add(1));
      assertAllClose(scan(np.add, x), np.cumsum(x), { atol: 1e-13 });
      assertAllClose(scan(np.multiply, x), np.cumprod(x), { atol: 1e-13 });
      const ms = np.reshape(np.cos(np.arange(4 * n)), [n, 2, 2]);
      let acc: Array | null = null;
      const prefixes: Array[] = [];
      for (let i = 0; i < n; i++) {
        acc = acc === null ? ms.get(i) : np.matmul(acc, ms.get(i));
        prefixes.push(acc);
      }
      const got = scan(matmul, ms);
      assert.deepEqual(got.shape, [n, 2, 2]);
      if (n > 0) assertAllClose(got, np.stack(prefixes), { atol: 1e-12 });
    }
  });

  it("calls fn O(log n) times, not n", () => {
    let calls = 0;
    scan((a: Array, b: Array) => (calls++, np.add(a, b)), np.ones([1024]));
    assert.ok(calls <= 2 * Math.log2(1024), `${calls} calls`);
  });

  it("refuses bad input with errors naming it", () => {
    assert.throws(
      () => scan(np.add, [np.ones([3]), np.ones([4])]),
      (e: unknown) => e instanceof ShapeError && /leaf 1 has shape \[4\]/.test(e.message),
    );
    assert.throws(() => scan(np.add, np.array(1)), /at least one axis/);
    assert.throws(() => scan(np.add, []), /at least one array leaf/);
    assert.throws(() => scan(np.add, np.ones([3]), { axis: 1 }), /out of bounds/);
    assert.throws(() => scan(np.add, np.ones([3]), { reversed: true } as never), /reversed/);
    assert.throws(() => scan((a: Array) => [a], np.ones([3])), /structure of elems/);
    assert.throws(() => scan((a: Array) => np.sum(a), np.ones([3])), /shape of its arguments/);
  });
});

describe("lax.associativeScan under grad, vmap and jit", () => {
  const { w13, w7, w9 } = W;
  const losses: Record<string, (...a: Array[]) => Array> = {
    add: (x) => np.sum(np.multiply(np.sin(scan(np.add, x)), w13)),
    "maximum reverse": (x) => np.sum(np.multiply(scan(np.maximum, x, { reverse: true }), w13)),
    matmul: (ms) => np.sum(np.multiply(scan(matmul, ms), w7)),
    recurrence: (a, b) => {
      const r = scan(recurrence, { a, b });
      return np.add(np.sum(np.multiply(np.square(r.b), w9)), np.sum(r.a));
    },
  };
  it("covers every fixture", () => assert.deepEqual(Object.keys(losses), Object.keys(fx.grads)));
  for (const [name, loss] of Object.entries(losses)) {
    it(`gradient against jax.grad: ${name}`, () => {
      const g = fx.grads[name];
      const args = g.args.map(dec);
      assertAllClose(loss(...args), np.array(g.value), { rtol: 1e-12, atol: 1e-12 });
      const grads = grad(loss, { argnums: args.map((_, i) => i) })(...args) as Array[];
      g.grad.forEach((want, i) => close(grads[i], want, 1e-11));
    });
  }

  it("agrees with finite differences to second order", () => {
    checkGrads((ms: Array) => scan(matmul, ms, { reverse: true }), [I.ms6], { order: 2 });
    checkGrads((a: Array, b: Array) => scan(recurrence, { a, b }).b, [I.ra, I.rb], { order: 2 });
  });

  it("vmap matches a loop, over a leading and a trailing batch axis", () => {
    checkVmap((x: Array) => scan(np.add, x), [I.m46]);
    checkVmap((x: Array) => scan(np.maximum, x, { reverse: true }), [I.m46], { inAxes: 1 });
    const stacked = np.stack([I.ms7, np.multiply(I.ms7, -0.5), np.flip(I.ms7, 0)]);
    checkVmap((ms: Array) => scan(matmul, ms), [stacked]);
    checkVmap((a: Array, b: Array) => scan(recurrence, { a, b }).b, [
      np.stack([I.ra, np.flip(I.ra)]),
      np.stack([I.rb, I.rb]),
    ]);
    // the scanned elements batched, fn closing over nothing: per-example cumsums
    const per = vmap((x: Array) => scan(np.add, x, { axis: 0 }), { inAxes: 1 })(I.m46);
    assertAllClose(per, np.transpose(np.cumsum(I.m46, 0)), { atol: 1e-13 });
  });

  it("jit gives the same values", () => {
    close(jit((ms: Array) => scan(matmul, ms))(I.ms7), fx.values["matmul ms7"]);
    close(
      jit((x: Array) => scan(np.add, x, { reverse: true }))(I.x13),
      fx.values["add x13 reverse"],
    );
  });
});
