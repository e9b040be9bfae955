/**
 * `GET /` — the liveness message the .NET backend expects (CONTRACT.md §5). A browser (Accept
 * preferring HTML) is redirected to the admin dashboard instead.
 *
 * @module
 */
import { define } from "../utils.ts";
import { ROOT_MESSAGE } from "../lib/api/contract.ts";
import { prefersHtml } from "../lib/api/accept.ts";

export const handler = define.handlers({
  GET(ctx) {
    if (prefersHtml(ctx.req.headers.get("accept"))) return ctx.redirect("/admin", 302);
    return Response.json({ message: ROOT_MESSAGE });
  },
});
