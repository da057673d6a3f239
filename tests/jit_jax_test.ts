// jit against JAX: programs under `jit` in every stacking order whose expected values, dtypes,
// primitive names and trace counts come from JAX 0.10.2 (CPU, `jax_enable_x64`) running the same
// program written in Python — tests/fixtures/jit_jax/make_fixtures.py holds the Python twins and
// writes jit_jax.json, read here by name (tests never run Python). Covered: MLP losses,
// softmax/logsumexp, matmul chains, indexing (static, integer arrays, `at` updates, traced
// indices and dynamic slices), reductions, broadcasting, where, cumsum/sort, linear algebra,
// jvp/vjp/linearize/jacfwd/jacrev/hessian of jit and jit of them, vmap with inAxes/outAxes,
// static arguments, trees with null leaves, weak types and int32/float32/bool, lax control flow
// with traced predicates (the NaN-safe batched cond), custom rules, random numbers, 8th-order
// nested grad, 1000- and 10 000-op chains, makeJaxpr/evalJaxpr, trace counts and errors.
// Comparisons are to 1e-12 relative in float64 (1e-10 where the math loses digits).
import { describe, it } from "node:test";
import { deepEqual, equal, ok, throws } from "node:assert/strict";
import {
  type AnyFunction,
  type Array,
  checkpoint,
  ConcretizationError,
  customJvp,
  customVjp,
  EscapedTracerError,
  evalJaxpr,
  grad,
  hessian,
  jacfwd,
  jacrev,
  jit,
  jvp,
  lax,
  linearize,
  makeJaxpr,
  nn,
  np,
  random,
  tree,
  valueAndGrad,
  vjp,
  vmap,
} from "../mod.ts";
import { assertAllClose } from "./_assert.ts";
import { readFixture } from "./_numpy_fixtures.ts";

const expected = readFixture("jit_jax/jit_jax.json") as Record<string, unknown>;
/** JAX's value for the program `name`. */
const E = (name: string): unknown => {
  if (!Object.hasOwn(expected, name)) {
    throw new Error(`no value named ${JSON.stringify(name)} in jit_jax.json`);
  }
  return expected[name];
};
/** The program `name` against JAX's value (trees, lists and arrays in any mixture). */
const close = (name: string, actual: unknown, rtol = 1e-12) =>
  assertAllClose(actual, E(name), { rtol, atol: 1e-13, msg: name });
const field = (name: string, key: string) => (E(name) as Record<string, unknown>)[key];

// Inputs (make_fixtures.py repeats them)
const a = (x: number | number[] | number[][]) => np.array(x, "float64");
const i32 = (x: number | number[]) => np.array(x, "int32");
const X3 = a([0.3, -1.2, 2.0]);
const XS4 = a([0.1, -0.4, 0.9, 0.3]);
const M23 = a([[0.5, -1.0, 2.0], [1.5, 0.25, -0.75]]);
const B32 = a([[1.0, 2.0], [-0.5, 0.3], [2.0, -1.0]]);
const C24 = a([[0.2, -0.1, 0.4, 1.0], [0.7, 0.3, -0.6, 0.05]]);
const SPD = a([[4.0, 1.0, 0.5], [1.0, 3.0, 0.2], [0.5, 0.2, 2.0]]);
const A33 = a([[2.0, -1.0, 0.5], [1.0, 3.0, -2.0], [0.3, 0.7, 4.0]]);
const TIES = a([1.0, 3.0, 3.0, -2.0, 3.0]);
const XB = np.linspace(-1, 1, 15).reshape([5, 3]);
const W1 = np.divide(np.subtract(np.arange(12).astype("float64").reshape([3, 4]), 5.5), 6);
const B1 = a([0.1, -0.2, 0.3, 0.0]);
const W2 = np.divide(np.subtract(np.arange(8).astype("float64").reshape([4, 2]), 3.5), 4);
const B2 = a([0.05, -0.05]);
const LABELS = i32([0, 1, 1, 0, 1]);
type Params = { w1: Array; b1: Array; w2: Array; b2: Array };
const P: Params = { w1: W1, b1: B1, w2: W2, b2: B2 };

const mlpLogits = (p: Params, x: Array) =>
  np.add(np.matmul(np.tanh(np.add(np.matmul(x, p.w1), p.b1)), p.w2), p.b2);
const mlpLoss = (p: Params, x: Array, labels: Array) => {
  const logp = nn.logSoftmax(mlpLogits(p, x));
  return np.negative(np.mean(np.sum(np.multiply(logp, nn.oneHot(labels, 2)), 1)));
};

describe("jit values against JAX", () => {
  it("an MLP: loss, jit(grad), grad(jit), valueAndGrad, vmap over examples, an SGD step", () => {
    close("mlp loss", jit(mlpLoss)(P, XB, LABELS));
    close("mlp jit(grad)", jit(grad(mlpLoss))(P, XB, LABELS));
    close("mlp grad(jit)", grad(jit(mlpLoss))(P, XB, LABELS));
    close("mlp jit(valueAndGrad)", jit(valueAndGrad(mlpLoss))(P, XB, LABELS));
    close("mlp logits vmap over examples", jit(vmap(mlpLogits, { inAxes: [null, 0] }))(P, XB));
    const step = jit((p: Params, x: Array, y: Array) =>
      tree.map(
        (w: Array, g: Array) => np.subtract(w, np.multiply(0.1, g)),
        p,
        grad(mlpLoss)(p, x, y),
      )
    );
    close("mlp sgd step", step(P, XB, LABELS));
  });

  it("softmax, log-softmax and logsumexp (stable at ±1000), and their gradients", () => {
    close("softmax last axis", jit((x: Array) => nn.softmax(x))(M23));
    close("softmax axis 0", jit((x: Array) => nn.softmax(x, 0))(M23));
    close("log_softmax", jit((x: Array) => nn.logSoftmax(x))(M23));
    close("logsumexp", jit((x: Array) => nn.logsumexp(x))(M23));
    close("logsumexp axis 1", jit((x: Array) => nn.logsumexp(x, 1))(M23));
    close("logsumexp large", jit((x: Array) => nn.logsumexp(x))(a([1000, 1000, -1000])));
    close("grad logsumexp", grad(jit((x: Array) => nn.logsumexp(x)))(M23));
    close("jit grad softmax entry", jit(grad((x: Array) => nn.softmax(x).get(1)))(X3));
  });

  it("matmul chains, vectors, outer and einsum", () => {
    close(
      "matmul chain",
      jit((a: Array, b: Array, c: Array) => np.matmul(np.matmul(a, b), c))(
        M23,
        B32,
        C24,
      ),
    );
    const loss = (a: Array, b: Array, c: Array) => np.sum(np.matmul(np.tanh(np.matmul(a, b)), c));
    close("matmul chain grad", jit(grad(loss, { argnums: [0, 1, 2] }))(M23, B32, C24));
    close("dot vector", jit((x: Array, y: Array) => np.dot(x, y))(X3, a([1, 2, 3])));
    close("matvec", jit((m: Array, v: Array) => np.matmul(m, v))(M23, X3));
    close("vecmat grad", grad(jit((v: Array) => np.sum(np.matmul(v, M23))))(a([0.5, -2])));
    close("outer", jit((x: Array, y: Array) => np.outer(x, y))(X3, XS4));
    close("einsum", jit((x: Array, y: Array) => np.einsum("ij,jk->ik", x, y))(M23, B32));
  });
});

