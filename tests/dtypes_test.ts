// The dtypes bool, int8 … uint32, float16, bfloat16, float32, float64 against real JAX (x64):
// the promotion table for every pair, weak JS scalars, conversions between every pair,
// wrap-around integer arithmetic, float16/bfloat16 rounding, bitwise operations and shifts,
// iinfo/finfo. Expected values: tests/fixtures/dtypes/dtypes.json (make_dtypes.py beside it).
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { type Array, type DType, grad, lax, np, vmap } from "../mod.ts";
import { assertThrows } from "./_assert.ts";

type Num = number | boolean | "nan" | "inf" | "-inf";
const fx = JSON.parse(
  readFileSync(new URL("./fixtures/dtypes/dtypes.json", import.meta.url), "utf8"),
);

const decode = (v: Num): number | boolean =>
  v === "nan" ? NaN : v === "inf" ? Infinity : v === "-inf" ? -Infinity : v;
const decodeAll = (vs: Num[]): (number | boolean)[] => vs.map(decode);
/** Values as comparable keys: NaN equal to itself, -0 distinct from 0 only for floats. */
const show = (vs: readonly unknown[], float: boolean): string[] =>
  vs.map((v) =>
    typeof v === "number" && Number.isNaN(v)
      ? "nan"
      : Object.is(v, -0) && float
      ? "-0"
      : String(typeof v === "number" && Object.is(v, -0) ? 0 : v)
  );
const flat = (x: Array): (number | boolean)[] => np.ravel(x).tolist() as (number | boolean)[];
const FLOATS = new Set(["float16", "bfloat16", "float32", "float64"]);
const isFloat = (d: string) => FLOATS.has(d);

function assertValues(x: Array, expected: Num[], what: string): void {
  assert.deepEqual(
    show(flat(x), isFloat(x.dtype)),
    show(decodeAll(expected), isFloat(x.dtype)),
    what,
  );
}

const ALL: DType[] = [
  "bool",
  "int8",
  "int16",
  "int32",
  "uint8",
  "uint16",
  "uint32",
  "float16",
  "bfloat16",
  "float32",
  "float64",
  "complex64",
  "complex128",
];
const REAL = ALL.slice(0, 11);
/** A 64-bit integer result as int32/uint32 holds it (modulo 2³²). */
const wrap32 = (vs: Num[], dtype: string): Num[] =>
  vs.map((v) => {
    const m = ((Number(v) % 2 ** 32) + 2 ** 32) % 2 ** 32;
    return dtype === "uint32" ? m : m >= 2 ** 31 ? m - 2 ** 32 : m;
  });
const INTS: DType[] = ["int8", "int16", "int32", "uint8", "uint16", "uint32"];

