// The random distributions of issue 11: JAX's samples for the inverse-CDF families (same
// uniforms, same transformations; tests/fixtures/random/random.json), and distribution tests
// with fixed keys for the rest — Kolmogorov–Smirnov against the CDFs of scipy.stats (and
// closed forms), moments, discrete CDFs — plus the gamma reparameterisation against JAX's
// random_gamma_grad, gradients through samples, vmap over keys and traced seeds.
import { describe, it } from "node:test";
import { readFileSync } from "node:fs";
import { type Array, grad, lax, np, random, scipy, vmap } from "../mod.ts";
import { randomGammaGrad } from "../src/random/gamma.ts";
import { assert, assertAllClose, assertThrows } from "./_assert.ts";

const data = JSON.parse(
  readFileSync(new URL("./fixtures/random/random.json", import.meta.url), "utf8"),
  // deno-lint-ignore no-explicit-any
) as any;
const S = data.samples as Record<string, number[]>;
const key = random.key(0);
const k7 = random.key(7);

/** The Kolmogorov–Smirnov statistic of `x` against the CDF `cdf`. */
function ks(x: Array, cdf: (x: Array) => Array): number {
  const sorted = np.sort(x.reshape([-1]));
  const n = sorted.size;
  const f = cdf(sorted).tolist() as number[];
  let d = 0;
  f.forEach((v, i) => (d = Math.max(d, v - i / n, (i + 1) / n - v)));
  return d;
}
// the 0.1% critical value, 1.95/√n: fixed keys make each check deterministic
const crit = (n: number) => 1.95 / Math.sqrt(n);
const N = 20000;

describe("random: JAX's samples for the inverse-CDF families", () => {
  const cases: [string, () => Array, number][] = [
    ["bits", () => {
      const b = random.bits(key, [6]);
      assert(b.dtype === "uint32");
      return b;
    }, 0],
    ["exponential", () => random.exponential(key, [6]), 1e-15],
    ["gumbel", () => random.gumbel(key, [6]), 1e-14],
    ["laplace", () => random.laplace(key, [6]), 1e-15],
    ["logistic", () => random.logistic(key, [6]), 1e-14],
    ["cauchy", () => random.cauchy(key, [6]), 1e-13],
    ["lognormal", () => random.lognormal(key, 0.7, [6]), 1e-14],
    ["weibull_min", () => random.weibullMin(key, 2, 1.5, [6]), 1e-14],
    ["rademacher", () => random.rademacher(key, [8]), 0],
    ["pareto", () => random.pareto(key, 3, [6]), 1e-14],
    ["rayleigh", () => random.rayleigh(key, 2, [6]), 1e-14],
    ["maxwell", () => random.maxwell(key, [6]), 1e-14],
    ["double_sided_maxwell", () => random.doubleSidedMaxwell(key, 1, 2, [6]), 1e-14],
    ["geometric", () => random.geometric(key, 0.25, [8]), 0],
    ["triangular", () => random.triangular(key, -1, 0, 2, [6]), 1e-14],
    ["wald", () => random.wald(key, 0.5, [6]), 1e-13],
    ["orthogonal", () => random.orthogonal(k7, 4), 1e-13],
    ["orthogonal_rect", () => random.orthogonal(k7, 5, [], { m: 3 }), 1e-13],
    ["orthogonal_wide", () => random.orthogonal(k7, 2, [3], { m: 4 }), 1e-13],
    [
      "multivariate_normal",
      () =>
        random.multivariateNormal(
          k7,
          np.array([1, -1, 0.5]),
          np.array([[2, 0.3, 0.1], [0.3, 1, -0.2], [0.1, -0.2, 0.5]]),
          [4],
        ),
      1e-13,
    ],
  ];
  for (const [name, f, tol] of cases) {
    it(name, () => assertAllClose(f().reshape([-1]), S[name], { rtol: tol, atol: tol }));
  }
  it("PRNGKey is key", () => assert(random.PRNGKey === random.key));
  it("traced seeds: vmap(random.key)", () => {
    const keys = vmap(random.key)(np.array([0, 42, -1, 2 ** 31 - 1], { dtype: "int32" }));
    assert(keys.dtype === "uint32");
    assertAllClose(keys.reshape([-1]), S.keys_vmap);
    const draws = vmap((s: Array) => random.normal(random.key(s), [2]))(
      np.array([0, 42], { dtype: "int32" }),
    );
    assertAllClose(np.take(draws, 1, 0), random.normal(random.key(42), [2]));
  });
});

