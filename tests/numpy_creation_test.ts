// np creation: array/asarray (dtype inference, nested lists, typed arrays, nested lists holding
// arrays and tracers built differentiably), zeros/ones/full and the *Like variants, arange and
// linspace against NumPy values computed offline, eye, and every error path.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { assertAllClose, assertThrows } from "./_assert.ts";
import { type Array as NdArray, type DType, grad, np, vmap } from "../mod.ts";
import { C, R234, R45, valuesAgainstNumPy } from "./_numpy_fixtures.ts";

const ARANGE: [number[], string | null, string, number[]][] = [
  [[5], null, "int32", [0, 1, 2, 3, 4]],
  [[0], null, "int32", []],
  [[-3], null, "int32", []],
  [[2, 7], null, "int32", [2, 3, 4, 5, 6]],
  [[7, 2], null, "int32", []],
  [[5, 0, -2], null, "int32", [5, 3, 1]],
  [[0, 1, 0.1], null, "float64", [
    0,
    0.1,
    0.2,
    0.30000000000000004,
    0.4,
    0.5,
    0.6000000000000001,
    0.7000000000000001,
    0.8,
    0.9,
  ]],
  [[0.1, 1, 0.1], null, "float64", [
    0.1,
    0.2,
    0.30000000000000004,
    0.4,
    0.5,
    0.6,
    0.7000000000000001,
    0.8,
    0.9,
  ]],
  [[-3.3, 2, 0.7], null, "float64", [
    -3.3,
    -2.5999999999999996,
    -1.8999999999999995,
    -1.1999999999999993,
    -0.4999999999999991,
    0.20000000000000107,
    0.9000000000000012,
    1.6000000000000014,
  ]],
  [[1, 2, 0.25], null, "float64", [1, 1.25, 1.5, 1.75]],
  [[0, 3, 0.3], null, "float64", [
    0,
    0.3,
    0.6,
    0.8999999999999999,
    1.2,
    1.5,
    1.7999999999999998,
    2.1,
    2.4,
    2.6999999999999997,
  ]],
  [[2.5], null, "float64", [0, 1, 2]],
  [[0, 1, 0.1], "float32", "float32", [
    0,
    0.10000000149011612,
    0.20000000298023224,
    0.30000001192092896,
    0.4000000059604645,
    0.5,
    0.6000000238418579,
    0.699999988079071,
    0.800000011920929,
    0.9000000357627869,
  ]],
  [[-3.3, 2, 0.7], "float32", "float32", [
    -3.299999952316284,
    -2.5999999046325684,
    -1.8999998569488525,
    -1.1999998092651367,
    -0.4999997615814209,
    0.20000028610229492,
    0.9000003337860107,
    1.6000006198883057,
  ]],
  [[0.5, 5, 1.5], "int32", "int32", [0, 2, 4]],
  [[0, 5, 1], "float64", "float64", [0, 1, 2, 3, 4]],
  [[10, 0, -3], null, "int32", [10, 7, 4, 1]],
  [[0, -1, 0.3], null, "float64", []],
  [[10000000000, 10000000003], null, "float64", [10000000000, 10000000001, 10000000002]],
];
const LINSPACE: [number, number, number, boolean, number[]][] = [
  [0, 1, 7, true, [
    0,
    0.16666666666666666,
    0.3333333333333333,
    0.5,
    0.6666666666666666,
    0.8333333333333333,
    1,
  ]],
  [0, 1, 4, false, [0, 0.25, 0.5, 0.75]],
  [2, 3, 1, true, [2]],
  [2, 3, 1, false, [2]],
  [2, 3, 0, true, []],
  [-1.3, 4.1, 9, true, [
    -1.3,
    -0.6250000000000001,
    0.04999999999999982,
    0.7249999999999999,
    1.3999999999999997,
    2.0749999999999993,
    2.75,
    3.425,
    4.1,
  ]],
  [1, 1, 3, true, [1, 1, 1]],
  [10, 0, 6, true, [10, 8, 6, 4, 2, 0]],
  [0, 1e-300, 3, true, [0, 5e-301, 1e-300]],
  [0.1, 0.7, 7, false, [
    0.1,
    0.18571428571428572,
    0.27142857142857146,
    0.3571428571428571,
    0.44285714285714284,
    0.5285714285714286,
    0.6142857142857142,
  ]],
  [0, 10, 50, true, [
    0,
    0.20408163265306123,
    0.40816326530612246,
    0.6122448979591837,
    0.8163265306122449,
    1.0204081632653061,
    1.2244897959183674,
    1.4285714285714286,
    1.6326530612244898,
    1.836734693877551,
    2.0408163265306123,
    2.2448979591836737,
    2.4489795918367347,
    2.6530612244897958,
    2.857142857142857,
    3.0612244897959187,
    3.2653061224489797,
    3.4693877551020407,
    3.673469387755102,
    3.8775510204081636,
    4.081632653061225,
    4.285714285714286,
    4.4897959183673475,
    4.6938775510204085,
    4.8979591836734695,
    5.1020408163265305,
    5.3061224489795915,
    5.510204081632653,
    5.714285714285714,
    5.918367346938775,
    6.122448979591837,
    6.326530612244898,
    6.530612244897959,
    6.73469387755102,
    6.938775510204081,
    7.142857142857143,
    7.346938775510204,
    7.551020408163265,
    7.755102040816327,
    7.959183673469388,
    8.16326530612245,
    8.36734693877551,
    8.571428571428571,
    8.775510204081632,
    8.979591836734695,
    9.183673469387756,
    9.387755102040817,
    9.591836734693878,
    9.795918367346939,
    10,
  ]],
];
// np.linspace(0, 10, 4, dtype=int32): [0, 3, 6, 10] [-1, -1, 0, 0, 1]
// float32 [0.0, 0.1666666716337204, 0.3333333432674408, 0.5, 0.6666666865348816, 0.8333333134651184, 1.0]

