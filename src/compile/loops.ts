/**
 * Rolled loops for `scan`, `foriLoop` (a `scan` under `jit`) and `whileLoop`
 * bodies.
 *
 * - **Scalar loops.** When every carry (and constant) is a 0-d `float64`,
 *   `float32`, `int32` or `bool` value and the body is made of elementwise
 *   primitives (and nested `cond`, `scan`, `while` and `pjit` calls of the
 *   same kind), the loop becomes one generated JavaScript function: a
 *   rolled `for`/`while` on plain numbers, the body inlined, carries in
 *   locals, the `xs` of a scan read from their storage and its `ys` written
 *   into one preallocated typed array. Each expression is the one the
 *   kernels compute: float64 arithmetic followed by the store's conversion
 *   (`Math.fround` for `float32`, `| 0` for `int32`, `Math.imul` for `int32`
 *   products, the kernels' own helpers for `pow`, `round` and floor
 *   division), so results are bit-identical to eager evaluation. A whole
 *   program of such values with loops in it compiles to one function
 *   ({@linkcode compileLoopProgram}).
 * - **Array loops.** Otherwise the body is compiled once and run per step:
 *   the rows of `xs` are views into their storage (no slice or reshape),
 *   the `ys` are copied straight into preallocated stacked outputs (no final
 *   concatenate), carries pass between steps as they are, and the argument
 *   list is built once ({@linkcode scanRunner}, {@linkcode whileRunner}).
 *
 * Every pass is a loop over equations; recursion follows only the nesting
 * of sub-programs. Where code generation is forbidden, the array loop
 * (over the interpreted body) is used.
 *
 * @module
 */

import { NdArray, storageOf } from "../array/array.ts";
import { allocate, type DType, isComplex } from "../array/dtype.ts";
import { scalar } from "../array/create.ts";
import { type Shape, shapesEqual, sizeOf } from "../array/shape.ts";
import { scalarHelpers } from "../array/kernels/elementwise.ts";
import { type Atom, type Eqn, Jaxpr, Lit, type Var } from "../core/ir.ts";
import type { Aval } from "../core/primitive.ts";
import { simplify } from "./passes.ts";
import { CMP, F64, num } from "./scalar.ts";

/** A program with its constant values (`ClosedJaxpr` of `transforms/jit.ts`). */
export interface ClosedProgram {
  /** The program: constants first, then inputs. */
  readonly jaxpr: Jaxpr;
  /** Values of its constant variables. */
  readonly consts: readonly NdArray[];
}

/** Parameters of `scan` (as `transforms/staged_scan.ts` defines them). */
export interface ScanLoopParams<C extends ClosedProgram = ClosedProgram> {
  /** `(consts, carry, x) ↦ (carry, y)`. */
  readonly jaxpr: C;
  /** Leading arguments that are loop constants. */
  readonly num_consts: number;
  /** Following arguments that are the carry. */
  readonly num_carry: number;
  /** Number of steps. */
  readonly length: number;
  /** Scan from the last step to the first. */
  readonly reverse: boolean;
}

/** Parameters of `while` (as `transforms/staged_while.ts` defines them). */
export interface WhileLoopParams<C extends ClosedProgram = ClosedProgram> {
  /** `(condConsts, carry) ↦ [pred]`. */
  readonly cond_jaxpr: C;
  /** `(bodyConsts, carry) ↦ carry`. */
  readonly body_jaxpr: C;
  /** Leading arguments that are the condition's constants. */
  readonly cond_nconsts: number;
  /** Following arguments that are the body's constants. */
  readonly body_nconsts: number;
}

/** A compiled loop or program: flat inputs to flat outputs. */
export type Runner = (args: readonly NdArray[]) => NdArray[];

/** Runs a closed program compiled (its constants are prepended by the caller's runner). */
export type ProgramRunner<C extends ClosedProgram = ClosedProgram> = (
  c: C,
  args: readonly NdArray[],
) => NdArray[];

/** Most equations (all loop bodies and branches counted) in one generated function. */
export const MAX_LOOP_EQNS = 2000;

let codegen: boolean | null = null;

/** Whether `new Function` works here (a strict CSP forbids it). */
function canGenerate(): boolean {
  if (codegen === null) {
    try {
      codegen = new Function("return 1")() === 1;
    } catch {
      codegen = false;
    }
  }
  return codegen;
}

// ---------------------------------------------------------------------------
// Per-element expressions on plain numbers

const SCALAR_DTYPES = new Set<DType>(["float64", "float32", "int32", "bool"]);

/** Arithmetic as float64 computes it (before the store's conversion). */
const ARITH: Readonly<Record<string, string>> = F64;

/** Comparisons and tests: a bool result on numeric operands. */
const TESTS: Record<string, string> = {
  ...CMP,
  is_nan: "($0 !== $0 ? 1 : 0)",
  is_inf: "($0 === Infinity || $0 === -Infinity ? 1 : 0)",
  is_finite: "($0 - $0 === 0 ? 1 : 0)",
};

/** Structural primitives that leave each element as it is (on equal shapes, or a 0-d operand broadcast). */
const IDENTITY = new Set(["stop_gradient", "reshape", "broadcast_to", "transpose"]);

