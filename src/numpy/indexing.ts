/**
 * NumPy's indexing routines: `x.get(...)` (integers, slice strings, `"..."`,
 * `null`, integer arrays and boolean masks), `take`, `diagonal`, `select`,
 * and the functional updates `x.at(...index).set/add/multiply/min/max`
 * (JAX's `x.at[idx]`). Arrays are immutable: each update returns a new
 * array. Everything is composed from primitives (gathers, `scatter_add`,
 * `select`), so it is differentiable and batches under `vmap`.
 *
 * @module
 */

import { checkOptions } from "../core/options.ts";
import * as P from "../primitives/structural.ts";
import {
  type ArrayLike,
  type Index,
  type IndexMode,
  type IndexOptions,
  type IndexUpdate,
  NdArray,
} from "../array/array.ts";
import {
  broadcastShapesN,
  normalizeAxis,
  type Shape,
  ShapeError,
  shapesEqual,
  showShape,
  sizeOf,
} from "../array/shape.ts";
import { Tracer } from "../core/handler.ts";
import { asArray, resultDType, scalarArray, sliceIndices } from "./_args.ts";
import { add, convert, gt, lt, mul, select as selectPrim } from "../primitives/elementwise.ts";
import { filled } from "../array/create.ts";
import { greaterEqual, logicalAnd, maximum, minimum, where } from "./math.ts";
import type { DType } from "../array/dtype.ts";
import { broadcastTo, reshape, scatterAdd } from "../primitives/structural.ts";
import { arange } from "./creation.ts";
import { sliceAll } from "./_args.ts";
import { sliceAxis } from "./_args.ts";
import { notEqual } from "./math.ts";
import { storageOf } from "../array/array.ts";
import { showValue } from "../array/shape.ts";
import { isInteger } from "../array/dtype.ts";
/**
 * Chooses, elementwise, from `choicelist[i]` where `condlist[i]` is the
 * first true condition, and `default` where none is (everything
 * broadcast). The gradient flows to the chosen entries.
 *
 * @example Piecewise values
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * const x = np.array([-2, 0, 3]);
 * const y = np.select([np.less(x, 0), np.greater(x, 0)], [np.negative(x), np.square(x)], -1);
 * deepEqual(y.tolist(), [2, -1, 9]);
 * ```
 *
 * @param condlist Boolean conditions.
 * @param choicelist Values, one per condition.
 * @param defaultValue The value where no condition holds (default 0).
 * @returns The selected values, of the promoted dtype of the choices and default.
 */
export function select(
  condlist: readonly ArrayLike[],
  choicelist: readonly ArrayLike[],
  defaultValue: ArrayLike = 0,
): NdArray {
  if (!globalThis.Array.isArray(condlist) || !globalThis.Array.isArray(choicelist)) {
    throw new TypeError("select needs a list of conditions and a list of choices");
  }
  if (condlist.length !== choicelist.length) {
    throw new RangeError(
      `select needs as many choices as conditions: got ${condlist.length} conditions and ${choicelist.length} choices`,
    );
  }
  if (condlist.length === 0) {
    throw new RangeError("select needs at least one condition");
  }
  const conds = condlist.map((c) => {
    const b = asArray(c);
    // numeric conditions are converted to bool (x != 0), as JAX
    return b.dtype === "bool" ? b : notEqual(b, 0);
  });
  const dtype = resultDType([...choicelist, defaultValue]);
  let out = asArray(defaultValue, dtype);
  for (let i = conds.length - 1; i >= 0; i--) {
    out = where(conds[i], asArray(choicelist[i], dtype), out);
  }
  return out;
}

/**
 * Converts an index argument to an int32 array. JS numbers and lists must
 * hold integers (they are converted here, as JS numbers otherwise make
 * float64 data); arrays must already be int32. Booleans are rejected: masks
 * select a data-dependent number of elements.
 */
function indexArray(indices: ArrayLike, what: string, n: number, axis: number): NdArray {
  if (indices instanceof NdArray) {
    if (indices.dtype === "int32") return indices;
    // Other integer dtypes index through int32 (uint32 values of 2³¹ and more are not supported).
    if (isInteger(indices.dtype)) return convert(indices, "int32");
    if (indices.dtype === "bool") boolIndex(what, indices.shape);
    throw new TypeError(
      `${what} must be integers: got an array of dtype ${indices.dtype} (use astype("int32"))`,
    );
  }
  if (globalThis.Array.isArray(indices) && indices.length === 0) {
    return new NdArray(new Int32Array(0), [0], "int32");
  }
  const probe = asArray(indices);
  if (probe.dtype === "bool") boolIndex(what, probe.shape);
  const data = storageOf(probe);
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (!Number.isInteger(v)) {
      throw new TypeError(`${what} must be integers: got ${showValue(indices)}`);
    }
    if (Math.abs(v) > 2147483647) {
      throw new RangeError(`Index ${v} is out of bounds for axis ${axis} with size ${n}`);
    }
  }
  return new NdArray(Int32Array.from(data), probe.shape, "int32");
}

