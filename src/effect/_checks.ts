/**
 * Argument checks shared by the Effect layer's modules.
 *
 * @module
 */

/** Throws a RangeError naming `name` unless `n` is a positive integer. */
export function checkPeriod(name: string, n: number): void {
  if (!(Number.isInteger(n) && n >= 1)) {
    throw new RangeError(`${name}: the period must be a positive integer: got ${n}`);
  }
}
