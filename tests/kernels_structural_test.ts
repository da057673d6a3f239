// Structural and matmul kernels: hand-checked values, then random shapes of
// rank 0..4 against obviously-correct index-by-index references.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import {
  broadcastKernel,
  concatenateKernel,
  padKernel,
  revKernel,
  scatterAddKernel,
  sliceKernel,
  takeKernel,
  transposeKernel,
} from "../src/array/kernels/structural.ts";
import { matmulKernel, setWasmMatmul } from "../src/array/kernels/matmul.ts";

type Shape = readonly number[];

// --- helpers --------------------------------------------------------------

function size(shape: Shape): number {
  return shape.reduce((a, b) => a * b, 1);
}

function iota(n: number): Float64Array {
  return Float64Array.from({ length: n }, (_, i) => i + 1);
}

/** Every multi-index of `shape` in row-major order. */
function* indices(shape: Shape): Generator<number[]> {
  if (shape.some((d) => d === 0)) return;
  const idx = new Array<number>(shape.length).fill(0);
  for (;;) {
    yield idx.slice();
    let d = shape.length - 1;
    while (d >= 0 && ++idx[d] === shape[d]) idx[d--] = 0;
    if (d < 0) return;
  }
}

function flat(idx: readonly number[], shape: Shape): number {
  let f = 0;
  for (let d = 0; d < shape.length; d++) f = f * shape[d] + idx[d];
  return f;
}

/** A deterministic pseudo-random generator (mulberry32). */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function randInt(r: () => number, lo: number, hi: number): number {
  return lo + Math.floor(r() * (hi - lo + 1));
}

function randShape(r: () => number, rank: number, maxDim = 4, allowEmpty = true): number[] {
  return Array.from({ length: rank }, () => randInt(r, allowEmpty && r() < 0.1 ? 0 : 1, maxDim));
}

function permutation(r: () => number, n: number): number[] {
  const p = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = randInt(r, 0, i);
    [p[i], p[j]] = [p[j], p[i]];
  }
  return p;
}

function arr(x: ArrayLike<number>): number[] {
  return Array.from(x);
}

// --- references -----------------------------------------------------------

function refTranspose(x: Float64Array, shape: Shape, perm: readonly number[]): number[] {
  const outShape = perm.map((p) => shape[p]);
  const out: number[] = [];
  for (const i of indices(outShape)) {
    const j = new Array<number>(shape.length);
    perm.forEach((p, a) => (j[p] = i[a]));
    out.push(x[flat(j, shape)]);
  }
  return out;
}

function refSlice(
  x: Float64Array,
  shape: Shape,
  starts: number[],
  limits: number[],
  strides: number[],
): number[] {
  const outShape = shape.map((_, d) => Math.ceil((limits[d] - starts[d]) / strides[d]));
  const out: number[] = [];
  for (const i of indices(outShape)) {
    out.push(x[flat(i.map((v, d) => starts[d] + v * strides[d]), shape)]);
  }
  return out;
}

function padShape(shape: Shape, lo: number[], hi: number[], interior: number[]): number[] {
  return shape.map((d, a) => lo[a] + hi[a] + d + Math.max(d - 1, 0) * interior[a]);
}

function refPad(x: Float64Array, shape: Shape, lo: number[], hi: number[], interior: number[]) {
  const outShape = padShape(shape, lo, hi, interior);
  const out = new Array<number>(size(outShape)).fill(0);
  for (const i of indices(shape)) {
    const o = i.map((v, d) => lo[d] + v * (interior[d] + 1));
    if (o.every((v, d) => v >= 0 && v < outShape[d])) out[flat(o, outShape)] = x[flat(i, shape)];
  }
  return out;
}

function refMatmul(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  batch: number,
  m: number,
  k: number,
  n: number,
  int: boolean,
): number[] {
  const out: number[] = [];
  for (let t = 0; t < batch; t++) {
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < k; p++) {
          const x = a[t * m * k + i * k + p];
          const y = b[t * k * n + p * n + j];
          s = int ? (s + Math.imul(x, y)) | 0 : s + x * y;
        }
        out.push(s);
      }
    }
  }
  return out;
}

// --- transpose ------------------------------------------------------------

