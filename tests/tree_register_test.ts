// tree.register (jax.tree_util.register_pytree_node): registered classes through the tree
// functions and the transformations, against JAX (tests/fixtures/tree_register/tree_register.json,
// made by make_tree_register_fixtures.py beside it), plus structure equality and bad input.
import { describe, it } from "node:test";
import { deepEqual, equal, notEqual, ok, throws } from "node:assert/strict";
import { readFileSync } from "node:fs";
import { Array, grad, jit, jvp, np, ShapeError, tree, valueAndGrad, vmap } from "../mod.ts";
import { assertAllClose } from "./_assert.ts";

const fx = JSON.parse(
  readFileSync(new URL("./fixtures/tree_register/tree_register.json", import.meta.url), "utf8"),
);

class Params {
  w: Array;
  b: Array;
  scale: number;
  constructor(w: Array, b: Array, scale: number) {
    this.w = w;
    this.b = b;
    this.scale = scale;
  }
}
tree.register(
  Params,
  (p: Params) => [[p.w, p.b], p.scale],
  (scale, [w, b]) => new Params(w as Array, b as Array, scale),
);

/** A node whose aux data is a plain object (compared structurally). */
class Tagged {
  x: unknown;
  meta: unknown;
  constructor(x: unknown, meta: unknown) {
    this.x = x;
    this.meta = meta;
  }
}
tree.register(Tagged, (t: Tagged) => [[t.x], t.meta], (meta, [x]) => new Tagged(x, meta));

const loss = (p: Params, x: Array) =>
  np.multiply(p.scale, np.sum(np.square(np.tanh(np.add(np.matmul(x, p.w), p.b)))));
const p0 = () => new Params(np.array(fx.w), np.array(fx.b), fx.scale);

