// Bad and edge inputs a careful user tries: each gets a clear error naming the argument and the
// value (NaN and ±Infinity printed as such), or JAX's value — never a silently wrong number —
// and the handler stack survives every throw.
import { describe, it } from "node:test";
import { deepEqual, equal, throws } from "node:assert/strict";
import {
  type Array,
  checkpoint,
  customJvp,
  customVjp,
  grad,
  jvp,
  lax,
  nn,
  np,
  random,
  tree,
  vmap,
} from "../mod.ts";
import { currentHandler, setMaxRecordedEquations } from "../extend.ts";

/** Throws `pattern`, and leaves eval as the current handler. */
function refuses(f: () => unknown, pattern: RegExp): void {
  throws(f, pattern);
  equal(currentHandler().name, "eval");
}

describe("transformation arguments", () => {
  it("grad refuses an argument named twice in argnums", () => {
    refuses(() => grad((x, y) => np.multiply(x, y), { argnums: [0, 0] })(1, 2), /more than once/);
    refuses(() => grad((x, y) => np.multiply(x, y), { argnums: [1, -1] })(1, 2), /argument 1/);
  });

  it("vmap refuses a fractional, negative or huge axisSize, naming it", () => {
    for (const bad of [2.5, -1, 1e12, NaN, Infinity]) {
      refuses(
        () => vmap(() => np.array(1), { inAxes: null, axisSize: bad })(1),
        new RegExp(`axisSize must be a non-negative integer.*got number ${bad}`),
      );
    }
  });

  it("vmap inAxes with a key the argument lacks is not a tree prefix", () => {
    refuses(
      () => vmap((p: { a: unknown }) => p.a, { inAxes: [{ a: 0, b: 0 }] })({ a: np.zeros([2]) }),
      /not a tree prefix.*key "b"/,
    );
  });

  it("vmap inAxes of the wrong kind says what is expected", () => {
    refuses(
      () => vmap((x) => x, { inAxes: "0" as unknown as number })(np.zeros([2])),
      /inAxes must be an integer axis, null, or a tree prefix.*string "0"/,
    );
    refuses(() => vmap((x) => x, { inAxes: 0.5 })(np.zeros([2])), /integer axes or null: got 0.5/);
  });
});

describe("custom rules that break their contract", () => {
  it("a customJvp tangent of another dtype or shape is an error, as in JAX", () => {
    const f = customJvp((x: Array) => np.sin(x));
    f.defjvp(([x]: Array[], [t]: Array[]) => [f(x), np.astype(t, "float32")]);
    refuses(
      () => jvp(f, [np.array([1, 2])], [np.array([1, 1])]),
      /dtype float32 for an output of dtype float64/,
    );
    const g = customJvp((x: Array) => np.sin(x));
    g.defjvp(([x]: Array[], [t]: Array[]) => [g(x), np.sum(t)]);
    refuses(
      () => jvp(g, [np.array([1, 2])], [np.array([1, 1])]),
      /tangent of shape \[\] for an output of shape \[2\]/,
    );
  });

  it("a customVjp backward rule returning the wrong tree structure is an error", () => {
    const f = customVjp((p: { a: Array; b: Array }) => np.multiply(p.a, p.b));
    f.defvjp(
      (p: { a: Array; b: Array }) => [f(p), p],
      (
        p: { a: Array; b: Array },
        ct: Array,
      ) => [{ a: np.multiply(ct, p.b), c: np.multiply(ct, p.a) }],
    );
    refuses(() => grad((a: Array) => f({ a, b: np.array(2) }))(3), /structure/);
  });
});

describe("control flow and keys", () => {
  it("lax.cond(NaN) takes the true branch eagerly and under vmap, as JAX's bool(NaN)", () => {
    const f = (p: Array, x: Array) => lax.cond(p, np.sin, np.cos, x);
    equal(f(np.array(NaN), np.array(0.5)).item(), Math.sin(0.5));
    deepEqual(vmap(f)(np.array([NaN, 0]), np.array([0.5, 0.5])).tolist(), [
      Math.sin(0.5),
      Math.cos(0.5),
    ]);
  });

  it("float random keys are refused", () => {
    refuses(() => random.uniform(np.array([0, 1]), [2]), /integer key.*float64 array/);
    refuses(() => random.normal(np.array([0, 1], { dtype: "float32" }), [2]), /float32 array/);
  });
});

