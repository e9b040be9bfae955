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
import type { ScorerReply, ScorerRequest } from "./scorer_worker.ts";
import type { RowExplanation } from "./explanation.ts";

/** A scored row: P(class 1) and, when the scorer explains, its explanation. */
export interface ScoredRow {
  p: number;
  explanation: RowExplanation | null;
}

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
  /** Aborting terminates the worker and rejects. */
  signal?: AbortSignal;
  /** The same model as XGBoost JSON text: explain every row (TreeSHAP) in the worker. */
  explainModel?: string;
  /** Contributions per explanation; default 5. */
  explainTop?: number;
}

/** One ORT session in a dedicated worker (see the module doc). */
export class WorkerScorer {
  #worker: Worker;
  #pending = new Map<number, { resolve: (r: ScoredRow) => void; reject: (e: Error) => void }>();
  #nextId = 0;
  #dead: Error | null = null;
  /** Input width of the model. */
  readonly nFeatures: number;
  /** Session creation and warmup time inside the worker (ms) and the warmup runs done. */
  readonly timings: { createMs: number; warmupMs: number; warmupRuns: number };
  /** Feature order of the explain model, or null when this scorer does not explain. */
  readonly explainFeatures: string[] | null;

  private constructor(worker: Worker, ready: Extract<ScorerReply, { type: "ready" }>) {
    this.#worker = worker;
    this.nFeatures = ready.nFeatures;
    this.explainFeatures = ready.explainFeatures;
    this.timings = {
      createMs: ready.createMs,
      warmupMs: ready.warmupMs,
      warmupRuns: ready.warmupRuns,
    };
    worker.onmessage = (e: MessageEvent<ScorerReply>) => {
      const m = e.data;
      if (m.type === "scored") {
        this.#pending.get(m.id)?.resolve({ p: m.p, explanation: m.explanation });
        this.#pending.delete(m.id);
      } else if (m.type === "error") {
        const err = new Error(`ONNX scoring failed: ${m.message}`);
        if (m.id === null) this.#fail(err);
        else {
          this.#pending.get(m.id)?.reject(err);
          this.#pending.delete(m.id);
        }
      }
    };
    worker.onerror = (e) => {
      e.preventDefault(); // a worker crash must reject, never take the service down
      this.#fail(new Error(`ONNX scoring worker crashed: ${e.message}`));
    };
    worker.onmessageerror = () => this.#fail(new Error("ONNX scoring worker: bad message"));
  }

  /** Start the worker, create the session and run the warmup. Rejects with a clear error. */
  static create(onnxBytes: Uint8Array, opts: WorkerScorerOptions = {}): Promise<WorkerScorer> {
    const { signal } = opts;
    if (signal?.aborted) return Promise.reject(signal.reason);
    const worker = new Worker(new URL("./scorer_worker.ts", import.meta.url), {
      type: "module",
    });
    return new Promise<WorkerScorer>((resolve, reject) => {
      const onAbort = () => {
        worker.terminate();
        reject(signal!.reason);
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      const done = () => signal?.removeEventListener("abort", onAbort);
      worker.onmessage = (e: MessageEvent<ScorerReply>) => {
        done();
        const m = e.data;
        if (m.type === "ready") resolve(new WorkerScorer(worker, m));
        else {
          worker.terminate();
          reject(new Error(`cannot load ONNX model: ${m.type === "error" ? m.message : m.type}`));
        }
      };
      worker.onerror = (e) => {
        e.preventDefault();
        done();
        worker.terminate();
        reject(new Error(`ONNX scoring worker crashed: ${e.message}`));
      };
      const init: ScorerRequest = {
        type: "init",
        bytes: onnxBytes,
        numThreads: opts.numThreads ?? 1,
        warmupRows: opts.warmupRows ?? new Float32Array(0),
        warmupRuns: opts.warmupRuns ?? 0,
        warmupMaxMs: opts.warmupMaxMs ?? 5000,
        explainModel: opts.explainModel,
        explainTop: opts.explainTop,
      };
      worker.postMessage(init);
    });
  }

  /** P(class 1) of one row of `nFeatures` values (NaN = missing). */
  async score(row: ArrayLike<number>): Promise<number> {
    return (await this.scoreExplained(row)).p;
  }

  /** P(class 1) of one row and its explanation (null unless created with `explainModel`). */
  scoreExplained(row: ArrayLike<number>): Promise<ScoredRow> {
    if (this.#dead) return Promise.reject(this.#dead);
    if (row.length !== this.nFeatures) {
      return Promise.reject(
        new RangeError(`row has ${row.length} values, model expects ${this.nFeatures}`),
      );
    }
    const id = this.#nextId++;
    return new Promise<ScoredRow>((resolve, reject) => {
      this.#pending.set(id, { resolve, reject });
      const msg: ScorerRequest = { type: "score", id, row: Float32Array.from(row) };
      this.#worker.postMessage(msg);
    });
  }

  /** Terminate the worker; pending and later calls reject. Safe to call twice. */
  release(): void {
    if (this.#dead) return;
    this.#fail(new Error("scorer released"));
  }

  #fail(err: Error): void {
    if (!this.#dead) {
      this.#dead = err;
      this.#worker.terminate();
    }
    for (const p of this.#pending.values()) p.reject(err);
    this.#pending.clear();
  }
}
