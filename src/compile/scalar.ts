/**
 * The scalar backend: a program whose values are all 0-d `float64` or
 * `bool` arrays, built from the elementwise primitives below, becomes
 * straight-line JavaScript on plain numbers (`Math.sin`, `a * b`, ...) —
 * one register file (a `Float64Array` slot per live value, reused by
 * liveness) and chunk functions of at most {@linkcode SCALAR_CHUNK}
 * equations so V8 keeps optimising them. Each expression is the one the
 * elementwise kernels run on float64 storage (the same `Math` functions and
 * the same helpers, `kernels/elementwise.ts`' `scalarHelpers`), so results
 * are bit-identical to eager.
 *
 * @module
 */

import type { NdArray } from "../array/array.ts";
import { storageOf } from "../array/array.ts";
import { scalar } from "../array/create.ts";
import { scalarHelpers } from "../array/kernels/elementwise.ts";
import type { DType } from "../array/dtype.ts";
import { type Atom, type Jaxpr, Lit, type Var } from "../core/ir.ts";
import type { Primitive } from "../core/primitive.ts";

/** Most equations per generated chunk function. */
export const SCALAR_CHUNK = 200;

const MATH_UNARY = [
  "abs",
  "sqrt",
  "exp",
  "expm1",
  "log",
  "log1p",
  "sin",
  "cos",
  "tan",
  "asin",
  "acos",
  "atan",
  "sinh",
  "cosh",
  "tanh",
  "asinh",
  "acosh",
  "atanh",
  "floor",
  "ceil",
];

/**
 * Expression templates on float64 operands (`$0`, `$1`, `$2`), as the kernels
 * compute them (internal: `loops.ts` builds its per-dtype templates on them).
 */
export const F64: Record<string, string> = {
  neg: "-$0",
  sign: "($0 > 0 ? 1 : $0 < 0 ? -1 : $0 === 0 ? 0 : $0)",
  round: "H.roundHalfEven($0)",
  add: "$0 + $1",
  sub: "$0 - $1",
  mul: "$0 * $1",
  div: "$0 / $1",
  rem: "$0 % $1",
  pow: "H.floatPow($0, $1)",
  max: "($0 > $1 || $0 !== $0 ? $0 : $1)",
  min: "($0 < $1 || $0 !== $0 ? $0 : $1)",
  atan2: "Math.atan2($0, $1)",
  floor_divide: "H.floorDivide($0, $1)",
  stop_gradient: "$0",
};
for (const op of MATH_UNARY) F64[op] = `Math.${op}($0)`;

/** Comparisons: float64 or bool operands, bool result (internal: `loops.ts` too). */
export const CMP: Record<string, string> = {
  eq: "($0 === $1 ? 1 : 0)",
  ne: "($0 !== $1 ? 1 : 0)",
  lt: "($0 < $1 ? 1 : 0)",
  le: "($0 <= $1 ? 1 : 0)",
  gt: "($0 > $1 ? 1 : 0)",
  ge: "($0 >= $1 ? 1 : 0)",
};

/** On bool operands. */
const BOOL: Record<string, string> = {
  and: "($0 !== 0 && $1 !== 0 ? 1 : 0)",
  or: "($0 !== 0 || $1 !== 0 ? 1 : 0)",
  not: "($0 === 0 ? 1 : 0)",
  eq: CMP.eq,
  ne: CMP.ne,
  stop_gradient: "$0",
};

const isScalar = (a: Atom) =>
  a.aval.shape.length === 0 && (a.aval.dtype === "float64" || a.aval.dtype === "bool");

/** The expression template of a 0-d equation, or `null` if the backend does not cover it. */
function template(e: Jaxpr["eqns"][number]): string | null {
  if (e.kind !== "primitive") return null;
  if (!e.inputs.every((a) => isScalar(a)) || !isScalar(e.outs[0])) return null;
  return elementwiseTemplate(e);
}

/**
 * The per-element expression (`$0`, `$1`, ... for the operands) of an
 * elementwise equation on float64/bool values, exactly as the kernels
 * compute it on float64 storage; `null` if not covered. Shapes are not
 * checked (the scalar backend and loop fusion check their own).
 *
 * @param e An equation.
 * @returns The template, or `null`.
 */
