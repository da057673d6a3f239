// jit and makeJaxpr: programs (printing, evaluation, scale), the trace cache, errors, and
// composition with every transformation in every order through the `pjit` call primitive.
import { describe, it } from "node:test";
import { deepEqual, equal, ok, throws } from "node:assert/strict";
import {
  type Array,
  checkpoint,
  ConcretizationError,
  customJvp,
  customVjp,
  EscapedTracerError,
  evalJaxpr,
  evalShape,
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
  stopGradient,
  valueAndGrad,
  vjp,
  vmap,
} from "../mod.ts";
import { compileJaxpr, simplify, typecheckJaxpr } from "../extend.ts";
import { assertAllClose } from "./_assert.ts";

const bits = (x: Array) => globalThis.Array.from(x.data as Float64Array);
/** Same dtype, shape and float64 bits. */
function same(a: Array, b: Array): void {
  equal(a.dtype, b.dtype);
  deepEqual(a.shape, b.shape);
  deepEqual(bits(np.asarray(a, "float64")), bits(np.asarray(b, "float64")));
}

const mlp = (p: { w: Array; b: Array }, x: Array) =>
  np.sum(np.tanh(np.add(np.matmul(x, p.w), p.b)));

describe("makeJaxpr", () => {
  it("lists the equations by their snake_case primitive names", () => {
    const p = makeJaxpr((x: Array, w: Array) => np.sum(np.sin(np.matmul(x, w))))(
      np.ones([2, 3]),
      np.ones([3, 4]),
    );
    deepEqual(p.eqns.map((e) => e.primitive), ["dot_general", "sin", "reduce_sum"]);
    equal(p.invars.length, 2);
    deepEqual(p.outs.map((o) => o.aval.shape), [[]]);
  });

  it("prints in jax.make_jaxpr's style, literals and params included", () => {
    const p = makeJaxpr((x: Array) => np.sum(np.multiply(np.exp(x), 2), 0))(np.ones([3, 2]));
    equal(
      p.toString(),
      "{ lambda ; a:f64[3,2]. let\n    b:f64[3,2] = exp a\n    c:f64[3,2] = mul b 2.0:f64[]\n" +
        "    d:f64[2] = reduce_sum[axes=(0,)] c\n  in (d,) }",
    );
  });

  it("turns closed-over arrays into constants", () => {
    const w = np.array([1, 2, 3]);
    const p = makeJaxpr((x: Array) => np.multiply(x, w))(np.ones([3]));
    equal(p.jaxpr.constvars.length, 1);
    equal(p.consts[0], w);
    ok(p.toString().startsWith("{ lambda a:f64[3]; b:f64[3]. let"));
  });

  it("static arguments are used as themselves", () => {
    const f = (x: Array, n: number) => np.power(x, n);
    const p = makeJaxpr(f, { staticArgnums: 1 })(np.ones([2]), 3);
    equal(p.eqns.length, 1);
    equal(p.eqns[0].primitive, "integer_pow");
  });

  it("evalJaxpr maps flat inputs to flat outputs, equal to eager", () => {
    const params = { w: np.reshape(np.arange(6), [3, 2]), b: np.array([0.5, -0.5]) };
    const x = np.reshape(np.linspace(-1, 1, 12), [4, 3]);
    const f = (p: { w: Array; b: Array }, x: Array) => [mlp(p, x), np.cos(x)];
    const prog = makeJaxpr(f)(params, x);
    const outs = evalJaxpr(prog, [params.b, params.w, x]); // tree leaves in key order: b, w
    const eager = f(params, x);
    same(outs[0], eager[0]);
    same(outs[1], eager[1]);
  });

  it("evalJaxpr checks its inputs", () => {
    const prog = makeJaxpr(np.sin)(np.ones([2]));
    throws(() => evalJaxpr(prog, [np.ones([3])]), /input 0 must be f64\[2\], got f64\[3\]/);
    throws(() => evalJaxpr(prog, []), /takes 1 inputs, got 0/);
  });

  it("shape errors are thrown at trace time with eager's message", () => {
    let eager = "";
    try {
      np.add(np.ones([2]), np.ones([3]));
    } catch (e) {
      eager = (e as Error).message;
    }
    ok(eager.length > 0);
    throws(() => makeJaxpr((x: Array) => np.add(x, np.ones([3])))(np.ones([2])), {
      message: eager,
    });
  });

  it("a 100 000-equation program traces, prints, type-checks and evaluates (no recursion)", () => {
    const n = 100_000;
    const f = (x: Array) => {
      let y = x;
      for (let i = 0; i < n; i++) y = np.sin(y);
      return y;
    };
    const p = makeJaxpr(f)(np.array(0.5));
    equal(p.eqns.length, n);
    const text = p.toString();
    equal(text.split("\n").length, n + 2);
    typecheckJaxpr(p.jaxpr);
    const eager = f(np.array(0.5)).item();
    equal(evalJaxpr(p, [np.array(0.5)])[0].item(), eager);
    equal(jit(f)(np.array(0.5)).item(), eager); // compiled: 100 000 straight-line calls
  });
});

