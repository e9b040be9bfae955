/**
 * Receive a dataset upload straight into blob storage, validating while streaming.
 *
 * Accepts `multipart/form-data` (what .NET sends: quoted boundary, one part named `file`, a
 * Content-Length) or a raw `text/csv` body. The file bytes flow chunk by chunk from the socket
 * into `store.put` (backpressure end to end, so memory stays flat — never `req.formData()`,
 * which buffers the whole file). Before the first byte is handed to the store the CSV header
 * line is checked (`Id`, `Response`, a timestamp column): a bad file is refused with 422 without
 * ever creating a blob. Oversize (413), truncated multipart, a client that disconnects, or an
 * abort make the stream fail, and `BlobStore.put` then removes its temp file: nothing is left.
 *
 * Measured (1 GB, curl client like .NET: Content-Length, quoted boundary; fsync included, disk
 * ~160 MB/s with sync, machine loaded): multipart 100 MB/s vs raw pipe-to-file 98 MB/s in the
 * same run (1.02×), server peak RSS 135 MB.
 *
 * Errors are `UploadError { status, detail }`; routes answer `{"detail": detail}` with `status`.
 *
 * @example
 * ```ts
 * try {
 *   const up = await receiveCsvUpload(ctx.req, storage, `datasets/${id}/source.csv`, {
 *     maxBytes: config.maxUploadBytes, signal: ctx.req.signal,
 *   });
 *   // up.bytes, up.filename, up.header.featureNames ...
 * } catch (e) {
 *   if (e instanceof UploadError) return Response.json({ detail: e.detail }, { status: e.status });
 *   throw e;
 * }
 * ```
 *
 * @module
 */
import type { BlobStore } from "../storage/blob_store.ts";
import {
  type CsvHeader,
  CsvValidationError,
  type HeaderOptions,
  parseHeader,
} from "./csv_header.ts";
import { boundaryOf, MultipartError, MultipartReader } from "./multipart_reader.ts";

/** An upload refused or failed; `status` is the HTTP status to answer. */
export class UploadError extends Error {
  constructor(readonly status: number, readonly detail: string) {
    super(detail);
    this.name = "UploadError";
  }
}

/** Options of `receiveCsvUpload`. */
export interface UploadOptions extends HeaderOptions {
  /** Largest accepted file (the CSV itself, not the multipart framing). */
  maxBytes: number;
  /** E.g. `req.signal`: aborting stops the upload and removes the partial blob. */
  signal?: AbortSignal;
  /** Longest accepted header line (default 8 MiB). */
  maxHeaderBytes?: number;
}

/** What was stored. */
export interface UploadResult {
  key: string;
  /** Bytes of the CSV stored. */
  bytes: number;
  /** The client's file name (multipart), else null. */
  filename: string | null;
  /** Header column names. */
  columns: string[];
  /** The resolved header (roles, feature columns). */
  header: CsvHeader;
}

/** Content types accepted as a raw CSV body. */
const RAW_TYPES = new Set([
  "text/csv",
  "application/csv",
  "text/plain",
  "application/octet-stream",
]);
/** Allowance for multipart framing when checking Content-Length against maxBytes. */
const FRAMING_SLACK = 64 * 1024;

/**
 * Stream the upload in `req` to `store.put(key, …)`. Resolves once the blob is completely
 * stored; rejects with `UploadError` (400 / 413 / 415 / 422) and leaves nothing behind otherwise.
 */
