/**
 * The command line `deno task start` runs, for benchmarks that start the service in a
 * subprocess: the V8 flags in it matter for memory, so the process measured is the one the
 * README starts.
 *
 * @example
 * ```ts
 * new Deno.Command(Deno.execPath(), { args: await startTaskArgs() }).spawn();
 * ```
 *
 * @module
 */

const ROOT = new URL("../", import.meta.url).pathname;

/** `deno task start`'s arguments to `deno`, with `main.ts` as an absolute path. */
export async function startTaskArgs(): Promise<string[]> {
  const config = JSON.parse(await Deno.readTextFile(`${ROOT}deno.json`));
  const words = String(config.tasks.start).split(/\s+/);
  if (words[0] !== "deno") throw new Error(`unexpected start task: ${config.tasks.start}`);
  return words.slice(1).map((w) => w === "main.ts" ? `${ROOT}main.ts` : w);
}
