/**
 * The code generator behind `jit`: a closed program becomes one JavaScript
 * function (built with `new Function`) of straight-line calls of the
 * primitives' kernels (`impl`) — no handler dispatch, no environment map, no
 * per-equation closure. Values live in a register array whose slots are
 * reused by liveness (a slot is freed after the last equation reading it),
 * so a call holds only the live intermediates. Code is split into chunk
 * functions of at most {@linkcode CHUNK} equations, so V8 keeps optimising
 * it and a 100 000-equation program compiles in one pass.
 *
 * Every pass is a loop over the equations. Where code generation is
 * forbidden (a strict Content-Security-Policy), the same plan runs through
 * an interpreter loop. Results equal eager evaluation bit for bit: the
 * same kernels run in the same order on the same inputs.
 *
 * @module
 */

import type { NdArray } from "../array/array.ts";
import { isComplex } from "../array/dtype.ts";
import { scalar } from "../array/create.ts";
import { type Atom, type Jaxpr, Lit, Var } from "../core/ir.ts";
import { compileScalar } from "./scalar.ts";
import { compileLoopProgram } from "./loops.ts";
import { simplify } from "./passes.ts";
import { inlineCustomCalls } from "./inline.ts";
import { fuse } from "./fuse.ts";
import { BufferPool, POOLED_PRODUCERS } from "./pool.ts";

/** Most equations per generated chunk function. */
export const CHUNK = 256;

/** A compiled program: flat inputs (constants first, then arguments) to flat outputs. */
export interface Executable {
  /** Runs the program. */
  run(args: readonly NdArray[]): NdArray[];
  /** `"js"` for generated code, `"interpret"` for the fallback loop. */
  readonly backend: "js" | "interpret";
  /** `"scalar"` for code on plain numbers (`compile/scalar.ts`), `"kernels"` for kernel calls. */
  readonly kind: "scalar" | "kernels";
  /** The generated source (empty for the interpreter). */
  readonly source: string;
  /** Registers used (the most values live at once, plus inputs). */
  readonly registers: number;
}

/** One step of the plan: read registers, call, write registers. */
interface Step {
  kind: "primitive" | "call" | "custom";
  fn: unknown;
  params: unknown;
  ins: number[];
  outs: number[];
  /** Values dying here whose buffers may return to the pool (`pool.ts`). */
  release?: Release;
}

/** Buffers a step returns to the pool: inputs read last here, outputs nothing reads. */
interface Release {
  /** Registers of inputs dying here (read before the step: an output may take the slot). */
  before: number[];
  /** Registers of outputs nothing reads. */
  after: number[];
  /** Registers live after the step. */
  live: number[];
}

/** Literal inputs get negative indices into `lits`. */
interface Plan {
  steps: Step[];
  lits: NdArray[];
  inRegs: number[];
  outRegs: number[];
  registers: number;
}