describe("np.array", () => {
  it("infers dtypes: booleans bool, numbers float64 (JS numbers are float64 data)", () => {
    assert.equal(np.array([true, false]).dtype, "bool");
    assert.equal(np.array([1, 2]).dtype, "float64");
    assert.equal(np.array([1.5]).dtype, "float64");
    assert.equal(np.array(3).dtype, "float64");
    assert.equal(np.array(true).dtype, "bool");
    assert.equal(np.array([]).dtype, "float64");
  });
  it("infers shapes", () => {
    assert.deepEqual(np.array(3).shape, []);
    assert.deepEqual(np.array([]).shape, [0]);
    assert.deepEqual(np.array([[1, 2, 3], [4, 5, 6]]).shape, [2, 3]);
    assert.deepEqual(np.array([[[1]], [[2]]]).shape, [2, 1, 1]);
    assert.deepEqual(np.array([[], []]).shape, [2, 0]);
  });
  it("honours an explicit dtype", () => {
    const x = np.array([1.7, -1.7, 0], { dtype: "int32" });
    assert.equal(x.dtype, "int32");
    assert.deepEqual(x.tolist(), [1, -1, 0]);
    assert.deepEqual(np.array([2, 0, -1], { dtype: "bool" }).tolist(), [true, false, true]);
    assert.deepEqual(np.array([true, false], { dtype: "float32" }).tolist(), [1, 0]);
    assert.deepEqual(np.array([0.1], { dtype: "float32" }).tolist(), [Math.fround(0.1)]);
  });
  it("passes arrays through or converts them", () => {
    const x = np.array([1, 2]);
    assert.equal(np.array(x), x);
    assert.equal(np.array(x, { dtype: "int32" }).dtype, "int32");
    assert.equal(np.asarray, np.asarray);
    assert.deepEqual(np.asarray([[1], [2]]).tolist(), [[1], [2]]);
  });
  it("copies typed arrays with their dtype", () => {
    const src = new Float32Array([1, 2]);
    const x = np.array(src);
    assert.equal(x.dtype, "float32");
    src[0] = 9;
    assert.deepEqual(x.tolist(), [1, 2]);
    assert.equal(np.array(new Int32Array([1])).dtype, "int32");
    assert.equal(np.array(new Uint8Array([1, 0])).dtype, "uint8"); // values, not bool storage
    assert.equal(np.array(new Int8Array([1])).dtype, "int8");
    assert.equal(np.array(new Uint32Array([1])).dtype, "uint32");
    assert.equal(np.array(new Float64Array([1]), { dtype: "int32" }).dtype, "int32");
  });
  it("stacks nested lists that contain arrays", () => {
    const a = np.array([1, 2]);
    const b = np.array([3, 4]);
    const x = np.array([a, b]);
    assert.deepEqual(x.tolist(), [[1, 2], [3, 4]]);
    assert.deepEqual(np.array([[a], [[5, 6]]]).tolist(), [[[1, 2]], [[5, 6]]]);
    assert.deepEqual(np.array([np.array(1), 2, 3]).tolist(), [1, 2, 3]);
  });
  it("promotes the leaves of mixed lists (arrays strong, JS numbers weak)", () => {
    const i = np.array([1], { dtype: "int32" });
    const f = np.array([1], { dtype: "float32" });
    assert.equal(np.array([i, [2]]).dtype, "int32");
    assert.equal(np.array([i, [2.5]]).dtype, "float64");
    assert.equal(np.array([f, [2.5]]).dtype, "float32");
    assert.equal(np.array([f, np.array([2])]).dtype, "float64");
    assert.equal(np.array([np.array(true), false]).dtype, "bool");
    assert.equal(np.array([i, [2]], { dtype: "float32" }).dtype, "float32");
  });
  it("is differentiable and batchable through stacked arrays", () => {
    const f = (x: NdArray) => np.sum(np.array([[x, np.multiply(x, 2)], [3, np.square(x)]]));
    assert.equal(grad(f)(np.array(2)).item(), 7);
    const y = vmap((x: NdArray) => np.array([x, np.multiply(x, 2)]))(np.array([1, 2, 3]));
    assert.deepEqual(y.tolist(), [[1, 2], [2, 4], [3, 6]]);
  });
  it("rejects ragged lists", () => {
    assertThrows(() => np.array([[1, 2], [3]]), TypeError, "Cannot make an array from a ragged");
    assertThrows(() => np.array([1, [2]]), TypeError, "Cannot make an array from a ragged");
    assertThrows(
      () => np.array([np.array([1, 2]), np.array([1, 2, 3])]),
      TypeError,
      "Cannot make an array from a ragged nested list: the element at index [1] has shape [3], expected [2]",
    );
    assertThrows(() => np.array([np.array([1, 2]), 3]), TypeError, "has shape [], expected [2]");
  });
  it("takes a dtype name in place of the options (NumPy's positional dtype)", () => {
    assert.equal(np.array([1, 2], "int32").dtype, "int32");
    assert.equal(np.asarray([1, 2], "float32").dtype, "float32");
    assert.equal(np.zeros([2], "float32").dtype, "float32");
    assert.deepEqual(np.ones(2, "int32").tolist(), [1, 1]);
    assert.equal(np.full([2], 1, "bool").dtype, "bool");
    const t = np.zeros([2], { dtype: "float32" });
    for (const f of [np.zerosLike, np.onesLike]) assert.equal(f(t, "int32").dtype, "int32");
    assert.equal(np.fullLike(t, 2, "int32").dtype, "int32");
    assertThrows(() => np.zeros([2], "int64" as DType), TypeError, 'Unknown dtype "int64"');
    assertThrows(
      () => np.zeros([2], 5 as never),
      TypeError,
      "Invalid options for zeros: expected an options object or a dtype name, got 5",
    );
    assertThrows(
      () => np.linspace(0, 1, 3, "float32" as never),
      TypeError,
      'Invalid options for linspace: expected an options object, got "float32"',
    );
    assertThrows(
      () => np.eye(2, 2, "float32" as never),
      TypeError,
      'Invalid options for eye: expected an options object, got "float32"',
    );
  });
  it("rejects int32 data that does not convert: NaN, infinities, beyond int32 (NumPy, JAX)", () => {
    assertThrows(
      () => np.array([1, NaN], { dtype: "int32" }),
      RangeError,
      "Cannot convert NaN to int32: not a finite number (element 1 of the data)",
    );
    assertThrows(() => np.array([[-Infinity]], { dtype: "int32" }), RangeError, "-Infinity");
    assertThrows(
      () => np.array([2147483648], { dtype: "int32" }),
      RangeError,
      "Cannot convert 2147483648 to int32: out of bounds for int32 (element 0 of the data)",
    );
    // Fractions truncate toward zero, as NumPy's conversion does.
    assert.deepEqual(np.array([2147483647.5, -2147483648.9, -2.5], { dtype: "int32" }).tolist(), [
      2147483647,
      -2147483648,
      -2,
    ]);
  });
  it("rejects non-numeric data and unknown dtypes", () => {
    assertThrows(() => np.array(["a"] as never), TypeError, "non-numeric");
    assertThrows(
      () => np.array([np.array(1), "a"] as never),
      TypeError,
      "expected numbers, booleans or arrays, got string",
    );
    assertThrows(() => np.array(undefined as never), TypeError, "Expected an array, a number");
    assertThrows(
      () => np.array([1], { dtype: "float8" as DType }),
      TypeError,
      'Unknown dtype "float8": expected one of "bool", "int8", "int16", "int32", "uint8", "uint16", "uint32", "float16", "bfloat16", "float32", "float64"',
    );
  });
});

