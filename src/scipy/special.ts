/**
 * `scipy.special`: special functions, differentiable and batchable like
 * everything else. The gamma and zeta families, the incomplete gamma and
 * beta functions and the scaled Bessel functions are primitives
 * (`src/primitives/special.ts`, kernels in `src/array/kernels/special.ts`)
 * with JAX's derivative rules; the rest is composed from `np`.
 *
 * Error functions composed from `np` (so they differentiate and batch like
 * everything else): `erf` and `erfc` follow FreeBSD/musl `s_erf.c` (Sun's
 * fdlibm: rational approximations on five intervals, under 1 ulp), `erfInv`
 * follows XLA's `ErfInv64` (Giles' polynomials with `w = -log1p(-x²)`), so
 * that `random.normal` reproduces JAX's samples.
 *
 * Every branch is evaluated on inputs clamped to its own interval (the
 * "double where"), so unselected branches stay finite and never poison
 * gradients with `0 · ∞`.
 *
 * @module
 */

import { type ArrayLike, NdArray } from "../array/array.ts";
import { showValue } from "../array/shape.ts";
import { isInexact } from "../array/dtype.ts";
import * as np from "../numpy/index.ts";
import * as sp from "../primitives/special.ts";
import { customJvp } from "../transforms/custom.ts";
import { stopGradient } from "../lax/ops.ts";
import { checkOptions } from "../core/options.ts";

type A = NdArray;

function floating(x: ArrayLike): A {
  const a = np.asarray(x);
  return isInexact(a.dtype) ? a : np.astype(a, "float64");
}

function horner(coeffs: readonly number[], x: A): A {
  let p: A = np.fullLike(x, coeffs[0]);
  for (let i = 1; i < coeffs.length; i++) p = np.add(np.multiply(p, x), coeffs[i]);
  return p;
}

/** `where(cond, x, safe)`: the input a branch sees, finite where the branch is not selected. */
function clampTo(cond: A, x: A, safe: number): A {
  return np.where(cond, x, safe);
}

const ERX = 8.45062911510467529297e-01;
// erf on [0, 0.84375]: erf(x) = x + x · P(x²) / Q(x²)
const PP = [
  -2.37630166566501626084e-05,
  -5.77027029648944159157e-03,
  -2.84817495755985104766e-02,
  -3.25042107247001499370e-01,
  1.28379167095512558561e-01,
];
const QQ = [
  -3.96022827877536812320e-06,
  1.32494738004321644526e-04,
  5.08130628187576562776e-03,
  6.50222499887672944485e-02,
  3.97917223959155352819e-01,
  1,
];
// erf on [0.84375, 1.25]: erf(x) = erx + P(x - 1) / Q(x - 1)
const PA = [
  -2.16637559486879084300e-03,
  3.54783043256182359371e-02,
  -1.10894694282396677476e-01,
  3.18346619901161753674e-01,
  -3.72207876035701323847e-01,
  4.14856118683748331666e-01,
  -2.36211856075265944077e-03,
];
const QA = [
  1.19844998467991074170e-02,
  1.36370839120290507362e-02,
  1.26171219808761642112e-01,
  7.18286544141962662868e-02,
  5.40397917702171048937e-01,
  1.06420880400844228286e-01,
  1,
];
// erfc on [1.25, 1/0.35]: erfc(x) = exp(-x² - 0.5625 + R(1/x²) / S(1/x²)) / x
const RA = [
  -9.81432934416914548592e+00,
  -8.12874355063065934246e+01,
  -1.84605092906711035994e+02,
  -1.62396669462573470355e+02,
  -6.23753324503260060396e+01,
  -1.05586262253232909814e+01,
  -6.93858572707181764372e-01,
  -9.86494403484714822705e-03,
];
const SA = [
  -6.04244152148580987438e-02,
  6.57024977031928170135e+00,
  1.08635005541779435134e+02,
  4.29008140027567833386e+02,
  6.45387271733267880336e+02,
  4.34565877475229228821e+02,
  1.37657754143519042600e+02,
  1.96512716674392571292e+01,
  1,
];
// erfc on [1/0.35, 28]
const RB = [
  -4.83519191608651397019e+02,
  -1.02509513161107724954e+03,
  -6.37566443368389627722e+02,
  -1.60636384855821916062e+02,
  -1.77579549177547519889e+01,
  -7.99283237680523006574e-01,
  -9.86494292470009928597e-03,
];
const SB = [
  -2.24409524465858183362e+01,
  4.74528541206955367215e+02,
  2.55305040643316442583e+03,
  3.19985821950859553908e+03,
  1.53672958608443695994e+03,
  3.25792512996573918826e+02,
  3.03380607434824582924e+01,
  1,
];

/** `x · P(x²)/Q(x²)` for |x| < 0.84375 (the correction term of the small-argument branch). */
function smallTerm(x: A): A {
  const z = np.multiply(x, x);
  return np.multiply(x, np.divide(horner(PP, z), horner(QQ, z)));
}

/** `P(s)/Q(s)` with `s = |x| - 1`, for 0.84375 <= |x| < 1.25. */
function midTerm(ax: A): A {
  const s = np.subtract(ax, 1);
  return np.divide(horner(PA, s), horner(QA, s));
}

/** `erfc(|x|)` for 1.25 <= |x| < 28 (`ax` is |x|, already clamped to that interval). */
function tailErfc(ax: A): A {
  const near = np.less(ax, 1 / 0.35);
  const an = clampTo(near, ax, 2);
  const af = np.where(near, 4, ax);
  const ratio = (a: A, r: readonly number[], s: readonly number[]) => {
    const t = np.reciprocal(np.multiply(a, a));
    return np.divide(horner(r, t), horner(s, t));
  };
  const a = np.where(near, an, af);
  const rs = np.where(near, ratio(an, RA, SA), ratio(af, RB, SB));
  // z keeps 21 significant bits of |x|, so z² is exact; exp(-x²) = exp(-z²) exp((z - x)(z + x)).
  const z = np.divide(np.floor(np.multiply(a, 65536)), 65536);
  const e1 = np.exp(np.subtract(np.negative(np.multiply(z, z)), 0.5625));
  const e2 = np.exp(np.add(np.multiply(np.subtract(z, a), np.add(z, a)), rs));
  return np.divide(np.multiply(e1, e2), a);
}