describe("jit: values and the cache", () => {
  it("values equal eager bit for bit", () => {
    const params = { w: np.reshape(np.linspace(-1, 1, 6), [3, 2]), b: np.array([0.5, -0.5]) };
    const x = np.reshape(np.linspace(-2, 2, 12), [4, 3]);
    same(jit(mlp)(params, x), mlp(params, x));
    const g = grad(mlp);
    const jg = jit(g)(params, x), eg = g(params, x);
    same(jg.w, eg.w);
    same(jg.b, eg.b);
  });

  it("traces once per signature; a hit does not run the body", () => {
    let runs = 0;
    const f = jit((x: Array) => {
      runs++;
      return np.multiply(x, 2);
    });
    f(np.array([1, 2]));
    f(np.array([3, 4]));
    equal(runs, 1);
    f(np.array([1, 2, 3])); // new shape
    equal(runs, 2);
    f(np.array([1, 2], "float32")); // new dtype
    equal(runs, 3);
    f(np.array([5, 6]));
    equal(runs, 3);
    equal(f.traceCount, 3);
  });

  it("trees: structure is part of the key", () => {
    let runs = 0;
    const f = jit((p: { a: Array; b?: Array }) => {
      runs++;
      return p.b === undefined ? p.a : np.add(p.a, p.b);
    });
    equal(f({ a: np.array(1) }).item(), 1);
    equal(f({ a: np.array(1), b: np.array(2) }).item(), 3);
    equal(f({ a: np.array(5), b: np.array(2) }).item(), 7);
    equal(runs, 2);
  });

  it("JS numbers are weakly typed, as in eager", () => {
    const f = (a: Array, s: Array | number) => np.multiply(a, s);
    const jf = jit(f);
    const a32 = np.array([1, 2], "float32");
    equal(jf(a32, 2).dtype, "float32");
    equal(jf(a32, 2).dtype, f(a32, 2).dtype);
    const ai = np.array([1, 2], "int32");
    equal(jf(ai, 3).dtype, f(ai, 3).dtype); // int32 * weak int
    deepEqual(jf(ai, 3).tolist(), [3, 6]);
    equal(jf(ai, 2.5).dtype, f(ai, 2.5).dtype); // int32 * weak float -> float64
    deepEqual(jf(ai, 2.5).tolist(), [2.5, 5]);
    equal(jf.traceCount, 3); // f32/int, i32/int, i32/float
    equal(jf(ai, np.array(3, "int32")).dtype, "int32");
    equal(jf.traceCount, 4);
  });

  it("static arguments: their values are part of the key", () => {
    let runs = 0;
    const f = jit((x: Array, n: number, opts: { square: boolean }) => {
      runs++;
      return opts.square ? np.power(x, n) : np.multiply(x, n);
    }, { staticArgnums: [1, 2] });
    equal(f(np.array(2), 3, { square: true }).item(), 8);
    equal(f(np.array(3), 3, { square: true }).item(), 27);
    equal(runs, 1);
    equal(f(np.array(2), 3, { square: false }).item(), 6);
    equal(f(np.array(2), 2, { square: false }).item(), 4);
    equal(runs, 3);
  });

  it("the cache is bounded (least recently used dropped)", () => {
    const f = jit((x: Array) => np.sin(x));
    for (let n = 1; n <= 70; n++) f(np.ones([n]));
    equal(f.traceCount, 70);
    f(np.ones([70])); // recent: hit
    equal(f.traceCount, 70);
    f(np.ones([1])); // evicted: traced again
    equal(f.traceCount, 71);
  });

  it("both backends give the same values", () => {
    const g = (x: Array) => np.sum(np.exp(np.sin(x)));
    const x = np.linspace(0, 3, 7);
    same(jit(g, { backend: "interpret" })(x), jit(g)(x));
    same(jit(grad(g), { backend: "interpret" })(x), grad(g)(x));
  });

  it("random numbers inside jit equal eager", () => {
    const f = (key: Array) => np.add(random.normal(key, [3]), random.uniform(key, [3]));
    const k = random.key(42);
    same(jit(f)(k), f(k));
    const split = (key: Array) => random.split(key, 3);
    same(jit(split)(k), split(k));
  });
});

describe("jit: errors", () => {
  it("reading a traced value is a ConcretizationError naming jit", () => {
    const byItem = jit((x: Array) => ((x.item() as number) > 0 ? x : np.negative(x)));
    throws(() => byItem(np.array(1)), (e: Error) => {
      ok(e instanceof ConcretizationError);
      ok(e.message.includes("jit"), e.message);
      ok(e.message.includes("lax.cond"), e.message);
      ok(e.message.includes("staticArgnums"), e.message);
      return true;
    });
    throws(() => jit((x: Array) => x.tolist())(np.array([1])), ConcretizationError);
    // a JS comparison coerces the value
    // deno-lint-ignore no-explicit-any
    throws(() => jit((x: any) => (x > 0 ? x : np.negative(x)))(np.array(1)), ConcretizationError);
  });

  it("a leaked tracer raises EscapedTracerError when used", () => {
    let leaked: Array | null = null;
    const f = jit((x: Array) => {
      leaked = np.sin(x);
      return x;
    });
    f(np.array(1));
    throws(() => np.cos(leaked!), EscapedTracerError);
  });

  it("bad arguments", () => {
    throws(() => jit(3 as never), /jit expects a function: got number 3/);
    throws(() => jit(np.sin, { staticArgnums: 0.5 }), /staticArgnums must be integers/);
    throws(
      () => jit(np.sin, { staticArgNums: 0 } as never),
      /Unknown option "staticArgNums" for jit \(did you mean "staticArgnums"\?\)/,
    );
    throws(() => jit(np.sin, { staticArgnums: 2 })(np.array(1)), /names argument 2/);
    throws(() => jit((x: unknown) => x)("a"), /Arguments of jit\(\w*\) must be arrays/);
  });
});

