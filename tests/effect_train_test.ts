// @nabla/ad/effect, training streams: one report per step, restart and resume, typed failures with
// their fields, interruption within a bounded number of steps, virtual time, stopping rules
// (Keras early stopping), evaluation, metrics and fit.
import { describe, it } from "node:test";
import process from "node:process";
import { deepEqual, equal, ok } from "node:assert/strict";
import {
  Cause,
  Deferred,
  Effect,
  Exit,
  Fiber,
  Logger,
  Metric,
  Option,
  References,
  Schedule,
  Stream,
} from "effect";
import { TestClock } from "effect/testing";
import { type Array, np, optim, valueAndGrad } from "../mod.ts";
import {
  type EarlyStoppingOptions,
  type GradientTransformation,
  NonFiniteLoss,
  type StepReport,
  Train,
  type TrainState,
} from "../src/effect/mod.ts";

/** Plain gradient descent (u = −lr g), as a gradient transformation with no state. */
function sgd(lr: number): GradientTransformation<null> {
  return {
    init: () => null,
    update: (g) => [np.multiply(g as Array, -lr), null] as const,
  };
}

type W = Array;
const quadratic = (w: W) => np.sum(np.square(np.subtract(w, 3)));
const run = <A, E>(e: Effect.Effect<A, E>) => Effect.runPromise(e);
const collect = <A, E>(s: Stream.Stream<A, E>) => run(Stream.runCollect(s));

/** Spins for `ms` of wall time (a CPU-bound step). */
function spin(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) { /* busy */ }
}

describe("Train.stream", () => {
  it("emits one report per step with the documented numbering", async () => {
    const reports = await collect(
      Train.stream({ loss: quadratic, params: np.array([0, 1]), optimizer: sgd(0.1) }).pipe(
        Stream.take(5),
      ),
    );
    equal(reports.length, 5);
    deepEqual(reports.map((r) => r.step), [0, 1, 2, 3, 4]);
    deepEqual(reports.map((r) => r.state.step), [1, 2, 3, 4, 5]);
    // step k reports the loss at the params after k updates: w_k = 3 − (3 − w_0)·0.8^k
    reports.forEach((r, k) => {
      const w = [3 - 3 * 0.8 ** k, 3 - 2 * 0.8 ** k];
      const loss = (w[0] - 3) ** 2 + (w[1] - 3) ** 2;
      ok(Math.abs(r.loss - loss) < 1e-12, `loss at step ${k}`);
      ok(Math.abs(r.gradNorm - 2 * Math.sqrt(loss)) < 1e-12, `grad norm at step ${k}`);
      ok(r.stepMillis >= 0 && r.elapsedMillis >= 0);
      equal(r.aux, undefined);
      equal(r.epoch, undefined);
    });
    const w5 = reports[4].state.params.tolist() as number[];
    ok(Math.abs(w5[0] - (3 - 3 * 0.8 ** 5)) < 1e-12);
  });

  it("computes lazily: take(3) runs three steps", async () => {
    let calls = 0;
    const loss = (w: W) => {
      calls++;
      return quadratic(w);
    };
    await collect(
      Train.stream({ loss, params: np.array([0]), optimizer: sgd(0.1), data: [1, 2, 3, 4, 5, 6] })
        .pipe(Stream.take(3)),
    );
    equal(calls, 3);
  });

  it("restarts on every run and resumes from initialState", async () => {
    const s = Train.stream({ loss: quadratic, params: np.array([0]), optimizer: sgd(0.1) });
    const a = await collect(s.pipe(Stream.take(3)));
    const b = await collect(s.pipe(Stream.take(3)));
    deepEqual(a.map((r) => r.loss), b.map((r) => r.loss));
    const resumed = await collect(
      Train.stream({
        loss: quadratic,
        params: np.array([0]),
        optimizer: sgd(0.1),
        initialState: a[2].state,
      }).pipe(Stream.take(2)),
    );
    const straight = await collect(s.pipe(Stream.take(5)));
    deepEqual(resumed.map((r) => r.step), [3, 4]);
    deepEqual(resumed.map((r) => r.loss), straight.slice(3).map((r) => r.loss));
  });

  it("feeds data elements to the loss, one step each, and ends with the data", async () => {
    const data = [np.array([1]), np.array([2]), np.array([3])];
    const seen: number[] = [];
    const loss = (w: W, x: Array) => {
      seen.push(x.item() as number);
      return np.sum(np.square(np.subtract(w, x)));
    };
    const fromIterable = await collect(
      Train.stream({ loss, params: np.array([0]), optimizer: sgd(0.5), data }),
    );
    equal(fromIterable.length, 3);
    const fromStream = await collect(
      Train.stream({
        loss,
        params: np.array([0]),
        optimizer: sgd(0.5),
        data: Stream.fromIterable(data),
      }),
    );
    deepEqual(fromStream.map((r) => r.loss), fromIterable.map((r) => r.loss));
    deepEqual(seen, [1, 2, 3, 1, 2, 3]);
  });

  it("passes aux through with hasAux and reports the learning rate of injectHyperparams states", async () => {
    const optimizer: GradientTransformation = {
      init: () => ({ count: 0, hyperparams: { learningRate: 0.1 }, inner: null }),
      update: (g, s) => {
        const count = (s as { count: number }).count + 1;
        return [np.multiply(g as Array, -0.1), {
          count,
          hyperparams: { learningRate: 0.1 / count },
          inner: null,
        }];
      },
    };
    const reports = await collect(
      Train.stream({
        loss: (w: W) => [quadratic(w), { norm: np.abs(w) }] as const,
        params: np.array([1]),
        optimizer,
        hasAux: true,
      }).pipe(Stream.take(2)),
    );
    deepEqual(reports[0].aux.norm.tolist(), [1]);
    deepEqual(reports.map((r) => r.learningRate), [0.1, 0.05]);
  });
});

