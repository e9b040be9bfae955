import assert from "node:assert/strict";
import { render } from "preact-render-to-string";
import { ConfusionMatrix } from "./ConfusionMatrix.tsx";
import { MetricCard } from "./MetricCard.tsx";
import { statusLabel, StatusPill, statusTone } from "./StatusPill.tsx";
import { ProgressBar } from "./ProgressBar.tsx";
import { FeatureBars } from "./FeatureBars.tsx";
import { ModelsTable } from "./ModelsTable.tsx";
import { DatasetsTable } from "./DatasetsTable.tsx";
import { Alert, EmptyState } from "./Notice.tsx";
import { Card } from "./Card.tsx";
import { NumberField } from "./NumberField.tsx";
import { Layout } from "./Layout.tsx";
import { Table } from "./Table.tsx";

const text = (html: string) => html.replace(/<[^>]+>/g, " ").replace(/\s+/g, " ");

Deno.test("ConfusionMatrix: counts in the right cells, totals, row shares", () => {
  const html = render(
    <ConfusionMatrix
      matrix={{ true_positives: 4, false_positives: 3, true_negatives: 556, false_negatives: 19 }}
    />,
  );
  const cell = (name: string) =>
    new RegExp(`data-cell="${name}"><span class="qc-cm-count">([^<]+)<`).exec(html)?.[1];
  assert.equal(cell("True positives"), "4");
  assert.equal(cell("False negatives"), "19");
  assert.equal(cell("False positives"), "3");
  assert.equal(cell("True negatives"), "556");
  const t = text(html);
  assert.match(t, /Fail 4 17\.4 % of row True positives 19 82\.6 % of row False negatives 23/);
  assert.match(t, /Total 7 575 582/);
  assert.match(html, /<caption>Confusion matrix \(test set\)<\/caption>/);
});

Deno.test("ConfusionMatrix: an empty matrix renders zeros without NaN", () => {
  const html = render(
    <ConfusionMatrix
      matrix={{ true_positives: 0, false_positives: 0, true_negatives: 0, false_negatives: 0 }}
    />,
  );
  assert.doesNotMatch(html, /NaN/);
  assert.match(text(html), /Total 0 0 0/);
});

Deno.test("MetricCard, StatusPill, ProgressBar, Notice", () => {
  assert.match(
    render(<MetricCard label="Recall" value="41.00 %" hint="fails caught" tone="good" />),
    /qc-tone-good.*Recall.*41\.00 %.*fails caught/,
  );
  assert.equal(statusTone("SELECTING_FEATURES"), "busy");
  assert.equal(statusTone("FAILURE"), "bad");
  assert.equal(statusTone("READY"), "ok");
  assert.equal(statusLabel("SELECTING_FEATURES"), "Selecting features");
  const pill = render(<StatusPill status="PROGRESS" />);
  assert.match(pill, /qc-pill-busy/);
  assert.match(pill, /qc-spinner/);
  const bar = render(<ProgressBar label="Rounds" value={50} max={200} />);
  assert.match(bar, /role="progressbar"/);
  assert.match(bar, /aria-valuenow="50"/);
  assert.match(bar, /width:25%/);
  assert.match(bar, /25 %/);
  const unknown = render(<ProgressBar label="Working" value={null} />);
  assert.match(unknown, /qc-progress-indeterminate/);
  assert.doesNotMatch(unknown, /aria-valuenow/);
  assert.match(render(<Alert kind="error" title="Nope">why</Alert>), /role="alert".*Nope.*why/);
  assert.match(
    render(<EmptyState title="No model" action={{ href: "/admin/training", label: "Train" }} />),
    /No model.*href="\/admin\/training"/,
  );
});

Deno.test("FeatureBars: scaled bars, shares, limit, empty", () => {
  const html = render(
    <FeatureBars
      features={[
        { name: "L3_S1_F14", importance: 30 },
        { name: "L0_S0_F0", importance: 15 },
        { name: "L1_S2_F3", importance: 5 },
      ]}
      limit={2}
    />,
  );
  assert.match(html, /L3_S1_F14.*width:100%.*60\.0 %/);
  assert.match(html, /L0_S0_F0.*width:50%.*30\.0 %/);
  assert.doesNotMatch(html, /L1_S2_F3<\/span>/);
  assert.match(html, /and 1 more/);
  assert.match(render(<FeatureBars features={[]} />), /No feature importance/);
});

