/**
 * Progress reporting as a service: a terminal bar, log lines, or a collector for tests; silent
 * by default. `withProgress` feeds a training stream's reports to the current one.
 *
 * @module
 */

import { Context, Effect, Layer, Ref, Stream } from "effect";
import process from "node:process";
import type { StepReport } from "./_types.ts";
import { checkPeriod } from "./_checks.ts";

/** Receives each report, and the end of the stream. */
export interface Progress {
  /** Called with each report. */
  readonly onStep: (r: StepReport<unknown, unknown>) => Effect.Effect<void>;
  /** Called once when the stream ends (success, failure or interruption). */
  readonly onEnd: Effect.Effect<void>;
}

/**
 * The current progress reporter (a `Context.Reference`, silent by default).
 *
 * @example The default reporter is silent
 * ```ts
 * import { Effect } from "effect";
 * import { Progress } from "@nabla/ad/effect";
 *
 * await Effect.runPromise(Effect.flatMap(Progress.Progress, (p) => p.onEnd));
 * ```
 */
export const Progress: Context.Reference<Progress> = Context.Reference<Progress>(
  "@nabla/ad/effect/Progress",
  { defaultValue: () => ({ onStep: () => Effect.void, onEnd: Effect.void }) },
);

/** Options of {@linkcode layerTerminal}. */
export interface TerminalOptions {
  /** The expected number of steps (a bar with a percentage; else a counter). */
  readonly total?: number;
  /** Redraw every `every` steps (default 1; redraws are also limited to 10 per second). */
  readonly every?: number;
  /** The bar's width in characters (default 30). */
  readonly width?: number;
  /** Where to write (default `process.stdout`). */
  readonly write?: (s: string) => void;
  /** Redraw in place with `\r` (default: whether stdout is a terminal); else one line per draw. */
  readonly tty?: boolean;
}

function fmt(x: number): string {
  return Math.abs(x) >= 1e-3 && Math.abs(x) < 1e5 ? x.toFixed(4) : x.toExponential(3);
}

/** One progress line: `[=====>    ]  45% step 450/1000 loss 0.1234 |g| 0.01 250 steps/s`. */
function line(
  r: StepReport<unknown, unknown>,
  total: number | undefined,
  width: number,
  rate: number | undefined,
): string {
  const done = r.step + 1;
  const speed = rate === undefined ? "" : `${rate.toFixed(0)} steps/s`;
  const stats = `loss ${fmt(r.loss)} |g| ${fmt(r.gradNorm)} ${speed}`.trimEnd();
  if (total === undefined) return `step ${done} ${stats}`;
  const frac = Math.min(1, done / total);
  const filled = Math.round(frac * width);
  const bar = "=".repeat(Math.max(0, filled - 1)) + (filled > 0 ? (frac < 1 ? ">" : "=") : "") +
    " ".repeat(width - filled);
  return `[${bar}] ${(frac * 100).toFixed(0).padStart(3)}% step ${done}/${total} ${stats}`;
}

/**
 * A progress bar on the terminal (or any `write`): redrawn in place on a terminal, one line per
 * draw otherwise.
 *
 * @example A bar into a string
 * ```ts
 * import { Effect, Stream } from "effect";
 * import { type Array, np } from "@nabla/ad";
 * import { Progress, Train } from "@nabla/ad/effect";
 * import { match } from "node:assert/strict";
 *
 * let out = "";
 * const sgd = { init: () => null, update: (g: unknown) => [np.multiply(g as Array, -0.1), null] as const };
 * await Effect.runPromise(Stream.runDrain(
 *   Train.stream({ loss: (w: Array) => np.square(w), params: np.array(1), optimizer: sgd })
 *     .pipe(Stream.take(4), Progress.withProgress),
 * ).pipe(Effect.provide(Progress.layerTerminal({ total: 4, tty: false, write: (s) => (out += s) }))));
 * match(out, /\[=+\] 100% step 4\/4 loss/);
 * ```
 *
 * @param o The total, the redraw period, the width, the writer, and whether to redraw in place.
 * @returns A layer installing the reporter.
 */
export function layerTerminal(o: TerminalOptions = {}): Layer.Layer<never> {
  const every = o.every ?? 1;
  checkPeriod("Progress.layerTerminal", every);
  const width = o.width ?? 30;
  const write = o.write ?? ((s: string) => void process.stdout.write(s));
  const tty = o.tty ?? Boolean(process.stdout?.isTTY);
  return Layer.sync(Progress, () => {
    let lastDraw = -Infinity;
    let pending: StepReport<unknown, unknown> | undefined;
    let drawn = false;
    let first: StepReport<unknown, unknown> | undefined; // of this run, for the rate
    const draw = (r: StepReport<unknown, unknown>) => {
      const dt = first === undefined ? 0 : r.elapsedMillis - first.elapsedMillis;
      const rate = first !== undefined && dt > 0 ? (r.step - first.step) / (dt / 1000) : undefined;
      const text = line(r, o.total, width, rate);
      write(tty ? `\r${text}\x1b[K` : `${text}\n`);
      drawn = true;
      pending = undefined;
      lastDraw = performance.now();
    };
    return {
      onStep: (r) =>
        Effect.sync(() => {
          first ??= r;
          pending = r;
          const last = o.total !== undefined && r.step + 1 >= o.total;
          if (last || ((r.step + 1) % every === 0 && performance.now() - lastDraw >= 100)) draw(r);
        }),
      onEnd: Effect.sync(() => {
        if (pending !== undefined) draw(pending);
        if (drawn && tty) write("\n");
        drawn = false;
        first = undefined;
        lastDraw = -Infinity;
      }),
    };
  });
}

