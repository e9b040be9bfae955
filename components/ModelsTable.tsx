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
import { fmtDateTime, fmtInt, fmtNum, fmtPct, shortId } from "../lib/ui/format.ts";
import type { ModelRow } from "../lib/ui/model_row.ts";
import { StatusPill } from "./StatusPill.tsx";

export type { ModelRow };

/** Download links offered per model: file name → link text. */
export const ARTIFACT_LINKS: [string, string][] = [
  ["model.onnx", "ONNX"],
  ["model.xgb.json", "XGBoost JSON"],
  ["curves.json", "curves"],
  ["metrics.json", "metrics"],
  ["predictions.json", "predictions"],
];

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
  return (
    <div class="qc-table-wrap">
      <table class="qc-table">
        <thead>
          <tr>
            <th scope="col">Created</th>
            <th scope="col">Model</th>
            <th scope="col" class="qc-num">F1</th>
            <th scope="col" class="qc-num">Recall</th>
            <th scope="col" class="qc-num">Precision</th>
            <th scope="col" class="qc-num">ROC AUC</th>
            <th scope="col" class="qc-num">Threshold</th>
            <th scope="col" class="qc-num">Trees</th>
            <th scope="col">Download</th>
          </tr>
        </thead>
        <tbody>
          {models.map((m) => (
            <tr key={m.id} class={m.id === activeId ? "qc-row-active" : undefined}>
              <td>{fmtDateTime(m.created_at)}</td>
              <td>
                <code title={m.id}>{shortId(m.id)}</code>
                {m.id === activeId &&
                  [" ", <StatusPill key="active" status="ACTIVE" label="active" />]}
              </td>
              <td class="qc-num">{fmtNum(m.f1_score, 3)}</td>
              <td class="qc-num">{fmtPct(m.recall, 1)}</td>
              <td class="qc-num">{fmtPct(m.precision, 1)}</td>
              <td class="qc-num">{fmtNum(m.auc_roc, 3)}</td>
              <td class="qc-num">{fmtNum(m.threshold, 3)}</td>
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
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export default ModelsTable;
