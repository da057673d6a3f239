/**
 * Array creation: `array`, `zeros`, `ones`, `full`, the `*Like` variants,
 * `arange`, `linspace` and `eye`.
 *
 * Creation from JS data makes concrete arrays (constants to every
 * transformation). A nested list that contains nabla arrays — possibly tracers
 * — is built with `reshape` and `concatenate` primitives, so it is
 * differentiable and batchable like any other operation.
 *
 * @module
 */

import * as P from "../primitives/structural.ts";
import { type ArrayLike, NdArray, NdArray as ArrayClass } from "../array/array.ts";
import {
  allocate,
  checkDType,
  type DType,
  isInteger,
  promoteTypes,
  scalarDType,
  type TypedArray,
} from "../array/dtype.ts";
import {
  broadcastShapes,
  checkShape,
  checkSize,
  ShapeError,
  shapesEqual,
  showShape,
  showValue,
  sizeOf,
} from "../array/shape.ts";
import { convert } from "../primitives/elementwise.ts";
import { broadcastTo, concatenate, reshape } from "../primitives/structural.ts";
import { filled } from "../array/create.ts";
import { asArray, type DTypeOptions, readOptions, scalarArray } from "./_args.ts";
import { diagonal } from "./indexing.ts";
import { add, divide, less, log10, logicalAnd, multiply, power, subtract, where } from "./math.ts";
import { vmap } from "../transforms/vmap.ts";
import { checkInt } from "./_args.ts";
import { storageOf } from "../array/array.ts";
import { checkOptions } from "../core/options.ts";
export type { DTypeOptions } from "./_args.ts";

/** What `array` accepts: array-likes, and nested lists whose leaves may be arrays too. */
export type NestedArrayLike = ArrayLike | readonly NestedArrayLike[];

/** A shape argument: one extent or a list of extents. */
export type ShapeLike = number | readonly number[];

function optDType(name: string, opts: DTypeOptions | DType | undefined): DType | undefined {
  const o = readOptions(name, opts, true);
  return o.dtype === undefined ? undefined : checkDType(o.dtype);
}

/** The typed arrays `np.array` copies from (see {@linkcode array} for their dtypes). */
export type AnyTypedArray =
  | TypedArray
  | Uint8ClampedArray
  | Int8Array
  | Int16Array
  | Uint16Array
  | Uint32Array;

/** A typed array of any element type. */
type ArrayLikeView = globalThis.ArrayLike<number | bigint> & {
  readonly constructor: { name: string };
};

/**
 * A copy of a typed array's values with the dtype of its element type:
 * `Float64Array`, `Float32Array`, `Int32Array`, `Int16Array`, `Int8Array`,
 * `Uint32Array`, `Uint16Array`, `Uint8Array` (and `Uint8ClampedArray`) keep
 * theirs, a `Float16Array` (where the engine has one) gives `float16`; 64-bit
 * integer arrays are refused.
 */
function fromTypedArray(x: ArrayLikeView): NdArray {
  const copy = (dtype: DType): NdArray => {
    const data = allocate(dtype, x.length);
    for (let i = 0; i < x.length; i++) data[i] = x[i] as number;
    return new NdArray(data, [x.length], dtype);
  };
  if (x instanceof Float64Array) return copy("float64");
  if (x instanceof Float32Array) return copy("float32");
  if (x instanceof Int32Array) return copy("int32");
  if (x instanceof Int16Array) return copy("int16");
  if (x instanceof Int8Array) return copy("int8");
  if (x instanceof Uint32Array) return copy("uint32");
  if (x instanceof Uint16Array) return copy("uint16");
  if (x instanceof Uint8Array || x instanceof Uint8ClampedArray) return copy("uint8");
  if (x instanceof BigInt64Array || x instanceof BigUint64Array) {
    throw new TypeError(
      `Cannot make an array from a ${x.constructor.name}: 64-bit integers are not supported; convert the values to numbers first`,
    );
  }
  if (x.constructor.name === "Float16Array") return copy("float16");
  // Any other view of numbers: their values as float64 (exact)
  return copy("float64");
}

/** Whether a nested list holds an `NdArray` anywhere. */
function containsArray(x: unknown): boolean {
  if (x instanceof NdArray) return true;
  if (globalThis.Array.isArray(x)) {
    for (const v of x) if (containsArray(v)) return true;
  }
  return false;
}

/** Collects the dtypes of the leaves of a nested list: arrays strong, JS scalars weak. */
function leafDTypes(x: unknown, strong: DType[], weak: DType[]): void {
  if (x instanceof NdArray) strong.push(x.dtype);
  else if (globalThis.Array.isArray(x)) { for (const v of x) leafDTypes(v, strong, weak); }
  else if (typeof x === "number" || typeof x === "boolean") weak.push(scalarDType(x));
  else {
    throw new TypeError(
      `Cannot make an array from a nested list: expected numbers, booleans or arrays, got ${
        x === null ? "null" : typeof x
      }`,
    );
  }
}

