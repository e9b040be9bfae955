import assert from "node:assert/strict";
import { App } from "./app.ts";
import { createDefine } from "./define.ts";
import { page } from "./handlers.ts";
import { HttpError } from "./http_error.ts";

interface S {
  trace: string[];
}

const req = (path: string, init?: RequestInit) => new Request(`http://localhost${path}`, init);

Deno.test("App: middleware runs in order around routes and sees state", async () => {
  const app = new App<S>()
    .use(async (ctx) => {
      ctx.state.trace = ["a"];
      const res = await ctx.next();
      res.headers.set("x-trace", ctx.state.trace.join(","));
      return res;
    })
    .use("/api", (ctx) => {
      ctx.state.trace.push("api");
      return ctx.next();
    })
    .get("/api/items/:id", (ctx) => {
      ctx.state.trace.push("handler");
      return Response.json({ id: ctx.params.id, route: ctx.route });
    })
    .get("/other", (ctx) => {
      ctx.state.trace.push("other");
      return new Response("ok");
    });
  const handler = app.handler();
  const res = await handler(req("/api/items/7"));
  assert.deepEqual(await res.json(), { id: "7", route: "/api/items/:id" });
  assert.equal(res.headers.get("x-trace"), "a,api,handler");
  const other = await handler(req("/other"));
  assert.equal(await other.text(), "ok");
  assert.equal(other.headers.get("x-trace"), "a,other");
});

Deno.test("App: 404, 405 with Allow, HEAD without body", async () => {
  const app = new App<S>()
    .get("/thing", () => new Response("body", { headers: { "x-a": "1" } }))
    .post("/thing", () => new Response("posted"));
  const handler = app.handler();
  const nf = await handler(req("/missing"));
  assert.equal(nf.status, 404);
  assert.equal(await nf.text(), "Not Found");
  const na = await handler(req("/thing", { method: "DELETE" }));
  assert.equal(na.status, 405);
  assert.equal(na.headers.get("allow"), "GET, HEAD, POST");
  await na.body?.cancel();
  const head = await handler(req("/thing", { method: "HEAD" }));
  assert.equal(head.status, 200);
  assert.equal(head.headers.get("x-a"), "1");
  assert.equal(head.body, null);
});

Deno.test("App: middleware can map thrown errors (HttpError, 404, 405, crash)", async () => {
  const app = new App<S>()
    .use(async (ctx) => {
      try {
        return await ctx.next();
      } catch (err) {
        if (err instanceof HttpError) {
          return Response.json({ detail: err.message }, {
            status: err.status,
            headers: err.headers,
          });
        }
        return Response.json({ detail: "Internal Server Error" }, { status: 500 });
      }
    })
    .get("/teapot", () => {
      throw new HttpError(418, "short and stout");
    })
    .get("/crash", () => {
      throw new Error("secret internals");
    });
  const handler = app.handler();
  const cases: [string, string, number, string][] = [
    ["GET", "/teapot", 418, "short and stout"],
    ["GET", "/nope", 404, "Not Found"],
    ["PUT", "/teapot", 405, "Method Not Allowed"],
    ["GET", "/crash", 500, "Internal Server Error"],
  ];
  for (const [method, path, status, detail] of cases) {
    const res = await handler(req(path, { method }));
    assert.equal(res.status, status, path);
    assert.deepEqual(await res.json(), { detail });
  }
});

Deno.test("App: unhandled errors become plain 500s; bad middleware results are errors", async () => {
  const errors: unknown[] = [];
  const original = console.error;
  console.error = (...args: unknown[]) => errors.push(args);
  try {
    const app = new App<S>()
      .get("/crash", () => {
        throw new Error("x");
      })
      // deno-lint-ignore no-explicit-any
      .get("/undefined", (() => undefined) as any);
    const handler = app.handler();
    for (const path of ["/crash", "/undefined"]) {
      const res = await handler(req(path));
      assert.equal(res.status, 500);
      assert.equal(await res.text(), "Internal Server Error");
    }
    assert.equal(errors.length, 2);
  } finally {
    console.error = original;
  }
});

Deno.test("App: basePath strips the prefix; other paths are 404", async () => {
  const app = new App<S>({ basePath: "/ml/" })
    .get("/", () => new Response("root"))
    .get("/x", (ctx) => ctx.redirect("/y"));
  assert.equal(app.config.basePath, "/ml");
  const handler = app.handler();
  assert.equal(await (await handler(req("/ml"))).text(), "root");
  const redirect = await handler(req("/ml/x"));
  assert.equal(redirect.status, 302);
  assert.equal(redirect.headers.get("location"), "/ml/y");
  const outside = await handler(req("/x"));
  assert.equal(outside.status, 404);
  await outside.body?.cancel();
});

Deno.test("App: several handlers on one route chain with next()", async () => {
  const app = new App<S>().get(
    "/chain",
    (ctx) => {
      ctx.state.trace = ["first"];
      return ctx.next();
    },
    (ctx) => new Response(ctx.state.trace.concat("second").join(",")),
  );
  assert.equal(await (await app.handler()(req("/chain"))).text(), "first,second");
});

Deno.test("App: ctx.render renders a vnode page (no JS without islands)", async () => {
  const app = new App<S>().get(
    "/page",
    (ctx) => ctx.render(<p>hi &amp; bye</p>, { status: 202 }),
  );
  const res = await app.handler()(req("/page"));
  assert.equal(res.status, 202);
  assert.equal(res.headers.get("content-type"), "text/html; charset=utf-8");
  const html = await res.text();
  assert.match(html, /^<!DOCTYPE html><html>/);
  assert.match(html, /<p>hi &amp; bye<\/p>/);
  assert.doesNotMatch(html, /<script/);
});

Deno.test("App: listen serves over HTTP and stops with the signal", async () => {
  const ac = new AbortController();
  const app = new App<S>().get("/", () => new Response("served"));
  const server = await app.listen({
    port: 0,
    hostname: "127.0.0.1",
    signal: ac.signal,
    onListen() {},
  });
  const res = await fetch(`http://127.0.0.1:${server.addr.port}/`);
  assert.equal(await res.text(), "served");
  ac.abort();
  await server.finished;
});

Deno.test("createDefine: types flow from handler data to page props", () => {
  const define = createDefine<S>();
  const handler = define.handlers({
    GET: (_ctx) => page({ count: 1 }),
  });
  const Page = define.page<typeof handler>(({ data }) => {
    const n: number = data.count; // compile-time check
    return <p>{n}</p>;
  });
  assert.equal(typeof handler.GET, "function");
  assert.equal(typeof Page, "function");
  const mw = define.middleware((ctx) => ctx.next());
  assert.equal(typeof mw, "function");
});
