/**
 * The OpenAPI 3.1 document, generated from the same zod schemas the routes validate with
 * (`z.toJSONSchema`), so the docs cannot drift from the code.
 *
 * Route modules (or `contract.ts`) describe their operations once:
 *
 * ```ts
 * import { namedSchema, registerOperation } from "../../lib/api/openapi.ts";
 * export const ModelSchema = namedSchema("Model", z.object({ id: z.string() }));
 * registerOperation({
 *   method: "get", path: "/models/{id}", summary: "One model", tags: ["models"],
 *   responses: { 200: { description: "The model", schema: ModelSchema }, 404: { description: "Unknown id" } },
 * });
 * ```
 *
 * Path parameters (`{id}`) are described automatically (string) unless given.
 *
 * @module
 */
import { z } from "zod";

/** HTTP methods as OpenAPI spells them. */
export type HttpMethod = "get" | "post" | "put" | "patch" | "delete" | "head" | "options";

/** A JSON Schema object (as produced by `z.toJSONSchema`, or written by hand). */
export type JsonSchema = Record<string, unknown>;

/** A request or response body: a zod schema (JSON), or an explicit media type and schema. */
export type BodySpec =
  | z.ZodType
  | {
    contentType: string;
    schema?: z.ZodType | JsonSchema;
    description?: string;
    required?: boolean;
  };

/** One response. */
export interface ResponseSpec {
  description: string;
  /** JSON body schema (zod), or a JSON Schema for another content type via `contentType`. */
  schema?: z.ZodType | JsonSchema;
  /** Media type; default `application/json`. */
  contentType?: string;
  /** Response headers by name → description. */
  headers?: Record<string, string>;
}

/** One parameter (query, header or path). */
export interface ParameterSpec {
  name: string;
  in: "query" | "path" | "header";
  description?: string;
  required?: boolean;
  schema?: z.ZodType | JsonSchema;
}

/** One operation. */
export interface OperationSpec {
  method: HttpMethod;
  /** OpenAPI path with `{param}` placeholders: `/process/train/status/{task_id}`. */
  path: string;
  summary: string;
  description?: string;
  tags?: string[];
  operationId?: string;
  parameters?: ParameterSpec[];
  requestBody?: BodySpec;
  responses: Record<number | string, ResponseSpec>;
  /** False for operations that never need the API token (`/`, `/health`, docs). */
  auth?: boolean;
  deprecated?: boolean;
}

const names = new WeakMap<z.ZodType, string>();

/**
 * Give a schema a component name: the document puts it under `components.schemas` and refers
 * to it with `$ref`. Returns the schema itself.
 */
export function namedSchema<S extends z.ZodType>(name: string, schema: S): S {
  names.set(schema, name);
  return schema;
}

/** Options of the generated document. */
export interface DocumentOptions {
  title?: string;
  version?: string;
  description?: string;
  /**
   * Adds the bearer security scheme and requires it where `auth !== false`; without it every
   * operation declares `security: []` (the service runs open).
   */
  bearerAuth?: boolean;
  /** `servers[0].url`; default `/` (the document's own origin). */
  serverUrl?: string;
}

/** The error body every 4xx carries (`{"detail": ...}`). */
const ERROR_BODY: JsonSchema = {
  type: "object",
  properties: { detail: { description: "What is wrong (a string, or a list for 422)" } },
  required: ["detail"],
};

/**
 * Responses every operation may give besides its own: 401 where the token is required, 403 / 415
 * on writes (cross-origin or wrong Content-Type), and a generic 4XX so each lists a client error.
 */
function implicitResponses(op: OperationSpec, bearerAuth: boolean): Record<string, ResponseSpec> {
  const out: Record<string, ResponseSpec> = {};
  if (bearerAuth && op.auth !== false) {
    out["401"] = { description: "Missing or wrong API token", schema: ERROR_BODY };
  }
  if (!["get", "head", "options"].includes(op.method)) {
    out["403"] = { description: "Cross-origin request refused", schema: ERROR_BODY };
    out["415"] = { description: "Unsupported Content-Type", schema: ERROR_BODY };
  }
  const has4xx = [...Object.keys(op.responses), ...Object.keys(out)].some((k) => /^4/.test(k));
  if (!has4xx) out["4XX"] = { description: "Client error", schema: ERROR_BODY };
  return out;
}

/** A set of operations that renders to one OpenAPI document. */
export class OpenApiRegistry {
  #ops = new Map<string, OperationSpec>();

  /** Add (or replace: modules may be reloaded in development) an operation. */
  register(op: OperationSpec): void {
    if (!op.path.startsWith("/")) throw new Error(`OpenAPI path must start with "/": ${op.path}`);
    this.#ops.set(`${op.method} ${op.path}`, op);
  }

  /** The registered operations, sorted by path then method. */
  operations(): OperationSpec[] {
    return [...this.#ops.values()].sort((a, b) =>
      a.path === b.path ? a.method.localeCompare(b.method) : a.path.localeCompare(b.path)
    );
  }