describe("transposeKernel", () => {
  it("transposes a 2x3 matrix", () => {
    const out = new Float64Array(6);
    transposeKernel(iota(6), [2, 3], [1, 0], out);
    assert.deepEqual(arr(out), [1, 4, 2, 5, 3, 6]);
  });

  it("permutes a 2x3x2 array with perm [2, 0, 1]", () => {
    const out = new Float64Array(12);
    transposeKernel(iota(12), [2, 3, 2], [2, 0, 1], out);
    // out[c, a, b] = x[a, b, c] = 6a + 2b + c + 1
    assert.deepEqual(arr(out), [1, 3, 5, 7, 9, 11, 2, 4, 6, 8, 10, 12]);
  });

  it("copies a scalar", () => {
    const out = new Float64Array(1);
    transposeKernel(Float64Array.of(7), [], [], out);
    assert.deepEqual(arr(out), [7]);
  });

  it("handles matrices larger than a tile, with odd sizes and a batch axis", () => {
    for (const shape of [[67, 45], [3, 33, 70], [70, 2, 33], [1, 100, 1, 37]]) {
      const x = iota(size(shape));
      const r = rng(shape.length);
      for (let t = 0; t < 4; t++) {
        const perm = permutation(r, shape.length);
        const out = new Float64Array(size(shape));
        transposeKernel(x, shape, perm, out);
        assert.deepEqual(arr(out), refTranspose(x, shape, perm), `${shape} ${perm}`);
      }
    }
  });

  it("uses the tiled path on planes above a million elements", () => {
    const [A, B, C] = [3, 1100, 1001];
    const x = iota(A * B * C);
    const out = new Float64Array(A * B * C);
    transposeKernel(x, [B, C], [1, 0], out.subarray(0, B * C));
    for (let i = 0; i < B; i++) {
      for (let j = 0; j < C; j++) assert.equal(out[j * B + i], x[i * C + j]);
    }
    // perm [2, 0, 1]: out[c, a, b] = x[a, b, c], tiled over (c, b) for each a.
    transposeKernel(x, [A, B, C], [2, 0, 1], out);
    for (let a = 0; a < A; a++) {
      for (let b = 0; b < B; b++) {
        for (let c = 0; c < C; c++) {
          if (out[(c * A + a) * B + b] !== x[(a * B + b) * C + c]) {
            assert.fail(`mismatch at ${[a, b, c]}`);
          }
        }
      }
    }
  });

  it("matches the reference on random shapes of rank 0..4", () => {
    const r = rng(1);
    for (let t = 0; t < 200; t++) {
      const shape = randShape(r, t % 5);
      const perm = permutation(r, shape.length);
      const x = iota(size(shape));
      const out = new Float64Array(size(shape));
      transposeKernel(x, shape, perm, out);
      assert.deepEqual(arr(out), refTranspose(x, shape, perm), `${shape} ${perm}`);
    }
  });

  it("works on int32, float32 and bool storage", () => {
    const i32 = new Int32Array(6);
    transposeKernel(Int32Array.of(1, 2, 3, 4, 5, 6), [3, 2], [1, 0], i32);
    assert.deepEqual(arr(i32), [1, 3, 5, 2, 4, 6]);
    const f32 = new Float32Array(4);
    transposeKernel(Float32Array.of(0.5, 1.5, 2.5, 3.5), [2, 2], [1, 0], f32);
    assert.deepEqual(arr(f32), [0.5, 2.5, 1.5, 3.5]);
    const u8 = new Uint8Array(4);
    transposeKernel(Uint8Array.of(1, 0, 0, 0), [2, 2], [1, 0], u8);
    assert.deepEqual(arr(u8), [1, 0, 0, 0]);
  });
});

// --- broadcast ------------------------------------------------------------

