import assert from "node:assert/strict";
import { train } from "./booster.ts";
import { trainColumnsInWorker, trainInWorker } from "./worker_train.ts";
import { makeClassification, sliceRows } from "./synthetic.ts";
import { packDataAsync, unpackData } from "./packed_data.ts";

const d = makeClassification({ nRows: 4000, nFeatures: 15, missingRate: 0.5, seed: 21 });
const tr = sliceRows(d, 0, 3000), va = sliceRows(d, 3000, 4000);
const params = { n_estimators: 12, subsample: 0.8, colsample_bytree: 0.7, seed: 3 };

Deno.test("trainInWorker: identical model and history to train(), rounds forwarded", async () => {
  const opts = { evalSets: [{ name: "train", data: tr }, { name: "valid", data: va }] };
  const a = await train(tr, params, opts);
  const rounds: number[] = [];
  const b = await trainInWorker(tr, params, {
    ...opts,
    onRound: async (r, m) => {
      await new Promise((res) => setTimeout(res, 1));
      assert.equal(m.valid.logloss, a.history.valid.logloss[r]);
      rounds.push(r);
    },
  });
  assert.deepEqual(b.model, a.model);
  assert.deepEqual(b.history, a.history);
  assert.deepEqual(rounds, [...Array(12).keys()]);
  assert.ok(!Number.isNaN(tr.columns[0][0]) || tr.columns[0].length === 3000); // caller's data intact
});

Deno.test("trainInWorker: n_threads = 2 in a worker equals n_threads = 2 in-thread", async () => {
  // Large enough that nodes pass the parallel threshold (2^15 stored entries).
  const big = makeClassification({ nRows: 20000, nFeatures: 20, missingRate: 0.3, seed: 5 });
  const p = { n_estimators: 5, seed: 3, n_threads: 2 };
  const a = await train(big, p);
  const b = await trainInWorker(big, p);
  assert.deepEqual(b.model.trees, a.model.trees);
});

Deno.test("packDataAsync: data already in shared memory is packed in place, the rest copied", async () => {
  const n = tr.nRows, nc = tr.columns.length;
  // Labels first, then the columns back to back: the layout of a sample blob.
  const head = 8 * Math.ceil(n / 8);
  const sab = new SharedArrayBuffer(head + 4 * n * nc);
  const labels = new Uint8Array(sab, 0, n);
  labels.set(tr.labels!);
  const columns = tr.columns.map((c, j) => {
    const view = new Float32Array(sab, head + 4 * n * j, n);
    view.set(c);
    return view;
  });
  const shared = { ...tr, columns, labels };
  const packed = await packDataAsync(shared);
  assert.equal(packed.buffer, sab, "no copy");
  const back = unpackData(packed);
  assert.deepEqual(back.columns, tr.columns);
  assert.deepEqual(back.labels, tr.labels);
  // Columns not back to back: copied into the packed layout.
  const gap = { ...shared, columns: [...columns].reverse() };
  const copied = await packDataAsync(gap);
  assert.notEqual(copied.buffer, sab);
  assert.deepEqual(unpackData(copied).columns, gap.columns);
  // Trained in place: the same model as from ordinary arrays.
  const a = await trainInWorker(tr, params);
  const b = await trainInWorker(shared, params);
  assert.deepEqual(b.model, a.model);
});

Deno.test("trainInWorker: trainer errors reject with the same class and message", async () => {
  const single = { ...tr, labels: new Uint8Array(tr.nRows) };
  await assert.rejects(() => trainInWorker(single, {}), (e: Error) => {
    assert.ok(e instanceof RangeError);
    assert.match(e.message, /only class 0/);
    return true;
  });
  await assert.rejects(() => trainInWorker(tr, { max_depth: -1 }), RangeError);
  // Detected inside the worker (while binning): crosses the worker boundary as a RangeError.
  const inf = { ...tr, columns: tr.columns.map((c) => c.slice()) };
  inf.columns[3][10] = Infinity;
  await assert.rejects(() => trainInWorker(inf, {}), (e: Error) => {
    assert.ok(e instanceof RangeError);
    assert.match(e.message, /feature 3 contains Infinity/);
    return true;
  });
  await assert.rejects(
    () => trainInWorker({ ...tr, weights: new Float32Array(5) }, {}),
    /5 weights for 3000 rows/,
  );
});

