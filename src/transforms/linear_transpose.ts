/**
 * `linearTranspose` (`jax.linear_transpose`): the transpose of a linear
 * function, `f : a ⊸ b` ↦ `fᵀ : T b ⊸ T a`, with `⟨fᵀ(c), x⟩ = ⟨c, f(x)⟩`.
 *
 * `f` is traced once on abstract inputs (shape and dtype only, as JAX
 * does): the inputs are variables of a {@linkcode Recorder}, so every
 * operation on them is recorded as an equation of a linear program, which
 * `vjp.ts`'s backward pass runs with the primitives' `transpose` rules.
 * Applying an operation with no transpose rule (`sin`, `exp`, a comparison)
 * to a value that depends on the inputs, or a bilinear one (`mul`,
 * `dot_general`, convolution) to two such values, or dividing by one, means
 * `f` is not linear: a `TypeError` says so when `linearTranspose` is called
 * (for a `jit`-compiled part of `f`, whose body is transposed by its own
 * rules, when the transpose is called, as in JAX). Constants `f` adds (an
 * affine `f`) are dropped, as in JAX.
 *
 * @module
 */

import type { NdArray } from "../array/array.ts";
import { filled } from "../array/create.ts";
import { type DType, isInexact } from "../array/dtype.ts";
import { ShapeError, shapesEqual, showShape } from "../array/shape.ts";
import type { Aval, Primitive } from "../core/primitive.ts";
import { convert } from "../primitives/elementwise.ts";
import { flatten, unflatten } from "../tree.ts";
import { type AnyFunction, describe, flattenOutput, leafToArray, runUnder } from "./common.ts";
import { ShapeDtype } from "./eval_shape.ts";
import { LinearProgram, LinearVar, Recorder } from "./linearize.ts";
import { transposeProgram } from "./vjp.ts";

/**
 * The inputs in which each multilinear (or partly linear) primitive is
 * linear: `"one"` for "in any one of them, but not in two at once" (a
 * product), or the positions it is linear in (jointly). Primitives not listed
 * here that have a transpose rule are linear in all their float inputs
 * jointly (`add`, `concatenate`, `complex`, ...).
 */
const LINEAR_IN: Readonly<Record<string, "one" | readonly number[]>> = {
  mul: "one",
  dot_general: "one",
  conv_general_dilated: "one",
  div: [0],
  triangular_solve: [1],
  select: [1, 2],
  select_and_gather_add: [0],
  select_and_scatter_add: [0],
};

/** The messages of transpose rules that meet an operation that is not linear. */
const NOT_LINEAR = /has no transpose rule|is not linear in|is linear in its .* only/;

function notLinear(why: string): TypeError {
  return new TypeError(`linearTranspose: the function is not linear in its inputs: ${why}`);
}

/** A recorder that refuses operations that are not linear in the recorded inputs. */
class TransposeRecorder extends Recorder {
  override process<P>(prim: Primitive<P>, args: readonly NdArray[], params: P): NdArray {
    if (this.hasOwnTracer(args)) {
      if (prim.transpose === undefined) {
        throw notLinear(
          `it applies '${prim.name}', which is not a linear primitive, to a value that depends on them`,
        );
      }
      const lin = LINEAR_IN[prim.name];
      if (lin !== undefined) {
        const own = args.flatMap((a, i) => a instanceof LinearVar && a.handler === this ? [i] : []);
        if (lin === "one" ? own.length > 1 : own.some((i) => !lin.includes(i))) {
          throw notLinear(
            lin === "one"
              ? `it applies '${prim.name}' to two values that depend on them (a product is linear in one factor at a time)`
              : `'${prim.name}' is linear only in its operand${lin.length > 1 ? "s" : ""} ${
                lin.join(" and ")
              }, and operand ${own.find((i) => !lin.includes(i))} depends on the inputs`,
          );
        }
      }
    }
    return super.process(prim, args, params);
  }
}

/** The shape and dtype of a primal leaf: an array, a number or a {@linkcode ShapeDtype}. */
function avalOf(leaf: unknown, i: number): Aval {
  const a: Aval = leaf instanceof ShapeDtype
    ? { shape: leaf.shape, dtype: leaf.dtype }
    : leafToArray(leaf, "linearTranspose primals");
  if (!isInexact(a.dtype)) {
    throw new TypeError(
      `linearTranspose: primals must be float or complex (a linear map of integers has no transpose here): leaf ${i} has dtype ${a.dtype}`,
    );
  }
  return a;
}

