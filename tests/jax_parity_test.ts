// Parity with JAX: each case is a small program whose expected value is computed by JAX 0.10.2
// (CPU, `jax_enable_x64`) from the same program written in Python: make_fixtures.py in
// tests/fixtures/jax_parity/ holds the Python twins and writes values.json, read here by key.
// The programs cover the seed, higher orders, perturbation confusion, every stacking order of the
// transformations, Jacobians and Hessians of trees, closures and ignored inputs, JAX's conventions
// at kinks and special values, pow, reductions, matmul/einsum, custom rules, control flow and `nn`
// at ±1000. Comparisons are to 1e-9 relative, NaN equal to NaN and infinities to themselves.
import { describe, it } from "node:test";
import { deepEqual, throws } from "node:assert/strict";
import { readFileSync } from "node:fs";
import {
  type AnyFunction,
  type Array,
  checkpoint,
  customJvp,
  customVjp,
  grad,
  hessian,
  jacfwd,
  jacrev,
  jvp,
  lax,
  linearize,
  nn,
  np,
  stopGradient,
  valueAndGrad,
  vjp,
  vmap,
} from "../mod.ts";
import { assertAllClose } from "./_assert.ts";
import { readFixture } from "./_numpy_fixtures.ts";

const expected = readFixture("jax_parity/values.json") as Record<string, unknown>;
/** JAX's value for the check named `key` ("<describe block>: <test title>", " #k" for the k-th). */
const E = (key: string): unknown => {
  if (!Object.hasOwn(expected, key)) {
    throw new Error(`no value named ${JSON.stringify(key)} in values.json`);
  }
  return expected[key];
};

const close = (actual: unknown, expected: unknown) =>
  assertAllClose(actual, expected, { rtol: 1e-9, atol: 1e-12 });

const inf = Infinity;
const nan = NaN;
const a = (x: number | number[] | number[][]) => np.array(x);
const i32 = (x: number | number[]) => np.array(x, { dtype: "int32" });
const range = (n: number) => np.arange(n).astype("float64");
const X3 = () => a([0.3, -1.2, 2.0]);
const M23 = () => a([[0.5, -1.0, 2.0], [1.5, 0.25, -0.75]]);
const B32 = () => a([[1.0, 2.0], [-0.5, 0.3], [2.0, -1.0]]);
const T234 = () => np.divide(np.subtract(range(24).reshape([2, 3, 4]), 11.5), 7.0);
const XS = () => a([0.1, -0.4, 0.9, 0.3]);

/** `grad` applied `n` times. */
const nth = (f: AnyFunction, n: number): AnyFunction => {
  for (let i = 0; i < n; i++) f = grad(f);
  return f;
};
/** The derivative by forward mode. */
const fwd = (g: AnyFunction) => (x: Array) => jvp(g, [x], [1.0])[1];

const fSeed = (x: Array) => np.add(np.square(x), np.log(x)); // x² + log x
const fS = (x: Array) => np.sum(np.multiply(np.sin(x), np.power(x, 2))); // ℝⁿ → ℝ
const fV = (x: Array) => np.multiply(np.tanh(x), np.sum(np.power(x, 2))); // ℝⁿ → ℝⁿ
const gS = (x: Array) => np.multiply(np.sin(x), np.exp(np.divide(x, 2))); // scalar

describe("JAX parity: the seed", () => {
  it("grad(square)(0.5)", () => close(grad(np.square)(0.5), E("the seed: grad(square)(0.5)")));
  it("grad of x² + log x at 0.1", () =>
    close(grad(fSeed)(0.1), E("the seed: grad of x² + log x at 0.1")));
  it("second derivative at 0.1", () =>
    close(grad(grad(fSeed))(0.1), E("the seed: second derivative at 0.1")));
  it("third derivative at 0.1", () =>
    close(grad(grad(grad(fSeed)))(0.1), E("the seed: third derivative at 0.1")));
  it("fourth derivative at 0.1", () =>
    close(nth(fSeed, 4)(0.1), E("the seed: fourth derivative at 0.1")));
  it("vmap(grad(square)) over linspace(0, 1, 7)", () =>
    close(
      vmap(grad(np.square))(np.linspace(0, 1, 7)),
      E("the seed: vmap(grad(square)) over linspace(0, 1, 7)"),
    ));
  it("vmap(grad(grad(f)))", () =>
    close(vmap(grad(grad(fSeed)))(a([0.1, 0.5, 2.0])), E("the seed: vmap(grad(grad(f)))")));
  it("valueAndGrad", () => close(valueAndGrad(fSeed)(0.1), E("the seed: valueAndGrad")));
});

describe("JAX parity: higher orders", () => {
  it("6th derivative of sin", () =>
    close(nth(np.sin, 6)(0.7), E("higher orders: 6th derivative of sin")));
  it("6th derivative of tanh", () =>
    close(nth(np.tanh, 6)(0.3), E("higher orders: 6th derivative of tanh")));
  it("5th derivative of exp(sin x)", () =>
    close(
      nth((x: Array) => np.exp(np.sin(x)), 5)(0.4),
      E("higher orders: 5th derivative of exp(sin x)"),
    ));
  it("6th derivative of log", () =>
    close(nth(np.log, 6)(0.5), E("higher orders: 6th derivative of log")));
  it("5th derivative of 1/x", () =>
    close(nth((x: Array) => np.divide(1.0, x), 5)(2.0), E("higher orders: 5th derivative of 1/x")));
  it("6th derivative of x⁵ is 0", () =>
    close(
      nth((x: Array) => np.power(x, 5), 6)(1.3),
      E("higher orders: 6th derivative of x⁵ is 0"),
    ));
  it("4th derivative of x^3.5", () =>
    close(
      nth((x: Array) => np.power(x, 3.5), 4)(1.7),
      E("higher orders: 4th derivative of x^3.5"),
    ));
  it("6th derivative of x^7.5", () =>
    close(
      nth((x: Array) => np.power(x, 7.5), 6)(1.2),
      E("higher orders: 6th derivative of x^7.5"),
    ));
  it("5th derivative of softplus", () =>
    close(nth(nn.softplus, 5)(0.2), E("higher orders: 5th derivative of softplus")));
  it("jvp of jvp of jvp of sin", () => {
    const f2 = fwd(fwd(np.sin));
    close(jvp(f2, [0.5], [1.0]), E("higher orders: jvp of jvp of jvp of sin"));
  });
  it("jvp of grad of grad", () =>
    close(
      jvp(grad(grad((x: Array) => np.multiply(np.power(x, 4), np.cos(x)))), [0.9], [1.0]),
      E("higher orders: jvp of grad of grad"),
    ));
  it("hessian of hessian", () =>
    close(
      hessian(hessian((x: Array) => np.sum(np.power(x, 4))))(a([1.0, 2.0])),
      E("higher orders: hessian of hessian"),
    ));
  it("jacfwd(jacrev(jacfwd))", () =>
    close(
      jacfwd(jacrev(jacfwd((x: Array) => np.multiply(np.sin(x), x.get(0)))))(a([0.3, 0.5])),
      E("higher orders: jacfwd(jacrev(jacfwd))"),
    ));
  it("third-order mixed partial ∂y∂x∂y", () => {
    const f = (x: Array, y: Array) => np.exp(np.multiply(np.multiply(x, y), y));
    close(
      grad(grad(grad(f, { argnums: 1 }), { argnums: 0 }), { argnums: 1 })(0.5, 0.7),
      E("higher orders: third-order mixed partial ∂y∂x∂y"),
    );
  });
  it("6th order alternating grad and forward mode", () => {
    let f: AnyFunction = (x: Array) => np.log1p(np.power(x, 2));
    for (let k = 0; k < 6; k++) f = k % 2 === 0 ? grad(f) : fwd(f);
    close(f(0.6), E("higher orders: 6th order alternating grad and forward mode"));
  });
  it("6th derivative through a vmap", () => {
    const f = (s: Array) =>
      np.sum(
        vmap((w: Array) => np.exp(np.multiply(np.multiply(np.negative(w), s), s)))(a([0.5, 1.0])),
      );
    close(nth(f, 6)(0.3), E("higher orders: 6th derivative through a vmap"));
  });
  it("6th derivative of a logsumexp", () =>
    close(
      nth((s: Array) => np.logsumexp(np.multiply(a([0.1, 0.5, -0.3]), s)), 6)(1.3),
      E("higher orders: 6th derivative of a logsumexp"),
    ));
  it("6th derivative of sigmoid under vmap", () =>
    close(
      vmap(nth(nn.sigmoid, 6))(a([-2.0, 0.0, 0.5])),
      E("higher orders: 6th derivative of sigmoid under vmap"),
    ));
});

