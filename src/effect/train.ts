/**
 * Training as a `Stream` of step reports: `stream` runs one optimizer step per pull (value,
 * gradient, finiteness scan, update: one synchronous operation, never split by a yield), and
 * yields to the scheduler by time slices so that `Fiber.interrupt`, `Effect.timeout` and
 * signals act within about one step. Stopping rules, evaluation, logging and metrics are
 * stream combinators; `fit` runs a stream to its end.
 *
 * @module
 */

import { Effect, Metric, Option, Pull, Schedule, Stream } from "effect";
import process from "node:process";
import { NdArray, storageOf } from "../array/array.ts";
import type { TypedArray } from "../array/dtype.ts";
import * as tree from "../tree.ts";
import { valueAndGrad } from "../transforms/vjp.ts";
import { applyUpdates } from "../optim/base.ts";
import type { GradientTransformation, OptState, StepReport, TrainState } from "./_types.ts";
import { checkPeriod } from "./_checks.ts";
import { NonFiniteLoss, type StepError, typedFailure } from "./errors.ts";

export type { GradientTransformation, OptState, StepReport, TrainState } from "./_types.ts";

/** How `stream` trains. */
export interface TrainOptions<P, B, Aux, E, R> {
  /** The loss of the parameters on a batch: a scalar, or `[scalar, aux]` with `hasAux`. */
  readonly loss: (params: P, batch: B) => NdArray | readonly [NdArray, Aux];
  /** The initial parameters (ignored when `initialState` is given). */
  readonly params: P;
  /** The optimizer (`optim.adam(1e-3)`, …), whatever its state's type. */
  // deno-lint-ignore no-explicit-any
  readonly optimizer: GradientTransformation<any>;
  /** One step per element (a `Stream` or an iterable); absent: the full batch, forever. */
  readonly data?: Stream.Stream<B, E, R> | Iterable<B>;
  /** The state to resume from (a checkpoint, or `NonFiniteLoss.state`). */
  readonly initialState?: TrainState<P>;
  /** The loss returns `[value, aux]`; the aux goes into the reports. */
  readonly hasAux?: boolean;
  /**
   * What to check for NaN/±∞ (default `"gradients"`: the loss, every gradient leaf, and the
   * updated parameters; `"loss"`: the loss only).
   */
  readonly checkFinite?: "loss" | "gradients" | false;
  /** Yield to the scheduler after `millis` of work (default 10), or every `steps` steps. */
  readonly yieldEvery?: { readonly millis?: number; readonly steps?: number };
}

/**
 * The initial training state: no updates applied, the optimizer's initial state.
 *
 * @example A fresh state
 * ```ts
 * import { Train } from "@nabla/ad/effect";
 * import { equal } from "node:assert/strict";
 *
 * const sgd = { init: () => null, update: (g: unknown) => [g, null] as const };
 * const state = Train.init({ w: 1 }, sgd);
 * equal(state.step, 0);
 * equal(state.optState, null);
 * ```
 *
 * @param params The parameters.
 * @param optimizer The optimizer, whose `init` makes the state.
 * @returns `{ step: 0, params, optState: optimizer.init(params) }`.
 */
// deno-lint-ignore no-explicit-any
export function init<P>(params: P, optimizer: GradientTransformation<any>): TrainState<P> {
  return { step: 0, params, optState: optimizer.init(params) };
}

/** The learning rate in an `injectHyperparams` state (at the top or in a chain), if any. */
function learningRateOf(s: OptState): number | undefined {
  const look = (x: unknown): number | undefined => {
    if (typeof x !== "object" || x === null || !("hyperparams" in x)) return undefined;
    const h = (x as { hyperparams: unknown }).hyperparams as Record<string, unknown> | null;
    const lr = h?.learningRate ?? h?.learning_rate ?? h?.lr;
    if (typeof lr === "number") return lr;
    if (lr instanceof NdArray && lr.size === 1) return Number(lr.item());
    return undefined;
  };
  const top = look(s);
  if (top !== undefined || !Array.isArray(s)) return top;
  for (const x of s) {
    const lr = look(x);
    if (lr !== undefined) return lr;
  }
  return undefined;
}

