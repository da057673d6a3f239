/**
 * Loop fusion: regions of elementwise and structural equations become one
 * generated loop nest each.
 *
 * - **Groups.** Walking the program backwards, each unassigned fusible
 *   equation roots a group whose iteration space is its output shape (a
 *   reduction's: its operand's); a producer joins when everything reading
 *   its value is in the group (or its value has the group's shape and is
 *   read only later: then the loop also stores it). A view read by several
 *   groups is recomputed in each. Groups over one iteration space then merge
 *   (a producer group into its elementwise reader, siblings sharing an
 *   input) wherever some place in the program lies after all their inputs
 *   and before all outside readers: groups are DAG regions, not runs of
 *   consecutive equations, each run at such a place. A producer doing
 *   arithmetic on a value at most half the group's size (a vector broadcast
 *   against a matrix) is not recomputed per element: it is left to a group
 *   of its own and read as a materialised, broadcast buffer.
 * - **Index maps.** Every value in a group is evaluated at an index vector of
 *   affine (or, for row-major reshape splits, integer-division) expressions
 *   in the loop counters. Broadcasting operands (NumPy's, right-aligned, and
 *   size-1 dims), `broadcast_to`, `reshape`, `transpose`, `slice`, `rev` and
 *   products without contraction only transform the index; `pad` reads its
 *   operand under a condition and yields 0 elsewhere, and an inner loop is
 *   split where a pad's bounds on its counter change (no test inside).
 *   Loads use strides baked into the source; loops are ordered by the
 *   strides they step; offsets and values not depending on inner counters
 *   are hoisted; values are numbered by expression (operands of commutative
 *   operations sorted), so one read at the same index twice is one.
 * - **Semantics.** The per-element expressions are the kernels' own
 *   (`scalar.ts`' `elementwiseTemplate`), with the kernels' integer paths
 *   (`Math.imul`, exact integer powers) and the rounding of each store:
 *   `Math.fround` after every `float32` result, `| 0` after every `int32`
 *   one. A reduction (`reduce_sum`/`max`/`min`) consumes its group in the
 *   kernel's order: a contiguous trailing block row by row through the
 *   kernels' own pairwise sum, leading or middle axes accumulated row after
 *   row. Results are bit-identical to eager.
 *
 * A group is replaced by one `fused` call equation; kernels are cached by
 * their source text, which {@linkcode FusedParams} exposes with the members.
 *
 * @module
 */

import { NdArray, storageOf } from "../array/array.ts";
import { allocate, type DType } from "../array/dtype.ts";
import { sizeOf } from "../array/shape.ts";
import { type Atom, type Eqn, Jaxpr, Lit, type PrimitiveEqn, Var } from "../core/ir.ts";
import type { CallPrimitive } from "../core/primitive.ts";
import { scalarHelpers } from "../array/kernels/elementwise.ts";
import { reduceHelpers } from "../array/kernels/reduce.ts";
import { elementwiseTemplate, num } from "./scalar.ts";
import { dce } from "./passes.ts";

/** Most equations in one fused loop. */
export const MAX_GROUP = 96;

/** The parameters of a `fused` call equation. */
export interface FusedParams {
  /** How many equations the loop computes. */
  readonly size: number;
  /** Their primitives, in program order. */
  readonly primitives: readonly string[];
  /** The kernel's generated source. */
  readonly source: string;
}

type Kernel = (args: readonly NdArray[]) => NdArray[];

/** Row reductions of fused trailing reductions: the kernels' pairwise sums, and their scans. */
const rowHelpers = {
  ...reduceHelpers,
  // NumPy max/min: keep the accumulator if it wins or is NaN, else take the new value
  maxRow(x: Float64Array | Float32Array, n: number): number {
    let v = x[0];
    for (let i = 1; i < n; i++) {
      const y = x[i];
      if (!(v > y || v !== v)) v = y;
    }
    return v;
  },
  minRow(x: Float64Array | Float32Array, n: number): number {
    let v = x[0];
    for (let i = 1; i < n; i++) {
      const y = x[i];
      if (!(v < y || v !== v)) v = y;
    }
    return v;
  },
};
const kernels = new Map<string, Kernel>();

function makeKernel(src: string): Kernel {
  let k = kernels.get(src);
  if (k === undefined) {
    const make = new Function("S", "AL", "A", "H", "H2", src) as (
      S: typeof storageOf,
      AL: typeof allocate,
      A: typeof NdArray,
      H: typeof scalarHelpers,
      H2: typeof rowHelpers,
    ) => Kernel;
    k = make(storageOf, allocate, NdArray, scalarHelpers, rowHelpers);
    if (kernels.size > 2000) kernels.clear();
    kernels.set(src, k);
  }
  return k;
}

// ---------------------------------------------------------------------------
// What fuses

/** The dtypes whose values fused loops hold as JS numbers with exact semantics. */
const DTYPES = new Set<DType>(["float64", "float32", "int32", "bool"]);
const ok = (a: Atom) => DTYPES.has(a.aval.dtype);

/** The rounding a store into storage of `dtype` performs, applied to an expression. */
function store(dtype: DType, expr: string): string {
  if (dtype === "float32") return `Math.fround(${expr})`;
  if (dtype === "int32") return `((${expr}) | 0)`;
  return expr;
}

const AS_F64 = (a: Atom): Atom => {
  const d = a.aval.dtype;
  if (d === "float64" || d === "bool") return a;
  return a instanceof Lit ? new Lit(a.value, "float64") : new Var({ ...a.aval, dtype: "float64" });
};

/** Kernels take integer paths for integer (and bool) storage: see `binaryKernel`. */
const isIntStorage = (d: DType) => d === "int32" || d === "bool";

/**
 * The expression template of an elementwise equation on float64, float32,
 * int32 and bool values, exactly as the kernels compute it (the result
 * rounded as its store rounds), or `null`.
 */