describe("trees", () => {
  it("structures that print alike are still different", () => {
    const x = np.array(1);
    equal(tree.structure({ "a: *, b": x }).equals(tree.structure({ a: x, b: x })), false);
    equal(String(tree.structure({ "a: *, b": x })), '{"a: *, b": *}');
  });

  it("a cyclic tree is a clear error, not a stack overflow", () => {
    const t: Record<string, unknown> = { a: np.array(1) };
    t.self = t;
    refuses(() => tree.flatten(t), /cannot contain itself/);
    refuses(() => grad((p: Record<string, unknown>) => p.a as Array)(t), /cannot contain itself/);
  });

  it('a "__proto__" key stays a key and never replaces a prototype', () => {
    const p = JSON.parse('{"__proto__": 2, "b": 3}');
    const g = grad((q: { b: Array }) => np.multiply(q.b, q.b))(p);
    equal(Object.getPrototypeOf(g), Object.prototype);
    equal(Object.hasOwn(g, "__proto__"), true);
    equal((g as Record<string, Array>)["__proto__"].item(), 0);
    equal(g.b.item(), 6);
    const mapped = tree.map((v: number) => v + 1, p);
    equal(Object.getPrototypeOf(mapped), Object.prototype);
  });
});

describe("the last differences from JAX 0.10.2", () => {
  it("softmax and logSoftmax of an empty axis are empty", () => {
    deepEqual(nn.softmax(np.zeros([2, 0])).shape, [2, 0]);
    deepEqual(nn.logSoftmax(np.zeros([0])).shape, [0]);
  });
  it("cumsum and cumprod of a 0-d input with axis 0 or -1 treat it as 1-d", () => {
    deepEqual(np.cumsum(5, 0).tolist(), [5]);
    deepEqual(np.cumsum(5, -1).tolist(), [5]);
    deepEqual(np.cumprod(5, 0).tolist(), [5]);
  });
  it("diff with n = 0 returns the input unchanged (prepend and append ignored)", () => {
    deepEqual(np.diff([1, 2, 4], 0, -1, { prepend: [0], append: [9] }).tolist(), [1, 2, 4]);
  });
  it("select converts numeric conditions to bool", () => {
    deepEqual(np.select([np.array([0, 1, 2])], [np.array([1, 2, 3])], -1).tolist(), [-1, 2, 3]);
  });
  it("reciprocal of integers gives floats", () => {
    const r = np.reciprocal(np.array([1, 2, 4], { dtype: "int32" }));
    equal(r.dtype, "float64");
    deepEqual(r.tolist(), [1, 0.5, 0.25]);
  });
  it("foriLoop promotes a weakly typed initial carry to the body's type", () => {
    const r = lax.foriLoop(0, 3, (i: Array, c: Array) => np.add(c, i), 0 as unknown as Array);
    equal(r.dtype, "int32");
    equal(r.item(), 3);
    const [total] = lax.scan(
      (c: Array, x: Array): [Array, Array] => [np.add(c, x), c],
      0 as unknown as Array,
      np.arange(4),
    );
    equal(total.item(), 6);
  });
  it("checkpoint of a closure over the differentiated value, nested or not, under one or two grads", () => {
    const expect = Math.sin(0.5) + 0.5 * Math.cos(0.5);
    const f = (x: Array) => checkpoint((y: Array) => np.multiply(np.sin(y), x))(x);
    const g = (x: Array) => checkpoint(checkpoint((y: Array) => np.multiply(np.sin(y), x)))(x);
    equal(grad(f)(0.5).item(), expect);
    equal(grad(g)(0.5).item(), expect);
    const outer = (x: Array) =>
      grad((z: Array) => checkpoint(checkpoint((y: Array) => np.multiply(np.sin(y), x)))(z))(x);
    equal(
      grad(outer)(0.5).item(),
      grad((x: Array) => grad((z: Array) => np.multiply(np.sin(z), x))(x))(0.5).item(),
    );
  });
});

