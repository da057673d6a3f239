/**
 * nabla (eager and `jit`) against its peers on the workloads of issues 5 and
 * 10, side by side in one run: jax-js 0.1.25 (eager and `jit`, wasm device),
 * TensorFlow.js 4.22 (`cpu` and `wasm` backends), and the hand-written
 * float64 loops (the floor). For each workload all systems' tasks sit in one
 * tinybench `Bench`, so they share the machine's noise; each result is
 * checked against the hand-written one before it is timed. The checked run is
 * each system's first call, so for `nabla jit` and `jax-js jit` it is the
 * trace + compile + run time; fresh `jit`s of nabla are timed again (the
 * compiler warm), and W2's chain is compiled at 999, 9 999 and 99 999 ops.
 * The targets of issue 10 are checked against the measurements.
 *
 * Writes `bench/RESULTS.md` and `bench/results.json`.
 *
 * The peers are benchmark-only dependencies with their own `package.json`
 * in `bench/peers/`; `deno task bench:peers` installs them there with npm and
 * then runs this script (`deno run -A bench/peers_bench.ts`). They never
 * enter nabla's `package.json` or `deno.lock`.
 *
 * `deno run -A bench/peers_bench.ts --quick` is a smoke test of the whole
 * script (tiny timing budgets, no 99 999-op chain, no W8): it writes the
 * report into a temporary directory, never over the committed one.
 *
 * @module
 */

import {
  type Entry,
  formatTime,
  freshFirstCalls,
  type Impl,
  jitImpl,
  runGroup,
  type Workload,
} from "./_harness.ts";
import { loadPeers } from "./_peers.ts";
import { type ChainRow, w2ChainFirstCall, workloads } from "./_workloads.ts";

const loaded = await loadPeers();
if (loaded === null) {
  console.error(
    "The peers are not installed: run `deno task bench:peers` (it runs npm install in bench/peers)",
  );
  Deno.exit(1);
}
const { peers } = loaded;
const versions: Record<string, string> = {
  // deno.json may hold comments (JSONC): read the version field alone.
  nabla: Deno.readTextFileSync(new URL("../deno.json", import.meta.url))
    .match(/"version"\s*:\s*"([^"]+)"/)?.[1] ?? "unknown",
  ...loaded.versions,
  tinybench: JSON.parse(
    Deno.readTextFileSync(new URL("../node_modules/tinybench/package.json", import.meta.url)),
  ).version,
};

function cpuModel(): string {
  try {
    const info = Deno.readTextFileSync("/proc/cpuinfo");
    const model = info.match(/^model name\s*:\s*(.*)$/m)?.[1] ?? "unknown CPU";
    const cores = info.match(/^processor\s*:/gm)?.length ?? navigator.hardwareConcurrency;
    return `${model} (${cores} logical cores)`;
  } catch {
    return `${navigator.userAgent}, ${navigator.hardwareConcurrency} logical cores`;
  }
}

function loadAverage(): string {
  try {
    return Deno.readTextFileSync("/proc/loadavg").split(" ").slice(0, 3).join(", ");
  } catch {
    return "unknown";
  }
}
const loadStart = loadAverage();

function gitCommit(): string {
  try {
    const out = new Deno.Command("git", { args: ["rev-parse", "--short", "HEAD"] }).outputSync();
    const dirty = new Deno.Command("git", {
      args: ["status", "--porcelain", "--", "src", "mod.ts"],
    })
      .outputSync();
    const sha = new TextDecoder().decode(out.stdout).trim();
    return new TextDecoder().decode(dirty.stdout).trim() ? `${sha} (with local changes)` : sha;
  } catch {
    return "unknown";
  }
}

const quick = Deno.args.includes("--quick");
const BUDGET = quick
  ? { time: 10, iterations: 2, skipMs: 5000 }
  : { time: 400, iterations: 5, skipMs: 5000 };

/** The peers' implementations of a workload as harness impls; unsupported ones as entries. */
function peerImpls(w: Workload): { impls: Impl[]; unsupported: Entry[] } {
  const impls: Impl[] = [], unsupported: Entry[] = [];
  for (const p of peers) {
    if (w.peerSystems !== undefined && !w.peerSystems.includes(p.system)) continue;
    const i = p.impls.get(w.peerId ?? w.id);
    if (i === undefined || "unsupported" in i) {
      unsupported.push({
        workload: w.id,
        system: p.system,
        dtype: "float32",
        status: "skipped",
        message: i && "unsupported" in i ? i.unsupported : "not implemented",
      });
      continue;
    }
    impls.push({ system: p.system, dtype: "float32", run: i.run, note: i.note, setup: p.setup });
  }
  return { impls, unsupported };
}

