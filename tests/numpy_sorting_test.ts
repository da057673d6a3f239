// np sorting (sort, argsort, countNonzero): values against NumPy (tests/fixtures/numpy), dtypes,
// descending order and NaN placement as JAX, gradients through the permutation, vmap.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { type Array, grad, np, vmap } from "../mod.ts";
import { checkGrads, checkVmap } from "../src/testing.ts";
import { R234, R45, S, valuesAgainstNumPy } from "./_numpy_fixtures.ts";

describe("np sorting: values against NumPy (fixtures/numpy/chapters.json)", () => {
  valuesAgainstNumPy([
    ["sort S", () => np.sort(S)],
    ["argsort S", () => np.argsort(S)],
    ["sort R45 -1", () => np.sort(R45)],
    ["sort R45 0", () => np.sort(R45, 0)],
    ["sort R45 null", () => np.sort(R45, null)],
    ["argsort R45 0", () => np.argsort(R45, 0)],
    ["argsort R234 1", () => np.argsort(R234, 1)],
    ["argsort R45 -1", () => np.argsort(R45, -1)],
    ["sort R234 -2", () => np.sort(R234, -2)],
    ["countNonzero", () => np.countNonzero(np.round(R45), 1)],
  ]);
});

describe("np sorting: dtypes", () => {
  it("sorts integers and booleans", () => {
    assert.deepEqual(np.sort(np.array([3, -1, 2, -1], { dtype: "int32" })).tolist(), [
      -1,
      -1,
      2,
      3,
    ]);
    assert.deepEqual(np.sort([true, false, true]).tolist(), [false, true, true]);
    assert.deepEqual(np.argsort([true, false, true]).tolist(), [1, 0, 2]);
  });
});

describe("np sorting: shapes and hand-checked values", () => {
  it("sort and argsort descending keep ties in order, NaN first (as JAX)", () => {
    assert.deepEqual(np.sort([3, 1, 2], { descending: true }).tolist(), [3, 2, 1]);
    assert.deepEqual(np.argsort([1, 1, 0], { descending: true }).tolist(), [0, 1, 2]);
    assert.deepEqual(np.argsort([NaN, 1, 1, 0], -1, { descending: true }).tolist(), [0, 1, 2, 3]);
    assert.deepEqual(np.sort([[1, 3], [4, 2]], 0, { descending: true }).tolist(), [[4, 3], [1, 2]]);
  });
});

describe("np sorting: derivatives at special points, as JAX", () => {
  it("sort: the gradient follows the permutation, also with NaN", () => {
    const x = np.array([2, NaN, -1, 5]);
    const g = grad((v: Array) => np.sum(np.multiply(np.sort(v), np.array([1, 2, 3, 4]))))(x);
    assert.deepEqual(g.tolist(), [2, 4, 1, 3]);
    checkGrads((v: Array) => np.sort(v, 0), [np.array([[0.3, -1], [2, 0.5], [-0.7, 1.1]])], {
      order: 2,
    });
  });
});

describe("np sorting: vmap on traced paths", () => {
  it("sort and argsort of tracers put NaN last", () => {
    const x = np.array([[3, NaN, Infinity, 1], [NaN, -Infinity, Infinity, NaN]]);
    checkVmap((v: Array) => np.sort(v), [x]);
    checkVmap((v: Array) => np.argsort(v), [x]);
    checkVmap((v: Array) => np.argsort(v, -1, { descending: true }), [x]);
    checkVmap((v: Array) => np.sort(v), [x], { inAxes: 1 });
    assert.deepEqual(vmap((v: Array) => np.argsort(v))(x).tolist(), [[3, 0, 2, 1], [1, 2, 0, 3]]);
  });
});
