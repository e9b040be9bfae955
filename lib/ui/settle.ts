/**
 * Page data that degrades instead of failing: a loader error becomes a message the page shows
 * (an admin page should never be a bare 500 because one KV read failed).
 *
 * @example
 * ```ts
 * const { data, error } = await settle(() => loadTrainingPage(services));
 * // or, as a whole route handler:
 * export const handler = define.handlers({ GET: settledPage(loadTrainingPage) });
 * ```
 *
 * @module
 */
import { page } from "fresh";
import type { Services } from "../services.ts";

/** What `settle` resolves with. */
export type Settled<T> = { data: T; error: null } | { data: null; error: string };

/** Admin pages show live state: never cached. */
export const NO_STORE = { headers: { "cache-control": "no-store" } } as const;

/** The loader's value, or null with the error's message. */
export async function settle<T>(load: () => Promise<T>): Promise<Settled<T>> {
  try {
    return { data: await load(), error: null };
  } catch (err) {
    console.error("admin page data failed to load:", err);
    return { data: null, error: err instanceof Error ? err.message : String(err) };
  }
}

/** A page's GET handler: `load` settled, rendered uncached. */
export function settledPage<T>(load: (services: Services) => Promise<T>) {
  return async (ctx: { state: { services: Services } }) =>
    page(await settle(() => load(ctx.state.services)), NO_STORE);
}
