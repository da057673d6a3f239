/**
 * Splitting a program into a known part and an unknown part (partial
 * evaluation, JAX's `partial_eval_jaxpr_nounits`), the core of reverse mode
 * for call primitives (`pjit`, `cond`, `scan`).
 *
 * Both splits are traces: the program is replayed with its known inputs as
 * tracers of a {@linkcode StagingHandler} (whose equations become the known
 * program) and its unknown inputs as variables of a {@linkcode Recorder}
 * above it (whose equations become the unknown program). Every operation
 * thus goes where its inputs say, and call equations inside are split by
 * their own rules (nesting depth, not program length). The values the
 * recorder reads from the staged side are the **residuals**: outputs of the
 * known program and leading inputs of the unknown one (a residual that is a
 * known input may be forwarded instead of returned).
 *
 * - {@linkcode partialEvalJaxpr}: a program linear in its unknown inputs;
 * - {@linkcode linearizeJaxpr}: the JVP of a program split in one pass (the
 *   recorder sits below a `jvp` handler, as in `linearize`), so a
 *   `customVjp` inside records its backward rule. Its inputs are the
 *   primals then the tangents, its outputs the primal outputs then their
 *   tangents: primals are known, tangents unknown (or symbolically zero).
 *
 * @module
 */

import type { NdArray } from "../array/array.ts";
import { filled } from "../array/create.ts";
import { evalHandler, swapHandler, Tracer } from "../core/handler.ts";
import { type Atom, Jaxpr, Lit, Var } from "../core/ir.ts";
import { type Aval, Zero } from "../core/primitive.ts";
import { JvpHandler } from "./jvp.ts";
import { LinearVar, Recorder } from "./linearize.ts";
import { ClosedJaxpr, evalClosed, StagedTracer, StagingHandler } from "./jit.ts";

/**
 * A program split in two. Positions refer to the program's inputs and
 * outputs (for {@linkcode linearizeJaxpr}: primals then tangents).
 */
export interface Split {
  /** `knownIn` values ↦ `knownOut` values, then the returned residuals. */
  readonly known: ClosedJaxpr;
  /** Residuals, then `unknownIn` values ↦ `unknownOut` values. */
  readonly unknown: ClosedJaxpr;
  /** Input positions the known program takes, ascending. */
  readonly knownIn: readonly number[];
  /** Input positions the unknown program takes after the residuals, ascending. */
  readonly unknownIn: readonly number[];
  /** Output positions the known program returns, ascending. */
  readonly knownOut: readonly number[];
  /** Output positions the unknown program returns, ascending (the others are zero tangents). */
  readonly unknownOut: readonly number[];
  /** Per residual: `-1 - q` when it is known input `q` (forwarded), else its index among the known program's residual outputs. */
  readonly resSource: readonly number[];
  /** Types of the residuals. */
  readonly resAvals: readonly Aval[];
}

const splitCache = new WeakMap<ClosedJaxpr, Map<string, Split>>();

function cached(c: ClosedJaxpr, key: string, make: () => Split): Split {
  let m = splitCache.get(c);
  if (m === undefined) {
    m = new Map();
    splitCache.set(c, m);
  }
  let s = m.get(key);
  if (s === undefined) {
    s = make();
    m.set(key, s);
  }
  return s;
}

const bits = (m: readonly boolean[]): string => m.map((b) => (b ? 1 : 0)).join("");

/** What a split trace produced, before it is closed into two programs. */
interface Traced {
  staging: StagingHandler;
  recorder: Recorder;
  /** Per input position: a staged input, a recorder variable, or nothing (a zero tangent). */
  ins: (StagedTracer | LinearVar | null)[];
  /** Per output position: known value, unknown value (`LinearVar` or a value to instantiate), or zero. */
  outs: ({ known: NdArray } | { unknown: NdArray } | null)[];
}

function close(t: Traced, forwardable: readonly boolean[]): Split {
  const { staging: S, recorder: R } = t;
  const knownIn: number[] = [], unknownIn: number[] = [];
  t.ins.forEach((x, q) => {
    if (x instanceof LinearVar) unknownIn.push(q);
    else if (x !== null) knownIn.push(q);
  });
  const knownOut: number[] = [], unknownOut: number[] = [];
  const kAtoms: Atom[] = [], uAtoms: Atom[] = [];
  t.outs.forEach((o, i) => {
    if (o === null) return;
    if ("known" in o) {
      knownOut.push(i);
      kAtoms.push(S.atom(o.known));
    } else {
      unknownOut.push(i);
      uAtoms.push(R.atom(o.unknown));
    }
  });
  // the recorder's constants: staged values are residuals, concrete ones stay constants
  const inputPos = new Map<Var, number>();
  t.ins.forEach((x, q) => x instanceof StagedTracer && inputPos.set(x.v, q));
  const resVars: Var[] = [], resSource: number[] = [], resAvals: Aval[] = [];
  const resOuts: Atom[] = [];
  const cVars: Var[] = [], cVals: NdArray[] = [];
  R.consts.vars.forEach((v, j) => {
    const x = R.consts.values[j];
    if (x instanceof StagedTracer && x.handler === S) {
      resVars.push(v);
      resAvals.push(v.aval);
      const q = inputPos.get(x.v);
      if (q !== undefined && forwardable[q]) resSource.push(-1 - q);
      else {
        resSource.push(resOuts.length);
        resOuts.push(x.v);
      }
    } else if (x instanceof Tracer) {
      throw new TypeError(
        `partial evaluation: a tracer of ${x.handler.name} leaked into a program`,
      );
    } else {
      cVars.push(v);
      cVals.push(x);
    }
  });
  const known = new ClosedJaxpr(
    new Jaxpr(
      S.consts.vars,
      knownIn.map((q) => (t.ins[q] as StagedTracer).v),
      S.eqns,
      [...kAtoms, ...resOuts],
    ),
    S.consts.values,
  );
  const unknown = new ClosedJaxpr(
    new Jaxpr(
      cVars,
      [...resVars, ...unknownIn.map((q) => (t.ins[q] as LinearVar).v)],
      R.eqns,
      uAtoms,
    ),
    cVals,
  );
  S.retired = true;
  R.retired = true;
  return { known, unknown, knownIn, unknownIn, knownOut, unknownOut, resSource, resAvals };
}

