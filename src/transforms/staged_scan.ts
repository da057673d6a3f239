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
 * - reverse mode (JAX's `_scan_partial_eval`, `_scan_transpose`): the body
 *   is split into a known and an unknown part (a fixpoint on which carries
 *   are unknown); a known scan runs now, below the recorder, returning the
 *   residuals stacked as extra `ys` (constants and `xs` read as
 *   themselves), and a linear scan over them is recorded. Its transpose is
 *   a scan in the opposite direction over the transposed body: the carry
 *   cotangents flow backwards together with the accumulated cotangents of
 *   the linear constants, and the cotangents of the linear `xs` are its
 *   stacked outputs. So `grad` of an N-step scan is two rolled loops.
 *
 * @module
 */

import type { NdArray } from "../array/array.ts";
import { isInexact } from "../array/dtype.ts";
import { filled } from "../array/create.ts";
import {
  bindCall,
  currentHandler,
  evalHandler,
  type Handler,
  swapHandler,
} from "../core/handler.ts";
import { Jaxpr, Var } from "../core/ir.ts";
import {
  type Aval,
  type BatchDim,
  type CallPrimitive,
  type CallRecorder,
  instantiate,
  LinearIn,
  type Tangent,
  Zero,
} from "../core/primitive.ts";
import { add } from "../primitives/elementwise.ts";
import { broadcastTo, concatenate, reshape, slice } from "../primitives/structural.ts";
import { moveAxis } from "../primitives/rules.ts";
import { runUnder } from "./common.ts";
import { scanRunner } from "../compile/loops.ts";
import { JvpHandler } from "./jvp.ts";
import {
  batchJaxpr,
  ClosedJaxpr,
  evalClosed,
  runClosed,
  traceFlat,
  transposeJaxpr,
} from "./jit.ts";
import { linearizeJaxpr, partialEvalJaxpr, type Split } from "./staged_split.ts";
import { checkAvals } from "./staged_cond.ts";

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

/** 0 for a constant, 1 for a carry, 2 for an `xs` input of a scan. */
function category(q: number, p: ScanParams): 0 | 1 | 2 {
  return q < p.num_consts ? 0 : q < p.num_consts + p.num_carry ? 1 : 2;
}

function abstractOuts(p: ScanParams): Aval[] {
  const outs = p.jaxpr.outs;
  return [
    ...outs.slice(0, p.num_carry).map((o) => o.aval),
    ...outs.slice(p.num_carry).map((o) => ({
      shape: [p.length, ...o.aval.shape],
      dtype: o.aval.dtype,
    })),
  ];
}

/** The linear scan body of each split (so that its transposed and compiled programs are reused). */
const linearBodies = new WeakMap<Split, ClosedJaxpr>();

/**
 * The split of a scan from the split of its body: a known scan (bound on
 * `parent`) returns the known outputs and stacks the residuals as extra
 * `ys`; residuals that are constants or `xs` inputs are passed as
 * themselves. The recorded linear scan takes the residuals (constants as
 * constants, stacked ones as `xs`) and the unknown inputs. `cat` gives an
 * input position's category, `isCarryOut` whether an output position is a
 * carry. Returns one value per output position (`null` for zero tangents).
 */
function splitScan(
  p: ScanParams,
  A: readonly Tangent[],
  sp: Split,
  cat: (q: number) => 0 | 1 | 2,
  isCarryOut: (pos: number) => boolean,
  o: { parent: Handler; recorder: CallRecorder; numOuts: number },
): (NdArray | null)[] {
  const kIn = sp.knownIn;
  const nKO = sp.knownOut.length;
  const nkc = kIn.filter((q) => cat(q) === 0).length;
  const h = hoisted(sp, nkc);
  const saved = swapHandler(o.parent);
  let kOuts: NdArray[], hOuts: NdArray[];
  try {
    const kArgs = kIn.map((q) => A[q] as NdArray);
    // loop-invariant residuals: computed once, before the loop
    hOuts = h.hoist === null ? [] : evalClosed(h.hoist, kArgs.slice(0, nkc));
    kOuts = bindCall(scanP, kArgs, {
      jaxpr: h.body,
      num_consts: nkc,
      num_carry: kIn.filter((q) => cat(q) === 1).length,
      length: p.length,
      reverse: p.reverse,
    });
  } finally {
    swapHandler(saved);
  }
  const uj = sp.unknown.jaxpr;
  const nRes = sp.resSource.length;
  const cVars: Var[] = [], cVals: NdArray[] = [], xVars: Var[] = [], xVals: NdArray[] = [];
  sp.resSource.forEach((src, j) => {
    if (src >= 0) {
      const r = h.where[src];
      if (r.hoisted) {
        cVars.push(uj.invars[j]);
        cVals.push(hOuts[r.index]);
      } else {
        xVars.push(uj.invars[j]);
        xVals.push(kOuts[nKO + r.index]);
      }
    } else if (cat(-1 - src) === 0) {
      cVars.push(uj.invars[j]);
      cVals.push(A[-1 - src] as NdArray);
    } else {
      xVars.push(uj.invars[j]);
      xVals.push(A[-1 - src] as NdArray);
    }
  });
  const uIn = sp.unknownIn;
  const group = (c: 0 | 1 | 2) => uIn.flatMap((q, i) => (cat(q) === c ? [i] : []));
  const [g0, g1, g2] = [group(0), group(1), group(2)];
  const v = (i: number) => uj.invars[nRes + i];
  let body = linearBodies.get(sp);
  if (body === undefined) {
    body = new ClosedJaxpr(
      new Jaxpr(
        uj.constvars,
        [...cVars, ...g0.map(v), ...g1.map(v), ...xVars, ...g2.map(v)],
        uj.eqns,
        uj.outs,
      ),
      sp.unknown.consts,
    );
    linearBodies.set(sp, body);
  }
  const val = (i: number) => instantiate(A[uIn[i]]);
  const lp: ScanParams = {
    jaxpr: body,
    num_consts: cVars.length + g0.length,
    num_carry: g1.length,
    length: p.length,
    reverse: p.reverse,
  };
  if (sp.unknownOut.filter(isCarryOut).length !== g1.length) {
    throw new Error("scan partial evaluation: unknown carries do not match (internal error)");
  }
  const uOuts = o.recorder.recordCall(
    scanP,
    [...cVals, ...g0.map(val), ...g1.map(val), ...xVals, ...g2.map(val)],
    lp,
    abstractOuts(lp),
  );
  const outs = new globalThis.Array<NdArray | null>(o.numOuts).fill(null);
  sp.knownOut.forEach((pos, j) => (outs[pos] = kOuts[j]));
  sp.unknownOut.forEach((pos, j) => (outs[pos] = uOuts[j]));
  return outs;
}

/** A known scan body without its loop-invariant residuals, and the program computing them. */
interface Hoisted {
  /** The body, returning only the residuals that vary per step. */
  body: ClosedJaxpr;
  /** `consts ↦ invariant residuals`, or `null` when there are none. */
  hoist: ClosedJaxpr | null;
  /** Per residual output of the split's known body: hoisted or stacked, and its index there. */
  where: { hoisted: boolean; index: number }[];
}
const hoistCache = new WeakMap<Split, Hoisted>();

/**
 * Hoists the residuals that depend on the loop constants only out of a
 * known scan body (JAX's `_scan_known_hoisting`): they are computed once,
 * not stacked per step.
 */
function hoisted(sp: Split, nConsts: number): Hoisted {
  let h = hoistCache.get(sp);
  if (h !== undefined) return h;
  const kj = sp.known.jaxpr;
  const nKO = sp.knownOut.length;
  const variant = new Set<Var>(kj.invars.slice(nConsts));
  for (const e of kj.eqns) {
    if (e.inputs.some((a) => a instanceof Var && variant.has(a))) {
      for (const v of e.outs) variant.add(v);
    }
  }
  const resOuts = kj.outs.slice(nKO);
  const inv = resOuts.map((a) => !(a instanceof Var && variant.has(a)));
  const where: Hoisted["where"] = [];
  let ni = 0, nv = 0;
  for (const i of inv) {
    where.push(i ? { hoisted: true, index: ni++ } : { hoisted: false, index: nv++ });
  }
  if (ni === 0) h = { body: sp.known, hoist: null, where };
  else {
    // the invariant equations the hoisted residuals need (a backward pass)
    const need = new Set<Var>();
    resOuts.forEach((a, i) => inv[i] && a instanceof Var && need.add(a));
    const keep: boolean[] = new globalThis.Array(kj.eqns.length).fill(false);
    for (let k = kj.eqns.length - 1; k >= 0; k--) {
      const e = kj.eqns[k];
      if (!e.outs.some((v) => need.has(v))) continue;
      keep[k] = true;
      for (const a of e.inputs) if (a instanceof Var) need.add(a);
    }
    const hoist = new ClosedJaxpr(
      new Jaxpr(
        kj.constvars,
        kj.invars.slice(0, nConsts),
        kj.eqns.filter((_, k) => keep[k]),
        resOuts.filter((_, i) => inv[i]),
      ),
      sp.known.consts,
    );
    const body = new ClosedJaxpr(
      new Jaxpr(kj.constvars, kj.invars, kj.eqns, [
        ...kj.outs.slice(0, nKO),
        ...resOuts.filter((_, i) => !inv[i]),
      ]),
      sp.known.consts,
    );
    h = { body, hoist, where };
  }
  hoistCache.set(sp, h);
  return h;
}

const transposedBodies = new WeakMap<ClosedJaxpr, Map<string, ClosedJaxpr>>();

/**
 * The body of a transposed scan: `(known consts, accumulated cotangents of
 * the linear consts, carry cotangents, known xs, cotangents of the ys
 * marked in ctY) ↦ (accumulators + this step's const cotangents, carry
 * cotangents one step back, cotangents of the linear xs)`.
 */
function transposedBody(
  p: ScanParams,
  linear: readonly boolean[],
  ctY: readonly boolean[],
): ClosedJaxpr {
  const key = linear.map((l) => (l ? 1 : 0)).join("") + "|" + ctY.map((l) => (l ? 1 : 0)).join("");
  let m = transposedBodies.get(p.jaxpr);
  if (m === undefined) {
    m = new Map();
    transposedBodies.set(p.jaxpr, m);
  }
  let b = m.get(key);
  if (b !== undefined) return b;
  const nC = p.num_consts, nK = p.num_carry;
  const ins = p.jaxpr.invars.map((x) => x.aval);
  const outs = p.jaxpr.outs.map((x) => x.aval);
  const t = transposeJaxpr(
    p.jaxpr,
    linear,
    [...outs.slice(0, nK).map(() => true), ...ctY],
    "scan body",
  );
  const kcA = ins.slice(0, nC).filter((_, q) => !linear[q]);
  const lcA = ins.slice(0, nC).filter((_, q) => linear[q]);
  const kxA = ins.slice(nC + nK).filter((_, i) => !linear[nC + nK + i]);
  const nkc = kcA.length, nlc = lcA.length, nkx = kxA.length;
  b = traceFlat(
    (xs) => {
      let i = 0;
      const kc = xs.slice(i, i += nkc);
      const acc = xs.slice(i, i += nlc);
      const ctc = xs.slice(i, i += nK);
      const kx = xs.slice(i, i += nkx);
      const cty = xs.slice(i);
      const r = evalClosed(t, [...kc, ...kx, ...ctc, ...cty]);
      return [...acc.map((a, j) => add(a, r[j])), ...r.slice(nlc)];
    },
    [
      ...kcA,
      ...lcA,
      ...outs.slice(0, nK),
      ...kxA,
      ...outs.slice(nK).filter((_, i) => ctY[i]),
    ].map(avalOf),
    "transpose(scan body)",
    evalHandler,
  ).closed;
  m.set(key, b);
  return b;
}

/** `scan` (see the module doc). */
export const scanP: CallPrimitive<ScanParams> = {
  name: "scan",
  impl(args, p) {
    return scanRunner(p, runClosed)(args);
  },
  abstractEval(args, p) {
    const a = p.num_consts, b = a + p.num_carry;
    const slices = args.slice(b).map((x) => {
      if (x.shape[0] !== p.length) {
        throw new TypeError(`scan: xs of shape [${x.shape}] for length ${p.length}`);
      }
      return sliceAval(x);
    });
    checkAvals("scan body's inputs", p.jaxpr.invars.map((v) => v.aval), [
      ...args.slice(0, b),
      ...slices,
    ]);
    checkAvals(
      "scan body's carry outputs",
      p.jaxpr.outs.slice(0, p.num_carry).map((o) => o.aval),
      args.slice(a, b),
    );
    return abstractOuts(p);
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
  // reverse mode (JAX's `_scan_partial_eval`): the body linearized, with a fixpoint on which
  // carries have tangents; a known scan below the recorder stacks the residuals, a linear scan
  // over them is recorded
  linearize(primals, tangents, p, parent, recorder) {
    const n = primals.length, nC = p.num_consts, nK = p.num_carry;
    const k = p.jaxpr.outs.length;
    const nz = tangents.map((t) => !(t instanceof Zero));
    const fwd = primals.map((_, q) => q < nC || q >= nC + nK);
    let cm = nz.slice(nC, nC + nK);
    let mask: boolean[], sp: Split;
    for (;;) {
      mask = [...nz.slice(0, nC), ...cm, ...nz.slice(nC + nK)];
      const inst = [...cm, ...new globalThis.Array<boolean>(k - nK).fill(false)];
      sp = linearizeJaxpr(p.jaxpr, mask, inst, "scan body", fwd);
      const next = cm.map((c, j) => c || sp.unknownOut.includes(k + j));
      if (next.every((c, j) => c === cm[j])) break;
      cm = next;
    }
    const A: Tangent[] = [...primals, ...tangents];
    const outs = splitScan(p, A, sp, (q) => category(q % n, p), (pos) => pos % k < nK, {
      parent,
      recorder,
      numOuts: 2 * k,
    });
    const avals = abstractOuts(p);
    return [
      outs.slice(0, k) as NdArray[],
      outs.slice(k).map((t, i) => t ?? new Zero(avals[i].shape, avals[i].dtype)),
    ];
  },
  // a scan linear in its unknown inputs: split the same way (a fixpoint on unknown carries)
  partialEval(args, unknown, p, parent, recorder) {
    const nC = p.num_consts, nK = p.num_carry, k = p.jaxpr.outs.length;
    const fwd = args.map((_, q) => q < nC || q >= nC + nK);
    let cm = unknown.slice(nC, nC + nK);
    let sp: Split;
    for (;;) {
      const mask = [...unknown.slice(0, nC), ...cm, ...unknown.slice(nC + nK)];
      const inst = [...cm, ...new globalThis.Array<boolean>(k - nK).fill(false)];
      sp = partialEvalJaxpr(p.jaxpr, mask, inst, "scan body", fwd);
      const next = cm.map((c, j) => c || sp.unknownOut.includes(j));
      if (next.every((c, j) => c === cm[j])) break;
      cm = next;
    }
    return splitScan(p, args, sp, (q) => category(q, p), (pos) => pos < nK, {
      parent,
      recorder,
      numOuts: k,
    }) as NdArray[];
  },
  // transpose(scan) = a scan in the opposite direction over the transposed body: carry
  // cotangents flow backwards with the accumulated cotangents of the linear constants, the
  // cotangents of the linear xs are its stacked outputs
  transpose(cts, args, p) {
    const nC = p.num_consts, nK = p.num_carry;
    const ctY = cts.slice(nK).map((c) => !(c instanceof Zero));
    if (!cts.some((c) => !(c instanceof Zero))) return args.map(() => null);
    // every carry is linear (a known carry of a linear scan holds zeros)
    const linear = args.map((a, q) => a instanceof LinearIn || (q >= nC && q < nC + nK));
    const body = transposedBody(p, linear, ctY);
    const kc = args.slice(0, nC).filter((_, q) => !linear[q]) as NdArray[];
    const lc = args.slice(0, nC).filter((_, q) => linear[q]);
    const kx = args.slice(nC + nK).filter((_, i) => !linear[nC + nK + i]) as NdArray[];
    const outs = bindCall(scanP, [
      ...kc,
      ...lc.map((a) => filled(a.shape, 0, a.dtype)),
      ...cts.slice(0, nK).map(instantiate),
      ...kx,
      ...cts.slice(nK).filter((c): c is NdArray => !(c instanceof Zero)),
    ], {
      jaxpr: body,
      num_consts: kc.length,
      num_carry: lc.length + nK,
      length: p.length,
      reverse: !p.reverse,
    });
    let j = 0;
    return args.map((a, q) => {
      if (!linear[q]) return null;
      const r = outs[j++];
      return a instanceof LinearIn ? r : null;
    });
  },
  inline(args, p) {
    return run(args, p, (xs) => evalClosed(p.jaxpr, xs));
  },
};
