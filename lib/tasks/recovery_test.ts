import assert from "node:assert/strict";
import { join } from "node:path";
import { openServices } from "../bootstrap.ts";
import { KvStore } from "../kv.ts";
import { testConfig } from "../testing.ts";
import { deadLetterKey, lockKey, TaskStore } from "./records.ts";
import { attemptLimitReason, INTERRUPTED_REASON, UNDELIVERED_REASON } from "./recovery.ts";
import { KvTaskRunner } from "./runner.ts";
import type { JsonObject, TaskContext, TaskKind } from "./types.ts";

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "qc-recovery-" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

/** Write records as a crashed previous process would have left them. */
async function seed(path: string, fn: (store: TaskStore, kv: KvStore) => Promise<void>) {
  const kv = await KvStore.open(path);
  try {
    await fn(new TaskStore(kv, 3_600_000), kv);
  } finally {
    kv.close();
  }
}

async function seedRunning(
  store: TaskStore,
  kind: string,
  lock: string | null,
  heartbeatAt: number,
) {
  const rec = await store.create(kind, {}, lock);
  await store.transition(rec.id, (cur) => ({
    ...cur,
    state: "PROGRESS",
    attempts: 1,
    startedAt: heartbeatAt,
    heartbeatAt,
    progress: { status: "Training XGBoost model..." },
  }));
  return rec.id;
}

const simpleKind = (kind: string, extra: Partial<TaskKind> = {}): TaskKind => ({
  kind,
  run: () => Promise.resolve({ ran: true }),
  lockKey: () => `${kind}:lock`,
  ...extra,
});

Deno.test("recovery: a stale PROGRESS task ends FAILURE 'interrupted by a restart'", () =>
  withDir(async (dir) => {
    const kvPath = join(dir, "kv.sqlite3");
    let id = "";
    await seed(kvPath, async (store) => {
      id = await seedRunning(store, "train", "train:lock", Date.now() - 60_000);
    });
    // Kinds registered after the services open (like main.ts): recovery waits for them.
    const services = await openServices(testConfig({ dataDir: dir, kvPath }));
    try {
      services.tasks.register(simpleKind("train"));
      const rec = await services.tasks.waitFor(id, { timeoutMs: 10_000 });
      assert.equal(rec.state, "FAILURE");
      assert.equal(rec.error, INTERRUPTED_REASON);
      assert.deepEqual(rec.progress, { status: INTERRUPTED_REASON });
      assert.equal(rec.result, null);
      assert.equal(await services.kv.get(lockKey("train:lock")), null, "lock released");
      const next = await services.tasks.submit("train", {});
      assert.equal((await services.tasks.waitFor(next.id, { timeoutMs: 10_000 })).state, "SUCCESS");
    } finally {
      await services.close();
    }
  }));

Deno.test("recovery: kinds registered before start are settled by start()", () =>
  withDir(async (dir) => {
    const kvPath = join(dir, "kv.sqlite3");
    let id = "";
    await seed(kvPath, async (store) => {
      // Fresh heartbeat: a crash a moment ago. One process owns the file, so it is still dead.
      id = await seedRunning(store, "split", null, Date.now());
    });
    const kv = await KvStore.open(kvPath);
    const runner = new KvTaskRunner(kv, { mode: "inprocess", retentionHours: 1 });
    try {
      runner.register(simpleKind("split"));
      await runner.start();
      assert.equal((await runner.get(id))?.state, "FAILURE");
    } finally {
      await runner.close();
      kv.close();
      await runner.done;
    }
  }));

Deno.test("recovery: with recoverAll=false a fresh heartbeat is left to its owner", () =>
  withDir(async (dir) => {
    const kvPath = join(dir, "kv.sqlite3");
    let fresh = "";
    let stale = "";
    await seed(kvPath, async (store) => {
      fresh = await seedRunning(store, "k", null, Date.now());
      stale = await seedRunning(store, "k", null, Date.now() - 60_000);
    });
    const kv = await KvStore.open(kvPath);
    const runner = new KvTaskRunner(kv, {
      mode: "inprocess",
      retentionHours: 1,
      recoverAll: false,
      staleMs: 15_000,
    });
    try {
      runner.register(simpleKind("k", { lockKey: undefined }));
      await runner.start();
      assert.equal((await runner.get(fresh))?.state, "PROGRESS");
      assert.equal((await runner.get(stale))?.state, "FAILURE");
    } finally {
      await runner.close();
      kv.close();
      await runner.done;
    }
  }));

