/**
 * Linearization: `linearize : (a → b) → a → (b, T a ⊸ T b)`.
 *
 * `linearize` runs a {@linkcode JvpHandler} whose parent is a
 * {@linkcode Recorder}: tangents are recorder variables, so every operation
 * on a tangent is recorded as an equation of a linear program (a
 * {@linkcode Jaxpr} of `core/ir.ts`), while operations on primals pass
 * through to the outer handlers and are computed now (define-by-run:
 * `x.item()` works). Values the recorder does not own — concrete arrays and
 * tracers of outer transformations — become the program's constants. The
 * program is data: it can be evaluated forward (here) or transposed
 * (`vjp.ts`) many times, later, and under other transformations.
 *
 * Reads the `jvp` and `abstractEval` rules, and refuses primitives with no
 * `transpose` rule on tangents.
 *
 * @module
 */

import type { NdArray } from "../array/array.ts";
import { isInexact } from "../array/dtype.ts";
import { filled } from "../array/create.ts";
import { ShapeError, shapesEqual, showShape } from "../array/shape.ts";
import { bind, bindCall, bindCustom, Handler, Tracer } from "../core/handler.ts";
import { ConcretizationError } from "../core/errors.ts";
import {
  type Atom,
  ConstCollector,
  type Eqn,
  Jaxpr,
  Lit,
  printJaxpr,
  scalarAval,
  Var,
} from "../core/ir.ts";
import {
  type Aval,
  type CallPrimitive,
  type CustomVjpCall,
  type Primitive,
  type Tangent,
  Zero,
} from "../core/primitive.ts";
import { convert } from "../primitives/elementwise.ts";
import { flatten, type TreeDef, unflatten } from "../tree.ts";
import { type AnyFunction, flattenOutput, leafToArray, runUnder } from "./common.ts";
import { type CustomVjpRecorder, JvpHandler, lowerAux, splitAux } from "./jvp.ts";

/** A tangent inside a linearization: a tracer standing for a program variable. */
export class LinearVar extends Tracer {
  /** The program variable. */
  readonly v: Var;
  /**
   * Creates one; see the class doc.
   *
   * @param handler The recorder.
   * @param v The program variable.
   */
  constructor(handler: Recorder, v: Var) {
    super(handler, v.aval.shape, v.aval.dtype);
    this.v = v;
  }
  /** The value one level down, for `item()` and printing. */
  protected primalValue(): NdArray {
    throw new ConcretizationError(
      `Cannot read the value of a tangent inside ${this.handler.name}: tangents are linear-program variables, not concrete values`,
    );
  }
}

let maxRecorded = 2 ** 21;

/**
 * Sets how many operations one reverse-mode recording (`grad`, `vjp`,
 * `linearize`) may hold before it stops with a `RangeError` (default 2²¹,
 * about 2 million, about 1.5 GB). The bound turns a runaway recursion into an
 * error: JavaScriptCore (Bun, Safari) runs tail calls without growing the
 * stack, so `f = x => f(np.sin(x))` never overflows it, and under `grad`
 * every step is kept. Raise it for programs that are really this long.
 *
 * @example Raising the bound
 * ```ts
 * import { setMaxRecordedEquations } from "@nabla/ad/extend";
 *
 * const previous = setMaxRecordedEquations(2 ** 24);
 * setMaxRecordedEquations(previous);
 * ```
 *
 * @param n A positive integer.
 * @returns The previous bound.
 */
export function setMaxRecordedEquations(n: number): number {
  if (!Number.isInteger(n) || n < 1) {
    throw new RangeError(`setMaxRecordedEquations expects a positive integer: got ${n}`);
  }
  const previous = maxRecorded;
  maxRecorded = n;
  return previous;
}

function tooLong(name: string): never {
  throw new RangeError(
    `${name} recorded more than ${maxRecorded} operations in one call: a runaway recursion? (on Bun and Safari a tail-recursive call never overflows the stack, so nothing else stops it). Write long loops with lax.scan or lax.foriLoop, or raise the bound with setMaxRecordedEquations from @nabla/ad/extend`,
  );
}

