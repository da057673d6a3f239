/**
 * Data type routines (NumPy's chapter of that name): machine limits of
 * integer and float dtypes (`iinfo`, `finfo`) and JAX's promotion lattice
 * (`promoteTypes`, `resultType`; see `src/array/dtype.ts` for the lattice).
 *
 * @module
 */

import { NdArray } from "../array/array.ts";
import {
  bitWidth,
  checkDType,
  type DType,
  type FloatDType,
  type IntegerDType,
  intRange,
  isComplex,
  isDType,
  isFloat,
  isInteger,
  promoteTypes as promote,
  realPartDType,
  roundToDType,
  scalarDType,
} from "../array/dtype.ts";
import { showValue } from "../array/shape.ts";
import { scalarWeakKind } from "./_args.ts";

/** Machine limits of an integer dtype (NumPy's `iinfo`). */
export interface IInfo {
  /** The dtype described. */
  readonly dtype: IntegerDType;
  /** Bits per element. */
  readonly bits: number;
  /** The smallest value. */
  readonly min: number;
  /** The largest value. */
  readonly max: number;
}

/** Machine limits of a float dtype (NumPy's `finfo`); values are of that dtype. */
export interface FInfo {
  /** The dtype described (the real part's dtype for a complex one). */
  readonly dtype: FloatDType;
  /** Bits per element. */
  readonly bits: number;
  /** The gap between 1 and the next larger value: `2^-nmant`. */
  readonly eps: number;
  /** The gap between 1 and the next smaller value: `2^-(nmant+1)`. */
  readonly epsneg: number;
  /** The largest finite value. */
  readonly max: number;
  /** The most negative finite value, `-max`. */
  readonly min: number;
  /** The smallest positive normal value (alias `tiny`). */
  readonly smallestNormal: number;
  /** The smallest positive normal value. */
  readonly tiny: number;
  /** The smallest positive subnormal value. */
  readonly smallestSubnormal: number;
  /** Approximate decimal digits of precision. */
  readonly precision: number;
  /** `10^-precision`, in the dtype. */
  readonly resolution: number;
  /** Fraction (mantissa) bits. */
  readonly nmant: number;
  /** Exponent bits. */
  readonly nexp: number;
  /** The exponent of `smallestNormal`. */
  readonly minexp: number;
  /** One more than the exponent of `max`. */
  readonly maxexp: number;
  /** The exponent of `eps`. */
  readonly machep: number;
  /** The exponent of `epsneg`. */
  readonly negep: number;
}

/** A dtype given as its name or by an array (or JS scalar) holding it. */
export type DTypeLike = DType | NdArray | number | boolean;

/** The dtype `x` names or holds, for `name`'s error messages. */
function dtypeOf(name: string, x: unknown): DType {
  if (x instanceof NdArray) return x.dtype;
  if (typeof x === "number" || typeof x === "boolean") return scalarDType(x);
  if (isDType(x) || x === "complex64" || x === "complex128") return x as DType;
  throw new TypeError(
    `Invalid argument for ${name}: expected a dtype name or an array, got ${showValue(x)}`,
  );
}

/**
 * Machine limits of an integer dtype.
 *
 * @example The range of uint8
 * ```ts
 * import { np } from "@nabla/ad";
 * import { equal } from "node:assert/strict";
 *
 * const info = np.iinfo("uint8");
 * equal(info.min, 0);
 * equal(info.max, 255);
 * equal(np.iinfo(np.array([1], "int16")).bits, 16);
 * ```
 *
 * @param dtype An integer dtype, or an array of one.
 * @returns Its `min`, `max` and `bits`.
 */
export function iinfo(dtype: DType | NdArray): IInfo {
  const d = dtypeOf("iinfo", dtype);
  if (!isInteger(d)) {
    throw new TypeError(`Invalid dtype for iinfo: expected an integer dtype, got "${d}"`);
  }
  const [min, max] = intRange(d);
  return { dtype: d, bits: bitWidth(d), min, max };
}

