// optim: optax's gradient transformations. Values against real optax (float64) come from
// tests/fixtures/optim/optim.json, made by make_fixtures.py beside it; here also the contract
// (states are trees of arrays, chain composes, bad arguments are named) and training converges.
import { describe, it } from "node:test";
import { deepEqual, equal, ok, throws } from "node:assert/strict";
import {
  type Array,
  Array as NArray,
  ConcretizationError,
  np,
  optim,
  ShapeError,
  tree,
  valueAndGrad,
  vmap,
} from "../mod.ts";
import { checkGrads } from "../src/testing.ts";
import { readFileSync } from "node:fs";
import { assertAllClose } from "./_assert.ts";

type Spec = { fn: string; args?: unknown[]; opts?: Record<string, unknown> } & {
  inner?: string;
  hyper?: Record<string, unknown>;
};
interface Case {
  spec: Spec;
  grads?: string;
  updates: unknown[];
  params: unknown[];
  hyperparams?: Record<string, number>[];
}
const fixtures = JSON.parse(
  readFileSync(new URL("./fixtures/optim/optim.json", import.meta.url), "utf8"),
  (_k, v) => (v === "NaN" ? NaN : v === "Infinity" ? Infinity : v === "-Infinity" ? -Infinity : v),
) as {
  params: unknown;
  grads: unknown[];
  nanGrads: unknown[];
  cases: Record<string, Case>;
  globalNorm: number;
  counts: number[];
  schedules: Record<string, { spec: Spec; values: number[] }>;
};

const camel = (s: string) => s.replace(/_([a-z])/g, (_, c) => c.toUpperCase());
/** The fixture tree { b: [3], layers: [{ k: [2, 2] }], w: [2, 3] } with array leaves. */
const toArrays = (t: unknown) => {
  const { b, layers, w } = t as { b: number[]; layers: { k: number[][] }[]; w: number[][] };
  return { b: np.array(b), layers: layers.map(({ k }) => ({ k: np.array(k) })), w: np.array(w) };
};
// deno-lint-ignore no-explicit-any
const fns = optim as unknown as Record<string, (...args: any[]) => any>;

/** Builds a fixture spec with optim: {fn, args, opts} → optim[fn](...args, opts). */
function build(node: unknown): unknown {
  if (typeof node !== "object" || node === null) return node;
  if (globalThis.Array.isArray(node)) return node.map(build);
  const spec = node as Spec;
  if (!("fn" in spec)) return node; // a mask tree
  if (spec.fn === "injectHyperparams") {
    const hyper = Object.fromEntries(
      Object.entries(spec.hyper!).map(([k, v]) => [camel(k), build(v)]),
    );
    const make = optim.injectHyperparams((h: Record<string, number>) => {
      const { learningRate, ...rest } = h;
      return fns[spec.inner!](learningRate, rest);
    });
    return make(hyper as Record<string, number>);
  }
  const f = fns[spec.fn];
  ok(typeof f === "function", `optim.${spec.fn} exists`);
  const args = (spec.args ?? []).map(build);
  if (spec.opts === undefined) return f(...args);
  const opts = Object.fromEntries(Object.entries(spec.opts).map(([k, v]) => [k, build(v)]));
  return f(...args, opts);
}

