/**
 * Clock-scheduled pacing for the simulation replay: row `i` is due at `anchor + i / rate`.
 *
 * Due times are computed from one anchor, never as "sleep one interval after the work", so the
 * time spent scoring and writing a row does not accumulate (no drift): a row that was late by
 * 30 ms makes the next gap 970 ms, not 1000 ms. The wait is a timer to the due time (re-armed if a
 * timer fires early) and is abortable by a signal, so a stop ends the wait at once.
 *
 * When the loop falls far behind (a stall longer than `maxLagMs`, e.g. a blocked event loop or a
 * suspended VM), the pacer re-anchors instead of bursting every missed row at once: a live
 * viewer polling every 500 ms would otherwise skip rows, and the replay is meant to look live.
 *
 * @example
 * ```ts
 * const pacer = new Pacer({ rowsPerSecond: 1 });
 * for (let i = 0; i < 10; i++) {
 *   await pacer.wait(i, signal); // resolves at t0 + i s; rejects when `signal` aborts
 *   emit(i);
 * }
 * ```
 *
 * @module
 */

/** A monotonic clock (ms) with an abortable sleep; injectable for tests. */
export interface Clock {
  /** Monotonic milliseconds. */
  now(): number;
  /** Resolve after `ms`; reject with the signal's reason when it aborts first. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** Sleep that rejects with `signal.reason` as soon as the signal aborts (and clears its timer). */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(signal.reason);
  return new Promise((resolve, reject) => {
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal!.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, Math.max(0, ms));
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** The real clock: `performance.now()` (monotonic, sub-ms) and timers. */
export const realClock: Clock = { now: () => performance.now(), sleep: abortableSleep };

/** Options of `Pacer`. */
export interface PacerOptions {
  /** Rows per second (> 0). */
  rowsPerSecond: number;
  /** Index of the first row to emit; it is due at `firstDueAt` (default: now). */
  startIndex?: number;
  /** Clock time (of `clock`) when row `startIndex` is due; default `clock.now()`. */
  firstDueAt?: number;
  /**
   * When a row is found later than this (ms), the schedule is re-anchored at that row instead of
   * catching up in a burst. Default: max(1000, 2 intervals).
   */
  maxLagMs?: number;
  clock?: Clock;
}

/** What one `wait` observed. */
export interface PaceTick {
  /** Index waited for. */
  index: number;
  /** Scheduled due time (clock ms, after any re-anchoring). */
  dueAt: number;
  /** How late the wait returned, ms (≥ 0). */
  lateMs: number;
  /** True when this row re-anchored the schedule. */
  reanchored: boolean;
}

/** Schedules rows at fixed clock times (see the module doc). */
export class Pacer {
  readonly intervalMs: number;
  readonly maxLagMs: number;
  readonly clock: Clock;
  /** Clock time at which row 0 would be due. */
  #anchor: number;
  /** Number of re-anchorings so far (a health figure). */
  reanchors = 0;

  constructor(opts: PacerOptions) {
    if (!(Number.isFinite(opts.rowsPerSecond) && opts.rowsPerSecond > 0)) {
      throw new RangeError(`rowsPerSecond must be a positive number, got ${opts.rowsPerSecond}`);
    }
    this.clock = opts.clock ?? realClock;
    this.intervalMs = 1000 / opts.rowsPerSecond;
    this.maxLagMs = opts.maxLagMs ?? Math.max(1000, 2 * this.intervalMs);
    const start = opts.startIndex ?? 0;
    const first = opts.firstDueAt ?? this.clock.now();
    this.#anchor = first - start * this.intervalMs;
  }

  /** Clock time when row `index` is due. */
  dueAt(index: number): number {
    return this.#anchor + index * this.intervalMs;
  }

  /**
   * Wait until row `index` is due. Rejects with `signal.reason` when the signal aborts (at once,
   * also mid-wait). Never sleeps when the row is already due.
   */
  async wait(index: number, signal?: AbortSignal): Promise<PaceTick> {
    signal?.throwIfAborted();
    let due = this.dueAt(index);
    let now = this.clock.now();
    let reanchored = false;
    if (now - due > this.maxLagMs) {
      // Far behind: restart the schedule at this row rather than bursting the backlog.
      this.#anchor = now - index * this.intervalMs;
      due = now;
      reanchored = true;
      this.reanchors++;
    }
    // Timers may fire a little early (ms rounding): re-arm until the due time has passed.
    while (now < due) {
      await this.clock.sleep(due - now, signal);
      now = this.clock.now();
    }
    signal?.throwIfAborted();
    return { index, dueAt: due, lateMs: now - due, reanchored };
  }
}
