/**
 * The worker host's own worker (`host.ts`): it starts the workers the main thread asks for, so
 * that the main thread never runs `new Worker` (which blocks its caller while the new isolate is
 * built). It keeps `POOL_SIZE` started workers (`shell_worker.ts`) ready: a request adopts one
 * (the owner talks to it over its own MessagePort from then on) and a new one is started behind
 * it; this worker forwards the adopted worker's uncaught errors and terminates it on request.
 *
 * This module must stay importable from a worker: no KV, no files, no app imports.
 *
 * @module
 */
import type { AdoptRequest, HostReply, HostRequest, ShellReply } from "./host_protocol.ts";

/** Started workers kept ready. Two: the jobs that overlap most are a training and a scorer. */
const POOL_SIZE = 2;

interface HostScope {
  postMessage(message: HostReply): void;
  onmessage: ((e: MessageEvent<HostRequest>) => void) | null;
}

/** A pooled worker; `id` is the owner's once adopted. */
interface Shell {
  worker: Worker;
  control: MessagePort;
  id?: number;
}

const scope = globalThis as unknown as HostScope;
const idle: Shell[] = [];
const adopted = new Map<number, Shell>();

function startShell(): Shell {
  const worker = new Worker(new URL("./shell_worker.ts", import.meta.url), {
    type: "module",
    name: "worker-pool",
  });
  const { port1: control, port2 } = new MessageChannel();
  const shell: Shell = { worker, control };
  worker.onerror = (ev: ErrorEvent) => {
    // Without preventDefault the worker's error would also crash this host.
    ev.preventDefault();
    fail(shell, ev.message || "The worker failed.");
  };
  worker.onmessageerror = () => fail(shell, "Could not read a message from the worker.");
  control.onmessage = (m: MessageEvent<ShellReply>) => fail(shell, m.data.message);
  worker.postMessage({ control: port2 }, [port2]);
  return shell;
}

/** Report a failed worker to its owner (an idle one is just dropped) and stop it. */
function fail(shell: Shell, message: string): void {
  if (shell.id !== undefined) {
    if (!adopted.has(shell.id)) return;
    scope.postMessage({ type: "error", id: shell.id, message });
  }
  stop(shell);
}

function stop(shell: Shell): void {
  if (shell.id !== undefined) adopted.delete(shell.id);
  const i = idle.indexOf(shell);
  if (i >= 0) idle.splice(i, 1);
  shell.control.close();
  shell.worker.terminate();
}

function refill(): void {
  while (idle.length < POOL_SIZE) idle.push(startShell());
}

scope.onmessage = (e) => {
  const msg = e.data;
  switch (msg?.type) {
    case "spawn": {
      // An empty pool (a burst of requests) starts one now: slower, never blocking the owner.
      const shell = idle.shift() ?? startShell();
      shell.id = msg.id;
      adopted.set(msg.id, shell);
      const adopt: AdoptRequest = { module: msg.module, cancel: msg.cancel, port: msg.port };
      shell.control.postMessage(adopt, [msg.port]);
      refill();
      return;
    }
    case "terminate": {
      const shell = adopted.get(msg.id);
      if (shell) stop(shell);
      return;
    }
  }
};

refill();
