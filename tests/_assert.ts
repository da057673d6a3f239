/**
 * Test helpers with the `@std/assert` names, built on `node:assert/strict` so that the same test
 * files run under `deno test`, `bun test` and `npx tsx --test` (the registry serving
 * `jsr:@std/assert` cannot be reached from the build machines).
 *
 * On top of the `@std/assert` subset, {@link assertAllClose} compares numbers, nested JS arrays,
 * plain-object trees and nabla arrays (anything with a `tolist()` method) elementwise with a
 * relative and absolute tolerance, NaN equal to NaN and infinities equal to themselves.
 *
 * @module
 */

import nodeAssert from "node:assert/strict";

/** Error thrown by every failed assertion in this module (node's `AssertionError`). */
export const AssertionError: typeof nodeAssert.AssertionError = nodeAssert.AssertionError;

function failure(message: string): never {
  throw new nodeAssert.AssertionError({ message, stackStartFn: failure });
}

/** Fails unconditionally. */
export function fail(msg?: string): never {
  failure(`Failed assertion${msg ? `: ${msg}` : "."}`);
}

/** Asserts that `expr` is truthy. */
export function assert(expr: unknown, msg = "Expected the expression to be truthy."): asserts expr {
  if (!expr) failure(msg);
}

/** Asserts that `expr` is falsy. */
export function assertFalse(expr: unknown, msg = "Expected the expression to be falsy."): void {
  if (expr) failure(msg);
}

/** Deep strict equality (`node:assert/strict` `deepStrictEqual`). */
export function assertEquals<T>(actual: unknown, expected: T, msg?: string): asserts actual is T {
  nodeAssert.deepStrictEqual(actual, expected, msg);
}

/** Deep strict inequality. */
export function assertNotEquals(actual: unknown, expected: unknown, msg?: string): void {
  nodeAssert.notDeepStrictEqual(actual, expected, msg);
}

/** Identity (`Object.is`) equality. */
export function assertStrictEquals<T>(
  actual: unknown,
  expected: T,
  msg?: string,
): asserts actual is T {
  nodeAssert.strictEqual(actual, expected, msg);
}

/** Identity (`Object.is`) inequality. */
export function assertNotStrictEquals(actual: unknown, expected: unknown, msg?: string): void {
  nodeAssert.notStrictEqual(actual, expected, msg);
}

/** Asserts that `actual` is neither `null` nor `undefined`. */
export function assertExists<T>(actual: T, msg?: string): asserts actual is NonNullable<T> {
  if (actual === null || actual === undefined) {
    failure(msg ?? `Expected actual to exist, got ${String(actual)}.`);
  }
}

/** Asserts that `actual` is an instance of `expectedType`. */
// deno-lint-ignore no-explicit-any
export function assertInstanceOf<T extends abstract new (...args: any[]) => unknown>(
  actual: unknown,
  expectedType: T,
  msg?: string,
): asserts actual is InstanceType<T> {
  if (!(actual instanceof expectedType)) {
    const got = actual === null || typeof actual !== "object"
      ? typeof actual
      : (actual as object).constructor?.name ?? "object";
    failure(msg ?? `Expected an instance of ${expectedType.name}, got ${got}.`);
  }
}

/** Asserts that `actual` contains `expected` as a substring. */
export function assertStringIncludes(actual: string, expected: string, msg?: string): void {
  if (!actual.includes(expected)) {
    failure(msg ?? `Expected ${JSON.stringify(actual)} to include ${JSON.stringify(expected)}.`);
  }
}

/** Asserts that `actual` matches the regular expression `expected`. */
export function assertMatch(actual: string, expected: RegExp, msg?: string): void {
  nodeAssert.match(actual, expected, msg);
}

/**
 * Asserts that `actual` and `expected` differ by at most `tolerance` (default `1e-7`, as in
 * `@std/assert`). `NaN` equals `NaN`; an infinity equals only itself.
 */
export function assertAlmostEquals(
  actual: number,
  expected: number,
  tolerance = 1e-7,
  msg?: string,
): void {
  if (Object.is(actual, expected) || actual === expected) return;
  const delta = Math.abs(expected - actual);
  if (delta <= tolerance) return;
  failure(
    msg ??
      `Expected actual ${fmt(actual)} to be close to ${fmt(expected)}: ` +
        `delta ${fmt(delta)} is greater than ${fmt(tolerance)}.`,
  );
}

// deno-lint-ignore no-explicit-any
type ErrorConstructor_ = abstract new (...args: any[]) => Error;

function checkError(
  e: unknown,
  ErrorClass: ErrorConstructor_ | undefined,
  msgIncludes: string | undefined,
  msg: string | undefined,
): void {
  if (ErrorClass === undefined) return;
  if (!(e instanceof ErrorClass)) {
    const got = e instanceof Error ? `${e.constructor.name}: ${e.message}` : String(e);
    failure(msg ?? `Expected error to be an instance of ${ErrorClass.name}, but got ${got}.`);
  }
  if (msgIncludes !== undefined && !(e as Error).message.includes(msgIncludes)) {
    failure(
      msg ??
        `Expected error message to include ${JSON.stringify(msgIncludes)}, ` +
          `but got ${JSON.stringify((e as Error).message)}.`,
    );
  }
}

