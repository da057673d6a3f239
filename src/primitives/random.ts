/**
 * Primitives behind the `random` namespace:
 *
 * - `threefry2x32` — the Threefry-2x32 block cipher (20 rounds, Salmon et al.
 *   2011, as JAX's `threefry2x32_p`): `(key [..., 2], count [..., 2]) ↦
 *   [..., 2]`, elementwise over the leading axes with NumPy broadcasting.
 *   Unsigned 32-bit words are stored as `int32` (the same bits).
 * - `argsort` — a stable ascending sort order along the last axis (for
 *   permutations and sampling without replacement); `int32` keys may be
 *   compared as unsigned words.
 *
 * Both are integer-valued, so their tangents are zero; their batching rules
 * move the batch axis to the front and bind again.
 *
 * @module
 */

import { NdArray } from "../array/array.ts";
import { allocate } from "../array/dtype.ts";
import { broadcastShapes, type Shape, showShape, sizeOf, stridesOf } from "../array/shape.ts";
import { bind } from "../core/handler.ts";
import { type Aval, type BatchDim, type Primitive, Zero } from "../core/primitive.ts";
import { moveAxis } from "./_util.ts";
import { reshape } from "./structural.ts";

// ---------------------------------------------------------------------------
// threefry2x32

/** Rotation constants of Threefry-2x32, alternating every four rounds. */
const ROTATIONS: readonly (readonly number[])[] = [[13, 15, 26, 6], [17, 29, 16, 24]];

/**
 * One Threefry-2x32 block: encrypts the counter `(x0, x1)` under the key
 * `(k0, k1)` with 20 rounds and writes the two output words to `out[at]`,
 * `out[at + 1]`. All words are 32-bit integers (signed storage, same bits).
 */
export function threefryBlock(
  k0: number,
  k1: number,
  x0: number,
  x1: number,
  out: Int32Array,
  at: number,
): void {
  const ks = [k0 | 0, k1 | 0, (k0 ^ k1 ^ 0x1bd11bda) | 0];
  let a = (x0 + ks[0]) | 0;
  let b = (x1 + ks[1]) | 0;
  for (let i = 0; i < 5; i++) {
    const rot = ROTATIONS[i % 2];
    for (let r = 0; r < 4; r++) {
      a = (a + b) | 0;
      b = (b << rot[r]) | (b >>> (32 - rot[r]));
      b ^= a;
    }
    // key injection i + 1
    a = (a + ks[(i + 1) % 3]) | 0;
    b = (b + ks[(i + 2) % 3] + i + 1) | 0;
  }
  out[at] = a;
  out[at + 1] = b;
}

function checkPairs(name: string, args: readonly Aval[]): Shape {
  for (const a of args) {
    if (a.dtype !== "int32") {
      throw new TypeError(`Primitive '${name}' needs int32 operands: got ${a.dtype}`);
    }
    if (a.shape.length === 0 || a.shape[a.shape.length - 1] !== 2) {
      throw new TypeError(
        `Primitive '${name}' needs operands whose last axis has size 2: got shape ${
          showShape(a.shape)
        }`,
      );
    }
  }
  return [...broadcastShapes(args[0].shape.slice(0, -1), args[1].shape.slice(0, -1)), 2];
}

/** Strides of `shape` for reading it broadcast to `out` (0 along broadcast axes). */
function broadcastStrides(shape: Shape, out: Shape): number[] {
  const own = stridesOf(shape);
  const lead = out.length - shape.length;
  return out.map((_, i) => (i < lead || shape[i - lead] === 1 ? 0 : own[i - lead]));
}

