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
 * Packets come from their own KV keys (`["sim_packets", taskId, seq]`), never from the task's
 * `progress` (which only holds the latest), so a slow consumer loses nothing. Live packets are
 * pushed with one `kv.watch` on the task record plus the next `WINDOW` packet keys and emitted
 * straight from the watch result: no wait for the task's progress write and no extra KV read per
 * packet (that detour cost up to hundreds of ms per packet under load). A cursor read (`list`)
 * is only used for the history at (re)connect, when the window is used up, and when a gap in the
 * window shows a packet is missing (e.g. expired) — so every stored packet still goes out exactly
 * once, in order. Packets announced in this process (`announcePacket`, see `packet_bus.ts`) go
 * out as soon as they are committed, without waiting for the watch notification.
 *
 * @module
 */
import type { Services } from "../services.ts";
import { isFinal, taskKey } from "../tasks/records.ts";
import { sseResponse } from "./sse.ts";
import type { TaskRecord } from "../tasks/types.ts";
import {
  getSimulationStatus,
  packetKey,
  readPacketRecords,
  type SimPacket,
  type SimPacketRecord,
  type SimulationStatus,
} from "../pipeline/simulation/mod.ts";
import { onPacket } from "../pipeline/simulation/packet_bus.ts";

const PAGE = 500;
/** Packet keys per watch: with the task record this is Deno KV's limit of 10 keys per watch. */
const WINDOW = 9;

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
  const raw = services.kv.raw;
  let cursor = after;
  async function* drain(): AsyncGenerator<SimulationEvent> {
    while (!signal.aborted) {
      const page = await readPacketRecords(services.kv, taskId, { after: cursor, limit: PAGE });
      for (const r of page.records) yield { event: "packet", id: r.seq, data: r.packet };
      cursor = page.nextAfter;
      if (page.records.length < PAGE) return;
    }
  }
  // Packets announced in this process (see packet_bus.ts) arrive here before the watch sees them.
  const announced: SimPacketRecord[] = [];
  let wake: (() => void) | null = null;
  const off = onPacket(taskId, (r) => {
    announced.push(r);
    wake?.();
  });
  try {
    let ended = false; // the task is final or gone, or the watch stream ended (KV closing)
    while (!ended && !signal.aborted) {
      // Catch up by cursor (history on connect; whatever lies beyond a used-up window or a gap).
      yield* drain();
      if (signal.aborted) return;
      const base = cursor;
      const keys = [taskKey(taskId)];
      for (let i = 1; i <= WINDOW; i++) keys.push(packetKey(taskId, base + i));
      // The first read returns the current values, so nothing written since the drain is missed.
      const reader = raw.watch(keys).getReader();
      const onAbort = () => {
        void reader.cancel().catch(() => {});
        wake?.();
      };
      signal.addEventListener("abort", onAbort, { once: true });
      try {
        let read = reader.read();
        while (!signal.aborted) {
          let gap = false;
          for (const r of announced.splice(0)) {
            if (r.seq === cursor + 1) {
              yield { event: "packet", id: r.seq, data: r.packet };
              cursor = r.seq;
            } else if (r.seq > cursor + 1) gap = true; // the ones before are stored: drain
          }
          if (gap || cursor >= base + WINDOW) break;
          const woken = new Promise<null>((resolve) => wake = () => resolve(null));
          const next = await Promise.race([read, woken]);
          wake = null;
          if (next === null) continue; // an announcement (or an abort)
          read = reader.read();
          if (next.done) {
            ended = true;
            break;
          }
          const value = next.value;
          const packets = value.slice(1).map((e) => e.value as SimPacketRecord | null);
          let i = cursor - base; // window slot of packet cursor + 1
          for (; i < WINDOW; i++) {
            const r = packets[i];
            if (!r) break;
            yield { event: "packet", id: r.seq, data: r.packet };
            cursor = r.seq;
          }
          const rec = value[0].value as TaskRecord | null;
          if (!rec || isFinal(rec.state)) {
            ended = true;
            break;
          }
          // Window used up, or a later packet is there while the next is not (a gap): re-read
          // by cursor and watch the following window.
          if (i === WINDOW || packets.slice(i + 1).some((r) => r !== null)) break;
        }
      } finally {
        signal.removeEventListener("abort", onAbort);
        await reader.cancel().catch(() => {});
      }
    }
  } finally {
    off();
  }
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
