/**
 * Trees: nested JS arrays, plain objects and instances of classes made tree
 * nodes with {@linkcode register}, whose leaves are arrays, numbers or booleans. Every transformation accepts and returns trees, so model
 * parameters can be `{ w1, b1, w2, b2 }`. `null` and `undefined` are empty
 * subtrees (no leaves), as `None` in JAX.
 *
 * @module
 */

import { NdArray } from "./array/array.ts";
import { ShapeError } from "./array/shape.ts";

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
  | { kind: "object"; keys: string[]; children: Node[] }
  | { kind: "custom"; entry: Registered; aux: unknown; children: Node[] };

/** A class registered with {@linkcode register}. */
interface Registered {
  cls: abstract new (...args: never[]) => unknown;
  /** The class name as printed, made unique among registered classes. */
  name: string;
  flatten: (x: never) => readonly [readonly unknown[], unknown];
  unflatten: (aux: never, children: unknown[]) => unknown;
}

/** Registered classes by prototype: exact-class lookup, as JAX's registry (subclasses are not nodes). */
const registry = new Map<object, Registered>();
const registeredNames = new Set<string>();

/** The registration of `x`'s class, if any. */
function registeredOf(x: unknown): Registered | undefined {
  if (typeof x !== "object" || x === null || registry.size === 0) return undefined;
  return registry.get(Object.getPrototypeOf(x));
}

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
    return this.numLeaves === other.numLeaves && sameNode(this.node, other.node);
  }
  /** A compact description such as `{a: *, b: [*, *]}`. */
  toString(): string {
    return show(this.node);
  }
}

/** Structural equality (keys compared as strings, never through printing). */
function sameNode(a: Node, b: Node): boolean {
  if (a.kind !== b.kind) return false;
  switch (a.kind) {
    case "leaf":
      return true;
    case "none":
      return a.value === (b as typeof a).value;
    case "array": {
      const bc = (b as typeof a).children;
      return a.children.length === bc.length && a.children.every((c, i) => sameNode(c, bc[i]));
    }
    case "object": {
      const o = b as typeof a;
      return a.keys.length === o.keys.length &&
        a.keys.every((k, i) => k === o.keys[i] && sameNode(a.children[i], o.children[i]));
    }
    case "custom": {
      const o = b as typeof a;
      return a.entry === o.entry && sameAux(a.aux, o.aux, 0) &&
        a.children.length === o.children.length &&
        a.children.every((c, i) => sameNode(c, o.children[i]));
    }
  }
}

/**
 * Equality of auxiliary data: JS arrays and plain objects compare
 * structurally (keys in any order), numbers/strings/booleans/bigints/null/
 * undefined by `Object.is` (so `NaN` equals `NaN` and `-0` differs from `0`),
 * and every other value (class instances, functions, symbols) by identity.
 */
function sameAux(a: unknown, b: unknown, depth: number): boolean {
  if (Object.is(a, b)) return true;
  if (depth > MAX_DEPTH) throw cyclicAux();
  if (globalThis.Array.isArray(a)) {
    return globalThis.Array.isArray(b) && a.length === b.length &&
      a.every((v, i) => sameAux(v, b[i], depth + 1));
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const ka = Object.keys(a).sort();
    const kb = Object.keys(b).sort();
    return ka.length === kb.length &&
      ka.every((k, i) => k === kb[i] && sameAux(a[k], b[k], depth + 1));
  }
  return false;
}

function cyclicAux(): TypeError {
  return new TypeError(
    `tree.register: auxiliary data nests arrays or objects deeper than ${MAX_DEPTH} levels (a cycle?)`,
  );
}

const auxIds = new WeakMap<object, number>();
const symbolIds = new Map<symbol, number>();
let nextAuxId = 1;

/**
 * Auxiliary data as printed: two auxiliary data print the same exactly when
 * they are equal under `sameAux` (values compared by identity print as `<name#id>`),
 * so a structure's string can key a cache (as `jit`'s).
 */