function boolIndex(what: string, shape: Shape): never {
  throw new TypeError(
    `${what} must be integers: got booleans of shape ${
      showShape(shape)
    } (boolean masks index with get, not here)`,
  );
}

/** Maps negative indices to `i + n` (with primitives, so tracers work); nothing else. */
function wrapNegative(idx: NdArray, n: number): NdArray {
  if (!(idx instanceof Tracer)) {
    const data = storageOf(idx);
    let negative = false;
    for (let i = 0; i < data.length && !negative; i++) negative = data[i] < 0;
    if (!negative) return idx;
  }
  return selectPrim(lt(idx, scalarArray(0, "int32")), add(idx, scalarArray(n, "int32")), idx);
}

/** Whether every (wrapped) index is known to lie in `[0, n)` (never for traced indices). */
function knownInBounds(idx: NdArray, n: number): boolean {
  if (idx instanceof Tracer) return false;
  const data = storageOf(idx);
  for (let i = 0; i < data.length; i++) if (data[i] < 0 || data[i] >= n) return false;
  return true;
}

/** `idx` clamped to `[0, n - 1]`. */
function clampIndex(idx: NdArray, n: number): NdArray {
  return minimum(maximum(idx, scalarArray(0, "int32")), scalarArray(Math.max(n - 1, 0), "int32"));
}

/** Whether each index lies in `[0, n)`. */
function inBounds(idx: NdArray, n: number): NdArray {
  return logicalAnd(
    greaterEqual(idx, scalarArray(0, "int32")),
    lt(idx, scalarArray(n, "int32")),
  );
}

const MODES: readonly IndexMode[] = ["clip", "drop", "fill", "promise_in_bounds"];

/** Reads and checks index options (`mode`, `fillValue`); unknown keys are errors. */
function readIndexOptions(what: string, o: unknown): IndexOptions {
  if (o === undefined) return {};
  if (typeof o !== "object" || o === null || globalThis.Array.isArray(o) || o instanceof NdArray) {
    throw new TypeError(
      `Invalid options for ${what}: expected { mode, fillValue }, got ${showValue(o)}`,
    );
  }
  for (const k of Object.keys(o)) {
    if (k !== "mode" && k !== "fillValue") {
      throw new TypeError(
        `Unknown option ${JSON.stringify(k)} for ${what}: the accepted options are mode, fillValue`,
      );
    }
  }
  const { mode, fillValue } = o as IndexOptions;
  if (mode !== undefined && !MODES.includes(mode)) {
    throw new TypeError(
      `Invalid mode ${showValue(mode)} for ${what}: expected one of ${
        MODES.map((m) => `"${m}"`).join(", ")
      }`,
    );
  }
  if (fillValue !== undefined && typeof fillValue !== "number" && typeof fillValue !== "boolean") {
    throw new TypeError(
      `Invalid fillValue ${showValue(fillValue)} for ${what}: expected a number or boolean`,
    );
  }
  return { mode, fillValue };
}

/** Splits a trailing options object off a list of indices. */
function splitIndex(
  what: string,
  args: readonly (Index | IndexOptions)[],
): [Index[], IndexOptions] {
  const last = args[args.length - 1];
  const isOptions = typeof last === "object" && last !== null && !globalThis.Array.isArray(last) &&
    !(last instanceof NdArray);
  const index = (isOptions ? args.slice(0, -1) : args) as Index[];
  for (const ix of index) {
    if (
      typeof ix === "object" && ix !== null && !globalThis.Array.isArray(ix) &&
      !(ix instanceof NdArray)
    ) {
      throw new TypeError(`Invalid index ${showValue(ix)} for ${what}: options go last`);
    }
  }
  return [index, isOptions ? readIndexOptions(what, last) : {}];
}

/** `n` axes of length 1. */
function unitAxes(n: number): number[] {
  return new globalThis.Array<number>(n).fill(1);
}

/** JAX's fill value for out-of-range reads: NaN, the int32 minimum, or true. */
function fillFor(dtype: DType, fillValue: number | boolean | undefined): NdArray {
  if (fillValue !== undefined) return scalarArray(Number(fillValue), dtype);
  return scalarArray(dtype === "bool" ? 1 : dtype === "int32" ? -2147483648 : NaN, dtype);
}

/**
 * Gathers elements of `x` at `indices` along `axis` (of the flattened array
 * when `axis` is omitted): `out.shape = x.shape[:axis] ++ indices.shape ++
 * x.shape[axis+1:]`. Negative indices count from the end. Out-of-range
 * indices follow `mode` as in JAX: by default (`"fill"`) they read
 * `fillValue` (NaN for floats, the int32 minimum, true for bool) with no
 * gradient; `"clip"` clamps them; `"promise_in_bounds"` reads the nearest
 * element and sends it no gradient.
 *
 * @example Gather rows and elements
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * const x = np.array([[1, 2], [3, 4]]);
 * deepEqual(np.take(x, [1, 0], 0).tolist(), [[3, 4], [1, 2]]);
 * deepEqual(np.take(x, [-1, 0]).tolist(), [4, 1]);
 * deepEqual(np.take([10, 20, 30], [0, 5]).tolist(), [10, NaN]);
 * deepEqual(np.take([10, 20, 30], [0, 5], 0, { mode: "clip" }).tolist(), [10, 30]);
 * ```
 *
 * @param x The array.
 * @param indices Integer indices (a number, a list or an int32 array).
 * @param axis The axis to gather along; the flattened array when omitted.
 * @param options `mode` (`"fill"` by default, `"clip"`, `"drop"`,
 *   `"promise_in_bounds"`) and `fillValue`.
 * @returns The gathered values.
 */
