/**
 * Recent uploads with their state (pure, server-rendered).
 *
 * @example
 * ```tsx
 * <DatasetsTable rows={data.recent} />
 * ```
 *
 * @module
 */
import { fmtBytes, fmtDateTime, fmtInt, shortId } from "../lib/ui/format.ts";
import type { DatasetRow } from "../lib/ui/dataset_row.ts";
import { StatusPill } from "./StatusPill.tsx";

/** Props of `DatasetsTable`. */
export interface DatasetsTableProps {
  rows: DatasetRow[];
}

/** The table, or a note when nothing was uploaded. */
export function DatasetsTable({ rows }: DatasetsTableProps) {
  if (rows.length === 0) return <p class="qc-muted">Nothing has been uploaded yet.</p>;
  return (
    <div class="qc-table-wrap">
      <table class="qc-table">
        <thead>
          <tr>
            <th scope="col">Uploaded</th>
            <th scope="col">File</th>
            <th scope="col">Dataset</th>
            <th scope="col">State</th>
            <th scope="col" class="qc-num">Rows</th>
            <th scope="col" class="qc-num">Size</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((d) => (
            <tr key={d.id} class={d.active ? "qc-row-active" : undefined}>
              <td>{fmtDateTime(d.created_at)}</td>
              <td class="qc-ellipsis" title={d.filename}>{d.filename}</td>
              <td>
                <code title={d.id}>{shortId(d.id)}</code>
              </td>
              <td>
                <StatusPill status={d.state} />
                {d.active && [" ", <StatusPill key="active" status="ACTIVE" label="active" />]}
                {d.error && <div class="qc-small qc-fail-text">{d.error}</div>}
              </td>
              <td class="qc-num">{fmtInt(d.rows)}</td>
              <td class="qc-num">{fmtBytes(d.bytes)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export default DatasetsTable;
