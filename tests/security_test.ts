/**
 * Issue 13 findings 1, 2 and 4 (paths) against the app without a server: operator login and
 * sessions, cross-site and wrong-Content-Type writes, security headers, overlong ids and file
 * names.
 */
import assert from "node:assert/strict";
import { createApp } from "../lib/app.ts";
import { createLogger } from "../lib/api/logging.ts";
import { exposureWarning } from "../lib/api/operator_auth.ts";
import { SessionSigner } from "../lib/api/session.ts";
import type { Config } from "../lib/config.ts";
import type { Services } from "../lib/services.ts";
import { withTestServices } from "../lib/testing.ts";
import { registerPipelineTasks } from "../lib/pipeline/mod.ts";
import { dotnetUpload, generateCsv } from "./ingest_fixtures.ts";

type Handler = (req: Request) => Promise<Response>;
const quiet = createLogger("error");

async function handlerFor(services: Services): Promise<Handler> {
  registerPipelineTasks(services);
  return (await createApp(services, { logger: quiet })).handler() as Handler;
}

const req = (path: string, init?: RequestInit, base = "http://localhost") =>
  new Request(`${base}${path}`, init);

function loginRequest(password: string, base = "http://localhost", headers = {}): Request {
  return req("/admin/login", {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", ...headers },
    body: new URLSearchParams({ password, next: "/admin/training" }).toString(),
  }, base);
}

function withAuth(fn: (h: Handler) => Promise<void>, overrides: Partial<Config> = {}) {
  return () =>
    withTestServices(async (services) => fn(await handlerFor(services)), {
      apiToken: "t0ken-s3cret",
      ...overrides,
    });
}

Deno.test(
  "finding 1: with API_TOKEN the admin pages redirect to the login form and leak nothing",
  withAuth(async (h) => {
    for (const path of ["/admin", "/admin/training", "/admin/datasets", "/admin/simulation"]) {
      const res = await h(req(path));
      assert.equal(res.status, 303, path);
      assert.equal(
        res.headers.get("location"),
        `/admin/login?next=${encodeURIComponent(path)}`,
      );
      assert.equal(await res.text(), "");
    }
    // The former ?token= shortcut sets nothing any more.
    const old = await h(req("/admin?token=t0ken-s3cret"));
    assert.equal(old.status, 303);
    assert.equal(old.headers.get("set-cookie"), null);
    await old.body?.cancel();
    // A POST to a page without a session: 401 JSON.
    const post = await h(req("/admin/training", { method: "POST" }));
    assert.equal(post.status, 401);
    assert.match((await post.json()).detail, /log in/);
    // The form renders without JavaScript.
    const form = await h(req("/admin/login?next=%2Fadmin%2Fdatasets"));
    assert.equal(form.status, 200);
    const html = await form.text();
    assert.match(html, /<form method="post" action="\/admin\/login"/);
    assert.match(html, /name="next" value="\/admin\/datasets"/);
    assert.doesNotMatch(html, /<script/);
  }),
);

