/**
 * The building blocks of optimizers, as optax's `transform` module: scaling,
 * moments (`trace`, Adam's, RMSProp's, AdaGrad's), weight decay and
 * clipping. Each follows optax's update rule operation for operation, so
 * float64 results agree with optax's to rounding.
 *
 * @module
 */

import { checkOptions } from "../core/options.ts";
import type { NdArray } from "../array/array.ts";
import * as np from "../numpy/index.ts";
import * as tree from "../tree.ts";
import {
  arrayVersion,
  asDtypeOf,
  checkNumber,
  globalNorm,
  type GradientTransformation,
  increment,
  type Params,
  type ScalarOrSchedule,
  type Schedule,
  scheduleAt,
  withArrayVersion,
  zeroCount,
} from "./base.ts";
import { type Mask, masked } from "./wrappers.ts";

type Leaf = NdArray | number;
const map = tree.map;

/** Options of {@linkcode scaleByAdam} (and of `adam`, `adamw`). */
export interface AdamOptions {
  /** Decay of the first moment (default 0.9). */
  readonly b1?: number;
  /** Decay of the second moment (default 0.999). */
  readonly b2?: number;
  /** Added to the denominator, outside the square root (default 1e-8). */
  readonly eps?: number;
  /** Added to the second moment inside the square root (default 0). */
  readonly epsRoot?: number;
  /** Nesterov momentum: NAdam (default false). */
  readonly nesterov?: boolean;
}

/** Options of {@linkcode scaleByRms} (and of `rmsprop`). */
export interface RmsOptions {
  /** Decay of the average of squared gradients (default 0.9). */
  readonly decay?: number;
  /** Stabiliser of the denominator (default 1e-8). */
  readonly eps?: number;
  /** Initial value of the average of squared gradients (default 0). */
  readonly initialScale?: number;
  /** Whether `eps` goes inside the square root (default true) or outside it. */
  readonly epsInSqrt?: boolean;
  /** Whether to bias-correct the average, as Adam does (default false). */
  readonly biasCorrection?: boolean;
}

/** The state of {@linkcode scaleByAdam}: the count and both moments. */
export interface ScaleByAdamState {
  /** Updates so far (a float64 0-d array). */
  readonly count: NdArray;
  /** First moment, with the parameters' structure. */
  readonly mu: Params;
  /** Second moment, with the parameters' structure. */
  readonly nu: Params;
}

/** `1 − decay^count` divides a moment: optax's bias correction. */
function biasCorrection(moment: Params, decay: number, count: NdArray): Params {
  const c = np.subtract(1, np.power(decay, count));
  return map((m: Leaf) => np.divide(m, asDtypeOf(c, m)), moment);
}

/** `(1 − decay) gᵒʳᵈᵉʳ + decay t`, leaf by leaf. */
function updateMoment(updates: Params, moments: Params, decay: number, order: 1 | 2): Params {
  return map(
    (g: Leaf, t: Leaf) =>
      np.add(np.multiply(1 - decay, order === 1 ? g : np.square(g)), np.multiply(decay, t)),
    updates,
    moments,
  );
}

function zerosLike(params: Params): Params {
  return map((p: Leaf) => np.zerosLike(p), params);
}

function fullLike(params: Params, value: number): Params {
  return map((p: Leaf) => np.fullLike(p, value), params);
}

/**
 * Multiplies every update by a constant (optax's `scale`).
 *
 * @example Descend
 * ```ts
 * import { type Array, np, optim } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * const [u] = optim.scale(-0.5).update([np.array([2, 4])], null);
 * deepEqual((u as Array[])[0].tolist(), [-1, -2]);
 * ```
 *
 * @param step The factor.
 * @returns The transformation (its state is `null`).
 */
export function scale(step: number): GradientTransformation<null> {
  checkNumber("scale", "step", step);
  return {
    init: () => null,
    update: (updates, state) => [map((g: Leaf) => np.multiply(step, g), updates), state],
  };
}

/**
 * Multiplies every update by a schedule's value at the number of updates so
 * far (optax's `scale_by_schedule`).
 *
 * @example Halving each step
 * ```ts
 * import { type Array, np, optim } from "@nabla/ad";
 * import { equal } from "node:assert/strict";
 *
 * const tx = optim.scaleBySchedule((n) => 0.5 ** n);
 * let state = tx.init(np.zeros([]));
 * let u: unknown;
 * for (let i = 0; i < 3; i++) [u, state] = tx.update(np.array(1), state);
 * equal((u as Array).item(), 0.25);
 * equal(state.count.item(), 3);
 * ```
 *
 * @param schedule The factor as a function of the count (0 at the first update).
 * @returns The transformation (its state holds the count).
 */
