/**
 * Staging and `jit`: `jit : (a → b) → (a → b)`, the same function, traced
 * once per signature into a program and compiled.
 *
 * `makeJaxpr` traces a function into the IR of `core/ir.ts` with a
 * {@linkcode StagingHandler}; `evalJaxpr` replays a program with `bind`, so
 * whichever handler is current (eval, `grad`, `vmap`, another staging
 * handler) interprets each equation with its own rules. `jit` caches one
 * trace per signature (tree structure; each leaf's shape, dtype and weak
 * type; the values of static arguments) and performs it as one operation of
 * the higher-order call primitive `pjit`, whose rules every handler applies
 * (`Handler.processCall`):
 *
 * - eval: `impl` compiles the program to JavaScript (`compile/js.ts`) and
 *   runs it;
 * - `jvp`: a JVP program (the program traced under `jvp`), called with the
 *   primals and the non-zero tangents;
 * - `vmap`: a batched program (the program traced under `vmap`);
 * - reverse mode: partial evaluation — the program is split into a known
 *   part (computed now, as one call, returning residuals) and an unknown
 *   part, linear in the tangents, recorded for the backward pass;
 * - staging (a `jit` inside a `jit`): one `pjit` equation holding the program.
 *
 * Tracing runs each primitive's `abstractEval`, so shape and dtype errors are
 * thrown at trace time with eager's messages and the user's stack. Values the
 * staging handler does not own (concrete arrays closed over, tracers of outer
 * transformations) become constants of the program (closure conversion);
 * operations on such values only are forwarded (folded) at trace time. A
 * trace that closes over an outer transformation's tracers is not cached, and
 * passes them to `pjit` as leading arguments, so the outer transformation
 * applies its rule to the whole call.
 *
 * Functions with custom rules (`customJvp`, `customVjp`, `checkpoint`) are
 * staged as `custom_*_call` equations and replayed with `bindCustom`, so
 * their rules apply whichever transformation evaluates the program. They are
 * closure-converted (`staged_custom.ts`): what they close over becomes
 * explicit inputs of the equation, and the call runs the traced program.
 *
 * @module
 */

import { markWeak, NdArray } from "../array/array.ts";
import { type DType, scalarDType } from "../array/dtype.ts";
import { type Shape, shapesEqual } from "../array/shape.ts";
import { filled, scalar as scalarArray } from "../array/create.ts";
import { ConcretizationError } from "../core/errors.ts";
import { checkOptions } from "../core/options.ts";
import {
  bind,
  bindCall,
  bindCustom,
  currentHandler,
  evalHandler,
  Handler,
  swapHandler,
  Tracer,
} from "../core/handler.ts";
import {
  type Atom,
  avalOf,
  ConstCollector,
  type Eqn,
  Jaxpr,
  Lit,
  printJaxpr,
  showAval,
  Var,
} from "../core/ir.ts";
import {
  type Aval,
  type BatchDim,
  type CallPrimitive,
  type CustomCall,
  LinearIn,
  type Primitive,
  type Tangent,
  Zero,
} from "../core/primitive.ts";
import { moveAxis } from "../primitives/rules.ts";
import { add, convert } from "../primitives/elementwise.ts";
import { linearizeJaxpr, partialEvalJaxpr } from "./staged_split.ts";
import { flatten, type TreeDef, unflatten } from "../tree.ts";
import { compileJaxpr, type Executable } from "../compile/js.ts";
import { type AnyFunction, describe, flattenOutput, leafToArray, runUnder } from "./common.ts";
import { JvpHandler } from "./jvp.ts";
import { closeCustomCall } from "./staged_custom.ts";
import { BatchTracer, VmapHandler } from "./vmap.ts";

/** A value inside a staged function: a variable of the program being built. */
export class StagedTracer extends Tracer {
  /** The program variable it stands for. */
  readonly v: Var;
  /** The weak kind of a JS-scalar argument, `null` for arrays and results. */
  readonly weak: DType | null;
  /**
   * Creates a tracer.
   *
   * @param handler The staging handler.
   * @param v Its variable.
   * @param weak The weak kind of a JS-scalar argument.
   */
  constructor(handler: StagingHandler, v: Var, weak: DType | null = null) {
    super(handler, v.aval.shape, v.aval.dtype);
    this.v = v;
    this.weak = weak;
  }
  /** Promotion treats a traced JS-scalar argument like the scalar. */
  override get weakKind(): DType | null {
    return this.weak;
  }
  /** Staged values have no value: reading one is a {@linkcode ConcretizationError}. */
  protected primalValue(): NdArray {
    throw this.concretizationError();
  }
  /** `x > 0`, `+x` and other coercions of a staged value: a {@linkcode ConcretizationError}. */
  [Symbol.toPrimitive](hint: string): string {
    if (hint === "string") return this.toString();
    throw this.concretizationError();
  }
  private concretizationError(): ConcretizationError {
    const h = this.handler as StagingHandler;
    return new ConcretizationError(
      `jit cannot read the value of a traced array ${showAval(this.v.aval)} while tracing ` +
        `${h.fname}: values are unknown while tracing. Use lax.cond/lax.switch/lax.whileLoop ` +
        `(or np.where) for value-dependent control flow, or pass the argument through staticArgnums`,
    );
  }
}

/**
 * JAX's weak types, as the eval handler applies them: a result computed from
 * weakly typed values only, of their dtype, is weak (its dtype), else `null`.
 */
function weakResult(args: readonly NdArray[], dtype: DType): DType | null {
  if (args.length === 0 || args[0].dtype !== dtype) return null;
  for (let i = 0; i < args.length; i++) if (args[i].weakKind === null) return null;
  return dtype;
}

/** The staging handler: records every operation on its tracers as an equation. */
export class StagingHandler extends Handler {
  /** The transformation's name, for error messages. */
  readonly name = "jit";
  /** The staged function's name (`jit(loss)`), for error messages. */
  readonly fname: string;
  /** The equations recorded so far. */
  readonly eqns: Eqn[] = [];
  /** Constants closed over. */
  readonly consts: ConstCollector = new ConstCollector(true);
  /** Set when the trace read a tracer of an outer transformation (such a trace is not cached). */
  capturedTracers = false;

