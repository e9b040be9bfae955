/**
 * The pipeline: ingest → split → train → simulation, one folder per capability, each with its
 * own `mod.ts` (task registration and public surface). This module composes them for `main.ts`.
 *
 * @example
 * ```ts
 * registerPipelineTasks(services);
 * await recoverPipeline(services);
 * await services.tasks.submit("train", { ... });
 * ```
 *
 * @module
 */
import type { Services } from "../services.ts";
import { recoverInterruptedUploads, registerIngestTasks } from "./ingest/mod.ts";
import { registerSimulationTasks } from "./simulation/mod.ts";
import { registerTrainTasks } from "./train/mod.ts";

/** Register every pipeline task kind (each capability adds its own line). */
export function registerPipelineTasks(services: Services): void {
  registerIngestTasks(services);
  registerTrainTasks(services);
  registerSimulationTasks(services);
}

/**
 * Settle pipeline state a restart left behind that the task runner cannot see: uploads cut off
 * mid-stream (no task exists yet for them) are marked FAILED and their blobs removed.
 * Call once at start-up, after `registerPipelineTasks`.
 */
export async function recoverPipeline(services: Services): Promise<void> {
  await recoverInterruptedUploads(services.kv, services.storage);
}
