/**
 * `while` as a higher-order call primitive, for loops whose condition is
 * traced (staged by `jit`): `lax.whileLoop` takes this path when a staging
 * handler is active, and stays define-by-run otherwise.
 *
 * `while[cond_jaxpr, body_jaxpr](condConsts, bodyConsts, carry)` runs
 * `carry = body(carry)` while `cond(carry)`. Its rules, as JAX's:
 *
 * - `jvp`: a loop over `(carry, carry tangents)` whose body is the JVP of
 *   the body (every float carry carries a tangent, zeros instantiated);
 * - `vmap`: carries batched along 0; with a batched condition the loop runs
 *   while any member continues and selects per member (finished members
 *   keep their carry);
 * - reverse mode: refused with `whileLoop`'s message (the trip count is not
 *   static; `foriLoop` with static bounds and `scan` support it).
 *
 * @module
 */

import type { NdArray } from "../array/array.ts";
import { isInexact } from "../array/dtype.ts";
import { scalar } from "../array/create.ts";
import { bindCall, currentHandler, evalHandler } from "../core/handler.ts";
import {
  type Aval,
  type CallPrimitive,
  instantiate,
  type Tangent,
  Zero,
} from "../core/primitive.ts";
import { convert, gt, select } from "../primitives/elementwise.ts";
import { reduceSum } from "../primitives/reductions.ts";
import { broadcastTo, reshape } from "../primitives/structural.ts";
import { moveAxis } from "../primitives/rules.ts";
import { WHILE_REVERSE_MODE } from "../primitives/control_flow.ts";
import { runUnder } from "./common.ts";
import { whileRunner } from "../compile/loops.ts";
import { JvpHandler } from "./jvp.ts";
import { batchJaxpr, type ClosedJaxpr, evalClosed, runClosed, traceFlat } from "./jit.ts";

/** Parameters of `while` (named as JAX prints them). */
export interface WhileParams {
  /** `(condConsts, carry) ↦ [pred]`, a bool scalar. */
  readonly cond_jaxpr: ClosedJaxpr;
  /** `(bodyConsts, carry) ↦ carry`. */
  readonly body_jaxpr: ClosedJaxpr;
  /** Leading arguments that are the condition's constants. */
  readonly cond_nconsts: number;
  /** Following arguments that are the body's constants. */
  readonly body_nconsts: number;
}

function parts(args: readonly NdArray[], p: WhileParams) {
  const nc = p.cond_nconsts, nb = p.body_nconsts;
  return { cc: args.slice(0, nc), bc: args.slice(nc, nc + nb), carry: args.slice(nc + nb) };
}

const truthy = (x: NdArray): boolean => Number(x.item()) !== 0;
const avalOf = (x: Aval): Aval => ({ shape: x.shape, dtype: x.dtype });

