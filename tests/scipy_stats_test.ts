// scipy.stats against JAX (tests/fixtures/special/stats.json, made by make_fixtures.py):
// every function JAX has for norm, t, gamma, beta, poisson and bernoulli with loc/scale,
// gradients in every argument JAX differentiates (vmap of grad), multivariateNormal's
// logpdf/pdf and its gradients in x, mean and cov, and the entropy of the Poisson
// distribution against its defining sum.
import { describe, it } from "node:test";
import { readFileSync } from "node:fs";
import { assert, assertAllClose, assertThrows } from "./_assert.ts";
import { type Array, grad, np, scipy, vmap } from "../mod.ts";

const st = scipy.stats;
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
  readFileSync(new URL("./fixtures/special/stats.json", import.meta.url), "utf8"),
) as { cases: Case[]; mvn: Record<string, Enc> };
const dec = (v: Enc): number[] =>
  v.map((
    w,
  ) => (w === "nan" ? NaN : w === "inf" ? Infinity : w === "-inf" ? -Infinity : w as number));

// deno-lint-ignore no-explicit-any
const fn = (name: string): (...xs: any[]) => Array => {
  const [dist, f] = name.split(".");
  // deno-lint-ignore no-explicit-any
  return (st as any)[dist][f];
};

describe("scipy.stats values and gradients against JAX (float64)", () => {
  for (const c of data.cases) {
    it(c.name, () => {
      const f = fn(c.name);
      const args = c.args.map((a) => np.array(dec(a)));
      assertAllClose(f(...args), dec(c.scipy ?? c.jax), { rtol: 1e-13, atol: 1e-300 });
      c.grad_args?.forEach((i, k) => {
        const g = vmap(grad((...xs: Array[]) => f(...xs), { argnums: i }))(...args);
        assertAllClose(g, dec(c.grads![k]), { rtol: 1e-12, atol: 1e-14, msg: `d/darg${i}` });
      });
    });
  }
});

describe("scipy.stats.multivariateNormal against JAX", () => {
  const M = data.mvn;
  const x = np.array(M.x as number[]).reshape([5, 3]);
  const mean = np.array(M.mean as number[]);
  const cov = np.array(M.cov as number[]).reshape([3, 3]);
  it("logpdf and pdf, batched over points", () => {
    assertAllClose(st.multivariateNormal.logpdf(x, mean, cov), dec(M.logpdf), { rtol: 1e-13 });
    assertAllClose(st.multivariateNormal.pdf(x, mean, cov), dec(M.pdf), { rtol: 1e-13 });
  });
  it("gradients in x, mean and cov", () => {
    const lp = (a: Array, m: Array, c: Array) => np.sum(st.multivariateNormal.logpdf(a, m, c));
    assertAllClose(grad(lp, { argnums: 0 })(x, mean, cov).reshape([15]), dec(M.grad_x), {
      rtol: 1e-12,
    });
    assertAllClose(grad(lp, { argnums: 1 })(x, mean, cov), dec(M.grad_mean), { rtol: 1e-12 });
    // JAX's cholesky differentiates the lower triangle only (its rule symmetrises); compare
    // the symmetric part, which is what a symmetric perturbation sees.
    const g = grad(lp, { argnums: 2 })(x, mean, cov);
    const sym = (a: Array) => np.multiply(0.5, np.add(a, np.transpose(a)));
    assertAllClose(sym(g), sym(np.array(dec(M.grad_cov)).reshape([3, 3])), { rtol: 1e-12 });
  });
  it("vmap over covariances equals a loop", () => {
    const covs = np.stack([cov, np.multiply(cov, 2)]);
    const batched = vmap((c: Array) => st.multivariateNormal.logpdf(x, mean, c))(covs);
    assertAllClose(
      np.take(batched, 1, 0),
      st.multivariateNormal.logpdf(x, mean, np.multiply(cov, 2)),
    );
    assertAllClose(st.multivariateNormal.logpdf(x, mean, covs.reshape([2, 1, 3, 3])), batched);
  });
  it("scalar covariance and scalar mean", () => {
    const y = st.multivariateNormal.logpdf(x, mean, 2);
    const ref = np.sum(st.norm.logpdf(x, mean, Math.sqrt(2)), -1);
    assertAllClose(y, ref, { rtol: 1e-14 });
    assertAllClose(st.multivariateNormal.logpdf(0.5, 0, 4), st.norm.logpdf(0.5, 0, 2), {
      rtol: 1e-15,
    });
  });
  it("a covariance of the wrong shape is an error naming cov", () => {
    assertThrows(() => st.multivariateNormal.logpdf(x, mean, np.eye(2)), TypeError, "'cov'");
  });
});

describe("scipy.stats.poisson.entropy", () => {
  it("matches -Σ p log p over a long range, small and large μ", () => {
    for (const mu of [0.3, 1, 7.5, 40, 99, 150, 1000]) {
      let h = 0;
      for (let k = 0; k < mu + 40 * Math.sqrt(mu) + 60; k++) {
        const lp = st.poisson.logpmf(k, mu).item() as number;
        h -= Math.exp(lp) * lp;
      }
      const got = st.poisson.entropy(mu).item() as number;
      assert(Math.abs(got / h - 1) < 1e-10, `mu=${mu}: ${got} vs ${h}`);
    }
    assert(st.poisson.entropy(0).item() === 0);
    assert(Number.isNaN(st.poisson.entropy(-1).item() as number));
  });
});