function template(e: PrimitiveEqn): string | null {
  if (!e.inputs.every(ok) || !ok(e.outs[0])) return null;
  const out = e.outs[0].aval.dtype;
  const name = e.primitive;
  if (name === "convert_element_type") {
    const from = e.inputs[0].aval.dtype;
    if (out === from) return "$0";
    if (out === "bool") return "($0 !== 0 ? 1 : 0)";
    if (out === "int32" && (from === "float64" || from === "float32")) {
      // saturating, as convertKernel: NaN → 0, beyond the range → the nearest bound
      return "(($0 > -2147483649 && $0 < 2147483648 ? $0 : $0 !== $0 ? 0 : $0 > 0 ? 2147483647 : -2147483648) | 0)";
    }
    return store(out, "$0");
  }
  const first = e.inputs[name === "select" ? 1 : 0]?.aval.dtype;
  if (first === undefined) return null;
  const allSame = e.inputs.every((a, i) =>
    (name === "select" && i === 0) ? a.aval.dtype === "bool" : a.aval.dtype === first
  );
  if (!allSame) return null;
  const intIn = isIntStorage(first);
  if (intIn) {
    if (name === "mul") return store(out, "Math.imul($0, $1)");
    if (name === "pow") return store(out, "H.intPow($0, $1)");
    if (name === "integer_pow") return store(out, `H.intPow($0, ${(e.params as { y: number }).y})`);
    if (name === "and" && first === "int32") return "($0 & $1)";
    if (name === "or" && first === "int32") return "($0 | $1)";
    if (name === "not" && first === "int32") return null; // bitwise invert: not covered
  }
  if (first === "float64" || first === "bool") {
    const t = elementwiseTemplate(e);
    return t === null ? null : store(out, t);
  }
  // float32 and int32 compute as float64 does on the same values, then round at the store
  const as64: PrimitiveEqn = {
    ...e,
    inputs: e.inputs.map(AS_F64),
    outs: [AS_F64(e.outs[0]) as Var],
  };
  const t = elementwiseTemplate(as64);
  return t === null ? null : store(out, t);
}

/** Whether `from` broadcasts to `to` (NumPy's right-aligned rule). */
function broadcasts(from: readonly number[], to: readonly number[]): boolean {
  if (from.length > to.length) return false;
  const lead = to.length - from.length;
  for (let i = 0; i < from.length; i++) {
    if (from[i] !== 1 && from[i] !== to[lead + i]) return false;
  }
  return true;
}

const COMMUTATIVE = new Set(["add", "mul", "and", "or", "eq", "ne"]);

const VIEWS = new Set(["reshape", "broadcast_to", "transpose", "slice", "pad", "rev"]);

type Kind = "ew" | "view" | "dot" | "reduce" | null;

interface Info {
  kind: Kind;
  template: string | null;
  reduce?: ReducePlan;
}

/**
 * A reduction fused as the consumer of its group, in the kernel's order:
 * `trailing` (a contiguous trailing block: each row gathered, then summed
 * pairwise or scanned) or `rows` (leading or middle axes: whole rows
 * accumulated in order).
 */
interface ReducePlan {
  op: "sum" | "max" | "min";
  pattern: "trailing" | "rows";
  /** Elements reduced into each output. */
  m: number;
  axes: readonly number[];
}

const REDUCE: Record<string, "sum" | "max" | "min"> = {
  reduce_sum: "sum",
  reduce_max: "max",
  reduce_min: "min",
};

/** The kernel's loop shape for a reduction (`reduceKernel`), when it is one fusion covers. */
function reducePlan(
  op: "sum" | "max" | "min",
  shape: readonly number[],
  axes: readonly number[],
): ReducePlan | null {
  let m = 1;
  for (const a of axes) m *= shape[a];
  const outSize = sizeOf(shape) / (m === 0 ? 1 : m);
  if (m < 2 || outSize === 0) return null;
  // coalesced as the kernel does: size-1 dims dropped, neighbours of one kind merged
  const reduced: boolean[] = [];
  for (let i = 0; i < shape.length; i++) {
    if (shape[i] === 1) continue;
    const r = axes.includes(i);
    if (reduced.length === 0 || reduced[reduced.length - 1] !== r) reduced.push(r);
  }
  const g = reduced.length;
  if (reduced[g - 1]) return g <= 2 ? { op, pattern: "trailing", m, axes } : null;
  if (g <= 3 && reduced[g - 2] && (g === 2 || !reduced[0])) {
    return { op, pattern: "rows", m, axes };
  }
  return null;
}

function classify(e: Eqn): Info {
  const no: Info = { kind: null, template: null };
  if (e.kind !== "primitive" || e.outs.length !== 1) return no;
  if (VIEWS.has(e.primitive)) {
    if (e.inputs.length !== 1 || !ok(e.inputs[0]) || !(e.inputs[0] instanceof Var)) return no;
    return { kind: "view", template: null };
  }
  const op = REDUCE[e.primitive];
  if (op !== undefined) {
    const x = e.inputs[0];
    const d = x.aval.dtype;
    if (!(x instanceof Var) || (d !== "float64" && d !== "float32")) return no;
    const plan = reducePlan(op, x.aval.shape, (e.params as { axes: readonly number[] }).axes);
    return plan === null ? no : { kind: "reduce", template: null, reduce: plan };
  }
  if (e.primitive === "dot_general") {
    // no contraction (or over size 1): the kernels compute each element as 0 + l·r
    const [l, r] = e.inputs;
    const d = e.outs[0].aval.dtype;
    const p = e.params as DotParams;
    const k = p.lhsContract.reduce((n, a) => n * l.aval.shape[a], 1);
    if (k !== 1 || (d !== "float64" && d !== "float32") || !(l instanceof Var)) return no;
    if (!(r instanceof Var) || l.aval.dtype !== d || r.aval.dtype !== d) return no;
    return { kind: "dot", template: store(d, "0 + $0 * $1") };
  }
  const shape = e.outs[0].aval.shape;
  for (const a of e.inputs) if (!broadcasts(a.aval.shape, shape)) return no;
  const t = template(e);
  return t === null ? no : { kind: "ew", template: t };
}

// ---------------------------------------------------------------------------
// Index expressions

/** An affine index `c + Σ k[d]·i_d` in the loop counters, or an opaque expression. */
type Idx = { c: number; k: number[] } | { s: string; lv: number };

