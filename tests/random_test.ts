// random: Threefry known-answer vectors, JAX's values for fixed keys (bit-reproducible on every
// runtime), vmap over keys and parameters against loops, distribution tests (moments,
// Kolmogorov–Smirnov, chi-square) and error paths.
import { describe, it } from "node:test";
import { type Array, grad, np, random, scipy, vmap } from "../mod.ts";
import { bind, primitives } from "../extend.ts";
import { checkGrads, checkVmap } from "../src/testing.ts";
import { assert, assertAllClose, assertEquals, assertThrows } from "./_assert.ts";

const { erfc } = scipy.special;

// Generated with JAX 0.10.2: jax.random with PRNGKey seeds; floats with jax_enable_x64, randint with
// dtype=int32, choice with replacement (which calls randint with the default int) without x64.
// Keys are shown as uint32.
const JAX = {
  key42: [0, 42],
  keyneg: [4294967295, 4294967295],
  keybig: [1, 5],
  split0: [[1797259609, 2579123966], [928981903, 3453687069]],
  split3: [[3625411723, 1954958720], [195045567, 4062205631], [966301609, 1948237315]],
  fold: [928981903, 3453687069],
  foldbig: [4022169022, 44305153],
  uniform: [
    0.41845711171638644,
    0.21629545460551136,
    0.9653214611189975,
    0.5745005337275046,
    0.5322264882505428,
  ],
  uniform_mm: [[-1.1729482733597227, 1.176311210008743, 1.9798679047323071], [
    3.815557184978439,
    -0.5829529313223845,
    3.2860920520360555,
  ]],
  uniform32: [
    0.9476670026779175,
    0.9785798788070679,
    0.33229148387908936,
    0.46866846084594727,
    0.569888710975647,
  ],
  normal: [
    -0.2058421394796434,
    -0.7847657764467411,
    1.8160866726679836,
    0.1878440128937887,
    0.08086788103743275,
    -0.3721107933346203,
  ],
  bern: [false, true, false, false, false, false, false, false, false, true],
  randint: [9, 0, 2, 3, 1, 7, 2, 3, 3, 3],
  randint_big: [-1640024319, -1015536576, -1517472521, -846657016, -1477625540, -43718091],
  randint_300: [146, 53, 44, 24, 262, 34, 275, 77],
  randint_full: [
    2128942159,
    37408380,
    -2067460279,
    1685324735,
    -883248055,
    2044120488,
    657378348,
    -537545235,
  ],
  randint_empty: [5, 5, 5, 5],
  perm: [0, 1, 8, 5, 6, 4, 3, 2, 7, 9],
  permarr: [[9, 10, 11], [6, 7, 8], [0, 1, 2], [3, 4, 5]],
  cat: [2, 2, 2, 1, 2, 2, 2, 1, 0, 1],
  cat2: [[2, 1], [2, 0], [2, 0]],
  cat_ax0: [1, 1, 0],
  choice: [9, 0, 2, 3, 1],
  choice_norep: [0, 1, 8, 5, 6],
  choice_p: [2, 3, 0, 2, 2, 3, 1, 2],
  choice_p_norep: [2, 3, 1],
  choice_arr: [[18, 4], [6, 6]],
  trunc: [
    0.00301295124756838,
    -0.4241902151456523,
    1.6339202640360784,
    0.32904270893046433,
    0.23870541367554615,
  ],
  vmap_normal: [
    [1.8800298928929466, -0.4812149737008219, 0.4154572296392434],
    [-1.400884102827668, 1.4321449977776874, 0.6248106961344603],
    [0.39051537445161943, 1.172716240670054, -0.7953608620518863],
    [0.6762810306120918, -0.05104023440580335, 2.0125025229519684],
  ],
  perm2000Head: [1883, 819, 811, 456, 1123, 377, 1813, 1511, 1686, 436, 1523, 1532],
};

const K = random.key;
/** A key or keys as uint32 numbers (the stored int32 bits read unsigned). */
function u32(a: Array): unknown {
  const walk = (v: unknown): unknown =>
    globalThis.Array.isArray(v) ? v.map(walk) : (v as number) >>> 0;
  return walk(a.tolist());
}
function words(...xs: number[]): Array {
  return np.array(new Int32Array(xs));
}

