// np reductions: every reduction × axis variant (none, single, negative, tuples, empty tuple) ×
// keepdims against NumPy/SciPy values computed offline and pasted as literals; dtype rules;
// NaN/±Inf/empty edges; argmax/argmin, cumsum, var/std options; and every error path.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { assertAllClose, assertThrows } from "./_assert.ts";
import { type Array as NdArray, grad, type NestedList, np } from "../mod.ts";
import { checkGrads } from "../src/testing.ts";
import { C, R234, R45, valuesAgainstNumPy } from "./_numpy_fixtures.ts";

type Reduction = (
  x: NdArray,
  axis?: number | readonly number[] | null,
  opts?: { keepdims?: boolean },
) => NdArray;
const fns = np as unknown as Record<string, Reduction>;
const i32 = (x: number[] | number[][]): NdArray => np.array(x, { dtype: "int32" });
const f32 = (x: number[]): NdArray => np.array(x, { dtype: "float32" });

const X = [[[-2.5, 1, -1, 2.5], [0.5, -1.5, 2, 0], [-2, 1.5, -0.5, -2.5]], [[1, -1, 2.5, 0.5], [
  -1.5,
  2,
  0,
  -2,
], [1.5, -0.5, -2.5, 1]]];
const REDUCTIONS: [string, number | number[] | null, boolean, number[], NestedList][] = [
  ["sum", null, false, [], -1.5],
  ["sum", null, true, [1, 1, 1], [[[-1.5]]]],
  ["sum", 0, false, [3, 4], [[-1.5, 0, 1.5, 3], [-1, 0.5, 2, -2], [-0.5, 1, -3, -1.5]]],
  ["sum", 0, true, [1, 3, 4], [[[-1.5, 0, 1.5, 3], [-1, 0.5, 2, -2], [-0.5, 1, -3, -1.5]]]],
  ["sum", 1, false, [2, 4], [[-4, 1, 0.5, 0], [1, 0.5, 0, -0.5]]],
  ["sum", 1, true, [2, 1, 4], [[[-4, 1, 0.5, 0]], [[1, 0.5, 0, -0.5]]]],
  ["sum", 2, false, [2, 3], [[0, 1, -3.5], [3, -1.5, -0.5]]],
  ["sum", 2, true, [2, 3, 1], [[[0], [1], [-3.5]], [[3], [-1.5], [-0.5]]]],
  ["sum", -1, false, [2, 3], [[0, 1, -3.5], [3, -1.5, -0.5]]],
  ["sum", -1, true, [2, 3, 1], [[[0], [1], [-3.5]], [[3], [-1.5], [-0.5]]]],
  ["sum", -3, false, [3, 4], [[-1.5, 0, 1.5, 3], [-1, 0.5, 2, -2], [-0.5, 1, -3, -1.5]]],
  ["sum", -3, true, [1, 3, 4], [[[-1.5, 0, 1.5, 3], [-1, 0.5, 2, -2], [-0.5, 1, -3, -1.5]]]],
  ["sum", [0, 2], false, [3], [3, -0.5, -4]],
  ["sum", [0, 2], true, [1, 3, 1], [[[3], [-0.5], [-4]]]],
  ["sum", [-1, -3], false, [3], [3, -0.5, -4]],
  ["sum", [-1, -3], true, [1, 3, 1], [[[3], [-0.5], [-4]]]],
  ["sum", [0, 1, 2], false, [], -1.5],
  ["sum", [0, 1, 2], true, [1, 1, 1], [[[-1.5]]]],
  ["sum", [], false, [2, 3, 4], [[[-2.5, 1, -1, 2.5], [0.5, -1.5, 2, 0], [-2, 1.5, -0.5, -2.5]], [
    [1, -1, 2.5, 0.5],
    [-1.5, 2, 0, -2],
    [1.5, -0.5, -2.5, 1],
  ]]],
  ["sum", [], true, [2, 3, 4], [[[-2.5, 1, -1, 2.5], [0.5, -1.5, 2, 0], [-2, 1.5, -0.5, -2.5]], [
    [1, -1, 2.5, 0.5],
    [-1.5, 2, 0, -2],
    [1.5, -0.5, -2.5, 1],
  ]]],
  ["prod", null, false, [], -0],
  ["prod", null, true, [1, 1, 1], [[[-0]]]],
  ["prod", 0, false, [3, 4], [[-2.5, -1, -2.5, 1.25], [-0.75, -3, 0, -0], [-3, -0.75, 1.25, -2.5]]],
  ["prod", 0, true, [1, 3, 4], [[[-2.5, -1, -2.5, 1.25], [-0.75, -3, 0, -0], [
    -3,
    -0.75,
    1.25,
    -2.5,
  ]]]],
  ["prod", 1, false, [2, 4], [[2.5, -2.25, 1, -0], [-2.25, 1, -0, -1]]],
  ["prod", 1, true, [2, 1, 4], [[[2.5, -2.25, 1, -0]], [[-2.25, 1, -0, -1]]]],
  ["prod", 2, false, [2, 3], [[6.25, -0, -3.75], [-1.25, 0, 1.875]]],
  ["prod", 2, true, [2, 3, 1], [[[6.25], [-0], [-3.75]], [[-1.25], [0], [1.875]]]],
  ["prod", -1, false, [2, 3], [[6.25, -0, -3.75], [-1.25, 0, 1.875]]],
  ["prod", -1, true, [2, 3, 1], [[[6.25], [-0], [-3.75]], [[-1.25], [0], [1.875]]]],
  ["prod", -3, false, [3, 4], [[-2.5, -1, -2.5, 1.25], [-0.75, -3, 0, -0], [
    -3,
    -0.75,
    1.25,
    -2.5,
  ]]],
  ["prod", -3, true, [1, 3, 4], [[[-2.5, -1, -2.5, 1.25], [-0.75, -3, 0, -0], [
    -3,
    -0.75,
    1.25,
    -2.5,
  ]]]],
  ["prod", [0, 2], false, [3], [-7.8125, -0, -7.03125]],
  ["prod", [0, 2], true, [1, 3, 1], [[[-7.8125], [-0], [-7.03125]]]],
  ["prod", [-1, -3], false, [3], [-7.8125, -0, -7.03125]],
  ["prod", [-1, -3], true, [1, 3, 1], [[[-7.8125], [-0], [-7.03125]]]],
  ["prod", [0, 1, 2], false, [], -0],
  ["prod", [0, 1, 2], true, [1, 1, 1], [[[-0]]]],
  ["prod", [], false, [2, 3, 4], [[[-2.5, 1, -1, 2.5], [0.5, -1.5, 2, 0], [-2, 1.5, -0.5, -2.5]], [
    [1, -1, 2.5, 0.5],
    [-1.5, 2, 0, -2],
    [1.5, -0.5, -2.5, 1],
  ]]],
  ["prod", [], true, [2, 3, 4], [[[-2.5, 1, -1, 2.5], [0.5, -1.5, 2, 0], [-2, 1.5, -0.5, -2.5]], [
    [1, -1, 2.5, 0.5],
    [-1.5, 2, 0, -2],
    [1.5, -0.5, -2.5, 1],
  ]]],
  ["mean", null, false, [], -0.0625],
  ["mean", null, true, [1, 1, 1], [[[-0.0625]]]],
  ["mean", 0, false, [3, 4], [[-0.75, 0, 0.75, 1.5], [-0.5, 0.25, 1, -1], [
    -0.25,
    0.5,
    -1.5,
    -0.75,
  ]]],
  ["mean", 0, true, [1, 3, 4], [[[-0.75, 0, 0.75, 1.5], [-0.5, 0.25, 1, -1], [
    -0.25,
    0.5,
    -1.5,
    -0.75,
  ]]]],
  ["mean", 1, false, [2, 4], [[-1.3333333333333333, 0.3333333333333333, 0.16666666666666666, 0], [
    0.3333333333333333,
    0.16666666666666666,
    0,
    -0.16666666666666666,
  ]]],
  ["mean", 1, true, [2, 1, 4], [
    [[-1.3333333333333333, 0.3333333333333333, 0.16666666666666666, 0]],
    [[0.3333333333333333, 0.16666666666666666, 0, -0.16666666666666666]],
  ]],
  ["mean", 2, false, [2, 3], [[0, 0.25, -0.875], [0.75, -0.375, -0.125]]],
  ["mean", 2, true, [2, 3, 1], [[[0], [0.25], [-0.875]], [[0.75], [-0.375], [-0.125]]]],
  ["mean", -1, false, [2, 3], [[0, 0.25, -0.875], [0.75, -0.375, -0.125]]],
  ["mean", -1, true, [2, 3, 1], [[[0], [0.25], [-0.875]], [[0.75], [-0.375], [-0.125]]]],
  ["mean", -3, false, [3, 4], [[-0.75, 0, 0.75, 1.5], [-0.5, 0.25, 1, -1], [
    -0.25,
    0.5,
    -1.5,
    -0.75,
  ]]],
  ["mean", -3, true, [1, 3, 4], [[[-0.75, 0, 0.75, 1.5], [-0.5, 0.25, 1, -1], [
    -0.25,
    0.5,
    -1.5,
    -0.75,
  ]]]],
  ["mean", [0, 2], false, [3], [0.375, -0.0625, -0.5]],
  ["mean", [0, 2], true, [1, 3, 1], [[[0.375], [-0.0625], [-0.5]]]],
  ["mean", [-1, -3], false, [3], [0.375, -0.0625, -0.5]],
  ["mean", [-1, -3], true, [1, 3, 1], [[[0.375], [-0.0625], [-0.5]]]],
  ["mean", [0, 1, 2], false, [], -0.0625],
  ["mean", [0, 1, 2], true, [1, 1, 1], [[[-0.0625]]]],
  ["mean", [], false, [2, 3, 4], [[[-2.5, 1, -1, 2.5], [0.5, -1.5, 2, 0], [-2, 1.5, -0.5, -2.5]], [
    [1, -1, 2.5, 0.5],
    [-1.5, 2, 0, -2],
    [1.5, -0.5, -2.5, 1],
  ]]],
  ["mean", [], true, [2, 3, 4], [[[-2.5, 1, -1, 2.5], [0.5, -1.5, 2, 0], [-2, 1.5, -0.5, -2.5]], [
    [1, -1, 2.5, 0.5],
    [-1.5, 2, 0, -2],
    [1.5, -0.5, -2.5, 1],
  ]]],
  ["max", null, false, [], 2.5],
  ["max", null, true, [1, 1, 1], [[[2.5]]]],
  ["max", 0, false, [3, 4], [[1, 1, 2.5, 2.5], [0.5, 2, 2, 0], [1.5, 1.5, -0.5, 1]]],
  ["max", 0, true, [1, 3, 4], [[[1, 1, 2.5, 2.5], [0.5, 2, 2, 0], [1.5, 1.5, -0.5, 1]]]],
  ["max", 1, false, [2, 4], [[0.5, 1.5, 2, 2.5], [1.5, 2, 2.5, 1]]],
  ["max", 1, true, [2, 1, 4], [[[0.5, 1.5, 2, 2.5]], [[1.5, 2, 2.5, 1]]]],
  ["max", 2, false, [2, 3], [[2.5, 2, 1.5], [2.5, 2, 1.5]]],
  ["max", 2, true, [2, 3, 1], [[[2.5], [2], [1.5]], [[2.5], [2], [1.5]]]],
  ["max", -1, false, [2, 3], [[2.5, 2, 1.5], [2.5, 2, 1.5]]],
  ["max", -1, true, [2, 3, 1], [[[2.5], [2], [1.5]], [[2.5], [2], [1.5]]]],
  ["max", -3, false, [3, 4], [[1, 1, 2.5, 2.5], [0.5, 2, 2, 0], [1.5, 1.5, -0.5, 1]]],
  ["max", -3, true, [1, 3, 4], [[[1, 1, 2.5, 2.5], [0.5, 2, 2, 0], [1.5, 1.5, -0.5, 1]]]],
  ["max", [0, 2], false, [3], [2.5, 2, 1.5]],
  ["max", [0, 2], true, [1, 3, 1], [[[2.5], [2], [1.5]]]],
  ["max", [-1, -3], false, [3], [2.5, 2, 1.5]],
  ["max", [-1, -3], true, [1, 3, 1], [[[2.5], [2], [1.5]]]],
  ["max", [0, 1, 2], false, [], 2.5],
  ["max", [0, 1, 2], true, [1, 1, 1], [[[2.5]]]],
  ["max", [], false, [2, 3, 4], [[[-2.5, 1, -1, 2.5], [0.5, -1.5, 2, 0], [-2, 1.5, -0.5, -2.5]], [
    [1, -1, 2.5, 0.5],
    [-1.5, 2, 0, -2],
    [1.5, -0.5, -2.5, 1],
  ]]],
  ["max", [], true, [2, 3, 4], [[[-2.5, 1, -1, 2.5], [0.5, -1.5, 2, 0], [-2, 1.5, -0.5, -2.5]], [
    [1, -1, 2.5, 0.5],
    [-1.5, 2, 0, -2],
    [1.5, -0.5, -2.5, 1],
  ]]],
  ["min", null, false, [], -2.5],
  ["min", null, true, [1, 1, 1], [[[-2.5]]]],
  ["min", 0, false, [3, 4], [[-2.5, -1, -1, 0.5], [-1.5, -1.5, 0, -2], [-2, -0.5, -2.5, -2.5]]],
  ["min", 0, true, [1, 3, 4], [[[-2.5, -1, -1, 0.5], [-1.5, -1.5, 0, -2], [-2, -0.5, -2.5, -2.5]]]],
  ["min", 1, false, [2, 4], [[-2.5, -1.5, -1, -2.5], [-1.5, -1, -2.5, -2]]],
  ["min", 1, true, [2, 1, 4], [[[-2.5, -1.5, -1, -2.5]], [[-1.5, -1, -2.5, -2]]]],
  ["min", 2, false, [2, 3], [[-2.5, -1.5, -2.5], [-1, -2, -2.5]]],
  ["min", 2, true, [2, 3, 1], [[[-2.5], [-1.5], [-2.5]], [[-1], [-2], [-2.5]]]],
  ["min", -1, false, [2, 3], [[-2.5, -1.5, -2.5], [-1, -2, -2.5]]],
  ["min", -1, true, [2, 3, 1], [[[-2.5], [-1.5], [-2.5]], [[-1], [-2], [-2.5]]]],
  ["min", -3, false, [3, 4], [[-2.5, -1, -1, 0.5], [-1.5, -1.5, 0, -2], [-2, -0.5, -2.5, -2.5]]],
  ["min", -3, true, [1, 3, 4], [[[-2.5, -1, -1, 0.5], [-1.5, -1.5, 0, -2], [
    -2,
    -0.5,
    -2.5,
    -2.5,
  ]]]],
  ["min", [0, 2], false, [3], [-2.5, -2, -2.5]],
  ["min", [0, 2], true, [1, 3, 1], [[[-2.5], [-2], [-2.5]]]],
  ["min", [-1, -3], false, [3], [-2.5, -2, -2.5]],
  ["min", [-1, -3], true, [1, 3, 1], [[[-2.5], [-2], [-2.5]]]],
  ["min", [0, 1, 2], false, [], -2.5],
  ["min", [0, 1, 2], true, [1, 1, 1], [[[-2.5]]]],
  ["min", [], false, [2, 3, 4], [[[-2.5, 1, -1, 2.5], [0.5, -1.5, 2, 0], [-2, 1.5, -0.5, -2.5]], [
    [1, -1, 2.5, 0.5],
    [-1.5, 2, 0, -2],
    [1.5, -0.5, -2.5, 1],
  ]]],
  ["min", [], true, [2, 3, 4], [[[-2.5, 1, -1, 2.5], [0.5, -1.5, 2, 0], [-2, 1.5, -0.5, -2.5]], [
    [1, -1, 2.5, 0.5],
    [-1.5, 2, 0, -2],
    [1.5, -0.5, -2.5, 1],
  ]]],
  ["var", null, false, [], 2.58984375],
  ["var", null, true, [1, 1, 1], [[[2.58984375]]]],
  ["var", 0, false, [3, 4], [[3.0625, 1, 3.0625, 1], [1, 3.0625, 1, 1], [3.0625, 1, 1, 3.0625]]],
  ["var", 0, true, [1, 3, 4], [[[3.0625, 1, 3.0625, 1], [1, 3.0625, 1, 1], [
    3.0625,
    1,
    1,
    3.0625,
  ]]]],
  ["var", 1, false, [2, 4], [[
    1.7222222222222223,
    1.7222222222222223,
    1.7222222222222223,
    4.166666666666667,
  ], [1.7222222222222223, 1.7222222222222223, 4.166666666666667, 1.7222222222222223]]],
  ["var", 1, true, [2, 1, 4], [[[
    1.7222222222222223,
    1.7222222222222223,
    1.7222222222222223,
    4.166666666666667,
  ]], [[1.7222222222222223, 1.7222222222222223, 4.166666666666667, 1.7222222222222223]]]],
  ["var", 2, false, [2, 3], [[3.625, 1.5625, 2.421875], [1.5625, 2.421875, 2.421875]]],
  ["var", 2, true, [2, 3, 1], [[[3.625], [1.5625], [2.421875]], [[1.5625], [2.421875], [
    2.421875,
  ]]]],
  ["var", -1, false, [2, 3], [[3.625, 1.5625, 2.421875], [1.5625, 2.421875, 2.421875]]],
  ["var", -1, true, [2, 3, 1], [[[3.625], [1.5625], [2.421875]], [[1.5625], [2.421875], [
    2.421875,
  ]]]],
  ["var", -3, false, [3, 4], [[3.0625, 1, 3.0625, 1], [1, 3.0625, 1, 1], [3.0625, 1, 1, 3.0625]]],
  ["var", -3, true, [1, 3, 4], [[[3.0625, 1, 3.0625, 1], [1, 3.0625, 1, 1], [
    3.0625,
    1,
    1,
    3.0625,
  ]]]],
  ["var", [0, 2], false, [3], [2.734375, 2.08984375, 2.5625]],
  ["var", [0, 2], true, [1, 3, 1], [[[2.734375], [2.08984375], [2.5625]]]],
  ["var", [-1, -3], false, [3], [2.734375, 2.08984375, 2.5625]],
  ["var", [-1, -3], true, [1, 3, 1], [[[2.734375], [2.08984375], [2.5625]]]],
  ["var", [0, 1, 2], false, [], 2.58984375],
  ["var", [0, 1, 2], true, [1, 1, 1], [[[2.58984375]]]],
  ["var", [], false, [2, 3, 4], [[[0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]], [[0, 0, 0, 0], [
    0,
    0,
    0,
    0,
  ], [0, 0, 0, 0]]]],
  ["var", [], true, [2, 3, 4], [[[0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]], [[0, 0, 0, 0], [
    0,
    0,
    0,
    0,
  ], [0, 0, 0, 0]]]],
  ["std", null, false, [], 1.6092991486979666],
  ["std", null, true, [1, 1, 1], [[[1.6092991486979666]]]],
  ["std", 0, false, [3, 4], [[1.75, 1, 1.75, 1], [1, 1.75, 1, 1], [1.75, 1, 1, 1.75]]],
  ["std", 0, true, [1, 3, 4], [[[1.75, 1, 1.75, 1], [1, 1.75, 1, 1], [1.75, 1, 1, 1.75]]]],
  ["std", 1, false, [2, 4], [[
    1.3123346456686351,
    1.3123346456686351,
    1.3123346456686351,
    2.041241452319315,
  ], [1.3123346456686351, 1.3123346456686351, 2.041241452319315, 1.3123346456686351]]],
  ["std", 1, true, [2, 1, 4], [[[
    1.3123346456686351,
    1.3123346456686351,
    1.3123346456686351,
    2.041241452319315,
  ]], [[1.3123346456686351, 1.3123346456686351, 2.041241452319315, 1.3123346456686351]]]],
  ["std", 2, false, [2, 3], [[1.9039432764659772, 1.25, 1.5562374497485916], [
    1.25,
    1.5562374497485916,
    1.5562374497485916,
  ]]],
  ["std", 2, true, [2, 3, 1], [[[1.9039432764659772], [1.25], [1.5562374497485916]], [[1.25], [
    1.5562374497485916,
  ], [1.5562374497485916]]]],
  ["std", -1, false, [2, 3], [[1.9039432764659772, 1.25, 1.5562374497485916], [
    1.25,
    1.5562374497485916,
    1.5562374497485916,
  ]]],
  ["std", -1, true, [2, 3, 1], [[[1.9039432764659772], [1.25], [1.5562374497485916]], [[1.25], [
    1.5562374497485916,
  ], [1.5562374497485916]]]],
  ["std", -3, false, [3, 4], [[1.75, 1, 1.75, 1], [1, 1.75, 1, 1], [1.75, 1, 1, 1.75]]],
  ["std", -3, true, [1, 3, 4], [[[1.75, 1, 1.75, 1], [1, 1.75, 1, 1], [1.75, 1, 1, 1.75]]]],
  ["std", [0, 2], false, [3], [1.653594569415369, 1.4456291882775472, 1.6007810593582121]],
  ["std", [0, 2], true, [1, 3, 1], [[[1.653594569415369], [1.4456291882775472], [
    1.6007810593582121,
  ]]]],
  ["std", [-1, -3], false, [3], [1.653594569415369, 1.4456291882775472, 1.6007810593582121]],
  ["std", [-1, -3], true, [1, 3, 1], [[[1.653594569415369], [1.4456291882775472], [
    1.6007810593582121,
  ]]]],
  ["std", [0, 1, 2], false, [], 1.6092991486979666],
  ["std", [0, 1, 2], true, [1, 1, 1], [[[1.6092991486979666]]]],
  ["std", [], false, [2, 3, 4], [[[0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]], [[0, 0, 0, 0], [
    0,
    0,
    0,
    0,
  ], [0, 0, 0, 0]]]],
  ["std", [], true, [2, 3, 4], [[[0, 0, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]], [[0, 0, 0, 0], [
    0,
    0,
    0,
    0,
  ], [0, 0, 0, 0]]]],
  ["all", null, false, [], false],
  ["all", null, true, [1, 1, 1], [[[false]]]],
  ["all", 0, false, [3, 4], [[true, true, true, true], [true, true, false, false], [
    true,
    true,
    true,
    true,
  ]]],
  ["all", 0, true, [1, 3, 4], [[[true, true, true, true], [true, true, false, false], [
    true,
    true,
    true,
    true,
  ]]]],
  ["all", 1, false, [2, 4], [[true, true, true, false], [true, true, false, true]]],
  ["all", 1, true, [2, 1, 4], [[[true, true, true, false]], [[true, true, false, true]]]],
  ["all", 2, false, [2, 3], [[true, false, true], [true, false, true]]],
  ["all", 2, true, [2, 3, 1], [[[true], [false], [true]], [[true], [false], [true]]]],
  ["all", -1, false, [2, 3], [[true, false, true], [true, false, true]]],
  ["all", -1, true, [2, 3, 1], [[[true], [false], [true]], [[true], [false], [true]]]],
  ["all", -3, false, [3, 4], [[true, true, true, true], [true, true, false, false], [
    true,
    true,
    true,
    true,
  ]]],
  ["all", -3, true, [1, 3, 4], [[[true, true, true, true], [true, true, false, false], [
    true,
    true,
    true,
    true,
  ]]]],
  ["all", [0, 2], false, [3], [true, false, true]],
  ["all", [0, 2], true, [1, 3, 1], [[[true], [false], [true]]]],
  ["all", [-1, -3], false, [3], [true, false, true]],
  ["all", [-1, -3], true, [1, 3, 1], [[[true], [false], [true]]]],
  ["all", [0, 1, 2], false, [], false],
  ["all", [0, 1, 2], true, [1, 1, 1], [[[false]]]],
  ["all", [], false, [2, 3, 4], [[[true, true, true, true], [true, true, true, false], [
    true,
    true,
    true,
    true,
  ]], [[true, true, true, true], [true, true, false, true], [true, true, true, true]]]],
  ["all", [], true, [2, 3, 4], [[[true, true, true, true], [true, true, true, false], [
    true,
    true,
    true,
    true,
  ]], [[true, true, true, true], [true, true, false, true], [true, true, true, true]]]],
  ["any", null, false, [], true],
  ["any", null, true, [1, 1, 1], [[[true]]]],
  ["any", 0, false, [3, 4], [[true, true, true, true], [true, true, true, true], [
    true,
    true,
    true,
    true,
  ]]],
  ["any", 0, true, [1, 3, 4], [[[true, true, true, true], [true, true, true, true], [
    true,
    true,
    true,
    true,
  ]]]],
  ["any", 1, false, [2, 4], [[true, true, true, true], [true, true, true, true]]],
  ["any", 1, true, [2, 1, 4], [[[true, true, true, true]], [[true, true, true, true]]]],
  ["any", 2, false, [2, 3], [[true, true, true], [true, true, true]]],
  ["any", 2, true, [2, 3, 1], [[[true], [true], [true]], [[true], [true], [true]]]],
  ["any", -1, false, [2, 3], [[true, true, true], [true, true, true]]],
  ["any", -1, true, [2, 3, 1], [[[true], [true], [true]], [[true], [true], [true]]]],
  ["any", -3, false, [3, 4], [[true, true, true, true], [true, true, true, true], [
    true,
    true,
    true,
    true,
  ]]],
  ["any", -3, true, [1, 3, 4], [[[true, true, true, true], [true, true, true, true], [
    true,
    true,
    true,
    true,
  ]]]],
  ["any", [0, 2], false, [3], [true, true, true]],
  ["any", [0, 2], true, [1, 3, 1], [[[true], [true], [true]]]],
  ["any", [-1, -3], false, [3], [true, true, true]],
  ["any", [-1, -3], true, [1, 3, 1], [[[true], [true], [true]]]],
  ["any", [0, 1, 2], false, [], true],
  ["any", [0, 1, 2], true, [1, 1, 1], [[[true]]]],
  ["any", [], false, [2, 3, 4], [[[true, true, true, true], [true, true, true, false], [
    true,
    true,
    true,
    true,
  ]], [[true, true, true, true], [true, true, false, true], [true, true, true, true]]]],
  ["any", [], true, [2, 3, 4], [[[true, true, true, true], [true, true, true, false], [
    true,
    true,
    true,
    true,
  ]], [[true, true, true, true], [true, true, false, true], [true, true, true, true]]]],
  ["logsumexp", null, false, [], 4.166211979569234],
  ["logsumexp", null, true, [1, 1, 1], [[[4.166211979569234]]]],
  ["logsumexp", 0, false, [3, 4], [
    [1.0297504182726205, 1.1269280110429725, 2.5297504182726205, 2.6269280110429727],
    [0.6269280110429725, 2.0297504182726205, 2.1269280110429727, 0.1269280110429725],
    [1.5297504182726205, 1.6269280110429725, -0.37307198895702753, 1.0297504182726205],
  ]],
  ["logsumexp", 0, true, [1, 3, 4], [[
    [1.0297504182726205, 1.1269280110429725, 2.5297504182726205, 2.6269280110429727],
    [0.6269280110429725, 2.0297504182726205, 2.1269280110429727, 0.1269280110429725],
    [1.5297504182726205, 1.6269280110429725, -0.37307198895702753, 1.0297504182726205],
  ]]],
  ["logsumexp", 1, false, [2, 4], [[
    0.6238729583693675,
    2.0045969023422834,
    2.1238729583693674,
    2.58509724636431,
  ], [2.0045969023422834, 2.1238729583693674, 2.58509724636431, 1.5045969023422834]]],
  ["logsumexp", 1, true, [2, 1, 4], [[[
    0.6238729583693675,
    2.0045969023422834,
    2.1238729583693674,
    2.58509724636431,
  ]], [[2.0045969023422834, 2.1238729583693674, 2.58509724636431, 1.5045969023422834]]]],
  ["logsumexp", 2, false, [2, 3], [[2.731163696255373, 2.328341289025725, 1.6687704079392336], [
    2.828341289025725,
    2.1687704079392334,
    2.0654169752271,
  ]]],
  ["logsumexp", 2, true, [2, 3, 1], [[[2.731163696255373], [2.328341289025725], [
    1.6687704079392336,
  ]], [[2.828341289025725], [2.1687704079392334], [2.0654169752271]]]],
  ["logsumexp", -1, false, [2, 3], [[2.731163696255373, 2.328341289025725, 1.6687704079392336], [
    2.828341289025725,
    2.1687704079392334,
    2.0654169752271,
  ]]],
  ["logsumexp", -1, true, [2, 3, 1], [[[2.731163696255373], [2.328341289025725], [
    1.6687704079392336,
  ]], [[2.828341289025725], [2.1687704079392334], [2.0654169752271]]]],
  ["logsumexp", -3, false, [3, 4], [
    [1.0297504182726205, 1.1269280110429725, 2.5297504182726205, 2.6269280110429727],
    [0.6269280110429725, 2.0297504182726205, 2.1269280110429727, 0.1269280110429725],
    [1.5297504182726205, 1.6269280110429725, -0.37307198895702753, 1.0297504182726205],
  ]],
  ["logsumexp", -3, true, [1, 3, 4], [[
    [1.0297504182726205, 1.1269280110429725, 2.5297504182726205, 2.6269280110429727],
    [0.6269280110429725, 2.0297504182726205, 2.1269280110429727, 0.1269280110429725],
    [1.5297504182726205, 1.6269280110429725, -0.37307198895702753, 1.0297504182726205],
  ]]],
  ["logsumexp", [0, 2], false, [3], [3.4740796445837403, 2.944882516162779, 2.579779352780332]],
  ["logsumexp", [0, 2], true, [1, 3, 1], [[[3.4740796445837403], [2.944882516162779], [
    2.579779352780332,
  ]]]],
  ["logsumexp", [-1, -3], false, [3], [3.4740796445837403, 2.944882516162779, 2.579779352780332]],
  ["logsumexp", [-1, -3], true, [1, 3, 1], [[[3.4740796445837403], [2.944882516162779], [
    2.579779352780332,
  ]]]],
  ["logsumexp", [0, 1, 2], false, [], 4.166211979569234],
  ["logsumexp", [0, 1, 2], true, [1, 1, 1], [[[4.166211979569234]]]],
  ["logsumexp", [], false, [2, 3, 4], [[[-2.5, 1, -1, 2.5], [0.5, -1.5, 2, 0], [
    -2,
    1.5,
    -0.5,
    -2.5,
  ]], [[1, -1, 2.5, 0.5], [-1.5, 2, 0, -2], [1.5, -0.5, -2.5, 1]]]],
  ["logsumexp", [], true, [2, 3, 4], [[[-2.5, 1, -1, 2.5], [0.5, -1.5, 2, 0], [
    -2,
    1.5,
    -0.5,
    -2.5,
  ]], [[1, -1, 2.5, 0.5], [-1.5, 2, 0, -2], [1.5, -0.5, -2.5, 1]]]],
];

