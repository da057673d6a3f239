/**
 * Gaussian-process regression: an RBF kernel's hyperparameters (length
 * scale, signal and noise levels) fitted by gradient descent on the negative
 * log marginal likelihood, computed with a Cholesky factor and triangular
 * solves; then the posterior mean and variance at new points. The gradient
 * with respect to the hyperparameters flows through `cholesky` and
 * `triangularSolve`; it is checked against the textbook formula
 * `∂/∂θ NLL = ½ tr((K⁻¹ − α αᵀ) ∂K/∂θ)` (Rasmussen & Williams, eq. 5.9).
 *
 * Run: `deno run examples/gaussian_process.ts`
 *
 * @module
 */

import { type Array, lax, np, valueAndGrad } from "../mod.ts";

/** Uniform numbers in [0, 1) from a 32-bit linear congruential generator. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}
const rand = lcg(2026);
const gauss = () => Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());

// Noisy samples of sin(x) on [-4, 4].
const n = 40;
const xs = globalThis.Array.from({ length: n }, () => -4 + 8 * rand()).sort((a, b) => a - b);
const x = np.array(xs);
const y = np.array(xs.map((v) => Math.sin(v) + 0.1 * gauss()));

/** Hyperparameters, on a log scale so that they stay positive. */
type Hyper = { logLength: Array; logSignal: Array; logNoise: Array };

/** k(a, b) = s² exp(−(a − b)² / 2ℓ²) for all pairs. */
function rbf(a: Array, b: Array, h: Hyper): Array {
  const d = np.subtract(np.expandDims(a, 1), np.expandDims(b, 0));
  const l2 = np.exp(np.multiply(2, h.logLength));
  const s2 = np.exp(np.multiply(2, h.logSignal));
  return np.multiply(s2, np.exp(np.divide(np.negative(np.square(d)), np.multiply(2, l2))));
}

function covariance(h: Hyper): Array {
  return np.add(rbf(x, x, h), np.multiply(np.exp(np.multiply(2, h.logNoise)), np.eye(n)));
}

/** α = K⁻¹ y by two triangular solves with the Cholesky factor L. */
function alphaOf(l: Array, rhs: Array): Array {
  const z = lax.linalg.triangularSolve(l, rhs, { leftSide: true, lower: true });
  return lax.linalg.triangularSolve(l, z, { leftSide: true, lower: true, transposeA: true });
}

/** −log p(y | x, θ) = ½ yᵀK⁻¹y + Σ log Lᵢᵢ + (n/2) log 2π. */
function nll(h: Hyper): Array {
  const l = np.linalg.cholesky(covariance(h));
  const alpha = alphaOf(l, np.reshape(y, [n, 1]));
  const fit = np.multiply(0.5, np.sum(np.multiply(np.reshape(y, [n, 1]), alpha)));
  const logdet = np.sum(np.log(np.diagonal(l)));
  return np.add(np.add(fit, logdet), 0.5 * n * Math.log(2 * Math.PI));
}

let h: Hyper = {
  logLength: np.array(Math.log(0.3)),
  logSignal: np.array(0),
  logNoise: np.array(Math.log(0.5)),
};
const step = valueAndGrad(nll);

// The gradient against Rasmussen & Williams' formula, at the starting point.
{
  const [, g] = step(h);
  const k = covariance(h);
  const kinv = np.linalg.inv(k);
  const alpha = np.linalg.solve(k, y);
  const w = np.subtract(kinv, np.outer(alpha, alpha));
  const kf = rbf(x, x, h);
  const d2 = np.square(np.subtract(np.expandDims(x, 1), np.expandDims(x, 0)));
  const l2 = Math.exp(2 * (h.logLength.item() as number));
  const dK: Record<keyof Hyper, Array> = {
    logLength: np.multiply(kf, np.divide(d2, l2)),
    logSignal: np.multiply(2, kf),
    logNoise: np.multiply(2 * Math.exp(2 * (h.logNoise.item() as number)), np.eye(n)),
  };
  let worst = 0;
  for (const key of Object.keys(dK) as (keyof Hyper)[]) {
    const analytic = 0.5 * (np.sum(np.multiply(w, dK[key])).item() as number);
    const auto = g[key].item() as number;
    worst = Math.max(worst, Math.abs(auto - analytic) / Math.max(1, Math.abs(analytic)));
    console.log(`d NLL / d ${key}: autodiff ${auto.toFixed(10)}  formula ${analytic.toFixed(10)}`);
  }
  console.log(
    `gradient matches the formula: ${worst < 1e-9} (max rel err ${worst.toExponential(2)})`,
  );
}

// Gradient descent with a fixed step on the log hyperparameters.
const lr = 0.01;
for (let i = 0; i <= 300; i++) {
  const [value, g] = step(h);
  if (i % 50 === 0) console.log(`step ${i}: nll ${(value.item() as number).toFixed(6)}`);
  h = {
    logLength: np.subtract(h.logLength, np.multiply(lr, g.logLength)),
    logSignal: np.subtract(h.logSignal, np.multiply(lr, g.logSignal)),
    logNoise: np.subtract(h.logNoise, np.multiply(lr, g.logNoise)),
  };
}
const show = (v: Array) => Math.exp(v.item() as number).toFixed(4);
console.log(
  `fitted length scale ${show(h.logLength)} signal ${show(h.logSignal)} noise ${show(h.logNoise)}`,
);

// Posterior at new points: mean K*ᵀ α, variance k** − ‖L⁻¹ K*‖².
const xt = np.linspace(-3.5, 3.5, 8);
const l = np.linalg.cholesky(covariance(h));
const kStar = rbf(x, xt, h);
const mean = np.matmul(np.transpose(kStar), alphaOf(l, np.reshape(y, [n, 1])));
const v = lax.linalg.triangularSolve(l, kStar, { leftSide: true, lower: true });
const variance = np.subtract(
  np.exp(np.multiply(2, h.logSignal)),
  np.sum(np.square(v), 0),
);
const truth = np.sin(xt);
const rmse = Math.sqrt(np.mean(np.square(np.subtract(np.ravel(mean), truth))).item() as number);
console.log(`posterior mean at ${xt.shape[0]} test points, rmse vs sin(x) ${rmse.toFixed(4)}`);
console.log(
  `posterior sd ${(np.sqrt(variance).tolist() as number[]).map((s) => s.toFixed(3)).join(" ")}`,
);
