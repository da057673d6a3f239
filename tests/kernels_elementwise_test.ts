// Tests for the raw typed-array kernels: elementwise (unary, binary with broadcasting, select,
// convert) and reductions (reduce, cumsum). Expected special values were produced offline with
// NumPy 2.4 and pasted as literals; broadcasting and reductions are also checked against a naive
// index-by-index reference written here.

import { describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  binaryKernel,
  type BinaryOp,
  convertKernel,
  selectKernel,
  unaryKernel,
  type UnaryOp,
} from "../src/array/kernels/elementwise.ts";
import { cumsumKernel, reduceKernel, type ReduceOp } from "../src/array/kernels/reduce.ts";
import { type Shape, sizeOf, stridesOf } from "../src/array/shape.ts";

// ---------------------------------------------------------------------------
// Helpers

/** Same value, treating NaN as equal to NaN and distinguishing -0 from 0. */
function same(actual: number, expected: number): boolean {
  return Object.is(actual, expected);
}

/** Asserts elementwise equality (Object.is); with `rtol`, finite non-zero values may differ by that much. */
function assertValues(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  rtol = 0,
  what = "",
): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i];
    const e = expected[i];
    if (same(a, e)) continue;
    const close = rtol > 0 && Number.isFinite(e) && e !== 0 &&
      Math.abs(a - e) <= rtol * Math.abs(e);
    assert.ok(close, `${what}: index ${i}: got ${a}, expected ${e}`);
  }
}

function f64(values: number[]): Float64Array {
  return Float64Array.from(values);
}

function i32(values: number[]): Int32Array {
  return Int32Array.from(values);
}

function u8(values: number[]): Uint8Array {
  return Uint8Array.from(values);
}

/** Deterministic integer-valued test data in [-5, 5]. */
function ramp(n: number, seed = 0): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = ((i * 7 + seed * 3) % 11) - 5;
  return out;
}

/** Row-major multi-index of flat index `flat` in `shape`. */
function unravel(flat: number, shape: Shape): number[] {
  const idx = new Array<number>(shape.length);
  for (let d = shape.length - 1; d >= 0; d--) {
    idx[d] = flat % shape[d];
    flat = Math.floor(flat / shape[d]);
  }
  return idx;
}

/** Flat index into an operand of `shape` (right-aligned, broadcast) for the output multi-index `idx`. */
function broadcastIndex(idx: number[], shape: Shape): number {
  const strides = stridesOf(shape);
  const lead = idx.length - shape.length;
  let flat = 0;
  for (let d = 0; d < shape.length; d++) {
    if (shape[d] !== 1) flat += idx[lead + d] * strides[d];
  }
  return flat;
}

/** Naive broadcasting binary op, one element at a time. */
function naiveBinary(
  f: (x: number, y: number) => number,
  a: ArrayLike<number>,
  aShape: Shape,
  b: ArrayLike<number>,
  bShape: Shape,
  outShape: Shape,
): number[] {
  const out: number[] = [];
  for (let k = 0; k < sizeOf(outShape); k++) {
    const idx = unravel(k, outShape);
    out.push(f(a[broadcastIndex(idx, aShape)], b[broadcastIndex(idx, bShape)]));
  }
  return out;
}

/** Naive reduction: walks every input element and combines it into its output slot. */
function naiveReduce(
  op: "sum" | "prod" | "max" | "min",
  x: ArrayLike<number>,
  shape: Shape,
  axes: number[],
): number[] {
  const outShape = shape.filter((_, d) => !axes.includes(d));
  const out: (number | undefined)[] = new Array(sizeOf(outShape)).fill(undefined);
  for (let k = 0; k < x.length; k++) {
    const idx = unravel(k, shape).filter((_, d) => !axes.includes(d));
    let o = 0;
    for (let d = 0; d < idx.length; d++) o = o * outShape[d] + idx[d];
    const v = x[k];
    const acc = out[o];
    if (acc === undefined) out[o] = v;
    else if (op === "sum") out[o] = acc + v;
    else if (op === "prod") out[o] = acc * v;
    else if (op === "max") out[o] = acc !== acc || acc > v ? acc : v;
    else out[o] = acc !== acc || acc < v ? acc : v;
  }
  return out.map((v) => v ?? (op === "prod" ? 1 : 0));
}

/** Naive argmax/argmin along one axis (first occurrence; first NaN wins). */
function naiveArg(isMax: boolean, x: ArrayLike<number>, shape: Shape, axis: number): number[] {
  const outShape = shape.filter((_, d) => d !== axis);
  const out: number[] = [];
  for (let o = 0; o < sizeOf(outShape); o++) {
    const idx = unravel(o, outShape);
    let best = NaN;
    let at = -1;
    for (let j = 0; j < shape[axis]; j++) {
      const full = [...idx.slice(0, axis), j, ...idx.slice(axis)];
      let flat = 0;
      for (let d = 0; d < shape.length; d++) flat = flat * shape[d] + full[d];
      const v = x[flat];
      if (at === -1 || (best === best && (v !== v || (isMax ? v > best : v < best)))) {
        best = v;
        at = j;
      }
    }
    out.push(at);
  }
  return out;
}

// ---------------------------------------------------------------------------
// Expected values from NumPy 2.4

