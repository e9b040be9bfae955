/**
 * `WorkerScorer`: the simulation's onnxruntime-web session, in its own Web Worker.
 *
 * Why a worker: creating the first ORT session compiles its WASM synchronously, and an ORT run
 * resolves through microtasks only — in the service thread that stalled the event loop (HTTP,
 * timers, the pacer) by 0.4–2.9 s at a simulation's start on a loaded 2-core machine, and single
 * runs showed p99 of 10–28 ms. In a worker those costs land on another thread; the replay scores
 * each row ahead of its due time, so the message round trip is off the schedule too.
 *
 * @example
 * ```ts
 * const scorer = await WorkerScorer.create(onnxBytes, { warmupRows, warmupRuns: 2000 });
 * const pFail = await scorer.score(row); // P(class 1), same value as OnnxScorer
 * // With `explainModel` (the model's XGBoost JSON): P(class 1) and the row's TreeSHAP top-k.
 * const { p, explanation } = await scorer.scoreExplained(row);
 * scorer.release();
 * ```
 *
 * @module
 */
import { WorkerClient, WorkerError } from "../../worker/mod.ts";
import type { ScoredRow, ScorerReady, ScorerRequest } from "./scorer_worker.ts";

export type { ScoredRow };

/** Options of `WorkerScorer.create`. */
export interface WorkerScorerOptions {
  /** ORT WASM threads inside the worker; default 1 (a single-row tree ensemble gains nothing). */
  numThreads?: number;
  /** Row-major rows used for the warmup runs (real rows exercise real tree paths). */
  warmupRows?: Float32Array;
  /** Warmup runs after the session is created; default 0. */
  warmupRuns?: number;
  /** Cap on the warmup time (ms) whatever the run count; default 5000. */
  warmupMaxMs?: number;
  /** Aborting while the session is being created terminates the worker and rejects. */
  signal?: AbortSignal;
  /**
   * The same model as XGBoost JSON (text, or its UTF-8 bytes: then the worker decodes them, off
   * the caller's thread): explain every row (TreeSHAP) in the worker.
   */
  explainModel?: string | Uint8Array;
  /** Contributions per explanation; default 5. */
  explainTop?: number;
}

/** One ORT session in a dedicated worker (see the module doc). */
export class WorkerScorer {
  #client: WorkerClient;
  /** Input width of the model. */
  readonly nFeatures: number;
  /** Session creation and warmup time inside the worker (ms) and the warmup runs done. */
  readonly timings: { createMs: number; warmupMs: number; warmupRuns: number };
  /** Feature order of the explain model, or null when this scorer does not explain. */
  readonly explainFeatures: string[] | null;

  private constructor(client: WorkerClient, ready: ScorerReady) {
    this.#client = client;
    this.nFeatures = ready.nFeatures;
    this.explainFeatures = ready.explainFeatures;
    this.timings = {
      createMs: ready.createMs,
      warmupMs: ready.warmupMs,
      warmupRuns: ready.warmupRuns,
    };
  }

  /** Start the worker, create the session and run the warmup. Rejects with a clear error. */
  static async create(
    onnxBytes: Uint8Array,
    opts: WorkerScorerOptions = {},
  ): Promise<WorkerScorer> {
    const { signal } = opts;
    signal?.throwIfAborted();
    const client = WorkerClient.spawn(new URL("./scorer_worker.ts", import.meta.url), {
      name: "onnx-scorer",
    });
    const onAbort = () => client.terminate(signal!.reason);
    signal?.addEventListener("abort", onAbort, { once: true });
    try {
      const ready = await client.call<ScorerRequest, ScorerReady>({
        kind: "init",
        bytes: onnxBytes,
        numThreads: opts.numThreads ?? 1,
        warmupRows: opts.warmupRows ?? new Float32Array(0),
        warmupRuns: opts.warmupRuns ?? 0,
        warmupMaxMs: opts.warmupMaxMs ?? 5000,
        explainModel: opts.explainModel,
        explainTop: opts.explainTop,
      });
      return new WorkerScorer(client, ready);
    } catch (err) {
      client.terminate(err);
      throw err instanceof WorkerError ? new Error(`ONNX scoring worker: ${err.message}`) : err;
    } finally {
      signal?.removeEventListener("abort", onAbort);
    }
  }

  /** P(class 1) of one row of `nFeatures` values (NaN = missing). */
  async score(row: ArrayLike<number>): Promise<number> {
    return (await this.scoreExplained(row)).p;
  }

  /** P(class 1) of one row and its explanation (null unless created with `explainModel`). */
  scoreExplained(row: ArrayLike<number>): Promise<ScoredRow> {
    if (row.length !== this.nFeatures) {
      return Promise.reject(
        new RangeError(`row has ${row.length} values, model expects ${this.nFeatures}`),
      );
    }
    return this.#client.call<ScorerRequest, ScoredRow>({
      kind: "score",
      row: Float32Array.from(row),
    })
      .catch((err) => {
        throw err instanceof WorkerError ? new Error(`ONNX scoring failed: ${err.message}`) : err;
      });
  }

  /** Terminate the worker; pending and later calls reject. Safe to call twice. */
  release(): void {
    this.#client.terminate(new Error("scorer released"));
  }
}
