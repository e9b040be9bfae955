/**
 * The split form's date logic (pure, shared by the training page and the SplitForm island):
 * default train / test / simulation windows from a dataset's time range, conversion between
 * `<input type="datetime-local">` values (read as UTC) and the ISO instants the API takes, and
 * which window a day of the daily distribution belongs to (for colouring the chart).
 *
 * @example
 * ```ts
 * const w = defaultWindows("2025-01-01T00:00:00Z", "2025-01-10T23:59:59Z");
 * // w.train = { start: "2025-01-01T00:00:00", end: "2025-01-06T23:59:59" } (first 60 % of days)
 * toIsoInstant(w.train.end, true); // "2025-01-06T23:59:59.999Z" (inclusive end)
 * ```
 *
 * @module
 */

/** The three windows, in contract order. */
export const WINDOW_NAMES = ["train", "test", "simulation"] as const;
/** One of `train`, `test`, `simulation`. */
export type WindowName = typeof WINDOW_NAMES[number];

/** A window as two datetime-local input values (`YYYY-MM-DDTHH:mm:ss`, UTC). */
export interface WindowInput {
  start: string;
  end: string;
}

/** The form's six values. */
export type WindowInputs = Record<WindowName, WindowInput>;

const DAY = 86_400_000;
const SEC = 1000;

/** ms → `YYYY-MM-DDTHH:mm:ss` (UTC), the value format of a datetime-local input with step 1. */
export function toInputValue(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19);
}

/**
 * A datetime-local value (`YYYY-MM-DDTHH:mm` or `…:ss`, optional fraction) read as UTC, in ms;
 * null when it is not such a value.
 */
export function parseInputValue(value: string): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?$/.exec(
    value.trim(),
  );
  if (!m) return null;
  const [, y, mo, d, h, mi, s, f] = m;
  const ms = Date.UTC(+y, +mo - 1, +d, +h, +mi, s ? +s : 0, f ? +f.padEnd(3, "0") : 0);
  const back = new Date(ms);
  // Reject rolled-over dates such as 2025-02-30.
  if (back.getUTCDate() !== +d || back.getUTCMonth() !== +mo - 1) return null;
  return ms;
}

/**
 * The ISO instant sent to `/process/split-data`. An end bound covers its whole second
 * (`.999`), matching the inclusive end dates the .NET client sends (`23:59:59.9999999Z`).
 */
export function toIsoInstant(value: string, isEnd: boolean): string | null {
  const ms = parseInputValue(value);
  if (ms === null) return null;
  const whole = ms - (ms % SEC);
  return new Date(isEnd && ms % SEC === 0 ? whole + 999 : ms).toISOString();
}

/** An ISO instant or ms → datetime-local value; "" when invalid. */
export function isoToInputValue(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return "";
  const ms = typeof value === "number" ? value : Date.parse(value);
  return Number.isFinite(ms) ? toInputValue(ms) : "";
}

/**
 * Default windows for data from `first` to `last` (ISO instants): with 3 or more calendar days,
 * whole UTC days split 60 / 20 / 20 (each window at least one day, the simulation gets the
 * rest); with fewer days, the time span itself is cut 60 / 20 / 20 at whole seconds. Null when
 * the range is missing or invalid.
 */
export function defaultWindows(
  first: string | null | undefined,
  last: string | null | undefined,
  shares: { train: number; test: number } = { train: 0.6, test: 0.2 },
): WindowInputs | null {
  const a = first ? Date.parse(first) : NaN;
  const b = last ? Date.parse(last) : NaN;
  if (!Number.isFinite(a) || !Number.isFinite(b) || b < a) return null;
  const firstDay = Math.floor(a / DAY);
  const lastDay = Math.floor(b / DAY);
  const days = lastDay - firstDay + 1;
  if (days >= 3) {
    const testDays = Math.max(1, Math.round(days * shares.test));
    let trainDays = Math.max(1, Math.round(days * shares.train));
    if (trainDays + testDays >= days) trainDays = days - testDays - 1;
    const t1 = (firstDay + trainDays) * DAY;
    const t2 = t1 + testDays * DAY;
    return {
      train: { start: toInputValue(firstDay * DAY), end: toInputValue(t1 - SEC) },
      test: { start: toInputValue(t1), end: toInputValue(t2 - SEC) },
      simulation: { start: toInputValue(t2), end: toInputValue((lastDay + 1) * DAY - SEC) },
    };
  }
  const start = a - (a % SEC);
  const end = b % SEC === 0 ? b : b - (b % SEC) + SEC;
  const span = end - start;
  const t1 = start + Math.floor((span * shares.train) / SEC) * SEC;
  const t2 = start + Math.floor((span * (shares.train + shares.test)) / SEC) * SEC;
  return {
    train: { start: toInputValue(start), end: toInputValue(Math.max(start, t1 - SEC)) },
    test: { start: toInputValue(t1), end: toInputValue(Math.max(t1, t2 - SEC)) },
    simulation: { start: toInputValue(t2), end: toInputValue(end) },
  };
}