Deno.test("ModelsTable: rows, active marker, artifact links; empty note", () => {
  const html = render(
    <ModelsTable
      activeId="m-1"
      models={[{
        id: "m-1",
        created_at: "2025-01-06T10:00:00Z",
        dataset_id: "d-123456789",
        split_id: "s-987654321",
        f1_score: 0.4321,
        recall: 0.5,
        precision: 0.36,
        auc_roc: 0.88,
        threshold: 0.031,
        trees: 120,
      }]}
    />,
  );
  assert.match(html, /qc-row-active/);
  assert.match(text(html), /0\.432 50\.0 % 36\.0 % 0\.880 P\(fail\) ≥ 3\.1 % 120/);
  for (
    const f of ["model.onnx", "model.xgb.json", "curves.json", "metrics.json", "predictions.json"]
  ) {
    assert.ok(html.includes(`href="/models/m-1/artifacts/${f}"`), f);
  }
  assert.match(render(<ModelsTable models={[]} activeId={null} />), /No model has been trained/);
});

Deno.test("DatasetsTable: states and errors; empty note", () => {
  const html = render(
    <DatasetsTable
      rows={[
        {
          id: "d2",
          filename: "bad.csv",
          state: "FAILED",
          error: "Line 3: bad value",
          bytes: 100,
          rows: null,
          created_at: "2025-01-02T00:00:00Z",
          active: false,
        },
        {
          id: "d1",
          filename: "bosch.csv",
          state: "READY",
          error: null,
          bytes: 2048,
          rows: 50000,
          created_at: "2025-01-01T00:00:00Z",
          active: true,
        },
      ]}
    />,
  );
  assert.match(text(html), /bad\.csv d2 Failed Line 3: bad value/);
  assert.match(text(html), /bosch\.csv d1 Ready active 50,000 2\.00 KB/);
  assert.match(render(<DatasetsTable rows={[]} />), /Nothing has been uploaded/);
});

Deno.test("Card: heading alone, heading row with an aside (even null), no heading, island marks", () => {
  assert.equal(
    render(<Card heading="Upload" headingId="up">body</Card>),
    '<section class="qc-card" aria-labelledby="up"><h2 id="up">Upload</h2>body</section>',
  );
  assert.equal(
    render(
      <Card heading="Models" headingId="m" aside={<span>3</span>} class="qc-x" live="off">
        b
      </Card>,
    ),
    '<section class="qc-card qc-x" aria-labelledby="m" aria-live="off"><div class="qc-card-head">' +
      '<h2 id="m">Models</h2><span>3</span></div>b</section>',
  );
  assert.equal(
    render(<Card heading="Tasks" aside={null} />),
    '<section class="qc-card"><div class="qc-card-head"><h2>Tasks</h2></div></section>',
  );
  assert.equal(
    render(<Card island="ModelsList" hydrated={false}>x</Card>),
    '<section class="qc-card" data-island="ModelsList" data-hydrated="false">x</section>',
  );
  assert.match(render(<Card island="A" hydrated />), /data-hydrated="true"/);
});

Deno.test("NumberField: the text as typed, its limits and label", () => {
  const html = render(
    <NumberField
      label="Warmup (seconds)"
      name="warmup_seconds"
      min="0"
      max="3600"
      step="1"
      value="10"
      disabled
      onInput={() => {}}
      width="12rem"
    />,
  );
  assert.equal(
    html,
    '<label class="qc-field" style="width:12rem;"><span>Warmup (seconds)</span>' +
      '<input type="number" min="0" max="3600" step="1" name="warmup_seconds" value="10" disabled/>' +
      "</label>",
  );
});

Deno.test("Layout: the load error above the content, nothing when there is none", () => {
  const failed = render(
    <Layout title="Training" current="/admin/training" loadError="KV is gone">
      <p>content</p>
    </Layout>,
  );
  assert.match(
    failed,
    /<\/div><div class="qc-alert qc-alert-error" role="alert"><strong class="qc-alert-title">Some data could not be loaded<\/strong><div class="qc-alert-body">KV is gone<\/div><\/div><p>content<\/p>/,
  );
  assert.doesNotMatch(render(<Layout title="T" loadError={null} />), /qc-alert/);
});

Deno.test("Table: header titles (numeric ones right aligned), body rows, optional wrapper", () => {
  const html = render(
    <Table columns={[{ label: "File" }, { label: "Rows", num: true }]}>
      <tr>
        <td>a.csv</td>
        <td class="qc-num">3</td>
      </tr>
    </Table>,
  );
  assert.equal(
    html,
    '<div class="qc-table-wrap" tabindex="0" role="region" aria-label="Table"><table class="qc-table"><thead><tr><th scope="col">File</th>' +
      '<th scope="col" class="qc-num">Rows</th></tr></thead><tbody><tr><td>a.csv</td>' +
      '<td class="qc-num">3</td></tr></tbody></table></div>',
  );
  assert.match(render(<Table columns={[]} wrap={false} />), /^<table class="qc-table">/);
});
