/**
 * An inquiry form: which fields a department asks for, in which order, which are required, and
 * the schema of what a visitor may post. Pure: the route parses the request, this decides.
 *
 * The field set is fixed (name, e-mail, phone, category, subject, free text, attachments); a
 * department turns fields on or off, marks them required, orders them, relabels them and lists the
 * category's options. E-mail and the free text are always on: we need an address to answer and
 * something to read.
 */
import { type Locale, translator } from "./i18n/mod.ts";
import { localized, oneOf, text, v } from "./validation.ts";

/** A customer's language: one of the UI's locales. */
export type Lang = Locale;

export const FIELD_TYPES = [
  "name",
  "email",
  "phone",
  "category",
  "subject",
  "text",
  "attachments",
] as const;
export type FieldType = typeof FIELD_TYPES[number];

export interface LocalizedText {
  ja: string;
  en: string;
}

export interface FormField {
  type: FieldType;
  enabled: boolean;
  required: boolean;
  /** Shown above the input; an empty language falls back to the default label. */
  label: LocalizedText;
  /** The category's choices (other fields have none). */
  options: LocalizedText[];
}

/** Limits on uploads: per file, per post, and how many files. */
export const MAX_FILES = 5;
export const MAX_FILE_BYTES = 10 * 1024 * 1024;
export const MAX_TOTAL_BYTES = 20 * 1024 * 1024;
/** The cap on a whole request body: the files plus room for the text fields and MIME framing. */
export const MAX_BODY_BYTES = MAX_TOTAL_BYTES + 1024 * 1024;

export const MAX_LENGTH: Record<Exclude<FieldType, "attachments">, number> = {
  name: 100,
  email: 254,
  phone: 30,
  category: 10,
  subject: 200,
  text: 20_000,
};

const ALWAYS_ON: FieldType[] = ["email", "text"];

/** The form of a department nobody configured. */
export function defaultFormFields(): FormField[] {
  const on = (type: FieldType, required: boolean, options: LocalizedText[] = []): FormField => ({
    type,
    enabled: true,
    required,
    label: { ja: "", en: "" },
    options,
  });
  return [
    on("name", true),
    on("email", true),
    { ...on("phone", false), enabled: false },
    on("category", false, [
      { ja: "製品・サービスについて", en: "Products and services" },
      { ja: "ご請求・お支払いについて", en: "Billing and payment" },
      { ja: "その他", en: "Other" },
    ]),
    on("subject", true),
    on("text", true),
    on("attachments", false),
  ];
}

/** Reads a stored form definition; anything unreadable falls back to the defaults per field. */
export function parseFormFields(json: string | null): FormField[] {
  let raw: unknown;
  try {
    raw = json ? JSON.parse(json) : null;
  } catch {
    raw = null;
  }
  if (!Array.isArray(raw)) return defaultFormFields();
  const defaults = new Map(defaultFormFields().map((f) => [f.type, f]));
  const out: FormField[] = [];
  for (const item of raw) {
    const type = item?.type;
    const base = defaults.get(type);
    if (!base) continue;
    defaults.delete(type);
    out.push(normalizeField({
      type,
      enabled: item.enabled !== false,
      required: item.required === true,
      label: localizedText(item.label),
      options: Array.isArray(item.options) ? item.options.map(localizedText) : base.options,
    }));
  }
  // Fields missing from an older definition keep their default place at the end, switched off.
  for (const f of defaults.values()) out.push(normalizeField({ ...f, enabled: false }));
  return out;
}

/** Enforces the invariants: e-mail and text always on, e-mail always required. */
export function normalizeField(f: FormField): FormField {
  const enabled = ALWAYS_ON.includes(f.type) || f.enabled;
  const required = f.type === "email" || (enabled && f.required);
  const options = f.type === "category"
    ? f.options.filter((o) => o.ja.trim() || o.en.trim()).slice(0, 50)
    : [];
  return { ...f, enabled, required, options };
}

/** The label of a field in a language. */
export function fieldLabel(f: Pick<FormField, "type" | "label">, lang: Lang): string {
  return f.label[lang].trim() || f.label.ja.trim() || defaultFieldLabel(f.type, lang);
}

/** A field's label when the admin gave none. */
export function defaultFieldLabel(type: FieldType, lang: Lang): string {
  return translator(lang)(`inquiry.field.${type}`);
}

/** A category option's label in a language. */
export function optionLabel(o: LocalizedText, lang: Lang): string {
  return o[lang].trim() || o.ja.trim() || o.en.trim();
}

export interface UploadedFile {
  name: string;
  type: string;
  size: number;
}

export interface InquiryValues {
  name: string;
  email: string;
  phone: string;
  /** The chosen option's index as posted ("" for none). */
  category: string;
  subject: string;
  text: string;
}

const ADDRESS =
  /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/;
const PHONE = /^\+?[0-9][0-9()\- ]{5,29}$/;

const MAX_FILE_MB = MAX_FILE_BYTES / 1024 / 1024;
const tooLarge = (f: UploadedFile) => f.size > MAX_FILE_BYTES;