describe("broadcastKernel", () => {
  it("broadcasts a row, a column and a scalar", () => {
    const out = new Float64Array(6);
    broadcastKernel(Float64Array.of(1, 2, 3), [3], [2, 3], out);
    assert.deepEqual(arr(out), [1, 2, 3, 1, 2, 3]);
    broadcastKernel(Float64Array.of(1, 2), [2, 1], [2, 3], out);
    assert.deepEqual(arr(out), [1, 1, 1, 2, 2, 2]);
    broadcastKernel(Float64Array.of(5), [], [2, 3], out);
    assert.deepEqual(arr(out), [5, 5, 5, 5, 5, 5]);
  });

  it("broadcasts middle axes: [2,1,2] to [2,3,2]", () => {
    const out = new Float64Array(12);
    broadcastKernel(iota(4), [2, 1, 2], [2, 3, 2], out);
    assert.deepEqual(arr(out), [1, 2, 1, 2, 1, 2, 3, 4, 3, 4, 3, 4]);
  });

  it("handles empty outputs", () => {
    const out = new Float64Array(0);
    broadcastKernel(iota(3), [1, 3], [0, 3], out);
    assert.equal(out.length, 0);
  });

  it("matches the reference on random shapes of rank 0..4", () => {
    const r = rng(2);
    for (let t = 0; t < 200; t++) {
      const outShape = randShape(r, t % 5);
      const drop = randInt(r, 0, outShape.length);
      const shape = outShape.slice(drop).map((d) => (r() < 0.5 ? 1 : d));
      const x = iota(size(shape));
      const out = new Float64Array(size(outShape));
      broadcastKernel(x, shape, outShape, out);
      const lead = outShape.length - shape.length;
      const expected: number[] = [];
      for (const i of indices(outShape)) {
        expected.push(x[flat(shape.map((d, a) => (d === 1 ? 0 : i[lead + a])), shape)]);
      }
      assert.deepEqual(arr(out), expected, `${shape} -> ${outShape}`);
    }
  });
});

// --- slice and pad --------------------------------------------------------

describe("sliceKernel", () => {
  it("takes a strided window", () => {
    // x = [[1..5], [6..10], [11..15]]; rows 0:3:2, cols 1:5:2
    const out = new Float64Array(4);
    sliceKernel(iota(15), [3, 5], [0, 1], [3, 5], [2, 2], out);
    assert.deepEqual(arr(out), [2, 4, 12, 14]);
  });

  it("handles odd strides that do not divide the extent, and empty windows", () => {
    const out = new Float64Array(3);
    sliceKernel(iota(7), [7], [1], [7], [3], out); // 1, 4 -> elements 2, 5
    assert.deepEqual(arr(out.subarray(0, 2)), [2, 5]);
    sliceKernel(iota(7), [7], [6], [7], [5], out); // just index 6
    assert.deepEqual(arr(out.subarray(0, 1)), [7]);
    const empty = new Float64Array(0);
    sliceKernel(iota(6), [2, 3], [1, 2], [1, 3], [1, 1], empty);
    assert.equal(empty.length, 0);
  });

  it("copies a scalar", () => {
    const out = new Float64Array(1);
    sliceKernel(Float64Array.of(3), [], [], [], [], out);
    assert.deepEqual(arr(out), [3]);
  });

  it("matches the reference on random shapes of rank 0..4", () => {
    const r = rng(3);
    for (let t = 0; t < 300; t++) {
      const shape = randShape(r, t % 5, 6);
      const starts = shape.map((d) => randInt(r, 0, d));
      const limits = shape.map((d, a) => randInt(r, starts[a], d));
      const strides = shape.map(() => randInt(r, 1, 3));
      const x = iota(size(shape));
      const expected = refSlice(x, shape, starts, limits, strides);
      const out = new Float64Array(expected.length);
      sliceKernel(x, shape, starts, limits, strides, out);
      assert.deepEqual(arr(out), expected, `${shape} ${starts} ${limits} ${strides}`);
    }
  });
});

