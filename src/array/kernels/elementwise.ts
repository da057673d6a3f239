/**
 * Elementwise kernels: unary maps, broadcasting binary ops, `where`, and dtype
 * conversion, written as raw loops over typed arrays.
 *
 * These are the only functions (with `reduce.ts`) that loop over buffers. They
 * know nothing of arrays, tracers or autodiff: callers pass storage, shapes and
 * a preallocated output whose storage type is the output dtype. Semantics follow
 * NumPy (`int32` wraps, `round` is half to even, `maximum` propagates NaN, …).
 *
 * Performance layout:
 * - A `switch` on the op sits outside the loop and each case holds its own
 *   tight loop: no closures and no allocation per element.
 * - Each case has a separate loop for `Float64Array` storage (and one for
 *   `Int32Array` where integer semantics differ). The loops read the same, but
 *   V8 keeps type feedback per loop site: a site that has seen two typed-array
 *   kinds runs 2–3x slower than a hand-written loop, so the default dtype gets
 *   a site of its own and stays monomorphic.
 * - Binary ops run in one of four loop shapes: equal shapes, an array with a
 *   scalar on either side (each a single-index loop), and a general strided
 *   run. Broadcasting coalesces the output dims ({@linkcode broadcastPlan}),
 *   walks the outer dims with an odometer, and hands each row to the strided
 *   loop, or for long rows to one of the single-index loops on subarray views.
 *
 * @module
 */

import {
  type DType,
  dtypeOfStorage,
  intRange,
  isInteger,
  roundStorage,
  type TypedArray,
} from "../dtype.ts";
import type { Shape } from "../shape.ts";

/** Names of the unary elementwise kernels. */
export type UnaryOp =
  | "neg"
  | "abs"
  | "sign"
  | "sqrt"
  | "exp"
  | "expm1"
  | "log"
  | "log1p"
  | "sin"
  | "cos"
  | "tan"
  | "asin"
  | "acos"
  | "atan"
  | "sinh"
  | "cosh"
  | "tanh"
  | "asinh"
  | "acosh"
  | "atanh"
  | "floor"
  | "ceil"
  | "round"
  | "not"
  | "isnan"
  | "isinf"
  | "isfinite";

/** Names of the binary elementwise kernels. */
export type BinaryOp =
  | "add"
  | "sub"
  | "mul"
  | "div"
  | "pow"
  | "max"
  | "min"
  | "atan2"
  | "rem"
  | "floor_divide"
  | "eq"
  | "ne"
  | "lt"
  | "le"
  | "gt"
  | "ge"
  | "and"
  | "or";

/** Rows at least this long are run through the equal-shape loop on subarray views. */
const VIEW_MIN_ROW = 64;

// ---------------------------------------------------------------------------
// Scalar helpers (small enough for V8 to inline into the loops)