describe("indexing under jit against JAX", () => {
  it("static indices: ints, reversed slices, negative indices, new axes, integer arrays", () => {
    close("get int and reversed slice", jit((x: Array) => x.get(1, "::-1"))(M23));
    close("get column", jit((x: Array) => x.get(":", 1))(M23));
    close("get negative and newaxis", jit((x: Array) => x.get(-1, null, "1:"))(M23));
    close("get int array", jit((x: Array) => x.get(":", i32([2, 0])))(M23));
    close("take axis 1", jit((x: Array) => np.take(x, i32([2, 2, 0]), 1))(M23));
    close("take flat", jit((x: Array) => np.take(x, i32([5, 0, 3])))(M23));
    close(
      "grad take repeated",
      grad(jit((x: Array) => np.sum(np.square(np.take(x, i32([2, 2, 0]))))))(X3),
    );
  });

  it("functional updates: at(...).set/add/multiply, repeated indices accumulate, gradients", () => {
    close("at set", jit((x: Array) => x.at(1).set(5))(X3));
    close("at add repeated", jit((x: Array) => x.at(i32([0, 2, 0])).add(1))(X3));
    close("at mul row", jit((x: Array) => x.at(0).multiply(2))(M23));
    const f = (x: Array, v: Array) => np.sum(np.multiply(x.at(1).set(np.multiply(v, v)), x));
    close("grad at set", grad(jit(f), { argnums: [0, 1] })(X3, 3));
  });

  it("traced indices and dynamic slices (starts clamped so the slice fits, as XLA)", () => {
    const at = jit((x: Array, i: Array) => x.get(i));
    close("traced index", [0, 2, -1].map((k) => at(X3, i32(k))));
    equal(at.traceCount, 1);
    const ds = jit((x: Array, i: Array) => lax.dynamicSlice(x, [i], [2]));
    close("dynamic slice", [0, 1, 3].map((k) => ds(XS4, i32(k))));
    close(
      "dynamic slice 2d",
      jit((x: Array, i: Array, j: Array) => lax.dynamicSlice(x, [i, j], [1, 2]))(
        M23,
        i32(1),
        i32(1),
      ),
    );
    const dus = jit((x: Array, u: Array, i: Array) => lax.dynamicUpdateSlice(x, u, [i]));
    close("dynamic update slice", [1, 3].map((k) => dus(XS4, a([7, 8]), i32(k))));
    const sq = (x: Array, i: Array) => np.sum(np.square(lax.dynamicSlice(x, [i], [2])));
    close("grad dynamic slice", jit(grad(sq))(XS4, i32(2)));
    close(
      "vmap traced index",
      jit(vmap((x: Array, i: Array) => x.get(i), { inAxes: [null, 0] }))(X3, i32([2, 0, 1])),
    );
  });
});

describe("reductions, broadcasting, where, cumsum, sort under jit against JAX", () => {
  it("reductions along axes, keepdims, arg-reductions", () => {
    close("sum axis 0", jit((x: Array) => np.sum(x, 0))(M23));
    close("mean keepdims", jit((x: Array) => np.mean(x, 1, { keepdims: true }))(M23));
    close(
      "max min prod",
      jit((x: Array) => [np.max(x), np.min(x, 0), np.prod(x, 1)])(M23),
    );
    close("var std", jit((x: Array) => [np.var(x), np.std(x, 1)])(M23));
    close("argmax argmin", jit((x: Array) => [np.argmax(x, 1), np.argmin(x)])(M23));
  });

  it("gradients of reductions: ties share the gradient of max and min equally, as JAX", () => {
    close("grad max ties", grad(jit((x: Array) => np.max(x)))(TIES));
    close("grad min ties", jit(grad((x: Array) => np.min(x)))(np.negative(TIES)));
    close("grad prod", jit(grad((x: Array) => np.prod(x)))(X3));
    close("grad var", grad(jit((x: Array) => np.var(x)))(XS4));
    close("grad norm", jit(grad((x: Array) => np.linalg.norm(x)))(X3));
  });

  it("broadcasting and its gradients (sums over broadcast axes)", () => {
    close(
      "broadcast add mul",
      jit((x: Array, y: Array, z: Array) => np.multiply(np.add(x, y), z))(
        a([[1], [2], [3]]),
        a([[0.5, -1, 2, 0]]),
        XS4,
      ),
    );
    close(
      "grad broadcast",
      grad(jit((x: Array, y: Array) => np.sum(np.sin(np.multiply(x, y)))), { argnums: [0, 1] })(
        a([[1], [2]]),
        X3,
      ),
    );
  });

  it("where, clip, relu, maximum at ties, and the double-where NaN guard", () => {
    close("where leaky", jit((x: Array) => np.where(np.greater(x, 0), x, np.multiply(0.1, x)))(X3));
    const w = (x: Array) => np.sum(np.where(np.greater(x, 0), np.multiply(x, x), np.sin(x)));
    close("grad where", jit(grad(w))(X3));
    const safe = (x: Array) =>
      np.sum(np.where(np.greater(x, 0), np.sqrt(np.where(np.greater(x, 0), x, 1)), 0));
    close("double where is nan safe", grad(jit(safe))(X3));
    close("clip relu", jit((x: Array) => [np.clip(x, -1, 1), nn.relu(x)])(X3));
    close(
      "maximum grad ties",
      grad(jit((x: Array, y: Array) => np.sum(np.maximum(x, y))), { argnums: [0, 1] })(
        a([1, 2, 3]),
        a([1, 0, 5]),
      ),
    );
  });

  it("cumsum, cumprod, sort, argsort and their gradients", () => {
    close("cumsum cumprod", jit((x: Array) => [np.cumsum(x), np.cumprod(x, 1)])(M23));
    close("grad cumsum", grad(jit((x: Array) => np.sum(np.square(np.cumsum(x)))))(XS4));
    close("grad cumprod", jit(grad((x: Array) => np.sum(np.cumprod(x))))(XS4));
    close(
      "sort argsort",
      jit((x: Array) => [np.sort(x), np.argsort(x), np.sort(M23, 0)])(XS4),
    );
    close(
      "grad sort",
      grad(jit((x: Array) => np.sum(np.multiply(np.sort(x), a([1, 2, 3, 4])))))(XS4),
    );
  });
});

