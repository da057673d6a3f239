/**
 * A custom interpreter written only against nabla's public API: an operation
 * counter. It is a handler like `jvp` or `vmap`: installed for one call, it
 * sees every primitive performed under it — including the operations that
 * inner transformations' rules perform — counts it, and forwards it to its
 * parent. Because handlers stack, it composes with `grad` and `vmap` in any
 * order.
 *
 * Run: `deno run examples/custom_interpreter.ts`
 *
 * @module
 */

import { type Array, grad, np, vmap } from "../mod.ts";

import { Handler, type Primitive, swapHandler } from "../extend.ts";

/** Counts primitives by name, then lets the parent handler compute them. */
class OpCounter extends Handler {
  readonly name = "countOps";
  readonly counts = new Map<string, number>();

  process<P>(prim: Primitive<P>, args: readonly Array[], params: P): Array {
    this.counts.set(prim.name, (this.counts.get(prim.name) ?? 0) + 1);
    // Forward with the parent current, so outer handlers see the operation.
    const saved = swapHandler(this.parent!);
    try {
      return this.parent!.process(prim, args, params);
    } finally {
      swapHandler(saved);
    }
  }
}

/** Wraps `f` so that each call reports the primitives it performed. */
export function countOps<A extends unknown[], R>(
  f: (...args: A) => R,
  report: (counts: Map<string, number>) => void,
): (...args: A) => R {
  return (...args: A): R => {
    const counter = new OpCounter();
    const saved = swapHandler(counter);
    try {
      return f(...args);
    } finally {
      swapHandler(saved);
      counter.retired = true;
      report(counter.counts);
    }
  };
}

const show = (label: string) => (counts: Map<string, number>) => {
  const total = [...counts.values()].reduce((a, b) => a + b, 0);
  const list = [...counts].map(([k, v]) => `${k}×${v}`).join(", ");
  console.log(`${label}: ${total} primitive operations (${list})`);
};

const f = (x: Array) => np.add(np.square(x), np.log(x)); // x² + log x

if (import.meta.main) {
  // The counter outside grad sees the forward pass and the backward pass.
  const g = countOps(grad(f), show("countOps(grad(f))"))(0.1);
  console.log("  grad(f)(0.1) =", g.toString());

  // Inside grad it sees only f's own operations, on grad's tracers.
  const g2 = grad(countOps(f, show("grad(countOps(f))")))(0.1);
  console.log("  same gradient:", g2.toString());

  // Under vmap: one batched operation per primitive, whatever the batch size.
  const xs = np.linspace(0.5, 2, 1000);
  const ys = countOps(vmap(grad(f)), show("countOps(vmap(grad(f))) over 1000 points"))(xs);
  console.log("  first slopes:", (ys.tolist() as number[]).slice(0, 3));
}
