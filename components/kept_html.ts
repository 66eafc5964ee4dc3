/**
 * Rendered HTML kept beside the object it was rendered from. A ticket's messages are kept while
 * nothing is committed (db/read_memo.ts), so every view of the ticket until the next commit gets the
 * same message objects: each message's markup is rendered once per variant (locale, zone, …) and put
 * into later pages as it is, with preact's template vnode (as precompiled JSX renders). Objects read
 * afresh for every view (a database that keeps nothing) simply render every time.
 */
import { type ComponentChildren, h, type VNode } from "preact";
import { jsxTemplate } from "preact/jsx-runtime";
import { renderToString } from "preact-render-to-string";

const kept = new WeakMap<object, Map<string, string>>();

/**
 * `render()`'s markup as a vnode, rendered once per `owner` and `variant`. `variant` must name
 * everything other than `owner` that the markup depends on.
 */
export function keptHtml(owner: object, variant: string, render: () => VNode): VNode {
  let byVariant = kept.get(owner);
  if (!byVariant) kept.set(owner, byVariant = new Map());
  let html = byVariant.get(variant);
  if (html === undefined) byVariant.set(variant, html = renderToString(render()));
  return jsxTemplate([html]);
}

const SLOT = "madoguchi-kept-slot";

/**
 * keptHtml with one hole: `render(slot)` places `slot` where `fill` goes, and `fill` (what
 * differs per request, such as a form with its own token) is rendered into it every time.
 */
export function keptHtmlAround(
  owner: object,
  variant: string,
  render: (slot: VNode) => VNode,
  fill: ComponentChildren,
): VNode {
  let byVariant = kept.get(owner);
  if (!byVariant) kept.set(owner, byVariant = new Map());
  const key = `${variant}\n${SLOT}`;
  let html = byVariant.get(key);
  if (html === undefined) byVariant.set(key, html = renderToString(render(h(SLOT, null))));
  const [head, tail, ...rest] = html.split(`<${SLOT}></${SLOT}>`);
  if (tail === undefined || rest.length > 0) throw new Error("The kept markup lost its slot");
  return jsxTemplate([head, tail], fill ?? null);
}
