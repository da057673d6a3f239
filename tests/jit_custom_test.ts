// customJvp / customVjp / checkpoint inside jit, closing over jit-traced values, concrete
// arrays and outer vmap/grad tracers, in every stacking order, against real JAX
// (tests/fixtures/jit_custom/make_fixtures.py). Where JAX refuses a program, nabla must throw an
// error naming the custom function and the closed-over value, never return a number.
import { describe, it } from "node:test";
import { equal, ok, throws } from "node:assert/strict";
import { readFileSync } from "node:fs";
import {
  type Array,
  checkpoint,
  customJvp,
  customVjp,
  evalJaxpr,
  grad,
  hessian,
  jit,
  jvp,
  makeJaxpr,
  np,
  vmap,
} from "../mod.ts";
import { assertAllClose } from "./_assert.ts";

interface Fixture {
  values: Record<string, unknown>;
  errors: Record<string, string>;
  beyond_jax: Record<string, { jax_error: string; value: number }>;
  jaxpr_g: { outer: string[]; inner: string[]; num_consts: number };
}
const fx: Fixture = JSON.parse(
  readFileSync(new URL("./fixtures/jit_custom/jit_custom.json", import.meta.url), "utf8"),
);

/** Expected tolerance: float64, the same formulas as JAX's (1e-12 relative). */
const close = (name: string, actual: unknown) =>
  assertAllClose(actual, fx.values[name], { rtol: 1e-12, atol: 1e-15, msg: name });

const a = (v: number) => np.array(v);
const xs = np.array([1, 2, 3]);
const c = np.array([1, 2, 3]);
const ys = np.array([0.5, -1]);

/** sin(y)·x with a custom JVP; the rule closes over x too (or is 3y, 3t). */
function mkJvp(x: Array, ruleCloses = true) {
  const f = customJvp((y: Array) => np.multiply(np.sin(y), x));
  if (ruleCloses) {
    f.defjvp(([y]: Array[], [t]: Array[]) => [
      np.multiply(np.sin(y), x),
      np.multiply(np.multiply(np.cos(y), x), t),
    ]);
  } else f.defjvp(([y]: Array[], [t]: Array[]) => [np.multiply(y, 3), np.multiply(t, 3)]);
  return f;
}

/** sin(y)·x with a custom VJP closing over x. */
function mkVjp(x: Array) {
  const f = customVjp((y: Array) => np.multiply(np.sin(y), x));
  f.defvjp(
    (y: Array) => [np.multiply(np.sin(y), x), y],
    (y: Array, ct: Array) => [np.sum(np.multiply(np.multiply(np.cos(y), x), ct))],
  );
  return f;
}

const g = (x: Array) => mkJvp(x)(a(2)); // closes over x, argument concrete
const h = (x: Array) => mkVjp(x)(a(2));
const g2 = (x: Array) => mkJvp(x)(np.multiply(x, 2)); // closes over x, argument traced
const h2 = (x: Array) => mkVjp(x)(np.multiply(x, 2));
const g3 = (x: Array) => mkJvp(np.sin(x), false)(x); // the rule closes over nothing
const k = (y: Array) => np.sum(mkJvp(c)(y)); // closes over a concrete array
const kv = (y: Array) => np.sum(mkVjp(c)(y));
const ck = (x: Array) => checkpoint((y: Array) => np.multiply(np.sin(y), x))(a(2));
const ck2 = (x: Array) => checkpoint((y: Array) => np.multiply(np.sin(y), x))(x);

/** An error naming the custom function's kind and the closed-over value (an array f64[]). */
const closureError = (kind: "customJvp" | "customVjp") =>
  new RegExp(`a ${kind} function.*closes over .*an array f64\\[\\].*as an argument`, "s");

