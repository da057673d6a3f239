// @nabla/ad/effect, checkpoints: exact round trips (NaN payloads, −0, every dtype, optimizer
// states), corrupt bytes as typed failures, the memory and directory checkpointers (atomic writes,
// keep), checkpointEvery on success, failure and interruption, restoreOrInit and matchTemplate.
import { describe, it } from "node:test";
import { deepEqual, equal, ok } from "node:assert/strict";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Cause, Deferred, Effect, Exit, Fiber, Layer, Option, Stream } from "effect";
import { type Array, np, optim } from "../mod.ts";
import {
  Checkpoint,
  Checkpointer,
  type CheckpointError,
  type GradientTransformation,
  type NonFiniteLoss,
  Train,
  type TrainState,
} from "../src/effect/mod.ts";

const root = fileURLToPath(new URL("../", import.meta.url));
const outDir = `${root}examples/out/test`;
const run = <A, E>(e: Effect.Effect<A, E>) => Effect.runPromise(e);

/** A fresh directory under examples/out/test (writable under `deno task test`). */
function freshDir(name: string): string {
  const dir = `${outDir}/${name}`;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  return dir;
}

const sameBits = (a: Array, b: Array) => {
  equal(a.dtype, b.dtype);
  deepEqual(a.shape, b.shape);
  const x = new Uint8Array(
    a.data.buffer.slice(a.data.byteOffset, a.data.byteOffset + a.data.byteLength),
  );
  const y = new Uint8Array(
    b.data.buffer.slice(b.data.byteOffset, b.data.byteOffset + b.data.byteLength),
  );
  deepEqual(x, y);
};

const quadratic = (w: Array) => np.sum(np.square(np.subtract(w, 3)));

describe("Checkpoint.encode / decode", () => {
  it("round-trips exactly: NaN payloads, −0, ±∞, every dtype, nested trees, numbers, booleans", async () => {
    const weird = new Float64Array([NaN, -0, Infinity, -Infinity, 5e-324, 1 / 3]);
    new DataView(weird.buffer).setUint32(0, 0x7ff80001, true); // a NaN payload
    const state: TrainState<unknown> = {
      step: 42,
      params: {
        w: np.array(weird),
        f32: np.array([1.5, -0, NaN], { dtype: "float32" }),
        i: np.array([[1, -2], [3, 2147483647]], { dtype: "int32" }),
        b: np.array([true, false]),
        layers: [{ w: np.zeros([0, 3]) }, null],
        "key with spaces": np.array(2),
      },
      optState: [{ count: np.array(7), mu: np.ones([2]) }, null, {
        flag: true,
        n: -0,
        u: undefined,
      }],
    };
    const back = await run(Checkpoint.decode(Checkpoint.encode(state)));
    equal(back.step, 42);
    const p = back.params as Record<string, Array>;
    const q = state.params as Record<string, Array>;
    for (const k of ["w", "f32", "i", "b", "key with spaces"]) sameBits(p[k], q[k]);
    deepEqual((back.params as { layers: [{ w: Array }, null] }).layers[0].w.shape, [0, 3]);
    equal((back.params as { layers: unknown[] }).layers[1], null);
    const os = back.optState as [
      { count: Array; mu: Array },
      null,
      { flag: boolean; n: number; u: undefined },
    ];
    equal(os[0].count.item(), 7);
    equal(os[1], null);
    equal(os[2].flag, true);
    ok(Object.is(os[2].n, -0));
    ok("u" in os[2] && os[2].u === undefined);
  });

  it("round-trips a real optimizer state and resumes identically", async () => {
    const opt = optim.adam(0.1);
    const s = Train.stream({ loss: quadratic, params: np.array([0, 1]), optimizer: opt });
    const straight = await run(Stream.runCollect(s.pipe(Stream.take(6))));
    const saved = await run(Checkpoint.decode(Checkpoint.encode(straight[2].state)));
    const resumed = await run(Stream.runCollect(
      Train.stream({
        loss: quadratic,
        params: np.array([0, 1]),
        optimizer: opt,
        initialState: saved as TrainState<Array>,
      }).pipe(Stream.take(3)),
    ));
    deepEqual(resumed.map((r) => r.loss), straight.slice(3).map((r) => r.loss));
  });

  it("fails with CheckpointError 'Corrupt' on truncated, altered or foreign bytes", async () => {
    const bytes = Checkpoint.encode({ step: 1, params: { w: np.ones([8]) }, optState: null });
    const reasons = async (b: Uint8Array) => {
      const e = await run(Effect.flip(Checkpoint.decode(b)));
      equal(e._tag, "CheckpointError");
      return e.reason;
    };
    equal(await reasons(bytes.subarray(0, bytes.length - 1)), "Corrupt");
    equal(await reasons(bytes.subarray(0, 10)), "Corrupt");
    equal(await reasons(new Uint8Array(0)), "Corrupt");
    equal(await reasons(new TextEncoder().encode("not a checkpoint at all, clearly")), "Corrupt");
    for (const at of [3, 9, 17, 30, bytes.length - 5]) {
      const flipped = bytes.slice();
      flipped[at] ^= 0x10;
      equal(await reasons(flipped), "Corrupt", `byte ${at} altered`);
    }
    const e = await run(Effect.flip(Checkpoint.decode(bytes.subarray(0, 30))));
    ok(e.message.startsWith("Corrupt checkpoint"), e.message);
  });

  it("encode refuses what it cannot store, naming the path", () => {
    let message = "";
    try {
      Checkpoint.encode({ step: 0, params: { f: (() => 1) as never }, optState: null });
    } catch (err) {
      message = (err as Error).message;
    }
    ok(message.includes("function") && message.includes("params.f"), message);
  });
});