describe("padKernel", () => {
  it("pads with lo, hi and interior zeros", () => {
    // [1, 2, 3] -> lo 1, hi 2, interior 1: [0, 1, 0, 2, 0, 3, 0, 0]
    const out = new Float64Array(8);
    padKernel(iota(3), [3], [1], [2], [1], out);
    assert.deepEqual(arr(out), [0, 1, 0, 2, 0, 3, 0, 0]);
  });

  it("pads a 2x2 matrix on both axes", () => {
    const out = new Float64Array(3 * 3);
    padKernel(iota(4), [2, 2], [1, 0], [0, 1], [0, 0], out);
    assert.deepEqual(arr(out), [0, 0, 0, 1, 2, 0, 3, 4, 0]);
  });

  it("crops with negative lo/hi", () => {
    // [1..5], lo -1, hi -2, interior 0 -> [2, 3]
    const out = new Float64Array(2);
    padKernel(iota(5), [5], [-1], [-2], [0], out);
    assert.deepEqual(arr(out), [2, 3]);
    // [1, 2, 3], lo -2, hi 1, interior 1 -> full [1,0,2,0,3,0] cropped by 2 -> [2, 0, 3, 0]
    const out2 = new Float64Array(4);
    padKernel(iota(3), [3], [-2], [1], [1], out2);
    assert.deepEqual(arr(out2), [2, 0, 3, 0]);
  });

  it("pads empty dimensions and scalars", () => {
    const out = new Float64Array(3 * 2);
    padKernel(new Float64Array(0), [0, 2], [1, 0], [2, 0], [5, 0], out);
    assert.deepEqual(arr(out), [0, 0, 0, 0, 0, 0]);
    const s = new Float64Array(1);
    padKernel(Float64Array.of(4), [], [], [], [], s);
    assert.deepEqual(arr(s), [4]);
  });

  it("matches the reference on random shapes of rank 0..4, including cropping", () => {
    const r = rng(4);
    for (let t = 0; t < 300; t++) {
      const shape = randShape(r, t % 5, 5);
      const interior = shape.map(() => randInt(r, 0, 2));
      const lo = shape.map(() => randInt(r, -2, 2));
      const hi = shape.map(() => randInt(r, -2, 2));
      const outShape = padShape(shape, lo, hi, interior);
      if (outShape.some((d) => d < 0)) continue;
      const x = iota(size(shape));
      const out = new Float64Array(size(outShape));
      padKernel(x, shape, lo, hi, interior, out);
      assert.deepEqual(arr(out), refPad(x, shape, lo, hi, interior), `${shape} ${lo} ${hi}`);
    }
  });

  it("round-trips: slice(pad(x)) is x", () => {
    const r = rng(5);
    for (let t = 0; t < 200; t++) {
      const shape = randShape(r, t % 5, 5);
      const lo = shape.map(() => randInt(r, 0, 3));
      const hi = shape.map(() => randInt(r, 0, 3));
      const interior = shape.map(() => randInt(r, 0, 2));
      const outShape = padShape(shape, lo, hi, interior);
      const x = iota(size(shape));
      const padded = new Float64Array(size(outShape));
      padKernel(x, shape, lo, hi, interior, padded);
      const back = new Float64Array(size(shape));
      sliceKernel(
        padded,
        outShape,
        lo,
        shape.map((d, a) => (d === 0 ? lo[a] : lo[a] + (d - 1) * (interior[a] + 1) + 1)),
        interior.map((i) => i + 1),
        back,
      );
      assert.deepEqual(arr(back), arr(x), `${shape} ${lo} ${hi} ${interior}`);
    }
  });
});

// --- concatenate, rev -----------------------------------------------------

describe("concatenateKernel", () => {
  it("concatenates along axis 0 and axis 1", () => {
    const a = iota(4); // [[1,2],[3,4]]
    const b = Float64Array.of(5, 6); // [[5,6]] or [[5],[6]]
    const out0 = new Float64Array(6);
    concatenateKernel([a, b], [[2, 2], [1, 2]], 0, out0);
    assert.deepEqual(arr(out0), [1, 2, 3, 4, 5, 6]);
    const out1 = new Float64Array(6);
    concatenateKernel([a, b], [[2, 2], [2, 1]], 1, out1);
    assert.deepEqual(arr(out1), [1, 2, 5, 3, 4, 6]);
  });

  it("skips empty pieces and handles long rows", () => {
    const a = iota(200);
    const b = new Float64Array(0);
    const c = Float64Array.from({ length: 100 }, (_, i) => -i);
    const out = new Float64Array(300);
    concatenateKernel([a, b, c], [[2, 100], [2, 0], [2, 50]], 1, out);
    const expected = [
      ...arr(a.subarray(0, 100)),
      ...arr(c.subarray(0, 50)),
      ...arr(a.subarray(100)),
      ...arr(c.subarray(50)),
    ];
    assert.deepEqual(arr(out), expected);
  });

  it("matches a reference on random shapes of rank 1..4", () => {
    const r = rng(6);
    for (let t = 0; t < 200; t++) {
      const base = randShape(r, 1 + (t % 4));
      const axis = randInt(r, 0, base.length - 1);
      const count = randInt(r, 1, 3);
      const shapes = Array.from(
        { length: count },
        () => base.map((d, a) => (a === axis ? randInt(r, 0, 3) : d)),
      );
      let next = 0;
      const xs = shapes.map((s) => Float64Array.from({ length: size(s) }, () => ++next));
      const outShape = base.map((d, a) => (a === axis ? shapes.reduce((z, s) => z + s[a], 0) : d));
      const out = new Float64Array(size(outShape));
      concatenateKernel(xs, shapes, axis, out);
      const expected: number[] = [];
      for (const i of indices(outShape)) {
        let j = i[axis];
        let piece = 0;
        while (j >= shapes[piece][axis]) j -= shapes[piece++][axis];
        const src = i.slice();
        src[axis] = j;
        expected.push(xs[piece][flat(src, shapes[piece])]);
      }
      assert.deepEqual(arr(out), expected, `${JSON.stringify(shapes)} axis ${axis}`);
    }
  });
});

