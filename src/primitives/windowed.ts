/**
 * Windowed reductions (XLA's ReduceWindow with the add, max and min monoids)
 * and the two linear maps of max/min pooling's derivative, with JAX's rules:
 *
 * - `reduce_window_sum` is linear; its transpose spreads each cotangent over
 *   its window: a `reduce_window_sum` of the cotangent dilated by the strides
 *   and padded as for a convolution's input gradient.
 * - `reduce_window_max`/`_min` have the JVP `select_and_gather_add(t, x)`:
 *   each window's tangent is the tangent at the element the window selects
 *   (the first maximum or minimum).
 * - `select_and_gather_add(t, x)` is linear in `t`; its transpose is
 *   `select_and_scatter_add(ct, x)`, which adds each window's cotangent to the
 *   element it selects, and vice versa. Both carry the full window geometry
 *   (base and window dilation too), so each is exactly the other's transpose.
 *
 * Windows cover every axis of the operand; batching prepends a trivial window
 * axis for the mapped one.
 *
 * @module
 */

import { NdArray, storageOf } from "../array/array.ts";
import { allocate } from "../array/dtype.ts";
import { type Shape, showShape, sizeOf } from "../array/shape.ts";
import {
  reduceWindowKernel,
  selectAndGatherKernel,
  selectAndScatterKernel,
  type WindowGeometry,
  type WindowReduceOp,
} from "../array/kernels/conv.ts";
import { bind } from "../core/handler.ts";
import { type Aval, type LinearPrimitive, type Primitive, Zero } from "../core/primitive.ts";
import { dilateDim, strideDim, vjpLhsPadding } from "./conv.ts";
import { batchToFront } from "./rules.ts";

/** Parameters of the windowed primitives (resolved: explicit padding). */
export interface WindowParams {
  /** Window extent along each axis of the operand. */
  readonly windowDimensions: readonly number[];
  /** Window stride along each axis. */
  readonly windowStrides: readonly number[];
  /** `[lo, hi]` padding of each axis (may be negative). */
  readonly padding: readonly (readonly [number, number])[];
  /** Dilation of the operand. */
  readonly baseDilation: readonly number[];
  /** Dilation of the window. */
  readonly windowDilation: readonly number[];
}

/** Parameters of `select_and_gather_add` and `select_and_scatter_add`. */
export interface SelectParams extends WindowParams {
  /** Which element each window selects. */
  readonly select: "max" | "min";
}

function windowShape(name: string, x: Shape, p: WindowParams): number[] {
  const r = x.length;
  for (
    const [what, v] of [
      ["windowDimensions", p.windowDimensions],
      ["windowStrides", p.windowStrides],
      ["padding", p.padding],
      ["baseDilation", p.baseDilation],
      ["windowDilation", p.windowDilation],
    ] as const
  ) {
    if (v.length !== r) {
      throw new TypeError(
        `${name}: ${what} must have one entry per axis of the operand (shape ${
          showShape(x)
        }): got ${v.length}`,
      );
    }
  }
  for (
    const [what, v] of [
      ["windowDimensions", p.windowDimensions],
      ["windowStrides", p.windowStrides],
      ["baseDilation", p.baseDilation],
      ["windowDilation", p.windowDilation],
    ] as const
  ) {
    if (v.some((d) => !Number.isInteger(d) || d < 1)) {
      throw new TypeError(`${name}: ${what} must be positive integers: got [${v}]`);
    }
  }
  return x.map((n, i) => {
    const padded = dilateDim(n, p.baseDilation[i]) + p.padding[i][0] + p.padding[i][1];
    if (padded < 0) {
      throw new TypeError(
        `${name}: padding [${p.padding[i]}] of axis ${i} is more negative than the axis is long`,
      );
    }
    const w = dilateDim(p.windowDimensions[i], p.windowDilation[i]);
    return strideDim(padded, w, p.windowStrides[i]);
  });
}

function geometry(x: Shape, out: Shape, p: WindowParams): WindowGeometry {
  return {
    inShape: x,
    outShape: out,
    window: p.windowDimensions,
    strides: p.windowStrides,
    padLo: p.padding.map(([lo]) => lo),
    baseDilation: p.baseDilation,
    windowDilation: p.windowDilation,
  };
}

