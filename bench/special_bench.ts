/**
 * Special-function kernels against hand-written baselines on the same data,
 * in one run: `lgamma` against the textbook Lanczos approximation (g = 7,
 * nine terms; about 1e-15 absolute, less accurate near the zeros at 1 and 2),
 * `igamma` (P(a, x)) against the textbook series / continued fraction without
 * the a-derivative, and `random.gamma` through the public API against a
 * per-element Marsaglia–Tsang loop over `Math.random`.
 *
 * Prints median latency (p50) and the ratio kernel / baseline (below 1:
 * the kernel is faster).
 *
 * Run: `deno run bench/special_bench.ts` (about fifteen seconds).
 *
 * @module
 */

import { Table } from "./_harness.ts";
import { specialBinaryKernel, specialUnaryKernel } from "../src/array/kernels/special.ts";
import { random } from "../mod.ts";

const LANCZOS = [
  0.99999999999980993,
  676.5203681218851,
  -1259.1392167224028,
  771.32342877765313,
  -176.61502916214059,
  12.507343278686905,
  -0.13857109526572012,
  9.9843695780195716e-6,
  1.5056327351493116e-7,
];

function lanczosLgamma(x: number): number {
  if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - lanczosLgamma(1 - x);
  const z = x - 1;
  let a = LANCZOS[0];
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += LANCZOS[i] / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

function textbookGammaP(a: number, x: number): number {
  const gln = lanczosLgamma(a);
  if (x < a + 1) {
    let ap = a, sum = 1 / a, del = sum;
    for (let n = 0; n < 10000; n++) {
      ap += 1;
      del *= x / ap;
      sum += del;
      if (Math.abs(del) < Math.abs(sum) * 2.2e-16) break;
    }
    return sum * Math.exp(-x + a * Math.log(x) - gln);
  }
  let b = x + 1 - a, c = 1e300, d = 1 / b, h = d;
  for (let i = 1; i < 10000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < 1e-300) d = 1e-300;
    c = b + an / c;
    if (Math.abs(c) < 1e-300) c = 1e-300;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 2.2e-16) break;
  }
  return 1 - Math.exp(-x + a * Math.log(x) - gln) * h;
}

function marsagliaTsang(a: number): number {
  const boost = a < 1;
  const d = (boost ? a + 1 : a) - 1 / 3, c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number, v: number;
    do {
      // Box–Muller normal
      x = Math.sqrt(-2 * Math.log(1 - Math.random())) * Math.cos(2 * Math.PI * Math.random());
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = Math.random();
    if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) {
      const z = d * v;
      return boost ? z * Math.pow(Math.random(), 1 / a) : z;
    }
  }
}

const table = new Table();
const group = (workload: string, tasks: [string, () => void][]) =>
  table.group(workload, tasks, {
    time: 1000,
    iterations: 10,
    ratio: { title: "kernel / this", baseOverThis: true },
  });

const n = 100_000;
const x = new Float64Array(n), a = new Float64Array(n), out = new Float64Array(n);
for (let i = 0; i < n; i++) {
  x[i] = 0.01 + 30 * Math.random();
  a[i] = 0.1 + 20 * Math.random();
}
await group(`lgamma n=${n}`, [
  ["lgamma kernel", () => specialUnaryKernel("lgamma", x, out)],
  ["Lanczos loop", () => {
    for (let i = 0; i < n; i++) out[i] = lanczosLgamma(x[i]);
  }],
]);
await group(`igamma n=${n}`, [
  ["igamma kernel", () => specialBinaryKernel("igamma", a, x, out)],
  ["textbook series/CF loop", () => {
    for (let i = 0; i < n; i++) out[i] = textbookGammaP(a[i], x[i]);
  }],
]);
const key = random.key(0);
await group("gamma samples n=10000, a=2.5", [
  ["random.gamma", () => random.gamma(key, 2.5, [10000])],
  ["Marsaglia–Tsang loop (Math.random)", () => {
    const o = new Float64Array(10000);
    for (let i = 0; i < 10000; i++) o[i] = marsagliaTsang(2.5);
  }],
]);
table.print();
