// tree.reduce, tree.all and tree.transpose against jax.tree (tests/fixtures/tree/tree.json, made by
// make_tree_fixtures.py beside it), plus array leaves, under transformations, and bad structures.
import { describe, it } from "node:test";
import { deepEqual, equal, ok, throws } from "node:assert/strict";
import { readFileSync } from "node:fs";
import { type Array, grad, np, ShapeError, tree, vmap } from "../mod.ts";
import { assertAllClose } from "./_assert.ts";

const fx = JSON.parse(
  readFileSync(new URL("./fixtures/tree/tree.json", import.meta.url), "utf8"),
) as {
  reduce: Record<string, { tree: unknown; op: "add" | "cat"; init?: number; value: number }>;
  all: Record<string, { tree: unknown; value: boolean }>;
  transpose: Record<string, { outer: unknown; inner: unknown; tree: unknown; value: unknown }>;
};

const ops = {
  add: (a: number, b: number) => a + b,
  cat: (a: number, b: number) => a * 10 + b,
};

describe("tree.reduce", () => {
  for (const [name, c] of Object.entries(fx.reduce)) {
    it(`matches jax.tree.reduce: ${name}`, () => {
      const got = c.init === undefined
        ? tree.reduce(ops[c.op], c.tree)
        : tree.reduce(ops[c.op], c.tree, c.init);
      equal(got, c.value);
    });
  }

  it("needs an initializer for a tree with no leaves, and takes an explicit undefined as one", () => {
    throws(() => tree.reduce(ops.add, [null, {}]), /no leaves needs an initializer/);
    equal(tree.reduce((a: unknown) => a, [], undefined), undefined);
    throws(() => tree.reduce(3 as never, [1]), /f must be a function/);
  });

  it("folds array leaves and is differentiable and batchable", () => {
    const params = { w: np.array([1, 2, 3]), b: np.array(0.5) };
    const sq = (p: { w: Array; b: Array }) =>
      tree.reduce((acc: Array, l: Array) => np.add(acc, np.sum(np.square(l))), p, np.array(0));
    equal(sq(params).item(), 14.25);
    const g = grad(sq)(params);
    assertAllClose(g.w, np.array([2, 4, 6]));
    assertAllClose(g.b, np.array(1));
    const batched = vmap((w: Array) => sq({ w, b: np.array(1) }))(np.array([[1, 1, 1], [0, 0, 2]]));
    assertAllClose(batched, np.array([4, 5]));
  });
});

describe("tree.all", () => {
  for (const [name, c] of Object.entries(fx.all)) {
    it(`matches jax.tree.all: ${name}`, () => equal(tree.all(c.tree), c.value));
  }

  it("reads one-element arrays and refuses larger ones, as Python's bool", () => {
    equal(tree.all({ a: np.array(true), b: np.array([1]) }), true);
    equal(tree.all({ a: np.array(true), b: np.array([[0]]) }), false);
    throws(() => tree.all([np.array([true, true])]), /ambiguous \(leaf 0, shape \[2\]\)/);
  });
});

describe("tree.transpose", () => {
  for (const [name, c] of Object.entries(fx.transpose)) {
    it(`matches jax.tree.transpose: ${name}`, () => {
      const outer = tree.structure(c.outer), inner = tree.structure(c.inner);
      deepEqual(tree.transpose(outer, inner, c.tree), c.value);
      deepEqual(tree.transpose(outer, null, c.tree), c.value);
      // transposing back gives the input
      deepEqual(tree.transpose(inner, outer, tree.transpose(outer, inner, c.tree)), c.tree);
    });
  }

  it("moves array leaves without copying them", () => {
    const a = np.array([1, 2]), b = np.array(3);
    const out = tree.transpose(tree.structure([0, 0]), tree.structure({ m: 0 }), [{ m: a }, {
      m: b,
    }]);
    ok(out.m[0] === a && out.m[1] === b);
  });

  it("throws ShapeError on structures that do not fit", () => {
    const outer = tree.structure([0, 0]), inner = tree.structure({ x: 0, y: 0 });
    const bad: [unknown, RegExp][] = [
      [[{ x: 1, y: 2 }], /outer structure \[\*, \*\]: got \[\{x: \*, y: \*\}\]/],
      [{ a: 1, b: 2 }, /outer structure/],
      [[{ x: 1, y: 2 }, { x: 3 }], /outer leaf 1 \(\[1\]\) has structure \{x: \*\}/],
      [[{ x: 1, y: 2 }, { x: 3, y: [4, 5] }], /expected the inner structure \{x: \*, y: \*\}/],
    ];
    for (const [t, re] of bad) {
      throws(() => tree.transpose(outer, inner, t), (e: unknown) => {
        ok(e instanceof ShapeError, String(e));
        equal(e.op, "tree.transpose");
        ok(re.test(e.message), e.message);
        return true;
      });
    }
    throws(() => tree.transpose(tree.structure([]), null, []), /cannot infer the inner/);
    deepEqual(tree.transpose(tree.structure([]), tree.structure([0, 0]), []), [[], []]);
    throws(() => tree.transpose([0] as never, null, [1]), /outer must be a TreeDef/);
  });
});
