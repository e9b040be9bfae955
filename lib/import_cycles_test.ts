/**
 * No import cycles among the project's own modules, type-only imports included: a cycle makes
 * module initialisation order matter and hides which layer depends on which. The graph comes
 * from `deno info --json` over every source file (exactly Deno's own resolution, import map
 * included), so nothing is parsed by hand here.
 *
 * @module
 */
import assert from "node:assert/strict";
import { relative } from "node:path";
import { fileURLToPath as fromFileUrl, pathToFileURL } from "node:url";

const ROOT = fromFileUrl(new URL("../", import.meta.url));
/** Generated, vendored or data folders. */
const SKIP = new Set(["node_modules", "storage", "_fresh", ".data", ".git"]);

async function* sourceFiles(dir: string): AsyncGenerator<string> {
  for await (const entry of Deno.readDir(dir)) {
    if (entry.name.startsWith(".") || SKIP.has(entry.name)) continue;
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory) yield* sourceFiles(path);
    else if (/\.(ts|tsx)$/.test(entry.name) && !entry.name.endsWith(".d.ts")) yield path;
  }
}

interface InfoModule {
  specifier: string;
  dependencies?: { code?: { specifier: string }; type?: { specifier: string } }[];
}

/** file URL → the project files it imports (code or type-only). */
async function importGraph(): Promise<Map<string, string[]>> {
  const files: string[] = [];
  for await (const f of sourceFiles(ROOT.replace(/\/$/, ""))) files.push(f);
  // One entry module importing every file gives the whole graph in a single `deno info` run.
  const entry = await Deno.makeTempFile({ suffix: ".ts" });
  try {
    await Deno.writeTextFile(
      entry,
      files.map((f) => `import type {} from ${JSON.stringify(pathToFileURL(f).href)};`).join("\n"),
    );
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["info", "--json", "--config", `${ROOT}deno.json`, entry],
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.ok(out.success, new TextDecoder().decode(out.stderr));
    const info = JSON.parse(new TextDecoder().decode(out.stdout)) as { modules: InfoModule[] };
    const rootUrl = pathToFileURL(ROOT).href;
    const own = (s: string | undefined): s is string => !!s && s.startsWith(rootUrl);
    const graph = new Map<string, string[]>();
    for (const m of info.modules) {
      if (!own(m.specifier)) continue;
      const deps = (m.dependencies ?? []).flatMap((d) => [d.code?.specifier, d.type?.specifier]);
      graph.set(m.specifier, [...new Set(deps.filter(own))]);
    }
    return graph;
  } finally {
    await Deno.remove(entry);
  }
}

/** Strongly connected components with more than one module, or a module importing itself. */
function cycles(graph: Map<string, string[]>): string[][] {
  // Tarjan's algorithm, iterative (deep import chains would overflow a recursive one).
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  for (const start of graph.keys()) {
    if (index.has(start)) continue;
    const work: [string, number][] = [[start, 0]];
    while (work.length) {
      const frame = work[work.length - 1];
      const [v, i] = frame;
      if (i === 0) {
        index.set(v, counter);
        low.set(v, counter++);
        stack.push(v);
        onStack.add(v);
      }
      const deps = graph.get(v) ?? [];
      if (i < deps.length) {
        frame[1]++;
        const w = deps[i];
        if (!index.has(w)) work.push([w, 0]);
        else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
        continue;
      }
      work.pop();
      if (work.length) {
        const parent = work[work.length - 1][0];
        low.set(parent, Math.min(low.get(parent)!, low.get(v)!));
      }
      if (low.get(v) === index.get(v)) {
        const scc: string[] = [];
        let w: string;
        do {
          w = stack.pop()!;
          onStack.delete(w);
          scc.push(w);
        } while (w !== v);
        if (scc.length > 1 || deps.includes(v)) found.push(scc);
      }
    }
  }
  return found;
}

Deno.test("import graph: no cycles among the project's modules (type-only imports included)", async () => {
  const graph = await importGraph();
  assert.ok(graph.size > 100, `only ${graph.size} modules found`);
  const names = cycles(graph).map((scc) =>
    scc.map((u) => relative(ROOT, fromFileUrl(u))).sort().join(" ↔ ")
  );
  assert.deepEqual(names, [], `import cycles:\n${names.join("\n")}`);
});

Deno.test("import graph: cycle detection sees a two-module cycle and a self-import", () => {
  const graph = new Map([["a", ["b"]], ["b", ["a", "c"]], ["c", []], ["d", ["d"]]]);
  assert.deepEqual(cycles(graph).map((c) => c.sort()), [["a", "b"], ["d"]]);
});
