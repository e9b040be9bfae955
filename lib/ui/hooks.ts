/**
 * Small Preact hooks shared by the admin islands.
 *
 * @module
 */
import { useEffect, useRef, useState } from "preact/hooks";

/**
 * Call `fn` every `ms` while `ms` is not null, waiting for each call to settle before
 * scheduling the next (a slow server never gets overlapping polls). The latest `fn` is used.
 *
 * @example
 * ```ts
 * usePolling(async () => setStatus(await apiGet(`/tasks/${id}`)), running ? 1000 : null);
 * ```
 */
export function usePolling(fn: () => Promise<void> | void, ms: number | null): void {
  const saved = useRef(fn);
  saved.current = fn;
  useEffect(() => {
    if (ms === null) return;
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async () => {
      try {
        await saved.current();
      } catch (err) {
        console.warn("poll failed", err);
      }
      if (!stopped) timer = setTimeout(tick, ms);
    };
    timer = setTimeout(tick, 0);
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [ms]);
}

/**
 * False on the server and in the hydration render, true right after: islands put it in a
 * `data-hydrated` attribute so tests (and curious operators) can tell the page is live.
 */
export function useHydrated(): boolean {
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  return hydrated;
}

/**
 * The marks of an island's top-level cards (`data-island`, `data-hydrated`), to spread on them.
 *
 * @example
 * ```tsx
 * const island = useIslandMarks("ModelsList");
 * <Card {...island} heading="Models">…</Card>
 * ```
 */
export function useIslandMarks(name: string): { island: string; hydrated: boolean } {
  return { island: name, hydrated: useHydrated() };
}
