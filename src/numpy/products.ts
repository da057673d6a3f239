/**
 * Matrix and vector products for the `np` namespace: `dot`, `matmul`,
 * `vdot`, `inner`, `outer`, `tensordot`, `einsum`, `kron`, `cross` and
 * `trace`. The products are one `dot_general` (plus reshapes, transposes and
 * broadcasts), so every product has the same JVP, transpose and batching
 * rules. Operands are promoted to a common dtype; bool products are
 * computed in int32 and compared with 0, as NumPy's logical or-of-ands.
 *
 * @module
 */

import * as P from "../primitives/structural.ts";
import type { ArrayLike, NdArray } from "../array/array.ts";
import {
  broadcastShapes,
  normalizeAxis,
  type Shape,
  ShapeError,
  showShape,
} from "../array/shape.ts";
import { bind } from "../core/handler.ts";
import { convert, mul, neP } from "../primitives/elementwise.ts";
import { dotGeneral } from "../primitives/products.ts";
import { reduceSum } from "../primitives/reductions.ts";
import { promote, scalarArray } from "./_args.ts";
import { broadcastArrays } from "./manipulation.ts";
import { diagonal } from "./indexing.ts";
import { multiply, subtract } from "./math.ts";
import { sliceAxis } from "./_args.ts";
import { showValue } from "../array/shape.ts";
import { isComplex } from "../array/dtype.ts";
import { conj } from "./complex.ts";
/** Promotes operands; bool operands become int32 (undo with {@linkcode finish}). */
function prepare(xs: readonly ArrayLike[]): [NdArray[], boolean] {
  const arrs = promote(xs);
  const isBool = arrs.length > 0 && arrs[0].dtype === "bool";
  return [isBool ? arrs.map((a) => convert(a, "int32")) : arrs, isBool];
}

function finish(out: NdArray, isBool: boolean): NdArray {
  return isBool ? bind(neP, [out, scalarArray(0, "int32")], undefined) : out;
}

function contract(x: NdArray, y: NdArray, ca: readonly number[], cb: readonly number[]): NdArray {
  return dotGeneral(x, y, { lhsContract: ca, rhsContract: cb, lhsBatch: [], rhsBatch: [] });
}

function checkPair(
  what: string,
  x: NdArray,
  y: NdArray,
  ca: readonly number[],
  cb: readonly number[],
): void {
  for (let i = 0; i < ca.length; i++) {
    const m = x.shape[ca[i]], n = y.shape[cb[i]];
    if (m !== n) {
      throw new ShapeError(
        `${what} of shapes ${showShape(x.shape)} and ${
          showShape(y.shape)
        }: contracted dimensions differ (${m} vs ${n})`,
        { op: what, shapes: [x.shape, y.shape] },
      );
    }
  }
}

const MULTIPLY = "Cannot multiply matrices";

/**
 * NumPy's `dot`: a product for scalars, the inner product of vectors, the
 * matrix product of matrices, and in general a sum over the last axis of `a`
 * and the second-to-last axis of `b` (its only axis when 1-D).
 *
 * @example Vectors and matrices
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.dot([1, 2, 3], [4, 5, 6]).item(), 32);
 * deepEqual(np.dot([[1, 2], [3, 4]], [1, 1]).tolist(), [3, 7]);
 * ```
 *
 * @param a The left operand.
 * @param b The right operand.
 * @returns The product, of shape `a.shape[:-1] ++ b.shape[:-2] ++ b.shape[-1:]`.
 */
export function dot(a: ArrayLike, b: ArrayLike): NdArray {
  const [[x, y], isBool] = prepare([a, b]);
  if (x.ndim === 0 || y.ndim === 0) return finish(mul(x, y), isBool);
  const ca = [x.ndim - 1], cb = [y.ndim === 1 ? 0 : y.ndim - 2];
  checkPair(MULTIPLY, x, y, ca, cb);
  return finish(contract(x, y, ca, cb), isBool);
}

/**
 * The matrix product `a @ b` with NumPy's rules: 1-D operands are promoted to
 * a row (left) or column (right) matrix and the added axis removed again;
 * leading (batch) axes broadcast.
 *
 * @example Batched matrix product
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.matmul([[1, 2], [3, 4]], [[5], [6]]).tolist(), [[17], [39]]);
 * deepEqual(np.matmul(np.ones([5, 2, 3]), np.ones([3, 4])).shape, [5, 2, 4]);
 * ```
 *
 * @param a The left operand (rank at least 1).
 * @param b The right operand (rank at least 1).
 * @returns The product, of shape `broadcast(batch) ++ [m, n]` minus promoted axes.
 */
