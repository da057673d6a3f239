// np products (dot, matmul, vdot, inner, outer, tensordot, einsum): a table of
// cases whose expected values were produced with NumPy 2.4 (inputs are
// `arange(n) + 1` as float64), the same cases traced abstractly (no tracer may
// be read), dtypes, empty arrays and every error path with its message.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { assertAllClose, assertThrows } from "./_assert.ts";
import { NdArray } from "../src/array/array.ts";
import { withHandler } from "../src/core/handler.ts";
import { ShapeHandler, ShapeTracer } from "../src/transforms/eval_shape.ts";
import { np } from "../mod.ts";
import { C, R234, R36, R45, valuesAgainstNumPy } from "./_numpy_fixtures.ts";

const { dot, einsum, inner, matmul, outer, tensordot, vdot } = np;

/** A tracer with no value: reading it throws, as under `vmap` or `jit`. */
let tracing: ShapeHandler | null = null;

/** `arange(prod(shape)) + 1` as float64, or an abstract tracer of that shape while tracing. */
function A(...shape: number[]): NdArray {
  if (tracing !== null) return new ShapeTracer(tracing, shape, "float64");
  const n = shape.reduce((a, b) => a * b, 1);
  return new NdArray(Float64Array.from({ length: n }, (_, i) => i + 1), shape, "float64");
}

const arr = (x: Parameters<typeof np.asarray>[0]) => np.asarray(x);

interface Expected {
  shape: number[];
  value: unknown;
}

type Case = [string, () => NdArray, Expected];

