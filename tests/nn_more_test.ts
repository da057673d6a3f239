// The nn functions added with issue 11 against JAX (tests/fixtures/nn/nn.json, made by
// make_fixtures.py beside it): activations (values and derivatives), glu,
// dotProductAttention (causal, scale, bias, masks, sequence lengths, local windows, grouped
// heads, unbatched; gradients in q, k, v and bias) and nn.initializers (the same samples as
// JAX for key 0), plus finite-difference and vmap checks.
import { describe, it } from "node:test";
import { readFileSync } from "node:fs";
import { type Array, grad, nn, np, random, vmap } from "../mod.ts";
import { checkGrads, checkVmap } from "../src/testing.ts";
import { assert, assertAllClose, assertThrows } from "./_assert.ts";

type Enc = (number | string)[];
const data = JSON.parse(
  readFileSync(new URL("./fixtures/nn/nn.json", import.meta.url), "utf8"),
  // deno-lint-ignore no-explicit-any
) as any;
const dec = (v: Enc): number[] =>
  v.map((
    w,
  ) => (w === "nan" ? NaN : w === "inf" ? Infinity : w === "-inf" ? -Infinity : w as number));

const acts: Record<string, (x: Array) => Array> = {
  celu: (x) => nn.celu(x),
  celu_a: (x) => nn.celu(x, 0.5),
  selu: nn.selu,
  soft_sign: nn.softSign,
  hard_tanh: nn.hardTanh,
  hard_sigmoid: nn.hardSigmoid,
  hard_silu: nn.hardSilu,
  squareplus: (x) => nn.squareplus(x),
  squareplus_b: (x) => nn.squareplus(x, 9),
  mish: nn.mish,
  log1mexp: nn.log1mexp,
};

describe("nn activations against JAX", () => {
  for (const [name, f] of Object.entries(acts)) {
    it(name, () => {
      const c = data.acts[name];
      const x = np.array(c.x);
      assertAllClose(f(x), dec(c.v), { rtol: 1e-14, atol: 1e-300 });
      assertAllClose(vmap(grad(f))(x), dec(c.g), { rtol: 1e-13, atol: 1e-300 });
    });
  }
  it("hardSwish is hardSilu", () => assert(nn.hardSwish === nn.hardSilu));
  it("derivatives by finite differences, and vmap", () => {
    const x = np.array([-2.3, -0.7, 0.45, 1.7]);
    for (
      const f of [nn.celu, nn.selu, nn.softSign, nn.squareplus, nn.mish] as ((x: Array) => Array)[]
    ) {
      checkGrads(f, [x], { order: 2 });
      checkVmap(f, [np.stack([x, x])]);
    }
    checkGrads(nn.log1mexp, [np.array([0.3, 0.69, 0.71, 2])], { order: 2 });
  });
  it("glu", () => {
    const c = data.acts.glu;
    const x = np.array(c.x).reshape([3, 6]);
    assertAllClose(nn.glu(x).reshape([9]), dec(c.v), { rtol: 1e-14 });
    assertAllClose(nn.glu(np.transpose(x), 0).reshape([9]), dec(c.v0), { rtol: 1e-14 });
    const g = grad((a: Array) => np.sum(np.sin(nn.glu(a))))(x);
    assertAllClose(g.reshape([18]), dec(c.g), { rtol: 1e-13 });
    assertThrows(() => nn.glu(np.ones([2, 3])), TypeError, "even");
  });
});

