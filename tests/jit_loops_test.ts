// Rolled loops under jit (src/compile/loops.ts): scalar loops generated as one JS function and
// array loops over a compiled body, compared bit for bit with eager nabla and with JS reference
// loops, across dtypes, reverse scans, length 0, pytrees of carries, nesting, vmap and grad.
import { describe, it } from "node:test";
import { deepEqual, equal, ok } from "node:assert/strict";
import { type Array, grad, jit, lax, makeJaxpr, np, vmap } from "../mod.ts";
import { compileLoopProgram, runnerKind, scanRunner, whileRunner } from "../src/compile/loops.ts";
import { runClosed } from "../src/transforms/jit.ts";
import type { ScanParams } from "../src/transforms/staged_scan.ts";
import type { WhileParams } from "../src/transforms/staged_while.ts";
import { assertAllClose } from "./_assert.ts";

// deno-lint-ignore no-explicit-any
type Any = any;

const bits = (x: Array): number[] => globalThis.Array.from(x.data as ArrayLike<number>);

/** Same dtype, shape and bits (NaN and -0 included). */
function same(a: Array, b: Array, what = ""): void {
  equal(a.dtype, b.dtype, `${what} dtype`);
  deepEqual(a.shape, b.shape, `${what} shape`);
  const x = bits(a), y = bits(b);
  ok(x.every((v, i) => Object.is(v, y[i])), `${what}: ${x.slice(0, 8)} vs ${y.slice(0, 8)}`);
}

/** Every leaf of two trees the same. */
function sameTree(a: unknown, b: unknown, what = ""): void {
  if (globalThis.Array.isArray(a)) {
    ok(globalThis.Array.isArray(b));
    equal(a.length, (b as unknown[]).length);
    a.forEach((x, i) => sameTree(x, (b as unknown[])[i], `${what}[${i}]`));
  } else if (a !== null && typeof a === "object" && !("dtype" in a)) {
    for (const k of Object.keys(a)) {
      sameTree(
        (a as Record<string, unknown>)[k],
        (b as Record<string, unknown>)[k],
        `${what}.${k}`,
      );
    }
  } else same(a as Array, b as Array, what);
}

/** jit(f) equals f (eager) bit for bit, and the program compiles to one scalar function when `scalar`. */
function check(f: (...a: Any[]) => unknown, args: unknown[], scalar: boolean | null = null): void {
  const eager = f(...args);
  sameTree(jit(f)(...args), eager, "jit");
  sameTree(jit(f, { backend: "interpret" })(...args), eager, "interpret");
  if (scalar !== null) {
    const p = makeJaxpr(f)(...args);
    equal(compileLoopProgram(p.jaxpr) !== null, scalar, "compiled as one scalar function");
  }
}

const DTYPES = ["float64", "float32"] as const;