export async function receiveCsvUpload(
  req: Request,
  store: BlobStore,
  key: string,
  opts: UploadOptions,
): Promise<UploadResult> {
  const contentType = req.headers.get("content-type") ?? "";
  const mediaType = contentType.split(";")[0].trim().toLowerCase();
  const isMultipart = mediaType === "multipart/form-data";
  if (!isMultipart && !RAW_TYPES.has(mediaType)) {
    await req.body?.cancel().catch(() => {});
    throw new UploadError(
      415,
      `Unsupported Content-Type '${mediaType || "(none)"}': send multipart/form-data with a part ` +
        `named 'file', or a text/csv body`,
    );
  }
  const lengthHeader = req.headers.get("content-length");
  const length = lengthHeader === null ? null : Number(lengthHeader);
  if (!req.body || length === 0) {
    await req.body?.cancel().catch(() => {});
    throw new UploadError(400, "The request body is empty: no file was uploaded");
  }
  if (length !== null && length > opts.maxBytes + (isMultipart ? FRAMING_SLACK : 0)) {
    await req.body.cancel().catch(() => {});
    throw new UploadError(413, tooLarge(opts.maxBytes));
  }

  let pull: () => Promise<Uint8Array | null>;
  let cancel: (reason?: unknown) => Promise<void>;
  let filename: string | null = null;
  if (isMultipart) {
    const boundary = boundaryOf(contentType);
    if (!boundary) {
      await req.body.cancel().catch(() => {});
      throw new UploadError(400, "multipart/form-data without a valid boundary parameter");
    }
    const reader = new MultipartReader(req.body, boundary);
    cancel = (r) => reader.cancel(r);
    try {
      const part = await reader.nextPart();
      if (!part) {
        throw new UploadError(400, "The multipart body has no parts: no file was uploaded");
      }
      if (part.name !== "file") {
        throw new UploadError(
          400,
          `Expected the file in a form part named 'file', got ${
            part.name === null ? "a part without a name" : `'${part.name}'`
          }`,
        );
      }
      filename = part.filename;
    } catch (err) {
      await reader.cancel(err);
      throw toUploadError(err);
    }
    pull = async () => {
      const c = await reader.readBody();
      if (c === null && !reader.done) {
        // Another part follows; a dataset upload carries exactly one.
        throw new UploadError(400, "Expected exactly one form part (named 'file')");
      }
      return c;
    };
  } else {
    const reader = req.body.getReader();
    cancel = (r) => reader.cancel(r).catch(() => {});
    pull = async () => {
      const r = await reader.read();
      return r.done ? null : r.value;
    };
  }

  // Read up to the end of the CSV header line and validate it before storing anything.
  const maxHeader = opts.maxHeaderBytes ?? 8 * 1024 * 1024;
  const head: Uint8Array[] = [];
  let headBytes = 0;
  let header: CsvHeader;
  let sawData = false; // any byte after the header line other than CR/LF
  let total = 0;
  try {
    let lf = -1;
    for (;;) {
      const c = await readSafely(pull);
      if (c === null) break;
      if (c.length === 0) continue;
      total += c.length;
      if (total > opts.maxBytes) throw new UploadError(413, tooLarge(opts.maxBytes));
      head.push(c);
      const i = c.indexOf(10);
      if (i >= 0) {
        lf = headBytes + i;
        headBytes += c.length;
        break;
      }
      headBytes += c.length;
      if (headBytes > maxHeader) {
        throw new UploadError(422, `The first line (CSV header) is longer than ${maxHeader} bytes`);
      }
    }
    if (headBytes === 0) throw new UploadError(400, "The uploaded file is empty");
    const all = concat(head, headBytes);
    header = parseHeader(all.subarray(0, lf >= 0 ? lf : headBytes), opts);
    if (lf >= 0) sawData = hasData(all, lf + 1, all.length);
  } catch (err) {
    await cancel(err);
    throw toUploadError(err);
  }

  let failure: UploadError | null = null;
  let cancelled = false;
  let queued: Uint8Array[] | null = head;
  const stream = new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        if (queued) {
          for (const c of queued) controller.enqueue(c);
          queued = null;
          return;
        }
        const c = await readSafely(pull);
        if (cancelled) return;
        if (c === null) {
          if (!sawData) throw new UploadError(422, "The CSV has a header line but no data rows");
          controller.close();
          return;
        }
        total += c.length;
        if (total > opts.maxBytes) throw new UploadError(413, tooLarge(opts.maxBytes));
        if (!sawData) sawData = hasData(c, 0, c.length);
        controller.enqueue(c);
      } catch (err) {
        if (cancelled) return;
        failure = toUploadError(err);
        controller.error(failure);
        await cancel(failure);
      }
    },
    async cancel(reason) {
      cancelled = true;
      await cancel(reason);
    },
  }, { highWaterMark: 0 });

  let bytes: number;
  try {
    bytes = await store.put(key, stream, { signal: opts.signal });
  } catch (err) {
    await cancel(err);
    if (opts.signal?.aborted) throw new UploadError(400, "The upload was aborted");
    if (failure) throw failure;
    throw err;
  }
  return { key, bytes, filename, columns: header.names, header };
}

function tooLarge(max: number): string {
  return `The file is larger than the limit of ${max} bytes (${(max / 2 ** 20).toFixed(0)} MiB)`;
}

/** Read from the body; a failing body (client gone) becomes a 400 UploadError. */
async function readSafely(pull: () => Promise<Uint8Array | null>): Promise<Uint8Array | null> {
  try {
    return await pull();
  } catch (err) {
    if (err instanceof UploadError || err instanceof MultipartError) throw err;
    throw new UploadError(
      400,
      `The upload was interrupted: ${err instanceof Error ? err.message : String(err)}`,
    );
  }
}

function toUploadError(err: unknown): UploadError {
  if (err instanceof UploadError) return err;
  if (err instanceof MultipartError) return new UploadError(400, err.message);
  if (err instanceof CsvValidationError) return new UploadError(422, err.message);
  return new UploadError(
    400,
    `The upload failed: ${err instanceof Error ? err.message : String(err)}`,
  );
}

function concat(chunks: Uint8Array[], n: number): Uint8Array {
  if (chunks.length === 1) return chunks[0];
  const out = new Uint8Array(n);
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}

function hasData(b: Uint8Array, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (b[i] !== 10 && b[i] !== 13) return true;
  return false;
}