describe("linear algebra under jit, grad(jit) and jit(grad) against JAX", () => {
  const solveLoss = (m: Array, b: Array) => np.sum(np.square(np.linalg.solve(m, b)));
  it("solve", () => {
    close("solve", jit((m: Array, b: Array) => np.linalg.solve(m, b))(A33, X3));
    close("grad solve", grad(jit(solveLoss), { argnums: [0, 1] })(A33, X3), 1e-11);
    close("jit grad solve", jit(grad(solveLoss, { argnums: [0, 1] }))(A33, X3), 1e-11);
  });
  it("cholesky", () => {
    close("cholesky", jit((m: Array) => np.linalg.cholesky(m))(SPD));
    close(
      "grad cholesky",
      jit(grad((m: Array) => np.sum(np.multiply(np.linalg.cholesky(m), A33))))(SPD),
      1e-11,
    );
  });
  it("det, slogdet, inv and their gradients", () => {
    close(
      "det slogdet inv",
      jit((m: Array) => {
        const [sign, logdet] = np.linalg.slogdet(m);
        return [np.linalg.det(m), sign, logdet, np.linalg.inv(m)];
      })(A33),
    );
    close("grad det", grad(jit((m: Array) => np.linalg.det(m)))(A33), 1e-11);
    close("jit grad logdet", jit(grad((m: Array) => np.linalg.slogdet(m)[1]))(SPD), 1e-11);
  });
});

describe("forward and reverse mode of jit, and jit of them, against JAX", () => {
  const FV = (x: Array) => np.multiply(np.sin(x), np.sum(np.square(x)));
  const FS = (x: Array) => np.sum(np.multiply(np.sin(x), np.exp(x)));
  const T3 = a([1, 0.5, -2]);

  it("jvp, vjp (the pullback reused), linearize", () => {
    close("jvp of jit", jvp(jit(FV), [X3], [T3]));
    close("jit of jvp", jit((x: Array, t: Array) => jvp(FV, [x], [t]))(X3, T3));
    const [y, pull] = vjp(jit(FV), [X3]);
    close("vjp of jit", [y, pull(T3)[0], pull(np.multiply(2, T3))[0]]);
    close("jit of vjp", jit((x: Array, c: Array) => vjp(FV, [x])[1](c)[0])(X3, T3));
    const [ly, lin] = linearize(jit(FV), [X3]);
    close("linearize of jit", [ly, lin(T3), lin(XS4.get(":3"))]);
  });

  it("jacfwd, jacrev, hessian of jit and jit of them; a tree Jacobian", () => {
    close("jacfwd of jit", jacfwd(jit(FV))(X3));
    close("jacrev of jit", jacrev(jit(FV))(X3));
    close("jit of jacfwd", jit(jacfwd(FV))(X3));
    close("jit of jacrev", jit(jacrev(FV))(X3));
    close("hessian of jit", hessian(jit(FS))(X3));
    close("jit of hessian", jit(hessian(FS))(X3));
    const treeF = (p: { w: Array; b: Array }) => np.multiply(p.w, np.sum(np.square(p.b)));
    close("jit of jacrev of a tree", jit(jacrev(treeF))({ w: X3, b: a([1, 2]) }));
  });

  it("jit(jit(grad(jit f))) and jit closing over an outer grad's tracer", () => {
    close("jit jit grad jit", jit(jit(grad(jit(FS))))(X3));
    close(
      "closure over outer tracer",
      grad((x: Array) => jit((y: Array) => np.multiply(x, y))(2))(3),
    );
    close(
      "closure over outer tracer sin",
      grad((x: Array) => jit((y: Array) => np.add(np.multiply(np.sin(x), y), x))(2))(0.5),
    );
  });
});

describe("vmap under jit against JAX", () => {
  it("inAxes with null and 1, outAxes 1", () => {
    const f = (x: Array, w: Array, v: Array) => np.add(np.multiply(np.sin(x), w), v);
    close(
      "vmap in_axes out_axes",
      jit(vmap(f, { inAxes: [0, null, 1], outAxes: 1 }))(M23, X3, a([[1, 2], [3, 4], [5, 6]])),
    );
    close(
      "vmap of jit in_axes 1",
      vmap(jit((x: Array) => np.sum(np.square(x))), { inAxes: 1 })(M23),
    );
  });
  it("a tree of outAxes", () => {
    const f = (x: Array) => ({ s: np.sum(x), v: np.multiply(x, 2) });
    close("vmap out_axes tree", jit(vmap(f, { outAxes: { s: 0, v: 1 } }))(M23));
  });
  it("per-example gradients of the MLP; vmap(jit(vmap))", () => {
    const perExample = jit(vmap(grad(mlpLoss), { inAxes: [null, 0, 0] }));
    close("per example grads", perExample(P, XB.reshape([5, 1, 3]), LABELS.reshape([5, 1])));
    const inner = jit(vmap((x: Array, y: Array) => np.multiply(x, y), { inAxes: [0, null] }));
    close("vmap of jit of vmap", vmap(inner, { inAxes: [null, 0] })(X3, XS4));
  });
});

describe("static arguments against JAX", () => {
  it("ints, strings and tuples (JS arrays) are part of the key and used as themselves", () => {
    const pow = jit((x: Array, n: number) => np.power(x, n), { staticArgnums: 1 });
    close("static int power", [pow(X3, 2), pow(X3, 3)]);
    equal(pow.traceCount, 2);
    const op = jit(
      (x: Array, name: string) => (name === "sin" ? np.sin(x) : np.cos(x)),
      { staticArgnums: 1 },
    );
    close("static string", [op(X3, "sin"), op(X3, "cos")]);
    const rs = jit((x: Array, shape: number[]) => np.multiply(np.reshape(x, shape), 2), {
      staticArgnums: 1,
    });
    const r = rs(np.arange(6).astype("float64"), [3, 2]);
    deepEqual(r.shape, [3, 2]);
    close("static tuple shape", r);
    const two = jit(
      (n: number, x: Array, axis: number) => np.sum(np.power(x, n), axis),
      { staticArgnums: [0, 2] },
    );
    close("static two", two(2, M23, 1));
    // a negative position counts from the last argument, as in JAX
    const neg = jit((x: Array, y: Array, n: number) => np.power(np.add(x, y), n), {
      staticArgnums: -1,
    });
    close("static negative", neg(X3, 1, 3));
    equal(neg(X3, 1, 3).dtype, "float64");
    equal(neg.traceCount, 1);
    close(
      "grad of static",
      grad(jit((x: Array, n: number) => np.sum(np.power(x, n)), { staticArgnums: 1 }))(X3, 3),
    );
  });
});

