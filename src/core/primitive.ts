/**
 * Primitives: the effect operations every `np` function is built from.
 *
 * A primitive is declared once with all of its rules:
 *
 * - `impl` — the kernel on concrete arrays (used by the eval handler);
 * - `abstractEval` — output shape and dtype from input shapes and dtypes (used
 *   by handlers that do not compute values, such as the linear-program
 *   recorder behind `vjp`);
 * - `jvp` — forward-mode rule: `(primals, tangents) ↦ (out, tangentOut)`;
 * - `vmap` — batching rule: `(values, batchDims) ↦ (out, outBatchDim)`;
 * - `transpose` — for linear primitives only: `(cotangent, inputs) ↦
 *   cotangents of the linear inputs`.
 *
 * Rules perform their own operations with `bind`; the handler that runs a rule
 * installs its parent first, so those operations are seen by the outer
 * transformations (deep-handler semantics). Missing rules are type errors:
 * {@linkcode Primitive} requires `jvp` and `vmap`, {@linkcode LinearPrimitive}
 * also requires `transpose`.
 *
 * @module
 */

import type { NdArray } from "../array/array.ts";
import { filled } from "../array/create.ts";
import type { DType } from "../array/dtype.ts";
import type { Shape } from "../array/shape.ts";
import type { Handler } from "./handler.ts";

/** The abstract value of an array: its shape and dtype. */
export interface Aval {
  /** Extents of each axis. */
  readonly shape: Shape;
  /** Element type. */
  readonly dtype: DType;
}

/**
 * A symbolic zero tangent or cotangent: it knows its shape and dtype but holds
 * no data, so `0 * NaN` never leaks into results and unused inputs cost nothing.
 *
 * @example A JVP rule passes zeros through
 * ```ts
 * import { Zero } from "@nabla/ad/extend";
 * import { deepEqual, ok } from "node:assert/strict";
 *
 * const t = new Zero([2, 3], "float64");
 * ok(t instanceof Zero);
 * deepEqual([t.shape, t.dtype], [[2, 3], "float64"]);
 * ```
 */
export class Zero implements Aval {
  /** Shape of the value it stands for. */
  readonly shape: Shape;
  /** Dtype of the value it stands for. */
  readonly dtype: DType;
  /**
   * Creates a symbolic zero.
   *
   * @param shape Shape of the zero it stands for.
   * @param dtype Dtype of the zero it stands for.
   */
  constructor(shape: Shape, dtype: DType) {
    this.shape = shape;
    this.dtype = dtype;
  }
}

/** A tangent or cotangent: an array or a symbolic {@linkcode Zero}. */
export type Tangent = NdArray | Zero;

/**
 * The placeholder for a linear input in a transpose rule (JAX's
 * `UndefinedPrimal`): the value is unknown, only its shape and dtype are.
 *
 * @example Calling a transpose rule by hand
 * ```ts
 * import { type Array, np } from "@nabla/ad";
 * import { LinearIn, primitives } from "@nabla/ad/extend";
 * import { deepEqual } from "node:assert/strict";
 *
 * // mul(x, 3) is linear in x: its transpose maps a cotangent c to 3c.
 * const [ct] = primitives.mul.transpose(np.array([1, 2]), [new LinearIn([2], "float64"), np.array(3)], undefined);
 * deepEqual((ct as Array).tolist(), [3, 6]);
 * ```
 */
export class LinearIn implements Aval {
  /** Shape of the value it stands for. */
  readonly shape: Shape;
  /** Dtype of the value it stands for. */
  readonly dtype: DType;
  /**
   * Creates the placeholder.
   *
   * @param shape Shape of the linear input.
   * @param dtype Dtype of the linear input.
   */
  constructor(shape: Shape, dtype: DType) {
    this.shape = shape;
    this.dtype = dtype;
  }
}

/** A batch dimension: the axis a `vmap`-ed value is mapped over, or `null` if unbatched. */
export type BatchDim = number | null;