describe("jit composes in every order", () => {
  const f = (x: Array) => np.sum(np.multiply(np.sin(x), np.exp(x)));
  const x = np.array([0.1, 0.7, -1.3]);

  it("grad(jit f) and jit(grad f) equal grad f", () => {
    same(grad(jit(f))(x), grad(f)(x));
    same(jit(grad(f))(x), grad(f)(x));
    same(jit(grad(jit(f)))(x), grad(f)(x));
  });

  it("vmap(jit f) and jit(vmap f)", () => {
    const xs = np.reshape(np.linspace(-1, 1, 6), [2, 3]);
    same(vmap(jit(f))(xs), vmap(f)(xs));
    same(jit(vmap(f))(xs), vmap(f)(xs));
    same(vmap(grad(jit(f)))(xs), vmap(grad(f))(xs));
    same(jit(vmap(grad(f)))(xs), vmap(grad(f))(xs));
    // a batched and an unbatched argument
    const g = jit((a: Array, b: Array) => np.multiply(a, b));
    same(vmap(g, { inAxes: [0, null] })(xs, x), vmap((a: Array) => np.multiply(a, x))(xs));
  });

  it("jvp(jit f), linearize and vjp with a reusable pullback", () => {
    const t = np.array([1, 0.5, -2]);
    const [y, dy] = jvp(jit(f), [x], [t]);
    const [ey, edy] = jvp(f, [x], [t]);
    same(y, ey);
    assertAllClose(dy, edy, { rtol: 1e-14 });
    const [ly, lin] = linearize(jit(f), [x]);
    same(ly, ey);
    assertAllClose(lin(t), edy, { rtol: 1e-14 });
    const [vy, pull] = vjp(jit(f), [x]);
    same(vy, ey);
    const [g1] = pull(1);
    const [g2] = pull(2);
    same(g1, grad(f)(x));
    assertAllClose(g2, np.multiply(grad(f)(x), 2), { rtol: 1e-15 });
  });

  it("jacfwd, jacrev and hessian of jit, and jit of them", () => {
    const v = (x: Array) => np.multiply(np.sin(x), np.sum(np.square(x)));
    assertAllClose(jacfwd(jit(v))(x), jacfwd(v)(x), { rtol: 1e-14 });
    assertAllClose(jacrev(jit(v))(x), jacrev(v)(x), { rtol: 1e-14 });
    assertAllClose(hessian(jit(f))(x), hessian(f)(x), { rtol: 1e-14 });
    same(jit(jacfwd(v))(x), jacfwd(v)(x));
    same(jit(jacrev(v))(x), jacrev(v)(x));
    same(jit(hessian(f))(x), hessian(f)(x));
  });

  it("grad(jit f) is two compiled calls: the forward pass with residuals, the transposed program", () => {
    const jf = jit(f);
    const p = makeJaxpr(grad(jf))(x);
    deepEqual(p.eqns.map((e) => e.primitive), ["jit", "jit"]);
    const text = p.toString();
    ok(text.includes("jit[name=jvp(jit(f)) jaxpr="), text);
    ok(text.includes("jit[name=transpose(jvp(jit(f))) jaxpr="), text);
    typecheckJaxpr(p.jaxpr);
    // the pullback is data: reusable, and batchable
    const [, pull] = vjp(jf, [x]);
    same(vmap(pull)(np.array([1, 2]))[0], np.stack([grad(f)(x), np.multiply(grad(f)(x), 2)]));
  });

  it("jit(jit f) stages one jit equation holding the inner program", () => {
    const inner = jit(np.sin);
    const outer = jit((x: Array) => np.multiply(inner(x), 2));
    same(outer(x), np.multiply(np.sin(x), 2));
    const p = makeJaxpr((x: Array) => np.multiply(inner(x), 2))(x);
    deepEqual(p.eqns.map((e) => e.primitive), ["jit", "mul"]);
    ok(p.toString().includes("jit[name=jit(sin) jaxpr={ lambda ; a:f64[3]. let"), p.toString());
    typecheckJaxpr(p.jaxpr);
    same(grad((x: Array) => np.sum(outer(x)))(x), np.multiply(np.cos(x), 2));
  });

  it("closes over an outer tracer: grad(x => jit(y => x * y)(2))(3) is 2", () => {
    equal(grad((x: Array) => jit((y: Array) => np.multiply(x, y))(2))(3).item(), 2);
    equal(grad((x: Array) => jit((y: Array) => np.multiply(np.sin(x), y))(2))(0).item(), 2);
    // not cached: another outer value gives another answer
    const h = (x: Array) => jit((y: Array) => np.multiply(np.square(x), y))(3);
    equal(grad(h)(2).item(), 12);
    equal(grad(h)(5).item(), 30);
    same(
      vmap((a: Array) => jit((y: Array) => np.add(a, y))(np.array(1)))(x),
      np.add(x, 1),
    );
  });

  it("customJvp, customVjp and checkpoint inside jit keep their rules", () => {
    // deliberately wrong rules: the result shows which rule ran
    const cj = customJvp((x: Array) => np.sin(x));
    cj.defjvp(([x]: Array[], [t]: Array[]) => [np.sin(x), np.multiply(t, 10)]);
    const cv = customVjp((x: Array) => np.sin(x));
    cv.defvjp((x: Array) => [np.sin(x), x], (_r: Array, g: Array) => [np.multiply(g, 20)]);
    const s = (g: (x: Array) => Array) => (x: Array) => np.sum(g(x));
    same(grad(jit(s(cj)))(x), np.full([3], 10));
    same(jit(grad(s(cj)))(x), np.full([3], 10));
    same(grad(jit(s(cv)))(x), np.full([3], 20));
    same(jit(grad(s(cv)))(x), np.full([3], 20));
    const ck = checkpoint((x: Array) => np.exp(np.sin(x)));
    same(grad(jit(s(ck)))(x), grad(s((x: Array) => np.exp(np.sin(x))))(x));
    same(jit(grad(s(ck)))(x), grad(s((x: Array) => np.exp(np.sin(x))))(x));
  });

  it("higher derivatives under jit (8th order nested grad)", () => {
    let g: (x: Array) => Array = np.tanh;
    for (let k = 0; k < 8; k++) g = grad(g);
    const x0 = np.array(0.3);
    assertAllClose(jit(g)(x0), g(x0), { rtol: 1e-12 });
  });

  it("value and grad of an MLP step under jit equals eager", () => {
    const params = {
      w: random.normal(random.key(0), [5, 4]),
      b: np.zeros([4]),
    };
    const xb = np.reshape(np.linspace(-1, 1, 15), [3, 5]);
    const loss = (p: { w: Array; b: Array }, x: Array) =>
      np.mean(np.square(nn.relu(np.add(np.matmul(x, p.w), p.b))));
    const [v, g] = jit(valueAndGrad(loss))(params, xb);
    const [ev, eg] = valueAndGrad(loss)(params, xb);
    same(v, ev);
    same(g.w, eg.w);
    same(g.b, eg.b);
  });

  it("lax control flow with concrete predicates under grad(jit)", () => {
    const f = (x: Array) => lax.foriLoop(0, 3, (_i, c: Array) => np.sin(c), x);
    same(jit(f)(x), f(x));
    same(jit(grad((x: Array) => np.sum(f(x))))(x), grad((x: Array) => np.sum(f(x)))(x));
  });
});

