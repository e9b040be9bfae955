/**
 * Server rendering of pages: wraps the content in layouts and `_app`, renders to a string,
 * and adds the islands' props and boot script (only when the page used an island — pages
 * without islands ship no JavaScript).
 *
 * @module
 */
import { type ComponentType, h, type VNode } from "preact";
import { renderToStringAsync } from "preact-render-to-string";
import type { Context } from "./context.ts";
import type { PageComponent, PageProps, PageResult } from "./handlers.ts";
import { type RenderState, RenderStateContext, serializeProps } from "./islands.ts";
import { STATE_ID } from "./client_constants.ts";

/** Where the browser finds the bundles of one build. */
export interface IslandAssets {
  buildId: string;
  /** File name of the client runtime bundle (`client.js`). */
  client: string;
  /** Bundle file name by island entry name (`island-healthbadge` → `island-healthbadge.js`). */
  entries: Map<string, string>;
}

/** What to render. */
export interface RenderInput {
  ctx: Context<unknown>;
  /** A page component (called with page props) or a ready vnode (`ctx.render`). */
  content: PageComponent | VNode | null;
  data: unknown;
  /** Outermost first: `_app`, then layouts from the root folder down. */
  wrappers: PageComponent[];
  status?: number;
  headers?: HeadersInit;
  /** Resolves the bundles; called only when the page used an island. */
  assets: () => Promise<IslandAssets>;
}

// deno-lint-ignore no-explicit-any
type AnyVNode = VNode<any>;

/** A component that renders already-built content. */
function fixed(content: PageResult): AnyVNode {
  const Fixed = () => content as VNode;
  return h(Fixed, {});
}

function isAsync(fn: unknown): boolean {
  return typeof fn === "function" && fn.constructor.name === "AsyncFunction";
}

/** Sync components stay components (hooks work); async ones are awaited first (Fresh 2). */
async function toVNode(component: PageComponent, props: PageProps): Promise<AnyVNode> {
  if (isAsync(component)) {
    const out: PageResult = await component(props);
    return fixed(out);
  }
  return h(component as ComponentType<PageProps>, props);
}

/** Render a full HTML document for the request. */
export async function renderPage(input: RenderInput): Promise<Response> {
  const { ctx } = input;
  const empty: ComponentType<Record<string, never>> = () => null;
  const props: PageProps = {
    data: input.data,
    req: ctx.req,
    url: ctx.url,
    params: ctx.params,
    state: ctx.state,
    route: ctx.route,
    error: ctx.error,
    config: ctx.config,
    Component: empty,
  };
  let vnode: AnyVNode;
  if (typeof input.content === "function") {
    vnode = await toVNode(input.content, props);
  } else {
    const content = input.content;
    vnode = fixed(content);
  }
  for (const wrapper of [...input.wrappers].reverse()) {
    const inner = vnode;
    vnode = await toVNode(wrapper, { ...props, Component: () => inner });
  }
  const state: RenderState = { islands: [] };
  let html = await renderToStringAsync(h(RenderStateContext.Provider, { value: state }, vnode));
  if (!/^\s*<html[\s>]/i.test(html)) {
    html = '<html><head><meta charset="utf-8"><meta name="viewport" ' +
      `content="width=device-width, initial-scale=1"></head><body>${html}</body></html>`;
  }
  if (state.islands.length > 0) {
    html = injectBeforeBodyEnd(html, await bootScript(state, await input.assets(), ctx));
  }
  const headers = new Headers(input.headers);
  if (!headers.has("content-type")) headers.set("content-type", "text/html; charset=utf-8");
  return new Response(`<!DOCTYPE html>${html}`, { status: input.status ?? 200, headers });
}

function injectBeforeBodyEnd(html: string, snippet: string): string {
  const at = html.toLowerCase().lastIndexOf("</body>");
  return at === -1 ? html + snippet : html.slice(0, at) + snippet + html.slice(at);
}

function bootScript(state: RenderState, assets: IslandAssets, ctx: Context<unknown>): string {
  const base = `${ctx.config.basePath}/_fresh/js/${assets.buildId}/`;
  const imports: string[] = [`import{boot}from${JSON.stringify(base + assets.client)};`];
  const entryVars = new Map<string, string>();
  const islands: string[] = [];
  for (const { info } of state.islands) {
    let v = entryVars.get(info.entry);
    if (!v) {
      const file = assets.entries.get(info.entry);
      if (!file) throw new Error(`Island ${info.name} has no bundle (entry ${info.entry})`);
      v = `$${entryVars.size}`;
      entryVars.set(info.entry, v);
      imports.push(`import*as ${v} from${JSON.stringify(base + file)};`);
    }
    islands.push(`${JSON.stringify(info.name)}:${v}[${JSON.stringify(info.exportName)}]`);
  }
  const props = serializeProps(state.islands.map((i) => i.props));
  return `<script id="${STATE_ID}" type="application/json">${props}</script>` +
    `<script type="module">${imports.join("")}boot({${[...new Set(islands)].join(",")}});</script>`;
}
