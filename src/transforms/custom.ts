/**
 * Functions with their own differentiation rules, and rematerialisation:
 *
 * - `customJvp(f).defjvp(rule)` — `rule(primals, tangents) ↦ [out, tangentOut]`
 *   replaces differentiating `f`'s body, in forward and reverse mode, at any
 *   nesting depth (the rule is itself differentiated for higher orders).
 * - `customVjp(f).defvjp(fwd, bwd)` — `fwd(...args) ↦ [out, residuals]`,
 *   `bwd(residuals, cotangent) ↦ [one cotangent per argument]`; reverse mode
 *   only, as in JAX.
 * - `checkpoint(f)` — the reverse pass recomputes `f` instead of keeping its
 *   intermediates.
 *
 * Each call is performed as one operation (`bindCustom`), which every handler
 * interprets: eval runs `f`, jvp runs the rule, vmap batches `f` and the rule
 * together, reverse mode records `bwd`.
 *
 * @module
 */

import { ShapeError } from "../array/shape.ts";
import type { NdArray } from "../array/array.ts";
import { bind, bindCustom, Tracer } from "../core/handler.ts";
import type { CustomCall } from "../core/primitive.ts";
import { filled } from "../array/create.ts";
import { add, stopGradientP } from "../primitives/elementwise.ts";
import { flatten, type TreeDef, unflatten } from "../tree.ts";
import { type AnyFunction, leafToArray } from "./common.ts";
import { vjp } from "./vjp.ts";
import { checkOptions } from "../core/options.ts";

/** Options of {@linkcode customJvp} and {@linkcode customVjp}. */
export interface CustomOptions {
  /** Positions of arguments that are not differentiated (static values passed through as they are). */
  nondiffArgnums?: readonly number[];
}

/** Splits a call's arguments into static ones and differentiable trees, and rebuilds them. */
class ArgSplit {
  readonly nondiff: unknown[];
  readonly leaves: NdArray[];
  readonly def: TreeDef;
  readonly args: readonly unknown[];
  readonly nondiffArgnums: readonly number[];
  constructor(args: readonly unknown[], nondiffArgnums: readonly number[], name: string) {
    this.args = args;
    this.nondiffArgnums = nondiffArgnums;
    const n = args.length;
    for (const i of nondiffArgnums) {
      if (!Number.isInteger(i) || i < 0 || i >= n) {
        throw new RangeError(
          `${name}: nondiffArgnums entry ${i} is out of range for ${n} arguments`,
        );
      }
    }
    this.nondiff = nondiffArgnums.map((i) => args[i]);
    const diff = args.filter((_, i) => !nondiffArgnums.includes(i));
    const [leaves, def] = flatten(diff);
    this.leaves = leaves.map((l) => leafToArray(l, `Differentiable arguments of ${name}`));
    this.def = def;
  }
  /** The differentiable arguments rebuilt from leaves. */
  diff(leaves: readonly NdArray[]): unknown[] {
    return unflatten<unknown[]>(this.def, leaves);
  }
  /** All arguments, in call order, with the differentiable ones rebuilt from leaves. */
  all(leaves: readonly NdArray[]): unknown[] {
    const diff = this.diff(leaves);
    let k = 0;
    return this.args.map((a, i) => (this.nondiffArgnums.includes(i) ? a : diff[k++]));
  }
}

/** Remembers the output structure of whichever flat function ran. */
class OutTree {
  def: TreeDef | null = null;
  flat(out: unknown, name: string): NdArray[] {
    const [leaves, def] = flatten(out);
    if (this.def !== null && !this.def.equals(def)) {
      throw new ShapeError(`${name}: the output structure ${def} differs from ${this.def}`, {
        op: name,
      });
    }
    this.def = def;
    return leaves.map((l) => leafToArray(l, `Outputs of ${name}`));
  }
  build(leaves: readonly NdArray[]): unknown {
    return unflatten(this.def!, leaves);
  }
}

/** One argument's part of a JVP rule for {@linkcode CustomJvpFunction.defjvps}: `(t, out, ...args) ↦ tangent`. */
// deno-lint-ignore no-explicit-any
export type JvpPart = (t: any, out: any, ...args: any[]) => unknown;

