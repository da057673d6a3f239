// nn: activations and losses against jax.nn (values, first and second derivatives, including
// ±1e3 and ±1e300), stability in forward and reverse mode, derivatives against finite
// differences to second order, vmap against a loop, and the error functions behind them.
import { describe, it } from "node:test";
import { type Array, grad, jvp, nn, np, vmap } from "../mod.ts";
import { checkGrads, checkVmap } from "../src/testing.ts";
import { assert, assertAllClose, assertEquals, assertThrows } from "./_assert.ts";

// Generated with JAX 0.10.2 (jax_enable_x64) from jax.nn: values, first and second
// derivatives at XS. JAX's NaN derivatives of the tanh-approximate gelu at ±1e300 (x³
// overflows) are replaced by their limits.
const XS = [-1e+300, -1000, -30, -2.5, -1, -0.5, 0, 0.5, 1, 2.5, 30, 1000, 1e+300];
const JAX: Record<string, { v: number[]; g: number[]; h: number[] }> = {
  relu: {
    v: [0, 0, 0, 0, 0, 0, 0, 0.5, 1, 2.5, 30, 1000, 1e+300],
    g: [0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1],
    h: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
  },
  relu6: {
    v: [0, 0, 0, 0, 0, 0, 0, 0.5, 1, 2.5, 6, 6, 6],
    g: [0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 0, 0, 0],
    h: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
  },
  sigmoid: {
    v: [
      0,
      0,
      9.357622968839299e-14,
      0.07585818002124355,
      0.2689414213699951,
      0.3775406687981454,
      0.5,
      0.6224593312018546,
      0.7310585786300049,
      0.9241418199787566,
      0.9999999999999065,
      1,
      1,
    ],
    g: [
      0,
      0,
      9.357622968838423e-14,
      0.07010371654510815,
      0.19661193324148185,
      0.2350037122015945,
      0.25,
      0.2350037122015945,
      0.19661193324148185,
      0.07010371654510807,
      9.348077867342945e-14,
      0,
      0,
    ],
    h: [
      0,
      0,
      9.357622968836671e-14,
      0.05946783584543406,
      0.09085774767294842,
      0.05755679485232076,
      0,
      -0.05755679485232076,
      -0.09085774767294842,
      -0.059467835845434004,
      -9.348077867341197e-14,
      -0,
      -0,
    ],
  },
  logSigmoid: {
    v: [
      -1e+300,
      -1000,
      -30.000000000000092,
      -2.5788897342925496,
      -1.3132616875182228,
      -0.9740769841801067,
      -0.6931471805599453,
      -0.4740769841801067,
      -0.3132616875182228,
      -0.07888973429254963,
      -9.357622968839737e-14,
      -0,
      -0,
    ],
    g: [
      1,
      1,
      0.9999999999999076,
      0.9241418199787564,
      0.731058578630005,
      0.6224593312018546,
      0.5,
      0.3775406687981454,
      0.2689414213699951,
      0.07585818002124355,
      9.35762296883931e-14,
      0,
      0,
    ],
    h: [
      -0,
      -0,
      -9.237055564880449e-14,
      -0.07010371654510816,
      -0.1966119332414818,
      -0.2350037122015945,
      -0.25,
      -0.2350037122015945,
      -0.19661193324148185,
      -0.07010371654510815,
      -9.357622968838434e-14,
      -0,
      -0,
    ],
  },
  softplus: {
    v: [
      0,
      0,
      9.357622968839737e-14,
      0.07888973429254963,
      0.3132616875182228,
      0.4740769841801067,
      0.6931471805599453,
      0.9740769841801067,
      1.3132616875182228,
      2.5788897342925496,
      30.000000000000092,
      1000,
      1e+300,
    ],
    g: [
      0,
      0,
      9.35762296883931e-14,
      0.07585818002124355,
      0.2689414213699951,
      0.3775406687981454,
      0.5,
      0.6224593312018546,
      0.731058578630005,
      0.9241418199787564,
      0.9999999999999076,
      1,
      1,
    ],
    h: [
      0,
      0,
      9.357622968838434e-14,
      0.07010371654510815,
      0.19661193324148185,
      0.2350037122015945,
      0.25,
      0.2350037122015945,
      0.1966119332414818,
      0.07010371654510816,
      9.237055564880449e-14,
      0,
      0,
    ],
  },
  silu: {
    v: [
      -0,
      -0,
      -2.8072868906517896e-12,
      -0.18964545005310887,
      -0.2689414213699951,
      -0.1887703343990727,
      0,
      0.3112296656009273,
      0.7310585786300049,
      2.3103545499468914,
      29.999999999997197,
      1000,
      1e+300,
    ],
    g: [
      0,
      0,
      -2.7137106609631337e-12,
      -0.09940111134152683,
      0.07232948812851325,
      0.2600388126973482,
      0.5,
      0.7399611873026518,
      0.9276705118714867,
      1.0994011113415267,
      1.000000000002711,
      1,
      1,
    ],
    h: [
      0,
      0,
      -2.6201344312742334e-12,
      -0.00846215652336886,
      0.3023661188100153,
      0.44122902697702865,
      0.5,
      0.44122902697702865,
      0.3023661188100153,
      -0.008462156523368874,
      -2.6174618028555004e-12,
      0,
      0,
    ],
  },
  gelu: {
    v: [
      -0,
      -0,
      -0,
      -0.0150842660899983,
      -0.1588080093917233,
      -0.15428599017485609,
      0,
      0.3457140098251439,
      0.8411919906082768,
      2.4849157339100016,
      30,
      1000,
      1e+300,
    ],
    g: [
      0,
      0,
      0,
      -0.037951576212665414,
      -0.08296408384578258,
      0.1326300964653577,
      0.5,
      0.8673699035346423,
      1.0829640838457828,
      1.0379515762126654,
      1,
      1,
      1,
    ],
    h: [
      0,
      0,
      0,
      -0.07624539207361147,
      0.24214819798377296,
      0.6155068951159849,
      0.7978845608028654,
      0.6155068951159849,
      0.24214819798377296,
      -0.07624539207361157,
      0,
      0,
      0,
    ],
  },
  geluExact: {
    v: [
      -0,
      -0,
      -1.4720141781443724e-196,
      -0.01552416331444033,
      -0.15865525393145707,
      -0.15426876936299344,
      0,
      0.34573123063700656,
      0.8413447460685429,
      2.4844758366855597,
      30,
      1000,
      1e+300,
    ],
    g: [
      0,
      0,
      -4.416031690708244e-195,
      -0.037611085908145186,
      -0.08331547058768624,
      0.13250487534383715,
      0.5,
      0.8674951246561629,
      1.0833154705876862,
      1.037611085908145,
      1,
      1,
      1,
    ],
    h: [
      0,
      0,
      -1.323334229120861e-193,
      -0.07449527709766625,
      0.24197072451914328,
      0.616114321837524,
      0.7978845608028654,
      0.616114321837524,
      0.24197072451914328,
      -0.07449527709766625,
      -1.323334229120861e-193,
      0,
      0,
    ],
  },
  elu: {
    v: [
      -1,
      -1,
      -0.9999999999999064,
      -0.9179150013761012,
      -0.6321205588285577,
      -0.3934693402873665,
      0,
      0.5,
      1,
      2.5,
      30,
      1000,
      1e+300,
    ],
    g: [
      0,
      0,
      9.35918009759007e-14,
      0.08208499862389884,
      0.36787944117144233,
      0.6065306597126334,
      1,
      1,
      1,
      1,
      1,
      1,
      1,
    ],
    h: [
      0,
      0,
      9.35918009759007e-14,
      0.08208499862389884,
      0.36787944117144233,
      0.6065306597126334,
      1,
      0,
      0,
      0,
      0,
      0,
      0,
    ],
  },
  leakyRelu: {
    v: [
      -1.0000000000000001e+298,
      -10,
      -0.3,
      -0.025,
      -0.01,
      -0.005,
      0,
      0.5,
      1,
      2.5,
      30,
      1000,
      1e+300,
    ],
    g: [0.01, 0.01, 0.01, 0.01, 0.01, 0.01, 1, 1, 1, 1, 1, 1, 1],
    h: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
  },
  tanh: {
    v: [
      -1,
      -1,
      -1,
      -0.9866142981514302,
      -0.7615941559557649,
      -0.4621171572600098,
      0,
      0.4621171572600098,
      0.7615941559557649,
      0.9866142981514302,
      1,
      1,
      1,
    ],
    g: [
      0,
      0,
      0,
      0.026592226683160858,
      0.419974341614026,
      0.7864477329659274,
      1,
      0.7864477329659274,
      0.41997434161402614,
      0.02659222668316079,
      0,
      0,
      0,
    ],
    h: [
      0,
      0,
      0,
      0.052472542130580724,
      0.6397000084492248,
      0.7268619813835873,
      0,
      -0.7268619813835873,
      -0.6397000084492246,
      -0.05247254213058083,
      -0,
      -0,
      -0,
    ],
  },
};
const JAX_SOFTMAX = [[1, 0, 0], [0.09003057317038046, 0.2447284710547976, 0.6652409557748219]];
const JAX_LOGSOFTMAX = [[0, -1000, -2000], [
  -2.40760596444438,
  -1.4076059644443801,
  -0.40760596444438024,
]];
const JAX_SOFTMAX_G = [[0, 0, 0], [-0.14181709360981223, -0.1407703574696302, 0.28258745107944216]];
const JAX_LOGSOFTMAX_G = [[-5, 2, 3], [
  0.45981656097771717,
  0.5316291736712142,
  -0.9914457346489316,
]];
const JAX_STANDARDIZE = [[1.2247448713824036, 0, -1.2247448713824036], [
  -1.2247356859083904,
  0,
  1.2247356859083904,
]];