describe("the compiler", () => {
  it("scalar programs run as code on numbers, bit-identical to eager", () => {
    const f = (x: Array, y: Array) => {
      const a = np.add(np.multiply(np.sin(x), np.cos(y)), np.tanh(np.subtract(x, y)));
      const b = np.where(np.greater(a, 0), np.sqrt(np.abs(a)), np.exp(a));
      const c = np.add(np.maximum(b, np.log1p(np.abs(y))), np.minimum(np.power(x, 3), np.sign(y)));
      const d = np.add(np.floorDivide(c, 0.3), np.remainder(c, 0.7));
      return [
        np.add(d, np.power(np.abs(x), y)),
        np.logicalAnd(np.less(x, y), np.greaterEqual(c, 0)),
      ];
    };
    const prog = makeJaxpr(f)(np.array(0.1), np.array(0.2));
    equal(compileJaxpr(prog.jaxpr).kind, "scalar");
    const jf = jit(f);
    for (
      const [x, y] of [[0.3, -1.2], [-2.5, 0.7], [0, -0], [1, Infinity], [NaN, 2], [-1, -Infinity]]
    ) {
      const e = f(np.array(x), np.array(y)), j = jf(np.array(x), np.array(y));
      same(j[0], e[0]);
      same(j[1], e[1]);
    }
    equal(jf.traceCount, 1);
  });

  it("array programs call the kernels; the interpreter runs the same plan", () => {
    const f = (x: Array) => np.sum(np.tanh(np.matmul(x, np.transpose(x))), 1);
    const prog = makeJaxpr(f)(np.ones([3, 2]));
    const exe = compileJaxpr(prog.jaxpr);
    equal(exe.kind, "kernels");
    ok(exe.source.includes("F[0].impl("), exe.source);
    const x = np.reshape(np.linspace(-1, 2, 6), [3, 2]);
    same(exe.run([x])[0], f(x));
    same(compileJaxpr(prog.jaxpr, "interpret").run([x])[0], f(x));
  });

  it("elementwise chains fuse into one loop, bit-identical to eager", () => {
    const f = (x: Array, y: Array) => {
      const a = np.add(np.multiply(x, 1.5), y);
      const b = np.maximum(np.subtract(np.multiply(a, a), x), np.abs(y));
      const c = np.where(np.greater(b, 1), np.divide(b, np.add(np.abs(a), 1)), np.sin(a));
      return [np.exp(np.negative(np.abs(c))), np.less(c, 0.5)];
    };
    const x = np.linspace(-3, 3, 12).reshape([3, 4]);
    const y = np.cos(np.linspace(0, 5, 12)).reshape([3, 4]);
    const exe = compileJaxpr(makeJaxpr(f)(x, y).jaxpr);
    equal(exe.source.match(/F\[\d+\]\.impl/g)?.length, 1, exe.source); // one fused loop
    const e = f(x, y), j = jit(f)(x, y);
    same(j[0], e[0]);
    same(j[1], e[1]);
  });

  it("registers are reused by liveness", () => {
    const w = np.ones([2]);
    const chain = (x: Array) => {
      let y = x;
      for (let i = 0; i < 1000; i++) y = np.sin(np.multiply(y, w));
      return y;
    };
    const exe = compileJaxpr(makeJaxpr(chain)(np.ones([2])).jaxpr);
    ok(exe.registers <= 4, `${exe.registers} registers`);
  });

  it("a 100 000-op jit(grad) chain compiles and runs", () => {
    const f = (x: Array) => {
      let y = x;
      for (let i = 0; i < 33_333; i++) y = np.add(np.multiply(np.sin(y), 0.9), x);
      return y;
    };
    const g = jit(grad(f));
    let y = 0.5, dy = 1;
    for (let i = 0; i < 33_333; i++) {
      dy = Math.cos(y) * 0.9 * dy + 1;
      y = Math.sin(y) * 0.9 + 0.5;
    }
    assertAllClose(g(np.array(0.5)), dy, { rtol: 1e-12 });
  });
});

