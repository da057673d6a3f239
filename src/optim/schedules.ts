/**
 * Schedules, as optax's `schedules`: functions from the number of updates so
 * far (0 at the first update) to a hyperparameter's value, with optax's
 * arguments (camelCase, in an options object) and boundary semantics.
 *
 * @module
 */

import type { NdArray } from "../array/array.ts";
import { checkOptions } from "../core/options.ts";
import * as np from "../numpy/index.ts";
import { arrayVersion, checkNumber, type Schedule, withArrayVersion } from "./base.ts";

/** The arithmetic a schedule is written in: JS numbers, or `np` on array counts. */
interface Ops<T> {
  add(a: T | number, b: T | number): T;
  sub(a: T | number, b: T | number): T;
  mul(a: T | number, b: T | number): T;
  div(a: T | number, b: T | number): T;
  pow(a: T | number, b: T | number): T;
  min(a: T | number, b: T | number): T;
  max(a: T | number, b: T | number): T;
  floor(a: T): T;
  cos(a: T): T;
  sign(a: T): T;
  /** `a < b ? x : y` */
  lt(a: T | number, b: T | number, x: T | number, y: T | number): T;
  /** `a <= b ? x : y` */
  le(a: T | number, b: T | number, x: T | number, y: T | number): T;
}

const numberOps: Ops<number> = {
  add: (a, b) => a + b,
  sub: (a, b) => a - b,
  mul: (a, b) => a * b,
  div: (a, b) => a / b,
  pow: (a, b) => a ** b,
  min: Math.min,
  max: Math.max,
  floor: Math.floor,
  cos: Math.cos,
  sign: Math.sign,
  lt: (a, b, x, y) => (a < b ? x : y),
  le: (a, b, x, y) => (a <= b ? x : y),
};

const arrayOps: Ops<NdArray> = {
  add: np.add,
  sub: np.subtract,
  mul: np.multiply,
  div: np.divide,
  pow: np.power,
  min: np.minimum,
  max: np.maximum,
  floor: np.floor,
  cos: np.cos,
  sign: np.sign,
  lt: (a, b, x, y) => np.where(np.less(a, b), x, y),
  le: (a, b, x, y) => np.where(np.lessEqual(a, b), x, y),
};

/** A schedule written once over {@linkcode Ops}: a number function with an array version. */
function define(f: <T>(M: Ops<T>, count: T) => T | number): Schedule {
  return withArrayVersion(
    (count) => f(numberOps, count),
    (count) => np.asarray(f(arrayOps, count)),
  );
}

/** Checks an options object: no unknown keys, and the `required` ones are numbers. */
function check(
  fn: string,
  o: Record<string, unknown>,
  required: readonly string[],
  optional: readonly string[] = [],
): void {
  if (typeof o !== "object" || o === null) {
    throw new TypeError(`${fn}: expected an options object: got ${String(o)}`);
  }
  checkOptions(fn, o, [...required, ...optional]);
  for (const n of required) checkNumber(fn, n, o[n]);
}

/**
 * The same value at every step (optax's `constant_schedule`).
 *
 * @example
 * ```ts
 * import { optim } from "@nabla/ad";
 * import { equal } from "node:assert/strict";
 *
 * equal(optim.constantSchedule(0.1)(1000), 0.1);
 * ```
 *
 * @param value The value.
 * @returns The schedule.
 */
export function constantSchedule(value: number): Schedule {
  checkNumber("constantSchedule", "value", value);
  return define(() => value);
}

/**
 * Polynomial interpolation from `initValue` to `endValue` over
 * `transitionSteps` steps starting at `transitionBegin`:
 * `(init − end)(1 − t/steps)^power + end`, constant before and after (optax's
 * `polynomial_schedule`; `transitionSteps ≤ 0` gives the constant `initValue`).
 *
 * @example A quadratic decay
 * ```ts
 * import { optim } from "@nabla/ad";
 * import { equal } from "node:assert/strict";
 *
 * const s = optim.polynomialSchedule({ initValue: 1, endValue: 0, power: 2, transitionSteps: 10 });
 * equal(s(5), 0.25);
 * equal(s(20), 0);
 * ```
 *
 * @param o `initValue`, `endValue`, `power`, `transitionSteps`, `transitionBegin` (0).
 * @returns The schedule.
 */
