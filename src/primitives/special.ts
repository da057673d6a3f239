/**
 * Special-function primitives (`lgamma`, `digamma`, `polygamma`, `zeta`,
 * `igamma`, `igammac`, `igamma_grad_a`, `zeta_grad_s`, `lbeta`, `betainc`, `bessel_i0e`,
 * `bessel_i1e`), elementwise over float operands of one dtype with NumPy
 * broadcasting. Kernels in `src/array/kernels/special.ts`; the rules follow
 * JAX's (`jax._src.lax.special`): `igamma_grad_a` and `zeta_grad_s` have no
 * derivative of their own, and `betainc` differentiates in `x` only.
 *
 * @module
 */

import { NdArray, storageOf } from "../array/array.ts";
import { allocate, isFloat } from "../array/dtype.ts";
import { broadcastShapesN, type Shape, shapesEqual, sizeOf } from "../array/shape.ts";
import { broadcastKernel } from "../array/kernels/structural.ts";
import {
  betaincKernel,
  specialBinaryKernel,
  type SpecialBinaryOp,
  specialUnaryKernel,
  type SpecialUnaryOp,
} from "../array/kernels/special.ts";
import type { TypedArray } from "../array/dtype.ts";
import { scalar } from "../array/create.ts";
import { bind } from "../core/handler.ts";
import { type Aval, type Primitive, type Tangent, Zero } from "../core/primitive.ts";
import {
  abs,
  add,
  div,
  expP,
  gt,
  log,
  log1pP,
  mul,
  neg,
  select,
  sign,
  sub,
} from "./elementwise.ts";
import { broadcastTangent, checkSameDType, sumTerms, vmapBroadcasting, zeroOut } from "./rules.ts";

const c = (v: number, like: NdArray): NdArray => scalar(v, like.dtype);
const exp = (x: NdArray): NdArray => bind(expP, [x], undefined);
const log1p = (x: NdArray): NdArray => bind(log1pP, [x], undefined);

function specialAval(name: string, args: readonly Aval[]): Aval {
  const dtype = checkSameDType(name, args);
  if (!isFloat(dtype)) {
    throw new TypeError(`Primitive '${name}' needs float operands: got ${dtype}`);
  }
  return { shape: broadcastShapesN(args.map((a) => a.shape)), dtype };
}

/** The operand's storage, materialised at the broadcast shape. */
function storageAt(x: NdArray, shape: Shape): TypedArray {
  if (shapesEqual(x.shape, shape)) return storageOf(x);
  const out = allocate(x.dtype, sizeOf(shape));
  broadcastKernel(storageOf(x), x.shape, shape, out);
  return out;
}

function notDifferentiable(name: string, what: string): never {
  throw new TypeError(`Differentiation rule for '${name}' ${what} not implemented`);
}

type Jvp = (args: readonly NdArray[], tangents: readonly Tangent[], y: NdArray) => Tangent;

function specialPrim(
  name: string,
  arity: number,
  run: (ins: TypedArray[], out: TypedArray) => void,
  jvpRule: Jvp,
): Primitive<undefined> {
  const prim: Primitive<undefined> = {
    name,
    impl(args) {
      const aval = specialAval(name, args);
      const out = allocate(aval.dtype, sizeOf(aval.shape));
      run(args.map((a) => storageAt(a, aval.shape)), out);
      return new NdArray(out, aval.shape, aval.dtype);
    },
    abstractEval: (args) => {
      if (args.length !== arity) {
        throw new TypeError(`Primitive '${name}' takes ${arity} operands: got ${args.length}`);
      }
      return specialAval(name, args);
    },
    jvp(args, tangents) {
      const y = bind(prim, args, undefined);
      if (tangents.every((t) => t instanceof Zero)) return [y, zeroOut(y)];
      return [y, jvpRule(args, tangents, y)];
    },
    vmap: (args, dims) => vmapBroadcasting(prim, args, dims),
  };
  return prim;
}

const unaryPrim = (name: string, op: SpecialUnaryOp, deriv: (x: NdArray, y: NdArray) => NdArray) =>
  specialPrim(
    name,
    1,
    ([x], out) => specialUnaryKernel(op, x, out),
    ([x], [t], y) => mul(t as NdArray, deriv(x, y)),
  );

const binaryRun = (op: SpecialBinaryOp) => ([x, y]: TypedArray[], out: TypedArray) =>
  specialBinaryKernel(op, x, y, out);

/** `t · f`, or nothing for a symbolic zero tangent. */
const term = (t: Tangent, f: () => NdArray): NdArray | null =>
  t instanceof Zero ? null : mul(t, f());

