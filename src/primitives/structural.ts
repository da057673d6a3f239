/**
 * Structural primitives: they move, copy or select elements without
 * arithmetic — broadcast, reshape, transpose, slice, pad, concatenate, rev,
 * take (gather along an axis) and its transpose scatter_add. All are linear.
 *
 * @module
 */

import { NdArray } from "../array/array.ts";
import { allocate, type DType, isComplex } from "../array/dtype.ts";
import { type Shape, ShapeError, shapesEqual, showShape, sizeOf } from "../array/shape.ts";
import {
  broadcastKernel,
  concatenateKernel,
  padKernel,
  revKernel,
  scatterAddKernel,
  sliceKernel,
  takeKernel,
  transposeKernel,
} from "../array/kernels/structural.ts";
import { bind } from "../core/handler.ts";
import {
  type Aval,
  LinearIn,
  type LinearPrimitive,
  type Tangent,
  Zero,
} from "../core/primitive.ts";
// elementwise.ts is evaluated before rules.ts (its import cycle with rules.ts must start there):
// transpilers that emit helpers as `var`s (tsx/esbuild on Node) fail the other way round
import "./elementwise.ts";
import { batchToFront, moveAxis, unbroadcast } from "./rules.ts";
import { instantiate } from "../core/primitive.ts";
import { storageOf } from "../array/array.ts";
import { checkSize } from "../array/shape.ts";

function make(
  shape: Shape,
  dtype: DType,
  fill: (out: ReturnType<typeof allocate>) => void,
): NdArray {
  const out = allocate(dtype, sizeOf(shape));
  fill(out);
  return new NdArray(out, shape, dtype);
}

// A complex array of shape S has the storage of a real array of shape [...S, 2]
// (dtype.ts): the kernels below move complex elements through that view, the
// trailing axis of parts kept whole.
/** `shape`, with the axis of parts appended for complex data. */
function viewShape(shape: Shape, dtype: DType): Shape {
  return isComplex(dtype) ? [...shape, 2] : shape;
}
/** A per-axis parameter list, extended for the axis of parts of complex data. */
function viewParam(list: readonly number[], dtype: DType, value: number): readonly number[] {
  return isComplex(dtype) ? [...list, value] : list;
}

/** Linear primitives map zero tangents to zero tangents. */
function linearJvp<P>(
  f: (x: NdArray, p: P) => NdArray,
): (primals: readonly NdArray[], tangents: readonly Tangent[], params: P) => [NdArray, Tangent] {
  return ([x], [t], params) => {
    const y = f(x, params);
    return [y, t instanceof Zero ? new Zero(y.shape, y.dtype) : f(t, params)];
  };
}

// ---------------------------------------------------------------------------
// broadcast_to

/** Parameters of `broadcast_to`. */
export interface BroadcastParams {
  /** The target shape (NumPy right-aligned broadcasting). */
  readonly shape: Shape;
}

/** NumPy broadcasting to a shape. */
export const broadcastToP: LinearPrimitive<BroadcastParams> = {
  name: "broadcast_to",
  complex: true,
  impl: ([x], { shape }) => {
    checkBroadcastable(x.shape, shape);
    const [d, sx] = [x.dtype, x.shape];
    return make(
      shape,
      d,
      (out) => broadcastKernel(storageOf(x), viewShape(sx, d), viewShape(shape, d), out),
    );
  },
  abstractEval: ([x], { shape }) => {
    checkBroadcastable(x.shape, shape);
    return { shape, dtype: x.dtype };
  },
  jvp: linearJvp((x, p) => broadcastTo(x, p.shape)),
  vmap([x], [d], { shape }) {
    const xf = moveAxis(x, d!, 0);
    const pad = shape.length - (xf.ndim - 1);
    const aligned = pad > 0 ? reshape(xf, [xf.shape[0], ...ones(pad), ...xf.shape.slice(1)]) : xf;
    return [broadcastTo(aligned, [xf.shape[0], ...shape]), 0];
  },
  transpose: (ct, [x]) => [unbroadcast(ct, x.shape)],
};

