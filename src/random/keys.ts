/**
 * Keys and bits for `random`: `key`, `split` and `foldIn` derive keys with
 * the `threefry2x32` primitive; the helpers turn blocks into the unsigned
 * 32-bit words and unit-interval floats the samplers in `distributions.ts`
 * start from, exactly as JAX's default (`jax_threefry_partitionable`)
 * layout does.
 *
 * @module
 */

import * as np from "../numpy/index.ts";
import { Tracer } from "../core/handler.ts";
import { NdArray as NdArrayClass } from "../array/array.ts";
import type { ArrayLike, NdArray } from "../array/array.ts";
import { checkDType, type DType, isFloat, isInteger } from "../array/dtype.ts";
import { checkShape, type Shape, showShape } from "../array/shape.ts";
import { bind } from "../core/handler.ts";
import { andP, orP } from "../primitives/elementwise.ts";
import { threefry2x32P } from "../primitives/prng.ts";
import { storageOf } from "../array/array.ts";
export type A = NdArray;

export const TWO32 = 4294967296;

// ---------------------------------------------------------------------------
// Keys and bits

/**
 * A key argument as an `int32` array of shape `[2]` (the bits of the two
 * `uint32` words the kernels read), or a clear error. Keys of any integer
 * dtype are accepted (`uint32`, as `random.key` makes, or `int32`).
 */
export function checkKey(name: string, key: ArrayLike): A {
  if (key instanceof NdArrayClass && !isInteger(key.dtype)) {
    throw new TypeError(
      `${name} needs an integer key (the two 32-bit words random.key makes): got a ${key.dtype} array; keys are integer data`,
    );
  }
  const k = np.asarray(key);
  if (!isInteger(k.dtype) && !(k instanceof Tracer)) {
    // a JS list: integer data, since JS has no integer literals; anything else is refused
    const bad = globalThis.Array.from(storageOf(k) as Float64Array).find((v) =>
      !Number.isInteger(v)
    );
    if (bad !== undefined) {
      throw new TypeError(
        `${name} needs an integer key (the two 32-bit words random.key makes): got the value ${bad}`,
      );
    }
  }
  if (k.ndim !== 1 || k.shape[0] !== 2) {
    throw new TypeError(
      `${name} needs a single key of shape [2]: got shape ${
        showShape(k.shape)
      } (map over a batch of keys with vmap)`,
    );
  }
  // Integer keys keep their 32 bits (uint32 → int32 wraps); JS lists are taken modulo 2³².
  return k.dtype === "int32" ? k : isInteger(k.dtype) ? np.astype(k, "int32") : wrapToInt32(k);
}

/** Keys as JAX holds them: the words as `uint32` (the same bits as the kernels' `int32`). */
function asKeyData(k: A): A {
  return np.astype(k, "uint32");
}

/** Integers taken modulo 2³² into `int32` storage (the same 32 bits). */
function wrapToInt32(x: A): A {
  const f = np.astype(x, "float64");
  const m = np.subtract(f, np.multiply(np.floor(np.divide(f, TWO32)), TWO32));
  return np.astype(np.where(np.greaterEqual(m, 2 ** 31), np.subtract(m, TWO32), m), "int32");
}

export function checkFloat(name: string, dtype: DType | undefined): DType {
  const d = checkDType(dtype ?? "float64");
  if (!isFloat(d)) throw new TypeError(`${name} needs a floating dtype: got ${d}`);
  return d;
}

export function shapeOf(name: string, shape: ArrayLike | readonly number[] | undefined): number[] {
  if (shape === undefined) return [];
  try {
    return checkShape(shape);
  } catch (e) {
    throw new TypeError(`${name}: ${(e as Error).message}`);
  }
}

export function prod(shape: Shape): number {
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
export function bits32(key: A, shape: Shape): A {
  const [w0, w1] = words(blocks(key, shape));
  return unsigned(xor(w0, w1));
}

/**
 * Uniform floats on [0, 1) with JAX's bit layout (float16 and bfloat16: the
 * top 10 or 7 bits of JAX's 32-bit words, so every value is exact and below
 * 1; JAX draws 16-bit words there, so those values differ from JAX's).
 */
export function unitUniform(key: A, shape: Shape, dtype: DType): A {
  if (dtype === "float16" || dtype === "bfloat16") {
    const nmant = dtype === "float16" ? 10 : 7;
    const m = np.floor(np.divide(bits32(key, shape), 2 ** (32 - nmant)));
    return np.astype(np.divide(m, 2 ** nmant), dtype);
  }
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
 * @returns A `uint32` array of shape `[2]`, as JAX's `PRNGKey`.
 */
export function key(seed: number): A {
  if (!Number.isSafeInteger(seed)) {
    throw new TypeError(`Invalid seed ${seed}: expected a safe integer`);
  }
  const hi = Math.floor(seed / TWO32);
  const lo = seed - hi * TWO32;
  return np.array(new Uint32Array([hi, lo]));
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
 * deepEqual(keys.dtype, "uint32");
 * deepEqual(keys.tolist(), [
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
  return asKeyData(blocks(k, [n]));
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
  return asKeyData(bind(threefry2x32P, [k, count], undefined));
}
