/**
 * `@nabla/ad/extend` — the door for people who extend nabla: write a new
 * primitive with its rules, or a new interpreter (a FLOP counter, a printer,
 * interval arithmetic) that stacks with `grad`, `vmap` and the others.
 *
 * - the handler stack: {@linkcode bind}, {@linkcode bindCustom},
 *   {@linkcode Handler}, {@linkcode Tracer}, {@linkcode currentHandler},
 *   {@linkcode withHandler}, {@linkcode swapHandler};
 * - primitive records and their rule types: `Primitive`, `LinearPrimitive`,
 *   {@linkcode Zero}, {@linkcode LinearIn}, {@linkcode instantiate}, the custom
 *   call types, and the built-in {@linkcode primitives} with their parameter
 *   types;
 * - the IR: {@linkcode Jaxpr}, {@linkcode Var}, {@linkcode Lit}, equations,
 *   {@linkcode printJaxpr}, {@linkcode typecheckJaxpr}.
 *
 * Users of the array API and the transformations need only `@nabla/ad`.
 *
 * @example A handler that counts the primitives a gradient performs
 * ```ts
 * import { grad, np } from "@nabla/ad";
 * import { type Array, Handler, type Primitive, withHandler } from "@nabla/ad/extend";
 * import { ok } from "node:assert/strict";
 *
 * class Counter extends Handler {
 *   readonly name = "counter";
 *   count = 0;
 *   process<P>(prim: Primitive<P>, args: readonly Array[], params: P): Array {
 *     this.count++;
 *     return this.forward(prim, args, params);
 *   }
 * }
 * const counter = new Counter();
 * withHandler(counter, () => grad(np.sin)(0.5));
 * ok(counter.count > 0);
 * ```
 *
 * @module
 */

export type { NdArray as Array } from "./src/array/array.ts";
export {
  bind,
  bindCustom,
  currentHandler,
  Handler,
  swapHandler,
  Tracer,
  withHandler,
} from "./src/core/handler.ts";
export { instantiate, LinearIn, Zero } from "./src/core/primitive.ts";
export type { CustomCall, CustomJvpCall, CustomVjpCall } from "./src/core/primitive.ts";
export type { Aval, BatchDim, LinearPrimitive, Primitive, Tangent } from "./src/core/primitive.ts";
export { Jaxpr, Lit, printJaxpr, typecheckJaxpr, Var } from "./src/core/ir.ts";
export type { Atom, CustomVjpEqn, Eqn, PrimitiveEqn } from "./src/core/ir.ts";
export { setMaxRecordedEquations } from "./src/transforms/linearize.ts";
export { primitives } from "./src/primitives/registry.ts";
export type { ConvertParams, IntegerPowParams } from "./src/primitives/elementwise.ts";
export type { AxisParams, CumsumParams, ReduceParams } from "./src/primitives/reductions.ts";
export type {
  BroadcastParams,
  ConcatenateParams,
  PadParams,
  ReshapeParams,
  RevParams,
  ScatterAddParams,
  SliceParams,
  TakeParams,
  TransposeParams,
} from "./src/primitives/structural.ts";
export type { DotGeneralParams } from "./src/primitives/products.ts";
export type { ArgsortParams } from "./src/primitives/sort.ts";
export type { FftParams } from "./src/primitives/fft.ts";
export type { BitcastParams } from "./src/primitives/bitwise.ts";
export type {
  EighParams,
  EigParams,
  QrParams,
  SvdParams,
  SymmetricParams,
  TriangularSolveParams,
} from "./src/primitives/linalg.ts";
export type { ConvDimensionNumbers, ConvParams } from "./src/primitives/conv.ts";
export type { SelectParams, WindowParams } from "./src/primitives/windowed.ts";
