/**
 * The split's drift at scale (issue 16): time of `computeSplitDrift` over a synthetic dataset
 * (default Bosch scale: 1,183,747 rows × 100 features over 7 days, split as .NET does), how much
 * of it is the column reads alone, and the server thread's event-loop lag meanwhile (5 ms timer;
 * the binning and counting run in `drift_worker.ts`, so only the reads' I/O should show).
 *
 * ```sh
 * deno run -A bench/split_drift.ts [--rows 1183747] [--features 100] [--repeat 2]
 * ```
 *
 * @module
 */
import { parseArgs } from "node:util";
import { withTestServices } from "../lib/testing.ts";
import { installSyntheticDataset } from "../lib/pipeline/train/testdata/synthetic_dataset.ts";
import { createSplit } from "../lib/pipeline/split/split.ts";
import { computeSplitDrift, sampleBlocks } from "../lib/pipeline/split/split_drift.ts";
import { openColumnTable } from "../lib/data/column_table.ts";
import { startWorkerHost, stopWorkerHost } from "../lib/worker/host.ts";
import { DOTNET_SPLIT_BODY, formatStageLag, LagProbe } from "./harness.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: {
    rows: { type: "string", default: "1183747" },
    features: { type: "string", default: "100" },
    repeat: { type: "string", default: "2" },
  },
});
const body = JSON.parse(DOTNET_SPLIT_BODY) as Record<string, string>;
const window = (name: string) => ({
  start_ms: Date.parse(body[`${name}_start_date`]),
  end_ms: Date.parse(body[`${name}_end_date`].replace(/(\.\d{3})\d+Z$/, "$1Z")),
});

startWorkerHost();
await withTestServices(async (services) => {
  await installSyntheticDataset(services, {
    rows: Number(values.rows),
    features: Number(values.features),
    seed: 5,
  });
  const { split } = await createSplit(services, {
    train: window("train"),
    test: window("test"),
    simulation: window("simulation"),
  });
  console.log(
    `# split drift: ${values.rows} rows × ${values.features} features; windows train ` +
      `${split.rows.train}, simulation ${split.rows.simulation} rows`,
  );
  await new Promise((r) => setTimeout(r, 2000)); // the host's pool
  for (let k = 0; k < Number(values.repeat); k++) {
    const probe = new LagProbe();
    probe.stage("reads only");
    let t = performance.now();
    const table = await openColumnTable(services.storage, split.table_prefix);
    for (const f of split.feature_names) {
      for (const range of [split.ranges.train, split.ranges.simulation]) {
        await Promise.all(sampleBlocks(...range).map(([s, e]) => table.readRows(s, e, [f])));
      }
    }
    const readMs = performance.now() - t;
    const times: string[] = [];
    for (const workers of [1, 2]) {
      probe.stage(`drift, ${workers} worker(s)`);
      t = performance.now();
      await computeSplitDrift(services, split, { workers });
      const ms = performance.now() - t;
      const perFeature = ms / split.feature_names.length;
      times.push(
        `${workers} worker(s) ${ms.toFixed(0)} ms (${perFeature.toFixed(1)} ms a feature)`,
      );
    }
    const lags = probe.stop();
    console.log(
      `run ${k + 1}: drift with ${times.join(", ")}; the same reads alone ${readMs.toFixed(0)} ms`,
    );
    for (const l of lags) console.log(`  ${formatStageLag(l)}`);
  }
  console.log(`load average: ${Deno.loadavg().map((x) => x.toFixed(2)).join(" ")}`);
}, { taskMode: "inprocess", logLevel: "warn", splitSampleFraction: 1 });
stopWorkerHost();
