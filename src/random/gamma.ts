/**
 * The gamma family of `random`: `gamma`, `loggamma`, `beta`, `dirichlet`,
 * `t`, `generalizedNormal`, `ball`.
 *
 * Gamma variates come from Marsaglia and Tsang's squeeze-rejection method
 * (boosted by `u^{1/a}` for a < 1, in log space), vectorised: every element
 * keeps the first accepted of up to 16 candidate rounds (each accepts with
 * probability above 0.95, so all 16 fail with probability below 1e-20); on
 * concrete values the rounds after the fourth run only if some element has
 * not accepted yet, with the same result. Not JAX's bits (JAX runs a per-element while
 * loop): the same distribution, tested by Kolmogorov–Smirnov.
 *
 * The samples are differentiable in `a` by implicit differentiation of the
 * CDF, as JAX (`random_gamma_grad`): with `P(a, z) = u` fixed,
 * `dz/da = -(∂P/∂a) / (∂P/∂z)`.
 *
 * @module
 */

import * as np from "../numpy/index.ts";
import { checkOptions } from "../core/options.ts";
import type { ArrayLike } from "../array/array.ts";
import type { DType } from "../array/dtype.ts";
import { broadcastShapes, type Shape } from "../array/shape.ts";
import { stopGradient } from "../lax/ops.ts";
import { igammaGradA } from "../primitives/special.ts";
import { gammaln } from "../scipy/special.ts";
import { customJvp } from "../transforms/custom.ts";
import { type A, checkFloat, checkKey, foldIn, shapeOf, split } from "./keys.ts";
import { Tracer } from "../core/handler.ts";
import { type DTypeOption, exponential, normal, rademacher, uniform } from "./distributions.ts";

const ROUNDS = 16;
const FIRST = 4; // eagerly, the remaining rounds run only if some element is still unaccepted

/**
 * Standard normals by Box–Muller, `√(-2 log(1 - u₁)) cos(2π u₂)`: a tenth of
 * the cost of `normal`'s inverse CDF, for the candidates of the rejection
 * sampler (whose bits are not JAX's anyway).
 */
function boxMuller(key: A, shape: readonly number[], dtype: DType): A {
  const keys = split(key, 2);
  const u1 = uniform(keys.get(0), shape, { dtype });
  const u2 = uniform(keys.get(1), shape, { dtype });
  const r = np.sqrt(np.multiply(-2, np.log1p(np.negative(u1))));
  return np.multiply(r, np.cos(np.multiply(2 * Math.PI, u2)));
}

/** log of a standard gamma variate of shape `a` (an array of the sample shape), per element. */
function logGammaSample(key: A, a: A): A {
  const shape = a.shape;
  const dtype = a.dtype;
  const keys = split(key, 3);
  const boost = np.less(a, 1);
  const a1 = np.where(boost, np.add(a, 1), a);
  const d = np.subtract(a1, 1 / 3);
  const c = np.reciprocal(np.sqrt(np.multiply(9, d)));
  // Round r draws its own normal and uniform (keys folded with r); the first accepted wins,
  // so skipping rounds after every element has accepted changes nothing.
  let sel: A = np.fullLike(a, NaN);
  const round = (r: number) => {
    const x = boxMuller(foldIn(keys.get(0), r), shape, dtype);
    const u = uniform(foldIn(keys.get(1), r), shape, { dtype });
    const cx = np.multiply(c, x);
    const pos = np.greater(cx, -1);
    // log v = 3 log1p(cx), v = (1 + cx)³; accept log u < x²/2 + d (1 - v + log v)
    const logv = np.multiply(3, np.log1p(np.where(pos, cx, 0)));
    const bound = np.add(
      np.multiply(0.5, np.square(x)),
      np.multiply(d, np.add(np.subtract(1, np.exp(logv)), logv)),
    );
    const ok = np.logicalAnd(pos, np.less(np.log(u), bound));
    sel = np.where(np.logicalAnd(np.isnan(sel), ok), logv, sel);
  };
  for (let r = 0; r < FIRST; r++) round(r);
  const pending = (x: A) =>
    x instanceof Tracer || np.any(np.logicalAnd(np.isnan(x), np.greater(a, 0))).item();
  if (pending(sel)) { for (let r = FIRST; r < ROUNDS; r++) round(r); }
  let logz = np.add(np.log(d), sel);
  const ub = uniform(keys.get(2), shape, { dtype });
  logz = np.where(boost, np.add(logz, np.divide(np.log(ub), np.where(boost, a, 1))), logz);
  const bad = np.logicalOr(np.isnan(a), np.less(a, 0));
  return np.where(bad, NaN, np.where(np.equal(a, 0), -Infinity, logz));
}

