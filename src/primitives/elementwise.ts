/**
 * Elementwise primitives: unary math, binary arithmetic with NumPy
 * broadcasting, comparisons, `select` and dtype conversion. Binary primitives
 * take operands of one dtype (the `np` layer promotes); they broadcast
 * themselves, so their transpose rules sum cotangents back to operand shapes.
 *
 * Each unary primitive needs only its derivative, given as a function of the
 * input `x` and the output `y` (so `exp` reuses its result).
 *
 * @module
 */

import { NdArray } from "../array/array.ts";
import { allocate, type DType, isComplex, isFloat, isInexact } from "../array/dtype.ts";
import { convertComplexKernel } from "../array/kernels/complex.ts";
import { broadcastShapesN, sizeOf } from "../array/shape.ts";
import { convertKernel, selectKernel } from "../array/kernels/elementwise.ts";
import { bind, Tracer } from "../core/handler.ts";
import { type LinearPrimitive, type Primitive, Zero } from "../core/primitive.ts";
import {
  binary,
  binaryImpl,
  type BinaryJvp,
  broadcastTangent,
  checkSameDType,
  flatUnary,
  lin,
  linearBinaryTranspose,
  smoothUnary,
  sumTerms,
  unaryAval,
  unaryImpl,
  unbroadcast,
  vmapBroadcasting,
  withTranspose,
  zeroOut,
} from "./rules.ts";
import { scalar } from "../array/create.ts";
import { storageOf } from "../array/array.ts";

const c = (v: number, like: NdArray): NdArray => scalar(v, like.dtype);

/** `-x`; linear. */
export const negP: LinearPrimitive<undefined> = {
  name: "neg",
  complex: true, // negates both parts: the kernel's loop over storage slots is right
  impl: (args) => unaryImpl("neg", args[0]),
  abstractEval: (args) => unaryAval("neg", args[0]),
  jvp([x], [t]) {
    const y = neg(x);
    return [y, t instanceof Zero ? t : neg(t)];
  },
  vmap: (args, dims) => [neg(args[0]), dims[0]],
  transpose: (ct) => [neg(ct)],
};

