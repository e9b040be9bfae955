import assert from "node:assert/strict";

Deno.test({
  name: "lowerThreadPriority: the worker's thread runs at nice 10, the caller's is unchanged",
  ignore: Deno.build.os !== "linux",
  async fn() {
    const niceOf = (stat: string) => Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[16]);
    const before = niceOf(Deno.readTextFileSync("/proc/thread-self/stat"));
    const src = `
      import { lowerThreadPriority } from ${
      JSON.stringify(new URL("./priority.ts", import.meta.url).href)
    };
      const ok = lowerThreadPriority();
      postMessage({ ok, stat: Deno.readTextFileSync("/proc/thread-self/stat") });
    `;
    const url = `data:application/typescript,${encodeURIComponent(src)}`;
    const worker = new Worker(url, { type: "module" });
    const reply = await new Promise<{ ok: boolean; stat: string }>((resolve) =>
      worker.onmessage = (e) => resolve(e.data)
    );
    worker.terminate();
    assert.equal(reply.ok, true);
    assert.equal(niceOf(reply.stat), Math.min(19, Math.max(before, 10)));
    assert.equal(niceOf(Deno.readTextFileSync("/proc/thread-self/stat")), before);
  },
});
