/**
 * Discrete Fourier transforms over complex data stored interleaved
 * (`re0, im0, re1, im1, …` in one `Float64Array` or `Float32Array`, the
 * layout of nabla's `complex128`/`complex64`).
 *
 * Every transform works along one axis of a row-major array seen as
 * `[outer, n, inner]`: `outer · inner` independent lines of length `n`, the
 * line's elements `inner` apart. A line is copied into float64 scratch,
 * transformed there and written back, so the input and output may be the same
 * buffer and float32 data is transformed in double precision.
 *
 * Lengths that are powers of two use an iterative radix-2 Cooley–Tukey FFT
 * with twiddles evaluated directly (no recurrence, so the error stays
 * `O(ε log n)`); every other length uses Bluestein's chirp-z algorithm, which
 * writes the length-`n` DFT as a circular convolution of length `m ≥ 2n − 1`
 * (a power of two) done by the radix-2 FFT. Nothing recurses. Plans (twiddles,
 * bit reversal, chirps) are cached per length.
 *
 * Conventions are NumPy's: the forward transform is
 * `X_k = Σ_j x_j e^{−2πi jk/n}`, the inverse uses `e^{+2πi jk/n}`; the kernels
 * do not normalise — the caller passes `scale` (`1/n` for NumPy's default
 * inverse, `1/√n` for `"ortho"`).
 *
 * @module
 */

/** Storage of floating-point data: real values, or complex values interleaved. */
export type FloatStorage = Float64Array | Float32Array;

/** Twiddles and permutation of a power-of-two FFT. */
interface Radix2Plan {
  readonly m: number;
  /** `cos(2πk/m)`, `k < m/2`. */
  readonly cos: Float64Array;
  /** `sin(2πk/m)`, `k < m/2`. */
  readonly sin: Float64Array;
  /** Bit-reversal permutation. */
  readonly rev: Uint32Array;
}

/** Bluestein's chirp-z plan for a length `n` that is not a power of two. */
interface BluesteinPlan {
  readonly n: number;
  readonly sub: Radix2Plan;
  /** The chirp `w_t = e^{−πi t²/n}`, `t < n`. */
  readonly wRe: Float64Array;
  readonly wIm: Float64Array;
  /** The radix-2 FFT of the circular sequence `b_t = conj(w_t)`, `t ∈ (−n, n)`. */
  readonly bRe: Float64Array;
  readonly bIm: Float64Array;
  /** Scratch of length `m`. */
  readonly aRe: Float64Array;
  readonly aIm: Float64Array;
}

/** Whether `n` is a power of two (`n ≥ 1`). */
function isPow2(n: number): boolean {
  return (n & (n - 1)) === 0;
}

const radix2Plans = new Map<number, Radix2Plan>();
const bluesteinPlans = new Map<number, BluesteinPlan>();

function radix2Plan(m: number): Radix2Plan {
  let plan = radix2Plans.get(m);
  if (plan !== undefined) return plan;
  const half = m >> 1;
  const cos = new Float64Array(half);
  const sin = new Float64Array(half);
  for (let k = 0; k < half; k++) {
    // Exact at the quarter points, so that e.g. a length-4 FFT of integers is exact.
    if (4 * k === m) {
      cos[k] = 0;
      sin[k] = 1;
    } else {
      const a = (2 * Math.PI * k) / m;
      cos[k] = Math.cos(a);
      sin[k] = Math.sin(a);
    }
  }
  const rev = new Uint32Array(m);
  let bits = 0;
  while ((1 << bits) < m) bits++;
  for (let i = 0; i < m; i++) {
    let r = 0;
    for (let b = 0, v = i; b < bits; b++, v >>= 1) r = (r << 1) | (v & 1);
    rev[i] = r;
  }
  plan = { m, cos, sin, rev };
  radix2Plans.set(m, plan);
  return plan;
}

/** In-place forward FFT (`e^{−2πi jk/m}`) of `re`/`im`, `m` a power of two. */
function radix2(plan: Radix2Plan, re: Float64Array, im: Float64Array): void {
  const { m, cos, sin, rev } = plan;
  for (let i = 0; i < m; i++) {
    const j = rev[i];
    if (j > i) {
      let t = re[i];
      re[i] = re[j];
      re[j] = t;
      t = im[i];
      im[i] = im[j];
      im[j] = t;
    }
  }
  for (let size = 2; size <= m; size <<= 1) {
    const half = size >> 1;
    const step = m / size;
    for (let start = 0; start < m; start += size) {
      for (let j = 0, k = 0; j < half; j++, k += step) {
        const wr = cos[k];
        const wi = -sin[k];
        const a = start + j;
        const b = a + half;
        const tr = re[b] * wr - im[b] * wi;
        const ti = re[b] * wi + im[b] * wr;
        re[b] = re[a] - tr;
        im[b] = im[a] - ti;
        re[a] += tr;
        im[a] += ti;
      }
    }
  }
}

