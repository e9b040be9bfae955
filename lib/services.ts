/**
 * The service bag handed to routes (through `ctx.state.services`) and pipeline steps.
 * Built once by `main.ts` (or by a test with `:memory:` KV and a temp storage dir).
 *
 * @module
 */
import type { Config } from "./config.ts";
import type { KvStore } from "./kv.ts";
import type { BlobStore } from "./storage/blob_store.ts";
import type { TaskRunner } from "./tasks/types.ts";
import type { OperatorAccess } from "./api/operator_auth.ts";

export interface Services {
  config: Config;
  kv: KvStore;
  storage: BlobStore;
  tasks: TaskRunner;
}

/** Request state shared by middleware and routes. */
export interface State {
  services: Services;
  /** Token/session rules (set by the auth middleware; read by the login routes). */
  operator?: OperatorAccess;
}
