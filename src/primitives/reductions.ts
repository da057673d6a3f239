/**
 * Reductions over axes: sum (linear), max and min (ties share the tangent
 * equally, as JAX), prod (exact at zeros: its JVP multiplies pairwise in a
 * tree, so it is differentiable to any order), argmax/argmin (no derivative)
 * and cumsum (linear; its transpose is the reversed cumsum).
 *
 * Params hold sorted, distinct, non-negative axes; outputs drop the reduced
 * axes (the `np` layer handles `keepdims`).
 *
 * @module
 */

import { NdArray } from "../array/array.ts";
import { allocate, isComplex, isFloat } from "../array/dtype.ts";
import { type Shape, sizeOf } from "../array/shape.ts";
import { cumsumKernel, reduceKernel, type ReduceOp } from "../array/kernels/reduce.ts";
import { bind } from "../core/handler.ts";
import { type Aval, type LinearPrimitive, type Primitive, Zero } from "../core/primitive.ts";
import { add, convert, div, eq, mul } from "./elementwise.ts";
import { broadcastTo, concatenate, reshape, slice, transpose } from "./structural.ts";
import { filled } from "../array/create.ts";
import { moveAxis } from "./rules.ts";
import { storageOf } from "../array/array.ts";

/** Parameters of the axis reductions. */
export interface ReduceParams {
  /** Sorted, distinct axes to reduce. */
  readonly axes: readonly number[];
}

function reducedShape(shape: Shape, axes: readonly number[]): number[] {
  return shape.filter((_, i) => !axes.includes(i));
}

/** The shape with reduced axes kept as length 1. */
export function keptShape(shape: Shape, axes: readonly number[]): number[] {
  return shape.map((n, i) => (axes.includes(i) ? 1 : n));
}

function reduceImpl(op: ReduceOp, x: NdArray, axes: readonly number[]): NdArray {
  const shape = reducedShape(x.shape, axes);
  const dtype = op === "argmax" || op === "argmin" ? "int32" : x.dtype;
  const out = allocate(dtype, sizeOf(shape));
  // Complex data (only reduce_sum takes it): parts sum separately over the [...S, 2] view.
  reduceKernel(op, storageOf(x), isComplex(x.dtype) ? [...x.shape, 2] : x.shape, axes, out);
  return new NdArray(out, shape, dtype);
}

/** Batching for reductions: batch axis to the front, reduced axes shifted by one. */
function vmapReduce(prim: Primitive<ReduceParams>) {
  return (
    args: readonly NdArray[],
    dims: readonly (number | null)[],
    p: ReduceParams,
  ): [NdArray, number] => [
    bind(prim, [moveAxis(args[0], dims[0]!, 0)], { axes: p.axes.map((a) => a + 1) }),
    0,
  ];
}

/** Sum over axes; linear. */
export const reduceSumP: LinearPrimitive<ReduceParams> = {
  name: "reduce_sum",
  complex: true,
  impl: ([x], { axes }) => reduceImpl("sum", x, axes),
  abstractEval: ([x], { axes }): Aval => ({ shape: reducedShape(x.shape, axes), dtype: x.dtype }),
  jvp([x], [t], p) {
    const y = reduceSum(x, p.axes);
    return [y, t instanceof Zero ? new Zero(y.shape, y.dtype) : reduceSum(t, p.axes)];
  },
  vmap: (args, dims, p) => vmapReduce(reduceSumP)(args, dims, p),
  transpose: (ct, [x], { axes }) => [broadcastTo(reshape(ct, keptShape(x.shape, axes)), x.shape)],
};

/** `tangent = Σ t·[x = y] / #[x = y]`: ties share the tangent equally. */
function chooserReduce(name: string, op: ReduceOp): Primitive<ReduceParams> {
  const prim: Primitive<ReduceParams> = {
    name,
    impl: ([x], { axes }) => reduceImpl(op, x, axes),
    abstractEval: ([x], { axes }) => ({ shape: reducedShape(x.shape, axes), dtype: x.dtype }),
    jvp([x], [t], { axes }) {
      const y = bind(prim, [x], { axes });
      if (t instanceof Zero || !isFloat(x.dtype)) return [y, new Zero(y.shape, y.dtype)];
      const hit = convert(eq(x, reshape(y, keptShape(x.shape, axes))), x.dtype);
      return [y, div(reduceSum(mul(t, hit), axes), reduceSum(hit, axes))];
    },
    vmap: (args, dims, p) => vmapReduce(prim)(args, dims, p),
  };
  return prim;
}

/** Maximum over axes (NaN propagates). */
export const reduceMaxP: Primitive<ReduceParams> = chooserReduce("reduce_max", "max");
/** Minimum over axes (NaN propagates). */
export const reduceMinP: Primitive<ReduceParams> = chooserReduce("reduce_min", "min");

