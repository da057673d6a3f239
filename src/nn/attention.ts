/**
 * `nn.dotProductAttention`: scaled dot-product attention as
 * `jax.nn.dot_product_attention` (its XLA implementation), on `[B, T, N, H]`
 * arrays, composed from `np` (so it differentiates and batches).
 *
 * @module
 */

import { type ArrayLike, NdArray } from "../array/array.ts";
import * as np from "../numpy/index.ts";
import { checkOptions } from "../core/options.ts";
import { type A, floating } from "./_args.ts";
import { softmax } from "./activations.ts";

/** Options of {@linkcode dotProductAttention}. */
export interface DotProductAttentionOptions {
  /** Added to the logits: `[B, N, T, S]`, broadcastable (N may be 1), or of lower rank. */
  bias?: ArrayLike;
  /** Boolean mask of the logits (false = masked out), `[B, N, T, S]` broadcastable. */
  mask?: ArrayLike;
  /** Scale of the logits (default `1/√H`). */
  scale?: number;
  /** Causal masking: query t sees keys s ≤ t. */
  isCausal?: boolean;
  /** Valid query lengths per batch element (`[B]` int32); later query rows are zero. */
  querySeqLengths?: ArrayLike;
  /** Valid key/value lengths per batch element (`[B]` int32). */
  keyValueSeqLengths?: ArrayLike;
  /** Local attention window `(left, right)` (a number for both): t - left ≤ s ≤ t + right. */
  localWindowSize?: number | readonly [number, number];
}

function to4d(t: A): A {
  let x = t;
  while (x.ndim < 4) x = np.expandDims(x, 0);
  return x;
}

function shapeError(what: string, want: string, got: readonly number[]): never {
  throw new TypeError(
    `nn.dotProductAttention: ${what} must have shape ${want}: got [${got.join(", ")}]`,
  );
}

/**
 * Scaled dot-product attention: `softmax(Q Kᵀ · scale + bias, masked) V`
 * per batch element and head, as `jax.nn.dot_product_attention`.
 *
 * Shapes follow JAX's BTNH layout: `query [B, T, N, H]`, `key` and `value`
 * `[B, S, K, H]` (or all without the batch axis), with N a multiple of K
 * (grouped-query attention: query head n uses key/value head ⌊n / (N/K)⌋).
 * Masked logits are set to `-0.7 ×` the largest float32, as JAX. JAX always
 * computes the softmax in float32; nabla keeps float64 inputs in float64, so
 * its values are exact where JAX's agree to about 1e-7.
 *
 * @example Causal attention over three positions
 * ```ts
 * import { nn, np } from "@nabla/ad";
 * import { deepEqual, ok } from "node:assert/strict";
 *
 * const q = np.ones([1, 3, 2, 4]);
 * const v = np.arange(24).reshape([1, 3, 2, 4]);
 * const out = nn.dotProductAttention(q, q, v, { isCausal: true });
 * deepEqual(out.shape, [1, 3, 2, 4]);
 * // the first query sees only the first value
 * ok(np.allclose(np.take(out, 0, 1), np.take(v, 0, 1)));
 * ```
 *
 * @param query `[B, T, N, H]` (or `[T, N, H]`).
 * @param key `[B, S, K, H]`.
 * @param value `[B, S, K, H]`.
 * @param biasOrOptions The bias (JAX's positional form), or the options `bias`,
 *   `mask`, `scale`, `isCausal`, `querySeqLengths`, `keyValueSeqLengths`,
 *   `localWindowSize`.
 * @param maskArg The mask, positionally (after a positional bias, which may be null).
 * @param more The other options after positional bias and mask.
 * @returns The attention output, shaped like `query`.
 */