export function polynomialSchedule(o: {
  readonly initValue: number;
  readonly endValue: number;
  readonly power: number;
  readonly transitionSteps: number;
  readonly transitionBegin?: number;
}): Schedule {
  check("polynomialSchedule", o, ["initValue", "endValue", "power", "transitionSteps"], [
    "transitionBegin",
  ]);
  const { initValue, endValue, power, transitionSteps } = o;
  if (transitionSteps <= 0) return define(() => initValue);
  const begin = Math.max(o.transitionBegin ?? 0, 0);
  return define((M, count) => {
    const c = M.min(M.max(M.sub(count, begin), 0), transitionSteps);
    const frac = M.sub(1, M.div(c, transitionSteps));
    return M.add(M.mul(initValue - endValue, M.pow(frac, power)), endValue);
  });
}

/**
 * Linear interpolation from `initValue` to `endValue` over `transitionSteps`
 * steps starting at `transitionBegin` (optax's `linear_schedule`).
 *
 * @example A warm-up
 * ```ts
 * import { optim } from "@nabla/ad";
 * import { equal } from "node:assert/strict";
 *
 * const s = optim.linearSchedule({ initValue: 0, endValue: 1, transitionSteps: 4 });
 * equal(s(1), 0.25);
 * equal(s(9), 1);
 * ```
 *
 * @param o `initValue`, `endValue`, `transitionSteps`, `transitionBegin` (0).
 * @returns The schedule.
 */
export function linearSchedule(o: {
  readonly initValue: number;
  readonly endValue: number;
  readonly transitionSteps: number;
  readonly transitionBegin?: number;
}): Schedule {
  check("linearSchedule", o, ["initValue", "endValue", "transitionSteps"], ["transitionBegin"]);
  return polynomialSchedule({ ...o, power: 1 });
}

/**
 * Exponential decay `initValue · decayRate^((count − transitionBegin) / transitionSteps)`
 * after `transitionBegin` (`initValue` until then), the exponent floored with
 * `staircase`, bounded by `endValue` (optax's `exponential_decay`).
 *
 * @example Halving every 10 steps
 * ```ts
 * import { optim } from "@nabla/ad";
 * import { equal } from "node:assert/strict";
 *
 * const s = optim.exponentialDecay({ initValue: 1, transitionSteps: 10, decayRate: 0.5 });
 * equal(s(20), 0.25);
 * const stairs = optim.exponentialDecay({
 *   initValue: 1, transitionSteps: 10, decayRate: 0.5, staircase: true, endValue: 0.3,
 * });
 * equal(stairs(15), 0.5);
 * equal(stairs(25), 0.3);
 * ```
 *
 * @param o `initValue`, `transitionSteps`, `decayRate`, `transitionBegin` (0), `staircase`
 *   (false), `endValue` (none).
 * @returns The schedule.
 */
export function exponentialDecay(o: {
  readonly initValue: number;
  readonly transitionSteps: number;
  readonly decayRate: number;
  readonly transitionBegin?: number;
  readonly staircase?: boolean;
  readonly endValue?: number;
}): Schedule {
  check("exponentialDecay", o, ["initValue", "transitionSteps", "decayRate"], [
    "transitionBegin",
    "staircase",
    "endValue",
  ]);
  const { initValue, transitionSteps, decayRate, staircase = false, endValue } = o;
  if (transitionSteps <= 0 || decayRate === 0) return define(() => initValue);
  const begin = Math.max(o.transitionBegin ?? 0, 0);
  if (endValue !== undefined) checkNumber("exponentialDecay", "endValue", endValue);
  return define((M, count) => {
    const decreased = M.sub(count, begin);
    let p = M.div(decreased, transitionSteps);
    if (staircase) p = M.floor(p);
    const v = M.le(decreased, 0, initValue, M.mul(initValue, M.pow(decayRate, p)));
    if (endValue === undefined) return v;
    return decayRate < 1 ? M.max(v, endValue) : M.min(v, endValue);
  });
}

