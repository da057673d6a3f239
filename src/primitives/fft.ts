/**
 * Complex numbers and Fourier transforms: `complex` (parts → complex),
 * `real`, `imag`, `conj`, and `fft` (one-dimensional DFTs along the last axis).
 * All are linear (over the reals).
 *
 * Cotangents of complex values follow JAX's convention: a cotangent is the
 * conjugate of the gradient in ℝ², so the reverse-mode inner product is
 * `Re Σ ct · v` and every ℂ-linear map transposes without conjugation — the
 * DFT matrix is symmetric, so the transpose of an FFT is the same FFT. The
 * gradient of a real loss with respect to a complex input is then the
 * conjugate of `∂L/∂re + i ∂L/∂im`, as `jax.grad` returns it.
 *
 * @module
 */

import { NdArray, storageOf } from "../array/array.ts";
import {
  allocate,
  complexDTypeOf,
  type DType,
  isComplex,
  isFloat,
  realPartDType,
} from "../array/dtype.ts";
import { type Shape, showShape, sizeOf } from "../array/shape.ts";
import { complexPartKernel, makeComplexKernel } from "../array/kernels/complex.ts";
import { fftKernel, irfftKernel, rfftKernel } from "../array/kernels/fft.ts";
import { bind } from "../core/handler.ts";
import { type Aval, type LinearPrimitive, type Tangent, Zero } from "../core/primitive.ts";
import { mul, neg } from "./elementwise.ts";
import { batchToFront, moveAxis } from "./rules.ts";
import { pad } from "./structural.ts";

type Storage = Float64Array | Float32Array;

function linearUnaryJvp<P>(
  f: (x: NdArray, p: P) => NdArray,
  aval: (x: Aval, p: P) => Aval,
): (primals: readonly NdArray[], tangents: readonly Tangent[], p: P) => [NdArray, Tangent] {
  return ([x], [t], p) => {
    const y = f(x, p);
    if (t instanceof Zero) {
      const a = aval(t, p);
      return [y, new Zero(a.shape, a.dtype)];
    }
    return [y, f(t, p)];
  };
}

// ---------------------------------------------------------------------------
// complex, real, imag, conj

function complexAval(name: string, [re, im]: readonly Aval[]): Aval {
  if (re.dtype !== im.dtype || !isFloat(re.dtype)) {
    throw new TypeError(
      `Primitive '${name}' needs two float operands of one dtype: got ${re.dtype} and ${im.dtype}`,
    );
  }
  if (re.shape.length !== im.shape.length || re.shape.some((n, i) => n !== im.shape[i])) {
    throw new TypeError(
      `Primitive '${name}' needs operands of one shape: got ${showShape(re.shape)} and ${
        showShape(im.shape)
      }`,
    );
  }
  return { shape: re.shape, dtype: complexDTypeOf(re.dtype) };
}

/** `re + i·im` from two float arrays of one shape; linear. */
export const complexP: LinearPrimitive<undefined> = {
  name: "complex",
  impl(args) {
    const aval = complexAval("complex", args);
    const out = allocate(aval.dtype, sizeOf(aval.shape)) as Storage;
    makeComplexKernel(storageOf(args[0]), storageOf(args[1]), out);
    return new NdArray(out, aval.shape, aval.dtype);
  },
  abstractEval: (args) => complexAval("complex", args),
  jvp([re, im], [tr, ti]) {
    const y = complex(re, im);
    if (tr instanceof Zero && ti instanceof Zero) return [y, new Zero(y.shape, y.dtype)];
    const z = (t: Tangent, like: NdArray) =>
      t instanceof Zero ? new NdArray(allocate(like.dtype, like.size), like.shape, like.dtype) : t;
    return [y, complex(z(tr, re), z(ti, im))];
  },
  vmap(args, dims, _p, n) {
    return [complex(batchToFront(args[0], dims[0], n), batchToFront(args[1], dims[1], n)), 0];
  },
  // ⟨ct, re + i im⟩ = Re(ct) re − Im(ct) im
  transpose: (ct) => [real(ct), neg(imag(ct))],
};

