/**
 * Error page for the admin pages (HTML). Every other path rethrows, so the app's JSON error
 * mapping answers (`{"detail": ...}`, CONTRACT.md §5).
 *
 * @module
 */
import { HttpError, page } from "fresh";
import { define } from "../utils.ts";
import { Layout } from "../components/Layout.tsx";
import { prefersHtml } from "../lib/api/accept.ts";

export const handler = define.handlers((ctx) => {
  const path = ctx.url.pathname.slice(ctx.config.basePath.length);
  const adminPage = path === "/admin" || path.startsWith("/admin/");
  if (!adminPage || !prefersHtml(ctx.req.headers.get("accept"))) throw ctx.error;
  return page();
});

export default define.page(function ErrorPage({ error, config }) {
  const status = error instanceof HttpError ? error.status : 500;
  // Only HttpError messages are meant for users; other errors stay in the log.
  const message = error instanceof HttpError
    ? error.message
    : "Something went wrong on our side. The error has been logged.";
  const title = status === 404 ? "Page not found" : `Error ${status}`;
  return (
    <Layout title={title} basePath={config.basePath}>
      <section class="qc-card">
        <p>{message}</p>
        <p>
          <a class="qc-button" href={`${config.basePath}/admin`}>Back to the dashboard</a>
        </p>
      </section>
    </Layout>
  );
});
