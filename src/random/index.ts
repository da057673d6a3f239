/**
 * `random`: JAX-style functional pseudo-random numbers. There is no global
 * state: every sampler takes a **key** and is a pure function of it; `split`
 * and `foldIn` derive new independent keys.
 *
 * - **Keys are plain arrays**: an `int32` array of shape `[2]` holding the two
 *   unsigned 32-bit words of a Threefry key (same bits; JAX shows them as
 *   `uint32`), exactly JAX's raw `PRNGKey` layout — `random.key(0)` is
 *   `[0, 0]`, `random.key(42)` is `[0, 42]`. A batch of keys is an array of
 *   shape `[n, 2]`; map a sampler over it with `vmap`.
 * - **Generator**: Threefry-2x32 (20 rounds) in counter mode, computed by the
 *   `threefry2x32` primitive in pure 32-bit integer JavaScript, so results
 *   are bit-identical on Deno, Bun and Node. The layout follows JAX's default
 *   (`jax_threefry_partitionable`): element `i` of a sample of any shape uses
 *   the counter `(0, i)`; `split(key, n)[i]` is the block at `(0, i)`;
 *   `foldIn(key, d)` is the block at `(0, d)`.
 * - **Bits to numbers**, as JAX: float64 takes 52 mantissa bits from the two
 *   words of a block, `((w₀ << 20) | (w₁ >>> 12)) / 2⁵²`; float32 takes 23
 *   bits of `w₀ ^ w₁`; normals are `√2 · erfInv(u)` with `u` uniform on
 *   (-1, 1). `uniform`, `normal`, `split`, `foldIn`, `bernoulli`, `randint`,
 *   `categorical`, `permutation` and `choice` reproduce JAX's results for the
 *   same key: floats as JAX with `jax_enable_x64` (float64; normals and
 *   scaled uniforms to within an ulp or two, where XLA fuses a multiply-add
 *   or rounds `erfInv` differently), integers as `randint(..., dtype=int32)`.
 *
 * Everything after the bits is composed from `np`, so samplers work under
 * `vmap` (over keys or parameters) and are differentiable in their
 * parameters (`minval`, `maxval`, ...) where that makes sense.
 *
 * @example Reproducible draws and a batch of keys
 * ```ts
 * import { np, random, vmap } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * const key = random.key(0);
 * const keys = random.split(key, 4);
 * const rows = vmap((k) => random.normal(k, [3]))(keys);
 * deepEqual(rows.get(2).tolist(), random.normal(keys.get(2), [3]).tolist());
 * deepEqual(random.uniform(key, [2]).tolist(), random.uniform(key, [2]).tolist());
 * ```
 *
 * @module
 */

import type { ArrayLike, NdArray } from "../array/array.ts";
import { checkDType, type DType, isFloat } from "../array/dtype.ts";
import { broadcastShapes, checkShape, type Shape, shapesEqual, showShape } from "../array/shape.ts";
import { bind } from "../core/handler.ts";
import { andP, orP } from "../primitives/elementwise.ts";
import { argsortP } from "../primitives/sort.ts";
import { threefry2x32P } from "../primitives/prng.ts";
import * as np from "../numpy/index.ts";
import { stopGradient } from "../lax/index.ts";
import { erf, erfInv } from "../nn/_special.ts";

type A = NdArray;

const TWO32 = 4294967296;

// ---------------------------------------------------------------------------
// Keys and bits

/** A key argument as an `int32` array of shape `[2]`, or a clear error. */
function checkKey(name: string, key: ArrayLike): A {
  const k = np.asarray(key);
  if (k.ndim !== 1 || k.shape[0] !== 2) {
    throw new TypeError(
      `${name} needs a single key of shape [2]: got shape ${
        showShape(k.shape)
      } (map over a batch of keys with vmap)`,
    );
  }
  return k.dtype === "int32" ? k : wrapToInt32(k);
}

