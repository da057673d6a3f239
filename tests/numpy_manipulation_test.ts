// np shape functions and indexing: a table of cases whose expected values were
// produced with NumPy 2.4 (inputs are `arange(n) + 1` as float64), the same
// cases traced abstractly (no tracer may be read), dtypes, empty arrays, traced
// index arrays, and every error path with its message.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { assertAllClose, assertThrows } from "./_assert.ts";
import { NdArray } from "../src/array/array.ts";
import { withHandler } from "../src/core/handler.ts";
import { ConcretizationError } from "../src/core/errors.ts";
import { ShapeHandler, ShapeTracer } from "../src/transforms/eval_shape.ts";
import { greater } from "../src/numpy/math.ts";
import { mul } from "../src/primitives/elementwise.ts";
import { reduceSum } from "../src/primitives/reductions.ts";
import { grad, np, vmap } from "../mod.ts";
import { checkGrads } from "../src/testing.ts";
import { R234, R45, valuesAgainstNumPy } from "./_numpy_fixtures.ts";

const {
  broadcastArrays,
  broadcastTo,
  concatenate,
  diag,
  diagonal,
  expandDims,
  flip,
  get,
  moveaxis,
  ravel,
  repeat,
  reshape,
  split,
  squeeze,
  stack,
  swapaxes,
  take,
  tile,
  trace,
  transpose,
} = np;

/** A tracer with no value: reading it throws, as under `vmap` or `jit`. */
let tracing: ShapeHandler | null = null;

/** `arange(prod(shape)) + 1` as float64, or an abstract tracer of that shape while tracing. */
function A(...shape: number[]): NdArray {
  if (tracing !== null) return new ShapeTracer(tracing, shape, "float64");
  const n = shape.reduce((a, b) => a * b, 1);
  return new NdArray(Float64Array.from({ length: n }, (_, i) => i + 1), shape, "float64");
}

const arr = (x: Parameters<typeof np.asarray>[0]) => np.asarray(x);
const int = (x: Parameters<typeof np.asarray>[0]) => np.asarray(x, "int32");

interface Expected {
  shape: number[];
  value: unknown;
}

type Case = [string, () => NdArray | NdArray[], Expected | Expected[]];