/**
 * Asserts that `fn` throws, optionally an instance of `ErrorClass` whose message includes
 * `msgIncludes`. Returns the thrown value.
 */
export function assertThrows(fn: () => unknown, msg?: string): unknown;
export function assertThrows<E extends Error = Error>(
  fn: () => unknown,
  // deno-lint-ignore no-explicit-any
  ErrorClass: abstract new (...args: any[]) => E,
  msgIncludes?: string,
  msg?: string,
): E;
export function assertThrows(
  fn: () => unknown,
  errorClassOrMsg?: ErrorConstructor_ | string,
  msgIncludes?: string,
  msg?: string,
): unknown {
  const ErrorClass = typeof errorClassOrMsg === "function" ? errorClassOrMsg : undefined;
  if (typeof errorClassOrMsg === "string") msg = errorClassOrMsg;
  try {
    fn();
  } catch (e) {
    checkError(e, ErrorClass, msgIncludes, msg);
    return e;
  }
  failure(msg ?? "Expected function to throw.");
}

/**
 * Asserts that the promise returned by `fn` rejects, optionally with an instance of `ErrorClass`
 * whose message includes `msgIncludes`. Resolves to the rejection reason.
 */
export function assertRejects(fn: () => PromiseLike<unknown>, msg?: string): Promise<unknown>;
export function assertRejects<E extends Error = Error>(
  fn: () => PromiseLike<unknown>,
  // deno-lint-ignore no-explicit-any
  ErrorClass: abstract new (...args: any[]) => E,
  msgIncludes?: string,
  msg?: string,
): Promise<E>;
export async function assertRejects(
  fn: () => PromiseLike<unknown>,
  errorClassOrMsg?: ErrorConstructor_ | string,
  msgIncludes?: string,
  msg?: string,
): Promise<unknown> {
  const ErrorClass = typeof errorClassOrMsg === "function" ? errorClassOrMsg : undefined;
  if (typeof errorClassOrMsg === "string") msg = errorClassOrMsg;
  try {
    await fn();
  } catch (e) {
    checkError(e, ErrorClass, msgIncludes, msg);
    return e;
  }
  failure(msg ?? "Expected function to reject.");
}

// ---------------------------------------------------------------------------------------------
// assertAllClose
// ---------------------------------------------------------------------------------------------

/** Tolerances of {@link assertAllClose}: passes where `|a - e| <= atol + rtol * |e|`. */
export interface AllCloseOptions {
  /** Relative tolerance (default `1e-12`). */
  rtol?: number;
  /** Absolute tolerance (default `0`). */
  atol?: number;
  /** Extra text prepended to the failure message. */
  msg?: string;
}

type Path = (number | string)[];

function fmt(x: unknown): string {
  if (typeof x === "number") return Object.is(x, -0) ? "-0" : String(x);
  if (typeof x === "bigint") return `${x}n`;
  if (typeof x === "string") return JSON.stringify(x);
  try {
    const s = JSON.stringify(x);
    if (s !== undefined) return s.length > 80 ? s.slice(0, 77) + "..." : s;
  } catch {
    // fall through
  }
  return String(x);
}

function fmtPath(path: Path): string {
  if (path.length === 0) return "(scalar)";
  let out = "";
  let nums: number[] = [];
  const flush = () => {
    if (nums.length) out += `[${nums.join(", ")}]`;
    nums = [];
  };
  for (const p of path) {
    if (typeof p === "number") nums.push(p);
    else {
      flush();
      out += `.${p}`;
    }
  }
  flush();
  return out;
}

interface ListLike {
  tolist(): unknown;
  shape?: unknown;
}

function isListLike(x: unknown): x is ListLike {
  return typeof x === "object" && x !== null &&
    typeof (x as { tolist?: unknown }).tolist === "function";
}

function isPlainObject(x: unknown): x is Record<string, unknown> {
  if (typeof x !== "object" || x === null) return false;
  const proto = Object.getPrototypeOf(x);
  return proto === Object.prototype || proto === null;
}

function describeKind(x: unknown): string {
  if (Array.isArray(x)) return `an array of length ${x.length}`;
  if (isPlainObject(x)) return `an object with keys ${fmt(Object.keys(x).sort())}`;
  if (typeof x === "number") return `the scalar ${fmt(x)}`;
  return `${typeof x} ${fmt(x)}`;
}

/** Converts nabla arrays (via `tolist()`) and typed arrays into nested JS arrays. */
function normalize(x: unknown): unknown {
  if (isListLike(x)) return x.tolist();
  if (ArrayBuffer.isView(x) && !(x instanceof DataView)) {
    return Array.from(x as unknown as ArrayLike<number | bigint>, (v) => Number(v));
  }
  return x;
}

