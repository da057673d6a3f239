/**
 * Inlining of custom calls before code generation. A staged `custom_jvp_call`
 * or `custom_vjp_call` equation is closure-converted (`transforms/jit.ts`):
 * its call's function is exactly its `body` program, on the values it closes
 * over and its arguments, and its rules matter only to transformations, never
 * to evaluation. So a program about to be compiled runs the body's equations
 * in place of the call — which lets fusion and the scalar code generator see
 * through functions such as `nn.relu` or `np.logaddexp`.
 *
 * A loop over the equations, with a work stack for nested custom calls (depth
 * of nesting, never the program's length).
 *
 * @module
 */

import { type Atom, type Eqn, Jaxpr, Var } from "../core/ir.ts";

/**
 * The program with every custom call replaced by its body (fresh variables
 * per inlined copy).
 *
 * @param jaxpr The program.
 * @returns An equivalent program (the same object if it holds no custom call).
 */
export function inlineCustomCalls(jaxpr: Jaxpr): Jaxpr {
  if (!jaxpr.eqns.some((e) => e.kind === "custom_call")) return jaxpr;
  const out: Eqn[] = [];
  // each frame: equations to copy, the renaming of their variables, and whether to rename outputs
  interface Frame {
    eqns: readonly Eqn[];
    k: number;
    env: Map<Var, Atom>;
    fresh: boolean;
    done?: () => void;
  }
  const top: Frame = { eqns: jaxpr.eqns, k: 0, env: new Map(), fresh: false };
  const stack: Frame[] = [top];
  const read = (env: Map<Var, Atom>, a: Atom): Atom => (a instanceof Var ? env.get(a) ?? a : a);
  while (stack.length > 0) {
    const f = stack[stack.length - 1];
    if (f.k === f.eqns.length) {
      stack.pop();
      f.done?.();
      continue;
    }
    const e = f.eqns[f.k++];
    const inputs = e.inputs.map((a) => read(f.env, a));
    if (e.kind === "custom_call" && e.params.body.constvars.length === 0) {
      const body = e.params.body;
      const env = new Map<Var, Atom>();
      body.invars.forEach((v, i) => env.set(v, inputs[i]));
      stack.push({
        eqns: body.eqns,
        k: 0,
        env,
        fresh: true,
        done: () => e.outs.forEach((v, i) => f.env.set(v, read(env, body.outs[i]))),
      });
      continue;
    }
    let outs = e.outs;
    if (f.fresh) {
      outs = e.outs.map((v) => {
        const w = new Var(v.aval);
        f.env.set(v, w);
        return w;
      });
    }
    out.push({ ...e, inputs, outs } as Eqn);
  }
  return new Jaxpr(
    jaxpr.constvars,
    jaxpr.invars,
    out,
    jaxpr.outs.map((a) => read(top.env, a)),
  );
}