  /**
   * Creates a staging handler.
   *
   * @param fname The staged function's name, for error messages.
   * @param parent The handler operations on foreign values go to.
   */
  constructor(fname = "jit", parent: Handler | null = currentHandler()) {
    super(parent);
    this.fname = fname;
  }

  /** A fresh input tracer of the given type (`weak` for a JS-scalar argument). */
  newInput(aval: Aval, weak: DType | null = null): StagedTracer {
    return new StagedTracer(this, new Var(avalOf(aval.shape, aval.dtype)), weak);
  }

  /** The atom standing for `x` in the program. */
  atom(x: NdArray): Atom {
    if (x instanceof StagedTracer && x.handler === this) return x.v;
    if (x instanceof Tracer) this.capturedTracers = true;
    else if (x.shape.length === 0 && !(x.dtype as string).startsWith("complex")) {
      return new Lit(x.item() as number, x.dtype);
    }
    return this.consts.varFor(x);
  }

  private noteForeign(args: readonly NdArray[]): void {
    for (const a of args) if (a instanceof Tracer) this.capturedTracers = true;
  }

  /** Records one operation (see the module doc). */
  process<P>(prim: Primitive<P>, args: readonly NdArray[], params: P): NdArray {
    if (!this.hasOwnTracer(args)) {
      this.noteForeign(args);
      return this.forward(prim, args, params);
    }
    const aval = prim.abstractEval(args, params);
    const out = new Var(avalOf(aval.shape, aval.dtype));
    const inputs = new globalThis.Array<Atom>(args.length);
    for (let i = 0; i < args.length; i++) inputs[i] = this.atom(args[i]);
    this.eqns.push({
      kind: "primitive",
      primitive: prim.name,
      prim: prim as Primitive<unknown>,
      inputs,
      params,
      outs: [out],
    });
    return new StagedTracer(this, out, weakResult(args, aval.dtype));
  }

  /** Records a call primitive (a `jit` inside a `jit`) as one equation. */
  override processCall<P>(
    call: CallPrimitive<P>,
    args: readonly NdArray[],
    params: P,
  ): NdArray[] {
    if (!this.hasOwnTracer(args)) {
      this.noteForeign(args);
      return this.forwardCall(call, args, params);
    }
    const outs = call.abstractEval(args, params).map((a) =>
      new Var({ shape: [...a.shape], dtype: a.dtype })
    );
    this.eqns.push({
      kind: "call",
      primitive: call.name,
      call: call as CallPrimitive<unknown>,
      inputs: args.map((a) => this.atom(a)),
      params,
      outs,
    });
    const sub = (params as { jaxpr?: unknown }).jaxpr;
    const weak = sub instanceof ClosedJaxpr ? sub.outWeak : null;
    return outs.map((v, i) =>
      new StagedTracer(this, v, weak !== null && weak[i] ? v.aval.dtype : null)
    );
  }

  /**
   * Stages a function with a custom rule as one equation (its rules kept),
   * closure-converted: the function is traced into a program whose closed-over
   * values (concrete arrays, values traced here, outer tracers) are leading
   * inputs of the equation, and the staged call runs that program
   * (`staged_custom.ts`). A call that neither takes values traced here nor
   * closes over traced values is forwarded (folded), as any foreign operation.
   */
  override processCustom(call: CustomCall, args: readonly NdArray[]): NdArray[] {
    const own = this.hasOwnTracer(args);
    const before = this.eqns.length;
    let body: Traced & { jaxpr: Jaxpr };
    try {
      body = traceFlat(
        (xs) => call.f(xs),
        args.map((a) => ({ shape: a.shape, dtype: a.dtype })),
        this.fname,
        this,
      );
    } catch (e) {
      if (own) throw e;
      // not ours by its arguments, and not traceable: let the outer handlers run it as before
      this.eqns.length = before;
      this.noteForeign(args);
      return this.forwardCustom(call, args);
    }
    const consts = body.closed.consts;
    if (!own && this.eqns.length === before && !consts.some((c) => c instanceof Tracer)) {
      this.noteForeign(args);
      return this.forwardCustom(call, args);
    }
    // the body's operations on closed-over values only were recorded here: they compute its consts
    const jx = body.jaxpr;
    const open = new ClosedJaxpr(
      new Jaxpr([], [...jx.constvars, ...jx.invars], jx.eqns, jx.outs),
      [],
    );
    const run = (xs: readonly NdArray[]): NdArray[] =>
      currentHandler() === evalHandler ? runClosed(open, xs) : evalClosed(open, xs);
    const outs = jx.outs.map((o) => new Var({ shape: [...o.aval.shape], dtype: o.aval.dtype }));
    this.eqns.push({
      kind: "custom_call",
      primitive: call.kind === "custom_jvp" ? "custom_jvp_call" : "custom_vjp_call",
      call: closeCustomCall(call, consts, run),
      inputs: [...consts, ...args].map((a) => this.atom(a)),
      params: { body: open.jaxpr, numConsts: consts.length },
      outs,
    });
    return outs.map((v) => new StagedTracer(this, v));
  }
}

/**
 * A program with the values of its constants (JAX's `ClosedJaxpr`), as
 * `makeJaxpr` returns it.
 *
 * @example Inspecting a program
 * ```ts
 * import { makeJaxpr, np, type Array } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * const p = makeJaxpr((x: Array) => np.sum(np.sin(x)))(np.ones([3]));
 * deepEqual(p.eqns.map((e) => e.primitive), ["sin", "reduce_sum"]);
 * ```
 */
