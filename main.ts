/**
 * Entry point: configuration → services (KV, storage, task runner) → pipeline task kinds → web
 * app → HTTP server on `LISTEN_HOST`:`PORT` (default 0.0.0.0:8000). SIGINT/SIGTERM shut down
 * gracefully: stop accepting requests, let running ones finish (bounded), close the task runner
 * and KV. A repeated signal within `SIGNAL_REPEAT_GRACE_MS` is ignored (a group-wide SIGTERM
 * reaches both `deno task` and this process, which then gets it twice); a later one exits at once.
 *
 * ```sh
 * deno task start                 # development: routes crawled, islands bundled on demand
 * deno task build && DENO_ENV=production deno task start   # prebuilt bundles from _fresh/
 * ```
 *
 * @module
 */
import { ConfigError, loadConfig } from "./lib/config.ts";
import { openServices } from "./lib/bootstrap.ts";
import { recoverPipeline, registerPipelineTasks } from "./lib/pipeline/mod.ts";
import { createApp } from "./lib/app.ts";
import { createLogger } from "./lib/api/logging.ts";
import { serveWorkerHealth } from "./lib/worker_role.ts";
import { exposureWarning } from "./lib/api/operator_auth.ts";
import { getLogger, setLogLevel } from "./lib/log.ts";
import { startWorkerHost, stopWorkerHost } from "./lib/worker/host.ts";

/** Grace period for in-flight requests (SSE streams never end by themselves). */
const SHUTDOWN_GRACE_MS = 5000;
/** Longest wait at start for the worker host's pool (see `main`). */
const WARM_TIMEOUT_MS = 5000;
/** A second signal this soon after the first is the same shutdown request, not "exit now". */
const SIGNAL_REPEAT_GRACE_MS = 2000;

/** Start the service; resolves once it has shut down after a signal. */
export async function main(env: Record<string, string | undefined> = Deno.env.toObject()) {
  let config;
  try {
    config = loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) {
      getLogger("config").error(`Configuration error: ${err.message}`);
      Deno.exit(2);
    }
    throw err;
  }
  setLogLevel(config.logLevel);
  const log = createLogger(config.logLevel);
  // Workers are started by the host from now on: `new Worker` blocks its caller 20–440 ms
  // (bench/worker_spawn.ts), which must not happen on this thread while it serves requests.
  // ROLE=api runs no Worker (Deno Deploy), so it needs no host.
  const host = config.role !== "api" ? startWorkerHost() : null;
  const services = await openServices(config);
  registerPipelineTasks(services);
  // With several processes, uploads in flight elsewhere are not interrupted: stale ones are
  // settled when read (reconcileDataset).
  if (config.role === "all") await recoverPipeline(services);
  // Listen once the host's pool has started: an upload that arrives earlier waits ~0.8 s for
  // its profile worker while its bytes back up (Bosch-scale upload right after /health answered:
  // first profiled batch 786 vs 92 ms after the request started). Bounded: a slow or failed
  // pool delays the start by at most WARM_TIMEOUT_MS, then workers start on demand as before.
  if (host) await host.whenWarm(WARM_TIMEOUT_MS);

  const stop = new AbortController();
  const listen = { port: config.port, hostname: config.hostname, signal: stop.signal };
  const where = (hostname: string, port: number) =>
    `http://${hostname === "0.0.0.0" ? "localhost" : hostname}:${port}`;
  const storage = config.storageUrl ?? config.dataDir;
  // ROLE=worker: runs tasks; its only HTTP is /health (lib/worker_role.ts).
  const server = config.role === "worker"
    ? serveWorkerHealth(services, {
      ...listen,
      onListen: ({ hostname, port }) =>
        log.info(`QC ML worker, health on ${where(hostname, port)}/health (data: ${storage})`),
    })
    : await createApp(services, { logger: log }).then((app) =>
      app.listen({
        ...listen,
        onListen: ({ hostname, port }) => {
          log.info(
            `QC ML service listening on ${where(hostname, port)} (${app.config.mode}, ` +
              `role: ${config.role}, tasks: ${config.taskMode}, data: ${storage})`,
          );
          const warning = exposureWarning(config, hostname);
          if (warning) log.warn(warning);
        },
      })
    );

  let stoppingSince: number | null = null;
  const onSignal = (signal: Deno.Signal) => {
    if (stoppingSince !== null) {
      if (performance.now() - stoppingSince < SIGNAL_REPEAT_GRACE_MS) {
        log.info(`${signal} again: already shutting down`);
        return;
      }
      log.warn(`${signal} again: exiting now`);
      Deno.exit(1);
    }
    stoppingSince = performance.now();
    log.info(`${signal}: shutting down`);
    stop.abort();
  };
  const signals: Deno.Signal[] = Deno.build.os === "windows" ? ["SIGINT"] : ["SIGINT", "SIGTERM"];
  const listeners = signals.map((s) => {
    const fn = () => onSignal(s);
    Deno.addSignalListener(s, fn);
    return [s, fn] as const;
  });

  // Serve until a signal arrives (or the server fails), then give requests a bounded grace.
  const aborted = new Promise((resolve) => stop.signal.addEventListener("abort", resolve));
  await Promise.race([server.finished, aborted]);
  let timer: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([
    server.finished,
    new Promise((resolve) => (timer = setTimeout(resolve, SHUTDOWN_GRACE_MS))),
  ]);
  clearTimeout(timer);
  await services.close();
  stopWorkerHost();
  for (const [s, fn] of listeners) Deno.removeSignalListener(s, fn);
  log.info("stopped");
}

if (import.meta.main) {
  await main();
  // Workers or open streams must not keep a stopped service alive.
  Deno.exit(0);
}
