/**
 * Vectorising map: `vmap : (a → b) → (a[n] → b[n])`.
 *
 * A {@linkcode VmapHandler} carries, for each batched value, the axis it is
 * mapped over. For an operation on its own tracers it runs the primitive's
 * `vmap` rule with its parent installed; unbatched operands have batch
 * dimension `null`. Reading a batched value (`x.item()`) is an error: the
 * batch members may disagree, so JavaScript control flow cannot follow them.
 *
 * Reads the `vmap` rule of each primitive.
 *
 * @module
 */

import { NdArray } from "../array/array.ts";
import { normalizeAxis, ShapeError, showShape } from "../array/shape.ts";
import { currentHandler, Handler, swapHandler, Tracer } from "../core/handler.ts";
import { ConcretizationError } from "../core/errors.ts";
import type { BatchDim, CallPrimitive, CustomCall, Primitive } from "../core/primitive.ts";
import { broadcastTo, reshape } from "../primitives/structural.ts";
import { reduceSum } from "../primitives/reductions.ts";
import { moveAxis } from "../primitives/rules.ts";
import { flatten, type TreeDef, unflatten } from "../tree.ts";
import { type AnyFunction, describe, flattenOutput, leafToArray, runUnder } from "./common.ts";
import { showValue } from "../array/shape.ts";
import { checkOptions } from "../core/options.ts";

/** A batched value inside a `vmap`: `value` holds all members along `batchDim`. */
export class BatchTracer extends Tracer {
  /** All batch members stacked along `batchDim`. */
  readonly value: NdArray;
  /** The axis of `value` the batch runs along. */
  readonly batchDim: number;
  /**
   * Creates one; see the class doc.
   *
   * @param handler The owning handler.
   * @param value The stacked value.
   * @param batchDim Its batch axis.
   */
  constructor(handler: Handler, value: NdArray, batchDim: number) {
    const shape = value.shape.slice();
    shape.splice(batchDim, 1);
    super(handler, shape, value.dtype);
    this.value = value;
    this.batchDim = batchDim;
  }
  /** The value one level down, for `item()` and printing. */
  protected primalValue(): NdArray {
    throw new ConcretizationError(
      `Cannot read the value of an array batched by ${this.handler.name} (item(), tolist(), data or printing): ` +
        `its batch members may differ, so JavaScript control flow cannot depend on it. ` +
        `Select values with np.where(condition, x, y) instead of if/else`,
    );
  }
}

/** The batching handler: one instance per `vmap` call. */
export class VmapHandler extends Handler {
  /** The transformation's name. */
  readonly name = "vmap";
  /** The size of the mapped axis. */
  readonly axisSize: number;
  /**
   * Creates one; see the class doc.
   *
   * @param axisSize The size of the mapped axis.
   */
  constructor(axisSize: number) {
    super();
    this.axisSize = axisSize;
  }

  /** Interprets one operation (see the module doc). */
  process<P>(prim: Primitive<P>, args: readonly NdArray[], params: P): NdArray {
    if (!this.hasOwnTracer(args)) return this.forward(prim, args, params);
    const n = args.length;
    const values = new globalThis.Array<NdArray>(n);
    const dims = new globalThis.Array<BatchDim>(n);
    for (let i = 0; i < n; i++) {
      const a = args[i];
      if (a instanceof BatchTracer && a.handler === this) {
        values[i] = a.value;
        dims[i] = a.batchDim;
      } else {
        values[i] = a;
        dims[i] = null;
      }
    }
    const saved = swapHandler(this.parent!);
    let out: NdArray, d: BatchDim;
    try {
      [out, d] = prim.vmap(values, dims, params, this.axisSize);
    } finally {
      swapHandler(saved);
    }
    return d === null ? out : new BatchTracer(this, out, d);
  }

  /** Interprets a call primitive with its `vmap` rule (a batched program). */
  override processCall<P>(
    call: CallPrimitive<P>,
    args: readonly NdArray[],
    params: P,
  ): NdArray[] {
    if (!this.hasOwnTracer(args)) return this.forwardCall(call, args, params);
    const dims: BatchDim[] = [];
    const values = args.map((a) => {
      if (a instanceof BatchTracer && a.handler === this) {
        dims.push(a.batchDim);
        return a.value;
      }
      dims.push(null);
      return a;
    });
    const saved = swapHandler(this.parent!);
    let outs: NdArray[], outDims: BatchDim[];
    try {
      [outs, outDims] = call.vmap(values, dims, params, this.axisSize);
    } finally {
      swapHandler(saved);
    }
    return outs.map((o, i) => (outDims[i] === null ? o : new BatchTracer(this, o, outDims[i])));
  }

