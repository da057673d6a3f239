// The jax.Array methods of issue 11 (item 9): each method is its np twin (same values, same
// dtype) on concrete arrays and on tracers (grad, vmap); properties nbytes/itemsize/real/imag;
// iteration over the first axis.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { type Array, grad, np, vmap } from "../mod.ts";
import { assertAllClose } from "./_assert.ts";

const x = np.array([[1.5, -2, 3], [0.25, 4, -1]]);
const b = np.array([[true, false, true], [true, true, true]]);
const sq = np.array([[2, 1, 0], [1, 3, 1], [0, 1, 4]]);

const same = (got: Array, want: Array, name: string) => {
  assert.deepEqual(got.shape, want.shape, `${name}: shape`);
  assert.equal(got.dtype, want.dtype, `${name}: dtype`);
  assertAllClose(got, want, { msg: name });
};

const pairs: [string, (a: Array) => Array, (a: Array) => Array][] = [
  ["prod", (a) => a.prod(1), (a) => np.prod(a, 1)],
  [
    "prod keepdims",
    (a) => a.prod(null, { keepdims: true }),
    (a) => np.prod(a, null, { keepdims: true }),
  ],
  ["std", (a) => a.std(0, { ddof: 1 }), (a) => np.std(a, 0, { ddof: 1 })],
  ["var", (a) => a.var(), (a) => np.var(a)],
  ["argmax", (a) => a.argmax(1), (a) => np.argmax(a, 1)],
  ["argmin", (a) => a.argmin(), (a) => np.argmin(a)],
  ["cumsum", (a) => a.cumsum(1), (a) => np.cumsum(a, 1)],
  ["cumprod", (a) => a.cumprod(), (a) => np.cumprod(a)],
  ["flatten", (a) => a.flatten(), (a) => np.ravel(a)],
  ["ravel", (a) => a.ravel(), (a) => np.ravel(a)],
  ["squeeze", (a) => a.reshape([1, 6]).squeeze(), (a) => np.squeeze(a.reshape([1, 6]))],
  ["clip", (a) => a.clip(-1, 2), (a) => np.clip(a, -1, 2)],
  ["round", (a) => a.round(1), (a) => np.round(a, 1)],
  ["dot", (a) => a.dot(a.T), (a) => np.dot(a, np.transpose(a))],
  ["sort", (a) => a.sort(1), (a) => np.sort(a, 1)],
  [
    "sort descending",
    (a) => a.sort(0, { descending: true }),
    (a) => np.sort(a, 0, { descending: true }),
  ],
  ["argsort", (a) => a.argsort(), (a) => np.argsort(a)],
  ["diagonal", (a) => a.diagonal(1), (a) => np.diagonal(a, 1)],
  ["trace", (a) => a.trace(), (a) => np.trace(a)],
  ["swapaxes", (a) => a.swapaxes(0, 1), (a) => np.swapaxes(a, 0, 1)],
  ["repeat", (a) => a.repeat(2, 1), (a) => np.repeat(a, 2, 1)],
  ["take", (a) => a.take([2, 0], 1), (a) => np.take(a, [2, 0], 1)],
  ["conj", (a) => a.conj(), (a) => np.conj(a)],
  ["real", (a) => a.real, (a) => np.real(a)],
  ["imag", (a) => a.imag, (a) => np.imag(a)],
  ["equal", (a) => a.equal(4), (a) => np.equal(a, 4)],
  ["notEqual", (a) => a.notEqual(4), (a) => np.notEqual(a, 4)],
  ["less", (a) => a.less(0.5), (a) => np.less(a, 0.5)],
  ["lessEqual", (a) => a.lessEqual(3), (a) => np.lessEqual(a, 3)],
  ["greater", (a) => a.greater(0.5), (a) => np.greater(a, 0.5)],
  ["greaterEqual", (a) => a.greaterEqual(3), (a) => np.greaterEqual(a, 3)],
  ["ptp", (a) => a.ptp(1), (a) => np.ptp(a, 1)],
  [
    "nonzero",
    (a) => a.greater(1).nonzero({ size: 4 })[1],
    (a) => np.nonzero(np.greater(a, 1), { size: 4 })[1],
  ],
  [
    "searchsorted",
    (a) => np.sort(a.ravel()).searchsorted(a),
    (a) => np.searchsorted(np.sort(np.ravel(a)), a),
  ],
  ["copy", (a) => a.copy(), (a) => a],
  ["mT", (a) => a.mT, (a) => np.swapaxes(a, -1, -2)],
];