export function elementwiseTemplate(e: Jaxpr["eqns"][number]): string | null {
  if (e.kind !== "primitive") return null;
  const ins = e.inputs, out = e.outs[0];
  const fb = (a: Atom) => a.aval.dtype === "float64" || a.aval.dtype === "bool";
  if (!ins.every(fb) || !fb(out)) return null;
  const name = e.primitive;
  const allF = ins.every((a) => a.aval.dtype === "float64");
  const allB = ins.every((a) => a.aval.dtype === "bool");
  if (out.aval.dtype === "float64") {
    if (allF && F64[name] !== undefined) return F64[name];
    if (name === "integer_pow" && allF) {
      const y = (e.params as { y: number }).y;
      return `H.floatPow($0, ${y})`;
    }
    if (name === "select" && ins[0].aval.dtype === "bool" && ins[1].aval.dtype === "float64") {
      return "($0 !== 0 ? $1 : $2)";
    }
    if (name === "convert_element_type" && ins.length === 1) return "$0"; // f64 or bool (0/1)
    return null;
  }
  // bool result
  if (CMP[name] !== undefined && (allF || allB)) return CMP[name];
  if (allB && BOOL[name] !== undefined) return BOOL[name];
  if (name === "convert_element_type" && allF) return "($0 !== 0 ? 1 : 0)";
  if (name === "select" && allB) return "($0 !== 0 ? $1 : $2)";
  return null;
}

/**
 * A number as JavaScript source (`NaN`, `-0`, `Infinity` included).
 *
 * @param x The value (booleans as 0/1).
 * @returns Its source text.
 */
export const num = (x: number | boolean): string => {
  const v = Number(x);
  return Number.isNaN(v)
    ? "NaN"
    : v === Infinity
    ? "Infinity"
    : v === -Infinity
    ? "-Infinity"
    : Object.is(v, -0)
    ? "-0"
    : String(v);
};

/** A template split at its operands: text, operand index, text, ... (`$0 + $1` is `["", 0, " + ", 1, ""]`). */
type Parts = (string | number)[];

const partsCache = new Map<string, Parts>();

function partsOf(template: string): Parts {
  let p = partsCache.get(template);
  if (p === undefined) {
    p = [];
    let last = 0;
    for (const m of template.matchAll(/\$(\d)/g)) {
      p.push(template.slice(last, m.index), Number(m[1]));
      last = m.index + m[0].length;
    }
    p.push(template.slice(last));
    partsCache.set(template, p);
  }
  return p;
}

/** `v0` … `v{SCALAR_CHUNK - 1}`: the names of a chunk's locals. */
const LOCALS: string[] = globalThis.Array.from({ length: SCALAR_CHUNK }, (_, i) => `v${i}`);

/** 0 for a 0-d float64 value, 1 for a 0-d bool, -1 otherwise. */
function scalarKind(a: Atom): number {
  if (a.aval.shape.length !== 0) return -1;
  const d = a.aval.dtype;
  return d === "float64" ? 0 : d === "bool" ? 1 : -1;
}

// ---------------------------------------------------------------------------
// Lowering: one pass over the program's objects; then CSE and DCE on integers

/**
 * A scalar program as integers: inputs are values `0 … nIn-1`, equation `k`
 * defines value `nIn + k` by operation `ops[k]` (a template) on
 * `arity[k]` operands, each a value number or `-1 - i` for literal `i`.
 */
interface Lowered {
  nIn: number;
  /** Per equation, its operation: an index into the templates. */
  ops: Int32Array;
  /** Per equation, its number of operands (at most 3). */
  arity: Uint8Array;
  /** Per equation, three operand slots. */
  operands: Int32Array;
  /** Distinct literal values (0 and -0 apart). */
  lits: number[];
  /** Per output, a value number or `-1 - i` for literal `i`. */
  outs: Int32Array;
  /** Per output, its dtype. */
  outDTypes: DType[];
  /** Per value, the last equation reading it (`END` for outputs, -1 if never read). */
  lastUse: Int32Array;
}

const END = 0x3fffffff;

/** The interpreter's template of `integer_pow` (the exponent is a literal operand). */
const POW_TEMPLATE = "H.floatPow($0, $1)";