describe("custom rules closing over jit-traced values", () => {
  it("jit of customJvp/customVjp closing over the jitted argument (concrete and traced arguments)", () => {
    close("jit_g", jit(g)(a(3)));
    close("jit_h", jit(h)(a(3)));
    close("jit_g2", jit(g2)(a(3)));
    close("jit_h2", jit(h2)(a(3)));
  });

  it("the executable runs the traced program: the user's function is not run again", () => {
    let calls = 0;
    const gc = jit((x: Array) => {
      const f = customJvp((y: Array) => {
        calls++;
        return np.multiply(np.sin(y), x);
      });
      f.defjvp(([y]: Array[], [t]: Array[]) => [np.multiply(np.sin(y), x), t]);
      return f(a(2));
    });
    close("jit_g", gc(a(3)));
    const traced = calls;
    close("jit_g_again", gc(a(4)));
    equal(calls, traced);
    equal(gc.traceCount, 1);
  });

  it("the staged program: one custom_jvp_call with the closed-over value as its const", () => {
    const p = makeJaxpr(g)(a(3));
    const eqn = p.eqns[0] as {
      params: { body: { eqns: { primitive: string }[] }; numConsts: number };
    };
    equal(JSON.stringify(p.eqns.map((e) => e.primitive)), JSON.stringify(fx.jaxpr_g.outer));
    equal(
      JSON.stringify(eqn.params.body.eqns.map((e) => e.primitive)),
      JSON.stringify(fx.jaxpr_g.inner),
    );
    equal(eqn.params.numConsts, fx.jaxpr_g.num_consts);
    close("jit_g", evalJaxpr(p, [a(3)])[0]);
    equal(
      p.toString(),
      [
        "{ lambda ; a:f64[]. let",
        "    b:f64[] = custom_jvp_call[name=customJvp function call_jaxpr={ lambda ; a:f64[] b:f64[]. let",
        "          c:f64[] = sin b",
        "          d:f64[] = mul c a",
        "        in (d,) } num_consts=1] a 2.0:f64[]",
        "  in (b,) }",
      ].join("\n"),
    );
  });

  it("jit(grad) inside which the custom function closes over the jit value", () => {
    close("jit_grad_inner_g", jit((x: Array) => grad((y: Array) => mkJvp(x)(y))(a(2)))(a(3)));
    close("jit_grad_inner_h", jit((x: Array) => grad((y: Array) => mkVjp(x)(y))(a(2)))(a(3)));
  });

  it("a rule that closes over nothing defines the derivative (closed-over tangents dropped, as JAX)", () => {
    close("jit_g3", jit(g3)(a(1)));
    close("grad_jit_g3", grad(jit(g3))(a(1)));
    close("jvp_jit_g3", jvp(jit(g3), [a(1)], [a(1)]));
  });

  it("closures over concrete arrays: values, grad, hessian in both orders", () => {
    close("jit_k", jit(k)(a(0.5)));
    close("grad_jit_k", grad(jit(k))(a(0.5)));
    close("jit_grad_k", jit(grad(k))(a(0.5)));
    close("hessian_jit_k", hessian(jit(k))(a(0.5)));
    close("jit_hessian_k", jit(hessian(k))(a(0.5)));
    close("grad_jit_kv", grad(jit(kv))(a(0.5)));
    close("jit_grad_kv", jit(grad(kv))(a(0.5)));
  });

  it("vmap of jit, jit of vmap, eager vmap, and closures over an outer vmap's value", () => {
    close("vmap_jit_g", vmap(jit(g))(xs));
    close("vmap_jit_h", vmap(jit(h))(xs));
    close("jit_vmap_g", jit(vmap(g))(xs));
    close("jit_vmap_h", jit(vmap(h))(xs));
    close("vmap_jit_g2", vmap(jit(g2))(xs));
    close("vmap_jit_h2", vmap(jit(h2))(xs));
    close("eager_vmap_g", vmap(g)(xs));
    close(
      "vmap_closure_jit_g",
      vmap((x: Array) => jit((y: Array) => mkJvp(x)(y))(a(2)))(xs),
    );
    close(
      "vmap_closure_jit_h",
      vmap((x: Array) => jit((y: Array) => mkVjp(x)(y))(a(2)))(xs),
    );
  });

  it("nested vmaps: the inner custom function closes over the outer batched value", () => {
    close("vmap_vmap_cjvp", vmap((x: Array) => vmap((y: Array) => mkJvp(x)(y))(ys))(xs));
    close("vmap_vmap_cvjp", vmap((x: Array) => vmap((y: Array) => mkVjp(x)(y))(ys))(xs));
    close(
      "jit_vmap_vmap_cjvp",
      jit((z: Array) =>
        vmap((x: Array) => vmap((y: Array) => mkJvp(x)(np.multiply(y, z)))(ys))(xs)
      )(
        a(0.3),
      ),
    );
  });

  it("jit inside jit: the inner custom function closes over the outer jit's value", () => {
    close("jit_jit_g", jit((x: Array) => jit((y: Array) => mkJvp(x)(y))(a(2)))(a(3)));
  });

  it("checkpoint closing over jit values: values and exact derivatives through the closure", () => {
    close("jit_ck", jit(ck)(a(3)));
    close("grad_jit_ck", grad(jit(ck))(a(3)));
    close("grad_jit_ck2", grad(jit(ck2))(a(3)));
    close("jit_grad_ck2", jit(grad(ck2))(a(3)));
    close("vmap_jit_ck2", vmap(jit(ck2))(xs));
    close("vmap_grad_jit_ck2", vmap(grad(jit(ck2)))(xs));
  });

  it("checkpoint closing over an outer grad value, eagerly and under jit", () => {
    close("eager_grad_ck", grad(ck)(a(3)));
    close("jit_grad_ck", jit(grad(ck))(a(3)));
    close("vmap_grad_ck", vmap(grad(ck))(xs));
    close(
      "jit_grad_nonown_ck",
      jit(
        grad((x: Array) =>
          jit((y: Array) =>
            np.multiply(y, checkpoint((z: Array) => np.multiply(np.sin(z), x))(a(2)))
          )(a(1))
        ),
      )(a(3)),
    );
  });

  it("checkpoint and customJvp under vmap closing over the batched value, under grad and jit", () => {
    const cp = (f: (y: Array) => Array) => checkpoint(f);
    close(
      "vmap_ck_closure",
      vmap((x: Array) => cp((y: Array) => np.multiply(np.sin(y), x))(a(2)))(xs),
    );
    close(
      "grad_vmap_ck_closure",
      grad((z: Array) =>
        np.sum(
          vmap((x: Array) => cp((y: Array) => np.multiply(np.multiply(np.sin(y), x), z))(x))(xs),
        )
      )(a(3)),
    );
    const f = (z: Array) =>
      np.sum(vmap((x: Array) => cp((y: Array) => np.multiply(np.sin(y), x))(z))(xs));
    close("grad_vmap_ck_closure_arg", grad(f)(a(3)));
    close("jit_grad_vmap_ck", jit(grad(f))(a(3)));
    close("grad_jit_vmap_ck", grad(jit(f))(a(3)));
    const fj = (z: Array) => np.sum(vmap((x: Array) => mkJvp(x)(z))(xs));
    close("grad_vmap_cjvp_closes_batched", grad(fj)(a(3)));
    close("jit_grad_vmap_cjvp_closes_batched", jit(grad(fj))(a(3)));
  });

  it("a custom function of unbatched arguments inside vmap, differentiated from outside", () => {
    const fv = (w: Array) => np.sum(vmap((x: Array) => np.multiply(x, mkVjp(a(1.5))(w)))(xs));
    const fj = (w: Array) => np.sum(vmap((x: Array) => np.multiply(x, mkJvp(a(1.5))(w)))(xs));
    close("grad_vmap_unbatched_cvjp", grad(fv)(a(0.7)));
    close("grad_vmap_unbatched_cjvp", grad(fj)(a(0.7)));
    close("grad_jit_vmap_unbatched_cvjp", grad(jit(fv))(a(0.7)));
  });

  it("a customVjp of batched and unbatched arguments with unbatched residuals, under vmap and grad", () => {
    const mixed = customVjp((y: Array, w: Array) => np.multiply(np.sin(y), w));
    mixed.defvjp(
      (y: Array, w: Array) => [
        np.multiply(np.sin(y), w),
        [np.cos(y), np.sin(y), w, np.array(2)],
      ],
      ([cy, sy, w, two]: Array[], ct: Array) => [
        np.multiply(np.multiply(cy, w), ct),
        np.divide(np.multiply(np.multiply(sy, ct), two), 2),
      ],
    );
    const loss = (w: Array) => np.sum(vmap((x: Array) => mixed(np.multiply(x, w), w))(xs));
    close("grad_vmap_mixed", grad(loss)(a(0.7)));
    close("grad_jit_vmap_mixed", grad(jit(loss))(a(0.7)));
    close("jit_grad_vmap_mixed", jit(grad(loss))(a(0.7)));
  });

  it("a jitted custom call on concrete arguments closing over an outer grad or vmap value", () => {
    // the rule ignores the closed-over value: its tangent is dropped, as JAX (0)
    close(
      "grad_nonown_jit_g3",
      grad((x: Array) => jit((y: Array) => np.multiply(y, mkJvp(x, false)(a(2))))(a(1)))(a(3)),
    );
    close(
      "vmap_nonown_jit_g",
      vmap((x: Array) => jit((y: Array) => np.multiply(y, mkJvp(x)(a(2))))(a(1)))(xs),
    );
  });

  it("customVjp with a nondiff argument, pytree arguments and pytree residuals", () => {
    const treeF = customVjp(
      (scale: number, p: { a: Array; b: Array }) =>
        np.multiply(np.sum(np.multiply(np.sin(p.a), p.b)), scale),
      { nondiffArgnums: [0] },
    );
    treeF.defvjp(
      (scale: number, p: { a: Array; b: Array }) => [
        treeF(scale, p),
        [np.cos(p.a), np.sin(p.a), p.b],
      ],
      (scale: number, [cosA, sinA, b]: Array[], ct: Array) => [{
        a: np.multiply(np.multiply(np.multiply(np.multiply(cosA, b), ct), scale), 10),
        b: np.multiply(np.multiply(sinA, ct), scale),
      }],
    );
    const p0 = { a: np.array([0.1, 0.2, 0.3]), b: np.array([1, -2, 0.5]) };
    const loss = (p: { a: Array; b: Array }) => np.add(treeF(2, p), np.sum(np.multiply(p.a, c)));
    close("jit_tree", jit(loss)(p0));
    close("grad_jit_tree", grad(jit(loss))(p0));
    close("jit_grad_tree", jit(grad(loss))(p0));
  });

  it("traced nondiff arguments: customJvp stops their gradient, as JAX", () => {
    const nd = customJvp((s: Array, y: Array) => np.multiply(s, np.sin(y)), {
      nondiffArgnums: [0],
    });
    nd.defjvp((s: Array, [y]: Array[], [t]: Array[]) => [
      np.multiply(s, np.sin(y)),
      np.multiply(np.multiply(s, np.cos(y)), t),
    ]);
    const nv = customVjp((s: Array, y: Array) => np.multiply(s, np.sin(y)), {
      nondiffArgnums: [0],
    });
    nv.defvjp(
      (s: Array, y: Array) => [np.multiply(s, np.sin(y)), y],
      (s: Array, y: Array, ct: Array) => [np.multiply(np.multiply(s, np.cos(y)), ct)],
    );
    close("nd_jit_traced", jit((s: Array) => nd(s, a(2)))(a(3)));
    close("nd_grad_jit_const", grad(jit((y: Array) => nd(a(3), y)))(a(0.5)));
    close("nd_jit_grad_dep", jit(grad((y: Array) => nd(np.cos(y), y)))(a(0.5)));
    close("nd_grad_dep", grad((y: Array) => nd(np.cos(y), y))(a(0.5)));
    close("nd_vjp_grad_jit_const", grad(jit((y: Array) => nv(a(3), y)))(a(0.5)));
    throws(() => grad(jit((y: Array) => nd(np.cos(y), y)))(a(0.5)), closureError("customJvp"));
    throws(
      () => grad(jit((y: Array, s: Array) => nd(s, y)))(a(0.5), a(3)),
      closureError("customJvp"),
    );
    throws(() => grad((y: Array) => nv(np.cos(y), y))(a(0.5)), closureError("customVjp"));
    throws(() => jit(grad((y: Array) => nv(np.cos(y), y)))(a(0.5)), closureError("customVjp"));
    for (
      const e of ["nd_grad_jit_dep", "nd_grad_jit_traced", "nd_vjp_grad_dep", "nd_vjp_jit_grad_dep"]
    ) {
      ok(fx.errors[e] !== undefined, e);
    }
    // beyond JAX (which refuses a traced nondiff argument of a custom_vjp): the exact value
    assertAllClose(
      jit((s: Array) => nv(s, a(2)))(a(3)),
      fx.beyond_jax.nd_vjp_jit_traced.value,
      { rtol: 1e-12 },
    );
  });

  it("customJvp with a nondiff argument inside jit, under grad in both orders", () => {
    const power = customJvp((n: number, x: Array) => np.power(x, n), { nondiffArgnums: [0] });
    power.defjvp((n: number, [x]: Array[], [t]: Array[]) => [
      np.power(x, n),
      np.multiply(np.multiply(np.multiply(np.power(x, n - 1), n), t), 2), // twice the truth
    ]);
    close("power_grad_jit", grad(jit((x: Array) => power(3, x)))(a(1.5)));
    close("power_jit_grad", jit(grad((x: Array) => power(3, x)))(a(1.5)));
    close(
      "power_closure_jit",
      jit((x: Array) => grad((y: Array) => np.multiply(power(3, y), x))(a(1.5)))(a(2)),
    );
  });
});

