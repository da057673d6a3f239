/**
 * Bitwise kernels on integer storage of any width: `xor` and the three shifts
 * (broadcasting), and `invert`, population count and count-leading-zeros.
 *
 * Each value is computed on the JS number's int32 bits and stored into the
 * output's typed array, whose store wraps it to the dtype's width. The width
 * matters only where bits beyond it would leak in: shifts by the width or more
 * (XLA's semantics: a left or logical right shift gives 0, an arithmetic right
 * shift fills with the sign bit; so do negative shift amounts), the unsigned
 * view of a value for logical shifts, population counts and leading zeros, and
 * the sign of a value for arithmetic shifts.
 *
 * `and` and `or` are in `elementwise.ts` (bitwise on integer storage).
 *
 * @module
 */

import type { TypedArray } from "../dtype.ts";
import type { Shape } from "../shape.ts";
import { broadcastPlan } from "./elementwise.ts";

/** Names of the broadcasting bitwise kernels. */
export type BitwiseBinaryOp =
  | "xor"
  | "shift_left"
  | "shift_right_logical"
  | "shift_right_arithmetic";

/** Names of the unary bitwise kernels. */
export type BitwiseUnaryOp = "invert" | "population_count" | "clz";

/** The bits of `v` (an integer of `width` bits, signed or not) as an unsigned number. */
function unsignedBits(v: number, width: number): number {
  return width === 32 ? v >>> 0 : v & ((1 << width) - 1);
}

/** The bits of `v` read as a signed integer of `width` bits. */
function signedBits(v: number, width: number): number {
  const s = 32 - width;
  return (v << s) >> s;
}