describe("trees in and out against JAX", () => {
  it("nested objects and lists in and out", () => {
    type In = { a: Array; b: [Array, number] };
    const f = (p: In) => ({
      sum: np.add(p.a, p.b[0]),
      prod: [np.multiply(p.a, p.b[1]), { c: np.sum(p.b[0]) }],
    });
    close("tree in and out", jit(f)({ a: X3, b: [XS4.get(":3"), 2] }));
  });
  it("null leaves are empty subtrees, in and out", () => {
    const f = (p: { x: Array; y: null }) => [p.y === null ? np.multiply(p.x, 2) : p.x, null];
    const out = jit(f)({ x: X3, y: null });
    equal(out[1], null);
    assertAllClose(out[0], (E("none leaves") as unknown[])[0], { rtol: 1e-12 });
    equal((E("none leaves") as unknown[])[1], null);
    const g = (p: { x: Array; s: Array; n: null }) => np.multiply(np.sum(np.square(p.x)), p.s);
    const dg = grad(jit(g))({ x: X3, s: 2, n: null }) as { x: Array; s: Array; n: null };
    equal(dg.n, null);
    const { n: _n, ...rest } = E("grad tree with none") as Record<string, unknown>;
    equal(_n, null);
    assertAllClose({ s: dg.s, x: dg.x }, rest, { rtol: 1e-12 });
  });
});

describe("dtypes under jit against JAX: weak types, int32, float32, bool", () => {
  const one32 = np.ones([2], "float32");
  const dts = (key: string, x: Array) => equal(x.dtype, field("weak dtypes", key), key);

  it("JS numbers and jit results of them", () => {
    dts("number", jit((x: Array) => np.multiply(x, 2))(2));
    dts("float32 array", jit((x: Array) => np.multiply(x, 2))(np.array(2, "float32")));
    dts("number times float32", jit((x: Array) => np.multiply(x, one32))(2));
    dts("strong float64 times float32", jit((x: Array) => np.multiply(x, one32))(a(2)));
    dts("int32 times number", jit((x: Array) => np.multiply(x, 3))(i32([1, 2])));
    dts("int32 times float", jit((x: Array) => np.multiply(x, 2.5))(i32([1, 2])));
    // weak types flow through staged operations and out of jit, as in JAX
    dts(
      "weak intermediate times float32",
      jit((x: Array) => np.multiply(np.sin(np.multiply(x, 2)), one32))(2),
    );
    dts(
      "weak array intermediate times float32",
      jit((x: Array) => np.multiply(np.sin(x), one32))(np.array(2)),
    );
    dts("output weak then float32", np.multiply(jit((x: Array) => np.multiply(x, 2))(2), one32));
    equal(jit((x: Array) => np.multiply(x, 2))(2).weakType, true);
    equal(jit((x: Array) => np.multiply(x, 2))(a([2])).weakType, false);
    const nested = jit((x: Array) => np.multiply(jit((y: Array) => np.sin(y))(x), one32));
    equal(nested(2).dtype, "float32");
    dts(
      "float32 grad",
      jit(grad((x: Array) => np.multiply(np.sin(x), 2)))(np.array(0.5, "float32")),
    );
  });

  it("int32 wraps, float32 rounds, bool logic, int reductions, int times float", () => {
    close(
      "int32 arithmetic wraps",
      jit((x: Array) => [
        np.multiply(x, x),
        np.add(x, x),
        np.floorDivide(x, 3),
        np.remainder(x, 3),
      ])(i32([2147483647, 65536, -7])),
      0,
    );
    const f32 = jit((x: Array) =>
      np.divide(np.exp(np.multiply(np.sin(x), 3)), np.add(1, np.multiply(x, x)))
    )(np.array([0.1, 1.7, -2.3], "float32"));
    equal(f32.dtype, "float32");
    close("float32 program", f32, 1e-6);
    const r = jit((x: Array) => np.subtract(np.add(x, 1e-8), x))(np.array([1, 1e-8], "float32"));
    equal(r.dtype, "float32");
    close("float32 rounding", r, 1e-7);
    const b = jit((p: Array, q: Array) => [
      np.logicalAnd(p, q),
      np.logicalOr(p, np.logicalNot(q)),
      np.where(p, 1, -1),
    ])(np.array([true, false, true]), np.array([true, true, false]));
    equal(b[0].dtype, "bool");
    close("bool ops", b, 0);
    const ir = jit((x: Array) => [np.sum(x), np.max(x), np.cumsum(x)])(i32([3, -1, 4, 1]));
    equal(ir[1].dtype, "int32");
    close("int32 reductions", ir, 0);
    const m = jit((i: Array, x: Array) => np.add(np.multiply(i, x), i))(i32([1, 2, 3]), X3);
    equal(m.dtype, "float64");
    close("mixed int float", m);
  });
});

