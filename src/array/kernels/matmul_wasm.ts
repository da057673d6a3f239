/**
 * The WebAssembly SIMD matrix product behind `matmulKernel` for float64 and
 * float32 (see `wasm/matmul.wat` for the kernel and its rounding).
 *
 * The module's bytes are embedded (`wasm/matmul_bytes.ts`) and compiled
 * synchronously on first use; where WebAssembly or its SIMD proposal is
 * missing, `wasmMatmul` returns false and the caller keeps its JS loops.
 *
 * Memory: each call copies A and B into the module's memory, reserves the
 * padded C and the packing buffers, runs the kernel, and copies C out. One
 * memory is kept between calls and grown up to `wasmLimits.keep`; a batch that
 * needs more runs in chunks, and a single product that needs more gets a
 * temporary instance with its own memory, dropped (and garbage-collected)
 * after the call. So what stays allocated is bounded by `wasmLimits.keep`.
 *
 * @module
 */

import { MATMUL_WASM_BASE64 } from "./wasm/matmul_bytes.ts";

type Gemm = (
  a: number,
  b: number,
  c: number,
  m: number,
  k: number,
  n: number,
  pa: number,
  pb: number,
  mc: number,
  kc: number,
  nc: number,
) => void;

interface Instance {
  memory: WebAssembly.Memory;
  f64: Gemm;
  f32: Gemm;
}

/** Cache-block sizes in elements (MC a multiple of 4; NC of 4 for f64, 8 for f32). */
export interface Blocks {
  mc: number;
  kc: number;
  nc: number;
}

/**
 * Block sizes per dtype, mutable for tuning. f64 `kc` = 256 equals the JS
 * path's KC, so both paths sum in the same order and agree bit for bit.
 * Tuned on a 2-core Xeon (48 KiB L1d, 2 MiB L2): within noise from 64 to 256
 * for mc and 256 to 1024 for nc.
 */
export const wasmBlocks: { f64: Blocks; f32: Blocks } = {
  f64: { mc: 128, kc: 256, nc: 256 },
  f32: { mc: 128, kc: 512, nc: 512 },
};

/**
 * Memory limits in bytes, mutable for tests: the kept memory grows up to
 * `keep` (larger work is chunked or gets a temporary memory); a single product
 * needing more than `max` is left to the JS path (addresses stay far from 2^32).
 */
export const wasmLimits: { keep: number; max: number } = { keep: 64 << 20, max: 1 << 30 };

const PAGE = 65536;

let compiled: WebAssembly.Module | null | undefined;
let kept: Instance | undefined;
let enabled = true;

function decode(b64: string): Uint8Array<ArrayBuffer> {
  const s = atob(b64);
  const bytes = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) bytes[i] = s.charCodeAt(i);
  return bytes;
}

function compile(): WebAssembly.Module | null {
  if (compiled !== undefined) return compiled;
  compiled = null;
  try {
    if (typeof WebAssembly === "object") {
      const bytes = decode(MATMUL_WASM_BASE64);
      // validate() is false where SIMD is unsupported.
      if (WebAssembly.validate(bytes)) compiled = new WebAssembly.Module(bytes);
    }
  } catch {
    compiled = null;
  }
  return compiled;
}

function instantiate(mod: WebAssembly.Module, bytes: number): Instance {
  const memory = new WebAssembly.Memory({ initial: Math.ceil(bytes / PAGE) });
  const exports = new WebAssembly.Instance(mod, { env: { memory } }).exports;
  return { memory, f64: exports.gemm_f64 as Gemm, f32: exports.gemm_f32 as Gemm };
}

/** Size in bytes of the memory kept between calls (0 before the first call). */
export function wasmKeptBytes(): number {
  return kept === undefined ? 0 : kept.memory.buffer.byteLength;
}

/** Whether the WebAssembly SIMD kernel can run here. */
export function wasmMatmulAvailable(): boolean {
  return compile() !== null;
}

