/**
 * Module-worker entry of {@link trainInWorker}: receives a packed dataset, runs `train` and
 * posts every round's metrics, then the result (or the error's name and message).
 *
 * @module
 */

/// <reference lib="deno.worker" />

import { train } from "./booster.ts";
import { type StartMessage, unpackData, type WorkerMessage } from "./worker_protocol.ts";

const post = (m: WorkerMessage, transfer: Transferable[] = []) => self.postMessage(m, transfer);

self.onmessage = async (e: MessageEvent<StartMessage>) => {
  const msg = e.data;
  if (msg?.type !== "start") return;
  try {
    const data = unpackData(msg.data);
    const evalSets = msg.evalSets.map((s) => ({
      name: s.name,
      metrics: s.metrics,
      data: s.data === null ? data : unpackData(s.data),
    }));
    post({ type: "ready" });
    const result = await train(data, msg.params, {
      evalSets,
      evalMetrics: msg.evalMetrics,
      cancelFlag: new Int32Array(msg.cancel),
      onRound: (round, metrics) => post({ type: "round", round, metrics }),
    });
    const transfer: Transferable[] = [];
    for (const t of result.model.trees) {
      for (const a of Object.values(t)) transfer.push((a as ArrayBufferView).buffer as ArrayBuffer);
    }
    post({ type: "done", result }, transfer);
  } catch (err) {
    const e2 = err instanceof Error ? err : new Error(String(err));
    post({ type: "error", name: e2.name, message: e2.message });
  }
};