/** Fraction bits, exponent bits and decimal precision of each float format. */
const FORMATS: Record<FloatDType, { nmant: number; nexp: number; precision: number }> = {
  float16: { nmant: 10, nexp: 5, precision: 3 },
  bfloat16: { nmant: 7, nexp: 8, precision: 2 },
  float32: { nmant: 23, nexp: 8, precision: 6 },
  float64: { nmant: 52, nexp: 11, precision: 15 },
};

/**
 * Machine limits of a float dtype (of the parts of a complex one), as the
 * dtype's values.
 *
 * @example float16 and bfloat16
 * ```ts
 * import { np } from "@nabla/ad";
 * import { equal } from "node:assert/strict";
 *
 * equal(np.finfo("float16").max, 65504);
 * equal(np.finfo("float16").eps, 2 ** -10);
 * equal(np.finfo("bfloat16").eps, 2 ** -7);
 * equal(np.finfo("float64").eps, Number.EPSILON);
 * ```
 *
 * @param dtype A float or complex dtype, or an array of one.
 * @returns Its limits (`eps`, `max`, `tiny`, `smallestSubnormal`, `resolution`, …).
 */
export function finfo(dtype: DType | NdArray): FInfo {
  const d0 = dtypeOf("finfo", dtype);
  const d = isComplex(d0) ? realPartDType(d0) : d0;
  if (!isFloat(d)) {
    throw new TypeError(`Invalid dtype for finfo: expected a float or complex dtype, got "${d0}"`);
  }
  const { nmant, nexp, precision } = FORMATS[d];
  const maxexp = 2 ** (nexp - 1);
  const minexp = 2 - maxexp;
  const max = (2 - 2 ** -nmant) * 2 ** (maxexp - 1);
  const tiny = 2 ** minexp;
  return {
    dtype: d,
    bits: bitWidth(d),
    eps: 2 ** -nmant,
    epsneg: 2 ** -(nmant + 1),
    max,
    min: -max,
    smallestNormal: tiny,
    tiny,
    smallestSubnormal: 2 ** (minexp - nmant),
    precision,
    resolution: roundToDType(10 ** -precision, d),
    nmant,
    nexp,
    minexp,
    maxexp,
    machep: -nmant,
    negep: -(nmant + 1),
  };
}

/**
 * The dtype two dtypes promote to on JAX's lattice (`jnp.promote_types`):
 * `uint8` and `int8` give `int16`, `float16` and `bfloat16` give `float32`,
 * an integer and `float16` give `float16`. nabla has no 64-bit integers:
 * where JAX gives `int64` (`uint32` with `int32`) the result is `int32`.
 *
 * @example Promotions
 * ```ts
 * import { np } from "@nabla/ad";
 * import { equal } from "node:assert/strict";
 *
 * equal(np.promoteTypes("uint8", "int8"), "int16");
 * equal(np.promoteTypes("float16", "bfloat16"), "float32");
 * equal(np.promoteTypes("int32", "float16"), "float16");
 * ```
 *
 * @param a A dtype.
 * @param b Another dtype.
 * @returns Their least upper bound.
 */
export function promoteTypes(a: DType, b: DType): DType {
  const x = a === "complex64" || a === "complex128" ? a : checkDType(a);
  const y = b === "complex64" || b === "complex128" ? b : checkDType(b);
  return promote([x, y]);
}

/**
 * The dtype an operation on these operands computes in (`jnp.result_type`):
 * dtype names and arrays are strongly typed, JS numbers and weakly typed
 * arrays weakly (`resultType("int8", 1)` is `int8`, `resultType("uint8", 1.5)`
 * is `float64`). JS numbers alone give `float64` (the dtype `np.add(1, 2)`
 * has), booleans alone `bool`.
 *
 * @example Strong and weak operands
 * ```ts
 * import { np } from "@nabla/ad";
 * import { equal } from "node:assert/strict";
 *
 * equal(np.resultType("int8", 1), "int8");
 * equal(np.resultType(np.ones(2, "float32"), 2.5), "float32");
 * equal(np.resultType("uint32", "int32"), "int32");
 * ```
 *
 * @param args Dtype names, arrays, JS numbers or booleans.
 * @returns The promoted dtype.
 */
