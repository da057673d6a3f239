/**
 * Reverse mode as linearize + transpose:
 *
 * - `linearize : (a → b) → a → (b, T a ⊸ T b)`
 * - `vjp : (a → b) → a → (b, T b ⊸ T a)`
 * - `grad : (a → ℝ) → a → T a`
 *
 * `linearize` runs a {@linkcode JvpHandler} whose parent is a
 * {@linkcode Recorder}: tangents are recorder variables, so every operation
 * on a tangent is recorded as an equation of a small linear program, while
 * operations on primals pass through to the outer handlers and are computed
 * now (define-by-run: `x.item()` works). `vjp` runs that program backwards
 * with the primitives' `transpose` rules. The program is data: a pullback can
 * be called many times, later, and under other transformations.
 *
 * Reads the `jvp`, `abstractEval` and `transpose` rules.
 *
 * @module
 */

import type { NdArray } from "../array/array.ts";
import { isFloat } from "../array/dtype.ts";
import { shapesEqual, showShape } from "../array/shape.ts";
import { Handler, Tracer } from "../core/handler.ts";
import { ConcretizationError } from "../core/errors.ts";
import {
  type Aval,
  type CustomVjpCall,
  LinearIn,
  type Primitive,
  type Tangent,
  Zero,
} from "../core/primitive.ts";
import { filled } from "../primitives/_util.ts";
import { add, convert } from "../primitives/elementwise.ts";
import { bind } from "../core/handler.ts";
import { flatten, unflatten } from "../tree.ts";
import { type AnyFunction, diffArgs, flattenOutput, leafToArray, runUnder } from "./_common.ts";
import { type CustomVjpRecorder, JvpHandler, lowerAux, splitAux } from "./jvp.ts";

/** A variable of a recorded linear program: stands for a tangent value. */
export class LinearVar extends Tracer {
  /** Sequence number, for printing. */
  readonly id: number;
  /**
   * Creates one; see the class doc.
   *
   * @param handler The recorder.
   * @param aval Shape and dtype.
   * @param id Sequence number.
   */
  constructor(handler: Recorder, aval: Aval, id: number) {
    super(handler, aval.shape, aval.dtype);
    this.id = id;
  }
  /** The value one level down, for `item()` and printing. */
  protected primalValue(): NdArray {
    throw new ConcretizationError(
      `Cannot read the value of a tangent inside ${this.handler.name}: tangents are linear-program variables, not concrete values`,
    );
  }
}

/** One step of a linear program: a primitive, or a custom VJP. */
export type Equation = PrimitiveEquation | CustomEquation;

/** `out = prim(inputs; params)`. */
export interface PrimitiveEquation {
  /** Discriminates equations. */
  readonly kind: "primitive";
  /** The primitive. */
  readonly prim: Primitive<unknown>;
  /** Its inputs: program variables or constants. */
  readonly inputs: readonly NdArray[];
  /** Its parameters. */
  readonly params: unknown;
  /** The variable it defines. */
  readonly out: LinearVar;
}

/** `outs = call(inputs)`, a function with a custom VJP: its transpose is `call.bwd(residuals, ·)`. */
export interface CustomEquation {
  /** Discriminates equations. */
  readonly kind: "custom";
  /** The custom function. */
  readonly call: CustomVjpCall;
  /** Its saved residuals. */
  readonly residuals: readonly NdArray[];
  /** Input tangents: program variables, or `null` where zero. */
  readonly inputs: readonly (LinearVar | null)[];
  /** The avals of the inputs (for zero cotangents). */
  readonly inputAvals: readonly Aval[];
  /** The variables it defines. */
  readonly outs: readonly LinearVar[];
}

/** The handler that records operations on its variables as a linear program. */
export class Recorder extends Handler implements CustomVjpRecorder {
  /** The transformation's name, for error messages. */
  readonly name: string;
  /** The equations, in execution order. */
  readonly eqns: Equation[] = [];
  private nextId = 0;
  /**
   * Creates one; see the class doc.
   *
   * @param name The transformation's name for error messages.
   */
  constructor(name: string) {
    super();
    this.name = name;
  }