describe("revKernel", () => {
  it("reverses rows, columns and both", () => {
    const x = iota(6); // [[1,2,3],[4,5,6]]
    const out = new Float64Array(6);
    revKernel(x, [2, 3], [1], out);
    assert.deepEqual(arr(out), [3, 2, 1, 6, 5, 4]);
    revKernel(x, [2, 3], [0], out);
    assert.deepEqual(arr(out), [4, 5, 6, 1, 2, 3]);
    revKernel(x, [2, 3], [0, 1], out);
    assert.deepEqual(arr(out), [6, 5, 4, 3, 2, 1]);
    revKernel(x, [2, 3], [], out);
    assert.deepEqual(arr(out), [1, 2, 3, 4, 5, 6]);
  });

  it("matches the reference on random shapes of rank 0..4", () => {
    const r = rng(7);
    for (let t = 0; t < 200; t++) {
      const shape = randShape(r, t % 5);
      const axes = shape.map((_, a) => a).filter(() => r() < 0.5);
      const x = iota(size(shape));
      const out = new Float64Array(size(shape));
      revKernel(x, shape, axes, out);
      const expected: number[] = [];
      for (const i of indices(shape)) {
        expected.push(x[flat(i.map((v, a) => (axes.includes(a) ? shape[a] - 1 - v : v)), shape)]);
      }
      assert.deepEqual(arr(out), expected, `${shape} ${axes}`);
    }
  });
});

// --- take, scatterAdd -----------------------------------------------------

describe("takeKernel", () => {
  it("gathers rows and columns with repeats", () => {
    const x = iota(6); // [[1,2,3],[4,5,6]]
    const rows = new Float64Array(9);
    takeKernel(x, [2, 3], Int32Array.of(1, 1, 0), 0, rows);
    assert.deepEqual(arr(rows), [4, 5, 6, 4, 5, 6, 1, 2, 3]);
    const cols = new Float64Array(4);
    takeKernel(x, [2, 3], Int32Array.of(2, 0), 1, cols);
    assert.deepEqual(arr(cols), [3, 1, 6, 4]);
  });

  it("gathers from a vector and with no indices", () => {
    const out = new Float64Array(3);
    takeKernel(iota(4), [4], Int32Array.of(3, 0, 3), 0, out);
    assert.deepEqual(arr(out), [4, 1, 4]);
    const empty = new Float64Array(0);
    takeKernel(iota(4), [2, 2], new Int32Array(0), 1, empty);
    assert.equal(empty.length, 0);
  });

  it("matches the reference on random shapes of rank 1..4, long rows included", () => {
    const r = rng(8);
    for (let t = 0; t < 200; t++) {
      const shape = randShape(r, 1 + (t % 4), t % 7 === 0 && t % 4 < 2 ? 80 : 4, false);
      const axis = randInt(r, 0, shape.length - 1);
      const idx = Int32Array.from(
        { length: randInt(r, 0, 5) },
        () => randInt(r, 0, shape[axis] - 1),
      );
      const outShape = shape.map((d, a) => (a === axis ? idx.length : d));
      const x = iota(size(shape));
      const out = new Float64Array(size(outShape));
      takeKernel(x, shape, idx, axis, out);
      const expected: number[] = [];
      for (const i of indices(outShape)) {
        const src = i.slice();
        src[axis] = idx[i[axis]];
        expected.push(x[flat(src, shape)]);
      }
      assert.deepEqual(arr(out), expected, `${shape} axis ${axis} [${idx}]`);
    }
  });
});