/** Builds a nested list with array leaves by stacking (differentiable). */
function stackNested(x: unknown, dtype: DType, path: number[]): NdArray {
  if (x instanceof NdArray) return convert(x, dtype);
  if (typeof x === "number" || typeof x === "boolean") {
    const v = typeof x === "boolean" ? (x ? 1 : 0) : x;
    return scalarArray(dtype === "bool" ? (v !== 0 ? 1 : 0) : v, dtype);
  }
  const list = x as readonly unknown[];
  if (list.length === 0) return filled([0], 0, dtype);
  const parts = list.map((v, i) => stackNested(v, dtype, [...path, i]));
  const shape = parts[0].shape;
  for (let i = 1; i < parts.length; i++) {
    if (!shapesEqual(parts[i].shape, shape)) {
      throw new TypeError(
        `Cannot make an array from a ragged nested list: the element at index [${[
          ...path,
          i,
        ]}] has shape ${showShape(parts[i].shape)}, expected ${showShape(shape)}`,
      );
    }
  }
  return concatenate(parts.map((p) => reshape(p, [1, ...shape])), 0);
}

/**
 * Creates an array from nested JS arrays of numbers/booleans, a typed array,
 * or an existing array (converted to `dtype` if given).
 *
 * Without `dtype`, all-boolean data gives `bool` and numbers `float64` (JS
 * numbers are float64 data; ask for `int32` explicitly). A nested list that contains nabla arrays (including
 * values traced by `grad` or `vmap`) is stacked with primitives, so gradients
 * flow through it; its dtype follows JAX promotion (arrays strong, JS numbers
 * weak). A typed array is copied with the dtype of its element type
 * (`Uint8Array` → `uint8`, `Int16Array` → `int16`, `Uint32Array` → `uint32`, …).
 * A single JS number makes a weakly typed array (see `NdArray.weakType`).
 *
 * @example Dtype inference
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual, equal } from "node:assert/strict";
 *
 * const x = np.array([[1, 2], [3, 4]]);
 * deepEqual(x.shape, [2, 2]);
 * equal(x.dtype, "float64");
 * equal(np.array([true, false]).dtype, "bool");
 * equal(np.array([1, 2], { dtype: "int32" }).dtype, "int32");
 * equal(np.array([1, 2], { dtype: "float32" }).dtype, "float32");
 * ```
 *
 * @param x The data.
 * @param opts `dtype`: the element type (inferred when omitted); a dtype name alone also works.
 * @returns A new array (or `x` itself when it already is an array of that dtype).
 */
export function array(x: NestedArrayLike | AnyTypedArray, opts?: DTypeOptions | DType): NdArray {
  checkOptions("array", opts, ["dtype"]);
  const dtype = optDType("array", opts);
  if (x instanceof NdArray) return asArray(x, dtype);
  if (ArrayBuffer.isView(x) && !(x instanceof DataView)) {
    const src = fromTypedArray(x as unknown as ArrayLikeView);
    return dtype === undefined ? src : asArray(src, dtype);
  }
  if (globalThis.Array.isArray(x) && containsArray(x)) {
    let dt = dtype;
    if (dt === undefined) {
      const strong: DType[] = [];
      const weak: DType[] = [];
      leafDTypes(x, strong, weak);
      dt = promoteTypes(strong, weak);
    }
    return stackNested(x, dt, []);
  }
  return asArray(x as ArrayLike, dtype);
}

/**
 * Alias of {@linkcode array}.
 *
 * @example Converting a list
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.asarray([true, false]).tolist(), [true, false]);
 * ```
 *
 * @param x The data.
 * @param opts `dtype`: the element type (inferred when omitted); a dtype name alone also works.
 * @returns The array.
 */
export function asarray(x: NestedArrayLike | AnyTypedArray, opts?: DTypeOptions | DType): NdArray {
  checkOptions("asarray", opts, ["dtype"]);
  return array(x, opts);
}

/**
 * An array of zeros.
 *
 * @example A 2×3 matrix of zeros
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual, equal } from "node:assert/strict";
 *
 * const z = np.zeros([2, 3]);
 * deepEqual(z.tolist(), [[0, 0, 0], [0, 0, 0]]);
 * equal(z.dtype, "float64");
 * ```
 *
 * @param shape The shape (a number for 1-D).
 * @param opts `dtype`: the element type (default `float64`); a dtype name alone also works.
 * @returns The array.
 */
export function zeros(shape: ShapeLike, opts?: DTypeOptions | DType): NdArray {
  checkOptions("zeros", opts, ["dtype"]);
  return filled(checkShape(shape), 0, optDType("zeros", opts) ?? "float64");
}

/**
 * An array of ones.
 *
 * @example Ones of int32
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.ones(3, { dtype: "int32" }).tolist(), [1, 1, 1]);
 * ```
 *
 * @param shape The shape (a number for 1-D).
 * @param opts `dtype`: the element type (default `float64`); a dtype name alone also works.
 * @returns The array.
 */
export function ones(shape: ShapeLike, opts?: DTypeOptions | DType): NdArray {
  checkOptions("ones", opts, ["dtype"]);
  return filled(checkShape(shape), 1, optDType("ones", opts) ?? "float64");
}

