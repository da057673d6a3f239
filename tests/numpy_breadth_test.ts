// The NumPy families of issue 11 (item 5) against JAX (tests/fixtures/numpy_breadth/
// numpy_breadth.json, made by make_fixtures.py beside it): values of every case,
// gradients of weighted sums against jax.grad, checkGrads where JAX differentiates,
// vmap against a loop, and bad arguments.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { type Array, grad, lax, np } from "../mod.ts";
import { checkGrads, checkVmap } from "../src/testing.ts";
import { assertAllClose } from "./_assert.ts";

interface Enc {
  shape?: number[];
  dtype?: string;
  v?: (number | string | null)[];
  list?: Enc[];
}
const fx = JSON.parse(
  readFileSync(new URL("./fixtures/numpy_breadth/numpy_breadth.json", import.meta.url), "utf8"),
) as {
  inputs: Record<string, Enc>;
  extraInputs: Record<string, Enc>;
  values: Record<string, Enc>;
  grads: Record<string, { args: string[]; value: number; grad: Enc[] }>;
};

const num = (v: number | string | null): number =>
  v === null ? NaN : v === "inf" ? Infinity : v === "-inf" ? -Infinity : (v as number);
function dec(e: Enc): Array {
  return np.array(e.v!.map(num)).reshape(e.shape!);
}
const I: Record<string, Array> = Object.fromEntries(
  [...Object.entries(fx.inputs), ...Object.entries(fx.extraInputs)].map(([k, v]) => [k, dec(v)]),
);
const {
  x5,
  x8,
  m34,
  m23,
  m33,
  t234,
  p3,
  p4,
  p2,
  xs,
  srt,
  ph,
  ints,
  withnan,
  sparse,
  dup,
  fx: fxs,
  fy,
} = I;
const i32 = (v: number[] | number[][]): Array => np.array(v, "int32");

type Out = Array | Array[] | boolean;
/** nabla's dtype for a JAX dtype (JAX's int64 is nabla's int32). */
const dtypeOf = (d: string): string => (d === "int64" ? "int32" : d);

function close(got: Out, want: Enc, name: string, tol = 1e-12): void {
  if (want.list !== undefined) {
    assert.ok(globalThis.Array.isArray(got), `${name}: expected a list`);
    assert.equal((got as Array[]).length, want.list.length, `${name}: list length`);
    want.list.forEach((w, i) => close((got as Array[])[i], w, `${name}[${i}]`, tol));
    return;
  }
  const g = got as Array;
  assert.deepEqual(g.shape, want.shape, `${name}: shape`);
  assert.equal(g.dtype, dtypeOf(want.dtype!), `${name}: dtype`);
  const w = want.v!.map(num);
  const scale = Math.max(1, ...w.filter(Number.isFinite).map(Math.abs));
  assertAllClose(np.ravel(g.astype("float64")), w, { atol: tol * scale, rtol: tol, msg: name });
}

