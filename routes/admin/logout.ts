/**
 * `POST /admin/logout` — ends the admin session (clears the cookie) and redirects (303) to the
 * login form.
 *
 * @module
 */
import { define } from "../../utils.ts";
import { isHttps, sessionCookie } from "../../lib/api/operator_auth.ts";

export const handler = define.handlers({
  POST(ctx) {
    const trustProxy = ctx.state.operator?.trustProxy ?? false;
    return new Response(null, {
      status: 303,
      headers: {
        location: "/admin/login",
        "set-cookie": sessionCookie(null, {
          secure: isHttps(ctx.req, trustProxy),
          maxAgeSeconds: 0,
        }),
        "cache-control": "no-store",
      },
    });
  },
});
