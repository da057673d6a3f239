/**
 * What `Train.stream` costs over a plain `for` loop doing the same optimizer steps with `optim`
 * (value and gradient, `optimizer.update`, `optim.applyUpdates`), measured side by side in one
 * tinybench run, and how fast it stops: steps run after `Fiber.interrupt` on a CPU-bound stream.
 *
 * - MLP: the two-moons MLP of `examples/mlp.ts` (200 × 2 → 16 → 1, SGD with momentum).
 * - toy: a ~25 µs step (Adam on a 16-vector quadratic).
 *
 * The stream's extra work per step: the finiteness scan of the loss, the gradient and the new
 * parameters, the gradient norm, the report, the Effect/Stream machinery, and a Clock read.
 * Targets (issue 12): ≤ 1.10× on the MLP step, ≤ 1.3× on the 25 µs step, ≤ 2 steps after an
 * interrupt.
 *
 * Run: `deno run bench/effect_bench.ts` (also `bun bench/effect_bench.ts`, `npx tsx …`)
 *
 * @module
 */

import { Bench } from "tinybench";
import process from "node:process";
import { Deferred, Effect, Fiber, Stream } from "effect";
import { type Array, np, optim, valueAndGrad } from "../mod.ts";
import { Train } from "../src/effect/mod.ts";

// ---- the two workloads ------------------------------------------------------------------------

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}
const rand = lcg(7);
const points: number[][] = [];
const classes: number[] = [];
for (let i = 0; i < 200; i++) {
  const label = i % 2;
  const t = Math.PI * rand();
  const [cx, cy] = label === 0 ? [Math.cos(t), Math.sin(t)] : [1 - Math.cos(t), 0.5 - Math.sin(t)];
  points.push([cx + 0.3 * (rand() - 0.5), cy + 0.3 * (rand() - 0.5)]);
  classes.push(label);
}
const X = np.array(points);
const y = np.array(classes);
type Mlp = { w1: Array; b1: Array; w2: Array; b2: Array };
const mlp0: Mlp = {
  w1: np.array(globalThis.Array.from({ length: 32 }, () => rand() - 0.5)).reshape([2, 16]),
  b1: np.zeros([16]),
  w2: np.array(globalThis.Array.from({ length: 16 }, () => (rand() - 0.5) / 4)).reshape([16, 1]),
  b2: np.zeros([1]),
};
function mlpLoss(p: Mlp): Array {
  const z = np.add(np.matmul(np.tanh(np.add(np.matmul(X, p.w1), p.b1)), p.w2), p.b2).reshape([-1]);
  const softplus = np.add(np.maximum(z, 0), np.log1p(np.exp(np.negative(np.abs(z)))));
  return np.mean(np.subtract(softplus, np.multiply(y, z)));
}
const target = np.linspace(-1, 1, 16);
const toy0 = { w: np.zeros([16]) };
const toyLoss = (p: { w: Array }) => np.sum(np.square(np.subtract(p.w, target)));

interface Workload<P> {
  name: string;
  loss: (p: P) => Array;
  params: P;
  optimizer: optim.GradientTransformation;
  steps: number;
}
const workloads = [
  {
    name: "MLP",
    loss: mlpLoss,
    params: mlp0,
    optimizer: optim.sgd(0.05, { momentum: 0.9 }),
    steps: 40,
  },
  { name: "toy", loss: toyLoss, params: toy0, optimizer: optim.adam(1e-2), steps: 400 },
] as Workload<unknown>[];

/** The plain loop: `steps` optimizer steps; returns the last loss. */
function plain<P>(w: Workload<P>): number {
  const vg = valueAndGrad(w.loss);
  let params = w.params;
  let state = w.optimizer.init(params);
  let loss = NaN;
  for (let i = 0; i < w.steps; i++) {
    const [value, grads] = vg(params);
    loss = value.item() as number;
    const [updates, next] = w.optimizer.update(grads, state, params);
    params = optim.applyUpdates(params, updates);
    state = next;
  }
  return loss;
}

