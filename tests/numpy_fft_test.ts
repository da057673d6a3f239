// np.fft and the complex functions against JAX (tests/fixtures/fft/fft.json,
// made by make_fft_fixtures.py beside it): values of every transform with
// n/s, axis/axes and each norm; gradients of real losses through complex
// intermediates (JAX's convention for complex cotangents); vmap against a
// loop; Parseval through the public API; bad arguments.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { type Array, grad, np, vmap } from "../mod.ts";
import { assertAllClose } from "./_assert.ts";

interface Enc {
  shape: number[];
  v?: number[];
  re?: number[];
  im?: number[];
}
const fx = JSON.parse(
  readFileSync(new URL("./fixtures/fft/fft.json", import.meta.url), "utf8"),
) as {
  inputs: Record<string, Enc>;
  values: Record<string, Enc>;
  grads: Record<string, { args: Enc[]; value: number; grad: Enc[] }>;
  weights: { w: number[]; w2: number[]; w3: number[] };
  complexGrad: { z: Enc; grad: Enc; value: number };
  arithGrad: { z: Enc; grad: Enc; value: number };
};

function dec(e: Enc): Array {
  if (e.v !== undefined) return np.array(e.v).reshape(e.shape);
  return np.complex(np.array(e.re!), np.array(e.im!)).reshape(e.shape);
}
const I = Object.fromEntries(Object.entries(fx.inputs).map(([k, v]) => [k, dec(v)]));

/** Compares real arrays, or complex ones part by part, to `tol` relative to the largest entry. */
function close(got: Array, want: Enc, tol = 1e-12): void {
  assert.deepEqual(got.shape, want.shape);
  const parts: [Array, number[]][] = want.v !== undefined
    ? [[got, want.v]]
    : [[np.real(got), want.re!], [np.imag(got), want.im!]];
  assert.equal(np.iscomplexobj(got), want.v === undefined, "complex or not");
  const scale = Math.max(1, ...parts.flatMap(([, w]) => w.map(Math.abs)));
  for (const [g, w] of parts) {
    assertAllClose(g.reshape([-1]), np.array(w), { atol: tol * scale, rtol: 0 });
  }
}

const { x7, x8, m34, m345, z6, z5, zm, zr } = I;
const f = np.fft;
const calls: Record<string, () => Array> = {
  "fft x7": () => f.fft(x7),
  "fft x7 n=5": () => f.fft(x7, 5),
  "fft x7 n=12 ortho": () => f.fft(x7, { n: 12, norm: "ortho" }),
  "fft z6 forward": () => f.fft(z6, null, -1, "forward"),
  "fft m34 axis 0": () => f.fft(m34, { axis: 0 }),
  "ifft z6": () => f.ifft(z6),
  "ifft z5 n=8 ortho": () => f.ifft(z5, 8, -1, "ortho"),
  "ifft zm axis 0 forward": () => f.ifft(zm, { axis: 0, norm: "forward" }),
  "rfft x7": () => f.rfft(x7),
  "rfft x8": () => f.rfft(x8),
  "rfft x8 n=11 ortho": () => f.rfft(x8, 11, -1, "ortho"),
  "rfft m34 axis 0": () => f.rfft(m34, null, 0),
  "irfft z5": () => f.irfft(z5),
  "irfft z5 n=9": () => f.irfft(z5, 9),
  "irfft z6 n=4 ortho": () => f.irfft(z6, { n: 4, norm: "ortho" }),
  "irfft zm axis 0 forward": () => f.irfft(zm, { axis: 0, norm: "forward" }),
  "hfft z5": () => f.hfft(z5),
  "hfft z5 n=7 ortho": () => f.hfft(z5, 7, -1, "ortho"),
  "fft2 m34": () => f.fft2(m34),
  "ifft2 zm": () => f.ifft2(zm),
  "fftn m345": () => f.fftn(m345),
  "fftn m345 s axes": () => f.fftn(m345, { s: [3, 6], axes: [0, 2] }),
  "ifftn zm ortho": () => f.ifftn(zm, { norm: "ortho" }),
  "rfftn m345": () => f.rfftn(m345),
  "rfftn m345 s": () => f.rfftn(m345, { s: [5, 4] }),
  "irfftn zm": () => f.irfftn(zm),
  "irfftn zm s": () => f.irfftn(zm, { s: [4, 7] }),
  "fftfreq 7 0.5": () => f.fftfreq(7, 0.5),
  "fftfreq 8": () => f.fftfreq(8),
  "rfftfreq 9 2": () => f.rfftfreq(9, 2),
  "fftshift m345": () => f.fftshift(m345),
  "fftshift m345 axes 1": () => f.fftshift(m345, 1),
  "ifftshift m345": () => f.ifftshift(m345),
  "abs zm": () => np.abs(zm),
  "angle zm": () => np.angle(zm),
  "conj zm": () => np.conj(zm),
  "multiply zm zr": () => np.multiply(zm, zr),
  "multiply zm m34": () => np.multiply(zm, m34),
  "divide zm zr": () => np.divide(zm, zr),
  "divide m34 zm": () => np.divide(m34, zm),
  "exp zm": () => np.exp(zm),
  "log zm": () => np.log(zm),
  "sqrt zm": () => np.sqrt(zm),
  "sum zm axis 0": () => np.sum(zm, 0),
  "add zm 2": () => np.add(zm, 2),
};

