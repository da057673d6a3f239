// The complex dtypes in the array core: interleaved storage, JAX's promotion
// lattice (table from jnp.promote_types with x64), item/tolist as { re, im }
// objects, JAX-style printing, and users' dtype arguments refusing complex
// until the primitives that handle it exist.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { NdArray } from "../src/array/array.ts";
import {
  allocate,
  checkDType,
  complexDTypeOf,
  type DType,
  isComplex,
  isInexact,
  promoteTypes,
  realPartDType,
  slotsPerElement,
} from "../src/array/dtype.ts";
import { np } from "../mod.ts";

describe("complex dtypes", () => {
  it("store re, im interleaved in a float typed array of twice the size", () => {
    const a = allocate("complex128", 3);
    assert.ok(a instanceof Float64Array && a.length === 6);
    const b = allocate("complex64", 100); // past the small-array slab
    assert.ok(b instanceof Float32Array && b.length === 200);
    assert.deepEqual([slotsPerElement("complex64"), slotsPerElement("float64")], [2, 1]);
    assert.deepEqual([realPartDType("complex64"), realPartDType("complex128")], [
      "float32",
      "float64",
    ]);
    assert.deepEqual(
      (["bool", "int32", "float32", "float64", "complex64"] as DType[]).map(complexDTypeOf),
      ["complex128", "complex128", "complex64", "complex128", "complex64"],
    );
    assert.deepEqual([isComplex("complex64"), isComplex("float64")], [true, false]);
    assert.deepEqual([isInexact("complex128"), isInexact("float32"), isInexact("int32")], [
      true,
      true,
      false,
    ]);
  });

  it("promote on JAX's lattice (jnp.promote_types, x64)", () => {
    const ds: DType[] = ["bool", "int32", "float32", "float64", "complex64", "complex128"];
    const jax: Record<string, DType[]> = {
      bool: ["bool", "int32", "float32", "float64", "complex64", "complex128"],
      int32: ["int32", "int32", "float32", "float64", "complex64", "complex128"],
      float32: ["float32", "float32", "float32", "float64", "complex64", "complex128"],
      float64: ["float64", "float64", "float64", "float64", "complex128", "complex128"],
      complex64: ["complex64", "complex64", "complex64", "complex128", "complex64", "complex128"],
      complex128: ds.map(() => "complex128"),
    };
    for (const a of ds) {
      for (const [j, b] of ds.entries()) assert.equal(promoteTypes([a, b]), jax[a][j], `${a}+${b}`);
    }
  });

  it("weak JS numbers never widen a complex dtype", () => {
    for (const weak of ["bool", "int32", "float64"] as DType[]) {
      assert.equal(promoteTypes(["complex64"], [weak]), "complex64");
      assert.equal(promoteTypes(["complex128"], [weak]), "complex128");
    }
  });

  it("item and tolist give { re, im } objects", () => {
    const x = new NdArray(new Float64Array([1, 2, 3, -4, 0, 0.5]), [3], "complex128");
    assert.deepEqual(x.tolist(), [{ re: 1, im: 2 }, { re: 3, im: -4 }, { re: 0, im: 0.5 }]);
    const m = new NdArray(new Float32Array([1, 2, 3, -4]), [2, 1], "complex64");
    assert.deepEqual(m.tolist(), [[{ re: 1, im: 2 }], [{ re: 3, im: -4 }]]);
    const s = new NdArray(new Float64Array([-1, 0.25]), [], "complex128");
    assert.deepEqual(s.item(), { re: -1, im: 0.25 });
    assert.deepEqual(s.tolist(), { re: -1, im: 0.25 });
  });

  it("print as JAX does, in nabla's number style", () => {
    const x = new NdArray(new Float32Array([1, 2, -0.5, -0, 3.25, 1e-7]), [3], "complex64");
    assert.equal(String(x), "Array([      1+2j,    -0.5-0j, 3.25+1e-7j], dtype=complex64)");
    const m = new NdArray(
      new Float64Array([1, 2, 3, -4, 0, 0, NaN, Infinity]),
      [2, 2],
      "complex128",
    );
    assert.equal(
      String(m),
      "Array([[    1+2j,     3-4j],\n       [    0+0j, nan+infj]], dtype=complex128)",
    );
    assert.equal(
      String(new NdArray(new Float64Array([0.1, -0.2]), [], "complex128")),
      "Array(0.1-0.2j, dtype=complex128)",
    );
  });

  it("users cannot ask for a complex dtype yet: a clear error, not wrong numbers", () => {
    assert.throws(
      () => checkDType("complex64"),
      /Unknown dtype "complex64": complex arrays cannot be created yet/,
    );
    assert.throws(
      () => np.zeros([2], { dtype: "complex128" as DType }),
      /Unknown dtype "complex128": complex arrays cannot be created yet/,
    );
    assert.throws(
      () => np.array([1, 2]).astype("complex64"),
      /Unknown dtype "complex64": complex arrays cannot be created yet/,
    );
  });
});