export class ClosedJaxpr {
  /** The program. */
  readonly jaxpr: Jaxpr;
  /** Values of its constant variables, in order. */
  readonly consts: NdArray[];
  /** Tree structure of the outputs (`null`: a flat list). */
  readonly outTree: TreeDef | null;
  /** Which outputs are weakly typed (JAX's `weak_type`; `null`: none known). */
  readonly outWeak: readonly boolean[] | null;
  /**
   * Pairs a program with its constants.
   *
   * @param jaxpr The program.
   * @param consts Values of its constant variables.
   * @param outTree Tree structure of the outputs.
   * @param outWeak Which outputs are weakly typed.
   */
  constructor(
    jaxpr: Jaxpr,
    consts: NdArray[],
    outTree: TreeDef | null = null,
    outWeak: readonly boolean[] | null = null,
  ) {
    this.jaxpr = jaxpr;
    this.consts = consts;
    this.outTree = outTree;
    this.outWeak = outWeak;
  }
  /** The equations. */
  get eqns(): readonly Eqn[] {
    return this.jaxpr.eqns;
  }
  /** Input variables. */
  get invars(): readonly Var[] {
    return this.jaxpr.invars;
  }
  /** Output atoms. */
  get outs(): readonly Atom[] {
    return this.jaxpr.outs;
  }
  /** The listing, as `jax.make_jaxpr` prints it. */
  toString(): string {
    return printJaxpr(this.jaxpr);
  }
}

/** A closed program and whether its trace closed over outer transformations' tracers. */
interface Traced {
  closed: ClosedJaxpr;
  captured: boolean;
}

/** Traces `f` on flat inputs of the given types into a closed program (internal: control flow uses it). */
export function traceFlat(
  f: (xs: NdArray[]) => NdArray[],
  avals: readonly Aval[],
  fname: string,
  parent: Handler,
  weak?: readonly (DType | null)[],
  outTree?: () => TreeDef | null,
): Traced & { jaxpr: Jaxpr } {
  const h = new StagingHandler(fname, parent);
  const ins = avals.map((a, i) => h.newInput(a, weak?.[i] ?? null));
  const outs = runUnder(h, () => f(ins));
  const outAtoms = outs.map((o) => h.atom(o));
  const jaxpr = new Jaxpr(h.consts.vars, ins.map((t) => t.v), h.eqns, outAtoms);
  const outWeak = outs.map((o) => o.weakKind !== null);
  const closed = new ClosedJaxpr(
    jaxpr,
    h.consts.values,
    outTree ? outTree() : null,
    outWeak.includes(true) ? outWeak : null,
  );
  return { closed, captured: h.capturedTracers, jaxpr };
}

/** Options of {@linkcode makeJaxpr} and {@linkcode jit}. */
export interface JitOptions {
  /**
   * Positions of arguments passed as themselves (part of the cache key), not
   * traced; a negative position counts from the last argument, as in JAX.
   */
  staticArgnums?: number | readonly number[];
  /** `"js"` (generated JavaScript, the default) or `"interpret"` (an interpreter of the program). */
  backend?: "js" | "interpret";
}

function staticSet(opts: JitOptions | undefined, fname: string): Set<number> {
  const s = opts?.staticArgnums;
  const list = s === undefined ? [] : typeof s === "number" ? [s] : [...s];
  for (const i of list) {
    if (!Number.isInteger(i)) {
      throw new RangeError(`${fname}: staticArgnums must be integers: got ${describe(i)}`);
    }
  }
  return new Set(list);
}

interface Split {
  raw: unknown[];
  leaves: NdArray[];
  def: TreeDef;
  statics: unknown[];
  /** Positions of the static arguments in this call (negative `staticArgnums` resolved). */
  positions: Set<number>;
}

function splitArgs(args: unknown[], statics: Set<number>, fname: string): Split {
  const dyn: unknown[] = [];
  const st: unknown[] = [];
  let positions = statics;
  for (const i of statics) {
    if (i >= args.length || i < -args.length) {
      throw new RangeError(
        `${fname}: staticArgnums names argument ${i}, but the function was called with ${args.length} arguments`,
      );
    }
    // a negative position counts from the last argument, as in JAX
    if (i < 0) positions = new Set([...statics].map((j) => (j < 0 ? j + args.length : j)));
  }
  args.forEach((a, i) => (positions.has(i) ? st.push(a) : dyn.push(a)));
  const [raw, def] = flatten(dyn);
  return {
    raw,
    leaves: raw.map((l) => leafToArray(l, `Arguments of ${fname}`)),
    def,
    statics: st,
    positions,
  };
}

function rebuild(args: unknown[], statics: Set<number>, dynTree: unknown[]): unknown[] {
  const out: unknown[] = [];
  let k = 0;
  for (let i = 0; i < args.length; i++) out.push(statics.has(i) ? args[i] : dynTree[k++]);
  return out;
}

/** The weak kind of a raw leaf: JS numbers and booleans are weakly typed, as in eager `np`. */
function weakOf(leaf: unknown): DType | null {
  if (typeof leaf === "number" || typeof leaf === "boolean") return scalarDType(leaf);
  if (leaf instanceof NdArray) return leaf.weakKind;
  return null;
}

function traceUser(
  f: AnyFunction,
  args: unknown[],
  split: Split,
  fname: string,
): Traced {
  let outDef: TreeDef | null = null;
  const t = traceFlat(
    (xs) => {
      const out = f(...rebuild(args, split.positions, unflatten<unknown[]>(split.def, xs)));
      const [leaves, def] = flattenOutput(out, fname);
      outDef = def;
      return leaves;
    },
    split.leaves.map((l) => ({ shape: l.shape, dtype: l.dtype })),
    fname,
    currentHandler(),
    split.raw.map(weakOf),
    () => outDef,
  );
  return t;
}

/**
 * Traces `f` into a program (JAX's `make_jaxpr`): its equations (each with
 * `primitive`, the snake_case name), printed by `toString()` as
 * `jax.make_jaxpr` prints, and evaluated by {@linkcode evalJaxpr}.
 *
 * @example The program of a function
 * ```ts
 * import { makeJaxpr, np, type Array } from "@nabla/ad";
 * import { equal } from "node:assert/strict";
 *
 * const p = makeJaxpr((x: Array) => np.multiply(np.sin(x), 2))(np.ones([3]));
 * equal(
 *   p.toString(),
 *   "{ lambda ; a:f64[3]. let\n    b:f64[3] = sin a\n    c:f64[3] = mul b 2.0:f64[]\n  in (c,) }",
 * );
 * ```
 *
 * @param f The function; arguments and outputs may be trees.
 * @param opts Static arguments.
 * @returns A function of `f`'s arguments returning the program.
 */