describe("JAX parity: perturbation confusion", () => {
  it("d/dx [x · d/dy (x + y)] = 1", () =>
    close(
      grad((x: Array) => np.multiply(x, grad((y: Array) => np.add(x, y))(1.0)))(1.0),
      E("perturbation confusion: d/dx [x · d/dy (x + y)] = 1"),
    ));
  it("the same with jvp", () => {
    const inner = (x: Array) => jvp((y: Array) => np.add(x, y), [1.0], [1.0])[1];
    close(
      jvp((x: Array) => np.multiply(x, inner(x)), [1.0], [1.0]),
      E("perturbation confusion: the same with jvp"),
    );
  });
  it("three nested closures", () => {
    const f = (x: Array) => {
      const g = (y: Array) => grad((z: Array) => np.multiply(np.multiply(x, y), z))(1.0);
      return np.multiply(grad(g)(x), x);
    };
    close(grad(f)(2.0), E("perturbation confusion: three nested closures"));
  });
  it("a higher-order derivative operator used twice", () => {
    const D = (h: AnyFunction) => grad(h);
    close(
      D((x: Array) => np.multiply(x, D((y: Array) => np.multiply(x, y))(x)))(3.0),
      E("perturbation confusion: a higher-order derivative operator used twice"),
    );
  });
  it("d/dx [(d/dy sin(xy))(x)]", () =>
    close(
      grad((x: Array) => grad((y: Array) => np.sin(np.multiply(x, y)))(x))(0.7),
      E("perturbation confusion: d/dx [(d/dy sin(xy))(x)]"),
    ));
  it("vmap of an inner grad inside an outer grad", () =>
    close(
      grad((x: Array) =>
        np.sum(
          vmap((y: Array) => grad((z: Array) => np.multiply(np.multiply(x, z), y))(1.0))(
            a([1, 2, 3]),
          ),
        )
      )(2.0),
      E("perturbation confusion: vmap of an inner grad inside an outer grad"),
    ));
  it("jvp inside grad, tangent depending on the outer variable", () =>
    close(
      grad((x: Array) => jvp((y: Array) => np.multiply(np.multiply(x, y), y), [x], [x])[1])(1.5),
      E("perturbation confusion: jvp inside grad, tangent depending on the outer variable"),
    ));
  it("grad inside jvp", () =>
    close(
      jvp((x: Array) => grad((y: Array) => np.multiply(x, np.sin(y)))(x), [0.4], [1.0]),
      E("perturbation confusion: grad inside jvp"),
    ));
  it("one derivative function applied at two points", () => {
    const g = (x: Array) => grad((y: Array) => np.multiply(x, np.exp(y)))(x);
    close(
      grad((x: Array) => np.multiply(g(x), g(np.multiply(2.0, x))))(0.3),
      E("perturbation confusion: one derivative function applied at two points"),
    );
  });
  it("grad of vmap of vmap of grad sharing a closure", () =>
    close(
      grad((s: Array) =>
        np.sum(
          vmap((x: Array) =>
            vmap((y: Array) =>
              grad((z: Array) => np.multiply(np.multiply(np.multiply(s, x), y), np.power(z, 2)))(
                1.0,
              )
            )(a([1.0, 2.0]))
          )(X3()),
        )
      )(0.5),
      E("perturbation confusion: grad of vmap of vmap of grad sharing a closure"),
    ));
  it("jvp of a product of two jvps of one function", () => {
    const f = (x: Array) => np.power(x, 3);
    close(
      jvp(
        (x: Array) => np.multiply(jvp(f, [x], [x])[1], jvp(f, [np.multiply(2, x)], [1.0])[1]),
        [0.5],
        [1.0],
      ),
      E("perturbation confusion: jvp of a product of two jvps of one function"),
    );
  });
});

describe("JAX parity: stacking orders", () => {
  it("vmap ∘ grad", () => close(vmap(grad(fS))(M23()), E("stacking orders: vmap ∘ grad")));
  it("grad ∘ vmap", () =>
    close(grad((x: Array) => np.sum(vmap(gS)(x)))(X3()), E("stacking orders: grad ∘ vmap")));
  it("jvp ∘ grad", () =>
    close(jvp(grad(fS), [X3()], [a([1.0, 0.5, -2.0])]), E("stacking orders: jvp ∘ grad")));
  it("grad ∘ jvp", () =>
    close(
      grad((x: Array) => jvp(fS, [x], [a([1.0, 0.5, -2.0])])[1])(X3()),
      E("stacking orders: grad ∘ jvp"),
    ));
  it("vjp ∘ vmap", () => {
    const [out, pb] = vjp(vmap(fV), [M23()]);
    close(
      [out, pb(np.multiply(np.ones([2, 3]), a([[1.0], [2.0]])))],
      E("stacking orders: vjp ∘ vmap"),
    );
  });
  it("vmap ∘ vjp", () => {
    const one = (x: Array, ct: Array) => vjp(fV, [x])[1](ct)[0];
    close(
      vmap(one)(M23(), a([[1.0, 0.0, 2.0], [0.5, 0.5, 0.5]])),
      E("stacking orders: vmap ∘ vjp"),
    );
  });
  it("vmap ∘ vmap ∘ grad", () =>
    close(vmap(vmap(grad(gS)))(M23()), E("stacking orders: vmap ∘ vmap ∘ grad")));
  it("vmap ∘ jvp", () =>
    close(
      vmap((x: Array, t: Array) => jvp(fV, [x], [t]))(M23(), np.multiply(M23(), 2)),
      E("stacking orders: vmap ∘ jvp"),
    ));
  it("jvp ∘ vmap", () =>
    close(jvp(vmap(fV), [M23()], [np.ones([2, 3])]), E("stacking orders: jvp ∘ vmap")));
  it("vjp ∘ grad", () => {
    const [out, pb] = vjp(grad(fS), [X3()]);
    close([out, pb(a([1.0, -1.0, 0.5]))], E("stacking orders: vjp ∘ grad"));
  });
  it("grad ∘ vjp", () => {
    const h = (x: Array) => np.sum(np.power(vjp(fV, [x])[1](np.ones([3]))[0], 2));
    close(grad(h)(X3()), E("stacking orders: grad ∘ vjp"));
  });
  it("linearize ∘ grad", () => {
    const [y, fj] = linearize(grad(fS), [X3()]);
    close(
      [y, fj(a([1.0, 0.0, 0.0])), fj(a([0.0, 2.0, 1.0]))],
      E("stacking orders: linearize ∘ grad"),
    );
  });
  it("vmap ∘ hessian", () => close(vmap(hessian(fS))(M23()), E("stacking orders: vmap ∘ hessian")));
  it("hessian ∘ vmap", () =>
    close(hessian((x: Array) => np.sum(vmap(gS)(x)))(X3()), E("stacking orders: hessian ∘ vmap")));
  it("vmap ∘ jacrev", () => close(vmap(jacrev(fV))(M23()), E("stacking orders: vmap ∘ jacrev")));
  it("vmap(grad) with inAxes 1", () =>
    close(vmap(grad(fS), { inAxes: 1 })(M23()), E("stacking orders: vmap(grad) with inAxes 1")));
  it("vmap(jacrev) with outAxes 1", () =>
    close(
      vmap(jacrev(fV), { outAxes: 1 })(M23()),
      E("stacking orders: vmap(jacrev) with outAxes 1"),
    ));
  it("vmap(grad wrt an unmapped argument)", () => {
    const f = (x: Array, y: Array) => np.power(np.sum(np.multiply(x, y)), 2);
    close(
      vmap(grad(f, { argnums: 1 }), { inAxes: [0, null] })(M23(), X3()),
      E("stacking orders: vmap(grad wrt an unmapped argument)"),
    );
  });
  it("jvp ∘ jvp", () =>
    close(
      jvp((x: Array) => jvp(fV, [x], [a([1.0, 1.0, 1.0])])[1], [X3()], [a([0.0, 1.0, 0.0])]),
      E("stacking orders: jvp ∘ jvp"),
    ));
  it("vjp ∘ vjp", () => {
    const h = (x: Array) => vjp(fV, [x])[1](a([1.0, 2.0, 3.0]))[0];
    const [out, pb2] = vjp(h, [X3()]);
    close([out, pb2(a([1.0, 0.0, -1.0]))], E("stacking orders: vjp ∘ vjp"));
  });
  it("grad ∘ grad ∘ vmap", () =>
    close(
      grad(grad((s: Array) => np.sum(vmap((x: Array) => gS(np.multiply(x, s)))(X3()))))(0.7),
      E("stacking orders: grad ∘ grad ∘ vmap"),
    ));
  it("vmap ∘ vmap ∘ vmap ∘ grad", () =>
    close(
      vmap(vmap(vmap(grad(gS))))(np.divide(range(24).reshape([2, 3, 4]), 10)),
      E("stacking orders: vmap ∘ vmap ∘ vmap ∘ grad"),
    ));
  it("vmap of a pullback (the Jacobian by rows)", () => {
    const [, pb] = vjp(fV, [X3()]);
    close(vmap(pb)(np.eye(3)), E("stacking orders: vmap of a pullback (the Jacobian by rows)"));
  });
  it("grad of a pullback with respect to the cotangent", () => {
    const [, pb] = vjp(fV, [X3()]);
    close(
      grad((ct: Array) => np.sum(np.power(pb(ct)[0], 2)))(a([1.0, 2.0, 3.0])),
      E("stacking orders: grad of a pullback with respect to the cotangent"),
    );
  });
  it("Hessian-vector products four ways agree", () => {
    const f = (x: Array) => np.add(np.sum(np.multiply(np.sin(x), np.power(x, 2))), np.prod(x));
    const x = X3(), v = a([1.0, -1.0, 0.5]);
    close([
      jvp(grad(f), [x], [v])[1],
      grad((y: Array) => np.vdot(grad(f)(y), v))(x),
      np.matmul(hessian(f)(x), v),
      vjp(grad(f), [x])[1](v)[0],
    ], E("stacking orders: Hessian-vector products four ways agree"));
  });
  it("grad through a pullback of a pullback", () => {
    const h = (x: Array) => {
      const [, pb] = vjp((y: Array) => np.multiply(np.sin(y), y), [x]);
      const [, pb2] = vjp((ct: Array) => pb(ct)[0], [1.0]);
      return pb2(x)[0];
    };
    close(grad(h)(0.7), E("stacking orders: grad through a pullback of a pullback"));
  });
});