describe("control flow under jit, vmap and grad", () => {
  const f = (x: Array) => lax.cond(np.greater(x, 0), np.sqrt, (x: Array) => x, x);
  const x = np.array([-1, 4]);

  it("a batched cond is NaN-safe for gradients in every order, as JAX: [1, 0.25]", () => {
    const sumv = (x: Array) => np.sum(vmap(f)(x));
    for (
      const r of [
        vmap(grad(f))(x),
        grad(sumv)(x),
        jit(vmap(grad(f)))(x),
        vmap(jit(grad(f)))(x),
        vmap(grad(jit(f)))(x),
        grad(jit(sumv))(x),
        jit(grad(sumv))(x),
      ]
    ) deepEqual(r.tolist(), [1, 0.25]);
    const s = (x: Array) =>
      lax.switch(np.asarray(np.greater(x, 0), "int32"), [(x: Array) => x, np.sqrt], x);
    deepEqual(vmap(grad(s))(x).tolist(), [1, 0.25]);
    deepEqual(jit(vmap(grad(s)))(x).tolist(), [1, 0.25]);
  });

  it("cond on a traced predicate under jit: values and gradients of the taken branch", () => {
    const jf = jit(f);
    equal(jf(np.array(4)).item(), 2);
    equal(jf(np.array(-1)).item(), -1);
    equal(jf.traceCount, 1);
    equal(jit(grad(f))(np.array(-1)).item(), 1);
    equal(grad(jit(f))(np.array(4)).item(), 0.25);
  });

  it("a traced cond is one cond equation of which only the chosen branch runs", () => {
    const p = makeJaxpr(f)(np.array(2));
    deepEqual(p.eqns.map((e) => e.primitive), ["gt", "convert_element_type", "cond"]);
    ok(p.toString().includes("cond[branches=({ lambda ; a:f64[]. let"), p.toString());
    typecheckJaxpr(p.jaxpr);
    let runs = 0;
    const counted = (x: Array) => {
      runs++;
      return np.sqrt(x);
    };
    const jf = jit((x: Array) => lax.cond(np.greater(x, 0), counted, np.negative, x));
    equal(jf(np.array(4)).item(), 2);
    equal(jf(np.array(-3)).item(), 3);
    equal(runs, 1); // traced once, never run again in JavaScript
  });

  it("cond/switch with trees, closures and gradients under jit equal eager", () => {
    const w = np.array(3);
    const g = (x: Array, y: Array) =>
      lax.cond(
        np.greater(x, y),
        (a: Array, b: Array) => [np.multiply(a, w), b],
        (a: Array, b: Array) => [b, np.multiply(a, x)],
        x,
        y,
      );
    for (const [a, b] of [[2, 1], [2, 5]]) {
      const e = g(np.array(a), np.array(b)), j = jit(g)(np.array(a), np.array(b));
      same(j[0], e[0]);
      same(j[1], e[1]);
      const l = (x: Array) => np.add(g(x, np.array(b))[1], g(x, np.array(b))[0]);
      same(grad(jit(l))(np.array(a)), grad(l)(np.array(a)));
      same(jit(grad(l))(np.array(a)), grad(l)(np.array(a)));
    }
    const s = (x: Array) =>
      lax.switch(np.asarray(np.sign(x), "int32"), [np.sin, np.cos, np.exp], x);
    const xs = np.array([-2, 0, 0.5]);
    same(jit(vmap(s))(xs), vmap(s)(xs));
    same(vmap(jit(grad(s)))(xs), vmap(grad(s))(xs));
  });

  it("checkpoint and custom rules closing over a traced value are closure-converted", () => {
    const g = (x: Array) => np.sum(checkpoint((y: Array) => np.multiply(np.sin(y), x))(x));
    const x3 = np.array([1, 2, 3]);
    same(jit(g)(x3), g(x3));
    same(grad(jit(g))(x3), grad(g)(x3));
    same(jit(grad(g))(x3), grad(g)(x3));
    const h = (x: Array) => {
      const c = customJvp((y: Array) => np.multiply(y, x));
      c.defjvp(([y]: Array[], [t]: Array[]) => [np.multiply(y, x), t]);
      return c(x);
    };
    same(jit(h)(x3), np.multiply(x3, x3));
    // its rule, needed after the trace, reads the traced value: an error, as in JAX
    throws(
      () => jvp(jit(h), [x3], [np.ones([3])]),
      /customJvp function.*closes over a value traced by jit\(h\).*as an argument/,
    );
  });
});

