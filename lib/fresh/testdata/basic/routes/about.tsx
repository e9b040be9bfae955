import { createDefine, page } from "fresh";
import type { TestState } from "../state.ts";

const define = createDefine<TestState>();

export const handler = define.handlers({
  GET(ctx) {
    return page({ name: ctx.url.searchParams.get("name") ?? "world" }, {
      headers: { "x-page": "about" },
    });
  },
});

export default define.page<typeof handler>(function About({ data, state }) {
  return <p>Hello {data.name} ({state.trace.join(">")})</p>;
});
