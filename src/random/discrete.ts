/**
 * Counting distributions of `random`: `poisson` and `binomial`, vectorised
 * with a fixed number of candidates per element (not JAX's bits: JAX loops
 * per element; the same distributions, tested against their CDFs).
 *
 * - Poisson, λ < 10: Knuth's product of uniforms (48 factors: a count of 48
 *   or more has probability below 1e-18 there); λ ≥ 10: Hörmann's
 *   transformed rejection (PTRS), 24 candidate rounds, each accepted with
 *   probability above 0.85.
 * - Binomial, n·min(p, 1-p) < 10: counting geometric waiting times (48 of
 *   them); beyond: Hörmann's BTRS, 32 candidate rounds; p > ½ by symmetry.
 *
 * On concrete values the later factors and rounds run only while some
 * element still needs them, which gives the same samples as running them all
 * (what happens under `vmap`).
 *
 * @module
 */

import * as np from "../numpy/index.ts";
import { checkOptions } from "../core/options.ts";
import type { ArrayLike } from "../array/array.ts";
import { checkDType, type DType } from "../array/dtype.ts";
import { broadcastShapes } from "../array/shape.ts";
import { stopGradient } from "../lax/ops.ts";
import { gammaln } from "../scipy/special.ts";
import { type A, checkKey, foldIn, shapeOf, split } from "./keys.ts";
import { Tracer } from "../core/handler.ts";
import { uniform } from "./distributions.ts";

/** Whether `done` (a concrete array) is all true; traced values always continue. */
const allDone = (done: A): boolean => !(done instanceof Tracer) && (np.all(done).item() as boolean);

/**
 * The first accepted of `rounds` candidate rounds (`round(r)` ↦ [accepted, value]), NaN if
 * none; on concrete values the rounds after `first` run only while some element is pending,
 * which gives the same result.
 */
function firstAccepted(
  round: (r: number) => [A, A],
  rounds: number,
  first: number,
  shape: readonly number[],
): A {
  let sel: A = np.full(shape, NaN);
  for (let r = 0; r < rounds; r++) {
    if (r >= first && allDone(np.logicalNot(np.isnan(sel)))) break;
    const [ok, v] = round(r);
    sel = np.where(np.logicalAnd(np.isnan(sel), ok), v, sel);
  }
  return sel;
}

function sampleShape(name: string, shape: readonly number[] | undefined, ...ps: A[]): number[] {
  let b: number[] = [];
  for (const p of ps) b = [...broadcastShapes(b, p.shape)];
  if (shape === undefined) return b;
  const s = shapeOf(name, shape);
  if (broadcastShapes(s, b).join() !== s.join()) {
    throw new TypeError(
      `${name}: parameters of shape [${b}] do not broadcast to the sample shape [${s}]`,
    );
  }
  return s;
}

/** Options of {@linkcode poisson}. */
export interface PoissonOptions {
  /** Output dtype (default int32). */
  dtype?: DType;
}

function poissonKnuth(key: A, lam: A): A {
  // count of n ≥ 1 with Σ_{i≤n} log u_i > -λ, 8 factors at a time (48 at most); once every
  // running sum is below -λ further factors add nothing
  let cum: A = np.zerosLike(lam);
  let count: A = np.zerosLike(lam);
  for (let c = 0; c < 6; c++) {
    if (c > 0 && allDone(np.lessEqual(cum, np.negative(lam)))) break;
    const u = uniform(foldIn(key, c), [8, ...lam.shape]);
    const cs = np.add(cum, np.cumsum(np.log(u), 0));
    count = np.add(count, np.sum(np.astype(np.greater(cs, np.negative(lam)), "float64"), 0));
    cum = np.take(cs, 7, 0);
  }
  return count;
}

