import assert from "node:assert/strict";
import { parseAccept, prefersHtml } from "./accept.ts";

Deno.test("prefersHtml: browsers yes; API clients, curl and no header no", () => {
  const chrome =
    "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8";
  assert.equal(prefersHtml(chrome), true);
  assert.equal(prefersHtml("text/html"), true);
  assert.equal(prefersHtml("application/json"), false);
  assert.equal(prefersHtml("application/json, text/plain, */*"), false);
  assert.equal(prefersHtml("*/*"), false);
  assert.equal(prefersHtml(null), false);
  assert.equal(prefersHtml("text/html;q=0.5, application/json"), false);
  assert.equal(prefersHtml("text/*, application/json;q=0.1"), true);
});

Deno.test("parseAccept: q values, bad q counts as 0", () => {
  assert.deepEqual(parseAccept("a/b;q=0.5, c/d, e/f;q=x"), [
    { type: "a/b", q: 0.5 },
    { type: "c/d", q: 1 },
    { type: "e/f", q: 0 },
  ]);
});
