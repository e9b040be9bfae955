import assert from "node:assert/strict";
import { z } from "zod";
import { HttpError } from "fresh";
import { parseJsonBody, parseValue, RequestValidationError } from "./validation.ts";

const post = (body: BodyInit | null, headers?: HeadersInit) =>
  new Request("http://localhost/x", { method: "POST", body, headers });

async function issues(promise: Promise<unknown>) {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof RequestValidationError, String(err));
    assert.equal(err.status, 422);
    return err.body().detail;
  }
  assert.fail("expected a validation error");
}

const Schema = z.object({
  name: z.string().min(2),
  count: z.int().max(10),
  ratio: z.number().gt(0),
  kind: z.enum(["a", "b"]),
  tags: z.array(z.string()).min(1),
  nested: z.object({ flag: z.boolean() }),
});

Deno.test("parseJsonBody: valid body is typed and returned", async () => {
  const body = { name: "xy", count: 3, ratio: 0.5, kind: "a", tags: ["t"], nested: { flag: true } };
  const value = await parseJsonBody(post(JSON.stringify({ ...body, extra: 1 })), Schema);
  assert.deepEqual(value, body); // unknown keys dropped, as pydantic does
});

Deno.test("parseJsonBody: FastAPI-shaped issues for every kind of problem", async () => {
  const detail = await issues(parseJsonBody(
    post(JSON.stringify({
      name: "x",
      count: 11,
      ratio: 0,
      kind: "c",
      tags: [],
      nested: { flag: "yes" },
    })),
    Schema,
  ));
  assert.deepEqual(detail, [
    { loc: ["body", "name"], msg: "Should have at least 2 characters", type: "too_short" },
    {
      loc: ["body", "count"],
      msg: "Input should be less than or equal to 10",
      type: "less_than_equal",
    },
    { loc: ["body", "ratio"], msg: "Input should be greater than 0", type: "greater_than" },
    { loc: ["body", "kind"], msg: 'Input should be "a" or "b"', type: "enum" },
    { loc: ["body", "tags"], msg: "Should have at least 1 item", type: "too_short" },
    {
      loc: ["body", "nested", "flag"],
      msg: "Input should be a valid boolean",
      type: "bool_type",
    },
  ]);
});

Deno.test("parseJsonBody: missing fields, wrong types, empty and invalid JSON", async () => {
  assert.deepEqual(await issues(parseJsonBody(post("{}"), z.object({ a: z.string() }))), [
    { loc: ["body", "a"], msg: "Field required", type: "missing" },
  ]);
  assert.deepEqual(await issues(parseJsonBody(post('{"a": 5}'), z.object({ a: z.string() }))), [
    { loc: ["body", "a"], msg: "Input should be a valid string", type: "string_type" },
  ]);
  assert.deepEqual(await issues(parseJsonBody(post("[1]"), z.object({ a: z.string() }))), [
    { loc: ["body"], msg: "Input should be a valid dictionary or object", type: "dict_type" },
  ]);
  assert.deepEqual(await issues(parseJsonBody(post(null), z.object({}))), [
    { loc: ["body"], msg: "Field required", type: "missing" },
  ]);
  const invalid = await issues(parseJsonBody(post('{"a": '), z.object({})));
  assert.equal(invalid.length, 1);
  assert.deepEqual(invalid[0].loc, ["body"]);
  assert.equal(invalid[0].type, "json_invalid");
  assert.equal(invalid[0].msg, "JSON decode error");
  assert.equal(typeof invalid[0].ctx?.error, "string");
  const notUtf8 = await issues(
    parseJsonBody(post(new Uint8Array([0x7b, 0xff, 0x7d])), z.object({})),
  );
  assert.equal(notUtf8[0].type, "json_invalid");
});

Deno.test("parseJsonBody: bodies over the limit are 413", async () => {
  await assert.rejects(
    parseJsonBody(post(JSON.stringify({ a: "x".repeat(100) })), z.object({}), { maxBytes: 50 }),
    (err: unknown) => err instanceof HttpError && err.status === 413,
  );
});

Deno.test("parseValue: custom location prefix", () => {
  assert.throws(
    () => parseValue(z.object({ limit: z.coerce.number().int() }), { limit: "x" }, ["query"]),
    (err: unknown) =>
      err instanceof RequestValidationError && err.issues[0].loc.join(".") === "query.limit",
  );
});
