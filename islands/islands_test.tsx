/**
 * Server rendering of every admin island in its typical and empty states (what the operator
 * sees before hydration). Effects do not run in SSR, so no request is made.
 */
import assert from "node:assert/strict";
import { render } from "preact-render-to-string";
import DatasetUpload from "./DatasetUpload.tsx";
import DatasetOverview from "./DatasetOverview.tsx";
import SplitForm from "./SplitForm.tsx";
import TrainingPanel from "./TrainingPanel.tsx";
import ModelsList from "./ModelsList.tsx";
import SimulationLive from "./SimulationLive.tsx";
import {
  fixtureDataset,
  fixtureModel,
  fixturePacket,
  fixtureSplit,
  fixtureTrainResult,
} from "../lib/ui/fixtures.ts";
import { viewFromModel } from "../lib/ui/training_view.ts";
import { modelRow } from "../lib/ui/model_row.ts";
import type { SimModelInfo, SplitDatasetInfo } from "../lib/ui/admin_data.ts";
import type { TaskStatus } from "../lib/ui/types.ts";

const text = (html: string) =>
  html.replace(/<[^>]+>/g, " ").replace(/&nbsp;/g, " ").replace(/\s+/g, " ");

const dataset = fixtureDataset();
const splitDataset: SplitDatasetInfo = {
  id: dataset.id,
  filename: dataset.filename,
  state: dataset.state,
  rows: dataset.profile!.rows,
  first_timestamp: dataset.profile!.first_timestamp,
  last_timestamp: dataset.profile!.last_timestamp,
  rows_per_day: dataset.profile!.rows_per_day,
};

Deno.test("DatasetUpload: idle form, a pending upload, a failed one", () => {
  const idle = render(<DatasetUpload />);
  assert.match(idle, /<input type="file" name="file" accept="\.csv,text\/csv"/);
  // Without JavaScript the form posts itself to the HTML upload route: the button is enabled.
  assert.match(idle, /<button type="submit" class="qc-button">Upload<\/button>/);
  assert.match(
    idle,
    /<form class="qc-upload" method="post" action="\/admin\/datasets\/upload" enctype="multipart\/form-data">/,
  );
  const pending = render(
    <DatasetUpload
      pending={{
        id: "d9",
        filename: "next.csv",
        state: "SELECTING_FEATURES",
        error: null,
        task_id: "t9",
      }}
    />,
  );
  assert.match(text(pending), /next\.csv Selecting features/);
  assert.match(pending, /role="progressbar"/);
  const failed = render(
    <DatasetUpload
      pending={{
        id: "d9",
        filename: "bad.csv",
        state: "FAILED",
        error: "Line 7: not a number",
        task_id: "t9",
      }}
    />,
  );
  assert.match(
    text(failed),
    /Processing failed Line 7: not a number The previous dataset stays active/,
  );
});

Deno.test("DatasetOverview: profile, classes, features, chart; empty state", () => {
  const html = render(<DatasetOverview dataset={{ ...dataset, active: true }} />);
  const t = text(html);
  assert.match(t, /bosch_small\.csv/);
  assert.match(t, /Rows 10,450/);
  assert.match(t, /Columns 974/);
  assert.match(t, /Pass \/ fail 10,389 \/ 61 \(0\.58 % fail\)/);
  assert.match(t, /First row 2025-01-01 00:00:00 UTC/);
  assert.match(t, /Text columns excluded Comment/);
  assert.match(t, /Selected features \(30, by gain importance\)/);
  assert.match(t, /Show all 30/);
  assert.match(html, /aria-label="Rows per day over 10 days"/);
  const empty = text(render(<DatasetOverview dataset={null} />));
  assert.match(empty, /No dataset yet/);
});

