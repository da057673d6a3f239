/**
 * The benchmark harness shared by the scripts in `bench/`:
 *
 * - the shape of a workload and of one implementation of it (`Workload`,
 *   `Impl`, `Out`), and `compare`, which checks a result against the
 *   hand-written one;
 * - `runGroup` (`nabla_bench.ts`, `jit_bench.ts`, `peers_bench.ts`): every
 *   implementation of a workload is run once and checked against the
 *   hand-written result; those that pass are timed together in one tinybench
 *   `Bench` (so the machine's noise is shared), and the median (p50) is
 *   kept. A wrong answer is reported as `wrong: got X expected Y`, a throw as
 *   `fails: <message>`, and an implementation whose checked run took longer
 *   than the skip limit as `skipped`. The checked run is the first call, so
 *   for a `jit` it is the trace + compile + run time (`firstMs`);
 * - `Table` (the kernel benchmarks): groups of tasks timed side by side, one
 *   console table of medians and ratios to a base task;
 * - `formatTime`.
 *
 * Nothing here imports nabla: a script that needs only `Table` loads no
 * workload data.
 *
 * @module
 */

import { Bench } from "tinybench";

/** A result read back to JavaScript: a number, flat data, or several flat arrays. */
export type Out = number | ArrayLike<number> | readonly ArrayLike<number>[];

/** One way of computing a workload. */
export interface Impl {
  /** Display name of the system (`"nabla"`, `"nabla jit"`, `"hand-written"`, `"jax-js eager"`, ...). */
  readonly system: string;
  /** `"float64"` or `"float32"`. */
  readonly dtype: "float64" | "float32";
  /** One run of the workload, returning the result read back. */
  readonly run: () => Out;
  /** How the implementation departs from the workload's statement, if it does. */
  readonly note?: string;
  /** Installs what `run` needs (a peer's backend); awaited before the check and each timed phase. */
  readonly setup?: () => Promise<void>;
}

/** A workload: its id and title, and the implementations in `_workloads.ts`. */
export interface Workload {
  /** `"W1"` ... */
  readonly id: string;
  /** One-line statement. */
  readonly title: string;
  /** The hand-written float64 reference; its result is the expected value. */
  readonly hand: Impl;
  /** nabla's implementation (eager). */
  readonly nabla: Impl;
  /**
   * nabla's implementation under `jit`: each call of the factory wraps a
   * fresh `jit`, so the first run of what it returns traces and compiles.
   */
  readonly jit?: () => () => Out;
  /** Extra variants (timed, not used as the reference). */
  readonly extra?: readonly Impl[];
  /** FLOPs of one run, for GFLOP/s columns (matmul only). */
  readonly flops?: number;
  /** The key of the peers' implementation (default: `id`). */
  readonly peerId?: string;
  /** Only these peer systems run it (default: every peer). */
  readonly peerSystems?: readonly string[];
}

/** The `nabla jit` implementation of `w` (a fresh `jit`), or `undefined` if it has none. */
export function jitImpl(w: Workload): Impl | undefined {
  if (w.jit === undefined) return undefined;
  return { system: "nabla jit", dtype: w.nabla.dtype, run: w.jit() };
}

/** Flattens a result to one list of numbers. */
export function flat(out: Out): number[] {
  if (typeof out === "number") return [out];
  if (out.length > 0 && typeof (out as ArrayLike<unknown>)[0] === "object") {
    return (out as readonly ArrayLike<number>[]).flatMap((a) => globalThis.Array.from(a));
  }
  return globalThis.Array.from(out as ArrayLike<number>);
}

/**
 * Compares a result with the expected one: `null` if every element is within
 * `rtol·|expected| + atol·max|expected|`, else a message `got X expected Y`
 * naming the worst element.
 */
