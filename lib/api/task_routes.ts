/**
 * What the task-of-a-kind routes share: find the task or answer 404, and the stop endpoint
 * (`POST /process/train/stop/{id}`, `POST /simulation/stop/{id}`).
 *
 * ```ts
 * const rec = await requireTask(services.tasks, id, TRAIN_KIND, "training"); // or HttpError 404
 * return await stopTaskResponse(services.tasks, id, SIMULATE_KIND, "simulation");
 * ```
 *
 * @module
 */
import { HttpError } from "fresh";
import type { TaskRecord, TaskRunner } from "../tasks/types.ts";

/** The task `id` if it exists and is of `kind`; else 404 `Unknown <noun> task: <id>`. */
export async function requireTask(
  tasks: TaskRunner,
  id: string,
  kind: string,
  noun: string,
): Promise<TaskRecord> {
  const rec = await tasks.get(id);
  if (!rec || rec.kind !== kind) throw new HttpError(404, `Unknown ${noun} task: ${id}`);
  return rec;
}

/**
 * Ask task `id` of `kind` to stop: 200 `{"task_id", "message"}`, also when it already ended
 * (stopping is idempotent); 404 for unknown ids.
 */
export async function stopTaskResponse(
  tasks: TaskRunner,
  id: string,
  kind: string,
  noun: string,
): Promise<Response> {
  await requireTask(tasks, id, kind, noun);
  await tasks.stop(id);
  return Response.json({ task_id: id, message: `Stop signal sent to ${noun} task.` });
}