const calls: Record<string, () => Out> = {
  "indices 2x3": () => np.indices([2, 3]),
  "indices sparse": () => np.indices([2, 3], { sparse: true }),
  "diagIndices 3": () => np.diagIndices(3),
  "diagIndices 2 ndim3": () => np.diagIndices(2, 3),
  "diagIndicesFrom m33": () => np.diagIndicesFrom(m33),
  "fromfunction": () =>
    np.fromfunction((i, j) => np.add(np.multiply(i, 10), np.multiply(j, j)), [3, 4]),
  "tri 3": () => np.tri(3),
  "tri 3x4 k1": () => np.tri(3, 4, 1),
  "tri 4x3 k-1": () => np.tri(4, 3, -1),
  "diagflat x5": () => np.diagflat(x5.get(":3")),
  "diagflat m23 k-1": () => np.diagflat(m23, -1),
  "takeAlongAxis m34 ax1": () => np.takeAlongAxis(m34, np.argsort(m34, 1), 1),
  "takeAlongAxis m34 ax0": () => np.takeAlongAxis(m34, i32([[2, 0, 1, 1]]), 0),
  "takeAlongAxis flat": () => np.takeAlongAxis(m34, i32([11, 0, 5]), null),
  "putAlongAxis m34": () => np.putAlongAxis(m34, i32([[1], [0], [3]]), 9, 1),
  "putAlongAxis m34 ax0": () =>
    np.putAlongAxis(m34, i32([[2, 0, 1, 0]]), np.array([[1, 2, 3, 4]]), 0),
  "vander x5": () => np.vander(x5),
  "vander x5 N3 inc": () => np.vander(x5, 3, true),
  "trapezoid x8": () => np.trapezoid(x8),
  "trapezoid fy fx": () => np.trapezoid(fy, fxs),
  "trapezoid m34 dx ax0": () => np.trapezoid(m34, { dx: 0.5, axis: 0 }),
  "unwrap ph": () => np.unwrap(ph),
  "unwrap ph discont4": () => np.unwrap(ph, { discont: 4 }),
  "unwrap ph period5": () => np.unwrap(ph, { period: 5 }),
  "ediff1d m23": () => np.ediff1d(m23),
  "ediff1d ends": () => np.ediff1d(x5, { toEnd: np.array([7, 8]), toBegin: -1 }),
  "geomspace 1 1000 4": () => np.geomspace(1, 1000, 4),
  "geomspace 2 0.1 5 noend": () => np.geomspace(2, 0.1, 5, { endpoint: false }),
  "geomspace -1 -100 3": () => np.geomspace(-1, -100, 3),
  "signbit": () => np.signbit(np.array([-1, 0, -0, 2, -Infinity])),
  "fmax": () => np.fmax(withnan, np.array([0, 1, NaN, 0, NaN, -1])),
  "fmin": () => np.fmin(withnan, np.array([0, 1, NaN, 0, NaN, -1])),
  "fmod": () => np.fmod(xs, 1.5),
  "fmod neg divisor": () => np.fmod(xs, -0.75),
  "modf": () => np.modf(np.multiply(xs, 1.3)),
  "divmod": () => np.divmod(xs, 0.75),
  "divmod neg": () => np.divmod(xs, -1.25),
  "floatPower": () => np.floatPower(np.abs(xs), 1.5),
  "nanToNum": () => np.nanToNum(withnan),
  "nanToNum opts": () => np.nanToNum(withnan, { nan: -9, posinf: 100, neginf: -100 }),
  "rint": () => np.rint(np.array([-2.5, -1.5, -0.5, 0.5, 1.5, 2.4, 2.6])),
  "logaddexp2": () => np.logaddexp2(x5, np.multiply(np.flip(x5), 3)),
  "isneginf": () => np.isneginf(withnan),
  "isposinf": () => np.isposinf(withnan),
  "heaviside": () => np.heaviside(xs, 0.5),
  "heaviside arr": () => np.heaviside(np.array([-1, 0, 0, 2]), np.array([0.1, 0.2, 0.3, 0.4])),
  "arrayEqual same": () => np.arrayEqual(m23, m23),
  "arrayEqual diff": () => np.arrayEqual(m23, np.add(m23, 1e-9)),
  "arrayEqual shape": () => np.arrayEqual(x5, x8),
  "arrayEqual nan": () => np.arrayEqual(withnan, withnan),
  "arrayEqual nan eq": () => np.arrayEqual(withnan, withnan, { equalNan: true }),
  "arrayEquiv bcast": () => np.arrayEquiv(np.array([1, 2]), np.array([[1, 2], [1, 2]])),
  "arrayEquiv no": () => np.arrayEquiv(np.array([1, 2]), np.array([[1, 2], [1, 3]])),
  "bartlett 5": () => np.bartlett(5),
  "bartlett 6": () => np.bartlett(6),
  "blackman 7": () => np.blackman(7),
  "hamming 6": () => np.hamming(6),
  "hanning 7": () => np.hanning(7),
  "hanning 1": () => np.hanning(1),
  "kaiser 8 5": () => np.kaiser(8, 5),
  "kaiser 9 14": () => np.kaiser(9, 14),
  "kaiser 6 0.5": () => np.kaiser(6, 0.5),
  "kaiser 7 200": () => np.kaiser(7, 200),
};

const calls2: Record<string, () => Out> = {
  "rot90 m34": () => np.rot90(m34),
  "rot90 m34 k2": () => np.rot90(m34, 2),
  "rot90 m34 k-1": () => np.rot90(m34, -1),
  "rot90 t234 k3 axes12": () => np.rot90(t234, 3, [1, 2]),
  "arraySplit x8 3": () => np.arraySplit(x8, 3),
  "arraySplit m34 3 ax1": () => np.arraySplit(m34, 3, 1),
  "arraySplit x5 [1,3]": () => np.arraySplit(x5, [1, 3]),
  "hsplit m34 2": () => np.hsplit(m34, 2),
  "hsplit x8 [3]": () => np.hsplit(x8, [3]),
  "vsplit t234 2": () => np.vsplit(t234, 2),
  "dsplit t234 [1,3]": () => np.dsplit(t234, [1, 3]),
  "unstack m34": () => np.unstack(m34),
  "unstack m34 ax1": () => np.unstack(m34, { axis: 1 }),
  "insert x5 2": () => np.insert(x5, 2, 9),
  "insert x5 list": () => np.insert(x5, [0, 2, 2, 5], np.array([7, 8, 9, 10])),
  "insert m23 ax1": () => np.insert(m23, 1, np.array([[5], [6]]), 1),
  "insert m23 row": () => np.insert(m23, 2, 0, 0),
  "insert m23 flat": () => np.insert(m23, 3, -1),
  "delete x5 1": () => np.delete(x5, 1),
  "delete x5 list": () => np.delete(x5, [0, 3, -1]),
  "delete m34 ax1": () => np.delete(m34, [0, 2], 1),
  "delete m34 flat": () => np.delete(m34, 5),
};
Object.assign(calls, calls2);

