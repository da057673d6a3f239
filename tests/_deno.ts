/**
 * Helpers for tests that run code in a `deno run` subprocess (the examples, the notebook). They
 * need Deno; under Bun and Node such tests are skipped with {@link skipUnlessDeno} as the reason.
 *
 * @module
 */

import { equal } from "node:assert/strict";
import { fileURLToPath } from "node:url";

/** The repository root, as a path ending in `/`. */
export const root: string = fileURLToPath(new URL("../", import.meta.url));

/** `false` under Deno, else the reason to skip a test that runs `deno run`. */
export const skipUnlessDeno: string | false = typeof Deno !== "undefined"
  ? false
  : "needs Deno to run the code in a subprocess (covered by `deno task test`)";

/** Runs `deno run <args>` in the repository root; returns stdout, failing with stderr on error. */
export function runDeno(args: readonly string[]): string {
  const out = new Deno.Command(Deno.execPath(), {
    args: ["run", ...args],
    cwd: root,
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).outputSync();
  const decode = (b: Uint8Array) => new TextDecoder().decode(b);
  equal(out.code, 0, `deno run ${args.join(" ")} failed:\n${decode(out.stderr)}`);
  return decode(out.stdout);
}
