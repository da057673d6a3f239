/**
 * Sorting kernels: the stable ascending order of each row of a buffer.
 *
 * @module
 */

import type { TypedArray } from "../dtype.ts";

/**
 * Writes into `out` the stable ascending sort order of each of the `rows`
 * contiguous rows of length `m` of `data` (NaN ranks after +Infinity, as
 * NumPy's total order). With `unsigned`, values are compared as unsigned
 * 32-bit words (for int32 storage of uint32 bits).
 */
export function argsortKernel(
  data: TypedArray,
  rows: number,
  m: number,
  unsigned: boolean,
  out: Int32Array,
): void {
  const keys = new Float64Array(m);
  const order = new globalThis.Array<number>(m);
  for (let r = 0; r < rows; r++) {
    for (let j = 0; j < m; j++) {
      const v = Number(data[r * m + j]);
      keys[j] = unsigned ? v >>> 0 : v;
      order[j] = j;
    }
    // Array.prototype.sort is stable.
    order.sort((i, j) => {
      const a = keys[i], b = keys[j];
      if (a !== a) return b !== b ? 0 : 1;
      if (b !== b) return -1;
      return a < b ? -1 : a > b ? 1 : 0;
    });
    for (let j = 0; j < m; j++) out[r * m + j] = order[j];
  }
}
