import assert from "node:assert/strict";
import { z } from "zod";
import { createApp } from "./app.ts";
import { createLogger } from "./api/logging.ts";
import { parseJsonBody } from "./api/validation.ts";
import { withTestServices } from "./testing.ts";
import type { Services } from "./services.ts";
import { HttpError } from "fresh";

const quiet = createLogger("error");
const req = (path: string, init?: RequestInit) => new Request(`http://localhost${path}`, init);

async function app(services: Services) {
  return await createApp(services, { logger: quiet });
}

Deno.test("createApp: GET / answers the liveness message; browsers go to /admin", () =>
  withTestServices(async (services) => {
    const handler = (await app(services)).handler();
    const json = await handler(req("/", { headers: { accept: "application/json" } }));
    assert.equal(json.status, 200);
    assert.deepEqual(await json.json(), { message: "ML Service is alive" });
    const any = await handler(req("/"));
    assert.deepEqual(await any.json(), { message: "ML Service is alive" });
    const browser = await handler(req("/", {
      headers: { accept: "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8" },
    }));
    assert.equal(browser.status, 302);
    assert.equal(browser.headers.get("location"), "/admin");
    const head = await handler(req("/", { method: "HEAD" }));
    assert.equal(head.status, 200);
    assert.equal(head.body, null);
  }));

Deno.test("createApp: JSON errors for 404, 405 (+Allow), HttpError, 422 and crashes", () =>
  withTestServices(async (services) => {
    const errors: unknown[] = [];
    const logger = { ...quiet, error: (...args: unknown[]) => void errors.push(args) };
    const a = await createApp(services, { logger });
    a.get("/test/http-error", () => {
      throw new HttpError(409, "Busy", { headers: { "retry-after": "5" } });
    });
    a.get("/test/crash", () => {
      throw new Error("secret detail");
    });
    a.post("/test/body", async (ctx) => {
      const body = await parseJsonBody(ctx.req, z.object({ name: z.string(), n: z.int() }));
      return Response.json(body);
    });
    const handler = a.handler();

    const nf = await handler(req("/no/such/path"));
    assert.equal(nf.status, 404);
    assert.deepEqual(await nf.json(), { detail: "Not Found" });

    const na = await handler(req("/health", { method: "DELETE" }));
    assert.equal(na.status, 405);
    assert.equal(na.headers.get("allow"), "GET, HEAD");
    assert.deepEqual(await na.json(), { detail: "Method Not Allowed" });

    const he = await handler(req("/test/http-error"));
    assert.equal(he.status, 409);
    assert.equal(he.headers.get("retry-after"), "5");
    assert.deepEqual(await he.json(), { detail: "Busy" });

    const crash = await handler(req("/test/crash"));
    assert.equal(crash.status, 500);
    assert.deepEqual(await crash.json(), { detail: "Internal Server Error" });
    assert.equal(errors.length, 1);

    const bad = await handler(req("/test/body", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: '{"n": 1.5}',
    }));
    assert.equal(bad.status, 422);
    assert.deepEqual(await bad.json(), {
      detail: [
        { loc: ["body", "name"], msg: "Field required", type: "missing" },
        { loc: ["body", "n"], msg: "Input should be a valid integer", type: "int_type" },
      ],
    });
    const broken = await handler(req("/test/body", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{oops",
    }));
    assert.equal(broken.status, 422);
    const detail = (await broken.json()).detail;
    assert.deepEqual(detail[0].loc, ["body"]);
    assert.equal(detail[0].type, "json_invalid");
    const ok = await handler(req("/test/body", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: '{"name":"x","n":2}',
    }));
    assert.deepEqual(await ok.json(), { name: "x", n: 2 });
  }));

Deno.test("createApp: /health checks KV and storage; 503 when storage fails", () =>
  withTestServices(async (services) => {
    const ok = await (await app(services)).handler()(req("/health"));
    assert.equal(ok.status, 200);
    assert.deepEqual(await ok.json(), { status: "ok", kv: "ok", storage: "ok" });
    assert.deepEqual(await services.storage.list("health/"), []);

    const broken: Services = {
      ...services,
      storage: Object.assign(Object.create(services.storage), {
        put: () => Promise.reject(new Error("disk full")),
        delete: () => Promise.resolve(),
      }),
    };
    const bad = await (await app(broken)).handler()(req("/health"));
    assert.equal(bad.status, 503);
    assert.deepEqual(await bad.json(), {
      status: "error",
      kv: "ok",
      storage: "error: disk full",
    });
  }));

