/**
 * The served OpenAPI document passes `@redocly/cli` lint with its recommended rules (0 errors),
 * with and without `API_TOKEN` (issue 13). Needs `npx` with `@redocly/cli@2.77.0` installable
 * or cached; the test is ignored (visibly) when it is not.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { createApp } from "../app.ts";
import { createLogger } from "./logging.ts";
import { withTestServices } from "../testing.ts";

const REDOCLY = "@redocly/cli@2.77.0";

function redoclyAvailable(): boolean {
  try {
    const out = new Deno.Command("npx", {
      args: ["-y", REDOCLY, "--version"],
      stdout: "null",
      stderr: "null",
    }).outputSync();
    return out.success;
  } catch {
    return false;
  }
}

for (const apiToken of [null, "s3cret"]) {
  Deno.test({
    name: `openapi: redocly lint (recommended) finds 0 errors (${apiToken ? "token" : "open"})`,
    ignore: !redoclyAvailable(),
    fn: () =>
      withTestServices(async (services) => {
        const app = await createApp(services, { logger: createLogger("error") });
        const res = await app.handler()(new Request("http://localhost/openapi.json"));
        const doc = await res.json();
        assert.ok(doc.servers?.length > 0);
        const file = join(services.config.dataDir, "openapi.json");
        await Deno.writeTextFile(file, JSON.stringify(doc, null, 2));
        const out = await new Deno.Command("npx", {
          args: ["-y", REDOCLY, "lint", file, "--format=summary"],
          stdout: "piped",
          stderr: "piped",
        }).output();
        const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
        const errors = [...text.matchAll(/^error\s+(\S+): (\d+)/gm)];
        assert.deepEqual(errors.map((m) => `${m[1]}: ${m[2]}`), [], text);
        assert.ok(out.success, text);
      }, { apiToken }),
  });
}
