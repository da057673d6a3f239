/**
 * Loop fusion: consecutive elementwise equations over one shape (float64
 * and bool values; operands of that shape or 0-d) become one generated loop
 * — intermediates stay in locals, only the values read later are written to
 * memory. The per-element expressions are the kernels' own
 * (`scalar.ts`' `elementwiseTemplate`), so results are bit-identical to
 * eager. A group is replaced by one equation calling its kernel; kernel
 * functions are cached by their source text.
 *
 * @module
 */

import { NdArray, storageOf } from "../array/array.ts";
import { allocate } from "../array/dtype.ts";
import { shapesEqual } from "../array/shape.ts";
import { type Atom, type Eqn, Jaxpr, Lit, Var } from "../core/ir.ts";
import type { CallPrimitive } from "../core/primitive.ts";
import { scalarHelpers } from "../array/kernels/elementwise.ts";
import { elementwiseTemplate, num } from "./scalar.ts";

/** Most equations in one fused loop. */
export const MAX_GROUP = 64;

type Kernel = (args: readonly NdArray[]) => NdArray[];
const kernels = new Map<string, Kernel>();

function makeKernel(src: string): Kernel {
  let k = kernels.get(src);
  if (k === undefined) {
    const make = new Function("S", "AL", "A", "H", src) as (
      S: typeof storageOf,
      AL: typeof allocate,
      A: typeof NdArray,
      H: typeof scalarHelpers,
    ) => Kernel;
    k = make(storageOf, allocate, NdArray, scalarHelpers);
    if (kernels.size > 2000) kernels.clear();
    kernels.set(src, k);
  }
  return k;
}

function fusible(e: Eqn): string | null {
  if (e.kind !== "primitive") return null;
  const shape = e.outs[0].aval.shape;
  if (shape.length === 0) return null;
  for (const a of e.inputs) {
    if (a.aval.shape.length !== 0 && !shapesEqual(a.aval.shape, shape)) return null;
  }
  return elementwiseTemplate(e);
}

/** The kernel source of one group and its external inputs and materialised outputs. */
function emitGroup(
  group: readonly Eqn[],
  templates: readonly string[],
  escapes: (v: Var) => boolean,
): { src: string; ins: Var[]; outs: Var[] } {
  const shape = group[0].outs[0].aval.shape;
  const n = shape.reduce((a, b) => a * b, 1);
  const local = new Map<Var, string>();
  const ins: Var[] = [];
  const inName = new Map<Var, string>();
  const head: string[] = [];
  const body: string[] = [];
  const outs: Var[] = [];
  const tail: string[] = [];
  const ref = (a: Atom): string => {
    if (a instanceof Lit) return `(${num(a.value)})`;
    const l = local.get(a);
    if (l !== undefined) return l;
    let nm = inName.get(a);
    if (nm === undefined) {
      const k = ins.length;
      ins.push(a);
      if (a.aval.shape.length === 0) {
        nm = `s${k}`;
        head.push(`  const s${k} = S(args[${k}])[0];`);
      } else {
        nm = `a${k}`;
        head.push(`  const x${k} = S(args[${k}]);`);
        body.push(`    const a${k} = x${k}[i];`);
      }
      inName.set(a, nm);
    }
    return nm;
  };
  group.forEach((e, j) => {
    const args = e.inputs.map(ref);
    const expr = templates[j].replace(/\$(\d)/g, (_, d) => args[Number(d)]);
    const v = e.outs[0];
    body.push(`    const t${j} = ${expr};`);
    local.set(v, `t${j}`);
    if (escapes(v)) {
      const k = outs.length;
      outs.push(v);
      head.push(`  const o${k} = AL("${v.aval.dtype}", ${n});`);
      body.push(`    o${k}[i] = t${j};`);
      tail.push(`new A(o${k}, ${JSON.stringify(shape)}, "${v.aval.dtype}")`);
    }
  });
  // inputs are read at the top of the loop body, before the first use
  const reads = body.filter((l) => l.startsWith("    const a"));
  const rest = body.filter((l) => !l.startsWith("    const a"));
  const src = [
    "return function fused(args) {",
    ...head,
    `  for (let i = 0; i < ${n}; i++) {`,
    ...reads,
    ...rest,
    "  }",
    `  return [${tail.join(", ")}];`,
    "};",
  ].join("\n");
  return { src, ins, outs };
}

/**
 * Fuses runs of elementwise equations into loops (see the module doc).
 *
 * @param jaxpr The program.
 * @returns An equivalent program (the same object if nothing fused).
 */
export function fuse(jaxpr: Jaxpr): Jaxpr {
  const eqns = jaxpr.eqns;
  const templates = eqns.map(fusible);
  // where each variable is defined, and whether some other group (or the output) reads it
  const groupOf = new Map<Var, number>();
  const groupIds: number[] = new globalThis.Array(eqns.length).fill(-1);
  let g = -1;
  let size = 0;
  for (let k = 0; k < eqns.length; k++) {
    const t = templates[k];
    if (t === null) {
      g = -1;
      continue;
    }
    const prev = k > 0 ? groupIds[k - 1] : -1;
    if (
      prev !== -1 && prev === g && size < MAX_GROUP &&
      shapesEqual(eqns[k - 1].outs[0].aval.shape, eqns[k].outs[0].aval.shape)
    ) {
      size++;
    } else {
      g = k;
      size = 1;
    }
    groupIds[k] = g;
    groupOf.set(eqns[k].outs[0], g);
  }
  const escaping = new Set<Var>();
  for (const a of jaxpr.outs) if (a instanceof Var) escaping.add(a);
  for (let k = 0; k < eqns.length; k++) {
    for (const a of eqns[k].inputs) {
      if (a instanceof Var && groupOf.has(a) && groupOf.get(a) !== groupIds[k]) escaping.add(a);
    }
  }
  const out: Eqn[] = [];
  let changed = false;
  for (let k = 0; k < eqns.length;) {
    const id = groupIds[k];
    let end = k + 1;
    if (id !== -1) { while (end < eqns.length && groupIds[end] === id) end++; }
    if (id === -1 || end - k < 2) {
      for (let j = k; j < end; j++) out.push(eqns[j]);
      k = end;
      continue;
    }
    const group = eqns.slice(k, end);
    const { src, ins, outs } = emitGroup(
      group,
      templates.slice(k, end) as string[],
      (v) => escaping.has(v),
    );
    const kernel = makeKernel(src);
    const call = { name: "fused", impl: (args: readonly NdArray[]) => kernel(args) };
    out.push({
      kind: "call",
      primitive: "fused",
      call: call as unknown as CallPrimitive<unknown>,
      inputs: ins,
      params: { size: group.length },
      outs,
    });
    changed = true;
    k = end;
  }
  if (!changed) return jaxpr;
  return new Jaxpr(jaxpr.constvars, jaxpr.invars, out, jaxpr.outs);
}