describe("threefry2x32 primitive", () => {
  it("Random123 known-answer vectors", () => {
    const tf = (k: Array, c: Array) => bind(primitives.threefry2x32, [k, c], undefined);
    assertEquals(u32(tf(words(0, 0), words(0, 0))), [0x6b200159, 0x99ba4efe]);
    assertEquals(u32(tf(words(-1, -1), words(-1, -1))), [0x1cb996fc, 0xbb002be7]);
    assertEquals(
      u32(tf(words(0x13198a2e, 0x03707344), words(0x243f6a88, 0x85a308d3 | 0))),
      [0xc4923a9c, 0x483df7a0],
    );
  });
  it("broadcasts leading axes and batches against a loop (every in-axis, sizes 0, 1, 3)", () => {
    const tf = (k: Array, c: Array) => bind(primitives.threefry2x32, [k, c], undefined);
    const keys = random.split(K(1), 3);
    const counts = np.reshape(np.array(new Int32Array([0, 1, 0, 2])), [2, 1, 2]);
    const out = tf(keys, counts);
    assertEquals(out.shape, [2, 3, 2]);
    assertEquals(u32(out.get(1, 2)), u32(tf(keys.get(2), counts.get(1, 0))));
    for (const b of [0, 1, 3]) {
      const kb = np.reshape(random.split(K(2), b * 2), [b, 2, 2]);
      const cb = np.reshape(random.split(K(3), b * 2), [b, 2, 2]);
      checkVmap(tf, [kb, cb]);
      checkVmap(tf, [kb, random.split(K(9), 2)], { inAxes: [0, null] });
      checkVmap(tf, [np.moveaxis(kb, 0, 1), cb], { inAxes: [1, 0] });
    }
  });
  it("argsort is stable and batches", () => {
    const s = (x: Array) => bind(primitives.argsort, [x], { unsigned: false });
    assertEquals(s(np.array([3, 1, 2, 1, NaN, 0])).tolist(), [5, 1, 3, 2, 0, 4]);
    const u = bind(primitives.argsort, [words(-1, 5, 0)], { unsigned: true });
    assertEquals(u.tolist(), [2, 1, 0]);
    checkVmap(s, [np.array([[3, 1, 2], [0, 2, 1]])]);
    checkVmap(s, [np.array([[3, 1, 2], [0, 2, 1]])], { inAxes: 1 });
  });
});

