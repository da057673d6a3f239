// Custom JVP/VJP rules and checkpointing, at several nesting depths and
// under vmap.
import { describe, it } from "node:test";
import { deepEqual, equal, throws } from "node:assert/strict";
import {
  type Array,
  checkpoint,
  customJvp,
  customVjp,
  grad,
  hessian,
  jacfwd,
  jacrev,
  jvp,
  np,
  vjp,
  vmap,
} from "../mod.ts";
import { currentHandler } from "../extend.ts";
import { checkGrads, checkVmap } from "../src/testing.ts";
import { assertAllClose } from "./_assert.ts";

const sigmoid = (x: number) => 1 / (1 + Math.exp(-x));

// softplus with a rule written in terms of itself: its derivatives of every
// order come from differentiating the rule again.
const softplus = customJvp(function softplus(x: Array): Array {
  return np.logaddexp(x, 0);
});
softplus.defjvp(([x]: Array[], [t]: Array[]) => [
  softplus(x),
  np.multiply(t, np.divide(1, np.add(1, np.exp(np.negative(x))))),
]);

// A rule that disagrees with the function on purpose, to prove it is used.
const fakeSin = customJvp((x: Array) => np.sin(x));
fakeSin.defjvp(([x]: Array[], [t]: Array[]) => [np.sin(x), np.multiply(t, 10)]);

describe("customJvp", () => {
  it("is used by jvp, grad, vjp, jacfwd, jacrev", () => {
    equal(jvp(fakeSin, [0.3], [1])[1].item(), 10);
    equal(grad(fakeSin)(0.3).item(), 10);
    equal(vjp(fakeSin, [0.3])[1](2)[0].item(), 20);
    assertAllClose(jacfwd(fakeSin)(np.array([0.1, 0.2])), [[10, 0], [0, 10]]);
    assertAllClose(jacrev(fakeSin)(np.array([0.1, 0.2])), [[10, 0], [0, 10]]);
  });
  it("the rule is differentiated again for higher orders", () => {
    // softplus' = σ, softplus'' = σ(1 - σ), softplus''' = σ(1 - σ)(1 - 2σ)
    const s = sigmoid(0.7);
    assertAllClose(grad(softplus)(0.7), s, { rtol: 1e-15 });
    assertAllClose(grad(grad(softplus))(0.7), s * (1 - s), { rtol: 1e-14 });
    assertAllClose(grad(grad(grad(softplus)))(0.7), s * (1 - s) * (1 - 2 * s), { rtol: 1e-12 });
    assertAllClose(hessian((x: Array) => np.sum(softplus(x)))(np.array([0.7])), [[s * (1 - s)]], {
      rtol: 1e-14,
    });
    checkGrads(softplus, [np.array([-1.5, 0.2, 2.0])], { order: 3 });
  });
  it("stable where the plain formula overflows", () => {
    equal(softplus(np.array(1000)).item(), 1000);
    equal(grad(softplus)(1000).item(), 1);
    equal(grad(softplus)(-1000).item(), 0);
    equal(grad(grad(softplus))(1000).item(), 0);
  });
  it("under vmap, in every order with grad", () => {
    const xs = np.array([-1.0, 0.0, 2.0]);
    const expected = [-1, 0, 2].map(sigmoid);
    assertAllClose(vmap(grad(softplus))(xs), expected, { rtol: 1e-15 });
    assertAllClose(grad((v: Array) => np.sum(vmap(softplus)(v)))(xs), expected, { rtol: 1e-15 });
    assertAllClose(jvp(vmap(fakeSin), [xs], [np.ones([3])])[1], [10, 10, 10]);
    assertAllClose(vmap(vmap(grad(fakeSin)))(np.ones([2, 2])), [[10, 10], [10, 10]]);
    checkVmap(softplus, [xs]);
  });
  it("nondiffArgnums pass static values through", () => {
    const scale = customJvp((k: number, x: Array) => np.multiply(x, k), { nondiffArgnums: [0] });
    scale.defjvp((
      k: number,
      [x]: Array[],
      [t]: Array[],
    ) => [np.multiply(x, k), np.multiply(t, 2 * k)]);
    equal(scale(3, np.array(2)).item(), 6);
    equal(grad((x: Array) => scale(3, x))(2).item(), 6);
  });
  it("trees in and out", () => {
    const f = customJvp((p: { a: Array; b: Array }) => ({ s: np.add(p.a, p.b) }));
    f.defjvp(([p]: { a: Array; b: Array }[], [t]: { a: Array; b: Array }[]) => [
      f(p),
      { s: np.add(np.multiply(t.a, 3), t.b) },
    ]);
    const g = grad((p: { a: Array; b: Array }) => f(p).s)({ a: 1, b: 2 });
    deepEqual([g.a.item(), g.b.item()], [3, 1]);
  });
  it("defjvps: one rule per argument, to second order and under vmap", () => {
    const times = customJvp((x: Array, y: Array) => np.multiply(x, y));
    times.defjvps(
      (t: Array, _out: Array, _x: Array, y: Array) => np.multiply(t, y),
      (t: Array, _out: Array, x: Array) => np.multiply(x, t),
    );
    const [gx, gy] = grad((x: Array, y: Array) => np.sum(times(x, y)), { argnums: [0, 1] })(
      np.array([1, 2]),
      np.array([3, 4]),
    );
    deepEqual([gx.tolist(), gy.tolist()], [[3, 4], [1, 2]]);
    checkGrads(times, [np.array([0.5, -1]), np.array([2, 0.25])], { order: 2 });
    checkVmap(times, [np.array([1, 2]), np.array([3, 4])]);
    const onlyX = customJvp((x: Array, y: Array) => np.add(x, np.multiply(y, 0)));
    onlyX.defjvps((t: Array) => t, null);
    equal(grad(onlyX, { argnums: 1 })(1, 2).item(), 0);
  });
  it("errors: no rule, wrong tangent shape", () => {
    const noRule = customJvp((x: Array) => x);
    throws(() => noRule(np.array(1)), /has no JVP rule/);
    const bad = customJvp((x: Array) => x);
    bad.defjvp(([x]: Array[]) => [x, np.zeros([3])]);
    throws(() => grad(bad)(1), /tangent of shape \[3\] for an output of shape \[\]/);
  });
});