export function take(
  x: ArrayLike,
  indices: ArrayLike,
  axis?: number | null,
  options?: IndexOptions,
): NdArray {
  const { mode = "fill", fillValue } = readIndexOptions("take", options);
  let a = asArray(x);
  if (axis === undefined || axis === null) {
    a = P.reshape(a, [a.size]);
    axis = 0;
  }
  const ax = normalizeAxis(axis, a.ndim);
  const n = a.shape[ax];
  let idx = wrapNegative(indexArray(indices, "Indices", n, ax), n);
  if (knownInBounds(idx, n)) return P.take(a, idx, ax);
  if (mode === "promise_in_bounds") return P.take(a, idx, ax);
  if (mode === "clip") return P.take(a, clampIndex(idx, n), ax);
  const ok = inBounds(idx, n);
  idx = clampIndex(idx, n);
  const out = P.take(a, idx, ax);
  const mask = reshape(ok, [...unitAxes(ax), ...ok.shape, ...unitAxes(a.ndim - ax - 1)]);
  return where(mask, out, fillFor(a.dtype, fillValue));
}

/**
 * The diagonal with `offset` of the 2-D sub-arrays spanned by `axis1` and
 * `axis2`; those axes are removed and the diagonal becomes the last axis.
 *
 * @example Main and upper diagonals
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * const x = np.arange(9).reshape([3, 3]);
 * deepEqual(np.diagonal(x).tolist(), [0, 4, 8]);
 * deepEqual(np.diagonal(x, 1).tolist(), [1, 5]);
 * ```
 *
 * @param x An array of rank at least 2.
 * @param offset The diagonal: positive above the main one, negative below.
 * @param axis1 The axis of the rows.
 * @param axis2 The axis of the columns.
 * @returns The diagonals, along the last axis.
 */
export function diagonal(x: ArrayLike, offset = 0, axis1 = 0, axis2 = 1): NdArray {
  const a = asArray(x);
  if (a.ndim < 2) {
    throw new TypeError(
      `Diagonal requires an array of at least two dimensions: got shape ${showShape(a.shape)}`,
    );
  }
  if (!Number.isInteger(offset)) {
    throw new TypeError(`Diagonal offset must be an integer: got ${offset}`);
  }
  const i = normalizeAxis(axis1, a.ndim), j = normalizeAxis(axis2, a.ndim);
  if (i === j) {
    throw new RangeError(`Diagonal axes must differ: axis1 and axis2 are both ${i}`);
  }
  const rest: number[] = [];
  for (let d = 0; d < a.ndim; d++) if (d !== i && d !== j) rest.push(d);
  const t = P.transpose(a, [...rest, i, j]);
  const batch = t.shape.slice(0, -2);
  const [r, c] = t.shape.slice(-2);
  const len = Math.max(0, offset >= 0 ? Math.min(r, c - offset) : Math.min(r + offset, c));
  const r0 = offset >= 0 ? 0 : -offset, c0 = offset >= 0 ? offset : 0;
  const starts = [...batch.map(() => 0), len === 0 ? 0 : r0, len === 0 ? 0 : c0];
  const limits = [...batch, starts[batch.length] + len, starts[batch.length + 1] + len];
  const square = sliceAll(t, starts, limits);
  // The diagonal of a flattened L×L block is every (L+1)-th element.
  const flat = P.reshape(square, [...batch, len * len]);
  return sliceAxis(flat, batch.length, 0, len * len, len + 1);
}

// ---------------------------------------------------------------------------
// Indexing

type Parsed =
  | { kind: "int"; value: number }
  | { kind: "slice"; start?: number; stop?: number; step: number }
  | { kind: "array"; value: ArrayLike; mask?: { shape: Shape; axis: number } }
  | { kind: "newaxis" }
  | { kind: "ellipsis" };

function parseSlice(s: string): Parsed {
  const parts = s.split(":");
  const bad = (): never => {
    throw new TypeError(
      `Invalid index ${
        showValue(s)
      }: expected a slice "start:stop:step" (each part an optional integer) or "..."`,
    );
  };
  if (parts.length < 2 || parts.length > 3) bad();
  const nums = parts.map((p) => {
    const t = p.trim();
    if (t === "") return undefined;
    if (!/^[+-]?\d+$/.test(t)) bad();
    return Number(t);
  });
  const step = nums[2] ?? 1;
  if (step === 0) {
    throw new RangeError(`Invalid index ${showValue(s)}: slice step cannot be zero`);
  }
  return { kind: "slice", start: nums[0], stop: nums[1], step };
}

