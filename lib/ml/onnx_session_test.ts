import assert from "node:assert/strict";
import { toOnnx } from "./onnx_export.ts";
import { OnnxScorer } from "./onnx_session.ts";
import { makeTree, randomModel, randomRows, refProba } from "./testdata/hand_models.ts";
import type { GbdtModel } from "./model.ts";
import { train } from "./booster.ts";
import { makeClassification } from "./synthetic.ts";

function maxDiff(model: GbdtModel, rows: Float32Array, probs: Float32Array): number {
  const nF = model.featureNames.length;
  let worst = 0;
  for (let i = 0; i < probs.length; i++) {
    const p = refProba(model, rows.subarray(i * nF, (i + 1) * nF));
    worst = Math.max(worst, Math.abs(p - probs[i]));
  }
  return worst;
}

Deno.test("onnx session: ORT equals the reference on random trees with NaN and ties", async () => {
  const model = randomModel(11, 8, 30, 24); // trees 25..29 must be ignored
  const scorer = await OnnxScorer.create(toOnnx(model));
  try {
    assert.equal(scorer.nFeatures, 8);
    const n = 2000;
    const rows = randomRows(12, model, n, 0.3);
    const probs = await scorer.scoreBatch(rows, n);
    assert.equal(probs.length, n);
    assert.ok(maxDiff(model, rows, probs) <= 1e-6);
    const single = await scorer.score(rows.subarray(0, 8));
    assert.ok(Math.abs(single - probs[0]) <= 1e-7);
  } finally {
    await scorer.release();
  }
});

Deno.test("onnx session: all-positive leaves still give probabilities (guard tree)", async () => {
  const tree = makeTree([1, -1, -1], [2, -1, -1], [0, 0, 0], [0.5, 0, 0], [1, 0, 0], [0, 0.1, 2]);
  const model: GbdtModel = { ...randomModel(1, 1, 1), trees: [tree], baseScore: 0.2 };
  const scorer = await OnnxScorer.create(toOnnx(model));
  try {
    const rows = Float32Array.of(0, 1, Number.NaN);
    const probs = await scorer.scoreBatch(rows, 3);
    assert.ok(maxDiff(model, rows, probs) <= 1e-6, `${probs}`);
  } finally {
    await scorer.release();
  }
});

Deno.test("onnx session: concurrent calls, empty batch, bad input, release", async () => {
  const model = randomModel(21, 4, 5);
  const scorer = await OnnxScorer.create(toOnnx(model));
  const rows = randomRows(22, model, 50);
  const many = await Promise.all(
    Array.from({ length: 50 }, (_, i) => scorer.score(rows.subarray(i * 4, i * 4 + 4))),
  );
  const batch = await scorer.scoreBatch(rows, 50);
  assert.deepEqual(Float32Array.from(many), batch);
  assert.equal((await scorer.scoreBatch(new Float32Array(0), 0)).length, 0);
  await assert.rejects(scorer.score([1, 2]), /row has 2 values, model expects 4/);
  await assert.rejects(scorer.scoreBatch(new Float32Array(7), 2), /expected 2 × 4 values/);
  await scorer.warmup(3);
  await scorer.release();
  await scorer.release();
  await assert.rejects(scorer.score([1, 2, 3, 4]), /released/);
});

Deno.test("onnx session: invalid bytes reject with a clear error", async () => {
  await assert.rejects(OnnxScorer.create(new Uint8Array([1, 2, 3])), /cannot load ONNX model/);
  await assert.rejects(OnnxScorer.create(toOnnx(randomModel(1)), { numThreads: 0 }), /numThreads/);
});

Deno.test("OnnxScorer: a session leaves the global Web Worker in place (workers still answer)", async () => {
  const before = globalThis.Worker;
  const d = makeClassification({ nRows: 300, nFeatures: 4, missingRate: 0.3, seed: 2 });
  const { model } = await train(d, { n_estimators: 2 });
  const scorer = await OnnxScorer.create(toOnnx(model));
  try {
    assert.equal(globalThis.Worker, before);
    const code = "self.onmessage = (e) => self.postMessage(e.data * 2);";
    const url = URL.createObjectURL(new Blob([code], { type: "application/javascript" }));
    const w = new Worker(url, { type: "module" });
    try {
      const answer = await new Promise((resolve, reject) => {
        const t = setTimeout(() => reject(new Error("the worker never answered")), 10_000);
        w.onmessage = (e) => {
          clearTimeout(t);
          resolve(e.data);
        };
        w.postMessage(21);
      });
      assert.equal(answer, 42);
    } finally {
      w.terminate();
      URL.revokeObjectURL(url);
    }
  } finally {
    await scorer.release();
  }
});