/** A primitive with its evaluation, shape, JVP and batching rules. */
export interface Primitive<P = unknown> {
  /** The primitive's name in snake_case (`"reduce_sum"`). */
  readonly name: string;
  /** Computes the result on concrete arrays. */
  impl(args: readonly NdArray[], params: P): NdArray;
  /** Output shape and dtype. */
  abstractEval(args: readonly Aval[], params: P): Aval;
  /** Forward-mode rule; `tangents[i]` may be a {@linkcode Zero}. */
  jvp(primals: readonly NdArray[], tangents: readonly Tangent[], params: P): [NdArray, Tangent];
  /** Batching rule; `dims[i]` is `null` for unbatched inputs. At least one is batched. */
  vmap(
    args: readonly NdArray[],
    dims: readonly BatchDim[],
    params: P,
    axisSize: number,
  ): [NdArray, BatchDim];
  /**
   * Why reverse mode refuses this primitive on a tangent, when it has no
   * transpose rule on purpose (the carry of `whileLoop`); the recorder
   * behind `vjp` throws it as the error message.
   */
  readonly reverseModeError?: string;
  /**
   * Whether `impl` handles complex operands (`complex64`/`complex128`); eval
   * refuses complex operands of every other primitive, so that a kernel that
   * reads interleaved parts as elements can never return wrong numbers.
   */
  readonly complex?: boolean;
  /** Transpose rule, present on linear primitives. */
  transpose?(
    cotangent: NdArray,
    args: readonly (NdArray | LinearIn)[],
    params: P,
  ): (Tangent | null)[];
}

/**
 * A primitive linear in the inputs marked linear: it has a transpose rule,
 * given the cotangent of the output and the inputs (linear ones as
 * {@linkcode LinearIn}), returning one cotangent per input (`null` for
 * non-linear inputs).
 */
export interface LinearPrimitive<P = unknown> extends Primitive<P> {
  /** Transpose rule. */
  transpose(
    cotangent: NdArray,
    args: readonly (NdArray | LinearIn)[],
    params: P,
  ): (Tangent | null)[];
}

/**
 * A function with its own differentiation rule, performed as one operation
 * (JAX's `custom_jvp_call`/`custom_vjp_call`). It works on flat lists of
 * arrays; `customJvp`, `customVjp` and `checkpoint` build these from
 * functions on trees. Each handler decides what the call means
 * (`Handler.processCustom`): eval runs `f`, `jvp` uses the rule, `vmap`
 * batches `f` and the rule, and reverse mode records `bwd`.
 */
export type CustomCall = CustomJvpCall | CustomVjpCall;

/** A function with a custom JVP rule. */
export interface CustomJvpCall {
  /** Discriminates the kind of call. */
  readonly kind: "custom_jvp";
  /** A name for error messages. */
  readonly name: string;
  /** The function itself. */
  readonly f: (args: readonly NdArray[]) => NdArray[];
  /** `(primals, tangents) ↦ (outputs, output tangents)`. */
  readonly jvp: (
    primals: readonly NdArray[],
    tangents: readonly NdArray[],
  ) => [NdArray[], NdArray[]];
}

/** A function with a custom VJP: a forward pass saving residuals and a backward pass. */
export interface CustomVjpCall {
  /** Discriminates the kind of call. */
  readonly kind: "custom_vjp";
  /** A name for error messages. */
  readonly name: string;
  /** The function itself. */
  readonly f: (args: readonly NdArray[]) => NdArray[];
  /** `args ↦ (outputs, residuals)`. */
  readonly fwd: (args: readonly NdArray[]) => [NdArray[], NdArray[]];
  /** `(residuals, output cotangents) ↦ input cotangents` (one per argument). */
  readonly bwd: (residuals: readonly NdArray[], cotangents: readonly NdArray[]) => NdArray[];
  /** Under forward mode: `"error"` (as JAX's custom_vjp) or `"inline"` (run `f`, as `checkpoint`). */
  readonly forwardMode: "error" | "inline";
  /**
   * How many leading arguments are values the function closes over (made
   * explicit when staged): differentiating with respect to them is an error,
   * as the rule gives cotangents only for the others. Absent: none.
   */
  readonly numConsts?: number;
}

