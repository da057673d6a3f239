/**
 * The samplers of `random`: `uniform`, `normal`, `truncatedNormal`,
 * `bernoulli`, `gumbel`, `categorical`, `randint`, `permutation`, `choice`.
 * Each is a pure function of a key; everything after the bits (`keys.ts`) is
 * composed from `np`, so samplers batch under `vmap` and differentiate in
 * their parameters.
 *
 * @module
 */

import * as np from "../numpy/index.ts";
import type { ArrayLike } from "../array/array.ts";
import { checkDType, type DType, isFloat, isInteger } from "../array/dtype.ts";
import { broadcastShapes, type Shape, ShapeError, shapesEqual, showShape } from "../array/shape.ts";
import { bind } from "../core/handler.ts";
import { argsortP } from "../primitives/sort.ts";
import { stopGradient } from "../lax/ops.ts";
import {
  type A,
  bits32,
  checkFloat,
  checkKey,
  prod,
  shapeOf,
  split,
  TWO32,
  unitUniform,
} from "./keys.ts";
import { erf, erfInv } from "../scipy/special.ts";
import { checkOptions } from "../core/options.ts";
// ---------------------------------------------------------------------------
// Continuous distributions

/** Options of {@linkcode uniform}. */
export interface UniformOptions {
  /** Floating dtype (default float64). */
  dtype?: DType;
  /** Lower bound, inclusive (default 0); broadcasts against the shape. */
  minval?: ArrayLike;
  /** Upper bound, exclusive (default 1); broadcasts against the shape. */
  maxval?: ArrayLike;
}

function checkBroadcastTo(name: string, shape: Shape, ...params: A[]): void {
  let s: Shape = shape;
  for (const p of params) s = broadcastShapes(s, p.shape);
  if (!shapesEqual(s, shape)) {
    throw new ShapeError(
      `${name}: parameters of shapes ${
        params.map((p) => showShape(p.shape)).join(" and ")
      } do not broadcast to the sample shape ${showShape(shape)}`,
      { op: name, shapes: [...params.map((p) => p.shape), shape] },
    );
  }
}

/**
 * Uniform samples on `[minval, maxval)`, as `jax.random.uniform`.
 *
 * @example Within bounds, reproducible
 * ```ts
 * import { np, random } from "@nabla/ad";
 * import { deepEqual, ok } from "node:assert/strict";
 *
 * const u = random.uniform(random.key(0), [1000], { minval: -2, maxval: 3 });
 * ok(np.all(np.logicalAnd(np.greaterEqual(u, -2), np.less(u, 3))).item());
 * deepEqual(random.uniform(random.key(0), [3]).tolist(), [
 *   0.41845711171638644,
 *   0.21629545460551136,
 *   0.9653214611189975,
 * ]);
 * ```
 *
 * @param key A key (shape `[2]`).
 * @param shape Sample shape (default `[]`).
 * @param options `dtype`, `minval`, `maxval`.
 * @returns An array of `shape`.
 */
export function uniform(
  key: ArrayLike,
  shape: readonly number[] = [],
  options: UniformOptions = {},
): A {
  checkOptions("uniform", options, ["dtype", "maxval", "minval"]);
  const k = checkKey("uniform", key);
  const s = shapeOf("uniform", shape);
  const dtype = checkFloat("uniform", options.dtype);
  const lo = np.astype(options.minval ?? 0, dtype);
  const hi = np.astype(options.maxval ?? 1, dtype);
  checkBroadcastTo("uniform", s, lo, hi);
  const u = unitUniform(k, s, dtype);
  const out = np.maximum(lo, np.add(np.multiply(u, np.subtract(hi, lo)), lo));
  return shapesEqual(out.shape, s) ? out : np.broadcastTo(out, s);
}

/** Options of the samplers that only take a dtype. */
export interface DTypeOption {
  /** Floating dtype (default float64). */
  dtype?: DType;
}

/** The largest float of `dtype` below 1 in magnitude, negated: nextafter(-1, 0). */
function justAboveMinusOne(dtype: DType): number {
  return -(1 - np.finfo(dtype).epsneg);
}

/**
 * Standard normal samples, as `jax.random.normal`: `√2 · erfInv(u)` with `u`
 * uniform on (-1, 1).
 *
 * @example Reproducible, with JAX's values
 * ```ts
 * import { random } from "@nabla/ad";
 * import { ok } from "node:assert/strict";
 *
 * const z = random.normal(random.key(0), [2]).tolist() as number[];
 * ok(Math.abs(z[0] - -0.2058421394796434) < 1e-15);
 * ok(Math.abs(z[1] - -0.7847657764467411) < 1e-15);
 * ```
 *
 * @param key A key (shape `[2]`).
 * @param shape Sample shape (default `[]`).
 * @param options `dtype`.
 * @returns An array of `shape`.
 */