/** Windows in ms (inclusive), or null when a value does not parse. */
export function windowsToMs(
  inputs: WindowInputs,
): Record<WindowName, { start_ms: number; end_ms: number }> | null {
  const out: Partial<Record<WindowName, { start_ms: number; end_ms: number }>> = {};
  for (const name of WINDOW_NAMES) {
    const s = parseInputValue(inputs[name].start);
    const e = parseInputValue(inputs[name].end);
    if (s === null || e === null) return null;
    out[name] = { start_ms: s, end_ms: e % SEC === 0 ? e + 999 : e };
  }
  return out as Record<WindowName, { start_ms: number; end_ms: number }>;
}

/**
 * Which window a UTC day (`YYYY-MM-DD`) belongs to: the window that overlaps the day the most,
 * or null when none does. Used to colour the daily distribution.
 */
export function windowOfDay(
  day: string,
  windows: Record<WindowName, { start_ms: number; end_ms: number }> | null,
): WindowName | null {
  if (!windows) return null;
  const d0 = Date.parse(`${day}T00:00:00Z`);
  if (!Number.isFinite(d0)) return null;
  const d1 = d0 + DAY - 1;
  let best: WindowName | null = null;
  let bestOverlap = 0;
  for (const name of WINDOW_NAMES) {
    const w = windows[name];
    const overlap = Math.min(d1, w.end_ms) - Math.max(d0, w.start_ms);
    if (overlap >= 0 && (best === null || overlap > bestOverlap)) {
      best = name;
      bestOverlap = overlap;
    }
  }
  return best;
}

/** Client-side checks before posting (the server checks again): returns messages by field. */
export function checkInputs(inputs: WindowInputs): Partial<Record<string, string>> {
  const issues: Partial<Record<string, string>> = {};
  for (const name of WINDOW_NAMES) {
    if (parseInputValue(inputs[name].start) === null) {
      issues[`${name}_start_date`] = "Enter a date and time.";
    }
    if (parseInputValue(inputs[name].end) === null) {
      issues[`${name}_end_date`] = "Enter a date and time.";
    }
  }
  const ms = windowsToMs(inputs);
  if (!ms) return issues;
  for (const name of WINDOW_NAMES) {
    if (ms[name].start_ms > ms[name].end_ms) {
      issues[`${name}_end_date`] = "The end must not be before the start.";
    }
  }
  for (let i = 0; i < WINDOW_NAMES.length; i++) {
    for (let j = i + 1; j < WINDOW_NAMES.length; j++) {
      const a = ms[WINDOW_NAMES[i]], b = ms[WINDOW_NAMES[j]];
      if (a.start_ms <= b.end_ms && b.start_ms <= a.end_ms) {
        issues[`${WINDOW_NAMES[j]}_start_date`] ??= `Overlaps the ${
          WINDOW_NAMES[i]
        } window (bounds are inclusive).`;
      }
    }
  }
  return issues;
}

/**
 * Every window a UTC day (`YYYY-MM-DD`) touches, in window order: two or more when the day is
 * shared (one window ends and the next starts within it), so the chart can draw it as overlap.
 */
export function windowsOfDay(
  day: string,
  windows: Record<WindowName, { start_ms: number; end_ms: number }> | null,
): WindowName[] {
  if (!windows) return [];
  const d0 = Date.parse(`${day}T00:00:00Z`);
  if (!Number.isFinite(d0)) return [];
  const d1 = d0 + DAY - 1;
  return WINDOW_NAMES.filter((name) => {
    const w = windows[name];
    return Math.min(d1, w.end_ms) >= Math.max(d0, w.start_ms);
  });
}

/**
 * The windows that contain no row for certain: no day of the daily distribution with rows
 * touches them. (A window inside a day with rows may still be empty; the server says so.)
 */
export function emptyWindows(
  daily: Record<string, number>,
  windows: Record<WindowName, { start_ms: number; end_ms: number }> | null,
): WindowName[] {
  if (!windows || Object.keys(daily).length === 0) return [];
  const touched = new Set<WindowName>();
  for (const [day, rows] of Object.entries(daily)) {
    if (rows > 0) { for (const name of windowsOfDay(day, windows)) touched.add(name); }
  }
  return WINDOW_NAMES.filter((name) => !touched.has(name));
}