describe("promotion on JAX's lattice", () => {
  it("np.promoteTypes matches jnp.promote_types for every pair of dtypes", () => {
    let n = 0;
    for (const a of ALL) {
      for (const b of ALL) {
        assert.equal(np.promoteTypes(a, b), fx.promote[a][b], `promoteTypes(${a}, ${b})`);
        n++;
      }
    }
    assert.equal(n, 169);
  });
  it("binary operations on arrays compute in the promoted dtype", () => {
    for (const a of REAL) {
      for (const b of REAL) {
        if (a === "bool" && b === "bool") continue; // bool + bool counts in int32, as before
        const out = np.add(np.zeros([2], a), np.zeros([1], b));
        assert.equal(out.dtype, fx.promote[a][b], `add(${a}, ${b})`);
        assert.equal(np.resultType(np.zeros([1], a), b), fx.promote[a][b]);
      }
    }
  });
  it("weak JS numbers and booleans: resultType and the dtype of operations", () => {
    for (const d of ALL) {
      assert.equal(np.resultType(d, 1), fx.weak[d].int, `resultType(${d}, 1)`);
      assert.equal(np.resultType(d, 1.5), fx.weak[d].float, `resultType(${d}, 1.5)`);
      assert.equal(np.resultType(d, true), fx.weak[d].bool, `resultType(${d}, true)`);
    }
    for (const d of REAL) {
      if (d === "bool") continue;
      assert.equal(np.multiply(np.ones([2], d), 2).dtype, fx.weak[d].int, `${d} * 2`);
      assert.equal(np.multiply(np.ones([2], d), 2.5).dtype, fx.weak[d].float, `${d} * 2.5`);
    }
  });
  it("a JS integer of any size is a weak int: it takes the integer dtype and wraps (JAX)", () => {
    // JAX: uint32(5) + (-1), uint32(5) * 2654435761, int32(5) + 3000000000, uint8(5) + 300
    assert.deepEqual(np.add(np.array([5], "uint32"), -1).tolist(), [4]);
    assert.deepEqual(np.multiply(np.array([5], "uint32"), 2654435761).tolist(), [387276917]);
    assert.deepEqual(np.add(np.array([5], "int32"), 3000000000).tolist(), [-1294967291]);
    const u8 = np.add(np.array([5], "uint8"), 300);
    assert.deepEqual([u8.dtype, u8.tolist()], ["uint8", [49]]);
    assert.equal(np.add(np.array([5], "int32"), 2.5).dtype, "float64");
  });
  it("weakly typed arrays: from one JS number, and computed from weak values only", () => {
    assert.equal(np.array(2).weakType, true);
    assert.equal(np.asarray(0.5).weakType, true);
    assert.equal(np.array(2, "float64").weakType, false);
    assert.equal(np.array([2]).weakType, false);
    assert.equal(np.array(true).weakType, false);
    assert.equal(np.ones([2]).weakType, false);
    assert.equal(np.add(1, 2).weakType, true);
    assert.equal(np.sin(np.array(2)).weakType, true);
    assert.equal(np.array(2).astype("float32").weakType, false);
    const f32 = np.ones([2], "float32");
    assert.equal(np.multiply(np.array(2), f32).dtype, "float32");
    assert.equal(np.multiply(np.array(2), f32).weakType, false);
    assert.equal(np.add(np.array(2), np.array([1], "int8")).dtype, "float64"); // weak float over int8
    assert.equal(np.resultType(np.array(2.5), "float16"), "float16");
    assert.throws(() => {
      (np.array(2) as unknown as { weakType: boolean }).weakType = false;
    }, TypeError);
  });
});

describe("conversions between every pair of dtypes (XLA's semantics)", () => {
  it("astype matches JAX's convert_element_type for every source and target", () => {
    let n = 0;
    for (const s of REAL) {
      const entry = fx.convert[s];
      const src = np.array(decodeAll(entry.values) as number[], s);
      assertValues(src, entry.values, `${s} source values`);
      for (const t of REAL) {
        assertValues(src.astype(t), entry.to[t], `${s} -> ${t}`);
        n++;
      }
    }
    assert.equal(n, 121);
  });
  it("float to integer truncates and saturates (NaN to 0); integer to integer wraps", () => {
    const x = np.array([300.5, -1.5, NaN, Infinity, -Infinity]);
    assert.deepEqual(x.astype("int8").tolist(), [127, -1, 0, 127, -128]);
    assert.deepEqual(x.astype("uint8").tolist(), [255, 0, 0, 255, 0]);
    assert.deepEqual(np.array([300, -1], "int32").astype("int8").tolist(), [44, -1]);
    assert.deepEqual(np.array([-1], "int8").astype("uint32").tolist(), [4294967295]);
  });
  it("float16 and bfloat16 round to nearest even; JS numbers round directly, float64 arrays via float32", () => {
    assert.deepEqual(np.array([65519.9, 65520, 2049, 2051], "float16").tolist(), [
      65504,
      Infinity,
      2048,
      2052,
    ]);
    assert.deepEqual(np.array([2 ** -24, 2 ** -25, 1.5 * 2 ** -25], "float16").tolist(), [
      2 ** -24,
      0,
      2 ** -24,
    ]);
    assert.deepEqual(np.array([70000, 1.01171875], "bfloat16").tolist(), [70144, 1.015625]);
    const v = 1 + 2 ** -11 + 2 ** -30;
    assert.equal(np.array([v], "float16").item(), 1 + 2 ** -10); // NumPy: straight from the double
    assert.equal(np.array([v]).astype("float16").item(), 1); // XLA: float64 → float32 → float16
  });
  it("arrays from typed arrays take the dtype of their element type", () => {
    const cases: [ArrayLike<number>, DType][] = [
      [new Int8Array([-1]), "int8"],
      [new Int16Array([-1]), "int16"],
      [new Uint8Array([255]), "uint8"],
      [new Uint16Array([65535]), "uint16"],
      [new Uint32Array([4294967295]), "uint32"],
    ];
    for (const [src, d] of cases) {
      const x = np.array(src as Int8Array);
      assert.equal(x.dtype, d);
      assert.deepEqual(x.tolist(), [src[0]]);
    }
    assert.ok(np.array([1, 2], "uint8").data instanceof Uint8Array);
    assert.ok(np.array([1, 2], "float16").data instanceof Float32Array);
  });
  it("out-of-range JS numbers are refused for an integer dtype (no silent wrap)", () => {
    assertThrows(() => np.array([256], "uint8"), RangeError, "Cannot convert 256 to uint8");
    assertThrows(() => np.array([-1], "uint32"), RangeError, "Cannot convert -1 to uint32");
    assertThrows(() => np.array([NaN], "int8"), RangeError, "not a finite number");
  });
});