/** A Data.batches element (recognised by its fields). */
function batchInfo(b: unknown): { epoch: number; batchIndex: number } | undefined {
  if (typeof b !== "object" || b === null || !("data" in b)) return undefined;
  const { epoch, index } = b as { epoch?: unknown; index?: unknown };
  return typeof epoch === "number" && typeof index === "number"
    ? { epoch, batchIndex: index }
    : undefined;
}

function checkYieldEvery(y: { millis?: number; steps?: number } | undefined): {
  millis: number;
  steps: number;
} {
  const millis = y?.millis ?? (y?.steps === undefined ? 10 : Infinity);
  const steps = y?.steps ?? Infinity;
  if (!(millis >= 0)) {
    throw new RangeError(`Train.stream: yieldEvery.millis must be ≥ 0: got ${y?.millis}`);
  }
  if (!(steps === Infinity || (Number.isInteger(steps) && steps >= 1))) {
    throw new RangeError(
      `Train.stream: yieldEvery.steps must be a positive integer: got ${y?.steps}`,
    );
  }
  return { millis, steps };
}

/**
 * The training stream: one report per optimizer step, failures typed (`NonFiniteLoss`,
 * `ShapeError`, `EscapedTracer`, `Concretization`, each with the step). Each run starts over
 * from `initialState` (or `init(params, optimizer)`).
 *
 * @example Ten steps of gradient descent on a quadratic
 * ```ts
 * import { Effect, Stream } from "effect";
 * import { type Array, np } from "@nabla/ad";
 * import { Train } from "@nabla/ad/effect";
 * import { equal, ok } from "node:assert/strict";
 *
 * const sgd = {
 *   init: () => null,
 *   update: (g: unknown) => [{ w: np.multiply((g as { w: Array }).w, -0.1) }, null] as const,
 * };
 * const reports = await Effect.runPromise(Stream.runCollect(
 *   Train.stream({ loss: (p: { w: Array }) => np.sum(np.square(p.w)), params: { w: np.array([1, 2]) }, optimizer: sgd })
 *     .pipe(Stream.take(10)),
 * ));
 * equal(reports.length, 10);
 * equal(reports[9].state.step, 10);
 * ok(reports[9].loss < reports[0].loss);
 * ```
 *
 * @param o The loss, parameters, optimizer, data and options.
 * @returns The stream of step reports.
 */