Deno.test(
  "finding 1: login sets a signed HttpOnly SameSite=Strict session; pages and API accept it",
  withAuth(async (h) => {
    const wrong = await h(loginRequest("nope"));
    assert.equal(wrong.status, 401);
    assert.equal(wrong.headers.get("set-cookie"), null);
    assert.match(await wrong.text(), /Wrong password/);

    const ok = await h(loginRequest("t0ken-s3cret"));
    assert.equal(ok.status, 303);
    assert.equal(ok.headers.get("location"), "/admin/training");
    const setCookie = ok.headers.get("set-cookie")!;
    assert.match(setCookie, /^qc_session=[^;]+; Path=\/; HttpOnly; SameSite=Strict; Max-Age=43200/);
    assert.doesNotMatch(setCookie, /Secure/); // plain http
    assert.doesNotMatch(setCookie, /t0ken-s3cret/);
    const cookie = setCookie.split(";")[0];

    const page = await h(req("/admin/training", { headers: { cookie } }));
    assert.equal(page.status, 200);
    await page.body?.cancel();
    const api = await h(req("/datasets", { headers: { cookie } }));
    assert.equal(api.status, 200); // the pages' own fetches
    await api.body?.cancel();
    const bearer = await h(req("/datasets", { headers: { authorization: "Bearer t0ken-s3cret" } }));
    assert.equal(bearer.status, 200); // API clients keep the bearer header
    await bearer.body?.cancel();

    // A tampered signature or expiry is refused.
    const [name, value] = cookie.split("=");
    const [exp, nonce, sig] = value.split(".");
    for (const bad of [`${Number(exp) + 1}.${nonce}.${sig}`, `${exp}.${nonce}.${sig.slice(1)}x`]) {
      const res = await h(req("/admin", { headers: { cookie: `${name}=${bad}` } }));
      assert.equal(res.status, 303);
      await res.body?.cancel();
    }

    const out = await h(req("/admin/logout", { method: "POST", headers: { cookie } }));
    assert.equal(out.status, 303);
    assert.match(out.headers.get("set-cookie")!, /^qc_session=; .*Max-Age=0/);
  }),
);

Deno.test(
  "finding 1: the session cookie is Secure over HTTPS and behind a trusted proxy only",
  () =>
    withTestServices(async (services) => {
      const h = await handlerFor(services);
      const direct = await h(loginRequest("pw", "https://qc.example"));
      assert.match(direct.headers.get("set-cookie")!, /; Secure/);
      const proxied = await h(loginRequest("pw", "http://localhost", {
        "x-forwarded-proto": "https",
      }));
      assert.match(proxied.headers.get("set-cookie")!, /; Secure/);
    }, { operatorPassword: "pw", trustProxy: true }),
);

Deno.test(
  "finding 1: X-Forwarded-Proto is ignored without TRUST_PROXY",
  withAuth(async (h) => {
    const res = await h(loginRequest("t0ken-s3cret", "http://localhost", {
      "x-forwarded-proto": "https",
    }));
    assert.equal(res.status, 303);
    assert.doesNotMatch(res.headers.get("set-cookie")!, /Secure/);
  }),
);

Deno.test(
  "finding 1: failed logins are rate-limited per client (429 + Retry-After)",
  withAuth(async (h) => {
    for (let i = 0; i < 5; i++) {
      const res = await h(loginRequest("guess" + i));
      assert.equal(res.status, 401);
      await res.body?.cancel();
    }
    const limited = await h(loginRequest("t0ken-s3cret")); // even the right one, for a while
    assert.equal(limited.status, 429);
    assert.ok(Number(limited.headers.get("retry-after")) > 0);
    assert.match(await limited.text(), /Too many failed logins/);
  }),
);

Deno.test("finding 1: OPERATOR_PASSWORD alone guards the pages, not the API", () =>
  withTestServices(async (services) => {
    const h = await handlerFor(services);
    const page = await h(req("/admin"));
    assert.equal(page.status, 303);
    await page.body?.cancel();
    const api = await h(req("/datasets"));
    assert.equal(api.status, 200);
    await api.body?.cancel();
  }, { operatorPassword: "pw" }));

Deno.test("finding 1: sessions expire", async () => {
  let now = 1_000_000;
  const signer = await SessionSigner.create("secret", 60_000, () => now);
  const value = await signer.issue();
  assert.equal(await signer.verify(value), true);
  now += 60_001;
  assert.equal(await signer.verify(value), false);
  const other = await SessionSigner.create("other", 60_000, () => now);
  assert.equal(await other.verify(await signer.issue()), false);
});