export function makeJaxpr(
  f: AnyFunction,
  opts?: JitOptions,
): (...args: unknown[]) => ClosedJaxpr {
  if (typeof f !== "function") {
    throw new TypeError(`makeJaxpr expects a function: got ${describe(f)}`);
  }
  checkOptions("makeJaxpr", opts, ["staticArgnums"]);
  const statics = staticSet(opts, "makeJaxpr");
  return (...args: unknown[]) => {
    const fname = `makeJaxpr(${f.name || "fn"})`;
    const split = splitArgs(args, statics, fname);
    return traceUser(f, args, split, fname).closed;
  };
}

const litArrays = new WeakMap<Lit, NdArray>();

function litArray(a: Lit): NdArray {
  let x = litArrays.get(a);
  if (x === undefined) {
    x = scalarArray(a.value, a.aval.dtype);
    litArrays.set(a, x);
  }
  return x;
}

/** Replays a program with the current handler (a loop over its equations; internal). */
export function evalClosed(program: ClosedJaxpr, args: readonly NdArray[]): NdArray[] {
  const { jaxpr, consts } = program;
  const env = new Map<Var, NdArray>();
  for (let i = 0; i < jaxpr.constvars.length; i++) env.set(jaxpr.constvars[i], consts[i]);
  for (let i = 0; i < jaxpr.invars.length; i++) env.set(jaxpr.invars[i], args[i]);
  const read = (a: Atom): NdArray => (a instanceof Lit ? litArray(a) : env.get(a)!);
  const eqns = jaxpr.eqns;
  for (let k = 0; k < eqns.length; k++) {
    const e = eqns[k];
    const ins = e.inputs.map(read);
    if (e.kind === "primitive") {
      env.set(e.outs[0], bind(e.prim, ins, e.params));
      continue;
    }
    let outs: NdArray[];
    if (e.kind === "call") outs = bindCall(e.call, ins, e.params);
    else if (e.kind === "custom_call") outs = bindCustom(e.call, ins);
    else {
      throw new TypeError(
        `evalJaxpr: a linear custom_vjp_call equation cannot be evaluated forward`,
      );
    }
    for (let i = 0; i < e.outs.length; i++) env.set(e.outs[i], outs[i]);
  }
  return jaxpr.outs.map(read);
}

/**
 * Evaluates a program on a flat list of inputs, binding each equation in the
 * current handler (so it can be differentiated, batched or staged again).
 * A loop over the equations.
 *
 * @example Replaying a program
 * ```ts
 * import { evalJaxpr, makeJaxpr, np, type Array } from "@nabla/ad";
 * import { equal } from "node:assert/strict";
 *
 * const p = makeJaxpr((x: Array) => np.multiply(x, x))(np.array(3));
 * equal(evalJaxpr(p, [np.array(4)])[0].item(), 16);
 * ```
 *
 * @param program The program (with its constants).
 * @param args One array per input variable.
 * @returns One array per output.
 */
export function evalJaxpr(program: ClosedJaxpr, args: readonly NdArray[]): NdArray[] {
  if (!(program instanceof ClosedJaxpr)) {
    throw new TypeError(
      `evalJaxpr: program must be what makeJaxpr returns: got ${describe(program)}`,
    );
  }
  if (!globalThis.Array.isArray(args)) {
    throw new TypeError(`evalJaxpr: args must be a list of arrays: got ${describe(args)}`);
  }
  const { jaxpr } = program;
  if (args.length !== jaxpr.invars.length) {
    throw new TypeError(
      `evalJaxpr: the program takes ${jaxpr.invars.length} inputs, got ${args.length}`,
    );
  }
  jaxpr.invars.forEach((v, i) => {
    const a = args[i];
    if (!(a instanceof NdArray)) {
      throw new TypeError(`evalJaxpr: input ${i} must be an array, got ${describe(a)}`);
    }
    if (a.dtype !== v.aval.dtype || !shapesEqual(a.shape, v.aval.shape)) {
      throw new TypeError(
        `evalJaxpr: input ${i} must be ${showAval(v.aval)}, got ${
          showAval({ shape: a.shape, dtype: a.dtype })
        }`,
      );
    }
  });
  return evalClosed(program, args);
}

// ---------------------------------------------------------------------------
// pjit: the call primitive and the program transformations its rules use
// ---------------------------------------------------------------------------

/** Parameters of `pjit`: the program and a name. */
export interface PjitParams {
  /** The name of the staged function (`jit(loss)`). */
  readonly name: string;
  /** The program; its inputs are the call's arguments. */
  readonly jaxpr: ClosedJaxpr;
  /** Code generation or interpretation. */
  readonly backend: "js" | "interpret";
}

const executables = {
  js: new WeakMap<ClosedJaxpr, Executable>(),
  interpret: new WeakMap<ClosedJaxpr, Executable>(),
};

/**
 * The compiled program (cached by program identity, weakly).
 *
 * @param c The program.
 * @param backend Generated code or the interpreter.
 * @returns The executable: constants, then inputs, to outputs.
 */
export function executableOf(c: ClosedJaxpr, backend: "js" | "interpret" = "js"): Executable {
  let exe = executables[backend].get(c);
  if (exe === undefined) {
    exe = compileJaxpr(c.jaxpr, backend);
    executables[backend].set(c, exe);
  }
  return exe;
}

/** Runs a program compiled (its constants, then `args`; internal). */
export function runClosed(
  c: ClosedJaxpr,
  args: readonly NdArray[],
  backend: "js" | "interpret" = "js",
): NdArray[] {
  const exe = executableOf(c, backend);
  return exe.run(c.consts.length === 0 ? args : [...c.consts, ...args]);
}

function runCompiled(p: PjitParams, args: readonly NdArray[]): NdArray[] {
  return runClosed(p.jaxpr, args, p.backend);
}

/**
 * Traces `f` under the current handler into a program whose constants are
 * leading inputs (their values returned), so that tracers of outer
 * transformations it closes over reach the call as arguments (internal:
 * control flow uses it). `weak` gives the weak kinds of inputs (a loop's
 * initial carry given as a JS number).
 */
