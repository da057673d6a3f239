/**
 * The closed set of built-in primitives, by name. The type says which rules
 * each has: every entry must provide `jvp` and `vmap`; the linear ones
 * (`LinearPrimitive`) also a `transpose`.
 *
 * The family modules of this folder (`elementwise`, `reductions`,
 * `structural`, `products`, `sort`, `prng`, `control_flow`, `fft`, `linalg`, and `rules.ts`,
 * `structural`, `products`, `sort`, `prng`, `control_flow`, `fft`, `conv`,
 * `windowed`, and `rules.ts`,
 * the combinators) import one another: broadcasting and summing are each
 * other's transposes, and rules bind primitives of other families. That
 * import cycle stays inside `primitives/` and is used only inside rule
 * bodies, never while a module evaluates, so any family can be loaded first
 * (tests/primitive_families_test.ts loads each alone in a fresh process).
 *
 * @module
 */

import type { LinearPrimitive, Primitive } from "../core/primitive.ts";
import * as ew from "./elementwise.ts";
import * as red from "./reductions.ts";
import * as st from "./structural.ts";
import * as pr from "./products.ts";
import * as prng from "./prng.ts";
import * as so from "./sort.ts";
import * as cf from "./control_flow.ts";
import * as ft from "./fft.ts";
import * as bw from "./bitwise.ts";
import * as la from "./linalg.ts";
import * as cv from "./conv.ts";
import * as wr from "./windowed.ts";

/**
 * Every built-in primitive, keyed by its camelCase name.
 *
 * @example Performing a primitive directly
 * ```ts
 * import { np } from "@nabla/ad";
 * import { bind, primitives } from "@nabla/ad/extend";
 * import { deepEqual, equal } from "node:assert/strict";
 *
 * equal(primitives.reduceSum.name, "reduce_sum");
 * const s = bind(primitives.reduceSum, [np.array([[1, 2], [3, 4]])], { axes: [0] });
 * deepEqual(s.tolist(), [4, 6]);
 * ```
 */
