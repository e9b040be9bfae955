/**
 * Blob key validation. Keys are relative, slash-separated names (`datasets/<id>/source.csv`).
 * Validating them in one place makes path traversal impossible for the local store and keeps
 * keys portable to S3-compatible stores (which accept almost anything, so we are the guard).
 *
 * @module
 */

/** Longest accepted key, in UTF-8 bytes (S3 allows 1024; we stay well below). */
export const MAX_KEY_BYTES = 512;
/** Longest accepted segment (most filesystems allow 255 bytes per name). */
export const MAX_SEGMENT_BYTES = 200;

/** A blob key that is malformed or could escape the storage root. */
export class InvalidKeyError extends Error {
  constructor(readonly key: string, reason: string) {
    super(`Invalid storage key ${JSON.stringify(key.slice(0, 80))}: ${reason}`);
    this.name = "InvalidKeyError";
  }
}

/** A blob that does not exist. */
export class BlobNotFoundError extends Error {
  constructor(readonly key: string) {
    super(`Blob not found: ${key}`);
    this.name = "BlobNotFoundError";
  }
}

const encoder = new TextEncoder();

/**
 * Throw `InvalidKeyError` unless `key` is a safe relative key: non-empty, no leading slash, no
 * backslash, no NUL or other control characters, no empty / `.` / `..` segments, not too long.
 * `allowPrefix` also accepts a trailing slash (for `list`/`deletePrefix` prefixes).
 */
export function assertValidKey(key: string, opts: { allowPrefix?: boolean } = {}): void {
  if (typeof key !== "string" || key.length === 0) throw new InvalidKeyError(String(key), "empty");
  if (encoder.encode(key).length > MAX_KEY_BYTES) {
    throw new InvalidKeyError(key, `longer than ${MAX_KEY_BYTES} bytes`);
  }
  // deno-lint-ignore no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(key)) throw new InvalidKeyError(key, "control character");
  if (key.includes("\\")) throw new InvalidKeyError(key, "backslash");
  if (key.startsWith("/")) throw new InvalidKeyError(key, "absolute path");
  if (/^[a-zA-Z]:/.test(key)) throw new InvalidKeyError(key, "drive letter");
  const body = opts.allowPrefix && key.endsWith("/") ? key.slice(0, -1) : key;
  for (const seg of body.split("/")) {
    if (seg === "") throw new InvalidKeyError(key, "empty segment");
    if (seg === "." || seg === "..") throw new InvalidKeyError(key, `'${seg}' segment`);
    if (encoder.encode(seg).length > MAX_SEGMENT_BYTES) {
      throw new InvalidKeyError(key, `segment longer than ${MAX_SEGMENT_BYTES} bytes`);
    }
  }
  // `.tmp/` is where the local store stages writes; no blob may live there.
  if (body === ".tmp" || body.startsWith(".tmp/")) {
    throw new InvalidKeyError(key, "reserved prefix");
  }
}

/** True when `key` passes `assertValidKey`. */
export function isValidKey(key: string): boolean {
  try {
    assertValidKey(key);
    return true;
  } catch {
    return false;
  }
}
