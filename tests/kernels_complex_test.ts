// The complex elementwise kernels against NumPy (tests/fixtures/fft/complex.json,
// made by make_complex_fixtures.py beside it) on a grid of parts from 1e-200 to
// 1e200 with both signs (branch cuts, overflow-prone quotients, |z| ≈ 1 for
// log), then the signed-zero sides of the branch cuts, broadcasting, the
// conversions and float32 storage.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import {
  complexBinaryKernel,
  type ComplexBinaryOp,
  complexPartKernel,
  type ComplexPartOp,
  complexUnaryKernel,
  type ComplexUnaryOp,
  convertComplexKernel,
  makeComplexKernel,
} from "../src/array/kernels/complex.ts";

type Num = number | "inf" | "-inf" | "nan";
type Pair = [Num, Num];
const fx = JSON.parse(
  readFileSync(new URL("./fixtures/fft/complex.json", import.meta.url), "utf8"),
) as {
  unary: Record<string, { x: Pair[]; y: Pair[] }>;
  parts: Record<string, { x: Pair[]; y: Num[] }>;
  binary: Record<string, { a: Pair[]; b: Pair[]; y: Pair[] }>;
};

function num(v: Num): number {
  return v === "inf" ? Infinity : v === "-inf" ? -Infinity : v === "nan" ? NaN : v;
}
function interleave(z: Pair[]): Float64Array {
  return Float64Array.from(z.flatMap(([r, i]) => [num(r), num(i)]));
}

/** Both parts within `tol · |expected|` (normwise), or the same non-finite value. */
function close(re: number, im: number, want: Pair, tol: number, what: string): void {
  const wr = num(want[0]);
  const wi = num(want[1]);
  if (!Number.isFinite(wr) || !Number.isFinite(wi)) {
    assert.ok(Object.is(re, wr) || Object.is(im, wi) || (re === wr && im === wi), what);
    if (!Number.isFinite(wr)) assert.ok(Object.is(re, wr), `${what}: re ${re} vs ${wr}`);
    if (!Number.isFinite(wi)) assert.ok(Object.is(im, wi), `${what}: im ${im} vs ${wi}`);
    return;
  }
  const scale = Math.hypot(wr, wi);
  const err = Math.hypot(re - wr, im - wi);
  assert.ok(err <= tol * scale, `${what}: got ${re}${im < 0 ? "" : "+"}${im}j, want ${wr}+${wi}j`);
}

const TOL: Record<string, number> = {
  log: 4e-16,
  sqrt: 4e-16,
  reciprocal: 4e-16,
  sign: 4e-16,
  square: 4e-16,
  exp: 1e-15,
  sin: 1e-15,
  cos: 1e-15,
  mul: 4e-16,
  div: 8e-16,
  add: 0,
  sub: 0,
};

describe("complex kernels against NumPy", () => {
  for (const [op, { x, y }] of Object.entries(fx.unary)) {
    it(`${op} on ${x.length} values`, () => {
      const out = new Float64Array(2 * x.length);
      complexUnaryKernel(op as ComplexUnaryOp, interleave(x), out);
      for (let i = 0; i < x.length; i++) {
        close(out[2 * i], out[2 * i + 1], y[i], TOL[op], `${op}(${x[i]})`);
      }
    });
  }
  for (const [op, { x, y }] of Object.entries(fx.parts)) {
    it(`${op} on ${x.length} values`, () => {
      const out = new Float64Array(x.length);
      complexPartKernel(op as ComplexPartOp, interleave(x), out);
      for (let i = 0; i < x.length; i++) {
        const want = num(y[i]);
        assert.ok(Math.abs(out[i] - want) <= 2.3e-16 * Math.abs(want), `${op}(${x[i]}): ${out[i]}`);
      }
    });
  }
  for (const [op, { a, b, y }] of Object.entries(fx.binary)) {
    it(`${op} on ${a.length} pairs`, () => {
      const out = new Float64Array(2 * a.length);
      const shape = [a.length];
      complexBinaryKernel(
        op as ComplexBinaryOp,
        interleave(a),
        shape,
        interleave(b),
        shape,
        out,
        shape,
      );
      for (let i = 0; i < a.length; i++) {
        close(out[2 * i], out[2 * i + 1], y[i], TOL[op], `${a[i]} ${op} ${b[i]}`);
      }
    });
  }
});

