/**
 * Options objects from JavaScript callers, who have no type checker to catch
 * a misspelt key: {@linkcode checkOptions} refuses keys a function does not
 * accept, naming the key, the function and the keys it accepts.
 *
 * @module
 */

/**
 * Throws a `TypeError` when `options` is a plain object with a key outside
 * `accepted` (anything else — a number, a string, an array, undefined — is
 * left to the caller's own checks).
 */
export function checkOptions(what: string, options: unknown, accepted: readonly string[]): void {
  if (typeof options !== "object" || options === null || Array.isArray(options)) return;
  const proto = Object.getPrototypeOf(options);
  if (proto !== Object.prototype && proto !== null) return;
  for (const key of Object.keys(options)) {
    if (!accepted.includes(key)) {
      const near = accepted.find((k) => k.toLowerCase() === key.toLowerCase()) ??
        accepted.find((k) => editDistance(k, key) <= 2);
      throw new TypeError(
        `Unknown option ${JSON.stringify(key)} for ${what}${
          near === undefined ? "" : ` (did you mean ${JSON.stringify(near)}?)`
        }: the accepted options are ${accepted.length === 0 ? "none" : accepted.join(", ")}`,
      );
    }
  }
}

/** Levenshtein distance of two short strings. */
function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length];
}
