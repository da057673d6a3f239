/**
 * Structured control flow: `cond`, `switch`, `whileLoop`, `foriLoop`, `scan`
 * and `map`, with tree-valued operands and carries.
 *
 * nabla is eager, so these run as JavaScript control flow on concrete values
 * — which every transformation already follows (define-by-run) — and add
 * what plain JavaScript cannot do:
 *
 * - under `vmap`, a batched predicate or index evaluates every branch and
 *   selects per batch member; a batched loop condition runs until every
 *   member is done, freezing the finished ones;
 * - branch outputs and loop carries are checked to keep one structure,
 *   shape and dtype, with errors that name the mismatch;
 * - reverse-mode differentiation of `whileLoop` is refused, as in JAX
 *   (`foriLoop` with static bounds and `scan` support it).
 *
 * @module
 */

import type { NdArray } from "../array/array.ts";
import { filled, scalar } from "../array/create.ts";
import { ShapeError, showShape } from "../array/shape.ts";
import { bind, bindCall } from "../core/handler.ts";
import { ConcretizationError } from "../core/errors.ts";
import { batchAny, whileCarry } from "../primitives/control_flow.ts";
import {
  add,
  convert,
  eq,
  lt,
  maxP,
  minP,
  neP,
  select,
  stopGradientP,
} from "../primitives/elementwise.ts";
import { type DType, isInexact, scalarDType } from "../array/dtype.ts";
import { concatenate, reshape, slice } from "../primitives/structural.ts";
import { leafToArray } from "../transforms/common.ts";
import { evalShape, type ShapeDtype } from "../transforms/eval_shape.ts";
import { stagingActive, traceOpen } from "../transforms/jit.ts";
import { whileP } from "../transforms/staged_while.ts";
import { scanP } from "../transforms/staged_scan.ts";
import { condP } from "../transforms/staged_cond.ts";
import { Jaxpr, Var } from "../core/ir.ts";
import { ClosedJaxpr } from "../transforms/jit.ts";
import { flatten, type TreeDef, unflatten } from "../tree.ts";
import { checkOptions } from "../core/options.ts";

/** `x` as a boolean: `x != 0` unless it already is `bool` (NumPy's truth of a value). */
function truth(x: NdArray): NdArray {
  return x.dtype === "bool" ? x : bind(neP, [x, scalar(0, x.dtype)], undefined);
}

/** Row `i` of `x` along its leading axis. */
function row(x: NdArray, i: number): NdArray {
  const starts = x.shape.map((_, k) => (k === 0 ? i : 0));
  const limits = x.shape.map((d, k) => (k === 0 ? i + 1 : d));
  const strides = x.shape.map(() => 1);
  return reshape(slice(x, { starts, limits, strides }), x.shape.slice(1));
}

/** Stacks arrays of one shape and dtype along a new leading axis. */
function stackRows(xs: readonly NdArray[]): NdArray {
  return concatenate(xs.map((x) => reshape(x, [1, ...x.shape])), 0);
}

/** Reads a scalar's value, or `null` when it is batched by `vmap` (its members may differ). */
function concreteScalar(x: NdArray): number | null {
  try {
    return Number(x.item());
  } catch (e) {
    if (e instanceof ConcretizationError) return null;
    throw e;
  }
}

function checkScalar(x: NdArray, what: string): void {
  if (x.ndim !== 0) {
    throw new TypeError(`${what} must be a scalar: got shape ${showShape(x.shape)}`);
  }
}

interface Flat {
  leaves: NdArray[];
  def: TreeDef;
}

function flat(tree: unknown, what: string): Flat {
  const [leaves, def] = flatten(tree);
  return { leaves: leaves.map((l) => leafToArray(l, what)), def };
}

