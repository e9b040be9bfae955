import assert from "node:assert/strict";
import { S3Client } from "@aws-sdk/client-s3";
import { parseS3Url, S3BlobStore, s3ClientConfig } from "./s3_store.ts";

const MiB = 2 ** 20;

/** A real client whose `send` is replaced: records command names, answers like S3 would. */
function mockClient(
  answer: (name: string, input: Record<string, unknown>) => unknown = () => ({}),
) {
  const client = new S3Client(s3ClientConfig({ bucket: "b", endpoint: "http://127.0.0.1:9" }));
  const sent: string[] = [];
  // deno-lint-ignore no-explicit-any
  (client as any).send = (
    cmd: { constructor: { name: string }; input: Record<string, unknown> },
  ) => {
    const name = cmd.constructor.name.replace(/Command$/, "");
    sent.push(name);
    return Promise.resolve().then(() => {
      const own = answer(name, cmd.input);
      if (own !== undefined) return own;
      return {};
    });
  };
  return { client, sent };
}

function s3Answers(name: string, input: Record<string, unknown>): unknown {
  if (name === "CreateMultipartUpload") return { UploadId: "u1" };
  if (name === "UploadPart") return { ETag: `"e${input.PartNumber}"` };
  return {};
}

function parts(n: number, opts: { failAfter?: number; onPull?: (i: number) => void } = {}) {
  let i = 0;
  return new ReadableStream<Uint8Array>({
    pull(c) {
      opts.onPull?.(i);
      if (opts.failAfter !== undefined && i === opts.failAfter) c.error(new Error("body failed"));
      else if (i >= n) c.close();
      else (i++, c.enqueue(new Uint8Array(MiB)));
    },
  });
}

Deno.test("S3BlobStore: a multipart upload completes with its parts in order", async () => {
  const { client, sent } = mockClient(s3Answers);
  const store = new S3BlobStore(client, { bucket: "b", prefix: "p", partSize: 5 * MiB });
  assert.equal(await store.put("k/big.bin", parts(12)), 12 * MiB);
  assert.deepEqual(sent.filter((n) => n !== "UploadPart"), [
    "CreateMultipartUpload",
    "CompleteMultipartUpload",
  ]);
  assert.equal(sent.filter((n) => n === "UploadPart").length, 3);
  store.close();
});

Deno.test("S3BlobStore: a body failing mid-upload aborts the multipart upload first", async () => {
  const { client, sent } = mockClient(s3Answers);
  const store = new S3BlobStore(client, { bucket: "b", partSize: 5 * MiB, queueSize: 1 });
  await assert.rejects(() => store.put("k/big.bin", parts(20, { failAfter: 11 })), /body failed/);
  assert.ok(sent.includes("CreateMultipartUpload"));
  assert.equal(sent.at(-1), "AbortMultipartUpload", sent.join(","));
  assert.ok(!sent.includes("CompleteMultipartUpload"));
  store.close();
});

Deno.test("S3BlobStore: an abort signal mid-upload aborts the multipart upload first", async () => {
  const { client, sent } = mockClient(s3Answers);
  const store = new S3BlobStore(client, { bucket: "b", partSize: 5 * MiB, queueSize: 1 });
  const ctl = new AbortController();
  const body = parts(100, { onPull: (i) => i === 12 && ctl.abort(new Error("client gone")) });
  await assert.rejects(() => store.put("k/big.bin", body, { signal: ctl.signal }), /client gone/);
  assert.equal(sent.at(-1), "AbortMultipartUpload", sent.join(","));
  assert.ok(!sent.includes("CompleteMultipartUpload"));
  store.close();
});

Deno.test("S3BlobStore: a failing part upload aborts the multipart upload", async () => {
  let n = 0;
  const { client, sent } = mockClient((name, input) => {
    if (name === "UploadPart" && ++n === 2) throw new Error("part rejected");
    return s3Answers(name, input);
  });
  const store = new S3BlobStore(client, { bucket: "b", partSize: 5 * MiB, queueSize: 1 });
  await assert.rejects(() => store.put("k/big.bin", parts(20)), /part rejected/);
  assert.ok(sent.includes("AbortMultipartUpload"), sent.join(","));
  assert.ok(!sent.includes("CompleteMultipartUpload"));
  store.close();
});

Deno.test("S3BlobStore: the bucket is created when missing, not when present", async () => {
  const notFound = Object.assign(new Error("NotFound"), {
    name: "NotFound",
    $metadata: { httpStatusCode: 404 },
  });
  const missing = mockClient((name) => {
    if (name === "HeadBucket") throw notFound;
  });
  await new S3BlobStore(missing.client, { bucket: "b" }).ensureBucket();
  assert.deepEqual(missing.sent, ["HeadBucket", "CreateBucket"]);
  const present = mockClient();
  await new S3BlobStore(present.client, { bucket: "b" }).ensureBucket();
  assert.deepEqual(present.sent, ["HeadBucket"]);
  missing.client.destroy();
  present.client.destroy();
});

Deno.test("S3BlobStore: URL and client settings", () => {
  assert.deepEqual(parseS3Url("s3://bucket/a/b/"), { bucket: "bucket", prefix: "a/b" });
  assert.deepEqual(parseS3Url("s3://bucket"), { bucket: "bucket", prefix: "" });
  assert.equal(parseS3Url("/var/data"), null);
  assert.equal(parseS3Url("s3:///x"), null);
  const custom = s3ClientConfig({ bucket: "b", endpoint: "http://minio:9000", region: "x" });
  assert.equal(custom.forcePathStyle, true);
  assert.equal(custom.region, "x");
  const aws = s3ClientConfig({ bucket: "b", region: "eu-central-1" });
  assert.equal(aws.forcePathStyle, undefined);
  assert.equal(aws.requestChecksumCalculation, "WHEN_REQUIRED");
});
