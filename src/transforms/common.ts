/**
 * Shared plumbing of the transformations: turning tree leaves into arrays,
 * checking outputs, and running a function under a fresh handler.
 *
 * @module
 */

import { isInexact } from "../array/dtype.ts";
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