describe("JAX parity: Jacobians and Hessians", () => {
  const stack3 = (t: Array) => np.stack([np.sin(t), np.cos(t), np.power(t, 2)]);
  const mm = (m: Array) => np.matmul(np.tanh(m), np.transpose(m));
  it("jacrev ℝ³ → ℝ³", () => close(jacrev(fV)(X3()), E("Jacobians and Hessians: jacrev ℝ³ → ℝ³")));
  it("jacfwd of a scalar input", () =>
    close(jacfwd(stack3)(0.5), E("Jacobians and Hessians: jacfwd of a scalar input")));
  it("jacfwd matrix → matrix", () =>
    close(jacfwd(mm)(M23()), E("Jacobians and Hessians: jacfwd matrix → matrix")));
  it("jacrev matrix → matrix", () =>
    close(jacrev(mm)(M23()), E("Jacobians and Hessians: jacrev matrix → matrix")));
  it("jacrev with argnums [0, 1]", () =>
    close(
      jacrev((x: Array, y: Array) => np.multiply(x, np.sum(y)), { argnums: [0, 1] })(
        X3(),
        a([1.0, 2.0]),
      ),
      E("Jacobians and Hessians: jacrev with argnums [0, 1]"),
    ));
  it("jacrev of a dict input", () =>
    close(
      jacrev((p: { w: Array; b: Array }) => np.multiply(p.w, p.b))({ w: X3(), b: a(2.0) }),
      E("Jacobians and Hessians: jacrev of a dict input"),
    ));
  it("jacrev of a dict output", () =>
    close(
      jacrev((x: Array) => ({ a: np.multiply(x, 2), b: np.prod(x) }))(X3()),
      E("Jacobians and Hessians: jacrev of a dict output"),
    ));
  it("hessian of a dict input", () =>
    close(
      hessian((p: { w: Array; b: Array }) =>
        np.multiply(np.sum(np.power(p.w, 2)), np.power(p.b, 3))
      )({ w: a([1.0, 2.0]), b: a(0.5) }),
      E("Jacobians and Hessians: hessian of a dict input"),
    ));
  it("hessian with argnums [0, 1]", () =>
    close(
      hessian((x: Array, y: Array) => np.sum(np.multiply(np.power(x, 2), y)), { argnums: [0, 1] })(
        a([1.0, 2.0]),
        a([3.0, 4.0]),
      ),
      E("Jacobians and Hessians: hessian with argnums [0, 1]"),
    ));
  it("hessian of Rosenbrock", () =>
    close(
      hessian((x: Array) => {
        const hi = x.get("1:"), lo = x.get(":-1");
        return np.sum(
          np.add(
            np.multiply(100, np.power(np.subtract(hi, np.power(lo, 2)), 2)),
            np.power(np.subtract(1, lo), 2),
          ),
        );
      })(a([1.2, 0.8, -0.5, 1.1])),
      E("Jacobians and Hessians: hessian of Rosenbrock"),
    ));
  it("jacrev of softmax", () =>
    close(
      jacrev((x: Array) => nn.softmax(x))(a([0.1, 2.0, -1.0])),
      E("Jacobians and Hessians: jacrev of softmax"),
    ));
  it("hessian of a vector-valued function is rank 3", () =>
    close(
      hessian((x: Array) => np.multiply(np.sin(x), np.sum(np.power(x, 2))))(a([0.3, -1.2])),
      E("Jacobians and Hessians: hessian of a vector-valued function is rank 3"),
    ));
  it("jacrev with argnums over a tree and an array", () =>
    close(
      jacrev((p: { w: Array; b: Array }, x: Array) => np.add(np.matmul(p.w, x), p.b), {
        argnums: [0, 1],
      })({ w: M23(), b: a([1.0, 2.0]) }, X3()),
      E("Jacobians and Hessians: jacrev with argnums over a tree and an array"),
    ));
});

describe("JAX parity: closures, constants and ignored inputs", () => {
  it("grad of a function that takes grad of a closure", () => {
    const outer = (s: Array) => grad((x: Array) => np.multiply(s, np.power(x, 2)))(3.0);
    close(
      grad(outer)(2.0),
      E("closures, constants and ignored inputs: grad of a function that takes grad of a closure"),
    );
  });
  it("a constant function has gradient 0", () =>
    close(
      grad((_x: Array) => 3.0)(1.0),
      E("closures, constants and ignored inputs: a constant function has gradient 0"),
    ));
  it("an ignored argument has gradient 0", () =>
    close(
      grad((x: Array, _y: Array) => np.sin(x), { argnums: [0, 1] })(0.0, 5.0),
      E("closures, constants and ignored inputs: an ignored argument has gradient 0"),
    ));
  it("vjp gives zeros for an ignored argument", () => {
    const [out, pb] = vjp((x: Array, _y: Array) => np.multiply(x, 2), [X3(), a(7.0)]);
    close(
      [out, pb(np.ones([3]))],
      E("closures, constants and ignored inputs: vjp gives zeros for an ignored argument"),
    );
  });
  it("jacrev of a constant", () =>
    close(
      jacrev((_x: Array) => np.ones([2]))(X3()),
      E("closures, constants and ignored inputs: jacrev of a constant"),
    ));
  it("stopGradient under grad ∘ grad", () =>
    close(
      grad(grad((x: Array) => np.multiply(np.power(x, 2), stopGradient(np.power(x, 2)))))(1.5),
      E("closures, constants and ignored inputs: stopGradient under grad ∘ grad"),
    ));
  it("vmap(grad) with an ignored unmapped argument", () =>
    close(
      vmap(grad((x: Array, _y: Array) => np.sum(x), { argnums: [0, 1] }), { inAxes: [0, null] })(
        M23(),
        a([1.0, 2.0]),
      ),
      E("closures, constants and ignored inputs: vmap(grad) with an ignored unmapped argument"),
    ));
  it("jacfwd with an ignored argument has the right shape", () =>
    close(
      jacfwd((x: Array, _y: Array) => np.multiply(x, 2), { argnums: [0, 1] })(X3(), M23()),
      E("closures, constants and ignored inputs: jacfwd with an ignored argument has the right shape"),
    ));
  it("vmap of a constant function broadcasts", () =>
    close(
      vmap((_x: Array) => 1.0)(X3()),
      E("closures, constants and ignored inputs: vmap of a constant function broadcasts"),
    ));
});

describe("JAX parity: several arguments, aux and trees", () => {
  const f3 = (x: Array, y: Array, z: Array) =>
    np.multiply(np.multiply(x, np.power(y, 2)), np.sin(z));
  it("argnums [2, 0] keeps the order", () =>
    close(
      grad(f3, { argnums: [2, 0] })(1.5, 2.0, 0.3),
      E("several arguments, aux and trees: argnums [2, 0] keeps the order"),
    ));
  it("hasAux with a tree aux", () =>
    close(
      grad((x: Array) => [np.power(x, 2), { v: np.multiply(x, 3), w: [x, 1.0] }], {
        hasAux: true,
      })(2.0),
      E("several arguments, aux and trees: hasAux with a tree aux"),
    ));
  it("valueAndGrad with argnums and hasAux", () =>
    close(
      valueAndGrad((x: Array, y: Array) => [np.sum(np.multiply(x, y)), np.subtract(x, y)], {
        argnums: [0, 1],
        hasAux: true,
      })(X3(), a([1.0, 2.0, 3.0])),
      E("several arguments, aux and trees: valueAndGrad with argnums and hasAux"),
    ));
  it("grad of a parameter tree", () => {
    const x = a([1.0, 2.0, 3.0]);
    const loss = (p: { w: Array; b: Array }) =>
      np.sum(np.power(np.tanh(np.add(np.matmul(p.w, x), p.b)), 2));
    close(
      grad(loss)({ w: M23(), b: a([0.1, -0.2]) }),
      E("several arguments, aux and trees: grad of a parameter tree"),
    );
  });
  it("vjp with two outputs", () => {
    const [out, pb] = vjp(
      (x: Array, y: Array) => [np.multiply(x, y), np.add(x, y)],
      [a([1.0, 2.0]), a([3.0, 4.0])],
    );
    close(
      [out, pb([a([1.0, 1.0]), a([0.5, 0.0])])],
      E("several arguments, aux and trees: vjp with two outputs"),
    );
  });
  it("a pullback called again after other work", () => {
    const [, pb] = vjp(fV, [X3()]);
    const first = pb(a([1.0, 0.0, 0.0]));
    grad(gS)(0.1);
    close(
      [first, pb(a([0.0, 1.0, 0.0])), pb(a([1.0, 1.0, 0.0]))],
      E("several arguments, aux and trees: a pullback called again after other work"),
    );
  });
  it("a linearized function called twice", () => {
    const [y, fj] = linearize((x: Array, z: Array) => np.multiply(np.sin(x), z), [X3(), a(2.0)]);
    close(
      [y, fj(np.ones([3]), a(0.0)), fj(np.zeros([3]), a(1.0))],
      E("several arguments, aux and trees: a linearized function called twice"),
    );
  });
});