export function compare(got: Out, expected: Out, rtol: number, atol: number): string | null {
  const g = flat(got), e = flat(expected);
  if (g.length !== e.length) return `got ${g.length} values expected ${e.length}`;
  let scale = 0;
  for (const v of e) scale = Math.max(scale, Math.abs(v));
  let worst = -1, worstExcess = 0;
  for (let i = 0; i < e.length; i++) {
    const err = Math.abs(g[i] - e[i]);
    const excess = err - (rtol * Math.abs(e[i]) + atol * scale);
    if (!(excess <= 0) && (worst < 0 || !(excess <= worstExcess))) {
      worst = i;
      worstExcess = excess;
    }
  }
  if (worst < 0) return null;
  const at = e.length > 1 ? ` at element ${worst}` : "";
  return `got ${g[worst]} expected ${e[worst]}${at}`;
}

/** Formats a median in ms with a readable unit. */
export function formatTime(ms: number): string {
  if (!Number.isFinite(ms)) return "—";
  if (ms < 0.01) return `${(ms * 1000).toFixed(2)} µs`;
  if (ms < 1) return `${(ms * 1000).toFixed(1)} µs`;
  if (ms < 100) return `${ms.toFixed(2)} ms`;
  return `${ms.toFixed(0)} ms`;
}

/** The outcome of one implementation on one workload. */
export interface Entry {
  /** Workload id (`"W1"`, ...). */
  workload: string;
  /** System name. */
  system: string;
  /** Element type used. */
  dtype: "float64" | "float32";
  /** `ok` (timed), `wrong`, `fails` or `skipped`. */
  status: "ok" | "wrong" | "fails" | "skipped";
  /** Why it is not timed, for the other statuses. */
  message?: string;
  /** Median latency in ms (`ok` only). */
  p50Ms?: number;
  /** Number of timed samples. */
  samples?: number;
  /** GFLOP/s at the median, for workloads with a FLOP count. */
  gflops?: number;
  /** Duration of the checked run (the first call: for a `jit`, trace + compile + run), in ms. */
  firstMs?: number;
  /** How the implementation departs from the workload's statement. */
  note?: string;
}

/** Timing budget of one group. */
export interface GroupOptions {
  /** Minimum time per task, in ms. */
  time: number;
  /** Minimum timed iterations per task. */
  iterations: number;
  /** An implementation whose checked run takes longer than this (ms) is skipped. */
  skipMs: number;
}

/** The tolerance `[rtol, atol]` of a result of `dtype` against the float64 reference. */
export function tolerance(dtype: "float64" | "float32"): [number, number] {
  return dtype === "float64" ? [1e-8, 1e-10] : [3e-3, 3e-3];
}

/** The first line of an error's message, at most 160 characters. */
export function errorMessage(e: unknown): string {
  const s = e instanceof Error ? `${e.constructor.name}: ${e.message}` : String(e);
  return s.split("\n")[0].slice(0, 160);
}

/**
 * Checks then times `impls` on workload `w` against `expected`.
 *
 * @param w The workload (id, flops).
 * @param impls The implementations; each is checked before it is timed.
 * @param expected The hand-written result.
 * @param opts Timing budget.
 * @returns One entry per implementation, in order.
 */
export async function runGroup(
  w: Workload,
  impls: readonly Impl[],
  expected: Out,
  opts: GroupOptions,
): Promise<Entry[]> {
  const entries: Entry[] = [];
  const bench = new Bench({
    time: opts.time,
    iterations: opts.iterations,
    warmupTime: Math.min(100, opts.time / 4),
    warmupIterations: 1,
  });
  const timed: [Entry, string][] = [];
  for (const impl of impls) {
    const entry: Entry = { workload: w.id, system: impl.system, dtype: impl.dtype, status: "ok" };
    if (impl.note) entry.note = impl.note;
    entries.push(entry);
    let got: Out;
    let elapsed: number;
    try {
      if (impl.setup) await impl.setup();
      const t0 = performance.now();
      got = impl.run();
      elapsed = performance.now() - t0;
    } catch (e) {
      entry.status = "fails";
      entry.message = errorMessage(e);
      continue;
    }
    entry.firstMs = elapsed;
    const [rtol, atol] = tolerance(impl.dtype);
    const bad = compare(got, expected, rtol, atol);
    if (bad !== null) {
      entry.status = "wrong";
      entry.message = bad;
      continue;
    }
    if (elapsed > opts.skipMs) {
      entry.status = "skipped";
      entry.message = `one run took ${(elapsed / 1000).toFixed(1)} s (limit ${
        opts.skipMs / 1000
      } s)`;
      continue;
    }
    const name = `${w.id} ${impl.system}`;
    bench.add(name, impl.run, impl.setup ? { beforeAll: impl.setup } : {});
    timed.push([entry, name]);
  }
  if (timed.length > 0) await bench.run();
  for (const [entry, name] of timed) {
    const r = bench.getTask(name)!.result;
    if (r.state !== "completed") {
      entry.status = "fails";
      entry.message = r.state === "errored" ? errorMessage(r.error) : `task ${r.state}`;
      continue;
    }
    entry.p50Ms = r.latency.p50 ?? Number.NaN;
    entry.samples = r.latency.samplesCount;
    if (w.flops) entry.gflops = w.flops / entry.p50Ms / 1e6;
  }
  return entries;
}