const cases: Case[] = [
  ["dot(A(3), A(3))", () => dot(A(3), A(3)), { shape: [], value: 14.0 }],
  ["dot(A(2, 3), A(3))", () => dot(A(2, 3), A(3)), { shape: [2], value: [14, 32] }],
  ["dot(A(3), A(3, 2))", () => dot(A(3), A(3, 2)), { shape: [2], value: [22, 28] }],
  ["dot(A(2, 3), A(3, 4))", () => dot(A(2, 3), A(3, 4)), {
    shape: [2, 4],
    value: [[38, 44, 50, 56], [83, 98, 113, 128]],
  }],
  ["dot(A(2, 2, 3), A(4, 3, 5))", () => dot(A(2, 2, 3), A(4, 3, 5)), {
    shape: [2, 2, 4, 5],
    value: [[[[46, 52, 58, 64, 70], [136, 142, 148, 154, 160], [226, 232, 238, 244, 250], [
      316,
      322,
      328,
      334,
      340,
    ]], [[100, 115, 130, 145, 160], [325, 340, 355, 370, 385], [550, 565, 580, 595, 610], [
      775,
      790,
      805,
      820,
      835,
    ]]], [[[154, 178, 202, 226, 250], [514, 538, 562, 586, 610], [874, 898, 922, 946, 970], [
      1234,
      1258,
      1282,
      1306,
      1330,
    ]], [[208, 241, 274, 307, 340], [703, 736, 769, 802, 835], [1198, 1231, 1264, 1297, 1330], [
      1693,
      1726,
      1759,
      1792,
      1825,
    ]]]],
  }],
  ["dot(A(), A(2, 3))", () => dot(A(), A(2, 3)), { shape: [2, 3], value: [[1, 2, 3], [4, 5, 6]] }],
  ["dot(A(2, 3, 4), A(4))", () => dot(A(2, 3, 4), A(4)), {
    shape: [2, 3],
    value: [[30, 70, 110], [150, 190, 230]],
  }],
  ["dot(A(4), A(2, 4, 3))", () => dot(A(4), A(2, 4, 3)), {
    shape: [2, 3],
    value: [[70, 80, 90], [190, 200, 210]],
  }],
  ["dot(A(2, 0), A(0, 3))", () => dot(A(2, 0), A(0, 3)), {
    shape: [2, 3],
    value: [[0, 0, 0], [0, 0, 0]],
  }],
  ["matmul(A(2, 3), A(3, 4))", () => matmul(A(2, 3), A(3, 4)), {
    shape: [2, 4],
    value: [[38, 44, 50, 56], [83, 98, 113, 128]],
  }],
  ["matmul(A(3), A(3, 4))", () => matmul(A(3), A(3, 4)), { shape: [4], value: [38, 44, 50, 56] }],
  ["matmul(A(2, 3), A(3))", () => matmul(A(2, 3), A(3)), { shape: [2], value: [14, 32] }],
  ["matmul(A(3), A(3))", () => matmul(A(3), A(3)), { shape: [], value: 14.0 }],
  ["matmul(A(5, 2, 3), A(3, 4))", () => matmul(A(5, 2, 3), A(3, 4)), {
    shape: [5, 2, 4],
    value: [
      [[38, 44, 50, 56], [83, 98, 113, 128]],
      [[128, 152, 176, 200], [173, 206, 239, 272]],
      [[218, 260, 302, 344], [263, 314, 365, 416]],
      [[308, 368, 428, 488], [353, 422, 491, 560]],
      [[398, 476, 554, 632], [443, 530, 617, 704]],
    ],
  }],
  ["matmul(A(2, 3), A(5, 3, 4))", () => matmul(A(2, 3), A(5, 3, 4)), {
    shape: [5, 2, 4],
    value: [
      [[38, 44, 50, 56], [83, 98, 113, 128]],
      [[110, 116, 122, 128], [263, 278, 293, 308]],
      [[182, 188, 194, 200], [443, 458, 473, 488]],
      [[254, 260, 266, 272], [623, 638, 653, 668]],
      [[326, 332, 338, 344], [803, 818, 833, 848]],
    ],
  }],
  ["matmul(A(2, 1, 2, 3), A(4, 3, 2))", () => matmul(A(2, 1, 2, 3), A(4, 3, 2)), {
    shape: [2, 4, 2, 2],
    value: [[[[22, 28], [49, 64]], [[58, 64], [139, 154]], [[94, 100], [229, 244]], [[130, 136], [
      319,
      334,
    ]]], [[[76, 100], [103, 136]], [[220, 244], [301, 334]], [[364, 388], [499, 532]], [
      [508, 532],
      [697, 730],
    ]]],
  }],
  ["matmul(A(3), A(5, 3, 4))", () => matmul(A(3), A(5, 3, 4)), {
    shape: [5, 4],
    value: [[38, 44, 50, 56], [110, 116, 122, 128], [182, 188, 194, 200], [254, 260, 266, 272], [
      326,
      332,
      338,
      344,
    ]],
  }],
  ["matmul(A(5, 2, 3), A(3))", () => matmul(A(5, 2, 3), A(3)), {
    shape: [5, 2],
    value: [[14, 32], [50, 68], [86, 104], [122, 140], [158, 176]],
  }],
  ["matmul(A(2, 5, 2, 3), A(5, 3, 1))", () => matmul(A(2, 5, 2, 3), A(5, 3, 1)), {
    shape: [2, 5, 2, 1],
    value: [[[[14], [32]], [[122], [167]], [[338], [410]], [[662], [761]], [[1094], [1220]]], [
      [[194], [212]],
      [[572], [617]],
      [[1058], [1130]],
      [[1652], [1751]],
      [[2354], [2480]],
    ]],
  }],
  ["vdot(A(2, 2), A(4))", () => vdot(A(2, 2), A(4)), { shape: [], value: 30.0 }],
  ["inner(A(3), A(3))", () => inner(A(3), A(3)), { shape: [], value: 14.0 }],
  ["inner(A(2, 3), A(4, 3))", () => inner(A(2, 3), A(4, 3)), {
    shape: [2, 4],
    value: [[14, 32, 50, 68], [32, 77, 122, 167]],
  }],
  ["inner(A(2, 2, 3), A(3))", () => inner(A(2, 2, 3), A(3)), {
    shape: [2, 2],
    value: [[14, 32], [50, 68]],
  }],
  ["inner(A(), A(2))", () => inner(A(), A(2)), { shape: [2], value: [1, 2] }],
  ["outer(A(2), A(3))", () => outer(A(2), A(3)), { shape: [2, 3], value: [[1, 2, 3], [2, 4, 6]] }],
  ["outer(A(2, 2), A(3))", () => outer(A(2, 2), A(3)), {
    shape: [4, 3],
    value: [[1, 2, 3], [2, 4, 6], [3, 6, 9], [4, 8, 12]],
  }],
  ["tensordot(A(2, 3, 4), A(3, 4, 5))", () => tensordot(A(2, 3, 4), A(3, 4, 5)), {
    shape: [2, 5],
    value: [[2938, 3016, 3094, 3172, 3250], [7042, 7264, 7486, 7708, 7930]],
  }],
  ["tensordot(A(2, 3), A(3, 2), 1)", () => tensordot(A(2, 3), A(3, 2), 1), {
    shape: [2, 2],
    value: [[22, 28], [49, 64]],
  }],
  ["tensordot(A(2, 3), A(4, 5), 0)", () => tensordot(A(2, 3), A(4, 5), 0), {
    shape: [2, 3, 4, 5],
    value: [[[[1, 2, 3, 4, 5], [6, 7, 8, 9, 10], [11, 12, 13, 14, 15], [16, 17, 18, 19, 20]], [
      [2, 4, 6, 8, 10],
      [12, 14, 16, 18, 20],
      [22, 24, 26, 28, 30],
      [32, 34, 36, 38, 40],
    ], [[3, 6, 9, 12, 15], [18, 21, 24, 27, 30], [33, 36, 39, 42, 45], [48, 51, 54, 57, 60]]], [
      [[4, 8, 12, 16, 20], [24, 28, 32, 36, 40], [44, 48, 52, 56, 60], [64, 68, 72, 76, 80]],
      [[5, 10, 15, 20, 25], [30, 35, 40, 45, 50], [55, 60, 65, 70, 75], [80, 85, 90, 95, 100]],
      [[6, 12, 18, 24, 30], [36, 42, 48, 54, 60], [66, 72, 78, 84, 90], [96, 102, 108, 114, 120]],
    ]],
  }],
  [
    "tensordot(A(3, 4, 5), A(4, 3, 2), [[0, 1], [1, 0]])",
    () => tensordot(A(3, 4, 5), A(4, 3, 2), [[0, 1], [1, 0]]),
    {
      shape: [5, 2],
      value: [[4874, 5216], [5018, 5372], [5162, 5528], [5306, 5684], [5450, 5840]],
    },
  ],
  ["tensordot(A(2, 3), A(2), [0, 0])", () => tensordot(A(2, 3), A(2), [0, 0]), {
    shape: [3],
    value: [9, 12, 15],
  }],
  [
    "tensordot(A(3, 4, 5), A(5, 4), [[-1, 1], [0, -1]])",
    () => tensordot(A(3, 4, 5), A(5, 4), [[-1, 1], [0, -1]]),
    { shape: [3], value: [2490, 6690, 10890] },
  ],
  ['einsum("ij,jk->ik", A(2, 3), A(3, 4))', () => einsum("ij,jk->ik", A(2, 3), A(3, 4)), {
    shape: [2, 4],
    value: [[38, 44, 50, 56], [83, 98, 113, 128]],
  }],
  ['einsum("ij,jk", A(2, 3), A(3, 4))', () => einsum("ij,jk", A(2, 3), A(3, 4)), {
    shape: [2, 4],
    value: [[38, 44, 50, 56], [83, 98, 113, 128]],
  }],
  ['einsum("ii", A(3, 3))', () => einsum("ii", A(3, 3)), { shape: [], value: 15.0 }],
  ['einsum("ii->i", A(3, 3))', () => einsum("ii->i", A(3, 3)), { shape: [3], value: [1, 5, 9] }],
  ['einsum("ij->ji", A(2, 3))', () => einsum("ij->ji", A(2, 3)), {
    shape: [3, 2],
    value: [[1, 4], [2, 5], [3, 6]],
  }],
  ['einsum("ij", A(2, 3))', () => einsum("ij", A(2, 3)), {
    shape: [2, 3],
    value: [[1, 2, 3], [4, 5, 6]],
  }],
  ['einsum("ji", A(2, 3))', () => einsum("ji", A(2, 3)), {
    shape: [3, 2],
    value: [[1, 4], [2, 5], [3, 6]],
  }],
  ['einsum("ij->", A(2, 3))', () => einsum("ij->", A(2, 3)), { shape: [], value: 21.0 }],
  ['einsum("i,i", A(3), A(3))', () => einsum("i,i", A(3), A(3)), { shape: [], value: 14.0 }],
  ['einsum("i,j->ij", A(2), A(3))', () => einsum("i,j->ij", A(2), A(3)), {
    shape: [2, 3],
    value: [[1, 2, 3], [2, 4, 6]],
  }],
  [
    'einsum("bij,bjk->bik", A(2, 2, 3), A(2, 3, 4))',
    () => einsum("bij,bjk->bik", A(2, 2, 3), A(2, 3, 4)),
    {
      shape: [2, 2, 4],
      value: [[[38, 44, 50, 56], [83, 98, 113, 128]], [[416, 440, 464, 488], [569, 602, 635, 668]]],
    },
  ],
  [
    'einsum("ijk,jil->kl", A(3, 2, 4), A(2, 3, 5))',
    () => einsum("ijk,jil->kl", A(3, 2, 4), A(2, 3, 5)),
    {
      shape: [4, 5],
      value: [[1141, 1207, 1273, 1339, 1405], [1222, 1294, 1366, 1438, 1510], [
        1303,
        1381,
        1459,
        1537,
        1615,
      ], [1384, 1468, 1552, 1636, 1720]],
    },
  ],
  [
    'einsum("ij,jk,kl->il", A(2, 3), A(3, 4), A(4, 5))',
    () => einsum("ij,jk,kl->il", A(2, 3), A(3, 4), A(4, 5)),
    { shape: [2, 5], value: [[1748, 1936, 2124, 2312, 2500], [3962, 4384, 4806, 5228, 5650]] },
  ],
  ['einsum("iij->j", A(3, 3, 2))', () => einsum("iij->j", A(3, 3, 2)), {
    shape: [2],
    value: [27, 30],
  }],
  ['einsum("iji->j", A(2, 3, 2))', () => einsum("iji->j", A(2, 3, 2)), {
    shape: [3],
    value: [9, 13, 17],
  }],
  ['einsum("iAi", A(2, 3, 2))', () => einsum("iAi", A(2, 3, 2)), {
    shape: [3],
    value: [9, 13, 17],
  }],
  ['einsum("bA", A(2, 3))', () => einsum("bA", A(2, 3)), {
    shape: [3, 2],
    value: [[1, 4], [2, 5], [3, 6]],
  }],
  [
    'einsum("...ij,...jk->...ik", A(5, 2, 3), A(3, 4))',
    () => einsum("...ij,...jk->...ik", A(5, 2, 3), A(3, 4)),
    {
      shape: [5, 2, 4],
      value: [
        [[38, 44, 50, 56], [83, 98, 113, 128]],
        [[128, 152, 176, 200], [173, 206, 239, 272]],
        [[218, 260, 302, 344], [263, 314, 365, 416]],
        [[308, 368, 428, 488], [353, 422, 491, 560]],
        [[398, 476, 554, 632], [443, 530, 617, 704]],
      ],
    },
  ],
  ['einsum("...ji", A(5, 2, 3))', () => einsum("...ji", A(5, 2, 3)), {
    shape: [5, 3, 2],
    value: [[[1, 4], [2, 5], [3, 6]], [[7, 10], [8, 11], [9, 12]], [[13, 16], [14, 17], [15, 18]], [
      [19, 22],
      [20, 23],
      [21, 24],
    ], [[25, 28], [26, 29], [27, 30]]],
  }],
  ['einsum("i...->...", A(2, 3))', () => einsum("i...->...", A(2, 3)), {
    shape: [3],
    value: [5, 7, 9],
  }],
  ['einsum("ij,ij->ij", A(2, 1), A(2, 3))', () => einsum("ij,ij->ij", A(2, 1), A(2, 3)), {
    shape: [2, 3],
    value: [[1, 2, 3], [8, 10, 12]],
  }],
  ['einsum("ij,jk->ik", A(2, 1), A(3, 4))', () => einsum("ij,jk->ik", A(2, 1), A(3, 4)), {
    shape: [2, 4],
    value: [[15, 18, 21, 24], [30, 36, 42, 48]],
  }],
  ['einsum("i,i,i->", A(3), A(3), A(3))', () => einsum("i,i,i->", A(3), A(3), A(3)), {
    shape: [],
    value: 36.0,
  }],
  ['einsum("ab,cd->", A(2, 3), A(4, 5))', () => einsum("ab,cd->", A(2, 3), A(4, 5)), {
    shape: [],
    value: 4410.0,
  }],
  [
    'einsum("ab,bc,ca->", A(2, 3), A(3, 4), A(4, 2))',
    () => einsum("ab,bc,ca->", A(2, 3), A(3, 4), A(4, 2)),
    { shape: [], value: 3072.0 },
  ],
  [
    'einsum("ij,kj,lj->ikl", A(2, 3), A(4, 3), A(5, 3))',
    () => einsum("ij,kj,lj->ikl", A(2, 3), A(4, 3), A(5, 3)),
    {
      shape: [2, 4, 5],
      value: [[[36, 78, 120, 162, 204], [78, 174, 270, 366, 462], [120, 270, 420, 570, 720], [
        162,
        366,
        570,
        774,
        978,
      ]], [[78, 174, 270, 366, 462], [174, 405, 636, 867, 1098], [270, 636, 1002, 1368, 1734], [
        366,
        867,
        1368,
        1869,
        2370,
      ]]],
    },
  ],
  ['einsum("i,jk->", A(2), A(3, 4))', () => einsum("i,jk->", A(2), A(3, 4)), {
    shape: [],
    value: 234.0,
  }],
  ['einsum(",->", A(), A())', () => einsum(",->", A(), A()), { shape: [], value: 1.0 }],
  ['einsum("ij,->ij", A(2, 3), A())', () => einsum("ij,->ij", A(2, 3), A()), {
    shape: [2, 3],
    value: [[1, 2, 3], [4, 5, 6]],
  }],
  [
    'einsum("ijk,ikl->ijl", A(2, 1, 3), A(2, 3, 2))',
    () => einsum("ijk,ikl->ijl", A(2, 1, 3), A(2, 3, 2)),
    { shape: [2, 1, 2], value: [[[22, 28]], [[139, 154]]] },
  ],
  [
    'einsum("i...,j...->ij...", A(2, 3), A(4, 3))',
    () => einsum("i...,j...->ij...", A(2, 3), A(4, 3)),
    {
      shape: [2, 4, 3],
      value: [[[1, 4, 9], [4, 10, 18], [7, 16, 27], [10, 22, 36]], [[4, 10, 18], [16, 25, 36], [
        28,
        40,
        54,
      ], [40, 55, 72]]],
    },
  ],
  ['einsum("...,...->...", A(2, 3), A(3))', () => einsum("...,...->...", A(2, 3), A(3)), {
    shape: [2, 3],
    value: [[1, 4, 9], [4, 10, 18]],
  }],
  ['einsum("iii->i", A(2, 2, 2))', () => einsum("iii->i", A(2, 2, 2)), {
    shape: [2],
    value: [1, 8],
  }],
  ['einsum("ijj,jk->ik", A(2, 3, 3), A(3, 2))', () => einsum("ijj,jk->ik", A(2, 3, 3), A(3, 2)), {
    shape: [2, 2],
    value: [[61, 76], [142, 184]],
  }],
  [
    'einsum("bhqd,bhkd->bhqk", A(2, 2, 3, 4), A(2, 2, 5, 4))',
    () => einsum("bhqd,bhkd->bhqk", A(2, 2, 3, 4), A(2, 2, 5, 4)),
    {
      shape: [2, 2, 3, 5],
      value: [[[[30, 70, 110, 150, 190], [70, 174, 278, 382, 486], [110, 278, 446, 614, 782]], [
        [1310, 1542, 1774, 2006, 2238],
        [1670, 1966, 2262, 2558, 2854],
        [2030, 2390, 2750, 3110, 3470],
      ]], [[[4510, 4934, 5358, 5782, 6206], [5190, 5678, 6166, 6654, 7142], [
        5870,
        6422,
        6974,
        7526,
        8078,
      ]], [[9630, 10246, 10862, 11478, 12094], [10630, 11310, 11990, 12670, 13350], [
        11630,
        12374,
        13118,
        13862,
        14606,
      ]]]],
    },
  ],
  ['einsum("ii->", A(0, 0))', () => einsum("ii->", A(0, 0)), { shape: [], value: 0.0 }],
];

