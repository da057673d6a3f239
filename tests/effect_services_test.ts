// @nabla/ad/effect, services and pipelines: Progress (terminal bar, log lines, collector),
// TrainConfig (layers, Effect Config), Data.batches (shuffled epochs from keys, with Train.stream),
// Sweep (grid, random, concurrent trials with failures as results and per-trial services), and
// the core's independence from Effect (mod.ts's import graph never reaches `effect`).
import { describe, it } from "node:test";
import { deepEqual, equal, match, ok } from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { ConfigProvider, Context, Effect, Layer, Ref, Result, Stream } from "effect";
import { type Array, np, optim, random } from "../mod.ts";
import { Data, Progress, type StepReport, Sweep, Train, TrainConfig } from "../src/effect/mod.ts";

const root = fileURLToPath(new URL("../", import.meta.url));
const run = <A, E>(e: Effect.Effect<A, E>) => Effect.runPromise(e);
const quadratic = (w: Array) => np.sum(np.square(np.subtract(w, 3)));
const base = () =>
  Train.stream({ loss: quadratic, params: np.array([0]), optimizer: optim.sgd(0.1) });

describe("Progress", () => {
  it("layerCollect receives every report in order", async () => {
    const steps = await run(Effect.gen(function* () {
      const ref = yield* Ref.make<ReadonlyArray<StepReport<unknown, unknown>>>([]);
      yield* base().pipe(Stream.take(5), Progress.withProgress, Stream.runDrain).pipe(
        Effect.provide(Progress.layerCollect(ref)),
      );
      return (yield* Ref.get(ref)).map((r) => r.step);
    }));
    deepEqual(steps, [0, 1, 2, 3, 4]);
  });

  it("layerTerminal draws a bar (in place on a tty, lines otherwise) and ends the line", async () => {
    let tty = "";
    await run(
      base().pipe(Stream.take(10), Progress.withProgress, Stream.runDrain).pipe(
        Effect.provide(
          Progress.layerTerminal({ total: 10, width: 10, tty: true, write: (s) => (tty += s) }),
        ),
      ),
    );
    match(tty, /\r\[==========\] 100% step 10\/10 loss \d\.\d{4}/);
    ok(tty.endsWith("\n"));
    let lines = "";
    await run(
      base().pipe(Stream.take(3), Progress.withProgress, Stream.runDrain).pipe(
        Effect.provide(Progress.layerTerminal({ tty: false, write: (s) => (lines += s) })),
      ),
    );
    ok(!lines.includes("\r"));
    match(lines, /step 3 loss/);
  });

  it("the default reporter is silent and withProgress changes nothing", async () => {
    const n = await run(Stream.runCount(base().pipe(Stream.take(4), Progress.withProgress)));
    equal(n, 4);
  });
});

describe("TrainConfig", () => {
  it("layer fills in defaults and validates", async () => {
    const c = await run(
      Effect.provide(TrainConfig.TrainConfig, TrainConfig.layer({ learningRate: 0.5 })),
    );
    deepEqual(c, { ...TrainConfig.defaults, learningRate: 0.5 });
    let message = "";
    try {
      TrainConfig.layer({ maxSteps: -1 });
    } catch (e) {
      message = (e as Error).message;
    }
    ok(message.includes("maxSteps") && message.includes("-1"), message);
  });

  it("layerFromConfig reads NABLA_* through Effect's Config; bad values are ConfigErrors", async () => {
    const provider = (env: Record<string, string>) =>
      ConfigProvider.layer(ConfigProvider.fromUnknown(env));
    const read = (env: Record<string, string>) =>
      Effect.provide(
        TrainConfig.TrainConfig,
        TrainConfig.layerFromConfig.pipe(Layer.provide(provider(env))),
      );
    const c = await run(
      read({ NABLA_LEARNING_RATE: "0.02", NABLA_MAX_STEPS: "300", NABLA_SEED: "7" }),
    );
    deepEqual(c, { learningRate: 0.02, maxSteps: 300, patience: 10, logEvery: 100, seed: 7 });
    const bad = await run(Effect.result(read({ NABLA_MAX_STEPS: "many" })));
    ok(Result.isFailure(bad));
  });
});

