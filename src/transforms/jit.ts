/**
 * Staging and `jit`: `makeJaxpr` traces a function into the IR of
 * `core/ir.ts` with a {@linkcode StagingHandler}; `evalJaxpr` replays a
 * program with `bind`, so whichever handler is current (eval, `grad`, `vmap`,
 * another staging handler) interprets each equation with its own rules;
 * `jit` caches one trace per signature (tree structure, each leaf's shape and
 * dtype, static arguments) and runs it with the interpreter.
 *
 * Tracing runs each primitive's `abstractEval`, so shape and dtype errors are
 * thrown at trace time with eager's messages. Values the staging handler does
 * not own (concrete arrays closed over, tracers of outer transformations)
 * become constants of the program (closure conversion); operations on such
 * values only are forwarded (folded) at trace time. A trace that depends on an
 * outer transformation's tracers is not cached.
 *
 * Functions with custom rules (`customJvp`, `customVjp`, `checkpoint`) are
 * staged as `custom_*_call` equations and replayed with `bindCustom`, so
 * their rules apply whichever transformation evaluates the program.
 *
 * @module
 */

import { NdArray } from "../array/array.ts";
import { ConcretizationError } from "../core/errors.ts";
import { scalar as scalarArray } from "../array/create.ts";
import { bind, bindCustom, currentHandler, Handler, Tracer } from "../core/handler.ts";
import { type Atom, ConstCollector, type Eqn, Jaxpr, Lit, printJaxpr, Var } from "../core/ir.ts";
import type { Aval, CustomCall, Primitive } from "../core/primitive.ts";
import { flatten, type TreeDef, unflatten } from "../tree.ts";
import { type AnyFunction, describe, flattenOutput, leafToArray, runUnder } from "./common.ts";

/** A value inside a staged function: a variable of the program being built. */
export class StagedTracer extends Tracer {
  /** The program variable it stands for. */
  readonly v: Var;
  /**
   * Creates a tracer.
   *
   * @param handler The staging handler.
   * @param v Its variable.
   */
  constructor(handler: StagingHandler, v: Var) {
    super(handler, v.aval.shape, v.aval.dtype);
    this.v = v;
  }
  /** Staged values have no value: reading one is a {@linkcode ConcretizationError}. */
  protected primalValue(): NdArray {
    throw new ConcretizationError(
      `${this.handler.name} cannot read the value of a traced array ${this.dtype}[${this.shape}]: ` +
        `values are unknown while tracing. Use lax.cond/lax.switch/lax.whileLoop for ` +
        `value-dependent control flow, or pass the argument through staticArgnums`,
    );
  }
}

/** The staging handler: records every operation on its tracers as an equation. */
export class StagingHandler extends Handler {
  /** The transformation's name, for error messages. */
  readonly name: string;
  /** The equations recorded so far. */
  readonly eqns: Eqn[] = [];
  /** Constants closed over. */
  readonly consts: ConstCollector = new ConstCollector(true);
  /** Set when the trace read a tracer of an outer transformation (such a trace is not cached). */
  capturedTracers = false;

  /**
   * Creates a staging handler.
   *
   * @param name The transformation's name (`"jit"`, `"makeJaxpr"`).
   * @param parent The handler operations on foreign values go to.
   */
  constructor(name = "jit", parent: Handler | null = currentHandler()) {
    super(parent);
    this.name = name;
  }

