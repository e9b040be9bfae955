/**
 * The pipeline's task kinds, registered on the service's task runner in one place.
 *
 * @example
 * ```ts
 * registerPipelineTasks(services);
 * await services.tasks.submit("train", { ... });
 * ```
 *
 * @module
 */
import type { Services } from "../services.ts";
import { recoverInterruptedUploads } from "./ingest/datasets.ts";
import { registerIngestTasks } from "./ingest/feature_selection.ts";
import { registerSimulationTasks } from "./simulation/simulate.ts";
import { registerTrainTasks } from "./train/train.ts";

/** Register every pipeline task kind (each pipeline step adds its own line). */
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