/** `while` (see the module doc). */
export const whileP: CallPrimitive<WhileParams> = {
  name: "while",
  reverseModeError: WHILE_REVERSE_MODE,
  impl(args, p) {
    return whileRunner(p, runClosed)(args);
  },
  abstractEval(args, p) {
    const { carry } = parts(args as NdArray[], p);
    const outs = p.body_jaxpr.outs;
    if (carry.length !== outs.length) {
      throw new TypeError(`while: ${carry.length} carries for a body of ${outs.length} outputs`);
    }
    return outs.map((o) => o.aval);
  },
  jvp(primals, tangents, p) {
    const { cc, bc, carry } = parts(primals, p);
    const nc = p.cond_nconsts, nb = p.body_nconsts, n = carry.length;
    const tb = tangents.slice(nc, nc + nb);
    const tcarry = tangents.slice(nc + nb);
    const hasT = carry.map((c) => isInexact(c.dtype));
    const nzConst = tb.map((t) => !(t instanceof Zero));
    const tbVals = tb.filter((t): t is NdArray => !(t instanceof Zero));
    const tcVals = tcarry.filter((_, i) => hasT[i]).map(instantiate);
    const body = traceFlat(
      (xs) => {
        let k = 0;
        const bcs = xs.slice(0, nb);
        k = nb;
        const tbs = nzConst.map((nz) => (nz ? xs[k++] : null));
        const cs = xs.slice(k, k + n);
        k += n;
        const tcs = hasT.map((h) => (h ? xs[k++] : null));
        const h = new JvpHandler("jvp", currentHandler());
        const ins = [
          ...bcs.map((x, i) => (tbs[i] ? h.lift(x, tbs[i]!) : x)),
          ...cs.map((x, i) => (tcs[i] ? h.lift(x, tcs[i]!) : x)),
        ];
        const outs = runUnder(h, () => evalClosed(p.body_jaxpr, ins));
        const ps: NdArray[] = [], ts: NdArray[] = [];
        outs.forEach((o, i) => {
          const [y, t] = h.lower(o);
          ps.push(y);
          if (hasT[i]) ts.push(instantiate(t));
        });
        return [...ps, ...ts];
      },
      [...bc, ...tbVals, ...carry, ...tcVals].map(avalOf),
      "jvp(while body)",
      evalHandler,
    ).closed;
    const cond = traceFlat(
      (xs) => evalClosed(p.cond_jaxpr, xs.slice(0, nc + n)),
      [...cc, ...carry, ...tcVals].map(avalOf),
      "jvp(while cond)",
      evalHandler,
    ).closed;
    const outs = bindCall(whileP, [...cc, ...bc, ...tbVals, ...carry, ...tcVals], {
      cond_jaxpr: cond,
      body_jaxpr: body,
      cond_nconsts: nc,
      body_nconsts: nb + tbVals.length,
    });
    let k = n;
    const touts = carry.map((c, i): Tangent => (hasT[i] ? outs[k++] : new Zero(c.shape, c.dtype)));
    return [outs.slice(0, n), touts];
  },
  vmap(args, dims, p, size) {
    const moved = args.map((a, i) => (dims[i] === null ? a : moveAxis(a, dims[i]!, 0)));
    const nc = p.cond_nconsts, nb = p.body_nconsts;
    const { cc, bc } = parts(moved, p);
    const carry = moved.slice(nc + nb).map((c, i) =>
      dims[nc + nb + i] === null ? broadcastTo(c, [size, ...c.shape]) : c
    );
    const d = (i: number) => (dims[i] === null ? null : 0);
    const condB = batchJaxpr(
      p.cond_jaxpr,
      [...cc, ...carry],
      [...cc.map((_, i) => d(i)), ...carry.map(() => 0)],
      size,
      "while cond",
    );
    const bodyB = batchJaxpr(
      p.body_jaxpr,
      [...bc, ...carry],
      [...bc.map((_, i) => d(nc + i)), ...carry.map(() => 0)],
      size,
      "while body",
    );
    const predBatched = condB.outDims[0] !== null;
    const avals = [...cc, ...bc, ...carry].map(avalOf);
    const body = traceFlat(
      (xs) => {
        const ccs = xs.slice(0, nc), bcs = xs.slice(nc, nc + nb), cs = xs.slice(nc + nb);
        const outs = evalClosed(bodyB.jaxpr, [...bcs, ...cs]).map((o, i) =>
          bodyB.outDims[i] === null ? broadcastTo(o, [size, ...o.shape]) : o
        );
        if (!predBatched) return outs;
        const pr = evalClosed(condB.jaxpr, [...ccs, ...cs])[0];
        // finished members keep their carry
        return outs.map((o, i) =>
          select(reshape(pr, [size, ...o.shape.slice(1).map(() => 1)]), o, cs[i])
        );
      },
      avals,
      "vmap(while body)",
      evalHandler,
    ).closed;
    const cond = traceFlat(
      (xs) => {
        const pr = evalClosed(condB.jaxpr, xs)[0];
        // batched: while any member continues
        return [predBatched ? gt(reduceSum(convert(pr, "int32"), [0]), scalar(0, "int32")) : pr];
      },
      [...cc, ...carry].map(avalOf),
      "vmap(while cond)",
      evalHandler,
    ).closed;
    const outs = bindCall(whileP, [...cc, ...cc, ...bc, ...carry], {
      cond_jaxpr: cond,
      body_jaxpr: body,
      cond_nconsts: nc,
      body_nconsts: nc + nb,
    });
    return [outs, outs.map(() => 0)];
  },
  partialEval() {
    throw new TypeError(WHILE_REVERSE_MODE);
  },
  inline(args, p) {
    const { cc, bc, carry } = parts(args, p);
    let c = carry;
    while (truthy(evalClosed(p.cond_jaxpr, [...cc, ...c])[0])) {
      c = evalClosed(p.body_jaxpr, [...bc, ...c]);
    }
    return c;
  },
};