/** Threefry-2x32 of counters under keys: `(key [..., 2], count [..., 2]) ↦ [..., 2]`. */
export const threefry2x32P: Primitive<undefined> = {
  name: "threefry2x32",
  impl([key, count]) {
    const shape = checkPairs("threefry2x32", [key, count]);
    const batch = shape.slice(0, -1);
    const n = sizeOf(batch);
    const out = new Int32Array(2 * n);
    const kd = key.data as Int32Array, cd = count.data as Int32Array;
    const ks = broadcastStrides(key.shape.slice(0, -1), batch);
    const cs = broadcastStrides(count.shape.slice(0, -1), batch);
    const idx = new globalThis.Array<number>(batch.length).fill(0);
    let ko = 0, co = 0;
    for (let i = 0; i < n; i++) {
      threefryBlock(kd[2 * ko], kd[2 * ko + 1], cd[2 * co], cd[2 * co + 1], out, 2 * i);
      // advance the multi-index (row-major) and the two offsets
      for (let ax = batch.length - 1; ax >= 0; ax--) {
        idx[ax]++;
        ko += ks[ax];
        co += cs[ax];
        if (idx[ax] < batch[ax]) break;
        ko -= ks[ax] * batch[ax];
        co -= cs[ax] * batch[ax];
        idx[ax] = 0;
      }
    }
    return new NdArray(out, shape, "int32");
  },
  abstractEval: (args) => ({ shape: checkPairs("threefry2x32", args), dtype: "int32" }),
  jvp([key, count]) {
    const y = bind(threefry2x32P, [key, count], undefined);
    return [y, new Zero(y.shape, y.dtype)];
  },
  // Batch axes to the front, unit axes inserted so the leading axes broadcast.
  vmap(args, dims) {
    let rank = 0;
    args.forEach((x, i) => (rank = Math.max(rank, x.ndim - (dims[i] === null ? 0 : 1))));
    const moved = args.map((x, i) => {
      const d = dims[i];
      if (d === null) return x;
      const y = moveAxis(x, d, 0);
      const missing = rank - (y.ndim - 1);
      if (missing === 0) return y;
      return reshape(y, [
        y.shape[0],
        ...new globalThis.Array<number>(missing).fill(1),
        ...y.shape.slice(1),
      ]);
    });
    return [bind(threefry2x32P, moved, undefined), 0];
  },
};

// ---------------------------------------------------------------------------
// argsort

/** Parameters of `argsort`. */
export interface ArgsortParams {
  /** Compare `int32` keys as unsigned 32-bit words. */
  readonly unsigned: boolean;
}

/**
 * The stable ascending sort order along the last axis, as `int32` indices
 * (NaN sorts last).
 */
export const argsortP: Primitive<ArgsortParams> = {
  name: "argsort",
  impl([x], { unsigned }) {
    if (x.ndim === 0) throw new TypeError("Primitive 'argsort' needs an operand of rank >= 1");
    const m = x.shape[x.ndim - 1];
    const rows = m === 0 ? 0 : x.size / m;
    const out = allocate("int32", x.size) as Int32Array;
    const data = x.data;
    const keys = new Float64Array(m);
    const order = new globalThis.Array<number>(m);
    const key = (v: number) => (unsigned && x.dtype === "int32" ? v >>> 0 : v);
    for (let r = 0; r < rows; r++) {
      for (let j = 0; j < m; j++) {
        const v = key(Number(data[r * m + j]));
        keys[j] = v;
        order[j] = j;
      }
      // Array.prototype.sort is stable; NaN ranks after +Infinity, as NumPy's total order.
      order.sort((i, j) => {
        const a = keys[i], b = keys[j];
        if (a !== a) return b !== b ? 0 : 1;
        if (b !== b) return -1;
        return a < b ? -1 : a > b ? 1 : 0;
      });
      for (let j = 0; j < m; j++) out[r * m + j] = order[j];
    }
    return new NdArray(out, x.shape, "int32");
  },
  abstractEval([x]) {
    if (x.shape.length === 0) {
      throw new TypeError("Primitive 'argsort' needs an operand of rank >= 1");
    }
    return { shape: x.shape, dtype: "int32" };
  },
  jvp([x], _tangents, params) {
    const y = bind(argsortP, [x], params);
    return [y, new Zero(y.shape, "int32")];
  },
  vmap([x], [d], params): [NdArray, BatchDim] {
    return [bind(argsortP, [moveAxis(x, d!, 0)], params), 0];
  },
};