/** Rounds half to even (NumPy `round`): `Math.round` rounds halves up, so step back from an odd result. */
function roundHalfEven(v: number): number {
  const r = Math.round(v);
  return r - v === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** C `pow` on doubles: as `Math.pow`, except `1 ** y = 1` and `(-1) ** ±Inf = 1`. */
function floatPow(x: number, y: number): number {
  return x === 1 || (x === -1 && (y === Infinity || y === -Infinity)) ? 1 : Math.pow(x, y);
}

/**
 * Exact wrapping `int32` power by repeated squaring. A negative exponent gives
 * 0, except for bases 1 (always 1) and -1 (±1 by parity).
 */
function intPow(x: number, y: number): number {
  if (y < 0) return x === 1 ? 1 : x === -1 ? ((y & 1) === 0 ? 1 : -1) : 0;
  let result = 1;
  let base = x;
  for (let e = y; e > 0; e >>>= 1) {
    if ((e & 1) !== 0) result = Math.imul(result, base);
    base = Math.imul(base, base);
  }
  return result;
}

/**
 * Floor division exactly as NumPy's `npy_floor_divide` / `npy_divmod`:
 * `(x - fmod(x, y)) / y`, moved down by one when the remainder's sign differs
 * from `y`'s, then snapped to the nearest integer; `x // 0` is `x / 0`. On
 * `int32` operands the result is exact and a zero divisor stores as 0.
 */
function floorDivide(x: number, y: number): number {
  if (y === 0) return x / y;
  const mod = x % y;
  let div = (x - mod) / y;
  if (mod !== 0 && (y < 0) !== (mod < 0)) div -= 1;
  // C tests `if (div)`: NaN (x infinite) counts as nonzero and stays NaN.
  if (div !== 0) {
    const floordiv = Math.floor(div);
    return div - floordiv > 0.5 ? floordiv + 1 : floordiv;
  }
  // Zero quotient: carry the sign of x / y.
  const q = x / y;
  return q < 0 || 1 / q < 0 ? -0 : 0;
}

// ---------------------------------------------------------------------------
// Unary

/**
 * Applies a unary op elementwise: `out[i] = op(x[i])`.
 *
 * Storing into `out` performs the final conversion (a `Float32Array` rounds, an
 * `Int32Array` wraps), so `int32` `neg`/`abs` wrap like NumPy and
 * `floor`/`ceil`/`round` are the identity on integers. `round` is half to even;
 * `sign(NaN)` is NaN and `sign(±0)` is `0`; `not` is logical.
 *
 * @param op The op to apply.
 * @param x The input storage.
 * @param out Preallocated output of `x.length` elements: a `Uint8Array` for
 *   `not`/`isnan`/`isinf`/`isfinite`, otherwise the same storage type as `x`.
 * @returns Nothing; `out` is filled in place.
 */
export function unaryKernel(op: UnaryOp, x: TypedArray, out: TypedArray): void {
  const n = x.length;
  const f64 = x instanceof Float64Array;
  switch (op) {
    case "neg":
      if (f64) {
        for (let i = 0; i < n; i++) out[i] = -x[i];
      } else {
        for (let i = 0; i < n; i++) out[i] = -x[i];
      }
      return;
    case "abs":
      if (f64) {
        for (let i = 0; i < n; i++) out[i] = Math.abs(x[i]);
      } else {
        for (let i = 0; i < n; i++) out[i] = Math.abs(x[i]);
      }
      return;
    case "sign":
      if (f64) {
        for (let i = 0; i < n; i++) {
          const v = x[i];
          out[i] = v > 0 ? 1 : v < 0 ? -1 : v === 0 ? 0 : v;
        }
      } else {
        for (let i = 0; i < n; i++) {
          const v = x[i];
          out[i] = v > 0 ? 1 : v < 0 ? -1 : v === 0 ? 0 : v;
        }
      }
      return;
    case "sqrt":
      if (f64) {
        for (let i = 0; i < n; i++) out[i] = Math.sqrt(x[i]);
      } else {
        for (let i = 0; i < n; i++) out[i] = Math.sqrt(x[i]);
      }
      return;
    case "exp":
      if (f64) {
        for (let i = 0; i < n; i++) out[i] = Math.exp(x[i]);
      } else {
        for (let i = 0; i < n; i++) out[i] = Math.exp(x[i]);
      }
      return;
    case "expm1":
      if (f64) {
        for (let i = 0; i < n; i++) out[i] = Math.expm1(x[i]);
      } else {
        for (let i = 0; i < n; i++) out[i] = Math.expm1(x[i]);
      }
      return;
    case "log":
      if (f64) {
        for (let i = 0; i < n; i++) out[i] = Math.log(x[i]);
      } else {
        for (let i = 0; i < n; i++) out[i] = Math.log(x[i]);
      }
      return;
    case "log1p":
      if (f64) {
        for (let i = 0; i < n; i++) out[i] = Math.log1p(x[i]);
      } else {
        for (let i = 0; i < n; i++) out[i] = Math.log1p(x[i]);
      }
      return;
    case "sin":
      if (f64) {
        for (let i = 0; i < n; i++) out[i] = Math.sin(x[i]);
      } else {
        for (let i = 0; i < n; i++) out[i] = Math.sin(x[i]);
      }
      return;
    case "cos":
      if (f64) {
        for (let i = 0; i < n; i++) out[i] = Math.cos(x[i]);
      } else {
        for (let i = 0; i < n; i++) out[i] = Math.cos(x[i]);
      }
      return;
    case "tan":
      if (f64) {
        for (let i = 0; i < n; i++) out[i] = Math.tan(x[i]);
      } else {
        for (let i = 0; i < n; i++) out[i] = Math.tan(x[i]);
      }
      return;
    case "asin":
      if (f64) {
        for (let i = 0; i < n; i++) out[i] = Math.asin(x[i]);
      } else {
        for (let i = 0; i < n; i++) out[i] = Math.asin(x[i]);
      }
      return;
    case "acos":
      if (f64) {
        for (let i = 0; i < n; i++) out[i] = Math.acos(x[i]);
      } else {
        for (let i = 0; i < n; i++) out[i] = Math.acos(x[i]);
      }
      return;
    case "atan":
      if (f64) {
        for (let i = 0; i < n; i++) out[i] = Math.atan(x[i]);
      } else {
        for (let i = 0; i < n; i++) out[i] = Math.atan(x[i]);
      }
      return;
    case "sinh":
      if (f64) {
        for (let i = 0; i < n; i++) out[i] = Math.sinh(x[i]);
      } else {
        for (let i = 0; i < n; i++) out[i] = Math.sinh(x[i]);
      }
      return;
    case "cosh":
      if (f64) {
        for (let i = 0; i < n; i++) out[i] = Math.cosh(x[i]);
      } else {
        for (let i = 0; i < n; i++) out[i] = Math.cosh(x[i]);
      }
      return;
    case "tanh":
      if (f64) {
        for (let i = 0; i < n; i++) out[i] = Math.tanh(x[i]);
      } else {
        for (let i = 0; i < n; i++) out[i] = Math.tanh(x[i]);
      }
      return;
    case "asinh":
      if (f64) {
        for (let i = 0; i < n; i++) out[i] = Math.asinh(x[i]);
      } else {
        for (let i = 0; i < n; i++) out[i] = Math.asinh(x[i]);
      }
      return;
    case "acosh":
      if (f64) {
        for (let i = 0; i < n; i++) out[i] = Math.acosh(x[i]);
      } else {
        for (let i = 0; i < n; i++) out[i] = Math.acosh(x[i]);
      }
      return;
    case "atanh":
      if (f64) {
        for (let i = 0; i < n; i++) out[i] = Math.atanh(x[i]);
      } else {
        for (let i = 0; i < n; i++) out[i] = Math.atanh(x[i]);
      }
      return;
    case "floor":
      if (f64) {
        for (let i = 0; i < n; i++) out[i] = Math.floor(x[i]);
      } else {
        for (let i = 0; i < n; i++) out[i] = Math.floor(x[i]);
      }
      return;
    case "ceil":
      if (f64) {
        for (let i = 0; i < n; i++) out[i] = Math.ceil(x[i]);
      } else {
        for (let i = 0; i < n; i++) out[i] = Math.ceil(x[i]);
      }
      return;
    case "round":
      if (f64) {
        for (let i = 0; i < n; i++) out[i] = roundHalfEven(x[i]);
      } else {
        for (let i = 0; i < n; i++) out[i] = roundHalfEven(x[i]);
      }
      return;
    case "not":
      if (f64) {
        for (let i = 0; i < n; i++) out[i] = x[i] === 0 ? 1 : 0;
      } else {
        for (let i = 0; i < n; i++) out[i] = x[i] === 0 ? 1 : 0;
      }
      return;
    case "isnan":
      if (f64) {
        for (let i = 0; i < n; i++) {
          const v = x[i];
          out[i] = v !== v ? 1 : 0;
        }
      } else {
        for (let i = 0; i < n; i++) {
          const v = x[i];
          out[i] = v !== v ? 1 : 0;
        }
      }
      return;
    case "isinf":
      if (f64) {
        for (let i = 0; i < n; i++) {
          const v = x[i];
          out[i] = v === Infinity || v === -Infinity ? 1 : 0;
        }
      } else {
        for (let i = 0; i < n; i++) {
          const v = x[i];
          out[i] = v === Infinity || v === -Infinity ? 1 : 0;
        }
      }
      return;
    case "isfinite":
      if (f64) {
        for (let i = 0; i < n; i++) {
          const v = x[i];
          out[i] = v - v === 0 ? 1 : 0;
        }
      } else {
        for (let i = 0; i < n; i++) {
          const v = x[i];
          out[i] = v - v === 0 ? 1 : 0;
        }
      }
      return;
  }
}

// ---------------------------------------------------------------------------
// Broadcasting plans

/**
 * A broadcast iteration plan: the output shape with size-1 dimensions dropped
 * and mergeable neighbours coalesced (`dims`, at least one entry), and for each
 * operand its element strides over those dims (0 where it is broadcast).
 */
export interface BroadcastPlan {
  dims: number[];
  strides: number[][];
}

/**
 * Plans the walk of `outShape` for operands of `inShapes` (right-aligned,
 * already known to broadcast). Two adjacent dims merge when every operand steps
 * through them as one (`stride[i] === stride[i+1] * dims[i+1]`).
 */
export function broadcastPlan(outShape: Shape, inShapes: readonly Shape[]): BroadcastPlan {
  const nd = outShape.length;
  const k = inShapes.length;
  const full: number[][] = inShapes.map((s) => {
    const st = new globalThis.Array<number>(nd).fill(0);
    let acc = 1;
    for (let i = s.length - 1; i >= 0; i--) {
      const d = s[i];
      st[nd - s.length + i] = d === 1 ? 0 : acc;
      acc *= d;
    }
    return st;
  });
  const dims: number[] = [];
  const strides: number[][] = inShapes.map(() => []);
  for (let i = 0; i < nd; i++) {
    const d = outShape[i];
    if (d === 1) continue;
    const last = dims.length - 1;
    let merge = last >= 0;
    for (let j = 0; j < k && merge; j++) {
      if (strides[j][last] !== full[j][i] * d) merge = false;
    }
    if (merge) {
      dims[last] *= d;
      for (let j = 0; j < k; j++) strides[j][last] = full[j][i];
    } else {
      dims.push(d);
      for (let j = 0; j < k; j++) strides[j].push(full[j][i]);
    }
  }
  if (dims.length === 0) {
    dims.push(1);
    for (let j = 0; j < k; j++) strides[j].push(0);
  }
  return { dims, strides };
}

// ---------------------------------------------------------------------------
// Binary

/**
 * Applies a binary op elementwise with NumPy broadcasting:
 * `out[idx] = op(a[idx'], b[idx''])`.
 *
 * `int32` arithmetic wraps (`mul` via `Math.imul`); `int32` `div` truncates and
 * `floor_divide` floors, both giving 0 for a zero divisor; `rem` is the C
 * remainder (sign of the dividend, `x % 0` is 0 on integers, NaN on floats);
 * `int32` `pow` is exact by repeated squaring. Float `floor_divide` follows
 * NumPy's `npy_divmod`; float `pow` is `Math.pow` except that `1 ** y` and
 * `(-1) ** ±Inf` are 1 as in C. `max`/`min` propagate NaN (on ±0 ties they
 * return `b`, as NumPy does). `and`/`or` are logical on `Uint8Array` (bool) and
 * bitwise on `Int32Array`.
 *
 * @param op The op to apply.
 * @param a Left operand storage.
 * @param aShape Shape of `a`.
 * @param b Right operand storage, of the same storage type as `a`.
 * @param bShape Shape of `b`.
 * @param out Preallocated output of `outShape`'s size: a `Uint8Array` for the
 *   comparisons `eq`…`ge`, otherwise the storage type of `a`.
 * @param outShape The broadcast shape of `aShape` and `bShape` (already validated).
 * @returns Nothing; `out` is filled in place.
 */
export function binaryKernel(
  op: BinaryOp,
  a: TypedArray,
  aShape: Shape,
  b: TypedArray,
  bShape: Shape,
  out: TypedArray,
  outShape: Shape,
): void {
  const n = out.length;
  if (n === 0) return;
  const f64 = a instanceof Float64Array;
  // Integer storage of any width (and bool): products wrap through Math.imul, stores wrap.
  const isInt = !f64 && !(a instanceof Float32Array);
  // Fast paths: equal shapes, or a scalar on either side.
  if (a.length === n && b.length === n) return binaryVV(op, f64, isInt, a, b, out, n);
  if (a.length === n && b.length === 1) return binaryVS(op, f64, isInt, a, b[0], out, n);
  if (a.length === 1 && b.length === n) return binarySV(op, f64, isInt, a[0], b, out, n);

  const { dims, strides } = broadcastPlan(outShape, [aShape, bShape]);
  const nd = dims.length;
  const [sa, sb] = strides;
  const inner = dims[nd - 1];
  const innerA = sa[nd - 1];
  const innerB = sb[nd - 1];
  // Long rows run the fast loops on subarray views (an inner stride is 0 or 1 after coalescing).
  const views = inner >= VIEW_MIN_ROW;
  const idx = new globalThis.Array<number>(nd).fill(0);
  let offA = 0;
  let offB = 0;
  for (let o = 0; o < n; o += inner) {
    if (!views) binaryStrided(op, isInt, a, offA, innerA, b, offB, innerB, out, o, inner);
    else if (innerB === 0) {
      binaryVS(
        op,
        f64,
        isInt,
        a.subarray(offA, offA + inner),
        b[offB],
        out.subarray(o, o + inner),
        inner,
      );
    } else if (innerA === 0) {
      binarySV(
        op,
        f64,
        isInt,
        a[offA],
        b.subarray(offB, offB + inner),
        out.subarray(o, o + inner),
        inner,
      );
    } else {
      const av = a.subarray(offA, offA + inner);
      binaryVV(
        op,
        f64,
        isInt,
        av,
        b.subarray(offB, offB + inner),
        out.subarray(o, o + inner),
        inner,
      );
    }
    // Odometer over the outer dims.
    for (let d = nd - 2; d >= 0; d--) {
      offA += sa[d];
      offB += sb[d];
      if (++idx[d] < dims[d]) break;
      offA -= sa[d] * dims[d];
      offB -= sb[d] * dims[d];
      idx[d] = 0;
    }
  }
}

/** Equal shapes: `out[i] = op(a[i], b[i])` for `i < n`. */
function binaryVV(
  op: BinaryOp,
  f64: boolean,
  isInt: boolean,
  a: TypedArray,
  b: TypedArray,
  out: TypedArray,
  n: number,
): void {
  switch (op) {
    case "add":
      if (f64) {
        for (let i = 0; i < n; i++) out[i] = a[i] + b[i];
      } else {
        for (let i = 0; i < n; i++) out[i] = a[i] + b[i];
      }
      return;
    case "sub":
      if (f64) {
        for (let i = 0; i < n; i++) out[i] = a[i] - b[i];
      } else {
        for (let i = 0; i < n; i++) out[i] = a[i] - b[i];
      }
      return;
    case "mul":
      if (f64) {
        for (let i = 0; i < n; i++) out[i] = a[i] * b[i];
      } else if (isInt) {
        for (let i = 0; i < n; i++) out[i] = Math.imul(a[i], b[i]);
      } else {
        for (let i = 0; i < n; i++) out[i] = a[i] * b[i];
      }
      return;
    case "div":
      if (f64) {
        for (let i = 0; i < n; i++) out[i] = a[i] / b[i];
      } else {
        for (let i = 0; i < n; i++) out[i] = a[i] / b[i];
      }
      return;
    case "pow":
      if (f64) {
        for (let i = 0; i < n; i++) out[i] = floatPow(a[i], b[i]);
      } else if (isInt) {
        for (let i = 0; i < n; i++) out[i] = intPow(a[i], b[i]);
      } else {
        for (let i = 0; i < n; i++) out[i] = floatPow(a[i], b[i]);
      }
      return;
    case "max":
      if (f64) {
        for (let i = 0; i < n; i++) {
          const x = a[i];
          const y = b[i];
          out[i] = x > y || x !== x ? x : y;
        }
      } else {
        for (let i = 0; i < n; i++) {
          const x = a[i];
          const y = b[i];
          out[i] = x > y || x !== x ? x : y;
        }
      }
      return;
    case "min":
      if (f64) {
        for (let i = 0; i < n; i++) {
          const x = a[i];
          const y = b[i];
          out[i] = x < y || x !== x ? x : y;
        }
      } else {
        for (let i = 0; i < n; i++) {
          const x = a[i];
          const y = b[i];
          out[i] = x < y || x !== x ? x : y;
        }
      }
      return;
    case "atan2":
      if (f64) {
        for (let i = 0; i < n; i++) out[i] = Math.atan2(a[i], b[i]);
      } else {
        for (let i = 0; i < n; i++) out[i] = Math.atan2(a[i], b[i]);
      }
      return;
    case "rem":
      if (f64) {
        for (let i = 0; i < n; i++) out[i] = a[i] % b[i];
      } else {
        for (let i = 0; i < n; i++) out[i] = a[i] % b[i];
      }
      return;
    case "floor_divide":
      if (f64) {
        for (let i = 0; i < n; i++) out[i] = floorDivide(a[i], b[i]);
      } else {
        for (let i = 0; i < n; i++) out[i] = floorDivide(a[i], b[i]);
      }
      return;
    case "eq":
      if (f64) {
        for (let i = 0; i < n; i++) out[i] = a[i] === b[i] ? 1 : 0;
      } else {
        for (let i = 0; i < n; i++) out[i] = a[i] === b[i] ? 1 : 0;
      }
      return;
    case "ne":
      if (f64) {
        for (let i = 0; i < n; i++) out[i] = a[i] !== b[i] ? 1 : 0;
      } else {
        for (let i = 0; i < n; i++) out[i] = a[i] !== b[i] ? 1 : 0;
      }
      return;
    case "lt":
      if (f64) {
        for (let i = 0; i < n; i++) out[i] = a[i] < b[i] ? 1 : 0;
      } else {
        for (let i = 0; i < n; i++) out[i] = a[i] < b[i] ? 1 : 0;
      }
      return;
    case "le":
      if (f64) {
        for (let i = 0; i < n; i++) out[i] = a[i] <= b[i] ? 1 : 0;
      } else {
        for (let i = 0; i < n; i++) out[i] = a[i] <= b[i] ? 1 : 0;
      }
      return;
    case "gt":
      if (f64) {
        for (let i = 0; i < n; i++) out[i] = a[i] > b[i] ? 1 : 0;
      } else {
        for (let i = 0; i < n; i++) out[i] = a[i] > b[i] ? 1 : 0;
      }
      return;
    case "ge":
      if (f64) {
        for (let i = 0; i < n; i++) out[i] = a[i] >= b[i] ? 1 : 0;
      } else {
        for (let i = 0; i < n; i++) out[i] = a[i] >= b[i] ? 1 : 0;
      }
      return;
    case "and":
      if (f64) {
        for (let i = 0; i < n; i++) out[i] = a[i] !== 0 && b[i] !== 0 ? 1 : 0;
      } else if (isInt) {
        for (let i = 0; i < n; i++) out[i] = a[i] & b[i];
      } else {
        for (let i = 0; i < n; i++) out[i] = a[i] !== 0 && b[i] !== 0 ? 1 : 0;
      }
      return;
    case "or":
      if (f64) {
        for (let i = 0; i < n; i++) out[i] = a[i] !== 0 || b[i] !== 0 ? 1 : 0;
      } else if (isInt) {
        for (let i = 0; i < n; i++) out[i] = a[i] | b[i];
      } else {
        for (let i = 0; i < n; i++) out[i] = a[i] !== 0 || b[i] !== 0 ? 1 : 0;
      }
      return;
  }
}

/** Array with a scalar on the right: `out[i] = op(a[i], y)` for `i < n`. */
function binaryVS(
  op: BinaryOp,
  f64: boolean,
  isInt: boolean,
  a: TypedArray,
  y: number,
  out: TypedArray,
  n: number,
): void {
  switch (op) {
    case "add":
      if (f64) {
        for (let i = 0; i < n; i++) out[i] = a[i] + y;
      } else {
        for (let i = 0; i < n; i++) out[i] = a[i] + y;
      }
      return;
    case "sub":
      if (f64) {
        for (let i = 0; i < n; i++) out[i] = a[i] - y;
      } else {
        for (let i = 0; i < n; i++) out[i] = a[i] - y;
      }
      return;
    case "mul":
      if (f64) {
        for (let i = 0; i < n; i++) out[i] = a[i] * y;
      } else if (isInt) {
        for (let i = 0; i < n; i++) out[i] = Math.imul(a[i], y);
      } else {
        for (let i = 0; i < n; i++) out[i] = a[i] * y;
      }
      return;
    case "div":
      if (f64) {
        for (let i = 0; i < n; i++) out[i] = a[i] / y;
      } else {
        for (let i = 0; i < n; i++) out[i] = a[i] / y;
      }
      return;
    case "pow":
      if (f64) {
        for (let i = 0; i < n; i++) out[i] = floatPow(a[i], y);
      } else if (isInt) {
        for (let i = 0; i < n; i++) out[i] = intPow(a[i], y);
      } else {
        for (let i = 0; i < n; i++) out[i] = floatPow(a[i], y);
      }
      return;
    case "max":
      if (f64) {
        for (let i = 0; i < n; i++) {
          const x = a[i];
          out[i] = x > y || x !== x ? x : y;
        }
      } else {
        for (let i = 0; i < n; i++) {
          const x = a[i];
          out[i] = x > y || x !== x ? x : y;
        }
      }
      return;
    case "min":
      if (f64) {
        for (let i = 0; i < n; i++) {
          const x = a[i];
          out[i] = x < y || x !== x ? x : y;
        }
      } else {
        for (let i = 0; i < n; i++) {
          const x = a[i];
          out[i] = x < y || x !== x ? x : y;
        }
      }
      return;
    case "atan2":
      if (f64) {
        for (let i = 0; i < n; i++) out[i] = Math.atan2(a[i], y);
      } else {
        for (let i = 0; i < n; i++) out[i] = Math.atan2(a[i], y);
      }
      return;
    case "rem":
      if (f64) {
        for (let i = 0; i < n; i++) out[i] = a[i] % y;
      } else {
        for (let i = 0; i < n; i++) out[i] = a[i] % y;
      }
      return;
    case "floor_divide":
      if (f64) {
        for (let i = 0; i < n; i++) out[i] = floorDivide(a[i], y);
      } else {
        for (let i = 0; i < n; i++) out[i] = floorDivide(a[i], y);
      }
      return;
    case "eq":
      if (f64) {
        for (let i = 0; i < n; i++) out[i] = a[i] === y ? 1 : 0;
      } else {
        for (let i = 0; i < n; i++) out[i] = a[i] === y ? 1 : 0;
      }
      return;
    case "ne":
      if (f64) {
        for (let i = 0; i < n; i++) out[i] = a[i] !== y ? 1 : 0;
      } else {
        for (let i = 0; i < n; i++) out[i] = a[i] !== y ? 1 : 0;
      }
      return;
    case "lt":
      if (f64) {
        for (let i = 0; i < n; i++) out[i] = a[i] < y ? 1 : 0;
      } else {
        for (let i = 0; i < n; i++) out[i] = a[i] < y ? 1 : 0;
      }
      return;
    case "le":
      if (f64) {
        for (let i = 0; i < n; i++) out[i] = a[i] <= y ? 1 : 0;
      } else {
        for (let i = 0; i < n; i++) out[i] = a[i] <= y ? 1 : 0;
      }
      return;
    case "gt":
      if (f64) {
        for (let i = 0; i < n; i++) out[i] = a[i] > y ? 1 : 0;
      } else {
        for (let i = 0; i < n; i++) out[i] = a[i] > y ? 1 : 0;
      }
      return;
    case "ge":
      if (f64) {
        for (let i = 0; i < n; i++) out[i] = a[i] >= y ? 1 : 0;
      } else {
        for (let i = 0; i < n; i++) out[i] = a[i] >= y ? 1 : 0;
      }
      return;
    case "and":
      if (f64) {
        for (let i = 0; i < n; i++) out[i] = a[i] !== 0 && y !== 0 ? 1 : 0;
      } else if (isInt) {
        for (let i = 0; i < n; i++) out[i] = a[i] & y;
      } else {
        for (let i = 0; i < n; i++) out[i] = a[i] !== 0 && y !== 0 ? 1 : 0;
      }
      return;
    case "or":
      if (f64) {
        for (let i = 0; i < n; i++) out[i] = a[i] !== 0 || y !== 0 ? 1 : 0;
      } else if (isInt) {
        for (let i = 0; i < n; i++) out[i] = a[i] | y;
      } else {
        for (let i = 0; i < n; i++) out[i] = a[i] !== 0 || y !== 0 ? 1 : 0;
      }
      return;
  }
}

/** Scalar on the left: `out[i] = op(x, b[i])` for `i < n`. */
function binarySV(
  op: BinaryOp,
  f64: boolean,
  isInt: boolean,
  x: number,
  b: TypedArray,
  out: TypedArray,
  n: number,
): void {
  switch (op) {
    case "add":
      if (f64) {
        for (let i = 0; i < n; i++) out[i] = x + b[i];
      } else {
        for (let i = 0; i < n; i++) out[i] = x + b[i];
      }
      return;
    case "sub":
      if (f64) {
        for (let i = 0; i < n; i++) out[i] = x - b[i];
      } else {
        for (let i = 0; i < n; i++) out[i] = x - b[i];
      }
      return;
    case "mul":
      if (f64) {
        for (let i = 0; i < n; i++) out[i] = x * b[i];
      } else if (isInt) {
        for (let i = 0; i < n; i++) out[i] = Math.imul(x, b[i]);
      } else {
        for (let i = 0; i < n; i++) out[i] = x * b[i];
      }
      return;
    case "div":
      if (f64) {
        for (let i = 0; i < n; i++) out[i] = x / b[i];
      } else {
        for (let i = 0; i < n; i++) out[i] = x / b[i];
      }
      return;
    case "pow":
      if (f64) {
        for (let i = 0; i < n; i++) out[i] = floatPow(x, b[i]);
      } else if (isInt) {
        for (let i = 0; i < n; i++) out[i] = intPow(x, b[i]);
      } else {
        for (let i = 0; i < n; i++) out[i] = floatPow(x, b[i]);
      }
      return;
    case "max":
      if (f64) {
        for (let i = 0; i < n; i++) {
          const y = b[i];
          out[i] = x > y || x !== x ? x : y;
        }
      } else {
        for (let i = 0; i < n; i++) {
          const y = b[i];
          out[i] = x > y || x !== x ? x : y;
        }
      }
      return;
    case "min":
      if (f64) {
        for (let i = 0; i < n; i++) {
          const y = b[i];
          out[i] = x < y || x !== x ? x : y;
        }
      } else {
        for (let i = 0; i < n; i++) {
          const y = b[i];
          out[i] = x < y || x !== x ? x : y;
        }
      }
      return;
    case "atan2":
      if (f64) {
        for (let i = 0; i < n; i++) out[i] = Math.atan2(x, b[i]);
      } else {
        for (let i = 0; i < n; i++) out[i] = Math.atan2(x, b[i]);
      }
      return;
    case "rem":
      if (f64) {
        for (let i = 0; i < n; i++) out[i] = x % b[i];
      } else {
        for (let i = 0; i < n; i++) out[i] = x % b[i];
      }
      return;
    case "floor_divide":
      if (f64) {
        for (let i = 0; i < n; i++) out[i] = floorDivide(x, b[i]);
      } else {
        for (let i = 0; i < n; i++) out[i] = floorDivide(x, b[i]);
      }
      return;
    case "eq":
      if (f64) {
        for (let i = 0; i < n; i++) out[i] = x === b[i] ? 1 : 0;
      } else {
        for (let i = 0; i < n; i++) out[i] = x === b[i] ? 1 : 0;
      }
      return;
    case "ne":
      if (f64) {
        for (let i = 0; i < n; i++) out[i] = x !== b[i] ? 1 : 0;
      } else {
        for (let i = 0; i < n; i++) out[i] = x !== b[i] ? 1 : 0;
      }
      return;
    case "lt":
      if (f64) {
        for (let i = 0; i < n; i++) out[i] = x < b[i] ? 1 : 0;
      } else {
        for (let i = 0; i < n; i++) out[i] = x < b[i] ? 1 : 0;
      }
      return;
    case "le":
      if (f64) {
        for (let i = 0; i < n; i++) out[i] = x <= b[i] ? 1 : 0;
      } else {
        for (let i = 0; i < n; i++) out[i] = x <= b[i] ? 1 : 0;
      }
      return;
    case "gt":
      if (f64) {
        for (let i = 0; i < n; i++) out[i] = x > b[i] ? 1 : 0;
      } else {
        for (let i = 0; i < n; i++) out[i] = x > b[i] ? 1 : 0;
      }
      return;
    case "ge":
      if (f64) {
        for (let i = 0; i < n; i++) out[i] = x >= b[i] ? 1 : 0;
      } else {
        for (let i = 0; i < n; i++) out[i] = x >= b[i] ? 1 : 0;
      }
      return;
    case "and":
      if (f64) {
        for (let i = 0; i < n; i++) out[i] = x !== 0 && b[i] !== 0 ? 1 : 0;
      } else if (isInt) {
        for (let i = 0; i < n; i++) out[i] = x & b[i];
      } else {
        for (let i = 0; i < n; i++) out[i] = x !== 0 && b[i] !== 0 ? 1 : 0;
      }
      return;
    case "or":
      if (f64) {
        for (let i = 0; i < n; i++) out[i] = x !== 0 || b[i] !== 0 ? 1 : 0;
      } else if (isInt) {
        for (let i = 0; i < n; i++) out[i] = x | b[i];
      } else {
        for (let i = 0; i < n; i++) out[i] = x !== 0 || b[i] !== 0 ? 1 : 0;
      }
      return;
  }
}

/** General strided run: `out[o+i] = op(a[ia + i*sa], b[ib + i*sb])` for `i < n`. */
function binaryStrided(
  op: BinaryOp,
  isInt: boolean,
  a: TypedArray,
  ia: number,
  sa: number,
  b: TypedArray,
  ib: number,
  sb: number,
  out: TypedArray,
  o: number,
  n: number,
): void {
  const end = o + n;
  switch (op) {
    case "add":
      for (; o < end; o++, ia += sa, ib += sb) out[o] = a[ia] + b[ib];
      return;
    case "sub":
      for (; o < end; o++, ia += sa, ib += sb) out[o] = a[ia] - b[ib];
      return;
    case "mul":
      if (isInt) {
        for (; o < end; o++, ia += sa, ib += sb) out[o] = Math.imul(a[ia], b[ib]);
      } else {
        for (; o < end; o++, ia += sa, ib += sb) out[o] = a[ia] * b[ib];
      }
      return;
    case "div":
      for (; o < end; o++, ia += sa, ib += sb) out[o] = a[ia] / b[ib];
      return;
    case "pow":
      if (isInt) {
        for (; o < end; o++, ia += sa, ib += sb) out[o] = intPow(a[ia], b[ib]);
      } else {
        for (; o < end; o++, ia += sa, ib += sb) out[o] = floatPow(a[ia], b[ib]);
      }
      return;
    case "max":
      for (; o < end; o++, ia += sa, ib += sb) {
        const x = a[ia];
        const y = b[ib];
        out[o] = x > y || x !== x ? x : y;
      }
      return;
    case "min":
      for (; o < end; o++, ia += sa, ib += sb) {
        const x = a[ia];
        const y = b[ib];
        out[o] = x < y || x !== x ? x : y;
      }
      return;
    case "atan2":
      for (; o < end; o++, ia += sa, ib += sb) out[o] = Math.atan2(a[ia], b[ib]);
      return;
    case "rem":
      for (; o < end; o++, ia += sa, ib += sb) out[o] = a[ia] % b[ib];
      return;
    case "floor_divide":
      for (; o < end; o++, ia += sa, ib += sb) out[o] = floorDivide(a[ia], b[ib]);
      return;
    case "eq":
      for (; o < end; o++, ia += sa, ib += sb) out[o] = a[ia] === b[ib] ? 1 : 0;
      return;
    case "ne":
      for (; o < end; o++, ia += sa, ib += sb) out[o] = a[ia] !== b[ib] ? 1 : 0;
      return;
    case "lt":
      for (; o < end; o++, ia += sa, ib += sb) out[o] = a[ia] < b[ib] ? 1 : 0;
      return;
    case "le":
      for (; o < end; o++, ia += sa, ib += sb) out[o] = a[ia] <= b[ib] ? 1 : 0;
      return;
    case "gt":
      for (; o < end; o++, ia += sa, ib += sb) out[o] = a[ia] > b[ib] ? 1 : 0;
      return;
    case "ge":
      for (; o < end; o++, ia += sa, ib += sb) out[o] = a[ia] >= b[ib] ? 1 : 0;
      return;
    case "and":
      if (isInt) {
        for (; o < end; o++, ia += sa, ib += sb) out[o] = a[ia] & b[ib];
      } else {
        for (; o < end; o++, ia += sa, ib += sb) out[o] = a[ia] !== 0 && b[ib] !== 0 ? 1 : 0;
      }
      return;
    case "or":
      if (isInt) {
        for (; o < end; o++, ia += sa, ib += sb) out[o] = a[ia] | b[ib];
      } else {
        for (; o < end; o++, ia += sa, ib += sb) out[o] = a[ia] !== 0 || b[ib] !== 0 ? 1 : 0;
      }
      return;
  }
}

// ---------------------------------------------------------------------------
// Select

/**
 * `where(pred, a, b)`: `out[idx] = pred[idx] ? a[idx] : b[idx]`, with all three
 * operands broadcast to `outShape`.
 *
 * @param pred Predicate storage (bool).
 * @param pShape Shape of `pred`.
 * @param a Values where `pred` is true.
 * @param aShape Shape of `a`.
 * @param b Values where `pred` is false, of the same storage type as `a`.
 * @param bShape Shape of `b`.
 * @param out Preallocated output of `outShape`'s size, of the storage type of `a`.
 * @param outShape The broadcast shape of the three (already validated).
 * @returns Nothing; `out` is filled in place.
 */
export function selectKernel(
  pred: Uint8Array,
  pShape: Shape,
  a: TypedArray,
  aShape: Shape,
  b: TypedArray,
  bShape: Shape,
  out: TypedArray,
  outShape: Shape,
): void {
  const n = out.length;
  if (n === 0) return;
  if (pred.length === n && a.length === n && b.length === n) {
    if (a instanceof Float64Array) {
      for (let i = 0; i < n; i++) out[i] = pred[i] !== 0 ? a[i] : b[i];
    } else {
      for (let i = 0; i < n; i++) out[i] = pred[i] !== 0 ? a[i] : b[i];
    }
    return;
  }
  const { dims, strides } = broadcastPlan(outShape, [pShape, aShape, bShape]);
  const nd = dims.length;
  const [sp, sa, sb] = strides;
  const inner = dims[nd - 1];
  const innerP = sp[nd - 1];
  const innerA = sa[nd - 1];
  const innerB = sb[nd - 1];
  const idx = new globalThis.Array<number>(nd).fill(0);
  let offP = 0;
  let offA = 0;
  let offB = 0;
  for (let o = 0; o < n;) {
    const end = o + inner;
    for (let ip = offP, ia = offA, ib = offB; o < end; o++) {
      out[o] = pred[ip] !== 0 ? a[ia] : b[ib];
      ip += innerP;
      ia += innerA;
      ib += innerB;
    }
    for (let d = nd - 2; d >= 0; d--) {
      offP += sp[d];
      offA += sa[d];
      offB += sb[d];
      if (++idx[d] < dims[d]) break;
      offP -= sp[d] * dims[d];
      offA -= sa[d] * dims[d];
      offB -= sb[d] * dims[d];
      idx[d] = 0;
    }
  }
}

// ---------------------------------------------------------------------------
// Convert

/**
 * Converts elements into `out`, the storage of dtype `to` (JAX's
 * `convert_element_type`, XLA's semantics).
 *
 * - To an integer dtype from a float: truncates toward zero and saturates at
 *   the dtype's bounds (±Inf too); NaN gives 0. From an integer or bool: wraps
 *   modulo 2^bits (`int32` 300 → `int8` 44, `int8` -1 → `uint32` 4294967295).
 * - To `bool`: `x !== 0`, so NaN gives true.
 * - To `float16`/`bfloat16`: rounds to float32, then to nearest even (XLA's
 *   conversion from float64 goes through float32: `1 + 2⁻¹¹ + 2⁻³⁰` gives 1);
 *   `float32` rounds to nearest.
 *
 * @param x Source storage (real; float dtypes are the float typed arrays).
 * @param out Preallocated destination of `x.length` elements.
 * @param to The destination dtype (by default the one `out`'s storage type
 *   reads as: needed for `uint8`, `float16` and `bfloat16`, which share storage types).
 * @returns Nothing; `out` is filled in place.
 */
export function convertKernel(
  x: TypedArray,
  out: TypedArray,
  to: DType = dtypeOfStorage(out),
): void {
  const n = x.length;
  const fromFloat = x instanceof Float64Array || x instanceof Float32Array;
  if (to === "bool") {
    for (let i = 0; i < n; i++) out[i] = x[i] !== 0 ? 1 : 0;
  } else if (isInteger(to) && fromFloat) {
    const [lo, hi] = intRange(to);
    for (let i = 0; i < n; i++) {
      const v = x[i];
      // saturating, as XLA: NaN → 0, beyond the range → the nearest bound
      out[i] = v > lo - 1 && v < hi + 1 ? v : v !== v ? 0 : v > 0 ? hi : lo;
    }
  } else if (to === "float16" || to === "bfloat16") {
    for (let i = 0; i < n; i++) out[i] = x[i]; // to float32 …
    roundStorage(to, out); // … then to the narrow format
  } else {
    for (let i = 0; i < n; i++) out[i] = x[i];
  }
}
