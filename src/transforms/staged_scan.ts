/**
 * `scan` as a higher-order call primitive, for loops staged by `jit`
 * (`lax.scan`, and `lax.foriLoop` with static bounds, take this path when a
 * staging handler is active; outside `jit` they stay define-by-run).
 *
 * `scan[jaxpr, num_consts, num_carry, length, reverse](consts, carry, xs)`
 * runs `(carry, y) = body(consts, carry, x)` over the leading axis of `xs`
 * and returns the final carry and the stacked `y`s. Its rules:
 *
 * - `jvp`: a scan over `(carry, carry tangents)` and `(xs, xs tangents)`
 *   whose body is the JVP of the body (every float carry carries a tangent);
 * - `vmap`: carries batched along 0, `xs` along 1 (0 is the scanned axis),
 *   `ys` come out batched along 1;
 * - reverse mode: the recorder runs the loop step by step (partial
 *   evaluation by unrolling: the primal steps go below the recorder, the
 *   tangent steps are recorded), so reverse mode works as for the eager scan.
 *
 * @module
 */

import type { NdArray } from "../array/array.ts";
import { isInexact } from "../array/dtype.ts";
import { filled } from "../array/create.ts";
import { bindCall, currentHandler, evalHandler } from "../core/handler.ts";
import {
  type Aval,
  type BatchDim,
  type CallPrimitive,
  instantiate,
  type Tangent,
  Zero,
} from "../core/primitive.ts";
import { broadcastTo, concatenate, reshape, slice } from "../primitives/structural.ts";
import { moveAxis } from "../primitives/rules.ts";
import { runUnder } from "./common.ts";
import { scanRunner } from "../compile/loops.ts";
import { JvpHandler } from "./jvp.ts";
import { batchJaxpr, type ClosedJaxpr, evalClosed, runClosed, traceFlat } from "./jit.ts";

/** Parameters of `scan` (named as JAX prints them). */
export interface ScanParams {
  /** `(consts, carry, x) ↦ (carry, y)` on one step's slices. */
  readonly jaxpr: ClosedJaxpr;
  /** Leading arguments that are loop constants. */
  readonly num_consts: number;
  /** Following arguments that are the carry. */
  readonly num_carry: number;
  /** Number of steps. */
  readonly length: number;
  /** Scan from the last step to the first. */
  readonly reverse: boolean;
}

function parts(args: readonly NdArray[], p: ScanParams) {
  const a = p.num_consts, b = a + p.num_carry;
  return { consts: args.slice(0, a), carry: args.slice(a, b), xs: args.slice(b) };
}

/** Row `i` of `x` along its leading axis. */
function row(x: NdArray, i: number): NdArray {
  const starts = x.shape.map((_, k) => (k === 0 ? i : 0));
  const limits = x.shape.map((d, k) => (k === 0 ? i + 1 : d));
  return reshape(slice(x, { starts, limits, strides: x.shape.map(() => 1) }), x.shape.slice(1));
}

function run(
  args: readonly NdArray[],
  p: ScanParams,
  body: (xs: NdArray[]) => NdArray[],
): NdArray[] {
  const { consts, carry, xs } = parts(args, p);
  const n = p.length, nc = p.num_carry;
  let c = carry;
  const ys: NdArray[][] = new globalThis.Array(n);
  for (let step = 0; step < n; step++) {
    const i = p.reverse ? n - 1 - step : step;
    const out = body([...consts, ...c, ...xs.map((x) => row(x, i))]);
    c = out.slice(0, nc);
    ys[i] = out.slice(nc);
  }
  const yAvals = p.jaxpr.outs.slice(nc).map((o) => o.aval);
  const stacked = yAvals.map((a, k) =>
    n === 0
      ? filled([0, ...a.shape], 0, a.dtype)
      : concatenate(ys.map((y) => reshape(y[k], [1, ...a.shape])), 0)
  );
  return [...c, ...stacked];
}

const avalOf = (x: Aval): Aval => ({ shape: x.shape, dtype: x.dtype });
const sliceAval = (x: Aval): Aval => ({ shape: x.shape.slice(1), dtype: x.dtype });

