/**
 * Read views of a simulation task: the contract's status body (`GET /simulation/status/{id}`)
 * and the running summary (`GET /simulation/{id}/summary`).
 *
 * @example
 * ```ts
 * const status = await getSimulationStatus(services, id); // null: no such simulation
 * ```
 *
 * @module
 */
import type { Services } from "../../services.ts";
import { FINAL_STATES, type TaskRecord } from "../../tasks/types.ts";
import { type ContractStatus, contractStatus } from "../../tasks/task_view.ts";
import { getModel } from "../train/models.ts";
import { getSplit } from "../split/split.ts";
import { readSummary, type SimSummary } from "./packets.ts";
import { confusionOf, emptyStats } from "./stats.ts";
import { SIMULATE_KIND, type SimulateParams } from "./simulate.ts";

/** The contract's status body (CONTRACT.md §4). */
export type SimulationStatus = ContractStatus;

/**
 * The simulation task `id` as the contract's status body, or null when there is no such
 * simulation (unknown id, expired, or a task of another kind). A FAILURE carries
 * `progress: {"status": <reason>}` (CONTRACT.md §3's rule, applied here too).
 */
export async function getSimulationStatus(
  services: Services,
  id: string,
): Promise<SimulationStatus | null> {
  const rec = await services.tasks.get(id);
  if (!rec || rec.kind !== SIMULATE_KIND) return null;
  return toSimulationStatus(rec);
}

/** Shape a task record as the contract's status body (`contractStatus`, nulls never omitted). */
export function toSimulationStatus(rec: TaskRecord): SimulationStatus {
  const s = contractStatus(rec);
  return { ...s, progress: s.progress ?? null, result: s.result ?? null };
}

/**
 * The summary of simulation `id`, or null when there is no such simulation. Before the first
 * packet it is all zeros; when the stored summary is not final but the task is (e.g. a failure
 * before the replay began), the task's state wins.
 */
export async function getSimulationSummary(
  services: Services,
  id: string,
): Promise<SimSummary | null> {
  const rec = await services.tasks.get(id);
  if (!rec || rec.kind !== SIMULATE_KIND) return null;
  const p = rec.params as SimulateParams;
  const stored = await readSummary(services.kv, id);
  const final = isFinalState(rec.state);
  if (stored) {
    return stored.final || !final ? stored : {
      ...stored,
      status: rec.state,
      final: true,
      finished_at: rec.finishedAt ? new Date(rec.finishedAt).toISOString() : null,
    };
  }
  const stats = emptyStats();
  return {
    task_id: id,
    model_id: p.model_id,
    split_id: p.split_id,
    dataset_id: p.dataset_id,
    status: rec.state,
    final,
    total_rows: (await getSplit(services.kv, p.split_id))?.rows.simulation ?? 0,
    processed: 0,
    pass_count: 0,
    fail_count: 0,
    pass_rate: 0,
    average_confidence: 0,
    threshold: (await getModel(services.kv, p.model_id))?.threshold ?? 0.5,
    confusion_matrix: confusionOf(stats),
    accuracy: null,
    rows_per_second: p.rows_per_second,
    started_at: new Date(rec.startedAt ?? rec.createdAt).toISOString(),
    updated_at: new Date(rec.updatedAt).toISOString(),
    finished_at: rec.finishedAt ? new Date(rec.finishedAt).toISOString() : null,
  };
}

function isFinalState(state: string): boolean {
  return (FINAL_STATES as readonly string[]).includes(state);
}
