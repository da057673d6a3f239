/**
 * Forward mode: `jvp : (a → b) → (a, T a) → (b, T b)`.
 *
 * A {@linkcode JvpHandler} pairs each value with a tangent. For an operation
 * on its own tracers it runs the primitive's `jvp` rule with its parent
 * installed, so the rule's operations (on primals, which may be tracers of
 * outer transformations) reach the outer handlers. Tangents may be symbolic
 * zeros; an output whose tangent is zero is returned untraced.
 *
 * Reads the `jvp` rule of each primitive.
 *
 * @module
 */

import { NdArray } from "../array/array.ts";
import { isInexact } from "../array/dtype.ts";
import { ShapeError, shapesEqual, showShape } from "../array/shape.ts";
import { currentHandler, Handler, swapHandler, Tracer } from "../core/handler.ts";
import { showAval } from "../core/ir.ts";
import { probed, probeForwarded } from "./closure_probe.ts";
import {
  type Aval,
  type CallPrimitive,
  type CallRecorder,
  type CustomCall,
  type CustomVjpCall,
  type Primitive,
  type Tangent,
  Zero,
} from "../core/primitive.ts";
import { instantiate } from "../core/primitive.ts";
import { convert } from "../primitives/elementwise.ts";
import { flatten, unflatten } from "../tree.ts";
import { type AnyFunction, flattenOutput, leafToArray, runUnder } from "./common.ts";
import { checkOptions } from "../core/options.ts";

/** A value paired with its tangent inside a `jvp`. */
export class JvpTracer extends Tracer {
  /** The value. */
  readonly primal: NdArray;
  /** Its tangent (possibly a symbolic zero). */
  readonly tangent: Tangent;
  /**
   * Creates one; see the class doc.
   *
   * @param handler The owning handler.
   * @param primal The value.
   * @param tangent Its tangent.
   */
  constructor(handler: Handler, primal: NdArray, tangent: Tangent) {
    super(handler, primal.shape, primal.dtype);
    this.primal = primal;
    this.tangent = tangent;
  }
  /** The value one level down, for `item()` and printing. */
  protected primalValue(): NdArray {
    return this.primal;
  }
}

/**
 * Where a linearizing `jvp` records custom VJPs: reverse mode gives the
 * handler a recorder, plain forward mode leaves it `null`.
 */
export interface CustomVjpRecorder extends CallRecorder {
  /** The handler below the recorder (where primal work of a linearized call goes). */
  readonly parent: Handler | null;
  /** Records `outs = call(inputs)` as a linear step whose transpose is `call.bwd`; returns the output tangents. */
  recordCustomVjp(
    call: CustomVjpCall,
    residuals: readonly NdArray[],
    inputs: readonly Tangent[],
    outs: readonly Aval[],
  ): Tangent[];
}

/** The forward-mode handler: one instance per `jvp` call. */
export class JvpHandler extends Handler {
  /** The transformation's name, for error messages. */
  readonly name: string;
  /** Set when this handler linearizes for reverse mode. */
  recorder: CustomVjpRecorder | null = null;
  /**
   * Creates one; see the class doc.
   *
   * @param name The transformation's name for error messages.
   * @param parent The handler rules run under.
   */
  constructor(name = "jvp", parent?: Handler) {
    super(parent);
    this.name = name;
  }

  /** Interprets one operation (see the module doc). */
  process<P>(prim: Primitive<P>, args: readonly NdArray[], params: P): NdArray {
    if (!this.hasOwnTracer(args)) return this.forward(prim, args, params);
    const n = args.length;
    const primals = new globalThis.Array<NdArray>(n);
    const tangents = new globalThis.Array<Tangent>(n);
    for (let i = 0; i < n; i++) {
      const a = args[i];
      if (a instanceof JvpTracer && a.handler === this) {
        primals[i] = a.primal;
        tangents[i] = a.tangent;
      } else {
        primals[i] = a;
        tangents[i] = new Zero(a.shape, a.dtype);
      }
    }
    const saved = swapHandler(this.parent!);
    let out: NdArray, t: Tangent;
    try {
      [out, t] = prim.jvp(primals, tangents, params);
    } finally {
      swapHandler(saved);
    }
    return t instanceof Zero ? out : new JvpTracer(this, out, t);
  }

