/**
 * The model's download artifacts — ONNX and XGBoost JSON — built in a Web Worker: for a large
 * model they are megabytes (6.5 MB ONNX, 14.5 MB JSON measured) and took 1.2–1.5 s of the main
 * thread, stalling every HTTP request at the end of a training (issue 13, finding 5).
 *
 * @example
 * ```ts
 * const { onnx, xgboost_json } = await exportInWorker(model, 0.42, { signal });
 * await storage.put(keys.onnx, onnx);
 * ```
 *
 * @module
 */
import { type GbdtModel, stringifyXgboostJson, toOnnx, toXgboostJson } from "../../ml/mod.ts";
import { runInWorker } from "../../worker/run.ts";

/** What to export. */
export interface ExportRequest {
  model: GbdtModel;
  /** Decision threshold, stored in the ONNX metadata. */
  threshold: number;
}

/** The artifacts' bytes. */
export interface ModelArtifacts {
  onnx: Uint8Array;
  /** UTF-8 XGBoost JSON (`model.json`). */
  xgboost_json: Uint8Array;
}

/** Calls of `exportModel` in this thread (the worker has its own count): for tests. */
export const exportStats = { inThisThread: 0 };

/** Build both artifacts in the calling thread (the worker runs this; tests may too). */
export function exportModel({ model, threshold }: ExportRequest): ModelArtifacts {
  exportStats.inThisThread++;
  return {
    onnx: toOnnx(model, { metadata: { threshold: String(threshold) } }),
    xgboost_json: new TextEncoder().encode(stringifyXgboostJson(toXgboostJson(model))),
  };
}

/** `exportModel` in a Web Worker; the model is copied, the artifacts are moved back. */
export async function exportInWorker(
  model: GbdtModel,
  threshold: number,
  opts: { signal?: AbortSignal } = {},
): Promise<ModelArtifacts> {
  return await runInWorker<ExportRequest, ModelArtifacts>(
    new URL("./export_worker.ts", import.meta.url),
    { model, threshold },
    { signal: opts.signal, name: "export", hangTimeoutMs: 600_000 },
  );
}