describe("conversions", () => {
  it("astype int32 saturates as JAX: NaN to 0, beyond the range to the nearest bound", () => {
    deepEqual(np.array([NaN, 1e10, -1e10, Infinity]).astype("int32").tolist(), [
      0,
      2147483647,
      -2147483648,
      2147483647,
    ]);
  });
});

describe("typed-array inputs keep their values", () => {
  it("Uint8Array and other small integer arrays keep their integer dtype, never bool", () => {
    const u8 = np.array(new Uint8Array([0, 5, 255]));
    equal(u8.dtype, "uint8");
    deepEqual(u8.tolist(), [0, 5, 255]);
    deepEqual(np.array(new Int16Array([-3, 7])).tolist(), [-3, 7]);
    deepEqual(np.array(new Uint32Array([4294967295])).tolist(), [4294967295]);
    equal(np.array(new Float32Array([0.5])).dtype, "float32");
    refuses(() => np.array(new BigInt64Array([1n]) as unknown as Int32Array), /64-bit integers/);
  });
});

describe("small arrays share nothing a user can reach", () => {
  it("x.data is in a buffer of its own: cloning, posting or transferring it touches no other array", () => {
    const x = np.add(np.array(1.5), 0);
    const y = np.add(np.array(2.5), 0);
    equal(x.data.buffer.byteLength, 8);
    deepEqual([...structuredClone(x.data)], [1.5]);
    const buffer = x.data.buffer as ArrayBuffer;
    const moved = structuredClone(buffer, { transfer: [buffer] });
    equal(moved.byteLength, 8);
    equal(y.item(), 2.5);
    equal(np.add(y, 1).item(), 3.5); // allocation goes on
  });
});

