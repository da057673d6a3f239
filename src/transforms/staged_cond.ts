/**
 * `cond` as a higher-order call primitive, for `lax.cond`/`lax.switch` on a
 * traced predicate or index under `jit` (outside `jit` they stay
 * define-by-run). Only the chosen branch runs.
 *
 * `cond[branches](index, ops)` applies `branches[index]` to `ops` (every
 * branch takes all operands: the branches' constants, then the operands).
 * Its rules, as JAX's:
 *
 * - `jvp`: a `cond` of the branches' JVPs (every float output carries a
 *   tangent, zeros instantiated, so the branches agree);
 * - `vmap`: an unbatched index gives a `cond` of batched branches; a
 *   batched index runs every branch on guarded operands
 *   (`select(index == k, x, stopGradient(x))`) and selects per member, so
 *   the branches a member does not take cannot poison its gradient;
 * - reverse mode: a known index runs its branch under the recorder; an index
 *   staged below the recorder (`jit(grad(f))`) evaluates every branch on
 *   guarded tangents and selects.
 *
 * @module
 */

import type { NdArray } from "../array/array.ts";
import { isInexact } from "../array/dtype.ts";
import { filled, scalar } from "../array/create.ts";
import { bind, bindCall, currentHandler, evalHandler } from "../core/handler.ts";
import { ConcretizationError } from "../core/errors.ts";
import {
  type Aval,
  type BatchDim,
  type CallPrimitive,
  instantiate,
  type Tangent,
  Zero,
} from "../core/primitive.ts";
import { eq, select, stopGradientP } from "../primitives/elementwise.ts";
import { broadcastTo, reshape } from "../primitives/structural.ts";
import { moveAxis } from "../primitives/rules.ts";
import { runUnder } from "./common.ts";
import { JvpHandler } from "./jvp.ts";
import { batchJaxpr, type ClosedJaxpr, evalClosed, runClosed, traceFlat } from "./jit.ts";

/** Parameters of `cond`. */
export interface CondParams {
  /** One program per branch, each `(ops) ↦ outs`. */
  readonly branches: readonly ClosedJaxpr[];
}

const avalOf = (x: Aval): Aval => ({ shape: x.shape, dtype: x.dtype });

/** The chosen branch (the index clamped), or `null` when the index is not concrete. */
function pick(index: NdArray, n: number): number | null {
  let v: number;
  try {
    v = Number(index.item());
  } catch (e) {
    if (e instanceof ConcretizationError) return null;
    throw e;
  }
  return Math.min(Math.max(Math.trunc(v), 0), n - 1);
}

/**
 * Every branch on guarded operands, selected by the index (a scalar here).
 * `linear[i]` marks operands that are the current recorder's tangents: their
 * guard selects zeros (a linear operation) instead of `stopGradient`.
 */
function guardedSelect(
  index: NdArray,
  ops: readonly NdArray[],
  linear: readonly boolean[],
  p: CondParams,
): NdArray[] {
  const n = p.branches.length;
  const taken = p.branches.map((_, k) => eq(index, scalar(k, "int32")));
  const outs = p.branches.map((b, k) => {
    const guarded = ops.map((x, i) => {
      if (!isInexact(x.dtype)) return x;
      const off = linear[i] ? filled(x.shape, 0, x.dtype) : bind(stopGradientP, [x], undefined);
      return select(taken[k], x, off);
    });
    return evalClosed(b, guarded);
  });
  let res = outs[n - 1];
  for (let k = n - 2; k >= 0; k--) res = res.map((o, i) => select(taken[k], outs[k][i], o));
  return res;
}

function chosen(args: readonly NdArray[], p: CondParams, linear: readonly boolean[]): NdArray[] {
  const [index, ...ops] = args;
  const k = pick(index, p.branches.length);
  return k === null ? guardedSelect(index, ops, linear, p) : evalClosed(p.branches[k], ops);
}

