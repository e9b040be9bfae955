/**
 * Module-worker entry of {@link trainInWorker}: receives a packed dataset, runs `train` and
 * reports every round's metrics as progress, then the result (tree arrays moved, not copied).
 * The owner's cancel flag goes to the trainer, which hands it to its histogram helper workers.
 *
 * @module
 */

/// <reference lib="deno.worker" />

import { serveWorker } from "../worker/protocol.ts";
import { train } from "./booster.ts";
import type { TrainResult } from "./model.ts";
import { type RoundProgress, type TrainRequest, unpackData } from "./packed_data.ts";

serveWorker<TrainRequest, TrainResult, RoundProgress>(async (req, io) => {
  const data = unpackData(req.data);
  const evalSets = req.evalSets.map((s) => ({
    name: s.name,
    metrics: s.metrics,
    data: s.data === null ? data : unpackData(s.data),
  }));
  io.heartbeat(); // unpacked: the owner's hang timer now measures binning and rounds
  return await train(data, req.params, {
    evalSets,
    evalMetrics: req.evalMetrics,
    cancelFlag: io.cancelFlag,
    onRound: (round, metrics) => io.progress({ round, metrics }),
  });
}, {
  transfer: (result) =>
    result.model.trees.flatMap((t) =>
      Object.values(t).map((a) => (a as ArrayBufferView).buffer as ArrayBuffer)
    ),
});