/**
 * d log z / da for a gamma variate z = exp(lz) of shape a, by implicit
 * differentiation of P(a, z) = const: -(∂P/∂a) / (z · ∂P/∂z), where
 * z ∂P/∂z = exp(a log z - z - log Γ(a)).
 */
function dLogZ(a: A, lz: A): A {
  const z = np.exp(lz);
  const zDensity = np.exp(np.subtract(np.subtract(np.multiply(a, lz), z), gammaln(a)));
  return np.negative(np.divide(igammaGradA(a, z), zDensity));
}

/**
 * JAX's `lax.random_gamma_grad(a, x)`: dz/da at a gamma variate z = x of
 * shape a, `-(∂P/∂a)(a, x) / (∂P/∂x)(a, x)` (not re-exported by `random`).
 */
export function randomGammaGrad(a: A, x: A): A {
  return np.multiply(x, dLogZ(a, np.log(x)));
}

const logGammaRule = customJvp((key: A, a: A): A => logGammaSample(key, a));
logGammaRule.defjvp(([key, a]: A[], [, ta]: A[]) => {
  const lz = logGammaRule(key, a);
  return [lz, np.multiply(ta, stopGradient(dLogZ(a, lz)))];
});

function prepared(
  name: string,
  key: ArrayLike,
  a: ArrayLike,
  shape: readonly number[] | undefined,
  dtype?: DType,
): [A, A] {
  const k = checkKey(name, key);
  const dt = checkFloat(name, dtype);
  const aa = np.astype(a, dt);
  const s = shape === undefined ? [...aa.shape] : shapeOf(name, shape);
  if (broadcastShapes(s, aa.shape).join() !== s.join()) {
    throw new TypeError(
      `${name}: a parameter of shape [${aa.shape}] does not broadcast to the sample shape [${s}]`,
    );
  }
  return [k, aa.shape.join() === s.join() ? aa : np.broadcastTo(aa, s)];
}

/**
 * Logs of standard gamma variates of shape `a`, as `jax.random.loggamma`:
 * accurate also for tiny `a`, where the variates themselves underflow to 0.
 * Differentiable in `a` (implicit reparameterisation).
 *
 * @example Tiny shapes stay finite in log space
 * ```ts
 * import { np, random } from "@nabla/ad";
 * import { ok } from "node:assert/strict";
 *
 * const lg = random.loggamma(random.key(0), 1e-3, [100]);
 * ok(np.all(np.isfinite(lg)).item());
 * ```
 *
 * @param key A key (shape `[2]`).
 * @param a Shape parameter(s), > 0.
 * @param shape Sample shape (default: the shape of `a`).
 * @param options `dtype`.
 * @returns `log` of gamma samples.
 */
export function loggamma(
  key: ArrayLike,
  a: ArrayLike,
  shape?: readonly number[],
  options: DTypeOption = {},
): A {
  checkOptions("loggamma", options, ["dtype"]);
  const [k, aa] = prepared("loggamma", key, a, shape, options.dtype);
  return logGammaRule(k, aa);
}

