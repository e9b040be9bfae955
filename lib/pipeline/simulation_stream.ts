/**
 * Server-Sent Events for a simulation: every stored packet once, in order, then the final status.
 *
 * Wire format (`text/event-stream`):
 * ```
 * id: 0
 * event: packet
 * data: {"current_row_index":0,"total_rows":...}
 *
 * event: status
 * data: {"task_id":"...","status":"SUCCESS","progress":...,"result":{"message":"..."}}
 * ```
 * `id:` is the packet's `current_row_index`, so a reconnecting `EventSource` (which sends
 * `Last-Event-ID`) resumes after the last packet it got; `?after=N` does the same explicitly.
 *
 * Packets are read from KV with a cursor, never from the task's `progress` (which only holds the
 * latest), so a slow consumer loses nothing. New packets are noticed through `tasks.watch` on the
 * task record, which changes with every packet (`ctx.progress`) — no polling interval.
 *
 * @module
 */
import type { Services } from "../services.ts";
import { readPacketRecords } from "./simulation_packets.ts";
import { getSimulationStatus } from "./simulate.ts";

/** A comment line this often keeps proxies from closing an idle stream (warmup is silent). */
export const KEEPALIVE_MS = 15_000;
const PAGE = 500;
const encoder = new TextEncoder();

/** One SSE message. `data` is JSON-encoded (single line). */
export function sseMessage(event: string, data: unknown, id?: number | string): string {
  const head = id !== undefined ? `id: ${id}\n` : "";
  return `${head}event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;
}

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
 * The event stream of simulation `taskId` starting after packet `after`. Ends (closes) after the
 * final `status` event; cancelling the stream (client gone) stops the KV watch.
 */
export function simulationEventStream(
  services: Services,
  taskId: string,
  after: number,
): ReadableStream<Uint8Array> {
  const stop = new AbortController();
  let keepalive: ReturnType<typeof setInterval> | undefined;
  return new ReadableStream<Uint8Array>({
    async start(controller) {
      const send = (text: string) => {
        if (!stop.signal.aborted) controller.enqueue(encoder.encode(text));
      };
      keepalive = setInterval(() => send(": keep-alive\n\n"), KEEPALIVE_MS);
      let cursor = after;
      const drain = async () => {
        while (!stop.signal.aborted) {
          const page = await readPacketRecords(services.kv, taskId, { after: cursor, limit: PAGE });
          for (const r of page.records) send(sseMessage("packet", r.packet, r.seq));
          cursor = page.nextAfter;
          if (page.records.length < PAGE) return;
        }
      };
      try {
        send("retry: 2000\n\n");
        // Each record change (a packet, a state change) wakes the loop; the watch ends once final.
        for await (const _rec of services.tasks.watch(taskId, stop.signal)) await drain();
        if (stop.signal.aborted) return;
        await drain();
        const status = await getSimulationStatus(services, taskId);
        // Final normally; not final only when the watch ended early (e.g. a shutdown).
        if (status) send(sseMessage("status", status));
        controller.close();
      } catch (err) {
        if (!stop.signal.aborted) controller.error(err);
      } finally {
        clearInterval(keepalive);
      }
    },
    cancel() {
      stop.abort();
      clearInterval(keepalive);
    },
  });
}