// d lgamma x = ψ(x) dx
export const lgammaP: Primitive<undefined> = unaryPrim("lgamma", "lgamma", (x) => digamma(x));
// d ψ(x) = ψ⁽¹⁾(x) dx
export const digammaP: Primitive<undefined> = unaryPrim(
  "digamma",
  "digamma",
  (x) => polygamma(c(1, x), x),
);
// d i0e x = (i1e x - sign(x) i0e x) dx
export const besselI0eP: Primitive<undefined> = unaryPrim(
  "bessel_i0e",
  "i0e",
  (x, y) => sub(besselI1e(x), mul(sign(x), y)),
);
// d i1e x = (i0e x - i1e x (sign x + 1/x)) dx, and ½ dx at 0
export const besselI1eP: Primitive<undefined> = unaryPrim("bessel_i1e", "i1e", (x, y) => {
  const notTiny = gt(abs(x), c(2.220446049250313e-16, x));
  const safe = select(notTiny, x, broadcastTangent(c(2.220446049250313e-16, x), x.shape));
  const d = sub(besselI0e(safe), mul(y, add(sign(safe), div(c(1, x), safe))));
  return select(notTiny, d, broadcastTangent(c(0.5, x), x.shape));
});

// ψ⁽ⁿ⁾(x): d/dx = ψ⁽ⁿ⁺¹⁾(x); n is an integer (no tangent, as JAX)
export const polygammaP: Primitive<undefined> = specialPrim(
  "polygamma",
  2,
  binaryRun("polygamma"),
  ([n, x], [tn, tx], y) => {
    if (!(tn instanceof Zero)) notDifferentiable("polygamma", "with respect to n");
    return sumTerms(y.shape, y.dtype, term(tx, () => polygamma(add(n, c(1, n)), x)));
  },
);

// ∂ζ(s, q)/∂s, which JAX differentiates no further in s; ∂/∂q = -ζ(s+1, q) - s ∂ζ(s+1, q)/∂s
export const zetaGradSP: Primitive<undefined> = specialPrim(
  "zeta_grad_s",
  2,
  binaryRun("zeta_grad_s"),
  ([s, q], [ts, tq], y) => {
    if (!(ts instanceof Zero)) notDifferentiable("zeta_grad_s", "with respect to s");
    const s1 = add(s, c(1, s));
    return sumTerms(
      y.shape,
      y.dtype,
      term(tq, () => neg(add(zeta(s1, q), mul(s, zetaGradS(s1, q))))),
    );
  },
);

// ζ(s, q): ∂/∂s by its own kernel, ∂/∂q = -s ζ(s + 1, q)
export const zetaP: Primitive<undefined> = specialPrim(
  "zeta",
  2,
  binaryRun("zeta"),
  ([s, q], [ts, tq], y) =>
    sumTerms(
      y.shape,
      y.dtype,
      term(ts, () => zetaGradS(s, q)),
      term(tq, () => neg(mul(s, zeta(add(s, c(1, s)), q)))),
    ),
);

// The Stirling correction log Γ(a) - ((a - ½) log a - a + log √(2π)), a ≥ 10, in powers of 1/a.
const STIRLING = [1 / 12, -1 / 360, 1 / 1260, -1 / 1680, 1 / 1188, -691 / 360360, 1 / 156];

/**
 * ∂P(a, x)/∂x = x^{a-1} e^{-x} / Γ(a); for a ≥ 10 in Stirling's form
 * `exp(a (log1p(u) - u) - log x + ½ log a - log √(2π) - corr(a))`, u = (x - a)/a,
 * which does not cancel the large terms a log x and log Γ(a).
 */
function igammaDx(a: NdArray, x: NdArray): NdArray {
  const one = c(1, a);
  const large = gt(a, c(10, a));
  const direct = sub(sub(mul(sub(a, one), log(x)), x), lgamma(a));
  const al = select(large, a, broadcastTangent(c(10, a), a.shape));
  const u = div(sub(x, al), al);
  const r = div(one, al);
  const r2 = mul(r, r);
  let corr = c(STIRLING[STIRLING.length - 1], a);
  for (let k = STIRLING.length - 2; k >= 0; k--) corr = add(mul(corr, r2), c(STIRLING[k], a));
  corr = mul(corr, r);
  const stirling = sub(
    add(sub(mul(al, sub(log1p(u), u)), log(x)), mul(c(0.5, a), log(al))),
    add(c(0.9189385332046728, a), corr),
  );
  return exp(select(large, stirling, direct));
}

