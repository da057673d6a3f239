/**
 * The `Array` class: a typed-array buffer, a shape and a dtype. Immutable to
 * the user and garbage-collected (no `dispose`). Tracers — the values
 * transformations hand to functions — are subclasses, so every method here
 * works inside `grad`, `jvp` and `vmap` too.
 *
 * The fluent methods (`x.add(y)`, `x.sum()`, ...) forward to the `np`
 * namespace, which installs itself with {@linkcode installArrayMethods} when
 * loaded; this keeps imports flowing one way (array ← core ← numpy).
 *
 * @module
 */

import {
  allocate,
  type DType,
  isComplex,
  isDType,
  isNarrowFloat,
  realPartDType,
  roundBfloat16,
  roundFloat16,
  roundStorage,
  type TypedArray,
} from "./dtype.ts";
import { type Shape, showShape, sizeOf, stridesOf } from "./shape.ts";

/** Anything nabla accepts where NumPy accepts an array-like. */
export type ArrayLike = NdArray | number | boolean | NestedArray;
/** Nested JS arrays of numbers or booleans. */
export type NestedArray = readonly (number | boolean | NestedArray)[];
/** An index for {@linkcode NdArray.get}: an integer, a slice string (`"1:3"`, `"::-1"`, `":"`), `"..."`, `null` (new axis), an integer array or a boolean mask. */
export type Index = number | string | null | NdArray | NestedArray;

/**
 * How indices outside an axis are treated (JAX's `mode`): `"promise_in_bounds"`
 * (the default for reads: out-of-range array indices read the nearest element
 * and send no gradient), `"clip"` (indices are clamped, gradients included),
 * `"fill"` (reads give `fillValue`; updates are dropped) and `"drop"` (the same
 * as `"fill"`). Updates default to `"drop"`. Without a mode, an out-of-range
 * JS number index is an error; with one, it follows the mode.
 */
export type IndexMode = "clip" | "drop" | "fill" | "promise_in_bounds";

/** Options of `x.get`, `x.at(...).get` and the updates: the out-of-bounds mode. */
export interface IndexOptions {
  /** How out-of-range indices are treated. */
  mode?: IndexMode;
  /** The value read at out-of-range indices in `"fill"`/`"drop"` mode (default NaN, the dtype's minimum for int32, true for bool). */
  fillValue?: number | boolean;
}
/**
 * One complex value as JS sees it: `tolist()` and `item()` of a `complex64` or
 * `complex128` array give these plain objects (JS has no complex number; an
 * object with named parts reads better than a `[re, im]` pair, which would be
 * confused with an axis of length 2).
 */
export interface Complex {
  /** The real part. */
  re: number;
  /** The imaginary part. */
  im: number;
}
/** The nested JS value `tolist()` returns. */
export type NestedList = number | boolean | Complex | NestedList[];

/** The updates available on a selection of an array; each returns a new array. */
export interface IndexUpdate {
  /** The selected values (the same as `x.get(...index)`). */
  get(options?: IndexOptions): NdArray;
  /** `x` with the selected elements replaced by `values` (broadcast to the selection). */
  set(values: ArrayLike, options?: IndexOptions): NdArray;
  /** `x` with `values` added to the selected elements; repeated indices accumulate. */
  add(values: ArrayLike, options?: IndexOptions): NdArray;
  /** `x` with the selected elements multiplied by `values`. */
  multiply(values: ArrayLike, options?: IndexOptions): NdArray;
  /** `x` with the selected elements replaced by their minimum with `values`. */
  min(values: ArrayLike, options?: IndexOptions): NdArray;
  /** `x` with the selected elements replaced by their maximum with `values`. */
  max(values: ArrayLike, options?: IndexOptions): NdArray;
}

