/**
 * `random`: JAX-style functional pseudo-random numbers. There is no global
 * state: every sampler takes a **key** and is a pure function of it; `split`
 * and `foldIn` derive new independent keys.
 *
 * - **Keys are plain arrays**: an `int32` array of shape `[2]` holding the two
 *   unsigned 32-bit words of a Threefry key (same bits; JAX shows them as
 *   `uint32`), exactly JAX's raw `PRNGKey` layout — `random.key(0)` is
 *   `[0, 0]`, `random.key(42)` is `[0, 42]`. A batch of keys is an array of
 *   shape `[n, 2]`; map a sampler over it with `vmap`.
 * - **Generator**: Threefry-2x32 (20 rounds) in counter mode, computed by the
 *   `threefry2x32` primitive in pure 32-bit integer JavaScript, so results
 *   are bit-identical on Deno, Bun and Node. The layout follows JAX's default
 *   (`jax_threefry_partitionable`): element `i` of a sample of any shape uses
 *   the counter `(0, i)`; `split(key, n)[i]` is the block at `(0, i)`;
 *   `foldIn(key, d)` is the block at `(0, d)`.
 * - **Bits to numbers**, as JAX: float64 takes 52 mantissa bits from the two
 *   words of a block, `((w₀ << 20) | (w₁ >>> 12)) / 2⁵²`; float32 takes 23
 *   bits of `w₀ ^ w₁`; normals are `√2 · erfInv(u)` with `u` uniform on
 *   (-1, 1). `uniform`, `normal`, `split`, `foldIn`, `bernoulli`, `randint`,
 *   `categorical`, `permutation` and `choice` reproduce JAX's results for the
 *   same key: floats as JAX with `jax_enable_x64` (float64; normals and
 *   scaled uniforms to within an ulp or two, where XLA fuses a multiply-add
 *   or rounds `erfInv` differently), integers as `randint(..., dtype=int32)`.
 *
 * Everything after the bits is composed from `np`, so samplers work under
 * `vmap` (over keys or parameters) and are differentiable in their
 * parameters (`minval`, `maxval`, ...) where that makes sense.
 *
 * @example Reproducible draws and a batch of keys
 * ```ts
 * import { np, random, vmap } from "@nabla/ad";
 * import { deepEqual } from "node:assert/strict";
 *
 * const key = random.key(0);
 * const keys = random.split(key, 4);
 * const rows = vmap((k) => random.normal(k, [3]))(keys);
 * deepEqual(rows.get(2).tolist(), random.normal(keys.get(2), [3]).tolist());
 * deepEqual(random.uniform(key, [2]).tolist(), random.uniform(key, [2]).tolist());
 * ```
 *
 * @module
 */

export { foldIn, key, PRNGKey, split } from "./keys.ts";
export * from "./distributions.ts";
export {
  ball,
  beta,
  chisquare,
  dirichlet,
  f,
  gamma,
  generalizedNormal,
  loggamma,
  t,
} from "./gamma.ts";
export * from "./discrete.ts";
export * from "./matrix.ts";
