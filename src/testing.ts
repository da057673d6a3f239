/**
 * Checking derivatives and batching numerically — the `@nabla/ad/testing`
 * export. These are the tools nabla's own tests use:
 *
 * - {@linkcode numericalJvp}: a directional derivative by finite differences;
 * - {@linkcode checkJvp}: `jvp` against finite differences along a random direction;
 * - {@linkcode checkVjp}: `vjp` by the inner-product identity `⟨c, J t⟩ = ⟨Jᵀ c, t⟩`;
 * - {@linkcode checkGrads}: both, recursively to any order (as JAX's `check_grads`);
 * - {@linkcode checkVmap}: `vmap` against a loop over the batch.
 *
 * Arguments and outputs may be trees. Failures throw an `Error` that says
 * which check failed, where, and by how much.
 *
 * @module
 */

import { NdArray } from "./array/array.ts";
import { allocate, type DType, isFloat } from "./array/dtype.ts";
import { normalizeAxis, shapesEqual, showShape } from "./array/shape.ts";
import { type AnyFunction, leafToArray } from "./transforms/common.ts";
import { jvp } from "./transforms/jvp.ts";
import { vjp } from "./transforms/vjp.ts";
import { vmap } from "./transforms/vmap.ts";
import { flatten, unflatten } from "./tree.ts";
import { concatenate, reshape, slice } from "./primitives/structural.ts";
import { storageOf } from "./array/array.ts";

/** Tolerances of the checks. */
export interface Tolerance {
  /** Absolute tolerance (default 1e-6). */
  atol?: number;
  /** Relative tolerance (default 1e-6). */
  rtol?: number;
  /** Finite-difference step (default 1e-3, with a fourth-order central stencil). */
  eps?: number;
  /** Seed of the random directions (default 0). */
  seed?: number;
}