/** The handler that records operations on its variables as a linear program. */
export class Recorder extends Handler implements CustomVjpRecorder {
  /** The transformation's name, for error messages. */
  readonly name: string;
  /** The equations, in execution order. */
  readonly eqns: Eqn[] = [];
  /** The constants the program closes over. */
  readonly consts: ConstCollector;
  /** Per equation, the value of each input that is a constant (`null` where linear). */
  readonly known: (NdArray | null)[][] = [];
  /**
   * Record operations with no transpose rule too (partial evaluation of a
   * program, whose transpose reports them later).
   */
  readonly lenient: boolean;
  /**
   * Creates one; see the class doc.
   *
   * @param name The transformation's name for error messages.
   * @param opts `lenient` (see the field); `memo`: one constant variable per distinct value.
   */
  constructor(name: string, opts?: { lenient?: boolean; memo?: boolean }) {
    super();
    this.name = name;
    this.lenient = opts?.lenient === true;
    this.consts = new ConstCollector(opts?.memo === true);
  }

  /** A fresh input variable. */
  newVar(aval: Aval): LinearVar {
    return new LinearVar(
      this,
      new Var(
        aval.shape.length === 0 ? scalarAval(aval.dtype) : { shape: aval.shape, dtype: aval.dtype },
      ),
    );
  }

  /** The atom standing for `x`: its variable if it is ours, else a constant. */
  atom(x: NdArray): Var {
    return x instanceof LinearVar && x.handler === this ? x.v : this.consts.varFor(x);
  }

  /** Interprets one operation (see the module doc). */
  process<P>(prim: Primitive<P>, args: readonly NdArray[], params: P): NdArray {
    if (!this.hasOwnTracer(args)) return this.forward(prim, args, params);
    if (prim.transpose === undefined && !this.lenient) {
      throw new TypeError(
        prim.reverseModeError ??
          `Primitive '${prim.name}' was applied to a tangent in ${this.name}, but it has no transpose rule: a JVP rule must use only linear primitives on tangents`,
      );
    }
    const aval = prim.abstractEval(args, params);
    const out = new LinearVar(
      this,
      new Var(aval.shape.length === 0 ? scalarAval(aval.dtype) : aval),
    );
    const inputs = new globalThis.Array<Atom>(args.length);
    const known = new globalThis.Array<NdArray | null>(args.length);
    for (let i = 0; i < args.length; i++) {
      const a = args[i];
      const own = a instanceof LinearVar && a.handler === this;
      inputs[i] = own ? a.v : this.consts.varFor(a);
      known[i] = own ? null : a;
    }
    this.known.push(known);
    if (this.eqns.length >= maxRecorded) tooLong(this.name);
    this.eqns.push({
      kind: "primitive",
      primitive: prim.name,
      prim: prim as Primitive<unknown>,
      inputs,
      params,
      outs: [out.v],
    });
    return out;
  }

  /**
   * A call primitive on tangents: its `partialEval` rule computes the known
   * part below this recorder and records the unknown (linear) part here.
   */
  override processCall<P>(
    call: CallPrimitive<P>,
    args: readonly NdArray[],
    params: P,
  ): NdArray[] {
    if (!this.hasOwnTracer(args)) return this.forwardCall(call, args, params);
    const unknown = args.map((a) => a instanceof LinearVar && a.handler === this);
    return call.partialEval(args, unknown, params, this.parent!, this);
  }

  /** Records a linear call equation (see `CallRecorder`). */
  recordCall<P>(
    call: CallPrimitive<P>,
    inputs: readonly NdArray[],
    params: P,
    outs: readonly Aval[],
  ): NdArray[] {
    if (call.transpose === undefined) {
      throw new TypeError(`Call primitive '${call.name}' has no transpose rule for ${this.name}`);
    }
    const vars = outs.map((o) => this.newVar(o));
    const atoms: Atom[] = [];
    const known: (NdArray | null)[] = [];
    for (const a of inputs) {
      const own = a instanceof LinearVar && a.handler === this;
      atoms.push(own ? a.v : this.consts.varFor(a));
      known.push(own ? null : a);
    }
    this.known.push(known);
    this.eqns.push({
      kind: "call",
      primitive: call.name,
      call: call as CallPrimitive<unknown>,
      inputs: atoms,
      params,
      outs: vars.map((v) => v.v),
    });
    return vars;
  }