describe("whileLoop on traced values: the while primitive", () => {
  const f = (x: Array) =>
    lax.whileLoop((c: Array) => np.less(c, 100), (c: Array) => np.multiply(c, 2), x);

  it("is staged as one while equation holding its condition and body", () => {
    const p = makeJaxpr(f)(np.array(3));
    deepEqual(p.eqns.map((e) => e.primitive), ["while"]);
    ok(p.toString().includes("while[cond_jaxpr={ lambda ; a:f64[]. let"), p.toString());
    typecheckJaxpr(p.jaxpr);
    equal(evalJaxpr(p, [np.array(3)])[0].item(), 192);
  });

  it("values, jvp and vmap (a batched condition) equal eager", () => {
    const jf = jit(f);
    equal(jf(np.array(3)).item(), 192);
    equal(jf(np.array(30)).item(), 120);
    equal(jf.traceCount, 1);
    deepEqual(jvp(jf, [np.array(3)], [np.array(1)]).map((a) => a.item()), [192, 64]);
    equal(jit((x: Array) => jvp(f, [x], [np.array(1)])[1])(np.array(3)).item(), 64);
    const xs = np.array([3, 60, 200]);
    same(vmap(jf)(xs), vmap(f)(xs));
    same(jit(vmap(f))(xs), vmap(f)(xs));
    same(jacfwd(jf)(np.array(3)), jacfwd(f)(np.array(3)));
    same(vmap(jacfwd(jf))(xs), vmap(jacfwd(f))(xs));
  });

  it("tree carries, weak initial values, closures over traced values", () => {
    const h = (x: Array) =>
      lax.whileLoop(
        ([i]: Array[]) => np.less(i, 5),
        ([i, c]: Array[]) => [np.add(i, 1), np.multiply(c, x)],
        [0, np.onesLike(x)] as Array[],
      );
    const [i, c] = jit(h)(np.array(2));
    const [ei, ec] = h(np.array(2));
    same(i, ei);
    same(c, ec);
    equal(jvp((x: Array) => jit(h)(x)[1], [np.array(2)], [np.array(1)])[1].item(), 80);
  });

  it("foriLoop with traced bounds", () => {
    const g = (x: Array, n: Array) => lax.foriLoop(0, n, (_i: Array, c: Array) => np.sin(c), x);
    const n = np.array(3, "int32");
    const jg = jit(g);
    same(jg(np.array(1), n), g(np.array(1), n));
    same(jg(np.array(1), np.array(7, "int32")), g(np.array(1), np.array(7, "int32")));
    equal(jg.traceCount, 1); // the trip count is a value, not part of the key
  });

  it("reverse mode is refused with whileLoop's message, in both orders", () => {
    throws(
      () => grad(jit(f))(np.array(3)),
      /Reverse-mode differentiation does not work for whileLoop/,
    );
    throws(
      () => jit(grad(f))(np.array(3)),
      /Reverse-mode differentiation does not work for whileLoop/,
    );
  });

  it("evalShape of a jitted loop gives shapes without running it", () => {
    const out = evalShape(jit(f), np.array(3));
    deepEqual([out.shape, out.dtype], [[], "float64"]);
    const s = evalShape(
      jit((x: Array) => lax.scan((c: Array, y: Array): [Array, Array] => [c, np.sin(y)], x, x)),
      np.ones([4]),
    );
    deepEqual(s.map((a: { shape: number[] }) => a.shape), [[4], [4]]);
  });

  it("carry type errors keep their messages", () => {
    throws(
      () =>
        jit((x: Array) => lax.whileLoop(() => true, (c: Array) => np.reshape(c, [1]), x))(
          np.array(1),
        ),
      /whileLoop body must keep the carry's type/,
    );
  });
});

