import assert from "node:assert/strict";
import {
  checkInputs,
  defaultWindows,
  emptyWindows,
  isoToInputValue,
  parseInputValue,
  toIsoInstant,
  windowOfDay,
  windowsOfDay,
  windowsToMs,
} from "./split_windows.ts";

Deno.test("defaultWindows: 10 days → 6 / 2 / 2 whole UTC days", () => {
  const w = defaultWindows("2025-01-01T08:00:00Z", "2025-01-10T17:30:00Z")!;
  assert.deepEqual(w, {
    train: { start: "2025-01-01T00:00:00", end: "2025-01-06T23:59:59" },
    test: { start: "2025-01-07T00:00:00", end: "2025-01-08T23:59:59" },
    simulation: { start: "2025-01-09T00:00:00", end: "2025-01-10T23:59:59" },
  });
  assert.deepEqual(checkInputs(w), {});
});

Deno.test("defaultWindows: 3 days → one day each", () => {
  const w = defaultWindows("2025-03-01T00:00:00Z", "2025-03-03T12:00:00Z")!;
  assert.equal(w.train.end, "2025-03-01T23:59:59");
  assert.equal(w.test.start, "2025-03-02T00:00:00");
  assert.equal(w.simulation.start, "2025-03-03T00:00:00");
});

Deno.test("defaultWindows: under 3 days cuts the time span 60/20/20", () => {
  const w = defaultWindows("2025-01-01T00:00:00Z", "2025-01-01T10:00:00Z")!;
  assert.deepEqual(w, {
    train: { start: "2025-01-01T00:00:00", end: "2025-01-01T05:59:59" },
    test: { start: "2025-01-01T06:00:00", end: "2025-01-01T07:59:59" },
    simulation: { start: "2025-01-01T08:00:00", end: "2025-01-01T10:00:00" },
  });
  assert.deepEqual(checkInputs(w), {});
});

Deno.test("defaultWindows: missing or reversed range → null", () => {
  assert.equal(defaultWindows(null, "2025-01-01T00:00:00Z"), null);
  assert.equal(defaultWindows("2025-01-02T00:00:00Z", "2025-01-01T00:00:00Z"), null);
  assert.equal(defaultWindows("garbage", "2025-01-01T00:00:00Z"), null);
});

Deno.test("input values ↔ ISO instants (UTC, inclusive end)", () => {
  assert.equal(parseInputValue("2025-01-06T00:02"), Date.UTC(2025, 0, 6, 0, 2));
  assert.equal(parseInputValue("2025-02-30T00:00:00"), null);
  assert.equal(parseInputValue("nope"), null);
  assert.equal(toIsoInstant("2025-01-04T23:59:59", true), "2025-01-04T23:59:59.999Z");
  assert.equal(toIsoInstant("2025-01-05T00:00:00", false), "2025-01-05T00:00:00.000Z");
  assert.equal(toIsoInstant("", false), null);
  assert.equal(isoToInputValue("2025-01-05T12:34:56.789Z"), "2025-01-05T12:34:56");
  assert.equal(isoToInputValue(null), "");
});

Deno.test("checkInputs: empty, reversed and overlapping windows", () => {
  const w = defaultWindows("2025-01-01T00:00:00Z", "2025-01-10T00:00:00Z")!;
  assert.ok(checkInputs({ ...w, test: { start: "", end: w.test.end } }).test_start_date);
  const reversed = checkInputs({ ...w, test: { start: w.test.end, end: w.test.start } });
  assert.match(reversed.test_end_date!, /before the start/);
  // Touching bounds overlap: both ends are inclusive.
  const touching = checkInputs({ ...w, test: { start: w.train.end, end: w.test.end } });
  assert.match(touching.test_start_date!, /Overlaps the train window/);
});

Deno.test("windowOfDay picks the window covering most of the day", () => {
  const ms = windowsToMs(defaultWindows("2025-01-01T00:00:00Z", "2025-01-10T00:00:00Z")!);
  assert.equal(windowOfDay("2025-01-01", ms), "train");
  assert.equal(windowOfDay("2025-01-07", ms), "test");
  assert.equal(windowOfDay("2025-01-10", ms), "simulation");
  assert.equal(windowOfDay("2025-02-01", ms), null);
  assert.equal(windowOfDay("2025-01-01", null), null);
});

Deno.test("windowsOfDay: a shared day lists both windows; emptyWindows: windows without rows", () => {
  const t = (s: string) => Date.parse(s);
  const windows = {
    train: { start_ms: t("2025-01-01T00:00:00Z"), end_ms: t("2025-01-02T11:59:59Z") },
    test: { start_ms: t("2025-01-02T12:00:00Z"), end_ms: t("2025-01-03T23:59:59Z") },
    simulation: { start_ms: t("2025-02-01T00:00:00Z"), end_ms: t("2025-02-02T23:59:59Z") },
  };
  assert.deepEqual(windowsOfDay("2025-01-01", windows), ["train"]);
  assert.deepEqual(windowsOfDay("2025-01-02", windows), ["train", "test"]);
  assert.deepEqual(windowsOfDay("2025-01-20", windows), []);
  const daily = { "2025-01-01": 10, "2025-01-02": 5, "2025-01-03": 0 };
  assert.deepEqual(emptyWindows(daily, windows), ["simulation"]);
  assert.deepEqual(emptyWindows({}, windows), []);
});
