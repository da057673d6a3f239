/**
 * Reverse mode as linearize + transpose:
 *
 * - `vjp : (a → b) → a → (b, T b ⊸ T a)`
 * - `grad : (a → ℝ) → a → T a`
 *
 * `linearize.ts` records the tangent half of `f` as a linear program; this
 * module runs that program backwards with the primitives' `transpose` rules
 * (custom-VJP steps with their backward rules). The pullback is data: it can
 * be called many times, later, and under other transformations.
 *
 * Reads the `transpose` rules.
 *
 * @module
 */

import type { NdArray } from "../array/array.ts";
import { isInexact } from "../array/dtype.ts";
import { filled } from "../array/create.ts";
import { ShapeError, shapesEqual, showShape } from "../array/shape.ts";
import type { CallEqn, CustomVjpEqn, Var } from "../core/ir.ts";
import { LinearIn, type Tangent, Zero } from "../core/primitive.ts";
import { add, convert } from "../primitives/elementwise.ts";
import { flatten, unflatten } from "../tree.ts";
import {
  type AnyFunction,
  checkInputDTypes,
  checkOutputDType,
  diffArgs,
  leafToArray,
  onesOf,
} from "./common.ts";
import { linearizeFlat, type LinearProgram } from "./linearize.ts";
import { checkOptions } from "../core/options.ts";

/**
 * Runs a linear program backwards: cotangents of its outputs (one per
 * output, zero outputs included) to cotangents of its inputs (`null` where
 * zero or where the input has no tangent).
 */
export function transposeProgram(
  program: LinearProgram,
  cotangents: readonly NdArray[],
): (NdArray | null)[] {
  const { jaxpr, known } = program;
  const cts = new Map<Var, NdArray>();
  const accumulate = (v: Var, ct: NdArray) => {
    const prev = cts.get(v);
    cts.set(v, prev === undefined ? ct : add(prev, ct));
  };
  let k = 0;
  program.zeroOutputs.forEach((z, i) => {
    if (z !== null) return;
    const linear = program.linearOutputs[k];
    const a = jaxpr.outs[k++];
    if (linear) accumulate(a as Var, cotangents[i]);
  });
  const eqns = jaxpr.eqns;
  for (let n = eqns.length - 1; n >= 0; n--) {
    const e = eqns[n];
    const values = known[n];
    if (e.kind === "custom_vjp") {
      transposeCustom(e, values, cts, accumulate);
      continue;
    }
    if (e.kind === "call") {
      transposeCall(e, values, cts, accumulate);
      continue;
    }
    if (e.kind === "custom_call") {
      throw new TypeError(`A staged ${e.primitive} equation cannot appear in a linear program`);
    }
    const ct = cts.get(e.outs[0]);
    if (ct === undefined) continue;
    cts.delete(e.outs[0]);
    const inputs = e.inputs;
    const args = new globalThis.Array<NdArray | LinearIn>(inputs.length);
    for (let i = 0; i < inputs.length; i++) {
      const a = inputs[i];
      args[i] = values[i] ?? new LinearIn(a.aval.shape, a.aval.dtype);
    }
    const res = e.prim.transpose!(ct, args, e.params);
    for (let i = 0; i < res.length; i++) {
      const r = res[i];
      if (r === null || r instanceof Zero || values[i] !== null) continue;
      accumulate(inputs[i] as Var, r);
    }
  }
  return program.inputs.map((v) => (v === null ? null : cts.get(v) ?? null));
}

/** Transposes one linear call (a `pjit`'s unknown part) with the call's transpose rule. */
export function transposeCall(
  e: CallEqn,
  values: readonly (NdArray | null)[],
  cts: Map<Var, NdArray>,
  accumulate: (v: Var, ct: NdArray) => void,
): void {
  if (!e.outs.some((v) => cts.has(v))) return;
  const outCts = e.outs.map((v): Tangent => {
    const ct = cts.get(v);
    cts.delete(v);
    return ct ?? new Zero(v.aval.shape, v.aval.dtype);
  });
  const args = e.inputs.map((a, i) => values[i] ?? new LinearIn(a.aval.shape, a.aval.dtype));
  const res = e.call.transpose!(outCts, args, e.params);
  for (let i = 0; i < res.length; i++) {
    const r = res[i];
    if (r === null || r instanceof Zero || values[i] !== null) continue;
    accumulate(e.inputs[i] as Var, r);
  }
}