function poissonPtrs(key: A, lam: A): A {
  const [ku, kv] = [split(key, 2).get(0), split(key, 2).get(1)];
  const slam = np.sqrt(lam);
  const loglam = np.log(lam);
  const b = np.add(0.931, np.multiply(2.53, slam));
  const a = np.add(-0.059, np.multiply(0.02483, b));
  const invAlpha = np.add(1.1239, np.divide(1.1328, np.subtract(b, 3.4)));
  const vr = np.subtract(0.9277, np.divide(3.6224, np.subtract(b, 2)));
  const round = (r: number): [A, A] => {
    const u = np.subtract(uniform(foldIn(ku, r), lam.shape), 0.5);
    const v = uniform(foldIn(kv, r), lam.shape);
    const us = np.subtract(0.5, np.abs(u));
    const k = np.floor(
      np.add(np.multiply(np.add(np.divide(np.multiply(2, a), us), b), u), np.add(lam, 0.43)),
    );
    const quick = np.logicalAnd(np.greaterEqual(us, 0.07), np.lessEqual(v, vr));
    const reject = np.logicalOr(
      np.less(k, 0),
      np.logicalAnd(np.less(us, 0.013), np.greater(v, us)),
    );
    const lhs = np.subtract(
      np.log(np.multiply(v, invAlpha)),
      np.log(np.add(np.divide(a, np.square(us)), b)),
    );
    const ks = np.maximum(k, 0);
    const rhs = np.subtract(np.subtract(np.multiply(ks, loglam), lam), gammaln(np.add(ks, 1)));
    return [np.logicalOr(quick, np.logicalAnd(np.logicalNot(reject), np.lessEqual(lhs, rhs))), k];
  };
  return firstAccepted(round, 24, 6, lam.shape);
}

/**
 * Poisson counts with rate `lam`, as `jax.random.poisson` (int32 counts).
 *
 * @example Mean and variance λ
 * ```ts
 * import { np, random } from "@nabla/ad";
 * import { ok } from "node:assert/strict";
 *
 * const k = random.poisson(random.key(0), 4, [20000]);
 * ok(Math.abs((np.mean(k).item() as number) - 4) < 0.06);
 * ok(Math.abs((np.var(k).item() as number) - 4) < 0.2);
 * ```
 *
 * @param key A key (shape `[2]`).
 * @param lam Rate(s), ≥ 0.
 * @param shape Sample shape (default: the shape of `lam`).
 * @param options `dtype` (default int32).
 * @returns Counts.
 */
export function poisson(
  key: ArrayLike,
  lam: ArrayLike,
  shape?: readonly number[],
  options: PoissonOptions = {},
): A {
  checkOptions("poisson", options, ["dtype"]);
  const k = checkKey("poisson", key);
  const l0 = stopGradient(np.astype(lam, "float64"));
  const s = sampleShape("poisson", shape, l0);
  const l = np.broadcastTo(l0, s);
  const keys = split(k, 2);
  const small = np.less(l, 10);
  const knuth = poissonKnuth(keys.get(0), np.where(small, l, 0));
  const ptrs = poissonPtrs(keys.get(1), np.where(small, 1e5, l));
  const out = np.where(np.equal(l, 0), 0, np.where(small, knuth, ptrs));
  const bad = np.logicalOr(np.isnan(l), np.less(l, 0));
  const dtype = checkDType(options.dtype ?? "int32");
  // invalid rates: -1 for integer counts (no NaN), as JAX's integer output
  return np.astype(np.where(bad, dtype === "int32" ? -1 : NaN, out), dtype);
}

function binomialInversion(key: A, n: A, p: A): A {
  // successes = geometric waiting times (trials up to and including a success) that fit in
  // n trials, 8 at a time (48 at most); once every running sum exceeds n nothing changes
  const logq = np.log1p(np.negative(p));
  let cum: A = np.zerosLike(n);
  let count: A = np.zerosLike(n);
  for (let c = 0; c < 6; c++) {
    if (c > 0 && allDone(np.greater(cum, n))) break;
    const u = uniform(foldIn(key, c), [8, ...n.shape], {
      minval: 2.2250738585072014e-308,
      maxval: 1,
    });
    const g = np.add(np.floor(np.divide(np.log(u), logq)), 1);
    const cs = np.add(cum, np.cumsum(g, 0));
    count = np.add(count, np.sum(np.astype(np.lessEqual(cs, n), "float64"), 0));
    cum = np.take(cs, 7, 0);
  }
  return count;
}

