/**
 * The shapes shared by the Effect layer: training states and step reports (and the core's
 * optimizer types, re-exported).
 *
 * @module
 */

import type { OptState } from "../optim/base.ts";

export type { GradientTransformation, OptState, Params } from "../optim/base.ts";

/** Where training stands: the number of updates applied, the parameters, the optimizer state. */
export interface TrainState<P> {
  /** Updates applied so far (checkpoints are keyed by it). */
  readonly step: number;
  /** The parameters after `step` updates. */
  readonly params: P;
  /** The optimizer's state after `step` updates. */
  readonly optState: OptState;
}

/** What one training step reports. */
export interface StepReport<P, Aux = undefined> {
  /** 0-based index of this update (`state.step − 1`). */
  readonly step: number;
  /** The loss at the parameters the step started from. */
  readonly loss: number;
  /** The global L2 norm of the gradient. */
  readonly gradNorm: number;
  /** The current learning rate, when the optimizer comes from `injectHyperparams`. */
  readonly learningRate?: number;
  /** The loss function's auxiliary output (with `hasAux`). */
  readonly aux: Aux;
  /** The epoch of the batch, when the data come from `Data.batches`. */
  readonly epoch?: number;
  /** The index of the batch in its epoch, when the data come from `Data.batches`. */
  readonly batchIndex?: number;
  /** Clock time since the run began (virtual under `TestClock`). */
  readonly elapsedMillis: number;
  /** Wall time of the step's computation. */
  readonly stepMillis: number;
  /** The state after the update. */
  readonly state: TrainState<P>;
}