/** Counts the set bits of a 32-bit unsigned value. */
function popcount32(v: number): number {
  v = v - ((v >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return (Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24);
}

function applyBinary(op: BitwiseBinaryOp, x: number, y: number, width: number): number {
  switch (op) {
    case "xor":
      return x ^ y;
    case "shift_left":
      return y < 0 || y >= width ? 0 : x << y;
    case "shift_right_logical":
      return y < 0 || y >= width ? 0 : unsignedBits(x, width) >>> y;
    case "shift_right_arithmetic": {
      const v = signedBits(x, width);
      return y < 0 || y >= width ? (v < 0 ? -1 : 0) : v >> y;
    }
  }
}

/**
 * A broadcasting bitwise op on integer storage:
 * `out[idx] = op(a[idx'], b[idx''])`, with shift amounts taken from `b`.
 *
 * @param op The op.
 * @param a Left operand storage (an integer typed array).
 * @param aShape Shape of `a`.
 * @param b Right operand storage, of the same storage type.
 * @param bShape Shape of `b`.
 * @param out Preallocated output of the same storage type, of `outShape`'s size.
 * @param outShape The broadcast shape (already validated).
 * @param width The dtype's bits (8, 16 or 32).
 * @returns Nothing; `out` is filled in place.
 */
export function bitwiseBinaryKernel(
  op: BitwiseBinaryOp,
  a: TypedArray,
  aShape: Shape,
  b: TypedArray,
  bShape: Shape,
  out: TypedArray,
  outShape: Shape,
  width: number,
): void {
  const n = out.length;
  if (n === 0) return;
  if (a.length === n && b.length === n) {
    for (let i = 0; i < n; i++) out[i] = applyBinary(op, a[i], b[i], width);
    return;
  }
  const { dims, strides } = broadcastPlan(outShape, [aShape, bShape]);
  const nd = dims.length;
  const [sa, sb] = strides;
  const idx = new Array<number>(nd).fill(0);
  let ia = 0;
  let ib = 0;
  for (let o = 0; o < n; o++) {
    out[o] = applyBinary(op, a[ia], b[ib], width);
    for (let d = nd - 1; d >= 0; d--) {
      ia += sa[d];
      ib += sb[d];
      if (++idx[d] < dims[d]) break;
      ia -= sa[d] * dims[d];
      ib -= sb[d] * dims[d];
      idx[d] = 0;
    }
  }
}

/**
 * A unary bitwise op on integer storage: `invert` (`~x`), `population_count`
 * (set bits) and `clz` (leading zero bits in the dtype's width).
 *
 * @param op The op.
 * @param x Input storage (an integer typed array).
 * @param out Preallocated output of the same storage type and length.
 * @param width The dtype's bits (8, 16 or 32).
 * @returns Nothing; `out` is filled in place.
 */
export function bitwiseUnaryKernel(
  op: BitwiseUnaryOp,
  x: TypedArray,
  out: TypedArray,
  width: number,
): void {
  const n = x.length;
  switch (op) {
    case "invert":
      for (let i = 0; i < n; i++) out[i] = ~x[i];
      return;
    case "population_count":
      for (let i = 0; i < n; i++) out[i] = popcount32(unsignedBits(x[i], width));
      return;
    case "clz":
      for (let i = 0; i < n; i++) out[i] = Math.clz32(unsignedBits(x[i], width)) - (32 - width);
      return;
  }
}

// ---------------------------------------------------------------------------
// Bitcasts between dtypes of one width

/** The IEEE binary16 bits of a value that float16 represents exactly (NaN as the quiet NaN). */
export function float16Bits(v: number): number {
  if (v !== v) return 0x7e00;
  const sign = v < 0 || Object.is(v, -0) ? 0x8000 : 0;
  const a = Math.abs(v);
  if (a === Infinity) return sign | 0x7c00;
  if (a === 0) return sign;
  if (a < 2 ** -14) return sign | Math.round(a * 2 ** 24); // subnormal: a multiple of 2^-24
  let e = Math.floor(Math.log2(a));
  if (2 ** e > a) e--;
  else if (2 ** (e + 1) <= a) e++;
  return sign | ((e + 15) << 10) | Math.round((a / 2 ** e - 1) * 1024);
}

/** The value of IEEE binary16 bits. */
export function float16FromBits(b: number): number {
  const sign = (b & 0x8000) !== 0 ? -1 : 1;
  const e = (b >>> 10) & 0x1f;
  const m = b & 0x3ff;
  if (e === 0x1f) return m === 0 ? sign * Infinity : NaN;
  if (e === 0) return sign * m * 2 ** -24;
  return sign * (1 + m / 1024) * 2 ** (e - 15);
}

/** The kinds of storage a bitcast reads and writes, by how the bits are held. */
export type BitcastKind =
  | "float64"
  | "float32"
  | "float16"
  | "bfloat16"
  | "int"; // an integer typed array of the width (stores wrap to the same bits)

/**
 * Reinterprets the bits of each element (`lax.bitcast_convert_type` between
 * dtypes of one width): `x` read as `from`, `out` written as `to`.
 *
 * @param x Source storage.
 * @param from How `x` holds its bits.
 * @param out Preallocated destination of `x.length` elements.
 * @param to How `out` holds its bits.
 * @param width The bits per element (8, 16, 32 or 64).
 * @returns Nothing; `out` is filled in place.
 */
export function bitcastKernel(
  x: TypedArray,
  from: BitcastKind,
  out: TypedArray,
  to: BitcastKind,
  width: number,
): void {
  const n = x.length;
  if (width === 64 || from === to) {
    for (let i = 0; i < n; i++) out[i] = x[i];
    return;
  }
  // The bits of every element as unsigned integers of the width.
  const bits = width === 32
    ? new Uint32Array(n)
    : width === 16
    ? new Uint16Array(n)
    : new Uint8Array(n);
  if (from === "float32") bits.set(new Uint32Array(Float32Array.from(x).buffer));
  else if (from === "bfloat16") {
    const f = new Uint32Array(Float32Array.from(x).buffer);
    for (let i = 0; i < n; i++) bits[i] = f[i] >>> 16;
  } else if (from === "float16") {
    for (let i = 0; i < n; i++) bits[i] = float16Bits(x[i]);
  } else {
    for (let i = 0; i < n; i++) bits[i] = x[i];
  }
  if (to === "float32") {
    const f = new Float32Array(bits.buffer);
    for (let i = 0; i < n; i++) out[i] = f[i];
  } else if (to === "bfloat16") {
    const u = new Uint32Array(n);
    for (let i = 0; i < n; i++) u[i] = bits[i] << 16;
    const f = new Float32Array(u.buffer);
    for (let i = 0; i < n; i++) out[i] = f[i];
  } else if (to === "float16") {
    for (let i = 0; i < n; i++) out[i] = float16FromBits(bits[i]);
  } else {
    for (let i = 0; i < n; i++) out[i] = bits[i];
  }
}