/** Throws unless two trees have the same structure, shapes and dtypes. */
function checkSameType(a: Flat, b: Flat, what: string, aName: string, bName: string): void {
  if (!a.def.equals(b.def)) {
    throw new ShapeError(`${what}: ${aName} has structure ${a.def} but ${bName} has ${b.def}`, {
      op: what,
    });
  }
  a.leaves.forEach((x, i) => {
    const y = b.leaves[i];
    if (x.dtype !== y.dtype || x.ndim !== y.ndim || x.shape.some((d, k) => d !== y.shape[k])) {
      throw new TypeError(
        `${what}: leaf ${i} of ${aName} is ${x.dtype}${
          showShape(x.shape)
        } but of ${bName} is ${y.dtype}${showShape(y.shape)}`,
      );
    }
  });
}

/**
 * JAX's promotion of a weakly typed initial carry: a JS number in the initial
 * carry takes the dtype the body gives it (`foriLoop(0, n, (i, c) => c + i, 0)`
 * carries int32), so the carry check compares against the promoted type.
 * Only the first step can promote; the flags are cleared after it.
 */
function promoteWeak(carry: Flat, next: Flat, weak: boolean[]): Flat {
  let out = carry;
  carry.leaves.forEach((x, i) => {
    const y = next.leaves[i];
    if (!weak[i] || y === undefined || x.dtype === y.dtype || x.ndim !== y.ndim) return;
    if (out === carry) out = { leaves: carry.leaves.slice(), def: carry.def };
    out.leaves[i] = convert(x, y.dtype);
  });
  weak.fill(false);
  return out;
}

/** Which leaves of a carry tree are JS numbers or booleans (weakly typed). */
function weakLeaves(tree: unknown): boolean[] {
  return flatten(tree)[0].map((l) => typeof l === "number" || typeof l === "boolean");
}

/**
 * The weak kinds of a carry's leaves for tracing a loop's body (JS numbers
 * and booleans as eager `np` sees them), while `weak` still flags them.
 */
function weakKinds(tree: unknown, weak: readonly boolean[]): (DType | null)[] {
  return flatten(tree)[0].map((l, i) =>
    weak[i] && (typeof l === "number" || typeof l === "boolean") ? scalarDType(l) : null
  );
}

/**
 * Checks that a branch not taken would return the same types as the taken
 * one, by abstract evaluation (no kernels run on the operands). A branch
 * that reads values cannot be evaluated abstractly and is not checked.
 */
function checkUntaken(
  g: (...xs: unknown[]) => unknown,
  operands: readonly unknown[],
  out: unknown,
  what: string,
  gName: string,
  outName: string,
): void {
  let shapes: unknown;
  try {
    shapes = evalShape(g, ...operands);
  } catch (e) {
    if (e instanceof ConcretizationError) return;
    throw e;
  }
  const [a, aDef] = flatten<ShapeDtype>(shapes);
  const taken = flat(out, "branch outputs");
  if (!aDef.equals(taken.def)) {
    throw new ShapeError(
      `${what}: ${gName} has structure ${aDef} but ${outName} has ${taken.def}`,
      { op: what },
    );
  }
  a.forEach((x, i) => {
    const y = taken.leaves[i];
    if (
      x.dtype !== y.dtype || x.shape.length !== y.ndim || x.shape.some((d, k) => d !== y.shape[k])
    ) {
      throw new TypeError(
        `${what}: leaf ${i} of ${gName} is ${x.dtype}${
          showShape(x.shape)
        } but of ${outName} is ${y.dtype}${showShape(y.shape)}`,
      );
    }
  });
}

/**
 * The operands a branch sees when every branch runs and the results are
 * selected (a batched or staged predicate): `select(taken, x, stopGradient(x))`
 * leafwise — the same values, but no cotangent reaches the operands through
 * members where the branch is not taken, so a branch that is not finite
 * there (`sqrt` of a negative) cannot poison gradients with NaN (JAX's guard,
 * jax#1052).
 */
function guardOperands(taken: NdArray, operands: readonly unknown[]): unknown[] {
  const [leaves, def] = flatten(operands);
  const guarded = leaves.map((l) => {
    if (typeof l === "number" || typeof l === "boolean") return l;
    const x = l as NdArray;
    if (!isInexact(x.dtype)) return x;
    return select(taken, x, bind(stopGradientP, [x], undefined));
  });
  return unflatten<unknown[]>(def, guarded);
}

