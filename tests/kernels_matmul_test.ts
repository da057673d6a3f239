// The matmul kernel's two floating-point paths, WebAssembly SIMD and the JS
// fallback, against naive triple loops: random awkward sizes (1, primes, not
// multiples of the micro-tile or the cache blocks, batch > 1, k = 0), both
// dtypes, the memory management of the wasm path, and the embedded module
// being up to date with its WAT source.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import {
  matmulKernel,
  setWasmMatmul,
  WASM_MIN_WORK,
  wasmMatmulAvailable,
} from "../src/array/kernels/matmul.ts";
import {
  wasmBlocks,
  wasmKeptBytes,
  wasmLimits,
  wasmMatmul,
} from "../src/array/kernels/matmul_wasm.ts";
import { BYTES_PATH, generate } from "../src/array/kernels/wasm/build.ts";

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Runs `f` with the WebAssembly path on or off, restoring the setting. */
function onPath<T>(wasm: boolean, f: () => T): T {
  const was = setWasmMatmul(wasm);
  try {
    return f();
  } finally {
    setWasmMatmul(was);
  }
}

type Dims = [batch: number, m: number, k: number, n: number];

/**
 * Naive loop, each element summed in increasing k from 0: in doubles, or in
 * float32 (`f32`: every product and partial sum rounded to float32). Also
 * returns Σ|a·b| per element, for error bounds.
 */
function naive(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  [batch, m, k, n]: Dims,
  f32: boolean,
): { sum: Float64Array; abs: Float64Array } {
  const sum = new Float64Array(batch * m * n);
  const abs = new Float64Array(batch * m * n);
  const fr = Math.fround;
  for (let t = 0; t < batch; t++) {
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0, u = 0;
        for (let p = 0; p < k; p++) {
          const x = a[t * m * k + i * k + p] * b[t * k * n + p * n + j];
          s = f32 ? fr(s + fr(x)) : s + x;
          u += Math.abs(x);
        }
        sum[t * m * n + i * n + j] = s;
        abs[t * m * n + i * n + j] = u;
      }
    }
  }
  return { sum, abs };
}

function assertSame(actual: ArrayLike<number>, expected: ArrayLike<number>, what: string): void {
  assert.equal(actual.length, expected.length, what);
  for (let i = 0; i < actual.length; i++) {
    if (!Object.is(actual[i], expected[i])) {
      assert.fail(`${what}: element ${i} is ${actual[i]}, expected ${expected[i]}`);
    }
  }
}

function assertWithin(
  actual: ArrayLike<number>,
  expected: ArrayLike<number>,
  bound: (i: number) => number,
  what: string,
): void {
  for (let i = 0; i < actual.length; i++) {
    const err = Math.abs(actual[i] - expected[i]);
    if (!(err <= bound(i))) {
      assert.fail(`${what}: element ${i} is ${actual[i]}, expected ${expected[i]} ± ${bound(i)}`);
    }
  }
}

// Sizes: 1s, primes, k beyond the f64 (256) and f32 (512) depth blocks, m beyond
// MC = 128, n beyond the f64 (256) and f32 (512) column blocks, n = 1 (kept in JS).
const dims: Dims[] = [
  [1, 1, 1, 1],
  [1, 1, 1, 5],
  [1, 5, 1, 1],
  [1, 2, 3, 2],
  [1, 3, 5, 7],
  [2, 4, 4, 4],
  [1, 7, 13, 11],
  [3, 13, 17, 19],
  [1, 31, 37, 29],
  [5, 6, 1, 6],
  [4, 1, 9, 9],
  [1, 20, 20, 1],
  [1, 64, 64, 64],
  [2, 37, 300, 41],
  [1, 131, 61, 263],
  [1, 9, 600, 20],
  [1, 5, 40, 530],
  [1, 3, 700, 2],
];

function make(f32: boolean, length: number, gen: () => number): Float64Array | Float32Array {
  return f32 ? Float32Array.from({ length }, gen) : Float64Array.from({ length }, gen);
}

function operands(
  r: () => number,
  [batch, m, k, n]: Dims,
  f32: boolean,
): [Float64Array | Float32Array, Float64Array | Float32Array] {
  return [make(f32, batch * m * k, () => r() * 2 - 1), make(f32, batch * k * n, () => r() * 2 - 1)];
}

function run(
  a: Float64Array | Float32Array,
  b: Float64Array | Float32Array,
  [batch, m, k, n]: Dims,
): Float64Array | Float32Array {
  const out = a instanceof Float32Array
    ? new Float32Array(batch * m * n).fill(Number.NaN)
    : new Float64Array(batch * m * n).fill(Number.NaN);
  matmulKernel(a, b, out, batch, m, k, n);
  return out;
}

