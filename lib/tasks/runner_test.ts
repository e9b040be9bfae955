import assert from "node:assert/strict";
import { KvStore } from "../kv.ts";
import {
  KvTaskRunner,
  type RunnerOptions,
  TaskNotFoundError,
  TaskWaitTimeoutError,
} from "./runner.ts";
import { lockKey, stopKey, taskKey } from "./records.ts";
import { TaskConflictError, type TaskRecord, TaskRevokedError } from "./types.ts";

type Mode = "inprocess" | "queue" | "claim";
const MODES: Mode[] = ["inprocess", "queue", "claim"];

async function withRunner(
  mode: Mode,
  fn: (runner: KvTaskRunner, kv: KvStore) => Promise<void>,
  opts: Partial<RunnerOptions> = {},
): Promise<void> {
  const kv = await KvStore.open(":memory:");
  const runner = new KvTaskRunner(kv, { mode, retentionHours: 1, closeTimeoutMs: 2000, ...opts });
  try {
    await runner.start();
    await fn(runner, kv);
  } finally {
    await runner.close();
    kv.close();
    await runner.done;
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(cond: () => Promise<boolean>, what: string, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

for (const mode of MODES) {
  Deno.test(`runner [${mode}]: PENDING → STARTED → PROGRESS → SUCCESS`, () =>
    withRunner(mode, async (runner) => {
      const gate = Promise.withResolvers<void>();
      const progressed = Promise.withResolvers<void>();
      runner.register<{ n: number }, { doubled: number }>({
        kind: "double",
        async run(ctx) {
          assert.equal(ctx.attempt, 1);
          await ctx.progress({ status: "Working...", pct: 50 });
          progressed.resolve();
          await gate.promise;
          return { doubled: ctx.params.n * 2 };
        },
      });
      const rec = await runner.submit("double", { n: 21 });
      assert.equal(rec.state, "PENDING");
      assert.equal(rec.attempts, 0);
      assert.match(rec.id, /^[0-9a-f-]{36}$/);
      await progressed.promise;
      const mid = await runner.get(rec.id);
      assert.equal(mid?.state, "PROGRESS");
      assert.deepEqual(mid?.progress, { status: "Working...", pct: 50 });
      assert.ok(mid?.startedAt && mid.heartbeatAt);
      gate.resolve();
      const done = await runner.waitFor(rec.id, { timeoutMs: 10_000 });
      assert.equal(done.state, "SUCCESS");
      assert.deepEqual(done.result, { doubled: 42 });
      assert.equal(done.error, null);
      assert.equal(done.attempts, 1);
      assert.ok(done.finishedAt! >= done.startedAt!);
      const listed = await runner.list({ kind: "double" });
      assert.deepEqual(listed.map((r) => r.id), [rec.id]);
      assert.equal((await runner.list()).length, 1);
      assert.equal((await runner.list({ kind: "other" })).length, 0);
    }));

  Deno.test(`runner [${mode}]: a throwing handler ends FAILURE with the reason`, () =>
    withRunner(mode, async (runner) => {
      runner.register({
        kind: "boom",
        async run(ctx) {
          await ctx.progress({ status: "Loading and preparing data..." });
          throw new Error("The dataset has no rows in the training range.");
        },
      });
      const rec = await runner.submit("boom", {});
      const done = await runner.waitFor(rec.id, { timeoutMs: 10_000 });
      assert.equal(done.state, "FAILURE");
      assert.equal(done.error, "The dataset has no rows in the training range.");
      assert.deepEqual(done.progress, { status: "The dataset has no rows in the training range." });
      assert.equal(done.result, null);
    }));

  Deno.test(`runner [${mode}]: duplicate deliveries run the work once`, () =>
    withRunner(mode, async (runner, kv) => {
      let runs = 0;
      const gate = Promise.withResolvers<void>();
      runner.register({
        kind: "once",
        async run() {
          runs++;
          await gate.promise;
          return {};
        },
      });
      const rec = await runner.submit("once", {});
      // Redeliver concurrently, through the runner and (queue mode) through the KV queue.
      await Promise.all([runner.deliver(rec.id), runner.deliver(rec.id), runner.deliver(rec.id)]);
      if (mode === "queue") {
        await kv.raw.enqueue({ taskId: rec.id });
        await kv.raw.enqueue({ taskId: rec.id });
      }
      await until(async () => (await runner.get(rec.id))?.state === "STARTED", "start");
      await sleep(50);
      gate.resolve();
      const done = await runner.waitFor(rec.id, { timeoutMs: 10_000 });
      assert.equal(done.state, "SUCCESS");
      // Deliveries after the end are ignored too.
      await runner.deliver(rec.id);
      if (mode === "queue") await kv.raw.enqueue({ taskId: rec.id });
      await sleep(50);
      assert.equal(runs, 1);
      assert.equal((await runner.get(rec.id))?.attempts, 1);
    }));

  Deno.test(`runner [${mode}]: stop while running → REVOKED with the kind's result`, () =>
    withRunner(mode, async (runner) => {
      const started = Promise.withResolvers<void>();
      let sawStopRequested = false;
      runner.register({
        kind: "sim",
        async run(ctx) {
          started.resolve();
          await new Promise((_, reject) => {
            ctx.signal.addEventListener("abort", () => reject(ctx.signal.reason), { once: true });
          });
          return {};
        },
        async revokedResult(ctx) {
          sawStopRequested = await ctx.stopRequested();
          return { message: "Simulation was stopped by the user." };
        },
      });
      const rec = await runner.submit("sim", {});
      await started.promise;
      assert.equal(await runner.stop(rec.id), true);
      const done = await runner.waitFor(rec.id, { timeoutMs: 10_000 });
      assert.equal(done.state, "REVOKED");
      assert.deepEqual(done.result, { message: "Simulation was stopped by the user." });
      assert.equal(sawStopRequested, true);
      assert.equal(await runner.stop(rec.id), false, "already final");
      assert.equal(await runner.stop(crypto.randomUUID()), false, "unknown");
    }));

  Deno.test(`runner [${mode}]: a handler that polls stopRequested and throws TaskRevokedError`, () =>
    withRunner(mode, async (runner) => {
      runner.register({
        kind: "poll",
        async run(ctx) {
          for (let i = 0; i < 1000; i++) {
            if (await ctx.stopRequested()) throw new TaskRevokedError();
            await ctx.progress({ status: `row ${i}` });
            await sleep(5);
          }
          return { finished: true };
        },
      });
      const rec = await runner.submit("poll", {});
      await until(async () => (await runner.get(rec.id))?.state === "PROGRESS", "progress");
      await runner.stop(rec.id);
      const done = await runner.waitFor(rec.id, { timeoutMs: 10_000 });
      assert.equal(done.state, "REVOKED");
      assert.equal(done.result, null);
    }));

  Deno.test(`runner [${mode}]: stop while PENDING → REVOKED without running`, () =>
    withRunner(mode, async (runner) => {
      let runs = 0;
      runner.register({
        kind: "never",
        run() {
          runs++;
          return Promise.resolve({});
        },
        revokedResult: () => ({ message: "stopped early" }),
      });
      // The record is created without dispatching it, so the stop surely finds it PENDING (after
      // `submit`, a fast queue delivery could claim it first); the delivery comes late.
      const rec = await runner.store.create("never", {}, null);
      assert.equal(await runner.stop(rec.id), true);
      const done = await runner.waitFor(rec.id, { timeoutMs: 10_000 });
      assert.equal(done.state, "REVOKED");
      assert.deepEqual(done.result, { message: "stopped early" });
      await runner.deliver(rec.id); // the late delivery is ignored
      assert.equal(runs, 0);
    }));

  Deno.test(`runner [${mode}]: lock conflict, then the lock is free after the end`, () =>
    withRunner(mode, async (runner, kv) => {
      const gate = Promise.withResolvers<void>();
      runner.register<{ ds: string }, Record<string, never>>({
        kind: "train",
        lockKey: (p) => `train:${p.ds}`,
        async run() {
          await gate.promise;
          return {};
        },
      });
      const first = await runner.submit("train", { ds: "a" });
      await assert.rejects(() => runner.submit("train", { ds: "a" }), (err) => {
        assert.ok(err instanceof TaskConflictError);
        assert.equal(err.runningTaskId, first.id);
        assert.equal(err.lock, "train:a");
        return true;
      });
      const other = await runner.submit("train", { ds: "b" }); // another key: no conflict
      gate.resolve();
      await runner.waitFor(first.id, { timeoutMs: 10_000 });
      await runner.waitFor(other.id, { timeoutMs: 10_000 });
      assert.equal(await kv.get(lockKey("train:a")), null, "released at the end");
      const again = await runner.submit("train", { ds: "a" });
      await runner.waitFor(again.id, { timeoutMs: 10_000 });
      // A lock left pointing at a final/missing task is stale and taken over.
      await kv.set(lockKey("train:a"), { taskId: first.id });
      const third = await runner.submit("train", { ds: "a" });
      await runner.waitFor(third.id, { timeoutMs: 10_000 });
      await kv.set(lockKey("train:a"), { taskId: crypto.randomUUID() });
      const fourth = await runner.submit("train", { ds: "a" });
      assert.equal((await runner.waitFor(fourth.id, { timeoutMs: 10_000 })).state, "SUCCESS");
    }));

  Deno.test(`runner [${mode}]: watch emits each change until final`, () =>
    withRunner(mode, async (runner) => {
      const go = Promise.withResolvers<void>();
      runner.register({
        kind: "steps",
        async run(ctx) {
          await go.promise;
          for (const s of ["Loading...", "Training...", "Saving..."]) {
            await ctx.progress({ status: s });
            await sleep(40);
          }
          return { ok: true };
        },
      });
      const rec = await runner.submit("steps", {});
      const seen: TaskRecord[] = [];
      const watching = (async () => {
        for await (const r of runner.watch(rec.id)) seen.push(r);
      })();
      await sleep(20);
      go.resolve();
      await watching;
      const statuses = seen.map((r) => r.progress?.status ?? r.state);
      assert.equal(seen.at(-1)?.state, "SUCCESS");
      const progress = seen.filter((r) => r.state === "PROGRESS").map((r) => r.progress?.status);
      assert.deepEqual(progress, ["Loading...", "Training...", "Saving..."], statuses.join(","));
      // Watching a final task yields it once and ends; an unknown id ends at once.
      assert.equal((await Array.fromAsync(runner.watch(rec.id))).length, 1);
      assert.equal((await Array.fromAsync(runner.watch(crypto.randomUUID()))).length, 0);
    }));
}

Deno.test("runner: watch ends when its signal aborts (no leaked watch stream)", () =>
  withRunner("inprocess", async (runner) => {
    const gate = Promise.withResolvers<void>();
    runner.register({
      kind: "slow",
      async run() {
        await gate.promise;
        return {};
      },
    });
    const rec = await runner.submit("slow", {});
    const ctl = new AbortController();
    const seen: string[] = [];
    const watching = (async () => {
      for await (const r of runner.watch(rec.id, ctl.signal)) seen.push(r.state);
    })();
    await sleep(30);
    ctl.abort();
    await watching;
    assert.ok(seen.length >= 1);
    gate.resolve();
    await runner.waitFor(rec.id, { timeoutMs: 10_000 });
  }));

Deno.test("runner: waitFor timeout and unknown ids", () =>
  withRunner("inprocess", async (runner) => {
    const gate = Promise.withResolvers<void>();
    runner.register({
      kind: "slow",
      async run() {
        await gate.promise;
        return {};
      },
    });
    const rec = await runner.submit("slow", {});
    await assert.rejects(() => runner.waitFor(rec.id, { timeoutMs: 50 }), TaskWaitTimeoutError);
    await assert.rejects(() => runner.waitFor(crypto.randomUUID()), TaskNotFoundError);
    assert.equal(await runner.get(crypto.randomUUID()), null);
    gate.resolve();
    await runner.waitFor(rec.id, { timeoutMs: 10_000 });
  }));

Deno.test("runner: bad submissions and oversized results fail clearly", () =>
  withRunner("inprocess", async (runner) => {
    runner.register({ kind: "huge", run: () => Promise.resolve({ blob: "x".repeat(100_000) }) });
    runner.register({
      kind: "hugeprogress",
      async run(ctx) {
        await ctx.progress({ status: "y".repeat(100_000) });
        return {};
      },
    });
    await assert.rejects(() => runner.submit("nope", {}), /Unknown task kind: nope/);
    assert.throws(
      () => runner.register({ kind: "huge", run: () => Promise.resolve({}) }),
      /already registered/,
    );
    const a = await runner.submit("huge", {});
    const da = await runner.waitFor(a.id, { timeoutMs: 10_000 });
    assert.equal(da.state, "FAILURE");
    assert.match(da.error!, /Could not save the task result/);
    assert.equal(da.progress?.status, da.error);
    const b = await runner.submit("hugeprogress", {});
    const db = await runner.waitFor(b.id, { timeoutMs: 10_000 });
    assert.equal(db.state, "FAILURE");
    assert.match(db.error!, /Task progress is too large/);
  }));

Deno.test("runner: heartbeats refresh while running; close aborts stuck handlers", async () => {
  const kv = await KvStore.open(":memory:");
  const runner = new KvTaskRunner(kv, {
    mode: "inprocess",
    retentionHours: 1,
    heartbeatMs: 20,
    closeTimeoutMs: 50,
  });
  try {
    await runner.start();
    let aborted = false;
    runner.register({
      kind: "stuck",
      run: (ctx) =>
        new Promise((_, reject) => {
          ctx.signal.addEventListener("abort", () => {
            aborted = true;
            reject(ctx.signal.reason);
          });
        }),
    });
    const rec = await runner.submit("stuck", {});
    await until(async () => (await runner.get(rec.id))?.state === "STARTED", "start");
    const hb1 = (await runner.get(rec.id))!.heartbeatAt!;
    await until(async () => (await runner.get(rec.id))!.heartbeatAt! > hb1, "heartbeat");
    await runner.close();
    assert.equal(aborted, true);
    // Left for crash recovery, not marked as a failure or a stop.
    assert.equal((await kv.get<TaskRecord>(taskKey(rec.id)))?.state, "STARTED");
    await assert.rejects(() => runner.submit("stuck", {}), /closed/);
  } finally {
    await runner.close();
    kv.close();
    await runner.done;
  }
});

Deno.test("runner: a stop flag written by another process aborts the run (KV watch)", () =>
  withRunner("queue", async (runner, kv) => {
    const started = Promise.withResolvers<void>();
    runner.register({
      kind: "remote",
      async run(ctx) {
        started.resolve();
        await new Promise((_, reject) =>
          ctx.signal.addEventListener("abort", () => reject(ctx.signal.reason), { once: true })
        );
        return {};
      },
    });
    const rec = await runner.submit("remote", {});
    await started.promise;
    await kv.set(stopKey(rec.id), true); // not through runner.stop: no local abort
    const done = await runner.waitFor(rec.id, { timeoutMs: 10_000 });
    assert.equal(done.state, "REVOKED");
    assert.equal(await kv.get(stopKey(rec.id)), null, "flag cleared at the end");
  }));
