/**
 * The primitive behind the `random` namespace: `threefry2x32`, the
 * Threefry-2x32 block cipher as JAX's `threefry2x32_p`: `(key [..., 2],
 * count [..., 2]) ↦ [..., 2]`, elementwise over the leading axes with NumPy
 * broadcasting. The words are `uint32` (as JAX's keys) or `int32` (the same
 * bits); the output has the key's dtype.
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
    if (a.dtype !== "int32" && a.dtype !== "uint32") {
      throw new TypeError(`Primitive '${name}' needs uint32 or int32 operands: got ${a.dtype}`);
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
    const dtype = key.dtype; // the words' bits, as uint32 (JAX's keys) or int32
    const n = 2 * batch.reduce((a, b) => a * b, 1);
    const out = dtype === "uint32" ? new Uint32Array(n) : new Int32Array(n);
    threefryKernel(
      storageOf(key) as Int32Array | Uint32Array,
      key.shape.slice(0, -1),
      storageOf(count) as Int32Array | Uint32Array,
      count.shape.slice(0, -1),
      out,
      batch,
    );
    return new NdArray(out, shape, dtype);
  },
  abstractEval: (args) => ({ shape: checkPairs("threefry2x32", args), dtype: args[0].dtype }),
  jvp([key, count]) {
    const y = bind(threefry2x32P, [key, count], undefined);
    return [y, new Zero(y.shape, y.dtype)];
  },
  // Batch axes to the front, unit axes inserted so the leading axes broadcast.
  vmap: (args, dims) => vmapBroadcasting(threefry2x32P, args, dims),
};
