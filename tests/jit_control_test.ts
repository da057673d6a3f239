// Control flow under jit and reverse mode (issue 10, item 5): cond/switch/scan/foriLoop staged
// as call primitives with JAX's partial-evaluation and transpose rules. Values of 29 programs in
// every stacking order against JAX (tests/fixtures/jit_control/values.json, made by
// make_fixtures.py beside it) and against eager nabla; program shapes (a cond equation in the
// gradient of a cond, two rolled loops in the gradient of an N-step scan).
import { describe, it } from "node:test";
import { deepEqual, equal, ok, throws } from "node:assert/strict";
import {
  type Array,
  checkpoint,
  ClosedJaxpr,
  customJvp,
  customVjp,
  grad,
  hessian,
  jacfwd,
  jacrev,
  jit,
  jvp,
  lax,
  linearize,
  linearTranspose,
  makeJaxpr,
  np,
  vjp,
  vmap,
} from "../mod.ts";
import { type Eqn, type Jaxpr, typecheckJaxpr } from "../extend.ts";
import { assertAllClose } from "./_assert.ts";
import { readFixture } from "./_numpy_fixtures.ts";

interface Expected {
  x: unknown;
  batch: unknown;
  value: number;
  grad: unknown;
  hessian: unknown;
  vmapGrad: unknown;
  /** Scan and cond equations of jax.make_jaxpr(jax.grad(f)): top level, and nested too. */
  gradEqns: { top: { scan: number; cond: number }; all: { scan: number; cond: number } };
}
const FIX = readFixture("jit_control/values.json") as Record<string, Expected>;

const W = np.array([[0.5, -0.3, 0.1], [0.2, 0.4, -0.6], [0.3, 0.1, 0.2]]);
type F = (x: Array) => Array;
const add = np.add, mul = np.multiply, sum = (v: Array) => np.sum(v);

const scaledSin = customVjp((v: Array) => np.sin(v));
scaledSin.defvjp(
  (v: Array) => [np.sin(v), v],
  (v: Array, g: Array) => [mul(mul(g, np.cos(v)), 2)],
);
const softplus = customJvp((v: Array) => np.logaddexp(v, 0));
softplus.defjvp(([v]: Array[], [t]: Array[]) => [
  softplus(v),
  mul(t, np.divide(1, add(1, np.exp(np.negative(v))))),
]);
const gJit = jit((c: Array, e: Array) => add(mul(np.sin(c), e), c));
const ckptBody = checkpoint((c: Array, e: Array): [Array, Array] => [
  add(mul(np.sin(c), e), c),
  np.cos(c),
]);

