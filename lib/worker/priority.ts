/**
 * Run a worker thread below the server thread: Linux `nice` 10 for the calling thread only
 * (`setpriority` on its thread id, read from `/proc/thread-self`). The kernel then gives the
 * server thread the CPU first whenever both want it, which is what "the API stays responsive"
 * needs on a machine with as many busy workers as cores (a training with 2 threads on 2 cores).
 * Threads a worker starts inherit its priority. Where this is not possible (not Linux, no
 * `/proc`, no permission, Deno Deploy) the thread keeps its priority: nothing else changes.
 *
 * @example
 * ```ts
 * serveWorker(handler, { priority: "background" }); // calls lowerThreadPriority() first
 * ```
 *
 * @module
 */
import { setPriority } from "node:os";

/** The nice value of background workers (0 = normal, 19 = lowest). */
export const BACKGROUND_NICE = 10;

/** Lower the calling thread's priority; false when it could not be done. */
export function lowerThreadPriority(nice = BACKGROUND_NICE): boolean {
  if (Deno.build.os !== "linux") return false;
  try {
    const tid = Number(Deno.readLinkSync("/proc/thread-self").split("/").pop());
    if (!Number.isInteger(tid) || tid <= 0) return false;
    setPriority(tid, nice);
    return true;
  } catch {
    return false;
  }
}