Deno.test("SplitForm: defaults from the dataset, an existing split, blocked, no dataset", () => {
  const fresh = render(<SplitForm dataset={splitDataset} blocked={null} split={null} />);
  assert.match(fresh, /name="train_start_date" value="2025-01-01T00:00:00"/);
  assert.match(fresh, /name="train_end_date" value="2025-01-06T23:59:59"/);
  assert.match(fresh, /name="test_start_date" value="2025-01-07T00:00:00"/);
  assert.match(fresh, /name="simulation_end_date" value="2025-01-10T23:59:59"/);
  assert.match(fresh, /<button type="submit" class="qc-button">Split data<\/button>/);
  assert.match(fresh, /Rows per day over 10 days, coloured by split window/);

  const done = text(
    render(<SplitForm dataset={splitDataset} blocked={null} split={fixtureSplit()} />),
  );
  assert.match(done, /Training rows 6,150 Test rows 2,130 Simulation rows 2,170/);

  const blocked = render(
    <SplitForm
      dataset={splitDataset}
      blocked="The newest upload is still being processed."
      split={null}
    />,
  );
  assert.match(text(blocked), /Splitting is not possible right now The newest upload/);
  assert.match(blocked, /<fieldset class="qc-window qc-window-train" disabled>/);

  const none = text(render(<SplitForm dataset={null} blocked={null} split={null} />));
  assert.match(none, /No dataset yet Upload a dataset/);
});

/** A training task as the panel receives it, still without a result. */
const trainTask = (
  status: TaskStatus["status"],
  progress: TaskStatus["progress"],
): TaskStatus => ({ task_id: "t1", status, progress, result: null });

Deno.test("TrainingPanel: nothing yet, running, failed, finished", () => {
  const empty = render(<TrainingPanel hasSplit={false} task={null} model={null} />);
  assert.match(empty, /<button type="submit" class="qc-button" disabled>Start training<\/button>/);
  assert.match(text(empty), /Split the data first/);
  assert.match(text(empty), /No model yet/);

  const running = text(render(
    <TrainingPanel
      hasSplit
      model={null}
      task={trainTask("PROGRESS", {
        status: "Training XGBoost model...",
        round: 42,
        rounds: 200,
        percent: 21,
        curves: {
          train_loss: [{ x: 0, y: 0.69 }, { x: 41, y: 0.2 }],
          train_accuracy: [{ x: 0, y: 0.5 }, { x: 41, y: 0.9 }],
        },
      })}
      taskScope={{ dataset_id: "dataset-1", split_id: "split-01" }}
      activeSplitId="split-01"
    />,
  ));
  assert.match(running, /Training XGBoost model\.\.\./);
  assert.match(running, /round 42 \/ 200/);
  // Live curves rendered on the server with their text fallback; the stop button; the scope.
  assert.match(running, /Rounds 0–41\. Training log loss 0\.690 → 0\.200\./);
  assert.match(running, /Stop training/);
  assert.match(running, /Training on dataset dataset- , split split-01 \(the active split\)/);
  assert.match(running, /Progress/);

  // Before round 0 the columns stream into the worker: their count is the progress shown.
  const loading = text(render(
    <TrainingPanel
      hasSplit
      model={null}
      task={trainTask("PROGRESS", {
        status: "Loading and preparing data...",
        columns_loaded: 37,
        columns: 100,
        percent: 37,
      })}
    />,
  ));
  assert.match(loading, /Loading and preparing data\.\.\./);
  assert.match(loading, /37 \/ 100 columns loaded/);
  assert.doesNotMatch(loading, /round /);

  const failed = text(render(
    <TrainingPanel
      hasSplit
      model={null}
      task={trainTask("FAILURE", { status: "The training set has only one class" })}
    />,
  ));
  assert.match(failed, /Training failed The training set has only one class/);

  const done = render(
    <TrainingPanel
      hasSplit
      task={{
        task_id: "t1",
        status: "SUCCESS",
        progress: null,
        result: { ...fixtureTrainResult() },
      }}
      model={null}
    />,
  );
  const t = text(done);
  assert.match(t, /Accuracy 99\.12 %/);
  assert.match(t, /Recall 40\.00 %/);
  assert.match(t, /F1 0\.471/);
  assert.match(t, /MCC 0\.472/);
  assert.match(t, /ROC AUC 0\.882/);
  assert.match(t, /Threshold P\(fail\) ≥ 4\.1 %/);
  assert.match(t, /Best round 31 of 40 trained/);
  assert.match(done, /data-cell="True positives"><span class="qc-cm-count">4</);
  assert.match(done, /data-cell="False negatives"><span class="qc-cm-count">6</);
  assert.match(done, /aria-label="Log loss per boosting round, training and validation"/);
  assert.match(t, /L3_S1_F14/);

  // From a stored model without curves: everything but the charts, which load later.
  const stored = text(
    render(<TrainingPanel hasSplit task={null} model={viewFromModel(fixtureModel())} />),
  );
  assert.match(stored, /model model-00/);
  assert.match(stored, /Learning curves are loading or not available/);
});