export function traceOpen(
  f: (xs: NdArray[]) => NdArray[],
  avals: readonly Aval[],
  fname: string,
  weak?: readonly (DType | null)[],
): { jaxpr: ClosedJaxpr; consts: NdArray[] } {
  const t = traceFlat(f, avals, fname, currentHandler(), weak);
  const jx = t.jaxpr;
  return {
    jaxpr: new ClosedJaxpr(new Jaxpr([], [...jx.constvars, ...jx.invars], jx.eqns, jx.outs), []),
    consts: t.closed.consts,
  };
}

/** Whether a staging handler (`jit`, `makeJaxpr`) is active on the handler stack. */
export function stagingActive(): boolean {
  for (let h: Handler | null = currentHandler(); h !== null; h = h.parent) {
    if (h instanceof StagingHandler && !h.retired) return true;
  }
  return false;
}

/** Per-program caches of derived programs (weak in the program). */
function derivedCache<T>(): (c: ClosedJaxpr, key: string, make: () => T) => T {
  const m = new WeakMap<ClosedJaxpr, Map<string, T>>();
  return (c, key, make) => {
    let byKey = m.get(c);
    if (byKey === undefined) {
      byKey = new Map();
      m.set(c, byKey);
    }
    let v = byKey.get(key);
    if (v === undefined) {
      v = make();
      byKey.set(key, v);
    }
    return v;
  };
}

const avalKey = (a: Aval): string => `${a.dtype}[${a.shape}]`;

interface JvpProgram {
  jaxpr: ClosedJaxpr;
  zeroOut: boolean[];
  numOuts: number;
}
const jvpCache = derivedCache<JvpProgram>();

/** The JVP of a program: `(primals, non-zero tangents) ↦ (outputs, non-zero output tangents)`. */
function jvpJaxpr(c: ClosedJaxpr, tangents: readonly Tangent[], name: string): JvpProgram {
  const key = tangents.map((t) => (t instanceof Zero ? "0" : avalKey(t))).join(",");
  return jvpCache(c, key, () => {
    const n = c.invars.length;
    const nzIdx: number[] = [];
    tangents.forEach((t, i) => !(t instanceof Zero) && nzIdx.push(i));
    const avals = [
      ...c.invars.map((v) => v.aval),
      ...nzIdx.map((i) => ({ shape: tangents[i].shape, dtype: tangents[i].dtype })),
    ];
    const zeroOut: boolean[] = [];
    const t = traceFlat(
      (xs) => {
        const h = new JvpHandler("jvp", currentHandler());
        const ins = xs.slice(0, n);
        nzIdx.forEach((i, k) => (ins[i] = h.lift(xs[i], xs[n + k])));
        const outs = runUnder(h, () => evalClosed(c, ins));
        const ps: NdArray[] = [], ts: NdArray[] = [];
        for (const o of outs) {
          const [p, dt] = h.lower(o);
          ps.push(p);
          zeroOut.push(dt instanceof Zero);
          if (!(dt instanceof Zero)) ts.push(dt);
        }
        return [...ps, ...ts];
      },
      avals,
      `jvp(${name})`,
      evalHandler,
    );
    return { jaxpr: t.closed, zeroOut, numOuts: c.outs.length };
  });
}

/** A batched program and where its outputs are batched. */
export interface BatchProgram {
  jaxpr: ClosedJaxpr;
  outDims: BatchDim[];
}
const batchCache = derivedCache<BatchProgram>();

/** The batched program: inputs batched along `dims`, outputs along 0 (`null` if unbatched; internal). */
export function batchJaxpr(
  c: ClosedJaxpr,
  args: readonly NdArray[],
  dims: readonly BatchDim[],
  axisSize: number,
  name: string,
): BatchProgram {
  const key = `${axisSize}|${dims.join(",")}`;
  return batchCache(c, key, () => {
    const outDims: BatchDim[] = [];
    const t = traceFlat(
      (xs) => {
        const h = new VmapHandler(axisSize);
        const ins = xs.map((x, i) => (dims[i] === null ? x : new BatchTracer(h, x, dims[i]!)));
        const outs = runUnder(h, () => evalClosed(c, ins));
        return outs.map((o) => {
          if (o instanceof BatchTracer && o.handler === h) {
            outDims.push(0);
            return moveAxis(o.value, o.batchDim, 0);
          }
          outDims.push(null);
          return o;
        });
      },
      args.map((a) => ({ shape: a.shape, dtype: a.dtype })),
      `vmap(${name})`,
      evalHandler,
    );
    return { jaxpr: t.closed, outDims };
  });
}

const transposeCache = derivedCache<ClosedJaxpr>();

/**
 * The transposed program of one linear in the inputs marked `linear`:
 * `(the other inputs, the output cotangents marked in ctNonZero) ↦
 * cotangents of the linear inputs` (zeros instantiated; internal: control
 * flow uses it).
 */
export function transposeJaxpr(
  c: ClosedJaxpr,
  linear: readonly boolean[],
  ctNonZero: readonly boolean[],
  name: string,
): ClosedJaxpr {
  const key = linear.map((l) => (l ? 1 : 0)).join("") + "|" +
    ctNonZero.map((t) => (t ? 1 : 0)).join("");
  return transposeCache(c, key, () => {
    const knownAvals = c.invars.filter((_, i) => !linear[i]).map((v) => v.aval);
    const ctAvals = c.outs.filter((_, i) => ctNonZero[i]).map((o) => o.aval);
    return traceFlat(
      (xs) => {
        let k = 0;
        const known = linear.map((l) => (l ? null : xs[k++]));
        const outCts = ctNonZero.map((nz) => (nz ? xs[k++] : null));
        const res = backwardPass(c, known, outCts);
        return res.flatMap((r, i) => {
          if (!linear[i]) return [];
          const a = c.invars[i].aval;
          return [r ?? filled(a.shape, 0, a.dtype)];
        });
      },
      [...knownAvals, ...ctAvals],
      `transpose(${name})`,
      evalHandler,
    ).closed;
  });
}