export function stream<P, B = undefined, Aux = undefined, E = never, R = never>(
  o: TrainOptions<P, B, Aux, E, R>,
): Stream.Stream<StepReport<P, Aux>, StepError | E, R> {
  const yieldEvery = checkYieldEvery(o.yieldEvery);
  const checkFinite = o.checkFinite ?? "gradients";
  if (checkFinite !== "gradients" && checkFinite !== "loss" && checkFinite !== false) {
    throw new TypeError(
      `Train.stream: checkFinite must be "gradients", "loss" or false: got ${String(checkFinite)}`,
    );
  }
  if (typeof o.loss !== "function") {
    throw new TypeError(`Train.stream: loss must be a function: got ${typeof o.loss}`);
  }
  if (typeof o.optimizer?.init !== "function" || typeof o.optimizer?.update !== "function") {
    throw new TypeError(
      "Train.stream: optimizer must be a gradient transformation with init and update (optim.adam(1e-3), …)",
    );
  }
  const hasAux = o.hasAux ?? false;
  const vg = valueAndGrad(o.loss as never, { hasAux }) as (
    p: P,
    b?: B,
  ) => [unknown, unknown];
  const fullBatch = o.data === undefined;
  const start = (): TrainState<P> => o.initialState ?? init(o.params, o.optimizer);

  /** The per-run machinery: the current state, the clock's start, the yield slice. */
  const makeRunner = (startMillis: number) => {
    let state = start();
    let sliceStart = performance.now();
    let lastNow = sliceStart; // read by sliceOver just before each step: the step's start
    let sliceSteps = 0;

    /** One whole step, synchronously; a typed failure or a report. */
    const step = (
      batch: B | undefined,
      nowMillis: () => number,
    ): Effect.Effect<readonly [StepReport<P, Aux>], StepError> => {
      const s = state;
      const t0 = lastNow;
      let loss: number, aux: Aux, gradNorm: number, next: TrainState<P>;
      try {
        const [valueAux, grads] = fullBatch ? vg(s.params) : vg(s.params, batch);
        const [value, auxOut] = hasAux ? (valueAux as [NdArray, Aux]) : [valueAux as NdArray];
        aux = auxOut as Aux;
        loss = Number((value as NdArray).item());
        const leaves = storages(grads);
        let sq = 0;
        let finite = true;
        for (const d of leaves) {
          if (typeof d === "number") sq += d * d;
          else for (let i = 0; i < d.length; i++) sq += d[i] * d[i];
        }
        let bad: string[] = [];
        if (!Number.isFinite(sq)) {
          // NaN/±∞ somewhere, or a sum of squares that overflowed
          bad = nonFiniteLeaves(grads);
          finite = bad.length === 0;
          gradNorm = finite ? scaledNorm(leaves) : sq;
        } else gradNorm = Math.sqrt(sq);
        if (
          (checkFinite !== false && !Number.isFinite(loss)) ||
          (checkFinite === "gradients" && !finite)
        ) {
          if (checkFinite !== "gradients") bad = [];
          return Effect.fail(new NonFiniteLoss({ step: s.step, loss, leaves: bad, state: s }));
        }
        const [updates, optState] = o.optimizer.update(grads, s.optState, s.params);
        next = { step: s.step + 1, params: applyUpdates(s.params, updates), optState };
        if (checkFinite === "gradients" && !allFinite(next.params)) {
          // an update that overflows the parameters fails here, so `state` stays finite
          const badParams = nonFiniteLeaves(next.params);
          return Effect.fail(
            new NonFiniteLoss({
              step: s.step,
              loss,
              leaves: badParams,
              state: s,
              message: `Non-finite parameters after the update of step ${s.step}: ${
                badParams.join(", ")
              } (loss ${loss})`,
            }),
          );
        }
      } catch (e) {
        const failure = typedFailure(e, s.step);
        return failure === undefined ? Effect.die(e) : Effect.fail(failure);
      }
      state = next;
      const t1 = performance.now();
      sliceSteps++;
      const info = fullBatch ? undefined : batchInfo(batch);
      const lr = learningRateOf(next.optState);
      const report: {
        -readonly [K in keyof StepReport<P, Aux>]: StepReport<P, Aux>[K];
      } = {
        step: s.step,
        loss,
        gradNorm,
        aux,
        elapsedMillis: nowMillis() - startMillis,
        stepMillis: t1 - t0,
        state: next,
      };
      if (lr !== undefined) report.learningRate = lr;
      if (info !== undefined) {
        report.epoch = info.epoch;
        report.batchIndex = info.batchIndex;
      }
      return Effect.succeed([report] as const);
    };

    /** Whether this slice has run long enough to hand the thread back. */
    const sliceOver = (): boolean => {
      lastNow = performance.now();
      if (sliceSteps >= yieldEvery.steps || lastNow - sliceStart >= yieldEvery.millis) {
        sliceSteps = 0;
        return true;
      }
      return false;
    };
    const resetSlice = Effect.sync(() => {
      sliceStart = lastNow = performance.now();
    });
    const pause = Effect.andThen(Effect.yieldNow, resetSlice);
    const restart = () => {
      lastNow = performance.now();
    };
    return { step, sliceOver, pause, restart };
  };

  if (fullBatch) {
    return Stream.fromPull(
      Effect.clockWith((clock) =>
        Effect.sync(() => {
          const now = () => clock.currentTimeMillisUnsafe();
          const r = makeRunner(now());
          const paused = Effect.andThen(r.pause, Effect.suspend(() => r.step(undefined, now)));
          return Effect.suspend(() => (r.sliceOver() ? paused : r.step(undefined, now)));
        })
      ),
    ) as Stream.Stream<StepReport<P, Aux>, StepError | E, R>;
  }
  const source: Stream.Stream<B, E, R> = Stream.isStream(o.data)
    ? o.data as Stream.Stream<B, E, R>
    : Stream.fromIterable(o.data as Iterable<B>);
  return Stream.transformPull(source, (upstream) =>
    Effect.clockWith((clock) =>
      Effect.sync(() => {
        const now = () => clock.currentTimeMillisUnsafe();
        const r = makeRunner(now());
        let buffer: ReadonlyArray<B> = [];
        let i = 0;
        const fromUpstream = Effect.flatMap(upstream, (chunk) => {
          buffer = chunk;
          i = 1;
          r.restart(); // the step starts now, not before the upstream pull
          return r.step(chunk[0], now);
        });
        const next = () => (i < buffer.length ? r.step(buffer[i++], now) : fromUpstream);
        const paused = Effect.andThen(r.pause, Effect.suspend(next));
        return Effect.suspend(() => (r.sliceOver() ? paused : next()));
      })
    )) as Stream.Stream<StepReport<P, Aux>, StepError | E, R>;
}

