/**
 * The structural operations of JAX's `lax.py`, built on primitives:
 * `select`, `pad`, `dotGeneral`, `broadcastInDim`, `sort`, `topK` and
 * `reduce`. Each is differentiable and batches under `vmap` through the
 * primitives it binds.
 *
 * @module
 */

import { checkOptions } from "../core/options.ts";
import { type ArrayLike, NdArray } from "../array/array.ts";
import { type DType, promoteTypes, scalarDType } from "../array/dtype.ts";
import { normalizeAxis, shapesEqual, showShape, showValue } from "../array/shape.ts";
import { filled, scalar } from "../array/create.ts";
import * as P from "../primitives/structural.ts";
import { moveAxis } from "../primitives/rules.ts";
import { convert, gt, select as selectPrim, sub as subPrim } from "../primitives/elementwise.ts";
import { dotGeneralP } from "../primitives/products.ts";
import { argsortP } from "../primitives/sort.ts";
import { bind } from "../core/handler.ts";

function arr(x: ArrayLike, name: string): NdArray {
  if (x instanceof NdArray) return x;
  if (typeof x === "number" || typeof x === "boolean") return scalar(Number(x), scalarDType(x));
  throw new TypeError(`${name} needs arrays: got ${showValue(x)}`);
}

/**
 * `pred ? onTrue : onFalse` elementwise (JAX's `lax.select`): `pred` is a
 * `bool` array of the operands' shape (or a scalar); the operands have one
 * shape and dtype. No broadcasting or promotion, as in JAX.
 *
 * @example
 * ```ts
 * import { lax, np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(lax.select(np.array([true, false]), np.array([1, 2]), np.array([3, 4])).tolist(), [1, 4]);
 * ```
 *
 * @param pred The condition.
 * @param onTrue Values where it holds.
 * @param onFalse Values where it does not.
 * @returns The selected values.
 */
export function select(pred: ArrayLike, onTrue: ArrayLike, onFalse: ArrayLike): NdArray {
  const p = arr(pred, "select"), a = arr(onTrue, "select"), b = arr(onFalse, "select");
  if (p.dtype !== "bool") {
    throw new TypeError(`select needs a bool predicate: got dtype ${p.dtype}`);
  }
  if (!shapesEqual(a.shape, b.shape) || a.dtype !== b.dtype) {
    throw new TypeError(
      `select needs operands of one shape and dtype: got ${a.dtype}${
        showShape(a.shape)
      } and ${b.dtype}${showShape(b.shape)}`,
    );
  }
  if (p.ndim !== 0 && !shapesEqual(p.shape, a.shape)) {
    throw new TypeError(
      `select needs a scalar predicate or one of shape ${showShape(a.shape)}: got ${
        showShape(p.shape)
      }`,
    );
  }
  return selectPrim(P.broadcastTo(p, a.shape), a, b);
}

/**
 * Pads with `paddingValue` (JAX's `lax.pad`): `paddingConfig` gives
 * `[low, high, interior]` per axis; negative `low`/`high` remove elements.
 * Differentiable in the operand and the padding value.
 *
 * @example
 * ```ts
 * import { lax, np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(lax.pad(np.array([1, 2]), 0, [[1, 2, 1]]).tolist(), [0, 1, 0, 2, 0, 0]);
 * ```
 *
 * @param operand The array.
 * @param paddingValue A scalar of the operand's dtype.
 * @param paddingConfig `[low, high, interior]` for each axis.
 * @returns The padded array.
 */