/**
 * The error function `erf x = 2/√π ∫₀ˣ e^{-t²} dt`, elementwise (relative
 * error below 1e-15); `d erf x = 2/√π e^{-x²} dx`.
 *
 * @example Values and the derivative at 0
 * ```ts
 * import { grad, scipy } from "@nabla/ad";
 * import { ok } from "node:assert/strict";
 *
 * ok(Math.abs(scipy.special.erf(1).item() as number - 0.8427007929497149) < 1e-15);
 * ok(Math.abs(grad(scipy.special.erf)(0).item() as number - 2 / Math.sqrt(Math.PI)) < 1e-15);
 * ```
 *
 * @param input The argument (ints become float64).
 * @returns `erf` of each element.
 */
export function erf(input: ArrayLike): A {
  const x = floating(input);
  const ax = np.abs(x);
  const small = np.less(ax, 0.84375);
  const mid = np.logicalAnd(np.logicalNot(small), np.less(ax, 1.25));
  // musl stops at 6, where erf is 1 to double precision; going on to 28 keeps the derivative.
  const tail = np.logicalAnd(np.greaterEqual(ax, 1.25), np.less(ax, 28));
  const sign = np.sign(x);
  const xs = clampTo(small, x, 0.5);
  const rSmall = np.add(xs, smallTerm(xs));
  const rMid = np.multiply(sign, np.add(ERX, midTerm(clampTo(mid, ax, 1))));
  const rTail = np.multiply(sign, np.subtract(1, tailErfc(clampTo(tail, ax, 2))));
  // |x| >= 28 (and NaN): sign(x).
  return np.where(small, rSmall, np.where(mid, rMid, np.where(tail, rTail, sign)));
}

/**
 * The complementary error function `erfc x = 1 - erf x`, elementwise,
 * accurate also where it is tiny (relative error below 1e-14 up to x = 26).
 *
 * @example No cancellation in the tail
 * ```ts
 * import { scipy } from "@nabla/ad";
 * import { ok } from "node:assert/strict";
 *
 * const y = scipy.special.erfc(10).item() as number;
 * ok(Math.abs(y / 2.088487583762545e-45 - 1) < 1e-14);
 * ```
 *
 * @param input The argument (ints become float64).
 * @returns `erfc` of each element.
 */
export function erfc(input: ArrayLike): A {
  const x = floating(input);
  const ax = np.abs(x);
  const neg = np.less(x, 0);
  const small = np.less(ax, 0.84375);
  const mid = np.logicalAnd(np.logicalNot(small), np.less(ax, 1.25));
  const tail = np.logicalAnd(np.greaterEqual(ax, 1.25), np.less(ax, 28));
  const xs = clampTo(small, x, 0.5);
  const corr = smallTerm(xs);
  const rSmall = np.where(
    np.less(xs, 0.25),
    np.subtract(1, np.add(xs, corr)),
    np.subtract(0.5, np.add(np.subtract(xs, 0.5), corr)),
  );
  const m = midTerm(clampTo(mid, ax, 1));
  const rMid = np.where(neg, np.add(1 + ERX, m), np.subtract(1 - ERX, m));
  const t = tailErfc(clampTo(tail, ax, 2));
  const rTail = np.where(neg, np.subtract(2, t), t);
  // |x| >= 28: 0 or 2 (and NaN for NaN).
  const rFar = np.subtract(1, np.sign(x));
  return np.where(small, rSmall, np.where(mid, rMid, np.where(tail, rTail, rFar)));
}

// XLA's ErfInv64 (Giles, "Approximating the erfinv function", GPU Computing Gems 2).
const W1 = [
  -3.6444120640178196996e-21,
  -1.685059138182016589e-19,
  1.2858480715256400167e-18,
  1.115787767802518096e-17,
  -1.333171662854620906e-16,
  2.0972767875968561637e-17,
  6.6376381343583238325e-15,
  -4.0545662729752068639e-14,
  -8.1519341976054721522e-14,
  2.6335093153082322977e-12,
  -1.2975133253453532498e-11,
  -5.4154120542946279317e-11,
  1.051212273321532285e-9,
  -4.1126339803469836976e-9,
  -2.9070369957882005086e-8,
  4.2347877827932403518e-7,
  -1.3654692000834678645e-6,
  -1.3882523362786468719e-5,
  0.0001867342080340571352,
  -0.00074070253416626697512,
  -0.0060336708714301490533,
  0.24015818242558961693,
  1.6536545626831027356,
];
const W2 = [
  2.2137376921775787049e-9,
  9.0756561938885390979e-8,
  -2.7517406297064545428e-7,
  1.8239629214389227755e-8,
  1.5027403968909827627e-6,
  -4.013867526981545969e-6,
  2.9234449089955446044e-6,
  1.2475304481671778723e-5,
  -4.7318229009055733981e-5,
  6.8284851459573175448e-5,
  2.4031110387097893999e-5,
  -0.0003550375203628474796,
  0.00095328937973738049703,
  -0.0016882755560235047313,
  0.0024914420961078508066,
  -0.0037512085075692412107,
  0.005370914553590063617,
  1.0052589676941592334,
  3.0838856104922207635,
];
const W3 = [
  -2.7109920616438573243e-11,
  -2.5556418169965252055e-10,
  1.5076572693500548083e-9,
  -3.7894654401267369937e-9,
  7.6157012080783393804e-9,
  -1.4960026627149240478e-8,
  2.9147953450901080826e-8,
  -6.7711997758452339498e-8,
  2.2900482228026654717e-7,
  -9.9298272942317002539e-7,
  4.5260625972231537039e-6,
  -1.9681778105531670567e-5,
  7.5995277030017761139e-5,
  -0.00021503011930044477347,
  -0.00013871931833623122026,
  1.0103004648645343977,
  4.8499064014085844221,
];