/** Whether every leaf of a tree is finite (no paths built: the common case, every step). */
function allFinite(t: unknown): boolean {
  for (const d of storages(t)) {
    if (typeof d === "number") {
      if (!Number.isFinite(d)) return false;
    } else for (let i = 0; i < d.length; i++) if (!Number.isFinite(d[i])) return false;
  }
  return true;
}

/** The numeric leaves of a tree (numbers, array storages) in any order, without building a TreeDef. */
function storages(t: unknown, out: Array<TypedArray | number> = []): Array<TypedArray | number> {
  if (t instanceof NdArray) out.push(storageOf(t));
  else if (typeof t === "number") out.push(t);
  else if (Array.isArray(t)) { for (const c of t) storages(c, out); }
  else if (typeof t === "object" && t !== null) {
    for (const k of Object.keys(t)) storages((t as Record<string, unknown>)[k], out);
  }
  return out;
}

/** The global L2 norm of finite leaves whose squares overflow, scaled by the largest |x|. */
function scaledNorm(leaves: ReadonlyArray<TypedArray | number>): number {
  let big = 0;
  const each = (f: (v: number) => void) => {
    for (const d of leaves) {
      if (typeof d === "number") f(d);
      else for (let i = 0; i < d.length; i++) f(d[i]);
    }
  };
  each((v) => {
    big = Math.max(big, Math.abs(v));
  });
  let sq = 0;
  each((v) => {
    sq += (v / big) ** 2;
  });
  return big * Math.sqrt(sq);
}

/** The paths of the leaves holding NaN or ±∞. */
function nonFiniteLeaves(grads: unknown): string[] {
  const bad: string[] = [];
  for (const [path, leaf] of tree.flattenWithPath<unknown>(grads)[0]) {
    if (typeof leaf === "number") {
      if (!Number.isFinite(leaf)) bad.push(path);
      continue;
    }
    if (!(leaf instanceof NdArray)) continue;
    const d = storageOf(leaf);
    for (let i = 0; i < d.length; i++) {
      if (!Number.isFinite(d[i])) {
        bad.push(path);
        break;
      }
    }
  }
  return bad;
}