const ACTIVATIONS: Record<string, (x: Array) => Array> = {
  relu: nn.relu,
  relu6: nn.relu6,
  sigmoid: nn.sigmoid,
  logSigmoid: nn.logSigmoid,
  softplus: nn.softplus,
  silu: nn.silu,
  gelu: (x) => nn.gelu(x),
  geluExact: (x) => nn.gelu(x, { approximate: false }),
  elu: (x) => nn.elu(x),
  leakyRelu: (x) => nn.leakyRelu(x),
  tanh: nn.tanh,
};

function allFinite(x: Array): boolean {
  return (x.tolist() as number[]).every(Number.isFinite);
}

describe("nn activations: values and derivatives match jax.nn, also at ±1e3 and ±1e300", () => {
  const xs = np.array(XS);
  for (const [name, f] of Object.entries(ACTIVATIONS)) {
    it(name, () => {
      const ref = JAX[name];
      assertAllClose(f(xs), ref.v, { rtol: 1e-12, atol: 1e-15, msg: `${name} values` });
      const g = vmap(grad(f))(xs);
      assertAllClose(g, ref.g, { rtol: 1e-12, atol: 1e-15, msg: `${name} grad` });
      const h = vmap(grad(grad(f)))(xs);
      assertAllClose(h, ref.h, { rtol: 1e-10, atol: 1e-14, msg: `${name} second derivative` });
      assert(allFinite(g) && allFinite(h), `${name}: non-finite derivative`);
    });
  }
});

