/**
 * Primitives that let define-by-run control flow (`lax.whileLoop`) ask the
 * handler stack what it needs, instead of inspecting other transformations'
 * tracers:
 *
 * - `batch_any` — the identity on a boolean scalar, except that `vmap`
 *   reduces it over the batch: "does any member continue?" A batched loop
 *   runs until every member is done.
 * - `while_carry` — the identity on a loop carry, whose tangent has no
 *   transpose: reverse-mode differentiation through a `whileLoop` carry is
 *   refused by the recorder behind `vjp` (as JAX refuses it), while forward
 *   mode and `vmap` pass through.
 *
 * @module
 */

import type { NdArray } from "../array/array.ts";
import { showShape } from "../array/shape.ts";
import { scalar } from "../array/create.ts";
import { bind } from "../core/handler.ts";
import { type Aval, type Primitive, Zero } from "../core/primitive.ts";
import { convert, gt } from "./elementwise.ts";
import { reduceSum } from "./reductions.ts";

function boolScalar(name: string, [x]: readonly Aval[]): Aval {
  if (x.dtype !== "bool" || x.shape.length !== 0) {
    throw new TypeError(
      `Primitive '${name}' needs a bool scalar: got ${x.dtype}${showShape(x.shape)}`,
    );
  }
  return x;
}

/** Whether any batch member of a boolean scalar is true (the identity outside `vmap`). */
export const batchAnyP: Primitive<undefined> = {
  name: "batch_any",
  impl([p]) {
    boolScalar("batch_any", [p]);
    return p;
  },
  abstractEval: (args) => boolScalar("batch_any", args),
  jvp([p]) {
    const y = bind(batchAnyP, [p], undefined);
    return [y, new Zero(y.shape, y.dtype)];
  },
  // any over the batch axis, then asked again: outer vmaps reduce their own axes
  vmap([p], [d]) {
    boolScalar("batch_any", [{ shape: p.shape.slice(1), dtype: p.dtype }]);
    const count = reduceSum(convert(p, "int32"), [d!]);
    return [bind(batchAnyP, [gt(count, scalar(0, "int32"))], undefined), null];
  },
};

/** `whileLoop`'s message when reverse mode meets its carry. */
export const WHILE_REVERSE_MODE =
  "Reverse-mode differentiation does not work for whileLoop (as in JAX): its trip count is not static. " +
  "Use foriLoop with static bounds or scan, or differentiate in forward mode (jvp, jacfwd)";

/** The identity on a `whileLoop` carry; its tangent cannot be transposed (see the module doc). */
export const whileCarryP: Primitive<undefined> = {
  name: "while_carry",
  impl: ([x]) => x,
  abstractEval: ([x]) => x,
  jvp([x], [t]) {
    const y = bind(whileCarryP, [x], undefined);
    return [y, t instanceof Zero ? t : bind(whileCarryP, [t], undefined)];
  },
  vmap: ([x], [d]) => [bind(whileCarryP, [x], undefined), d],
  reverseModeError: WHILE_REVERSE_MODE,
};

/** `batch_any` of a boolean scalar: whether any batch member is true. */
export function batchAny(p: NdArray): NdArray {
  return bind(batchAnyP, [p], undefined);
}

/** Marks a `whileLoop` carry leaf (the identity; reverse mode refuses it). */
export function whileCarry(x: NdArray): NdArray {
  return bind(whileCarryP, [x], undefined);
}
