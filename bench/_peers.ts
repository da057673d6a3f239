// deno-lint-ignore-file no-explicit-any
/**
 * The workloads on the peers — jax-js (eager and `jit`, wasm device) and
 * TensorFlow.js (`cpu` and `wasm` backends) — in float32, the type both
 * default to. The modules are passed in by `peers_bench.ts`, which loads them
 * from `bench/peers/node_modules`; nothing here imports them, so nabla's own
 * type-check and CI never need them.
 *
 * jax-js moves ownership of arrays into every call (`.ref` keeps one);
 * `dataSync()` reads a result back and releases it. TensorFlow.js results are
 * read back inside `tf.tidy`, which frees the intermediates.
 *
 * @module
 */

import { createRequire } from "node:module";
import type { Out } from "./_harness.ts";
import {
  c10xData,
  LINREG,
  linreg,
  matmulData,
  MLP,
  mlpData,
  ROSEN_N,
  rosenX,
  W2_STEPS,
  w3xData,
} from "./_workloads.ts";

/** A peer's implementation of one workload: a run function, or why it has none. */
export type PeerImpl = { run: () => Out; note?: string } | { unsupported: string };

/** A peer system: its name, an async setup (run before its tasks), and its workloads. */
export interface Peer {
  /** Display name. */
  system: string;
  /** Installs the peer's device or backend; run before the check and before each timed phase. */
  setup: () => Promise<void>;
  /** Implementations by workload id; `W8` is the MLP gradient step used for memory. */
  impls: Map<string, PeerImpl>;
}

const f32 = (x: Float64Array) => Float32Array.from(x);

/** Where the peers are installed (`npm install` in `bench/peers`). */
export const peersDir: URL = new URL("./peers/", import.meta.url);

/** The loaded peers and their versions. */
export interface LoadedPeers {
  /** jax-js eager, jax-js jit, tfjs-cpu, tfjs-wasm. */
  peers: Peer[];
  /** Package versions. */
  versions: Record<string, string>;
}

/**
 * Loads jax-js (wasm device initialised) and TensorFlow.js (with its wasm
 * backend registered) from `bench/peers/node_modules`.
 *
 * @returns The four peer systems, or `null` when the peers are not installed.
 */
export async function loadPeers(): Promise<LoadedPeers | null> {
  const require = createRequire(new URL("package.json", peersDir));
  let jaxEntry: string;
  try {
    // The CommonJS entry is what require finds; jax-js's ESM build sits next to it.
    jaxEntry = require.resolve("@jax-js/jax").replace(/index\.cjs$/, "index.js");
  } catch {
    return null;
  }
  const jax = await import(new URL(`file://${jaxEntry}`).href);
  await jax.init("wasm");
  jax.defaultDevice("wasm");
  // The full package: tfjs-core with tfjs-backend-cpu alone registers no gradients.
  const tf = require("@tensorflow/tfjs");
  require("@tensorflow/tfjs-backend-wasm");
  const version = (name: string): string =>
    JSON.parse(Deno.readTextFileSync(new URL(`node_modules/${name}/package.json`, peersDir)))
      .version;
  return {
    peers: [jaxPeer(jax, false), jaxPeer(jax, true), tfPeer(tf, "cpu"), tfPeer(tf, "wasm")],
    versions: {
      "@jax-js/jax": version("@jax-js/jax"),
      "@tensorflow/tfjs": version("@tensorflow/tfjs"),
      "@tensorflow/tfjs-backend-wasm": version("@tensorflow/tfjs-backend-wasm"),
    },
  };
}

// ---------------------------------------------------------------------------
// jax-js