/** The operations behind the fluent methods, installed by the `np` namespace. */
export interface ArrayMethods {
  add(x: ArrayLike, y: ArrayLike): NdArray;
  subtract(x: ArrayLike, y: ArrayLike): NdArray;
  multiply(x: ArrayLike, y: ArrayLike): NdArray;
  divide(x: ArrayLike, y: ArrayLike): NdArray;
  power(x: ArrayLike, y: ArrayLike): NdArray;
  negative(x: ArrayLike): NdArray;
  sum(
    x: ArrayLike,
    axis?: number | readonly number[] | null,
    opts?: { keepdims?: boolean },
  ): NdArray;
  mean(
    x: ArrayLike,
    axis?: number | readonly number[] | null,
    opts?: { keepdims?: boolean },
  ): NdArray;
  max(
    x: ArrayLike,
    axis?: number | readonly number[] | null,
    opts?: { keepdims?: boolean },
  ): NdArray;
  min(
    x: ArrayLike,
    axis?: number | readonly number[] | null,
    opts?: { keepdims?: boolean },
  ): NdArray;
  reshape(x: ArrayLike, shape: number | readonly number[]): NdArray;
  transpose(x: ArrayLike, axes?: readonly number[]): NdArray;
  astype(x: ArrayLike, dtype: DType): NdArray;
  matmul(x: ArrayLike, y: ArrayLike): NdArray;
  get(x: ArrayLike, ...index: (Index | IndexOptions)[]): NdArray;
  at(x: ArrayLike, ...index: (Index | IndexOptions)[]): IndexUpdate;
  // The methods a jax.Array has, each its np twin (arguments after `x` as np's).
  prod(x: ArrayLike, ...rest: unknown[]): NdArray;
  std(x: ArrayLike, ...rest: unknown[]): NdArray;
  var(x: ArrayLike, ...rest: unknown[]): NdArray;
  argmax(x: ArrayLike, ...rest: unknown[]): NdArray;
  argmin(x: ArrayLike, ...rest: unknown[]): NdArray;
  all(x: ArrayLike, ...rest: unknown[]): NdArray;
  any(x: ArrayLike, ...rest: unknown[]): NdArray;
  cumsum(x: ArrayLike, ...rest: unknown[]): NdArray;
  cumprod(x: ArrayLike, ...rest: unknown[]): NdArray;
  ravel(x: ArrayLike): NdArray;
  squeeze(x: ArrayLike, ...rest: unknown[]): NdArray;
  clip(x: ArrayLike, ...rest: unknown[]): NdArray;
  round(x: ArrayLike, ...rest: unknown[]): NdArray;
  dot(x: ArrayLike, y: ArrayLike): NdArray;
  sort(x: ArrayLike, ...rest: unknown[]): NdArray;
  argsort(x: ArrayLike, ...rest: unknown[]): NdArray;
  diagonal(x: ArrayLike, ...rest: unknown[]): NdArray;
  trace(x: ArrayLike, ...rest: unknown[]): NdArray;
  swapaxes(x: ArrayLike, axis1: number, axis2: number): NdArray;
  repeat(x: ArrayLike, ...rest: unknown[]): NdArray;
  take(x: ArrayLike, ...rest: unknown[]): NdArray;
  conj(x: ArrayLike): NdArray;
  real(x: ArrayLike): NdArray;
  imag(x: ArrayLike): NdArray;
  equal(x: ArrayLike, y: ArrayLike): NdArray;
  notEqual(x: ArrayLike, y: ArrayLike): NdArray;
  less(x: ArrayLike, y: ArrayLike): NdArray;
  lessEqual(x: ArrayLike, y: ArrayLike): NdArray;
  greater(x: ArrayLike, y: ArrayLike): NdArray;
  greaterEqual(x: ArrayLike, y: ArrayLike): NdArray;
  ptp(x: ArrayLike, ...rest: unknown[]): NdArray;
  nonzero(x: ArrayLike, ...rest: unknown[]): NdArray[];
  searchsorted(a: ArrayLike, v: ArrayLike, ...rest: unknown[]): NdArray;
}

/** Bytes per element of each dtype in JAX (nabla may store some wider, e.g. float16 in float32). */
const ITEM_SIZES: Partial<Record<string, number>> = {
  float64: 8,
  float32: 4,
  float16: 2,
  bfloat16: 2,
  int32: 4,
  uint32: 4,
  int16: 2,
  uint16: 2,
  int8: 1,
  uint8: 1,
  bool: 1,
  complex64: 8,
  complex128: 16,
};

/** Axes of a reduction method: one axis, several, or all (`null`/omitted). */
type Axes = number | readonly number[] | null;

let methods: ArrayMethods | null = null;

/** Installs the operations behind the fluent methods (called once by the `np` namespace). */
export function installArrayMethods(m: ArrayMethods): void {
  methods = m;
}

function ops(): ArrayMethods {
  if (methods === null) throw new Error("nabla's np namespace is not loaded: import from mod.ts");
  return methods;
}

let readStorage: (x: NdArray) => TypedArray;

/**
 * The storage of a concrete array for kernels, without copying: small arrays
 * may be views into a shared slab, so it must never reach users (they get
 * {@linkcode NdArray.data}).
 */
export function storageOf(x: NdArray): TypedArray {
  return readStorage(x);
}

/** The shape of every 0-d array: one frozen empty list. */
const NO_AXES: readonly number[] = Object.freeze([]);

/**
 * `shape` frozen, so that no caller can change an array's shape (or, through a
 * shared list, another array's): frozen lists are kept as they are, and 0-d
 * arrays share one empty list, which keeps scalar code as fast as before.
 */