describe("np.fft values against JAX", () => {
  for (const [name, want] of Object.entries(fx.values)) {
    it(name, () => {
      assert.ok(name in calls, `no call for fixture ${name}`);
      close(calls[name](), want);
    });
  }
});

// The losses of make_fft_fixtures.py, written with nabla.
const G = fx.grads;
const cplx = (a: Array, b: Array) => np.complex(a, b);
const sq = (z: Array) => np.add(np.square(np.real(z)), np.square(np.imag(z)));

describe("gradients of real losses through complex values and FFTs, against JAX", () => {
  const w = np.array(fx.weights.w);
  const w2 = np.array(fx.weights.w2);
  const w3 = np.array(fx.weights.w3);
  const losses: Record<string, (...xs: Array[]) => Array> = {
    "power rfft x8": (x) => {
      const X = f.rfft(x);
      return np.sum(np.multiply(sq(X), w.get(`:${X.shape[0]}`)));
    },
    "parts fft n=12 x7": (x) => {
      const X = f.fft(x, 12);
      return np.sum(np.add(np.multiply(np.real(X), w2), np.square(np.imag(X))));
    },
    "irfft n=8": (a, b) => np.sum(np.multiply(np.sin(f.irfft(cplx(a, b), 8)), w3)),
    "abs fft2 m34": (m) => np.sum(np.abs(f.fft2(m))),
    "angle fft m34": (m) =>
      np.sum(np.multiply(np.angle(f.fft(m, { axis: 0 }).get("1:")), m.get("1:"))),
    "hfft ortho": (a, b) => np.sum(np.square(f.hfft(cplx(a, b), 7, -1, "ortho"))),
  };
  for (const [name, g] of Object.entries(G)) {
    it(name, () => {
      const args = g.args.map(dec);
      const loss = losses[name];
      assert.ok(Math.abs((loss(...args).item() as number) - g.value) <= 1e-12 * Math.abs(g.value));
      const grads = grad(loss, { argnums: args.map((_, i) => i) })(...args) as Array[];
      g.grad.forEach((want, i) => close(grads[i], want, 1e-11));
    });
  }
});

