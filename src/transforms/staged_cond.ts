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
 * - reverse mode (JAX's `_cond_partial_eval`, `_cond_transpose`): every
 *   branch is split into a known and an unknown part with the union of
 *   unknown outputs; the branches' residuals are merged by type (each known
 *   branch returns zeros in the slots of the others); a known `cond` runs
 *   now (below the recorder) and a linear `cond` on the same index is
 *   recorded, whose transpose is a `cond` of the transposed branches.
 *
 * @module
 */

import type { NdArray } from "../array/array.ts";
import { isInexact } from "../array/dtype.ts";
import { scalar } from "../array/create.ts";
import { shapesEqual } from "../array/shape.ts";
import {
  bind,
  bindCall,
  currentHandler,
  evalHandler,
  type Handler,
  swapHandler,
} from "../core/handler.ts";
import { ConcretizationError } from "../core/errors.ts";
import { type Atom, Jaxpr, Var } from "../core/ir.ts";
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
import { eq, select, stopGradientP } from "../primitives/elementwise.ts";
import { broadcastTo, reshape } from "../primitives/structural.ts";
import { moveAxis } from "../primitives/rules.ts";
import { runUnder } from "./common.ts";
import { JvpHandler } from "./jvp.ts";
import {
  batchJaxpr,
  ClosedJaxpr,
  evalClosed,
  runClosed,
  traceFlat,
  transposeJaxpr,
} from "./jit.ts";
import { linearizeJaxpr, partialEvalJaxpr, type Split, zeroAtom } from "./staged_split.ts";

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
 * Every branch on guarded operands (`select(index == k, x, stopGradient(x))`),
 * selected by the index (a scalar here): the default interpretation of a
 * cond whose index is not concrete.
 */
function guardedSelect(index: NdArray, ops: readonly NdArray[], p: CondParams): NdArray[] {
  const n = p.branches.length;
  const taken = p.branches.map((_, k) => eq(index, scalar(k, "int32")));
  const outs = p.branches.map((b, k) => {
    const guarded = ops.map((x) =>
      isInexact(x.dtype) ? select(taken[k], x, bind(stopGradientP, [x], undefined)) : x
    );
    return evalClosed(b, guarded);
  });
  let res = outs[n - 1];
  for (let k = n - 2; k >= 0; k--) res = res.map((o, i) => select(taken[k], outs[k][i], o));
  return res;
}

function chosen(args: readonly NdArray[], p: CondParams): NdArray[] {
  const [index, ...ops] = args;
  const k = pick(index, p.branches.length);
  return k === null ? guardedSelect(index, ops, p) : evalClosed(p.branches[k], ops);
}

/**
 * Splits every branch with the union of their unknown outputs (`split`
 * takes the outputs to instantiate), so that all branches agree.
 */
function unionSplits(split: (instantiate: boolean[]) => Split[], numOuts: number): Split[] {
  let inst = new globalThis.Array<boolean>(numOuts).fill(false);
  let splits = split(inst);
  const union = inst.slice();
  for (const s of splits) for (const pos of s.unknownOut) union[pos] = true;
  if (union.some((u, i) => u !== inst[i])) {
    inst = union;
    splits = split(inst);
  }
  return splits;
}

interface CondPrograms {
  /** Per branch: known inputs ↦ known outputs, then every residual slot. */
  knownBranches: ClosedJaxpr[];
  /** Per branch: residual slots, forwarded known inputs, unknown inputs ↦ unknown outputs. */
  unknownBranches: ClosedJaxpr[];
  /** Known input positions passed to the unknown cond as themselves. */
  fwd: number[];
}
const splitIds = new WeakMap<Split, number>();
let nextSplitId = 0;
const condPrograms = new WeakMap<Split, Map<string, CondPrograms>>();

/**
 * The known and unknown branches of a split cond (cached): residuals merged
 * into slots by type (JAX's `_merge_branch_residuals`), a branch writing
 * zeros into the slots it does not use.
 */
