/**
 * Program-to-program passes run before code generation, each a loop over
 * the equations:
 *
 * - **CSE** (common-subexpression elimination): an equation applying the
 *   same primitive with the same parameters to the same inputs as an earlier
 *   one reuses its output (value numbering; primitives are pure, so the
 *   values are the same bits). Nested derivatives repeat much work.
 * - **DCE** (dead-code elimination): equations whose outputs no later
 *   equation or output reads are dropped (one backward liveness pass).
 *
 * Call equations (`pjit`, `while`) and custom calls are kept as they are.
 *
 * The passes index typed arrays by a dense numbering of the variables
 * ({@linkcode numberVars}, written into `Var.n`) and hash equations into an
 * open-addressing table of integers, so a pass allocates no string or map
 * entry per equation: a 100 000-equation program simplifies in milliseconds.
 *
 * @module
 */

import { type Atom, type Eqn, Jaxpr, Lit, Var } from "../core/ir.ts";

/**
 * Numbers a program's variables densely in definition order — constants,
 * inputs, then each equation's outputs — into `Var.n`, and returns them
 * indexed by that number.
 *
 * @param jaxpr The program.
 * @returns `vars[v.n] === v` for every variable the program defines.
 */
export function numberVars(jaxpr: Jaxpr): Var[] {
  const eqns = jaxpr.eqns;
  let count = jaxpr.constvars.length + jaxpr.invars.length;
  for (let k = 0; k < eqns.length; k++) count += eqns[k].outs.length;
  const vars: Var[] = new globalThis.Array(count);
  let n = 0;
  for (const v of jaxpr.constvars) {
    v.n = n;
    vars[n++] = v;
  }
  for (const v of jaxpr.invars) {
    v.n = n;
    vars[n++] = v;
  }
  for (let k = 0; k < eqns.length; k++) {
    const outs = eqns[k].outs;
    for (let i = 0; i < outs.length; i++) {
      outs[i].n = n;
      vars[n++] = outs[i];
    }
  }
  return vars;
}

/** The number of a variable read by a program numbered into `vars` (checked: defined there). */
export function varIndex(v: Var, vars: readonly Var[]): number {
  const n = v.n;
  if (n < 0 || n >= vars.length || vars[n] !== v) {
    throw new TypeError("jit compile: a variable is used before it is defined");
  }
  return n;
}

/** A stable key of parameters, or `null` when they cannot be compared by value. */
function paramsKey(params: unknown): string | null {
  if (params === undefined) return "";
  try {
    return JSON.stringify(params, (_k, v) => {
      if (
        typeof v === "function" || (typeof v === "object" && v !== null && ArrayBuffer.isView(v))
      ) {
        throw new Error("opaque");
      }
      return typeof v === "number" && !Number.isFinite(v) ? String(v) : v;
    });
  } catch {
    return null;
  }
}

const bits = new Float64Array(1);
const bitsHi = new Int32Array(bits.buffer);

/** A hash of a literal's value and dtype (`0` and `-0` differ; every NaN is alike). */
function litHash(l: Lit): number {
  bits[0] = l.value;
  let h = Number.isNaN(l.value) ? 0x7ff8 : bitsHi[0] ^ Math.imul(bitsHi[1], 0x9e3779b1);
  const d = l.aval.dtype;
  h ^= d.length * 0x27d4eb2d + d.charCodeAt(d.length - 1);
  return h | 0;
}

/** Two atoms of equal keys: the same variable, or literals of one dtype and value. */
function sameAtom(a: Atom, b: Atom): boolean {
  if (a === b) return true;
  return a instanceof Lit && b instanceof Lit && a.aval.dtype === b.aval.dtype &&
    Object.is(a.value, b.value);
}

/**
 * Merges repeated equations (see the module doc).
 *
 * @param jaxpr The program.
 * @returns An equivalent program (the same object if nothing merged).
 */
export function cse(jaxpr: Jaxpr): Jaxpr {
  return cseNumbered(jaxpr, numberVars(jaxpr));
}