/** A small deterministic generator (mulberry32) for directions. */
function rng(seed: number): () => number {
  let a = (seed + 0x6d2b79f5) >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function leaves(x: unknown): NdArray[] {
  return flatten(x)[0].map((l) => leafToArray(l, "Checked values"));
}

function randomLike(x: NdArray, next: () => number): NdArray {
  const dtype: DType = isFloat(x.dtype) ? x.dtype : "float64";
  const data = allocate(dtype, x.size);
  for (let i = 0; i < data.length; i++) data[i] = isFloat(x.dtype) ? 2 * next() - 1 : 0;
  return new NdArray(data, x.shape, dtype);
}

function values(x: NdArray): Float64Array {
  return Float64Array.from(storageOf(x) as ArrayLike<number>);
}

function combine(xs: readonly NdArray[], coeffs: readonly number[], like: NdArray): NdArray {
  const out = new Float64Array(like.size);
  xs.forEach((x, k) => {
    const v = values(x);
    for (let i = 0; i < out.length; i++) out[i] += coeffs[k] * v[i];
  });
  const dtype: DType = isFloat(like.dtype) ? like.dtype : "float64";
  const data = allocate(dtype, out.length);
  data.set(out);
  return new NdArray(data, like.shape, dtype);
}

/**
 * The directional derivative of `f` at `args` along `tangents` by a
 * fourth-order central difference: `(-f(x+2h) + 8f(x+h) - 8f(x-h) + f(x-2h)) / 12h`.
 *
 * @example Derivative of sin
 * ```ts
 * import { type Array, np } from "@nabla/ad";
 * import { numericalJvp } from "@nabla/ad/testing";
 * import { ok } from "node:assert/strict";
 *
 * const d = numericalJvp(np.sin, [0.5], [1]) as Array;
 * ok(Math.abs((d.item() as number) - Math.cos(0.5)) < 1e-10);
 * ```
 *
 * @param f The function; arguments and output may be trees.
 * @param args The point: one tree per argument.
 * @param tangents The direction: trees like `args`.
 * @param eps The step `h` (default 1e-3).
 * @returns The output tangent, a tree like `f`'s output.
 */
export function numericalJvp(
  f: AnyFunction,
  args: readonly unknown[],
  tangents: readonly unknown[],
  eps = 1e-3,
): unknown {
  const [xs, def] = flatten(args);
  const xArr = xs.map((x) => leafToArray(x, "numericalJvp arguments"));
  const tArr = leaves(tangents);
  const at = (s: number) => {
    const moved = xArr.map((
      x,
      i,
    ) => (isFloat(x.dtype) ? combine([x, tArr[i]], [1, s * eps], x) : x));
    return flatten(f(...unflatten<unknown[]>(def, moved)));
  };
  const [p2, outDef] = at(2), [p1] = at(1), [m1] = at(-1), [m2] = at(-2);
  const outs = p2.map((y, i) => {
    const a = [p2[i], p1[i], m1[i], m2[i]].map((v) => leafToArray(v, "Outputs"));
    return combine(
      a,
      [-1 / (12 * eps), 8 / (12 * eps), -8 / (12 * eps), 1 / (12 * eps)],
      leafToArray(y, "Outputs"),
    );
  });
  return unflatten(outDef, outs);
}

/** Throws unless two trees of arrays agree within tolerance. */
function assertClose(actual: unknown, expected: unknown, tol: Tolerance, what: string): void {
  const a = leaves(actual), e = leaves(expected);
  if (a.length !== e.length) {
    throw new Error(`${what}: got ${a.length} leaves, expected ${e.length}`);
  }
  const atol = tol.atol ?? 1e-6, rtol = tol.rtol ?? 1e-6;
  a.forEach((x, k) => {
    if (!shapesEqual(x.shape, e[k].shape)) {
      throw new Error(
        `${what}: leaf ${k} has shape ${showShape(x.shape)}, expected ${showShape(e[k].shape)}`,
      );
    }
    const xv = values(x), ev = values(e[k]);
    for (let i = 0; i < xv.length; i++) {
      const bad = Number.isNaN(xv[i]) !== Number.isNaN(ev[i]) ||
        (!Number.isNaN(xv[i]) && xv[i] !== ev[i] &&
          !(Math.abs(xv[i] - ev[i]) <= atol + rtol * Math.abs(ev[i])));
      if (bad) {
        throw new Error(
          `${what}: leaf ${k} element ${i} is ${xv[i]}, expected ${ev[i]} (|diff| ${
            Math.abs(xv[i] - ev[i])
          } > atol ${atol} + rtol ${rtol})`,
        );
      }
    }
  });
}

function innerProduct(xs: readonly NdArray[], ys: readonly NdArray[]): number {
  let s = 0;
  xs.forEach((x, k) => {
    const a = values(x), b = values(ys[k]);
    for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  });
  return s;
}

/**
 * Checks `jvp(f)` at `args` against {@linkcode numericalJvp} along a random direction.
 *
 * @example A correct rule passes
 * ```ts
 * import { np } from "@nabla/ad";
 * import { checkJvp } from "@nabla/ad/testing";
 *
 * checkJvp(np.tanh, [np.array([0.1, -0.7])]);
 * ```
 *
 * @param f The function.
 * @param args The point.
 * @param tol Tolerances, step and seed.
 */
export function checkJvp(f: AnyFunction, args: readonly unknown[], tol: Tolerance = {}): void {
  const next = rng(tol.seed ?? 0);
  const [xs, def] = flatten(args);
  const ts = unflatten<unknown[]>(
    def,
    xs.map((x) => randomLike(leafToArray(x, "checkJvp arguments"), next)),
  );
  const [y, t] = jvp(f, args, ts);
  assertClose(y, f(...args), tol, "checkJvp primal output");
  assertClose(
    t,
    numericalJvp(f, args, ts, tol.eps),
    tol,
    "checkJvp tangent output vs finite differences",
  );
}

/**
 * Checks `vjp(f)` at `args` by the inner-product identity
 * `⟨c, J t⟩ = ⟨Jᵀ c, t⟩` with random `t`, `c` and a numerical `J t`.
 *
 * @example A correct rule passes
 * ```ts
 * import { type Array, np } from "@nabla/ad";
 * import { checkVjp } from "@nabla/ad/testing";
 *
 * checkVjp((x: Array) => np.sum(np.exp(x)), [np.array([0.1, -0.7])]);
 * ```
 *
 * @param f The function.
 * @param args The point.
 * @param tol Tolerances, step and seed.
 */
export function checkVjp(f: AnyFunction, args: readonly unknown[], tol: Tolerance = {}): void {
  const next = rng((tol.seed ?? 0) + 1);
  const [xs, def] = flatten(args);
  const xArr = xs.map((x) => leafToArray(x, "checkVjp arguments"));
  const ts = xArr.map((x) => randomLike(x, next));
  const [y, pullback] = vjp(f, args);
  assertClose(y, f(...args), tol, "checkVjp primal output");
  const [yLeaves, yDef] = flatten(y);
  const cs = (yLeaves as NdArray[]).map((v) => randomLike(v, next));
  const jt = leaves(numericalJvp(f, args, unflatten<unknown[]>(def, ts), tol.eps));
  const jtc = leaves(pullback(unflatten(yDef, cs)));
  const floatIdx = xArr.map((x, i) => (isFloat(x.dtype) ? i : -1)).filter((i) => i >= 0);
  const lhs = innerProduct(cs, jt);
  const rhs = innerProduct(floatIdx.map((i) => jtc[i]), floatIdx.map((i) => ts[i]));
  const atol = tol.atol ?? 1e-6, rtol = tol.rtol ?? 1e-6;
  if (!(Math.abs(lhs - rhs) <= atol + rtol * Math.abs(lhs))) {
    throw new Error(
      `checkVjp inner-product identity failed: <c, J t> = ${lhs} (finite differences) but <J^T c, t> = ${rhs} (vjp)`,
    );
  }
}

/** Options of {@linkcode checkGrads}. */
export interface CheckGradsOptions extends Tolerance {
  /** Highest derivative order to check (default 1). */
  order?: number;
  /** Which modes: `"fwd"` (jvp), `"rev"` (vjp); default both. */
  modes?: readonly ("fwd" | "rev")[];
}

/**
 * Checks derivatives of `f` at `args` to the given order in forward and/or
 * reverse mode, as JAX's `check_grads`: order n checks the derivatives of the
 * order n-1 derivative functions.
 *
 * @example Second derivatives of a smooth function
 * ```ts
 * import { type Array, np } from "@nabla/ad";
 * import { checkGrads } from "@nabla/ad/testing";
 *
 * checkGrads((x: Array) => np.sum(np.sin(np.multiply(x, x))), [np.array([0.3, 1.1])], { order: 2 });
 * ```
 *
 * @param f The function.
 * @param args The point.
 * @param options `order`, `modes` and tolerances.
 */
export function checkGrads(
  f: AnyFunction,
  args: readonly unknown[],
  options: CheckGradsOptions = {},
): void {
  const order = options.order ?? 1;
  const modes = options.modes ?? ["fwd", "rev"];
  if (modes.includes("fwd")) {
    checkJvp(f, args, options);
    if (order > 1) {
      const jvpOf = (primals: unknown[], tangents: unknown[]) => jvp(f, primals, tangents);
      checkGrads(jvpOf, [args, args], { ...options, order: order - 1, modes: ["fwd"] });
    }
  }
  if (modes.includes("rev")) {
    checkVjp(f, args, options);
    if (order > 1) {
      const vjpOf = (...xs: unknown[]) => {
        const [y, pullback] = vjp(f, xs);
        return pullback(y);
      };
      checkGrads(vjpOf, args, { ...options, order: order - 1, modes: ["rev"] });
    }
  }
}

/** Options of {@linkcode checkVmap}. */
export interface CheckVmapOptions {
  /** Mapped axis per argument (`null` for unmapped); default 0 for all. */
  inAxes?: number | null | readonly (number | null)[];
  /** Absolute tolerance (default 1e-12). */
  atol?: number;
  /** Relative tolerance (default 1e-12). */
  rtol?: number;
}

function indexAlong(x: NdArray, axis: number, i: number): NdArray {
  const starts = x.shape.map((_, k) => (k === axis ? i : 0));
  const limits = x.shape.map((d, k) => (k === axis ? i + 1 : d));
  const s = slice(x, { starts, limits, strides: x.shape.map(() => 1) });
  return reshape(s, x.shape.filter((_, k) => k !== axis));
}

function stack(xs: readonly NdArray[], like: NdArray): NdArray {
  if (xs.length === 0) return new NdArray(allocate(like.dtype, 0), [0, ...like.shape], like.dtype);
  return concatenate(xs.map((x) => reshape(x, [1, ...x.shape])), 0);
}

/**
 * Checks `vmap(f, { inAxes })(...args)` against calling `f` on each batch
 * member in a loop and stacking the results (outputs along axis 0). Array
 * arguments only (no trees).
 *
 * @example Batching a reduction
 * ```ts
 * import { type Array, np } from "@nabla/ad";
 * import { checkVmap } from "@nabla/ad/testing";
 *
 * checkVmap((x: Array) => np.sum(x), [np.array([[1, 2], [3, 4]])]);
 * ```
 *
 * @param f The function.
 * @param args Arguments, each batched along its in-axis.
 * @param options `inAxes` and tolerances.
 */
export function checkVmap(
  f: AnyFunction,
  args: readonly NdArray[],
  options: CheckVmapOptions = {},
): void {
  const inAxes = options.inAxes ?? 0;
  const axes = args.map((x, k) => {
    const a = globalThis.Array.isArray(inAxes) ? inAxes[k] : inAxes;
    return a === null ? null : normalizeAxis(a as number, x.ndim);
  });
  const k0 = axes.findIndex((a) => a !== null);
  if (k0 < 0) throw new TypeError("checkVmap needs at least one mapped argument");
  const n = args[k0].shape[axes[k0]!];
  const batched = vmap(f, { inAxes: axes })(...args);
  const rows: unknown[] = [];
  for (let i = 0; i < n; i++) {
    rows.push(f(...args.map((x, k) => (axes[k] === null ? x : indexAlong(x, axes[k]!, i)))));
  }
  const [bLeaves, bDef] = flatten(batched);
  const expected = bLeaves.map((b, j) => {
    const like = leafToArray(b, "Outputs");
    const per = rows.map((r) => leafToArray(flatten(r)[0][j], "Outputs"));
    const inner = new NdArray(undefined, like.shape.slice(1), like.dtype);
    return stack(per, inner);
  });
  assertClose(batched, unflatten(bDef, expected), {
    atol: options.atol ?? 1e-12,
    rtol: options.rtol ?? 1e-12,
  }, "checkVmap");
}

export type { AnyFunction };