describe("zeros, ones, full", () => {
  it("zeros and ones default to float64", () => {
    assert.deepEqual(np.zeros([2, 3]).tolist(), [[0, 0, 0], [0, 0, 0]]);
    assert.equal(np.zeros([2]).dtype, "float64");
    assert.deepEqual(np.ones(3).tolist(), [1, 1, 1]);
    assert.deepEqual(np.ones([]).shape, []);
    assert.deepEqual(np.zeros([0, 4]).shape, [0, 4]);
    assert.deepEqual(np.ones([2], { dtype: "bool" }).tolist(), [true, true]);
    assert.equal(np.zeros(2, { dtype: "int32" }).dtype, "int32");
  });
  it("full infers the dtype from a JS value", () => {
    assert.equal(np.full([2], 7).dtype, "float64");
    assert.equal(np.full([2], 2.5).dtype, "float64");
    assert.equal(np.full([2], true).dtype, "bool");
    assert.deepEqual(np.full([2], true).tolist(), [true, true]);
    assert.deepEqual(np.full(2, 7, { dtype: "int32" }).tolist(), [7, 7]);
    assert.deepEqual(np.full([2], 3, { dtype: "bool" }).tolist(), [true, true]);
    assertAllClose(np.full([2], NaN), [NaN, NaN]);
    assert.deepEqual(np.full([2], -Infinity).tolist(), [-Infinity, -Infinity]);
  });
  it("full broadcasts an array fill value and keeps its dtype", () => {
    const v = np.array([1, 2], { dtype: "int32" });
    const x = np.full([2, 2], v);
    assert.deepEqual(x.tolist(), [[1, 2], [1, 2]]);
    assert.equal(x.dtype, "int32");
    assert.deepEqual(np.full([2, 2], [[1], [2]]).tolist(), [[1, 1], [2, 2]]);
    assert.equal(np.full([2], v, { dtype: "float32" }).dtype, "float32");
  });
  it("full is differentiable in an array fill value", () => {
    assert.equal(grad((x: NdArray) => np.sum(np.full([3], x)))(np.array(1.5)).item(), 3);
  });
  it("zerosLike, onesLike, fullLike take shape and dtype from the template", () => {
    const t = np.array([[1, 2, 3]], { dtype: "int32" });
    assert.deepEqual(np.zerosLike(t).tolist(), [[0, 0, 0]]);
    assert.equal(np.zerosLike(t).dtype, "int32");
    assert.equal(np.onesLike(t, { dtype: "float32" }).dtype, "float32");
    assert.deepEqual(np.fullLike(t, 2.7).tolist(), [[2, 2, 2]]); // NumPy: cast to the template's dtype
    assert.deepEqual(np.fullLike(np.zeros(2), 0.5).tolist(), [0.5, 0.5]);
    assert.deepEqual(np.fullLike(t, [7, 8, 9]).tolist(), [[7, 8, 9]]);
    assert.deepEqual(np.zerosLike(3).shape, []);
    assert.deepEqual(np.onesLike([[true]]).tolist(), [[true]]);
  });
  it("reject invalid shapes and fill values that do not broadcast", () => {
    assertThrows(
      () => np.zeros([2, -1]),
      TypeError,
      "Invalid shape [2,-1]: expected an array of non-negative integers",
    );
    assertThrows(
      () => np.ones(1.5),
      TypeError,
      "Invalid shape 1.5: expected an array of non-negative integers",
    );
    assertThrows(
      () => np.full([2, 3], [1, 2]),
      TypeError,
      "Cannot broadcast shapes [2] and [2,3]: dimension 1 differs (2 vs 3)",
    );
    assertThrows(
      () => np.full([3], [[1, 2, 3]]),
      TypeError,
      "Cannot broadcast a fill value of shape [1,3] to shape [3]",
    );
    assertThrows(() => np.zeros([2], { dtype: "complex64" as DType }), TypeError, "Unknown dtype");
  });
});

