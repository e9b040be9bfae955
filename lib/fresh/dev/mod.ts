/**
 * `fresh/dev`: the build side (Fresh 2 shape). `deno task build` runs `Builder.build()`; the app
 * factory uses a memory build in development and tests.
 *
 * ```ts
 * import { Builder } from "fresh/dev";
 * await new Builder({ root: import.meta.dirname }).build();
 * ```
 *
 * @module
 */
export { Builder, type BuildOptions, type ResolvedBuildConfig } from "./builder.ts";