function fillArray(shape: number[], fillValue: ArrayLike, dtype: DType | undefined): NdArray {
  if (typeof fillValue === "number" || typeof fillValue === "boolean") {
    const dt = dtype ?? (typeof fillValue === "boolean" ? "bool" : "float64");
    const v = typeof fillValue === "boolean" ? (fillValue ? 1 : 0) : fillValue;
    if (dt === "bool") return filled(shape, v !== 0 ? 1 : 0, dt);
    if (Number.isNaN(v) && !isInteger(dt)) return filled(shape, NaN, dt);
    return filled(shape, v, dt);
  }
  const v = array(fillValue, dtype === undefined ? undefined : { dtype });
  const b = broadcastShapes(v.shape, shape);
  if (!shapesEqual(b, shape)) {
    throw new ShapeError(
      `Cannot broadcast a fill value of shape ${showShape(v.shape)} to shape ${showShape(shape)}`,
      { op: "full", shapes: [v.shape, shape] },
    );
  }
  return broadcastTo(v, shape);
}

/**
 * An array of `shape` filled with `fillValue`. A JS number gives `float64`
 * and a boolean `bool` (as `array` does: JS numbers are float64 data); an
 * array fill value keeps its dtype and is broadcast to `shape`
 * (differentiably).
 *
 * @example Filling with a constant
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual, equal } from "node:assert/strict";
 *
 * const x = np.full([2], 7);
 * deepEqual(x.tolist(), [7, 7]);
 * equal(x.dtype, "float64");
 * equal(np.full([2], 7, { dtype: "int32" }).dtype, "int32");
 * deepEqual(np.full([2, 2], np.array([1, 2])).tolist(), [[1, 2], [1, 2]]);
 * ```
 *
 * @param shape The shape (a number for 1-D).
 * @param fillValue The value: a JS scalar or an array broadcastable to `shape`.
 * @param opts `dtype`: the element type (inferred from `fillValue` when omitted), or a dtype name.
 * @returns The array.
 */
export function full(shape: ShapeLike, fillValue: ArrayLike, opts?: DTypeOptions | DType): NdArray {
  checkOptions("full", opts, ["dtype"]);
  return fillArray(checkShape(shape), fillValue, optDType("full", opts));
}

function likeOf(x: ArrayLike): { shape: number[]; dtype: DType } {
  if (x instanceof NdArray) return { shape: x.shape.slice(), dtype: x.dtype };
  const a = asArray(x);
  return { shape: a.shape.slice(), dtype: a.dtype };
}

/**
 * Zeros with the shape and dtype of `x` (only its shape and dtype are read).
 *
 * @example Zeros like an int32 array
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual, equal } from "node:assert/strict";
 *
 * const z = np.zerosLike(np.array([1, 2, 3], { dtype: "int32" }));
 * deepEqual(z.tolist(), [0, 0, 0]);
 * equal(z.dtype, "int32");
 * ```
 *
 * @param x The template.
 * @param opts `dtype`: overrides the dtype of `x`; a dtype name alone also works.
 * @returns The array.
 */
export function zerosLike(x: ArrayLike, opts?: DTypeOptions | DType): NdArray {
  checkOptions("zerosLike", opts, ["dtype"]);
  const t = likeOf(x);
  return filled(t.shape, 0, optDType("zerosLike", opts) ?? t.dtype);
}

/**
 * Ones with the shape and dtype of `x`.
 *
 * @example Ones like a matrix
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.onesLike(np.zeros([1, 2])).tolist(), [[1, 1]]);
 * ```
 *
 * @param x The template.
 * @param opts `dtype`: overrides the dtype of `x`; a dtype name alone also works.
 * @returns The array.
 */
export function onesLike(x: ArrayLike, opts?: DTypeOptions | DType): NdArray {
  checkOptions("onesLike", opts, ["dtype"]);
  const t = likeOf(x);
  return filled(t.shape, 1, optDType("onesLike", opts) ?? t.dtype);
}

/**
 * `fillValue` broadcast to the shape of `x`, with the dtype of `x` unless
 * `dtype` is given (as NumPy's `full_like`).
 *
 * @example Filling like a float array
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.fullLike(np.zeros(2), 0.5).tolist(), [0.5, 0.5]);
 * ```
 *
 * @param x The template.
 * @param fillValue The value: a JS scalar or an array broadcastable to the shape of `x`.
 * @param opts `dtype`: overrides the dtype of `x`; a dtype name alone also works.
 * @returns The array.
 */
export function fullLike(x: ArrayLike, fillValue: ArrayLike, opts?: DTypeOptions | DType): NdArray {
  checkOptions("fullLike", opts, ["dtype"]);
  const t = likeOf(x);
  return fillArray(t.shape, fillValue, optDType("fullLike", opts) ?? t.dtype);
}

function checkNumber(name: string, what: string, v: unknown): number {
  if (typeof v !== "number") {
    throw new TypeError(`Invalid ${what} for ${name}: expected a number, got ${typeof v}`);
  }
  return v;
}

/**
 * Evenly spaced values in `[start, stop)` with NumPy semantics: `arange(n)`
 * is `0, 1, ..., n-1`; the length is `ceil((stop - start) / step)` and the
 * values `start + i * delta` with `delta = (start + step) - start`, exactly as
 * NumPy fills them. The dtype is `int32` when every argument is an integer,
 * `float64` otherwise.
 *
 * @example Ranges
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual, equal } from "node:assert/strict";
 *
 * deepEqual(np.arange(4).tolist(), [0, 1, 2, 3]);
 * deepEqual(np.arange(1, 2, 0.25).tolist(), [1, 1.25, 1.5, 1.75]);
 * deepEqual(np.arange(5, 0, -2).tolist(), [5, 3, 1]);
 * equal(np.arange(3, { dtype: "float32" }).dtype, "float32");
 * ```
 *
 * @param start The first value (or `stop` when it is the only number).
 * @param stop The end (exclusive).
 * @param step The spacing (default 1; nonzero).
 * @param opts `dtype`: the element type.
 * @returns A 1-D array.
 */