describe("scalar loops: one generated function, bit-identical to eager", () => {
  for (const dt of DTYPES) {
    it(`foriLoop on ${dt}: a chaotic map (3.9 c (1 - c) + sin c / 100), 1000 steps`, () => {
      const f = (x: Array) =>
        lax.foriLoop(
          0,
          1000,
          (_i: Array, c: Array) =>
            np.add(np.multiply(np.multiply(c, 3.9), np.subtract(1, c)), np.divide(np.sin(c), 100)),
          x,
        );
      check(f, [np.array(0.5, dt)], true);
      check(f, [np.array(0.123, dt)], true);
      // against a JS reference loop
      const r = dt === "float32" ? Math.fround : (v: number) => v;
      let c = r(0.123);
      const k = r(3.9);
      for (let i = 0; i < 1000; i++) c = r(r(r(c * k) * r(1 - c)) + r(r(Math.sin(c)) / 100));
      equal((jit(f)(np.array(0.123, dt)) as Array).item(), c);
    });

    it(`whileLoop on ${dt} with a scalar predicate`, () => {
      const f = (x: Array) =>
        lax.whileLoop(
          (c: Array) => np.less(c, 1e6),
          (c: Array) => np.add(np.multiply(c, 1.01), 0.1),
          x,
        );
      check(f, [np.array(0.5, dt)], true);
      check(f, [np.array(2e6, dt)], true); // zero iterations
    });

    it(`scan on ${dt}: carry and ys, forward and reverse, several xs`, () => {
      for (const reverse of [false, true]) {
        const f = (xs: Array, ws: Array) =>
          lax.scan(
            (c: Array, [x, w]: [Array, Array]): [Array, Array[]] => {
              const s = np.add(np.multiply(c, w), np.sin(x));
              return [s, [np.multiply(s, 2), np.greater(s, x)]];
            },
            np.array(0.25, dt),
            [xs, ws],
            { reverse },
          );
        check(f, [np.linspace(-2, 2, 37).astype(dt), np.linspace(0.5, 1, 37).astype(dt)], true);
      }
    });
  }

  it("int32 arithmetic wraps as the kernels do (imul, |0, division by zero)", () => {
    const f = (x: Array) =>
      lax.foriLoop(0, 500, (i: Array, [s, acc]: [Array, Array]): [Array, Array] => {
        const t = np.add(np.multiply(s, 1103515245), 12345); // an LCG, wrapping
        const b = np.floorDivide(t, np.add(np.remainder(i, 3), -1)); // by zero once in 3
        const d = np.remainder(t, np.subtract(np.remainder(i, 5), 2));
        return [t, np.add(np.subtract(acc, b), np.multiply(d, i))];
      }, [x, np.array(0, "int32")]);
    check(f, [np.array(7, "int32")], true);
    // JS reference: the int32 loop written by hand
    let s = 7, acc = 0;
    const fd = (a: number, b: number) => (b === 0 ? 0 : Math.floor(a / b) | 0);
    for (let i = 0; i < 500; i++) {
      s = (Math.imul(s, 1103515245) + 12345) | 0;
      const b = fd(s, i % 3 - 1);
      const dv = i % 5 - 2;
      let d = dv === 0 ? 0 : s % dv;
      if (d !== 0 && (d < 0) !== (dv < 0)) d += dv; // np.remainder: the divisor's sign
      acc = (((acc - b) | 0) + Math.imul(d, i)) | 0;
    }
    const [js, jacc] = jit(f)(np.array(7, "int32")) as Array[];
    deepEqual([js.item(), jacc.item()], [s, acc]);
  });

  it("a weak int carry sums i² with int32 wrapping", () => {
    const f = (n: Array) =>
      lax.foriLoop(0, 100000, (i: Array, c: Array) => np.add(c, np.multiply(i, i)), n);
    check(f, [np.array(0, "int32")], true);
    check(f, [np.array(0)], true); // weak
    let c = 0;
    for (let i = 0; i < 100000; i++) c = (c + Math.imul(i, i)) | 0;
    equal((jit(f)(np.array(0, "int32")) as Array).item(), c);
  });

  it("an initial carry given as a JS number takes the body's dtype, as eager (JAX's weak carry)", () => {
    const xs = np.array([1.5, 2, 3], "float32");
    const sc = (xs: Array) =>
      lax.scan((c: Any, x: Array): [Array, Array] => [np.add(c, x), np.multiply(c, 2)], 0, xs);
    sameTree(jit(sc)(xs), sc(xs), "scan over float32 xs");
    equal((jit(sc)(xs) as Array[])[0].dtype, "float32");
    // a static foriLoop (a scan) and one with a traced bound (a while) adding an int32 counter
    const fs = (xs: Array) => lax.foriLoop(0, 3, (i: Array, c: Any) => np.add(c, xs.get(i)), 0);
    same(jit(fs)(xs) as Array, fs(xs) as Array, "static foriLoop");
    const fw = (n: Array) => lax.foriLoop(0, n, (i: Array, c: Any) => np.add(c, i), 0);
    const n = np.array(5, "int32");
    same(jit(fw)(n) as Array, fw(n) as Array, "foriLoop with a traced bound");
    equal((jit(fw)(n) as Array).dtype, "int32");
    const ww = (xs: Array) =>
      lax.whileLoop((c: Any) => np.less(c, 10), (c: Any) => np.add(c, xs.get(0)), 0);
    same(jit(ww)(xs) as Array, ww(xs) as Array, "whileLoop over a float32 step");
  });

  it("conversions between float64, float32, int32 and bool inside a loop", () => {
    const f = (x: Array) =>
      lax.foriLoop(0, 50, (i: Array, c: Array) => {
        const f32 = np.multiply(c.astype("float32"), 1.7);
        const n = np.multiply(f32, 1e8).astype("int32"); // saturates
        const back = np.add(n.astype("float64"), np.greater(f32, 0).astype("float64"));
        return np.add(np.divide(back, 1e9), np.multiply(i.astype("float64"), 0.001));
      }, x);
    check(f, [np.array(0.3)], true);
    check(f, [np.array(-40)], true);
  });

  it("NaN, infinities and -0 flow through max, min, sign and round", () => {
    const f = (x: Array) =>
      lax.foriLoop(0, 6, (i: Array, c: Array) => {
        const a = np.maximum(c, np.divide(np.subtract(i, 3), 0)); // -inf, NaN, inf
        const b = np.minimum(np.sign(a), np.round(np.multiply(c, 2.5)));
        return np.where(np.isnan(b), np.array(-0), np.add(b, np.multiply(c, 0.5)));
      }, x);
    check(f, [np.array(1.5)], true);
    check(f, [np.array(-0)], true);
  });

  it("pytrees of carries (tuple and dict) with a bool flag: Collatz steps", () => {
    const f = (n: Array) =>
      lax.whileLoop(
        ({ x, done }: { x: Array; steps: Array; done: Array }) =>
          np.logicalAnd(np.greater(x, 1), np.logicalNot(done)),
        ({ x, steps }: { x: Array; steps: Array; done: Array }) => {
          const even = np.equal(np.remainder(x, 2), 0);
          const nx = np.where(even, np.floorDivide(x, 2), np.add(np.multiply(x, 3), 1));
          return { x: nx, steps: np.add(steps, 1), done: np.greater(steps, 1000) };
        },
        { x: n, steps: np.array(0, "int32"), done: np.array(false) },
      );
    for (const n of [27, 97, 1, 871]) check(f, [np.array(n, "int32")], true);
    const r = jit(f)(np.array(27, "int32")) as { steps: Array };
    equal(r.steps.item(), 111);
  });

  it("length-0 scans and foriLoops return the initial carry and empty ys", () => {
    const f = (xs: Array) =>
      lax.scan((c: Array, x: Array): [Array, Array] => [np.add(c, x), np.sin(x)], np.array(1), xs);
    check(f, [np.zeros([0])], true);
    const g = (x: Array) => lax.foriLoop(5, 5, (_i: Array, c: Array) => np.sin(c), x);
    check(g, [np.array(0.7)], true);
    const h = (x: Array) => lax.scan((c: Array): [Array, Array] => [c, c], x, null, { length: 0 });
    check(h, [np.array(2, "float32")], true);
  });

  it("cond and switch with traced predicates inside a loop body", () => {
    const f = (x: Array) =>
      lax.foriLoop(0, 40, (i: Array, c: Array) =>
        lax.cond(
          np.greater(c, 0),
          (a: Array) => np.subtract(np.multiply(a, 0.5), 1),
          (a: Array) => np.add(np.square(a), np.multiply(i.astype("float64"), 0.1)),
          c,
        ), x);
    check(f, [np.array(3)], true);
    const g = (x: Array) =>
      lax.foriLoop(0, 30, (i: Array, c: Array) =>
        lax.switch(np.remainder(i, 4), [
          (a: Array) => np.add(a, 1),
          (a: Array) => np.multiply(a, 0.75),
          (a: Array) => np.sin(a),
        ], c), x);
    check(g, [np.array(0.2)], true);
  });

  it("nested loops, jit inside a loop, and scalar code around loops", () => {
    const inner = jit((a: Array) => np.cos(np.multiply(a, 1.5)));
    const f = (x: Array) => {
      const y = np.multiply(np.sin(x), 2);
      const r = lax.foriLoop(0, 20, (i: Array, c: Array) => {
        const s = lax.foriLoop(
          0,
          10,
          (_j: Array, d: Array) => np.add(np.multiply(d, 0.9), inner(c)),
          c,
        );
        const w = lax.whileLoop((t: Array) => np.less(t, 5), (t: Array) => np.add(t, 1.5), s);
        return np.add(w, np.multiply(i.astype("float64"), 1e-3));
      }, y);
      return [np.multiply(r, x), np.exp(np.negative(y))];
    };
    check(f, [np.array(0.4)], true);
  });

  it("loops index closed-over arrays by the traced counter (take), any dtype, wrapped and clamped", () => {
    for (const dt of ["float64", "float32", "int32", "bool"] as const) {
      const f = (xs: Array, w: Array) =>
        lax.foriLoop(-3, 40, (i: Array, c: Array) => {
          const a = xs.get(i).astype("float64"); // negative i wraps, i past the end clamps
          const b = np.take(w, np.subtract(39, i)).astype("float64"); // out of range: the fill value
          return np.add(np.multiply(c, 0.5), np.add(a, np.multiply(b, 1e-3)));
        }, np.array(0));
      const xs = np.linspace(-2, 2, 30).astype(dt), w = np.linspace(3, -3, 41).astype(dt);
      check(f, [xs, w], true);
    }
    // a scan over an array read by take in a nested loop
    const g = (xs: Array) =>
      lax.scan(
        (c: Array, x: Array): [Array, Array] => {
          const s = lax.foriLoop(0, 5, (j: Array, d: Array) =>
            np.add(d, np.multiply(xs.get(j), x)), c);
          return [np.sin(s), s];
        },
        np.array(0.1),
        xs,
      );
    check(g, [np.linspace(0, 1, 8)], true);
  });

  it("a scan's ys feed a second scan, closing over a traced scalar", () => {
    const f = (xs: Array, k: Array) => {
      const [, ys] = lax.scan(
        (c: Array, x: Array): [Array, Array] => {
          const s = np.add(np.multiply(c, k), x);
          return [s, np.tanh(s)];
        },
        np.array(0),
        xs,
      );
      return lax.scan(
        (c: Array, y: Array): [Array, Array] => [np.maximum(c, y), np.subtract(y, c)],
        np.array(-1),
        ys,
        {
          reverse: true,
        },
      );
    };
    check(f, [np.linspace(-1, 3, 64), np.array(0.8)], true);
  });
});