function bluesteinPlan(n: number): BluesteinPlan {
  let plan = bluesteinPlans.get(n);
  if (plan !== undefined) return plan;
  let m = 1;
  while (m < 2 * n - 1) m <<= 1;
  const sub = radix2Plan(m);
  const wRe = new Float64Array(n);
  const wIm = new Float64Array(n);
  const twoN = 2 * n;
  for (let t = 0; t < n; t++) {
    // t² mod 2n is exact while t² < 2^53 (n < 9·10^7); it keeps the angle small.
    const a = (Math.PI * ((t * t) % twoN)) / n;
    wRe[t] = Math.cos(a);
    wIm[t] = -Math.sin(a);
  }
  const bRe = new Float64Array(m);
  const bIm = new Float64Array(m);
  bRe[0] = wRe[0];
  bIm[0] = -wIm[0];
  for (let t = 1; t < n; t++) {
    bRe[t] = bRe[m - t] = wRe[t];
    bIm[t] = bIm[m - t] = -wIm[t];
  }
  radix2(sub, bRe, bIm);
  plan = {
    n,
    sub,
    wRe,
    wIm,
    bRe,
    bIm,
    aRe: new Float64Array(m),
    aIm: new Float64Array(m),
  };
  bluesteinPlans.set(n, plan);
  return plan;
}

/**
 * In-place forward DFT of a line of any length `n ≥ 1`:
 * `X_k = w_k Σ_j (x_j w_j) conj(w_{k−j})` with `w_t = e^{−πi t²/n}`, since
 * `jk = (j² + k² − (k − j)²)/2`; the sum is a circular convolution, done as
 * `IFFT(FFT(a) · FFT(b))` with the inverse as `conj ∘ FFT ∘ conj`.
 */
function dftLine(re: Float64Array, im: Float64Array, n: number): void {
  if (n === 1) return;
  if (isPow2(n)) {
    radix2(radix2Plan(n), re, im);
    return;
  }
  const p = bluesteinPlan(n);
  const { wRe, wIm, bRe, bIm, aRe, aIm } = p;
  const m = p.sub.m;
  for (let j = 0; j < n; j++) {
    aRe[j] = re[j] * wRe[j] - im[j] * wIm[j];
    aIm[j] = re[j] * wIm[j] + im[j] * wRe[j];
  }
  aRe.fill(0, n);
  aIm.fill(0, n);
  radix2(p.sub, aRe, aIm);
  // Multiply by FFT(b) and conjugate, ready for the inverse as a forward FFT.
  for (let k = 0; k < m; k++) {
    const r = aRe[k] * bRe[k] - aIm[k] * bIm[k];
    const i = aRe[k] * bIm[k] + aIm[k] * bRe[k];
    aRe[k] = r;
    aIm[k] = -i;
  }
  radix2(p.sub, aRe, aIm);
  const inv = 1 / m;
  for (let k = 0; k < n; k++) {
    // conv_k = conj(a_k) / m; X_k = w_k conv_k.
    const cr = aRe[k] * inv;
    const ci = -aIm[k] * inv;
    re[k] = cr * wRe[k] - ci * wIm[k];
    im[k] = cr * wIm[k] + ci * wRe[k];
  }
}

// Line scratch, grown on demand (kernels never re-enter each other).
let lineRe = new Float64Array(16);
let lineIm = new Float64Array(16);

function lineScratch(n: number): void {
  if (lineRe.length < n) {
    lineRe = new Float64Array(n);
    lineIm = new Float64Array(n);
  }
}

function checkLength(n: number, what: string): void {
  if (!Number.isInteger(n) || n < 1) {
    throw new RangeError(`Invalid FFT length ${n} for ${what}: expected a positive integer`);
  }
}

/**
 * Complex-to-complex DFT along the middle axis of `[outer, n, inner]`
 * interleaved complex data: `out_k = scale · Σ_j x_j e^{∓2πi jk/n}` (minus for
 * the forward transform, plus for `inverse`). `x` and `out` may be the same
 * buffer.
 *
 * @param x Input, `2 · outer · n · inner` values.
 * @param out Output of the same layout.
 * @param outer Number of outer lines.
 * @param n Transform length (≥ 1).
 * @param inner Stride between a line's elements, in complex elements.
 * @param inverse Whether to use `e^{+2πi jk/n}`.
 * @param scale Factor applied to every output (1 for none).
 */