/** The TypeScript twins of make_fixtures.py's programs (same names). */
const PROGRAMS: Record<string, F> = {
  "scan carry": (x) => {
    const [c, ys] = lax.scan(
      (c: Array, e: Array): [Array, Array] => {
        const c2 = add(np.sin(mul(c, e)), c);
        return [c2, mul(c2, e)];
      },
      np.array(1.0),
      x,
    );
    return add(c, sum(ys));
  },
  "scan consts closed over": (x) => {
    const a = sum(x);
    const [c, ys] = lax.scan(
      (c: Array, e: Array): [Array, Array] => {
        const c2 = np.tanh(add(mul(np.matmul(W, c), a), e));
        return [c2, sum(c2)];
      },
      x,
      np.stack([x, mul(x, 2), mul(x, x)]),
    );
    return add(sum(c), sum(ys));
  },
  "scan divided by a closed-over value": (x) => {
    const a = add(1, sum(mul(x, x)));
    const [c] = lax.scan(
      (c: Array, t: Array): [Array, null] => [add(np.divide(c, a), np.sin(mul(c, t))), null],
      x,
      np.linspace(0.5, 1, 6),
    );
    return sum(c);
  },
  "scan reverse": (x) => {
    const [c, ys] = lax.scan(
      (c: Array, e: Array): [Array, Array] => {
        const c2 = add(mul(c, np.cos(e)), mul(e, e));
        return [c2, mul(c2, c)];
      },
      mul(sum(x), 0.5),
      x,
      { reverse: true },
    );
    return add(c, sum(mul(ys, np.array([1, 2, 3]))));
  },
  "scan reverse with consts": (x) => {
    const b = mul(x, 2);
    const b0 = np.take(b, 0);
    const [c, ys] = lax.scan(
      (c: Array, e: Array): [Array, Array] => [add(mul(c, b0), mul(e, b)), mul(sum(c), e)],
      x,
      x,
      { reverse: true },
    );
    return add(sum(mul(c, c)), sum(ys));
  },
  "scan length 0": (x) => {
    const [c, ys] = lax.scan((c: Array): [Array, Array] => [np.sin(c), c], x, null, {
      length: 0,
    });
    return add(sum(mul(c, c)), sum(ys));
  },
  "scan pytree carry": (x) => {
    type C = { a: Array; b: [Array, Array] };
    const [c, ys] = lax.scan(
      (c: C, e: Array): [C, Array] => {
        const a = add(mul(c.a, e), np.sin(c.b[1]));
        const b0 = mul(c.b[0], np.cos(e));
        const b1 = add(c.b[1], a);
        return [{ a, b: [b0, b1] }, np.take(a, 0)];
      },
      { a: x, b: [sum(x), mul(x, 2)] } as C,
      x,
    );
    return add(add(add(sum(c.a), c.b[0]), sum(c.b[1])), sum(ys));
  },
  "scan two xs": (x) => {
    const [c, ys] = lax.scan(
      (c: Array, [a, b]: [Array, Array]): [Array, Array] => [
        add(mul(c, a), b),
        np.subtract(c, mul(a, b)),
      ],
      np.array(0.5),
      [x, np.cos(x)],
    );
    return add(c, sum(mul(ys, ys)));
  },
  "nested scans": (x) => {
    const inner = (c: Array, e: Array): [Array, Array] => [add(mul(c, e), np.sin(c)), c];
    const [c, ys] = lax.scan(
      (c: Array, row: Array): [Array, Array] => {
        const [ci, ys] = lax.scan(inner, c, row);
        return [add(ci, sum(ys)), ci];
      },
      np.array(0.5),
      np.stack([x, np.sin(x)]),
    );
    return add(c, sum(ys));
  },
  "scan matrix carry": (x) => {
    const [c, ys] = lax.scan(
      (c: Array, e: Array): [Array, Array] => {
        const c2 = np.tanh(add(mul(np.matmul(c, c), 0.1), mul(e, W)));
        return [c2, np.trace(c2)];
      },
      np.outer(x, x),
      x,
    );
    return add(sum(c), sum(ys));
  },
  "scan 50 steps": (x) => {
    const [c] = lax.scan(
      (c: Array, t: Array): [Array, null] => [add(c, mul(0.1, np.sin(add(mul(c, t), x)))), null],
      x,
      np.linspace(0, 1, 50),
    );
    return sum(c);
  },
  "lax.map": (x) => sum(lax.map((e: Array) => mul(np.exp(e), np.sin(e)), x)),
  "foriLoop static": (x) =>
    sum(lax.foriLoop(0, 5, (i: Array, c: Array) => add(mul(c, np.sin(c)), mul(i, x)), x)),
  "foriLoop matrix": (x) =>
    sum(
      np.square(lax.foriLoop(0, 4, (_i: Array, c: Array) => np.tanh(add(np.matmul(W, c), x)), x)),
    ),
  "foriLoop int and float carry": (x) => {
    const [k, v] = lax.foriLoop(
      0,
      4,
      (i: Array, [k, v]: [Array, Array]): [Array, Array] => [
        add(k, np.array(2, "int32")),
        add(mul(v, np.sin(mul(k, x))), i),
      ],
      [np.array(1, "int32"), x] as [Array, Array],
    );
    return mul(sum(v), k);
  },
  "jit inside scan": (x) => {
    const [c, ys] = lax.scan(
      (c: Array, e: Array): [Array, Array] => [gJit(c, e), c],
      np.array(0.2),
      x,
    );
    return add(c, sum(ys));
  },
  "cond": (x) =>
    sum(
      lax.cond(
        np.greater(sum(x), 0),
        (v: Array) => mul(np.sin(v), v),
        (v: Array) => add(np.cos(v), v),
        x,
      ),
    ),
  "cond several operands": (x) =>
    sum(
      lax.cond(
        np.greater(np.take(x, 0), np.take(x, 1)),
        (a: Array, b: Array, s: Array) => add(mul(a, b), s),
        (a: Array, b: Array, s: Array) => np.subtract(a, mul(b, s)),
        x,
        np.exp(x),
        sum(x),
      ),
    ),
  "cond integer operand": (x) => {
    const k = np.array([1, 2, 3], "int32");
    const out = lax.cond(
      np.greater(np.take(x, 2), 0),
      (v: Array, k: Array) => mul(v, k),
      (v: Array, k: Array) => add(np.divide(v, k), k),
      x,
      k,
    );
    return sum(mul(out, out));
  },
  "cond tree output": (x) => {
    const out = lax.cond(
      np.greater(np.take(x, 0), 0),
      (v: Array) => ({ s: sum(v), v: mul(v, 2) }),
      (v: Array) => ({ s: np.prod(v), v: np.sin(v) }),
      x,
    );
    return add(out.s, sum(np.square(out.v)));
  },
  "cond constant branch": (x) =>
    sum(
      lax.cond(
        np.greater(np.take(x, 1), 0),
        (v: Array) => mul(np.onesLike(v), 2),
        (v: Array) => mul(mul(v, v), v),
        x,
      ),
    ),
  "switch 3 branches": (x) => {
    const i = np.astype(np.floor(sum(x)), "int32");
    return sum(
      lax.switch(
        i,
        [np.sin, (v: Array) => np.power(v, 3), (v: Array) => np.exp(np.negative(v))],
        x,
      ),
    );
  },
  "switch 4 branches clamped": (x) => {
    const i = np.subtract(np.astype(np.floor(mul(np.take(x, 0), 3)), "int32"), 1);
    return sum(
      lax.switch(i, [
        np.sin,
        np.cos,
        (v: Array) => mul(v, sum(v)),
        (v: Array) => mul(np.tanh(v), 3),
      ], x),
    );
  },
  "cond inside scan": (x) => {
    const [c, ys] = lax.scan(
      (c: Array, e: Array): [Array, Array] => {
        const c2 = lax.cond(
          np.greater(e, 0),
          (c: Array) => add(mul(c, e), np.sin(c)),
          (c: Array) => np.subtract(c, mul(e, np.cos(c))),
          c,
        );
        return [c2, mul(c2, c2)];
      },
      x,
      x,
    );
    return add(sum(c), sum(ys));
  },
  "scan inside cond": (x) => {
    const run = (v: Array) => {
      const [c, ys] = lax.scan(
        (c: Array, e: Array): [Array, Array] => [add(mul(c, np.cos(e)), e), mul(c, e)],
        np.array(1.0),
        v,
      );
      return add(c, sum(ys));
    };
    return lax.cond(np.greater(np.take(x, 0), 0), run, (v: Array) => sum(mul(v, v)), x);
  },
  "switch inside scan": (x) => {
    const [c, ys] = lax.scan(
      (c: Array, i: Array): [Array, Array] => {
        const c2 = lax.switch(i, [np.sin, np.cos, (v: Array) => mul(mul(v, v), 0.5)], c);
        return [c2, sum(c2)];
      },
      x,
      np.array([0, 1, 2, 1], "int32"),
    );
    return add(sum(c), sum(ys));
  },
  "customVjp inside scan": (x) => {
    const [c, ys] = lax.scan(
      (c: Array, e: Array): [Array, Array] => [scaledSin(mul(c, e)), c],
      x,
      x,
    );
    return add(sum(c), sum(ys));
  },
  "customJvp inside cond": (x) =>
    sum(
      lax.cond(
        np.greater(np.take(x, 2), 0),
        (v: Array) => mul(softplus(v), v),
        (v: Array) => mul(v, v),
        x,
      ),
    ),
  "checkpoint inside scan": (x) => {
    const [c, ys] = lax.scan(ckptBody, x, x);
    return add(sum(c), sum(ys));
  },
  "NaN-safe cond": (x) => lax.cond(np.greater(x, 0), np.sqrt, (v: Array) => v, x),
};

