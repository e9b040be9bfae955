/**
 * A `Deno.Kv` for processes that share one local SQLite KV file.
 *
 * `kv.watch` by polling: Deno KV's watch
 * only sees writes made through the same process's handle (measured: another process's writes
 * show up only as the initial value), while `getMany` always reads the current values. The
 * polled stream has the same shape as the native one: the current entries first, then the
 * entries again whenever a versionstamp changed (checked every `intervalMs`).
 *
 * Writes retried on "database is locked": with several processes, SQLite refuses a write while
 * another process holds the write lock (measured in `claim_multiprocess_test.ts`: about one
 * such error per commit under full contention). The refused write was not applied, so it is
 * retried after a short jittered pause; a versionstamp check inside is re-evaluated then.
 *
 * @example
 * ```ts
 * const kv = forSharedFile(await Deno.openKv("/shared/kv.sqlite3"), 200);
 * for await (const [entry] of kv.watch([["tasks", id]])) console.log(entry.value);
 * ```
 *
 * @module
 */

/** A stream like `kv.watch(keys)`, built from `getMany` every `intervalMs`. */
export function pollWatch(
  kv: Deno.Kv,
  keys: Deno.KvKey[],
  intervalMs: number,
): ReadableStream<Deno.KvEntryMaybe<unknown>[]> {
  let last: string | null = null;
  let cancelled = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let wake: (() => void) | null = null;
  const sleep = () =>
    new Promise<void>((resolve) => {
      wake = resolve;
      timer = setTimeout(resolve, intervalMs);
    });
  return new ReadableStream<Deno.KvEntryMaybe<unknown>[]>({
    async pull(controller) {
      while (!cancelled) {
        let entries: Deno.KvEntryMaybe<unknown>[];
        try {
          entries = await kv.getMany(keys);
        } catch {
          controller.close(); // KV closed: end like the native watch does
          return;
        }
        const stamp = entries.map((e) => e.versionstamp ?? "-").join(",");
        if (stamp !== last) {
          last = stamp;
          controller.enqueue(entries);
          return;
        }
        await sleep();
      }
    },
    cancel() {
      cancelled = true;
      clearTimeout(timer);
      wake?.();
    },
  }, { highWaterMark: 0 });
}

/** Attempts of a write refused with "database is locked" (each after ≤ 20 ms). */
const LOCKED_ATTEMPTS = 200;

/** True for SQLite's busy error as Deno KV reports it. */
export function isDatabaseLocked(err: unknown): boolean {
  return /database is locked/i.test(err instanceof Error ? err.message : String(err));
}

/** Run `fn` again while it fails with "database is locked" (bounded). */
export async function retryLocked<T>(fn: () => Promise<T>): Promise<T> {
  for (let attempt = 1;; attempt++) {
    try {
      return await fn();
    } catch (err) {
      if (!isDatabaseLocked(err) || attempt >= LOCKED_ATTEMPTS) throw err;
      await new Promise((r) => setTimeout(r, 1 + Math.random() * Math.min(20, attempt * 2)));
    }
  }
}

const RETRIED = new Set(["get", "getMany", "set", "delete", "enqueue"]);

function bindAll<T extends object>(target: T, own: (prop: string | symbol) => unknown): T {
  return new Proxy(target, {
    get(t, prop) {
      const mine = own(prop);
      if (mine !== undefined) return mine;
      const value = Reflect.get(t, prop, t);
      return typeof value === "function" ? value.bind(t) : value;
    },
  });
}

/** An atomic operation whose `commit` is retried on "database is locked". */
function retryingAtomic(op: Deno.AtomicOperation): Deno.AtomicOperation {
  const proxy: Deno.AtomicOperation = bindAll(op, (prop) => {
    if (prop === "commit") return () => retryLocked(() => op.commit());
    if (typeof prop !== "string") return undefined;
    const value = Reflect.get(op, prop, op);
    // Builder methods return the operation itself: keep returning the proxy.
    if (typeof value === "function") {
      return (...args: unknown[]) => {
        const out = value.apply(op, args);
        return out === op ? proxy : out;
      };
    }
    return undefined;
  });
  return proxy;
}

/**
 * `kv` for a KV file shared by several processes: `watch` polls every `intervalMs`, writes
 * and point reads are retried on "database is locked". Every other member is the original's.
 */
export function forSharedFile(kv: Deno.Kv, intervalMs: number): Deno.Kv {
  return bindAll(kv, (prop) => {
    if (prop === "watch") return (keys: Deno.KvKey[]) => pollWatch(kv, keys, intervalMs);
    if (prop === "atomic") return () => retryingAtomic(kv.atomic());
    if (typeof prop === "string" && RETRIED.has(prop)) {
      const fn = Reflect.get(kv, prop, kv) as (...a: unknown[]) => Promise<unknown>;
      return (...args: unknown[]) => retryLocked(() => fn.apply(kv, args));
    }
    return undefined;
  });
}
