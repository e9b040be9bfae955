import type { Middleware } from "fresh";
import type { TestState } from "../../state.ts";

const admin: Middleware<TestState> = (ctx) => {
  ctx.state.trace.push("admin");
  return ctx.next();
};
export default admin;
