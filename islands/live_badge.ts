/**
 * Live parts of every agent page outside islands: the notification badge in the top bar and the
 * inbox's folder counts. Only on pages with the agent's top bar (customer pages load no JS).
 */
import { onLive } from "./live_client.ts";

/** Starts listening when the page has the agent's navigation. */
export function startLiveBadge() {
  const link = document.querySelector<HTMLAnchorElement>('.topbar a[href="/notifications"]');
  if (!link) return;
  onLive("badge", (d) => {
    const unread = Number(d.unread) || 0;
    let badge = link.querySelector<HTMLElement>(".unread-badge");
    if (unread === 0) return badge?.remove();
    if (!badge) {
      badge = document.createElement("span");
      badge.className = "unread-badge";
      link.append(badge);
    }
    badge.textContent = String(unread);
  });
  onLive("counts", (d) => {
    for (const el of document.querySelectorAll<HTMLElement>("[data-folder] .count")) {
      const n = d[el.parentElement?.dataset.folder ?? ""];
      if (typeof n === "number") el.textContent = String(n);
    }
  });
}
