/** Browser entry: hydrate every island the server rendered. Bundled by islands/build.ts. */
import { h, hydrate } from "preact";
import type { ComponentType } from "preact";
import { ReplyComposer } from "./ReplyComposer.tsx";
import { Shortcuts } from "./Shortcuts.tsx";
import { ReplyGuard } from "./ReplyGuard.tsx";
import { startLiveBadge } from "./live_badge.ts";
import { startLiveInbox } from "./live_inbox.ts";
import { startLiveDashboard } from "./live_dashboard.ts";
import { startLiveThread } from "./live_thread.ts";
import { startUndoCountdowns } from "./undo_countdown.ts";

// deno-lint-ignore no-explicit-any
const islands: Record<string, ComponentType<any>> = { ReplyComposer, Shortcuts, ReplyGuard };

for (const el of document.querySelectorAll<HTMLElement>("[data-island]")) {
  const component = islands[el.dataset.island ?? ""];
  if (!component) continue;
  hydrate(h(component, JSON.parse(el.dataset.props ?? "{}")), el);
}

startLiveBadge();
startLiveInbox();
startLiveDashboard();
startLiveThread();
startUndoCountdowns();
