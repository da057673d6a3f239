/**
 * Sorting primitives: `argsort`, a stable ascending sort order along the
 * last axis (NaN last). Integer-valued, so its tangent is zero; `np.sort`
 * and friends gather with it, which is what makes them differentiable.
 *
 * @module
 */

import { NdArray } from "../array/array.ts";
import { allocate } from "../array/dtype.ts";
import { argsortKernel } from "../array/kernels/sort.ts";
import { bind } from "../core/handler.ts";
import { type BatchDim, type Primitive, Zero } from "../core/primitive.ts";
import { moveAxis } from "./rules.ts";
import { storageOf } from "../array/array.ts";

/** Parameters of `argsort`. */
export interface ArgsortParams {
  /** Compare `int32` keys as unsigned 32-bit words. */
  readonly unsigned: boolean;
}

/**
 * The stable ascending sort order along the last axis, as `int32` indices
 * (NaN sorts last).
 */
export const argsortP: Primitive<ArgsortParams> = {
  name: "argsort",
  impl([x], { unsigned }) {
    if (x.ndim === 0) throw new TypeError("Primitive 'argsort' needs an operand of rank >= 1");
    const m = x.shape[x.ndim - 1];
    const rows = m === 0 ? 0 : x.size / m;
    const out = allocate("int32", x.size) as Int32Array;
    argsortKernel(storageOf(x), rows, m, unsigned && x.dtype === "int32", out);
    return new NdArray(out, x.shape, "int32");
  },
  abstractEval([x]) {
    if (x.shape.length === 0) {
      throw new TypeError("Primitive 'argsort' needs an operand of rank >= 1");
    }
    return { shape: x.shape, dtype: "int32" };
  },
  jvp([x], _tangents, params) {
    const y = bind(argsortP, [x], params);
    return [y, new Zero(y.shape, "int32")];
  },
  vmap([x], [d], params): [NdArray, BatchDim] {
    return [bind(argsortP, [moveAxis(x, d!, 0)], params), 0];
  },
};