/** Selects leafwise between trees by a (possibly batched) boolean scalar. */
function selectTree(pred: NdArray, onTrue: Flat, onFalse: Flat): unknown {
  const p = truth(pred);
  return unflatten(onTrue.def, onTrue.leaves.map((t, i) => select(p, t, onFalse.leaves[i])));
}

/**
 * Applies `trueFn` or `falseFn` to the operands according to `pred`. Both
 * branches must return trees of the same structure, shapes and dtypes. Under
 * `vmap` with a batched predicate both branches run and the results are
 * selected per batch member.
 *
 * @example Choosing a branch
 * ```ts
 * import { type Array, grad, lax, np } from "@nabla/ad";
 * import { equal } from "node:assert/strict";
 *
 * const f = (x: Array) => lax.cond(np.greater(x, 0), np.sin, np.cos, x);
 * equal(f(np.array(0.5)).item(), Math.sin(0.5));
 * equal(grad(f)(-0.5).item(), Math.sin(0.5));
 * ```
 *
 * @param pred A boolean scalar (JS boolean or 0-d array).
 * @param trueFn Called with the operands when `pred` is true.
 * @param falseFn Called with the operands when `pred` is false.
 * @param operands The arguments of the branches.
 * @returns The chosen branch's result.
 */
export function cond<R>(
  pred: NdArray | boolean | number,
  trueFn: (...operands: never[]) => R,
  falseFn: (...operands: never[]) => R,
  ...operands: unknown[]
): R {
  const p = leafToArray(pred, "cond predicate");
  checkScalar(p, "cond predicate");
  const raw = concreteScalar(p);
  // a value's truth, as JAX's bool(): NaN is true
  const value = raw === null ? null : raw !== 0;
  const t = trueFn as (...xs: unknown[]) => R, f = falseFn as (...xs: unknown[]) => R;
  if (value !== null) {
    const out = value ? t(...operands) : f(...operands);
    checkUntaken(
      value ? f : t,
      operands,
      out,
      "cond branches must return the same types",
      value ? "falseFn's output" : "trueFn's output",
      value ? "trueFn's output" : "falseFn's output",
    );
    return out;
  }
  if (stagingActive()) {
    // under jit: one cond operation (branches [falseFn, trueFn], index = the truth as int32)
    return stagedCond(
      convert(truth(p), "int32"),
      [f, t],
      operands,
      (k) => k === 0 ? "falseFn's output" : "trueFn's output",
      "cond",
    ) as R;
  }
  const taken = truth(p);
  const notTaken = bind(neP, [taken, scalar(1, "bool")], undefined);
  const a = flat(t(...guardOperands(taken, operands)), "cond branch outputs");
  const b = flat(f(...guardOperands(notTaken, operands)), "cond branch outputs");
  checkSameType(
    a,
    b,
    "cond branches must return the same types",
    "trueFn's output",
    "falseFn's output",
  );
  return selectTree(p, a, b) as R;
}

/**
 * Applies `branches[index]` to the operands; `index` is clamped to the valid
 * range, as in JAX. Under `vmap` with a batched index every branch runs and
 * the results are selected per batch member.
 *
 * @example Three branches
 * ```ts
 * import { lax, np } from "@nabla/ad";
 * import { equal } from "node:assert/strict";
 *
 * const branches = [np.sin, np.cos, np.negative];
 * equal(lax.switch(2, branches, 1).item(), -1);
 * equal(lax.switch(7, branches, 0).item(), -0); // clamped to the last branch
 * ```
 *
 * @param index An integer scalar.
 * @param branches The functions to choose from.
 * @param operands The arguments of the branches.
 * @returns The chosen branch's result.
 */