function partAval(name: string, x: Aval): Aval {
  if (!isComplex(x.dtype)) {
    throw new TypeError(`Primitive '${name}' needs a complex operand: got ${x.dtype}`);
  }
  return { shape: x.shape, dtype: realPartDType(x.dtype) };
}

function partPrimitive(name: "real" | "imag"): LinearPrimitive<undefined> {
  const prim: LinearPrimitive<undefined> = {
    name,
    complex: true,
    impl([x]) {
      const aval = partAval(name, x);
      const out = allocate(aval.dtype, x.size) as Storage;
      complexPartKernel(name, storageOf(x) as Storage, out);
      return new NdArray(out, aval.shape, aval.dtype);
    },
    abstractEval: ([x]) => partAval(name, x),
    jvp: linearUnaryJvp((x) => bind(prim, [x], undefined), (x) => partAval(name, x)),
    vmap: ([x], [d]) => [bind(prim, [x], undefined), d],
    transpose(ct) {
      const zero = new NdArray(allocate(ct.dtype, ct.size), ct.shape, ct.dtype);
      // real: ⟨ct, Re z⟩ = Re(ct·z) for ct real; imag: ct Im z = Re(−i ct · z).
      return [name === "real" ? complex(ct, zero) : complex(zero, neg(ct))];
    },
  };
  return prim;
}

/** The real part of a complex array; linear. */
export const realP: LinearPrimitive<undefined> = partPrimitive("real");
/** The imaginary part of a complex array; linear. */
export const imagP: LinearPrimitive<undefined> = partPrimitive("imag");

function conjAval(x: Aval): Aval {
  if (!isComplex(x.dtype)) {
    throw new TypeError(`Primitive 'conj' needs a complex operand: got ${x.dtype}`);
  }
  return x;
}

/** The complex conjugate; linear over the reals. */
export const conjP: LinearPrimitive<undefined> = {
  name: "conj",
  complex: true,
  impl([x]) {
    conjAval(x);
    const src = storageOf(x) as Storage;
    const out = allocate(x.dtype, x.size) as Storage;
    for (let i = 0; i < src.length; i += 2) {
      out[i] = src[i];
      out[i + 1] = -src[i + 1];
    }
    return new NdArray(out, x.shape, x.dtype);
  },
  abstractEval: ([x]) => conjAval(x),
  jvp: linearUnaryJvp((x) => conj(x), conjAval),
  vmap: ([x], [d]) => [conj(x), d],
  // Re(ct · conj v) = Re(conj(ct) · v)
  transpose: (ct) => [conj(ct)],
};

// ---------------------------------------------------------------------------
// fft

/** Parameters of `fft`. */
export interface FftParams {
  /**
   * `"fft"`/`"ifft"`: complex → complex of length `n`; `"rfft"`: real of
   * length `n` → complex of length `⌊n/2⌋ + 1`; `"irfft"`: complex of length
   * `⌊n/2⌋ + 1` (a Hermitian spectrum's non-negative half) → real of length `n`.
   */
  readonly kind: "fft" | "ifft" | "rfft" | "irfft";
  /** The transform length. */
  readonly n: number;
  /** Factor on the unnormalised sums (`1`, `1/n`, `1/√n`: NumPy's `norm` modes). */
  readonly scale: number;
}

function fftAval(x: Aval, { kind, n }: FftParams): Aval {
  const last = x.shape.length === 0 ? -1 : x.shape[x.shape.length - 1];
  const want = kind === "irfft" ? (n >> 1) + 1 : n;
  const needsComplex = kind !== "rfft";
  if (!Number.isInteger(n) || n < 1) {
    throw new RangeError(`Invalid FFT length ${n}: expected a positive integer`);
  }
  if (needsComplex ? !isComplex(x.dtype) : !isFloat(x.dtype)) {
    throw new TypeError(
      `Primitive 'fft' (${kind}) needs a ${
        needsComplex ? "complex" : "float"
      } operand: got ${x.dtype}`,
    );
  }
  if (last !== want) {
    throw new TypeError(
      `Primitive 'fft' (${kind}, n=${n}) needs a last axis of length ${want}: got shape ${
        showShape(x.shape)
      }`,
    );
  }
  const shape: Shape = [...x.shape.slice(0, -1), kind === "rfft" ? (n >> 1) + 1 : n];
  const dtype: DType = kind === "rfft"
    ? complexDTypeOf(x.dtype)
    : kind === "irfft"
    ? realPartDType(x.dtype as "complex64" | "complex128")
    : x.dtype;
  return { shape, dtype };
}