/**
 * Runs a program backwards from output cotangents to the cotangents of its
 * inputs that are unknown (`known[i] === null`), with the primitives'
 * transpose rules (a loop: forward over the known equations, then backward
 * over the linear ones).
 */
function backwardPass(
  c: ClosedJaxpr,
  known: readonly (NdArray | null)[],
  cts: readonly (NdArray | null)[],
): (NdArray | null)[] {
  const jx = c.jaxpr;
  const env = new Map<Var, NdArray>();
  jx.constvars.forEach((v, i) => env.set(v, c.consts[i]));
  const linearVars = new Set<Var>();
  jx.invars.forEach((v, i) => {
    const x = known[i];
    if (x === null) linearVars.add(v);
    else env.set(v, x);
  });
  const isLinear = (a: Atom) => a instanceof Var && linearVars.has(a);
  const read = (a: Atom): NdArray | LinearIn =>
    a instanceof Lit
      ? litArray(a)
      : linearVars.has(a)
      ? new LinearIn(a.aval.shape, a.aval.dtype)
      : env.get(a)!;
  const linearEqns: Eqn[] = [];
  for (const e of jx.eqns) {
    if (e.inputs.some(isLinear)) {
      linearEqns.push(e);
      for (const v of e.outs) linearVars.add(v);
      continue;
    }
    const ins = e.inputs.map((a) => read(a) as NdArray);
    if (e.kind === "primitive") env.set(e.outs[0], bind(e.prim, ins, e.params));
    else if (e.kind === "call") {
      bindCall(e.call, ins, e.params).forEach((o, i) => env.set(e.outs[i], o));
    } else if (e.kind === "custom_call") {
      bindCustom(e.call, ins).forEach((o, i) => env.set(e.outs[i], o));
    }
  }
  const ct = new Map<Var, NdArray>();
  const accumulate = (v: Var, x: NdArray) => {
    const prev = ct.get(v);
    ct.set(v, prev === undefined ? x : add(prev, x));
  };
  jx.outs.forEach((a, i) => {
    const x = cts[i];
    if (x !== null && isLinear(a)) accumulate(a as Var, x);
  });
  for (let n = linearEqns.length - 1; n >= 0; n--) {
    const e = linearEqns[n];
    const args = e.inputs.map(read);
    let res: (Tangent | null)[];
    if (e.kind === "primitive") {
      const g = ct.get(e.outs[0]);
      if (g === undefined) continue;
      ct.delete(e.outs[0]);
      if (e.prim.transpose === undefined) {
        throw new TypeError(`Primitive '${e.primitive}' has no transpose rule`);
      }
      res = e.prim.transpose(g, args, e.params);
    } else if (e.kind === "custom_vjp") {
      // a customVjp step of a linearized program: its backward rule
      if (!e.outs.some((v) => ct.has(v))) continue;
      const outCts = e.outs.map((v) => {
        const g = ct.get(v);
        ct.delete(v);
        return g ?? filled(v.aval.shape, 0, v.aval.dtype);
      });
      const { numResiduals, tangentMask } = e.params;
      const inCts = e.call.bwd(args.slice(0, numResiduals) as NdArray[], outCts);
      if (inCts.length !== tangentMask.length) {
        throw new TypeError(
          `The backward rule of '${e.call.name}' returned ${inCts.length} cotangents for ${tangentMask.length} inputs`,
        );
      }
      res = args.map(() => null);
      let k = numResiduals;
      tangentMask.forEach((present, i) => {
        if (!present) return;
        const a = e.inputs[k].aval, g = inCts[i];
        if (!shapesEqual(g.shape, a.shape)) {
          throw new TypeError(
            `The backward rule of '${e.call.name}' returned a cotangent of shape [${g.shape}] for an input of shape [${a.shape}] (input ${i})`,
          );
        }
        res[k++] = g.dtype === a.dtype ? g : convert(g, a.dtype);
      });
    } else if (e.kind === "call" && e.call.transpose !== undefined) {
      if (!e.outs.some((v) => ct.has(v))) continue;
      const outCts = e.outs.map((v): Tangent => {
        const g = ct.get(v);
        ct.delete(v);
        return g ?? new Zero(v.aval.shape, v.aval.dtype);
      });
      res = e.call.transpose(outCts, args, e.params);
    } else {
      throw new TypeError(
        (e.kind === "call" ? e.call.reverseModeError : undefined) ??
          `A ${e.primitive} equation cannot be transposed`,
      );
    }
    for (let i = 0; i < res.length; i++) {
      const r = res[i];
      if (r === null || r instanceof Zero || !isLinear(e.inputs[i])) continue;
      accumulate(e.inputs[i] as Var, r);
    }
  }
  return jx.invars.map((v, i) => (known[i] === null ? ct.get(v) ?? null : null));
}

function checkArgs(p: PjitParams, args: readonly Aval[]): void {
  const vs = p.jaxpr.invars;
  if (args.length !== vs.length) {
    throw new TypeError(
      `pjit ${p.name}: the program takes ${vs.length} inputs, got ${args.length}`,
    );
  }
  for (let i = 0; i < vs.length; i++) {
    if (args[i].dtype !== vs[i].aval.dtype || !shapesEqual(args[i].shape, vs[i].aval.shape)) {
      throw new TypeError(
        `pjit ${p.name}: input ${i} must be ${showAval(vs[i].aval)}, got ${showAval(args[i])}`,
      );
    }
  }
}

