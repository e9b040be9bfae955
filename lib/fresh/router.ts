/**
 * The route table, on the platform's `URLPattern` (as Fresh 2's `UrlPatternRouter`).
 *
 * Patterns use `URLPattern` pathname syntax: static segments, `:name` (one segment), `:name*`
 * (the rest: zero or more segments, joined with `/`) and a trailing `*` (the rest, as param
 * `"0"`). Request paths are normalized first (`//` collapsed, trailing slash dropped), so
 * `/admin/` matches `/admin`. When several patterns match, the most specific wins: per segment
 * static > param > rest, then registration order (`URLPattern` itself does not rank).
 *
 * @module
 */

type SegmentKind = "static" | "param" | "rest";

/** A compiled path pattern. */
export interface PathPattern {
  /** The source pattern, e.g. `/books/:id`. */
  readonly source: string;
  /** Kind of each segment, for ranking. */
  readonly kinds: readonly SegmentKind[];
  /** Matches the whole path. */
  readonly exact: URLPattern;
  /** Matches the path and everything below it (folder middleware, `use("/api")`). */
  readonly prefix: URLPattern;
}

/** Split a pathname into its non-empty segments (`/a//b/` → `["a", "b"]`). */
export function splitPath(pathname: string): string[] {
  return pathname.split("/").filter((s) => s !== "");
}

/** `/a//b/` → `/a/b`, `` → `/`. */
export function normalizePath(pathname: string): string {
  return "/" + splitPath(pathname).join("/");
}

/** Characters with a meaning in `URLPattern` syntax, escaped in static segments. */
const SYNTAX = /[:*?+(){}\\]/g;

/** Compile a pattern like `/books/:id`, `/files/:path*` or `/static/*` (`*` alone = all). */
export function compilePattern(source: string): PathPattern {
  const parts = splitPath(source === "*" ? "/*" : source);
  const kinds: SegmentKind[] = [];
  const out = parts.map((part, i) => {
    const last = i === parts.length - 1;
    const named = /^:([A-Za-z_$][\w$]*)(\*)?$/.exec(part);
    if (part === "*" || named?.[2]) {
      if (!last) throw new Error(`Pattern ${source}: "${part}" must be the last segment`);
      kinds.push("rest");
      return part;
    }
    if (named) {
      kinds.push("param");
      return part;
    }
    if (part.startsWith(":")) throw new Error(`Pattern ${source}: bad "${part}"`);
    kinds.push("static");
    return part.replace(SYNTAX, "\\$&");
  });
  const path = out.map((p) => `/${p}`).join("");
  // `:rest*` and `*` already match zero segments; `{/*}?` adds "and anything below".
  const tail = kinds.at(-1) === "rest" ? "" : "{/*}?";
  return {
    source,
    kinds,
    exact: new URLPattern({ pathname: path || "/" }),
    prefix: new URLPattern({ pathname: path + tail }),
  };
}

function decode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value; // malformed escapes: keep as sent rather than fail the whole request
  }
}

/**
 * Match a normalized `pathname` against a pattern (with `prefix`, the pattern may match only
 * the beginning of the path). Returns the decoded params or null.
 */
export function matchPattern(
  pattern: PathPattern,
  pathname: string,
  prefix = false,
): Record<string, string> | null {
  const result = (prefix ? pattern.prefix : pattern.exact).exec({ pathname });
  if (!result) return null;
  const params: Record<string, string> = {};
  for (const [name, value] of Object.entries(result.pathname.groups)) {
    // Prefix matches capture the path below the pattern as "0": not a param of the pattern.
    if (prefix && name === "0" && pattern.kinds.at(-1) !== "rest") continue;
    params[name] = decode(value ?? "");
  }
  return params;
}

const RANK = { static: 3, param: 2, rest: 1 } as const;

/** Negative when `a` is more specific than `b`. */
export function compareSpecificity(a: PathPattern, b: PathPattern): number {
  const n = Math.max(a.kinds.length, b.kinds.length);
  for (let i = 0; i < n; i++) {
    const ka = a.kinds[i];
    const kb = b.kinds[i];
    // A pattern that ends here matches fewer paths than one that continues with a rest.
    if (!ka) return kb === "rest" ? -1 : 1;
    if (!kb) return ka === "rest" ? 1 : -1;
    const diff = RANK[kb] - RANK[ka];
    if (diff !== 0) return diff;
  }
  return 0;
}

/** One route: a pattern and its handlers by method (`"*"` = any method). */
export interface RouteEntry<T> {
  pattern: PathPattern;
  methods: Map<string, T>;
}

/** The result of a lookup. */
export type RouteMatch<T> =
  | { kind: "found"; entry: RouteEntry<T>; item: T; params: Record<string, string> }
  /** The path matched but no route accepts the method; `allow` lists the methods that do. */
  | { kind: "method-not-allowed"; allow: string[] }
  | { kind: "not-found" };

/** `/a/:id` and `/a/:name` are one route shape. */
function shapeKey(pattern: PathPattern): string {
  const parts = splitPath(pattern.source === "*" ? "/*" : pattern.source);
  return parts.map((p, i) => pattern.kinds[i] === "static" ? `/=${p}` : `/${pattern.kinds[i]}`)
    .join("");
}

/** A route table (a scan over specificity-sorted entries: fine for tens of routes). */
export class Router<T> {
  #entries: RouteEntry<T>[] = [];
  #sorted = true;

  /** Add `item` for `method` (upper-case, or `"*"` for all) at `pattern`. */
  add(method: string, pattern: string, item: T): void {
    const compiled = compilePattern(pattern);
    const key = shapeKey(compiled);
    let entry = this.#entries.find((e) => shapeKey(e.pattern) === key);
    if (!entry) {
      entry = { pattern: compiled, methods: new Map() };
      this.#entries.push(entry);
      this.#sorted = false;
    }
    if (entry.methods.has(method)) {
      throw new Error(`Route ${method} ${pattern} is defined twice (${entry.pattern.source})`);
    }
    entry.methods.set(method, item);
  }

  /** All entries, most specific first. */
  entries(): readonly RouteEntry<T>[] {
    if (!this.#sorted) {
      // Array.prototype.sort is stable, so equal patterns keep registration order.
      this.#entries.sort((a, b) => compareSpecificity(a.pattern, b.pattern));
      this.#sorted = true;
    }
    return this.#entries;
  }

  /**
   * Find the handler for `method` and `pathname`. HEAD falls back to GET; `"*"` entries accept
   * any method. If the path matches only routes without the method, the result says which
   * methods are allowed.
   */
  match(method: string, pathname: string): RouteMatch<T> {
    const path = normalizePath(pathname);
    const allow = new Set<string>();
    let pathMatched = false;
    for (const entry of this.entries()) {
      const params = matchPattern(entry.pattern, path);
      if (!params) continue;
      pathMatched = true;
      const item = entry.methods.get(method) ??
        (method === "HEAD" ? entry.methods.get("GET") : undefined) ?? entry.methods.get("*");
      if (item !== undefined) return { kind: "found", entry, item, params };
      for (const m of entry.methods.keys()) allow.add(m);
    }
    if (!pathMatched) return { kind: "not-found" };
    if (allow.has("GET")) allow.add("HEAD");
    return { kind: "method-not-allowed", allow: [...allow].sort() };
  }
}