/** First calls of nabla `jit`: cold (the group's checked run) and warm (fresh `jit`s). */
interface FirstCall {
  workload: string;
  /** Sorted first-call times (ms) of fresh `jit`s, made after the group ran. */
  freshMs: number[];
}

const FRESH = quick ? 1 : 5;
const started = performance.now();
const results: Entry[] = [];
const firstCalls: FirstCall[] = [];
for (const w of workloads) {
  const t0 = performance.now();
  const { impls, unsupported } = peerImpls(w);
  const expected = w.hand.run();
  const jitted = jitImpl(w);
  const ours = [w.nabla, ...(jitted ? [jitted] : []), ...(w.extra ?? [])];
  const entries = await runGroup(w, [...ours, ...impls, w.hand], expected, BUDGET);
  results.push(...entries, ...unsupported);
  if (w.jit !== undefined && entries[1].status === "ok") {
    firstCalls.push({ workload: w.id, freshMs: freshFirstCalls(w.jit, FRESH) });
  }
  const line = entries.map((e) =>
    `${e.system} ${e.status === "ok" ? formatTime(e.p50Ms!) : e.status}`
  );
  console.log(`${w.id} (${((performance.now() - t0) / 1000).toFixed(1)} s): ${line.join(", ")}`);
}

const chains: ChainRow[] = [];
for (const steps of quick ? [333, 3333] : [333, 3333, 33333]) {
  const row = w2ChainFirstCall(steps);
  chains.push(row);
  console.log(`W2 chain of ${row.ops} ops: ${row.status} ${formatTime(row.firstMs ?? NaN)}`);
}