describe("np.arange", () => {
  for (const [args, dtype, outDType, expected] of ARANGE) {
    it(`arange(${args.join(", ")}${dtype ? `, ${dtype}` : ""}) matches NumPy`, () => {
      const opts = dtype ? [{ dtype: dtype as DType }] : [];
      const x = (np.arange as unknown as (...a: unknown[]) => NdArray)(...args, ...opts);
      assert.equal(x.dtype, outDType);
      assert.deepEqual(x.shape, [expected.length]);
      assert.deepEqual(x.tolist(), expected);
    });
  }
  it("takes the options object after any number of arguments", () => {
    assert.equal(np.arange(3, { dtype: "float32" }).dtype, "float32");
    assert.deepEqual(np.arange(1, 3, { dtype: "bool" }).tolist(), [true, true]);
    assert.deepEqual(np.arange(0, 4, 2, { dtype: "float64" }).tolist(), [0, 2]);
  });
  it("rejects a zero step, non-finite and non-numeric arguments", () => {
    assertThrows(
      () => np.arange(0, 5, 0),
      RangeError,
      "Invalid step for arange: the step must be nonzero, got 0",
    );
    assertThrows(
      () => np.arange(0, Infinity),
      RangeError,
      "Invalid arguments for arange: start, stop and step must be finite, got 0, Infinity, 1",
    );
    assertThrows(() => np.arange(NaN), RangeError, "must be finite");
    assertThrows(
      () => np.arange(3, { dtype: "bool" }),
      TypeError,
      "Invalid dtype for arange: a bool range has at most 2 elements, got 3 (start 0, stop 3, step 1)",
    );
    assertThrows(
      () => np.arange("3" as never),
      TypeError,
      "Invalid argument for arange: expected a number, got string",
    );
    assertThrows(
      () => (np.arange as unknown as (...a: unknown[]) => NdArray)(),
      TypeError,
      "arange needs at least one number: got none",
    );
  });
});