export function pad(
  operand: ArrayLike,
  paddingValue: ArrayLike,
  paddingConfig: readonly (readonly [number, number, number])[],
): NdArray {
  const x = arr(operand, "pad");
  let v = arr(paddingValue, "pad");
  if (v.ndim !== 0) {
    throw new TypeError(`pad needs a scalar padding value: got shape ${showShape(v.shape)}`);
  }
  if (typeof paddingValue === "number" || typeof paddingValue === "boolean") {
    v = convert(v, x.dtype);
  }
  if (v.dtype !== x.dtype) {
    throw new TypeError(
      `pad needs a padding value of the operand's dtype ${x.dtype}: got ${v.dtype}`,
    );
  }
  if (paddingConfig.length !== x.ndim) {
    throw new TypeError(
      `pad needs one [low, high, interior] per axis: got ${paddingConfig.length} for rank ${x.ndim}`,
    );
  }
  for (const c of paddingConfig) {
    if (c.length !== 3 || !c.every(Number.isInteger) || c[2] < 0) {
      throw new TypeError(
        `Invalid padding config ${showValue(c)}: expected integers [low, high, interior >= 0]`,
      );
    }
  }
  const params = {
    lo: paddingConfig.map((c) => Math.max(c[0], 0)),
    hi: paddingConfig.map((c) => Math.max(c[1], 0)),
    interior: paddingConfig.map((c) => c[2]),
  };
  let padded = P.pad(x, params);
  let mask = P.pad(filled(x.shape, 1, "int32"), params);
  const starts = paddingConfig.map((c) => Math.max(-c[0], 0));
  const limits = padded.shape.map((n, i) => n - Math.max(-paddingConfig[i][1], 0));
  if (limits.some((l, i) => l < starts[i])) {
    throw new RangeError(
      `Padding config ${showValue(paddingConfig)} removes more than the padded extent of ${
        showShape(x.shape)
      }`,
    );
  }
  if (starts.some((s) => s > 0) || limits.some((l, i) => l < padded.shape[i])) {
    const strides = padded.shape.map(() => 1);
    padded = P.slice(padded, { starts, limits, strides });
    mask = P.slice(mask, { starts, limits, strides });
  }
  return selectPrim(gt(mask, scalar(0, "int32")), padded, P.broadcastTo(v, padded.shape));
}

/** JAX's `dimension_numbers` of `dot_general`: `[[lhsContract, rhsContract], [lhsBatch, rhsBatch]]`. */
export type DotDimensionNumbers = readonly [
  readonly [readonly number[], readonly number[]],
  readonly [readonly number[], readonly number[]],
];

/**
 * The general tensor contraction (JAX's `lax.dot_general`): contracts the
 * paired axes, keeps the paired batch axes; the result's axes are the batch
 * axes, then `lhs`'s free axes, then `rhs`'s. Operands are promoted to a
 * common dtype (or `preferredElementType`).
 *
 * @example
 * ```ts
 * import { lax, np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * const a = np.array([[1, 2], [3, 4]]);
 * deepEqual(lax.dotGeneral(a, a, [[[1], [0]], [[], []]]).tolist(), np.matmul(a, a).tolist());
 * ```
 *
 * @param lhs The left operand.
 * @param rhs The right operand.
 * @param dimensionNumbers `[[lhsContract, rhsContract], [lhsBatch, rhsBatch]]`.
 * @param options `preferredElementType`.
 * @returns The contraction.
 */
export function dotGeneral(
  lhs: ArrayLike,
  rhs: ArrayLike,
  dimensionNumbers: DotDimensionNumbers,
  options?: { preferredElementType?: DType | null },
): NdArray {
  checkOptions("lax.dotGeneral", options, ["preferredElementType"]);
  let l = arr(lhs, "dotGeneral"), r = arr(rhs, "dotGeneral");
  const dt = options?.preferredElementType ?? promoteTypes([l.dtype, r.dtype]);
  l = convert(l, dt);
  r = convert(r, dt);
  const [[lc, rc], [lb, rb]] = dimensionNumbers;
  const norm = (axes: readonly number[], rank: number) => axes.map((a) => normalizeAxis(a, rank));
  if (lc.length !== rc.length || lb.length !== rb.length) {
    throw new TypeError(`dotGeneral needs paired axes: got ${showValue(dimensionNumbers)}`);
  }
  return bind(dotGeneralP, [l, r], {
    lhsContract: norm(lc, l.ndim),
    rhsContract: norm(rc, r.ndim),
    lhsBatch: norm(lb, l.ndim),
    rhsBatch: norm(rb, r.ndim),
  });
}