/**
 * Standard gamma variates of shape `a` (scale 1), as `jax.random.gamma`,
 * with JAX's reparameterised gradient in `a`: `dz/da = -(∂P/∂a)/(∂P/∂z)` at
 * the sample, P the regularised incomplete gamma function.
 *
 * @example Mean a, and the gradient of the mean is 1
 * ```ts
 * import { type Array, grad, np, random } from "@nabla/ad";
 * import { ok } from "node:assert/strict";
 *
 * const k = random.key(0);
 * const m = (a: Array | number) => np.mean(random.gamma(k, a, [20000]));
 * ok(Math.abs((m(3).item() as number) - 3) < 0.06);
 * ok(Math.abs((grad(m)(3).item() as number) - 1) < 0.03);
 * ```
 *
 * @param key A key (shape `[2]`).
 * @param a Shape parameter(s), > 0.
 * @param shape Sample shape (default: the shape of `a`).
 * @param options `dtype`.
 * @returns Gamma samples.
 */
export function gamma(
  key: ArrayLike,
  a: ArrayLike,
  shape?: readonly number[],
  options: DTypeOption = {},
): A {
  checkOptions("gamma", options, ["dtype"]);
  return np.exp(loggamma(key, a, shape, options));
}

/**
 * Beta variates, as `jax.random.beta`: the ratio of two gamma variates,
 * computed from their logs (so tiny shapes do not give 0/0); differentiable
 * in `a` and `b`.
 *
 * @example Mean a / (a + b)
 * ```ts
 * import { np, random } from "@nabla/ad";
 * import { ok } from "node:assert/strict";
 *
 * const x = random.beta(random.key(0), 2, 6, [20000]);
 * ok(Math.abs((np.mean(x).item() as number) - 0.25) < 0.01);
 * ```
 *
 * @param key A key (shape `[2]`).
 * @param a First shape.
 * @param b Second shape.
 * @param shape Sample shape (default: the broadcast shape of `a` and `b`).
 * @param options `dtype`.
 * @returns Samples in [0, 1].
 */
export function beta(
  key: ArrayLike,
  a: ArrayLike,
  b: ArrayLike,
  shape?: readonly number[],
  options: DTypeOption = {},
): A {
  checkOptions("beta", options, ["dtype"]);
  const dtype = checkFloat("beta", options.dtype);
  const aa = np.astype(a, dtype), ba = np.astype(b, dtype);
  const s = shape ?? broadcastShapes(aa.shape, ba.shape);
  const keys = split(checkKey("beta", key), 2);
  const la = loggamma(keys.get(0), np.broadcastTo(aa, s), s, { dtype });
  const lb = loggamma(keys.get(1), np.broadcastTo(ba, s), s, { dtype });
  const m = np.maximum(la, lb);
  const ga = np.exp(np.subtract(la, m)), gb = np.exp(np.subtract(lb, m));
  return np.divide(ga, np.add(ga, gb));
}

/**
 * Dirichlet variates, as `jax.random.dirichlet`: the softmax of log-gamma
 * variates of shapes `alpha` over the last axis; differentiable in `alpha`.
 *
 * @example Rows sum to 1
 * ```ts
 * import { np, random } from "@nabla/ad";
 * import { ok } from "node:assert/strict";
 *
 * const x = random.dirichlet(random.key(0), [1, 2, 3], [100]);
 * ok(np.allclose(np.sum(x, -1), np.ones([100])));
 * ```
 *
 * @param key A key (shape `[2]`).
 * @param alpha Concentrations, `[..., k]`.
 * @param shape Batch shape (default: `alpha`'s without the last axis).
 * @param options `dtype`.
 * @returns Samples `[...shape, k]`.
 */