function assembled(splits: readonly Split[]): CondPrograms {
  const id = (sp: Split) => {
    let i = splitIds.get(sp);
    if (i === undefined) splitIds.set(sp, i = nextSplitId++);
    return i;
  };
  const key = splits.map(id).join(",");
  let byKey = condPrograms.get(splits[0]);
  if (byKey === undefined) condPrograms.set(splits[0], byKey = new Map());
  const hit = byKey.get(key);
  if (hit !== undefined) return hit;
  const s0 = splits[0];
  const slots: Aval[] = [];
  const fwd: number[] = [];
  const place = splits.map((sp) => {
    const used = new Set<number>();
    return sp.resSource.map((src, j): { slot: number } | { fwd: number } => {
      if (src < 0) {
        const q = -1 - src;
        if (!fwd.includes(q)) fwd.push(q);
        return { fwd: q };
      }
      const a = sp.resAvals[j];
      let slot = slots.findIndex((t, i) =>
        !used.has(i) && t.dtype === a.dtype && shapesEqual(t.shape, a.shape)
      );
      if (slot < 0) slot = slots.push(a) - 1;
      used.add(slot);
      return { slot };
    });
  });
  const nKO = s0.knownOut.length;
  const knownBranches = splits.map((sp, b) => {
    const jx = sp.known.jaxpr;
    const consts = { vars: [...jx.constvars], values: [...sp.known.consts] };
    const slotAtoms: (Atom | null)[] = slots.map(() => null);
    place[b].forEach((pl, j) => {
      if ("slot" in pl) slotAtoms[pl.slot] = jx.outs[nKO + sp.resSource[j]];
    });
    const outs = [
      ...jx.outs.slice(0, nKO),
      ...slotAtoms.map((a, i) => a ?? zeroAtom(slots[i], consts)),
    ];
    return new ClosedJaxpr(new Jaxpr(consts.vars, jx.invars, jx.eqns, outs), consts.values);
  });
  // the type of known input q, from the known program's inputs
  const knownAval = (q: number) => s0.known.jaxpr.invars[s0.knownIn.indexOf(q)].aval;
  const unknownBranches = splits.map((sp, b) => {
    const jx = sp.unknown.jaxpr;
    const nRes = sp.resSource.length;
    const fresh = (a: Aval) => new Var({ shape: [...a.shape], dtype: a.dtype });
    const slotVars = slots.map(fresh);
    const fwdVars = fwd.map((q) => fresh(knownAval(q)));
    place[b].forEach((pl, j) => {
      if ("slot" in pl) slotVars[pl.slot] = jx.invars[j];
      else fwdVars[fwd.indexOf(pl.fwd)] = jx.invars[j];
    });
    return new ClosedJaxpr(
      new Jaxpr(
        jx.constvars,
        [...slotVars, ...fwdVars, ...jx.invars.slice(nRes)],
        jx.eqns,
        jx.outs,
      ),
      sp.unknown.consts,
    );
  });
  const out = { knownBranches, unknownBranches, fwd };
  byKey.set(key, out);
  return out;
}

/**
 * The split of a cond, given split branches that agree on their input and
 * output positions: the residuals are merged into typed slots (a branch
 * fills the slots of other branches with zeros), the known cond is bound on
 * `parent`, the unknown one recorded. Returns one value per output position
 * (`null` for zero tangents).
 */
function splitCond(
  index: NdArray,
  args: readonly Tangent[],
  splits: readonly Split[],
  parent: Handler,
  recorder: CallRecorder,
  numOuts: number,
): (NdArray | null)[] {
  const s0 = splits[0];
  const { knownBranches, unknownBranches, fwd } = assembled(splits);
  const nKO = s0.knownOut.length;
  const saved = swapHandler(parent);
  let kOuts: NdArray[];
  try {
    kOuts = bindCall(condP, [index, ...s0.knownIn.map((q) => args[q] as NdArray)], {
      branches: knownBranches,
    });
  } finally {
    swapHandler(saved);
  }
  const uOuts = recorder.recordCall(
    condP,
    [
      index,
      ...kOuts.slice(nKO),
      ...fwd.map((q) => args[q] as NdArray),
      ...s0.unknownIn.map((q) => instantiate(args[q])),
    ],
    { branches: unknownBranches },
    unknownBranches[0].outs.map((o) => o.aval),
  );
  const outs = new globalThis.Array<NdArray | null>(numOuts).fill(null);
  s0.knownOut.forEach((pos, j) => (outs[pos] = kOuts[j]));
  s0.unknownOut.forEach((pos, j) => (outs[pos] = uOuts[j]));
  return outs;
}

