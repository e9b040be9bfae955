/**
 * Typed access to the one Deno KV handle of the process.
 *
 * Only one process should own a file-backed KV (another process's writes are not seen by
 * `watch`), so the service opens it once here and hands the `KvStore` around in `Services`.
 * Limits to keep in mind: value ≤ 64 KiB, key ≤ 2 KiB, ≤ 10 keys per `getMany`/`watch`.
 *
 * @example
 * ```ts
 * const kv = await KvStore.open(":memory:");
 * await kv.set(["datasets", "a"], { rows: 3 });
 * const n = await kv.update<number>(["counter"], (cur) => (cur ?? 0) + 1);
 * kv.close();
 * ```
 *
 * @module
 */
import { dirname } from "node:path";
import { forSharedFile } from "./kv_shared_file.ts";

/** Options of `KvStore.list`. */
export interface KvListOptions {
  limit?: number;
  reverse?: boolean;
  /** Inclusive start key (must lie under the prefix). */
  start?: Deno.KvKey;
  /** Exclusive end key (must lie under the prefix). */
  end?: Deno.KvKey;
}

/** Thrown by `KvStore.update` when the key kept changing under it for every retry. */
export class KvConflictError extends Error {
  constructor(readonly key: Deno.KvKey, attempts: number) {
    super(`KV update of ${JSON.stringify(key)} lost ${attempts} races in a row`);
    this.name = "KvConflictError";
  }
}

/** Retries of `update` before giving up (each retry re-reads the key). */
const UPDATE_ATTEMPTS = 64;

/** A typed wrapper over `Deno.Kv`. */
export class KvStore {
  #closed = false;

  private constructor(
    /** The underlying handle, for atomics, queues and `watch`. */
    readonly raw: Deno.Kv,
    /** The path it was opened with (`:memory:` or a file). */
    readonly path: string,
  ) {}

  /**
   * Open a KV store. `path` is `:memory:` (tests), a file path (its parent directory is created
   * when missing), `:default:` (the platform's database, e.g. on Deno Deploy) or a KV Connect URL (`https://…`, token in `DENO_KV_ACCESS_TOKEN`).
   * `watchPollMs`: poll `watch` at this interval and retry writes refused as "database is
   * locked" (for several processes sharing one SQLite file; see kv_shared_file.ts).
   */
  static async open(path: string, opts: { watchPollMs?: number } = {}): Promise<KvStore> {
    if (path !== ":memory:" && path !== DEFAULT_KV && !isRemoteKv(path)) {
      await Deno.mkdir(dirname(path), { recursive: true });
    }
    // `:default:`: the platform's own database (Deno Deploy: the timeline's KV).
    const kv = await (path === DEFAULT_KV ? Deno.openKv() : Deno.openKv(path));
    return new KvStore(opts.watchPollMs ? forSharedFile(kv, opts.watchPollMs) : kv, path);
  }

  /** True once `close` was called. */
  get closed(): boolean {
    return this.#closed;
  }

  /** The value at `key`, or null. */
  async get<T>(key: Deno.KvKey): Promise<T | null> {
    return (await this.raw.get<T>(key)).value;
  }

  /** The entry (value + versionstamp) at `key`; `value` and `versionstamp` are null when absent. */
  getEntry<T>(key: Deno.KvKey): Promise<Deno.KvEntryMaybe<T>> {
    return this.raw.get<T>(key);
  }

  /** Write `value` at `key`, optionally expiring after `expireIn` ms. */
  async set(key: Deno.KvKey, value: unknown, opts: { expireIn?: number } = {}): Promise<void> {
    await this.raw.set(key, value, expireOpts(opts.expireIn));
  }

  /** Delete `key` (no error when absent). */
  async delete(key: Deno.KvKey): Promise<void> {
    await this.raw.delete(key);
  }

  /** Entries under `prefix`, in key order (or reversed). */
  async list<T>(
    prefix: Deno.KvKey,
    opts: KvListOptions = {},
  ): Promise<{ key: Deno.KvKey; value: T }[]> {
    let selector: Deno.KvListSelector;
    if (opts.start && opts.end) selector = { start: opts.start, end: opts.end };
    else if (opts.start) selector = { prefix, start: opts.start };
    else if (opts.end) selector = { prefix, end: opts.end };
    else selector = { prefix };
    const out: { key: Deno.KvKey; value: T }[] = [];
    const iter = this.raw.list<T>(selector, { limit: opts.limit, reverse: opts.reverse });
    for await (const entry of iter) out.push({ key: entry.key, value: entry.value });
    return out;
  }

  /**
   * Atomically read-modify-write `key`: `fn` gets the current value (null when absent) and returns
   * the new one; returning null deletes the key. The write is committed only if the key did not
   * change since the read (versionstamp check); otherwise `fn` runs again on the fresh value, up
   * to a bounded number of times (then `KvConflictError`). `fn` must therefore be pure.
   * Resolves with the value written (null when deleted).
   */
  async update<T>(
    key: Deno.KvKey,
    fn: (cur: T | null) => T | null,
    opts: { expireIn?: number } = {},
  ): Promise<T | null> {
    for (let attempt = 0; attempt < UPDATE_ATTEMPTS; attempt++) {
      const entry = await this.raw.get<T>(key);
      const next = fn(entry.value);
      const op = this.raw.atomic().check(entry);
      if (next === null) op.delete(key);
      else op.set(key, next, expireOpts(opts.expireIn));
      const res = await op.commit();
      if (res.ok) return next;
      // Lost a race: back off a little (jittered) so competing writers interleave.
      await new Promise((r) => setTimeout(r, Math.random() * Math.min(50, 2 ** attempt)));
    }
    throw new KvConflictError(key, UPDATE_ATTEMPTS);
  }

  /** Close the handle (idempotent). Also ends `listenQueue` and pending `watch` streams. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.raw.close();
  }
}

/** `KV_PATH` naming the runtime's default database (`Deno.openKv()` without a path). */
export const DEFAULT_KV = ":default:";

/** True for a KV Connect URL (a remote database) rather than a local file. */
export function isRemoteKv(path: string): boolean {
  return /^https?:\/\//.test(path);
}

function expireOpts(expireIn: number | undefined): { expireIn?: number } | undefined {
  return expireIn !== undefined && expireIn > 0 ? { expireIn: Math.round(expireIn) } : undefined;
}
