/**
 * Path patterns and the route table.
 *
 * Patterns: static segments, `:name` (one segment), `:name*` (the rest: zero or more segments,
 * joined with `/`) and a trailing `*` (rest, stored as param `"*"`). Matching is exact per
 * segment; a trailing slash is ignored (`/admin/` matches `/admin`). When several patterns match,
 * the most specific wins: per segment static > param > rest, then registration order.
 *
 * @module
 */

/** A compiled pattern segment. */
type Segment =
  | { kind: "static"; value: string }
  | { kind: "param"; name: string }
  | { kind: "rest"; name: string };

/** A compiled path pattern. */
export interface PathPattern {
  /** The source pattern, e.g. `/books/:id`. */
  readonly source: string;
  readonly segments: readonly Segment[];
}

/** Split a pathname into its non-empty segments (`/a//b/` → `["a", "b"]`). */
export function splitPath(pathname: string): string[] {
  return pathname.split("/").filter((s) => s !== "");
}

/** Compile a pattern like `/books/:id`, `/files/:path*` or `/static/*`. */
export function compilePattern(source: string): PathPattern {
  const parts = splitPath(source);
  const segments: Segment[] = parts.map((part, i) => {
    const last = i === parts.length - 1;
    if (part === "*") {
      if (!last) throw new Error(`Pattern ${source}: "*" must be the last segment`);
      return { kind: "rest", name: "*" };
    }
    const m = /^:([A-Za-z_$][\w$]*)(\*)?$/.exec(part);
    if (m) {
      if (m[2] && !last) throw new Error(`Pattern ${source}: ":${m[1]}*" must be the last segment`);
      return m[2] ? { kind: "rest", name: m[1] } : { kind: "param", name: m[1] };
    }
    if (part.includes(":") && part.startsWith(":")) {
      throw new Error(`Pattern ${source}: bad "${part}"`);
    }
    return { kind: "static", value: part };
  });
  return { source, segments };
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment; // malformed escapes: keep as sent rather than fail the whole request
  }
}

/**
 * Match `pathname` (already split) against a pattern. With `prefix`, the pattern may match only
 * the beginning of the path (used for folder middleware). Returns the params or null.
 */
export function matchPattern(
  pattern: PathPattern,
  parts: readonly string[],
  prefix = false,
): Record<string, string> | null {
  const params: Record<string, string> = {};
  const segs = pattern.segments;
  for (let i = 0; i < segs.length; i++) {
    const seg = segs[i];
    if (seg.kind === "rest") {
      params[seg.name] = parts.slice(i).map(decode).join("/");
      return params;
    }
    if (i >= parts.length) return null;
    if (seg.kind === "static") {
      if (decode(parts[i]) !== seg.value) return null;
    } else {
      params[seg.name] = decode(parts[i]);
    }
  }
  return prefix || parts.length === segs.length ? params : null;
}

function shapeKey(pattern: PathPattern): string {
  return pattern.segments.map((s) =>
    s.kind === "static" ? `/${encodeURIComponent(s.value)}` : s.kind === "param" ? "/:" : "/*"
  ).join("");
}

const RANK = { static: 3, param: 2, rest: 1 } as const;

/** Negative when `a` is more specific than `b`. */
export function compareSpecificity(a: PathPattern, b: PathPattern): number {
  const n = Math.max(a.segments.length, b.segments.length);
  for (let i = 0; i < n; i++) {
    const sa = a.segments[i];
    const sb = b.segments[i];
    // A pattern that ends here matches fewer paths than one that continues with a rest.
    if (!sa) return sb.kind === "rest" ? -1 : 1;
    if (!sb) return sa.kind === "rest" ? 1 : -1;
    const diff = RANK[sb.kind] - RANK[sa.kind];
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

/** A route table (a linear scan over specificity-sorted entries: fine for tens of routes). */
export class Router<T> {
  #entries: RouteEntry<T>[] = [];
  #sorted = true;

  /** Add `item` for `method` (upper-case, or `"*"` for all) at `pattern`. */
  add(method: string, pattern: string, item: T): void {
    const compiled = compilePattern(pattern);
    // `/a/:id` and `/a/:name` are the same route shape: share one entry.
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
    const parts = splitPath(pathname);
    const allow = new Set<string>();
    let pathMatched = false;
    for (const entry of this.entries()) {
      const params = matchPattern(entry.pattern, parts);
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
