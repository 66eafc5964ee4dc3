/**
 * Rendered HTML kept beside the object it was rendered from. Reads are kept while nothing is
 * committed (db/read_memo.ts), so every view until the next commit gets the same objects (a
 * ticket's messages, the workspace's panes, a report): their markup is rendered once per variant
 * (locale, zone, …) and put into later pages as it is, with preact's template vnode (as
 * precompiled JSX renders). Objects read afresh for every view (a database that keeps nothing)
 * simply render every time.
 */
import { type ComponentChildren, h, type VNode } from "preact";
import { jsxTemplate } from "preact/jsx-runtime";
import { renderToString } from "preact-render-to-string";

/** Per owner and variant: the markup, split where the slot goes (one part when it has none). */
const kept = new WeakMap<object, Map<string, string[]>>();

const SLOT = "madoguchi-kept-slot";

/**
 * `render(slot)`'s markup as a vnode, rendered once per `owner` and `variant`. `variant` must
 * name everything other than `owner` that the markup depends on. With a `fill`, `render` places
 * `slot` once where it goes, and `fill` (what differs per request, such as a form with its own
 * token or a banner) is rendered into it every time.
 */
export function keptHtml(
  owner: object,
  variant: string,
  render: (slot: VNode) => VNode,
  ...fill: [] | [ComponentChildren]
): VNode {
  let byVariant = kept.get(owner);
  if (!byVariant) kept.set(owner, byVariant = new Map());
  let parts = byVariant.get(variant);
  if (parts === undefined) {
    parts = renderToString(render(h(SLOT, null))).split(`<${SLOT}></${SLOT}>`);
    if (parts.length !== fill.length + 1) throw new Error("The kept markup lost its slot");
    byVariant.set(variant, parts);
  }
  return jsxTemplate(parts, ...fill.map((f) => f ?? null));
}
