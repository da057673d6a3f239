/**
 * The Threefry-2x32 block cipher (20 rounds, Salmon et al. 2011, as JAX's
 * `threefry2x32_p`), over buffers of key and counter pairs with NumPy
 * broadcasting of their leading axes. Unsigned 32-bit words are stored as
 * `int32` (the same bits).
 *
 * @module
 */

import { type Shape, sizeOf, stridesOf } from "../shape.ts";

/** Rotation constants of Threefry-2x32, alternating every four rounds. */
const ROTATIONS: readonly (readonly number[])[] = [[13, 15, 26, 6], [17, 29, 16, 24]];

/**
 * One Threefry-2x32 block: encrypts the counter `(x0, x1)` under the key
 * `(k0, k1)` with 20 rounds and writes the two output words to `out[at]`,
 * `out[at + 1]`. All words are 32-bit integers (signed storage, same bits).
 */
export function threefryBlock(
  k0: number,
  k1: number,
  x0: number,
  x1: number,
  out: Int32Array | Uint32Array,
  at: number,
): void {
  const ks = [k0 | 0, k1 | 0, (k0 ^ k1 ^ 0x1bd11bda) | 0];
  let a = (x0 + ks[0]) | 0;
  let b = (x1 + ks[1]) | 0;
  for (let i = 0; i < 5; i++) {
    const rot = ROTATIONS[i % 2];
    for (let r = 0; r < 4; r++) {
      a = (a + b) | 0;
      b = (b << rot[r]) | (b >>> (32 - rot[r]));
      b ^= a;
    }
    // key injection i + 1
    a = (a + ks[(i + 1) % 3]) | 0;
    b = (b + ks[(i + 2) % 3] + i + 1) | 0;
  }
  out[at] = a;
  out[at + 1] = b;
}

/** Strides of `shape` for reading it broadcast to `out` (0 along broadcast axes). */
function broadcastStrides(shape: Shape, out: Shape): number[] {
  const own = stridesOf(shape);
  const lead = out.length - shape.length;
  return out.map((_, i) => (i < lead || shape[i - lead] === 1 ? 0 : own[i - lead]));
}

/**
 * Threefry-2x32 of every counter pair under its key pair: `key` has leading
 * shape `keyBatch`, `count` has `countBatch`, both broadcast to `batch`;
 * `out` receives `2 * size(batch)` words.
 */
export function threefryKernel(
  key: Int32Array | Uint32Array,
  keyBatch: Shape,
  count: Int32Array | Uint32Array,
  countBatch: Shape,
  out: Int32Array | Uint32Array,
  batch: Shape,
): void {
  const n = sizeOf(batch);
  const ks = broadcastStrides(keyBatch, batch);
  const cs = broadcastStrides(countBatch, batch);
  const idx = new globalThis.Array<number>(batch.length).fill(0);
  let ko = 0, co = 0;
  for (let i = 0; i < n; i++) {
    threefryBlock(key[2 * ko], key[2 * ko + 1], count[2 * co], count[2 * co + 1], out, 2 * i);
    // advance the multi-index (row-major) and the two offsets
    for (let ax = batch.length - 1; ax >= 0; ax--) {
      idx[ax]++;
      ko += ks[ax];
      co += cs[ax];
      if (idx[ax] < batch[ax]) break;
      ko -= ks[ax] * batch[ax];
      co -= cs[ax] * batch[ax];
      idx[ax] = 0;
    }
  }
}
