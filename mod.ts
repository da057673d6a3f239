/**
 * nabla — automatic differentiation and composable function transformations
 * for TypeScript: `grad`, `jvp`, `vjp`, `vmap`, Jacobians and Hessians over a
 * NumPy-like array API in float64, stacking in any order, with no memory
 * management.
 *
 * Primitives are algebraic effects; the transformations are handlers that
 * stack, which makes nested higher-order derivatives correct and free of
 * perturbation confusion.
 *
 * @example The seed: derivatives of x² + log x
 * ```ts
 * import { type Array, grad, np, vmap } from "@nabla/ad";
 * import { equal, ok } from "node:assert/strict";
 *
 * const f = (x: Array) => np.add(np.square(x), np.log(x));
 * equal(grad(np.square)(0.5).item(), 1);
 * equal(grad(f)(0.1).item(), 10.2);
 * ok(Math.abs((grad(grad(f))(0.1).item() as number) + 98) < 1e-9);
 * const slopes = vmap(grad(np.square))(np.linspace(0, 1, 5));
 * equal(slopes.toString(), "Array([  0, 0.5,   1, 1.5,   2], dtype=float64)");
 * ```
 *
 * @module
 */

export { NdArray as Array } from "./src/array/array.ts";
export type {
  ArrayLike,
  Index,
  IndexMode,
  IndexOptions,
  IndexUpdate,
  NestedArray,
  NestedList,
} from "./src/array/array.ts";
export type { DType, TypedArray } from "./src/array/dtype.ts";
export { ShapeError } from "./src/array/shape.ts";
export type { Shape } from "./src/array/shape.ts";
export type { AnyFunction } from "./src/transforms/common.ts";
export * as np from "./src/numpy/index.ts";
export * as lax from "./src/lax/index.ts";
export * as nn from "./src/nn/index.ts";
export * as random from "./src/random/index.ts";
export * as scipy from "./src/scipy/index.ts";
export * as optim from "./src/optim/index.ts";
export * as tree from "./src/tree.ts";
export type { Leaf, Tree, TreeDef } from "./src/tree.ts";
export { grad, valueAndGrad, vjp } from "./src/transforms/vjp.ts";
export { linearize } from "./src/transforms/linearize.ts";
export { linearTranspose } from "./src/transforms/linear_transpose.ts";
export type { GradOptions, Pullback, VjpOptions } from "./src/transforms/vjp.ts";
export { jvp } from "./src/transforms/jvp.ts";
export { ClosedJaxpr, evalJaxpr, jit, makeJaxpr } from "./src/transforms/jit.ts";
export type { JitOptions, Jitted } from "./src/transforms/jit.ts";
export { evalShape, ShapeDtype } from "./src/transforms/eval_shape.ts";
export type { JvpOptions } from "./src/transforms/jvp.ts";
export { vmap } from "./src/transforms/vmap.ts";
export type { AxisSpec, VmapOptions } from "./src/transforms/vmap.ts";
export { hessian, jacfwd, jacrev } from "./src/transforms/jacobians.ts";
export type { JacobianOptions } from "./src/transforms/jacobians.ts";
export { stopGradient } from "./src/lax/ops.ts";
export { ConcretizationError, EscapedTracerError } from "./src/core/errors.ts";
export { checkpoint, customJvp, customVjp, remat } from "./src/transforms/custom.ts";
export type {
  CustomJvpFunction,
  CustomOptions,
  CustomVjpFunction,
  JvpPart,
} from "./src/transforms/custom.ts";