  /** Interprets a function with a custom rule (see the module doc). */
  override processCustom(call: CustomCall, args: readonly NdArray[]): NdArray[] {
    if (!this.hasOwnTracer(args)) {
      if (call.kind === "custom_vjp" && call.forwardMode === "inline") {
        // a checkpoint closing over this handler's values is differentiated inline (exact, as JAX)
        return forwardUnlessCaptured(this, call, args, true) ?? this.inline(call, args);
      }
      // the rule cannot see this handler's values the function may close over: refuse them clearly
      return this.forwardCustom(probeForwarded(call, this.name), args);
    }
    const primals: NdArray[] = [], tangents: Tangent[] = [];
    for (const a of args) {
      const [p, t] = this.lower(a);
      primals.push(p);
      tangents.push(t);
    }
    if (call.kind === "custom_vjp" && this.recorder === null) {
      if (call.forwardMode === "inline") return this.inline(call, args);
      throw new TypeError(
        `Cannot apply forward-mode differentiation (${this.name}) to '${call.name}', a customVjp function: ` +
          `it defines only a reverse-mode rule. Use grad/vjp/jacrev, or customJvp for a forward rule`,
      );
    }
    if (call.kind === "custom_vjp" && call.numConsts !== undefined) {
      for (let i = 0; i < call.numConsts; i++) {
        if (tangents[i] instanceof Zero) continue;
        throw new TypeError(
          `Cannot differentiate '${call.name}' (a customVjp function) with respect to a value it ` +
            `closes over (an array ${
              showAval(tangents[i])
            }, closed-over input ${i} of its staged call): ` +
            `its backward rule gives cotangents only for its arguments, as in JAX. ` +
            `Pass the value as an argument of the function instead`,
        );
      }
    }
    const saved = swapHandler(this.parent!);
    let outs: NdArray[], touts: Tangent[];
    try {
      if (call.kind === "custom_jvp") {
        [outs, touts] = probed(call.name, "customJvp", "JVP rule", this.ruleWhy(), call.jvp)(
          primals,
          tangents.map(instantiate),
        );
        checkRuleOutputs(call.name, outs, touts);
      } else {
        let residuals: NdArray[];
        if (call.forwardMode === "inline") {
          const fwd = forwardUnlessCaptured(this, call, primals);
          if (fwd === null) {
            // f closes over this handler's tracers: differentiate it inline (no recomputation)
            swapHandler(saved);
            return this.inline(call, args);
          }
          [outs, residuals] = fwd;
          touts = this.recorder!.recordCustomVjp(call, residuals, tangents, outs);
        } else {
          const why = this.ruleWhy();
          [outs, residuals] = probed(call.name, "customVjp", "forward rule", why, call.fwd)(
            primals,
          );
          const bwd = probed(call.name, "customVjp", "backward rule", why, call.bwd);
          touts = this.recorder!.recordCustomVjp({ ...call, bwd }, residuals, tangents, outs);
        }
      }
    } finally {
      swapHandler(saved);
    }
    return outs.map((o, i) => {
      const t = touts[i];
      return t instanceof Zero || !isInexact(o.dtype) ? o : new JvpTracer(this, o, t);
    });
  }

  /**
   * Interprets a call primitive with its `jvp` rule (a JVP program). Inside
   * reverse mode it uses the call's `linearize` rule where it has one (the
   * primal part below the recorder, the tangent part recorded as linear
   * calls, `customVjp` functions inside with their backward rules), else
   * `jvp` followed by the recorder's partial evaluation.
   */
  override processCall<P>(
    call: CallPrimitive<P>,
    args: readonly NdArray[],
    params: P,
  ): NdArray[] {
    if (!this.hasOwnTracer(args)) return this.forwardCall(call, args, params);
    const rec = this.recorder;
    const lin = rec !== null && call.linearize !== undefined;
    const primals: NdArray[] = [], tangents: Tangent[] = [];
    for (const a of args) {
      const [p, t] = this.lower(a);
      primals.push(p);
      tangents.push(t);
    }
    const saved = swapHandler(this.parent!);
    let outs: NdArray[], touts: Tangent[];
    try {
      // reverse mode: the call's primal part runs below the recorder, its tangent part is recorded
      [outs, touts] = lin
        ? call.linearize!(primals, tangents, params, rec!.parent!, rec!)
        : call.jvp(primals, tangents, params);
    } finally {
      swapHandler(saved);
    }
    return outs.map((o, i) => {
      const t = touts[i];
      return t instanceof Zero || !isInexact(o.dtype) ? o : new JvpTracer(this, o, t);
    });
  }

  /** Why a custom rule, run below this handler, cannot read this handler's values. */
  private ruleWhy(): string {
    return `a custom rule runs below ${this.name}, on the values of the function's arguments, ` +
      `so it cannot read ${this.name}'s own traced values (JAX fails here too)`;
  }