describe("control flow with traced predicates under jit, grad and vmap, against JAX", () => {
  const COND = (x: Array) => lax.cond(np.greater(x, 0), np.sqrt, (x: Array) => x, x);

  it("cond: values, the NaN-safe batched cond in every order, gradients of both branches", () => {
    const jc = jit(COND);
    close("cond traced", [jc(a(4)), jc(a(-1))]);
    equal(jc.traceCount, 1);
    const x = a([-1, 4]);
    close("nan safe batched cond", [
      vmap(grad(COND))(x),
      grad((x: Array) => np.sum(vmap(COND)(x)))(x),
      jit(vmap(grad(COND)))(x),
      vmap(jit(grad(COND)))(x),
      grad(jit((x: Array) => np.sum(vmap(COND)(x))))(x),
    ]);
    const g = jit(grad((x: Array) => lax.cond(np.less(x, 1), np.sin, np.cos, x)));
    close("cond grad both branches", [g(a(0.5)), g(a(2))]);
  });

  it("cond with tree operands, closures, and vmap", () => {
    const t = jit((x: Array, y: Array) =>
      lax.cond(
        np.greater(x, y),
        (p: Array, q: Array) => [np.multiply(p, 3), q],
        (p: Array, q: Array) => [q, np.multiply(p, x)],
        x,
        y,
      )
    );
    close("cond tree operands", t(a(2), a(5)));
    const c = (x: Array, w: Array) =>
      lax.cond(
        np.greater(np.sum(x), 0),
        (v: Array) => np.sum(np.multiply(v, w)),
        (v: Array) => np.subtract(np.sum(v), w.get(0)),
        x,
      );
    close("cond closure grad", grad(jit(c), { argnums: [0, 1] })(X3, XS4.get(":3")));
    close(
      "vmap cond",
      jit(vmap((x: Array) => lax.cond(np.greater(x, 0.2), np.sin, np.cos, x)))(XS4),
    );
  });

  const SW = (i: Array, x: Array) =>
    lax.switch(i, [np.sin, np.cos, (v: Array) => np.multiply(v, 3)], x);
  it("switch: values, out-of-range indices clamped as JAX, gradients, vmap", () => {
    const js = jit(SW);
    close("switch traced", [0, 1, 2].map((k) => js(i32(k), a(0.7))));
    close("switch clamps", [-3, 7].map((k) => js(i32(k), a(0.7))));
    equal(js.traceCount, 1);
    const gs = jit(grad(SW, { argnums: 1 }));
    close("grad switch", [0, 1, 2].map((k) => gs(i32(k), a(0.7))));
    close("vmap switch", jit(vmap(SW))(i32([2, 0, 1, 0]), XS4));
  });

  const WL = (x: Array) =>
    lax.whileLoop((c: Array) => np.less(c, 100), (c: Array) => np.multiply(c, 2), x);
  it("whileLoop: values, a batched predicate, jvp, tree carries, Newton's method", () => {
    const jw = jit(WL);
    close("while traced", [jw(a(3)), jw(a(30)), jw(a(500))]);
    equal(jw.traceCount, 1);
    close("vmap while", jit(vmap(WL))(a([3, 60, 200, 0.7])));
    close("jvp while", jvp(jit(WL), [a(3)], [a(1)]));
    const tc = (x: Array) =>
      lax.whileLoop(
        (c: [Array, Array]) => np.less(c[0], 5),
        (c: [Array, Array]) => [np.add(c[0], 1), np.multiply(c[1], x)] as [Array, Array],
        [np.array(0, "int32"), np.onesLike(x)] as [Array, Array],
      );
    close("while tree carry", jit(tc)(X3));
    const newton = (v: Array) =>
      lax.whileLoop(
        (c: Array) => np.greater(np.abs(np.subtract(np.multiply(c, c), v)), 1e-12),
        (c: Array) => np.multiply(0.5, np.add(c, np.divide(v, c))),
        v,
      );
    close("newton sqrt while", jit(vmap(newton))(a([2, 9, 0.25])));
  });

  const FL = (x: Array, n: Array | number) =>
    lax.foriLoop(0, n, (i: Array, c: Array) => np.add(np.sin(c), np.multiply(i, 0.1)), x);
  it("foriLoop: a traced bound (one trace), static bounds differentiable, batched bounds", () => {
    const jf = jit(FL);
    close("fori traced bound", [0, 3, 7].map((k) => jf(a(1), i32(k))));
    equal(jf.traceCount, 1);
    close("fori static grad", [
      grad(jit((x: Array) => FL(x, 5)))(a(0.4)),
      jit(grad((x: Array) => FL(x, 5)))(a(0.4)),
    ]);
    close("vmap fori traced bound", jit(vmap(FL))(a([1, 0.5, -0.2]), i32([1, 4, 2])));
  });

  const step = (c: Array, x: Array): [Array, Array] => {
    const s = np.add(np.sin(c), x);
    return [s, np.multiply(s, c)];
  };
  const SC = (c0: Array, xs: Array) => lax.scan(step, c0, xs);
  const SCL = (c0: Array, xs: Array) => {
    const [c, ys] = SC(c0, xs);
    return np.add(c, np.sum(ys));
  };
  it("scan: values, reverse, tree xs, no xs with a length", () => {
    close("scan", jit(SC)(a(0.3), XS4));
    close(
      "scan reverse",
      jit((xs: Array) =>
        lax.scan((c: Array, x: Array): [Array, Array] => [np.add(c, x), c], np.array(0), xs, {
          reverse: true,
        })
      )(XS4),
    );
    close(
      "scan tree xs",
      jit((p: { a: Array; b: Array }) =>
        lax.scan(
          (c: Array, x: { a: Array; b: Array }): [Array, Array] => [
            np.add(np.multiply(c, x.a), x.b),
            c,
          ],
          np.array(1),
          p,
        )
      )({ a: XS4, b: a([1, 2, 3, 4]) }),
    );
    close(
      "scan no xs length",
      jit((c: Array) =>
        lax.scan((c: Array): [Array, Array] => [np.multiply(c, 1.5), c], c, null, { length: 4 })
      )(a(2)),
    );
  });
  it("scan: grad(jit), jit(grad), vmap, jit(vmap(grad))", () => {
    const argnums = [0, 1];
    close("grad scan", grad(jit(SCL), { argnums })(a(0.3), XS4));
    close("jit grad scan", jit(grad(SCL, { argnums }))(a(0.3), XS4));
    const xs2 = np.stack([XS4, np.flip(XS4)]);
    close("vmap scan", jit(vmap(SCL))(a([0.1, 0.2]), xs2));
    close("jit vmap grad scan", jit(vmap(grad(SCL)))(a([0.1, 0.2]), xs2));
  });
});

