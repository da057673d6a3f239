/**
 * The quick `jit` benchmark: eager nabla against nabla `jit` and the
 * hand-written floor on every workload of `_workloads.ts` that has a `jit`
 * (W1–W7 with W4 in float64 and float32, the MLP forward pass W4f, and the
 * 10-op elementwise chain C10), side by side in one run; each result is
 * checked against the hand-written one before it is timed. Then the first
 * call (trace + compile + run) of fresh `jit`s, and W2's chain compiled at
 * 999, 9 999 and 99 999 ops; then the rolled loops of `_loops.ts` against
 * eager and the hand loop. `bench:peers` runs the same with jax-js and
 * TensorFlow.js and writes RESULTS.md.
 *
 * Prints median latency (p50) of eager and jit, eager / jit (above 1: jit is
 * faster), jit / hand-written (the distance to the floor), the cold first
 * call (the checked run) and the median of three fresh `jit`s' first calls.
 *
 * Run: `deno run bench/jit_bench.ts` (about a minute).
 *
 * @module
 */

import { Bench } from "tinybench";
import type { Array } from "../mod.ts";
import { formatTime, freshFirstCalls, jitImpl, runGroup } from "./_harness.ts";
import { loopCases } from "./_loops.ts";
import { w2ChainFirstCall, workloads } from "./_workloads.ts";

const BUDGET = { time: 500, iterations: 5, skipMs: 30_000 };
const rows: Record<string, string>[] = [];
const t = (x: number | undefined) => (x === undefined ? "—" : formatTime(x));

for (const w of workloads) {
  const jitted = jitImpl(w);
  if (jitted === undefined || w.jit === undefined) continue;
  const entries = await runGroup(
    w,
    [w.nabla, jitted, ...(w.extra ?? []), w.hand],
    w.hand.run(),
    BUDGET,
  );
  const [eager, jit] = entries;
  const hand = entries[entries.length - 1];
  const fresh = jit.status === "ok" ? freshFirstCalls(w.jit, 3)[1] : undefined;
  for (const e of entries.slice(0, -1)) {
    const isJit = e !== eager;
    rows.push({
      workload: w.id,
      system: e.system,
      dtype: e.dtype,
      p50: e.status === "ok" ? formatTime(e.p50Ms!) : `${e.status}: ${e.message}`,
      "eager / this": isJit && e.p50Ms && eager.p50Ms ? (eager.p50Ms / e.p50Ms).toFixed(2) : "",
      "this / hand": e.p50Ms && hand.p50Ms ? (e.p50Ms / hand.p50Ms).toFixed(2) : "",
      "first call": isJit ? t(e.firstMs) : "",
      "fresh jit first call": e === jit ? t(fresh) : "",
    });
  }
  rows.push({ workload: w.id, system: "hand-written", p50: t(hand.p50Ms) });
}

for (const steps of [333, 3333, 33333]) {
  const c = w2ChainFirstCall(steps);
  rows.push({
    workload: `W2 chain, ${c.ops} ops`,
    system: "nabla jit",
    p50: c.status === "ok" ? `${t(c.secondMs)} (one sample)` : `${c.status}: ${c.message}`,
    "first call": t(c.firstMs),
  });
}

const read = (x: unknown): number[] => {
  if (x instanceof Object && "data" in (x as Array)) {
    return globalThis.Array.from((x as Array).data as Float64Array);
  }
  if (globalThis.Array.isArray(x)) return x.flatMap(read);
  if (x !== null && typeof x === "object") return Object.values(x).flatMap(read);
  return [x as number];
};
const fmt = formatTime;

// rolled loops (bench/_loops.ts): eager, jit and the hand-written loop
{
  const loops = loopCases();
  for (const c of loops) {
    const t0 = performance.now();
    const first = c.jitted();
    const firstMs = performance.now() - t0;
    const a = read(c.eager()), b = read(first);
    if (!a.every((v, i) => Object.is(v, b[i]))) {
      throw new Error(`${c.name}: jit differs from eager`);
    }
    const bench = new Bench({ time: 800, iterations: 10 });
    bench.add("eager", c.eager).add("jit", c.jitted).add("hand", c.hand);
    await bench.run();
    const [e, j, h] = bench.tasks.map((t) => {
      const r = t.result;
      if (r.state !== "completed") throw new Error(`${c.name}: task ${r.state}`);
      return r.latency.p50 ?? Number.NaN;
    });
    rows.push({
      workload: c.name,
      system: "eager / nabla jit / hand",
      eager: fmt(e),
      jit: fmt(j),
      "eager / jit": (e / j).toFixed(2),
      "first jit call": fmt(firstMs),
      "max rel diff": "0 (bits)",
      hand: fmt(h),
      "jit / hand": (j / h).toFixed(2),
    });
  }
}

console.table(rows);