/**
 * Stops after the first element satisfying the predicate (that element is emitted).
 *
 * @example Train until the loss is small
 * ```ts
 * import { Effect, Stream } from "effect";
 * import { Train } from "@nabla/ad/effect";
 * import { deepEqual } from "node:assert/strict";
 *
 * const out = await Effect.runPromise(
 *   Stream.runCollect(Stream.make(5, 3, 1, 0.5).pipe(Train.until((x) => x < 2))),
 * );
 * deepEqual(out, [5, 3, 1]);
 * ```
 *
 * @param predicate When to stop.
 * @returns A stream combinator.
 */
export function until<A>(
  predicate: (r: A) => boolean,
): <E, R>(s: Stream.Stream<A, E, R>) => Stream.Stream<A, E, R> {
  return <E, R>(s: Stream.Stream<A, E, R>): Stream.Stream<A, E, R> =>
    Stream.takeUntil(s, predicate);
}

/**
 * Stops when a `Schedule` fed with each element is done (that element included):
 * `Schedule.recurs(n)` gives n + 1 elements, `Schedule.upTo({ duration })` a Clock budget,
 * `Schedule.while(({ input }) => …)` a tolerance, `Schedule.max([…])` the first to stop.
 *
 * @example Three reports, then stop
 * ```ts
 * import { Effect, Schedule, Stream } from "effect";
 * import { Train } from "@nabla/ad/effect";
 * import { deepEqual } from "node:assert/strict";
 *
 * const out = await Effect.runPromise(
 *   Stream.runCollect(Stream.range(0, 100).pipe(Train.stopWith(Schedule.recurs(2)))),
 * );
 * deepEqual(out, [0, 1, 2]);
 * ```
 *
 * @param schedule The stopping schedule; a fresh step function per run.
 * @returns A stream combinator.
 */
export function stopWith<O, In, E2, R2>(
  schedule: Schedule.Schedule<O, In, E2, R2>,
): <A extends In, E, R>(s: Stream.Stream<A, E, R>) => Stream.Stream<A, E | E2, R | R2> {
  return <A extends In, E, R>(s: Stream.Stream<A, E, R>): Stream.Stream<A, E | E2, R | R2> =>
    Stream.unwrap(
      Effect.map(
        Schedule.toStep(schedule),
        (next) =>
          Stream.takeUntilEffect(
            s,
            (a: A) =>
              Effect.clockWith((clock) =>
                next(clock.currentTimeMillisUnsafe(), a).pipe(
                  Effect.as(false),
                  Pull.catchDone(() => Effect.succeed(true)),
                )
              ),
          ),
      ),
    ) as Stream.Stream<A, E | E2, R | R2>;
}

/** Options of {@linkcode earlyStopping} (Keras's `EarlyStopping`). */
export interface EarlyStoppingOptions<A> {
  /** The monitored quantity (default: the report's `loss`); `undefined` skips the element. */
  readonly monitor?: (r: A) => number | undefined;
  /** Non-improving elements tolerated; the stream stops on the one that exhausts it. */
  readonly patience: number;
  /** An improvement must beat the best by more than this (default 0). */
  readonly minDelta?: number;
  /** `"min"` (default) or `"max"`. */
  readonly mode?: "min" | "max";
}

/**
 * Keras's early stopping: an element improves when it beats the best so far by more than
 * `minDelta`; after `patience` consecutive elements without improvement, the stream stops on
 * the one that exhausted it (emitted). As in Keras, the first element never stops the stream.
 *
 * @example Stop once the loss stalls for two reports
 * ```ts
 * import { Effect, Stream } from "effect";
 * import { Train } from "@nabla/ad/effect";
 * import { deepEqual } from "node:assert/strict";
 *
 * const losses = Stream.make(3, 2, 2.5, 2.2, 1, 0.5).pipe(Stream.map((loss) => ({ loss })));
 * const out = await Effect.runPromise(
 *   Stream.runCollect(losses.pipe(Train.earlyStopping({ patience: 2 }))),
 * );
 * deepEqual(out.map((r) => r.loss), [3, 2, 2.5, 2.2]);
 * ```
 *
 * @param o The monitor, patience, minimal improvement and mode.
 * @returns A stream combinator (a fresh counter per run).
 */
