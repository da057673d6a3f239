/**
 * `scipy.special`: special functions composed from `np` (so they
 * differentiate and batch like everything else).
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

import type { ArrayLike, NdArray } from "../array/array.ts";
import { isInexact } from "../array/dtype.ts";
import * as np from "../numpy/index.ts";

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
