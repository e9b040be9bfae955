/**
 * A pooled worker of the worker host (`host_worker.ts`): started in advance, it waits for its
 * control port, then for one adoption: it imports the module it is given (a `serveWorker`
 * module) and hands that module's handler the init message with the owner's cancel flag and
 * port. Pooling hides a worker's start-up, which in a nested worker takes about a second (Deno
 * 2.9: the child's bootstrap and its first message from the parent each wait ~500 ms), while
 * messages over a MessagePort reach a started worker at once.
 *
 * This module must stay importable from a worker: no KV, no files, no app imports.
 *
 * @module
 */
import type { AdoptRequest, ShellReply } from "./host_protocol.ts";

interface ShellScope {
  onmessage: ((e: MessageEvent) => void) | null;
}

const scope = globalThis as unknown as ShellScope;

scope.onmessage = (e: MessageEvent<{ control: MessagePort }>) => {
  const control = e.data.control;
  const reply = (msg: ShellReply) => control.postMessage(msg);
  queueMicrotask(() => reply({ type: "ready" }));
  control.onmessage = async (m: MessageEvent<AdoptRequest>) => {
    control.onmessage = null; // one adoption per worker
    const { module, cancel, port, host } = m.data;
    try {
      scope.onmessage = null;
      await import(module);
      const serve = scope.onmessage as ((e: MessageEvent) => void) | null;
      if (!serve) throw new Error(`The worker module ${module} does not call serveWorker.`);
      serve(new MessageEvent("message", { data: { type: "init", cancel, port, host } }));
    } catch (err) {
      reply({ type: "error", message: err instanceof Error ? err.message : String(err) });
    }
  };
};
