/**
 * Turning array-likes into arrays, and JAX type promotion for operands.
 *
 * @module
 */

import {
  type ArrayLike,
  fromForeignArray,
  markWeak,
  NdArray,
  type NestedArray,
} from "../array/array.ts";
import {
  allocate,
  checkDType,
  type DType,
  inexactDTypeOf,
  intRange,
  isComplex,
  isInexact,
  isInteger,
  isNarrowFloat,
  promoteTypes,
  roundToDType,
  scalarDType,
  wrapInteger,
} from "../array/dtype.ts";
import { showShape } from "../array/shape.ts";
import { convert } from "../primitives/elementwise.ts";
import type { Axis } from "./reductions.ts";
import * as P from "../primitives/structural.ts";
import { isFloat } from "../array/dtype.ts";
import { isnan } from "./math.ts";
import { where } from "./math.ts";

/** Options accepted by creation functions. */
export interface DTypeOptions {
  /** The element type; inferred from the data when omitted. */
  dtype?: DType;
}

function inferShape(x: unknown, shape: number[], depth: number): void {
  if (globalThis.Array.isArray(x)) {
    if (shape.length <= depth) shape.push(x.length);
    if (x.length > 0) inferShape(x[0], shape, depth + 1);
  }
}

/**
 * Converts nested JS arrays of numbers/booleans to an array, validating that
 * they are rectangular. Numbers give `float64`, all booleans `bool`.
 */
function fromNested(x: NestedArray | number | boolean, dtype?: DType): NdArray {
  const shape: number[] = [];
  inferShape(x, shape, 0);
  const flat: (number | boolean)[] = [];
  const walk = (v: unknown, depth: number, path: number[]): void => {
    if (depth === shape.length) {
      if (typeof v !== "number" && typeof v !== "boolean") {
        if (v instanceof NdArray && v.ndim === 0 && !isComplex(v.dtype)) {
          flat.push(v.item() as number | boolean);
          return;
        }
        throw new TypeError(
          `Cannot make an array from a ragged or non-numeric nested list: expected a number or boolean at index [${path}], got ${
            globalThis.Array.isArray(v) ? "a list" : typeof v
          }`,
        );
      }
      flat.push(v);
      return;
    }
    if (!globalThis.Array.isArray(v) || v.length !== shape[depth]) {
      throw new TypeError(
        `Cannot make an array from a ragged nested list: expected ${
          shape[depth]
        } elements at index [${path}] (shape ${showShape(shape)}), got ${
          globalThis.Array.isArray(v) ? `${v.length} elements` : typeof v
        }`,
      );
    }
    for (let i = 0; i < v.length; i++) walk(v[i], depth + 1, [...path, i]);
  };
  walk(x, 0, []);
  let dt: DType | undefined = dtype;
  if (dt === undefined) {
    // A JS number cannot say whether it is an integer type, so numbers make
    // float64 data; all-boolean data makes bool. Ask for int32 explicitly.
    const allBool = flat.length > 0 && flat.every((v) => typeof v === "boolean");
    dt = allBool ? "bool" : "float64";
  }
  const data = allocate(dt, flat.length);
  const range = isInteger(dt) ? intRange(dt) : null;
  const narrow = isNarrowFloat(dt) ? dt : null;
  for (let i = 0; i < flat.length; i++) {
    const v = flat[i];
    if (range !== null && typeof v === "number" && !(v > range[0] - 1 && v < range[1] + 1)) {
      // As NumPy and JAX: NaN, infinities and integers beyond the dtype do not convert (no silent wrap).
      throw new RangeError(
        `Cannot convert ${v} to ${dt}: ${
          Number.isFinite(v) ? `out of bounds for ${dt}` : "not a finite number"
        } (element ${i} of the data)`,
      );
    }
    // JS numbers round straight to float16/bfloat16 (as NumPy's conversion that jnp.array uses).
    data[i] = typeof v === "boolean"
      ? (v ? 1 : 0)
      : dt === "bool"
      ? (v !== 0 ? 1 : 0)
      : narrow
      ? roundToDType(v, narrow)
      : v;
  }
  return new NdArray(data, shape, dt);
}

/**
 * Converts an array-like to an array (arrays and tracers pass through; with
 * `dtype`, converted).
 */