/** Throws unless NumPy broadcasting takes `from` to exactly `to`. */
function checkBroadcastable(from: Shape, to: Shape): void {
  checkSize(to);
  const lead = to.length - from.length;
  for (let i = 0; i < from.length; i++) {
    if (lead < 0 || (from[i] !== 1 && from[i] !== to[lead + i])) {
      throw new ShapeError(
        `Cannot broadcast an array of shape ${showShape(from)} to shape ${showShape(to)}`,
        { op: "broadcast_in_dim", shapes: [from, to] },
      );
    }
  }
}

function ones(n: number): number[] {
  return new globalThis.Array<number>(n).fill(1);
}

// ---------------------------------------------------------------------------
// reshape

/** Parameters of `reshape`. */
export interface ReshapeParams {
  /** The new shape (same size). */
  readonly shape: Shape;
}

/** Same elements, new shape (shares the buffer: no copy). */
export const reshapeP: LinearPrimitive<ReshapeParams> = {
  name: "reshape",
  complex: true,
  impl: ([x], { shape }) => new NdArray(storageOf(x), shape, x.dtype),
  abstractEval([x], { shape }) {
    if (sizeOf(shape) !== sizeOf(x.shape)) {
      throw new ShapeError(
        `Cannot reshape an array of shape ${showShape(x.shape)} (size ${sizeOf(x.shape)}) to ${
          showShape(shape)
        } (size ${sizeOf(shape)})`,
        { op: "reshape", shapes: [x.shape, shape] },
      );
    }
    return { shape, dtype: x.dtype };
  },
  jvp: linearJvp((x, p) => reshape(x, p.shape)),
  vmap: ([x], [d], { shape }) => [reshape(moveAxis(x, d!, 0), [x.shape[d!], ...shape]), 0],
  transpose: (ct, [x]) => [reshape(ct, x.shape)],
};

// ---------------------------------------------------------------------------
// transpose

/** Parameters of `transpose`. */
export interface TransposeParams {
  /** `out.shape[i] = x.shape[perm[i]]`. */
  readonly perm: readonly number[];
}

/** Permutes axes. */
export const transposeP: LinearPrimitive<TransposeParams> = {
  name: "transpose",
  complex: true,
  impl: ([x], { perm }) => {
    const shape = perm.map((p) => x.shape[p]);
    const d = x.dtype;
    const p = viewParam(perm, d, perm.length);
    return make(shape, d, (out) => transposeKernel(storageOf(x), viewShape(x.shape, d), p, out));
  },
  abstractEval: ([x], { perm }) => ({ shape: perm.map((p) => x.shape[p]), dtype: x.dtype }),
  jvp: linearJvp((x, p) => transpose(x, p.perm)),
  vmap: ([x], [d], { perm }) => [transpose(moveAxis(x, d!, 0), [0, ...perm.map((p) => p + 1)]), 0],
  transpose(ct, _args, { perm }) {
    const inv = new globalThis.Array<number>(perm.length);
    perm.forEach((p, i) => (inv[p] = i));
    return [transpose(ct, inv)];
  },
};

// ---------------------------------------------------------------------------
// slice and pad

/** Parameters of `slice`. */
export interface SliceParams {
  /** First index per axis. */
  readonly starts: readonly number[];
  /** One past the last index per axis. */
  readonly limits: readonly number[];
  /** Step per axis (>= 1). */
  readonly strides: readonly number[];
}

function sliceShape(p: SliceParams): number[] {
  return p.starts.map((s, i) => Math.max(0, Math.ceil((p.limits[i] - s) / p.strides[i])));
}

