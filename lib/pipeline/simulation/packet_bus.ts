/**
 * In-process fast path for simulation packets: the writer announces each packet right after its
 * KV commit, and SSE streams in the same process get it at once, without waiting for the KV watch
 * (whose notification needs extra storage-thread hops that a busy machine delays by tens of ms).
 *
 * This is only a hint: streams still watch KV and read by cursor, so a packet written by another
 * process (queue mode) or never announced still goes out, and duplicates are dropped by `seq`.
 *
 * @example
 * ```ts
 * await writePacket(kv, taskId, record, summary, expireIn);
 * announcePacket(taskId, record);
 * const off = onPacket(taskId, (r) => console.log(r.seq));
 * off();
 * ```
 *
 * @module
 */
import type { SimPacketRecord } from "./packet_types.ts";

const bus = new EventTarget();

/** Tell same-process listeners of `taskId` that `record` is stored (call after the commit). */
export function announcePacket(taskId: string, record: SimPacketRecord): void {
  bus.dispatchEvent(new CustomEvent<SimPacketRecord>(taskId, { detail: record }));
}

/** Call `fn` for each packet announced for `taskId`; returns the unsubscribe function. */
export function onPacket(taskId: string, fn: (record: SimPacketRecord) => void): () => void {
  const listener = (e: Event) => fn((e as CustomEvent<SimPacketRecord>).detail);
  bus.addEventListener(taskId, listener);
  return () => bus.removeEventListener(taskId, listener);
}