export function matmul(a: ArrayLike, b: ArrayLike): NdArray {
  const [[x, y], isBool] = prepare([a, b]);
  [x, y].forEach((v, i) => {
    if (v.ndim === 0) {
      throw new TypeError(
        `Cannot matmul a zero-dimensional array: operand ${i} has shape [] (use multiply for scalars)`,
      );
    }
  });
  const k1 = x.shape[x.ndim - 1], k2 = y.shape[y.ndim === 1 ? 0 : y.ndim - 2];
  if (k1 !== k2) {
    throw new ShapeError(
      `${MULTIPLY} of shapes ${showShape(x.shape)} and ${
        showShape(y.shape)
      }: contracted dimensions differ (${k1} vs ${k2})`,
      { op: "matmul", shapes: [x.shape, y.shape] },
    );
  }
  // No batch axes on the right: one dot_general, as JAX (a vector operand contracts as it is,
  // the left's batch axes lead).
  if (y.ndim <= 2) return finish(contract(x, y, [x.ndim - 1], [0]), isBool);
  // Batch axes on the right (rank ≥ 3): broadcast the batch axes, a vector on the left as a row.
  const xa = x.ndim === 1 ? P.reshape(x, [1, x.shape[0]]) : x;
  const xb = xa.shape.slice(0, -2), yb = y.shape.slice(0, -2);
  let batch: Shape;
  try {
    batch = broadcastShapes(xb, yb);
  } catch {
    throw new ShapeError(
      `${MULTIPLY} of shapes ${showShape(x.shape)} and ${showShape(y.shape)}: batch dimensions ${
        showShape(xb)
      } and ${showShape(yb)} do not broadcast`,
      { op: "matmul", shapes: [x.shape, y.shape] },
    );
  }
  const nb = batch.length;
  const xf = P.broadcastTo(xa, [...batch, ...xa.shape.slice(-2)]);
  const yf = P.broadcastTo(y, [...batch, ...y.shape.slice(-2)]);
  const axes = batch.map((_, i) => i);
  let out = dotGeneral(xf, yf, {
    lhsContract: [nb + 1],
    rhsContract: [nb],
    lhsBatch: axes,
    rhsBatch: axes,
  });
  if (x.ndim === 1) {
    const s = out.shape.slice();
    s.splice(s.length - 2, 1);
    out = P.reshape(out, s);
  }
  return finish(out, isBool);
}

/**
 * The dot product of the flattened operands (which must have equal sizes).
 *
 * @example Flattened dot product
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.vdot([[1, 2], [3, 4]], [1, 1, 1, 1]).item(), 10);
 * ```
 *
 * @param a The left operand.
 * @param b The right operand.
 * @returns A 0-d array: `sum(ravel(a) * ravel(b))`.
 */
export function vdot(a: ArrayLike, b: ArrayLike): NdArray {
  const [[x, y], isBool] = prepare([a, b]);
  if (x.size !== y.size) {
    throw new ShapeError(
      `Cannot take vdot of arrays of shapes ${showShape(x.shape)} and ${
        showShape(y.shape)
      }: sizes differ (${x.size} vs ${y.size})`,
      { op: "vdot", shapes: [x.shape, y.shape] },
    );
  }
  const out = contract(P.reshape(x, [x.size]), P.reshape(y, [y.size]), [0], [0]);
  return finish(out, isBool);
}

/**
 * The inner product over the last axes of `a` and `b` (a product when either
 * is a scalar).
 *
 * @example Inner products of rows
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.inner([[1, 2], [3, 4]], [1, 10]).tolist(), [21, 43]);
 * ```
 *
 * @param a The left operand.
 * @param b The right operand.
 * @returns An array of shape `a.shape[:-1] ++ b.shape[:-1]`.
 */
export function inner(a: ArrayLike, b: ArrayLike): NdArray {
  const [[x, y], isBool] = prepare([a, b]);
  if (x.ndim === 0 || y.ndim === 0) return finish(mul(x, y), isBool);
  const ca = [x.ndim - 1], cb = [y.ndim - 1];
  checkPair("Cannot take the inner product", x, y, ca, cb);
  return finish(contract(x, y, ca, cb), isBool);
}