describe("optim against optax (float64)", () => {
  for (const [name, c] of Object.entries(fixtures.cases)) {
    it(name, () => {
      const tx = build(c.spec) as optim.GradientTransformation;
      const grads = c.grads === "nanGrads" ? fixtures.nanGrads : fixtures.grads;
      let params = toArrays(fixtures.params);
      let state = tx.init(params);
      grads.forEach((g, step) => {
        let u: unknown;
        [u, state] = tx.update(toArrays(g), state, params);
        params = optim.applyUpdates(params, u);
        const msg = `${name}, step ${step}`;
        assertAllClose(u, c.updates[step], { rtol: 1e-12, atol: 1e-16, msg: `${msg}: updates` });
        assertAllClose(params, c.params[step], { rtol: 1e-12, atol: 1e-16, msg: `${msg}: params` });
        if (c.hyperparams) {
          const h = (state as optim.InjectHyperparamsState).hyperparams;
          // optax also holds the factory's defaults (b2, eps, ...); nabla the given ones
          deepEqual(Object.keys(h).sort(), Object.keys(c.spec.hyper!).sort());
          for (const k of Object.keys(c.spec.hyper!)) {
            assertAllClose(
              h[k],
              c.hyperparams[step][k.replace(/[A-Z]/g, (m) => `_${m.toLowerCase()}`)],
              {
                rtol: 1e-12,
                msg: `${msg}: ${k}`,
              },
            );
          }
        }
      });
    });
  }

  it("globalNorm", () => {
    assertAllClose(optim.globalNorm(toArrays(fixtures.grads[0])), fixtures.globalNorm);
  });

  for (const [name, s] of Object.entries(fixtures.schedules)) {
    it(`schedule: ${name}`, () => {
      const schedule = build(s.spec) as optim.Schedule;
      const values = fixtures.counts.map((n) => schedule(n));
      assertAllClose(values, s.values, { rtol: 1e-12, atol: 1e-300, msg: name });
    });
  }
});

/** Trains a least-squares line fit with an optimizer; returns the final loss. */
function fitLine(tx: optim.GradientTransformation, steps: number): number {
  const x = np.linspace(-1, 1, 32);
  const y = np.add(np.multiply(-2, x), 0.75);
  type P = { w: Array; b: Array };
  const loss = (p: P) => np.mean(np.square(np.subtract(np.add(np.multiply(p.w, x), p.b), y)));
  let params: P = { w: np.array(0.3), b: np.array(-0.2) };
  let state = tx.init(params);
  let value = Infinity;
  for (let i = 0; i < steps; i++) {
    const [l, g] = valueAndGrad(loss)(params);
    value = l.item() as number;
    let u: unknown;
    [u, state] = tx.update(g, state, params);
    params = optim.applyUpdates(params, u);
  }
  return value;
}

describe("optim: training converges", () => {
  it("fits a line with adam, sgd (Nesterov), rmsprop, adagrad and adamw", () => {
    ok(fitLine(optim.adam(0.05), 600) < 1e-8, "adam");
    ok(fitLine(optim.sgd(0.1, { momentum: 0.9, nesterov: true }), 300) < 1e-12, "sgd");
    ok(fitLine(optim.rmsprop(0.01), 800) < 1e-3, "rmsprop");
    ok(fitLine(optim.adagrad(0.5), 800) < 1e-8, "adagrad");
    ok(fitLine(optim.adamw(0.05, { weightDecay: 0 }), 600) < 1e-8, "adamw");
    const sched = optim.warmupCosineDecaySchedule({
      initValue: 0,
      peakValue: 0.1,
      warmupSteps: 20,
      decaySteps: 400,
    });
    ok(fitLine(optim.chain(optim.clipByGlobalNorm(1), optim.adam(sched)), 400) < 1e-6, "sched");
  });
});

describe("optim: states are trees of arrays", () => {
  it("adam's state holds a float64 count and moments shaped like the parameters", () => {
    const params = { w: np.zeros([2, 3]), b: [np.zeros([3])] };
    const tx = optim.adam(1e-3);
    const state = tx.init(params) as [optim.ScaleByAdamState, null];
    equal(state[1], null);
    equal(state[0].count.dtype, "float64");
    deepEqual(state[0].count.shape, []);
    ok(tree.structure(state[0].mu).equals(tree.structure(params)));
    const leaves = tree.leaves<Array>(state);
    ok(leaves.length === 5 && leaves.every((l) => l instanceof NArray));
    const [, next] = tx.update(params, state, params);
    equal((next as [optim.ScaleByAdamState])[0].count.item(), 1);
  });

  it("chain threads updates through and keeps one state per transformation", () => {
    const tx = optim.chain(optim.scale(2), optim.identity(), optim.scale(-0.5));
    const [u, s] = tx.update({ a: np.array(3) }, tx.init({ a: np.array(0) }));
    equal((u as { a: Array }).a.item(), -3);
    deepEqual(s, [null, null, null]);
  });

  it("applyUpdates keeps the parameters' dtypes", () => {
    const p = { w: np.array([1, 2], "float32") };
    const out = optim.applyUpdates(p, { w: np.array([0.5, 0.5]) });
    equal(out.w.dtype, "float32");
    deepEqual(out.w.tolist(), [1.5, 2.5]);
  });
});

