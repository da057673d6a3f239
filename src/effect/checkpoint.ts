/**
 * Checkpoints: the `Checkpointer` service (in memory, or a directory with atomic writes), a
 * stream combinator that saves every n steps and once more when the stream ends, restoring
 * against a template, and an exact binary format (a JSON header and the raw little-endian
 * buffers: NaN payloads and −0 survive).
 *
 * @module
 */

import { Context, Effect, Layer, Option, Result, Schema, Stream } from "effect";
import * as fs from "node:fs/promises";
import { NdArray, storageOf } from "../array/array.ts";
import { allocate, type DType, isDType } from "../array/dtype.ts";
import * as tree from "../tree.ts";
import type { StepReport, TrainState } from "./_types.ts";
import { CheckpointError } from "./errors.ts";
import { checkPeriod } from "./_checks.ts";

/** Saves and restores training states, keyed by `state.step`. */
export interface Checkpointer {
  /** Saves a state (replacing one of the same step). */
  readonly save: (state: TrainState<unknown>) => Effect.Effect<void, CheckpointError>;
  /** The state saved at `step` (default: the latest); `None` when nothing was saved. */
  readonly restore: (
    step?: number,
  ) => Effect.Effect<Option.Option<TrainState<unknown>>, CheckpointError>;
  /** The saved steps, ascending. */
  readonly steps: Effect.Effect<ReadonlyArray<number>, CheckpointError>;
}

/**
 * The checkpointer service; provide it with {@linkcode layerMemory} or {@linkcode layerDirectory}.
 *
 * @example Saving and listing
 * ```ts
 * import { Effect } from "effect";
 * import { Checkpoint, Checkpointer, Train } from "@nabla/ad/effect";
 * import { deepEqual } from "node:assert/strict";
 *
 * const sgd = { init: () => null, update: (g: unknown) => [g, null] as const };
 * const steps = await Effect.runPromise(Effect.gen(function* () {
 *   const cp = yield* Checkpointer;
 *   yield* cp.save({ ...Train.init({ w: 1 }, sgd), step: 7 });
 *   return yield* cp.steps;
 * }).pipe(Effect.provide(Checkpoint.layerMemory)));
 * deepEqual(steps, [7]);
 * ```
 */
export const Checkpointer: Context.Service<Checkpointer, Checkpointer> = Context.Service<
  Checkpointer
>("@nabla/ad/effect/Checkpointer");

// ---- the format ------------------------------------------------------------------------------

const MAGIC = "NABLACKP";
const VERSION = 1;
/** magic (8) + version (4) + header length (4) + CRC-32 of everything after it (4) */
const PREFIX = 20;

type NodeJson =
  | readonly ["L", number]
  | readonly ["N"]
  | readonly ["U"]
  | readonly ["A", ReadonlyArray<NodeJson>]
  | readonly ["O", ReadonlyArray<string>, ReadonlyArray<NodeJson>];

const LeafJson = Schema.Union([
  Schema.Struct({
    kind: Schema.Literal("array"),
    dtype: Schema.String,
    shape: Schema.Array(Schema.Int),
    offset: Schema.Int,
    bytes: Schema.Int,
  }),
  Schema.Struct({ kind: Schema.Literal("number"), offset: Schema.Int }),
  Schema.Struct({ kind: Schema.Literal("boolean"), value: Schema.Boolean }),
]);
type LeafJson = typeof LeafJson.Type;

const Header = Schema.Struct({
  format: Schema.Literal("nabla-checkpoint"),
  step: Schema.Int,
  tree: Schema.Unknown,
  leaves: Schema.Array(LeafJson),
});
const decodeHeader = Schema.decodeUnknownResult(Header);

