/**
 * `Builder` (Fresh 2's `fresh/dev`): crawls `routes/` and `islands/` and builds what an `App`
 * serves.
 *
 * ```ts
 * import { Builder } from "fresh/dev";
 * const builder = new Builder({ root: import.meta.dirname });
 * await builder.build();            // deno task build: bundles + <outDir>/snapshot.js
 *
 * const applySnapshot = await builder.build({ mode: "development", snapshot: "memory" });
 * applySnapshot(app);               // development and tests: routes crawled now, bundles lazy
 * ```
 *
 * A disk build writes the minified bundles to `<outDir>/js/<buildId>/` and `<outDir>/snapshot.js`,
 * a module that imports every route and island statically; a production entry attaches it with
 * `setBuildCache(app, new ProdBuildCache(root, snapshot), "production")` (`fresh/internal`), so
 * nothing is crawled or bundled at start-up.
 *
 * @module
 */
import { isAbsolute, join, relative, sep } from "node:path";
import { pathToFileURL } from "node:url";
import { type BuildSnapshot, ProdBuildCache, setBuildCache } from "../build_cache.ts";
import type { App } from "../app.ts";
import { bundleIslands } from "./esbuild.ts";
import { crawlIslandFiles, crawlRouteFiles } from "./fs_crawl.ts";
import { importAll, MemoryBuildCache } from "./memory_build_cache.ts";

/** Options of `new Builder()`; folders are relative to `root`. */
export interface BuildOptions {
  /** Project root (default: the working directory). */
  root?: string;
  /** Build output folder (default `_fresh`). */
  outDir?: string;
  /** Static files folder (default `static`). */
  staticDir?: string;
  /** Islands folder (default `islands`). */
  islandDir?: string;
  /** File routes folder (default `routes`). */
  routeDir?: string;
}

/** The resolved options: absolute folders. */
export type ResolvedBuildConfig = Required<BuildOptions>;

/** What `build()` returns: attaches the build to an app (before `app.handler()`). */
export type ApplySnapshot<State> = (app: App<State>) => void;

/** See the module docs. */
// deno-lint-ignore no-explicit-any
export class Builder<State = any> {
  /** The resolved options. */
  readonly config: ResolvedBuildConfig;

  constructor(options: BuildOptions = {}) {
    const root = absolute(options.root ?? ".", Deno.cwd());
    this.config = {
      root,
      outDir: absolute(options.outDir ?? "_fresh", root),
      staticDir: absolute(options.staticDir ?? "static", root),
      islandDir: absolute(options.islandDir ?? "islands", root),
      routeDir: absolute(options.routeDir ?? "routes", root),
    };
  }

  /**
   * Build. `snapshot: "disk"` (default) writes `<outDir>/` as described in the module docs;
   * `"memory"` keeps everything in memory and bundles islands on the first page that needs
   * them. `mode` (default `production`) minifies bundles and is the mode the app runs in.
   */
  async build(
    options: { mode?: "development" | "production"; snapshot?: "disk" | "memory" } = {},
  ): Promise<ApplySnapshot<State>> {
    const mode = options.mode ?? "production";
    const { root, routeDir, islandDir, staticDir } = this.config;
    const [routes, islands] = await Promise.all([
      crawlRouteFiles(routeDir).then((files) => importAll(routeDir, files)),
      crawlIslandFiles(islandDir).then((files) => importAll(islandDir, files)),
    ]);
    const memory = new MemoryBuildCache<State>(
      { root, staticDir, minify: mode === "production" },
      routes,
      islands,
    );
    if (options.snapshot === "memory") return (app) => setBuildCache(app, memory, mode);

    const output = await bundleIslands({
      root,
      islands: memory.islands.entries(),
      minify: mode === "production",
    });
    const entries = memory.islands.entries();
    const snapshotFile = await this.#write(output.buildId, output.files, {
      routes: routes.map((r) => r.file),
      islands: islands.map((i) => ({ file: i.file, entry: entries.get(i.file)! })),
      client: output.client,
    });
    // Importing the snapshot here proves it loads before anyone deploys it.
    const url = `${pathToFileURL(snapshotFile).href}?v=${output.buildId}`;
    const snapshot = await import(url) as BuildSnapshot;
    const prod = new ProdBuildCache<State>(root, snapshot);
    return (app) => setBuildCache(app, prod, mode);
  }

  async #write(
    buildId: string,
    files: Map<string, Uint8Array>,
    found: { routes: string[]; islands: { file: string; entry: string }[]; client: string },
  ): Promise<string> {
    const { outDir, root, routeDir, islandDir, staticDir } = this.config;
    await Deno.remove(outDir, { recursive: true }).catch((err) => {
      if (!(err instanceof Deno.errors.NotFound)) throw err;
    });
    const jsDir = join(outDir, "js", buildId);
    await Deno.mkdir(jsDir, { recursive: true });
    for (const [name, bytes] of files) await Deno.writeFile(join(jsDir, name), bytes);
    const spec = (file: string) => {
      const rel = posix(relative(outDir, file)).split("/").map(escapeSegment).join("/");
      return JSON.stringify(rel.startsWith("../") ? rel : `./${rel}`);
    };
    const lines = [
      "// Generated by the build (lib/fresh/dev/builder.ts): do not edit.",
      ...found.routes.map((f, i) => `import * as route_${i} from ${spec(f)};`),
      ...found.islands.map((isl, i) => `import * as island_${i} from ${spec(isl.file)};`),
      `export const version = ${JSON.stringify(buildId)};`,
      `export const clientEntry = ${JSON.stringify(found.client)};`,
      `export const outDir = ${JSON.stringify(posix(relative(root, outDir)))};`,
      `export const staticDir = ${JSON.stringify(posix(relative(root, staticDir)))};`,
      "export const fsRoutes = [",
      ...found.routes.map((f, i) =>
        `  { rel: ${JSON.stringify(posix(relative(routeDir, f)))}, mod: route_${i} },`
      ),
      "];",
      "export const islands = [",
      ...found.islands.map(({ file, entry }, i) =>
        `  { file: ${JSON.stringify(posix(relative(islandDir, file)))}, ` +
        `entry: ${JSON.stringify(entry)}, js: ${JSON.stringify(`${entry}.js`)}, mod: island_${i} },`
      ),
      "];",
      "",
    ];
    const snapshotFile = join(outDir, "snapshot.js");
    await Deno.writeTextFile(snapshotFile, lines.join("\n"));
    return snapshotFile;
  }
}

function absolute(dir: string, root: string): string {
  if (dir.startsWith("file://")) return new URL(dir).pathname;
  return isAbsolute(dir) ? dir : join(root, dir);
}

function posix(path: string): string {
  return path.split(sep).join("/");
}

/** Characters a relative import specifier cannot carry as they are. */
function escapeSegment(segment: string): string {
  return segment.replace(/[%#? ]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
