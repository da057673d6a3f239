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
import { type Atom, type Jaxpr, Lit, Var } from "../core/ir.ts";

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

/**
 * Compiles a program of 0-d float64/bool values to code on numbers, or
 * returns `null` if some value or equation is outside the backend.
 *
 * @param jaxpr The program; its inputs are its constants followed by its inputs.
 * @returns `run(args) ↦ outputs`, or `null`.
 */
export function compileScalar(jaxpr: Jaxpr): ((args: readonly NdArray[]) => NdArray[]) | null {
  const inVars = [...jaxpr.constvars, ...jaxpr.invars];
  if (!inVars.every((v) => isScalar(v))) return null;
  if (!jaxpr.outs.every((a) => isScalar(a))) return null;
  const eqns = jaxpr.eqns;
  const templates: string[] = [];
  for (const e of eqns) {
    const t = template(e);
    if (t === null) return null;
    templates.push(t);
  }
  // registers by liveness
  const lastUse = new Map<Var, number>();
  for (let k = 0; k < eqns.length; k++) {
    for (const a of eqns[k].inputs) if (a instanceof Var) lastUse.set(a, k);
  }
  for (const a of jaxpr.outs) if (a instanceof Var) lastUse.set(a, eqns.length);
  const reg = new Map<Var, number>();
  const free: number[] = [];
  let size = 0;
  const alloc = (v: Var) => {
    const r = free.length > 0 ? free.pop()! : size++;
    reg.set(v, r);
    return r;
  };
  const read = (a: Atom): string => (a instanceof Lit ? `(${num(a.value)})` : `R[${reg.get(a)!}]`);
  const lines: string[] = [];
  const head: string[] = [];
  inVars.forEach((v, i) => {
    const r = alloc(v);
    head.push(`  R[${r}] = S(args[${i}])[0];`);
    if (!lastUse.has(v)) free.push(r);
  });
  for (let k = 0; k < eqns.length; k++) {
    const e = eqns[k];
    const ins = e.inputs.map(read);
    const expr = templates[k].replace(/\$(\d)/g, (_, d) => ins[Number(d)]);
    for (const a of e.inputs) {
      if (a instanceof Var && lastUse.get(a) === k && reg.has(a)) {
        free.push(reg.get(a)!);
        reg.delete(a);
      }
    }
    const o = alloc(e.outs[0]);
    if (!lastUse.has(e.outs[0])) free.push(o);
    lines.push(`  R[${o}] = ${expr};`);
  }
  const src: string[] = [];
  const chunks = Math.ceil(lines.length / SCALAR_CHUNK);
  for (let c = 0; c < chunks; c++) {
    src.push(`function c${c}(R) {`);
    for (let k = c * SCALAR_CHUNK; k < Math.min(lines.length, (c + 1) * SCALAR_CHUNK); k++) {
      src.push(lines[k]);
    }
    src.push(`}`);
  }
  const outs = jaxpr.outs.map((a) =>
    a instanceof Lit
      ? `M(${num(a.value)}, "${a.aval.dtype}")`
      : `M(R[${reg.get(a)!}], "${a.aval.dtype}")`
  );
  src.push(`const R = new Float64Array(${Math.max(1, size)});`);
  src.push(`return function run(args) {`);
  src.push(...head);
  for (let c = 0; c < chunks; c++) src.push(`  c${c}(R);`);
  src.push(`  return [${outs.join(", ")}];`);
  src.push(`};`);
  try {
    const make = new Function("H", "S", "M", src.join("\n")) as (
      H: typeof scalarHelpers,
      S: typeof storageOf,
      M: typeof scalar,
    ) => (args: readonly NdArray[]) => NdArray[];
    return make(scalarHelpers, storageOf, scalar);
  } catch {
    return null;
  }
}