export function dirichlet(
  key: ArrayLike,
  alpha: ArrayLike,
  shape?: readonly number[],
  options: DTypeOption = {},
): A {
  checkOptions("dirichlet", options, ["dtype"]);
  const dtype = checkFloat("dirichlet", options.dtype);
  const al = np.astype(alpha, dtype);
  if (al.ndim < 1) {
    throw new TypeError(`dirichlet needs alpha with at least one axis: got a scalar`);
  }
  const s: Shape = shape === undefined ? al.shape.slice(0, -1) : shapeOf("dirichlet", shape);
  const full = [...s, al.shape[al.ndim - 1]];
  const lg = loggamma(key, np.broadcastTo(al, full), full, { dtype });
  const m = stopGradient(np.max(lg, -1, { keepdims: true }));
  const e = np.exp(np.subtract(lg, m));
  return np.divide(e, np.sum(e, -1, { keepdims: true }));
}

/**
 * Student's t variates with `df` degrees of freedom, as `jax.random.t`:
 * `z · √((df/2) / g)`, z standard normal and g gamma of shape df/2.
 *
 * @example Heavier tails than the normal
 * ```ts
 * import { np, random } from "@nabla/ad";
 * import { ok } from "node:assert/strict";
 *
 * const x = random.t(random.key(0), 5, [20000]);
 * ok(Math.abs((np.var(x).item() as number) - 5 / 3) < 0.15);
 * ```
 *
 * @param key A key (shape `[2]`).
 * @param df Degrees of freedom.
 * @param shape Sample shape (default: the shape of `df`).
 * @param options `dtype`.
 * @returns Samples.
 */
export function t(
  key: ArrayLike,
  df: ArrayLike,
  shape?: readonly number[],
  options: DTypeOption = {},
): A {
  checkOptions("t", options, ["dtype"]);
  const dtype = checkFloat("t", options.dtype);
  const d = np.astype(df, dtype);
  const s = shape === undefined ? [...d.shape] : shapeOf("t", shape);
  const keys = split(checkKey("t", key), 2);
  const z = normal(keys.get(0), s, { dtype });
  const half = np.divide(d, 2);
  const g = gamma(keys.get(1), np.broadcastTo(half, s), s, { dtype });
  return np.multiply(z, np.sqrt(np.divide(half, g)));
}

/**
 * Generalised normal variates with density ∝ exp(-|x|^p), as
 * `jax.random.generalized_normal`: `±g^{1/p}`, g gamma of shape 1/p.
 *
 * @example p = 2 is a normal of variance ½
 * ```ts
 * import { np, random } from "@nabla/ad";
 * import { ok } from "node:assert/strict";
 *
 * const x = random.generalizedNormal(random.key(0), 2, [20000]);
 * ok(Math.abs((np.var(x).item() as number) - 0.5) < 0.03);
 * ```
 *
 * @param key A key (shape `[2]`).
 * @param p The exponent, > 0.
 * @param shape Sample shape (default `[]`).
 * @param options `dtype`.
 * @returns Samples.
 */
export function generalizedNormal(
  key: ArrayLike,
  p: number,
  shape: readonly number[] = [],
  options: DTypeOption = {},
): A {
  checkOptions("generalizedNormal", options, ["dtype"]);
  const dtype = checkFloat("generalizedNormal", options.dtype);
  const keys = split(checkKey("generalizedNormal", key), 2);
  const s = shapeOf("generalizedNormal", shape);
  const g = gamma(keys.get(0), np.full(s, 1 / p, dtype), s, { dtype });
  const r = rademacher(keys.get(1), s, { dtype });
  return np.multiply(r, np.power(g, 1 / p));
}

/**
 * Points uniform in the unit p-ball of dimension `d`, as `jax.random.ball`:
 * generalised normals scaled by `(Σ|g|^p + e)^{1/p}` with e exponential.
 *
 * @example Inside the unit disc
 * ```ts
 * import { np, random } from "@nabla/ad";
 * import { ok } from "node:assert/strict";
 *
 * const x = random.ball(random.key(0), 2, 2, [1000]);
 * ok(np.all(np.less(np.sum(np.square(x), -1), 1)).item());
 * ```
 *
 * @param key A key (shape `[2]`).
 * @param d Dimension.
 * @param p The norm's exponent (default 2).
 * @param shape Batch shape (default `[]`).
 * @param options `dtype`.
 * @returns Points `[...shape, d]`.
 */
