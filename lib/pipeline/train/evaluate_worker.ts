/**
 * Worker side of `evaluateInWorker` (evaluate.ts): scores the validation and test sets and
 * returns the evaluation, moving the big buffers back instead of copying them.
 *
 * @module
 */
import { serveWorker } from "../../worker/protocol.ts";
import { evaluateModel, type EvaluateRequest, type Evaluation } from "./evaluate.ts";

serveWorker<EvaluateRequest, Evaluation>((req) => evaluateModel(req), {
  transfer: (res) => [res.test_probs.buffer, res.predictions_json.buffer as ArrayBuffer],
  priority: "background",
});
