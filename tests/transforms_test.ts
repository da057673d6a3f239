// The transformations' API and semantics: the seed, argnums/hasAux/trees,
// nesting and perturbation confusion, define-by-run, vmap axes, and errors.
import { describe, it } from "node:test";
import { deepEqual, equal, ok, throws } from "node:assert/strict";
import {
  type Array,
  ConcretizationError,
  EscapedTracerError,
  grad,
  hessian,
  jacfwd,
  jacrev,
  jvp,
  linearize,
  np,
  stopGradient,
  valueAndGrad,
  vjp,
  vmap,
} from "../mod.ts";
import { currentHandler } from "../extend.ts";
import { assertAllClose } from "./_assert.ts";

const f = (x: Array) => np.add(np.square(x), np.log(x)); // x² + log x

describe("the seed", () => {
  it("grad(np.square)(0.5) is 1", () => equal(grad(np.square)(0.5).item(), 1));
  it("grad of x² + log x at 0.1 is 10.2", () => equal(grad(f)(0.1).item(), 10.2));
  it("the second derivative at 0.1 is -98", () => {
    assertAllClose(grad(grad(f))(0.1), -98, { rtol: 1e-12 });
  });
  it("the third derivative at 0.1 is 2000", () => {
    assertAllClose(grad(grad(grad(f)))(0.1), 2000, { rtol: 1e-12 });
  });
  it("vmap(grad(np.square)) over linspace(0, 1, 100) is 2x", () => {
    const x = np.linspace(0, 1, 100);
    const y = vmap(grad(np.square))(x);
    deepEqual(y.shape, [100]);
    assertAllClose(y, np.multiply(2, x), { rtol: 0 });
  });
  it("results print like JAX", () => {
    equal(grad(f)(0.1).toString(), "Array(10.2, dtype=float64)");
  });
});

describe("grad", () => {
  it("takes argnums as a number or an array", () => {
    const g = (x: Array, y: Array) => np.multiply(np.square(x), y);
    equal(grad(g, { argnums: 1 })(3, 2).item(), 9);
    const [dx, dy] = grad(g, { argnums: [0, 1] })(3, 2);
    deepEqual([dx.item(), dy.item()], [12, 9]);
    equal(grad(g, { argnums: -1 })(3, 2).item(), 9);
  });
  it("returns gradients with the structure of tree inputs", () => {
    const loss = (p: { w: Array; b: Array }) => np.sum(np.square(np.add(np.multiply(p.w, 2), p.b)));
    const g = grad(loss)({ w: np.array([1, 2]).astype("float64"), b: 0.5 });
    assertAllClose(g.w, [10, 18]);
    assertAllClose(g.b, 14);
  });
  it("supports hasAux", () => {
    const h = (x: Array) => [np.square(x), { twice: np.multiply(x, 2) }];
    const [g, aux] = grad(h, { hasAux: true })(3);
    equal(g.item(), 6);
    equal(aux.twice.item(), 6);
    const [[v, aux2], g2] = valueAndGrad(h, { hasAux: true })(3);
    deepEqual([v.item(), aux2.twice.item(), g2.item()], [9, 6, 6]);
  });
  it("gives zeros for ignored inputs and constant functions", () => {
    equal(grad((_x: Array) => np.array(3.0))(1).item(), 0);
    const [dx, dy] = grad((x: Array, _y: Array) => np.sin(x), { argnums: [0, 1] })(0, 5);
    deepEqual([dx.item(), dy.item()], [1, 0]);
  });
  it("works through reductions, broadcasting and matmul", () => {
    const A = np.array([[1, 2], [3, 4]]).astype("float64");
    const fn = (x: Array) => np.sum(np.matmul(A, np.tanh(x)));
    const x = np.array([0.1, -0.2]);
    const t = np.tanh(x).tolist() as number[];
    const expected = [4 * (1 - t[0] ** 2), 6 * (1 - t[1] ** 2)];
    assertAllClose(grad(fn)(x), expected, { rtol: 1e-14 });
  });
  it("rejects non-scalar outputs with a clear error", () => {
    throws(() => grad(np.sin)(np.array([1.0, 2.0])), /scalar output: got shape \[2\]/);
  });
  it("rejects integer inputs", () => {
    throws(
      () => grad((x: Array) => np.sum(x))(np.array([1, 2], { dtype: "int32" })),
      /float inputs.*int32/,
    );
  });
  it("rejects function-valued outputs", () => {
    throws(() => grad((x: Array) => () => x as never)(1), /returned a function/);
    throws(() => jvp((x: Array) => () => x, [1], [1]), /returned a function/);
    throws(() => vjp((x: Array) => () => x, [1]), /returned a function/);
  });
});