let crcTable: Uint32Array | undefined;
function crc32(bytes: Uint8Array): number {
  if (crcTable === undefined) {
    crcTable = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable[n] = c >>> 0;
    }
  }
  let c = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) c = crcTable[(c ^ bytes[i]) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function isPlainObject(x: unknown): x is Record<string, unknown> {
  if (typeof x !== "object" || x === null) return false;
  const proto = Object.getPrototypeOf(x);
  return proto === Object.prototype || proto === null;
}

const align8 = (n: number) => Math.ceil(n / 8) * 8;

/**
 * Encodes a training state exactly: a JSON header (the step, the tree's structure, each leaf's
 * dtype, shape and place) and the raw little-endian buffers, with a CRC-32.
 *
 * @example A round trip keeps NaN and −0
 * ```ts
 * import { Effect } from "effect";
 * import { np } from "@nabla/ad";
 * import { Checkpoint } from "@nabla/ad/effect";
 * import { ok } from "node:assert/strict";
 *
 * const state = { step: 3, params: { w: np.array([NaN, -0, 1]) }, optState: { count: -0 } };
 * const back = await Effect.runPromise(Checkpoint.decode(Checkpoint.encode(state)));
 * const w = (back.params as { w: { tolist(): number[] } }).w.tolist();
 * ok(Number.isNaN(w[0]) && Object.is(w[1], -0) && w[2] === 1);
 * ok(Object.is((back.optState as { count: number }).count, -0));
 * ```
 *
 * @param state The state (parameters and optimizer state are trees of arrays, numbers, booleans).
 * @returns The bytes.
 */
export function encode(state: TrainState<unknown>): Uint8Array {
  if (!Number.isInteger(state.step) || state.step < 0) {
    throw new TypeError(
      `Checkpoint.encode needs a state whose step is a non-negative integer: got ${state.step}`,
    );
  }
  const leaves: LeafJson[] = [];
  const buffers: Array<{ offset: number; bytes: Uint8Array }> = [];
  let offset = 0;
  const put = (bytes: Uint8Array): number => {
    const at = offset;
    buffers.push({ offset: at, bytes });
    offset = align8(offset + bytes.length);
    return at;
  };
  const walk = (x: unknown, path: string): NodeJson => {
    if (x === null) return ["N"];
    if (x === undefined) return ["U"];
    if (Array.isArray(x)) return ["A", x.map((c, i) => walk(c, `${path}[${i}]`))];
    if (isPlainObject(x)) {
      const keys = Object.keys(x).sort();
      return ["O", keys, keys.map((k) => walk(x[k], path ? `${path}.${k}` : k))];
    }
    const i = leaves.length;
    if (x instanceof NdArray) {
      const d = storageOf(x);
      const bytes = new Uint8Array(d.buffer, d.byteOffset, d.byteLength);
      leaves.push({
        kind: "array",
        dtype: x.dtype,
        shape: [...x.shape],
        offset: put(bytes),
        bytes: bytes.length,
      });
    } else if (typeof x === "number") {
      leaves.push({ kind: "number", offset: put(new Uint8Array(new Float64Array([x]).buffer)) });
    } else if (typeof x === "boolean") {
      leaves.push({ kind: "boolean", value: x });
    } else {
      throw new TypeError(
        `Checkpoint.encode can store arrays, numbers and booleans: got ${typeof x} at ${
          path || "the root"
        }`,
      );
    }
    return ["L", i];
  };
  const node = walk({ params: state.params, optState: state.optState }, "");
  const header = new TextEncoder().encode(
    JSON.stringify({ format: "nabla-checkpoint", step: state.step, tree: node, leaves }),
  );
  const dataStart = align8(PREFIX + header.length);
  const out = new Uint8Array(dataStart + offset);
  out.set(new TextEncoder().encode(MAGIC), 0);
  const view = new DataView(out.buffer);
  view.setUint32(8, VERSION, true);
  view.setUint32(12, header.length, true);
  out.set(header, PREFIX);
  for (const b of buffers) {
    if (littleEndian) out.set(b.bytes, dataStart + b.offset);
    else throw new RangeError("Checkpoint.encode supports little-endian platforms only");
  }
  view.setUint32(16, crc32(out.subarray(PREFIX)), true);
  return out;
}

const corrupt = (message: string, cause?: unknown): CheckpointError =>
  new CheckpointError({
    reason: "Corrupt",
    message: `Corrupt checkpoint: ${message}`,
    ...(cause === undefined ? {} : { cause }),
  });

/** The decoding itself, throwing CheckpointError. */
function decodeSync(bytes: Uint8Array): TrainState<unknown> {
  if (!(bytes instanceof Uint8Array)) throw corrupt(`expected bytes, got ${typeof bytes}`);
  if (bytes.length < PREFIX) throw corrupt(`${bytes.length} bytes is shorter than the prefix`);
  if (new TextDecoder().decode(bytes.subarray(0, 8)) !== MAGIC) {
    throw corrupt("not a nabla checkpoint (bad magic bytes)");
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = view.getUint32(8, true);
  if (version !== VERSION) throw corrupt(`unknown format version ${version}`);
  const headerLength = view.getUint32(12, true);
  if (PREFIX + headerLength > bytes.length) {
    throw corrupt(`header of ${headerLength} bytes runs past the end (${bytes.length} bytes)`);
  }
  const crc = crc32(bytes.subarray(PREFIX));
  if (crc !== view.getUint32(16, true)) throw corrupt("checksum mismatch (truncated or altered)");
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(
      bytes.subarray(PREFIX, PREFIX + headerLength),
    ));
  } catch (e) {
    throw corrupt("the header is not JSON", e);
  }
  const parsed = decodeHeader(json);
  if (Result.isFailure(parsed)) throw corrupt(`bad header: ${parsed.failure.message}`);
  const header = parsed.success;
  const dataStart = align8(PREFIX + headerLength);
  const dataLength = bytes.length - dataStart;
  const values = header.leaves.map((leaf, i): unknown => {
    if (leaf.kind === "boolean") return leaf.value;
    const size = leaf.kind === "number" ? 8 : leaf.bytes;
    if (leaf.offset < 0 || size < 0 || leaf.offset + size > dataLength) {
      throw corrupt(`leaf ${i} lies outside the data`);
    }
    const raw = bytes.slice(dataStart + leaf.offset, dataStart + leaf.offset + size);
    if (leaf.kind === "number") return new Float64Array(raw.buffer)[0];
    if (!isDType(leaf.dtype)) throw corrupt(`leaf ${i} has an unknown dtype ${leaf.dtype}`);
    const dtype = leaf.dtype as DType;
    const elements = leaf.shape.reduce((a, b) => a * b, 1);
    if (leaf.shape.some((n) => n < 0)) throw corrupt(`leaf ${i} has a negative extent`);
    const storage = allocate(dtype, elements);
    if (storage.byteLength !== size) {
      throw corrupt(`leaf ${i}: ${size} bytes for ${elements} ${dtype} elements`);
    }
    new Uint8Array(storage.buffer, storage.byteOffset, storage.byteLength).set(raw);
    return new NdArray(storage, leaf.shape, dtype);
  });
  const used = new Set<number>();
  const build = (n: unknown, depth: number): unknown => {
    if (!Array.isArray(n) || depth > 1000) throw corrupt("bad tree structure");
    switch (n[0]) {
      case "N":
        return null;
      case "U":
        return undefined;
      case "L": {
        const i = n[1];
        if (!Number.isInteger(i) || i < 0 || i >= values.length || used.has(i)) {
          throw corrupt(`bad leaf reference ${i}`);
        }
        used.add(i);
        return values[i];
      }
      case "A":
        if (!Array.isArray(n[1])) throw corrupt("bad tree structure");
        return n[1].map((c) => build(c, depth + 1));
      case "O": {
        const [, keys, children] = n;
        if (
          !Array.isArray(keys) || !Array.isArray(children) || keys.length !== children.length ||
          keys.some((k) => typeof k !== "string")
        ) throw corrupt("bad tree structure");
        const out: Record<string, unknown> = {};
        keys.forEach((k: string, j: number) => {
          Object.defineProperty(out, k, {
            value: build(children[j], depth + 1),
            enumerable: true,
            writable: true,
            configurable: true,
          });
        });
        return out;
      }
      default:
        throw corrupt("bad tree structure");
    }
  };
  const root = build(header.tree, 0) as { params?: unknown; optState?: unknown };
  if (!isPlainObject(root) || !("params" in root) || !("optState" in root)) {
    throw corrupt("the tree holds no params and optState");
  }
  if (used.size !== values.length) throw corrupt("unreferenced leaves");
  return { step: header.step, params: root.params, optState: root.optState };
}

