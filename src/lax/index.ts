/**
 * `lax`: lower-level operations that map closely onto primitives, and
 * structured control flow. `lax` sits below `np`: it is built on primitive
 * binders, not on the `np` namespace.
 *
 * @example Control flow and a gradient stop
 * ```ts
 * import { lax, np } from "@nabla/ad";
 * import { equal } from "node:assert/strict";
 *
 * equal(lax.cond(true, np.sin, np.cos, 0).item(), 0);
 * equal(lax.stopGradient(np.array(2)).item(), 2);
 * ```
 *
 * @module
 */

export {
  bitcastConvertType,
  bitwiseAnd,
  bitwiseNot,
  bitwiseOr,
  bitwiseXor,
  clz,
  complex,
  conj,
  convertElementType,
  imag,
  populationCount,
  real,
  shiftLeft,
  shiftRightArithmetic,
  shiftRightLogical,
  stopGradient,
} from "./ops.ts";
export { broadcastInDim, dotGeneral, pad, reduce, select, sort, topK } from "./structural.ts";
export type { DotDimensionNumbers, SortOptions } from "./structural.ts";
export { dynamicSlice, dynamicUpdateSlice } from "./slicing.ts";
export type { StartIndex } from "./slicing.ts";
export { add, max, min, mul } from "./ops.ts";
export {
  conv,
  convDimensionNumbers,
  convGeneralDilated,
  convGeneralDilatedPatches,
  convTranspose,
  convWithGeneralPadding,
  padtypeToPads,
  reduceWindow,
} from "./conv.ts";
export type {
  ConvDimensionNumbers,
  ConvGeneralDilatedOptions,
  ConvTransposeOptions,
  DimensionNumbers,
  Padding,
  ReduceWindowOptions,
} from "./conv.ts";
export { erf, erfc, erfInv } from "../scipy/special.ts";
export {
  besselI0e,
  besselI1e,
  digamma,
  igamma,
  igammac,
  igammaGradA,
  lgamma,
  polygamma,
  randomGammaGrad,
  regularizedIncompleteBeta,
  zeta,
} from "./special.ts";
export { cond, foriLoop, map, scan, switch_ as switch, whileLoop } from "./control_flow.ts";
export type { ScanOptions } from "./control_flow.ts";
export { associativeScan } from "./associative_scan.ts";
export type { AssociativeScanOptions } from "./associative_scan.ts";
export * as linalg from "./linalg.ts";
