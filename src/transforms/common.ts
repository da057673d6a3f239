/**
 * Shared plumbing of the transformations: turning tree leaves into arrays,
 * checking outputs, and running a function under a fresh handler.
 *
 * @module
 */

import { allocate, type DType, isComplex, isFloat, isInexact } from "../array/dtype.ts";
import { fromForeignArray, NdArray } from "../array/array.ts";
import { type Handler, swapHandler } from "../core/handler.ts";
import { scalar as scalarArray } from "../array/create.ts";
import { flatten, type TreeDef } from "../tree.ts";
import { showValue } from "../array/shape.ts";

/**
 * Converts an input leaf to an array. JS numbers become float64 scalars (a JS
 * number given to a transformation is a point in ℝ, as JAX's Python floats).
 */
export function leafToArray(leaf: unknown, what: string): NdArray {
  if (leaf instanceof NdArray) return leaf;
  if (typeof leaf === "number") return scalarArray(leaf, "float64");
  if (typeof leaf === "boolean") return scalarArray(leaf ? 1 : 0, "bool");
  const foreign = fromForeignArray(leaf);
  if (foreign !== undefined) return foreign;
  throw new TypeError(
    `${what} must be arrays, numbers or trees of them: got ${describe(leaf)}`,
  );
}

/** A short description of a value for error messages. */
export function describe(x: unknown): string {
  if (typeof x === "function") return "a function";
  if (x === null) return "null";
  if (typeof x === "object") return `an object of class ${(x as object).constructor?.name ?? "?"}`;
  if (typeof x === "string") return `string ${showValue(x)}`;
  return `${typeof x} ${String(x)}`;
}

/** Flattens a function's output, rejecting function-valued and non-array leaves. */
export function flattenOutput(out: unknown, transformation: string): [NdArray[], TreeDef] {
  const [leaves, def] = flatten(out);
  const arrays = leaves.map((leaf) => {
    if (typeof leaf === "function") {
      throw new TypeError(
        `The function transformed by ${transformation} returned a function: outputs must be arrays, numbers or trees of them (a returned closure would capture tracers that escape ${transformation})`,
      );
    }
    return leafToArray(leaf, `Outputs of the function transformed by ${transformation}`);
  });
  return [arrays, def];
}

/**
 * Calls `f(...args)` with `handler` current, then restores the previous
 * handler and retires `handler` — also when `f` throws.
 */
export function runUnder<T>(handler: Handler, f: () => T, alsoRetire?: Handler): T {
  const saved = swapHandler(handler);
  try {
    return f();
  } finally {
    swapHandler(saved);
    handler.retired = true;
    if (alsoRetire) alsoRetire.retired = true;
  }
}

/** The arguments a transformation differentiates, and `f` as a function of them alone. */
export interface DiffArgs {
  /** Normalised argument positions. */
  argnums: number[];
  /** The differentiated arguments, in `argnums` order. */
  selected: unknown[];
  /** `f` with the other arguments fixed to their values. */
  partial: AnyFunction;
}

/**
 * Picks the arguments at `argnums` and closes `f` over the others. Array
 * leaves of the picked arguments must be float (JAX: "requires real-valued
 * inputs"); JS numbers are float64 already.
 */
export function diffArgs(
  name: string,
  f: AnyFunction,
  argnums: number | readonly number[],
  args: readonly unknown[],
): DiffArgs {
  const nums = normalizeArgnums(argnums, args.length, name);
  const selected = nums.map((i) => args[i]);
  nums.forEach((i, k) => {
    for (const leaf of flatten(selected[k])[0]) {
      if (leaf instanceof NdArray && !isInexact(leaf.dtype)) {
        throw new TypeError(
          `${name} requires float inputs to differentiate: argument ${i} has dtype ${leaf.dtype}; convert it with astype("float64")`,
        );
      }
    }
  });
  const partial = (...sel: unknown[]) => {
    const full = args.slice();
    nums.forEach((i, k) => (full[i] = sel[k]));
    return f(...full);
  };
  return { argnums: nums, selected, partial };
}

/** Normalises `argnums` to a list and checks each against the number of arguments. */
export function normalizeArgnums(
  argnums: number | readonly number[],
  nargs: number,
  name: string,
): number[] {
  const list = typeof argnums === "number" ? [argnums] : [...argnums];
  const out = list.map((a) => {
    if (!Number.isInteger(a) || a < -nargs || a >= nargs) {
      throw new RangeError(
        `${name}: argnums ${
          showValue(argnums)
        } is out of range for a call with ${nargs} positional arguments`,
      );
    }
    return a < 0 ? a + nargs : a;
  });
  const twice = out.find((a, i) => out.indexOf(a) !== i);
  if (twice !== undefined) {
    throw new TypeError(
      `${name}: argnums ${
        showValue(argnums)
      } names argument ${twice} more than once (as in JAX, each argument may be differentiated once)`,
    );
  }
  return out;
}

/** Any function: the transformations accept functions of any arity over trees. */
// deno-lint-ignore no-explicit-any
export type AnyFunction = (...args: any[]) => any;

/** The dtype of a leaf as a transformation sees it (JS numbers are float64, booleans bool). */
function leafDType(leaf: unknown): DType | string {
  if (leaf instanceof NdArray) return leaf.dtype;
  if (typeof leaf === "number") return "float64";
  if (typeof leaf === "boolean") return "bool";
  return fromForeignArray(leaf)?.dtype ?? typeof leaf;
}

/**
 * JAX's checks of the differentiated inputs' dtypes: with `holomorphic`,
 * every leaf must be complex; with `realOnly` (jacfwd without
 * `holomorphic`), none may be complex.
 */
export function checkInputDTypes(
  name: string,
  selected: readonly unknown[],
  holomorphic: boolean,
  realOnly = false,
): void {
  if (!holomorphic && !realOnly) return;
  for (const leaf of flatten(selected)[0]) {
    const dtype = leafDType(leaf);
    if (holomorphic && !isComplex(dtype as DType)) {
      throw new TypeError(
        `${name} with holomorphic=True requires inputs with complex dtype, but got ${dtype}.`,
      );
    }
    if (!holomorphic && isComplex(dtype as DType)) {
      throw new TypeError(
        `${name} requires real-valued inputs (input dtype that is a sub-dtype of np.floating), but got ${dtype}. For holomorphic differentiation, pass holomorphic=True. For differentiation of non-holomorphic functions involving complex inputs or integer inputs, use jvp directly.`,
      );
    }
  }
}

/**
 * JAX's check of a differentiated output's dtype: float without
 * `holomorphic` (grad, jacrev), complex with it.
 */
export function checkOutputDType(name: string, dtype: DType, holomorphic: boolean): void {
  if (holomorphic && !isComplex(dtype)) {
    throw new TypeError(
      `${name} with holomorphic=True requires outputs with complex dtype, but got ${dtype}.`,
    );
  }
  if (!holomorphic && !isFloat(dtype)) {
    throw new TypeError(
      `${name} requires real-valued outputs (output dtype that is a sub-dtype of np.floating), but got ${dtype}. For holomorphic differentiation, pass holomorphic=True. For differentiation of non-holomorphic functions involving complex outputs, use vjp directly.`,
    );
  }
}

/** An array of ones (`1+0j` for a complex dtype: `filled` would set both parts). */
export function onesOf(shape: readonly number[], dtype: DType): NdArray {
  const size = shape.reduce((n, d) => n * d, 1);
  const data = allocate(dtype, size);
  const step = isComplex(dtype) ? 2 : 1;
  for (let i = 0; i < size; i++) data[i * step] = 1;
  return new NdArray(data, [...shape], dtype);
}