/**
 * The outer product of the flattened operands.
 *
 * @example Outer product
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.outer([1, 2], [1, 10, 100]).tolist(), [[1, 10, 100], [2, 20, 200]]);
 * ```
 *
 * @param a The left operand (flattened).
 * @param b The right operand (flattened).
 * @returns An array of shape `[a.size, b.size]`.
 */
export function outer(a: ArrayLike, b: ArrayLike): NdArray {
  const [[x, y], isBool] = prepare([a, b]);
  return finish(mul(P.reshape(x, [x.size, 1]), P.reshape(y, [1, y.size])), isBool);
}

/**
 * Tensor contraction over axes: with a number `n`, the last `n` axes of `a`
 * against the first `n` of `b`; with `[axesA, axesB]`, those axes pairwise.
 * The result has the free axes of `a`, then those of `b`, in order.
 *
 * @example Contract two axes
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.tensordot(np.ones([2, 3, 4]), np.ones([3, 4, 5])).shape, [2, 5]);
 * deepEqual(np.tensordot([[1, 2], [3, 4]], [1, 10], [[0], [0]]).tolist(), [31, 42]);
 * ```
 *
 * @param a The left operand.
 * @param b The right operand.
 * @param axes How many trailing/leading axes to contract, or the axis lists.
 * @returns The contraction.
 */
export function tensordot(
  a: ArrayLike,
  b: ArrayLike,
  axes: number | readonly [number | readonly number[], number | readonly number[]] = 2,
): NdArray {
  const [[x, y], isBool] = prepare([a, b]);
  let ca: number[], cb: number[];
  if (typeof axes === "number") {
    if (!Number.isInteger(axes) || axes < 0 || axes > x.ndim || axes > y.ndim) {
      throw new RangeError(
        `Cannot tensordot arrays of shapes ${showShape(x.shape)} and ${
          showShape(y.shape)
        } over ${axes} axes: expected an integer in [0, ${Math.min(x.ndim, y.ndim)}]`,
      );
    }
    ca = globalThis.Array.from({ length: axes }, (_, i) => x.ndim - axes + i);
    cb = globalThis.Array.from({ length: axes }, (_, i) => i);
  } else {
    const list = (v: number | readonly number[]) => (typeof v === "number" ? [v] : v.slice());
    const la = list(axes[0]), lb = list(axes[1]);
    if (la.length !== lb.length) {
      throw new TypeError(
        `Cannot tensordot over axes ${showValue(la)} and ${
          showValue(lb)
        }: the axis lists have different lengths (${la.length} vs ${lb.length})`,
      );
    }
    ca = la.map((v) => normalizeAxis(v, x.ndim));
    cb = lb.map((v) => normalizeAxis(v, y.ndim));
    for (const [l, what] of [[ca, "first"], [cb, "second"]] as const) {
      if (new Set(l).size !== l.length) {
        throw new RangeError(
          `Cannot tensordot: repeated axis in the ${what} axis list ${showValue(l)}`,
        );
      }
    }
  }
  checkPair("Cannot tensordot arrays", x, y, ca, cb);
  return finish(contract(x, y, ca, cb), isBool);
}

// ---------------------------------------------------------------------------
// einsum

const LETTER = /^[A-Za-z]$/;

/** One operand's subscripts: letters, plus where "..." stood (or -1). */
interface Term {
  labels: string[];
  ellipsisAt: number;
}

function parseTerm(s: string, subscripts: string): Term {
  const labels: string[] = [];
  let ellipsisAt = -1;
  for (let i = 0; i < s.length; i++) {
    if (s.startsWith("...", i)) {
      if (ellipsisAt !== -1) {
        throw new TypeError(
          `Invalid einsum subscripts ${showValue(subscripts)}: "..." appears twice in "${s}"`,
        );
      }
      ellipsisAt = labels.length;
      i += 2;
    } else if (LETTER.test(s[i])) labels.push(s[i]);
    else {
      throw new TypeError(
        `Invalid einsum subscripts ${showValue(subscripts)}: unexpected character ${
          showValue(s[i])
        } (subscripts are letters, "," "->" and "...")`,
      );
    }
  }
  return { labels, ellipsisAt };
}