describe("np products against NumPy", () => {
  for (const [name, f, exp] of cases) {
    it(name, () => {
      const got = f();
      assert.deepEqual(got.shape, exp.shape, name);
      assertAllClose(got.tolist(), exp.value, { msg: name });
    });
  }
});

describe("np products on abstract tracers", () => {
  for (const [name, f, exp] of cases) {
    it(name, () => {
      const h = new ShapeHandler();
      tracing = h;
      try {
        const got = withHandler(h, f);
        assert.ok(got instanceof ShapeTracer, name);
        assert.deepEqual(got.shape, exp.shape, name);
        assert.equal(got.dtype, "float64", name);
      } finally {
        tracing = null;
      }
    });
  }
});

describe("np products: dtypes", () => {
  const a = arr([[true, false], [true, true]]);
  const b = arr([[false, true], [true, false]]);
  it("bool products are logical (computed in int32, compared with 0)", () => {
    const expected = [[false, true], [true, true]];
    for (const r of [dot(a, b), matmul(a, b), einsum("ij,jk->ik", a, b)]) {
      assert.equal(r.dtype, "bool");
      assert.deepEqual(r.tolist(), expected);
    }
    assert.deepEqual(outer([true, false], [true, true]).tolist(), [[true, true], [false, false]]);
    assert.equal(vdot([true, false], [true, true]).item(), true);
    assert.equal(inner([true, false], [false, true]).item(), false);
    assert.equal(tensordot(a, b).item(), true);
  });
  it("int32 stays int32 and mixed dtypes promote", () => {
    const r = matmul(np.asarray([[1, 2], [3, 4]], "int32"), np.asarray([1, -1], "int32"));
    assert.equal(r.dtype, "int32");
    assert.deepEqual(r.tolist(), [-1, -1]);
    const m = dot([1, 2], [0.5, 0.25]);
    assert.equal(m.dtype, "float64");
    assert.equal(m.item(), 1);
    assert.equal(dot(np.asarray([1, 2], "int32"), 2.5).dtype, "float64");
    assert.equal(dot(np.asarray([1, 2], "int32"), 2).dtype, "int32");
    assert.deepEqual(dot(arr([1, 2]), 2).tolist(), [2, 4]);
    assert.equal(dot(np.asarray([1, 2], "float32"), 2).dtype, "float32");
  });
  it("empty contractions give zeros", () => {
    assert.deepEqual(matmul(A(2, 0), A(0, 3)).tolist(), [[0, 0, 0], [0, 0, 0]]);
    assert.equal(vdot(A(0), A(0)).item(), 0);
    assert.deepEqual(matmul(A(0, 2), A(2, 3)).shape, [0, 3]);
    assert.deepEqual(einsum("ij,jk->ik", A(0, 2), A(2, 0)).shape, [0, 0]);
    assert.deepEqual(outer(A(0), A(3)).shape, [0, 3]);
    assert.equal(einsum("i->", A(0)).item(), 0);
  });
  it("einsum accepts spaces and scalars", () => {
    assert.deepEqual(einsum(" ij , j -> i ", [[1, 2], [3, 4]], [1, 1]).tolist(), [3, 7]);
    assert.equal(einsum(",->", 2, 3).item(), 6);
    assert.equal(einsum("", 4).item(), 4);
  });
});