export function switch_<R>(
  index: NdArray | number,
  branches: readonly ((...operands: never[]) => R)[],
  ...operands: unknown[]
): R {
  if (branches.length === 0) throw new RangeError("switch needs at least one branch");
  const fs = branches as readonly ((...xs: unknown[]) => R)[];
  const i = leafToArray(index, "switch index");
  checkScalar(i, "switch index");
  if (i.dtype === "bool") {
    throw new TypeError("switch index must be an integer: got a bool");
  }
  const value = concreteScalar(i);
  // JS has no integer literals: an integral float (np.where(c, 1, 0)) is an index too
  if (value !== null && !Number.isInteger(value)) {
    throw new TypeError(`switch index must be an integer: got ${value}`);
  }
  const n = fs.length;
  if (value !== null) {
    const k = Math.min(Math.max(Math.trunc(value), 0), n - 1);
    const out = fs[k](...operands);
    fs.forEach((g, j) => {
      if (j !== k) {
        checkUntaken(
          g,
          operands,
          out,
          "switch branches must return the same types",
          `branch ${j}'s output`,
          `branch ${k}'s output`,
        );
      }
    });
    return out;
  }
  const idx = i.dtype === "int32" ? i : convert(i, "int32");
  const lo = bind(maxP, [idx, scalar(0, "int32")], undefined);
  const clamped = bind(minP, [lo, scalar(n - 1, "int32")], undefined);
  if (stagingActive()) {
    return stagedCond(clamped, fs, operands, (k) => `branch ${k}'s output`, "switch") as R;
  }
  const outs = fs.map((f, k) =>
    flat(
      f(...guardOperands(eq(clamped, scalar(k, "int32")), operands)),
      "switch branch outputs",
    )
  );
  outs.forEach((o, k) =>
    checkSameType(
      outs[0],
      o,
      "switch branches must return the same types",
      "branch 0's output",
      `branch ${k}'s output`,
    )
  );
  let result = outs[n - 1];
  for (let k = n - 2; k >= 0; k--) {
    result = flat(selectTree(eq(clamped, scalar(k, "int32")), outs[k], result), "switch outputs");
  }
  return unflatten(result.def, result.leaves) as R;
}

/**
 * `while (condFn(carry)) carry = bodyFn(carry)`, returning the final carry
 * (a tree). The body must keep the carry's structure, shapes and dtypes.
 * Forward mode and `vmap` work (a batched condition runs until every member
 * is done); reverse mode raises an error, as in JAX — use `foriLoop` with
 * static bounds or `scan`.
 *
 * @example Doubling until large
 * ```ts
 * import { type Array, jvp, lax, np } from "@nabla/ad";
 * import { equal } from "node:assert/strict";
 *
 * const f = (x: Array) => lax.whileLoop((c: Array) => np.less(c, 100), (c: Array) => np.multiply(c, 2), x);
 * equal(f(np.array(3)).item(), 192);
 * equal(jvp(f, [3], [1])[1].item(), 64);
 * ```
 *
 * @param condFn The loop condition: a boolean scalar from the carry.
 * @param bodyFn The loop body: a new carry from the carry.
 * @param init The initial carry.
 * @returns The final carry.
 */
export function whileLoop<C>(
  condFn: (carry: C) => NdArray | boolean,
  bodyFn: (carry: C) => C,
  init: C,
): C {
  if (stagingActive()) return stagedWhile(condFn, bodyFn, init);
  let carry = init;
  let carryFlat = flat(init, "whileLoop carry");
  const weak = weakLeaves(init);
  for (;;) {
    // reverse mode refuses the carry (the recorder throws on while_carry's tangent)
    for (const leaf of carryFlat.leaves) whileCarry(leaf);
    const p = leafToArray(condFn(carry), "whileLoop condition");
    checkScalar(p, "whileLoop condition");
    const value = concreteScalar(p);
    const batched = value === null; // members may differ: run until every one is done
    // a value's truth, as JAX's bool(): NaN is true
    if (batched ? !batchAny(truth(p)).item() : value === 0) return carry;
    let next = bodyFn(carry);
    let nextFlat = flat(next, "whileLoop carry");
    const promoted = promoteWeak(carryFlat, nextFlat, weak);
    if (promoted !== carryFlat) {
      // the first step again, from the promoted carry
      carryFlat = promoted;
      carry = unflatten(promoted.def, promoted.leaves) as C;
      next = bodyFn(carry);
      nextFlat = flat(next, "whileLoop carry");
    }
    checkSameType(
      carryFlat,
      nextFlat,
      "whileLoop body must keep the carry's type",
      "the carry",
      "the body's output",
    );
    carry = batched ? selectTree(p, nextFlat, carryFlat) as C : next;
    carryFlat = batched ? flat(carry, "whileLoop carry") : nextFlat;
  }
}