describe("control flow nested and composed under jit, against JAX", () => {
  const T3 = a([1, 0.5, -2]);
  const CF = (x: Array) =>
    lax.cond(
      np.greater(np.sum(x), 0),
      (v: Array) => np.multiply(np.sin(v), v),
      (v: Array) => np.add(np.cos(v), v),
      x,
    );
  const FL = (x: Array, n: Array | number) =>
    lax.foriLoop(0, n, (i: Array, c: Array) => np.add(np.sin(c), np.multiply(i, 0.1)), x);
  const SCL = (c0: Array, xs: Array) => {
    const [c, ys] = lax.scan(
      (c: Array, x: Array): [Array, Array] => {
        const s = np.add(np.sin(c), x);
        return [s, np.multiply(s, c)];
      },
      c0,
      xs,
    );
    return np.add(c, np.sum(ys));
  };

  it("hessian, jacrev, jacfwd, jvp of a traced cond; linearize of a jitted scan", () => {
    const s = (x: Array) => np.sum(CF(x));
    close("hessian of cond", [jit(hessian(s))(X3), hessian(jit(s))(np.negative(X3))]);
    close("jacrev jacfwd of cond", [jacrev(jit(CF))(X3), jit(jacfwd(CF))(np.negative(X3))]);
    close("jvp of jit cond", jvp(jit(CF), [X3], [T3]));
    const [y, lin] = linearize(jit(SCL), [a(0.3), XS4]);
    close("linearize of jit scan", [y, lin(a(1), XS4)]);
  });

  it("cond with an unbatched predicate under vmap; switch transposed under grad(jit)", () => {
    const v = vmap((x: Array, p: Array) => lax.cond(np.greater(p, 0), np.sin, np.cos, x), {
      inAxes: [0, null],
    });
    close("vmap cond unbatched predicate", jit(v)(XS4, a(1)));
    const sw = (x: Array) =>
      np.sum(
        np.square(
          lax.switch(
            np.add(np.array(1, "int32"), np.asarray(np.greater(np.sum(x), 0), "int32")),
            [np.sin, np.cos, np.tanh],
            x,
          ),
        ),
      );
    close("grad switch reverse", grad(jit(sw))(X3));
  });

  it("cond and whileLoop inside scan; grad of a cond inside scan; vmap(grad) of a scan closure", () => {
    const step = (c: Array, x: Array): [Array, Array] => {
      const c2 = lax.cond(
        np.greater(x, 0),
        (c: Array) => np.multiply(c, x),
        (c: Array) => np.subtract(c, x),
        c,
      );
      const w = lax.whileLoop(
        (v: Array) => np.less(v, 1),
        (v: Array) => np.add(np.multiply(v, 2), 0.1),
        np.add(np.abs(c2), 0.01),
      );
      return [c2, w];
    };
    close(
      "cond and while in scan",
      jit((c: Array, xs: Array) => lax.scan(step, c, xs))(a(0.5), XS4),
    );
    const g = (c: Array, xs: Array) =>
      lax.scan(
        (c: Array, x: Array): [Array, Array] => [
          lax.cond(
            np.greater(x, 0),
            (c: Array) => np.multiply(np.sin(c), x),
            (c: Array) => np.subtract(c, x),
            c,
          ),
          c,
        ],
        c,
        xs,
      )[0];
    close("grad cond in scan", jit(grad(g, { argnums: [0, 1] }))(a(0.5), XS4));
    const h = (w: Array, xs: Array) =>
      np.sum(
        lax.scan(
          (c: Array, x: Array): [Array, Array] => [np.add(np.multiply(c, w), x), np.multiply(c, x)],
          np.array(1),
          xs,
        )[1],
      );
    close(
      "scan with closure and vmap grad",
      jit(vmap(grad(h), { inAxes: [0, null] }))(a([0.5, -1, 2]), XS4),
    );
  });

  it("random keys carried through a scan; jvp of a traced-bound foriLoop; switch of scans", () => {
    const r = jit((k: Array) =>
      lax.scan(
        (k: Array): [Array, Array] => [
          random.split(k).get(0),
          random.uniform(random.split(k).get(1), [2]),
        ],
        k,
        null,
        { length: 3 },
      )[1]
    );
    close("random in scan", r(random.key(3)), 1e-15);
    close(
      "fori traced bound jvp",
      jvp((x: Array) => jit(FL)(x, np.array(4, "int32")), [a(0.3)], [a(1)]),
    );
    const sos = jit((i: Array, xs: Array) =>
      lax.switch(i, [
        (v: Array) =>
          lax.scan((c: Array, x: Array): [Array, Array] => [np.add(c, x), c], np.array(0), v)[1],
        (v: Array) => np.cumprod(v),
      ], xs)
    );
    close("switch of scans", sos(np.array(0, "int32"), XS4));
  });
});

describe("custom rules inside jit against JAX", () => {
  const log1pexp = customJvp((x: Array) => np.log1p(np.exp(x)));
  log1pexp.defjvp(([x]: Array[], [t]: Array[]) => [
    log1pexp(x) as Array,
    np.multiply(t, nn.sigmoid(x)),
  ]);
  const BIG = a([-50, 0, 3, 800]);

  it("customJvp: the value (inf at 800, as JAX), its rule under grad in both orders, second order", () => {
    close("custom jvp value", jit((x: Array) => log1pexp(x))(BIG));
    const s = (x: Array) => np.sum(log1pexp(x) as Array);
    close("custom jvp grad", [grad(jit(s))(BIG), jit(grad(s))(BIG)]);
    close(
      "custom jvp hessian diag",
      jit(vmap(grad(grad((x: Array) => log1pexp(x) as Array))))(BIG.get(":3")),
    );
  });

  const clipGrad = customVjp((x: Array) => x);
  clipGrad.defvjp(
    (x: Array) => [x, null],
    (_r: unknown, g: Array) => [np.clip(g, -1, 1)],
  );
  it("customVjp: a gradient-clipping rule under grad(jit), jit(grad) and vmap", () => {
    close("custom vjp clip", [
      grad(jit((x: Array) => np.sum(np.multiply(clipGrad(x) as Array, 5))))(X3),
      jit(grad((x: Array) => np.sum(np.square(clipGrad(np.multiply(x, 3)) as Array))))(X3),
    ]);
    close(
      "custom vjp vmap grad",
      jit(vmap(grad((x: Array) => np.multiply(clipGrad(x) as Array, 4))))(X3),
    );
  });

  it("checkpoint: value, grad(jit), jit(grad) of a nested checkpoint", () => {
    const ck = checkpoint((x: Array) => np.multiply(np.sin(np.exp(x)), x));
    close("checkpoint", [
      jit((x: Array) => np.sum(ck(x)))(X3),
      grad(jit((x: Array) => np.sum(ck(x))))(X3),
      jit(grad((x: Array) => np.sum(ck(ck(x)))))(X3),
    ]);
  });
});

describe("custom rules inside control flow inside jit, against JAX", () => {
  const log1pexp = customJvp((x: Array) => np.log1p(np.exp(x)));
  log1pexp.defjvp(([x]: Array[], [t]: Array[]) => [
    log1pexp(x) as Array,
    np.multiply(t, nn.sigmoid(x)),
  ]);
  const clipGrad = customVjp((x: Array) => x);
  clipGrad.defvjp((x: Array) => [x, null], (_r: unknown, g: Array) => [np.clip(g, -1, 1)]);

  it("checkpoint and customVjp inside scan, customJvp inside cond, customVjp under vmap", () => {
    const step = (c: Array, x: Array): [Array, Array] => [
      checkpoint((c: Array) => np.multiply(np.sin(c), x))(c),
      np.multiply(clipGrad(c) as Array, x),
    ];
    const f = (c: Array) =>
      np.add(np.sum(lax.scan(step, c, np.multiply(XS4, 3))[1]), lax.scan(step, c, XS4)[0]);
    close("custom rules in scan", jit(grad(f))(a(0.7)));
    const g = (x: Array) =>
      lax.cond(
        np.greater(x, 0),
        (v: Array) => log1pexp(v) as Array,
        (v: Array) => np.multiply(v, 2),
        x,
      );
    close("custom jvp in cond", jit(grad(g))(a(1.5)));
    const h = (x: Array) => np.sum(np.square(clipGrad(np.multiply(x, 4)) as Array));
    close("custom vjp under vmap in jit", jit(vmap(grad(h)))(M23));
  });
});

