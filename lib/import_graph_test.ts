/**
 * The layering rules, read from the source: every static import, re-export, dynamic import and
 * worker module (`new URL("…", import.meta.url)`) of every TypeScript file is resolved and checked
 * against the rules below, so a forbidden edge fails here instead of growing unnoticed.
 *
 * - `lib/data`, `lib/ml`, `lib/worker` and `lib/wasm` are libraries: they import nothing of the app (tasks,
 *   pipeline, API, services, web layer, routes…), only each other as listed in `LIBRARY_DEPS`.
 * - Everything outside `lib/ml` uses the trainer through `lib/ml/mod.ts` only (its test data in
 *   `lib/ml/testdata/` is data, not API: benchmarks may load it); tests inside `lib/ml` import
 *   its modules directly.
 */
import assert from "node:assert/strict";
import { join, normalize, relative } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("../", import.meta.url));
const SKIP_DIRS = new Set(["node_modules", "_fresh", "storage", ".git", ".data"]);

/** What each library folder may import besides itself and packages (npm:, node:, import map). */
const LIBRARY_DEPS: Record<string, string[]> = {
  "lib/worker/": [],
  "lib/random/": [],
  "lib/wasm/": [],
  "lib/ml/": ["lib/worker/", "lib/random/", "lib/wasm/"],
  "lib/data/": ["lib/worker/", "lib/random/", "lib/storage/", "lib/wasm/"],
};

/** Repository-relative paths of every .ts/.tsx file. */
async function sourceFiles(dir = ROOT): Promise<string[]> {
  const out: string[] = [];
  for await (const e of Deno.readDir(dir)) {
    const path = join(dir, e.name);
    if (e.isDirectory && !SKIP_DIRS.has(e.name) && !e.name.startsWith(".")) {
      out.push(...await sourceFiles(path));
    } else if (e.isFile && /\.tsx?$/.test(e.name)) out.push(relative(ROOT, path));
  }
  return out;
}

const SPECIFIER_PATTERNS = [
  /^\s*(?:import|export)\s[^;]*?\sfrom\s+["']([^"']+)["']/gm,
  /^\s*import\s+["']([^"']+)["']/gm,
  /\bimport\(\s*["']([^"']+)["']\s*\)/g,
  /\bnew URL\(\s*["']([^"']+)["']\s*,\s*import\.meta\.url\s*\)/g,
];

/** Relative specifiers of a file's source, resolved to repository-relative paths. */
export function localImports(file: string, source: string): string[] {
  const code = source.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
  const out = new Set<string>();
  for (const re of SPECIFIER_PATTERNS) {
    for (const m of code.matchAll(re)) {
      const spec = m[1];
      if (!spec.startsWith(".") || !/\.tsx?$/.test(spec)) continue;
      out.add(normalize(join(file, "..", spec)));
    }
  }
  return [...out];
}

/** All edges `[from, to]` between local files. */
async function importGraph(): Promise<[string, string][]> {
  const edges: [string, string][] = [];
  for (const file of await sourceFiles()) {
    const source = await Deno.readTextFile(join(ROOT, file));
    for (const to of localImports(file, source)) edges.push([file, to]);
  }
  return edges;
}

const edges = await importGraph();

Deno.test("import graph: the parser sees imports, re-exports, dynamic imports and workers", () => {
  const src = `import { a } from "./a.ts";\nexport * from "../b/c.ts";\n` +
    `import type {\n  D,\n} from "./d.ts";\nimport "./side.ts";\n` +
    `const m = await import("./lazy.ts");\nnew Worker(new URL("./w.ts", import.meta.url));\n` +
    `// import { x } from "./commented.ts";\n`;
  assert.deepEqual(localImports("lib/x/y.ts", src).sort(), [
    "lib/b/c.ts",
    "lib/x/a.ts",
    "lib/x/d.ts",
    "lib/x/lazy.ts",
    "lib/x/side.ts",
    "lib/x/w.ts",
  ]);
  assert.ok(edges.length > 100, `only ${edges.length} edges found`);
});

Deno.test("import graph: lib/data, lib/ml and lib/worker import nothing of the app", () => {
  const bad = edges.filter(([from, to]) => {
    const lib = Object.keys(LIBRARY_DEPS).find((dir) => from.startsWith(dir));
    if (!lib) return false;
    return !to.startsWith(lib) && !LIBRARY_DEPS[lib].some((dir) => to.startsWith(dir));
  });
  assert.deepEqual(bad.map(([f, t]) => `${f} → ${t}`), []);
});

Deno.test("import graph: outside lib/ml only lib/ml/mod.ts is imported", () => {
  const bad = edges.filter(([from, to]) =>
    !from.startsWith("lib/ml/") && to.startsWith("lib/ml/") && to !== "lib/ml/mod.ts" &&
    !to.startsWith("lib/ml/testdata/")
  );
  assert.deepEqual(bad.map(([f, t]) => `${f} → ${t}`), []);
});
