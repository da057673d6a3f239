/**
 * Installs the fluent `Array` methods (`x.add(y)`, `x.sum()`, `x.get(...)`,
 * `x.at(...)`, `x.std()`, `x.argsort()`, ...): each is the `np` function of
 * the same name.
 *
 * @module
 */

import { installArrayMethods } from "../array/array.ts";
import {
  add,
  astype,
  clip,
  divide,
  equal,
  greater,
  greaterEqual,
  less,
  lessEqual,
  multiply,
  negative,
  notEqual,
  power,
  round,
  subtract,
} from "./math.ts";
import {
  all,
  any,
  cumprod,
  cumsum,
  max,
  mean,
  min,
  prod,
  std,
  sum,
  var as var_,
} from "./reductions.ts";
import { ravel, repeat, reshape, squeeze, swapaxes, transpose } from "./manipulation.ts";
import { at, diagonal, get, take } from "./indexing.ts";
import { dot, matmul, trace } from "./products.ts";
import { argmax, argmin, argsort, nonzero, searchsorted, sort } from "./sorting.ts";
import { ptp } from "./statistics.ts";
import { conj, imag, real } from "./complex.ts";

installArrayMethods({
  add,
  subtract,
  multiply,
  divide,
  power,
  negative,
  sum,
  mean,
  max,
  min,
  reshape,
  transpose,
  astype,
  matmul,
  get,
  at,
  prod,
  std,
  var: var_,
  argmax,
  argmin,
  all,
  any,
  cumsum,
  cumprod,
  ravel,
  squeeze,
  clip,
  round,
  dot,
  sort,
  argsort,
  diagonal,
  trace,
  swapaxes,
  repeat,
  take,
  conj,
  real,
  imag,
  equal,
  notEqual,
  less,
  lessEqual,
  greater,
  greaterEqual,
  ptp,
  nonzero,
  searchsorted,
});
