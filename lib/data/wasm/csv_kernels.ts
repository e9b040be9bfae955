/**
 * The WebAssembly SIMD versions of the scanner's two fused record kernels (count and select,
 * see lib/data/csv_scanner.ts), bound to one scan's buffer. Source:
 * `assembly/csv_kernels.ts` (AssemblyScript), compiled by `scripts/build_wasm.ts` into
 * `csv_kernels_wasm.ts`.
 *
 * Why: the JS kernels look at every byte (a Bosch record is ~2,300 bytes of which ~970 are
 * commas); WebAssembly SIMD classifies 16 bytes per step and visits only the non-empty fields.
 * Measured with `deno run -A bench/ingest.ts --only kernels`: 2.0× the JS count kernel, 1.4×
 * the JS select-scan with number parsing (figures in csv_scanner.ts).
 *
 * Memory layout of an instance: `[0, capacity)` the scan buffer, 64 bytes of padding (vector
 * loads read up to 15 bytes past a record's LF), then the tables `configure` lays out: slot of
 * each column, next selected column, the slot offsets, the per-column counts and the result
 * block. The buffer is a view of the instance's memory, so the bytes are read into it directly
 * and never copied.
 *
 * @example
 * ```ts
 * const k = CsvKernels.create(1 << 20); // null without WebAssembly SIMD
 * if (k) {
 *   k.buf.set(bytes); // a record ending with a LF, at offset 0
 *   k.configure(slotOf, nextSel, nSlots);
 *   const lf = k.countLine(0); // offset of the LF, or -1 at a quote
 * }
 * ```
 *
 * @module
 */
import { CSV_KERNELS_WASM_BASE64 } from "./csv_kernels_wasm.ts";
import { lazyWasmModule } from "../../wasm/module.ts";

/** Bytes after the buffer that vector loads may read. */
const PAD = 64;
const PAGE = 65536;

interface KernelExports {
  countLine(
    start: number,
    nCols: number,
    slotOf: number,
    fs: number,
    fe: number,
    nonEmpty: number,
    nonNum: number,
    numStart: number,
    out: number,
  ): number;
  selectLine(
    start: number,
    nextSel: number,
    nSel: number,
    slotOf: number,
    fs: number,
    fe: number,
    values: number,
    out: number,
  ): number;
}

/** The compiled module, or null where WebAssembly SIMD is not available. */
const kernelModule = lazyWasmModule(CSV_KERNELS_WASM_BASE64);

/** One scan's kernels and the memory they work on. */
export class CsvKernels {
  readonly capacity: number;
  readonly #memory: WebAssembly.Memory;
  readonly #exports: KernelExports;
  /** The scan buffer (`capacity` bytes); a new view after `configure`. */
  buf: Uint8Array;
  /** Slot offsets of the selected columns (written by the kernels). */
  fieldStart = new Int32Array(0);
  fieldEnd = new Int32Array(0);
  /**
   * Per slot, the select kernel's number for the field (NaN: empty, or to be parsed in JS —
   * see `parseDecimal` in the AssemblyScript source).
   */
  values = new Float64Array(0);
  /** Per-column counts of the count kernel. */
  nonEmpty = new Uint32Array(0);
  nonNumeric = new Uint32Array(0);
  /** Results: field count, bad column, bad start, bad end, quote offset. */
  out = new Int32Array(5);
  #nCols = 0;
  #nSel = 0;
  #aSlot = 0;
  #aNext = 0;
  #aFs = 0;
  #aFe = 0;
  #aValues = 0;
  #aNonEmpty = 0;
  #aNonNum = 0;
  #aNumStart = 0;
  #aOut = 0;