const X = [-2.5, -1.5, -0.5, -0, 0, 0.5, 1.5, 2.5, NaN, Infinity, -Infinity, 0.3, -0.7, 3];

// deno-fmt-ignore
const UNARY_EXPECTED: Record<UnaryOp, number[]> = {
  neg: [2.5, 1.5, 0.5, 0, -0, -0.5, -1.5, -2.5, NaN, -Infinity, Infinity, -0.3, 0.7, -3],
  abs: [2.5, 1.5, 0.5, 0, 0, 0.5, 1.5, 2.5, NaN, Infinity, Infinity, 0.3, 0.7, 3],
  sign: [-1, -1, -1, 0, 0, 1, 1, 1, NaN, 1, -1, 1, -1, 1],
  sqrt: [NaN, NaN, NaN, -0, 0, 0.7071067811865476, 1.224744871391589, 1.5811388300841898, NaN, Infinity, NaN, 0.5477225575051661, NaN, 1.7320508075688772],
  exp: [0.0820849986238988, 0.22313016014842982, 0.6065306597126334, 1, 1, 1.6487212707001282, 4.4816890703380645, 12.182493960703473, NaN, Infinity, 0, 1.3498588075760032, 0.4965853037914095, 20.085536923187668],
  expm1: [-0.9179150013761012, -0.7768698398515702, -0.3934693402873666, -0, 0, 0.6487212707001282, 3.481689070338065, 11.182493960703473, NaN, Infinity, -1, 0.3498588075760031, -0.5034146962085905, 19.085536923187668],
  log: [NaN, NaN, NaN, -Infinity, -Infinity, -0.6931471805599453, 0.4054651081081644, 0.9162907318741551, NaN, Infinity, NaN, -1.2039728043259361, NaN, 1.0986122886681098],
  log1p: [NaN, NaN, -0.6931471805599453, -0, 0, 0.4054651081081644, 0.9162907318741551, 1.252762968495368, NaN, Infinity, NaN, 0.26236426446749106, -1.203972804325936, 1.3862943611198906],
  sin: [-0.5984721441039565, -0.9974949866040544, -0.479425538604203, -0, 0, 0.479425538604203, 0.9974949866040544, 0.5984721441039565, NaN, NaN, NaN, 0.29552020666133955, -0.644217687237691, 0.1411200080598672],
  cos: [-0.8011436155469337, 0.0707372016677029, 0.8775825618903728, 1, 1, 0.8775825618903728, 0.0707372016677029, -0.8011436155469337, NaN, NaN, NaN, 0.955336489125606, 0.7648421872844885, -0.9899924966004454],
  tan: [0.7470222972386603, -14.101419947171719, -0.5463024898437905, -0, 0, 0.5463024898437905, 14.101419947171719, -0.7470222972386603, NaN, NaN, NaN, 0.3093362496096232, -0.8422883804630794, -0.1425465430742778],
  asin: [NaN, NaN, -0.5235987755982989, -0, 0, 0.5235987755982989, NaN, NaN, NaN, NaN, NaN, 0.30469265401539747, -0.775397496610753, NaN],
  acos: [NaN, NaN, 2.0943951023931957, 1.5707963267948966, 1.5707963267948966, 1.0471975511965976, NaN, NaN, NaN, NaN, NaN, 1.2661036727794992, 2.34619382340565, NaN],
  atan: [-1.1902899496825317, -0.982793723247329, -0.4636476090008061, -0, 0, 0.4636476090008061, 0.982793723247329, 1.1902899496825317, NaN, 1.5707963267948966, -1.5707963267948966, 0.2914567944778671, -0.6107259643892086, 1.2490457723982544],
  sinh: [-6.0502044810397875, -2.1292794550948173, -0.5210953054937474, -0, 0, 0.5210953054937474, 2.1292794550948173, 6.0502044810397875, NaN, Infinity, -Infinity, 0.3045202934471426, -0.7585837018395335, 10.017874927409903],
  cosh: [6.132289479663686, 2.352409615243247, 1.1276259652063807, 1, 1, 1.1276259652063807, 2.352409615243247, 6.132289479663686, NaN, Infinity, Infinity, 1.0453385141288605, 1.255169005630943, 10.067661995777765],
  tanh: [-0.9866142981514303, -0.9051482536448665, -0.46211715726000974, -0, 0, 0.46211715726000974, 0.9051482536448665, 0.9866142981514303, NaN, 1, -1, 0.2913126124515909, -0.6043677771171634, 0.9950547536867305],
  asinh: [-1.6472311463710958, -1.1947632172871092, -0.48121182505960347, -0, 0, 0.48121182505960347, 1.1947632172871092, 1.6472311463710958, NaN, Infinity, -Infinity, 0.29567304756342244, -0.6526665660823557, 1.8184464592320668],
  acosh: [NaN, NaN, NaN, NaN, NaN, NaN, 0.9624236501192069, 1.566799236972411, NaN, Infinity, NaN, NaN, NaN, 1.762747174039086],
  atanh: [NaN, NaN, -0.5493061443340549, -0, 0, 0.5493061443340549, NaN, NaN, NaN, NaN, NaN, 0.3095196042031117, -0.8673005276940531, NaN],
  floor: [-3, -2, -1, -0, 0, 0, 1, 2, NaN, Infinity, -Infinity, 0, -1, 3],
  ceil: [-2, -1, -0, -0, 0, 1, 2, 3, NaN, Infinity, -Infinity, 1, -0, 3],
  round: [-2, -2, -0, -0, 0, 0, 2, 2, NaN, Infinity, -Infinity, 0, -1, 3],
  not: [0, 0, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0],
  isnan: [0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0],
  isinf: [0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 0, 0, 0],
  isfinite: [1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 1, 1, 1],
};

