/**
 * The handler stack: `bind` performs a primitive by handing it to the
 * current handler. The eval handler sits at the bottom and runs kernels;
 * each call of a transformation installs a fresh handler (its identity is the
 * transformation's tag) whose parent is the handler that was current.
 *
 * A handler unwraps only its own tracers; everything else — numbers, arrays,
 * tracers of other handlers, including outer handlers of the same kind — is a
 * constant to it. It runs rules with its parent installed
 * ({@linkcode withHandler}), so rules' operations reach the outer handlers.
 * When a transformation returns it retires its handler; a tracer of a retired
 * handler raises {@linkcode EscapedTracerError} wherever it is used.
 *
 * @module
 */

import { markWeak, NdArray } from "../array/array.ts";
import type { Shape } from "../array/shape.ts";
import { type DType, isComplex } from "../array/dtype.ts";
import { ConcretizationError, EscapedTracerError } from "./errors.ts";
import type { CustomCall, Primitive } from "./primitive.ts";

/**
 * An interpreter of primitives. Subclass it to write a transformation: give
 * it a `name`, implement `process`, and create a fresh instance per call.
 *
 * @example A handler that counts the operations it sees
 * ```ts
 * import { type Array, grad, np } from "@nabla/ad";
 * import { Handler, type Primitive, swapHandler } from "@nabla/ad/extend";
 * import { equal } from "node:assert/strict";
 *
 * class Counter extends Handler {
 *   readonly name = "counter";
 *   count = 0;
 *   process<P>(prim: Primitive<P>, args: readonly Array[], params: P): Array {
 *     this.count++;
 *     return this.forward(prim, args, params);
 *   }
 * }
 * const counter = new Counter();
 * const saved = swapHandler(counter);
 * try {
 *   grad(np.sin)(0.5); // the forward and backward operations pass through the counter
 * } finally {
 *   swapHandler(saved);
 * }
 * equal(counter.count > 0, true);
 * ```
 */
export abstract class Handler {
  /** The transformation's name, used in error messages (`"grad"`, `"vmap"`, ...). */
  abstract readonly name: string;
  /** The handler that was current when this one was created; `null` only for eval. */
  readonly parent: Handler | null;
  /** Set when the transformation has returned: its tracers may no longer be used. */
  retired = false;

  /**
   * Creates a handler; a transformation makes a fresh one per call.
   *
   * @param parent The handler rules run under (defaults to the current one).
   */
  constructor(parent: Handler | null = current) {
    this.parent = parent;
  }

  /**
   * Interprets one operation. Called with this handler current; arguments
   * may be concrete arrays or tracers of any handler.
   */
  abstract process<P>(prim: Primitive<P>, args: readonly NdArray[], params: P): NdArray;

  /**
   * Whether any argument is a tracer of this handler. Throws
   * {@linkcode EscapedTracerError} for a tracer of a retired handler.
   */
  protected hasOwnTracer(args: readonly NdArray[]): boolean {
    let own = false;
    for (let i = 0; i < args.length; i++) {
      const a = args[i];
      if (a instanceof Tracer) {
        if (a.handler === this) own = true;
        else if (a.handler.retired) throw new EscapedTracerError(a.handler.name);
      }
    }
    return own;
  }

  /**
   * Interprets a function with a custom rule. By default a handler forwards
   * the call to its parent when no argument is its own tracer (so outer
   * handlers still see the rule), and otherwise runs the function itself with
   * this handler current. `jvp`, `vmap` and reverse mode override it.
   */
  processCustom(call: CustomCall, args: readonly NdArray[]): NdArray[] {
    if (!this.hasOwnTracer(args)) return this.forwardCustom(call, args);
    return this.inline(call, args);
  }

  /** Runs the function of a custom call itself, with this handler current (its rule unused). */
  protected inline(call: CustomCall, args: readonly NdArray[]): NdArray[] {
    const saved = current;
    current = this;
    try {
      return call.f(args);
    } finally {
      current = saved;
    }
  }

  /** Forwards a custom call to the parent handler. */
  protected forwardCustom(call: CustomCall, args: readonly NdArray[]): NdArray[] {
    const saved = current;
    current = this.parent!;
    try {
      return current.processCustom(call, args);
    } finally {
      current = saved;
    }
  }

  /** Forwards an operation this handler has nothing to do with to its parent. */
  protected forward<P>(prim: Primitive<P>, args: readonly NdArray[], params: P): NdArray {
    const saved = current;
    current = this.parent!;
    try {
      return current.process(prim, args, params);
    } finally {
      current = saved;
    }
  }
}

/**
 * A value standing for an array inside a transformation. Subclasses carry
 * their handler's data (a primal and tangent, a batched value, ...).
 *
 * @example The values a transformation hands to a function are tracers
 * ```ts
 * import { type Array, grad, np } from "@nabla/ad";
 * import { Tracer } from "@nabla/ad/extend";
 * import { ok } from "node:assert/strict";
 *
 * grad((x: Array) => {
 *   ok(x instanceof Tracer);
 *   return np.square(x);
 * })(3);
 * ```
 */
export abstract class Tracer extends NdArray {
  /** The handler (and so the transformation call) this tracer belongs to. */
  readonly handler: Handler;

  /**
   * Creates a tracer of `handler`.
   *
   * @param handler The owning handler.
   * @param shape The shape the tracer presents to user code.
   * @param dtype The dtype the tracer presents to user code.
   */
  constructor(handler: Handler, shape: Shape, dtype: DType) {
    super(undefined, shape, dtype);
    this.handler = handler;
  }