/**
 * The transpose of a linear function, as `jax.linear_transpose`: traces `f`
 * once on inputs with the shapes and dtypes of `primals` (their values are
 * not read; {@linkcode ShapeDtype}s do) and returns the function mapping a
 * cotangent of `f`'s output (a tree like the output) to the list of
 * cotangents of its arguments, one per primal. The transpose is again
 * linear: it can be differentiated, batched, jitted and transposed.
 *
 * @example The transpose of a matrix product, and of a sum of rows
 * ```ts
 * import { type Array, linearTranspose, np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * const A = np.array([[1, 2, 3], [4, 5, 6]]);
 * const fT = linearTranspose((x: Array) => np.matmul(A, x), np.zeros([3]));
 * const [ct] = fT(np.array([1, 10]));
 * deepEqual(ct.tolist(), [41, 52, 63]); // Aᵀ [1, 10]
 *
 * const rowsT = linearTranspose((x: Array, y: Array) => np.add(np.sum(x, 0), y), A, np.zeros([3]));
 * const [dx, dy] = rowsT(np.array([1, 2, 3]));
 * deepEqual([dx.tolist(), dy.tolist()], [[[1, 2, 3], [1, 2, 3]], [1, 2, 3]]);
 * ```
 *
 * @param f A function linear in its arguments (trees of float arrays).
 * @param primals One tree per argument of `f`, of arrays, numbers or `ShapeDtype`s.
 * @returns `fT(cotangent)`, returning one cotangent tree per argument.
 */
export function linearTranspose(
  f: AnyFunction,
  ...primals: unknown[]
  // deno-lint-ignore no-explicit-any
): (cotangent: any) => any[] {
  if (typeof f !== "function") {
    throw new TypeError(`linearTranspose: f must be a function: got ${describe(f)}`);
  }
  const [pLeaves, inDef] = flatten(primals);
  const avals = pLeaves.map(avalOf);
  const rec = new TransposeRecorder("linearTranspose");
  const vars = avals.map((a) => rec.newVar(a));
  const out = runUnder(rec, () => f(...unflatten<unknown[]>(inDef, vars)));
  const [outLeaves, outDef] = flattenOutput(out, "linearTranspose");
  outLeaves.forEach((y, i) => {
    if (!isInexact(y.dtype)) {
      throw new TypeError(
        `linearTranspose: outputs must be float or complex: output leaf ${i} has dtype ${y.dtype}`,
      );
    }
  });
  const outAvals: Aval[] = outLeaves.map((y) => ({ shape: y.shape, dtype: y.dtype }));
  const program = new LinearProgram(rec, vars, outLeaves);
  return (cotangent: unknown) => {
    const [ctLeaves, ctDef] = flatten(cotangent);
    if (!ctDef.equals(outDef)) {
      throw new ShapeError(
        `linearTranspose: the cotangent must have the structure of the output ${outDef}: got ${ctDef}`,
        { op: "linearTranspose" },
      );
    }
    const cts = ctLeaves.map((c, i) => {
      const want = outAvals[i];
      const ct = leafToArray(c, "Cotangents");
      if (!shapesEqual(ct.shape, want.shape)) {
        throw new ShapeError(
          `linearTranspose: cotangent shape ${showShape(ct.shape)} does not match output shape ${
            showShape(want.shape)
          } (leaf ${i})`,
          { op: "linearTranspose", shapes: [ct.shape, want.shape] },
        );
      }
      return ct.dtype === want.dtype ? ct : convert(ct, castable(ct.dtype, want.dtype, i));
    });
    let res: (NdArray | null)[];
    try {
      res = transposeProgram(program, cts);
    } catch (e) {
      // A staged call (a jit-compiled part of f) is transposed only now, by its own rules.
      if (e instanceof TypeError && !(e instanceof ShapeError) && NOT_LINEAR.test(e.message)) {
        throw notLinear(e.message);
      }
      throw e;
    }
    return unflatten<unknown[]>(
      inDef,
      res.map((g, i) => g ?? filled(avals[i].shape, 0, avals[i].dtype)),
    );
  };
}

/** The output dtype, when a cotangent of dtype `from` may stand for it (real for complex, not the reverse). */
function castable(from: DType, to: DType, i: number): DType {
  if (from.startsWith("complex") && !to.startsWith("complex")) {
    throw new TypeError(
      `linearTranspose: cotangent leaf ${i} is ${from} but the output is ${to}`,
    );
  }
  return to;
}