export function dotProductAttention(
  query: ArrayLike,
  key: ArrayLike,
  value: ArrayLike,
  options?: DotProductAttentionOptions,
): A;
export function dotProductAttention(
  query: ArrayLike,
  key: ArrayLike,
  value: ArrayLike,
  bias: ArrayLike | null | undefined,
  mask?: ArrayLike | null,
  options?: DotProductAttentionOptions,
): A;
export function dotProductAttention(
  query: ArrayLike,
  key: ArrayLike,
  value: ArrayLike,
  biasOrOptions?: ArrayLike | null | DotProductAttentionOptions,
  maskArg?: ArrayLike | null,
  more: DotProductAttentionOptions = {},
): A {
  // JAX's positional bias and mask, or the options object
  const isOptions = typeof biasOrOptions === "object" && biasOrOptions !== null &&
    !(biasOrOptions instanceof NdArray) && !Array.isArray(biasOrOptions);
  const options: DotProductAttentionOptions = isOptions
    ? biasOrOptions as DotProductAttentionOptions
    : {
      ...more,
      ...(biasOrOptions === null || biasOrOptions === undefined
        ? {}
        : { bias: biasOrOptions as ArrayLike }),
      ...(maskArg === null || maskArg === undefined ? {} : { mask: maskArg }),
    };
  checkOptions("nn.dotProductAttention", options, [
    "bias",
    "mask",
    "scale",
    "isCausal",
    "querySeqLengths",
    "keyValueSeqLengths",
    "localWindowSize",
  ]);
  const q0 = floating(query);
  const q = to4d(q0);
  const k = to4d(floating(key));
  const v = to4d(floating(value));
  const [B, S, K, H] = k.shape;
  const sameKV = v.shape.length === 4 && v.shape.every((d, i) => d === k.shape[i]);
  if (!sameKV) shapeError("value", `[${B}, ${S}, ${K}, ${H}] (the key's)`, v.shape);
  if (q.shape[0] !== B || q.shape[3] !== H) shapeError("query", `[${B}, T, N, ${H}]`, q.shape);
  const [, T, N] = q.shape;
  if (N % K !== 0) {
    throw new TypeError(
      `nn.dotProductAttention: the number of query heads must be a multiple of the key/value heads: got ${N} and ${K}`,
    );
  }
  const G = N / K;
  const kr = G === 1 ? k : np.repeat(k, G, 2);
  const vr = G === 1 ? v : np.repeat(v, G, 2);
  const scale = options.scale ?? 1 / Math.sqrt(H);
  let logits = np.multiply(np.einsum("BTNH,BSNH->BNTS", q, kr), scale);
  if (options.bias !== undefined) logits = np.add(logits, to4d(np.asarray(options.bias)));
  let mask: A | null = null;
  const and = (m: A) => (mask = mask === null ? m : np.logicalAnd(mask, m));
  if (options.mask !== undefined) {
    const m = np.asarray(options.mask);
    if (m.dtype !== "bool") {
      throw new TypeError(`nn.dotProductAttention: 'mask' must be boolean: got ${m.dtype}`);
    }
    and(to4d(m));
  }
  const qpos = np.expandDims(np.arange(T), -1);
  const kpos = np.expandDims(np.arange(S), 0);
  if (options.isCausal) and(np.lessEqual(kpos, qpos));
  if (options.localWindowSize !== undefined) {
    const w = options.localWindowSize;
    const [left, right] = typeof w === "number" ? [w, w] : w;
    and(
      np.logicalAnd(
        np.lessEqual(qpos, np.add(kpos, left)),
        np.greaterEqual(qpos, np.subtract(kpos, right)),
      ),
    );
  }
  const lengths = (x: ArrayLike | undefined, name: string): A | null => {
    if (x === undefined) return null;
    const a = np.asarray(x);
    if (a.ndim !== 1 || a.shape[0] !== B) shapeError(name, `[${B}]`, a.shape);
    return a.reshape([B, 1, 1, 1]);
  };
  const qLen = lengths(options.querySeqLengths, "querySeqLengths");
  const kvLen = lengths(options.keyValueSeqLengths, "keyValueSeqLengths");
  if (qLen !== null) and(np.less(qpos, qLen));
  if (kvLen !== null) and(np.less(kpos, kvLen));
  if (mask !== null) {
    // -0.7 × the largest float32 (also for float64, so that the float32 softmax sees it finite)
    logits = np.where(mask, logits, -0.7 * 3.4028234663852886e38);
  }
  const probs = softmax(logits, -1);
  let out = np.einsum("BNTS,BSNH->BTNH", probs, vr);
  if (qLen !== null) {
    out = np.multiply(
      out,
      np.astype(np.less(qpos, qLen.reshape([B, 1, 1])).reshape([B, T, 1, 1]), out.dtype),
    );
  }
  return q0.ndim === 4 ? out : out.reshape(q0.shape);
}
