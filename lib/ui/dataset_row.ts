/**
 * One row of the recent-uploads table, built from a dataset record on the server (page data)
 * and in the browser (after `GET /datasets`).
 *
 * @module
 */
import type { DatasetRecord } from "./types.ts";

/** What the uploads table shows of a dataset. */
export interface DatasetRow {
  id: string;
  filename: string;
  state: string;
  error: string | null;
  bytes: number;
  rows: number | null;
  created_at: string;
  active: boolean;
}

/** A dataset record → table row. */
export function datasetRow(d: DatasetRecord, activeId: string | null): DatasetRow {
  return {
    id: d.id,
    filename: d.filename,
    state: d.state,
    error: d.error,
    bytes: d.bytes,
    rows: d.profile?.rows ?? null,
    created_at: d.created_at,
    active: d.id === activeId,
  };
}