const cases: Case[] = [
  ["get(A(2, 3, 4), 1)", () => get(A(2, 3, 4), 1), {
    shape: [3, 4],
    value: [[13, 14, 15, 16], [17, 18, 19, 20], [21, 22, 23, 24]],
  }],
  ["get(A(2, 3, 4), -1)", () => get(A(2, 3, 4), -1), {
    shape: [3, 4],
    value: [[13, 14, 15, 16], [17, 18, 19, 20], [21, 22, 23, 24]],
  }],
  ['get(A(2, 3, 4), ":")', () => get(A(2, 3, 4), ":"), {
    shape: [2, 3, 4],
    value: [[[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12]], [[13, 14, 15, 16], [17, 18, 19, 20], [
      21,
      22,
      23,
      24,
    ]]],
  }],
  ['get(A(2, 3, 4), "::-1")', () => get(A(2, 3, 4), "::-1"), {
    shape: [2, 3, 4],
    value: [[[13, 14, 15, 16], [17, 18, 19, 20], [21, 22, 23, 24]], [[1, 2, 3, 4], [5, 6, 7, 8], [
      9,
      10,
      11,
      12,
    ]]],
  }],
  ['get(A(2, 3, 4), "-2:")', () => get(A(2, 3, 4), "-2:"), {
    shape: [2, 3, 4],
    value: [[[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12]], [[13, 14, 15, 16], [17, 18, 19, 20], [
      21,
      22,
      23,
      24,
    ]]],
  }],
  ['get(A(2, 3, 4), "1::2")', () => get(A(2, 3, 4), "1::2"), {
    shape: [1, 3, 4],
    value: [[[13, 14, 15, 16], [17, 18, 19, 20], [21, 22, 23, 24]]],
  }],
  ['get(A(2, 3, 4), ":", ":", "::-2")', () => get(A(2, 3, 4), ":", ":", "::-2"), {
    shape: [2, 3, 2],
    value: [[[4, 2], [8, 6], [12, 10]], [[16, 14], [20, 18], [24, 22]]],
  }],
  ['get(A(2, 3, 4), "...", 1)', () => get(A(2, 3, 4), "...", 1), {
    shape: [2, 3],
    value: [[2, 6, 10], [14, 18, 22]],
  }],
  ["get(A(2, 3, 4), null)", () => get(A(2, 3, 4), null), {
    shape: [1, 2, 3, 4],
    value: [[[[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12]], [[13, 14, 15, 16], [17, 18, 19, 20], [
      21,
      22,
      23,
      24,
    ]]]],
  }],
  ['get(A(2, 3, 4), null, "...", null)', () => get(A(2, 3, 4), null, "...", null), {
    shape: [1, 2, 3, 4, 1],
    value: [[[[[1], [2], [3], [4]], [[5], [6], [7], [8]], [[9], [10], [11], [12]]], [
      [[13], [14], [15], [16]],
      [[17], [18], [19], [20]],
      [[21], [22], [23], [24]],
    ]]],
  }],
  ["get(A(2, 3, 4), 0, null, [1, 2])", () => get(A(2, 3, 4), 0, null, [1, 2]), {
    shape: [2, 1, 4],
    value: [[[5, 6, 7, 8]], [[9, 10, 11, 12]]],
  }],
  ['get(A(2, 3, 4), ":", 0, [1, 2])', () => get(A(2, 3, 4), ":", 0, [1, 2]), {
    shape: [2, 2],
    value: [[2, 3], [14, 15]],
  }],
  ["get(A(2, 3, 4), [1, 0])", () => get(A(2, 3, 4), [1, 0]), {
    shape: [2, 3, 4],
    value: [[[13, 14, 15, 16], [17, 18, 19, 20], [21, 22, 23, 24]], [[1, 2, 3, 4], [5, 6, 7, 8], [
      9,
      10,
      11,
      12,
    ]]],
  }],
  ['get(A(2, 3, 4), [1, 0], ":", 0)', () => get(A(2, 3, 4), [1, 0], ":", 0), {
    shape: [2, 3],
    value: [[13, 17, 21], [1, 5, 9]],
  }],
  ['get(A(2, 3, 4), 0, ":", [3, -1])', () => get(A(2, 3, 4), 0, ":", [3, -1]), {
    shape: [2, 3],
    value: [[4, 8, 12], [4, 8, 12]],
  }],
  ['get(A(2, 3, 4), "...", [0, 0, 1])', () => get(A(2, 3, 4), "...", [0, 0, 1]), {
    shape: [2, 3, 3],
    value: [[[1, 1, 2], [5, 5, 6], [9, 9, 10]], [[13, 13, 14], [17, 17, 18], [21, 21, 22]]],
  }],
  ['get(A(2, 3, 4), 1, "5:-7:-1")', () => get(A(2, 3, 4), 1, "5:-7:-1"), {
    shape: [3, 4],
    value: [[21, 22, 23, 24], [17, 18, 19, 20], [13, 14, 15, 16]],
  }],
  ['get(A(2, 3, 4), "::-1", "::-1", "::-1")', () => get(A(2, 3, 4), "::-1", "::-1", "::-1"), {
    shape: [2, 3, 4],
    value: [[[24, 23, 22, 21], [20, 19, 18, 17], [16, 15, 14, 13]], [
      [12, 11, 10, 9],
      [8, 7, 6, 5],
      [4, 3, 2, 1],
    ]],
  }],
  ['get(A(2, 3, 4), ":", "10:")', () => get(A(2, 3, 4), ":", "10:"), {
    shape: [2, 0, 4],
    value: [[], []],
  }],
  ['get(A(2, 3, 4), ":", "-10:2")', () => get(A(2, 3, 4), ":", "-10:2"), {
    shape: [2, 2, 4],
    value: [[[1, 2, 3, 4], [5, 6, 7, 8]], [[13, 14, 15, 16], [17, 18, 19, 20]]],
  }],
  ['get(A(2, 3, 4), "3:0:-1")', () => get(A(2, 3, 4), "3:0:-1"), {
    shape: [1, 3, 4],
    value: [[[13, 14, 15, 16], [17, 18, 19, 20], [21, 22, 23, 24]]],
  }],
  ['get(A(2, 3, 4), ":", ":", "3:0:-2")', () => get(A(2, 3, 4), ":", ":", "3:0:-2"), {
    shape: [2, 3, 2],
    value: [[[4, 2], [8, 6], [12, 10]], [[16, 14], [20, 18], [24, 22]]],
  }],
  ["get(A(2, 3, 4), [[0, 1], [1, 0]])", () => get(A(2, 3, 4), int([[0, 1], [1, 0]])), {
    shape: [2, 2, 3, 4],
    value: [[[[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12]], [[13, 14, 15, 16], [17, 18, 19, 20], [
      21,
      22,
      23,
      24,
    ]]], [[[13, 14, 15, 16], [17, 18, 19, 20], [21, 22, 23, 24]], [[1, 2, 3, 4], [5, 6, 7, 8], [
      9,
      10,
      11,
      12,
    ]]]],
  }],
  ['get(A(2, 3, 4), ":", [[0, 2], [1, 1]])', () => get(A(2, 3, 4), ":", int([[0, 2], [1, 1]])), {
    shape: [2, 2, 2, 4],
    value: [[[[1, 2, 3, 4], [9, 10, 11, 12]], [[5, 6, 7, 8], [5, 6, 7, 8]]], [[[13, 14, 15, 16], [
      21,
      22,
      23,
      24,
    ]], [[17, 18, 19, 20], [17, 18, 19, 20]]]],
  }],
  ["get(A(2, 3, 4), 0, 0, 0)", () => get(A(2, 3, 4), 0, 0, 0), { shape: [], value: 1.0 }],
  ["get(A(2, 3, 4), -2, -3, -4)", () => get(A(2, 3, 4), -2, -3, -4), { shape: [], value: 1.0 }],
  ["get(A(2, 3, 4), null, 0, [1])", () => get(A(2, 3, 4), null, 0, [1]), {
    shape: [1, 1, 4],
    value: [[[5, 6, 7, 8]]],
  }],
  ['get(A(2, 3, 4), ":", "::-5")', () => get(A(2, 3, 4), ":", "::-5"), {
    shape: [2, 1, 4],
    value: [[[9, 10, 11, 12]], [[21, 22, 23, 24]]],
  }],
  ['get(A(2, 3, 4), "1:1")', () => get(A(2, 3, 4), "1:1"), { shape: [0, 3, 4], value: [] }],
  ['get(A(2, 3, 4), ":", ":", "::3")', () => get(A(2, 3, 4), ":", ":", "::3"), {
    shape: [2, 3, 2],
    value: [[[1, 4], [5, 8], [9, 12]], [[13, 16], [17, 20], [21, 24]]],
  }],
  ['get(A(2, 3, 4), "...", null, 2)', () => get(A(2, 3, 4), "...", null, 2), {
    shape: [2, 3, 1],
    value: [[[3], [7], [11]], [[15], [19], [23]]],
  }],
  ["get(A(2, 3, 4), [])", () => get(A(2, 3, 4), []), { shape: [0, 3, 4], value: [] }],
  ['get(A(5), "::-1")', () => get(A(5), "::-1"), { shape: [5], value: [5, 4, 3, 2, 1] }],
  ['get(A(5), "4:1:-2")', () => get(A(5), "4:1:-2"), { shape: [2], value: [5, 3] }],
  ['get(A(5), "-1:-6:-1")', () => get(A(5), "-1:-6:-1"), { shape: [5], value: [5, 4, 3, 2, 1] }],
  ['get(A(0), "::-1")', () => get(A(0), "::-1"), { shape: [0], value: [] }],
  ["get(A(3), [])", () => get(A(3), []), { shape: [0], value: [] }],
  ['get(A(), "...")', () => get(A(), "..."), { shape: [], value: 1.0 }],
  ["get(A(), null)", () => get(A(), null), { shape: [1], value: [1] }],
  ["reshape(A(2, 3), [3, -1])", () => reshape(A(2, 3), [3, -1]), {
    shape: [3, 2],
    value: [[1, 2], [3, 4], [5, 6]],
  }],
  ["reshape(A(2, 3), [6])", () => reshape(A(2, 3), [6]), { shape: [6], value: [1, 2, 3, 4, 5, 6] }],
  ["reshape(A(0, 3), [3, 0])", () => reshape(A(0, 3), [3, 0]), {
    shape: [3, 0],
    value: [[], [], []],
  }],
  ["reshape(A(), [1, 1])", () => reshape(A(), [1, 1]), { shape: [1, 1], value: [[1]] }],
  ["ravel(A(2, 3))", () => ravel(A(2, 3)), { shape: [6], value: [1, 2, 3, 4, 5, 6] }],
  ["transpose(A(2, 3, 4))", () => transpose(A(2, 3, 4)), {
    shape: [4, 3, 2],
    value: [
      [[1, 13], [5, 17], [9, 21]],
      [[2, 14], [6, 18], [10, 22]],
      [[3, 15], [7, 19], [11, 23]],
      [[4, 16], [8, 20], [12, 24]],
    ],
  }],
  ["transpose(A(2, 3, 4), [1, -1, 0])", () => transpose(A(2, 3, 4), [1, -1, 0]), {
    shape: [3, 4, 2],
    value: [[[1, 13], [2, 14], [3, 15], [4, 16]], [[5, 17], [6, 18], [7, 19], [8, 20]], [
      [9, 21],
      [10, 22],
      [11, 23],
      [12, 24],
    ]],
  }],
  ["swapaxes(A(2, 3, 4), 0, 2)", () => swapaxes(A(2, 3, 4), 0, 2), {
    shape: [4, 3, 2],
    value: [
      [[1, 13], [5, 17], [9, 21]],
      [[2, 14], [6, 18], [10, 22]],
      [[3, 15], [7, 19], [11, 23]],
      [[4, 16], [8, 20], [12, 24]],
    ],
  }],
  ["moveaxis(A(2, 3, 4), 0, -1)", () => moveaxis(A(2, 3, 4), 0, -1), {
    shape: [3, 4, 2],
    value: [[[1, 13], [2, 14], [3, 15], [4, 16]], [[5, 17], [6, 18], [7, 19], [8, 20]], [
      [9, 21],
      [10, 22],
      [11, 23],
      [12, 24],
    ]],
  }],
  ["moveaxis(A(2, 3, 4, 5), [0, 1], [-1, -2])", () => moveaxis(A(2, 3, 4, 5), [0, 1], [-1, -2]), {
    shape: [4, 5, 3, 2],
    value: [[
      [[1, 61], [21, 81], [41, 101]],
      [[2, 62], [22, 82], [42, 102]],
      [[3, 63], [23, 83], [43, 103]],
      [[4, 64], [24, 84], [44, 104]],
      [[5, 65], [25, 85], [45, 105]],
    ], [
      [[6, 66], [26, 86], [46, 106]],
      [[7, 67], [27, 87], [47, 107]],
      [[8, 68], [28, 88], [48, 108]],
      [[9, 69], [29, 89], [49, 109]],
      [[10, 70], [30, 90], [50, 110]],
    ], [
      [[11, 71], [31, 91], [51, 111]],
      [[12, 72], [32, 92], [52, 112]],
      [[13, 73], [33, 93], [53, 113]],
      [[14, 74], [34, 94], [54, 114]],
      [[15, 75], [35, 95], [55, 115]],
    ], [
      [[16, 76], [36, 96], [56, 116]],
      [[17, 77], [37, 97], [57, 117]],
      [[18, 78], [38, 98], [58, 118]],
      [[19, 79], [39, 99], [59, 119]],
      [[20, 80], [40, 100], [60, 120]],
    ]],
  }],
  ["moveaxis(A(2, 3, 4, 5), [3, 0], [0, 2])", () => moveaxis(A(2, 3, 4, 5), [3, 0], [0, 2]), {
    shape: [5, 3, 2, 4],
    value: [[[[1, 6, 11, 16], [61, 66, 71, 76]], [[21, 26, 31, 36], [81, 86, 91, 96]], [[
      41,
      46,
      51,
      56,
    ], [101, 106, 111, 116]]], [[[2, 7, 12, 17], [62, 67, 72, 77]], [[22, 27, 32, 37], [
      82,
      87,
      92,
      97,
    ]], [[42, 47, 52, 57], [102, 107, 112, 117]]], [[[3, 8, 13, 18], [63, 68, 73, 78]], [[
      23,
      28,
      33,
      38,
    ], [83, 88, 93, 98]], [[43, 48, 53, 58], [103, 108, 113, 118]]], [
      [[4, 9, 14, 19], [64, 69, 74, 79]],
      [[24, 29, 34, 39], [84, 89, 94, 99]],
      [[44, 49, 54, 59], [104, 109, 114, 119]],
    ], [[[5, 10, 15, 20], [65, 70, 75, 80]], [[25, 30, 35, 40], [85, 90, 95, 100]], [[
      45,
      50,
      55,
      60,
    ], [105, 110, 115, 120]]]],
  }],
  ["expandDims(A(2, 3), 1)", () => expandDims(A(2, 3), 1), {
    shape: [2, 1, 3],
    value: [[[1, 2, 3]], [[4, 5, 6]]],
  }],
  ["expandDims(A(2, 3), [0, -1])", () => expandDims(A(2, 3), [0, -1]), {
    shape: [1, 2, 3, 1],
    value: [[[[1], [2], [3]], [[4], [5], [6]]]],
  }],
  ["expandDims(A(2, 3), [-1, -3])", () => expandDims(A(2, 3), [-1, -3]), {
    shape: [2, 1, 3, 1],
    value: [[[[1], [2], [3]]], [[[4], [5], [6]]]],
  }],
  ["squeeze(A(1, 3, 1))", () => squeeze(A(1, 3, 1)), { shape: [3], value: [1, 2, 3] }],
  ["squeeze(A(1, 3, 1), -1)", () => squeeze(A(1, 3, 1), -1), { shape: [1, 3], value: [[1, 2, 3]] }],
  ["broadcastTo(A(3), [2, 3])", () => broadcastTo(A(3), [2, 3]), {
    shape: [2, 3],
    value: [[1, 2, 3], [1, 2, 3]],
  }],
  ["broadcastTo(A(2, 1), [2, 2, 4])", () => broadcastTo(A(2, 1), [2, 2, 4]), {
    shape: [2, 2, 4],
    value: [[[1, 1, 1, 1], [2, 2, 2, 2]], [[1, 1, 1, 1], [2, 2, 2, 2]]],
  }],
  ["broadcastTo(A(), [2])", () => broadcastTo(A(), [2]), { shape: [2], value: [1, 1] }],
  ["concatenate([A(2, 3), A(1, 3)])", () => concatenate([A(2, 3), A(1, 3)]), {
    shape: [3, 3],
    value: [[1, 2, 3], [4, 5, 6], [1, 2, 3]],
  }],
  ["concatenate([A(2, 3), A(2, 1)], 1)", () => concatenate([A(2, 3), A(2, 1)], 1), {
    shape: [2, 4],
    value: [[1, 2, 3, 1], [4, 5, 6, 2]],
  }],
  ["concatenate([A(2, 3), A(2, 1)], -1)", () => concatenate([A(2, 3), A(2, 1)], -1), {
    shape: [2, 4],
    value: [[1, 2, 3, 1], [4, 5, 6, 2]],
  }],
  ["concatenate([A(2, 3), A(2)], null)", () => concatenate([A(2, 3), A(2)], null), {
    shape: [8],
    value: [1, 2, 3, 4, 5, 6, 1, 2],
  }],
  ["concatenate([A(0, 3), A(2, 3)])", () => concatenate([A(0, 3), A(2, 3)]), {
    shape: [2, 3],
    value: [[1, 2, 3], [4, 5, 6]],
  }],
  ["stack([A(2, 3), A(2, 3)])", () => stack([A(2, 3), A(2, 3)]), {
    shape: [2, 2, 3],
    value: [[[1, 2, 3], [4, 5, 6]], [[1, 2, 3], [4, 5, 6]]],
  }],
  ["stack([A(2, 3), A(2, 3)], -1)", () => stack([A(2, 3), A(2, 3)], -1), {
    shape: [2, 3, 2],
    value: [[[1, 1], [2, 2], [3, 3]], [[4, 4], [5, 5], [6, 6]]],
  }],
  ["stack([A(2), A(2), A(2)], 1)", () => stack([A(2), A(2), A(2)], 1), {
    shape: [2, 3],
    value: [[1, 1, 1], [2, 2, 2]],
  }],
  ["split(A(6), 3)", () => split(A(6), 3), [{ shape: [2], value: [1, 2] }, {
    shape: [2],
    value: [3, 4],
  }, { shape: [2], value: [5, 6] }]],
  ["split(A(6, 2), [1, 4])", () => split(A(6, 2), [1, 4]), [{ shape: [1, 2], value: [[1, 2]] }, {
    shape: [3, 2],
    value: [[3, 4], [5, 6], [7, 8]],
  }, { shape: [2, 2], value: [[9, 10], [11, 12]] }]],
  ["split(A(5), [-2])", () => split(A(5), [-2]), [{ shape: [3], value: [1, 2, 3] }, {
    shape: [2],
    value: [4, 5],
  }]],
  ["split(A(5), [3, 1])", () => split(A(5), [3, 1]), [{ shape: [3], value: [1, 2, 3] }, {
    shape: [0],
    value: [],
  }, { shape: [4], value: [2, 3, 4, 5] }]],
  ["split(A(2, 6), 2, 1)", () => split(A(2, 6), 2, 1), [{
    shape: [2, 3],
    value: [[1, 2, 3], [7, 8, 9]],
  }, { shape: [2, 3], value: [[4, 5, 6], [10, 11, 12]] }]],
  ["split(A(5), [0, 10])", () => split(A(5), [0, 10]), [{ shape: [0], value: [] }, {
    shape: [5],
    value: [1, 2, 3, 4, 5],
  }, { shape: [0], value: [] }]],
  ["split(A(4, 3), 3, -1)", () => split(A(4, 3), 3, -1), [
    { shape: [4, 1], value: [[1], [4], [7], [10]] },
    { shape: [4, 1], value: [[2], [5], [8], [11]] },
    { shape: [4, 1], value: [[3], [6], [9], [12]] },
  ]],
  ["flip(A(2, 3))", () => flip(A(2, 3)), { shape: [2, 3], value: [[6, 5, 4], [3, 2, 1]] }],
  ["flip(A(2, 3), 0)", () => flip(A(2, 3), 0), { shape: [2, 3], value: [[4, 5, 6], [1, 2, 3]] }],
  ["flip(A(2, 3, 2), [0, 2])", () => flip(A(2, 3, 2), [0, 2]), {
    shape: [2, 3, 2],
    value: [[[8, 7], [10, 9], [12, 11]], [[2, 1], [4, 3], [6, 5]]],
  }],
  ["tile(A(2), 3)", () => tile(A(2), 3), { shape: [6], value: [1, 2, 1, 2, 1, 2] }],
  ["tile(A(2), [2, 2])", () => tile(A(2), [2, 2]), {
    shape: [2, 4],
    value: [[1, 2, 1, 2], [1, 2, 1, 2]],
  }],
  ["tile(A(2, 2), [3])", () => tile(A(2, 2), [3]), {
    shape: [2, 6],
    value: [[1, 2, 1, 2, 1, 2], [3, 4, 3, 4, 3, 4]],
  }],
  ["tile(A(2, 3), [2, 1, 2])", () => tile(A(2, 3), [2, 1, 2]), {
    shape: [2, 2, 6],
    value: [[[1, 2, 3, 1, 2, 3], [4, 5, 6, 4, 5, 6]], [[1, 2, 3, 1, 2, 3], [4, 5, 6, 4, 5, 6]]],
  }],
  ["tile(A(2), 0)", () => tile(A(2), 0), { shape: [0], value: [] }],
  ["repeat(A(2, 2), 2)", () => repeat(A(2, 2), 2), { shape: [8], value: [1, 1, 2, 2, 3, 3, 4, 4] }],
  ["repeat(A(2, 2), 2, 1)", () => repeat(A(2, 2), 2, 1), {
    shape: [2, 4],
    value: [[1, 1, 2, 2], [3, 3, 4, 4]],
  }],
  ["repeat(A(2, 2), [1, 2], 0)", () => repeat(A(2, 2), [1, 2], 0), {
    shape: [3, 2],
    value: [[1, 2], [3, 4], [3, 4]],
  }],
  ["repeat(A(3), [0, 1, 2])", () => repeat(A(3), [0, 1, 2]), { shape: [3], value: [2, 3, 3] }],
  ["repeat(A(2, 3), 3, -1)", () => repeat(A(2, 3), 3, -1), {
    shape: [2, 9],
    value: [[1, 1, 1, 2, 2, 2, 3, 3, 3], [4, 4, 4, 5, 5, 5, 6, 6, 6]],
  }],
  ["take(A(2, 3), [0, -1])", () => take(A(2, 3), [0, -1]), { shape: [2], value: [1, 6] }],
  ["take(A(2, 3), [2, 0], 1)", () => take(A(2, 3), [2, 0], 1), {
    shape: [2, 2],
    value: [[3, 1], [6, 4]],
  }],
  ["take(A(2, 3), 1, 0)", () => take(A(2, 3), 1, 0), { shape: [3], value: [4, 5, 6] }],
  ["take(A(2, 3), [[1, 0], [0, 1]], 0)", () => take(A(2, 3), [[1, 0], [0, 1]], 0), {
    shape: [2, 2, 3],
    value: [[[4, 5, 6], [1, 2, 3]], [[1, 2, 3], [4, 5, 6]]],
  }],
  ["take(A(3, 4), [[0], [2]], -1)", () => take(A(3, 4), [[0], [2]], -1), {
    shape: [3, 2, 1],
    value: [[[1], [3]], [[5], [7]], [[9], [11]]],
  }],
  ["diag(A(3))", () => diag(A(3)), { shape: [3, 3], value: [[1, 0, 0], [0, 2, 0], [0, 0, 3]] }],
  ["diag(A(3), 1)", () => diag(A(3), 1), {
    shape: [4, 4],
    value: [[0, 1, 0, 0], [0, 0, 2, 0], [0, 0, 0, 3], [0, 0, 0, 0]],
  }],
  ["diag(A(3), -2)", () => diag(A(3), -2), {
    shape: [5, 5],
    value: [[0, 0, 0, 0, 0], [0, 0, 0, 0, 0], [1, 0, 0, 0, 0], [0, 2, 0, 0, 0], [0, 0, 3, 0, 0]],
  }],
  ["diag(A(3, 4))", () => diag(A(3, 4)), { shape: [3], value: [1, 6, 11] }],
  ["diag(A(3, 4), 2)", () => diag(A(3, 4), 2), { shape: [2], value: [3, 8] }],
  ["diag(A(3, 4), -1)", () => diag(A(3, 4), -1), { shape: [2], value: [5, 10] }],
  ["diag(A(3, 4), 5)", () => diag(A(3, 4), 5), { shape: [0], value: [] }],
  ["diag(A(0))", () => diag(A(0)), { shape: [0, 0], value: [] }],
  ["diagonal(A(3, 3))", () => diagonal(A(3, 3)), { shape: [3], value: [1, 5, 9] }],
  ["diagonal(A(2, 3, 4), 1, 0, 2)", () => diagonal(A(2, 3, 4), 1, 0, 2), {
    shape: [3, 2],
    value: [[2, 15], [6, 19], [10, 23]],
  }],
  ["diagonal(A(2, 3, 4), -1, -1, 1)", () => diagonal(A(2, 3, 4), -1, -1, 1), {
    shape: [2, 3],
    value: [[2, 7, 12], [14, 19, 24]],
  }],
  ["diagonal(A(3, 4), 7)", () => diagonal(A(3, 4), 7), { shape: [0], value: [] }],
  ["trace(A(3, 3))", () => trace(A(3, 3)), { shape: [], value: 15.0 }],
  ["trace(A(3, 4), 1)", () => trace(A(3, 4), 1), { shape: [], value: 21.0 }],
  ["trace(A(2, 3, 4), 0, 1, 2)", () => trace(A(2, 3, 4), 0, 1, 2), { shape: [2], value: [18, 54] }],
  ["trace(A(3, 3), -1)", () => trace(A(3, 3), -1), { shape: [], value: 12.0 }],
];