describe("reductions over every axis variant match NumPy", () => {
  const x = np.array(X);
  for (const [name, axis, keepdims, shape, expected] of REDUCTIONS) {
    it(`${name}(x, ${JSON.stringify(axis)}, { keepdims: ${keepdims} })`, () => {
      const y = fns[name](x, axis, { keepdims });
      assert.deepEqual(y.shape, shape);
      assert.equal(y.dtype, name === "all" || name === "any" ? "bool" : "float64");
      assertAllClose(y, expected, { rtol: 1e-14, atol: 1e-15 });
    });
  }
});

describe("reduction dtypes", () => {
  const b = np.array([true, true, false]);
  const i = i32([1, 2, 3]);
  const f = f32([1, 2, 3]);
  it("sum and prod of bool and int32 are int32", () => {
    assert.equal(np.sum(b).dtype, "int32");
    assert.equal(np.sum(b).item(), 2);
    assert.equal(np.prod(b).dtype, "int32");
    assert.equal(np.sum(i).dtype, "int32");
    assert.equal(np.prod(i).item(), 6);
    assert.equal(np.cumsum(b).dtype, "int32");
  });
  it("float32 stays float32", () => {
    for (const name of ["sum", "prod", "mean", "max", "min", "var", "std", "logsumexp"]) {
      assert.equal(fns[name](f).dtype, "float32", name);
    }
    assert.equal(np.cumsum(f).dtype, "float32");
  });
  it("mean, var, std and logsumexp of int32 and bool are float64", () => {
    for (const name of ["mean", "var", "std", "logsumexp"]) {
      assert.equal(fns[name](i).dtype, "float64", name);
      assert.equal(fns[name](b).dtype, "float64", name);
    }
    assert.equal(np.mean(i).item(), 2);
    assert.equal(np.mean(b).item(), 2 / 3);
  });
  it("max and min keep the dtype (bool included); argmax/argmin give int32", () => {
    assert.equal(np.max(i).dtype, "int32");
    assert.equal(np.max(b).dtype, "bool");
    assert.equal(np.max(b).item(), true);
    assert.equal(np.min(b).item(), false);
    assert.equal(np.argmax(f).dtype, "int32");
  });
  it("the dtype option converts before accumulating", () => {
    const s = np.sum(i, null, { dtype: "float32" });
    assert.equal(s.dtype, "float32");
    assert.equal(s.item(), 6);
    assert.equal(np.mean(i, null, { dtype: "float32" }).dtype, "float32");
    assert.equal(np.prod([1.5, 2], null, { dtype: "int32" }).item(), 2);
    assert.equal(np.cumsum(i, 0, { dtype: "float64" }).dtype, "float64");
  });
  it("all and any return bool and accept any dtype", () => {
    assert.equal(np.all(i).dtype, "bool");
    assert.equal(np.all([1, 2, NaN]).item(), true); // NaN is nonzero
    assert.equal(np.any([0, -0]).item(), false);
    assert.equal(np.any(f).item(), true);
  });
  it("int32 sums wrap", () => {
    assert.equal(np.sum(i32([2147483647, 1])).item(), -2147483648);
  });
});

