// Shared by the np chapter tests: the inputs of the NumPy value tables, and the runner that
// compares each row with tests/fixtures/numpy/chapters.json (made by make_chapters_fixtures.py
// beside it from the same inputs with NumPy; tests never run Python).
import { readFileSync } from "node:fs";
import { it } from "node:test";
import assert from "node:assert/strict";
import { assertAllClose } from "./_assert.ts";
import { type Array, type NestedList, np } from "../mod.ts";

// Inputs (NaN, infinities, signed zeros and ties included); make_chapters_fixtures.py repeats them.
export const R45 = np.array([[-2.542, 1.68, -0.37, 1.341, 2.868], [
  0.231,
  0.007,
  -0.37,
  -1.389,
  -0.001,
], [
  1.075,
  1.822,
  -0.714,
  -2.604,
  -1.271,
], [2.458, -1.72, -0.287, 2.587, 2.458]]);
export const R36 = np.array([[0.603, 2.701, -1.618, 0.291, 2.455, -2.201], [
  0.14,
  1.502,
  1.014,
  -0.193,
  -1.771,
  -0.055,
], [-0.766, -0.136, -0.805, 2.028, 1.612, -1.116]]);
export const R234 = np.array([[[0.291, -0.896, -0.189, -0.588], [0.63, -0.519, -0.164, 0.877], [
  -0.348,
  1.626,
  -1.278,
  0.964,
]], [[-0.311, -0.294, 0.538, 0.092], [-0.34, -1.994, -1.631, 0.838], [
  0.097,
  0.785,
  1.822,
  0.732,
]]]);
export const V = np.array([
  -2.5,
  -1,
  -0.5,
  0,
  0.3,
  0.5,
  1,
  2,
  3.7,
  27,
  -8,
  Infinity,
  -Infinity,
  NaN,
]);
export const W = np.array([1, -2, 0.5, -0, 4, -1, 0, 3, -2, 5, 1, 2, -Infinity, 1.5]);
export const S = np.array([3, NaN, 1, -Infinity, 2, Infinity, 1, -0, 0, NaN, -7]);
export const C = np.array([1.5, 2, 0, 3, -1, 0.5, 0, 2]);

/** Reads a JSON fixture, reviving "NaN", "Infinity" and "-Infinity" as numbers. */
export function readFixture(path: string): unknown {
  const text = readFileSync(new URL(`./fixtures/${path}`, import.meta.url), "utf8");
  return JSON.parse(
    text,
    (_, v) => v === "NaN" ? NaN : v === "Infinity" ? Infinity : v === "-Infinity" ? -Infinity : v,
  );
}

const chapters = readFixture("numpy/chapters.json") as { values: Record<string, NestedList> };

/** Rows compared exactly (permutations, copies, integer results); the rest to 1e-14. */
const EXACT = /^(sort|argsort|pad|roll|triu|tril|diff R45 n0|countNonzero|trunc|interp single)/;

/** One test per row: the row's result against the NumPy value of the same name. */
export function valuesAgainstNumPy(rows: [string, () => Array][]): void {
  for (const [name, f] of rows) {
    it(name, () => {
      const expected = chapters.values[name];
      assert.notEqual(expected, undefined, `no fixture named ${name}`);
      const out = f();
      if (EXACT.test(name)) assert.deepEqual(out.tolist(), expected);
      else assertAllClose(out, expected, { rtol: 1e-14, atol: 1e-15 });
    });
  }
}
