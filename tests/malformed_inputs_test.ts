/**
 * Issue 13: one table of malformed inputs (the hostile probe's and the earlier ones). Each gets
 * its 4xx JSON with a detail that says what is wrong; afterwards the service still answers, and
 * the active dataset, split and model are the ones from before.
 */
import assert from "node:assert/strict";
import { createApp } from "../lib/app.ts";
import { createLogger } from "../lib/api/logging.ts";
import { withTestServices } from "../lib/testing.ts";
import { registerPipelineTasks } from "../lib/pipeline/mod.ts";
import type { Services } from "../lib/services.ts";
import { getActiveDataset } from "../lib/pipeline/ingest/datasets.ts";
import { getActiveSplit } from "../lib/pipeline/split/split.ts";
import { getActiveModel } from "../lib/pipeline/train/models.ts";
import { dotnetSplitBody, dotnetUpload, generateCsv } from "./ingest_fixtures.ts";

type Handler = (req: Request) => Promise<Response>;

interface Case {
  name: string;
  req: () => Request;
  status: number;
  /** What the detail (stringified) must mention. */
  detail: RegExp;
}

const URL0 = "http://localhost";
const json = { "content-type": "application/json" };
const post = (path: string, body: BodyInit | null, headers: Record<string, string> = json) =>
  new Request(URL0 + path, { method: "POST", headers, body });
const get = (path: string) => new Request(URL0 + path);
const good = generateCsv({ features: 4 });
const goodLines = good.csv.trimEnd().split("\n");
const withLine = (i: number, f: (l: string) => string) =>
  goodLines.map((l, j) => (j === i ? f(l) : l)).join("\n") + "\n";
const LONG = "a".repeat(3000);
const splitOk = dotnetSplitBody({
  train: ["2025-01-01", "2025-01-04"],
  test: ["2025-01-05", "2025-01-05"],
  simulation: ["2025-01-06", "2025-01-07"],
});

const CASES: Case[] = [
  // Uploads
  {
    name: "upload as text/plain",
    req: () => post("/dataset/store", good.csv, { "content-type": "text/plain" }),
    status: 415,
    detail: /multipart\/form-data or text\/csv/,
  },
  {
    name: "upload as JSON",
    req: () => post("/dataset/store", "{}"),
    status: 415,
    detail: /Content-Type/,
  },
  {
    name: "multipart without boundary",
    req: () => dotnetUpload(good.csv, { contentType: "multipart/form-data" }),
    status: 400,
    detail: /boundary/,
  },
  {
    name: "part under another name",
    req: () => dotnetUpload(good.csv, { partName: "upload" }),
    status: 400,
    detail: /named 'file'/,
  },
  {
    name: "empty raw CSV body",
    req: () => post("/dataset/store", "", { "content-type": "text/csv" }),
    status: 400,
    detail: /empty/,
  },
  {
    name: "no Response column",
    req: () => dotnetUpload(good.csv.replace("Response", "Outcome")),
    status: 422,
    detail: /Response/,
  },
  {
    name: "header only",
    req: () => dotnetUpload(goodLines[0] + "\n"),
    status: 422,
    detail: /no data rows/,
  },
  {
    name: "extra field on a line",
    req: () => dotnetUpload(withLine(5, (l) => l + ",1.5")),
    status: 422,
    detail: /[Ll]ine 6/,
  },
  {
    name: "Response = 2",
    req: () => dotnetUpload(withLine(3, (l) => l.replace(/,[01]$/, ",2"))),
    status: 422,
    detail: /Response/,
  },
  {
    name: "binary garbage",
    req: () =>
      dotnetUpload(crypto.getRandomValues(new Uint8Array(4096)).map((b) => (b === 10 ? 0 : b))),
    // Binary content is refused as not a CSV file (issue 15: 415, as for a PNG or a ZIP).
    status: 415,
    detail: /not a CSV file/,
  },
  // Split
  {
    name: "split as text/plain",
    req: () =>
      post("/process/split-data", JSON.stringify(splitOk), { "content-type": "text/plain" }),
    status: 415,
    detail: /application\/json/,
  },
  {
    name: "split: invalid JSON",
    req: () => post("/process/split-data", "{not json"),
    status: 422,
    detail: /json_invalid|JSON/,
  },
  {
    name: "split: field missing",
    req: () =>
      post("/process/split-data", JSON.stringify({ ...splitOk, train_start_date: undefined })),
    status: 422,
    detail: /train_start_date/,
  },
  {
    name: "split: not a date",
    req: () => post("/process/split-data", JSON.stringify({ ...splitOk, test_end_date: "soon" })),
    status: 422,
    detail: /test_end_date/,
  },
  {
    name: "split: empty simulation window",
    req: () =>
      post(
        "/process/split-data",
        JSON.stringify(dotnetSplitBody({
          train: ["2025-01-01", "2025-01-04"],
          test: ["2025-01-05", "2025-01-05"],
          simulation: ["2027-01-01", "2027-01-02"],
        })),
      ),
    status: 422,
    detail: /simulation window/,
  },
  // Training
  {
    name: "train: bad override",
    req: () => post("/process/train/start", '{"max_depth":"deep"}'),
    status: 422,
    detail: /max_depth/,
  },
  {
    name: "train: text/plain with empty body",
    req: () => post("/process/train/start", "", { "content-type": "text/plain" }),
    status: 415,
    detail: /application\/json/,
  },
  {
    name: "train: cross-site",
    req: () => post("/process/train/start", null, { origin: "http://evil.example" }),
    status: 403,
    detail: /Cross-origin/,
  },
  // Ids and paths
  ...[
    `/tasks/${LONG}`,
    `/dataset/${LONG}/profile`,
    `/models/${LONG}/artifacts/model.onnx`,
    `/process/train/status/${LONG}`,
    `/simulation/status/${LONG}`,
    `/simulation/${LONG}/summary`,
    "/tasks/%zz",
    `/${"a".repeat(300)}.css`,
  ].map((path): Case => ({
    name: `GET ${path.slice(0, 30)}…`,
    req: () => get(path),
    status: 404,
    detail: /Not Found/,
  })),
  {
    name: "unknown task id",
    req: () => get(`/tasks/${crypto.randomUUID()}`),
    status: 404,
    detail: /Unknown task/,
  },
  {
    name: "stop an unknown training",
    req: () => post(`/process/train/stop/${crypto.randomUUID()}`, null, {}),
    status: 404,
    detail: /./,
  },
  {
    name: "wrong method",
    req: () => new Request(URL0 + "/process/split-data", { method: "DELETE" }),
    status: 405,
    detail: /Method Not Allowed/,
  },
];