/**
 * Broadcasts `operand` to `shape`, its axis `i` becoming axis
 * `broadcastDimensions[i]` of the result (JAX's `lax.broadcast_in_dim`).
 *
 * @example
 * ```ts
 * import { lax, np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(lax.broadcastInDim(np.array([1, 2]), [2, 3], [0]).tolist(), [[1, 1, 1], [2, 2, 2]]);
 * ```
 *
 * @param operand The array.
 * @param shape The result's shape.
 * @param broadcastDimensions For each operand axis, its (increasing) position in `shape`.
 * @returns The broadcast array.
 */
export function broadcastInDim(
  operand: ArrayLike,
  shape: readonly number[],
  broadcastDimensions: readonly number[],
): NdArray {
  const x = arr(operand, "broadcastInDim");
  if (broadcastDimensions.length !== x.ndim) {
    throw new TypeError(
      `broadcastInDim needs one dimension per operand axis: got ${
        showValue(broadcastDimensions)
      } for shape ${showShape(x.shape)}`,
    );
  }
  const inter = shape.map(() => 1);
  broadcastDimensions.forEach((d, i) => {
    if (
      !Number.isInteger(d) || d < 0 || d >= shape.length ||
      (i > 0 && d <= broadcastDimensions[i - 1])
    ) {
      throw new TypeError(
        `broadcastInDim dimensions must be increasing axes of the result: got ${
          showValue(broadcastDimensions)
        }`,
      );
    }
    if (x.shape[i] !== 1 && x.shape[i] !== shape[d]) {
      throw new TypeError(
        `broadcastInDim: operand axis ${i} of size ${x.shape[i]} cannot become axis ${d} of size ${
          shape[d]
        }`,
      );
    }
    inter[d] = x.shape[i];
  });
  return P.broadcastTo(P.reshape(x, inter), shape);
}

function argsortEnd(x: NdArray): NdArray {
  return bind(argsortP, [x], { unsigned: false });
}

/**
 * Sorts along `dimension` (JAX's `lax.sort`, stable, NaN last). Given a
 * list of operands of one shape, sorts them all by the first `numKeys`
 * (lexicographically) and returns the list.
 *
 * @example
 * ```ts
 * import { lax, np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(lax.sort(np.array([3, 1, 2])).tolist(), [1, 2, 3]);
 * const [k, v] = lax.sort([np.array([2, 1]), np.array([10, 20])]);
 * deepEqual([k.tolist(), v.tolist()], [[1, 2], [20, 10]]);
 * ```
 *
 * @param operand An array, or a list of arrays of one shape.
 * @param opts `dimension` (default -1), `numKeys` (default 1), `isStable` (always
 *   stable); or, positionally, the dimension.
 * @param isStable Accepted for JAX compatibility (positional form).
 * @param nKeys The number of keys (positional form).
 * @returns The sorted array (or list).
 */