describe("complex inputs, vmap and identities", () => {
  it("grad of a real loss of a complex input is the conjugate cotangent (as jax.grad)", () => {
    const loss = (z: Array) =>
      np.add(
        np.sum(np.multiply(np.square(np.abs(f.fft(z))), np.arange(1, 7))),
        np.sum(np.real(cplxMul(z, z))),
      );
    const z = dec(fx.complexGrad.z);
    assert.ok(Math.abs((loss(z).item() as number) - fx.complexGrad.value) < 1e-11);
    close(grad(loss)(z) as Array, fx.complexGrad.grad, 1e-11);
  });

  it("complex arithmetic: the gradient of a real loss matches jax.grad", () => {
    const loss = (z: Array) => {
      const w = np.subtract(np.multiply(z, zr), 0.5);
      return np.sum(
        np.abs(np.divide(np.multiply(np.exp(np.divide(w, 3)), np.log(w)), np.sqrt(np.add(w, 4)))),
      );
    };
    const z = dec(fx.arithGrad.z);
    assert.ok(
      Math.abs((loss(z).item() as number) - fx.arithGrad.value) < 1e-12 * fx.arithGrad.value,
    );
    close(grad(loss)(z) as Array, fx.arithGrad.grad, 1e-11);
  });

  it("vmap of rfft/irfft/fft matches a loop, for batch axes first and last", () => {
    const x = np.array(fx.inputs.m34.v!).reshape([3, 4]);
    const g = (r: Array) => np.abs(f.fft(f.irfft(f.rfft(r, 6), 6)));
    for (const axis of [0, 1]) {
      const batched = vmap(g, { inAxes: axis })(x) as Array;
      const n = x.shape[axis];
      const rows = globalThis.Array.from(
        { length: n },
        (_, i) => g(axis === 0 ? x.get(i) : x.get(":", i)),
      );
      assertAllClose(batched, np.stack(rows), { atol: 1e-13 });
    }
    // A complex batch: vmap over the last axis of complex data moves it off the transform.
    const z = np.complex(x, np.cos(x));
    const h = (v: Array) => np.real(f.ifft(f.fft(v)));
    assertAllClose(vmap(h, { inAxes: 1, outAxes: 1 })(z) as Array, np.real(z), { atol: 1e-14 });
  });

  it("Parseval: Σ|x|² = Σ|X|²/n, at a prime length", () => {
    const n = 1009;
    const x = np.sin(np.arange(n).mul(0.37)).add(np.cos(np.arange(n).mul(1.3)));
    const ex = np.sum(np.square(x)).item() as number;
    const eX = (np.sum(np.square(np.abs(f.fft(x)))).item() as number) / n;
    assert.ok(Math.abs(ex - eX) / ex < 1e-13, `${ex} vs ${eX}`);
  });

  it("complex data flows through reshape, transpose, slicing, concatenation and astype", () => {
    const z = np.complex([[1, 2], [3, 4]], [[5, 6], [7, 8]]);
    assert.deepEqual(z.T.get(0).tolist(), [{ re: 1, im: 5 }, { re: 3, im: 7 }]);
    assert.deepEqual(np.concatenate([z, z]).reshape([8]).get(-1).item(), { re: 4, im: 8 });
    assert.deepEqual(z.astype("float64" as never).tolist(), [[1, 2], [3, 4]]);
    assert.deepEqual(np.add(z, z).get(1, 1).item(), { re: 8, im: 16 });
    assert.equal(np.complex(np.array([1], { dtype: "float32" }), 0).dtype, "complex64");
  });

  it("refuses what it cannot do with a clear error, never wrong numbers", () => {
    const z = np.complex([1, 2], [3, 4]);
    assert.throws(() => np.sin(z), /Primitive 'sin' does not support complex operands yet/);
    assert.throws(() => np.max(z), /does not support complex operands yet/);
    assert.throws(() => np.tanh(z), /does not support complex operands yet/);
    assert.throws(() => f.rfft(z), /Invalid input for rfft: expected a real array, got complex128/);
    assert.throws(() => f.fft([1, 2], 0), /Invalid n for fft: expected a positive length, got 0/);
    assert.throws(() => f.fft([1, 2], { norm: "none" as never }), /Invalid norm for fft/);
    assert.throws(() => f.irfft([1]), /Invalid n for irfft: the default 2\(m − 1\) is 0/);
    assert.throws(() => f.fftn(np.ones([2, 2]), { s: [2], axes: [0, 1] }), /Invalid s for fftn/);
    assert.throws(() => f.fft(3), /Invalid input for fft: expected at least one axis/);
  });
});

/** `a · b` for complex arrays, from their parts (complex mul is not a primitive yet). */
function cplxMul(a: Array, b: Array): Array {
  const [ar, ai, br, bi] = [np.real(a), np.imag(a), np.real(b), np.imag(b)];
  return np.complex(
    np.subtract(np.multiply(ar, br), np.multiply(ai, bi)),
    np.add(np.multiply(ar, bi), np.multiply(ai, br)),
  );
}
