/**
 * A tour of nabla's array API: creation, dtypes, indexing, reductions,
 * broadcasting, linear algebra, and a shape error. `deno task demo` prints it
 * after the seed walkthrough.
 *
 * Run: `deno run examples/arrays.ts`
 *
 * @module
 */

import { grad, jacfwd, np } from "../mod.ts";

/** Prints a line of code and its value, like a notebook cell and its output. */
function show(code: string, value: unknown): void {
  const text = Array.isArray(value) ? JSON.stringify(value) : String(value);
  console.log(`>>> ${code}\n${text}`);
}

const a = np.arange(6).reshape([2, 3]);
show("const a = np.arange(6).reshape([2, 3])", a);
show("[a.dtype, a.shape]", JSON.stringify([a.dtype, a.shape]));
show("a.get(1)  // a[1]", a.get(1));
show('a.get(":", "::-1")  // a[:, ::-1]', a.get(":", "::-1"));
show('a.get("...", null).shape  // a[..., None].shape', JSON.stringify(a.get("...", null).shape));
show("np.sum(a, 1, { keepdims: true }).tolist()", np.sum(a, 1, { keepdims: true }).tolist());
show("a.div(2)  // true division gives float64", a.div(2));
show("np.array(2)  // JS numbers are float64 data", np.array(2));
show(
  'np.ones([2], { dtype: "float32" }).mul(2)  // stays float32',
  np.ones([2], { dtype: "float32" }).mul(2),
);
show("np.matmul(a, a.T)", np.matmul(a, a.T));
show('np.einsum("ij,ij->i", a, a)', np.einsum("ij,ij->i", a, a));
show("np.where(np.greater(a, 2), a, -1)", np.where(np.greater(a, 2), a, -1));
try {
  np.add(np.ones([2, 3]), np.ones([4]));
} catch (e) {
  show("np.add(np.ones([2, 3]), np.ones([4]))", `Error: ${(e as Error).message}`);
}

// Derivatives of array functions.
show("jacfwd(np.sin)(np.array([0, 1]))", jacfwd(np.sin)(np.array([0, 1])));
show(
  "grad((x) => np.sum(np.tanh(x)))(np.array([0, 1]))",
  grad((x) => np.sum(np.tanh(x)))(np.array([0, 1])),
);
