/**
 * Transformations of transformations, as optax's wrappers: `masked` (apply
 * to some leaves), `applyIfFinite` (skip non-finite updates),
 * `injectHyperparams` (hyperparameters in the state, schedules evaluated
 * per step) and `multiSteps` (gradient accumulation). Their decisions are
 * made with `np.where` on 0-d arrays, so states stay trees of arrays.
 *
 * @module
 */

import { checkOptions } from "../core/options.ts";
import type { NdArray } from "../array/array.ts";
import * as np from "../numpy/index.ts";
import * as tree from "../tree.ts";
import {
  asDtypeOf,
  checkNumber,
  type GradientTransformation,
  increment,
  type OptState,
  type Params,
  type Schedule,
  zeroCount,
} from "./base.ts";

type Leaf = NdArray | number;

/**
 * Which leaves a transformation applies to: a predicate on leaf paths
 * (`"w1"`, `"layers[0].b"`, as `tree.flattenWithPath` writes them), or a tree
 * of booleans whose structure is a prefix of the parameters' (a `true` or
 * `false` leaf covers a whole subtree).
 */
export type Mask = ((path: string) => boolean) | MaskTree;
/** A tree of booleans, for {@linkcode Mask}. */
export type MaskTree = boolean | null | readonly MaskTree[] | { readonly [key: string]: MaskTree };

/** One boolean per leaf of `t`, from the mask. */
function maskLeaves(fn: string, mask: Mask, t: Params): boolean[] {
  const [pairs] = tree.flattenWithPath(t);
  if (typeof mask === "function") return pairs.map(([p]) => Boolean(mask(p)));
  const [entries] = tree.flattenWithPath<unknown>(mask);
  return pairs.map(([p]) => {
    const hit = entries.find(([m]) =>
      m === "" || p === m || p.startsWith(`${m}.`) || p.startsWith(`${m}[`)
    );
    if (hit === undefined) {
      throw new TypeError(
        `${fn}: the mask has no entry for the leaf at ${JSON.stringify(p)}: its structure ${
          tree.structure(mask)
        } must be a prefix of the parameters' ${tree.structure(t)}`,
      );
    }
    if (typeof hit[1] !== "boolean") {
      throw new TypeError(
        `${fn}: mask leaves must be booleans: got ${String(hit[1])} at ${JSON.stringify(hit[0])}`,
      );
    }
    return hit[1];
  });
}

/** The tree with its unmasked leaves replaced by `null` (no leaf). */
function keep(t: Params, m: readonly boolean[]): Params {
  const [ls, def] = tree.flatten(t);
  return tree.unflatten(def, ls.map((l, i) => (m[i] ? l : null)));
}

/** Every leaf of two same-structure trees chosen by a 0-d boolean array. */
function select(cond: NdArray, a: unknown, b: unknown): unknown {
  return tree.map(
    (x: Leaf, y: Leaf) => {
      const out = np.where(cond, x, y);
      return typeof x !== "number" && out.dtype !== x.dtype ? out.astype(x.dtype) : out;
    },
    a,
    b,
  );
}

/** The state of {@linkcode masked}: the inner transformation's state. */
export interface MaskedState {
  /** The state of the inner transformation, over the masked-in leaves only. */
  readonly innerState: OptState;
}

/**
 * Applies `inner` to the leaves the mask selects and passes the others
 * through unchanged (optax's `masked`). The inner state covers only the
 * selected leaves.
 *
 * @example Momentum on the weights, plain gradients for the bias
 * ```ts
 * import { np, optim } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * const tx = optim.masked(optim.scale(10), (path) => path.startsWith("w"));
 * const g = { w: np.array(1), b: np.array(1) };
 * const [u] = tx.update(g, tx.init(g));
 * const { w, b } = u as typeof g;
 * deepEqual([w.item(), b.item()], [10, 1]);
 * ```
 *
 * @param inner The transformation to apply.
 * @param mask A predicate on leaf paths, or a tree of booleans (a prefix of the parameters').
 * @returns The masked transformation.
 */
export function masked(inner: GradientTransformation, mask: Mask): GradientTransformation<
  MaskedState
> {
  return {
    init: (params) => ({
      innerState: inner.init(keep(params, maskLeaves("masked", mask, params))),
    }),
    update: (updates, state, params) => {
      const m = maskLeaves("masked", mask, updates);
      const [ul, def] = tree.flatten(updates);
      let mp: Params = undefined;
      if (params !== undefined) {
        const [pl, pdef] = tree.flatten(params);
        if (!pdef.equals(def)) {
          throw new TypeError(
            `masked: updates and params must have the same structure: got ${def} and ${pdef}`,
          );
        }
        mp = tree.unflatten(pdef, pl.map((l, i) => (m[i] ? l : null)));
      }
      const [nu, innerState] = inner.update(
        tree.unflatten(def, ul.map((l, i) => (m[i] ? l : null))),
        state.innerState,
        mp,
      );
      const fresh = tree.leaves(nu);
      let j = 0;
      const out = ul.map((l, i) => (m[i] ? fresh[j++] : l));
      return [tree.unflatten(def, out), { innerState }];
    },
  };
}