describe("nn activations: forward mode is finite and agrees with reverse mode at large |x|", () => {
  const xs = np.array([-1e300, -1e3, -700, 0, 700, 1e3, 1e300]);
  for (const [name, f] of Object.entries(ACTIVATIONS)) {
    it(name, () => {
      const [, t] = jvp(f, [xs], [np.onesLike(xs)]) as [Array, Array];
      assert(allFinite(t), `${name}: non-finite tangent ${t}`);
      assertAllClose(t, vmap(grad(f))(xs), { rtol: 1e-12, atol: 1e-300 });
      const [, t2] = jvp((x: Array) => jvp(f, [x], [np.onesLike(x)])[1], [xs], [
        np.onesLike(xs),
      ]) as [Array, Array];
      assert(allFinite(t2), `${name}: non-finite second-order tangent ${t2}`);
    });
  }
});

describe("nn activations: derivatives against finite differences to second order, vmap", () => {
  // Points away from the kinks of relu, relu6, elu and leakyRelu.
  const x = np.array([[-2.3, -0.7, 0.4], [1.1, 2.9, 4.6]]);
  for (const [name, f] of Object.entries(ACTIVATIONS)) {
    it(name, () => {
      checkGrads(f, [x], { order: 2, atol: 1e-6, rtol: 1e-6 });
      checkVmap(f, [x]);
      checkVmap(f, [x], { inAxes: 1 });
    });
  }
});