/**
 * Cosine decay from `initValue` to `alpha · initValue` over `decaySteps`
 * steps, `init · ((1 − α)(½(1 + cos(π t/steps)))^exponent + α)`, constant
 * after (optax's `cosine_decay_schedule`).
 *
 * @example Halfway is half
 * ```ts
 * import { optim } from "@nabla/ad";
 * import { equal, ok } from "node:assert/strict";
 *
 * const s = optim.cosineDecaySchedule({ initValue: 1, decaySteps: 100 });
 * ok(Math.abs(s(50) - 0.5) < 1e-15);
 * equal(s(200), 0);
 * ```
 *
 * @param o `initValue`, `decaySteps` (positive), `alpha` (0), `exponent` (1).
 * @returns The schedule.
 */
export function cosineDecaySchedule(o: {
  readonly initValue: number;
  readonly decaySteps: number;
  readonly alpha?: number;
  readonly exponent?: number;
}): Schedule {
  check("cosineDecaySchedule", o, ["initValue", "decaySteps"], ["alpha", "exponent"]);
  const { initValue, decaySteps, alpha = 0, exponent = 1 } = o;
  if (!(decaySteps > 0)) {
    throw new RangeError(`cosineDecaySchedule: decaySteps must be positive: got ${decaySteps}`);
  }
  checkNumber("cosineDecaySchedule", "alpha", alpha);
  checkNumber("cosineDecaySchedule", "exponent", exponent);
  return define((M, count) => {
    const c = M.min(count, decaySteps);
    const cosine = M.mul(0.5, M.add(1, M.cos(M.div(M.mul(Math.PI, c), decaySteps))));
    return M.mul(initValue, M.add(M.mul(1 - alpha, M.pow(cosine, exponent)), alpha));
  });
}

/**
 * A linear warm-up from `initValue` to `peakValue` over `warmupSteps`, then a
 * cosine decay to `endValue` reached at `decaySteps` (which counts the
 * warm-up) (optax's `warmup_cosine_decay_schedule`).
 *
 * @example
 * ```ts
 * import { optim } from "@nabla/ad";
 * import { equal, ok } from "node:assert/strict";
 *
 * const s = optim.warmupCosineDecaySchedule({
 *   initValue: 0, peakValue: 1, warmupSteps: 10, decaySteps: 110, endValue: 0.1,
 * });
 * equal(s(5), 0.5);
 * equal(s(10), 1);
 * ok(Math.abs(s(60) - 0.55) < 1e-15);
 * ```
 *
 * @param o `initValue`, `peakValue`, `warmupSteps`, `decaySteps` (more than `warmupSteps`),
 *   `endValue` (0), `exponent` (1).
 * @returns The schedule.
 */
export function warmupCosineDecaySchedule(o: {
  readonly initValue: number;
  readonly peakValue: number;
  readonly warmupSteps: number;
  readonly decaySteps: number;
  readonly endValue?: number;
  readonly exponent?: number;
}): Schedule {
  check("warmupCosineDecaySchedule", o, ["initValue", "peakValue", "warmupSteps", "decaySteps"], [
    "endValue",
    "exponent",
  ]);
  const { initValue, peakValue, warmupSteps, decaySteps, endValue = 0, exponent = 1 } = o;
  checkNumber("warmupCosineDecaySchedule", "endValue", endValue);
  if (!(decaySteps - warmupSteps > 0)) {
    throw new RangeError(
      `warmupCosineDecaySchedule: decaySteps must exceed warmupSteps: got decaySteps ${decaySteps} and warmupSteps ${warmupSteps}`,
    );
  }
  const alpha = peakValue === 0 ? 0 : endValue / peakValue;
  return joinSchedules([
    linearSchedule({ initValue, endValue: peakValue, transitionSteps: warmupSteps }),
    cosineDecaySchedule({
      initValue: peakValue,
      decaySteps: decaySteps - warmupSteps,
      alpha,
      exponent,
    }),
  ], [warmupSteps]);
}

