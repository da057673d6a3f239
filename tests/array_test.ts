// The Array class: properties, conversions, printing, fluent methods, and
// the small-array storage it is built on.
import { describe, it } from "node:test";
import { deepEqual, equal, notEqual, throws } from "node:assert/strict";
import { inspect } from "node:util";
import { np } from "../mod.ts";
import { allocate } from "../src/array/dtype.ts";

describe("Array", () => {
  it("shape, dtype, ndim, size", () => {
    const x = np.zeros([2, 3]);
    deepEqual([x.shape, x.dtype, x.ndim, x.size], [[2, 3], "float64", 2, 6]);
    const s = np.array(5);
    deepEqual([s.shape, s.ndim, s.size], [[], 0, 1]);
  });
  it("item() gives a JS number or boolean, and a clear error otherwise", () => {
    equal(np.array(2.5).item(), 2.5);
    equal(np.array([true]).item(), true);
    equal(np.array([[7]]).item(), 7);
    throws(
      () => np.zeros([2, 3]).item(),
      /Cannot convert an array of shape \[2,3\] to a scalar: item\(\) needs exactly one element, got 6/,
    );
  });
  it("tolist() nests; a 0-d array gives a number", () => {
    deepEqual(np.arange(6).reshape([2, 3]).tolist(), [[0, 1, 2], [3, 4, 5]]);
    equal(np.array(3).tolist(), 3);
    deepEqual(np.array([true, false]).tolist(), [true, false]);
    deepEqual(np.zeros([0, 2]).tolist(), []);
  });
  it("astype converts", () => {
    deepEqual(np.array([1.7, -1.7]).astype("int32").tolist(), [1, -1]);
    equal(np.array([1.7]).astype("float32").dtype, "float32");
    deepEqual(np.array([0, 2]).astype("bool").tolist(), [false, true]);
  });
  it("prints like JAX", () => {
    equal(np.array([1, 2]).toString(), "Array([1, 2], dtype=float64)");
    equal(np.array(10.2).toString(), "Array(10.2, dtype=float64)");
    equal(np.arange(4).reshape([2, 2]).toString(), "Array([[0, 1],\n       [2, 3]], dtype=int32)");
    equal(
      np.array([NaN, Infinity, -Infinity]).toString(),
      "Array([ nan,  inf, -inf], dtype=float64)",
    );
    equal(np.array([0.1], { dtype: "float32" }).toString(), "Array([0.1], dtype=float32)");
    equal(np.array([true, false]).toString(), "Array([ true, false], dtype=bool)");
    equal(String(np.arange(2000)).includes("..."), true);
  });
  it("console inspection shows the same text", () => {
    equal(inspect(np.array([1, 2])), "Array([1, 2], dtype=float64)");
  });
  it("fluent methods", () => {
    const x = np.array([[1, 2], [3, 4]]);
    deepEqual(x.add(1).sub(2).mul(3).div(3).tolist(), [[0, 1], [2, 3]]);
    deepEqual(x.pow(2).neg().tolist(), [[-1, -4], [-9, -16]]);
    deepEqual([x.sum().item(), x.mean().item(), x.max().item(), x.min().item()], [10, 2.5, 4, 1]);
    deepEqual(x.sum(0).tolist(), [4, 6]);
    deepEqual(x.T.tolist(), [[1, 3], [2, 4]]);
    deepEqual(x.transpose([1, 0]).reshape([4]).tolist(), [1, 3, 2, 4]);
    deepEqual(x.transpose(1, 0).reshape(1, 4).tolist(), [[1, 3, 2, 4]]);
    deepEqual(x.reshape(4).shape, [4]);
    deepEqual(x.matmul(x).tolist(), [[7, 10], [15, 22]]);
  });
  it("is immutable from the user's point of view", () => {
    const x = np.array([1, 2, 3]);
    const y = x.reshape([3, 1]);
    np.add(y, 1);
    deepEqual(x.tolist(), [1, 2, 3]);
  });
});

describe("small-array storage", () => {
  it("allocations never overlap, across slab boundaries too", () => {
    const arrays = [];
    for (let i = 0; i < 3000; i++) {
      const a = allocate(i % 2 ? "float64" : "int32", 1 + (i % 17));
      a.fill(i % 250);
      arrays.push(a);
    }
    arrays.forEach((a, i) => equal(a.every((v) => v === i % 250), true));
  });
  it("storage starts zeroed", () => {
    for (let i = 0; i < 600; i++) equal(allocate("float64", 3).every((v) => v === 0), true);
  });
  it("large arrays get their own buffer", () => {
    notEqual(allocate("float64", 1000).length, 0);
  });
});
