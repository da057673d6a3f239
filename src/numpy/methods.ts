/**
 * Installs the fluent `Array` methods (`x.add(y)`, `x.sum()`, `x.get(...)`,
 * `x.at(...)`, ...): each is the `np` function of the same name.
 *
 * @module
 */

import { installArrayMethods } from "../array/array.ts";
import { add, astype, divide, multiply, negative, power, subtract } from "./math.ts";
import { max, mean, min, sum } from "./reductions.ts";
import { reshape, transpose } from "./manipulation.ts";
import { at, get } from "./indexing.ts";
import { matmul } from "./products.ts";

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
});