const isAff = (x: Idx): x is { c: number; k: number[] } => "k" in x;

/** Row-major strides. */
function strides(shape: readonly number[]): number[] {
  const s = new globalThis.Array<number>(shape.length);
  let acc = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    s[i] = acc;
    acc *= shape[i];
  }
  return s;
}

// ---------------------------------------------------------------------------
// Emission of one group

interface Value {
  name: string;
  level: number;
}

/**
 * A guard context: values computed under a `pad` that lands on its operand
 * only where `cond` holds. Loads under it read only where every enclosing
 * condition holds (0 elsewhere, so no read leaves a buffer); arithmetic runs
 * unconditionally on those values and the pad selects its result. Values are
 * memoised per context (a value of an outer context serves inner ones).
 */
interface Frame {
  cond: string | null;
  level: number;
  memo: Map<string, Value>;
}

class GroupEmitter {
  readonly shape: readonly number[];
  readonly rank: number;
  /** Loop depth of each dimension (-1 for dims of size 1, which have no loop). */
  readonly depth: number[];
  readonly loops: number[];
  readonly levels: string[][];
  /** Lines run after the inner loops of a level, per level (as `levels`). */
  readonly post: string[][];
  readonly frames: Frame[] = [];
  readonly ins: Var[] = [];
  readonly inIndex = new Map<Var, number>();
  readonly head: string[] = [];
  readonly defs: Map<Var, { eqn: PrimitiveEqn; info: Info }>;
  private counter = 0;

  /** Where bounds on the innermost counter change truth (pass without segments). */
  readonly breaks: number[] = [];
  /** The first counter value of the inner-loop segment being emitted, or `null`. */
  segment: number | null = null;
  /** The innermost loop's dimension (-1 without loops). */
  readonly innerDim: number;

  /**
   * Where `t >= 0` (`n` null) or `t < n` starts or stops holding, when `t`
   * depends on the innermost counter alone; `null` otherwise.
   */
  bound(t: Idx, n: number | null): number[] | null {
    if (!isAff(t) || this.innerDim < 0) return null;
    const k = t.k[this.innerDim];
    if (k === 0 || t.k.some((kk, d) => d !== this.innerDim && kk !== 0)) return null;
    const c = t.c;
    // the condition holds on an interval of counters: return its ends as split points
    if (n === null) return k > 0 ? [Math.ceil(-c / k)] : [Math.floor(c / -k) + 1];
    return k > 0 ? [Math.floor((n - 1 - c) / k) + 1] : [Math.ceil((c - n + 1) / -k)];
  }

  /** The coefficients of every affine buffer offset emitted (to choose the loop order). */
  readonly accesses: number[][] = [];

  constructor(
    shape: readonly number[],
    defs: Map<Var, { eqn: PrimitiveEqn; info: Info }>,
    order: readonly number[],
  ) {
    this.shape = shape;
    this.rank = shape.length;
    this.defs = defs;
    this.loops = order.filter((d) => shape[d] > 1);
    this.depth = shape.map((n, d) => (n > 1 ? this.loops.indexOf(d) : -1));
    this.innerDim = this.loops.length > 0 ? this.loops[this.loops.length - 1] : -1;
    this.levels = Array.from({ length: this.loops.length + 1 }, () => []);
    this.post = Array.from({ length: this.loops.length + 1 }, () => []);
    this.frames.push({ cond: null, level: -1, memo: new Map() });
  }

  fresh(p: string): string {
    return `${p}${this.counter++}`;
  }

  /** The index 0. */
  zero(): Idx {
    return { c: 0, k: new globalThis.Array<number>(this.rank).fill(0) };
  }

  /** The operand index of a (right-aligned) broadcast of shape `from` to `to`. */
  broadcastIdx(from: readonly number[], to: readonly number[], idx: readonly Idx[]): Idx[] {
    const lead = to.length - from.length;
    return from.map((n, d) => (n === 1 ? this.zero() : idx[lead + d]));
  }

  /** The identity index of the iteration space. */
  identity(): Idx[] {
    return this.shape.map((n, d) => {
      const k = new globalThis.Array<number>(this.rank).fill(0);
      if (n > 1) k[d] = 1;
      return { c: 0, k };
    });
  }

  levelOf(x: Idx): number {
    if (!isAff(x)) return x.lv;
    let lv = -1;
    for (let d = 0; d < this.rank; d++) if (x.k[d] !== 0) lv = Math.max(lv, this.depth[d]);
    return lv;
  }

  text(x: Idx): string {
    if (!isAff(x)) return x.s;
    const parts: string[] = [];
    for (let d = 0; d < this.rank; d++) {
      const k = x.k[d];
      if (k === 0) continue;
      parts.push(k === 1 ? `i${d}` : `${k} * i${d}`);
    }
    if (x.c !== 0 || parts.length === 0) parts.push(String(x.c));
    return parts.join(" + ");
  }

  key(x: Idx): string {
    return isAff(x) ? `${x.c}:${x.k.join(",")}` : `(${x.s})`;
  }

  /** `Σ idx[d]·w[d]` as an index. */
  combine(idx: readonly Idx[], w: readonly number[], c0 = 0): Idx {
    let c = c0;
    const k = new globalThis.Array<number>(this.rank).fill(0);
    const opaque: string[] = [];
    let lv = -1;
    for (let d = 0; d < idx.length; d++) {
      const x = idx[d];
      if (w[d] === 0) continue;
      if (isAff(x)) {
        c += x.c * w[d];
        for (let j = 0; j < this.rank; j++) k[j] += x.k[j] * w[d];
      } else {
        opaque.push(w[d] === 1 ? `(${x.s})` : `(${x.s}) * ${w[d]}`);
        lv = Math.max(lv, x.lv);
      }
    }
    const aff: Idx = { c, k };
    if (opaque.length === 0) return aff;
    return {
      s: [...opaque, this.text(aff)].join(" + "),
      lv: Math.max(lv, this.levelOf(aff)),
    };
  }