export function normal(
  key: ArrayLike,
  shape: readonly number[] = [],
  options: DTypeOption = {},
): A {
  const dtype = checkFloat("normal", options.dtype);
  const u = uniform(key, shape, { dtype, minval: justAboveMinusOne(dtype), maxval: 1 });
  const z = np.multiply(Math.SQRT2, erfInv(np.astype(u, "float64")));
  return np.astype(z, dtype);
}

/** `nextafter(x, ±∞)` elementwise, composed: one step of the float grid of `x`'s dtype. */
function nextToward(x: A, up: boolean): A {
  const info = np.finfo(x.dtype);
  const half = info.epsneg; // 2^-p: half a step at 1
  const tiny = info.smallestSubnormal;
  const big = info.max;
  // |x|·2^-p·(1 + 2^(1-p)) lies strictly between half a step and one step, so x ± it rounds
  // to the neighbour.
  const step = np.maximum(np.multiply(np.abs(x), half * (1 + 2 * half)), tiny);
  const moved = up ? np.add(x, step) : np.subtract(x, step);
  const wall = up ? -Infinity : Infinity;
  return np.where(np.equal(x, wall), np.fullLike(x, up ? -big : big), moved);
}

/**
 * Samples of a standard normal truncated to `(lower, upper)`, as
 * `jax.random.truncated_normal` (inverse-CDF: `√2 · erfInv(u)` with `u`
 * uniform between `erf(lower/√2)` and `erf(upper/√2)`, clipped to the open
 * interval).
 *
 * @example Within bounds
 * ```ts
 * import { np, random } from "@nabla/ad";
 * import { ok } from "node:assert/strict";
 *
 * const z = random.truncatedNormal(random.key(1), -1, 2, [1000]);
 * ok(np.all(np.logicalAnd(np.greater(z, -1), np.less(z, 2))).item());
 * ```
 *
 * @param key A key (shape `[2]`).
 * @param lower Lower bound(s).
 * @param upper Upper bound(s).
 * @param shape Sample shape (default: the broadcast shape of the bounds).
 * @param options `dtype`.
 * @returns An array of `shape`.
 */
export function truncatedNormal(
  key: ArrayLike,
  lower: ArrayLike,
  upper: ArrayLike,
  shape?: readonly number[],
  options: DTypeOption = {},
): A {
  const dtype = checkFloat("truncatedNormal", options.dtype);
  const lo = np.astype(lower, dtype), hi = np.astype(upper, dtype);
  const s = shape === undefined
    ? broadcastShapes(lo.shape, hi.shape)
    : shapeOf("truncatedNormal", shape);
  checkBroadcastTo("truncatedNormal", s, lo, hi);
  const a = erf(np.multiply(np.astype(lo, "float64"), Math.SQRT1_2));
  const b = erf(np.multiply(np.astype(hi, "float64"), Math.SQRT1_2));
  const u = uniform(key, s, { dtype: "float64", minval: a, maxval: b });
  const out = np.astype(np.multiply(Math.SQRT2, erfInv(u)), dtype);
  return np.clip(out, nextToward(stopGradient(lo), true), nextToward(stopGradient(hi), false));
}

// ---------------------------------------------------------------------------
// Discrete distributions

/**
 * Bernoulli samples (`true` with probability `p`), as `jax.random.bernoulli`:
 * `uniform(key, shape) < p`.
 *
 * @example Frequency
 * ```ts
 * import { np, random } from "@nabla/ad";
 * import { ok } from "node:assert/strict";
 *
 * const b = random.bernoulli(random.key(0), 0.3, [10000]);
 * ok(Math.abs((np.mean(b).item() as number) - 0.3) < 0.02);
 * ```
 *
 * @param key A key (shape `[2]`).
 * @param p Probability of `true` (default 0.5); broadcasts against the shape.
 * @param shape Sample shape (default: the shape of `p`).
 * @returns A `bool` array.
 */
export function bernoulli(key: ArrayLike, p: ArrayLike = 0.5, shape?: readonly number[]): A {
  let pa = np.asarray(p);
  if (!isFloat(pa.dtype)) pa = np.astype(pa, "float64");
  const s = shape === undefined ? [...pa.shape] : shapeOf("bernoulli", shape);
  checkBroadcastTo("bernoulli", s, pa);
  return np.less(uniform(key, s, { dtype: pa.dtype }), pa);
}

