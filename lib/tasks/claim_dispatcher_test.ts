import assert from "node:assert/strict";
import { KvStore } from "../kv.ts";
import { KvTaskRunner } from "./runner.ts";
import { taskKey } from "./records.ts";
import type { TaskRecord } from "./types.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function withRunners(
  fn: (api: KvTaskRunner, workers: KvTaskRunner[], kv: KvStore) => Promise<void>,
): Promise<void> {
  // One KV handle polled like a shared file: claims must not depend on watch notifications.
  const kv = await KvStore.open(":memory:", { watchPollMs: 20 });
  const make = (execute: boolean) =>
    new KvTaskRunner(kv, {
      mode: "claim",
      retentionHours: 1,
      closeTimeoutMs: 2000,
      staleMs: 300,
      heartbeatMs: 50,
      recoverAll: false,
      claim: { pollMs: 50, execute },
    });
  const api = make(false), workers = [make(true), make(true)];
  try {
    for (const r of [api, ...workers]) await r.start();
    await fn(api, workers, kv);
  } finally {
    for (const r of [api, ...workers]) await r.close();
    kv.close();
    for (const r of [api, ...workers]) await r.done;
  }
}

Deno.test("claim: the api runner executes nothing; each task runs exactly once on a worker", () =>
  withRunners(async (api, workers) => {
    const runs = new Map<string, string[]>();
    const kind = (who: string) => ({
      kind: "job",
      async run(ctx: { id: string }) {
        runs.set(ctx.id, [...(runs.get(ctx.id) ?? []), who]);
        await sleep(5);
        return { who };
      },
    });
    api.register(kind("api"));
    workers.forEach((w, i) => w.register(kind(`w${i}`)));
    const ids = [];
    for (let i = 0; i < 30; i++) ids.push((await api.submit("job", {})).id);
    for (const id of ids) {
      const rec = await api.waitFor(id, { timeoutMs: 10_000 });
      assert.equal(rec.state, "SUCCESS");
      assert.equal(rec.attempts, 1);
    }
    for (const id of ids) assert.equal(runs.get(id)?.length, 1, `task ${id} ran once`);
    assert.ok(![...runs.values()].flat().includes("api"), "the api role ran nothing");
  }));

Deno.test("claim: a task whose worker died is recovered by heartbeat age", () =>
  withRunners(async (api, workers, kv) => {
    for (const r of [api, ...workers]) {
      r.register({
        kind: "resumable",
        resumable: true,
        run: (ctx) => Promise.resolve({ a: ctx.attempt }),
      });
      r.register({ kind: "oneshot", run: () => Promise.resolve({}) });
    }
    // Claim them "elsewhere" before a worker can: write STARTED with an old heartbeat directly.
    const fake = async (kind: string) => {
      const id = crypto.randomUUID();
      const now = Date.now();
      const rec: TaskRecord = {
        id,
        kind,
        params: {},
        state: "STARTED",
        progress: null,
        result: null,
        error: null,
        lock: null,
        attempts: 1,
        createdAt: now,
        startedAt: now - 10_000,
        updatedAt: now,
        finishedAt: null,
        heartbeatAt: now - 10_000,
      };
      await kv.raw.atomic().set(taskKey(id), rec).set(["task_active", id], kind).commit();
      return id;
    };
    const resumed = await fake("resumable");
    const failed = await fake("oneshot");
    const r1 = await api.waitFor(resumed, { timeoutMs: 10_000 });
    assert.equal(r1.state, "SUCCESS");
    assert.deepEqual(r1.result, { a: 2 });
    const r2 = await api.waitFor(failed, { timeoutMs: 10_000 });
    assert.equal(r2.state, "FAILURE");
    assert.match(r2.error ?? "", /interrupted/);
  }));
