/**
 * The latest packets, newest first: row, time, sample, prediction, confidence and the values of
 * the top features.
 *
 * @example
 * ```tsx
 * <PacketsTable rows={feed.rows} />
 * ```
 *
 * @module
 */
import { DASH, fmtDateTime, fmtInt, fmtNum } from "../../lib/ui/format.ts";
import { featureColumns, verdictTone } from "../../lib/ui/simulation_view.ts";
import type { SimPacket } from "../../lib/ui/types.ts";
import { Card } from "../Card.tsx";
import { type Column, Table } from "../Table.tsx";

const COLUMNS: Column[] = [
  { label: "Row", num: true },
  { label: "Timestamp" },
  { label: "Sample" },
  { label: "Prediction" },
  { label: "Confidence", num: true },
];

/** Props of `PacketsTable`. */
export interface PacketsTableProps {
  /** Newest first. */
  rows: SimPacket[];
}

/** The card. */
export function PacketsTable({ rows }: PacketsTableProps) {
  const features = featureColumns(rows);
  return (
    <Card heading="Latest packets" headingId="sim-table">
      {rows.length > 0
        ? (
          <Table
            columns={[
              ...COLUMNS,
              ...features.map((f) => ({ label: <code>{f}</code>, num: true, key: f })),
            ]}
          >
            {rows.map((p) => {
              const pred = p.live_prediction;
              return (
                <tr key={p.current_row_index}>
                  <td class="qc-num">{fmtInt(p.current_row_index)}</td>
                  <td>{fmtDateTime(pred.timestamp)}</td>
                  <td>
                    <code>{pred.sample_id}</code>
                  </td>
                  <td>
                    <span class={`qc-tag qc-tag-${verdictTone(pred.prediction)}`}>
                      {pred.prediction}
                    </span>
                  </td>
                  <td class="qc-num">{fmtNum(pred.confidence, 2)}</td>
                  {features.map((f) => {
                    const v = pred.top_features?.[f];
                    return (
                      <td key={f} class="qc-num">
                        {v === null || v === undefined ? DASH : fmtNum(v, 4)}
                      </td>
                    );
                  })}
                </tr>
              );
            })}
          </Table>
        )
        : <p class="qc-muted">No packets yet.</p>}
    </Card>
  );
}

export default PacketsTable;