describe("scalar programs of other dtypes, with conds and nested jit calls", () => {
  it("float32 and int32 scalar programs (and their derivatives) compile to plain-number code", () => {
    const f = (x: Array) =>
      np.add(np.multiply(np.sin(x), np.exp(np.negative(x))), np.sqrt(np.abs(x)));
    for (const v of [0.3, -1.7, 2.5]) {
      check(f, [np.array(v, "float32")], true);
      check(grad(f), [np.array(v, "float32")], true);
      check(grad(grad(f)), [np.array(v, "float32")], true);
    }
    const g = (a: Array, b: Array) =>
      np.add(np.multiply(a, b), np.floorDivide(np.subtract(a, 7), np.remainder(b, 4)));
    check(g, [np.array(123456789, "int32"), np.array(-98765, "int32")], true);
  });

  it("conds on traced predicates and jit calls inside a program", () => {
    const inner = jit((a: Array) => np.multiply(np.cos(a), 3));
    const f = (x: Array) =>
      lax.cond(np.greater(x, 0), (a: Array) => inner(np.log(a)), (a: Array) => np.square(a), x);
    for (const v of [2, -3, 0]) check(f, [np.array(v, "float32")], true);
    for (const v of [2, -3]) check(f, [np.array(v)], true);
  });

  it("grad of a foriLoop with its int32 counter under jit", () => {
    const f = (x: Array) =>
      lax.foriLoop(
        0,
        50,
        (i: Array, c: Array) => np.add(np.sin(c), np.multiply(i.astype(c.dtype), 1e-2)),
        x,
      );
    for (const dt of DTYPES) {
      const x = np.array(0.4, dt);
      sameTree(jit(grad(f))(x), grad(f)(x), `jit(grad) ${dt}`);
    }
  });
});

