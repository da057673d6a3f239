// Buffer pools of compiled array programs (src/compile/pool.ts): intermediates' buffers are
// recycled across calls, results stay bit-identical to eager, and no value a caller (or user
// code inside the program) still holds is ever overwritten.
import { describe, it } from "node:test";
import { deepEqual, equal, ok } from "node:assert/strict";
import { type Array, customJvp, grad, hessian, jit, lax, np, vmap } from "../mod.ts";
import { BufferPool } from "../src/compile/pool.ts";
import { allocate, setStoragePool } from "../src/array/dtype.ts";
import { NdArray } from "../src/array/array.ts";

const bits = (x: Array): number[] => globalThis.Array.from(x.data as ArrayLike<number>);

function same(a: Array, b: Array, what = ""): void {
  equal(a.dtype, b.dtype, what);
  deepEqual(a.shape, b.shape, what);
  const x = bits(a), y = bits(b);
  ok(x.every((v, i) => Object.is(v, y[i])), `${what}: ${x.slice(0, 6)} vs ${y.slice(0, 6)}`);
}

describe("buffer pools of compiled array programs", () => {
  it("repeated calls give eager's bits and never overwrite earlier results", () => {
    const f = (x: Array, w: Array) => {
      const h = np.tanh(np.matmul(x, w)); // intermediates of 64 x 32 float64
      const r = np.reshape(h, [32, 64]); // a view sharing h's storage, returned
      const s = np.sum(np.multiply(h, h), 0);
      return [r, np.exp(np.negative(s)), np.sort(np.sin(h), 1)];
    };
    const jf = jit(f);
    const w = np.reshape(np.linspace(-1, 1, 32 * 32), [32, 32]);
    const inputs = [0.5, -1, 2, 0.25].map((k) =>
      np.multiply(np.reshape(np.linspace(-1, 1, 64 * 32), [64, 32]), k)
    );
    const held = inputs.map((x) => jf(x, w) as Array[]);
    const again = inputs.map((x) => jf(x, w) as Array[]);
    inputs.forEach((x, i) => {
      const e = f(x, w);
      e.forEach((v, k) => {
        same(held[i][k], v, `first results of call ${i}, output ${k}`);
        same(again[i][k], v, `second results of call ${i}, output ${k}`);
      });
    });
  });

  it("values passed to user code (custom rules) are never recycled", () => {
    const seen: Array[] = [];
    const g = customJvp((x: Array) => {
      try {
        void x.data; // a concrete value (not the tracer of the trace): user code keeps it
        seen.push(x);
      } catch { /* traced */ }
      return np.multiply(x, 2);
    });
    g.defjvp(([x]: Array[], [t]: Array[]) => [g(x), np.multiply(t, 2)]);
    const f = jit((x: Array) => {
      const c = np.cos(np.add(x, 1));
      const s = np.sin(g(c));
      return np.add(np.sum(np.multiply(c, s)), np.sum(np.exp(s))); // c dies after the custom call
    });
    const xs = [0.1, 0.7, -0.4].map((k) => np.multiply(np.ones([50]), k));
    for (const x of xs) f(x);
    // (where custom calls are inlined before code generation no user code runs, and nothing is seen)
    const copies = seen.map((s) => bits(s));
    for (const x of xs) f(x);
    seen.slice(0, copies.length).forEach((s, i) => deepEqual(bits(s), copies[i]));
  });

  it("outputs of primitives that cache them (lu of an argument) are never recycled", () => {
    const a = np.add(np.reshape(np.linspace(-1, 1, 400), [20, 20]), np.multiply(np.eye(20), 5));
    const f = (m: Array, x: Array) => {
      const [lu] = lax.linalg.lu(m); // cached per input array: the same argument each call
      const v = np.reshape(np.multiply(lu, 2), [400]); // read through elementwise ops and views
      return np.add(np.sum(np.multiply(v, x)), np.sum(np.sin(np.reshape(lu, [400]))));
    };
    const jf = jit(f);
    const xs = [0.5, -2, 3].map((k) => np.multiply(np.linspace(0, 1, 400), k));
    const e = xs.map((x) => f(np.array(a.tolist() as number[][]), x));
    for (let r = 0; r < 3; r++) {
      xs.forEach((x, i) => same(jf(a, x) as Array, e[i], `call ${r}.${i}`));
    }
    same(
      lax.linalg.lu(a)[0],
      lax.linalg.lu(np.array(a.tolist() as number[][]))[0],
      "the cached lu",
    );
  });

  it("programs with loops, vmap and derivatives stay bit-identical over calls", () => {
    const rosen = (x: Array) => {
      const a = x.get("1:"), b = x.get(":-1");
      return np.sum(
        np.add(
          np.multiply(100, np.square(np.subtract(a, np.square(b)))),
          np.square(np.subtract(1, b)),
        ),
      );
    };
    const h = jit(hessian(rosen));
    const x = np.linspace(-1, 1.5, 40);
    const e = hessian(rosen)(x) as Array;
    for (let i = 0; i < 3; i++) same(h(x) as Array, e, `hessian call ${i}`);
    const step = (c: Array, x: Array): [Array, Array] => {
      const s = np.tanh(np.add(np.matmul(c, np.ones([20, 20])), x));
      return [np.divide(s, 20), np.sum(s)];
    };
    const sc = (c: Array, xs: Array) => lax.scan(step, c, xs);
    const c0 = np.linspace(0, 1, 20), xs = np.reshape(np.linspace(-1, 1, 200), [10, 20]);
    const js = jit(sc), ev = sc(c0, xs);
    for (let i = 0; i < 3; i++) {
      const r = js(c0, xs);
      same(r[0], ev[0], "scan carry");
      same(r[1], ev[1], "scan ys");
    }
    const vg = jit(vmap(grad((v: Array) => np.sum(np.sin(np.multiply(v, v))))));
    const m = np.reshape(np.linspace(-2, 2, 300), [3, 100]);
    const ve = vmap(grad((v: Array) => np.sum(np.sin(np.multiply(v, v)))))(m);
    for (let i = 0; i < 3; i++) same(vg(m) as Array, ve, "vmap(grad)");
  });

  it("a pool hands back only released, unshared buffers, zeroed", () => {
    const pool = new BufferPool();
    const st = pool.begin();
    let a: Float64Array, b: Float64Array, c: Float64Array;
    try {
      a = allocate("float64", 100) as Float64Array; // handed out by the pool
      b = allocate("float64", 100) as Float64Array;
      a.fill(7);
      const A = new NdArray(a, [100], "float64"), B = new NdArray(b, [100], "float64");
      const view = new NdArray(b, [10, 10], "float64"); // shares B's storage
      pool.release(A, [A, B, view], [1, 2]); // A not live: released
      pool.release(B, [A, B, view], [2]); // the view is live: kept
      c = allocate("float64", 100) as Float64Array;
    } finally {
      pool.end(st);
    }
    ok(c === a, "the released buffer is recycled");
    ok(c.every((v) => v === 0), "zeroed");
    ok(allocate("float64", 100) !== b, "outside the pool, allocation is fresh");
    equal(setStoragePool(null), null, "end restored the previous pool");
  });
});
