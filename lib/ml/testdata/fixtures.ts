/**
 * Loaders for the XGBoost conformance fixtures made by `scripts/make_fixtures.py`, and a bridge
 * to Python XGBoost (`scripts/xgb_predict.py`) for the tests.
 * @module
 */

import type { TrainData } from "../model.ts";

const DIR = new URL("./", import.meta.url);

/** What `make_fixtures.py` recorded for one dataset (XGBoost 1.7.4's results). */
export interface Expected {
  dataset: string;
  n_train: number;
  n_test: number;
  n_features: number;
  positives_train: number;
  positives_test: number;
  xgboost_version: string;
  params: Record<string, number | string>;
  num_boost_round: number;
  model: string;
  test_auc: number;
  test_logloss: number;
  train_auc: number;
  train_logloss: number;
  test_proba: number[];
  early_stopping?: {
    model: string;
    params: Record<string, number | string>;
    best_iteration: number;
    num_trees: number;
    test_proba: number[];
  };
}

/** A fixture split into train/test sets (column-major) plus row-major test rows. */
export interface Fixture {
  expected: Expected;
  train: TrainData;
  test: TrainData;
  /** Test rows, row-major: `testRows[i * nFeatures + j]`. */
  testRows: Float32Array;
}

/** Reads a fixture file's text (relative to lib/ml/testdata/). */
export function fixtureText(file: string): Promise<string> {
  return Deno.readTextFile(new URL(file, DIR));
}

function slice(names: string[], cols: Float32Array[], labels: Uint8Array, a: number, b: number) {
  return {
    nRows: b - a,
    featureNames: names,
    columns: cols.map((c) => c.slice(a, b)),
    labels: labels.slice(a, b),
  };
}

/** Loads `<name>.csv` and `<name>_expected.json` (decimal → float64 → float32, as Python does). */
export async function loadFixture(name: string): Promise<Fixture> {
  const expected = JSON.parse(await fixtureText(`${name}_expected.json`)) as Expected;
  const lines = (await fixtureText(expected.dataset)).split("\n").filter((l) => l.length > 0);
  const header = lines[0].split(",");
  const names = header.slice(0, -1);
  const n = lines.length - 1, nF = names.length;
  const cols = names.map(() => new Float32Array(n));
  const labels = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const fields = lines[i + 1].split(",");
    if (fields.length !== nF + 1) throw new Error(`${expected.dataset} line ${i + 2}: bad width`);
    for (let j = 0; j < nF; j++) cols[j][i] = fields[j] === "" ? Number.NaN : Number(fields[j]);
    labels[i] = Number(fields[nF]);
  }
  const train = slice(names, cols, labels, 0, expected.n_train);
  const test = slice(names, cols, labels, expected.n_train, n);
  const testRows = new Float32Array(test.nRows * nF);
  for (let i = 0; i < test.nRows; i++) {
    for (let j = 0; j < nF; j++) testRows[i * nF + j] = test.columns[j][i];
  }
  return { expected, train, test, testRows };
}

/** Row-major rows → CSV text with a header (NaN → empty field), for `xgb_predict.py`. */
export function rowsToCsv(names: string[], rows: Float32Array): string {
  const nF = names.length;
  const out = [names.join(",")];
  for (let i = 0; i < rows.length / nF; i++) {
    const r = rows.subarray(i * nF, (i + 1) * nF);
    out.push(Array.from(r, (v) => (Number.isNaN(v) ? "" : String(v))).join(","));
  }
  return out.join("\n") + "\n";
}

const PYTHON = "/usr/bin/python3";
let xgbAvailable: Promise<boolean> | undefined;

/** True when `/usr/bin/python3` can import xgboost (CI installs python3-xgboost). */
export function pythonXgboostAvailable(): Promise<boolean> {
  xgbAvailable ??= new Deno.Command(PYTHON, { args: ["-c", "import xgboost"], stderr: "null" })
    .output()
    .then((r) => r.success, () => false);
  return xgbAvailable;
}

/** Predicts with Python XGBoost: writes the model text and rows to a temp dir, runs the script. */
export async function xgbPredict(
  modelJson: string,
  names: string[],
  rows: Float32Array,
): Promise<{ xgboost: string; best_iteration: number | null; proba: number[] }> {
  const dir = await Deno.makeTempDir({ prefix: "xgb_conf_" });
  try {
    await Deno.writeTextFile(`${dir}/model.json`, modelJson);
    await Deno.writeTextFile(`${dir}/data.csv`, rowsToCsv(names, rows));
    const script = new URL("../../../scripts/xgb_predict.py", import.meta.url).pathname;
    const out = await new Deno.Command(PYTHON, {
      args: [script, `${dir}/model.json`, `${dir}/data.csv`],
      stdout: "piped",
      stderr: "piped",
    }).output();
    if (!out.success) {
      throw new Error(
        `xgb_predict.py failed: ${new TextDecoder().decode(out.stderr).slice(-2000)}`,
      );
    }
    return JSON.parse(new TextDecoder().decode(out.stdout));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}
