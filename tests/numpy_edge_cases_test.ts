// Across the np chapters: dtypes kept or promoted as JAX does, empty inputs, and the error
// messages of bad arguments (one table per concern, functions from every chapter).
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { assertAlmostEquals, assertThrows } from "./_assert.ts";
import { type Array, np } from "../mod.ts";

describe("np: dtypes", () => {
  const i32 = np.array([3, 1, 2], { dtype: "int32" });
  const f32 = np.array([3, 1, 2], { dtype: "float32" });
  it("keep or promote as JAX does", () => {
    const cases: [Array, string][] = [
      [np.sort(i32), "int32"],
      [np.sort(f32), "float32"],
      [np.argsort(f32), "int32"],
      [np.cumprod(i32), "int32"],
      [np.cumprod([true, false]), "int32"],
      [np.cumprod(f32, { dtype: "float64" }), "float64"],
      [np.cumprod(i32, null, "float32"), "float32"],
      [np.diff(i32), "int32"],
      [np.diff([true, false, false]), "bool"],
      [np.cbrt(i32), "float64"],
      [np.cbrt(f32), "float32"],
      [np.exp2(i32), "float64"],
      [np.sinc(f32), "float32"],
      [np.hypot(f32, 1), "float32"],
      [np.copysign(i32, -1), "float64"],
      [np.trunc(i32), "int32"],
      [np.deg2rad(f32), "float32"],
      [np.median(i32), "float64"],
      [np.quantile(f32, 0.5), "float32"],
      [np.average(i32), "float64"],
      [np.ptp(i32), "int32"],
      [np.nansum(i32), "int32"],
      [np.nansum(f32, null, "float64"), "float64"],
      [np.nanmax(i32), "int32"],
      [np.nanmean(i32), "float64"],
      [np.countNonzero(f32), "int32"],
      [np.pad(i32, 1, { constantValues: 2.7 }), "int32"],
      [np.roll(i32, 1), "int32"],
      [np.triu(np.ones([2, 2], "int32")), "int32"],
      [np.kron(i32, f32), "float32"],
      [
        np.cross(np.array([1, 0, 0], { dtype: "int32" }), np.array([0, 1, 0], { dtype: "int32" })),
        "int32",
      ],
      [np.select([np.array([true])], [i32.get(":1")]), "int32"],
      [np.select([np.array([true])], [f32.get(":1")], 0.5), "float32"],
      [np.linalg.norm(i32), "float64"],
      [np.linalg.norm(f32, 1), "float32"],
      [np.identity(2, "int32"), "int32"],
      [np.identity(2), "float64"],
      [np.empty([2], { dtype: "bool" }), "bool"],
      [np.logspace(0, 2, 3, { dtype: "int32" }), "int32"],
      [np.interp(i32, [0, 4], [0, 1]), "float64"],
    ];
    cases.forEach(([a, dt], i) => assert.equal(a.dtype, dt, `case ${i}`));
    assert.deepEqual(np.pad(i32, 1, { constantValues: 2.7 }).tolist(), [2, 3, 1, 2, 2]);
    assert.deepEqual(np.diff([true, false, false]).tolist(), [true, false]);
    assert.deepEqual(np.logspace(0, 2, 3, { dtype: "int32" }).tolist(), [1, 10, 100]);
    assert.deepEqual(np.cumprod(np.array([1 << 16, 1 << 16, 3], { dtype: "int32" })).tolist(), [
      65536,
      0,
      0,
    ]);
  });
});

describe("np: shapes and hand-checked values", () => {
  it("empty inputs", () => {
    const e = np.zeros([0]);
    assert.deepEqual(np.sort(e).tolist(), []);
    assert.deepEqual(np.argsort(np.zeros([2, 0])).shape, [2, 0]);
    assert.deepEqual(np.sort(np.zeros([0, 3]), 0).shape, [0, 3]);
    assert.deepEqual(np.cumprod(e).tolist(), []);
    assert.deepEqual(np.cumprod(np.zeros([2, 0]), 1).shape, [2, 0]);
    assert.deepEqual(np.diff(e).tolist(), []);
    assert.deepEqual(np.diff(np.zeros([1])).tolist(), []);
    assert.deepEqual(np.diff(np.zeros([2]), 5).tolist(), []);
    assert.deepEqual(np.pad(e, 2, { constantValues: 1 }).tolist(), [1, 1, 1, 1]);
    assert.deepEqual(np.roll(e, 3).tolist(), []);
    assert.deepEqual(np.triu(np.zeros([0, 0])).shape, [0, 0]);
    assert.equal(np.nansum(e).item(), 0);
    assert.ok(Number.isNaN(np.nanmean(e).item() as number));
    assert.equal(np.countNonzero(e).item(), 0);
    assert.deepEqual(np.median(np.zeros([0, 3]), 1).shape, [0]);
    assert.deepEqual(np.linalg.norm(e).item(), 0);
    assert.deepEqual(np.interp(e, [0, 1], [2, 3]).tolist(), []);
  });
});

