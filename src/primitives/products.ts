/**
 * `dot_general`: the one contraction primitive. `np.dot`, `matmul`, `einsum`,
 * `tensordot`, `inner`, `outer` and `vdot` are compositions of it.
 *
 * Output axes: the batch axes (in the order given), then the free axes of
 * `lhs`, then the free axes of `rhs` (each in increasing order). Bilinear: its
 * JVP is `dot(dl, r) + dot(l, dr)`, its transpose a `dot_general` of the
 * cotangent with the other operand followed by a transpose.
 *
 * @module
 */

import { NdArray } from "../array/array.ts";
import { allocate, type TypedArray } from "../array/dtype.ts";
import { type Shape, ShapeError, showShape, sizeOf } from "../array/shape.ts";
import { matmulKernel } from "../array/kernels/matmul.ts";
import { transposeKernel } from "../array/kernels/structural.ts";
import { bind } from "../core/handler.ts";
import {
  type Aval,
  LinearIn,
  type LinearPrimitive,
  type Tangent,
  Zero,
} from "../core/primitive.ts";
import { add } from "./elementwise.ts";
import { moveAxis } from "./rules.ts";
import { transpose } from "./structural.ts";
import { storageOf } from "../array/array.ts";

/** Parameters of `dot_general`. */
export interface DotGeneralParams {
  /** Contracted axes of `lhs`. */
  readonly lhsContract: readonly number[];
  /** Contracted axes of `rhs`, paired with `lhsContract`. */
  readonly rhsContract: readonly number[];
  /** Batch axes of `lhs`. */
  readonly lhsBatch: readonly number[];
  /** Batch axes of `rhs`, paired with `lhsBatch`. */
  readonly rhsBatch: readonly number[];
}

function freeAxes(rank: number, contract: readonly number[], batch: readonly number[]): number[] {
  const out: number[] = [];
  for (let i = 0; i < rank; i++) if (!contract.includes(i) && !batch.includes(i)) out.push(i);
  return out;
}

function dotAval(l: Aval, r: Aval, p: DotGeneralParams): Aval {
  if (l.dtype !== r.dtype) {
    throw new TypeError(
      `Primitive 'dot_general' needs operands of one dtype: got ${l.dtype} and ${r.dtype}`,
    );
  }
  const pairs: [readonly number[], readonly number[], string][] = [
    [p.lhsContract, p.rhsContract, "contracted"],
    [p.lhsBatch, p.rhsBatch, "batch"],
  ];
  for (const [la, ra, what] of pairs) {
    for (let i = 0; i < la.length; i++) {
      if (l.shape[la[i]] !== r.shape[ra[i]]) {
        throw new ShapeError(
          `Cannot contract shapes ${showShape(l.shape)} and ${showShape(r.shape)}: ${what} axis ${
            la[i]
          } of the first has size ${l.shape[la[i]]} but axis ${ra[i]} of the second has size ${
            r.shape[ra[i]]
          }`,
          { op: "dot_general", shapes: [l.shape, r.shape] },
        );
      }
    }
  }
  const lf = freeAxes(l.shape.length, p.lhsContract, p.lhsBatch);
  const rf = freeAxes(r.shape.length, p.rhsContract, p.rhsBatch);
  return {
    shape: [
      ...p.lhsBatch.map((a) => l.shape[a]),
      ...lf.map((a) => l.shape[a]),
      ...rf.map((a) => r.shape[a]),
    ],
    dtype: l.dtype === "bool" ? "bool" : l.dtype,
  };
}

/** Copies `x` into the axis order `perm` (no copy when already in order). */
function arrange(x: NdArray, perm: readonly number[]): TypedArray {
  if (perm.every((p, i) => p === i)) return storageOf(x);
  const out = allocate(x.dtype, x.size);
  transposeKernel(storageOf(x), x.shape, perm, out);
  return out;
}

function dotImpl(l: NdArray, r: NdArray, p: DotGeneralParams): NdArray {
  const { shape, dtype } = dotAval(l, r, p);
  const lf = freeAxes(l.ndim, p.lhsContract, p.lhsBatch);
  const rf = freeAxes(r.ndim, p.rhsContract, p.rhsBatch);
  const size = (s: Shape, axes: readonly number[]) => axes.reduce((n, a) => n * s[a], 1);
  const b = size(l.shape, p.lhsBatch), m = size(l.shape, lf), k = size(l.shape, p.lhsContract);
  const n = size(r.shape, rf);
  const a = arrange(l, [...p.lhsBatch, ...lf, ...p.lhsContract]);
  const bb = arrange(r, [...p.rhsBatch, ...p.rhsContract, ...rf]);
  const out = allocate(dtype, sizeOf(shape));
  matmulKernel(a, bb, out, b, m, k, n);
  return new NdArray(out, shape, dtype);
}