describe("random: distribution tests with fixed keys (Kolmogorov–Smirnov)", () => {
  const st = scipy.stats;
  const checks: [string, () => Array, (x: Array) => Array][] = [
    [
      "exponential",
      () => random.exponential(key, [N]),
      (x) => np.negative(np.expm1(np.negative(x))),
    ],
    ["gumbel", () => random.gumbel(key, [N]), (x) => np.exp(np.negative(np.exp(np.negative(x))))],
    [
      "laplace",
      () => random.laplace(key, [N]),
      (x) =>
        np.where(
          np.less(x, 0),
          np.multiply(0.5, np.exp(x)),
          np.subtract(1, np.multiply(0.5, np.exp(np.negative(x)))),
        ),
    ],
    ["logistic", () => random.logistic(key, [N]), (x) => scipy.special.expit(x)],
    ["cauchy", () => random.cauchy(key, [N]), (x) => np.add(0.5, np.divide(np.arctan(x), Math.PI))],
    ["lognormal", () => random.lognormal(key, 0.7, [N]), (x) => st.norm.cdf(np.log(x), 0, 0.7)],
    [
      "weibullMin",
      () => random.weibullMin(key, 2, 1.5, [N]),
      (x) => np.negative(np.expm1(np.negative(np.power(np.divide(x, 2), 1.5)))),
    ],
    ["gamma a=3", () => random.gamma(key, 3, [N]), (x) => st.gamma.cdf(x, 3)],
    ["gamma a=0.3 (boosted)", () => random.gamma(key, 0.3, [N]), (x) => st.gamma.cdf(x, 0.3)],
    ["gamma a=50", () => random.gamma(key, 50, [N]), (x) => st.gamma.cdf(x, 50)],
    [
      "loggamma a=0.01",
      () => random.loggamma(key, 0.01, [N]),
      (x) => st.gamma.cdf(np.exp(x), 0.01),
    ],
    ["beta", () => random.beta(key, 2, 6, [N]), (x) => st.beta.cdf(x, 2, 6)],
    ["chisquare", () => random.chisquare(key, 3, [N]), (x) => st.gamma.cdf(x, 1.5, 0, 2)],
    ["f", () => random.f(key, 4, 6, [N]), (x) =>
      // F(x) = I_{d₁x/(d₁x+d₂)}(d₁/2, d₂/2)
      scipy.special.betainc(2, 3, np.divide(np.multiply(4, x), np.add(np.multiply(4, x), 6)))],
    ["beta small shapes", () => random.beta(key, 0.2, 0.5, [N]), (x) => st.beta.cdf(x, 0.2, 0.5)],
    [
      "dirichlet marginal",
      () => np.take(random.dirichlet(key, [1, 2, 3], [N]), 2, -1),
      (x) => st.beta.cdf(x, 3, 3),
    ],
    ["t", () => random.t(key, 5, [N]), (x) => {
      // F(x) = 1 - ½ I_{ν/(ν+x²)}(ν/2, ½) for x > 0, by symmetry below
      const tail = np.multiply(
        0.5,
        scipy.special.betainc(2.5, 0.5, np.divide(5, np.add(5, np.square(x)))),
      );
      return np.where(np.greater(x, 0), np.subtract(1, tail), tail);
    }],
    [
      "generalizedNormal p=2",
      () => random.generalizedNormal(key, 2, [N]),
      (x) => st.norm.cdf(x, 0, Math.SQRT1_2),
    ],
    [
      "ball radius (d=3)",
      () => np.sqrt(np.sum(np.square(random.ball(key, 3, 2, [N])), -1)),
      (r) => np.power(r, 3),
    ],
    ["multivariateNormal projection", () => {
      const cov = np.array([[2, 0.5], [0.5, 1]]);
      const x = random.multivariateNormal(key, np.array([1, 2]), cov, [N]);
      return np.matmul(x, np.array([1, -1])); // N(-1, 2 + 1 - 1)
    }, (y) => st.norm.cdf(y, -1, Math.SQRT2)],
  ];
  for (const [name, sample, cdf] of checks) {
    it(name, () => {
      const d = ks(sample(), cdf);
      assert(d < crit(N), `KS statistic ${d} ≥ ${crit(N)}`);
    });
  }
  it("the KS check rejects a wrong distribution (it can fail)", () => {
    const d = ks(random.gamma(key, 3, [N]), (x) => st.gamma.cdf(x, 3.1));
    assert(d > crit(N), `${d}`);
  });
  it("orthogonal: Haar moments of the entries (mean 0, variance 1/n)", () => {
    const q = random.orthogonal(key, 6, [2000]);
    const e = np.take(np.take(q, 1, -1), 2, -1);
    assert(Math.abs(np.mean(e).item() as number) < 0.02);
    assert(Math.abs((np.var(e).item() as number) - 1 / 6) < 0.01);
  });
});