function check(got: NdArray, exp: Expected, name: string): void {
  assert.deepEqual(got.shape, exp.shape, name);
  assertAllClose(got.tolist(), exp.value, { msg: name });
}

describe("np shape functions against NumPy", () => {
  for (const [name, f, exp] of cases) {
    it(name, () => {
      const got = f();
      if (Array.isArray(exp)) {
        assert.ok(Array.isArray(got), name);
        assert.equal(got.length, exp.length, name);
        got.forEach((g, i) => check(g, exp[i], name));
      } else {
        assert.ok(!Array.isArray(got), name);
        check(got, exp, name);
      }
    });
  }
});

describe("np shape functions on abstract tracers", () => {
  for (const [name, f, exp] of cases) {
    it(name, () => {
      const h = new ShapeHandler();
      tracing = h;
      try {
        const got = withHandler(h, f);
        const list = Array.isArray(got) ? got : [got];
        const exps = Array.isArray(exp) ? exp : [exp];
        list.forEach((g, i) => {
          assert.ok(g instanceof ShapeTracer, name);
          assert.deepEqual(g.shape, exps[i].shape, name);
          assert.equal(g.dtype, "float64", name);
        });
      } finally {
        tracing = null;
      }
    });
  }
});

describe("np.get", () => {
  const x = arr([[0, 1, 2], [3, 4, 5]]);
  it("indexes like NumPy", () => {
    assert.deepEqual(get(x, 1).tolist(), [3, 4, 5]);
    assert.equal(get(x, -1, -1).item(), 5);
    assert.deepEqual(get(x, ":", "::-1").tolist(), [[2, 1, 0], [5, 4, 3]]);
    assert.deepEqual(get(x, ":", [2, 0]).tolist(), [[2, 0], [5, 3]]);
    assert.deepEqual(get(x, "...", 0).tolist(), [0, 3]);
    assert.deepEqual(get(x, null).shape, [1, 2, 3]);
    assert.deepEqual(get(x).tolist(), x.tolist());
    assert.deepEqual(get(x, " 1 : ").tolist(), [[3, 4, 5]]);
  });
  it("accepts int32 arrays, 0-d arrays and nested lists as indices", () => {
    assert.deepEqual(get(x, int([1, 1])).tolist(), [[3, 4, 5], [3, 4, 5]]);
    assert.deepEqual(get(x, 1, int(-1)).tolist(), 5);
    assert.deepEqual(get(x, ":", int([[0], [2]])).shape, [2, 2, 1]);
  });
  it("keeps the dtype", () => {
    assert.equal(get(int([1, 2, 3]), "::2").dtype, "int32");
    assert.equal(get(arr([true, false]), [1]).dtype, "bool");
    assert.deepEqual(get(arr([true, false]), [1, 0]).tolist(), [false, true]);
  });
  it("handles empty selections", () => {
    assert.deepEqual(get(x, "2:1").shape, [0, 3]);
    assert.deepEqual(get(x, ":", "5:").shape, [2, 0]);
    assert.deepEqual(get(x, []).shape, [0, 3]);
    assert.deepEqual(get(arr([]), "::-1").shape, [0]);
  });
  it("gathers with traced index arrays (negative indices normalised with primitives)", () => {
    const h = new ShapeHandler();
    const idx = new ShapeTracer(h, [2], "int32");
    const y = withHandler(h, () => get(x, ":", idx));
    assert.deepEqual(y.shape, [2, 2]);
    const z = withHandler(h, () => take(x, idx));
    assert.deepEqual(z.shape, [2]);
  });
  it("broadcasts several integer arrays together, placing the gathered axes as NumPy", () => {
    // Expected values from NumPy 2.4 with y = np.arange(24).reshape(2, 3, 4).
    const y = reshape(int(globalThis.Array.from({ length: 24 }, (_, i) => i)), [2, 3, 4]);
    assert.deepEqual(get(x, [0, 1], [2, 0]).tolist(), [2, 3]);
    assert.deepEqual(get(x, [[0], [1]], [2, 0, -1]).tolist(), [[2, 0, 2], [5, 3, 5]]);
    assert.deepEqual(get(y, [0, 1], ":", [1, 2]).tolist(), [[1, 5, 9], [14, 18, 22]]);
    assert.deepEqual(get(y, ":", [0, 1], [1, 2]).tolist(), [[1, 6], [13, 18]]);
    assert.deepEqual(get(y, ":", [[0, 1]], [[1], [2]]).shape, [2, 2, 2]);
    assert.deepEqual(get(y, ":", [[0, 1]], [[1], [2]]).tolist(), [[[1, 5], [2, 6]], [
      [13, 17],
      [14, 18],
    ]]);
    assert.deepEqual(get(y, [1, 0], 2, [1, 2]).tolist(), [21, 10]);
    assert.deepEqual(get(y, [1, 0], null, [1, 2]).tolist(), [[[16, 17, 18, 19]], [[
      8,
      9,
      10,
      11,
    ]]]);
    assert.deepEqual(get(y, null, "1:", [1, 0], "::2").tolist(), [[[[16, 18], [12, 14]]]]);
    assert.deepEqual(get(y, int([1, -1]), "...", int([[0], [3]])).tolist(), [
      [[12, 16, 20], [12, 16, 20]],
      [[15, 19, 23], [15, 19, 23]],
    ]);
    assert.deepEqual(get(y, [], []).shape, [0, 4]);
  });
  it("selects with boolean masks (concrete values), as the integer arrays of nonzero", () => {
    const y = reshape(int(globalThis.Array.from({ length: 24 }, (_, i) => i)), [2, 3, 4]);
    assert.deepEqual(get(x, arr([[true, false, true], [false, true, true]])).tolist(), [
      0,
      2,
      4,
      5,
    ]);
    assert.deepEqual(get(x, [true, false]).tolist(), [[0, 1, 2]]);
    assert.deepEqual(get(x, ":", [true, false, true]).tolist(), [[0, 2], [3, 5]]);
    assert.deepEqual(get(y, [[true, false, true], [false, true, true]]).tolist(), [
      [0, 1, 2, 3],
      [8, 9, 10, 11],
      [16, 17, 18, 19],
      [20, 21, 22, 23],
    ]);
    assert.deepEqual(get(y, [true, false], ":", [1, 2]).tolist(), [[1, 5, 9], [2, 6, 10]]);
    assert.deepEqual(get(y, [false, false]).shape, [0, 3, 4]);
    // A list mixing booleans and numbers is an integer index, as in NumPy.
    assert.deepEqual(get(arr([5, 6, 7]), [true, 2]).tolist(), [6, 7]);
  });
  it("differentiates and batches through several index arrays and masks", () => {
    const f = reshape(arr(globalThis.Array.from({ length: 12 }, (_, i) => i)), [3, 4]);
    const sumSq = (v: NdArray) => reduceSum(mul(v, v), v.shape.map((_, i) => i));
    // d/dx sum(x[[0, 2, 2], [1, 3, 3]]²): 2·1 at (0, 1) and 2·(2·11) at (2, 3) (picked twice).
    assert.deepEqual(grad((v: NdArray) => sumSq(get(v, [0, 2, 2], [1, 3, 3])))(f).tolist(), [
      [0, 2, 0, 0],
      [0, 0, 0, 0],
      [0, 0, 0, 44],
    ]);
    const mask = arr([[false, true, false, false], [false, false, false, false], [
      true,
      false,
      false,
      true,
    ]]);
    assert.deepEqual(grad((v: NdArray) => sumSq(get(v, mask)))(f).tolist(), [
      [0, 2, 0, 0],
      [0, 0, 0, 0],
      [16, 0, 0, 22],
    ]);
    const batch = reshape(arr(globalThis.Array.from({ length: 24 }, (_, i) => i)), [2, 3, 4]);
    assert.deepEqual(vmap((v: NdArray) => get(v, [[0, 1]], [[2], [3]]))(batch).tolist(), [
      [[2, 6], [3, 7]],
      [[14, 18], [15, 19]],
    ]);
    assertThrows(
      () => vmap((v: NdArray) => get(v, greater(v, 5)))(batch),
      ConcretizationError,
    );
  });
  it("rejects bad indices", () => {
    assertThrows(() => get(x, 2), RangeError, "Index 2 is out of bounds for axis 0 with size 2");
    assertThrows(
      () => get(x, 0, -4),
      RangeError,
      "Index -4 is out of bounds for axis 1 with size 3",
    );
    // Array indices out of range read the nearest element, as JAX (values from JAX 0.10.2).
    assert.deepEqual(get(x, ":", [0, 3]).tolist(), [[0, 2], [3, 5]]);
    assert.deepEqual(get(x, [-3]).tolist(), [[0, 1, 2]]);
    assertThrows(
      () => get(x, 0, 0, 0),
      RangeError,
      "Too many indices for an array of shape [2,3]: the array is 2-dimensional, but 3 were indexed",
    );
    assertThrows(
      () => get(x, "...", "..."),
      TypeError,
      `An index can only have a single ellipsis ("...")`,
    );
    assertThrows(
      () => get(x, [0, 1], [0, 1, 2]),
      TypeError,
      "Cannot broadcast the index arrays together: shapes [2], [3]",
    );
    assert.deepEqual(get(x, [0, 1], [0, 3]).tolist(), [0, 5]); // each index clamped on its axis
    assertThrows(
      () => get(x, [true, false, true]),
      RangeError,
      "Boolean index of shape [3] does not match the indexed array: axis 0 has size 2, but mask axis 0 has size 3",
    );
    assertThrows(() => get(x, true as never), TypeError, "Invalid index true");
    assertThrows(() => get(x, "::0"), RangeError, `Invalid index "::0": slice step cannot be zero`);
    assertThrows(() => get(x, "a:b"), TypeError, `Invalid index "a:b": expected a slice`);
    assertThrows(() => get(x, "1"), TypeError, `Invalid index "1": expected a slice`);
    assertThrows(() => get(x, "1:2:3:4"), TypeError, `Invalid index "1:2:3:4"`);
    assertThrows(() => get(x, 0.5), TypeError, "Indices must be integers: got 0.5");
    assertThrows(
      () => get(x, [0.5]),
      TypeError,
      "Array indices must be integers: got [0.5]",
    );
    assertThrows(
      // deno-lint-ignore no-explicit-any
      () => get(x, {} as any, 0),
      TypeError,
      "Invalid index {} for get: options go last",
    );
    assertThrows(
      () => get(x, [0], { mod: "clip" } as never),
      TypeError,
      'Unknown option "mod" for get',
    );
    assertThrows(
      () => get(x, [0], { mode: "wrap" } as never),
      TypeError,
      'Invalid mode "wrap" for get',
    );
  });
});