/**
 * Decodes bytes made by {@linkcode encode}; anything else (truncated, altered, not a
 * checkpoint) is a `CheckpointError` with reason `"Corrupt"`. The header is validated with
 * Effect's `Schema`.
 *
 * @example Truncated bytes fail with a typed error
 * ```ts
 * import { Effect, Exit } from "effect";
 * import { np } from "@nabla/ad";
 * import { Checkpoint } from "@nabla/ad/effect";
 * import { ok } from "node:assert/strict";
 *
 * const bytes = Checkpoint.encode({ step: 1, params: np.ones([4]), optState: null });
 * const exit = await Effect.runPromiseExit(Checkpoint.decode(bytes.subarray(0, bytes.length - 3)));
 * ok(Exit.isFailure(exit));
 * ```
 *
 * @param bytes The encoded state.
 * @returns The state, or a `CheckpointError`.
 */
export function decode(bytes: Uint8Array): Effect.Effect<TrainState<unknown>, CheckpointError> {
  return Effect.suspend(() => {
    try {
      return Effect.succeed(decodeSync(bytes));
    } catch (e) {
      return e instanceof CheckpointError ? Effect.fail(e) : Effect.fail(corrupt(String(e), e));
    }
  });
}

// ---- layers --------------------------------------------------------------------------------------