  /** A fresh input variable. */
  newVar(aval: Aval): LinearVar {
    return new LinearVar(this, aval, this.nextId++);
  }

  /** Interprets one operation (see the module doc). */
  process<P>(prim: Primitive<P>, args: readonly NdArray[], params: P): NdArray {
    if (!this.hasOwnTracer(args)) return this.forward(prim, args, params);
    if (prim.transpose === undefined) {
      throw new TypeError(
        `Primitive '${prim.name}' was applied to a tangent in ${this.name}, but it has no transpose rule: a JVP rule must use only linear primitives on tangents`,
      );
    }
    const out = this.newVar(prim.abstractEval(args, params));
    this.eqns.push({
      kind: "primitive",
      prim: prim as Primitive<unknown>,
      inputs: args.slice(),
      params,
      out,
    });
    return out;
  }

  recordCustomVjp(
    call: CustomVjpCall,
    residuals: readonly NdArray[],
    inputs: readonly Tangent[],
    outs: readonly Aval[],
  ): Tangent[] {
    const vars = outs.map((o) => this.newVar(o));
    this.eqns.push({
      kind: "custom",
      call,
      residuals,
      inputs: inputs.map((t) => (t instanceof LinearVar && t.handler === this ? t : null)),
      inputAvals: inputs.map((t) => ({ shape: t.shape, dtype: t.dtype })),
      outs: vars,
    });
    return vars;
  }
}

/**
 * A recorded linear function from input tangents to output tangents, with
 * its constants. Printable, for inspection.
 */
export class LinearProgram {
  /**
   * Wraps a recording as a program.
   *
   * @param recorder The recorder that holds the equations.
   * @param inputs Input variables (`null` for inputs with no tangent, such as ints).
   * @param outputs Output tangents: variables, symbolic zeros or constants.
   */
  constructor(
    readonly recorder: Recorder,
    readonly inputs: readonly (LinearVar | null)[],
    readonly outputs: readonly Tangent[],
  ) {}

  /** Whether `x` is a variable of this program. */
  private own(x: unknown): x is LinearVar {
    return x instanceof LinearVar && x.handler === this.recorder;
  }

  /** Evaluates the program forward on input tangents (JVP of `linearize`). */
  evaluate(tangents: readonly NdArray[]): NdArray[] {
    const env = new Map<LinearVar, NdArray>();
    this.inputs.forEach((v, i) => v && env.set(v, tangents[i]));
    const read = (
      x: NdArray,
    ): NdArray => (this.own(x) ? env.get(x) ?? filled(x.shape, 0, x.dtype) : x);
    for (const e of this.recorder.eqns) {
      if (e.kind === "custom") {
        throw new TypeError(
          `Cannot evaluate the linearized function forward through '${e.call.name}', a customVjp function: it has only a reverse-mode rule`,
        );
      }
      env.set(e.out, bind(e.prim, e.inputs.map(read), e.params));
    }
    return this.outputs.map((t) => (t instanceof Zero ? filled(t.shape, 0, t.dtype) : read(t)));
  }

