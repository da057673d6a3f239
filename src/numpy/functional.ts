/**
 * NumPy's functional-programming routines: `applyAlongAxis` (by `vmap`, as
 * JAX) and `piecewise`.
 *
 * @module
 */

import type { ArrayLike, NdArray } from "../array/array.ts";
import { normalizeAxis } from "../array/shape.ts";
import { vmap } from "../transforms/vmap.ts";
import { asArray, scalarArray } from "./_args.ts";
import { astype, notEqual, where } from "./math.ts";
import { broadcastTo } from "./manipulation.ts";

/**
 * Applies `func1d` to every 1-D slice of `arr` along `axis`. As JAX, this is
 * `vmap` over the other axes, so `func1d` must be traceable (written with
 * `np`); its result's axes replace `axis`. Extra `args` pass through.
 *
 * @example
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * const x = np.array([[3, 1, 2], [9, 8, 7]]);
 * deepEqual(np.applyAlongAxis((r) => np.sort(r), 1, x).tolist(), [[1, 2, 3], [7, 8, 9]]);
 * ```
 *
 * @param func1d The function of a 1-D array.
 * @param axis The axis the slices run along.
 * @param arr The array.
 * @param args Extra arguments for `func1d` (not mapped).
 * @returns The stacked results.
 */
export function applyAlongAxis(
  func1d: (slice: NdArray, ...args: never[]) => NdArray | number,
  axis: number,
  arr: ArrayLike,
  ...args: unknown[]
): NdArray {
  const a = asArray(arr);
  const ax = normalizeAxis(axis, a.ndim);
  let f = (x: NdArray): NdArray =>
    asArray((func1d as (s: NdArray, ...r: unknown[]) => NdArray)(x, ...args));
  // JAX's construction: map the trailing axes to the end of the result, then the leading ones to the front.
  for (let i = 1; i < a.ndim - ax; i++) {
    const inner = f;
    f = (x: NdArray) => vmap(inner, { inAxes: i, outAxes: -1 })(x) as NdArray;
  }
  for (let i = 0; i < ax; i++) {
    const inner = f;
    f = (x: NdArray) => vmap(inner, { inAxes: 0, outAxes: 0 })(x) as NdArray;
  }
  return f(a);
}

/**
 * Evaluates a piecewise-defined function: where `condlist[i]` holds (the
 * last true condition winning, as NumPy), the value is `funclist[i]` — a
 * function of `x` (evaluated on all of `x`, with `args`) or a constant. One
 * more function than conditions gives the value where none holds (default
 * 0). The result has `x`'s dtype.
 *
 * @example
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * const x = np.array([-2, 0.5, 3]);
 * const y = np.piecewise(x, [np.less(x, 0), np.greater(x, 1)], [(v) => np.negative(v), 10, 0.5]);
 * deepEqual(y.tolist(), [2, 0.5, 10]);
 * ```
 *
 * @param x The input.
 * @param condlist Boolean conditions, of `x`'s shape.
 * @param funclist Functions or constants: one per condition, optionally one more.
 * @param args Extra arguments for the functions.
 * @returns The piecewise values.
 */
export function piecewise(
  x: ArrayLike,
  condlist: readonly ArrayLike[],
  funclist: readonly (ArrayLike | ((x: NdArray, ...args: never[]) => NdArray | number))[],
  ...args: unknown[]
): NdArray {
  const a = asArray(x);
  const nc = condlist.length, nf = funclist.length;
  if (nf !== nc && nf !== nc + 1) {
    throw new RangeError(
      `piecewise needs as many functions as conditions, or one more: got ${nc} conditions and ${nf} functions`,
    );
  }
  const value = (f: (typeof funclist)[number]): NdArray => {
    const v = typeof f === "function"
      ? asArray((f as (x: NdArray, ...r: unknown[]) => NdArray)(a, ...args))
      : asArray(f as ArrayLike);
    return broadcastTo(astype(v, a.dtype), a.shape);
  };
  let out = nf === nc + 1 ? value(funclist[nc]) : broadcastTo(scalarArray(0, a.dtype), a.shape);
  for (let i = 0; i < nc; i++) {
    const c0 = asArray(condlist[i]);
    const c = c0.dtype === "bool" ? c0 : notEqual(c0, 0);
    out = where(c, value(funclist[i]), out);
  }
  return out;
}