/** Throws unless two lists of types agree (a program built wrong, caught when it is staged). */
export function checkAvals(what: string, got: readonly Aval[], want: readonly Aval[]): void {
  const bad = got.length !== want.length
    ? -1
    : got.findIndex((a, i) => a.dtype !== want[i].dtype || !shapesEqual(a.shape, want[i].shape));
  if (got.length === want.length && bad < 0) return;
  const show = (l: readonly Aval[]) => l.map((a) => `${a.dtype}[${a.shape}]`).join(", ");
  throw new TypeError(`${what} are (${show(got)}), expected (${show(want)})`);
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
    const outs = p.branches[0].outs.map((o) => o.aval);
    p.branches.forEach((b, k) => {
      checkAvals(`cond branch ${k}'s inputs`, b.invars.map((v) => v.aval), args.slice(1));
      checkAvals(`cond branch ${k}'s outputs`, b.outs.map((o) => o.aval), outs);
    });
    return outs;
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
  // reverse mode: each branch linearized (tangent outputs unioned), one known cond below the
  // recorder computing outputs and the branches' merged residuals, one recorded linear cond
  linearize(primals, tangents, p, parent, recorder) {
    const [index, ...ops] = primals;
    const nz = tangents.slice(1).map((t) => !(t instanceof Zero));
    const k = p.branches[0].outs.length;
    const splits = unionSplits(
      (inst) => p.branches.map((b) => linearizeJaxpr(b, nz, inst.slice(k), "cond branch")),
      2 * k,
    );
    const args: Tangent[] = [...ops, ...tangents.slice(1)];
    const outs = splitCond(index, args, splits, parent, recorder, 2 * k);
    const avals = p.branches[0].outs.map((o) => o.aval);
    return [
      outs.slice(0, k) as NdArray[],
      outs.slice(k).map((t, i) => t ?? new Zero(avals[i].shape, avals[i].dtype)),
    ];
  },
  // a cond linear in its unknown operands: split the same way (the index must be known)
  partialEval(args, unknown, p, parent, recorder) {
    if (unknown[0]) {
      throw new TypeError(
        "cond: the predicate or index depends on the linear inputs: the function is not linear in its inputs",
      );
    }
    const k = p.branches[0].outs.length;
    const u = unknown.slice(1);
    const splits = unionSplits(
      (inst) => p.branches.map((b) => partialEvalJaxpr(b, u, inst, "cond branch")),
      k,
    );
    return splitCond(args[0], args.slice(1), splits, parent, recorder, k) as NdArray[];
  },
  // transpose(cond) = a cond of the transposed branches on the same index
  transpose(cts, args, p) {
    const [index, ...ops] = args;
    if (index instanceof LinearIn) throw new TypeError("cond: the index cannot be a linear value");
    const ctNonZero = cts.map((c) => !(c instanceof Zero));
    if (!ctNonZero.some((b) => b)) return args.map(() => null);
    const linear = ops.map((a) => a instanceof LinearIn);
    const branches = p.branches.map((b) => transposeJaxpr(b, linear, ctNonZero, "cond branch"));
    const known = ops.filter((a): a is NdArray => !(a instanceof LinearIn));
    const nzCts = cts.filter((c): c is NdArray => !(c instanceof Zero));
    const outs = bindCall(condP, [index, ...known, ...nzCts], { branches });
    let j = 0;
    return [null, ...ops.map((a) => (a instanceof LinearIn ? outs[j++] : null))];
  },
  inline(args, p) {
    return chosen(args, p);
  },
};