export const primitives: {
  readonly neg: LinearPrimitive<undefined>;
  readonly sin: Primitive<undefined>;
  readonly cos: Primitive<undefined>;
  readonly tan: Primitive<undefined>;
  readonly asin: Primitive<undefined>;
  readonly acos: Primitive<undefined>;
  readonly atan: Primitive<undefined>;
  readonly sinh: Primitive<undefined>;
  readonly cosh: Primitive<undefined>;
  readonly tanh: Primitive<undefined>;
  readonly asinh: Primitive<undefined>;
  readonly acosh: Primitive<undefined>;
  readonly atanh: Primitive<undefined>;
  readonly exp: Primitive<undefined>;
  readonly expm1: Primitive<undefined>;
  readonly log: Primitive<undefined>;
  readonly log1p: Primitive<undefined>;
  readonly sqrt: Primitive<undefined>;
  readonly abs: Primitive<undefined>;
  readonly sign: Primitive<undefined>;
  readonly floor: Primitive<undefined>;
  readonly ceil: Primitive<undefined>;
  readonly round: Primitive<undefined>;
  readonly not: Primitive<undefined>;
  readonly isNan: Primitive<undefined>;
  readonly isInf: Primitive<undefined>;
  readonly isFinite: Primitive<undefined>;
  readonly stopGradient: Primitive<undefined>;
  readonly add: LinearPrimitive<undefined>;
  readonly sub: LinearPrimitive<undefined>;
  readonly mul: LinearPrimitive<undefined>;
  readonly div: LinearPrimitive<undefined>;
  readonly pow: Primitive<undefined>;
  readonly integerPow: Primitive<ew.IntegerPowParams>;
  readonly max: Primitive<undefined>;
  readonly min: Primitive<undefined>;
  readonly atan2: Primitive<undefined>;
  readonly rem: Primitive<undefined>;
  readonly floorDivide: Primitive<undefined>;
  readonly eq: Primitive<undefined>;
  readonly ne: Primitive<undefined>;
  readonly lt: Primitive<undefined>;
  readonly le: Primitive<undefined>;
  readonly gt: Primitive<undefined>;
  readonly ge: Primitive<undefined>;
  readonly and: Primitive<undefined>;
  readonly or: Primitive<undefined>;
  readonly xor: Primitive<undefined>;
  readonly shiftLeft: Primitive<undefined>;
  readonly shiftRightLogical: Primitive<undefined>;
  readonly shiftRightArithmetic: Primitive<undefined>;
  readonly populationCount: Primitive<undefined>;
  readonly clz: Primitive<undefined>;
  readonly bitcastConvertType: Primitive<bw.BitcastParams>;
  readonly select: LinearPrimitive<undefined>;
  readonly convertElementType: LinearPrimitive<ew.ConvertParams>;
  readonly reduceSum: LinearPrimitive<red.ReduceParams>;
  readonly reduceMax: Primitive<red.ReduceParams>;
  readonly reduceMin: Primitive<red.ReduceParams>;
  readonly reduceProd: Primitive<red.ReduceParams>;
  readonly argmax: Primitive<red.AxisParams>;
  readonly argmin: Primitive<red.AxisParams>;
  readonly cumsum: LinearPrimitive<red.CumsumParams>;
  readonly broadcastTo: LinearPrimitive<st.BroadcastParams>;
  readonly reshape: LinearPrimitive<st.ReshapeParams>;
  readonly transpose: LinearPrimitive<st.TransposeParams>;
  readonly slice: LinearPrimitive<st.SliceParams>;
  readonly pad: LinearPrimitive<st.PadParams>;
  readonly concatenate: LinearPrimitive<st.ConcatenateParams>;
  readonly rev: LinearPrimitive<st.RevParams>;
  readonly take: LinearPrimitive<st.TakeParams>;
  readonly scatterAdd: LinearPrimitive<st.ScatterAddParams>;
  readonly dotGeneral: LinearPrimitive<pr.DotGeneralParams>;
  readonly threefry2x32: Primitive<undefined>;
  readonly argsort: Primitive<so.ArgsortParams>;
  readonly batchAny: Primitive<undefined>;
  readonly whileCarry: Primitive<undefined>;
  readonly complex: LinearPrimitive<undefined>;
  readonly real: LinearPrimitive<undefined>;
  readonly imag: LinearPrimitive<undefined>;
  readonly conj: LinearPrimitive<undefined>;
  readonly fft: LinearPrimitive<ft.FftParams>;
  readonly cholesky: Primitive<la.SymmetricParams>;
  readonly triangularSolve: LinearPrimitive<la.TriangularSolveParams>;
  readonly lu: Primitive<undefined>;
  readonly luPivots: Primitive<undefined>;
  readonly qr: Primitive<la.QrParams>;
  readonly eigh: Primitive<la.EighParams>;
  readonly eig: Primitive<la.EigParams>;
  readonly svd: Primitive<la.SvdParams>;
  readonly convGeneralDilated: LinearPrimitive<cv.ConvParams>;
  readonly reduceWindowSum: LinearPrimitive<wr.WindowParams>;
  readonly reduceWindowMax: Primitive<wr.WindowParams>;
  readonly reduceWindowMin: Primitive<wr.WindowParams>;
  readonly selectAndGatherAdd: LinearPrimitive<wr.SelectParams>;
  readonly selectAndScatterAdd: LinearPrimitive<wr.SelectParams>;
} = {
  neg: ew.negP,
  sin: ew.sinP,
  cos: ew.cosP,
  tan: ew.tanP,
  asin: ew.asinP,
  acos: ew.acosP,
  atan: ew.atanP,
  sinh: ew.sinhP,
  cosh: ew.coshP,
  tanh: ew.tanhP,
  asinh: ew.asinhP,
  acosh: ew.acoshP,
  atanh: ew.atanhP,
  exp: ew.expP,
  expm1: ew.expm1P,
  log: ew.logP,
  log1p: ew.log1pP,
  sqrt: ew.sqrtP,
  abs: ew.absP,
  sign: ew.signP,
  floor: ew.floorP,
  ceil: ew.ceilP,
  round: ew.roundP,
  not: ew.notP,
  isNan: ew.isnanP,
  isInf: ew.isinfP,
  isFinite: ew.isfiniteP,
  stopGradient: ew.stopGradientP,
  add: ew.addP,
  sub: ew.subP,
  mul: ew.mulP,
  div: ew.divP,
  pow: ew.powP,
  integerPow: ew.integerPowP,
  max: ew.maxP,
  min: ew.minP,
  atan2: ew.atan2P,
  rem: ew.remP,
  floorDivide: ew.floorDivideP,
  eq: ew.eqP,
  ne: ew.neP,
  lt: ew.ltP,
  le: ew.leP,
  gt: ew.gtP,
  ge: ew.geP,
  and: ew.andP,
  or: ew.orP,
  xor: bw.xorP,
  shiftLeft: bw.shiftLeftP,
  shiftRightLogical: bw.shiftRightLogicalP,
  shiftRightArithmetic: bw.shiftRightArithmeticP,
  populationCount: bw.populationCountP,
  clz: bw.clzP,
  bitcastConvertType: bw.bitcastConvertTypeP,
  select: ew.selectP,
  convertElementType: ew.convertP,
  reduceSum: red.reduceSumP,
  reduceMax: red.reduceMaxP,
  reduceMin: red.reduceMinP,
  reduceProd: red.reduceProdP,
  argmax: red.argmaxP,
  argmin: red.argminP,
  cumsum: red.cumsumP,
  broadcastTo: st.broadcastToP,
  reshape: st.reshapeP,
  transpose: st.transposeP,
  slice: st.sliceP,
  pad: st.padP,
  concatenate: st.concatenateP,
  rev: st.revP,
  take: st.takeP,
  scatterAdd: st.scatterAddP,
  dotGeneral: pr.dotGeneralP,
  threefry2x32: prng.threefry2x32P,
  argsort: so.argsortP,
  batchAny: cf.batchAnyP,
  whileCarry: cf.whileCarryP,
  complex: ft.complexP,
  real: ft.realP,
  imag: ft.imagP,
  conj: ft.conjP,
  fft: ft.fftP,
  cholesky: la.choleskyP,
  triangularSolve: la.triangularSolveP,
  lu: la.luP,
  luPivots: la.luPivotsP,
  qr: la.qrP,
  eigh: la.eighP,
  eig: la.eigP,
  svd: la.svdP,
  convGeneralDilated: cv.convGeneralDilatedP,
  reduceWindowSum: wr.reduceWindowSumP,
  reduceWindowMax: wr.reduceWindowMaxP,
  reduceWindowMin: wr.reduceWindowMinP,
  selectAndGatherAdd: wr.selectAndGatherAddP,
  selectAndScatterAdd: wr.selectAndScatterAddP,
};
