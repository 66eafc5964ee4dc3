/**
 * The inbox, live: folder counts (live_badge.ts), each row's status and who is on it (writing,
 * viewing, drafts), rows that left the folder dimmed, and a notice when a ticket not shown changed
 * in this folder. Plain DOM over the server's rows; without JavaScript a reload does the same.
 */
import { onLive } from "./live_client.ts";

interface Config {
  status: string;
  statusLabels: Record<string, string>;
  writing: string;
  viewing: string;
  drafts: string;
  person: string;
  separator: string;
  changed: string;
  reload: string;
}

interface Activity {
  writer: string | null;
  viewers: string[];
  drafts: string[];
}

function text(cfg: Config, a: Activity): string {
  const parts: string[] = [];
  if (a.writer) parts.push(cfg.writing.replace("{name}", a.writer));
  const viewers = a.viewers.filter((v) => v !== a.writer);
  const people = viewers.map((v) => cfg.person.replace("{name}", v)).join(cfg.separator);
  if (viewers.length) parts.push(cfg.viewing.replace("{names}", people));
  const drafts = a.drafts.filter((d) => d !== a.writer);
  if (drafts.length) parts.push(cfg.drafts.replace("{names}", drafts.join(cfg.separator)));
  return parts.join(" · ");
}

/** Starts when the page is the inbox. */
export function startLiveInbox() {
  const root = document.querySelector<HTMLElement>("[data-live-inbox]");
  if (!root) return;
  const cfg = JSON.parse(root.dataset.liveInbox ?? "{}") as Config;
  const row = (n: unknown) => root.querySelector<HTMLElement>(`tr[data-ticket="${Number(n)}"]`);
  function update(n: unknown, change: (a: Activity) => void) {
    const span = row(n)?.querySelector<HTMLElement>(".row-activity");
    if (!span) return;
    const a = JSON.parse(span.dataset.activity ?? "{}") as Activity;
    change(a);
    span.dataset.activity = JSON.stringify(a);
    span.textContent = text(cfg, a);
  }
  function notice() {
    if (root!.querySelector(".live-changed")) return;
    const p = document.createElement("p");
    p.className = "live-changed";
    p.setAttribute("role", "status");
    const a = document.createElement("a");
    a.href = location.pathname + location.search;
    a.textContent = cfg.reload;
    p.append(cfg.changed + " ", a);
    root!.querySelector(".list")?.prepend(p);
  }
  onLive("ticket", (d) => {
    const tr = row(d.number);
    const status = String(d.status);
    const inFolder = cfg.status === "all" || cfg.status === status;
    if (!tr) {
      if (inFolder) notice();
      return;
    }
    const badge = tr.querySelector<HTMLElement>(".badge[class*='status-']");
    if (badge) {
      badge.className = `badge status-${status}`;
      badge.textContent = cfg.statusLabels[status] ?? status;
    }
    tr.classList.toggle("moved", !inFolder);
    update(d.number, (a) => {
      a.writer = (d.writer as { name: string } | null)?.name ?? null;
      a.drafts = (d.drafts as { name: string }[]).map((x) => x.name);
    });
  });
  onLive("presence", (d) => {
    update(d.number, (a) => {
      a.viewers = (d.people as { name: string }[]).map((x) => x.name);
    });
  });
  onLive("reset", notice);
}