/** Standard Gumbel samples `-log(-log u)`, `u` uniform on [tiny, 1). */
function gumbel(key: A, shape: Shape, dtype: DType): A {
  const tiny = dtype === "float32" ? 1.1754943508222875e-38 : 2.2250738585072014e-308;
  const u = uniform(key, shape, { dtype, minval: tiny, maxval: 1 });
  return np.negative(np.log(np.negative(np.log(u))));
}

/** Options of {@linkcode categorical}. */
export interface CategoricalOptions {
  /** The class axis of `logits` (default -1). */
  axis?: number;
  /**
   * Sample shape; it must end with the batch shape of `logits` (its shape
   * without `axis`), leading axes draw independent samples. Default: the
   * batch shape.
   */
  shape?: readonly number[];
}

/**
 * Samples class indices from `softmax(logits, axis)` with the Gumbel-max
 * trick, as `jax.random.categorical`.
 *
 * @example The most likely class wins most draws
 * ```ts
 * import { np, random } from "@nabla/ad";
 * import { ok } from "node:assert/strict";
 *
 * const logits = np.log(np.array([0.1, 0.2, 0.7]));
 * const draws = random.categorical(random.key(0), logits, { shape: [1000] });
 * ok((np.mean(np.equal(draws, 2)).item() as number) > 0.6);
 * ```
 *
 * @param key A key (shape `[2]`).
 * @param logits Unnormalised log-probabilities.
 * @param options `axis` and `shape`.
 * @returns `int32` class indices.
 */
export function categorical(
  key: ArrayLike,
  logits: ArrayLike,
  options: CategoricalOptions = {},
): A {
  checkOptions("categorical", options, ["axis", "shape"]);
  const k = checkKey("categorical", key);
  let l = np.asarray(logits);
  if (!isFloat(l.dtype)) l = np.astype(l, "float64");
  if (l.ndim === 0) throw new TypeError("categorical needs logits with at least one axis");
  const ax0 = options.axis ?? -1;
  if (!Number.isInteger(ax0) || ax0 < -l.ndim || ax0 >= l.ndim) {
    throw new RangeError(`Invalid axis ${ax0} for logits of shape ${showShape(l.shape)}`);
  }
  const axis = ax0 < 0 ? ax0 + l.ndim : ax0;
  const batch = l.shape.filter((_, i) => i !== axis);
  const shape = options.shape === undefined ? batch : shapeOf("categorical", options.shape);
  if (!shapesEqual(broadcastShapes(shape, batch), shape)) {
    throw new ShapeError(
      `categorical: the batch shape ${
        showShape(batch)
      } of the logits does not broadcast to the sample shape ${showShape(shape)}`,
      { op: "categorical", shapes: [batch, shape] },
    );
  }
  const prefix = shape.slice(0, shape.length - batch.length);
  const gshape = shape.slice(shape.length - batch.length);
  gshape.splice(axis, 0, l.shape[axis]);
  const g = gumbel(k, [...prefix, ...gshape], l.dtype);
  const expanded = np.reshape(l, [...prefix.map(() => 1), ...l.shape]);
  return np.argmax(np.add(g, expanded), axis - l.ndim);
}

/** JAX's `(a · b) mod 2³²` for unsigned 32-bit values held exactly in float64. */
function mulMod32(a: A, b: A): A {
  const aHi = np.floor(np.divide(a, 65536)), aLo = np.mod(a, 65536);
  const bHi = np.floor(np.divide(b, 65536)), bLo = np.mod(b, 65536);
  const cross = np.mod(np.add(np.multiply(aHi, bLo), np.multiply(aLo, bHi)), 65536);
  return np.mod(np.add(np.multiply(cross, 65536), np.multiply(aLo, bLo)), TWO32);
}

/** `x mod span`, with `x mod 0 = x` (unsigned integer semantics of XLA). */
function remU(x: A, span: A): A {
  const zero = np.equal(span, 0);
  return np.where(zero, x, np.mod(x, np.where(zero, 1, span)));
}

/** Options of {@linkcode randint}. */
export interface RandintOptions {
  /** Integer dtype (only `int32`, the default). */
  dtype?: DType;
}