  /** Runs the program backwards: cotangents of outputs to cotangents of inputs (null if zero). */
  transpose(cotangents: readonly NdArray[]): (NdArray | null)[] {
    const cts = new Map<LinearVar, NdArray>();
    const accumulate = (v: LinearVar, ct: NdArray) => {
      const prev = cts.get(v);
      cts.set(v, prev === undefined ? ct : add(prev, ct));
    };
    this.outputs.forEach((t, i) => {
      if (this.own(t)) accumulate(t, cotangents[i]);
    });
    const eqns = this.recorder.eqns;
    for (let k = eqns.length - 1; k >= 0; k--) {
      const e = eqns[k];
      if (e.kind === "custom") {
        this.transposeCustom(e, cts, accumulate);
        continue;
      }
      const ct = cts.get(e.out);
      if (ct === undefined) continue;
      cts.delete(e.out);
      const args = e.inputs.map((a) => (this.own(a) ? new LinearIn(a.shape, a.dtype) : a));
      const res = e.prim.transpose!(ct, args, e.params);
      for (let i = 0; i < res.length; i++) {
        const r = res[i];
        const a = e.inputs[i];
        if (r === null || r instanceof Zero || !this.own(a)) continue;
        accumulate(a, r);
      }
    }
    return this.inputs.map((v) => (v === null ? null : cts.get(v) ?? null));
  }

  /** Transposes one custom-VJP step: its backward rule maps output cotangents to input cotangents. */
  private transposeCustom(
    e: CustomEquation,
    cts: Map<LinearVar, NdArray>,
    accumulate: (v: LinearVar, ct: NdArray) => void,
  ): void {
    if (!e.outs.some((v) => cts.has(v))) return;
    const outCts = e.outs.map((v) => {
      const ct = cts.get(v);
      cts.delete(v);
      return ct ?? filled(v.shape, 0, v.dtype);
    });
    const inCts = e.call.bwd(e.residuals, outCts);
    if (inCts.length !== e.inputs.length) {
      throw new TypeError(
        `The backward rule of '${e.call.name}' returned ${inCts.length} cotangents for ${e.inputs.length} inputs`,
      );
    }
    e.inputs.forEach((v, i) => {
      if (v === null) return;
      const ct = inCts[i];
      if (!shapesEqual(ct.shape, v.shape)) {
        throw new TypeError(
          `The backward rule of '${e.call.name}' returned a cotangent of shape ${
            showShape(ct.shape)
          } for an input of shape ${showShape(v.shape)} (input ${i})`,
        );
      }
      accumulate(v, ct.dtype === v.dtype ? ct : convert(ct, v.dtype));
    });
  }

  /** A listing such as `{ lambda a:float64[3] ; b = mul a 2 ; in b }`. */
  toString(): string {
    const name = (x: NdArray): string =>
      this.own(x)
        ? `v${x.id}`
        : x instanceof Tracer
        ? "<tracer>"
        : x.size === 1
        ? String(x.data[0])
        : `const:${x.dtype}[${x.shape}]`;
    const lines = this.recorder.eqns.map((e) => {
      if (e.kind === "custom") {
        const outs = e.outs.map((v) => `v${v.id}`).join(" ");
        return `  ${outs} = custom_vjp[${e.call.name}] ${
          e.inputs.map((v) => (v ? `v${v.id}` : "0")).join(" ")
        }`;
      }
      const p = e.params === undefined ? "" : `[${JSON.stringify(e.params)}]`;
      return `  v${e.out.id}:${e.out.dtype}[${e.out.shape}] = ${e.prim.name}${p} ${
        e.inputs.map(name).join(" ")
      }`;
    });
    const ins = this.inputs.map((v) => (v ? `v${v.id}:${v.dtype}[${v.shape}]` : "_")).join(" ");
    const outs = this.outputs.map((t) => (t instanceof Zero ? "0" : name(t))).join(" ");
    return `{ lambda ${ins} .\n${lines.join("\n")}\n  in ${outs} }`;
  }
}

interface Linearized {
  outLeaves: NdArray[];
  outDef: ReturnType<typeof flatten>[1];
  program: LinearProgram;
  aux: unknown;
}

