// Fuzzing: random well-formed and ill-formed programs — shapes (empty ones included), dtypes,
// axes, index forms and transformation stacks — each checked against a reference written here
// in plain loops: a well-formed program returns the reference's value, an ill-formed one throws
// a clear TypeError or RangeError (never an engine error, never a value), and the handler stack
// is back at eval after every case. The generator is seeded: a failure names its seed and case.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { type Array, type DType, grad, jvp, np, vmap } from "../mod.ts";
import { currentHandler } from "../extend.ts";

/** A small seeded generator (mulberry32). */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Reference arrays: row-major values and a shape. */
interface Ref {
  shape: number[];
  v: number[];
}

const size = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);
const strides = (s: readonly number[]) => s.map((_, i) => size(s.slice(i + 1)));

/** Reference broadcasting, or undefined when the shapes do not broadcast. */
function bshape(a: number[], b: number[]): number[] | undefined {
  const n = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const da = a[a.length - n + i] ?? 1, db = b[b.length - n + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) return undefined;
    out.push(da === 1 ? db : da);
  }
  return out;
}

function bget(r: Ref, out: number[], flat: number): number {
  const os = strides(out), rs = strides(r.shape);
  let k = 0;
  for (let i = 0; i < out.length; i++) {
    const idx = Math.floor(flat / os[i]) % out[i];
    const j = i - (out.length - r.shape.length);
    if (j >= 0 && r.shape[j] !== 1) k += idx * rs[j];
  }
  return r.v[k];
}

/** Reference reduction over `axes` (sorted, distinct, valid). */
function reduce(r: Ref, axes: number[], op: (a: number[]) => number, keep: boolean): Ref {
  const kept = r.shape.map((d, i) => (axes.includes(i) ? 1 : d));
  const groups = new globalThis.Array(size(kept)).fill(0).map(() => [] as number[]);
  const rs = strides(r.shape), ks = strides(kept);
  for (let f = 0; f < r.v.length; f++) {
    let g = 0;
    for (let i = 0; i < r.shape.length; i++) {
      if (!axes.includes(i)) g += (Math.floor(f / rs[i]) % r.shape[i]) * ks[i];
    }
    groups[g].push(r.v[f]);
  }
  return {
    shape: keep ? kept : r.shape.filter((_, i) => !axes.includes(i)),
    v: groups.map(op),
  };
}

/** Throws when `actual` differs from the reference. */
function same(actual: Array, ref: Ref, rtol: number, what: string): void {
  assert.deepEqual([...actual.shape], ref.shape, `${what}: shape`);
  const got = (np.ravel(actual).tolist() as number[]).map(Number);
  for (let i = 0; i < ref.v.length; i++) {
    const a = got[i], e = ref.v[i];
    if (Number.isNaN(e) && Number.isNaN(a)) continue;
    if (a === e) continue;
    const tol = rtol * Math.max(1, Math.abs(e));
    assert.ok(Math.abs(a - e) <= tol, `${what}: element ${i} is ${a}, expected ${e}`);
  }
}

/** Engine errors that must never reach a user: they mean a check is missing. */
const ENGINE =
  /is not a function|Cannot read prop|undefined is not|Invalid array length|Invalid typed array length|call stack|\[object Object\]|is not iterable|of undefined/;

/** Runs one case: `make` returns the value or throws; `expect` is the reference or "error". */
function check(what: string, run: () => void, illFormed: boolean): void {
  let threw: unknown;
  try {
    run();
  } catch (e) {
    threw = e;
  }
  assert.equal(currentHandler().name, "eval", `${what}: the handler stack was not restored`);
  if (threw === undefined) {
    assert.ok(!illFormed, `${what}: an ill-formed program returned a value`);
    return;
  }
  if (threw instanceof assert.AssertionError) throw threw;
  const e = threw as Error;
  assert.ok(
    e instanceof TypeError || e instanceof RangeError,
    `${what}: threw ${e?.constructor?.name}: ${e?.message}`,
  );
  assert.ok(!ENGINE.test(e.message), `${what}: an engine error leaked: ${e.message}`);
  assert.ok(illFormed, `${what}: a well-formed program threw: ${e.message}`);
}

