/**
 * The cost of the narrow dtypes, against baselines in the same run:
 *
 * - `float16`/`bfloat16` rounding of float32 storage on its bits
 *   (`roundStorage`) against the arithmetic rounding (`Math.log2` and a scaled
 *   round per element) it replaced;
 * - `np.add` on `float16`, `bfloat16`, `uint8` and `int8` arrays against the
 *   same add on `float32` (the narrow floats compute in float32 and round; the
 *   integers wrap on store).
 *
 * Prints median latency (p50) and the ratio to the baseline.
 *
 * Run: `deno run bench/dtypes_bench.ts` (about ten seconds).
 *
 * @module
 */

import { Bench } from "tinybench";
import { np } from "../mod.ts";
import { roundFloat16, roundStorage } from "../src/array/dtype.ts";

const N = 1 << 20;
const src = new Float32Array(N);
for (let i = 0; i < N; i++) src[i] = (Math.random() * 2 - 1) * 2 ** (Math.random() * 30 - 15);

const bench = new Bench({ time: 500 });
const scratch = new Float32Array(N);
bench
  .add("round to float16: bits (roundStorage)", () => {
    scratch.set(src);
    roundStorage("float16", scratch);
  })
  .add("round to float16: arithmetic (baseline)", () => {
    scratch.set(src);
    for (let i = 0; i < N; i++) scratch[i] = roundFloat16(scratch[i]);
  });

const a32 = np.array(src, "float32");
const arrays = {
  float32: a32,
  float16: a32.astype("float16"),
  bfloat16: a32.astype("bfloat16"),
  uint8: np.array(src.map((v) => Math.abs(v) % 256), "uint8"),
  int8: np.array(src.map((v) => Math.trunc(v) % 128), "int8"),
};
for (const [name, a] of Object.entries(arrays)) bench.add(`np.add ${name}`, () => np.add(a, a));

await bench.run();
console.table(bench.table());
const p50 = (name: string): number => {
  const r = bench.tasks.find((t) => t.name === name)?.result as
    | { latency?: { p50?: number } }
    | undefined;
  return r?.latency?.p50 ?? NaN;
};
const ratio = (a: string, b: string) => (p50(a) / p50(b)).toFixed(2);
console.log(
  `rounding, bits / arithmetic: ${
    ratio("round to float16: bits (roundStorage)", "round to float16: arithmetic (baseline)")
  }`,
);
for (const name of ["float16", "bfloat16", "uint8", "int8"]) {
  console.log(`np.add ${name} / float32: ${ratio(`np.add ${name}`, "np.add float32")}`);
}