/** Assigns registers by liveness: one pass for last uses, one to allocate. */
function plan(jaxpr: Jaxpr): Plan {
  const lastUse = new Map<Var, number>();
  const eqns = jaxpr.eqns;
  const END = eqns.length;
  for (let k = 0; k < eqns.length; k++) {
    for (const a of eqns[k].inputs) if (a instanceof Var) lastUse.set(a, k);
  }
  for (const a of jaxpr.outs) if (a instanceof Var) lastUse.set(a, END);
  const reg = new Map<Var, number>();
  const free: number[] = [];
  let registers = 0;
  const alloc = (v: Var): number => {
    const r = free.length > 0 ? free.pop()! : registers++;
    reg.set(v, r);
    return r;
  };
  const lits: NdArray[] = [];
  const litIndex = new Map<Lit, number>();
  const read = (a: Atom): number => {
    if (a instanceof Lit) {
      let i = litIndex.get(a);
      if (i === undefined) {
        i = lits.length;
        lits.push(scalar(a.value, a.aval.dtype));
        litIndex.set(a, i);
      }
      return -1 - i;
    }
    const r = reg.get(a);
    if (r === undefined) {
      throw new TypeError("jit compile: a variable is used before it is defined");
    }
    return r;
  };
  const inRegs = [...jaxpr.constvars, ...jaxpr.invars].map((v) => {
    const r = alloc(v);
    if (!lastUse.has(v)) free.push(r);
    return r;
  });
  const steps: Step[] = [];
  // values whose buffers may be recycled after their last use (pool.ts)
  const pooled = new Set<Var>();
  for (const e of eqns) {
    if (e.kind === "call" || (e.kind === "primitive" && POOLED_PRODUCERS.has(e.primitive))) {
      for (const v of e.outs) pooled.add(v);
    }
  }
  for (const e of eqns) {
    if (e.kind !== "primitive" && e.kind !== "call") {
      for (const a of e.inputs) if (a instanceof Var) pooled.delete(a);
    }
  }
  for (let k = 0; k < eqns.length; k++) {
    const e = eqns[k];
    const ins = e.inputs.map(read);
    const release: number[] = [];
    for (const a of e.inputs) {
      if (a instanceof Var && pooled.has(a) && lastUse.get(a) === k && reg.has(a)) {
        const r = reg.get(a)!;
        if (!release.includes(r)) release.push(r);
      }
    }
    // free the inputs whose last use is here before allocating outputs (in-place slot reuse)
    for (const a of e.inputs) {
      if (a instanceof Var && lastUse.get(a) === k && reg.has(a)) {
        free.push(reg.get(a)!);
        reg.delete(a);
      }
    }
    const outs = e.outs.map((v) => alloc(v));
    const dead: number[] = [];
    for (const v of e.outs) {
      if (!lastUse.has(v)) {
        free.push(reg.get(v)!);
        if (pooled.has(v)) dead.push(reg.get(v)!);
      }
    }
    const extra = release.length > 0 || dead.length > 0
      ? {
        release: {
          before: release,
          after: dead,
          live: [...new Set(reg.values())].filter((r) => !free.includes(r)),
        },
      }
      : {};
    if (e.kind === "primitive") {
      steps.push({ kind: "primitive", fn: e.prim, params: e.params, ins, outs, ...extra });
    } else if (e.kind === "call") {
      steps.push({ kind: "call", fn: e.call, params: e.params, ins, outs, ...extra });
    } else if (e.kind === "custom_call") {
      steps.push({ kind: "custom", fn: e.call, params: undefined, ins, outs });
    } else {
      // a linearized program evaluated forward (linearize's jvp) through a customVjp step
      throw new TypeError(
        `Cannot evaluate the linearized function forward through '${e.call.name}', a customVjp function: it has only a reverse-mode rule`,
      );
    }
  }
  const outRegs = jaxpr.outs.map(read);
  return { steps, lits, inRegs, outRegs, registers };
}

/** Refuses complex operands of primitives whose kernels do not handle them (as eval does). */
function checkComplex(jaxpr: Jaxpr): void {
  for (const e of jaxpr.eqns) {
    if (e.kind !== "primitive" || e.prim.complex === true) continue;
    for (const a of e.inputs) {
      if (isComplex(a.aval.dtype)) {
        throw new TypeError(
          `Primitive '${e.primitive}' does not support complex operands yet: got ${a.aval.dtype}`,
        );
      }
    }
  }
}

let codegenAllowed: boolean | null = null;

/** Whether `new Function` works here (a strict CSP forbids it). */
function canGenerate(): boolean {
  if (codegenAllowed === null) {
    try {
      codegenAllowed = new Function("return 1")() === 1;
    } catch {
      codegenAllowed = false;
    }
  }
  return codegenAllowed;
}

const reg = (i: number): string => (i < 0 ? `L[${-1 - i}]` : `R[${i}]`);

/** Generated source: one chunk function per {@linkcode CHUNK} steps, and a driver. */
function emit(p: Plan): string {
  const src: string[] = [];
  const chunks = Math.max(1, Math.ceil(p.steps.length / CHUNK));
  const pooled = p.steps.some((s) => s.release !== undefined);
  for (let c = 0; c < chunks; c++) {
    src.push(`function c${c}(R) {`);
    const end = Math.min(p.steps.length, (c + 1) * CHUNK);
    for (let k = c * CHUNK; k < end; k++) {
      const s = p.steps[k];
      const args = `[${s.ins.map(reg).join(", ")}]`;
      const rel = s.release;
      if (pooled && s.kind === "custom") {
        // user code may keep what it reads
        s.ins.forEach((r) => r >= 0 && src.push(`  P.pin(R[${r}]);`));
      }
      if (rel !== undefined) {
        src.push(`  {`);
        rel.before.forEach((r, i) => src.push(`  const d${i} = R[${r}];`));
      }
      if (s.kind === "primitive") {
        src.push(`  R[${s.outs[0]}] = F[${k}].impl(${args}, K[${k}]);`);
      } else {
        const call = s.kind === "call" ? `F[${k}].impl(${args}, K[${k}])` : `F[${k}].f(${args})`;
        src.push(`  { const o = ${call};`);
        s.outs.forEach((r, i) => src.push(`    R[${r}] = o[${i}];`));
        src.push(`  }`);
      }
      // a producer that may keep its outputs (a cache, user code): their buffers never return
      const keeps = pooled && (s.kind === "custom" ||
        (s.kind === "primitive" && !POOLED_PRODUCERS.has((s.fn as { name: string }).name)));
      if (keeps) s.outs.forEach((r) => src.push(`  P.pin(R[${r}]);`));
      if (rel !== undefined) {
        rel.before.forEach((_, i) => src.push(`  P.release(d${i}, R, V[${k}]);`));
        rel.after.forEach((r) => src.push(`  P.release(R[${r}], R, V[${k}]);`));
        src.push(`  }`);
      }
    }
    src.push(`}`);
  }
  src.push(`return function run(args) {`);
  src.push(`  const R = new Array(${p.registers});`);
  p.inRegs.forEach((r, i) => src.push(`  R[${r}] = args[${i}];`));
  if (pooled) src.push(`  const st = P.begin();`, `  try {`);
  for (let c = 0; c < chunks; c++) src.push(`  c${c}(R);`);
  src.push(`  return [${p.outRegs.map(reg).join(", ")}];`);
  if (pooled) src.push(`  } finally {`, `    P.end(st);`, `  }`);
  src.push(`};`);
  return src.join("\n");
}