  private constructor(module: WebAssembly.Module, capacity: number) {
    this.capacity = capacity;
    this.#memory = new WebAssembly.Memory({ initial: Math.ceil((capacity + PAD) / PAGE) });
    const instance = new WebAssembly.Instance(module, { env: { memory: this.#memory } });
    this.#exports = instance.exports as unknown as KernelExports;
    this.buf = new Uint8Array(this.#memory.buffer, 0, capacity);
  }

  /** Kernels over a fresh `capacity`-byte buffer, or null without WebAssembly SIMD. */
  static create(capacity: number): CsvKernels | null {
    const module = kernelModule();
    return module ? new CsvKernels(module, capacity) : null;
  }

  /** True when `view` is this instance's current scan buffer. */
  owns(view: Uint8Array): boolean {
    return view.buffer === this.#memory.buffer && view.byteOffset === 0 &&
      view.length === this.capacity;
  }

  /**
   * Lays out the tables of a plan (as the scanner builds them: `slotOf` per column, -1 when not
   * selected; `nextSel` with one entry more; `numStart` the bytes that can start a number).
   * Grows the memory, so `buf` is a new view afterwards (same bytes).
   */
  configure(slotOf: Int32Array, nextSel: Int32Array, nSlots: number, numStart: Uint8Array): void {
    const nCols = slotOf.length;
    let at = (this.capacity + PAD + 7) & ~7; // 8-aligned: the values are f64
    const take = (bytes: number) => {
      const a = at;
      at += (bytes + 7) & ~7;
      return a;
    };
    this.#aSlot = take(4 * nCols);
    this.#aNext = take(4 * nextSel.length);
    this.#aFs = take(4 * Math.max(1, nSlots));
    this.#aFe = take(4 * Math.max(1, nSlots));
    this.#aValues = take(8 * Math.max(1, nSlots));
    this.#aNonEmpty = take(4 * nCols);
    this.#aNonNum = take(4 * nCols);
    this.#aNumStart = take(256);
    this.#aOut = take(4 * 5);
    const pages = Math.ceil(at / PAGE) - this.#memory.buffer.byteLength / PAGE;
    if (pages > 0) this.#memory.grow(pages);
    const mem = this.#memory.buffer;
    this.buf = new Uint8Array(mem, 0, this.capacity);
    new Int32Array(mem, this.#aSlot, nCols).set(slotOf);
    new Int32Array(mem, this.#aNext, nextSel.length).set(nextSel);
    new Uint8Array(mem, this.#aNumStart, 256).set(numStart);
    this.fieldStart = new Int32Array(mem, this.#aFs, nSlots);
    this.fieldEnd = new Int32Array(mem, this.#aFe, nSlots);
    this.values = new Float64Array(mem, this.#aValues, nSlots);
    this.nonEmpty = new Uint32Array(mem, this.#aNonEmpty, nCols);
    this.nonNumeric = new Uint32Array(mem, this.#aNonNum, nCols);
    this.nonEmpty.fill(0);
    this.nonNumeric.fill(0);
    this.out = new Int32Array(mem, this.#aOut, 5);
    this.#nCols = nCols;
    this.#nSel = nextSel.length;
  }

  /**
   * Count kernel on the record at `start` (which must end with a LF inside the filled buffer).
   * Returns the LF's offset, or -1 at a quote: then `out[4]` is the quote's offset and the
   * counts of the fields before it must be taken back by the caller.
   */
  countLine(start: number): number {
    return this.#exports.countLine(
      start,
      this.#nCols,
      this.#aSlot,
      this.#aFs,
      this.#aFe,
      this.#aNonEmpty,
      this.#aNonNum,
      this.#aNumStart,
      this.#aOut,
    );
  }

  /**
   * Select kernel on the record at `start`; the LF's offset, or -1 at a quote. Fills
   * `fieldStart` / `fieldEnd` and `values` of the slots the record reaches.
   */
  selectLine(start: number): number {
    return this.#exports.selectLine(
      start,
      this.#aNext,
      this.#nSel,
      this.#aSlot,
      this.#aFs,
      this.#aFe,
      this.#aValues,
      this.#aOut,
    );
  }
}
