// The composition matrix: base functions × stacks of transformations in
// every order, each checked against an independent route to the same value
// (a loop, another stacking order, or finite differences of a lower order).
import { describe, it } from "node:test";
import { type Array, grad, hessian, jacfwd, jacrev, jvp, np, vjp, vmap } from "../mod.ts";
import { numericalJvp } from "../src/testing.ts";
import { assertAllClose } from "./_assert.ts";

const W = np.array([[0.5, -1.0, 0.3], [0.2, 0.8, -0.6]]);
const BASES: [string, (x: Array) => Array][] = [
  ["sum(sin(x)·x)", (x) => np.sum(np.multiply(np.sin(x), x))],
  ["logsumexp(x²)", (x) => np.logsumexp(np.square(x))],
  ["sum(tanh(W x))²", (x) => np.square(np.sum(np.tanh(np.matmul(W, x))))],
  ["max(x)·min(exp x)", (x) => np.multiply(np.max(x), np.min(np.exp(x)))],
  ["prod(x + 2)", (x) => np.prod(np.add(x, 2))],
  [
    "sum(where(x > 0, x³, -x))",
    (x) => np.sum(np.where(np.greater(x, 0), np.power(x, 3), np.negative(x))),
  ],
  [
    "mean(sqrt(x² + 1)) / std(x)",
    (x) => np.divide(np.mean(np.sqrt(np.add(np.square(x), 1))), np.std(x)),
  ],
];

const X = np.array([0.3, -0.8, 1.1]);
const XS = np.array([[0.3, -0.8, 1.1], [0.5, 0.25, -1.5], [1.2, -0.1, 0.7]]);
const T = np.array([1.0, -0.5, 2.0]);
const TOL = { rtol: 1e-12, atol: 1e-13 };

const loop = (f: (x: Array) => Array, xs: Array) =>
  np.stack(globalThis.Array.from({ length: xs.shape[0] }, (_, i) => f(xs.get(i))));

for (const [name, f] of BASES) {
  describe(name, () => {
    it("grad matches finite differences", () => {
      const g = grad(f)(X);
      const fd = numericalJvp(f, [X], [T]) as Array;
      assertAllClose(np.vdot(g, T), fd, { rtol: 1e-8, atol: 1e-9 });
    });
    it("grad∘grad (via jacfwd∘grad, jacrev∘grad and hessian) agree", () => {
      const h1 = jacfwd(grad(f))(X), h2 = jacrev(grad(f))(X), h3 = hessian(f)(X);
      assertAllClose(h1, h3, TOL);
      assertAllClose(h2, h3, TOL);
      const fd = numericalJvp(grad(f), [X], [T]) as Array;
      assertAllClose(np.matmul(h3, T), fd, { rtol: 1e-7, atol: 1e-8 });
    });
    it("jvp∘grad and grad∘jvp give the Hessian-vector product", () => {
      const hv = np.matmul(hessian(f)(X), T);
      assertAllClose(jvp(grad(f), [X], [T])[1], hv, TOL);
      assertAllClose(grad((x: Array) => jvp(f, [x], [T])[1])(X), hv, TOL);
    });
    it("vmap∘grad matches a loop of grad", () => {
      assertAllClose(vmap(grad(f))(XS), loop(grad(f), XS), TOL);
    });
    it("grad∘vmap matches the sum of per-row gradients", () => {
      const g = grad((xs: Array) => np.sum(vmap(f)(xs)))(XS);
      assertAllClose(g, loop(grad(f), XS), TOL);
    });
    it("vmap∘vmap∘grad over a [3,1,3] batch", () => {
      const xs3 = np.expandDims(XS, 1);
      assertAllClose(vmap(vmap(grad(f)))(xs3), np.expandDims(loop(grad(f), XS), 1), TOL);
    });
    it("vmap∘vjp and vjp∘vmap agree with a loop", () => {
      const pulled = vmap((x: Array) => vjp(f, [x])[1](1.5)[0])(XS);
      assertAllClose(pulled, np.multiply(loop(grad(f), XS), 1.5), TOL);
      const [ys, pb] = vjp(vmap(f), [XS]);
      assertAllClose(ys, loop(f, XS), TOL);
      assertAllClose(
        pb(np.array([1.0, 2.0, -1.0]))[0],
        np.multiply(loop(grad(f), XS), np.array([[1], [2], [-1]])),
        TOL,
      );
    });
    it("vmap∘jvp∘grad: batched Hessian-vector products", () => {
      const hvp = (x: Array) => jvp(grad(f), [x], [T])[1];
      assertAllClose(vmap(hvp)(XS), loop(hvp, XS), TOL);
    });
    it("grad∘grad∘grad along a line matches finite differences of the second derivative", () => {
      const line = (s: Array) => f(np.add(X, np.multiply(s, T)));
      const d3 = grad(grad(grad(line)))(0.1);
      const fd = numericalJvp(grad(grad(line)), [0.1], [1]) as Array;
      assertAllClose(d3, fd, { rtol: 1e-6, atol: 1e-7 });
    });
  });
}