function frozenShape(shape: Shape): readonly number[] {
  if (shape.length === 0) return NO_AXES;
  return Object.isFrozen(shape) ? shape : Object.freeze(shape as number[]);
}

/**
 * An n-dimensional array of `bool`, integer (`int8` … `uint32`), float
 * (`float16`, `bfloat16`, `float32`, `float64`) or complex values.
 * Create one with `np.array`; it is exported from the package as `Array`.
 *
 * @example Properties, conversions and printing
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual, equal } from "node:assert/strict";
 *
 * const x = np.array([[1, 2], [3, 4]]);
 * deepEqual([x.shape, x.dtype, x.ndim, x.size], [[2, 2], "float64", 2, 4]);
 * deepEqual(x.tolist(), [[1, 2], [3, 4]]);
 * equal(x.sum().item(), 10);
 * equal(String(x.get(0)), "Array([1, 2], dtype=float64)");
 * ```
 */
export class NdArray {
  /** Extents of each axis, outermost first. */
  readonly shape: readonly number[];
  /** The element type. */
  readonly dtype: DType;
  /**
   * Row-major storage; `undefined` for tracers, whose value lives elsewhere.
   * Small arrays start as views into a shared slab (see `dtype.ts`); `data`
   * gives the user an owned copy before exposing it.
   */
  private _data: TypedArray | undefined;
  private _weak = false;

  static {
    readStorage = (x) => (x.concrete() as NdArray)._data as TypedArray;
  }

  /**
   * Wraps storage without copying. Prefer `np.array`; this constructor trusts
   * that `data` has `sizeOf(shape)` elements of the storage type of `dtype`.
   *
   * @param data Row-major storage (or `undefined` for a tracer).
   * @param shape The shape.
   * @param dtype The element type.
   */
  constructor(data: TypedArray | undefined, shape: Shape, dtype: DType) {
    // float16/bfloat16 live in a Float32Array: round whatever was stored into representable values.
    if (data !== undefined && isNarrowFloat(dtype)) roundStorage(dtype, data);
    this._data = data;
    this.shape = frozenShape(shape);
    this.dtype = dtype;
  }

  /**
   * Whether the array is *weakly typed* (JAX's `weak_type`): made from a single
   * JS number or boolean (`np.array(2)`, `np.asarray(0.5)`) or computed from
   * weakly typed values only. In promotion a weakly typed array acts as the JS
   * number it came from: it takes the dtype of the strongly typed operand it
   * meets (`np.array(2).mul(np.ones(2, "float32"))` is `float32`). `astype` and
   * arrays from lists, typed arrays or creation functions are strong.
   * Read-only; values inside transformations are strong.
   *
   * @example Weak and strong arrays
   * ```ts
   * import { np } from "@nabla/ad";
   * import { equal } from "node:assert/strict";
   *
   * equal(np.array(2).weakType, true);
   * equal(np.array([2]).weakType, false);
   * equal(np.array(2).mul(np.ones(2, "float32")).dtype, "float32");
   * ```
   */
  get weakType(): boolean {
    return this.weakKind !== null;
  }

  /**
   * The dtype promotion treats this value as a weak value of (see
   * {@linkcode NdArray.weakType}): its own dtype when it is weakly typed,
   * `null` when strong. Subclasses may override it (a traced JS-scalar
   * argument of `jit` is weak though it has no concrete value).
   */
  get weakKind(): DType | null {
    return this._weak ? this.dtype : null;
  }

  /** Number of axes. */
  get ndim(): number {
    return this.shape.length;
  }

  /** Number of elements. */
  get size(): number {
    return sizeOf(this.shape);
  }

  /**
   * The concrete array this value stands for: itself for a concrete array;
   * a tracer returns its primal value or throws when it has none (under `vmap`).
   */
  concrete(): NdArray {
    return this;
  }

  /**
   * The row-major storage of the concrete value, in a buffer of its own (a
   * small array sharing an allocation slab moves to its own buffer on first
   * read, so the typed array can be cloned, posted or transferred safely).
   * Do not mutate it.
   */
  get data(): TypedArray {
    const c = this.concrete() as NdArray;
    let d = c._data as TypedArray;
    if (d.byteLength !== d.buffer.byteLength) {
      d = d.slice();
      c._data = d;
    }
    return d;
  }

  /**
   * The single element as a JS number (a boolean for `bool`, a `{ re, im }`
   * {@linkcode Complex} for complex dtypes); a `TypeError` unless `size` is 1.
   */
  item(): number | boolean | Complex {
    const c = this.concrete();
    if (c.size !== 1) {
      throw new TypeError(
        `Cannot convert an array of shape ${
          showShape(c.shape)
        } to a scalar: item() needs exactly one element, got ${c.size}`,
      );
    }
    const data = (c as NdArray)._data!;
    if (isComplex(c.dtype)) return { re: data[0], im: data[1] };
    const v = data[0];
    return c.dtype === "bool" ? v !== 0 : v;
  }