function parseIndex(ix: Index): Parsed {
  if (ix === null) return { kind: "newaxis" };
  if (typeof ix === "number") {
    if (!Number.isInteger(ix)) throw new TypeError(`Indices must be integers: got ${ix}`);
    return { kind: "int", value: ix };
  }
  if (typeof ix === "string") return ix === "..." ? { kind: "ellipsis" } : parseSlice(ix);
  if (ix instanceof NdArray || globalThis.Array.isArray(ix)) {
    return { kind: "array", value: ix as ArrayLike };
  }
  throw new TypeError(
    `Invalid index ${
      showValue(ix)
    }: expected an integer, a slice string, "...", null or an integer array`,
  );
}

/**
 * NumPy indexing `x[i, j, ...]`: integers (negative count from the end),
 * slice strings `"start:stop:step"` (any part optional; negative steps
 * reverse), `"..."` (the remaining axes), `null` (a new axis of length 1),
 * integer arrays (lists or `int32` arrays; several are broadcast together and
 * gather elementwise, as NumPy's advanced indexing), and boolean masks (a
 * mask of rank k selects along k axes where it is true, as the integer arrays
 * of its `nonzero` would).
 *
 * As in NumPy, when the advanced indices (integer arrays and integers) are
 * separated by a slice, `"..."` or `null`, the gathered axes come first in the
 * result. A boolean mask must be concrete: its result shape depends on its
 * values, so it cannot be a `vmap` tracer.
 *
 * @example Basic and advanced indexing
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * const x = np.arange(6).reshape([2, 3]);
 * deepEqual(np.get(x, 1, -1).item(), 5);
 * deepEqual(np.get(x, ":", "::-2").tolist(), [[2, 0], [5, 3]]);
 * deepEqual(np.get(x, "...", null).shape, [2, 3, 1]);
 * deepEqual(np.get(x, [1, 0], 0).tolist(), [3, 0]);
 * deepEqual(np.get(x, [0, 1], [2, 0]).tolist(), [2, 3]);
 * deepEqual(np.get(x, np.greater(x, 3)).tolist(), [4, 5]);
 * ```
 *
 * @param x The array.
 * @param index One index per axis; missing trailing indices select whole axes.
 * @returns The selected values.
 */
export function get(x: ArrayLike, ...index: (Index | IndexOptions)[]): NdArray {
  const [ix, options] = splitIndex("get", index);
  return gather(asArray(x), ix, options);
}

/**
 * `get` with its options read: the indexing itself. Out-of-range JS numbers
 * follow the mode when `intsFollowMode` (a mode was given), else are errors.
 */