describe("JAX parity: kinks", () => {
  const whereSqrt = (x: Array) => np.where(np.greater(x, 0), np.sqrt(x), 0.0);
  it("abs'(0) = 1", () => close(grad(np.abs)(0.0), E("kinks: abs'(0) = 1")));
  it("jvp of abs at 0", () => close(jvp(np.abs, [0.0], [-2.0]), E("kinks: jvp of abs at 0")));
  it("maximum tie splits 0.5 / 0.5", () =>
    close(
      grad((x: Array, y: Array) => np.maximum(x, y), { argnums: [0, 1] })(1.0, 1.0),
      E("kinks: maximum tie splits 0.5 / 0.5"),
    ));
  it("maximum(x, 0) at 0 is 0.5", () =>
    close(grad((x: Array) => np.maximum(x, 0.0))(0.0), E("kinks: maximum(x, 0) at 0 is 0.5")));
  it("jvp of maximum at a tie averages the tangents", () =>
    close(
      jvp(np.maximum, [1.0, 1.0], [3.0, 5.0]),
      E("kinks: jvp of maximum at a tie averages the tangents"),
    ));
  it("relu'(-1, 0, 1)", () =>
    close(vmap(grad(nn.relu))(a([-1.0, 0.0, 1.0])), E("kinks: relu'(-1, 0, 1)")));
  it("relu6' at 0 and 6 is 0", () =>
    close(vmap(grad(nn.relu6))(a([-1.0, 0.0, 3.0, 6.0, 7.0])), E("kinks: relu6' at 0 and 6 is 0")));
  it("leakyRelu'(0) = 1", () =>
    close(
      vmap(grad((x: Array) => nn.leakyRelu(x)))(a([-1.0, 0.0, 1.0])),
      E("kinks: leakyRelu'(0) = 1"),
    ));
  it("elu'(0) = 1", () =>
    close(vmap(grad((x: Array) => nn.elu(x)))(a([-1.0, 0.0, 1.0])), E("kinks: elu'(0) = 1")));
  it("sqrt'(0) = inf", () => close(grad(np.sqrt)(0.0), E("kinks: sqrt'(0) = inf")));
  it("jvp of sqrt at 0", () => close(jvp(np.sqrt, [0.0], [1.0]), E("kinks: jvp of sqrt at 0")));
  it("the where-NaN gotcha at 0", () =>
    close(grad(whereSqrt)(0.0), E("kinks: the where-NaN gotcha at 0")));
  it("the where-NaN gotcha at -1", () =>
    close(grad(whereSqrt)(-1.0), E("kinks: the where-NaN gotcha at -1")));
  it("the double-where fix", () => {
    const f = (x: Array) => {
      const safe = np.where(np.greater(x, 0), x, 1.0);
      return np.where(np.greater(x, 0), np.sqrt(safe), 0.0);
    };
    close(vmap(grad(f))(a([-1.0, 0.0, 4.0])), E("kinks: the double-where fix"));
  });
  it("clip at its bounds", () =>
    close(
      vmap(grad((x: Array) => np.clip(x, -1.0, 1.0)))(a([-2.0, -1.0, 0.0, 1.0, 2.0])),
      E("kinks: clip at its bounds"),
    ));
  it("max reduction ties share the gradient", () =>
    close(
      grad((x: Array) => np.max(x))(a([1.0, 3.0, 3.0, 2.0])),
      E("kinks: max reduction ties share the gradient"),
    ));
  it("max over an axis with ties", () =>
    close(
      grad((x: Array) => np.sum(np.multiply(np.max(x, 1), a([1.0, 2.0]))))(
        a([[1.0, 5.0, 5.0], [0.0, -1.0, 0.0]]),
      ),
      E("kinks: max over an axis with ties"),
    ));
  it("jvp of a max reduction with ties", () =>
    close(
      jvp((x: Array) => np.max(x), [a([3.0, 1.0, 3.0])], [a([1.0, 10.0, 2.0])]),
      E("kinks: jvp of a max reduction with ties"),
    ));
  it("arctan2 at the origin", () =>
    close(grad(np.arctan2, { argnums: [0, 1] })(0.0, 0.0), E("kinks: arctan2 at the origin")));
  it("logaddexp(-inf, 1)", () =>
    close(grad(np.logaddexp, { argnums: [0, 1] })(-inf, 1.0), E("kinks: logaddexp(-inf, 1)")));
  it("maximum(x, x²) at the tie x = 1, first and second order", () =>
    close([
      grad((x: Array) => np.maximum(x, np.power(x, 2)))(1.0),
      grad(grad((x: Array) => np.maximum(x, np.power(x, 2))))(1.0),
      grad(grad((x: Array) => np.minimum(np.power(x, 3), np.power(x, 2))))(1.0),
    ], E("kinks: maximum(x, x²) at the tie x = 1, first and second order")));
  it("second derivatives of abs, relu and maximum at 0", () =>
    close([
      hessian((x: Array) => np.sum(np.abs(x)))(a([0.0, 1.0])),
      grad(grad(nn.relu))(0.0),
      grad(grad((x: Array) => np.maximum(x, 0.0)))(0.0),
    ], E("kinks: second derivatives of abs, relu and maximum at 0")));
  it(
    "relu' and relu6' at NaN are 0 (nabla: 1; JAX's rules select(x > 0, g, 0))",
    () => {
      close(
        vmap(grad(nn.relu))(a([nan, inf, -inf])),
        E("kinks: relu' and relu6' at NaN are 0 (nabla: 1; JAX's rules select(x > 0, g, 0)) #1"),
      );
      close(
        vmap(grad(nn.relu6))(a([nan, inf, -inf])),
        E("kinks: relu' and relu6' at NaN are 0 (nabla: 1; JAX's rules select(x > 0, g, 0)) #2"),
      );
    },
  );
  it("logaddexp' with infinite or NaN arguments (nabla: 0.5/0 weights, NaN dropped)", () => {
    // JAX's rule: t1·exp(r(x1) − r(out)) + t2·exp(r(x2) − r(out)), r replacing +inf by 0.
    const g = grad(np.logaddexp, { argnums: [0, 1] });
    close(
      g(inf, inf),
      E("kinks: logaddexp' with infinite or NaN arguments (nabla: 0.5/0 weights, NaN dropped) #1"),
    );
    close(
      g(-inf, -inf),
      E("kinks: logaddexp' with infinite or NaN arguments (nabla: 0.5/0 weights, NaN dropped) #2"),
    );
    close(
      g(inf, 1.0),
      E("kinks: logaddexp' with infinite or NaN arguments (nabla: 0.5/0 weights, NaN dropped) #3"),
    );
    close(
      g(inf, -inf),
      E("kinks: logaddexp' with infinite or NaN arguments (nabla: 0.5/0 weights, NaN dropped) #4"),
    );
    close(
      g(nan, 1.0),
      E("kinks: logaddexp' with infinite or NaN arguments (nabla: 0.5/0 weights, NaN dropped) #5"),
    );
  });
});