/** A function with a custom JVP rule; call it like the original. */
export interface CustomJvpFunction<F extends AnyFunction> {
  /** Calls the function. */
  (...args: Parameters<F>): ReturnType<F>;
  /**
   * Sets the JVP rule: `rule(primals, tangents)` gets the differentiable
   * arguments and their tangents as arrays (after any `nondiffArgnums`
   * arguments, which come first) and returns `[output, outputTangent]`.
   */
  // deno-lint-ignore no-explicit-any
  defjvp(rule: (...args: any[]) => [unknown, unknown]): CustomJvpFunction<F>;
  /**
   * Sets the rule one argument at a time (JAX's `defjvps`): `jvps[i](t, out,
   * ...args)` is the output tangent's part due to argument `i`, given its
   * tangent `t`; `null` for an argument with no effect. Array outputs only.
   */
  defjvps(...jvps: (JvpPart | null)[]): CustomJvpFunction<F>;
}

/**
 * Gives `f` a custom JVP rule (JAX's `custom_jvp`), used by `jvp`, `grad`,
 * `vjp`, `jacfwd`, `jacrev` and `hessian` at any depth; the rule is itself
 * differentiated for higher orders, and `vmap` batches `f` and the rule.
 *
 * @example A numerically stable softplus
 * ```ts
 * import { type Array, customJvp, grad, np } from "@nabla/ad";
 * import { equal } from "node:assert/strict";
 *
 * // softplus(x) = log(1 + eˣ); its derivative is the logistic function.
 * const softplus = customJvp((x: Array) => np.logaddexp(x, 0));
 * softplus.defjvp(([x]: Array[], [t]: Array[]) => [
 *   softplus(x),
 *   np.multiply(t, np.divide(1, np.add(1, np.exp(np.negative(x))))),
 * ]);
 * equal(grad(softplus)(1000).item(), 1);
 * equal(grad(softplus)(0).item(), 0.5);
 *
 * // One rule per argument, as JAX's defjvps: d(x·y) = y dx + x dy.
 * const times = customJvp((x: Array, y: Array) => np.multiply(x, y));
 * times.defjvps(
 *   (t: Array, _out: Array, _x: Array, y: Array) => np.multiply(t, y),
 *   (t: Array, _out: Array, x: Array) => np.multiply(x, t),
 * );
 * equal(grad(times, { argnums: 1 })(3, 4).item(), 3);
 * ```
 *
 * @param f The function.
 * @param options `nondiffArgnums`.
 * @returns The function with a `defjvp` method to set its rule.
 */
export function customJvp<F extends AnyFunction>(
  f: F,
  options: CustomOptions = {},
): CustomJvpFunction<F> {
  checkOptions("customJvp", options, ["nondiffArgnums"]);
  const name = f.name || "customJvp function";
  const nondiffArgnums = options.nondiffArgnums ?? [];
  // deno-lint-ignore no-explicit-any
  let rule: ((...args: any[]) => [unknown, unknown]) | null = null;
  const wrapped = ((...args: unknown[]) => {
    if (rule === null) {
      throw new TypeError(`${name} has no JVP rule: call its defjvp(rule) before calling it`);
    }
    const r = rule;
    // traced nondiff arguments are not differentiated: their gradient is stopped, as in JAX
    const split = new ArgSplit(
      nondiffArgnums.length === 0
        ? args
        : args.map((a, i) =>
          a instanceof Tracer && nondiffArgnums.includes(i)
            ? bind(stopGradientP, [a], undefined)
            : a
        ),
      nondiffArgnums,
      name,
    );
    const out = new OutTree();
    const call: CustomCall = {
      kind: "custom_jvp",
      name,
      f: (leaves) => out.flat(f(...split.all(leaves)), name),
      jvp: (primals, tangents) => {
        const result = r(...split.nondiff, split.diff(primals), split.diff(tangents));
        if (!globalThis.Array.isArray(result) || result.length !== 2) {
          throw new TypeError(`The JVP rule of ${name} must return a pair [output, outputTangent]`);
        }
        const outs = out.flat(result[0], name);
        const [tLeaves, tDef] = flatten(result[1]);
        if (!tDef.equals(out.def!)) {
          throw new ShapeError(
            `The JVP rule of ${name} returned a tangent of structure ${tDef} for an output of structure ${out.def}`,
            { op: "customJvp" },
          );
        }
        return [
          outs,
          tLeaves.map((
            t,
            i,
          ) => (t === null ? filled(outs[i].shape, 0, outs[i].dtype) : leafToArray(t, "Tangents"))),
        ];
      },
    };
    return out.build(bindCustom(call, split.leaves));
  }) as unknown as CustomJvpFunction<F>;
  wrapped.defjvp = (r) => {
    rule = r;
    return wrapped;
  };
  wrapped.defjvps = (...jvps) => {
    if (nondiffArgnums.length > 0) {
      throw new TypeError(`${name}: defjvps does not support nondiffArgnums; use defjvp`);
    }
    return wrapped.defjvp((primals: unknown[], tangents: unknown[]) => {
      const out = (wrapped as AnyFunction)(...primals) as NdArray;
      let t: NdArray | null = null;
      jvps.forEach((g, i) => {
        if (g === null || g === undefined) return;
        const part = leafToArray(g(tangents[i], out, ...primals), "Tangents");
        t = t === null ? part : add(t, part);
      });
      return [out, t ?? filled(out.shape, 0, out.dtype)];
    });
  };
  return wrapped;
}

