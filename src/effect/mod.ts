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
/**
 * Progress reporting: `Progress.Progress` (the reference, silent by default), `layerTerminal`
 * (a bar), `layerLog` (log lines), `layerCollect` (for tests), `withProgress` (feeds a stream).
 *
 * @example A progress bar for a training stream
 * ```ts
 * import { Effect, Stream } from "effect";
 * import { np, optim } from "@nabla/ad";
 * import { Progress, Train } from "@nabla/ad/effect";
 * import { match } from "node:assert/strict";
 *
 * let out = "";
 * await Effect.runPromise(Stream.runDrain(
 *   Train.stream({ loss: np.square, params: np.array(1), optimizer: optim.sgd(0.1) })
 *     .pipe(Stream.take(3), Progress.withProgress),
 * ).pipe(Effect.provide(Progress.layerTerminal({ total: 3, tty: false, write: (s) => (out += s) }))));
 * match(out, /100% step 3\/3/);
 * ```
 */
export const Progress: typeof ProgressModule = ProgressModule;
/** A progress reporter (see {@linkcode Progress}). */
export type Progress = ProgressModule.Progress;
export type { TerminalOptions } from "./progress.ts";
/**
 * Training configuration: `TrainConfig.TrainConfig` (the service), `config` (Effect `Config`
 * over `NABLA_*` variables), `layer(values)`, `layerFromConfig`, `defaults`.
 *
 * @example Configuration as a service
 * ```ts
 * import { Effect } from "effect";
 * import { TrainConfig } from "@nabla/ad/effect";
 * import { equal } from "node:assert/strict";
 *
 * const c = await Effect.runPromise(
 *   Effect.provide(TrainConfig.TrainConfig, TrainConfig.layer({ maxSteps: 50 })),
 * );
 * equal(c.maxSteps, 50);
 * ```
 */
export const TrainConfig: typeof TrainConfigModule = TrainConfigModule;
/** Training hyperparameters (see {@linkcode TrainConfig}). */
export type TrainConfig = TrainConfigModule.TrainConfig;
export * as Data from "./data.ts";
export type { Batch, BatchesOptions } from "./data.ts";
export * as Sweep from "./sweep.ts";
export type { SweepOptions, Trial } from "./sweep.ts";
