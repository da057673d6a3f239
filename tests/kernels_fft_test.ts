// The FFT kernels against NumPy (tests/fixtures/fft/kernel.json, made by
// make_kernel_fixtures.py beside it): complex, inverse, real-input and
// Hermitian transforms of every kind of length (1, powers of two, primes,
// composites, Bluestein's large ones) along a middle axis with batch on both
// sides; then identities NumPy need not supply: Parseval, round trips at long
// lengths, float32 storage, aliasing of input and output, and bad lengths.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fftKernel, irfftKernel, rfftKernel } from "../src/array/kernels/fft.ts";

interface Case {
  n: number;
  outer: number;
  inner: number;
  x: number[];
  fft: number[];
  ifft: number[];
  r: number[];
  rfft: number[];
}
interface IrfftCase {
  m: number;
  n: number;
  outer: number;
  inner: number;
  x: number[];
  irfft: number[];
}
const fixtures = JSON.parse(
  readFileSync(new URL("./fixtures/fft/kernel.json", import.meta.url), "utf8"),
) as { cases: Case[]; irfft: IrfftCase[] };

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296 - 0.5;
  };
}

/** Largest |a − b| relative to the largest |b| (the error bound of an FFT is normwise). */
function relErr(a: ArrayLike<number>, b: ArrayLike<number>): number {
  assert.equal(a.length, b.length);
  let err = 0;
  let scale = 0;
  for (let i = 0; i < b.length; i++) {
    err = Math.max(err, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return err / scale;
}

const TOL = 1e-14; // observed ≤ 4e-16 · log2 n-ish; NumPy's pocketfft is within a few ulps too

describe("fft kernels against NumPy", () => {
  for (const c of fixtures.cases) {
    it(`fft, ifft and rfft, n = ${c.n} (outer ${c.outer}, inner ${c.inner})`, () => {
      const x = new Float64Array(c.x);
      const out = new Float64Array(x.length);
      fftKernel(x, out, c.outer, c.n, c.inner, false, 1);
      assert.ok(relErr(out, c.fft) < TOL, `fft error ${relErr(out, c.fft)}`);
      fftKernel(x, out, c.outer, c.n, c.inner, true, 1 / c.n);
      assert.ok(relErr(out, c.ifft) < TOL, `ifft error ${relErr(out, c.ifft)}`);
      const r = new Float64Array(c.r);
      const half = new Float64Array(c.rfft.length);
      rfftKernel(r, half, c.outer, c.n, c.inner, 1);
      assert.ok(relErr(half, c.rfft) < TOL, `rfft error ${relErr(half, c.rfft)}`);
    });
  }
  for (const c of fixtures.irfft) {
    it(`irfft of ${c.m} frequencies to length ${c.n}`, () => {
      const out = new Float64Array(c.outer * c.n * c.inner);
      irfftKernel(new Float64Array(c.x), out, c.outer, c.m, c.n, c.inner, 1 / c.n);
      assert.ok(relErr(out, c.irfft) < TOL, `irfft error ${relErr(out, c.irfft)}`);
    });
  }
});

describe("fft kernel identities", () => {
  it("Parseval: Σ|x|² = Σ|X|²/n at a prime and a power-of-two length", () => {
    for (const n of [10007, 8192]) {
      const g = rng(n);
      const x = Float64Array.from({ length: 2 * n }, g);
      const X = new Float64Array(2 * n);
      fftKernel(x, X, 1, n, 1, false, 1);
      let ex = 0;
      let eX = 0;
      for (let i = 0; i < 2 * n; i++) {
        ex += x[i] * x[i];
        eX += X[i] * X[i];
      }
      assert.ok(Math.abs(eX / n - ex) / ex < 1e-13, `n = ${n}: ${eX / n} vs ${ex}`);
    }
  });

  it("ifft(fft(x)) = x at long lengths, in place", () => {
    for (const n of [65536, 65537, 3 * 5 * 7 * 11 * 13]) {
      const g = rng(n + 1);
      const x = Float64Array.from({ length: 2 * n }, g);
      const y = x.slice();
      fftKernel(y, y, 1, n, 1, false, 1);
      fftKernel(y, y, 1, n, 1, true, 1 / n);
      assert.ok(relErr(y, x) < 1e-14, `n = ${n}: ${relErr(y, x)}`);
    }
  });

  it("irfft(rfft(x), n) = x for even and odd n, with batch inside", () => {
    for (const n of [12, 13, 1024, 999]) {
      const g = rng(3 * n);
      const [outer, inner] = [3, 2];
      const x = Float64Array.from({ length: outer * n * inner }, g);
      const h = (n >> 1) + 1;
      const X = new Float64Array(2 * outer * h * inner);
      rfftKernel(x, X, outer, n, inner, 1);
      const y = new Float64Array(x.length);
      irfftKernel(X, y, outer, h, n, inner, 1 / n);
      assert.ok(relErr(y, x) < 1e-14, `n = ${n}: ${relErr(y, x)}`);
    }
  });

  it("rfft is the first ⌊n/2⌋+1 bins of the complex fft of real data", () => {
    const n = 30;
    const g = rng(5);
    const r = Float64Array.from({ length: n }, g);
    const z = new Float64Array(2 * n);
    for (let j = 0; j < n; j++) z[2 * j] = r[j];
    fftKernel(z, z, 1, n, 1, false, 1);
    const h = new Float64Array(2 * 16);
    rfftKernel(r, h, 1, n, 1, 1);
    assert.ok(relErr(h, z.subarray(0, 32)) < 1e-15);
  });

  it("float32 storage is transformed in double precision and rounded once", () => {
    const n = 100;
    const g = rng(7);
    const x32 = Float32Array.from({ length: 2 * n }, g);
    const x64 = Float64Array.from(x32);
    const out32 = new Float32Array(2 * n);
    const out64 = new Float64Array(2 * n);
    fftKernel(x32, out32, 1, n, 1, false, 1);
    fftKernel(x64, out64, 1, n, 1, false, 1);
    for (let i = 0; i < 2 * n; i++) assert.equal(out32[i], Math.fround(out64[i]));
  });

  it("the DFT of a unit impulse at j is e^{-2πi jk/n} (exact for n = 4)", () => {
    const x = new Float64Array([0, 0, 1, 0, 0, 0, 0, 0]);
    const out = new Float64Array(8);
    fftKernel(x, out, 1, 4, 1, false, 1);
    assert.deepEqual(Array.from(out, (v) => v + 0), [1, 0, 0, -1, -1, 0, 0, 1]);
    fftKernel(x, out, 1, 4, 1, true, 1);
    assert.deepEqual(Array.from(out, (v) => v + 0), [1, 0, 0, 1, -1, 0, 0, -1]); // ±0 alike
  });

  it("refuses lengths that are not positive integers", () => {
    const x = new Float64Array(4);
    assert.throws(() => fftKernel(x, x, 1, 0, 1, false, 1), /Invalid FFT length 0 for fft/);
    assert.throws(() => rfftKernel(x, x, 1, 1.5, 1, 1), /Invalid FFT length 1.5 for rfft/);
    assert.throws(() => irfftKernel(x, x, 1, 2, -1, 1, 1), /Invalid FFT length -1 for irfft/);
  });
});
