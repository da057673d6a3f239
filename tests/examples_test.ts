// Smoke test of every example: each runs as a `deno run` subprocess with the permissions its
// doc comment declares, exits successfully, and prints its key results. Needs `deno test
// --allow-read=. --allow-write=examples/out --allow-run` (the "test" task); under Bun and Node
// the tests are skipped, since the examples are run with Deno.
import { describe, it } from "node:test";
import { deepEqual, match, ok } from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { root, runDeno, skipUnlessDeno as skip } from "./_deno.ts";

/** The numbers after `label` on each line that has it, in order. */
function numbersAfter(text: string, label: string): number[] {
  const re = new RegExp(`${label}\\s+(-?[\\d.]+(?:e[-+]?\\d+)?)`, "g");
  return [...text.matchAll(re)].map((m) => Number(m[1]));
}

const outDir = "examples/out/test";

/** Each example, the permissions it needs, and what its output must show. */
const examples: Record<
  string,
  { flags?: string[]; args?: string[]; check: (out: string) => void }
> = {
  "seed.ts": {
    flags: ["--allow-read=.", "--allow-write=examples/out"],
    args: [outDir],
    check(out) {
      // The tutorial's values, printed the way JAX prints them.
      match(out, />>> grad\(np\.square\)\(0\.5\)\nArray\(1, dtype=float64\)/);
      match(out, />>> grad\(f\)\(0\.1\)\nArray\(10\.2, dtype=float64\)/);
      match(out, />>> grad\(grad\(f\)\)\(0\.1\)\nArray\(-98, dtype=float64\)/);
      match(out, />>> grad\(grad\(grad\(f\)\)\)\(0\.1\)\nArray\(2000, dtype=float64\)/);
      match(out, />>> yDash\.shape\n\[100\]/);
      match(out, /np\.allclose\(yDash, np\.multiply\(2, x\)\)\ntrue/);
      const svg = readFileSync(`${root}${outDir}/seed.svg`, "utf8");
      ok(svg.startsWith("<svg"), "seed.svg is an SVG");
      for (const label of [">x<", ">y<", ">dy/dx<"]) ok(svg.includes(label), `axis title ${label}`);
      const png = readFileSync(`${root}${outDir}/seed.png`);
      deepEqual([...png.subarray(1, 4)], [0x50, 0x4e, 0x47], "seed.png is a PNG");
      match(out, /Wrote the figure to .*seed\.svg/);
      match(out, /Wrote the figure to .*seed\.png/);
    },
  },
  "arrays.ts": {
    check(out) {
      match(out, /Array\(\[3, 4, 5\], dtype=int32\)/);
      match(out, /Array\(\[2, 2\], dtype=float32\)/);
      match(out, /Cannot broadcast shapes \[2,3\] and \[4\]/);
    },
  },
  "custom_interpreter.ts": {
    check(out) {
      match(out, /countOps\(grad\(f\)\): \d+ primitive operations/);
      match(out, /grad\(f\)\(0\.1\) = Array\(10\.2, dtype=float64\)/);
    },
  },
  "newton.ts": {
    check(out) {
      match(out, /root: x = 0\.739085133215/);
      match(out, /minimum: p = Array\(\[1, 1\], dtype=float64\)/);
    },
  },
  "spectrogram.ts": {
    check(out) {
      match(out, /spectrogram: 14 frames × 65 bins of 7\.8125 Hz/);
      // The chirp's peak follows 100 + 300 t Hz to within one bin; the tone stays put.
      const peaks = numbersAfter(out, "chirp peak");
      const expected = numbersAfter(out, "expected");
      deepEqual(peaks.length, 4);
      peaks.forEach((p, i) => ok(Math.abs(p - expected[i]) < 7.8125, `frame ${i}: ${p} Hz`));
      deepEqual(new Set(numbersAfter(out, "tone")).size, 1);
      match(out, /recovered amplitudes: 0\.8000 0\.3000/);
    },
  },
  "gaussian_process.ts": {
    check(out) {
      match(out, /gradient matches the formula: true/);
      const nll = numbersAfter(out, "nll");
      ok(nll.length >= 3 && nll.at(-1)! < nll[0] - 30, `the marginal likelihood improves: ${nll}`);
      const noise = numbersAfter(out, "noise")[0];
      ok(Math.abs(noise - 0.1) < 0.03, `the fitted noise level is near the true 0.1: ${noise}`);
      ok(numbersAfter(out, "rmse vs sin\\(x\\)")[0] < 0.15, "the posterior mean follows sin(x)");
    },
  },
  "hvp.ts": {
    check(out) {
      match(out, /all three agree: true/);
    },
  },
  "per_example_grads.ts": {
    check(out) {
      match(out, /per-example dL\/dw, shape \[8,3\]/);
      match(out, /equals grad of the mean loss: true/);
    },
  },
  "regression.ts": {
    check(out) {
      const [linear, logistic] = out.split("Logistic regression");
      for (const part of [linear, logistic]) {
        const losses = numbersAfter(part, "loss");
        ok(losses.length >= 3, "prints the loss as it trains");
        ok(losses.at(-1)! < losses[0] / 1.4, `loss decreases: ${losses}`);
      }
      const w = /fitted w = Array\(\[\s*([-\d.]+),\s*([-\d.]+)\]/.exec(linear)!;
      ok(Math.abs(Number(w[1]) - 3) < 0.05 && Math.abs(Number(w[2]) + 2) < 0.05, w[0]);
      ok(numbersAfter(logistic, "training accuracy")[0] > 80, "logistic accuracy > 80%");
    },
  },
  "cnn.ts": {
    check(out) {
      const losses = numbersAfter(out, "loss");
      ok(losses.length >= 5, "prints the loss every 25 steps");
      ok(losses.at(-1)! < losses[0] / 10, `loss falls: ${losses}`);
      ok(numbersAfter(out, "final test accuracy")[0] >= 95, "final test accuracy ≥ 95%");
    },
  },
  "mlp.ts": {
    check(out) {
      const losses = numbersAfter(out, "loss");
      ok(losses.length >= 5, "prints the loss every 100 steps");
      ok(losses.at(-1)! < losses[0] / 5, `loss falls: ${losses}`);
      ok(numbersAfter(out, "final training accuracy")[0] >= 95, "final accuracy ≥ 95%");
    },
  },
};

describe("examples", () => {
  it("every example in examples/ is smoke-tested here", () => {
    const files = readdirSync(`${root}examples`).filter((f) => f.endsWith(".ts")).sort();
    deepEqual(files, Object.keys(examples).sort());
  });

  for (const [file, { flags = [], args = [], check }] of Object.entries(examples)) {
    it(`${file} runs and prints its results`, { skip }, () => {
      const out = runDeno([...flags, `examples/${file}`, ...args]);
      check(out);
    });
  }
});