/** A strided rectangular window. */
export const sliceP: LinearPrimitive<SliceParams> = {
  name: "slice",
  complex: true,
  impl: ([x], p) =>
    make(
      sliceShape(p),
      x.dtype,
      (out) =>
        sliceKernel(
          storageOf(x),
          viewShape(x.shape, x.dtype),
          viewParam(p.starts, x.dtype, 0),
          viewParam(p.limits, x.dtype, 2),
          viewParam(p.strides, x.dtype, 1),
          out,
        ),
    ),
  abstractEval: ([x], p) => ({ shape: sliceShape(p), dtype: x.dtype }),
  jvp: linearJvp((x, p) => slice(x, p)),
  vmap: ([x], [d], p) => [
    slice(x, {
      starts: insert(p.starts, d!, 0),
      limits: insert(p.limits, d!, x.shape[d!]),
      strides: insert(p.strides, d!, 1),
    }),
    d,
  ],
  transpose(ct, [x], p) {
    const out = ct.shape;
    const hi = x.shape.map((n, i) =>
      out[i] === 0 ? n - p.starts[i] : n - (p.starts[i] + (out[i] - 1) * p.strides[i] + 1)
    );
    if (out.some((n) => n === 0)) return [zerosArray(x.shape, x.dtype)];
    return [pad(ct, { lo: p.starts, hi, interior: p.strides.map((s) => s - 1) })];
  },
};

function insert(list: readonly number[], at: number, value: number): number[] {
  const out = list.slice();
  out.splice(at, 0, value);
  return out;
}

function zerosArray(shape: Shape, dtype: DType): NdArray {
  return new NdArray(allocate(dtype, sizeOf(shape)), shape, dtype);
}

/** Parameters of `pad`. */
export interface PadParams {
  /** Zeros before each axis. */
  readonly lo: readonly number[];
  /** Zeros after each axis. */
  readonly hi: readonly number[];
  /** Zeros between elements of each axis. */
  readonly interior: readonly number[];
}

function padShape(shape: Shape, p: PadParams): number[] {
  return shape.map((n, i) => p.lo[i] + p.hi[i] + n + Math.max(n - 1, 0) * p.interior[i]);
}

/** Zero padding (the transpose of `slice`). */
export const padP: LinearPrimitive<PadParams> = {
  name: "pad",
  complex: true,
  impl: ([x], p) =>
    make(
      padShape(x.shape, p),
      x.dtype,
      (out) =>
        padKernel(
          storageOf(x),
          viewShape(x.shape, x.dtype),
          viewParam(p.lo, x.dtype, 0),
          viewParam(p.hi, x.dtype, 0),
          viewParam(p.interior, x.dtype, 0),
          out,
        ),
    ),
  abstractEval: ([x], p) => ({ shape: padShape(x.shape, p), dtype: x.dtype }),
  jvp: linearJvp((x, p) => pad(x, p)),
  vmap: ([x], [d], p) => [
    pad(x, {
      lo: insert(p.lo, d!, 0),
      hi: insert(p.hi, d!, 0),
      interior: insert(p.interior, d!, 0),
    }),
    d,
  ],
  transpose: (ct, [x], p) => [
    slice(ct, {
      starts: p.lo,
      limits: p.lo.map((l, i) => l + Math.max(0, (x.shape[i] - 1) * (p.interior[i] + 1) + 1)),
      strides: p.interior.map((s) => s + 1),
    }),
  ],
};

// ---------------------------------------------------------------------------
// concatenate

/** Parameters of `concatenate`. */
export interface ConcatenateParams {
  /** The axis to join along. */
  readonly axis: number;
}

function concatAval(args: readonly Aval[], axis: number): Aval {
  const first = args[0];
  let total = 0;
  for (const a of args) {
    if (a.dtype !== first.dtype || a.shape.length !== first.shape.length) {
      throw new ShapeError(
        `Cannot concatenate arrays of shapes ${
          args.map((b) => showShape(b.shape)).join(", ")
        } and dtypes ${args.map((b) => b.dtype).join(", ")}: ranks and dtypes must agree`,
        { op: "concatenate", shapes: args.map((b) => b.shape) },
      );
    }
    for (let i = 0; i < a.shape.length; i++) {
      if (i !== axis && a.shape[i] !== first.shape[i]) {
        throw new ShapeError(
          `Cannot concatenate arrays of shapes ${
            args.map((b) => showShape(b.shape)).join(", ")
          } along axis ${axis}: dimension ${i} differs`,
          { op: "concatenate", shapes: args.map((b) => b.shape) },
        );
      }
    }
    total += a.shape[axis];
  }
  const shape = first.shape.slice();
  shape[axis] = total;
  return { shape, dtype: first.dtype };
}

