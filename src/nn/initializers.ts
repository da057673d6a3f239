/**
 * `nn.initializers`: JAX's parameter initialisers (`jax.nn.initializers`).
 * Each factory returns an initialiser `(key, shape, dtype?) ↦ Array`; the
 * samples come from `random`, so they equal JAX's (x64) to rounding.
 *
 * @module
 */

import type { ArrayLike } from "../array/array.ts";
import type { DType } from "../array/dtype.ts";
import * as np from "../numpy/index.ts";
import { checkOptions } from "../core/options.ts";
import {
  normal as randomNormal,
  truncatedNormal as randomTruncatedNormal,
} from "../random/distributions.ts";
import { uniform as randomUniform } from "../random/distributions.ts";
import type { A } from "./_args.ts";

/** An initialiser: `(key, shape, dtype?) ↦ Array` (dtype float64 unless given). */
export type Initializer = (key: ArrayLike, shape: readonly number[], dtype?: DType) => A;

/**
 * Zeros.
 *
 * @example
 * ```ts
 * import { nn, random } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(nn.initializers.zeros(random.key(0), [2]).tolist(), [0, 0]);
 * ```
 *
 * @param _key Unused.
 * @param shape Shape.
 * @param dtype Dtype (default float64).
 * @returns Zeros of `shape`.
 */
export function zeros(_key: ArrayLike, shape: readonly number[], dtype: DType = "float64"): A {
  return np.zeros(shape, dtype);
}

/**
 * Ones.
 *
 * @example
 * ```ts
 * import { nn, random } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(nn.initializers.ones(random.key(0), [2]).tolist(), [1, 1]);
 * ```
 *
 * @param _key Unused.
 * @param shape Shape.
 * @param dtype Dtype (default float64).
 * @returns Ones of `shape`.
 */
export function ones(_key: ArrayLike, shape: readonly number[], dtype: DType = "float64"): A {
  return np.ones(shape, dtype);
}

/**
 * An initialiser filling with `value`.
 *
 * @example
 * ```ts
 * import { nn, random } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(nn.initializers.constant(0.5)(random.key(0), [2]).tolist(), [0.5, 0.5]);
 * ```
 *
 * @param value The fill value.
 * @param dtype Default dtype (float64).
 * @returns The initialiser.
 */
export function constant(value: number, dtype: DType = "float64"): Initializer {
  return (_key, shape, dt = dtype) => np.full(shape, value, dt);
}

/**
 * An initialiser of `N(0, stddev²)` samples.
 *
 * @example
 * ```ts
 * import { nn, random } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(nn.initializers.normal(0.1)(random.key(0), [3, 2]).shape, [3, 2]);
 * ```
 *
 * @param stddev Standard deviation (default 1e-2).
 * @param dtype Default dtype (float64).
 * @returns The initialiser.
 */
export function normal(stddev = 1e-2, dtype: DType = "float64"): Initializer {
  return (key, shape, dt = dtype) => np.multiply(randomNormal(key, shape, { dtype: dt }), stddev);
}

/**
 * An initialiser of `U[0, scale)` samples.
 *
 * @example
 * ```ts
 * import { nn, np, random } from "@nabla/ad";
 * import { ok } from "node:assert/strict";
 *
 * const w = nn.initializers.uniform(0.1)(random.key(0), [100]);
 * ok(np.all(np.logicalAnd(np.greaterEqual(w, 0), np.less(w, 0.1))).item());
 * ```
 *
 * @param scale Upper bound (default 1e-2).
 * @param dtype Default dtype (float64).
 * @returns The initialiser.
 */
export function uniform(scale = 1e-2, dtype: DType = "float64"): Initializer {
  return (key, shape, dt = dtype) => np.multiply(randomUniform(key, shape, { dtype: dt }), scale);
}

/**
 * An initialiser of `stddev ·` standard normals truncated to `(lower, upper)`.
 *
 * @example
 * ```ts
 * import { nn, np, random } from "@nabla/ad";
 * import { ok } from "node:assert/strict";
 *
 * const w = nn.initializers.truncatedNormal(1)(random.key(0), [100]);
 * ok(np.all(np.less(np.abs(w), 2)).item());
 * ```
 *
 * @param stddev Scale (default 1e-2).
 * @param dtype Default dtype (float64).
 * @param lower Lower bound of the standard normal (default -2).
 * @param upper Upper bound (default 2).
 * @returns The initialiser.
 */