describe("array loops: the body compiled once", () => {
  for (const dt of DTYPES) {
    it(`scan over rows of a [n, 2, 3] ${dt} array with a vector carry, forward and reverse`, () => {
      for (const reverse of [false, true]) {
        const f = (c0: Array, xs: Array) =>
          lax.scan(
            (c: Array, x: Array): [Array, Array[]] => {
              const s = np.tanh(np.add(np.multiply(c, 0.5), np.sum(x, 0)));
              return [s, [np.multiply(x, s), np.sum(s)]];
            },
            c0,
            xs,
            { reverse },
          );
        const xs = np.reshape(np.linspace(-1, 1, 120), [20, 2, 3]).astype(dt);
        check(f, [np.array([0.1, 0.2, -0.3], dt), xs], false);
        check(f, [np.array([0.1, 0.2, -0.3], dt), np.zeros([0, 2, 3], dt)], false);
      }
    });
  }

  it("whileLoop on a vector carry with a reduced predicate", () => {
    const f = (x: Array) =>
      lax.whileLoop(
        (c: Array) => np.less(np.sum(c), 100),
        (c: Array) => np.add(np.multiply(c, 1.5), np.array([0.1, 0.2])),
        x,
      );
    check(f, [np.array([0.5, 1])], false);
  });

  it("pytree carries mixing scalars and matrices", () => {
    const f = (m: Array) =>
      lax.foriLoop(0, 12, (i: Array, [a, t]: [Array, Array]): [Array, Array] => {
        const b = np.add(np.matmul(a, m), np.multiply(i.astype("float64"), 0.01));
        return [np.divide(b, np.max(np.abs(b))), np.add(t, np.trace(b))];
      }, [np.eye(3), np.array(0)]);
    check(f, [np.array([[0.5, 1, 0], [0, 0.5, 1], [1, 0, 0.5]])], false);
  });

  it("other dtypes (float16, bfloat16, int8, uint8, complex128) take the array loop", () => {
    const h = (c0: Array, xs: Array) =>
      lax.scan((c: Array, x: Array): [Array, Array] => [np.add(c, x), np.subtract(x, c)], c0, xs, {
        reverse: true,
      });
    for (const dt of ["float16", "bfloat16", "int8", "uint8"] as const) {
      check(h, [np.ones([3], dt), np.reshape(np.arange(12), [4, 3]).astype(dt)], false);
      check(h, [np.ones([], dt), np.arange(5).astype(dt)], false);
    }
    const z = np.complex(
      np.reshape(np.arange(12), [4, 3]),
      np.reshape(np.linspace(-1, 1, 12), [4, 3]),
    );
    const r = jit(h)(np.complex(np.ones([3]), np.zeros([3])), z) as Array[];
    const e = h(np.complex(np.ones([3]), np.zeros([3])), z);
    deepEqual(r.map((x) => x.tolist()), e.map((x) => x.tolist()));
  });

  it("the scalar path and the array path give the same bits", () => {
    const f = (xs: Array) =>
      lax.scan(
        (c: Array, x: Array): [Array, Array] => {
          const s = np.add(np.multiply(c, 0.9), np.sin(x));
          return [s, np.multiply(s, 2)];
        },
        np.array(0),
        xs,
        { reverse: true },
      );
    const xs = np.linspace(0, 4, 50);
    const p = makeJaxpr(f)(xs);
    const e = p.eqns.find((e) => e.primitive === "scan")!;
    const params = e.params as ScanParams;
    const args = [np.array(0), xs];
    const scal = scanRunner(params, runClosed)(args);
    const arr = scanRunner(params, runClosed, false)(args);
    scal.forEach((x, i) => same(x, arr[i], `scan out ${i}`));
    const g = (x: Array) =>
      lax.whileLoop(
        (c: Array) => np.less(c, 50),
        (c: Array) => np.add(np.multiply(c, 1.3), 0.7),
        x,
      );
    const q = makeJaxpr(g)(np.array(0.1));
    const w = q.eqns.find((e) => e.primitive === "while")!.params as WhileParams;
    same(
      whileRunner(w, runClosed)([np.array(0.1)])[0],
      whileRunner(w, runClosed, false)([np.array(0.1)])[0],
    );
  });
});