export function ball(
  key: ArrayLike,
  d: number,
  p = 2,
  shape: readonly number[] = [],
  options: DTypeOption = {},
): A {
  checkOptions("ball", options, ["dtype"]);
  if (!Number.isInteger(d) || d < 1) {
    throw new TypeError(`ball needs a positive integer d: got ${d}`);
  }
  const dtype = checkFloat("ball", options.dtype);
  const keys = split(checkKey("ball", key), 2);
  const s = shapeOf("ball", shape);
  const g = generalizedNormal(keys.get(0), p, [...s, d], { dtype });
  const e = exponential(keys.get(1), s, { dtype });
  const r = np.power(np.add(np.sum(np.power(np.abs(g), p), -1), e), 1 / p);
  return np.divide(g, np.expandDims(r, -1));
}

/**
 * Chi-square variates with `df` degrees of freedom, `2 · gamma(df/2)`, as
 * `jax.random.chisquare`.
 *
 * @example Mean df
 * ```ts
 * import { np, random } from "@nabla/ad";
 * import { ok } from "node:assert/strict";
 *
 * const x = random.chisquare(random.key(0), 4, [20000]);
 * ok(Math.abs((np.mean(x).item() as number) - 4) < 0.08);
 * ```
 *
 * @param key A key (shape `[2]`).
 * @param df Degrees of freedom.
 * @param shape Sample shape (default: the shape of `df`).
 * @param options `dtype`.
 * @returns Samples.
 */
export function chisquare(
  key: ArrayLike,
  df: ArrayLike,
  shape?: readonly number[],
  options: DTypeOption = {},
): A {
  checkOptions("chisquare", options, ["dtype"]);
  const dtype = checkFloat("chisquare", options.dtype);
  const d = np.astype(df, dtype);
  const s = shape === undefined ? [...d.shape] : shapeOf("chisquare", shape);
  return np.multiply(np.exp(loggamma(key, np.broadcastTo(np.divide(d, 2), s), s, { dtype })), 2);
}

/**
 * F-distribution variates `(χ²(dfnum)/dfnum) / (χ²(dfden)/dfden)`, as `jax.random.f`.
 *
 * @example Mean dfden / (dfden - 2)
 * ```ts
 * import { np, random } from "@nabla/ad";
 * import { ok } from "node:assert/strict";
 *
 * const x = random.f(random.key(0), 5, 10, [20000]);
 * ok(Math.abs((np.mean(x).item() as number) - 1.25) < 0.05);
 * ```
 *
 * @param key A key (shape `[2]`).
 * @param dfnum Numerator degrees of freedom.
 * @param dfden Denominator degrees of freedom.
 * @param shape Sample shape (default: the broadcast shape of both).
 * @param options `dtype`.
 * @returns Samples.
 */
export function f(
  key: ArrayLike,
  dfnum: ArrayLike,
  dfden: ArrayLike,
  shape?: readonly number[],
  options: DTypeOption = {},
): A {
  checkOptions("f", options, ["dtype"]);
  const dtype = checkFloat("f", options.dtype);
  const n = np.astype(dfnum, dtype), d = np.astype(dfden, dtype);
  const s = shape === undefined ? broadcastShapes(n.shape, d.shape) : shapeOf("f", shape);
  const keys = split(checkKey("f", key), 2);
  const cd = chisquare(keys.get(0), np.broadcastTo(d, s), s, { dtype });
  const cn = chisquare(keys.get(1), np.broadcastTo(n, s), s, { dtype });
  return np.divide(np.divide(cn, n), np.divide(cd, d));
}