function gather(
  x: NdArray,
  index: readonly Index[],
  options: IndexOptions,
  intsFollowMode = options.mode !== undefined,
): NdArray {
  let a = x;
  const mode = options.mode;
  const parsed = index.flatMap((ix) => expandMask(parseIndex(ix)));
  const ellipses = parsed.filter((p) => p.kind === "ellipsis").length;
  if (ellipses > 1) throw new TypeError(`An index can only have a single ellipsis ("...")`);
  const consumed = parsed.filter((p) => p.kind !== "ellipsis" && p.kind !== "newaxis").length;
  if (consumed > a.ndim) {
    throw new RangeError(
      `Too many indices for an array of shape ${
        showShape(a.shape)
      }: the array is ${a.ndim}-dimensional, but ${consumed} were indexed`,
    );
  }
  // Expand "..." (or append it) into full slices.
  const full: Parsed[] = [];
  const fill = (): void => {
    for (let i = 0; i < a.ndim - consumed; i++) full.push({ kind: "slice", step: 1 });
  };
  for (const p of parsed) {
    if (p.kind === "ellipsis") fill();
    else full.push(p);
  }
  if (ellipses === 0) fill();
  if (intsFollowMode) {
    // With a mode, an out-of-range integer is a one-element array index (which also removes
    // its axis), so the mode decides what it reads.
    let axis = 0;
    for (let i = 0; i < full.length; i++) {
      const p = full[i];
      if (p.kind === "newaxis") continue;
      const n = a.shape[axis++];
      if (p.kind === "int" && (p.value < -n || p.value >= n)) {
        full[i] = { kind: "array", value: new NdArray(Int32Array.of(p.value), [], "int32") };
      }
    }
  }

  // One slice over all input axes; ints become [i, i+1), negative steps rev afterwards.
  const starts: number[] = [], limits: number[] = [], strides: number[] = [];
  const revAxes: number[] = [];
  const arrayAxes: number[] = [], arrayIndices: NdArray[] = [];
  let d = 0;
  for (const p of full) {
    if (p.kind === "newaxis") continue;
    const n = a.shape[d];
    if (p.kind === "int") {
      const v = p.value;
      if (v < -n || v >= n) {
        throw new RangeError(
          `Index ${v} is out of bounds for axis ${d} with size ${n} (pass { mode: "clip" } or { mode: "fill" } to read out of range as JAX does)`,
        );
      }
      const i = v < 0 ? v + n : v;
      starts.push(i), limits.push(i + 1), strides.push(1);
    } else if (p.kind === "slice") {
      const [s, , len] = sliceIndices(p.start, p.stop, p.step, n);
      const step = Math.abs(p.step);
      if (len === 0) starts.push(0), limits.push(0), strides.push(1);
      else if (p.step > 0) {
        starts.push(s), limits.push(s + (len - 1) * step + 1), strides.push(step);
      } else {
        starts.push(s - (len - 1) * step), limits.push(s + 1), strides.push(step);
        if (len > 1) revAxes.push(d);
      }
    } else if (p.kind === "array") {
      if (p.mask !== undefined && p.mask.shape[p.mask.axis] !== n) {
        throw new RangeError(
          `Boolean index of shape ${
            showShape(p.mask.shape)
          } does not match the indexed array: axis ${d} has size ${n}, but mask axis ${p.mask.axis} has size ${
            p.mask.shape[p.mask.axis]
          }`,
        );
      }
      arrayAxes.push(d);
      arrayIndices.push(wrapNegative(indexArray(p.value, "Array indices", n, d), n));
      starts.push(0), limits.push(n), strides.push(1);
    }
    d++;
  }
  a = sliceAll(a, starts, limits, strides);
  a = P.rev(a, revAxes);

  // Output layout: walk the index again, collecting the result's dimensions.
  if (arrayIndices.length === 0) {
    const shape: number[] = [];
    let k = 0;
    for (const p of full) {
      if (p.kind === "newaxis") shape.push(1);
      else if (p.kind === "int") k++;
      else shape.push(a.shape[k++]);
    }
    return P.reshape(a, shape);
  }
  // Gather: move the array-indexed axes to the front, flatten them into one, and take the
  // row-major linear index of the broadcast index arrays. `a` becomes [...ishape, ...others].
  let ishape: Shape;
  try {
    ishape = broadcastShapesN(arrayIndices.map((i) => i.shape));
  } catch {
    throw new ShapeError(
      `Cannot broadcast the index arrays together: shapes ${
        arrayIndices.map((i) => showShape(i.shape)).join(", ")
      }`,
      { op: "index", shapes: arrayIndices.map((i) => i.shape) },
    );
  }
  const others: number[] = [];
  for (let i = 0; i < a.ndim; i++) if (!arrayAxes.includes(i)) others.push(i);
  const sizes = arrayAxes.map((ax) => a.shape[ax]);
  // Out-of-range indices, by mode: "fill"/"drop" mask them; "clip" (and several index arrays,
  // whose linear index must stay in its row) clamp each; one index array in the default mode
  // reads the nearest element in the gather itself, whose transpose drops the gradient (JAX).
  let keep: NdArray | undefined;
  if (!arrayIndices.every((ix, i) => knownInBounds(ix, sizes[i]))) {
    if (mode === "fill" || mode === "drop") {
      keep = arrayIndices.map((ix, i) => inBounds(ix, sizes[i])).reduce((u, v) => logicalAnd(u, v));
    }
    // A 0-d index reads like JAX's dynamic slice: clamped, its gradient too.
    const scalar = arrayIndices.length === 1 && arrayIndices[0].ndim === 0;
    if (keep !== undefined || mode === "clip" || arrayIndices.length > 1 || scalar) {
      for (let i = 0; i < arrayIndices.length; i++) {
        arrayIndices[i] = clampIndex(arrayIndices[i], sizes[i]);
      }
    }
  }
  let linear = arrayIndices[arrayIndices.length - 1];
  let stride = sizes[sizes.length - 1];
  for (let i = arrayIndices.length - 2; i >= 0; i--) {
    linear = add(mul(arrayIndices[i], scalarArray(stride, "int32")), linear);
    stride *= sizes[i];
  }
  if (!shapesEqual(linear.shape, ishape)) linear = P.broadcastTo(linear, ishape);
  const moved = arrayAxes.every((ax, i) => ax === i)
    ? a
    : P.transpose(a, [...arrayAxes, ...others]);
  const flat = P.reshape(moved, [sizeOf(sizes), ...others.map((ax) => a.shape[ax])]);
  a = P.take(flat, linear, 0);
  if (keep !== undefined) {
    const mask = reshape(broadcastTo(keep, ishape), [...ishape, ...unitAxes(others.length)]);
    a = where(mask, a, fillFor(a.dtype, options.fillValue));
  }
  // Advanced indices (ints and arrays) are adjacent unless something else separates them;
  // adjacent ones put the gathered axes where they stood, others put them first.
  const adv = full.map((p, i) => (p.kind === "int" || p.kind === "array" ? i : -1)).filter((
    i,
  ) => i >= 0);
  const adjacent = adv[adv.length - 1] - adv[0] + 1 === adv.length;
  const nb = ishape.length;
  // Dimensions of `a` after the gathered block, in index order (ints are length-1 axes there).
  const shape: number[] = [];
  const perm: number[] = [];
  let k = nb;
  let placed = !adjacent;
  if (!adjacent) {
    for (let i = 0; i < nb; i++) perm.push(i);
    shape.push(...ishape);
  }
  for (const p of full) {
    if (p.kind === "newaxis") shape.push(1);
    else if (p.kind === "int") perm.push(k++);
    else if (p.kind === "slice") perm.push(k), shape.push(a.shape[k++]);
    else if (!placed) {
      for (let i = 0; i < nb; i++) perm.push(i);
      shape.push(...ishape);
      placed = true;
    }
  }
  if (perm.some((q, i) => q !== i)) a = P.transpose(a, perm);
  return P.reshape(a, shape);
}

