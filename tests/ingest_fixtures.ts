/**
 * Test fixtures for the ingest pipeline: small generated Bosch-like CSVs and .NET-shaped
 * multipart upload requests (quoted boundary, `text/csv` part, a Content-Length).
 *
 * @module
 */

/** Options of `generateCsv`. */
export interface GenOptions {
  /** First timestamp (ms UTC), default 2025-01-01T00:00:00Z. */
  startMs?: number;
  /** Rows per day, default 40. */
  rowsPerDay?: number;
  /** Number of days, default 7. */
  days?: number;
  /** Feature columns, default 12; features 0 and 1 carry the signal. */
  features?: number;
  /** Timestamp column name and position: .NET's `synthetic_timestamp` first (default) or last. */
  timestamp?: "synthetic_first" | "Timestamp_last";
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

function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s / 4294967296;
  };
}

function fmt(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace("T", " ");
}

/**
 * A Bosch-shaped CSV: `Id`, features `L0_S0_F<j>` (about half empty), `Response` (~15 % ones,
 * driven by features 0 and 1) and a timestamp column; rows spread evenly over each day, in
 * time order.
 */
export function generateCsv(opts: GenOptions = {}): GeneratedCsv {
  const start = opts.startMs ?? Date.UTC(2025, 0, 1);
  const perDay = opts.rowsPerDay ?? 40;
  const days = opts.days ?? 7;
  const nf = opts.features ?? 12;
  const first = (opts.timestamp ?? "synthetic_first") === "synthetic_first";
  const rand = rng(opts.seed ?? 7);
  const featureNames = Array.from({ length: nf }, (_, j) => `L0_S${j % 4}_F${j * 2}`);
  const header = first
    ? ["synthetic_timestamp", "Id", ...featureNames, "Response"]
    : ["Id", ...featureNames, "Response", "Timestamp"];
  const lines = [header.join(",")];
  const timestamps: number[] = [];
  const labels: number[] = [];
  let id = 1;
  const step = Math.floor(86_400_000 / perDay);
  for (let d = 0; d < days; d++) {
    if (opts.skipEveryNthDay && d % opts.skipEveryNthDay === opts.skipEveryNthDay - 1) continue;
    for (let r = 0; r < perDay; r++) {
      const ts = start + d * 86_400_000 + r * step;
      const vals: string[] = [];
      let score = 0;
      for (let j = 0; j < nf; j++) {
        const v = Math.round((rand() * 2 - 1) * 1000) / 1000;
        if (j < 2) score += v;
        vals.push(j >= 2 && rand() < 0.5 ? "" : String(v));
      }
      const y = score + (rand() - 0.5) * 0.4 > 1.0 ? 1 : 0;
      timestamps.push(ts);
      labels.push(y);
      const row = first
        ? [fmt(ts), String(id), ...vals, String(y)]
        : [String(id), ...vals, String(y), fmt(ts)];
      lines.push(row.join(","));
      id += 2;
    }
  }
  return { csv: lines.join("\n") + "\n", timestamps, labels, featureNames };
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