/** Joins arrays along an existing axis. */
export const concatenateP: LinearPrimitive<ConcatenateParams> = {
  name: "concatenate",
  complex: true,
  impl(args, { axis }) {
    const { shape, dtype } = concatAval(args, axis);
    return make(
      shape,
      dtype,
      (out) =>
        concatenateKernel(
          args.map((a) => storageOf(a)),
          args.map((a) => viewShape(a.shape, dtype)),
          axis,
          out,
        ),
    );
  },
  abstractEval: (args, { axis }) => concatAval(args, axis),
  jvp(primals, tangents, { axis }) {
    const y = concatenate(primals, axis);
    if (!tangents.some((t) => !(t instanceof Zero))) return [y, new Zero(y.shape, y.dtype)];
    return [y, concatenate(tangents.map(instantiate), axis)];
  },
  vmap(args, dims, { axis }, n) {
    return [concatenate(args.map((x, i) => batchToFront(x, dims[i], n)), axis + 1), 0];
  },
  transpose(ct, args, { axis }) {
    let offset = 0;
    return args.map((a) => {
      const start = offset;
      offset += a.shape[axis];
      if (!(a instanceof LinearIn)) return null;
      const starts = ct.shape.map((_, i) => (i === axis ? start : 0));
      const limits = ct.shape.map((n, i) => (i === axis ? start + a.shape[axis] : n));
      return slice(ct, { starts, limits, strides: ct.shape.map(() => 1) });
    });
  },
};

// ---------------------------------------------------------------------------
// rev

/** Parameters of `rev`. */
export interface RevParams {
  /** Axes to reverse. */
  readonly axes: readonly number[];
}

/** Reverses the order of elements along axes. */
export const revP: LinearPrimitive<RevParams> = {
  name: "rev",
  complex: true,
  impl: ([x], { axes }) =>
    make(
      x.shape,
      x.dtype,
      (out) => revKernel(storageOf(x), viewShape(x.shape, x.dtype), axes, out),
    ),
  abstractEval: ([x]) => x,
  jvp: linearJvp((x, p) => rev(x, p.axes)),
  vmap: ([x], [d], { axes }) => [rev(x, axes.map((a) => (a >= d! ? a + 1 : a))), d],
  transpose: (ct, _args, { axes }) => [rev(ct, axes)],
};

// ---------------------------------------------------------------------------
// take and scatter_add

/** Parameters of `take`. */
export interface TakeParams {
  /** The axis to gather along (counted in the full operand, batch axes included). */
  readonly axis: number;
  /**
   * How many leading axes the operand and the indices share as batch axes
   * (each member gathers from its own slice; `vmap` adds them). Default 0.
   */
  readonly batch?: number;
  /**
   * Out-of-range indices read 0 instead of the nearest element: the transpose
   * of `scatter_add`, which drops them. Default false.
   */
  readonly zeroOutside?: boolean;
}

function takeShape(x: Shape, idx: Shape, axis: number, batch = 0): number[] {
  return [...x.slice(0, axis), ...idx.slice(batch), ...x.slice(axis + 1)];
}

/** Checks that operand and indices agree on their shared batch axes. */
function checkBatch(name: string, x: Shape, idx: Shape, batch: number, axis = -1): void {
  if (axis >= 0 && x[axis] === 0 && sizeOf(idx) > 0) {
    throw new RangeError(
      `Cannot gather ${sizeOf(idx.slice(batch))} elements from axis ${axis - batch} of size 0`,
    );
  }
  for (let d = 0; d < batch; d++) {
    if (x[d] !== idx[d]) {
      throw new TypeError(
        `${name}: batch axes differ between ${showShape(x)} and indices ${showShape(idx)}`,
      );
    }
  }
}

