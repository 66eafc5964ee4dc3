/**
 * Server side of an island (Fresh's convention on our own small glue): render the component to
 * HTML inside a marker element carrying its name and serialized props; `islands/mod.ts`, bundled
 * to /static/islands/main.js, hydrates every marker in the browser. Props must be JSON values.
 *
 * The server's markup of an island is a function of its name and props alone (islands use no
 * context and no useId; their effects run only in the browser), so it is rendered once per name
 * and props and kept (a few dozen, small ones only). Besides the render it saves, this keeps
 * preact's hooks off the server's hot path: a server render of a component that calls useState
 * left the whole page's vnodes alive past two young-generation collections (~1 MB promoted to
 * the old generation per collection on a ticket page, a major collection every ~300 ms, and the
 * pauses showed in /healthz behind busy pages: issue 13). Kept, nothing of the page is promoted.
 */
import type { ComponentType } from "preact";
import { jsxTemplate } from "preact/jsx-runtime";
import { renderToString } from "preact-render-to-string";

export interface IslandProps<P> {
  name: string;
  component: ComponentType<P>;
  props: P;
}

/** Kept markups at most (least recently used first out). */
const KEPT = 64;
/** Props longer than this (as JSON) are rendered every time, not kept: a long draft, say. */
const KEPT_PROPS_MAX = 16 * 1024;

const kept = new Map<string, string>();

/** The component's server markup for these props, rendered once while kept. */
function markup<P extends object>(
  name: string,
  Component: ComponentType<P>,
  props: P,
  json: string,
) {
  if (json.length > KEPT_PROPS_MAX) return renderToString(<Component {...props} />);
  const key = `${name}\n${json}`;
  let html = kept.get(key);
  if (html === undefined) html = renderToString(<Component {...props} />);
  else kept.delete(key);
  kept.set(key, html);
  if (kept.size > KEPT) kept.delete(kept.keys().next().value!);
  return html;
}

/** Renders an island: server HTML now, hydrated in the browser when its bundle loads. */
export function Island<P extends object>({ name, component, props }: IslandProps<P>) {
  const json = JSON.stringify(props);
  return (
    <div data-island={name} data-props={json}>
      {jsxTemplate([markup(name, component, props, json)])}
    </div>
  );
}
