/**
 * W8 for one system, in a fresh process: RSS after each of 100 MLP gradient
 * steps (W4's gradient alone; `nabla jit` under one `jit`). Prints a JSON summary (peak, mean of the first and last ten samples,
 * growth, in MB). Run by `peers_bench.ts`:
 * `deno run -A bench/_memory.ts "jax-js eager"`.
 *
 * @module
 */

import { loadPeers } from "./_peers.ts";
import { nablaMlpJitStep, nablaMlpStep, rssSummary, rssTrace } from "./_workloads.ts";

const system = Deno.args[0] ?? "nabla";
let step: () => unknown = nablaMlpStep;
if (system === "nabla jit") step = nablaMlpJitStep();
else if (system !== "nabla") {
  const peer = (await loadPeers())?.peers.find((p) => p.system === system);
  const impl = peer?.impls.get("W8");
  if (peer === undefined || impl === undefined || !("run" in impl)) {
    throw new Error(`No W8 step for system ${JSON.stringify(system)}`);
  }
  await peer.setup();
  step = impl.run;
}
console.log(JSON.stringify(rssSummary(rssTrace(step, 100))));