  /**
   * Batches a function with a custom rule into another such function — `f`
   * and its rule vectorised — and hands it to the parent, so outer
   * transformations still use the rule. As JAX's batch trace, it does so even
   * when no argument is batched here: the function may close over values
   * batched here. `f` and its rules run as a subtrace of this handler (this
   * handler current, its parent the caller's handler), so such closures are
   * interpreted, also in a backward rule run after `vmap` returned.
   */
  override processCustom(call: CustomCall, args: readonly NdArray[]): NdArray[] {
    this.hasOwnTracer(args); // refuses escaped tracers
    const dims: BatchDim[] = [];
    const values = args.map((a) => {
      if (a instanceof BatchTracer && a.handler === this) {
        dims.push(a.batchDim);
        return a.value;
      }
      dims.push(null);
      return a;
    });
    // Output batch dims: all 0 when an argument is batched here, else as the first run gives them
    // (a call on unbatched arguments stays unbatched unless it reads batched closed-over values).
    const own = dims.some((d) => d !== null);
    let contract: BatchDim[] | null = null, resDims: BatchDim[] | null = null;
    const lower = (os: readonly NdArray[], c: readonly BatchDim[], what: string): NdArray[] =>
      os.map((o, i) => {
        if (c[i] === 0) return this.toAxis0(o);
        if (this.owns(o)) {
          throw new TypeError(
            `vmap: a rule of '${call.name}' returned ${what} ${i} batched, where its first run did not`,
          );
        }
        return o;
      });
    const settle = (os: readonly NdArray[]): NdArray[] =>
      lower(os, contract ??= os.map((o) => (own || this.owns(o) ? 0 : null)), "output");
    // g on groups of arrays batched along `specs` (one per group), with this handler current
    const sub = (
      groups: readonly (readonly NdArray[])[],
      specs: readonly (readonly BatchDim[])[],
      g: (...gs: NdArray[][]) => NdArray[][],
    ): NdArray[][] =>
      this.subtrace(() =>
        g(...groups.map((xs, k) =>
          xs.map((x, i) => {
            const d = specs[k][i];
            return d === null ? x : new BatchTracer(this, x, d);
          })
        ))
      );
    const f = (xs: readonly NdArray[]) => settle(sub([xs], [dims], (ys) => [call.f(ys)])[0]);
    let batched: CustomCall;
    if (call.kind === "custom_jvp") {
      batched = {
        kind: "custom_jvp",
        name: call.name,
        f,
        jvp: (ps, ts) => {
          const [o, t] = sub([ps, ts], [dims, dims], (p, u) => call.jvp(p, u));
          return [settle(o), settle(t)];
        },
      };
    } else {
      batched = {
        kind: "custom_vjp",
        name: call.name,
        forwardMode: call.forwardMode,
        numConsts: call.numConsts,
        f,
        fwd: (xs) => {
          const [o, r] = sub([xs], [dims], (ys) => call.fwd(ys));
          // residuals travel batched along 0, or unbatched (so is then the backward pass for them)
          const outs = settle(o);
          return [outs, lower(r, resDims ??= r.map((x) => (this.owns(x) ? 0 : null)), "residual")];
        },
        bwd: (res, cts) => {
          const [g] = sub([res, cts], [resDims!, contract!], (r, c) => [call.bwd(r, c)]);
          // as JAX: a batched cotangent of an unbatched input is summed over the batch
          return g.map((ct, i) => {
            const d = dims[i];
            if (d !== null) return moveAxis(this.toAxis0(ct), 0, d);
            return ct instanceof BatchTracer && ct.handler === this
              ? reduceSum(ct.value, [ct.batchDim])
              : ct;
          });
        },
      };
    }
    const saved = swapHandler(this.parent!);
    let outs: NdArray[];
    try {
      outs = this.parent!.processCustom(batched, values);
    } finally {
      swapHandler(saved);
    }
    const c = contract ?? outs.map(() => 0);
    return outs.map((o, i) => (c[i] === null ? o : new BatchTracer(this, o, 0)));
  }

  private owns(o: NdArray): boolean {
    return o instanceof BatchTracer && o.handler === this;
  }

