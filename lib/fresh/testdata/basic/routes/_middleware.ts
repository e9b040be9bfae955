import type { Middleware } from "fresh";
import type { TestState } from "../state.ts";

const root: Middleware<TestState> = async (ctx) => {
  ctx.state.trace = [...(ctx.state.trace ?? []), "root"];
  const res = await ctx.next();
  res.headers.set("x-trace", ctx.state.trace.join(","));
  return res;
};
export default root;
