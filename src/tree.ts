/**
 * Trees: nested JS arrays and plain objects whose leaves are arrays, numbers
 * or booleans. Every transformation accepts and returns trees, so model
 * parameters can be `{ w1, b1, w2, b2 }`. `null` and `undefined` are empty
 * subtrees (no leaves), as `None` in JAX.
 *
 * @module
 */

import type { NdArray } from "./array/array.ts";

/** A leaf of a tree. */
export type Leaf = NdArray | number | boolean;
/** A tree of leaves. */
export type Tree =
  | Leaf
  | null
  | undefined
  | readonly Tree[]
  | { readonly [key: string]: Tree };

type Node =
  | { kind: "leaf" }
  | { kind: "none"; value: null | undefined }
  | { kind: "array"; children: Node[] }
  | { kind: "object"; keys: string[]; children: Node[] };

function isPlainObject(x: unknown): x is Record<string, unknown> {
  if (typeof x !== "object" || x === null) return false;
  const proto = Object.getPrototypeOf(x);
  return proto === Object.prototype || proto === null;
}

/**
 * The structure of a tree without its leaves; build one with {@linkcode structure}.
 *
 * @example Structures compare and print
 * ```ts
 * import { tree } from "@nabla/ad";
 * import { equal, ok } from "node:assert/strict";
 *
 * const def = tree.structure({ w: [1, 2], b: 3 });
 * equal(def.numLeaves, 3);
 * equal(def.toString(), "{b: *, w: [*, *]}");
 * ok(!def.equals(tree.structure([1, 2, 3])));
 * ```
 */
export class TreeDef {
  /** @internal */
  readonly node: Node;
  /** Number of leaves. */
  readonly numLeaves: number;
  /**
   * Wraps a structure; build one with {@linkcode structure} or {@linkcode flatten}.
   *
   * @param node The structure.
   * @param numLeaves Its number of leaves.
   */
  constructor(node: Node, numLeaves: number) {
    this.node = node;
    this.numLeaves = numLeaves;
  }
  /** Whether two structures are the same. */
  equals(other: TreeDef): boolean {
    return show(this.node) === show(other.node);
  }
  /** A compact description such as `{a: *, b: [*, *]}`. */
  toString(): string {
    return show(this.node);
  }
}

function show(n: Node): string {
  switch (n.kind) {
    case "leaf":
      return "*";
    case "none":
      return String(n.value);
    case "array":
      return `[${n.children.map(show).join(", ")}]`;
    case "object":
      return `{${n.keys.map((k, i) => `${k}: ${show(n.children[i])}`).join(", ")}}`;
  }
}

function build(x: unknown, leaves: unknown[]): Node {
  if (x === null || x === undefined) return { kind: "none", value: x };
  if (globalThis.Array.isArray(x)) {
    return {
      kind: "array",
      children: x.map((c) => build(c, leaves)),
    };
  }
  if (isPlainObject(x)) {
    const keys = Object.keys(x).sort();
    return { kind: "object", keys, children: keys.map((k) => build(x[k], leaves)) };
  }
  leaves.push(x);
  return { kind: "leaf" };
}

/**
 * Splits a tree into its leaves (depth first; object keys in sorted order, as
 * JAX sorts dict keys) and its structure.
 *
 * @example Flatten and rebuild
 * ```ts
 * import { np, tree } from "@nabla/ad";
 * import { deepEqual, equal } from "node:assert/strict";
 *
 * const [leaves, def] = tree.flatten({ b: [1, 2], a: 3 });
 * deepEqual(leaves, [3, 1, 2]);
 * equal(def.toString(), "{a: *, b: [*, *]}");
 * deepEqual(tree.unflatten(def, [30, 10, 20]), { a: 30, b: [10, 20] });
 * ```
 *
 * @param x The tree.
 * @returns Its leaves and its structure.
 */
export function flatten<T = unknown>(x: unknown): [T[], TreeDef] {
  const leaves: unknown[] = [];
  const node = build(x, leaves);
  return [leaves as T[], new TreeDef(node, leaves.length)];
}

/**
 * Builds a tree of the given structure from leaves.
 *
 * @example Rebuild
 * ```ts
 * import { tree } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(tree.unflatten(tree.structure([0, { x: 0 }]), [1, 2]), [1, { x: 2 }]);
 * ```
 *
 * @param def The structure.
 * @param leaves Exactly `def.numLeaves` leaves, in flatten order.
 * @returns The tree.
 */
export function unflatten<T = unknown>(def: TreeDef, leaves: readonly unknown[]): T {
  if (leaves.length !== def.numLeaves) {
    throw new TypeError(
      `Cannot unflatten ${leaves.length} leaves into a tree with ${def.numLeaves} leaves: ${def}`,
    );
  }
  let i = 0;
  const make = (n: Node): unknown => {
    switch (n.kind) {
      case "leaf":
        return leaves[i++];
      case "none":
        return n.value;
      case "array":
        return n.children.map(make);
      case "object": {
        const out: Record<string, unknown> = {};
        n.keys.forEach((k, j) => (out[k] = make(n.children[j])));
        return out;
      }
    }
  };
  return make(def.node) as T;
}

/**
 * The leaves of a tree, in flatten order.
 *
 * @example Leaves of parameters
 * ```ts
 * import { tree } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(tree.leaves({ w: 1, b: [2, 3] }), [2, 3, 1]);
 * ```
 *
 * @param x The tree.
 * @returns Its leaves.
 */
export function leaves<T = unknown>(x: unknown): T[] {
  return flatten<T>(x)[0];
}

/**
 * The structure of a tree.
 *
 * @example Comparing structures
 * ```ts
 * import { tree } from "@nabla/ad";
 * import { ok } from "node:assert/strict";
 *
 * ok(tree.structure({ a: 1, b: 2 }).equals(tree.structure({ b: 5, a: 6 })));
 * ```
 *
 * @param x The tree.
 * @returns Its structure.
 */
export function structure(x: unknown): TreeDef {
  return flatten(x)[1];
}

/**
 * Applies `f` to every leaf of `x` (and the matching leaves of `rest`, which
 * must have the same structure), returning a tree of the same structure.
 *
 * @example Scaling parameters
 * ```ts
 * import { np, tree } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * const params = { w: np.array([1, 2]), b: 3 };
 * const doubled = tree.map((p) => np.multiply(p, 2), params);
 * deepEqual(doubled.w.tolist(), [2, 4]);
 * deepEqual(doubled.b.tolist(), 6);
 * ```
 *
 * @param f The function applied to each leaf (with the matching leaves of `rest`).
 * @param x The tree.
 * @param rest More trees with the same structure.
 * @returns A tree of `f`'s results.
 */
export function map<R = unknown>(
  // deno-lint-ignore no-explicit-any
  f: (...leaves: any[]) => R,
  x: unknown,
  ...rest: unknown[]
): MapResult<R> {
  const [xs, def] = flatten(x);
  const others = rest.map((r) => {
    const [ls, d] = flatten(r);
    if (!d.equals(def)) {
      throw new TypeError(`Cannot map over trees of different structures: ${def} and ${d}`);
    }
    return ls;
  });
  return unflatten(def, xs.map((leaf, i) => f(leaf, ...others.map((o) => o[i]))));
}

/** The result type of {@linkcode map}: loosely typed, since the structure is dynamic. */
// deno-lint-ignore no-explicit-any
export type MapResult<_R> = any;