describe("nesting and perturbation confusion", () => {
  it("grad(x => x * grad(y => x + y)(1))(1) is 1", () => {
    const g = grad((x: Array) => np.multiply(x, grad((y: Array) => np.add(x, y))(1)));
    equal(g(1).item(), 1);
  });
  it("the classic of Siskind and Pearlmutter holds with jvp too", () => {
    // d/dx [x · (d/dy (x + y))] = 1
    const inner = (x: Array) => jvp((y: Array) => np.add(x, y), [1], [1])[1];
    equal(jvp((x: Array) => np.multiply(x, inner(x)), [1], [1])[1].item(), 1);
  });
  it("nested grads of a closure over the outer variable", () => {
    // d/dx [d/dy (x y²)] at y = 1 = d/dx [2 x y] = 2
    const g = grad((x: Array) => grad((y: Array) => np.multiply(x, np.square(y)))(1));
    equal(g(5).item(), 2);
  });
  it("sixth derivative of tanh by nested grad", () => {
    let d: (x: number) => Array = np.tanh as never;
    for (let i = 0; i < 6; i++) d = grad(d);
    // dⁿ tanh is a polynomial Pₙ(t) in t = tanh x: P₀ = t, Pₙ₊₁ = Pₙ'(t) (1 - t²).
    let p = [0, 1]; // coefficients, lowest degree first
    for (let n = 0; n < 6; n++) {
      const dp = p.slice(1).map((c, i) => c * (i + 1));
      const next = new globalThis.Array(dp.length + 2).fill(0);
      dp.forEach((c, i) => {
        next[i] += c;
        next[i + 2] -= c;
      });
      p = next;
    }
    const t = Math.tanh(0.3);
    const expected = p.reduce((acc, c, i) => acc + c * t ** i, 0);
    assertAllClose(d(0.3), expected, { rtol: 1e-12 });
  });
  it("higher-order functions: derivative of a function that applies grad", () => {
    const apply = (h: (z: Array) => Array, x: Array) => h(x);
    const g = grad((x: Array) => apply(grad((y: Array) => np.multiply(np.multiply(x, y), y)), x));
    // d/dy (x y²) = 2xy at y = x → 2x², derivative 4x
    equal(g(3).item(), 12);
  });
});

describe("define-by-run", () => {
  it("JavaScript control flow on values works under grad, jvp and vjp", () => {
    const relu = (x: Array) => ((x.item() as number) > 0 ? x : np.multiply(x, 0));
    equal(grad(relu)(2).item(), 1);
    equal(grad(relu)(-2).item(), 0);
    equal(jvp(relu, [3], [5])[1].item(), 5);
    equal(vjp(relu, [3])[1](2)[0].item(), 2);
  });
  it("loops whose trip count depends on values", () => {
    const pow2 = (x: Array) => {
      let y = x;
      while ((y.item() as number) < 100) y = np.multiply(y, y);
      return y;
    };
    // 3 → 9 → 81 → 6561 = x⁸, derivative 8 x⁷
    equal(grad(pow2)(3).item(), 8 * 3 ** 7);
  });
  it("reading a value under vmap is a clear error pointing to np.where", () => {
    throws(
      () => vmap((x: Array) => ((x.item() as number) > 0 ? x : np.negative(x)))(np.array([1, -1])),
      (e) => {
        ok(e instanceof ConcretizationError);
        ok(/np\.where/.test((e as Error).message));
        return true;
      },
    );
  });
});

describe("escaped tracers and the handler stack", () => {
  it("a tracer used after its transformation returned raises EscapedTracerError", () => {
    let leaked: Array | undefined;
    grad((x: Array) => {
      leaked = x;
      return np.square(x);
    })(1);
    throws(
      () => np.sin(leaked!),
      (e) => e instanceof EscapedTracerError && /grad/.test((e as Error).message),
    );
    throws(() => leaked!.item(), EscapedTracerError);
    let leakedV: Array | undefined;
    vmap((x: Array) => (leakedV = x))(np.array([1, 2]));
    throws(
      () => np.add(leakedV!, 1),
      (e) => e instanceof EscapedTracerError && /vmap/.test((e as Error).message),
    );
  });
  it("an escaped tracer is caught inside another transformation too", () => {
    let leaked: Array | undefined;
    jvp((x: Array) => (leaked = x), [1], [1]);
    throws(() => grad((y: Array) => np.multiply(y, leaked!))(2), EscapedTracerError);
  });
  it("a throw inside any transformation leaves the handler stack as it was", () => {
    const before = currentHandler();
    const boom = (_x: Array) => {
      throw new Error("boom");
    };
    throws(() => grad(boom)(1), /boom/);
    throws(() => vmap(boom)(np.array([1])), /boom/);
    throws(() => jvp(boom, [1], [1]), /boom/);
    throws(() => grad((x: Array) => vmap(boom)(np.multiply(x, np.ones([2]))))(1), /boom/);
    equal(currentHandler(), before);
    equal(grad(np.square)(2).item(), 4);
  });
});