const BOOL_OUT_UNARY = new Set<UnaryOp>(["not", "isnan", "isinf", "isfinite"]);
const COMPARISONS = new Set<BinaryOp>(["eq", "ne", "lt", "le", "gt", "ge"]);

const A = [7, -7, 7, -7, 1, 0, -0, 1, NaN, Infinity, -Infinity, 1, 5, 2, -1, 1, 0, 0];
const B = [2, 2, -2, -2, 0.1, 0, 1, NaN, 0, 1, 2, Infinity, -0, 0.5, Infinity, -0, -0, 1];

// deno-fmt-ignore
const BINARY_EXPECTED: Record<BinaryOp, number[]> = {
  add: [9, -5, 5, -9, 1.1, 0, 1, NaN, NaN, Infinity, -Infinity, Infinity, 5, 2.5, Infinity, 1, 0, 1],
  sub: [5, -9, 9, -5, 0.9, 0, -1, NaN, NaN, Infinity, -Infinity, -Infinity, 5, 1.5, -Infinity, 1, 0, -1],
  mul: [14, -14, -14, 14, 0.1, 0, -0, NaN, NaN, Infinity, -Infinity, Infinity, -0, 1, -Infinity, -0, -0, 0],
  div: [3.5, -3.5, -3.5, 3.5, 10, NaN, -0, NaN, NaN, Infinity, -Infinity, 0, -Infinity, 4, -0, -Infinity, NaN, 0],
  pow: [49, 49, 0.02040816326530612, 0.02040816326530612, 1, 1, -0, 1, 1, Infinity, Infinity, 1, 1, 1.4142135623730951, 1, 1, 1, 0],
  max: [7, 2, 7, -2, 1, 0, 1, NaN, NaN, Infinity, 2, Infinity, 5, 2, Infinity, 1, -0, 1],
  min: [2, -7, -2, -7, 0.1, 0, -0, NaN, NaN, 1, -Infinity, 1, -0, 0.5, -1, -0, -0, 0],
  atan2: [1.2924966677897853, -1.2924966677897853, 1.849095985800008, -1.849095985800008, 1.4711276743037347, 0, -0, NaN, NaN, 1.5707963267948966, -1.5707963267948966, 0, 1.5707963267948966, 1.3258176636680326, -0, 1.5707963267948966, 3.141592653589793, 0],
  rem: [1, -1, 1, -1, 0.09999999999999995, NaN, -0, NaN, NaN, NaN, NaN, 1, NaN, 0, -1, NaN, NaN, 0],
  floor_divide: [3, -4, -4, 3, 9, NaN, -0, NaN, NaN, NaN, NaN, 0, -Infinity, 4, -1, -Infinity, NaN, 0],
  eq: [0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0],
  ne: [1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1],
  lt: [0, 1, 0, 1, 0, 0, 1, 0, 0, 0, 1, 1, 0, 0, 1, 0, 0, 1],
  le: [0, 1, 0, 1, 0, 1, 1, 0, 0, 0, 1, 1, 0, 0, 1, 0, 1, 1],
  gt: [1, 0, 1, 0, 1, 0, 0, 0, 0, 1, 0, 0, 1, 1, 0, 1, 0, 0],
  ge: [1, 0, 1, 0, 1, 1, 0, 0, 0, 1, 0, 0, 1, 1, 0, 1, 1, 0],
  and: [1, 1, 1, 1, 1, 0, 0, 1, 0, 1, 1, 1, 0, 1, 1, 0, 0, 0],
  or: [1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1],
};

const IA = [7, -7, 7, -7, 2147483647, -2147483648, 5, 0, -3, 3, 1, -1, -1, 2, 46341, -2147483648];
const IB = [2, 2, -2, -2, 1, -1, 0, 0, 3, 5, -5, -3, -4, 31, 46341, 2];

// NumPy int32 results; div (truncating) and pow with negative exponents follow the kernel contract.
// deno-fmt-ignore
const INT_EXPECTED: Partial<Record<BinaryOp, number[]>> = {
  add: [9, -5, 5, -9, -2147483648, 2147483647, 5, 0, 0, 8, -4, -4, -5, 33, 92682, -2147483646],
  sub: [5, -9, 9, -5, 2147483646, -2147483647, 5, 0, -6, -2, 6, 2, 3, -29, 0, 2147483646],
  mul: [14, -14, -14, 14, 2147483647, -2147483648, 0, 0, -9, 15, -5, 3, 4, 62, -2147479015, 0],
  div: [3, -3, -3, 3, 2147483647, -2147483648, 0, 0, -1, 0, 0, 0, 0, 0, 1, -1073741824],
  pow: [49, 49, 0, 0, 2147483647, 0, 1, 1, -27, 243, 1, -1, 1, -2147483648, -1732435659, 0],
  max: [7, 2, 7, -2, 2147483647, -1, 5, 0, 3, 5, 1, -1, -1, 31, 46341, 2],
  min: [2, -7, -2, -7, 1, -2147483648, 0, 0, -3, 3, -5, -3, -4, 2, 46341, -2147483648],
  rem: [1, -1, 1, -1, 0, 0, 0, 0, 0, 3, 1, -1, -1, 2, 0, 0],
  floor_divide: [3, -4, -4, 3, 2147483647, -2147483648, 0, 0, -1, 0, -1, 0, 0, 0, 1, -1073741824],
  and: [2, 0, 6, -8, 1, -2147483648, 0, 0, 1, 1, 1, -3, -4, 2, 46341, 0],
  or: [7, -5, -1, -1, 2147483647, -1, 5, 0, -1, 7, -5, -1, -1, 31, 46341, -2147483646],
  eq: [0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0],
  lt: [0, 1, 0, 1, 0, 1, 0, 0, 1, 1, 0, 0, 0, 1, 0, 1],
};