describe("JAX parity: pow", () => {
  const powGrad = grad(np.power, { argnums: [0, 1] });
  it("x ** 0 (an integer exponent) at 0: value 1, derivative 0", () =>
    close(
      [np.power(0.0, 0), grad((x: Array) => np.power(x, 0))(0.0)],
      E("pow: x ** 0 (an integer exponent) at 0: value 1, derivative 0"),
    ));
  it("d/dy 0 ** y at y = 2 and y = 0", () =>
    close([
      grad((y: Array) => np.power(0.0, y))(2.0),
      grad((y: Array) => np.power(0.0, y))(0.0),
    ], E("pow: d/dy 0 ** y at y = 2 and y = 0")));
  it("both partials at x = 0 for y = 2, 0.5, 1", () =>
    close(
      [powGrad(0.0, 2.0), powGrad(0.0, 0.5), powGrad(0.0, 1.0)],
      E("pow: both partials at x = 0 for y = 2, 0.5, 1"),
    ));
  it("negative base, integer exponent", () =>
    close(grad((x: Array) => np.power(x, 3))(-2.0), E("pow: negative base, integer exponent")));
  it("negative base: d/dy is NaN", () =>
    close(powGrad(-2.0, 3.0), E("pow: negative base: d/dy is NaN")));
  it("negative base, fractional exponent: NaN", () =>
    close(
      [np.power(-8.0, 1.0 / 3), grad((x: Array) => np.power(x, 1.0 / 3))(-8.0)],
      E("pow: negative base, fractional exponent: NaN"),
    ));
  it("x ** -1 at 0", () => close(grad((x: Array) => np.power(x, -1))(0.0), E("pow: x ** -1 at 0")));
  it("higher derivatives of integer powers at 0", () =>
    close([
      nth((x: Array) => np.power(x, 3), 3)(0.0),
      nth((x: Array) => np.power(x, 2), 2)(0.0),
      nth((x: Array) => np.power(x, 3), 2)(0.0),
    ], E("pow: higher derivatives of integer powers at 0")));
  it("array exponents", () =>
    close(
      grad((x: Array) => np.sum(np.power(x, a([0.0, 1.0, 2.0, 0.5]))))(a([2.0, 3.0, 0.0, 4.0])),
      E("pow: array exponents"),
    ));
  it("gradient with respect to array exponents", () =>
    close(
      grad((y: Array) => np.sum(np.power(a([2.0, 0.0, -1.0, 3.0]), y)))(a([1.5, 2.0, 2.0, 0.0])),
      E("pow: gradient with respect to array exponents"),
    ));
  it("x ** x, first and second derivative", () =>
    close([
      grad((x: Array) => np.power(x, x))(1.5),
      grad(grad((x: Array) => np.power(x, x)))(1.5),
    ], E("pow: x ** x, first and second derivative")));
  it(
    "an array exponent 0 at x = 0 or NaN gives NaN, as JAX's pow (0 · x^-1)",
    () => {
      // JAX applies the `y == 0 → 0` convention only to integer exponents (integer_pow).
      close(
        powGrad(0.0, 0.0),
        E("pow: an array exponent 0 at x = 0 or NaN gives NaN, as JAX's pow (0 · x^-1) #1"),
      );
      close(
        powGrad(nan, 0.0),
        E("pow: an array exponent 0 at x = 0 or NaN gives NaN, as JAX's pow (0 · x^-1) #2"),
      );
      close(
        vmap(powGrad)(a([0.0, -1.0, 2.0]), a([0.0, 2.0, -1.0])),
        E("pow: an array exponent 0 at x = 0 or NaN gives NaN, as JAX's pow (0 · x^-1) #3"),
      );
    },
  );
});

describe("JAX parity: special values", () => {
  it("exp' at inf, -inf, NaN", () =>
    close(vmap(grad(np.exp))(a([inf, -inf, nan])), E("special values: exp' at inf, -inf, NaN")));
  it("sigmoid' at ±inf", () =>
    close(vmap(grad(nn.sigmoid))(a([inf, -inf])), E("special values: sigmoid' at ±inf")));
  it("x · 0 at NaN has derivative 0", () =>
    close(
      grad((x: Array) => np.multiply(x, 0.0))(nan),
      E("special values: x · 0 at NaN has derivative 0"),
    ));
  it("a NaN in an unused argument does not leak", () =>
    close(
      grad((x: Array, _y: Array) => np.multiply(x, 2), { argnums: [0, 1] })(1.0, nan),
      E("special values: a NaN in an unused argument does not leak"),
    ));
  it("max with a NaN", () =>
    close(grad((x: Array) => np.max(x))(a([1.0, nan, 2.0])), E("special values: max with a NaN")));
  it("logsumexp with -inf entries", () =>
    close(
      grad((x: Array) => np.logsumexp(x))(a([-inf, 0.0, 1.0])),
      E("special values: logsumexp with -inf entries"),
    ));
  it("logsumexp of all -inf", () =>
    close(
      grad((x: Array) => np.logsumexp(x))(a([-inf, -inf])),
      E("special values: logsumexp of all -inf"),
    ));
  it("jacrev of softmax with a -inf logit", () =>
    close(
      jacrev((x: Array) => nn.softmax(x))(a([-inf, 0.0, 1.0])),
      E("special values: jacrev of softmax with a -inf logit"),
    ));
  it("logSoftmax with a -inf logit", () =>
    close(
      grad((x: Array) => nn.logSoftmax(x).get(1))(a([-inf, 0.0, 1.0])),
      E("special values: logSoftmax with a -inf logit"),
    ));
  it("abs' at inf, -inf, NaN, -0", () =>
    close(
      vmap(grad(np.abs))(a([inf, -inf, nan, -0.0])),
      E("special values: abs' at inf, -inf, NaN, -0"),
    ));
  it("maximum(inf, inf)", () =>
    close(grad(np.maximum, { argnums: [0, 1] })(inf, inf), E("special values: maximum(inf, inf)")));
  it("logsumexp over a row of -inf", () => {
    const x = a([[-inf, -inf], [0.0, 1.0]]);
    close(
      [np.logsumexp(x, 1), grad((y: Array) => np.sum(np.logsumexp(y, 1)))(x)],
      E("special values: logsumexp over a row of -inf"),
    );
  });
});

describe("JAX parity: reductions", () => {
  const rg = (f: (x: Array) => Array) => grad((x: Array) => np.sum(np.multiply(np.sin(f(x)), 1.7)));
  it("sum over axes (0, 2)", () =>
    close(rg((x) => np.sum(x, [0, 2]))(T234()), E("reductions: sum over axes (0, 2)")));
  it("mean over axis 1", () =>
    close(rg((x) => np.mean(x, 1))(T234()), E("reductions: mean over axis 1")));
  it("max over axis 1", () =>
    close(rg((x) => np.max(x, 1))(T234()), E("reductions: max over axis 1")));
  it("min over axes (1, 2)", () =>
    close(rg((x) => np.min(x, [1, 2]))(T234()), E("reductions: min over axes (1, 2)")));
  it("prod over axis -1", () =>
    close(rg((x) => np.prod(x, -1))(T234()), E("reductions: prod over axis -1")));
  it("var with ddof 1", () =>
    close(rg((x) => np.var(x, -1, { ddof: 1 }))(T234()), E("reductions: var with ddof 1")));
  it("std over axis 1", () =>
    close(rg((x) => np.std(x, 1))(T234()), E("reductions: std over axis 1")));
  it("logsumexp over (0, 1) with keepdims", () =>
    close(
      rg((x) => np.logsumexp(x, [0, 1], { keepdims: true }))(T234()),
      E("reductions: logsumexp over (0, 1) with keepdims"),
    ));
  it("cumsum over axis 0", () =>
    close(rg((x) => np.cumsum(x, 0))(T234()), E("reductions: cumsum over axis 0")));
  it("cumsum of the flattened array", () =>
    close(rg((x) => np.cumsum(x))(M23()), E("reductions: cumsum of the flattened array")));
  it("prod with one zero", () =>
    close(grad((x: Array) => np.prod(x))(a([2.0, 0.0, 3.0])), E("reductions: prod with one zero")));
  it("prod with two zeros", () =>
    close(
      grad((x: Array) => np.prod(x))(a([2.0, 0.0, 0.0])),
      E("reductions: prod with two zeros"),
    ));
  it("hessian of prod with a zero", () =>
    close(
      hessian((x: Array) => np.prod(x))(a([2.0, 0.0, 3.0])),
      E("reductions: hessian of prod with a zero"),
    ));
  it("std of a constant vector: NaN gradient", () =>
    close(
      grad((x: Array) => np.std(x))(a([2.0, 2.0, 2.0])),
      E("reductions: std of a constant vector: NaN gradient"),
    ));
  it("hessian of std", () =>
    close(hessian((x: Array) => np.std(x))(a([1.0, 2.0, 4.0])), E("reductions: hessian of std")));
  // A deliberate difference: with ddof >= n, nabla follows NumPy (inf) where JAX gives NaN.
  it("var with ddof >= n is inf, as NumPy (JAX: NaN)", () =>
    close(
      np.var(a([1.0, 2.0]), null, { ddof: 2 }),
      E("reductions: var with ddof >= n is inf, as NumPy (JAX: NaN)"),
    ));
});