describe("where JAX refuses: clear errors naming the function and the closed-over value", () => {
  const cases: [string, "customJvp" | "customVjp", () => unknown][] = [
    ["grad_jit_g", "customJvp", () => grad(jit(g))(a(3))],
    ["grad_jit_h", "customVjp", () => grad(jit(h))(a(3))],
    ["grad_jit_g2", "customJvp", () => grad(jit(g2))(a(3))],
    ["grad_jit_h2", "customVjp", () => grad(jit(h2))(a(3))],
    ["jvp_jit_g", "customJvp", () => jvp(jit(g), [a(3)], [a(1)])],
    [
      "jit_grad_jit_inner_g",
      "customJvp",
      () => jit((x: Array) => grad(jit((y: Array) => mkJvp(x)(y)))(a(2)))(a(3)),
    ],
    [
      "grad_closure_jit_g",
      "customJvp",
      () => grad((x: Array) => jit((y: Array) => mkJvp(x)(y))(a(2)))(a(3)),
    ],
    [
      "grad_closure_jit_h",
      "customVjp",
      () => grad((x: Array) => jit((y: Array) => mkVjp(x)(y))(a(2)))(a(3)),
    ],
    [
      "grad_nonown_jit_g",
      "customJvp",
      () => grad((x: Array) => jit((y: Array) => np.multiply(y, mkJvp(x)(a(2))))(a(1)))(a(3)),
    ],
    [
      "grad_nonown_jit_h",
      "customVjp",
      () => grad((x: Array) => jit((y: Array) => np.multiply(y, mkVjp(x)(a(2))))(a(1)))(a(3)),
    ],
    ["eager_grad_g", "customJvp", () => grad(g)(a(3))],
    ["eager_grad_h", "customVjp", () => grad(h)(a(3))],
    ["eager_jvp_g", "customJvp", () => jvp(g, [a(3)], [a(1)])],
    [
      "eager_grad_closes_f_only",
      "customJvp",
      () => grad((x: Array) => mkJvp(x, false)(a(2)))(a(3)),
    ],
    ["grad_own_g", "customJvp", () => grad((x: Array) => mkJvp(x)(x))(a(3))],
    ["jit_grad_own_g", "customJvp", () => jit(grad((x: Array) => mkJvp(x)(x)))(a(3))],
    ["grad_own_h", "customVjp", () => grad((x: Array) => mkVjp(x)(x))(a(3))],
    ["jit_grad_own_h", "customVjp", () => jit(grad((x: Array) => mkVjp(x)(x)))(a(3))],
    ["jvp_own_g", "customJvp", () => jvp((x: Array) => mkJvp(x)(x), [a(3)], [a(1)])],
    [
      "grad_vmap_closure_jit_h",
      "customVjp",
      () =>
        grad((z: Array) => np.sum(vmap((x: Array) => jit((y: Array) => mkVjp(z)(y))(x))(xs)))(
          a(3),
        ),
    ],
  ];
  for (const [name, kind, run] of cases) {
    it(`${name} (JAX: ${fx.errors[name].split(":")[0]})`, () => {
      ok(fx.errors[name] !== undefined, `no JAX record for ${name}`);
      throws(run, closureError(kind));
    });
  }

  it("the messages say which transformation traced the value", () => {
    throws(
      () => grad(jit(g))(a(3)),
      /closes over a value traced by jit\(g\).*after that trace ended/s,
    );
    throws(
      () => grad((x: Array) => jit((y: Array) => mkJvp(x)(y))(a(2)))(a(3)),
      /closes over a value traced by grad/,
    );
  });
});

