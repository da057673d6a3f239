// holomorphic differentiation (JAX's holomorphic=True) for grad, valueAndGrad, jacfwd, jacrev
// and hessian, and JAX's dtype errors, against JAX (tests/fixtures/holomorphic/holomorphic.json,
// made by make_holomorphic_fixtures.py beside it; complex numbers as [re, im]).
import { describe, it } from "node:test";
import { equal, throws } from "node:assert/strict";
import { readFileSync } from "node:fs";
import { type Array, grad, hessian, jacfwd, jacrev, jit, np, valueAndGrad, vmap } from "../mod.ts";
import { assertAllClose } from "./_assert.ts";

const fx = JSON.parse(
  readFileSync(new URL("./fixtures/holomorphic/holomorphic.json", import.meta.url), "utf8"),
);

type C = number[] | C[];
/** Nested [re, im] pairs to a complex array. */
function cx(v: C): Array {
  const part = (x: C, k: number): unknown =>
    typeof x[0] === "number" ? x[k] : (x as C[]).map((y) => part(y, k));
  return np.complex(np.array(part(v, 0) as number[]), np.array(part(v, 1) as number[]));
}
function close(got: Array, want: C, rtol = 1e-12): void {
  equal(got.dtype, "complex128");
  const w = cx(want);
  assertAllClose(np.real(got), np.real(w), { rtol, atol: 1e-14 });
  assertAllClose(np.imag(got), np.imag(w), { rtol, atol: 1e-14 });
}

const I = np.complex(0, 1);
const w0 = cx(fx.two_args.w);
const fns: Record<string, (z: Array) => Array> = {
  square: (z) => np.square(z),
  exp: (z) => np.exp(z),
  // sin z = (e^{iz} - e^{-iz}) / 2i, from the complex operations nabla has
  sin: (z) =>
    np.divide(
      np.subtract(np.exp(np.multiply(I, z)), np.exp(np.negative(np.multiply(I, z)))),
      np.multiply(2, I),
    ),
  mixed: (z) => np.add(np.exp(np.multiply(z, w0)), np.divide(np.square(z), np.add(1, z))),
};

describe("holomorphic grad", () => {
  for (const [name, c] of Object.entries(fx.grad) as [string, Record<string, C>][]) {
    it(`valueAndGrad and grad of ${name} match JAX`, () => {
      const f = fns[name];
      const [v, g] = valueAndGrad(f, { holomorphic: true })(cx(c.z));
      close(v, c.value);
      close(g, c.grad);
      close(grad(f, { holomorphic: true })(cx(c.z)), c.grad);
    });
  }

  it("two arguments: d(zw)/dz = w, d(zw)/dw = z", () => {
    const [gz, gw] = grad((z: Array, w: Array) => np.multiply(z, w), {
      argnums: [0, 1],
      holomorphic: true,
    })(cx(fx.two_args.z), w0);
    close(gz, fx.two_args.grad[0]);
    close(gw, fx.two_args.grad[1]);
  });

  it("composes with vmap and jit", () => {
    const g = grad((z: Array) => np.square(z), { holomorphic: true });
    close(vmap(g)(cx(fx.jacobian.z)), fx.vmap_grad);
    close(jit(g)(cx(fx.jacobian.z).get(1)), fx.vmap_grad[1]);
  });

  it("hasAux passes the aux through", () => {
    const [g, aux] = grad((z: Array) => [np.square(z), "aux"], {
      holomorphic: true,
      hasAux: true,
    })(cx(fx.grad.square.z));
    close(g, fx.grad.square.grad);
    equal(aux, "aux");
  });

  it("without holomorphic, a real loss of a complex input keeps the conjugate convention", () => {
    // d|z|²: JAX's grad gives 2·conj(z)
    const g = grad((z: Array) => np.real(np.multiply(z, np.conj(z))))(np.complex(3, 4));
    close(g, [6, -8]);
  });
});

describe("holomorphic Jacobians", () => {
  const vec = (z: Array) => np.add(np.multiply(np.exp(z), np.roll(z, 1)), np.square(z));
  it("jacfwd and jacrev match JAX", () => {
    const z = cx(fx.jacobian.z);
    close(jacfwd(vec, { holomorphic: true })(z), fx.jacobian.jacfwd);
    close(jacrev(vec, { holomorphic: true })(z), fx.jacobian.jacrev);
  });
  it("hessian matches JAX", () => {
    const f = (z: Array) => np.sum(np.multiply(np.multiply(z, z), z));
    close(hessian(f, { holomorphic: true })(cx(fx.jacobian.z)), fx.jacobian.hessian);
  });
});

describe("holomorphic dtype errors, with JAX's messages", () => {
  const z = () => cx(fx.jacobian.z);
  const sq = (x: Array) => np.square(x);
  const re = (x: Array) => np.real(x);
  const cases: Record<string, () => unknown> = {
    grad_real_input: () => grad(sq, { holomorphic: true })(1),
    grad_real_output: () => grad(re, { holomorphic: true })(np.complex(1, 1)),
    grad_complex_output: () => grad(sq)(np.complex(1, 2)),
    jacfwd_complex_input: () => jacfwd(sq)(z()),
    jacfwd_real_input: () => jacfwd(sq, { holomorphic: true })(np.array([1])),
    jacfwd_real_output: () => jacfwd(re, { holomorphic: true })(z()),
    jacrev_complex_output: () => jacrev(sq)(z()),
    jacrev_real_input: () => jacrev(sq, { holomorphic: true })(np.array([1])),
    jacrev_real_output: () => jacrev(re, { holomorphic: true })(z()),
  };
  for (const [name, run] of Object.entries(cases)) {
    it(name, () => {
      // JAX names its own jax.jvp / jax.vjp; nabla's are jvp / vjp
      const want = (fx.errors[name] as string).replaceAll("jax.", "");
      throws(run, (e: unknown) => e instanceof TypeError && e.message === want);
    });
  }
  it("valueAndGrad checks as grad", () => {
    throws(
      () => valueAndGrad(np.square, { holomorphic: true })(1.5),
      /requires inputs with complex/,
    );
    throws(() => valueAndGrad(np.square)(np.complex(1, 2)), /requires real-valued outputs/);
  });
  it("a misspelt option is refused", () => {
    throws(() => grad(np.square, { holomorphik: true } as never), /did you mean "holomorphic"/);
  });
});