// d sin x = cos x dx
export const sinP: Primitive<undefined> = smoothUnary("sin", "sin", (x) => cos(x));
// d cos x = -sin x dx
export const cosP: Primitive<undefined> = smoothUnary("cos", "cos", (x) => neg(sin(x)));
// d tan x = (1 + tan² x) dx
export const tanP: Primitive<undefined> = smoothUnary(
  "tan",
  "tan",
  (_x, y) => add(c(1, y), mul(y, y)),
);
// d asin x = dx / √(1 - x²)
export const asinP: Primitive<undefined> = smoothUnary(
  "asin",
  "asin",
  (x) => div(c(1, x), sqrt(sub(c(1, x), mul(x, x)))),
);
// d acos x = -dx / √(1 - x²)
export const acosP: Primitive<undefined> = smoothUnary(
  "acos",
  "acos",
  (x) => div(c(-1, x), sqrt(sub(c(1, x), mul(x, x)))),
);
// d atan x = dx / (1 + x²)
export const atanP: Primitive<undefined> = smoothUnary(
  "atan",
  "atan",
  (x) => div(c(1, x), add(c(1, x), mul(x, x))),
);
// d sinh x = cosh x dx
export const sinhP: Primitive<undefined> = smoothUnary("sinh", "sinh", (x) => cosh(x));
// d cosh x = sinh x dx
export const coshP: Primitive<undefined> = smoothUnary("cosh", "cosh", (x) => sinh(x));
// d tanh x = (1 - tanh² x) dx
export const tanhP: Primitive<undefined> = smoothUnary(
  "tanh",
  "tanh",
  (_x, y) => sub(c(1, y), mul(y, y)),
);
// d asinh x = dx / √(x² + 1)
export const asinhP: Primitive<undefined> = smoothUnary(
  "asinh",
  "asinh",
  (x) => div(c(1, x), sqrt(add(mul(x, x), c(1, x)))),
);
// d acosh x = dx / √((x - 1)(x + 1))
export const acoshP: Primitive<undefined> = smoothUnary(
  "acosh",
  "acosh",
  (x) => div(c(1, x), sqrt(mul(sub(x, c(1, x)), add(x, c(1, x))))),
);
// d atanh x = dx / (1 - x²)
export const atanhP: Primitive<undefined> = smoothUnary(
  "atanh",
  "atanh",
  (x) => div(c(1, x), sub(c(1, x), mul(x, x))),
);
// d exp x = exp x dx
export const expP: Primitive<undefined> = smoothUnary("exp", "exp", (_x, y) => y);
// d expm1 x = (expm1 x + 1) dx
export const expm1P: Primitive<undefined> = smoothUnary(
  "expm1",
  "expm1",
  (_x, y) => add(y, c(1, y)),
);
// d log x = dx / x
export const logP: Primitive<undefined> = smoothUnary("log", "log", (x) => div(c(1, x), x));
// d log1p x = dx / (1 + x)
export const log1pP: Primitive<undefined> = smoothUnary(
  "log1p",
  "log1p",
  (x) => div(c(1, x), add(x, c(1, x))),
);
// d √x = dx / (2 √x)
export const sqrtP: Primitive<undefined> = smoothUnary(
  "sqrt",
  "sqrt",
  (_x, y) => div(c(0.5, y), y),
);
// d |x| = dx where x >= 0, -dx elsewhere (so +dx at 0, as JAX)
export const absP: Primitive<undefined> = smoothUnary(
  "abs",
  "abs",
  (x) => select(bind(geP, [x, c(0, x)], undefined), c(1, x), c(-1, x)),
);
export const signP: Primitive<undefined> = flatUnary("sign", "sign");
export const floorP: Primitive<undefined> = flatUnary("floor", "floor");
export const ceilP: Primitive<undefined> = flatUnary("ceil", "ceil");
/** Rounds half to even, as NumPy. */
export const roundP: Primitive<undefined> = flatUnary("round", "round");
export const notP: Primitive<undefined> = flatUnary("not", "not");
export const isnanP: Primitive<undefined> = flatUnary("is_nan", "isnan");
export const isinfP: Primitive<undefined> = flatUnary("is_inf", "isinf");
export const isfiniteP: Primitive<undefined> = flatUnary("is_finite", "isfinite");

/** Identity whose tangent is zero: `stop_gradient`. */
export const stopGradientP: Primitive<undefined> = {
  name: "stop_gradient",
  impl: (args) => args[0],
  abstractEval: (args) => args[0],
  jvp([x]) {
    const y = bind(stopGradientP, [x], undefined);
    return [y, zeroOut(y)];
  },
  vmap: (args, dims) => [bind(stopGradientP, args, undefined), dims[0]],
};

/** Marks an additive primitive as handling complex operands (parts add separately). */
function complexAdditive<P>(prim: LinearPrimitive<P>): LinearPrimitive<P> {
  return Object.assign(prim, { complex: true });
}

/** Whether `x` is a concrete 0-d array holding 1. */
function isScalarOne(x: NdArray): boolean {
  return x.ndim === 0 && !(x instanceof Tracer) && storageOf(x)[0] === 1;
}