export function arange(start: number, opts?: DTypeOptions): NdArray;
/**
 * Evenly spaced values in `[start, stop)` with step 1.
 *
 * @example From 2 to 5
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.arange(2, 5).tolist(), [2, 3, 4]);
 * ```
 *
 * @param start First value.
 * @param stop End of the interval (excluded).
 * @param opts `dtype`: the element type.
 * @returns A 1-D array.
 */
export function arange(start: number, stop: number, opts?: DTypeOptions): NdArray;
/**
 * Evenly spaced values in `[start, stop)` with the given step.
 *
 * @example Every other value, downwards
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.arange(5, 0, -2).tolist(), [5, 3, 1]);
 * ```
 *
 * @param start First value.
 * @param stop End of the interval (excluded).
 * @param step Spacing between values.
 * @param opts `dtype`: the element type.
 * @returns A 1-D array.
 */
export function arange(start: number, stop: number, step: number, opts?: DTypeOptions): NdArray;
export function arange(
  a: number,
  b?: number | DTypeOptions,
  c?: number | DTypeOptions,
  d?: DTypeOptions,
): NdArray {
  checkOptions("arange", b, ["dtype"]);
  checkOptions("arange", c, ["dtype"]);
  checkOptions("arange", d, ["dtype"]);
  const nums: number[] = [];
  let opts: DTypeOptions | undefined;
  for (const v of [a, b, c, d]) {
    if (v === undefined || v === null) continue;
    if (typeof v === "object") {
      opts = v;
      break;
    }
    nums.push(checkNumber("arange", "argument", v));
  }
  if (nums.length === 0) throw new TypeError("arange needs at least one number: got none");
  const [start, stop, step] = nums.length === 1
    ? [0, nums[0], 1]
    : [nums[0], nums[1], nums.length > 2 ? nums[2] : 1];
  if (step === 0) throw new RangeError("Invalid step for arange: the step must be nonzero, got 0");
  if (![start, stop, step].every(Number.isFinite)) {
    throw new RangeError(
      `Invalid arguments for arange: start, stop and step must be finite, got ${start}, ${stop}, ${step}`,
    );
  }
  const dtype = optDType("arange", opts) ??
    (nums.every((v) => Number.isInteger(v) && Math.abs(v) <= 2147483647) ? "int32" : "float64");
  const n = Math.max(0, Math.ceil((stop - start) / step));
  if (dtype === "bool" && n > 2) {
    throw new TypeError(
      `Invalid dtype for arange: a bool range has at most 2 elements, got ${n} (start ${start}, stop ${stop}, step ${step})`,
    );
  }
  const data = allocate(dtype, n);
  // NumPy stores start and start + step, then fills start + i * delta with
  // delta = second - first, in the arithmetic of the dtype (float32 rounds,
  // int32 truncates).
  const r = dtype === "float32" ? Math.fround : isInteger(dtype) ? Math.trunc : (v: number) => v;
  const first = r(start);
  const delta = r(r(start + step) - first);
  for (let i = 0; i < n; i++) {
    const v = i === 0 ? first : i === 1 ? r(start + step) : r(first + r(i * delta));
    data[i] = dtype === "bool" ? (v !== 0 ? 1 : 0) : v;
  }
  return new NdArray(data, [n], dtype);
}

/** Options of {@linkcode linspace}. */
export interface LinspaceOptions extends DTypeOptions {
  /** Whether `stop` is the last sample (default `true`). */
  endpoint?: boolean;
}

/**
 * `num` evenly spaced samples from `start` to `stop`, computed as NumPy does
 * (`start + i * step`, the last sample exactly `stop` when `endpoint`).
 * Integer dtypes take the floor of each sample.
 *
 * @example Five samples of [0, 1]
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.linspace(0, 1, 5).tolist(), [0, 0.25, 0.5, 0.75, 1]);
 * deepEqual(np.linspace(0, 1, 4, { endpoint: false }).tolist(), [0, 0.25, 0.5, 0.75]);
 * deepEqual(np.linspace(0, 1, 2, false).tolist(), [0, 0.5]);
 * ```
 *
 * @param start The first sample.
 * @param stop The last sample (or the end of the interval when `endpoint` is false).
 * @param num Number of samples (default 50).
 * @param opts `endpoint` (default `true`) and `dtype` (default `float64`); a boolean is
 *   `endpoint`, as NumPy's fourth positional argument.
 * @returns A 1-D array of `num` samples.
 */