describe("Data.batches", () => {
  const data = { x: np.arange(14).reshape([7, 2]), y: np.arange(7) };

  it("visits every example once per epoch, reshuffled per epoch, reproducibly", async () => {
    const key = random.key(3);
    const out = await run(Stream.runCollect(Data.batches(data, { batchSize: 3, key, epochs: 3 })));
    deepEqual(out.map((b) => [b.epoch, b.index]), [
      [0, 0],
      [0, 1],
      [0, 2],
      [1, 0],
      [1, 1],
      [1, 2],
      [2, 0],
      [2, 1],
      [2, 2],
    ]);
    const orders = [0, 1, 2].map((e) =>
      out.filter((b) => b.epoch === e).flatMap((b) => b.data.y.tolist() as number[])
    );
    for (const o of orders) deepEqual([...o].sort(), [0, 1, 2, 3, 4, 5, 6]);
    ok(orders[0].join() !== orders[1].join(), "epochs are shuffled differently");
    // epoch e uses permutation(foldIn(key, e), n)
    deepEqual(orders[1], random.permutation(random.foldIn(key, 1), 7).tolist());
    // x rows follow y
    for (const b of out) {
      deepEqual(b.data.x.tolist(), (b.data.y.tolist() as number[]).map((i) => [2 * i, 2 * i + 1]));
    }
    const again = await run(
      Stream.runCollect(Data.batches(data, { batchSize: 3, key, epochs: 3 })),
    );
    deepEqual(again.map((b) => b.data.y.tolist()), out.map((b) => b.data.y.tolist()));
  });

  it("dropLast, no key (in order), forever by default", async () => {
    const dropped = await run(
      Stream.runCollect(Data.batches(data, { batchSize: 3, dropLast: true, epochs: 1 })),
    );
    deepEqual(dropped.map((b) => b.data.y.tolist()), [[0, 1, 2], [3, 4, 5]]);
    const forever = await run(
      Stream.runCollect(Data.batches(data, { batchSize: 4 }).pipe(Stream.take(5))),
    );
    deepEqual(forever.map((b) => b.epoch), [0, 0, 1, 1, 2]);
  });

  it("refuses leaves of different lengths and bad sizes", () => {
    let message = "";
    try {
      Data.batches({ x: np.ones([3]), y: np.ones([4]) }, { batchSize: 2 });
    } catch (e) {
      message = (e as Error).message;
    }
    ok(message.includes("[3], [4]"), message);
    let size = "";
    try {
      Data.batches(data, { batchSize: 0 });
    } catch (e) {
      size = (e as Error).message;
    }
    ok(size.includes("batchSize") && size.includes("0"), size);
  });

  it("feeds Train.stream minibatches, with epoch and batchIndex in the reports", async () => {
    const xs = np.linspace(-1, 1, 8);
    const ys = np.add(np.multiply(xs, 2), 1);
    type B = Data.Batch<{ x: Array; y: Array }>;
    const loss = (p: { a: Array; b: Array }, batch: B) =>
      np.mean(np.square(np.subtract(np.add(np.multiply(batch.data.x, p.a), p.b), batch.data.y)));
    const reports = await run(Stream.runCollect(
      Train.stream({
        loss,
        params: { a: np.array(0), b: np.array(0) },
        optimizer: optim.adam(0.1),
        data: Data.batches({ x: xs, y: ys }, { batchSize: 4, key: random.key(0) }),
      }).pipe(Stream.take(300)),
    ));
    deepEqual(reports.slice(0, 4).map((r) => [r.epoch, r.batchIndex]), [[0, 0], [0, 1], [1, 0], [
      1,
      1,
    ]]);
    const p = reports.at(-1)!.state.params;
    ok(Math.abs((p.a.item() as number) - 2) < 1e-2 && Math.abs((p.b.item() as number) - 1) < 1e-2);
  });
});

