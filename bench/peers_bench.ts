/**
 * nabla against its peers on the workloads of issue 5, side by side in one
 * run: jax-js 0.1.25 (eager and `jit`, wasm device), TensorFlow.js 4.22
 * (`cpu` and `wasm` backends), and the hand-written float64 loops (the floor).
 * For each workload all systems' tasks sit in one tinybench `Bench`, so they
 * share the machine's noise; each result is checked against the hand-written
 * one before it is timed.
 *
 * Writes `bench/RESULTS.md` and `bench/results.json`.
 *
 * The peers are benchmark-only dependencies with their own `package.json`
 * in `bench/peers/`; `deno task bench:peers` installs them there with npm and
 * then runs this script (`deno run -A bench/peers_bench.ts`). They never
 * enter nabla's `package.json` or `deno.lock`.
 *
 * @module
 */

import { type Entry, runGroup } from "./_harness.ts";
import { loadPeers } from "./_peers.ts";
import { formatTime, type Impl, type Workload, workloads } from "./_workloads.ts";

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

const BUDGET = { time: 400, iterations: 5, skipMs: 5000 };

/** The peers' implementations of a workload as harness impls; unsupported ones as entries. */
function peerImpls(w: Workload): { impls: Impl[]; unsupported: Entry[] } {
  const impls: Impl[] = [], unsupported: Entry[] = [];
  for (const p of peers) {
    const i = p.impls.get(w.id);
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

const started = performance.now();
const results: Entry[] = [];
for (const w of workloads) {
  const t0 = performance.now();
  const { impls, unsupported } = peerImpls(w);
  const expected = w.hand.run();
  const entries = await runGroup(w, [w.nabla, ...impls, w.hand], expected, BUDGET);
  results.push(...entries, ...unsupported);
  const line = entries.map((e) =>
    `${e.system} ${e.status === "ok" ? formatTime(e.p50Ms!) : e.status}`
  );
  console.log(`${w.id} (${((performance.now() - t0) / 1000).toFixed(1)} s): ${line.join(", ")}`);
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
for (const system of ["nabla", ...peers.map((p) => p.system)]) {
  const w4 = results.find((e) => e.workload === "W4" && e.system === system);
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

const systems = ["nabla", ...peers.map((p) => p.system), "hand-written"];
const byKey = new Map(results.map((e) => [`${e.workload}|${e.system}`, e]));
const nablaMs = (id: string) => byKey.get(`${id}|nabla`)?.p50Ms;

function cell(e: Entry | undefined, withRatio: boolean): string {
  if (e === undefined) return "—";
  if (e.status !== "ok") return e.status;
  const n = nablaMs(e.workload);
  const ratio = withRatio && n !== undefined && e.system !== "nabla"
    ? ` (${(e.p50Ms! / n).toFixed(2)}×)`
    : "";
  const gf = e.gflops !== undefined ? `, ${e.gflops.toFixed(2)} GFLOP/s` : "";
  return `${formatTime(e.p50Ms!)}${ratio}${gf}`;
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
};

const md: string[] = [];
md.push("# Benchmark results: nabla and its peers");
md.push("");
md.push(
  "Generated by `deno task bench:peers` (bench/peers_bench.ts); do not edit by hand. Medians (p50)",
  "of tinybench samples; for each workload all systems ran in one `Bench`, one after the other, in",
  "the same process. **Ratio = system / nabla**: above 1 the system is slower than nabla, below 1",
  "faster. Every result was checked against the hand-written float64 value before it was timed",
  "(float64: relative 1e-8; float32: relative 3e-3 of the largest magnitude).",
);
md.push("");
md.push(`- Date: ${env.date}`);
md.push(`- Runtime: ${env.runtime}, ${env.os}`);
md.push(`- CPU: ${env.cpu}`);
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
  "- **W8** peak RSS during 100 repetitions of the W4 gradient step (below)",
);
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
md.push("dtype: nabla and hand-written float64; jax-js and TensorFlow.js float32.");
md.push("");
md.push("## All rows");
md.push("");
md.push("| workload | system | dtype | median | ratio to nabla | samples | note |");
md.push("|---|---|---|---|---|---|---|");
for (const w of workloads) {
  for (const s of systems) {
    const e = byKey.get(`${w.id}|${s}`);
    if (e === undefined) continue;
    const n = nablaMs(w.id);
    const median = e.status === "ok"
      ? formatTime(e.p50Ms!) + (e.gflops !== undefined ? ` (${e.gflops.toFixed(2)} GFLOP/s)` : "")
      : `${e.status}: ${e.message}`;
    const ratio = e.status === "ok" && n !== undefined ? (e.p50Ms! / n).toFixed(2) : "";
    md.push(
      `| ${w.id} | ${s} | ${e.dtype} | ${median.replaceAll("|", "\\|")} | ${ratio} | ${
        e.samples ?? ""
      } | ${e.note ?? ""} |`,
    );
  }
}
md.push("");
md.push("## W8: memory during 100 W4 gradient steps");
md.push("");
md.push(
  "Process RSS after each step, each system in a fresh process (`bench/_memory.ts`) that loads",
  "the workload data and the peers' modules; growth = mean of the last 10 samples minus mean of",
  "the first 10. WebAssembly memories grow and never shrink.",
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

const here = new URL("./", import.meta.url);
Deno.writeTextFileSync(new URL("RESULTS.md", here), md.join("\n"));
Deno.writeTextFileSync(
  new URL("results.json", here),
  JSON.stringify(
    {
      environment: env,
      workloads: workloads.map((w) => ({ id: w.id, title: w.title })),
      results,
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