  /** Nested JS arrays of the values (a number or boolean for a 0-d array). */
  tolist(): NestedList {
    const c = this.concrete();
    const data = (c as NdArray)._data!;
    const isBool = c.dtype === "bool";
    const complex = isComplex(c.dtype);
    const shape = c.shape;
    let pos = 0;
    const build = (axis: number): NestedList => {
      if (axis === shape.length) {
        if (complex) {
          const z = { re: data[pos], im: data[pos + 1] };
          pos += 2;
          return z;
        }
        const v = data[pos++];
        return isBool ? v !== 0 : v;
      }
      const out: NestedList[] = [];
      for (let i = 0; i < shape[axis]; i++) out.push(build(axis + 1));
      return out;
    };
    return build(0);
  }

  /** The same values converted to `dtype` (a copy unless the dtype is unchanged). */
  astype(dtype: DType): NdArray {
    return ops().astype(this, dtype);
  }

  /** `this + y`, broadcasting. */
  add(y: ArrayLike): NdArray {
    return ops().add(this, y);
  }
  /** `this - y`, broadcasting. */
  sub(y: ArrayLike): NdArray {
    return ops().subtract(this, y);
  }
  /** `this * y`, broadcasting. */
  mul(y: ArrayLike): NdArray {
    return ops().multiply(this, y);
  }
  /** `this / y` (true division), broadcasting. */
  div(y: ArrayLike): NdArray {
    return ops().divide(this, y);
  }
  /** `this ** y`, broadcasting. */
  pow(y: ArrayLike): NdArray {
    return ops().power(this, y);
  }
  /** `-this`. */
  neg(): NdArray {
    return ops().negative(this);
  }
  /** Matrix product `this @ y`. */
  matmul(y: ArrayLike): NdArray {
    return ops().matmul(this, y);
  }
  /** Sum over `axis` (all axes by default). */
  sum(axis?: number | readonly number[] | null, opts?: { keepdims?: boolean }): NdArray {
    return ops().sum(this, axis, opts);
  }
  /** Mean over `axis` (all axes by default). */
  mean(axis?: number | readonly number[] | null, opts?: { keepdims?: boolean }): NdArray {
    return ops().mean(this, axis, opts);
  }
  /** Maximum over `axis` (all axes by default). */
  max(axis?: number | readonly number[] | null, opts?: { keepdims?: boolean }): NdArray {
    return ops().max(this, axis, opts);
  }
  /** Minimum over `axis` (all axes by default). */
  min(axis?: number | readonly number[] | null, opts?: { keepdims?: boolean }): NdArray {
    return ops().min(this, axis, opts);
  }
  /**
   * The same values with a new shape (one entry may be -1); as in NumPy the
   * extents may also be given one by one: `x.reshape(2, 3)`.
   */
  reshape(shape: number | readonly number[], ...more: number[]): NdArray {
    return ops().reshape(this, more.length > 0 ? [shape as number, ...more] : shape);
  }
  /**
   * Permutes the axes (reverses them by default); as in NumPy the axes may
   * also be given one by one: `x.transpose(1, 0)`.
   */
  transpose(axes?: number | readonly number[], ...more: number[]): NdArray {
    return ops().transpose(this, typeof axes === "number" ? [axes, ...more] : axes);
  }
  /** The transpose (axes reversed). */
  get T(): NdArray {
    return ops().transpose(this);
  }

  // -------------------------------------------------------------------------
  // The rest of jax.Array's methods: each calls its `np` twin.