  /** Wraps an input with its tangent (zero for non-float inputs). */
  lift(primal: NdArray, tangent: Tangent): NdArray {
    if (!isInexact(primal.dtype)) return primal;
    return new JvpTracer(this, primal, tangent);
  }

  /** Splits an output into its primal and tangent (zero if it does not depend on the inputs). */
  lower(x: NdArray): [NdArray, Tangent] {
    if (x instanceof JvpTracer && x.handler === this) return [x.primal, x.tangent];
    return [x, new Zero(x.shape, x.dtype)];
  }
}

/** Thrown by {@linkcode CaptureProbe} when the probed function uses a watched tracer. */
class Captured extends Error {}

/**
 * Sits between a skipped handler and its parent while a `checkpoint`'s
 * forward pass runs, and stops it if the function uses a tracer of the
 * skipped handler (a closure over the differentiated value), which only the
 * skipped handler could interpret.
 */
class CaptureProbe extends Handler {
  readonly name = "checkpoint";
  private readonly watched: Handler;
  constructor(watched: Handler, parent: Handler) {
    super(parent);
    this.watched = watched;
  }
  private check(args: readonly NdArray[]): void {
    for (const a of args) {
      if (a instanceof Tracer && a.handler === this.watched) throw new Captured();
    }
  }
  process<P>(prim: Primitive<P>, args: readonly NdArray[], params: P): NdArray {
    this.check(args);
    return this.forward(prim, args, params);
  }
  override processCall<P>(
    call: CallPrimitive<P>,
    args: readonly NdArray[],
    params: P,
  ): NdArray[] {
    this.check(args);
    return this.forwardCall(call, args, params);
  }
  override processCustom(call: CustomCall, args: readonly NdArray[]): NdArray[] {
    this.check(args);
    // whoever below runs the call's functions, they run probed too
    const watched = this.watched;
    const probed = <A extends unknown[], R>(fn: (...a: A) => R) => (...a: A): R => {
      const probe = new CaptureProbe(watched, currentHandler());
      const saved = swapHandler(probe);
      try {
        return fn(...a);
      } finally {
        swapHandler(saved);
        probe.retired = true;
      }
    };
    const wrapped: CustomCall = call.kind === "custom_jvp"
      ? { ...call, f: probed(call.f), jvp: probed(call.jvp) }
      : { ...call, f: probed(call.f), fwd: probed(call.fwd), bwd: probed(call.bwd) };
    return this.forwardCustom(wrapped, args);
  }
}

/**
 * Runs a checkpointed function's forward pass below `h`; `null` when the
 * function closes over `h`'s own tracers (then `h` must run it inline).
 */
function forwardUnlessCaptured(
  h: Handler,
  call: CustomVjpCall,
  primals: readonly NdArray[],
): [NdArray[], NdArray[]] | null;
/** With `whole`, forwards the whole call below `h` instead (its outputs; `null` if captured). */
function forwardUnlessCaptured(
  h: Handler,
  call: CustomVjpCall,
  args: readonly NdArray[],
  whole: true,
): NdArray[] | null;
function forwardUnlessCaptured(
  h: Handler,
  call: CustomVjpCall,
  primals: readonly NdArray[],
  whole = false,
): [NdArray[], NdArray[]] | NdArray[] | null {
  const probe = new CaptureProbe(h, h.parent!);
  const saved = swapHandler(probe);
  try {
    return whole ? probe.processCustom(call, primals) : call.fwd(primals);
  } catch (e) {
    if (e instanceof Captured) return null;
    throw e;
  } finally {
    swapHandler(saved);
    probe.retired = true;
  }
}

function checkRuleOutputs(name: string, outs: readonly NdArray[], touts: readonly Tangent[]): void {
  if (outs.length !== touts.length) {
    throw new TypeError(
      `The JVP rule of '${name}' returned ${outs.length} primal outputs but ${touts.length} tangents`,
    );
  }
  outs.forEach((o, i) => {
    if (isInexact(o.dtype) && touts[i].dtype !== o.dtype) {
      throw new TypeError(
        `The JVP rule of '${name}' returned a tangent of dtype ${
          touts[i].dtype
        } for an output of dtype ${o.dtype} (leaf ${i}): tangents must have their primal's dtype, as in JAX`,
      );
    }
    if (!shapesEqual(o.shape, touts[i].shape)) {
      throw new ShapeError(
        `The JVP rule of '${name}' returned a tangent of shape ${
          showShape(touts[i].shape)
        } for an output of shape ${showShape(o.shape)} (leaf ${i})`,
        { op: "customJvp", shapes: [touts[i].shape, o.shape] },
      );
    }
  });
}

