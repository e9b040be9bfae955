/**
 * Browser test of the operator UI: serves the app on a random port and drives Debian's Chromium
 * (playwright-core) through the whole flow the way an operator would — every admin page empty
 * (islands hydrate, no console errors), then a CSV upload through the file input (progress,
 * 202, feature selection followed to READY), the date split with the default windows, a
 * training run followed to its results, and a live simulation (SSE) stopped by the button,
 * ending with its summary; on the way, the QC figures lead the training results and the
 * simulation shows each row's explanation (signed bars), the fail log filling live and the drift
 * panels. Every state is also checked at 390×844 (no horizontal page scroll) and audited with
 * axe-core (WCAG 2.0/2.1/2.2 A + AA rules: 0 violations); the training's curves must grow while
 * it runs; and a browser without JavaScript must see the true state (results, packets, a working
 * upload form). Screenshots of every step go to `$UI_SHOTS_DIR` (kept; the default
 * `test-artifacts/ui/` is gitignored) or a temp dir (removed); the test prints where.
 *
 * Skipped (ignored, with a message) when `/usr/bin/chromium` is not installed.
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import type { Page } from "playwright-core";
import axe from "axe-core";
import { createApp } from "../lib/app.ts";
import { chromiumAvailable, launchChromium } from "./browser.ts";
import { createLogger } from "../lib/api/logging.ts";
import { registerPipelineTasks } from "../lib/pipeline/mod.ts";
import { withTestServices } from "../lib/testing.ts";
import { boschCsv, boschFixture } from "./bosch_fixture.ts";

const available = chromiumAvailable("admin_ui_browser_test");

const AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

/** axe-core's violations on the page (rule id, impact, first nodes), as readable lines. */
async function axeViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => "axe" in globalThis))) {
    // Evaluated over the DevTools protocol: an inline <script> tag would be refused by the CSP.
    await page.evaluate(axe.source);
  }
  const found = await page.evaluate(async (tags) => {
    // deno-lint-ignore no-explicit-any
    const result = await (globalThis as any).axe.run(document, {
      runOnly: { type: "tag", values: tags },
    });
    // deno-lint-ignore no-explicit-any
    return result.violations.map((v: any) =>
      `${v.id} (${v.impact}, ${v.nodes.length} nodes): ${
        // deno-lint-ignore no-explicit-any
        v.nodes.slice(0, 3).map((n: any) => `${n.target.join(" ")} — ${n.failureSummary}`)
          .join(" | ")}`
    );
  }, AXE_TAGS);
  return found as string[];
}

/** How far the page scrolls sideways (0 = fits the viewport). */
function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() =>
    Math.max(document.documentElement.scrollWidth, document.body.scrollWidth) - innerWidth
  );
}

/** Wait until every island on the page reports `data-hydrated="true"`. */
async function waitHydrated(page: Page): Promise<number> {
  await page.waitForFunction(
    () => {
      const all = document.querySelectorAll("[data-island]");
      return all.length > 0 && [...all].every((el) => el.getAttribute("data-hydrated") === "true");
    },
    undefined,
    { timeout: 10_000 },
  );
  return await page.locator("[data-island]").count();
}