/**
 * `take(x, indices)` along an axis: `out.shape = x.shape[:axis] ++
 * indices.shape[batch:] ++ x.shape[axis+1:]`. Indices are int32; negative ones
 * are not wrapped here (the `np` layer does that). Out-of-range indices read
 * the nearest element (JAX's clamping gather), while the transpose
 * (`scatter_add`) drops them, as JAX's default `promise_in_bounds` mode does
 * on CPU. Linear in `x`.
 */
export const takeP: LinearPrimitive<TakeParams> = {
  name: "take",
  impl([x, idx], { axis, batch = 0, zeroOutside = false }) {
    checkBatch("take", x.shape, idx.shape, batch, axis);
    const shape = takeShape(x.shape, idx.shape, axis, batch);
    const m = sizeOf(x.shape.slice(0, batch));
    const xs = x.shape.slice(batch), xn = sizeOf(xs);
    const it = sizeOf(idx.shape.slice(batch)), on = sizeOf(shape.slice(batch));
    return make(shape, x.dtype, (out) => {
      const xd = storageOf(x), id = storageOf(idx) as Int32Array;
      if (m === 1) return takeKernel(xd, xs, id, axis - batch, out, zeroOutside);
      for (let b = 0; b < m; b++) {
        takeKernel(
          xd.subarray(b * xn, (b + 1) * xn),
          xs,
          id.subarray(b * it, (b + 1) * it),
          axis - batch,
          out.subarray(b * on, (b + 1) * on),
          zeroOutside,
        );
      }
    });
  },
  abstractEval: ([x, idx], { axis, batch = 0 }) => {
    checkBatch("take", x.shape, idx.shape, batch, axis);
    return { shape: takeShape(x.shape, idx.shape, axis, batch), dtype: x.dtype };
  },
  jvp([x, idx], [t], p) {
    const y = bind(takeP, [x, idx], p);
    return [y, t instanceof Zero ? new Zero(y.shape, y.dtype) : bind(takeP, [t, idx], p)];
  },
  vmap([x, idx], [dx, di], p, size) {
    const { axis, batch = 0 } = p;
    if (batch === 0 && di === null) {
      return [bind(takeP, [moveAxis(x, dx!, 0), idx], { ...p, axis: axis + 1 }), 0];
    }
    if (batch === 0 && dx === null) return [bind(takeP, [x, idx], p), axis + di!];
    // Members gather from their own slices: one more shared batch axis, in front.
    const xb = batchToFront(x, dx, size), ib = batchToFront(idx, di, size);
    return [bind(takeP, [xb, ib], { ...p, axis: axis + 1, batch: batch + 1 }), 0];
  },
  transpose(ct, [x, idx], { axis, batch = 0 }) {
    // Clamped reads send no gradient out of range (JAX's promise_in_bounds); zero reads neither.
    return [bind(scatterAddP, [ct, idx as NdArray], { axis, shape: x.shape, batch }), null];
  },
};

/** Parameters of `scatter_add`. */
export interface ScatterAddParams {
  /** The axis scattered along (counted in the full output, batch axes included). */
  readonly axis: number;
  /** The output shape. */
  readonly shape: Shape;
  /** Leading axes shared by updates, indices and output as batch axes. Default 0. */
  readonly batch?: number;
}

/**
 * Adds `updates` into zeros of `shape` at `indices` along `axis` (the
 * transpose of `take`); out-of-range indices are dropped (JAX's scatter).
 */