describe("jvp, vjp, linearize", () => {
  it("jvp on trees", () => {
    const fn = (p: { a: Array; b: Array }) => ({ s: np.multiply(p.a, p.b) });
    const [y, t] = jvp(fn, [{ a: 2, b: 3 }], [{ a: 1, b: 0 }]);
    deepEqual([y.s.item(), t.s.item()], [6, 3]);
  });
  it("jvp checks tangent shapes and dtypes (JS numbers take the primal's dtype)", () => {
    throws(() => jvp(np.sin, [np.array([1.0, 2.0])], [np.array([1.0])]), /shapes must match/);
    const x32 = np.array(0.5, { dtype: "float32" });
    throws(
      () => jvp(np.sin, [x32], [np.array(1.0)]),
      /primal dtype float32 and tangent dtype float64/,
    );
    equal(jvp(np.sin, [x32], [1])[1].dtype, "float32");
  });
  it("jvp with hasAux", () => {
    const [y, t, aux] = jvp((x: Array) => [np.sin(x), np.cos(x)], [0], [1], { hasAux: true });
    deepEqual([y.item(), t.item(), aux.item()], [0, 1, 1]);
  });
  it("pullbacks can be called many times and later", () => {
    const [y, pb] = vjp((x: Array) => np.multiply(x, x), [np.array([1.0, 2.0])]);
    assertAllClose(y, [1, 4]);
    assertAllClose(pb(np.array([1.0, 1.0]))[0], [2, 4]);
    assertAllClose(pb(np.array([0.5, 2.0]))[0], [1, 8]);
  });
  it("a pullback under vmap and grad through a pullback", () => {
    const [, pb] = vjp((x: Array) => np.sin(x), [np.array([0.0, 1.0])]);
    const cts = np.array([[1.0, 0.0], [0.0, 1.0], [2.0, 2.0]]);
    const rows = vmap((c: Array) => pb(c)[0])(cts);
    assertAllClose(rows, [[1, 0], [0, Math.cos(1)], [2, 2 * Math.cos(1)]], { rtol: 1e-15 });
    // grad of <pullback(c), 1> with respect to c is cos(x)
    const g = grad((c: Array) => np.sum(pb(c)[0]))(np.array([1.0, 1.0]));
    assertAllClose(g, [1, Math.cos(1)], { rtol: 1e-15 });
  });
  it("vjp with hasAux and a pullback that checks its cotangent", () => {
    const [y, pb, aux] = vjp((x: Array) => [np.square(x), "label" as never], [3], { hasAux: true });
    deepEqual([y.item(), pb(1)[0].item(), aux], [9, 6, "label"]);
    throws(
      () => pb(np.array([1.0, 2.0])),
      /cotangent shape \[2\] does not match output shape \[\]/,
    );
  });
  it("linearize gives a reusable JVP", () => {
    const [y, lin] = linearize((x: Array) => np.multiply(np.sin(x), 2), [0.5]);
    assertAllClose(y, 2 * Math.sin(0.5));
    assertAllClose(lin(1), 2 * Math.cos(0.5), { rtol: 1e-15 });
    assertAllClose(lin(3), 6 * Math.cos(0.5), { rtol: 1e-15 });
  });
  it("stopGradient blocks derivatives", () => {
    equal(grad((x: Array) => np.multiply(x, stopGradient(x)))(3).item(), 3);
    equal(jvp((x: Array) => stopGradient(np.square(x)), [3], [1])[1].item(), 0);
  });
});