// ---------------------------------------------------------------------------
// Unary

describe("unaryKernel", () => {
  for (const op of Object.keys(UNARY_EXPECTED) as UnaryOp[]) {
    it(`${op} on float64 matches NumPy, including NaN, ±Inf and -0`, () => {
      const out = BOOL_OUT_UNARY.has(op) ? new Uint8Array(X.length) : new Float64Array(X.length);
      unaryKernel(op, f64(X), out);
      // Transcendentals may differ from glibc by an ulp.
      assertValues(out, UNARY_EXPECTED[op], 4e-16, op);
    });
  }

  it("rounds half to even, and returns the identity for floor/ceil/round on int32", () => {
    const out = new Float64Array(8);
    unaryKernel("round", f64([0.5, 1.5, 2.5, 3.5, -3.5, 4.5, 1e300, 0.49999999999999994]), out);
    assertValues(out, [0, 2, 2, 4, -4, 4, 1e300, 0]);
    const ints = i32([-3, 0, 7, 2147483647]);
    for (const op of ["floor", "ceil", "round"] as const) {
      const o = new Int32Array(4);
      unaryKernel(op, ints, o);
      assertValues(o, [-3, 0, 7, 2147483647], 0, op);
    }
  });

  it("wraps int32 neg and abs like NumPy", () => {
    const x = i32([-2147483648, -5, 0, 5, 2147483647]);
    const neg = new Int32Array(5);
    unaryKernel("neg", x, neg);
    assertValues(neg, [-2147483648, 5, 0, -5, -2147483647]);
    const abs = new Int32Array(5);
    unaryKernel("abs", x, abs);
    assertValues(abs, [-2147483648, 5, 0, 5, 2147483647]);
    const sign = new Int32Array(5);
    unaryKernel("sign", x, sign);
    assertValues(sign, [-1, -1, 0, 1, 1]);
  });

  it("computes logical not, isnan, isinf and isfinite on int32 and bool", () => {
    const out = new Uint8Array(3);
    unaryKernel("not", i32([0, 3, -1]), out);
    assertValues(out, [1, 0, 0]);
    unaryKernel("not", u8([0, 1, 1]), out);
    assertValues(out, [1, 0, 0]);
    unaryKernel("isfinite", i32([0, 3, -1]), out);
    assertValues(out, [1, 1, 1]);
    unaryKernel("isnan", i32([0, 3, -1]), out);
    assertValues(out, [0, 0, 0]);
  });

  it("rounds float32 outputs to float32", () => {
    const x = Float32Array.from([0.1, 2, -0.5]);
    const out = new Float32Array(3);
    unaryKernel("exp", x, out);
    assertValues(out, [
      Math.fround(Math.exp(Math.fround(0.1))),
      Math.fround(Math.exp(2)),
      Math.fround(Math.exp(-0.5)),
    ]);
    unaryKernel("sqrt", Float32Array.from([2]), out.subarray(0, 1));
    assert.equal(out[0], Math.fround(Math.SQRT2));
  });

  it("accepts empty arrays", () => {
    const out = new Float64Array(0);
    unaryKernel("exp", new Float64Array(0), out);
    assert.equal(out.length, 0);
  });
});

// ---------------------------------------------------------------------------
// Binary