export function linspace(
  start: number,
  stop: number,
  num = 50,
  opts: LinspaceOptions | boolean = {},
): NdArray {
  checkOptions("linspace", opts, ["dtype", "endpoint"]);
  // NumPy's positional `endpoint`: linspace(0, 1, 5, false).
  if (typeof opts === "boolean") opts = { endpoint: opts };
  checkNumber("linspace", "start", start);
  checkNumber("linspace", "stop", stop);
  if (!Number.isInteger(num) || num < 0) {
    throw new RangeError(
      `Invalid number of samples for linspace: expected a non-negative integer, got ${num}`,
    );
  }
  opts = readOptions("linspace", opts, false);
  const endpoint = opts.endpoint ?? true;
  const dtype = optDType("linspace", opts) ?? "float64";
  const div = endpoint ? num - 1 : num;
  const delta = stop - start;
  const step = div > 0 ? delta / div : NaN;
  checkSize([num]);
  const vals = new Float64Array(num);
  for (let i = 0; i < num; i++) {
    if (div <= 0) vals[i] = i * delta + start;
    else if (step === 0) vals[i] = (i / div) * delta + start;
    else vals[i] = i * step + start;
  }
  if (endpoint && num > 1) vals[num - 1] = stop;
  const data = allocate(dtype, num);
  for (let i = 0; i < num; i++) {
    const v = vals[i];
    data[i] = dtype === "bool" ? (v !== 0 ? 1 : 0) : isInteger(dtype) ? Math.floor(v) : v;
  }
  return new NdArray(data, [num], dtype);
}

/** Options of {@linkcode eye}. */
export interface EyeOptions extends DTypeOptions {
  /** The diagonal: 0 the main one, positive above, negative below (default 0). */
  k?: number;
}

/**
 * A 2-D array with ones on the `k`-th diagonal and zeros elsewhere.
 *
 * @example Identity and an offset diagonal
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.eye(2).tolist(), [[1, 0], [0, 1]]);
 * deepEqual(np.eye(2, 3, { k: 1 }).tolist(), [[0, 1, 0], [0, 0, 1]]);
 * deepEqual(np.eye(2, 2, -1).tolist(), [[0, 0], [1, 0]]);
 * ```
 *
 * @param n Number of rows.
 * @param m Number of columns (default `n`).
 * @param opts `k` (the diagonal) and `dtype` (default `float64`); a number is `k`, as NumPy's
 *   third positional argument.
 * @returns An `n × m` array.
 */
export function eye(
  n: number,
  m?: number | null | EyeOptions,
  opts?: EyeOptions | number,
): NdArray {
  checkOptions("eye", m, ["dtype", "k"]);
  checkOptions("eye", opts, ["dtype", "k"]);
  if (typeof m === "object" && m !== null) {
    opts = m;
    m = undefined;
  }
  // NumPy's positional `k`: eye(3, 3, 1).
  if (typeof opts === "number") opts = { k: opts };
  const cols = m ?? n;
  const shape = checkShape([n, cols]);
  opts = readOptions("eye", opts, false);
  const k = opts.k ?? 0;
  if (!Number.isInteger(k)) {
    throw new TypeError(`Invalid diagonal for eye: expected an integer k, got ${k}`);
  }
  const dtype = optDType("eye", opts) ?? "float64";
  const data = allocate(dtype, sizeOf(shape));
  for (let i = 0; i < n; i++) {
    const j = i + k;
    if (j >= 0 && j < cols) data[i * cols + j] = 1;
  }
  return new NdArray(data, shape, dtype);
}

// ---------------------------------------------------------------------------
// Creation

/** Options of {@linkcode logspace}. */
export interface LogspaceOptions extends DTypeOptions {
  /** Whether `base ** stop` is the last sample (default `true`). */
  endpoint?: boolean;
  /** The base of the log space (default 10). */
  base?: number;
}

/**
 * `num` samples evenly spaced on a log scale: `base ** linspace(start,
 * stop, num)`, as NumPy computes them.
 *
 * @example Decades and octaves
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.logspace(0, 3, 4).tolist(), [1, 10, 100, 1000]);
 * deepEqual(np.logspace(0, 2, 3, { base: 2 }).tolist(), [1, 2, 4]);
 * ```
 *
 * @param start `base ** start` is the first sample.
 * @param stop `base ** stop` is the last sample (or the end, without `endpoint`).
 * @param num Number of samples (default 50).
 * @param opts `endpoint` (default `true`), `base` (default 10) and `dtype` (default `float64`).
 * @returns A 1-D array of `num` samples.
 */
export function logspace(
  start: number,
  stop: number,
  num = 50,
  opts: LogspaceOptions = {},
): NdArray {
  checkOptions("logspace", opts, ["base", "dtype", "endpoint"]);
  const o = readOptions("logspace", opts, false);
  const base = o.base ?? 10;
  if (typeof base !== "number") {
    throw new TypeError(`Invalid base for logspace: expected a number, got ${typeof base}`);
  }
  const exps = linspace(start, stop, num, { endpoint: o.endpoint ?? true });
  const dtype: DType = o.dtype ?? "float64";
  const src = storageOf(exps) as Float64Array;
  const data = allocate(dtype, num);
  for (let i = 0; i < num; i++) {
    const v = Math.pow(base, src[i]);
    data[i] = isInteger(dtype) ? Math.trunc(v) : dtype === "bool" ? (v !== 0 ? 1 : 0) : v;
  }
  return new ArrayClass(data, [num], dtype);
}

