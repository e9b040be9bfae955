/**
 * Island bundling with esbuild: one entry per island file plus the client runtime, ESM with code
 * splitting (shared chunks, one Preact instance). Bare imports go through the project's
 * `deno.json` import map; `npm:` packages resolve from `node_modules/` (`nodeModulesDir`).
 *
 * @module
 */
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { IslandAssets } from "../render.ts";

/** Bundles of one build, in memory. */
export interface BuildOutput extends IslandAssets {
  /** File name (`client.js`, `chunk-XXXX.js`) → contents. */
  files: Map<string, Uint8Array>;
}

const CLIENT_ENTRY = fileURLToPath(new URL("../client.ts", import.meta.url));

// esbuild runs one child process per JS process; builds are serialized so that `stop()` after a
// build never kills another build in flight (and leaves no child process behind for tests).
let queue: Promise<unknown> = Promise.resolve();

/**
 * Bundle the client runtime and the given island files (absolute path → entry name).
 *
 * ```ts
 * const out = await bundleIslands({ root, islands: new Map([[file, "island-counter"]]) });
 * ```
 */
export function bundleIslands(opts: {
  root: string;
  islands: Map<string, string>;
  minify?: boolean;
}): Promise<BuildOutput> {
  const run = queue.then(() => runEsbuild(opts));
  queue = run.catch(() => {});
  return run;
}

async function runEsbuild(opts: {
  root: string;
  islands: Map<string, string>;
  minify?: boolean;
}): Promise<BuildOutput> {
  const esbuild = await import("esbuild");
  const entryPoints: Record<string, string> = { client: CLIENT_ENTRY };
  for (const [file, entry] of opts.islands) entryPoints[entry] = file;
  const outdir = join(opts.root, ".fresh-out");
  try {
    const result = await esbuild.build({
      entryPoints,
      absWorkingDir: opts.root,
      bundle: true,
      splitting: true,
      format: "esm",
      platform: "browser",
      target: "es2022",
      write: false,
      outdir,
      entryNames: "[name]",
      chunkNames: "chunk-[hash]",
      jsx: "automatic",
      jsxImportSource: "preact",
      minify: opts.minify ?? false,
      logLevel: "silent",
      legalComments: "none",
      define: {
        "process.env.NODE_ENV": JSON.stringify(opts.minify ? "production" : "development"),
      },
      plugins: [importMapPlugin(await readImportMap(opts.root))],
    });
    const files = new Map<string, Uint8Array>();
    for (const out of result.outputFiles) files.set(relative(outdir, out.path), out.contents);
    const entries = new Map<string, string>();
    for (const entry of opts.islands.values()) entries.set(entry, `${entry}.js`);
    return { buildId: await hashFiles(files), client: "client.js", entries, files };
  } finally {
    await esbuild.stop();
  }
}

async function hashFiles(files: Map<string, Uint8Array>): Promise<string> {
  const parts: Uint8Array[] = [];
  const enc = new TextEncoder();
  for (const name of [...files.keys()].sort()) parts.push(enc.encode(name), files.get(name)!);
  const total = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let off = 0;
  for (const p of parts) {
    total.set(p, off);
    off += p.length;
  }
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", total));
  return [...digest.slice(0, 8)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/**
 * The import map of the nearest `deno.json` at or above `root`: its `imports` and the folder
 * they are relative to (empty when there is none).
 */
export async function readImportMap(
  root: string,
): Promise<{ dir: string; imports: Record<string, string> }> {
  for (let dir = resolve(root);; dir = dirname(dir)) {
    try {
      const json = JSON.parse(await Deno.readTextFile(join(dir, "deno.json")));
      return { dir, imports: json.imports ?? {} };
    } catch (err) {
      if (!(err instanceof Deno.errors.NotFound)) throw err;
    }
    if (dirname(dir) === dir) return { dir: resolve(root), imports: {} };
  }
}

/** `npm:@scope/name@1.2.3/sub` → `@scope/name/sub` (the bare name node_modules resolves). */
export function npmToBare(specifier: string): string {
  const m = /^npm:\/?((?:@[^/]+\/)?[^@/]+)(?:@[^/]*)?(\/.*)?$/.exec(specifier);
  if (!m) throw new Error(`Bad npm specifier: ${specifier}`);
  return m[1] + (m[2] ?? "");
}

/** Resolve a bare specifier through an import map (exact key, `key/` prefix, or npm subpath). */
export function mapSpecifier(specifier: string, imports: Record<string, string>): string | null {
  if (specifier in imports) return imports[specifier];
  let best: string | null = null;
  for (const key of Object.keys(imports)) {
    const target = imports[key];
    const prefix = key.endsWith("/") ? key : target.startsWith("npm:") ? `${key}/` : null;
    if (prefix && specifier.startsWith(prefix) && (!best || prefix.length > best.length)) {
      best = key;
    }
  }
  if (!best) return null;
  const target = imports[best];
  const rest = specifier.slice(best.endsWith("/") ? best.length : best.length + 1);
  return target.endsWith("/") ? target + rest : `${target}/${rest}`;
}

type EsbuildPlugin = import("esbuild").Plugin;

function importMapPlugin(
  { dir: root, imports }: { dir: string; imports: Record<string, string> },
): EsbuildPlugin {
  return {
    name: "deno-import-map",
    setup(build) {
      build.onResolve({ filter: /^[^./]/ }, async (args) => {
        if (args.pluginData?.viaImportMap) return undefined;
        let target = args.path.startsWith("npm:") ? args.path : mapSpecifier(args.path, imports);
        if (target === null) return undefined; // plain bare name: node_modules as usual
        if (/^(node|jsr|https?):/.test(target)) {
          return {
            errors: [{ text: `"${args.path}" (${target}) cannot be bundled for the browser` }],
          };
        }
        if (target.startsWith("npm:")) target = npmToBare(target);
        else if (target.startsWith("./") || target.startsWith("../")) target = join(root, target);
        else if (target.startsWith("file://")) target = fileURLToPath(target);
        const resolved = await build.resolve(target, {
          kind: args.kind,
          resolveDir: root,
          pluginData: { viaImportMap: true },
        });
        if (resolved.errors.length > 0) return { errors: resolved.errors };
        return { path: resolved.path, external: resolved.external };
      });
    },
  };
}
