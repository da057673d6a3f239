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
  customJvp,
  customVjp,
  grad,
  hessian,
  jacrev,
  jit,
  jvp,
  lax,
  linearize,
  makeJaxpr,
  np,
  vjp,
  vmap,
} from "../mod.ts";
import { typecheckJaxpr } from "../extend.ts";
import { assertAllClose } from "./_assert.ts";
import { readFixture } from "./_numpy_fixtures.ts";

interface Expected {
  x: unknown;
  batch: unknown;
  value: number;
  grad: unknown;
  hessian: unknown;
  vmapGrad: unknown;
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