/**
 * The inverse error function on (-1, 1), elementwise (±∞ at ±1, NaN
 * outside), as XLA computes it for float64 (`jax.lax.erf_inv`; SciPy's and
 * JAX's name is `erfinv`, also exported).
 *
 * @example Inverting erf
 * ```ts
 * import { scipy } from "@nabla/ad";
 * import { ok } from "node:assert/strict";
 *
 * const x = scipy.special.erfinv(scipy.special.erf(0.3)).item() as number;
 * ok(Math.abs(x - 0.3) < 1e-15);
 * ```
 *
 * @param input Values in [-1, 1] (ints become float64).
 * @returns `erf⁻¹` of each element.
 */
export function erfInv(input: ArrayLike): A {
  const x = floating(input);
  const inside = np.less(np.abs(x), 1);
  const xs = clampTo(inside, x, 0);
  const w = np.negative(np.log1p(np.negative(np.multiply(xs, xs))));
  const lt625 = np.less(w, 6.25);
  const lt16 = np.less(w, 16);
  const w1 = clampTo(lt625, w, 3.125);
  const w2 = clampTo(np.logicalAnd(np.logicalNot(lt625), lt16), w, 9);
  const w3 = np.where(lt16, 25, w);
  const p = np.where(
    lt625,
    horner(W1, np.subtract(w1, 3.125)),
    np.where(
      lt16,
      horner(W2, np.subtract(np.sqrt(w2), 3.25)),
      horner(W3, np.subtract(np.sqrt(w3), 5)),
    ),
  );
  // constants only: a multiple of x here would put ∞ · 0 = NaN into gradients
  const edge = np.where(np.equal(x, 1), Infinity, np.where(np.equal(x, -1), -Infinity, NaN));
  return np.where(inside, np.multiply(p, xs), edge);
}

/**
 * SciPy's and JAX's name for {@linkcode erfInv}.
 *
 * @example The median of a standard normal
 * ```ts
 * import { scipy } from "@nabla/ad";
 * import { equal } from "node:assert/strict";
 *
 * equal(scipy.special.erfinv(0).item(), 0);
 * ```
 */
export const erfinv: (input: ArrayLike) => NdArray = erfInv;

// ---------------------------------------------------------------------------
// Gamma and zeta families

/**
 * Operands as arrays of one float dtype: float32 only if every array operand
 * is float32 or integer and one is float32 (JS numbers are weak, as in JAX);
 * float64 otherwise.
 */
function floats(...xs: ArrayLike[]): A[] {
  const arrays = xs.map((x) => np.asarray(x));
  const strong = arrays.filter((_, i) => typeof xs[i] !== "number");
  const f32 = strong.some((a) => a.dtype === "float32") &&
    strong.every((a) => a.dtype === "float32" || !isInexact(a.dtype));
  const dtype = f32 ? "float32" : "float64";
  return arrays.map((a) => (a.dtype === dtype ? a : np.astype(a, dtype)));
}

/**
 * `log |Γ(x)|`, elementwise (∞ at 0 and the negative integers), accurate to
 * a few ulp (relative) also near its zeros at 1 and 2; `d gammaln = digamma`.
 *
 * @example Factorials and the derivative
 * ```ts
 * import { grad, scipy } from "@nabla/ad";
 * import { ok } from "node:assert/strict";
 *
 * ok(Math.abs((scipy.special.gammaln(5).item() as number) - Math.log(24)) < 1e-15);
 * ok(Math.abs((grad(scipy.special.gammaln)(1).item() as number) + 0.5772156649015329) < 1e-15);
 * ```
 *
 * @param x The argument (ints become float64).
 * @returns `log |Γ(x)|` of each element.
 */
export function gammaln(x: ArrayLike): A {
  return sp.lgamma(floating(x));
}

/**
 * The sign of `Γ(x)`, as `jax.scipy.special.gammasgn`: 1 for x > 0 (and
 * +0), -1 at -0, `(-1)^{⌈-x⌉}` between the negative integers, NaN at the
 * negative integers, -∞ and NaN.
 *
 * @example Alternating signs below 0
 * ```ts
 * import { scipy } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * deepEqual(scipy.special.gammasgn([2.5, -0.5, -1.5, -2.5]).tolist(), [1, -1, 1, -1]);
 * ```
 *
 * @param x The argument (ints become float64).
 * @returns `sign Γ(x)`.
 */
export function gammasgn(x: ArrayLike): A {
  const a = floating(x);
  const fl = np.floor(a);
  const negOdd = np.equal(np.remainder(fl, 2), 1);
  const zero = np.equal(a, 0);
  const negZero = np.logicalAnd(zero, np.less(np.divide(1, np.where(zero, a, 1)), 0)); // 1/-0 = -∞
  const bad = np.logicalOr(np.logicalAnd(np.less(a, 0), np.equal(a, fl)), np.isnan(a));
  const neg = np.where(negOdd, -1, 1);
  const v = np.where(np.greater(a, 0), 1, np.where(zero, np.where(negZero, -1, 1), neg));
  return np.where(bad, NaN, np.astype(v, a.dtype));
}

/**
 * The gamma function `Γ(x) = gammasgn(x) · exp(gammaln(x))`, elementwise
 * (JAX's definition): ±∞ at ±0, NaN at the negative integers.
 *
 * @example Γ(5) = 4!
 * ```ts
 * import { scipy } from "@nabla/ad";
 * import { ok } from "node:assert/strict";
 *
 * ok(Math.abs((scipy.special.gamma(5).item() as number) - 24) < 1e-13);
 * ok(Math.abs((scipy.special.gamma(-0.5).item() as number) + 2 * Math.sqrt(Math.PI)) < 1e-14);
 * ```
 *
 * @param x The argument (ints become float64).
 * @returns `Γ(x)` of each element.
 */