  /**
   * Runs `g` with this handler current and, meanwhile, the caller's handler
   * as its parent (JAX's batch subtrace: the same tag under a new parent).
   * A rule run after `vmap` returned (a backward pass) revives the handler
   * for its extent, so the values it closes over are still interpreted.
   */
  private subtrace<R>(g: () => R): R {
    const under = currentHandler();
    let below = false; // `under` already runs on top of this handler: keep its parent
    for (let h: Handler | null = under; h !== null && !below; h = h.parent) below = h === this;
    const self = this as unknown as { parent: Handler | null };
    const parent = self.parent, retired = this.retired;
    if (!below) self.parent = under;
    this.retired = false;
    const saved = swapHandler(this);
    try {
      return g();
    } finally {
      swapHandler(saved);
      self.parent = parent;
      this.retired = retired;
    }
  }

  /** A value of the caller's level batched along 0 (broadcast if it is not batched here). */
  private toAxis0(o: NdArray): NdArray {
    if (o instanceof BatchTracer && o.handler === this) return moveAxis(o.value, o.batchDim, 0);
    return broadcastTo(reshape(o, [1, ...o.shape]), [this.axisSize, ...o.shape]);
  }
}

/** An axis specification: an axis, or `null` for "not mapped"; may be a tree prefix. */
// deno-lint-ignore no-explicit-any
export type AxisSpec = number | null | undefined | readonly any[] | { readonly [key: string]: any };

/** Options of {@linkcode vmap}. */
export interface VmapOptions {
  /** Mapped axis of each argument: a number (all arguments), `null`, or one entry per argument (a tree prefix). Default 0. */
  inAxes?: AxisSpec;
  /** Where the mapped axis goes in each output (a number, or a tree prefix of the output). Default 0. */
  outAxes?: AxisSpec;
  /** The mapped axis size, required only when no argument is mapped. */
  axisSize?: number;
}

/** Expands an axis spec that is a tree prefix of `def`'s tree into one entry per leaf. */
function broadcastPrefix(spec: AxisSpec, value: unknown, what: string): (number | null)[] {
  const out: (number | null)[] = [];
  const walk = (s: unknown, v: unknown, path: string): void => {
    if (typeof s === "number" && !Number.isInteger(s)) {
      throw new TypeError(
        `vmap ${what} must hold integer axes or null: got ${String(s)} at ${path || "the top"}`,
      );
    }
    if (
      s !== null && s !== undefined && typeof s !== "number" &&
      (typeof s !== "object" || s instanceof NdArray)
    ) {
      throw new TypeError(
        `vmap ${what} must be an integer axis, null, or a tree prefix of the ${
          what === "inAxes" ? "arguments" : "outputs"
        } (arrays and objects of axes): got ${describe(s)} at ${path || "the top"}`,
      );
    }
    if (s === null || s === undefined || typeof s === "number") {
      const n = flatten(v)[0].length;
      for (let i = 0; i < n; i++) out.push((s ?? null) as number | null);
      return;
    }
    if (globalThis.Array.isArray(s)) {
      if (!globalThis.Array.isArray(v) || v.length !== s.length) {
        throw new ShapeError(
          `vmap ${what} ${showValue(spec)} does not match the structure at ${
            path || "the top"
          }: expected ${s.length} entries, got ${
            globalThis.Array.isArray(v) ? v.length : describe(v)
          }`,
          { op: "vmap" },
        );
      }
      s.forEach((si, i) => walk(si, v[i], `${path}[${i}]`));
      return;
    }
    const proto = Object.getPrototypeOf(s);
    if (proto !== Object.prototype && proto !== null) {
      throw new TypeError(
        `vmap ${what} cannot hold an instance of class ${
          (s as object).constructor?.name ?? "?"
        } at ${
          path || "the top"
        }: an axis prefix is built of integers, null, arrays and plain objects; give one axis for a whole registered node`,
      );
    }
    const obj = s as Record<string, unknown>;
    if (
      typeof v !== "object" || v === null || globalThis.Array.isArray(v) || v instanceof NdArray
    ) {
      throw new ShapeError(
        `vmap ${what} has an object at ${path || "the top"} where the value is ${describe(v)}`,
        { op: "vmap" },
      );
    }
    const extra = Object.keys(obj).filter((k) => !Object.hasOwn(v as object, k));
    if (extra.length > 0) {
      throw new ShapeError(
        `vmap ${what} is not a tree prefix of the ${
          what === "inAxes" ? "arguments" : "outputs"
        }: it has key ${JSON.stringify(extra[0])} at ${
          path || "the top"
        }, which the value lacks (its keys: ${
          Object.keys(v as object).map((k) => JSON.stringify(k)).join(", ") || "none"
        })`,
        { op: "vmap" },
      );
    }
    const keys = Object.keys(v as object).sort();
    for (const k of keys) walk(obj[k] ?? null, (v as Record<string, unknown>)[k], `${path}.${k}`);
  };
  walk(spec, value, "");
  return out;
}

