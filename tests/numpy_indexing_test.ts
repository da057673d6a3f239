// Functional index updates: x.at(...index).set/add/multiply/min/max/get.
import { describe, it } from "node:test";
import assert, { deepEqual, equal, throws } from "node:assert/strict";
import { checkGrads, checkVmap } from "../src/testing.ts";
import { assertAllClose } from "./_assert.ts";
import { type Array, grad, jacrev, np, vmap } from "../mod.ts";

const x = np.arange(6).reshape([2, 3]).astype("float64");

describe("x.at(...)", () => {
  it("set, add, multiply, min, max and get on basic indices", () => {
    deepEqual(x.at(0, 1).set(9).tolist(), [[0, 9, 2], [3, 4, 5]]);
    deepEqual(x.at(":", 0).add(10).tolist(), [[10, 1, 2], [13, 4, 5]]);
    deepEqual(x.at(1).multiply(2).tolist(), [[0, 1, 2], [6, 8, 10]]);
    deepEqual(x.at(0).min(1).tolist(), [[0, 1, 1], [3, 4, 5]]);
    deepEqual(x.at(0).max(1).tolist(), [[1, 1, 2], [3, 4, 5]]);
    deepEqual(x.at("...", -1).get().tolist(), [2, 5]);
    deepEqual(x.at(0, "::-1").set([7, 8, 9]).tolist(), [[9, 8, 7], [3, 4, 5]]);
  });
  it("integer arrays, boolean masks, and repeated indices accumulating in add", () => {
    deepEqual(np.zeros([4]).at([0, 0, 3]).add(1).tolist(), [2, 0, 0, 1]);
    deepEqual(x.at(np.greater(x, 2)).set(0).tolist(), [[0, 1, 2], [0, 0, 0]]);
    deepEqual(np.zeros([2, 2]).at([1, 0], [0, 1]).set([5, 6]).tolist(), [[0, 6], [5, 0]]);
  });
  it("keeps the dtype; the original is unchanged", () => {
    equal(np.arange(3).at(1).add(5).dtype, "int32");
    deepEqual(np.array([true, false]).at(1).set(true).tolist(), [true, true]);
    deepEqual(x.tolist(), [[0, 1, 2], [3, 4, 5]]);
  });
  it("is differentiable in the array and in the values", () => {
    assertAllClose(grad((a: Array) => np.sum(np.square(a.at(0).set(0))))(x), [[0, 0, 0], [
      6,
      8,
      10,
    ]]);
    assertAllClose(jacrev((v: Array) => np.zeros([3]).at([0, 2]).set(v))(np.array([1, 2])), [
      [1, 0],
      [0, 0],
      [0, 1],
    ]);
    checkGrads((a: Array, v: Array) => a.at(1, "1:").set(v), [x, np.array([0.5, -2])], {
      order: 2,
    });
    checkGrads((a: Array, v: Array) => a.at(":", 0).multiply(v), [x, np.array([1.5, -0.5])], {
      order: 2,
    });
    checkGrads((a: Array) => np.zeros([3]).at([0, 0, 2]).add(np.sin(a)), [
      np.array([0.1, 0.2, 0.3]),
    ]);
  });
  it("batches under vmap, including batched indices", () => {
    checkVmap((row: Array) => row.at(1).add(100), [x]);
    deepEqual(
      vmap((i: Array, v: Array) => np.zeros([3]).at(i).set(v))(
        np.array([0, 2], { dtype: "int32" }),
        np.array([5, 6]),
      ).tolist(),
      [[5, 0, 0], [0, 0, 6]],
    );
  });
  it("errors come from the index", () => {
    throws(() => x.at(5).set(0), /out of bounds/);
    throws(() => x.at(0).set([1, 2]), /Cannot broadcast an array of shape \[2\] to shape \[3\]/);
  });
});

describe("np indexing: shapes and hand-checked values", () => {
  it("select: first true condition wins, default elsewhere, broadcasting", () => {
    const x = np.arange(6);
    const out = np.select([np.less(x, 3), np.greater(x, 1)], [x, np.multiply(x, x)], 42);
    assert.deepEqual(out.tolist(), [0, 1, 2, 9, 16, 25]);
    const d = np.select([np.array([false, true])], [np.array([[1], [2]])]);
    assert.deepEqual(d.tolist(), [[0, 1], [0, 2]]);
  });
});