/** `cond` (see the module doc). */
export const condP: CallPrimitive<CondParams> = {
  name: "cond",
  impl(args, p) {
    const [index, ...ops] = args;
    return runClosed(p.branches[pick(index, p.branches.length)!], ops);
  },
  abstractEval(args, p) {
    const i = args[0];
    if (i.dtype !== "int32" || i.shape.length !== 0) {
      throw new TypeError(`cond: the index must be an int32 scalar: got ${i.dtype}[${i.shape}]`);
    }
    return p.branches[0].outs.map((o) => o.aval);
  },
  jvp(primals, tangents, p) {
    const [index, ...ops] = primals;
    const tops = tangents.slice(1);
    const nz = tops.map((t) => !(t instanceof Zero));
    const tv = tops.filter((t): t is NdArray => !(t instanceof Zero));
    const outAvals = p.branches[0].outs.map((o) => o.aval);
    const hasT = outAvals.map((a) => isInexact(a.dtype));
    const branches = p.branches.map((b) =>
      traceFlat(
        (xs) => {
          const os = xs.slice(0, ops.length);
          let k = ops.length;
          const ts = nz.map((z) => (z ? xs[k++] : null));
          const h = new JvpHandler("jvp", currentHandler());
          const ins = os.map((x, i) => (ts[i] ? h.lift(x, ts[i]!) : x));
          const outs = runUnder(h, () => evalClosed(b, ins));
          const ps: NdArray[] = [], tt: NdArray[] = [];
          outs.forEach((o, i) => {
            const [y, t] = h.lower(o);
            ps.push(y);
            if (hasT[i]) tt.push(instantiate(t));
          });
          return [...ps, ...tt];
        },
        [...ops, ...tv].map(avalOf),
        "jvp(cond branch)",
        evalHandler,
      ).closed
    );
    const outs = bindCall(condP, [index, ...ops, ...tv], { branches });
    const n = outAvals.length;
    let k = n;
    const touts = outAvals.map((
      a,
      i,
    ): Tangent => (hasT[i] ? outs[k++] : new Zero(a.shape, a.dtype)));
    return [outs.slice(0, n), touts];
  },
  vmap(args, dims, p, size) {
    const n = p.branches.length;
    if (dims[0] === null) {
      // cond of batched branches, outputs batched along 0
      const ops = args.slice(1).map((
        x,
        i,
      ) => (dims[i + 1] === null ? x : moveAxis(x, dims[i + 1]!, 0)));
      const opDims: BatchDim[] = dims.slice(1).map((d) => (d === null ? null : 0));
      const branches = p.branches.map((b) => {
        const bb = batchJaxpr(b, ops, opDims, size, "cond branch");
        return traceFlat(
          (xs) =>
            evalClosed(bb.jaxpr, xs).map((o, i) =>
              bb.outDims[i] === null ? broadcastTo(o, [size, ...o.shape]) : o
            ),
          ops.map(avalOf),
          "vmap(cond branch)",
          evalHandler,
        ).closed;
      });
      const outs = bindCall(condP, [args[0], ...ops], { branches });
      return [outs, outs.map(() => 0)];
    }
    // a batched index: every branch on guarded operands, selected per member
    const index = moveAxis(args[0], dims[0], 0);
    const ops = args.slice(1).map((x, i) => {
      const d = dims[i + 1];
      if (d !== null) return moveAxis(x, d, 0);
      return isInexact(x.dtype) ? broadcastTo(x, [size, ...x.shape]) : x;
    });
    const opDims: BatchDim[] = ops.map((x, i) =>
      dims[i + 1] !== null || isInexact(x.dtype) ? 0 : null
    );
    const member = (m: NdArray, like: NdArray) =>
      reshape(m, [size, ...like.shape.slice(1).map(() => 1)]);
    const taken = p.branches.map((_, k) => eq(index, scalar(k, "int32")));
    const outs = p.branches.map((b, k) => {
      const bb = batchJaxpr(b, ops, opDims, size, "cond branch");
      const guarded = ops.map((x, i) =>
        opDims[i] === 0 && isInexact(x.dtype)
          ? select(member(taken[k], x), x, bind(stopGradientP, [x], undefined))
          : x
      );
      return evalClosed(bb.jaxpr, guarded).map((o, i) =>
        bb.outDims[i] === null ? broadcastTo(o, [size, ...o.shape]) : o
      );
    });
    let res = outs[n - 1];
    for (let k = n - 2; k >= 0; k--) {
      res = res.map((o, i) => select(member(taken[k], o), outs[k][i], o));
    }
    return [res, res.map(() => 0)];
  },
  partialEval(args, unknown, p) {
    return chosen(args, p, unknown.slice(1));
  },
  inline(args, p) {
    return chosen(args, p, args.slice(1).map(() => false));
  },
  needsInlineReverse: () => false,
};
