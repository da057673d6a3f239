/**
 * nabla's workloads (issue 5: W1–W9) against hand-written float64 loops for
 * the same math, side by side in one run. Each nabla result is checked
 * against the hand-written one before it is timed.
 *
 * Prints one table: median latency (p50), the ratio nabla / hand-written
 * (how many times slower than the floor), GFLOP/s for matmul; then the
 * MLP backward/forward ratio and W8 (RSS over 100 MLP gradient steps).
 *
 * Run: `deno task bench` (with the kernel benchmarks), or
 * `deno run bench/nabla_bench.ts` alone (about a minute).
 *
 * @module
 */

import { formatTime, runGroup, type Workload } from "./_harness.ts";
import { nablaMlpStep, rssSummary, rssTrace, workloads } from "./_workloads.ts";

interface Row {
  workload: string;
  system: string;
  p50: string;
  "nabla / this": string;
  "GFLOP/s": string;
  note: string;
}

const rows: Row[] = [];
const medians = new Map<string, number>();

function budget(w: Workload) {
  const heavy = w.id.startsWith("W4") || w.id.startsWith("W9");
  return heavy
    ? { time: 1500, iterations: 5, skipMs: 30_000 }
    : { time: 700, iterations: 10, skipMs: 30_000 };
}

for (const w of workloads) {
  const expected = w.hand.run();
  const entries = await runGroup(w, [w.nabla, w.hand, ...(w.extra ?? [])], expected, budget(w));
  const nabla = entries[0];
  if (nabla.p50Ms !== undefined) medians.set(w.id, nabla.p50Ms);
  for (const e of entries) {
    rows.push({
      workload: w.id,
      system: e.system,
      p50: e.status === "ok" ? formatTime(e.p50Ms!) : `${e.status}: ${e.message}`,
      "nabla / this": e === nabla || nabla.p50Ms === undefined || e.p50Ms === undefined
        ? ""
        : (nabla.p50Ms / e.p50Ms).toFixed(2),
      "GFLOP/s": e.gflops !== undefined ? e.gflops.toFixed(2) : "",
      note: e.note ?? "",
    });
  }
}

console.log("\nnabla vs hand-written loops (float64; p50 = median latency)\n");
for (const w of workloads) console.log(`  ${w.id.padEnd(7)} ${w.title}`);
console.table(rows);

const fwd = medians.get("W4f"), bwd = medians.get("W4");
if (fwd !== undefined && bwd !== undefined) {
  console.log(`W4 gradient / forward = ${(bwd / fwd).toFixed(2)}`);
}

const mem = rssSummary(rssTrace(nablaMlpStep, 100));
console.log(
  `W8 RSS over 100 MLP gradient steps: peak ${mem.peakMB.toFixed(0)} MB, first 10 ${
    mem.first10MB.toFixed(0)
  } MB, last 10 ${mem.last10MB.toFixed(0)} MB, growth ${mem.growthMB.toFixed(1)} MB`,
);