export function resultType(...args: DTypeLike[]): DType {
  if (args.length === 0) throw new TypeError("resultType needs at least one argument: got none");
  const strong: DType[] = [];
  const weak: DType[] = [];
  for (const x of args) {
    const kind = x instanceof NdArray ? x.weakKind : null;
    if (kind !== null) weak.push(kind);
    else if (typeof x === "number" || typeof x === "boolean") weak.push(scalarWeakKind(x));
    else strong.push(dtypeOf("resultType", x));
  }
  return promote(strong, weak);
}

/** The abstract dtype categories of NumPy's hierarchy, for {@linkcode issubdtype}. */
export type DTypeCategory =
  | "generic"
  | "number"
  | "integer"
  | "signedinteger"
  | "unsignedinteger"
  | "inexact"
  | "floating"
  | "complexfloating";

const CATEGORIES: Record<DTypeCategory, (d: DType) => boolean> = {
  generic: () => true,
  number: (d) => d !== "bool",
  integer: (d) => isInteger(d),
  signedinteger: (d) => d === "int8" || d === "int16" || d === "int32",
  unsignedinteger: (d) => d === "uint8" || d === "uint16" || d === "uint32",
  inexact: (d) => isFloat(d) || isComplex(d),
  floating: (d) => isFloat(d),
  complexfloating: (d) => isComplex(d),
};

/**
 * Whether `dtype` is `other` or lies under the category `other` in NumPy's
 * hierarchy (`jnp.issubdtype`; `bfloat16` and `float16` are `"floating"`).
 *
 * @example Categories
 * ```ts
 * import { np } from "@nabla/ad";
 * import { equal } from "node:assert/strict";
 *
 * equal(np.issubdtype("uint8", "unsignedinteger"), true);
 * equal(np.issubdtype("bfloat16", "floating"), true);
 * equal(np.issubdtype("int8", "floating"), false);
 * equal(np.issubdtype("float32", "float32"), true);
 * ```
 *
 * @param dtype A dtype, or an array of one.
 * @param other A dtype or a category (`"integer"`, `"floating"`, `"number"`, …).
 * @returns Whether `dtype` is a sub-dtype of `other`.
 */
export function issubdtype(dtype: DType | NdArray, other: DType | DTypeCategory): boolean {
  const d = dtypeOf("issubdtype", dtype);
  if (Object.hasOwn(CATEGORIES, other)) return CATEGORIES[other as DTypeCategory](d);
  return d === dtypeOf("issubdtype", other);
}

/** The kinds of the array API's `isdtype`. */
export type DTypeKind =
  | "bool"
  | "signed integer"
  | "unsigned integer"
  | "integral"
  | "real floating"
  | "complex floating"
  | "numeric";

const KINDS: Record<DTypeKind, (d: DType) => boolean> = {
  bool: (d) => d === "bool",
  "signed integer": CATEGORIES.signedinteger,
  "unsigned integer": CATEGORIES.unsignedinteger,
  integral: CATEGORIES.integer,
  "real floating": CATEGORIES.floating,
  "complex floating": CATEGORIES.complexfloating,
  numeric: CATEGORIES.number,
};

/**
 * Whether `dtype` is of a kind (the array API's `isdtype`, `jnp.isdtype`):
 * a kind name, a dtype, or a list of them (any matches).
 *
 * @example Kinds
 * ```ts
 * import { np } from "@nabla/ad";
 * import { equal } from "node:assert/strict";
 *
 * equal(np.isdtype("int16", "signed integer"), true);
 * equal(np.isdtype("float16", ["integral", "real floating"]), true);
 * equal(np.isdtype("bool", "numeric"), false);
 * ```
 *
 * @param dtype A dtype.
 * @param kind A kind, a dtype, or a list of them.
 * @returns Whether `dtype` matches.
 */
export function isdtype(
  dtype: DType,
  kind: DTypeKind | DType | readonly (DTypeKind | DType)[],
): boolean {
  const d = dtypeOf("isdtype", dtype);
  const kinds = typeof kind === "string" ? [kind] : kind;
  return kinds.some((k) => {
    if (Object.hasOwn(KINDS, k)) return KINDS[k as DTypeKind](d);
    const name: string = k;
    if (isDType(name) || name === "complex64" || name === "complex128") return name === d;
    throw new TypeError(`Invalid kind for isdtype: ${showValue(k)}`);
  });
}