export function scaleBySchedule(schedule: Schedule): GradientTransformation<{ count: NdArray }> {
  if (typeof schedule !== "function") {
    throw new TypeError(`scaleBySchedule: schedule must be a function: got ${String(schedule)}`);
  }
  return {
    init: () => ({ count: zeroCount() }),
    update: (updates, state) => {
      const s = scheduleAt(schedule, state.count);
      return [map((g: Leaf) => np.multiply(asDtypeOf(s, g), g), updates), {
        count: increment(state.count),
      }];
    },
  };
}

/**
 * Multiplies updates by −learning rate (or +, with `flipSign: false`);
 * the learning rate may be a schedule (optax's `scale_by_learning_rate`).
 *
 * @example A constant and a scheduled rate
 * ```ts
 * import { type Array, np, optim } from "@nabla/ad";
 * import { equal } from "node:assert/strict";
 *
 * const [u] = optim.scaleByLearningRate(0.1).update(np.array(2), null);
 * equal((u as Array).item(), -0.2);
 * const tx = optim.scaleByLearningRate((n) => 1 / (n + 1), { flipSign: false });
 * const [v] = tx.update(np.array(2), tx.init(null));
 * equal((v as Array).item(), 2);
 * ```
 *
 * @param lr The learning rate, a number or a schedule.
 * @param options `flipSign` (default true): whether to negate, for descent.
 * @returns The transformation.
 */
export function scaleByLearningRate(
  lr: ScalarOrSchedule,
  options: boolean | { readonly flipSign?: boolean } = {},
): GradientTransformation {
  checkNumber("scaleByLearningRate", "lr", lr, true);
  checkOptions("scaleByLearningRate", options, ["flipSign"]);
  const flip = typeof options === "boolean" ? options : options.flipSign ?? true;
  const m = flip ? -1 : 1;
  if (typeof lr === "function") {
    const onArray = arrayVersion(lr);
    const flipped: Schedule = (count) => m * lr(count);
    return scaleBySchedule(
      onArray ? withArrayVersion(flipped, (c) => np.multiply(m, onArray(c))) : flipped,
    );
  }
  return scale(m * lr);
}

/**
 * Momentum: `t ← g + decay · t`, returning `t` (or `g + decay · t` with
 * Nesterov) (optax's `trace`).
 *
 * @example Heavy-ball momentum
 * ```ts
 * import { type Array, np, optim } from "@nabla/ad";
 * import { equal } from "node:assert/strict";
 *
 * const tx = optim.trace({ decay: 0.5 });
 * let state = tx.init(np.zeros([]));
 * let u: unknown;
 * [u, state] = tx.update(np.array(1), state);
 * [u, state] = tx.update(np.array(1), state);
 * equal((u as Array).item(), 1.5);
 * ```
 *
 * @param decay The decay, or options `{ decay, nesterov }`.
 * @param options `nesterov` (default false) when `decay` is a number.
 * @returns The transformation (its state holds the trace).
 */
export function trace(
  decay: number | { readonly decay: number; readonly nesterov?: boolean },
  options: { readonly nesterov?: boolean } = {},
): GradientTransformation<{ trace: Params }> {
  checkOptions("trace", decay, ["decay", "nesterov"]);
  checkOptions("trace", options, ["nesterov"]);
  const d = typeof decay === "number" ? decay : decay?.decay;
  const nesterov = (typeof decay === "number" ? options.nesterov : decay?.nesterov) ?? false;
  checkNumber("trace", "decay", d);
  return {
    init: (params) => ({ trace: zerosLike(params) }),
    update: (updates, state) => {
      const f = (g: Leaf, t: Leaf) => np.add(g, np.multiply(d, t));
      const next = map(f, updates, state.trace);
      return [nesterov ? map(f, updates, next) : next, { trace: next }];
    },
  };
}