/** Transposes one custom-VJP step: its backward rule maps output cotangents to input cotangents. */
function transposeCustom(
  e: CustomVjpEqn,
  values: readonly (NdArray | null)[],
  cts: Map<Var, NdArray>,
  accumulate: (v: Var, ct: NdArray) => void,
): void {
  if (!e.outs.some((v) => cts.has(v))) return;
  const outCts = e.outs.map((v) => {
    const ct = cts.get(v);
    cts.delete(v);
    return ct ?? filled(v.aval.shape, 0, v.aval.dtype);
  });
  const { numResiduals, tangentMask } = e.params;
  const residuals = values.slice(0, numResiduals) as NdArray[];
  const inCts = e.call.bwd(residuals, outCts);
  if (inCts.length !== tangentMask.length) {
    throw new TypeError(
      `The backward rule of '${e.call.name}' returned ${inCts.length} cotangents for ${tangentMask.length} inputs`,
    );
  }
  let k = numResiduals;
  tangentMask.forEach((present, i) => {
    if (!present) return;
    const v = e.inputs[k++] as Var;
    const ct = inCts[i];
    if (!shapesEqual(ct.shape, v.aval.shape)) {
      throw new ShapeError(
        `The backward rule of '${e.call.name}' returned a cotangent of shape ${
          showShape(ct.shape)
        } for an input of shape ${showShape(v.aval.shape)} (input ${i})`,
        { op: "customVjp", shapes: [ct.shape, v.aval.shape] },
      );
    }
    accumulate(v, ct.dtype === v.aval.dtype ? ct : convert(ct, v.aval.dtype));
  });
}

/** Options of {@linkcode vjp}. */
export interface VjpOptions {
  /** `f` returns `[output, aux]`; `aux` is returned third, undifferentiated. */
  hasAux?: boolean;
}

/** A pullback: maps an output cotangent (a tree like the output) to one cotangent per primal. */
// deno-lint-ignore no-explicit-any
export type Pullback = (cotangent: any) => any[];

/**
 * Reverse-mode derivative: evaluates `f(...primals)` and returns a pullback
 * mapping an output cotangent to the cotangents of the inputs.
 *
 * @example Pullback of a product
 * ```ts
 * import { np, vjp } from "@nabla/ad";
 * import { deepEqual, equal } from "node:assert/strict";
 *
 * const [y, pullback] = vjp((a, b) => np.multiply(a, b), [2, 3]);
 * equal(y.item(), 6);
 * const [da, db] = pullback(1);
 * deepEqual([da.item(), db.item()], [3, 2]);
 * ```
 *
 * @param f The function; arguments and output may be trees.
 * @param primals The point: one tree per argument of `f`.
 * @param options `hasAux`.
 * @returns `[output, pullback]`, or `[output, pullback, aux]` with `hasAux`.
 */
export function vjp(
  f: AnyFunction,
  primals: readonly unknown[],
  options: VjpOptions = {},
  // deno-lint-ignore no-explicit-any
): [any, Pullback, ...any[]] {
  checkOptions("vjp", options, ["hasAux"]);
  if (!globalThis.Array.isArray(primals)) {
    throw new TypeError("vjp: primals must be an array with one entry per argument of f");
  }
  const lin = linearizeFlat("vjp", f, primals, options.hasAux);
  const pullback: Pullback = (cotangent) => {
    const [ctLeaves, ctDef] = flatten(cotangent);
    if (!ctDef.equals(lin.outDef)) {
      throw new ShapeError(
        `vjp: the cotangent must have the structure of the output ${lin.outDef}: got ${ctDef}`,
        { op: "vjp" },
      );
    }
    const cts = ctLeaves.map((c, i) => {
      const y = lin.outLeaves[i];
      let ct = leafToArray(c, "Cotangents");
      if (!shapesEqual(ct.shape, y.shape)) {
        throw new ShapeError(
          `vjp: cotangent shape ${showShape(ct.shape)} does not match output shape ${
            showShape(y.shape)
          } (leaf ${i})`,
          { op: "vjp", shapes: [ct.shape, y.shape] },
        );
      }
      if (ct.dtype !== y.dtype && isInexact(y.dtype)) ct = convert(ct, y.dtype);
      return ct;
    });
    const res = transposeProgram(lin.program, cts);
    const grads = res.map((g, i) =>
      g ?? filled(lin.inLeaves[i].shape, 0, zeroDType(lin.inLeaves[i]))
    );
    return unflatten<unknown[]>(lin.inDef, grads);
  };
  const result: [unknown, Pullback, ...unknown[]] = [
    unflatten(lin.outDef, lin.outLeaves),
    pullback,
  ];
  if (options.hasAux) result.push(lin.aux);
  return result;
}

function zeroDType(x: NdArray) {
  return isInexact(x.dtype) ? x.dtype : "float64";
}

