/**
 * The app's typed `define` helpers (Fresh 2 convention): routes, pages and middleware
 * are written as `define.handlers(...)`, `define.page(...)`, `define.middleware(...)`.
 *
 * @module
 */
import { createDefine } from "fresh";
import type { State } from "./lib/services.ts";

export type { State };
export const define = createDefine<State>();
