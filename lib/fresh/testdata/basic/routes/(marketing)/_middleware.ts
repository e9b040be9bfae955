import type { Middleware } from "fresh";
import type { TestState } from "../../state.ts";

export const handler: Middleware<TestState>[] = [
  (ctx) => {
    ctx.state.trace.push("group");
    return ctx.next();
  },
];