describe("sum, mean, prod", () => {
  it("sum is accurate (pairwise, as NumPy)", () => {
    const tenth = new Array(10).fill(0.1);
    assert.equal(np.sum(tenth).item(), 1); // NumPy: 1.0 (naive left-to-right gives 0.9999999999999999)
    assert.equal(np.mean(tenth).item(), 0.1);
  });
  it("0-d input and an empty axis list are the identity", () => {
    assert.equal(np.sum(5).item(), 5);
    assert.deepEqual(np.sum(np.array([[1, 2]]), []).tolist(), [[1, 2]]);
    assert.deepEqual(np.sum(5, null, { keepdims: true }).shape, []);
  });
  it("empty reductions: sum 0, prod 1, mean NaN", () => {
    const e = np.zeros([0, 3]);
    assert.deepEqual(np.sum(e, 0).tolist(), [0, 0, 0]);
    assert.deepEqual(np.prod(e, 0).tolist(), [1, 1, 1]);
    assertAllClose(np.mean(e, 0), [NaN, NaN, NaN]);
    assert.deepEqual(np.sum(e, 1).shape, [0]);
    assert.equal(np.sum([]).item(), 0);
    assert.equal(np.prod([]).item(), 1);
    assertAllClose(np.mean([]), NaN);
  });
  it("NaN and infinities propagate", () => {
    assertAllClose(np.sum([1, NaN]), NaN);
    assertAllClose(np.sum([Infinity, -Infinity]), NaN);
    assertAllClose(np.prod([0, Infinity]), NaN);
    assertAllClose(np.mean([1, Infinity]), Infinity);
  });
  it("fluent sum/mean/max/min", () => {
    const x = np.array([[1, 5], [3, 2]]);
    assert.equal(x.sum().item(), 11);
    assert.deepEqual(x.sum(0).tolist(), [4, 7]);
    assert.deepEqual(x.mean(1, { keepdims: true }).tolist(), [[3], [2.5]]);
    assert.deepEqual(x.max(-1).tolist(), [5, 3]);
    assert.equal(x.min().item(), 1);
  });
});

