/**
 * `@nabla/ad/effect`: training with Effect-TS.
 *
 * @module
 */
export * as Train from "./train.ts";
export type { EarlyStoppingOptions, FitResult, TrainOptions } from "./train.ts";
export type { GradientTransformation, OptState, StepReport, TrainState } from "./_types.ts";
export {
  attempt,
  CheckpointError,
  Concretization,
  EscapedTracer,
  NonFiniteLoss,
  ShapeError,
} from "./errors.ts";
export type { CheckpointErrorReason, StepError } from "./errors.ts";
export * as Checkpoint from "./checkpoint.ts";
export { Checkpointer } from "./checkpoint.ts";
export type { DirectoryOptions } from "./checkpoint.ts";
import * as ProgressModule from "./progress.ts";
import * as TrainConfigModule from "./config.ts";
/** Progress reporting: `Progress.Progress` (the reference), `layerTerminal`, `layerLog`, `layerCollect`, `withProgress`. */
export const Progress: typeof ProgressModule = ProgressModule;
/** A progress reporter (see {@linkcode Progress}). */
export type Progress = ProgressModule.Progress;
export type { TerminalOptions } from "./progress.ts";
/** Training configuration: `TrainConfig.TrainConfig` (the service), `config`, `layer`, `layerFromConfig`. */
export const TrainConfig: typeof TrainConfigModule = TrainConfigModule;
/** Training hyperparameters (see {@linkcode TrainConfig}). */
export type TrainConfig = TrainConfigModule.TrainConfig;
export * as Data from "./data.ts";
export type { Batch, BatchesOptions } from "./data.ts";
export * as Sweep from "./sweep.ts";
export type { SweepOptions, Trial } from "./sweep.ts";
