// np.fft.rfft2, irfft2 and ihfft against JAX (tests/fixtures/fft/fft2.json, made by
// make_fft2_fixtures.py beside it): values with s, axes and each norm; gradients of real losses
// (including a complex input, JAX's conjugate convention) against jax.grad; vmap against a loop.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { type Array, grad, jit, np } from "../mod.ts";
import { checkGrads, checkVmap } from "../src/testing.ts";
import { assertAllClose } from "./_assert.ts";

interface Enc {
  shape: number[];
  v?: number[];
  re?: number[];
  im?: number[];
}
const fx = JSON.parse(
  readFileSync(new URL("./fixtures/fft/fft2.json", import.meta.url), "utf8"),
) as {
  inputs: Record<string, Enc>;
  weights: Record<string, Enc>;
  values: Record<string, Enc>;
  grads: Record<string, { args: Enc[]; value: number; grad: Enc[] }>;
};

function dec(e: Enc): Array {
  if (e.v !== undefined) return np.array(e.v).reshape(e.shape);
  return np.complex(np.array(e.re!), np.array(e.im!)).reshape(e.shape);
}

/** Compares real arrays, or complex ones part by part, to `tol` relative to the largest entry. */
function close(got: Array, want: Enc, tol = 1e-12): void {
  assert.deepEqual(got.shape, want.shape);
  assert.equal(np.iscomplexobj(got), want.v === undefined, "complex or not");
  const parts: [Array, number[]][] = want.v !== undefined
    ? [[got, want.v]]
    : [[np.real(got), want.re!], [np.imag(got), want.im!]];
  const scale = Math.max(1, ...parts.flatMap(([, w]) => w.map(Math.abs)));
  for (const [g, w] of parts) {
    assertAllClose(g.reshape([-1]), np.array(w), { atol: tol * scale, rtol: 0 });
  }
}

const I = Object.fromEntries(Object.entries(fx.inputs).map(([k, v]) => [k, dec(v)]));
const W = Object.fromEntries(Object.entries(fx.weights).map(([k, v]) => [k, dec(v)]));
const { x7, x8, m34, m35, m345, zm, z243 } = I;
const f = np.fft;

const calls: Record<string, () => Array> = {
  "rfft2 m34": () => f.rfft2(m34),
  "rfft2 m35": () => f.rfft2(m35),
  "rfft2 m345": () => f.rfft2(m345),
  "rfft2 m345 axes 0 2": () => f.rfft2(m345, { axes: [0, 2] }),
  "rfft2 m345 axes 2 0": () => f.rfft2(m345, { axes: [2, 0] }),
  "rfft2 m34 s ortho": () => f.rfft2(m34, { s: [5, 6], norm: "ortho" }),
  "rfft2 m34 s crop forward": () => f.rfft2(m34, { s: [2, 3], norm: "forward" }),
  "irfft2 zm": () => f.irfft2(zm),
  "irfft2 zm s": () => f.irfft2(zm, { s: [3, 7] }),
  "irfft2 zm s ortho": () => f.irfft2(zm, { s: [4, 5], norm: "ortho" }),
  "irfft2 z243": () => f.irfft2(z243),
  "irfft2 z243 axes 0 1 forward": () => f.irfft2(z243, { axes: [0, 1], norm: "forward" }),
  "irfft2 rfft2 m35": () => f.irfft2(f.rfft2(m35), { s: [3, 5] }),
  "ihfft x7": () => f.ihfft(x7),
  "ihfft x8": () => f.ihfft(x8),
  "ihfft x8 n=5": () => f.ihfft(x8, 5),
  "ihfft x7 n=11 ortho": () => f.ihfft(x7, { n: 11, norm: "ortho" }),
  "ihfft x8 forward": () => f.ihfft(x8, null, -1, "forward"),
  "ihfft m34 axis 0": () => f.ihfft(m34, { axis: 0 }),
  "hfft ihfft x7": () => f.hfft(f.ihfft(x7), 7),
};

