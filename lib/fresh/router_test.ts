import assert from "node:assert/strict";
import {
  compareSpecificity,
  compilePattern,
  matchPattern,
  normalizePath,
  Router,
} from "./router.ts";

Deno.test("router: patterns match params, rest and static segments", () => {
  const p = (s: string) => compilePattern(s);
  assert.deepEqual(matchPattern(p("/"), "/"), {});
  assert.deepEqual(matchPattern(p("/books/:id"), "/books/42"), { id: "42" });
  assert.equal(matchPattern(p("/books/:id"), "/books"), null);
  assert.equal(matchPattern(p("/books/:id"), "/books/1/2"), null);
  assert.deepEqual(matchPattern(p("/files/:path*"), "/files/a/b%20c"), {
    path: "a/b c",
  });
  assert.deepEqual(matchPattern(p("/files/:path*"), "/files"), { path: "" });
  assert.deepEqual(matchPattern(p("/s/*"), "/s/x/y"), { "0": "x/y" });
  assert.deepEqual(matchPattern(p("/openapi.json"), "/openapi.json"), {});
  assert.deepEqual(matchPattern(p("/a/:id"), "/a/%E0%A4%A"), { id: "%E0%A4%A" });
  assert.deepEqual(matchPattern(p("/admin"), "/admin/x", true), {});
  assert.equal(matchPattern(p("/admin"), "/administrator", true), null);
  assert.deepEqual(matchPattern(p("/models/:id"), "/models/7/x", true), { id: "7" });
  assert.deepEqual(matchPattern(p("/"), "/anything/below", true), {});
  assert.deepEqual(matchPattern(p("/(group)/a+b"), "/(group)/a+b"), {}); // syntax escaped
  assert.equal(normalizePath("/a//b/"), "/a/b");
  assert.throws(() => compilePattern("/a/:rest*/b"), /last segment/);
  assert.throws(() => compilePattern("/a/*/b"), /last segment/);
});

Deno.test("router: specificity: static > param > rest, exact before rest", () => {
  const sorted = ["/:a/:b", "/x/*", "/x/:id", "/x/new", "/x"].map(compilePattern)
    .sort(compareSpecificity).map((p) => p.source);
  const before = (a: string, b: string) => assert.ok(sorted.indexOf(a) < sorted.indexOf(b), a + b);
  before("/x/new", "/x/:id");
  before("/x/:id", "/x/*");
  before("/x", "/x/*");
  before("/x/:id", "/:a/:b");
  before("/x/*", "/:a/:b");
});

Deno.test("router: match picks the most specific route regardless of order", () => {
  const r = new Router<string>();
  r.add("GET", "/items/:id", "param");
  r.add("GET", "/items/new", "static");
  r.add("GET", "/items/:rest*", "rest");
  r.add("*", "/any", "any");
  const item = (m: ReturnType<typeof r.match>) => m.kind === "found" ? m.item : m.kind;
  assert.equal(item(r.match("GET", "/items/new")), "static");
  assert.equal(item(r.match("GET", "/items/7")), "param");
  assert.equal(item(r.match("GET", "/items/7/8")), "rest");
  assert.equal(item(r.match("GET", "/items/")), "rest"); // trailing slash ignored: /items
  assert.equal(item(r.match("PATCH", "/any")), "any");
  assert.equal(item(r.match("GET", "/nothing")), "not-found");
});

Deno.test("router: HEAD falls back to GET; 405 lists allowed methods", () => {
  const r = new Router<string>();
  r.add("GET", "/a", "get");
  r.add("POST", "/a", "post");
  r.add("DELETE", "/b/:id", "del");
  const head = r.match("HEAD", "/a");
  assert.equal(head.kind === "found" && head.item, "get");
  assert.deepEqual(r.match("PUT", "/a"), {
    kind: "method-not-allowed",
    allow: ["GET", "HEAD", "POST"],
  });
  assert.deepEqual(r.match("GET", "/b/1"), { kind: "method-not-allowed", allow: ["DELETE"] });
  assert.throws(() => r.add("GET", "/a", "again"), /defined twice/);
});

Deno.test("router: a less specific route with the method wins over 405", () => {
  const r = new Router<string>();
  r.add("GET", "/x/:id", "get-param");
  r.add("POST", "/x/*", "post-rest");
  const m = r.match("POST", "/x/1");
  assert.equal(m.kind === "found" && m.item, "post-rest");
});