  /** Bytes per element as JAX counts them (`8` for `float64`, `2` for `float16`, `16` for `complex128`, `1` for `bool`). */
  get itemsize(): number {
    const size = ITEM_SIZES[this.dtype];
    if (size !== undefined) return size;
    const t = allocate(this.dtype, 1);
    return t.BYTES_PER_ELEMENT * t.length;
  }
  /** Bytes of all elements: `size * itemsize`. */
  get nbytes(): number {
    return this.size * this.itemsize;
  }
  /** The real part (`np.real`; the array itself when real). */
  get real(): NdArray {
    return ops().real(this);
  }
  /** The imaginary part (`np.imag`; zeros when real). */
  get imag(): NdArray {
    return ops().imag(this);
  }
  /** The complex conjugate (`np.conj`). */
  conj(): NdArray {
    return ops().conj(this);
  }
  /** The complex conjugate (`np.conjugate`). */
  conjugate(): NdArray {
    return ops().conj(this);
  }
  /** Product over `axis` (`np.prod`). */
  prod(axis?: Axes, opts?: { keepdims?: boolean; dtype?: DType }): NdArray {
    return ops().prod(this, axis, opts);
  }
  /** Standard deviation over `axis` (`np.std`). */
  std(axis?: Axes, opts?: { ddof?: number; keepdims?: boolean; dtype?: DType }): NdArray {
    return ops().std(this, axis, opts);
  }
  /** Variance over `axis` (`np.var`). */
  var(axis?: Axes, opts?: { ddof?: number; keepdims?: boolean; dtype?: DType }): NdArray {
    return ops().var(this, axis, opts);
  }
  /** Index of the maximum along `axis` (of the flattened array by default; `np.argmax`). */
  argmax(axis?: number | null, opts?: { keepdims?: boolean }): NdArray {
    return ops().argmax(this, axis, opts);
  }
  /** Index of the minimum along `axis` (`np.argmin`). */
  argmin(axis?: number | null, opts?: { keepdims?: boolean }): NdArray {
    return ops().argmin(this, axis, opts);
  }
  /** Whether all elements along `axis` are true (`np.all`). */
  all(axis?: Axes, opts?: { keepdims?: boolean }): NdArray {
    return ops().all(this, axis, opts);
  }
  /** Whether any element along `axis` is true (`np.any`). */
  any(axis?: Axes, opts?: { keepdims?: boolean }): NdArray {
    return ops().any(this, axis, opts);
  }
  /** Cumulative sum along `axis` (flattened by default; `np.cumsum`). */
  cumsum(axis?: number | null, opts?: { dtype?: DType }): NdArray {
    return ops().cumsum(this, axis, opts);
  }
  /** Cumulative product along `axis` (flattened by default; `np.cumprod`). */
  cumprod(axis?: number | null, opts?: { dtype?: DType }): NdArray {
    return ops().cumprod(this, axis, opts);
  }
  /** The elements as a 1-D array (`np.ravel`). */
  flatten(): NdArray {
    return ops().ravel(this);
  }
  /** The elements as a 1-D array (`np.ravel`). */
  ravel(): NdArray {
    return ops().ravel(this);
  }
  /** Removes axes of length 1 (all, or the given ones; `np.squeeze`). */
  squeeze(axis?: Axes): NdArray {
    return ops().squeeze(this, axis);
  }
  /** Limits the values to `[min, max]` (`np.clip`). */
  clip(min?: ArrayLike | null, max?: ArrayLike | null): NdArray {
    return ops().clip(this, min, max);
  }
  /** Rounds to `decimals` places, halves to even (`np.round`). */
  round(decimals?: number): NdArray {
    return ops().round(this, decimals);
  }
  /** The dot product `np.dot(this, y)`. */
  dot(y: ArrayLike): NdArray {
    return ops().dot(this, y);
  }
  /** Sorted copy along `axis` (default -1; `np.sort`). */
  sort(axis?: number | null, opts?: { descending?: boolean }): NdArray {
    return ops().sort(this, axis, opts);
  }
  /** Sorting indices along `axis` (default -1; `np.argsort`). */
  argsort(axis?: number | null, opts?: { descending?: boolean }): NdArray {
    return ops().argsort(this, axis, opts);
  }
  /** The diagonal with `offset` of the planes of `axis1`, `axis2` (`np.diagonal`). */
  diagonal(offset?: number, axis1?: number, axis2?: number): NdArray {
    return ops().diagonal(this, offset, axis1, axis2);
  }
  /** Sum of the diagonal with `offset` (`np.trace`). */
  trace(offset?: number, axis1?: number, axis2?: number): NdArray {
    return ops().trace(this, offset, axis1, axis2);
  }
  /** Exchanges two axes (`np.swapaxes`). */
  swapaxes(axis1: number, axis2: number): NdArray {
    return ops().swapaxes(this, axis1, axis2);
  }
  /** Repeats each element (`np.repeat`). */
  repeat(repeats: number | readonly number[], axis?: number | null): NdArray {
    return ops().repeat(this, repeats, axis);
  }
  /** Gathers at `indices` along `axis` (flattened by default; `np.take`). */
  take(indices: ArrayLike, axis?: number | null): NdArray {
    return ops().take(this, indices, axis);
  }
  /** Peak to peak (max - min) over `axis` (`np.ptp`). */
  ptp(axis?: Axes, opts?: { keepdims?: boolean }): NdArray {
    return ops().ptp(this, axis, opts);
  }
  /** Indices of the non-zero elements, one array per axis (`np.nonzero`; `size` when traced). */
  nonzero(opts?: { size?: number | null; fillValue?: number | null }): NdArray[] {
    return ops().nonzero(this, opts);
  }
  /** Where `v` would be inserted into this sorted 1-D array (`np.searchsorted`). */
  searchsorted(
    v: ArrayLike,
    opts?: { side?: "left" | "right"; sorter?: ArrayLike | null },
  ): NdArray {
    return ops().searchsorted(this, v, opts);
  }
  /** The same values (arrays are immutable, so no data is copied). */
  copy(): NdArray {
    return this;
  }
  /** The transpose of the last two axes (`swapaxes(-1, -2)`, JAX's `x.mT`). */
  get mT(): NdArray {
    return ops().swapaxes(this, -1, -2);
  }
  /** `this == y` elementwise (`np.equal`). */
  equal(y: ArrayLike): NdArray {
    return ops().equal(this, y);
  }
  /** `this != y` elementwise (`np.notEqual`). */
  notEqual(y: ArrayLike): NdArray {
    return ops().notEqual(this, y);
  }
  /** `this < y` elementwise (`np.less`). */
  less(y: ArrayLike): NdArray {
    return ops().less(this, y);
  }
  /** `this <= y` elementwise (`np.lessEqual`). */
  lessEqual(y: ArrayLike): NdArray {
    return ops().lessEqual(this, y);
  }
  /** `this > y` elementwise (`np.greater`). */
  greater(y: ArrayLike): NdArray {
    return ops().greater(this, y);
  }
  /** `this >= y` elementwise (`np.greaterEqual`). */
  greaterEqual(y: ArrayLike): NdArray {
    return ops().greaterEqual(this, y);
  }

