/**
 * Page data that degrades instead of failing: a loader error becomes a message the page shows
 * (an admin page should never be a bare 500 because one KV read failed).
 *
 * @example
 * ```ts
 * const { data, error } = await settle(() => loadTrainingPage(services));
 * ```
 *
 * @module
 */

/** The loader's value, or null with the error's message. */
export async function settle<T>(
  load: () => Promise<T>,
): Promise<{ data: T; error: null } | { data: null; error: string }> {
  try {
    return { data: await load(), error: null };
  } catch (err) {
    console.error("admin page data failed to load:", err);
    return { data: null, error: err instanceof Error ? err.message : String(err) };
  }
}