export function truncatedNormal(
  stddev = 1e-2,
  dtype: DType = "float64",
  lower = -2,
  upper = 2,
): Initializer {
  return (key, shape, dt = dtype) =>
    np.multiply(randomTruncatedNormal(key, lower, upper, shape, { dtype: dt }), stddev);
}

/** Options of {@linkcode varianceScaling} and the named scalings. */
export interface VarianceScalingOptions {
  /** The input axis or axes (default -2). */
  inAxis?: number | readonly number[];
  /** The output axis or axes (default -1). */
  outAxis?: number | readonly number[];
  /** Batch axes, excluded from the fans (default none). */
  batchAxis?: readonly number[];
  /** Default dtype (float64). */
  dtype?: DType;
}

function axesOf(a: number | readonly number[], n: number): number[] {
  return (typeof a === "number" ? [a] : [...a]).map((i) => (i < 0 ? i + n : i));
}

function fans(shape: readonly number[], o: VarianceScalingOptions): [number, number] {
  const n = shape.length;
  if (n < 1) {
    throw new TypeError("nn.initializers: a variance-scaling shape needs at least one axis");
  }
  const prod = (ax: number[]) => ax.reduce((p, i) => p * shape[i], 1);
  const inAx = axesOf(o.inAxis ?? -2, n);
  const outAx = axesOf(o.outAxis ?? -1, n);
  const batchAx = axesOf(o.batchAxis ?? [], n);
  for (const i of [...inAx, ...outAx, ...batchAx]) {
    if (i < 0 || i >= n) {
      throw new TypeError(`nn.initializers: axis out of range for shape [${shape.join(", ")}]`);
    }
  }
  const total = shape.reduce((p, d) => p * d, 1);
  const receptive = total / (prod(inAx) * prod(outAx) * prod(batchAx));
  return [prod(inAx) * receptive, prod(outAx) * receptive];
}

/**
 * JAX's `variance_scaling`: samples of variance `scale / fan` with the fan
 * `"fanIn"`, `"fanOut"` or `"fanAvg"` of the shape (axes `inAxis`,
 * `outAxis`, the rest a receptive field), from a `"truncatedNormal"`
 * (rescaled to that variance), `"normal"` or `"uniform"` distribution.
 *
 * @example He initialisation by hand
 * ```ts
 * import { nn, random } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * const init = nn.initializers.varianceScaling(2, "fanIn", "truncatedNormal");
 * const k = random.key(0);
 * deepEqual(init(k, [3, 4]).tolist(), nn.initializers.heNormal()(k, [3, 4]).tolist());
 * ```
 *
 * @param scale Variance numerator.
 * @param mode `"fanIn"`, `"fanOut"` or `"fanAvg"` (JAX's snake_case also accepted).
 * @param distribution `"truncatedNormal"`, `"normal"` or `"uniform"`.
 * @param options `inAxis`, `outAxis`, `batchAxis`, `dtype`.
 * @returns The initialiser.
 */
export function varianceScaling(
  scale: number,
  mode: "fanIn" | "fanOut" | "fanAvg" | "fan_in" | "fan_out" | "fan_avg",
  distribution: "truncatedNormal" | "normal" | "uniform" | "truncated_normal",
  options: VarianceScalingOptions = {},
): Initializer {
  checkOptions("nn.initializers.varianceScaling", options, [
    "inAxis",
    "outAxis",
    "batchAxis",
    "dtype",
  ]);
  const m = mode.replace("_i", "I").replace("_o", "O").replace("_a", "A");
  if (m !== "fanIn" && m !== "fanOut" && m !== "fanAvg") {
    throw new TypeError(`nn.initializers.varianceScaling: invalid mode '${mode}'`);
  }
  const d = distribution === "truncated_normal" ? "truncatedNormal" : distribution;
  if (d !== "truncatedNormal" && d !== "normal" && d !== "uniform") {
    throw new TypeError(`nn.initializers.varianceScaling: invalid distribution '${distribution}'`);
  }
  return (key, shape, dt = options.dtype ?? "float64") => {
    const [fanIn, fanOut] = fans(shape, options);
    const denom = m === "fanIn" ? fanIn : m === "fanOut" ? fanOut : (fanIn + fanOut) / 2;
    const variance = scale / denom;
    if (d === "truncatedNormal") {
      // the standard deviation of a standard normal truncated to (-2, 2)
      const std = Math.sqrt(variance) / 0.87962566103423978;
      return np.multiply(randomTruncatedNormal(key, -2, 2, shape, { dtype: dt }), std);
    }
    if (d === "normal") {
      return np.multiply(randomNormal(key, shape, { dtype: dt }), Math.sqrt(variance));
    }
    const u = randomUniform(key, shape, { dtype: dt, minval: -1, maxval: 1 });
    return np.multiply(u, Math.sqrt(3 * variance));
  };
}

