import { useEffect, useRef, useState } from "preact/hooks";

export interface ReplyComposerProps {
  name: string;
  value: string;
  sendLabel: string;
  /** The field's accessible name (the reply box's heading). */
  label?: string;
  /** Put the cursor here on load; the browser scrolls to it (works without JavaScript). */
  autoFocus?: boolean;
}

/**
 * The reply textarea. Without JS it is a plain field; hydrated, it sends with Ctrl/⌘+Enter, shows
 * the length, and warns before leaving the page with an unsent draft (but not when sending it).
 */
export function ReplyComposer(
  { name, value, sendLabel, label, autoFocus }: ReplyComposerProps,
) {
  const [text, setText] = useState(value);
  const [hydrated, setHydrated] = useState(false);
  const ref = useRef<HTMLTextAreaElement>(null);

  useEffect(() => {
    setHydrated(true);
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
  function onInput(e: Event) {
    const next = (e.currentTarget as HTMLTextAreaElement).value;
    setText(next);
    globalThis.onbeforeunload = next.trim() ? () => true : null;
  }
  return (
    <div class="composer">
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
      {hydrated && (
        <p class="muted small">
          {text.length} · Ctrl+Enter: {sendLabel}
        </p>
      )}
    </div>
  );
}
