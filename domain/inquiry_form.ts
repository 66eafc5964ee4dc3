/**
 * An inquiry form: which fields a department asks for, in which order, which are required, and
 * the validation of what a visitor posted. Pure: the route parses the request, this decides.
 *
 * The field set is fixed (name, e-mail, phone, category, subject, free text, attachments); a
 * department turns fields on or off, marks them required, orders them, relabels them and lists the
 * category's options. E-mail and the free text are always on: we need an address to answer and
 * something to read.
 */
import { type Locale, translator } from "./i18n/mod.ts";

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
      label: text(item.label),
      options: Array.isArray(item.options) ? item.options.map(text) : base.options,
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

export type FieldError =
  | { code: "required" }
  | { code: "tooLong"; max: number }
  | { code: "lineBreak" }
  | { code: "email" }
  | { code: "phone" }
  | { code: "option" }
  | { code: "tooManyFiles"; max: number }
  | { code: "fileTooLarge"; name: string; maxMb: number }
  | { code: "totalTooLarge"; maxMb: number };

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

export type ValidationResult = {
  values: InquiryValues;
  errors: Partial<Record<FieldType, FieldError>>;
};

// Control characters (including CR and LF, the header-injection pair) and Unicode line separators.
const CONTROL = /[\p{Cc}\u2028\u2029]/u;
const CONTROL_EXCEPT_NEWLINES = /(?![\t\n\r])\p{Cc}/u;
const ADDRESS =
  /^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+$/;
const PHONE = /^\+?[0-9][0-9()\- ]{5,29}$/;

/** Validates posted values against the form; values come back trimmed for re-display. */
export function validateInquiry(
  fields: FormField[],
  posted: Record<string, string>,
  files: UploadedFile[],
): ValidationResult {
  const get = (k: string) => (posted[k] ?? "").replace(/\r\n?/g, "\n");
  const values: InquiryValues = {
    name: get("name").trim(),
    email: get("email").trim(),
    phone: get("phone").normalize("NFKC").trim(),
    category: get("category").trim(),
    subject: get("subject").trim(),
    text: get("text").trim(),
  };
  const errors: ValidationResult["errors"] = {};
  for (const f of fields.filter((f) => f.enabled)) {
    const error = f.type === "attachments" ? checkFiles(files) : checkValue(f, values[f.type]);
    if (error) errors[f.type] = error;
  }
  // Whatever the form shows, a field it does not show carries nothing.
  for (const f of fields.filter((f) => !f.enabled && f.type !== "attachments")) {
    values[f.type as keyof InquiryValues] = "";
  }
  return { values, errors };
}

function checkValue(f: FormField, value: string): FieldError | undefined {
  if (!value) return f.required ? { code: "required" } : undefined;
  const max = MAX_LENGTH[f.type as keyof typeof MAX_LENGTH];
  if (value.length > max) return { code: "tooLong", max };
  if (f.type === "text") {
    return CONTROL_EXCEPT_NEWLINES.test(value) ? { code: "lineBreak" } : undefined;
  }
  if (CONTROL.test(value)) return { code: "lineBreak" };
  if (f.type === "email" && !ADDRESS.test(value)) return { code: "email" };
  if (f.type === "phone" && !PHONE.test(value)) return { code: "phone" };
  if (f.type === "category") {
    const i = Number(value);
    if (!/^\d+$/.test(value) || i >= f.options.length) return { code: "option" };
  }
  return undefined;
}

/** Whether the form takes files at all: a form without the field ignores any posted to it. */
export function acceptsFiles(fields: FormField[]): boolean {
  return fields.some((f) => f.type === "attachments" && f.enabled);
}

/** Checks the upload limits: how many, each one's size, all together. */
export function checkFiles(files: UploadedFile[]): FieldError | undefined {
  if (files.length > MAX_FILES) return { code: "tooManyFiles", max: MAX_FILES };
  const big = files.find((f) => f.size > MAX_FILE_BYTES);
  if (big) return { code: "fileTooLarge", name: big.name, maxMb: MAX_FILE_BYTES / 1024 / 1024 };
  const total = files.reduce((n, f) => n + f.size, 0);
  if (total > MAX_TOTAL_BYTES) {
    return { code: "totalTooLarge", maxMb: MAX_TOTAL_BYTES / 1024 / 1024 };
  }
  return undefined;
}

/** A file name safe to store and show: no path, no control characters, bounded. */
export function safeFilename(name: string): string {
  const base = name.replace(/\\/g, "/").split("/").pop() ?? "";
  const clean = base.replace(/\p{Cc}/gu, "").trim().slice(0, 200);
  return clean || "attachment";
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

function text(v: unknown): LocalizedText {
  const o = (v ?? {}) as Record<string, unknown>;
  return {
    ja: typeof o.ja === "string" ? o.ja.slice(0, 200) : "",
    en: typeof o.en === "string" ? o.en.slice(0, 200) : "",
  };
}