/** Whether a structural primitive of {@linkcode IDENTITY} maps element `k` to element `k`. */
function sameElements(e: Eqn): boolean {
  const from = e.inputs[0].aval.shape, to = e.outs[0].aval.shape;
  if (e.primitive === "stop_gradient" || from.length === 0) return true;
  if (!shapesEqual(from, to)) return false;
  if (e.primitive !== "transpose") return true;
  return (e.params as { perm: readonly number[] }).perm.every((p, i) => p === i);
}

/** The float64-to-int32 conversion of `convertKernel` (saturating, NaN to 0, truncating). */
const TO_INT32 =
  "($0 > -2147483649 && $0 < 2147483648 ? $0 | 0 : $0 !== $0 ? 0 : $0 > 0 ? 2147483647 : -2147483648)";

/**
 * The expression of a primitive equation on 0-d operands of the covered
 * dtypes, exactly as the kernels compute and store it, or `null`.
 */
function numTemplate(e: Eqn): string | null {
  if (e.kind !== "primitive") return null;
  const name = e.primitive;
  const ins = e.inputs, out = e.outs[0].aval.dtype;
  const dt = ins.length > 0 ? ins[ins.length - 1].aval.dtype : out;
  if (IDENTITY.has(name)) {
    return ins.length === 1 && ins[0].aval.dtype === out && sameElements(e) ? "$0" : null;
  }
  if (name === "select") {
    return ins[0].aval.dtype === "bool" && ins[1].aval.dtype === out && ins[2].aval.dtype === out
      ? "($0 !== 0 ? $1 : $2)"
      : null;
  }
  if (name === "convert_element_type") {
    const from = ins[0].aval.dtype;
    if (from === out) return "$0";
    if (out === "bool") return "($0 !== 0 ? 1 : 0)";
    if (out === "float64" || from === "bool") return "$0";
    if (out === "float32") return "Math.fround($0)";
    if (out === "int32") return TO_INT32; // from float64 or float32
    return null;
  }
  if (!ins.every((a) => a.aval.dtype === dt)) return null;
  if (out === "bool" && TESTS[name] !== undefined) {
    return dt === "bool" && name.startsWith("is_") ? null : TESTS[name];
  }
  if (dt === "bool") {
    if (out !== "bool") return null;
    if (name === "and") return "($0 !== 0 && $1 !== 0 ? 1 : 0)";
    if (name === "or") return "($0 !== 0 || $1 !== 0 ? 1 : 0)";
    if (name === "not") return "($0 === 0 ? 1 : 0)";
    return null;
  }
  if (out !== dt) return null;
  if (dt === "int32") {
    if (name === "mul") return "Math.imul($0, $1)";
    if (name === "pow") return "H.intPow($0, $1)";
    if (name === "integer_pow") return `H.intPow($0, ${(e.params as { y: number }).y | 0})`;
    if (name === "and") return "($0 & $1)";
    if (name === "or") return "($0 | $1)";
    if (name === "not") return "(~$0)";
    const a = ARITH[name];
    return a === undefined ? null : `((${a}) | 0)`;
  }
  const a = name === "integer_pow"
    ? `H.floatPow($0, ${num((e.params as { y: number }).y)})`
    : ARITH[name];
  if (a === undefined) return null;
  return dt === "float32" ? `Math.fround(${a})` : a;
}

/** The value a literal has once stored in its dtype (as `scalar` stores it). */
function stored(value: number | boolean, dtype: DType): number {
  const t = allocate(dtype, 1);
  t[0] = Number(value);
  return t[0] as number;
}

// ---------------------------------------------------------------------------
// The emitter

/** A value of generated code: a number (0-d) or an array (an `NdArray` expression). */
interface Val {
  readonly e: string;
  readonly arr: boolean;
  readonly aval: Aval;
  /** For an array: a local holding its storage. */
  readonly st?: string;
}

/** Thrown (and caught by the compile functions) when a program is outside the backend. */
class Unsupported extends Error {}

const fail = (): never => {
  throw new Unsupported();
};

const isNumAval = (a: Aval): boolean => a.shape.length === 0 && SCALAR_DTYPES.has(a.dtype);

/**
 * The state of one generated function. With a `lane` shape, values of that
 * shape are numbers too: the code computes one element of them (the loops
 * around it walk the elements), which is exact for elementwise programs.
 */