/** `x + y`; linear. */
export const addP: LinearPrimitive<undefined> = complexAdditive(withTranspose(
  binary(
    "add",
    "add",
    (_x, _y, tx, ty, out) => sumTerms(out.shape, out.dtype, lin(tx, (t) => t), lin(ty, (t) => t)),
  ),
  linearBinaryTranspose((ct) => ct),
));
/** `x - y`; linear. */
export const subP: LinearPrimitive<undefined> = complexAdditive(withTranspose(
  binary(
    "sub",
    "sub",
    (_x, _y, tx, ty, out) => sumTerms(out.shape, out.dtype, lin(tx, (t) => t), lin(ty, neg)),
  ),
  linearBinaryTranspose((ct, _o, which) => which === 0 ? ct : neg(ct)),
));
/** `x * y`; linear in each operand when the other is constant. */
export const mulP: LinearPrimitive<undefined> = withTranspose(
  // d(xy) = y dx + x dy
  binary(
    "mul",
    "mul",
    (x, y, tx, ty, out) =>
      sumTerms(out.shape, out.dtype, lin(tx, (t) => mul(t, y)), lin(ty, (t) => mul(x, t))),
  ),
  linearBinaryTranspose((ct, other) => {
    if (!(other instanceof NdArray)) {
      throw new TypeError("Primitive 'mul' is not linear in both operands at once");
    }
    // A cotangent of exactly 1 (grad's seed) scales nothing: skip a full pass.
    return isScalarOne(ct) && other.dtype === ct.dtype ? other : mul(ct, other);
  }),
);
/** `x / y` (true division for floats; truncating for int32); linear in `x`. */
export const divP: LinearPrimitive<undefined> = withTranspose(
  // d(x/y) = dx / y - (x/y) dy / y
  binary(
    "div",
    "div",
    (_x, y, tx, ty, out) =>
      sumTerms(
        out.shape,
        out.dtype,
        lin(tx, (t) => div(t, y)),
        lin(ty, (t) => neg(mul(t, div(out, y)))),
      ),
  ),
  (ct, [x, y]) => {
    if (y instanceof NdArray && !(x instanceof NdArray)) {
      return [unbroadcast(div(ct, y), x.shape), null];
    }
    throw new TypeError("Primitive 'div' is linear only in its numerator");
  },
);
// d xʸ = y xʸ⁻¹ dx + log(x) xʸ dy, as JAX's pow: the second term is 0 where x = 0 (log is
// taken of 1 there). For a static integer exponent use `integer_pow`, whose derivative is 0 at
// y = 0 even where x⁻¹ is infinite.
export const powP: Primitive<undefined> = binary("pow", "pow", (x, y, tx, ty, out) => {
  const dx = lin(tx, (t) => mul(t, mul(y, pow(x, sub(y, c(1, y))))));
  const dy = lin(ty, (t) => {
    const safeX = select(eq(x, c(0, x)), c(1, x), x);
    return mul(t, mul(log(safeX), out));
  });
  return sumTerms(out.shape, out.dtype, dx, dy);
});

/** Parameters of `integer_pow`. */
export interface IntegerPowParams {
  /** The exponent, a static integer. */
  readonly y: number;
}

/** `xʸ` for a static integer `y` (JAX's `integer_pow`, what `x ** 2` is). */
export const integerPowP: Primitive<IntegerPowParams> = {
  name: "integer_pow",
  impl: ([x], { y }) => binaryImpl("integer_pow", "pow", x, scalar(y, x.dtype)),
  abstractEval: ([x]) => ({ shape: x.shape, dtype: x.dtype }),
  // d xʸ = y xʸ⁻¹ dx, and 0 for y = 0
  jvp([x], [t], params) {
    const out = integerPow(x, params.y);
    if (t instanceof Zero || params.y === 0 || !isFloat(x.dtype)) return [out, zeroOut(out)];
    return [out, mul(t, mul(c(params.y, x), integerPow(x, params.y - 1)))];
  },
  vmap: ([x], [d], params) => [integerPow(x, params.y), d],
};

/** `xʸ` for a static integer `y` (`x` itself for 1, ones for 0 are still computed by the kernel). */
export function integerPow(x: NdArray, y: number): NdArray {
  return y === 1 ? x : bind(integerPowP, [x], { y });
}

/**
 * Ties share the tangent equally (JAX's `_balanced_eq`): the weight of `x` is
 * `[x = out] / (1 + [y = out])`, and symmetrically for `y`.
 */
