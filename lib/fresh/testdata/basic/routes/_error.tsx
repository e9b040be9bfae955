import { HttpError, page, type PageProps, type RouteHandler } from "fresh";

// API paths rethrow (the app's own default answers); pages get this HTML page.
export const handler: RouteHandler<unknown, unknown> = (ctx) => {
  if (ctx.url.pathname.startsWith("/api")) throw ctx.error;
  return page();
};

export default function ErrorPage({ error }: PageProps) {
  const status = error instanceof HttpError ? error.status : 500;
  return <p class="error">Error {status}</p>;
}