const UNARY: [string, (x: Array) => Array, (v: number) => number, (v: number) => number][] = [
  ["sin", np.sin, Math.sin, Math.cos],
  ["exp", np.exp, Math.exp, Math.exp],
  ["tanh", np.tanh, Math.tanh, (v) => 1 - Math.tanh(v) ** 2],
  ["negative", np.negative, (v) => -v, () => -1],
  ["square", np.square, (v) => v * v, (v) => 2 * v],
  ["abs", np.abs, Math.abs, (v) => (v >= 0 ? 1 : -1)], // JAX: the derivative at 0 is 1
];
const BINARY: [string, (x: Array, y: Array) => Array, (a: number, b: number) => number][] = [
  ["add", np.add, (a, b) => a + b],
  ["subtract", np.subtract, (a, b) => a - b],
  ["multiply", np.multiply, (a, b) => a * b],
  ["maximum", np.maximum, Math.max],
  ["minimum", np.minimum, Math.min],
];
const REDUCE: [
  string,
  (x: Array, axis: number[] | null, keep: boolean) => Array,
  (a: number[]) => number,
  boolean,
][] = [
  ["sum", (x, a, k) => np.sum(x, a, { keepdims: k }), (a) => a.reduce((s, v) => s + v, 0), true],
  ["prod", (x, a, k) => np.prod(x, a, { keepdims: k }), (a) => a.reduce((s, v) => s * v, 1), true],
  ["max", (x, a, k) => np.max(x, a, { keepdims: k }), (a) => Math.max(...a), false],
  ["min", (x, a, k) => np.min(x, a, { keepdims: k }), (a) => Math.min(...a), false],
  [
    "mean",
    (x, a, k) => np.mean(x, a, { keepdims: k }),
    (a) => a.reduce((s, v) => s + v, 0) / a.length,
    true,
  ],
];
const DTYPES: DType[] = ["float64", "float32", "int32", "bool"];