/** General tensor contraction with batch axes. */
export const dotGeneralP: LinearPrimitive<DotGeneralParams> = {
  name: "dot_general",
  impl: ([l, r], p) => dotImpl(l, r, p),
  abstractEval: ([l, r], p) => dotAval(l, r, p),
  jvp([l, r], [tl, tr], p) {
    const y = dotGeneral(l, r, p);
    const a = tl instanceof Zero ? null : dotGeneral(tl, r, p);
    const b = tr instanceof Zero ? null : dotGeneral(l, tr, p);
    const t: Tangent = a && b ? add(a, b) : a ?? b ?? new Zero(y.shape, y.dtype);
    return [y, t];
  },
  vmap([l, r], [dl, dr], p) {
    const shift = (axes: readonly number[]) => axes.map((a) => a + 1);
    if (dl !== null && dr !== null) {
      const out = dotGeneral(moveAxis(l, dl, 0), moveAxis(r, dr, 0), {
        lhsContract: shift(p.lhsContract),
        rhsContract: shift(p.rhsContract),
        lhsBatch: [0, ...shift(p.lhsBatch)],
        rhsBatch: [0, ...shift(p.rhsBatch)],
      });
      return [out, 0];
    }
    if (dl !== null) {
      // The batch axis becomes lhs's first free axis.
      const out = dotGeneral(moveAxis(l, dl, 0), r, {
        ...p,
        lhsContract: shift(p.lhsContract),
        lhsBatch: shift(p.lhsBatch),
      });
      return [out, p.lhsBatch.length];
    }
    // The batch axis becomes rhs's first free axis.
    const out = dotGeneral(l, moveAxis(r, dr!, 0), {
      ...p,
      rhsContract: shift(p.rhsContract),
      rhsBatch: shift(p.rhsBatch),
    });
    return [out, p.lhsBatch.length + freeAxes(l.ndim, p.lhsContract, p.lhsBatch).length];
  },
  transpose(ct, [l, r], p) {
    const nb = p.lhsBatch.length;
    const lf = freeAxes(l.shape.length, p.lhsContract, p.lhsBatch);
    const rf = freeAxes(r.shape.length, p.rhsContract, p.rhsBatch);
    const batchCt = globalThis.Array.from({ length: nb }, (_, i) => i);
    const lfCt = lf.map((_, i) => nb + i);
    const rfCt = rf.map((_, i) => nb + lf.length + i);
    const inverse = (src: readonly number[]) => src.map((_, j) => src.indexOf(j));
    let lct: NdArray | null = null, rct: NdArray | null = null;
    if (l instanceof LinearIn) {
      // ct · rhs over rhs's free axes gives (batch, lhs free, rhs contracted in sorted order).
      const sortedRc = [...p.rhsContract].sort((a, b) => a - b);
      const y = dotGeneral(ct, r as NdArray, {
        lhsContract: rfCt,
        rhsContract: rf,
        lhsBatch: batchCt,
        rhsBatch: p.rhsBatch,
      });
      const src = [
        ...p.lhsBatch,
        ...lf,
        ...sortedRc.map((a) => p.lhsContract[p.rhsContract.indexOf(a)]),
      ];
      lct = transpose(y, inverse(src));
    }
    if (r instanceof LinearIn) {
      const sortedLc = [...p.lhsContract].sort((a, b) => a - b);
      const y = dotGeneral(ct, l as NdArray, {
        lhsContract: lfCt,
        rhsContract: lf,
        lhsBatch: batchCt,
        rhsBatch: p.lhsBatch,
      });
      const src = [
        ...p.rhsBatch,
        ...rf,
        ...sortedLc.map((a) => p.rhsContract[p.lhsContract.indexOf(a)]),
      ];
      rct = transpose(y, inverse(src));
    }
    return [lct, rct];
  },
};

/** Contracts `lhs` and `rhs` as `params` say. */
export function dotGeneral(lhs: NdArray, rhs: NdArray, params: DotGeneralParams): NdArray {
  return bind(dotGeneralP, [lhs, rhs], params);
}