Deno.test("trainInWorker: hang timeout and abort reject instead of hanging", async () => {
  await assert.rejects(
    () => trainInWorker(tr, { n_estimators: 500 }, { hangTimeoutMs: 1 }),
    /sent nothing for 1 ms/,
  );
  const ac = new AbortController();
  const p = trainInWorker(tr, { n_estimators: 5000 }, {
    signal: ac.signal,
    onRound: (r) => {
      if (r === 1) ac.abort(new Error("user cancelled"));
    },
  });
  await assert.rejects(() => p, /user cancelled/);
  const ac2 = new AbortController();
  ac2.abort(new Error("already"));
  await assert.rejects(() => trainInWorker(tr, {}, { signal: ac2.signal }), /already/);
});

Deno.test("trainInWorker: a throwing onRound rejects and stops the worker", async () => {
  await assert.rejects(
    () =>
      trainInWorker(tr, { n_estimators: 1000 }, {
        onRound: () => {
          throw new Error("callback failed");
        },
      }),
    /callback failed/,
  );
});

/** A column source over `d` whose columns are fresh copies (their buffers get moved). */
function sourceOf(data: typeof d, delayMs = 0) {
  const asked: number[] = [];
  return {
    asked,
    source: {
      nRows: data.nRows,
      featureNames: data.featureNames,
      labels: data.labels,
      column: async (f: number) => {
        asked.push(f);
        await new Promise((r) => setTimeout(r, delayMs));
        return data.columns[f].slice();
      },
    },
  };
}

for (const nThreads of [1, 2]) {
  Deno.test(`trainColumnsInWorker (n_threads ${nThreads}): the model of train() on the training rows, holdout back`, async () => {
    const big = makeClassification({ nRows: 24000, nFeatures: 12, missingRate: 0.6, seed: 8 });
    const nt = 20000;
    const btr = sliceRows(big, 0, nt), bva = sliceRows(big, nt, big.nRows);
    const p = { ...params, n_threads: nThreads, early_stopping_rounds: 3 };
    const a = await train(btr, p, {
      evalSets: [{ name: "train", data: btr }, { name: "valid", data: bva }],
    });
    // Slow enough loading that the histogram helper is up and bins its share of the columns.
    const { source, asked } = sourceOf(big, nThreads > 1 ? 40 : 0);
    const binnedSeen: number[] = [];
    const rounds: number[] = [];
    const b = await trainColumnsInWorker(source, p, {
      trainRows: nt,
      evalSets: [{ name: "train", rows: "train" }, { name: "valid", rows: "holdout" }],
      onColumn: (k, total) => {
        assert.equal(total, 12);
        binnedSeen.push(k);
      },
      onRound: (r) => {
        rounds.push(r);
      },
    });
    assert.deepEqual(b.model, a.model);
    assert.deepEqual(b.history, a.history);
    assert.deepEqual(asked, [...Array(12).keys()]);
    assert.deepEqual(binnedSeen, [...Array(12).keys()].map((k) => k + 1));
    assert.equal(rounds.length, a.model.trees.length);
    assert.deepEqual(b.holdout, bva.columns);
  });
}

Deno.test("trainColumnsInWorker: bad columns and labels reject clearly; a failing source stops the worker", async () => {
  const { source } = sourceOf(tr);
  await assert.rejects(
    () => trainColumnsInWorker({ ...source, labels: new Uint8Array(tr.nRows) }),
    /only class 0/,
  );
  await assert.rejects(
    () => trainColumnsInWorker({ ...source, column: () => Promise.resolve(new Float32Array(5)) }),
    (e: Error) =>
      e instanceof RangeError && /must be a Float32Array of 3000 values/.test(e.message),
  );
  const inf = {
    ...source,
    column: (f: number) => {
      const c = tr.columns[f].slice();
      if (f === 2) c[7] = -Infinity;
      return Promise.resolve(c);
    },
  };
  await assert.rejects(() => trainColumnsInWorker(inf), /feature 2 contains -Infinity/);
  // With 2 threads, column 3 may be binned by the histogram helper: the error keeps its class.
  const inf3 = {
    ...source,
    column: (f: number) => {
      const c = tr.columns[f].slice();
      if (f === 3) c[9] = Infinity;
      return Promise.resolve(c);
    },
  };
  await assert.rejects(
    () => trainColumnsInWorker(inf3, { n_threads: 2 }),
    (e: Error) => e instanceof RangeError && /feature 3 contains Infinity/.test(e.message),
  );
  await assert.rejects(
    () =>
      trainColumnsInWorker({
        ...source,
        column: (f) => (f === 4 ? Promise.reject(new Error("disk gone")) : source.column(f)),
      }),
    /disk gone/,
  );
});