export function asArray(x: ArrayLike, dtype?: DType): NdArray {
  // Complex dtypes come from promotion with a complex operand: convert, parts (re, 0).
  if (dtype !== undefined && isComplex(dtype)) return convert(asArray(x), dtype);
  if (dtype !== undefined) checkDType(dtype);
  if (x instanceof NdArray) return dtype === undefined ? x : convert(x, dtype);
  if (typeof x === "number") {
    // A single JS number makes a weakly typed array (JAX's `jnp.asarray(2.0)`), unless a dtype is asked for.
    const a = fromNested(x, dtype);
    return dtype === undefined ? markWeak(a) : a;
  }
  if (typeof x === "boolean" || globalThis.Array.isArray(x)) {
    return fromNested(x as NestedArray, dtype);
  }
  const foreign = fromForeignArray(x);
  if (foreign !== undefined) return asArray(foreign, dtype);
  throw new TypeError(
    `Expected an array, a number, a boolean or a nested list of them: got ${
      x === null
        ? "null"
        : typeof x === "object"
        ? (x as object).constructor?.name ?? "object"
        : typeof x
    }`,
  );
}

/**
 * The weak kind of a JS scalar in promotion: `bool`, `int32` for any safe
 * integer (JAX's weak int: it takes the integer dtype it meets, wrapping, as
 * `uint32Array * 2654435761` does), `float64` otherwise.
 */
export function scalarWeakKind(x: number | boolean): DType {
  if (typeof x === "boolean") return "bool";
  return Number.isSafeInteger(x) ? "int32" : "float64";
}

/** Whether a JS scalar operand is weakly typed in promotion (JAX weak typing). */
function isWeak(x: ArrayLike): x is number | boolean {
  return typeof x === "number" || typeof x === "boolean";
}

/**
 * The common dtype of operands under JAX promotion: arrays (and nested lists)
 * are strongly typed, JS numbers and booleans and weakly typed arrays
 * (`NdArray.weakType`) weakly.
 */
export function resultDType(xs: readonly ArrayLike[]): DType {
  const strong: DType[] = [];
  const weak: DType[] = [];
  for (const x of xs) {
    if (isWeak(x)) weak.push(scalarWeakKind(x));
    else if (x instanceof NdArray) {
      const kind = x.weakKind;
      if (kind !== null) weak.push(kind);
      else strong.push(x.dtype);
    } else strong.push(asArray(x).dtype);
  }
  return promoteTypes(strong, weak);
}

/**
 * Converts operands to arrays of their common (or the given) dtype. A JS
 * number becomes a weakly typed array, so a result computed from JS numbers
 * only is weakly typed too.
 */
export function promote(xs: readonly ArrayLike[], dtype?: DType): NdArray[] {
  const dt = dtype ?? resultDType(xs);
  return xs.map((x) => {
    if (typeof x !== "number") return asArray(x, dt);
    // A weak int beyond an integer dtype wraps into it (JAX: uint8(5) + 300 is 49).
    const v = isInteger(dt) && Number.isSafeInteger(x) ? wrapInteger(x, dt) : x;
    return markWeak(asArray(v, dt));
  });
}

/**
 * Reads an options argument: an object (or nothing), or, where `dtype` is one
 * of the options, a dtype name standing for `{ dtype }` (NumPy's positional
 * dtype: `zeros([2], "int32")`). Anything else is a `TypeError` rather than
 * silently ignored.
 */
export function readOptions<O extends object>(
  name: string,
  opts: O | DType | null | undefined,
  dtypeShorthand: boolean,
): O {
  if (opts === undefined || opts === null) return {} as O;
  if (typeof opts === "object" && !globalThis.Array.isArray(opts)) return opts as O;
  if (dtypeShorthand && typeof opts === "string") return { dtype: checkDType(opts) } as O;
  throw new TypeError(
    `Invalid options for ${name}: expected an options object${
      dtypeShorthand ? " or a dtype name" : ""
    }, got ${JSON.stringify(opts)}`,
  );
}

/** Makes a 0-d array holding `value`. */
import { scalar as scalarArray } from "../array/create.ts";
import { showValue } from "../array/shape.ts";
export { scalarArray };

// ---------------------------------------------------------------------------
// Helpers

export function fmtList(list: readonly number[]): string {
  return `[${list.join(",")}]`;
}

/** Python's `slice(start, stop, step).indices(n)` plus the resulting length. */
export function sliceIndices(
  start: number | undefined,
  stop: number | undefined,
  step: number,
  n: number,
): [number, number, number] {
  const lower = step > 0 ? 0 : -1;
  const upper = step > 0 ? n : n - 1;
  const norm = (v: number | undefined, dflt: number): number => {
    if (v === undefined) return dflt;
    if (v < 0) v += n;
    return v < lower ? lower : v > upper ? upper : v;
  };
  const s = norm(start, step > 0 ? lower : upper);
  const e = norm(stop, step > 0 ? upper : lower);
  const len = step > 0
    ? Math.max(0, Math.ceil((e - s) / step))
    : Math.max(0, Math.ceil((s - e) / -step));
  return [s, e, len];
}