describe("np shape functions: dtypes and details", () => {
  it("concatenate and stack promote dtypes", () => {
    const c = concatenate([arr([1, 2]), arr([0.5])]);
    assert.equal(c.dtype, "float64");
    assert.deepEqual(c.tolist(), [1, 2, 0.5]);
    const s = stack([arr([true]), int([2])]);
    assert.equal(s.dtype, "int32");
    assert.deepEqual(s.tolist(), [[1], [2]]);
    assert.deepEqual(concatenate([arr([[1]]), arr([2, 3])], null).tolist(), [1, 2, 3]);
  });
  it("keeps int32 and bool dtypes", () => {
    assert.equal(reshape(int([1, 2]), [2, 1]).dtype, "int32");
    assert.equal(tile(arr([true]), 2).dtype, "bool");
    assert.deepEqual(repeat(arr([true, false]), 2).tolist(), [true, true, false, false]);
    assert.deepEqual(diag(arr([true, true])).tolist(), [[true, false], [false, true]]);
    assert.deepEqual(flip(arr([1, 2, 3])).tolist(), [3, 2, 1]);
  });
  it("trace sums bool diagonals as int32", () => {
    const t = trace(arr([[true, true], [false, true]]));
    assert.equal(t.dtype, "int32");
    assert.equal(t.item(), 2);
    assert.equal(trace(int([[1, 2], [3, 4]])).dtype, "int32");
  });
  it("take accepts scalars and normalises negative indices", () => {
    assert.equal(take(arr([[1, 2], [3, 4]]), -1).item(), 4);
    assert.deepEqual(take(arr([[1, 2], [3, 4]]), int([[-1]]), 1).tolist(), [[[2]], [[4]]]);
    assert.deepEqual(take(arr([1, 2]), []).shape, [0]);
  });
  it("works on empty arrays", () => {
    assert.deepEqual(reshape(A(0, 2), [-1, 2]).shape, [0, 2]);
    assert.deepEqual(transpose(A(0, 2)).shape, [2, 0]);
    assert.deepEqual(flip(A(0, 2)).shape, [0, 2]);
    assert.deepEqual(tile(A(0), 3).shape, [0]);
    assert.deepEqual(repeat(A(2, 0), 3, 0).shape, [6, 0]);
    assert.deepEqual(split(A(0), 2).map((a) => a.shape), [[0], [0]]);
    assert.deepEqual(stack([A(0), A(0)]).shape, [2, 0]);
    assert.deepEqual(diagonal(A(0, 3)).shape, [0]);
    assert.equal(trace(A(0, 0)).item(), 0);
    assert.deepEqual(diag(A(0)).shape, [0, 0]);
    assert.deepEqual(broadcastTo(A(0), [2, 0]).shape, [2, 0]);
    assert.deepEqual(squeeze(A(1, 0)).shape, [0]);
    assert.deepEqual(expandDims(A(0), 0).shape, [1, 0]);
    assert.deepEqual(ravel(A(3, 0)).shape, [0]);
    assert.deepEqual(swapaxes(A(3, 0), 0, 1).shape, [0, 3]);
    assert.deepEqual(moveaxis(A(3, 0, 1), 0, 2).shape, [0, 1, 3]);
  });
  it("broadcastArrays broadcasts to the common shape", () => {
    const [a, b, c] = broadcastArrays(arr([[1], [2]]), arr([3, 4, 5]), 7);
    assert.deepEqual(a.tolist(), [[1, 1, 1], [2, 2, 2]]);
    assert.deepEqual(b.tolist(), [[3, 4, 5], [3, 4, 5]]);
    assert.deepEqual(c.tolist(), [[7, 7, 7], [7, 7, 7]]);
  });
  it("accepts array-likes", () => {
    assert.deepEqual(reshape([1, 2, 3, 4], [2, 2]).tolist(), [[1, 2], [3, 4]]);
    assert.deepEqual(reshape(5, []).tolist(), 5);
    assert.deepEqual(expandDims(5, 0).tolist(), [5]);
  });
});