describe("wrap-around integer arithmetic in the dtype's width", () => {
  for (const d of INTS) {
    it(d, () => {
      const e = fx.arith[d];
      const a = np.array(decodeAll(e.a) as number[], d);
      const b = np.array(decodeAll(e.b) as number[], d);
      const ops: [string, Array][] = [
        ["add", np.add(a, b)],
        ["subtract", np.subtract(a, b)],
        ["multiply", np.multiply(a, b)],
        ["negative", np.negative(a)],
        ["abs", np.abs(a)],
        ["sign", np.sign(a)],
        ["floor_divide", np.floorDivide(a, b)],
        ["remainder", np.remainder(a, b)],
        ["maximum", np.maximum(a, b)],
        ["minimum", np.minimum(a, b)],
        ["square", np.square(a)],
        ["power3", np.power(a, 3)],
        ["sum", np.sum(a)],
        ["prod", np.prod(a)],
        ["cumsum", np.cumsum(a)],
        ["add_int_scalar", np.add(a, 3)],
        ["mul_int_scalar", np.multiply(a, 3)],
      ];
      for (const [name, out] of ops) {
        // JAX sums and multiplies in int64/uint64; nabla's int32/uint32 hold those results modulo 2³².
        const want = name === "sum" || name === "prod" ? wrap32(e[name], out.dtype) : e[name];
        assertValues(out, want, `${d} ${name}`);
        if (!["sum", "prod", "cumsum"].includes(name)) assert.equal(out.dtype, d, name);
      }
      assert.equal(np.sum(a).dtype, e.sum_dtype);
      assert.equal(np.prod(a).dtype, e.prod_dtype);
      assert.equal(np.cumsum(a).dtype, e.cumsum_dtype);
      assert.equal(
        np.mean(a).dtype,
        e.mean_dtype === "float32" && d === "int32" ? "float64" : e.mean_dtype,
      );
      assert.equal(np.sin(a).dtype, d === "int32" ? "float64" : e.sin_dtype);
      assert.equal(np.divide(a, b).dtype, d === "int32" ? "float64" : e.divide_dtype);
    });
  }
  it("float functions of small integers compute in float32, their FFTs in complex64 (JAX)", () => {
    const x = np.array([1, 0, 1, 1], "int8");
    assert.equal(np.exp(x).dtype, "float32");
    assert.equal(np.fft.fft(x).dtype, "complex64");
    assert.equal(np.fft.rfft(np.array([1, 2], "uint16")).dtype, "complex64");
    assert.equal(np.fft.fft(np.array([1, 2], "float16")).dtype, "complex64");
    assert.equal(np.fft.fft(np.array([1, 2], "int32")).dtype, "complex128"); // nabla's int32 → float64
  });
  it("matmul wraps in the dtype", () => {
    const a = np.array([[100, 100]], "int8");
    const b = np.array([[2], [1]], "int8");
    assert.deepEqual(np.matmul(a, b).tolist(), [[44]]); // 300 mod 256
    const u = np.array([[4000000000, 1]], "uint32");
    assert.deepEqual(np.matmul(u, np.array([[3], [5]], "uint32")).tolist(), [[3410065413]]);
  });
  it("integer arrays index like int32 ones", () => {
    const x = np.arange(5);
    assert.deepEqual(x.get(np.array([4, 0], "uint8")).tolist(), [4, 0]);
    assert.deepEqual(np.take(x, np.array([-1], "int8")).tolist(), [4]);
  });
});