/** CSE of a program numbered into `vars`; its result keeps the numbering. */
function cseNumbered(jaxpr: Jaxpr, vars: Var[]): Jaxpr {
  // sub[n]: the number of the variable standing for variable n (-1: itself)
  const sub = new Int32Array(vars.length).fill(-1);
  const read = (a: Atom): Atom => {
    if (!(a instanceof Var)) return a;
    const s = sub[varIndex(a, vars)];
    return s < 0 ? a : vars[s];
  };
  const src = jaxpr.eqns;
  let cap = 16;
  while (cap < 2 * src.length) cap *= 2;
  const mask = cap - 1;
  const table = new Int32Array(cap); // 1 + index into `eqns` of a candidate; 0 empty
  const hashes = new Int32Array(src.length);
  const primIds = new Map<string, number>();
  const eqns: Eqn[] = [];
  let changed = false;
  for (let k = 0; k < src.length; k++) {
    let e = src[k];
    const ins0 = e.inputs;
    let ins: Atom[] | null = null;
    for (let i = 0; i < ins0.length; i++) {
      const a = read(ins0[i]);
      if (a !== ins0[i]) {
        if (ins === null) ins = ins0.slice();
        ins[i] = a;
      }
    }
    if (ins !== null) {
      e = { ...e, inputs: ins } as Eqn;
      changed = true;
    }
    const j = eqns.length;
    eqns.push(e);
    if (e.kind !== "primitive") continue;
    const pk = paramsKey(e.params);
    if (pk === null) continue;
    let pid = primIds.get(e.primitive);
    if (pid === undefined) {
      pid = primIds.size + 1;
      primIds.set(e.primitive, pid);
    }
    let h = Math.imul(pid, 0x85ebca6b);
    if (pk !== "") h ^= pk.length * 0x2545f491 + pk.charCodeAt(pk.length >> 1);
    const inputs = e.inputs;
    for (let i = 0; i < inputs.length; i++) {
      const a = inputs[i];
      const ah = a instanceof Var ? a.n : litHash(a);
      h = Math.imul(h ^ ah, 0x27d4eb2f) + i;
    }
    h ^= h >>> 15;
    let slot = h & mask;
    let prev = -1;
    for (let t = table[slot]; t !== 0; t = table[slot]) {
      const c = eqns[t - 1];
      if (
        hashes[t - 1] === h && c.primitive === e.primitive && c.inputs.length === inputs.length
      ) {
        let same = true;
        for (let i = 0; same && i < inputs.length; i++) same = sameAtom(c.inputs[i], inputs[i]);
        if (same && (c.params === e.params || paramsKey(c.params) === pk)) {
          prev = t - 1;
          break;
        }
      }
      slot = (slot + 1) & mask;
    }
    if (prev >= 0) {
      eqns.pop();
      sub[e.outs[0].n] = eqns[prev].outs[0].n;
      changed = true;
      continue;
    }
    hashes[j] = h;
    table[slot] = j + 1;
  }
  if (!changed) return jaxpr;
  return new Jaxpr(jaxpr.constvars, jaxpr.invars, eqns, jaxpr.outs.map(read));
}

/**
 * Drops equations nothing reads (see the module doc).
 *
 * @param jaxpr The program.
 * @returns An equivalent program (the same object if nothing was dead).
 */
export function dce(jaxpr: Jaxpr): Jaxpr {
  return dceNumbered(jaxpr, numberVars(jaxpr));
}

/** DCE of a program numbered into `vars` (or a subset of one, as CSE leaves it). */
function dceNumbered(jaxpr: Jaxpr, vars: Var[]): Jaxpr {
  const live = new Uint8Array(vars.length);
  for (const a of jaxpr.outs) if (a instanceof Var) live[varIndex(a, vars)] = 1;
  const eqns = jaxpr.eqns;
  const keep = new Uint8Array(eqns.length);
  let dropped = 0;
  for (let k = eqns.length - 1; k >= 0; k--) {
    const e = eqns[k];
    let used = false;
    for (let i = 0; !used && i < e.outs.length; i++) used = live[e.outs[i].n] === 1;
    if (!used) {
      dropped++;
      continue;
    }
    keep[k] = 1;
    const inputs = e.inputs;
    for (let i = 0; i < inputs.length; i++) {
      const a = inputs[i];
      if (a instanceof Var) live[varIndex(a, vars)] = 1;
    }
  }
  if (dropped === 0) return jaxpr;
  const out: Eqn[] = new globalThis.Array(eqns.length - dropped);
  for (let k = 0, j = 0; k < eqns.length; k++) if (keep[k] === 1) out[j++] = eqns[k];
  return new Jaxpr(jaxpr.constvars, jaxpr.invars, out, jaxpr.outs);
}

/**
 * The passes the compiler runs: CSE, then DCE.
 *
 * @param jaxpr The program.
 * @returns An equivalent, simpler program.
 */
export function simplify(jaxpr: Jaxpr): Jaxpr {
  const vars = numberVars(jaxpr); // CSE keeps each surviving variable's number
  return dceNumbered(cseNumbered(jaxpr, vars), vars);
}