/**
 * `cond`/`switch` under a staging handler (`jit`) with a traced index: the
 * branches are traced into programs (their constants merged: every branch
 * takes all of them, then the operands) and the choice is one `cond`
 * operation (`transforms/staged_cond.ts`), of which only the chosen branch
 * runs.
 */
function stagedCond(
  index: NdArray,
  fs: readonly ((...xs: unknown[]) => unknown)[],
  operands: readonly unknown[],
  outName: (k: number) => string,
  what: "cond" | "switch",
): unknown {
  const ops = flat(operands, `${what} operands`);
  const avals = ops.leaves.map((x) => ({ shape: x.shape, dtype: x.dtype }));
  const traced = fs.map((g) => {
    let out: Flat | null = null;
    const t = traceOpen(
      (xs) => {
        out = flat(g(...unflatten<unknown[]>(ops.def, xs)), `${what} branch outputs`);
        return out.leaves;
      },
      avals,
      `${what} branch`,
    );
    return { ...t, out: out! as Flat };
  });
  traced.forEach((b, k) =>
    checkSameType(
      traced[0].out,
      b.out,
      `${what} branches must return the same types`,
      outName(0),
      outName(k),
    )
  );
  const consts = traced.flatMap((b) => b.consts);
  let offset = 0;
  const branches = traced.map((b) => {
    const jx = b.jaxpr.jaxpr;
    const nc = b.consts.length;
    const fresh = (c: NdArray) => new Var({ shape: c.shape, dtype: c.dtype });
    const before = consts.slice(0, offset).map(fresh);
    const after = consts.slice(offset + nc).map(fresh);
    offset += nc;
    const own = jx.invars.slice(0, nc), opVars = jx.invars.slice(nc);
    return new ClosedJaxpr(
      new Jaxpr([], [...before, ...own, ...after, ...opVars], jx.eqns, jx.outs),
      [],
    );
  });
  const outs = bindCall(condP, [index, ...consts, ...ops.leaves], { branches });
  return unflatten(traced[0].out.def, outs);
}

/**
 * `whileLoop` under a staging handler (`jit`): the condition and the body
 * are traced into programs and the loop is one `while` operation, whose
 * rules every transformation applies (`transforms/staged_while.ts`).
 */
function stagedWhile<C>(
  condFn: (carry: C) => NdArray | boolean,
  bodyFn: (carry: C) => C,
  init: C,
): C {
  let initFlat = flat(init, "whileLoop carry");
  const weak = weakLeaves(init);
  const avals = () => initFlat.leaves.map((x) => ({ shape: x.shape, dtype: x.dtype }));
  const traceBody = () => {
    let outFlat: Flat | null = null;
    const t = traceOpen(
      (xs) => {
        outFlat = flat(bodyFn(unflatten(initFlat.def, xs) as C), "whileLoop carry");
        return outFlat.leaves;
      },
      avals(),
      "whileLoop body",
      weakKinds(init, weak),
    );
    return { ...t, out: outFlat! as Flat };
  };
  let body = traceBody();
  const promoted = promoteWeak(initFlat, body.out, weak);
  if (promoted !== initFlat) {
    initFlat = promoted;
    body = traceBody();
  }
  checkSameType(
    initFlat,
    body.out,
    "whileLoop body must keep the carry's type",
    "the carry",
    "the body's output",
  );
  const cond = traceOpen(
    (xs) => {
      const p = leafToArray(condFn(unflatten(initFlat.def, xs) as C), "whileLoop condition");
      checkScalar(p, "whileLoop condition");
      return [truth(p)];
    },
    avals(),
    "whileLoop cond",
  );
  const outs = bindCall(whileP, [...cond.consts, ...body.consts, ...initFlat.leaves], {
    cond_jaxpr: cond.jaxpr,
    body_jaxpr: body.jaxpr,
    cond_nconsts: cond.consts.length,
    body_nconsts: body.consts.length,
  });
  return unflatten(initFlat.def, outs) as C;
}