describe("scatterAddKernel", () => {
  it("accumulates repeated indices", () => {
    const out = new Float64Array(3);
    scatterAddKernel(Float64Array.of(1, 2, 3, 4), [3], Int32Array.of(0, 2, 0, 0), 0, out);
    assert.deepEqual(arr(out), [8, 0, 2]);
  });

  it("scatters along axis 1 of a matrix", () => {
    // updates [[1,2],[3,4]] into a 2x3 zero matrix at columns [2, 2]
    const out = new Float64Array(6);
    scatterAddKernel(iota(4), [2, 3], Int32Array.of(2, 2), 1, out);
    assert.deepEqual(arr(out), [0, 0, 3, 0, 0, 7]);
  });

  it("wraps int32 sums", () => {
    const out = new Int32Array(1);
    scatterAddKernel(Int32Array.of(2147483647, 1), [1], Int32Array.of(0, 0), 0, out);
    assert.deepEqual(arr(out), [-2147483648]);
  });

  it("is the transpose of take: <take(x), u> = <x, scatterAdd(u)>", () => {
    const r = rng(9);
    for (let t = 0; t < 100; t++) {
      const shape = randShape(r, 1 + (t % 4), 4, false);
      const axis = randInt(r, 0, shape.length - 1);
      const idx = Int32Array.from(
        { length: randInt(r, 0, 6) },
        () => randInt(r, 0, shape[axis] - 1),
      );
      const uShape = shape.map((d, a) => (a === axis ? idx.length : d));
      const x = Float64Array.from({ length: size(shape) }, () => randInt(r, -5, 5));
      const u = Float64Array.from({ length: size(uShape) }, () => randInt(r, -5, 5));
      const tx = new Float64Array(size(uShape));
      takeKernel(x, shape, idx, axis, tx);
      const su = new Float64Array(size(shape));
      scatterAddKernel(u, shape, idx, axis, su);
      let lhs = 0;
      for (let i = 0; i < tx.length; i++) lhs += tx[i] * u[i];
      let rhs = 0;
      for (let i = 0; i < x.length; i++) rhs += x[i] * su[i];
      assert.equal(lhs, rhs, `${shape} axis ${axis} [${idx}]`);
    }
  });
});

// --- matmul ---------------------------------------------------------------