describe("max and min", () => {
  it("propagate NaN (NumPy)", () => {
    const x = np.array([[1, 5, NaN], [7, 2, 1]]);
    assertAllClose(np.max(x, 1), [NaN, 7]);
    assertAllClose(np.min(x, 1), [NaN, 1]);
    assertAllClose(np.max(x), NaN);
  });
  it("handle infinities", () => {
    assert.equal(np.max([-Infinity, -Infinity]).item(), -Infinity);
    assert.equal(np.min([Infinity, 1]).item(), 1);
  });
  it("throw on an empty reduction", () => {
    assertThrows(
      () => np.max([]),
      RangeError,
      "Cannot compute the maximum of an empty array: zero-size reduction over axes [0] of shape [0] has no identity",
    );
    assertThrows(() => np.min(np.zeros([2, 0]), 1), RangeError, "Cannot compute the minimum");
  });
  it("reduce a non-empty axis of an empty array", () => {
    assert.deepEqual(np.max(np.zeros([0, 3]), 1).shape, [0]);
  });
});

describe("argmax and argmin", () => {
  const x = np.array([[1, 5, 5], [7, 2, 0]]);
  it("index the flattened array without an axis", () => {
    assert.equal(np.argmax(x).item(), 3);
    assert.equal(np.argmin(x).item(), 5);
    assert.deepEqual(np.argmax(x).shape, []);
  });
  it("take the first of ties along an axis", () => {
    assert.deepEqual(np.argmax(x, 1).tolist(), [1, 0]);
    assert.deepEqual(np.argmax(x, -1).tolist(), [1, 0]);
    assert.deepEqual(np.argmin(x, 0).tolist(), [0, 1, 1]);
  });
  it("keepdims", () => {
    assert.deepEqual(np.argmax(x, 1, { keepdims: true }).tolist(), [[1], [0]]);
    assert.deepEqual(np.argmax(x, 0, { keepdims: true }).shape, [1, 3]);
    assert.deepEqual(np.argmax(x, null, { keepdims: true }).tolist(), [[3]]);
  });
  it("NaN counts as the extremum (NumPy)", () => {
    assert.equal(np.argmax([1, NaN, 3]).item(), 1);
    assert.equal(np.argmin([1, NaN, -3]).item(), 1);
    assert.deepEqual(np.argmax(np.array([[1, 5, NaN], [7, 2, 1]]), 1).tolist(), [2, 0]);
  });
  it("work on bool and 0-d input", () => {
    assert.equal(np.argmax([false, true, true]).item(), 1);
    assert.equal(np.argmax(3).item(), 0);
  });
  it("throw on an empty sequence and a bad axis", () => {
    assertThrows(
      () => np.argmax([]),
      RangeError,
      "Cannot compute argmax of an empty sequence: axis 0 of shape [0] has length 0",
    );
    assertThrows(() => np.argmin(np.zeros([2, 0]), 1), RangeError, "Cannot compute argmin");
    assertThrows(
      () => np.argmax(x, 2),
      RangeError,
      "Axis 2 is out of bounds for an array of rank 2: expected an integer in [-2, 1]",
    );
  });
});

