/**
 * The fixture app of the web layer's tests: `testdata/basic` with a development (memory) build
 * attached, as the app factory does it.
 *
 * @module
 */
import { fileURLToPath } from "node:url";
import { App } from "../app.ts";
import { Builder } from "../dev/builder.ts";
import { staticFiles } from "../static_files.ts";
import type { TestState } from "./basic/state.ts";

/** Root of the fixture project. */
export const FIXTURE_ROOT: string = fileURLToPath(new URL("./basic", import.meta.url));

/** `new App().use(staticFiles())`, optionally with `fsRoutes()`, and the memory build. */
export async function fixtureApp(
  { fsRoutes = true }: { fsRoutes?: boolean } = {},
): Promise<App<TestState>> {
  const app = new App<TestState>().use(staticFiles());
  if (fsRoutes) app.fsRoutes();
  const applySnapshot = await new Builder({ root: FIXTURE_ROOT })
    .build({ mode: "development", snapshot: "memory" });
  applySnapshot(app);
  return app;
}