describe("random numbers inside jit: JAX's bits, equal to eager", () => {
  const K0 = random.key(0), K42 = random.key(42);
  const both = (name: string, f: AnyFunction, ...args: unknown[]) => {
    const j = jit(f)(...args), e = f(...args);
    deepEqual(j.tolist(), e.tolist(), `${name}: jit equals eager`);
    close(name, j, 1e-15);
  };
  it("normal, uniform, split, fold_in, split then normal", () => {
    both("random normal", (k: Array) => random.normal(k, [5]), K42);
    both("random uniform", (k: Array) => random.uniform(k, [2, 3], { minval: -1, maxval: 2 }), K0);
    both("random split", (k: Array) => random.split(k, 3), K42);
    both("random split then normal", (k: Array) => random.normal(random.split(k).get(1), [4]), K0);
    both("random fold_in", (k: Array) => random.uniform(random.foldIn(k, 7), [3]), K42);
  });
  it("vmap over keys, and a reparameterised gradient", () => {
    close(
      "random vmap over keys",
      jit(vmap((k: Array) => random.normal(k, [2])))(random.split(K0, 3)),
      1e-15,
    );
    const loss = (mu: Array, k: Array) =>
      np.sum(np.square(np.add(mu, np.multiply(0.5, random.normal(k, [3])))));
    close("random reparam grad", jit(grad(loss))(X3, K42));
  });
});

describe("higher order and scale under jit against JAX", () => {
  const nth = (f: AnyFunction, n: number): AnyFunction => {
    for (let i = 0; i < n; i++) f = grad(f);
    return f;
  };
  it("8th-order nested grad of sin and tanh, of jit(tanh), of exp∘sin", () => {
    const s8 = jit(nth(np.sin, 8));
    close("8th grad sin", [s8(a(0.3)), s8(a(1.1))]);
    equal(s8.traceCount, 1);
    const t8 = jit(nth(np.tanh, 8));
    close("8th grad tanh", [t8(a(0.3)), t8(a(-0.7))], 1e-10);
    close("8th grad of jit tanh", jit(nth(jit(np.tanh), 8))(a(0.3)), 1e-10);
    close(
      "8th grad exp sin mixed",
      jit(nth((x: Array) => np.exp(np.sin(x)), 8))(a(0.4)),
      1e-10,
    );
  });

  const chain = (n: number) => (x: Array) => {
    let y = x;
    for (let i = 0; i < n; i++) y = np.add(np.multiply(np.sin(y), 0.9), np.multiply(x, 0.1));
    return y;
  };
  it("a 1000-op chain: value, jit(grad), grad(jit), a vector chain", () => {
    const f = chain(333);
    ok(makeJaxpr(f)(a(0.5)).eqns.length >= 999);
    close("chain 333 value", jit(f)(a(0.5)));
    close("chain 333 grad", jit(grad(f))(a(0.5)), 1e-11);
    close("chain 333 grad of jit", grad(jit(f))(a(0.5)), 1e-11);
    close("chain 333 vector", jit(grad((x: Array) => np.sum(f(x))))(X3), 1e-11);
  });
  it("a 10 000-op chain: value and jit(grad)", () => {
    const f = chain(3334);
    close("chain 3334 value", jit(f)(a(0.5)));
    close("chain 3334 grad", jit(grad(f))(a(0.5)), 1e-10);
  });
});

describe("makeJaxpr and evalJaxpr against JAX", () => {
  const names = (f: AnyFunction, ...args: unknown[]) =>
    makeJaxpr(f)(...args).eqns.map((e) => e.primitive);
  const PN = (k: string) => field("primitive names", k);

  it("primitive names of simple programs are JAX's", () => {
    deepEqual(names((x: Array) => np.sum(np.sin(x)), X3), PN("sin reduce_sum"));
    deepEqual(names((x: Array) => np.power(x, 3), X3), PN("integer_pow"));
    deepEqual(names((x: Array) => np.add(np.multiply(x, 2), 1), X3), PN("mul add"));
    deepEqual(names((x: Array) => np.divide(np.exp(x), 3), X3), PN("exp div"));
    deepEqual(names((x: Array, w: Array) => np.matmul(x, w), M23, B32), PN("dot_general"));
    deepEqual(names((x: Array, v: Array) => np.matmul(x, v), M23, X3), PN("matmul vector"));
    deepEqual(
      names((x: Array) => np.tanh(np.sqrt(np.log(np.abs(np.negative(x))))), X3),
      PN("neg abs log sqrt tanh"),
    );
    deepEqual(names((x: Array) => np.max(x), X3), PN("reduce_max"));
    deepEqual(names((x: Array) => np.mean(x), X3), PN("mean"));
    deepEqual(names((x: Array) => x.get("1:"), X3), PN("slice"));
    deepEqual(names((x: Array) => np.reshape(x, [3, 1]), X3), PN("reshape"));
    deepEqual(names((x: Array) => np.transpose(x), M23), PN("transpose"));
    deepEqual(names((x: Array) => np.concatenate([x, x]), X3), PN("concatenate"));
    deepEqual(names((x: Array) => x.astype("float32"), X3), PN("convert_element_type"));
    // a jit inside a traced function is one `jit` equation (JAX 0.10's name, once `pjit`)
    deepEqual(names((x: Array) => np.multiply(jit(np.sin)(x), 2), X3), PN("nested jit"));
  });

  it("control flow and static arguments stage as JAX's equations", () => {
    deepEqual(
      names((x: Array) => lax.cond(np.greater(x, 0), np.sin, np.cos, x), a(1)),
      PN("cond"),
    );
    deepEqual(
      names(
        (x: Array) =>
          lax.whileLoop((c: Array) => np.less(c, 100), (c: Array) => np.multiply(c, 2), x),
        a(3),
      ),
      PN("while"),
    );
    const step = (c: Array, x: Array): [Array, Array] => {
      const s = np.add(np.sin(c), x);
      return [s, np.multiply(s, c)];
    };
    deepEqual(names((c: Array, xs: Array) => lax.scan(step, c, xs), a(0.3), XS4), PN("scan"));
    deepEqual(
      names((x: Array) => lax.foriLoop(0, 3, (_i: Array, c: Array) => np.multiply(c, 2), x), a(1)),
      PN("fori static"),
    );
    const p = makeJaxpr((x: Array, n: number) => np.power(x, n), { staticArgnums: 1 })(X3, 3);
    deepEqual(p.eqns.map((e) => e.primitive), PN("static power"));
    // grad(sin): JAX keeps the multiplication of cos by the seed 1.0, nabla folds it
    deepEqual(names(grad(np.sin), a(1)), (PN("grad sin") as string[]).slice(0, 2));
  });

  it("the printed program is jax.make_jaxpr's, up to line breaks", () => {
    const text = makeJaxpr((x: Array) => np.multiply(np.sin(x), 2))(X3).toString();
    // JAX prints a short program on one line, its equations separated by "; "
    equal(text.replace(/\n\s*/g, " "), (E("printed jaxpr") as string).replace(/(\S); /g, "$1 "));
  });

  it("evalJaxpr replays a program on new inputs (and a grad program), as jax.core.eval_jaxpr", () => {
    const p = makeJaxpr((x: Array, w: Array) => np.sum(np.tanh(np.matmul(x, w))))(M23, B32);
    deepEqual([p.invars.length, p.outs.length, p.eqns.length], E("jaxpr invars outvars"));
    close("eval jaxpr", evalJaxpr(p, [np.multiply(M23, 2), B32]));
    const FS = (x: Array) => np.sum(np.multiply(np.sin(x), np.exp(x)));
    const g = makeJaxpr(grad(FS))(X3);
    close("eval jaxpr of grad", evalJaxpr(g, [np.add(X3, 1)]));
    // a replayed program is a function like any other: jit, grad and vmap of it
    const replay = (x: Array) => evalJaxpr(makeJaxpr(FS)(X3), [x])[0];
    close("eval jaxpr of grad", [jit(grad(replay))(np.add(X3, 1))]);
  });
});

