/**
 * A guard for the user's functions of custom calls (`customJvp`, `customVjp`,
 * `checkpoint`) where a closure over a traced value cannot be interpreted: a
 * staged call's rule run after its trace (`staged_custom.ts`), or a call that
 * a transformation forwards because it traces none of its arguments, whose
 * function closes over that transformation's values (`jvp.ts`). The probe
 * sits on top of the handler stack while the function runs and turns the
 * first operation on such a value into an error naming the function and the
 * value, instead of a confusing failure further down — or a wrong number.
 *
 * @module
 */

import type { NdArray } from "../array/array.ts";
import { currentHandler, Handler, swapHandler, Tracer } from "../core/handler.ts";
import { showAval } from "../core/ir.ts";
import type { CallPrimitive, CustomCall, Primitive } from "../core/primitive.ts";

/** `jit(loss)` for a staging handler, the transformation's name otherwise. */
function handlerName(h: Handler): string {
  const f = (h as { fname?: unknown }).fname;
  return typeof f === "string" ? f : h.name;
}

/** What the error says about a function: its name, kind, which of its functions, and why. */
interface Context {
  fn: string;
  kind: string;
  rule: string;
  why: string;
}

/**
 * Refuses operations on traced values not interpretable here: a tracer of a
 * finished transformation, or of one not on the stack below the probe.
 */
class ClosureProbe extends Handler {
  readonly name = "custom rule";
  private readonly ctx: Context;
  constructor(ctx: Context, parent: Handler) {
    super(parent);
    this.ctx = ctx;
  }
  private onStack(h: Handler): boolean {
    for (let p: Handler | null = this.parent; p !== null; p = p.parent) if (p === h) return true;
    return false;
  }
  private check(args: readonly NdArray[]): void {
    for (const a of args) {
      if (!(a instanceof Tracer) || (!a.handler.retired && this.onStack(a.handler))) continue;
      const { fn, kind, rule, why } = this.ctx;
      const aval = showAval({ shape: a.shape, dtype: a.dtype });
      throw new TypeError(
        `'${fn}' (a ${kind} function) closes over a value traced by ${
          handlerName(a.handler)
        } (an array ${aval}), which its ${rule} reads ${
          a.handler.retired ? "after that trace ended" : "outside that transformation"
        }: ${why}. Pass the value as an argument of the function instead`,
      );
    }
  }
  process<P>(prim: Primitive<P>, args: readonly NdArray[], params: P): NdArray {
    this.check(args);
    return this.forward(prim, args, params);
  }
  override processCall<P>(call: CallPrimitive<P>, args: readonly NdArray[], params: P): NdArray[] {
    this.check(args);
    return this.forwardCall(call, args, params);
  }
  override processCustom(call: CustomCall, args: readonly NdArray[]): NdArray[] {
    this.check(args);
    // whichever handler below runs the inner call's functions, they run probed too
    return this.forwardCustom(probeCall(call, this.ctx), args);
  }
}

function probeWith<A extends unknown[], R>(ctx: Context, g: (...a: A) => R): (...a: A) => R {
  return (...a: A): R => {
    const probe = new ClosureProbe(ctx, currentHandler());
    const saved = swapHandler(probe);
    try {
      return g(...a);
    } finally {
      swapHandler(saved);
      probe.retired = true;
    }
  };
}

/**
 * `g`, run with a probe on top of the current handler (internal).
 *
 * @param fn The custom function's name.
 * @param kind `"customJvp"` or `"customVjp"`.
 * @param rule Which of its functions `g` is (`"JVP rule"`).
 * @param why Why a closed-over traced value cannot be read there.
 * @param g The function.
 * @returns The probed function.
 */
export function probed<A extends unknown[], R>(
  fn: string,
  kind: string,
  rule: string,
  why: string,
  g: (...a: A) => R,
): (...a: A) => R {
  return probeWith({ fn, kind, rule, why }, g);
}

/** `call` with each of its functions probed. */
function probeCall(call: CustomCall, ctx: Context): CustomCall {
  const p = <A extends unknown[], R>(rule: string, g: (...a: A) => R) =>
    probeWith({ ...ctx, rule }, g);
  return call.kind === "custom_jvp"
    ? { ...call, f: p("function", call.f), jvp: p("JVP rule", call.jvp) }
    : {
      ...call,
      f: p("function", call.f),
      fwd: p("forward rule", call.fwd),
      bwd: p("backward rule", call.bwd),
    };
}

/**
 * `call` with each of its functions probed, for a transformation that
 * forwards it because it traces none of its arguments (internal).
 *
 * @param call The call.
 * @param transformation The forwarding transformation's name (`"grad"`).
 * @returns The probed call.
 */
export function probeForwarded(call: CustomCall, transformation: string): CustomCall {
  const kind = call.kind === "custom_jvp"
    ? "customJvp"
    : call.forwardMode === "inline"
    ? "checkpoint"
    : "customVjp";
  return probeCall(call, {
    fn: call.name,
    kind,
    rule: "function",
    why: `${transformation} differentiates a custom function through its arguments only, ` +
      `and none of them is traced by it (JAX fails here too)`,
  });
}