describe("Array methods: each is its np twin", () => {
  for (const [name, m, f] of pairs) {
    it(name, () => same(m(x), f(x), name));
  }
  it("all / any", () => {
    same(b.all(1), np.all(b, 1), "all");
    same(b.any(), np.any(b), "any");
    same(b.all(null, { keepdims: true }), np.all(b, null, { keepdims: true }), "all keepdims");
  });
  it("trace and diagonal of a square matrix", () => {
    assert.equal(sq.trace().item(), 9);
    assert.deepEqual(sq.diagonal(-1).tolist(), [1, 1]);
  });
  it("complex real/imag/conj", () => {
    const z = np.complex(np.array([1, 2]), np.array([3, -4]));
    assert.deepEqual(z.real.tolist(), [1, 2]);
    assert.deepEqual(z.imag.tolist(), [3, -4]);
    assert.deepEqual(z.conj().imag.tolist(), [-3, 4]);
    assert.deepEqual(z.conjugate().tolist(), np.conj(z).tolist());
  });
});

describe("Array properties", () => {
  it("size, ndim, itemsize, nbytes", () => {
    assert.deepEqual([x.size, x.ndim, x.itemsize, x.nbytes], [6, 2, 8, 48]);
    assert.deepEqual([b.itemsize, b.nbytes], [1, 6]);
    const i = np.array([1, 2, 3], "int32");
    assert.deepEqual([i.itemsize, i.nbytes], [4, 12]);
    assert.equal(np.array([1, 2], "float32").nbytes, 8);
    assert.equal(np.complex(np.array([1, 2]), np.array([0, 0])).nbytes, 32);
    assert.deepEqual(
      ["float16", "bfloat16", "uint8", "int16", "uint32"].map((d) =>
        np.zeros([3], d as never).nbytes
      ),
      [6, 6, 3, 6, 12],
    );
  });
});

describe("Array iteration over the first axis", () => {
  it("for..of yields rows", () => {
    const rows: unknown[] = [];
    for (const r of x) rows.push(r.tolist());
    assert.deepEqual(rows, x.tolist());
    assert.deepEqual([...np.arange(3)].map((v) => v.item()), [0, 1, 2]);
  });
  it("0-d arrays cannot be iterated", () => {
    assert.throws(() => [...np.array(1)], /0-d/);
  });
  it("iteration works on tracers (grad and vmap)", () => {
    const g = grad((a: Array) => {
      let s = np.array(0);
      for (const row of a) s = np.add(s, np.multiply(row.prod(), row.sum()));
      return s;
    })(x);
    // d/dx_ij [prod_i * sum_i] = prod_i / x_ij * sum_i + prod_i
    const want = x.tolist() as number[][];
    const expect = want.map((row) => {
      const p = row.reduce((a, v) => a * v, 1), s = row.reduce((a, v) => a + v, 0);
      return row.map((v) => (p / v) * s + p);
    });
    assertAllClose(g, expect);
    const v = vmap((row: Array) => [...row].reduce((a, e) => np.maximum(a, e)))(x);
    assert.deepEqual(v.tolist(), [3, 4]);
  });
  it("methods work on tracers", () => {
    const g = grad((a: Array) => a.std().add(a.var(0).sum()).add(a.cumsum(1).prod()))(x);
    const h = 1e-6;
    const f = (a: Array) =>
      np.add(np.add(np.std(a), np.sum(np.var(a, 0))), np.prod(np.cumsum(a, 1)));
    const e = np.zeros([2, 3]).at(0, 1).set(h);
    const fd = (f(np.add(x, e)).item() as number) - (f(np.subtract(x, e)).item() as number);
    assertAllClose((g.tolist() as number[][])[0][1], fd / (2 * h), { rtol: 1e-6 });
    const vm = vmap((r: Array) => r.sort().take([0]).add(r.argmax().astype("float64")))(x);
    assert.deepEqual(vm.tolist(), [[0], [0]]);
  });
});