  lookup(key: string): Value | undefined {
    for (let f = this.frames.length - 1; f >= 0; f--) {
      const v = this.frames[f].memo.get(key);
      if (v !== undefined) return v;
    }
    return undefined;
  }

  /** Emits `const name = expr` at `level` (memoised by `key`) and returns the name. */
  bind(key: string, expr: string, level: number, prefix = "t"): Value {
    const hit = this.lookup(key);
    if (hit !== undefined) return hit;
    const name = this.fresh(prefix);
    this.push(`const ${name} = ${expr};`, level);
    const v = { name, level };
    this.frames[this.frames.length - 1].memo.set(key, v);
    return v;
  }

  push(line: string, level: number): void {
    this.levels[level + 1].push(line);
  }

  /** The conjunction of the enclosing guards and its level, or `null`. */
  guard(): Value | null {
    const cs: string[] = [];
    let level = -1;
    for (const f of this.frames) {
      if (f.cond === null) continue;
      cs.push(f.cond);
      level = Math.max(level, f.level);
    }
    return cs.length === 0 ? null : { name: cs.join(" && "), level };
  }

  /** An offset into a buffer, its inner-loop-invariant part hoisted. */
  offset(x: Idx): Value {
    if (!isAff(x)) return { name: `(${x.s})`, level: x.lv };
    this.accesses.push(x.k);
    const lv = this.levelOf(x);
    if (lv < 0) return { name: String(x.c), level: -1 };
    // split off the terms of the innermost counter used; hoist the rest
    const inner = this.loops[lv];
    const kIn = x.k[inner];
    const rest: Idx = { c: x.c, k: x.k.map((k, d) => (d === inner ? 0 : k)) };
    const restLv = this.levelOf(rest);
    let base = "";
    if (restLv >= 0) {
      base = this.bind(`off:${this.key(rest)}`, this.text(rest), restLv, "b").name + " + ";
    } else if (rest.c !== 0) base = `${rest.c} + `;
    return { name: `${base}${kIn === 1 ? "" : `${kIn} * `}i${inner}`, level: lv };
  }

  /** The external input `v` (a buffer, or a 0-d value) read at `idx`. */
  load(v: Var, idx: readonly Idx[]): Value {
    let k = this.inIndex.get(v);
    if (k === undefined) {
      k = this.ins.length;
      this.ins.push(v);
      this.inIndex.set(v, k);
      this.head.push(`  const x${k} = S(args[${k}]);`);
    }
    const shape = v.aval.shape;
    const st = strides(shape).map((s, d) => (shape[d] === 1 ? 0 : s));
    const off = this.offset(this.combine(idx, st));
    const g = this.guard();
    if (g === null) return this.bind(`ld:${k}:${off.name}`, `x${k}[${off.name}]`, off.level, "v");
    return this.bind(
      `ld:${k}:${off.name}`,
      `${g.name} ? x${k}[${off.name}] : 0`,
      Math.max(off.level, g.level),
      "v",
    );
  }

  /** The value of atom `a` at index `idx` (of `a`'s rank). */
  value(a: Atom, idx: readonly Idx[]): Value {
    if (a instanceof Lit) return { name: `(${litText(a)})`, level: -1 };
    const def = this.defs.get(a);
    if (def === undefined) return this.load(a, idx);
    const { eqn, info } = def;
    const out = a.aval.shape;
    if (info.kind === "ew") {
      const key = `ew:${this.id(a)}@${idx.map((x) => this.key(x)).join("|")}`;
      const hit = this.lookup(key);
      if (hit !== undefined) return hit;
      const args = eqn.inputs.map((b) => this.value(b, this.broadcastIdx(b.aval.shape, out, idx)));
      // value numbering by expression; operands of commutative ops in a canonical order
      // (IEEE addition and multiplication are commutative, bit for bit)
      if (COMMUTATIVE.has(eqn.primitive) && args.length === 2 && args[1].name < args[0].name) {
        args.reverse();
      }
      const expr = info.template!.replace(/\$(\d)/g, (_, d) => args[Number(d)].name);
      const level = Math.max(-1, ...args.map((x) => x.level));
      const v = this.bind(`e:${expr}`, expr, level);
      this.frames[this.frames.length - 1].memo.set(key, v);
      return v;
    }
    if (info.kind === "dot") {
      const key = `dot:${this.id(a)}@${idx.map((x) => this.key(x)).join("|")}`;
      const hit = this.lookup(key);
      if (hit !== undefined) return hit;
      const p = eqn.params as DotParams;
      const [l, r] = eqn.inputs;
      const nb = p.lhsBatch.length;
      const nlf = l.aval.shape.length - nb - p.lhsContract.length;
      // output dims: batch, then lhs's free dims, then rhs's (each in axis order)
      const operandIdx = (
        x: Atom,
        batch: readonly number[],
        contract: readonly number[],
        at: number,
      ) => {
        let f = 0;
        return x.aval.shape.map((_, d) => {
          const b = batch.indexOf(d);
          if (b >= 0) return idx[b];
          if (contract.includes(d)) return this.zero();
          return idx[at + f++];
        });
      };
      const lv = this.value(l, operandIdx(l, p.lhsBatch, p.lhsContract, nb));
      const rv = this.value(r, operandIdx(r, p.rhsBatch, p.rhsContract, nb + nlf));
      const expr = info.template!.replace("$0", lv.name).replace("$1", rv.name);
      const v = this.bind(key, expr, Math.max(lv.level, rv.level));
      return v;
    }
    const x = eqn.inputs[0] as Var;
    const xs = x.aval.shape;
    switch (eqn.primitive) {
      case "broadcast_to":
        return this.value(x, this.broadcastIdx(xs, out, idx));
      case "transpose": {
        const perm = (eqn.params as { perm: readonly number[] }).perm;
        const j = new globalThis.Array<Idx>(xs.length);
        perm.forEach((p, i) => (j[p] = idx[i]));
        return this.value(x, j);
      }
      case "slice": {
        const p = eqn.params as { starts: readonly number[]; strides: readonly number[] };
        return this.value(x, idx.map((ix, d) => this.combine([ix], [p.strides[d]], p.starts[d])));
      }
      case "rev": {
        const axes = (eqn.params as { axes: readonly number[] }).axes;
        return this.value(
          x,
          idx.map((ix, d) => (axes.includes(d) ? this.combine([ix], [-1], xs[d] - 1) : ix)),
        );
      }
      case "reshape":
        return this.value(x, this.reshapeIdx(xs, out, idx));
      case "pad":
        return this.pad(a, x, eqn.params as PadParams, idx);
    }
    throw new TypeError(`fuse: no index map for ${eqn.primitive}`);
  }