class Emitter {
  lines: string[] = [];
  lane: Shape | null = null;
  consts: NdArray[] = [];
  private next = 0;
  eqns = 0;
  name(p: string): string {
    return `${p}${this.next++}`;
  }
  push(line: string): void {
    this.lines.push(line);
  }
  /** Whether a value of this type is a number here (0-d, or of the lane shape). */
  isNum(a: Aval): boolean {
    return isNumAval(a) ||
      (this.lane !== null && SCALAR_DTYPES.has(a.dtype) && shapesEqual(a.shape, this.lane));
  }
  /** A value read from an array of the consts table. */
  constVal(x: NdArray): Val {
    const aval = { shape: x.shape, dtype: x.dtype };
    if (isNumAval(aval)) {
      return { e: `(${num(storageOf(x)[0] as number)})`, arr: false, aval };
    }
    this.consts.push(x);
    const st = this.name("x");
    this.push(`const ${st} = S(C[${this.consts.length - 1}]);`);
    return { e: `C[${this.consts.length - 1}]`, arr: true, aval, st };
  }
  /** A local holding an array value's storage. */
  storage(v: Val): string {
    if (v.st !== undefined) return v.st;
    const st = this.name("x");
    this.push(`const ${st} = S(${v.e});`);
    return st;
  }
  /** A number value bound to a fresh constant (so later assignments to `v` cannot change it). */
  pin(v: Val): Val {
    if (v.arr || /^\(/.test(v.e)) return v;
    const n = this.name("v");
    this.push(`const ${n} = ${v.e};`);
    return { ...v, e: n };
  }

  /** Emits a closed program on the given inputs; returns its outputs. */
  program(c: ClosedProgram, inputs: readonly Val[]): Val[] {
    const jaxpr = simplify(c.jaxpr);
    const env = new Map<Var, Val>();
    jaxpr.constvars.forEach((v, i) => env.set(v, this.constVal(c.consts[i])));
    if (inputs.length !== jaxpr.invars.length) fail();
    jaxpr.invars.forEach((v, i) => env.set(v, inputs[i]));
    const read = (a: Atom): Val => {
      if (a instanceof Lit) {
        if (!isNumAval(a.aval)) fail();
        return { e: `(${num(stored(a.value, a.aval.dtype))})`, arr: false, aval: a.aval };
      }
      const v = env.get(a);
      if (v === undefined) return fail();
      return v;
    };
    const eqns = jaxpr.eqns;
    for (let k = 0; k < eqns.length; k++) {
      const e = eqns[k];
      if (++this.eqns > MAX_LOOP_EQNS) fail();
      const ins = e.inputs.map(read);
      let outs: Val[];
      if (e.kind === "primitive" && e.primitive === "take" && ins[0].arr) {
        outs = [this.take(e, ins[0], ins[1])];
      } else if (e.kind === "primitive") {
        const t = numTemplate(e);
        if (t === null || ins.some((v) => v.arr) || !this.isNum(e.outs[0].aval)) return fail();
        const n = this.name("v");
        this.push(`const ${n} = ${t.replace(/\$(\d)/g, (_, d) => ins[Number(d)].e)};`);
        outs = [{ e: n, arr: false, aval: e.outs[0].aval }];
      } else if (e.kind === "call" && e.primitive === "jit") {
        outs = this.program((e.params as { jaxpr: ClosedProgram }).jaxpr, ins);
      } else if (this.lane !== null) {
        return fail(); // in lane mode: elementwise primitives and inlined jit calls only
      } else if (e.kind === "call" && e.primitive === "cond") {
        outs = this.cond((e.params as { branches: readonly ClosedProgram[] }).branches, ins, e);
      } else if (e.kind === "call" && e.primitive === "scan") {
        outs = this.scan(e.params as ScanLoopParams, ins);
      } else if (e.kind === "call" && e.primitive === "while") {
        outs = this.while(e.params as WhileLoopParams, ins);
      } else return fail();
      if (outs.length !== e.outs.length) fail();
      e.outs.forEach((v, i) => env.set(v, outs[i]));
    }
    return jaxpr.outs.map(read);
  }

  /** `take` of one element of a 1-d array at a 0-d index, as `takeKernel` reads it. */
  private take(e: Eqn, x: Val, idx: Val): Val {
    const p = e.params as { axis: number; batch?: number; zeroOutside?: boolean };
    const out = e.outs[0].aval;
    if (
      idx.arr || idx.aval.dtype !== "int32" || x.aval.shape.length !== 1 || p.axis !== 0 ||
      (p.batch ?? 0) !== 0 || !isNumAval(out) || !SCALAR_DTYPES.has(x.aval.dtype)
    ) {
      return fail();
    }
    const last = x.aval.shape[0] - 1, i = idx.e, st = this.storage(x);
    const n = this.name("v");
    if (last < 0) this.push(`const ${n} = 0;`); // nothing to read: the output stays 0
    else if (p.zeroOutside === true) {
      this.push(`const ${n} = ${i} < 0 || ${i} > ${last} ? 0 : ${st}[${i}];`);
    } else this.push(`const ${n} = ${st}[${i} < 0 ? 0 : ${i} > ${last} ? ${last} : ${i}];`);
    return { e: n, arr: false, aval: out };
  }

  /** `let` locals holding number values that a loop or branch assigns. */
  private locals(avals: readonly Aval[], init?: readonly Val[]): Val[] {
    return avals.map((aval, i) => {
      if (!isNumAval(aval)) fail();
      const n = this.name("c");
      this.push(init === undefined ? `let ${n} = 0;` : `let ${n} = ${init[i].e};`);
      return { e: n, arr: false, aval };
    });
  }

  private assign(to: readonly Val[], from: readonly Val[]): void {
    if (from.some((v) => v.arr)) fail();
    // every right-hand side is a constant or literal, so the order does not matter
    to.forEach((t, i) => this.push(`${t.e} = ${from[i].e};`));
  }

  private cond(branches: readonly ClosedProgram[], ins: readonly Val[], e: Eqn): Val[] {
    const [index, ...ops] = ins;
    if (index.arr) fail();
    const outs = this.locals(e.outs.map((v) => v.aval));
    const n = branches.length;
    branches.forEach((b, k) => {
      // the index clamped to [0, n): branch k when index < k + 1 (and not an earlier one)
      this.push(
        k === 0
          ? (n === 1 ? "{" : `if (${index.e} < 1) {`)
          : k === n - 1
          ? "} else {"
          : `} else if (${index.e} < ${k + 1}) {`,
      );
      this.assign(outs, this.program(b, ops.map((v) => this.pin(v))));
    });
    this.push("}");
    return outs;
  }

  /** A scan whose constants and carries are numbers and whose `xs` are 1-d arrays. */
  scan(p: ScanLoopParams, ins: readonly Val[]): Val[] {
    const nc = p.num_consts, nk = p.num_carry, n = p.length;
    const consts = ins.slice(0, nc), init = ins.slice(nc, nc + nk), xs = ins.slice(nc + nk);
    if (init.some((v) => v.arr)) fail(); // array constants pass through (to nested xs, take)
    if (!xs.every((x) => x.arr && x.aval.shape.length === 1 && SCALAR_DTYPES.has(x.aval.dtype))) {
      fail();
    }
    const yAvals = p.jaxpr.jaxpr.outs.slice(nk).map((o) => o.aval);
    if (!yAvals.every(isNumAval)) fail();
    const carry = this.locals(init.map((v) => v.aval), init);
    const xst = xs.map((x) => this.storage(x));
    const yst = yAvals.map((a) => {
      const s = this.name("y");
      this.push(`const ${s} = AL("${a.dtype}", ${n});`);
      return s;
    });
    const s = this.name("s"), i = this.name("i");
    this.push(`for (let ${s} = 0; ${s} < ${n}; ${s}++) {`);
    this.push(`const ${i} = ${p.reverse ? `${n - 1} - ${s}` : s};`);
    const bodyIns = [
      ...consts,
      ...carry.map((c) => this.pin(c)),
      ...xs.map((x, k) =>
        this.pin({ e: `${xst[k]}[${i}]`, arr: false, aval: { shape: [], dtype: x.aval.dtype } })
      ),
    ];
    const outs = this.program(p.jaxpr, bodyIns);
    if (outs.some((v) => v.arr)) fail();
    this.assign(carry, outs.slice(0, nk));
    yst.forEach((y, k) => this.push(`${y}[${i}] = ${outs[nk + k].e};`));
    this.push("}");
    const ys = yAvals.map((a, k): Val => {
      const nm = this.name("a");
      this.push(`const ${nm} = new A(${yst[k]}, [${n}], "${a.dtype}");`);
      return { e: nm, arr: true, aval: { shape: [n], dtype: a.dtype }, st: yst[k] };
    });
    return [...carry, ...ys];
  }

  /** A while loop on number carries. */
  while(p: WhileLoopParams, ins: readonly Val[]): Val[] {
    const nc = p.cond_nconsts, nb = p.body_nconsts;
    const cc = ins.slice(0, nc), bc = ins.slice(nc, nc + nb), init = ins.slice(nc + nb);
    if (init.some((v) => v.arr)) fail();
    const carry = this.locals(init.map((v) => v.aval), init);
    this.push("for (;;) {");
    const [pred] = this.program(p.cond_jaxpr, [...cc, ...carry]);
    if (pred.arr) fail();
    this.push(`if (${pred.e} === 0) break;`);
    const outs = this.program(p.body_jaxpr, [...bc, ...carry.map((c) => this.pin(c))]);
    this.assign(carry, outs);
    this.push("}");
    return carry;
  }
}

/** Binds run arguments: numbers read from storage, arrays as they are. */
function argVals(em: Emitter, avals: readonly Aval[]): Val[] {
  return avals.map((aval, i) => {
    const n = em.name(isNumAval(aval) ? "v" : "a");
    if (isNumAval(aval)) {
      em.push(`const ${n} = S(args[${i}])[0];`);
      return { e: n, arr: false, aval };
    }
    em.push(`const ${n} = args[${i}];`);
    const st = em.name("x");
    em.push(`const ${st} = S(${n});`);
    return { e: n, arr: true, aval, st };
  });
}

/** Wraps the emitted lines into `run(args)`. */
function finish(em: Emitter, outs: readonly Val[]): Runner {
  const ret = outs.map((v) => (v.arr ? v.e : `M(${v.e}, "${v.aval.dtype}")`));
  const src = [
    "return function run(args) {",
    ...em.lines.map((l) => "  " + l),
    `  return [${ret.join(", ")}];`,
    "};",
  ].join("\n");
  const make = new Function("S", "AL", "A", "M", "H", "C", src) as (
    S: typeof storageOf,
    AL: typeof allocate,
    A: typeof NdArray,
    M: typeof scalar,
    H: typeof scalarHelpers,
    C: readonly NdArray[],
  ) => Runner;
  return make(storageOf, allocate, NdArray, scalar, scalarHelpers, em.consts);
}

/** Compiles `build` into one function, or `null` if some value or equation is outside the backend. */
function generate(
  avals: readonly Aval[],
  build: (em: Emitter, ins: Val[]) => Val[],
): Runner | null {
  if (!canGenerate()) return null;
  const em = new Emitter();
  try {
    const outs = build(em, argVals(em, avals));
    return finish(em, outs);
  } catch (e) {
    if (e instanceof Unsupported) return null;
    throw e;
  }
}

/**
 * Compiles a program of 0-d `float64`/`float32`/`int32`/`bool` values —
 * with `scan`/`while` loops (and 1-d arrays as the `xs` and `ys` of scalar
 * scans, or read by `take`), `cond`s and nested `jit` calls in it — to one
 * function of plain-number code with rolled loops; `null` if something is
 * outside the backend (or the program is larger than
 * {@linkcode MAX_LOOP_EQNS}: `scalar.ts` chunks long straight-line code).
 *
 * @example A rolled loop
 * ```ts
 * import { jit, lax, np, type Array } from "@nabla/ad";
 * import { equal } from "node:assert/strict";
 *
 * const f = jit((x: Array) => lax.foriLoop(0, 10, (_i: Array, c: Array) => np.multiply(c, 2), x));
 * equal(f(np.array(1)).item(), 1024);
 * ```
 *
 * @param jaxpr The program; its inputs are its constants followed by its inputs.
 * @returns `run(args) ↦ outputs`, or `null`.
 */
export function compileLoopProgram(jaxpr: Jaxpr): Runner | null {
  if (jaxpr.eqns.length > MAX_LOOP_EQNS) return null;
  const inVars = [...jaxpr.constvars, ...jaxpr.invars];
  const open = new Jaxpr([], inVars, jaxpr.eqns, jaxpr.outs);
  return generate(
    inVars.map((v) => v.aval),
    (em, ins) => em.program({ jaxpr: open, consts: [] }, ins),
  );
}

/**
 * A scan whose values all have one shape `lane` (or are 0-d) and whose body
 * is elementwise: a rolled loop on numbers per element. Without `xs` or
 * `ys` of the lane shape, each element runs all its steps with its carries
 * in locals (the elements outside, the steps inside); otherwise the steps
 * are outside and the elements inside, the carries updated in place in
 * their own buffers, the `xs` read and the `ys` written in memory order.
 * Values that are 0-d are the same for every element (an elementwise
 * program computes them from 0-d values only). `null` if the scan is not
 * of that kind.
 */
function laneScan(p: ScanLoopParams): Runner | null {
  const nc = p.num_consts, nk = p.num_carry, n = p.length;
  const body = p.jaxpr.jaxpr;
  const inAvals = body.invars.map((v) => v.aval), outAvals = body.outs.map((o) => o.aval);
  let lane: Shape | null = null;
  for (const a of [...inAvals, ...outAvals]) {
    if (a.shape.length === 0) continue;
    if (lane === null) lane = a.shape;
    else if (!shapesEqual(lane, a.shape)) return null;
  }
  if (lane === null || !canGenerate()) return null;
  const size = sizeOf(lane);
  if (size === 0) return null;
  const em = new Emitter();
  em.lane = lane;
  const wide = (a: Aval) => a.shape.length > 0;
  const cAvals = inAvals.slice(nc, nc + nk), xAvals = inAvals.slice(nc + nk);
  const yAvals = outAvals.slice(nk);
  const stepsOutside = xAvals.some(wide) || yAvals.some(wide);
  try {
    if (![...inAvals, ...outAvals].every((a) => em.isNum(a))) return null;
    const st = inAvals.map((_, k) => {
      const nm = em.name("k");
      em.push(`const ${nm} = S(args[${k}]);`);
      return nm;
    });
    const ys = yAvals.map((a) => {
      const nm = em.name("y");
      em.push(`const ${nm} = AL("${a.dtype}", ${n * (wide(a) ? size : 1)});`);
      return nm;
    });
    const b = em.name("b"), s = em.name("s"), i = em.name("i");
    const at = (k: number, a: Aval) => `${st[k]}[${wide(a) ? b : 0}]`;
    const row = (a: Aval) => (wide(a) ? `${i} * ${size} + ${b}` : i);
    const lanes = () => em.push(`for (let ${b} = 0; ${b} < ${size}; ${b}++) {`);
    const steps = () => {
      em.push(`for (let ${s} = 0; ${s} < ${n}; ${s}++) {`);
      em.push(`const ${i} = ${p.reverse ? `${n - 1} - ${s}` : s};`);
    };
    const stepBody = (carryIn: Val[], store: (k: number, v: Val) => void) => {
      const consts = inAvals.slice(0, nc).map((a, k) =>
        em.pin({ e: at(k, a), arr: false, aval: a })
      );
      const xs = xAvals.map((a, k) =>
        em.pin({ e: `${st[nc + nk + k]}[${row(a)}]`, arr: false, aval: a })
      );
      const outs = em.program(p.jaxpr, [...consts, ...carryIn, ...xs]);
      outs.slice(0, nk).forEach((v, k) => store(k, v));
      yAvals.forEach((a, k) => em.push(`${ys[k]}[${row(a)}] = ${outs[nk + k].e};`));
    };
    let carryOut: Val[];
    if (!stepsOutside) {
      const out = cAvals.map((a) => {
        const nm = em.name("o");
        em.push(wide(a) ? `const ${nm} = AL("${a.dtype}", ${size});` : `let ${nm} = 0;`);
        return nm;
      });
      lanes();
      const carry = cAvals.map((a, k): Val => {
        const nm = em.name("c");
        em.push(`let ${nm} = ${at(nc + k, a)};`);
        return { e: nm, arr: false, aval: a };
      });
      steps();
      stepBody(carry.map((c) => em.pin(c)), (k, v) => em.push(`${carry[k].e} = ${v.e};`));
      em.push("}");
      carry.forEach((c, k) =>
        em.push(wide(c.aval) ? `${out[k]}[${b}] = ${c.e};` : `${out[k]} = ${c.e};`)
      );
      em.push("}");
      carryOut = cAvals.map((a, k) => ({ e: out[k], arr: wide(a), aval: a }));
    } else {
      // wide carries live in buffers updated in place (element b reads and writes only slot b)
      const buf = cAvals.map((a, k) => {
        const nm = em.name(wide(a) ? "o" : "c");
        em.push(wide(a) ? `const ${nm} = ${st[nc + k]}.slice();` : `let ${nm} = ${st[nc + k]}[0];`);
        return nm;
      });
      steps();
      const next = cAvals.map((a, k) => {
        if (wide(a)) return "";
        const nm = em.name("n");
        em.push(`let ${nm} = ${buf[k]};`);
        return nm;
      });
      const old = cAvals.map((
        a,
        k,
      ) => (wide(a) ? null : em.pin({ e: buf[k], arr: false, aval: a })));
      lanes();
      const carryIn = cAvals.map((a, k) =>
        wide(a) ? em.pin({ e: `${buf[k]}[${b}]`, arr: false, aval: a }) : old[k]!
      );
      stepBody(
        carryIn,
        (k, v) => em.push(wide(cAvals[k]) ? `${buf[k]}[${b}] = ${v.e};` : `${next[k]} = ${v.e};`),
      );
      em.push("}");
      cAvals.forEach((a, k) => {
        if (!wide(a)) em.push(`${buf[k]} = ${next[k]};`);
      });
      em.push("}");
      carryOut = cAvals.map((a, k) => ({ e: buf[k], arr: wide(a), aval: a }));
    }
    const shape = JSON.stringify(lane);
    const outVals: Val[] = [
      ...carryOut.map((c): Val =>
        c.arr ? { ...c, e: `new A(${c.e}, ${shape}, "${c.aval.dtype}")` } : c
      ),
      ...yAvals.map((a, k): Val => ({
        e: `new A(${ys[k]}, ${JSON.stringify([n, ...a.shape])}, "${a.dtype}")`,
        arr: true,
        aval: a,
      })),
    ];
    return finish(em, outVals);
  } catch (e) {
    if (e instanceof Unsupported) return null;
    throw e;
  }
}

/**
 * The condition of a batched `while` (the `vmap` rule's): an elementwise
 * program computing a bool `b` of the lane shape, then
 * `reduce_sum(convert(b, int32)) > 0` ("while any member continues").
 * Returns the program up to `b`, or `null`.
 */
function anyCondition(c: ClosedProgram, lane: Shape): ClosedProgram | null {
  const j = simplify(c.jaxpr);
  const eqns = j.eqns, n = eqns.length;
  if (n < 3 || j.outs.length !== 1) return null;
  const [e1, e2, e3] = [eqns[n - 3], eqns[n - 2], eqns[n - 1]];
  const lit0 = e3.inputs[1];
  const ok = e3.kind === "primitive" && e3.primitive === "gt" && e3.outs[0] === j.outs[0] &&
    e3.inputs[0] === e2.outs[0] && lit0 instanceof Lit && Number(lit0.value) === 0 &&
    e2.kind === "primitive" && e2.primitive === "reduce_sum" && e2.inputs[0] === e1.outs[0] &&
    (e2.params as { axes: readonly number[] }).axes.length === lane.length &&
    e1.kind === "primitive" && e1.primitive === "convert_element_type" &&
    e1.outs[0].aval.dtype === "int32" && e1.inputs[0].aval.dtype === "bool" &&
    shapesEqual(e1.inputs[0].aval.shape, lane);
  if (!ok) return null;
  // the three are the program's tail, read by nothing else (the output is e3's alone)
  const b = e1.inputs[0];
  return { jaxpr: new Jaxpr(j.constvars, j.invars, eqns.slice(0, n - 3), [b]), consts: c.consts };
}

/**
 * A `while` over carries of one shape `lane` (or 0-d) with an elementwise
 * body and a condition "while any element's `b` holds" (a batched
 * `whileLoop`): per step, a generated loop over the elements evaluates `b`
 * (stopping at the first true), then another runs the body on each
 * element, the carries updated in place. `null` if the loop is not of that
 * kind.
 */
function laneWhile(p: WhileLoopParams): Runner | null {
  const ncc = p.cond_nconsts, nb = p.body_nconsts;
  const cIn = p.cond_jaxpr.jaxpr.invars.map((v) => v.aval);
  const bIn = p.body_jaxpr.jaxpr.invars.map((v) => v.aval);
  const bOut = p.body_jaxpr.jaxpr.outs.map((o) => o.aval);
  let lane: Shape | null = null;
  for (const a of [...cIn, ...bIn, ...bOut]) {
    if (a.shape.length === 0) continue;
    if (lane === null) lane = a.shape;
    else if (!shapesEqual(lane, a.shape)) return null;
  }
  if (lane === null || !canGenerate()) return null;
  const size = sizeOf(lane);
  if (size === 0) return null;
  const cond = anyCondition(p.cond_jaxpr, lane);
  if (cond === null) return null;
  const em = new Emitter();
  em.lane = lane;
  const wide = (a: Aval) => a.shape.length > 0;
  const avals = [...cIn.slice(0, ncc), ...bIn];
  const cAvals = bIn.slice(nb);
  try {
    if (![...avals, ...bOut].every((a) => em.isNum(a))) return null;
    const st = avals.map((_, k) => {
      const nm = em.name("k");
      em.push(`const ${nm} = S(args[${k}]);`);
      return nm;
    });
    const b = em.name("b");
    const at = (k: number, a: Aval) => `${st[k]}[${wide(a) ? b : 0}]`;
    const lanes = () => em.push(`for (let ${b} = 0; ${b} < ${size}; ${b}++) {`);
    const buf = cAvals.map((a, k) => {
      const nm = em.name(wide(a) ? "o" : "c");
      const src = st[ncc + nb + k];
      em.push(wide(a) ? `const ${nm} = ${src}.slice();` : `let ${nm} = ${src}[0];`);
      return nm;
    });
    em.push("for (;;) {");
    const old = cAvals.map((a, k) => (wide(a) ? null : em.pin({ e: buf[k], arr: false, aval: a })));
    const carryAt = () =>
      cAvals.map((a, k) =>
        wide(a) ? em.pin({ e: `${buf[k]}[${b}]`, arr: false, aval: a }) : old[k]!
      );
    const any = em.name("any");
    em.push(`let ${any} = 0;`);
    lanes();
    const cc = cIn.slice(0, ncc).map((a, k) => em.pin({ e: at(k, a), arr: false, aval: a }));
    const [pred] = em.program(cond, [...cc, ...carryAt()]);
    em.push(`if (${pred.e} !== 0) { ${any} = 1; break; }`);
    em.push("}");
    em.push(`if (${any} === 0) break;`);
    const next = cAvals.map((a, k) => {
      if (wide(a)) return "";
      const nm = em.name("n");
      em.push(`let ${nm} = ${buf[k]};`);
      return nm;
    });
    lanes();
    const bc = bIn.slice(0, nb).map((a, k) => em.pin({ e: at(ncc + k, a), arr: false, aval: a }));
    const outs = em.program(p.body_jaxpr, [...bc, ...carryAt()]);
    outs.forEach((v, k) =>
      em.push(wide(cAvals[k]) ? `${buf[k]}[${b}] = ${v.e};` : `${next[k]} = ${v.e};`)
    );
    em.push("}");
    cAvals.forEach((a, k) => {
      if (!wide(a)) em.push(`${buf[k]} = ${next[k]};`);
    });
    em.push("}");
    const shape = JSON.stringify(lane);
    return finish(
      em,
      cAvals.map((a, k): Val =>
        wide(a)
          ? { e: `new A(${buf[k]}, ${shape}, "${a.dtype}")`, arr: true, aval: a }
          : { e: buf[k], arr: false, aval: a }
      ),
    );
  } catch (e) {
    if (e instanceof Unsupported) return null;
    throw e;
  }
}

const scanRunners = new WeakMap<ScanLoopParams, Runner>();
const kinds = new WeakMap<Runner, "scalar" | "lane" | "array">();

/**
 * How a runner of {@linkcode scanRunner}/{@linkcode whileRunner} runs its
 * loop: `"scalar"` (generated, on numbers), `"lane"` (generated, one rolled
 * loop per element of an elementwise body) or `"array"` (the compiled body
 * per step).
 *
 * @param r A runner.
 * @returns Its kind.
 */
export function runnerKind(r: Runner): "scalar" | "lane" | "array" {
  return kinds.get(r) ?? "array";
}

function tag(r: Runner | null, kind: "scalar" | "lane"): Runner | null {
  if (r !== null) kinds.set(r, kind);
  return r;
}
const whileRunners = new WeakMap<WhileLoopParams, Runner>();

/**
 * The runner of one `scan`: a generated scalar loop where the body allows
 * (see the module doc), else the array loop over the compiled body.
 * Cached by the parameters' identity.
 *
 * @param p The scan's parameters.
 * @param run Runs a closed program (compiled; `runClosed` of `transforms/jit.ts`).
 * @param scalarLoops Whether to try the scalar loop (default true).
 * @returns `run(consts, carry, xs) ↦ (carry, ys)`.
 */
export function scanRunner<C extends ClosedProgram>(
  p: ScanLoopParams<C>,
  run: ProgramRunner<C>,
  scalarLoops = true,
): Runner {
  let r = scalarLoops ? scanRunners.get(p) : undefined;
  if (r === undefined) {
    const nc = p.num_consts, nk = p.num_carry;
    const inv = p.jaxpr.jaxpr.invars;
    const avals = inv.map((v, i) =>
      i < nc + nk ? v.aval : { shape: [p.length, ...v.aval.shape], dtype: v.aval.dtype }
    );
    r = (scalarLoops
      ? tag(
        generate(avals, (em, ins) => em.scan(p, ins)),
        "scalar",
      ) ?? tag(laneScan(p), "lane")
      : null) ?? arrayScan(p, run);
    if (scalarLoops) scanRunners.set(p, r);
  }
  return r;
}

/**
 * The runner of one `while`: a generated scalar loop where the condition
 * and body allow, else a loop over the compiled programs. Cached by the
 * parameters' identity.
 *
 * @param p The loop's parameters.
 * @param run Runs a closed program (compiled).
 * @param scalarLoops Whether to try the scalar loop (default true).
 * @returns `run(condConsts, bodyConsts, carry) ↦ carry`.
 */
export function whileRunner<C extends ClosedProgram>(
  p: WhileLoopParams<C>,
  run: ProgramRunner<C>,
  scalarLoops = true,
): Runner {
  let r = scalarLoops ? whileRunners.get(p) : undefined;
  if (r === undefined) {
    const cin = p.cond_jaxpr.jaxpr.invars, bin = p.body_jaxpr.jaxpr.invars;
    const avals = [
      ...cin.slice(0, p.cond_nconsts),
      ...bin,
    ].map((v) => v.aval);
    r = (scalarLoops
      ? tag(
        generate(avals, (em, ins) => em.while(p, ins)),
        "scalar",
      ) ?? tag(laneWhile(p), "lane")
      : null) ?? arrayWhile(p, run);
    if (scalarLoops) whileRunners.set(p, r);
  }
  return r;
}

// ---------------------------------------------------------------------------
// Array loops

/** Storage slots per element (2 for complex dtypes). */
const slots = (dtype: DType) => (isComplex(dtype) ? 2 : 1);

function arrayScan<C extends ClosedProgram>(p: ScanLoopParams<C>, run: ProgramRunner<C>): Runner {
  const nc = p.num_consts, nk = p.num_carry, n = p.length;
  const body = p.jaxpr;
  const inv = body.jaxpr.invars;
  const xAvals = inv.slice(nc + nk).map((v) => v.aval);
  const xRow = xAvals.map((a) => sizeOf(a.shape) * slots(a.dtype));
  const yAvals = body.jaxpr.outs.slice(nk).map((o) => o.aval);
  const yRow = yAvals.map((a) => sizeOf(a.shape) * slots(a.dtype));
  return (args) => {
    const buf = args.slice(0, nc + nk);
    const xst = args.slice(nc + nk).map(storageOf);
    const ys = yAvals.map((a) => allocate(a.dtype, n * sizeOf(a.shape)));
    for (let step = 0; step < n; step++) {
      const i = p.reverse ? n - 1 - step : step;
      for (let k = 0; k < xst.length; k++) {
        const m = xRow[k], a = xAvals[k];
        buf[nc + nk + k] = new NdArray(xst[k].subarray(i * m, i * m + m), a.shape, a.dtype);
      }
      const out = run(body, buf);
      for (let k = 0; k < nk; k++) buf[nc + k] = out[k];
      for (let k = 0; k < ys.length; k++) {
        const m = yRow[k];
        if (m === 1) ys[k][i] = storageOf(out[nk + k])[0];
        else ys[k].set(storageOf(out[nk + k]), i * m);
      }
    }
    return [
      ...buf.slice(nc, nc + nk),
      ...ys.map((y, k) => new NdArray(y, [n, ...yAvals[k].shape], yAvals[k].dtype)),
    ];
  };
}

function arrayWhile<C extends ClosedProgram>(p: WhileLoopParams<C>, run: ProgramRunner<C>): Runner {
  const ncc = p.cond_nconsts, nb = p.body_nconsts;
  return (args) => {
    const cargs = [...args.slice(0, ncc), ...args.slice(ncc + nb)];
    const bargs = args.slice(ncc);
    const n = bargs.length - nb;
    for (;;) {
      if (storageOf(run(p.cond_jaxpr, cargs)[0])[0] === 0) break;
      const out = run(p.body_jaxpr, bargs);
      for (let k = 0; k < n; k++) {
        cargs[ncc + k] = out[k];
        bargs[nb + k] = out[k];
      }
    }
    return bargs.slice(nb);
  };
}