describe("random reproduces JAX's values for fixed keys", () => {
  it("key, split, foldIn", () => {
    assertEquals(u32(K(0)), [0, 0]);
    assertEquals(u32(K(42)), JAX.key42);
    assertEquals(u32(K(-1)), JAX.keyneg);
    assertEquals(u32(K(2 ** 32 + 5)), JAX.keybig);
    assertEquals(u32(random.split(K(0))), JAX.split0);
    assertEquals(u32(random.split(K(7), 3)), JAX.split3);
    assertEquals(u32(random.foldIn(K(0), 1)), JAX.fold);
    assertEquals(u32(random.foldIn(K(3), 3000000000)), JAX.foldbig);
    assertEquals(u32(random.foldIn(K(3), np.array(-1294967296, { dtype: "int32" }))), JAX.foldbig);
    // keys given as JS lists of integer words are read modulo 2³²; float arrays are refused
    assertEquals(u32(random.split([0, 0])), JAX.split0);
    assertThrows(() => random.split(np.array([0, 0])), TypeError, "keys are integer data");
    assertThrows(() => random.split([0, 0.5]), TypeError, "got the value 0.5");
  });
  it("uniform (float64 and float32), normal, truncatedNormal", () => {
    assertEquals(random.uniform(K(0), [5]).tolist(), JAX.uniform);
    // XLA fuses u·(max - min) + min into one multiply-add: allow an ulp
    assertAllClose(random.uniform(K(1), [2, 3], { minval: -2, maxval: 5 }), JAX.uniform_mm, {
      rtol: 3e-16,
    });
    const u32f = random.uniform(K(0), [5], { dtype: "float32" });
    assertEquals(u32f.dtype, "float32");
    assertEquals(u32f.tolist(), JAX.uniform32);
    assertAllClose(random.normal(K(0), [6]), JAX.normal, { rtol: 1e-15 });
    assertAllClose(random.truncatedNormal(K(0), -1, 2, [5]), JAX.trunc, { rtol: 1e-13 });
  });
  it("bernoulli, randint, permutation, categorical, choice", () => {
    assertEquals(random.bernoulli(K(0), 0.3, [10]).tolist(), JAX.bern);
    assertEquals(random.randint(K(0), [10], 0, 10).tolist(), JAX.randint);
    assertEquals(random.randint(K(5), [6], -2000000000, 2000000000).tolist(), JAX.randint_big);
    assertEquals(random.randint(K(2), [8], 3, 300).tolist(), JAX.randint_300);
    assertEquals(random.randint(K(2), [8], -(2 ** 31), 2 ** 31).tolist(), JAX.randint_full);
    assertEquals(random.randint(K(2), [4], 5, 5).tolist(), JAX.randint_empty);
    assertEquals(random.permutation(K(0), 10).tolist(), JAX.perm);
    assertEquals(
      (random.permutation(K(3), 2000).tolist() as number[]).slice(0, 12),
      JAX.perm2000Head,
    );
    assertEquals(random.permutation(K(1), np.reshape(np.arange(12), [4, 3])).tolist(), JAX.permarr);
    const logits = np.array([0.1, 1.0, 2.0, -1.0]);
    assertEquals(random.categorical(K(0), logits, { shape: [10] }).tolist(), JAX.cat);
    const l2 = np.array([[0.1, 1.0, 2.0], [3, 0, 0]]);
    assertEquals(random.categorical(K(4), l2, { shape: [3, 2] }).tolist(), JAX.cat2);
    assertEquals(random.categorical(K(4), l2, { axis: 0 }).tolist(), JAX.cat_ax0);
    assertEquals(random.choice(K(0), 10, { shape: [5] }).tolist(), JAX.choice);
    assertEquals(
      random.choice(K(0), 10, { shape: [5], replace: false }).tolist(),
      JAX.choice_norep,
    );
    const p = np.array([0.1, 0.2, 0.3, 0.4]);
    assertEquals(random.choice(K(0), 4, { shape: [8], p }).tolist(), JAX.choice_p);
    assertEquals(
      random.choice(K(0), 4, { shape: [3], replace: false, p }).tolist(),
      JAX.choice_p_norep,
    );
    const arr = np.multiply(np.arange(10), 2);
    assertEquals(random.choice(K(2), arr, { shape: [2, 2] }).tolist(), JAX.choice_arr);
  });
  it("vmap over split keys equals JAX's vmap and a loop", () => {
    const keys = random.split(K(0), 4);
    const rows = vmap((k: Array) => random.normal(k, [3]))(keys);
    assertAllClose(rows, JAX.vmap_normal, { rtol: 1e-15 });
    for (let i = 0; i < 4; i++) {
      assertEquals(rows.get(i).tolist(), random.normal(keys.get(i), [3]).tolist());
    }
  });
});