/**
 * Uniform random integers in `[minval, maxval)`, as `jax.random.randint`
 * (two 32-bit words per value, reduced modulo the span; `minval` is
 * returned where `maxval <= minval`).
 *
 * @example Dice rolls
 * ```ts
 * import { np, random } from "@nabla/ad";
 * import { ok } from "node:assert/strict";
 *
 * const d = random.randint(random.key(0), [600], 1, 7);
 * ok(np.all(np.logicalAnd(np.greaterEqual(d, 1), np.less(d, 7))).item());
 * ```
 *
 * @param key A key (shape `[2]`).
 * @param shape Sample shape.
 * @param minval Lowest value, inclusive (broadcasts against the shape).
 * @param maxval Highest value, exclusive (broadcasts against the shape).
 * @param options `dtype`: any integer dtype (default `int32`), bounds clipped to its range;
 *   JAX's values for each.
 * @returns An array of `shape` and `dtype`.
 */
export function randint(
  key: ArrayLike,
  shape: readonly number[],
  minval: ArrayLike,
  maxval: ArrayLike,
  options: RandintOptions = {},
): A {
  checkOptions("randint", options, ["dtype"]);
  const k = checkKey("randint", key);
  const s = shapeOf("randint", shape);
  const dtype = checkDType(options.dtype ?? "int32");
  if (!isInteger(dtype)) throw new TypeError(`randint needs an integer dtype: got ${dtype}`);
  // Bounds as exact integers in float64, truncated (as .astype(int)) and clipped to the dtype.
  const { min: INT_MIN, max: INT_MAX } = np.iinfo(dtype);
  const trunc = (v: A) => {
    const f = np.astype(v, "float64");
    return np.multiply(np.sign(f), np.floor(np.abs(f)));
  };
  const lo0 = trunc(np.asarray(minval)), hi0 = trunc(np.asarray(maxval));
  checkBroadcastTo("randint", s, lo0, hi0);
  const outOfRange = np.greater(hi0, INT_MAX);
  const lo = np.clip(lo0, INT_MIN, INT_MAX), hi = np.clip(hi0, INT_MIN, INT_MAX);
  const keys = split(k);
  const higher = bits32(keys.get(0), s), lower = bits32(keys.get(1), s);
  let span = np.where(np.lessEqual(hi, lo), 1, np.subtract(hi, lo));
  span = np.where(
    np.logicalAnd(outOfRange, np.greater(hi, lo)),
    np.mod(np.add(span, 1), TWO32),
    span,
  );
  let multiplier = remU(np.fullLike(span, 65536), span);
  multiplier = remU(mulMod32(multiplier, multiplier), span);
  const offset = remU(
    np.mod(np.add(mulMod32(remU(higher, span), multiplier), remU(lower, span)), TWO32),
    span,
  );
  const out = np.astype(np.add(lo, offset), dtype);
  return shapesEqual(out.shape, s) ? out : np.broadcastTo(out, s);
}

/** JAX's shuffle of `0..n-1`: rounds of stable sorts by fresh 32-bit keys. */
function shuffledIndices(key: A, n: number): A {
  const rounds = Math.ceil(3 * Math.log(Math.max(1, n)) / Math.log(TWO32 - 1));
  let idx = np.arange(n, { dtype: "int32" });
  let k = key;
  for (let r = 0; r < rounds; r++) {
    const keys = split(k);
    k = keys.get(0);
    const sortKeys = bits32(keys.get(1), [n]);
    idx = np.take(idx, bind(argsortP, [sortKeys], { unsigned: false }), 0);
  }
  return idx;
}

/** Options of {@linkcode permutation}. */
export interface PermutationOptions {
  /** Axis of an array argument that is shuffled (default 0). */
  axis?: number;
}

/**
 * A random permutation of `0..n-1` (for a number `n`), or of an array's
 * slices along `axis`, as `jax.random.permutation`.
 *
 * @example Shuffling a range
 * ```ts
 * import { np, random } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * const p = random.permutation(random.key(0), 10).tolist() as number[];
 * deepEqual([...p].sort((a, b) => a - b), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
 * ```
 *
 * @param key A key (shape `[2]`).
 * @param x A non-negative integer `n`, or an array.
 * @param options `axis`.
 * @returns The shuffled range (`int32`) or array.
 */
export function permutation(
  key: ArrayLike,
  x: number | ArrayLike,
  options: PermutationOptions = {},
): A {
  checkOptions("permutation", options, ["axis"]);
  const k = checkKey("permutation", key);
  if (typeof x === "number") {
    if (!Number.isInteger(x) || x < 0) {
      throw new RangeError(`Invalid permutation size ${x}: expected a non-negative integer`);
    }
    return shuffledIndices(k, x);
  }
  const a = np.asarray(x);
  if (a.ndim === 0) {
    throw new TypeError("permutation needs a number or an array with at least one axis");
  }
  const ax0 = options.axis ?? 0;
  if (!Number.isInteger(ax0) || ax0 < -a.ndim || ax0 >= a.ndim) {
    throw new RangeError(`Invalid axis ${ax0} for an array of shape ${showShape(a.shape)}`);
  }
  const axis = ax0 < 0 ? ax0 + a.ndim : ax0;
  return np.take(a, shuffledIndices(k, a.shape[axis]), axis);
}