/**
 * Vectorises `f` over an axis of its arguments: `vmap(f)(xs)` stacks
 * `f(xs[0]), f(xs[1]), ...` without a loop.
 *
 * @example The seed: derivative of x² at many points
 * ```ts
 * import { grad, np, vmap } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * const x = np.array([0, 0.5, 1.5]);
 * deepEqual(vmap(grad(np.square))(x).tolist(), [0, 1, 3]);
 * ```
 *
 * @param f The function to vectorise; arguments and outputs may be trees.
 * @param options `inAxes`, `outAxes` (negative axes allowed) and `axisSize`.
 * @returns The vectorised function.
 */
export function vmap(
  f: AnyFunction,
  options: VmapOptions = {},
): AnyFunction {
  checkOptions("vmap", options, ["axisSize", "inAxes", "outAxes"]);
  return (...args: unknown[]) => {
    const inAxes = options.inAxes === undefined ? 0 : options.inAxes;
    if (globalThis.Array.isArray(inAxes) && inAxes.length !== args.length) {
      throw new ShapeError(
        `vmap inAxes has ${inAxes.length} entries but the function was called with ${args.length} arguments`,
        { op: "vmap" },
      );
    }
    const [leaves, inDef] = flatten(args);
    const axes = broadcastPrefix(
      globalThis.Array.isArray(inAxes) ? inAxes : args.map(() => inAxes),
      args,
      "inAxes",
    );
    const given = options.axisSize;
    if (
      given !== undefined &&
      (typeof given !== "number" || !Number.isInteger(given) || given < 0 || given > 2 ** 31 - 1)
    ) {
      throw new RangeError(
        `vmap axisSize must be a non-negative integer below 2^31: got ${describe(given)}`,
      );
    }
    let size: number | undefined = given;
    let sizeFrom = "axisSize";
    const mapped = leaves.map((leaf, i): { x: NdArray; a: number } | null => {
      const ax = axes[i];
      if (ax === null) return null;
      const x = leafToArray(leaf, "vmap arguments");
      if (x.ndim === 0) {
        throw new TypeError(
          `vmap cannot map over axis ${ax} of a 0-d argument (leaf ${i}): it has no axes`,
        );
      }
      const a = normalizeAxis(ax, x.ndim);
      if (size === undefined) {
        size = x.shape[a];
        sizeFrom = `leaf ${i} (shape ${showShape(x.shape)}, axis ${a})`;
      } else if (x.shape[a] !== size) {
        throw new ShapeError(
          `vmap got inconsistent sizes for the mapped axis: ${sizeFrom} has size ${size}, but leaf ${i} has size ${
            x.shape[a]
          } along axis ${a} (shape ${showShape(x.shape)})`,
          { op: "vmap" },
        );
      }
      return { x, a };
    });
    if (size === undefined) {
      throw new TypeError(
        "vmap needs at least one mapped argument (inAxes not null) or an explicit axisSize",
      );
    }
    const h = new VmapHandler(size);
    const inputs = leaves.map((leaf, i) => {
      const m = mapped[i];
      return m === null ? leaf : new BatchTracer(h, m.x, m.a);
    });
    const out = runUnder(h, () => f(...unflatten<unknown[]>(inDef, inputs)));
    const [outLeaves, outDef] = flattenOutput(out, "vmap");
    return finishOutputs(
      h,
      outLeaves,
      outDef,
      out,
      options.outAxes === undefined ? 0 : options.outAxes,
    );
  };
}

function finishOutputs(
  h: VmapHandler,
  leaves: NdArray[],
  def: TreeDef,
  out: unknown,
  outAxes: AxisSpec,
): unknown {
  const axes = broadcastPrefix(outAxes, out, "outAxes");
  const n = h.axisSize;
  const results = leaves.map((y, i) => {
    const ax = axes[i];
    const batched = y instanceof BatchTracer && y.handler === h;
    if (ax === null) {
      if (batched) {
        throw new TypeError(
          `vmap outAxes is null for output leaf ${i}, but that output depends on the mapped inputs`,
        );
      }
      return y;
    }
    const value = batched
      ? moveAxis(y.value, y.batchDim, 0)
      : broadcastTo(reshape(y, [1, ...y.shape]), [n, ...y.shape]);
    const dest = normalizeAxis(ax, value.ndim);
    return moveAxis(value, 0, dest);
  });
  return unflatten(def, results);
}
