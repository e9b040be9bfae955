/**
 * Trainer benchmark: our histogram GBDT against XGBoost 1.7.4 (`/usr/bin/python3`,
 * scripts/xgb_bench.py) on the same seeded data, same hyperparameters (100 rounds, depth 6,
 * eta 0.1, hist, max_bin 256), 1 and 2 threads, 80/20 split.
 *
 *   deno run -A bench/train_vs_xgboost.ts [--only=a|b] [--threads=1,2] [--rounds=100]
 *
 * (a) 200k × 50, ~30 % missing, ~2 % positives; (b) Bosch-shaped 100k × 968, ~80 % missing,
 * ~0.6 % positives. Data is generated once into bench/.data/. Prints wall times, the ratio
 * ours / XGBoost (< 1 = we are faster) and both test AUCs.
 */

import process from "node:process";
import {
  aucRoc,
  makeClassification,
  predictProbaColumns,
  sliceRows,
  train,
  type TrainData,
} from "../lib/ml/mod.ts";

const args = Object.fromEntries(
  Deno.args.map((a) => a.replace(/^--/, "").split("=")).map(([k, v]) => [k, v ?? "true"]),
);
const threads = (args.threads ?? "1,2").split(",").map(Number);
const rounds = Number(args.rounds ?? 100);
const DEPTH = 6, ETA = 0.1;
const dataDir = new URL("./.data/", import.meta.url);
const scriptPath = new URL("../scripts/xgb_bench.py", import.meta.url).pathname;

const sets = [
  {
    key: "a",
    name: "200k x 50, 30% missing, 2% pos",
    nRows: 200_000,
    nFeatures: 50,
    missingRate: 0.3,
    positiveRate: 0.02,
    nInformative: 10,
    seed: 101,
  },
  {
    key: "b",
    name: "Bosch-shaped 100k x 968, 80% missing, 0.6% pos",
    nRows: 100_000,
    nFeatures: 968,
    missingRate: 0.8,
    positiveRate: 0.006,
    nInformative: 20,
    signal: 1.5,
    seed: 202,
  },
].filter((s) => !args.only || args.only === s.key);

/** Writes a dataset: JSON header line, labels (uint8), float32 columns (column-major). */
async function ensureFile(s: (typeof sets)[number]): Promise<{ path: string; data: TrainData }> {
  await Deno.mkdir(dataDir, { recursive: true });
  const path = new URL(`train_${s.key}_${s.nRows}x${s.nFeatures}_${s.seed}.bin`, dataDir).pathname;
  try {
    const bytes = await Deno.readFile(path);
    const nl = bytes.indexOf(10);
    const h = JSON.parse(new TextDecoder().decode(bytes.subarray(0, nl)));
    const n = h.nRows, nF = h.nFeatures;
    const labels = bytes.slice(nl + 1, nl + 1 + n);
    const body = bytes.slice(nl + 1 + n);
    const all = new Float32Array(body.buffer, body.byteOffset, n * nF);
    const columns = Array.from({ length: nF }, (_, f) => all.subarray(f * n, (f + 1) * n));
    return {
      path,
      data: { nRows: n, featureNames: columns.map((_, f) => `f${f}`), columns, labels },
    };
  } catch (e) {
    if (!(e instanceof Deno.errors.NotFound)) throw e;
  }
  const data = makeClassification(s);
  const header = new TextEncoder().encode(
    JSON.stringify({ nRows: s.nRows, nFeatures: s.nFeatures }) + "\n",
  );
  const f = await Deno.open(path + ".tmp", { write: true, create: true, truncate: true });
  const w = async (b: Uint8Array) => {
    for (let o = 0; o < b.length;) o += await f.write(b.subarray(o));
  };
  await w(header);
  await w(data.labels);
  for (const c of data.columns) await w(new Uint8Array(c.buffer, c.byteOffset, c.byteLength));
  f.close();
  await Deno.rename(path + ".tmp", path);
  return { path, data };
}

async function runXgb(path: string, t: number) {
  const out = await new Deno.Command("/usr/bin/python3", {
    args: [scriptPath, path, String(t), String(rounds), String(DEPTH), String(ETA)],
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (!out.success) throw new Error(new TextDecoder().decode(out.stderr));
  return JSON.parse(new TextDecoder().decode(out.stdout).trim().split("\n").at(-1)!);
}

/**
 * How much parallelism the machine offers right now (other processes share the 2 cores):
 * wall time of two CPU-bound workers relative to one (1.0 = two free cores, 2.0 = none).
 */
async function parallelCapacity(): Promise<number> {
  const code = "self.onmessage = () => { let s = 0; for (let i = 0; i < 2e8; i++) s += i % 7; " +
    "self.postMessage(s); };";
  const url = URL.createObjectURL(new Blob([code], { type: "application/javascript" }));
  const run = async (k: number) => {
    const t = performance.now();
    await Promise.all(Array.from({ length: k }, () =>
      new Promise((res) => {
        const w = new Worker(url, { type: "module" });
        w.onmessage = (e) => {
          w.terminate();
          res(e.data);
        };
        w.postMessage(0);
      })));
    return performance.now() - t;
  };
  const one = await run(1), two = await run(2);
  URL.revokeObjectURL(url);
  return two / one;
}

for (const s of sets) {
  const t0 = performance.now();
  const { path, data } = await ensureFile(s);
  const ntr = Math.floor(data.nRows * 0.8);
  const tr = sliceRows(data, 0, ntr), te = sliceRows(data, ntr, data.nRows);
  let pos = 0;
  for (const y of data.labels) pos += y;
  console.log(
    `\n(${s.key}) ${s.name}: ${data.nRows} rows, positives ${
      (100 * pos / data.nRows).toFixed(2)
    } %` +
      ` (data ready in ${((performance.now() - t0) / 1000).toFixed(1)} s)`,
  );
  for (const t of threads) {
    if (t > 1) {
      console.log(
        `  (parallel capacity now: 2 busy workers take ${
          (await parallelCapacity()).toFixed(2)
        }× the wall time of 1; 1.0 = two free cores)`,
      );
    }
    const xg = await runXgb(path, t);
    const start = performance.now();
    const c0 = process.cpuUsage();
    const { model } = await train(tr, {
      n_estimators: rounds,
      max_depth: DEPTH,
      learning_rate: ETA,
      n_threads: t,
    });
    const ours = (performance.now() - start) / 1000;
    const cu = process.cpuUsage(c0);
    const oursCpu = (cu.user + cu.system) / 1e6;
    const auc = aucRoc(te.labels, predictProbaColumns(model, te.columns, te.nRows));
    const f = (x: number) => x.toFixed(2);
    console.log(
      `  threads=${t}: wall ours ${f(ours)} s, xgboost ${xg.version} ${f(xg.train_s)} s ` +
        `(+ DMatrix ${f(xg.dmatrix_s)} s) → ratio ours/xgb ${f(ours / xg.train_s)}` +
        ` (incl. DMatrix ${f(ours / xg.total_s)})\n` +
        `             cpu  ours ${f(oursCpu)} s, xgboost ${f(xg.train_cpu_s)} s → ratio ${
          f(oursCpu / xg.train_cpu_s)
        }\n` +
        `             test AUC ours ${auc.toFixed(4)}, xgboost ${xg.auc.toFixed(4)} ` +
        `(Δ ${(auc - xg.auc).toFixed(4)})`,
    );
  }
}
