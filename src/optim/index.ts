/**
 * Optimizers as optax writes them: gradient transformations over parameter
 * trees (`init(params) → state`, `update(grads, state, params?) → [updates,
 * state]`), their combinators, the usual optimizers with optax's defaults and
 * update rules, and learning-rate schedules.
 *
 * @example Fitting a line with Adam
 * ```ts
 * import { type Array, np, optim, valueAndGrad } from "@nabla/ad";
 * import { ok } from "node:assert/strict";
 *
 * const x = np.linspace(-1, 1, 20);
 * const y = np.add(np.multiply(3, x), 0.5);
 * const loss = (p: { w: Array; b: Array }) =>
 *   np.mean(np.square(np.subtract(np.add(np.multiply(p.w, x), p.b), y)));
 * const tx = optim.adam(0.05);
 * let params = { w: np.array(0), b: np.array(0) };
 * let state = tx.init(params);
 * for (let i = 0; i < 500; i++) {
 *   const [, g] = valueAndGrad(loss)(params);
 *   let updates: unknown;
 *   [updates, state] = tx.update(g, state, params);
 *   params = optim.applyUpdates(params, updates);
 * }
 * ok(Math.abs((params.w.item() as number) - 3) < 1e-3);
 * ```
 *
 * @module
 */

export {
  applyUpdates,
  chain,
  globalNorm,
  type GradientTransformation,
  identity,
  type OptState,
  type Params,
  type ScalarOrSchedule,
  type Schedule,
} from "./base.ts";
export {
  type AdamOptions,
  addDecayedWeights,
  clip,
  clipByGlobalNorm,
  type RmsOptions,
  scale,
  scaleByAdam,
  type ScaleByAdamState,
  scaleByLearningRate,
  scaleByRms,
  scaleByRss,
  scaleBySchedule,
  scaleByStddev,
  trace,
} from "./transforms.ts";
export {
  applyIfFinite,
  type ApplyIfFiniteState,
  type Hyperparams,
  injectHyperparams,
  type InjectHyperparamsState,
  type Mask,
  masked,
  type MaskedState,
  type MaskTree,
  multiSteps,
  type MultiStepsState,
} from "./wrappers.ts";
export { adagrad, adam, adamw, rmsprop, sgd } from "./alias.ts";
export {
  constantSchedule,
  cosineDecaySchedule,
  exponentialDecay,
  joinSchedules,
  linearSchedule,
  piecewiseConstantSchedule,
  polynomialSchedule,
  warmupCosineDecaySchedule,
} from "./schedules.ts";
