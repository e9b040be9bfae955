/**
 * Simulation: a trained model replays the simulation set in real time, one packet per row,
 * stored in KV and announced to same-process streams. The capability's task registration and
 * public surface; its HTTP streaming is `lib/api/simulation_stream.ts`.
 *
 * @example
 * ```ts
 * registerSimulationTasks(services);
 * const { task_id } = await startSimulation(services, { rows_per_second: 5 });
 * const { packets, nextAfter } = await readPackets(services.kv, task_id, { after: -1 });
 * ```
 *
 * @module
 */
import type { Services } from "../../services.ts";
import { simulateTask } from "./simulate.ts";

export {
  MAX_ROWS_PER_SECOND,
  MAX_WARMUP_SECONDS,
  SIMULATE_KIND,
  simulateTask,
  SimulationStartError,
  startSimulation,
} from "./simulate.ts";
export {
  getSimulationStatus,
  getSimulationSummary,
  type SimulationStatus,
  toSimulationStatus,
} from "./status.ts";
export {
  MAX_PAGE,
  packetKey,
  readPacketRecords,
  readPackets,
  readSummary,
  type SimPacket,
  type SimPacketRecord,
  type SimSummary,
} from "./packets.ts";
export { announcePacket, onPacket } from "./packet_bus.ts";
export {
  FAILURE_CSV_COLUMNS,
  type FailureRecord,
  failuresCsvStream,
  MAX_FAILURE_PAGE,
  readFailures,
} from "./failures.ts";
export { EXPLANATION_TOP, type PacketExplanation } from "./explanation.ts";

/** Register the simulation task kind (`simulate`). */
export function registerSimulationTasks(services: Services): void {
  services.tasks.register(simulateTask(services));
}
