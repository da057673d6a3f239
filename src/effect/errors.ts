/**
 * Typed failures of the Effect layer: each is a tagged error (`_tag`) so callers recover with
 * `Effect.catchTag`, and `attempt` turns nabla's known exceptions into them.
 *
 * @module
 */

import { Data, Effect } from "effect";
import type { Cause } from "effect";
import { ShapeError as CoreShapeError } from "../array/shape.ts";
import { ConcretizationError, EscapedTracerError } from "../core/errors.ts";
import type { TrainState } from "./_types.ts";

/** A tagged error class of the given fields (the explicitly typed base JSR needs). */
type TaggedBase<Tag extends string, F> = new (
  args: F,
) => Cause.YieldableError & { readonly _tag: Tag } & Readonly<F>;

interface NonFiniteLossFields {
  readonly step: number;
  readonly loss: number;
  readonly leaves: ReadonlyArray<string>;
  readonly state: TrainState<unknown>;
  readonly message: string;
}
const NonFiniteLossBase: TaggedBase<"NonFiniteLoss", NonFiniteLossFields> = Data.TaggedError(
  "NonFiniteLoss",
) as never;

/**
 * The loss, or a gradient leaf, is NaN or ±∞. `state` is the state the step started from (its
 * parameters are finite), so a caller can restart from it with a smaller learning rate.
 *
 * @example Recovering from divergence by tag
 * ```ts
 * import { Effect } from "effect";
 * import { NonFiniteLoss, Train } from "@nabla/ad/effect";
 * import { equal } from "node:assert/strict";
 *
 * const state = Train.init({ w: 1 }, { init: () => null, update: (g) => [g, null] });
 * const step = Effect.fail(new NonFiniteLoss({ step: 3, loss: NaN, leaves: ["w"], state }));
 * const recovered = step.pipe(Effect.catchTag("NonFiniteLoss", (e) => Effect.succeed(e.step)));
 * equal(await Effect.runPromise(recovered), 3);
 * ```
 */
export class NonFiniteLoss extends NonFiniteLossBase {
  /**
   * @param args The step, the loss, the offending leaves by path and the last finite state;
   *   `message` defaults to a description of them.
   */
  constructor(args: Omit<NonFiniteLossFields, "message"> & { readonly message?: string }) {
    super({
      ...args,
      message: args.message ??
        `Non-finite ${
          args.leaves.length === 0 || !Number.isFinite(args.loss) ? "loss" : "gradient"
        } at step ${args.step}: loss ${args.loss}${
          args.leaves.length ? `, non-finite gradient leaves ${args.leaves.join(", ")}` : ""
        }`,
    });
  }
}

interface ShapeErrorFields {
  readonly message: string;
  readonly step?: number;
}
const ShapeErrorBase: TaggedBase<"ShapeError", ShapeErrorFields> = Data.TaggedError(
  "ShapeError",
) as never;

/**
 * Shapes or tree structures that do not fit (the core's `ShapeError`), with the step when it
 * happened in training.
 *
 * @example A broadcasting failure as a typed value
 * ```ts
 * import { Effect, Result } from "effect";
 * import { np } from "@nabla/ad";
 * import { attempt } from "@nabla/ad/effect";
 * import { equal } from "node:assert/strict";
 *
 * const r = await Effect.runPromise(
 *   Effect.result(attempt(() => np.add(np.ones([2, 3]), np.ones([4])))),
 * );
 * equal(Result.isFailure(r) && r.failure._tag, "ShapeError");
 * ```
 */
export class ShapeError extends ShapeErrorBase {}

interface EscapedTracerFields {
  readonly transformation: string;
  readonly message: string;
  readonly step?: number;
}
const EscapedTracerBase: TaggedBase<"EscapedTracer", EscapedTracerFields> = Data.TaggedError(
  "EscapedTracer",
) as never;

/**
 * A tracer was used after its transformation returned (the core's `EscapedTracerError`).
 *
 * @example Catching an escaped tracer
 * ```ts
 * import { Effect } from "effect";
 * import { grad, np } from "@nabla/ad";
 * import { attempt } from "@nabla/ad/effect";
 * import { equal } from "node:assert/strict";
 *
 * let leaked: unknown;
 * grad((x) => { leaked = x; return np.square(x); })(1);
 * const tag = await Effect.runPromise(
 *   attempt(() => np.sin(leaked as never)).pipe(
 *     Effect.catchTag("EscapedTracer", (e) => Effect.succeed(e.transformation)),
 *   ),
 * );
 * equal(tag, "grad");
 * ```
 */