describe("random: discrete distributions against their CDFs", () => {
  /** The largest gap between the empirical and the true CDF over k = 0 … kmax. */
  const cdfCheck = (x: Array, cdf: (k: Array) => Array, kmax: number) => {
    const counts = new Float64Array(kmax + 2);
    for (const v of x.tolist() as number[]) counts[Math.min(Math.max(v, -1), kmax) + 1]++;
    const f = cdf(np.arange(kmax + 1)).tolist() as number[];
    let acc = counts[0], worst = 0;
    for (let k = 0; k <= kmax; k++) {
      acc += counts[k + 1];
      if (k < kmax) worst = Math.max(worst, Math.abs(acc / x.size - f[k]));
    }
    return worst;
  };
  for (const lam of [0.5, 4, 9.5, 10, 37, 300]) {
    it(`poisson λ=${lam}`, () => {
      const x = random.poisson(key, lam, [N]);
      assert(x.dtype === "int32");
      const d = cdfCheck(
        x,
        (k) => scipy.stats.poisson.cdf(k, lam),
        Math.ceil(lam + 6 * Math.sqrt(lam) + 5),
      );
      assert(d < crit(N), `${d}`);
    });
  }
  for (const [n, p] of [[10, 0.3], [50, 0.1], [1000, 0.7], [200, 0.5], [5, 0.99], [3000, 0.02]]) {
    it(`binomial n=${n} p=${p}`, () => {
      const x = random.binomial(key, n, p, [N]);
      const d = cdfCheck(
        x,
        // P(X ≤ k) = I_{1-p}(n - k, k + 1)
        (k) =>
          np.where(
            np.greaterEqual(k, n),
            1,
            scipy.special.betainc(np.maximum(np.subtract(n, k), 1e-300), np.add(k, 1), 1 - p),
          ),
        n,
      );
      assert(d < crit(N), `${d}`);
    });
  }
  it("edge parameters", () => {
    assertAllClose(random.poisson(key, np.array([0, 0]), [2]), [0, 0]);
    assertAllClose(random.binomial(key, 7, np.array([0, 1])), [0, 7]);
    assert(Number.isNaN(random.binomial(key, 7, 1.5).item() as number));
    assertAllClose(
      random.rademacher(key, [3], { dtype: "float64" }).dtype === "float64" ? 1 : 0,
      1,
    );
  });
});

describe("random: gradients through samples", () => {
  it("random_gamma_grad as JAX's on a grid", () => {
    const g = data.random_gamma_grad;
    assertAllClose(randomGammaGrad(np.array(g.a), np.array(g.x)), g.grad, { rtol: 1e-9 });
    assertAllClose(lax.randomGammaGrad(np.array(g.a), np.array(g.x)), g.grad, { rtol: 1e-9 });
  });
  it("d E[gamma(a)]/da = 1 and d E[beta]/da by the reparameterisation", () => {
    const m = (a: Array) => np.mean(random.gamma(key, a, [N]));
    assert(Math.abs((grad(m)(np.array(2.5)).item() as number) - 1) < 0.02);
    // E[Beta(a, b)] = a/(a+b): d/da = b/(a+b)² = 6/64
    const mb = (a: Array) => np.mean(random.beta(key, a, 6, [N]));
    assert(Math.abs((grad(mb)(np.array(2)).item() as number) - 6 / 64) < 0.005);
    // E[z²] = a(a+1) for small a through the boost: d/da = 2a + 1
    const m2 = (a: Array) => np.mean(np.square(random.gamma(key, a, [N])));
    assert(Math.abs((grad(m2)(np.array(0.4)).item() as number) / 1.8 - 1) < 0.05);
  });
  it("lognormal and weibullMin differentiate in their parameters", () => {
    const m = (s: Array) => np.mean(random.lognormal(key, s, [N]));
    // E = exp(σ²/2): d/dσ = σ exp(σ²/2)
    assert(
      Math.abs((grad(m)(np.array(0.5)).item() as number) / (0.5 * Math.exp(0.125)) - 1) < 0.03,
    );
    const w = (sc: Array) => np.mean(random.weibullMin(key, sc, 2, [N]));
    assert(Math.abs((grad(w)(np.array(1)).item() as number) - 0.886226925) < 0.02);
  });
  it("vmap over keys equals a loop", () => {
    const keys = random.split(key, 3);
    const f = (k: Array) => random.gamma(k, 2.5, [4]);
    const batched = vmap(f)(keys);
    for (let i = 0; i < 3; i++) assertAllClose(np.take(batched, i, 0), f(keys.get(i)));
    const b = vmap((k: Array) => random.poisson(k, 20, [3]))(keys);
    for (let i = 0; i < 3; i++) {
      assertAllClose(np.take(b, i, 0), random.poisson(keys.get(i), 20, [3]));
    }
  });
  it("bad arguments are errors naming them", () => {
    assertThrows(() => random.dirichlet(key, 1), TypeError, "alpha");
    assertThrows(() => random.orthogonal(key, 0), TypeError, "'n'");
    assertThrows(() => random.multivariateNormal(key, [0, 0], np.eye(3)), TypeError, "'cov'");
    assertThrows(() => random.key(np.array([1, 2])), TypeError, "scalar seed");
  });
});
