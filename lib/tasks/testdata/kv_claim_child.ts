/**
 * Child process of `claim_multiprocess_test.ts`: opens the shared KV file and races the other
 * children. Prints one JSON line: the ids it claimed and the increments it committed.
 *
 * Usage: deno run -A kv_claim_child.ts <kvPath> <name> <increments>
 */
const [path, name, incrementsArg] = Deno.args;
const kv = await Deno.openKv(path);
const increments = Number(incrementsArg);

// Start together: wait for the go flag written by the parent.
const deadline = Date.now() + 20_000;
while ((await kv.get(["go"])).value !== true) {
  if (Date.now() > deadline) throw new Error("no go signal");
  await new Promise((r) => setTimeout(r, 5));
}

/** SQLite answers "database is locked" when another process holds the write lock: not applied. */
async function commit(op: Deno.AtomicOperation): Promise<boolean> {
  for (;;) {
    try {
      return (await op.commit()).ok;
    } catch (err) {
      if (!/database is locked/.test(String(err))) throw err;
      locked++;
      await new Promise((r) => setTimeout(r, Math.random() * 5));
    }
  }
}
let locked = 0;

// 1. A counter incremented with check + set: every lost race retries.
let committed = 0, conflicts = 0;
while (committed < increments) {
  const cur = await kv.get<number>(["counter"]);
  if (await commit(kv.atomic().check(cur).set(["counter"], (cur.value ?? 0) + 1))) committed++;
  else conflicts++;
}

// 2. Claims: PENDING → STARTED with the claimer's name, as the task runner does.
const claimed: string[] = [];
for await (const e of kv.list<{ state: string; by: string | null }>({ prefix: ["jobs"] })) {
  const cur = await kv.get<{ state: string; by: string | null }>(e.key);
  if (cur.value?.state !== "PENDING") continue;
  if (await commit(kv.atomic().check(cur).set(e.key, { state: "STARTED", by: name }))) {
    claimed.push(String(e.key[1]));
  }
}
console.log(JSON.stringify({ name, committed, conflicts, locked, claimed }));
kv.close();