describe("var and std", () => {
  it("match NumPy with ddof", () => {
    assert.equal(np.var([1, 2, 3], null, { ddof: 1 }).item(), 1);
    assert.equal(np.std([2, 4, 4, 4, 5, 5, 7, 9]).item(), 2);
    assertAllClose(np.var([1, 2, 3, 4], null, { ddof: 1 }), 5 / 3);
    assertAllClose(np.std([[1, 2], [3, 5]], 0, { ddof: 1 }), [Math.SQRT2, 2.1213203435596424]);
  });
  it("use the two-pass formula (no cancellation)", () => {
    assertAllClose(np.var([1e8 + 1, 1e8 + 2, 1e8 + 3]), 0.6666666666666666);
  });
  it("N - ddof <= 0 gives NaN or Infinity (NumPy divides by max(N - ddof, 0))", () => {
    assertAllClose(np.var([1], null, { ddof: 1 }), NaN);
    assertAllClose(np.var([1, 2], null, { ddof: 3 }), Infinity);
    assertAllClose(np.var([]), NaN);
  });
  it("keepdims and axes", () => {
    assert.deepEqual(np.var(np.ones([2, 3, 4]), [0, 2], { keepdims: true }).shape, [1, 3, 1]);
    assert.deepEqual(np.std(np.ones([2, 3, 4]), -1).shape, [2, 3]);
  });
  it("the dtype option picks the float type to compute in (NumPy's dtype)", () => {
    const v = np.var(np.array([1, 2, 3, 4], { dtype: "int32" }), 0, { dtype: "float32" });
    assert.equal(v.dtype, "float32");
    assert.equal(v.item(), 1.25);
    const s = np.std(np.array([[1, 2], [3, 5]], { dtype: "float32" }), 1, {
      dtype: "float64",
      keepdims: true,
    });
    assert.equal(s.dtype, "float64");
    assert.deepEqual(s.tolist(), [[0.5], [1]]);
    assertThrows(
      () => np.var([1, 2], null, { dtype: "int32" }),
      TypeError,
      'Invalid dtype for var and std: expected "float32" or "float64", got "int32"',
    );
    assertThrows(
      () => np.std([1, 2], null, { dtype: "int64" as never }),
      TypeError,
      "Unknown dtype",
    );
  });
  it("reject a non-numeric ddof", () => {
    assertThrows(
      () => np.var([1, 2], null, { ddof: NaN }),
      TypeError,
      "Invalid ddof: expected a finite number, got NaN",
    );
  });
});

