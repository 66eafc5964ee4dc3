/**
 * Keyboard shortcuts for agents, on every agent page. Elements opt in with `data-shortcut="<key>"`
 * (a button or link is clicked, a field focused); the inbox rows (`tr[data-ticket]`) move with
 * j/k and open with Enter; `?` shows the list. Keys typed into a field are never taken, and
 * nothing here is needed: every action is also a plain link or form.
 */
import { useEffect, useState } from "preact/hooks";

export interface ShortcutsProps {
  /** [key, what it does] in the agent's language, for the help list. */
  help: [string, string][];
  title: string;
  close: string;
}

function typing(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el) return false;
  return el.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(el.tagName);
}

function moveSelection(step: number) {
  const rows = [...document.querySelectorAll<HTMLElement>("tr[data-ticket]")];
  if (rows.length === 0) return;
  const now = rows.findIndex((r) => r.classList.contains("kbd-selected"));
  const next = Math.min(Math.max(now === -1 ? 0 : now + step, 0), rows.length - 1);
  rows[now]?.classList.remove("kbd-selected");
  rows[next].classList.add("kbd-selected");
  rows[next].scrollIntoView({ block: "nearest" });
}

function openSelection(): boolean {
  const row = document.querySelector<HTMLElement>("tr.kbd-selected[data-ticket]");
  if (!row) return false;
  location.href = `/tickets/${row.dataset.ticket}`;
  return true;
}

/** Runs the element that opted in for `key`; true when there was one. */
function runShortcut(key: string): boolean {
  const el = document.querySelector<HTMLElement>(`[data-shortcut="${CSS.escape(key)}"]`);
  if (!el) return false;
  if (["INPUT", "TEXTAREA", "SELECT"].includes(el.tagName)) {
    el.focus();
  } else {
    el.click();
    // e.g. n: note mode, then the cursor in the text box.
    const next = el.dataset.shortcutFocus;
    if (next) document.querySelector<HTMLElement>(next)?.focus();
  }
  return true;
}

export function Shortcuts({ help, title, close }: ShortcutsProps) {
  const [open, setOpen] = useState(false);
  useEffect(() => {
    function onKey(e: KeyboardEvent) {
      if (e.ctrlKey || e.metaKey || e.altKey || typing(e.target)) return;
      let done = false;
      if (e.key === "?") {
        setOpen((o) => !o);
        done = true;
      } else if (e.key === "Escape") {
        setOpen(false);
      } else if (e.key === "j") {
        moveSelection(1);
        done = true;
      } else if (e.key === "k") {
        moveSelection(-1);
        done = true;
      } else if (e.key === "Enter") {
        done = openSelection();
      } else {
        done = runShortcut(e.key);
      }
      if (done) e.preventDefault();
    }
    document.addEventListener("keydown", onKey);
    // Listening: tests (and anyone curious) can tell the keys work now.
    document.documentElement.dataset.shortcuts = "ready";
    return () => document.removeEventListener("keydown", onKey);
  }, []);
  if (!open) return null;
  return (
    <div class="shortcuts" role="dialog" aria-modal="true" aria-label={title}>
      <h2>{title}</h2>
      <dl>
        {help.map(([key, what]) => (
          <>
            <dt>
              <kbd>{key}</kbd>
            </dt>
            <dd>{what}</dd>
          </>
        ))}
      </dl>
      <button type="button" onClick={() => setOpen(false)}>{close}</button>
    </div>
  );
}
