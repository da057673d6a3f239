/**
 * Optimizers, as optax's `alias` module: each a {@linkcode chain} of the
 * transformations of `transforms.ts`, with optax's defaults.
 *
 * @module
 */

import { checkOptions } from "../core/options.ts";
import { chain, type GradientTransformation, identity, type ScalarOrSchedule } from "./base.ts";
import {
  type AdamOptions,
  addDecayedWeights,
  type RmsOptions,
  scaleByAdam,
  scaleByLearningRate,
  scaleByRms,
  scaleByRss,
  scaleByStddev,
  trace,
} from "./transforms.ts";
import type { Mask } from "./wrappers.ts";

/**
 * Stochastic gradient descent, with optional (Nesterov) momentum (optax's
 * `sgd`): `u = −lr · g`, or `−lr · t` with `t ← g + momentum · t`.
 *
 * @example Minimising x²
 * ```ts
 * import { type Array, grad, np, optim } from "@nabla/ad";
 * import { ok } from "node:assert/strict";
 *
 * const tx = optim.sgd(0.1, { momentum: 0.9 });
 * let x = np.array(1);
 * let state = tx.init(x);
 * for (let i = 0; i < 300; i++) {
 *   let u: unknown;
 *   [u, state] = tx.update(grad(np.square)(x), state);
 *   x = optim.applyUpdates(x, u);
 * }
 * ok(Math.abs(x.item() as number) < 1e-6);
 * ```
 *
 * @param lr The learning rate, a number or a schedule.
 * @param options `momentum` (none by default), `nesterov` (false).
 * @returns The optimizer.
 */
export function sgd(
  lr: ScalarOrSchedule,
  options: { readonly momentum?: number; readonly nesterov?: boolean } = {},
): GradientTransformation {
  checkOptions("sgd", options, ["momentum", "nesterov"]);
  const { momentum, nesterov = false } = options;
  return chain(
    momentum === undefined || momentum === null ? identity() : trace(momentum, { nesterov }),
    scaleByLearningRate(lr),
  );
}

/**
 * Adam (optax's `adam`): `scaleByAdam` then `−lr`. Defaults b1 0.9, b2 0.999,
 * eps 1e-8 outside the square root, epsRoot 0; `nesterov: true` is NAdam.
 *
 * @example A first step moves each parameter by about lr
 * ```ts
 * import { type Array, np, optim } from "@nabla/ad";
 * import { ok } from "node:assert/strict";
 *
 * const tx = optim.adam(1e-3);
 * const [u] = tx.update({ w: np.array([2, -5]) }, tx.init({ w: np.zeros([2]) }));
 * const [a, b] = (u as { w: Array }).w.tolist() as number[];
 * ok(Math.abs(a + 1e-3) < 1e-10 && Math.abs(b - 1e-3) < 1e-10);
 * ```
 *
 * @param lr The learning rate, a number or a schedule.
 * @param options `b1`, `b2`, `eps`, `epsRoot`, `nesterov`.
 * @returns The optimizer.
 */
export function adam(lr: ScalarOrSchedule, options: AdamOptions = {}): GradientTransformation {
  checkOptions("adam", options, ["b1", "b2", "eps", "epsRoot", "nesterov"]);
  return chain(scaleByAdam(options), scaleByLearningRate(lr));
}

/**
 * Adam with decoupled weight decay (optax's `adamw`): `scaleByAdam`, then
 * `+ weightDecay · params` (default 1e-4; `mask` limits it), then `−lr`.
 *
 * @example Weight decay pulls a parameter with zero gradient towards 0
 * ```ts
 * import { type Array, np, optim } from "@nabla/ad";
 * import { equal } from "node:assert/strict";
 *
 * const tx = optim.adamw(0.1, { weightDecay: 0.5 });
 * const params = np.array(2);
 * const [u] = tx.update(np.array(0), tx.init(params), params);
 * equal((u as Array).item(), -0.1);
 * ```
 *
 * @param lr The learning rate, a number or a schedule.
 * @param options Adam's options, `weightDecay` (1e-4, or a schedule) and `mask`.
 * @returns The optimizer.
 */
export function adamw(
  lr: ScalarOrSchedule,
  options: AdamOptions & { readonly weightDecay?: ScalarOrSchedule; readonly mask?: Mask } = {},
): GradientTransformation {
  checkOptions("adamw", options, [
    ...["b1", "b2", "eps", "epsRoot", "nesterov"],
    "weightDecay",
    "mask",
  ]);
  const { weightDecay = 1e-4, mask, ...adamOptions } = options;
  return chain(
    scaleByAdam(adamOptions),
    addDecayedWeights(weightDecay, mask),
    scaleByLearningRate(lr),
  );
}

/**
 * RMSProp (optax's `rmsprop`): `scaleByRms` (or `scaleByStddev` when
 * `centered`), `−lr`, then optional (Nesterov) momentum. Defaults decay 0.9,
 * eps 1e-8 inside the square root.
 *
 * @example The first step from ν = 0
 * ```ts
 * import { type Array, np, optim } from "@nabla/ad";
 * import { ok } from "node:assert/strict";
 *
 * const tx = optim.rmsprop(0.01);
 * const [u] = tx.update(np.array(1), tx.init(np.zeros([])));
 * ok(Math.abs((u as Array).item() as number + 0.01 / Math.sqrt(0.1 + 1e-8)) < 1e-15);
 * ```
 *
 * @param lr The learning rate, a number or a schedule.
 * @param options `decay`, `eps`, `initialScale`, `epsInSqrt`, `biasCorrection`, `centered`,
 *   `momentum`, `nesterov`.
 * @returns The optimizer.
 */
export function rmsprop(
  lr: ScalarOrSchedule,
  options: RmsOptions & {
    readonly centered?: boolean;
    readonly momentum?: number;
    readonly nesterov?: boolean;
  } = {},
): GradientTransformation {
  checkOptions("rmsprop", options, [
    ...["decay", "eps", "initialScale", "epsInSqrt", "biasCorrection"],
    "centered",
    "momentum",
    "nesterov",
  ]);
  const { centered = false, momentum, nesterov = false, ...rms } = options;
  return chain(
    centered ? scaleByStddev(rms) : scaleByRms(rms),
    scaleByLearningRate(lr),
    momentum === undefined || momentum === null ? identity() : trace(momentum, { nesterov }),
  );
}

/**
 * AdaGrad (optax's `adagrad`): `scaleByRss` then `−lr`; defaults
 * initialAccumulatorValue 0.1, eps 1e-7.
 *
 * @example The first step
 * ```ts
 * import { type Array, np, optim } from "@nabla/ad";
 * import { ok } from "node:assert/strict";
 *
 * const tx = optim.adagrad(0.5);
 * const [u] = tx.update(np.array(3), tx.init(np.zeros([])));
 * ok(Math.abs((u as Array).item() as number + 0.5 * 3 / Math.sqrt(9.1 + 1e-7)) < 1e-15);
 * ```
 *
 * @param lr The learning rate, a number or a schedule.
 * @param options `initialAccumulatorValue`, `eps`.
 * @returns The optimizer.
 */
export function adagrad(
  lr: ScalarOrSchedule,
  options: { readonly initialAccumulatorValue?: number; readonly eps?: number } = {},
): GradientTransformation {
  checkOptions("adagrad", options, ["initialAccumulatorValue", "eps"]);
  return chain(scaleByRss(options), scaleByLearningRate(lr));
}