describe("np products: errors", () => {
  it("dot, matmul, vdot and inner name the dimensions that disagree", () => {
    assertThrows(
      () => dot(A(2, 3), A(4, 5)),
      TypeError,
      "Cannot multiply matrices of shapes [2,3] and [4,5]: contracted dimensions differ (3 vs 4)",
    );
    assertThrows(
      () => dot(A(3), A(4)),
      TypeError,
      "Cannot multiply matrices of shapes [3] and [4]: contracted dimensions differ (3 vs 4)",
    );
    assertThrows(
      () => matmul(A(2, 3), A(4, 5)),
      TypeError,
      "Cannot multiply matrices of shapes [2,3] and [4,5]: contracted dimensions differ (3 vs 4)",
    );
    assertThrows(
      () => matmul(A(3), A(2)),
      TypeError,
      "Cannot multiply matrices of shapes [3] and [2]: contracted dimensions differ (3 vs 2)",
    );
    assertThrows(
      () => matmul(A(2, 2, 3), A(3, 3, 4)),
      TypeError,
      "Cannot multiply matrices of shapes [2,2,3] and [3,3,4]: batch dimensions [2] and [3] do not broadcast",
    );
    assertThrows(
      () => matmul(2, A(2)),
      TypeError,
      "Cannot matmul a zero-dimensional array: operand 0 has shape [] (use multiply for scalars)",
    );
    assertThrows(
      () => matmul(A(2), A()),
      TypeError,
      "Cannot matmul a zero-dimensional array: operand 1 has shape []",
    );
    assertThrows(
      () => vdot(A(3), A(2, 2)),
      TypeError,
      "Cannot take vdot of arrays of shapes [3] and [2,2]: sizes differ (3 vs 4)",
    );
    assertThrows(
      () => inner(A(2, 3), A(2)),
      TypeError,
      "Cannot take the inner product of shapes [2,3] and [2]: contracted dimensions differ (3 vs 2)",
    );
  });
  it("tensordot", () => {
    assertThrows(
      () => tensordot(A(2, 3), A(4, 5), 1),
      TypeError,
      "Cannot tensordot arrays of shapes [2,3] and [4,5]: contracted dimensions differ (3 vs 4)",
    );
    assertThrows(
      () => tensordot(A(2, 3), A(3), 2),
      RangeError,
      "Cannot tensordot arrays of shapes [2,3] and [3] over 2 axes: expected an integer in [0, 1]",
    );
    assertThrows(
      () => tensordot(A(2, 3), A(3), -1),
      RangeError,
      "over -1 axes: expected an integer in [0, 1]",
    );
    assertThrows(
      () => tensordot(A(2, 3), A(3, 2), [[0, 1], [0]]),
      TypeError,
      "Cannot tensordot over axes [0,1] and [0]: the axis lists have different lengths (2 vs 1)",
    );
    assertThrows(
      () => tensordot(A(2, 2), A(2, 2), [[0, -2], [0, 1]]),
      RangeError,
      "Cannot tensordot: repeated axis in the first axis list [0,0]",
    );
    assertThrows(() => tensordot(A(2), A(2), [[1], [0]]), RangeError, "Axis 1 is out of bounds");
  });
  it("einsum", () => {
    assertThrows(
      () => einsum("ij,jk->ik", A(2, 3)),
      TypeError,
      `Einsum subscripts "ij,jk->ik" name 2 operands, but 1 were given`,
    );
    assertThrows(
      () => einsum("ij,jk->ik", A(2, 3), A(4, 5)),
      TypeError,
      `Cannot einsum "ij,jk->ik" with operands of shapes [2,3], [4,5]: index 'j' has sizes 3 and 4`,
    );
    assertThrows(
      () => einsum("...i,...i", A(2, 3), A(4, 3)),
      TypeError,
      `"..." dimension 0 has sizes 2 and 4`,
    );
    assertThrows(
      () => einsum("ii", A(2, 3)),
      TypeError,
      `index 'i' has sizes 2 and 3`,
    );
    assertThrows(
      () => einsum("ijk", A(2, 3)),
      TypeError,
      `Einsum operand 0 has shape [2,3] (rank 2), but its subscripts "ijk" name 3 dimensions`,
    );
    assertThrows(
      () => einsum("i...j", A(2)),
      TypeError,
      `Einsum operand 0 has shape [2] (rank 1), but its subscripts "i...j" name 2 dimensions`,
    );
    assertThrows(
      () => einsum("ij->ii", A(2, 2)),
      TypeError,
      `Invalid einsum subscripts "ij->ii": output index 'i' repeats`,
    );
    assertThrows(
      () => einsum("ij->k", A(2, 2)),
      TypeError,
      `Invalid einsum subscripts "ij->k": output index 'k' does not appear in the inputs`,
    );
    assertThrows(
      () => einsum("i1->i", A(2, 2)),
      TypeError,
      `Invalid einsum subscripts "i1->i": unexpected character "1"`,
    );
    assertThrows(
      () => einsum("......", A(2, 2)),
      TypeError,
      `Invalid einsum subscripts "......": "..." appears twice in "......"`,
    );
    assertThrows(
      () => einsum("i->i->i", A(2)),
      TypeError,
      `Invalid einsum subscripts "i->i->i": "->" appears twice`,
    );
    assertThrows(
      () => einsum("...i->i", A(2, 3)),
      TypeError,
      `Invalid einsum subscripts "...i->i": the operands have 1 "..." dimensions, but the output has no "..."`,
    );
  });
});

describe("np products: values against NumPy (fixtures/numpy/chapters.json)", () => {
  valuesAgainstNumPy([
    ["kron", () => np.kron(R45.get(":2", ":3"), C.get(":3"))],
    ["kron 3d", () => np.kron(R234.get(":", ":2", ":2"), R45.get(":2", ":2"))],
    ["cross", () => np.cross(R36.get(":", ":3"), R36.get(":", "3:"))],
    ["cross 2-3", () => np.cross(R36.get(":", ":2"), R36.get(":", "3:"))],
    ["cross axis 0", () => np.cross(R36.get(":", ":2"), R36.get(":", "3:5"), 0)],
  ]);
});

describe("np products: shapes and hand-checked values", () => {
  it("cross of 2-vectors gives the z component; mixed 2/3 vectors take z = 0", () => {
    assert.deepEqual(np.cross([1, 2], [3, 4]).tolist(), -2);
    assert.deepEqual(np.cross([1, 2, 3], [4, 5]).tolist(), [-15, 12, -3]);
    assert.deepEqual(np.cross([[1, 0, 0]], [0, 1, 0]).tolist(), [[0, 0, 1]]);
  });
});
