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
import { type Column, Table } from "./Table.tsx";

const COLUMNS: Column[] = [
  { label: "Uploaded" },
  { label: "File" },
  { label: "Dataset" },
  { label: "State" },
  { label: "Rows", num: true },
  { label: "Size", num: true },
];

/** Props of `DatasetsTable`. */
export interface DatasetsTableProps {
  rows: DatasetRow[];
}

/** The table, or a note when nothing was uploaded. */
export function DatasetsTable({ rows }: DatasetsTableProps) {
  if (rows.length === 0) return <p class="qc-muted">Nothing has been uploaded yet.</p>;
  return (
    <Table columns={COLUMNS}>
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
    </Table>
  );
}

export default DatasetsTable;
