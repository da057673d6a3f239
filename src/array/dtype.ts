/**
 * Data types of nabla arrays and JAX's type-promotion lattice.
 *
 * The dtypes: `bool`; the integers `int8`, `int16`, `int32`, `uint8`, `uint16`,
 * `uint32` (wrap-around arithmetic in their width); the floats `float16`,
 * `bfloat16`, `float32`, `float64`; `complex64`, `complex128`.
 *
 * Promotion is JAX's lattice (`jax.numpy.promote_types`, with `jax_enable_x64`):
 *
 * ```
 * bool → i* → u8 → u16 → u32 → u64        i* → i8 → i16 → i32 → i64
 *             u8 → i16, u16 → i32, u32 → i64, u64 → f*, i64 → f*
 * f* → bf16 → f32,  f* → f16 → f32,  f32 → f64 → c128,  f* → c* → c64 → c128,  f32 → c64
 * ```
 *
 * the result of two dtypes being their least upper bound. `i*`, `f*` and `c*`
 * are the *weak* types of JS numbers (and of arrays made from one number, see
 * `NdArray.weakType`): a weak value never widens a strong dtype of its kind or
 * higher (`float32Array * 2` stays float32, `int8Array + 1` stays int8), and a
 * weak float meeting an integer gives the default float, `float64`. nabla has
 * no 64-bit integers: where JAX gives `int64` nabla gives `int32` and `uint64`
 * gives `uint32` (what JAX itself does with x64 disabled), so `uint32 + int32`
 * is `int32` and the sum of `uint8` values is `uint32`.
 *
 * Storage: each integer dtype its typed array (`uint8` and `bool` share
 * `Uint8Array`); `float16` and `bfloat16` are held in a `Float32Array` whose
 * values are always exactly representable in the narrow format (Node 20 has no
 * `Float16Array`): every array of those dtypes is rounded, to nearest even,
 * when it is made, so each operation computes in float32 and rounds its result
 * as XLA does on a CPU.
 *
 * @module
 */

import { MAX_ELEMENTS, showValue } from "./shape.ts";

/** The real integer dtypes. */
export type IntegerDType = "int8" | "int16" | "int32" | "uint8" | "uint16" | "uint32";

/** The real floating-point dtypes. */
export type FloatDType = "float16" | "bfloat16" | "float32" | "float64";

/** The dtypes an {@linkcode Array} can hold. */
export type DType = "bool" | IntegerDType | FloatDType | ComplexDType;

/** The typed-array storage for each dtype. */
export type TypedArray =
  | Float64Array
  | Float32Array
  | Int32Array
  | Int16Array
  | Int8Array
  | Uint32Array
  | Uint16Array
  | Uint8Array;

/** All real dtypes, bool then integers then floats, each narrowest first. */
export const DTYPES: readonly DType[] = [
  "bool",
  "int8",
  "int16",
  "int32",
  "uint8",
  "uint16",
  "uint32",
  "float16",
  "bfloat16",
  "float32",
  "float64",
];

const KNOWN = new Set<unknown>(DTYPES);

/**
 * Whether `x` names a dtype users may ask for. The complex dtypes are not among
 * them: complex arrays come from `lax.complex`, `np.fft` and promotion.
 */
export function isDType(x: unknown): x is DType {
  return KNOWN.has(x);
}

/** Whether the dtype holds real floating-point values (`float16` … `float64`). */
export function isFloat(dtype: DType): dtype is FloatDType {
  return dtype === "float64" || dtype === "float32" || dtype === "float16" ||
    dtype === "bfloat16";
}

/** Whether the dtype is one of the integer dtypes (not `bool`). */
export function isInteger(dtype: DType): dtype is IntegerDType {
  return dtype === "int32" || dtype === "int8" || dtype === "int16" || dtype === "uint8" ||
    dtype === "uint16" || dtype === "uint32";
}

