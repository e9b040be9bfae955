/**
 * File routes: turns the files of a `routes/` folder into URL patterns, folder layers
 * (`_middleware`, `_layout`, `_error`) and route modules.
 *
 * | file                                | URL                      |
 * | ----------------------------------- | ------------------------ |
 * | `index.ts`                          | `/`                      |
 * | `openapi.json.ts`                   | `/openapi.json`          |
 * | `process/split-data.ts`             | `/process/split-data`    |
 * | `models/[id].ts`                    | `/models/:id`            |
 * | `files/[...path].ts`                | `/files/:path*` (0+ segments) |
 * | `(admin)/settings.tsx`              | `/settings` (groups add no segment) |
 *
 * `_app` (root only) wraps every page; `_layout` wraps the pages of its folder subtree;
 * `_middleware` (default export or `handler`, one function or an array) runs for requests under
 * its folder, outer folders first; `_error` renders errors thrown below its folder. Folders
 * named `(_anything)` and files starting with `_` (other than these) or ending in `_test.ts`
 * are ignored (the crawl is `dev/fs_crawl.ts`). Layers of plain folders also apply to unmatched
 * paths under them (so the root `_middleware` and `_error` see 404s); layers inside a `(group)`
 * apply only to its routes.
 *
 * @module
 */
import type { Middleware, PageComponent, RouteHandler } from "./handlers.ts";
import { compilePattern, type PathPattern } from "./router.ts";

const EXT = /\.(tsx?|jsx?|mjs)$/;
const SPECIAL = new Set(["_app", "_layout", "_middleware", "_error"]);

/** Classification of one file in the routes folder. */
export interface RouteFileInfo {
  /** Path relative to the routes folder, `/`-separated. */
  rel: string;
  kind: "route" | "app" | "layout" | "middleware" | "error";
  /** Folder of the file relative to the routes folder ("" = root). */
  dir: string;
  /** URL pattern: the route's for routes, the folder's for the other kinds. */
  pattern: string;
  /** Whether the path contains a `(group)` folder. */
  inGroup: boolean;
}

function convertSegment(seg: string, file: string, last: boolean): string | null {
  if (/^\(.+\)$/.test(seg)) return null;
  const rest = /^\[\.\.\.([A-Za-z_$][\w$]*)\]$/.exec(seg);
  if (rest) {
    if (!last) throw new Error(`routes/${file}: [...${rest[1]}] must be the last path segment`);
    return `:${rest[1]}*`;
  }
  const param = /^\[([A-Za-z_$][\w$]*)\]$/.exec(seg);
  if (param) return `:${param[1]}`;
  if (/[[\]:*]/.test(seg)) {
    throw new Error(`routes/${file}: unsupported segment "${seg}" (use [name] or [...name])`);
  }
  return seg;
}

/** Classify a route file path (relative, `/`-separated); null when the file is not a route. */
export function classifyRouteFile(rel: string): RouteFileInfo | null {
  if (!EXT.test(rel) || /(^|[_.])test\.[jt]sx?$/.test(rel) || rel.endsWith(".d.ts")) return null;
  const parts = rel.split("/");
  const base = parts.pop()!.replace(EXT, "");
  if (parts.some((p) => /^\(_.*\)$/.test(p) || p.startsWith("."))) return null;
  if (base.startsWith("_") && !SPECIAL.has(base)) return null;
  const dir = parts.join("/");
  const inGroup = parts.some((p) => /^\(.+\)$/.test(p));
  const urlParts = parts.map((p) => convertSegment(p, rel, false));
  let kind: RouteFileInfo["kind"] = "route";
  if (SPECIAL.has(base)) {
    kind = base.slice(1) as RouteFileInfo["kind"];
    if (kind === "app" && dir !== "") throw new Error(`routes/${rel}: _app must be in the root`);
  } else if (base !== "index") {
    urlParts.push(convertSegment(base, rel, true));
  }
  const pattern = "/" + urlParts.filter((p) => p !== null).join("/");
  return { rel, kind, dir, pattern, inGroup };
}

/** The layers a folder contributes. */
export interface DirLayer<State> {
  dir: string;
  pattern: PathPattern;
  inGroup: boolean;
  middlewares: Middleware<State>[];
  layout: PageComponent | null;
  app: PageComponent | null;
  error: { component: PageComponent | null; handler: RouteHandler<unknown, State> | null } | null;
}