/**
 * The `n × n` identity matrix.
 *
 * @example A 2 × 2 identity
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual, equal } from "node:assert/strict";
 *
 * deepEqual(np.identity(2).tolist(), [[1, 0], [0, 1]]);
 * equal(np.identity(2, "int32").dtype, "int32");
 * ```
 *
 * @param n Number of rows and columns.
 * @param opts `dtype` (default `float64`), or just a dtype name.
 * @returns An `n × n` array with ones on the diagonal.
 */
export function identity(n: number, opts?: DTypeOptions | DType): NdArray {
  checkOptions("identity", opts, ["dtype"]);
  const o = readOptions("identity", opts, true);
  return eye(n, n, { dtype: o.dtype });
}

/**
 * A new array of `shape`. Arrays are immutable, so there is nothing to leave
 * uninitialised: it is {@linkcode zeros} (as in JAX).
 *
 * @example An "empty" array
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.empty([2]).tolist(), [0, 0]);
 * ```
 *
 * @param shape The shape.
 * @param opts `dtype` (default `float64`), or just a dtype name.
 * @returns An array of zeros.
 */
export function empty(shape: ShapeLike, opts?: DTypeOptions | DType): NdArray {
  checkOptions("empty", opts, ["dtype"]);
  return zeros(shape, opts);
}

// ---------------------------------------------------------------------------
// meshgrid

/** Options of {@linkcode meshgrid}. */
export interface MeshgridOptions {
  /** `"xy"` (Cartesian, the default: the first two output axes swapped) or `"ij"` (matrix). */
  indexing?: "xy" | "ij";
  /** Return broadcastable arrays with unit axes instead of full grids (default `false`). */
  sparse?: boolean;
}

function isOptions(v: unknown): v is MeshgridOptions {
  return typeof v === "object" && v !== null && !globalThis.Array.isArray(v) &&
    !(v instanceof NdArray);
}

/**
 * Coordinate grids from coordinate vectors (each input is flattened). With
 * `indexing: "xy"` (the default) the first two axes are swapped, so for
 * vectors of lengths `m` and `n` the grids are `n × m`; `"ij"` gives `m × n`.
 * An options object may come last.
 *
 * @example Cartesian and matrix indexing
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * const [X, Y] = np.meshgrid([1, 2, 3], [4, 5]);
 * deepEqual(X.tolist(), [[1, 2, 3], [1, 2, 3]]);
 * deepEqual(Y.tolist(), [[4, 4, 4], [5, 5, 5]]);
 * const [I] = np.meshgrid([1, 2, 3], [4, 5], { indexing: "ij" });
 * deepEqual(I.shape, [3, 2]);
 * ```
 *
 * @param args Coordinate vectors, then optionally `{ indexing, sparse }`.
 * @returns One grid per input.
 */
export function meshgrid(...args: (ArrayLike | MeshgridOptions)[]): NdArray[] {
  checkOptions("meshgrid", args, ["indexing", "sparse"]);
  let opts: MeshgridOptions = {};
  if (args.length > 0 && isOptions(args[args.length - 1])) {
    opts = args[args.length - 1] as MeshgridOptions;
    args = args.slice(0, -1);
  }
  const indexing = opts.indexing ?? "xy";
  if (indexing !== "xy" && indexing !== "ij") {
    throw new TypeError(
      `Invalid indexing for meshgrid: expected "xy" or "ij", got ${showValue(indexing)}`,
    );
  }
  const xs = (args as ArrayLike[]).map((v) => {
    const a = asArray(v);
    return P.reshape(a, [a.size]);
  });
  const n = xs.length;
  const lens = xs.map((a) => a.size);
  // Position of input i's axis in the output.
  const pos = (i: number) => (indexing === "xy" && n > 1 && i < 2 ? 1 - i : i);
  const full = new globalThis.Array<number>(n);
  xs.forEach((_, i) => (full[pos(i)] = lens[i]));
  return xs.map((a, i) => {
    const shape = new globalThis.Array<number>(n).fill(1);
    shape[pos(i)] = lens[i];
    const r = P.reshape(a, shape);
    return opts.sparse ? r : P.broadcastTo(r, full);
  });
}

// ---------------------------------------------------------------------------
// triu / tril

function triangle(name: string, x: ArrayLike, k: number, upper: boolean): NdArray {
  const a = asArray(x);
  checkInt(name, "diagonal offset k", k);
  if (a.ndim === 0) {
    throw new TypeError(`${name} needs an array of at least one dimension: got a scalar`);
  }
  const [m, n] = a.ndim === 1 ? [a.shape[0], a.shape[0]] : a.shape.slice(-2);
  const mask = filled([m, n], 0, "bool");
  const data = storageOf(mask);
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) data[i * n + j] = (upper ? j - i >= k : j - i <= k) ? 1 : 0;
  }
  return where(mask, a, scalarArray(0, a.dtype));
}

/**
 * The upper triangle of the last two axes: elements below diagonal `k` are
 * zeroed (a 1-D `x` is first repeated into a square matrix, as NumPy).
 *
 * @example Upper triangles
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * const x = [[1, 2, 3], [4, 5, 6], [7, 8, 9]];
 * deepEqual(np.triu(x).tolist(), [[1, 2, 3], [0, 5, 6], [0, 0, 9]]);
 * deepEqual(np.triu(x, 1).tolist(), [[0, 2, 3], [0, 0, 6], [0, 0, 0]]);
 * ```
 *
 * @param x An array of rank at least 1.
 * @param k The diagonal: 0 the main one, positive above, negative below.
 * @returns `x` with the lower part zeroed.
 */