/** Expands a term's "..." into labels `…j` for ellipsis dimension j (right-aligned to `total`). */
function expand(term: Term, count: number, total: number): string[] {
  if (term.ellipsisAt === -1) return term.labels.slice();
  const ell = globalThis.Array.from({ length: count }, (_, j) => `…${total - count + j}`);
  return [...term.labels.slice(0, term.ellipsisAt), ...ell, ...term.labels.slice(term.ellipsisAt)];
}

/**
 * Einstein summation: `einsum("ij,jk->ik", a, b)` is `matmul(a, b)`. Without
 * `->`, the output has the indices appearing once, alphabetically (after the
 * `...` dimensions). An index repeated within an operand takes a diagonal; an
 * index missing from the output is summed. `...` stands for broadcast
 * dimensions, and axes of length 1 broadcast against other operands.
 *
 * Each operand's own summed indices are reduced first; the operands are then
 * contracted pairwise from left to right, one `dot_general` each.
 *
 * @example Matrix product, trace and batched product
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.einsum("ij,jk->ik", [[1, 2]], [[3], [4]]).tolist(), [[11]]);
 * deepEqual(np.einsum("ii", [[1, 2], [3, 4]]).item(), 5);
 * deepEqual(np.einsum("bij,bjk->bik", np.ones([5, 2, 3]), np.ones([5, 3, 4])).shape, [5, 2, 4]);
 * ```
 *
 * @example The sublist form
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * const a = np.array([[1, 2], [3, 4]]);
 * deepEqual(np.einsum(a, [0, 1], a, [1, 2], [0, 2]).tolist(), np.matmul(a, a).tolist());
 * ```
 *
 * @param subscripts The subscripts, such as `"ij,jk->ik"` (or, in the sublist form,
 *   operands each followed by its list of integer labels, then optionally the output's).
 * @param operands One array per comma-separated term.
 * @returns The result, with axes in the output subscripts' order.
 */
export function einsum(subscripts: string, ...operands: ArrayLike[]): NdArray;
export function einsum(...operandsAndSublists: (ArrayLike | EinsumSublist)[]): NdArray;
export function einsum(...args: (ArrayLike | string | EinsumSublist)[]): NdArray {
  if (typeof args[0] === "string") {
    return einsumString(args[0], ...(args.slice(1) as ArrayLike[]));
  }
  const [spec, operands] = sublistSpec(args as (ArrayLike | EinsumSublist)[]);
  return einsumString(spec, ...operands);
}

/**
 * A sublist of einsum's sublist form: axis labels as integers 0–51 (and
 * `"..."` for an ellipsis), as NumPy's `einsum(a, [0, 1], b, [1, 2], [0, 2])`.
 */
export type EinsumSublist = readonly (number | "...")[];

const LETTERS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

/** The subscripts string and operands of the sublist form `op0, sub0, op1, sub1, ..., [out]`. */
function sublistSpec(args: readonly (ArrayLike | EinsumSublist)[]): [string, ArrayLike[]] {
  const term = (sub: unknown): string => {
    if (!globalThis.Array.isArray(sub)) {
      throw new TypeError(`einsum sublists must be lists of integer labels: got ${showValue(sub)}`);
    }
    return sub.map((l) => {
      if (l === "...") return "...";
      if (typeof l !== "number" || !Number.isInteger(l) || l < 0 || l >= LETTERS.length) {
        throw new TypeError(
          `einsum sublist labels must be integers in [0, 52) or "...": got ${showValue(l)}`,
        );
      }
      return LETTERS[l];
    }).join("");
  };
  const operands: ArrayLike[] = [];
  const terms: string[] = [];
  let i = 0;
  for (; i + 1 < args.length; i += 2) {
    operands.push(args[i] as ArrayLike);
    terms.push(term(args[i + 1]));
  }
  const out = i < args.length ? "->" + term(args[i]) : "";
  if (operands.length === 0) throw new TypeError("einsum needs at least one operand");
  return [terms.join(",") + out, operands];
}