describe("compiler passes", () => {
  it("CSE merges repeated equations and DCE drops dead ones, values unchanged", () => {
    const f = (x: Array) => {
      const a = np.sin(x), b = np.sin(x); // the same equation twice
      np.cos(x); // dead
      return np.add(np.multiply(a, 2), np.multiply(b, 2));
    };
    const p = makeJaxpr(f)(np.ones([3]));
    deepEqual(p.eqns.map((e) => e.primitive), ["sin", "sin", "cos", "mul", "mul", "add"]);
    const s = simplify(p.jaxpr);
    deepEqual(s.eqns.map((e) => e.primitive), ["sin", "mul", "add"]);
    typecheckJaxpr(s);
    const x = np.array([0.5, -1, 2]);
    same(jit(f)(x), f(x));
  });

  it("CSE tells the literals 0 and -0 apart, and merges equal literals", () => {
    const f = (x: Array) =>
      np.add(
        np.add(np.multiply(x, 0), np.multiply(x, -0)),
        np.add(np.multiply(x, 0.5), np.multiply(x, 0.5)),
      );
    const p = makeJaxpr(f)(np.array(2));
    deepEqual(simplify(p.jaxpr).eqns.map((e) => e.primitive), [
      "mul",
      "mul",
      "add",
      "mul",
      "add",
      "add",
    ]);
    for (const v of [2, -3]) same(jit(f)(np.array(v)), f(np.array(v)));
    // 1/(2·0) + 1/(2·-0) = ∞ - ∞ = NaN; merging the two products would give ∞
    const g = (x: Array) =>
      np.add(np.divide(1, np.multiply(x, 0)), np.divide(1, np.multiply(x, -0)));
    ok(Number.isNaN(jit(g)(np.array(2)).item() as number));
  });

  it("scalar code: values kept across chunks, negative literals, bool values", () => {
    const f = (x: Array) => {
      let y = x;
      const early = np.cos(x); // read again after many chunks
      for (let i = 0; i < 700; i++) y = np.subtract(np.multiply(np.sin(y), -0.5), -0.25);
      const big = np.greater(y, early);
      return np.add(np.where(big, y, np.negative(early)), np.multiply(early, -1));
    };
    for (const v of [0.3, -2]) {
      same(jit(f)(np.array(v)), f(np.array(v)));
      same(jit(grad(f))(np.array(v)), grad(f)(np.array(v)));
    }
  });

  it("scalar tiers: the interpreter of long programs and their straight-line code equal eager", () => {
    // every scalar template, 12 times over: long enough to start on the interpreter
    const block = (x: Array, i: number): Array => {
      const a = np.sin(np.multiply(x, 1 + i * 0.01));
      const b = np.add(np.cos(x), np.tanh(a));
      const c = np.where(np.greater(a, b), np.exp(np.negative(np.abs(a))), np.log1p(np.abs(b)));
      const d = np.add(np.maximum(c, np.sign(x)), np.minimum(np.floor(b), np.ceil(a)));
      const e = np.add(np.power(d, 3), np.power(np.abs(d), 1.5));
      const f = np.add(np.arctan2(e, np.subtract(a, 0.5)), np.round(np.multiply(b, 3)));
      const q = np.floorDivide(f, 0.7), r = np.remainder(f, -0.3);
      const keep = np.logicalOr(
        np.logicalAnd(np.less(f, 2), np.logicalNot(np.equal(np.round(a), np.round(b)))),
        np.greaterEqual(x, 2),
      );
      const g = np.add(np.where(keep, q, r), np.multiply(np.add(q, r), 0.001));
      const h = np.add(np.sqrt(np.add(np.abs(g), 1)), np.expm1(np.divide(x, 4)));
      const s = np.sin(h), t = np.tanh(h);
      const inv = np.add(
        np.add(np.arcsin(s), np.arccos(s)),
        np.add(np.arctan(h), np.arctanh(np.multiply(t, 0.5))),
      );
      const hyp = np.add(
        np.add(np.sinh(s), np.cosh(s)),
        np.add(np.arcsinh(h), np.arccosh(np.add(np.abs(h), 1))),
      );
      const more = np.add(
        np.add(np.tan(s), np.log(np.add(np.abs(h), 0.5))),
        np.add(np.exp(s), stopGradient(np.multiply(s, 0.25))),
      );
      const flag = np.add(
        np.astype(np.lessEqual(s, t), "float64"),
        np.astype(np.astype(np.floor(np.multiply(s, 2)), "bool"), "float64"),
      );
      return np.add(np.multiply(np.add(np.add(inv, hyp), np.add(more, flag)), 0.125), h);
    };
    const f = (x: Array) => {
      let y = x;
      for (let i = 0; i < 12; i++) y = np.add(block(y, i), np.multiply(x, -0));
      return y;
    };
    const g = grad(f);
    for (const h of [f, g]) {
      const p = makeJaxpr(h)(np.array(0.3));
      ok(p.eqns.length > 600);
      equal(compileJaxpr(p.jaxpr).kind, "scalar"); // not the kernels
    }
    const jf = jit(f), jg = jit(g);
    const xs = [0.3, -1.7, 0, -0, 2.5, NaN];
    for (let call = 0; call < 40; call++) { // calls 1-31 interpreted, then straight-line code
      const x = np.array(xs[call % xs.length]);
      same(jf(x), f(x));
      same(jg(x), g(x));
    }
  });

  it("a 100 000-op jit(grad) chain compiles and equals eager", () => {
    const chain = (x: Array) => {
      let y = x;
      for (let i = 0; i < 33_333; i++) y = np.add(np.multiply(np.sin(y), 0.9), x);
      return y;
    };
    const g = grad(chain);
    same(jit(g)(np.array(0.5)), g(np.array(0.5)));
  });

  it("nested derivatives: grad⁶ tanh halves under CSE, bit-identical", () => {
    let g: (x: Array) => Array = np.tanh;
    for (let k = 0; k < 6; k++) g = grad(g);
    const p = makeJaxpr(g)(np.array(0.3));
    ok(simplify(p.jaxpr).eqns.length * 1.8 < p.eqns.length);
    for (const v of [0.3, -1.7, 0]) same(jit(g)(np.array(v)), g(np.array(v)));
  });
});