describe("random under vmap: batches of keys and of parameters against loops", () => {
  const keys = random.split(K(11), 3);
  const samplers: [string, (k: Array) => Array][] = [
    ["split", (k) => random.split(k, 3)],
    ["foldIn", (k) => random.foldIn(k, 7)],
    ["uniform", (k) => random.uniform(k, [2, 2], { minval: 1, maxval: 3 })],
    ["uniform float32", (k) => random.uniform(k, [4], { dtype: "float32" })],
    ["normal", (k) => random.normal(k, [4])],
    ["truncatedNormal", (k) => random.truncatedNormal(k, -0.5, 0.5, [4])],
    ["bernoulli", (k) => random.bernoulli(k, 0.5, [5])],
    ["randint", (k) => random.randint(k, [5], -3, 40)],
    ["permutation", (k) => random.permutation(k, 6)],
    ["permutation of rows", (k) => random.permutation(k, np.reshape(np.arange(8), [4, 2]))],
    ["categorical", (k) => random.categorical(k, np.array([[0, 1, 2], [2, 1, 0]]))],
    ["choice", (k) => random.choice(k, 5, { shape: [3] })],
    ["choice without replacement", (k) => random.choice(k, 5, { shape: [3], replace: false })],
    ["choice with p", (k) => random.choice(k, 3, { shape: [4], p: np.array([0.2, 0.3, 0.5]) })],
  ];
  for (const [name, f] of samplers) {
    it(name, () => {
      checkVmap(f, [keys]);
      checkVmap(f, [np.transpose(keys)], { inAxes: 1 });
      checkVmap(f, [random.split(K(12), 0)]);
    });
  }
  it("parameters batched with and without keys", () => {
    const k = K(5);
    const mins = np.array([-1, 0, 2]);
    checkVmap((m: Array) => random.uniform(k, [3], { minval: m, maxval: 5 }), [mins]);
    checkVmap(
      (kk: Array, m: Array) => random.uniform(kk, [3], { minval: m, maxval: 5 }),
      [keys, mins],
    );
    checkVmap((d: Array) => random.foldIn(k, d), [np.array([0, 1, 2], { dtype: "int32" })]);
    checkVmap((p: Array) => random.bernoulli(k, p, [4]), [np.array([0.1, 0.5, 0.9])]);
    checkVmap((lo: Array) => random.randint(k, [4], lo, 10), [
      np.array([0, 3, 9], { dtype: "int32" }),
    ]);
    checkVmap((l: Array) => random.categorical(k, l), [np.array([[0, 5, 0], [5, 0, 0]])]);
    checkVmap((lo: Array) => random.truncatedNormal(k, lo, 3, [2]), [np.array([-1, 0, 2])]);
  });
});

describe("random: derivatives with respect to parameters", () => {
  it("uniform is affine in minval and maxval; keys have zero tangent", () => {
    const k = K(3);
    const f = (lo: Array, hi: Array) => random.uniform(k, [4], { minval: lo, maxval: hi });
    checkGrads(f, [np.array(-1.5), np.array(2.5)], { order: 2 });
    const u = random.uniform(k, [4]);
    assertAllClose(
      grad((lo: Array) => np.sum(f(lo, np.array(2.5))))(-1.5),
      np.sum(np.subtract(1, u)),
    );
  });
  it("reparameterised normal: d/dμ Σ (μ + σ z) = n, d/dσ = Σ z", () => {
    const z = random.normal(K(4), [10]);
    const f = (mu: Array, sigma: Array) =>
      np.sum(np.add(mu, np.multiply(sigma, random.normal(K(4), [10]))));
    assertAllClose(grad(f)(0.5, 2), 10);
    assertAllClose(grad(f, { argnums: 1 })(0.5, 2), np.sum(z));
  });
});

// ---------------------------------------------------------------------------
// Distribution tests (fixed keys, so deterministic; thresholds are the usual 1 % critical values)

const N = 100_000;

function moments(xs: number[]): { mean: number; variance: number } {
  let s = 0;
  for (const x of xs) s += x;
  const mean = s / xs.length;
  let v = 0;
  for (const x of xs) v += (x - mean) ** 2;
  return { mean, variance: v / xs.length };
}

/** Kolmogorov–Smirnov statistic of a sample against a CDF. */
function ksStatistic(xs: number[], cdf: (sorted: number[]) => number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  const f = cdf(sorted);
  let d = 0;
  for (let i = 0; i < sorted.length; i++) {
    d = Math.max(d, (i + 1) / sorted.length - f[i], f[i] - i / sorted.length);
  }
  return d;
}

/** Pearson's chi-square statistic of counts against probabilities. */
function chiSquare(counts: number[], probs: number[]): number {
  const n = counts.reduce((a, b) => a + b, 0);
  return counts.reduce((acc, c, i) => acc + (c - n * probs[i]) ** 2 / (n * probs[i]), 0);
}

function counts(xs: number[], k: number): number[] {
  const c = new globalThis.Array<number>(k).fill(0);
  for (const x of xs) c[x]++;
  return c;
}

const KS_CRITICAL = 1.63 / Math.sqrt(N);
// 1 % critical values of chi-square by degrees of freedom
const CHI2_99: Record<number, number> = { 2: 9.21, 3: 11.34, 5: 15.09, 9: 21.67 };
const STATS: Record<string, number> = {};

