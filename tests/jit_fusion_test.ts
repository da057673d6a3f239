// Loop fusion under jit (src/compile/fuse.ts): programs with broadcasting, reshape/transpose/
// pad/slice chains, float32 and int32 groups, mixed dtypes, size-0 and size-1 dims and ranks 0–5
// give results equal to eager's exactly (NaN's sign and payload aside), and their groups really fuse.
import { describe, it } from "node:test";
import { deepEqual, equal, ok } from "node:assert/strict";
import { type Array, grad, hessian, jit, lax, makeJaxpr, np, vmap } from "../mod.ts";
import { compileJaxpr, simplify } from "../extend.ts";
import { fuse, type FusedParams } from "../src/compile/fuse.ts";
import { assertAllClose } from "./_assert.ts";

/**
 * An array's values exactly, -0 apart from 0; every NaN is one NaN (its sign and payload are the
 * engine's: V8 and JavaScriptCore differ, and neither NumPy nor JAX promise them).
 */
function bits(x: Array): (number | string)[] {
  return globalThis.Array.from(
    x.data as ArrayLike<number>,
    (v) => typeof v !== "number" ? v : Number.isNaN(v) ? "NaN" : Object.is(v, -0) ? "-0" : v,
  );
}

/** Same dtype, shape and values (NaN and -0 included). */
function same(a: Array, b: Array, what = ""): void {
  equal(a.dtype, b.dtype, what);
  deepEqual(a.shape, b.shape, what);
  deepEqual(bits(a), bits(b), what);
}

type Fn = (...xs: Array[]) => Array | Array[];
const list = (r: Array | Array[]) => (globalThis.Array.isArray(r) ? r : [r]);

/** The fused loops the compiler makes of `f` at `args` (member primitives of each). */
function groups(f: Fn, ...args: Array[]): FusedParams[] {
  const prog = fuse(simplify(makeJaxpr(f)(...args).jaxpr));
  return prog.eqns.filter((e) => e.primitive === "fused").map((e) => e.params as FusedParams);
}

/** Checks jit, the compiled program and the interpreter against eager, bit for bit. */
function check(f: Fn, ...args: Array[]): void {
  const e = list(f(...args));
  const j = list(jit(f)(...args));
  equal(j.length, e.length);
  e.forEach((x, i) => same(j[i], x, `output ${i} under jit`));
  const prog = makeJaxpr(f)(...args).jaxpr;
  const consts = makeJaxpr(f)(...args).consts as Array[];
  const it = compileJaxpr(prog, "interpret").run([...consts, ...args]);
  e.forEach((x, i) => same(it[i], x, `output ${i} interpreted`));
}

const seq = (shape: number[], scale = 1, dtype: "float64" | "float32" = "float64") => {
  const n = shape.reduce((a, b) => a * b, 1);
  const v = globalThis.Array.from({ length: n }, (_, i) => Math.sin(i * 1.7 + 0.3) * scale);
  return np.reshape(np.array(v, dtype), shape);
};

