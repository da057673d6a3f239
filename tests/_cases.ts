// The table of op cases that every transformation runs (tests/rules_test.ts) and whose
// primitive coverage tests/coverage_test.ts checks. Add an op: add a row.
import { type Array, checkpoint, customJvp, jvp, lax, nn, np, random, scipy, vjp } from "../mod.ts";

export interface Case {
  name: string;
  // deno-lint-ignore no-explicit-any
  f: (...xs: any[]) => Array;
  shapes: number[][];
  /** Sampling interval of the inputs (default [-2, 2]). */
  domain?: [number, number] | [number, number][];
  /** Highest derivative order checked (default 2; 0 = not differentiable, vmap only). */
  order?: number;
  /** Relative/absolute tolerance of the derivative checks (default 1e-6). */
  tol?: number;
  /** Input dtype (default float64). */
  dtype?: "float64" | "int32" | "bool";
  /** Differentiation modes checked (default both; whileLoop has no reverse mode). */
  modes?: ("fwd" | "rev")[];
  /**
   * Primitives this row exercises that cannot carry a tangent (integer or
   * boolean operands only), so neither jvp nor reverse mode ever sees them
   * traced: the coverage test does not require them there.
   */
  noTangent?: { primitives: string[]; why: string };
}

/** The real and imaginary parts of a complex array, stacked on a new first axis. */
const parts = (z: Array): Array => np.stack([np.real(z), np.imag(z)]);

const softplusRule = customJvp((x: Array) => np.logaddexp(x, 0));
softplusRule.defjvp(([x]: Array[], [t]: Array[]) => [
  softplusRule(x),
  np.multiply(t, nn.sigmoid(x)),
]);

/** The arrays of a factorization, flattened (one case output for several factors). */
const flat = (xs: readonly Array[]): Array[] => xs.map((x) => np.ravel(x));
/** A symmetric positive-definite matrix from any square one: x xᵀ + n I. */
const spd = (x: Array): Array => {
  const n = x.shape[x.ndim - 1];
  return np.add(np.matmul(x, np.swapaxes(x, -1, -2)), np.multiply(n, np.eye(n)));
};
/** x + 4 I: diagonally dominant for entries in [-2, 2] and n ≤ 3. */
const dominant = (x: Array): Array => np.add(x, np.multiply(4, np.eye(x.shape[x.ndim - 1])));
/**
 * x plus a fixed matrix with well-separated singular values (3, 2, 1 on a diagonal), with x
 * scaled down: distinct eigen/singular values keep the vector derivatives finite.
 */
const spread = (x: Array, m = x.shape[0], n = x.shape[1]): Array =>
  np.add(np.multiply(0.1, x), np.multiply(np.eye(m, n), np.array([3, 2, 1].slice(0, n))));

let seed = 12345;
function rand(): number {
  seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
  return seed / 4294967296;
}

export function sample(
  shape: number[],
  [lo, hi]: [number, number],
  dtype: Case["dtype"] = "float64",
): Array {
  const n = shape.reduce((a, b) => a * b, 1);
  const vals = globalThis.Array.from({ length: n }, () => lo + (hi - lo) * rand());
  if (dtype === "bool") return np.array(vals.map((v) => v > (lo + hi) / 2)).reshape(shape);
  if (dtype === "int32") return np.array(vals.map(Math.round), { dtype: "int32" }).reshape(shape);
  return np.array(vals, { dtype: "float64" }).reshape(shape);
}

export function domainOf(c: Case, i: number): [number, number] {
  const d = c.domain ?? [-2, 2];
  return (typeof d[0] === "number" ? d : (d as [number, number][])[i]) as [number, number];
}

const unary = (
  name: string,
  f: (x: Array) => Array,
  domain?: [number, number],
  extra: Partial<Case> = {},
): Case[] => [
  { name: `${name} [2,3]`, f, shapes: [[2, 3]], domain, ...extra },
  { name: `${name} scalar`, f, shapes: [[]], domain, ...extra },
];

const binary = (
  name: string,
  f: (x: Array, y: Array) => Array,
  domain?: [number, number] | [number, number][],
  extra: Partial<Case> = {},
): Case[] => [
  { name: `${name} [2,3]·[2,3]`, f, shapes: [[2, 3], [2, 3]], domain, ...extra },
  { name: `${name} [2,3]·[3]`, f, shapes: [[2, 3], [3]], domain, ...extra },
  { name: `${name} [2,1]·[1,3]`, f, shapes: [[2, 1], [1, 3]], domain, ...extra },
  { name: `${name} []·[2]`, f, shapes: [[], [2]], domain, ...extra },
];

