/**
 * Shared plumbing of the ingest benchmarks: command-line flags, peak RSS, and running one
 * measured phase in a fresh subprocess (so its peak RSS belongs to that phase alone).
 *
 * @module
 */

/** Figures a phase reports (numbers are printed as is; `peakRssMb` is added by the phase). */
export type Figures = Record<string, number | string>;

/** Value of `--name value` on the command line, if given. */
export function arg(name: string): string | undefined {
  const i = Deno.args.indexOf(`--${name}`);
  return i >= 0 ? Deno.args[i + 1] : undefined;
}

/** Peak resident set of this process so far, MB (Linux `VmHWM`). */
export function peakRssMb(): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(Deno.readTextFileSync("/proc/self/status"));
    if (m) return Number(m[1]) / 1024;
  } catch { /* not Linux */ }
  return Deno.memoryUsage().rss / 2 ** 20;
}

/**
 * Run `module --phase name --file path` in a subprocess; resolves with the JSON figures it
 * prints (the last `{...}` on its stdout).
 */
export async function runPhase(module: string | URL, name: string, path: string): Promise<Figures> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", new URL(module).pathname, "--phase", name, "--file", path],
    stdout: "piped",
    stderr: "inherit",
  }).output();
  const text = new TextDecoder().decode(out.stdout);
  if (!out.success) throw new Error(`phase ${name} failed: ${text}`);
  return JSON.parse(text.slice(text.indexOf("{")));
}

/**
 * The split as the .NET backend sends it for a 7-day fixture starting 2025-01-01: 4 days train,
 * 1 day test, 2 days simulation (.NET's 7 fraction digits).
 */
export const DOTNET_SPLIT_BODY = JSON.stringify({
  train_start_date: "2025-01-01T00:00:00Z",
  train_end_date: "2025-01-04T23:59:59.9999999Z",
  test_start_date: "2025-01-05T00:00:00Z",
  test_end_date: "2025-01-05T23:59:59.9999999Z",
  simulation_start_date: "2025-01-06T00:00:00Z",
  simulation_end_date: "2025-01-07T23:59:59.9999999Z",
});