/** Traces `f` at `primals` (a list of argument trees) into outputs and a linear program. */
function linearizeFlat(
  name: string,
  f: AnyFunction,
  primals: readonly unknown[],
  hasAux: boolean | undefined,
): Linearized & { inDef: ReturnType<typeof flatten>[1]; inLeaves: NdArray[] } {
  const [pLeaves, inDef] = flatten(primals);
  const rec = new Recorder(name);
  const h = new JvpHandler(name, rec);
  h.recorder = rec;
  const inLeaves = pLeaves.map((p) => leafToArray(p, `${name} inputs`));
  const vars = inLeaves.map((x) => (isFloat(x.dtype) ? rec.newVar(x) : null));
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

/** Options of {@linkcode vjp}. */
export interface VjpOptions {
  /** `f` returns `[output, aux]`; `aux` is returned third, undifferentiated. */
  hasAux?: boolean;
}

/** A pullback: maps an output cotangent (a tree like the output) to one cotangent per primal. */
// deno-lint-ignore no-explicit-any
export type Pullback = (cotangent: any) => any[];

/**
 * Reverse-mode derivative: evaluates `f(...primals)` and returns a pullback
 * mapping an output cotangent to the cotangents of the inputs.
 *
 * @example Pullback of a product
 * ```ts
 * import { np, vjp } from "@nabla/ad";
 * import { deepEqual, equal } from "node:assert/strict";
 *
 * const [y, pullback] = vjp((a, b) => np.multiply(a, b), [2, 3]);
 * equal(y.item(), 6);
 * const [da, db] = pullback(1);
 * deepEqual([da.item(), db.item()], [3, 2]);
 * ```
 *
 * @param f The function; arguments and output may be trees.
 * @param primals The point: one tree per argument of `f`.
 * @param options `hasAux`.
 * @returns `[output, pullback]`, or `[output, pullback, aux]` with `hasAux`.
 */
export function vjp(
  f: AnyFunction,
  primals: readonly unknown[],
  options: VjpOptions = {},
  // deno-lint-ignore no-explicit-any
): [any, Pullback, ...any[]] {
  if (!globalThis.Array.isArray(primals)) {
    throw new TypeError("vjp: primals must be an array with one entry per argument of f");
  }
  const lin = linearizeFlat("vjp", f, primals, options.hasAux);
  const pullback: Pullback = (cotangent) => {
    const [ctLeaves, ctDef] = flatten(cotangent);
    if (!ctDef.equals(lin.outDef)) {
      throw new TypeError(
        `vjp: the cotangent must have the structure of the output ${lin.outDef}: got ${ctDef}`,
      );
    }
    const cts = ctLeaves.map((c, i) => {
      const y = lin.outLeaves[i];
      let ct = leafToArray(c, "Cotangents");
      if (!shapesEqual(ct.shape, y.shape)) {
        throw new TypeError(
          `vjp: cotangent shape ${showShape(ct.shape)} does not match output shape ${
            showShape(y.shape)
          } (leaf ${i})`,
        );
      }
      if (ct.dtype !== y.dtype && isFloat(y.dtype)) ct = convert(ct, y.dtype);
      return ct;
    });
    const res = lin.program.transpose(cts);
    const grads = res.map((g, i) =>
      g ?? filled(lin.inLeaves[i].shape, 0, zeroDType(lin.inLeaves[i]))
    );
    return unflatten<unknown[]>(lin.inDef, grads);
  };
  const result: [unknown, Pullback, ...unknown[]] = [
    unflatten(lin.outDef, lin.outLeaves),
    pullback,
  ];
  if (options.hasAux) result.push(lin.aux);
  return result;
}

function zeroDType(x: NdArray) {
  return isFloat(x.dtype) ? x.dtype : "float64";
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
      throw new TypeError(
        `linearize: tangents must have the structure of the primals ${lin.inDef}: got ${tDef}`,
      );
    }
    const ts = tLeaves.map((t, i) => {
      const x = lin.inLeaves[i];
      const a = leafToArray(t, "Tangents");
      if (!shapesEqual(a.shape, x.shape)) {
        throw new TypeError(
          `linearize: tangent shape ${showShape(a.shape)} does not match primal shape ${
            showShape(x.shape)
          }`,
        );
      }
      return isFloat(x.dtype) && a.dtype !== x.dtype ? convert(a, x.dtype) : a;
    });
    return unflatten(lin.outDef, lin.program.evaluate(ts));
  };
  return [unflatten(lin.outDef, lin.outLeaves), jvpFn];
}