  private ids = new Map<Var, number>();
  id(v: Var): number {
    let i = this.ids.get(v);
    if (i === undefined) {
      i = this.ids.size;
      this.ids.set(v, i);
    }
    return i;
  }

  /** The operand index of a row-major reshape from `xs` to `out`. */
  reshapeIdx(xs: readonly number[], out: readonly number[], idx: readonly Idx[]): Idx[] {
    const j: Idx[] = xs.map(() => this.zero());
    if (sizeOf(xs) === 0) return j; // read under a pad that never lands on it
    const od = out.map((_, d) => d).filter((d) => out[d] !== 1);
    const xd = xs.map((_, d) => d).filter((d) => xs[d] !== 1);
    let oi = 0, xi = 0;
    while (oi < od.length && xi < xd.length) {
      const B = [od[oi++]], A = [xd[xi++]];
      let po = out[B[0]], px = xs[A[0]];
      while (po !== px) {
        if (po < px) {
          B.push(od[oi]);
          po *= out[od[oi++]];
        } else {
          A.push(xd[xi]);
          px *= xs[xd[xi++]];
        }
      }
      // the flat index within the segment, then split over the operand's dims
      const bs = strides(B.map((d) => out[d]));
      const flat = this.combine(B.map((d) => idx[d]), bs);
      if (A.length === 1) {
        j[A[0]] = flat;
        continue;
      }
      const as = strides(A.map((d) => xs[d]));
      const ft = this.text(flat);
      const lv = this.levelOf(flat);
      const f = lv >= 0 ? this.bind(`flat:${this.key(flat)}`, ft, lv, "f").name : `(${ft})`;
      A.forEach((d, t) => {
        const div = as[t] === 1 ? f : `((${f} / ${as[t]}) | 0)`;
        j[d] = { s: t === 0 ? div : `(${div} % ${xs[d]})`, lv };
      });
    }
    return j;
  }

  /** `pad` at `idx`: the operand where the index lands on it, 0 elsewhere. */
  pad(a: Var, x: Var, p: PadParams, idx: readonly Idx[]): Value {
    const xs = x.aval.shape;
    const out = a.aval.shape;
    const conds: string[] = [];
    let lv = -1;
    let never = false;
    const cond = (t: Idx, n: number | null, text: string) => {
      // a bound on the innermost counter alone: split the loop there, or known on this segment
      const b = this.bound(t, n);
      if (b !== null) {
        if (this.segment === null) this.breaks.push(...b);
        else {
          const i = this.segment;
          const v = (t as { c: number; k: number[] }).c +
            (t as { k: number[] }).k[this.innerDim] * i;
          if (!(n === null ? v >= 0 : v < n)) never = true;
          return;
        }
      }
      lv = Math.max(lv, this.levelOf(t));
      conds.push(text);
    };
    const j: Idx[] = idx.map((ix, d) => {
      const lo = p.lo[d], s = p.interior[d] + 1;
      const span = xs[d] === 0 ? 0 : (xs[d] - 1) * s + 1;
      const t = this.combine([ix], [1], -lo);
      const tt = this.text(t);
      if (lo > 0) cond(t, null, `${tt} >= 0`);
      if (lo + span < out[d]) cond(t, span, `${tt} < ${span}`);
      if (s === 1) return t;
      lv = Math.max(lv, this.levelOf(t));
      conds.push(`(${tt}) % ${s} === 0`);
      return { s: `((${tt}) / ${s})`, lv: this.levelOf(t) };
    });
    if (never) return { name: "(0)", level: -1 };
    if (conds.length === 0) return this.value(x, j);
    const key = `pad:${this.id(a)}@${idx.map((i) => this.key(i)).join("|")}`;
    const hit = this.lookup(key);
    if (hit !== undefined) return hit;
    const all = conds.length === 1 ? conds[0] : conds.map((c) => `(${c})`).join(" && ");
    this.frames.push({ cond: `(${all})`, level: lv, memo: new Map() });
    const v = this.value(x, j);
    this.frames.pop();
    return this.bind(key, `(${all}) ? ${v.name} : 0`, Math.max(v.level, lv), "p");
  }
}

interface DotParams {
  readonly lhsContract: readonly number[];
  readonly rhsContract: readonly number[];
  readonly lhsBatch: readonly number[];
  readonly rhsBatch: readonly number[];
}

interface PadParams {
  readonly lo: readonly number[];
  readonly hi: readonly number[];
  readonly interior: readonly number[];
}

/** A literal as its dtype stores it. */
function litText(a: Lit): string {
  const d = a.aval.dtype;
  if (d === "float32") return num(Math.fround(a.value));
  if (d === "int32") return num(a.value | 0);
  if (d === "bool") return a.value ? "1" : "0";
  return num(a.value);
}

/** The kernel source of a group. */
/** A group's reduction root: its output, its operand and its plan. */
interface Reduction {
  v: Var;
  x: Var;
  plan: ReducePlan;
}