describe("Train.stream with optim", () => {
  it("reports the learning rate of optim.injectHyperparams at each step", async () => {
    const make = optim.injectHyperparams((h: { learningRate: number }) =>
      optim.sgd(h.learningRate)
    );
    const reports = await collect(
      Train.stream({
        loss: quadratic,
        params: np.array([0]),
        optimizer: make({ learningRate: (n) => 0.1 / (n + 1) }),
      }).pipe(Stream.take(3)),
    );
    deepEqual(reports.map((r) => r.learningRate), [0.1, 0.05, 0.1 / 3]);
    // w1 = 0 + 0.1·6, w2 = w1 + 0.05·2(3 − w1)
    ok(Math.abs((reports[1].state.params.item() as number) - (0.6 + 0.05 * 2 * 2.4)) < 1e-12);
  });

  it("matches a plain optim loop step for step (adam)", async () => {
    const tx = optim.adam(0.05);
    const reports = await collect(
      Train.stream({ loss: quadratic, params: np.array([0, 1]), optimizer: tx }).pipe(
        Stream.take(5),
      ),
    );
    let params = np.array([0, 1]);
    let state = tx.init(params);
    const vg = valueAndGrad(quadratic);
    for (const r of reports) {
      const [value, g] = vg(params);
      equal(r.loss, value.item());
      const [u, next] = tx.update(g, state, params);
      params = optim.applyUpdates(params, u);
      state = next;
      deepEqual(r.state.params.tolist(), params.tolist());
    }
  });
});