Object.assign(calls, {
  "polyval p4 xs": () => np.polyval(p4, xs),
  "polyval p3 m23": () => np.polyval(p3, m23),
  "polyadd p3 p4": () => np.polyadd(p3, p4),
  "polysub p2 p4": () => np.polysub(p2, p4),
  "polymul p3 p4": () => np.polymul(p3, p4),
  "polydiv p4 p3": () => np.polydiv(p4, p3),
  "polydiv p4 p2": () => np.polydiv(p4, p2),
  "polyder p4": () => np.polyder(p4),
  "polyder p4 m2": () => np.polyder(p4, 2),
  "polyint p3": () => np.polyint(p3),
  "polyint p3 m2 k": () => np.polyint(p3, 2, np.array([1, -2])),
  "polyint p3 k scalar": () => np.polyint(p3, 1, 3),
  "polyfit deg2": () => np.polyfit(fxs, fy, 2),
  "polyfit deg3 w": () => np.polyfit(fxs, fy, 3, { w: np.add(1, fxs) }),
} as Record<string, () => Out>);

const cnt = i32([1, 3, 0, 3, 5, 1, 1]);
Object.assign(calls, {
  "isin dup ints": () => np.isin(dup, ints),
  "isin dup ints invert": () => np.isin(dup, ints, { invert: true }),
  "searchsorted left": () => np.searchsorted(srt, np.array([-2, 0, 0.5, 2, 5])),
  "searchsorted right": () => np.searchsorted(srt, np.array([-2, 0, 0.5, 2, 5]), { side: "right" }),
  "searchsorted 2d v": () => np.searchsorted(srt, m23),
  "searchsorted sorter": () =>
    np.searchsorted(dup, np.array([1, 2.5, 3]), { sorter: np.argsort(dup) }),
  "digitize": () => np.digitize(xs, np.array([-1, 0, 1, 2])),
  "digitize right": () => np.digitize(xs, np.array([-1, 0, 1, 2]), true),
  "digitize decreasing": () => np.digitize(xs, np.array([2, 1, 0, -1])),
  "bincount": () => np.bincount(cnt, { length: 7 }),
  "bincount weights": () => np.bincount(cnt, { weights: x8.get(":7"), length: 6 }),
  "bincount minlength": () => np.bincount(i32([1, 2]), { minlength: 4, length: 4 }),
  "histogram": () => np.histogram(x8, 4),
  "histogram range": () => np.histogram(x8, 5, { range: [-1, 1] }),
  "histogram bins density": () =>
    np.histogram(x8, np.array([-3, -0.5, 0, 0.7, 3]), { density: true }),
  "histogram weights": () => np.histogram(x8, 3, { weights: np.abs(x8) }),
  "cov m34": () => np.cov(m34),
  "cov m34 T bias": () => np.cov(m34, { rowvar: false, bias: true }),
  "cov x5 y": () => np.cov(x5, np.square(x5)),
  "cov ddof0": () => np.cov(m34, { ddof: 0 }),
  "cov fweights aweights": () =>
    np.cov(m34, { fweights: np.array([1, 2, 1, 3]), aweights: np.array([0.5, 1, 2, 1]) }),
  "corrcoef m34": () => np.corrcoef(m34),
  "corrcoef x5 y": () => np.corrcoef(x5, np.sin(x5)),
  "nonzero sparse": () => np.nonzero(sparse, { size: 4 }),
  "nonzero sparse fill": () => np.nonzero(sparse, { size: 5, fillValue: -1 }),
  "nonzero size2": () => np.nonzero(sparse, { size: 2 }),
  "argwhere sparse": () => np.argwhere(sparse, { size: 4 }),
  "argwhere fill": () => np.argwhere(sparse, { size: 5, fillValue: 9 }),
  "flatnonzero": () => np.flatnonzero(sparse, { size: 4 }),
  "flatnonzero fill": () => np.flatnonzero(sparse, { size: 6, fillValue: -2 }),
  "unique dup": () => np.unique(dup, { size: 4 }),
  "unique dup fill": () => np.unique(dup, { size: 6, fillValue: -1 }),
  "unique dup small": () => np.unique(dup, { size: 2 }),
  "unique all": () =>
    np.unique(dup, { returnIndex: true, returnInverse: true, returnCounts: true, size: 5 }),
  "unique nan": () => np.unique(np.array([2, NaN, 1, NaN, 2]), { size: 3 }),
  "unique 2d": () => np.unique(np.array([[2, 1], [1, 3]]), { size: 3 }),
} as Record<string, () => Out>);