/** How the first top-level scan of `f`'s program runs. */
function scanKind(f: (...a: Any[]) => unknown, args: unknown[]): string {
  const e = makeJaxpr(f)(...args).eqns.find((e) => e.primitive === "scan")!;
  return runnerKind(scanRunner(e.params as ScanParams, runClosed));
}

describe("elementwise bodies over arrays: one rolled loop per element", () => {
  for (const dt of DTYPES) {
    it(`vector and 0-d carries with rows of xs and ys on ${dt}, forward and reverse`, () => {
      for (const reverse of [false, true]) {
        const f = (c0: Array, xs: Array, w: Array, k: Array) =>
          lax.scan(
            ([c, t]: [Array, Array], x: Array): [[Array, Array], Array[]] => {
              const s = np.tanh(np.add(np.multiply(c, w), x));
              const t2 = np.add(np.multiply(t, k), 1); // 0-d, the same for every element
              return [[s, t2], [np.multiply(s, t2), np.greater(s, x), np.sqrt(t2)]];
            },
            [c0, np.array(0.5, dt)],
            xs,
            { reverse },
          );
        const args = [
          np.array([0.1, -0.2, 0.3, 0.4, -0.5], dt),
          np.reshape(np.linspace(-2, 2, 200), [40, 5]).astype(dt),
          np.array([0.5, 0.9, 1.1, -0.7, 0.3], dt), // a closed-over vector: a loop constant
          np.array(0.9, dt),
        ];
        check(f, args, false);
        equal(scanKind(f, args), "lane");
      }
    });
  }

  it("vmap of scalar loops: each element keeps its carries in locals", () => {
    const fori = (x: Array) =>
      lax.foriLoop(0, 300, (i: Array, c: Array) => {
        const a = np.add(np.multiply(c, 0.99), np.sin(c));
        return np.add(a, np.multiply(i.astype(c.dtype), 1e-4));
      }, x);
    for (const dt of DTYPES) {
      const xs = np.linspace(-3, 3, 33).astype(dt);
      sameTree(jit(vmap(fori))(xs), vmap(fori)(xs), `jit(vmap) ${dt}`);
      equal(scanKind(vmap(fori), [xs]), "lane");
    }
    const m = np.reshape(np.linspace(-1, 1, 12), [3, 4]);
    sameTree(jit(vmap(vmap(fori)))(m), vmap(vmap(fori))(m), "a [3, 4] lane");
  });

  it("batched whileLoop predicates: a loop over the elements per step, while any continues", () => {
    const wh = (x: Array, k: Array) =>
      lax.whileLoop(
        ([c]: [Array, Array]) => np.less(c, 10),
        ([c, n]: [Array, Array]): [Array, Array] => [np.add(np.multiply(c, k), 0.3), np.add(n, 1)],
        [x, np.array(0, "int32")],
      );
    for (const dt of DTYPES) {
      const xs = np.linspace(-1, 9, 17).astype(dt), k = np.array(1.2, dt);
      const vw = vmap(wh, { inAxes: [0, null] });
      sameTree(jit(vw)(xs, k), vw(xs, k), `jit(vmap(while)) ${dt}`);
      const e = makeJaxpr(vw)(xs, k).eqns.find((e) => e.primitive === "while")!;
      equal(runnerKind(whileRunner(e.params as WhileParams, runClosed)), "lane");
    }
    // written by hand: every element steps until all are done (no per-element select)
    const all = (x: Array) =>
      lax.whileLoop(
        (c: Array) => np.greater(np.sum(np.less(c, 10).astype("int32")), 0),
        (c: Array) => np.add(np.multiply(c, 1.2), 0.3),
        x,
      );
    const x = np.array([-1, 0.5, 3, 9.5, 12]);
    check(all, [x], false);
    const e = makeJaxpr(all)(x).eqns.find((e) => e.primitive === "while")!;
    equal(runnerKind(whileRunner(e.params as WhileParams, runClosed)), "lane");
  });

  it("int32 lanes wrap and bool lanes select", () => {
    const f = (s0: Array, xs: Array) =>
      lax.scan(
        (s: Array, x: Array): [Array, Array] => {
          const t = np.add(np.multiply(s, 1103515245), x);
          return [np.where(np.greater(t, 0), t, np.negative(t)), np.remainder(t, 7)];
        },
        s0,
        xs,
      );
    const args = [
      np.array([1, 2, 3], "int32"),
      np.reshape(np.arange(300), [100, 3]).astype("int32"),
    ];
    check(f, args, false);
    equal(scanKind(f, args), "lane");
  });

  it("bodies that are not elementwise take the array loop (a transpose, a reduction)", () => {
    const f = (c0: Array, xs: Array) =>
      lax.scan(
        (c: Array, x: Array): [Array, Array] => {
          const s = np.add(np.transpose(c), x);
          return [np.sin(s), np.sum(s)];
        },
        c0,
        xs,
      );
    const args = [np.reshape(np.linspace(0, 1, 9), [3, 3]), np.ones([6, 3, 3])];
    check(f, args, false);
    equal(scanKind(f, args), "array");
  });
});

