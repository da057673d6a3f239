/**
 * The IR: typed programs in A-normal form, JAX's jaxprs. One IR serves
 * everything that records a computation — the linear program of reverse mode
 * today, `jit`'s staged programs and `makeJaxpr` next.
 *
 * A {@linkcode Jaxpr} has constant variables (values closed over: concrete
 * arrays, or tracers of outer transformations), input variables, a list of
 * equations and output atoms. An equation applies a primitive to atoms
 * (variables or 0-d literals) with parameters and defines fresh variables.
 * Variables are compared by identity; names are given only when printing.
 *
 * Every pass over a program (printing, checking, evaluation) is a loop over
 * its equations, never a recursion proportional to its length.
 *
 * @module
 */

import type { NdArray } from "../array/array.ts";
import type { DType } from "../array/dtype.ts";
import { shapesEqual, showShape } from "../array/shape.ts";
import type { Aval, CallPrimitive, CustomCall, CustomVjpCall, Primitive } from "./primitive.ts";

const scalarAvals = new Map<DType, Aval>();

/**
 * The aval of a 0-d value of `dtype`, one shared object per dtype (avals are
 * immutable): a long program of scalars allocates no aval per value.
 *
 * @param dtype The dtype.
 * @returns `{ shape: [], dtype }`.
 */
export function scalarAval(dtype: DType): Aval {
  let a = scalarAvals.get(dtype);
  if (a === undefined) {
    a = { shape: Object.freeze([]) as readonly number[], dtype };
    scalarAvals.set(dtype, a);
  }
  return a;
}

/**
 * An aval that owns its shape: the shared one for a 0-d value, else the
 * shape itself if it is frozen (as every array's is), or a frozen copy.
 *
 * @param shape The shape.
 * @param dtype The dtype.
 * @returns The aval.
 */
export function avalOf(shape: readonly number[], dtype: DType): Aval {
  if (shape.length === 0) return scalarAval(dtype);
  return { shape: Object.isFrozen(shape) ? shape : Object.freeze([...shape]), dtype };
}

/** A program variable: stands for one array of a known shape and dtype. */
export class Var {
  /** Shape and dtype of the value it stands for. */
  readonly aval: Aval;
  /**
   * Scratch index for compiler passes: a pass numbers the variables of the
   * program it reads (`compile/passes.ts`' `numberVars`) and indexes arrays by
   * it. Meaningful only during that pass; not part of the variable's identity.
   */
  n = -1;
  /**
   * Creates a variable.
   *
   * @param aval Shape and dtype.
   */
  constructor(aval: Aval) {
    this.aval = aval;
  }
}

/** A 0-d constant written into a program. */
export class Lit {
  /** The value. */
  readonly value: number;
  /** Its (0-d) shape and dtype. */
  readonly aval: Aval;
  /**
   * Creates a literal.
   *
   * @param value The value.
   * @param dtype Its dtype.
   */
  constructor(value: number, dtype: DType) {
    this.value = value;
    this.aval = scalarAval(dtype);
  }
}

/** An equation input: a variable or a literal. */
export type Atom = Var | Lit;

/** `out = prim(inputs; params)`. */
export interface PrimitiveEqn {
  /** Discriminates equations. */
  readonly kind: "primitive";
  /** The primitive's snake_case name (`"sin"`, `"reduce_sum"`). */
  readonly primitive: string;
  /** The primitive. */
  readonly prim: Primitive<unknown>;
  /** Its inputs. */
  readonly inputs: readonly Atom[];
  /** Its parameters. */
  readonly params: unknown;
  /** The variables it defines (one). */
  readonly outs: readonly Var[];
}

/**
 * `outs = call(tangents)` for a function with a custom VJP inside a linear
 * program: its transpose is `call.bwd(residuals, ·)`. The inputs are the
 * residuals followed by the tangents that are not symbolically zero.
 */
export interface CustomVjpEqn {
  /** Discriminates equations. */
  readonly kind: "custom_vjp";
  /** Always `"custom_vjp_call"`. */
  readonly primitive: "custom_vjp_call";
  /** The custom function. */
  readonly call: CustomVjpCall;
  /** Residuals, then the non-zero input tangents. */
  readonly inputs: readonly Atom[];
  /** How many leading inputs are residuals; which tangents are present; all tangent avals. */
  readonly params: {
    readonly numResiduals: number;
    readonly tangentMask: readonly boolean[];
    readonly tangentAvals: readonly Aval[];
  };
  /** The variables it defines. */
  readonly outs: readonly Var[];
}

/**
 * `outs = custom_call(inputs)` in a staged program: a function with a custom
 * JVP or VJP rule, replayed with `bindCustom` so whichever handler evaluates
 * the program applies the rule. `body` is the function traced once, with
 * the values it closes over as leading inputs (closure conversion), and the
 * call's function runs it, never the user's JavaScript.
 */
