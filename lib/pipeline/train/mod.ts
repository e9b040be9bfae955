/**
 * Train: the active split → a GBDT model with its metrics, curves and ONNX / XGBoost artifacts.
 * The capability's task registration and public surface.
 *
 * @example
 * ```ts
 * registerTrainTasks(services);
 * const task = await startTraining(services, { max_depth: 6 });
 * const model = await getActiveModel(services.kv);
 * ```
 *
 * @module
 */
import type { Services } from "../../services.ts";
import { trainTask } from "./train.ts";

export { runTraining, startTraining, TRAIN_KIND, TRAIN_STEPS, trainTask } from "./train.ts";
export { type TrainOverrides, trainOverridesSchema } from "./params.ts";
export {
  ARTIFACT_FILES,
  type ArtifactName,
  getActiveModel,
  getModel,
  isArtifactName,
  listModels,
  type ModelRecord,
  saveModel,
} from "./models.ts";

/** Register the training task kind (`train`). */
export function registerTrainTasks(services: Services): void {
  services.tasks.register(trainTask(services));
}