describe("all and any", () => {
  const x = np.array([[1, 0], [1, 1]]);
  it("reduce over axes", () => {
    assert.equal(np.all(x).item(), false);
    assert.deepEqual(np.all(x, 1).tolist(), [false, true]);
    assert.deepEqual(np.any(x, 0).tolist(), [true, true]);
    assert.deepEqual(np.all(x, -1, { keepdims: true }).tolist(), [[false], [true]]);
  });
  it("of empty reductions are true and false", () => {
    assert.equal(np.all([]).item(), true);
    assert.equal(np.any([]).item(), false);
    assert.deepEqual(np.all(np.zeros([0, 2]), 0).tolist(), [true, true]);
  });
});

describe("cumsum", () => {
  it("flattens without an axis", () => {
    assert.deepEqual(np.cumsum([[1, 2], [3, 4]]).tolist(), [1, 3, 6, 10]);
    assert.deepEqual(np.cumsum(5).tolist(), [5]);
  });
  it("accumulates along an axis (negative too)", () => {
    assert.deepEqual(np.cumsum([[1, 2], [3, 4]], 0).tolist(), [[1, 2], [4, 6]]);
    assert.deepEqual(np.cumsum([[1, 2], [3, 4]], -1).tolist(), [[1, 3], [3, 7]]);
  });
  it("bool accumulates in int32", () => {
    assert.deepEqual(np.cumsum([true, true, false]).tolist(), [1, 2, 2]);
  });
  it("handles empty input, NaN and infinities", () => {
    assert.deepEqual(np.cumsum([]).shape, [0]);
    assertAllClose(np.cumsum([1, NaN, 2]), [1, NaN, NaN]);
    assertAllClose(np.cumsum([Infinity, -Infinity]), [Infinity, NaN]);
  });
  it("rejects a bad axis", () => {
    assertThrows(() => np.cumsum([1, 2], 1), RangeError, "Axis 1 is out of bounds");
  });
});

