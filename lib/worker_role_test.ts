import assert from "node:assert/strict";
import { withTestServices } from "./testing.ts";
import { workerHealthHandler } from "./worker_role.ts";

Deno.test("worker role: /health only", () =>
  withTestServices(async (services) => {
    const ok = await workerHealthHandler(services, new Request("http://w/health"));
    assert.equal(ok.status, 200);
    assert.deepEqual(await ok.json(), { status: "ok", role: "worker", running: [] });
    const api = await workerHealthHandler(services, new Request("http://w/datasets"));
    assert.equal(api.status, 404);
    await api.body?.cancel();
  }));