describe("loop fusion", () => {
  it("fuses operands broadcast against the group's shape (lower rank, size-1 dims, 0-d)", () => {
    const f = (x: Array, y: Array, z: Array, s: Array) =>
      np.add(np.subtract(np.add(np.sin(np.multiply(x, y)), np.multiply(x, z)), y), s);
    const args = [seq([3, 4]), seq([4]), seq([3, 1]), np.array(1.5)];
    check(f, ...args);
    const g = groups(f, ...args);
    equal(g.length, 1, JSON.stringify(g.map((p) => p.primitives)));
    equal(g[0].size, 6);
  });

  it("arithmetic on a small broadcast operand runs once, in a loop of its own", () => {
    const f = (x: Array, y: Array) => np.add(np.sin(np.multiply(x, 2)), np.exp(np.cos(y)));
    const args = [seq([30, 4]), seq([4])];
    check(f, ...args);
    const g = groups(f, ...args);
    deepEqual(g.map((p) => p.primitives).sort(), [["cos", "exp"], ["mul", "sin", "add"]].sort());
  });

  it("fuses a DAG region, not only consecutive equations, and stores several outputs", () => {
    const f = (x: Array, w: Array) => {
      const a = np.tanh(x);
      const m = np.matmul(w, w); // not fusible: splits the run of elementwise equations
      const b = np.multiply(a, 2);
      const c = np.add(np.cos(x), b);
      return [c, np.multiply(a, a), m];
    };
    const args = [seq([5, 6]), seq([3, 3])];
    check(f, ...args);
    const g = groups(f, ...args);
    equal(g.length, 1, JSON.stringify(g.map((p) => p.primitives)));
    ok(g[0].size >= 5, JSON.stringify(g[0].primitives));
  });

  it("fuses reshape, transpose, slice, pad and rev chains as index maps", () => {
    const f = (x: Array, v: Array) => {
      const y = np.multiply(x, 2); // [4, 6]
      const p = lax.pad(y, 0, [[1, 2, 0], [0, 1, 1]]); // [7, 12]
      const s = np.add(p.get("1:6:2", "::3"), 1); // [3, 4]
      const r = np.reshape(np.transpose(np.flip(s, 1)), [2, 6]); // [2, 6]
      return np.add(np.reshape(r, [12]), v);
    };
    const args = [seq([4, 6]), seq([12])];
    check(f, ...args);
    const g = groups(f, ...args);
    equal(g.length, 1, JSON.stringify(g.map((p) => p.primitives)));
    for (const p of ["pad", "slice", "transpose", "rev", "reshape"]) {
      ok(g[0].primitives.includes(p), `${p} in ${g[0].primitives}`);
    }
  });

  it("pads on every side, with interior padding, and negative pads (crops)", () => {
    const x = seq([3, 4]);
    check((x: Array) => np.exp(lax.pad(np.sin(x), 0, [[2, 1, 0], [1, 3, 2]])), x);
    check((x: Array) => np.exp(lax.pad(np.sin(x), 0, [[-1, 1, 0], [1, -2, 1]])), x);
    check((x: Array) => np.add(np.pad(np.sin(x), [[1, 1], [2, 0]]), 1), x);
    ok(groups((x: Array) => np.exp(lax.pad(np.sin(x), 0, [[2, 1, 0], [1, 3, 2]])), x).length >= 1);
  });

  it("the Hessian of Rosenbrock under jit equals eager bit for bit, in few loops", () => {
    const rosen = (x: Array) => {
      const a = x.get("1:"), b = x.get(":-1");
      return np.sum(
        np.add(
          np.multiply(100, np.square(np.subtract(a, np.square(b)))),
          np.square(np.subtract(1, b)),
        ),
      );
    };
    const x = seq([40], 2);
    check(hessian(rosen), x);
    const g = groups(hessian(rosen), x);
    ok(g.length <= 3, JSON.stringify(g.map((p) => p.primitives)));
    ok(g.some((p) => p.size >= 15));
  });

  it("float32 groups round after every operation as the kernels do", () => {
    const f = (x: Array, y: Array) => {
      const a = np.add(np.multiply(x, 1.1), np.divide(y, 3));
      const b = np.maximum(np.sin(a), np.multiply(np.sqrt(np.abs(y)), 0.7));
      return [np.subtract(np.exp(b), np.power(a, 2)), np.greater(b, a)];
    };
    const args = [seq([8, 5], 3, "float32"), seq([5], 2, "float32")];
    equal(f(args[0], args[1])[0].dtype, "float32");
    check(f, ...args);
    const g = groups(f, ...args);
    ok(g.some((p) => p.size === 8), JSON.stringify(g.map((p) => p.primitives)));
    ok(g.some((p) => p.source.includes("Math.fround(Math.sin(")));
  });

  it("int32 groups wrap (Math.imul, | 0) and divide as the kernels do", () => {
    const big = np.array([2147483647, -2147483648, 123456789, -7, 0, 46341, -1, 5], "int32");
    const small = np.array([3, -2, 77777, 2, -5, 46341, 0, -3], "int32");
    const f = (a: Array, b: Array) => {
      const p = lax.mul(a, b);
      const s = lax.add(p, a);
      const d = np.subtract(np.negative(s), np.abs(b));
      return [
        np.maximum(d, lax.mul(b, b)),
        np.floorDivide(d, b),
        np.remainder(s, b),
        np.multiply(a, a),
        np.less(d, a),
      ];
    };
    check(f, big, small);
    equal(groups(f, big, small).length, 1);
  });

  it("mixed dtypes: conversions, bool masks and selects inside one loop", () => {
    const f = (i: Array, x: Array, h: Array) => {
      const xf = np.multiply(np.asarray(i, "float64"), x);
      const m = np.logicalAnd(np.greater(xf, 0), np.less(i, 3));
      const w = np.where(m, np.sqrt(xf), np.negative(xf));
      const back = np.asarray(np.multiply(w, 1e9), "int32"); // saturates
      const h64 = np.asarray(np.add(h, np.asarray(w, "float32")), "float64");
      return [np.add(w, h64), back, np.logicalNot(m)];
    };
    const i = np.array([[-2, 0, 1, 5], [3, 2, -1, 7]], "int32");
    const x = seq([2, 4], 4);
    const h = seq([4], 1, "float32");
    check(f, i, x, h);
    equal(groups(f, i, x, h).length, 1, JSON.stringify(groups(f, i, x, h)));
  });

  it("special values: NaN, ±Infinity and -0 propagate as in eager", () => {
    const x = np.array([NaN, Infinity, -Infinity, -0, 0, 1, -1, 1e308]);
    const y = np.array([1, NaN, -0, -0, Infinity, 0, -Infinity, 1e308]);
    check(
      (x: Array, y: Array) => [
        np.maximum(x, y),
        np.minimum(np.multiply(x, y), x),
        np.add(np.negative(x), np.sign(y)),
        np.floorDivide(x, y),
        np.round(np.multiply(x, 0.5)),
      ],
      x,
      y,
    );
  });

  it("size-0 and size-1 dims", () => {
    check((x: Array, y: Array) => np.add(np.sin(x), np.multiply(y, 2)), seq([0, 3]), seq([3]));
    check((x: Array, y: Array) => np.add(np.sin(x), np.multiply(y, 2)), seq([1, 5]), seq([1, 1]));
    check((x: Array) => np.exp(np.add(np.transpose(np.cos(x), [2, 0, 1]), 1)), seq([3, 1, 1]));
    check((x: Array) => np.add(lax.pad(np.sin(x), 0, [[2, 1, 0]]), 1), seq([0]));
    check((x: Array) => np.multiply(np.reshape(np.sin(x), [1, 0, 4]), 2), seq([0, 4]));
  });

  it("ranks 0 to 5 with broadcasting and axis permutations", () => {
    const shapes = [[], [3], [2, 3], [2, 1, 3], [2, 3, 1, 2], [1, 2, 3, 2, 2]];
    for (const s of shapes) {
      const x = seq(s, 2);
      const last = s.length > 0 ? seq([s[s.length - 1]]) : np.array(0.25);
      check((x: Array, v: Array) => np.tanh(np.add(np.multiply(x, v), np.cos(x))), x, last);
      if (s.length >= 2) {
        const perm = s.map((_, i) => (i + 1) % s.length);
        check((x: Array) => np.sin(np.multiply(np.transpose(np.exp(x), perm), 3)), x);
        const flat = s.reduce((a, b) => a * b, 1);
        check(
          (x: Array) => np.reshape(np.add(np.reshape(np.sin(x), [flat]), 1), [...s].reverse()),
          x,
        );
      }
    }
  });

  it("reshapes that split and merge dims, with broadcasting afterwards", () => {
    const x = seq([6, 4]);
    const f = (x: Array, b: Array) => np.add(np.reshape(np.exp(x), [2, 3, 2, 2]), b);
    check(f, x, seq([3, 1, 2]));
    equal(groups(f, x, seq([3, 1, 2])).length, 1);
    check((x: Array) => np.cos(np.reshape(np.transpose(np.sin(x)), [8, 3])), x);
  });

  it("vmap(grad) and per-example programs under jit equal eager", () => {
    const loss = (w: Array, x: Array, y: Array) =>
      np.square(np.subtract(np.sum(np.multiply(w, x)), y));
    const w = seq([7]), xs = seq([5, 7], 3), ys = seq([5]);
    const pe = (w: Array, xs: Array, ys: Array) =>
      vmap(grad(loss), { inAxes: [null, 0, 0] })(w, xs, ys);
    check(pe, w, xs, ys);
    check(vmap(grad((x: Array) => np.square(x))), np.linspace(0, 1, 11));
  });

  it("products without contraction (outer, batched) are loops, as the kernels round them", () => {
    const outer = (a: Array, b: Array) => np.multiply(np.einsum("i,j->ij", np.sin(a), b), 2);
    check(outer, seq([5]), seq([7]));
    check(outer, np.array([-0, 1, NaN]), np.array([0, -0, Infinity, 2]));
    ok(groups(outer, seq([5]), seq([7])).some((g) => g.primitives.includes("dot_general")));
    const a32 = seq([4, 3], 2, "float32"), b32 = seq([4, 5], 3, "float32");
    check((a: Array, b: Array) => np.einsum("bi,bj->bij", a, b), a32, b32);
    check((a: Array, b: Array) => np.einsum("bi,bj->bij", a, b), seq([4, 3]), seq([4, 5]));
  });

  it("reductions fuse as consumers, summing in the kernels' order", () => {
    const cases: [number[], number[]][] = [
      [[6, 5], [1]], // trailing, short rows (sequential)
      [[3, 40], [1]], // trailing, 8 accumulators
      [[2, 300], [1]], // trailing, pairwise halving
      [[4, 3, 50], [1, 2]], // trailing block of two axes
      [[300], [0]], // everything, to 0-d
      [[50, 7], [0]], // leading rows
      [[3, 20, 4], [1]], // middle rows
      [[2, 1, 30, 1], [2]], // size-1 dims around
      [[4, 6, 5], [0, 2]], // not a layout fusion covers: the kernel runs
    ];
    for (const [shape, axes] of cases) {
      const x = seq(shape, 3);
      for (const red of [np.sum, np.max, np.min]) {
        const f = (x: Array) => red(np.add(np.multiply(np.exp(x), 2), -3), axes);
        check(f, x);
      }
      const f32 = seq(shape, 3, "float32");
      check((x: Array) => np.sum(np.multiply(np.sin(x), 1.5), axes), f32);
    }
    const f = (x: Array) => np.sum(np.multiply(np.exp(x), 2), 1);
    const g = groups(f, seq([3, 40]));
    equal(g.length, 1);
    ok(g[0].primitives.includes("reduce_sum"), JSON.stringify(g[0].primitives));
    const rows = groups((x: Array) => np.max(np.cos(x), 0), seq([50, 7]));
    ok(rows.length === 1 && rows[0].primitives.includes("reduce_max"));
  });

  it("fused reductions keep NaN, -0 and infinities as the kernels do", () => {
    const x = np.array([[-0, -0, -0], [NaN, 1, 2], [1, Infinity, -Infinity], [-0, 0, -0]]);
    for (const red of [np.sum, np.max, np.min]) {
      check((x: Array) => red(np.multiply(x, 1), 1), x);
      check((x: Array) => red(np.multiply(x, 1), 0), x);
      check((x: Array) => red(np.negative(x)), x);
    }
  });

  it("random programs of elementwise, structural and reduction steps equal eager", () => {
    let seed = 12345;
    const rand = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
    const unary = [np.sin, np.exp, np.negative, np.abs, np.tanh, (x: Array) => np.multiply(x, 1.5)];
    const binary = [np.add, np.multiply, np.subtract, np.maximum];
    for (let trial = 0; trial < 40; trial++) {
      const rank = 1 + Math.floor(rand() * 3);
      const shape = globalThis.Array.from({ length: rank }, () => 1 + Math.floor(rand() * 4));
      const steps = globalThis.Array.from({ length: 8 }, () => Math.floor(rand() * 8));
      const choices = globalThis.Array.from({ length: 8 }, () => rand());
      const f = (x: Array, y: Array) => {
        let v = x;
        steps.forEach((s, i) => {
          const c = choices[i];
          const sh = v.shape;
          if (s <= 1) v = pick([unary[Math.floor(c * unary.length)]])(v);
          else if (s === 2) {
            // broadcast against a trailing slice of y (or y's reshaped size-1 form)
            const t = sh.length > 0 ? [sh[sh.length - 1]] : [];
            const w = np.reshape(np.sum(y), [1]);
            v = binary[Math.floor(c * binary.length)](v, np.broadcastTo(np.add(w, 0), t));
          } else if (s === 3 && sh.length >= 2) {
            const perm = sh.map((_, k) => k).reverse();
            v = np.transpose(v, perm);
          } else if (s === 4 && sh.length >= 1) {
            v = lax.pad(v, 0, sh.map((_n, k) => [k % 2, (k + 1) % 2, c > 0.5 ? 1 : 0]));
          } else if (s === 5 && sh.every((n) => n >= 2)) {
            v = v.get(...sh.map(() => "1:"));
          } else if (s === 6) {
            v = np.reshape(v, [sh.reduce((a, b) => a * b, 1)]);
          } else if (s === 7 && sh.length >= 2) {
            v = np.sum(v, c > 0.5 ? sh.length - 1 : 0);
          } else v = np.flip(np.cos(v), 0);
          v = binary[Math.floor(c * binary.length)](v, np.multiply(v, 0.5));
        });
        return v;
      };
      const x = seq(shape, 2), y = seq([3]);
      check(f, x, y);
      const g = grad((x: Array) => np.sum(f(x, y)));
      assertAllClose(jit(g)(x), g(x), { rtol: 1e-12, atol: 1e-12 });
    }
  });

  it("single reshapes stay free views; single equations keep their kernels", () => {
    equal(groups((x: Array) => np.reshape(x, [6]), seq([2, 3])).length, 0);
    equal(groups((x: Array) => np.sin(x), seq([2, 3])).length, 0);
  });
});