/** The state of {@linkcode applyIfFinite}. */
export interface ApplyIfFiniteState {
  /** Consecutive non-finite updates so far (float64 0-d). */
  readonly notfiniteCount: NdArray;
  /** Whether the last updates were finite (bool 0-d). */
  readonly lastFinite: NdArray;
  /** Non-finite updates in total (float64 0-d). */
  readonly totalNotfinite: NdArray;
  /** The inner transformation's state. */
  readonly innerState: OptState;
}

/**
 * Skips updates containing NaN or ±∞ — returning zeros and keeping the
 * inner state — unless more than `maxConsecutiveErrors` came in a row
 * (optax's `apply_if_finite`).
 *
 * @example A NaN gradient is skipped
 * ```ts
 * import { type Array, np, optim } from "@nabla/ad";
 * import { equal } from "node:assert/strict";
 *
 * const tx = optim.applyIfFinite(optim.sgd(0.1), 3);
 * const [u, s] = tx.update(np.array(NaN), tx.init(np.zeros([])));
 * equal((u as Array).item(), 0);
 * equal(s.totalNotfinite.item(), 1);
 * equal(s.lastFinite.item(), false);
 * ```
 *
 * @param inner The transformation to protect.
 * @param maxConsecutiveErrors How many non-finite updates in a row are skipped.
 * @returns The protected transformation.
 */
export function applyIfFinite(
  inner: GradientTransformation,
  maxConsecutiveErrors: number,
): GradientTransformation<ApplyIfFiniteState> {
  checkNumber("applyIfFinite", "maxConsecutiveErrors", maxConsecutiveErrors);
  return {
    init: (params) => ({
      notfiniteCount: zeroCount(),
      lastFinite: np.array(true),
      totalNotfinite: zeroCount(),
      innerState: inner.init(params),
    }),
    update: (updates, state, params) => {
      let finite = np.array(true);
      for (const l of tree.leaves<Leaf>(updates)) {
        finite = np.logicalAnd(finite, np.all(np.isfinite(l)));
      }
      const notfiniteCount = np.where(finite, 0, increment(state.notfiniteCount));
      const apply = np.logicalOr(finite, np.greater(notfiniteCount, maxConsecutiveErrors));
      const [nu, ns] = inner.update(updates, state.innerState, params);
      const zeros = tree.map((u: Leaf) => np.zerosLike(u), nu);
      return [select(apply, nu, zeros), {
        notfiniteCount,
        lastFinite: finite,
        totalNotfinite: np.where(finite, state.totalNotfinite, increment(state.totalNotfinite)),
        innerState: select(apply, ns, state.innerState),
      }];
    },
  };
}

/** The state of a transformation made by {@linkcode injectHyperparams}. */
export interface InjectHyperparamsState {
  /** Updates so far (float64 0-d). */
  readonly count: NdArray;
  /** The numeric hyperparameters used by the last update (at init: their first values), 0-d arrays. */
  readonly hyperparams: Readonly<Record<string, NdArray>>;
  /** The inner transformation's state. */
  readonly inner: OptState;
}

/** The hyperparameters of {@linkcode injectHyperparams}: numbers may be schedules. */
export type Hyperparams<H> = {
  readonly [K in keyof H]: H[K] extends number ? H[K] | Schedule : H[K];
};

/**
 * Makes a transformation's numeric hyperparameters part of its state, so they
 * can be read (the current learning rate) or changed between steps, and lets
 * any of them be a schedule, evaluated at each update's count (optax's
 * `inject_hyperparams`). `make` builds the transformation from plain numbers;
 * booleans, strings and the names in `staticArgs` pass through unchanged.
 *
 * @example A scheduled learning rate, visible in the state
 * ```ts
 * import { np, optim } from "@nabla/ad";
 * import { equal } from "node:assert/strict";
 *
 * const make = optim.injectHyperparams((h: { learningRate: number }) => optim.sgd(h.learningRate));
 * const tx = make({ learningRate: (n) => 0.1 / (n + 1) });
 * let state = tx.init(np.zeros([]));
 * [, state] = tx.update(np.array(1), state);
 * [, state] = tx.update(np.array(1), state);
 * equal(state.hyperparams.learningRate.item(), 0.05);
 * ```
 *
 * @param make Builds the transformation from its hyperparameters.
 * @param options `staticArgs`: names passed through as they are (functions that are not schedules).
 * @returns A function from hyperparameters (numbers or schedules) to the transformation.
 */