/** Programs whose forward-mode derivative does not exist (a customVjp): Hessians by jacrev². */
const REVERSE_ONLY = new Set(["customVjp inside scan"]);
/** A customVjp (checkpoint) step cannot be evaluated forward by linearize's jvp (eager neither). */
const NO_FORWARD_LINEAR = new Set(["customVjp inside scan", "checkpoint inside scan"]);

const TOL = { rtol: 1e-12, atol: 1e-13 };

describe("control flow under jit and reverse mode, against JAX and eager nabla", () => {
  it("covers every program of the fixture file", () => {
    deepEqual(Object.keys(PROGRAMS).sort(), Object.keys(FIX).sort());
  });
  for (const [name, f] of Object.entries(PROGRAMS)) {
    it(name, () => {
      const e = FIX[name];
      const x = np.array(e.x as number[]);
      const X = np.array(e.batch as number[][]);
      const g = grad(f);
      // eager nabla (define-by-run) against JAX
      assertAllClose(f(x), e.value, { ...TOL, msg: "f" });
      const ge = g(x);
      assertAllClose(ge, e.grad, { ...TOL, msg: "grad" });
      // every stacking order against eager nabla
      const close = (a: Array, msg: string) => assertAllClose(a, ge, { ...TOL, msg });
      assertAllClose(jit(f)(x), f(x), { ...TOL, msg: "jit" });
      close(jit(g)(x), "jit(grad)");
      close(grad(jit(f))(x), "grad(jit)");
      const [y, pull] = vjp(jit(f), [x]);
      assertAllClose(y, e.value, { ...TOL, msg: "vjp value" });
      close(pull(np.array(1))[0], "vjp pullback");
      assertAllClose(pull(np.array(2))[0], mul(ge, 2), { ...TOL, msg: "pullback reused" });
      const v = vmap(g)(X);
      assertAllClose(v, e.vmapGrad, { ...TOL, msg: "vmap(grad)" });
      assertAllClose(jit(vmap(g))(X), v, { ...TOL, msg: "jit(vmap(grad))" });
      assertAllClose(vmap(jit(g))(X), v, { ...TOL, msg: "vmap(jit(grad))" });
      assertAllClose(vmap(grad(jit(f)))(X), v, { ...TOL, msg: "vmap(grad(jit))" });
      assertAllClose(jit(jacrev(f))(x), ge, { ...TOL, msg: "jit(jacrev)" });
      const hess = REVERSE_ONLY.has(name) ? jacrev(jacrev(f)) : hessian(f);
      const h = hess(x);
      assertAllClose(h, e.hessian, { rtol: 1e-11, atol: 1e-12, msg: "hessian" });
      assertAllClose(jit(hess)(x), h, { ...TOL, msg: "jit(hessian)" });
      const hj = REVERSE_ONLY.has(name) ? jacrev(jacrev(jit(f))) : hessian(jit(f));
      assertAllClose(hj(x), h, { ...TOL, msg: "hessian(jit)" });
      const t = np.onesLike(x);
      const dir = np.sum(mul(ge, t));
      const [yl, fjvp] = linearize(jit(f), [x]);
      assertAllClose(yl, e.value, { ...TOL, msg: "linearize value" });
      if (NO_FORWARD_LINEAR.has(name)) {
        throws(() => fjvp(t), /Cannot evaluate the linearized function forward through/);
      } else assertAllClose(fjvp(t), dir, { ...TOL, msg: "linearize jvp" });
      if (!REVERSE_ONLY.has(name)) {
        assertAllClose(jvp(jit(f), [x], [t])[1], dir, { ...TOL, msg: "jvp(jit)" });
      }
    });
  }
});

