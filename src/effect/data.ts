/**
 * Data pipelines: minibatches of a tree of arrays, reshuffled every epoch from a JAX-style key.
 *
 * @module
 */

import { Cause, Effect, Stream } from "effect";
import type { NdArray } from "../array/array.ts";
import { arange, asarray } from "../numpy/creation.ts";
import { take } from "../numpy/indexing.ts";
import { foldIn } from "../random/keys.ts";
import { permutation } from "../random/distributions.ts";
import * as tree from "../tree.ts";

/** One minibatch: the data (a tree like the dataset's), its epoch, and its index in the epoch. */
export interface Batch<T> {
  /** The examples of this batch (each leaf's first axis has the batch's size). */
  readonly data: T;
  /** The epoch, from 0. */
  readonly epoch: number;
  /** The batch's index within its epoch, from 0. */
  readonly index: number;
}

/** Options of {@linkcode batches}. */
export interface BatchesOptions {
  /** Examples per batch (a positive integer). */
  readonly batchSize: number;
  /** Shuffle epoch `e` with `random.permutation(random.foldIn(key, e), n)`; absent: in order. */
  readonly key?: NdArray;
  /** Drop the last, smaller batch of each epoch (default `false`). */
  readonly dropLast?: boolean;
  /** How many epochs (default: forever; bound the stream with `Stream.take` or this). */
  readonly epochs?: number;
}

/**
 * Minibatches of a tree of arrays whose first axis indexes the examples: each epoch visits every
 * example once, in an order drawn from `random.foldIn(key, epoch)` (the same key, the same
 * batches), or in order without a key. Batches are gathered lazily, one per pull.
 *
 * @example Two epochs of shuffled batches
 * ```ts
 * import { Effect, Stream } from "effect";
 * import { np, random } from "@nabla/ad";
 * import { Data } from "@nabla/ad/effect";
 * import { deepEqual } from "node:assert/strict";
 *
 * const data = { x: np.arange(10).reshape([5, 2]), y: np.arange(5) };
 * const out = await Effect.runPromise(Stream.runCollect(
 *   Data.batches(data, { batchSize: 2, key: random.key(0), epochs: 2 }),
 * ));
 * deepEqual(out.map((b) => [b.epoch, b.index, b.data.y.size]), [
 *   [0, 0, 2], [0, 1, 2], [0, 2, 1], [1, 0, 2], [1, 1, 2], [1, 2, 1],
 * ]);
 * const epoch0 = out.slice(0, 3).flatMap((b) => b.data.y.tolist() as number[]);
 * deepEqual([...epoch0].sort(), [0, 1, 2, 3, 4]);
 * ```
 *
 * @param data A tree of arrays with the same first extent.
 * @param o The batch size, the key, whether to drop the last batch, the number of epochs.
 * @returns The stream of batches.
 */
export function batches<T>(data: T, o: BatchesOptions): Stream.Stream<Batch<T>> {
  const { batchSize, key, dropLast = false, epochs = Infinity } = o;
  if (!(Number.isInteger(batchSize) && batchSize >= 1)) {
    throw new RangeError(`Data.batches: batchSize must be a positive integer: got ${batchSize}`);
  }
  if (!(epochs === Infinity || (Number.isInteger(epochs) && epochs >= 0))) {
    throw new RangeError(`Data.batches: epochs must be a non-negative integer: got ${epochs}`);
  }
  const [leaves, def] = tree.flatten(data);
  const arrays = leaves.map((l) => asarray(l as NdArray));
  if (arrays.length === 0) throw new TypeError("Data.batches: the data tree has no arrays");
  const bad = arrays.find((a) => a.ndim === 0 || a.shape[0] !== arrays[0].shape[0]);
  if (bad !== undefined) {
    throw new TypeError(
      `Data.batches: every leaf needs the same first extent (the examples): got shapes ${
        arrays.map((a) => `[${a.shape.join(",")}]`).join(", ")
      }`,
    );
  }
  const n = arrays[0].shape[0];
  const perEpoch = dropLast ? Math.floor(n / batchSize) : Math.ceil(n / batchSize);
  if (perEpoch === 0) return Stream.empty;
  return Stream.fromPull(Effect.sync(() => {
    let epoch = 0;
    let index = 0;
    let order: NdArray | undefined;
    return Effect.suspend(() => {
      if (epoch >= epochs) return Cause.done();
      if (order === undefined) {
        order = key === undefined
          ? arange(0, n, { dtype: "int32" })
          : permutation(foldIn(key, epoch), n);
      }
      const start = index * batchSize;
      const idx = order.get(`${start}:${Math.min(n, start + batchSize)}`);
      const batch: Batch<T> = {
        data: tree.unflatten<T>(def, arrays.map((a) => take(a, idx, 0))),
        epoch,
        index,
      };
      if (++index === perEpoch) {
        index = 0;
        epoch++;
        order = undefined;
      }
      return Effect.succeed([batch] as const);
    });
  }));
}