describe("np.linspace", () => {
  for (const [start, stop, num, endpoint, expected] of LINSPACE) {
    it(`linspace(${start}, ${stop}, ${num}, { endpoint: ${endpoint} }) matches NumPy`, () => {
      const x = np.linspace(start, stop, num, { endpoint });
      assert.equal(x.dtype, "float64");
      assert.deepEqual(x.tolist(), expected);
    });
  }
  it("defaults to 50 samples with the endpoint", () => {
    const x = np.linspace(0, 1);
    assert.deepEqual(x.shape, [50]);
    assert.equal((x.tolist() as number[])[49], 1);
  });
  it("floors for int32 and rounds for float32 (NumPy)", () => {
    assert.deepEqual(np.linspace(0, 10, 4, { dtype: "int32" }).tolist(), [0, 3, 6, 10]);
    assert.deepEqual(np.linspace(-1, 1, 5, { dtype: "int32" }).tolist(), [-1, -1, 0, 0, 1]);
    assert.deepEqual(
      np.linspace(0, 1, 7, { dtype: "float32" }).tolist(),
      [0, 0.1666666716337204, 0.3333333432674408, 0.5, 0.6666666865348816, 0.8333333134651184, 1],
    );
  });
  it("rejects a negative or fractional number of samples and non-numeric bounds", () => {
    assertThrows(
      () => np.linspace(0, 1, -1),
      RangeError,
      "Invalid number of samples for linspace: expected a non-negative integer, got -1",
    );
    assertThrows(() => np.linspace(0, 1, 2.5), RangeError, "got 2.5");
    assertThrows(() => np.linspace("0" as never, 1), TypeError, "Invalid start for linspace");
  });
});