/** Checks and numbers the program in one pass over its objects, or `null` if it is not scalar. */
function lower(jaxpr: Jaxpr): Lowered | null {
  const eqns = jaxpr.eqns;
  const m = eqns.length;
  const nc = jaxpr.constvars.length;
  const nIn = nc + jaxpr.invars.length;
  const vars: Var[] = [];
  for (let n = 0; n < nIn; n++) {
    const v = n < nc ? jaxpr.constvars[n] : jaxpr.invars[n - nc];
    if (scalarKind(v) < 0) return null;
    v.n = n;
    vars.push(v);
  }
  for (const a of jaxpr.outs) if (scalarKind(a) < 0) return null;
  const ops = new Int32Array(m);
  const arity = new Uint8Array(m);
  const operands = new Int32Array(3 * m);
  const lits: number[] = [];
  const litIndex = new Map<number, number>();
  let negZero = -1;
  const lit = (v: number): number => {
    if (Object.is(v, -0)) {
      if (negZero < 0) negZero = lits.push(v) - 1;
      return -1 - negZero;
    }
    let i = litIndex.get(v);
    if (i === undefined) {
      i = lits.push(v) - 1;
      litIndex.set(v, i);
    }
    return -1 - i;
  };
  const byPrim = new Map<Primitive<unknown>, Int32Array>(); // operation by operand kinds, -2 unknown
  for (let k = 0; k < m; k++) {
    const e = eqns[k];
    if (e.kind !== "primitive" || e.outs.length !== 1) return null;
    const ins = e.inputs, out = e.outs[0];
    // the template, by primitive and operand kinds
    let mask = scalarKind(out);
    if (mask < 0 || ins.length > 3) return null;
    for (let i = 0; i < ins.length; i++) {
      const kind = scalarKind(ins[i]);
      if (kind < 0) return null;
      mask |= kind << (i + 1);
    }
    mask |= ins.length << 4;
    let row = byPrim.get(e.prim);
    if (row === undefined) {
      row = new Int32Array(64).fill(-2);
      byPrim.set(e.prim, row);
    }
    let op = row[mask];
    const pow = e.primitive === "integer_pow";
    if (op === -2) {
      const t = template(e);
      op = t === null ? -1 : opOf(pow ? POW_TEMPLATE : t);
      row[mask] = op;
    }
    if (op < 0) return null;
    ops[k] = op;
    arity[k] = pow ? 2 : ins.length;
    for (let i = 0; i < ins.length; i++) {
      const a = ins[i];
      if (a instanceof Lit) {
        operands[3 * k + i] = lit(a.value);
        continue;
      }
      const n = a.n;
      if (n < 0 || n >= nIn + k || vars[n] !== a) {
        throw new TypeError("jit compile: a variable is used before it is defined");
      }
      operands[3 * k + i] = n;
    }
    if (pow) operands[3 * k + 1] = lit((e.params as { y: number }).y);
    out.n = nIn + k;
    vars.push(out);
  }
  const outs = new Int32Array(jaxpr.outs.length);
  const outDTypes: DType[] = [];
  jaxpr.outs.forEach((a, i) => {
    outDTypes.push(a.aval.dtype);
    if (a instanceof Lit) {
      outs[i] = lit(a.value);
      return;
    }
    const n = a.n;
    if (n < 0 || n >= vars.length || vars[n] !== a) {
      throw new TypeError("jit compile: a variable is used before it is defined");
    }
    outs[i] = n;
  });
  return simplifyLowered({
    nIn,
    ops,
    arity,
    operands,
    lits,
    outs,
    outDTypes,
    lastUse: new Int32Array(0),
  });
}

/**
 * CSE and DCE of a lowered program, on its integer arrays only (no pass over
 * the program's objects, whose pointer chasing dominates on long programs):
 * an equation applying the same template to the same operands as an earlier
 * one reuses its value (the same expression on the same numbers: the same
 * bits); equations nothing reads are dropped. Returns the program compacted,
 * with last uses.
 */
