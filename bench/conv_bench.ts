/**
 * Convolution benchmarks: `lax.conv` (im2col + the matmul kernel) against a
 * hand-written direct convolution loop (seven nested loops, bounds checks in
 * the innermost ones) on the same data, in one run — the forward pass of a
 * small CNN's layer, a strided one, its gradients (a recorded pullback: both
 * transposes, against the direct loop of the backward pass), and 2×2 max
 * pooling against a direct loop.
 *
 * Prints median latency (p50) and the ratio baseline / nabla (above 1:
 * nabla is faster).
 *
 * Run: `deno run bench/conv_bench.ts` (about fifteen seconds).
 *
 * @module
 */

import { Table } from "./_harness.ts";
import { type Array, lax, np, vjp } from "../mod.ts";

interface Geo {
  n: number;
  c: number;
  h: number;
  w: number;
  o: number;
  k: number;
  s: number;
  pad: number;
}

const outSize = (g: Geo, n: number) => Math.floor((n + 2 * g.pad - g.k) / g.s) + 1;

/** Direct convolution, NCHW × OIHW, symmetric zero padding. */
function directConv(x: Float64Array, w: Float64Array, g: Geo): Float64Array {
  const oh = outSize(g, g.h), ow = outSize(g, g.w);
  const y = new Float64Array(g.n * g.o * oh * ow);
  for (let n = 0; n < g.n; n++) {
    for (let o = 0; o < g.o; o++) {
      for (let i = 0; i < oh; i++) {
        for (let j = 0; j < ow; j++) {
          let acc = 0;
          for (let c = 0; c < g.c; c++) {
            for (let a = 0; a < g.k; a++) {
              const r = i * g.s + a - g.pad;
              if (r < 0 || r >= g.h) continue;
              for (let b = 0; b < g.k; b++) {
                const q = j * g.s + b - g.pad;
                if (q < 0 || q >= g.w) continue;
                acc += x[((n * g.c + c) * g.h + r) * g.w + q] *
                  w[((o * g.c + c) * g.k + a) * g.k + b];
              }
            }
          }
          y[((n * g.o + o) * oh + i) * ow + j] = acc;
        }
      }
    }
  }
  return y;
}

/** Direct backward pass: the cotangents of x and w from the output cotangent. */
function directConvBackward(
  x: Float64Array,
  w: Float64Array,
  ct: Float64Array,
  g: Geo,
): [Float64Array, Float64Array] {
  const oh = outSize(g, g.h), ow = outSize(g, g.w);
  const gx = new Float64Array(x.length), gw = new Float64Array(w.length);
  for (let n = 0; n < g.n; n++) {
    for (let o = 0; o < g.o; o++) {
      for (let i = 0; i < oh; i++) {
        for (let j = 0; j < ow; j++) {
          const t = ct[((n * g.o + o) * oh + i) * ow + j];
          for (let c = 0; c < g.c; c++) {
            for (let a = 0; a < g.k; a++) {
              const r = i * g.s + a - g.pad;
              if (r < 0 || r >= g.h) continue;
              for (let b = 0; b < g.k; b++) {
                const q = j * g.s + b - g.pad;
                if (q < 0 || q >= g.w) continue;
                const xi = ((n * g.c + c) * g.h + r) * g.w + q;
                const wi = ((o * g.c + c) * g.k + a) * g.k + b;
                gx[xi] += t * w[wi];
                gw[wi] += t * x[xi];
              }
            }
          }
        }
      }
    }
  }
  return [gx, gw];
}

/** Direct 2×2 stride-2 max pooling of NCHW data. */
function directMaxPool(x: Float64Array, n: number, h: number, w: number): Float64Array {
  const oh = h >> 1, ow = w >> 1;
  const y = new Float64Array(n * oh * ow);
  for (let b = 0; b < n; b++) {
    for (let i = 0; i < oh; i++) {
      for (let j = 0; j < ow; j++) {
        let m = -Infinity;
        for (let a = 0; a < 2; a++) {
          for (let c = 0; c < 2; c++) {
            const v = x[(b * h + 2 * i + a) * w + 2 * j + c];
            if (v > m) m = v;
          }
        }
        y[(b * oh + i) * ow + j] = m;
      }
    }
  }
  return y;
}

function random(n: number): Float64Array {
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) x[i] = Math.random() * 2 - 1;
  return x;
}

const table = new Table();
const group = (workload: string, tasks: [string, () => void][]) =>
  table.group(workload, tasks, { time: 1000, iterations: 5, ratio: { title: "this / nabla" } });

function arrays(g: Geo): [Float64Array, Float64Array, Array, Array] {
  const x = random(g.n * g.c * g.h * g.w), w = random(g.o * g.c * g.k * g.k);
  return [
    x,
    w,
    np.array(x).reshape([g.n, g.c, g.h, g.w]),
    np.array(w).reshape([g.o, g.c, g.k, g.k]),
  ];
}

const pads = (g: Geo): [number, number][] => [[g.pad, g.pad], [g.pad, g.pad]];

for (
  const g of [
    { n: 32, c: 8, h: 16, w: 16, o: 16, k: 3, s: 1, pad: 1 },
    { n: 16, c: 16, h: 16, w: 16, o: 32, k: 3, s: 2, pad: 1 },
    { n: 8, c: 1, h: 28, w: 28, o: 8, k: 5, s: 1, pad: 0 },
  ]
) {
  const [x, w, xa, wa] = arrays(g);
  const name = `conv [${g.n},${g.c},${g.h},${g.w}]*[${g.o},${g.c},${g.k},${g.k}] s${g.s}`;
  await group(name, [
    ["lax.conv (im2col + matmul)", () => void lax.conv(xa, wa, [g.s, g.s], pads(g))],
    ["direct loop", () => void directConv(x, w, g)],
  ]);
  const y = directConv(x, w, g);
  const ct = random(y.length);
  const cta = np.array(ct).reshape(lax.conv(xa, wa, [g.s, g.s], pads(g)).shape);
  const f = (a: Array, b: Array) => lax.conv(a, b, [g.s, g.s], pads(g));
  const [, pullback] = vjp(f, [xa, wa]);
  await group(`${name} backward (both cotangents)`, [
    ["vjp pullback (two convolutions)", () => void pullback(cta)],
    ["direct loop", () => void directConvBackward(x, w, ct, g)],
  ]);
}

const px = random(32 * 16 * 32 * 32);
const pa = np.array(px).reshape([32, 16, 32, 32]);
await group("max pool 2×2 s2 [32,16,32,32]", [
  [
    "lax.reduceWindow",
    () => void lax.reduceWindow(pa, -Infinity, lax.max, [1, 1, 2, 2], [1, 1, 2, 2]),
  ],
  ["direct loop", () => void directMaxPool(px, 32 * 16, 32, 32)],
]);

table.print();
