/**
 * Loading the project's WebAssembly kernels (`lib/data/wasm`, `lib/ml/wasm`): the compiled bytes
 * are committed as base64 TS modules by `scripts/build_wasm.ts`, so no file is read or fetched at
 * run time (Deno Deploy included). A module is compiled once, on first use, and is null where the
 * runtime cannot validate it (no WebAssembly SIMD, no shared memory): callers then run their JS
 * kernels.
 *
 * @example
 * ```ts
 * const kernelModule = lazyWasmModule(CSV_KERNELS_WASM_BASE64);
 * const module = kernelModule(); // WebAssembly.Module, or null → use the JS kernels
 * ```
 *
 * @module
 */

/** A getter that compiles `base64` on its first call and returns the same module (or null) after. */
export function lazyWasmModule(base64: string): () => WebAssembly.Module | null {
  let compiled: WebAssembly.Module | null | undefined;
  return () => {
    if (compiled !== undefined) return compiled;
    try {
      const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
      compiled = WebAssembly.validate(bytes) ? new WebAssembly.Module(bytes) : null;
    } catch {
      compiled = null;
    }
    return compiled;
  };
}