/** Product over axes. */
export const reduceProdP: Primitive<ReduceParams> = {
  name: "reduce_prod",
  impl: ([x], { axes }) => reduceImpl("prod", x, axes),
  abstractEval: ([x], { axes }) => ({ shape: reducedShape(x.shape, axes), dtype: x.dtype }),
  jvp([x], [t], { axes }) {
    if (t instanceof Zero || !isFloat(x.dtype)) {
      const y = bind(reduceProdP, [x], { axes });
      return [y, new Zero(y.shape, y.dtype)];
    }
    // Move the reduced axes last, flatten them, and multiply halves pairwise:
    // d(ab) = b da + a db at every level, so zeros need no division.
    const keep = x.shape.map((_, i) => i).filter((i) => !axes.includes(i));
    const perm = [...keep, ...axes];
    const outShape = keep.map((i) => x.shape[i]);
    const n = axes.reduce((s, a) => s * x.shape[a], 1);
    let p = reshape(transpose(x, perm), [...outShape, n]);
    let tp = reshape(transpose(t, perm), [...outShape, n]);
    let len = n;
    const last = outShape.length;
    const window = (a: NdArray, start: number, stride: number, count: number) =>
      slice(a, {
        starts: a.shape.map((_, i) => (i === last ? start : 0)),
        limits: a.shape.map((d, i) => (i === last ? start + (count - 1) * stride + 1 : d)),
        strides: a.shape.map((_, i) => (i === last ? stride : 1)),
      });
    if (len === 0) {
      const y = filled(outShape, 1, x.dtype);
      return [y, new Zero(outShape, x.dtype)];
    }
    while (len > 1) {
      if (len % 2 === 1) {
        p = concatenate([p, filled([...outShape, 1], 1, x.dtype)], last);
        tp = concatenate([tp, filled([...outShape, 1], 0, x.dtype)], last);
        len++;
      }
      const half = len / 2;
      const a = window(p, 0, 2, half), b = window(p, 1, 2, half);
      const ta = window(tp, 0, 2, half), tb = window(tp, 1, 2, half);
      p = mul(a, b);
      tp = add(mul(ta, b), mul(a, tb));
      len = half;
    }
    return [reshape(p, outShape), reshape(tp, outShape)];
  },
  vmap: (args, dims, p) => vmapReduce(reduceProdP)(args, dims, p),
};

/** Parameters of `argmax`, `argmin` and `cumsum`. */
export interface AxisParams {
  /** The axis. */
  readonly axis: number;
}

function argReduce(name: string, op: ReduceOp): Primitive<AxisParams> {
  const prim: Primitive<AxisParams> = {
    name,
    impl: ([x], { axis }) => reduceImpl(op, x, [axis]),
    abstractEval: ([x], { axis }) => ({ shape: reducedShape(x.shape, [axis]), dtype: "int32" }),
    jvp([x], _t, p) {
      const y = bind(prim, [x], p);
      return [y, new Zero(y.shape, y.dtype)];
    },
    vmap: ([x], [d], { axis }) => [bind(prim, [moveAxis(x, d!, 0)], { axis: axis + 1 }), 0],
  };
  return prim;
}

/** Index of the first maximum along an axis (a NaN counts as the maximum). */
export const argmaxP: Primitive<AxisParams> = argReduce("argmax", "argmax");
/** Index of the first minimum along an axis (a NaN counts as the minimum). */
export const argminP: Primitive<AxisParams> = argReduce("argmin", "argmin");

/** Parameters of `cumsum`. */
export interface CumsumParams extends AxisParams {
  /** Accumulate from the end. */
  readonly reverse: boolean;
}

/** Inclusive cumulative sum along an axis; linear. */
export const cumsumP: LinearPrimitive<CumsumParams> = {
  name: "cumsum",
  impl([x], { axis, reverse }) {
    const out = allocate(x.dtype, x.size);
    cumsumKernel(storageOf(x), x.shape, axis, reverse, out);
    return new NdArray(out, x.shape, x.dtype);
  },
  abstractEval: ([x]) => x,
  jvp([x], [t], p) {
    const y = cumsum(x, p.axis, p.reverse);
    return [y, t instanceof Zero ? t : cumsum(t, p.axis, p.reverse)];
  },
  vmap: ([x], [d], { axis, reverse }) => [cumsum(moveAxis(x, d!, 0), axis + 1, reverse), 0],
  transpose: (ct, _args, { axis, reverse }) => [cumsum(ct, axis, !reverse)],
};

/** Sums `x` over `axes` (no-op for none). */
export function reduceSum(x: NdArray, axes: readonly number[]): NdArray {
  return axes.length === 0 ? x : bind(reduceSumP, [x], { axes });
}
/** Cumulative sum of `x` along `axis`. */
export function cumsum(x: NdArray, axis: number, reverse = false): NdArray {
  return bind(cumsumP, [x], { axis, reverse });
}