describe("binaryKernel", () => {
  for (const op of Object.keys(BINARY_EXPECTED) as BinaryOp[]) {
    it(`${op} on float64 matches NumPy, including NaN, ±Inf and -0`, () => {
      const isBoolOut = COMPARISONS.has(op) || op === "and" || op === "or";
      const out = isBoolOut ? new Uint8Array(A.length) : new Float64Array(A.length);
      binaryKernel(op, f64(A), [A.length], f64(B), [B.length], out, [A.length]);
      assertValues(out, BINARY_EXPECTED[op], op === "atan2" || op === "pow" ? 4e-16 : 0, op);
    });
  }

  for (const [op, expected] of Object.entries(INT_EXPECTED) as [BinaryOp, number[]][]) {
    it(`${op} on int32 wraps and divides like NumPy int32`, () => {
      const out = COMPARISONS.has(op) ? new Uint8Array(IA.length) : new Int32Array(IA.length);
      binaryKernel(op, i32(IA), [IA.length], i32(IB), [IB.length], out, [IA.length]);
      assertValues(out, expected, 0, op);
    });
  }

  it("floor_divide follows npy_divmod on hard float cases", () => {
    const a = [1, -1, 1, 5, 5, -5, 0.3, -0, 1e308, 7.5];
    const b = [0.1, 0.1, -0.1, 0.5, -0.5, Infinity, 0.1, -3, 1e-308, -Infinity];
    const out = new Float64Array(a.length);
    binaryKernel("floor_divide", f64(a), [a.length], f64(b), [b.length], out, [a.length]);
    // NumPy: 1//0.1 == 9 and -1//0.1 == -10 (fmod-based), 0.3//0.1 == 2, -0.0//-3 == 0.
    assertValues(out, [9, -10, -10, 10, -10, -1, 2, 0, Infinity, -1]);
  });

  it("pow treats 1**y and (-1)**±Inf as 1 and nan**0 as 1 (C pow)", () => {
    const a = [1, 1, 1, -1, -1, NaN, NaN, 2];
    const b = [NaN, Infinity, -Infinity, Infinity, -Infinity, 0, -0, NaN];
    const out = new Float64Array(a.length);
    binaryKernel("pow", f64(a), [8], f64(b), [8], out, [8]);
    assertValues(out, [1, 1, 1, 1, 1, 1, 1, NaN]);
  });

  it("and/or are logical on bool storage", () => {
    const out = new Uint8Array(4);
    binaryKernel("and", u8([0, 0, 1, 1]), [4], u8([0, 1, 0, 1]), [4], out, [4]);
    assertValues(out, [0, 0, 0, 1]);
    binaryKernel("or", u8([0, 0, 1, 1]), [4], u8([0, 1, 0, 1]), [4], out, [4]);
    assertValues(out, [0, 1, 1, 1]);
  });

  it("max/min work on bool storage", () => {
    const out = new Uint8Array(4);
    binaryKernel("max", u8([0, 0, 1, 1]), [4], u8([0, 1, 0, 1]), [4], out, [4]);
    assertValues(out, [0, 1, 1, 1]);
    binaryKernel("min", u8([0, 0, 1, 1]), [4], u8([0, 1, 0, 1]), [4], out, [4]);
    assertValues(out, [0, 0, 0, 1]);
  });

  it("computes float32 in double and rounds on store", () => {
    const a = Float32Array.from([0.1, 1e30, 3]);
    const b = Float32Array.from([0.2, 1e30, 7]);
    const out = new Float32Array(3);
    binaryKernel("add", a, [3], b, [3], out, [3]);
    assertValues(out, [Math.fround(Math.fround(0.1) + Math.fround(0.2)), Math.fround(2e30), 10]);
    binaryKernel("mul", a, [3], b, [3], out, [3]);
    assertValues(out.subarray(1), [Infinity, 21]);
    binaryKernel("div", a, [3], b, [3], out, [3]);
    assert.equal(out[2], Math.fround(3 / 7));
  });

  const cases: [Shape, Shape, Shape, string][] = [
    [[3, 4], [], [3, 4], "array and scalar"],
    [[], [3, 4], [3, 4], "scalar and array"],
    [[1], [5], [5], "size-1 vector and vector"],
    [[3, 4], [4], [3, 4], "row"],
    [[3, 1], [3, 4], [3, 4], "column on the left"],
    [[3, 4], [3, 1], [3, 4], "column on the right"],
    [[2, 1, 3], [4, 1], [2, 4, 3], "rank-differing outer product"],
    [[4, 1, 1], [1, 1, 3], [4, 1, 3], "size-1 dims everywhere"],
    [[2, 3, 70], [70], [2, 3, 70], "long rows (subarray path)"],
    [[3, 70], [3, 1], [3, 70], "long rows, column on the right"],
    [[3, 1], [3, 70], [3, 70], "long rows, column on the left"],
    [[5, 1, 70], [1, 3, 70], [5, 3, 70], "long rows, both broadcast"],
    [[2, 1, 3, 1], [1, 4, 1, 5], [2, 4, 3, 5], "interleaved broadcast dims"],
    [[1, 1], [1], [1, 1], "all size 1"],
  ];
  for (const [aShape, bShape, outShape, name] of cases) {
    it(`broadcasts ${name}: ${JSON.stringify(aShape)} with ${JSON.stringify(bShape)}`, () => {
      const a = ramp(sizeOf(aShape), 1);
      const b = ramp(sizeOf(bShape), 2).map((v) => v + 0.5);
      const ops: [BinaryOp, (x: number, y: number) => number][] = [
        ["sub", (x, y) => x - y],
        ["div", (x, y) => x / y],
        ["max", (x, y) => (x > y ? x : y)],
        ["lt", (x, y) => (x < y ? 1 : 0)],
      ];
      for (const [op, f] of ops) {
        const n = sizeOf(outShape);
        const out = op === "lt" ? new Uint8Array(n) : new Float64Array(n);
        binaryKernel(op, a, aShape, b, bShape, out, outShape);
        assertValues(out, naiveBinary(f, a, aShape, b, bShape, outShape), 0, op);
        // The same through float32 and int32 storage.
        const a32 = Float32Array.from(a);
        const b32 = Float32Array.from(b);
        const o32 = op === "lt" ? new Uint8Array(n) : new Float32Array(n);
        binaryKernel(op, a32, aShape, b32, bShape, o32, outShape);
        const expected32 = naiveBinary(f, a32, aShape, b32, bShape, outShape).map(Math.fround);
        assertValues(o32, expected32, 0, `${op} float32`);
      }
      const ai = Int32Array.from(a);
      const bi = Int32Array.from(b, (v) => v * 1000003);
      const oi = new Int32Array(sizeOf(outShape));
      binaryKernel("mul", ai, aShape, bi, bShape, oi, outShape);
      assertValues(oi, naiveBinary(Math.imul, ai, aShape, bi, bShape, outShape), 0, "int32 mul");
    });
  }

  it("does nothing for an empty output", () => {
    const out = new Float64Array(0);
    binaryKernel("add", new Float64Array(0), [0, 3], f64([1, 2, 3]), [3], out, [0, 3]);
    binaryKernel("add", new Float64Array(0), [0], new Float64Array(0), [0], out, [0]);
    assert.equal(out.length, 0);
  });
});

