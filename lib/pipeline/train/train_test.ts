import assert from "node:assert/strict";
import { withTestServices } from "../../testing.ts";
import { TaskConflictError } from "../../tasks/types.ts";
import { createSplit, loadSplitSet, SplitError } from "../split/mod.ts";
import { predictProbaColumns, train } from "../../ml/mod.ts";
import { getActiveModel } from "./models.ts";
import { registerTrainTasks, startTraining, TRAIN_STEPS } from "./mod.ts";
import { installSyntheticDataset } from "./testdata/synthetic_dataset.ts";
import type { Services } from "../../services.ts";

const DAY = 86_400_000;
const T0 = Date.UTC(2025, 0, 1);
const win = (d0: number, d1: number) => ({ start_ms: T0 + d0 * DAY, end_ms: T0 + d1 * DAY - 1 });

async function prepare(services: Services, rows = 4000) {
  registerTrainTasks(services);
  await installSyntheticDataset(services, { rows, features: 12, cleanDays: [0] });
  return await createSplit(services, { train: win(0, 4), test: win(4, 5), simulation: win(5, 7) });
}

Deno.test("train task: SUCCESS with contract result, model record and artifacts", async () => {
  await withTestServices(async (services) => {
    const { split } = await prepare(services);
    const task = await startTraining(services, { n_estimators: 60, early_stopping_rounds: 10 });
    // A second start for the same dataset while the first runs is refused, and so is a split.
    await assert.rejects(() => startTraining(services), TaskConflictError);
    await assert.rejects(
      () => createSplit(services, { train: win(0, 4), test: win(4, 5), simulation: win(5, 7) }),
      (err) => err instanceof SplitError && err.status === 409 && /training/.test(err.message),
    );
    const seen: string[] = [];
    let liveRounds = 0;
    for await (const rec of services.tasks.watch(task.id)) {
      const s = rec.progress?.status;
      if (rec.state === "PROGRESS" && typeof s === "string" && seen.at(-1) !== s) seen.push(s);
      // Each round report carries the curves so far (extra key; at most 100 points a curve).
      const curves = rec.progress?.curves as { train_loss?: unknown[] } | undefined;
      if (curves?.train_loss) {
        assert.ok(curves.train_loss.length <= 100);
        liveRounds = Math.max(liveRounds, curves.train_loss.length);
      }
    }
    const done = await services.tasks.waitFor(task.id, { timeoutMs: 30_000 });
    assert.equal(done.state, "SUCCESS", done.error ?? "");
    assert.ok(liveRounds > 0, "no live curves in the progress");
    assert.ok(seen.every((s) => (TRAIN_STEPS as readonly string[]).includes(s)), String(seen));
    // deno-lint-ignore no-explicit-any
    const r = done.result as Record<string, any>;
    assert.deepEqual(Object.keys(r.metrics).sort(), [
      "accuracy",
      "f1_score",
      "precision",
      "recall",
    ]);
    const cm = r.confusion_matrix;
    assert.equal(
      cm.true_positives + cm.false_positives + cm.true_negatives + cm.false_negatives,
      split.rows.test,
    );
    assert.equal(r.n_train + r.n_valid, split.rows.train);
    assert.equal(r.n_valid, Math.floor(split.rows.train * 0.15));
    assert.ok(r.training_chart.train_loss.length <= 60);
    assert.ok(r.best_iteration < r.training_chart.train_loss.length);
    // Defaults: no class weighting, so the scores are P(fail) as trained.
    assert.equal(r.scale_pos_weight, 1);
    assert.equal(r.class_weighting, "none");
    assert.equal(r.probabilities, "unweighted");
    const model = await getActiveModel(services.kv);
    assert.equal(model?.id, r.model_id);
    assert.equal(model?.threshold, r.threshold);
    for (const key of Object.values(model!.artifacts)) {
      assert.ok(await services.storage.stat(key), `missing ${key}`);
    }
    const xgb = JSON.parse(new TextDecoder().decode(
      await services.storage.getBytes(model!.artifacts.xgboost_json),
    ));
    assert.equal(xgb.learner.gradient_booster.model.trees.length, r.best_iteration + 1);
  });
});