/** One-dimensional DFTs along the last axis (NumPy's sign conventions); linear. */
export const fftP: LinearPrimitive<FftParams> = {
  name: "fft",
  complex: true,
  impl([x], p) {
    const aval = fftAval(x, p);
    const out = allocate(aval.dtype, sizeOf(aval.shape)) as Storage;
    const src = storageOf(x) as Storage;
    const lines = x.ndim === 0 ? 1 : x.size / x.shape[x.ndim - 1];
    if (p.kind === "fft" || p.kind === "ifft") {
      fftKernel(src, out, lines, p.n, 1, p.kind === "ifft", p.scale);
    } else if (p.kind === "rfft") rfftKernel(src, out, lines, p.n, 1, p.scale);
    else irfftKernel(src, out, lines, (p.n >> 1) + 1, p.n, 1, p.scale);
    return new NdArray(out, aval.shape, aval.dtype);
  },
  abstractEval: ([x], p) => fftAval(x, p),
  jvp: linearUnaryJvp((x, p) => fft(x, p), fftAval),
  vmap([x], [d], p) {
    // The transform acts on the last axis: keep the batch axis off it.
    const xb = d === x.ndim - 1 ? moveAxis(x, d, 0) : x;
    return [fft(xb, p), d === x.ndim - 1 ? 0 : d];
  },
  transpose(ct, _args, p) {
    const { kind, n, scale } = p;
    // The DFT matrix is symmetric: F^T = F (and so for the inverse).
    if (kind === "fft" || kind === "ifft") return [fft(ct, p)];
    if (kind === "rfft") {
      // rfft = slice ∘ fft ∘ (real → complex): transpose = real ∘ fft ∘ pad.
      const h = (n >> 1) + 1;
      const lo = ct.shape.map(() => 0);
      const hi = ct.shape.map((_, i) => (i === ct.ndim - 1 ? n - h : 0));
      const full = pad(ct, { lo, hi, interior: ct.shape.map(() => 0) });
      return [real(fft(full, { kind: "fft", n, scale }))];
    }
    // irfft(c) = scale · Re Σ_k m_k c_k e^{+2πi jk/n} with weights m = (1, 2, …, 2, 1 if n even)
    // over the stored half: the transpose is conj(m · rfft_raw(ct)) · scale (JAX's rule).
    const y = fft(ct, { kind: "rfft", n, scale });
    const h = (n >> 1) + 1;
    const w = allocate(realPartDType(y.dtype as "complex64"), h);
    w.fill(2);
    w[0] = 1;
    if ((n & 1) === 0) w[h - 1] = 1;
    const m = new NdArray(w, [h], realPartDType(y.dtype as "complex64"));
    return [complex(mul(real(y), m), neg(mul(imag(y), m)))];
  },
};

// ---------------------------------------------------------------------------
// Functions that bind them

/** `re + i·im` (same float dtype and shape). */
export function complex(re: NdArray, im: NdArray): NdArray {
  return bind(complexP, [re, im], undefined);
}
/** The real part of a complex array. */
export function real(x: NdArray): NdArray {
  return bind(realP, [x], undefined);
}
/** The imaginary part of a complex array. */
export function imag(x: NdArray): NdArray {
  return bind(imagP, [x], undefined);
}
/** The complex conjugate of a complex array. */
export function conj(x: NdArray): NdArray {
  return bind(conjP, [x], undefined);
}
/** A DFT along the last axis. */
export function fft(x: NdArray, params: FftParams): NdArray {
  return bind(fftP, [x], params);
}