describe("float16 and bfloat16: float32 arithmetic, rounded", () => {
  for (const d of ["float16", "bfloat16"] as const) {
    it(d, () => {
      const e = fx.narrow[d];
      const a = np.array(decodeAll(e.a) as number[], d);
      const b = np.array(decodeAll(e.b) as number[], d);
      assertValues(a, e.a, "a");
      const exact: [string, Array][] = [
        ["add", np.add(a, b)],
        ["subtract", np.subtract(a, b)],
        ["multiply", np.multiply(a, b)],
        ["divide", np.divide(a, b)],
        ["sqrt", np.sqrt(np.abs(a))],
        ["mul_weak", np.multiply(a, 3)],
        ["matmul", np.matmul(a.reshape([1, -1]), b.reshape([-1, 1]))],
      ];
      for (const [name, out] of exact) {
        assert.equal(out.dtype, d, name);
        assertValues(out, e[name], `${d} ${name}`);
      }
      // Transcendentals and reductions: within one unit in the last place of the dtype.
      const ulp = d === "float16" ? 2 ** -10 : 2 ** -7;
      const close: [string, Array][] = [
        ["exp", np.exp(b)],
        ["sin", np.sin(a)],
        ["sum", np.sum(a)],
        ["mean", np.mean(b)],
      ];
      for (const [name, out] of close) {
        assert.equal(out.dtype, d, name);
        const got = flat(out) as number[];
        const want = decodeAll(e[name]) as number[];
        got.forEach((g, i) => {
          const w = want[i];
          assert.ok(
            g === w || Math.abs(g - w) <= ulp * Math.abs(w),
            `${d} ${name}[${i}]: ${g} vs ${w}`,
          );
        });
      }
      assert.equal(np.mean(a).dtype, e.mean_dtype);
    });
  }
  it("gradients flow through float16 values and conversions", () => {
    const g = grad((x: Array) => np.sum(np.multiply(x, x)))(np.array([1.5, -0.25], "float16"));
    assert.equal(g.dtype, "float16");
    assert.deepEqual(g.tolist(), [3, -0.5]);
    const h = grad((x: Array) => np.sum(np.astype(np.astype(x, "bfloat16"), "float64")))(
      np.array([1, 2]),
    );
    assert.deepEqual([h.dtype, h.tolist()], ["float64", [1, 1]]);
  });
  it("prints with the shortest digits that read back as the same value", () => {
    assert.equal(String(np.array([0.1, 65504], "float16")), "Array([  0.1, 65500], dtype=float16)");
    assert.equal(String(np.array([1.015625], "bfloat16")), "Array([1.016], dtype=bfloat16)");
    assert.equal(String(np.array([4294967295], "uint32")), "Array([4294967295], dtype=uint32)");
    assert.equal(String(np.array([-128, 5], "int8")), "Array([-128,    5], dtype=int8)");
  });
});

describe("bitwise operations and shifts (JAX's semantics beyond the width)", () => {
  for (const d of INTS) {
    it(d, () => {
      const e = fx.bitwise[d];
      const x = np.array(decodeAll(e.x) as number[], d);
      const y = np.array(decodeAll(e.y) as number[], d);
      const ops: [string, Array][] = [
        ["and", np.bitwiseAnd(x, y)],
        ["or", np.bitwiseOr(x, y)],
        ["xor", np.bitwiseXor(x, y)],
        ["invert", np.invert(x)],
        ["left_shift", np.leftShift(x, y)],
        ["right_shift", np.rightShift(x, y)],
        ["shift_right_logical", lax.shiftRightLogical(x, y)],
        ["shift_right_arithmetic", lax.shiftRightArithmetic(x, y)],
        ["shift_left", lax.shiftLeft(x, y)],
        ["population_count", lax.populationCount(x)],
        ["clz", lax.clz(x)],
      ];
      for (const [name, out] of ops) {
        assert.equal(out.dtype, d, name);
        assertValues(out, e[name], `${d} ${name}`);
      }
      const count = np.bitwiseCount(x);
      assert.equal(count.dtype, "uint8");
      assertValues(count, e.bitwise_count, `${d} bitwise_count`);
    });
  }
  it("bool operands are logical; floats are refused", () => {
    assert.deepEqual(np.bitwiseXor([true, true], [true, false]).tolist(), [false, true]);
    assert.deepEqual(np.invert([true, false]).tolist(), [false, true]);
    assertThrows(() => np.bitwiseAnd(np.array([1.5]), 1), TypeError, "dtype float64");
    assertThrows(() => np.invert(np.array([1.5])), TypeError, "dtype float64");
    assertThrows(() => lax.shiftLeft(np.array([1.5]), np.array([1])), TypeError, "integer");
  });
  it("vmap over bitwise operations matches the loop", () => {
    const x = np.array([[1, 2, 3], [-4, 5, -6]], "int16");
    const s = np.array([1, 15, 16], "int16");
    const out = vmap((r: Array) => np.rightShift(r, s))(x);
    assert.deepEqual(out.tolist(), [
      np.rightShift(x.get(0), s).tolist(),
      np.rightShift(x.get(1), s).tolist(),
    ]);
  });
});