export function gamma(x: ArrayLike): A {
  const a = floating(x);
  return np.multiply(gammasgn(a), np.exp(gammaln(a)));
}

/**
 * `n! = Γ(n + 1)` as a float (`exact: false`, JAX's only mode), 0 for n < 0.
 *
 * @example 5! = 120
 * ```ts
 * import { scipy } from "@nabla/ad";
 * import { ok } from "node:assert/strict";
 *
 * ok(Math.abs((scipy.special.factorial(5).item() as number) - 120) < 1e-12);
 * ```
 *
 * @param n The argument.
 * @returns `Γ(n + 1)`.
 */
export function factorial(n: ArrayLike): A {
  const a = floating(n);
  return np.where(np.less(a, 0), 0, np.exp(gammaln(np.add(a, 1))));
}

/**
 * The multivariate log-gamma function
 * `log Γ_d(a) = d(d-1)/4 · log π + Σ_{i<d} log Γ(a - i/2)`.
 *
 * @example d = 1 is gammaln
 * ```ts
 * import { scipy } from "@nabla/ad";
 * import { equal } from "node:assert/strict";
 *
 * equal(scipy.special.multigammaln(3.5, 1).item(), scipy.special.gammaln(3.5).item());
 * ```
 *
 * @param a The argument (> (d - 1)/2).
 * @param d The dimension (a positive integer).
 * @returns `log Γ_d(a)`.
 */
export function multigammaln(a: ArrayLike, d: number): A {
  if (!Number.isInteger(d) || d < 1) {
    throw new TypeError(`scipy.special.multigammaln: 'd' must be a positive integer: got ${d}`);
  }
  const x = floating(a);
  let sum: A = np.multiply(np.onesLike(x), (d * (d - 1)) / 4 * Math.log(Math.PI));
  for (let i = 0; i < d; i++) sum = np.add(sum, gammaln(np.subtract(x, i / 2)));
  return sum;
}

/**
 * The digamma function `ψ = Γ'/Γ`, elementwise (NaN at 0 and the negative
 * integers, as JAX); full relative accuracy also around its positive root
 * 1.4616…; `d ψ = polygamma(1, x)`.
 *
 * @example ψ(1) = -γ
 * ```ts
 * import { scipy } from "@nabla/ad";
 * import { ok } from "node:assert/strict";
 *
 * ok(Math.abs((scipy.special.digamma(1).item() as number) + 0.5772156649015329) < 1e-15);
 * ```
 *
 * @param x The argument (ints become float64).
 * @returns `ψ(x)` of each element.
 */
export function digamma(x: ArrayLike): A {
  return sp.digamma(floating(x));
}

/**
 * The polygamma function `ψ⁽ⁿ⁾(x) = (-1)ⁿ⁺¹ n! ζ(n + 1, x)` (`ψ` for n = 0),
 * elementwise with broadcasting. `n` must be integer (as JAX); the
 * derivative in `x` is `polygamma(n + 1, x)`.
 *
 * @example The trigamma function at 1 is π²/6
 * ```ts
 * import { scipy } from "@nabla/ad";
 * import { ok } from "node:assert/strict";
 *
 * ok(Math.abs((scipy.special.polygamma(1, 1).item() as number) - Math.PI ** 2 / 6) < 1e-15);
 * ```
 *
 * @param n The order: integers ≥ 0 (an int array, or integer numbers or lists of them).
 * @param x The argument.
 * @returns `ψ⁽ⁿ⁾(x)`.
 */
export function polygamma(n: ArrayLike, x: ArrayLike): A {
  const na = np.asarray(n);
  // arrays must have an integer dtype (as JAX); JS numbers and lists must hold integers
  const intValued = n instanceof NdArray
    ? !isInexact(na.dtype)
    : (na.reshape([-1]).tolist() as number[]).every((v) => Number.isInteger(v));
  if (!intValued) {
    throw new TypeError(
      `scipy.special.polygamma: argument 'n' must be of integer type: got ${
        n instanceof NdArray ? na.dtype : showValue(n)
      }`,
    );
  }
  const [xa] = floats(x);
  return sp.polygamma(np.astype(na, xa.dtype), xa);
}

/**
 * The Hurwitz zeta function `ζ(x, q) = Σₖ (q + k)⁻ˣ` (Riemann's for
 * q = 1, the default), elementwise with broadcasting, by Euler–Maclaurin
 * summation; ∞ at x = 1 and NaN for x < 1 (as JAX). Differentiable in both
 * arguments: `∂ζ/∂q = -x ζ(x + 1, q)`, `∂ζ/∂x = -Σₖ log(q + k)(q + k)⁻ˣ`.
 *
 * @example ζ(2) = π²/6
 * ```ts
 * import { scipy } from "@nabla/ad";
 * import { ok } from "node:assert/strict";
 *
 * ok(Math.abs((scipy.special.zeta(2, 1).item() as number) - Math.PI ** 2 / 6) < 1e-15);
 * ```
 *
 * @param x The exponent, > 1.
 * @param q The shift (default 1).
 * @returns `ζ(x, q)`.
 */
export function zeta(x: ArrayLike, q: ArrayLike = 1): A {
  const [xa, qa] = floats(x, q);
  return sp.zeta(xa, qa);
}

/**
 * The regularised lower incomplete gamma function
 * `P(a, x) = γ(a, x)/Γ(a)`, elementwise with broadcasting (power series and
 * continued fraction). Differentiable in `x` (any order) and, once, in `a`
 * (as JAX's `igamma_grad_a`).
 *
 * @example The exponential distribution's CDF
 * ```ts
 * import { scipy } from "@nabla/ad";
 * import { ok } from "node:assert/strict";
 *
 * ok(Math.abs((scipy.special.gammainc(1, 2).item() as number) - (1 - Math.exp(-2))) < 1e-15);
 * ```
 *
 * @param a The shape, ≥ 0.
 * @param x The upper limit, ≥ 0.
 * @returns `P(a, x)`.
 */