describe("Train.stream failures", () => {
  it("fails with NonFiniteLoss: the step, the loss, the leaves by path, the last finite state", async () => {
    // lr 1.1 on x² diverges: |w| grows by 1.2 each step until it overflows
    const exit = await Effect.runPromiseExit(
      Train.stream({
        loss: (p: { a: W; b: { c: W } }) => np.add(np.sum(np.square(p.a)), np.sum(p.b.c)),
        params: { a: np.array([1e308]), b: { c: np.array([1]) } },
        optimizer: {
          init: () => null,
          update: (
            g,
          ) => [{ a: np.multiply((g as { a: Array }).a, -1.1), b: { c: np.zeros([1]) } }, null],
        },
      }).pipe(Stream.runDrain),
    );
    ok(Exit.isFailure(exit));
    const e = Cause.findErrorOption(exit.cause).pipe(Option.getOrThrow) as NonFiniteLoss;
    ok(e instanceof NonFiniteLoss);
    equal(e._tag, "NonFiniteLoss");
    equal(e.step, 0);
    equal(e.loss, Infinity);
    deepEqual(e.leaves, ["a"]);
    equal(e.state.step, 0);
    deepEqual((e.state.params as { a: Array }).a.tolist(), [1e308]);
    ok(e.message.includes("step 0"));
  });

  it("huge but finite gradients are no failure (the norm does not overflow)", async () => {
    const [r] = await collect(
      Train.stream({
        loss: (w: W) => np.sum(np.multiply(w, 2e200)),
        params: np.array([1, 1]),
        optimizer: sgd(0),
      })
        .pipe(Stream.take(1)),
    );
    ok(Math.abs(r.gradNorm / (2 * Math.SQRT2 * 1e200) - 1) < 1e-14, `${r.gradNorm}`);
  });

  it("the failure's state restarts training with a smaller learning rate", async () => {
    // the first update overflows the parameters: the failure keeps the finite state before it
    const params = np.array([1]);
    const loss = (w: W) => np.sum(w);
    const failed = await run(Effect.flip(
      Train.stream({ loss, params, optimizer: sgd(Infinity) }).pipe(Stream.runDrain),
    ));
    equal(failed._tag, "NonFiniteLoss");
    const e = failed as NonFiniteLoss;
    equal(e.step, 0);
    equal(e.loss, 1);
    deepEqual(e.leaves, [""]);
    ok(e.message.includes("parameters"), e.message);
    equal(e.state.step, 0);
    const retried = await collect(
      Train.stream({ loss, params, optimizer: sgd(0.01), initialState: e.state as TrainState<W> })
        .pipe(Stream.take(3)),
    );
    equal(retried[0].step, e.step);
    ok(retried[2].loss < retried[0].loss);
    ok(Number.isFinite(retried[2].loss));
  });

  it("checkFinite 'loss' ignores gradients, false ignores everything", async () => {
    const loss = (w: W) => np.sum(np.sqrt(np.abs(w))); // gradient ±∞ at 0, loss finite
    const params = np.array([0, 1]);
    const frozen: GradientTransformation<null> = {
      init: () => null,
      update: (g) => [np.zerosLike(g as Array), null],
    };
    const first = await run(Effect.flip(
      Train.stream({ loss, params, optimizer: frozen }).pipe(Stream.runDrain),
    ));
    deepEqual((first as NonFiniteLoss).leaves, [""]);
    const onlyLoss = await collect(
      Train.stream({ loss, params, optimizer: frozen, checkFinite: "loss" }).pipe(Stream.take(2)),
    );
    ok(onlyLoss[0].gradNorm === Infinity);
    equal(onlyLoss.length, 2);
    const none = await collect(
      Train.stream({ loss: () => np.array(NaN), params, optimizer: sgd(0), checkFinite: false })
        .pipe(Stream.take(2)),
    );
    ok(Number.isNaN(none[1].loss));
  });

  it("nabla's escaped tracers and concretization errors are typed failures with the step", async () => {
    let leaked: unknown;
    const escaped = await run(Effect.flip(
      Train.stream({
        loss: (w: W, i: number) => {
          if (i === 0) leaked = w;
          return i === 2 ? np.sum(np.multiply(leaked as Array, w)) : quadratic(w);
        },
        params: np.array([0]),
        optimizer: sgd(0.1),
        data: [0, 1, 2],
      }).pipe(Stream.runDrain),
    ));
    equal(escaped._tag, "EscapedTracer");
    equal((escaped as { step?: number }).step, 2);
    const other = await Effect.runPromiseExit(
      Train.stream({
        loss: () => {
          throw new Error("boom");
        },
        params: np.array([0]),
        optimizer: sgd(0.1),
      }).pipe(Stream.runDrain),
    );
    ok(Exit.isFailure(other) && Cause.hasDies(other.cause), "other throws are defects");
  });
});