describe("complex kernel edge cases", () => {
  const at = (op: ComplexUnaryOp, re: number, im: number): [number, number] => {
    const out = new Float64Array(2);
    complexUnaryKernel(op, new Float64Array([re, im]), out);
    return [out[0], out[1]];
  };

  it("the sign of a zero imaginary part picks the side of the branch cut (NumPy, JAX)", () => {
    assert.deepEqual(at("sqrt", -4, 0), [0, 2]);
    assert.deepEqual(at("sqrt", -4, -0), [0, -2]);
    assert.deepEqual(at("log", -1, 0), [0, Math.PI]);
    assert.deepEqual(at("log", -1, -0), [0, -Math.PI]);
    assert.ok(Object.is(at("sqrt", 0, -0)[1], -0));
  });

  it("special values: exp(inf + 0i) = inf + 0i, sqrt(x ± inf i) = inf ± inf i, 1/0 = inf", () => {
    assert.deepEqual(at("exp", Infinity, 0), [Infinity, 0]);
    assert.deepEqual(at("sqrt", 3, -Infinity), [Infinity, -Infinity]);
    assert.deepEqual(at("sqrt", -Infinity, 1), [0, Infinity]);
    assert.deepEqual(at("reciprocal", 0, 0).map(Number.isNaN), [false, true]);
    assert.equal(at("reciprocal", 0, 0)[0], Infinity);
    assert.deepEqual(at("sign", 0, 0), [0, 0]);
    assert.ok(at("sqrt", NaN, 1).every(Number.isNaN));
  });

  it("sqrt does not overflow near the largest double", () => {
    const [re, im] = at("sqrt", 1.7e308, 1.7e308);
    const want = Math.sqrt(1.7e308) * Math.sqrt((1 + Math.SQRT2) / 2);
    assert.ok(Math.abs(re - want) / want < 1e-15, `${re} vs ${want}`);
    assert.ok(Number.isFinite(im));
  });

  it("binary ops broadcast, and eq/ne compare both parts", () => {
    // a: [[1+1i], [2+0i]] (2×1), b: [1+1i, 1-1i, 0+0i] (3) → 2×3
    const a = new Float64Array([1, 1, 2, 0]);
    const b = new Float64Array([1, 1, 1, -1, 0, 0]);
    const out = new Float64Array(12);
    complexBinaryKernel("mul", a, [2, 1], b, [3], out, [2, 3]);
    assert.deepEqual(Array.from(out, (v) => v + 0), [0, 2, 2, 0, 0, 0, 2, 2, 2, -2, 0, 0]);
    const eq = new Uint8Array(6);
    complexBinaryKernel("eq", a, [2, 1], b, [3], eq, [2, 3]);
    assert.deepEqual(Array.from(eq), [1, 0, 0, 0, 0, 0]);
    complexBinaryKernel("ne", a, [2, 1], b, [3], eq, [2, 3]);
    assert.deepEqual(Array.from(eq), [0, 1, 1, 1, 1, 1]);
  });

  it("conversions: real ↔ complex, to bool and int32, complex128 → complex64 rounds", () => {
    const z = new Float64Array(4);
    convertComplexKernel(new Float64Array([1.5, -2]), false, z, true);
    assert.deepEqual(Array.from(z), [1.5, 0, -2, 0]);
    const r = new Float64Array(2);
    convertComplexKernel(new Float64Array([1.5, 9, -2, 8]), true, r, false);
    assert.deepEqual(Array.from(r), [1.5, -2]);
    const b = new Uint8Array(3);
    convertComplexKernel(new Float64Array([0, 0, 0, 1, 2, 0]), true, b, false);
    assert.deepEqual(Array.from(b), [0, 1, 1]);
    const i = new Int32Array(2);
    convertComplexKernel(new Float64Array([-2.7, 1, NaN, 0]), true, i, false);
    assert.deepEqual(Array.from(i), [-2, 0]);
    const c64 = new Float32Array(2);
    convertComplexKernel(new Float64Array([0.1, 0.2]), true, c64, true);
    assert.deepEqual(Array.from(c64), [Math.fround(0.1), Math.fround(0.2)]);
    const m = new Float32Array(4);
    makeComplexKernel([1, 2], [3, 4], m);
    assert.deepEqual(Array.from(m), [1, 3, 2, 4]);
  });

  it("float32 storage computes in double and rounds each part once", () => {
    const x = new Float32Array([0.3, -0.7, 2.5, 1e-3]);
    const out = new Float32Array(4);
    complexUnaryKernel("log", x, out);
    const ref = new Float64Array(4);
    complexUnaryKernel("log", Float64Array.from(x), ref);
    assert.deepEqual(Array.from(out), Array.from(ref, Math.fround));
  });
});
