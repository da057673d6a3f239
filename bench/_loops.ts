/**
 * The rolled-loop workloads of `jit_bench.ts` (`compile/loops.ts`): a
 * scalar `foriLoop` of 1000 steps, a scalar `whileLoop` (~1400 steps), a
 * scalar `scan` writing 1000 `ys`, a `scan` of 1000 steps over a 64-vector
 * carry, and `vmap` of the `foriLoop` and of the `whileLoop` over 256
 * starting points — each eager, under `jit`, and as the hand-written
 * JavaScript loop.
 *
 * @module
 */

import { type Array, jit, lax, np, vmap } from "../mod.ts";

/** A workload: eager, jitted and hand-written. */
export interface LoopCase {
  /** The row's name. */
  name: string;
  /** Eager nabla. */
  eager: () => unknown;
  /** Under `jit`. */
  jitted: () => unknown;
  /** The hand-written loop. */
  hand: () => unknown;
}

/**
 * The workloads.
 *
 * @returns One case per workload.
 */
export function loopCases(): LoopCase[] {
  const fori = (x: Array) =>
    lax.foriLoop(0, 1000, (_i: Array, c: Array) => np.add(np.multiply(c, 0.99), np.sin(c)), x);
  const foriHand = (x: number) => {
    let c = x;
    for (let i = 0; i < 1000; i++) c = c * 0.99 + Math.sin(c);
    return c;
  };
  const wh = (x: Array) =>
    lax.whileLoop(
      (c: Array) => np.less(c, 1e6),
      (c: Array) => np.add(np.multiply(c, 1.01), 0.1),
      x,
    );
  const whHand = (x: number) => {
    let c = x;
    while (c < 1e6) c = c * 1.01 + 0.1;
    return c;
  };
  const sc = (xs: Array) =>
    lax.scan(
      (c: Array, x: Array): [Array, Array] => {
        const s = np.add(np.multiply(c, 0.9), np.sin(x));
        return [s, np.multiply(s, 2)];
      },
      np.array(0),
      xs,
    );
  const scHand = (xs: Float64Array) => {
    const ys = new Float64Array(xs.length);
    let c = 0;
    for (let i = 0; i < xs.length; i++) {
      c = c * 0.9 + Math.sin(xs[i]);
      ys[i] = c * 2;
    }
    return ys;
  };
  const vec = (c0: Array, xs: Array) =>
    lax.scan(
      (c: Array, x: Array): [Array, Array] => {
        const s = np.tanh(np.add(np.multiply(c, 0.5), x));
        return [s, s];
      },
      c0,
      xs,
    );
  const vecHand = (xs: Float64Array) => {
    const c = new Float64Array(64), ys = new Float64Array(xs.length);
    for (let i = 0; i < 1000; i++) {
      for (let b = 0; b < 64; b++) {
        const s = Math.tanh(c[b] * 0.5 + xs[i * 64 + b]);
        c[b] = s;
        ys[i * 64 + b] = s;
      }
    }
    return ys;
  };
  const vfori = vmap(fori);
  const vforiHand = (x: Float64Array) => {
    const out = new Float64Array(x.length);
    for (let b = 0; b < x.length; b++) out[b] = foriHand(x[b]);
    return out;
  };
  const vwh = vmap(wh);
  const vwhHand = (x: Float64Array) => {
    const out = new Float64Array(x.length);
    for (let b = 0; b < x.length; b++) out[b] = whHand(x[b]);
    return out;
  };
  const x0 = np.array(0.5);
  const xs1 = np.linspace(-1, 1, 1000), xs1d = xs1.data as Float64Array;
  const c64 = np.zeros([64]), xs64 = np.reshape(np.linspace(-1, 1, 64000), [1000, 64]);
  const xs64d = xs64.data as Float64Array;
  const v256 = np.linspace(0, 1, 256), v256d = v256.data as Float64Array;
  const foriJ = jit(fori), whJ = jit(wh), scJ = jit(sc), vecJ = jit(vec), vforiJ = jit(vfori);
  const vwhJ = jit(vwh);
  return [
    {
      name: "foriLoop 1000 scalar steps",
      eager: () => fori(x0),
      jitted: () => foriJ(x0),
      hand: () => foriHand(0.5),
    },
    {
      name: "whileLoop ~1400 scalar steps",
      eager: () => wh(x0),
      jitted: () => whJ(x0),
      hand: () => whHand(0.5),
    },
    {
      name: "scan 1000 scalar steps, ys",
      eager: () => sc(xs1),
      jitted: () => scJ(xs1),
      hand: () => scHand(xs1d),
    },
    {
      name: "scan 1000 steps, 64-vector carry",
      eager: () => vec(c64, xs64),
      jitted: () => vecJ(c64, xs64),
      hand: () => vecHand(xs64d),
    },
    {
      name: "vmap(foriLoop) 256 x 1000",
      eager: () => vfori(v256),
      jitted: () => vforiJ(v256),
      hand: () => vforiHand(v256d),
    },
    {
      name: "vmap(whileLoop) 256 lanes",
      eager: () => vwh(v256),
      jitted: () => vwhJ(v256),
      hand: () => vwhHand(v256d),
    },
  ];
}