describe("Train.stream scheduling", () => {
  const slow = (ms: number) => (w: W) => {
    spin(ms);
    return quadratic(w);
  };

  /** Runs a CPU-bound stream in a fiber, interrupts it `after` the 3rd step; steps run after. */
  const stepsAfterInterrupt = (
    o: { stepMs: number; after: string; yieldEvery?: { steps: number } },
  ) =>
    run(Effect.gen(function* () {
      let steps = 0;
      const started = yield* Deferred.make<void>();
      const fiber = yield* Train.stream({
        loss: slow(o.stepMs),
        params: np.array([0]),
        optimizer: sgd(0.1),
        ...(o.yieldEvery ? { yieldEvery: o.yieldEvery } : {}),
      }).pipe(
        Stream.runForEach(() =>
          Effect.suspend(() => ++steps === 3 ? Deferred.succeed(started, undefined) : Effect.void)
        ),
        Effect.forkChild,
      );
      yield* Deferred.await(started);
      yield* Effect.sleep(o.after as "1 millis");
      const atInterrupt = steps;
      yield* Fiber.interrupt(fiber);
      return steps - atInterrupt;
    }));

  it("Fiber.interrupt stops a CPU-bound stream within 2 steps", async () => {
    const after = await stepsAfterInterrupt({ stepMs: 3, after: "30 millis" });
    ok(after <= 2, `${after} steps after Fiber.interrupt`);
  });

  it("yieldEvery steps hands the thread back every n steps", async () => {
    const after = await stepsAfterInterrupt({
      stepMs: 1,
      after: "15 millis",
      yieldEvery: { steps: 1 },
    });
    ok(after <= 1, `${after} steps after Fiber.interrupt`);
  });

  it("Effect.timeout acts within about one time slice", async () => {
    const times: number[] = [];
    const t0 = performance.now();
    const exit = await Effect.runPromiseExit(
      Train.stream({ loss: slow(2), params: np.array([0]), optimizer: sgd(0.1) }).pipe(
        Stream.runForEach(() => Effect.sync(() => void times.push(performance.now() - t0))),
        Effect.timeout("50 millis"),
      ),
    );
    ok(Exit.isFailure(exit) && Cause.hasFails(exit.cause), "a TimeoutError");
    // a 10 ms slice is about 5 steps of 2 ms; the machine may be loaded, so allow some slack
    const late = times.filter((t) => t > 50).length;
    ok(late <= 12, `${late} steps after the deadline`);
  });

  it("interruptOnSignal ends the stream gracefully on the signal, and removes its listener", async () => {
    const before = process.listenerCount("SIGTERM");
    let steps = 0;
    const result = await run(
      Train.stream({ loss: slow(1), params: np.array([0]), optimizer: sgd(0.1) }).pipe(
        Stream.tap(() =>
          Effect.sync(() => {
            if (++steps === 3) process.emit("SIGTERM" as never);
          })
        ),
        Train.interruptOnSignal("SIGTERM"),
        Train.fit,
      ),
    );
    // the halt lands at the next yield: within a 10 ms slice of 1 ms steps
    ok(result.steps >= 3 && result.steps <= 20, `${result.steps} steps`);
    equal(process.listenerCount("SIGTERM"), before);
  });

  it("reports virtual elapsed time under TestClock", async () => {
    const reports = await run(
      Effect.gen(function* () {
        return yield* Train.stream({ loss: quadratic, params: np.array([0]), optimizer: sgd(0.1) })
          .pipe(
            Stream.tap(() => TestClock.adjust("1 second")),
            Stream.take(3),
            Stream.runCollect,
          );
      }).pipe(Effect.provide(TestClock.layer())),
    );
    deepEqual(reports.map((r) => r.elapsedMillis), [0, 1000, 2000]);
  });

  it("stopWith(Schedule.upTo) stops on a Clock budget (virtual time)", async () => {
    const reports = await run(
      Effect.gen(function* () {
        return yield* Train.stream({ loss: quadratic, params: np.array([0]), optimizer: sgd(0.1) })
          .pipe(
            Stream.tap(() => TestClock.adjust("1 second")),
            Train.stopWith(Schedule.upTo(Schedule.forever, { duration: "4500 millis" })),
            Stream.runCollect,
          );
      }).pipe(Effect.provide(TestClock.layer())),
    );
    ok(reports.length >= 4 && reports.length <= 6, `${reports.length} reports`);
  });
});