Deno.test("createApp: bearer token guards API paths, not /, /health, docs or login", () =>
  withTestServices(async (services) => {
    const handler = (await app(services)).handler();
    const denied = await handler(req("/process/train/start", { method: "POST" }));
    assert.equal(denied.status, 401);
    assert.equal(denied.headers.get("www-authenticate"), 'Bearer realm="qc-ml-service"');
    assert.deepEqual(await denied.json(), { detail: "Not authenticated" });

    const wrong = await handler(req("/datasets", { headers: { authorization: "Bearer nope" } }));
    assert.equal(wrong.status, 401);
    await wrong.body?.cancel();
    const unknown = await handler(req("/no/such/path"));
    assert.equal(unknown.status, 401); // no probing of paths without the token
    await unknown.body?.cancel();

    const allowed = await handler(req("/no/such/path", {
      headers: { authorization: "Bearer s3cret" },
    }));
    assert.equal(allowed.status, 404);
    await allowed.body?.cancel();
    // The raw token in a cookie is no credential any more (finding 1).
    const cookie = await handler(req("/no/such/path", { headers: { cookie: "api_token=s3cret" } }));
    assert.equal(cookie.status, 401);
    await cookie.body?.cancel();

    for (
      const path of ["/", "/health", "/openapi.json", "/docs", "/css/base.css", "/admin/login"]
    ) {
      const res = await handler(req(path));
      assert.equal(res.status, 200, path);
      await res.body?.cancel();
    }
  }, { apiToken: "s3cret" }));

Deno.test("createApp: /openapi.json documents every contract path; /docs is local", () =>
  withTestServices(async (services) => {
    const handler = (await app(services)).handler();
    const doc = await (await handler(req("/openapi.json"))).json();
    assert.equal(doc.openapi, "3.1.0");
    const expected: [string, string][] = [
      ["/", "get"],
      ["/dataset/store", "post"],
      ["/process/split-data", "post"],
      ["/process/train/start", "post"],
      ["/process/train/status/{task_id}", "get"],
      ["/simulation/start", "post"],
      ["/simulation/status/{task_id}", "get"],
      ["/simulation/stop/{task_id}", "post"],
      ["/health", "get"],
    ];
    for (const [path, method] of expected) {
      assert.ok(doc.paths[path]?.[method], `${method} ${path}`);
    }
    const split = doc.paths["/process/split-data"].post;
    assert.equal(
      split.requestBody.content["application/json"].schema.$ref,
      "#/components/schemas/SplitRequest",
    );
    assert.deepEqual(doc.components.schemas.SplitRequest.required.length, 6);

    const docs = await handler(req("/docs"));
    const html = await docs.text();
    assert.match(html, /src="\/docs\/assets\/swagger-ui-bundle\.js"/);
    assert.doesNotMatch(html, /(src|href)="https?:/); // no CDN
    const css = await handler(req("/docs/assets/swagger-ui.css"));
    assert.equal(css.status, 200);
    assert.equal(css.headers.get("content-type"), "text/css; charset=utf-8");
    await css.body?.cancel();
    const other = await handler(req("/docs/assets/package.json"));
    assert.equal(other.status, 404);
    await other.body?.cancel();
  }));

Deno.test("createApp: /admin renders the dashboard with the HealthBadge island", () =>
  withTestServices(async (services) => {
    const handler = (await app(services)).handler();
    const res = await handler(req("/admin", { headers: { accept: "text/html" } }));
    assert.equal(res.status, 200);
    const html = await res.text();
    assert.match(html, /<title>Dashboard · QC ML Service<\/title>/);
    assert.match(html, /<link rel="stylesheet" href="\/css\/base.css"\/?>/);
    assert.match(
      html,
      /<!--frsh:island:HealthBadge:0-->.*Health: checking….*<!--\/frsh:island-->/s,
    );
    assert.match(html, /island-healthbadge\.js/);
    assert.match(html, /No dataset yet/);

    const styles = await handler(req("/css/base.css"));
    assert.equal(styles.status, 200);
    assert.equal(styles.headers.get("content-type"), "text/css; charset=utf-8");
    await styles.body?.cancel();

    // Unknown admin page: HTML for browsers, JSON for API clients.
    const page = await handler(req("/admin/nope", { headers: { accept: "text/html" } }));
    assert.equal(page.status, 404);
    assert.match(await page.text(), /Page not found/);
    const json = await handler(req("/admin/nope", { headers: { accept: "application/json" } }));
    assert.equal(json.status, 404);
    assert.deepEqual(await json.json(), { detail: "Not Found" });
  }));