function checkStep(step: number | undefined): void {
  if (step !== undefined && !(Number.isInteger(step) && step >= 0)) {
    throw new RangeError(`Checkpointer.restore: step must be a non-negative integer: got ${step}`);
  }
}

const notFound = (step: number, path?: string) =>
  new CheckpointError({
    reason: "NotFound",
    message: `No checkpoint of step ${step}${path ? ` in ${path}` : ""}`,
    ...(path === undefined ? {} : { path }),
  });

/** A checkpointer holding encoded states in memory (each restore decodes fresh arrays). */
function memory(): Checkpointer {
  const saved = new Map<number, Uint8Array>();
  const sorted = () => [...saved.keys()].sort((a, b) => a - b);
  return {
    save: (state) =>
      Effect.suspend(() => {
        try {
          saved.set(state.step, encode(state));
          return Effect.void;
        } catch (e) {
          return Effect.fail(
            new CheckpointError({
              reason: "Io",
              message: `Cannot save: ${(e as Error).message}`,
              cause: e,
            }),
          );
        }
      }),
    restore: (step) =>
      Effect.suspend(() => {
        checkStep(step);
        const at = step ?? sorted().at(-1);
        if (at === undefined) return Effect.succeed(Option.none());
        const bytes = saved.get(at);
        if (bytes === undefined) return Effect.fail(notFound(at));
        return Effect.map(decode(bytes), Option.some);
      }),
    steps: Effect.sync(sorted),
  };
}

/**
 * A `Checkpointer` in memory, fresh for each build of the layer.
 *
 * @example Restore the latest
 * ```ts
 * import { Effect, Option } from "effect";
 * import { np } from "@nabla/ad";
 * import { Checkpoint, Checkpointer } from "@nabla/ad/effect";
 * import { equal } from "node:assert/strict";
 *
 * const step = await Effect.runPromise(Effect.gen(function* () {
 *   const cp = yield* Checkpointer;
 *   yield* cp.save({ step: 1, params: np.ones([2]), optState: null });
 *   yield* cp.save({ step: 2, params: np.ones([2]), optState: null });
 *   return Option.getOrThrow(yield* cp.restore()).step;
 * }).pipe(Effect.provide(Checkpoint.layerMemory)));
 * equal(step, 2);
 * ```
 */
