/**
 * Following a background task from an island: the task's Server-Sent Events
 * (`GET /tasks/{id}/events`, one `task` event per change, so every progress write — e.g. each
 * training round report — arrives as it happens), falling back to polling its contract status
 * route every second when the stream is unavailable. Stops after the final state.
 *
 * @example
 * ```ts
 * const stop = followTask(taskId, "/process/train/status", (status, params) => setTask(status));
 * // later (unmount): stop();
 * ```
 *
 * @module
 */
import { asset } from "fresh/runtime";
import { apiGet } from "./api_client.ts";
import { isFinalTask } from "./task_start.ts";
import type { TaskStatus } from "./types.ts";

/** The record a `task` event carries (`GET /tasks/{id}`), as far as the UI reads it. */
export interface TaskEventView {
  id: string;
  status: string;
  params?: Record<string, unknown> | null;
  progress: Record<string, unknown> | null;
  result: Record<string, unknown> | null;
  error?: string | null;
}

/** A `task` event's record → the contract status body (FAILURE: `progress.status` = reason). */
export function statusFromEvent(v: TaskEventView): TaskStatus {
  if (v.status === "FAILURE") {
    return {
      task_id: v.id,
      status: v.status,
      progress: { status: v.error ?? "Task failed." },
      result: null,
    };
  }
  return {
    task_id: v.id,
    status: v.status,
    progress: v.progress as TaskStatus["progress"],
    result: v.status === "SUCCESS" ? v.result ?? {} : null,
  };
}

/** Follow `taskId` until it is final; returns the function that stops following. */
export function followTask(
  taskId: string,
  statusPath: string,
  onStatus: (status: TaskStatus, params: Record<string, unknown> | null) => void,
): () => void {
  const id = encodeURIComponent(taskId);
  let closed = false;
  let source: EventSource | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const poll = async () => {
    if (closed) return;
    try {
      const s = await apiGet<TaskStatus>(`${statusPath}/${id}`);
      if (closed) return;
      onStatus(s, null);
      if (isFinalTask(s.status)) return;
    } catch { /* keep trying: the island shows the last state */ }
    timer = setTimeout(poll, 1000);
  };

  if (typeof EventSource === "undefined") {
    poll();
  } else {
    let opened = false;
    source = new EventSource(asset(`/tasks/${id}/events`));
    source.addEventListener("open", () => (opened = true));
    source.addEventListener("task", (e) => {
      try {
        const view = JSON.parse((e as MessageEvent).data) as TaskEventView;
        onStatus(statusFromEvent(view), view.params ?? null);
        if (isFinalTask(view.status)) source?.close();
      } catch { /* a malformed event is skipped */ }
    });
    source.onerror = () => {
      if (closed) return;
      // The stream ends after the final state (the browser would reconnect: stop it), or it is
      // unavailable: poll the status route instead.
      if (!opened || source?.readyState === EventSource.CLOSED || source?.readyState === 0) {
        source?.close();
        source = null;
        poll();
      }
    };
  }
  return () => {
    closed = true;
    source?.close();
    clearTimeout(timer);
  };
}
