/**
 * Above the reply box: who else is here (viewing, writing), colleagues' drafts, a notice when
 * the ticket changed while the page was open, and the take-over of a reply someone else writes.
 * It also saves the reply box's text as a server draft every few seconds and beats presence.
 * Without JavaScript the server-rendered lines still show, and the forms still post.
 */
import { useEffect, useRef, useState } from "preact/hooks";
import { onLive } from "./live_client.ts";
import { TICKET_STALE_EVENT } from "./live_thread.ts";

interface Person {
  id: number;
  name: string;
  state?: "viewing" | "writing";
}

export interface ReplyGuardProps {
  number: number;
  /** The ticket version this page shows (and the reply is composed against). */
  version: number;
  me: number;
  people: Person[];
  /** Colleagues with a saved draft. */
  drafts: Person[];
  /** A colleague holding the reply, or null. */
  writer: Person | null;
  /** Texts with {names} / {name} placeholders. */
  texts: {
    viewing: string;
    writing: string;
    drafts: string;
    person: string;
    separator: string;
    changed: string;
    reload: string;
    takeOver: string;
    takeOverConfirm: string;
    saved: string;
  };
}

const BEAT_MS = 15_000;
const SAVE_MS = 3_000;
/** Typing within this long counts as writing. */
const WRITING_MS = 30_000;
/** No input, pointer or key activity for this long: idle, the agent leaves the ticket. */
const IDLE_MS = 120_000;

function names(list: Person[], texts: ReplyGuardProps["texts"], honorific: boolean) {
  return list.map((p) => honorific ? texts.person.replace("{name}", p.name) : p.name)
    .join(texts.separator);
}

async function post(url: string, data: Record<string, string>) {
  const body = new FormData();
  for (const [k, v] of Object.entries(data)) body.set(k, v);
  const res = await fetch(url, { method: "POST", body, headers: { accept: "application/json" } });
  return res.ok ? await res.json() : null;
}

export function ReplyGuard(props: ReplyGuardProps) {
  const { number, me, texts } = props;
  const [people, setPeople] = useState(props.people);
  const [drafts, setDrafts] = useState(props.drafts);
  const [writer, setWriter] = useState(props.writer);
  const [changed, setChanged] = useState(false);
  const [saved, setSaved] = useState(false);
  const typedAt = useRef(0);
  const activeAt = useRef(Date.now());

  useEffect(() => {
    const base = `/tickets/${number}`;
    const box = document.querySelector<HTMLTextAreaElement>("#reply-form textarea[name=text]");
    const versionField = document.querySelector<HTMLInputElement>(
      "#reply-form input[name=version]",
    );
    let dirty = false;
    let gone = false;
    const state = () => Date.now() - typedAt.current < WRITING_MS ? "writing" : "viewing";
    async function beat() {
      const idle = document.hidden || Date.now() - activeAt.current > IDLE_MS;
      if (idle) {
        if (!gone) await post(`${base}/presence`, { state: "gone" });
        gone = true;
        return;
      }
      gone = false;
      const r = await post(`${base}/presence`, { state: state() });
      if (r?.holder) setWriter(r.holder);
    }
    async function save() {
      if (!dirty || !box) return;
      dirty = false;
      const r = await post(`${base}/draft`, {
        text: box.value,
        version: versionField?.value ?? String(props.version),
      });
      if (r) {
        setSaved(true);
        setWriter(r.holder);
      }
    }
    const onInput = () => {
      const first = Date.now() - typedAt.current >= WRITING_MS;
      typedAt.current = Date.now();
      dirty = true;
      setSaved(false);
      if (first) beat();
    };
    const onActive = () => {
      const wasGone = gone;
      activeAt.current = Date.now();
      if (wasGone) beat();
    };
    const onLeave = () => {
      const body = new FormData();
      body.set("state", "gone");
      navigator.sendBeacon(`${base}/presence`, body);
    };
    box?.addEventListener("input", onInput);
    for (const e of ["keydown", "pointerdown", "scroll", "focus"]) {
      globalThis.addEventListener(e, onActive, { passive: true });
    }
    document.addEventListener("visibilitychange", onActive);
    globalThis.addEventListener("pagehide", onLeave);
    beat();
    const beats = setInterval(beat, BEAT_MS);
    const saves = setInterval(save, SAVE_MS);
    const offTicket = onLive("ticket", (d) => {
      if (d.number !== number) return;
      setDrafts((d.drafts as Person[]).filter((p) => p.id !== me));
      const w = d.writer as Person | null;
      setWriter(w && w.id !== me ? w : null);
    });
    const offPresence = onLive("presence", (d) => {
      if (d.number === number) setPeople(d.people as Person[]);
    });
    const offReset = onLive("reset", () => setChanged(true));
    // A change the page cannot show by itself (islands/live_thread.ts inserts new messages).
    const onStale = () => setChanged(true);
    document.addEventListener(TICKET_STALE_EVENT, onStale);
    return () => {
      box?.removeEventListener("input", onInput);
      globalThis.removeEventListener("pagehide", onLeave);
      clearInterval(beats);
      clearInterval(saves);
      offTicket();
      offPresence();
      offReset();
      document.removeEventListener(TICKET_STALE_EVENT, onStale);
    };
  }, []);

  async function takeOver() {
    if (!writer || !confirm(texts.takeOverConfirm.replace("{name}", writer.name))) return;
    const r = await post(`/tickets/${number}/take-over`, {});
    if (r) setWriter(null);
  }

  const others = people.filter((p) => p.id !== me);
  const viewing = others.filter((p) => p.state !== "writing");
  const writing = others.filter((p) => p.state === "writing");
  const shownWriter = writer ?? writing[0] ?? null;
  const draftOnly = drafts.filter((d) => d.id !== shownWriter?.id);
  return (
    <div class="reply-guard" data-live="ticket">
      {changed && (
        <p class="live-changed" role="status">
          {texts.changed} <a href={`/tickets/${number}#reply`}>{texts.reload}</a>
        </p>
      )}
      {shownWriter && (
        <p class="writer" role="status">
          {texts.writing.replace("{name}", shownWriter.name)}{" "}
          {writer && (
            <button type="button" class="link" onClick={takeOver}>{texts.takeOver}</button>
          )}
        </p>
      )}
      {viewing.length > 0 && (
        <p class="viewers muted small">
          {texts.viewing.replace("{names}", names(viewing, texts, true))}
        </p>
      )}
      {draftOnly.length > 0 && (
        <p class="drafts muted small">
          {texts.drafts.replace("{names}", names(draftOnly, texts, false))}
        </p>
      )}
      {saved && <p class="muted small draft-saved">{texts.saved}</p>}
    </div>
  );
}
