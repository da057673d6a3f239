// scipy.special: values to double precision (known values), infinities and NaN, and
// derivatives (finite differences, vmap of grad against the closed form).
import { describe, it } from "node:test";
import { assert, assertAllClose, assertEquals } from "./_assert.ts";
import { grad, np, scipy, vmap } from "../mod.ts";
import { checkGrads } from "../src/testing.ts";

const { erf, erfc, erfInv } = scipy.special;

describe("scipy.special error functions (erf, erfc, erfInv), behind nn.gelu and random", () => {
  it("erf and erfc to double precision", () => {
    assertAllClose(erf(np.array([0.1, 0.5, 1, 2, 4, -1])), [
      0.1124629160182849,
      0.5204998778130465,
      0.8427007929497149,
      0.9953222650189527,
      0.9999999845827421,
      -0.8427007929497149,
    ], { rtol: 1e-15 });
    assertAllClose(erfc(np.array([-3, 0.3, 1, 3, 5, 10, 25])), [
      1.9999779095030015,
      0.6713732405408726,
      0.15729920705028513,
      2.209049699858544e-05,
      1.537459794428035e-12,
      2.088487583762545e-45,
      8.300172571196523e-274,
    ], { rtol: 1e-14 });
    assertEquals(erf(np.array([Infinity, -Infinity, 30])).tolist(), [1, -1, 1]);
    assertEquals(erfc(np.array([Infinity, -Infinity, 30])).tolist(), [0, 2, 0]);
    assert(Number.isNaN(erf(NaN).item()) && Number.isNaN(erfc(NaN).item()));
  });
  it("erfInv (XLA's float64 algorithm)", () => {
    assertAllClose(erfInv(np.array([-0.9, 0.01, 0.5, 0.999])), [
      -1.1630871536766743,
      0.008862501280950598,
      0.4769362762044699,
      2.3267537655135246,
    ], { rtol: 1e-14 });
    assertAllClose(erfInv(1 - 1e-12), 5.042031898572696, { rtol: 1e-9 });
    assertEquals(erfInv(np.array([1, -1])).tolist(), [Infinity, -Infinity]);
    assert(Number.isNaN(erfInv(1.5).item()));
  });
  it("derivatives are finite everywhere and correct", () => {
    const x = np.array([-40, -5, -1, 0, 0.9, 1.3, 3, 6.5, 40]);
    const g = vmap(grad(erf))(x).tolist() as number[];
    const expected = (x.tolist() as number[]).map((v) => 2 / Math.sqrt(Math.PI) * Math.exp(-v * v));
    assertAllClose(g, expected, { rtol: 1e-13, atol: 1e-300 });
    assertAllClose(vmap(grad(erfc))(x), expected.map((v) => -v), { rtol: 1e-13, atol: 1e-300 });
    checkGrads(erf, [np.array([-2, -0.5, 0.3, 1, 2.5])], { order: 2 });
    checkGrads(erfInv, [np.array([-0.8, -0.3, 0.2, 0.7])], { order: 2 });
  });
});