  /** The concrete value, for define-by-run control flow; throws where there is none. */
  override concrete(): NdArray {
    if (this.handler.retired) throw new EscapedTracerError(this.handler.name);
    return this.primalValue().concrete();
  }

  /** The value one level down (a primal), or a {@linkcode ConcretizationError}. */
  protected abstract primalValue(): NdArray;

  /** A short description such as `JVPTracer<float64[3]>`. */
  override toString(): string {
    const kind = this.constructor.name;
    try {
      return `${kind}(${this.concrete().toString()})`;
    } catch {
      return `${kind}<${this.dtype}[${this.shape.join(",")}]>`;
    }
  }
}

/** The bottom handler: runs primitives' kernels on concrete arrays. */
class EvalHandler extends Handler {
  readonly name = "eval";
  constructor() {
    super(null);
  }
  process<P>(prim: Primitive<P>, args: readonly NdArray[], params: P): NdArray {
    for (let i = 0; i < args.length; i++) {
      const a = args[i];
      if (a instanceof Tracer) {
        if (a.handler.retired) throw new EscapedTracerError(a.handler.name);
        throw new ConcretizationError(
          `A tracer of an active ${a.handler.name} transformation reached '${prim.name}' outside ` +
            `its transformation: it was captured from an enclosing transformation's scope that is ` +
            `not on the handler stack here`,
        );
      }
    }
    if (prim.complex !== true) {
      for (let i = 0; i < args.length; i++) {
        if (isComplex(args[i].dtype)) {
          throw new TypeError(
            `Primitive '${prim.name}' does not support complex operands yet: got ${args[i].dtype}`,
          );
        }
      }
    }
    const out = prim.impl(args, params);
    // JAX's weak types: a result computed from weakly typed values only, of their dtype, is weak.
    if (args.length > 0 && out.dtype === args[0].dtype && !out.weakType) {
      let weak = true;
      for (let i = 0; i < args.length && weak; i++) weak = args[i].weakType;
      if (weak) markWeak(out);
    }
    return out;
  }
  override processCustom(call: CustomCall, args: readonly NdArray[]): NdArray[] {
    return this.inline(call, args);
  }
}

/** The eval handler at the bottom of every stack. */
export const evalHandler: Handler = new EvalHandler();

let current: Handler = evalHandler;

/**
 * The handler operations currently go to.
 *
 * @example Eval at the bottom, a transformation's handler inside it
 * ```ts
 * import { jvp } from "@nabla/ad";
 * import { currentHandler } from "@nabla/ad/extend";
 * import { equal } from "node:assert/strict";
 *
 * equal(currentHandler().name, "eval");
 * jvp((x: unknown) => {
 *   equal(currentHandler().name, "jvp");
 *   return x;
 * }, [1], [1]);
 * ```
 *
 * @returns The current handler.
 */
export function currentHandler(): Handler {
  return current;
}

/**
 * Performs a primitive: hands it to the current handler.
 *
 * @example Binding a primitive directly
 * ```ts
 * import { np } from "@nabla/ad";
 * import { bind, primitives } from "@nabla/ad/extend";
 * import { equal } from "node:assert/strict";
 *
 * const y = bind(primitives.sin, [np.array(0)], undefined);
 * equal(y.item(), 0);
 * ```
 *
 * @param prim The primitive.
 * @param args Its array arguments (concrete arrays or tracers).
 * @param params Its static parameters.
 * @returns The result, as the current handler computes it.
 */
export function bind<P>(prim: Primitive<P>, args: readonly NdArray[], params: P): NdArray {
  return current.process(prim, args, params);
}

/**
 * Performs a function with a custom rule (see `CustomCall`): hands it to the
 * current handler.
 *
 * @param call The function and its rule, on flat lists of arrays.
 * @param args The arguments.
 * @returns The outputs.
 */
export function bindCustom(call: CustomCall, args: readonly NdArray[]): NdArray[] {
  return current.processCustom(call, args);
}

/**
 * Installs `handler` as the current handler and returns the previous one.
 * Handlers use it around rules without allocating a closure; always restore
 * in a `finally`:
 *
 * ```ts ignore
 * const saved = swapHandler(this.parent!);
 * try { return rule(); } finally { swapHandler(saved); }
 * ```
 *
 * @example Install and restore
 * ```ts
 * import { currentHandler, swapHandler } from "@nabla/ad/extend";
 * import { equal } from "node:assert/strict";
 *
 * const eval_ = currentHandler();
 * const saved = swapHandler(eval_); // installs the same handler: a no-op swap
 * swapHandler(saved);
 * equal(currentHandler(), eval_);
 * ```
 *
 * @param handler The handler to install.
 * @returns The handler that was current.
 */
export function swapHandler(handler: Handler): Handler {
  const saved = current;
  current = handler;
  return saved;
}

/**
 * Runs `f` with `handler` current and restores the previous handler
 * afterwards, also when `f` throws.
 *
 * @example Restored even when `f` throws
 * ```ts
 * import { currentHandler, withHandler } from "@nabla/ad/extend";
 * import { equal, throws } from "node:assert/strict";
 *
 * const before = currentHandler();
 * throws(() => withHandler(before, () => { throw new Error("boom"); }));
 * equal(currentHandler(), before);
 * ```
 *
 * @param handler The handler to install.
 * @param f The computation.
 * @returns What `f` returns.
 */
export function withHandler<T>(handler: Handler, f: () => T): T {
  const saved = current;
  current = handler;
  try {
    return f();
  } finally {
    current = saved;
  }
}
