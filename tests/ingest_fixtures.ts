/**
 * Test fixtures for the ingest pipeline: small generated Bosch-like CSVs and .NET-shaped
 * multipart upload requests (quoted boundary, `text/csv` part, a Content-Length).
 *
 * @module
 */
import { boschCsv, boschFixture, thresholdLabel } from "./bosch_fixture.ts";

/** Options of `generateCsv`. */
export interface GenOptions {
  /** Rows per day, default 40. */
  rowsPerDay?: number;
  /** Number of days from 2025-01-01, default 7. */
  days?: number;
  /** Feature columns, default 12; features 0 and 1 carry the signal. */
  features?: number;
  seed?: number;
  /** Skip every n-th day entirely (days with zero rows), 0 = none. Default 0. */
  skipEveryNthDay?: number;
}

/** A generated dataset: the CSV text and its timestamps / labels (for recomputing counts). */
export interface GeneratedCsv {
  csv: string;
  timestamps: number[];
  labels: number[];
  featureNames: string[];
}

/**
 * A Bosch-shaped CSV from the shared fixture builder: features `L0_S<j%4>_F<2j>` (0 and 1
 * always present and deciding `Response`, ~15 % ones, the others half empty), rows spread evenly
 * over each day, in time order.
 */
export function generateCsv(opts: GenOptions = {}): GeneratedCsv {
  const table = boschFixture({
    rowsPerDay: opts.rowsPerDay ?? 40,
    days: opts.days ?? 7,
    skipEveryNthDay: opts.skipEveryNthDay,
    features: opts.features ?? 12,
    featureName: (j) => `L0_S${j % 4}_F${j * 2}`,
    missingRate: (j) => (j < 2 ? 0 : 0.5),
    label: thresholdLabel,
    seed: opts.seed ?? 7,
  });
  return {
    csv: boschCsv(table),
    timestamps: Array.from(table.timestamps),
    labels: Array.from(table.labels),
    featureNames: table.featureNames,
  };
}

/** Options of `dotnetUpload`. */
export interface UploadOptions {
  filename?: string;
  /** Form field name, default `file`. */
  partName?: string;
  partContentType?: string;
  /** The request's Content-Type; default `multipart/form-data; boundary="<guid>"`. */
  contentType?: string;
  /** Line endings of the multipart framing, default CRLF. */
  boundary?: string;
}

const enc = new TextEncoder();

/** The multipart body .NET's `MultipartFormDataContent` sends for one `StreamContent` part. */
export function dotnetBody(data: Uint8Array | string, opts: UploadOptions = {}): {
  body: Uint8Array<ArrayBuffer>;
  contentType: string;
} {
  const boundary = opts.boundary ?? crypto.randomUUID();
  const bytes = typeof data === "string" ? enc.encode(data) : data;
  const head = enc.encode(
    `--${boundary}\r\n` +
      `Content-Type: ${opts.partContentType ?? "text/csv"}\r\n` +
      `Content-Disposition: form-data; name="${opts.partName ?? "file"}"; ` +
      `filename="${opts.filename ?? "data.csv"}"; filename*=utf-8''${opts.filename ?? "data.csv"}` +
      `\r\n\r\n`,
  );
  const tail = enc.encode(`\r\n--${boundary}--\r\n`);
  const body = new Uint8Array(head.length + bytes.length + tail.length);
  body.set(head, 0);
  body.set(bytes, head.length);
  body.set(tail, head.length + bytes.length);
  return { body, contentType: opts.contentType ?? `multipart/form-data; boundary="${boundary}"` };
}

/** A `POST /dataset/store` request shaped like the .NET backend's. */
export function dotnetUpload(data: Uint8Array | string, opts: UploadOptions = {}): Request {
  const { body, contentType } = dotnetBody(data, opts);
  return new Request("http://localhost/dataset/store", {
    method: "POST",
    headers: { "content-type": contentType, "content-length": String(body.length) },
    body,
  });
}

/** The split request body as .NET formats it (7 fraction digits on end dates). */
export function dotnetSplitBody(days: {
  train: [string, string];
  test: [string, string];
  simulation: [string, string];
}): Record<string, string> {
  const s = (d: string) => `${d}T00:00:00Z`;
  const e = (d: string) => `${d}T23:59:59.9999999Z`;
  return {
    train_start_date: s(days.train[0]),
    train_end_date: e(days.train[1]),
    test_start_date: s(days.test[0]),
    test_end_date: e(days.test[1]),
    simulation_start_date: s(days.simulation[0]),
    simulation_end_date: e(days.simulation[1]),
  };
}
