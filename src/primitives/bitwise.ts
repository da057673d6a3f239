/**
 * Bitwise primitives on integer (and, for `xor`, bool) operands: `xor`, the
 * shifts `shift_left`, `shift_right_logical` and `shift_right_arithmetic`
 * (XLA's semantics for shifts by the width or more), `population_count` and
 * `clz`, and `bitcast_convert_type`. `and`, `or` and `not` (bitwise on integers, logical on bool) are in
 * `elementwise.ts`. All are piecewise constant: their derivatives are zero
 * (JAX defines none; a zero tangent is what integer outputs carry).
 *
 * @module
 */

import { NdArray, storageOf } from "../array/array.ts";
import { allocate, bitWidth, type DType, isComplex, isInteger } from "../array/dtype.ts";
import { broadcastShapes, sizeOf } from "../array/shape.ts";
import {
  bitcastKernel,
  type BitcastKind,
  bitwiseBinaryKernel,
  type BitwiseBinaryOp,
  bitwiseUnaryKernel,
  type BitwiseUnaryOp,
} from "../array/kernels/bitwise.ts";
import { bind } from "../core/handler.ts";
import type { Aval, Primitive } from "../core/primitive.ts";
import { checkSameDType, vmapBroadcasting, zeroOut } from "./rules.ts";

function checkIntegral(name: string, dtype: DType, allowBool: boolean): void {
  if (!isInteger(dtype) && !(allowBool && dtype === "bool")) {
    throw new TypeError(
      `Primitive '${name}' needs integer${allowBool ? " or bool" : ""} operands: got ${dtype}`,
    );
  }
}

function bitwiseBinary(name: BitwiseBinaryOp): Primitive<undefined> {
  const aval = (x: Aval, y: Aval): Aval => {
    const dtype = checkSameDType(name, [x, y]);
    checkIntegral(name, dtype, name === "xor");
    return { shape: broadcastShapes(x.shape, y.shape), dtype };
  };
  const prim: Primitive<undefined> = {
    name,
    impl([x, y]) {
      const { shape, dtype } = aval(x, y);
      const out = allocate(dtype, sizeOf(shape));
      bitwiseBinaryKernel(
        name,
        storageOf(x),
        x.shape,
        storageOf(y),
        y.shape,
        out,
        shape,
        bitWidth(dtype),
      );
      return new NdArray(out, shape, dtype);
    },
    abstractEval: ([x, y]) => aval(x, y),
    jvp([x, y]) {
      const out = bind(prim, [x, y], undefined);
      return [out, zeroOut(out)];
    },
    vmap: (args, dims) => vmapBroadcasting(prim, args, dims),
  };
  return prim;
}

function bitwiseUnary(name: BitwiseUnaryOp): Primitive<undefined> {
  const aval = (x: Aval): Aval => {
    checkIntegral(name, x.dtype, false);
    return { shape: x.shape, dtype: x.dtype };
  };
  const prim: Primitive<undefined> = {
    name,
    impl([x]) {
      aval(x);
      const out = allocate(x.dtype, x.size);
      bitwiseUnaryKernel(name, storageOf(x), out, bitWidth(x.dtype));
      return new NdArray(out, x.shape, x.dtype);
    },
    abstractEval: ([x]) => aval(x),
    jvp([x]) {
      const out = bind(prim, [x], undefined);
      return [out, zeroOut(out)];
    },
    vmap: (args, dims) => [bind(prim, args, undefined), dims[0]],
  };
  return prim;
}

/** Bitwise exclusive or (logical on bool). */
export const xorP: Primitive<undefined> = bitwiseBinary("xor");
/** `x << y`; 0 where `y` is negative or at least the width. */
export const shiftLeftP: Primitive<undefined> = bitwiseBinary("shift_left");
/** `x >>> y` on the dtype's bits; 0 where `y` is negative or at least the width. */
export const shiftRightLogicalP: Primitive<undefined> = bitwiseBinary("shift_right_logical");
/** `x >> y` with sign fill; the sign everywhere (0 or -1) where `y` is negative or at least the width. */
export const shiftRightArithmeticP: Primitive<undefined> = bitwiseBinary(
  "shift_right_arithmetic",
);
/** The number of set bits of each element. */
export const populationCountP: Primitive<undefined> = bitwiseUnary("population_count");
/** The number of leading zero bits of each element, in the dtype's width. */
export const clzP: Primitive<undefined> = bitwiseUnary("clz");

/** Parameters of `bitcast_convert_type`. */
export interface BitcastParams {
  /** The target dtype, of the operand's width. */
  readonly dtype: DType;
}

function bitcastKind(dtype: DType): BitcastKind {
  return dtype === "float64" || dtype === "float32" || dtype === "float16" ||
      dtype === "bfloat16"
    ? dtype
    : "int";
}

function bitcastAval(x: Aval, dtype: DType): Aval {
  const ok = (d: DType) => d !== "bool" && !isComplex(d);
  if (!ok(x.dtype) || !ok(dtype) || bitWidth(x.dtype) !== bitWidth(dtype)) {
    throw new TypeError(
      `Primitive 'bitcast_convert_type' needs real non-bool dtypes of one width: got ${x.dtype} (${
        bitWidth(x.dtype)
      } bits) to ${dtype} (${bitWidth(dtype)} bits)`,
    );
  }
  return { shape: x.shape, dtype };
}

/**
 * Reinterprets the bits of each element as another dtype of the same width
 * (`float32` ↔ `int32`/`uint32`, `float16`/`bfloat16` ↔ `int16`/`uint16`,
 * `int8` ↔ `uint8`). Not differentiable (JAX defines no derivative): its
 * tangent is zero.
 */
export const bitcastConvertTypeP: Primitive<BitcastParams> = {
  name: "bitcast_convert_type",
  impl([x], { dtype }) {
    bitcastAval(x, dtype);
    const out = allocate(dtype, x.size);
    bitcastKernel(storageOf(x), bitcastKind(x.dtype), out, bitcastKind(dtype), bitWidth(dtype));
    return new NdArray(out, x.shape, dtype);
  },
  abstractEval: ([x], { dtype }) => bitcastAval(x, dtype),
  jvp([x], _t, params) {
    const out = bind(bitcastConvertTypeP, [x], params);
    return [out, zeroOut(out)];
  },
  vmap: ([x], [d], params) => [bind(bitcastConvertTypeP, [x], params), d],
};