export class EscapedTracer extends EscapedTracerBase {}

interface ConcretizationFields {
  readonly message: string;
  readonly step?: number;
}
const ConcretizationBase: TaggedBase<"Concretization", ConcretizationFields> = Data.TaggedError(
  "Concretization",
) as never;

/**
 * `.item()` or a branch on a value that is abstract (the core's `ConcretizationError`).
 *
 * @example Branching on a batched value
 * ```ts
 * import { Effect, Result } from "effect";
 * import { type Array, np, vmap } from "@nabla/ad";
 * import { attempt } from "@nabla/ad/effect";
 * import { equal } from "node:assert/strict";
 *
 * const relu = (x: Array) => ((x.item() as number) > 0 ? x : np.zerosLike(x));
 * const r = await Effect.runPromise(Effect.result(attempt(() => vmap(relu)(np.array([1, -1])))));
 * equal(Result.isFailure(r) && r.failure._tag, "Concretization");
 * ```
 */
export class Concretization extends ConcretizationBase {}

/** Why a checkpoint could not be saved or restored. */
export type CheckpointErrorReason = "NotFound" | "Corrupt" | "Mismatch" | "Io";

interface CheckpointErrorFields {
  readonly reason: CheckpointErrorReason;
  readonly message: string;
  readonly path?: string;
  readonly cause?: unknown;
}
const CheckpointErrorBase: TaggedBase<"CheckpointError", CheckpointErrorFields> = Data
  .TaggedError("CheckpointError") as never;

/**
 * A checkpoint that is missing, corrupt, of another model (`Mismatch`), or that could not be
 * read or written (`Io`).
 *
 * @example Corrupt bytes are a typed failure
 * ```ts
 * import { Effect } from "effect";
 * import { Checkpoint } from "@nabla/ad/effect";
 * import { equal } from "node:assert/strict";
 *
 * const reason = await Effect.runPromise(
 *   Checkpoint.decode(new Uint8Array([1, 2, 3])).pipe(
 *     Effect.map(() => "ok"),
 *     Effect.catchTag("CheckpointError", (e) => Effect.succeed(e.reason)),
 *   ),
 * );
 * equal(reason, "Corrupt");
 * ```
 */
export class CheckpointError extends CheckpointErrorBase {}

/** The failures of a training step. */
export type StepError = NonFiniteLoss | ShapeError | EscapedTracer | Concretization;

/**
 * The typed failure for a known nabla exception, or `undefined` for any other throw.
 *
 * @internal
 */
export function typedFailure(
  e: unknown,
  step?: number,
): ShapeError | EscapedTracer | Concretization | undefined {
  const at = step === undefined ? {} : { step };
  if (e instanceof EscapedTracerError) {
    return new EscapedTracer({ transformation: e.transformation, message: e.message, ...at });
  }
  if (e instanceof ConcretizationError) return new Concretization({ message: e.message, ...at });
  if (e instanceof CoreShapeError) return new ShapeError({ message: e.message, ...at });
  return undefined;
}

/**
 * Runs a nabla computation with its known exceptions as typed failures (`ShapeError`,
 * `EscapedTracer`, `Concretization`); any other throw is a defect.
 *
 * @example A computation that may fail with a shape error
 * ```ts
 * import { Effect } from "effect";
 * import { np } from "@nabla/ad";
 * import { attempt } from "@nabla/ad/effect";
 * import { equal } from "node:assert/strict";
 *
 * const sum = await Effect.runPromise(attempt(() => np.sum(np.ones([3])).item()));
 * equal(sum, 3);
 * ```
 *
 * @param f The computation, run synchronously when the effect runs.
 * @returns Its result, or a typed failure.
 */
export function attempt<A>(
  f: () => A,
): Effect.Effect<A, ShapeError | EscapedTracer | Concretization> {
  return Effect.suspend(() => {
    try {
      return Effect.succeed(f());
    } catch (e) {
      const failure = typedFailure(e);
      return failure === undefined ? Effect.die(e) : Effect.fail(failure);
    }
  });
}