describe("stopping rules", () => {
  const losses = (xs: number[]) => Stream.fromIterable(xs.map((loss) => ({ loss })));
  const stopAt = async (xs: number[], o: EarlyStoppingOptions<{ readonly loss: number }>) =>
    (await collect(losses(xs).pipe(Train.earlyStopping(o)))).map((r) => r.loss);

  it("until emits the first report satisfying the predicate, then stops", async () => {
    deepEqual(
      (await collect(losses([5, 4, 3, 2, 1]).pipe(Train.until((r) => r.loss <= 3)))).map((r) =>
        r.loss
      ),
      [5, 4, 3],
    );
  });

  it("stopWith: recurs(n) gives n + 1 reports; while stops on its first false", async () => {
    const xs = Stream.range(0, 100);
    deepEqual(await collect(xs.pipe(Train.stopWith(Schedule.recurs(3)))), [0, 1, 2, 3]);
    const tolerance = Schedule.identity<number>().pipe(Schedule.while(({ input }) => input < 4));
    deepEqual(await collect(xs.pipe(Train.stopWith(tolerance))), [0, 1, 2, 3, 4]);
    const first = Schedule.max([Schedule.recurs(10), Schedule.recurs(2)]);
    deepEqual(await collect(xs.pipe(Train.stopWith(first))), [0, 1, 2]);
    const s = xs.pipe(Train.stopWith(Schedule.recurs(1)));
    deepEqual([await collect(s), await collect(s)], [[0, 1], [0, 1]], "fresh per run");
  });

  it("earlyStopping follows Keras: patience, minDelta, mode", async () => {
    // patience 2: stop on the second consecutive non-improvement
    deepEqual(await stopAt([3, 2, 2.5, 2.2, 1], { patience: 2 }), [3, 2, 2.5, 2.2]);
    // an improvement resets the counter
    deepEqual(await stopAt([3, 2, 2.5, 1, 1.5, 1.2, 0], { patience: 2 }), [3, 2, 2.5, 1, 1.5, 1.2]);
    // patience 0 stops on the first non-improvement
    deepEqual(await stopAt([3, 2, 2], { patience: 0 }), [3, 2, 2]);
    // minDelta: 1.95 beats 2 by less than 0.1, so it is no improvement
    deepEqual(await stopAt([3, 2, 1.95, 1.92], { patience: 2, minDelta: 0.1 }), [3, 2, 1.95, 1.92]);
    // mode max with a monitor
    deepEqual(
      await stopAt([1, 2, 1.5, 3, 2, 2], { patience: 2, mode: "max", monitor: (r) => -r.loss }),
      [1, 2, 1.5],
    );
    // never stops while improving
    deepEqual(await stopAt([5, 4, 3, 2, 1], { patience: 0 }), [5, 4, 3, 2, 1]);
    // a NaN loss is no improvement; the first element never stops the stream
    deepEqual(await stopAt([NaN, NaN, 1], { patience: 0 }), [NaN, NaN]);
  });

  it("earlyStopping skips elements whose monitor is undefined and restarts per run", async () => {
    const s = losses([3, 2, 2.5, 2.2, 1]).pipe(
      Stream.map((r, i) => ({ ...r, val: i % 2 === 0 ? r.loss : undefined })),
      Train.earlyStopping({ patience: 1, monitor: (r) => r.val }),
    );
    deepEqual((await collect(s)).map((r) => r.loss), [3, 2, 2.5, 2.2, 1]);
    const t = losses([3, 2, 2.5]).pipe(Train.earlyStopping({ patience: 1 }));
    deepEqual([(await collect(t)).length, (await collect(t)).length], [3, 3]);
  });

  it("Train.stream rejects bad options with the argument named", () => {
    const message = (f: () => unknown) => {
      try {
        f();
      } catch (e) {
        return (e as Error).message;
      }
      return "";
    };
    const base = { loss: quadratic, params: np.array([0]), optimizer: sgd(0.1) };
    ok(
      message(() => Train.stream({ ...base, checkFinite: "all" as never })).includes("checkFinite"),
    );
    ok(message(() => Train.stream({ ...base, optimizer: {} as never })).includes("optimizer"));
    ok(
      message(() => Train.stream({ ...base, yieldEvery: { steps: 0 } })).includes(
        "yieldEvery.steps",
      ),
    );
  });

  it("rejects bad options with the argument named", () => {
    let message = "";
    try {
      Train.earlyStopping({ patience: -1 });
    } catch (e) {
      message = (e as Error).message;
    }
    ok(message.includes("patience") && message.includes("-1"), message);
  });
});

