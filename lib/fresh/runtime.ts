/**
 * Helpers usable in both server and browser code (import from `"fresh/runtime"`).
 *
 * ```tsx
 * import { IS_BROWSER } from "fresh/runtime";
 * if (IS_BROWSER) startPolling();
 * ```
 *
 * @module
 */

/** True when running in the browser (inside a hydrated island). */
export const IS_BROWSER: boolean = typeof document !== "undefined";

/**
 * The URL of a static file. With a base path, pages should link static files through this.
 * The base path comes from `<meta name="fresh-base-path">` in the browser.
 */
export function asset(path: string, basePath?: string): string {
  if (!path.startsWith("/") || path.startsWith("//")) return path;
  const base = basePath ??
    (IS_BROWSER
      ? document.querySelector<HTMLMetaElement>('meta[name="fresh-base-path"]')?.content ?? ""
      : "");
  return base + path;
}
