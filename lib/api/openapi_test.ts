import assert from "node:assert/strict";
import { fileURLToPath as fromFileUrl } from "node:url";
import { openApiDocument, operationKeys } from "./openapi.ts";
import {
  parseContractDateTime,
  SimulationPacketSchema,
  SplitResponseSchema,
  TrainResultSchema,
  TrainStatusSchema,
} from "./contract.ts";
import { SplitRequestSchema } from "./requests.ts";

const ROUTES = new URL("../../routes/", import.meta.url);
/** Route files that are not API operations (pages, page shell, static helpers). */
const NOT_OPERATIONS = /^(admin\/|_app|_error|_middleware|docs\/assets\/)/;

/** `METHOD /path` of every API route file, from its path and its handler's methods. */
async function routeOperations(dir = ROUTES, prefix = ""): Promise<string[]> {
  const found: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    const rel = prefix + entry.name;
    if (entry.isDirectory) {
      found.push(...await routeOperations(new URL(`${entry.name}/`, dir), `${rel}/`));
      continue;
    }
    if (!/\.tsx?$/.test(entry.name) || /_test\.tsx?$/.test(entry.name)) continue;
    if (NOT_OPERATIONS.test(rel)) continue;
    const mod = await import(new URL(entry.name, dir).href);
    const path = "/" + rel.replace(/\.tsx?$/, "").replace(/(^|\/)index$/, "")
      .replace(/\[([^\]]+)\]/g, "{$1}");
    for (const method of Object.keys(mod.handler ?? {})) {
      found.push(`${method} ${path === "/" ? "/" : path.replace(/\/$/, "")}`);
    }
  }
  return found;
}

Deno.test("openapi: exactly one operation per route method, and every route documented", async () => {
  const documented = operationKeys();
  assert.equal(new Set(documented).size, documented.length, "an operation is listed twice");
  const routes = await routeOperations();
  assert.ok(
    routes.length >= 20,
    `only ${routes.length} route operations found in ${fromFileUrl(ROUTES)}`,
  );
  assert.deepEqual([...documented].sort(), [...routes].sort());
});

Deno.test("openapi: request inputs are rendered from the schemas the routes validate with", () => {
  // deno-lint-ignore no-explicit-any
  const doc = openApiDocument() as any;
  const split = doc.paths["/process/split-data"].post.requestBody.content["application/json"];
  assert.deepEqual(split.schema, { $ref: "#/components/schemas/SplitRequest" });
  assert.deepEqual(
    doc.components.schemas.SplitRequest.required,
    Object.keys(SplitRequestSchema.shape),
  );
  // The packets query comes from the route's own zod object, defaults included.
  const query = doc.paths["/simulation/{task_id}/packets"].get.parameters
    .filter((p: { in: string }) => p.in === "query");
  assert.deepEqual(
    query.map((p: { name: string; schema: { default: number } }) => [p.name, p.schema.default]),
    [["after", -1], ["limit", 100]],
  );
});

Deno.test("openapi: bearer auth everywhere but the public operations", () => {
  // deno-lint-ignore no-explicit-any
  const doc = openApiDocument({ bearerAuth: true }) as any;
  assert.deepEqual(doc.security, [{ bearerAuth: [] }]);
  assert.deepEqual(doc.paths["/health"].get.security, []);
  assert.equal(doc.paths["/models"].get.security, undefined);
  assert.equal(
    doc.paths["/process/train/status/{task_id}"].get.operationId,
    "get_process_train_status_task_id",
  );
  // deno-lint-ignore no-explicit-any
  const open = openApiDocument() as any;
  // Running open is declared, not left undefined (redocly's security-defined rule).
  assert.deepEqual(open.security, []);
  assert.equal(open.paths["/health"].get.security, undefined);
  assert.equal(open.components?.securitySchemes, undefined);
});

Deno.test("openapi: servers, and the middleware's 401 / 403 / 415 / 4XX answers (issue 13)", () => {
  // deno-lint-ignore no-explicit-any
  const doc = openApiDocument({ bearerAuth: true }) as any;
  assert.deepEqual(doc.servers.map((s: { url: string }) => s.url), ["/"]);
  const codes = (path: string, method: string) => Object.keys(doc.paths[path][method].responses);
  assert.ok(codes("/models", "get").includes("401"));
  assert.ok(!codes("/health", "get").includes("401"));
  assert.ok(codes("/health", "get").includes("4XX"));
  for (const code of ["401", "403", "415", "422"]) {
    assert.ok(codes("/process/split-data", "post").includes(code), code);
  }
  // deno-lint-ignore no-explicit-any
  const open = openApiDocument() as any;
  assert.ok(!Object.keys(open.paths["/models"].get.responses).includes("401"));
  assert.ok(Object.keys(open.paths["/dataset/store"].post.responses).includes("415"));
});