Deno.test("train task: refit = the same rounds retrained on the whole window", async () => {
  await withTestServices(async (services) => {
    const { split } = await prepare(services);
    const settings = { n_estimators: 40, early_stopping_rounds: 10, refit: true, n_threads: 1 };
    const task = await startTraining(services, settings);
    const done = await services.tasks.waitFor(task.id, { timeoutMs: 30_000 });
    assert.equal(done.state, "SUCCESS", done.error ?? "");
    // deno-lint-ignore no-explicit-any
    const r = done.result as Record<string, any>;
    assert.equal(r.refit, true);
    assert.equal(r.refit_rounds, r.best_iteration + 1);
    assert.match(r.threshold_source, /^validation_mcc/);
    const model = await getActiveModel(services.kv);
    assert.equal(model?.recipe?.refit_rounds, r.refit_rounds);
    assert.ok(model!.recipe!.validation_metric!.curve.length > 1);
    // The oracle: train() on all rows of the window with refit_rounds rounds, no early stopping.
    const window = await loadSplitSet(services, split, "train");
    const test = await loadSplitSet(services, split, "test");
    const { model: direct } = await train(window, {
      n_estimators: r.refit_rounds,
      max_depth: 5,
      learning_rate: 0.1,
      n_threads: 1,
    });
    const expected = predictProbaColumns(direct, test.columns, test.nRows);
    const preds = JSON.parse(new TextDecoder().decode(
      await services.storage.getBytes(model!.artifacts.predictions),
    ));
    assert.equal(preds.probabilities.length, test.nRows);
    for (let i = 0; i < test.nRows; i++) {
      assert.ok(Math.abs(preds.probabilities[i] - expected[i]) < 1e-6, `row ${i}`);
    }
  });
});

Deno.test("train task: failures end as FAILURE with a reason", async () => {
  await withTestServices(async (services) => {
    registerTrainTasks(services);
    const noSplit = await startTraining(services);
    const f1 = await services.tasks.waitFor(noSplit.id, { timeoutMs: 10_000 });
    assert.equal(f1.state, "FAILURE");
    assert.match(f1.error ?? "", /No split yet/);
    assert.deepEqual(f1.progress, { status: f1.error });

    await installSyntheticDataset(services, { rows: 2000, features: 6, cleanDays: [0] });
    await createSplit(services, { train: win(0, 1), test: win(1, 2), simulation: win(2, 3) });
    const oneClass = await services.tasks.waitFor((await startTraining(services)).id);
    assert.equal(oneClass.state, "FAILURE");
    assert.match(oneClass.error ?? "", /only one class/);

    // An empty test window is refused by the split itself (issue 13): 422 naming the window.
    await assert.rejects(
      createSplit(services, { train: win(1, 4), test: win(9, 10), simulation: win(4, 5) }),
      (err: Error & { status?: number }) => err.status === 422 && /test window/.test(err.message),
    );
    assert.equal(await getActiveModel(services.kv), null);
  });
});

Deno.test("train task: a stop request ends the run as REVOKED", async () => {
  await withTestServices(async (services) => {
    await prepare(services, 20_000);
    const task = await startTraining(services, { n_estimators: 500, early_stopping_rounds: 0 });
    for await (const rec of services.tasks.watch(task.id)) {
      if (rec.progress?.status === TRAIN_STEPS[1]) break;
    }
    assert.equal(await services.tasks.stop(task.id), true);
    const done = await services.tasks.waitFor(task.id, { timeoutMs: 10_000 });
    assert.equal(done.state, "REVOKED");
    assert.equal(await getActiveModel(services.kv), null);
  });
});