/** Integers taken modulo 2³² into `int32` storage (the same 32 bits). */
function wrapToInt32(x: A): A {
  const f = np.astype(x, "float64");
  const m = np.subtract(f, np.multiply(np.floor(np.divide(f, TWO32)), TWO32));
  return np.astype(np.where(np.greaterEqual(m, 2 ** 31), np.subtract(m, TWO32), m), "int32");
}

function checkFloat(name: string, dtype: DType | undefined): DType {
  const d = checkDType(dtype ?? "float64");
  if (!isFloat(d)) throw new TypeError(`${name} needs a floating dtype: got ${d}`);
  return d;
}

function shapeOf(name: string, shape: ArrayLike | readonly number[] | undefined): number[] {
  if (shape === undefined) return [];
  try {
    return checkShape(shape);
  } catch (e) {
    throw new TypeError(`${name}: ${(e as Error).message}`);
  }
}

function prod(shape: Shape): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Counters `(0, i)` for the elements of `shape`, as an `int32` array `[...shape, 2]`. */
function counters(shape: Shape): A {
  const n = prod(shape);
  if (n >= 2 ** 31) {
    throw new RangeError(`Cannot draw ${n} random values at once: at most 2^31 - 1 are supported`);
  }
  const data = new Int32Array(2 * n);
  for (let i = 0; i < n; i++) data[2 * i + 1] = i;
  return np.reshape(np.array(data, { dtype: "int32" }), [...shape, 2]);
}

/** The Threefry blocks `(w₀, w₁)` for the elements of `shape`: `int32 [...shape, 2]`. */
function blocks(key: A, shape: Shape): A {
  return bind(threefry2x32P, [key, counters(shape)], undefined);
}

/** The two words of a block array, each of the leading shape. */
function words(pair: A): [A, A] {
  const [w0, w1] = np.split(pair, 2, -1);
  return [np.squeeze(w0, -1), np.squeeze(w1, -1)];
}

/** Unsigned value of 32-bit words (`int32` storage) as float64 in [0, 2³²). */
function unsigned(w: A): A {
  const f = np.astype(w, "float64");
  return np.where(np.less(f, 0), np.add(f, TWO32), f);
}

/** Bitwise xor of two `int32` arrays: `(a | b) - (a & b)` (no borrow, wrapping). */
function xor(a: A, b: A): A {
  return np.subtract(bind(orP, [a, b], undefined), bind(andP, [a, b], undefined));
}

/** JAX's 32-bit random bits: `w₀ ^ w₁` of each block, as unsigned float64 values. */
function bits32(key: A, shape: Shape): A {
  const [w0, w1] = words(blocks(key, shape));
  return unsigned(xor(w0, w1));
}

/** Uniform floats on [0, 1) with JAX's bit layout. */
function unitUniform(key: A, shape: Shape, dtype: DType): A {
  if (dtype === "float32") {
    const m = np.floor(np.divide(bits32(key, shape), 512)); // top 23 bits
    return np.astype(np.divide(m, 2 ** 23), "float32");
  }
  const [w0, w1] = words(blocks(key, shape));
  // The top 52 bits of the 64-bit word (w₀ << 32 | w₁): exact in float64.
  const m = np.add(np.multiply(unsigned(w0), 2 ** 20), np.floor(np.divide(unsigned(w1), 4096)));
  return np.divide(m, 2 ** 52);
}

/**
 * A PRNG key from an integer seed, as `jax.random.PRNGKey(seed)`: the 64-bit
 * seed split into its high and low 32-bit words (so `key(0)` is `[0, 0]` and
 * `key(42)` is `[0, 42]`; a negative seed is taken in two's complement, as
 * JAX with 64-bit integers enabled).
 *
 * @example JAX's layout
 * ```ts
 * import { random } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(random.key(42).tolist(), [0, 42]);
 * deepEqual(random.key(2 ** 32 + 5).tolist(), [1, 5]);
 * ```
 *
 * @param seed A safe integer.
 * @returns An `int32` array of shape `[2]`.
 */