describe("matmulKernel, WebAssembly and JS paths", () => {
  it("has WebAssembly SIMD on this runtime", () => {
    assert.ok(wasmMatmulAvailable());
  });

  it("embeds the module assembled from matmul.wat (else run `deno task wasm`)", async () => {
    assert.equal(readFileSync(BYTES_PATH, "utf8"), await generate());
  });

  for (const wasm of [true, false]) {
    const path = wasm ? "wasm" : "JS";

    it(`${path} float64: the naive loop's bits for k <= 256, its sum within k·2^-53·Σ|ab| beyond`, () => {
      const r = rng(1);
      for (const d of dims) {
        const [a, b] = operands(r, d, false);
        const out = onPath(wasm, () => run(a, b, d));
        const { sum, abs } = naive(a, b, d, false);
        if (d[2] <= wasmBlocks.f64.kc) assertSame(out, sum, `${path} ${d}`);
        else assertWithin(out, sum, (i) => d[2] * 2 ** -53 * abs[i], `${path} ${d}`);
      }
    });

    it(`${path} float32: ${wasm ? "summed in float32" : "summed in doubles, rounded once"}`, () => {
      const r = rng(2);
      for (const d of dims) {
        const [a, b] = operands(r, d, true);
        const out = onPath(wasm, () => run(a, b, d));
        const exact = naive(a, b, d, false);
        // matmulKernel keeps matrix-vector and tiny products in JS.
        if (wasm && d[3] > 1 && d[1] * d[2] * d[3] >= WASM_MIN_WORK) {
          // float32 lanes: the float32 naive loop's bits within a depth block.
          const { sum, abs } = naive(a, b, d, true);
          if (d[2] <= wasmBlocks.f32.kc) assertSame(out, sum, `${path} ${d}`);
          assertWithin(out, exact.sum, (i) => d[2] * 2 ** -24 * abs[i], `${path} ${d}`);
        } else {
          assertWithin(
            out,
            exact.sum,
            (i) => 2 ** -24 * Math.abs(exact.sum[i]) + 1e-12 * exact.abs[i],
            `${path} ${d}`,
          );
        }
      }
    });

    it(`${path}: k = 0 gives zeros, NaN and ±Infinity propagate like the naive loop`, () => {
      for (const f32 of [false, true]) {
        const out = make(f32, 2 * 3 * 5, () => Number.NaN);
        const none = make(f32, 0, () => 0);
        onPath(wasm, () => matmulKernel(none, none, out, 2, 3, 0, 5));
        assertSame(out, new Float64Array(30), `${path} k=0`);
        const d: Dims = [2, 6, 7, 9];
        const r = rng(3);
        const a = make(f32, 2 * 6 * 7, () => Math.round(r() * 8 - 4));
        const b = make(f32, 2 * 7 * 9, () => Math.round(r() * 8 - 4));
        a[3] = Infinity;
        a[50] = -Infinity;
        b[10] = Number.NaN;
        b[70] = Infinity;
        const got = onPath(wasm, () => run(a, b, d));
        assertSame(got, naive(a, b, d, false).sum, `${path} specials, f32 ${f32}`);
      }
    });
  }

  it("both paths give the same float64 bits where both block k by 256", () => {
    const r = rng(4);
    for (const d of dims) {
      const [, m, k, n] = d;
      // The JS small path (a dimension below 4) sums k unblocked.
      if (k > 256 && (m < 4 || n < 4) && n > 1) continue;
      const [a, b] = operands(r, d, false);
      assertSame(onPath(true, () => run(a, b, d)), onPath(false, () => run(a, b, d)), `${d}`);
    }
  });

  it("keeps one bounded memory: chunks big batches, gives big products a temporary one", () => {
    const keep = wasmLimits.keep;
    try {
      wasmLimits.keep = 256 << 10;
      const r = rng(5);
      // 8 × (40×50 · 50×60) float64: about 60 KiB each, so several chunks.
      const d: Dims = [8, 40, 50, 60];
      const [a, b] = operands(r, d, false);
      const out = new Float64Array(8 * 40 * 60);
      assert.ok(wasmMatmul(a, b, out, ...d));
      assertSame(out, naive(a, b, d, false).sum, "chunked batch");
      const kept = wasmKeptBytes();
      for (let i = 0; i < 3; i++) wasmMatmul(a, b, out, ...d);
      assert.equal(wasmKeptBytes(), kept, "repeated calls do not grow the memory");
      // 100×100 · 100×100 float64 needs about 400 KiB: a temporary memory.
      const e: Dims = [1, 100, 100, 100];
      const [c, f] = operands(r, e, false);
      const big = new Float64Array(100 * 100);
      assert.ok(wasmMatmul(c, f, big, ...e));
      assertSame(big, naive(c, f, e, false).sum, "temporary memory");
      assert.equal(wasmKeptBytes(), kept, "the temporary memory is not kept");
    } finally {
      wasmLimits.keep = keep;
    }
  });

  it("leaves int32 to the JS loops", () => {
    const out = new Int32Array(4);
    matmulKernel(Int32Array.of(1, 2, 3, 4), Int32Array.of(5, 6, 7, 8), out, 1, 2, 2, 2);
    assert.deepEqual(Array.from(out), [19, 22, 43, 50]);
  });
});
