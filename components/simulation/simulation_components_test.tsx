/**
 * The simulation page's parts with packets and a summary (the island's server rendering only
 * shows them empty: packets arrive after hydration).
 */
import assert from "node:assert/strict";
import { render } from "preact-render-to-string";
import { fixturePacket } from "../../lib/ui/fixtures.ts";
import type { SimSummary } from "../../lib/ui/types.ts";
import { CurrentPrediction } from "./CurrentPrediction.tsx";
import { PacketsTable } from "./PacketsTable.tsx";
import { RunningStats } from "./RunningStats.tsx";
import { RunStatus } from "./RunStatus.tsx";
import { SimulationSummary } from "./SimulationSummary.tsx";
import { QualityChart } from "./QualityChart.tsx";

const text = (html: string) => html.replace(/<[^>]+>/g, " ").replace(/\s+/g, " ");

const summary: SimSummary = {
  task_id: "sim-1",
  model_id: "m",
  split_id: "s",
  dataset_id: "d",
  status: "SUCCESS",
  final: true,
  total_rows: 2170,
  processed: 2170,
  pass_count: 2000,
  fail_count: 170,
  pass_rate: 2000 / 2170,
  average_confidence: 88.1,
  threshold: 0.04,
  confusion_matrix: {
    true_positives: 4,
    false_positives: 3,
    true_negatives: 556,
    false_negatives: 19,
  },
  accuracy: 0.95,
  rows_per_second: 1,
  started_at: "2025-01-01T00:00:00Z",
  updated_at: "2025-01-01T00:36:10Z",
  finished_at: "2025-01-01T00:36:10Z",
};

Deno.test("CurrentPrediction: verdict, facts and top features; waiting before a packet", () => {
  const html = render(<CurrentPrediction latest={fixturePacket(3)} />);
  assert.match(html, /<section class="qc-card qc-current" aria-labelledby="sim-current"/);
  assert.match(html, /class="qc-verdict qc-verdict-fail"/);
  assert.match(text(html), /Fail 31\.5 confidence Sample SAMPLE_28815/);
  assert.match(text(html), /L3_S6_F54 — /);
  assert.match(text(render(<CurrentPrediction latest={null} />)), /Waiting for the first packet/);
});

Deno.test("PacketsTable: newest first, one column per top feature", () => {
  const html = render(<PacketsTable rows={[fixturePacket(4), fixturePacket(3)]} />);
  assert.equal(html.match(/<tbody>.*<\/tbody>/s)?.[0].match(/<tr>/g)?.length, 2);
  assert.match(
    text(html),
    /Row Timestamp Sample Prediction Confidence L3_S1_F14 L3_S6_F54 L0_S0_F0/,
  );
  assert.match(html, /qc-tag qc-tag-pass.*qc-tag qc-tag-fail/s);
  assert.match(text(render(<PacketsTable rows={[]} />)), /No packets yet/);
});

Deno.test("RunningStats: from the packet, else the summary", () => {
  const live = text(
    render(<RunningStats latest={fixturePacket(9)} summary={summary} simulationRows={1} />),
  );
  assert.match(live, /Rows replayed 10 \/ 2,170/);
  assert.match(live, /Predictions 10 Pass 9 Fail 1 Avg confidence 89\.9/);
  const done = text(render(<RunningStats latest={null} summary={summary} simulationRows={1} />));
  assert.match(done, /Rows replayed 2,170 \/ 2,170/);
});

Deno.test("SimulationSummary and RunStatus", () => {
  const t = text(render(<SimulationSummary summary={summary} />));
  assert.match(t, /Summary Success Rows replayed 2,170 \/ 2,170 Pass rate 92\.17 %/);
  assert.match(t, /Accuracy vs actual 95\.00 %/);
  assert.match(t, /ended 2025-01-01 00:36:10 UTC · 1 row\/s · threshold 0\.040/);

  const status = text(render(
    <RunStatus
      task={{ task_id: "sim-1", status: "SUCCESS", progress: null, result: { message: "Done." } }}
      latest={fixturePacket(0)}
      transport="polling"
      error="Stop failed"
      notice={null}
    />,
  ));
  assert.match(status, /Simulation error Stop failed task sim-1 · live via polling Done\./);
});

Deno.test("QualityChart: the canvas once there are points", () => {
  const points = [{ x: 0, y: 99, fail: false }];
  assert.match(render(<QualityChart points={points} qualityLine={96} />), /role="img"/);
  assert.match(
    text(render(<QualityChart points={[]} qualityLine={96} />)),
    /Quality score \(last 300 rows\) The chart starts with the first packet/,
  );
});
