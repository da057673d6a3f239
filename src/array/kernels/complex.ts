/**
 * Elementwise kernels of complex data, stored interleaved (`re, im` per
 * element, in a `Float64Array` for `complex128` or a `Float32Array` for
 * `complex64`; see `dtype.ts`). Lengths below count elements, so a complex
 * buffer of `n` elements has `2n` slots.
 *
 * The formulas follow C99 Annex G / NumPy's `npymath` where accuracy needs
 * care: Smith's division, `log` through `log1p` near the unit circle, the
 * cancellation-free square root (branch cuts on the negative real axis, the
 * sign of a zero imaginary part choosing the side, as in NumPy and JAX).
 *
 * @module
 */

import { type Shape, sizeOf, stridesOf } from "../shape.ts";
import type { TypedArray } from "../dtype.ts";

/** Interleaved complex storage. */
export type ComplexStorage = Float64Array | Float32Array;

/** Unary complex → complex operations. */
export type ComplexUnaryOp =
  | "neg"
  | "conj"
  | "exp"
  | "log"
  | "sqrt"
  | "sign"
  | "square"
  | "reciprocal"
  | "sin"
  | "cos";

/** Complex → real operations: parts, modulus and argument. */
export type ComplexPartOp = "real" | "imag" | "abs" | "angle";

/** Binary complex operations (`eq`/`ne` write a `Uint8Array`). */
export type ComplexBinaryOp = "add" | "sub" | "mul" | "div" | "eq" | "ne";

// Results of the scalar helpers, to avoid allocating a pair per element.
let outRe = 0;
let outIm = 0;

/** `(a + bi) / (c + di)` by Smith's algorithm (no overflow of `c² + d²`). */
function cdiv(a: number, b: number, c: number, d: number): void {
  if (Math.abs(c) >= Math.abs(d)) {
    if (c === 0 && d === 0) {
      // Division by zero: the real quotients, as NumPy (inf or nan per part).
      outRe = a / Math.abs(c);
      outIm = b / Math.abs(c);
      return;
    }
    const r = d / c;
    const den = c + d * r;
    outRe = (a + b * r) / den;
    outIm = (b - a * r) / den;
  } else {
    const r = c / d;
    const den = c * r + d;
    outRe = (a * r + b) / den;
    outIm = (b * r - a) / den;
  }
}

/** `log(a + bi)`: `log|z| + i arg z`, with `log1p` where `|z| ≈ 1`. */
function clog(a: number, b: number): void {
  const ax = Math.max(Math.abs(a), Math.abs(b));
  const ay = Math.min(Math.abs(a), Math.abs(b));
  if (ax > 0.5 && ax < 2 && ay < 1) {
    // log|z| = ½ log1p((ax − 1)(ax + 1) + ay²), exact in the first term.
    outRe = 0.5 * Math.log1p((ax - 1) * (ax + 1) + ay * ay);
  } else {
    outRe = Math.log(Math.hypot(a, b));
  }
  outIm = Math.atan2(b, a);
}

/** Principal `sqrt(a + bi)`: `Re ≥ 0`, `Im` with the sign of `b` (also of a signed zero). */
function csqrt(a: number, b: number): void {
  if (a === 0 && b === 0) {
    outRe = 0;
    outIm = b;
    return;
  }
  if (b === Infinity || b === -Infinity) {
    outRe = Infinity;
    outIm = b;
    return;
  }
  if (Number.isNaN(a) || Number.isNaN(b)) {
    outRe = NaN;
    outIm = NaN;
    return;
  }
  // Scale huge inputs so that |a| + |z| cannot overflow.
  const big = Math.abs(a) > 1e300 || Math.abs(b) > 1e300;
  const sa = big ? a * 0.25 : a;
  const sb = big ? b * 0.25 : b;
  let t = Math.sqrt((Math.abs(sa) + Math.hypot(sa, sb)) / 2);
  let u = Math.abs(sb) / (2 * t);
  if (big) {
    t *= 2;
    u *= 2;
  }
  if (a >= 0) {
    outRe = t;
    outIm = b < 0 || Object.is(b, -0) ? -u : u;
  } else {
    outRe = u;
    outIm = b < 0 || Object.is(b, -0) ? -t : t;
  }
}

