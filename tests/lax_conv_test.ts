// Convolutions, windowed reductions and np.convolve/correlate against JAX
// (tests/fixtures/conv/conv.json, made by make_fixtures.py beside it): values, VJPs (or JVPs)
// of every case; finite-difference gradients to second order; vmap against a loop over every
// combination of mapped operands, with and without groups; error messages.
import { describe, it } from "node:test";
import { readFileSync } from "node:fs";
import { type Array, grad, jvp, lax, np, scipy, vjp, vmap } from "../mod.ts";
import { checkGrads, checkVmap } from "../src/testing.ts";
import { bind, primitives } from "../extend.ts";
import { assertAllClose, assertThrows } from "./_assert.ts";

interface Arr {
  shape: number[];
  data: number[];
}
// deno-lint-ignore no-explicit-any
type Rec = Record<string, any>;
const fx: Record<string, Rec[]> = JSON.parse(
  readFileSync(new URL("./fixtures/conv/conv.json", import.meta.url), "utf8"),
);

const A = (a: Arr): Array => np.array(a.data, { dtype: "float64" }).reshape(a.shape);
const close = (x: Array, e: Arr, msg: string, tol = 1e-12) =>
  assertAllClose(x, A(e), { rtol: tol, atol: tol, msg });
const pad = (p: unknown) => p as string | [number, number][];
const num = (v: number | string) => v === "inf" ? Infinity : v === "-inf" ? -Infinity : Number(v);

function convOf(c: Rec): (l: Array, r: Array) => Array {
  return (l, r) =>
    lax.convGeneralDilated(l, r, c.strides, pad(c.padding), {
      lhsDilation: c.lhs_dilation,
      rhsDilation: c.rhs_dilation,
      dimensionNumbers: c.dn,
      featureGroupCount: c.fgc,
      batchGroupCount: c.bgc,
    });
}

function transposeOf(c: Rec): (l: Array, r: Array) => Array {
  return (l, r) =>
    lax.convTranspose(l, r, c.strides, pad(c.padding), {
      rhsDilation: c.rhs_dilation,
      dimensionNumbers: c.dn,
      transposeKernel: c.transpose_kernel,
      useConsistentPadding: c.consistent,
    });
}

const ops = { add: lax.add, max: lax.max, min: lax.min, mul: lax.mul } as const;
function windowOf(c: Rec): (x: Array) => Array {
  return (x) =>
    lax.reduceWindow(
      x,
      num(c.init),
      ops[c.op as keyof typeof ops],
      c.window,
      c.strides,
      pad(c.padding),
      c.base_dilation,
      c.window_dilation,
    );
}

describe("lax.convGeneralDilated against JAX", () => {
  for (const c of fx.conv) {
    it(`${c.name}: value and VJP`, () => {
      const f = convOf(c);
      const [y, pb] = vjp(f, [A(c.lhs), A(c.rhs)]);
      close(y, c.out, "value");
      const [gl, gr] = pb(A(c.ct)) as Array[];
      close(gl, c.lhsGrad, "lhs cotangent");
      close(gr, c.rhsGrad, "rhs cotangent");
    });
  }
});

describe("lax.convTranspose against JAX", () => {
  for (const c of fx.convTranspose) {
    it(`${c.name}: value and VJP`, () => {
      const [y, pb] = vjp(transposeOf(c), [A(c.lhs), A(c.rhs)]);
      close(y, c.out, "value");
      const [gl, gr] = pb(A(c.ct)) as Array[];
      close(gl, c.lhsGrad, "lhs cotangent");
      close(gr, c.rhsGrad, "rhs cotangent");
    });
  }
});

