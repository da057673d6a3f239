/**
 * Leaves of a tree with their paths (`"w1"`, `"layers[0].b"`), in `tree.flatten` order.
 *
 * @module
 */

function isPlainObject(x: unknown): x is Record<string, unknown> {
  if (typeof x !== "object" || x === null) return false;
  const proto = Object.getPrototypeOf(x);
  return proto === Object.prototype || proto === null;
}

/** `[path, leaf]` pairs of `t` in flatten order (object keys sorted, `null`/`undefined` empty). */
export function leavesWithPath(t: unknown): Array<[string, unknown]> {
  const out: Array<[string, unknown]> = [];
  const walk = (x: unknown, path: string): void => {
    if (x === null || x === undefined) return;
    if (Array.isArray(x)) x.forEach((c, i) => walk(c, `${path}[${i}]`));
    else if (isPlainObject(x)) {
      for (const k of Object.keys(x).sort()) walk(x[k], path === "" ? k : `${path}.${k}`);
    } else out.push([path, x]);
  };
  walk(t, "");
  return out;
}
