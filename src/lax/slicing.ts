/**
 * `lax.dynamicSlice` and `lax.dynamicUpdateSlice`: slices whose start
 * indices may be traced values (under `vmap`, `grad`, `jit`). As in JAX,
 * negative starts count from the end and every start is clamped so the
 * slice stays inside the operand. Built from gathers (`take`) and `select`,
 * so both are differentiable (in the operand and the update) and batch.
 *
 * @module
 */

import { type ArrayLike, NdArray } from "../array/array.ts";
import { promoteTypes, scalarDType } from "../array/dtype.ts";
import { showShape, showValue } from "../array/shape.ts";
import { Tracer } from "../core/handler.ts";
import { bind } from "../core/handler.ts";
import { add, andP, convert, lt, maxP, minP, select, sub } from "../primitives/elementwise.ts";
import { broadcastTo, reshape, slice, take } from "../primitives/structural.ts";
import { scalar } from "../array/create.ts";

/** A start index: a JS integer or a 0-d integer array (possibly traced). */
export type StartIndex = number | NdArray;

function toArray(x: ArrayLike): NdArray {
  if (x instanceof NdArray) return x;
  if (typeof x === "number" || typeof x === "boolean") return scalar(Number(x), scalarDType(x));
  throw new TypeError(`Expected an array: got ${showValue(x)}`);
}

function startList(
  name: string,
  starts: readonly StartIndex[] | NdArray,
  rank: number,
): StartIndex[] {
  let list: StartIndex[];
  if (starts instanceof NdArray) {
    if (starts.ndim !== 1) {
      throw new TypeError(
        `${name} start indices must be a list or a 1-D array: got shape ${showShape(starts.shape)}`,
      );
    }
    list = globalThis.Array.from(
      { length: starts.shape[0] },
      (_, i) => reshape(slice(starts, { starts: [i], limits: [i + 1], strides: [1] }), []),
    );
  } else list = [...starts];
  if (list.length !== rank) {
    throw new TypeError(
      `${name} needs one start index per axis: got ${list.length} for an operand of rank ${rank}`,
    );
  }
  for (const s of list) {
    if (typeof s === "number" ? !Number.isInteger(s) : s.ndim !== 0 || s.dtype !== "int32") {
      throw new TypeError(
        `${name} start indices must be integers or 0-d int32 arrays: got ${
          showValue(s instanceof NdArray ? s.shape : s)
        }`,
      );
    }
  }
  return list;
}

/** The start clamped to [0, dim - size] after wrapping a negative one: a JS number when concrete. */
function clampStart(s: StartIndex, dim: number, size: number): number | NdArray {
  if (typeof s === "number" || !(s instanceof Tracer)) {
    let v = typeof s === "number" ? s : (s.item() as number);
    if (v < 0) v += dim;
    return Math.min(Math.max(v, 0), dim - size);
  }
  const i32 = (v: number) => scalar(v, "int32");
  const wrapped = select(lt(s, i32(0)), add(s, i32(dim)), s);
  return bind(minP, [bind(maxP, [wrapped, i32(0)], undefined), i32(dim - size)], undefined);
}

function iota(n: number): NdArray {
  return new NdArray(Int32Array.from({ length: n }, (_, i) => i), [n], "int32");
}

/**
 * The slice of `operand` of shape `sliceSizes` starting at `startIndices`
 * (JAX's `lax.dynamic_slice`): starts may be traced; negative ones count
 * from the end, and all are clamped so the slice fits.
 *
 * @example
 * ```ts
 * import { lax, np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * const x = np.arange(6).reshape([2, 3]);
 * deepEqual(lax.dynamicSlice(x, [0, 1], [2, 2]).tolist(), [[1, 2], [4, 5]]);
 * deepEqual(lax.dynamicSlice(x, [1, 5], [1, 2]).tolist(), [[4, 5]]); // clamped
 * ```
 *
 * @param operand The array.
 * @param startIndices One start per axis (integers or 0-d int32 arrays), or a 1-D int32 array.
 * @param sliceSizes The static extent of the slice per axis.
 * @returns The slice.
 */