// ---------------------------------------------------------------------------
// Select and convert

describe("selectKernel", () => {
  it("picks elementwise with equal shapes", () => {
    const out = new Float64Array(4);
    selectKernel(u8([1, 0, 0, 1]), [4], f64([1, 2, 3, 4]), [4], f64([-1, -2, -3, -4]), [4], out, [
      4,
    ]);
    assertValues(out, [1, -2, -3, 4]);
  });

  it("broadcasts all three operands", () => {
    const pred = u8([1, 0, 1]); // [3, 1]
    const a = f64([10, 20, 30, 40]); // [4]
    const b = f64([-7]); // []
    const out = new Float64Array(12);
    selectKernel(pred, [3, 1], a, [4], b, [], out, [3, 4]);
    assertValues(out, [10, 20, 30, 40, -7, -7, -7, -7, 10, 20, 30, 40]);
    const out2 = new Int32Array(6);
    selectKernel(u8([0, 1]), [2], i32([1, 2, 3]), [3, 1], i32([9]), [1, 1], out2, [3, 2]);
    assertValues(out2, [9, 1, 9, 2, 9, 3]);
  });
});

describe("convertKernel", () => {
  it("truncates floats toward zero into int32, NaN to 0, saturating out of range (JAX's values)", () => {
    const out = new Int32Array(9);
    convertKernel(
      f64([2.7, -2.7, -0, NaN, Infinity, -Infinity, 3e9, 2147483647.9, -2147483648.9]),
      out,
    );
    assertValues(out, [
      2,
      -2,
      0,
      0,
      2147483647,
      -2147483648,
      2147483647,
      2147483647,
      -2147483648,
    ]);
  });

  it("converts to bool as x !== 0 (NaN is true)", () => {
    const out = new Uint8Array(5);
    convertKernel(f64([0, -0, NaN, 0.1, -3]), out);
    assertValues(out, [0, 0, 1, 1, 1]);
    convertKernel(i32([0, 5, -1, 0, 2]), out);
    assertValues(out, [0, 1, 1, 0, 1]);
  });

  it("widens exactly and narrows to float32 by rounding", () => {
    const f = new Float64Array(3);
    convertKernel(i32([-2147483648, 1, 2147483647]), f);
    assertValues(f, [-2147483648, 1, 2147483647]);
    convertKernel(u8([1, 0, 1]), f);
    assertValues(f, [1, 0, 1]);
    const g = new Float32Array(3);
    convertKernel(f64([0.1, 1e40, -0]), g);
    assertValues(g, [Math.fround(0.1), Infinity, -0]);
    const h = new Int32Array(3);
    convertKernel(u8([1, 0, 1]), h);
    assertValues(h, [1, 0, 1]);
  });
});

// ---------------------------------------------------------------------------
// Reductions