export const layerMemory: Layer.Layer<Checkpointer> = Layer.sync(Checkpointer, memory);

const FILE = /^ckpt_(\d+)\.nabla$/;
const fileName = (step: number) => `ckpt_${String(step).padStart(10, "0")}.nabla`;

/** Options of {@linkcode layerDirectory}. */
export interface DirectoryOptions {
  /** How many of the latest checkpoints to keep (default: all). */
  readonly keep?: number;
}

/**
 * A `Checkpointer` writing one file per step into `dir` (created when needed). Writes are
 * atomic (a temporary file renamed into place), so a crash never leaves a half-written
 * checkpoint; with `keep`, older files are deleted after each save.
 *
 * @example Checkpoints in a directory
 * ```ts
 * import { Effect } from "effect";
 * import { np } from "@nabla/ad";
 * import { Checkpoint, Checkpointer } from "@nabla/ad/effect";
 * import { deepEqual } from "node:assert/strict";
 * import { rmSync } from "node:fs";
 *
 * const dir = "examples/out/doc-checkpoints";
 * rmSync(dir, { recursive: true, force: true });
 * const steps = await Effect.runPromise(Effect.gen(function* () {
 *   const cp = yield* Checkpointer;
 *   for (const step of [1, 2, 3]) yield* cp.save({ step, params: np.ones([2]), optState: null });
 *   return yield* cp.steps;
 * }).pipe(Effect.provide(Checkpoint.layerDirectory(dir, { keep: 2 }))));
 * deepEqual(steps, [2, 3]);
 * rmSync(dir, { recursive: true });
 * ```
 *
 * @param dir The directory.
 * @param o `keep`: how many of the latest checkpoints to keep.
 * @returns The layer.
 */
export function layerDirectory(dir: string, o: DirectoryOptions = {}): Layer.Layer<Checkpointer> {
  const keep = o.keep;
  if (keep !== undefined && !(Number.isInteger(keep) && keep >= 1)) {
    throw new RangeError(`Checkpoint.layerDirectory: keep must be a positive integer: got ${keep}`);
  }
  const path = (step: number) => `${dir}/${fileName(step)}`;
  const io = <A>(what: string, p: string, f: () => Promise<A>) =>
    Effect.tryPromise({
      try: f,
      catch: (e) =>
        new CheckpointError({
          reason: "Io",
          message: `Cannot ${what} ${p}: ${(e as Error)?.message ?? e}`,
          path: p,
          cause: e,
        }),
    });
  const steps: Effect.Effect<ReadonlyArray<number>, CheckpointError> = io(
    "list",
    dir,
    async () => {
      let names: string[];
      try {
        names = await fs.readdir(dir);
      } catch (e) {
        if ((e as { code?: string }).code === "ENOENT") return [];
        throw e;
      }
      return names.flatMap((n) => {
        const m = FILE.exec(n);
        return m ? [Number(m[1])] : [];
      }).sort((a, b) => a - b);
    },
  );
  const save = (state: TrainState<unknown>): Effect.Effect<void, CheckpointError> =>
    Effect.gen(function* () {
      const target = path(state.step);
      const bytes = yield* Effect.try({
        try: () => encode(state),
        catch: (e) =>
          new CheckpointError({
            reason: "Io",
            message: `Cannot save: ${(e as Error).message}`,
            path: target,
            cause: e,
          }),
      });
      const tmp = `${target}.tmp-${Date.now()}-${Math.random().toString(36).slice(2)}`;
      yield* io("write", target, async () => {
        await fs.mkdir(dir, { recursive: true });
        try {
          await fs.writeFile(tmp, bytes);
          await fs.rename(tmp, target);
        } catch (e) {
          await fs.rm(tmp, { force: true }).catch(() => {});
          throw e;
        }
      });
      if (keep !== undefined) {
        const all = yield* steps;
        for (const old of all.slice(0, Math.max(0, all.length - keep))) {
          yield* io("delete", path(old), () => fs.rm(path(old), { force: true }));
        }
      }
    });
  const restore = (
    step?: number,
  ): Effect.Effect<Option.Option<TrainState<unknown>>, CheckpointError> =>
    Effect.gen(function* () {
      checkStep(step);
      const at = step ?? (yield* steps).at(-1);
      if (at === undefined) return Option.none();
      const p = path(at);
      const bytes = yield* io("read", p, () => fs.readFile(p)).pipe(
        Effect.catchTag("CheckpointError", (e) =>
          (e.cause as { code?: string })?.code === "ENOENT"
            ? Effect.fail(notFound(at, dir))
            : Effect.fail(e)),
      );
      const state = yield* decode(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength))
        .pipe(
          Effect.mapError((e) =>
            new CheckpointError({ ...e, message: `${e.message} (${p})`, path: p })
          ),
        );
      return Option.some(state);
    });
  return Layer.succeed(Checkpointer, { save, restore, steps });
}