describe("Checkpointer layers", () => {
  const state = (step: number): TrainState<unknown> => ({
    step,
    params: { w: np.array([step, -0]) },
    optState: null,
  });

  it("layerMemory saves, lists, restores the latest or a given step; fresh per build", async () => {
    const program = Effect.gen(function* () {
      const cp = yield* Checkpointer;
      const empty = yield* cp.restore();
      for (const s of [3, 1, 2]) yield* cp.save(state(s));
      const steps = yield* cp.steps;
      const latest = Option.getOrThrow(yield* cp.restore());
      const one = Option.getOrThrow(yield* cp.restore(1));
      const missing = yield* Effect.flip(cp.restore(9));
      return { empty, steps, latest, one, missing };
    });
    const r = await run(program.pipe(Effect.provide(Checkpoint.layerMemory)));
    ok(Option.isNone(r.empty));
    deepEqual(r.steps, [1, 2, 3]);
    equal(r.latest.step, 3);
    deepEqual((r.one.params as { w: Array }).w.tolist(), [1, -0]);
    equal(r.missing.reason, "NotFound");
    const again = await run(
      Effect.flatMap(Checkpointer, (cp) => cp.steps).pipe(
        Effect.provide(Checkpoint.layerMemory),
      ),
    );
    deepEqual(again, []);
  });

  it("layerDirectory writes atomically, keeps the latest `keep`, survives a reopen", async () => {
    const dir = freshDir("ckpt-dir");
    await run(
      Effect.gen(function* () {
        const cp = yield* Checkpointer;
        for (const s of [1, 2, 3, 4]) yield* cp.save(state(s));
      }).pipe(Effect.provide(Checkpoint.layerDirectory(dir, { keep: 2 }))),
    );
    const files = readdirSync(dir).sort();
    equal(files.length, 2);
    ok(files.every((f) => f.endsWith(".nabla")), "no temporary files left");
    const r = await run(
      Effect.gen(function* () {
        const cp = yield* Checkpointer;
        return [yield* cp.steps, Option.getOrThrow(yield* cp.restore())] as const;
      }).pipe(Effect.provide(Checkpoint.layerDirectory(dir))),
    );
    deepEqual(r[0], [3, 4]);
    deepEqual((r[1].params as { w: Array }).w.tolist(), [4, -0]);
  });

  it("layerDirectory: a missing directory is no checkpoint; a corrupt file is a typed failure", async () => {
    const dir = freshDir("ckpt-corrupt");
    const none = await run(
      Effect.flatMap(Checkpointer, (cp) => cp.restore()).pipe(
        Effect.provide(Checkpoint.layerDirectory(dir)),
      ),
    );
    ok(Option.isNone(none));
    await run(
      Effect.flatMap(Checkpointer, (cp) => cp.save(state(5))).pipe(
        Effect.provide(Checkpoint.layerDirectory(dir)),
      ),
    );
    const [file] = readdirSync(dir);
    const bytes = readFileSync(`${dir}/${file}`);
    writeFileSync(`${dir}/${file}`, bytes.subarray(0, bytes.length - 4));
    const e = await run(Effect.flip(
      Effect.flatMap(Checkpointer, (cp) => cp.restore()).pipe(
        Effect.provide(Checkpoint.layerDirectory(dir)),
      ),
    ));
    equal(e.reason, "Corrupt");
    ok(e.path?.endsWith(file), e.path);
  });
});