export interface CustomCallEqn {
  /** Discriminates equations. */
  readonly kind: "custom_call";
  /** `"custom_jvp_call"` or `"custom_vjp_call"`. */
  readonly primitive: "custom_jvp_call" | "custom_vjp_call";
  /** The function with its rule. */
  readonly call: CustomCall;
  /** Its inputs. */
  readonly inputs: readonly Atom[];
  /** The traced body, on the values it closes over (the first `numConsts` inputs) and the arguments. */
  readonly params: { readonly body: Jaxpr; readonly numConsts: number };
  /** The variables it defines. */
  readonly outs: readonly Var[];
}

/**
 * `outs = call[params](inputs)` for a higher-order call primitive (`pjit`):
 * its parameters hold a program, printed nested.
 */
export interface CallEqn {
  /** Discriminates equations. */
  readonly kind: "call";
  /** The call primitive's snake_case name (`"jit"`). */
  readonly primitive: string;
  /** The call primitive. */
  readonly call: CallPrimitive<unknown>;
  /** Its inputs. */
  readonly inputs: readonly Atom[];
  /** Its parameters; values that are programs (`{ jaxpr }`) print nested. */
  readonly params: unknown;
  /** The variables it defines. */
  readonly outs: readonly Var[];
}

/** One step of a program. */
export type Eqn = PrimitiveEqn | CustomVjpEqn | CustomCallEqn | CallEqn;

/** Anything holding a program that printing shows nested: a `Jaxpr` or an object with a `jaxpr` field. */
function subJaxpr(v: unknown): Jaxpr | null {
  if (v instanceof Jaxpr) return v;
  if (typeof v === "object" && v !== null && (v as { jaxpr?: unknown }).jaxpr instanceof Jaxpr) {
    return (v as { jaxpr: Jaxpr }).jaxpr;
  }
  return null;
}

/**
 * A typed program. Printed in the style of `jax.make_jaxpr`:
 * `{ lambda a:f64[3]; b:f64[3]. let c:f64[3] = mul b a in (c,) }`.
 */
export class Jaxpr {
  /** Variables bound to values closed over. */
  readonly constvars: Var[];
  /** Input variables. */
  readonly invars: Var[];
  /** The equations, in execution order. */
  readonly eqns: Eqn[];
  /** The outputs. */
  readonly outs: Atom[];
  /**
   * Creates a program.
   *
   * @param constvars Variables bound to values closed over.
   * @param invars Input variables.
   * @param eqns The equations, in execution order.
   * @param outs The outputs.
   */
  constructor(constvars: Var[], invars: Var[], eqns: Eqn[], outs: Atom[]) {
    this.constvars = constvars;
    this.invars = invars;
    this.eqns = eqns;
    this.outs = outs;
  }

  /** The listing, as `jax.make_jaxpr` prints it. */
  toString(): string {
    return printJaxpr(this);
  }
}

const SHORT: Record<string, string> = {
  float64: "f64",
  float32: "f32",
  float16: "f16",
  bfloat16: "bf16",
  int32: "i32",
  int16: "i16",
  int8: "i8",
  uint32: "u32",
  uint16: "u16",
  uint8: "u8",
  complex64: "c64",
  complex128: "c128",
  bool: "bool",
};

/** `f64[2,3]`: an aval as jaxprs print it. */
export function showAval(aval: Aval): string {
  return `${SHORT[aval.dtype] ?? aval.dtype}[${aval.shape.join(",")}]`;
}

/** Variable names in the order JAX gives them: a … z, ba … bz, ca … */
function varName(n: number): string {
  let s = "";
  let k = n;
  do {
    s = String.fromCharCode(97 + (k % 26)) + s;
    k = Math.floor(k / 26);
  } while (k > 0);
  return s;
}

function showLit(l: Lit): string {
  const v = l.aval.dtype === "bool"
    ? (l.value ? "True" : "False")
    : l.aval.dtype.startsWith("float") && Number.isInteger(l.value)
    ? l.value.toFixed(1)
    : String(l.value);
  return `${v}:${showAval(l.aval)}`;
}

function showParam(v: unknown, indent: string): string {
  const sub = subJaxpr(v);
  if (sub !== null) return printJaxprAt(sub, indent + "  ");
  if (globalThis.Array.isArray(v)) {
    const items = v.map((x) => showParam(x, indent));
    return items.length === 1 ? `(${items[0]},)` : `(${items.join(", ")})`;
  }
  if (v === null || v === undefined) return "None";
  if (typeof v === "boolean") return v ? "True" : "False";
  if (typeof v === "function") return v.name || "fn";
  if (typeof v === "object") {
    return `{${Object.entries(v).map(([k, x]) => `${k}=${showParam(x, indent)}`).join(", ")}}`;
  }
  return String(v);
}

function showParams(params: unknown, indent: string): string {
  if (params === undefined || params === null || typeof params !== "object") return "";
  const entries = Object.entries(params);
  if (entries.length === 0) return "";
  return `[${entries.map(([k, v]) => `${k}=${showParam(v, indent)}`).join(" ")}]`;
}