describe("nn: JAX conventions at the kinks", () => {
  it("relu'(0) = 0, relu6'(0) = relu6'(6) = 0, leakyRelu'(0) = 1, elu'(0) = 1", () => {
    assertEquals(grad(nn.relu)(0).item(), 0);
    assertEquals(vmap(grad(nn.relu6))(np.array([0, 6])).tolist(), [0, 0]);
    assertEquals(grad((x: Array) => nn.leakyRelu(x))(0).item(), 1);
    assertEquals(grad((x: Array) => nn.elu(x))(0).item(), 1);
  });
  it("softplus'(0) = sigmoid(0) = 1/2", () => {
    assertEquals(grad(nn.softplus)(0).item(), 0.5);
    assertEquals(nn.sigmoid(0).item(), 0.5);
  });
  it("NaN propagates through relu and sigmoid", () => {
    assert(Number.isNaN(nn.relu(NaN).item()));
    assert(Number.isNaN(nn.sigmoid(NaN).item()));
    assert(Number.isNaN(nn.gelu(NaN).item()));
  });
  it("swish is silu; leakyRelu and elu take their parameter", () => {
    assertEquals(nn.swish(1.5).item(), nn.silu(1.5).item());
    assertEquals(nn.leakyRelu(-2, 0.2).item(), -0.4);
    assertAllClose(nn.elu(-1, 2), 2 * Math.expm1(-1));
  });
  it("float32 stays float32", () => {
    const x = np.array([-1000, 1, 1000], { dtype: "float32" });
    for (const f of Object.values(ACTIVATIONS)) assertEquals(f(x).dtype, "float32");
  });
});