/** `scan` (see the module doc). */
export const scanP: CallPrimitive<ScanParams> = {
  name: "scan",
  impl(args, p) {
    return scanRunner(p, runClosed)(args);
  },
  abstractEval(_args, p) {
    const outs = p.jaxpr.outs;
    return [
      ...outs.slice(0, p.num_carry).map((o) => o.aval),
      ...outs.slice(p.num_carry).map((o) => ({
        shape: [p.length, ...o.aval.shape],
        dtype: o.aval.dtype,
      })),
    ];
  },
  jvp(primals, tangents, p) {
    const { consts, carry, xs } = parts(primals, p);
    const a = p.num_consts, b = a + p.num_carry;
    const tc = tangents.slice(0, a), tcarry = tangents.slice(a, b), tx = tangents.slice(b);
    const nzC = tc.map((t) => !(t instanceof Zero));
    const hasT = carry.map((c) => isInexact(c.dtype));
    const nzX = tx.map((t) => !(t instanceof Zero));
    const tcVals = tc.filter((t): t is NdArray => !(t instanceof Zero));
    const tcarryVals = tcarry.filter((_, i) => hasT[i]).map(instantiate);
    const txVals = tx.filter((t): t is NdArray => !(t instanceof Zero));
    const yAvals = p.jaxpr.outs.slice(p.num_carry).map((o) => o.aval);
    const yHasT = yAvals.map((y) => isInexact(y.dtype));
    const nC = consts.length, nK = carry.length, nX = xs.length;
    const body = traceFlat(
      (ins) => {
        let k = 0;
        const cs = ins.slice(k, k += nC);
        const tcs = nzC.map((nz) => (nz ? ins[k++] : null));
        const ks = ins.slice(k, k += nK);
        const tks = hasT.map((h) => (h ? ins[k++] : null));
        const xsl = ins.slice(k, k += nX);
        const txs = nzX.map((nz) => (nz ? ins[k++] : null));
        const h = new JvpHandler("jvp", currentHandler());
        const lift = (v: NdArray[], t: (NdArray | null)[]) =>
          v.map((x, i) => (t[i] ? h.lift(x, t[i]!) : x));
        const outs = runUnder(
          h,
          () => evalClosed(p.jaxpr, [...lift(cs, tcs), ...lift(ks, tks), ...lift(xsl, txs)]),
        );
        const cp: NdArray[] = [], ct: NdArray[] = [], yp: NdArray[] = [], yt: NdArray[] = [];
        outs.forEach((o, i) => {
          const [y, t] = h.lower(o);
          if (i < nK) {
            cp.push(y);
            if (hasT[i]) ct.push(instantiate(t));
          } else {
            yp.push(y);
            if (yHasT[i - nK]) yt.push(instantiate(t));
          }
        });
        return [...cp, ...ct, ...yp, ...yt];
      },
      [
        ...consts,
        ...tcVals,
        ...carry,
        ...tcarryVals,
        ...xs.map(sliceAval),
        ...txVals.map(sliceAval),
      ].map(avalOf),
      "jvp(scan body)",
      evalHandler,
    ).closed;
    const outs = bindCall(
      scanP,
      [...consts, ...tcVals, ...carry, ...tcarryVals, ...xs, ...txVals],
      {
        jaxpr: body,
        num_consts: nC + tcVals.length,
        num_carry: nK + tcarryVals.length,
        length: p.length,
        reverse: p.reverse,
      },
    );
    let k = 0;
    const cp = outs.slice(k, k += nK);
    const ct = outs.slice(k, k += tcarryVals.length);
    const yp = outs.slice(k, k += yAvals.length);
    const yt = outs.slice(k);
    let ci = 0, yi = 0;
    const touts: Tangent[] = [
      ...carry.map((c, i) => (hasT[i] ? ct[ci++] : new Zero(c.shape, c.dtype))),
      ...yp.map((y, i) => (yHasT[i] ? yt[yi++] : new Zero(y.shape, y.dtype))),
    ];
    return [[...cp, ...yp], touts];
  },
  vmap(args, dims, p, size) {
    const a = p.num_consts, b = a + p.num_carry;
    const moved = args.map((x, i) => {
      const d = dims[i];
      if (d === null) return i >= a && i < b ? broadcastTo(x, [size, ...x.shape]) : x;
      return moveAxis(x, d, i >= b ? 1 : 0);
    });
    const { consts, carry, xs } = parts(moved, p);
    const xsBatched = xs.map((_, i) => dims[b + i] !== null);
    const stepAvals = [
      ...consts.map(avalOf),
      ...carry.map(avalOf),
      ...xs.map((
        x,
        i,
      ) => (xsBatched[i] ? { shape: [size, ...x.shape.slice(2)], dtype: x.dtype } : sliceAval(x))),
    ];
    const stepDims: BatchDim[] = [
      ...consts.map((_, i) => (dims[i] === null ? null : 0)),
      ...carry.map(() => 0),
      ...xsBatched.map((bt) => (bt ? 0 : null)),
    ];
    const bodyB = batchJaxpr(p.jaxpr, stepAvals as NdArray[], stepDims, size, "scan body");
    const body = traceFlat(
      (ins) =>
        evalClosed(bodyB.jaxpr, ins).map((o, i) =>
          bodyB.outDims[i] === null ? broadcastTo(o, [size, ...o.shape]) : o
        ),
      stepAvals,
      "vmap(scan body)",
      evalHandler,
    ).closed;
    const outs = bindCall(scanP, moved, { ...p, jaxpr: body });
    return [outs, outs.map((_, i) => (i < p.num_carry ? 0 : 1))];
  },
  // reverse mode: the loop unrolled under the recorder (primal steps below it, tangent steps recorded)
  partialEval(args, _unknown, p) {
    return run(args, p, (xs) => evalClosed(p.jaxpr, xs));
  },
  inline(args, p) {
    return run(args, p, (xs) => evalClosed(p.jaxpr, xs));
  },
  needsInlineReverse: () => false,
};