describe("matmulKernel", () => {
  it("multiplies 2x3 by 3x2", () => {
    const out = new Float64Array(4);
    matmulKernel(iota(6), iota(6), out, 1, 2, 3, 2);
    // [[1,2,3],[4,5,6]] @ [[1,2],[3,4],[5,6]]
    assert.deepEqual(arr(out), [22, 28, 49, 64]);
  });

  it("handles 1x1, vector-matrix, matrix-vector and k = 0", () => {
    const s = new Float64Array(1);
    matmulKernel(Float64Array.of(3), Float64Array.of(4), s, 1, 1, 1, 1);
    assert.deepEqual(arr(s), [12]);
    const vm = new Float64Array(2);
    matmulKernel(Float64Array.of(1, 2), iota(4), vm, 1, 1, 2, 2);
    assert.deepEqual(arr(vm), [7, 10]);
    const mv = new Float64Array(2);
    matmulKernel(iota(4), Float64Array.of(1, 2), mv, 1, 2, 2, 1);
    assert.deepEqual(arr(mv), [5, 11]);
    const z = Float64Array.of(9, 9, 9, 9);
    matmulKernel(new Float64Array(0), new Float64Array(0), z, 2, 1, 0, 2);
    assert.deepEqual(arr(z), [0, 0, 0, 0]);
  });

  it("zeroes stale output and multiplies batches", () => {
    const out = new Float64Array(8).fill(99);
    const eye = Float64Array.of(1, 0, 0, 1, 2, 0, 0, 2);
    matmulKernel(eye, Float64Array.of(1, 2, 3, 4, 5, 6, 7, 8), out, 2, 2, 2, 2);
    assert.deepEqual(arr(out), [1, 2, 3, 4, 10, 12, 14, 16]);
  });

  const sizes: [number, number, number, number][] = [
    [1, 1, 1, 1],
    [1, 1, 7, 1],
    [1, 1, 13, 29],
    [1, 31, 17, 1],
    [3, 2, 3, 5],
    [1, 4, 4, 4],
    [2, 5, 7, 11],
    [1, 13, 257, 9],
    [1, 37, 300, 41],
    [2, 33, 65, 530],
    [1, 64, 64, 64],
    [4, 17, 19, 23],
  ];

  it("matches the naive triple loop for float64 on awkward sizes", () => {
    const r = rng(10);
    for (const [batch, m, k, n] of sizes) {
      const a = Float64Array.from({ length: batch * m * k }, () => r() * 2 - 1);
      const b = Float64Array.from({ length: batch * k * n }, () => r() * 2 - 1);
      const out = new Float64Array(batch * m * n);
      matmulKernel(a, b, out, batch, m, k, n);
      const expected = refMatmul(a, b, batch, m, k, n, false);
      for (let i = 0; i < out.length; i++) {
        assert.ok(Math.abs(out[i] - expected[i]) <= 1e-12 * k, `${[batch, m, k, n]} at ${i}`);
      }
    }
  });

  it("matches the naive loop exactly on small integers in float64", () => {
    const r = rng(11);
    for (const [batch, m, k, n] of sizes) {
      const a = Float64Array.from({ length: batch * m * k }, () => randInt(r, -9, 9));
      const b = Float64Array.from({ length: batch * k * n }, () => randInt(r, -9, 9));
      const out = new Float64Array(batch * m * n);
      matmulKernel(a, b, out, batch, m, k, n);
      assert.deepEqual(arr(out), refMatmul(a, b, batch, m, k, n, false), `${[batch, m, k, n]}`);
    }
  });

  it("accumulates float32 in doubles and rounds once (JS path)", () => {
    // The WebAssembly path sums float32 in float32: see kernels_matmul_test.ts.
    const was = setWasmMatmul(false);
    try {
      const r = rng(12);
      for (const [batch, m, k, n] of sizes) {
        const a = Float32Array.from({ length: batch * m * k }, () => r() * 2 - 1);
        const b = Float32Array.from({ length: batch * k * n }, () => r() * 2 - 1);
        const out = new Float32Array(batch * m * n).fill(5);
        matmulKernel(a, b, out, batch, m, k, n);
        const expected = refMatmul(a, b, batch, m, k, n, false);
        for (let i = 0; i < out.length; i++) {
          // The double sum differs from the exact one by far less than one float32 ulp.
          assert.ok(
            Math.abs(out[i] - Math.fround(expected[i])) <=
              1e-12 * k + 2 ** -24 * Math.abs(expected[i]),
            `${[batch, m, k, n]} at ${i}`,
          );
        }
      }
      // 1 + 2^-30 - 1 is lost in float32 steps but kept by double accumulation.
      const out = new Float32Array(1);
      matmulKernel(Float32Array.of(1, 2 ** -30, -1), Float32Array.of(1, 1, 1), out, 1, 1, 3, 1);
      assert.equal(out[0], Math.fround(2 ** -30));
    } finally {
      setWasmMatmul(was);
    }
  });

  it("wraps int32 products and sums like C", () => {
    const r = rng(13);
    for (const [batch, m, k, n] of sizes) {
      const a = Int32Array.from(
        { length: batch * m * k },
        () => randInt(r, -(2 ** 31), 2 ** 31 - 1),
      );
      const b = Int32Array.from(
        { length: batch * k * n },
        () => randInt(r, -(2 ** 31), 2 ** 31 - 1),
      );
      const out = new Int32Array(batch * m * n).fill(3);
      matmulKernel(a, b, out, batch, m, k, n);
      assert.deepEqual(arr(out), refMatmul(a, b, batch, m, k, n, true), `${[batch, m, k, n]}`);
    }
    const out = new Int32Array(1);
    matmulKernel(Int32Array.of(65536, 1), Int32Array.of(65536, 2147483647), out, 1, 1, 2, 1);
    assert.deepEqual(arr(out), [2147483647]);
  });
});