for (const mode of ["inprocess", "queue"] as const) {
  Deno.test(`recovery [${mode}]: a resumable task resumes from its checkpoint`, () =>
    withDir(async (dir) => {
      const kvPath = join(dir, "kv.sqlite3");
      const config = testConfig({ dataDir: dir, kvPath, taskMode: mode });
      const saved = Promise.withResolvers<void>();
      const resumable = (): TaskKind => ({
        kind: "simulate",
        resumable: true,
        async run(ctx: TaskContext<JsonObject>) {
          const cp = await ctx.loadCheckpoint<{ row: number }>();
          if (ctx.attempt === 1) {
            await ctx.saveCheckpoint({ row: 3 });
            await ctx.progress({ status: "row 3" });
            saved.resolve();
            // Hang until the process "crashes" (close aborts after closeTimeoutMs).
            await new Promise((_, reject) =>
              ctx.signal.addEventListener("abort", () => reject(ctx.signal.reason))
            );
          }
          return { resumedFrom: cp?.row ?? null, attempt: ctx.attempt };
        },
      });
      // First life: the task runs, checkpoints, and the process goes away mid-task.
      const first = await openServices(config, { tasks: { closeTimeoutMs: 20 } });
      first.tasks.register(resumable());
      const rec = await first.tasks.submit("simulate", {});
      await saved.promise;
      await first.close();
      // Second life.
      const second = await openServices(config);
      try {
        second.tasks.register(resumable());
        const done = await second.tasks.waitFor(rec.id, { timeoutMs: 10_000 });
        assert.equal(done.state, "SUCCESS", JSON.stringify(done));
        assert.deepEqual(done.result, { resumedFrom: 3, attempt: 2 });
        assert.equal(done.attempts, 2);
      } finally {
        await second.close();
      }
    }));

  Deno.test(`recovery [${mode}]: a PENDING task left by a crash runs after restart`, () =>
    withDir(async (dir) => {
      const kvPath = join(dir, "kv.sqlite3");
      let id = "";
      await seed(kvPath, async (store) => {
        id = (await store.create("ingest", {}, null)).id;
      });
      const services = await openServices(testConfig({ dataDir: dir, kvPath, taskMode: mode }));
      try {
        services.tasks.register(simpleKind("ingest"));
        const done = await services.tasks.waitFor(id, { timeoutMs: 10_000 });
        assert.equal(done.state, "SUCCESS");
        assert.equal(done.attempts, 1);
      } finally {
        await services.close();
      }
    }));
}

Deno.test("recovery: a dead-lettered PENDING task ends FAILURE", () =>
  withDir(async (dir) => {
    const kvPath = join(dir, "kv.sqlite3");
    let id = "";
    await seed(kvPath, async (store, kv) => {
      id = (await store.create("ingest", {}, null)).id;
      await kv.set(deadLetterKey(id), { taskId: id });
    });
    const services = await openServices(testConfig({ dataDir: dir, kvPath }));
    try {
      const rec = await services.tasks.get(id);
      assert.equal(rec?.state, "FAILURE");
      assert.equal(rec?.error, UNDELIVERED_REASON);
      assert.equal(await services.kv.get(deadLetterKey(id)), null);
    } finally {
      await services.close();
    }
  }));

Deno.test("recovery: a resumable task that keeps crashing ends FAILURE at the attempt limit", () =>
  withDir(async (dir) => {
    const kvPath = join(dir, "kv.sqlite3");
    let id = "";
    let runs = 0;
    const crashing: TaskKind = {
      kind: "simulate",
      resumable: true,
      run: () => {
        runs++;
        return Promise.resolve({ ran: true });
      },
    };
    // Three lives already ended mid-task (each claim counted an attempt), as a task that
    // crashes the whole process would leave it.
    await seed(kvPath, async (store) => {
      id = await seedRunning(store, "simulate", null, Date.now());
      await store.transition(id, (cur) => ({ ...cur, attempts: 3 }));
    });
    const limited = await openServices(testConfig({ dataDir: dir, kvPath, taskMaxAttempts: 3 }));
    try {
      limited.tasks.register(crashing);
      const rec = await limited.tasks.waitFor(id, { timeoutMs: 10_000 });
      assert.equal(rec.state, "FAILURE");
      assert.equal(rec.error, attemptLimitReason(3));
      assert.match(rec.error!, /attempt limit 3/);
      assert.equal(runs, 0, "not resumed a fourth time");
    } finally {
      await limited.close();
    }
    // Under the limit it is resumed.
    let resumed = "";
    await seed(kvPath, async (store) => {
      resumed = await seedRunning(store, "simulate", null, Date.now());
    });
    const services = await openServices(testConfig({ dataDir: dir, kvPath, taskMaxAttempts: 3 }));
    try {
      services.tasks.register(crashing);
      const rec = await services.tasks.waitFor(resumed, { timeoutMs: 10_000 });
      assert.equal(rec.state, "SUCCESS");
      assert.equal(rec.attempts, 2);
    } finally {
      await services.close();
    }
  }));