export function injectHyperparams<H extends object>(
  make: (h: H) => GradientTransformation,
  options: { readonly staticArgs?: readonly string[] } = {},
): (h: Hyperparams<H>) => GradientTransformation<InjectHyperparamsState> {
  checkOptions("injectHyperparams", options, ["staticArgs"]);
  const statics = new Set(options.staticArgs ?? []);
  return (h) => {
    const numeric: string[] = [];
    const scheduled: string[] = [];
    for (const [k, v] of Object.entries(h)) {
      if (statics.has(k)) continue;
      if (typeof v === "number") numeric.push(k);
      else if (typeof v === "function") scheduled.push(k);
    }
    const build = (values: Record<string, NdArray>): GradientTransformation =>
      make({
        ...h,
        ...Object.fromEntries(Object.entries(values).map(([k, v]) => [k, v.item() as number])),
      } as H);
    const at = (count: NdArray, current: Record<string, NdArray>): Record<string, NdArray> => {
      const n = count.item() as number;
      const out: Record<string, NdArray> = { ...current };
      for (const k of scheduled) out[k] = np.array((h[k as keyof typeof h] as Schedule)(n));
      return out;
    };
    return {
      init: (params) => {
        const start: Record<string, NdArray> = {};
        for (const k of numeric) start[k] = np.array(h[k as keyof typeof h] as number);
        const hyperparams = at(zeroCount(), start);
        return { count: zeroCount(), hyperparams, inner: build(hyperparams).init(params) };
      },
      update: (updates, state, params) => {
        const hyperparams = at(state.count, state.hyperparams);
        const [u, inner] = build(hyperparams).update(updates, state.inner, params);
        return [u, { count: increment(state.count), hyperparams, inner }];
      },
    };
  };
}

/** The state of {@linkcode multiSteps}. */
export interface MultiStepsState {
  /** Mini-steps accumulated towards the next update (float64 0-d). */
  readonly miniStep: NdArray;
  /** Updates of the inner transformation so far (float64 0-d). */
  readonly gradientStep: NdArray;
  /** The inner transformation's state. */
  readonly innerState: OptState;
  /** The accumulated gradients. */
  readonly accGrads: Params;
}

/**
 * Gradient accumulation (optax's `MultiSteps`): averages (or sums) the
 * updates of `everyK` consecutive calls and applies `inner` to them on the
 * last one; the other calls return zeros. `everyK` may depend on the number
 * of inner updates so far.
 *
 * @example Two mini-batches per step
 * ```ts
 * import { type Array, np, optim } from "@nabla/ad";
 * import { equal } from "node:assert/strict";
 *
 * const tx = optim.multiSteps(optim.sgd(1), 2);
 * let state = tx.init(np.zeros([]));
 * let u: unknown;
 * [u, state] = tx.update(np.array(1), state);
 * equal((u as Array).item(), 0);
 * [u, state] = tx.update(np.array(3), state);
 * equal((u as Array).item(), -2);
 * ```
 *
 * @param inner The transformation applied to the accumulated updates.
 * @param everyK Calls per update, or a function of the number of updates so far.
 * @param options `useGradMean` (default true): average rather than sum.
 * @returns The accumulating transformation.
 */
export function multiSteps(
  inner: GradientTransformation,
  everyK: number | ((gradientStep: number) => number),
  options: { readonly useGradMean?: boolean } = {},
): GradientTransformation<MultiStepsState> {
  checkNumber("multiSteps", "everyK", everyK, true);
  checkOptions("multiSteps", options, ["useGradMean"]);
  const useMean = options.useGradMean ?? true;
  return {
    init: (params) => ({
      miniStep: zeroCount(),
      gradientStep: zeroCount(),
      innerState: inner.init(params),
      accGrads: tree.map((p: Leaf) => np.zerosLike(p), params),
    }),
    update: (updates, state, params) => {
      const k = typeof everyK === "function" ? everyK(state.gradientStep.item() as number) : everyK;
      const accGrads = tree.map(
        (g: Leaf, acc: Leaf) =>
          useMean
            ? np.add(acc, np.divide(np.subtract(g, acc), asDtypeOf(np.add(state.miniStep, 1), g)))
            : np.add(g, acc),
        updates,
        state.accGrads,
      );
      const [finalUpdates, newInner] = inner.update(accGrads, state.innerState, params);
      const emit = np.equal(state.miniStep, k - 1);
      const e = emit.astype("float64");
      const stay = np.logicalNot(emit);
      return [tree.map((u: Leaf) => np.multiply(emit, u), finalUpdates), {
        miniStep: np.mod(increment(state.miniStep), k),
        gradientStep: np.add(
          np.multiply(e, increment(state.gradientStep)),
          np.multiply(np.subtract(1, e), state.gradientStep),
        ),
        innerState: select(emit, newInner, state.innerState),
        accGrads: tree.map((a: Leaf) => np.multiply(stay, a), accGrads),
      }];
    },
  };
}
