import { runBlobStoreContract } from "./blob_store_contract.ts";
import { LocalBlobStore } from "./local_store.ts";
import { S3BlobStore } from "./s3_store.ts";
import { S3RVER_AVAILABLE, startS3rver } from "./s3_testing.ts";

Deno.test("BlobStore contract: local files", async (t) => {
  await runBlobStoreContract(t, async () => {
    const root = await Deno.makeTempDir({ prefix: "blobs-" });
    return {
      store: await LocalBlobStore.open(root, { durable: false }),
      dispose: () => Deno.remove(root, { recursive: true }),
    };
  });
});

Deno.test({
  name: "BlobStore contract: S3 (s3rver, multipart with 5 MiB parts)",
  ignore: !S3RVER_AVAILABLE,
  // s3rver's HTTP server keeps sockets and timers of its own between steps.
  sanitizeResources: false,
  sanitizeOps: false,
  async fn(t) {
    const s3 = await startS3rver();
    let n = 0;
    try {
      await runBlobStoreContract(t, async () => {
        // A fresh bucket per step (created by `open`) under a prefix, as in production.
        const store = await S3BlobStore.open({
          ...s3.options,
          bucket: `contract-${++n}`,
          prefix: "qc/blobs",
          partSize: 5 * 2 ** 20,
          queueSize: 2,
        });
        return { store, dispose: () => Promise.resolve(store.close()) };
      }, { bigChunks: 12 });
    } finally {
      await s3.stop();
    }
  },
});
