/**
 * Receive a dataset upload straight into blob storage, validating while streaming.
 *
 * Accepts `multipart/form-data` (what .NET sends: quoted boundary, one part named `file`, a
 * Content-Length) or a raw `text/csv` body. Multipart is read by our own pull-based reader
 * (`multipart_file.ts`; it replaced npm `busboy` once the upload became bound by the server
 * thread: `bench/multipart.ts` has the figures). The file bytes flow chunk by chunk from the
 * socket into `store.put` (backpressure end to end, so memory stays flat — never
 * `req.formData()`, which buffers the whole file). Before the first byte is handed to the store
 * the CSV header line is checked (`Id`, `Response`, a timestamp column): a bad file is refused
 * with 422 without ever creating a blob. Oversize (413), truncated multipart, a client that
 * disconnects, or an abort make the stream fail, and `BlobStore.put` then removes its temp
 * file: nothing is left.
 *
 * Two entry points: `openCsvUpload` checks the framing and the header line and hands back the
 * file as a byte stream (what `POST /dataset/store` passes to the ingest step, which stores and
 * profiles it); `receiveCsvUpload` opens and stores in one call (tests, benchmarks).
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
} from "../data/csv_header.ts";
import {
  type ByteSource,
  MultipartError,
  type MultipartFile,
  openMultipartFile,
} from "./multipart_file.ts";

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
  /**
   * Fail with 408 when no byte arrives for this long (an idle timeout, not a total one: a 2 GB
   * upload over a slow but moving link passes). Default: none.
   */
  idleTimeoutMs?: number;
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

/** An upload whose framing and CSV header line were accepted; the file bytes still to come. */
export interface CsvUpload {
  /** The client's file name (multipart), else null. */
  filename: string | null;
  /** The resolved header (roles, feature columns). */
  header: CsvHeader;
  /** The request's Content-Length (≈ the file's size), when given. */
  sizeHint: number | undefined;
  /**
   * The CSV bytes, header line included, pulled from the request on demand (backpressure).
   * Errors with an `UploadError` (400 / 413 / 422) when the body turns out oversize, truncated,
   * malformed, without data rows, or `signal` aborts; cancelling it cancels the request body.
   */
  body: ReadableStream<Uint8Array>;
}

/**
 * Check an upload's framing (Content-Type, length, the multipart `file` part) and its CSV header
 * line, and hand back the file as a stream. Rejects with `UploadError` (400 / 413 / 415 / 422)
 * before any byte is stored; later failures error `body`.
 */
export async function openCsvUpload(req: Request, opts: UploadOptions): Promise<CsvUpload> {
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

  const boundary = isMultipart ? boundaryOf(contentType) : null;
  if (isMultipart && !boundary) {
    await req.body.cancel().catch(() => {});
    throw new UploadError(400, "multipart/form-data without a valid boundary parameter");
  }
  const idle = idleLimited(readerSource(req.body.getReader()), opts.idleTimeoutMs);
  const toUploadError = (err: unknown) => idle.error ?? toUploadErrorOf(err);
  let pull: () => Promise<Uint8Array | null>;
  let cancel: (reason?: unknown) => Promise<void>;
  let filename: string | null = null;
  if (boundary) {
    let file: MultipartFile;
    try {
      file = await openMultipartFile(idle.source, boundary);
    } catch (err) {
      throw idle.error ?? readError(err);
    }
    pull = () => file.pull();
    cancel = (reason) => file.cancel(reason);
    filename = file.filename;
  } else {
    pull = () => idle.source.read();
    cancel = (reason) => idle.source.cancel(reason);
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
      if (head.length === 0) {
        const kind = binaryKind(c);
        if (kind) {
          throw new UploadError(
            415,
            `The uploaded file is not a CSV file (it looks like ${kind}).`,
          );
        }
      }
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

  let settled = false; // errored, closed or cancelled: nothing more to do
  let queued: Uint8Array[] | null = head;
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const fail = async (err: unknown) => {
    if (settled) return;
    settled = true;
    const failure = toUploadError(err);
    controller.error(failure);
    await cancel(failure);
  };
  // A client that goes away (or the caller's abort) fails the stream, so its reader sees why.
  const onAbort = () => fail(new UploadError(400, "The upload was aborted"));
  const body = new ReadableStream<Uint8Array>({
    start(c) {
      controller = c;
      if (opts.signal?.aborted) return onAbort();
      opts.signal?.addEventListener("abort", onAbort, { once: true });
    },
    async pull(controller) {
      try {
        if (queued) {
          for (const c of queued) controller.enqueue(c);
          queued = null;
          return;
        }
        const c = await readSafely(pull);
        if (settled) return;
        if (c === null) {
          if (!sawData) throw new UploadError(422, "The CSV has a header line but no data rows");
          settled = true;
          opts.signal?.removeEventListener("abort", onAbort);
          controller.close();
          return;
        }
        total += c.length;
        if (total > opts.maxBytes) throw new UploadError(413, tooLarge(opts.maxBytes));
        if (!sawData) sawData = hasData(c, 0, c.length);
        controller.enqueue(c);
      } catch (err) {
        await fail(err);
      }
    },
    async cancel(reason) {
      settled = true;
      opts.signal?.removeEventListener("abort", onAbort);
      await cancel(reason);
    },
  }, { highWaterMark: 0 });
  const sizeHint = length !== null && Number.isFinite(length) && length > 0 ? length : undefined;
  return { filename, header, sizeHint, body };
}

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
  const upload = await openCsvUpload(req, opts);
  let bytes: number;
  try {
    bytes = await store.put(key, upload.body);
  } catch (err) {
    await upload.body.cancel(err).catch(() => {});
    throw err;
  }
  return {
    key,
    bytes,
    filename: upload.filename,
    columns: upload.header.names,
    header: upload.header,
  };
}

