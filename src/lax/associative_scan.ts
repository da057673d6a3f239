/**
 * `lax.associativeScan` (`jax.lax.associative_scan`): the inclusive prefix
 * scan of an associative binary operation, by the parallel-prefix algorithm
 * JAX uses — combine adjacent pairs, scan the half-length result
 * recursively (the odd positions), combine it with the remaining elements
 * (the even positions), and interleave — so `fn` is applied O(log n) times
 * on whole slices rather than n times on single elements.
 *
 * Built from slices, reshapes, concatenation and reversal, so it is
 * differentiable and batchable wherever `fn` is.
 *
 * @module
 */

import type { NdArray } from "../array/array.ts";
import { normalizeAxis, ShapeError, showShape } from "../array/shape.ts";
import { checkOptions } from "../core/options.ts";
import { concatenate, reshape, rev, slice } from "../primitives/structural.ts";
import { flatten, type TreeDef, unflatten } from "../tree.ts";
import { leafToArray } from "../transforms/common.ts";

/** Options of {@linkcode associativeScan}. */
export interface AssociativeScanOptions {
  /** Scan from the end: `out[i] = fn(elems[i], fn(elems[i+1], … elems[n−1]))` (default `false`). */
  reverse?: boolean;
  /** The axis scanned along, in every leaf (default 0). */
  axis?: number;
}

/** `x[start:limit:stride]` along `axis` (`limit` past the end is clamped). */
function sliceAxis(x: NdArray, axis: number, start: number, limit: number, stride = 1): NdArray {
  return slice(x, {
    starts: x.shape.map((_, i) => (i === axis ? start : 0)),
    limits: x.shape.map((d, i) => (i === axis ? Math.max(start, Math.min(limit, d)) : d)),
    strides: x.shape.map((_, i) => (i === axis ? stride : 1)),
  });
}

/** `[a0, b0, a1, b1, …]` along `axis`, where `a` has as many elements as `b` or one more. */
function interleave(a: NdArray, b: NdArray, axis: number): NdArray {
  const na = a.shape[axis], nb = b.shape[axis];
  const head = na === nb ? a : sliceAxis(a, axis, 0, nb);
  const split = (x: NdArray) =>
    reshape(x, [...x.shape.slice(0, axis + 1), 1, ...x.shape.slice(axis + 1)]);
  const pairs = concatenate([split(head), split(b)], axis + 1);
  const merged = reshape(pairs, [...a.shape.slice(0, axis), 2 * nb, ...a.shape.slice(axis + 1)]);
  return na === nb ? merged : concatenate([merged, sliceAxis(a, axis, nb, na)], axis);
}

/**
 * The inclusive scan of the associative operation `fn` along `axis`, as
 * `jax.lax.associative_scan`: `out[i] = fn(… fn(fn(e[0], e[1]), e[2]) …, e[i])`
 * (the grouping differs, which associativity makes irrelevant). `elems` is a
 * tree of arrays with one length along `axis`; `fn(a, b)` receives two trees
 * like it whose leaves are slices along `axis` (of any one length) and must
 * return a tree of the same structure and shapes — it must work elementwise
 * along `axis`, as `np.add` or a batched `np.matmul` do. `fn` need not be
 * commutative: `a` always holds the earlier elements.
 *
 * @example A cumulative sum, a running maximum, and products of 2×2 matrices
 * ```ts
 * import { type Array, lax, np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(lax.associativeScan(np.add, np.array([1, 2, 3, 4, 5])).tolist(), [1, 3, 6, 10, 15]);
 * deepEqual(lax.associativeScan(np.maximum, np.array([1, 3, 2, 5, 4])).tolist(), [1, 3, 3, 5, 5]);
 * deepEqual(
 *   lax.associativeScan(np.add, np.array([1, 2, 3]), { reverse: true }).tolist(),
 *   [6, 5, 3],
 * );
 * const ms = np.array([[[1, 1], [0, 1]], [[2, 0], [0, 1]], [[1, 0], [3, 1]]]);
 * const prods = lax.associativeScan((a: Array, b: Array) => np.matmul(a, b), ms);
 * deepEqual(prods.get(2).tolist(), [[5, 1], [3, 1]]); // ms[0] @ ms[1] @ ms[2]
 * ```
 *
 * @param fn An associative operation on trees like `elems` (slices of it).
 * @param elems A tree of arrays, all of one length along `axis`.
 * @param options `reverse`, `axis`.
 * @returns A tree like `elems` of the prefix combinations.
 */