/** `jit`'s call primitive: runs a program as one operation (JAX's `jit` equation, once `pjit`). */
export const pjit: CallPrimitive<PjitParams> = {
  name: "jit", // the equation's name in JAX 0.10 (formerly `pjit`)
  impl(args, p) {
    return runCompiled(p, args);
  },
  abstractEval(args, p) {
    checkArgs(p, args);
    return p.jaxpr.outs.map((o) => o.aval);
  },
  // jvp(call f) = call (jvp f): one program computing outputs and output tangents
  jvp(primals, tangents, p) {
    const d = jvpJaxpr(p.jaxpr, tangents, p.name);
    const nz = tangents.filter((t): t is NdArray => !(t instanceof Zero));
    const outs = bindCall(pjit, [...primals, ...nz], {
      name: `jvp(${p.name})`,
      jaxpr: d.jaxpr,
      backend: p.backend,
    });
    let k = d.numOuts;
    const touts = d.zeroOut.map((z, i): Tangent => {
      if (!z) return outs[k++];
      const a = p.jaxpr.outs[i].aval;
      return new Zero(a.shape, a.dtype);
    });
    return [outs.slice(0, d.numOuts), touts];
  },
  // vmap(call f) = call (vmap f)
  vmap(args, dims, p, axisSize) {
    const b = batchJaxpr(p.jaxpr, args, dims, axisSize, p.name);
    const outs = bindCall(pjit, args, {
      name: `vmap(${p.name})`,
      jaxpr: b.jaxpr,
      backend: p.backend,
    });
    return [outs, b.outDims];
  },
  // reverse mode: the JVP program split; its known part is one call below the recorder, its
  // tangent part one recorded linear call
  linearize(primals, tangents, p, parent, recorder) {
    const nz = tangents.map((t) => !(t instanceof Zero));
    const sp = linearizeJaxpr(p.jaxpr, nz, nz.map(() => false), p.name);
    const saved = swapHandler(parent);
    let kOuts: NdArray[];
    try {
      kOuts = bindCall(pjit, primals, {
        name: `jvp(${p.name})`,
        jaxpr: sp.known,
        backend: p.backend,
      });
    } finally {
      swapHandler(saved);
    }
    const k = sp.knownOut.length;
    const res = sp.resSource.map((s) => (s < 0 ? primals[-1 - s] : kOuts[k + s]));
    const n = primals.length;
    const uOuts = recorder.recordCall(
      pjit,
      [...res, ...sp.unknownIn.map((q) => tangents[q - n] as NdArray)],
      { name: `jvp(${p.name})`, jaxpr: sp.unknown, backend: p.backend },
      sp.unknown.outs.map((o) => o.aval),
    );
    const touts: Tangent[] = kOuts.slice(0, k).map((o) => new Zero(o.shape, o.dtype));
    sp.unknownOut.forEach((pos, j) => (touts[pos - k] = uOuts[j]));
    return [kOuts.slice(0, k), touts];
  },
  // a program linear in its unknown inputs: the known part now, the unknown part recorded
  partialEval(args, unknown, p, parent, recorder) {
    const sp = partialEvalJaxpr(p.jaxpr, unknown, unknown.map(() => false), p.name);
    const saved = swapHandler(parent);
    let kOuts: NdArray[];
    try {
      kOuts = bindCall(pjit, sp.knownIn.map((q) => args[q]), {
        name: p.name,
        jaxpr: sp.known,
        backend: p.backend,
      });
    } finally {
      swapHandler(saved);
    }
    const k = sp.knownOut.length;
    const res = sp.resSource.map((s) => (s < 0 ? args[-1 - s] : kOuts[k + s]));
    const uOuts = recorder.recordCall(
      pjit,
      [...res, ...sp.unknownIn.map((q) => args[q])],
      { name: p.name, jaxpr: sp.unknown, backend: p.backend },
      sp.unknown.outs.map((o) => o.aval),
    );
    const outs = new globalThis.Array<NdArray>(p.jaxpr.outs.length);
    sp.knownOut.forEach((pos, j) => (outs[pos] = kOuts[j]));
    sp.unknownOut.forEach((pos, j) => (outs[pos] = uOuts[j]));
    return outs;
  },
  // transpose(call f) = call (transpose f): one program from cotangents to cotangents
  transpose(cts, args, p) {
    const linear = args.map((a) => a instanceof LinearIn);
    const t = transposeJaxpr(p.jaxpr, linear, cts.map((c) => !(c instanceof Zero)), p.name);
    const known = args.filter((a): a is NdArray => !(a instanceof LinearIn));
    const nzCts = cts.filter((c): c is NdArray => !(c instanceof Zero));
    const outs = bindCall(pjit, [...known, ...nzCts], {
      name: `transpose(${p.name})`,
      jaxpr: t,
      backend: p.backend,
    });
    let k = 0;
    return args.map((a) => (a instanceof LinearIn ? outs[k++] : null));
  },
  inline(args, p) {
    return evalClosed(p.jaxpr, args);
  },
};

// ---------------------------------------------------------------------------
// jit
// ---------------------------------------------------------------------------

/** Most traces kept per jitted function (least recently used dropped first). */
const CACHE_SIZE = 64;

const objectIds = new WeakMap<object, number>();
let nextObjectId = 1;

function staticKey(x: unknown, fname: string): string {
  if (x === null || x === undefined || typeof x === "boolean") return String(x);
  if (typeof x === "number") return Object.is(x, -0) ? "-0" : String(x);
  if (typeof x === "string") return JSON.stringify(x);
  if (typeof x === "bigint") return `${x}n`;
  if (globalThis.Array.isArray(x)) return `[${x.map((v) => staticKey(v, fname)).join(",")}]`;
  if (typeof x === "function" || typeof x === "object") {
    if (typeof x === "object" && Object.getPrototypeOf(x) === Object.prototype) {
      return `{${
        Object.entries(x).map(([k, v]) => `${JSON.stringify(k)}:${staticKey(v, fname)}`).join(",")
      }}`;
    }
    let id = objectIds.get(x as object);
    if (id === undefined) {
      id = nextObjectId++;
      objectIds.set(x as object, id);
    }
    return `#${id}`;
  }
  throw new TypeError(`${fname}: static argument ${describe(x)} cannot be part of a cache key`);
}

/** A jitted function: `f`'s signature, with a trace counter for tests and benchmarks. */
export interface Jitted {
  // deno-lint-ignore no-explicit-any
  (...args: any[]): any;
  /** How many times `f` has been traced (cache misses). */
  readonly traceCount: number;
  /** The program `f` is staged into for these arguments (traced if not cached). */
  lower(...args: unknown[]): ClosedJaxpr;
}

interface Entry {
  closed: ClosedJaxpr;
  params: PjitParams;
}