// ---- in training ------------------------------------------------------------------------------------

/**
 * Saves the state every `n` steps (when `state.step` is a multiple of `n`), and the last state
 * once more when the stream ends — by success, failure (a `NonFiniteLoss` keeps the last finite
 * state) or interruption. A failed save at the end is logged, not raised.
 *
 * @example Checkpoints every 4 steps and at the end
 * ```ts
 * import { Effect, Stream } from "effect";
 * import { type Array, np } from "@nabla/ad";
 * import { Checkpoint, Checkpointer, Train } from "@nabla/ad/effect";
 * import { deepEqual } from "node:assert/strict";
 *
 * const sgd = { init: () => null, update: (g: unknown) => [np.multiply(g as Array, -0.1), null] as const };
 * const steps = await Effect.runPromise(Effect.gen(function* () {
 *   yield* Stream.runDrain(
 *     Train.stream({ loss: (w: Array) => np.square(w), params: np.array(1), optimizer: sgd })
 *       .pipe(Stream.take(10), Checkpoint.checkpointEvery(4)),
 *   );
 *   return yield* (yield* Checkpointer).steps;
 * }).pipe(Effect.provide(Checkpoint.layerMemory)));
 * deepEqual(steps, [4, 8, 10]);
 * ```
 *
 * @param n The period in steps.
 * @returns A stream combinator.
 */
export function checkpointEvery(
  n: number,
): <P, Aux, E, R>(
  s: Stream.Stream<StepReport<P, Aux>, E, R>,
) => Stream.Stream<StepReport<P, Aux>, E | CheckpointError, R | Checkpointer> {
  checkPeriod("Checkpoint.checkpointEvery", n);
  return <P, Aux, E, R>(s: Stream.Stream<StepReport<P, Aux>, E, R>) =>
    Stream.unwrap(Effect.map(Checkpointer, (cp) => {
      let last: TrainState<P> | undefined;
      let saved = -1;
      return s.pipe(
        Stream.tap((r) => {
          last = r.state;
          if (r.state.step % n !== 0) return Effect.void;
          saved = r.state.step;
          return cp.save(r.state);
        }),
        Stream.ensuring(
          Effect.suspend(() =>
            last === undefined || last.step === saved ? Effect.void : cp.save(last).pipe(
              Effect.catch((e) => Effect.logWarning(`Final checkpoint not saved: ${e.message}`)),
            )
          ),
        ),
      );
    }));
}

