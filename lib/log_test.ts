import assert from "node:assert/strict";
import { getLogger, setLogLevel } from "./log.ts";

/** Lines `fn` prints through console.{debug,info,warn,error} (loggers bind them on a level change). */
function captured(level: "debug" | "info" | "warn" | "error", fn: () => void): string[] {
  const lines: string[] = [];
  const methods = ["debug", "info", "log", "warn", "error"] as const;
  const saved = methods.map((m) => console[m]);
  for (const m of methods) console[m] = (...args: unknown[]) => lines.push(args.join(" "));
  try {
    setLogLevel(level);
    fn();
  } finally {
    methods.forEach((m, i) => (console[m] = saved[i]));
    setLogLevel("info");
  }
  return lines;
}

Deno.test("log: one process-wide level for every named logger, prefixed lines", () => {
  const early = getLogger("early");
  const lines = captured("warn", () => {
    early.info("dropped");
    early.warn("kept", 42);
    getLogger("late").error("also kept");
    getLogger("late").debug("dropped");
  });
  assert.equal(lines.length, 2, lines.join("\n"));
  assert.match(lines[0], /^\d{4}-\d\d-\d\dT[\d:.]+Z WARN {2}\[early\] kept 42$/);
  assert.match(lines[1], /ERROR \[late\] also kept$/);
});
