/**
 * Shapes, strides, broadcasting and axis normalisation. Pure functions on
 * `number[]`; every error names the values it saw.
 *
 * @module
 */

/** A shape: non-negative integer extents, outermost first. */
export type Shape = readonly number[];

/** Number of elements of a shape (1 for a scalar). */
export function sizeOf(shape: Shape): number {
  let n = 1;
  for (let i = 0; i < shape.length; i++) n *= shape[i];
  return n;
}

/** Row-major (C order) strides of a contiguous array of this shape, in elements. */
export function stridesOf(shape: Shape): number[] {
  const strides = new globalThis.Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i];
  }
  return strides;
}

/** Whether two shapes are equal. */
export function shapesEqual(a: Shape, b: Shape): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Formats a shape the way error messages show it: `[2,3]`. */
export function showShape(shape: Shape): string {
  return `[${shape.join(",")}]`;
}

/**
 * Shapes, or tree structures, that do not fit together: operands that do not
 * broadcast, a reshape to a different number of elements, trees of
 * different structures given to `tree.map` or a transformation. A
 * `TypeError`, so existing `catch` clauses keep working; its class lets
 * callers tell it from other errors without reading the message.
 *
 * @example Catching a broadcasting failure
 * ```ts
 * import { np, ShapeError } from "@nabla/ad";
 * import { deepEqual, equal, ok } from "node:assert/strict";
 *
 * try {
 *   np.add(np.zeros([2, 3]), np.zeros([4]));
 *   ok(false);
 * } catch (e) {
 *   ok(e instanceof ShapeError && e instanceof TypeError);
 *   equal(e.op, "broadcast");
 *   deepEqual(e.shapes, [[2, 3], [4]]);
 * }
 * ```
 */
export class ShapeError extends TypeError {
  /** The operation that found the mismatch (`"broadcast"`, `"reshape"`, `"tree.map"`, ...). */
  readonly op: string;
  /** The shapes involved, when the mismatch is between array shapes (else empty). */
  readonly shapes: readonly Shape[];
  /**
   * Creates the error.
   *
   * @param message What does not fit, with the values.
   * @param details The operation and the shapes involved.
   */
  constructor(message: string, details: { op: string; shapes?: readonly Shape[] }) {
    super(message);
    this.name = "ShapeError";
    this.op = details.op;
    this.shapes = details.shapes ?? [];
  }
}

/**
 * NumPy broadcasting of two shapes, or a `TypeError` naming the dimension that
 * differs. Equal shapes give `a` itself (shapes are never mutated).
 */
export function broadcastShapes(a: Shape, b: Shape): Shape {
  if (shapesEqual(a, b)) return a;
  const n = Math.max(a.length, b.length);
  const out = new globalThis.Array<number>(n);
  for (let i = 0; i < n; i++) {
    const da = i < n - a.length ? 1 : a[i - (n - a.length)];
    const db = i < n - b.length ? 1 : b[i - (n - b.length)];
    if (da === db || db === 1) out[i] = da;
    else if (da === 1) out[i] = db;
    else {
      throw new ShapeError(
        `Cannot broadcast shapes ${showShape(a)} and ${
          showShape(b)
        }: dimension ${i} differs (${da} vs ${db})`,
        { op: "broadcast", shapes: [a.slice(), b.slice()] },
      );
    }
  }
  return out;
}

/** Broadcasts any number of shapes together. */
export function broadcastShapesN(shapes: readonly Shape[]): Shape {
  let out: Shape = [];
  for (const s of shapes) out = broadcastShapes(out, s);
  return out;
}

/** Normalises a possibly negative axis for an array of rank `ndim`, or throws a `RangeError`. */
export function normalizeAxis(axis: number, ndim: number): number {
  if (!Number.isInteger(axis) || axis < -ndim || axis >= ndim) {
    throw new RangeError(
      `Axis ${axis} is out of bounds for an array of rank ${ndim}: expected an integer in [${-ndim}, ${
        ndim - 1
      }]`,
    );
  }
  return axis < 0 ? axis + ndim : axis;
}

