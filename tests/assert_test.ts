import { describe, it } from "node:test";
import {
  assert,
  assertAllClose,
  assertAlmostEquals,
  assertEquals,
  AssertionError,
  assertNotEquals,
  assertRejects,
  assertStrictEquals,
  assertStringIncludes,
  assertThrows,
} from "./_assert.ts";

/** A stand-in for a nabla array: anything with `tolist()` (and optionally `shape`). */
class FakeArray {
  readonly data: unknown;
  readonly shape?: number[];
  constructor(data: unknown, shape?: number[]) {
    this.data = data;
    this.shape = shape;
  }
  tolist(): unknown {
    return this.data;
  }
}

function failsWith(fn: () => unknown, ...fragments: string[]): void {
  const e = assertThrows(fn, AssertionError);
  for (const f of fragments) assertStringIncludes(e.message, f);
}

describe("basic assertions", () => {
  it("assert / assertEquals / assertNotEquals / assertStrictEquals", () => {
    assert(true);
    failsWith(() => assert(0, "nope"), "nope");
    assertEquals({ a: [1, 2, { b: "c" }] }, { a: [1, 2, { b: "c" }] });
    failsWith(() => assertEquals([1, 2], [1, 3]));
    assertNotEquals([1, 2], [1, 3]);
    failsWith(() => assertNotEquals([1], [1]));
    const o = {};
    assertStrictEquals(o, o);
    failsWith(() => assertStrictEquals({}, {}));
  });

  it("assertAlmostEquals uses an absolute tolerance, default 1e-7", () => {
    assertAlmostEquals(0.1 + 0.2, 0.3);
    assertAlmostEquals(1, 1.05, 0.1);
    assertAlmostEquals(NaN, NaN);
    assertAlmostEquals(Infinity, Infinity);
    failsWith(() => assertAlmostEquals(1, 1.001), "1.001");
    failsWith(() => assertAlmostEquals(Infinity, -Infinity));
    failsWith(() => assertAlmostEquals(NaN, 0));
  });
});

describe("assertThrows / assertRejects", () => {
  it("returns the error and checks its class and message", () => {
    const e = assertThrows(
      () => {
        throw new RangeError("bad axis 3");
      },
      RangeError,
      "axis",
    );
    assertEquals(e.message, "bad axis 3");
    assertThrows(() => {
      throw "not an Error";
    });
  });

  it("fails when nothing is thrown, or the class or message is wrong", () => {
    failsWith(() => assertThrows(() => {}), "to throw");
    failsWith(
      () =>
        assertThrows(() => {
          throw new TypeError("x");
        }, RangeError),
      "RangeError",
      "TypeError",
    );
    failsWith(
      () =>
        assertThrows(
          () => {
            throw new Error("abc");
          },
          Error,
          "xyz",
        ),
      "xyz",
      "abc",
    );
  });

  it("assertRejects awaits the promise", async () => {
    const e = await assertRejects(() => Promise.reject(new TypeError("boom")), TypeError, "bo");
    assertEquals(e.message, "boom");
    await assertRejects(async () => {
      await assertRejects(() => Promise.resolve(1));
    }, AssertionError);
  });
});

describe("assertAllClose", () => {
  it("accepts numbers, nested arrays, typed arrays and tolist() objects", () => {
    assertAllClose(1, 1);
    assertAllClose(1 + 1e-13, 1);
    assertAllClose([[1, 2], [3, 4]], [[1, 2], [3, 4]]);
    assertAllClose(new FakeArray([[1, 2], [3, 4]], [2, 2]), [[1, 2], [3, 4]]);
    assertAllClose([1, 2], new FakeArray([1, 2], [2]));
    assertAllClose(new FakeArray(5, []), 5);
    assertAllClose(new Float64Array([1, 2, 3]), [1, 2, 3]);
    assertAllClose([true, false], [1, 0]);
    assertAllClose([], []);
  });

  it("compares trees of arrays (plain objects)", () => {
    assertAllClose({ w: new FakeArray([1, 2]), b: 3 }, { b: 3, w: [1, 2] });
    failsWith(() => assertAllClose({ w: [1, 2], b: 3 }, { w: [1, 2.5], b: 3 }), ".w[1]", "2.5");
    failsWith(() => assertAllClose({ w: 1 }, { v: 1 }), "Structure mismatch");
  });

  it("treats NaN as equal to NaN and infinities as equal to themselves", () => {
    assertAllClose([NaN, Infinity, -Infinity], [NaN, Infinity, -Infinity]);
    failsWith(() => assertAllClose([NaN], [0]), "NaN");
    failsWith(() => assertAllClose([0], [NaN]), "NaN");
    failsWith(() => assertAllClose([Infinity], [-Infinity]), "-Infinity");
    failsWith(() => assertAllClose([1e308], [Infinity]), "Infinity");
    failsWith(() => assertAllClose(Infinity, 1e308, { atol: Infinity }));
  });

  it("uses |a - e| <= atol + rtol * |e| with rtol = 1e-12, atol = 0 by default", () => {
    failsWith(() => assertAllClose(1 + 1e-10, 1), "Not close");
    assertAllClose(1 + 1e-10, 1, { rtol: 1e-9 });
    failsWith(() => assertAllClose(1e-20, 0), "1e-20");
    assertAllClose(1e-20, 0, { atol: 1e-15 });
    assertAllClose(105, 100, { rtol: 0.05 });
    failsWith(() => assertAllClose(106, 100, { rtol: 0.05 }));
  });

  it("names the first differing index and both values", () => {
    const e = assertThrows(
      () => assertAllClose([[1, 2, 3], [4, 5, 6]], [[1, 2, 3], [4, 5.5, 7]]),
      AssertionError,
    );
    assertStringIncludes(e.message, "2 of 6 elements differ");
    assertStringIncludes(e.message, "[1, 1]");
    assertStringIncludes(e.message, "actual 5, expected 5.5");
    failsWith(() => assertAllClose(1, 2, { msg: "grad of sin" }), "grad of sin: ", "(scalar)");
  });

  it("reports shape mismatches", () => {
    failsWith(() => assertAllClose([1, 2], [1, 2, 3]), "Shape mismatch", "length 2", "length 3");
    failsWith(() => assertAllClose([[1], [2]], [1, 2]), "Shape mismatch", "at [0]", "scalar 1");
    failsWith(() => assertAllClose(1, [1]), "Shape mismatch");
    failsWith(
      () => assertAllClose(new FakeArray([], [0, 3]), new FakeArray([], [0])),
      "shape [0,3], expected [0]",
    );
    failsWith(() => assertAllClose("a", 1), "Cannot compare");
  });
});