/**
 * Replaces a boolean mask index by the integer arrays of its `nonzero` (one per mask axis),
 * as NumPy does; other indices pass through. The mask's values must be concrete.
 */
function expandMask(p: Parsed): Parsed[] {
  if (p.kind !== "array") return [p];
  const v = p.value;
  let mask: NdArray;
  if (v instanceof NdArray) {
    if (v.dtype !== "bool") return [p];
    mask = v;
  } else {
    if (!isAllBool(v)) return [p];
    mask = asArray(v);
  }
  if (mask.ndim === 0) {
    throw new TypeError(
      "Boolean scalar indices are not supported: index with a boolean array of rank at least 1",
    );
  }
  const data = storageOf(mask); // a vmap tracer throws here: the result shape depends on the values
  const strides = mask.shape.map((_, i) => sizeOf(mask.shape.slice(i + 1)));
  const hits: number[] = [];
  for (let i = 0; i < data.length; i++) if (data[i] !== 0) hits.push(i);
  return mask.shape.map((n, axis) => ({
    kind: "array" as const,
    value: new NdArray(
      Int32Array.from(hits, (h) => Math.floor(h / strides[axis]) % n),
      [hits.length],
      "int32",
    ),
    mask: { shape: mask.shape, axis },
  }));
}

/** Whether a nested JS list holds booleans only (and at least one). */
function isAllBool(v: unknown): boolean {
  let seen = false;
  const walk = (u: unknown): boolean => {
    if (globalThis.Array.isArray(u)) return u.every(walk);
    if (typeof u === "boolean") return (seen = true);
    return false;
  };
  return walk(v) && seen;
}

/**
 * Selects elements of `x` for a functional update (JAX's `x.at[index]`).
 * With repeated positions `add` accumulates; for `set`, `multiply`, `min`
 * and `max` repeated positions are not supported (JAX leaves their order
 * unspecified): use distinct indices.
 *
 * @example Set, add and differentiate
 * ```ts
 * import { type Array, grad, np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * const x = np.zeros([2, 3]);
 * deepEqual(x.at(0, "1:").set(7).tolist(), [[0, 7, 7], [0, 0, 0]]);
 * deepEqual(np.at(np.zeros([3]), [0, 0, 2]).add(1).tolist(), [2, 0, 1]);
 * // d/dv sum(x.at[1].set(v)²) = 2v
 * deepEqual(grad((v: Array) => np.sum(np.square(x.at(1).set(v))))(np.array([1, 2, 3])).tolist(), [2, 4, 6]);
 * ```
 *
 * @param x The array to update.
 * @param index The selection, as for `x.get(...)`.
 * @returns The update operations on that selection.
 */
export function at(x: ArrayLike, ...index: (Index | IndexOptions)[]): IndexUpdate {
  const a = asArray(x);
  const [ix, base] = splitIndex("at", index);
  const size = a.size;
  const work = a.dtype === "bool" ? "int32" : a.dtype;
  const flat = reshape(convert(a, work), [size]);
  const finish = (y: NdArray) => convert(reshape(y, a.shape), a.dtype);
  const all = reshape(arange(size, { dtype: "int32" }), a.shape);
  /** The flat positions of the selected elements, in the selection's shape (-1: dropped). */
  const positionsFor = (mode: IndexMode | undefined) =>
    size === 0 ? get(all, ...ix) : gather(
      all,
      ix,
      { mode: mode === "clip" ? "clip" : "fill", fillValue: -1 },
      mode !== undefined,
    );
  const update = (
    what: string,
    values: ArrayLike,
    options: IndexOptions | undefined,
    op: ((old: NdArray, v: NdArray) => NdArray) | undefined,
  ): NdArray => {
    const o = { ...base, ...readIndexOptions(`at(...).${what}`, options) };
    if (o.fillValue !== undefined) {
      throw new TypeError(`fillValue applies to reads (at(...).get), not to ${what}`);
    }
    const positions = positionsFor(o.mode);
    const scatter = (v: NdArray) =>
      scatterAdd(reshape(v, [positions.size]), reshape(positions, [positions.size]), 0, [size]);
    const v = scatter(broadcastTo(convert(asArray(values), work), positions.shape));
    if (op === undefined) return finish(add(flat, v));
    const selected = gt(scatter(filled(positions.shape, 1, work)), filled([], 0, work));
    return finish(selectPrim(selected, op(flat, v), flat));
  };
  return {
    get: (options) => gather(a, ix, { ...base, ...readIndexOptions("at(...).get", options) }),
    set: (values, options) => update("set", values, options, (_old, v) => v),
    add: (values, options) => update("add", values, options, undefined),
    multiply: (values, options) => update("multiply", values, options, (old, v) => mul(old, v)),
    min: (values, options) => update("min", values, options, (old, v) => minimum(old, v)),
    max: (values, options) => update("max", values, options, (old, v) => maximum(old, v)),
  };
}