describe("np.fft.rfft2, irfft2, ihfft against JAX", () => {
  it("covers every fixture", () => assert.deepEqual(Object.keys(calls), Object.keys(fx.values)));
  for (const [name, call] of Object.entries(calls)) {
    it(name, () => close(call(), fx.values[name]));
  }

  it("refuses complex input to rfft2/ihfft, bad s and bad norm", () => {
    assert.throws(() => f.rfft2(zm), /Invalid input for rfft2: expected a real array/);
    assert.throws(() => f.ihfft(zm), /Invalid input for ihfft: expected a real array/);
    assert.throws(() => f.rfft2(m34, { s: [3] }), /Invalid s for rfft2: expected 2 lengths/);
    assert.throws(() => f.irfft2(zm, { axes: [1, 1] }), /repeated axis/);
    assert.throws(() => f.ihfft(x7, 0), /Invalid n for ihfft/);
    assert.throws(() => f.ihfft(x7, { norm: "both" as never }), /Invalid norm for ihfft/);
    assert.throws(() => f.rfft2(x7), /out of range|axis/i);
  });
});

describe("gradients of real losses through rfft2, irfft2, ihfft, against jax.grad", () => {
  const { w34, w5, w37 } = W;
  const losses: Record<string, (...a: Array[]) => Array> = {
    "rfft2 s m35": (x) => {
      const X = f.rfft2(x, { s: [3, 4] });
      return np.sum(
        np.add(np.multiply(np.square(np.real(X)), w34), np.multiply(np.imag(X), np.real(X))),
      );
    },
    "ihfft n=11 ortho x8": (x) => {
      const X = f.ihfft(x, { n: 11, norm: "ortho" });
      return np.sum(np.add(np.multiply(np.square(np.imag(X)), w5), np.power(np.real(X), 3)));
    },
    "irfft2 s parts": (a, b) =>
      np.sum(np.multiply(np.sin(f.irfft2(np.complex(a, b), { s: [3, 7] })), w37)),
    "irfft2 s complex": (z) => np.sum(np.multiply(np.square(f.irfft2(z, { s: [3, 7] })), w37)),
  };
  it("covers every fixture", () => assert.deepEqual(Object.keys(losses), Object.keys(fx.grads)));
  for (const [name, loss] of Object.entries(losses)) {
    it(name, () => {
      const g = fx.grads[name];
      const args = g.args.map(dec);
      assertAllClose(loss(...args), np.array(g.value), { rtol: 1e-12, atol: 1e-12 });
      const grads = grad(loss, { argnums: args.map((_, i) => i) })(...args) as Array[];
      g.grad.forEach((want, i) => close(grads[i], want, 1e-11));
    });
  }

  it("agree with finite differences, forward and reverse, to second order", () => {
    checkGrads((x: Array) => np.real(f.rfft2(x, { s: [4, 4] })), [m35], { order: 2 });
    checkGrads((x: Array) => np.imag(f.ihfft(x, 6)), [x7], { order: 2 });
    checkGrads((a: Array) => f.irfft2(np.complex(a, np.cos(a)), { s: [3, 5] }), [m34]);
  });
});

describe("vmap and jit of rfft2, irfft2, ihfft", () => {
  it("vmap matches a loop, batch axis first and last", () => {
    checkVmap((x: Array) => np.abs(f.rfft2(x)), [m345]);
    checkVmap((x: Array) => np.abs(f.rfft2(x)), [m345], { inAxes: 2 });
    checkVmap((x: Array) => np.imag(f.ihfft(x)), [m34], { inAxes: 1 });
    checkVmap((z: Array) => f.irfft2(z, { s: [4, 3] }), [z243]);
  });
  it("jit gives the same values", () => {
    close(
      jit((x: Array) => f.rfft2(x, { s: [5, 6], norm: "ortho" }))(m34),
      fx.values["rfft2 m34 s ortho"],
    );
    close(jit((x: Array) => f.ihfft(x, 5))(x8), fx.values["ihfft x8 n=5"]);
  });
});
