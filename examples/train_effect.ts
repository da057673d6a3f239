/**
 * Training as an Effect program: the two-moons MLP of `mlp.ts` trained by `Train.stream` with
 * typed failures, checkpoints, a progress bar and early stopping.
 *
 * 1. A far too large learning rate makes the loss overflow: the stream fails with a typed
 *    `NonFiniteLoss` (step, loss, offending leaves), caught by tag and retried smaller.
 * 2. Training runs with a checkpoint every 100 steps and is interrupted after 300 steps, as
 *    Ctrl-C would (`Train.interruptOnSignal` ends the stream on SIGINT the same way); the last
 *    state is saved as the stream ends.
 * 3. A second run resumes from the latest checkpoint (`Checkpoint.restoreOrInit`) and trains
 *    until early stopping (Keras semantics) or the step budget.
 *
 * Run: `deno run --allow-read=. --allow-write=examples/out examples/train_effect.ts`
 *
 * @module
 */

import { Effect, Layer, Option, Stream } from "effect";
import { rmSync } from "node:fs";
import { type Array, np, optim } from "../mod.ts";
import {
  Checkpoint,
  Progress,
  type StepReport,
  Train,
  TrainConfig,
  type TrainState,
} from "../src/effect/mod.ts";

/** Uniform numbers in [0, 1) from a 32-bit linear congruential generator. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}
const rand = lcg(7);
const uniform = (lo: number, hi: number) => lo + (hi - lo) * rand();

// Two interleaved half-circles ("two moons"), 100 points each, with a little jitter.
const points: number[][] = [];
const classes: number[] = [];
for (let i = 0; i < 200; i++) {
  const label = i % 2;
  const t = Math.PI * rand();
  const [cx, cy] = label === 0 ? [Math.cos(t), Math.sin(t)] : [1 - Math.cos(t), 0.5 - Math.sin(t)];
  points.push([cx + uniform(-0.15, 0.15), cy + uniform(-0.15, 0.15)]);
  classes.push(label);
}
const X = np.array(points);
const y = np.array(classes);

type Params = { w1: Array; b1: Array; w2: Array; b2: Array };

/** Small random weights scaled by 1/√fan-in. */
function init(nIn: number, nHidden: number): Params {
  const weights = (rows: number, cols: number) => {
    const w: number[] = [];
    for (let i = 0; i < rows * cols; i++) w.push(uniform(-1, 1) / Math.sqrt(rows));
    return np.array(w).reshape([rows, cols]);
  };
  return {
    w1: weights(nIn, nHidden),
    b1: np.zeros([nHidden]),
    w2: weights(nHidden, 1),
    b2: np.zeros([1]),
  };
}

const predict = (p: Params, x: Array) =>
  np.add(np.matmul(np.tanh(np.add(np.matmul(x, p.w1), p.b1)), p.w2), p.b2).reshape([-1]);

/** Cross-entropy written naively, −y log σ(z) − (1 − y) log(1 − σ(z)): it overflows when σ saturates. */
function loss(p: Params): Array {
  const s = np.divide(1, np.add(1, np.exp(np.negative(predict(p, X)))));
  return np.negative(np.mean(np.add(
    np.multiply(y, np.log(s)),
    np.multiply(np.subtract(1, y), np.log(np.subtract(1, s))),
  )));
}

const accuracy = (p: Params) =>
  (np.mean(np.equal(np.greater(predict(p, X), 0), np.greater(y, 0.5))).item() as number) * 100;

const dir = "examples/out/train_effect";
const params0 = init(2, 16);

/** The training stream of the current configuration, from `initialState`. */
const training = (lr: number, initialState?: TrainState<Params>) =>
  Train.stream({
    loss,
    params: params0,
    optimizer: optim.adam(lr),
    ...(initialState ? { initialState } : {}),
  });

// 1. Divergence as a typed failure, retried with a smaller learning rate.
const findLearningRate = Effect.gen(function* () {
  let lr = 1e4;
  for (;;) {
    const outcome = yield* training(lr).pipe(
      Stream.take(50),
      Train.fit,
      Effect.map(() => "ok" as const),
      Effect.catchTag("NonFiniteLoss", (e) =>
        Effect.sync(() => {
          console.log(
            `learning rate ${lr}: diverged at step ${e.step} (loss ${e.loss}, leaves ${
              e.leaves.join(", ") || "none"
            })`,
          );
          return "diverged" as const;
        })),
    );
    if (outcome === "ok") return lr;
    lr /= 100;
    console.log(`retrying with learning rate ${lr}`);
  }
});

// 2. and 3. Checkpointed training, interrupted, then resumed until early stopping.
const program = Effect.gen(function* () {
  const cfg = yield* TrainConfig.TrainConfig;
  const lr = Math.min(cfg.learningRate, yield* findLearningRate);
  console.log(`training with learning rate ${lr}`);
  const template = Train.init(params0, optim.adam(lr));

  const first = yield* Checkpoint.restoreOrInit(template);
  const interrupted = yield* training(lr, first).pipe(
    Stream.take(300), // stands in for Ctrl-C after 300 steps
    Train.interruptOnSignal("SIGINT"),
    Checkpoint.checkpointEvery(100),
    Train.fit,
  );
  console.log(`interrupted at step ${interrupted.state.step} (checkpoint saved)`);

  const resumed = yield* Checkpoint.restoreOrInit(template);
  console.log(`resumed from step ${resumed.step}`);
  const result = yield* training(lr, resumed).pipe(
    Stream.take(cfg.maxSteps - resumed.step),
    Train.interruptOnSignal("SIGINT"),
    Train.earlyStopping({ patience: cfg.patience, minDelta: 1e-5 }),
    Progress.withProgress,
    Checkpoint.checkpointEvery(100),
    Train.fit,
  );
  const last = Option.getOrThrow(result.last) as StepReport<Params, unknown>;
  const stopped = last.state.step < cfg.maxSteps;
  console.log(
    `${stopped ? "stopped early" : "finished"} at step ${last.state.step}: loss ${
      last.loss.toPrecision(4)
    }`,
  );
  console.log(`final training accuracy ${accuracy(result.state.params).toFixed(1)}%`);
});

rmSync(dir, { recursive: true, force: true }); // a fresh start for the demonstration
await Effect.runPromise(
  program.pipe(
    Effect.provide(Layer.mergeAll(
      TrainConfig.layer({ learningRate: 0.05, maxSteps: 2000, patience: 50 }),
      Progress.layerTerminal({ total: 2000, every: 100 }),
      Checkpoint.layerDirectory(dir, { keep: 3 }),
    )),
  ),
);
