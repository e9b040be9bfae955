import type { RouteHandler } from "fresh";

export const handler: RouteHandler<unknown, unknown> = {
  GET: (ctx) => Response.json({ id: ctx.params.id, route: ctx.route }),
  DELETE: (ctx) => Response.json({ deleted: ctx.params.id }),
};