/**
 * Just-in-time compilation (JAX's `jax.jit`): traces `f` once per signature
 * — the arguments' tree structure, each leaf's shape, dtype and weak type
 * (a JS number is weakly typed, as in eager `np`), and the values of static
 * arguments — compiles the program to JavaScript, and runs it on later calls
 * without running `f`'s JavaScript body. Values equal eager nabla's.
 * Composes with every transformation through the rules of its call
 * primitive `pjit` (see the module doc).
 *
 * Inside `f`, values are staged: reading one (`x.item()`, `tolist()`,
 * `x > 0`) throws a `ConcretizationError`; use `lax.cond`/`lax.whileLoop`,
 * `np.where` or `staticArgnums`. Concrete arrays `f` closes over are baked
 * into the cached program (as in JAX); at most 64 traces are kept per
 * jitted function.
 *
 * @example One trace per signature
 * ```ts
 * import { grad, jit, np, type Array } from "@nabla/ad";
 * import { equal } from "node:assert/strict";
 *
 * const f = jit((x: Array) => np.sum(np.multiply(x, x)));
 * equal(f(np.array([1, 2])).item(), 5);
 * equal(f(np.array([3, 4])).item(), 25);
 * equal(f.traceCount, 1);
 * equal(grad(f)(np.array(3)).item(), 6);
 * ```
 *
 * @param f The function; arguments and outputs may be trees.
 * @param opts Static arguments; the backend.
 * @returns The jitted function.
 */
export function jit(f: AnyFunction, opts?: JitOptions): Jitted {
  if (typeof f !== "function") throw new TypeError(`jit expects a function: got ${describe(f)}`);
  checkOptions("jit", opts, ["staticArgnums", "backend"]);
  const statics = staticSet(opts, "jit");
  const backend = opts?.backend ?? "js";
  if (backend !== "js" && backend !== "interpret") {
    throw new TypeError(`jit: backend must be "js" or "interpret": got ${describe(backend)}`);
  }
  const cache = new Map<string, Entry>();
  let traces = 0;
  const fname = `jit(${f.name || "fn"})`;
  // The last call's signature when every argument is a leaf (a number, a boolean or an array):
  // repeated calls of one signature skip flattening and the key string.
  let last: { sig: unknown[]; entry: Entry } | null = null;
  const lookup = (args: unknown[]): [Entry, NdArray[]] => {
    if (last !== null && statics.size === 0 && args.length * 3 === last.sig.length) {
      const sig = last.sig;
      let same = true;
      for (let i = 0; same && i < args.length; i++) {
        const a = args[i];
        if (typeof a === "number" || typeof a === "boolean") {
          same = sig[3 * i] === "scalar" && sig[3 * i + 1] === scalarDType(a);
        } else if (a instanceof NdArray) {
          same = sig[3 * i] === a.dtype && shapesEqual(sig[3 * i + 1] as Shape, a.shape) &&
            sig[3 * i + 2] === a.weakKind;
        } else same = false;
      }
      if (same) {
        const leaves = new globalThis.Array<NdArray>(args.length);
        for (let i = 0; i < args.length; i++) {
          leaves[i] = leafToArray(args[i], `Arguments of ${fname}`);
        }
        return [last.entry, leaves];
      }
    }
    const split = splitArgs(args, statics, fname);
    let key = split.def.toString() + "|";
    for (let i = 0; i < split.raw.length; i++) {
      const l = split.leaves[i];
      const w = weakOf(split.raw[i]);
      key += `${l.dtype}[${l.shape}]${w === null ? "" : "~" + w};`;
    }
    if (split.statics.length > 0) {
      key += "|" + split.statics.map((s) => staticKey(s, fname)).join(",");
    }
    const remember = (entry: Entry): void => {
      if (statics.size > 0) return;
      const sig: unknown[] = [];
      for (const a of args) {
        if (typeof a === "number" || typeof a === "boolean") {
          sig.push("scalar", scalarDType(a), null);
        } else if (a instanceof NdArray) sig.push(a.dtype, a.shape, a.weakKind);
        else return; // a tree argument: the full key every time
      }
      last = { sig, entry };
    };
    const hit = cache.get(key);
    if (hit !== undefined) {
      cache.delete(key);
      cache.set(key, hit);
      remember(hit);
      return [hit, split.leaves];
    }
    traces++;
    const t = traceUser(f, args, split, fname);
    if (!t.captured) {
      const entry = { closed: t.closed, params: { name: fname, jaxpr: t.closed, backend } };
      cache.set(key, entry);
      if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
      remember(entry);
      return [entry, split.leaves];
    }
    // closed over outer tracers: they become leading arguments of the call (not cached)
    const jx = t.closed.jaxpr;
    const open = new ClosedJaxpr(
      new Jaxpr([], [...jx.constvars, ...jx.invars], jx.eqns, jx.outs),
      [],
      t.closed.outTree,
      t.closed.outWeak,
    );
    return [{ closed: t.closed, params: { name: fname, jaxpr: open, backend } }, [
      ...t.closed.consts,
      ...split.leaves,
    ]];
  };
  const jitted = ((...args: unknown[]) => {
    const [entry, leaves] = lookup(args);
    let direct = currentHandler() === evalHandler;
    for (let i = 0; direct && i < leaves.length; i++) {
      if (leaves[i] instanceof Tracer) direct = false;
    }
    const outs = direct ? runCompiled(entry.params, leaves) : bindCall(pjit, leaves, entry.params);
    const weak = entry.closed.outWeak;
    if (direct && weak !== null) {
      // weakly typed results stay weak, as eager's (values inside transformations are strong)
      for (let i = 0; i < outs.length; i++) if (weak[i] && !outs[i].weakType) markWeak(outs[i]);
    }
    const tree = entry.closed.outTree;
    return tree === null ? outs : unflatten(tree, outs);
  }) as Jitted;
  Object.defineProperty(jitted, "traceCount", { get: () => traces });
  Object.defineProperty(jitted, "name", { value: fname });
  jitted.lower = (...args: unknown[]) => lookup(args)[0].closed;
  return jitted;
}