  /** Which named schemas appear as request (input) and/or response (output) schemas. */
  #usage(): Map<z.ZodType, Set<"input" | "output">> {
    const usage = new Map<z.ZodType, Set<"input" | "output">>();
    const mark = (schema: unknown, io: "input" | "output") => {
      if (schema instanceof z.ZodType) {
        const set = usage.get(schema) ?? new Set();
        set.add(io);
        usage.set(schema, set);
      }
    };
    for (const op of this.#ops.values()) {
      const body = op.requestBody;
      mark(body instanceof z.ZodType ? body : body?.schema, "input");
      for (const p of op.parameters ?? []) mark(p.schema, "input");
      for (const r of Object.values(op.responses)) mark(r.schema, "output");
    }
    return usage;
  }

  /** Render the OpenAPI 3.1 document. */
  document(opts: DocumentOptions = {}): Record<string, unknown> {
    const components: Record<string, JsonSchema> = {};
    const usedAs = this.#usage();
    const toSchema = (schema: z.ZodType | JsonSchema, io: "input" | "output"): JsonSchema => {
      if (!(schema instanceof z.ZodType)) return schema;
      const name = names.get(schema);
      const json = z.toJSONSchema(schema, { io, unrepresentable: "any", target: "draft-2020-12" });
      delete (json as JsonSchema).$schema;
      if (!name) return json as JsonSchema;
      // A schema used both in requests and responses may have two forms (defaults, strictness):
      // the request form then gets an `Input` suffix.
      const both = usedAs.get(schema)?.size === 2 && hasDifferentInput(schema);
      const key = io === "input" && both ? `${name}Input` : name;
      components[key] ??= json as JsonSchema;
      return { $ref: `#/components/schemas/${key}` };
    };
    const paths: Record<string, Record<string, unknown>> = {};
    for (const op of this.operations()) {
      const pathParams = [...op.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]);
      const parameters = [
        ...pathParams.filter((p) => !op.parameters?.some((q) => q.in === "path" && q.name === p))
          .map((name) => ({ name, in: "path", required: true, schema: { type: "string" } })),
        ...(op.parameters ?? []).map((p) => ({
          name: p.name,
          in: p.in,
          required: p.in === "path" ? true : p.required ?? false,
          ...(p.description ? { description: p.description } : {}),
          schema: p.schema ? toSchema(p.schema, "input") : { type: "string" },
        })),
      ];
      const operation: Record<string, unknown> = {
        summary: op.summary,
        ...(op.description ? { description: op.description } : {}),
        ...(op.tags ? { tags: op.tags } : {}),
        operationId: op.operationId ?? operationId(op),
        ...(parameters.length ? { parameters } : {}),
        ...(op.deprecated ? { deprecated: true } : {}),
        responses: Object.fromEntries(
          Object.entries({
            ...implicitResponses(op, opts.bearerAuth ?? false),
            ...op.responses,
          }).sort(([a], [b]) => a.localeCompare(b)).map(([status, r]) => [String(status), {
            description: r.description,
            ...(r.headers
              ? {
                headers: Object.fromEntries(
                  Object.entries(r.headers).map(([h, d]) => [h, {
                    description: d,
                    schema: { type: "string" },
                  }]),
                ),
              }
              : {}),
            ...(r.schema
              ? {
                content: {
                  [r.contentType ?? "application/json"]: { schema: toSchema(r.schema, "output") },
                },
              }
              : {}),
          }]),
        ),
      };
      if (op.requestBody) {
        const body = op.requestBody instanceof z.ZodType
          ? { contentType: "application/json", schema: op.requestBody, required: true }
          : op.requestBody;
        operation.requestBody = {
          required: body.required ?? true,
          ...(body.description ? { description: body.description } : {}),
          content: {
            [body.contentType]: body.schema ? { schema: toSchema(body.schema, "input") } : {},
          },
        };
      }
      operation.security = opts.bearerAuth && op.auth !== false ? [{ bearerAuth: [] }] : [];
      (paths[op.path] ??= {})[op.method] = operation;
    }
    return {
      openapi: "3.1.0",
      info: {
        title: opts.title ?? "QC ML Service",
        version: opts.version ?? "1.0.0",
        ...(opts.description ? { description: opts.description } : {}),
      },
      servers: [{ url: opts.serverUrl ?? "/", description: "This service" }],
      paths,
      components: {
        schemas: Object.fromEntries(
          Object.entries(components).sort(([a], [b]) => a.localeCompare(b)),
        ),
        ...(opts.bearerAuth
          ? {
            securitySchemes: {
              bearerAuth: {
                type: "http",
                scheme: "bearer",
                description: "`Authorization: Bearer <API_TOKEN>` (the admin pages use a session)",
              },
            },
          }
          : {}),
      },
      ...(opts.bearerAuth ? { security: [{ bearerAuth: [] }] } : {}),
    };
  }
}

function hasDifferentInput(schema: z.ZodType): boolean {
  const a = JSON.stringify(z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }));
  const b = JSON.stringify(z.toJSONSchema(schema, { io: "output", unrepresentable: "any" }));
  return a !== b;
}

function operationId(op: OperationSpec): string {
  const words = op.path.split("/").filter(Boolean).map((s) => s.replace(/[{}]/g, ""));
  return [op.method, ...(words.length ? words : ["root"])].join("_").replace(/[^A-Za-z0-9_]/g, "_");
}

/** The process-wide registry that `registerOperation` fills and `/openapi.json` renders. */
export const registry: OpenApiRegistry = new OpenApiRegistry();

/** Describe an operation in the service's OpenAPI document. */
export function registerOperation(op: OperationSpec): void {
  registry.register(op);
}