function einsumString(subscripts: string, ...operands: ArrayLike[]): NdArray {
  const spec = subscripts.replace(/\s+/g, "");
  const arrow = spec.indexOf("->");
  const lhs = arrow === -1 ? spec : spec.slice(0, arrow);
  const rhs = arrow === -1 ? null : spec.slice(arrow + 2);
  if (rhs !== null && rhs.includes("->")) {
    throw new TypeError(
      `Invalid einsum subscripts ${showValue(subscripts)}: "->" appears twice`,
    );
  }
  const terms = lhs.split(",").map((t) => parseTerm(t, subscripts));
  if (terms.length !== operands.length) {
    throw new TypeError(
      `Einsum subscripts ${
        showValue(subscripts)
      } name ${terms.length} operands, but ${operands.length} were given`,
    );
  }
  const [arrs, isBool] = prepare(operands);

  // Ellipsis dimensions per operand, right-aligned across operands.
  const ellCounts = terms.map((t, i) => {
    const a = arrs[i];
    const ok = t.ellipsisAt === -1 ? a.ndim === t.labels.length : a.ndim >= t.labels.length;
    if (!ok) {
      throw new TypeError(
        `Einsum operand ${i} has shape ${showShape(a.shape)} (rank ${a.ndim}), but its subscripts ${
          showValue(lhs.split(",")[i])
        } name ${t.labels.length} dimensions`,
      );
    }
    return t.ellipsisAt === -1 ? 0 : a.ndim - t.labels.length;
  });
  const ellTotal = Math.max(0, ...ellCounts);
  const labels = terms.map((t, i) => expand(t, ellCounts[i], ellTotal));
  const ellLabels = globalThis.Array.from({ length: ellTotal }, (_, j) => `…${j}`);

  // Output labels.
  let out: string[];
  if (rhs === null) {
    const count = new Map<string, number>();
    for (const t of terms) for (const l of t.labels) count.set(l, (count.get(l) ?? 0) + 1);
    const once = [...count].filter(([, c]) => c === 1).map(([l]) => l).sort();
    out = [...ellLabels, ...once];
  } else {
    const t = parseTerm(rhs, subscripts);
    if (t.ellipsisAt === -1 && ellTotal > 0) {
      throw new TypeError(
        `Invalid einsum subscripts ${
          showValue(subscripts)
        }: the operands have ${ellTotal} "..." dimensions, but the output has no "..."`,
      );
    }
    out = expand(t, ellTotal, ellTotal);
    const seen = new Set<string>();
    for (const l of t.labels) {
      if (seen.has(l)) {
        throw new TypeError(
          `Invalid einsum subscripts ${showValue(subscripts)}: output index '${l}' repeats`,
        );
      }
      seen.add(l);
      if (!terms.some((u) => u.labels.includes(l))) {
        throw new TypeError(
          `Invalid einsum subscripts ${
            showValue(subscripts)
          }: output index '${l}' does not appear in the inputs`,
        );
      }
    }
  }

  // Size of every label (length-1 axes broadcast).
  const size = new Map<string, number>();
  labels.forEach((ls, i) =>
    ls.forEach((l, ax) => {
      const n = arrs[i].shape[ax];
      const prev = size.get(l);
      if (prev === undefined || prev === 1) size.set(l, n);
      else if (n !== 1 && n !== prev) {
        const name = l.startsWith("…") ? `"..." dimension ${l.slice(1)}` : `index '${l}'`;
        throw new TypeError(
          `Cannot einsum ${showValue(subscripts)} with operands of shapes ${
            arrs.map((a) => showShape(a.shape)).join(", ")
          }: ${name} has sizes ${prev} and ${n}`,
        );
      }
    })
  );

  // Per operand: diagonals for repeated labels, broadcast, then sum private labels.
  const ops: NdArray[] = [];
  const opLabels: string[][] = [];
  for (let i = 0; i < arrs.length; i++) {
    let x = arrs[i];
    let ls = labels[i];
    for (;;) {
      const q = ls.findIndex((l, k) => ls.indexOf(l) !== k);
      if (q === -1) break;
      const p = ls.indexOf(ls[q]);
      x = diagonal(x, 0, p, q);
      ls = [...ls.filter((_, k) => k !== p && k !== q), ls[p]];
    }
    const target = ls.map((l) => size.get(l)!);
    if (target.some((n, k) => n !== x.shape[k])) x = P.broadcastTo(x, target);
    const others = new Set(out);
    labels.forEach((o, j) => j !== i && o.forEach((l) => others.add(l)));
    const own = ls.map((l, k) => (others.has(l) ? -1 : k)).filter((k) => k >= 0);
    if (own.length > 0) {
      x = reduceSum(x, own);
      ls = ls.filter((_, k) => !own.includes(k));
    }
    ops.push(x);
    opLabels.push(ls);
  }

  // Contract left to right.
  let acc = ops[0], accLabels = opLabels[0];
  for (let i = 1; i < ops.length; i++) {
    const later = new Set(out);
    for (let j = i + 1; j < ops.length; j++) opLabels[j].forEach((l) => later.add(l));
    const ls = opLabels[i];
    const lhsBatch: number[] = [], rhsBatch: number[] = [];
    const lhsContract: number[] = [], rhsContract: number[] = [];
    accLabels.forEach((l, k) => {
      const r = ls.indexOf(l);
      if (r === -1) return;
      if (later.has(l)) lhsBatch.push(k), rhsBatch.push(r);
      else lhsContract.push(k), rhsContract.push(r);
    });
    acc = dotGeneral(acc, ops[i], { lhsContract, rhsContract, lhsBatch, rhsBatch });
    const shared = new Set([...lhsBatch, ...lhsContract].map((k) => accLabels[k]));
    accLabels = [
      ...lhsBatch.map((k) => accLabels[k]),
      ...accLabels.filter((l) => !shared.has(l)),
      ...ls.filter((l) => !shared.has(l)),
    ];
  }
  const perm = out.map((l) => accLabels.indexOf(l));
  return finish(P.transpose(acc, perm), isBool);
}

