/**
 * Browser test: serves the app on a random port, opens `/admin` in Debian's Chromium through
 * playwright-core, and checks that the `HealthBadge` island hydrated (its SSR placeholder
 * "checking…" turns into "ok" after it fetched `/health` in the browser).
 *
 * Skipped (ignored, with a message) when `/usr/bin/chromium` is not installed; `.ci/run`
 * installs it.
 */
import assert from "node:assert/strict";
import { createApp } from "../lib/app.ts";
import { chromiumAvailable, launchChromium } from "./browser.ts";
import { createLogger } from "../lib/api/logging.ts";
import { withTestServices } from "../lib/testing.ts";

const available = chromiumAvailable("browser_test");

Deno.test({
  name: "browser: /admin hydrates the HealthBadge island and it reports ok",
  ignore: !available,
  fn: () =>
    withTestServices(async (services) => {
      const app = await createApp(services, { logger: createLogger("error") });
      const handler = app.handler();
      const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, handler);
      const browser = await launchChromium();
      try {
        const page = await browser.newPage();
        const pageErrors: string[] = [];
        page.on("pageerror", (err) => pageErrors.push(err.message));
        page.on("console", (msg) => {
          if (msg.type() === "error" || msg.type() === "warning") pageErrors.push(msg.text());
        });
        const base = `http://127.0.0.1:${server.addr.port}`;
        const res = await page.goto(`${base}/admin`);
        assert.equal(res?.status(), 200);

        // The server sent the placeholder; hydration + the first poll replace it.
        const badge = page.locator(".qc-health");
        await badge.and(page.locator('[data-hydrated="true"][data-state="ok"]')).waitFor({
          timeout: 15_000,
        });
        assert.equal((await badge.textContent())?.trim(), "Health: ok");
        assert.deepEqual(pageErrors, []);

        // Navigation is plain HTML: the nav links are rendered on the server.
        const nav = await page.locator(".qc-nav a").allTextContents();
        assert.deepEqual(nav, ["Dashboard", "Datasets", "Training", "Simulation", "API docs"]);
      } finally {
        await browser.close();
        await server.shutdown();
      }
    }),
});
