/**
 * Issue 13 finding 8: SIGTERM sent to the whole process group of `deno task start` (as systemd
 * and container runtimes do) reaches both `deno task` and the server; the server must still shut
 * down gracefully instead of treating the second copy as "exit now".
 */
import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const hasSetsid = (() => {
  try {
    return Deno.statSync("/usr/bin/setsid").isFile;
  } catch {
    return false;
  }
})();

/** Collects a stream's text; `waitFor` resolves when a pattern appears (or rejects at a deadline). */
function collect(stream: ReadableStream<Uint8Array>) {
  let text = "";
  const waiters: { re: RegExp; resolve: () => void }[] = [];
  const done = (async () => {
    const decoder = new TextDecoder();
    for await (const bytes of stream) {
      text += decoder.decode(bytes, { stream: true });
      for (const w of waiters.splice(0)) {
        if (w.re.test(text)) w.resolve();
        else waiters.push(w);
      }
    }
  })();
  return {
    get text() {
      return text;
    },
    done,
    waitFor(re: RegExp, ms: number): Promise<void> {
      if (re.test(text)) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ${re} within ${ms} ms:\n${text}`)), ms);
        waiters.push({ re, resolve: () => (clearTimeout(timer), resolve()) });
      });
    },
  };
}

Deno.test({
  name: "finding 8: a group-wide SIGTERM to `deno task start` shuts down gracefully",
  ignore: !hasSetsid || Deno.build.os === "windows",
  async fn() {
    const dir = await Deno.makeTempDir({ prefix: "qc-shutdown-" });
    const child = new Deno.Command("setsid", {
      args: [Deno.execPath(), "task", "start"],
      cwd: ROOT,
      env: {
        PORT: "0",
        LISTEN_HOST: "127.0.0.1",
        DATA_DIR: dir,
        TASK_MODE: "inprocess",
        LOG_LEVEL: "info",
        HOSTNAME: "some-container-name", // finding 7: must not matter
      },
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    const out = collect(child.stdout);
    const err = collect(child.stderr);
    try {
      await out.waitFor(/listening on http:\/\/127\.0\.0\.1:\d+/, 60_000);
      const port = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(out.text)?.[1];
      assert.ok(port, out.text + err.text);
      const res = await fetch(`http://127.0.0.1:${port}/health`);
      assert.equal(res.status, 200);
      await res.body?.cancel();
      // The whole group, as `systemctl stop` / `docker stop` do.
      Deno.kill(-child.pid, "SIGTERM");
      const status = await Promise.race([
        child.status,
        new Promise<never>((_, reject) =>
          setTimeout(
            () => reject(new Error(`server did not stop within 20 s:\n${out.text}${err.text}`)),
            20_000,
          )
        ),
      ]);
      await Promise.all([out.done, err.done]);
      const log = out.text + err.text;
      assert.match(log, /SIGTERM: shutting down/);
      assert.match(log, /stopped/, log);
      assert.doesNotMatch(log, /exiting now/, log);
      assert.ok(status.code === 0 || status.signal === "SIGTERM", JSON.stringify(status));
    } finally {
      try {
        Deno.kill(-child.pid, "SIGKILL");
      } catch { /* already gone */ }
      await child.status;
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    }
  },
});
