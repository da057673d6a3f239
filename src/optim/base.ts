/**
 * The optimizer algebra, as optax's `base` and `combine`: a
 * {@linkcode GradientTransformation} is a pair of pure functions over
 * parameter trees, `init(params) → state` and
 * `update(updates, state, params?) → [updates, state]`. States are trees of
 * arrays (step counts are float64 0-d arrays), so they pass through `vmap`
 * and `grad` like any other tree.
 *
 * @module
 */

import type { NdArray } from "../array/array.ts";
import { ShapeError } from "../array/shape.ts";
import { ConcretizationError } from "../core/errors.ts";
import * as np from "../numpy/index.ts";
import * as tree from "../tree.ts";

/** A tree of parameters, gradients or updates (nested arrays and plain objects of arrays). */
export type Params = unknown;
/** An optimizer state: a tree of arrays (`null` when there is none). */
export type OptState = unknown;
/** optax's `Schedule`: the value of a hyperparameter after `count` updates. */
export type Schedule = (count: number) => number;
/** A hyperparameter given as a constant or as a {@linkcode Schedule}. */
export type ScalarOrSchedule = number | Schedule;

/**
 * A pair of pure functions over parameter trees (optax's
 * `GradientTransformation`): `init(params)` builds the state and
 * `update(updates, state, params?)` maps gradients (or the updates of the
 * previous transformation of a {@linkcode chain}) to updates and a new state.
 *
 * @example A hand-written transformation: halve every update
 * ```ts
 * import { type Array, np, optim, tree } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * const halve: optim.GradientTransformation<null> = {
 *   init: () => null,
 *   update: (u, s) => [tree.map((g: Array) => np.multiply(g, 0.5), u), s],
 * };
 * const [u] = halve.update({ w: np.array([2, 4]) }, halve.init({}));
 * deepEqual((u as { w: Array }).w.tolist(), [1, 2]);
 * ```
 */
export interface GradientTransformation<S = OptState> {
  /** The initial state for these parameters. */
  init(params: Params): S;
  /** The updates for these gradients (or incoming updates) and the next state. */
  update(updates: Params, state: S, params?: Params): readonly [Params, S];
}

/** A float64 0-d array holding a step count. */
export function zeroCount(): NdArray {
  return np.zeros([]);
}

/** The count plus one (float64 counts are exact up to 2⁵³). */
export function increment(count: NdArray): NdArray {
  return np.add(count, 1);
}

/**
 * The array versions of schedules that have one (optim's own): the same
 * function of an array count, built from `np` operations, for counts that
 * have no concrete value (a state batched by `vmap`).
 */
const arrayVersions = new WeakMap<Schedule, (count: NdArray) => NdArray>();

/** Registers the array version of a schedule (see {@linkcode scheduleAt}); returns the schedule. */
export function withArrayVersion(
  schedule: Schedule,
  onArray: (count: NdArray) => NdArray,
): Schedule {
  arrayVersions.set(schedule, onArray);
  return schedule;
}

/** The array version of a schedule, if it has one. */
export function arrayVersion(schedule: Schedule): ((count: NdArray) => NdArray) | undefined {
  return arrayVersions.get(schedule);
}

/**
 * A schedule's value at a count held in a 0-d array: a number when the count
 * is concrete (eager, `grad`, `jvp`), else (under `vmap`) the schedule's
 * array version, which optim's own schedules have.
 */
export function scheduleAt(schedule: Schedule, count: NdArray): number | NdArray {
  let n: number;
  try {
    n = count.item() as number;
  } catch (e) {
    if (!(e instanceof ConcretizationError)) throw e;
    const onArray = arrayVersions.get(schedule);
    if (onArray === undefined) {
      throw new ConcretizationError(
        `A schedule written as (count: number) => number cannot take a traced step count (${e.message}); optim's schedules (optim.cosineDecaySchedule, ...) accept traced counts`,
      );
    }
    return onArray(count);
  }
  return schedule(n);
}

/**
 * A scalar (a number, or a 0-d array such as a bias correction computed from
 * a float64 count) in the dtype of `like`, so that float32 parameters keep
 * float32 updates and states (optax casts the same way).
 */
export function asDtypeOf(x: NdArray | number, like: NdArray | number): NdArray | number {
  if (typeof x === "number" || typeof like === "number" || x.dtype === like.dtype) return x;
  return like.dtype === "float32" || like.dtype === "float64" ? x.astype(like.dtype) : x;
}

/** Checks that a hyperparameter is a finite number (or a schedule when allowed). */
export function checkNumber(fn: string, name: string, value: unknown, schedule = false): void {
  if (typeof value === "number" && !Number.isNaN(value)) return;
  if (schedule && typeof value === "function") return;
  throw new TypeError(
    `${fn}: ${name} must be a number${schedule ? " or a schedule (count) => number" : ""}: got ${
      typeof value === "function" ? "a function" : String(value)
    }`,
  );
}

/**
 * Applies transformations one after another, each fed the updates of the
 * previous one (optax's `chain`); the state is the list of their states.
 *
 * @example Clip, then scale
 * ```ts
 * import { type Array, np, optim } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * const tx = optim.chain(optim.clip(1), optim.scale(-0.1));
 * const [u] = tx.update([np.array([5, -0.5])], tx.init([np.zeros([2])]));
 * deepEqual((u as Array[])[0].tolist(), [-0.1, 0.05]);
 * ```
 *
 * @param txs The transformations, in order.
 * @returns Their composition.
 */
