// scipy.special against SciPy and JAX (tests/fixtures/special/special.json, made by
// make_fixtures.py beside it) and, where SciPy's or JAX's float64 results are themselves off by
// more than a few ulp, against 40-digit mpmath values (mpmath.json, make_mpmath_fixtures.py):
// values to double precision, gradients (vmap of grad), JAX's values at poles and edges, and
// JAX's refusals (igamma_grad_a, betainc in a and b).
import { describe, it } from "node:test";
import { readFileSync } from "node:fs";
import { assert, assertAllClose, assertThrows } from "./_assert.ts";
import { type Array, grad, jvp, lax, np, scipy, vmap } from "../mod.ts";

const s = scipy.special;
type Enc = (number | string)[];
interface Case {
  name: string;
  args: Enc[];
  jax: Enc;
  scipy?: Enc;
  grad_args?: number[];
  grads?: Enc[];
}
const data = JSON.parse(
  readFileSync(new URL("./fixtures/special/special.json", import.meta.url), "utf8"),
) as { cases: Case[]; logsumexp: Record<string, Enc | Enc[]> };
const exact = JSON.parse(
  readFileSync(new URL("./fixtures/special/mpmath.json", import.meta.url), "utf8"),
) as Record<string, { value: Enc; grads?: (Enc | null)[] }>;

const dec = (v: Enc): number[] =>
  v.map((
    w,
  ) => (w === "nan" ? NaN : w === "inf" ? Infinity : w === "-inf" ? -Infinity : w as number));

// deno-lint-ignore no-explicit-any
const fns: Record<string, (...xs: any[]) => Array> = {
  gammaln: s.gammaln,
  gammaln_poles: s.gammaln,
  digamma: s.digamma,
  digamma_poles: s.digamma,
  polygamma: (n: Array, x: Array) => s.polygamma(np.astype(n, "int32"), x),
  zeta: s.zeta,
  zeta_edges: s.zeta,
  gammainc: s.gammainc,
  gammaincc: s.gammaincc,
  gammainc_edges: s.gammainc,
  gammaincc_edges: s.gammaincc,
  betainc: s.betainc,
  betaln: s.betaln,
  logit: s.logit,
  expit: s.expit,
  xlogy: s.xlogy,
  xlog1py: s.xlog1py,
  i0e: s.i0e,
  i1e: s.i1e,
  i0: s.i0,
  i1: s.i1,
  ndtr: s.ndtr,
  log_ndtr: s.logNdtr,
  ndtri: s.ndtri,
  erf: s.erf,
  gammasgn: s.gammasgn,
  gamma: s.gamma,
  gamma_grad: s.gamma,
  factorial: s.factorial,
  beta: s.beta,
  entr: s.entr,
  rel_entr: s.relEntr,
  kl_div: s.klDiv,
  multigammaln: (a: Array) => s.multigammaln(a, 3),
};

// Relative tolerances of values (default 1e-14) and gradients (default 1e-13). ndtr, log_ndtr:
// erfc's 3e-14 in the far tail; betainc and betaln: 4e-14 where large terms cancel (a, b in
// the hundreds; log B(0.3, 40) ≈ -0.008); ndtri's gradient exp(x²/2) magnifies x's last bit by
// x² ≈ 1400 at p = 1e-300; i0e/i1e gradients: i1e - i0e cancels for large |x| (2e-12 at 1e4).
const rtol: Record<string, number> = {
  ndtr: 5e-14,
  log_ndtr: 5e-14,
  gammainc: 3e-14,
  gammaincc: 3e-14,
  betainc: 5e-14,
  betaln: 5e-14,
  gamma: 1e-13, // exp(gammaln): gammaln's absolute error times |gammaln|
  beta: 1e-13,
  factorial: 1e-13,
};
const gradRtol: Record<string, number> = {
  i0e: 5e-12,
  i1e: 5e-12,
  i0: 5e-12,
  i1: 5e-12,
  ndtri: 3e-13,
};

describe("scipy.special values against SciPy and JAX (float64)", () => {
  for (const c of data.cases) {
    it(c.name, () => {
      const f = fns[c.name];
      const args = c.args.map((a) => np.array(dec(a)));
      const y = f(...args);
      const ref = exact[c.name]?.value ?? c.scipy ?? c.jax;
      assertAllClose(y, dec(ref), { rtol: rtol[c.name] ?? 1e-14, atol: 1e-300 });
    });
  }
});

describe("scipy.special gradients against JAX's (vmap of grad)", () => {
  for (const c of data.cases.filter((c) => c.grads)) {
    it(c.name, () => {
      const f = fns[c.name];
      const args = c.args.map((a) => np.array(dec(a)));
      c.grad_args!.forEach((i, k) => {
        const g = vmap(grad((...xs: Array[]) => f(...xs), { argnums: i }))(...args);
        assertAllClose(g, dec(exact[c.name]?.grads?.[k] ?? c.grads![k]), {
          rtol: gradRtol[c.name] ?? 1e-13,
          // B(a, b)'s derivative vanishes at (-0.5, 2), where mpmath leaves 3e-43
          atol: c.name === "beta" ? 1e-30 : 1e-300,
          msg: `d/darg${i}`,
        });
      });
    });
  }
});

