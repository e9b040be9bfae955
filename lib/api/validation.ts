/**
 * Request validation with zod, answering FastAPI's 422 shape so the .NET client sees the same
 * errors as before: `{"detail": [{"loc": ["body", "field"], "msg": "...", "type": "..."}]}`.
 *
 * ```ts
 * import { parseJsonBody } from "../../lib/api/validation.ts";
 * import { SplitRequestSchema } from "../../lib/api/requests.ts";
 * const body = await parseJsonBody(ctx.req, SplitRequestSchema); // typed, or throws → 422
 * ```
 *
 * @module
 */
import type { z } from "zod";
import { HttpError } from "fresh";

/** One FastAPI-style validation error. */
export interface ValidationIssue {
  loc: (string | number)[];
  msg: string;
  type: string;
  /** Extra context (e.g. the JSON parser's message for `json_invalid`). */
  ctx?: Record<string, unknown>;
}

/** Thrown by the parsers; `createApp` renders it as 422 `{"detail": issues}`. */
export class RequestValidationError extends HttpError {
  constructor(readonly issues: ValidationIssue[]) {
    super(422, issues.map((i) => `${i.loc.join(".")}: ${i.msg}`).join("; "));
    this.name = "RequestValidationError";
  }

  /** The 422 response body. */
  body(): { detail: ValidationIssue[] } {
    return { detail: this.issues };
  }
}

/** Largest JSON body accepted (contract bodies are a few hundred bytes). */
export const MAX_JSON_BYTES = 1024 * 1024;

/**
 * Read the request body as JSON and validate it. Empty body → `missing` at `["body"]`; invalid
 * JSON → `json_invalid`; schema errors → one issue per problem at `["body", ...path]`. A body
 * over `maxBytes` is a 413. The Content-Type is not enforced (FastAPI's clients send JSON).
 * With `optional: true`, no body (what .NET sends to the start endpoints) or a JSON `null`
 * validates `{}` instead, so the schema's defaults apply.
 */
export async function parseJsonBody<S extends z.ZodType>(
  req: Request,
  schema: S,
  opts: { maxBytes?: number; optional?: boolean } = {},
): Promise<z.output<S>> {
  const text = await readLimited(req, opts.maxBytes ?? MAX_JSON_BYTES);
  const trimmed = text.trim();
  if (opts.optional && (trimmed === "" || trimmed === "null")) {
    return parseValue(schema, {}, ["body"]);
  }
  if (trimmed === "") {
    throw new RequestValidationError([{ loc: ["body"], msg: "Field required", type: "missing" }]);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new RequestValidationError([{
      loc: ["body"],
      msg: "JSON decode error",
      type: "json_invalid",
      ctx: { error: err instanceof Error ? err.message : String(err) },
    }]);
  }
  return parseValue(schema, value, ["body"]);
}

/**
 * Validate any value (query parameters, path params, a parsed body) with `loc` prefixed to each
 * issue's path, e.g. `parseValue(LimitSchema, params, ["query"])`.
 */
export function parseValue<S extends z.ZodType>(
  schema: S,
  value: unknown,
  loc: (string | number)[],
): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new RequestValidationError(result.error.issues.map((issue) => toIssue(issue, loc, value)));
}

/**
 * Validate a URL's query parameters with an object schema: each key of the schema is read from
 * the query, an empty or absent parameter as `undefined` (so defaults apply); issues are located
 * under `["query", key]`.
 *
 * @example
 * ```ts
 * const { after, limit } = parseQuery(PacketsQuerySchema, ctx.url);
 * ```
 */
export function parseQuery<S extends z.ZodObject>(schema: S, url: URL): z.output<S> {
  const params: Record<string, string | undefined> = {};
  for (const key of Object.keys(schema.shape)) {
    params[key] = url.searchParams.get(key) || undefined;
  }
  return parseValue(schema, params, ["query"]);
}