Deno.test(
  "finding 2: cross-site writes are refused with 403; the .NET client (no Origin) works",
  () =>
    withTestServices(async (services) => {
      const h = await handlerFor(services);
      const evil = await h(req("/process/train/start", {
        method: "POST",
        headers: { origin: "http://evil.example", "content-type": "text/plain" },
        body: "",
      }));
      assert.equal(evil.status, 403);
      assert.deepEqual(await evil.json(), { detail: "Cross-origin request refused" });
      const fetchMeta = await h(req("/process/train/start", {
        method: "POST",
        headers: { "sec-fetch-site": "cross-site" },
      }));
      assert.equal(fetchMeta.status, 403);
      await fetchMeta.body?.cancel();
      const nullOrigin = await h(req("/simulation/start", {
        method: "POST",
        headers: { origin: "null" },
      }));
      assert.equal(nullOrigin.status, 403);
      await nullOrigin.body?.cancel();
      // .NET: no Origin, no Content-Type, no body → reaches the route and starts a task.
      const dotnet = await h(req("/process/train/start", { method: "POST" }));
      assert.equal(dotnet.status, 200, await dotnet.text());
      // The admin pages' own fetches: same origin.
      const same = await h(req("/process/train/start", {
        method: "POST",
        headers: { origin: "http://localhost", "sec-fetch-site": "same-origin" },
      }));
      assert.ok(![403, 415].includes(same.status), String(same.status));
      await same.body?.cancel();
      // Behind a TLS proxy (page https, request URL http): same host, accepted.
      const proxied = await h(req("/process/train/stop/" + crypto.randomUUID(), {
        method: "POST",
        headers: { origin: "https://localhost" },
      }));
      assert.equal(proxied.status, 404);
      await proxied.body?.cancel();
      const otherHost = await h(req("/process/train/stop/" + crypto.randomUUID(), {
        method: "POST",
        headers: { origin: "http://localhost.evil.example" },
      }));
      assert.equal(otherHost.status, 403);
      await otherHost.body?.cancel();
      // A text/plain upload no longer replaces anything.
      const upload = await h(req("/dataset/store", {
        method: "POST",
        headers: { "content-type": "text/plain" },
        body: generateCsv({ rowsPerDay: 5, days: 3, features: 3 }).csv,
      }));
      assert.equal(upload.status, 415);
      assert.match((await upload.json()).detail, /multipart\/form-data or text\/csv/);
      const active = await h(req("/dataset"));
      assert.equal(active.status, 404);
      await active.body?.cancel();
    }),
);

Deno.test("finding 2: JSON routes accept application/json only", () =>
  withTestServices(async (services) => {
    const h = await handlerFor(services);
    for (const type of ["text/plain", "application/x-www-form-urlencoded"]) {
      for (const path of ["/process/train/start", "/process/split-data", "/simulation/start"]) {
        const res = await h(req(path, {
          method: "POST",
          headers: { "content-type": type },
          body: "{}",
        }));
        assert.equal(res.status, 415, `${type} ${path}`);
        assert.match((await res.json()).detail, /send application\/json/);
      }
    }
    // Empty text/plain body (the probe's curl) is refused too.
    const empty = await h(req("/process/train/start", {
      method: "POST",
      headers: { "content-type": "text/plain" },
      body: "",
    }));
    assert.equal(empty.status, 415);
    await empty.body?.cancel();
    // The .NET upload (multipart, no Origin) still goes through.
    const ok = await h(dotnetUpload(generateCsv({ features: 3 }).csv));
    assert.equal(ok.status, 202, await ok.text());
  }));

Deno.test("finding 2: the contract's bodiless POSTs pass over real HTTP, with or without Content-Length: 0", () =>
  withTestServices(async (services) => {
    const h = await handlerFor(services);
    const ac = new AbortController();
    const server = Deno.serve(
      { port: 0, hostname: "127.0.0.1", signal: ac.signal, onListen() {} },
      h,
    );
    try {
      // Raw requests: curl -X POST sends no framing header at all, .NET sends Content-Length: 0.
      for (const framing of ["", "Content-Length: 0\r\n"]) {
        const conn = await Deno.connect({ hostname: "127.0.0.1", port: server.addr.port });
        await conn.write(new TextEncoder().encode(
          `POST /process/train/start HTTP/1.1\r\nHost: 127.0.0.1\r\n${framing}Connection: close\r\n\r\n`,
        ));
        const text = new TextDecoder().decode(await new Response(conn.readable).arrayBuffer());
        const status = Number(text.split(" ")[1]);
        // No dataset yet: the route's own answer (409), not a 415 from the guard.
        assert.ok(
          status !== 415 && status < 500,
          `${JSON.stringify(framing)} → ${text.split("\r\n")[0]}`,
        );
      }
    } finally {
      ac.abort();
      await server.finished;
    }
  }));

