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

/**
 * Peak resident set so far of this process (or of process `pid`), MB: Linux `VmHWM`, counted
 * since the start or the last {@link resetPeakRss}. Off Linux: this process's current RSS, or
 * NaN for another process.
 */
export function peakRssMb(pid: number | "self" = "self"): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(Deno.readTextFileSync(`/proc/${pid}/status`));
    if (m) return Number(m[1]) / 1024;
  } catch { /* not Linux */ }
  return pid === "self" ? Deno.memoryUsage().rss / 2 ** 20 : NaN;
}

/**
 * Restart the peak count of this process (or of process `pid`) through Linux `clear_refs` 5, so
 * a phase's peak is its own.
 */
export function resetPeakRss(pid: number | "self" = "self"): void {
  try {
    Deno.writeTextFileSync(`/proc/${pid}/clear_refs`, "5");
  } catch { /* not Linux: the peak includes earlier phases */ }
}

/** The `p` quantile (0–1) of ascending `sorted` values, NaN when empty. */
export function quantile(sorted: number[], p: number): number {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] : NaN;
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

/** Event-loop lag of one stage of a `LagProbe`: how late the probe's timer fired. */
export interface StageLag {
  stage: string;
  samples: number;
  p99Ms: number;
  maxMs: number;
  /** Every stall over the threshold: when (s after the stage began) and how long. */
  stalls: { atS: number; ms: number }[];
}

/**
 * Event-loop lag probe of this thread (issue 16: no stall over 50 ms in any stage): a timer every
 * `intervalMs` (default 5) records how late it fires, under the stage last named by `stage()`.
 * A late tick counts for the stage current when it fires: do a client's own synchronous work
 * (building a request body, `new Worker`) before the probe starts, not right before `stage()`.
 *
 * @example
 * ```ts
 * const probe = new LagProbe();
 * probe.stage("split");
 * await fetch(`${base}/process/split-data`, { method: "POST", body });
 * probe.stage("train");
 * // ...
 * console.log(probe.stop().map(formatStageLag).join("\n"));
 * ```
 */
export class LagProbe {
  readonly #intervalMs: number;
  readonly #stallMs: number;
  readonly #stages: { stage: string; start: number; lags: number[]; at: number[] }[] = [];
  readonly #timer: ReturnType<typeof setInterval>;
  #last = performance.now();

  constructor(opts: { intervalMs?: number; stallMs?: number } = {}) {
    this.#intervalMs = opts.intervalMs ?? 5;
    this.#stallMs = opts.stallMs ?? 50;
    this.stage("start");
    this.#timer = setInterval(() => {
      const now = performance.now();
      const cur = this.#stages.at(-1)!;
      cur.lags.push(Math.max(0, now - this.#last - this.#intervalMs));
      cur.at.push(now);
      this.#last = now;
    }, this.#intervalMs);
  }

  /** Start a new stage (the samples from now on belong to it). */
  stage(name: string): void {
    this.#stages.push({ stage: name, start: performance.now(), lags: [], at: [] });
  }

  /** Stop the timer; the lag of each stage that has samples. */
  stop(): StageLag[] {
    clearInterval(this.#timer);
    return this.#stages.filter((s) => s.lags.length > 0).map((s) => {
      const sorted = [...s.lags].sort((a, b) => a - b);
      const stalls = s.lags.flatMap((ms, i) =>
        ms > this.#stallMs ? [{ atS: (s.at[i] - s.start) / 1000, ms }] : []
      );
      return {
        stage: s.stage,
        samples: sorted.length,
        p99Ms: sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.99))],
        maxMs: sorted.at(-1)!,
        stalls,
      };
    });
  }
}

/** One line per stage: "split: lag p99 3.1 ms, max 12.0 ms, stalls > 50 ms: none". */
export function formatStageLag(s: StageLag, stallMs = 50): string {
  const stalls = s.stalls.map((x) => `${x.atS.toFixed(1)} s: ${x.ms.toFixed(0)} ms`).join(", ");
  return `${s.stage}: event-loop lag p99 ${s.p99Ms.toFixed(1)} ms, max ${s.maxMs.toFixed(1)} ms` +
    ` (${s.samples} samples), stalls > ${stallMs} ms: ${stalls || "none"}`;
}