describe("np shape functions: errors", () => {
  it("reshape", () => {
    assertThrows(
      () => reshape(A(2, 3), [4]),
      TypeError,
      "Cannot reshape array of shape [2,3] (size 6) into shape [4] (size 4)",
    );
    assertThrows(
      () => reshape(A(2, 3), [4, -1]),
      TypeError,
      "Cannot reshape array of shape [2,3] (size 6) into shape [4,-1]",
    );
    assertThrows(
      () => reshape(A(0), [0, -1]),
      TypeError,
      "Cannot reshape array of shape [0] (size 0) into shape [0,-1]",
    );
    assertThrows(
      () => reshape(A(6), [-1, -1]),
      TypeError,
      "Cannot reshape into shape [-1,-1]: only one dimension can be -1",
    );
    assertThrows(
      () => reshape(A(6), [2.5, 2]),
      TypeError,
      "Cannot reshape into shape [2.5,2]: dimensions must be non-negative integers or -1",
    );
  });
  it("transpose, swapaxes and moveaxis", () => {
    assertThrows(
      () => transpose(A(2, 3), [0]),
      TypeError,
      "Cannot transpose an array of shape [2,3] with axes [0]: expected 2 axes, got 1",
    );
    assertThrows(
      () => transpose(A(2, 3), [0, -2]),
      RangeError,
      "Repeated axis in [0,-2]: axis 0 appears twice",
    );
    assertThrows(() => transpose(A(2, 3), [0, 2]), RangeError, "Axis 2 is out of bounds");
    assertThrows(() => swapaxes(A(2, 3), 0, 2), RangeError, "Axis 2 is out of bounds");
    assertThrows(
      () => moveaxis(A(2, 3), [0, 1], [0]),
      TypeError,
      "Cannot move axes [0,1] to [0]: source and destination must have the same number of elements (2 vs 1)",
    );
  });
  it("expandDims and squeeze", () => {
    assertThrows(() => expandDims(A(2), 2), RangeError, "Axis 2 is out of bounds");
    assertThrows(
      () => expandDims(A(2), [0, 0]),
      RangeError,
      "Repeated axis in [0,0]: axis 0 appears twice",
    );
    assertThrows(
      () => squeeze(A(2, 1), 0),
      TypeError,
      "Cannot squeeze axis 0 of an array of shape [2,1]: its size is 2, not 1",
    );
  });
  it("broadcastTo", () => {
    assertThrows(
      () => broadcastTo(A(3), [4]),
      TypeError,
      "Cannot broadcast an array of shape [3] to shape [4]: dimension 0 differs (3 vs 4)",
    );
    assertThrows(
      () => broadcastTo(A(2, 3), [3]),
      TypeError,
      "Cannot broadcast an array of shape [2,3] to shape [3]: the target has fewer dimensions",
    );
    assertThrows(
      () => broadcastTo(A(1), [-1]),
      TypeError,
      "Invalid shape [-1]: expected an array of non-negative integers",
    );
    assertThrows(
      () => broadcastArrays(A(2), A(3)),
      TypeError,
      "Cannot broadcast shapes [2] and [3]: dimension 0 differs (2 vs 3)",
    );
  });
  it("concatenate and stack", () => {
    assertThrows(() => concatenate([]), TypeError, "Need at least one array to concatenate");
    assertThrows(
      () => concatenate([A(), A()]),
      TypeError,
      "Cannot concatenate zero-dimensional arrays: use stack instead",
    );
    assertThrows(
      () => concatenate([A(2, 3), A(3)]),
      TypeError,
      "Cannot concatenate arrays of shapes [2,3] and [3]: ranks differ (2 vs 1)",
    );
    assertThrows(
      () => concatenate([A(2, 3), A(3, 3)], 1),
      TypeError,
      "Cannot concatenate arrays of shapes [2,3] and [3,3] along axis 1: dimension 0 differs (2 vs 3)",
    );
    assertThrows(() => concatenate([A(2)], 1), RangeError, "Axis 1 is out of bounds");
    assertThrows(() => stack([]), TypeError, "Need at least one array to stack");
    assertThrows(
      () => stack([A(2), A(3)]),
      TypeError,
      "Cannot stack arrays of shapes [2] and [3]: all input arrays must have the same shape",
    );
    assertThrows(() => stack([A(2)], 2), RangeError, "Axis 2 is out of bounds");
  });
  it("split", () => {
    assertThrows(
      () => split(A(5), 2),
      RangeError,
      "Array split does not result in an equal division: axis 0 of size 5 into 2 sections",
    );
    assertThrows(
      () => split(A(5), 0),
      RangeError,
      "Number of sections must be a positive integer: got 0",
    );
    assertThrows(() => split(A(5), [1.5]), TypeError, "Split indices must be integers: got [1.5]");
    assertThrows(() => split(A(), 1), RangeError, "Cannot split a zero-dimensional array");
  });
  it("tile, repeat and take", () => {
    assertThrows(
      () => tile(A(2), [-1]),
      RangeError,
      "Tile repetitions must be non-negative integers: got [-1]",
    );
    assertThrows(
      () => repeat(A(2), -1),
      RangeError,
      "Repeats must be non-negative integers: got [-1]",
    );
    assertThrows(
      () => repeat(A(2, 3), [1, 2], 1),
      RangeError,
      "Cannot repeat axis 1 of size 3 with 2 repeats: expected 1 or 3",
    );
    // take's default mode is "fill", as JAX's (values from JAX 0.10.2).
    assert.deepEqual(take(A(2, 3), [0, 5], 1).tolist(), [[1, NaN], [4, NaN]]);
    assert.ok(Number.isNaN(take(A(2, 3), 6).item()));
    assertThrows(() => take(A(0), 0), RangeError, "Cannot gather 1 elements from axis 0 of size 0");
    assertThrows(() => take(A(3), 0.5), TypeError, "Indices must be integers: got 0.5");
    assertThrows(
      () => take(A(3), A(1)),
      TypeError,
      'Indices must be integers: got an array of dtype float64 (use astype("int32"))',
    );
    assertThrows(
      () => take(A(3), [true]),
      TypeError,
      "Indices must be integers: got booleans of shape [1] (boolean masks index with get, not here)",
    );
    assertThrows(
      () => take(A(3), [0, 1.5]),
      TypeError,
      "Indices must be integers: got [0,1.5]",
    );
    assertThrows(
      () => take(A(3), [2 ** 40]),
      RangeError,
      "Index 1099511627776 is out of bounds for axis 0 with size 3",
    );
  });
  it("diag, diagonal and trace", () => {
    assertThrows(
      () => diag(A(2, 2, 2)),
      TypeError,
      "Input must be 1-D or 2-D for diag: got shape [2,2,2]",
    );
    assertThrows(() => diag(A(2), 0.5), TypeError, "Diagonal offset must be an integer: got 0.5");
    assertThrows(
      () => diagonal(A(2)),
      TypeError,
      "Diagonal requires an array of at least two dimensions: got shape [2]",
    );
    assertThrows(
      () => diagonal(A(2, 2), 0, 1, -1),
      RangeError,
      "Diagonal axes must differ: axis1 and axis2 are both 1",
    );
    assertThrows(() => trace(A(2, 2), 0, 0, 2), RangeError, "Axis 2 is out of bounds");
  });
});

