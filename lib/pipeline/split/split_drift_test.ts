/**
 * Split-time drift through the app: `GET /split/drift` 404 before a split; a simulation window
 * whose one feature is shifted and another goes missing more often is flagged, the unchanged
 * feature is not; the stored report is what the route serves.
 */
import assert from "node:assert/strict";
import { createApp } from "../../app.ts";
import { withTestServices } from "../../testing.ts";
import { installTable } from "../train/testdata/synthetic_dataset.ts";
import { createSplit } from "./split.ts";
import { computeSplitDrift, getSplitDrift, splitDriftKey } from "./split_drift.ts";
import { SplitDriftSchema } from "../../api/schemas.ts";
import { Rng } from "../../random/mod.ts";
import { tableKeys } from "../../data/column_table.ts";

const DAY = 86_400_000;
const T0 = Date.UTC(2025, 0, 1);

Deno.test("GET /split/drift: 404 before a split; shifted and emptier features flagged", () =>
  withTestServices(async (services) => {
    const handler = (await createApp(services)).handler();
    const get = (path: string) => handler(new Request(`http://localhost${path}`));
    const none = await get("/split/drift");
    assert.equal(none.status, 404);
    assert.ok((await none.json()).detail);

    // 2000 training rows on day 1, 100 test rows on day 2, 500 simulation rows on day 3.
    const nTrain = 2000, nTest = 100, nSim = 500, n = nTrain + nTest + nSim;
    const rng = new Rng(3);
    const stable = new Float32Array(n),
      shifted = new Float32Array(n),
      emptier = new Float32Array(n);
    const timestamps = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const sim = i >= nTrain + nTest;
      timestamps[i] = sim
        ? T0 + 2 * DAY + (i - nTrain - nTest) * 1000
        : i >= nTrain
        ? T0 + DAY + (i - nTrain) * 1000
        : T0 + i * 1000;
      stable[i] = rng.next();
      shifted[i] = rng.next() + (sim ? 0.5 : 0); // half the mass moves past the top decile
      emptier[i] = rng.next() < (sim ? 0.5 : 0.1) ? NaN : rng.next(); // missing 10 % → 50 %
    }
    await installTable(services, {
      rows: n,
      ids: new Float64Array(n).map((_, i) => i + 1),
      labels: new Uint8Array(n),
      timestamps,
      features: [stable, shifted, emptier],
      featureNames: ["L0_S0_F0", "L0_S0_F2", "L0_S0_F4"],
    });
    const { split } = await createSplit(services, {
      train: { start_ms: T0, end_ms: T0 + DAY - 1 },
      test: { start_ms: T0 + DAY, end_ms: T0 + 2 * DAY - 1 },
      simulation: { start_ms: T0 + 2 * DAY, end_ms: T0 + 3 * DAY - 1 },
    });
    // Stored at split time.
    await services.storage.getBytes(splitDriftKey(split.id));

    const res = await get("/split/drift");
    assert.equal(res.status, 200);
    const body = await res.json();
    assert.ok(SplitDriftSchema.safeParse(body).success, JSON.stringify(body));
    assert.equal(body.split_id, split.id);
    assert.equal(body.reference_rows, nTrain);
    assert.equal(body.compared_rows, nSim);
    assert.deepEqual(body.sampled_rows, { train: nTrain, simulation: nSim });
    const by = Object.fromEntries(body.features.map((f: { feature: string }) => [f.feature, f]));
    assert.equal(by.L0_S0_F0.status, "stable", JSON.stringify(by.L0_S0_F0));
    assert.equal(by.L0_S0_F2.status, "drift", JSON.stringify(by.L0_S0_F2));
    assert.equal(by.L0_S0_F4.status, "drift", JSON.stringify(by.L0_S0_F4));
    assert.ok(
      Math.abs(by.L0_S0_F4.missing_change - 0.4) < 0.08,
      String(by.L0_S0_F4.missing_change),
    );
    assert.ok(Math.abs(by.L0_S0_F0.missing_change) < 1e-9);
    assert.equal(body.status, "drift");
    assert.equal(body.drifted, 2);
    assert.equal(body.features[body.features.length - 1].feature, "L0_S0_F0");
    const stored = await getSplitDrift(services, split);
    assert.deepEqual(stored.simulation.features, body.features);
  }));

Deno.test("split drift: the worker reading the local column file = values read on this thread", () =>
  withTestServices(async (services) => {
    // 3000 rows over 3 days; capped at 1000 rows a window so the windows are read in blocks.
    const n = 3000, rng = new Rng(11);
    const features = Array.from(
      { length: 3 },
      (_, f) =>
        Float32Array.from({ length: n }, (_, i) => rng.next() < 0.3 ? NaN : rng.next() + f * i / n),
    );
    await installTable(services, {
      rows: n,
      ids: new Float64Array(n).map((_, i) => i + 1),
      labels: new Uint8Array(n),
      timestamps: new Float64Array(n).map((_, i) => T0 + i * (3 * DAY / n)),
      features,
      featureNames: ["L0_S0_F0", "L0_S0_F2", "L0_S0_F4"],
    });
    const { split } = await createSplit(services, {
      train: { start_ms: T0, end_ms: T0 + DAY - 1 },
      test: { start_ms: T0 + DAY, end_ms: T0 + 2 * DAY - 1 },
      simulation: { start_ms: T0 + 2 * DAY, end_ms: T0 + 3 * DAY - 1 },
    });
    assert.ok(services.storage.localPath(tableKeys(split.table_prefix).manifest), "local store");
    const viaFile = await computeSplitDrift(services, split, { maxRows: 400 });
    const viaValues = await computeSplitDrift(services, split, { maxRows: 400, localFiles: false });
    assert.deepEqual(viaFile.sampled_rows, { train: 400, simulation: 400 });
    assert.deepEqual(viaFile.bins, viaValues.bins);
    assert.deepEqual(viaFile.simulation, viaValues.simulation);
    // Blocks spread over the window: not the first 400 rows only.
    const firstRows = await computeSplitDrift(services, {
      ...split,
      ranges: { train: [0, 400], simulation: split.ranges.simulation },
    }, { maxRows: 400 });
    assert.notDeepEqual(firstRows.bins, viaFile.bins);
  }));