describe("logsumexp", () => {
  it("matches SciPy", () => {
    assertAllClose(np.logsumexp([1, 2, 3]), 3.40760596444438);
    assertAllClose(np.logsumexp([[1, 2], [3, 4]], 1, { keepdims: true }), [[2.313261687518223], [
      4.313261687518223,
    ]]);
  });
  it("is stable for large and small inputs", () => {
    assert.equal(np.logsumexp([1000, 1000]).item(), 1000 + Math.LN2);
    assertAllClose(np.logsumexp([-1000, -1000]), -1000 + Math.LN2);
  });
  it("handles infinities, NaN and empty input like SciPy", () => {
    assert.equal(np.logsumexp([-Infinity, -Infinity]).item(), -Infinity);
    assert.equal(np.logsumexp([Infinity, 1]).item(), Infinity);
    assert.equal(np.logsumexp([Infinity, -Infinity]).item(), Infinity);
    assertAllClose(np.logsumexp([-Infinity, 1, NaN]), NaN);
    assert.equal(np.logsumexp([]).item(), -Infinity);
    assert.deepEqual(np.logsumexp(np.zeros([0, 3]), 0).tolist(), [-Infinity, -Infinity, -Infinity]);
    assert.deepEqual(np.logsumexp([[-Infinity, 0], [-Infinity, -Infinity]], 1).tolist(), [
      0,
      -Infinity,
    ]);
  });
  it("of a 0-d array is the value", () => {
    assert.equal(np.logsumexp(2.5).item(), 2.5);
  });
});