async function readLimited(req: Request, maxBytes: number): Promise<string> {
  const declared = Number(req.headers.get("content-length") ?? NaN);
  if (declared > maxBytes) {
    await req.body?.cancel();
    throw new HttpError(413, `Request body is larger than ${maxBytes} bytes.`);
  }
  if (!req.body) return "";
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = req.body.getReader();
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) {
        await reader.cancel();
        throw new HttpError(413, `Request body is larger than ${maxBytes} bytes.`);
      }
      chunks.push(value);
    }
  } finally {
    reader.releaseLock();
  }
  const bytes = new Uint8Array(size);
  let off = 0;
  for (const c of chunks) {
    bytes.set(c, off);
    off += c.byteLength;
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new RequestValidationError([{
      loc: ["body"],
      msg: "JSON decode error",
      type: "json_invalid",
      ctx: { error: "Body is not valid UTF-8" },
    }]);
  }
}

const TYPE_NAMES: Record<string, [string, string]> = {
  string: ["string_type", "Input should be a valid string"],
  number: ["float_type", "Input should be a valid number"],
  int: ["int_type", "Input should be a valid integer"],
  boolean: ["bool_type", "Input should be a valid boolean"],
  object: ["dict_type", "Input should be a valid dictionary or object"],
  array: ["list_type", "Input should be a valid list"],
  null: ["none_required", "Input should be None"],
};

/** The value at `path` inside `root`, or undefined when absent. */
function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let cur = root;
  for (const key of path) {
    if (cur === null || typeof cur !== "object" || !Object.hasOwn(cur, key)) return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[key];
  }
  return cur;
}

/**
 * Map a zod issue to FastAPI/pydantic's error vocabulary (type names and messages). `input` is
 * the validated value, used to tell a missing field from a wrong type.
 */
export function toIssue(
  issue: z.core.$ZodIssue,
  loc: (string | number)[],
  input?: unknown,
): ValidationIssue {
  const path = [...loc, ...issue.path.map((p) => (typeof p === "symbol" ? String(p) : p))];
  switch (issue.code) {
    case "invalid_type": {
      if (valueAt(input, issue.path) === undefined) {
        return { loc: path, msg: "Field required", type: "missing" };
      }
      const [type, msg] = TYPE_NAMES[issue.expected] ?? [`${issue.expected}_type`, issue.message];
      return { loc: path, msg, type };
    }
    case "too_small": {
      const bound = Number(issue.minimum);
      if (issue.origin === "string" || issue.origin === "array") {
        const unit = issue.origin === "string" ? "character" : "item";
        return {
          loc: path,
          msg: `Should have at least ${bound} ${unit}${bound === 1 ? "" : "s"}`,
          type: "too_short",
        };
      }
      return issue.inclusive
        ? {
          loc: path,
          msg: `Input should be greater than or equal to ${bound}`,
          type: "greater_than_equal",
        }
        : { loc: path, msg: `Input should be greater than ${bound}`, type: "greater_than" };
    }
    case "too_big": {
      const bound = Number(issue.maximum);
      if (issue.origin === "string" || issue.origin === "array") {
        const unit = issue.origin === "string" ? "character" : "item";
        return {
          loc: path,
          msg: `Should have at most ${bound} ${unit}${bound === 1 ? "" : "s"}`,
          type: "too_long",
        };
      }
      return issue.inclusive
        ? {
          loc: path,
          msg: `Input should be less than or equal to ${bound}`,
          type: "less_than_equal",
        }
        : { loc: path, msg: `Input should be less than ${bound}`, type: "less_than" };
    }
    case "invalid_value":
      return {
        loc: path,
        msg: `Input should be ${issue.values.map((v) => JSON.stringify(v)).join(" or ")}`,
        type: issue.values.length === 1 ? "literal_error" : "enum",
      };
    case "unrecognized_keys":
      return {
        loc: [...path, ...(issue.keys.length === 1 ? [issue.keys[0]] : [])],
        msg: `Extra inputs are not permitted (${issue.keys.join(", ")})`,
        type: "extra_forbidden",
      };
    case "invalid_format":
      return {
        loc: path,
        msg: issue.message,
        type: issue.format === "regex" ? "string_pattern_mismatch" : "value_error",
      };
    default:
      return { loc: path, msg: issue.message, type: "value_error" };
  }
}