/**
 * Adam's scaling: bias-corrected first moment over the square root of the
 * bias-corrected second moment, `m̂ / (√(v̂ + epsRoot) + eps)` (optax's
 * `scale_by_adam`; with `nesterov`, NAdam).
 *
 * @example The first step is the sign of the gradient
 * ```ts
 * import { type Array, np, optim } from "@nabla/ad";
 * import { ok } from "node:assert/strict";
 *
 * const tx = optim.scaleByAdam();
 * const [u] = tx.update(np.array([3, -0.01]), tx.init(np.zeros([2])));
 * const [a, b] = (u as Array).tolist() as number[];
 * ok(Math.abs(a - 1) < 1e-8 && Math.abs(b + 1) < 1e-5);
 * ```
 *
 * @param options `b1` (0.9), `b2` (0.999), `eps` (1e-8), `epsRoot` (0), `nesterov` (false).
 * @returns The transformation (its state holds the count and both moments).
 */
export function scaleByAdam(options: AdamOptions = {}): GradientTransformation<ScaleByAdamState> {
  checkOptions("scaleByAdam", options, ["b1", "b2", "eps", "epsRoot", "nesterov"]);
  const { b1 = 0.9, b2 = 0.999, eps = 1e-8, epsRoot = 0, nesterov = false } = options;
  for (const [k, v] of Object.entries({ b1, b2, eps, epsRoot })) checkNumber("scaleByAdam", k, v);
  return {
    init: (params) => ({ count: zeroCount(), mu: zerosLike(params), nu: zerosLike(params) }),
    update: (updates, state) => {
      const mu = updateMoment(updates, state.mu, b1, 1);
      const nu = updateMoment(updates, state.nu, b2, 2);
      const count = increment(state.count);
      const muHat = nesterov
        ? map(
          (m: Leaf, g: Leaf) => np.add(np.multiply(b1, m), np.multiply(1 - b1, g)),
          biasCorrection(mu, b1, increment(count)),
          biasCorrection(updates, b1, count),
        )
        : biasCorrection(mu, b1, count);
      const nuHat = biasCorrection(nu, b2, count);
      const out = map(
        // v + 0 is v for v ≥ 0 (and √−0 + eps = √0 + eps): skip the pass when epsRoot is 0
        (m: Leaf, v: Leaf) =>
          np.divide(m, np.add(np.sqrt(epsRoot === 0 ? v : np.add(v, epsRoot)), eps)),
        muHat,
        nuHat,
      );
      return [out, { count, mu, nu }];
    },
  };
}

/**
 * RMSProp's scaling: divides by the root of an exponential moving average of
 * squared gradients, `g / √(ν + eps)` (or `g / (√ν + eps)`) (optax's
 * `scale_by_rms`).
 *
 * @example One step from ν = 0
 * ```ts
 * import { type Array, np, optim } from "@nabla/ad";
 * import { ok } from "node:assert/strict";
 *
 * const tx = optim.scaleByRms({ decay: 0.75 });
 * const [u] = tx.update(np.array(2), tx.init(np.zeros([])));
 * ok(Math.abs((u as Array).item() as number - 2 / Math.sqrt(0.25 * 4 + 1e-8)) < 1e-15);
 * ```
 *
 * @param options `decay` (0.9), `eps` (1e-8), `initialScale` (0), `epsInSqrt` (true),
 *   `biasCorrection` (false).
 * @returns The transformation (its state holds ν, and the count with `biasCorrection`).
 */
export function scaleByRms(
  options: RmsOptions = {},
): GradientTransformation<{ nu: Params; count?: NdArray }> {
  const {
    decay = 0.9,
    eps = 1e-8,
    initialScale = 0,
    epsInSqrt = true,
    biasCorrection: bc = false,
  } = options;
  checkOptions("scaleByRms", options, [
    "decay",
    "eps",
    "initialScale",
    "epsInSqrt",
    "biasCorrection",
  ]);
  for (const [k, v] of Object.entries({ decay, eps, initialScale })) {
    checkNumber("scaleByRms", k, v);
  }
  return {
    init: (params) => {
      const nu = fullLike(params, initialScale);
      return bc ? { count: zeroCount(), nu } : { nu };
    },
    update: (updates, state) => {
      const nu = updateMoment(updates, state.nu, decay, 2);
      const count = bc ? increment(state.count as NdArray) : undefined;
      const nuHat = count ? biasCorrection(nu, decay, count) : nu;
      const out = map(
        (n: Leaf, g: Leaf) =>
          np.multiply(
            epsInSqrt
              ? np.divide(1, np.sqrt(np.add(n, eps)))
              : np.divide(1, np.add(np.sqrt(n), eps)),
            g,
          ),
        nuHat,
        updates,
      );
      return [out, count ? { count, nu } : { nu }];
    },
  };
}