describe("axis errors", () => {
  const x = np.zeros([2, 3]);
  for (
    const name of ["sum", "prod", "mean", "max", "min", "var", "std", "all", "any", "logsumexp"]
  ) {
    it(`${name} rejects out-of-range, repeated and non-integer axes`, () => {
      assertThrows(
        () => fns[name](x, 2),
        RangeError,
        "Axis 2 is out of bounds for an array of rank 2: expected an integer in [-2, 1]",
      );
      assertThrows(() => fns[name](x, -3), RangeError, "Axis -3 is out of bounds");
      assertThrows(
        () => fns[name](x, [0, -2]),
        RangeError,
        "Repeated axis in [0,-2]: axis 0 appears twice",
      );
      assertThrows(
        () => fns[name](x, 0.5),
        TypeError,
        `Invalid axis for ${name}: expected an integer, a list of integers or null, got 0.5`,
      );
      assertThrows(() => fns[name](x, "0" as never), TypeError, `Invalid axis for ${name}`);
      assertThrows(() => fns[name](x, [0, 1.5]), TypeError, "got [0,1.5]");
    });
  }
  it("argmax, argmin and cumsum take one integer axis", () => {
    for (const name of ["argmax", "argmin", "cumsum"]) {
      assertThrows(
        () => fns[name](x, [0]),
        TypeError,
        `Invalid axis for ${name}: expected an integer or null, got [0]`,
      );
    }
  });
  it("a dtype name may stand for the options where dtype is one; other non-objects throw", () => {
    const y = np.array([[1.5, 2.5]]);
    assert.deepEqual(np.sum(y, 1, "int32").tolist(), [3]);
    assert.equal(np.prod(y, null, "float32").dtype, "float32");
    assert.equal(np.mean(y, 0, "float32").dtype, "float32");
    assert.equal(np.var(y, 1, "float32").dtype, "float32");
    assert.equal(np.std(y, 1, "float32").dtype, "float32");
    assert.deepEqual(np.cumsum(y, 1, "int32").tolist(), [[1, 3]]);
    assertThrows(
      () => np.max(y, 0, "int32" as never),
      TypeError,
      'Invalid options for max: expected an options object, got "int32"',
    );
    assertThrows(
      () => np.sum(y, 0, 5 as never),
      TypeError,
      "Invalid options for sum: expected an options object or a dtype name, got 5",
    );
  });
  it("the options may stand in the axis position", () => {
    const y = np.array([[1, 5], [7, 0]]);
    for (const name of ["sum", "prod", "mean", "max", "min", "var", "std", "logsumexp"]) {
      const a = fns[name](y, { keepdims: true } as never);
      assert.deepEqual(a.shape, [1, 1], name);
      assert.deepEqual(a.tolist(), fns[name](y, null, { keepdims: true }).tolist(), name);
    }
    assert.deepEqual(np.all(y, { keepdims: true }).tolist(), [[false]]);
    assert.deepEqual(np.any(y, { keepdims: true }).tolist(), [[true]]);
    assert.deepEqual(np.argmax(y, { keepdims: true }).tolist(), [[2]]);
    assert.deepEqual(np.argmin(y, { keepdims: true }).tolist(), [[3]]);
    assert.equal(np.sum(y, { dtype: "int32" }).dtype, "int32");
    assert.equal(np.var(y, { ddof: 1 }).item(), 32.75 / 3);
    assert.deepEqual(np.cumsum(y, { dtype: "int32" }).tolist(), [1, 6, 13, 13]);
  });
  it("reductions of a 0-d array accept no axis", () => {
    assertThrows(() => np.sum(1, 0), RangeError, "Axis 0 is out of bounds for an array of rank 0");
  });
  it("an unknown dtype option is rejected", () => {
    assertThrows(
      () => np.sum([1], null, { dtype: "int64" as never }),
      TypeError,
      'Unknown dtype "int64"',
    );
  });
});

describe("np reductions: values against NumPy (fixtures/numpy/chapters.json)", () => {
  valuesAgainstNumPy([
    ["cumprod R45", () => np.cumprod(R45, 1)],
    ["cumprod R45 0", () => np.cumprod(R45, 0)],
    ["cumprod C", () => np.cumprod(C)],
    ["cumprod flat", () => np.cumprod(np.add(np.divide(R234, 2), 1))],
  ]);
});

describe("np reductions: derivatives at special points, as JAX", () => {
  it("cumprod: exact gradient through zeros", () => {
    const x = np.array([2, 0, 3, 0.5, 0]);
    // d/dx_i of sum(cumprod(x)) = sum over k >= i of prod_{j <= k, j != i} x_j
    assertAllClose(grad((v: NdArray) => np.sum(np.cumprod(v)))(x), [1, 11, 0, 0, 0]);
    assertAllClose(grad((v: NdArray) => np.cumprod(v).get(3))(x), [0, 3, 0, 0, 0]);
    checkGrads((v: NdArray) => np.cumprod(v), [x], { order: 3 });
    checkGrads((v: NdArray) => np.cumprod(v, 0), [np.array([[1.5, 0], [0, 2], [-1, 3]])], {
      order: 2,
    });
  });
});