/**
 * The first calls of `reps` fresh `jit`s made by `factory` (trace + compile +
 * run each), in ms, sorted.
 */
export function freshFirstCalls(factory: () => () => Out, reps: number): number[] {
  const times: number[] = [];
  for (let i = 0; i < reps; i++) {
    const run = factory();
    const t0 = performance.now();
    run();
    times.push(performance.now() - t0);
  }
  return times.sort((a, b) => a - b);
}

/** How a `Table` group states each task against its base task. */
export interface TableGroupOptions {
  /** Minimum time per task, in ms. */
  time: number;
  /** Minimum timed iterations per task. */
  iterations: number;
  /** Warm-up time per task, in ms (tinybench's default if absent). */
  warmupTime?: number;
  /** Warm-up iterations per task (tinybench's default if absent). */
  warmupIterations?: number;
  /**
   * The ratio column: its title, and whether it is the base task's median
   * over this one's (`"kernel / this"`: below 1, the base is faster) rather
   * than this one's over the base's (`"this / nabla"`: above 1, nabla is
   * faster).
   */
  ratio: { title: string; baseOverThis?: boolean };
  /** Index of the base task (default 0). */
  base?: number;
  /** FLOPs of one run: adds a GFLOP/s column. */
  flops?: number;
}

/**
 * Rows of one console table: each `group` times its tasks side by side in
 * one tinybench `Bench` and adds a row per task (workload, implementation,
 * median, ratio to the group's base task, GFLOP/s where given).
 *
 * @example
 * ```ts ignore
 * const table = new Table();
 * await table.group("sum 1e6", [["kernel", k], ["hand loop", h]], {
 *   time: 1000, iterations: 10, ratio: { title: "this / kernel" },
 * });
 * table.print();
 * ```
 */
export class Table {
  /** The rows so far. */
  readonly rows: Record<string, string>[] = [];

  /**
   * Times `tasks` side by side and adds their rows.
   *
   * @returns The medians in ms, in the order of `tasks`.
   */
  async group(
    workload: string,
    tasks: readonly (readonly [string, () => unknown])[],
    opts: TableGroupOptions,
  ): Promise<number[]> {
    const bench = new Bench({
      time: opts.time,
      iterations: opts.iterations,
      ...(opts.warmupTime !== undefined ? { warmupTime: opts.warmupTime } : {}),
      ...(opts.warmupIterations !== undefined ? { warmupIterations: opts.warmupIterations } : {}),
    });
    for (const [name, fn] of tasks) bench.add(name, fn);
    await bench.run();
    const p50 = bench.tasks.map((t) => {
      const r = t.result;
      if (r.state !== "completed") throw new Error(`Benchmark task ${t.name}: ${r.state}`);
      return r.latency.p50 ?? Number.NaN;
    });
    const base = p50[opts.base ?? 0];
    tasks.forEach(([name], i) => {
      const row: Record<string, string> = {
        workload,
        impl: name,
        p50: formatTime(p50[i]),
        [opts.ratio.title]: (opts.ratio.baseOverThis ? base / p50[i] : p50[i] / base).toFixed(2),
      };
      if (opts.flops) row["GFLOP/s"] = (opts.flops / p50[i] / 1e6).toFixed(2);
      this.rows.push(row);
    });
    return p50;
  }

  /** Prints the rows with `console.table`. */
  print(): void {
    console.table(this.rows);
  }
}