function simplifyLowered(l: Lowered): Lowered {
  const { nIn, ops, arity, operands, outs } = l;
  const m = ops.length;
  const rep = new Int32Array(nIn + m);
  for (let v = 0; v < rep.length; v++) rep[v] = v;
  const alive = new Uint8Array(m);
  let cap = 16;
  while (cap < 2 * m) cap *= 2;
  const mask = cap - 1;
  const table = new Int32Array(cap); // 1 + an equation defining a distinct value; 0 empty
  for (let k = 0; k < m; k++) {
    const ar = arity[k], base = 3 * k;
    let h = Math.imul(ops[k] + 1, 0x85ebca6b);
    for (let i = 0; i < ar; i++) {
      let v = operands[base + i];
      if (v >= 0) operands[base + i] = v = rep[v];
      h = Math.imul(h ^ v, 0x27d4eb2f) + i;
      h ^= h >>> 13;
    }
    h = Math.imul(h ^ (h >>> 16), 0x45d9f3b);
    h ^= h >>> 16;
    let slot = h & mask, same = -1;
    for (let t = table[slot]; t !== 0; t = table[slot]) {
      const j = t - 1;
      if (ops[j] === ops[k] && arity[j] === ar) {
        let eq = true;
        for (let i = 0; eq && i < ar; i++) eq = operands[3 * j + i] === operands[base + i];
        if (eq) {
          same = j;
          break;
        }
      }
      slot = (slot + 1) & mask;
    }
    if (same >= 0) rep[nIn + k] = nIn + same;
    else {
      table[slot] = k + 1;
      alive[k] = 1;
    }
  }
  // DCE: one backward pass from the outputs
  const live = new Uint8Array(nIn + m);
  for (let i = 0; i < outs.length; i++) {
    if (outs[i] >= 0) live[outs[i] = rep[outs[i]]] = 1;
  }
  let kept = 0;
  for (let k = m - 1; k >= 0; k--) {
    if (alive[k] === 0) continue;
    if (live[nIn + k] === 0) {
      alive[k] = 0;
      continue;
    }
    kept++;
    for (let i = 0; i < arity[k]; i++) {
      const v = operands[3 * k + i];
      if (v >= 0) live[v] = 1;
    }
  }
  // compact, renumbering values, and find last uses
  const index = new Int32Array(nIn + m);
  for (let v = 0; v < nIn; v++) index[v] = v;
  const ops2 = new Int32Array(kept), arity2 = new Uint8Array(kept);
  const operands2 = new Int32Array(3 * kept);
  const lastUse = new Int32Array(nIn + kept).fill(-1);
  let j = 0;
  for (let k = 0; k < m; k++) {
    if (alive[k] === 0) continue;
    ops2[j] = ops[k];
    const ar = (arity2[j] = arity[k]);
    for (let i = 0; i < ar; i++) {
      const v = operands[3 * k + i];
      if (v < 0) operands2[3 * j + i] = v;
      else {
        const w = index[v];
        operands2[3 * j + i] = w;
        lastUse[w] = j;
      }
    }
    index[nIn + k] = nIn + j;
    j++;
  }
  for (let i = 0; i < outs.length; i++) {
    if (outs[i] >= 0) lastUse[outs[i] = index[outs[i]]] = END;
  }
  return { ...l, ops: ops2, arity: arity2, operands: operands2, lastUse };
}

// ---------------------------------------------------------------------------
// Tier 1: a register machine over the program (no code generated per program)

/** The interpreter's operations: each template, by number (`integer_pow` as {@linkcode POW_TEMPLATE}). */
const opTemplates: string[] = [];
const opIds = new Map<string, number>();
let interpreter: ((code: Int32Array, R: Float64Array) => void) | null = null;

function opOf(template: string): number {
  let i = opIds.get(template);
  if (i === undefined) {
    i = opTemplates.push(template) - 1;
    opIds.set(template, i);
    interpreter = null; // regenerated with the new case
  }
  return i;
}
for (
  const t of [
    ...Object.values(F64),
    ...Object.values(CMP),
    ...Object.values(BOOL),
    "($0 !== 0 ? $1 : $2)",
    "$0",
    "($0 !== 0 ? 1 : 0)",
    POW_TEMPLATE,
  ]
) opOf(t);

/**
 * The interpreter: one loop over the code (five integers per equation:
 * operation, result register, three operand registers) with one `case` per
 * template, generated once per process from the templates themselves, so it
 * computes every expression exactly as the generated code and the kernels.
 */
function interpreterFn(): (code: Int32Array, R: Float64Array) => void {
  if (interpreter === null) {
    let cases = "";
    opTemplates.forEach((t, i) => {
      const p = partsOf(t);
      let expr = p[0] as string;
      for (let j = 1; j < p.length; j += 2) {
        expr += `R[${"abc"[p[j] as number]}]` + (p[j + 1] as string);
      }
      cases += `      case ${i}: R[d] = ${expr}; break;\n`;
    });
    const src = `return function interpret(code, R) {
  const n = code.length;
  for (let p = 0; p < n; p += 5) {
    const d = code[p + 1], a = code[p + 2], b = code[p + 3], c = code[p + 4];
    switch (code[p]) {
${cases}    }
  }
};`;
    interpreter = new Function("H", src)(scalarHelpers) as (
      code: Int32Array,
      R: Float64Array,
    ) => void;
  }
  return interpreter;
}