describe("vmap", () => {
  it("maps over a chosen axis and places outputs on outAxes", () => {
    const x = np.arange(6).reshape([2, 3]).astype("float64");
    assertAllClose(vmap((r: Array) => np.sum(r))(x), [3, 12]);
    assertAllClose(vmap((c: Array) => np.sum(c), { inAxes: 1 })(x), [3, 5, 7]);
    assertAllClose(vmap((c: Array) => np.multiply(c, 2), { inAxes: -1, outAxes: 1 })(x), [
      [0, 2, 4],
      [6, 8, 10],
    ]);
  });
  it("unmapped arguments and unbatched outputs broadcast", () => {
    const out = vmap((a: Array, b: Array) => [np.add(a, b), b], { inAxes: [0, null] })(
      np.array([1, 2]),
      10,
    );
    assertAllClose(out[0], [11, 12]);
    assertAllClose(out[1], [10, 10]);
    assertAllClose(vmap((_x: Array) => np.array(1.5), { inAxes: null, axisSize: 3 })(0), [
      1.5,
      1.5,
      1.5,
    ]);
  });
  it("in axes as a tree prefix", () => {
    const fn = (p: { w: Array; b: Array }) => np.add(p.w, p.b);
    const out = vmap(fn, { inAxes: [{ w: 0, b: null }] })({ w: np.array([1, 2, 3]), b: 10 });
    assertAllClose(out, [11, 12, 13]);
  });
  it("batch sizes 0 and 1", () => {
    deepEqual(vmap(np.sin)(np.zeros([0, 2])).shape, [0, 2]);
    assertAllClose(vmap((x: Array) => np.sum(x))(np.ones([1, 4])), [4]);
  });
  it("nested vmap of grad", () => {
    const x = np.array([[0.1, 0.2], [0.3, 0.4]]);
    const g = vmap(vmap(grad(np.sin)))(x);
    assertAllClose(g, (x.tolist() as number[][]).map((r) => r.map(Math.cos)), { rtol: 1e-15 });
  });
  it("errors: inconsistent sizes, 0-d mapped input, inAxes length", () => {
    throws(() => vmap(np.add)(np.ones([2]), np.ones([3])), /inconsistent sizes/);
    throws(() => vmap(np.sin)(1), /0-d argument/);
    throws(() => vmap(np.add, { inAxes: [0] })(np.ones([2]), np.ones([2])), /inAxes has 1 entries/);
    throws(() => vmap(np.sin, { inAxes: 2 })(np.ones([2])), /out of bounds/);
    throws(() => vmap((x: Array) => x, { outAxes: null })(np.ones([2])), /outAxes is null/);
  });
});

describe("Jacobians and Hessians", () => {
  const fn = (x: Array) => np.multiply(np.sin(x), np.sum(x));
  const x = np.array([0.3, -0.5, 1.2]);
  it("jacfwd and jacrev agree with each other and the formula", () => {
    const s = np.sum(x).item() as number;
    const xs = x.tolist() as number[];
    const expected = xs.map((xi, i) =>
      xs.map((_, j) => (i === j ? Math.cos(xi) * s : 0) + Math.sin(xi))
    );
    assertAllClose(jacfwd(fn)(x), expected, { rtol: 1e-14 });
    assertAllClose(jacrev(fn)(x), expected, { rtol: 1e-14 });
  });
  it("shapes are out.shape ++ in.shape", () => {
    const m = (a: Array) => np.matmul(a, np.ones([3, 4]));
    deepEqual(jacfwd(m)(np.ones([2, 3])).shape, [2, 4, 2, 3]);
    deepEqual(jacrev(m)(np.ones([2, 3])).shape, [2, 4, 2, 3]);
  });
  it("tree inputs and outputs, argnums arrays", () => {
    const g = (p: { a: Array; b: Array }) => ({ y: np.multiply(p.a, p.b) });
    const J = jacrev(g)({ a: np.array([1.0, 2.0]), b: np.array([3.0, 4.0]) });
    assertAllClose(J.y.a, [[3, 0], [0, 4]]);
    assertAllClose(J.y.b, [[1, 0], [0, 2]]);
    const [ja, jb] = jacfwd((a: Array, b: Array) => np.multiply(a, b), { argnums: [0, 1] })(2, 5);
    deepEqual([ja.item(), jb.item()], [5, 2]);
  });
  it("hessian of a scalar function", () => {
    const h = (v: Array) => np.sum(np.multiply(np.power(v, 3), np.array([1, 2])));
    assertAllClose(hessian(h)(np.array([1.0, 2.0])), [[6, 0], [0, 24]]);
  });
  it("hessian-vector products three ways agree", () => {
    const r = (v: Array) => np.sum(np.multiply(np.sin(v), np.cos(np.flip(v))));
    const v = np.array([0.1, 0.7, -0.4]), t = np.array([1.0, -2.0, 0.5]);
    const fwdOverRev = jvp(grad(r), [v], [t])[1];
    const revOverFwd = grad((u: Array) => jvp(r, [u], [t])[1])(v);
    const full = np.matmul(hessian(r)(v), t);
    assertAllClose(fwdOverRev, full, { rtol: 1e-13, atol: 1e-15 });
    assertAllClose(revOverFwd, full, { rtol: 1e-13, atol: 1e-15 });
  });
});
