import assert from "node:assert/strict";
import { pollUntil, withTestServices } from "../testing.ts";
import type { Services } from "../services.ts";
import { taskKey } from "../tasks/records.ts";
import type { TaskRecord, TaskState } from "../tasks/types.ts";
import {
  packetKey,
  type SimPacket,
  type SimPacketRecord,
  SIMULATE_KIND,
} from "../pipeline/simulation/mod.ts";
import { announcePacket } from "../pipeline/simulation/packet_bus.ts";
import { parseCursor, type SimulationEvent, simulationEvents } from "./simulation_stream.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// The stream only reads KV, so these tests write the task record and packets by hand: no
// runner, model or pacing involved, which makes gaps and window boundaries easy to provoke.

function record(id: string, state: TaskState): TaskRecord {
  const now = Date.now();
  return {
    id,
    kind: SIMULATE_KIND,
    params: {},
    state,
    progress: state === "PROGRESS" ? { status: "running" } : null,
    result: state === "SUCCESS" ? { message: "done" } : null,
    error: null,
    lock: null,
    attempts: 1,
    createdAt: now,
    startedAt: now,
    updatedAt: now,
    finishedAt: state === "SUCCESS" ? now : null,
    heartbeatAt: now,
  };
}

async function putPacket(services: Services, id: string, seq: number) {
  const packet = { current_row_index: seq, total_rows: 100 } as unknown as SimPacket;
  const rec: SimPacketRecord = { seq, packet, p_fail: 0, actual: null, emitted_at: Date.now() };
  await services.kv.raw.set(packetKey(id, seq), rec);
}

async function collect(it: AsyncIterable<SimulationEvent>): Promise<SimulationEvent[]> {
  const out: SimulationEvent[] = [];
  for await (const e of it) out.push(e);
  return out;
}

Deno.test("simulation stream: history, live packets past several windows, a gap, then status", () =>
  withTestServices(async (services) => {
    const id = "sim-stream-1";
    await services.kv.raw.set(taskKey(id), record(id, "PROGRESS"));
    for (let seq = 0; seq < 5; seq++) await putPacket(services, id, seq);
    const ctl = new AbortController();
    const events = collect(simulationEvents(services, id, -1, ctl.signal));
    for (let seq = 5; seq < 40; seq++) {
      if (seq === 17) continue; // missing packet (e.g. expired): must not stall the stream
      await putPacket(services, id, seq);
      // Progress writes on the record wake the watch too; they must not duplicate anything.
      if (seq % 3 === 0) await services.kv.raw.set(taskKey(id), record(id, "PROGRESS"));
      if (seq % 4 === 0) await sleep(5); // some one by one, some in bursts
    }
    await services.kv.raw.set(taskKey(id), record(id, "SUCCESS"));
    const got = await events;
    const packets = got.filter((e) => e.event === "packet").map((e) => e.id);
    const want = [...Array(40).keys()].filter((s) => s !== 17);
    assert.deepEqual(packets, want);
    const last = got.at(-1)!;
    assert.equal(last.event, "status");
    assert.equal(last.id, 39);
    assert.equal((last.data as { status: string }).status, "SUCCESS");
  }));

Deno.test("simulation stream: resume after a cursor, and abort ends a waiting stream", () =>
  withTestServices(async (services) => {
    const id = "sim-stream-2";
    await services.kv.raw.set(taskKey(id), record(id, "PROGRESS"));
    for (let seq = 0; seq < 12; seq++) await putPacket(services, id, seq);
    const ctl = new AbortController();
    const got: number[] = [];
    const run = (async () => {
      for await (const e of simulationEvents(services, id, 7, ctl.signal)) got.push(e.id);
    })();
    await pollUntil(() => got.length >= 4, "4 packets", 10_000, 5);
    assert.deepEqual(got, [8, 9, 10, 11]);
    await putPacket(services, id, 12);
    await pollUntil(() => got.length >= 5, "the 5th packet", 10_000, 5);
    ctl.abort();
    await run; // ends at once, the KV watch released (the sanitizers check it)
    assert.deepEqual(got, [8, 9, 10, 11, 12]);
  }));

Deno.test("simulation stream: a final task replays the rest, then status; unknown id ends empty", () =>
  withTestServices(async (services) => {
    const id = "sim-stream-3";
    for (let seq = 0; seq < 3; seq++) await putPacket(services, id, seq);
    await services.kv.raw.set(taskKey(id), record(id, "SUCCESS"));
    const got = await collect(simulationEvents(services, id, 0, new AbortController().signal));
    assert.deepEqual(got.map((e) => `${e.event}:${e.id}`), ["packet:1", "packet:2", "status:2"]);
    const none = await collect(
      simulationEvents(services, "nope", -1, new AbortController().signal),
    );
    assert.deepEqual(none, []);
  }));

Deno.test("simulation stream: cursor parsing", () => {
  assert.equal(parseCursor(null, null), -1);
  assert.equal(parseCursor("3", "7"), 7);
  assert.equal(parseCursor(" 5 ", ""), 5);
  assert.equal(parseCursor("-5", null), null);
  assert.equal(parseCursor("1.5", null), null);
});

Deno.test("simulation stream: announced packets go out once, in order, gaps read from KV", () =>
  withTestServices(async (services) => {
    const id = "sim-stream-4";
    await services.kv.raw.set(taskKey(id), record(id, "PROGRESS"));
    const ctl = new AbortController();
    const events = collect(simulationEvents(services, id, -1, ctl.signal));
    await sleep(20);
    const stored = async (seq: number) => {
      await putPacket(services, id, seq);
      return (await services.kv.raw.get<SimPacketRecord>(packetKey(id, seq))).value!;
    };
    for (let seq = 0; seq < 25; seq++) {
      const r = await stored(seq);
      if (seq === 12) continue; // stored, not announced: the next announcement shows the gap
      announcePacket(id, r);
      if (seq === 5) announcePacket(id, r); // a duplicate announcement is dropped
      if (seq % 6 === 0) await sleep(3);
    }
    await services.kv.raw.set(taskKey(id), record(id, "SUCCESS"));
    const got = await events;
    assert.deepEqual(
      got.map((e) => e.id),
      [...[...Array(25).keys()], 24],
    );
    assert.equal(got.at(-1)!.event, "status");
  }));