describe("random: distributions (n = 1e5)", () => {
  it("uniform: moments and Kolmogorov–Smirnov", () => {
    const xs = random.uniform(K(100), [N]).tolist() as number[];
    const { mean, variance } = moments(xs);
    assert(Math.abs(mean - 0.5) < 4 * Math.sqrt(1 / 12 / N), `mean ${mean}`);
    assert(Math.abs(variance - 1 / 12) < 4 * Math.sqrt(1 / 180 / N), `variance ${variance}`);
    const d = ksStatistic(xs, (s) => s);
    assert(d < KS_CRITICAL, `KS D = ${d} >= ${KS_CRITICAL}`);
    assert(xs.every((x) => x >= 0 && x < 1));
    const ys = random.uniform(K(101), [N], { dtype: "float32", minval: -3, maxval: 1 });
    const d32 = ksStatistic(ys.tolist() as number[], (s) => s.map((y) => (y + 3) / 4));
    assert(d32 < KS_CRITICAL, `float32 KS D = ${d32}`);
    STATS["uniform KS D"] = d;
    STATS["uniform float32 KS D"] = d32;
    STATS["uniform mean"] = mean;
    STATS["uniform variance"] = variance;
  });
  it("normal: moments and Kolmogorov–Smirnov", () => {
    const xs = random.normal(K(200), [N]).tolist() as number[];
    const { mean, variance } = moments(xs);
    assert(Math.abs(mean) < 4 / Math.sqrt(N), `mean ${mean}`);
    assert(Math.abs(variance - 1) < 4 * Math.sqrt(2 / N), `variance ${variance}`);
    const phi = (s: number[]) =>
      np.multiply(0.5, erfc(np.multiply(np.array(s), -Math.SQRT1_2))).tolist() as number[];
    const d = ksStatistic(xs, phi);
    assert(d < KS_CRITICAL, `KS D = ${d} >= ${KS_CRITICAL}`);
    STATS["normal KS D"] = d;
    STATS["normal mean"] = mean;
    STATS["normal variance"] = variance;
  });
  it("truncatedNormal: strictly within bounds, mean of the truncated law", () => {
    const [a, b] = [-1, 2];
    const xs = random.truncatedNormal(K(300), a, b, [N]).tolist() as number[];
    assert(xs.every((x) => x > a && x < b));
    const pdf = (x: number) => Math.exp(-x * x / 2) / Math.sqrt(2 * Math.PI);
    const cdf = (x: number) => 0.5 * (erfc(-x * Math.SQRT1_2).item() as number);
    const z = cdf(b) - cdf(a);
    const mean = (pdf(a) - pdf(b)) / z;
    assert(Math.abs(moments(xs).mean - mean) < 4 / Math.sqrt(N), `mean ${moments(xs).mean}`);
    const cdfs = (s: number[]) =>
      np.multiply(0.5, erfc(np.multiply(np.array(s), -Math.SQRT1_2))).tolist() as number[];
    const ca = cdf(a);
    const d = ksStatistic(xs, (s) => cdfs(s).map((c) => (c - ca) / z));
    assert(d < KS_CRITICAL, `KS D = ${d}`);
    STATS["truncatedNormal KS D"] = d;
    const tight = random.truncatedNormal(K(301), 5, 5.001, [1000]).tolist() as number[];
    assert(tight.every((x) => x > 5 && x < 5.001));
  });
  it("bernoulli frequency", () => {
    for (const p of [0.3, 0.01]) {
      const m = np.mean(random.bernoulli(K(400), p, [N])).item() as number;
      assert(Math.abs(m - p) < 4 * Math.sqrt(p * (1 - p) / N), `p = ${p}: frequency ${m}`);
    }
  });
  it("categorical frequencies match softmax(logits) (chi-square)", () => {
    const logits = np.array([0.5, -1, 2, 0]);
    const probs = np.exp(np.subtract(logits, np.logsumexp(logits))).tolist() as number[];
    const xs = random.categorical(K(500), logits, { shape: [N] }).tolist() as number[];
    const chi2 = chiSquare(counts(xs, 4), probs);
    assert(chi2 < CHI2_99[3], `chi-square ${chi2}`);
    STATS["categorical chi2 (3 df)"] = chi2;
  });
  it("randint: range and uniformity (chi-square), large spans", () => {
    const xs = random.randint(K(600), [N], -2, 4).tolist() as number[];
    assert(xs.every((x) => Number.isInteger(x) && x >= -2 && x < 4));
    const chi2 = chiSquare(counts(xs.map((x) => x + 2), 6), new globalThis.Array(6).fill(1 / 6));
    assert(chi2 < CHI2_99[5], `chi-square ${chi2}`);
    STATS["randint chi2 (5 df)"] = chi2;
    const big = random.randint(K(601), [N], -(2 ** 31), 2 ** 31 - 1).tolist() as number[];
    const m = moments(big.map((x) => x / 2 ** 31));
    assert(Math.abs(m.mean) < 4 * Math.sqrt(1 / 3 / N), `mean ${m.mean}`);
  });
  it("permutation is a permutation, with uniform positions", () => {
    for (const n of [1, 7, 1000, 3000]) {
      const p = random.permutation(K(700 + n), n).tolist() as number[];
      assertEquals([...p].sort((a, b) => a - b), [...globalThis.Array(n).keys()]);
    }
    // position of element 0 over 10000 keys: uniform on 10 places
    const firsts = vmap((k: Array) => np.argmin(random.permutation(k, 10)))(
      random.split(K(701), 10000),
    ).tolist() as number[];
    const chi2 = chiSquare(counts(firsts, 10), new globalThis.Array(10).fill(0.1));
    assert(chi2 < CHI2_99[9], `chi-square ${chi2}`);
    STATS["permutation position chi2 (9 df)"] = chi2;
  });
  it("choice: without replacement distinct, with p matches p (chi-square)", () => {
    const picks = random.choice(K(800), 100, { shape: [60], replace: false }).tolist() as number[];
    assertEquals(new Set(picks).size, 60);
    const p = [0.5, 0.3, 0.2];
    const xs = random.choice(K(801), 3, { shape: [N], p: np.array(p) }).tolist() as number[];
    const chi2 = chiSquare(counts(xs, 3), p);
    assert(chi2 < CHI2_99[2], `chi-square ${chi2}`);
    STATS["choice with p chi2 (2 df)"] = chi2;
    const ys = random.choice(K(802), 4, { shape: [N] }).tolist() as number[];
    assert(chiSquare(counts(ys, 4), [0.25, 0.25, 0.25, 0.25]) < CHI2_99[3]);
  });
  it("split and foldIn give uncorrelated streams", () => {
    const [a, b] = [0, 1].map((i) => random.uniform(random.split(K(900)).get(i), [N]));
    const c = random.uniform(random.foldIn(K(900), 5), [N]);
    const corr = (x: Array, y: Array) => {
      const xc = np.subtract(x, np.mean(x)), yc = np.subtract(y, np.mean(y));
      return (np.mean(np.multiply(xc, yc)).item() as number) / (np.std(x).item() as number) /
        (np.std(y).item() as number);
    };
    assert(Math.abs(corr(a, b)) < 4 / Math.sqrt(N));
    assert(Math.abs(corr(a, c)) < 4 / Math.sqrt(N));
  });
});