/**
 * The latest checkpoint checked against `template` (structure, shapes and dtypes), or the
 * template itself when there is none.
 *
 * @example Resume or start fresh
 * ```ts
 * import { Effect } from "effect";
 * import { np } from "@nabla/ad";
 * import { Checkpoint, Checkpointer } from "@nabla/ad/effect";
 * import { equal } from "node:assert/strict";
 *
 * const template = { step: 0, params: { w: np.zeros([3]) }, optState: null };
 * const [fresh, resumed] = await Effect.runPromise(Effect.gen(function* () {
 *   const fresh = yield* Checkpoint.restoreOrInit(template);
 *   yield* (yield* Checkpointer).save({ ...template, step: 5 });
 *   return [fresh, yield* Checkpoint.restoreOrInit(template)];
 * }).pipe(Effect.provide(Checkpoint.layerMemory)));
 * equal(fresh.step, 0);
 * equal(resumed.step, 5);
 * ```
 *
 * @param template The initial state, whose shape the checkpoint must have.
 * @returns The state to start from.
 */
export function restoreOrInit<P>(
  template: TrainState<P>,
): Effect.Effect<TrainState<P>, CheckpointError, Checkpointer> {
  return Effect.flatMap(
    Checkpointer,
    (cp) =>
      Effect.flatMap(
        cp.restore(),
        (o) => Option.isNone(o) ? Effect.succeed(template) : matchTemplate(o.value, template),
      ),
  );
}

function describeLeaf(x: unknown): string {
  if (x instanceof NdArray) return `${x.dtype}[${x.shape.join(",")}]`;
  return typeof x;
}

/**
 * Checks a restored state against a template — the same tree structure, and leaf by leaf the
 * same kind, shape and dtype — and returns it typed as the template; a `CheckpointError` with
 * reason `"Mismatch"` names the first difference.
 *
 * @example A checkpoint of another model
 * ```ts
 * import { Effect } from "effect";
 * import { np } from "@nabla/ad";
 * import { Checkpoint } from "@nabla/ad/effect";
 * import { equal } from "node:assert/strict";
 *
 * const template = { step: 0, params: { w: np.zeros([3]) }, optState: null };
 * const other = { step: 9, params: { w: np.zeros([4]) }, optState: null };
 * const message = await Effect.runPromise(Checkpoint.matchTemplate(other, template).pipe(
 *   Effect.map(() => ""),
 *   Effect.catchTag("CheckpointError", (e) => Effect.succeed(e.message)),
 * ));
 * equal(message, "Checkpoint does not match the template at params.w: float64[4] instead of float64[3]");
 * ```
 *
 * @param restored The restored state.
 * @param template The state it must look like.
 * @returns The restored state, typed as the template.
 */
export function matchTemplate<P>(
  restored: TrainState<unknown>,
  template: TrainState<P>,
): Effect.Effect<TrainState<P>, CheckpointError> {
  return Effect.suspend(() => {
    const mismatch = (message: string) =>
      Effect.fail(
        new CheckpointError({
          reason: "Mismatch",
          message: `Checkpoint does not match the template${message}`,
        }),
      );
    const a = { params: restored.params, optState: restored.optState };
    const b = { params: template.params, optState: template.optState };
    const [da, db] = [tree.structure(a), tree.structure(b)];
    if (!da.equals(db)) return mismatch(`: structure ${da} instead of ${db}`);
    const la = tree.flattenWithPath<unknown>(a)[0];
    const lb = tree.flattenWithPath<unknown>(b)[0];
    for (let i = 0; i < la.length; i++) {
      const [path, x] = la[i];
      const y = lb[i][1];
      const same = x instanceof NdArray
        ? y instanceof NdArray && x.dtype === y.dtype &&
          x.shape.length === y.shape.length && x.shape.every((n, j) => n === y.shape[j])
        : typeof x === typeof y && !(y instanceof NdArray);
      if (!same) return mismatch(` at ${path}: ${describeLeaf(x)} instead of ${describeLeaf(y)}`);
    }
    return Effect.succeed(restored as TrainState<P>);
  });
}
