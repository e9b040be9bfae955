/**
 * `HttpError`: throw it from a handler or middleware to end the request with a status.
 *
 * ```ts
 * import { HttpError } from "fresh";
 * throw new HttpError(404, "No dataset has been uploaded.");
 * ```
 *
 * @module
 */

/** Reason phrases for the statuses this service uses (others fall back to "Error"). */
export const STATUS_TEXT: Readonly<Record<number, string>> = {
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  406: "Not Acceptable",
  409: "Conflict",
  410: "Gone",
  411: "Length Required",
  413: "Content Too Large",
  415: "Unsupported Media Type",
  422: "Unprocessable Content",
  429: "Too Many Requests",
  500: "Internal Server Error",
  501: "Not Implemented",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
};

/** Options of an `HttpError`: the standard `cause` plus headers to send with the error response. */
export interface HttpErrorOptions extends ErrorOptions {
  /** Headers for the error response (e.g. `Allow` on a 405, `WWW-Authenticate` on a 401). */
  headers?: HeadersInit;
}

/** An error that carries an HTTP status; its message is safe to show to the client. */
export class HttpError extends Error {
  /** HTTP status code (4xx/5xx). */
  readonly status: number;
  /** Headers to add to the error response. */
  readonly headers: Headers;

  constructor(status: number, message?: string, options?: HttpErrorOptions) {
    super(message ?? STATUS_TEXT[status] ?? "Error", options);
    this.name = "HttpError";
    this.status = status;
    this.headers = new Headers(options?.headers);
  }
}
