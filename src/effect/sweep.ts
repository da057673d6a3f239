/**
 * Hyperparameter sweeps: grids, random draws from nabla keys, and running trials with Effect
 * concurrency (interleaved on one thread), failures kept as results.
 *
 * @module
 */

import { Effect, type Layer, type Result } from "effect";
import type { NdArray } from "../array/array.ts";
import { foldIn, split } from "../random/keys.ts";

/**
 * Every combination of the values in `space` (the first key varies slowest).
 *
 * @example A 2 × 2 grid
 * ```ts
 * import { Sweep } from "@nabla/ad/effect";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(Sweep.grid({ lr: [0.1, 0.01], momentum: [0, 0.9] }), [
 *   { lr: 0.1, momentum: 0 }, { lr: 0.1, momentum: 0.9 },
 *   { lr: 0.01, momentum: 0 }, { lr: 0.01, momentum: 0.9 },
 * ]);
 * ```
 *
 * @param space The values of each hyperparameter.
 * @returns The points of the grid.
 */
export function grid<T extends Record<string, ReadonlyArray<unknown>>>(
  space: T,
): Array<{ [K in keyof T]: T[K][number] }> {
  let points: Array<Record<string, unknown>> = [{}];
  for (const [k, values] of Object.entries(space)) {
    if (!Array.isArray(values)) {
      throw new TypeError(
        `Sweep.grid: the values of "${k}" must be an array: got ${typeof values}`,
      );
    }
    points = points.flatMap((p) => values.map((v) => ({ ...p, [k]: v })));
  }
  return points as Array<{ [K in keyof T]: T[K][number] }>;
}

/**
 * `n` random points: point `i`, field `j` (in `space`'s key order) is drawn by
 * `space[k](random.foldIn(random.split(key, n)[i], j))`, so the same key gives the same points.
 *
 * @example Log-uniform learning rates
 * ```ts
 * import { random } from "@nabla/ad";
 * import { Sweep } from "@nabla/ad/effect";
 * import { equal, ok } from "node:assert/strict";
 *
 * const points = Sweep.random(random.key(0), {
 *   lr: (k) => 10 ** (random.uniform(k, [], { minval: -4, maxval: -1 }).item() as number),
 * }, 5);
 * equal(points.length, 5);
 * ok(points.every((p) => p.lr >= 1e-4 && p.lr <= 0.1));
 * ```
 *
 * @param key A key.
 * @param space A sampler per hyperparameter.
 * @param n How many points.
 * @returns The points.
 */
export function random<T>(
  key: NdArray,
  space: { [K in keyof T]: (key: NdArray) => T[K] },
  n: number,
): T[] {
  if (!(Number.isInteger(n) && n >= 0)) {
    throw new RangeError(`Sweep.random: n must be a non-negative integer: got ${n}`);
  }
  if (n === 0) return [];
  const keys = split(key, n);
  const fields = Object.keys(space) as Array<keyof T>;
  return Array.from({ length: n }, (_, i) => {
    const ki = keys.get(i);
    const p = {} as T;
    fields.forEach((f, j) => {
      p[f] = space[f](foldIn(ki, j));
    });
    return p;
  });
}

/** One point of a sweep and how its trial ended. */
export interface Trial<H, A, E> {
  /** The hyperparameters. */
  readonly params: H;
  /** The trial's success or failure. */
  readonly result: Result.Result<A, E>;
}

/** Options of {@linkcode sweep}. */
export interface SweepOptions<H, ROut, E2> {
  /** How many trials run at once (default 1), interleaved on one thread. */
  readonly concurrency?: number | "unbounded";
  /** Per-trial services, built for each trial alone (`Effect.provide(…, { local: true })`). */
  readonly provide?: (h: H) => Layer.Layer<ROut, E2>;
}

/**
 * Runs `trial` on every point, `concurrency` at a time; a trial's failure (or its layer's) is
 * its result, so one diverging trial does not stop the sweep. Results keep the points' order.
 *
 * @example Sweeping a learning rate
 * ```ts
 * import { Effect, Result } from "effect";
 * import { Sweep } from "@nabla/ad/effect";
 * import { deepEqual } from "node:assert/strict";
 *
 * const trials = await Effect.runPromise(Sweep.sweep(
 *   Sweep.grid({ lr: [0.1, 10] }),
 *   ({ lr }) => lr > 1 ? Effect.fail("diverged") : Effect.succeed(lr * 2),
 *   { concurrency: 2 },
 * ));
 * deepEqual(trials.map((t) => Result.isSuccess(t.result)), [true, false]);
 * ```
 *
 * @param points The hyperparameters of each trial.
 * @param trial The trial.
 * @param o The concurrency and per-trial services.
 * @returns Every trial with its result.
 */
export function sweep<H, A, E, R, ROut = never, E2 = never>(
  points: ReadonlyArray<H>,
  trial: (h: H) => Effect.Effect<A, E, R>,
  o: SweepOptions<H, ROut, E2> = {},
): Effect.Effect<Array<Trial<H, A, E | E2>>, never, Exclude<R, ROut>> {
  const concurrency = o.concurrency ?? 1;
  if (!(concurrency === "unbounded" || (Number.isInteger(concurrency) && concurrency >= 1))) {
    throw new RangeError(
      `Sweep.sweep: concurrency must be a positive integer or "unbounded": got ${concurrency}`,
    );
  }
  const provide = o.provide;
  return Effect.forEach(
    points,
    (h) => {
      const run = Effect.suspend(() => trial(h));
      const provided = provide === undefined
        ? run as Effect.Effect<A, E | E2, Exclude<R, ROut>>
        : Effect.provide(run, provide(h), { local: true }) as Effect.Effect<
          A,
          E | E2,
          Exclude<R, ROut>
        >;
      return Effect.map(Effect.result(provided), (result) => ({ params: h, result }));
    },
    { concurrency },
  );
}
