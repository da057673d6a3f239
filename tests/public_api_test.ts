// A user-defined primitive and a user-defined interpreter, written only
// against the public API, stacking with the built-in transformations.
import { describe, it } from "node:test";
import { deepEqual, equal } from "node:assert/strict";
import { type Array, grad, jvp, np, vmap } from "../mod.ts";
import { bind, Handler, type Primitive, swapHandler, Tracer, Zero } from "../extend.ts";
import { checkGrads, checkVmap } from "../src/testing.ts";

// cube(x) = x³, declared once with all its rules.
const cubeP: Primitive<undefined> = {
  name: "cube",
  impl([x]) {
    const out = new Float64Array(x.size);
    const d = x.data;
    for (let i = 0; i < out.length; i++) out[i] = d[i] * d[i] * d[i];
    return np.asarray(out).reshape(x.shape);
  },
  abstractEval: ([x]) => ({ shape: x.shape, dtype: x.dtype }),
  // d x³ = 3x² dx
  jvp([x], [t]) {
    const y = cube(x);
    if (t instanceof Zero) return [y, t];
    return [y, np.multiply(t, np.multiply(3, np.square(x)))];
  },
  vmap: ([x], [d]) => [cube(x), d],
};
const cube = (x: Array): Array => bind(cubeP, [x], undefined);

describe("a user-defined primitive", () => {
  it("evaluates, differentiates to any order, and batches", () => {
    equal(cube(np.array(2)).item(), 8);
    equal(grad(cube)(2).item(), 12);
    equal(grad(grad(cube))(2).item(), 12);
    equal(grad(grad(grad(cube)))(2).item(), 6);
    deepEqual(vmap(grad(cube))(np.array([1, 2])).tolist(), [3, 12]);
    checkGrads(cube, [np.array([0.5, -1.5])], { order: 3 });
    checkVmap(cube, [np.array([[1, 2], [3, 4]])]);
  });
});

// Interval arithmetic as an interpreter: each tracer carries [lo, hi].
class IntervalTracer extends Tracer {
  readonly lo: Array;
  readonly hi: Array;
  constructor(handler: Handler, lo: Array, hi: Array) {
    super(handler, lo.shape, lo.dtype);
    this.lo = lo;
    this.hi = hi;
  }
  protected primalValue(): Array {
    return this.lo;
  }
}

class IntervalHandler extends Handler {
  readonly name = "interval";
  process<P>(prim: Primitive<P>, args: readonly Array[], params: P): Array {
    if (!this.hasOwnTracer(args)) return this.forward(prim, args, params);
    const bounds = args.map((a) =>
      a instanceof IntervalTracer && a.handler === this ? [a.lo, a.hi] : [a, a]
    );
    const saved = swapHandler(this.parent!);
    try {
      if (prim.name === "add") {
        return new IntervalTracer(
          this,
          np.add(bounds[0][0], bounds[1][0]),
          np.add(bounds[0][1], bounds[1][1]),
        );
      }
      if (prim.name === "mul") {
        const ps = [0, 1].flatMap((i) =>
          [0, 1].map((j) => np.multiply(bounds[0][i], bounds[1][j]))
        );
        return new IntervalTracer(
          this,
          ps.reduce((a, b) => np.minimum(a, b)),
          ps.reduce((a, b) => np.maximum(a, b)),
        );
      }
      throw new TypeError(`interval has no rule for '${prim.name}'`);
    } finally {
      swapHandler(saved);
    }
  }
}

function interval(f: (x: Array) => Array, lo: number, hi: number): [number, number] {
  const h = new IntervalHandler();
  const saved = swapHandler(h);
  let out: Array;
  try {
    out = f(new IntervalTracer(h, np.array(lo), np.array(hi)));
  } finally {
    swapHandler(saved);
    h.retired = true;
  }
  const t = out as IntervalTracer;
  return [t.lo.item() as number, t.hi.item() as number];
}

describe("a user-defined interpreter", () => {
  it("bounds x·x + x on [-1, 2]", () => {
    deepEqual(interval((x) => np.add(np.multiply(x, x), x), -1, 2), [-3, 6]);
  });
  it("stacks with jvp inside it: bounds of the derivative 2x + 1", () => {
    const df = (x: Array) => jvp((y: Array) => np.add(np.multiply(y, y), y), [x], [1])[1];
    deepEqual(interval(df, -1, 2), [-1, 5]);
  });
});