/** Every equation of a program, nested programs (in params) included, by a stack. */
function allEqns(j: Jaxpr): Eqn[] {
  const out: Eqn[] = [];
  const stack: Jaxpr[] = [j];
  const visit = (v: unknown) => {
    if (v instanceof ClosedJaxpr) stack.push(v.jaxpr);
    else if (globalThis.Array.isArray(v)) v.forEach(visit);
  };
  while (stack.length > 0) {
    for (const e of stack.pop()!.eqns) {
      out.push(e);
      if (e.kind === "call") Object.values(e.params as Record<string, unknown>).forEach(visit);
    }
  }
  return out;
}
/** Type-checks a program and every program nested in it (call equations check their bodies). */
function typecheckAll(j: Jaxpr): void {
  const stack: Jaxpr[] = [j];
  const visit = (v: unknown) => {
    if (v instanceof ClosedJaxpr) stack.push(v.jaxpr);
    else if (globalThis.Array.isArray(v)) v.forEach(visit);
  };
  while (stack.length > 0) {
    const jx = stack.pop()!;
    typecheckJaxpr(jx);
    for (const e of jx.eqns) {
      if (e.kind === "call") Object.values(e.params as Record<string, unknown>).forEach(visit);
    }
  }
}
const names = (eqns: readonly Eqn[]) => eqns.map((e) => e.primitive);
const count = (eqns: readonly Eqn[], prim: string) => names(eqns).filter((n) => n === prim).length;

