/**
 * Closure conversion of functions with custom rules (`customJvp`,
 * `customVjp`, `checkpoint`) when a staging handler records them, as JAX's
 * `custom_jvp_call`/`custom_vjp_call` do under `jit`.
 *
 * The staging handler traces the function into a program; what it closes
 * over (concrete arrays, values traced by `jit`, tracers of outer
 * transformations) becomes explicit leading inputs of the staged call — its
 * consts. {@linkcode closeCustomCall} turns the user's call into one on
 * `(consts, args)` whose function is that program, so the staged program is
 * closed and running it never re-runs the user's JavaScript:
 *
 * - `customJvp`: the rule sees the arguments only; the consts' tangents are
 *   dropped, as JAX's `lift_jvp` does (the rule defines the derivative);
 * - `customVjp`: `fwd` and `bwd` see the arguments only; differentiating with
 *   respect to a closed-over value is an error (JAX's `CustomVJPException`),
 *   raised by forward mode's handler from `numConsts`;
 * - `checkpoint`: its forward and backward passes are the program, consts
 *   included, so derivatives with respect to closed-over values are exact.
 *
 * The rules stay the user's functions, run lazily when a transformation
 * needs them, as in JAX. If a rule then reads a traced value it closed over
 * — the trace that staged it has ended, or its transformation is not on the
 * handler stack — a {@linkcode ClosureProbe} stops it with an error naming
 * the function and the value, where JAX fails too.
 *
 * @module
 */

import type { NdArray } from "../array/array.ts";
import { filled } from "../array/create.ts";
import { currentHandler, Handler, swapHandler, Tracer } from "../core/handler.ts";
import { showAval } from "../core/ir.ts";
import type { CallPrimitive, CustomCall, Primitive } from "../core/primitive.ts";
import { vjp } from "./vjp.ts";

/** `jit(loss)` for a staging handler, the transformation's name otherwise. */
function handlerName(h: Handler): string {
  const f = (h as { fname?: unknown }).fname;
  return typeof f === "string" ? f : h.name;
}

/**
 * Sits on top of the handler stack while a staged call's rule runs and
 * refuses operations on traced values that are not interpretable there: a
 * tracer of a finished transformation, or of one not on the stack below.
 */
class ClosureProbe extends Handler {
  readonly name = "custom rule";
  private readonly fn: string;
  private readonly kind: string;
  private readonly rule: string;
  constructor(fn: string, kind: string, rule: string, parent: Handler) {
    super(parent);
    this.fn = fn;
    this.kind = kind;
    this.rule = rule;
  }
  private onStack(h: Handler): boolean {
    for (let p: Handler | null = this.parent; p !== null; p = p.parent) if (p === h) return true;
    return false;
  }
  private check(args: readonly NdArray[]): void {
    for (const a of args) {
      if (!(a instanceof Tracer) || (!a.handler.retired && this.onStack(a.handler))) continue;
      const aval = showAval({ shape: a.shape, dtype: a.dtype });
      throw new TypeError(
        `'${this.fn}' (a ${this.kind} function) closes over a value traced by ` +
          `${handlerName(a.handler)} (an array ${aval}), which its ${this.rule} reads ` +
          `${
            a.handler.retired ? "after that trace ended" : "outside that transformation"
          }: a staged function's rule runs when a transformation of the staged program needs it, ` +
          `where closed-over traced values are unknown (JAX fails here too). ` +
          `Pass the value as an argument of the function instead`,
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
    const p = <A extends unknown[], R>(g: (...a: A) => R) =>
      probed(this.fn, this.kind, this.rule, g);
    const wrapped: CustomCall = call.kind === "custom_jvp"
      ? { ...call, f: p(call.f), jvp: p(call.jvp) }
      : { ...call, f: p(call.f), fwd: p(call.fwd), bwd: p(call.bwd) };
    return this.forwardCustom(wrapped, args);
  }
}

/** `g`, run with a {@linkcode ClosureProbe} on top of the current handler. */
function probed<A extends unknown[], R>(
  fn: string,
  kind: string,
  rule: string,
  g: (...a: A) => R,
): (...a: A) => R {
  return (...a: A): R => {
    const probe = new ClosureProbe(fn, kind, rule, currentHandler());
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
 * The closed form of a staged custom call: a call on `(consts, args)` whose
 * function is `body` (the traced function, consts as leading inputs) and
 * whose rules are the user's, on the arguments only (see the module doc).
 *
 * @param call The user's call.
 * @param consts The values the function closes over (their shapes and dtypes are used).
 * @param body The traced function on `(consts, args)`.
 * @returns The call to stage.
 */
export function closeCustomCall(
  call: CustomCall,
  consts: readonly NdArray[],
  body: (xs: readonly NdArray[]) => NdArray[],
): CustomCall {
  const nc = consts.length;
  const { name } = call;
  if (call.kind === "custom_jvp") {
    const rule = probed(name, "customJvp", "JVP rule", call.jvp);
    return {
      kind: "custom_jvp",
      name,
      f: body,
      jvp: (ps, ts) => rule(ps.slice(nc), ts.slice(nc)),
    };
  }
  if (call.forwardMode === "inline") {
    // checkpoint: rematerialise the program itself, consts included
    return {
      kind: "custom_vjp",
      name,
      forwardMode: "inline",
      f: body,
      fwd: (xs) => [body(xs), xs.slice()],
      bwd: (res, cts) => {
        const [, pullback] = vjp((...xs: NdArray[]) => body(xs), res as NdArray[]);
        return pullback(cts as NdArray[]) as NdArray[];
      },
    };
  }
  const fwd = probed(name, "customVjp", "forward rule", call.fwd);
  const bwd = probed(name, "customVjp", "backward rule", call.bwd);
  const constShapes = consts.map((c) => ({ shape: c.shape, dtype: c.dtype }));
  return {
    kind: "custom_vjp",
    name,
    forwardMode: call.forwardMode,
    numConsts: nc,
    f: body,
    fwd: (xs) => fwd(xs.slice(nc)),
    // the consts get no cotangent: forward mode refuses to differentiate them (numConsts)
    bwd: (res, cts) => [...constShapes.map((a) => filled(a.shape, 0, a.dtype)), ...bwd(res, cts)],
  };
}