/** jax-js on its wasm device, eager or with every workload function under `jit`. */
export function jaxPeer(jax: any, useJit: boolean): Peer {
  const { numpy: np, nn, grad, valueAndGrad, vmap, hessian } = jax;
  const J = useJit ? (f: any) => jax.jit(f) : (f: any) => f;
  const impls = new Map<string, PeerImpl>();
  const arr = (x: Float64Array, shape?: number[]) => {
    const a = np.array(f32(x));
    return shape ? a.reshape(shape) : a;
  };

  // W1
  const x1 = np.array(0.1);
  const g1 = J(grad((x: any) => np.square(x.ref).add(np.log(x))));
  impls.set("W1", { run: () => g1(x1.ref).dataSync()[0] });

  // W2
  const x2 = np.array(0.5);
  const g2 = J(grad((x: any) => {
    let y = x.ref;
    for (let i = 0; i < W2_STEPS; i++) y = np.sin(y).mul(0.9).add(x.ref);
    x.dispose();
    return y;
  }));
  impls.set("W2", { run: () => g2(x2.ref).dataSync()[0] });

  // W3
  const x3 = arr(w3xData);
  const g3 = J(vmap(grad(np.square)));
  impls.set("W3", { run: () => g3(x3.ref).dataSync() });

  // W4 and W4f
  const { d, h, c, b } = MLP;
  const P = {
    w1: arr(mlpData.w1, [d, h]),
    b1: arr(mlpData.b1),
    w2: arr(mlpData.w2, [h, c]),
    b2: arr(mlpData.b2),
  };
  const X = arr(mlpData.x, [b, d]), Y = arr(mlpData.y, [b, c]);
  const loss = (p: any, x: any, y: any) => {
    const hid = np.tanh(np.matmul(x, p.w1).add(p.b1));
    const z = np.matmul(hid, p.w2).add(p.b2);
    return np.mean(nn.logsumexp(z.ref, 1).sub(np.sum(z.mul(y), 1)));
  };
  const params = () => ({ w1: P.w1.ref, b1: P.b1.ref, w2: P.w2.ref, b2: P.b2.ref });
  const g4 = J(grad(loss));
  const vg4 = J(valueAndGrad(loss));
  const f4 = J(loss);
  impls.set("W4", {
    run: () => {
      const [v, g] = vg4(params(), X.ref, Y.ref);
      return [v.dataSync(), g.w1.dataSync(), g.b1.dataSync(), g.w2.dataSync(), g.b2.dataSync()];
    },
  });
  impls.set("W8", {
    run: () => {
      const g = g4(params(), X.ref, Y.ref);
      return [g.w1.dataSync(), g.b1.dataSync(), g.w2.dataSync(), g.b2.dataSync()];
    },
  });
  impls.set("W4f", { run: () => f4(params(), X.ref, Y.ref).dataSync()[0] });

  // W5
  const x5 = arr(rosenX);
  const rosen = (x: any) => {
    const a = x.ref.slice([1, ROSEN_N]), bb = x.slice([0, ROSEN_N - 1]);
    const t = a.sub(np.square(bb.ref));
    return np.sum(np.square(t).mul(100).add(np.square(np.subtract(1, bb))));
  };
  const h5 = J(hessian(rosen));
  impls.set("W5", { run: () => h5(x5.ref).dataSync() });

  // W6
  const w6 = arr(linreg.w), X6 = arr(linreg.x, [LINREG.b, LINREG.f]), Y6 = arr(linreg.y);
  const lr = (w: any, x: any, y: any) => np.square(np.dot(x, w).sub(y)).mul(0.5);
  const g6 = J(vmap(grad(lr), [null, 0, 0]));
  impls.set("W6", { run: () => g6(w6.ref, X6.ref, Y6.ref).dataSync() });

  // W7
  const x7 = np.array(0.3);
  let g7: any = np.tanh;
  for (let i = 0; i < 6; i++) g7 = grad(g7);
  g7 = J(g7);
  impls.set("W7", { run: () => g7(x7.ref).dataSync()[0] });

  // C10: every op takes ownership of its operands; `.ref` keeps one for a later use.
  const x10 = arr(c10xData);
  const c10 = J((x: any) => {
    let y = x.ref.mul(1.5).add(0.5);
    y = y.ref.mul(y).sub(x.ref);
    y = np.maximum(y.ref.mul(0.7), y.add(0.1));
    y = np.abs(y.div(1.3));
    return y.sub(x);
  });
  impls.set("C10", { run: () => c10(x10.ref).dataSync() });

  // W9
  for (const [n, m] of matmulData) {
    const A = arr(m.a, [n, n]), B = arr(m.b, [n, n]);
    const mm = J((a: any, b: any) => np.matmul(a, b));
    impls.set(`W9-${n}`, { run: () => mm(A.ref, B.ref).dataSync() });
  }

  return {
    system: useJit ? "jax-js jit" : "jax-js eager",
    setup: async () => {
      jax.defaultDevice("wasm");
      await Promise.resolve();
    },
    impls,
  };
}

// ---------------------------------------------------------------------------
// TensorFlow.js