function binomialBtrs(key: A, n: A, p: A): A {
  const keys = split(key, 2);
  const q = np.subtract(1, p);
  const spq = np.sqrt(np.multiply(np.multiply(n, p), q));
  const b = np.add(1.15, np.multiply(2.53, spq));
  const a = np.add(np.add(-0.0873, np.multiply(0.0248, b)), np.multiply(0.01, p));
  const c = np.add(np.multiply(n, p), 0.5);
  const vr = np.subtract(0.92, np.divide(4.2, b));
  const alpha = np.multiply(np.add(2.83, np.divide(5.1, b)), spq);
  const lpq = np.log(np.divide(p, q));
  const m = np.floor(np.multiply(np.add(n, 1), p));
  const h = np.add(gammaln(np.add(m, 1)), gammaln(np.add(np.subtract(n, m), 1)));
  const round = (r: number): [A, A] => {
    const u = np.subtract(uniform(foldIn(keys.get(0), r), n.shape), 0.5);
    const v = uniform(foldIn(keys.get(1), r), n.shape);
    const us = np.subtract(0.5, np.abs(u));
    const k = np.floor(np.add(np.multiply(np.add(np.divide(np.multiply(2, a), us), b), u), c));
    const inRange = np.logicalAnd(np.greaterEqual(k, 0), np.lessEqual(k, n));
    const quick = np.logicalAnd(np.greaterEqual(us, 0.07), np.lessEqual(v, vr));
    const ks = np.clip(k, 0, n);
    const lhs = np.log(np.divide(np.multiply(v, alpha), np.add(np.divide(a, np.square(us)), b)));
    const rhs = np.add(
      np.subtract(np.subtract(h, gammaln(np.add(ks, 1))), gammaln(np.add(np.subtract(n, ks), 1))),
      np.multiply(np.subtract(ks, m), lpq),
    );
    return [np.logicalAnd(inRange, np.logicalOr(quick, np.lessEqual(lhs, rhs))), k];
  };
  return firstAccepted(round, 32, 8, n.shape);
}

/**
 * Binomial counts of `n` trials with success probability `p`, as
 * `jax.random.binomial` (float output, as JAX).
 *
 * @example Mean n·p
 * ```ts
 * import { np, random } from "@nabla/ad";
 * import { ok } from "node:assert/strict";
 *
 * const k = random.binomial(random.key(0), 50, 0.3, [20000]);
 * ok(Math.abs((np.mean(k).item() as number) - 15) < 0.1);
 * ```
 *
 * @param key A key (shape `[2]`).
 * @param n Numbers of trials (non-negative integers).
 * @param p Success probabilities in [0, 1].
 * @param shape Sample shape (default: the broadcast shape of `n` and `p`).
 * @param options `dtype` (default float64).
 * @returns Counts, as floats.
 */
export function binomial(
  key: ArrayLike,
  n: ArrayLike,
  p: ArrayLike,
  shape?: readonly number[],
  options: { dtype?: DType } = {},
): A {
  checkOptions("binomial", options, ["dtype"]);
  const k = checkKey("binomial", key);
  const n0 = stopGradient(np.astype(n, "float64"));
  const p0 = stopGradient(np.astype(p, "float64"));
  const s = sampleShape("binomial", shape, n0, p0);
  const nn = np.broadcastTo(n0, s);
  const pp = np.broadcastTo(p0, s);
  const flip = np.greater(pp, 0.5);
  const pm = np.where(flip, np.subtract(1, pp), pp); // ≤ ½
  const small = np.less(np.multiply(nn, pm), 10);
  const keys = split(k, 2);
  const safeP = np.where(np.greater(pm, 0), pm, 0.5);
  const inv = binomialInversion(keys.get(0), np.where(small, nn, 0), np.where(small, safeP, 0.5));
  const btrs = binomialBtrs(keys.get(1), np.where(small, 1000, nn), np.where(small, 0.5, safeP));
  let out = np.where(small, inv, btrs);
  out = np.where(np.equal(pm, 0), 0, out);
  out = np.where(flip, np.subtract(nn, out), out);
  const bad = np.logicalOr(
    np.logicalOr(np.isnan(pp), np.logicalOr(np.less(pp, 0), np.greater(pp, 1))),
    np.logicalOr(np.less(nn, 0), np.isnan(nn)),
  );
  const dtype = checkDType(options.dtype ?? "float64");
  return np.astype(np.where(bad, NaN, out), dtype);
}
