/**
 * The inbox, live: folder counts (live_badge.ts), each row's status and who is on it (writing,
 * viewing, drafts), rows that left the folder dimmed, new tickets on the first page as the server
 * renders them (highlighted), and a notice when a ticket on another page changed in this folder.
 * Plain DOM over the server's rows; without JavaScript a reload does the same.
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
  // A ticket new to this folder: on the first page the rows are fetched again as the server
  // renders them (same URL, so the same filters and order) and swapped in, at most every few
  // seconds; further pages keep their place and offer a reload instead.
  const firstPage = !/[?&](cursor|page)=/.test(location.search) ||
    /[?&]page=1(&|$)/.test(location.search);
  let lastFetch = 0;
  let pendingFetch: ReturnType<typeof setTimeout> | null = null;
  async function refreshRows() {
    pendingFetch = null;
    lastFetch = Date.now();
    const list = root!.querySelector(".list");
    const res = await fetch(location.pathname + location.search, {
      headers: { accept: "text/html" },
    });
    if (!list || !res.ok) return notice();
    const fresh = new DOMParser().parseFromString(await res.text(), "text/html")
      .querySelector("[data-live-inbox] .list");
    const table = fresh?.querySelector("table.tickets, p.empty");
    const old = list.querySelector("table.tickets, p.empty");
    if (!table || !old) return notice();
    const known = new Set(
      [...list.querySelectorAll<HTMLElement>("tr[data-ticket]")].map((r) => r.dataset.ticket),
    );
    for (const r of table.querySelectorAll<HTMLElement>("tr[data-ticket]")) {
      if (!known.has(r.dataset.ticket)) r.classList.add("live-new");
    }
    old.replaceWith(document.importNode(table, true));
    const pager = fresh!.querySelector("nav.pager");
    const oldPager = list.querySelector("nav.pager");
    if (pager && oldPager) oldPager.replaceWith(document.importNode(pager, true));
  }
  function scheduleRefresh() {
    if (pendingFetch !== null) return;
    const wait = Math.max(0, lastFetch + 3_000 - Date.now());
    pendingFetch = setTimeout(() => refreshRows().catch(() => notice()), wait);
  }

  onLive("ticket", (d) => {
    const tr = row(d.number);
    const status = String(d.status);
    const inFolder = cfg.status === "all" || cfg.status === status;
    if (!tr) {
      if (inFolder && firstPage) scheduleRefresh();
      else if (inFolder) notice();
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
  // The stream's hello says who this page's agent is: oneself in another tab is not news.
  let me = 0;
  onLive("hello", (d) => (me = Number(d.agent)));
  onLive("presence", (d) => {
    update(d.number, (a) => {
      a.viewers = (d.people as { id: number; name: string }[]).filter((x) => x.id !== me)
        .map((x) => x.name);
    });
  });
  onLive("reset", notice);
}
