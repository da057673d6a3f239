/**
 * Buffer pools of compiled array programs: while a program runs, the
 * storage `allocate` hands out (larger than the shared slab's) is drawn
 * from the program's own pool, and an intermediate's buffer returns to the
 * pool after its last reader — so a call of a warm program allocates only
 * the buffers it returns, and writes go to warm pages. A recycled buffer is
 * zeroed (as a fresh one is), so results are bit-identical.
 *
 * Only buffers handed out during the current call return, only from
 * values no live value shares storage with (a reshape may share it), and
 * only from producers known not to keep their outputs (the elementwise,
 * structural, reduction and product primitives, fused loops, compiled
 * calls and loops) and values never passed to user code (custom rules).
 *
 * @module
 */

import type { NdArray } from "../array/array.ts";
import { storageOf } from "../array/array.ts";
import { type DType, setStoragePool, type StoragePool, type TypedArray } from "../array/dtype.ts";

/** Primitives whose outputs are fresh and kept by nobody else (their buffers may be recycled). */
export const POOLED_PRODUCERS: ReadonlySet<string> = new Set([
  "neg",
  "sin",
  "cos",
  "tan",
  "asin",
  "acos",
  "atan",
  "sinh",
  "cosh",
  "tanh",
  "asinh",
  "acosh",
  "atanh",
  "exp",
  "expm1",
  "log",
  "log1p",
  "sqrt",
  "abs",
  "sign",
  "floor",
  "ceil",
  "round",
  "not",
  "is_nan",
  "is_inf",
  "is_finite",
  "add",
  "sub",
  "mul",
  "div",
  "pow",
  "integer_pow",
  "max",
  "min",
  "atan2",
  "rem",
  "floor_divide",
  "eq",
  "ne",
  "lt",
  "le",
  "gt",
  "ge",
  "and",
  "or",
  "select",
  "convert_element_type",
  "stop_gradient",
  "reduce_sum",
  "reduce_max",
  "reduce_min",
  "reduce_prod",
  "dot_general",
  "broadcast_to",
  "reshape",
  "transpose",
  "slice",
  "pad",
  "concatenate",
  "rev",
  "take",
  "scatter_add",
  "cumsum",
]);

/** The storage type's name of a real dtype (the pool's key, with the length). */
function storageName(dtype: DType): string {
  switch (dtype) {
    case "float64":
      return "Float64Array";
    case "float32":
    case "float16":
    case "bfloat16":
      return "Float32Array";
    case "int32":
      return "Int32Array";
    case "int16":
      return "Int16Array";
    case "int8":
      return "Int8Array";
    case "uint32":
      return "Uint32Array";
    case "uint16":
      return "Uint16Array";
    default:
      return "Uint8Array";
  }
}

/** Most buffers kept per (storage type, length). */
const MAX_FREE = 8;

/** The pool of one executable (see the module doc). */
export class BufferPool implements StoragePool {
  private readonly free = new Map<string, TypedArray[]>();
  private readonly out = new Set<TypedArray>();
  private busy = false;

  /**
   * Installs the pool for a call; returns what {@linkcode BufferPool.end}
   * restores. A re-entrant call (the pool busy) runs without it.
   */
  begin(): { prev: StoragePool | null; own: boolean } {
    if (this.busy) return { prev: setStoragePool(null), own: false };
    this.busy = true;
    this.out.clear();
    return { prev: setStoragePool(this), own: true };
  }

  /** Uninstalls the pool after a call. */
  end(state: { prev: StoragePool | null; own: boolean }): void {
    setStoragePool(state.prev);
    if (state.own) {
      this.busy = false;
      this.out.clear();
    }
  }

  /** A recycled buffer, zeroed. */
  take(dtype: DType, size: number): TypedArray | undefined {
    const list = this.free.get(`${storageName(dtype)}:${size}`);
    if (list === undefined || list.length === 0) return undefined;
    const b = list.pop()!;
    b.fill(0);
    return b;
  }

  /** Records a buffer handed out during this call. */
  handed(buffer: TypedArray): void {
    this.out.add(buffer);
  }

  /**
   * Keeps `x`'s buffer out of the pool for the rest of the call (a producer
   * or reader that may hold on to it).
   *
   * @param x A value.
   */
  pin(x: NdArray | undefined): void {
    if (x !== undefined) this.out.delete(storageOf(x));
  }

  /**
   * Returns `x`'s buffer to the pool if it was handed out during this call,
   * owns its whole `ArrayBuffer`, and no live register shares it.
   *
   * @param x A value after its last use.
   * @param regs The registers.
   * @param live Indices of the registers live after this step.
   */
  release(x: NdArray, regs: readonly NdArray[], live: readonly number[]): void {
    const b = storageOf(x);
    if (!this.out.has(b) || b.byteLength !== b.buffer.byteLength) return;
    for (let i = 0; i < live.length; i++) {
      const r = regs[live[i]];
      if (r !== undefined && storageOf(r).buffer === b.buffer) return;
    }
    this.out.delete(b);
    const key = `${b.constructor.name}:${b.length}`;
    let list = this.free.get(key);
    if (list === undefined) this.free.set(key, list = []);
    if (list.length < MAX_FREE) list.push(b);
  }
}