/**
 * Centred RMSProp's scaling: divides by the root of the variance estimate
 * `ν − μ²` (optax's `scale_by_stddev`).
 *
 * @example One step from μ = ν = 0
 * ```ts
 * import { type Array, np, optim } from "@nabla/ad";
 * import { ok } from "node:assert/strict";
 *
 * const tx = optim.scaleByStddev({ decay: 0.5 });
 * const [u] = tx.update(np.array(2), tx.init(np.zeros([])));
 * ok(Math.abs((u as Array).item() as number - 2 / Math.sqrt(2 - 1 + 1e-8)) < 1e-15);
 * ```
 *
 * @param options As {@linkcode scaleByRms}.
 * @returns The transformation (its state holds μ and ν, and the count with `biasCorrection`).
 */
export function scaleByStddev(
  options: RmsOptions = {},
): GradientTransformation<{ mu: Params; nu: Params; count?: NdArray }> {
  const {
    decay = 0.9,
    eps = 1e-8,
    initialScale = 0,
    epsInSqrt = true,
    biasCorrection: bc = false,
  } = options;
  checkOptions("scaleByStddev", options, [
    "decay",
    "eps",
    "initialScale",
    "epsInSqrt",
    "biasCorrection",
  ]);
  for (const [k, v] of Object.entries({ decay, eps, initialScale })) {
    checkNumber("scaleByStddev", k, v);
  }
  return {
    init: (params) => {
      const mu = zerosLike(params);
      const nu = fullLike(params, initialScale);
      return bc ? { count: zeroCount(), mu, nu } : { mu, nu };
    },
    update: (updates, state) => {
      const mu = updateMoment(updates, state.mu, decay, 1);
      const nu = updateMoment(updates, state.nu, decay, 2);
      const count = bc ? increment(state.count as NdArray) : undefined;
      const muHat = count ? biasCorrection(mu, decay, count) : mu;
      const nuHat = count ? biasCorrection(nu, decay, count) : nu;
      const out = map(
        (m: Leaf, n: Leaf, g: Leaf) => {
          const variance = np.subtract(n, np.square(m));
          const s = epsInSqrt
            ? np.divide(1, np.sqrt(np.add(variance, eps)))
            : np.divide(1, np.add(np.sqrt(variance), eps));
          return np.multiply(s, g);
        },
        muHat,
        nuHat,
        updates,
      );
      return [out, count ? { count, mu, nu } : { mu, nu }];
    },
  };
}

/**
 * AdaGrad's scaling: divides by the root of the running sum of squared
 * gradients, `g / √(Σg² + eps)` where the sum is positive, else 0 (optax's
 * `scale_by_rss`).
 *
 * @example Two steps
 * ```ts
 * import { type Array, np, optim } from "@nabla/ad";
 * import { ok } from "node:assert/strict";
 *
 * const tx = optim.scaleByRss({ initialAccumulatorValue: 0 });
 * let state = tx.init(np.zeros([]));
 * let u: unknown;
 * [u, state] = tx.update(np.array(3), state);
 * [u, state] = tx.update(np.array(4), state);
 * ok(Math.abs((u as Array).item() as number - 4 / Math.sqrt(25 + 1e-7)) < 1e-15);
 * ```
 *
 * @param options `initialAccumulatorValue` (0.1), `eps` (1e-7).
 * @returns The transformation (its state holds the sum of squares).
 */
export function scaleByRss(
  options: { readonly initialAccumulatorValue?: number; readonly eps?: number } = {},
): GradientTransformation<{ sumOfSquares: Params }> {
  checkOptions("scaleByRss", options, ["initialAccumulatorValue", "eps"]);
  const { initialAccumulatorValue = 0.1, eps = 1e-7 } = options;
  checkNumber("scaleByRss", "initialAccumulatorValue", initialAccumulatorValue);
  checkNumber("scaleByRss", "eps", eps);
  return {
    init: (params) => ({ sumOfSquares: fullLike(params, initialAccumulatorValue) }),
    update: (updates, state) => {
      const sumOfSquares = map(
        (g: Leaf, t: Leaf) => np.add(np.square(g), t),
        updates,
        state.sumOfSquares,
      );
      const out = map(
        (t: Leaf, g: Leaf) =>
          np.multiply(np.where(np.greater(t, 0), np.divide(1, np.sqrt(np.add(t, eps))), 0), g),
        sumOfSquares,
        updates,
      );
      return [out, { sumOfSquares }];
    },
  };
}