export function sort(operand: NdArray, options?: SortOptions | number): NdArray;
export function sort(
  operand: readonly NdArray[],
  options?: SortOptions | number,
  isStable?: boolean,
  numKeys?: number,
): NdArray[];
export function sort(
  operand: NdArray | readonly NdArray[],
  opts: SortOptions | number = {},
  isStable?: boolean,
  nKeys?: number,
): NdArray | NdArray[] {
  // JAX's positional form: sort(operand, dimension, is_stable, num_keys).
  checkOptions("lax.sort", opts, ["dimension", "isStable", "numKeys"]);
  const options: SortOptions = typeof opts === "number"
    ? { dimension: opts, isStable, numKeys: nKeys }
    : opts;
  const list = operand instanceof NdArray ? [operand] : [...operand];
  if (list.length === 0) throw new TypeError("lax.sort needs at least one operand");
  const shape = list[0].shape;
  for (const o of list) {
    if (!shapesEqual(o.shape, shape)) {
      throw new TypeError(
        `lax.sort operands must share one shape: got ${showShape(shape)} and ${showShape(o.shape)}`,
      );
    }
  }
  if (shape.length === 0) throw new TypeError("lax.sort needs operands of rank >= 1");
  const dim = normalizeAxis(options.dimension ?? -1, shape.length);
  const numKeys = options.numKeys ?? 1;
  if (!Number.isInteger(numKeys) || numKeys < 1 || numKeys > list.length) {
    throw new TypeError(
      `Invalid numKeys for lax.sort: expected 1..${list.length}, got ${showValue(numKeys)}`,
    );
  }
  const moved = list.map((o) => moveAxis(o, dim, o.ndim - 1));
  // Stable sorts from the last key to the first give the lexicographic order.
  let perm = argsortEnd(moved[numKeys - 1]);
  for (let k = numKeys - 2; k >= 0; k--) {
    perm = P.takeAlongLast(perm, argsortEnd(P.takeAlongLast(moved[k], perm)));
  }
  const out = moved.map((o) => {
    const g = P.takeAlongLast(o, perm);
    return moveAxis(g, g.ndim - 1, dim);
  });
  return operand instanceof NdArray ? out[0] : out;
}

/** Options of {@linkcode sort}. */
export interface SortOptions {
  /** The axis to sort along (default -1). */
  dimension?: number;
  /** Sorting is always stable; accepted for JAX compatibility. */
  isStable?: boolean;
  /** How many leading operands are keys (default 1). */
  numKeys?: number;
}

/**
 * The `k` largest entries along `axis` (default the last) and their int32
 * indices, largest first; ties keep the lower index first (JAX's
 * `lax.top_k`). Differentiable in the values.
 *
 * @example
 * ```ts
 * import { lax, np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * const [v, i] = lax.topK(np.array([1, 5, 3, 5]), 2);
 * deepEqual([v.tolist(), i.tolist()], [[5, 5], [1, 3]]);
 * ```
 *
 * @param operand The array.
 * @param k How many.
 * @param options `axis`.
 * @returns `[values, indices]`.
 */
export function topK(
  operand: ArrayLike,
  k: number,
  options?: { axis?: number },
): [NdArray, NdArray] {
  checkOptions("lax.topK", options, ["axis"]);
  const x = arr(operand, "topK");
  if (x.ndim === 0) throw new TypeError("topK needs an operand of rank >= 1");
  const axis = normalizeAxis(options?.axis ?? -1, x.ndim);
  const m = x.shape[axis];
  if (!Number.isInteger(k) || k < 0 || k > m) {
    throw new RangeError(
      `Invalid k for topK: expected an integer in [0, ${m}], got ${showValue(k)}`,
    );
  }
  const v = moveAxis(x, axis, x.ndim - 1);
  const last = v.ndim - 1;
  // Descending and stable: sort the reversed axis ascending, reverse back.
  const r = P.rev(argsortEnd(P.rev(v, [last])), [last]);
  const order = subPrim(scalar(m - 1, "int32"), r);
  const top = P.slice(order, {
    starts: order.shape.map(() => 0),
    limits: order.shape.map((n, i) => (i === last ? k : n)),
    strides: order.shape.map(() => 1),
  });
  const vals = P.takeAlongLast(v, top);
  return [moveAxis(vals, vals.ndim - 1, axis), moveAxis(top, top.ndim - 1, axis)];
}

/**
 * Reduces `operand` over `dimensions` with a binary `computation` and its
 * identity `initValue` (JAX's `lax.reduce`): a balanced tree of
 * `computation` calls on halves, so any function written with `np`
 * (`np.add`, `np.maximum`, ...) works and is differentiable and batchable.
 * Given lists of operands (one shape) and initial values, `computation`
 * takes and returns lists — a variadic reduction such as an argmax.
 *
 * @example
 * ```ts
 * import { lax, np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * const x = np.array([[1, 5], [7, 2]]);
 * deepEqual(lax.reduce(x, -Infinity, np.maximum, [1]).tolist(), [5, 7]);
 * ```
 *
 * @param operand The array (or a list of arrays of one shape).
 * @param initValue The identity of `computation` (a scalar, or a list of them).
 * @param computation An associative, commutative binary function.
 * @param dimensions The axes to reduce.
 * @returns The reduced array (or list).
 */