// deno-lint-ignore no-explicit-any
export function associativeScan<T = any>(
  // deno-lint-ignore no-explicit-any
  fn: (a: any, b: any) => any,
  elems: T,
  options: AssociativeScanOptions = {},
): T {
  const name = "associativeScan";
  checkOptions(name, options, ["axis", "reverse"]);
  if (typeof fn !== "function") {
    throw new TypeError(`${name}: fn must be a function: got ${typeof fn}`);
  }
  const [raw, def] = flatten(elems);
  if (raw.length === 0) {
    throw new TypeError(`${name}: elems must have at least one array leaf: got ${def}`);
  }
  const leaves = raw.map((l) => leafToArray(l, `${name} elems`));
  const axisIn = options.axis ?? 0;
  if (!Number.isInteger(axisIn)) {
    throw new TypeError(`${name}: axis must be an integer: got ${axisIn}`);
  }
  if (leaves[0].ndim === 0) {
    throw new TypeError(`${name}: elems must be arrays with at least one axis: leaf 0 is a scalar`);
  }
  const axis = normalizeAxis(axisIn, leaves[0].ndim);
  const n = leaves[0].shape[axis];
  leaves.forEach((x, i) => {
    if (x.ndim !== leaves[0].ndim || x.shape[axis] !== n) {
      throw new ShapeError(
        `${name}: every leaf of elems must have length ${n} along axis ${axis} (as leaf 0, shape ${
          showShape(leaves[0].shape)
        }): leaf ${i} has shape ${showShape(x.shape)}`,
        { op: name, shapes: [leaves[0].shape, x.shape] },
      );
    }
  });
  const reverse = options.reverse ?? false;
  const flat = reverse ? leaves.map((x) => rev(x, [axis])) : leaves;
  const combine = (a: NdArray[], b: NdArray[]): NdArray[] => combineTrees(fn, def, a, b, axis);
  const scan = (xs: NdArray[]): NdArray[] => {
    const m = xs[0].shape[axis];
    if (m < 2) return xs;
    // adjacent pairs combined: (e0∘e1, e2∘e3, …)
    const reduced = combine(
      xs.map((x) => sliceAxis(x, axis, 0, m - 1, 2)),
      xs.map((x) => sliceAxis(x, axis, 1, m, 2)),
    );
    const odd = scan(reduced); // prefixes ending at positions 1, 3, 5, …
    const rest = xs.map((x) => sliceAxis(x, axis, 2, m, 2));
    const evenTail = m % 2 === 0
      ? combine(odd.map((o) => sliceAxis(o, axis, 0, o.shape[axis] - 1)), rest)
      : combine(odd, rest); // prefixes ending at positions 2, 4, …
    const even = xs.map((x, i) => concatenate([sliceAxis(x, axis, 0, 1), evenTail[i]], axis));
    return even.map((e, i) => interleave(e, odd[i], axis));
  };
  const out = scan(flat);
  return unflatten<T>(def, reverse ? out.map((x) => rev(x, [axis])) : out);
}

/** `fn` on two trees of slices, checked to return the same structure and shapes. */
function combineTrees(
  // deno-lint-ignore no-explicit-any
  fn: (a: any, b: any) => any,
  def: TreeDef,
  a: NdArray[],
  b: NdArray[],
  axis: number,
): NdArray[] {
  // Empty slices (from short inputs) need no combining: the result is empty too.
  if (a[0].shape[axis] === 0) return a;
  const [raw, outDef] = flatten(fn(unflatten(def, a), unflatten(def, b)));
  if (!outDef.equals(def)) {
    throw new ShapeError(
      `associativeScan: fn must return a tree with the structure of elems ${def}: got ${outDef}`,
      { op: "associativeScan" },
    );
  }
  return raw.map((r, i) => {
    const x = leafToArray(r, "associativeScan: outputs of fn");
    const want = a[i].shape;
    if (x.ndim !== want.length || x.shape.some((d, k) => d !== want[k])) {
      throw new ShapeError(
        `associativeScan: fn must return arrays of the shape of its arguments (it works elementwise along the scanned axis): leaf ${i} has shape ${
          showShape(x.shape)
        }, expected ${showShape(want)}`,
        { op: "associativeScan", shapes: [x.shape, want] },
      );
    }
    return x;
  });
}