/** The program as interpreter code over a register file reused by liveness. */
function interpreted(l: Lowered): (args: readonly NdArray[]) => NdArray[] {
  const { nIn, ops, arity, operands, lits, outs, outDTypes } = l;
  const lastUse = l.lastUse.slice(); // marked as registers are freed
  const m = ops.length;
  const reg = new Int32Array(nIn + m);
  const free: number[] = [];
  let size = 0;
  const alloc = () => (free.length > 0 ? free.pop()! : size++);
  const inRegs: number[] = [], inArgs: number[] = [];
  for (let n = 0; n < nIn; n++) {
    if (lastUse[n] < 0) continue;
    reg[n] = alloc();
    inRegs.push(reg[n]);
    inArgs.push(n);
  }
  const code = new Int32Array(5 * m);
  for (let k = 0; k < m; k++) {
    const ar = arity[k];
    code[5 * k] = ops[k];
    for (let i = 0; i < ar; i++) {
      const v = operands[3 * k + i];
      code[5 * k + 2 + i] = v < 0 ? v : reg[v];
    }
    // registers of values last read here are free for the result
    for (let i = 0; i < ar; i++) {
      const v = operands[3 * k + i];
      if (v >= 0 && lastUse[v] === k) {
        lastUse[v] = -2; // freed once, even if read twice here
        free.push(reg[v]);
      }
    }
    const d = alloc();
    reg[nIn + k] = d;
    code[5 * k + 1] = d;
    if (lastUse[nIn + k] === -1) free.push(d); // never read
  }
  // literals live after the values
  for (let p = 0; p < code.length; p++) if (code[p] < 0) code[p] = size - 1 - code[p];
  const R = new Float64Array(size + lits.length);
  for (let i = 0; i < lits.length; i++) R[size + i] = lits[i];
  const outRegs = globalThis.Array.from(outs, (v) => (v < 0 ? size - 1 - v : reg[v]));
  const interpret = interpreterFn();
  return (args) => {
    for (let i = 0; i < inRegs.length; i++) R[inRegs[i]] = storageOf(args[inArgs[i]])[0];
    interpret(code, R);
    const res = new globalThis.Array<NdArray>(outRegs.length);
    for (let i = 0; i < outRegs.length; i++) res[i] = scalar(R[outRegs[i]], outDTypes[i]);
    return res;
  };
}

// ---------------------------------------------------------------------------
// Tier 2: straight-line code

/**
 * The program as straight-line JavaScript, or `null` if V8 refuses it.
 *
 * One loop over the equations writes the source. A value read only in the
 * chunk function defining it is a `const` local there (a register of V8's
 * interpreter); a value read by a later chunk, or returned, is also stored
 * at the end of its chunk into a slot of one `Float64Array` register file,
 * which later chunks read. Literals are printed once per value.
 */
