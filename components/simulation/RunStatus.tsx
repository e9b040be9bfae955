/**
 * Under the simulation form: the action's error and note, the run's id and how its packets
 * arrive, the warm-up step, and how the run ended.
 *
 * @example
 * ```tsx
 * <RunStatus task={feed.task} latest={feed.latest} transport={feed.transport}
 *   error={feed.error} notice={feed.notice} />
 * ```
 *
 * @module
 */
import { shortId } from "../../lib/ui/format.ts";
import {
  finalMessage,
  type Transport,
  transportText,
  warmupMessage,
} from "../../lib/ui/simulation_view.ts";
import type { SimPacket, TaskStatus } from "../../lib/ui/types.ts";
import { Alert } from "../Notice.tsx";
import { ProgressBar } from "../ProgressBar.tsx";

/** Props of `RunStatus`. */
export interface RunStatusProps {
  task: TaskStatus | null;
  latest: SimPacket | null;
  transport: Transport;
  error: string | null;
  notice: string | null;
}

/** The messages. */
export function RunStatus({ task, latest, transport, error, notice }: RunStatusProps) {
  const warmup = warmupMessage(task, latest);
  const via = transportText(transport);
  const ended = finalMessage(task);
  return (
    <>
      {error && <Alert kind="error" title="Simulation error">{error}</Alert>}
      {notice && <Alert kind="info">{notice}</Alert>}
      {task && (
        <p class="qc-muted qc-small">
          task <code title={task.task_id}>{shortId(task.task_id)}</code>
          {via && ` · ${via}`}
        </p>
      )}
      {warmup && <ProgressBar label={warmup} value={null} />}
      {task?.status === "FAILURE" && (
        <Alert kind="error" title="Simulation failed">
          {task.progress?.status ?? "No reason given."}
        </Alert>
      )}
      {ended && <Alert kind={ended.kind}>{ended.text}</Alert>}
    </>
  );
}

export default RunStatus;