/** Options of {@linkcode jvp}. */
export interface JvpOptions {
  /** `f` returns `[output, aux]`; `aux` is returned as a third element, undifferentiated. */
  hasAux?: boolean;
}

/** Splits `[out, aux]` and strips this handler's tracers from `aux`. */
export function splitAux(
  result: unknown,
  hasAux: boolean | undefined,
  name: string,
): [unknown, unknown] {
  if (!hasAux) return [result, undefined];
  if (!globalThis.Array.isArray(result) || result.length !== 2) {
    throw new TypeError(`${name} with hasAux needs the function to return a pair [output, aux]`);
  }
  return [result[0], result[1]];
}

/** Replaces tracers of `handler` in `aux` by their primal values. */
export function lowerAux(aux: unknown, lowerLeaf: (x: NdArray) => NdArray): unknown {
  const [leaves, def] = flatten(aux);
  return unflatten(def, leaves.map((l) => (l instanceof NdArray ? lowerLeaf(l) : l)));
}

/**
 * Forward-mode derivative: evaluates `f(...primals)` and its directional
 * derivative along `tangents` in one pass.
 *
 * @example Derivative of sin at 0
 * ```ts
 * import { jvp, np } from "@nabla/ad";
 * import { equal } from "node:assert/strict";
 *
 * const [y, dy] = jvp(np.sin, [0], [1]);
 * equal(y.item(), 0);
 * equal(dy.item(), 1);
 * ```
 *
 * @param f The function; its arguments and output may be trees.
 * @param primals The point: one tree per argument of `f`.
 * @param tangents The direction: trees matching `primals` in structure and shapes.
 * @param options `hasAux`.
 * @returns `[output, tangentOut]` (and `aux` third with `hasAux`).
 */
export function jvp(
  f: AnyFunction,
  primals: readonly unknown[],
  tangents: readonly unknown[],
  options: JvpOptions = {},
  // deno-lint-ignore no-explicit-any
): [any, any, ...any[]] {
  checkOptions("jvp", options, ["hasAux"]);
  if (!globalThis.Array.isArray(primals) || !globalThis.Array.isArray(tangents)) {
    throw new TypeError(
      "jvp: primals and tangents must be arrays with one entry per argument of f",
    );
  }
  const [pLeaves, pDef] = flatten(primals);
  const [tLeaves, tDef] = flatten(tangents);
  if (!pDef.equals(tDef)) {
    throw new ShapeError(
      `jvp: primals and tangents must have the same structure: got ${pDef} and ${tDef}`,
      { op: "jvp" },
    );
  }
  const h = new JvpHandler("jvp");
  const inputs = pLeaves.map((p, i) => {
    const x = leafToArray(p, "jvp primals");
    let t = leafToArray(tLeaves[i], "jvp tangents");
    if (!shapesEqual(x.shape, t.shape)) {
      throw new ShapeError(
        `jvp: primal and tangent shapes must match: leaf ${i} has primal shape ${
          showShape(x.shape)
        } and tangent shape ${showShape(t.shape)}`,
        { op: "jvp", shapes: [x.shape, t.shape] },
      );
    }
    if (isInexact(x.dtype) && t.dtype !== x.dtype) {
      // JS numbers take the primal's dtype; arrays must already have it (as in JAX).
      if (tLeaves[i] instanceof NdArray) {
        throw new TypeError(
          `jvp: primal and tangent dtypes must match: leaf ${i} has primal dtype ${x.dtype} and tangent dtype ${t.dtype}`,
        );
      }
      t = convert(t, x.dtype);
    }
    return h.lift(x, t);
  });
  const [out, aux] = runUnder(h, () => {
    const result = f(...unflatten<unknown[]>(pDef, inputs));
    return splitAux(result, options.hasAux, "jvp");
  });
  const [outLeaves, outDef] = flattenOutput(out, "jvp");
  const ys: NdArray[] = [], ts: NdArray[] = [];
  for (const leaf of outLeaves) {
    const [y, t] = h.lower(leaf);
    ys.push(y);
    ts.push(instantiate(t));
  }
  const result: [unknown, unknown, ...unknown[]] = [unflatten(outDef, ys), unflatten(outDef, ts)];
  if (options.hasAux) result.push(lowerAux(aux, (x) => h.lower(x)[0]));
  return result;
}