describe("evaluation, logging, metrics, fit", () => {
  const base = () => Train.stream({ loss: quadratic, params: np.array([0]), optimizer: sgd(0.1) });

  it("evaluateEvery attaches the evaluation every n steps; fit keeps last and best", async () => {
    const result = await run(
      base().pipe(
        Stream.take(9),
        Train.evaluateEvery(3, (s) => Effect.succeed((s.params as Array).item() as number)),
        Train.fit,
      ),
    );
    equal(result.steps, 9);
    equal(result.state.step, 9);
    const last = Option.getOrThrow(result.last) as StepReport<Array, unknown> & { eval?: number };
    ok(Math.abs(last.eval! - (3 - 3 * 0.8 ** 9)) < 1e-12);
    equal(Option.getOrThrow(result.best).step, 8);
  });

  it("fit on an empty stream is a defect that says so", async () => {
    const exit = await Effect.runPromiseExit(base().pipe(Stream.take(0), Train.fit));
    ok(Exit.isFailure(exit) && Cause.hasDies(exit.cause));
  });

  it("withMetrics records loss, grad norm, steps and step times under its prefix", async () => {
    const [steps, loss] = await run(Effect.gen(function* () {
      yield* base().pipe(Stream.take(6), Train.withMetrics("mtest"), Stream.runDrain);
      return [
        (yield* Metric.value(Metric.counter("mtest_steps"))).count,
        (yield* Metric.value(Metric.gauge("mtest_loss"))).value,
      ];
    }));
    equal(steps, 6);
    ok(Math.abs((loss as number) - 9 * 0.8 ** 10) < 1e-12);
  });

  it("logEvery logs every n steps with annotations", async () => {
    const lines: [unknown, unknown][] = [];
    const logger = Logger.make((o) => {
      const annotations = o.fiber.getRef(References.CurrentLogAnnotations);
      lines.push([o.message, annotations.step]);
    });
    await run(
      base().pipe(Stream.take(5), Train.logEvery(2, "quad"), Stream.runDrain).pipe(
        Effect.provide(Logger.layer([logger])),
      ),
    );
    deepEqual(lines.map(([, step]) => step), [0, 2, 4]);
    ok(String(lines[1][0]).includes("quad step 2 loss"), String(lines[1][0]));
  });
});