describe("scan and foriLoop under jit: the scan primitive (rolled)", () => {
  const step = (c: Array, x: Array): [Array, Array] => {
    const s = np.add(np.sin(c), x);
    return [s, np.multiply(s, c)];
  };
  const f = (x0: Array, xs: Array) => lax.scan(step, x0, xs);
  const loss = (x0: Array, xs: Array) => {
    const [c, ys] = f(x0, xs);
    return np.add(c, np.sum(ys));
  };
  const x0 = np.array(0.3), xs = np.linspace(-1, 1, 5);

  it("is one scan equation; values equal eager bit for bit", () => {
    const p = makeJaxpr(f)(x0, xs);
    deepEqual(p.eqns.map((e) => e.primitive), ["scan"]);
    ok(p.toString().includes("num_carry=1 length=5 reverse=False"), p.toString());
    const [c, ys] = jit(f)(x0, xs), [ec, eys] = f(x0, xs);
    same(c, ec);
    same(ys, eys);
    const r = (x: Array) =>
      lax.scan((c: Array, x: Array): [Array, Array] => [np.add(c, x), c], np.array(0), x, {
        reverse: true,
      });
    same(jit(r)(xs)[1], r(xs)[1]);
  });

  it("grad, jvp and vmap in every order", () => {
    const argnums = [0, 1];
    const eg = grad(loss, { argnums })(x0, xs) as Array[];
    for (const g of [grad(jit(loss), { argnums }), jit(grad(loss, { argnums }))]) {
      const r = g(x0, xs) as Array[];
      assertAllClose(r[0], eg[0], { rtol: 1e-14 });
      assertAllClose(r[1], eg[1], { rtol: 1e-14 });
    }
    const t = [np.array(1), np.ones([5])];
    assertAllClose(jvp(jit(loss), [x0, xs], t)[1], jvp(loss, [x0, xs], t)[1], { rtol: 1e-14 });
    const X0 = np.array([0.1, 0.2, 0.3]), XS = np.reshape(np.linspace(-1, 1, 15), [3, 5]);
    same(vmap(jit(loss))(X0, XS), vmap(loss)(X0, XS));
    same(jit(vmap(loss))(X0, XS), vmap(loss)(X0, XS));
    const half = vmap(loss, { inAxes: [null, 1] });
    same(jit(half)(x0, np.transpose(XS)), half(x0, np.transpose(XS)));
    assertAllClose(
      jit(vmap(grad(loss)))(X0, XS),
      vmap(grad(loss))(X0, XS),
      { rtol: 1e-14 },
    );
  });

  it("foriLoop with static bounds is a rolled scan under jit, differentiable", () => {
    const g = (x: Array) =>
      lax.foriLoop(0, 4, (i: Array, c: Array) => np.add(np.sin(c), np.multiply(i, x)), x);
    deepEqual(makeJaxpr(g)(np.array(0.5)).eqns.map((e) => e.primitive), ["scan"]);
    same(jit(g)(np.array(0.5)), g(np.array(0.5)));
    assertAllClose(grad(jit(g))(0.5), grad(g)(0.5), { rtol: 1e-14 });
    assertAllClose(jit(grad(g))(0.5), grad(g)(0.5), { rtol: 1e-14 });
  });

  it("a 10 000-step scan compiles as one loop", () => {
    const h = (x: Array) =>
      lax.foriLoop(0, 10_000, (_i: Array, c: Array) => np.add(np.multiply(np.sin(c), 0.9), x), x);
    const p = makeJaxpr(h)(np.array(0.5));
    equal(p.eqns.length, 1);
    same(jit(h)(np.array(0.5)), h(np.array(0.5)));
  });
});

describe("jit and weak types (with the dtypes of main)", () => {
  it("a weakly typed array argument promotes as eagerly, and weak and strong arguments trace apart", () => {
    let traces = 0;
    const f = jit((x: Array) => {
      traces++;
      return np.multiply(x, np.ones([2], "float32"));
    });
    equal(f(np.array(2)).dtype, np.multiply(np.array(2), np.ones([2], "float32")).dtype);
    equal(f(np.array(2, "float64")).dtype, "float64");
    equal(traces, 2);
  });
});

describe("jit's repeated-signature fast path", () => {
  it("alternating signatures trace once each and keep their dtypes and values", () => {
    let traces = 0;
    const f = jit((x: Array, y: Array) => {
      traces++;
      return np.add(np.multiply(x, y), 1);
    });
    const a32 = np.array([1, 2], "float32");
    for (let r = 0; r < 3; r++) {
      equal(f(2, 3).item(), 7);
      equal(f(a32, 2).dtype, "float32");
      deepEqual(f(a32, 2).tolist(), [3, 5]);
      equal(f(2, true).item(), 3);
      equal(f(np.array(2, "float64"), 3).dtype, "float64");
      deepEqual(f(np.array([1, 2, 3]), np.array([1, 1, 1])).tolist(), [2, 3, 4]);
    }
    equal(traces, 5); // (weak float, weak float) shares one trace with nothing else
  });
});
