/**
 * The rule combinators: the mathematical structure of rules, written once.
 *
 * - elementwise primitives from a kernel op and a derivative
 *   (`smoothUnary`, `flatUnary` for zero derivatives, `binary`);
 * - linearity: `withTranspose`, `linearBinaryTranspose`, and `unbroadcast`
 *   (the transpose of NumPy broadcasting);
 * - tangents: `sumTerms`, `lin`, `broadcastTangent`, `zeroOut`;
 * - batching: `vmapBroadcasting` for elementwise primitives, `moveAxis`,
 *   `batchToFront`.
 *
 * A new elementwise primitive needs only its derivative:
 * `export const sinP = smoothUnary("sin", "sin", (x) => cos(x));` // d sin x = cos x dx
 *
 * The combinators bind primitives of the families (`mul`, `reshape`, …) only
 * inside rule bodies, so the families may import this module and it may
 * import them (see `registry.ts`).
 *
 * @module
 */

import { NdArray } from "../array/array.ts";
import {
  allocate,
  bitWidth,
  type DType,
  isComplex,
  isFloat,
  isInexact,
  isInteger,
} from "../array/dtype.ts";
import { bitwiseUnaryKernel } from "../array/kernels/bitwise.ts";
import { broadcastShapes, type Shape, shapesEqual, sizeOf } from "../array/shape.ts";
import {
  binaryKernel,
  type BinaryOp,
  unaryKernel,
  type UnaryOp,
} from "../array/kernels/elementwise.ts";
import { bind } from "../core/handler.ts";
import {
  type Aval,
  type BatchDim,
  type LinearIn,
  type LinearPrimitive,
  type Primitive,
  type Tangent,
  Zero,
} from "../core/primitive.ts";
import { add, mul } from "./elementwise.ts";
import { broadcastTo, reshape, transpose } from "./structural.ts";
import { reduceSum } from "./reductions.ts";
import { storageOf } from "../array/array.ts";

// ---------------------------------------------------------------------------
// Shared rule machinery

export function checkSameDType(name: string, args: readonly Aval[]): DType {
  const d = args[0].dtype;
  for (let i = 1; i < args.length; i++) {
    if (args[i].dtype !== d) {
      throw new TypeError(
        `Primitive '${name}' needs operands of one dtype: got ${
          args.map((a) => a.dtype).join(" and ")
        }`,
      );
    }
  }
  return d;
}

/** Batching rule for broadcasting elementwise primitives: batch axes to the front, ranks aligned. */
export function vmapBroadcasting(
  prim: Primitive<undefined>,
  args: readonly NdArray[],
  dims: readonly BatchDim[],
): [NdArray, BatchDim] {
  let rank = 0;
  for (let i = 0; i < args.length; i++) {
    rank = Math.max(rank, args[i].ndim - (dims[i] === null ? 0 : 1));
  }
  const moved = args.map((x, i) => {
    const d = dims[i];
    if (d === null) return x;
    let y = moveAxis(x, d, 0);
    const missing = rank - (y.ndim - 1);
    if (missing > 0) {
      y = reshape(y, [
        y.shape[0],
        ...new globalThis.Array<number>(missing).fill(1),
        ...y.shape.slice(1),
      ]);
    }
    return y;
  });
  return [bind(prim, moved, undefined), 0];
}

export function zeroOut(y: NdArray): Zero {
  return new Zero(y.shape, y.dtype);
}

// ---------------------------------------------------------------------------
// Unary primitives

export type Deriv = (x: NdArray, y: NdArray) => NdArray;

export function unaryAval(op: UnaryOp, x: Aval): Aval {
  // `not` is bitwise on integers (JAX's lax.bitwise_not), logical otherwise.
  const boolOut = (op === "not" && !isInteger(x.dtype)) || op === "isnan" || op === "isinf" ||
    op === "isfinite";
  return { shape: x.shape, dtype: boolOut ? "bool" : x.dtype };
}

export function unaryImpl(op: UnaryOp, x: NdArray): NdArray {
  const aval = unaryAval(op, x);
  const out = allocate(aval.dtype, x.size);
  if (op === "not" && isInteger(x.dtype)) {
    bitwiseUnaryKernel("invert", storageOf(x), out, bitWidth(x.dtype));
  } else unaryKernel(op, storageOf(x), out);
  return new NdArray(out, x.shape, aval.dtype);
}

/** A smooth unary primitive: `d f(x) = f'(x) dx`, with `f'` from `deriv(x, f(x))`. */
export function smoothUnary(name: string, op: UnaryOp, deriv: Deriv): Primitive<undefined> {
  const prim: Primitive<undefined> = {
    name,
    impl: (args) => unaryImpl(op, args[0]),
    abstractEval: (args) => unaryAval(op, args[0]),
    jvp([x], [t]) {
      const y = bind(prim, [x], undefined);
      if (t instanceof Zero || !isFloat(x.dtype)) return [y, zeroOut(y)];
      return [y, mul(t, deriv(x, y))];
    },
    vmap: (args, dims) => [bind(prim, args, undefined), dims[0]],
  };
  return prim;
}

/** A piecewise-constant unary primitive (zero derivative). */
export function flatUnary(name: string, op: UnaryOp): Primitive<undefined> {
  const prim: Primitive<undefined> = {
    name,
    impl: (args) => unaryImpl(op, args[0]),
    abstractEval: (args) => unaryAval(op, args[0]),
    jvp([x]) {
      const y = bind(prim, [x], undefined);
      return [y, zeroOut(y)];
    },
    vmap: (args, dims) => [bind(prim, args, undefined), dims[0]],
  };
  return prim;
}