// ---------------------------------------------------------------------------
// cross / kron / select

/**
 * The cross product of 3-vectors (or 2-vectors, as NumPy and JAX) along
 * `axis`, broadcasting the other axes. Two 2-vectors give the scalar
 * z-component; a 2-vector with a 3-vector is taken to have z = 0.
 *
 * @example Unit vectors
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.cross([1, 0, 0], [0, 1, 0]).tolist(), [0, 0, 1]);
 * deepEqual(np.cross([[1, 2, 3]], [[4, 5, 6]]).tolist(), [[-3, 6, -3]]);
 * deepEqual(np.cross([1, 2], [3, 4]).tolist(), -2);
 * ```
 *
 * @param a First vectors.
 * @param b Second vectors.
 * @param axis The axis holding the vector components (default the last).
 * @returns The cross products (their vector axis at `axis`).
 */
export function cross(a: ArrayLike, b: ArrayLike, axis = -1): NdArray {
  const [x0, y0] = promote([a, b]);
  if (x0.dtype === "bool") {
    throw new TypeError("Cannot take the cross product of bool arrays: convert them with astype");
  }
  if (x0.ndim === 0 || y0.ndim === 0) {
    throw new TypeError("cross needs arrays of at least one dimension: got a scalar");
  }
  const move = (v: NdArray) => {
    const ax = normalizeAxis(axis, v.ndim);
    const perm = v.shape.map((_, i) => i).filter((i) => i !== ax);
    return P.transpose(v, [...perm, ax]);
  };
  const x = move(x0), y = move(y0);
  const nx = x.shape[x.ndim - 1], ny = y.shape[y.ndim - 1];
  if ((nx !== 2 && nx !== 3) || (ny !== 2 && ny !== 3)) {
    throw new RangeError(
      `Incompatible dimensions for cross product: the vector axes have lengths ${nx} and ${ny} (each must be 2 or 3)`,
    );
  }
  const comp = (v: NdArray, i: number): NdArray | null => {
    if (i >= v.shape[v.ndim - 1]) return null;
    const s = sliceAxis(v, v.ndim - 1, i, i + 1);
    return P.reshape(s, v.shape.slice(0, -1));
  };
  const [ax_, ay_, az_] = [comp(x, 0)!, comp(x, 1)!, comp(x, 2)];
  const [bx_, by_, bz_] = [comp(y, 0)!, comp(y, 1)!, comp(y, 2)];
  const mul = (p: NdArray | null, q: NdArray | null) =>
    p === null || q === null ? null : multiply(p, q);
  const minus = (p: NdArray | null, q: NdArray | null): NdArray => {
    if (p !== null && q !== null) return subtract(p, q);
    if (p !== null) return p;
    return subtract(scalarArray(0, x.dtype), q!);
  };
  const z = minus(mul(ax_, by_), mul(ay_, bx_));
  if (nx === 2 && ny === 2) return z;
  const cx = minus(mul(ay_, bz_), mul(az_, by_));
  const cy = minus(mul(az_, bx_), mul(ax_, bz_));
  const parts = broadcastArrays(cx, cy, z).map((p) => P.reshape(p, [...p.shape, 1]));
  const out = P.concatenate(parts, parts[0].ndim - 1);
  // The vector axis goes where `axis` says (NumPy's axisc).
  const at = normalizeAxis(axis, out.ndim);
  if (at === out.ndim - 1) return out;
  const perm = out.shape.map((_, i) => i).slice(0, -1);
  perm.splice(at, 0, out.ndim - 1);
  return P.transpose(out, perm);
}

