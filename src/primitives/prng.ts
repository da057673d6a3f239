/**
 * The primitive behind the `random` namespace: `threefry2x32`, the
 * Threefry-2x32 block cipher as JAX's `threefry2x32_p`: `(key [..., 2],
 * count [..., 2]) ↦ [..., 2]`, elementwise over the leading axes with NumPy
 * broadcasting. Unsigned 32-bit words are stored as `int32` (the same bits).
 * Integer-valued, so its tangent is zero; it batches as an elementwise
 * primitive over its leading axes.
 *
 * @module
 */

import { NdArray } from "../array/array.ts";
import { broadcastShapes, type Shape, showShape } from "../array/shape.ts";
import { threefryKernel } from "../array/kernels/threefry.ts";
import { bind } from "../core/handler.ts";
import { type Aval, type Primitive, Zero } from "../core/primitive.ts";
import { vmapBroadcasting } from "./rules.ts";
import { storageOf } from "../array/array.ts";

function checkPairs(name: string, args: readonly Aval[]): Shape {
  for (const a of args) {
    if (a.dtype !== "int32") {
      throw new TypeError(`Primitive '${name}' needs int32 operands: got ${a.dtype}`);
    }
    if (a.shape.length === 0 || a.shape[a.shape.length - 1] !== 2) {
      throw new TypeError(
        `Primitive '${name}' needs operands whose last axis has size 2: got shape ${
          showShape(a.shape)
        }`,
      );
    }
  }
  return [...broadcastShapes(args[0].shape.slice(0, -1), args[1].shape.slice(0, -1)), 2];
}

/** Threefry-2x32 of counters under keys: `(key [..., 2], count [..., 2]) ↦ [..., 2]`. */
export const threefry2x32P: Primitive<undefined> = {
  name: "threefry2x32",
  impl([key, count]) {
    const shape = checkPairs("threefry2x32", [key, count]);
    const batch = shape.slice(0, -1);
    const out = new Int32Array(2 * batch.reduce((a, b) => a * b, 1));
    threefryKernel(
      storageOf(key) as Int32Array,
      key.shape.slice(0, -1),
      storageOf(count) as Int32Array,
      count.shape.slice(0, -1),
      out,
      batch,
    );
    return new NdArray(out, shape, "int32");
  },
  abstractEval: (args) => ({ shape: checkPairs("threefry2x32", args), dtype: "int32" }),
  jvp([key, count]) {
    const y = bind(threefry2x32P, [key, count], undefined);
    return [y, new Zero(y.shape, y.dtype)];
  },
  // Batch axes to the front, unit axes inserted so the leading axes broadcast.
  vmap: (args, dims) => vmapBroadcasting(threefry2x32P, args, dims),
};
