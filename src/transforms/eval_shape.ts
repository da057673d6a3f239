/**
 * Abstract evaluation: `evalShape : (a → b) → a → shapes and dtypes of b`.
 *
 * A {@linkcode ShapeHandler} computes only shapes and dtypes, with each
 * primitive's `abstractEval` rule; no kernel runs on its tracers. Reading a
 * value (`x.item()`) is an error, since there is none.
 *
 * @module
 */

import type { NdArray } from "../array/array.ts";
import { ConcretizationError } from "../core/errors.ts";
import { Handler, Tracer } from "../core/handler.ts";
import type { Aval, CallPrimitive, Primitive } from "../core/primitive.ts";
import type { DType } from "../array/dtype.ts";
import { flatten, unflatten } from "../tree.ts";
import { type AnyFunction, flattenOutput, leafToArray, runUnder } from "./common.ts";

/**
 * The shape and dtype of an array (JAX's `ShapeDtypeStruct`); a tree leaf.
 *
 * @example What evalShape returns
 * ```ts
 * import { type Array, evalShape, np, ShapeDtype } from "@nabla/ad";
 * import { deepEqual, ok } from "node:assert/strict";
 *
 * const out = evalShape((x: Array) => np.sum(x, 0), np.ones([3, 4]));
 * ok(out instanceof ShapeDtype);
 * deepEqual([out.shape, out.dtype], [[4], "float64"]);
 * ```
 */
export class ShapeDtype implements Aval {
  /** Extents of each axis. */
  readonly shape: number[];
  /** Element type. */
  readonly dtype: DType;
  /**
   * Creates the description of an array.
   *
   * @param shape The shape.
   * @param dtype The dtype.
   */
  constructor(shape: number[], dtype: DType) {
    this.shape = shape;
    this.dtype = dtype;
  }
}

/** A value known only by its shape and dtype. */
export class ShapeTracer extends Tracer {
  /** The value one level down, for `item()` and printing. */
  protected primalValue(): NdArray {
    throw new ConcretizationError(
      `Cannot read the value of an abstract array ${this.dtype}[${this.shape}] in ${this.handler.name}: only its shape and dtype are known`,
    );
  }
}

/** The abstract-evaluation handler: one instance per `evalShape` call. */
export class ShapeHandler extends Handler {
  /** The transformation's name. */
  readonly name = "evalShape";
  /** Interprets one operation (see the module doc). */
  process<P>(prim: Primitive<P>, args: readonly NdArray[], params: P): NdArray {
    if (!this.hasOwnTracer(args)) return this.forward(prim, args, params);
    const aval = prim.abstractEval(args, params);
    return new ShapeTracer(this, aval.shape, aval.dtype);
  }
  /** A call primitive (`jit`, a staged loop): its output shapes, without running its body. */
  override processCall<P>(
    call: CallPrimitive<P>,
    args: readonly NdArray[],
    params: P,
  ): NdArray[] {
    if (!this.hasOwnTracer(args)) return this.forwardCall(call, args, params);
    return call.abstractEval(args, params).map((a) => new ShapeTracer(this, a.shape, a.dtype));
  }
}

/**
 * The shapes and dtypes of `f(...args)`'s outputs, computed without running
 * any kernel on the arguments (JAX's `eval_shape`).
 *
 * @example Shape of a product
 * ```ts
 * import { evalShape, np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * const out = evalShape(np.matmul, np.zeros([2, 3]), np.zeros([3, 5]));
 * deepEqual([out.shape, out.dtype], [[2, 5], "float64"]);
 * ```
 *
 * @param f The function; arguments and outputs may be trees.
 * @param args The arguments (only their shapes and dtypes are used).
 * @returns A tree like the output with {@linkcode ShapeDtype} leaves.
 */
// deno-lint-ignore no-explicit-any
export function evalShape(f: AnyFunction, ...args: unknown[]): any {
  const h = new ShapeHandler();
  const [leaves, def] = flatten(args);
  const tracers = leaves.map((l) => {
    const x = leafToArray(l, "evalShape arguments");
    return new ShapeTracer(h, x.shape, x.dtype);
  });
  const out = runUnder(h, () => f(...unflatten<unknown[]>(def, tracers)));
  const [outLeaves, outDef] = flattenOutput(out, "evalShape");
  return unflatten(outDef, outLeaves.map((y) => new ShapeDtype([...y.shape], y.dtype)));
}
