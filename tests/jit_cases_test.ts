// The op case table (tests/_cases.ts) under jit: jit(f) equals eager f bit for bit (the same
// kernels run), and grad(jit f), jit(grad f), vmap(jit f) and jit(vmap f) equal their eager
// counterparts (bit for bit, or to 1e-12 where the transposed program sums in another order).
import { describe, it } from "node:test";
import { deepEqual, equal } from "node:assert/strict";
import { type Array, grad, jit, np, vmap } from "../mod.ts";
import { CASES, domainOf, inputs, sample } from "./_cases.ts";
import { assertAllClose } from "./_assert.ts";

function same(a: Array, b: Array, what: string): void {
  equal(a.dtype, b.dtype, `${what}: dtype`);
  deepEqual(a.shape, b.shape, `${what}: shape`);
  if (a.dtype.startsWith("complex")) {
    assertAllClose(np.real(a), np.real(b), { rtol: 0, atol: 0 });
    assertAllClose(np.imag(a), np.imag(b), { rtol: 0, atol: 0 });
    return;
  }
  const x = np.asarray(a, "float64").data as Float64Array, y = np.asarray(b, "float64").data;
  deepEqual(globalThis.Array.from(x), globalThis.Array.from(y as Float64Array), what);
}

const close = (a: Array, b: Array) => assertAllClose(a, b, { rtol: 1e-12, atol: 1e-12 });

describe("the case table under jit", () => {
  for (const c of CASES) {
    it(c.name, () => {
      const xs = inputs(c);
      same(jit(c.f)(...xs), c.f(...xs), "jit(f)");
      const order = c.order ?? 2;
      const float = (c.dtype ?? "float64") === "float64";
      if (order > 0 && float && (c.modes ?? ["rev"]).includes("rev")) {
        const argnums = xs.map((_, i) => i);
        const loss = (...a: Array[]) => np.sum(np.real(c.f(...a)));
        const eg = grad(loss, { argnums })(...xs) as Array[];
        const jg = jit(grad(loss, { argnums }))(...xs) as Array[];
        const gj = grad(jit(loss), { argnums })(...xs) as Array[];
        eg.forEach((g, i) => {
          close(jg[i], g);
          close(gj[i], g);
        });
      }
      const batch = c.shapes.map((s, i) => sample([3, ...s], domainOf(c, i), c.dtype));
      const ev = vmap(c.f)(...batch);
      same(vmap(jit(c.f))(...batch), ev, "vmap(jit f)");
      same(jit(vmap(c.f))(...batch), ev, "jit(vmap f)");
    });
  }
});
