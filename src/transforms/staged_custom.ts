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
 * handler stack — a probe (`closure_probe.ts`) stops it with an error naming
 * the function and the value, where JAX fails too.
 *
 * @module
 */

import type { NdArray } from "../array/array.ts";
import { filled } from "../array/create.ts";
import type { CustomCall } from "../core/primitive.ts";
import { probed } from "./closure_probe.ts";
import { vjp } from "./vjp.ts";

const STAGED = "a staged function's rule runs when a transformation of the staged program " +
  "needs it, where closed-over traced values are unknown (JAX fails here too)";

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
    const rule = probed(name, "customJvp", "JVP rule", STAGED, call.jvp);
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
  const fwd = probed(name, "customVjp", "forward rule", STAGED, call.fwd);
  const bwd = probed(name, "customVjp", "backward rule", STAGED, call.bwd);
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