function emitGroup(
  shape: readonly number[],
  defs: Map<Var, { eqn: PrimitiveEqn; info: Info }>,
  outs: readonly Var[],
  red: Reduction | null,
): { src: string; ins: Var[] } {
  const natural = shape.map((_, d) => d);
  // a reduction keeps the kernel's order: loops in axis order, unsplit
  if (red !== null) return emitWith(shape, defs, outs, natural, null, red);
  let r = emitWith(shape, defs, outs, natural, null);
  let order = natural;
  if (shape.filter((n) => n > 1).length >= 2) {
    // loops ordered by the memory strides they step (largest outermost): contiguous inner reads
    const weight = natural.map((d) => r.accesses.reduce((w, k) => w + Math.abs(k[d]), 0));
    order = natural.slice().sort((a, b) => weight[b] - weight[a] || a - b);
    if (!order.every((d, i) => d === i)) r = emitWith(shape, defs, outs, order, null);
  }
  // pads whose bounds depend on the inner counter alone: split the inner loop where they change
  const loops = order.filter((d) => shape[d] > 1);
  if (loops.length > 0 && r.breaks.length > 0) {
    const n = shape[loops[loops.length - 1]];
    const splits = [...new Set(r.breaks.filter((b) => b > 0 && b < n))].sort((a, b) => a - b);
    if (splits.length > 0 && splits.length <= MAX_SPLITS) {
      r = emitWith(shape, defs, outs, order, splits);
    }
  }
  return r;
}

/**
 * The store of a reduction root into `o`, in the kernel's order: rows
 * accumulate into the output (`0 +` the first row for sums); a trailing
 * block is gathered into a scratch row and reduced after its loops.
 */
function reduceStore(g: GroupEmitter, red: Reduction, o: string, id: Idx[]): void {
  const { plan, x } = red;
  const xs = x.aval.shape;
  const val = g.value(x, id).name;
  const inner = g.loops.length - 1;
  // the output offset: kept dims with the output's strides
  const kept = xs.map((_, d) => d).filter((d) => !plan.axes.includes(d));
  const ostr = strides(kept.map((d) => xs[d]));
  const w = xs.map((n, d) => (plan.axes.includes(d) || n === 1 ? 0 : ostr[kept.indexOf(d)]));
  const off = g.offset(g.combine(id, w));
  const redDims = plan.axes.filter((d) => xs[d] > 1);
  if (plan.pattern === "rows") {
    const first = redDims.map((d) => `i${d} === 0`).join(" && ");
    if (plan.op === "sum") {
      g.push(`${o}[${off.name}] = (${first}) ? 0 + ${val} : ${o}[${off.name}] + ${val};`, inner);
    } else {
      const win = plan.op === "max" ? "a > y" : "a < y";
      g.push(
        `{ const a = ${o}[${off.name}], y = ${val}; ` +
          `${o}[${off.name}] = (${first}) || !(${win} || a !== a) ? y : a; }`,
        inner,
      );
    }
    return;
  }
  // trailing: the flat index within the reduced block, the row reduced after its loops
  const rstr = strides(plan.axes.map((d) => xs[d]));
  const rw = xs.map((n, d) => (plan.axes.includes(d) && n > 1 ? rstr[plan.axes.indexOf(d)] : 0));
  const r = g.offset(g.combine(id, rw));
  const f64 = x.aval.dtype === "float64";
  if (!g.head.some((l) => l.startsWith("  const sc = "))) {
    g.head.push(`  const sc = new ${f64 ? "Float64Array" : "Float32Array"}(${plan.m});`);
  }
  g.push(`sc[${r.name}] = ${val};`, inner);
  const keptDepths = kept.filter((d) => xs[d] > 1).map((d) => g.depth[d]);
  const lv = keptDepths.length === 0 ? -1 : Math.max(...keptDepths);
  const koff = g.offset(g.combine(id, w));
  const row = plan.op === "sum"
    ? `0 + H2.${f64 ? "pairwiseSum64" : "pairwiseSum"}(sc, 0, ${plan.m})`
    : `H2.${plan.op}Row(sc, ${plan.m})`;
  g.post[lv + 1].push(`${o}[${koff.name}] = ${row};`);
}

/** Inputs read by more equations than this do not make their readers' groups merge. */
const MAX_SIBLINGS = 8;

/** Most split points of one inner loop. */
const MAX_SPLITS = 6;

function emitWith(
  shape: readonly number[],
  defs: Map<Var, { eqn: PrimitiveEqn; info: Info }>,
  outs: readonly Var[],
  order: readonly number[],
  splits: readonly number[] | null,
  red: Reduction | null = null,
): { src: string; ins: Var[]; accesses: number[][]; breaks: number[] } {
  const g = new GroupEmitter(shape, defs, order);
  const n = sizeOf(shape);
  const ostr = strides(shape);
  const tail: string[] = [];
  const inner = g.loops.length - 1;
  outs.forEach((v, k) => {
    g.head.push(`  const o${k} = AL("${v.aval.dtype}", ${sizeOf(v.aval.shape)});`);
    tail.push(`new A(o${k}, ${JSON.stringify(v.aval.shape)}, "${v.aval.dtype}")`);
  });
  const stores = () => {
    const id = g.identity();
    const off = g.offset(g.combine(id, ostr.map((s, d) => (shape[d] === 1 ? 0 : s))));
    outs.forEach((v, k) => {
      if (red !== null && v === red.v) reduceStore(g, red, `o${k}`, id);
      else g.push(`o${k}[${off.name}] = ${g.value(v, id).name};`, inner);
    });
  };
  // segments of the inner loop: [start, end) each, with its own body
  const segs: { start: number; end: number; lines: string[] }[] = [];
  if (n > 0) {
    if (splits === null) stores();
    else {
      const ends = [0, ...splits, shape[g.innerDim]];
      for (let s = 0; s + 1 < ends.length; s++) {
        g.segment = ends[s];
        g.frames.push({ cond: null, level: -1, memo: new Map() });
        stores();
        g.frames.pop();
        segs.push({ start: ends[s], end: ends[s + 1], lines: g.levels[inner + 1].splice(0) });
      }
    }
  }
  const body: string[] = [];
  const indent = (d: number) => "  ".repeat(d + 1);
  const emitLines = (lines: readonly string[], d: number) => {
    for (const l of lines) for (const s of l.split("\n")) body.push(indent(d) + s);
  };
  if (n > 0) {
    emitLines(g.levels[0], 0);
    g.loops.forEach((d, depth) => {
      if (depth === inner && splits !== null) {
        for (const seg of segs) {
          body.push(
            `${indent(depth)}for (let i${d} = ${seg.start}; i${d} < ${seg.end}; i${d}++) {`,
          );
          emitLines(seg.lines, depth + 1);
          body.push(`${indent(depth)}}`);
        }
        return;
      }
      body.push(`${indent(depth)}for (let i${d} = 0; i${d} < ${shape[d]}; i${d}++) {`);
      emitLines(g.levels[depth + 1], depth + 1);
    });
    for (let depth = g.loops.length - (splits !== null ? 2 : 1); depth >= 0; depth--) {
      body.push(`${indent(depth)}}`);
      emitLines(g.post[depth], depth);
    }
  }
  const dt = g.ins.map((v) => v.aval.dtype).join(",");
  const src = [
    `// inputs: ${dt}`,
    "return function fused(args) {",
    ...g.head,
    ...body,
    `  return [${tail.join(", ")}];`,
    "};",
  ].join("\n");
  return { src, ins: g.ins, accesses: g.accesses, breaks: g.breaks };
}

