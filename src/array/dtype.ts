/**
 * Data types of nabla arrays and the JAX type-promotion lattice.
 *
 * Lattice: `bool < int32 < float32 < float64`. JS numbers and booleans are
 * *weakly typed*: they take the dtype of the array they meet
 * (`float32Array * 2` stays float32), except that a weak float meeting an
 * integer or bool array gives the default float (`float64`).
 *
 * @module
 */

import { MAX_ELEMENTS, showValue } from "./shape.ts";

/** The dtypes an {@linkcode Array} can hold. */
export type DType = "float64" | "float32" | "int32" | "bool" | ComplexDType;

/** The typed-array storage for each dtype. */
export type TypedArray = Float64Array | Float32Array | Int32Array | Uint8Array;

/** All dtypes, from narrowest to widest. */
export const DTYPES: readonly DType[] = ["bool", "int32", "float32", "float64"];

const RANK: Record<DType, number> = {
  bool: 0,
  int32: 1,
  float32: 2,
  float64: 3,
  // Complex dtypes are not on this chain; promoteTypes ranks them by their real part.
  complex64: 2,
  complex128: 3,
};

/**
 * Whether `x` names a dtype users may ask for. The complex dtypes are not among
 * them yet: the storage, promotion, printing and kernels exist, the primitives
 * that create and transform complex arrays arrive with `np.fft` (issue 11).
 */
export function isDType(x: unknown): x is DType {
  return x === "float64" || x === "float32" || x === "int32" || x === "bool";
}

/** Whether the dtype holds floating-point values. */
export function isFloat(dtype: DType): boolean {
  return dtype === "float64" || dtype === "float32";
}

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

/** Allocates zeroed storage of `size` elements for `dtype`. */
export function allocate(dtype: DType, size: number): TypedArray {
  if (isComplex(dtype)) return allocateComplex(dtype, size);
  const bytes = dtype === "float64" ? 8 * size : dtype === "bool" ? size : 4 * size;
  if (bytes > SMALL_BYTES) {
    if (!(size <= MAX_ELEMENTS)) {
      throw new RangeError(
        `Cannot allocate ${size} elements of ${dtype} (${bytes} bytes): an array holds at most ${MAX_ELEMENTS} elements`,
      );
    }
    try {
      switch (dtype) {
        case "float64":
          return new Float64Array(size);
        case "float32":
          return new Float32Array(size);
        case "int32":
          return new Int32Array(size);
        case "bool":
          return new Uint8Array(size);
      }
    } catch (e) {
      if (!(e instanceof RangeError)) throw e;
      throw new RangeError(
        `Cannot allocate ${size} elements of ${dtype} (${bytes} bytes): the JavaScript engine refused (${e.message})`,
      );
    }
  }
  const at = reserve(bytes); // may start a new slab: read `slab` after it
  switch (dtype) {
    case "float64":
      return new Float64Array(slab, at, size);
    case "float32":
      return new Float32Array(slab, at, size);
    case "int32":
      return new Int32Array(slab, at, size);
    case "bool":
      return new Uint8Array(slab, at, size);
  }
}

/** The dtype whose storage `data` is (a real one: complex storage is a float typed array). */
export function dtypeOfStorage(data: TypedArray): DType {
  if (data instanceof Float64Array) return "float64";
  if (data instanceof Float32Array) return "float32";
  if (data instanceof Int32Array) return "int32";
  return "bool";
}

/** Validates a user-supplied dtype, throwing a `TypeError` that names it. */
export function checkDType(dtype: unknown): DType {
  if (dtype === "complex64" || dtype === "complex128") {
    throw new TypeError(
      `Unknown dtype "${dtype}": complex arrays cannot be created yet; expected one of "float64", "float32", "int32", "bool"`,
    );
  }
  if (!isDType(dtype)) {
    throw new TypeError(
      `Unknown dtype ${showValue(dtype)}: expected one of "float64", "float32", "int32", "bool"`,
    );
  }
  return dtype;
}

/** The dtype of a JS scalar when it must stand alone (no array to take a type from). */
export function scalarDType(x: number | boolean): DType {
  if (typeof x === "boolean") return "bool";
  return Number.isInteger(x) && Math.abs(x) <= 2147483647 ? "int32" : "float64";
}

/**
 * Promotes strong dtypes (from arrays) with weak kinds (from JS scalars).
 *
 * `strong` lists the dtypes of array operands; `weak` lists the dtypes JS
 * scalar operands would have alone (`bool`, `int32` or `float64`). Follows JAX:
 * a weak value never widens a strong dtype of the same or higher kind.
 */
export function promoteTypes(strong: readonly DType[], weak: readonly DType[] = []): DType {
  let result: DType | null = null;
  let complex = false;
  for (const s of strong) {
    const d = isComplex(s) ? realPartDType(s) : s;
    complex ||= d !== s;
    if (result === null || RANK[d] > RANK[result]) result = d;
  }
  // Complex operands join by their real parts, and the result is complex: c64 + f64 -> c128,
  // c64 + i32 -> c64 (JAX's lattice). Weak JS numbers never widen it.
  if (complex) return complexDTypeOf(result as DType);
  let weakKind: DType | null = null;
  for (const d of weak) {
    if (weakKind === null || RANK[d] > RANK[weakKind]) weakKind = d;
  }
  // Only JS scalars: numbers are float64 data, booleans bool.
  if (result === null) return weakKind === "bool" ? "bool" : "float64";
  if (weakKind === null) return result;
  // A weak float over a non-float strong type gives the default float.
  if (weakKind === "float64" && !isFloat(result)) return "float64";
  // A weak int over bool gives int32.
  if (weakKind === "int32" && result === "bool") return "int32";
  return result;
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
 * The complex dtype holding values of `dtype` (JAX's lattice: `float32 → complex64`;
 * `float64`, `int32` and `bool` → `complex128`, the default complex; a complex dtype is
 * itself).
 */
export function complexDTypeOf(dtype: DType): ComplexDType {
  if (isComplex(dtype)) return dtype;
  return dtype === "float32" ? "complex64" : "complex128";
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