/**
 * A higher-order primitive with several outputs whose parameters hold a
 * program (JAX's call primitives: `pjit`). Every handler interprets it
 * through `Handler.processCall`: eval runs `impl`, `jvp` and `vmap` apply the
 * rules below (which build transformed programs), reverse mode applies
 * `partialEval`, and a staging handler records it as one equation. A
 * handler with no rule of its own evaluates the body inline (`inline`).
 */
export interface CallPrimitive<P = unknown> {
  /** The primitive's name in snake_case (`"jit"`). */
  readonly name: string;
  /** Computes the outputs on concrete arrays. */
  impl(args: readonly NdArray[], params: P): NdArray[];
  /** Output shapes and dtypes. */
  abstractEval(args: readonly Aval[], params: P): Aval[];
  /** Forward-mode rule; `tangents[i]` may be a {@linkcode Zero}. */
  jvp(primals: readonly NdArray[], tangents: readonly Tangent[], params: P): [NdArray[], Tangent[]];
  /** Batching rule; `dims[i]` is `null` for unbatched inputs. */
  vmap(
    args: readonly NdArray[],
    dims: readonly BatchDim[],
    params: P,
    axisSize: number,
  ): [NdArray[], BatchDim[]];
  /**
   * Partial evaluation, run with the reverse-mode recorder current:
   * `unknown[i]` marks the inputs that are the recorder's (tangent)
   * variables. The rule computes the known part on `parent` (the handler
   * below the recorder) and evaluates the unknown part with the recorder
   * current, so it is recorded as linear equations.
   */
  partialEval(
    args: readonly NdArray[],
    unknown: readonly boolean[],
    params: P,
    parent: Handler,
    recorder: CallRecorder,
  ): NdArray[];
  /**
   * Linearization (JVP and partial evaluation in one step), run by a
   * reverse-mode `jvp` handler in place of `jvp`: computes the primal
   * outputs (and the residuals the tangent part needs) on `parent`, the
   * handler below the recorder, and records the tangent part in `recorder`
   * as linear call equations. Returns the primal outputs and their tangents.
   */
  linearize?(
    primals: readonly NdArray[],
    tangents: readonly Tangent[],
    params: P,
    parent: Handler,
    recorder: CallRecorder,
  ): [NdArray[], Tangent[]];
  /**
   * Transpose rule of a call that is linear in the inputs given as
   * {@linkcode LinearIn}: output cotangents (symbolic zeros allowed) to one
   * cotangent per input (`null` for non-linear inputs). Present on calls
   * that `partialEval` records as linear equations.
   */
  transpose?(
    cotangents: readonly Tangent[],
    args: readonly (NdArray | LinearIn)[],
    params: P,
  ): (Tangent | null)[];
  /** Evaluates the body with the current handler (the default interpretation). */
  inline(args: readonly NdArray[], params: P): NdArray[];
  /** Why reverse mode refuses this call (`while`: its trip count is not static). */
  readonly reverseModeError?: string;
}

/** Where `partialEval` records the unknown part of a call: one linear equation. */
export interface CallRecorder {
  /**
   * Records `outs = call[params](inputs)` in the linear program (inputs that
   * are the recorder's variables are linear, the others known) and returns
   * the output variables.
   */
  recordCall<P>(
    call: CallPrimitive<P>,
    inputs: readonly NdArray[],
    params: P,
    outs: readonly Aval[],
  ): NdArray[];
}

/**
 * Materialises a tangent: a symbolic zero becomes a zero-filled array.
 *
 * @example Instantiating a zero
 * ```ts
 * import { instantiate, Zero } from "@nabla/ad/extend";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(instantiate(new Zero([2], "float64")).tolist(), [0, 0]);
 * ```
 *
 * @param t A tangent.
 * @returns `t`, or zeros of its shape and dtype.
 */
export function instantiate(t: Tangent): NdArray {
  return t instanceof Zero ? filled(t.shape, 0, t.dtype) : t;
}
