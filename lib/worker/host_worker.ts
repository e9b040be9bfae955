/**
 * The worker host's own worker (`host.ts`): it starts the workers the main thread asks for, so
 * that the main thread never runs `new Worker` (which blocks its caller while the new isolate is
 * built). It keeps `POOL_SIZE` started workers (`shell_worker.ts`) ready: a request adopts one
 * (the owner talks to it over its own MessagePort from then on) and a new one is started behind
 * it; this worker forwards the adopted worker's uncaught errors and terminates it on request.
 * An adopted worker gets a link back to this host, so the workers it starts in turn (a
 * training's histogram helper) come from the pool too (`useRemoteWorkerHost` in `host.ts`).
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

/**
 * Who asks this host for workers: the main thread (over this worker's scope), or a worker this
 * host started (over the link it was given at adoption). Ids are the owner's own.
 */
interface Owner {
  reply(message: HostReply): void;
  readonly children: Map<number, Shell>;
}

/** A pooled worker; `owner` and `id` are set once adopted. */
interface Shell {
  worker: Worker;
  control: MessagePort;
  owner?: Owner;
  id?: number;
  /** The owner end this worker spawns its own workers through (set at adoption). */
  link?: { port: MessagePort; owner: Owner };
  /** It has started (its first message arrived): adopting it takes milliseconds. */
  started?: boolean;
}

const scope = globalThis as unknown as HostScope;
const idle: Shell[] = [];

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
  control.onmessage = (m: MessageEvent<ShellReply>) => {
    if (m.data.type === "ready") {
      shell.started = true;
      reportWarm();
    } else fail(shell, m.data.message);
  };
  worker.postMessage({ control: port2 }, [port2]);
  return shell;
}

/** Report a failed worker to its owner (an idle one is just dropped) and stop it. */
function fail(shell: Shell, message: string): void {
  if (shell.owner && shell.id !== undefined) {
    if (shell.owner.children.get(shell.id) !== shell) return;
    shell.owner.reply({ type: "error", id: shell.id, message });
  }
  stop(shell);
}

/**
 * Stop a worker and every worker it started through its link: a child of a terminated worker
 * has nobody left to talk to (as a directly nested worker dies with its parent).
 */
function stop(shell: Shell): void {
  if (shell.owner && shell.id !== undefined) shell.owner.children.delete(shell.id);
  const i = idle.indexOf(shell);
  if (i >= 0) idle.splice(i, 1);
  shell.control.close();
  shell.worker.terminate();
  if (shell.link) {
    shell.link.port.close();
    for (const child of [...shell.link.owner.children.values()]) stop(child);
  }
}

let warmReported = false;

/** Tell the main thread, once, that the whole pool has started (`WorkerHost.whenWarm`). */
function reportWarm(): void {
  if (warmReported || idle.length < POOL_SIZE || !idle.every((s) => s.started)) return;
  warmReported = true;
  mainOwner.reply({ type: "warm" });
}

function refill(): void {
  while (idle.length < POOL_SIZE) idle.push(startShell());
}

/** Serve one owner's request. */
function handle(owner: Owner, msg: HostRequest): void {
  switch (msg?.type) {
    case "spawn": {
      // An empty pool (a burst of requests) starts one now: slower, never blocking the owner.
      const shell = idle.shift() ?? startShell();
      shell.owner = owner;
      shell.id = msg.id;
      owner.children.set(msg.id, shell);
      // The adopted worker's own spawns come back here over this link (a worker started by a
      // worker takes ~1 s in Deno 2.9; from the pool, milliseconds).
      const { port1, port2 } = new MessageChannel();
      const linkOwner: Owner = {
        reply: (m) => port1.postMessage(m),
        children: new Map(),
      };
      port1.onmessage = (e: MessageEvent<HostRequest>) => handle(linkOwner, e.data);
      shell.link = { port: port1, owner: linkOwner };
      const adopt: AdoptRequest = {
        module: msg.module,
        cancel: msg.cancel,
        port: msg.port,
        host: port2,
      };
      shell.control.postMessage(adopt, [msg.port, port2]);
      refill();
      return;
    }
    case "terminate": {
      const shell = owner.children.get(msg.id);
      if (shell) stop(shell);
      return;
    }
  }
}

const mainOwner: Owner = { reply: (m) => scope.postMessage(m), children: new Map() };
scope.onmessage = (e) => handle(mainOwner, e.data);

refill();
