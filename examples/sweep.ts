/**
 * A concurrent learning-rate sweep: the two-moons MLP trained with Adam at a grid of learning
 * rates, three trials at a time (interleaved on one thread: each step is one synchronous Effect
 * operation and the streams yield by time slices). Every trial gets its own `TrainConfig`
 * (per-trial services, built for it alone), its own metrics prefix, and early stopping; a
 * diverging trial is a typed failure kept as its result, not the end of the sweep.
 *
 * Run: `deno run examples/sweep.ts`
 *
 * @module
 */

import { Effect, Metric, Option, Result, Stream } from "effect";
import { type Array, np, optim, random } from "../mod.ts";
import { Sweep, Train, TrainConfig } from "../src/effect/mod.ts";

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

/** An MLP 2 → 16 → 1 initialised from a nabla key. */
function init(key: Array): Params {
  const [k1, k2] = [random.foldIn(key, 1), random.foldIn(key, 2)];
  return {
    w1: np.divide(random.normal(k1, [2, 16]), Math.sqrt(2)),
    b1: np.zeros([16]),
    w2: np.divide(random.normal(k2, [16, 1]), 4),
    b2: np.zeros([1]),
  };
}

const predict = (p: Params, x: Array) =>
  np.add(np.matmul(np.tanh(np.add(np.matmul(x, p.w1), p.b1)), p.w2), p.b2).reshape([-1]);

/** Cross-entropy written naively (it overflows when σ saturates, as a too large step makes it). */
function loss(p: Params): Array {
  const s = np.divide(1, np.add(1, np.exp(np.negative(predict(p, X)))));
  return np.negative(np.mean(np.add(
    np.multiply(y, np.log(s)),
    np.multiply(np.subtract(1, y), np.log(np.subtract(1, s))),
  )));
}

const accuracy = (p: Params) =>
  (np.mean(np.equal(np.greater(predict(p, X), 0), np.greater(y, 0.5))).item() as number) * 100;

const params = init(random.key(0));

/** One trial: train with the trial's configuration, report loss, accuracy and steps. */
const trial = (h: { lr: number }) =>
  Effect.gen(function* () {
    const cfg = yield* TrainConfig.TrainConfig;
    const prefix = `lr_${h.lr}`;
    const result = yield* Train.stream({ loss, params, optimizer: optim.adam(cfg.learningRate) })
      .pipe(
        Stream.take(cfg.maxSteps),
        Train.earlyStopping({ patience: cfg.patience, minDelta: 1e-4 }),
        Train.withMetrics(prefix),
        Train.fit,
      );
    const steps = (yield* Metric.value(Metric.counter(`${prefix}_steps`))).count;
    return {
      loss: Option.getOrThrow(result.best).loss,
      accuracy: accuracy(result.state.params),
      steps: Number(steps),
    };
  });

const grid = Sweep.grid({ lr: [1e4, 0.3, 0.03, 0.003] });
const trials = await Effect.runPromise(
  Sweep.sweep(grid, trial, {
    concurrency: 3,
    provide: (h) => TrainConfig.layer({ learningRate: h.lr, maxSteps: 300, patience: 20 }),
  }),
);

console.log("learning rate   outcome");
for (const t of trials) {
  const outcome = Result.isSuccess(t.result)
    ? `loss ${t.result.success.loss.toFixed(4)} accuracy ${
      t.result.success.accuracy.toFixed(1)
    }% after ${t.result.success.steps} steps`
    : `failed: ${t.result.failure._tag} at step ${t.result.failure.step}`;
  console.log(`${String(t.params.lr).padEnd(15)} ${outcome}`);
}
const done = trials.flatMap((t) =>
  Result.isSuccess(t.result) ? [{ ...t.result.success, ...t.params }] : []
);
const best = done.reduce((a, b) => (b.loss < a.loss ? b : a));
console.log(`best learning rate ${best.lr}`);
