/**
 * Islands on the server: registration of island components, the SSR wrapper that puts comment
 * markers around an island's output, and props serialization for the browser.
 *
 * An island is any exported component of a file in `islands/`. When a page renders it, the
 * output becomes `<!--frsh:island:<Name>:<n>-->…<!--/frsh:island-->` and its props are stored
 * as the n-th item of a JSON script tag; `client.ts` hydrates each marked range. Islands nested
 * inside an island render as plain components (the outer island's bundle includes them).
 * Props must be JSON-serializable (functions and JSX children are not sent to the browser).
 *
 * @module
 */
import { createContext, Fragment, h, options, type VNode } from "preact";
import type { ComponentType } from "preact";
import { useContext } from "preact/hooks";

/** One registered island component. */
export interface IslandInfo {
  /** Unique island name used in markers (`HealthBadge`, or `Charts_LineChart` for a named export). */
  name: string;
  /** Path of the island file (absolute in memory builds, relative in a snapshot). */
  file: string;
  /** The export that holds the component (`default` or a name). */
  exportName: string;
  /** Bundle entry name (`island-healthbadge`), shared by all exports of one file. */
  entry: string;
  // deno-lint-ignore no-explicit-any
  component: ComponentType<any>;
}

/** Per-page render state: the islands the page used, in order. */
export interface RenderState {
  islands: { info: IslandInfo; props: Record<string, unknown> }[];
}

/** Provided around each page render by `render.ts`. */
export const RenderStateContext = createContext<RenderState | null>(null);
const InsideIsland = createContext(false);

// Components are compared by identity, so one global table serves every App in the process.
// deno-lint-ignore ban-types
const ISLANDS = new Map<Function, IslandInfo>();
let creatingInner = false;

/** The island set of one app: files → entries, names → infos. */
export class IslandRegistry {
  readonly #byName = new Map<string, IslandInfo>();
  readonly #entries = new Map<string, string>();

  /**
   * Register every component exported by the island module at `file`. `entry` is the bundle
   * entry name (from the production snapshot); by default it is derived from the file name.
   */
  register(file: string, mod: Record<string, unknown>, entry?: string): IslandInfo[] {
    const base = file.replace(/\\/g, "/").split("/").pop()!.replace(/\.[jt]sx?$/, "");
    const safeBase = base.replace(/[^A-Za-z0-9_$]/g, "_");
    entry ??= this.#entries.get(file) ?? uniqueName(
      `island-${base.toLowerCase().replace(/[^a-z0-9]+/g, "-")}`,
      new Set(this.#entries.values()),
    );
    this.#entries.set(file, entry);
    const added: IslandInfo[] = [];
    for (const [exportName, value] of Object.entries(mod)) {
      if (typeof value !== "function") continue;
      const existing = ISLANDS.get(value);
      if (existing) {
        this.#byName.set(existing.name, existing);
        added.push(existing);
        continue;
      }
      const name = uniqueName(
        exportName === "default" ? safeBase : `${safeBase}_${exportName}`,
        new Set(this.#byName.keys()),
      );
      // deno-lint-ignore no-explicit-any
      const info: IslandInfo = { name, file, exportName, entry, component: value as any };
      ISLANDS.set(value, info);
      this.#byName.set(name, info);
      added.push(info);
    }
    installHook();
    return added;
  }

  /** Island files and their bundle entry names. */
  entries(): Map<string, string> {
    return new Map(this.#entries);
  }

  /** All registered islands. */
  all(): IslandInfo[] {
    return [...this.#byName.values()];
  }
}

function uniqueName(name: string, taken: Set<string>): string {
  let candidate = name;
  for (let i = 2; taken.has(candidate); i++) candidate = `${name}${i}`;
  return candidate;
}

/** Replaces an island's vnode during SSR: renders it between comment markers. */
function IslandWrapper(
  { __island: info, __props: props }: { __island: IslandInfo; __props: Record<string, unknown> },
): VNode {
  const state = useContext(RenderStateContext);
  const nested = useContext(InsideIsland);
  creatingInner = true;
  let inner: VNode;
  try {
    inner = h(info.component, props);
  } finally {
    creatingInner = false;
  }
  if (!state || nested) return inner;
  const id = state.islands.push({ info, props }) - 1;
  // preact-render-to-string renders a Fragment with `UNSTABLE_comment` as an HTML comment.
  const comment = (text: string) => h(Fragment, { UNSTABLE_comment: text } as never);
  return h(
    Fragment,
    null,
    comment(`frsh:island:${info.name}:${id}`),
    h(InsideIsland.Provider, { value: true }, inner),
    comment("/frsh:island"),
  );
}

let hookInstalled = false;

function installHook(): void {
  if (hookInstalled) return;
  hookInstalled = true;
  const previous = options.vnode;
  options.vnode = (vnode) => {
    const info = typeof vnode.type === "function" && !creatingInner
      ? ISLANDS.get(vnode.type)
      : undefined;
    if (info) {
      const original = vnode.props as Record<string, unknown>;
      // deno-lint-ignore no-explicit-any
      (vnode as any).type = IslandWrapper;
      // deno-lint-ignore no-explicit-any
      (vnode as any).props = { __island: info, __props: original };
    }
    previous?.(vnode);
  };
}

/**
 * JSON for a `<script type="application/json">` tag: `<`, `>`, `&` and U+2028/9 are written as
 * `\uXXXX` escapes so that no prop value can close the tag (`</script>`) or open a comment.
 */
export function serializeProps(value: unknown): string {
  const json = JSON.stringify(value, (_key, v) => {
    if (typeof v === "function" || typeof v === "symbol") return undefined;
    if (typeof v === "bigint") return v.toString();
    return v;
  }) ?? "null";
  return json.replace(
    /[<>&\u2028\u2029]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}
