import type { RouteHandler } from "fresh";

export const handler: RouteHandler<unknown, unknown> = {
  GET: (ctx) => ctx.render(<p>rendered by ctx.render</p>, { status: 201 }),
};