// ---------------------------------------------------------------------------
// Grouping

/**
 * Fuses regions of elementwise and structural equations into loops (see the
 * module doc).
 *
 * @param jaxpr The program.
 * @returns An equivalent program (the same object if nothing fused).
 */
export function fuse(jaxpr: Jaxpr): Jaxpr {
  const eqns = jaxpr.eqns;
  const m = eqns.length;
  const infos = eqns.map(classify);
  const defIndex = new Map<Var, number>();
  const consumers = new Map<Var, number[]>();
  for (let k = 0; k < m; k++) {
    const e = eqns[k];
    for (const v of e.outs) defIndex.set(v, k);
    for (const a of e.inputs) {
      if (!(a instanceof Var)) continue;
      let c = consumers.get(a);
      if (c === undefined) consumers.set(a, c = []);
      if (c[c.length - 1] !== k) c.push(k);
    }
  }
  const isOut = new Set<Var>();
  for (const a of jaxpr.outs) if (a instanceof Var) isOut.add(a);

  const groupOf = new Int32Array(m).fill(-1);
  // `dups`: views also computed by other equations (read from their operand's buffer here)
  const groups: { root: number; members: number[]; escapes: Var[]; dups: number[] }[] = [];
  for (let r = m - 1; r >= 0; r--) {
    if (infos[r].kind === null || groupOf[r] !== -1) continue;
    const gid = groups.length;
    // the iteration space: the output's shape, or a reduction's operand's
    const shape = infos[r].kind === "reduce"
      ? eqns[r].inputs[0].aval.shape
      : eqns[r].outs[0].aval.shape;
    const gsize = sizeOf(shape);
    const members = [r];
    const dups: number[] = [];
    const escapes: Var[] = [eqns[r].outs[0]];
    groupOf[r] = gid;
    // candidates in decreasing program order: every consumer of a candidate comes later
    const cand = new Set<number>();
    const addInputs = (k: number) => {
      for (const a of eqns[k].inputs) {
        if (!(a instanceof Var)) continue;
        const p = defIndex.get(a);
        if (p === undefined || groupOf[p] !== -1) continue;
        const kind = infos[p].kind;
        if (kind !== null && kind !== "reduce") cand.add(p);
      }
    };
    addInputs(r);
    while (cand.size > 0 && members.length < MAX_GROUP) {
      let p = -1;
      for (const c of cand) if (c > p) p = c;
      cand.delete(p);
      const v = eqns[p].outs[0];
      const vsize = sizeOf(v.aval.shape);
      // arithmetic on a much smaller value would be recomputed per element: keep it apart
      if (infos[p].kind === "ew" && vsize * 2 <= gsize) continue;
      let inside = true, later = true;
      const cs = consumers.get(v) ?? [];
      if (cs.length > MAX_GROUP) continue; // (they cannot all be in the group; keeps this linear)
      for (const c of cs) {
        if (groupOf[c] === gid) continue;
        inside = false;
        if (c < r) later = false;
      }
      if (isOut.has(v)) inside = false;
      let escape = false;
      if (!inside && infos[p].kind === "view") {
        // a view read elsewhere too: recompute it here from its operand (an index map)
        dups.push(p);
        const x = eqns[p].inputs[0] as Var;
        if (!consumers.has(x)) consumers.set(x, []);
        consumers.get(x)!.push(r); // (the group reads the operand now)
        continue;
      }
      if (!inside) {
        // also stored by the loop: the same iteration space, read only after the group runs
        const same = v.aval.shape.length === shape.length &&
          v.aval.shape.every((d, i) => d === shape[i]);
        if (!same || !later || infos[p].kind !== "ew") continue;
        escape = true;
      }
      groupOf[p] = gid;
      members.push(p);
      if (escape) escapes.push(v);
      addInputs(p);
    }
    groups.push({ root: r, members, escapes, dups });
  }

  // Multi-output fusion: two groups over the same iteration space merge when one reads the
  // other's stored values (from elementwise members, so at the identity index) or both read a
  // common input, and some place in the program lies after every input of the union and before
  // every outside reader of its values. A group runs at its position `pos` (its root's index
  // at first).
  const pos = groups.map((g) => g.root);
  // a group worth a loop: two or more equations, not only reshapes (those are free); the
  // equations of other groups stay where they are
  const worthOf = (gid: number) => {
    const ms = groups[gid].members;
    // (an outer product alone is also worth a loop: the matmul kernel would copy and pack)
    // and so is one elementwise equation reading a value twice (x + x: one load, not two)
    if (ms.length === 1) {
      const e = eqns[ms[0]];
      const vars = e.inputs.filter((a) => a instanceof Var);
      return infos[ms[0]].kind === "dot" ||
        (infos[ms[0]].kind === "ew" && new Set(vars).size < vars.length);
    }
    return ms.length >= 2 && ms.some((k) => eqns[k].primitive !== "reshape");
  };
  const worthy = groups.map((_, gid) => worthOf(gid));
  const isWorth = (gid: number) => worthy[gid];
  const at = (
    k: number,
  ): number => (groupOf[k] === -1 || !isWorth(groupOf[k]) ? k : pos[groupOf[k]]);
  const defPos = (a: Var): number => {
    const p = defIndex.get(a);
    return p === undefined ? -1 : at(p);
  };
  const usePos = at;
  const sameShape = (x: readonly number[], y: readonly number[]) =>
    x.length === y.length && x.every((d, i) => d === y[i]);
  /** The window `(lo, hi)` where the union of groups `a` and `b` may run. */
  const window = (a: number, b: number): [number, number] => {
    let lo = -1, hi = m;
    for (const gid of [a, b]) {
      for (const k of [...groups[gid].members, ...groups[gid].dups]) {
        for (const x of eqns[k].inputs) {
          if (!(x instanceof Var)) continue;
          const p = defIndex.get(x);
          if (p !== undefined && (groupOf[p] === a || groupOf[p] === b)) continue;
          lo = Math.max(lo, defPos(x));
        }
        if (groupOf[k] !== gid) continue; // (a dup's readers read the original)
        for (const c of consumers.get(eqns[k].outs[0]) ?? []) {
          if (groupOf[c] !== a && groupOf[c] !== b) hi = Math.min(hi, usePos(c));
        }
      }
    }
    return [lo, hi];
  };
  for (let gi = 0; gi < groups.length; gi++) {
    const g1 = groups[gi];
    if (g1.members.length === 0 || infos[g1.root].kind === "reduce") continue;
    const shape = eqns[g1.root].outs[0].aval.shape;
    const allEw = g1.members.every((k) => infos[k].kind === "ew");
    // partner groups: producers of values g1's members read, and readers of g1's inputs (kept
    // up to date as groups join: a partner refused now may fit once others have joined)
    const partners = new Set<number>();
    const addPartners = (k: number) => {
      for (const x of eqns[k].inputs) {
        if (!(x instanceof Var)) continue;
        const p = defIndex.get(x);
        if (p !== undefined && groupOf[p] !== -1 && groupOf[p] !== gi) {
          if (allEw) partners.add(groupOf[p]);
          continue;
        }
        const cs = consumers.get(x) ?? [];
        if (cs.length > MAX_SIBLINGS) continue; // (a widely read input: keeps this linear)
        for (const c of cs) {
          if (groupOf[c] !== -1 && groupOf[c] !== gi) partners.add(groupOf[c]);
        }
      }
    };
    for (const k of g1.members) addPartners(k);
    let merged = false;
    for (let changed = true; changed;) {
      changed = false;
      for (const gj of partners) {
        const g2 = groups[gj];
        if (g2.members.length === 0) {
          partners.delete(gj);
          continue;
        }
        if (g1.members.length + g2.members.length > MAX_GROUP) continue;
        if (
          infos[g2.root].kind === "reduce" || !sameShape(eqns[g2.root].outs[0].aval.shape, shape)
        ) {
          partners.delete(gj);
          continue;
        }
        // g2 may read g1's values only if g2's members are all elementwise too
        const reads21 = g2.members.some((k) =>
          eqns[k].inputs.some((x) => {
            const p = x instanceof Var ? defIndex.get(x) : undefined;
            return p !== undefined && groupOf[p] === gi;
          })
        );
        if (reads21 && !g2.members.every((k) => infos[k].kind === "ew")) continue;
        const [lo, hi] = window(gi, gj);
        if (!(lo < hi)) continue;
        for (const j of g2.members) groupOf[j] = gi;
        g1.members.push(...g2.members);
        g1.dups.push(...g2.dups);
        partners.delete(gj);
        for (const j of g2.members) {
          addPartners(j);
          // readers of g2's values are siblings of g1's members reading them
          const cs = consumers.get(eqns[j].outs[0]) ?? [];
          if (cs.length > MAX_SIBLINGS) continue;
          for (const c of cs) if (groupOf[c] !== -1 && groupOf[c] !== gi) partners.add(groupOf[c]);
        }
        g2.members = [];
        g2.dups = [];
        worthy[gi] = worthOf(gi);
        worthy[gj] = false;
        pos[gi] = (lo + hi) / 2;
        merged = changed = true;
      }
    }
    if (merged) {
      g1.escapes = g1.members.map((k) => eqns[k].outs[0]).filter((v) =>
        isOut.has(v) || (consumers.get(v) ?? []).some((c) => groupOf[c] !== gi)
      );
    }
  }

  const worth = groups.map((_, gid) => isWorth(gid));
  if (!worth.some((w) => w)) return jaxpr;
  const items: { at: number; eqn: Eqn }[] = [];
  for (let k = 0; k < m; k++) {
    const gid = groupOf[k];
    if (gid === -1 || !worth[gid]) items.push({ at: k, eqn: eqns[k] });
  }
  groups.forEach((g, gid) => {
    if (!worth[gid]) return;
    const members = [...new Set([...g.members, ...g.dups])].sort((a, b) => a - b);
    const defs = new Map<Var, { eqn: PrimitiveEqn; info: Info }>();
    for (const j of members) {
      defs.set(eqns[j].outs[0], { eqn: eqns[j] as PrimitiveEqn, info: infos[j] });
    }
    const root = eqns[g.root];
    const plan = infos[g.root].reduce;
    const red = plan === undefined ? null : { v: root.outs[0], x: root.inputs[0] as Var, plan };
    const shape = red === null ? root.outs[0].aval.shape : red.x.aval.shape;
    const { src, ins } = emitGroup(shape, defs, g.escapes, red);
    const kernel = makeKernel(src);
    const call = { name: "fused", impl: (args: readonly NdArray[]) => kernel(args) };
    const params: FusedParams = {
      size: members.length,
      primitives: members.map((j) => eqns[j].primitive),
      source: src,
    };
    items.push({
      at: pos[gid],
      eqn: {
        kind: "call",
        primitive: "fused",
        call: call as unknown as CallPrimitive<unknown>,
        inputs: ins,
        params,
        outs: g.escapes,
      },
    });
  });
  items.sort((a, b) => a.at - b.at);
  // views every reader of which now recomputes are dead
  return dce(new Jaxpr(jaxpr.constvars, jaxpr.invars, items.map((x) => x.eqn), jaxpr.outs));
}