export function key(seed: number): A {
  if (!Number.isSafeInteger(seed)) {
    throw new TypeError(`Invalid seed ${seed}: expected a safe integer`);
  }
  const hi = Math.floor(seed / TWO32);
  const lo = seed - hi * TWO32;
  return np.array(new Int32Array([hi | 0, lo | 0]));
}

/**
 * Splits a key into `n` new independent keys, as `jax.random.split`.
 *
 * @example Two subkeys (JAX's values for key 0)
 * ```ts
 * import { np, random } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * const keys = random.split(random.key(0));
 * const asUint32 = np.astype(keys, "float64").tolist() as number[][];
 * deepEqual(asUint32.map((k) => k.map((w) => w >>> 0)), [
 *   [1797259609, 2579123966],
 *   [928981903, 3453687069],
 * ]);
 * ```
 *
 * @param key A key (shape `[2]`).
 * @param n Number of keys (default 2).
 * @returns Keys of shape `[n, 2]`; take one with `.get(i)`.
 */
export function split(key: ArrayLike, n = 2): A {
  const k = checkKey("split", key);
  if (!Number.isInteger(n) || n < 0) {
    throw new RangeError(`Invalid number of keys ${n}: expected a non-negative integer`);
  }
  return blocks(k, [n]);
}

/**
 * Folds an integer into a key, giving a new key, as `jax.random.fold_in`
 * (`data` is taken modulo 2³²). Useful for per-step or per-example keys.
 *
 * @example Distinct keys per step
 * ```ts
 * import { random } from "@nabla/ad";
 * import { notDeepEqual } from "node:assert/strict";
 *
 * const k = random.key(0);
 * notDeepEqual(random.foldIn(k, 1).tolist(), random.foldIn(k, 2).tolist());
 * ```
 *
 * @param key A key (shape `[2]`).
 * @param data An integer (a number or an integer scalar array, possibly batched under `vmap`).
 * @returns A key of shape `[2]`.
 */
export function foldIn(key: ArrayLike, data: ArrayLike): A {
  const k = checkKey("foldIn", key);
  let d = np.asarray(data);
  if (d.ndim !== 0) {
    throw new TypeError(
      `foldIn needs a scalar: got an array of shape ${showShape(d.shape)} (use vmap for batching)`,
    );
  }
  if (d.dtype !== "int32") d = wrapToInt32(d);
  const count = np.stack([np.zerosLike(d), d]);
  return bind(threefry2x32P, [k, count], undefined);
}

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
  let s: number[] = [...shape];
  for (const p of params) s = broadcastShapes(s, p.shape);
  if (!shapesEqual(s, shape)) {
    throw new TypeError(
      `${name}: parameters of shapes ${
        params.map((p) => showShape(p.shape)).join(" and ")
      } do not broadcast to the sample shape ${showShape(shape)}`,
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
  return dtype === "float32" ? -(1 - 2 ** -24) : -(1 - 2 ** -53);
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
  const f32 = x.dtype === "float32";
  const half = f32 ? 2 ** -24 : 2 ** -53;
  const tiny = f32 ? 1.401298464324817e-45 : 5e-324;
  const big = f32 ? 3.4028234663852886e38 : Number.MAX_VALUE;
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
    throw new TypeError(
      `categorical: the batch shape ${
        showShape(batch)
      } of the logits does not broadcast to the sample shape ${showShape(shape)}`,
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
 * @param options `dtype`.
 * @returns An `int32` array of `shape`.
 */
export function randint(
  key: ArrayLike,
  shape: readonly number[],
  minval: ArrayLike,
  maxval: ArrayLike,
  options: RandintOptions = {},
): A {
  const k = checkKey("randint", key);
  const s = shapeOf("randint", shape);
  const dtype = checkDType(options.dtype ?? "int32");
  if (dtype !== "int32") throw new TypeError(`randint needs an integer dtype: got ${dtype}`);
  // Bounds as exact integers in float64, truncated (as .astype(int)) and clipped to int32.
  const INT_MAX = 2147483647, INT_MIN = -2147483648;
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
  const out = np.astype(np.add(lo, offset), "int32");
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