  recordCustomVjp(
    call: CustomVjpCall,
    residuals: readonly NdArray[],
    inputs: readonly Tangent[],
    outs: readonly Aval[],
  ): Tangent[] {
    const vars = outs.map((o) => this.newVar(o));
    const mask = inputs.map((t) => t instanceof LinearVar && t.handler === this);
    const atoms: Atom[] = residuals.map((r) => this.consts.varFor(r));
    const known: (NdArray | null)[] = residuals.slice();
    inputs.forEach((t, i) => {
      if (!mask[i]) return;
      atoms.push((t as LinearVar).v);
      known.push(null);
    });
    this.known.push(known);
    this.eqns.push({
      kind: "custom_vjp",
      primitive: "custom_vjp_call",
      call,
      inputs: atoms,
      params: {
        numResiduals: residuals.length,
        tangentMask: mask,
        tangentAvals: inputs.map((t) => ({ shape: t.shape, dtype: t.dtype })),
      },
      outs: vars.map((v) => v.v),
    });
    return vars;
  }
}

/**
 * A recorded linear function from input tangents to output tangents: a
 * {@linkcode Jaxpr} whose inputs are the tangents of the float inputs and
 * whose constants are the residuals, plus where inputs carry no tangent and
 * where outputs are symbolically zero.
 */
export class LinearProgram {
  /** The program: constants are residuals, inputs the tangent variables. */
  readonly jaxpr: Jaxpr;
  /** The values of the program's constant variables. */
  readonly consts: readonly NdArray[];
  /** For each input of the linearized function, its tangent variable (`null` for ints). */
  readonly inputs: readonly (Var | null)[];
  /** For each output, a symbolic zero, or `null` when it is the next of `jaxpr.outs`. */
  readonly zeroOutputs: readonly (Zero | null)[];
  /**
   * Per equation, the value of each input that is a constant, `null` where the
   * input is linear (a tangent variable): what the backward pass reads.
   */
  readonly known: readonly (readonly (NdArray | null)[])[];
  /** Per entry of `jaxpr.outs`, whether it is a tangent variable (not a constant). */
  readonly linearOutputs: readonly boolean[];
  /**
   * Wraps a recording as a program.
   *
   * @param recorder The recorder that holds the equations.
   * @param inputs Input variables (`null` for inputs with no tangent, such as ints).
   * @param outputs Output tangents: variables, symbolic zeros or constants.
   */
  constructor(
    recorder: Recorder,
    inputs: readonly (LinearVar | null)[],
    outputs: readonly Tangent[],
  ) {
    this.inputs = inputs.map((v) => (v ? v.v : null));
    const outs: Atom[] = [];
    const linearOutputs: boolean[] = [];
    this.zeroOutputs = outputs.map((t) => {
      if (t instanceof Zero) return t;
      outs.push(recorder.atom(t));
      linearOutputs.push(t instanceof LinearVar && t.handler === recorder);
      return null;
    });
    this.linearOutputs = linearOutputs;
    this.known = recorder.known;
    this.jaxpr = new Jaxpr(
      recorder.consts.vars,
      this.inputs.filter((v): v is Var => v !== null),
      recorder.eqns,
      outs,
    );
    this.consts = recorder.consts.values;
  }

  /** Evaluates the program forward on input tangents (the JVP of `linearize`). */
  evaluate(tangents: readonly NdArray[]): NdArray[] {
    const env = new Map<Var, NdArray>();
    this.jaxpr.constvars.forEach((v, i) => env.set(v, this.consts[i]));
    this.inputs.forEach((v, i) => v && env.set(v, tangents[i]));
    const read = (a: Atom): NdArray =>
      a instanceof Lit
        ? filled([], a.value, a.aval.dtype)
        : env.get(a) ?? filled(a.aval.shape, 0, a.aval.dtype);
    for (const e of this.jaxpr.eqns) {
      if (e.kind === "custom_vjp") {
        throw new TypeError(
          `Cannot evaluate the linearized function forward through '${e.call.name}', a customVjp function: it has only a reverse-mode rule`,
        );
      }
      if (e.kind === "custom_call" || e.kind === "call") {
        const ins = e.inputs.map(read);
        const outs = e.kind === "call" ? bindCall(e.call, ins, e.params) : bindCustom(e.call, ins);
        e.outs.forEach((v, i) => env.set(v, outs[i]));
        continue;
      }
      env.set(e.outs[0], bind(e.prim, e.inputs.map(read), e.params));
    }
    let k = 0;
    return this.zeroOutputs.map((z) =>
      z === null ? read(this.jaxpr.outs[k++]) : filled(z.shape, 0, z.dtype)
    );
  }