/** Options of {@linkcode grad} and {@linkcode valueAndGrad}. */
export interface GradOptions {
  /** Which positional argument(s) to differentiate with respect to (default 0). */
  argnums?: number | readonly number[];
  /** `f` returns `[output, aux]`; aux is passed through undifferentiated. */
  hasAux?: boolean;
}

function gradImpl(
  name: string,
  f: AnyFunction,
  options: GradOptions,
  args: unknown[],
): [NdArray, unknown, unknown] {
  const { selected, partial } = diffArgs(name, f, options.argnums ?? 0, args);
  const lin = linearizeFlat(name, partial, selected, options.hasAux);
  if (lin.outLeaves.length !== 1 || lin.outLeaves[0].ndim !== 0) {
    const shapes = lin.outLeaves.map((y) => showShape(y.shape)).join(", ");
    throw new TypeError(
      `${name} requires a function with a scalar output: got ${
        lin.outLeaves.length === 1
          ? `shape ${shapes}`
          : `${lin.outLeaves.length} outputs (${shapes})`
      }; use vjp or jacrev for non-scalar outputs`,
    );
  }
  const y = lin.outLeaves[0];
  if (!isFloat(y.dtype)) {
    throw new TypeError(`${name} requires a float output: got dtype ${y.dtype}`);
  }
  const res = lin.program.transpose([filled([], 1, y.dtype)]);
  const grads = res.map((g, i) => g ?? filled(lin.inLeaves[i].shape, 0, lin.inLeaves[i].dtype));
  const tree = unflatten<unknown[]>(lin.inDef, grads);
  const g = typeof options.argnums === "object" ? tree : tree[0];
  return [y, g, lin.aux];
}

/**
 * The gradient of a scalar-valued function, as a function.
 *
 * @example The seed
 * ```ts
 * import { type Array, grad, np } from "@nabla/ad";
 * import { equal } from "node:assert/strict";
 *
 * equal(grad(np.square)(0.5).item(), 1);
 * const f = (x: Array) => np.add(np.square(x), np.log(x));
 * equal(grad(f)(0.1).item(), 10.2);
 * ```
 *
 * @param f A function returning a scalar (0-d array or number).
 * @param options `argnums` (a number, or an array: then a tuple of gradients) and `hasAux`.
 * @returns A function with `f`'s arguments returning the gradient (with the
 *   structure of the differentiated argument), or `[gradient, aux]` with `hasAux`.
 */
export function grad(
  f: AnyFunction,
  options: GradOptions = {},
): AnyFunction {
  return (...args: unknown[]) => {
    const [, g, aux] = gradImpl("grad", f, options, args);
    return options.hasAux ? [g, aux] : g;
  };
}

/**
 * Like {@linkcode grad}, but also returns the value: `[value, gradient]`, or
 * `[[value, aux], gradient]` with `hasAux`.
 *
 * @example Value and gradient together
 * ```ts
 * import { np, valueAndGrad } from "@nabla/ad";
 * import { equal } from "node:assert/strict";
 *
 * const [y, g] = valueAndGrad(np.square)(3);
 * equal(y.item(), 9);
 * equal(g.item(), 6);
 * ```
 *
 * @param f A function returning a scalar.
 * @param options `argnums` and `hasAux`.
 * @returns A function returning `[value, gradient]`.
 */
export function valueAndGrad(
  f: AnyFunction,
  options: GradOptions = {},
  // deno-lint-ignore no-explicit-any
): (...args: any[]) => [any, any] {
  return (...args: unknown[]) => {
    const [y, g, aux] = gradImpl("valueAndGrad", f, options, args);
    return [options.hasAux ? [y, aux] : y, g];
  };
}
