/**
 * Hessian-vector products three ways, agreeing: forward-over-reverse
 * (`jvp` of `grad`), reverse-over-forward (`grad` of a `jvp`), and the full
 * `hessian` times the vector. The first two cost a small multiple of one
 * gradient and never build the n×n Hessian.
 *
 * Run: `deno run examples/hvp.ts`
 *
 * @module
 */

import { type Array, grad, hessian, jvp, np } from "../mod.ts";

// f(x) = Σ sin(xᵢ) xᵢ₊₁ + ½‖x‖⁴, a function with a dense Hessian.
const f = (x: Array) => {
  const n = x.shape[0];
  const chain = np.sum(np.multiply(np.sin(x.get(`0:${n - 1}`)), x.get("1:")));
  return np.add(chain, np.multiply(0.5, np.square(np.sum(np.square(x)))));
};

const x = np.array([0.5, -1.0, 2.0, 0.25]);
const v = np.array([1.0, 0.0, -1.0, 2.0]);

// 1. Forward-over-reverse: the directional derivative of ∇f along v.
const hvp1 = (x: Array, v: Array): Array => jvp(grad(f), [x], [v])[1];

// 2. Reverse-over-forward: the gradient of x ↦ ⟨∇f(x), v⟩ computed by jvp.
const hvp2 = (x: Array, v: Array): Array => grad((y: Array) => jvp(f, [y], [v])[1])(x);

// 3. The whole Hessian, then a matrix-vector product.
const hvp3 = (x: Array, v: Array): Array => np.matmul(hessian(f)(x), v);

const results: [string, Array][] = [
  ["jvp(grad(f))    forward-over-reverse", hvp1(x, v)],
  ["grad(jvp(f))    reverse-over-forward", hvp2(x, v)],
  ["hessian(f) @ v  full Hessian        ", hvp3(x, v)],
];
for (const [name, hv] of results) console.log(`${name}: ${hv}`);

const agree = results.every(([, hv]) => np.allclose(hv, results[0][1], { rtol: 1e-12 }));
console.log(`all three agree: ${agree}`);
if (!agree) throw new Error("Hessian-vector products disagree");