  /**
   * Iterates over the first axis: `for (const row of x)` gives `x.get(0)`,
   * `x.get(1)`, ... (a `TypeError` for a 0-d array, as JAX).
   *
   * @example Rows of a matrix
   * ```ts
   * import { np } from "@nabla/ad";
   * import { deepEqual } from "node:assert/strict";
   *
   * const rows = [...np.array([[1, 2], [3, 4]])].map((r) => r.tolist());
   * deepEqual(rows, [[1, 2], [3, 4]]);
   * ```
   *
   * @returns An iterator over the sub-arrays.
   */
  *[Symbol.iterator](): Iterator<NdArray> {
    if (this.ndim === 0) throw new TypeError("iteration over a 0-d array");
    const n = this.shape[0];
    for (let i = 0; i < n; i++) yield ops().get(this, i);
  }

  /**
   * NumPy-style indexing and slicing. Each index is an integer (negative
   * counts from the end; removes the axis), a slice string `"start:stop:step"`
   * (`":"`, `"1:"`, `"::-1"`, ...), `"..."` (all remaining axes), `null` (a new
   * axis of length 1), an integer array (gathers along that axis; several are
   * broadcast together, as NumPy's advanced indexing), or a boolean mask
   * (selects where it is true; its values must be concrete).
   *
   * `x.get(0)` is NumPy's `x[0]`, `x.get(":", "1:3")` is `x[:, 1:3]`,
   * `x.get("...", null)` is `x[..., None]`, `x.get([2, 0])` is `x[[2, 0]]`.
   *
   * @example Rows, columns and reversal
   * ```ts
   * import { np } from "@nabla/ad";
   * import { deepEqual } from "node:assert/strict";
   *
   * const x = np.arange(6).reshape([2, 3]);
   * deepEqual(x.get(1).tolist(), [3, 4, 5]);
   * deepEqual(x.get(":", "::-1").tolist(), [[2, 1, 0], [5, 4, 3]]);
   * deepEqual(x.get(":", [2, 0]).tolist(), [[2, 0], [5, 3]]);
   * ```
   *
   * @param index One index per axis (fewer are padded with `":"`), optionally
   *   followed by {@linkcode IndexOptions} (`{ mode: "fill", fillValue: 0 }`).
   * @returns The selected values (a view-free copy).
   */
  get(...index: (Index | IndexOptions)[]): NdArray {
    return ops().get(this, ...index);
  }

  /**
   * Functional updates of a selection (JAX's `x.at[index]`): `x.at(0, ":").set(v)`,
   * `.add(v)`, `.multiply(v)`, `.min(v)`, `.max(v)`, `.get()`. Each returns a new
   * array; indices are those of {@linkcode NdArray.get}.
   *
   * @example Setting a row
   * ```ts
   * import { np } from "@nabla/ad";
   * import { deepEqual } from "node:assert/strict";
   *
   * deepEqual(np.zeros([2, 2]).at(1).set([3, 4]).tolist(), [[0, 0], [3, 4]]);
   * ```
   *
   * @param index The selection.
   * @returns The update operations on it.
   */
  at(...index: (Index | IndexOptions)[]): IndexUpdate {
    return ops().at(this, ...index);
  }