const clipGradient = customVjp((x: Array) => x);
clipGradient.defvjp((x: Array) => [x, null], (_res: null, g: Array) => [np.clip(g, -1, 1)]);

// sin with a residual: the backward pass multiplies by the saved cos x.
const sinVjp = customVjp((x: Array) => np.sin(x));
sinVjp.defvjp((x: Array) => [np.sin(x), np.cos(x)], (c: Array, g: Array) => [np.multiply(g, c)]);

describe("customVjp", () => {
  it("is used by grad, vjp and jacrev", () => {
    equal(grad((x: Array) => np.multiply(clipGradient(x), 5))(2).item(), 1);
    equal(vjp(clipGradient, [2])[1](-7)[0].item(), -1);
    assertAllClose(jacrev((x: Array) => np.multiply(clipGradient(x), 5))(np.array([1, 2])), [
      [1, 0],
      [0, 1],
    ]);
  });
  it("residuals, nested grad and vmap", () => {
    assertAllClose(grad(sinVjp)(0.3), Math.cos(0.3), { rtol: 1e-15 });
    assertAllClose(grad(grad(sinVjp))(0.3), -Math.sin(0.3), { rtol: 1e-15 });
    const xs = np.array([0.1, 0.5, 1.0]);
    assertAllClose(vmap(grad(sinVjp))(xs), [0.1, 0.5, 1].map(Math.cos), { rtol: 1e-15 });
    assertAllClose(grad((v: Array) => np.sum(vmap(sinVjp)(v)))(xs), [0.1, 0.5, 1].map(Math.cos), {
      rtol: 1e-15,
    });
    checkGrads(sinVjp, [xs], { order: 2, modes: ["rev"] });
  });
  it("a closed-over unbatched input under vmap gets its cotangent summed", () => {
    const mul = customVjp((a: Array, b: Array) => np.multiply(a, b));
    mul.defvjp((a: Array, b: Array) => [np.multiply(a, b), [a, b]], ([a, b]: Array[], g: Array) => [
      np.multiply(g, b),
      np.multiply(g, a),
    ]);
    const g = grad((b: Array) => np.sum(vmap((a: Array) => mul(a, b))(np.array([1, 2, 3]))))(2);
    equal(g.item(), 6);
  });
  it("forward mode is an error, as in JAX", () => {
    throws(() => jvp(clipGradient, [1], [1]), /forward-mode.*customVjp/);
    throws(() => jacfwd(sinVjp)(np.array([1.0])), /forward-mode/);
    equal(currentHandler().name, "eval");
  });
  it("errors: no rule, wrong number of cotangents", () => {
    throws(() => customVjp((x: Array) => x)(np.array(1)), /has no VJP rule/);
    const bad = customVjp((x: Array) => x);
    bad.defvjp((x: Array) => [x, null], (_r: null, g: Array) => [g, g]);
    throws(() => grad(bad)(1), /one cotangent per differentiable argument \(1\)/);
  });
});

describe("checkpoint", () => {
  const f = (x: Array) => np.sin(np.multiply(np.sin(x), np.cos(x)));
  const cf = checkpoint(f);
  it("same values and derivatives in every mode and order", () => {
    assertAllClose(cf(np.array(0.4)), f(np.array(0.4)), { rtol: 0 });
    assertAllClose(grad(cf)(0.4), grad(f)(0.4), { rtol: 1e-15 });
    assertAllClose(grad(grad(cf))(0.4), grad(grad(f))(0.4), { rtol: 1e-14 });
    assertAllClose(jvp(cf, [0.4], [1])[1], jvp(f, [0.4], [1])[1], { rtol: 1e-15 });
    assertAllClose(vmap(grad(cf))(np.array([0.1, 0.4])), vmap(grad(f))(np.array([0.1, 0.4])), {
      rtol: 1e-15,
    });
    checkGrads(cf, [np.array([0.2, 0.9])], { order: 2 });
  });
  it("the backward pass recomputes instead of recording", () => {
    // The recorded program of a checkpointed call is one custom step.
    let calls = 0;
    const counted = checkpoint((x: Array) => {
      calls++;
      return np.exp(np.sin(x));
    });
    calls = 0;
    grad(counted)(0.3);
    equal(calls, 2); // once forward, once again in the backward pass
  });
});