describe("nn.dotProductAttention against JAX", () => {
  const A = data.attention;
  const [B, T, S, N, K, H] = A.shape as number[];
  const q = np.array(A.q).reshape([B, T, N, H]);
  const k = np.array(A.k).reshape([B, S, K, H]);
  const v = np.array(A.v).reshape([B, S, K, H]);
  const bias = np.array(A.bias).reshape([1, N, T, S]);
  const mask = np.array((A.mask as number[]).map((m) => m === 1)).reshape([B, 1, T, S]);
  const opts: Record<string, nn.DotProductAttentionOptions> = {
    plain: {},
    causal: { isCausal: true },
    scale: { scale: 0.3 },
    bias: { bias },
    mask: { mask },
    all: { bias, mask, isCausal: true },
    seqlens: {
      querySeqLengths: np.array([2, 3], { dtype: "int32" }),
      keyValueSeqLengths: np.array([3, 4], { dtype: "int32" }),
    },
    window: { localWindowSize: [1, 0] },
  };
  for (const [name, o] of Object.entries(opts)) {
    it(name, () => {
      const c = A.cases[name];
      const f = (a: Array, b: Array, d: Array) => nn.dotProductAttention(a, b, d, o);
      // JAX computes the softmax in float32 even for float64 inputs; nabla stays in float64:
      // agreement to float32 precision (exactness is checked against a loop below)
      assertAllClose(f(q, k, v).reshape([-1]), dec(c.out), { rtol: 1e-6, atol: 1e-7 });
      const loss = (a: Array, b: Array, d: Array) => np.sum(np.sin(f(a, b, d)));
      const [gq, gk, gv] = [0, 1, 2].map((i) => grad(loss, { argnums: i })(q, k, v));
      assertAllClose(gq.reshape([-1]), dec(c.gq), { rtol: 1e-5, atol: 1e-6 });
      assertAllClose(gk.reshape([-1]), dec(c.gk), { rtol: 1e-5, atol: 1e-6 });
      assertAllClose(gv.reshape([-1]), dec(c.gv), { rtol: 1e-5, atol: 1e-6 });
    });
  }
  it("equals a float64 loop over batch, head, query and key (bias, mask, causal, GQA)", () => {
    const out = nn.dotProductAttention(q, k, v, { bias, mask, isCausal: true })
      .tolist() as number[][][][];
    const Q = q.tolist() as number[][][][], Kk = k.tolist() as number[][][][];
    const V = v.tolist() as number[][][][], Bs = bias.tolist() as number[][][][];
    const M = mask.tolist() as boolean[][][][];
    const G = N / K;
    for (let b = 0; b < B; b++) {
      for (let n = 0; n < N; n++) {
        for (let t = 0; t < T; t++) {
          const logits: number[] = [];
          for (let s = 0; s < S; s++) {
            let dot = 0;
            for (let h = 0; h < H; h++) dot += Q[b][t][n][h] * Kk[b][s][Math.floor(n / G)][h];
            const ok = M[b][0][t][s] && s <= t;
            logits.push(ok ? dot / Math.sqrt(H) + Bs[0][n][t][s] : -Infinity);
          }
          const m = Math.max(...logits);
          const w = logits.map((l) => Math.exp(l - m));
          const z = w.reduce((p, c) => p + c, 0);
          for (let h = 0; h < H; h++) {
            let acc = 0;
            for (let s = 0; s < S; s++) acc += (w[s] / z) * V[b][s][Math.floor(n / G)][h];
            assert(Math.abs(out[b][t][n][h] - acc) < 1e-13, `${b},${t},${n},${h}`);
          }
        }
      }
    }
  });
  it("JAX's positional bias and mask", () => {
    const c = A.cases.all;
    const out = nn.dotProductAttention(q, k, v, bias, mask, { isCausal: true });
    assertAllClose(out.reshape([-1]), dec(c.out), { rtol: 1e-6, atol: 1e-7 });
    const m = nn.dotProductAttention(q, k, v, null, mask);
    assertAllClose(m.reshape([-1]), dec(A.cases.mask.out), { rtol: 1e-6, atol: 1e-7 });
  });
  it("gradient in the bias", () => {
    const g = grad((b: Array) => np.sum(np.sin(nn.dotProductAttention(q, k, v, { bias: b }))))(
      bias,
    );
    assertAllClose(g.reshape([-1]), dec(A.grad_bias), { rtol: 1e-5, atol: 1e-6 });
  });
  it("without a batch axis", () => {
    const q3 = np.take(np.take(q, 0, 0), np.arange(2), 1);
    const k3 = np.take(np.take(k, 0, 0), np.arange(2), 1);
    const v3 = np.take(np.take(v, 0, 0), np.arange(2), 1);
    const out = nn.dotProductAttention(q3, k3, v3);
    assert(out.shape.join() === [T, 2, H].join());
    assertAllClose(out.reshape([-1]), dec(A.unbatched.out), { rtol: 1e-6, atol: 1e-7 });
  });
  it("vmap over a leading axis equals a loop", () => {
    const f = (a: Array) => nn.dotProductAttention(a, k, v, { isCausal: true });
    checkVmap(f, [np.stack([q, np.multiply(q, 2)])]);
  });
  it("bad shapes and masks are errors naming the argument", () => {
    assertThrows(() => nn.dotProductAttention(q, k, np.ones([B, S, K, H + 1])), TypeError, "value");
    assertThrows(() => nn.dotProductAttention(np.ones([B, T, 3, H]), k, v), TypeError, "heads");
    assertThrows(
      () => nn.dotProductAttention(q, k, v, { mask: np.ones([1, 1, T, S]) }),
      TypeError,
      "'mask'",
    );
  });
});

describe("nn.initializers: JAX's samples for key 0", () => {
  const I = nn.initializers;
  const inits: Record<string, nn.initializers.Initializer> = {
    glorot_uniform: I.glorotUniform(),
    glorot_normal: I.glorotNormal(),
    he_normal: I.heNormal(),
    he_uniform: I.heUniform(),
    lecun_normal: I.lecunNormal(),
    lecun_uniform: I.lecunUniform(),
    normal: I.normal(0.5),
    uniform: I.uniform(2),
    truncated_normal: I.truncatedNormal(0.3),
    vs_fan_out_normal: I.varianceScaling(3, "fanOut", "normal"),
    vs_batch: I.varianceScaling(1, "fanIn", "uniform", { inAxis: 1, outAxis: 2, batchAxis: [0] }),
    orthogonal: I.orthogonal(),
    orthogonal_wide: I.orthogonal(2),
    orthogonal_axis0: I.orthogonal(1, 0),
  };
  for (const [name, init] of Object.entries(inits)) {
    it(name, () => {
      const c = data.initializers[name];
      const w = init(random.key(0), c.shape, "float64");
      assert(w.shape.join() === c.shape.join(), `${w.shape} vs ${c.shape}`);
      assertAllClose(w.reshape([-1]), dec(c.v), { rtol: 1e-12, atol: 1e-14 });
    });
  }
  it("zeros, ones, constant, float32", () => {
    assertAllClose(I.zeros(random.key(0), [2, 2]), [[0, 0], [0, 0]]);
    assertAllClose(I.ones(random.key(0), [3]), [1, 1, 1]);
    assertAllClose(I.constant(-2)(random.key(0), [2]), [-2, -2]);
    assert(I.heNormal()(random.key(1), [3, 3], "float32").dtype === "float32");
  });
  it("bad modes and shapes are errors", () => {
    // deno-lint-ignore no-explicit-any
    assertThrows(() => I.varianceScaling(1, "fan" as any, "normal"), TypeError, "mode");
    assertThrows(() => I.orthogonal()(random.key(0), [3]), TypeError, "two axes");
  });
});
