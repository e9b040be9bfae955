/**
 * Server-Sent Events for a simulation: every stored packet once, in order, then the final status
 * (served with `sseResponse` from `lib/tasks/sse.ts`).
 *
 * Wire format (`text/event-stream`):
 * ```
 * id: 0
 * event: packet
 * data: {"current_row_index":0,"total_rows":...}
 *
 * id: 29
 * event: status
 * data: {"task_id":"...","status":"SUCCESS","progress":null,"result":{"message":"..."}}
 * ```
 * A packet's `id:` is its `current_row_index`, so a reconnecting `EventSource` (which sends
 * `Last-Event-ID`) resumes after the last packet it got; `?after=N` does the same explicitly. The
 * status event carries the last row index as its id, so a reconnect after it repeats nothing.
 *
 * Packets are read from KV with a cursor, never from the task's `progress` (which only holds the
 * latest), so a slow consumer loses nothing. New packets are noticed through `tasks.watch` on the
 * task record, which changes with every packet (`ctx.progress`) — no polling interval.
 *
 * @module
 */
import type { Services } from "../services.ts";
import { sseResponse } from "../tasks/sse.ts";
import { readPacketRecords, type SimPacket } from "./simulation_packets.ts";
import { getSimulationStatus, type SimulationStatus } from "./simulate.ts";

const PAGE = 500;

/** One event of the stream. */
export type SimulationEvent =
  | { event: "packet"; id: number; data: SimPacket }
  | { event: "status"; id: number; data: SimulationStatus };

/**
 * The cursor from `?after=` or `Last-Event-ID` (the larger wins; -1 = from the start).
 * Returns null when a given value is not an integer ≥ -1.
 */
export function parseCursor(after: string | null, lastEventId: string | null): number | null {
  let cursor = -1;
  for (const raw of [after, lastEventId]) {
    if (raw === null || raw.trim() === "") continue;
    const n = Number(raw.trim());
    if (!Number.isInteger(n) || n < -1) return null;
    cursor = Math.max(cursor, n);
  }
  return cursor;
}

/**
 * The events of simulation `taskId` after packet `after`: every stored packet in order, then one
 * `status` event once the task is final (or when the watch ends early, e.g. at shutdown).
 * Aborting `signal` ends it at once.
 */
export async function* simulationEvents(
  services: Services,
  taskId: string,
  after: number,
  signal: AbortSignal,
): AsyncGenerator<SimulationEvent> {
  let cursor = after;
  async function* drain(): AsyncGenerator<SimulationEvent> {
    while (!signal.aborted) {
      const page = await readPacketRecords(services.kv, taskId, { after: cursor, limit: PAGE });
      for (const r of page.records) yield { event: "packet", id: r.seq, data: r.packet };
      cursor = page.nextAfter;
      if (page.records.length < PAGE) return;
    }
  }
  // Each record change (a packet, a state change) wakes the loop; the watch ends once final.
  for await (const _rec of services.tasks.watch(taskId, signal)) yield* drain();
  if (signal.aborted) return;
  yield* drain();
  const status = await getSimulationStatus(services, taskId);
  if (status) yield { event: "status", id: cursor, data: status };
}

/** The `text/event-stream` response for simulation `taskId` after packet `after`. */
export function simulationEventResponse(
  services: Services,
  taskId: string,
  after: number,
  signal?: AbortSignal,
): Response {
  return sseResponse((s) => simulationEvents(services, taskId, after, s), {
    event: (e) => e.event,
    id: (e) => e.id,
    map: (e) => e.data,
    retryMs: 2000,
    signal,
  });
}