describe("lax.convGeneralDilatedPatches against JAX", () => {
  for (const c of fx.patches) {
    it(`${c.name}: value, VJP, vmap`, () => {
      const f = (x: Array) =>
        lax.convGeneralDilatedPatches(x, c.filter, c.strides, pad(c.padding), {
          rhsDilation: c.rhs_dilation,
          dimensionNumbers: c.dn,
        });
      const [y, pb] = vjp(f, [A(c.x)]);
      close(y, c.out, "value");
      close((pb(A(c.ct)) as Array[])[0], c.grad, "VJP");
      checkVmap(f, [np.stack([A(c.x), np.cos(A(c.x))], 1)], { inAxes: [1] });
    });
  }
});

describe("lax.reduceWindow against JAX", () => {
  for (const c of fx.reduceWindow) {
    it(c.name, () => {
      const f = windowOf(c);
      close(f(A(c.x)), c.out, "value");
      if (c.ct) {
        const [, pb] = vjp(f, [A(c.x)]);
        close((pb(A(c.ct)) as Array[])[0], c.grad, "VJP");
      }
      if (c.t) {
        const [, t] = jvp(f, [A(c.x)], [A(c.t)]);
        close(t as Array, c.jvp, "JVP");
      }
    });
  }
});

describe("np.convolve and np.correlate against JAX", () => {
  for (const c of fx.convolve) {
    it(`${c.op} ${c.mode} [${c.a.shape}]·[${c.v.shape}]`, () => {
      const f = (a: Array, v: Array) =>
        c.op === "convolve" ? np.convolve(a, v, c.mode) : np.correlate(a, v, c.mode);
      const [y, pb] = vjp(f, [A(c.a), A(c.v)]);
      close(y, c.out, "value");
      const [ga, gv] = pb(A(c.ct)) as Array[];
      close(ga, c.aGrad, "a cotangent");
      close(gv, c.vGrad, "v cotangent");
    });
  }
  it("defaults: full for convolve, valid for correlate; complex conjugates v", () => {
    assertAllClose(np.convolve([1, 2, 3], [0, 1, 0.5]), [0, 1, 2.5, 4, 1.5]);
    assertAllClose(np.correlate([1, 2, 3], [0, 1, 0.5]), [3.5]);
    const z = np.correlate(np.complex([1, 2], [0, 1]), np.complex([1], [1]));
    assertAllClose(np.real(z), [1, 3]);
    assertAllClose(np.imag(z), [-1, -1]);
  });
  it("preferredElementType; unknown options are refused", () => {
    const y = np.convolve([1, 2, 3], [1, 1], "full", { preferredElementType: "int32" });
    assertAllClose(y.dtype === "int32", true);
    assertAllClose(y, [1, 3, 5, 3]);
    assertThrows(
      () => np.convolve([1], [1], "full", { preferedElementType: "int32" } as never),
      TypeError,
      "did you mean",
    );
    assertThrows(
      () =>
        lax.convGeneralDilated(np.ones([1, 1, 3]), np.ones([1, 1, 2]), [1], "VALID", {
          featureGroups: 1,
        } as never),
      TypeError,
      "Unknown option",
    );
  });
  it("refuses empty, non-1-D inputs and unknown modes", () => {
    assertThrows(() => np.convolve([], [1]), Error, "cannot be empty");
    assertThrows(() => np.convolve([[1]], [1]), Error, "1-dimensional");
    assertThrows(() => np.correlate([1], [1], "wide" as "full"), Error, "mode");
  });
});