describe("random: errors", () => {
  it("names the problem and the values", () => {
    assertThrows(() => random.uniform(random.split(K(0), 2), [2]), TypeError, "shape [2,2]");
    assertThrows(() => K(1.5), TypeError, "1.5");
    assertThrows(() => random.split(K(0), -1), RangeError, "-1");
    assertThrows(() => random.uniform(K(0), [2], { dtype: "int32" }), TypeError, "int32");
    assertThrows(() => random.uniform(K(0), [2], { minval: np.zeros([3]) }), TypeError, "[3]");
    assertThrows(() => random.randint(K(0), [2], 0, 3, { dtype: "float64" }), TypeError);
    assertThrows(() => random.choice(K(0), 3, { shape: [4], replace: false }), RangeError, "4");
    assertThrows(() => random.choice(K(0), 3, { p: np.array([0.5, 0.5]) }), TypeError, "[3]");
    assertThrows(() => random.foldIn(K(0), np.array([1, 2])), TypeError, "[2]");
    assertThrows(() => random.categorical(K(0), np.zeros([2, 3]), { shape: [4] }), TypeError);
  });
});

if (globalThis.process?.env?.NABLA_PRINT_STATS) {
  describe("random: statistics", () => {
    it("prints them", () => console.log(STATS));
  });
}
