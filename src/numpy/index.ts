/**
 * The `np` namespace: a NumPy-like array API whose every function is composed
 * from primitives, so `grad`, `jvp` and `vmap` apply to all of it. Files
 * follow NumPy's chapters: creation, math, reductions, manipulation,
 * indexing, products, sorting, statistics, and `np.linalg`.
 *
 * Loading this module also installs the fluent `Array` methods
 * (`x.add(y)`, `x.sum()`, ...): see `methods.ts`.
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

import "./methods.ts";

export * from "./creation.ts";
export * from "./math.ts";
export * from "./reductions.ts";
export * from "./manipulation.ts";
export * from "./indexing.ts";
export * from "./products.ts";
export * from "./sorting.ts";
export * from "./statistics.ts";
export * from "./windows.ts";
export * from "./polynomial.ts";
export * from "./sets.ts";
export * from "./functional.ts";
export * from "./bitwise.ts";
export * from "./dtypes.ts";
export { convolve, correlate } from "./convolve.ts";
export type { ConvolveMode, ConvolveOptions } from "./convolve.ts";
export * as linalg from "./linalg.ts";
export { angle, complex, conj, conjugate, imag, iscomplexobj, isrealobj, real } from "./complex.ts";
export * as fft from "./fft.ts";
