/**
 * Errors raised by the transformation machinery.
 *
 * @module
 */

/**
 * A tracer — the stand-in value a transformation hands to the function it
 * transforms — was used after its transformation returned (it was stored in
 * an outer variable, or returned inside a closure). Its value would be
 * meaningless, so nabla refuses to compute with it.
 *
 * @example Catching an escaped tracer
 * ```ts
 * import { EscapedTracerError, grad, np } from "@nabla/ad";
 * import { throws } from "node:assert/strict";
 *
 * let leaked: unknown;
 * grad((x) => { leaked = x; return np.square(x); })(1);
 * throws(() => np.sin(leaked as never), EscapedTracerError);
 * ```
 */
export class EscapedTracerError extends Error {
  /** The name of the transformation whose tracer escaped (`"grad"`, `"vmap"`, ...). */
  readonly transformation: string;
  /**
   * Creates the error for a tracer of `transformation`.
   *
   * @param transformation The name of the transformation whose tracer escaped.
   * @param detail Extra context appended to the message.
   */
  constructor(transformation: string, detail = "") {
    super(
      `Encountered an escaped tracer of a finished ${transformation} transformation${
        detail ? `: ${detail}` : ""
      }. A value computed inside ${transformation} was used after ${transformation} returned ` +
        `(stored in an outer variable or captured by a returned closure); return it from the ` +
        `transformed function instead`,
    );
    this.name = "EscapedTracerError";
    this.transformation = transformation;
  }
}

/**
 * A concrete value was requested from an abstract one: for example `x.item()`
 * or `if (x.item() > 0)` on a value batched by `vmap`.
 *
 * @example Branching on a batched value
 * ```ts
 * import { type Array, ConcretizationError, np, vmap } from "@nabla/ad";
 * import { throws } from "node:assert/strict";
 *
 * const relu = (x: Array) => ((x.item() as number) > 0 ? x : np.zerosLike(x));
 * throws(() => vmap(relu)(np.array([1, -1])), ConcretizationError);
 * // np.where selects per element instead:
 * vmap((x: Array) => np.where(np.greater(x, 0), x, 0))(np.array([1, -1]));
 * ```
 */
export class ConcretizationError extends TypeError {
  /**
   * Creates the error with its message.
   *
   * @param message What was asked for and how to avoid it.
   */
  constructor(message: string) {
    super(message);
    this.name = "ConcretizationError";
  }
}