function generated(l: Lowered): ((args: readonly NdArray[]) => NdArray[]) | null {
  const { nIn, ops, operands, lits } = l;
  const m = ops.length;
  const opParts = opTemplates.map(partsOf);
  const chunks = Math.ceil(m / SCALAR_CHUNK);
  const slot = new Int32Array(nIn + m).fill(-1);
  const slotText: string[] = [];
  const epilogue: string[] = new globalThis.Array(chunks).fill("");
  const head: string[] = [];
  const newSlot = (n: number): number => {
    const r = slotText.length;
    slotText.push(`R[${r}]`);
    slot[n] = r;
    if (n < nIn) head.push(`  R[${r}] = S(args[${n}])[0];`);
    else {
      const k = n - nIn, c = Math.floor(k / SCALAR_CHUNK);
      epilogue[c] += `  R[${r}] = ${LOCALS[k - c * SCALAR_CHUNK]};\n`;
    }
    return r;
  };
  const litText = lits.map((v) => {
    const t = num(v);
    return t.charCodeAt(0) === 45 ? `(${t})` : t; // a leading "-" would merge with a unary minus
  });
  const bodies: string[] = new globalThis.Array(chunks);
  for (let c = 0; c < chunks; c++) {
    let body = `function c${c}(R) {\n`;
    const end = Math.min(m, (c + 1) * SCALAR_CHUNK);
    for (let k = c * SCALAR_CHUNK; k < end; k++) {
      const p = opParts[ops[k]];
      let expr = p[0] as string;
      for (let i = 1; i < p.length; i += 2) {
        const v = operands[3 * k + (p[i] as number)];
        let operand: string;
        if (v < 0) operand = litText[-1 - v];
        else {
          const d = v - nIn - c * SCALAR_CHUNK;
          if (d >= 0) operand = LOCALS[d];
          else {
            const r = slot[v];
            operand = slotText[r < 0 ? newSlot(v) : r];
          }
        }
        expr += operand + (p[i + 1] as string);
      }
      body += `  const ${LOCALS[k - c * SCALAR_CHUNK]} = ${expr};\n`;
    }
    bodies[c] = body;
  }
  const outs = globalThis.Array.from(l.outs, (v, i) => {
    const dtype = l.outDTypes[i];
    if (v < 0) return `M(${num(lits[-1 - v])}, "${dtype}")`;
    const r = slot[v];
    return `M(${slotText[r < 0 ? newSlot(v) : r]}, "${dtype}")`;
  });
  let src = "";
  for (let c = 0; c < chunks; c++) src += bodies[c] + epilogue[c] + "}\n";
  src += `const R = new Float64Array(${Math.max(1, slotText.length)});\n`;
  src += `return function run(args) {\n${head.join("\n")}\n`;
  for (let c = 0; c < chunks; c++) src += `  c${c}(R);\n`;
  src += `  return [${outs.join(", ")}];\n};`;
  try {
    const make = new Function("H", "S", "M", src) as (
      H: typeof scalarHelpers,
      S: typeof storageOf,
      M: typeof scalar,
    ) => (args: readonly NdArray[]) => NdArray[];
    return make(scalarHelpers, storageOf, scalar);
  } catch {
    return null;
  }
}

/** Programs of at most this many equations get straight-line code on their first call. */
export const SCALAR_EAGER_CODE = 256;
/**
 * Longer programs are interpreted for their first calls and get straight-line
 * code from call `max(SCALAR_HOT_CALLS, equations / 64)` on: V8 spends about
 * a microsecond per equation parsing and compiling it, which optimised
 * straight-line code (up to 4× faster than the interpreter on cheap
 * arithmetic, as fast on transcendental functions) repays over a few hundred
 * calls; a very long program waits proportionally longer.
 */
export const SCALAR_HOT_CALLS = 32;

/**
 * Compiles a program of 0-d float64/bool values to code on numbers, or
 * returns `null` if some value or equation is outside the backend. One pass
 * over the program's objects lowers it to integers (an operation and operand
 * numbers per equation); CSE and DCE run on those.
 *
 * Two tiers, as V8 itself has: a short program becomes straight-line
 * JavaScript at once (chunk functions of {@linkcode SCALAR_CHUNK}
 * equations); a long one first runs on a register-machine interpreter —
 * one cheap pass writes its code, so the first call of a 100 000-equation
 * program pays no parse or compile of megabytes of source — and becomes
 * straight-line code once it has been called often (see
 * {@linkcode SCALAR_HOT_CALLS}). Both tiers compute each
 * equation with the same expression, so they agree bit for bit.
 *
 * @param jaxpr The program; its inputs are its constants followed by its inputs.
 * @returns `run(args) ↦ outputs`, or `null`.
 */
export function compileScalar(jaxpr: Jaxpr): ((args: readonly NdArray[]) => NdArray[]) | null {
  const l = lower(jaxpr);
  if (l === null) return null;
  const m = l.ops.length;
  if (m <= SCALAR_EAGER_CODE) {
    const g = generated(l);
    if (g !== null) return g;
  }
  const slow = interpreted(l);
  if (m <= SCALAR_EAGER_CODE) return slow;
  const hot = Math.max(SCALAR_HOT_CALLS, Math.ceil(m / 64));
  let run = slow, calls = 0;
  let pending: Lowered | null = l;
  return (args) => {
    if (pending !== null && ++calls >= hot) {
      run = generated(pending) ?? slow;
      pending = null;
    }
    return run(args);
  };
}