/** TensorFlow.js on one backend (`cpu` or `wasm`). */
export function tfPeer(tf: any, backend: "cpu" | "wasm"): Peer {
  const impls = new Map<string, PeerImpl>();
  // Tensors are created lazily on the peer's own backend (in setup).
  let t: Record<string, any> | null = null;
  const tidy = (f: () => Out): Out => tf.tidy(f);

  const makeTensors = () => {
    const { d, h, c, b } = MLP;
    const keep = (x: any) => tf.keep(x);
    const x1 = keep(tf.scalar(0.1)), x2 = keep(tf.scalar(0.5)), x7 = keep(tf.scalar(0.3));
    // Not tf.linspace: in float32 it drifts (its element 990521 is 0.99999905, not 0.990521).
    const x3 = keep(tf.tensor1d(f32(w3xData)));
    const x10 = keep(tf.tensor1d(f32(c10xData)));
    const P = [
      keep(tf.tensor2d(f32(mlpData.w1), [d, h])),
      keep(tf.tensor1d(f32(mlpData.b1))),
      keep(tf.tensor2d(f32(mlpData.w2), [h, c])),
      keep(tf.tensor1d(f32(mlpData.b2))),
    ];
    const X = keep(tf.tensor2d(f32(mlpData.x), [b, d]));
    const Y = keep(tf.tensor2d(f32(mlpData.y), [b, c]));
    const x5 = keep(tf.tensor1d(f32(rosenX)));
    const basis = keep(tf.eye(ROSEN_N));
    const w6 = keep(tf.tensor1d(f32(linreg.w)));
    const X6 = keep(tf.tensor2d(f32(linreg.x), [LINREG.b, LINREG.f]));
    const Y6 = keep(tf.tensor1d(f32(linreg.y)));
    const mm = new Map<number, [any, any]>();
    for (const [n, m] of matmulData) {
      mm.set(n, [keep(tf.tensor2d(f32(m.a), [n, n])), keep(tf.tensor2d(f32(m.b), [n, n]))]);
    }
    return { x1, x2, x3, x10, x7, P, X, Y, x5, basis, w6, X6, Y6, mm };
  };
  const T = () => t!;

  // W1
  const g1 = tf.grad((x: any) => x.square().add(x.log()));
  impls.set("W1", { run: () => tidy(() => g1(T().x1).dataSync()[0]) });

  // W2
  const g2 = tf.grad((x: any) => {
    let y = x;
    for (let i = 0; i < W2_STEPS; i++) y = y.sin().mul(0.9).add(x);
    return y;
  });
  impls.set("W2", { run: () => tidy(() => g2(T().x2).dataSync()[0]) });

  // W3: no vmap; the elementwise gradient of sum(x²) gives the same numbers.
  const g3 = tf.grad((x: any) => x.square().sum());
  impls.set("W3", {
    run: () => tidy(() => g3(T().x3).dataSync()),
    note: "no vmap: tf.grad(x => sum(x²))",
  });

  // W4 and W4f
  const loss = (w1: any, b1: any, w2: any, b2: any) => {
    const hid = tf.tanh(T().X.matMul(w1).add(b1));
    const z = hid.matMul(w2).add(b2);
    return tf.mean(tf.logSumExp(z, 1).sub(z.mul(T().Y).sum(1)));
  };
  const g4 = tf.grads(loss);
  const vg4 = tf.valueAndGrads(loss);
  impls.set("W4", {
    run: () =>
      tidy(() => {
        const { value, grads } = vg4(T().P);
        return [value.dataSync(), ...grads.map((g: any) => g.dataSync())];
      }) as Float32Array[],
  });
  impls.set("W8", {
    run: () =>
      tidy(() => g4(T().P).map((g: any) => g.dataSync() as Float32Array)) as Float32Array[],
  });
  impls.set("W4f", {
    run: () => tidy(() => loss(T().P[0], T().P[1], T().P[2], T().P[3]).dataSync()[0]),
  });

  // W5: no hessian; one row per basis vector by nested tf.grad (Hessian-vector products).
  const rosen = (x: any) => {
    const a = x.slice(1, ROSEN_N - 1), bb = x.slice(0, ROSEN_N - 1);
    return a.sub(bb.square()).square().mul(100).add(tf.scalar(1).sub(bb).square()).sum();
  };
  const g5 = tf.grad(rosen);
  impls.set("W5", {
    run: () =>
      tidy(() => {
        const rows = [];
        for (let i = 0; i < ROSEN_N; i++) {
          const e = T().basis.slice([i, 0], [1, ROSEN_N]).reshape([ROSEN_N]);
          rows.push(tf.grad((x: any) => g5(x).mul(e).sum())(T().x5));
        }
        return tf.stack(rows).dataSync();
      }),
    note: "no hessian: 100 nested-grad rows",
  });

  // W6: no vmap; the gradient w.r.t. the weights tiled per example is the per-example gradient.
  const g6 = tf.grad((W: any) => W.mul(T().X6).sum(1).sub(T().Y6).square().mul(0.5).sum());
  impls.set("W6", {
    run: () => tidy(() => g6(tf.tile(T().w6.reshape([1, LINREG.f]), [LINREG.b, 1])).dataSync()),
    note: "no vmap: grad w.r.t. weights tiled per example",
  });

  // W7
  let g7: any = (x: any) => tf.tanh(x);
  for (let i = 0; i < 6; i++) g7 = tf.grad(g7);
  impls.set("W7", { run: () => tidy(() => g7(T().x7).dataSync()[0]) });

  // C10
  impls.set("C10", {
    run: () =>
      tidy(() => {
        const x = T().x10;
        let y = x.mul(1.5).add(0.5);
        y = y.mul(y).sub(x);
        y = tf.maximum(y.mul(0.7), y.add(0.1));
        return tf.abs(y.div(1.3)).sub(x).dataSync();
      }),
  });

  // W9
  for (const n of matmulData.keys()) {
    impls.set(`W9-${n}`, {
      run: () =>
        tidy(() => {
          const [a, b] = T().mm.get(n)!;
          return tf.matMul(a, b).dataSync();
        }),
    });
  }

  return {
    system: `tfjs-${backend}`,
    setup: async () => {
      await tf.setBackend(backend);
      await tf.ready();
      if (t === null) t = makeTensors();
    },
    impls,
  };
}
