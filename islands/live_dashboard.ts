/**
 * The dashboard, live: when a ticket changes, the page is fetched again as the server renders it
 * (same URL) and its figures swapped in, at most every few seconds. Without JavaScript a reload
 * does the same.
 */
import { onLive } from "./live_client.ts";

/** Least time between two refreshes: a busy desk changes tickets every second. */
const EVERY_MS = 5_000;

/** Starts when the page is the dashboard. */
export function startLiveDashboard() {
  const root = document.querySelector<HTMLElement>("[data-live-dashboard]");
  if (!root) return;
  let last = 0;
  let pending: ReturnType<typeof setTimeout> | null = null;
  async function refresh() {
    pending = null;
    last = Date.now();
    const res = await fetch(location.pathname + location.search, {
      headers: { accept: "text/html" },
    });
    if (!res.ok) return;
    const fresh = new DOMParser().parseFromString(await res.text(), "text/html")
      .querySelector("[data-live-dashboard]");
    const current = document.querySelector("[data-live-dashboard]");
    if (fresh && current) current.replaceWith(document.importNode(fresh, true));
  }
  onLive("ticket", () => {
    if (pending !== null) return;
    pending = setTimeout(
      () => refresh().catch(() => {}),
      Math.max(0, last + EVERY_MS - Date.now()),
    );
  });
}