Deno.test("finding 2: pages carry CSP (inline scripts by hash), nosniff, frame-ancestors", () =>
  withTestServices(async (services) => {
    const h = await handlerFor(services);
    for (const path of ["/admin", "/docs", "/admin/login"]) {
      const res = await h(req(path));
      assert.equal(res.status, 200, path);
      const csp = res.headers.get("content-security-policy")!;
      assert.ok(csp, path);
      assert.match(csp, /frame-ancestors 'none'/);
      const scriptSrc = /script-src ([^;]*)/.exec(csp)![1];
      assert.doesNotMatch(scriptSrc, /unsafe-inline|unsafe-eval/);
      assert.equal(res.headers.get("x-content-type-options"), "nosniff");
      assert.equal(res.headers.get("referrer-policy"), "no-referrer");
      const html = await res.text();
      // Every inline executable script is allowed by its hash.
      for (
        const m of html.matchAll(
          /<script(?![^>]*\bsrc=)(?![^>]*application\/json)[^>]*>([\s\S]*?)<\/script>/g,
        )
      ) {
        const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(m[1]));
        const b64 = btoa(String.fromCharCode(...new Uint8Array(digest)));
        assert.ok(scriptSrc.includes(`'sha256-${b64}'`), `${path}: inline script not hashed`);
      }
    }
    const json = await h(req("/health"));
    assert.equal(json.headers.get("x-content-type-options"), "nosniff");
    assert.match(json.headers.get("content-security-policy")!, /frame-ancestors 'none'/);
    await json.body?.cancel();
  }));

Deno.test("finding 2: a loud warning when open beyond loopback", () => {
  const open = { apiToken: null, operatorPassword: null };
  assert.match(exposureWarning(open, "0.0.0.0")!, /WARNING: API_TOKEN is not set/);
  assert.equal(exposureWarning(open, "127.0.0.1"), null);
  assert.equal(exposureWarning(open, "::1"), null);
  assert.equal(exposureWarning({ apiToken: "x", operatorPassword: null }, "0.0.0.0"), null);
});

Deno.test("finding 4: over-long or malformed ids and file names → 404 JSON, never 500", () =>
  withTestServices(async (services) => {
    const errors: unknown[] = [];
    const logger = { ...quiet, error: (...a: unknown[]) => void errors.push(a) };
    registerPipelineTasks(services);
    const h = (await createApp(services, { logger })).handler() as Handler;
    const long = "a".repeat(3000);
    const paths = [
      `/tasks/${long}`,
      `/tasks/${long}/events`,
      `/dataset/${long}`,
      `/dataset/${long}/profile`,
      `/models/${long}`,
      `/models/${long}/artifacts/model.onnx`,
      `/process/train/status/${long}`,
      `/simulation/status/${long}`,
      `/simulation/${long}/packets`,
      `/simulation/${long}/summary`,
      `/${"a".repeat(300)}.css`,
      "/tasks/%E0%A4%A",
    ];
    for (const path of paths) {
      const res = await h(req(path));
      assert.equal(res.status, 404, path.slice(0, 60));
      assert.equal(typeof (await res.json()).detail, "string");
    }
    for (const path of [`/process/train/stop/${long}`, `/simulation/stop/${long}`]) {
      const res = await h(req(path, { method: "POST" }));
      assert.equal(res.status, 404, path.slice(0, 60));
      await res.body?.cancel();
    }
    assert.equal(errors.length, 0);
  }));
