/**
 * The recent uploads with their states; reloads `GET /datasets` when the upload island reports
 * an accepted upload or a finished feature selection.
 *
 * @module
 */
import { useEffect, useState } from "preact/hooks";
import { useIslandMarks } from "../lib/ui/hooks.ts";
import { apiGet, errorText, listen } from "../lib/ui/api_client.ts";
import { type DatasetRow, datasetRow } from "../lib/ui/dataset_row.ts";
import type { DatasetRecord } from "../lib/ui/types.ts";
import { Card } from "../components/Card.tsx";
import { DatasetsTable } from "../components/DatasetsTable.tsx";
import { Alert } from "../components/Notice.tsx";

/** Props: the rows at render time and how many to show. */
export interface RecentUploadsProps {
  rows: DatasetRow[];
  limit?: number;
}

/** The uploads card. */
export default function RecentUploads({ rows: initial, limit = 10 }: RecentUploadsProps) {
  const island = useIslandMarks("RecentUploads");
  const [rows, setRows] = useState(initial);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const reload = async () => {
      try {
        const res = await apiGet<{ datasets: DatasetRecord[]; active_id: string | null }>(
          "/datasets",
        );
        setRows(res.datasets.slice(0, limit).map((d) => datasetRow(d, res.active_id)));
        setError(null);
      } catch (err) {
        setError(errorText(err));
      }
    };
    const offs = [listen("qc:dataset-uploaded", reload), listen("qc:dataset-changed", reload)];
    return () => offs.forEach((off) => off());
  }, [limit]);

  return (
    <Card
      heading="Recent uploads"
      headingId="recent-title"
      aside={null}
      {...island}
    >
      {error && <Alert kind="warning">Could not refresh the list: {error}</Alert>}
      <DatasetsTable rows={rows} />
    </Card>
  );
}