/** The interpreter of a plan: the fallback where code generation is forbidden. */
function interpret(p: Plan): (args: readonly NdArray[]) => NdArray[] {
  const { steps, lits, inRegs, outRegs, registers } = p;
  const get = (R: NdArray[], i: number) => (i < 0 ? lits[-1 - i] : R[i]);
  return (args) => {
    const R = new globalThis.Array<NdArray>(registers);
    for (let i = 0; i < inRegs.length; i++) R[inRegs[i]] = args[i];
    for (let k = 0; k < steps.length; k++) {
      const s = steps[k];
      const ins = s.ins.map((i) => get(R, i));
      if (s.kind === "primitive") {
        R[s.outs[0]] = (s.fn as { impl(a: NdArray[], p: unknown): NdArray }).impl(ins, s.params);
      } else {
        const o = s.kind === "call"
          ? (s.fn as { impl(a: NdArray[], p: unknown): NdArray[] }).impl(ins, s.params)
          : (s.fn as { f(a: NdArray[]): NdArray[] }).f(ins);
        for (let i = 0; i < s.outs.length; i++) R[s.outs[i]] = o[i];
      }
    }
    return outRegs.map((i) => get(R, i));
  };
}

/**
 * Compiles a program whose inputs are its constants followed by its
 * inputs. Runs on concrete arrays, with the eval handler current.
 *
 * @param program The program (simplified first: CSE, DCE).
 * @param backend `"js"` (generated code, the default; the interpreter where
 *   code generation is forbidden) or `"interpret"`.
 * @returns The executable.
 */
export function compileJaxpr(program: Jaxpr, backend: "js" | "interpret" = "js"): Executable {
  // a scalar program (simplified by the scalar backend itself, or scalar once its dead code
  // is dropped) has only float64/bool values: nothing complex to refuse
  const scalar = backend === "js" && canGenerate();
  const first = scalar ? compileScalar(program) : null;
  if (first !== null) {
    return { run: first, backend: "js", kind: "scalar", source: "", registers: 0 };
  }
  const jaxpr = simplify(inlineCustomCalls(program));
  const run = scalar && jaxpr !== program ? compileScalar(jaxpr) : null;
  if (run !== null) return { run, backend: "js", kind: "scalar", source: "", registers: 0 };
  checkComplex(jaxpr);
  const loop = scalar ? compileLoopProgram(jaxpr) : null;
  if (loop !== null) return { run: loop, backend: "js", kind: "scalar", source: "", registers: 0 };
  if (backend === "js" && canGenerate()) {
    const p = plan(fuse(jaxpr));
    const source = emit(p);
    const make = new Function("F", "K", "L", "P", "V", source) as (
      F: unknown[],
      K: unknown[],
      L: NdArray[],
      P: BufferPool,
      V: (number[] | undefined)[],
    ) => (args: readonly NdArray[]) => NdArray[];
    const run = make(
      p.steps.map((s) => s.fn),
      p.steps.map((s) => s.params),
      p.lits,
      new BufferPool(),
      p.steps.map((s) => s.release?.live),
    );
    return { run, backend: "js", kind: "kernels", source, registers: p.registers };
  }
  const p = plan(jaxpr);
  return {
    run: interpret(p),
    backend: "interpret",
    kind: "kernels",
    source: "",
    registers: p.registers,
  };
}