export function sliceAll(
  x: NdArray,
  starts: readonly number[],
  limits: readonly number[],
  strides?: readonly number[],
): NdArray {
  const st = strides ?? x.shape.map(() => 1);
  let trivial = true;
  for (let i = 0; i < x.ndim; i++) {
    if (starts[i] !== 0 || limits[i] !== x.shape[i] || st[i] !== 1) trivial = false;
  }
  return trivial ? x : P.slice(x, { starts, limits, strides: st });
}

/** Slices `x` along one axis. */
export function sliceAxis(
  x: NdArray,
  axis: number,
  start: number,
  stop: number,
  step = 1,
): NdArray {
  const starts = x.shape.map((_, i) => (i === axis ? start : 0));
  const limits = x.shape.map((n, i) => (i === axis ? stop : n));
  const strides = x.shape.map((_, i) => (i === axis ? step : 1));
  return sliceAll(x, starts, limits, strides);
}

export function checkInt(name: string, what: string, v: unknown): number {
  if (typeof v !== "number" || !Number.isInteger(v)) {
    throw new TypeError(
      `Invalid ${what} for ${name}: expected an integer, got ${JSON.stringify(v)}`,
    );
  }
  return v;
}

/** The reductions with a `dtype` option: there a dtype name may stand for `{ dtype }` (NumPy's positional dtype). */
export const WITH_DTYPE = new Set(["sum", "prod", "mean", "var", "std", "cumsum"]);

/**
 * Splits the `(axis, opts)` arguments of a reduction: the options object may
 * stand in the axis position (`sum(x, { keepdims: true })`), and an axis must
 * be an integer, a list of integers, or `null`/`undefined`. Options that are
 * neither an object nor (with a `dtype` option) a dtype name are rejected.
 */
export function axisArgs<O extends object>(
  name: string,
  axis: Axis | O,
  opts: O | DType,
  list = true,
): [Axis, O] {
  const dtypeOption = WITH_DTYPE.has(name);
  if (typeof axis === "object" && axis !== null && !globalThis.Array.isArray(axis)) {
    return [undefined, readOptions(name, axis as O, dtypeOption)];
  }
  const o = readOptions(name, opts, dtypeOption);
  if (axis === null || axis === undefined) return [axis, o];
  const items = globalThis.Array.isArray(axis) && list ? axis : [axis];
  if (!items.every((a) => typeof a === "number" && Number.isInteger(a))) {
    throw new TypeError(
      `Invalid axis for ${name}: expected an integer${
        list ? ", a list of integers" : ""
      } or null, got ${showValue(axis)}`,
    );
  }
  return [axis as Axis, o];
}

/**
 * `x` as a float array for mean-like reductions: `int32` and `bool` become
 * `float64`, the smaller integers and `uint32` `float32` (see `inexactDTypeOf`).
 */
export function floatOf(x: ArrayLike, dtype?: DType): NdArray {
  const a = asArray(x);
  if (dtype !== undefined) return convert(a, checkDType(dtype));
  return isInexact(a.dtype) ? a : convert(a, inexactDTypeOf(a.dtype));
}

/** `x` with NaN replaced by `fill` (and its gradient zero there). */
export function withoutNan(a: NdArray, fill: number): NdArray {
  if (!isFloat(a.dtype)) return a;
  return where(isnan(a), scalarArray(fill, a.dtype), a);
}

/**
 * Splits `(axisOrOpts, options)` as the statistics and nan-reductions do: the
 * options may take the axis's place, and a dtype name stands for `{ dtype }`
 * with `dtypeShorthand`.
 */
export function axisOptions<O extends object>(
  name: string,
  axis: Axis | O,
  opts: O | DType | undefined,
  dtypeShorthand = false,
): [Axis, O] {
  if (typeof axis === "object" && axis !== null && !globalThis.Array.isArray(axis)) {
    return [undefined, readOptions(name, axis as O, dtypeShorthand)];
  }
  const o = readOptions(name, opts as O | DType | undefined, dtypeShorthand);
  if (axis === null || axis === undefined) return [axis, o];
  const items = globalThis.Array.isArray(axis) ? axis : [axis];
  if (!items.every((a) => typeof a === "number" && Number.isInteger(a))) {
    throw new TypeError(
      `Invalid axis for ${name}: expected an integer, a list of integers or null, got ${
        showValue(axis)
      }`,
    );
  }
  return [axis as Axis, o];
}