describe("JAX parity: where and broadcasting", () => {
  it("where with a broadcast condition and scalar branch", () =>
    close(
      grad((x: Array, y: Array) => np.sum(np.where(np.array([true, false, true]), x, y)), {
        argnums: [0, 1],
      })(a([[1.0], [2.0]]), a(3.0)),
      E("where and broadcasting: where with a broadcast condition and scalar branch"),
    ));
  it("where under vmap with a batched condition", () =>
    close(
      vmap((c: Array, x: Array) => np.where(c, x, np.negative(x)))(
        np.array([true, false]),
        a([3.0, 4.0]),
      ),
      E("where and broadcasting: where under vmap with a batched condition"),
    ));
  it("column plus row", () =>
    close(
      grad((x: Array, y: Array) => np.sum(np.sin(np.add(x, y))), { argnums: [0, 1] })(
        a([[0.1], [0.2], [0.3]]),
        a([[1.0, 2.0, 3.0, 4.0]]),
      ),
      E("where and broadcasting: column plus row"),
    ));
  it("rank promotion", () =>
    close(
      grad((x: Array, y: Array) => np.sum(np.power(np.multiply(x, y), 2)), { argnums: [0, 1] })(
        T234(),
        a([1.0, 2.0, 3.0, 4.0]),
      ),
      E("where and broadcasting: rank promotion"),
    ));
  it("vjp of a broadcasting division", () => {
    const [out, pb] = vjp((x: Array, y: Array) => np.divide(x, y), [
      a([[1.0], [2.0]]),
      a([3.0, 4.0, 5.0]),
    ]);
    close([out, pb(np.ones([2, 3]))], E("where and broadcasting: vjp of a broadcasting division"));
  });
  it("pairwise differences through new axes", () =>
    close(
      grad((x: Array) => np.sum(np.power(np.subtract(x.get(":", null), x.get(null, ":")), 2)))(
        a([1.0, 2.0, 4.0]),
      ),
      E("where and broadcasting: pairwise differences through new axes"),
    ));
});

describe("JAX parity: matmul and einsum", () => {
  const two = { argnums: [0, 1] };
  const a223 = () => np.divide(range(12).reshape([2, 2, 3]), 5);
  const b232 = () => np.subtract(np.divide(range(12).reshape([2, 3, 2]), 7), 0.5);
  it("matmul, both arguments", () =>
    close(
      grad((x: Array, y: Array) => np.sum(np.tanh(np.matmul(x, y))), two)(M23(), B32()),
      E("matmul and einsum: matmul, both arguments"),
    ));
  it("vector @ matrix", () =>
    close(
      grad((v: Array, m: Array) => np.sum(np.power(np.matmul(v, m), 2)), two)(a([1.0, 2.0]), M23()),
      E("matmul and einsum: vector @ matrix"),
    ));
  it("batched @ broadcast matrix", () =>
    close(
      grad((x: Array, y: Array) => np.sum(np.power(np.matmul(x, y), 2)), two)(a223(), B32()),
      E("matmul and einsum: batched @ broadcast matrix"),
    ));
  it("jvp of matmul", () =>
    close(
      jvp((x: Array, y: Array) => np.matmul(x, y), [M23(), B32()], [np.ones([2, 3]), np.eye(3, 2)]),
      E("matmul and einsum: jvp of matmul"),
    ));
  it("einsum trace", () =>
    close(
      grad((m: Array) => np.power(np.einsum("ii->", m), 2))(a([[1.0, 2.0], [3.0, 4.0]])),
      E("matmul and einsum: einsum trace"),
    ));
  it("einsum diagonal", () =>
    close(
      grad((m: Array) => np.sum(np.power(np.einsum("ii->i", m), 3)))(a([[1.0, 2.0], [3.0, 4.0]])),
      E("matmul and einsum: einsum diagonal"),
    ));
  it("einsum batched matmul", () =>
    close(
      grad((x: Array, y: Array) => np.sum(np.sin(np.einsum("bij,bjk->bik", x, y))), two)(
        a223(),
        b232(),
      ),
      E("matmul and einsum: einsum batched matmul"),
    ));
  it("einsum with an ellipsis", () =>
    close(
      grad((x: Array) => np.sum(np.power(np.einsum("...ij,jk->...ik", x, B32()), 2)))(a223()),
      E("matmul and einsum: einsum with an ellipsis"),
    ));
  it("einsum of three operands", () =>
    close(
      grad((x: Array, y: Array, z: Array) => np.sum(np.einsum("ij,jk,k->i", x, y, z)), {
        argnums: [0, 1, 2],
      })(M23(), B32(), a([1.0, -2.0])),
      E("matmul and einsum: einsum of three operands"),
    ));
  it("1-D @ 3-D", () =>
    close(
      grad((v: Array, t: Array) => np.sum(np.matmul(v, t)), two)(
        a([1.0, 2.0]),
        range(12).reshape([3, 2, 2]),
      ),
      E("matmul and einsum: 1-D @ 3-D"),
    ));
  it("trace, diag and diagonal", () =>
    close(
      grad((m: Array) =>
        np.add(
          np.add(np.trace(np.matmul(m, m)), np.sum(np.power(np.diag(m), 2))),
          np.sum(np.diagonal(m, 1)),
        )
      )(a([[1.0, 2.0, 0.5], [3.0, 4.0, -1.0], [0.0, 1.0, 2.0]])),
      E("matmul and einsum: trace, diag and diagonal"),
    ));
  it("slices with negative steps and integer indexing", () =>
    close(
      grad((x: Array) =>
        np.add(np.sum(np.power(x.get("1:", "::-1"), 2)), np.multiply(x.get(0, 1), 3))
      )(a([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0], [7.0, 8.0, 9.0]])),
      E("matmul and einsum: slices with negative steps and integer indexing"),
    ));
  it("take with repeated indices accumulates", () =>
    close(
      grad((x: Array) => np.sum(np.power(np.take(x, i32([0, 2, 0, 0])), 2)))(a([1.0, 2.0, 3.0])),
      E("matmul and einsum: take with repeated indices accumulates"),
    ));
});

// A custom rule that disagrees with the function on purpose (2 cos x), to prove it is used.
const fakeSin = customJvp((x: Array) => np.sin(x));
fakeSin.defjvp((
  [x]: Array[],
  [t]: Array[],
) => [fakeSin(x), np.multiply(np.multiply(2.0, np.cos(x)), t)]);
const softplusRule = customJvp((x: Array) => np.logaddexp(x, 0.0));
softplusRule.defjvp((
  [x]: Array[],
  [t]: Array[],
) => [softplusRule(x), np.multiply(t, nn.sigmoid(x))]);
// A VJP three times the truth, with a residual.
const sinv = customVjp((x: Array) => np.sin(x));
sinv.defvjp(
  (x: Array) => [np.sin(x), np.cos(x)],
  (c: Array, g: Array) => [np.multiply(np.multiply(g, c), 3)],
);
const clipGrad = customVjp((x: Array) => x);
clipGrad.defvjp((x: Array) => [x, null], (_r: null, g: Array) => [np.clip(g, -1.0, 1.0)]);