export function triu(x: ArrayLike, k = 0): NdArray {
  return triangle("triu", x, k, true);
}

/**
 * The lower triangle of the last two axes: elements above diagonal `k` are
 * zeroed (a 1-D `x` is first repeated into a square matrix, as NumPy).
 *
 * @example Lower triangles
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * const x = [[1, 2, 3], [4, 5, 6], [7, 8, 9]];
 * deepEqual(np.tril(x).tolist(), [[1, 0, 0], [4, 5, 0], [7, 8, 9]]);
 * deepEqual(np.tril(x, -1).tolist(), [[0, 0, 0], [4, 0, 0], [7, 8, 0]]);
 * ```
 *
 * @param x An array of rank at least 1.
 * @param k The diagonal: 0 the main one, positive above, negative below.
 * @returns `x` with the upper part zeroed.
 */
export function tril(x: ArrayLike, k = 0): NdArray {
  return triangle("tril", x, k, false);
}

// ---------------------------------------------------------------------------
// Diagonals

/**
 * Extracts a diagonal or builds a diagonal matrix: for a 1-D `x`, the square
 * matrix with `x` on diagonal `k`; for a 2-D `x`, its `k`-th diagonal.
 *
 * @example Both directions
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.diag([1, 2]).tolist(), [[1, 0], [0, 2]]);
 * deepEqual(np.diag([[1, 2], [3, 4]], 1).tolist(), [2]);
 * ```
 *
 * @param x A 1-D or 2-D array.
 * @param k The diagonal: 0 the main one, positive above, negative below.
 * @returns A 2-D matrix (1-D input) or a 1-D diagonal (2-D input).
 */
export function diag(x: ArrayLike, k = 0): NdArray {
  const a = asArray(x);
  if (!Number.isInteger(k)) throw new TypeError(`Diagonal offset must be an integer: got ${k}`);
  if (a.ndim === 2) return diagonal(a, k);
  if (a.ndim !== 1) {
    throw new TypeError(`Input must be 1-D or 2-D for diag: got shape ${showShape(a.shape)}`);
  }
  const n = a.shape[0];
  // Interior padding of n zeros puts element i at i * (n + 1): the flat n×n diagonal.
  const sq = P.reshape(P.pad(a, { lo: [0], hi: [0], interior: [n] }), [n, n]);
  if (k === 0) return sq;
  const m = Math.abs(k);
  return P.pad(sq, {
    lo: k > 0 ? [0, m] : [m, 0],
    hi: k > 0 ? [m, 0] : [0, m],
    interior: [0, 0],
  });
}

// ---------------------------------------------------------------------------
// Building matrices and grids from functions

/**
 * Builds an array by calling `fn` on the index of each element, as JAX
 * does: `fn` receives one scalar index per axis (of `dtype`, default
 * `float64`) and is mapped over the grid with `vmap`, so it may be written
 * for scalars.
 *
 * @example
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.fromfunction((i, j) => np.add(np.multiply(i, 10), j), [2, 3]).tolist(), [
 *   [0, 1, 2],
 *   [10, 11, 12],
 * ]);
 * ```
 *
 * @param fn A function of one index per axis.
 * @param shape The shape of the result.
 * @param opts `dtype` of the indices (default `float64`).
 * @returns `fn` evaluated on the grid.
 */
export function fromfunction(
  fn: (...indices: NdArray[]) => NdArray | number,
  shape: ShapeLike,
  opts?: DTypeOptions | DType,
): NdArray {
  const dims = checkShape(typeof shape === "number" ? [shape] : shape);
  checkOptions("fromfunction", opts, ["dtype"]);
  const dtype = optDType("fromfunction", opts) ?? "float64";
  let f = (...xs: NdArray[]): NdArray => asArray(fn(...xs));
  // Map axis i over the i-th argument, innermost last (JAX's construction).
  for (let i = dims.length - 1; i >= 0; i--) {
    const inner = f;
    const inAxes = dims.map((_, j) => (j === i ? 0 : null));
    f = (...xs: NdArray[]) => vmap(inner, { inAxes })(...xs) as NdArray;
  }
  const grids = dims.map((n) => arange(0, n, 1, { dtype }));
  return f(...grids);
}

/**
 * An `n × m` matrix with ones on and below diagonal `k` and zeros above.
 *
 * @example
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.tri(2, 3).tolist(), [[1, 0, 0], [1, 1, 0]]);
 * ```
 *
 * @param n Number of rows.
 * @param m Number of columns (default `n`).
 * @param k The diagonal (positive above the main one).
 * @param opts `dtype` (default `float32`, as JAX).
 * @returns The matrix.
 */
export function tri(
  n: number,
  m?: number | null,
  k = 0,
  opts?: DTypeOptions | DType,
): NdArray {
  const cols = m ?? n;
  const shape = checkShape([n, cols]);
  checkInt("tri", "diagonal k", k);
  // JAX's default for tri is float32 even with x64 enabled.
  checkOptions("tri", opts, ["dtype"]);
  const dtype = optDType("tri", opts) ?? "float32";
  const data = allocate(dtype, sizeOf(shape));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < cols && j <= i + k; j++) data[i * cols + j] = 1;
  }
  return new NdArray(data, shape, dtype);
}

