/**
 * A tour of nabla: the autodifferentiation tutorial (the seed) in
 * TypeScript, then the array API.
 *
 * Run: `deno task demo`
 *
 * @module
 */

import { type Array, grad, jacfwd, np, vmap } from "../mod.ts";

const line = (label: string, value: unknown) => console.log(`${label.padEnd(44)} ${String(value)}`);

console.log("── Derivatives, as in the tutorial ──");
// grad takes a function and returns its derivative, also a function.
const gradSquare = grad(np.square);
line("grad(np.square)(0.5)", gradSquare(0.5));

// f(x) = x² + log x, f'(x) = 2x + 1/x, f''(x) = 2 - 1/x², f'''(x) = 2/x³
const f = (x: Array) => np.add(np.square(x), np.log(x));
line("grad(f)(0.1)            f(x) = x² + log x", grad(f)(0.1));
line("grad(grad(f))(0.1)", grad(grad(f))(0.1));
line("grad(grad(grad(f)))(0.1)", grad(grad(grad(f)))(0.1));

// vmap vectorises: the derivative at many points in one call.
const x = np.linspace(0, 1, 100);
const yDash = vmap(grad(np.square))(x);
line("vmap(grad(np.square))(linspace(0, 1, 100))", yDash.get("0:4"));
line("  … equals 2x everywhere:", np.allclose(yDash, np.multiply(2, x)));
line("jacfwd(np.sin)([0, π/2])", jacfwd(np.sin)(np.array([0, Math.PI / 2])));

console.log("\n── Arrays ──");
const a = np.arange(6).reshape([2, 3]);
line("a = np.arange(6).reshape([2, 3])", "");
console.log(String(a));
line("a.dtype, a.shape", `${a.dtype}, [${a.shape}]`);
line("a.get(1), a.get(':', '::-1')", `${a.get(1)}  ${a.get(":", "::-1")}`);
line("np.sum(a, 1, { keepdims: true })", np.sum(a, 1, { keepdims: true }).tolist());
line("a / 2 (true division gives float64)", a.div(2));
line("float32 array * 2 stays float32", np.ones([2], { dtype: "float32" }).mul(2));
line("np.matmul(a, a.T)", np.matmul(a, a.T).tolist());
line("np.einsum('ij,ij->i', a, a)", np.einsum("ij,ij->i", a, a));
line("np.where(a > 2, a, -1)", np.where(np.greater(a, 2), a, -1).tolist());
try {
  np.add(np.ones([2, 3]), np.ones([4]));
} catch (e) {
  line("shapes that do not broadcast:", (e as Error).message);
}
