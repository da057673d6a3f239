/**
 * The `np.linalg` namespace (JAX's `jax.numpy.linalg`): `norm`. Composed
 * from primitives, so every transformation applies.
 *
 * @example The Euclidean norm
 * ```ts
 * import { np } from "@nabla/ad";
 * import { equal } from "node:assert/strict";
 *
 * equal(np.linalg.norm([3, 4]).item(), 5);
 * ```
 *
 * @module
 */

import type { ArrayLike, NdArray } from "../array/array.ts";
import { isInexact } from "../array/dtype.ts";
import { normalizeAxes, showShape } from "../array/shape.ts";
import { keptShape } from "../primitives/reductions.ts";
import { reshape } from "../primitives/structural.ts";
import { asArray, readOptions, scalarArray } from "./_args.ts";
import { abs, astype, multiply, notEqual, power, sqrt } from "./math.ts";
import { type KeepDimsOptions, max, min, sum } from "./reductions.ts";
import { showValue } from "../array/shape.ts";
import { checkOptions } from "../core/options.ts";

/** The order of a {@linkcode norm}: a number (including ±Infinity), or `"fro"` (also `"f"`) / `"nuc"` for matrices. */
export type NormOrder = number | "fro" | "f" | "nuc" | null;

/**
 * A vector or matrix norm, as `jnp.linalg.norm`. Without `axis`, a 1-D
 * input takes a vector norm and a 2-D input a matrix norm (`ord` omitted:
 * the 2-norm of the flattened input, whatever its rank). With one axis:
 * vector norms — `ord` 2 (default), 1, `Infinity` (max |x|), `-Infinity`
 * (min |x|), 0 (count of nonzeros) or any `p` (`(Σ|x|ᵖ)^(1/p)`). With two
 * axes: matrix norms — `"fro"` (default), 1 / -1 (max / min column sum of
 * |x|), `Infinity` / `-Infinity` (max / min row sum). The spectral and
 * nuclear norms (`ord` 2, -2, `"nuc"`) need an SVD and are not supported.
 * The gradient of the 2-norm at zero is NaN, as JAX's.
 *
 * @example Vector and matrix norms
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual, equal } from "node:assert/strict";
 *
 * equal(np.linalg.norm([3, -4]).item(), 5);
 * equal(np.linalg.norm([3, -4], 1).item(), 7);
 * equal(np.linalg.norm([3, -4], Infinity).item(), 4);
 * equal(np.linalg.norm([[1, 2], [3, 4]], 1).item(), 6);
 * deepEqual(np.linalg.norm([[3, 4], [6, 8]], null, 1).tolist(), [5, 10]);
 * ```
 *
 * @param x The input.
 * @param ord The order (see above); `null` or omitted for the default.
 * @param axis One axis (vector norms) or two (matrix norms); by default as described above.
 * @param opts `keepdims` (default `false`).
 * @returns The norms.
 */
export function norm(
  x: ArrayLike,
  ord: NormOrder = null,
  axis: number | readonly number[] | null = null,
  opts: KeepDimsOptions = {},
): NdArray {
  checkOptions("norm", opts, ["keepdims"]);
  const o = readOptions("norm", opts, false);
  const keepdims = o.keepdims ?? false;
  let a = asArray(x);
  if (!isInexact(a.dtype)) a = astype(a, "float64");
  let axes: number[];
  if (axis === null || axis === undefined) {
    axes = normalizeAxes(null, a.ndim);
    if (ord === null) return finish(sqrt(sum(multiply(a, a), axes)), a, axes, keepdims);
    if (a.ndim !== 1 && a.ndim !== 2) {
      throw new TypeError(
        `Improper number of dimensions to norm: an order needs a 1-D or 2-D input or an axis, got shape ${
          showShape(a.shape)
        }`,
      );
    }
  } else {
    axes = (typeof axis === "number" ? [axis] : [...axis]).map((v) => {
      if (!Number.isInteger(v)) {
        throw new TypeError(
          `Invalid axis for norm: expected integers, got ${showValue(axis)}`,
        );
      }
      return v;
    });
    const sorted = normalizeAxes(axes, a.ndim);
    axes = axes.map((v) => (v < 0 ? v + a.ndim : v));
    if (sorted.length !== axes.length) throw new RangeError("Duplicate axes given to norm");
  }
  if (axes.length === 1) return finish(vectorNorm(a, ord, axes[0]), a, axes, keepdims);
  if (axes.length === 2) return finish(matrixNorm(a, ord, axes[0], axes[1]), a, axes, keepdims);
  throw new TypeError(`Improper number of axes for norm: expected 1 or 2, got ${axes.length}`);
}

function finish(y: NdArray, a: NdArray, axes: number[], keepdims: boolean): NdArray {
  return keepdims ? reshape(y, keptShape(a.shape, axes)) : y;
}

function vectorNorm(a: NdArray, ord: NormOrder, axis: number): NdArray {
  if (ord === null || ord === 2) return sqrt(sum(multiply(a, a), axis));
  if (typeof ord !== "number") {
    throw new TypeError(`Invalid norm order ${showValue(ord)} for vectors`);
  }
  if (ord === Infinity) return max(abs(a), axis);
  if (ord === -Infinity) return min(abs(a), axis);
  if (ord === 0) return sum(astype(notEqual(a, scalarArray(0, a.dtype)), a.dtype), axis);
  if (ord === 1) return sum(abs(a), axis);
  if (Number.isNaN(ord)) throw new TypeError("Invalid norm order NaN for vectors");
  return power(sum(power(abs(a), ord), axis), 1 / ord);
}

function matrixNorm(a: NdArray, ord: NormOrder, row: number, col: number): NdArray {
  if (ord === null || ord === "fro" || ord === "f") return sqrt(sum(multiply(a, a), [row, col]));
  if (ord === 1 || ord === -1) {
    const s = sum(abs(a), row);
    const c = col > row ? col - 1 : col;
    return ord === 1 ? max(s, c) : min(s, c);
  }
  if (ord === Infinity || ord === -Infinity) {
    const s = sum(abs(a), col);
    const r = row > col ? row - 1 : row;
    return ord === Infinity ? max(s, r) : min(s, r);
  }
  if (ord === 2 || ord === -2 || ord === "nuc") {
    throw new TypeError(
      `Unsupported norm order ${
        showValue(ord)
      } for matrices: it needs a singular value decomposition`,
    );
  }
  throw new TypeError(`Invalid norm order ${showValue(ord)} for matrices`);
}