Object.assign(calls, {
  "matvec": () => np.matvec(m34, x8.get(":4")),
  "matvec batch": () => np.matvec(t234, t234.get(":", 0, ":")),
  "vecmat": () => np.vecmat(x5.get(":3"), m34),
  "vecmat batch": () => np.vecmat(m23, t234),
  "einsum sublist": () => np.einsum(m34, [0, 1], m34, [2, 1], [0, 2]),
  "einsum sublist trace": () => np.einsum(m33, [0, 0]),
  "einsum sublist 3": () => np.einsum(m23, [0, 1], m34, [1, 2], x8.get(":4"), [2], [0]),
  "einsum sublist ellipsis": () => np.einsum(t234, ["...", 1], x8.get(":4"), [1], ["..."]),
  "applyAlongAxis sort": () =>
    np.applyAlongAxis((r: Array) => np.multiply(np.cumsum(r), r.get(0)), 1, m34),
  "applyAlongAxis ax0 scalar": () =>
    np.applyAlongAxis((r: Array) => np.sum(np.multiply(r, r)), 0, m34),
  "applyAlongAxis t234 mat": () =>
    np.applyAlongAxis((r: Array) => np.outer(r, r.get(":2")), 1, t234),
  "piecewise": () =>
    np.piecewise(xs, [np.less(xs, 0), np.greater(xs, 1)], [
      (v: Array) => np.negative(v),
      (v: Array) => np.multiply(v, v),
      0.5,
    ]),
  "piecewise consts": () => np.piecewise(xs, [np.less(xs, 0)], [-1, 1]),
} as Record<string, () => Out>);

Object.assign(calls, {
  "lax.dynamicSlice": () => lax.dynamicSlice(m34, [1, 1], [2, 2]),
  "lax.dynamicSlice clamp": () => lax.dynamicSlice(m34, [2, 3], [2, 3]),
  "lax.dynamicSlice neg": () => lax.dynamicSlice(m34, [-1, -2], [1, 2]),
  "lax.dynamicUpdateSlice": () => lax.dynamicUpdateSlice(m34, np.ones([2, 2]), [1, 1]),
  "lax.dynamicUpdateSlice clamp": () => lax.dynamicUpdateSlice(m34, np.full([2, 3], 7), [5, 2]),
  "lax.sort": () => lax.sort(m34),
  "lax.sort dim0": () => lax.sort(m34, { dimension: 0 }),
  "lax.sort multi": () => lax.sort([dup, x8.get(":7")], { numKeys: 1 }),
  "lax.sort 2 keys": () =>
    lax.sort([np.array([1, 0, 1, 0]), np.array([2, 3, 1, 3]), np.array([10, 20, 30, 40])], {
      numKeys: 2,
    }),
  "lax.topK": () => lax.topK(m34, 2),
  "lax.topK ties": () => lax.topK(dup, 4),
  "lax.topK axis0": () => lax.topK(m34, 2, { axis: 0 }),
  "lax.select": () => lax.select(np.greater(m23, 0), m23, np.multiply(np.negative(m23), 2)),
  "lax.pad": () => lax.pad(m23, 0.5, [[1, 2, 0], [0, 1, 1]]),
  "lax.pad neg": () => lax.pad(m34, -1, [[-1, 1, 0], [2, -2, 1]]),
  "lax.dotGeneral": () => lax.dotGeneral(t234, m34, [[[2], [1]], [[], []]]),
  "lax.dotGeneral batch": () => lax.dotGeneral(t234, t234, [[[2], [2]], [[0], [0]]]),
  "lax.broadcastInDim": () => lax.broadcastInDim(x5.get(":3"), [2, 3, 4], [1]),
  "lax.broadcastInDim 2": () => lax.broadcastInDim(m23.get(":", ":1"), [4, 2, 5], [1, 2]),
  "lax.reduce sum": () => lax.reduce(t234, 0, np.add, [0, 2]),
  "lax.reduce max": () => lax.reduce(m34, -Infinity, np.maximum, [1]),
  "lax.reduce mul": () => lax.reduce(x5, 1, np.multiply, [0]),
} as Record<string, () => Out>);

describe("numpy breadth: values against JAX", () => {
  for (const [name, f] of Object.entries(calls)) {
    it(name, () => {
      const want = fx.values[name];
      assert.ok(want !== undefined, `no fixture for ${name}`);
      close(f(), want, name);
    });
  }
});