/**
 * The `boundary` parameter of a multipart Content-Type — quoted (`boundary="<guid>"`, as .NET
 * sends it) or a plain token — or null when absent / invalid (RFC 2046: 1–70 characters).
 *
 * @example
 * ```ts
 * boundaryOf('multipart/form-data; boundary="a1b2"'); // "a1b2"
 * ```
 */
export function boundaryOf(contentType: string): string | null {
  const m = /;\s*boundary\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s;]+))/i.exec(contentType);
  if (!m) return null;
  const b = m[1] !== undefined ? m[1].replace(/\\(.)/g, "$1") : m[2];
  return b.length >= 1 && b.length <= 70 ? b : null;
}

function tooLarge(max: number): string {
  return `The file is larger than the limit of ${max} bytes (${(max / 2 ** 20).toFixed(0)} MiB)`;
}

/** A request body's reader as a `ByteSource`. */
function readerSource(reader: ReadableStreamDefaultReader<Uint8Array>): ByteSource {
  return {
    read: async () => {
      const r = await reader.read();
      return r.done ? null : r.value;
    },
    cancel: (reason) => reader.cancel(reason).catch(() => {}),
  };
}

/**
 * `source` whose reads fail with a 408 `UploadError` (kept in `.error`) when no chunk arrives
 * for `idleMs`; the source is then cancelled, which frees the connection's buffers.
 */
export function idleLimited(
  source: ByteSource,
  idleMs: number | undefined,
): { source: ByteSource; readonly error: UploadError | null } {
  if (!idleMs || !Number.isFinite(idleMs)) return { source, error: null };
  const state: { source: ByteSource; error: UploadError | null } = {
    source: null as unknown as ByteSource,
    error: null,
  };
  // One watchdog per upload, not a timer per chunk (a 2.4 GB upload is 36,000 chunks): it
  // fires only while a read is pending — time our own consumer spends is not the client's.
  let waitingSince = -1;
  let watchdog: ReturnType<typeof setInterval> | undefined = setInterval(() => {
    if (waitingSince < 0 || performance.now() - waitingSince < idleMs) return;
    stop();
    state.error = new UploadError(
      408,
      `No upload data received for ${Math.round(idleMs / 1000)} s: the upload timed out`,
    );
    source.cancel(state.error).catch(() => {}); // ends the pending read
  }, Math.max(10, Math.min(1000, idleMs / 4)));
  const stop = () => {
    clearInterval(watchdog);
    watchdog = undefined;
  };
  state.source = {
    async read() {
      if (state.error) throw state.error;
      waitingSince = performance.now();
      try {
        const chunk = await source.read();
        if (state.error) throw state.error;
        if (chunk === null) stop();
        return chunk;
      } catch (err) {
        stop();
        throw state.error ?? err;
      } finally {
        waitingSince = -1;
      }
    },
    async cancel(reason) {
      stop();
      await source.cancel(reason);
    },
  };
  return state;
}

/** Read from the body; a failing body (client gone) becomes a 400 UploadError. */
async function readSafely(pull: () => Promise<Uint8Array | null>): Promise<Uint8Array | null> {
  try {
    return await pull();
  } catch (err) {
    throw readError(err);
  }
}

/** An error while reading the body as an UploadError: the source's own errors say "interrupted". */
function readError(err: unknown): UploadError {
  if (err instanceof UploadError) return err;
  if (err instanceof MultipartError) return new UploadError(400, err.message);
  return new UploadError(
    400,
    `The upload was interrupted: ${err instanceof Error ? err.message : String(err)}`,
  );
}

function toUploadErrorOf(err: unknown): UploadError {
  if (err instanceof UploadError) return err;
  if (err instanceof CsvValidationError) return new UploadError(422, err.message);
  if (err instanceof MultipartError) return new UploadError(400, err.message);
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

/** Signatures of files operators upload by mistake (screenshots, exports, archives). */
const MAGIC: [number[], string][] = [
  [[0x89, 0x50, 0x4e, 0x47], "a PNG image"],
  [[0xff, 0xd8, 0xff], "a JPEG image"],
  [[0x47, 0x49, 0x46, 0x38], "a GIF image"],
  [[0x25, 0x50, 0x44, 0x46], "a PDF document"],
  [[0x50, 0x4b, 0x03, 0x04], "a ZIP archive or an Excel workbook"],
  [[0x1f, 0x8b], "a gzip archive"],
  [[0x50, 0x41, 0x52, 0x31], "a Parquet file"],
  [[0xd0, 0xcf, 0x11, 0xe0], "an old Office document"],
];

/**
 * What binary file the first bytes of an upload look like, or null for text: a known signature,
 * else any NUL byte in the first 1 KiB (never in a CSV).
 */
export function binaryKind(first: Uint8Array): string | null {
  for (const [magic, kind] of MAGIC) {
    if (first.length >= magic.length && magic.every((b, i) => first[i] === b)) return kind;
  }
  const n = Math.min(first.length, 1024);
  for (let i = 0; i < n; i++) if (first[i] === 0) return "binary data";
  return null;
}