export function fftKernel(
  x: FloatStorage,
  out: FloatStorage,
  outer: number,
  n: number,
  inner: number,
  inverse: boolean,
  scale: number,
): void {
  checkLength(n, "fft");
  lineScratch(n);
  const re = lineRe;
  const im = lineIm;
  // The inverse is conj ∘ forward ∘ conj.
  const sgn = inverse ? -1 : 1;
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * n * inner + i;
      for (let j = 0; j < n; j++) {
        const at = 2 * (base + j * inner);
        re[j] = x[at];
        im[j] = sgn * x[at + 1];
      }
      dftLine(re, im, n);
      const sIm = sgn * scale;
      for (let k = 0; k < n; k++) {
        const at = 2 * (base + k * inner);
        out[at] = scale * re[k];
        out[at + 1] = sIm * im[k];
      }
    }
  }
}

/**
 * Real-to-complex forward DFT along the middle axis: real input
 * `[outer, n, inner]`, interleaved complex output `[outer, ⌊n/2⌋ + 1, inner]`
 * (the non-negative frequencies; the rest are their conjugates).
 *
 * @param x Real input, `outer · n · inner` values.
 * @param out Complex output, `2 · outer · (⌊n/2⌋ + 1) · inner` values.
 * @param outer Number of outer lines.
 * @param n Transform length (≥ 1).
 * @param inner Stride between a line's elements.
 * @param scale Factor applied to every output.
 */
export function rfftKernel(
  x: FloatStorage,
  out: FloatStorage,
  outer: number,
  n: number,
  inner: number,
  scale: number,
): void {
  checkLength(n, "rfft");
  lineScratch(n);
  const re = lineRe;
  const im = lineIm;
  const h = (n >> 1) + 1;
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const inBase = o * n * inner + i;
      for (let j = 0; j < n; j++) {
        re[j] = x[inBase + j * inner];
        im[j] = 0;
      }
      dftLine(re, im, n);
      const outBase = o * h * inner + i;
      for (let k = 0; k < h; k++) {
        const at = 2 * (outBase + k * inner);
        out[at] = scale * re[k];
        out[at + 1] = scale * im[k];
      }
    }
  }
}

/**
 * Complex-to-real inverse DFT along the middle axis (NumPy's `irfft`): the
 * input `[outer, m, inner]` holds the non-negative frequencies of a Hermitian
 * spectrum of length `n`; entries past `⌊n/2⌋` are ignored and missing ones
 * are zero. As in NumPy (pocketfft), the imaginary parts of the zero frequency
 * and, for even `n`, of the Nyquist frequency are ignored. Output: real
 * `[outer, n, inner]`, `out_j = scale · Σ_k X_k e^{+2πi jk/n}` over the
 * Hermitian completion `X_{n−k} = conj(X_k)`.
 *
 * @param x Complex input, `2 · outer · m · inner` values.
 * @param out Real output, `outer · n · inner` values.
 * @param outer Number of outer lines.
 * @param m Number of input frequencies per line.
 * @param n Output length (≥ 1).
 * @param inner Stride between a line's elements.
 * @param scale Factor applied to every output.
 */
export function irfftKernel(
  x: FloatStorage,
  out: FloatStorage,
  outer: number,
  m: number,
  n: number,
  inner: number,
  scale: number,
): void {
  checkLength(n, "irfft");
  lineScratch(n);
  const re = lineRe;
  const im = lineIm;
  const h = (n >> 1) + 1;
  const used = Math.min(m, h);
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const inBase = o * m * inner + i;
      re.fill(0, 0, n);
      im.fill(0, 0, n);
      // Conjugated (inverse = conj ∘ forward ∘ conj), completed Hermitian.
      for (let k = 0; k < used; k++) {
        const at = 2 * (inBase + k * inner);
        const xr = x[at];
        const xi = x[at + 1];
        re[k] = xr;
        im[k] = -xi;
        if (k > 0 && n - k !== k) {
          re[n - k] = xr;
          im[n - k] = xi;
        }
      }
      im[0] = 0;
      if ((n & 1) === 0 && used === h) im[n >> 1] = 0;
      dftLine(re, im, n);
      const outBase = o * n * inner + i;
      for (let j = 0; j < n; j++) out[outBase + j * inner] = scale * re[j];
    }
  }
}
