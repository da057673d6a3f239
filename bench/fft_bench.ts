/**
 * FFT kernel benchmarks against hand-written baselines on the same data, in
 * one run: a textbook iterative radix-2 FFT (twiddles by `Math.cos`/`Math.sin`
 * in the butterfly loop) at a power-of-two length, and the naive O(n²) DFT
 * at a length that is not one (where the kernel uses Bluestein's algorithm).
 *
 * Prints median latency (p50) and the ratio kernel / baseline (below 1:
 * the kernel is faster).
 *
 * Run: `deno run bench/fft_bench.ts` (about ten seconds).
 *
 * @module
 */

import { Table } from "./_harness.ts";
import { fftKernel, rfftKernel } from "../src/array/kernels/fft.ts";

function random(n: number): Float64Array {
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) x[i] = Math.random() * 2 - 1;
  return x;
}

/** Textbook in-place radix-2 FFT of interleaved data, twiddles computed in the loop. */
function textbookFft(z: Float64Array, n: number): void {
  for (let i = 1, j = 0; i < n; i++) {
    let bit = n >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      let t = z[2 * i];
      z[2 * i] = z[2 * j];
      z[2 * j] = t;
      t = z[2 * i + 1];
      z[2 * i + 1] = z[2 * j + 1];
      z[2 * j + 1] = t;
    }
  }
  for (let len = 2; len <= n; len <<= 1) {
    for (let i = 0; i < n; i += len) {
      for (let k = 0; k < len / 2; k++) {
        const a = (-2 * Math.PI * k) / len;
        const wr = Math.cos(a), wi = Math.sin(a);
        const p = 2 * (i + k), q = 2 * (i + k + len / 2);
        const tr = z[q] * wr - z[q + 1] * wi, ti = z[q] * wi + z[q + 1] * wr;
        z[q] = z[p] - tr;
        z[q + 1] = z[p + 1] - ti;
        z[p] += tr;
        z[p + 1] += ti;
      }
    }
  }
}

/** The naive DFT of interleaved data. */
function naiveDft(x: Float64Array, out: Float64Array, n: number): void {
  for (let k = 0; k < n; k++) {
    let re = 0, im = 0;
    for (let j = 0; j < n; j++) {
      const a = (-2 * Math.PI * ((j * k) % n)) / n;
      const c = Math.cos(a), s = Math.sin(a);
      re += x[2 * j] * c - x[2 * j + 1] * s;
      im += x[2 * j] * s + x[2 * j + 1] * c;
    }
    out[2 * k] = re;
    out[2 * k + 1] = im;
  }
}

const table = new Table();
const group = (workload: string, tasks: [string, () => void][]) =>
  table.group(workload, tasks, {
    time: 1000,
    iterations: 10,
    ratio: { title: "kernel / this", baseOverThis: true },
  });

const n2 = 4096;
const x2 = random(2 * n2);
const out2 = new Float64Array(2 * n2);
await group(`fft n=${n2} (radix-2)`, [
  ["fftKernel", () => fftKernel(x2, out2, 1, n2, 1, false, 1)],
  ["textbook radix-2", () => {
    out2.set(x2);
    textbookFft(out2, n2);
  }],
]);

const nb = 1000;
const xb = random(2 * nb);
const outb = new Float64Array(2 * nb);
await group(`fft n=${nb} (Bluestein)`, [
  ["fftKernel", () => fftKernel(xb, outb, 1, nb, 1, false, 1)],
  ["naive DFT", () => naiveDft(xb, outb, nb)],
]);

const r = random(64 * 256);
const half = new Float64Array(2 * 64 * 129);
await group("rfft 64 frames × 256", [
  ["rfftKernel", () => rfftKernel(r, half, 64, 256, 1, 1)],
  ["textbook radix-2 per frame", () => {
    const z = new Float64Array(512);
    for (let f = 0; f < 64; f++) {
      z.fill(0);
      for (let j = 0; j < 256; j++) z[2 * j] = r[f * 256 + j];
      textbookFft(z, 256);
      half.set(z.subarray(0, 258), f * 258);
    }
  }],
]);

table.print();