describe("nn normalisers", () => {
  const x2 = np.array([[1e3, 0, -1e3], [1, 2, 3]]);
  const w = np.array([1, 2, 3]);
  it("softmax and logSoftmax match JAX at large logits, with gradients", () => {
    assertAllClose(nn.softmax(x2), JAX_SOFTMAX, { atol: 1e-300 });
    assertAllClose(nn.logSoftmax(x2), JAX_LOGSOFTMAX);
    const gs = grad((x: Array) => np.sum(np.multiply(nn.softmax(x), w)))(x2);
    assertAllClose(gs, JAX_SOFTMAX_G, { atol: 1e-15 });
    const gl = grad((x: Array) => np.sum(np.multiply(nn.logSoftmax(x), w)))(x2);
    assertAllClose(gl, JAX_LOGSOFTMAX_G, { atol: 1e-15 });
  });
  it("softmax over another axis and over several axes sums to 1", () => {
    assertAllClose(np.sum(nn.softmax(x2, 0), 0), [1, 1, 1]);
    assertAllClose(np.sum(nn.softmax(x2, [0, 1])), 1);
    assertAllClose(np.exp(nn.logSoftmax(x2, 0)), nn.softmax(x2, 0), { atol: 1e-300 });
  });
  it("logsumexp is stable and differentiates to softmax", () => {
    assertAllClose(nn.logsumexp(np.array([1e3, 1e3])), 1e3 + Math.LN2);
    assertAllClose(nn.logsumexp(x2, 1, { keepdims: true }).shape, [2, 1]);
    assertAllClose(grad((x: Array) => nn.logsumexp(x))(np.array([1e3, 0, -1e3])), [1, 0, 0], {
      atol: 1e-300,
    });
  });
  it("standardize matches JAX; options", () => {
    assertAllClose(nn.standardize(x2), JAX_STANDARDIZE);
    const x = np.array([1, 2, 3, 4]);
    assertAllClose(nn.standardize(x, -1, { algorithm: "stable", epsilon: 0 }), [
      -1.3416407864998738,
      -0.4472135954999579,
      0.4472135954999579,
      1.3416407864998738,
    ]);
    assertAllClose(nn.standardize(x, -1, { mean: 0, variance: 4, epsilon: 0 }), [0.5, 1, 1.5, 2]);
    assertThrows(() => nn.standardize(x, -1, { algorithm: "slow" as "fast" }), TypeError, "slow");
  });
  it("oneHot matches JAX (out-of-range rows are zero), dtype and axis", () => {
    assertEquals(nn.oneHot(np.array([0, 2, -1, 3]), 3).tolist(), [
      [1, 0, 0],
      [0, 0, 1],
      [0, 0, 0],
      [0, 0, 0],
    ]);
    const h = nn.oneHot(np.array([1, 0]), 3, { dtype: "int32", axis: 0 });
    assertEquals(h.dtype, "int32");
    assertEquals(h.tolist(), [[0, 1], [1, 0], [0, 0]]);
    assertThrows(() => nn.oneHot(np.array([1]), -1), RangeError, "numClasses");
    assertThrows(() => nn.oneHot(np.array([1]), 2, { axis: 3 }), RangeError, "axis 3");
  });
  const cases: [string, (x: Array) => Array][] = [
    ["softmax", (x) => nn.softmax(x)],
    ["softmax axis 0", (x) => nn.softmax(x, 0)],
    ["logSoftmax", (x) => nn.logSoftmax(x)],
    ["logsumexp last axis", (x) => nn.logsumexp(x, -1)],
    ["standardize", (x) => nn.standardize(x)],
    ["standardize stable", (x) => nn.standardize(x, -1, { algorithm: "stable" })],
  ];
  const x = np.array([[0.3, -1.2, 2.0], [0.5, 0.1, -0.4]]);
  for (const [name, f] of cases) {
    it(`${name}: derivatives to second order, vmap`, () => {
      checkGrads(f, [x], { order: 2, atol: 1e-6, rtol: 1e-6 });
      checkVmap(f, [x]);
      checkVmap(f, [x], { inAxes: 1 });
    });
  }
});

describe("nn losses", () => {
  it("softmaxCrossEntropy per example, stable at large logits, gradient softmax - labels", () => {
    const logits = np.array([[1e3, 0, -1e3], [0.5, -0.5, 2]]);
    const labels = np.array([[0, 1, 0], [0.2, 0.3, 0.5]]);
    const loss = nn.softmaxCrossEntropy(logits, labels);
    const lsm = nn.logSoftmax(logits).tolist() as number[][];
    assertAllClose(loss, [1e3, -(0.2 * lsm[1][0] + 0.3 * lsm[1][1] + 0.5 * lsm[1][2])]);
    const g = grad((l: Array) => np.sum(nn.softmaxCrossEntropy(l, labels)))(logits);
    assertAllClose(g, np.subtract(nn.softmax(logits), labels), { atol: 1e-15 });
    assert(allFinite(np.ravel(g)));
    checkGrads((l: Array) => nn.softmaxCrossEntropy(l, labels), [np.array([[0.1, 0.2, 0.3]])], {
      order: 2,
    });
    checkVmap((l: Array, y: Array) => nn.softmaxCrossEntropy(l, y), [logits, labels]);
  });
  it("meanSquaredError", () => {
    const p = np.array([1, 2, 3]), t = np.array([1, 0, 0]);
    assertAllClose(nn.meanSquaredError(p, t), 13 / 3);
    assertAllClose(grad((q: Array) => nn.meanSquaredError(q, t))(p), [0, 4 / 3, 2]);
    checkGrads((q: Array) => nn.meanSquaredError(q, t), [p], { order: 2 });
    checkVmap((q: Array) => nn.meanSquaredError(q, t), [np.array([[1, 2, 3], [4, 5, 6]])]);
  });
});