describe("JAX parity: custom rules", () => {
  it("customJvp under grad ∘ grad ∘ grad", () =>
    close(nth(fakeSin, 3)(0.4), E("custom rules: customJvp under grad ∘ grad ∘ grad")));
  it("customJvp under vmap ∘ grad", () =>
    close(vmap(grad(fakeSin))(X3()), E("custom rules: customJvp under vmap ∘ grad")));
  it("customJvp under grad ∘ vmap", () =>
    close(
      grad((x: Array) => np.sum(vmap(fakeSin)(x)))(X3()),
      E("custom rules: customJvp under grad ∘ vmap"),
    ));
  it("customJvp under jvp ∘ grad", () =>
    close(jvp(grad(fakeSin), [0.4], [1.0]), E("custom rules: customJvp under jvp ∘ grad")));
  it("customJvp under hessian", () =>
    close(
      hessian((x: Array) => np.sum(np.multiply(fakeSin(x), x)))(X3()),
      E("custom rules: customJvp under hessian"),
    ));
  it("a stable softplus rule at ±1000", () =>
    close([
      softplusRule(a(1000.0)),
      grad(softplusRule)(1000.0),
      grad(softplusRule)(-1000.0),
      grad(grad(softplusRule))(1000.0),
    ], E("custom rules: a stable softplus rule at ±1000")));
  it("a customJvp whose rule calls grad of another customJvp", () => {
    const outer = customJvp((x: Array) => np.multiply(fakeSin(x), 3));
    outer.defjvp(([x]: Array[], [t]: Array[]) => [
      outer(x),
      np.add(np.multiply(np.multiply(grad(fakeSin)(x), 3), t), np.multiply(x, t)),
    ]);
    close(
      [grad(outer)(0.4), grad(grad(outer))(0.4), vmap(grad(outer))(X3())],
      E("custom rules: a customJvp whose rule calls grad of another customJvp"),
    );
  });
  it("customJvp of two arguments", () => {
    const f = customJvp((x: Array, y: Array) => np.multiply(x, y));
    f.defjvp(([x, y]: Array[], [tx, ty]: Array[]) => [
      f(x, y),
      np.add(np.multiply(np.multiply(tx, y), 2), np.multiply(np.multiply(ty, x), 3)),
    ]);
    close([
      grad(f, { argnums: [0, 1] })(2.0, 5.0),
      jvp(f, [2.0, 5.0], [1.0, 1.0]),
      vmap(grad(f, { argnums: 1 }))(X3(), np.multiply(X3(), 2)),
    ], E("custom rules: customJvp of two arguments"));
  });
  it("customJvp with nondiffArgnums", () => {
    const f = customJvp((k: number, x: Array) => np.multiply(x, k), { nondiffArgnums: [0] });
    f.defjvp((k: number, [x]: Array[], [t]: Array[]) => [
      f(k, x),
      np.multiply(np.multiply(t, 2), k),
    ]);
    close(
      [grad((x: Array) => f(3.0, x))(2.0), vmap(grad((x: Array) => f(3.0, x)))(X3())],
      E("custom rules: customJvp with nondiffArgnums"),
    );
  });
  it("customVjp under grad ∘ grad", () =>
    close(grad(grad(sinv))(0.4), E("custom rules: customVjp under grad ∘ grad")));
  it("customVjp under vmap ∘ vmap ∘ grad", () =>
    close(
      vmap(vmap(grad((x: Array) => np.multiply(np.multiply(clipGrad(x), x), 3))))(
        a([[0.1, 1.0], [-2.0, 0.5]]),
      ),
      E("custom rules: customVjp under vmap ∘ vmap ∘ grad"),
    ));
  it("customVjp of two arguments with residuals, and under vmap", () => {
    const mul = customVjp((x: Array, y: Array) => np.multiply(x, y));
    mul.defvjp(
      (x: Array, y: Array) => [np.multiply(x, y), [x, y]],
      ([x, y]: Array[], g: Array) => [np.multiply(np.multiply(g, y), 2), np.multiply(g, x)],
    );
    close([
      grad(mul, { argnums: [0, 1] })(3.0, 4.0),
      grad((y: Array) => np.sum(vmap((x: Array) => mul(x, y))(a([1.0, 2.0, 3.0]))))(2.0),
    ], E("custom rules: customVjp of two arguments with residuals, and under vmap"));
  });
  it("customVjp with nondiffArgnums", () => {
    const f = customVjp((k: number, x: Array) => np.multiply(x, k), { nondiffArgnums: [0] });
    f.defvjp(
      (k: number, x: Array) => [np.multiply(x, k), null],
      (k: number, _r: null, g: Array) => [np.multiply(np.multiply(g, k), 10)],
    );
    close(
      [grad((x: Array) => f(2.0, x))(1.0), vmap(grad((x: Array) => f(2.0, x)))(X3())],
      E("custom rules: customVjp with nondiffArgnums"),
    );
  });
  it("a customVjp inside a customJvp rule", () => {
    const f = customJvp((x: Array) => sinv(x));
    f.defjvp(([x]: Array[], [t]: Array[]) => [f(x), np.multiply(grad(sinv)(x), t)]);
    close(
      [grad(f)(0.4), jvp(f, [0.4], [1.0])],
      E("custom rules: a customVjp inside a customJvp rule"),
    );
  });
  it("customVjp under hessian", () =>
    close(
      hessian((x: Array) => np.sum(sinv(x)))(X3()),
      E("custom rules: customVjp under hessian"),
    ));
  it("customVjp returning a null cotangent", () => {
    const f = customVjp((x: Array, y: Array) => np.multiply(x, y));
    f.defvjp((x: Array, y: Array) => [np.multiply(x, y), y], (y: Array, g: Array) => [
      np.multiply(g, y),
      null,
    ]);
    close(
      [grad(f, { argnums: [0, 1] })(2.0, 3.0), vmap(grad(f, { argnums: [0, 1] }))(X3(), X3())],
      E("custom rules: customVjp returning a null cotangent"),
    );
  });
  it("checkpoint in every mode", () => {
    const cf = checkpoint((x: Array) => np.sin(np.multiply(np.sin(x), np.cos(x))));
    close(
      [grad(cf)(0.4), grad(grad(cf))(0.4), vmap(grad(cf))(X3()), jvp(cf, [0.4], [1.0])],
      E("custom rules: checkpoint in every mode"),
    );
  });
});

describe("JAX parity: control flow", () => {
  const pw = (x: Array) => lax.cond(np.greater(x, 0), np.sin, (y: Array) => np.multiply(y, y), x);
  const step = (c: Array, x: Array): [Array, Array] => {
    const s = np.add(np.multiply(c, 0.5), np.sin(x));
    return [s, np.multiply(s, x)];
  };
  const scan0 = (xs: Array) => lax.scan(step, np.array(0.0), xs);
  it("cond under grad and grad ∘ grad", () =>
    close(
      [grad(pw)(0.5), grad(pw)(-0.5), grad(grad(pw))(-0.5), grad(grad(pw))(0.5)],
      E("control flow: cond under grad and grad ∘ grad"),
    ));
  it("cond: vmap ∘ grad with a batched predicate", () =>
    close(
      vmap(grad(pw))(a([-1.0, 0.5, 2.0])),
      E("control flow: cond: vmap ∘ grad with a batched predicate"),
    ));
  it("cond: grad ∘ vmap with a batched predicate", () =>
    close(
      grad((v: Array) => np.sum(vmap(pw)(v)))(a([-1.0, 0.5, 2.0])),
      E("control flow: cond: grad ∘ vmap with a batched predicate"),
    ));
  it("cond: jvp ∘ vmap", () =>
    close(
      jvp(vmap(pw), [a([-1.0, 0.5, 2.0])], [a([1.0, 2.0, 3.0])]),
      E("control flow: cond: jvp ∘ vmap"),
    ));
  it("cond: vmap ∘ hessian", () =>
    close(vmap(hessian(pw))(a([-1.0, 0.5, 2.0])), E("control flow: cond: vmap ∘ hessian")));
  it("cond: the untaken branch's NaN does not leak under vmap", () => {
    const f = (x: Array) => lax.cond(np.greater(x, 0), np.log, (y: Array) => y, x);
    close(
      [vmap(f)(a([-1.0, 2.0])), vmap(grad(f))(a([-1.0, 2.0]))],
      E("control flow: cond: the untaken branch's NaN does not leak under vmap"),
    );
  });
  it("cond with a batched predicate closed over by an inner grad", () =>
    close(
      vmap((p: Array, x: Array) =>
        grad((y: Array) =>
          lax.cond(np.greater(p, 0), (z: Array) => np.power(z, 3), (z: Array) => np.negative(z), y)
        )(x)
      )(a([1.0, -1.0, 1.0]), X3()),
      E("control flow: cond with a batched predicate closed over by an inner grad"),
    ));
  it("switch: vmap ∘ grad with a batched, clamped index", () => {
    const br = [np.sin, np.cos, (x: Array) => np.multiply(x, 3)];
    close(
      vmap(grad((x: Array, i: Array) => lax.switch(i, br, x)))(
        a([0.1, 0.2, 0.3, 0.4]),
        i32([0, 1, 2, 7]),
      ),
      E("control flow: switch: vmap ∘ grad with a batched, clamped index"),
    );
  });
  it("switch: grad with respect to a closure, batched index", () =>
    close(
      vmap(
        grad((w: Array, i: Array) =>
          lax.switch(i, [() => np.power(w, 2), () => np.sin(w), () => np.power(w, 3)])
        ),
      )(X3(), i32([0, 1, 2])),
      E("control flow: switch: grad with respect to a closure, batched index"),
    ));
  it("whileLoop: vmap ∘ jvp with a batched condition", () => {
    const dbl = (x: Array) =>
      lax.whileLoop((c: Array) => np.less(c, 100), (c: Array) => np.multiply(c, 2), x);
    close(
      vmap((x: Array) => jvp(dbl, [x], [1.0]))(a([3.0, 50.0, 200.0])),
      E("control flow: whileLoop: vmap ∘ jvp with a batched condition"),
    );
  });
  it("whileLoop: jacfwd through a tree carry", () =>
    close(
      jacfwd((x: Array) =>
        lax.whileLoop(
          (c: [Array, Array]) => np.less(c[0], 5),
          (c: [Array, Array]): [Array, Array] => [
            np.add(c[0], 1),
            np.add(np.multiply(c[1], np.sin(c[1])), x),
          ],
          [i32(0), x],
        )[1]
      )(0.5),
      E("control flow: whileLoop: jacfwd through a tree carry"),
    ));
  it("whileLoop: a batched limit closed over", () =>
    close(
      vmap((lim: Array, x: Array) =>
        lax.whileLoop((c: Array) => np.less(c, lim), (c: Array) => np.add(c, x), np.array(0.0))
      )(a([1.0, 5.0, 2.0]), a([0.3, 1.0, 2.0])),
      E("control flow: whileLoop: a batched limit closed over"),
    ));
  it("foriLoop in every mode", () => {
    const p5 = (x: Array) =>
      lax.foriLoop(0, 5, (i: Array, acc: Array) => np.add(np.multiply(acc, x), i), np.onesLike(x));
    close(
      [p5(a(1.5)), grad(p5)(1.5), grad(grad(p5))(1.5), vmap(grad(p5))(X3()), jvp(p5, [1.5], [1.0])],
      E("control flow: foriLoop in every mode"),
    );
  });
  it("scan: grad with respect to xs", () =>
    close(
      grad((xs: Array) => np.sum(scan0(xs)[1]))(XS()),
      E("control flow: scan: grad with respect to xs"),
    ));
  it("scan: hessian", () =>
    close(hessian((xs: Array) => scan0(xs)[0])(XS()), E("control flow: scan: hessian")));
  it("scan: vmap ∘ grad", () =>
    close(
      vmap(grad((xs: Array) => np.sum(np.power(scan0(xs)[1], 2))))(
        np.stack([XS(), np.multiply(XS(), 2)]),
      ),
      E("control flow: scan: vmap ∘ grad"),
    ));
  it("scan: reverse, under grad", () =>
    close(
      grad((xs: Array) =>
        np.sum(
          np.power(
            lax.scan(
              (c: Array, x: Array) => [np.add(np.multiply(c, x), 1), c],
              np.array(1.0),
              xs,
              { reverse: true },
            )[1],
            2,
          ),
        )
      )(a([1.0, 2.0, 0.5])),
      E("control flow: scan: reverse, under grad"),
    ));
  it("scan: jacrev of a cumulative product through a zero", () =>
    close(
      jacrev((xs: Array) =>
        lax.scan(
          (c: Array, x: Array) => [np.multiply(c, x), np.multiply(c, x)],
          np.array(1.0),
          xs,
        )[1]
      )(a([2.0, 0.0, 3.0])),
      E("control flow: scan: jacrev of a cumulative product through a zero"),
    ));
  it("scan: a tree carry", () => {
    type C = { a: Array; b: Array };
    const f = (p: C, xs: Array) =>
      lax.scan(
        (c: C, x: Array): [C, Array] => [
          { a: np.add(c.a, np.multiply(x, c.b)), b: np.multiply(c.b, 0.9) },
          c.a,
        ],
        p,
        xs,
      );
    close(
      grad((p: C) => np.add(np.sum(f(p, XS())[1]), f(p, XS())[0].a))({ a: 0.5, b: 2.0 }),
      E("control flow: scan: a tree carry"),
    );
  });
  it("scan: nested scans", () => {
    const inner = (c: Array, row: Array): [Array, null] => [
      lax.scan((c2: Array, v: Array) => [np.add(np.multiply(c2, v), c), null], c, row)[0],
      null,
    ];
    close(
      grad((m: Array) => lax.scan(inner, np.array(0.3), m)[0])(a([[1.0, 0.5], [0.2, -1.0]])),
      E("control flow: scan: nested scans"),
    );
  });
});

