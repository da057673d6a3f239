// np statistics (median, quantile, percentile, average, ptp, NaN-ignoring reductions): values
// against NumPy (tests/fixtures/numpy), gradients at NaN and in q as JAX, vmap with batched q.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { assertAllClose } from "./_assert.ts";
import { type Array, grad, jvp, np } from "../mod.ts";
import { checkGrads, checkVmap } from "../src/testing.ts";
import { C, R234, R45, S, valuesAgainstNumPy } from "./_numpy_fixtures.ts";

describe("np statistics: values against NumPy (fixtures/numpy/chapters.json)", () => {
  valuesAgainstNumPy([
    ["median R45", () => np.median(R45)],
    ["median R45 0", () => np.median(R45, 0)],
    ["median R45 1 keepdims", () => np.median(R45, 1, { keepdims: true })],
    ["median R234 (0,2)", () => np.median(R234, [0, 2])],
    ["median S", () => np.median(S)],
    ["quantile R45", () => np.quantile(R45, 0.3)],
    ["quantile R45 q 1", () => np.quantile(R45, [0, 0.1, 0.5, 0.77, 1], 1)],
    ["quantile R234 keepdims", () => np.quantile(R234, [[0.2], [0.9]], 1, { keepdims: true })],
    ["quantile lower", () => np.quantile(R45, [0.1, 0.5, 0.9], 0, { method: "lower" })],
    ["quantile higher", () => np.quantile(R45, [0.1, 0.5, 0.9], 0, { method: "higher" })],
    ["quantile midpoint", () => np.quantile(R45, [0.1, 0.5, 0.9], 1, { method: "midpoint" })],
    ["quantile S", () => np.quantile(S, 0.5)],
    ["percentile", () => np.percentile(R45, [5, 50, 95], 1)],
    ["average", () => np.average(R45, 1, { weights: C.get(":5") })],
    ["average full", () => np.average(R45, null, { weights: np.abs(R45) })],
    ["average keepdims", () => np.average(R45, 0, { keepdims: true })],
    ["ptp", () => np.ptp(R45, 0)],
    ["nansum", () => np.nansum(S)],
    ["nanmean", () => np.nanmean(np.where(np.greater(R45, 1), NaN, R45), 1)],
    ["nanmax", () => np.nanmax(np.where(np.greater(R45, 1), NaN, R45), 0)],
    ["nanmin", () => np.nanmin(np.where(np.less(R45, -1), NaN, R45), 1, { keepdims: true })],
  ]);
});

describe("np statistics: derivatives at special points, as JAX", () => {
  it("NaN-ignoring reductions: zero gradient at NaN", () => {
    const x = np.array([1, NaN, 3, 3]);
    assert.deepEqual(grad((v: Array) => np.nanmax(v))(x).tolist(), [0, 0, 0.5, 0.5]);
    assert.deepEqual(grad((v: Array) => np.nanmin(v))(x).tolist(), [1, 0, 0, 0]);
    assert.deepEqual(grad((v: Array) => np.nansum(v))(x).tolist(), [1, 0, 1, 1]);
    assertAllClose(grad((v: Array) => np.nanmean(v))(x), [1 / 3, 0, 1 / 3, 1 / 3]);
    const [y, t] = jvp((v: Array) => np.nansum(v), [x], [np.ones([4])]);
    assert.deepEqual([y.item(), t.item()], [7, 3]);
  });

  it("quantile: differentiable in q", () => {
    const x = np.array([4, 1, 3, 2]);
    // linear on the sorted [1, 2, 3, 4]: q·3 between order statistics, slope 3·(x[k+1]-x[k])
    assertAllClose(grad((q: Array) => np.quantile(x, q))(0.4).item(), 3, { rtol: 1e-14 });
    checkGrads((v: Array, q: Array) => np.quantile(v, q), [x, np.array([0.1, 0.45, 0.8])], {
      order: 2,
    });
    checkGrads((v: Array) => np.median(v, 1), [np.array([[0.3, -1, 2, 0.9], [2, 0.5, 1, -3]])], {
      order: 2,
    });
  });
});

describe("np statistics: vmap on traced paths", () => {
  it("quantiles with batched q, median and nan reductions with NaN", () => {
    const x = np.array([[3, NaN, 1, 2], [0.5, 4, -1, 2]]);
    checkVmap((v: Array, q: Array) => np.quantile(v, q), [x, np.array([0.2, 0.9])]);
    checkVmap((v: Array) => np.median(v), [x]);
    checkVmap((v: Array) => np.nanmax(v), [x]);
    checkVmap((v: Array) => np.nanmean(v), [x], { inAxes: 1 });
    checkVmap((c: Array) => np.pad(np.array([1, 2]), 1, { constantValues: c }), [np.array([0, 2])]);
  });
});