export function reduce(
  operand: ArrayLike,
  initValue: ArrayLike,
  computation: (a: NdArray, b: NdArray) => NdArray,
  dimensions: readonly number[],
): NdArray;
export function reduce(
  operand: readonly NdArray[],
  initValue: readonly ArrayLike[],
  computation: (a: NdArray[], b: NdArray[]) => NdArray[],
  dimensions: readonly number[],
): NdArray[];
export function reduce(
  operand: ArrayLike | readonly NdArray[],
  initValue: ArrayLike | readonly ArrayLike[],
  computation: ((a: NdArray, b: NdArray) => NdArray) | ((a: NdArray[], b: NdArray[]) => NdArray[]),
  dimensions: readonly number[],
): NdArray | NdArray[] {
  const variadic = globalThis.Array.isArray(operand) &&
    operand.every((o) => o instanceof NdArray) &&
    operand.length > 0 && globalThis.Array.isArray(initValue);
  const xs = variadic
    ? [...(operand as readonly NdArray[])]
    : [arr(operand as ArrayLike, "reduce")];
  const inits0 = variadic ? [...(initValue as readonly ArrayLike[])] : [initValue as ArrayLike];
  if (inits0.length !== xs.length) {
    throw new TypeError(
      `reduce needs one initValue per operand: got ${inits0.length} for ${xs.length}`,
    );
  }
  const inits = inits0.map((v, i) => {
    let init = arr(v, "reduce");
    if (typeof v === "number" || typeof v === "boolean") init = convert(init, xs[i].dtype);
    if (init.ndim !== 0) {
      throw new TypeError(`reduce needs scalar initValues: got shape ${showShape(init.shape)}`);
    }
    return init;
  });
  const shape = xs[0].shape;
  for (const x of xs) {
    if (!shapesEqual(x.shape, shape)) {
      throw new TypeError(
        `reduce operands must share one shape: got ${showShape(shape)} and ${showShape(x.shape)}`,
      );
    }
  }
  const f = (a: NdArray[], b: NdArray[]): NdArray[] =>
    variadic
      ? (computation as (a: NdArray[], b: NdArray[]) => NdArray[])(a, b)
      : [(computation as (a: NdArray, b: NdArray) => NdArray)(a[0], b[0])];
  const rank = shape.length;
  const dims = [...new Set(dimensions.map((d) => normalizeAxis(d, rank)))].sort((a, b) => a - b);
  const keep = shape.map((_, i) => i).filter((i) => !dims.includes(i));
  const outShape = keep.map((i) => shape[i]);
  const len = dims.reduce((s, d) => s * shape[d], 1);
  let vs = xs.map((x) => P.reshape(P.transpose(x, [...keep, ...dims]), [...outShape, len]));
  const last = outShape.length;
  const half = (y: NdArray, start: number, n: number): NdArray =>
    P.slice(y, {
      starts: y.shape.map((_, i) => (i === last ? start : 0)),
      limits: y.shape.map((e, i) => (i === last ? start + 2 * (n - 1) + 1 : e)),
      strides: y.shape.map((_, i) => (i === last ? 2 : 1)),
    });
  const initsOut = inits.map((init) => P.broadcastTo(init, outShape));
  const done = (r: NdArray[]) => (variadic ? r : r[0]);
  if (len === 0) return done(initsOut);
  let n = len;
  while (n > 1) {
    if (n % 2 === 1) {
      vs = vs.map((v, i) => P.concatenate([v, P.broadcastTo(inits[i], [...outShape, 1])], last));
      n += 1;
    }
    vs = f(vs.map((v) => half(v, 0, n / 2)), vs.map((v) => half(v, 1, n / 2)));
    n /= 2;
  }
  return done(f(initsOut, vs.map((v) => P.reshape(v, outShape))));
}