export function dynamicSlice(
  operand: ArrayLike,
  startIndices: readonly StartIndex[] | NdArray,
  sliceSizes: readonly number[],
): NdArray {
  const x = toArray(operand);
  const starts = startList("dynamicSlice", startIndices, x.ndim);
  if (sliceSizes.length !== x.ndim) {
    throw new TypeError(
      `dynamicSlice needs one slice size per axis: got ${showValue(sliceSizes)} for shape ${
        showShape(x.shape)
      }`,
    );
  }
  sliceSizes.forEach((n, d) => {
    if (!Number.isInteger(n) || n < 0 || n > x.shape[d]) {
      throw new RangeError(
        `dynamicSlice size ${showValue(n)} does not fit axis ${d} of shape ${showShape(x.shape)}`,
      );
    }
  });
  let out = x;
  starts.forEach((s, d) => {
    const c = clampStart(s, x.shape[d], sliceSizes[d]);
    if (typeof c === "number") {
      const st = out.shape.map((_, i) => (i === d ? c : 0));
      const lim = out.shape.map((e, i) => (i === d ? c + sliceSizes[d] : e));
      out = slice(out, { starts: st, limits: lim, strides: out.shape.map(() => 1) });
    } else {
      out = take(out, add(iota(sliceSizes[d]), c), d);
    }
  });
  return out;
}

/**
 * `operand` with `update` written at `startIndices` (JAX's
 * `lax.dynamic_update_slice`): starts may be traced; negative ones count
 * from the end, and all are clamped so the update fits. Differentiable in
 * both `operand` and `update`.
 *
 * @example
 * ```ts
 * import { lax, np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * const y = lax.dynamicUpdateSlice(np.zeros([2, 3]), np.ones([1, 2]), [1, 1]);
 * deepEqual(y.tolist(), [[0, 0, 0], [0, 1, 1]]);
 * ```
 *
 * @param operand The array.
 * @param update The block to write (of the operand's rank, fitting inside it).
 * @param startIndices One start per axis, or a 1-D int32 array.
 * @returns The updated copy.
 */
export function dynamicUpdateSlice(
  operand: ArrayLike,
  update: ArrayLike,
  startIndices: readonly StartIndex[] | NdArray,
): NdArray {
  let x = toArray(operand);
  let u = toArray(update);
  const dt = promoteTypes([x.dtype, u.dtype]);
  if (x.dtype !== u.dtype) {
    if (dt !== x.dtype) {
      throw new TypeError(
        `dynamicUpdateSlice: update of dtype ${u.dtype} does not fit operand of dtype ${x.dtype}`,
      );
    }
    u = convert(u, dt);
  }
  x = convert(x, dt);
  if (u.ndim !== x.ndim || u.shape.some((e, d) => e > x.shape[d])) {
    throw new TypeError(
      `dynamicUpdateSlice needs an update of the operand's rank that fits inside it: got ${
        showShape(u.shape)
      } for ${showShape(x.shape)}`,
    );
  }
  const starts = startList("dynamicUpdateSlice", startIndices, x.ndim);
  // Gather the update onto the operand's grid (index j - s, clamped) and
  // select it inside the window s <= j < s + size.
  let spread = u;
  let mask: NdArray | null = null;
  starts.forEach((s, d) => {
    const n = x.shape[d], m = u.shape[d];
    const c = clampStart(s, n, m);
    const cs = typeof c === "number" ? scalar(c, "int32") : c;
    const rel = sub(iota(n), cs);
    const inside = bind(
      andP,
      [lt(rel, scalar(m, "int32")), lt(scalar(-1, "int32"), rel)],
      undefined,
    );
    const idx = bind(minP, [
      bind(maxP, [rel, scalar(0, "int32")], undefined),
      scalar(Math.max(m - 1, 0), "int32"),
    ], undefined);
    spread = m === 0 ? spread : take(spread, idx, d);
    const axisMask = broadcastTo(
      reshape(inside, x.shape.map((e, i) => (i === d ? e : 1))),
      x.shape,
    );
    mask = mask === null ? axisMask : bind(andP, [mask, axisMask], undefined);
  });
  if (u.size === 0) return x;
  if (mask === null) return u;
  return select(mask, spread, x);
}
