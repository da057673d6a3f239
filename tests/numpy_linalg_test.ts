// np.linalg: norm of every ord and axes against NumPy (tests/fixtures/numpy), and its
// derivatives at 0 as JAX. (Smooth-case derivatives and vmap are in rules_test.ts.)
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { assertAllClose } from "./_assert.ts";
import { type Array, grad, np } from "../mod.ts";
import { R234, R45, V, valuesAgainstNumPy } from "./_numpy_fixtures.ts";

describe("np linalg: values against NumPy (fixtures/numpy/chapters.json)", () => {
  valuesAgainstNumPy([
    ["norm", () => np.linalg.norm(R45)],
    ["norm 3d", () => np.linalg.norm(R234)],
    ["norm vec 1", () => np.linalg.norm(V.get(":11"), 1)],
    ["norm vec inf", () => np.linalg.norm(V.get(":11"), Infinity)],
    ["norm vec -inf", () => np.linalg.norm(V.get(":11"), -Infinity)],
    ["norm vec 0", () => np.linalg.norm(V.get(":11"), 0)],
    ["norm vec 3", () => np.linalg.norm(V.get(":11"), 3)],
    ["norm vec 0.5", () => np.linalg.norm(V.get(":11"), 0.5)],
    ["norm vec -1", () => np.linalg.norm(V.get(":11"), -1)],
    ["norm axis 1", () => np.linalg.norm(R45, null, 1)],
    ["norm axis 0 ord 3 keepdims", () => np.linalg.norm(R45, 3, 0, { keepdims: true })],
    ["norm mat 1", () => np.linalg.norm(R45, 1)],
    ["norm mat -1", () => np.linalg.norm(R45, -1)],
    ["norm mat inf", () => np.linalg.norm(R45, Infinity)],
    ["norm mat -inf", () => np.linalg.norm(R45, -Infinity)],
    ["norm mat fro axes", () => np.linalg.norm(R234, "fro", [2, 0])],
    ["norm mat 1 axes", () => np.linalg.norm(R234, 1, [2, 0])],
    [
      "norm mat inf axes keepdims",
      () => np.linalg.norm(R234, Infinity, [0, 1], { keepdims: true }),
    ],
  ]);
});

describe("np linalg: derivatives at special points, as JAX", () => {
  it("norm: NaN at 0 for the 2-norm, 1 for the 1-norm, as JAX", () => {
    assert.deepEqual(grad((v: Array) => np.linalg.norm(v))(np.zeros([2])).tolist(), [NaN, NaN]);
    assert.deepEqual(grad((v: Array) => np.linalg.norm(v, 1))(np.zeros([2])).tolist(), [1, 1]);
    assert.deepEqual(
      grad((v: Array) => np.linalg.norm(v, Infinity))(np.array([1, -3, 3])).tolist(),
      [
        0,
        -0.5,
        0.5,
      ],
    );
    assertAllClose(grad((v: Array) => np.linalg.norm(v))(np.array([3, -4])), [0.6, -0.8]);
  });
});