/**
 * Glorot (Xavier) uniform: `varianceScaling(1, "fanAvg", "uniform")`.
 *
 * @example A dense layer's kernel
 * ```ts
 * import { nn, random } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(nn.initializers.glorotUniform()(random.key(0), [3, 4]).shape, [3, 4]);
 * ```
 *
 * @param options `inAxis`, `outAxis`, `batchAxis`, `dtype`.
 * @returns The initialiser.
 */
export function glorotUniform(options: VarianceScalingOptions = {}): Initializer {
  return varianceScaling(1, "fanAvg", "uniform", options);
}

/**
 * Glorot (Xavier) normal: `varianceScaling(1, "fanAvg", "truncatedNormal")`.
 *
 * @example
 * ```ts
 * import { nn, random } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(nn.initializers.glorotNormal()(random.key(0), [3, 4]).shape, [3, 4]);
 * ```
 *
 * @param options `inAxis`, `outAxis`, `batchAxis`, `dtype`.
 * @returns The initialiser.
 */
export function glorotNormal(options: VarianceScalingOptions = {}): Initializer {
  return varianceScaling(1, "fanAvg", "truncatedNormal", options);
}

/**
 * LeCun uniform: `varianceScaling(1, "fanIn", "uniform")`.
 *
 * @example
 * ```ts
 * import { nn, random } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(nn.initializers.lecunUniform()(random.key(0), [3, 4]).shape, [3, 4]);
 * ```
 *
 * @param options `inAxis`, `outAxis`, `batchAxis`, `dtype`.
 * @returns The initialiser.
 */
export function lecunUniform(options: VarianceScalingOptions = {}): Initializer {
  return varianceScaling(1, "fanIn", "uniform", options);
}

/**
 * LeCun normal: `varianceScaling(1, "fanIn", "truncatedNormal")`.
 *
 * @example
 * ```ts
 * import { nn, random } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(nn.initializers.lecunNormal()(random.key(0), [3, 4]).shape, [3, 4]);
 * ```
 *
 * @param options `inAxis`, `outAxis`, `batchAxis`, `dtype`.
 * @returns The initialiser.
 */
export function lecunNormal(options: VarianceScalingOptions = {}): Initializer {
  return varianceScaling(1, "fanIn", "truncatedNormal", options);
}

/**
 * He (Kaiming) uniform: `varianceScaling(2, "fanIn", "uniform")`.
 *
 * @example
 * ```ts
 * import { nn, random } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(nn.initializers.heUniform()(random.key(0), [3, 4]).shape, [3, 4]);
 * ```
 *
 * @param options `inAxis`, `outAxis`, `batchAxis`, `dtype`.
 * @returns The initialiser.
 */
export function heUniform(options: VarianceScalingOptions = {}): Initializer {
  return varianceScaling(2, "fanIn", "uniform", options);
}

/**
 * He (Kaiming) normal: `varianceScaling(2, "fanIn", "truncatedNormal")`.
 *
 * @example
 * ```ts
 * import { nn, random } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(nn.initializers.heNormal()(random.key(0), [3, 4]).shape, [3, 4]);
 * ```
 *
 * @param options `inAxis`, `outAxis`, `batchAxis`, `dtype`.
 * @returns The initialiser.
 */
export function heNormal(options: VarianceScalingOptions = {}): Initializer {
  return varianceScaling(2, "fanIn", "truncatedNormal", options);
}