/** Uploads (name, type and size of each) within the limits: how many, each one's size, all together. */
export const Uploads = v.pipe(
  v.array(v.object({ name: v.string(), type: v.string(), size: v.number() })),
  v.check(
    (files) => files.length <= MAX_FILES,
    localized(
      "inquiry.error.tooManyFiles",
      { max: MAX_FILES },
      `must hold at most ${MAX_FILES} files`,
    ),
  ),
  v.check(
    (files) => !files.some(tooLarge),
    localized(
      "inquiry.error.fileTooLarge",
      (files) => ({
        name: (files as UploadedFile[]).find(tooLarge)?.name ?? "",
        maxMb: MAX_FILE_MB,
      }),
      `must hold no file over ${MAX_FILE_MB} MB`,
    ),
  ),
  v.check(
    (files) => files.reduce((n, f) => n + f.size, 0) <= MAX_TOTAL_BYTES,
    localized(
      "inquiry.error.totalTooLarge",
      { maxMb: MAX_TOTAL_BYTES / 1024 / 1024 },
      `must total at most ${MAX_TOTAL_BYTES / 1024 / 1024} MB`,
    ),
  ),
);

/** The schema of one field as the department configured it. */
function fieldSchema(f: FormField): v.GenericSchema {
  const required = f.required;
  switch (f.type) {
    case "email":
      return text({
        required,
        max: MAX_LENGTH.email,
        pattern: ADDRESS,
        patternMessage: localized("inquiry.error.email"),
      });
    case "phone":
      return text({
        required,
        max: MAX_LENGTH.phone,
        nfkc: true,
        pattern: PHONE,
        patternMessage: localized("inquiry.error.phone"),
      });
    case "category":
      return oneOf(f.options.map((_, i) => String(i)), { required });
    case "text":
      return text({ required, max: MAX_LENGTH.text, multiline: true });
    case "attachments":
      return Uploads;
    default:
      return text({ required, max: MAX_LENGTH[f.type] });
  }
}

/**
 * What a visitor may post to a form: its enabled fields (the files under `attachments`), each
 * trimmed and checked; a field the form does not show carries nothing, whatever was posted.
 */
export function inquirySchema(fields: FormField[]) {
  const entries: v.ObjectEntries = {};
  for (const f of fields.filter((f) => f.enabled)) entries[f.type] = fieldSchema(f);
  return v.pipe(
    v.object(entries),
    v.transform((o): InquiryValues => {
      const get = (k: keyof InquiryValues) => (typeof o[k] === "string" ? o[k] as string : "");
      return {
        name: get("name"),
        email: get("email"),
        phone: get("phone"),
        category: get("category"),
        subject: get("subject"),
        text: get("text"),
      };
    }),
  );
}

/** Whether the form takes files at all: a form without the field ignores any posted to it. */
export function acceptsFiles(fields: FormField[]): boolean {
  return fields.some((f) => f.type === "attachments" && f.enabled);
}

/** A file name safe to store and show: no path, no control characters, bounded. */
export function safeFilename(name: string): string {
  const base = name.replace(/\\/g, "/").split("/").pop() ?? "";
  const clean = base.replace(/\p{Cc}/gu, "").trim().slice(0, 200);
  return clean || "attachment";
}

/** The chosen category's Japanese label (what routing rules match), or null. */
export function inquiryCategory(fields: FormField[], values: InquiryValues): string | null {
  const category = fields.find((f) => f.type === "category" && f.enabled);
  const option = category && values.category !== ""
    ? category.options[Number(values.category)]
    : undefined;
  return option ? optionLabel(option, "ja") : null;
}

/** The subject of the ticket: the visitor's, or the category and the start of the message. */
export function inquirySubject(fields: FormField[], values: InquiryValues): string {
  if (values.subject) return values.subject;
  const category = fields.find((f) => f.type === "category");
  const option = category && values.category !== ""
    ? category.options[Number(values.category)]
    : undefined;
  const firstLine = values.text.split("\n").find((l) => l.trim())?.trim() ?? "";
  const head = firstLine.length > 40 ? `${firstLine.slice(0, 40)}…` : firstLine;
  return option ? `【${optionLabel(option, "ja")}】${head}` : head || "(件名なし)";
}

/**
 * The customer's message as agents read it: the free text, then the other answers as labelled
 * lines (in Japanese, the agents' language).
 */
export function inquiryText(fields: FormField[], values: InquiryValues): string {
  const lines: string[] = [];
  for (const f of fields.filter((f) => f.enabled)) {
    if (f.type === "text" || f.type === "attachments" || f.type === "subject") continue;
    let value: string = values[f.type];
    if (f.type === "category" && value !== "") value = optionLabel(f.options[Number(value)], "ja");
    if (value) lines.push(`${fieldLabel(f, "ja")}: ${value}`);
  }
  if (!lines.length) return values.text;
  return values.text ? `${values.text}\n\n----\n${lines.join("\n")}` : lines.join("\n");
}

function localizedText(x: unknown): LocalizedText {
  const o = (x ?? {}) as Record<string, unknown>;
  return {
    ja: typeof o.ja === "string" ? o.ja.slice(0, 200) : "",
    en: typeof o.en === "string" ? o.en.slice(0, 200) : "",
  };
}