Deno.test("ModelsList renders rows", () => {
  const html = render(
    <ModelsList
      list={{ active_model_id: "model-0001-cccc", models: [modelRow(fixtureModel())] }}
    />,
  );
  assert.match(text(html), /Models 1 stored/);
  assert.match(html, /href="\/models\/model-0001-cccc\/artifacts\/model\.onnx"/);
});

Deno.test("SimulationLive: no model, ready, running, blocked", () => {
  const defaults = { rows_per_second: 1, warmup_seconds: 10 };
  const model: SimModelInfo = {
    id: "model-0001-cccc",
    created_at: "2025-02-01T12:00:00Z",
    dataset_id: "ds",
    threshold: 0.0412,
    f1_score: 0.47,
    recall: 0.4,
    top_features: ["L3_S1_F14"],
  };
  const none = render(
    <SimulationLive
      model={null}
      simulation_rows={null}
      blocked="No trained model yet."
      task={null}
      defaults={defaults}
    />,
  );
  assert.match(text(none), /No trained model yet/);
  assert.match(none, /href="\/admin\/training"/);

  const ready = render(
    <SimulationLive
      model={model}
      simulation_rows={2170}
      blocked={null}
      task={null}
      defaults={defaults}
    />,
  );
  assert.match(text(ready), /2,170 rows to replay/);
  assert.match(text(ready), /Replaying 2,170 rows at 1 row\/s takes ~36 min/);
  assert.match(ready, /name="rows_per_second" value="1"/);
  assert.match(ready, /<button type="submit" class="qc-button">Start simulation<\/button>/);
  assert.match(text(ready), /No simulation has run yet/);

  const running = text(render(
    <SimulationLive
      model={model}
      simulation_rows={2170}
      blocked={null}
      defaults={defaults}
      task={{
        task_id: "sim-1",
        status: "PROGRESS",
        progress: { status: "Initializing simulation... Warmup period of 10 seconds." },
        result: null,
      }}
    />,
  ));
  assert.match(running, /Initializing simulation\.\.\. Warmup period of 10 seconds\./);
  assert.match(running, /Waiting for the first packet/);
  assert.match(running, /Rows replayed 0 \/ 2,170/);

  // A run with packets renders them on the server (no "Starting… 0 / N" before hydration).
  const packets = Array.from({ length: 30 }, (_, i) => fixturePacket(i));
  const withPackets = text(render(
    <SimulationLive
      model={model}
      simulation_rows={2170}
      blocked={null}
      defaults={defaults}
      task={{ task_id: "sim-1", status: "PROGRESS", progress: { ...packets[29] }, result: null }}
      packets={packets.slice(-21)}
      summary={null}
    />,
  ));
  assert.match(withPackets, /Rows replayed 30 \/ 2,170/);
  assert.doesNotMatch(withPackets, /Waiting for the first packet/);
  assert.match(withPackets, new RegExp(packets[29].live_prediction.sample_id));

  const blocked = render(
    <SimulationLive
      model={model}
      simulation_rows={null}
      blocked="No split of the model's dataset."
      task={null}
      defaults={defaults}
    />,
  );
  assert.match(blocked, /<button type="submit" class="qc-button" disabled>Start simulation/);
});