async function waitTask(h: Handler, id: string): Promise<Record<string, unknown>> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const t = await (await h(get(`/tasks/${id}`))).json();
    if (["SUCCESS", "FAILURE", "REVOKED"].includes(t.status)) return t;
    assert.ok(Date.now() < deadline, `task ${id} did not finish`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Ids of the active dataset, split and model. */
async function snapshot(services: Services): Promise<(string | null)[]> {
  return [
    (await getActiveDataset(services.kv))?.id ?? null,
    (await getActiveSplit(services.kv))?.id ?? null,
    (await getActiveModel(services.kv))?.id ?? null,
  ];
}

Deno.test("malformed inputs: each → its 4xx JSON with a useful detail; state unchanged", () =>
  withTestServices(async (services) => {
    registerPipelineTasks(services);
    const errors: unknown[] = [];
    const logger = { ...createLogger("error"), error: (...a: unknown[]) => void errors.push(a) };
    const h = (await createApp(services, { logger })).handler() as Handler;
    // A good dataset, split and model first.
    const up = await h(dotnetUpload(good.csv));
    assert.equal(up.status, 202);
    assert.equal((await waitTask(h, (await up.json()).task_id)).status, "SUCCESS");
    assert.equal((await h(post("/process/split-data", JSON.stringify(splitOk)))).status, 200);
    const train = await h(post("/process/train/start", '{"n_estimators": 20}'));
    assert.equal((await waitTask(h, (await train.json()).task_id)).status, "SUCCESS");
    const before = await snapshot(services);
    assert.ok(before.every((id) => id !== null), JSON.stringify(before));

    for (const c of CASES) {
      const res = await h(c.req());
      const text = await res.text();
      assert.equal(res.status, c.status, `${c.name}: ${text.slice(0, 300)}`);
      assert.match(res.headers.get("content-type") ?? "", /application\/json/, c.name);
      const body = JSON.parse(text);
      assert.ok(body.detail, `${c.name}: no detail`);
      assert.match(JSON.stringify(body.detail), c.detail, c.name);
      const health = await h(get("/health"));
      assert.equal(health.status, 200, `${c.name}: service unhealthy afterwards`);
      await health.body?.cancel();
    }
    assert.deepEqual(await snapshot(services), before);
    assert.deepEqual(errors, [], "no 5xx-class error was logged");
  }));