function unaryAt(op: ComplexUnaryOp, a: number, b: number): void {
  switch (op) {
    case "neg":
      outRe = -a;
      outIm = -b;
      return;
    case "conj":
      outRe = a;
      outIm = -b;
      return;
    case "exp": {
      const e = Math.exp(a);
      // exp(x + 0i) = e^x + 0i exactly (no inf · 0 = nan for a = +inf).
      if (b === 0) {
        outRe = e;
        outIm = b;
      } else {
        outRe = e * Math.cos(b);
        outIm = e * Math.sin(b);
      }
      return;
    }
    case "log":
      return clog(a, b);
    case "sqrt":
      return csqrt(a, b);
    case "sign": {
      // JAX's sign of a complex number: z / |z|, and 0 at 0.
      const r = Math.hypot(a, b);
      outRe = r === 0 ? 0 : a / r;
      outIm = r === 0 ? 0 : b / r;
      return;
    }
    case "square":
      outRe = (a - b) * (a + b);
      outIm = 2 * a * b;
      return;
    case "reciprocal":
      return cdiv(1, 0, a, b);
    case "sin":
      // sin(a + bi) = sin a cosh b + i cos a sinh b
      outRe = Math.sin(a) * Math.cosh(b);
      outIm = Math.cos(a) * Math.sinh(b);
      return;
    case "cos":
      // cos(a + bi) = cos a cosh b − i sin a sinh b
      outRe = Math.cos(a) * Math.cosh(b);
      outIm = -Math.sin(a) * Math.sinh(b);
      return;
  }
}

/**
 * Applies a complex → complex function to every element.
 *
 * @param op The operation.
 * @param x Interleaved input of `n` elements (`2n` slots).
 * @param out Interleaved output of the same length (may be `x`).
 */
export function complexUnaryKernel(
  op: ComplexUnaryOp,
  x: ComplexStorage,
  out: ComplexStorage,
): void {
  const n = x.length >> 1;
  for (let i = 0; i < n; i++) {
    unaryAt(op, x[2 * i], x[2 * i + 1]);
    out[2 * i] = outRe;
    out[2 * i + 1] = outIm;
  }
}

/**
 * A real function of each complex element: its real or imaginary part, its
 * modulus `|z|` (by `hypot`, without overflow) or its argument `atan2(im, re)`.
 *
 * @param op The operation.
 * @param x Interleaved input of `n` elements.
 * @param out Real output of `n` elements.
 */
export function complexPartKernel(op: ComplexPartOp, x: ComplexStorage, out: ComplexStorage): void {
  const n = x.length >> 1;
  switch (op) {
    case "real":
      for (let i = 0; i < n; i++) out[i] = x[2 * i];
      return;
    case "imag":
      for (let i = 0; i < n; i++) out[i] = x[2 * i + 1];
      return;
    case "abs":
      for (let i = 0; i < n; i++) out[i] = Math.hypot(x[2 * i], x[2 * i + 1]);
      return;
    case "angle":
      for (let i = 0; i < n; i++) out[i] = Math.atan2(x[2 * i + 1], x[2 * i]);
      return;
  }
}

/**
 * Interleaves real and imaginary parts of equal length into complex storage
 * (`lax.complex` after broadcasting).
 *
 * @param re Real parts, `n` values.
 * @param im Imaginary parts, `n` values.
 * @param out Interleaved output, `2n` slots.
 */
export function makeComplexKernel(
  re: ArrayLike<number>,
  im: ArrayLike<number>,
  out: ComplexStorage,
): void {
  const n = re.length;
  for (let i = 0; i < n; i++) {
    out[2 * i] = re[i];
    out[2 * i + 1] = im[i];
  }
}

/**
 * Converts between real and complex storage (`astype`): real → complex sets
 * the imaginary parts to 0, complex → real keeps the real parts (as JAX, which
 * warns), complex → complex copies (rounding to float32 for `complex64`).
 *
 * @param x Source storage.
 * @param xComplex Whether `x` is interleaved complex.
 * @param out Destination storage of the same number of elements.
 * @param outComplex Whether `out` is interleaved complex.
 */