describe("np: errors", () => {
  it("rejects bad arguments with clear messages", () => {
    assertThrows(() => np.sort(np.array(1)), RangeError, "out of bounds for an array of rank 0");
    assertThrows(() => np.sort([1, 2], 1), RangeError, "Axis 1 is out of bounds");
    assertThrows(() => np.argsort([1, 2], 0.5), TypeError, "Invalid axis for argsort");
    assertThrows(() => np.diff(np.array(1)), TypeError, "at least one dimension");
    assertThrows(() => np.diff([1, 2], -1), RangeError, "must be non-negative");
    assertThrows(() => np.diff([1, 2], 1.5), TypeError, "expected an integer");
    assertThrows(() => np.pad([1, 2], -1), RangeError, "non-negative");
    assertThrows(() => np.pad([[1, 2]], [[1, 2], [3, 4], [5, 6]]), TypeError, "Invalid pad width");
    assertThrows(() => np.pad([1, 2], 1.5), TypeError, "Invalid pad width");
    assertThrows(() => np.pad([1, 2], 1, "mean" as never), TypeError, "Invalid mode for pad");
    assertThrows(() => np.pad(np.zeros([0]), 1, "edge"), RangeError, "Cannot pad an empty axis 0");
    assertThrows(() => np.pad([1], 1, { constantValues: [1, 2] }), TypeError, "expected a scalar");
    assertThrows(() => np.roll([1, 2], [1, 2]), TypeError, "without an axis");
    assertThrows(() => np.roll([1, 2], 1, 1), RangeError, "out of bounds");
    assertThrows(() => np.roll([[1, 2]], [1, 2, 3], [0, 1]), TypeError, "do not broadcast");
    assertThrows(
      () => np.meshgrid([1], { indexing: "xz" as never }),
      TypeError,
      "Invalid indexing",
    );
    assertThrows(() => np.triu(5), TypeError, "at least one dimension");
    assertThrows(() => np.tril([[1]], 0.5), TypeError, "expected an integer");
    assertThrows(() => np.hstack([]), TypeError, "non-empty list");
    assertThrows(() => np.vstack([[1, 2], [1, 2, 3]]), TypeError, "Cannot concatenate");
    assertThrows(() => np.select([np.array([true])], []), RangeError, "as many choices");
    assertThrows(() => np.select([], []), RangeError, "at least one condition");
    assertThrows(() => np.cross([1, 2, 3, 4], [1, 2, 3]), RangeError, "Incompatible dimensions");
    assertThrows(() => np.cross([true], [false]), TypeError, "bool");
    assertThrows(
      () => np.quantile([1, 2], 1.5),
      RangeError,
      "Quantiles must be in the range [0, 1]",
    );
    assertThrows(() => np.quantile([1, 2], NaN), RangeError, "Quantiles must be in the range");
    assertThrows(
      () => np.percentile([1, 2], -1),
      RangeError,
      "Percentiles must be in the range [0, 100]",
    );
    assertThrows(
      () => np.quantile([1, 2], 0.5, null, { method: "weibull" as never }),
      TypeError,
      "Invalid method",
    );
    assertThrows(
      () => np.median(np.zeros([0])),
      RangeError,
      "Cannot compute the median of an empty array",
    );
    assertThrows(() => np.average([1, 2], null, { weights: [1] }), TypeError, "without an axis");
    assertThrows(() => np.average([[1, 2]], 1, { weights: [1] }), RangeError, "along axis 1");
    assertThrows(() => np.average([[1, 2]], 1, { weights: [[1]] }), TypeError, "1-D weights");
    assertThrows(
      () => np.average([1, 2], 0, { weights: [1, -1] }),
      RangeError,
      "Weights sum to zero",
    );
    assertThrows(() => np.nanmax(np.zeros([0])), RangeError, "empty");
    assertThrows(() => np.ptp(np.zeros([0])), RangeError, "empty");
    assertThrows(() => np.countNonzero([1], 0.5), TypeError, "Invalid axis for countNonzero");
    // The spectral and nuclear norms of a rank-one matrix are both its Frobenius norm.
    assertAlmostEquals(np.linalg.norm([[1, 2]], 2).item() as number, Math.sqrt(5), 1e-15);
    assertAlmostEquals(np.linalg.norm([[1, 2]], "nuc").item() as number, Math.sqrt(5), 1e-15);
    assertThrows(
      () => np.linalg.norm([1, 2], "fro"),
      TypeError,
      'Invalid norm order "fro" for vectors',
    );
    assertThrows(
      () => np.linalg.norm(np.ones([2, 2, 2]), 1),
      TypeError,
      "Improper number of dimensions",
    );
    assertThrows(
      () => np.linalg.norm(np.ones([2, 2, 2]), null, [0, 1, 2]),
      TypeError,
      "Improper number of axes",
    );
    assertThrows(() => np.linalg.norm([[1, 2]], null, [1, -1]), RangeError, "Repeated axis");
    assertThrows(() => np.interp([1], [0, 1], [1]), RangeError, "of one length");
    assertThrows(() => np.interp([1], [], []), RangeError, "xp is empty");
    assertThrows(() => np.interp([1], [[0, 1]], [[1, 2]]), TypeError, "1-D xp and fp");
    assertThrows(() => np.logspace(0, 1, 3, { base: "e" as never }), TypeError, "Invalid base");
  });
});