function showAux(x: unknown, depth: number): string {
  if (depth > MAX_DEPTH) throw cyclicAux();
  if (x === undefined || x === null || typeof x === "boolean") return String(x);
  if (typeof x === "number") return Object.is(x, -0) ? "-0" : String(x);
  if (typeof x === "string") return JSON.stringify(x);
  if (typeof x === "bigint") return `${x}n`;
  if (globalThis.Array.isArray(x)) return `[${x.map((v) => showAux(v, depth + 1)).join(", ")}]`;
  if (isPlainObject(x)) {
    const keys = Object.keys(x).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}: ${showAux(x[k], depth + 1)}`).join(", ")}}`;
  }
  if (typeof x === "symbol") {
    let id = symbolIds.get(x);
    if (id === undefined) symbolIds.set(x, id = nextAuxId++);
    return `<${String(x)}#${id}>`;
  }
  const o = x as object;
  let id = auxIds.get(o);
  if (id === undefined) auxIds.set(o, id = nextAuxId++);
  const name = typeof o === "function" ? "function" : (o.constructor?.name ?? "object");
  return `<${name}#${id}>`;
}

/** A key as printed: bare when it is an identifier, else quoted. */
function showKey(k: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(k) ? k : JSON.stringify(k);
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
      return `{${n.keys.map((k, i) => `${showKey(k)}: ${show(n.children[i])}`).join(", ")}}`;
    case "custom":
      return `${n.entry.name}${n.aux === undefined ? "" : `[${showAux(n.aux, 0)}]`}(${
        n.children.map(show).join(", ")
      })`;
  }
}

/** Deeper than this, a tree is taken to contain itself (a cycle), which would never end. */
const MAX_DEPTH = 1000;