describe("scipy.special rules as JAX's", () => {
  it("gammainc is differentiable once in a (igamma_grad_a has no rule, as JAX)", () => {
    const ga = (a: Array) => grad((b: Array) => s.gammainc(b, 1))(a);
    assert(Number.isFinite(ga(np.array(2)).item() as number));
    assertThrows(() => grad(ga)(np.array(2)), TypeError, "igamma_grad_a");
  });
  it("betainc refuses derivatives in a and b, as JAX", () => {
    assertThrows(() => grad((a: Array) => s.betainc(a, 3, 0.4))(np.array(2)), TypeError, "betainc");
    assertThrows(() => grad((b: Array) => s.betainc(2, b, 0.4))(np.array(3)), TypeError, "betainc");
  });
  it("polygamma needs an integer order", () => {
    assertThrows(() => s.polygamma(1.5, 2), TypeError, "'n'");
    assertThrows(() => s.polygamma(np.array([1.0]), 2), TypeError, "'n'");
  });
  it("second derivatives follow the chain gammaln → digamma → polygamma", () => {
    const d2 = grad(grad(s.gammaln))(np.array(3.5)).item() as number;
    assertAllClose(d2, s.polygamma(1, 3.5).item() as number, { rtol: 1e-15 });
    const d3 = grad(grad(s.digamma))(np.array(3.5)).item() as number;
    assertAllClose(d3, s.polygamma(2, 3.5).item() as number, { rtol: 1e-15 });
    const [, t] = jvp((q: Array) => s.zeta(3, q), [np.array(2)], [np.array(1)]);
    assertAllClose(t, -3 * (s.zeta(4, 2).item() as number), { rtol: 1e-15 });
  });
  it("float32 in, float32 out", () => {
    const y = s.gammaln(np.array([2.5], { dtype: "float32" }));
    assert(y.dtype === "float32");
    assertAllClose(y, [0.2846828704729192], { rtol: 1e-7 });
  });
});

describe("scipy.special.logsumexp with b and returnSign, as JAX", () => {
  const L = data.logsumexp;
  const a = np.array(L.a as number[]).reshape([3, 4]);
  const b = np.array(L.b as number[]).reshape([3, 4]);
  it("weights, NaN for negative sums", () => {
    assertAllClose(s.logsumexp(a, { axis: 1, b }), dec(L.axis1_b as Enc), { rtol: 1e-14 });
  });
  it("returnSign", () => {
    const [v, sg] = s.logsumexp(a, { axis: 0, b, returnSign: true });
    const ref = L.axis0_b_sign as Enc[];
    assertAllClose(v, dec(ref[0]), { rtol: 1e-14 });
    assertAllClose(sg, dec(ref[1]));
    const [v2, s2] = s.logsumexp(a, { b, returnSign: true });
    const ref2 = L.all_b_sign as Enc[];
    assertAllClose(v2, dec(ref2[0])[0], { rtol: 1e-14 });
    assertAllClose(s2, dec(ref2[1])[0]);
  });
  it("JAX's positional axis, and unknown options refused", () => {
    assertAllClose(s.logsumexp(a, 1, { b }), dec(L.axis1_b as Enc), { rtol: 1e-14 });
    const [v] = s.logsumexp(a, 0, { b, returnSign: true });
    assertAllClose(v, dec((L.axis0_b_sign as Enc[])[0]), { rtol: 1e-14 });
    // deno-lint-ignore no-explicit-any
    assertThrows(() => s.logsumexp(a, { axes: 1 } as any), TypeError, "axis");
  });
  it("keepdims", () => {
    const y = s.logsumexp(a, { axis: 1, keepdims: true });
    assert(y.shape.join() === "3,1");
    assertAllClose(y.reshape([3]), dec(L.axis1_keep as Enc), { rtol: 1e-14 });
  });
  it("gradients", () => {
    const g = grad((x: Array) => np.sum(s.logsumexp(x, { axis: 0, b, returnSign: true })[0]))(a);
    assertAllClose(g.reshape([12]), dec(L.grad_a_b_sign as Enc), { rtol: 1e-13 });
    const gb = grad((w: Array) => s.logsumexp(a, { b: np.abs(w) }))(b);
    assertAllClose(gb.reshape([12]), dec(L.grad_b as Enc), { rtol: 1e-13 });
  });
});

describe("lax special functions: the same primitives", () => {
  it("agree with scipy.special", () => {
    const x = np.array([0.3, 1.7, 4.2]);
    const y = np.array([0.5, 2.5, 3]);
    assertAllClose(lax.lgamma(x), s.gammaln(x), { rtol: 0 });
    assertAllClose(lax.digamma(x), s.digamma(x), { rtol: 0 });
    assertAllClose(lax.igamma(x, y), s.gammainc(x, y), { rtol: 0 });
    assertAllClose(lax.igammac(x, y), s.gammaincc(x, y), { rtol: 0 });
    assertAllClose(lax.zeta(np.add(x, 1), y), s.zeta(np.add(x, 1), y), { rtol: 0 });
    assertAllClose(lax.polygamma(np.array([1, 2, 3]), y), s.polygamma([1, 2, 3], y), { rtol: 0 });
    assertAllClose(lax.besselI0e(x), s.i0e(x), { rtol: 0 });
    assertAllClose(lax.besselI1e(x), s.i1e(x), { rtol: 0 });
    assertAllClose(lax.regularizedIncompleteBeta(x, y, np.array(0.4)), s.betainc(x, y, 0.4), {
      rtol: 0,
    });
    const ga = vmap(grad((a: Array, b: Array) => s.gammainc(a, b)))(x, y);
    assertAllClose(lax.igammaGradA(x, y), ga, { rtol: 0 });
  });
});