/**
 * Prints a program (a loop over its equations; programs held in parameters
 * print nested, so recursion goes only as deep as the nesting).
 */
export function printJaxpr(jaxpr: Jaxpr): string {
  return printJaxprAt(jaxpr, "");
}

function printJaxprAt(jaxpr: Jaxpr, indent: string): string {
  const names = new Map<Var, string>();
  const name = (v: Var): string => {
    let s = names.get(v);
    if (s === undefined) {
      s = varName(names.size);
      names.set(v, s);
    }
    return s;
  };
  const atom = (a: Atom): string => (a instanceof Lit ? showLit(a) : name(a));
  const decl = (v: Var): string => `${name(v)}:${showAval(v.aval)}`;
  const consts = jaxpr.constvars.map(decl).join(" ");
  const ins = jaxpr.invars.map(decl).join(" ");
  const lines: string[] = [];
  const eqns = jaxpr.eqns;
  for (let k = 0; k < eqns.length; k++) {
    const e = eqns[k];
    const outs = e.outs.map(decl).join(" ");
    const p = e.kind === "primitive" || e.kind === "call"
      ? showParams(e.params, indent + "    ")
      : e.kind === "custom_call"
      ? showParams({
        name: e.call.name,
        call_jaxpr: e.params.body,
        num_consts: e.params.numConsts,
      }, indent + "    ")
      : `[name=${e.call.name}]`;
    lines.push(`${indent}    ${outs} = ${e.primitive}${p} ${e.inputs.map(atom).join(" ")}`);
  }
  const outs = jaxpr.outs.map(atom);
  const outList = outs.length === 1 ? `(${outs[0]},)` : `(${outs.join(", ")})`;
  return `{ lambda ${consts}; ${ins}. let\n${lines.join("\n")}${
    lines.length ? "\n" : ""
  }${indent}  in ${outList} }`;
}

/**
 * Re-runs abstract evaluation over a program's equations and throws a
 * `TypeError` naming the equation whose recorded output type, or whose
 * inputs, disagree — or a variable used before it is defined.
 */
export function typecheckJaxpr(jaxpr: Jaxpr): void {
  const defined = new Set<Var>([...jaxpr.constvars, ...jaxpr.invars]);
  const check = (a: Atom, where: string) => {
    if (a instanceof Var && !defined.has(a)) {
      throw new TypeError(`Jaxpr type error: ${where} uses a variable before it is defined`);
    }
  };
  const eqns = jaxpr.eqns;
  for (let k = 0; k < eqns.length; k++) {
    const e = eqns[k];
    for (const a of e.inputs) check(a, `equation ${k} (${e.primitive})`);
    const avals = e.kind === "primitive"
      ? [e.prim.abstractEval(e.inputs.map((a) => a.aval), e.params)]
      : e.kind === "call"
      ? e.call.abstractEval(e.inputs.map((a) => a.aval), e.params)
      : null;
    if (avals !== null) {
      if (avals.length !== e.outs.length) {
        throw new TypeError(
          `Jaxpr type error: equation ${k} (${e.primitive}) computes ${avals.length} outputs but records ${e.outs.length}`,
        );
      }
      avals.forEach((aval, i) => {
        const o = e.outs[i].aval;
        if (aval.dtype !== o.dtype || !shapesEqual(aval.shape, o.shape)) {
          throw new TypeError(
            `Jaxpr type error: equation ${k} (${e.primitive}) computes ${aval.dtype}${
              showShape(aval.shape)
            } but records ${o.dtype}${showShape(o.shape)}`,
          );
        }
      });
    }
    for (const v of e.outs) defined.add(v);
  }
  jaxpr.outs.forEach((a, i) => check(a, `output ${i}`));
}

/**
 * Collects the constants a program closes over: each distinct value (by
 * identity) gets one constant variable (`memo`), or each use its own (cheaper
 * for short-lived programs such as reverse mode's).
 */
export class ConstCollector {
  /** The constant variables, in order of first use. */
  readonly vars: Var[] = [];
  /** Their values. */
  readonly values: NdArray[] = [];
  private readonly byValue: Map<NdArray, Var> | null;

  /**
   * Creates an empty collection.
   *
   * @param memo Give each distinct value one variable (default true).
   */
  constructor(memo = true) {
    this.byValue = memo ? new Map() : null;
  }

  /** The constant variable bound to `x` (created on first use). */
  varFor(x: NdArray): Var {
    if (this.byValue === null) {
      const fresh = new Var(avalOf(x.shape, x.dtype));
      this.vars.push(fresh);
      this.values.push(x);
      return fresh;
    }
    let v = this.byValue.get(x);
    if (v === undefined) {
      v = new Var(avalOf(x.shape, x.dtype));
      this.byValue.set(x, v);
      this.vars.push(v);
      this.values.push(x);
    }
    return v;
  }
}
