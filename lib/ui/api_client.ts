/**
 * A tiny typed client for the service's own JSON API, used by the admin islands in the browser
 * (same origin). Errors come back as `ApiError` with a readable `detail`, whatever the shape of
 * the server's error body (`{"detail": "..."}` or FastAPI's `{"detail": [{loc, msg}]}`).
 *
 * @example
 * ```ts
 * try {
 *   const { task_id } = await apiPost<{ task_id: string }>("/process/train/start");
 * } catch (err) {
 *   if (err instanceof ApiError) console.log(err.status, err.detail);
 * }
 * ```
 *
 * @module
 */
import { asset } from "fresh/runtime";

/** A non-2xx answer (or a network failure: `status` 0). */
export class ApiError extends Error {
  constructor(
    /** HTTP status, 0 when the request never got an answer. */
    readonly status: number,
    /** Human-readable reason taken from the body. */
    readonly detail: string,
    /** The parsed JSON body (or the text), for extra fields such as a running `task_id`. */
    readonly body: unknown = null,
  ) {
    super(status ? `${status}: ${detail}` : detail);
    this.name = "ApiError";
  }
}

/**
 * A readable message from an error body: `detail` as a string, FastAPI validation items joined
 * as `field: msg`, or a fallback.
 */
export function describeDetail(body: unknown, fallback = "Request failed."): string {
  if (typeof body === "string") return body.trim() || fallback;
  if (!body || typeof body !== "object") return fallback;
  const detail = (body as { detail?: unknown }).detail;
  if (typeof detail === "string") return detail;
  if (Array.isArray(detail)) {
    const parts = detail.map((item) => {
      if (!item || typeof item !== "object") return String(item);
      const { loc, msg } = item as { loc?: unknown; msg?: unknown };
      const where = Array.isArray(loc) ? loc.filter((p) => p !== "body").join(".") : "";
      return where ? `${where}: ${String(msg ?? "invalid")}` : String(msg ?? "invalid");
    });
    return parts.join("; ") || fallback;
  }
  const message = (body as { message?: unknown }).message;
  return typeof message === "string" ? message : fallback;
}

function parseBody(text: string): unknown {
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** Fetch `path` (an absolute path of this service) and parse JSON; throws `ApiError`. */
export async function apiFetch<T>(path: string, init: RequestInit = {}): Promise<T> {
  let res: Response;
  try {
    res = await fetch(asset(path), {
      ...init,
      headers: { accept: "application/json", ...init.headers },
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === "AbortError") throw err;
    throw new ApiError(0, "The server could not be reached. Check the connection and retry.");
  }
  const body = parseBody(await res.text());
  if (!res.ok) {
    throw new ApiError(res.status, describeDetail(body, `${res.status} ${res.statusText}`), body);
  }
  return body as T;
}

/** GET a JSON resource. */
export function apiGet<T>(path: string, signal?: AbortSignal): Promise<T> {
  return apiFetch<T>(path, { signal, cache: "no-store" });
}

/** POST (JSON body when given) and parse the JSON answer. */
export function apiPost<T>(path: string, body?: unknown): Promise<T> {
  return apiFetch<T>(path, {
    method: "POST",
    ...(body === undefined
      ? {}
      : { body: JSON.stringify(body), headers: { "content-type": "application/json" } }),
  });
}

/** Upload progress of `uploadFile`. */
export interface UploadProgress {
  loaded: number;
  total: number;
}

/** What `uploadFile` resolves with (any HTTP status; only network failures reject). */
export interface UploadReply {
  status: number;
  body: unknown;
}

/**
 * Stream `file` as the multipart part `file` to `path` with upload progress (XMLHttpRequest:
 * `fetch` has no upload progress). The browser streams the file from disk, so memory does not
 * grow with its size. Rejects with `ApiError(0)` on a network failure, `AbortError` on abort.
 */
export function uploadFile(
  path: string,
  file: Blob,
  filename: string,
  onProgress: (p: UploadProgress) => void,
  signal?: AbortSignal,
): Promise<UploadReply> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open("POST", asset(path));
    xhr.setRequestHeader("accept", "application/json");
    xhr.upload.onprogress = (e) => {
      onProgress({ loaded: e.loaded, total: e.lengthComputable ? e.total : file.size });
    };
    xhr.onload = () => resolve({ status: xhr.status, body: parseBody(xhr.responseText) });
    xhr.onerror = () =>
      reject(new ApiError(0, "The upload was interrupted (network error or server closed)."));
    xhr.onabort = () => reject(new DOMException("Upload cancelled", "AbortError"));
    signal?.addEventListener("abort", () => xhr.abort(), { once: true });
    const form = new FormData();
    form.append("file", file, filename);
    xhr.send(form);
  });
}

/** Tell other islands on the page that something changed (islands are separate Preact trees). */
export function notify(event: UiEvent, detail?: unknown): void {
  globalThis.dispatchEvent(new CustomEvent(event, { detail }));
}

/** Subscribe to `notify`; returns the unsubscribe function (use it in an effect cleanup). */
export function listen(event: UiEvent, fn: (detail: unknown) => void): () => void {
  const handler = (e: Event) => fn((e as CustomEvent).detail);
  globalThis.addEventListener(event, handler);
  return () => globalThis.removeEventListener(event, handler);
}

/** Cross-island events. */
export type UiEvent =
  | "qc:dataset-changed"
  | "qc:dataset-uploaded"
  | "qc:split-changed"
  | "qc:models-changed";

/** The text an island shows for a failed call: the server's reason, or the error itself. */
export function errorText(err: unknown): string {
  return err instanceof ApiError ? err.detail : String(err);
}