const chooserJvp: BinaryJvp = (x, y, tx, ty, out) => {
  const one = c(1, out), two = c(2, out), zero = c(0, out);
  const weight = (a: NdArray, b: NdArray) =>
    div(select(eq(a, out), one, zero), select(eq(b, out), two, one));
  return sumTerms(
    out.shape,
    out.dtype,
    lin(tx, (t) => mul(t, weight(x, y))),
    lin(ty, (t) => mul(t, weight(y, x))),
  );
};
export const maxP: Primitive<undefined> = binary("max", "max", chooserJvp);
export const minP: Primitive<undefined> = binary("min", "min", chooserJvp);
// d atan2(x, y) = (y dx - x dy) / (x² + y²)
export const atan2P: Primitive<undefined> = binary("atan2", "atan2", (x, y, tx, ty, out) => {
  const r2 = add(mul(x, x), mul(y, y));
  return sumTerms(
    out.shape,
    out.dtype,
    lin(tx, (t) => mul(t, div(y, r2))),
    lin(ty, (t) => mul(t, neg(div(x, r2)))),
  );
});
// rem(x, y) = x - trunc(x / y) y: d rem = dx - trunc(x / y) dy
export const remP: Primitive<undefined> = binary("rem", "rem", (x, y, tx, ty, out) => {
  const q = div(x, y);
  const trunc = mul(sign(q), floor(abs(q)));
  return sumTerms(out.shape, out.dtype, lin(tx, (t) => t), lin(ty, (t) => neg(mul(t, trunc))));
});
export const floorDivideP: Primitive<undefined> = binary("floor_divide", "floor_divide", "zero");
export const eqP: Primitive<undefined> = binary("eq", "eq", "zero");
export const neP: Primitive<undefined> = binary("ne", "ne", "zero");
export const ltP: Primitive<undefined> = binary("lt", "lt", "zero");
export const leP: Primitive<undefined> = binary("le", "le", "zero");
export const gtP: Primitive<undefined> = binary("gt", "gt", "zero");
export const geP: Primitive<undefined> = binary("ge", "ge", "zero");
/** Logical (bool) or bitwise (integers) and. */
export const andP: Primitive<undefined> = binary("and", "and", "zero");
/** Logical (bool) or bitwise (integers) or. */
export const orP: Primitive<undefined> = binary("or", "or", "zero");

// ---------------------------------------------------------------------------
// select and convert_element_type

/** `select(pred, onTrue, onFalse)` with broadcasting; linear in the two branches. */
export const selectP: LinearPrimitive<undefined> = {
  name: "select",
  impl([p, a, b]) {
    if (p.dtype !== "bool") {
      throw new TypeError(`Primitive 'select' needs a bool predicate: got ${p.dtype}`);
    }
    checkSameDType("select", [a, b]);
    const shape = broadcastShapesN([p.shape, a.shape, b.shape]);
    const out = allocate(a.dtype, sizeOf(shape));
    selectKernel(
      storageOf(p) as Uint8Array,
      p.shape,
      storageOf(a),
      a.shape,
      storageOf(b),
      b.shape,
      out,
      shape,
    );
    return new NdArray(out, shape, a.dtype);
  },
  abstractEval: ([p, a, b]) => ({
    shape: broadcastShapesN([p.shape, a.shape, b.shape]),
    dtype: checkSameDType("select", [a, b]),
  }),
  jvp([p, a, b], [, ta, tb]) {
    const out = select(p, a, b);
    if (ta instanceof Zero && tb instanceof Zero) return [out, zeroOut(out)];
    const z = c(0, out);
    const t = select(p, ta instanceof Zero ? z : ta, tb instanceof Zero ? z : tb);
    return [out, broadcastTangent(t, out.shape)];
  },
  vmap: (args, dims) => vmapBroadcasting(selectP, args, dims),
  transpose(ct, [p, a, b]) {
    if (!(p instanceof NdArray)) {
      throw new TypeError("Primitive 'select' is not linear in its predicate");
    }
    const z = c(0, ct);
    return [
      null,
      a instanceof NdArray ? null : unbroadcast(select(p, ct, z), a.shape),
      b instanceof NdArray ? null : unbroadcast(select(p, z, ct), b.shape),
    ];
  },
};

/** Parameters of `convert_element_type`. */
export interface ConvertParams {
  /** The target dtype. */
  readonly dtype: DType;
}