describe("impossible sizes name the shape and the bytes", () => {
  const tooBig = /Cannot (create an array of shape|allocate).*(elements|bytes)/;
  it("creation, broadcasting and tiling beyond what an array holds", () => {
    refuses(() => np.zeros([1e20]), /shape \[100000000000000000000\].*bytes/);
    refuses(() => np.ones([1e6, 1e6]), /shape \[1000000,1000000\]: 1000000000000 elements/);
    refuses(() => np.broadcastTo(1, [1e9, 1e9]), tooBig);
    refuses(() => np.arange(1e12), tooBig);
    refuses(() => np.linspace(0, 1, 1e12), tooBig);
    refuses(() => np.eye(1e6), tooBig);
    refuses(() => np.tile(np.ones([2]), [1e10]), tooBig);
    refuses(() => np.tile(np.ones([2]), [1.5]), /non-negative integers: got \[1.5\]/);
  });
  it("loop and batch lengths", () => {
    refuses(() => vmap(() => np.array(1), { inAxes: null, axisSize: 1e12 })(1), /axisSize/);
    refuses(
      () => lax.scan((c, x) => [c, x], 0, null, { length: 1e12 }),
      /scan length.*1000000000000/,
    );
    refuses(() => lax.scan((c, x) => [c, x], 0, null, { length: 2.5 }), /scan length.*2\.5/);
  });
  it("NaN and infinite dimensions and axes print as such", () => {
    refuses(() => np.full([Infinity], 1), /Invalid shape \[Infinity\]/);
    refuses(() => np.reshape(np.ones([2]), [NaN]), /\[NaN\]/);
    refuses(() => np.sum(np.ones([2]), NaN), /got NaN/);
    refuses(() => np.expandDims(np.ones([2]), NaN), /Axis NaN/);
    refuses(() => np.concatenate([np.ones([2])], NaN), /Axis NaN/);
  });
  it("a traced value used as a shape says so and names the transformation", () => {
    refuses(
      () => vmap((n: Array) => np.zeros([n as never]))(np.array([1, 2])),
      /a traced value cannot be a shape \(under vmap/,
    );
    refuses(
      () => jvp((n: Array) => np.zeros([n as never]), [2], [1]),
      /traced value cannot be a shape \(under jvp/,
    );
  });
});

describe("options objects", () => {
  it("an unknown key is an error naming it, the function and the accepted keys", () => {
    refuses(
      () => np.zeros([2], { dtyp: "int32" } as never),
      /Unknown option "dtyp" for zeros \(did you mean "dtype"\?\): the accepted options are dtype/,
    );
    refuses(() => np.sum(np.ones([2]), 0, { keepDims: true } as never), /"keepDims" for sum/);
    refuses(
      () => grad((x: Array) => x, { argnum: 1 } as never),
      /"argnum" for grad.*argnums, hasAux/,
    );
    refuses(() => vmap((x: Array) => x, { in_axes: 0 } as never), /"in_axes" for vmap.*inAxes/);
    refuses(
      () => random.uniform(random.key(0), [2], { minVal: 0 } as never),
      /"minVal" for uniform/,
    );
    refuses(() => np.linspace(0, 1, 5, { endPoint: false } as never), /"endPoint" for linspace/);
    refuses(() => lax.scan((c, x) => [c, x], 0, null, { len: 3 } as never), /"len" for scan/);
    refuses(() => np.take([1, 2], [0], 0, { mod: "clip" } as never), /"mod" for take/);
  });
});

describe("np.linalg.norm", () => {
  it('"f" is the Frobenius norm, as in JAX', () => {
    equal(np.linalg.norm(np.array([[3, 0], [0, 4]]), "f").item(), 5);
  });
});

describe("x.shape is frozen", () => {
  it("mutating it throws and corrupts nothing", () => {
    const x = np.ones([2, 3]);
    const y = np.add(x, 1);
    throws(() => (x.shape as number[]).push(4), TypeError);
    throws(() => ((x.shape as number[])[0] = 7), TypeError);
    const s = np.array(2);
    throws(() => (s.shape as number[]).push(1), TypeError);
    deepEqual([x.shape, y.shape, s.shape, np.array(3).shape], [[2, 3], [2, 3], [], []]);
    deepEqual(np.add(x, y).shape, [2, 3]);
  });
});

describe("arrays of another copy of nabla", () => {
  // What another copy's arrays look like from here: the registered brand, shape, dtype, data.
  class ForeignArray {
    readonly shape: number[];
    readonly dtype: string;
    readonly data: Float64Array;
    constructor(data: number[], shape: number[]) {
      this.data = Float64Array.from(data);
      this.shape = shape;
      this.dtype = "float64";
    }
    tolist(): number[] {
      return [...this.data];
    }
    item(): number {
      return this.data[0];
    }
    get [Symbol.for("@nabla/ad/array")](): boolean {
      return true;
    }
  }
  it("a concrete array is copied in and works everywhere", () => {
    const x = new ForeignArray([1, 2, 3], [3]) as unknown as Array;
    deepEqual(np.add(x, 1).tolist(), [2, 3, 4]);
    deepEqual(grad((v: Array) => np.sum(np.square(v)))(x).tolist(), [2, 4, 6]);
    deepEqual(vmap((v: Array) => np.multiply(v, 2))(x).tolist(), [2, 4, 6]);
  });
  it("a value traced by the other copy is refused, saying why", () => {
    const t = Object.assign(new ForeignArray([1], []), { handler: { name: "grad" } });
    refuses(() => np.sin(t as unknown as Array), /traced by grad of another copy of nabla/);
    refuses(() => grad((v: Array) => v)(t as unknown as Array), /two copies of the library/);
  });
});

describe("runaway recursion under grad", () => {
  it("stops at the recording bound with an error naming it, and the bound can be raised", () => {
    const previous = setMaxRecordedEquations(1000);
    try {
      // A tail call: on JavaScriptCore (Bun) it never overflows the stack.
      const f = (x: Array, n: number): Array => (n === 0 ? x : f(np.sin(x), n - 1));
      refuses(() => grad((x: Array) => f(x, 5000))(1), /grad recorded more than 1000 operations/);
      equal(typeof grad((x: Array) => f(x, 500))(1).item(), "number");
    } finally {
      setMaxRecordedEquations(previous);
    }
    throws(() => setMaxRecordedEquations(0), /positive integer/);
  });
});