describe("checkpointEvery, restoreOrInit, matchTemplate", () => {
  const sgd = (lr: number): GradientTransformation<null> => ({
    init: () => null,
    update: (g) => [np.multiply(g as Array, -lr), null],
  });
  const stream = (o: { lr?: number; loss?: (w: Array) => Array } = {}) =>
    Train.stream({ loss: o.loss ?? quadratic, params: np.array([0]), optimizer: sgd(o.lr ?? 0.1) });
  const withMemory = <A, E>(e: Effect.Effect<A, E, Checkpointer>) =>
    run(e.pipe(Effect.provide(Checkpoint.layerMemory)));
  const steps = Effect.flatMap(Checkpointer, (cp) => cp.steps);

  it("saves every n steps and the last state when the stream ends", async () => {
    const saved = await withMemory(Effect.gen(function* () {
      yield* stream().pipe(Stream.take(7), Checkpoint.checkpointEvery(3), Stream.runDrain);
      return yield* steps;
    }));
    deepEqual(saved, [3, 6, 7]);
    const exact = await withMemory(Effect.gen(function* () {
      yield* stream().pipe(Stream.take(6), Checkpoint.checkpointEvery(3), Stream.runDrain);
      return yield* steps;
    }));
    deepEqual(exact, [3, 6]);
  });

  it("saves the last finite state when training fails", async () => {
    const r = await withMemory(Effect.gen(function* () {
      const loss = (w: Array) => {
        if ((w.item() as number) > 2) return np.array(NaN);
        return quadratic(w);
      };
      const exit = yield* Effect.exit(
        stream({ loss }).pipe(Checkpoint.checkpointEvery(100), Stream.runDrain),
      );
      const cp = yield* Checkpointer;
      return { exit, steps: yield* cp.steps, latest: Option.getOrThrow(yield* cp.restore()) };
    }));
    ok(Exit.isFailure(r.exit));
    equal(r.steps.length, 1);
    // the last report's state: the state the failing step started from (finite params)
    const failure = Exit.isFailure(r.exit) ? Cause.findErrorOption(r.exit.cause) : Option.none();
    const e = Option.getOrThrow(failure) as NonFiniteLoss;
    equal(r.latest.step, e.state.step);
    equal((r.latest.params as Array).item(), (e.state.params as Array).item());
    ok(Number.isFinite((r.latest.params as Array).item() as number));
  });

  it("saves when the stream is interrupted", async () => {
    const saved = await withMemory(Effect.gen(function* () {
      const slow = (w: Array) => {
        const end = performance.now() + 2;
        while (performance.now() < end) { /* busy */ }
        return quadratic(w);
      };
      const started = yield* Deferred.make<void>();
      let n = 0;
      const fiber = yield* stream({ loss: slow }).pipe(
        Checkpoint.checkpointEvery(1000),
        Stream.runForEach(() =>
          Effect.suspend(() => (++n === 3 ? Deferred.succeed(started, undefined) : Effect.void))
        ),
        Effect.forkChild,
      );
      yield* Deferred.await(started); // a loaded machine may not have run a step after a sleep
      yield* Effect.sleep("10 millis");
      yield* Fiber.interrupt(fiber);
      return yield* steps;
    }));
    equal(saved.length, 1);
    ok(saved[0] >= 3);
  });

  it("restoreOrInit resumes from the latest checkpoint; matchTemplate rejects other models", async () => {
    const template = Train.init(np.array([0]), sgd(0.1));
    const r = await withMemory(Effect.gen(function* () {
      const fresh = yield* Checkpoint.restoreOrInit(template);
      yield* stream().pipe(Stream.take(5), Checkpoint.checkpointEvery(5), Stream.runDrain);
      const resumed = yield* Checkpoint.restoreOrInit(template);
      const other = yield* Effect.flip(
        Checkpoint.restoreOrInit({ step: 0, params: { w: np.zeros([1]) }, optState: null }),
      );
      const shape = yield* Effect.flip(
        Checkpoint.matchTemplate(resumed, { ...template, params: np.zeros([2]) }),
      );
      const dtype = yield* Effect.flip(
        Checkpoint.matchTemplate(resumed, {
          ...template,
          params: np.zeros([1], { dtype: "float32" }),
        }),
      );
      return { fresh, resumed, other, shape, dtype };
    }));
    equal(r.fresh, template);
    equal(r.resumed.step, 5);
    const mismatch = (e: CheckpointError) => {
      equal(e.reason, "Mismatch");
      return e.message;
    };
    ok(mismatch(r.other).includes("structure"), r.other.message);
    ok(mismatch(r.shape).includes("float64[1] instead of float64[2]"), r.shape.message);
    ok(mismatch(r.dtype).includes("float32"), r.dtype.message);
  });

  it("a directory checkpointer under a fresh layer per run resumes across programs", async () => {
    const dir = freshDir("ckpt-resume");
    const layer = () => Checkpoint.layerDirectory(dir, { keep: 1 });
    const template = Train.init(np.array([0]), sgd(0.1));
    const first = await run(
      Effect.gen(function* () {
        const initialState = yield* Checkpoint.restoreOrInit(template);
        return yield* Train.stream({
          loss: quadratic,
          params: np.array([0]),
          optimizer: sgd(0.1),
          initialState,
        })
          .pipe(Stream.take(4), Checkpoint.checkpointEvery(2), Train.fit);
      }).pipe(Effect.provide(layer())),
    );
    const second = await run(
      Effect.gen(function* () {
        const initialState = yield* Checkpoint.restoreOrInit(template);
        return yield* Train.stream({
          loss: quadratic,
          params: np.array([0]),
          optimizer: sgd(0.1),
          initialState,
        })
          .pipe(Stream.take(4), Checkpoint.checkpointEvery(2), Train.fit);
      }).pipe(Effect.provide(Layer.fresh(layer()))),
    );
    equal(first.state.step, 4);
    equal(second.state.step, 8);
    ok(existsSync(dir) && readdirSync(dir).length === 1);
  });
});