// ---------------------------------------------------------------------------
// Index grids and gathers along an axis

/** Options of {@linkcode indices}. */
export interface IndicesOptions {
  /** The index dtype (default `int32`). */
  dtype?: "int32" | "float64" | "float32";
  /** Return one broadcastable array per axis instead of the stacked grid. */
  sparse?: boolean;
}

/**
 * The grid of indices of an array of shape `dimensions`: an array of shape
 * `[ndim, ...dimensions]` whose `i`-th entry holds the index along axis `i`
 * (with `sparse`, a list of arrays of shape 1 except along their axis).
 *
 * @example
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.indices([2, 2]).tolist(), [[[0, 0], [1, 1]], [[0, 1], [0, 1]]]);
 * ```
 *
 * @param dimensions The shape of the grid.
 * @param options `dtype`, `sparse`.
 * @returns The grid (or a list with `sparse`).
 */
export function indices(dimensions: readonly number[], options?: IndicesOptions): NdArray;
export function indices(
  dimensions: readonly number[],
  options: IndicesOptions & { sparse: true },
): NdArray[];
export function indices(
  dimensions: readonly number[],
  options: IndicesOptions = {},
): NdArray | NdArray[] {
  checkOptions("indices", options, ["dtype", "sparse"]);
  const dims = [...dimensions];
  const dtype = options.dtype ?? "int32";
  const parts = dims.map((n, i) => {
    const shape = dims.map((_, j) => (j === i ? n : 1));
    return reshape(arange(0, n, 1, { dtype }), shape);
  });
  if (options.sparse) return parts;
  const full = parts.map((p) => reshape(broadcastTo(p, dims), [1, ...dims]));
  if (full.length === 0) return new NdArray(new Int32Array(0), [0], dtype);
  return P.concatenate(full, 0);
}

/**
 * The indices of the main diagonal of an `n × … × n` array of `ndim` axes:
 * `ndim` copies of `arange(n)` (use them with `x.get(...)` or `x.at(...)`).
 *
 * @example
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * const [i, j] = np.diagIndices(3);
 * deepEqual(np.zeros([3, 3]).at(i, j).set(1).tolist(), np.eye(3).tolist());
 * ```
 *
 * @param n The extent of each axis.
 * @param ndim Number of axes (default 2).
 * @returns `ndim` int32 index arrays.
 */
export function diagIndices(n: number, ndim = 2): NdArray[] {
  const i = arange(0, n, 1, { dtype: "int32" });
  return globalThis.Array.from({ length: ndim }, () => i);
}

/**
 * The indices of the main diagonal of `x`, whose axes must all have one
 * extent (at least two axes).
 *
 * @example
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * const x = np.arange(9).reshape([3, 3]);
 * deepEqual(x.get(...np.diagIndicesFrom(x)).tolist(), [0, 4, 8]);
 * ```
 *
 * @param x A square array.
 * @returns One int32 index array per axis.
 */
export function diagIndicesFrom(x: ArrayLike): NdArray[] {
  const a = asArray(x);
  if (a.ndim < 2 || a.shape.some((d) => d !== a.shape[0])) {
    throw new TypeError(
      `diagIndicesFrom needs at least two axes of equal length: got shape ${showShape(a.shape)}`,
    );
  }
  return diagIndices(a.shape[0], a.ndim);
}

/**
 * Flat positions in an array of `shape` for `idx` along `axis` and the
 * other coordinates of the (broadcast) index grid — the shared step of
 * `takeAlongAxis` and `putAlongAxis` — and which indices are in bounds
 * (negative ones wrap; out-of-range ones are clamped here and masked by the
 * callers, as JAX's modes).
 */
function flatAlong(shape: Shape, idx0: NdArray, axis: number): [NdArray, NdArray | null] {
  const n = shape[axis];
  const ishape = idx0.shape;
  const wrapped = wrapNegative(idx0, n);
  const ok = knownInBounds(wrapped, n) ? null : inBounds(wrapped, n);
  const idx = ok === null ? wrapped : clampIndex(wrapped, n);
  let flat = mul(idx, scalarArray(strideOf(shape, axis), "int32"));
  for (let d = 0; d < shape.length; d++) {
    if (d === axis) continue;
    const coord = reshape(
      arange(0, ishape[d], 1, { dtype: "int32" }),
      ishape.map((e, j) => (j === d ? e : 1)),
    );
    flat = add(flat, mul(coord, scalarArray(strideOf(shape, d), "int32")));
  }
  return [flat, ok];
}

