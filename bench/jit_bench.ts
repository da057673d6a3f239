/**
 * The quick `jit` benchmark: eager nabla against nabla `jit` and the
 * hand-written floor on every workload of `_workloads.ts` that has a `jit`
 * (W1–W7 with W4 in float64 and float32, the MLP forward pass W4f, and the
 * 10-op elementwise chain C10), side by side in one run; each result is
 * checked against the hand-written one before it is timed. Then the first
 * call (trace + compile + run) of fresh `jit`s, and W2's chain compiled at
 * 999 and 9 999 ops. `bench:peers` runs the same with jax-js and
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

import { formatTime, freshFirstCalls, jitImpl, runGroup } from "./_harness.ts";
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

for (const steps of [333, 3333]) {
  const c = w2ChainFirstCall(steps);
  rows.push({
    workload: `W2 chain, ${c.ops} ops`,
    system: "nabla jit",
    p50: c.status === "ok" ? `${t(c.secondMs)} (one sample)` : `${c.status}: ${c.message}`,
    "first call": t(c.firstMs),
  });
}

console.table(rows);