/** Options of {@linkcode choice}. */
export interface ChoiceOptions {
  /** Sample shape (default `[]`). */
  shape?: readonly number[];
  /** Sample with replacement (default `true`). */
  replace?: boolean;
  /** Probabilities of the candidates (default uniform). */
  p?: ArrayLike;
  /** Axis of an array `a` that candidates are taken along (default 0). */
  axis?: number;
}

/**
 * Random draws from `0..a-1` (for a number `a`) or from the slices of an
 * array along `axis`, with or without replacement and with optional
 * probabilities, as `jax.random.choice`.
 *
 * @example Without replacement
 * ```ts
 * import { random } from "@nabla/ad";
 * import { equal } from "node:assert/strict";
 *
 * const picks = random.choice(random.key(0), 10, { shape: [5], replace: false }).tolist() as number[];
 * equal(new Set(picks).size, 5);
 * ```
 *
 * @param key A key (shape `[2]`).
 * @param a A positive integer, or an array of candidates.
 * @param options `shape`, `replace`, `p`, `axis`.
 * @returns The draws: `int32` indices for a number `a`, else slices of `a`.
 */
export function choice(key: ArrayLike, a: number | ArrayLike, options: ChoiceOptions = {}): A {
  checkOptions("choice", options, ["axis", "p", "replace", "shape"]);
  const k = checkKey("choice", key);
  const shape = shapeOf("choice", options.shape ?? []);
  const replace = options.replace ?? true;
  const arr = typeof a === "number" ? null : np.asarray(a);
  let axis = 0;
  let n: number;
  if (arr === null || arr.ndim === 0) {
    n = arr === null ? (a as number) : (arr.item() as number);
    if (!Number.isInteger(n)) throw new TypeError(`choice needs an integer population: got ${n}`);
  } else {
    const ax0 = options.axis ?? 0;
    if (!Number.isInteger(ax0) || ax0 < -arr.ndim || ax0 >= arr.ndim) {
      throw new RangeError(`Invalid axis ${ax0} for an array of shape ${showShape(arr.shape)}`);
    }
    axis = ax0 < 0 ? ax0 + arr.ndim : ax0;
    n = arr.shape[axis];
  }
  const scalarPop = arr === null || arr.ndim === 0;
  const draws = prod(shape);
  const outShape = scalarPop
    ? shape
    : [...arr!.shape.slice(0, axis), ...shape, ...arr!.shape.slice(axis + 1)];
  if (draws === 0) return np.zeros(outShape, { dtype: scalarPop ? "int32" : arr!.dtype });
  if (n <= 0) throw new RangeError(`choice needs a non-empty population: got size ${n}`);
  if (!replace && draws > n) {
    throw new RangeError(
      `Cannot take a larger sample (size ${draws}) than the population (size ${n}) without replacement`,
    );
  }
  let ind: A;
  if (options.p === undefined) {
    ind = replace ? randint(k, shape, 0, n) : np.reshape(
      np.take(shuffledIndices(k, n), np.arange(draws, { dtype: "int32" }), 0),
      shape,
    );
  } else {
    let p = np.asarray(options.p);
    if (!isFloat(p.dtype)) p = np.astype(p, "float64");
    if (p.ndim !== 1 || p.shape[0] !== n) {
      throw new TypeError(
        `choice needs p of shape [${n}] (the population size): got shape ${showShape(p.shape)}`,
      );
    }
    if (replace) {
      const cum = np.cumsum(p);
      const total = np.take(cum, [n - 1], 0);
      const r = np.multiply(
        np.reshape(total, []),
        np.subtract(1, uniform(k, shape, { dtype: p.dtype })),
      );
      // searchsorted (left): the number of cumulative sums strictly below r
      const below = np.less(cum, np.expandDims(r, -1));
      ind = np.astype(np.sum(np.astype(below, "int32"), -1), "int32");
    } else {
      const g = np.add(gumbel(k, [n], p.dtype), np.log(p));
      const order = bind(argsortP, [np.negative(g)], { unsigned: false });
      ind = np.reshape(np.take(order, np.arange(draws, { dtype: "int32" }), 0), shape);
    }
  }
  return scalarPop ? ind : np.take(arr!, ind, axis);
}
