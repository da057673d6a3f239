// tree paths (flattenWithPath, mapWithPath, paths) and ShapeError: the class thrown by shape and
// tree-structure mismatches, a TypeError whose messages are unchanged.
import { describe, it } from "node:test";
import { deepEqual, equal, ok, throws } from "node:assert/strict";
import { grad, jvp, np, ShapeError, tree, vjp, vmap } from "../mod.ts";

describe("tree paths", () => {
  it("names leaves as keys joined by dots and list indices in brackets, in flatten order", () => {
    const t = { w1: 1, layers: [{ w: 2, b: 3 }, [4, { z: 5 }]], b1: null, "": 6, "0": 7 };
    const [pairs, def] = tree.flattenWithPath(t);
    deepEqual(pairs, [
      ['[""]', 6],
      ['["0"]', 7],
      ["layers[0].b", 3],
      ["layers[0].w", 2],
      ["layers[1][0]", 4],
      ["layers[1][1].z", 5],
      ["w1", 1],
    ]);
    deepEqual(pairs.map(([, l]) => l), tree.leaves(t));
    ok(def.equals(tree.structure(t)));
    deepEqual(tree.paths(def), pairs.map(([p]) => p));
  });

  it("quotes keys that are not identifiers as JSON strings, so paths read back", () => {
    const t = { "two words": { 'say "hi"': 1, $ok: 2, _x9: 3 }, "a.b": 4, "x[0]": 5 };
    const ps = tree.flattenWithPath(t)[0].map(([p]) => p);
    deepEqual(ps, [
      '["a.b"]',
      '["two words"].$ok',
      '["two words"]._x9',
      '["two words"]["say \\"hi\\""]',
      '["x[0]"]',
    ]);
    equal(new Set(ps).size, ps.length);
  });

  it("gives the root leaf the empty path and a tree without leaves no pairs", () => {
    deepEqual(tree.flattenWithPath(np.array(1))[0].map(([p]) => p), [""]);
    deepEqual(tree.flattenWithPath({ a: null, b: [] })[0], []);
  });

  it("mapWithPath passes each path with the matching leaves of every tree", () => {
    const a = { w: [1, 2], b: 3 };
    const b = { w: [10, 20], b: 30 };
    deepEqual(tree.mapWithPath((p: string, x: number, y: number) => `${p}=${x + y}`, a, b), {
      w: ["w[0]=11", "w[1]=22"],
      b: "b=33",
    });
    throws(() => tree.mapWithPath((_p: string, x: number) => x, a, { w: [1], b: 2 }), ShapeError);
  });
});

describe("ShapeError", () => {
  const isShapeError = (re: RegExp) => (e: unknown) =>
    e instanceof ShapeError && e instanceof TypeError && e.name === "ShapeError" &&
    re.test(e.message);

  it("is thrown by broadcasting failures, with the operation and both shapes", () => {
    try {
      np.multiply(np.zeros([2, 3]), np.zeros([2]));
      ok(false, "no error");
    } catch (e) {
      ok(e instanceof ShapeError);
      equal(e.message, "Cannot broadcast shapes [2,3] and [2]: dimension 1 differs (3 vs 2)");
      equal(e.op, "broadcast");
      deepEqual(e.shapes, [[2, 3], [2]]);
    }
    throws(() => np.broadcastTo(np.zeros([3]), [2, 4]), isShapeError(/Cannot broadcast an array/));
  });

  it("is thrown by reshape, concatenate, stack and matmul mismatches", () => {
    throws(
      () => np.zeros([2, 3]).reshape([4]),
      isShapeError(/Cannot reshape array of shape \[2,3\]/),
    );
    throws(() => np.concatenate([np.zeros([2]), np.zeros([2, 2])]), isShapeError(/concatenate/));
    throws(() => np.stack([np.zeros([2]), np.zeros([3])]), isShapeError(/Cannot stack/));
    throws(() => np.matmul(np.zeros([2, 3]), np.zeros([2, 3])), isShapeError(/contracted/));
  });

  it("is thrown by tree-structure mismatches in tree.map and the transformations", () => {
    throws(
      () => tree.map((x: number, y: number) => x + y, [1, 2], [1]),
      isShapeError(/structures/),
    );
    throws(() => tree.unflatten(tree.structure([1, 2]), [1]), isShapeError(/unflatten/));
    throws(() => jvp(np.sin, [1], [[1, 2]]), isShapeError(/same structure/));
    const [, pullback] = vjp((x: unknown) => [x, x], [1]);
    throws(() => pullback([1]), isShapeError(/cotangent must have the structure/));
    throws(
      () => vmap((x: unknown) => x)(np.zeros([2]), np.zeros([3])),
      isShapeError(/inconsistent sizes/),
    );
  });

  it("is thrown by shape mismatches of cotangents, tangents, index arrays and sampling", () => {
    const [, pullback] = vjp(np.sin, [np.zeros([2])]);
    throws(() => pullback(np.zeros([3])), isShapeError(/cotangent shape \[3\] does not match/));
    throws(() => np.zeros([3, 3]).get([0, 1], [0, 1, 2]), isShapeError(/index arrays/));
    throws(
      () => vmap((a: unknown, _b: unknown) => a, { inAxes: [0] })(np.zeros([2]), np.zeros([2])),
      isShapeError(/inAxes has 1 entries/),
    );
  });

  it("leaves other errors alone", () => {
    throws(
      () => grad((_x: unknown) => np.zeros([2]))(1),
      (e: unknown) => !(e instanceof ShapeError),
    );
    throws(() => np.sum(np.zeros([2]), 5), (e: unknown) => !(e instanceof ShapeError));
  });
});