/**
 * Progress as log lines (`Effect.logInfo`) every `every` steps (default 100), annotated with
 * `step` and `loss`.
 *
 * @example Logging progress
 * ```ts
 * import { Effect, Stream } from "effect";
 * import { type Array, np } from "@nabla/ad";
 * import { Progress, Train } from "@nabla/ad/effect";
 *
 * const sgd = { init: () => null, update: (g: unknown) => [np.multiply(g as Array, -0.1), null] as const };
 * await Effect.runPromise(Stream.runDrain(
 *   Train.stream({ loss: (w: Array) => np.square(w), params: np.array(1), optimizer: sgd })
 *     .pipe(Stream.take(3), Progress.withProgress),
 * ).pipe(Effect.provide(Progress.layerLog(1000))));
 * ```
 *
 * @param every The period in steps.
 * @returns A layer installing the reporter.
 */
export function layerLog(every = 100): Layer.Layer<never> {
  checkPeriod("Progress.layerLog", every);
  return Layer.succeed(Progress, {
    onStep: (r) =>
      r.step % every === 0
        ? Effect.logInfo(`step ${r.step} loss ${r.loss}`).pipe(
          Effect.annotateLogs({ step: r.step, loss: r.loss }),
        )
        : Effect.void,
    onEnd: Effect.void,
  });
}

/**
 * Collects every report into `ref` (for tests).
 *
 * @example Collecting reports
 * ```ts
 * import { Effect, Ref, Stream } from "effect";
 * import { type Array, np } from "@nabla/ad";
 * import { Progress, type StepReport, Train } from "@nabla/ad/effect";
 * import { deepEqual } from "node:assert/strict";
 *
 * const sgd = { init: () => null, update: (g: unknown) => [np.multiply(g as Array, -0.1), null] as const };
 * const steps = await Effect.runPromise(Effect.gen(function* () {
 *   const ref = yield* Ref.make<ReadonlyArray<StepReport<unknown, unknown>>>([]);
 *   yield* Stream.runDrain(
 *     Train.stream({ loss: (w: Array) => np.square(w), params: np.array(1), optimizer: sgd })
 *       .pipe(Stream.take(3), Progress.withProgress),
 *   ).pipe(Effect.provide(Progress.layerCollect(ref)));
 *   return (yield* Ref.get(ref)).map((r) => r.step);
 * }));
 * deepEqual(steps, [0, 1, 2]);
 * ```
 *
 * @param ref Where the reports go (appended in order).
 * @returns A layer installing the reporter.
 */
export function layerCollect(
  ref: Ref.Ref<ReadonlyArray<StepReport<unknown, unknown>>>,
): Layer.Layer<never> {
  return Layer.succeed(Progress, {
    onStep: (r) => Ref.update(ref, (rs) => [...rs, r]),
    onEnd: Effect.void,
  });
}

/**
 * Feeds each report of a training stream to the current `Progress` reporter, and tells it when
 * the stream ends.
 *
 * @example With the default (silent) reporter
 * ```ts
 * import { Effect, Stream } from "effect";
 * import { type Array, np } from "@nabla/ad";
 * import { Progress, Train } from "@nabla/ad/effect";
 * import { equal } from "node:assert/strict";
 *
 * const sgd = { init: () => null, update: (g: unknown) => [np.multiply(g as Array, -0.1), null] as const };
 * const n = await Effect.runPromise(Stream.runCount(
 *   Train.stream({ loss: (w: Array) => np.square(w), params: np.array(1), optimizer: sgd })
 *     .pipe(Stream.take(3), Progress.withProgress),
 * ));
 * equal(n, 3);
 * ```
 *
 * @param s The training stream.
 * @returns The same stream, reported.
 */
export function withProgress<P, Aux, E, R>(
  s: Stream.Stream<StepReport<P, Aux>, E, R>,
): Stream.Stream<StepReport<P, Aux>, E, R> {
  return Stream.unwrap(
    Effect.map(Progress, (p) =>
      s.pipe(
        Stream.tap((r) => p.onStep(r as StepReport<unknown, unknown>)),
        Stream.ensuring(p.onEnd),
      )),
  );
}