/** Converts to another dtype; linear between float dtypes. */
export const convertP: LinearPrimitive<ConvertParams> = {
  name: "convert_element_type",
  complex: true,
  impl([x], { dtype }) {
    if (x.dtype === dtype) return x;
    const out = allocate(dtype, x.size);
    if (isComplex(x.dtype) && !isComplex(dtype) && dtype !== "bool") {
      // complex → real: the real part (as JAX), then converted as a float64 would be.
      const re = new Float64Array(x.size);
      convertComplexKernel(storageOf(x), true, re, false);
      convertKernel(re, out, dtype);
    } else if (isComplex(x.dtype) || isComplex(dtype)) {
      // real → complex: im = 0; complex → bool: either part nonzero.
      convertComplexKernel(storageOf(x), isComplex(x.dtype), out, isComplex(dtype));
    } else convertKernel(storageOf(x), out, dtype);
    return new NdArray(out, x.shape, dtype);
  },
  abstractEval: ([x], { dtype }) => ({ shape: x.shape, dtype }),
  jvp([x], [t], params) {
    const y = convert(x, params.dtype);
    if (t instanceof Zero || !isInexact(params.dtype) || !isInexact(x.dtype)) {
      return [y, zeroOut(y)];
    }
    return [y, convert(t, params.dtype)];
  },
  vmap: ([x], [d], params) => [convert(x, params.dtype), d],
  transpose: (ct, [x]) => [convert(ct, x.dtype)],
};

// ---------------------------------------------------------------------------
// Functions that bind them (used by rules and by the np namespace)

const un = (p: Primitive<undefined>) => (x: NdArray): NdArray => bind(p, [x], undefined);
const bin = (p: Primitive<undefined>) => (x: NdArray, y: NdArray): NdArray =>
  bind(p, [x, y], undefined);

/** `-x`. */
export const neg: (x: NdArray) => NdArray = un(negP);
/** `sin x`. */
export const sin: (x: NdArray) => NdArray = un(sinP);
/** `cos x`. */
export const cos: (x: NdArray) => NdArray = un(cosP);
/** `sinh x`. */
export const sinh: (x: NdArray) => NdArray = un(sinhP);
/** `cosh x`. */
export const cosh: (x: NdArray) => NdArray = un(coshP);
/** `log x`. */
export const log: (x: NdArray) => NdArray = un(logP);
/** `√x`. */
export const sqrt: (x: NdArray) => NdArray = un(sqrtP);
/** `|x|`. */
export const abs: (x: NdArray) => NdArray = un(absP);
/** `sign x`. */
export const sign: (x: NdArray) => NdArray = un(signP);
/** `floor x`. */
export const floor: (x: NdArray) => NdArray = un(floorP);
/** `x + y`. */
export const add: (x: NdArray, y: NdArray) => NdArray = bin(addP);
/** `x - y`. */
export const sub: (x: NdArray, y: NdArray) => NdArray = bin(subP);
/** `x * y`. */
export const mul: (x: NdArray, y: NdArray) => NdArray = bin(mulP);
/** `x / y`. */
export const div: (x: NdArray, y: NdArray) => NdArray = bin(divP);
/** `x ** y`. */
export const pow: (x: NdArray, y: NdArray) => NdArray = bin(powP);
/** `x == y`. */
export const eq: (x: NdArray, y: NdArray) => NdArray = bin(eqP);
/** `x > y`. */
export const gt: (x: NdArray, y: NdArray) => NdArray = bin(gtP);
/** `x < y`. */
export const lt: (x: NdArray, y: NdArray) => NdArray = bin(ltP);
/** `pred ? a : b` elementwise. */
export function select(pred: NdArray, a: NdArray, b: NdArray): NdArray {
  return bind(selectP, [pred, a, b], undefined);
}
/** Converts `x` to `dtype` (no-op if it has it). */
export function convert(x: NdArray, dtype: DType): NdArray {
  return x.dtype === dtype ? x : bind(convertP, [x], { dtype });
}