describe("np.eye", () => {
  it("makes identities and offset diagonals", () => {
    assert.deepEqual(np.eye(2).tolist(), [[1, 0], [0, 1]]);
    assert.equal(np.eye(2).dtype, "float64");
    assert.deepEqual(np.eye(2, 3, { k: 1 }).tolist(), [[0, 1, 0], [0, 0, 1]]);
    assert.deepEqual(np.eye(3, 2, { k: -1 }).tolist(), [[0, 0], [1, 0], [0, 1]]);
    assert.deepEqual(np.eye(2, { k: 5 }).tolist(), [[0, 0], [0, 0]]);
    assert.deepEqual(np.eye(2, null, { dtype: "int32" }).tolist(), [[1, 0], [0, 1]]);
    assert.deepEqual(np.eye(0).shape, [0, 0]);
    assert.deepEqual(np.eye(2, 0).shape, [2, 0]);
    assert.deepEqual(np.eye(2, { dtype: "bool" }).tolist(), [[true, false], [false, true]]);
  });
  it("rejects bad sizes and diagonals", () => {
    assertThrows(() => np.eye(-1), TypeError, "Invalid shape [-1,-1]");
    assertThrows(() => np.eye(2, 1.5), TypeError, "Invalid shape [2,1.5]");
    assertThrows(
      () => np.eye(2, 2, { k: 0.5 }),
      TypeError,
      "Invalid diagonal for eye: expected an integer k, got 0.5",
    );
  });
});

describe("np creation: values against NumPy (fixtures/numpy/chapters.json)", () => {
  valuesAgainstNumPy([
    ["logspace", () => np.logspace(-2, 3, 7)],
    ["logspace base", () => np.logspace(0, 5, 4, { endpoint: false, base: 3 })],
    ["triu", () => np.triu(R45)],
    ["triu 2", () => np.triu(R45, 2)],
    ["tril -1", () => np.tril(R234, -1)],
    ["tril 1d", () => np.tril(C.get(":4"), 1)],
  ]);
});

describe("np creation: shapes and hand-checked values", () => {
  it("meshgrid: xy, ij, sparse, three inputs", () => {
    const [x, y] = np.meshgrid([1, 2, 3], [4, 5]);
    assert.deepEqual(x.tolist(), [[1, 2, 3], [1, 2, 3]]);
    assert.deepEqual(y.tolist(), [[4, 4, 4], [5, 5, 5]]);
    const [i, j] = np.meshgrid([1, 2, 3], [4, 5], { indexing: "ij" });
    assert.deepEqual(i.tolist(), [[1, 1], [2, 2], [3, 3]]);
    assert.deepEqual(j.tolist(), [[4, 5], [4, 5], [4, 5]]);
    const [sx, sy] = np.meshgrid([1, 2, 3], [4, 5], { sparse: true });
    assert.deepEqual([sx.shape, sy.shape], [[1, 3], [2, 1]]);
    const g = np.meshgrid([1, 2], [3, 4, 5], [6, 7, 8, 9]);
    assert.deepEqual(g.map((a) => a.shape), [[3, 2, 4], [3, 2, 4], [3, 2, 4]]);
    assert.equal(g[2].get(0, 1, 3).item(), 9);
    assert.equal(g[0].get(2, 1, 0).item(), 2);
    assert.deepEqual(np.meshgrid([[1, 2]])[0].tolist(), [1, 2]);
    assert.deepEqual(np.meshgrid(), []);
  });

  it("logspace, identity, empty", () => {
    assert.deepEqual(np.logspace(0, 2, 3).tolist(), [1, 10, 100]);
    assert.deepEqual(np.logspace(0, 1, 0).tolist(), []);
    assert.deepEqual(np.identity(3).tolist(), [[1, 0, 0], [0, 1, 0], [0, 0, 1]]);
    assert.deepEqual(np.identity(0).shape, [0, 0]);
    assert.deepEqual(np.empty([2, 0]).shape, [2, 0]);
    assert.deepEqual(np.empty(3, "int32").tolist(), [0, 0, 0]);
  });
});