/**
 * `for (i = lower; i < upper; i++) carry = bodyFn(i, carry)`. With static
 * (JS number) bounds every transformation works, reverse mode included;
 * traced bounds run as a `whileLoop`.
 *
 * @example A power by repeated multiplication
 * ```ts
 * import { type Array, grad, lax, np } from "@nabla/ad";
 * import { equal } from "node:assert/strict";
 *
 * const cube = (x: Array) => lax.foriLoop(0, 3, (_i: Array, acc: Array) => np.multiply(acc, x), np.onesLike(x));
 * equal(cube(np.array(2)).item(), 8);
 * equal(grad(cube)(2).item(), 12);
 * ```
 *
 * @param lower First index.
 * @param upper One past the last index.
 * @param bodyFn `(i, carry) ↦ carry`; `i` is an int32 scalar.
 * @param init The initial carry.
 * @returns The final carry.
 */
export function foriLoop<C>(
  lower: number | NdArray,
  upper: number | NdArray,
  bodyFn: (i: NdArray, carry: C) => C,
  init: C,
): C {
  if (typeof lower === "number" && typeof upper === "number" && stagingActive()) {
    // under jit: one rolled scan over [i, carry]
    const [[, out]] = scan(
      ([i, c]: [NdArray, C]): [[NdArray, C], null] => [
        [add(i, scalar(1, "int32")), bodyFn(i, c)],
        null,
      ],
      [scalar(lower, "int32"), init] as [NdArray, C],
      null,
      { length: Math.max(0, upper - lower) },
    );
    return out;
  }
  if (typeof lower === "number" && typeof upper === "number") {
    let carry = init;
    let carryFlat = flat(init, "foriLoop carry");
    const weak = weakLeaves(init);
    for (let i = lower; i < upper; i++) {
      let next = bodyFn(scalar(i, "int32"), carry);
      let nextFlat = flat(next, "foriLoop carry");
      const promoted = promoteWeak(carryFlat, nextFlat, weak);
      if (promoted !== carryFlat) {
        // the first step again, from the promoted carry
        carryFlat = promoted;
        carry = unflatten(promoted.def, promoted.leaves) as C;
        next = bodyFn(scalar(i, "int32"), carry);
        nextFlat = flat(next, "foriLoop carry");
      }
      checkSameType(
        carryFlat,
        nextFlat,
        "foriLoop body must keep the carry's type",
        "the carry",
        "the body's output",
      );
      carry = next;
      carryFlat = nextFlat;
    }
    return carry;
  }
  const hi = leafToArray(upper, "foriLoop upper bound");
  const [, out] = whileLoop(
    ([i]: [NdArray, C]) => hi.dtype === "int32" ? lt(i, hi) : lt(convert(i, hi.dtype), hi),
    ([i, c]: [NdArray, C]) => [add(i, scalar(1, "int32")), bodyFn(i, c)] as [NdArray, C],
    [convert(leafToArray(lower, "foriLoop lower bound"), "int32"), init] as [NdArray, C],
  );
  return out;
}

/** Options of {@linkcode scan}. */
export interface ScanOptions {
  /** Number of steps, required when `xs` is `null`. */
  length?: number;
  /** Scan from the end (outputs keep their positions). */
  reverse?: boolean;
}

