/**
 * Browser side of islands: finds the comment markers written by `islands.ts`, reads the
 * serialized props and hydrates each island in place. Bundled by `build.ts` as `client.js`;
 * the page's boot script calls `boot()` with the island components the page uses.
 *
 * @module
 */
import { type ComponentType, h, hydrate } from "preact";
import { STATE_ID } from "./client_constants.ts";

/**
 * A stand-in parent for Preact that covers only the nodes between two markers, so an island can
 * be hydrated without a wrapper element (the technique Fresh uses).
 */
function rootFragment(parent: Node, start: Comment, end: Comment): Element {
  const fragment = {
    nodeType: 1,
    parentNode: parent,
    nextSibling: null,
    namespaceURI: (parent as Element).namespaceURI,
    get firstChild() {
      const child = start.nextSibling;
      return child === end ? null : child;
    },
    get childNodes() {
      const children: Node[] = [];
      for (let c = start.nextSibling; c !== null && c !== end; c = c.nextSibling) children.push(c);
      return children;
    },
    insertBefore(node: Node, ref: Node | null) {
      return parent.insertBefore(node, ref ?? end);
    },
    appendChild(node: Node) {
      return parent.insertBefore(node, end);
    },
    removeChild(node: Node) {
      return parent.removeChild(node);
    },
  };
  return fragment as unknown as Element;
}

/** Hydrate every island marker on the page. */
export function boot(islands: Record<string, ComponentType<Record<string, unknown>>>): void {
  const stateEl = document.getElementById(STATE_ID);
  const props: Record<string, unknown>[] = stateEl ? JSON.parse(stateEl.textContent ?? "[]") : [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_COMMENT);
  const found: { name: string; id: number; start: Comment }[] = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const m = /^frsh:island:([^:]+):(\d+)$/.exec((node as Comment).data);
    if (m) found.push({ name: m[1], id: Number(m[2]), start: node as Comment });
  }
  for (const { name, id, start } of found) {
    let end: Node | null = start.nextSibling;
    while (
      end && !(end.nodeType === Node.COMMENT_NODE && (end as Comment).data === "/frsh:island")
    ) {
      end = end.nextSibling;
    }
    const component = islands[name];
    if (!end || !component || !start.parentNode) {
      console.warn(`fresh: cannot hydrate island ${name}#${id}`);
      continue;
    }
    hydrate(h(component, props[id] ?? {}), rootFragment(start.parentNode, start, end as Comment));
  }
}