/** A route file, loaded. */
export interface FsRoute<State> {
  rel: string;
  pattern: string;
  handler: RouteHandler<unknown, State> | null;
  component: PageComponent | null;
  /** Layers of the folders above the route, root first. */
  layers: DirLayer<State>[];
}

/** A route module, imported: its path relative to the routes folder and its exports. */
export interface RouteModule {
  rel: string;
  mod: Record<string, unknown>;
}

/** Assemble routes and folder layers from imported route modules (no file system access). */
export function assembleFsRoutes<State>(
  modules: RouteModule[],
): { routes: FsRoute<State>[]; layers: DirLayer<State>[] } {
  const infos = modules.map(({ rel, mod }) => {
    const info = classifyRouteFile(rel);
    if (!info) throw new Error(`routes/${rel} is not a route file`);
    return { info, mod };
  });
  const layers = new Map<string, DirLayer<State>>();
  const layerFor = (dir: string): DirLayer<State> => {
    let layer = layers.get(dir);
    if (!layer) {
      const parts = dir === "" ? [] : dir.split("/");
      const pattern = "/" + parts.map((p) => convertSegment(p, dir, false)).filter((p) => p)
        .join("/");
      layer = {
        dir,
        pattern: compilePattern(pattern),
        inGroup: parts.some((p) => /^\(.+\)$/.test(p)),
        middlewares: [],
        layout: null,
        app: null,
        error: null,
      };
      layers.set(dir, layer);
    }
    return layer;
  };
  const routes: FsRoute<State>[] = [];
  for (const { info, mod } of infos) {
    const where = `routes/${info.rel}`;
    const isMiddleware = info.kind === "middleware";
    const component = isMiddleware
      ? null
      : optionalFunction(mod.default, where, "default export") as PageComponent | null;
    const handler = isMiddleware ? null : optionalHandler(mod.handler, where);
    switch (info.kind) {
      case "middleware": {
        const mw = mod.default ?? mod.handler;
        const list = Array.isArray(mw) ? mw : [mw];
        if (list.length === 0 || list.some((m) => typeof m !== "function")) {
          throw new Error(`${where}: export a middleware function (or an array) as default`);
        }
        layerFor(info.dir).middlewares.push(...(list as Middleware<State>[]));
        break;
      }
      case "layout":
      case "app":
        if (!component) throw new Error(`${where}: export the ${info.kind} component as default`);
        layerFor(info.dir)[info.kind] = component;
        break;
      case "error":
        if (!component && !handler) throw new Error(`${where}: export a component or handler`);
        layerFor(info.dir).error = {
          component,
          handler: handler as RouteHandler<unknown, State> | null,
        };
        break;
      case "route":
        if (!component && !handler) {
          throw new Error(`${where}: export a handler or a default page component`);
        }
        routes.push({
          rel: info.rel,
          pattern: info.pattern,
          handler: handler as RouteHandler<unknown, State> | null,
          component,
          layers: [],
        });
    }
  }
  // Every route gets the layers of all its ancestor folders (created empty when absent, so
  // that folder patterns exist for the 404 lookup too).
  for (const route of routes) {
    const parts = route.rel.split("/").slice(0, -1);
    route.layers = [layerFor("")];
    for (let i = 1; i <= parts.length; i++) {
      route.layers.push(layerFor(parts.slice(0, i).join("/")));
    }
  }
  const sorted = [...layers.values()].sort((a, b) => depth(a.dir) - depth(b.dir));
  return { routes, layers: sorted };
}

function depth(dir: string): number {
  return dir === "" ? 0 : dir.split("/").length;
}

function optionalFunction(value: unknown, where: string, what: string): unknown {
  if (value === undefined || value === null) return null;
  if (typeof value !== "function") throw new Error(`${where}: ${what} must be a function`);
  return value;
}

function optionalHandler(value: unknown, where: string): RouteHandler<unknown, unknown> | null {
  if (value === undefined || value === null) return null;
  if (typeof value === "function") return value as RouteHandler<unknown, unknown>;
  if (typeof value === "object") {
    for (const [key, fn] of Object.entries(value)) {
      if (!/^(GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS)$/.test(key) || typeof fn !== "function") {
        throw new Error(`${where}: handler.${key} is not a method handler`);
      }
    }
    return value as RouteHandler<unknown, unknown>;
  }
  throw new Error(`${where}: handler must be a function or an object of method handlers`);
}