  /** JAX-style text: `Array([1, 2], dtype=float64)`. */
  toString(): string {
    return formatArray(this.concrete());
  }

  /** Deno's console inspection. */
  [Symbol.for("Deno.customInspect")](): string {
    return this.toString();
  }

  /** Node's and Bun's console inspection. */
  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return this.toString();
  }

  /**
   * Rich display for Deno's Jupyter kernel: a cell that ends in an array
   * shows a table (1-D and 2-D arrays) or the JAX-style text (other ranks,
   * and tracers, whose text names them).
   *
   * @example The MIME bundle of a matrix
   * ```ts
   * import { np } from "@nabla/ad";
   * import { equal, ok } from "node:assert/strict";
   *
   * // Jupyter calls this method; a test can call it too.
   * type Displayable = Record<symbol, () => Record<string, string>>;
   * const x = np.eye(2) as unknown as Displayable;
   * const bundle = x[Symbol.for("Jupyter.display")]();
   * equal(bundle["text/plain"], "Array([[1, 0],\n       [0, 1]], dtype=float64)");
   * ok(bundle["text/html"].startsWith("<table"));
   * ```
   *
   * @returns A MIME bundle with `text/plain` and `text/html` entries.
   */
  [Symbol.for("Jupyter.display")](): { "text/plain": string; "text/html": string } {
    const text = this.toString();
    // Tracers (no storage of their own) show their text, which names them.
    const table = this._data !== undefined && (this.ndim === 1 || this.ndim === 2);
    const html = table ? formatHtmlTable(this) : `<pre>${escapeHtml(text)}</pre>`;
    return { "text/plain": text, "text/html": html };
  }
}

/**
 * Marks a concrete array as weakly typed (see {@linkcode NdArray.weakType});
 * only code that makes an array from a JS scalar, or from weakly typed
 * operands only, calls it. Returns `x`.
 */
export function markWeak(x: NdArray): NdArray {
  (x as unknown as { _weak: boolean })._weak = true;
  return x;
}

/** Allocates a zero-filled concrete array. */
export function zerosOf(shape: Shape, dtype: DType): NdArray {
  return new NdArray(allocate(dtype, sizeOf(shape)), shape, dtype);
}

function formatNumber(v: number, dtype: DType): string {
  if (dtype === "bool") return v !== 0 ? "true" : "false";
  if (Number.isNaN(v)) return "nan";
  if (v === Infinity) return "inf";
  if (v === -Infinity) return "-inf";
  // The shortest decimal that reads back as the same value of the dtype (JAX's repr).
  const narrow = dtype === "float32"
    ? Math.fround
    : dtype === "float16"
    ? roundFloat16
    : dtype === "bfloat16"
    ? roundBfloat16
    : null;
  if (narrow !== null) {
    for (let p = 1; p <= 9; p++) {
      const s = v.toPrecision(p);
      if (narrow(Number(s)) === v) return String(Number(s));
    }
  }
  return String(v);
}

/**
 * A complex element as JAX prints it, with nabla's number style: `1+2j`,
 * `0.5-0j`, `nan+infj` (the sign of a zero imaginary part shows, as NumPy's).
 */
function formatComplex(re: number, im: number, dtype: DType): string {
  const part = isComplex(dtype) ? realPartDType(dtype) : "float64";
  const negative = im < 0 || Object.is(im, -0);
  const sign = negative ? "-" : "+";
  return `${formatNumber(re, part)}${sign}${formatNumber(negative ? -im : im, part)}j`;
}

/** The text of element `i` (in elements, not storage slots) of `data`. */
function formatElement(data: TypedArray, i: number, dtype: DType): string {
  return isComplex(dtype)
    ? formatComplex(data[2 * i], data[2 * i + 1], dtype)
    : formatNumber(data[i], dtype);
}

const SUMMARY_THRESHOLD = 1000;
const EDGE = 3;

