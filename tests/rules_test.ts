// One table of op cases (tests/_cases.ts), run by every transformation: JVP against central
// differences, VJP by the inner-product identity (to second order, forward and reverse), and
// vmap against a loop for every in-axis combination with batch sizes 0, 1 and 3. Add an op: add
// a row.
import { describe, it } from "node:test";
import { checkGrads, checkVmap } from "../src/testing.ts";
import { CASES, domainOf, inputs, sample } from "./_cases.ts";

describe("every op: derivatives against finite differences, both modes, to second order", () => {
  for (const c of CASES) {
    const order = c.order ?? 2;
    if (order === 0) continue;
    it(c.name, () => {
      const tol = c.tol ?? 1e-6;
      checkGrads(c.f, inputs(c), { order, atol: tol, rtol: tol, modes: c.modes });
    });
  }
});

/** All in-axis assignments: each argument unmapped, mapped at 0, or mapped at its last axis. */
function axisCombos(ranks: number[]): (number | null)[][] {
  let combos: (number | null)[][] = [[]];
  for (const r of ranks) {
    const choices = [null, 0, ...(r > 0 ? [r] : [])];
    combos = combos.flatMap((c) => choices.map((a) => [...c, a]));
  }
  return combos.filter((c) => c.some((a) => a !== null));
}

describe("every op: vmap against a loop, every in-axis combination, batch sizes 0, 1, 3", () => {
  for (const c of CASES) {
    it(c.name, () => {
      for (const axes of axisCombos(c.shapes.map((s) => s.length))) {
        for (const b of [0, 1, 3]) {
          const args = c.shapes.map((s, i) => {
            const a = axes[i];
            if (a === null) return sample(s, domainOf(c, i), c.dtype);
            const shape = [...s];
            shape.splice(a, 0, b);
            return sample(shape, domainOf(c, i), c.dtype);
          });
          checkVmap(c.f, args, { inAxes: axes });
        }
      }
    });
  }
});