  /** The listing of the program, as `jax.make_jaxpr` prints it. */
  toString(): string {
    return printJaxpr(this.jaxpr);
  }
}

/** A function linearized at a point. */
export interface Linearized {
  /** The output leaves. */
  outLeaves: NdArray[];
  /** The output's tree structure. */
  outDef: TreeDef;
  /** The linear map from input tangents to output tangents. */
  program: LinearProgram;
  /** The auxiliary output, with `hasAux`. */
  aux: unknown;
  /** The inputs' tree structure. */
  inDef: TreeDef;
  /** The input leaves, as arrays. */
  inLeaves: NdArray[];
}

/** Traces `f` at `primals` (a list of argument trees) into outputs and a linear program. */
export function linearizeFlat(
  name: string,
  f: AnyFunction,
  primals: readonly unknown[],
  hasAux: boolean | undefined,
): Linearized {
  const [pLeaves, inDef] = flatten(primals);
  const rec = new Recorder(name);
  const h = new JvpHandler(name, rec);
  h.recorder = rec;
  const inLeaves = pLeaves.map((p) => leafToArray(p, `${name} inputs`));
  const vars = inLeaves.map((x) => (isInexact(x.dtype) ? rec.newVar(x) : null));
  const tracers = inLeaves.map((x, i) => (vars[i] ? h.lift(x, vars[i]!) : x));
  const [out, aux] = runUnder(
    h,
    () => splitAux(f(...unflatten<unknown[]>(inDef, tracers)), hasAux, name),
    rec,
  );
  const [leaves, outDef] = flattenOutput(out, name);
  const outLeaves: NdArray[] = [], outTangents: Tangent[] = [];
  for (const leaf of leaves) {
    const [y, t] = h.lower(leaf);
    outLeaves.push(y);
    outTangents.push(t);
  }
  const program = new LinearProgram(rec, vars, outTangents);
  return {
    outLeaves,
    outDef,
    program,
    aux: hasAux ? lowerAux(aux, (x) => h.lower(x)[0]) : undefined,
    inDef,
    inLeaves,
  };
}

/**
 * Linearizes `f` at `primals`: returns the output and a function evaluating
 * the JVP at that point for any tangents, without re-running `f`.
 *
 * @example A reusable JVP
 * ```ts
 * import { linearize, np } from "@nabla/ad";
 * import { equal } from "node:assert/strict";
 *
 * const [y, f_jvp] = linearize(np.exp, [0]);
 * equal(y.item(), 1);
 * equal(f_jvp(2).item(), 2);
 * ```
 *
 * @param f The function; arguments and output may be trees.
 * @param primals The point: one tree per argument of `f`.
 * @returns `[output, jvpFn]`; `jvpFn(...tangents)` returns the output tangent.
 */
export function linearize(
  f: AnyFunction,
  primals: readonly unknown[],
  // deno-lint-ignore no-explicit-any
): [any, (...tangents: any[]) => any] {
  if (!globalThis.Array.isArray(primals)) {
    throw new TypeError("linearize: primals must be an array with one entry per argument of f");
  }
  const lin = linearizeFlat("linearize", f, primals, false);
  const jvpFn = (...tangents: unknown[]) => {
    const [tLeaves, tDef] = flatten(tangents);
    if (!tDef.equals(lin.inDef)) {
      throw new ShapeError(
        `linearize: tangents must have the structure of the primals ${lin.inDef}: got ${tDef}`,
        { op: "linearize" },
      );
    }
    const ts = tLeaves.map((t, i) => {
      const x = lin.inLeaves[i];
      const a = leafToArray(t, "Tangents");
      if (!shapesEqual(a.shape, x.shape)) {
        throw new ShapeError(
          `linearize: tangent shape ${showShape(a.shape)} does not match primal shape ${
            showShape(x.shape)
          }`,
          { op: "linearize", shapes: [a.shape, x.shape] },
        );
      }
      return isInexact(x.dtype) && a.dtype !== x.dtype ? convert(a, x.dtype) : a;
    });
    return unflatten(lin.outDef, lin.program.evaluate(ts));
  };
  return [unflatten(lin.outDef, lin.outLeaves), jvpFn];
}