export function earlyStopping<A = { readonly loss: number }>(
  o: EarlyStoppingOptions<A>,
): <E, R>(s: Stream.Stream<A, E, R>) => Stream.Stream<A, E, R> {
  const { patience, minDelta = 0, mode = "min" } = o;
  if (!(Number.isInteger(patience) && patience >= 0)) {
    throw new RangeError(
      `Train.earlyStopping: patience must be a non-negative integer: got ${patience}`,
    );
  }
  if (!(minDelta >= 0)) {
    throw new RangeError(`Train.earlyStopping: minDelta must be ≥ 0: got ${minDelta}`);
  }
  if (mode !== "min" && mode !== "max") {
    throw new RangeError(`Train.earlyStopping: mode must be "min" or "max": got ${String(mode)}`);
  }
  const monitor = o.monitor ?? ((r: A) => (r as { loss?: number }).loss);
  const sign = mode === "min" ? 1 : -1;
  return <E, R>(s: Stream.Stream<A, E, R>): Stream.Stream<A, E, R> =>
    Stream.suspend(() => {
      let best = Infinity; // of sign × value
      let wait = 0;
      let seen = 0;
      return Stream.takeUntil(s, (r: A) => {
        const v = monitor(r);
        if (v === undefined) return false;
        const first = seen++ === 0;
        wait++;
        if (sign * v + minDelta < best) {
          best = sign * v;
          wait = 0;
          return false;
        }
        return wait >= patience && !first;
      });
    });
}

/**
 * Every `n` steps (when `state.step` is a multiple of `n`), runs `evaluate(state)` — a
 * validation loss, an accuracy — and attaches its result as `eval`.
 *
 * @example A validation loss every 5 steps
 * ```ts
 * import { Effect, Stream } from "effect";
 * import { type Array, np } from "@nabla/ad";
 * import { Train } from "@nabla/ad/effect";
 * import { deepEqual } from "node:assert/strict";
 *
 * const sgd = { init: () => null, update: (g: unknown) => [np.multiply(g as Array, -0.1), null] as const };
 * const reports = await Effect.runPromise(Stream.runCollect(
 *   Train.stream({ loss: (w: Array) => np.square(w), params: np.array(1), optimizer: sgd }).pipe(
 *     Stream.take(10),
 *     Train.evaluateEvery(5, (s) => Effect.succeed(s.step)),
 *   ),
 * ));
 * deepEqual(reports.map((r) => r.eval).filter((e) => e !== undefined), [5, 10]);
 * ```
 *
 * @param n The period in steps (a positive integer).
 * @param evaluate The evaluation of a state.
 * @returns A stream combinator.
 */
export function evaluateEvery<P, Aux, M, E2, R2>(
  n: number,
  evaluate: (s: TrainState<P>) => Effect.Effect<M, E2, R2>,
): <E, R>(
  s: Stream.Stream<StepReport<P, Aux>, E, R>,
) => Stream.Stream<StepReport<P, Aux> & { readonly eval?: M }, E | E2, R | R2> {
  checkPeriod("Train.evaluateEvery", n);
  return <E, R>(s: Stream.Stream<StepReport<P, Aux>, E, R>) =>
    Stream.mapEffect(
      s,
      (r): Effect.Effect<StepReport<P, Aux> & { readonly eval?: M }, E2, R2> =>
        r.state.step % n === 0
          ? Effect.map(evaluate(r.state), (m) => ({ ...r, eval: m }))
          : Effect.succeed(r),
    );
}