export function gammainc(a: ArrayLike, x: ArrayLike): A {
  const [aa, xa] = floats(a, x);
  return sp.igamma(aa, xa);
}

/**
 * The regularised upper incomplete gamma function `Q(a, x) = 1 - P(a, x)`,
 * elementwise, accurate where it is tiny (its own continued fraction).
 *
 * @example The upper tail
 * ```ts
 * import { scipy } from "@nabla/ad";
 * import { ok } from "node:assert/strict";
 *
 * const q = scipy.special.gammaincc(1, 50).item() as number;
 * ok(Math.abs(q / Math.exp(-50) - 1) < 1e-14);
 * ```
 *
 * @param a The shape, ≥ 0.
 * @param x The lower limit, ≥ 0.
 * @returns `Q(a, x)`.
 */
export function gammaincc(a: ArrayLike, x: ArrayLike): A {
  const [aa, xa] = floats(a, x);
  return sp.igammac(aa, xa);
}

/**
 * The regularised incomplete beta function `I_x(a, b)`, elementwise with
 * broadcasting (continued fraction); differentiable in `x` only (JAX refuses
 * `a` and `b` too).
 *
 * @example I_x(1, 1) = x
 * ```ts
 * import { scipy } from "@nabla/ad";
 * import { ok } from "node:assert/strict";
 *
 * ok(Math.abs((scipy.special.betainc(1, 1, 0.3).item() as number) - 0.3) < 1e-15);
 * ```
 *
 * @param a First shape, > 0.
 * @param b Second shape, > 0.
 * @param x In [0, 1].
 * @returns `I_x(a, b)`.
 */
export function betainc(a: ArrayLike, b: ArrayLike, x: ArrayLike): A {
  const [aa, ba, xa] = floats(a, b, x);
  return sp.betainc(aa, ba, xa);
}

/**
 * `log |B(a, b)| = log Γ(a) + log Γ(b) - log Γ(a + b)`, elementwise with
 * broadcasting; for `max(a, b) ≥ 10` the difference `log Γ(b) - log Γ(a + b)`
 * comes from Stirling's series, so it stays accurate where the three terms
 * are large. `∂/∂a = ψ(a) - ψ(a + b)`.
 *
 * @example B(2, 3) = 1/12
 * ```ts
 * import { scipy } from "@nabla/ad";
 * import { ok } from "node:assert/strict";
 *
 * ok(Math.abs((scipy.special.betaln(2, 3).item() as number) + Math.log(12)) < 1e-15);
 * ```
 *
 * @param a First argument.
 * @param b Second argument.
 * @returns `log B(a, b)`.
 */
export function betaln(a: ArrayLike, b: ArrayLike): A {
  const [aa, ba] = floats(a, b);
  return sp.lbeta(aa, ba);
}

/**
 * The beta function `B(a, b) = sign · exp(betaln(a, b))` (JAX's definition).
 *
 * @example B(2, 3) = 1/12
 * ```ts
 * import { scipy } from "@nabla/ad";
 * import { ok } from "node:assert/strict";
 *
 * ok(Math.abs((scipy.special.beta(2, 3).item() as number) - 1 / 12) < 1e-16);
 * ```
 *
 * @param a First argument.
 * @param b Second argument.
 * @returns `B(a, b)`.
 */
export function beta(a: ArrayLike, b: ArrayLike): A {
  const [aa, ba] = floats(a, b);
  const sign = np.multiply(np.multiply(gammasgn(aa), gammasgn(ba)), gammasgn(np.add(aa, ba)));
  return np.multiply(sign, np.exp(betaln(aa, ba)));
}

/**
 * Elementwise entropy `-x log x` (0 at 0, -∞ for x < 0).
 *
 * @example At ½
 * ```ts
 * import { scipy } from "@nabla/ad";
 * import { equal } from "node:assert/strict";
 *
 * equal(scipy.special.entr(0.5).item(), 0.5 * Math.LN2);
 * equal(scipy.special.entr(0).item(), 0);
 * ```
 *
 * @param x Input.
 * @returns `-x log x`.
 */
export function entr(x: ArrayLike): A {
  const a = floating(x);
  const pos = np.greater(a, 0);
  const safe = np.where(pos, a, 1);
  const v = np.negative(np.multiply(safe, np.log(safe)));
  return np.where(pos, v, np.where(np.equal(a, 0), 0, np.where(np.less(a, 0), -Infinity, NaN)));
}

/**
 * Relative entropy `p log(p/q)` elementwise: 0 for p = 0 ≤ q, ∞ where p < 0,
 * q < 0 or q = 0 < p (`jax.scipy.special.rel_entr`).
 *
 * @example
 * ```ts
 * import { scipy } from "@nabla/ad";
 * import { equal } from "node:assert/strict";
 *
 * equal(scipy.special.relEntr(1, Math.E).item(), -1);
 * equal(scipy.special.relEntr(0, 0.5).item(), 0);
 * ```
 *
 * @param p First argument.
 * @param q Second argument.
 * @returns `p log(p/q)`.
 */
export function relEntr(p: ArrayLike, q: ArrayLike): A {
  const [pa, qa] = floats(p, q);
  const both = np.logicalAnd(np.greater(pa, 0), np.greater(qa, 0));
  const ps = np.where(both, pa, 1), qs = np.where(both, qa, 1);
  const v = np.multiply(ps, np.log(np.divide(ps, qs)));
  const zero = np.logicalAnd(np.equal(pa, 0), np.greaterEqual(qa, 0));
  const nan = np.logicalOr(np.isnan(pa), np.isnan(qa));
  return np.where(nan, NaN, np.where(both, v, np.where(zero, 0, Infinity)));
}

