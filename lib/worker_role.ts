/**
 * The `worker` role's only HTTP surface: `GET /health` (KV read/write, storage reachable, the
 * ids of the tasks running here). Everything else answers 404: workers serve no API or UI.
 *
 * @example
 * ```ts
 * const server = serveWorkerHealth(services, { port: 8001, hostname: "127.0.0.1", signal });
 * await server.finished;
 * ```
 *
 * @module
 */
import type { Services } from "./services.ts";
import type { KvTaskRunner } from "./tasks/runner.ts";

/** Answer one request of the worker's health server (exported for tests). */
export async function workerHealthHandler(services: Services, req: Request): Promise<Response> {
  const url = new URL(req.url);
  if (url.pathname !== "/health" || (req.method !== "GET" && req.method !== "HEAD")) {
    return Response.json({ detail: "Not Found" }, { status: 404 });
  }
  const headers = { "cache-control": "no-store" };
  try {
    const key = ["health", crypto.randomUUID()];
    await services.kv.set(key, Date.now(), { expireIn: 60_000 });
    await services.kv.delete(key);
    await services.storage.list("health/");
  } catch (err) {
    const detail = err instanceof Error ? err.message : String(err);
    return Response.json({ status: "error", role: "worker", detail }, { status: 503, headers });
  }
  const running = (services.tasks as Partial<KvTaskRunner>).runningIds?.() ?? [];
  return Response.json({ status: "ok", role: "worker", running }, { headers });
}

/** Serve `GET /health` on the configured port until `signal` aborts. */
export function serveWorkerHealth(
  services: Services,
  opts: {
    port: number;
    hostname: string;
    signal: AbortSignal;
    onListen?: (addr: { hostname: string; port: number }) => void;
  },
): Deno.HttpServer<Deno.NetAddr> {
  return Deno.serve(
    { port: opts.port, hostname: opts.hostname, signal: opts.signal, onListen: opts.onListen },
    (req) => workerHealthHandler(services, req),
  );
}
