/**
 * The file system crawl of the build: route files and island files of a project, as paths
 * relative to their folder (sorted, `/`-separated). Only `Builder` crawls; a production app
 * gets these lists from its snapshot.
 *
 * @module
 */
import { join } from "node:path";
import { classifyRouteFile } from "../fs_routes.ts";

const TEST_FILE = /(^|[_.])test\.[jt]sx?$/;

async function walk(
  root: string,
  keepDir: (name: string) => boolean,
  keepFile: (rel: string) => boolean,
): Promise<string[]> {
  const out: string[] = [];
  async function visit(sub: string): Promise<void> {
    for await (const entry of Deno.readDir(join(root, sub))) {
      if (entry.name.startsWith(".")) continue;
      const rel = sub ? `${sub}/${entry.name}` : entry.name;
      if (entry.isDirectory) {
        if (keepDir(entry.name)) await visit(rel);
      } else if (entry.isFile && keepFile(rel)) {
        out.push(rel);
      }
    }
  }
  await visit("");
  return out.sort();
}

/** The route files of a folder (private `(_folders)`, helpers and tests left out). */
export function crawlRouteFiles(routeDir: string): Promise<string[]> {
  return walk(routeDir, (name) => !/^\(_.*\)$/.test(name), (rel) => !!classifyRouteFile(rel));
}

/** The island files of a folder; empty when it does not exist. */
export async function crawlIslandFiles(islandDir: string): Promise<string[]> {
  try {
    return await walk(
      islandDir,
      () => true,
      (rel) => /\.(tsx?|jsx?)$/.test(rel) && !TEST_FILE.test(rel),
    );
  } catch (err) {
    if (err instanceof Deno.errors.NotFound) return [];
    throw err;
  }
}