describe("Sweep", () => {
  it("grid enumerates the product, first key slowest", () => {
    deepEqual(Sweep.grid({ a: [1, 2], b: ["x", "y", "z"] }).map((p) => `${p.a}${p.b}`), [
      "1x",
      "1y",
      "1z",
      "2x",
      "2y",
      "2z",
    ]);
    deepEqual(Sweep.grid({}), [{}]);
  });

  it("random draws each field from its own key, reproducibly", () => {
    const space = {
      lr: (k: Array) => 10 ** (random.uniform(k, [], { minval: -4, maxval: -1 }).item() as number),
      width: (k: Array) => [8, 16, 32][random.randint(k, [], 0, 3).item() as number],
    };
    const a = Sweep.random(random.key(1), space, 6);
    const b = Sweep.random(random.key(1), space, 6);
    deepEqual(a, b);
    ok(a.every((p) => p.lr >= 1e-4 && p.lr <= 1e-1 && [8, 16, 32].includes(p.width)));
    ok(new Set(a.map((p) => p.lr)).size === 6);
    deepEqual(Sweep.random(random.key(1), space, 0), []);
  });

  it("runs trials concurrently (interleaved), keeps failures as results, in order", async () => {
    const trial = ({ lr }: { lr: number }) =>
      Train.stream({
        loss: quadratic,
        params: np.array([0]),
        optimizer: optim.sgd(lr),
        yieldEvery: { steps: 1 },
      })
        .pipe(
          Stream.take(30),
          Train.withMetrics(`sweep_lr_${lr}`),
          Train.fit,
          Effect.map((r) => r.state.params.item() as number),
        );
    const order: number[] = [];
    const trials = await run(Sweep.sweep(
      Sweep.grid({ lr: [0.1, 1e200, 0.05] }),
      (h) => trial(h).pipe(Effect.tap(() => Effect.sync(() => void order.push(h.lr)))),
      { concurrency: "unbounded" },
    ));
    deepEqual(trials.map((t) => t.params.lr), [0.1, 1e200, 0.05]);
    ok(Result.isSuccess(trials[0].result) && Math.abs(trials[0].result.success - 3) < 1e-2);
    ok(Result.isFailure(trials[1].result) && trials[1].result.failure._tag === "NonFiniteLoss");
    ok(Result.isSuccess(trials[2].result));
    deepEqual(order, [0.1, 0.05], "the trials ran side by side; the diverging one failed first");
  });

  it("provides per-trial services built for each trial alone", async () => {
    class Seed extends Context.Service<Seed, { readonly value: number }>()("test/Seed") {}
    let builds = 0;
    const trials = await run(Sweep.sweep(
      [1, 2, 3],
      () => Effect.map(Seed, (s) => s.value * 10),
      {
        concurrency: 2,
        provide: (h) => Layer.sync(Seed, () => (builds++, { value: h })),
      },
    ));
    deepEqual(trials.map((t) => Result.isSuccess(t.result) && t.result.success), [10, 20, 30]);
    equal(builds, 3);
  });
});

describe("the core does not depend on Effect", () => {
  it("mod.ts's import graph never reaches the effect package", () => {
    const seen = new Set<string>();
    const external: string[] = [];
    const visit = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      const text = readFileSync(`${root}${file}`, "utf8");
      for (
        const m of text.matchAll(
          /^\s*(?:import|export)\b[^;]*?\bfrom\s+"([^"]+)"|^\s*import\s+"([^"]+)"/gm,
        )
      ) {
        const spec = m[1] ?? m[2];
        if (spec.startsWith(".")) {
          visit(new URL(spec, `file://${root}${file}`).pathname.slice(root.length));
        } else external.push(`${file}: ${spec}`);
      }
    };
    visit("mod.ts");
    ok(seen.size > 50, `walked ${seen.size} modules`);
    ok(!seen.has("src/effect/mod.ts"));
    deepEqual(external.filter((e) => /(^|: )(npm:)?effect(\/|@|$)/.test(e)), []);
    deepEqual(
      external.filter((e) => !/: node:/.test(e)),
      [],
      "the core imports nothing but node: builtins",
    );
  });

  it("the ./effect entry is exported and effect is its npm dependency", () => {
    const deno = JSON.parse(readFileSync(`${root}deno.json`, "utf8").replace(/^\s*\/\/.*$/gm, ""));
    equal(deno.exports["./effect"], "./src/effect/mod.ts");
    equal(deno.imports.effect, "npm:effect@^4.1.0");
    const pkg = JSON.parse(readFileSync(`${root}package.json`, "utf8"));
    equal(pkg.dependencies.effect, "^4.1.0");
  });
});