/**
 * Loops `f(carry, x) ↦ [carry, y]` over the leading axis of `xs` (a tree of
 * arrays, or `null` with `length`), returning `[finalCarry, ys]` with the
 * `y`s stacked. Works under every transformation.
 *
 * @example A cumulative sum
 * ```ts
 * import { type Array, lax, np } from "@nabla/ad";
 * import { deepEqual, equal } from "node:assert/strict";
 *
 * const [total, partial] = lax.scan((c: Array, x: Array): [Array, Array] => {
 *   const s = np.add(c, x);
 *   return [s, s];
 * }, np.array(0), np.array([1, 2, 3]));
 * equal(total.item(), 6);
 * deepEqual(partial.tolist(), [1, 3, 6]);
 * ```
 *
 * @param f The step: `(carry, x) ↦ [carry, y]`.
 * @param init The initial carry (a tree).
 * @param xs The sequence (a tree of arrays sharing a leading length), or `null`.
 * @param options `length` and `reverse`.
 * @returns `[finalCarry, stackedYs]`.
 */
export function scan<C, Y>(
  // deno-lint-ignore no-explicit-any
  f: (carry: C, x: any) => [C, Y],
  init: C,
  xs: unknown = null,
  options: ScanOptions = {},
): [C, Y] {
  checkOptions("scan", options, ["length", "reverse"]);
  const xFlat = xs === null || xs === undefined ? null : flat(xs, "scan xs");
  let n = options.length;
  if (xFlat !== null) {
    for (const [k, leaf] of xFlat.leaves.entries()) {
      if (leaf.ndim === 0) {
        throw new TypeError(`scan xs leaf ${k} is a scalar: it needs a leading axis to scan over`);
      }
      if (n === undefined) n = leaf.shape[0];
      else if (leaf.shape[0] !== n) {
        throw new TypeError(
          `scan xs leaves must share their leading length: leaf ${k} has shape ${
            showShape(leaf.shape)
          }, expected length ${n}`,
        );
      }
    }
  }
  if (n === undefined) throw new TypeError("scan needs xs or a length");
  if (!Number.isInteger(n) || n < 0 || n > 2 ** 31 - 1) {
    throw new RangeError(`scan length must be a non-negative integer below 2^31: got ${n}`);
  }
  if (stagingActive()) return stagedScan(f, init, xFlat, n, options.reverse === true);
  let carry = init;
  let carryFlat = flat(init, "scan carry");
  const weak = weakLeaves(init);
  const ys: Flat[] = new globalThis.Array(n);
  for (let step = 0; step < n; step++) {
    const i = options.reverse ? n - 1 - step : step;
    const x = xFlat === null ? undefined : unflatten(xFlat.def, xFlat.leaves.map((l) => row(l, i)));
    const run = (c: C) => {
      const r = f(c, x);
      if (!globalThis.Array.isArray(r) || r.length !== 2) {
        throw new TypeError("scan's step function must return a pair [carry, y]");
      }
      return r;
    };
    let result = run(carry);
    let nextFlat = flat(result[0], "scan carry");
    const promoted = promoteWeak(carryFlat, nextFlat, weak);
    if (promoted !== carryFlat) {
      // the first step again, from the promoted carry
      carryFlat = promoted;
      carry = unflatten(promoted.def, promoted.leaves) as C;
      result = run(carry);
      nextFlat = flat(result[0], "scan carry");
    }
    checkSameType(
      carryFlat,
      nextFlat,
      "scan step must keep the carry's type",
      "the carry",
      "the step's carry output",
    );
    carry = result[0];
    carryFlat = nextFlat;
    ys[i] = flat(result[1], "scan outputs");
    if (step > 0) {
      checkSameType(
        ys[options.reverse ? i + 1 : i - 1],
        ys[i],
        "scan outputs must keep one type",
        "an earlier y",
        "this y",
      );
    }
  }
  if (n === 0) {
    // No steps: run f once on zeros only to learn the type of y, and stack nothing.
    const x = xFlat === null
      ? undefined
      : unflatten(xFlat.def, xFlat.leaves.map((l) => filled(l.shape.slice(1), 0, l.dtype)));
    const probe = f(init, x);
    const yFlat = flat(globalThis.Array.isArray(probe) ? probe[1] : undefined, "scan outputs");
    const empty = yFlat.leaves.map((y) => filled([0, ...y.shape], 0, y.dtype));
    return [init, unflatten(yFlat.def, empty) as Y];
  }
  const stacked = ys[0].leaves.map((_, k) => stackRows(ys.map((y) => y.leaves[k])));
  return [carry, unflatten(ys[0].def, stacked) as Y];
}