export const scatterAddP: LinearPrimitive<ScatterAddParams> = {
  name: "scatter_add",
  impl([u, idx], { axis, shape, batch = 0 }) {
    checkBatch("scatter_add", shape, idx.shape, batch);
    const m = sizeOf(shape.slice(0, batch));
    const os = shape.slice(batch), on = sizeOf(os);
    const it = sizeOf(idx.shape.slice(batch)), un = sizeOf(u.shape.slice(batch));
    return make(shape, u.dtype, (out) => {
      const ud = storageOf(u), id = storageOf(idx) as Int32Array;
      if (m === 1) return scatterAddKernel(ud, os, id, axis - batch, out);
      for (let b = 0; b < m; b++) {
        scatterAddKernel(
          ud.subarray(b * un, (b + 1) * un),
          os,
          id.subarray(b * it, (b + 1) * it),
          axis - batch,
          out.subarray(b * on, (b + 1) * on),
        );
      }
    });
  },
  abstractEval: ([u, idx], { shape, batch = 0 }) => {
    checkBatch("scatter_add", shape, idx.shape, batch);
    return { shape, dtype: u.dtype };
  },
  jvp([u, idx], [t], p) {
    const y = bind(scatterAddP, [u, idx], p);
    return [y, t instanceof Zero ? new Zero(y.shape, y.dtype) : bind(scatterAddP, [t, idx], p)];
  },
  vmap([u, idx], [du, di], { axis, shape, batch = 0 }, size) {
    if (batch === 0 && di === null) {
      return [scatterAdd(moveAxis(u, du!, 0), idx, axis + 1, [size, ...shape]), 0];
    }
    const ub = batchToFront(u, du, size), ib = batchToFront(idx, di, size);
    const p = { axis: axis + 1, shape: [size, ...shape], batch: batch + 1 };
    return [bind(scatterAddP, [ub, ib], p), 0];
  },
  transpose: (ct, [_u, idx], p) => [
    bind(takeP, [ct, idx as NdArray], { axis: p.axis, batch: p.batch, zeroOutside: true }),
    null,
  ],
};

// ---------------------------------------------------------------------------
// Functions that bind them

/** Broadcasts `x` to `shape` (no-op if it has it). */
export function broadcastTo(x: NdArray, shape: Shape): NdArray {
  return shapesEqual(x.shape, shape) ? x : bind(broadcastToP, [x], { shape });
}
/** Reshapes `x` (no-op if it has the shape). */
export function reshape(x: NdArray, shape: Shape): NdArray {
  return shapesEqual(x.shape, shape) ? x : bind(reshapeP, [x], { shape });
}
/** Permutes the axes of `x` (no-op for the identity). */
export function transpose(x: NdArray, perm: readonly number[]): NdArray {
  return perm.every((p, i) => p === i) ? x : bind(transposeP, [x], { perm });
}
/** A strided window of `x`. */
export function slice(x: NdArray, params: SliceParams): NdArray {
  return bind(sliceP, [x], params);
}
/** Zero-pads `x`. */
export function pad(x: NdArray, params: PadParams): NdArray {
  return bind(padP, [x], params);
}
/** Joins arrays along `axis`. */
export function concatenate(xs: readonly NdArray[], axis: number): NdArray {
  return xs.length === 1 ? xs[0] : bind(concatenateP, xs, { axis });
}
/** Reverses `x` along `axes`. */
export function rev(x: NdArray, axes: readonly number[]): NdArray {
  return axes.length === 0 ? x : bind(revP, [x], { axes });
}
/** Gathers `x` at int32 `indices` along `axis`. */
export function take(x: NdArray, indices: NdArray, axis: number): NdArray {
  return bind(takeP, [x, indices], { axis });
}

/**
 * `v[..., idx[..., j]]` along the last axis (NumPy's `take_along_axis` there):
 * every leading position gathers from its own row, one `take` with shared
 * batch axes.
 */
export function takeAlongLast(v: NdArray, idx: NdArray): NdArray {
  const rest = v.shape.slice(0, -1);
  const rows = sizeOf(rest), m = v.shape[v.ndim - 1], k = idx.shape[idx.ndim - 1];
  const out = bind(takeP, [reshape(v, [rows, m]), reshape(idx, [rows, k])], { axis: 1, batch: 1 });
  return reshape(out, [...rest, k]);
}
/** Scatters `updates` additively into zeros of `shape` at `indices` along `axis`. */
export function scatterAdd(
  updates: NdArray,
  indices: NdArray,
  axis: number,
  shape: Shape,
): NdArray {
  return bind(scatterAddP, [updates, indices], { axis, shape });
}