// W8: RSS over 100 MLP gradient steps, one fresh process per system (RSS is per process).
interface MemRow {
  system: string;
  status: string;
  peakMB?: number;
  first10MB?: number;
  last10MB?: number;
  growthMB?: number;
}
const memory: MemRow[] = [];
for (const system of ["nabla", "nabla jit", ...peers.map((p) => p.system)]) {
  const w4 = results.find((e) => e.workload === "W4" && e.system === system);
  if (quick) {
    memory.push({ system, status: "skipped (--quick)" });
    continue;
  }
  if (w4?.status !== "ok") {
    memory.push({ system, status: `skipped (W4 ${w4?.status ?? "missing"})` });
    continue;
  }
  const t0 = performance.now();
  const out = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", new URL("./_memory.ts", import.meta.url).pathname, system],
    stderr: "piped",
  }).outputSync();
  const text = new TextDecoder().decode(out.stdout).trim();
  if (out.success) memory.push({ system, status: "ok", ...JSON.parse(text) });
  else {
    const err = new TextDecoder().decode(out.stderr).trim().split("\n")[0];
    memory.push({ system, status: `fails: ${err.slice(0, 160)}` });
  }
  console.log(`W8 ${system} (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
}

// ---------------------------------------------------------------------------
// Report

const systems = ["nabla", "nabla jit", ...peers.map((p) => p.system), "hand-written"];
const byKey = new Map(results.map((e) => [`${e.workload}|${e.system}`, e]));
const ms = (id: string, system: string): number | undefined => {
  const e = byKey.get(`${id}|${system}`);
  return e?.status === "ok" ? e.p50Ms : undefined;
};
const nablaMs = (id: string) => ms(id, "nabla");
const ratio = (a: number | undefined, b: number | undefined): string =>
  a !== undefined && b !== undefined ? `${(a / b).toFixed(2)}×` : "—";
const time = (x: number | undefined): string => (x === undefined ? "—" : formatTime(x));

function cell(e: Entry | undefined, withRatio: boolean): string {
  if (e === undefined) return "—";
  if (e.status !== "ok") return e.status;
  const n = nablaMs(e.workload);
  const r = withRatio && n !== undefined && e.system !== "nabla"
    ? ` (${(e.p50Ms! / n).toFixed(2)}×)`
    : "";
  const gf = e.gflops !== undefined ? `, ${e.gflops.toFixed(2)} GFLOP/s` : "";
  return `${formatTime(e.p50Ms!)}${r}${gf}`;
}

/** One target of issue 10: what it asks, what was measured, and whether it is met. */
interface Target {
  workload: string;
  target: string;
  measured: string;
  met: boolean | undefined;
}
const targets: Target[] = [];
function target(workload: string, what: string, measured: string, met: boolean | undefined) {
  targets.push({ workload, target: what, measured, met });
}
const jitMs = (id: string) => ms(id, "nabla jit");
const handMs = (id: string) => ms(id, "hand-written");
const jitFirst = (id: string) => byKey.get(`${id}|nabla jit`)?.firstMs;
const le = (a: number | undefined, b: number) => (a === undefined ? undefined : a <= b);
{
  const w1 = jitMs("W1");
  target("W1", "≤ 0.5 µs/call", time(w1), le(w1, 0.5e-3));
  const c = (ops: number) => chains.find((r) => r.ops === ops);
  const f2 = jitFirst("W2");
  target(
    "W2",
    "first call (999 ops) < 50 ms",
    `${time(f2)} (cold)`,
    f2 === undefined ? undefined : f2 < 50,
  );
  const c10k = c(9999);
  target(
    "W2",
    "first call of a 9 999-op chain < 150 ms",
    c10k?.status === "ok" ? time(c10k.firstMs) : c10k?.status ?? "—",
    c10k === undefined ? undefined : c10k.status === "ok" && c10k.firstMs! < 150,
  );
  const c100k = c(99999);
  target(
    "W2",
    "a 99 999-op chain works",
    c100k?.status === "ok" ? `ok, first call ${time(c100k.firstMs)}` : c100k?.status ?? "not run",
    c100k === undefined ? undefined : c100k.status === "ok",
  );
  const r = (id: string) => {
    const j = jitMs(id), h = handMs(id);
    return j !== undefined && h !== undefined ? j / h : undefined;
  };
  target(
    "W2",
    "steady state ≤ 1.5× hand-written",
    `${ratio(jitMs("W2"), handMs("W2"))} (${time(jitMs("W2"))} vs ${time(handMs("W2"))})`,
    le(r("W2"), 1.5),
  );
  target(
    "W3",
    "≤ 1.5× a hand loop writing a fresh output",
    `${ratio(jitMs("W3"), handMs("W3"))} (${time(jitMs("W3"))} vs ${time(handMs("W3"))})`,
    le(r("W3"), 1.5),
  );
  const j4 = jitMs("W4"), e4 = nablaMs("W4");
  target(
    "W4",
    "f64 jit ≤ 0.85× eager f64",
    `${ratio(j4, e4)} (${time(j4)} vs ${time(e4)})`,
    j4 !== undefined && e4 !== undefined ? j4 / e4 <= 0.85 : undefined,
  );
  const j4s = jitMs("W4-f32"), x4s = ms("W4-f32", "jax-js jit");
  target(
    "W4",
    "f32 jit ≤ jax-js jit f32",
    `${ratio(j4s, x4s)} (${time(j4s)} vs ${time(x4s)})`,
    j4s !== undefined && x4s !== undefined ? j4s <= x4s : undefined,
  );
  const j5 = jitMs("W5");
  target("W5", "≤ 50 µs", time(j5), le(j5, 0.05));
  target(
    "W6",
    "≤ 1.2× hand-written",
    `${ratio(jitMs("W6"), handMs("W6"))} (${time(jitMs("W6"))} vs ${time(handMs("W6"))})`,
    le(r("W6"), 1.2),
  );
  const j7 = jitMs("W7"), f7 = jitFirst("W7");
  target("W7", "≤ 1 µs/call", time(j7), le(j7, 1e-3));
  target(
    "W7",
    "compile (first call) < 20 ms",
    `${time(f7)} (cold)`,
    f7 === undefined ? undefined : f7 < 20,
  );
  target(
    "C10",
    "≤ 1.2× hand loop",
    `${ratio(jitMs("C10"), handMs("C10"))} (${time(jitMs("C10"))} vs ${time(handMs("C10"))})`,
    le(r("C10"), 1.2),
  );
  const e10 = nablaMs("C10"), j10 = jitMs("C10");
  target(
    "C10",
    "≥ 5× faster than eager",
    e10 !== undefined && j10 !== undefined
      ? `${(e10 / j10).toFixed(2)}× (${time(e10)} vs ${time(j10)})`
      : "—",
    e10 !== undefined && j10 !== undefined ? e10 / j10 >= 5 : undefined,
  );
}

const env = {
  date: new Date().toISOString(),
  runtime:
    `Deno ${Deno.version.deno} (V8 ${Deno.version.v8}, TypeScript ${Deno.version.typescript})`,
  os: `${Deno.build.os} ${Deno.build.arch}`,
  cpu: cpuModel(),
  commit: gitCommit(),
  versions,
  durationSeconds: Math.round((performance.now() - started) / 1000),
  loadAverage: { start: loadStart, end: loadAverage() },
};

const md: string[] = [];
md.push("# Benchmark results: nabla and its peers");
md.push("");
md.push(
  "Generated by `deno task bench:peers` (bench/peers_bench.ts); do not edit by hand. Medians (p50)",
  "of tinybench samples; for each workload all systems ran in one `Bench`, one after the other, in",
  "the same process. **Ratio = system / nabla** (eager): above 1 the system is slower than nabla,",
  "below 1 faster. Every result was checked against the hand-written float64 value before it was",
  "timed (float64: relative 1e-8; float32: relative 3e-3 of the largest magnitude).",
);
md.push("");
md.push(`- Date: ${env.date}`);
md.push(`- Runtime: ${env.runtime}, ${env.os}`);
md.push(`- CPU: ${env.cpu}`);
md.push(
  `- Load average (1, 5, 15 min) at the start ${env.loadAverage.start}, at the end ${env.loadAverage.end}`,
);
md.push(`- nabla ${versions.nabla} at commit ${env.commit}`);
md.push(
  `- Peers: @jax-js/jax ${versions["@jax-js/jax"]} (wasm device), @tensorflow/tfjs ${
    versions["@tensorflow/tfjs"]
  } (cpu), @tensorflow/tfjs-backend-wasm ${versions["@tensorflow/tfjs-backend-wasm"]}`,
);
md.push(`- tinybench ${versions.tinybench}; whole run ${env.durationSeconds} s`);
md.push("");
md.push("## Workloads");
md.push("");
for (const w of workloads) md.push(`- **${w.id}** ${w.title}`);
md.push(
  "- **W8** peak RSS during 100 repetitions of the MLP gradient step (below)",
);
md.push("");
md.push("## Targets of issue 10 (`jit`)");
md.push("");
md.push(
  "Cold first calls are each `jit`'s checked run in its workload's group, the first time the",
  "process traces that program (the compiler's own code already warm from earlier workloads).",
);
md.push("");
md.push("| workload | target under `jit` | measured | met |");
md.push("|---|---|---|---|");
for (const t of targets) {
  md.push(
    `| ${t.workload} | ${t.target} | ${t.measured} | ${
      t.met === undefined ? "—" : t.met ? "yes" : "**no**"
    } |`,
  );
}
md.push("");
md.push("## Summary (median, ratio to nabla)");
md.push("");
md.push(`| workload | ${systems.join(" | ")} |`);
md.push(`|---|${systems.map(() => "---").join("|")}|`);
for (const w of workloads) {
  md.push(
    `| ${w.id} | ${systems.map((s) => cell(byKey.get(`${w.id}|${s}`), true)).join(" | ")} |`,
  );
}
md.push(
  `| W4 ÷ W4f | ${
    systems.map((s) => {
      const b = byKey.get(`W4|${s}`)?.p50Ms, f = byKey.get(`W4f|${s}`)?.p50Ms;
      return b !== undefined && f !== undefined ? `${(b / f).toFixed(2)}` : "—";
    }).join(" | ")
  } |`,
);
md.push("");
md.push(
  "dtype: nabla and hand-written float64 (nabla float32 in W4-f32); jax-js and TensorFlow.js",
  "float32.",
);
md.push("");
md.push("## `jit` (median; ratios are nabla jit's time over the other's: below 1, jit is faster)");
md.push("");
md.push(
  "| workload | nabla | nabla jit | jit ÷ nabla | jax-js jit | jit ÷ jax-js jit | hand-written | jit ÷ hand |",
);
md.push("|---|---|---|---|---|---|---|---|");
for (const w of workloads) {
  if (w.jit === undefined) continue;
  const j = jitMs(w.id);
  const jEntry = byKey.get(`${w.id}|nabla jit`);
  const jCell = j !== undefined ? formatTime(j) : jEntry?.status ?? "—";
  md.push(
    `| ${w.id} | ${time(nablaMs(w.id))} | ${jCell} | ${ratio(j, nablaMs(w.id))} | ${
      cell(byKey.get(`${w.id}|jax-js jit`), false)
    } | ${ratio(j, ms(w.id, "jax-js jit"))} | ${time(handMs(w.id))} | ${ratio(j, handMs(w.id))} |`,
  );
}
md.push("");
md.push("## First calls (trace + compile + run)");
md.push("");
md.push(
  `Cold: the checked run in the workload's group (the first call of that \`jit\` in the process).`,
  `Fresh: ${FRESH} more \`jit\`${
    FRESH === 1 ? "" : "s"
  } of the same function made after the group (the compiler's code and`,
  "any kernel caches warm): median (min–max). jax-js jit: its checked run, cold.",
);
md.push("");
md.push(
  "| workload | nabla jit cold | nabla jit fresh | jax-js jit cold | nabla jit steady state | cold ÷ steady |",
);
md.push("|---|---|---|---|---|---|");
for (const w of workloads) {
  if (w.jit === undefined) continue;
  const cold = jitFirst(w.id);
  const fc = firstCalls.find((f) => f.workload === w.id)?.freshMs;
  const fresh = fc
    ? `${formatTime(fc[fc.length >> 1])} (${formatTime(fc[0])}–${formatTime(fc[fc.length - 1])})`
    : "—";
  const xe = byKey.get(`${w.id}|jax-js jit`);
  const xCold = xe === undefined
    ? "—"
    : xe.firstMs !== undefined
    ? formatTime(xe.firstMs)
    : xe.status;
  const steady = jitMs(w.id);
  md.push(
    `| ${w.id} | ${time(cold)} | ${fresh} | ${xCold} | ${time(steady)} | ${
      cold !== undefined && steady !== undefined
        ? (cold / steady).toFixed(cold / steady < 10 ? 1 : 0)
        : "—"
    } |`,
  );
}
md.push("");
md.push(
  "W2's chain at more lengths: a fresh `jit(grad(chain))` each (so 3× the ops in the forward",
  "program, more in the gradient), its first call checked against the hand-written dual numbers;",
  "the second call is one sample of the steady state.",
);
md.push("");
md.push("| chain ops | first call | second call | status |");
md.push("|---|---|---|---|");
for (const c of chains) {
  md.push(
    `| ${c.ops} | ${time(c.firstMs)} | ${time(c.secondMs)} | ${c.status}${
      c.message ? `: ${c.message.replaceAll("|", "\\|")}` : ""
    } |`,
  );
}
md.push("");
md.push("## All rows");
md.push("");
md.push("| workload | system | dtype | median | ratio to nabla | samples | first call | note |");
md.push("|---|---|---|---|---|---|---|---|");
const allSystems = [...new Set(results.map((e) => e.system))];
for (const w of workloads) {
  for (const s of allSystems) {
    const e = byKey.get(`${w.id}|${s}`);
    if (e === undefined) continue;
    const n = nablaMs(w.id);
    const median = e.status === "ok"
      ? formatTime(e.p50Ms!) + (e.gflops !== undefined ? ` (${e.gflops.toFixed(2)} GFLOP/s)` : "")
      : `${e.status}: ${e.message}`;
    const r = e.status === "ok" && n !== undefined ? (e.p50Ms! / n).toFixed(2) : "";
    md.push(
      `| ${w.id} | ${s} | ${e.dtype} | ${median.replaceAll("|", "\\|")} | ${r} | ${
        e.samples ?? ""
      } | ${time(e.firstMs)} | ${e.note ?? ""} |`,
    );
  }
}
md.push("");
md.push("## W8: memory during 100 MLP gradient steps");
md.push("");
md.push(
  "Process RSS after each step (W4's gradient alone), each system in a fresh process",
  "(`bench/_memory.ts`) that loads the workload data and the peers' modules; growth = mean of the",
  "last 10 samples minus mean of the first 10. WebAssembly memories grow and never shrink.",
);
md.push("");
md.push("| system | peak RSS | mean of first 10 | mean of last 10 | growth |");
md.push("|---|---|---|---|---|");
for (const m of memory) {
  if (m.status !== "ok") {
    md.push(`| ${m.system} | ${m.status} | | | |`);
    continue;
  }
  md.push(
    `| ${m.system} | ${m.peakMB!.toFixed(0)} MB | ${m.first10MB!.toFixed(0)} MB | ${
      m.last10MB!.toFixed(0)
    } MB | ${m.growthMB!.toFixed(1)} MB |`,
  );
}
md.push("");

const here = quick ? new URL(`file://${Deno.makeTempDirSync()}/`) : new URL("./", import.meta.url);
Deno.writeTextFileSync(new URL("RESULTS.md", here), md.join("\n"));
Deno.writeTextFileSync(
  new URL("results.json", here),
  JSON.stringify(
    {
      environment: env,
      workloads: workloads.map((w) => ({ id: w.id, title: w.title })),
      results,
      firstCalls,
      chains,
      targets,
      memory,
    },
    null,
    2,
  ) + "\n",
);
// Keep the generated files in `deno fmt` style (they are committed).
new Deno.Command(Deno.execPath(), {
  args: [
    "fmt",
    "--quiet",
    new URL("RESULTS.md", here).pathname,
    new URL("results.json", here).pathname,
  ],
}).outputSync();
console.log(Deno.readTextFileSync(new URL("RESULTS.md", here)));
if (quick) console.log(`(--quick: written to ${here.pathname}, not bench/)`);
