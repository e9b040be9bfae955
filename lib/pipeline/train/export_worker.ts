/**
 * Worker side of `exportInWorker` (export.ts): builds the ONNX and XGBoost JSON bytes and moves
 * them back to the caller.
 *
 * @module
 */
import { serveWorker } from "../../worker/protocol.ts";
import { exportModel, type ExportRequest, type ModelArtifacts } from "./export.ts";

serveWorker<ExportRequest, ModelArtifacts>((req) => exportModel(req), {
  transfer: (res) => [res.onnx.buffer as ArrayBuffer, res.xgboost_json.buffer as ArrayBuffer],
  priority: "background",
});
