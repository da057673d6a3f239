// Every primitive of the registry is exercised by the case table (tests/_cases.ts) under each
// transformation: its jvp rule under forward mode, under the reverse-mode recorder (linearized
// by a recording jvp, or recorded itself when linear), and its vmap rule. A counting spy on the
// three handlers' `process` notes each primitive they are handed with one of their own tracers.
// Remove a primitive's last row and this test names it.
import { describe, it } from "node:test";
import { deepEqual, throws } from "node:assert/strict";
import { jvp, np, vjp, vmap } from "../mod.ts";
import { type Array, type Handler, type Primitive, primitives, Tracer } from "../extend.ts";
import { JvpHandler } from "../src/transforms/jvp.ts";
import { Recorder } from "../src/transforms/linearize.ts";
import { VmapHandler } from "../src/transforms/vmap.ts";
import { CASES, inputs } from "./_cases.ts";

type Mode = "jvp" | "reverse" | "vmap";

const seen: Record<Mode, Set<string>> = { jvp: new Set(), reverse: new Set(), vmap: new Set() };

function owns(h: Handler, args: readonly Array[]): boolean {
  return args.some((a) => a instanceof Tracer && a.handler === h);
}

/** Wraps `cls.prototype.process` to note the primitives `mode(handler)` sees traced. */
function spy(
  cls: { prototype: Handler },
  mode: (h: Handler) => Mode,
): () => void {
  const proto = cls.prototype as unknown as {
    process: <P>(prim: Primitive<P>, args: readonly Array[], params: P) => Array;
  };
  const original = proto.process;
  proto.process = function <P>(this: Handler, prim: Primitive<P>, args: readonly Array[], p: P) {
    if (owns(this, args)) seen[mode(this)].add(prim.name);
    return original.call(this, prim, args, p);
  };
  return () => (proto.process = original);
}

function exercise(): void {
  const restore = [
    spy(JvpHandler, (h) => ((h as JvpHandler).recorder === null ? "jvp" : "reverse")),
    spy(Recorder, () => "reverse"),
    spy(VmapHandler, () => "vmap"),
  ];
  try {
    for (const c of CASES) {
      const xs = inputs(c);
      const modes = c.modes ?? ["fwd", "rev"];
      if ((c.order ?? 2) > 0 && modes.includes("fwd")) {
        jvp(c.f, xs, xs.map((x) => np.onesLike(x)));
      }
      if ((c.order ?? 2) > 0) {
        const reverse = () => {
          const [y, pullback] = vjp(c.f, xs);
          pullback(np.onesLike(y));
        };
        if (modes.includes("rev")) reverse();
        else throws(reverse, /Reverse-mode differentiation does not work/);
      }
      vmap(c.f)(...xs.map((x) => np.stack([x, x])));
    }
  } finally {
    for (const r of restore) r();
  }
}

describe("primitive coverage of the case table", () => {
  exercise();
  const names = Object.values(primitives).map((p) => p.name).sort();
  const untraced = new Set(CASES.flatMap((c) => c.noTangent?.primitives ?? []));
  for (const mode of ["jvp", "reverse", "vmap"] as const) {
    it(`every primitive is exercised under ${mode}`, () => {
      const exempt = (n: string) => mode !== "vmap" && untraced.has(n);
      deepEqual(names.filter((n) => !seen[mode].has(n) && !exempt(n)), []);
    });
  }
});