describe("tree.register: tree functions", () => {
  it("flatten, unflatten, structure, leaves", () => {
    const p = new Params(np.array([1, 2]), np.array(3), 0.5);
    const [ls, def] = tree.flatten({ p, n: [4] });
    equal(ls.length, 3);
    equal(def.toString(), "{n: [*], p: Params[0.5](*, *)}");
    const back = tree.unflatten<{ p: Params; n: number[] }>(def, [10, 20, 30]);
    ok(back.p instanceof Params);
    deepEqual([back.n, back.p.w, back.p.b, back.p.scale], [[10], 20, 30, 0.5]);
    deepEqual(tree.leaves(new Tagged([1, 2], { k: "v" })), [1, 2]);
  });

  it("paths use the child index, as JAX's FlattenedIndexKey", () => {
    const [pairs] = tree.flattenWithPath({ p: p0() });
    deepEqual(pairs.map(([path]) => path), ["p[0]", "p[1]"]);
    // JAX prints the same keys as `['p'][<flat index 0>]`: the same indices, in the same order
    deepEqual(
      fx.paths.map((q: string) => Number(/\[<flat index (\d+)>\]$/.exec(q)![1])),
      [0, 1],
    );
  });

  it("map over several trees rebuilds instances", () => {
    const a = new Params(np.array([1, 2]), np.array(3), 2);
    const b = new Params(np.array([10, 20]), np.array(30), 2);
    const s = tree.map((u: Array, v: Array) => np.add(u, v), a, b);
    ok(s instanceof Params);
    deepEqual([s.w.tolist(), s.b.tolist(), s.scale], [[11, 22], 33, 2]);
    const other = new Params(np.array([1, 2]), np.array(3), 7);
    throws(() => tree.map(np.add, a, other), ShapeError);
    throws(() => tree.map(np.add, a, { w: 1, b: 2 }), ShapeError);
  });

  it("structures compare auxData structurally (arrays, plain objects) or by identity", () => {
    const s = (meta: unknown) => tree.structure(new Tagged(1, meta));
    ok(s({ a: [1, "x"], b: null }).equals(s({ b: null, a: [1, "x"] })));
    ok(!s({ a: 1 }).equals(s({ a: 2 })));
    ok(s(NaN).equals(s(NaN)));
    ok(!s(0).equals(s(-0)));
    ok(!s(null).equals(s(undefined)));
    const fn = () => 1;
    ok(s(fn).equals(s(fn)));
    ok(!s(fn).equals(s(() => 1)));
    ok(!s(new Map()).equals(s(new Map())));
    // the string (jit's cache key) is equal exactly when the structures are
    equal(s({ a: 1 }).toString(), s({ a: 1 }).toString());
    notEqual(s(fn).toString(), s(() => 1).toString());
    notEqual(s(0).toString(), s(-0).toString());
    notEqual(s(null).toString(), s(undefined).toString());
    ok(!s(1).equals(tree.structure([1])));
  });

  it("transpose through registered nodes", () => {
    const outer = tree.structure(new Tagged(0, "o"));
    const inner = tree.structure([0, 0]);
    const t = tree.transpose(outer, inner, new Tagged([1, 2], "o"));
    ok(t[0] instanceof Tagged && t[1] instanceof Tagged);
    deepEqual([t[0].x, t[1].x], [1, 2]);
    throws(() => tree.transpose(outer, inner, new Tagged([1, 2], "other")), ShapeError);
  });

  it("a registered node containing itself is caught", () => {
    const t = new Tagged(0, "self");
    t.x = t;
    throws(() => tree.flatten(t), /cannot contain itself/);
  });

  it("bad registrations and bad flatten results are clear errors", () => {
    throws(() => tree.register(Params, (p) => [[p.w], 0], () => p0()), /already registered/);
    // deno-lint-ignore no-explicit-any
    throws(() => tree.register((() => 1) as any, () => [[], 0], () => ({})), /constructor/);
    // deno-lint-ignore no-explicit-any
    throws(() => tree.register(5 as any, () => [[], 0], () => ({})), /constructor/);
    throws(() => tree.register(Object, () => [[], 0], () => ({})), /built into trees/);
    throws(() => tree.register(Array, () => [[], 0], () => np.array(0)), /built into trees/);
    class List extends globalThis.Array {}
    throws(() => tree.register(List, () => [[], 0], () => new List()), /built into trees/);
    class Bad {}
    // deno-lint-ignore no-explicit-any
    tree.register(Bad, (() => [1, 2, 3]) as any, () => new Bad());
    throws(() => tree.flatten(new Bad()), /flatten function of Bad must return \[children/);
    class Bad2 {}
    // deno-lint-ignore no-explicit-any
    throws(() => tree.register(Bad2, "no" as any, () => new Bad2()), /must be functions/);
  });

  it("lookup is by exact class: a subclass is a leaf until registered", () => {
    class Sub extends Tagged {}
    const s = new Sub(1, "m");
    deepEqual(tree.leaves(s), [s]);
  });
});

describe("tree.register: transformations", () => {
  it("grad of a loss over Params returns Params, as JAX", () => {
    const x = np.array(fx.x);
    const [v, g] = valueAndGrad(loss)(p0(), x);
    assertAllClose(v, fx.loss, { rtol: 1e-12 });
    ok(g instanceof Params);
    assertAllClose(g.w, fx.grad_w, { rtol: 1e-12 });
    assertAllClose(g.b, fx.grad_b, { rtol: 1e-12 });
    equal(g.scale, fx.grad_scale);
  });

  it("vmap over examples (Params unbatched) and over a stack of Params", () => {
    const x = np.array(fx.x);
    assertAllClose(vmap(loss, { inAxes: [null, 0] })(p0(), x), fx.per_example, { rtol: 1e-12 });
    const stacked = new Params(np.array(fx.ws), np.array(fx.bs), fx.scale);
    assertAllClose(vmap((p: Params) => loss(p, x))(stacked), fx.stacked, { rtol: 1e-12 });
    // an axis prefix cannot itself be a registered instance (one axis for the whole node)
    throws(
      () =>
        vmap((p: Params) => loss(p, x), { inAxes: [new Params(0 as never, 0 as never, 1)] })(
          stacked,
        ),
      /cannot hold an instance of class Params/,
    );
    // registered outputs of vmap are rebuilt
    const out = vmap((r: Array) => new Params(np.multiply(r, 2), r, 9))(np.array([1, 2]));
    ok(out instanceof Params);
    deepEqual([out.w.tolist(), out.b.tolist(), out.scale], [[2, 4], [1, 2], 9]);
  });

  it("jvp with Params primals and tangents", () => {
    const x = np.array(fx.x);
    const t = new Params(np.onesLike(np.array(fx.w)), np.zeros([2]), fx.scale);
    const [, dy] = jvp((p: Params) => loss(p, x), [p0()], [t]);
    const gw = np.array(fx.grad_w);
    assertAllClose(dy, np.sum(gw), { rtol: 1e-12 });
  });

  it("jit: Params in and out, cache keyed on auxData", () => {
    const f = jit((p: Params) => new Params(np.multiply(p.w, p.scale), p.b, p.scale + 1));
    const a = f(new Params(np.array([1, 2]), np.array(0), 2));
    ok(a instanceof Params);
    deepEqual([a.w.tolist(), a.scale], [[2, 4], 3]);
    f(new Params(np.array([5, 6]), np.array(1), 2));
    equal(f.traceCount, 1);
    const c = f(new Params(np.array([1, 2]), np.array(0), 3));
    deepEqual([c.w.tolist(), c.scale], [[3, 6], 4]);
    equal(f.traceCount, 2);
    const g = grad(jit((p: Params, x: Array) => loss(p, x)))(p0(), np.array(fx.x));
    ok(g instanceof Params);
    assertAllClose(g.w, fx.grad_w, { rtol: 1e-12 });
  });
});