export function chain(...txs: GradientTransformation[]): GradientTransformation<unknown[]> {
  txs.forEach((t, i) => {
    if (typeof t?.init !== "function" || typeof t?.update !== "function") {
      throw new TypeError(
        `chain: argument ${i} is not a GradientTransformation ({ init, update }): got ${String(t)}`,
      );
    }
  });
  return {
    init: (params) => txs.map((t) => t.init(params)),
    update: (updates, state, params) => {
      if (!Array.isArray(state) || state.length !== txs.length) {
        throw new TypeError(
          `chain: the state must be a list of ${txs.length} states (from this chain's init): got ${
            Array.isArray(state) ? `a list of ${state.length}` : String(state)
          }`,
        );
      }
      const next: unknown[] = [];
      let u = updates;
      txs.forEach((t, i) => {
        const [nu, ns] = t.update(u, state[i], params);
        u = nu;
        next.push(ns);
      });
      return [u, next];
    },
  };
}

/**
 * The transformation that returns its updates unchanged (optax's `identity`).
 *
 * @example Nothing changes
 * ```ts
 * import { optim } from "@nabla/ad";
 * import { deepEqual, equal } from "node:assert/strict";
 *
 * const tx = optim.identity();
 * equal(tx.init({ w: 1 }), null);
 * deepEqual(tx.update({ w: 3 }, null), [{ w: 3 }, null]);
 * ```
 *
 * @returns The identity transformation (its state is `null`).
 */
export function identity(): GradientTransformation<null> {
  return { init: () => null, update: (updates, state) => [updates, state] };
}

/**
 * Adds updates to parameters, leaf by leaf, keeping each parameter's dtype
 * (optax's `apply_updates`). A `null` update leaves its parameter (or
 * subtree) alone.
 *
 * @example One step of gradient descent
 * ```ts
 * import { np, optim } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * const params = { w: np.array([1, 2]) };
 * const next = optim.applyUpdates(params, { w: np.array([-0.5, 0.5]) });
 * deepEqual(next.w.tolist(), [0.5, 2.5]);
 * ```
 *
 * @param params The parameters.
 * @param updates Updates of the same structure.
 * @returns The parameters plus the updates, with the parameters' structure and dtypes.
 */
export function applyUpdates<P>(params: P, updates: Params): P {
  if (tree.structure(updates).equals(tree.structure(params))) {
    return tree.map(addLeaf, params, updates) as P;
  }
  return addTree(params, updates, params, updates) as P;
}

/** `p + u` in `p`'s dtype. */
function addLeaf(p: NdArray | number, u: NdArray | number): NdArray {
  const sum = np.add(p, u);
  const dtype = typeof p === "number" ? "float64" : p.dtype;
  return sum.dtype === dtype ? sum : sum.astype(dtype);
}

function isPlainObject(x: unknown): x is Record<string, unknown> {
  if (typeof x !== "object" || x === null) return false;
  const proto = Object.getPrototypeOf(x);
  return proto === Object.prototype || proto === null;
}

/** applyUpdates when some updates are `null`: walks both trees together. */
function addTree(p: unknown, u: unknown, params: unknown, updates: unknown): unknown {
  if (u === null || u === undefined) return p;
  const mismatch = (): never => {
    throw new ShapeError(
      `applyUpdates: updates must have the structure of the parameters ${
        tree.structure(params)
      } (or null where a parameter is left alone): got ${tree.structure(updates)}`,
      { op: "applyUpdates" },
    );
  };
  if (Array.isArray(p)) {
    if (!Array.isArray(u) || u.length !== p.length) mismatch();
    return p.map((c, i) => addTree(c, (u as unknown[])[i], params, updates));
  }
  if (isPlainObject(p)) {
    if (!isPlainObject(u)) mismatch();
    const keys = Object.keys(p).sort();
    const uKeys = Object.keys(u as object).sort();
    if (keys.length !== uKeys.length || keys.some((k, i) => k !== uKeys[i])) mismatch();
    return Object.fromEntries(
      keys.map((k) => [k, addTree(p[k], (u as Record<string, unknown>)[k], params, updates)]),
    );
  }
  if (p === null || p === undefined || Array.isArray(u) || isPlainObject(u)) mismatch();
  return addLeaf(p as NdArray | number, u as NdArray | number);
}

/**
 * The L2 norm of all the leaves of a tree taken together, √(Σ x²), as a 0-d
 * array (optax's `global_norm`); differentiable.
 *
 * @example A 3-4-5 triangle
 * ```ts
 * import { np, optim } from "@nabla/ad";
 * import { equal } from "node:assert/strict";
 *
 * equal(optim.globalNorm({ a: np.array([3]), b: [np.array(4)] }).item(), 5);
 * ```
 *
 * @param t A tree of arrays.
 * @returns The norm (a float 0-d array; 0 for a tree without leaves).
 */
export function globalNorm(t: Params): NdArray {
  const leaves = tree.leaves<NdArray | number>(t);
  if (leaves.length === 0) return np.zeros([]);
  let total = np.sum(np.square(leaves[0]));
  for (let i = 1; i < leaves.length; i++) total = np.add(total, np.sum(np.square(leaves[i])));
  return np.sqrt(total);
}