// ∂P(a, x)/∂a, not differentiable further (as JAX's igamma_grad_a)
export const igammaGradAP: Primitive<undefined> = specialPrim(
  "igamma_grad_a",
  2,
  binaryRun("igamma_grad_a"),
  () => notDifferentiable("igamma_grad_a", ""),
);

// P(a, x): dP = ∂P/∂a da + x^{a-1} e^{-x}/Γ(a) dx
export const igammaP: Primitive<undefined> = specialPrim(
  "igamma",
  2,
  binaryRun("igamma"),
  ([a, x], [ta, tx], y) =>
    sumTerms(
      y.shape,
      y.dtype,
      term(ta, () => igammaGradA(a, x)),
      term(tx, () => igammaDx(a, x)),
    ),
);

// Q(a, x) = 1 - P(a, x): dQ = -dP
export const igammacP: Primitive<undefined> = specialPrim(
  "igammac",
  2,
  binaryRun("igammac"),
  ([a, x], [ta, tx], y) =>
    sumTerms(
      y.shape,
      y.dtype,
      term(ta, () => neg(igammaGradA(a, x))),
      term(tx, () => neg(igammaDx(a, x))),
    ),
);

// ψ(x) - ψ(x + d) (no cancellation for large x): ∂/∂x = ψ'(x) - ψ'(x + d), ∂/∂d = -ψ'(x + d)
export const digammaDiffP: Primitive<undefined> = specialPrim(
  "digamma_diff",
  2,
  binaryRun("digamma_diff"),
  ([x, d], [tx, td], y) => {
    const one = c(1, x);
    const t2 = polygamma(one, add(x, d));
    return sumTerms(
      y.shape,
      y.dtype,
      term(tx, () => sub(polygamma(one, x), t2)),
      term(td, () => neg(t2)),
    );
  },
);

// log |B(a, b)|: ∂/∂a = ψ(a) - ψ(a + b), ∂/∂b = ψ(b) - ψ(a + b)
export const lbetaP: Primitive<undefined> = specialPrim(
  "lbeta",
  2,
  binaryRun("lbeta"),
  ([a, b], [ta, tb], y) =>
    sumTerms(
      y.shape,
      y.dtype,
      term(ta, () => digammaDiff(a, b)),
      term(tb, () => digammaDiff(b, a)),
    ),
);

// I_x(a, b): dI = x^{a-1} (1-x)^{b-1} / B(a, b) dx; JAX refuses a and b
export const betaincP: Primitive<undefined> = specialPrim(
  "betainc",
  3,
  ([a, b, x], out) => betaincKernel(a, b, x, out),
  ([a, b, x], [ta, tb, tx], y) => {
    if (!(ta instanceof Zero) || !(tb instanceof Zero)) {
      notDifferentiable("betainc", "with respect to a and b");
    }
    const one = c(1, x);
    const logd = sub(add(mul(sub(a, one), log(x)), mul(sub(b, one), log1p(neg(x)))), lbeta(a, b));
    return sumTerms(y.shape, y.dtype, term(tx, () => exp(logd)));
  },
);

// Binders (operands already of one float dtype).
export const lgamma = (x: NdArray): NdArray => bind(lgammaP, [x], undefined);
export const digamma = (x: NdArray): NdArray => bind(digammaP, [x], undefined);
export const polygamma = (n: NdArray, x: NdArray): NdArray => bind(polygammaP, [n, x], undefined);
export const zeta = (s: NdArray, q: NdArray): NdArray => bind(zetaP, [s, q], undefined);
export const zetaGradS = (s: NdArray, q: NdArray): NdArray => bind(zetaGradSP, [s, q], undefined);
export const igamma = (a: NdArray, x: NdArray): NdArray => bind(igammaP, [a, x], undefined);
export const igammac = (a: NdArray, x: NdArray): NdArray => bind(igammacP, [a, x], undefined);
export const igammaGradA = (a: NdArray, x: NdArray): NdArray =>
  bind(igammaGradAP, [a, x], undefined);
export const digammaDiff = (x: NdArray, d: NdArray): NdArray =>
  bind(digammaDiffP, [x, d], undefined);
export const lbeta = (a: NdArray, b: NdArray): NdArray => bind(lbetaP, [a, b], undefined);
export const betainc = (a: NdArray, b: NdArray, x: NdArray): NdArray =>
  bind(betaincP, [a, b, x], undefined);
export const besselI0e = (x: NdArray): NdArray => bind(besselI0eP, [x], undefined);
export const besselI1e = (x: NdArray): NdArray => bind(besselI1eP, [x], undefined);