describe("trace counts against JAX", () => {
  const counted = () => {
    const n = { traces: 0 };
    const f = (x: Array, ..._rest: unknown[]) => {
      n.traces++;
      return np.multiply(x, 2);
    };
    return { n, f };
  };
  const C = (k: string) => field("trace counts", k);

  it("shape and dtype changes retrace; the same signature does not run the body", () => {
    const { n, f } = counted();
    const g = jit(f);
    g(X3), g(np.add(X3, 1)), g(XS4), g(XS4.astype("float32")), g(X3);
    equal(n.traces, C("shape and dtype"));
    equal(g.traceCount, n.traces);
  });
  it("weak types are part of the key", () => {
    const { n, f } = counted();
    const g = jit(f);
    g(2), g(3), g(np.array(2)), g(np.array(2).astype("float64")), g(np.array(5).astype("float64"));
    equal(n.traces, C("weak type"));
  });
  it("static values are part of the key", () => {
    const { n, f } = counted();
    const g = jit(f, { staticArgnums: 1 });
    g(X3, 1), g(X3, 1), g(X3, 2), g(X3, "a"), g(X3, "a"), g(X3, [1, 2]), g(X3, [1, 2]);
    equal(n.traces, C("static values"));
  });
  it("tree structure is part of the key", () => {
    const { n, f } = counted();
    const g = jit(f);
    g(X3, { a: X3 }), g(X3, { a: np.multiply(X3, 2) }), g(X3, { b: X3 }), g(X3, [X3]);
    g(X3, [np.multiply(X3, 2)]);
    equal(n.traces, C("tree structure"));
  });
  it("grad of a jitted function reuses its trace", () => {
    const { n, f } = counted();
    const g = jit(f);
    grad((x: Array) => np.sum(g(x)))(X3);
    grad((x: Array) => np.sum(g(x)))(np.add(X3, 1));
    g(X3);
    equal(n.traces, C("grad of jit reuses trace"));
  });
});

describe("errors under jit, as JAX raises them", () => {
  it("reading a traced value is a ConcretizationError (JAX's ConcretizationTypeError)", () => {
    for (
      const f of [
        (x: Array) => x.item(),
        (x: Array) => x.tolist(),
        (x: Array) => Number(x),
        // deno-lint-ignore no-explicit-any
        (x: any) => (x > 0 ? x : np.negative(x)),
        (x: Array) => np.reshape(x, [x.get(0).item() as number]),
      ]
    ) throws(() => jit(f)(a([1, 2])), ConcretizationError);
    // a boolean mask has a value-dependent shape (JAX's NonConcreteBooleanIndexError)
    throws(() => jit((x: Array) => x.get(np.greater(x, 0)))(X3), ConcretizationError);
    // a traced predicate in a Python/JS loop bound
    throws(
      () =>
        jit((x: Array) => lax.foriLoop(0, x.get(0).item() as number, (_i, c: Array) => c, x))(X3),
      ConcretizationError,
    );
  });

  it("a tracer leaked out of jit raises EscapedTracerError when used (UnexpectedTracerError)", () => {
    let leaked: Array | null = null;
    jit((x: Array) => {
      leaked = np.sin(x);
      return x;
    })(X3);
    throws(() => np.add(leaked!, 1), EscapedTracerError);
    throws(() => jit((y: Array) => np.add(y, leaked!))(X3), EscapedTracerError);
  });

  it("shape errors are thrown at trace time with eager's message, every call", () => {
    let eager = "";
    try {
      np.matmul(M23, M23);
    } catch (e) {
      eager = (e as Error).message;
    }
    ok(eager.length > 0);
    const bad = jit((x: Array) => np.matmul(x, x));
    throws(() => bad(M23), { message: eager });
    throws(() => bad(M23), { message: eager });
    equal(bad(SPD).shape.length, 2); // a good signature still works
    throws(() => jit(np.add)(X3, XS4), /shape/i);
    throws(() => grad(jit((x: Array) => np.sum(np.add(x, XS4))))(X3), /shape/i);
  });

  it("static argument positions: out of range is an error naming the argument", () => {
    throws(
      () => jit((x: Array) => x, { staticArgnums: 3 })(X3),
      /staticArgnums names argument 3/,
    );
    throws(
      () => jit((x: Array) => x, { staticArgnums: -2 })(X3),
      /staticArgnums names argument -2, but the function was called with 1 arguments/,
    );
    throws(() => jit((x: Array) => x, { staticArgnums: 0.5 }), /staticArgnums must be integers/);
    // a static argument must be hashable in JAX; in nabla an array is keyed by identity
    const byId = jit((x: Array, w: Array) => np.multiply(x, w), { staticArgnums: 1 });
    const w = a([1, 2, 3]);
    byId(X3, w), byId(X3, w), byId(X3, a([1, 2, 3]));
    equal(byId.traceCount, 2);
  });

  it("grad of a non-scalar jitted function, and reverse mode through a traced whileLoop", () => {
    throws(() => grad(jit(np.sin))(X3), /scalar/);
    throws(
      () =>
        grad(
          jit((x: Array) =>
            lax.whileLoop((c: Array) => np.less(c, 10), (c: Array) => np.multiply(c, 2), x)
          ),
        )(a(1)),
      /Reverse-mode differentiation does not work for whileLoop/,
    );
  });

  it("cond branches of different types are an error at trace time", () => {
    throws(
      () =>
        jit((x: Array) =>
          lax.cond(np.greater(x, 0), (v: Array) => v, (v: Array) => np.stack([v, v]), x)
        )(a(1)),
      /cond|branch/i,
    );
  });
});