/**
 * The elementwise Kullback–Leibler term `p log(p/q) - p + q`
 * (`jax.scipy.special.kl_div`).
 *
 * @example Zero where p = q
 * ```ts
 * import { scipy } from "@nabla/ad";
 * import { equal } from "node:assert/strict";
 *
 * equal(scipy.special.klDiv(0.3, 0.3).item(), 0);
 * ```
 *
 * @param p First argument.
 * @param q Second argument.
 * @returns `rel_entr(p, q) - p + q`.
 */
export function klDiv(p: ArrayLike, q: ArrayLike): A {
  const [pa, qa] = floats(p, q);
  return np.add(np.subtract(relEntr(pa, qa), pa), qa);
}

// ---------------------------------------------------------------------------
// Logistic and log helpers

/**
 * The logit `log(x / (1 - x))`, elementwise (the inverse of `expit`).
 *
 * @example logit(0.5) = 0
 * ```ts
 * import { scipy } from "@nabla/ad";
 * import { equal } from "node:assert/strict";
 *
 * equal(scipy.special.logit(0.5).item(), 0);
 * ```
 *
 * @param x Probabilities.
 * @returns Their log-odds.
 */
export function logit(x: ArrayLike): A {
  const a = floating(x);
  return np.log(np.divide(a, np.subtract(1, a)));
}

/**
 * The logistic sigmoid `1 / (1 + e⁻ˣ)`, elementwise, without overflow for
 * large |x| (`e^x / (1 + e^x)` for negative x).
 *
 * @example Saturates cleanly
 * ```ts
 * import { scipy } from "@nabla/ad";
 * import { equal } from "node:assert/strict";
 *
 * equal(scipy.special.expit(0).item(), 0.5);
 * equal(scipy.special.expit(-1000).item(), 0);
 * ```
 *
 * @param x Input.
 * @returns `1 / (1 + e⁻ˣ)`.
 */
export function expit(x: ArrayLike): A {
  const a = floating(x);
  const e = np.exp(np.negative(np.abs(a)));
  const r = np.divide(1, np.add(1, e));
  return np.where(np.greaterEqual(a, 0), r, np.multiply(e, r));
}

function xlogRule(name: string, logf: (y: A) => A, dlog: (y: A) => A) {
  const f = customJvp((x: A, y: A): A =>
    np.where(np.equal(x, 0), np.zerosLike(np.multiply(x, y)), np.multiply(x, logf(y)))
  );
  // JAX's rule: d = log f(y) dx + x f'(y)/f(y) dy (no special case at x = 0)
  f.defjvp(([x, y]: A[], [tx, ty]: A[]) => [
    f(x, y),
    np.add(np.multiply(tx, logf(y)), np.multiply(ty, np.multiply(x, dlog(y)))),
  ]);
  void name;
  return f;
}
const xlogyRule = xlogRule("xlogy", np.log, (y) => np.reciprocal(y));
const xlog1pyRule = xlogRule("xlog1py", np.log1p, (y) => np.reciprocal(np.add(y, 1)));

/**
 * `x · log(y)`, 0 where x = 0 (also for y = 0), elementwise with
 * broadcasting; its derivative is JAX's (`log y dx + x/y dy`).
 *
 * @example 0 · log 0 = 0
 * ```ts
 * import { scipy } from "@nabla/ad";
 * import { equal } from "node:assert/strict";
 *
 * equal(scipy.special.xlogy(0, 0).item(), 0);
 * equal(scipy.special.xlogy(2, Math.E).item(), 2);
 * ```
 *
 * @param x Multiplier.
 * @param y Argument of the logarithm.
 * @returns `x log y`.
 */
export function xlogy(x: ArrayLike, y: ArrayLike): A {
  const [xa, ya] = floats(x, y);
  return xlogyRule(xa, ya);
}

/**
 * `x · log(1 + y)`, 0 where x = 0, elementwise with broadcasting.
 *
 * @example 0 · log(1 + (-1)) = 0
 * ```ts
 * import { scipy } from "@nabla/ad";
 * import { equal } from "node:assert/strict";
 *
 * equal(scipy.special.xlog1py(0, -1).item(), 0);
 * ```
 *
 * @param x Multiplier.
 * @param y Argument of `log1p`.
 * @returns `x log1p(y)`.
 */
export function xlog1py(x: ArrayLike, y: ArrayLike): A {
  const [xa, ya] = floats(x, y);
  return xlog1pyRule(xa, ya);
}

/** Options of {@linkcode logsumexp}. */
export interface LogsumexpOptions {
  /** Axis or axes to reduce (all by default). */
  axis?: number | readonly number[] | null;
  /** Weights: `log Σ b eᵃ` (broadcast against `a`). */
  b?: ArrayLike;
  /** Keep the reduced axes with size 1. */
  keepdims?: boolean;
  /** Return `[log |Σ b eᵃ|, sign]` instead of NaN for negative sums. */
  returnSign?: boolean;
  /** Which elements take part (broadcast against `a`). */
  where?: ArrayLike;
}

/**
 * `log Σ b · exp(a)` over `axis`, stably (the maximum factored out and held
 * constant for the gradient), as `jax.scipy.special.logsumexp`: with weights
 * `b` a negative sum gives NaN, or, with `returnSign`, `[log |sum|, sign]`.
 *
 * @example Weights and signs
 * ```ts
 * import { scipy } from "@nabla/ad";
 * import { ok, equal } from "node:assert/strict";
 *
 * const y = scipy.special.logsumexp([1000, 1000], { b: [1, 2] }).item() as number;
 * ok(Math.abs(y - (1000 + Math.log(3))) < 1e-12);
 * const [v, s] = scipy.special.logsumexp([0, 1], { b: [1, -1], returnSign: true });
 * ok(Math.abs((v.item() as number) - Math.log(Math.E - 1)) < 1e-15);
 * equal(s.item(), -1);
 * ```
 *
 * @param a The exponents.
 * @param axisOrOptions The axis (or axes; JAX's positional form), or the options.
 * @param moreOptions `b`, `keepdims`, `returnSign`, `where` after a positional axis.
 * @returns The log-sum-exps (and their signs with `returnSign`).
 */
