/**
 * A real S3-protocol server for tests and benchmarks: `s3rver` (npm) on 127.0.0.1 and a free
 * port, storing into a temp directory. Path-style, credentials `S3RVER`/`S3RVER`.
 *
 * @example
 * ```ts
 * const s3 = await startS3rver();
 * const store = await S3BlobStore.open({ bucket: "test", ...s3.options });
 * // ...
 * store.close();
 * await s3.stop();
 * ```
 *
 * @module
 */
import type { S3StoreOptions } from "./s3_store.ts";

/** A running s3rver. */
export interface TestS3Server {
  endpoint: string;
  /** Endpoint + credentials + region for `S3BlobStore.open`. */
  options: Pick<S3StoreOptions, "endpoint" | "credentials" | "region">;
  /** Environment variables that select it (`STORAGE_URL` not included). */
  env: Record<string, string>;
  stop(): Promise<void>;
}

/** Load s3rver, or return the reason it cannot be loaded (tests are then `ignore`d). */
export async function loadS3rver(): Promise<
  { ok: true; S3rver: new (opts: Record<string, unknown>) => S3rverInstance } | {
    ok: false;
    reason: string;
  }
> {
  try {
    const mod = await import("s3rver");
    return { ok: true, S3rver: mod.default };
  } catch (err) {
    return { ok: false, reason: (err as Error).message };
  }
}

interface S3rverInstance {
  run(): Promise<{ port: number; address: string }>;
  close(): Promise<void>;
}

/** Start s3rver on 127.0.0.1 and a free port. */
export async function startS3rver(): Promise<TestS3Server> {
  const loaded = await loadS3rver();
  if (!loaded.ok) throw new Error(`s3rver cannot be loaded: ${loaded.reason}`);
  const directory = await Deno.makeTempDir({ prefix: "s3rver-" });
  const server = new loaded.S3rver({ address: "127.0.0.1", port: 0, silent: true, directory });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  return {
    endpoint,
    options: {
      endpoint,
      region: "us-east-1",
      credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" },
    },
    env: {
      AWS_ENDPOINT_URL_S3: endpoint,
      AWS_REGION: "us-east-1",
      AWS_ACCESS_KEY_ID: "S3RVER",
      AWS_SECRET_ACCESS_KEY: "S3RVER",
    },
    async stop() {
      await server.close();
      await Deno.remove(directory, { recursive: true }).catch(() => {});
    },
  };
}

/** True when s3rver can be imported here (for `ignore:` of tests that need it). */
export const S3RVER_AVAILABLE = (await loadS3rver()).ok;
