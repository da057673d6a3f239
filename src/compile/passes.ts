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
 * @module
 */

import { type Atom, type Eqn, Jaxpr, Lit, Var } from "../core/ir.ts";

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

/**
 * Merges repeated equations (see the module doc).
 *
 * @param jaxpr The program.
 * @returns An equivalent program (the same object if nothing merged).
 */
export function cse(jaxpr: Jaxpr): Jaxpr {
  const ids = new Map<Var, number>();
  let next = 0;
  const id = (v: Var) => {
    let i = ids.get(v);
    if (i === undefined) {
      i = next++;
      ids.set(v, i);
    }
    return i;
  };
  const subst = new Map<Var, Var>();
  const sub = (a: Atom): Atom => (a instanceof Var ? subst.get(a) ?? a : a);
  const atomKey = (a: Atom) => (a instanceof Lit ? `${a.value}:${a.aval.dtype}` : `v${id(a)}`);
  const seen = new Map<string, Var>();
  const eqns: Eqn[] = [];
  let changed = false;
  for (const e0 of jaxpr.eqns) {
    let e = e0;
    if (e.inputs.some((a) => a instanceof Var && subst.has(a))) {
      e = { ...e, inputs: e.inputs.map(sub) } as Eqn;
      changed = true;
    }
    if (e.kind === "primitive") {
      const pk = paramsKey(e.params);
      if (pk !== null) {
        const key = `${e.primitive}|${pk}|${e.inputs.map(atomKey).join(",")}`;
        const prev = seen.get(key);
        if (prev !== undefined) {
          subst.set(e.outs[0], prev);
          changed = true;
          continue;
        }
        seen.set(key, e.outs[0]);
      }
    }
    eqns.push(e);
  }
  if (!changed) return jaxpr;
  return new Jaxpr(jaxpr.constvars, jaxpr.invars, eqns, jaxpr.outs.map(sub));
}

/**
 * Drops equations nothing reads (see the module doc).
 *
 * @param jaxpr The program.
 * @returns An equivalent program (the same object if nothing was dead).
 */
export function dce(jaxpr: Jaxpr): Jaxpr {
  const live = new Set<Var>();
  for (const a of jaxpr.outs) if (a instanceof Var) live.add(a);
  const keep: boolean[] = new globalThis.Array(jaxpr.eqns.length);
  let dropped = false;
  for (let k = jaxpr.eqns.length - 1; k >= 0; k--) {
    const e = jaxpr.eqns[k];
    const used = e.outs.some((v) => live.has(v));
    keep[k] = used;
    if (!used) {
      dropped = true;
      continue;
    }
    for (const a of e.inputs) if (a instanceof Var) live.add(a);
  }
  if (!dropped) return jaxpr;
  return new Jaxpr(
    jaxpr.constvars,
    jaxpr.invars,
    jaxpr.eqns.filter((_, k) => keep[k]),
    jaxpr.outs,
  );
}

/**
 * The passes the compiler runs: CSE, then DCE.
 *
 * @param jaxpr The program.
 * @returns An equivalent, simpler program.
 */
export function simplify(jaxpr: Jaxpr): Jaxpr {
  return dce(cse(jaxpr));
}
