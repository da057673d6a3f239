// lax control flow under grad, jvp and vmap, including batched predicates
// and indices, and the type checks on branches and carries.
import { describe, it } from "node:test";
import { deepEqual, equal, throws } from "node:assert/strict";
import { type Array, grad, jacrev, jvp, lax, np, vjp, vmap } from "../mod.ts";
import { checkGrads, checkVmap } from "../src/testing.ts";
import { assertAllClose } from "./_assert.ts";

const piecewise = (x: Array) =>
  lax.cond(np.greater(x, 0), np.sin, (y: Array) => np.multiply(y, y), x);

describe("cond", () => {
  it("chooses a branch, differentiably", () => {
    assertAllClose(piecewise(np.array(0.5)), Math.sin(0.5));
    assertAllClose(grad(piecewise)(0.5), Math.cos(0.5));
    assertAllClose(grad(piecewise)(-0.5), -1);
    assertAllClose(grad(grad(piecewise))(-0.5), 2);
    checkGrads(piecewise, [np.array(0.7)], { order: 2 });
  });
  it("a batched predicate selects per member", () => {
    const xs = np.array([-1.0, 0.5, 2.0]);
    assertAllClose(vmap(piecewise)(xs), [1, Math.sin(0.5), Math.sin(2)]);
    assertAllClose(vmap(grad(piecewise))(xs), [-2, Math.cos(0.5), Math.cos(2)]);
    assertAllClose(grad((v: Array) => np.sum(vmap(piecewise)(v)))(xs), [
      -2,
      Math.cos(0.5),
      Math.cos(2),
    ]);
    checkVmap(piecewise, [xs]);
  });
  it("operands and outputs may be trees; JS booleans work as predicates", () => {
    const out = lax.cond(
      false,
      (p: { a: Array }) => [p.a, 1],
      (p: { a: Array }) => [np.negative(p.a), 2],
      {
        a: np.array(3),
      },
    );
    deepEqual([(out[0] as Array).item(), out[1]], [-3, 2]);
  });
  it("branches of different types are an error, also for the branch not taken", () => {
    throws(
      () => lax.cond(true, () => np.zeros([2]), () => np.zeros([3])),
      /leaf 0 of falseFn's output is float64\[3\] but of trueFn's output is float64\[2\]/,
    );
    throws(
      () =>
        vmap((p: Array) =>
          lax.cond(p, () => np.zeros([2]), () => np.zeros([2], { dtype: "int32" }))
        )(np.array([true, false])),
      /float64\[2\] but of falseFn's output is int32\[2\]/,
    );
    throws(
      () => lax.cond(np.array([true, false]), np.sin, np.cos, 1),
      /predicate must be a scalar: got shape \[2\]/,
    );
  });
});

describe("switch", () => {
  const branches = [np.sin, np.cos, (x: Array) => np.multiply(x, 3)];
  const f = (i: Array | number | boolean, x: Array) => lax.switch(i as Array, branches, x);
  it("chooses by index, clamped", () => {
    assertAllClose(f(1, np.array(0.2)), Math.cos(0.2));
    assertAllClose(f(-4, np.array(0.2)), Math.sin(0.2));
    assertAllClose(f(9, np.array(0.2)), 0.6000000000000001);
    assertAllClose(grad((x: Array) => f(2, x))(0.2), 3);
  });
  it("the index must be an integer", () => {
    throws(() => f(1.5, np.array(0.2)), /switch index must be an integer: got 1.5/);
    throws(() => f(np.array(1.5), np.array(0.2)), /switch index must be an integer: got 1.5/);
    throws(() => f(true, np.array(0.2)), /got a bool/);
  });
  it("an integral float index is an index (JS has no integer literals)", () => {
    assertAllClose(f(np.array(1.0), np.array(0.2)), Math.cos(0.2));
    assertAllClose(f(np.where(np.greater(1, 0), 1, 0), np.array(0.2)), Math.cos(0.2));
    const idx = np.array([2, 0, 1]);
    assertAllClose(
      vmap(f)(idx, np.array([0.1, 0.2, 0.3])),
      [0.1 * 3, Math.sin(0.2), Math.cos(0.3)],
      {
        rtol: 1e-15,
      },
    );
  });
  it("a batched index selects per member", () => {
    const idx = np.array([0, 1, 2, 5], { dtype: "int32" });
    const xs = np.array([0.1, 0.2, 0.3, 0.4]);
    assertAllClose(vmap(f)(idx, xs), [Math.sin(0.1), Math.cos(0.2), 0.3 * 3, 0.4 * 3], {
      rtol: 1e-15,
    });
    assertAllClose(vmap(grad((x: Array, i: Array) => f(i, x)))(xs, idx), [
      Math.cos(0.1),
      -Math.sin(0.2),
      3,
      3,
    ], {
      rtol: 1e-15,
    });
  });
});