export function logsumexp(
  a: ArrayLike,
  options: LogsumexpOptions & { returnSign: true },
): [A, A];
export function logsumexp(
  a: ArrayLike,
  axis: number | readonly number[] | null,
  options: LogsumexpOptions & { returnSign: true },
): [A, A];
export function logsumexp(
  a: ArrayLike,
  axisOrOptions?: number | readonly number[] | null | LogsumexpOptions,
  options?: LogsumexpOptions,
): A;
export function logsumexp(
  a: ArrayLike,
  axisOrOptions?: number | readonly number[] | null | LogsumexpOptions,
  moreOptions: LogsumexpOptions = {},
): A | [A, A] {
  // JAX's positional axis, or the options object
  const positional = axisOrOptions === null || typeof axisOrOptions === "number" ||
    Array.isArray(axisOrOptions);
  const options = positional
    ? { ...moreOptions, axis: axisOrOptions as number | readonly number[] | null }
    : (axisOrOptions ?? moreOptions) as LogsumexpOptions;
  checkOptions("scipy.special.logsumexp", options, [
    "axis",
    "b",
    "keepdims",
    "returnSign",
    "where",
  ]);
  const { axis = null, b, keepdims = false, returnSign = false, where } = options;
  let x: A;
  let w: A | undefined;
  if (b !== undefined) {
    [x, w] = floats(a, b);
    x = np.where(np.notEqual(w, 0), x, -Infinity);
  } else x = floating(a);
  if (where !== undefined) x = np.where(where, x, -Infinity);
  const ax = axis === null ? undefined : axis;
  const empty = x.size === 0;
  const m0 = empty ? np.zeros([], x.dtype) : np.max(x, ax, { keepdims: true });
  const m = stopGradient(np.where(np.isfinite(m0), m0, 0));
  let e = np.exp(np.subtract(x, m));
  if (w !== undefined) e = np.multiply(e, w);
  const s = np.sum(e, ax, { keepdims: true });
  const sign = np.sign(s);
  let out = np.add(np.log(np.abs(s)), m);
  let sg = sign;
  if (!keepdims) {
    const axes = ax === undefined
      ? [...out.shape.keys()]
      : (typeof ax === "number" ? [ax] : [...ax]).map((i) => (i < 0 ? i + x.ndim : i));
    out = np.squeeze(out, axes);
    sg = np.squeeze(sign, axes);
  }
  if (returnSign) return [out, sg];
  return w === undefined ? out : np.where(np.less(sg, 0), NaN, out);
}

// ---------------------------------------------------------------------------
// Bessel functions

/**
 * `e^{-|x|} I₀(x)`, the exponentially scaled modified Bessel function of
 * order 0, elementwise; `d i0e = i1e - sign(x) i0e`.
 *
 * @example i0e(0) = 1
 * ```ts
 * import { scipy } from "@nabla/ad";
 * import { equal } from "node:assert/strict";
 *
 * equal(scipy.special.i0e(0).item(), 1);
 * ```
 *
 * @param x Input.
 * @returns `e^{-|x|} I₀(x)`.
 */
export function i0e(x: ArrayLike): A {
  return sp.besselI0e(floating(x));
}

/**
 * `e^{-|x|} I₁(x)`, elementwise (odd); its derivative is ½ at 0 (as JAX).
 *
 * @example Small arguments: I₁(x) ≈ x/2
 * ```ts
 * import { scipy } from "@nabla/ad";
 * import { ok } from "node:assert/strict";
 *
 * ok(Math.abs((scipy.special.i1e(1e-8).item() as number) - 0.5e-8) < 1e-16);
 * ```
 *
 * @param x Input.
 * @returns `e^{-|x|} I₁(x)`.
 */
export function i1e(x: ArrayLike): A {
  return sp.besselI1e(floating(x));
}

/**
 * The modified Bessel function of order 0, `I₀(x) = e^{|x|} i0e(x)`.
 *
 * @example I₀(1)
 * ```ts
 * import { scipy } from "@nabla/ad";
 * import { ok } from "node:assert/strict";
 *
 * ok(Math.abs((scipy.special.i0(1).item() as number) - 1.2660658777520082) < 1e-15);
 * ```
 *
 * @param x Input.
 * @returns `I₀(x)`.
 */
export function i0(x: ArrayLike): A {
  const a = floating(x);
  return np.multiply(np.exp(np.abs(a)), i0e(a));
}

/**
 * The modified Bessel function of order 1, `I₁(x) = e^{|x|} i1e(x)`.
 *
 * @example I₁(1)
 * ```ts
 * import { scipy } from "@nabla/ad";
 * import { ok } from "node:assert/strict";
 *
 * ok(Math.abs((scipy.special.i1(1).item() as number) - 0.565159103992485) < 1e-15);
 * ```
 *
 * @param x Input.
 * @returns `I₁(x)`.
 */
export function i1(x: ArrayLike): A {
  const a = floating(x);
  return np.multiply(np.exp(np.abs(a)), i1e(a));
}

// ---------------------------------------------------------------------------
// The normal distribution function

const SQRT1_2 = Math.SQRT1_2;

/**
 * The standard normal CDF `Φ(x) = ½ erfc(-x/√2)`, elementwise, accurate in
 * the lower tail.
 *
 * @example Φ(0) = ½
 * ```ts
 * import { scipy } from "@nabla/ad";
 * import { equal } from "node:assert/strict";
 *
 * equal(scipy.special.ndtr(0).item(), 0.5);
 * ```
 *
 * @param x Input.
 * @returns `Φ(x)`.
 */