Deno.test({
  name: "browser: admin pages hydrate; upload → split → train → simulate through the UI",
  ignore: !available,
  fn: () =>
    withTestServices(async (services) => {
      registerPipelineTasks(services);
      const keep = Deno.env.get("UI_SHOTS_DIR");
      const shots = keep ?? await Deno.makeTempDir({ prefix: "qc-ui-shots-" });
      await Deno.mkdir(shots, { recursive: true });
      const data = boschFixture({ rows: 4032, features: 30, cleanDays: [0], seed: 7 });
      const csvPath = join(shots, "bosch_ui.csv");
      await Deno.writeTextFile(csvPath, boschCsv(data));

      const app = await createApp(services, { logger: createLogger("error") });
      const server = Deno.serve({ port: 0, hostname: "127.0.0.1", onListen() {} }, app.handler());
      const browser = await launchChromium();
      const t0 = performance.now();
      const step = (name: string) =>
        console.log(`  ${name} at ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      try {
        const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
        const problems: string[] = [];
        page.on("pageerror", (err) => problems.push(`pageerror: ${err.message}`));
        page.on("console", (msg) => {
          if (msg.type() === "error" || msg.type() === "warning") {
            problems.push(`${msg.type()}: ${msg.text()}`);
          }
        });
        const base = `http://127.0.0.1:${server.addr.port}`;
        const audits: string[] = [];
        // Screenshot, axe audit and (at 390 px) the overflow check of the current state, at
        // the desktop size and again at the phone size.
        const shot = async (name: string) => {
          for (const [w, h] of [[1280, 800], [390, 844]]) {
            await page.setViewportSize({ width: w, height: h });
            await page.waitForTimeout(50); // let charts re-layout
            // From the top, so the sticky header is not captured mid-page.
            await page.evaluate(() => globalThis.scrollTo(0, 0));
            await page.screenshot({ path: join(shots, `${name}-${w}.png`), fullPage: true });
            for (const v of await axeViolations(page)) audits.push(`${name} @${w}: ${v}`);
            if (w === 390) {
              const over = await horizontalOverflow(page);
              if (over > 0) audits.push(`${name} @390: page scrolls sideways by ${over} px`);
            }
          }
          await page.setViewportSize({ width: 1280, height: 800 });
        };

        // 1. Every page on an empty service: rendered, hydrated, clear empty states.
        for (
          const [path, expect] of [
            ["/admin", "No tasks yet"],
            ["/admin/datasets", "No dataset yet"],
            ["/admin/training", "No dataset has been uploaded yet"],
            ["/admin/simulation", "No trained model yet"],
          ]
        ) {
          const res = await page.goto(base + path);
          assert.equal(res?.status(), 200, path);
          // The dashboard is server-rendered only (no island).
          if (path !== "/admin") assert.ok((await waitHydrated(page)) >= 1, path);
          assert.ok((await page.textContent("main"))?.includes(expect), `${path}: ${expect}`);
          await shot(`empty${path.replaceAll("/", "-")}`);
        }
        step("empty pages");

        // 2. Upload through the file input, follow feature selection to READY.
        await page.goto(`${base}/admin/datasets`);
        await waitHydrated(page);
        await page.setInputFiles('input[type="file"]', csvPath);
        await page.click('button[type="submit"]:has-text("Upload")');
        await page.locator('.qc-alert-success:has-text("Upload accepted (HTTP 202)")').waitFor({
          timeout: 15_000,
        });
        await page.locator('.qc-track [data-status="READY"]').waitFor({ timeout: 90_000 });
        // The overview island refreshed itself (event from the upload island).
        await page.locator('[data-island="DatasetOverview"]:has-text("bosch_ui.csv")').waitFor();
        assert.match(await page.textContent('[data-island="DatasetOverview"]') ?? "", /4,032/);
        await shot("datasets-ready");
        step("upload ready");

        // 3. Split with the default windows (4 / 1 / 2 days of 7: 576 rows a day), then train.
        await page.goto(`${base}/admin/training`);
        await waitHydrated(page);
        assert.match(
          await page.inputValue('input[name="train_start_date"]'),
          /^2025-01-01T00:00(:00)?$/,
        );
        await page.click('button:has-text("Split data")');
        await page.locator('.qc-metric:has-text("Training rows")').waitFor({ timeout: 15_000 });
        const split = await page.textContent('[data-island="SplitForm"]') ?? "";
        assert.match(split, /Training rows\s*2,304\s*Test rows\s*576\s*Simulation rows\s*1,152/);
        // The drift panel follows the new split (simulation window vs training window).
        await page.locator('section[aria-labelledby="split-drift"] [data-drift-status]').waitFor({
          timeout: 15_000,
        });
        step("split done");
        // Enough rounds (no early stop) to watch the curves grow over the event stream.
        await page.click("summary:has-text('Hyperparameters')");
        await page.fill('input[name="n_estimators"]', "400");
        await page.fill('input[name="early_stopping_rounds"]', "0");
        await page.click('button:has-text("Start training"):not([disabled])');
        const livePoints = () =>
          page.evaluate(() =>
            Number(
              document.querySelector('[data-testid="live-curves"]')?.getAttribute("data-points") ??
                0,
            )
          );
        await page.locator('[data-testid="live-curves"]').waitFor({ timeout: 60_000 });
        const firstPoints = await livePoints();
        const scope = await page.textContent('[data-testid="train-scope"]') ?? "";
        // Read in the page at the moment it grew: the live charts leave once the run ends.
        const grown = await page.waitForFunction(
          (n) => {
            const now = Number(
              document.querySelector('[data-testid="live-curves"]')?.getAttribute("data-points") ??
                0,
            );
            return now > n ? now : false;
          },
          firstPoints,
          { timeout: 60_000 },
        );
        assert.ok(Number(await grown.jsonValue()) > firstPoints, "the live curves did not grow");
        assert.match(scope, /(Training|Last run) on dataset .+, split .+ \(the active split\)/);
        await shot("training-live");
        step("live curves grew");
        await page.locator('[data-island="TrainingPanel"] [data-status="SUCCESS"]').waitFor({
          timeout: 90_000,
        });
        await page.locator('.qc-metric:has-text("ROC AUC")').waitFor();
        // QC figures lead the results, before accuracy.
        const results = await page.textContent("main") ?? "";
        assert.match(results, /Failures caught\s*\d+ of \d+/);
        assert.ok(results.indexOf("Failures caught") < results.indexOf("Accuracy"), results);
        // The models list refreshed itself after the run.
        await page.locator('[data-island="ModelsList"]:has-text("1 stored")').waitFor();
        await page.waitForTimeout(300); // let the charts draw
        await shot("training-done");
        step("training done");

        // 4. Simulation: start fast with no warmup, watch packets over SSE, stop, summary.
        // A second tab opened before the start: it goes stale once the first tab starts a run.
        const stale = await browser.newPage({ viewport: { width: 1280, height: 800 } });
        await stale.goto(`${base}/admin/simulation`);
        await waitHydrated(stale);
        await page.goto(`${base}/admin/simulation`);
        await waitHydrated(page);
        assert.match(await page.textContent("main") ?? "", /at 1 row\/s takes/); // the estimate
        await page.fill('input[name="rows_per_second"]', "25");
        await page.fill('input[name="warmup_seconds"]', "0");
        await page.click('button:has-text("Start simulation")');
        await page.locator(".qc-verdict").waitFor({ timeout: 20_000 });
        await page.locator("text=live via server-sent events").waitFor();
        await page.waitForFunction(
          () =>
            document.querySelectorAll('section[aria-labelledby="sim-table"] tbody tr').length >= 10,
          undefined,
          { timeout: 15_000 },
        );
        // Why: the current prediction's signed TreeSHAP bars, and its verdict's own probability.
        const current = 'section[aria-labelledby="sim-current"]';
        assert.ok(await page.locator(`${current} [data-explanation] .qc-shap-bar`).count() >= 1);
        assert.match(await page.textContent(`${current} .qc-verdict`) ?? "", /P\((fail|pass)\)/);
        // The fail log fills as Fail packets arrive, each with its bars, and links its CSV.
        const failLog = 'section[aria-labelledby="sim-fail-log"]';
        await page.locator(`${failLog} [data-fail-row] .qc-shap-bar`).first().waitFor({
          timeout: 30_000,
        });
        assert.match(
          await page.getAttribute(`${failLog} a:has-text("Export CSV")`, "href") ?? "",
          /\/simulation\/[^/]+\/failures\?format=csv$/,
        );
        await shot("simulation-live");
        // The stale tab's start joins the running run and says so until the next start — not
        // only until its first packet.
        await stale.click('button:has-text("Start simulation")');
        const already = stale.locator('.qc-alert:has-text("Already running")');
        await already.waitFor({ timeout: 10_000 });
        await stale.waitForFunction(
          () =>
            document.querySelectorAll('section[aria-labelledby="sim-table"] tbody tr').length >= 5,
          undefined,
          { timeout: 15_000 },
        );
        await stale.waitForTimeout(500);
        assert.ok(await already.isVisible(), "the 'already running' note vanished");
        await stale.close();
        await page.click('button:has-text("Stop")');
        await page.locator("#sim-summary").waitFor({ timeout: 15_000 });
        const summary = await page.textContent("main") ?? "";
        assert.match(summary, /Stopped/);
        assert.doesNotMatch(summary, /Revoked/);
        assert.match(summary, /Simulation was stopped by the user\./);
        // Every Fail of the run is in the log: its counter equals the summary's fail count.
        const simId = await page.evaluate(() =>
          document.querySelector("a[href*='/failures?format=csv']")?.getAttribute("href")
            ?.split("/")[2] ?? ""
        );
        const api = await (await fetch(`${base}/simulation/${simId}/summary`)).json();
        await page.waitForFunction(
          (n) => document.querySelector("[data-fail-count]")?.textContent === String(n),
          api.fail_count.toLocaleString("en-US"),
          { timeout: 10_000 },
        );
        await shot("simulation-stopped");
        await page.goto(`${base}/admin`);
        await shot("dashboard");
        await page.goto(`${base}/admin/simulation`);
        await waitHydrated(page);
        step("simulation stopped");
        assert.deepEqual(problems, []);

        // 4b. Without JavaScript: the server-rendered pages show the true state.
        const noJs = await browser.newContext({
          javaScriptEnabled: false,
          viewport: { width: 390, height: 844 },
        });
        try {
          const plain = await noJs.newPage();
          await plain.goto(`${base}/admin/simulation`);
          const simText = await plain.textContent("main") ?? "";
          assert.match(simText, /Stopped/);
          assert.doesNotMatch(simText, /Waiting for the first packet|Starting…/);
          assert.ok(
            await plain.locator('section[aria-labelledby="sim-table"] tbody tr').count() >= 10,
            "no-JS simulation page without its packets",
          );
          await plain.screenshot({ path: join(shots, "nojs-simulation-390.png"), fullPage: true });
          await plain.goto(`${base}/admin/training`);
          const trainText = await plain.textContent("main") ?? "";
          assert.match(trainText, /ROC AUC/);
          assert.match(trainText, /Rounds 0–\d+\. Training log loss/); // the curves as text
          await plain.screenshot({ path: join(shots, "nojs-training-390.png"), fullPage: true });
          // The upload form posts itself: a PNG is refused with the API's reason.
          await plain.goto(`${base}/admin/datasets`);
          const png = join(shots, "not-a-csv.png");
          await Deno.writeFile(png, new Uint8Array([0x89, 0x50, 0x4e, 0x47, 13, 10, 26, 10, 0]));
          await plain.setInputFiles('input[type="file"]', png);
          await plain.click('button[type="submit"]:has-text("Upload")');
          await plain.locator("text=not a CSV file").waitFor({ timeout: 15_000 });
          assert.match(await plain.textContent("main") ?? "", /Upload refused \(HTTP 415\)/);
          await plain.screenshot({ path: join(shots, "nojs-upload-refused-390.png") });
        } finally {
          await noJs.close();
        }
        step("no-JS views");

        // 5. Without the event stream (blocked here) the view falls back to polling the
        // packet history: reloading the finished run still shows its last packets and summary.
        await page.route("**/simulation/*/events*", (route) => route.abort());
        await page.reload();
        await waitHydrated(page);
        await page.locator("#sim-summary").waitFor({ timeout: 15_000 });
        await page.waitForFunction(
          () =>
            document.querySelectorAll('section[aria-labelledby="sim-table"] tbody tr').length >= 10,
          undefined,
          { timeout: 15_000 },
        );
        await shot("simulation-polled");
        step("polling fallback");
        // The blocked request itself is logged by the browser; nothing else may be.
        assert.deepEqual(problems.filter((p) => !/ERR_FAILED/.test(p)), []);
        // axe-core: 0 violations in every state at both sizes; nothing scrolls sideways at 390.
        assert.deepEqual(audits, []);
      } catch (err) {
        // Keep what the browser showed when a step failed.
        const pages = browser.contexts().flatMap((c) => c.pages());
        await pages[0]?.screenshot({ path: join(shots, "failure.png"), fullPage: true })
          .catch(() => {});
        throw err;
      } finally {
        await browser.close();
        await server.shutdown();
        console.log(`  screenshots: ${shots}${keep ? "" : " (removed)"}`);
        if (!keep) await Deno.remove(shots, { recursive: true }).catch(() => {});
      }
    }),
});