function build(x: unknown, leaves: unknown[], depth: number): Node {
  if (x === null || x === undefined) return { kind: "none", value: x };
  const isArray = globalThis.Array.isArray(x);
  if (isArray || isPlainObject(x)) {
    if (depth > MAX_DEPTH) {
      throw new TypeError(
        `A tree cannot contain itself: this one nests arrays or objects deeper than ${MAX_DEPTH} levels (a cycle?)`,
      );
    }
    if (isArray) {
      return { kind: "array", children: (x as unknown[]).map((c) => build(c, leaves, depth + 1)) };
    }
    const obj = x as Record<string, unknown>;
    const keys = Object.keys(obj).sort();
    return { kind: "object", keys, children: keys.map((k) => build(obj[k], leaves, depth + 1)) };
  }
  const entry = registeredOf(x);
  if (entry !== undefined) {
    if (depth > MAX_DEPTH) {
      throw new TypeError(
        `A tree cannot contain itself: this one nests registered ${entry.name} nodes deeper than ${MAX_DEPTH} levels (a cycle?)`,
      );
    }
    const [children, aux] = flattenRegistered(entry, x);
    return {
      kind: "custom",
      entry,
      aux,
      children: children.map((c) => build(c, leaves, depth + 1)),
    };
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
  const node = build(x, leaves, 0);
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
    throw new ShapeError(
      `Cannot unflatten ${leaves.length} leaves into a tree with ${def.numLeaves} leaves: ${def}`,
      { op: "tree.unflatten" },
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
        n.keys.forEach((k, j) => {
          const v = make(n.children[j]);
          // an own "__proto__" key (from JSON.parse) stays a key: assignment would replace the prototype
          if (k === "__proto__") {
            Object.defineProperty(out, k, {
              value: v,
              enumerable: true,
              writable: true,
              configurable: true,
            });
          } else out[k] = v;
        });
        return out;
      }
      case "custom":
        return n.entry.unflatten(n.aux as never, n.children.map(make));
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
  const others = rest.map((r) => leavesMatching(def, r));
  return unflatten(def, xs.map((leaf, i) => f(leaf, ...others.map((o) => o[i]))));
}

/**
 * A key of a path: the key of an object, bare when it is an identifier
 * (`w1`, joined by `.`), else quoted JSON-style in brackets (`["two words"]`,
 * `["0"]`), so every path reads back unambiguously; list indices are `[i]`.
 */
function pathStep(prefix: string, key: string | number): string {
  if (typeof key === "number") return `${prefix}[${key}]`;
  if (/^[A-Za-z_$][\w$]*$/.test(key)) return prefix === "" ? key : `${prefix}.${key}`;
  return `${prefix}[${JSON.stringify(key)}]`;
}

function pathsOf(n: Node, prefix: string, out: string[]): void {
  switch (n.kind) {
    case "leaf":
      out.push(prefix);
      return;
    case "none":
      return;
    case "array":
      n.children.forEach((c, i) => pathsOf(c, pathStep(prefix, i), out));
      return;
    case "object":
      n.keys.forEach((k, i) => pathsOf(n.children[i], pathStep(prefix, k), out));
      return;
    case "custom":
      n.children.forEach((c, i) => pathsOf(c, pathStep(prefix, i), out));
      return;
  }
}

/**
 * The path of every leaf of a structure, in flatten order (see
 * {@linkcode flattenWithPath} for the format).
 *
 * @example Paths of a structure
 * ```ts
 * import { tree } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(tree.paths(tree.structure({ w: [1, 2], "a b": 3 })), ['["a b"]', "w[0]", "w[1]"]);
 * ```
 *
 * @param def The structure.
 * @returns The paths, one per leaf.
 */
export function paths(def: TreeDef): string[] {
  const out: string[] = [];
  pathsOf(def.node, "", out);
  return out;
}

/**
 * Splits a tree into `[path, leaf]` pairs and its structure, as
 * `jax.tree_util.tree_flatten_with_path` (leaves in {@linkcode flatten}'s
 * order: object keys sorted). A path names the way from the root to a leaf:
 * object keys joined by `.` (`"layers[0].b"`), list indices as `[i]`; a key
 * that is not an identifier is quoted as a JSON string in brackets
 * (`'blocks["two words"]'`, `'["0"]'`), and the root leaf's path is `""`.
 *
 * @example Parameter paths
 * ```ts
 * import { tree } from "@nabla/ad";
 * import { deepEqual, equal } from "node:assert/strict";
 *
 * const params = { w1: 1, layers: [{ b: 2, w: 3 }], "log-scale": 4 };
 * const [pairs, def] = tree.flattenWithPath(params);
 * deepEqual(pairs, [["layers[0].b", 2], ["layers[0].w", 3], ['["log-scale"]', 4], ["w1", 1]]);
 * equal(def.numLeaves, 4);
 * ```
 *
 * @param x The tree.
 * @returns Its `[path, leaf]` pairs and its structure.
 */
export function flattenWithPath<T = Leaf>(
  x: unknown,
): [Array<[path: string, leaf: T]>, TreeDef] {
  const [ls, def] = flatten<T>(x);
  const ps = paths(def);
  return [ls.map((l, i) => [ps[i], l]), def];
}

/**
 * Like {@linkcode map}, with each leaf's path as `f`'s first argument (as
 * `jax.tree_util.tree_map_with_path`; paths as in {@linkcode flattenWithPath}).
 *
 * @example Weight decay on weights only
 * ```ts
 * import { np, tree } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * const params = { w: np.array([1, 2]), b: np.array([1]) };
 * const decayed = tree.mapWithPath(
 *   (path, p) => path === "b" ? p : np.multiply(p, 0.5),
 *   params,
 * );
 * deepEqual([decayed.w.tolist(), decayed.b.tolist()], [[0.5, 1], [1]]);
 * ```
 *
 * @param f The function applied to each leaf's path, the leaf and the matching leaves of `rest`.
 * @param x The tree.
 * @param rest More trees with the same structure.
 * @returns A tree of `f`'s results.
 */
export function mapWithPath<R = unknown>(
  // deno-lint-ignore no-explicit-any
  f: (path: string, ...leaves: any[]) => R,
  x: unknown,
  ...rest: unknown[]
): MapResult<R> {
  const [xs, def] = flatten(x);
  const others = rest.map((r) => leavesMatching(def, r));
  const ps = paths(def);
  return unflatten(def, xs.map((leaf, i) => f(ps[i], leaf, ...others.map((o) => o[i]))));
}

/** The leaves of `r`, which must have the structure `def`. */
function leavesMatching(def: TreeDef, r: unknown): unknown[] {
  const [ls, d] = flatten(r);
  if (!d.equals(def)) {
    throw new ShapeError(`Cannot map over trees of different structures: ${def} and ${d}`, {
      op: "tree.map",
    });
  }
  return ls;
}

/** The result type of {@linkcode map}: loosely typed, since the structure is dynamic. */
// deno-lint-ignore no-explicit-any
export type MapResult<_R> = any;

/**
 * Folds `f` over the leaves of a tree in flatten order, as `jax.tree.reduce`
 * (Python's `functools.reduce` over `jax.tree.leaves`): `f(f(init, l0), l1)…`,
 * or from the first leaf when no `initializer` is given.
 *
 * @example Counting parameters
 * ```ts
 * import { type Array, np, tree } from "@nabla/ad";
 * import { equal } from "node:assert/strict";
 *
 * const params = { w: np.zeros([3, 4]), b: np.zeros([4]) };
 * equal(tree.reduce((n: number, p: Array) => n + p.size, params, 0), 16);
 * equal(tree.reduce((a: number, b: number) => Math.max(a, b), [3, [7, 2]]), 7);
 * ```
 *
 * @param f The reducer: `(accumulated, leaf) => accumulated`.
 * @param x The tree.
 * @param initializer The starting value (default: the first leaf; then the tree must have a leaf).
 * @returns The reduced value.
 */
export function reduce<T = unknown>(
  // deno-lint-ignore no-explicit-any
  f: (accumulated: T, leaf: any) => T,
  x: unknown,
  initializer?: T,
): T {
  if (typeof f !== "function") {
    throw new TypeError(`tree.reduce: f must be a function: got ${typeof f}`);
  }
  const ls = leaves(x);
  // An explicit `undefined` initializer is a value, as in Python's reduce(f, xs, None).
  const hasInit = arguments.length >= 3;
  if (!hasInit && ls.length === 0) {
    throw new TypeError(
      `tree.reduce of a tree with no leaves needs an initializer: got ${structure(x)}`,
    );
  }
  let acc = (hasInit ? initializer : ls[0]) as T;
  for (let i = hasInit ? 0 : 1; i < ls.length; i++) acc = f(acc, ls[i]);
  return acc;
}

/** A leaf's truth value, as Python's `bool` (an array must have exactly one element). */
function truthy(leaf: unknown, i: number): boolean {
  if (typeof leaf === "boolean" || typeof leaf === "number") return Boolean(leaf);
  const a = leaf as { size?: unknown; item?: () => unknown; shape?: unknown };
  if (typeof a === "object" && a !== null && typeof a.item === "function") {
    if (a.size !== 1) {
      throw new TypeError(
        `tree.all: the truth value of an array with ${a.size} elements is ambiguous (leaf ${i}, shape [${a.shape}]); reduce it with np.all or np.any first`,
      );
    }
    const v = a.item();
    return typeof v === "object" && v !== null
      ? (v as { re: number; im: number }).re !== 0 || (v as { re: number; im: number }).im !== 0
      : Boolean(v);
  }
  return Boolean(leaf);
}

/**
 * Whether every leaf of a tree is true, as `jax.tree.all` (Python's `all`
 * over the leaves: `true` for a tree with no leaves). Array leaves must have
 * one element, as Python's `bool` of an array.
 *
 * @example All finite
 * ```ts
 * import { type Array, np, tree } from "@nabla/ad";
 * import { equal } from "node:assert/strict";
 *
 * const params = { w: np.array([1, 2]), b: np.array([Infinity]) };
 * equal(tree.all(tree.map((p: Array) => np.all(np.isfinite(p)), params)), false);
 * equal(tree.all([true, { a: 1 }]), true);
 * equal(tree.all([]), true);
 * ```
 *
 * @param x The tree.
 * @returns Whether all leaves are true.
 */
export function all(x: unknown): boolean {
  const ls = leaves(x);
  for (let i = 0; i < ls.length; i++) if (!truthy(ls[i], i)) return false;
  return true;
}

/** The subtrees of `x` at the leaves of `outer` (JAX's `flatten_up_to`); bad structure throws. */
function flattenUpTo(outer: Node, x: unknown, out: unknown[], op: string, whole: TreeDef): void {
  const bad = (): never => {
    throw new ShapeError(
      `${op}: the tree does not have the outer structure ${whole}: got ${
        structure(x)
      } where the outer structure has ${show(outer)}`,
      { op },
    );
  };
  switch (outer.kind) {
    case "leaf":
      out.push(x);
      return;
    case "none":
      if (x !== outer.value) bad();
      return;
    case "array":
      if (!globalThis.Array.isArray(x) || x.length !== outer.children.length) bad();
      outer.children.forEach((c, i) => flattenUpTo(c, (x as unknown[])[i], out, op, whole));
      return;
    case "object": {
      if (!isPlainObject(x)) bad();
      const keys = Object.keys(x as object).sort();
      if (keys.length !== outer.keys.length || keys.some((k, i) => k !== outer.keys[i])) bad();
      outer.keys.forEach((k, i) =>
        flattenUpTo(outer.children[i], (x as Record<string, unknown>)[k], out, op, whole)
      );
      return;
    }
    case "custom": {
      if (registeredOf(x) !== outer.entry) bad();
      const [children, aux] = flattenRegistered(outer.entry, x);
      if (children.length !== outer.children.length || !sameAux(aux, outer.aux, 0)) bad();
      outer.children.forEach((c, i) => flattenUpTo(c, children[i], out, op, whole));
      return;
    }
  }
}

/**
 * Transposes a tree of structure `outer` whose leaves are trees of
 * structure `inner` into a tree of structure `inner` whose leaves are trees
 * of structure `outer`, as `jax.tree.transpose` (a list of pairs into a pair
 * of lists). With `inner` `null`, it is the structure of the first subtree.
 *
 * @example A list of dicts into a dict of lists
 * ```ts
 * import { tree } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * const rows = [{ x: 1, y: 2 }, { x: 3, y: 4 }, { x: 5, y: 6 }];
 * const outer = tree.structure([0, 0, 0]);
 * const inner = tree.structure({ x: 0, y: 0 });
 * deepEqual(tree.transpose(outer, inner, rows), { x: [1, 3, 5], y: [2, 4, 6] });
 * deepEqual(tree.transpose(outer, null, rows), { x: [1, 3, 5], y: [2, 4, 6] });
 * ```
 *
 * @param outer The outer structure (of the input).
 * @param inner The inner structure (of each subtree at an outer leaf), or `null` to infer it.
 * @param x The tree to transpose.
 * @returns The transposed tree.
 */
// deno-lint-ignore no-explicit-any
export function transpose(outer: TreeDef, inner: TreeDef | null, x: unknown): any {
  if (!(outer instanceof TreeDef)) {
    throw new TypeError(`tree.transpose: outer must be a TreeDef (from tree.structure)`);
  }
  if (inner !== null && inner !== undefined && !(inner instanceof TreeDef)) {
    throw new TypeError(`tree.transpose: inner must be a TreeDef (from tree.structure) or null`);
  }
  const subtrees: unknown[] = [];
  flattenUpTo(outer.node, x, subtrees, "tree.transpose", outer);
  if (inner === null || inner === undefined) {
    if (subtrees.length === 0) {
      throw new ShapeError(
        `tree.transpose: cannot infer the inner structure of a tree with no outer leaves (${outer}); pass it`,
        { op: "tree.transpose" },
      );
    }
    inner = structure(subtrees[0]);
  }
  const innerDef = inner;
  const rows = subtrees.map((s, i) => {
    const [ls, d] = flatten(s);
    if (!d.equals(innerDef)) {
      throw new ShapeError(
        `tree.transpose: the subtree at outer leaf ${i} (${
          paths(outer)[i] || "the root"
        }) has structure ${d}, expected the inner structure ${innerDef}`,
        { op: "tree.transpose" },
      );
    }
    return ls;
  });
  const columns = globalThis.Array.from(
    { length: innerDef.numLeaves },
    (_, j) => unflatten(outer, rows.map((r) => r[j])),
  );
  return unflatten(innerDef, columns);
}

/** Runs a registered class's `flatten`, checking it returns `[children, auxData]`. */
function flattenRegistered(entry: Registered, x: unknown): [readonly unknown[], unknown] {
  const r = entry.flatten(x as never);
  if (!globalThis.Array.isArray(r) || r.length !== 2 || !globalThis.Array.isArray(r[0])) {
    throw new TypeError(
      `tree.register: the flatten function of ${entry.name} must return [children (an array), auxData]: got ${
        globalThis.Array.isArray(r) ? `an array of length ${r.length}` : typeof r
      }`,
    );
  }
  return [r[0], r[1]];
}

/**
 * Makes instances of a class tree nodes, as
 * `jax.tree_util.register_pytree_node`: `flatten(x)` returns
 * `[children, auxData]` (children: an array of subtrees, flattened in order;
 * auxData: static data kept in the structure), and `unflatten(auxData,
 * children)` rebuilds an instance. Then `flatten`/`unflatten`/`map`/`leaves`/
 * `structure`/`flattenWithPath` and every transformation (`grad`, `vmap`,
 * `jvp`, `jit` …) see through instances; a child's path step is its index,
 * `[i]` (JAX's `FlattenedIndexKey`).
 *
 * Lookup is by exact class (a subclass must be registered itself), as in
 * JAX. Two structures are equal when their classes are the same and their
 * auxiliary data are equal: JS arrays and plain objects structurally, other
 * primitives by `Object.is`, and any other value (a class instance, a
 * function) by identity (`===`); the structure's string (which keys `jit`'s
 * cache) prints auxData the same way. Registering a class twice, or
 * something that is not a class (a constructor), throws.
 *
 * @example Parameters as a class
 * ```ts
 * import { type Array, grad, np, tree } from "@nabla/ad";
 * import { deepEqual, equal, ok } from "node:assert/strict";
 *
 * class Linear {
 *   w: Array;
 *   b: Array;
 *   constructor(w: Array, b: Array) {
 *     this.w = w;
 *     this.b = b;
 *   }
 * }
 * tree.register(Linear, (p: Linear) => [[p.w, p.b], undefined], (_aux, [w, b]) => new Linear(w as Array, b as Array));
 *
 * const p = new Linear(np.array([1, 2]), np.array(3));
 * equal(tree.structure(p).toString(), "Linear(*, *)");
 * deepEqual(tree.flattenWithPath(p)[0].map(([path]) => path), ["[0]", "[1]"]);
 * const g = grad((q: Linear) => np.sum(np.add(np.square(q.w), q.b)))(p);
 * ok(g instanceof Linear);
 * deepEqual([g.w.tolist(), g.b.tolist()], [[2, 4], 2]);
 * ```
 *
 * @param cls The class (its exact instances become nodes).
 * @param flatten `(x) => [children, auxData]`.
 * @param unflatten `(auxData, children) => instance`.
 */
export function register<T extends object, A = unknown>(
  // deno-lint-ignore no-explicit-any
  cls: abstract new (...args: any[]) => T,
  flatten: (x: T) => readonly [readonly unknown[], A],
  unflatten: (auxData: A, children: unknown[]) => T,
): void {
  if (
    typeof cls !== "function" || typeof cls.prototype !== "object" || cls.prototype === null
  ) {
    throw new TypeError(
      `tree.register: cls must be a class (a constructor): got ${
        typeof cls === "function" ? "a function that is not a constructor" : typeof cls
      }`,
    );
  }
  const proto = cls.prototype as object;
  if (
    proto === Object.prototype || proto === globalThis.Array.prototype ||
    proto instanceof globalThis.Array ||
    proto === Function.prototype || isBuiltinLeaf(proto)
  ) {
    throw new TypeError(
      `tree.register: ${cls.name} is built into trees (arrays and plain objects are nodes, arrays and numbers leaves) and cannot be registered`,
    );
  }
  if (registry.has(proto)) {
    throw new TypeError(`tree.register: class ${cls.name || "(anonymous)"} is already registered`);
  }
  if (typeof flatten !== "function" || typeof unflatten !== "function") {
    throw new TypeError(
      `tree.register: flatten and unflatten must be functions: got ${typeof flatten} and ${typeof unflatten}`,
    );
  }
  const base = cls.name || "anonymous";
  let name = base;
  for (let k = 2; registeredNames.has(name); k++) name = `${base}#${k}`;
  registeredNames.add(name);
  registry.set(proto, {
    cls,
    name,
    flatten: flatten as Registered["flatten"],
    unflatten: unflatten as Registered["unflatten"],
  });
}

/** Whether `proto` is the prototype of a leaf class (NdArray or a subclass, typed arrays). */
function isBuiltinLeaf(proto: object): boolean {
  return proto === Number.prototype || proto === Boolean.prototype ||
    proto === NdArray.prototype || proto instanceof NdArray ||
    Object.getPrototypeOf(Int8Array.prototype) === Object.getPrototypeOf(proto);
}