Deno.test("contract: every contract path is documented", () => {
  const ops = operationKeys();
  for (
    const op of [
      "GET /",
      "POST /dataset/store",
      "POST /process/split-data",
      "POST /process/train/start",
      "GET /process/train/status/{task_id}",
      "POST /simulation/start",
      "GET /simulation/status/{task_id}",
      "POST /simulation/stop/{task_id}",
    ]
  ) assert.ok(ops.includes(op), op);
  // The whole document serializes (no unrepresentable schema breaks it).
  assert.ok(JSON.stringify(openApiDocument()).length > 1000);
});

Deno.test("contract: dates as .NET sends them, zone-less as UTC, garbage rejected", () => {
  assert.equal(parseContractDateTime("2025-01-01T00:00:00Z"), Date.UTC(2025, 0, 1));
  assert.equal(
    parseContractDateTime("2025-01-04T23:59:59.9999999Z"),
    Date.UTC(2025, 0, 4, 23, 59, 59, 999),
  );
  assert.equal(parseContractDateTime("2025-01-04T23:59:59"), Date.UTC(2025, 0, 4, 23, 59, 59));
  assert.equal(parseContractDateTime("2025-01-04 10:00"), Date.UTC(2025, 0, 4, 10));
  assert.equal(parseContractDateTime("2025-01-04"), Date.UTC(2025, 0, 4));
  assert.equal(parseContractDateTime("2025-01-04T02:00:00+02:00"), Date.UTC(2025, 0, 4));
  assert.equal(parseContractDateTime("2025-01-04T00:00:00-0130"), Date.UTC(2025, 0, 4, 1, 30));
  for (
    const bad of ["", "tomorrow", "2025-02-30T00:00:00Z", "2025-01-01T24:00:00Z", "2025-13-01"]
  ) {
    assert.equal(parseContractDateTime(bad), null, bad);
  }
});

Deno.test("contract schemas accept the contract's examples and reject broken ones", () => {
  const split = {
    train_start_date: "2025-01-01T00:00:00Z",
    train_end_date: "2025-01-04T23:59:59.9999999Z",
    test_start_date: "2025-01-05T00:00:00Z",
    test_end_date: "2025-01-05T23:59:59.9999999Z",
    simulation_start_date: "2025-01-06T00:00:00Z",
    simulation_end_date: "2025-01-07T23:59:59.9999999Z",
  };
  assert.ok(SplitRequestSchema.safeParse(split).success);
  assert.ok(!SplitRequestSchema.safeParse({ ...split, test_end_date: "soon" }).success);
  assert.ok(
    SplitResponseSchema.safeParse({
      message: "Data successfully sampled, split, and saved.",
      train_set_path: "splits/x/train",
      train_set_rows: 10,
      test_set_path: "splits/x/test",
      test_set_rows: 2,
      simulation_set_path: "splits/x/simulation",
      simulation_set_rows: 3,
      daily_distribution: { "2025-01-01": 553, "2025-01-02": 592 },
    }).success,
  );
  const result = {
    metrics: { accuracy: 0.96, precision: 0.57, recall: 0.17, f1_score: 0.27 },
    training_chart: {
      train_loss: [{ x: 0, y: 0.607 }],
      train_accuracy: [{ x: 0, y: 0.975 }],
    },
    confusion_matrix: {
      true_positives: 4,
      false_positives: 3,
      true_negatives: 556,
      false_negatives: 19,
    },
    model_path: "models/x/model.onnx",
    curves_path: "models/x/curves.json",
  };
  assert.ok(TrainResultSchema.safeParse(result).success);
  const fractional = structuredClone(result);
  fractional.training_chart.train_loss[0].x = 0.5;
  assert.ok(!TrainResultSchema.safeParse(fractional).success); // x must be an integer
  assert.ok(
    TrainStatusSchema.safeParse({
      task_id: "t",
      status: "FAILURE",
      progress: { status: "Not enough rows" },
      result: null,
    }).success,
  );
  assert.ok(
    SimulationPacketSchema.safeParse({
      current_row_index: 0,
      total_rows: 47351,
      quality_score: 99.89,
      live_prediction: {
        timestamp: "2025-01-06T00:02:00Z",
        sample_id: "SAMPLE_28812",
        prediction: "Pass",
        confidence: 99.89,
        top_features: { L3_S1_F14: -0.052, L3_S6_F54: null, L0_S0_F0: 0.094 },
      },
      live_stats: { total_predictions: 1, pass_count: 1, fail_count: 0, average_confidence: 99.89 },
    }).success,
  );
});
