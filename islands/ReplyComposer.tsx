import { useEffect, useRef, useState } from "preact/hooks";

/** A template already filled in for this ticket, ready to insert. */
export interface ComposerTemplate {
  id: number;
  title: string;
  text: string;
}

/** The file field: its labels and the limits every upload here has. */
export interface ComposerFiles {
  name: string;
  label: string;
  hint: string;
  drop: string;
  remove: string;
  maxFiles: number;
  maxFileBytes: number;
  maxTotalBytes: number;
  /** The server refused the files (the page came back: files must be chosen again). */
  error?: string;
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
  /** A file input (plain without JS; with JS, files may also be dropped on the composer). */
  files?: ComposerFiles;
}

/**
 * The reply textarea. Without JS it is a plain field and a plain file input; hydrated, it sends
 * with Ctrl/⌘+Enter, shows the length, inserts templates at the cursor, takes dropped files into
 * the file input (within the limits, listed with a way to remove each), and warns before leaving
 * the page with an unsent draft (but not when sending it).
 */
export function ReplyComposer(props: ReplyComposerProps) {
  const { name, value, sendLabel, label, autoFocus } = props;
  const [text, setText] = useState(value);
  const [templateId, setTemplateId] = useState(props.templateId ?? null);
  const [hydrated, setHydrated] = useState(false);
  const [chosen, setChosen] = useState<File[]>([]);
  const [over, setOver] = useState(false);
  const [fileError, setFileError] = useState(props.files?.error ?? "");
  const ref = useRef<HTMLTextAreaElement>(null);
  const fileRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    setHydrated(true);
    // The composer inserts templates itself now: the reload-with-template picker can go.
    if (props.templates?.length) document.documentElement.classList.add("composer-inserts");
    const form = ref.current?.form;
    const sending = () => {
      globalThis.onbeforeunload = null;
    };
    form?.addEventListener("submit", sending);
    // Ctrl/⌘+Enter sends from anywhere in the form (a recipient field, the status select).
    const keys = (e: KeyboardEvent) => {
      if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
        e.preventDefault();
        form?.requestSubmit();
      }
    };
    form?.addEventListener("keydown", keys);
    return () => {
      form?.removeEventListener("submit", sending);
      form?.removeEventListener("keydown", keys);
    };
  }, []);

  function update(next: string) {
    setText(next);
    globalThis.onbeforeunload = next.trim() !== value.trim() ? () => true : null;
  }
  function onInput(e: Event) {
    update((e.currentTarget as HTMLTextAreaElement).value);
  }
  function insert(e: Event) {
    const select = e.currentTarget as HTMLSelectElement;
    const template = props.templates?.find((t) => String(t.id) === select.value);
    select.value = "";
    const area = ref.current;
    if (!template || !area) return;
    const start = area.selectionStart ?? text.length;
    const end = area.selectionEnd ?? start;
    update(text.slice(0, start) + template.text + text.slice(end));
    setTemplateId(template.id);
    area.focus();
  }

  /** Puts `files` into the file input (what the form posts), within the limits. */
  function setFiles(files: File[]) {
    const limits = props.files!;
    const input = fileRef.current;
    if (!input) return;
    const total = files.reduce((n, f) => n + f.size, 0);
    const tooLarge = files.find((f) => f.size > limits.maxFileBytes);
    if (files.length > limits.maxFiles || tooLarge || total > limits.maxTotalBytes) {
      setFileError(limits.hint);
      return;
    }
    const transfer = new DataTransfer();
    for (const f of files) transfer.items.add(f);
    input.files = transfer.files;
    setChosen(files);
    setFileError("");
  }
  function onDrop(e: DragEvent) {
    setOver(false);
    if (!props.files || !e.dataTransfer?.files.length) return;
    e.preventDefault();
    setFiles([...chosen, ...Array.from(e.dataTransfer.files)]);
  }
  function onDragOver(e: DragEvent) {
    if (!props.files || !e.dataTransfer?.types.includes("Files")) return;
    e.preventDefault();
    setOver(true);
  }

  const files = props.files;
  return (
    <div
      class={over ? "composer dropping" : "composer"}
      onDragOver={onDragOver}
      onDragLeave={() => setOver(false)}
      onDrop={onDrop}
    >
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
        rows={10}
        autofocus={autoFocus}
        value={text}
        onInput={onInput}
        data-hydrated={hydrated ? "true" : undefined}
        data-shortcut="r"
        aria-label={label}
      />
      {templateId !== null && <input type="hidden" name="template_id" value={String(templateId)} />}
      {files && (
        <div class="composer-files">
          <label>
            {files.label}{" "}
            <input
              ref={fileRef}
              type="file"
              name={files.name}
              multiple
              onChange={(e) =>
                setFiles(Array.from((e.currentTarget as HTMLInputElement).files ?? []))}
              aria-describedby="composer-file-hint"
            />
          </label>
          <span class="muted small" id="composer-file-hint">
            {hydrated && <span class="drop-hint">{`${files.drop} · `}</span>}
            {files.hint}
          </span>
          {fileError && <p class="error" role="alert">{fileError}</p>}
          {chosen.length > 0 && (
            <ul class="composer-chosen">
              {chosen.map((f, i) => (
                <li key={`${f.name}-${i}`}>
                  {f.name} <span class="muted">({formatSize(f.size)})</span>{" "}
                  <button
                    type="button"
                    class="link"
                    onClick={() => setFiles(chosen.filter((_, j) => j !== i))}
                  >
                    {files.remove}
                  </button>
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
      {hydrated && (
        <p class="muted small">
          {text.length} · Ctrl+Enter: {sendLabel}
        </p>
      )}
    </div>
  );
}

function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
