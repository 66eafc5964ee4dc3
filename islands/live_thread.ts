/**
 * The open ticket, live: when a ticket event says its version moved, the messages this page has
 * not shown are fetched as the server renders them (GET /tickets/N/messages/after/V) and added
 * to the end of the conversation, marked 新着. The reply form's version moves with them only while
 * the box is empty: once the agent is writing, the stale-send guard still holds their send and
 * shows what came in meanwhile. A change that is not a message (status, assignment…) asks
 * ReplyGuard to offer a reload. Without JavaScript the page is simply reloaded by hand.
 */
import { onLive } from "./live_client.ts";
import { startUndoCountdowns } from "./undo_countdown.ts";

/** Fired on the document when the ticket changed in a way the page cannot show by itself. */
export const TICKET_STALE_EVENT = "madoguchi:ticket-stale";

/** Starts on a ticket page (one with the ReplyGuard panel). */
export function startLiveThread() {
  const guard = document.querySelector<HTMLElement>('[data-island="ReplyGuard"]');
  const thread = document.querySelector<HTMLElement>(".conversation");
  if (!guard || !thread) return;
  const props = JSON.parse(guard.dataset.props ?? "{}") as { number?: number; version?: number };
  const number = props.number;
  if (typeof number !== "number") return;
  let shown = props.version ?? 0;
  let busy: Promise<void> | null = null;
  let wanted = 0;

  async function catchUp() {
    const res = await fetch(`/tickets/${number}/messages/after/${shown}`, {
      headers: { accept: "text/html" },
    });
    const version = Number(res.headers.get("x-ticket-version"));
    if (res.status === 409 || !res.ok) {
      document.dispatchEvent(new CustomEvent(TICKET_STALE_EVENT));
      return;
    }
    if (res.status === 204) {
      // Not a message: something the page shows elsewhere changed.
      if (version > shown) document.dispatchEvent(new CustomEvent(TICKET_STALE_EVENT));
    } else {
      const box = document.createElement("div");
      box.innerHTML = await res.text();
      for (const el of [...box.children]) {
        const id = (el as HTMLElement).dataset.message;
        if (id && document.getElementById(`m${id}`)) continue;
        thread!.append(el);
      }
      startUndoCountdowns(thread!);
    }
    if (version > shown) {
      shown = version;
      const form = document.querySelector<HTMLFormElement>("#reply-form");
      const field = form?.querySelector<HTMLInputElement>("input[name=version]");
      const text = form?.querySelector<HTMLTextAreaElement>("textarea[name=text]");
      if (field && !text?.value.trim()) field.value = String(version);
    }
  }

  function run() {
    if (busy) return;
    busy = catchUp().catch(() => {}).finally(() => {
      busy = null;
      if (wanted > shown) run();
    });
  }

  onLive("ticket", (d) => {
    if (d.number !== number) return;
    const version = Number(d.version);
    if (version <= shown) return;
    wanted = Math.max(wanted, version);
    run();
  });
}