export function ndtr(x: ArrayLike): A {
  const a = floating(x);
  return np.multiply(0.5, erfc(np.multiply(a, -SQRT1_2)));
}

// log Φ(x) for x ≤ -20: -x²/2 - log(-x) - log √(2π) + log(1 + Σₙ (-1)ⁿ (2n-1)!!/x²ⁿ)
function logNdtrLower(x: A): A {
  const r = np.reciprocal(np.multiply(x, x));
  let term: A = np.onesLike(x);
  let sum: A = np.onesLike(x);
  for (let n = 1; n <= 12; n++) {
    term = np.multiply(term, np.multiply(r, -(2 * n - 1)));
    sum = np.add(sum, term);
  }
  return np.subtract(
    np.subtract(np.multiply(np.multiply(x, x), -0.5), np.log(np.negative(x))),
    np.subtract(0.9189385332046728, np.log(sum)),
  );
}

/**
 * `log Φ(x)`, elementwise, accurate over the whole line: `log1p(-Φ(-x))`
 * for x > 0, an asymptotic series for x < -20.
 *
 * @example Far in the lower tail
 * ```ts
 * import { scipy } from "@nabla/ad";
 * import { ok } from "node:assert/strict";
 *
 * const y = scipy.special.logNdtr(-40).item() as number;
 * ok(Math.abs(y / -804.6084420137538 - 1) < 1e-14);
 * ```
 *
 * @param x Input.
 * @returns `log Φ(x)`.
 */
export function logNdtr(x: ArrayLike): A {
  const a = floating(x);
  const hi = np.greater(a, 0);
  const lo = np.less(a, -20);
  const mid = np.log(ndtr(np.where(np.logicalOr(hi, lo), -1, a)));
  const upper = np.log1p(np.negative(ndtr(np.negative(np.where(hi, a, 1)))));
  const lower = logNdtrLower(np.where(lo, a, -21));
  return np.where(hi, upper, np.where(lo, lower, mid));
}

/**
 * SciPy's and JAX's name for {@linkcode logNdtr}.
 *
 * @example log Φ(0) = -log 2
 * ```ts
 * import { scipy } from "@nabla/ad";
 * import { equal } from "node:assert/strict";
 *
 * equal(scipy.special.log_ndtr(0).item(), -Math.LN2);
 * ```
 */
export const log_ndtr: (x: ArrayLike) => A = logNdtr;

// A&S 26.2.23: a starting point for the lower tail (|error| < 4.5e-4)
function tailGuess(p: A): A {
  const t = np.sqrt(np.multiply(-2, np.log(p)));
  const num = np.add(2.515517, np.multiply(t, np.add(0.802853, np.multiply(t, 0.010328))));
  const den = np.add(
    1,
    np.multiply(t, np.add(1.432788, np.multiply(t, np.add(0.189269, np.multiply(t, 0.001308))))),
  );
  return np.negative(np.subtract(t, np.divide(num, den)));
}

/** Φ⁻¹(p) for 0 < p ≤ ½ by Halley's iteration from the A&S guess (inputs clamped by the caller). */
function ndtriLower(p: A): A {
  let x = tailGuess(p);
  // Halley's iteration on Φ(x) = p: x -= r / (1 + x r / 2), r = (Φ(x) - p)/φ(x)
  for (let i = 0; i < 3; i++) {
    const phi = np.multiply(
      np.exp(np.multiply(np.multiply(x, x), -0.5)),
      1 / Math.sqrt(2 * Math.PI),
    );
    const r = np.divide(np.subtract(ndtr(x), p), phi);
    x = np.subtract(x, np.divide(r, np.add(1, np.multiply(np.multiply(x, r), 0.5))));
  }
  return x;
}

const ndtriRule = customJvp((p: A): A => {
  const central = np.logicalAnd(np.greaterEqual(p, 0.25), np.lessEqual(p, 0.75));
  const lower = np.logicalAnd(np.greater(p, 0), np.less(p, 0.25));
  const upper = np.logicalAnd(np.greater(p, 0.75), np.less(p, 1));
  const pc = np.where(central, p, 0.5);
  const xc = np.multiply(Math.SQRT2, erfInv(np.subtract(np.multiply(pc, 2), 1)));
  const xl = ndtriLower(np.where(lower, p, 0.1));
  // 1 - p is exact for p ≥ ½
  const xu = np.negative(ndtriLower(np.where(upper, np.subtract(1, p), 0.1)));
  const edge = np.where(np.equal(p, 0), -Infinity, np.where(np.equal(p, 1), Infinity, NaN));
  return np.where(central, xc, np.where(lower, xl, np.where(upper, xu, edge)));
});
// d Φ⁻¹(p) = √(2π) exp(x²/2) dp
ndtriRule.defjvp(([p]: A[], [t]: A[]) => {
  const x = ndtriRule(p);
  return [
    x,
    np.multiply(
      t,
      np.multiply(Math.sqrt(2 * Math.PI), np.exp(np.multiply(np.multiply(x, x), 0.5))),
    ),
  ];
});

/**
 * The inverse of the standard normal CDF, elementwise: `√2 erfinv(2p - 1)`
 * for ¼ ≤ p ≤ ¾, and in the tails Halley's iteration on `Φ(x) = p` (full
 * relative accuracy down to the smallest doubles); `-∞`/`∞` at 0/1, NaN
 * outside [0, 1]; `d Φ⁻¹(p) = dp / φ(Φ⁻¹ p)`.
 *
 * @example The 97.5% quantile
 * ```ts
 * import { scipy } from "@nabla/ad";
 * import { ok } from "node:assert/strict";
 *
 * ok(Math.abs((scipy.special.ndtri(0.975).item() as number) - 1.959963984540054) < 1e-14);
 * ```
 *
 * @param p Probabilities.
 * @returns Quantiles of the standard normal.
 */
export function ndtri(p: ArrayLike): A {
  return ndtriRule(floating(p));
}
