/**
 * `deno task bench`: runs every benchmark under bench/ one after another, each in its own
 * process (so peak RSS and timings belong to it), and prints a closing table of exit codes and
 * wall times. Each benchmark prints its own figures and ratios against a reference measured in
 * the same run; this script only sequences them — running two at once on 2 cores would make
 * both figures meaningless.
 *
 *     deno task bench                       # all (tens of minutes: multi-GB data is generated)
 *     deno task bench train_vs_xgboost ingest   # a selection, by file name without .ts
 *
 * Extra arguments after `--` go to every selected benchmark.
 *
 * @module
 */

/** Benchmarks in the order they run; cheap ones first. */
const BENCHMARKS = [
  "onnx_scoring",
  "explain",
  "parity_vs_xgboost",
  "train_vs_xgboost",
  "model_quality",
  "multipart",
  "ingest",
  "ingest_select",
  "ingest_http",
  "table_format",
  "split_train",
  "simulation_pacing",
] as const;

/** Runtime flags a benchmark needs (split_train collects its synthesized table's garbage). */
const RUNTIME_FLAGS: Record<string, string[]> = { split_train: ["--v8-flags=--expose-gc"] };

const dashdash = Deno.args.indexOf("--");
const names = dashdash === -1 ? Deno.args : Deno.args.slice(0, dashdash);
const passThrough = dashdash === -1 ? [] : Deno.args.slice(dashdash + 1);
const unknown = names.filter((n) => !(BENCHMARKS as readonly string[]).includes(n));
if (unknown.length > 0) {
  console.error(`Unknown benchmark(s): ${unknown.join(", ")}. Known: ${BENCHMARKS.join(", ")}`);
  Deno.exit(2);
}
const selected = names.length > 0 ? names : [...BENCHMARKS];

const results: { name: string; code: number; seconds: number }[] = [];
for (const name of selected) {
  console.log(`\n=== bench/${name}.ts ${passThrough.join(" ")}`);
  const t0 = performance.now();
  const { code } = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-A",
      ...(RUNTIME_FLAGS[name] ?? []),
      new URL(`./${name}.ts`, import.meta.url).pathname,
      ...passThrough,
    ],
    stdout: "inherit",
    stderr: "inherit",
  }).output();
  results.push({ name, code, seconds: (performance.now() - t0) / 1000 });
}

console.log("\n=== summary");
for (const r of results) {
  console.log(`${r.code === 0 ? "ok  " : "FAIL"} ${r.name.padEnd(20)} ${r.seconds.toFixed(1)} s`);
}
Deno.exit(results.every((r) => r.code === 0) ? 0 : 1);
