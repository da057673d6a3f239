// optim: optax's gradient transformations. Values against real optax (float64) come from
// tests/fixtures/optim/optim.json, made by make_fixtures.py beside it; here also the contract
// (states are trees of arrays, chain composes, bad arguments are named) and training converges.
import { describe, it } from "node:test";
import { deepEqual, equal, ok, throws } from "node:assert/strict";
import { type Array, Array as NArray, np, optim, tree, valueAndGrad } from "../mod.ts";
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
const toArrays = (t: unknown) => tree.map((x: number[]) => np.array(x), t);
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
    throws(
      () => optim.addDecayedWeights(0.1).update(np.array(1), null),
      /addDecayedWeights: update needs the parameters/,
    );
  });
});