describe("scipy.signal against JAX", () => {
  type Op = "convolve" | "correlate" | "convolve2d" | "correlate2d";
  for (const c of fx.signal) {
    it(`${c.op} ${c.mode} [${c.a.shape}]·[${c.b.shape}]`, () => {
      const f = (a: Array, b: Array) => scipy.signal[c.op as Op](a, b, c.mode);
      const [y, pb] = vjp(f, [A(c.a), A(c.b)]);
      close(y, c.out, "value");
      const [ga, gb] = pb(A(c.ct)) as Array[];
      close(ga, c.aGrad, "in1 cotangent");
      close(gb, c.bGrad, "in2 cotangent");
    });
  }
  it("refuses mismatched ranks, crossing shapes and other boundaries", () => {
    assertThrows(() => scipy.signal.convolve([[1]], [1]), TypeError, "same number of dimensions");
    assertThrows(
      () => scipy.signal.convolve(np.ones([2, 3]), np.ones([3, 2])),
      TypeError,
      "smaller than the other in every dimension",
    );
    assertThrows(
      () => scipy.signal.convolve2d([[1]], [[1]], "full", { boundary: "wrap" }),
      TypeError,
      "boundary 'fill'",
    );
  });
  it("vmap against a loop", () => {
    const a = np.arange(24, { dtype: "float64" }).reshape([2, 3, 4]);
    checkVmap((x: Array) => scipy.signal.correlate2d(x, np.array([[1, -1], [0.5, 2]]), "same"), [
      a,
    ]);
  });
});

describe("derivatives against finite differences (both modes, second order)", () => {
  const tol = { atol: 1e-6, rtol: 1e-6 };
  for (const c of fx.conv.filter((c) => !c.name.startsWith("3d"))) {
    it(`conv ${c.name}`, () => checkGrads(convOf(c), [A(c.lhs), A(c.rhs)], { order: 2, ...tol }));
  }
  for (const c of fx.convTranspose) {
    it(`convTranspose ${c.name}`, () => checkGrads(transposeOf(c), [A(c.lhs), A(c.rhs)], tol));
  }
  for (const c of fx.reduceWindow.filter((c) => !c.name.includes("ties"))) {
    it(`reduceWindow ${c.name}`, () => checkGrads(windowOf(c), [A(c.x)], { order: 2, ...tol }));
  }
});

describe("vmap against a loop", () => {
  const b = 3;
  const batched = (a: Arr, axis: number): Array => {
    const x = A(a);
    return np.stack([x, np.multiply(x, 0.5), np.sin(x)], axis);
  };
  for (const c of fx.conv) {
    it(`conv ${c.name}: each operand mapped, both mapped`, () => {
      const f = convOf(c);
      const nd = c.lhs.shape.length;
      checkVmap(f, [batched(c.lhs, 0), A(c.rhs)], { inAxes: [0, null] });
      checkVmap(f, [A(c.lhs), batched(c.rhs, nd)], { inAxes: [null, nd] });
      checkVmap(f, [batched(c.lhs, 1), batched(c.rhs, 0)], { inAxes: [1, 0] });
    });
  }
  it("batch size 0", () => {
    const c = fx.conv.find((c) => c.name === "feature groups")!;
    const f = convOf(c);
    const l = np.zeros([0, ...c.lhs.shape]), r = np.zeros([0, ...c.rhs.shape]);
    assertAllClose(vmap(f)(l, r).shape, [0, 2, 6, 3, 3]);
    assertAllClose(vmap(f, { inAxes: [0, null] })(l, A(c.rhs)).shape, [0, 2, 6, 3, 3]);
    void b;
  });
  for (const c of fx.reduceWindow) {
    it(`reduceWindow ${c.name}`, () => {
      checkVmap(windowOf(c), [batched(c.x, c.x.shape.length)], { inAxes: [c.x.shape.length] });
    });
  }
  it("gradients of max pooling under vmap (select-and-scatter batched)", () => {
    const c = fx.reduceWindow[1];
    const g = grad((x: Array) => np.sum(np.square(windowOf(c)(x))));
    checkVmap(g, [batched(c.x, 0)]);
    const gg = (x: Array) => jvp(g, [x], [np.onesLike(x)])[1] as Array;
    checkVmap(gg, [batched(c.x, 0)]);
  });
  it("per-example gradients of a small CNN (vmap of grad: batched transposes)", () => {
    const c = fx.conv.find((c) => c.name === "NHWC HWIO")!;
    const loss = (k: Array, x: Array) => {
      const y = lax.convGeneralDilated(np.expandDims(x, 0), k, [1, 1], "SAME", {
        dimensionNumbers: ["NHWC", "HWIO", "NHWC"],
        featureGroupCount: 1,
      });
      const p = lax.reduceWindow(np.tanh(y), -Infinity, lax.max, [1, 2, 2, 1], [1, 2, 2, 1]);
      return np.sum(np.square(p));
    };
    const g = grad(loss);
    checkVmap(g, [A(c.rhs), A(c.lhs)], { inAxes: [null, 0] });
    const h = grad((x: Array, k: Array) => loss(k, x));
    checkVmap(h, [A(c.lhs), A(c.rhs)], { inAxes: [0, null] });
    const ks = np.stack([A(c.rhs), np.multiply(A(c.rhs), -0.7)]);
    checkVmap(g, [ks, A(c.lhs)], { inAxes: [0, 0] });
  });
  it("np.convolve", () => {
    const a = np.array([[1, 2, 3, 4], [0, -1, 2, 5]]), v = np.array([[1, 0.5], [2, -1]]);
    checkVmap((a: Array, v: Array) => np.convolve(a, v, "same"), [a, v]);
    checkVmap((a: Array, v: Array) => np.correlate(a, v, "full"), [a, v.get(0)], {
      inAxes: [0, null],
    });
  });
});