/**
 * `scan` under a staging handler (`jit`): the step is traced into a program
 * and the loop is one rolled `scan` operation, whose rules every
 * transformation applies (`transforms/staged_scan.ts`).
 */
function stagedScan<C, Y>(
  // deno-lint-ignore no-explicit-any
  f: (carry: C, x: any) => [C, Y],
  init: C,
  xFlat: Flat | null,
  n: number,
  reverse: boolean,
): [C, Y] {
  let initFlat = flat(init, "scan carry");
  const weak = weakLeaves(init);
  const nx = xFlat === null ? 0 : xFlat.leaves.length;
  const xAvals = xFlat === null
    ? []
    : xFlat.leaves.map((l) => ({ shape: l.shape.slice(1), dtype: l.dtype }));
  const trace = () => {
    let carryOut: Flat | null = null, yOut: Flat | null = null;
    const t = traceOpen(
      (ins) => {
        const nc = initFlat.leaves.length;
        const c = unflatten(initFlat.def, ins.slice(0, nc)) as C;
        const x = xFlat === null ? undefined : unflatten(xFlat.def, ins.slice(nc, nc + nx));
        const r = f(c, x);
        if (!globalThis.Array.isArray(r) || r.length !== 2) {
          throw new TypeError("scan's step function must return a pair [carry, y]");
        }
        carryOut = flat(r[0], "scan carry");
        yOut = flat(r[1], "scan outputs");
        return [...carryOut.leaves, ...yOut.leaves];
      },
      [...initFlat.leaves.map((x) => ({ shape: x.shape, dtype: x.dtype })), ...xAvals],
      "scan body",
      weakKinds(init, weak),
    );
    return { ...t, carry: carryOut! as Flat, y: yOut! as Flat };
  };
  let body = trace();
  const promoted = promoteWeak(initFlat, body.carry, weak);
  if (promoted !== initFlat) {
    initFlat = promoted;
    body = trace();
  }
  checkSameType(
    initFlat,
    body.carry,
    "scan step must keep the carry's type",
    "the carry",
    "the step's carry output",
  );
  const outs = bindCall(
    scanP,
    [...body.consts, ...initFlat.leaves, ...(xFlat === null ? [] : xFlat.leaves)],
    {
      jaxpr: body.jaxpr,
      num_consts: body.consts.length,
      num_carry: initFlat.leaves.length,
      length: n,
      reverse,
    },
  );
  const nc = initFlat.leaves.length;
  return [
    unflatten(initFlat.def, outs.slice(0, nc)) as C,
    unflatten(body.y.def, outs.slice(nc)) as Y,
  ];
}

/**
 * Maps `f` over the leading axis of `xs` sequentially (a `scan` without a
 * carry), stacking the results.
 *
 * @example Squares
 * ```ts
 * import { lax, np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(lax.map(np.square, np.array([1, 2, 3])).tolist(), [1, 4, 9]);
 * ```
 *
 * @param f The function applied to each slice.
 * @param xs A tree of arrays sharing a leading length.
 * @returns The stacked results.
 */
// deno-lint-ignore no-explicit-any
export function map<Y>(f: (x: any) => Y, xs: unknown): Y {
  const [, ys] = scan((c: null, x: unknown) => [c, f(x)], null, xs);
  return ys;
}
