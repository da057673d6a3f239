/**
 * Jacobians and Hessians, derived from the transformations:
 *
 * - `jacfwd f = vmap (jvp f) over a basis of input tangents`
 * - `jacrev f = vmap (pullback of f) over a basis of output cotangents`
 * - `hessian f = jacfwd (jacrev f)`
 *
 * For an output leaf of shape `O` and an input leaf of shape `I`, the
 * Jacobian block has shape `O ++ I`. With tree inputs each output leaf holds
 * a tree like the input; with an `argnums` array, a tuple over the arguments.
 *
 * @module
 */

import type { NdArray } from "../array/array.ts";
import { isComplex, isFloat } from "../array/dtype.ts";

import { filled } from "../array/create.ts";
import { reshape, slice } from "../primitives/structural.ts";
import { moveAxis } from "../primitives/rules.ts";
import { flatten, unflatten } from "../tree.ts";
import {
  type AnyFunction,
  checkInputDTypes,
  checkOutputDType,
  diffArgs,
  leafToArray,
} from "./common.ts";
import { jvp } from "./jvp.ts";
import { vjp } from "./vjp.ts";
import { vmap } from "./vmap.ts";
import { storageOf } from "../array/array.ts";
import { checkOptions } from "../core/options.ts";

/** Options of the Jacobian functions. */
export interface JacobianOptions {
  /** Which positional argument(s) to differentiate with respect to (default 0). */
  argnums?: number | readonly number[];
  /**
   * `f` is holomorphic (JAX's `holomorphic=True`): inputs and outputs are
   * complex and the Jacobian holds the complex derivatives `∂f_i/∂z_j`.
   */
  holomorphic?: boolean;
}

/** A stacked identity basis for the given leaves: leaf i gets shape `[total, ...shape_i]`. */
function basis(leaves: readonly NdArray[]): NdArray[] {
  const total = leaves.reduce((n, x) => n + x.size, 0);
  let offset = 0;
  return leaves.map((x) => {
    // a complex leaf (holomorphic) gets the basis 1+0j: its storage interleaves re, im
    const dtype = isFloat(x.dtype) || isComplex(x.dtype) ? x.dtype : "float64";
    const step = isComplex(dtype) ? 2 : 1;
    const b = filled([total, x.size], 0, dtype);
    for (let i = 0; i < x.size; i++) storageOf(b)[((offset + i) * x.size + i) * step] = 1;
    offset += x.size;
    return reshape(b, [total, ...x.shape]);
  });
}

/** Splits axis `axis` of `y` into consecutive blocks of the given sizes. */
function splitAxis(y: NdArray, axis: number, sizes: readonly number[]): NdArray[] {
  let start = 0;
  return sizes.map((n) => {
    const starts = y.shape.map((_, i) => (i === axis ? start : 0));
    const limits = y.shape.map((d, i) => (i === axis ? start + n : d));
    start += n;
    return slice(y, { starts, limits, strides: y.shape.map(() => 1) });
  });
}

interface Selected {
  argnums: number[];
  /** The arguments being differentiated, as one tree per argnum. */
  selected: unknown[];
  call: (...sel: unknown[]) => unknown;
  inLeaves: NdArray[];
  inDef: ReturnType<typeof flatten>[1];
}

function select(
  name: string,
  f: AnyFunction,
  options: JacobianOptions,
  args: unknown[],
): Selected {
  const { argnums, selected, partial: call } = diffArgs(name, f, options.argnums ?? 0, args);
  checkInputDTypes(name, selected, options.holomorphic === true, name === "jacfwd");
  const [leaves, inDef] = flatten(selected);
  const inLeaves = leaves.map((l) => leafToArray(l, `${name} inputs`));
  return { argnums, selected: unflatten(inDef, inLeaves), call, inLeaves, inDef };
}

/** Assembles blocks[outLeaf][inLeaf] into the output tree of input trees (tuple over argnums if an array). */
function assemble(
  blocks: NdArray[][],
  outDef: ReturnType<typeof flatten>[1],
  s: Selected,
  options: JacobianOptions,
): unknown {
  const perOut = blocks.map((row) => {
    const inTree = unflatten<unknown[]>(s.inDef, row);
    return typeof options.argnums === "object" ? inTree : inTree[0];
  });
  return unflatten(outDef, perOut);
}