function strideOf(shape: Shape, axis: number): number {
  let s = 1;
  for (let i = axis + 1; i < shape.length; i++) s *= shape[i];
  return s;
}

/** The index array broadcast against `a` on every axis but `axis` (as NumPy requires). */
function alongIndices(name: string, a: NdArray, indices: ArrayLike, axis: number): NdArray {
  const idx = indexArray(indices, "Indices", a.shape[axis], axis);
  if (idx.ndim !== a.ndim) {
    throw new TypeError(
      `${name} needs indices with as many axes as the array: got indices of shape ${
        showShape(idx.shape)
      } for an array of shape ${showShape(a.shape)}`,
    );
  }
  const shape = a.shape.map((d, i) => {
    if (i === axis) return idx.shape[i];
    const e = idx.shape[i];
    if (e !== d && e !== 1 && d !== 1) {
      throw new RangeError(
        `${name}: indices of shape ${showShape(idx.shape)} do not broadcast with array of shape ${
          showShape(a.shape)
        } on axis ${i}`,
      );
    }
    return Math.max(d, e);
  });
  return broadcastTo(idx, shape);
}

/**
 * Gathers `x` at `indices` along `axis`, pairing every other axis
 * (NumPy's `take_along_axis`; the way to apply an `argsort` or `argmax` with
 * `keepdims`). With `axis` null, `x` is flattened and `indices` is 1-D.
 * Negative indices count from the end; out-of-range ones follow `mode`:
 * by default (`"fill"`) they read `fillValue` (NaN for floats), with
 * `"clip"` the nearest element.
 *
 * @example
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * const x = np.array([[3, 1, 2], [6, 5, 4]]);
 * deepEqual(np.takeAlongAxis(x, np.argsort(x, 1), 1).tolist(), [[1, 2, 3], [4, 5, 6]]);
 * ```
 *
 * @param x The array.
 * @param indices Integer indices, with as many axes as `x`.
 * @param axis The axis (default -1; `null` for the flattened array).
 * @param options `mode`, `fillValue`.
 * @returns The gathered values, of the indices' (broadcast) shape.
 */
export function takeAlongAxis(
  x: ArrayLike,
  indices: ArrayLike,
  axis: number | null = -1,
  options?: IndexOptions,
): NdArray {
  const { mode = "fill", fillValue } = readIndexOptions("takeAlongAxis", options);
  let a = asArray(x);
  if (axis === null) {
    a = reshape(a, [a.size]);
    axis = 0;
  }
  const ax = normalizeAxis(axis, a.ndim);
  const idx = alongIndices("takeAlongAxis", a, indices, ax);
  const full = a.shape.map((d, i) => (i === ax ? d : idx.shape[i]));
  const src = broadcastTo(a, full);
  const [flat, ok] = flatAlong(full, idx, ax);
  const out = P.take(reshape(src, [sizeOf(full)]), flat, 0);
  // Out of bounds, by JAX's mode: "fill" (default; NaN for floats) or "drop" read
  // `fillValue`, "clip" reads the nearest element.
  if (ok === null || mode === "clip" || mode === "promise_in_bounds") return out;
  return where(ok, out, fillFor(a.dtype, fillValue));
}

/**
 * `x` with `values` written at `indices` along `axis` (NumPy's
 * `put_along_axis`, returning a new array: JAX's `inplace=False`). Repeated
 * indices: the values are added, as a scatter-add would (avoid them);
 * out-of-range indices are dropped.
 *
 * @example
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * const x = np.zeros([2, 3]);
 * deepEqual(np.putAlongAxis(x, np.array([[2], [0]], "int32"), 7, 1).tolist(), [[0, 0, 7], [7, 0, 0]]);
 * ```
 *
 * @param x The array.
 * @param indices Integer indices, with as many axes as `x`.
 * @param values The values, broadcast to the indices' shape.
 * @param axis The axis (`null` for the flattened array).
 * @returns The updated copy.
 */
export function putAlongAxis(
  x: ArrayLike,
  indices: ArrayLike,
  values: ArrayLike,
  axis: number | null,
): NdArray {
  const a0 = asArray(x);
  let a = a0;
  if (axis === null) {
    a = reshape(a, [a.size]);
    axis = 0;
  }
  const ax = normalizeAxis(axis, a.ndim);
  const idx = alongIndices("putAlongAxis", a, indices, ax);
  if (idx.shape.some((e, i) => i !== ax && e !== a.shape[i])) {
    throw new RangeError(
      `putAlongAxis: indices of shape ${showShape(idx.shape)} must match the array's shape ${
        showShape(a.shape)
      } except along axis ${ax}`,
    );
  }
  const [flat, ok] = flatAlong(a.shape, idx, ax);
  // Out-of-bounds updates are dropped (JAX's scatter default).
  const pos = ok === null ? flat : where(ok, flat, scalarArray(a.size, "int32"));
  const out = at(reshape(a, [a.size]), pos, { mode: "drop" }).set(values);
  return reshape(out, a0.shape);
}
