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

/** Expression templates on float64 operands (`$0`, `$1`, `$2`), as the kernels compute them. */
const F64: Record<string, string> = {
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

/** Comparisons: float64 or bool operands, bool result. */
const CMP: Record<string, string> = {
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

/**
 * Compiles a program of 0-d float64/bool values to code on numbers, or
 * returns `null` if some value or equation is outside the backend.
 *
 * One loop over the equations writes the source. A value read only in the
 * chunk function defining it is a `const` local there (a register of V8's
 * interpreter); a value read by a later chunk, or returned, is also stored
 * at the end of its chunk into a slot of one `Float64Array` register file,
 * which later chunks read. Templates are looked up once per primitive and
 * operand kinds, literals printed once per value; nothing per equation but
 * the line of source.
 *
 * @param jaxpr The program; its inputs are its constants followed by its inputs.
 * @returns `run(args) ↦ outputs`, or `null`.
 */
export function compileScalar(jaxpr: Jaxpr): ((args: readonly NdArray[]) => NdArray[]) | null {
  const vars: Var[] = [...jaxpr.constvars, ...jaxpr.invars];
  const nIn = vars.length;
  for (let n = 0; n < nIn; n++) {
    if (scalarKind(vars[n]) < 0) return null;
    vars[n].n = n;
  }
  for (const a of jaxpr.outs) if (scalarKind(a) < 0) return null;
  const eqns = jaxpr.eqns;
  const chunks = Math.ceil(eqns.length / SCALAR_CHUNK);
  const slot = new Int32Array(nIn + eqns.length).fill(-1);
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
  const byPrim = new Map<Primitive<unknown>, (Parts | null | undefined)[]>();
  const litText = new Map<number, string>();
  const lit = (v: number): string => {
    if (v === 0) return Object.is(v, -0) ? "(-0)" : "0";
    let t = litText.get(v);
    if (t === undefined) {
      t = num(v);
      if (t.charCodeAt(0) === 45) t = `(${t})`; // a leading "-" would merge with a unary minus
      litText.set(v, t);
    }
    return t;
  };
  const bodies: string[] = new globalThis.Array(chunks);
  for (let c = 0; c < chunks; c++) {
    let body = `function c${c}(R) {\n`;
    const end = Math.min(eqns.length, (c + 1) * SCALAR_CHUNK);
    for (let k = c * SCALAR_CHUNK; k < end; k++) {
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
      let parts: Parts | null | undefined;
      if (e.primitive === "integer_pow") {
        const t = template(e);
        parts = t === null ? null : partsOf(t);
      } else {
        let row = byPrim.get(e.prim);
        if (row === undefined) {
          row = [];
          byPrim.set(e.prim, row);
        }
        parts = row[mask];
        if (parts === undefined) {
          const t = template(e);
          parts = t === null ? null : partsOf(t);
          row[mask] = parts;
        }
      }
      if (parts === null) return null;
      let expr = parts[0] as string;
      for (let i = 1; i < parts.length; i += 2) {
        const a = ins[parts[i] as number];
        let operand: string;
        if (a instanceof Lit) operand = lit(a.value);
        else {
          const n = a.n;
          if (n < 0 || n >= nIn + k || vars[n] !== a) {
            throw new TypeError("jit compile: a variable is used before it is defined");
          }
          const d = n - nIn - c * SCALAR_CHUNK;
          if (d >= 0) operand = LOCALS[d];
          else {
            const r = slot[n];
            operand = slotText[r < 0 ? newSlot(n) : r];
          }
        }
        expr += operand + (parts[i + 1] as string);
      }
      out.n = nIn + k;
      vars.push(out);
      body += `  const ${LOCALS[k - c * SCALAR_CHUNK]} = ${expr};\n`;
    }
    bodies[c] = body;
  }
  const outs = jaxpr.outs.map((a) => {
    if (a instanceof Lit) return `M(${num(a.value)}, "${a.aval.dtype}")`;
    const n = a.n;
    if (n < 0 || n >= vars.length || vars[n] !== a) {
      throw new TypeError("jit compile: a variable is used before it is defined");
    }
    const r = slot[n];
    return `M(${slotText[r < 0 ? newSlot(n) : r]}, "${a.aval.dtype}")`;
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