/**
 * The Jacobian by forward mode (one JVP per input element, vectorised).
 *
 * @example Jacobian of an elementwise square
 * ```ts
 * import { jacfwd, np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(jacfwd(np.square)(np.array([1, 2])).tolist(), [[2, 0], [0, 4]]);
 * ```
 *
 * @example A holomorphic Jacobian (complex derivatives)
 * ```ts
 * import { jacfwd, np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * const z = np.complex(np.array([1, 0]), np.array([1, 2]));
 * const J = jacfwd(np.square, { holomorphic: true })(z);
 * deepEqual(J.tolist(), [[{ re: 2, im: 2 }, { re: 0, im: 0 }], [{ re: 0, im: 0 }, { re: 0, im: 4 }]]);
 * ```
 *
 * @param f The function.
 * @param options `argnums`; `holomorphic` (complex inputs and outputs, complex derivatives;
 *   without it the inputs must be real, as JAX).
 * @returns A function computing the Jacobian, shaped `out.shape ++ in.shape`.
 */
export function jacfwd(
  f: AnyFunction,
  options: JacobianOptions = {},
): AnyFunction {
  checkOptions("jacfwd", options, ["argnums", "holomorphic"]);
  return (...args: unknown[]) => {
    const s = select("jacfwd", f, options, args);
    const sizes = s.inLeaves.map((x) => x.size);
    const pushforward = (...ts: NdArray[]) =>
      jvp(s.call, s.selected, unflatten<unknown[]>(s.inDef, ts))[1];
    // Each output leaf of the batched JVP has shape [total, ...O].
    const outs = vmap(pushforward)(...basis(s.inLeaves));
    const [outLeaves, outDef] = flatten<NdArray>(outs);
    const blocks = outLeaves.map((y) => {
      const yy = leafToArray(y, "jacfwd outputs");
      if (options.holomorphic) checkOutputDType("jacfwd", yy.dtype, true);
      const parts = splitAxis(yy, 0, sizes);
      return parts.map((p, j) => {
        const moved = moveAxis(p, 0, p.ndim - 1); // [...O, n_j]
        return reshape(moved, [...moved.shape.slice(0, -1), ...s.inLeaves[j].shape]);
      });
    });
    return assemble(blocks, outDef, s, options);
  };
}

/**
 * The Jacobian by reverse mode (one pullback per output element, vectorised).
 *
 * @example Jacobian of a sum of squares
 * ```ts
 * import { type Array, jacrev, np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * const f = (x: Array) => np.sum(np.square(x));
 * deepEqual(jacrev(f)(np.array([1, 2])).tolist(), [2, 4]);
 * ```
 *
 * @example A holomorphic Jacobian by reverse mode
 * ```ts
 * import { jacrev, np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * const z = np.complex(np.array([1]), np.array([1]));
 * deepEqual(jacrev(np.square, { holomorphic: true })(z).tolist(), [[{ re: 2, im: 2 }]]);
 * ```
 *
 * @param f The function.
 * @param options `argnums`; `holomorphic` (complex inputs and outputs, complex derivatives;
 *   without it the outputs must be real, as JAX).
 * @returns A function computing the Jacobian, shaped `out.shape ++ in.shape`.
 */
export function jacrev(
  f: AnyFunction,
  options: JacobianOptions = {},
): AnyFunction {
  checkOptions("jacrev", options, ["argnums", "holomorphic"]);
  return (...args: unknown[]) => {
    const s = select("jacrev", f, options, args);
    const [out, pullback] = vjp(s.call, s.selected);
    const [outLeaves, outDef] = flatten<NdArray>(out);
    for (const y of outLeaves) checkOutputDType("jacrev", y.dtype, options.holomorphic === true);
    const sizes = outLeaves.map((y) => y.size);
    // Each input leaf of the batched pullback has shape [total, ...I].
    const cts = vmap((...cs: NdArray[]) => pullback(unflatten(outDef, cs)))(...basis(outLeaves));
    const inParts = flatten<NdArray>(cts)[0].map((g) => splitAxis(g, 0, sizes));
    const blocks = outLeaves.map((y, i) =>
      s.inLeaves.map((x, j) => reshape(inParts[j][i], [...y.shape, ...x.shape]))
    );
    return assemble(blocks, outDef, s, options);
  };
}

/**
 * The Hessian: `jacfwd(jacrev(f))`, shaped `in.shape ++ in.shape` for a scalar `f`.
 *
 * @example Hessian of a quadratic form
 * ```ts
 * import { type Array, hessian, np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * const f = (x: Array) => np.sum(np.multiply(np.array([1, 3]), np.square(x)));
 * deepEqual(hessian(f)(np.array([5, 7])).tolist(), [[2, 0], [0, 6]]);
 * ```
 *
 * @param f A scalar-valued function.
 * @param options `argnums`; `holomorphic` (as {@linkcode jacfwd}).
 * @returns A function computing the Hessian.
 */
export function hessian(
  f: AnyFunction,
  options: JacobianOptions = {},
): AnyFunction {
  checkOptions("hessian", options, ["argnums", "holomorphic"]);
  return jacfwd(jacrev(f, options), options);
}