describe("lax.bitcastConvertType and lax.convertElementType", () => {
  it("bitcasts between every pair of dtypes of one width match JAX", () => {
    let n = 0;
    for (
      const [src, entry] of Object.entries(fx.bitcast) as [
        DType,
        { values: Num[]; to: Record<string, Num[]> },
      ][]
    ) {
      const x = np.array(decodeAll(entry.values) as number[], src);
      assertValues(x, entry.values, `${src} source`);
      for (const [t, want] of Object.entries(entry.to)) {
        const y = lax.bitcastConvertType(x, t as DType);
        assert.equal(y.dtype, t);
        assertValues(y, want, `bitcast ${src} -> ${t}`);
        n++;
      }
    }
    assert.equal(n, 29);
  });
  it("bitcasts refuse different widths and bool", () => {
    assertThrows(
      () => lax.bitcastConvertType(np.array([1], "float32"), "int16"),
      TypeError,
      "float32 (32 bits) to int16 (16 bits)",
    );
    assertThrows(() => lax.bitcastConvertType(np.array([true]), "uint8"), TypeError, "non-bool");
  });
  it("convertElementType converts as astype does, and is linear between floats", () => {
    assert.deepEqual(lax.convertElementType(np.array([2.7, -1]), "int8").tolist(), [2, -1]);
    assert.equal(lax.convertElementType(2.5, "int32").item(), 2);
    const g = grad((x: Array) => np.sum(lax.convertElementType(x, "float32")))(np.array([1, 2]));
    assert.deepEqual([g.dtype, g.tolist()], ["float64", [1, 1]]);
  });
});

describe("np.issubdtype and np.isdtype", () => {
  it("match JAX for every dtype and category or kind", () => {
    for (const d of ALL) {
      for (const [c, want] of Object.entries(fx.issubdtype[d])) {
        assert.equal(np.issubdtype(d, c as never), want, `issubdtype(${d}, ${c})`);
      }
      for (const [k, want] of Object.entries(fx.isdtype[d])) {
        assert.equal(np.isdtype(d, k as never), want, `isdtype(${d}, ${k})`);
      }
      assert.equal(np.issubdtype(d, d), true);
    }
    assertThrows(() => np.isdtype("int8", "whole" as never), TypeError, "Invalid kind");
  });
});

describe("np.iinfo and np.finfo", () => {
  it("match NumPy/JAX for every integer and float dtype", () => {
    for (const d of INTS) {
      const i = np.iinfo(d);
      assert.deepEqual([i.min, i.max, i.bits], [
        fx.iinfo[d].min,
        fx.iinfo[d].max,
        fx.iinfo[d].bits,
      ]);
    }
    for (const d of ["float16", "bfloat16", "float32", "float64"] as const) {
      const f = np.finfo(d);
      const e = fx.finfo[d];
      assert.equal(f.eps, e.eps, `${d} eps`);
      assert.equal(f.epsneg, e.epsneg);
      assert.equal(f.max, e.max, `${d} max`);
      assert.equal(f.min, e.min);
      assert.equal(f.tiny, e.tiny);
      assert.equal(f.smallestNormal, e.smallest_normal);
      assert.equal(f.smallestSubnormal, e.smallest_subnormal, `${d} smallest subnormal`);
      assert.equal(f.resolution, e.resolution, `${d} resolution`);
      for (
        const k of ["bits", "precision", "nmant", "nexp", "minexp", "maxexp", "machep", "negep"]
      ) {
        assert.equal(f[k as keyof typeof f], e[k], `${d} ${k}`);
      }
    }
    assert.equal(np.finfo("complex64").dtype, "float32");
    assert.equal(np.iinfo(np.array([1], "uint16")).max, 65535);
  });
  it("refuse dtypes of the wrong kind", () => {
    assertThrows(() => np.iinfo("float32"), TypeError, 'expected an integer dtype, got "float32"');
    assertThrows(
      () => np.finfo("int8"),
      TypeError,
      'expected a float or complex dtype, got "int8"',
    );
    assertThrows(
      () => np.promoteTypes("int64" as DType, "int8"),
      TypeError,
      'Unknown dtype "int64"',
    );
  });
});