/**
 * Normalises an `axis` argument (number, array of numbers, or null/undefined
 * for all axes) to a sorted list of distinct non-negative axes.
 */
export function normalizeAxes(
  axis: number | readonly number[] | null | undefined,
  ndim: number,
): number[] {
  if (axis === null || axis === undefined) {
    return globalThis.Array.from({ length: ndim }, (_, i) => i);
  }
  const list = typeof axis === "number" ? [axis] : axis;
  const out = list.map((a) => normalizeAxis(a, ndim));
  const sorted = [...out].sort((x, y) => x - y);
  for (let i = 1; i < sorted.length; i++) {
    if (sorted[i] === sorted[i - 1]) {
      throw new RangeError(
        `Repeated axis in ${JSON.stringify(list)}: axis ${sorted[i]} appears twice`,
      );
    }
  }
  return sorted;
}

/** Validates a user shape (non-negative integers), returning a copy. */
export function checkShape(shape: unknown): number[] {
  const list = typeof shape === "number" ? [shape] : shape;
  if (!globalThis.Array.isArray(list) || !list.every((d) => Number.isInteger(d) && d >= 0)) {
    const arrays = globalThis.Array.isArray(list)
      ? list.filter((d) => typeof d === "object" && d !== null && "shape" in d)
      : [];
    const tracer = arrays.find((d) => "handler" in d) as { handler: { name: string } } | undefined;
    throw new TypeError(
      tracer !== undefined
        ? `Invalid shape ${
          showValue(shape)
        }: a traced value cannot be a shape (under ${tracer.handler.name}, its value is not known; shapes must be static JS numbers)`
        : arrays.length > 0
        ? `Invalid shape ${showValue(shape)}: an array cannot be a shape; pass JS numbers`
        : `Invalid shape ${showValue(shape)}: expected an array of non-negative integers`,
    );
  }
  checkSize(list as number[]);
  return list.slice();
}

/** The most elements an array may have (typed-array indices stay 32-bit integers). */
export const MAX_ELEMENTS = 2 ** 31 - 1;

/** Throws a `RangeError` naming the shape when it has more elements than an array may hold. */
export function checkSize(shape: Shape, bytesPerElement = 8): void {
  const n = sizeOf(shape);
  if (n > MAX_ELEMENTS) {
    throw new RangeError(
      `Cannot create an array of shape ${showShape(shape)}: ${n} elements (${
        n * bytesPerElement
      } bytes as float64) exceed the limit of ${MAX_ELEMENTS} elements`,
    );
  }
}

/**
 * A value as error messages show it: numbers as JS prints them (NaN and
 * ±Infinity included), lists recursively, arrays and other objects by kind —
 * never an object's internals.
 */
export function showValue(x: unknown, depth = 0): string {
  if (typeof x === "number" || typeof x === "boolean" || x === null || x === undefined) {
    return String(x);
  }
  if (typeof x === "string") return JSON.stringify(x);
  if (globalThis.Array.isArray(x)) {
    if (depth > 3) return "[…]";
    const items = x.slice(0, 8).map((v) => showValue(v, depth + 1));
    return `[${items.join(",")}${x.length > 8 ? ",…" : ""}]`;
  }
  if (typeof x === "object" && "shape" in x && "dtype" in x) {
    const a = x as { shape: readonly number[]; dtype: string; handler?: { name: string } };
    const kind = a.handler === undefined ? "an array" : `a value traced by ${a.handler.name}`;
    return `${kind} ${a.dtype}${showShape(a.shape)}`;
  }
  if (typeof x === "function") return "a function";
  const proto = Object.getPrototypeOf(x);
  if (proto === Object.prototype || proto === null) {
    if (depth > 3) return "{…}";
    const keys = Object.keys(x as object);
    const items = keys.slice(0, 8).map((k) =>
      `${/^[A-Za-z_$][\w$]*$/.test(k) ? k : JSON.stringify(k)}: ${
        showValue((x as Record<string, unknown>)[k], depth + 1)
      }`
    );
    return `{${items.join(", ")}${keys.length > 8 ? ", …" : ""}}`;
  }
  return `an object of class ${(x as object).constructor?.name ?? "Object"}`;
}
