/**
 * Training hyperparameters as a service, read from Effect's `Config` (environment variables
 * `NABLA_LEARNING_RATE`, `NABLA_MAX_STEPS`, `NABLA_PATIENCE`, `NABLA_LOG_EVERY`, `NABLA_SEED`)
 * or given directly.
 *
 * @module
 */

import { Config, Context, Effect, Layer } from "effect";

/** The usual knobs of a training run. */
export interface TrainConfig {
  /** The optimizer's learning rate (default 1e-3). */
  readonly learningRate: number;
  /** The step budget (default 1000). */
  readonly maxSteps: number;
  /** Early stopping's patience (default 10). */
  readonly patience: number;
  /** Log every this many steps (default 100). */
  readonly logEvery: number;
  /** The random seed (default 0). */
  readonly seed: number;
}

/** The defaults. */
export const defaults: TrainConfig = {
  learningRate: 1e-3,
  maxSteps: 1000,
  patience: 10,
  logEvery: 100,
  seed: 0,
};

/**
 * The configuration service.
 *
 * @example Reading the configuration
 * ```ts
 * import { Effect } from "effect";
 * import { TrainConfig } from "@nabla/ad/effect";
 * import { equal } from "node:assert/strict";
 *
 * const lr = await Effect.runPromise(
 *   Effect.map(TrainConfig.TrainConfig, (c) => c.learningRate).pipe(
 *     Effect.provide(TrainConfig.layer({ learningRate: 0.05 })),
 *   ),
 * );
 * equal(lr, 0.05);
 * ```
 */
export const TrainConfig: Context.Service<TrainConfig, TrainConfig> = Context.Service<
  TrainConfig
>("@nabla/ad/effect/TrainConfig");

function check(c: TrainConfig): TrainConfig {
  const bad = (name: string, v: unknown, what: string) => {
    throw new RangeError(`TrainConfig: ${name} must be ${what}: got ${v}`);
  };
  if (!(c.learningRate > 0 && Number.isFinite(c.learningRate))) {
    bad("learningRate", c.learningRate, "a positive finite number");
  }
  if (!(Number.isInteger(c.maxSteps) && c.maxSteps >= 0)) {
    bad("maxSteps", c.maxSteps, "a non-negative integer");
  }
  if (!(Number.isInteger(c.patience) && c.patience >= 0)) {
    bad("patience", c.patience, "a non-negative integer");
  }
  if (!(Number.isInteger(c.logEvery) && c.logEvery >= 1)) {
    bad("logEvery", c.logEvery, "a positive integer");
  }
  if (!Number.isInteger(c.seed)) bad("seed", c.seed, "an integer");
  return c;
}

/**
 * The configuration read through Effect's `Config`: `NABLA_LEARNING_RATE`, `NABLA_MAX_STEPS`,
 * `NABLA_PATIENCE`, `NABLA_LOG_EVERY`, `NABLA_SEED`, each with its default.
 *
 * @example From a config provider
 * ```ts
 * import { ConfigProvider, Effect } from "effect";
 * import { TrainConfig } from "@nabla/ad/effect";
 * import { equal } from "node:assert/strict";
 *
 * const provider = ConfigProvider.fromUnknown({ NABLA_MAX_STEPS: "250" });
 * const c = await Effect.runPromise(
 *   Effect.gen(function* () { return yield* TrainConfig.config; }).pipe(
 *     Effect.provide(ConfigProvider.layer(provider)),
 *   ),
 * );
 * equal(c.maxSteps, 250);
 * equal(c.learningRate, 1e-3);
 * ```
 */
export const config: Config.Config<TrainConfig> = Config.all({
  learningRate: Config.Finite("NABLA_LEARNING_RATE").pipe(
    Config.withDefault(defaults.learningRate),
  ),
  maxSteps: Config.Int("NABLA_MAX_STEPS").pipe(Config.withDefault(defaults.maxSteps)),
  patience: Config.Int("NABLA_PATIENCE").pipe(Config.withDefault(defaults.patience)),
  logEvery: Config.Int("NABLA_LOG_EVERY").pipe(Config.withDefault(defaults.logEvery)),
  seed: Config.Int("NABLA_SEED").pipe(Config.withDefault(defaults.seed)),
});

/**
 * A layer with the given values (the rest from the defaults).
 *
 * @example A layer for a test
 * ```ts
 * import { Effect } from "effect";
 * import { TrainConfig } from "@nabla/ad/effect";
 * import { equal } from "node:assert/strict";
 *
 * const c = await Effect.runPromise(
 *   Effect.provide(TrainConfig.TrainConfig, TrainConfig.layer({ maxSteps: 5 })),
 * );
 * equal(c.maxSteps, 5);
 * equal(c.patience, 10);
 * ```
 *
 * @param c The values to set.
 * @returns The layer.
 */
export function layer(c: Partial<TrainConfig> = {}): Layer.Layer<TrainConfig> {
  return Layer.succeed(TrainConfig, check({ ...defaults, ...c }));
}

/**
 * A layer reading {@linkcode config} from the current `ConfigProvider` (the environment by
 * default).
 *
 * @example From the environment's provider
 * ```ts
 * import { ConfigProvider, Effect, Layer } from "effect";
 * import { TrainConfig } from "@nabla/ad/effect";
 * import { equal } from "node:assert/strict";
 *
 * const c = await Effect.runPromise(
 *   Effect.provide(
 *     TrainConfig.TrainConfig,
 *     TrainConfig.layerFromConfig.pipe(
 *       Layer.provide(ConfigProvider.layer(ConfigProvider.fromUnknown({ NABLA_PATIENCE: "3" }))),
 *     ),
 *   ),
 * );
 * equal(c.patience, 3);
 * ```
 */
export const layerFromConfig: Layer.Layer<TrainConfig, Config.ConfigError> = Layer.effect(
  TrainConfig,
  Effect.gen(function* () {
    return check(yield* config);
  }),
);