/**
 * `initValue`, multiplied by each scale from its boundary on: the value at
 * `count` is `initValue · Π scales[b]` over boundaries `b ≤ count` (optax's
 * `piecewise_constant_schedule`; scales must be non-negative).
 *
 * @example Divide by 10 at steps 100 and 200
 * ```ts
 * import { optim } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * const s = optim.piecewiseConstantSchedule(1, { 100: 0.1, 200: 0.1 });
 * deepEqual([s(99), s(100), s(250)], [1, 0.1, 0.010000000000000002]);
 * ```
 *
 * @param initValue The value before the first boundary.
 * @param boundariesAndScales Steps and the factors that apply from them on.
 * @returns The schedule.
 */
export function piecewiseConstantSchedule(
  initValue: number,
  boundariesAndScales: Readonly<Record<number, number>> = {},
): Schedule {
  checkNumber("piecewiseConstantSchedule", "initValue", initValue);
  const pairs = Object.entries(boundariesAndScales).map(([b, s]) => [Number(b), s] as const)
    .sort((a, b) => a[0] - b[0]);
  for (const [b, s] of pairs) {
    if (!Number.isFinite(b)) {
      throw new TypeError(`piecewiseConstantSchedule: boundaries must be numbers: got ${b}`);
    }
    if (!(s >= 0)) {
      throw new RangeError(
        `piecewiseConstantSchedule: scales must be non-negative: got ${s} at boundary ${b}`,
      );
    }
  }
  return define(<T>(M: Ops<T>, count: T) => {
    let v: T | number = initValue;
    for (const [threshold, s] of pairs) {
      const indicator = M.max(0, M.sign(M.sub(threshold, count)));
      v = M.add(M.mul(v, indicator), M.mul(M.mul(M.sub(1, indicator), s), v));
    }
    return v;
  });
}

/**
 * Runs `schedules[0]` until `boundaries[0]`, then `schedules[1]` (counting
 * from 0 again) until `boundaries[1]`, and so on (optax's `join_schedules`).
 *
 * @example Warm up, then hold
 * ```ts
 * import { optim } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * const s = optim.joinSchedules([
 *   optim.linearSchedule({ initValue: 0, endValue: 1, transitionSteps: 10 }),
 *   (n) => 1 / (1 + n),
 * ], [10]);
 * deepEqual([s(5), s(10), s(11)], [0.5, 1, 0.5]);
 * ```
 *
 * @param schedules The schedules, one more than the boundaries.
 * @param boundaries The steps at which each next schedule starts.
 * @returns The joined schedule.
 */
export function joinSchedules(
  schedules: readonly Schedule[],
  boundaries: readonly number[],
): Schedule {
  if (!Array.isArray(schedules) || schedules.length === 0) {
    throw new TypeError(`joinSchedules: schedules must be a non-empty list: got ${schedules}`);
  }
  if (!Array.isArray(boundaries) || boundaries.length !== schedules.length - 1) {
    throw new TypeError(
      `joinSchedules: expected ${
        schedules.length - 1
      } boundaries for ${schedules.length} schedules: got ${
        Array.isArray(boundaries) ? boundaries.length : String(boundaries)
      }`,
    );
  }
  const joined: Schedule = (step) => {
    let out = schedules[0](step);
    boundaries.forEach((b, i) => {
      if (step >= b) out = schedules[i + 1](step - b);
    });
    return out;
  };
  const parts = schedules.map(arrayVersion);
  if (parts.some((p) => p === undefined)) return joined;
  const onArray = parts as ((count: NdArray) => NdArray)[];
  return withArrayVersion(joined, (step) => {
    let out = onArray[0](step);
    boundaries.forEach((b, i) => {
      out = np.where(np.less(step, b), out, onArray[i + 1](np.subtract(step, b)));
    });
    return out;
  });
}