/**
 * JAX's alias of {@linkcode glorotUniform}.
 *
 * @example The same initialiser
 * ```ts
 * import { nn } from "@nabla/ad";
 * import { equal } from "node:assert/strict";
 *
 * equal(nn.initializers.xavierUniform, nn.initializers.glorotUniform);
 * ```
 */
export const xavierUniform: typeof glorotUniform = glorotUniform;

/**
 * JAX's alias of {@linkcode glorotNormal}.
 *
 * @example The same initialiser
 * ```ts
 * import { nn } from "@nabla/ad";
 * import { equal } from "node:assert/strict";
 *
 * equal(nn.initializers.xavierNormal, nn.initializers.glorotNormal);
 * ```
 */
export const xavierNormal: typeof glorotNormal = glorotNormal;

/**
 * JAX's alias of {@linkcode heUniform}.
 *
 * @example The same initialiser
 * ```ts
 * import { nn } from "@nabla/ad";
 * import { equal } from "node:assert/strict";
 *
 * equal(nn.initializers.kaimingUniform, nn.initializers.heUniform);
 * ```
 */
export const kaimingUniform: typeof heUniform = heUniform;

/**
 * JAX's alias of {@linkcode heNormal}.
 *
 * @example The same initialiser
 * ```ts
 * import { nn } from "@nabla/ad";
 * import { equal } from "node:assert/strict";
 *
 * equal(nn.initializers.kaimingNormal, nn.initializers.heNormal);
 * ```
 */
export const kaimingNormal: typeof heNormal = heNormal;

/**
 * The reduced QR of `a` ([m, n], m ≥ n) with R's diagonal positive, by
 * modified Gram–Schmidt applied twice (orthogonal to rounding), composed from
 * `np`: the Q that JAX's `qr` gives after its sign correction.
 */
function orthonormalColumns(a: A): A {
  const n = a.shape[1];
  let cols: A[] = [];
  for (let j = 0; j < n; j++) cols.push(np.take(a, j, 1));
  for (let pass = 0; pass < 2; pass++) {
    const out: A[] = [];
    for (let j = 0; j < n; j++) {
      let v = cols[j];
      for (const q of out) v = np.subtract(v, np.multiply(np.sum(np.multiply(q, v)), q));
      out.push(np.divide(v, np.sqrt(np.sum(np.square(v)))));
    }
    cols = out;
  }
  return np.stack(cols, 1);
}

/**
 * An initialiser of (semi-)orthogonal matrices, as JAX's `orthogonal`: the
 * Q factor (with positive R diagonal) of a standard normal matrix, the
 * `columnAxis` holding the columns, times `scale`.
 *
 * @example Orthonormal columns
 * ```ts
 * import { nn, np, random } from "@nabla/ad";
 * import { ok } from "node:assert/strict";
 *
 * const w = nn.initializers.orthogonal()(random.key(0), [5, 3]);
 * ok(np.allclose(np.matmul(np.transpose(w), w), np.eye(3), { atol: 1e-14 }));
 * ```
 *
 * @param scale Multiplier (default 1).
 * @param columnAxis The axis of the columns (default -1).
 * @param dtype Default dtype (float64).
 * @returns The initialiser.
 */
export function orthogonal(scale = 1, columnAxis = -1, dtype: DType = "float64"): Initializer {
  return (key, shape, dt = dtype) => {
    if (shape.length < 2) {
      throw new TypeError(
        `nn.initializers.orthogonal: the shape needs at least two axes: got [${shape.join(", ")}]`,
      );
    }
    const ax = columnAxis < 0 ? columnAxis + shape.length : columnAxis;
    const nCols = shape[ax];
    const nRows = shape.reduce((p, d) => p * d, 1) / nCols;
    const wide = nRows < nCols;
    const z = randomNormal(key, wide ? [nCols, nRows] : [nRows, nCols], { dtype: dt });
    let q = orthonormalColumns(z);
    if (wide) q = np.transpose(q);
    const rest = shape.filter((_, i) => i !== ax);
    const moved = np.moveaxis(q.reshape([...rest, nCols]), -1, ax);
    return np.multiply(moved, scale);
  };
}
