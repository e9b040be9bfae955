import assert from "node:assert/strict";
import { abortableSleep, type Clock, Pacer } from "./pacer.ts";

/** A fake clock: sleeping advances time by the requested amount plus a fixed overshoot. */
function fakeClock(overshootMs = 0): Clock & { t: number; sleeps: number[] } {
  const c = {
    t: 1000,
    sleeps: [] as number[],
    now: () => c.t,
    sleep: (ms: number, signal?: AbortSignal) => {
      signal?.throwIfAborted();
      c.sleeps.push(ms);
      c.t += ms + overshootMs;
      return Promise.resolve();
    },
  };
  return c;
}

Deno.test("pacer: due times come from one anchor, so work time does not drift", async () => {
  const clock = fakeClock(3);
  const pacer = new Pacer({ rowsPerSecond: 1, clock });
  const due: number[] = [];
  for (let i = 0; i < 5; i++) {
    const tick = await pacer.wait(i);
    due.push(tick.dueAt);
    assert.ok(tick.lateMs >= 0 && tick.lateMs <= 3);
    clock.t += 120; // scoring + writing a row
  }
  assert.deepEqual(due, [1000, 2000, 3000, 4000, 5000]);
  // The sleep after a slow row is shortened by the time the row took (no "sleep(1)").
  assert.equal(clock.sleeps[0], 1000 - 120);
});

Deno.test("pacer: an already due row does not sleep; a large lag re-anchors", async () => {
  const clock = fakeClock();
  const pacer = new Pacer({ rowsPerSecond: 10, clock, maxLagMs: 500 });
  clock.t += 250; // rows 0..2 are due
  for (let i = 0; i < 3; i++) assert.equal((await pacer.wait(i)).reanchored, false);
  assert.equal(clock.sleeps.length, 0);
  clock.t += 5000; // a stall
  const tick = await pacer.wait(3);
  assert.equal(tick.reanchored, true);
  assert.equal(tick.lateMs, 0);
  const next = await pacer.wait(4);
  assert.equal(next.dueAt, tick.dueAt + 100);
  assert.equal(pacer.reanchors, 1);
});

Deno.test("pacer: startIndex + firstDueAt resume the schedule", () => {
  const clock = fakeClock();
  const pacer = new Pacer({ rowsPerSecond: 2, clock, startIndex: 10, firstDueAt: 1300 });
  assert.equal(pacer.dueAt(10), 1300);
  assert.equal(pacer.dueAt(11), 1800);
  assert.throws(() => new Pacer({ rowsPerSecond: 0 }), RangeError);
});

Deno.test("pacer: a real wait is abortable at once", async () => {
  const pacer = new Pacer({ rowsPerSecond: 0.1 }); // a row every 10 s
  await pacer.wait(0);
  const ctl = new AbortController();
  const t0 = performance.now();
  setTimeout(() => ctl.abort(new Error("stop")), 20);
  await assert.rejects(pacer.wait(1, ctl.signal), /stop/);
  assert.ok(performance.now() - t0 < 500);
  await assert.rejects(abortableSleep(10, ctl.signal), /stop/);
});

Deno.test("pacer: real clock keeps 100 rows/s on schedule", async () => {
  const pacer = new Pacer({ rowsPerSecond: 100 });
  const t0 = performance.now();
  let maxLate = 0;
  for (let i = 0; i < 30; i++) maxLate = Math.max(maxLate, (await pacer.wait(i)).lateMs);
  const elapsed = performance.now() - t0;
  // 29 intervals of 10 ms: never early; the upper bound is only a sanity check (shared machine;
  // timing figures belong to bench/simulation_pacing.ts).
  assert.ok(elapsed >= 290 - 1, `elapsed ${elapsed}`);
  assert.ok(elapsed < 5000, `elapsed ${elapsed}`);
  assert.ok(maxLate >= 0);
});