/** Formats a concrete array the way JAX prints it. */
export function formatArray(x: NdArray): string {
  const data = storageOf(x);
  const shape = x.shape;
  const summarise = x.size > SUMMARY_THRESHOLD;
  const strides = stridesOf(shape);
  // Format every shown element first to right-align them.
  const shown: string[] = [];
  const visit = (axis: number, offset: number): void => {
    if (axis === shape.length) {
      shown.push(formatElement(data, offset, x.dtype));
      return;
    }
    const n = shape[axis];
    for (let i = 0; i < n; i++) {
      if (summarise && n > 2 * EDGE && i === EDGE) i = n - EDGE;
      visit(axis + 1, offset + i * strides[axis]);
    }
  };
  visit(0, 0);
  const width = shown.reduce((w, t) => Math.max(w, t.length), 0);
  let k = 0;
  const prefix = "Array(";
  const render = (axis: number, indent: string): string => {
    if (axis === shape.length) return shown[k++].padStart(width);
    const n = shape[axis];
    const parts: string[] = [];
    for (let i = 0; i < n; i++) {
      if (summarise && n > 2 * EDGE && i === EDGE) {
        parts.push("...");
        i = n - EDGE;
      }
      parts.push(render(axis + 1, indent + " "));
    }
    const sep = axis === shape.length - 1 ? ", " : ",\n" + "\n".repeat(shape.length - axis - 2) +
      indent + " ";
    return "[" + parts.join(sep) + "]";
  };
  const body = shape.length === 0 ? shown[0] : render(0, " ".repeat(prefix.length));
  return `${prefix}${body}, dtype=${x.dtype})`;
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

const HTML_EDGE = 8;

/** The indices of an axis to show in a table: all, or both edges around an ellipsis (-1). */
function shownIndices(n: number): number[] {
  if (n <= 2 * HTML_EDGE + 1) return globalThis.Array.from({ length: n }, (_, i) => i);
  const head = globalThis.Array.from({ length: HTML_EDGE }, (_, i) => i);
  const tail = globalThis.Array.from({ length: HTML_EDGE }, (_, i) => n - HTML_EDGE + i);
  return [...head, -1, ...tail];
}

/** An HTML table of a concrete 1-D or 2-D array, long axes elided in the middle. */
function formatHtmlTable(x: NdArray): string {
  const data = storageOf(x);
  const [rows, cols] = x.ndim === 1 ? [1, x.shape[0]] : [x.shape[0], x.shape[1]];
  const rowIdx = x.ndim === 1 ? [0] : shownIndices(rows);
  const colIdx = shownIndices(cols);
  const th = (i: number) => `<th>${i < 0 ? "…" : i}</th>`;
  const cell = (r: number, c: number) =>
    r < 0 || c < 0
      ? "<td>…</td>"
      : `<td style="text-align:right">${formatElement(data, r * cols + c, x.dtype)}</td>`;
  const head = `<tr>${x.ndim === 2 ? "<th></th>" : ""}${colIdx.map(th).join("")}</tr>`;
  const body = rowIdx.map((r) =>
    `<tr>${x.ndim === 2 ? th(r) : ""}${colIdx.map((c) => cell(r, c)).join("")}</tr>`
  );
  const caption = `<caption>Array shape=(${x.shape.join(", ")}${
    x.ndim === 1 ? "," : ""
  }) dtype=${x.dtype}</caption>`;
  return `<table>${caption}<thead>${head}</thead><tbody>${body.join("")}</tbody></table>`;
}

/**
 * The mark every copy of nabla puts on its arrays (a registered symbol, so two
 * copies — two versions, or the JSR and npm packages in one program — agree).
 */
const BRAND: unique symbol = Symbol.for("@nabla/ad/array") as never;
Object.defineProperty(NdArray.prototype, BRAND, { value: true });

/**
 * An array made by another copy of nabla, copied into one of this copy's; a
 * value traced by the other copy is refused with a message that says why.
 * `undefined` when `x` is not such an array.
 */
export function fromForeignArray(x: unknown): NdArray | undefined {
  if (typeof x !== "object" || x === null || x instanceof NdArray) return undefined;
  const o = x as Record<PropertyKey, unknown>;
  const branded = o[BRAND] === true;
  const duck = globalThis.Array.isArray(o.shape) && typeof o.dtype === "string" &&
    typeof o.tolist === "function" && typeof o.item === "function";
  if (!branded && !duck) return undefined;
  const handler = o.handler as { name?: unknown } | undefined;
  if (handler !== undefined) {
    throw new TypeError(
      `A value traced by ${
        String(handler.name)
      } of another copy of nabla reached this one: two copies of the library are loaded (two versions, or the JSR and npm packages), and the transformations of one cannot see the other's values. Import nabla from one place`,
    );
  }
  const shape = o.shape as number[], dtype = o.dtype;
  const data = o.data as TypedArray;
  if (!isDType(dtype)) {
    throw new TypeError(
      `An array of another copy of nabla has dtype ${
        JSON.stringify(dtype)
      }, which this copy does not know`,
    );
  }
  const out = allocate(dtype, sizeOf(shape));
  if (!ArrayBuffer.isView(data) || data.length !== out.length) {
    throw new TypeError(
      `An array of another copy of nabla (${dtype}${
        showShape(shape)
      }) has storage this copy cannot read`,
    );
  }
  out.set(data as never);
  return new NdArray(out, shape.slice(), dtype);
}
