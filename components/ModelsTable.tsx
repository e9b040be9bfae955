/**
 * The trained models as a table with test-set metrics and artifact download links
 * (`GET /models/{id}/artifacts/{name}`). Pure (renders on the server and inside islands).
 *
 * @example
 * ```tsx
 * <ModelsTable models={list.models} activeId={list.active_model_id} />
 * ```
 *
 * @module
 */
import { fmtDateTime, fmtInt, fmtMetric, fmtPct, shortId } from "../lib/ui/format.ts";
import type { ModelRow } from "../lib/ui/model_row.ts";
import { thresholdText } from "../lib/ui/qc_figures.ts";
import { StatusPill } from "./StatusPill.tsx";
import { type Column, Table } from "./Table.tsx";

export type { ModelRow };

/** Download links offered per model: file name → link text. */
export const ARTIFACT_LINKS: [string, string][] = [
  ["model.onnx", "ONNX"],
  ["model.xgb.json", "XGBoost JSON"],
  ["curves.json", "curves"],
  ["metrics.json", "metrics"],
  ["predictions.json", "predictions"],
];

const COLUMNS: Column[] = [
  { label: "Created" },
  { label: "Model" },
  { label: "Dataset · split" },
  ...["F1", "Recall", "Precision", "ROC AUC", "Threshold", "Trees"].map((label) => ({
    label,
    num: true,
  })),
  { label: "Download" },
  { label: "Compare" },
];

/** Link to the comparison page of `a` and `b`. */
export function compareHref(a: string, b: string): string {
  return `/admin/models/compare?a=${encodeURIComponent(a)}&b=${encodeURIComponent(b)}`;
}

/** Props of `ModelsTable`. */
export interface ModelsTableProps {
  models: ModelRow[];
  activeId: string | null;
}

/** The table (or a short note when there is no model). */
export function ModelsTable({ models, activeId }: ModelsTableProps) {
  if (models.length === 0) {
    return <p class="qc-muted">No model has been trained yet.</p>;
  }
  // Each model is compared with the active one (the active one with the next model).
  const ref = activeId ?? models[0].id;
  const otherThanRef = models.find((m) => m.id !== ref)?.id ?? null;
  return (
    <Table columns={COLUMNS}>
      {models.map((m) => (
        <tr key={m.id} class={m.id === activeId ? "qc-row-active" : undefined}>
          <td>{fmtDateTime(m.created_at)}</td>
          <td>
            <code title={m.id}>{shortId(m.id)}</code>
            {m.id === activeId &&
              [" ", <StatusPill key="active" status="ACTIVE" label="active" />]}
          </td>
          <td>
            <code title={m.dataset_id ?? undefined}>{shortId(m.dataset_id)}</code> ·{" "}
            <code title={m.split_id ?? undefined}>{shortId(m.split_id)}</code>
          </td>
          <td class="qc-num">{fmtMetric(m.f1_score)}</td>
          <td class="qc-num">{fmtPct(m.recall, 1)}</td>
          <td class="qc-num">{fmtPct(m.precision, 1)}</td>
          <td class="qc-num">{fmtMetric(m.auc_roc)}</td>
          <td class="qc-num">{thresholdText(m.threshold)}</td>
          <td class="qc-num">{fmtInt(m.trees)}</td>
          <td class="qc-links">
            {ARTIFACT_LINKS.map(([file, text]) => (
              <a
                key={file}
                href={`/models/${encodeURIComponent(m.id)}/artifacts/${file}`}
                download={`${shortId(m.id)}-${file}`}
              >
                {text}
              </a>
            ))}
            {(["csv", "parquet"] as const).map((ext) => (
              <a
                key={ext}
                href={`/downloads/models/${encodeURIComponent(m.id)}/predictions.${ext}`}
                download
              >
                test predictions (.{ext})
              </a>
            ))}
          </td>
          <td>
            {m.id !== ref
              ? <a href={compareHref(ref, m.id)}>vs {activeId ? "active" : shortId(ref)}</a>
              : otherThanRef && <a href={compareHref(ref, otherThanRef)}>vs next</a>}
          </td>
        </tr>
      ))}
    </Table>
  );
}

export default ModelsTable;
