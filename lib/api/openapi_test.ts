import assert from "node:assert/strict";
import { z } from "zod";
import { namedSchema, OpenApiRegistry } from "./openapi.ts";
import {
  parseContractDateTime,
  SimulationPacketSchema,
  SplitRequestSchema,
  SplitResponseSchema,
  TrainResultSchema,
  TrainStatusSchema,
} from "./contract.ts";
import { registry } from "./openapi.ts";

Deno.test("OpenApiRegistry: named schemas become components; path params are described", () => {
  const r = new OpenApiRegistry();
  const Item = namedSchema("Item", z.object({ id: z.string(), n: z.int().default(1) }));
  r.register({
    method: "post",
    path: "/items/{id}",
    summary: "Update",
    tags: ["items"],
    requestBody: Item,
    responses: { 200: { description: "ok", schema: Item }, 404: { description: "no" } },
  });
  r.register({
    method: "get",
    path: "/public",
    summary: "Public",
    auth: false,
    responses: { 200: { description: "ok" } },
  });
  // deno-lint-ignore no-explicit-any
  const doc = r.document({ bearerAuth: true }) as any;
  const op = doc.paths["/items/{id}"].post;
  assert.deepEqual(op.parameters, [{
    name: "id",
    in: "path",
    required: true,
    schema: { type: "string" },
  }]);
  assert.equal(
    op.responses["200"].content["application/json"].schema.$ref,
    "#/components/schemas/Item",
  );
  // Used as request and response with different forms (default): two components.
  assert.equal(
    op.requestBody.content["application/json"].schema.$ref,
    "#/components/schemas/ItemInput",
  );
  assert.deepEqual(doc.components.schemas.Item.required, ["id", "n"]);
  assert.deepEqual(doc.components.schemas.ItemInput.required, ["id"]);
  assert.equal(op.responses["404"].content, undefined);
  assert.deepEqual(doc.security, [{ bearerAuth: [] }]);
  assert.deepEqual(doc.paths["/public"].get.security, []);
  assert.equal(op.operationId, "post_items_id");
});

Deno.test("contract: every contract path is registered", () => {
  const ops = registry.operations().map((o) => `${o.method.toUpperCase()} ${o.path}`);
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
  assert.ok(JSON.stringify(registry.document()).length > 1000);
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