function fuzz(seed: number, cases: number): void {
  const r = rng(seed);
  const int = (n: number) => Math.floor(r() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)];
  const shape = (): number[] => globalThis.Array.from({ length: int(4) }, () => int(4));
  const values = (s: number[], dtype: DType): number[] =>
    globalThis.Array.from({ length: size(s) }, () => {
      const v = Math.round((r() * 6 - 3) * 8) / 8; // exact in float32 too
      return dtype === "bool" ? (v > 0 ? 1 : 0) : dtype === "int32" ? Math.round(v) : v;
    });
  const make = (s: number[], dtype: DType): [Array, Ref] => {
    const v = values(s, dtype);
    const flatArr = np.array(v.map((x) => (dtype === "bool" ? x === 1 : x)) as never, { dtype });
    return [np.reshape(flatArr, s), { shape: s, v }];
  };

  for (let c = 0; c < cases; c++) {
    const what = `seed ${seed}, case ${c}`;
    const kind = int(6);
    if (kind === 0) {
      // Unary elementwise on any dtype; float32 within its precision.
      const [name, f, ref] = pick(UNARY);
      const dtype = pick(DTYPES);
      const s = shape();
      const [x, rx] = make(s, dtype);
      const rtol = dtype === "float32" ? 1e-6 : 1e-12;
      const ill = name === "negative" && dtype === "bool"; // a TypeError in JAX too
      check(`${what}: ${name} ${dtype}${JSON.stringify(s)}`, () => {
        const y = f(x);
        if (!ill) same(y, { shape: s, v: rx.v.map(ref) }, rtol, `${what} ${name}`);
      }, ill);
    } else if (kind === 1) {
      // Binary with broadcasting: shapes that do not broadcast must be refused.
      const [name, f, ref] = pick(BINARY);
      const sa = shape(), sb = r() < 0.5 ? sa.slice(int(sa.length + 1)) : shape();
      const [x, rx] = make(sa, "float64"), [y, ry] = make(sb, pick(DTYPES));
      const out = bshape(sa, sb);
      check(`${what}: ${name} ${JSON.stringify(sa)} ${JSON.stringify(sb)}`, () => {
        const z = f(x, y);
        if (out === undefined) return;
        const v = globalThis.Array.from(
          { length: size(out) },
          (_, i) => ref(bget(rx, out, i), bget(ry, out, i)),
        );
        same(z, { shape: out, v }, 1e-12, `${what} ${name}`);
      }, out === undefined);
    } else if (kind === 2) {
      // Reductions with every axis form: ints, negatives, lists, null, and bad ones.
      const [name, f, op, emptyOk] = pick(REDUCE);
      const s = shape();
      const [x, rx] = make(s, "float64");
      const n = s.length;
      const form = int(6);
      const axis: number[] | null = form === 0 ? null : form === 1
        ? [int(2 * n + 3) - n - 1] // may be out of range
        : form === 2
        ? [Number.NaN]
        : form === 3 && n > 0
        ? [0, 0] // repeated
        : globalThis.Array.from({ length: int(n + 1) }, (_, i) => i).filter(() => r() < 0.6);
      const keep = r() < 0.5;
      const valid = axis === null ||
        (axis.every((a) => Number.isInteger(a) && a >= -n && a < n) &&
          new Set(axis.map((a) => (a < 0 ? a + n : a))).size === axis.length);
      const axes = axis === null ? s.map((_, i) => i) : axis.map((a) => (a < 0 ? a + n : a)).sort();
      const empty = valid && axes.some((a) => s[a] === 0); // max/min of nothing: JAX's error
      const ill = !valid || (empty && !emptyOk);
      check(`${what}: ${name} ${JSON.stringify(s)} axis ${JSON.stringify(axis)}`, () => {
        const y = f(x, axis, keep);
        if (!ill) same(y, reduce(rx, axes, op, keep), 1e-12, `${what} ${name}`);
      }, ill);
    } else if (kind === 3) {
      // Reshape (with -1) and transpose, valid or not.
      const s = shape();
      const [x, rx] = make(s, "float64");
      if (r() < 0.5) {
        const target = shape();
        if (r() < 0.4 && target.length > 0) target[int(target.length)] = -1;
        const known = size(target.filter((d) => d !== -1));
        const inferred = target.includes(-1)
          ? (known === 0 ? undefined : size(s) % known === 0 ? size(s) / known : undefined)
          : undefined;
        const final = target.map((d) => (d === -1 ? inferred ?? -1 : d));
        const ok = !final.includes(-1) && size(final) === size(s);
        check(`${what}: reshape ${JSON.stringify(s)} to ${JSON.stringify(target)}`, () => {
          const y = np.reshape(x, target);
          if (ok) same(y, { shape: final, v: rx.v }, 0, `${what} reshape`);
        }, !ok);
      } else {
        const perm = s.map((_, i) => i).sort(() => r() - 0.5);
        if (r() < 0.3 && perm.length > 0) perm[int(perm.length)] = int(perm.length + 2);
        const ok = new Set(perm).size === s.length && perm.every((p) => p < s.length);
        check(`${what}: transpose ${JSON.stringify(s)} by ${JSON.stringify(perm)}`, () => {
          const y = np.transpose(x, perm);
          if (!ok) return;
          const out = perm.map((p) => s[p]);
          const os = strides(out), xs = strides(s);
          const v = globalThis.Array.from({ length: size(out) }, (_, f) => {
            let k = 0;
            for (let i = 0; i < out.length; i++) {
              k += (Math.floor(f / os[i]) % out[i]) * xs[perm[i]];
            }
            return rx.v[k];
          });
          same(y, { shape: out, v }, 0, `${what} transpose`);
        }, !ok);
      }
    } else if (kind === 4) {
      // Indexing one axis: ints (out of range is an error), slices, arrays (clamped, as JAX).
      const s = [1 + int(4), ...shape().slice(0, 2)];
      const [x, rx] = make(s, "float64");
      const n = s[0], inner = size(s.slice(1));
      const row = (i: number) => rx.v.slice(i * inner, (i + 1) * inner);
      const form = int(4);
      if (form === 3) {
        // The same gather batched: each member's out-of-range index clamps in its own row.
        const idx = globalThis.Array.from({ length: 1 + int(4) }, () => int(2 * n + 4) - n - 2);
        const clamped = idx.map((i) => Math.min(Math.max(i < 0 ? i + n : i, 0), n - 1));
        check(`${what}: vmap get of ${JSON.stringify(idx)} on ${JSON.stringify(s)}`, () => {
          const y = vmap((i: Array) => x.get(i))(np.array(idx, { dtype: "int32" }));
          same(y, { shape: [idx.length, ...s.slice(1)], v: clamped.flatMap(row) }, 0, what);
        }, false);
      } else if (form === 0) {
        const i = int(2 * n + 2) - n - 1;
        const ok = i >= -n && i < n;
        check(`${what}: get ${i} of ${JSON.stringify(s)}`, () => {
          const y = x.get(i);
          if (ok) same(y, { shape: s.slice(1), v: row(i < 0 ? i + n : i) }, 0, `${what} get`);
        }, !ok);
      } else if (form === 1) {
        const start = int(n + 2) - 1, stop = int(n + 2), step = pick([1, 2, -1]);
        const idx: number[] = [];
        const norm = (v: number, lo: number, hi: number) =>
          Math.min(Math.max(v < 0 ? v + n : v, lo), hi);
        if (step > 0) {
          for (let i = norm(start, 0, n); i < norm(stop, 0, n); i += step) idx.push(i);
        } else {for (let i = norm(start, -1, n - 1); i > norm(stop, -1, n - 1); i += step) {
            idx.push(i);
          }}
        check(`${what}: get "${start}:${stop}:${step}" of ${JSON.stringify(s)}`, () => {
          same(
            x.get(`${start}:${stop}:${step}`),
            { shape: [idx.length, ...s.slice(1)], v: idx.flatMap(row) },
            0,
            what,
          );
        }, false);
      } else {
        const idx = globalThis.Array.from({ length: int(4) }, () => int(2 * n + 4) - n - 2);
        const clamped = idx.map((i) => Math.min(Math.max(i < 0 ? i + n : i, 0), n - 1));
        check(`${what}: get ${JSON.stringify(idx)} of ${JSON.stringify(s)}`, () => {
          const y = x.get(np.array(idx, { dtype: "int32" }));
          same(y, { shape: [idx.length, ...s.slice(1)], v: clamped.flatMap(row) }, 0, what);
        }, false);
      }
    } else {
      // Transformation stacks on a unary function: vmap against a loop, grad against the
      // derivative, jvp against grad, in random nestings.
      const [name, f, ref, dref] = pick(UNARY);
      const s = [1 + int(3), ...shape().slice(0, 1)];
      const [x, rx] = make(s, "float64");
      const stack = int(4);
      check(`${what}: stack ${stack} of ${name} on ${JSON.stringify(s)}`, () => {
        const g = (v: Array) => np.sum(f(v));
        if (stack === 0) same(vmap(f)(x), { shape: s, v: rx.v.map(ref) }, 1e-12, `${what} vmap`);
        else if (stack === 1) {
          same(grad(g)(x), { shape: s, v: rx.v.map(dref) }, 1e-12, `${what} grad`);
        } else if (stack === 2) {
          same(vmap(grad(g))(x), { shape: s, v: rx.v.map(dref) }, 1e-12, `${what} vmap(grad)`);
        } else {
          const [, t] = jvp(f, [x], [np.onesLike(x)]);
          same(t, { shape: s, v: rx.v.map(dref) }, 1e-12, `${what} jvp`);
        }
      }, false);
    }
  }
}

describe("fuzz: random programs against references in plain loops", () => {
  for (const seed of [1, 2, 3, 4]) {
    it(`seed ${seed}: 250 programs, each a reference value or a clear error`, () =>
      fuzz(seed, 250));
  }
});
