import { useEffect, useRef, useState } from "preact/hooks";

/** A template already filled in for this ticket, ready to insert. */
export interface ComposerTemplate {
  id: number;
  title: string;
  text: string;
}

export interface ReplyComposerProps {
  name: string;
  value: string;
  sendLabel: string;
  /** The field's accessible name (the reply box's heading). */
  label?: string;
  /** Put the cursor here on load; the browser scrolls to it (works without JavaScript). */
  autoFocus?: boolean;
  /** The template the draft came from (sent along as `template_id`, so its use is counted). */
  templateId?: number | null;
  /** Templates the hydrated composer can insert at the cursor (without JS: the GET picker). */
  templates?: ComposerTemplate[];
  insertLabel?: string;
  chooseLabel?: string;
}

/**
 * The reply textarea. Without JS it is a plain field; hydrated, it sends with Ctrl/⌘+Enter, shows
 * the length, inserts templates at the cursor, and warns before leaving the page with an unsent
 * draft (but not when sending it).
 */
export function ReplyComposer(props: ReplyComposerProps) {
  const { name, value, sendLabel, label, autoFocus } = props;
  const [text, setText] = useState(value);
  const [templateId, setTemplateId] = useState(props.templateId ?? null);
  const [hydrated, setHydrated] = useState(false);
  const ref = useRef<HTMLTextAreaElement>(null);

  useEffect(() => {
    setHydrated(true);
    // The composer inserts templates itself now: the reload-with-template picker can go.
    if (props.templates?.length) document.documentElement.classList.add("composer-inserts");
    const form = ref.current?.form;
    const sending = () => {
      globalThis.onbeforeunload = null;
    };
    form?.addEventListener("submit", sending);
    return () => form?.removeEventListener("submit", sending);
  }, []);

  function onKeyDown(e: KeyboardEvent) {
    if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      (e.currentTarget as HTMLTextAreaElement).form?.requestSubmit();
    }
  }
  function update(next: string) {
    setText(next);
    globalThis.onbeforeunload = next.trim() ? () => true : null;
  }
  function onInput(e: Event) {
    update((e.currentTarget as HTMLTextAreaElement).value);
  }
  function insert(e: Event) {
    const select = e.currentTarget as HTMLSelectElement;
    const chosen = props.templates?.find((t) => String(t.id) === select.value);
    select.value = "";
    const area = ref.current;
    if (!chosen || !area) return;
    const start = area.selectionStart ?? text.length;
    const end = area.selectionEnd ?? start;
    update(text.slice(0, start) + chosen.text + text.slice(end));
    setTemplateId(chosen.id);
    area.focus();
  }
  return (
    <div class="composer">
      {hydrated && (props.templates?.length ?? 0) > 0 && (
        <label class="inline composer-insert">
          {props.insertLabel}{" "}
          <select onChange={insert} data-template-insert>
            <option value="">{props.chooseLabel}</option>
            {props.templates!.map((t) => (
              <option key={t.id} value={String(t.id)}>{t.title}</option>
            ))}
          </select>
        </label>
      )}
      <textarea
        ref={ref}
        name={name}
        rows={8}
        autofocus={autoFocus}
        value={text}
        onInput={onInput}
        onKeyDown={onKeyDown}
        data-hydrated={hydrated ? "true" : undefined}
        data-shortcut="r"
        aria-label={label}
      />
      {templateId !== null && <input type="hidden" name="template_id" value={String(templateId)} />}
      {hydrated && (
        <p class="muted small">
          {text.length} · Ctrl+Enter: {sendLabel}
        </p>
      )}
    </div>
  );
}