const pos: [number, number] = [0.2, 2];
const unit: [number, number] = [-0.9, 0.9];

export const CASES: Case[] = [
  // elementwise, unary
  ...unary("negative", np.negative),
  ...unary("abs", np.abs, [0.1, 2]),
  ...unary("abs neg", np.abs, [-2, -0.1]),
  ...unary("sign", np.sign, [0.1, 2], { order: 1 }),
  ...unary("sqrt", np.sqrt, pos),
  ...unary("square", np.square),
  ...unary("reciprocal", np.reciprocal, pos),
  ...unary("exp", np.exp),
  ...unary("expm1", np.expm1),
  ...unary("log", np.log, pos),
  ...unary("log1p", np.log1p, [-0.5, 2]),
  ...unary("log2", np.log2, pos),
  ...unary("log10", np.log10, pos),
  ...unary("sin", np.sin),
  ...unary("cos", np.cos),
  ...unary("tan", np.tan, [-1.2, 1.2]),
  ...unary("arcsin", np.arcsin, unit),
  ...unary("arccos", np.arccos, unit),
  ...unary("arctan", np.arctan),
  ...unary("sinh", np.sinh),
  ...unary("cosh", np.cosh),
  ...unary("tanh", np.tanh),
  ...unary("arcsinh", np.arcsinh),
  ...unary("arccosh", np.arccosh, [1.2, 3]),
  ...unary("arctanh", np.arctanh, unit),
  ...unary("floor", np.floor, [0.1, 0.9], { order: 1 }),
  ...unary("ceil", np.ceil, [0.1, 0.9], { order: 1 }),
  ...unary("round", np.round, [0.1, 0.4], { order: 1 }),
  ...unary("clip", (x) => np.clip(x, -0.5, 0.5)),
  // elementwise, binary (with broadcasting)
  ...binary("add", np.add),
  ...binary("subtract", np.subtract),
  ...binary("multiply", np.multiply),
  ...binary("divide", np.divide, [[-2, 2], [0.5, 2]]),
  ...binary("power", np.power, [[0.5, 2], [-1.5, 1.5]]),
  ...binary("maximum", np.maximum),
  ...binary("minimum", np.minimum),
  ...binary("arctan2", np.arctan2, [[-2, 2], [0.5, 2]]),
  ...binary("mod", np.mod, [[0.1, 0.9], [1.1, 2]]),
  ...binary("floorDivide", np.floorDivide, [[0.1, 0.9], [1.1, 2]], { order: 1 }),
  ...binary("where", (x, y) => np.where(np.greater(x, y), x, y)),
  ...binary("less", np.less, undefined, { order: 0 }),
  { name: "power scalar exponent", f: (x) => np.power(x, 3), shapes: [[4]] },
  { name: "power int exponent at 0", f: (x) => np.power(np.multiply(x, 0), 2), shapes: [[2]] },
  {
    name: "logicalAnd",
    f: np.logicalAnd,
    shapes: [[3], [3]],
    dtype: "bool",
    order: 0,
    noTangent: { primitives: ["and"], why: "bool operands" },
  },
  {
    name: "logicalOr",
    f: np.logicalOr,
    shapes: [[3], [3]],
    dtype: "bool",
    order: 0,
    noTangent: { primitives: ["or"], why: "bool operands" },
  },
  {
    name: "logicalNot",
    f: np.logicalNot,
    shapes: [[2, 3]],
    dtype: "bool",
    order: 0,
    noTangent: { primitives: ["not"], why: "a bool operand" },
  },
  // Bitwise operations on integers: piecewise constant, so vmap only (integer operands carry no tangent).
  ...([
    ["bitwiseXor", np.bitwiseXor, "xor"],
    ["leftShift", np.leftShift, "shift_left"],
    ["rightShift", np.rightShift, "shift_right_arithmetic"],
    [
      "lax.shiftRightLogical",
      (x: Array, y: Array) => lax.shiftRightLogical(x, y),
      "shift_right_logical",
    ],
  ] as const).map(([name, f, prim]): Case => ({
    name,
    f,
    shapes: [[2, 3], [3]],
    domain: [[-40, 40], [0, 34]],
    dtype: "int32",
    order: 0,
    noTangent: { primitives: [prim], why: "integer operands" },
  })),
  ...([
    ["lax.populationCount", (x: Array) => lax.populationCount(x), "population_count"],
    ["lax.clz", (x: Array) => lax.clz(x), "clz"],
    [
      "lax.bitcastConvertType",
      (x: Array) => lax.bitcastConvertType(lax.bitcastConvertType(x, "float32"), "uint32"),
      "bitcast_convert_type",
    ],
  ] as const).map(([name, f, prim]): Case => ({
    name,
    f,
    shapes: [[2, 3]],
    domain: [-1000, 1000],
    dtype: "int32",
    order: 0,
    noTangent: { primitives: [prim], why: "an integer operand" },
  })),
  {
    name: "astype int32 inside a float function",
    f: (x) => np.add(x, np.astype(np.astype(x, "int32"), "float64")),
    shapes: [[2, 3]],
    domain: [0.1, 0.9],
  },
  { name: "isfinite", f: (x) => np.isfinite(np.log(x)), shapes: [[3]], order: 0 },
  // reductions
  { name: "sum all", f: (x) => np.sum(x), shapes: [[2, 3]] },
  { name: "sum axis 1", f: (x) => np.sum(x, 1), shapes: [[2, 3]] },
  {
    name: "sum axes [0,2] keepdims",
    f: (x) => np.sum(x, [0, 2], { keepdims: true }),
    shapes: [[2, 3, 2]],
  },
  { name: "prod", f: (x) => np.prod(x, 1), shapes: [[2, 3]] },
  {
    name: "prod with a zero",
    f: (x) => np.prod(np.multiply(x, np.array([1, 0, 1])), 0),
    shapes: [[3]],
  },
  { name: "mean", f: (x) => np.mean(x, 0), shapes: [[2, 3]] },
  { name: "max", f: (x) => np.max(x, 1), shapes: [[2, 3]] },
  { name: "min all", f: (x) => np.min(x), shapes: [[2, 3]] },
  { name: "var", f: (x) => np.var(x, 1), shapes: [[2, 3]] },
  { name: "std ddof 1", f: (x) => np.std(x, 0, { ddof: 1 }), shapes: [[3, 2]] },
  { name: "logsumexp", f: (x) => np.logsumexp(x, 1), shapes: [[2, 3]] },
  { name: "cumsum", f: (x) => np.cumsum(x, 1), shapes: [[2, 3]] },
  { name: "argmax", f: (x) => np.argmax(x, 1), shapes: [[2, 3]], order: 0 },
  { name: "argmin", f: (x) => np.argmin(x, 0), shapes: [[2, 3]], order: 0 },
  {
    name: "argmax as a weight",
    f: (x) => np.multiply(x, np.argmax(x, 1, { keepdims: true })),
    shapes: [[2, 3]],
  },
  {
    name: "argmin as a weight",
    f: (x) => np.multiply(x, np.argmin(x, 0)),
    shapes: [[2, 3]],
  },
  { name: "all", f: (x) => np.all(np.greater(x, 0), 0), shapes: [[2, 3]], order: 0 },
  // shape
  { name: "reshape", f: (x) => np.reshape(x, [3, -1]), shapes: [[2, 3]] },
  { name: "ravel", f: (x) => np.ravel(x), shapes: [[2, 3]] },
  { name: "transpose", f: (x) => np.transpose(x), shapes: [[2, 3, 4]] },
  { name: "swapaxes", f: (x) => np.swapaxes(x, 0, 2), shapes: [[2, 3, 4]] },
  { name: "moveaxis", f: (x) => np.moveaxis(x, 0, -1), shapes: [[2, 3, 4]] },
  { name: "expandDims", f: (x) => np.expandDims(x, 1), shapes: [[2, 3]] },
  { name: "squeeze", f: (x) => np.squeeze(x, 1), shapes: [[2, 1, 3]] },
  { name: "broadcastTo", f: (x) => np.broadcastTo(x, [4, 2, 3]), shapes: [[2, 1]] },
  { name: "concatenate", f: (x, y) => np.concatenate([x, y], 1), shapes: [[2, 3], [2, 2]] },
  { name: "stack", f: (x, y) => np.stack([x, y], 1), shapes: [[2, 3], [2, 3]] },
  { name: "split", f: (x) => np.split(x, 3, 1)[1], shapes: [[2, 3]] },
  { name: "flip", f: (x) => np.flip(x, 1), shapes: [[2, 3]] },
  { name: "tile", f: (x) => np.tile(x, [2, 1]), shapes: [[2, 3]] },
  { name: "repeat", f: (x) => np.repeat(x, 2, 0), shapes: [[2, 3]] },
  { name: "take", f: (x) => np.take(x, [2, 0, 2], 1), shapes: [[2, 3]] },
  { name: "diag of matrix", f: (x) => np.diag(x), shapes: [[3, 3]] },
  { name: "diag of vector", f: (x) => np.diag(x), shapes: [[3]] },
  { name: "trace", f: (x) => np.trace(x), shapes: [[3, 3]] },
  { name: "get slices", f: (x) => x.get(":", "::-2"), shapes: [[2, 5]] },
  { name: "get int and newaxis", f: (x) => x.get(1, null), shapes: [[2, 3]] },
  { name: "get int array", f: (x) => x.get([1, 1, 0]), shapes: [[2, 3]] },
  { name: "at add, repeated index", f: (x, v) => x.at([0, 2, 0]).add(v), shapes: [[4], [3]] },
  { name: "at set", f: (x, v) => x.at(1).set(v), shapes: [[3, 2], [2]] },
  // linear algebra
  { name: "dot 1-d", f: np.dot, shapes: [[3], [3]] },
  { name: "dot 2-d", f: np.dot, shapes: [[2, 3], [3, 4]] },
  { name: "matmul batched", f: np.matmul, shapes: [[2, 2, 3], [3, 2]] },
  { name: "matmul vector", f: np.matmul, shapes: [[3], [3, 2]] },
  { name: "vdot", f: np.vdot, shapes: [[2, 2], [2, 2]] },
  { name: "inner", f: np.inner, shapes: [[2, 3], [4, 3]] },
  { name: "outer", f: np.outer, shapes: [[2], [3]] },
  { name: "tensordot", f: (a, b) => np.tensordot(a, b, 1), shapes: [[2, 3], [3, 2]] },
  { name: "einsum ij,jk->ik", f: (a, b) => np.einsum("ij,jk->ik", a, b), shapes: [[2, 3], [3, 2]] },
  { name: "einsum ii->", f: (a) => np.einsum("ii->", a), shapes: [[3, 3]] },
  {
    name: "einsum bij,bjk->bik",
    f: (a, b) => np.einsum("bij,bjk->bik", a, b),
    shapes: [[2, 2, 3], [2, 3, 2]],
  },
  // nn
  ...unary("nn.relu", nn.relu, [0.1, 2]),
  ...unary("nn.sigmoid", nn.sigmoid),
  ...unary("nn.softplus", nn.softplus),
  ...unary("nn.logSigmoid", nn.logSigmoid),
  ...unary("nn.silu", nn.silu),
  ...unary("nn.gelu", nn.gelu),
  ...unary("nn.gelu exact", (x) => nn.gelu(x, { approximate: false })),
  ...unary("nn.elu", nn.elu, [-2, -0.1]),
  ...unary("nn.leakyRelu", nn.leakyRelu, [-2, -0.1]),
  { name: "nn.softmax", f: (x) => nn.softmax(x), shapes: [[2, 3]] },
  { name: "nn.logSoftmax", f: (x) => nn.logSoftmax(x, 0), shapes: [[2, 3]] },
  { name: "nn.standardize", f: (x) => nn.standardize(x), shapes: [[2, 4]] },
  {
    name: "nn.softmaxCrossEntropy",
    f: (x, y) => nn.softmaxCrossEntropy(x, nn.softmax(y)),
    shapes: [[2, 3], [2, 3]],
  },
  // logaddexp, custom rules, control flow
  ...binary("logaddexp", np.logaddexp),
  ...unary("customJvp softplus", softplusRule),
  ...unary("checkpoint", checkpoint((x: Array) => np.sin(np.multiply(x, np.cos(x))))),
  ...unary("lax.cond", (x) => lax.cond(np.greater(np.sum(x), 0), np.sin, np.cos, x)),
  {
    name: "lax.cond batched predicate",
    f: (p, x) => lax.cond(np.greater(p, 0), np.sin, np.cos, x),
    shapes: [[], []],
  },
  {
    name: "lax.whileLoop (forward mode; reverse mode is refused)",
    f: (x) =>
      lax.whileLoop(
        (c: Array) => np.less(np.sum(c), 10),
        (c: Array) => np.multiply(c, 1.5),
        x,
      ),
    shapes: [[2]],
    domain: [0.2, 2],
    modes: ["fwd"],
    noTangent: { primitives: ["batch_any"], why: "the loop predicate is bool" },
  },
  {
    name: "random.uniform of a key",
    f: (k) => random.uniform(k, [2]),
    shapes: [[2]],
    dtype: "int32",
    order: 0,
    noTangent: { primitives: ["threefry2x32"], why: "keys are integer data" },
  },
  {
    name: "lax.scan",
    f: (x) =>
      lax.scan(
        (c: Array, v: Array) => [np.add(np.multiply(c, v), 1), np.sin(c)],
        np.array(0.5),
        x,
      )[1],
    shapes: [[4]],
  },
  {
    name: "lax.foriLoop",
    f: (x) => lax.foriLoop(0, 3, (_i: Array, c: Array) => np.sin(np.multiply(c, x)), x),
    shapes: [[3]],
  },
  // np extras
  ...binary("hypot", np.hypot, [[0.2, 2], [-2, -0.2]]),
  ...unary("cbrt", np.cbrt, pos),
  ...unary("cbrt neg", np.cbrt, [-2, -0.2]),
  ...unary("exp2", np.exp2),
  ...unary("sinc", np.sinc),
  ...unary("deg2rad", np.deg2rad),
  ...unary("rad2deg", np.rad2deg),
  ...binary("copysign", np.copysign, [[-2, 2], [-2, -0.2]]),
  ...unary("trunc", np.trunc, [0.1, 0.9], { order: 1 }),
  { name: "sort", f: (x) => np.sort(x), shapes: [[2, 3]] },
  { name: "sort axis 0", f: (x) => np.sort(x, 0), shapes: [[3, 2]] },
  { name: "sort descending", f: (x) => np.sort(x, { descending: true }), shapes: [[2, 3]] },
  { name: "argsort", f: (x) => np.argsort(x, 0), shapes: [[3, 2]], order: 0 },
  { name: "cumprod", f: (x) => np.cumprod(x, 1), shapes: [[2, 5]] },
  {
    name: "cumprod with a zero",
    f: (x) => np.cumprod(np.multiply(x, np.array([1, 0, 1, 1]))),
    shapes: [[4]],
  },
  { name: "diff", f: (x) => np.diff(x, 2, 0), shapes: [[4, 2]] },
  {
    name: "pad constant",
    f: (x) => np.pad(x, [[1, 0], [2, 1]], { constantValues: 3 }),
    shapes: [[2, 3]],
  },
  {
    name: "pad traced constant",
    f: (x, c) => np.pad(x, 1, { constantValues: c }),
    shapes: [[2, 3], []],
  },
  { name: "pad reflect", f: (x) => np.pad(x, [[3, 1], [1, 4]], "reflect"), shapes: [[2, 3]] },
  { name: "pad edge", f: (x) => np.pad(x, [0, 2], "edge"), shapes: [[2, 3]] },
  { name: "roll", f: (x) => np.roll(x, [1, -2], [0, 1]), shapes: [[2, 3]] },
  { name: "roll flat", f: (x) => np.roll(x, 4), shapes: [[2, 3]] },
  { name: "meshgrid", f: (x, y) => np.stack(np.meshgrid(x, y)), shapes: [[3], [2]] },
  // Complex numbers and FFT: complex intermediates, real outputs (both parts stacked).
  { name: "complex parts", f: (x, y) => parts(np.conj(np.complex(x, y))), shapes: [[2, 3], [3]] },
  { name: "fft padded", f: (x) => parts(np.fft.fft(x, 6)), shapes: [[2, 5]] },
  {
    name: "ifft ortho axis 0",
    f: (x, y) => parts(np.fft.ifft(np.complex(x, y), null, 0, "ortho")),
    shapes: [[3, 2], [3, 2]],
  },
  { name: "rfft odd", f: (x) => parts(np.fft.rfft(x)), shapes: [[2, 7]] },
  { name: "rfft cropped", f: (x) => parts(np.fft.rfft(x, 4, 0)), shapes: [[5, 2]] },
  { name: "irfft even", f: (x, y) => np.fft.irfft(np.complex(x, y), 6), shapes: [[2, 4], [2, 4]] },
  { name: "irfft odd", f: (x, y) => np.fft.irfft(np.complex(x, y), 5), shapes: [[3], [3]] },
  { name: "abs of fft2", f: (x) => np.abs(np.fft.fft2(x)), shapes: [[3, 4]], domain: [0.5, 2] },
  { name: "angle", f: (x, y) => np.angle(np.complex(x, y)), shapes: [[4], [4]], domain: [0.5, 2] },
  {
    name: "complex arithmetic",
    f: (x, y) => {
      const z = np.complex(x, y);
      return parts(np.divide(np.multiply(np.exp(z), np.log(z)), np.sqrt(np.add(z, x))));
    },
    shapes: [[2, 3], [3]],
    domain: [0.5, 2],
  },
  {
    name: "complex sum",
    f: (x, y) => parts(np.sum(np.complex(x, y), 0)),
    shapes: [[3, 2], [3, 2]],
  },
  { name: "triu", f: (x) => np.triu(x, 1), shapes: [[3, 3]] },
  { name: "tril", f: (x) => np.tril(x), shapes: [[2, 3, 3]] },
  { name: "atleast3d", f: (x) => np.atleast3d(x), shapes: [[3]] },
  { name: "hstack", f: (x, y) => np.hstack([x, y]), shapes: [[2, 3], [2, 1]] },
  { name: "vstack", f: (x, y) => np.vstack([x, y]), shapes: [[3], [2, 3]] },
  { name: "dstack", f: (x, y) => np.dstack([x, y]), shapes: [[2, 3], [2, 3]] },
  { name: "columnStack", f: (x, y) => np.columnStack([x, y]), shapes: [[3], [3, 2]] },
  { name: "append", f: (x, y) => np.append(x, y), shapes: [[2, 3], [2]] },
  {
    name: "select",
    f: (x, y) => np.select([np.greater(x, 0.5), np.less(y, 0)], [x, y], -1),
    shapes: [[2, 3], [3]],
  },
  { name: "cross", f: np.cross, shapes: [[2, 3], [3]] },
  { name: "cross 2-vectors", f: np.cross, shapes: [[2, 2], [2, 2]] },
  { name: "kron", f: np.kron, shapes: [[2, 2], [3]] },
  { name: "average", f: (x) => np.average(x, 1), shapes: [[2, 3]] },
  {
    name: "average weighted",
    f: (x, w) => np.average(x, 0, { weights: w }),
    shapes: [[3, 2], [3]],
    domain: [[-2, 2], [0.5, 2]],
  },
  { name: "ptp", f: (x) => np.ptp(x, 1), shapes: [[2, 3]] },
  { name: "nansum", f: (x) => np.nansum(x, 0), shapes: [[2, 3]] },
  { name: "nanmean", f: (x) => np.nanmean(x, 1), shapes: [[2, 3]] },
  { name: "nanmax", f: (x) => np.nanmax(x, 1), shapes: [[2, 3]] },
  { name: "nanmin", f: (x) => np.nanmin(x), shapes: [[2, 3]] },
  { name: "countNonzero", f: (x) => np.countNonzero(np.round(x), 1), shapes: [[2, 3]], order: 0 },
  { name: "median", f: (x) => np.median(x, 1), shapes: [[2, 4]] },
  { name: "median odd", f: (x) => np.median(x), shapes: [[3]] },
  { name: "quantile", f: (x) => np.quantile(x, [0.1, 0.5, 0.8], 0), shapes: [[4, 2]] },
  {
    name: "quantile traced q",
    f: (x, q) => np.quantile(x, q),
    shapes: [[5], []],
    domain: [[-2, 2], [0.05, 0.95]],
  },
  { name: "percentile", f: (x) => np.percentile(x, 30, 1, { keepdims: true }), shapes: [[2, 4]] },
  { name: "linalg.norm", f: (x) => np.linalg.norm(x), shapes: [[2, 3]] },
  { name: "linalg.norm ord 3 axis 0", f: (x) => np.linalg.norm(x, 3, 0), shapes: [[2, 3]] },
  { name: "linalg.norm ord inf", f: (x) => np.linalg.norm(x, Infinity), shapes: [[3]] },
  { name: "linalg.norm matrix 1", f: (x) => np.linalg.norm(x, 1), shapes: [[3, 3]] },
  // Linear algebra: inputs made well-conditioned (spd, diagonally dominant) where the math needs it.
  { name: "linalg.cholesky", f: (x) => np.linalg.cholesky(spd(x)), shapes: [[3, 3]] },
  { name: "linalg.cholesky batch", f: (x) => np.linalg.cholesky(spd(x)), shapes: [[2, 2, 2]] },
  {
    name: "triangularSolve left lower",
    f: (a, b) => lax.linalg.triangularSolve(dominant(a), b, { leftSide: true, lower: true }),
    shapes: [[3, 3], [3, 2]],
  },
  {
    name: "triangularSolve right upper transposed unit",
    f: (a, b) =>
      lax.linalg.triangularSolve(dominant(a), b, { transposeA: true, unitDiagonal: true }),
    shapes: [[3, 3], [2, 3]],
  },
  { name: "lax.linalg.lu", f: (x) => lax.linalg.lu(x)[0], shapes: [[3, 3]] },
  { name: "lax.linalg.lu tall", f: (x) => lax.linalg.lu(x)[0], shapes: [[3, 2]] },
  { name: "lax.linalg.lu wide", f: (x) => lax.linalg.lu(x)[0], shapes: [[2, 3]] },
  {
    name: "lu pivots",
    f: (x) => np.add(x, np.astype(lax.linalg.lu(x)[2], "float64")),
    shapes: [[3, 3]],
  },
  { name: "linalg.solve", f: (a, b) => np.linalg.solve(dominant(a), b), shapes: [[3, 3], [3]] },
  {
    name: "linalg.solve batched",
    f: (a, b) => np.linalg.solve(dominant(a), b),
    shapes: [[2, 2, 2], [2, 3]],
  },
  { name: "linalg.inv", f: (x) => np.linalg.inv(dominant(x)), shapes: [[3, 3]] },
  { name: "linalg.det", f: np.linalg.det, shapes: [[3, 3]] },
  { name: "linalg.slogdet", f: (x) => np.linalg.slogdet(x)[1], shapes: [[2, 3, 3]] },
  { name: "linalg.qr reduced", f: (x) => np.concatenate(flat(np.linalg.qr(x))), shapes: [[3, 2]] },
  { name: "linalg.qr wide", f: (x) => np.concatenate(flat(np.linalg.qr(x))), shapes: [[2, 3]] },
  {
    name: "linalg.qr complete square",
    f: (x) => np.concatenate(flat(np.linalg.qr(x, "complete"))),
    shapes: [[3, 3]],
  },
  {
    name: "linalg.eigh",
    f: (x) => np.concatenate(flat(np.linalg.eigh(spread(x)))),
    shapes: [[3, 3]],
  },
  {
    name: "svd reduced tall",
    f: (x) => np.concatenate(flat(np.linalg.svd(spread(x, 3, 2), { fullMatrices: false }))),
    shapes: [[3, 2]],
  },
  {
    name: "svd reduced wide",
    f: (x) => np.concatenate(flat(np.linalg.svd(spread(x, 2, 3), { fullMatrices: false }))),
    shapes: [[2, 3]],
  },
  { name: "linalg.svdvals", f: (x) => np.linalg.svdvals(spread(x, 3, 2)), shapes: [[3, 2]] },
  { name: "linalg.norm nuc", f: (x) => np.linalg.norm(spread(x, 2, 3), "nuc"), shapes: [[2, 3]] },
  { name: "linalg.pinv", f: (x) => np.linalg.pinv(spread(x, 3, 2)), shapes: [[3, 2]] },
  {
    name: "linalg.lstsq",
    f: (a, b) => np.linalg.lstsq(spread(a, 3, 2), b)[0],
    shapes: [[3, 2], [3]],
  },
  {
    name: "linalg.matrixPower -2",
    f: (x) => np.linalg.matrixPower(dominant(x), -2),
    shapes: [[2, 2]],
  },
  {
    name: "linalg.eigvals",
    f: (x) => parts(np.linalg.eigvals(x)),
    shapes: [[3, 3]],
    order: 1,
  },
  {
    name: "linalg.eig vectors (not differentiable, as JAX)",
    f: (x) => parts(np.linalg.eig(x)[1]),
    shapes: [[3, 3]],
    order: 0,
  },
  { name: "linalg.cond", f: (x) => np.linalg.cond(spread(x)), shapes: [[3, 3]] },
  {
    name: "interp",
    f: (x, fp) => np.interp(x, np.array([-1.5, -0.5, 0.5, 1.5]), fp),
    shapes: [[2, 3], [4]],
  },
  // Convolutions and windowed reductions (values and gradients against JAX in lax_conv_test.ts)
  {
    name: "conv SAME",
    f: (l, r) => lax.conv(l, r, [1, 1], "SAME"),
    shapes: [[1, 2, 3, 3], [2, 2, 2, 2]],
  },
  {
    name: "conv NHWC strided, dilated, feature groups",
    f: (l, r) =>
      lax.convGeneralDilated(l, r, [2, 1], [[1, 0], [0, 1]], {
        rhsDilation: [1, 2],
        dimensionNumbers: ["NHWC", "HWIO", "NHWC"],
        featureGroupCount: 2,
      }),
    shapes: [[1, 4, 3, 2], [2, 2, 1, 2]],
  },
  {
    name: "conv 1-D batch groups",
    f: (l, r) => lax.convGeneralDilated(l, r, [1], "VALID", { batchGroupCount: 2 }),
    shapes: [[2, 1, 3], [2, 1, 2]],
  },
  {
    name: "convTranspose SAME",
    f: (l, r) => lax.convTranspose(l, r, [2], "SAME"),
    shapes: [[1, 3, 1], [2, 1, 1]],
  },
  { name: "np.convolve", f: (a, v) => np.convolve(a, v), shapes: [[4], [2]] },
  { name: "np.correlate same", f: (a, v) => np.correlate(a, v, "same"), shapes: [[3], [4]] },
  {
    name: "reduceWindow max",
    f: (x) => lax.reduceWindow(x, -Infinity, lax.max, [2, 2], [1, 2]),
    shapes: [[3, 4]],
  },
  {
    name: "reduceWindow min SAME",
    f: (x) => lax.reduceWindow(x, Infinity, lax.min, [2, 2], [1, 1], "SAME"),
    shapes: [[3, 3]],
  },
  {
    name: "reduceWindow sum dilated",
    f: (x) => lax.reduceWindow(x, 0, lax.add, [2, 2], [1, 2], [[1, 0], [0, 1]], [2, 1], [1, 2]),
    shapes: [[3, 3]],
  },
  {
    name: "max pooling's tangent (select_and_gather_add)",
    f: (x, t) =>
      jvp((x: Array) => lax.reduceWindow(x, -Infinity, lax.max, [2, 2]), [x], [t])[1] as Array,
    shapes: [[3, 3], [3, 3]],
  },
  {
    name: "max pooling's cotangent (select_and_scatter_add)",
    f: (x, c) =>
      (vjp((x: Array) => lax.reduceWindow(x, -Infinity, lax.max, [2, 2]), [x])[1](c) as Array[])[0],
    shapes: [[3, 3], [2, 2]],
  },
  // scipy.special primitives
  ...unary("gammaln", scipy.special.gammaln, [0.5, 4]),
  ...unary("gammaln negative", scipy.special.gammaln, [-0.9, -0.1]),
  ...unary("digamma", scipy.special.digamma, [0.5, 4]),
  ...unary("polygamma 2", (x) => scipy.special.polygamma(2, x), [0.5, 3]),
  ...unary("zeta in q", (q) => scipy.special.zeta(3, q), [0.5, 3]),
  // s and q; second order in s would need ∂²ζ/∂s², which JAX does not have either
  ...binary("zeta", scipy.special.zeta, [[2, 4], [0.5, 3]], { order: 1 }),
  {
    name: "zeta_grad_s in q",
    f: (q) => jvp((s: Array) => scipy.special.zeta(s, q), [np.array(2.5)], [np.array(1)])[1],
    shapes: [[3]],
    domain: [0.5, 3],
  },
  ...unary("gammainc in x", (x) => scipy.special.gammainc(1.7, x), [0.2, 3]),
  ...unary("gammaincc in x", (x) => scipy.special.gammaincc(1.7, x), [0.2, 3]),
  // once in a: igamma_grad_a has no derivative (as JAX)
  ...binary("gammainc", scipy.special.gammainc, [[0.5, 3], [0.2, 3]], { order: 1, tol: 1e-5 }),
  ...binary("gammaincc", scipy.special.gammaincc, [[0.5, 3], [0.2, 3]], { order: 1, tol: 1e-5 }),
  {
    name: "igamma_grad_a",
    f: (a, x) => jvp((b: Array) => scipy.special.gammainc(b, x), [a], [np.onesLike(a)])[1],
    shapes: [[3], [3]],
    domain: [[0.5, 3], [0.2, 3]],
    order: 0,
    noTangent: { primitives: ["igamma_grad_a"], why: "not differentiable, as JAX's" },
  },
  ...unary("betainc in x", (x) => scipy.special.betainc(2, 3.5, x), [0.1, 0.9]),
  {
    name: "betainc vmap",
    f: scipy.special.betainc,
    shapes: [[3], [3], [3]],
    domain: [[0.5, 3], [0.5, 3], [0.1, 0.9]],
    order: 0,
  },
  ...binary("betaln", scipy.special.betaln, [[0.5, 3], [0.5, 3]]),
  {
    name: "digamma_diff (∂ betaln/∂a)",
    f: (a, b) => jvp((u: Array) => scipy.special.betaln(u, b), [a], [np.onesLike(a)])[1],
    shapes: [[3], [3]],
    domain: [[0.5, 3], [0.5, 3]],
  },
  ...unary("i0e", scipy.special.i0e, [0.2, 3]),
  ...unary("i0e negative", scipy.special.i0e, [-3, -0.2]),
  ...unary("i1e", scipy.special.i1e, [0.2, 3]),
  ...unary("i1e negative", scipy.special.i1e, [-3, -0.2]),
  // compositions
  {
    name: "softmax",
    f: (x) => np.divide(np.exp(x), np.sum(np.exp(x), -1, { keepdims: true })),
    shapes: [[2, 3]],
  },
  { name: "x² + log x", f: (x) => np.add(np.square(x), np.log(x)), shapes: [[]], domain: pos },
];

/**
 * A case's inputs, the same whatever ran before: the generator restarts from a seed of the
 * case's name (Bun runs every test file in one process, so a shared sequence would hand a
 * case different inputs depending on which files ran first).
 */
export function inputs(c: Case): Array[] {
  seed = 12345;
  for (let i = 0; i < c.name.length; i++) seed = (Math.imul(seed, 31) + c.name.charCodeAt(i)) >>> 0;
  return c.shapes.map((s, i) => sample(s, domainOf(c, i), c.dtype));
}