describe("JAX parity: nn at ±1000", () => {
  const BIG = () => a([-1000.0, -1.5, 0.0, 0.7, 1000.0]);
  const L = () => a([[1000.0, 0.0, -1000.0], [0.5, 1.0, 1.5]]);
  it("sigmoid'", () => close(vmap(grad(nn.sigmoid))(BIG()), E("nn at ±1000: sigmoid'")));
  it("softplus''", () => close(vmap(nth(nn.softplus, 2))(BIG()), E("nn at ±1000: softplus''")));
  it("logSigmoid'", () => close(vmap(grad(nn.logSigmoid))(BIG()), E("nn at ±1000: logSigmoid'")));
  it("silu'", () => close(vmap(grad(nn.silu))(BIG()), E("nn at ±1000: silu'")));
  it("gelu' (tanh approximation)", () =>
    close(
      vmap(grad((x: Array) => nn.gelu(x)))(BIG()),
      E("nn at ±1000: gelu' (tanh approximation)"),
    ));
  it("gelu' (exact)", () =>
    close(
      vmap(grad((x: Array) => nn.gelu(x, { approximate: false })))(BIG()),
      E("nn at ±1000: gelu' (exact)"),
    ));
  it("elu''", () => close(vmap(nth((x: Array) => nn.elu(x), 2))(BIG()), E("nn at ±1000: elu''")));
  it("sigmoid''' at ±30 and ±1000", () =>
    close(
      vmap(nth(nn.sigmoid, 3))(a([-1000.0, -30.0, 30.0, 1000.0])),
      E("nn at ±1000: sigmoid''' at ±30 and ±1000"),
    ));
  it("softmax and logSoftmax values", () =>
    close(
      [nn.softmax(L()), nn.logSoftmax(L()), nn.softmax(L(), 0)],
      E("nn at ±1000: softmax and logSoftmax values"),
    ));
  it("jacrev of logSoftmax", () =>
    close(
      jacrev((x: Array) => nn.logSoftmax(x))(a([1000.0, 0.0, -1000.0])),
      E("nn at ±1000: jacrev of logSoftmax"),
    ));
  it("logsumexp and its gradient", () =>
    close([
      nn.logsumexp(L(), 1),
      grad((x: Array) => np.sum(nn.logsumexp(x, 1)))(L()),
      np.logsumexp(a([1000.0, 1000.0])),
    ], E("nn at ±1000: logsumexp and its gradient")));
  it("softmax cross-entropy: value, gradient, hessian", () => {
    const labels = nn.oneHot(i32([0, 2]), 3);
    const loss = (lg: Array) => np.sum(nn.softmaxCrossEntropy(lg, labels));
    close([
      loss(L()),
      grad(loss)(L()),
      hessian((r: Array) => loss(np.stack([r, L().get(1)])))(a([1.0, 2.0, 3.0])),
    ], E("nn at ±1000: softmax cross-entropy: value, gradient, hessian"));
  });
  it("per-example gradients of a logistic loss", () => {
    const loss = (w: Array, x: Array, y: Array) => {
      const z = np.matmul(x, w);
      return np.negative(
        np.add(
          np.multiply(y, nn.logSigmoid(z)),
          np.multiply(np.subtract(1, y), nn.logSigmoid(np.negative(z))),
        ),
      );
    };
    close(
      vmap(grad(loss), { inAxes: [null, 0, 0] })(
        a([0.5, -0.3]),
        a([[1.0, 2.0], [3.0, -1.0], [0.0, 0.5]]),
        a([1.0, 0.0, 1.0]),
      ),
      E("nn at ±1000: per-example gradients of a logistic loss"),
    );
  });
});

describe("JAX parity: errors where JAX raises", () => {
  it("grad of a non-scalar output", () => throws(() => grad(np.sin)(a([1.0, 2.0]))));
  it("grad with respect to an int32 input", () =>
    throws(() => grad((x: Array) => np.sum(np.multiply(x, 1.0)))(i32([1, 2]))));
  it("vmap over inconsistent sizes", () =>
    throws(() => vmap(np.add)(a([1.0, 2.0]), a([1.0, 2.0, 3.0]))));
  it("jvp with a tangent of the wrong shape", () =>
    throws(() => jvp(np.sin, [a([1.0, 2.0])], [a([1.0, 2.0, 3.0])])));
  it("a pullback given a cotangent of the wrong shape", () =>
    throws(() => vjp(np.sin, [a([1.0, 2.0])])[1](a([1.0, 2.0, 3.0]))));
  it("grad of whileLoop (reverse mode)", () =>
    throws(() =>
      grad((x: Array) =>
        lax.whileLoop((c: Array) => np.less(c, 100), (c: Array) => np.multiply(c, 2), x)
      )(3.0)
    ));
  it("jvp of a customVjp function", () => throws(() => jvp(sinv, [0.4], [1.0])));
  it("an escaped tracer", () => {
    const box: Array[] = [];
    grad((x: Array) => {
      box.push(x);
      return np.multiply(x, 2);
    })(1.0);
    throws(() => np.multiply(box[0], 3));
  });
  it("vmap with every argument unmapped and no axisSize", () =>
    throws(() => vmap((x: Array) => x, { inAxes: null })(a([1.0]))));
  it("cond branches of different shapes", () =>
    throws(() => lax.cond(true, () => np.zeros([2]), () => np.zeros([3]))));
  it("jacfwd, jacrev and hessian reject int32 inputs as grad does", () => {
    const f = (x: Array) => np.multiply(x, 2.0);
    throws(() => jacfwd(f)(i32([1, 2])));
    throws(() => jacrev(f)(i32([1, 2])));
    throws(() => hessian((x: Array) => np.sum(x))(i32([1, 2])));
  });
});

describe("JAX parity: the fixture", () => {
  it("every value in values.json is read by exactly one check", () => {
    const source = readFileSync(new URL(import.meta.url), "utf8");
    const read = [...source.matchAll(/\bE\(\s*("(?:[^"\\]|\\.)*")\s*,?\s*\)/g)].map((m) =>
      JSON.parse(m[1]) as string
    );
    deepEqual(read.filter((k, i) => read.indexOf(k) !== i), [], "keys read twice");
    deepEqual(Object.keys(expected).filter((k) => !read.includes(k)), [], "values never read");
    deepEqual(read.filter((k) => !Object.hasOwn(expected, k)), [], "keys missing from values.json");
  });
});