function windowAval(name: string, x: Aval, p: WindowParams): Aval {
  if (x.dtype === "bool") throw new TypeError(`${name}: the operand must be numbers: got bool`);
  return { shape: windowShape(name, x.shape, p), dtype: x.dtype };
}

/** The parameters with a trivial window axis inserted at `d` (a batch axis). */
function withAxis<P extends WindowParams>(p: P, d: number): P {
  const ins = <T>(xs: readonly T[], v: T) => [...xs.slice(0, d), v, ...xs.slice(d)];
  return {
    ...p,
    windowDimensions: ins(p.windowDimensions, 1),
    windowStrides: ins(p.windowStrides, 1),
    padding: ins(p.padding, [0, 0] as const),
    baseDilation: ins(p.baseDilation, 1),
    windowDilation: ins(p.windowDilation, 1),
  };
}

function reduceImpl(op: WindowReduceOp, name: string, x: NdArray, p: WindowParams): NdArray {
  const { shape, dtype } = windowAval(name, x, p);
  const out = allocate(dtype, sizeOf(shape));
  reduceWindowKernel(op, storageOf(x), out, geometry(x.shape, shape, p));
  return new NdArray(out, shape, dtype);
}

/** Sums over windows; linear. */
export const reduceWindowSumP: LinearPrimitive<WindowParams> = {
  name: "reduce_window_sum",
  impl: ([x], p) => reduceImpl("sum", "reduce_window_sum", x, p),
  abstractEval: ([x], p) => windowAval("reduce_window_sum", x, p),
  jvp([x], [t], p) {
    const y = reduceWindowSum(x, p);
    return [y, t instanceof Zero ? new Zero(y.shape, y.dtype) : reduceWindowSum(t, p)];
  },
  vmap: ([x], [d], p) => [reduceWindowSum(x, withAxis(p, d!)), d],
  // Each input element receives the cotangents of the windows that cover it: a window sum
  // of the stride-dilated, padded cotangent, strided by the base dilation.
  transpose(ct, [x], p) {
    const pads = vjpLhsPadding(
      x.shape,
      p.windowDimensions,
      p.windowStrides,
      ct.shape,
      p.padding,
      p.baseDilation,
      p.windowDilation,
    );
    return [reduceWindowSum(ct, {
      windowDimensions: p.windowDimensions,
      windowStrides: p.baseDilation,
      padding: pads,
      baseDilation: p.windowStrides,
      windowDilation: p.windowDilation,
    })];
  },
};

function chooser(op: "max" | "min"): Primitive<WindowParams> {
  const name = `reduce_window_${op}`;
  const prim: Primitive<WindowParams> = {
    name,
    impl: ([x], p) => reduceImpl(op, name, x, p),
    abstractEval: ([x], p) => windowAval(name, x, p),
    // d max_window(x) = t at each window's (first) maximum
    jvp([x], [t], p) {
      const y = bind(prim, [x], p);
      if (t instanceof Zero) return [y, new Zero(y.shape, y.dtype)];
      return [y, selectAndGatherAdd(t, x, { ...p, select: op })];
    },
    vmap: ([x], [d], p) => [bind(prim, [x], withAxis(p, d!)), d],
  };
  return prim;
}

/** Maximum over windows. */
export const reduceWindowMaxP: Primitive<WindowParams> = chooser("max");
/** Minimum over windows. */
export const reduceWindowMinP: Primitive<WindowParams> = chooser("min");

function selectBatch(
  f: (t: NdArray, x: NdArray, p: SelectParams) => NdArray,
): LinearPrimitive<SelectParams>["vmap"] {
  return ([t, x], [dt, dx], p) => {
    const n = dt !== null ? t.shape[dt] : x.shape[dx!];
    return [f(batchToFront(t, dt, n), batchToFront(x, dx, n), withAxis(p, 0)), 0];
  };
}

