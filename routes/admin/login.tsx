/**
 * `/admin/login` — the operator login form (plain HTML form, works without JavaScript).
 * POST (`application/x-www-form-urlencoded`: `password`, `next`) checks the password
 * (`OPERATOR_PASSWORD`, else `API_TOKEN`), sets the signed session cookie and redirects (303)
 * to `next` (an `/admin` path). Failed logins are limited per client address: 429 with
 * `Retry-After` once the limit is reached.
 *
 * @module
 */
import { page } from "fresh";
import { define } from "../../utils.ts";
import {
  clientAddress,
  isHttps,
  type OperatorAccess,
  sessionCookie,
} from "../../lib/api/operator_auth.ts";
import { safeEqual } from "../../lib/api/session.ts";

interface LoginData {
  next: string;
  error: string | null;
  open: boolean;
}

/** `next` if it is an admin path on this origin, else `/admin`. */
export function safeNext(next: string | null): string {
  if (!next || !/^\/admin(\/[A-Za-z0-9._~\-\/?=&%]*)?(\?[^#]*)?$/.test(next)) return "/admin";
  return next.startsWith("//") ? "/admin" : next;
}

const NO_STORE = { "cache-control": "no-store" };

export const handler = define.handlers({
  GET(ctx) {
    const access = ctx.state.operator;
    return page<LoginData>({
      next: safeNext(ctx.url.searchParams.get("next")),
      error: null,
      open: !access?.password,
    }, { headers: NO_STORE });
  },
  async POST(ctx) {
    const access = ctx.state.operator as OperatorAccess | undefined;
    if (!access?.password || !access.sessions) {
      return new Response(null, { status: 303, headers: { location: "/admin", ...NO_STORE } });
    }
    const addr = clientAddress(ctx, access.trustProxy);
    const wait = access.limiter.retryAfterSeconds(addr);
    const form = await ctx.req.formData().catch(() => null);
    const next = safeNext(form?.get("next")?.toString() ?? null);
    if (wait > 0) {
      return page<LoginData>(
        { next, error: `Too many failed logins: try again in ${wait} s.`, open: false },
        { status: 429, headers: { "retry-after": String(wait), ...NO_STORE } },
      );
    }
    const password = form?.get("password")?.toString() ?? "";
    if (!safeEqual(password, access.password)) {
      access.limiter.fail(addr);
      return page<LoginData>({ next, error: "Wrong password.", open: false }, {
        status: 401,
        headers: NO_STORE,
      });
    }
    access.limiter.succeed(addr);
    const cookie = sessionCookie(await access.sessions.issue(), {
      secure: isHttps(ctx.req, access.trustProxy),
      maxAgeSeconds: access.sessions.ttlMs / 1000,
    });
    return new Response(null, {
      status: 303,
      headers: { location: next, "set-cookie": cookie, ...NO_STORE },
    });
  },
});

export default define.page<typeof handler>(function LoginPage({ data }) {
  return (
    <div class="qc-shell">
      <main class="qc-main">
        <h1>QC ML Service · operator login</h1>
        {data.open
          ? <p>No operator password is configured: the admin pages are open.</p>
          : (
            <form method="post" action="/admin/login">
              {data.error && <p role="alert" class="qc-alert">{data.error}</p>}
              <input type="hidden" name="next" value={data.next} />
              <label>
                Password{" "}
                <input type="password" name="password" autocomplete="current-password" required />
              </label>{" "}
              <button type="submit">Log in</button>
            </form>
          )}
      </main>
    </div>
  );
});