/**
 * The Kronecker product: blocks `a[i] * b` laid out on the grid of `a`
 * (the lower-rank input gets leading unit axes).
 *
 * @example A block matrix
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.kron([1, 10], [1, 2]).tolist(), [1, 2, 10, 20]);
 * deepEqual(np.kron(np.eye(2), [[1, 2]]).tolist(), [[1, 2, 0, 0], [0, 0, 1, 2]]);
 * ```
 *
 * @param a First array.
 * @param b Second array.
 * @returns An array of shape `a.shape * b.shape` (per axis).
 */
export function kron(a: ArrayLike, b: ArrayLike): NdArray {
  const [x, y] = promote([a, b]);
  const nd = Math.max(x.ndim, y.ndim);
  const pad1 = (s: readonly number[]) => [...new globalThis.Array(nd - s.length).fill(1), ...s];
  const sx = pad1(x.shape), sy = pad1(y.shape);
  const xr = P.reshape(x, sx.flatMap((d) => [d, 1]));
  const yr = P.reshape(y, sy.flatMap((d) => [1, d]));
  const prod = multiply(xr, yr);
  return P.reshape(prod, sx.map((d, i) => d * sy[i]));
}

/**
 * Sum along a diagonal (see {@linkcode diagonal}); bool arrays sum as int32.
 *
 * @example Trace of a matrix
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.trace([[1, 2], [3, 4]]).item(), 5);
 * ```
 *
 * @param x An array of rank at least 2.
 * @param offset The diagonal.
 * @param axis1 The axis of the rows.
 * @param axis2 The axis of the columns.
 * @returns The sums of the diagonals.
 */
export function trace(x: ArrayLike, offset = 0, axis1 = 0, axis2 = 1): NdArray {
  let d = diagonal(x, offset, axis1, axis2);
  if (d.dtype === "bool") d = convert(d, "int32");
  return reduceSum(d, [d.ndim - 1]);
}

/**
 * The matrix–vector product over the last two axes of `x` and the last of
 * `v`, broadcasting the leading (batch) axes: `matmul(x, v[..., None])[..., 0]`.
 *
 * @example
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.matvec(np.array([[1, 2], [3, 4]]), np.array([1, 1])).tolist(), [3, 7]);
 * ```
 *
 * @param x Matrices `[..., m, n]`.
 * @param v Vectors `[..., n]`.
 * @returns Vectors `[..., m]`.
 */
export function matvec(x: ArrayLike, v: ArrayLike): NdArray {
  const [a, b] = promote([x, v]);
  if (a.ndim < 2 || b.ndim < 1) {
    throw new TypeError(
      `matvec needs matrices and vectors: got shapes ${showShape(a.shape)} and ${
        showShape(b.shape)
      }`,
    );
  }
  const out = matmul(a, P.reshape(b, [...b.shape, 1]));
  return P.reshape(out, out.shape.slice(0, -1));
}

/**
 * The vector–matrix product over the last axis of `v` and the last two of
 * `x`, broadcasting batch axes: `matmul(conj(v)[..., None, :], x)[..., 0, :]`.
 *
 * @example
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(np.vecmat(np.array([1, 1]), np.array([[1, 2], [3, 4]])).tolist(), [4, 6]);
 * ```
 *
 * @param v Vectors `[..., m]` (conjugated when complex).
 * @param x Matrices `[..., m, n]`.
 * @returns Vectors `[..., n]`.
 */
export function vecmat(v: ArrayLike, x: ArrayLike): NdArray {
  const [b, a] = promote([v, x]);
  if (a.ndim < 2 || b.ndim < 1) {
    throw new TypeError(
      `vecmat needs vectors and matrices: got shapes ${showShape(b.shape)} and ${
        showShape(a.shape)
      }`,
    );
  }
  const bc = isComplex(b.dtype) ? conj(b) : b;
  const out = matmul(P.reshape(bc, [...b.shape.slice(0, -1), 1, b.shape[b.ndim - 1]]), a);
  return P.reshape(out, [...out.shape.slice(0, -2), out.shape[out.ndim - 1]]);
}