export function convertComplexKernel(
  x: ArrayLike<number>,
  xComplex: boolean,
  out: TypedArray,
  outComplex: boolean,
): void {
  const n = xComplex ? x.length >> 1 : x.length;
  if (xComplex === outComplex) {
    for (let i = 0; i < x.length; i++) out[i] = x[i];
  } else if (outComplex) {
    for (let i = 0; i < n; i++) {
      out[2 * i] = x[i];
      out[2 * i + 1] = 0;
    }
  } else if (out instanceof Uint8Array) {
    // To bool: nonzero when either part is (NumPy's truth of a complex number).
    for (let i = 0; i < n; i++) out[i] = x[2 * i] !== 0 || x[2 * i + 1] !== 0 ? 1 : 0;
  } else if (out instanceof Int32Array) {
    for (let i = 0; i < n; i++) {
      const v = x[2 * i];
      out[i] = v > -2147483649 && v < 2147483648 ? v : v !== v ? 0 : -2147483648;
    }
  } else {
    for (let i = 0; i < n; i++) out[i] = x[2 * i];
  }
}

/** Element strides of `shape` broadcast to `outShape` (0 along broadcast axes). */
function broadcastStrides(shape: Shape, outShape: Shape): number[] {
  const strides = stridesOf(shape);
  const lead = outShape.length - shape.length;
  return outShape.map((_, d) => (d < lead || shape[d - lead] === 1 ? 0 : strides[d - lead]));
}

/**
 * A binary operation on complex operands with NumPy broadcasting: `add`,
 * `sub`, `mul`, `div` (Smith's algorithm) into complex `out`; `eq`/`ne`
 * (both parts compared) into a `Uint8Array`.
 *
 * @param op The operation.
 * @param a Left operand, interleaved, of `aShape`.
 * @param aShape Shape of `a`.
 * @param b Right operand, interleaved, of `bShape`.
 * @param bShape Shape of `b`.
 * @param out Output of `outShape`'s size: interleaved, or a `Uint8Array` for `eq`/`ne`.
 * @param outShape The broadcast shape (already validated).
 */
export function complexBinaryKernel(
  op: ComplexBinaryOp,
  a: ComplexStorage,
  aShape: Shape,
  b: ComplexStorage,
  bShape: Shape,
  out: ComplexStorage | Uint8Array,
  outShape: Shape,
): void {
  const n = sizeOf(outShape);
  if (n === 0) return;
  const nd = outShape.length;
  const sa = broadcastStrides(aShape, outShape);
  const sb = broadcastStrides(bShape, outShape);
  const idx = new globalThis.Array<number>(nd).fill(0);
  let ia = 0;
  let ib = 0;
  for (let o = 0; o < n; o++) {
    const ar = a[2 * ia];
    const ai = a[2 * ia + 1];
    const br = b[2 * ib];
    const bi = b[2 * ib + 1];
    switch (op) {
      case "add":
        out[2 * o] = ar + br;
        out[2 * o + 1] = ai + bi;
        break;
      case "sub":
        out[2 * o] = ar - br;
        out[2 * o + 1] = ai - bi;
        break;
      case "mul":
        out[2 * o] = ar * br - ai * bi;
        out[2 * o + 1] = ar * bi + ai * br;
        break;
      case "div":
        cdiv(ar, ai, br, bi);
        out[2 * o] = outRe;
        out[2 * o + 1] = outIm;
        break;
      case "eq":
        out[o] = ar === br && ai === bi ? 1 : 0;
        break;
      case "ne":
        out[o] = ar !== br || ai !== bi ? 1 : 0;
        break;
    }
    // Odometer over the output index.
    for (let d = nd - 1; d >= 0; d--) {
      ia += sa[d];
      ib += sb[d];
      if (++idx[d] < outShape[d]) break;
      ia -= sa[d] * outShape[d];
      ib -= sb[d] * outShape[d];
      idx[d] = 0;
    }
  }
}