/**
 * Adds `weightDecay · params` to the updates, decoupled weight decay as in
 * AdamW (optax's `add_decayed_weights`); the rate may be a schedule, and a
 * `mask` limits it to some leaves (by path, or a tree of booleans).
 *
 * @example Decay the weights, not the bias
 * ```ts
 * import { np, optim } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * const params = { w: np.array(2), b: np.array(2) };
 * const tx = optim.addDecayedWeights(0.5, (path) => path !== "b");
 * const [u] = tx.update({ w: np.array(1), b: np.array(1) }, tx.init(params), params);
 * const { w, b } = u as typeof params;
 * deepEqual([w.item(), b.item()], [2, 1]);
 * ```
 *
 * @param weightDecay The rate, a number or a schedule (default 0).
 * @param mask Which leaves to decay: a predicate on paths, or a tree of booleans.
 * @returns The transformation (its state holds the count when the rate is a schedule).
 */
export function addDecayedWeights(
  weightDecay: ScalarOrSchedule = 0,
  mask?: Mask,
): GradientTransformation {
  checkNumber("addDecayedWeights", "weightDecay", weightDecay, true);
  const inner: GradientTransformation<{ count: NdArray } | null> = {
    init: () => (typeof weightDecay === "function" ? { count: zeroCount() } : null),
    update: (updates, state, params) => {
      if (params === undefined) {
        throw new TypeError(
          "addDecayedWeights: update needs the parameters: call update(updates, state, params)",
        );
      }
      const next = state === null ? null : { count: increment(state.count) };
      if (typeof weightDecay === "number" && weightDecay === 0) return [updates, next];
      const s = typeof weightDecay === "function"
        ? scheduleAt(weightDecay, (state as { count: NdArray }).count)
        : weightDecay;
      return [
        map((g: Leaf, p: Leaf) => np.add(g, np.multiply(asDtypeOf(s, p), p)), updates, params),
        next,
      ];
    },
  };
  return mask === undefined ? inner : masked(inner, mask);
}

/**
 * Clips every update element to [−maxDelta, maxDelta] (optax's `clip`).
 *
 * @example
 * ```ts
 * import { type Array, np, optim } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * const [u] = optim.clip(1).update(np.array([-3, 0.5, 2]), null);
 * deepEqual((u as Array).tolist(), [-1, 0.5, 1]);
 * ```
 *
 * @param maxDelta The bound (non-negative).
 * @returns The transformation (its state is `null`).
 */
export function clip(maxDelta: number): GradientTransformation<null> {
  checkNumber("clip", "maxDelta", maxDelta);
  return {
    init: () => null,
    update: (updates, state) => [map((g: Leaf) => np.clip(g, -maxDelta, maxDelta), updates), state],
  };
}

/**
 * Rescales the updates so that their global norm is at most `maxNorm`
 * (optax's `clip_by_global_norm`): `g · maxNorm / ‖g‖` when `‖g‖ ≥ maxNorm`.
 *
 * @example A 3-4-5 gradient clipped to norm 1
 * ```ts
 * import { type Array, np, optim } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * const [u] = optim.clipByGlobalNorm(1).update([np.array(3), np.array(4)], null);
 * deepEqual((u as Array[]).map((x) => x.item()), [0.6, 0.8]);
 * ```
 *
 * @param maxNorm The largest global norm.
 * @returns The transformation (its state is `null`).
 */
export function clipByGlobalNorm(maxNorm: number): GradientTransformation<null> {
  checkNumber("clipByGlobalNorm", "maxNorm", maxNorm);
  return {
    init: () => null,
    update: (updates, state) => {
      const norm = globalNorm(updates);
      const trigger = np.less(norm, maxNorm);
      return [
        map(
          (t: Leaf) => np.where(trigger, t, np.multiply(np.divide(t, norm), maxNorm)),
          updates,
        ),
        state,
      ];
    },
  };
}