function handlers(name: string, lenient: boolean): { S: StagingHandler; R: Recorder } {
  const S = new StagingHandler(name, evalHandler);
  const saved = swapHandler(S);
  try {
    return { S, R: new Recorder(name, { lenient, memo: true }) };
  } finally {
    swapHandler(saved);
  }
}

/**
 * Splits a program linear in its `unknown` inputs: equations reading an
 * unknown value are unknown; `instantiate[i]` makes output `i` unknown even
 * if it is known (returned by the unknown program as a residual).
 * `forwardable[q]` lets a known input `q` that is a residual be forwarded
 * (default: every known input).
 */
export function partialEvalJaxpr(
  c: ClosedJaxpr,
  unknown: readonly boolean[],
  instantiate: readonly boolean[],
  name: string,
  forwardable: readonly boolean[] = unknown.map(() => true),
): Split {
  const key = `p${bits(unknown)}|${bits(instantiate)}|${bits(forwardable)}`;
  return cached(c, key, () => {
    const { S, R } = handlers(`partial_eval(${name})`, true);
    const ins = c.invars.map((v, i) => (unknown[i] ? R.newVar(v.aval) : S.newInput(v.aval)));
    const saved = swapHandler(R);
    let outs: NdArray[];
    try {
      outs = evalClosed(c, ins);
    } finally {
      swapHandler(saved);
    }
    return close({
      staging: S,
      recorder: R,
      ins,
      outs: outs.map((o, i) =>
        (o instanceof LinearVar && o.handler === R) || instantiate[i]
          ? { unknown: o }
          : { known: o }
      ),
    }, forwardable);
  });
}

/**
 * Linearizes a program: its JVP for tangents on the inputs marked
 * `nonzero`, split so that primals are known and tangents unknown. Input
 * positions are the primals then the tangents, output positions the primal
 * outputs then their tangents; `instantiate[i]` (per output) makes tangent
 * `i` an output of the unknown program even when it is zero.
 * `forwardable[q]` (per primal input) lets a residual that is primal input
 * `q` be forwarded.
 */
export function linearizeJaxpr(
  c: ClosedJaxpr,
  nonzero: readonly boolean[],
  instantiate: readonly boolean[],
  name: string,
  forwardable: readonly boolean[] = nonzero.map(() => true),
): Split {
  const key = `l${bits(nonzero)}|${bits(instantiate)}|${bits(forwardable)}`;
  return cached(c, key, () => {
    const { S, R } = handlers(`linearize(${name})`, false);
    const n = c.invars.length;
    const primals = c.invars.map((v) => S.newInput(v.aval));
    const tangents = c.invars.map((v, i) => (nonzero[i] ? R.newVar(v.aval) : null));
    const J = new JvpHandler("linearize", R);
    J.recorder = R;
    const saved = swapHandler(J);
    let outs: NdArray[];
    try {
      outs = evalClosed(c, primals.map((x, i) => (tangents[i] ? J.lift(x, tangents[i]!) : x)));
    } finally {
      swapHandler(saved);
      J.retired = true;
    }
    const k = outs.length;
    const res: Traced["outs"] = new globalThis.Array(2 * k);
    outs.forEach((o, i) => {
      const [p, t] = J.lower(o);
      res[i] = { known: p };
      if (!(t instanceof Zero)) res[k + i] = { unknown: t };
      else if (instantiate[i]) res[k + i] = { unknown: filled(t.shape, 0, t.dtype) };
      else res[k + i] = null;
    });
    return close(
      { staging: S, recorder: R, ins: [...primals, ...tangents], outs: res },
      [...forwardable, ...nonzero.map(() => false)].slice(0, 2 * n),
    );
  });
}

/** A zero of type `a` as a program atom: a literal for real scalars, else a constant. */
export function zeroAtom(a: Aval, consts: { vars: Var[]; values: NdArray[] }): Atom {
  if (a.shape.length === 0 && !(a.dtype as string).startsWith("complex")) {
    return new Lit(0, a.dtype);
  }
  const v = new Var({ shape: [...a.shape], dtype: a.dtype });
  consts.vars.push(v);
  consts.values.push(filled(a.shape, 0, a.dtype));
  return v;
}