/** A function with a custom VJP; call it like the original. */
export interface CustomVjpFunction<F extends AnyFunction> {
  /** Calls the function. */
  (...args: Parameters<F>): ReturnType<F>;
  /**
   * Sets the rule: `fwd(...args)` returns `[output, residuals]`;
   * `bwd(residuals, outputCotangent)` (after any `nondiffArgnums` arguments)
   * returns one cotangent per differentiable argument (`null` for zero).
   */
  defvjp(
    // deno-lint-ignore no-explicit-any
    fwd: (...args: any[]) => [unknown, unknown],
    // deno-lint-ignore no-explicit-any
    bwd: (...args: any[]) => unknown[],
  ): CustomVjpFunction<F>;
}

/**
 * Gives `f` a custom VJP (JAX's `custom_vjp`), used by `grad`, `vjp` and
 * `jacrev` at any depth and batched by `vmap`. Forward mode (`jvp`,
 * `jacfwd`) through it is an error, as in JAX.
 *
 * @example Clipping a gradient
 * ```ts
 * import { type Array, customVjp, grad, np } from "@nabla/ad";
 * import { equal } from "node:assert/strict";
 *
 * // The identity, whose backward pass clips the cotangent to [-1, 1].
 * const clipGradient = customVjp((x: Array) => x);
 * clipGradient.defvjp(
 *   (x: Array) => [x, null],
 *   (_res: null, g: Array) => [np.clip(g, -1, 1)],
 * );
 * equal(grad((x: Array) => np.multiply(clipGradient(x), 5))(2).item(), 1);
 * ```
 *
 * @param f The function.
 * @param options `nondiffArgnums`.
 * @returns The function with a `defvjp` method to set its rule.
 */