describe("reduceKernel", () => {
  const axisSets: [Shape, number[][]][] = [
    [[2, 3, 4], [[], [0], [1], [2], [0, 1], [1, 2], [0, 2], [0, 1, 2]]],
    [[3, 1, 4, 1, 2], [[0], [1], [0, 2], [1, 3], [2, 4], [0, 4], [0, 1, 2, 3, 4], [3]]],
    [[5], [[0], []]],
    [[130, 3], [[0], [1], [0, 1]]],
    [[3, 300], [[0], [1]]],
  ];
  for (const op of ["sum", "prod", "max", "min"] as const) {
    for (const [shape, sets] of axisSets) {
      it(`${op} over every axis set of ${JSON.stringify(shape)} matches a naive reduction`, () => {
        // prod stays exact with values in {-1, 1, 2}; the others use integers in [-5, 5].
        const x = op === "prod"
          ? ramp(sizeOf(shape)).map((v) => (v % 3 === 0 ? 2 : v > 0 ? 1 : -1))
          : ramp(sizeOf(shape));
        for (const axes of sets) {
          const outShape = shape.filter((_, d) => !axes.includes(d));
          const out = new Float64Array(sizeOf(outShape));
          reduceKernel(op, x, shape, axes, out);
          assertValues(out, naiveReduce(op, x, shape, axes), 0, `${op} ${JSON.stringify(axes)}`);
          const xi = Int32Array.from(x);
          const outI = new Int32Array(out.length);
          reduceKernel(op, xi, shape, axes, outI);
          // Exact products are ±2^k, so wrapping them is ToInt32 of the exact value.
          assertValues(
            outI,
            Int32Array.from(naiveReduce(op, x, shape, axes)),
            0,
            `int32 ${op} ${JSON.stringify(axes)}`,
          );
        }
      });
    }
  }

  it("sums float64 in NumPy's pairwise order (bit-exact against NumPy)", () => {
    const x = new Float64Array(1000);
    for (let i = 0; i < 1000; i++) x[i] = 1 / (i + 1);
    const out = new Float64Array(1);
    reduceKernel("sum", x, [1000], [0], out);
    assert.equal(out[0], 7.485470860550345); // a naive loop gives 7.485470860550343
    reduceKernel("sum", x.subarray(0, 300), [300], [0], out);
    assert.equal(out[0], 6.282663880299504);
    const y = new Float64Array(1000);
    for (let i = 0; i < 1000; i++) y[i] = (i % 97) + 0.1;
    reduceKernel("sum", y, [1000], [0], out);
    assert.equal(out[0], 47095.000000000015); // a naive loop gives 47094.99999999916
    // Trailing axis of a matrix: pairwise per row.
    const rows = new Float64Array(4);
    reduceKernel("sum", x, [4, 250], [1], rows);
    assertValues(rows, [
      6.100675249432579,
      0.6921481805579452,
      0.40513195995990925,
      0.28751547059991106,
    ]);
    // Leading axis: NumPy accumulates whole rows in order.
    const cols = new Float64Array(4);
    reduceKernel("sum", x, [250, 4], [0], cols);
    assertValues(cols, [
      2.4369786547262615,
      1.8712429026371167,
      1.6520804908288178,
      1.5251688123581448,
    ]);
  });

  it("accumulates float32 leading-axis sums in float32 like NumPy", () => {
    const x = new Float32Array(20).fill(0.1);
    const out = new Float32Array(2);
    reduceKernel("sum", x, [10, 2], [0], out);
    assertValues(out, [1.0000001192092896, 1.0000001192092896]);
    const all = new Float32Array(1);
    reduceKernel("sum", x, [10, 2], [0, 1], all);
    assert.ok(Math.abs(all[0] - 2) < 1e-6);
  });

  it("wraps int32 sums and products", () => {
    const out = new Int32Array(1);
    reduceKernel("sum", i32([2147483647, 1, 5]), [3], [0], out);
    assert.equal(out[0], -2147483643);
    reduceKernel("prod", i32([65536, 65536, 3]), [3], [0], out);
    assert.equal(out[0], 0);
    reduceKernel("prod", i32([46341, 46341]), [2], [0], out);
    assert.equal(out[0], -2147479015);
    const cols = new Int32Array(2);
    reduceKernel("sum", i32([2147483647, 1, 1, 1]), [2, 2], [0], cols);
    assertValues(cols, [-2147483648, 2]);
  });

  it("gives 0 and 1 for empty sums and products, and sums -0 to 0", () => {
    const out = new Float64Array(2);
    reduceKernel("sum", new Float64Array(0), [2, 0], [1], out);
    assertValues(out, [0, 0]);
    reduceKernel("prod", new Float64Array(0), [2, 0], [1], out);
    assertValues(out, [1, 1]);
    const one = new Float64Array(1);
    reduceKernel("sum", new Float64Array(0), [0], [0], one);
    assertValues(one, [0]);
    reduceKernel("sum", f64([-0, -0]), [2], [0], one);
    assertValues(one, [0]);
    reduceKernel("sum", f64([-0, -0, -0, -0]), [2, 2], [0], out);
    assertValues(out, [0, 0]);
  });

  it("throws a RangeError naming the op for max/min/argmax/argmin of an empty axis", () => {
    for (const op of ["max", "min", "argmax", "argmin"] as ReduceOp[]) {
      const out = op.startsWith("arg") ? new Int32Array(2) : new Float64Array(2);
      assert.throws(
        () => reduceKernel(op, new Float64Array(0), [2, 0], [1], out),
        (e: unknown) =>
          e instanceof RangeError &&
          e.message === `Cannot reduce an empty axis with ${op}: the operation has no identity`,
      );
    }
    // NumPy also refuses when the output is empty too.
    assert.throws(
      () => reduceKernel("max", new Float64Array(0), [0, 0], [0], new Float64Array(0)),
      RangeError,
    );
    // ...but not when the reduced axis is non-empty.
    reduceKernel("max", new Float64Array(0), [0, 3], [1], new Float64Array(0));
  });

  it("propagates NaN through max and min", () => {
    const out = new Float64Array(1);
    reduceKernel("max", f64([1, NaN, 3]), [3], [0], out);
    assert.ok(Number.isNaN(out[0]));
    reduceKernel("min", f64([NaN, 1, -3]), [3], [0], out);
    assert.ok(Number.isNaN(out[0]));
    const cols = new Float64Array(2);
    reduceKernel("max", f64([1, 2, NaN, 0, 5, 9]), [3, 2], [0], cols);
    assertValues(cols, [NaN, 9]);
    reduceKernel("min", f64([1, 2, 0, NaN, 5, 9]), [3, 2], [0], cols);
    assertValues(cols, [0, NaN]);
    reduceKernel("max", f64([-Infinity, -Infinity]), [2], [0], out);
    assertValues(out, [-Infinity]);
  });

  it("max/min on bool storage give any/all", () => {
    const out = new Uint8Array(2);
    reduceKernel("max", u8([0, 0, 0, 1]), [2, 2], [1], out);
    assertValues(out, [0, 1]);
    reduceKernel("min", u8([1, 1, 0, 1]), [2, 2], [1], out);
    assertValues(out, [1, 0]);
    reduceKernel("max", u8([0, 0, 0, 1]), [2, 2], [0], out);
    assertValues(out, [0, 1]);
  });

  it("argmax/argmin return the first extremum along each axis", () => {
    const shape = [3, 4, 5];
    const x = ramp(60).map((v) => Math.abs(v));
    for (let axis = 0; axis < 3; axis++) {
      const n = 60 / shape[axis];
      const amax = new Int32Array(n);
      reduceKernel("argmax", x, shape, [axis], amax);
      assertValues(amax, naiveArg(true, x, shape, axis), 0, `argmax ${axis}`);
      const amin = new Int32Array(n);
      reduceKernel("argmin", x, shape, [axis], amin);
      assertValues(amin, naiveArg(false, x, shape, axis), 0, `argmin ${axis}`);
    }
    const out = new Int32Array(1);
    reduceKernel("argmax", f64([1, 3, 3, 2]), [4], [0], out);
    assert.equal(out[0], 1);
    reduceKernel("argmin", i32([4, -1, 2, -1]), [4], [0], out);
    assert.equal(out[0], 1);
  });

  it("argmax/argmin treat the first NaN as the extremum (NumPy)", () => {
    const out = new Int32Array(1);
    reduceKernel("argmax", f64([1, NaN, 3, NaN]), [4], [0], out);
    assert.equal(out[0], 1);
    reduceKernel("argmin", f64([1, NaN, 0]), [3], [0], out);
    assert.equal(out[0], 1);
    reduceKernel("argmax", f64([NaN, 5]), [2], [0], out);
    assert.equal(out[0], 0);
    // Strided axis: columns [1, NaN, 7], [NaN, 2, 9], [3, 4, NaN].
    const cols = new Int32Array(3);
    const x = f64([1, NaN, 3, NaN, 2, 4, 7, 9, NaN]);
    reduceKernel("argmax", x, [3, 3], [0], cols);
    assertValues(cols, [1, 0, 2]);
    reduceKernel("argmin", x, [3, 3], [0], cols);
    assertValues(cols, [1, 0, 2]);
  });
});

