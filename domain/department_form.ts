/**
 * A department's settings as an administrator edits them: the inquiry form's fields, which
 * confirmation mails go out, who is notified and the mail templates. Parsing and validation of the
 * admin form are pure; the route renders and saves.
 */
import { FIELD_TYPES, type FormField, type Lang, normalizeField } from "./inquiry_form.ts";
import {
  DEFAULT_TEMPLATES,
  effectiveTemplate,
  LANGS,
  type MailTemplate,
  TEMPLATE_KINDS,
  type TemplateKind,
  type TemplateOverrides,
  unknownPlaceholders,
} from "./mail_template.ts";

export interface DepartmentSettings {
  form: FormField[];
  confirmCustomer: boolean;
  confirmAgents: boolean;
  /** Agents notified of new inquiries; empty means every enabled agent. */
  notifyAgentIds: number[];
  templates: TemplateOverrides;
}

/** What the edit form shows: every template spelled out, defaults included. */
export interface DepartmentFormValues {
  name: string;
  fields: FormField[];
  confirmCustomer: boolean;
  confirmAgents: boolean;
  notifyAgentIds: number[];
  templates: Record<TemplateKind, Record<Lang, MailTemplate>>;
}

export type DepartmentFormError =
  | { code: "nameRequired" }
  | { code: "slugInvalid" }
  | { code: "unknownPlaceholder"; names: string }
  | { code: "subjectLineBreak" };

export const SLUG = /^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?$/;
/** Slugs that name pages under /inquiry rather than departments. */
const RESERVED_SLUGS = ["thanks"];

/** Checks a new department's name and slug. */
export function validateNewDepartment(name: string, slug: string) {
  const errors: Record<string, DepartmentFormError> = {};
  if (!name || name.length > 100) errors.name = { code: "nameRequired" };
  if (!SLUG.test(slug) || RESERVED_SLUGS.includes(slug)) errors.slug = { code: "slugInvalid" };
  return errors;
}

/** The edit form's values for saved settings. */
export function departmentFormValues(name: string, s: DepartmentSettings): DepartmentFormValues {
  const templates = {} as DepartmentFormValues["templates"];
  for (const kind of TEMPLATE_KINDS) {
    templates[kind] = {
      ja: effectiveTemplate(s.templates, kind, "ja"),
      en: effectiveTemplate(s.templates, kind, "en"),
    };
  }
  return {
    name,
    fields: s.form,
    confirmCustomer: s.confirmCustomer,
    confirmAgents: s.confirmAgents,
    notifyAgentIds: s.notifyAgentIds,
    templates,
  };
}

/** A posted form: each name's value or values (files are ignored). */
type Posted = Record<string, unknown>;

function all(posted: Posted, key: string): string[] {
  const v = posted[key];
  return (Array.isArray(v) ? v : [v]).filter((x): x is string => typeof x === "string");
}

function one(posted: Posted, key: string): string {
  return (all(posted, key)[0] ?? "").replace(/\r\n?/g, "\n");
}

/** Reads the posted edit form; errors are keyed by the input's name. */
export function parseDepartmentForm(posted: Posted) {
  const errors: Record<string, DepartmentFormError> = {};
  const name = one(posted, "name").trim();
  if (!name || name.length > 100) errors.name = { code: "nameRequired" };

  const fields = FIELD_TYPES.map((type, index) => {
    const p = (k: string) => one(posted, `f.${type}.${k}`);
    const order = Number(p("order"));
    const field: FormField = normalizeField({
      type,
      enabled: p("enabled") === "on",
      required: p("required") === "on",
      label: { ja: p("label_ja").trim().slice(0, 200), en: p("label_en").trim().slice(0, 200) },
      options: type === "category" ? parseOptions(p("options")) : [],
    });
    return { field, order: Number.isFinite(order) ? order : index + 1, index };
  }).sort((a, b) => a.order - b.order || a.index - b.index).map((x) => x.field);

  const templates = {} as DepartmentFormValues["templates"];
  for (const kind of TEMPLATE_KINDS) {
    templates[kind] = {} as Record<Lang, MailTemplate>;
    for (const lang of LANGS) {
      const key = `tpl.${kind}.${lang}`;
      const subject = one(posted, `${key}.subject`).trim() || DEFAULT_TEMPLATES[kind][lang].subject;
      const body = one(posted, `${key}.body`).trim()
        ? one(posted, `${key}.body`)
        : DEFAULT_TEMPLATES[kind][lang].body;
      templates[kind][lang] = { subject, body };
      if (/[\n\u2028\u2029]/.test(subject)) errors[`${key}.subject`] = { code: "subjectLineBreak" };
      const unknown = unknownPlaceholders(kind, `${subject}\n${body}`);
      if (unknown.length > 0) {
        errors[`${key}.body`] = {
          code: "unknownPlaceholder",
          names: unknown.map((n) => `{{${n}}}`).join(" "),
        };
      }
    }
  }

  const values: DepartmentFormValues = {
    name,
    fields,
    confirmCustomer: one(posted, "confirm_customer") === "on",
    confirmAgents: one(posted, "confirm_agents") === "on",
    notifyAgentIds: all(posted, "notify").map(Number).filter(Number.isSafeInteger),
    templates,
  };
  return { values, errors };
}

/** The settings to save: templates equal to the defaults are not stored as overrides. */
export function toDepartmentSettings(v: DepartmentFormValues): DepartmentSettings {
  const overrides: TemplateOverrides = {};
  for (const kind of TEMPLATE_KINDS) {
    for (const lang of LANGS) {
      const tpl = v.templates[kind][lang];
      const def = DEFAULT_TEMPLATES[kind][lang];
      if (tpl.subject !== def.subject || tpl.body.trim() !== def.body.trim()) {
        (overrides[kind] ??= {})[lang] = tpl;
      }
    }
  }
  return {
    form: v.fields,
    confirmCustomer: v.confirmCustomer,
    confirmAgents: v.confirmAgents,
    notifyAgentIds: v.notifyAgentIds,
    templates: overrides,
  };
}

/** Options as typed: one per line, "日本語 | English". */
function parseOptions(text: string) {
  return text.split("\n").map((line) => line.trim()).filter(Boolean).slice(0, 50).map((line) => {
    const [ja, ...rest] = line.split("|");
    return { ja: ja.trim().slice(0, 200), en: rest.join("|").trim().slice(0, 200) };
  });
}

/** Options back as text for the edit form. */
export function formatOptions(options: { ja: string; en: string }[]): string {
  return options.map((o) => (o.en ? `${o.ja} | ${o.en}` : o.ja)).join("\n");
}