/** Whether the dtype is an unsigned integer dtype. */
export function isUnsigned(dtype: DType): boolean {
  return dtype === "uint8" || dtype === "uint16" || dtype === "uint32";
}

/** Whether the dtype is a float held with less precision than its `Float32Array` storage. */
export function isNarrowFloat(dtype: DType): dtype is "float16" | "bfloat16" {
  return dtype === "float16" || dtype === "bfloat16";
}

/** Bits per element of a real dtype (`bool` counts 8, as its storage). */
export function bitWidth(dtype: DType): number {
  switch (dtype) {
    case "bool":
    case "int8":
    case "uint8":
      return 8;
    case "int16":
    case "uint16":
    case "float16":
    case "bfloat16":
      return 16;
    case "float64":
    case "complex64":
      return 64;
    case "complex128":
      return 128;
    default:
      return 32;
  }
}

/** An integer taken modulo 2^bits into the range of an integer dtype (how stores wrap). */
export function wrapInteger(v: number, dtype: IntegerDType): number {
  const [lo, hi] = intRange(dtype);
  if (v >= lo && v <= hi) return v;
  const span = hi - lo + 1;
  const m = ((v - lo) % span + span) % span;
  return m + lo;
}

/** The smallest and largest value of an integer dtype. */
export function intRange(dtype: IntegerDType): [number, number] {
  switch (dtype) {
    case "int8":
      return [-128, 127];
    case "int16":
      return [-32768, 32767];
    case "int32":
      return [-2147483648, 2147483647];
    case "uint8":
      return [0, 255];
    case "uint16":
      return [0, 65535];
    case "uint32":
      return [0, 4294967295];
  }
}

// ---------------------------------------------------------------------------
// float16 and bfloat16 rounding

