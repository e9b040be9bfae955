import type { RouteHandler } from "fresh";

export const handler: RouteHandler<unknown, unknown> = (ctx) =>
  Response.json({ path: ctx.params.path, method: ctx.req.method });
