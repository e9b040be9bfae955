/**
 * The premise of claim dispatch across processes: two Deno processes on ONE SQLite KV file
 * serialise their commits, so a versionstamp check made by one fails when the other wrote in
 * between. Proven on a counter (no lost update) and on claims (each record claimed once).
 */
import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const CHILD = fileURLToPath(new URL("./testdata/kv_claim_child.ts", import.meta.url));

Deno.test("KV file shared by 3 processes: atomic checks hold (no lost update, one claim)", async () => {
  const dir = await Deno.makeTempDir({ prefix: "kv-mp-" });
  const path = join(dir, "kv.sqlite3");
  const kv = await Deno.openKv(path);
  try {
    const JOBS = 200, INCREMENTS = 150, CHILDREN = 3;
    for (let i = 0; i < JOBS; i += 50) {
      const op = kv.atomic();
      for (let j = i; j < i + 50; j++) op.set(["jobs", `j${j}`], { state: "PENDING", by: null });
      await op.commit();
    }
    const children = Array.from({ length: CHILDREN }, (_, i) =>
      new Deno.Command(Deno.execPath(), {
        args: ["run", "-A", CHILD, path, `p${i}`, String(INCREMENTS)],
        stdout: "piped",
        stderr: "piped",
      }).spawn());
    await kv.set(["go"], true);
    const timer = setTimeout(() => children.forEach((c) => c.kill("SIGKILL")), 60_000);
    const outs = await Promise.all(children.map((c) => c.output()));
    clearTimeout(timer);
    const reports = outs.map((o) => {
      assert.equal(o.code, 0, new TextDecoder().decode(o.stderr));
      return JSON.parse(new TextDecoder().decode(o.stdout).trim()) as {
        name: string;
        committed: number;
        conflicts: number;
        locked: number;
        claimed: string[];
      };
    });
    assert.equal((await kv.get<number>(["counter"])).value, CHILDREN * INCREMENTS);
    const all = reports.flatMap((r) => r.claimed);
    assert.equal(all.length, JOBS, "every job claimed");
    assert.equal(new Set(all).size, JOBS, "no job claimed twice");
    for await (const e of kv.list<{ state: string; by: string }>({ prefix: ["jobs"] })) {
      const owner = reports.find((r) => r.name === e.value.by);
      assert.ok(owner?.claimed.includes(String(e.key[1])), "the stored claimer is the one told");
    }
    console.log(
      `conflicts/locked: ${
        reports.map((r) => `${r.name}=${r.conflicts}/${r.locked}`).join(" ")
      }, claims: ${reports.map((r) => `${r.name}=${r.claimed.length}`).join(" ")}`,
    );
  } finally {
    kv.close();
    await Deno.remove(dir, { recursive: true });
  }
});