describe("np manipulation: values against NumPy (fixtures/numpy/chapters.json)", () => {
  valuesAgainstNumPy([
    ["pad constant", () => np.pad(R45, [[1, 2], [0, 3]])],
    ["pad constant value", () => np.pad(R45, 2, { constantValues: -1.5 })],
    ["pad edge", () => np.pad(R45, [[2, 1], [3, 0]], "edge")],
    ["pad reflect", () => np.pad(R45, [[3, 5], [4, 6]], "reflect")],
    ["pad symmetric", () => np.pad(R45, [[3, 5], [9, 2]], "symmetric")],
    ["pad wrap", () => np.pad(R45, [[3, 9], [1, 12]], "wrap")],
    ["pad pair", () => np.pad(R234, [1, 2])],
    ["pad reflect 1", () => np.pad([5], 3, "reflect")],
    ["roll 7", () => np.roll(R45, 7)],
    ["roll -2 axis 1", () => np.roll(R45, -2, 1)],
    ["roll multi", () => np.roll(R234, [1, -5, 2], [0, 2, 2])],
  ]);
});

describe("np manipulation: shapes and hand-checked values", () => {
  it("atleast1d/2d/3d", () => {
    assert.deepEqual(np.atleast1d(np.array(2)).tolist(), [2]);
    assert.deepEqual(np.atleast2d(2).shape, [1, 1]);
    assert.deepEqual(np.atleast3d(2).shape, [1, 1, 1]);
    assert.deepEqual(np.atleast3d(np.ones([2, 3, 4, 5])).shape, [2, 3, 4, 5]);
    assert.deepEqual(np.atleast3d([[1, 2], [3, 4]]).tolist(), [[[1], [2]], [[3], [4]]]);
    assert.deepEqual(np.atleast2d(1, [1, 2], [[1]]).map((a) => a.shape), [[1, 1], [1, 2], [1, 1]]);
  });

  it("hstack, vstack, dstack, columnStack, append", () => {
    assert.deepEqual(np.hstack([1, [2, 3]]).tolist(), [1, 2, 3]);
    assert.deepEqual(np.vstack([[1, 2], [[3, 4], [5, 6]]]).tolist(), [[1, 2], [3, 4], [5, 6]]);
    assert.deepEqual(np.vstack([1, 2]).tolist(), [[1], [2]]);
    assert.deepEqual(np.dstack([[[1, 2]], [[3, 4]]]).tolist(), [[[1, 3], [2, 4]]]);
    assert.deepEqual(np.dstack([1, 2]).shape, [1, 1, 2]);
    assert.deepEqual(np.columnStack([[1, 2], [[3, 4], [5, 6]]]).tolist(), [[1, 3, 4], [2, 5, 6]]);
    assert.deepEqual(np.columnStack([1, 2]).tolist(), [[1, 2]]);
    assert.deepEqual(np.append([[1, 2], [3, 4]], [[5], [6]], 1).tolist(), [[1, 2, 5], [3, 4, 6]]);
    assert.deepEqual(np.append(1, 2).tolist(), [1, 2]);
    assert.equal(np.hstack([np.array([1], { dtype: "int32" }), [2.5]]).dtype, "float64");
  });
});

describe("np manipulation: derivatives at special points, as JAX", () => {
  it("pad: constant values and every mode are differentiable", () => {
    const x = np.array([[0.5, -1, 2], [1.5, 0.3, -0.2]]);
    for (const mode of ["constant", "edge", "reflect", "symmetric", "wrap"] as const) {
      checkGrads((v: NdArray) => np.pad(v, [[1, 2], [4, 1]], mode), [x], { order: 2 });
    }
    const g = grad((c: NdArray) => np.sum(np.pad(x, 1, { constantValues: c })))(np.array(0.7));
    assert.equal(g.item(), 4 * 5 - 6);
    // edge padding sends the padded cotangents to the edge elements
    assert.deepEqual(
      grad((v: NdArray) => np.sum(np.pad(v, [2, 1], "edge")))(np.array([1, 2, 3])).tolist(),
      [
        3,
        1,
        2,
      ],
    );
  });
});
