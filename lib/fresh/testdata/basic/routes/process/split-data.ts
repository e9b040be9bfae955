import type { RouteHandler } from "fresh";

export const handler: RouteHandler<unknown, unknown> = {
  async POST(ctx) {
    return Response.json({ got: await ctx.req.json() });
  },
};
