import assert from "node:assert/strict";
import { App, staticFiles } from "fresh";
import { Builder } from "fresh/dev";
import { attachBuild, BUILD_OPTIONS } from "./app_build.ts";
import { createLogger, type Logger } from "./api/logging.ts";

function recordingLogger(warnings: string[]): Logger {
  return Object.assign(createLogger("error"), { warn: (msg: string) => void warnings.push(msg) });
}

async function stylesheetStatus(app: App<unknown>): Promise<number> {
  const res = await app.handler()(new Request("http://localhost/css/base.css"));
  await res.body?.cancel();
  return res.status;
}

Deno.test("attachBuild: production serves the prebuilt snapshot", async () => {
  const outDir = await Deno.makeTempDir({ prefix: "app-build-" });
  try {
    await new Builder({ ...BUILD_OPTIONS, outDir }).build();
    const warnings: string[] = [];
    const app = new App().use(staticFiles()).fsRoutes();
    await attachBuild(app, "production", recordingLogger(warnings), { ...BUILD_OPTIONS, outDir });
    assert.equal(app.config.mode, "production");
    assert.deepEqual(warnings, []);
    assert.equal(await stylesheetStatus(app), 200); // static/ found through the snapshot
  } finally {
    await Deno.remove(outDir, { recursive: true });
  }
});

Deno.test("attachBuild: production without a build warns and builds in memory", async () => {
  const outDir = await Deno.makeTempDir({ prefix: "app-build-" });
  try {
    const warnings: string[] = [];
    const app = new App().use(staticFiles()).fsRoutes();
    await attachBuild(app, "production", recordingLogger(warnings), { ...BUILD_OPTIONS, outDir });
    assert.equal(app.config.mode, "development");
    assert.equal(await stylesheetStatus(app), 200);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0], /deno task build/);
  } finally {
    await Deno.remove(outDir, { recursive: true });
  }
});