// ---------------------------------------------------------------------------
// Binary primitives

export const COMPARISONS = new Set<BinaryOp>(["eq", "ne", "lt", "le", "gt", "ge"]);

export function binaryAval(name: string, op: BinaryOp, x: Aval, y: Aval): Aval {
  const dtype = checkSameDType(name, [x, y]);
  return { shape: broadcastShapes(x.shape, y.shape), dtype: COMPARISONS.has(op) ? "bool" : dtype };
}

export function binaryImpl(name: string, op: BinaryOp, x: NdArray, y: NdArray): NdArray {
  const aval = binaryAval(name, op, x, y);
  const out = allocate(aval.dtype, sizeOf(aval.shape));
  if (isComplex(aval.dtype)) {
    // Only add and sub are marked complex: parts add separately, over the [...S, 2] view.
    const v = (s: Shape): Shape => [...s, 2];
    binaryKernel(op, storageOf(x), v(x.shape), storageOf(y), v(y.shape), out, v(aval.shape));
  } else binaryKernel(op, storageOf(x), x.shape, storageOf(y), y.shape, out, aval.shape);
  return new NdArray(out, aval.shape, aval.dtype);
}

export type BinaryJvp = (x: NdArray, y: NdArray, tx: Tangent, ty: Tangent, out: NdArray) => Tangent;

export function binary(
  name: string,
  op: BinaryOp,
  jvpRule: BinaryJvp | "zero",
): Primitive<undefined> {
  const prim: Primitive<undefined> = {
    name,
    impl: (args) => binaryImpl(name, op, args[0], args[1]),
    abstractEval: (args) => binaryAval(name, op, args[0], args[1]),
    jvp([x, y], [tx, ty]) {
      const out = bind(prim, [x, y], undefined);
      if (
        jvpRule === "zero" || !isInexact(out.dtype) || (tx instanceof Zero && ty instanceof Zero)
      ) {
        return [out, zeroOut(out)];
      }
      return [out, jvpRule(x, y, tx, ty, out)];
    },
    vmap: (args, dims) => vmapBroadcasting(prim, args, dims),
  };
  return prim;
}

/** Adds a transpose rule to a primitive record (in place, so rules that bind the record see it). */
export function withTranspose<P>(
  prim: Primitive<P>,
  transpose: LinearPrimitive<P>["transpose"],
): LinearPrimitive<P> {
  (prim as { transpose?: LinearPrimitive<P>["transpose"] }).transpose = transpose;
  return prim as LinearPrimitive<P>;
}

/** Sums the non-zero terms of a tangent, broadcasting each to `shape`. */
export function sumTerms(shape: Shape, dtype: DType, ...terms: (NdArray | null)[]): Tangent {
  let acc: NdArray | null = null;
  for (const t of terms) {
    if (t === null) continue;
    acc = acc === null ? t : add(acc, t);
  }
  return acc === null ? new Zero(shape, dtype) : broadcastTangent(acc, shape);
}

export const lin = (t: Tangent, f: (t: NdArray) => NdArray): NdArray | null =>
  t instanceof Zero ? null : f(t);

export function linearBinaryTranspose(
  ctFor: (ct: NdArray, other: NdArray | LinearIn, which: 0 | 1) => NdArray,
): LinearPrimitive<undefined>["transpose"] {
  return (ct, [x, y]) => {
    const isLin = (a: NdArray | LinearIn) => !(a instanceof NdArray);
    return [
      isLin(x) ? unbroadcast(ctFor(ct, y, 0), x.shape) : null,
      isLin(y) ? unbroadcast(ctFor(ct, x, 1), y.shape) : null,
    ];
  };
}

/**
 * Sums a cotangent of a broadcast result back to the operand's `shape`
 * (the transpose of NumPy broadcasting).
 */
export function unbroadcast(ct: NdArray, shape: Shape): NdArray {
  if (shapesEqual(ct.shape, shape)) return ct;
  const lead = ct.ndim - shape.length;
  const axes: number[] = [];
  for (let i = 0; i < ct.ndim; i++) {
    if (i < lead || (shape[i - lead] === 1 && ct.shape[i] !== 1)) axes.push(i);
  }
  const summed = axes.length > 0 ? reduceSum(ct, axes) : ct;
  return shapesEqual(summed.shape, shape) ? summed : reshape(summed, shape);
}

/** Broadcasts `t` to `shape` when it is smaller (a tangent of a broadcasting operand). */
export function broadcastTangent(t: NdArray, shape: Shape): NdArray {
  return shapesEqual(t.shape, shape) ? t : broadcastTo(t, shape);
}

/** Moves axis `from` of `x` to position `to`. */
export function moveAxis(x: NdArray, from: number, to: number): NdArray {
  if (from === to) return x;
  const perm: number[] = [];
  for (let i = 0; i < x.ndim; i++) if (i !== from) perm.push(i);
  perm.splice(to, 0, from);
  return transpose(x, perm);
}

/** Moves a batched value's batch axis to the front (or broadcasts an unbatched one to size `n`). */
export function batchToFront(x: NdArray, dim: BatchDim, n: number): NdArray {
  if (dim === null) return broadcastTo(x, [n, ...x.shape]);
  return moveAxis(x, dim, 0);
}