/** Rounds half to even. */
function roundHalfEven(v: number): number {
  const r = Math.round(v);
  return r - v === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * Rounds `v` to the nearest value (ties to even) of a binary format with
 * `mant` fraction bits, smallest normal exponent `emin` and largest finite
 * value `max`; beyond `max` by half a step or more gives ±Infinity.
 */
function roundToFormat(v: number, mant: number, emin: number, max: number): number {
  if (v === 0 || v !== v || v === Infinity || v === -Infinity) return v;
  const a = v < 0 ? -v : v;
  let e = Math.floor(Math.log2(a));
  if (2 ** e > a) e--;
  else if (2 ** (e + 1) <= a) e++;
  if (e < emin) e = emin; // subnormal: the quantum of the smallest binade
  const q = 2 ** (e - mant);
  const r = roundHalfEven(a / q) * q;
  const out = r > max ? Infinity : r;
  return v < 0 ? -out : out;
}

/** The largest finite `float16`. */
const F16_MAX = 65504;
/** The largest finite `bfloat16`. */
const BF16_MAX = 3.3895313892515355e38;

/** `v` rounded to the nearest `float16` (ties to even; NaN and ±Infinity kept). */
export function roundFloat16(v: number): number {
  return roundToFormat(v, 10, -14, F16_MAX);
}

/** `v` rounded to the nearest `bfloat16` (ties to even; NaN and ±Infinity kept). */
export function roundBfloat16(v: number): number {
  return roundToFormat(v, 7, -126, BF16_MAX);
}

/** `v` as a value of the real dtype holds it (rounded, wrapped or saturated as a conversion does). */
export function roundToDType(v: number, dtype: FloatDType): number {
  switch (dtype) {
    case "float16":
      return roundFloat16(v);
    case "bfloat16":
      return roundBfloat16(v);
    case "float32":
      return Math.fround(v);
    case "float64":
      return v;
  }
}

/**
 * Rounds `float16`/`bfloat16` storage in place so every value is representable
 * (a no-op for other dtypes). Runs whenever an array of those dtypes is made.
 *
 * The storage is a `Float32Array`, so this rounds float32 values, on their
 * bits: round to nearest even at the narrow format's last fraction bit (a
 * carry moves into the exponent), then overflow to ±Infinity; float16's
 * subnormals (below 2⁻¹⁴) are multiples of 2⁻²⁴, rounded in arithmetic.
 */
export function roundStorage(dtype: DType, data: TypedArray): void {
  if (dtype !== "float16" && dtype !== "bfloat16") return;
  const n = data.length;
  const bits = new Uint32Array(data.buffer, data.byteOffset, n);
  if (dtype === "bfloat16") {
    for (let i = 0; i < n; i++) {
      const b = bits[i];
      if ((b & 0x7f800000) === 0x7f800000) continue; // Inf and NaN
      bits[i] = (b + 0x7fff + ((b >>> 16) & 1)) & 0xffff0000;
    }
    return;
  }
  for (let i = 0; i < n; i++) {
    const b = bits[i];
    const e = (b >>> 23) & 0xff;
    if (e === 0xff) continue; // Inf and NaN
    if (e >= 113) { // |v| ≥ 2⁻¹⁴: a normal float16 (or beyond)
      const r = (b + 0xfff + ((b >>> 13) & 1)) & 0xffffe000;
      bits[i] = ((r >>> 23) & 0xff) > 142 ? (b & 0x80000000) | 0x7f800000 : r;
    } else if (e !== 0 || (b & 0x7fffff) !== 0) {
      data[i] = roundHalfEven(data[i] * 16777216) / 16777216;
    }
  }
}

// ---------------------------------------------------------------------------
// Storage

// Small arrays (scalars above all) are carved from shared 4 KiB slabs: a typed
// array over an existing buffer costs about a tenth of one with its own
// buffer. Regions are never reused, so storage is zeroed as a fresh buffer
// is; a slab is freed when the last array viewing it is garbage.
const SLAB_BYTES = 4096;
const SMALL_BYTES = 128;
let slab = new ArrayBuffer(SLAB_BYTES);
let slabOffset = 0;

/** Reserves `bytes` in the current slab (a new one when full); returns the offset in `slab`. */
function reserve(bytes: number): number {
  if (slabOffset + bytes > SLAB_BYTES) {
    slab = new ArrayBuffer(SLAB_BYTES);
    slabOffset = 0;
  }
  const at = slabOffset;
  slabOffset += (bytes + 7) & ~7; // keep 8-byte alignment for Float64Array views
  return at;
}

/** Bytes per storage slot of a real dtype. */
function slotBytes(dtype: DType): number {
  switch (dtype) {
    case "float64":
      return 8;
    case "bool":
    case "int8":
    case "uint8":
      return 1;
    case "int16":
    case "uint16":
      return 2;
    default:
      return 4; // int32, uint32, float32, and float16/bfloat16 held in a Float32Array
  }
}

/** A typed array of the storage type of a real `dtype`, over `buffer` or fresh. */
function makeStorage(
  dtype: DType,
  size: number,
  buffer?: ArrayBuffer,
  at = 0,
): TypedArray {
  const b = buffer;
  switch (dtype) {
    case "float64":
      return b ? new Float64Array(b, at, size) : new Float64Array(size);
    case "float32":
    case "float16":
    case "bfloat16":
      return b ? new Float32Array(b, at, size) : new Float32Array(size);
    case "int32":
      return b ? new Int32Array(b, at, size) : new Int32Array(size);
    case "int16":
      return b ? new Int16Array(b, at, size) : new Int16Array(size);
    case "int8":
      return b ? new Int8Array(b, at, size) : new Int8Array(size);
    case "uint32":
      return b ? new Uint32Array(b, at, size) : new Uint32Array(size);
    case "uint16":
      return b ? new Uint16Array(b, at, size) : new Uint16Array(size);
    default:
      return b ? new Uint8Array(b, at, size) : new Uint8Array(size); // bool, uint8
  }
}

/**
 * A pool of storage buffers that {@linkcode allocate} draws from while it
 * is installed (a compiled program's buffers, recycled across its calls):
 * `take` returns a zeroed buffer of its own or `undefined`, and `handed` is
 * told of every buffer `allocate` returns while the pool is installed.
 */
export interface StoragePool {
  /** A recycled, zeroed buffer of `size` elements of `dtype`, or `undefined`. */
  take(dtype: DType, size: number): TypedArray | undefined;
  /** Told of each buffer handed out while the pool is installed. */
  handed(buffer: TypedArray): void;
}

let storagePool: StoragePool | null = null;

/**
 * Installs the pool {@linkcode allocate} draws buffers larger than the
 * shared slab's from (`null`: none); returns the previous one.
 *
 * @param pool The pool, or `null`.
 * @returns The pool installed before.
 */
export function setStoragePool(pool: StoragePool | null): StoragePool | null {
  const prev = storagePool;
  storagePool = pool;
  return prev;
}

/** Allocates zeroed storage of `size` elements for `dtype`. */
export function allocate(dtype: DType, size: number): TypedArray {
  if (isComplex(dtype)) return allocateComplex(dtype, size);
  const bytes = slotBytes(dtype) * size;
  if (bytes > SMALL_BYTES) {
    if (!(size <= MAX_ELEMENTS)) {
      throw new RangeError(
        `Cannot allocate ${size} elements of ${dtype} (${bytes} bytes): an array holds at most ${MAX_ELEMENTS} elements`,
      );
    }
    try {
      if (storagePool !== null) {
        const b = storagePool.take(dtype, size) ?? makeStorage(dtype, size);
        storagePool.handed(b);
        return b;
      }
      return makeStorage(dtype, size);
    } catch (e) {
      if (!(e instanceof RangeError)) throw e;
      throw new RangeError(
        `Cannot allocate ${size} elements of ${dtype} (${bytes} bytes): the JavaScript engine refused (${e.message})`,
      );
    }
  }
  const at = reserve(bytes); // may start a new slab: read `slab` after it
  return makeStorage(dtype, size, slab, at);
}

/**
 * The dtype whose storage `data` is (a real one: complex storage is a float
 * typed array; a `Uint8Array` reads as `bool`, a `Float32Array` as `float32`).
 */
export function dtypeOfStorage(data: TypedArray): DType {
  if (data instanceof Float64Array) return "float64";
  if (data instanceof Float32Array) return "float32";
  if (data instanceof Int32Array) return "int32";
  if (data instanceof Int16Array) return "int16";
  if (data instanceof Int8Array) return "int8";
  if (data instanceof Uint32Array) return "uint32";
  if (data instanceof Uint16Array) return "uint16";
  return "bool";
}

/** Validates a user-supplied dtype, throwing a `TypeError` that names it. */
export function checkDType(dtype: unknown): DType {
  if (KNOWN.has(dtype)) return dtype as DType;
  const expected = DTYPES.map((d) => `"${d}"`).join(", ");
  if (dtype === "complex64" || dtype === "complex128") {
    throw new TypeError(
      `Unknown dtype "${dtype}": complex arrays cannot be created yet; expected one of ${expected}`,
    );
  }
  if (!isDType(dtype)) {
    throw new TypeError(`Unknown dtype ${showValue(dtype)}: expected one of ${expected}`);
  }
  return dtype;
}

/** The dtype of a JS scalar when it must stand alone (no array to take a type from). */
export function scalarDType(x: number | boolean): DType {
  if (typeof x === "boolean") return "bool";
  return Number.isInteger(x) && Math.abs(x) <= 2147483647 ? "int32" : "float64";
}

/**
 * The float dtype a function that needs floats (`sin`, `/`, `mean`) computes
 * an operand of `dtype` in: floats and complex dtypes are themselves; `int8`,
 * `int16`, `uint8`, `uint16` and `uint32` give `float32` (as JAX); `int32` and
 * `bool` give the default float `float64` (nabla's `int32` standing for JAX's
 * default integer, whose floats are `float64`).
 */
export function inexactDTypeOf(dtype: DType): DType {
  if (isFloat(dtype) || isComplex(dtype)) return dtype;
  return dtype === "int32" || dtype === "bool" ? "float64" : "float32";
}

/**
 * The dtype `sum` and `prod` accumulate `dtype` in by default: `bool` and the
 * signed integers give `int32`, the unsigned ones `uint32` (JAX's `int64` and
 * `uint64`, see the module note); other dtypes are themselves.
 */
export function sumDTypeOf(dtype: DType): DType {
  if (dtype === "bool" || dtype === "int8" || dtype === "int16") return "int32";
  if (dtype === "uint8" || dtype === "uint16") return "uint32";
  return dtype;
}

// ---------------------------------------------------------------------------
// The promotion lattice

/** The lattice's nodes: nabla's dtypes, JAX's 64-bit integers, and the weak types. */
type Node = DType | "int64" | "uint64" | "i*" | "f*" | "c*";

/** Each node's immediate successors (jax/_src/dtypes.py `_type_promotion_lattice`, x64). */
const SUCCESSORS: Record<Node, readonly Node[]> = {
  bool: ["i*"],
  "i*": ["uint8", "int8"],
  uint8: ["int16", "uint16"],
  uint16: ["int32", "uint32"],
  uint32: ["int64", "uint64"],
  uint64: ["f*"],
  int8: ["int16"],
  int16: ["int32"],
  int32: ["int64"],
  int64: ["f*"],
  "f*": ["c*", "float16", "bfloat16"],
  bfloat16: ["float32"],
  float16: ["float32"],
  float32: ["float64", "complex64"],
  float64: ["complex128"],
  "c*": ["complex64"],
  complex64: ["complex128"],
  complex128: [],
};

const NODES = Object.keys(SUCCESSORS) as Node[];

/** Every node's upper set (itself and all nodes above it). */
const UPPER: Map<Node, Set<Node>> = (() => {
  const upper = new Map<Node, Set<Node>>();
  const visit = (n: Node): Set<Node> => {
    let s = upper.get(n);
    if (s !== undefined) return s;
    s = new Set<Node>([n]);
    for (const m of SUCCESSORS[n]) for (const u of visit(m)) s.add(u);
    upper.set(n, s);
    return s;
  };
  for (const n of NODES) visit(n);
  return upper;
})();

/** The least upper bound of two nodes, from their upper sets. */
function computeJoin(a: Node, b: Node): Node {
  const ua = UPPER.get(a)!;
  const ub = UPPER.get(b)!;
  // The least common upper bound: the one whose own upper set is largest.
  let best: Node | null = null;
  for (const n of ua) {
    if (ub.has(n) && (best === null || UPPER.get(n)!.size > UPPER.get(best)!.size)) best = n;
  }
  return best!;
}

/** Every join, tabulated once (promotion runs on every operation with several operands). */
const JOIN: Record<Node, Record<Node, Node>> = (() => {
  const table = {} as Record<Node, Record<Node, Node>>;
  for (const a of NODES) {
    table[a] = {} as Record<Node, Node>;
    for (const b of NODES) table[a][b] = computeJoin(a, b);
  }
  return table;
})();

/** The least upper bound of two nodes. */
function join(a: Node, b: Node): Node {
  return a === b ? a : JOIN[a][b];
}

/** The weak lattice node of a dtype's kind: a JS number or a weakly typed array. */
function weakNode(dtype: DType): Node {
  if (dtype === "bool") return "bool"; // JAX has no weak bool: a bool is at the bottom anyway
  if (isComplex(dtype)) return "c*";
  return isFloat(dtype) ? "f*" : "i*";
}

/** A lattice node as a nabla dtype: weak types take their default dtype, 64-bit ints narrow. */
function canonical(n: Node): DType {
  switch (n) {
    case "i*":
    case "int64":
      return "int32";
    case "uint64":
      return "uint32";
    case "f*":
      return "float64";
    case "c*":
      return "complex128";
    default:
      return n;
  }
}

/**
 * Promotes strong dtypes (of arrays) with weak ones (of JS scalars or weakly
 * typed arrays) on JAX's lattice (see the module note).
 *
 * `strong` lists the dtypes of array operands; `weak` lists the dtypes of the
 * weakly typed operands (for a JS scalar, `bool`, `int32` or `float64`). With
 * only JS scalars the result is `float64` (JS numbers make float64 data), or
 * `bool` when all of them are booleans.
 */
export function promoteTypes(strong: readonly DType[], weak: readonly DType[] = []): DType {
  let node: Node | null = null;
  for (const s of strong) node = node === null ? s : join(node, s);
  if (node === null) {
    let onlyBool = true;
    let anyComplex = false;
    for (const w of weak) {
      onlyBool &&= w === "bool";
      anyComplex ||= isComplex(w);
    }
    if (weak.length > 0 && onlyBool) return "bool";
    // Weakly typed arrays keep their dtype when they meet only each other.
    let widest: Node | null = null;
    for (const w of weak) widest = widest === null ? w : join(widest, w);
    if (widest !== null && !anyComplex && isFloat(canonical(widest))) return canonical(widest);
    return anyComplex ? "complex128" : "float64";
  }
  for (const w of weak) node = join(node, weakNode(w));
  return canonical(node);
}

// ---------------------------------------------------------------------------
// Complex dtypes (issue 11): `complex64` and `complex128` store each element as
// two consecutive floats, re then im, in one `Float32Array`/`Float64Array` of
// twice the array's size (DESIGN.md §4). So a complex array of shape `S` has
// exactly the storage of a real array of shape `[...S, 2]`: kernels that only
// move elements (transpose, slice, pad, gather, broadcast) work on complex data
// through that real view, with the trailing axis kept whole; additive kernels
// (add, sub, sum, scale by a real) likewise. Only products, quotients and
// transcendental functions need complex kernels (kernels/complex.ts), and the
// FFT (kernels/fft.ts). JS has no complex scalar, so there is no weak complex.

/** The complex dtypes. */
export type ComplexDType = "complex64" | "complex128";

/** The complex dtypes, narrowest first. */
export const COMPLEX_DTYPES: readonly ComplexDType[] = ["complex64", "complex128"];

/** Whether the dtype is `complex64` or `complex128`. */
export function isComplex(dtype: DType): dtype is ComplexDType {
  return dtype === "complex64" || dtype === "complex128";
}

/** Whether the dtype is floating or complex (JAX's `inexact`). */
export function isInexact(dtype: DType): boolean {
  return isFloat(dtype) || isComplex(dtype);
}

/** The dtype of the real and imaginary parts: `complex64 → float32`, `complex128 → float64`. */
export function realPartDType(dtype: ComplexDType): "float32" | "float64" {
  return dtype === "complex64" ? "float32" : "float64";
}

/**
 * The complex dtype holding values of `dtype` (JAX's lattice: `float32`, `float16`,
 * `bfloat16` → `complex64`; `float64`, the integers and `bool` → `complex128`, the default complex; a complex dtype is
 * itself).
 */
export function complexDTypeOf(dtype: DType): ComplexDType {
  if (isComplex(dtype)) return dtype;
  return dtype === "float32" || isNarrowFloat(dtype) ? "complex64" : "complex128";
}

/** Number of storage slots per element: 2 for complex dtypes, 1 otherwise. */
export function slotsPerElement(dtype: DType): 1 | 2 {
  return isComplex(dtype) ? 2 : 1;
}

/** Zeroed interleaved storage for `size` complex elements (`2 · size` floats). */
function allocateComplex(dtype: ComplexDType, size: number): Float32Array | Float64Array {
  // Slab carving as for real data, through the real allocation of twice the size.
  return allocate(realPartDType(dtype), 2 * size) as Float32Array | Float64Array;
}