function shapeOf(x: unknown): number[] | undefined {
  if (!isListLike(x)) return undefined;
  const s = x.shape;
  return Array.isArray(s) && s.every((d) => typeof d === "number") ? s as number[] : undefined;
}

interface Mismatch {
  path: Path;
  actual: number;
  expected: number;
}

interface Walk {
  rtol: number;
  atol: number;
  count: number;
  total: number;
  first?: Mismatch;
  maxAbs: number;
  maxRel: number;
}

function close(a: number, e: number, rtol: number, atol: number): boolean {
  if (a === e) return true; // also covers equal infinities
  if (Number.isNaN(a) || Number.isNaN(e)) return Number.isNaN(a) && Number.isNaN(e);
  if (!Number.isFinite(a) || !Number.isFinite(e)) return false;
  return Math.abs(a - e) <= atol + rtol * Math.abs(e);
}

function walk(actual0: unknown, expected0: unknown, path: Path, w: Walk, msg: string): void {
  const actual = normalize(actual0);
  const expected = normalize(expected0);
  const where = () => (path.length ? ` at ${fmtPath(path)}` : "");
  if (Array.isArray(expected) || Array.isArray(actual)) {
    if (!Array.isArray(expected) || !Array.isArray(actual) || actual.length !== expected.length) {
      failure(
        `${msg}Shape mismatch${where()}: actual is ${describeKind(actual)}, ` +
          `expected ${describeKind(expected)}.`,
      );
    }
    for (let i = 0; i < expected.length; i++) walk(actual[i], expected[i], [...path, i], w, msg);
    return;
  }
  if (isPlainObject(expected) || isPlainObject(actual)) {
    const ka = isPlainObject(actual) ? Object.keys(actual).sort() : undefined;
    const ke = isPlainObject(expected) ? Object.keys(expected).sort() : undefined;
    if (!ka || !ke || ka.join("\u0000") !== ke.join("\u0000")) {
      failure(
        `${msg}Structure mismatch${where()}: actual is ${describeKind(actual)}, ` +
          `expected ${describeKind(expected)}.`,
      );
    }
    for (const k of ke) {
      walk(
        (actual as Record<string, unknown>)[k],
        (expected as Record<string, unknown>)[k],
        [...path, k],
        w,
        msg,
      );
    }
    return;
  }
  const a = typeof actual === "boolean" ? Number(actual) : actual;
  const e = typeof expected === "boolean" ? Number(expected) : expected;
  if (typeof a !== "number" || typeof e !== "number") {
    failure(
      `${msg}Cannot compare${where()}: actual is ${describeKind(actual)}, ` +
        `expected ${describeKind(expected)} (numbers, booleans, arrays, objects and ` +
        `values with tolist() are supported).`,
    );
  }
  w.total++;
  if (close(a, e, w.rtol, w.atol)) return;
  w.count++;
  if (!w.first) w.first = { path: [...path], actual: a, expected: e };
  const abs = Math.abs(a - e);
  if (!Number.isNaN(abs)) {
    w.maxAbs = Math.max(w.maxAbs, abs);
    const rel = abs / Math.abs(e);
    if (!Number.isNaN(rel)) w.maxRel = Math.max(w.maxRel, rel);
  }
}

/**
 * Asserts that `actual` and `expected` have the same structure (nested array lengths, object
 * keys, and `shape` when both have one) and are elementwise close:
 * `|a - e| <= atol + rtol * |e|` (NumPy's `allclose` rule, asymmetric in `expected`).
 * `NaN` equals `NaN`, `Infinity` equals `Infinity`, `-Infinity` equals `-Infinity`.
 *
 * Accepts numbers, booleans (as 0/1), nested JS arrays, typed arrays, plain-object trees and any
 * object with a `tolist(): unknown` method (nabla arrays), in any mixture.
 */
export function assertAllClose(
  actual: unknown,
  expected: unknown,
  { rtol = 1e-12, atol = 0, msg }: AllCloseOptions = {},
): void {
  const prefix = msg ? `${msg}: ` : "";
  const sa = shapeOf(actual);
  const se = shapeOf(expected);
  if (sa && se && (sa.length !== se.length || sa.some((d, i) => d !== se[i]))) {
    failure(`${prefix}Shape mismatch: actual has shape [${sa}], expected [${se}].`);
  }
  const w: Walk = { rtol, atol, count: 0, total: 0, maxAbs: 0, maxRel: 0 };
  walk(actual, expected, [], w, prefix);
  if (w.first) {
    const { path, actual: a, expected: e } = w.first;
    failure(
      `${prefix}Not close (rtol=${rtol}, atol=${atol}): ${w.count} of ${w.total} ` +
        `element${w.total === 1 ? "" : "s"} differ. First at ${fmtPath(path)}: ` +
        `actual ${fmt(a)}, expected ${fmt(e)} (abs err ${fmt(Math.abs(a - e))}). ` +
        `Max abs err ${fmt(w.maxAbs)}, max rel err ${fmt(w.maxRel)}.`,
    );
  }
}