describe("beyond JAX, exactly right", () => {
  it("nested vmaps with closures over the outer batched value, under grad (and jit)", () => {
    const nested = (mk: (x: Array) => (y: Array) => Array) => (z: Array) =>
      np.sum(vmap((x: Array) => vmap((y: Array) => mk(x)(np.multiply(y, z)))(ys))(xs));
    assertAllClose(grad(nested(mkVjp))(a(0.3)), fx.beyond_jax.grad_vmap_vmap_cvjp.value, {
      rtol: 1e-12,
    });
    assertAllClose(
      grad((z: Array) => np.sum(jit(nested(mkJvp))(z)))(a(0.3)),
      fx.beyond_jax.grad_jit_vmap_vmap_cjvp.value,
      { rtol: 1e-12 },
    );
  });

  it("a customVjp under vmap whose backward rule closes over the batched value, under grad", () => {
    const fv = (z: Array) => np.sum(vmap((x: Array) => mkVjp(x)(z))(xs));
    for (
      const [name, run] of [
        ["grad_vmap_cvjp_closes_batched", () => grad(fv)(a(3))],
        ["grad_jit_vmap_cvjp_closes_batched", () => grad(jit(fv))(a(3))],
      ] as const
    ) {
      const r = fx.beyond_jax[name];
      ok(r.jax_error.length > 0);
      assertAllClose(run(), r.value, { rtol: 1e-12, msg: name });
    }
  });

  it("jit(grad(jit(f))) with a customVjp closing over the outer jit's value: refused, as JAX", () => {
    // grad linearizes the inner jit's program as a program (no inlining), where the outer
    // jit's value the forward rule reads is not live: JAX fails here too
    ok(fx.beyond_jax.jit_grad_jit_inner_h.jax_error.length > 0);
    throws(
      () => jit((x: Array) => grad(jit((y: Array) => mkVjp(x)(y)))(a(2)))(a(3)),
      /closes over a value traced by jit\(.*\) \(an array f64\[\]\), which its forward rule reads outside that transformation/,
    );
  });
});
