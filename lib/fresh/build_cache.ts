/**
 * What an `App` gets from a build (Fresh 2's "build cache"): its file routes, its islands, the
 * static folder and the island bundles. An app has none until one is attached with
 * `setBuildCache`: by `Builder.build()`'s apply function (development, tests) or from the
 * `<outDir>/snapshot.js` that `deno task build` writes (production: `ProdBuildCache`).
 *
 * @module
 */
import { isAbsolute, join } from "node:path";
import type { ResolvedFreshConfig } from "./context.ts";
import { assembleFsRoutes, type DirLayer, type FsRoute } from "./fs_routes.ts";
import { IslandRegistry } from "./islands.ts";
import type { IslandAssets } from "./render.ts";
import { IMMUTABLE, serveFile } from "./static_files.ts";

/** The build an app serves. */
export interface BuildCache<State = unknown> {
  /** Project root. */
  readonly root: string;
  /** Absolute path of the static files folder. */
  readonly staticDir: string;
  /** File routes and folder layers. */
  readonly fsRoutes: { routes: FsRoute<State>[]; layers: DirLayer<State>[] };
  /** Island components (registered for SSR). */
  readonly islands: IslandRegistry;
  /** Bundle names of the islands; called only for pages that use an island. */
  assets(): Promise<IslandAssets>;
  /** Serve the bundle `/_fresh/js/<buildId>/<file>`, or null when it is not this build's. */
  readAsset(req: Request, buildId: string, file: string): Promise<Response | null>;
}

// deno-lint-ignore no-explicit-any
const CACHES = new WeakMap<object, BuildCache<any>>();

/** Attach a build to an app (Fresh 2: `setBuildCache` of `fresh/internal`). */
export function setBuildCache<State>(
  app: { config: ResolvedFreshConfig },
  cache: BuildCache<State>,
  mode: "development" | "production",
): void {
  app.config.root = cache.root;
  app.config.mode = mode;
  CACHES.set(app, cache);
}

/** The build attached to an app, or null. */
export function getBuildCache<State>(app: object): BuildCache<State> | null {
  return CACHES.get(app) ?? null;
}

/**
 * The module `deno task build` writes to `<outDir>/snapshot.js`: the route and island modules
 * (imported statically, so nothing is crawled at start-up) and the bundle names. Paths are
 * relative, with `/` separators; folders are relative to the project root.
 */
export interface BuildSnapshot {
  /** Build id: the bundles are under `<outDir>/js/<version>/`. */
  version: string;
  /** File name of the client runtime bundle. */
  clientEntry: string;
  outDir: string;
  staticDir: string;
  /** Route modules by path relative to the routes folder. */
  fsRoutes: { rel: string; mod: Record<string, unknown> }[];
  /** Island modules by path relative to the islands folder, with their bundle names. */
  islands: { file: string; entry: string; js: string; mod: Record<string, unknown> }[];
}

/** The build cache of a production build (Fresh 2: `ProdBuildCache` of `fresh/internal`). */
export class ProdBuildCache<State> implements BuildCache<State> {
  readonly root: string;
  readonly staticDir: string;
  readonly fsRoutes: { routes: FsRoute<State>[]; layers: DirLayer<State>[] };
  readonly islands = new IslandRegistry();
  readonly #snapshot: BuildSnapshot;
  readonly #jsDir: string;

  constructor(root: string, snapshot: BuildSnapshot) {
    const at = (dir: string) => isAbsolute(dir) ? dir : join(root, dir);
    this.root = root;
    this.#snapshot = snapshot;
    this.staticDir = at(snapshot.staticDir);
    this.#jsDir = join(at(snapshot.outDir), "js", snapshot.version);
    this.fsRoutes = assembleFsRoutes<State>(snapshot.fsRoutes);
    for (const island of snapshot.islands) {
      this.islands.register(island.file, island.mod, island.entry);
    }
  }

  assets(): Promise<IslandAssets> {
    const { version, clientEntry, islands } = this.#snapshot;
    return Promise.resolve({
      buildId: version,
      client: clientEntry,
      entries: new Map(islands.map((i) => [i.entry, i.js])),
    });
  }

  async readAsset(req: Request, buildId: string, file: string): Promise<Response | null> {
    if (buildId !== this.#snapshot.version) return null;
    return await serveFile(req, join(this.#jsDir, file), IMMUTABLE);
  }
}