describe("program shapes: control flow stays rolled under reverse mode", () => {
  const x = np.array([0.3, -0.8, 1.1]);
  const loop = (n: number, reverse = false) => (x: Array) => {
    const M = np.outer(x, x);
    const [c, ys] = lax.scan(
      (c: Array, t: Array): [Array, Array] => {
        const c2 = np.tanh(add(np.matmul(M, c), t));
        return [c2, sum(c2)];
      },
      x,
      np.linspace(0, 1, n),
      { reverse },
    );
    return add(sum(c), sum(ys));
  };

  it("the programs of every order type-check, nested programs included", () => {
    for (const [name, f] of Object.entries(PROGRAMS)) {
      const e = FIX[name];
      const v = np.array(e.x as number[]), X = np.array(e.batch as number[][]);
      const hess = REVERSE_ONLY.has(name) ? jacrev(jacrev(f)) : hessian(f);
      for (
        const p of [
          makeJaxpr(grad(f))(v),
          makeJaxpr(grad(jit(f)))(v),
          makeJaxpr(hess)(v),
          makeJaxpr(vmap(grad(f)))(X),
          makeJaxpr(vmap(grad(jit(f))))(X),
        ]
      ) typecheckAll(p.jaxpr);
    }
  });

  it("grad's programs hold JAX's scan and cond equations (top level, and nested too)", () => {
    for (const [name, f] of Object.entries(PROGRAMS)) {
      const e = FIX[name];
      const p = makeJaxpr(grad(f))(np.array(e.x as number[]));
      const all = allEqns(p.jaxpr);
      deepEqual(
        {
          top: { scan: count(p.eqns, "scan"), cond: count(p.eqns, "cond") },
          all: { scan: count(all, "scan"), cond: count(all, "cond") },
        },
        e.gradEqns,
        name,
      );
    }
  });

  it("grad of an N-step scan is a forward scan and a reverse scan, O(1) equations in N", () => {
    for (const reverse of [false, true]) {
      const sizes = [3, 30, 300].map((n) => {
        const p = makeJaxpr(grad(loop(n, reverse)))(x);
        typecheckJaxpr(p.jaxpr);
        const scans = p.eqns.filter((e) => e.primitive === "scan");
        equal(scans.length, 2);
        const dirs = scans.map((e) => (e.params as { reverse: boolean }).reverse);
        deepEqual(dirs, [reverse, !reverse]);
        for (const e of scans) equal((e.params as { length: number }).length, n);
        return allEqns(p.jaxpr).length;
      });
      equal(new Set(sizes).size, 1, `equation counts ${sizes}`);
    }
  });

  it("the same in jit(grad), grad(jit), vjp's pullback and vmap(grad)", () => {
    const shape = (mk: (n: number) => ClosedJaxpr) => [4, 40].map((n) => allEqns(mk(n).jaxpr));
    for (
      const mk of [
        (n: number) => jit(grad(loop(n))).lower(x),
        (n: number) => makeJaxpr(grad(jit(loop(n))))(x),
        (n: number) => makeJaxpr((x: Array) => vjp(jit(loop(n)), [x])[1](np.array(1))[0])(x),
        (n: number) => makeJaxpr(vmap(grad(loop(n))))(np.stack([x, x])),
        (n: number) => makeJaxpr(jacrev(loop(n)))(x),
      ]
    ) {
      const [a, b] = shape(mk);
      equal(a.length, b.length);
      equal(count(a, "scan"), 2);
    }
    // the pjit calls of grad(jit f): the known program and the transposed one
    deepEqual(names(makeJaxpr(grad(jit(loop(5))))(x).eqns), ["jit", "jit"]);
  });

  it("loop constants are passed to the loops, not stacked; their cotangents accumulate in the carry", () => {
    const n = 7;
    const p = makeJaxpr(grad(loop(n)))(x);
    const [fwd, bwd] = p.eqns.filter((e) => e.primitive === "scan");
    // residuals are stacked per step ([n, ...]), the matrix M is not
    for (const o of fwd.outs) ok(`${o.aval.shape}` !== `${n},3,3`, `${o.aval.shape}`);
    // the reverse scan carries M's cotangent ([3,3]) and the carry's
    deepEqual(bwd.outs.slice(0, 2).map((o) => o.aval.shape), [[3, 3], [3]]);
  });

  it("reverse over forward (loop-invariant residuals hoisted out of the loop)", () => {
    const f = PROGRAMS["scan divided by a closed-over value"];
    const h = np.array(FIX["scan divided by a closed-over value"].hessian as number[][]);
    const rf = jacrev(jacfwd(f));
    for (const g of [rf, jit(rf), jacrev(jit(jacfwd(f))), jacrev(jacfwd(jit(f)))]) {
      assertAllClose(g(x), h, { rtol: 1e-11, atol: 1e-12 });
    }
  });

  it("nested scans and foriLoop: O(1) in the trip counts", () => {
    const nested = (n: number) => (x: Array) =>
      sum(lax.foriLoop(0, n, (_i: Array, c: Array) => {
        const [ci] = lax.scan(
          (d: Array, e: Array): [Array, null] => [np.sin(mul(d, e)), null],
          c,
          np.linspace(0.5, 1, n),
        );
        return ci;
      }, x));
    const [a, b] = [3, 25].map((n) => allEqns(makeJaxpr(grad(nested(n)))(x).jaxpr));
    equal(a.length, b.length);
    ok(count(a, "scan") >= 4, names(a).join(" "));
    assertAllClose(jit(grad(nested(6)))(x), grad(nested(6))(x), TOL);
  });

  it("grad of a traced cond holds cond equations (known cond, transposed cond), not one branch", () => {
    const f = PROGRAMS["cond several operands"];
    const p = makeJaxpr(grad(f))(x);
    typecheckJaxpr(p.jaxpr);
    equal(count(p.eqns, "cond"), 2);
    // both branches' derivatives are in the program, whichever is taken
    for (const e of p.eqns.filter((e) => e.primitive === "cond")) {
      equal((e.params as { branches: unknown[] }).branches.length, 2);
    }
    const s = makeJaxpr(grad(PROGRAMS["switch 4 branches clamped"]))(x);
    const conds = s.eqns.filter((e) => e.primitive === "cond");
    equal(conds.length, 2);
    for (const e of conds) equal((e.params as { branches: unknown[] }).branches.length, 4);
    // the transposed cond takes the same index as the forward one
    equal(conds[0].inputs[0], conds[1].inputs[0]);
    // and grad(jit f): two pjit calls holding the conds
    const q = makeJaxpr(grad(jit(f)))(x);
    deepEqual(names(q.eqns), ["jit", "jit"]);
    equal(count(allEqns(q.jaxpr), "cond"), 2);
  });

  it("the cond residuals of different branches share typed slots, zero-filled", () => {
    const f = (x: Array) =>
      lax.cond(
        np.greater(sum(x), 0),
        (v: Array) => sum(np.sin(v)),
        (v: Array) => sum(np.exp(v)),
        x,
      );
    const p = makeJaxpr(grad(f))(x);
    const [known] = p.eqns.filter((e) => e.primitive === "cond");
    // cos(v) in one branch, exp(v) in the other: one f64[3] slot, not two
    deepEqual(known.outs.map((o) => o.aval.shape), [[], [3]]);
    for (const v of [x, np.negative(x)]) assertAllClose(jit(grad(f))(v), grad(f)(v), TOL);
  });

  it("only the taken branch runs in the known and transposed conds", () => {
    let traced = 0;
    const counted = (v: Array) => {
      traced++;
      return np.sin(v);
    };
    const f = jit(grad((v: Array) => sum(lax.cond(np.greater(sum(v), 0), counted, np.cos, v))));
    assertAllClose(f(x), np.cos(x), TOL);
    assertAllClose(f(np.negative(x)), np.negative(np.sin(np.negative(x))), TOL);
    equal(traced, 1);
  });
});