/**
 * A 2-D array with the flattened input on diagonal `k`.
 *
 * @example
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.diagflat([[1, 2]]).tolist(), [[1, 0], [0, 2]]);
 * ```
 *
 * @param v The values (flattened).
 * @param k The diagonal.
 * @returns The square matrix.
 */
export function diagflat(v: ArrayLike, k = 0): NdArray {
  const a = asArray(v);
  return diag(P.reshape(a, [a.size]), k);
}

/** Options of {@linkcode geomspace}. */
export interface GeomspaceOptions extends DTypeOptions {
  /** Whether `stop` is the last sample (default true). */
  endpoint?: boolean;
  /** The axis of the samples in the result, for array endpoints (default 0). */
  axis?: number;
}

/**
 * Numbers spaced evenly on a log scale from `start` to `stop` (a geometric
 * progression; both must be non-zero and of one sign, which the result
 * keeps). Array endpoints broadcast and give one progression each, along
 * `axis`. Differentiable in `start` and `stop`.
 *
 * @example
 * ```ts
 * import { np } from "@nabla/ad";
 * import { equal } from "node:assert/strict";
 *
 * equal(np.allclose(np.geomspace(1, 1000, 4), [1, 10, 100, 1000]), true);
 * ```
 *
 * @param start The first sample.
 * @param stop The last sample (or the end when `endpoint` is false).
 * @param num Number of samples (default 50).
 * @param opts `endpoint`, `dtype`, `axis` (or just `endpoint`).
 * @returns The samples (1-D for scalar endpoints).
 */
export function geomspace(
  start: ArrayLike,
  stop: ArrayLike,
  num = 50,
  opts?: GeomspaceOptions | boolean,
): NdArray {
  // NumPy's positional `endpoint`: geomspace(1, 8, 3, false).
  checkOptions("geomspace", opts, ["endpoint", "dtype", "axis"]);
  const o = typeof opts === "boolean" ? { endpoint: opts } : readOptions("geomspace", opts, false);
  checkInt("geomspace", "number of samples", num);
  if (num < 0) {
    throw new RangeError(`Number of samples for geomspace must be non-negative: got ${num}`);
  }
  const dtype = o.dtype === undefined ? "float64" : checkDType(o.dtype);
  const a0 = asArray(start, dtype), b0 = asArray(stop, dtype);
  // Array endpoints: one progression per element, along a new axis 0 (then moved to `axis`).
  const shape = broadcastShapes(a0.shape, b0.shape);
  const a = P.broadcastTo(a0, shape), b = P.broadcastTo(b0, shape);
  // One sign for both: -|start| ... -|stop| when both are negative.
  const flip = where(
    logicalAnd(less(a, 0), less(b, 0)),
    scalarArray(-1, dtype),
    scalarArray(1, dtype),
  );
  const la = log10(multiply(a, flip)), lb = log10(multiply(b, flip));
  const div = (o.endpoint ?? true) ? num - 1 : num;
  const t0 = div > 0 ? divide(arange(0, num, 1, { dtype }), div) : zeros([num], dtype);
  const t = P.reshape(t0, [num, ...shape.map(() => 1)]);
  const lin = add(la, multiply(t, subtract(lb, la)));
  const out = multiply(flip, power(scalarArray(10, dtype), lin));
  const axis = o.axis ?? 0;
  if (!Number.isInteger(axis) || axis < -out.ndim || axis >= out.ndim) {
    throw new RangeError(
      `Invalid axis ${showValue(axis)} for geomspace with ${out.ndim} result axes`,
    );
  }
  const ax = axis < 0 ? axis + out.ndim : axis;
  if (ax === 0) return out;
  const perm = out.shape.map((_, i) => i).slice(1);
  perm.splice(ax, 0, 0);
  return P.transpose(out, perm);
}

/**
 * The Vandermonde matrix: columns are powers of `x`, decreasing from
 * `x^(n-1)` to `x^0` (increasing with `increasing`).
 *
 * @example
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.vander([2, 3], 3).tolist(), [[4, 2, 1], [9, 3, 1]]);
 * ```
 *
 * @param x A 1-D array.
 * @param n Number of columns (default `len(x)`).
 * @param increasing Powers increase left to right (default false).
 * @returns The `len(x) × n` matrix.
 */
export function vander(x: ArrayLike, n?: number | null, increasing = false): NdArray {
  const a = asArray(x);
  if (a.ndim !== 1) {
    throw new TypeError(`vander needs a 1-D array: got shape ${showShape(a.shape)}`);
  }
  const cols = n ?? a.shape[0];
  checkInt("vander", "number of columns", cols);
  if (cols < 0) {
    throw new RangeError(`Number of columns for vander must be non-negative: got ${cols}`);
  }
  const pows: NdArray[] = [];
  let p = onesLike(a);
  for (let j = 0; j < cols; j++) {
    pows.push(P.reshape(p, [a.shape[0], 1]));
    p = multiply(p, a);
  }
  if (!increasing) pows.reverse();
  if (cols === 0) return zeros([a.shape[0], 0], a.dtype);
  return concatenate(pows, 1);
}