describe("cumsumKernel", () => {
  const x = f64([1, 2, 3, 4, 5, 6]); // [2, 3]

  it("accumulates along each axis, forwards and in reverse", () => {
    const out = new Float64Array(6);
    cumsumKernel(x, [2, 3], 1, false, out);
    assertValues(out, [1, 3, 6, 4, 9, 15]);
    cumsumKernel(x, [2, 3], 1, true, out);
    assertValues(out, [6, 5, 3, 15, 11, 6]);
    cumsumKernel(x, [2, 3], 0, false, out);
    assertValues(out, [1, 2, 3, 5, 7, 9]);
    cumsumKernel(x, [2, 3], 0, true, out);
    assertValues(out, [5, 7, 9, 4, 5, 6]);
  });

  it("handles a middle axis of a rank-3 array", () => {
    const y = ramp(24);
    const out = new Float64Array(24);
    for (const reverse of [false, true]) {
      cumsumKernel(y, [2, 3, 4], 1, reverse, out);
      const expected: number[] = new Array(24);
      for (let a = 0; a < 2; a++) {
        for (let c = 0; c < 4; c++) {
          let s = 0;
          for (let k = 0; k < 3; k++) {
            const b = reverse ? 2 - k : k;
            s += y[a * 12 + b * 4 + c];
            expected[a * 12 + b * 4 + c] = s;
          }
        }
      }
      assertValues(out, expected, 0, `reverse=${reverse}`);
    }
  });

  it("keeps -0 in the first position, as NumPy does", () => {
    const out = new Float64Array(2);
    cumsumKernel(f64([-0, -0]), [2], 0, false, out);
    assertValues(out, [-0, -0]);
  });

  it("accumulates float32 in float32 and wraps int32", () => {
    const out = new Float32Array(10);
    cumsumKernel(new Float32Array(10).fill(0.1), [10], 0, false, out);
    assertValues(out, [
      0.10000000149011612,
      0.20000000298023224,
      0.30000001192092896,
      0.4000000059604645,
      0.5,
      0.6000000238418579,
      0.7000000476837158,
      0.8000000715255737,
      0.9000000953674316,
      1.0000001192092896,
    ]);
    cumsumKernel(new Float32Array(10).fill(0.1), [10], 0, true, out);
    assert.equal(out[0], 1.0000001192092896);
    assert.equal(out[9], 0.10000000149011612);
    const wrapped = new Int32Array(3);
    cumsumKernel(i32([2147483647, 1, 1]), [3], 0, false, wrapped);
    assertValues(wrapped, [2147483647, -2147483648, -2147483647]);
  });

  it("accepts empty arrays", () => {
    const out = new Float64Array(0);
    cumsumKernel(new Float64Array(0), [0, 3], 1, false, out);
    cumsumKernel(new Float64Array(0), [3, 0], 1, true, out);
    assert.equal(out.length, 0);
  });
});