export function customVjp<F extends AnyFunction>(
  f: F,
  options: CustomOptions = {},
): CustomVjpFunction<F> {
  checkOptions("customVjp", options, ["nondiffArgnums"]);
  const name = f.name || "customVjp function";
  const nondiffArgnums = options.nondiffArgnums ?? [];
  // deno-lint-ignore no-explicit-any
  let fwdRule: ((...args: any[]) => [unknown, unknown]) | null = null;
  // deno-lint-ignore no-explicit-any
  let bwdRule: ((...args: any[]) => unknown[]) | null = null;
  const wrapped = ((...args: unknown[]) => {
    if (fwdRule === null || bwdRule === null) {
      throw new TypeError(`${name} has no VJP rule: call its defvjp(fwd, bwd) before calling it`);
    }
    const fwd = fwdRule, bwd = bwdRule;
    const split = new ArgSplit(args, nondiffArgnums, name);
    const out = new OutTree();
    let resDef: TreeDef | null = null;
    const call: CustomCall = {
      kind: "custom_vjp",
      name,
      forwardMode: "error",
      f: (leaves) => out.flat(f(...split.all(leaves)), name),
      fwd: (leaves) => {
        const result = fwd(...split.all(leaves));
        if (!globalThis.Array.isArray(result) || result.length !== 2) {
          throw new TypeError(`The forward rule of ${name} must return a pair [output, residuals]`);
        }
        const [res, def] = flatten(result[1]);
        resDef = def;
        return [out.flat(result[0], name), res.map((r) => leafToArray(r, `Residuals of ${name}`))];
      },
      bwd: (res, cts) => {
        const g = bwd(...split.nondiff, unflatten(resDef!, res), out.build(cts));
        const ndiff = args.length - nondiffArgnums.length;
        if (!globalThis.Array.isArray(g) || g.length !== ndiff) {
          throw new TypeError(
            `The backward rule of ${name} must return an array with one cotangent per differentiable argument (${ndiff})`,
          );
        }
        const leaves: NdArray[] = [];
        const diffArgs = split.diff(split.leaves);
        g.forEach((gi, k) => {
          const [argLeaves] = flatten<NdArray>(diffArgs[k]);
          if (gi === null || gi === undefined) {
            for (const a of argLeaves) leaves.push(filled(a.shape, 0, a.dtype));
            return;
          }
          const [gl, gdef] = flatten(gi);
          const argDef = flatten(diffArgs[k])[1];
          if (!gdef.equals(argDef)) {
            throw new ShapeError(
              `The backward rule of ${name} returned a cotangent of structure ${gdef} for argument ${k}, which has structure ${argDef}`,
              { op: "customVjp" },
            );
          }
          for (const l of gl) leaves.push(leafToArray(l, "Cotangents"));
        });
        return leaves;
      },
    };
    return out.build(bindCustom(call, split.leaves));
  }) as unknown as CustomVjpFunction<F>;
  wrapped.defvjp = (fwd, bwd) => {
    fwdRule = fwd;
    bwdRule = bwd;
    return wrapped;
  };
  return wrapped;
}

/**
 * Rematerialisation (JAX's `checkpoint`/`remat`): under reverse mode, `f`'s
 * intermediates are not kept for the backward pass; `f` is run again there
 * from its inputs. Values and derivatives are unchanged; memory falls, work
 * rises. Forward mode and `vmap` see `f` itself.
 *
 * @example Same gradient, recomputed
 * ```ts
 * import { type Array, checkpoint, grad, np } from "@nabla/ad";
 * import { equal } from "node:assert/strict";
 *
 * const g = checkpoint((x: Array) => np.sin(np.sin(x)));
 * equal(grad(g)(0.5).item(), grad((x: Array) => np.sin(np.sin(x)))(0.5).item());
 * ```
 *
 * @param f The function.
 * @returns A function with the same values and derivatives.
 */
export function checkpoint<F extends AnyFunction>(f: F): F {
  const name = f.name || "checkpoint function";
  return ((...args: unknown[]) => {
    const split = new ArgSplit(args, [], name);
    const out = new OutTree();
    const flatF = (leaves: readonly NdArray[]) => out.flat(f(...split.all(leaves)), name);
    const call: CustomCall = {
      kind: "custom_vjp",
      name,
      forwardMode: "inline",
      f: flatF,
      fwd: (leaves) => [flatF(leaves), leaves.slice()],
      bwd: (res, cts) => {
        const [, pullback] = vjp((...xs: NdArray[]) => flatF(xs), res as NdArray[]);
        return pullback(cts as NdArray[]) as NdArray[];
      },
    };
    return out.build(bindCustom(call, split.leaves));
  }) as F;
}

/**
 * An alias of {@linkcode checkpoint}, as JAX's `remat`.
 *
 * @example The same function
 * ```ts
 * import { checkpoint, remat } from "@nabla/ad";
 * import { equal } from "node:assert/strict";
 *
 * equal(remat, checkpoint);
 * ```
 */
export const remat: typeof checkpoint = checkpoint;