describe("optim: bad arguments are named", () => {
  it("rejects non-numbers and non-transformations", () => {
    throws(() => optim.adam(0.1, { b1: "x" as unknown as number }), /scaleByAdam: b1 must be/);
    throws(() => optim.sgd("0.1" as unknown as number), /lr must be a number or a schedule/);
    throws(() => optim.chain({} as optim.GradientTransformation), /chain: argument 0/);
    throws(
      () => optim.cosineDecaySchedule({ initValue: 1, decaySteps: 0 }),
      /decaySteps must be positive: got 0/,
    );
    // options objects refuse unknown keys, naming the nearest accepted one
    throws(
      () => optim.adam(0.1, { beta1: 0.9 } as never),
      /Unknown option "beta1" for adam: the accepted options are b1, b2, eps, epsRoot, nesterov/,
    );
    throws(() => optim.sgd(0.1, { momentun: 0.9 } as never), /did you mean "momentum"\?/);
    throws(
      () => optim.cosineDecaySchedule({ initValue: 1, decaySteps: 10, alpah: 0 } as never),
      /Unknown option "alpah" for cosineDecaySchedule \(did you mean "alpha"\?\)/,
    );
    throws(
      () =>
        optim.linearSchedule({ initValue: 1, endValue: 0, transitionSteps: 3, power: 2 } as never),
      /Unknown option "power" for linearSchedule/,
    );
    throws(
      () => optim.addDecayedWeights(0.1).update(np.array(1), null),
      /addDecayedWeights: update needs the parameters/,
    );
  });
});

describe("optim under the transformations", () => {
  it("schedules take traced counts under vmap, with optax's values", () => {
    const counts = np.array(fixtures.counts);
    for (const [name, s] of Object.entries(fixtures.schedules)) {
      const tx = optim.scaleBySchedule(build(s.spec) as optim.Schedule);
      const values = vmap((count: Array) => tx.update(np.array(1), { count })[0] as Array)(counts);
      assertAllClose(values, s.values, { rtol: 1e-12, atol: 1e-300, msg: name });
    }
  });

  it("a schedule of numbers only says why it cannot take a traced count", () => {
    const tx = optim.scaleBySchedule((n) => 1 / (n + 1));
    throws(
      () => vmap((count: Array) => tx.update(np.array(1), { count })[0] as Array)(np.arange(3)),
      (e: unknown) =>
        e instanceof ConcretizationError &&
        /optim's schedules .* accept traced counts/.test(e.message),
    );
  });

  it("vmap of init and update over a batch of problems equals a loop, with a schedule", () => {
    const tx = optim.chain(
      optim.clipByGlobalNorm(0.5),
      optim.adamw(optim.cosineDecaySchedule({ initValue: 0.1, decaySteps: 3 }), {
        weightDecay: 0.1,
      }),
    );
    const p = { w: np.array([[1, 2], [3, 4], [5, 6]]), b: np.array([0.5, -1, 2]) };
    const gs = [0, 1, 2].map((k) =>
      tree.map((x: Array) => np.multiply(np.sin(np.add(x, k)), k + 1), p)
    );
    const run = (params: unknown, grads: unknown[]) => {
      let state = tx.init(params);
      for (const g of grads) {
        let u: unknown;
        [u, state] = tx.update(g, state, params);
        params = optim.applyUpdates(params, u);
      }
      return params;
    };
    const batched = vmap((q: unknown, g0: unknown, g1: unknown, g2: unknown) =>
      run(q, [g0, g1, g2])
    )(
      p,
      ...gs,
    ) as typeof p;
    for (let i = 0; i < 3; i++) {
      const row = (t: typeof p) => ({ w: t.w.get(i), b: t.b.get(i) });
      const looped = run(row(p), gs.map((g) => row(g as typeof p))) as typeof p;
      assertAllClose(row(batched), looped, { rtol: 1e-14, msg: `problem ${i}` });
    }
  });

  it("updates are differentiable: the gradient through two Adam steps matches finite differences", () => {
    const tx = optim.adam(0.1, { nesterov: true });
    const afterTwoSteps = (w: Array) => {
      let state = tx.init(w);
      let p = w;
      for (let k = 0; k < 2; k++) {
        let u: unknown;
        [u, state] = tx.update(np.multiply(np.sin(p), 3), state, p);
        p = optim.applyUpdates(p, u);
      }
      return np.sum(np.square(p));
    };
    checkGrads(afterTwoSteps, [np.array([0.3, -1.2, 2])], { order: 1 });
    checkGrads((t: Array) => optim.globalNorm({ a: t, b: [np.multiply(t, 2)] }), [
      np.array([1, -2]),
    ]);
  });

  it("masked takes a path predicate or a tree of booleans, with the same result", () => {
    const params = toArrays(fixtures.params);
    const grads = toArrays(fixtures.grads[0]);
    const byTree = optim.masked(optim.adam(0.1), { b: false, layers: true, w: true });
    const byPath = optim.masked(optim.adam(0.1), (path) => path !== "b");
    const [u1] = byTree.update(grads, byTree.init(params), params);
    const [u2] = byPath.update(grads, byPath.init(params), params);
    assertAllClose(u1, u2, { rtol: 0 });
    assertAllClose(u1, fixtures.cases["masked adam"].updates[0], { rtol: 1e-12 });
    throws(
      () => optim.masked(optim.sgd(1), { w: true }).init(params),
      /masked: the mask has no entry for the leaf at "b"/,
    );
  });
});