/**
 * `Effect.logInfo` on every `n`-th report (steps 0, n, 2n, …), annotated with `step`, `loss`
 * and `gradNorm`.
 *
 * @example Logging every 100 steps
 * ```ts
 * import { Effect, Stream } from "effect";
 * import { type Array, np } from "@nabla/ad";
 * import { Train } from "@nabla/ad/effect";
 *
 * const sgd = { init: () => null, update: (g: unknown) => [np.multiply(g as Array, -0.1), null] as const };
 * await Effect.runPromise(Stream.runDrain(
 *   Train.stream({ loss: (w: Array) => np.square(w), params: np.array(1), optimizer: sgd })
 *     .pipe(Stream.take(3), Train.logEvery(100, "quadratic")),
 * ));
 * ```
 *
 * @param n The period in steps.
 * @param label The log message's prefix (default `"train"`).
 * @returns A stream combinator.
 */
export function logEvery(
  n: number,
  label = "train",
): <P, Aux, E, R>(
  s: Stream.Stream<StepReport<P, Aux>, E, R>,
) => Stream.Stream<StepReport<P, Aux>, E, R> {
  checkPeriod("Train.logEvery", n);
  return <P, Aux, E, R>(s: Stream.Stream<StepReport<P, Aux>, E, R>) =>
    Stream.tap(
      s,
      (r) =>
        r.step % n === 0
          ? Effect.logInfo(`${label} step ${r.step} loss ${r.loss}`).pipe(
            Effect.annotateLogs({ step: r.step, loss: r.loss, gradNorm: r.gradNorm }),
          )
          : Effect.void,
    );
}

/**
 * Metrics of the training: `<prefix>_loss` and `<prefix>_grad_norm` (gauges),
 * `<prefix>_steps` (a counter) and `<prefix>_step_ms` (a histogram of step times, boundaries
 * `Metric.exponentialBoundaries({ start: 0.01, factor: 2, count: 24 })`). The metrics carry
 * no description, so `Metric.counter("<prefix>_steps")` reads the same metric.
 *
 * @example Reading the step counter
 * ```ts
 * import { Effect, Metric, Stream } from "effect";
 * import { type Array, np } from "@nabla/ad";
 * import { Train } from "@nabla/ad/effect";
 * import { equal } from "node:assert/strict";
 *
 * const sgd = { init: () => null, update: (g: unknown) => [np.multiply(g as Array, -0.1), null] as const };
 * const steps = await Effect.runPromise(Effect.gen(function* () {
 *   yield* Stream.runDrain(
 *     Train.stream({ loss: (w: Array) => np.square(w), params: np.array(1), optimizer: sgd })
 *       .pipe(Stream.take(4), Train.withMetrics("doc")),
 *   );
 *   return (yield* Metric.value(Metric.counter("doc_steps"))).count;
 * }));
 * equal(steps, 4);
 * ```
 *
 * @param prefix The metric names' prefix (default `"train"`).
 * @returns A stream combinator.
 */
export function withMetrics(
  prefix = "train",
): <P, Aux, E, R>(
  s: Stream.Stream<StepReport<P, Aux>, E, R>,
) => Stream.Stream<StepReport<P, Aux>, E, R> {
  const loss = Metric.gauge(`${prefix}_loss`);
  const gradNorm = Metric.gauge(`${prefix}_grad_norm`);
  const steps = Metric.counter(`${prefix}_steps`);
  const stepMs = Metric.histogram(`${prefix}_step_ms`, {
    boundaries: Metric.exponentialBoundaries({ start: 0.01, factor: 2, count: 24 }),
  });
  return <P, Aux, E, R>(s: Stream.Stream<StepReport<P, Aux>, E, R>) =>
    Stream.tap(s, (r) =>
      Effect.all([
        Metric.update(loss, r.loss),
        Metric.update(gradNorm, r.gradNorm),
        Metric.update(steps, 1),
        Metric.update(stepMs, r.stepMillis),
      ], { discard: true }));
}