describe("shapes, layouts and errors", () => {
  it("the positional form is JAX's", () => {
    const x = np.ones([1, 2, 5, 5]), k = np.ones([4, 1, 3, 3]);
    const a = lax.convGeneralDilated(x, k, [1, 1], "SAME", [1, 1], [2, 2], null, 2);
    const b = lax.convGeneralDilated(x, k, [1, 1], "SAME", {
      rhsDilation: [2, 2],
      featureGroupCount: 2,
    });
    assertAllClose(a, b);
  });
  it("float32 stays float32", () => {
    const x = np.ones([1, 1, 4, 4], { dtype: "float32" });
    const k = np.ones([1, 1, 2, 2], { dtype: "float32" });
    const y = lax.conv(x, k, [1, 1], "VALID");
    assertAllClose(y.dtype === "float32", true);
    assertAllClose(y.reshape([9]), np.full([9], 4));
  });
  it("int32 convolutions and pooling are exact; preferredElementType converts", () => {
    const c = fx.conv[1];
    const ints = (a: Arr) => np.round(np.multiply(A(a), 10)).astype("int32");
    const l = ints(c.lhs), r = ints(c.rhs);
    const y = convOf(c)(l, r);
    assertAllClose(y.dtype === "int32", true);
    assertAllClose(y, convOf(c)(l.astype("float64"), r.astype("float64")));
    const yf = lax.convGeneralDilated(l, r, c.strides, c.padding, {
      preferredElementType: "float64",
    });
    assertAllClose(yf.dtype === "float64", true);
    assertAllClose(yf, y);
    const m = lax.reduceWindow(l, -Infinity, lax.max, [1, 1, 2, 2], [1, 1, 2, 2]);
    assertAllClose(m.dtype === "int32", true);
    assertAllClose(
      m,
      lax.reduceWindow(l.astype("float64"), -Infinity, lax.max, [1, 1, 2, 2], [1, 1, 2, 2]),
    );
  });
  it("complex operands (three real convolutions)", () => {
    const x = np.complex(np.array([[[1, 2, 3]]]), np.array([[[0, 1, -1]]]));
    const k = np.complex(np.array([[[1, -1]]]), np.array([[[2, 0]]]));
    const y = lax.conv(x, k, [1], "VALID");
    // (1)(1+2i) + (2+i)(-1) = -1+i;  (2+i)(1+2i) + (3-i)(-1) = -3+6i
    assertAllClose(np.real(y).reshape([2]), [-1, -3]);
    assertAllClose(np.imag(y).reshape([2]), [1, 6]);
  });
  it("errors name the argument and the value", () => {
    const x = np.ones([1, 4, 5, 5]), k = np.ones([2, 3, 3, 3]);
    assertThrows(() => lax.conv(x, k, [1, 1], "VALID"), TypeError, "feature dimension 4");
    assertThrows(
      () => lax.conv(x, np.ones([2, 4, 3, 3]), [1], "VALID"),
      TypeError,
      "windowStrides must be a list of 2 integers",
    );
    assertThrows(
      () => lax.conv(x, np.ones([2, 4, 3, 3]), [1, 1], "FULL"),
      RangeError,
      "Unrecognized padding type",
    );
    assertThrows(
      () => lax.conv(x, np.ones([2, 4, 3, 3], { dtype: "float32" }), [1, 1], "VALID"),
      TypeError,
      "float64 and float32",
    );
    assertThrows(
      () =>
        lax.convGeneralDilated(x, np.ones([2, 4, 3, 3]), [1, 1], "VALID", {
          dimensionNumbers: ["NCHW", "OIHW", "NCWW"],
        }),
      TypeError,
      "cannot repeat characters",
    );
    assertThrows(
      () =>
        lax.convGeneralDilated(x, np.ones([2, 4, 3, 3]), [1, 1], "SAME", { lhsDilation: [2, 2] }),
      TypeError,
      "convTranspose",
    );
    assertThrows(
      () => lax.reduceWindow(x, 0, lax.add, [2, 2]),
      TypeError,
      "windowDimensions must be a list of 4 integers",
    );
  });
  it("NaN propagates through max and min pooling (XLA's max/min)", () => {
    const x = np.array([[1, NaN, 3, 4]]);
    assertAllClose(lax.reduceWindow(x, -Infinity, lax.max, [1, 2]), [[NaN, NaN, 4]]);
    assertAllClose(lax.reduceWindow(x, Infinity, lax.min, [1, 2], [1, 2]), [[NaN, 3]]);
  });
  it("the primitives check their parameters when bound directly", () => {
    const dn = { lhsSpec: [0, 1, 2], rhsSpec: [0, 1, 2], outSpec: [0, 1, 2] };
    const p = {
      windowStrides: [1],
      padding: [[0, 0]] as [number, number][],
      lhsDilation: [1],
      rhsDilation: [1],
      dimensionNumbers: dn,
      featureGroupCount: 1,
      batchGroupCount: 1,
    };
    const x = np.ones([1, 1, 4]), k = np.ones([1, 1, 2]);
    assertAllClose(bind(primitives.convGeneralDilated, [x, k], p), [[[2, 2, 2]]]);
    assertThrows(
      () => bind(primitives.convGeneralDilated, [x, k], { ...p, windowStrides: [0] }),
      TypeError,
      "windowStrides must be 1 positive integers",
    );
    assertThrows(
      () =>
        bind(primitives.convGeneralDilated, [x, k], {
          ...p,
          dimensionNumbers: { ...dn, outSpec: [0, 0, 2] },
        }),
      TypeError,
      "permutation",
    );
    const w = {
      windowDimensions: [2],
      windowStrides: [1],
      padding: [[0, 0]] as [number, number][],
      baseDilation: [1],
      windowDilation: [0],
    };
    assertThrows(
      () => bind(primitives.reduceWindowSum, [np.ones([3])], w),
      TypeError,
      "windowDilation",
    );
  });
  it("reduceWindow recognizes np.add and np.maximum as its monoids", () => {
    const x = np.array([[3, 1, 2, 2]]);
    const g1 = grad((x: Array) => np.sum(lax.reduceWindow(x, -Infinity, np.maximum, [1, 2])))(x);
    assertAllClose(g1, [[1, 0, 2, 0]]);
    const g2 = grad((x: Array) => np.sum(lax.reduceWindow(x, 0, np.add, [1, 2], [1, 2])))(x);
    assertAllClose(g2, [[1, 1, 1, 1]]);
  });
});
