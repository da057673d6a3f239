// Functional index updates: x.at(...index).set/add/multiply/min/max/get.
import { describe, it } from "node:test";
import assert, { deepEqual, equal, throws } from "node:assert/strict";
import { checkGrads, checkVmap } from "../src/testing.ts";
import { assertAllClose } from "./_assert.ts";
import { readFixture } from "./_numpy_fixtures.ts";
import { type Array, grad, jacrev, type NestedList, np, vmap } from "../mod.ts";

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

describe("out-of-bounds indices follow JAX's modes, eagerly and under every transformation", () => {
  const jaxValues = (readFixture("indexing/oob.json") as { values: Record<string, NestedList> })
    .values;
  const x = np.array([10, 20, 30]);
  const m = np.arange(6).reshape([2, 3]).astype("float64");
  const int = (v: number[] | number[][]) => np.array(v, { dtype: "int32" });
  const xi = int([10, 20, 30]);
  const xb = np.array([true, false, true]);
  const w = np.array([1, 2, 3]);
  const i05 = int([0, 5]), iNeg = int([0, -1, -5]), iSet = int([0, 5, -4]);
  const mb = np.arange(1, 7).reshape([2, 3]).astype("float64");
  const kb = int([[0, 5], [2, -7]]);
  const sum = (v: Array) => np.sum(v);
  const cases: Record<string, () => Array> = {
    "get [0, 5]": () => x.get(i05),
    "get [0, -1, -5]": () => x.get(iNeg),
    "get clip": () => x.at(iSet).get({ mode: "clip" }),
    "get fill": () => x.at(iSet).get({ mode: "fill" }),
    "get fill -1": () => x.at(iSet).get({ mode: "fill", fillValue: -1 }),
    "get drop": () => x.get(iSet, { mode: "drop" }),
    "get promise_in_bounds": () => x.get(iSet, { mode: "promise_in_bounds" }),
    "get int32 fill": () => xi.at(i05).get({ mode: "fill" }),
    "get bool fill": () => xb.at(i05).get({ mode: "fill" }),
    "get pair": () => m.get(int([0, 3]), int([1, 7])),
    "get pair fill": () => m.get(int([0, 3]), int([1, 7]), { mode: "fill" }),
    "get row [3]": () => m.get(int([3])),
    "get column [5] fill": () => m.get(":", int([5, 1]), { mode: "fill" }),
    "get static 5 clip": () => x.at(5).get({ mode: "clip" }),
    "get static 5 fill": () => x.get(5, { mode: "fill" }),
    "take default": () => np.take(x, iSet),
    "take clip": () => np.take(x, iSet, null, { mode: "clip" }),
    "take axis 1": () => np.take(m, int([2, 3]), 1),
    "set": () => x.at(iSet).set(7),
    "set clip": () => x.at(i05).set(7, { mode: "clip" }),
    "add repeated": () => x.at(int([0, 0, 3])).add(1),
    "add clip": () => x.at(int([0, 5, 7]), { mode: "clip" }).add(1),
    "multiply": () => x.at(iSet).multiply(2),
    "min": () => x.at(iSet).min(15),
    "max": () => x.at(iSet).max(15),
    "set pair": () => m.at(int([0, 3]), int([1, 1])).set(-1),
    "vmap get": () => vmap((k: Array) => x.get(k))(i05),
    "vmap get negative": () => vmap((k: Array) => x.get(k))(iNeg),
    "vmap get clip": () => vmap((k: Array) => x.at(k).get({ mode: "clip" }))(iSet),
    "vmap get fill": () => vmap((k: Array) => x.at(k).get({ mode: "fill" }))(iSet),
    "vmap set": () => vmap((k: Array) => x.at(k).set(0))(i05),
    "vmap add": () => vmap((k: Array) => x.at(k).add(1))(int([0, 3, -4])),
    "vmap both get": () => vmap((a: Array, k: Array) => a.get(k))(mb, kb),
    "vmap both set": () => vmap((a: Array, k: Array) => a.at(k).set(-1))(mb, kb),
    "vmap both add": () => vmap((a: Array, k: Array) => a.at(k).add(1))(mb, kb),
    "vmap take": () => vmap((k: Array) => np.take(x, k))(iSet),
    "grad get": () => grad((v: Array) => sum(np.multiply(v.get(i05), w.get(":2"))))(x),
    "grad get clip": () =>
      grad((v: Array) => sum(np.multiply(v.get(i05, { mode: "clip" }), w.get(":2"))))(x),
    "grad get fill": () =>
      grad((v: Array) => sum(np.multiply(v.get(i05, { mode: "fill" }), w.get(":2"))))(x),
    "grad set": () => grad((v: Array) => sum(np.multiply(v.at(i05).set(1), w)))(x),
    "grad set values": () =>
      grad((u: Array) => sum(np.square(x.at(i05).set(u))))(np.array([1.5, 2.5])),
    "grad add values clip": () =>
      grad((u: Array) => sum(np.multiply(x.at(i05).add(u, { mode: "clip" }), w)))(
        np.array([1.5, 2.5]),
      ),
    "grad vmap get": () =>
      grad((v: Array) => sum(np.multiply(vmap((k: Array) => v.get(k))(i05), w.get(":2"))))(x),
    "grad vmap both get": () =>
      grad((a: Array) => sum(np.square(vmap((r: Array, k: Array) => r.get(k))(a, kb))))(mb),
  };
  for (const [name, f] of Object.entries(cases)) {
    it(name, () => {
      const out = f();
      if (out.dtype === "float64") assertAllClose(out, jaxValues[name], { rtol: 0, atol: 0 });
      else deepEqual(out.tolist(), jaxValues[name]);
    });
  }
  it("every JAX case is run", () =>
    deepEqual(Object.keys(cases).sort(), Object.keys(jaxValues).sort()));

  it("an out-of-range JS number index is an error unless a mode is given", () => {
    throws(() => x.get(5), /Index 5 is out of bounds for axis 0 with size 3 \(pass \{ mode/);
    throws(() => x.at(-4).set(1), /Index -4 is out of bounds/);
    deepEqual(x.at(5).set(1, { mode: "drop" }).tolist(), [10, 20, 30]);
    throws(() => x.at(i05).set(1, { fillValue: 0 }), /fillValue applies to reads/);
    throws(() => np.take(np.zeros([0]), 0), /Cannot gather 1 elements from axis 0 of size 0/);
  });
});