describe("loops under vmap and grad", () => {
  const fori = (x: Array) =>
    lax.foriLoop(0, 100, (_i: Array, c: Array) => np.add(np.multiply(c, 0.99), np.sin(c)), x);
  const wh = (x: Array) =>
    lax.whileLoop((c: Array) => np.less(c, 10), (c: Array) => np.add(np.multiply(c, 1.2), 0.3), x);
  const sc = (x: Array) =>
    lax.scan(
      (c: Array, k: Array): [Array, Array] => {
        const s = np.add(np.multiply(c, k), np.cos(x));
        return [s, np.square(s)];
      },
      x,
      np.linspace(0.5, 1.5, 30),
    );
  const xs = np.array([-1, 0.25, 0.5, 3]);

  it("vmap(jit(f)) and jit(vmap(f)) equal the eager vmap (batched while predicate)", () => {
    for (const f of [fori, wh, sc]) {
      sameTree(vmap(jit(f))(xs), vmap(f)(xs), "vmap(jit)");
      sameTree(jit(vmap(f))(xs), vmap(f)(xs), "jit(vmap)");
    }
  });

  it("grad through scalar loops under jit equals eager grad", () => {
    const sumSc = (x: Array) => np.sum(sc(x)[1]);
    for (const f of [fori, sumSc]) {
      for (const x of [0.25, -1.5]) {
        const e = grad(f)(x) as Array;
        assertAllClose((jit(grad(f))(x) as Array).item() as number, e.item() as number, {
          rtol: 1e-12,
        });
        assertAllClose((grad(jit(f))(x) as Array).item() as number, e.item() as number, {
          rtol: 1e-12,
        });
        assertAllClose(
          (vmap(jit(grad(f)))(np.array([x, 2 * x])) as Array).tolist() as number[],
          vmap(grad(f))(np.array([x, 2 * x])).tolist() as number[],
          { rtol: 1e-12 },
        );
      }
    }
  });
});