/** Completes when the process receives `signal` (the listener is removed on interruption). */
function onSignal(signal: "SIGINT" | "SIGTERM"): Effect.Effect<void> {
  return Effect.callback<void>((resume) => {
    const handler = () => resume(Effect.void);
    process.once(signal, handler);
    return Effect.sync(() => {
      process.off(signal, handler);
    });
  });
}

/**
 * Ends the stream gracefully when the process receives `signal` (default `SIGINT`, Ctrl-C),
 * after the step in progress; downstream finalizers (a last checkpoint) then run. Uses
 * `node:process` signals (Deno, Bun, Node).
 *
 * @example Stop training on Ctrl-C
 * ```ts
 * import { Effect, Stream } from "effect";
 * import { Train } from "@nabla/ad/effect";
 * import { equal } from "node:assert/strict";
 *
 * const n = await Effect.runPromise(
 *   Stream.runCount(Stream.range(1, 5).pipe(Train.interruptOnSignal("SIGINT"))),
 * );
 * equal(n, 5);
 * ```
 *
 * @param signal The signal (default `"SIGINT"`).
 * @returns A stream combinator.
 */
export function interruptOnSignal(
  signal: "SIGINT" | "SIGTERM" = "SIGINT",
): <A, E, R>(s: Stream.Stream<A, E, R>) => Stream.Stream<A, E, R> {
  return <A, E, R>(s: Stream.Stream<A, E, R>) => Stream.haltWhen(s, onSignal(signal));
}

/** What {@linkcode fit} returns. */
export interface FitResult<P> {
  /** The state after the last step. */
  readonly state: TrainState<P>;
  /** The number of reports (steps) the stream emitted. */
  readonly steps: number;
  /** The last report. */
  readonly last: Option.Option<StepReport<P, unknown>>;
  /** The report with the lowest loss. */
  readonly best: Option.Option<StepReport<P, unknown>>;
}

/**
 * Runs a training stream to its end, keeping the last and the lowest-loss reports. A stream
 * that ends before its first report is a defect (there is no state to return).
 *
 * @example Fit and read the result
 * ```ts
 * import { Effect, Option, Stream } from "effect";
 * import { type Array, np } from "@nabla/ad";
 * import { Train } from "@nabla/ad/effect";
 * import { equal, ok } from "node:assert/strict";
 *
 * const sgd = { init: () => null, update: (g: unknown) => [np.multiply(g as Array, -0.25), null] as const };
 * const result = await Effect.runPromise(
 *   Train.stream({ loss: (w: Array) => np.square(w), params: np.array(1), optimizer: sgd })
 *     .pipe(Stream.take(20), Train.fit),
 * );
 * equal(result.steps, 20);
 * equal(result.state.step, 20);
 * ok(Option.getOrThrow(result.best).loss < 1e-10);
 * ```
 *
 * @param s The training stream.
 * @returns The final state, the step count, the last and best reports.
 */
export function fit<P, Aux, E, R>(
  s: Stream.Stream<StepReport<P, Aux>, E, R>,
): Effect.Effect<FitResult<P>, E, R> {
  return Effect.flatMap(
    Stream.runFold(
      s,
      () => ({
        steps: 0,
        last: undefined as StepReport<P, Aux> | undefined,
        best: undefined as StepReport<P, Aux> | undefined,
      }),
      (acc, r) => {
        acc.steps++;
        acc.last = r;
        if (acc.best === undefined || r.loss < acc.best.loss || Number.isNaN(acc.best.loss)) {
          acc.best = r;
        }
        return acc;
      },
    ),
    (acc) =>
      acc.last === undefined
        ? Effect.die(new RangeError("Train.fit: the stream ended before its first report"))
        : Effect.succeed({
          state: acc.last.state,
          steps: acc.steps,
          last: Option.some(acc.last as StepReport<P, unknown>),
          best: Option.fromUndefinedOr(acc.best as StepReport<P, unknown> | undefined),
        }),
  );
}
