/**
 * The build cache of a development build (`builder.build({ snapshot: "memory" })`): routes and
 * islands imported from the crawl, bundles built in memory on the first page that needs them
 * (and rebuilt on the next request if that build failed, e.g. a syntax error in an island).
 *
 * @module
 */
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import type { BuildCache } from "../build_cache.ts";
import type { DirLayer, FsRoute, RouteModule } from "../fs_routes.ts";
import { assembleFsRoutes } from "../fs_routes.ts";
import { IslandRegistry } from "../islands.ts";
import type { IslandAssets } from "../render.ts";
import { IMMUTABLE } from "../static_files.ts";
import { type BuildOutput, bundleIslands } from "./esbuild.ts";

/** An island module, imported: its absolute file path and its exports. */
export interface IslandModule {
  file: string;
  mod: Record<string, unknown>;
}

/** See the module docs. */
export class MemoryBuildCache<State> implements BuildCache<State> {
  readonly root: string;
  readonly staticDir: string;
  readonly fsRoutes: { routes: FsRoute<State>[]; layers: DirLayer<State>[] };
  readonly islands = new IslandRegistry();
  readonly #minify: boolean;
  #build: Promise<BuildOutput> | null = null;

  constructor(
    opts: { root: string; staticDir: string; minify: boolean },
    routes: RouteModule[],
    islands: IslandModule[],
  ) {
    this.root = opts.root;
    this.staticDir = opts.staticDir;
    this.#minify = opts.minify;
    this.fsRoutes = assembleFsRoutes<State>(routes);
    for (const { file, mod } of islands) this.islands.register(file, mod);
  }

  assets(): Promise<IslandAssets> {
    if (!this.#build) {
      const entries = this.islands.entries();
      this.#build = bundleIslands({ root: this.root, islands: entries, minify: this.#minify });
      this.#build.catch(() => (this.#build = null));
    }
    return this.#build;
  }

  async readAsset(req: Request, buildId: string, file: string): Promise<Response | null> {
    const build = this.#build ? await this.#build : null;
    const bytes = build?.buildId === buildId ? build.files.get(file) : undefined;
    if (!bytes) return null;
    const etag = `"${buildId}-${file}"`;
    const headers = new Headers({
      "content-type": "text/javascript; charset=utf-8",
      "cache-control": IMMUTABLE,
      etag,
    });
    if (req.headers.get("if-none-match") === etag) {
      return new Response(null, { status: 304, headers });
    }
    return new Response(req.method === "HEAD" ? null : bytes.slice(), { headers });
  }
}

/** Import the crawled files of a folder. */
export async function importAll(
  dir: string,
  files: string[],
): Promise<{ rel: string; file: string; mod: Record<string, unknown> }[]> {
  return await Promise.all(files.map(async (rel) => {
    const file = join(dir, rel);
    return { rel, file, mod: await import(pathToFileURL(file).href) as Record<string, unknown> };
  }));
}