  /** A fresh input tracer of the given type. */
  newInput(aval: Aval): StagedTracer {
    return new StagedTracer(this, new Var({ shape: [...aval.shape], dtype: aval.dtype }));
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

  /** Records one operation (see the module doc). */
  process<P>(prim: Primitive<P>, args: readonly NdArray[], params: P): NdArray {
    if (!this.hasOwnTracer(args)) {
      for (const a of args) if (a instanceof Tracer) this.capturedTracers = true;
      return this.forward(prim, args, params);
    }
    const aval = prim.abstractEval(args, params);
    const out = new Var({ shape: [...aval.shape], dtype: aval.dtype });
    const inputs = args.map((a) => this.atom(a));
    this.eqns.push({
      kind: "primitive",
      primitive: prim.name,
      prim: prim as Primitive<unknown>,
      inputs,
      params,
      outs: [out],
    });
    return new StagedTracer(this, out);
  }

  /** Stages a function with a custom rule as one equation (its rule kept). */
  override processCustom(call: CustomCall, args: readonly NdArray[]): NdArray[] {
    if (!this.hasOwnTracer(args)) return this.forwardCustom(call, args);
    const body = traceFlat(
      (xs) => call.f(xs),
      args.map((a) => ({ shape: a.shape, dtype: a.dtype })),
      this.name,
      this,
    );
    const outs = body.jaxpr.outs.map((o) =>
      new Var({ shape: [...o.aval.shape], dtype: o.aval.dtype })
    );
    this.eqns.push({
      kind: "custom_call",
      primitive: call.kind === "custom_jvp" ? "custom_jvp_call" : "custom_vjp_call",
      call,
      inputs: args.map((a) => this.atom(a)),
      params: { body: body.jaxpr },
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
  /** Tree structure of the outputs (flat list by default). */
  readonly outTree: TreeDef | null;
  /**
   * Pairs a program with its constants.
   *
   * @param jaxpr The program.
   * @param consts Values of its constant variables.
   * @param outTree Tree structure of the outputs.
   */
  constructor(jaxpr: Jaxpr, consts: NdArray[], outTree: TreeDef | null = null) {
    this.jaxpr = jaxpr;
    this.consts = consts;
    this.outTree = outTree;
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

/** Traces `f` on flat inputs of the given types into a closed program. */
function traceFlat(
  f: (xs: NdArray[]) => NdArray[],
  avals: readonly Aval[],
  name: string,
  parent: Handler,
): ClosedJaxpr & { captured: boolean } {
  const h = new StagingHandler(name, parent);
  const ins = avals.map((a) => h.newInput(a));
  const outs = runUnder(h, () => f(ins));
  const outAtoms = outs.map((o) => h.atom(o));
  const jaxpr = new Jaxpr(h.consts.vars, ins.map((t) => t.v), h.eqns, outAtoms);
  const c = new ClosedJaxpr(jaxpr, h.consts.values) as ClosedJaxpr & { captured: boolean };
  c.captured = h.capturedTracers;
  return c;
}

/** Options of {@linkcode makeJaxpr} and {@linkcode jit}. */
export interface JitOptions {
  /** Positions of arguments passed as themselves (part of the cache key), not traced. */
  staticArgnums?: number | readonly number[];
}

function staticSet(opts: JitOptions | undefined, fname: string): Set<number> {
  const s = opts?.staticArgnums;
  const list = s === undefined ? [] : typeof s === "number" ? [s] : [...s];
  for (const i of list) {
    if (!Number.isInteger(i) || i < 0) {
      throw new RangeError(`${fname}: staticArgnums must be non-negative integers: got ${i}`);
    }
  }
  return new Set(list);
}

interface Split {
  leaves: NdArray[];
  def: TreeDef;
  statics: unknown[];
}

function splitArgs(args: unknown[], statics: Set<number>, fname: string): Split {
  const dyn: unknown[] = [];
  const st: unknown[] = [];
  args.forEach((a, i) => (statics.has(i) ? st.push(a) : dyn.push(a)));
  const [leaves, def] = flatten(dyn);
  return { leaves: leaves.map((l) => leafToArray(l, `Arguments of ${fname}`)), def, statics: st };
}

function rebuild(args: unknown[], statics: Set<number>, dynTree: unknown[]): unknown[] {
  const out: unknown[] = [];
  let k = 0;
  for (let i = 0; i < args.length; i++) out.push(statics.has(i) ? args[i] : dynTree[k++]);
  return out;
}

function traceUser(
  f: AnyFunction,
  args: unknown[],
  statics: Set<number>,
  split: Split,
  name: string,
): ClosedJaxpr & { captured: boolean } {
  let outDef: TreeDef | null = null;
  const c = traceFlat(
    (xs) => {
      const out = f(...rebuild(args, statics, unflatten<unknown[]>(split.def, xs)));
      const [leaves, def] = flattenOutput(out, name);
      outDef = def;
      return leaves;
    },
    split.leaves.map((l) => ({ shape: l.shape, dtype: l.dtype })),
    name,
    currentHandler(),
  );
  const r = new ClosedJaxpr(c.jaxpr, c.consts, outDef) as ClosedJaxpr & { captured: boolean };
  r.captured = c.captured;
  return r;
}

/**
 * Traces `f` into a program (JAX's `make_jaxpr`).
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
  const statics = staticSet(opts, "makeJaxpr");
  return (...args: unknown[]) => {
    const split = splitArgs(args, statics, "makeJaxpr");
    return traceUser(f, args, statics, split, "makeJaxpr");
  };
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
  const { jaxpr, consts } = program;
  if (args.length !== jaxpr.invars.length) {
    throw new TypeError(
      `evalJaxpr: the program takes ${jaxpr.invars.length} inputs, got ${args.length}`,
    );
  }
  const env = new Map<Var, NdArray>();
  jaxpr.constvars.forEach((v, i) => env.set(v, consts[i]));
  jaxpr.invars.forEach((v, i) => {
    const a = args[i];
    if (!(a instanceof NdArray)) {
      throw new TypeError(`evalJaxpr: input ${i} must be an array, got ${describe(a)}`);
    }
    if (
      a.dtype !== v.aval.dtype || a.shape.length !== v.aval.shape.length ||
      a.shape.some((d, k) => d !== v.aval.shape[k])
    ) {
      throw new TypeError(
        `evalJaxpr: input ${i} must be ${v.aval.dtype}[${v.aval.shape}], got ${a.dtype}[${a.shape}]`,
      );
    }
    env.set(v, a);
  });
  const lits = new Map<Lit, NdArray>();
  const read = (a: Atom): NdArray => {
    if (a instanceof Lit) {
      let x = lits.get(a);
      if (x === undefined) {
        x = scalarArray(a.value, a.aval.dtype);
        lits.set(a, x);
      }
      return x;
    }
    return env.get(a)!;
  };
  const eqns = jaxpr.eqns;
  for (let k = 0; k < eqns.length; k++) {
    const e = eqns[k];
    const ins = e.inputs.map(read);
    if (e.kind === "primitive") env.set(e.outs[0], bind(e.prim, ins, e.params));
    else if (e.kind === "custom_call") {
      const outs = bindCustom(e.call, ins);
      e.outs.forEach((v, i) => env.set(v, outs[i]));
    } else {
      throw new TypeError(
        `evalJaxpr: a linear custom_vjp_call equation cannot be evaluated forward`,
      );
    }
  }
  return jaxpr.outs.map(read);
}

/** Most traces kept per jitted function (least recently used dropped first). */
const CACHE_SIZE = 64;

const objectIds = new WeakMap<object, number>();
let nextObjectId = 1;

function staticKey(x: unknown, fname: string): string {
  if (x === null || x === undefined || typeof x === "number" || typeof x === "boolean") {
    return String(x);
  }
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

/**
 * Just-in-time staging (JAX's `jax.jit`): traces `f` once per signature —
 * the arguments' tree structure, each leaf's shape and dtype, and the values
 * of static arguments — and replays the program on later calls without
 * running `f`'s JavaScript body. Composes with every transformation: under
 * `grad`, `vmap`, `jvp` or another `jit`, the cached program is replayed with
 * that transformation's rules (custom rules included).
 *
 * Inside `f`, values are staged: reading one (`x.item()`, a JS `if` on a
 * value) throws a `ConcretizationError`; use `lax.cond`/`lax.whileLoop` or
 * `staticArgnums`.
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
 * @param opts Static arguments.
 * @returns The jitted function.
 */
export function jit(f: AnyFunction, opts?: JitOptions): Jitted {
  const statics = staticSet(opts, "jit");
  const cache = new Map<string, ClosedJaxpr>();
  let traces = 0;
  const name = `jit(${f.name || "fn"})`;
  const lookup = (args: unknown[]): [ClosedJaxpr, Split] => {
    const split = splitArgs(args, statics, name);
    let key = split.def.toString() + "|";
    for (const l of split.leaves) key += `${l.dtype}[${l.shape}];`;
    key += "|" + split.statics.map((s) => staticKey(s, name)).join(",");
    const hit = cache.get(key);
    if (hit !== undefined) {
      cache.delete(key);
      cache.set(key, hit);
      return [hit, split];
    }
    traces++;
    const c = traceUser(f, args, statics, split, name);
    if (!c.captured) {
      cache.set(key, c);
      if (cache.size > CACHE_SIZE) cache.delete(cache.keys().next().value!);
    }
    return [c, split];
  };
  const jitted = ((...args: unknown[]) => {
    const [c, split] = lookup(args);
    const outs = evalJaxpr(c, split.leaves);
    return c.outTree === null ? outs : unflatten(c.outTree, outs);
  }) as Jitted;
  Object.defineProperty(jitted, "traceCount", { get: () => traces });
  jitted.lower = (...args: unknown[]) => lookup(args)[0];
  return jitted;
}