/**
 * Turns the WebAssembly path on or off (tests and benchmarks force the JS
 * fallback with `false`); returns the previous setting.
 */
export function setWasmMatmul(on: boolean): boolean {
  const was = enabled;
  enabled = on;
  return was;
}

/** Whether `matmulKernel` may use the WebAssembly path. */
export function wasmMatmulEnabled(): boolean {
  return enabled && compile() !== null;
}

const align = (x: number): number => (x + 15) & ~15;

/**
 * Batched product `out = a · b` ((batch,m,k)·(batch,k,n), contiguous
 * row-major, all Float64Array or all Float32Array) in WebAssembly. Returns
 * false, having written nothing, when the module is unavailable or the
 * product too large; m, k, n and batch must be at least 1.
 */
export function wasmMatmul(
  a: Float64Array | Float32Array,
  b: Float64Array | Float32Array,
  out: Float64Array | Float32Array,
  batch: number,
  m: number,
  k: number,
  n: number,
): boolean {
  const mod = compile();
  if (mod === null) return false;
  const f64 = out instanceof Float64Array;
  const e = f64 ? 8 : 4;
  const nr = f64 ? 4 : 8;
  const blocks = f64 ? wasmBlocks.f64 : wasmBlocks.f32;
  const mPad = Math.ceil(m / 4) * 4;
  const nPad = Math.ceil(n / nr) * nr;
  const kc = Math.min(blocks.kc, k);
  const paBytes = align(Math.min(blocks.mc, mPad) * kc * e);
  const pbBytes = align(kc * Math.min(blocks.nc, nPad) * e);
  const fixed = paBytes + pbBytes + 48; // + alignment of the A, B and C regions
  const per = (m * k + k * n + mPad * nPad) * e;
  if (fixed + per > wasmLimits.max) return false;

  let inst: Instance;
  let chunk: number;
  try {
    if (fixed + per <= wasmLimits.keep) {
      chunk = Math.min(batch, Math.floor((wasmLimits.keep - fixed) / per));
      const need = fixed + chunk * per;
      if (kept === undefined) kept = instantiate(mod, need);
      const have = kept.memory.buffer.byteLength;
      if (have < need) kept.memory.grow(Math.ceil((need - have) / PAGE));
      inst = kept;
    } else {
      chunk = 1;
      inst = instantiate(mod, fixed + per);
    }
  } catch {
    return false; // out of memory: let the JS path try
  }

  const gemm = f64 ? inst.f64 : inst.f32;
  const buffer = inst.memory.buffer;
  const pa = 0;
  const pb = paBytes;
  const aOff = pb + pbBytes;
  const bOff = align(aOff + chunk * m * k * e);
  const cOff = align(bOff + chunk * k * n * e);
  const mk = m * k, kn = k * n, mn = m * n, cSize = mPad * nPad;
  const view = (off: number, len: number): Float64Array | Float32Array =>
    f64 ? new Float64Array(buffer, off, len) : new Float32Array(buffer, off, len);
  for (let t0 = 0; t0 < batch; t0 += chunk) {
    const cnt = Math.min(chunk, batch - t0);
    view(aOff, cnt * mk).set(a.subarray(t0 * mk, (t0 + cnt) * mk));
    view(bOff, cnt * kn).set(b.subarray(t0 * kn, (t0 + cnt) * kn));
    const c = view(cOff, cnt * cSize);
    for (let t = 0; t < cnt; t++) {
      gemm(
        aOff + t * mk * e,
        bOff + t * kn * e,
        cOff + t * cSize * e,
        m,
        k,
        n,
        pa,
        pb,
        blocks.mc,
        blocks.kc,
        blocks.nc,
      );
      const base = t * cSize;
      if (nPad !== n) {
        // Drop the padding columns: rows move down in place, first to last.
        for (let i = 1; i < m; i++) {
          c.copyWithin(base + i * n, base + i * nPad, base + i * nPad + n);
        }
      }
      out.set(c.subarray(base, base + mn), (t0 + t) * mn);
    }
  }
  return true;
}
