/**
 * The benchmark harness shared by `nabla_bench.ts` and `peers_bench.ts`:
 * every implementation of a workload is run once and checked against the
 * hand-written result; those that pass are timed together in one tinybench
 * `Bench` (so the machine's noise is shared), and the median (p50) is kept.
 * A wrong answer is reported as `wrong: got X expected Y`, a throw as
 * `fails: <message>`, and an implementation whose checked run took longer
 * than the skip limit as `skipped`.
 *
 * @module
 */

import { Bench } from "tinybench";
import { compare, type Impl, type Out, type Workload } from "./_workloads.ts";

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

function tolerance(dtype: "float64" | "float32"): [number, number] {
  return dtype === "float64" ? [1e-8, 1e-10] : [3e-3, 3e-3];
}

function errorMessage(e: unknown): string {
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
