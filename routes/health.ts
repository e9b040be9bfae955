/**
 * `GET /health` — checks what the service depends on: a KV write/read/delete and a storage
 * write/delete. 200 `{"status":"ok","kv":"ok","storage":"ok"}`, or 503 with the failing part's
 * error message (e.g. `"kv": "error: database is closed"`).
 *
 * @module
 */
import { define } from "../utils.ts";
import type { Services } from "../lib/services.ts";

const TIMEOUT_MS = 5000;

export const handler = define.handlers({
  async GET(ctx) {
    const { kv, storage } = ctx.state.services;
    const [kvStatus, storageStatus] = await Promise.all([
      check(() => checkKv(kv)),
      check(() => checkStorage(storage)),
    ]);
    const ok = kvStatus === "ok" && storageStatus === "ok";
    return Response.json(
      { status: ok ? "ok" : "error", kv: kvStatus, storage: storageStatus },
      { status: ok ? 200 : 503, headers: { "cache-control": "no-store" } },
    );
  },
});

async function check(fn: () => Promise<void>): Promise<string> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    await Promise.race([
      fn(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${TIMEOUT_MS} ms`)), TIMEOUT_MS);
      }),
    ]);
    return "ok";
  } catch (err) {
    return `error: ${err instanceof Error ? err.message : String(err)}`;
  } finally {
    clearTimeout(timer);
  }
}

async function checkKv(kv: Services["kv"]): Promise<void> {
  const key = ["health", crypto.randomUUID()];
  const value = Date.now();
  await kv.set(key, value, { expireIn: 60_000 });
  try {
    const read = await kv.get<number>(key);
    if (read !== value) throw new Error("read back a different value");
  } finally {
    await kv.delete(key);
  }
}

async function checkStorage(storage: Services["storage"]): Promise<void> {
  const key = `health/${crypto.randomUUID()}`;
  const bytes = new TextEncoder().encode("ok");
  try {
    const written = await storage.put(key, bytes);
    if (written !== bytes.length) throw new Error(`wrote ${written} of ${bytes.length} bytes`);
  } finally {
    await storage.delete(key);
  }
}
