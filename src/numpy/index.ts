/**
 * The `np` namespace: a NumPy-like array API whose every function is composed
 * from primitives, so `grad`, `jvp` and `vmap` apply to all of it.
 *
 * Loading this module also installs the fluent `Array` methods
 * (`x.add(y)`, `x.sum()`, ...).
 *
 * @example Arithmetic, reductions and fluent methods
 * ```ts
 * import { np } from "@nabla/ad";
 * import { deepEqual, equal } from "node:assert/strict";
 *
 * const x = np.array([[1, 2], [3, 4]]);
 * deepEqual(np.add(x, 1).tolist(), [[2, 3], [4, 5]]);
 * equal(x.sum().item(), 10);
 * ```
 *
 * @module
 */

import { installArrayMethods } from "../array/array.ts";
import { add, astype, divide, multiply, negative, power, subtract } from "./math.ts";
import { max, mean, min, sum } from "./reductions.ts";
import { get, reshape, transpose } from "./shape.ts";
import { at } from "./at.ts";
import { matmul } from "./linalg.ts";

export * from "./creation.ts";
export * from "./math.ts";
export * from "./reductions.ts";
export * from "./shape.ts";
export * from "./linalg.ts";
export * from "./extra_math.ts";
export * from "./extra_shape.ts";
export * from "./statistics.ts";
export * from "./at.ts";
export * as linalg from "./linalg_ns.ts";

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