/** Options of {@linkcode grad} and {@linkcode valueAndGrad}. */
export interface GradOptions {
  /** Which positional argument(s) to differentiate with respect to (default 0). */
  argnums?: number | readonly number[];
  /** `f` returns `[output, aux]`; aux is passed through undifferentiated. */
  hasAux?: boolean;
  /**
   * `f` is holomorphic (JAX's `holomorphic=True`): inputs and output are
   * complex and the result is the complex derivative `f'(z)` (the pullback
   * of `1+0j`); without it the output must be real.
   */
  holomorphic?: boolean;
}

function gradImpl(
  name: string,
  f: AnyFunction,
  options: GradOptions,
  args: unknown[],
): [NdArray, unknown, unknown] {
  const { selected, partial } = diffArgs(name, f, options.argnums ?? 0, args);
  const holomorphic = options.holomorphic === true;
  checkInputDTypes(name === "valueAndGrad" ? "grad" : name, selected, holomorphic);
  const lin = linearizeFlat(name, partial, selected, options.hasAux);
  if (lin.outLeaves.length !== 1 || lin.outLeaves[0].ndim !== 0) {
    const shapes = lin.outLeaves.map((y) => showShape(y.shape)).join(", ");
    throw new TypeError(
      `${name} requires a function with a scalar output: got ${
        lin.outLeaves.length === 1
          ? `shape ${shapes}`
          : `${lin.outLeaves.length} outputs (${shapes})`
      }; use vjp or jacrev for non-scalar outputs`,
    );
  }
  const y = lin.outLeaves[0];
  checkOutputDType(name === "valueAndGrad" ? "grad" : name, y.dtype, holomorphic);
  const res = transposeProgram(lin.program, [onesOf([], y.dtype)]);
  const grads = res.map((g, i) => g ?? filled(lin.inLeaves[i].shape, 0, lin.inLeaves[i].dtype));
  const tree = unflatten<unknown[]>(lin.inDef, grads);
  const g = typeof options.argnums === "object" ? tree : tree[0];
  return [y, g, lin.aux];
}

/**
 * The gradient of a scalar-valued function, as a function.
 *
 * @example The seed
 * ```ts
 * import { type Array, grad, np } from "@nabla/ad";
 * import { equal } from "node:assert/strict";
 *
 * equal(grad(np.square)(0.5).item(), 1);
 * const f = (x: Array) => np.add(np.square(x), np.log(x));
 * equal(grad(f)(0.1).item(), 10.2);
 * ```
 *
 * @example Holomorphic functions: the complex derivative, as JAX's `holomorphic=True`
 * ```ts
 * import { grad, np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * // d/dz z² = 2z at 1+2j
 * deepEqual(grad(np.square, { holomorphic: true })(np.complex(1, 2)).item(), { re: 2, im: 4 });
 * ```
 *
 * @param f A function returning a scalar (0-d array or number).
 * @param options `argnums` (a number, or an array: then a tuple of gradients), `hasAux` and
 *   `holomorphic` (complex inputs and output; the result is `f'(z)`, not conjugated).
 * @returns A function with `f`'s arguments returning the gradient (with the
 *   structure of the differentiated argument), or `[gradient, aux]` with `hasAux`.
 */
export function grad(
  f: AnyFunction,
  options: GradOptions = {},
): AnyFunction {
  checkOptions("grad", options, ["argnums", "hasAux", "holomorphic"]);
  return (...args: unknown[]) => {
    const [, g, aux] = gradImpl("grad", f, options, args);
    return options.hasAux ? [g, aux] : g;
  };
}

/**
 * Like {@linkcode grad}, but also returns the value: `[value, gradient]`, or
 * `[[value, aux], gradient]` with `hasAux`.
 *
 * @example Value and gradient together
 * ```ts
 * import { np, valueAndGrad } from "@nabla/ad";
 * import { equal } from "node:assert/strict";
 *
 * const [y, g] = valueAndGrad(np.square)(3);
 * equal(y.item(), 9);
 * equal(g.item(), 6);
 * ```
 *
 * @param f A function returning a scalar.
 * @param options `argnums`, `hasAux` and `holomorphic` (as {@linkcode grad}).
 * @returns A function returning `[value, gradient]`.
 */
export function valueAndGrad(
  f: AnyFunction,
  options: GradOptions = {},
  // deno-lint-ignore no-explicit-any
): (...args: any[]) => [any, any] {
  checkOptions("valueAndGrad", options, ["argnums", "hasAux", "holomorphic"]);
  return (...args: unknown[]) => {
    const [y, g, aux] = gradImpl("valueAndGrad", f, options, args);
    return [options.hasAux ? [y, aux] : y, g];
  };
}
