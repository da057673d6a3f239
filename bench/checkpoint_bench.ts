/**
 * What `checkpoint` saves: the memory a pullback keeps alive for a deep
 * chain, with and without rematerialisation, and what it costs in time.
 *
 * The chain is 64 blocks of `x ↦ tanh(1.01 x + 0.1)` on 200 000 float64
 * values. Without checkpointing the pullback keeps every block's
 * intermediates; checkpointing groups of 8 blocks keeps only each group's
 * input and recomputes the group during the backward pass.
 *
 * Run: `deno run --v8-flags=--expose-gc bench/checkpoint_bench.ts`
 *
 * @module
 */

import { type Array, checkpoint, np, vjp } from "../mod.ts";
import process from "node:process";

const N = 200_000, BLOCKS = 64, GROUP = 8;
const block = (x: Array) => np.tanh(np.add(np.multiply(x, 1.01), 0.1));
const group = (x: Array) => {
  for (let i = 0; i < GROUP; i++) x = block(x);
  return x;
};
const plain = (x: Array) => {
  for (let i = 0; i < BLOCKS / GROUP; i++) x = group(x);
  return np.sum(x);
};
const remat = checkpoint(group);
const checkpointed = (x: Array) => {
  for (let i = 0; i < BLOCKS / GROUP; i++) x = remat(x);
  return np.sum(x);
};

const gc = (globalThis as { gc?: () => void }).gc;
/** Live memory after a full collection (typed-array storage is "external" memory, freed lazily). */
async function used(): Promise<number> {
  for (let i = 0; i < 3; i++) {
    gc?.();
    await new Promise((r) => setTimeout(r, 50));
  }
  const m = process.memoryUsage();
  return m.heapUsed + m.external;
}

async function measure(name: string, f: (x: Array) => Array) {
  const x = np.linspace(-1, 1, N);
  const before = await used();
  let t0 = performance.now();
  const [, pullback] = vjp(f, [x]);
  let ms = performance.now() - t0;
  const held = (await used()) - before;
  t0 = performance.now();
  const [g] = pullback(1);
  ms += performance.now() - t0;
  return { name, held, ms, g };
}

if (!gc) console.log("note: run with --v8-flags=--expose-gc for exact retained sizes");
const a = await measure("plain vjp", plain);
const b = await measure("checkpoint every 8 blocks", checkpointed);
const same = np.allclose(a.g, b.g, { rtol: 1e-14, atol: 0 });
console.table([a, b].map((r) => ({
  variant: r.name,
  "memory held by the pullback (MB)": (r.held / 2 ** 20).toFixed(1),
  "forward + backward (ms)": r.ms.toFixed(0),
})));
console.log(
  `checkpointing keeps ${(a.held / Math.max(b.held, 1)).toFixed(1)}× less memory for ${
    (b.ms / a.ms).toFixed(2)
  }× the time; gradients agree: ${same}`,
);
