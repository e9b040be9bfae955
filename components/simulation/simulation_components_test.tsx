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
import { FailLog } from "./FailLog.tsx";
import { DriftPanel } from "../DriftPanel.tsx";
import { QcFigures } from "../QcFigures.tsx";

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
  const html = render(<CurrentPrediction latest={fixturePacket(3)} threshold={0.35} />);
  assert.match(html, /<section class="qc-card qc-current" aria-labelledby="sim-current"/);
  assert.match(html, /class="qc-verdict qc-verdict-fail"/);
  // A Fail shows its own probability, P(fail) (not the contract's P(pass) confidence).
  assert.match(text(html), /Fail P\(fail\) 68\.5 ?% Sample SAMPLE_28815/);
  assert.match(text(html), /Called Fail at P\(fail\) ≥ 35\.0 %/);
  // Why: signed bars, + towards Fail; a missing value says so.
  assert.match(text(html), /Why: the row's top 5 contributions/);
  assert.match(text(html), /L3_S1_F14 -0\.052 \+1\.900/);
  assert.match(text(html), /L3_S6_F54 — \(missing\) \+0\.900/);
  assert.match(text(html), /L0_S0_F0 0\.094 −0\.200/);
  assert.match(html, /class="qc-shap-bar qc-shap-fail" style="width:50\.0%;left:50%;"/);
  assert.match(html, /class="qc-shap-bar qc-shap-pass" style="width:5\.3%;right:50%;"/);
  const pass = text(render(<CurrentPrediction latest={fixturePacket(4)} />));
  assert.match(pass, /Pass P\(pass\) 98\.8 ?%/);
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
  assert.match(t, /ended 2025-01-01 00:36:10 UTC · 1 row\/s · Fail when P\(fail\) ≥ 4\.0 %/);

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

Deno.test("FailLog: counter, CSV link, each failure with its signed bars; empty note", () => {
  const p = fixturePacket(3);
  const failure = {
    row: 3,
    sample_id: p.live_prediction.sample_id,
    timestamp: p.live_prediction.timestamp,
    p_fail: p.p_fail!,
    response: 1 as const,
    explanation: p.explanation!,
  };
  const html = render(
    <FailLog taskId="sim 1" log={{ failures: [failure], failCount: 4, error: null }} />,
  );
  assert.match(html, /href="\/simulation\/sim%201\/failures\?format=csv"/);
  assert.match(text(html), /4 failures · Export CSV/);
  assert.match(text(html), /The newest 1 of 4; the CSV export has them all/);
  assert.match(
    text(html),
    /Row 3 · SAMPLE_28815 · .* P\(fail\) 68\.5 ?% · actual: Fail \(caught\)/,
  );
  assert.equal(html.match(/class="qc-shap-bar/g)?.length, 3);
  const empty = render(<FailLog taskId="x" log={{ failures: [], failCount: 0, error: null }} />);
  assert.match(text(empty), /0 failures .* No part has been predicted to fail/);
});

Deno.test("DriftPanel: drifted features with PSI and missing change; none; no report", () => {
  const features = [
    {
      feature: "F_shift",
      psi: 0.41,
      status: "drift" as const,
      reference_missing: 0.1,
      compared_missing: 0.5,
      missing_change: 0.4,
    },
    {
      feature: "F_ok",
      psi: 0.01,
      status: "stable" as const,
      reference_missing: 0,
      compared_missing: 0,
      missing_change: 0,
    },
  ];
  const report = {
    status: "drift" as const,
    reference_rows: 2000,
    compared_rows: 500,
    drifted: 1,
    thresholds: { watch: 0.1, drift: 0.25, epsilon: 1e-4, min_rows: 100 },
    features,
  };
  const t = text(render(<DriftPanel drift={report} what="The simulation window" />));
  assert.match(t, /1 of 2 features drifted/);
  assert.match(t, /F_shift 0\.41 drift \+40\.0 pts/);
  assert.doesNotMatch(t, /F_ok/);
  const calm = { ...report, status: "stable" as const, drifted: 0, features: [features[1]] };
  assert.match(text(render(<DriftPanel drift={calm} what="x" />)), /No feature drifted/);
  assert.match(text(render(<DriftPanel drift={null} what="x" />)), /No drift report yet/);
});

Deno.test("QcFigures: caught of total, false alarms per 1,000, all-pass baseline", () => {
  const t = text(render(<QcFigures matrix={summary.confusion_matrix} />));
  assert.match(t, /Failures caught 4 of 23/);
  assert.match(t, /False alarms 5\.2 per 1,000/);
  assert.match(t, /All-pass baseline 96\.0 ?% .* the model: 96\.2 ?%/);
});
