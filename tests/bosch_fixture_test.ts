import assert from "node:assert/strict";
import { boschCsv, boschFixture, thresholdLabel } from "./bosch_fixture.ts";

Deno.test("boschFixture: seeded, time-ordered, clean days clean, stations empty together", () => {
  const a = boschFixture({ rows: 2000, features: 12, cleanDays: [0], seed: 3 });
  const b = boschFixture({ rows: 2000, features: 12, cleanDays: [0], seed: 3 });
  assert.deepEqual(a, b);
  assert.equal(a.rows, 2000);
  for (let i = 1; i < a.rows; i++) assert.ok(a.timestamps[i] >= a.timestamps[i - 1]);
  const day0 = a.timestamps[0] + 86_400_000;
  for (let i = 0; i < a.rows && a.timestamps[i] < day0; i++) assert.equal(a.labels[i], 0);
  assert.ok(a.positives > 0 && a.positives < a.rows * 0.2, `positives ${a.positives}`);

  const s = boschFixture({ rows: 500, features: 20, stationSize: 10, missingRate: () => 0.5 });
  for (let i = 0; i < s.rows; i++) {
    for (const first of [0, 10]) {
      const empty = Number.isNaN(s.features[first][i]);
      for (let j = first; j < first + 10; j++) {
        assert.equal(Number.isNaN(s.features[j][i]), empty);
      }
    }
  }

  const d = boschFixture({ rowsPerDay: 24, days: 6, skipEveryNthDay: 3, label: thresholdLabel });
  assert.equal(d.rows, 4 * 24);
  const csv = boschCsv(d).trimEnd().split("\n");
  assert.equal(csv.length, 1 + d.rows);
  assert.match(csv[0], /^synthetic_timestamp,Id,L0_S0_F0,.*,Response$/);
  assert.match(csv[1], /^2025-01-01 00:00:00,4,/);
});