describe("random keys are uint32 data, as JAX's", () => {
  it("key, split and foldIn give uint32 words; int32 keys are accepted with the same bits", async () => {
    const { random } = await import("../mod.ts");
    const k = random.key(0);
    assert.equal(k.dtype, "uint32");
    const keys = random.split(k);
    assert.equal(keys.dtype, "uint32");
    // JAX: jax.random.split(jax.random.PRNGKey(0))
    assert.deepEqual(keys.tolist(), [[1797259609, 2579123966], [928981903, 3453687069]]);
    assert.equal(random.foldIn(k, 3).dtype, "uint32");
    const asInt32 = keys.get(1).astype("int32");
    assert.deepEqual(
      random.uniform(asInt32, [3]).tolist(),
      random.uniform(keys.get(1), [3]).tolist(),
    );
    assert.deepEqual(random.split(asInt32).tolist(), random.split(keys.get(1)).tolist());
  });
});

describe("random samplers in the new dtypes", () => {
  it("randint of every integer dtype gives JAX's values", async () => {
    const { random } = await import("../mod.ts");
    const k = random.key(5);
    // JAX: jax.random.randint(PRNGKey(5), (6,), 0, 250, dtype=d) for d in uint32, uint8, int16
    for (const d of ["uint32", "uint8", "int16"] as const) {
      const r = random.randint(k, [6], 0, 250, { dtype: d });
      assert.equal(r.dtype, d);
      assert.deepEqual(r.tolist(), [211, 148, 53, 186, 134, 151]);
    }
    assert.deepEqual(random.randint(k, [6], 0, 100, { dtype: "int8" }).tolist(), [
      61,
      48,
      3,
      36,
      84,
      1,
    ]);
    assert.deepEqual(random.randint(k, [4], 0, 4294967295, { dtype: "uint32" }).tolist(), [
      359975681,
      984463424,
      482527479,
      1153342984,
    ]);
  });
  it("uniform and normal in float16 and bfloat16 stay in range with the right moments", async () => {
    const { random } = await import("../mod.ts");
    const k = random.key(1);
    for (const d of ["float16", "bfloat16"] as const) {
      const u = random.uniform(k, [20000], { dtype: d });
      assert.equal(u.dtype, d);
      assert.ok((np.min(u).item() as number) >= 0 && (np.max(u).item() as number) < 1);
      assert.ok(Math.abs((np.mean(u.astype("float64")).item() as number) - 0.5) < 0.02);
      const n = random.normal(k, [20000], { dtype: d }).astype("float64");
      assert.ok(np.all(np.isfinite(n)).item());
      assert.ok(Math.abs(np.mean(n).item() as number) < 0.03);
      assert.ok(Math.abs((np.std(n).item() as number) - 1) < 0.03);
    }
  });
});

describe("float16 and bfloat16 rounding kernels", () => {
  it("the bit-level rounding of float32 storage agrees with the arithmetic rounding", async () => {
    const { roundStorage, roundFloat16, roundBfloat16 } = await import("../src/array/dtype.ts");
    const n = 200000;
    const x = new Float32Array(n);
    let seed = 7;
    const rand = () => (seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 4294967296;
    for (let i = 0; i < n; i++) x[i] = (rand() < 0.5 ? -1 : 1) * rand() * 2 ** (rand() * 60 - 40);
    // Halfway cases and the edges of both formats.
    x.set([
      65504,
      65519.99,
      65520,
      2 ** -24,
      2 ** -25,
      3 * 2 ** -26,
      2 ** -14,
      1 + 2 ** -11,
      3.4e38,
    ]);
    for (const [dtype, ref] of [["float16", roundFloat16], ["bfloat16", roundBfloat16]] as const) {
      const y = x.slice();
      roundStorage(dtype, y);
      let bad = 0;
      for (let i = 0; i < n; i++) if (!Object.is(y[i], ref(x[i]))) bad++;
      assert.equal(bad, 0, dtype);
    }
  });
  it("every float16 bit pattern round-trips through its value", async () => {
    const { float16Bits, float16FromBits } = await import("../src/array/kernels/bitwise.ts");
    const { roundStorage } = await import("../src/array/dtype.ts");
    const v = new Float32Array(65536);
    for (let b = 0; b < 65536; b++) v[b] = float16FromBits(b);
    const r = v.slice();
    roundStorage("float16", r);
    for (let b = 0; b < 65536; b++) {
      if (Number.isNaN(v[b])) continue;
      assert.ok(Object.is(r[b], v[b]), `value of bits ${b} is a float16`);
      assert.equal(float16Bits(v[b]), b, `bits of ${v[b]}`);
    }
  });
});