describe("optim.applyUpdates", () => {
  it("leaves parameters with a null update alone and names a structure mismatch", () => {
    const p = { w: np.array([1, 2]), layers: [{ b: np.array(1) }, { b: np.array(2) }] };
    const out = optim.applyUpdates(p, { w: null, layers: [{ b: np.array(0.5) }, null] });
    equal(out.w, p.w);
    equal(out.layers[1].b, p.layers[1].b);
    equal(out.layers[0].b.item(), 1.5);
    throws(
      () => optim.applyUpdates(p, { w: np.array(1) }),
      (e: unknown) => e instanceof ShapeError && /applyUpdates: updates must have/.test(String(e)),
    );
    throws(() => optim.applyUpdates([1, 2], [1]), ShapeError);
  });
});

describe("optim keeps float32 float32", () => {
  it("updates and states of float32 parameters stay float32 (counts stay float64)", () => {
    const p = { w: np.array([[1, 2], [3, 4]], "float32"), b: np.array([0.5], "float32") };
    const g = tree.map((x: Array) => np.multiply(x, 0.1), p);
    const cos = optim.cosineDecaySchedule({ initValue: 0.1, decaySteps: 5 });
    const txs: Record<string, optim.GradientTransformation> = {
      adam: optim.adam(cos, { nesterov: true }),
      adamw: optim.adamw(1e-2, { weightDecay: cos }),
      sgd: optim.sgd(cos, { momentum: 0.9 }),
      rmsprop: optim.rmsprop(0.1, { biasCorrection: true, centered: true }),
      adagrad: optim.adagrad(0.1),
      multiSteps: optim.multiSteps(optim.adam(0.1), 2),
      applyIfFinite: optim.applyIfFinite(optim.adam(0.1), 2),
      clip: optim.chain(optim.clipByGlobalNorm(0.1), optim.clip(0.01)),
      masked: optim.masked(optim.adam(0.1), (path) => path === "w"),
      injectHyperparams: optim.injectHyperparams((h: { lr: number }) => optim.adam(h.lr))({
        lr: cos,
      }),
    };
    for (const [name, tx] of Object.entries(txs)) {
      let state = tx.init(p);
      let u: unknown;
      let q = p;
      for (let i = 0; i < 3; i++) {
        [u, state] = tx.update(g, state, q);
        q = optim.applyUpdates(q, u);
      }
      deepEqual([...new Set(tree.leaves<Array>(u).map((x) => x.dtype))], ["float32"], name);
      const moments = tree.leaves<Array>(state).filter((x) => x.ndim > 0);
      ok(moments.every((x) => x.dtype === "float32"), `${name} state`);
      deepEqual([q.w.dtype, q.b.dtype], ["float32", "float32"], name);
    }
  });
});