describe("reverse mode of control flow: the remaining rules", () => {
  const x = np.array([0.3, -0.8, 1.1]);
  const nanSafe = PROGRAMS["NaN-safe cond"];
  const xs = np.array([-1, 4]);

  it("NaN-safe batched cond in every order: [1, 0.25]", () => {
    const sumOf = (g: F) => (v: Array) => sum(vmap(g)(v));
    for (
      const g of [
        vmap(grad(nanSafe)),
        jit(vmap(grad(nanSafe))),
        vmap(jit(grad(nanSafe))),
        vmap(grad(jit(nanSafe))),
        grad(sumOf(nanSafe)),
        jit(grad(sumOf(nanSafe))),
        grad(jit(sumOf(nanSafe))),
        grad(sumOf(jit(nanSafe))),
        (v: Array) => vjp(jit(sumOf(nanSafe)), [v])[1](np.array(1))[0],
      ]
    ) deepEqual(g(xs).tolist(), [1, 0.25]);
  });

  it("reverse-mode whileLoop stays a clear error under jit; forward mode works", () => {
    const f = (x: Array) =>
      sum(lax.whileLoop((c: Array) => np.less(sum(c), 10), (c: Array) => mul(c, 2), x));
    const pos = np.array([0.5, 1, 1.5]);
    for (const g of [jit(grad(f)), grad(jit(f)), jacrev(jit(f))]) {
      throws(() => g(pos), /Reverse-mode differentiation does not work for whileLoop/);
    }
    const [, t] = jvp(jit(f), [pos], [np.ones([3])]);
    assertAllClose(t, jvp(f, [pos], [np.ones([3])])[1], TOL);
  });

  it("outside jit, concrete predicates stay define-by-run", () => {
    let calls = 0;
    const f = (v: Array) =>
      sum(lax.cond(
        np.greater(sum(v), 0),
        (u: Array) => {
          calls++;
          return np.sin(u);
        },
        np.cos,
        v,
      ));
    assertAllClose(grad(f)(x), np.cos(x), TOL);
    equal(calls, 1); // traced once, eagerly, with the concrete predicate
    const p = makeJaxpr((v: Array) => grad(f)(v))(x);
    ok(names(p.eqns).includes("cond"));
  });

  it("a reusable pullback of a jitted scan, called under vmap and jit", () => {
    const f = PROGRAMS["scan consts closed over"];
    const [, pull] = vjp(jit(f), [x]);
    const g = grad(f)(x);
    assertAllClose(pull(np.array(1))[0], g, TOL);
    assertAllClose(
      vmap((c: Array) => pull(c)[0])(np.array([1, -3])),
      np.stack([g, mul(g, -3)]),
      TOL,
    );
    assertAllClose(jit((c: Array) => pull(c)[0])(np.array(0.5)), mul(g, 0.5), TOL);
  });

  it("linearize of a jitted scan evaluates one linear scan per call", () => {
    const f = PROGRAMS["scan pytree carry"];
    const [, fjvp] = linearize(jit(f), [x]);
    const g = grad(f)(x);
    for (const t of [np.ones([3]), np.array([1, -2, 0.5])]) {
      assertAllClose(fjvp(t), sum(mul(g, t)), TOL);
    }
  });

  it("linearTranspose through jitted scan, foriLoop and cond (their partial evaluation)", () => {
    const v = np.array([1, 2, 3]);
    const cumsum = jit((u: Array) =>
      lax.scan(
        (c: Array, e: Array): [Array, Array] => {
          const s = add(c, e);
          return [s, s];
        },
        np.array(0),
        u,
      )[1]
    );
    deepEqual(linearTranspose(cumsum, v)(np.array([1, 10, 100]))[0].tolist(), [111, 110, 100]);
    const loop = jit((u: Array) => lax.foriLoop(0, 3, (_i: Array, c: Array) => mul(c, 2), u));
    deepEqual(linearTranspose(loop, v)(np.ones([3]))[0].tolist(), [8, 8, 8]);
    const M = np.array([[1, 2, 0], [0, 1, 0], [0, 0, 3]]);
    const lin = (u: Array) =>
      lax.scan(
        (c: Array, e: Array): [Array, Array] => [add(np.matmul(M, c), e), sum(c)],
        u,
        np.stack([u, u]),
      )[0];
    deepEqual(linearTranspose(jit(lin), v)(np.ones([3]))[0].tolist(), [3, 9, 13]);
    deepEqual(linearTranspose(lin, v)(np.ones([3]))[0].tolist(), [3, 9, 13]);
    const branch = jit((u: Array, p: Array) =>
      lax.cond(np.greater(p, 0), (w: Array) => mul(w, 3), (w: Array) => w, u)
    );
    for (const [p, want] of [[1, 3], [-1, 1]]) {
      const fT = linearTranspose((u: Array) => branch(u, np.array(p)), v);
      deepEqual(fT(np.ones([3]))[0].tolist(), [want, want, want]);
    }
    // not linear: the transpose says so
    const bad = linearTranspose(
      jit((u: Array) => lax.scan((c: Array, e: Array): [Array, Array] => [np.sin(c), e], u, u)[0]),
      v,
    );
    throws(() => bad(np.ones([3])), /not linear in its inputs.*'sin'/);
    throws(
      () => linearTranspose(jit((u: Array) => branch(u, sum(u))), v),
      /predicate or index depends on the linear inputs/,
    );
  });
});
