/**
 * Scoring an exported model with onnxruntime-web (WASM) — the same runtime and artifact a
 * .NET or Python consumer would use, so what we serve is what we ship.
 *
 * onnxruntime-web keeps one global WASM instance: `numThreads` takes effect only for the first
 * session created in the process (later values are ignored). One thread is the default because
 * ORT's threads are Web Workers, and a single-row tree ensemble gains nothing from them.
 * Runs on one session are serialised (a promise chain) so concurrent callers never overlap.
 *
 * @example
 * ```ts
 * const scorer = await OnnxScorer.create(toOnnx(model));
 * await scorer.warmup();
 * const pFail = await scorer.score(row); // P(class 1)
 * await scorer.release();
 * ```
 * @module
 */

import type * as Ort from "onnxruntime-web";

type OrtModule = typeof Ort;
/**
 * onnxruntime-web is loaded on the first session, not with this module: `lib/ml/mod.ts`
 * re-exports `OnnxScorer`, and a process that never scores should not pay for the runtime.
 */
const loadOrt = (): Promise<OrtModule> => import("onnxruntime-web");

/** Options of {@link OnnxScorer.create}. */
export interface OnnxScorerOptions {
  /** WASM threads for the process's ORT instance (first session wins); default 1. */
  numThreads?: number;
}

let configured = false;

function configure(ort: OrtModule, numThreads: number): void {
  if (configured) return;
  configured = true;
  ort.env.wasm.numThreads = numThreads;
  // No proxy worker: we run in Deno already off the HTTP path, and a worker would outlive tests.
  ort.env.wasm.proxy = false;
  ort.env.logLevel = "error";
}

/** A loaded ONNX binary classifier with inputs `[N, nFeatures]` and output `probabilities`. */
export class OnnxScorer {
  readonly #ort: OrtModule;
  readonly #session: Ort.InferenceSession;
  readonly #inputName: string;
  /** Number of input features the model expects. */
  readonly nFeatures: number;
  #queue: Promise<unknown> = Promise.resolve();
  #released = false;

  private constructor(
    ort: OrtModule,
    session: Ort.InferenceSession,
    inputName: string,
    nFeatures: number,
  ) {
    this.#ort = ort;
    this.#session = session;
    this.#inputName = inputName;
    this.nFeatures = nFeatures;
  }

  /** Creates a session from model bytes (e.g. from `toOnnx`). Rejects with a clear error. */
  static async create(onnxBytes: Uint8Array, opts: OnnxScorerOptions = {}): Promise<OnnxScorer> {
    const threads = opts.numThreads ?? 1;
    if (!Number.isInteger(threads) || threads < 1) {
      throw new RangeError(`numThreads must be a positive integer, got ${threads}`);
    }
    const ort = await loadOrt();
    configure(ort, threads);
    let session: Ort.InferenceSession;
    // ORT's Emscripten runtime, initialised by the first session, sets the global `Worker` to
    // Node's worker_threads Worker (for its pthreads): every Web Worker this thread started
    // afterwards got no `onmessage` (a training after a scoring in one thread never heard
    // back). Single-threaded ORT starts no worker, so the Web Worker is put back.
    const webWorker = globalThis.Worker;
    try {
      session = await ort.InferenceSession.create(onnxBytes, {
        executionProviders: ["wasm"],
        graphOptimizationLevel: "all",
      });
    } catch (e) {
      throw new Error(`cannot load ONNX model: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      if (ort.env.wasm.numThreads === 1) globalThis.Worker = webWorker;
    }
    const input = session.inputMetadata[0];
    const dims = input?.isTensor ? input.shape : [];
    const nFeatures = dims.length === 2 && typeof dims[1] === "number" ? dims[1] : NaN;
    if (!session.outputNames.includes("probabilities") || !(nFeatures > 0)) {
      await session.release();
      throw new Error(
        "ONNX model is not a binary classifier with input [N, nFeatures] and output probabilities",
      );
    }
    return new OnnxScorer(ort, session, session.inputNames[0], nFeatures);
  }

  /** P(class 1) for one row of `nFeatures` values (NaN = missing). */
  async score(row: ArrayLike<number>): Promise<number> {
    if (row.length !== this.nFeatures) {
      throw new RangeError(`row has ${row.length} values, model expects ${this.nFeatures}`);
    }
    const out = await this.scoreBatch(Float32Array.from(row), 1);
    return out[0];
  }

  /**
   * P(class 1) for `nRows` rows stored row-major in `rows` (`rows[i * nFeatures + j]`).
   */
  scoreBatch(rows: Float32Array, nRows: number): Promise<Float32Array> {
    if (!Number.isInteger(nRows) || nRows < 0 || rows.length !== nRows * this.nFeatures) {
      return Promise.reject(
        new RangeError(`expected ${nRows} × ${this.nFeatures} values, got ${rows.length}`),
      );
    }
    if (nRows === 0) return Promise.resolve(new Float32Array(0));
    const run = this.#queue.then(() => this.#run(rows, nRows));
    this.#queue = run.catch(() => {});
    return run;
  }

  async #run(rows: Float32Array, nRows: number): Promise<Float32Array> {
    if (this.#released) throw new Error("OnnxScorer has been released");
    const input = new this.#ort.Tensor("float32", rows, [nRows, this.nFeatures]);
    const out = await this.#session.run({ [this.#inputName]: input }, ["probabilities"]);
    const probs = out.probabilities.data as Float32Array;
    const p1 = new Float32Array(nRows);
    for (let i = 0; i < nRows; i++) p1[i] = probs[i * 2 + 1];
    return p1;
  }

  /** Runs `n` single-row predictions so the first real request does not pay for JIT/allocation. */
  async warmup(n = 20): Promise<void> {
    const row = new Float32Array(this.nFeatures).fill(Number.NaN);
    for (let i = 0; i < n; i++) await this.score(row);
  }

  /** Frees the session's WASM memory; later calls reject. Safe to call twice. */
  async release(): Promise<void> {
    if (this.#released) return;
    this.#released = true;
    await this.#queue;
    await this.#session.release();
  }
}