describe("whileLoop", () => {
  const doubling = (x: Array) =>
    lax.whileLoop((c: Array) => np.less(c, 100), (c: Array) => np.multiply(c, 2), x);
  it("loops, and forward mode follows", () => {
    equal(doubling(np.array(3)).item(), 192);
    equal(jvp(doubling, [3], [1])[1].item(), 64);
  });
  it("a batched condition runs until every member is done", () => {
    assertAllClose(vmap(doubling)(np.array([3, 50, 200])), [192, 100, 200]);
    assertAllClose(vmap((x: Array) => jvp(doubling, [x], [1])[1])(np.array([3, 50, 200])), [
      64,
      2,
      1,
    ]);
  });
  it("tree carries", () => {
    const [i, acc] = lax.whileLoop(
      ([i]: [Array, Array]) => np.less(i, 4),
      ([i, acc]: [Array, Array]) => [np.add(i, 1), np.multiply(acc, 2)],
      [np.array(0), np.array(1)],
    );
    deepEqual([i.item(), acc.item()], [4, 16]);
  });
  it("reverse mode is a clear error, as in JAX", () => {
    throws(() => grad(doubling)(3), /Reverse-mode differentiation does not work for whileLoop/);
    throws(() => vjp(doubling, [3]), /whileLoop/);
  });
  it("a body that changes the carry's type is an error", () => {
    throws(
      () =>
        lax.whileLoop(
          (c: Array) => np.less(np.sum(c), 10),
          (c: Array) => np.concatenate([c, c]),
          np.ones([1]),
        ),
      /leaf 0 of the carry is float64\[1\] but of the body's output is float64\[2\]/,
    );
  });
});

describe("foriLoop", () => {
  const power = (x: Array) =>
    lax.foriLoop(0, 5, (_i: Array, acc: Array) => np.multiply(acc, x), np.onesLike(x));
  it("static bounds: every mode", () => {
    assertAllClose(power(np.array(1.5)), 1.5 ** 5);
    assertAllClose(grad(power)(1.5), 5 * 1.5 ** 4);
    assertAllClose(grad(grad(power))(1.5), 20 * 1.5 ** 3);
    assertAllClose(vmap(grad(power))(np.array([1, 2])), [5, 80]);
    checkGrads(power, [np.array([0.7, -1.2])], { order: 2 });
  });
  it("the index is an int32 scalar", () => {
    const s = lax.foriLoop(
      0,
      4,
      (i: Array, acc: Array) => np.add(acc, i),
      np.array(0, { dtype: "int32" }),
    );
    equal(s.item(), 6);
    equal(s.dtype, "int32");
  });
  it("traced bounds run as a whileLoop (batched upper bound)", () => {
    const f = (n: Array) =>
      lax.foriLoop(0, n, (_i: Array, acc: Array) => np.add(acc, 2), np.array(0.0));
    assertAllClose(vmap(f)(np.array([1, 3, 0], { dtype: "int32" })), [2, 6, 0]);
  });
});

describe("scan and map", () => {
  const step = (c: Array, x: Array): [Array, Array] => {
    const s = np.add(np.multiply(c, 0.5), np.sin(x));
    return [s, np.multiply(s, x)];
  };
  const run = (xs: Array) => lax.scan(step, np.array(0.0), xs);
  const loop = (xs: number[]) => {
    let c = 0;
    const ys: number[] = [];
    for (const x of xs) {
      c = c * 0.5 + Math.sin(x);
      ys.push(c * x);
    }
    return [c, ys] as const;
  };
  const XS = [0.1, -0.4, 0.9, 0.3];
  it("matches a JavaScript loop", () => {
    const [c, ys] = run(np.array(XS));
    const [ec, eys] = loop(XS);
    assertAllClose(c, ec, { rtol: 1e-15 });
    assertAllClose(ys, eys, { rtol: 1e-15 });
  });
  it("reverse mode, forward mode and vmap", () => {
    checkGrads((xs: Array) => run(xs)[1], [np.array(XS)], { order: 2 });
    const J = jacrev((xs: Array) => run(xs)[0])(np.array(XS));
    deepEqual(J.shape, [4]);
    checkVmap((xs: Array) => run(xs)[1], [np.array([XS, XS.map((x) => x * 2)])]);
  });
  it("reverse, length without xs, tree carries, empty sequences", () => {
    const [, rev] = lax.scan(
      (c: Array, x: Array) => [np.add(c, x), np.add(c, x)],
      np.array(0.0),
      np.array([1, 2, 3]),
      {
        reverse: true,
      },
    );
    deepEqual(rev.tolist(), [6, 5, 3]);
    const [count] = lax.scan((c: Array) => [np.add(c, 1), null], np.array(0), null, { length: 5 });
    equal(count.item(), 5);
    const [tree] = lax.scan(
      (
        c: { a: Array; b: Array },
        x: Array,
      ) => [{ a: np.add(c.a, x), b: np.multiply(c.b, x) }, null],
      { a: np.array(0), b: np.array(1) },
      np.array([2, 3]),
    );
    deepEqual([tree.a.item(), tree.b.item()], [5, 6]);
    const [c0, ys0] = lax.scan(
      (c: Array, x: Array) => [c, np.stack([x, x])],
      np.array(1),
      np.zeros([0, 3]),
    );
    deepEqual([c0.item(), ys0.shape], [1, [0, 2, 3]]);
  });
  it("errors name the mismatch", () => {
    throws(
      () => lax.scan((c: Array, x: Array) => [c, x], np.array(0), [np.zeros([2]), np.zeros([3])]),
      /leading length/,
    );
    throws(
      () => lax.scan((c: Array, x: Array) => [np.stack([c, x]), x], np.array(0.0), np.zeros([2])),
      /float64\[\] but of the step's carry output is float64\[2\]/,
    );
    throws(() => lax.scan((c: Array) => [c, c], np.array(0)), /needs xs or a length/);
  });
  it("map", () => {
    deepEqual(lax.map(np.square, np.array([1, 2, 3])).tolist(), [1, 4, 9]);
    assertAllClose(grad((v: Array) => np.sum(lax.map(np.sin, v)))(np.array([0.0, 1.0])), [
      1,
      Math.cos(1),
    ]);
  });
});