/** `t` at the element each window of `x` selects; linear in `t` (JAX's `select_and_gather_add`). */
export const selectAndGatherAddP: LinearPrimitive<SelectParams> = {
  name: "select_and_gather_add",
  impl([t, x], p) {
    const { shape, dtype } = selectGatherAval(t, x, p);
    const out = allocate(dtype, sizeOf(shape));
    selectAndGatherKernel(p.select, storageOf(t), storageOf(x), out, geometry(x.shape, shape, p));
    return new NdArray(out, shape, dtype);
  },
  abstractEval: ([t, x], p) => selectGatherAval(t, x, p),
  // Piecewise linear in t; the selection does not move under an infinitesimal change of x.
  jvp([t, x], [tt], p) {
    const y = selectAndGatherAdd(t, x, p);
    return [y, tt instanceof Zero ? new Zero(y.shape, y.dtype) : selectAndGatherAdd(tt, x, p)];
  },
  vmap: selectBatch(selectAndGatherAdd),
  transpose: (ct, [_t, x], p) => [selectAndScatterAdd(ct, x as NdArray, p), null],
};

function selectGatherAval(t: Aval, x: Aval, p: SelectParams): Aval {
  checkPair("select_and_gather_add", t, x.shape, x);
  return windowAval("select_and_gather_add", x, p);
}

function checkPair(name: string, t: Aval, shape: Shape, x: Aval): void {
  if (t.dtype !== x.dtype) {
    throw new TypeError(`${name}: operands must have one dtype: got ${t.dtype} and ${x.dtype}`);
  }
  if (t.shape.length !== shape.length || t.shape.some((n, i) => n !== shape[i])) {
    throw new TypeError(
      `${name}: the linear operand must have shape ${showShape(shape)}: got ${showShape(t.shape)}`,
    );
  }
}

/** Adds each window's `s` to the element of `x` it selects; linear in `s` (JAX's `select_and_scatter_add`). */
export const selectAndScatterAddP: LinearPrimitive<SelectParams> = {
  name: "select_and_scatter_add",
  impl([s, x], p) {
    selectScatterAval(s, x, p);
    const out = allocate(x.dtype, x.size);
    const shape = windowShape("select_and_scatter_add", x.shape, p);
    selectAndScatterKernel(p.select, storageOf(s), storageOf(x), out, geometry(x.shape, shape, p));
    return new NdArray(out, x.shape, x.dtype);
  },
  abstractEval: ([s, x], p) => selectScatterAval(s, x, p),
  jvp([s, x], [ts], p) {
    const y = selectAndScatterAdd(s, x, p);
    return [y, ts instanceof Zero ? new Zero(y.shape, y.dtype) : selectAndScatterAdd(ts, x, p)];
  },
  vmap: selectBatch(selectAndScatterAdd),
  transpose: (ct, [_s, x], p) => [selectAndGatherAdd(ct, x as NdArray, p), null],
};

function selectScatterAval(s: Aval, x: Aval, p: SelectParams): Aval {
  checkPair("select_and_scatter_add", s, windowShape("select_and_scatter_add", x.shape, p), x);
  return { shape: x.shape, dtype: x.dtype };
}

/** Performs `reduce_window_sum`. */
export function reduceWindowSum(x: NdArray, p: WindowParams): NdArray {
  return bind(reduceWindowSumP, [x], p);
}
/** Performs `reduce_window_max`. */
export function reduceWindowMax(x: NdArray, p: WindowParams): NdArray {
  return bind(reduceWindowMaxP, [x], p);
}
/** Performs `reduce_window_min`. */
export function reduceWindowMin(x: NdArray, p: WindowParams): NdArray {
  return bind(reduceWindowMinP, [x], p);
}
/** Performs `select_and_gather_add`. */
export function selectAndGatherAdd(t: NdArray, x: NdArray, p: SelectParams): NdArray {
  return bind(selectAndGatherAddP, [t, x], p);
}
/** Performs `select_and_scatter_add`. */
export function selectAndScatterAdd(s: NdArray, x: NdArray, p: SelectParams): NdArray {
  return bind(selectAndScatterAddP, [s, x], p);
}