/** The same steps as a training stream; returns the last loss. */
function streamed<P>(w: Workload<P>): Promise<number> {
  return Effect.runPromise(
    Train.stream({ loss: w.loss, params: w.params, optimizer: w.optimizer }).pipe(
      Stream.take(w.steps),
      Stream.runLast,
      Effect.map((r) => r._tag === "Some" ? r.value.loss : NaN),
    ),
  );
}

// ---- overhead ---------------------------------------------------------------------------------------

const bench = new Bench({ time: 1500, iterations: 10, warmup: true });
for (const w of workloads) {
  const a = plain(w), b = await streamed(w);
  if (Math.abs(a - b) > 1e-12 * Math.abs(a)) throw new Error(`${w.name}: loss ${a} vs ${b}`);
  bench.add(`${w.name} plain loop`, () => void plain(w));
  bench.add(`${w.name} Train.stream`, async () => void await streamed(w));
}
await bench.run();
console.table(bench.table());

// The machines are shared: besides tinybench's medians, time the two side by side in alternating
// pairs, by this process's CPU time (other processes' load does not count) and by wall time, and
// take the median of the per-pair ratios (noise that lasts longer than a pair cancels).
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const p50 = (name: string) =>
  (bench.tasks.find((t) => t.name === name)!.result as { latency: { p50: number } }).latency.p50;
const rows = [];
for (const w of workloads) {
  const ratios: number[] = [];
  const cpuRatios: number[] = [];
  const per: number[][] = [[], []];
  for (let r = 0; r < 40; r++) {
    const t = [0, 0], c = [0, 0];
    for (const which of r % 2 ? [1, 0] : [0, 1]) {
      const t0 = performance.now(), c0 = cpuMs();
      if (which === 0) plain(w);
      else await streamed(w);
      t[which] = performance.now() - t0;
      c[which] = cpuMs() - c0;
    }
    ratios.push(t[1] / t[0]);
    cpuRatios.push(c[1] / c[0]);
    per[0].push(c[0]);
    per[1].push(c[1]);
  }
  rows.push({
    workload: w.name,
    "plain µs/step (cpu)": (1000 * median(per[0]) / w.steps).toFixed(1),
    "stream µs/step (cpu)": (1000 * median(per[1]) / w.steps).toFixed(1),
    "ratio (paired, cpu)": median(cpuRatios).toFixed(3),
    "ratio (paired, wall)": median(ratios).toFixed(3),
    "ratio (tinybench p50)": (p50(`${w.name} Train.stream`) / p50(`${w.name} plain loop`)).toFixed(
      3,
    ),
  });
}
console.table(rows);

// ---- interruption latency -------------------------------------------------------------------------

/** Steps that run after `Fiber.interrupt` on a stream of `ms`-long CPU-bound steps. */
function stepsAfterInterrupt(ms: number): Promise<number> {
  const spin = (p: { w: Array }) => {
    const end = performance.now() + ms;
    while (performance.now() < end) { /* a CPU-bound step */ }
    return toyLoss(p);
  };
  return Effect.runPromise(Effect.gen(function* () {
    let steps = 0;
    const started = yield* Deferred.make<void>();
    const fiber = yield* Train.stream({ loss: spin, params: toy0, optimizer: optim.sgd(0.1) }).pipe(
      Stream.runForEach(() =>
        Effect.suspend(() => (++steps === 3 ? Deferred.succeed(started, undefined) : Effect.void))
      ),
      Effect.forkChild,
    );
    yield* Deferred.await(started);
    yield* Effect.sleep("25 millis");
    const at = steps;
    yield* Fiber.interrupt(fiber);
    return steps - at;
  }));
}
const latencies: number[] = [];
for (let i = 0; i < 10; i++) latencies.push(await stepsAfterInterrupt(5));
console.log(
  `steps after Fiber.interrupt (5 ms steps, 10 runs): max ${Math.max(...latencies)}, all ${
    latencies.join(" ")
  }`,
);
