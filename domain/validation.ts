/**
 * The one way input is validated: valibot schemas, built from the few field kinds below, parsed
 * by `parseInput` into typed values or one ValidationError listing every field's first problem
 * keyed by its path (`customer.email`). Schemas are plain data with no I/O, so they may live in
 * `domain/` next to the rules they encode, or in `routes/` next to the request they describe.
 *
 * Every message speaks to two audiences (see `localized`): the API reads its documented English
 * wording ("is required", "must be a string", …); a page passes its translate function to
 * `checkInput` and gets each field's problem from the catalog, in the visitor's language.
 */
import * as v from "valibot";
import { ValidationError } from "./errors.ts";
import type { MessageKey, MessageVars, Translate } from "./i18n/mod.ts";

export { v };

/** A message a page shows beside a field: a catalog key and the values of its placeholders. */
export interface LocalMessage {
  key: MessageKey;
  vars?: MessageVars;
}

/** A schema message: the API's English, or a catalog key when a page checks the form. */
export type FieldMessage = (issue: v.BaseIssue<unknown>) => string;

// valibot hands its `lang` setting to every message function; this value asks for catalog keys,
// which come back through the issue's message string, encoded, and are decoded in `issueFields`.
const LOCAL = "madoguchi:local";
const ENCODED = "\u0000local:";

/**
 * A schema message that is a catalog key (plus placeholder values, which may be computed from the
 * refused value): a page shows `t(key, vars)`, the API `en`. A form-only schema may leave `en`.
 */
export function localized(
  key: MessageKey,
  vars?: MessageVars | ((input: unknown) => MessageVars),
  en = "is invalid",
): FieldMessage {
  return (issue) => {
    if (issue.lang !== LOCAL) return en;
    const local: LocalMessage = {
      key,
      vars: typeof vars === "function" ? vars(issue.input) : vars,
    };
    return ENCODED + JSON.stringify(local);
  };
}

/** The catalog message an issue carries; issues without one read as `fallback`. */
export function localMessage(
  issue: Pick<v.BaseIssue<unknown>, "message">,
  fallback: LocalMessage = { key: "form.invalid" },
): LocalMessage {
  return issue.message.startsWith(ENCODED)
    ? JSON.parse(issue.message.slice(ENCODED.length))
    : fallback;
}

// Header-bound values (names, subjects) may not carry line breaks (CR, LF, the Unicode line and
// paragraph separators) or other control characters; a tab is allowed.
const CONTROL = /(?!\t)\p{Cc}|[\u2028\u2029]/u;
// Multi-line text keeps its tabs and line breaks (already normalized to \n), nothing else.
const CONTROL_IN_TEXT = /(?![\t\n])\p{Cc}/u;

const REQUIRED = localized("form.required", undefined, "is required");
const NOT_A_STRING = localized("form.invalid", undefined, "must be a string");

export interface TextRule {
  required?: boolean;
  max?: number;
  pattern?: RegExp;
  patternMessage?: string | FieldMessage;
  /** What a missing value says, instead of "is required". */
  requiredMessage?: FieldMessage;
  /** Keep line breaks (message bodies), normalized to `\n`; otherwise control characters are refused. */
  multiline?: boolean;
  /** Fold full-width digits, letters and signs first (NFKC): a phone number typed in Japanese. */
  nfkc?: boolean;
  /** Keep surrounding white space (a mail template's body); still "not given" when only spaces. */
  keepSpace?: boolean;
}

type Required = { required: true };

/** Absent, null and "" are all "not given": HTML forms and query strings send "" for empty. */
function blank(x: unknown): boolean {
  return x === undefined || x === null || x === "";
}

/** Only a key that is present reaches a schema, so optional fields are wrapped (valibot `optional`). */
function optionalUnless<S extends v.GenericSchema>(required: boolean | undefined, schema: S) {
  return required ? schema : v.optional(schema);
}

function textPipe(rule: TextRule) {
  const max = rule.max;
  return v.pipe(
    v.unknown(),
    v.transform((x) => (blank(x) ? "" : x)),
    v.string(NOT_A_STRING),
    v.transform((s) => (rule.nfkc ? s.normalize("NFKC") : s)),
    v.transform((s) => (rule.multiline ? s.replace(/\r\n?/g, "\n") : s)),
    v.transform((s) => (rule.keepSpace && s.trim() !== "" ? s : s.trim())),
    v.check((s) => !rule.required || s !== "", rule.requiredMessage ?? REQUIRED),
    v.check(
      (s) => max === undefined || s.length <= max,
      localized("form.tooLong", { max: max ?? 0 }, `must be at most ${max} characters`),
    ),
    v.check(
      (s) => !(rule.multiline ? CONTROL_IN_TEXT : CONTROL).test(s),
      rule.multiline
        ? localized("form.control", undefined, "must not contain control characters")
        : localized(
          "form.lineBreak",
          undefined,
          "must not contain line breaks or control characters",
        ),
    ),
    v.check(
      (s) => !rule.pattern || s === "" || rule.pattern.test(s),
      rule.patternMessage ?? localized("form.invalid", undefined, "has an invalid format"),
    ),
    v.transform((s) => (s === "" ? undefined : s)),
  );
}

/** A trimmed string; undefined when not given (or an error when `required`). */
export function text(rule: TextRule & Required): v.GenericSchema<unknown, string>;
export function text(rule?: TextRule): v.GenericSchema<unknown, string | undefined>;
export function text(rule: TextRule = {}): v.GenericSchema<unknown, string | undefined> {
  return optionalUnless(rule.required, textPipe(rule));
}

/**
 * A string kept exactly as typed (a password: no trimming, any character), "" when not given,
 * at least `min` and at most `max` characters long.
 */
export function secret(
  rule: { min?: number; max: number; tooShort?: FieldMessage },
): v.GenericSchema<unknown, string> {
  const { min = 0, max } = rule;
  return v.optional(
    v.pipe(
      v.unknown(),
      v.transform((x) => (blank(x) ? "" : x)),
      v.string(NOT_A_STRING),
      v.check(
        (s) => s.length >= min,
        rule.tooShort ??
          localized("form.required", undefined, `must be at least ${min} characters`),
      ),
      v.check(
        (s) => s.length <= max,
        localized("form.tooLong", { max }, `must be at most ${max} characters`),
      ),
    ),
    "",
  ) as v.GenericSchema<unknown, string>;
}

/** One of a fixed set of strings. */
export function oneOf<const T extends string>(
  values: readonly T[],
  rule: Required & { message?: FieldMessage },
): v.GenericSchema<unknown, T>;
export function oneOf<const T extends string>(
  values: readonly T[],
  rule?: { required?: boolean; message?: FieldMessage },
): v.GenericSchema<unknown, T | undefined>;
export function oneOf<const T extends string>(
  values: readonly T[],
  rule: { required?: boolean; message?: FieldMessage } = {},
): v.GenericSchema<unknown, T | undefined> {
  const message = rule.message ??
    localized("form.option", undefined, `must be one of: ${values.join(", ")}`);
  return optionalUnless(
    rule.required,
    v.pipe(
      textPipe({ required: rule.required, max: 100, requiredMessage: rule.message }),
      v.optional(v.picklist(values, message)),
    ),
  );
}

export interface NumberRule {
  min: number;
  max: number;
  required?: boolean;
  /** What a value out of range (or no number at all) says. */
  message?: FieldMessage;
}

/** A whole number in [min, max]; numeric strings are accepted (query strings, form fields). */
export function wholeNumber(
  rule: NumberRule & Required,
): v.GenericSchema<unknown, number>;
export function wholeNumber(rule: NumberRule): v.GenericSchema<unknown, number | undefined>;
export function wholeNumber(rule: NumberRule): v.GenericSchema<unknown, number | undefined> {
  const { min, max } = rule;
  const message = rule.message ??
    localized("form.number", { min, max }, `must be a whole number from ${min} to ${max}`);
  const schema = v.pipe(
    v.unknown(),
    v.transform((x) => {
      if (blank(x)) return undefined;
      const s = typeof x === "string" ? x.trim() : x;
      return typeof s === "string" && /^\d+$/.test(s) ? Number(s) : s;
    }),
    v.check((x) => x !== undefined || !rule.required, rule.message ?? REQUIRED),
    v.optional(v.pipe(
      v.number(message),
      v.safeInteger(message),
      v.minValue(rule.min, message),
      v.maxValue(rule.max, message),
    )),
  );
  return optionalUnless(rule.required, schema);
}

const NOT_AN_OBJECT = localized("form.invalid", undefined, "must be an object");

/** A nested object (not an array), whose own fields report under `key.`. */
export function object<E extends v.ObjectEntries>(
  entries: E,
  rule: Required,
): v.GenericSchema<unknown, v.InferOutput<v.ObjectSchema<E, string>>>;
export function object<E extends v.ObjectEntries>(
  entries: E,
  rule?: { required?: boolean },
): v.GenericSchema<unknown, v.InferOutput<v.ObjectSchema<E, string>> | undefined>;
export function object<E extends v.ObjectEntries>(
  entries: E,
  rule: { required?: boolean } = {},
): v.GenericSchema<unknown, v.InferOutput<v.ObjectSchema<E, string>> | undefined> {
  const schema = v.pipe(
    v.unknown(),
    v.check((x) => x !== null || !rule.required, REQUIRED),
    v.check((x) => x === null || isPlainObject(x), NOT_AN_OBJECT),
    v.transform((x) => (x === null ? undefined : x)),
    v.optional(v.object(entries, NOT_AN_OBJECT)),
  );
  return optionalUnless(rule.required, schema);
}

/** A value for a query string or form that falls back to `fallback` when absent or invalid. */
export function orElse<T>(
  schema: v.GenericSchema<unknown, T | undefined>,
  fallback: T,
): v.GenericSchema<unknown, T> {
  return v.fallback(
    v.pipe(schema, v.transform((x) => x ?? fallback)),
    fallback,
  ) as unknown as v.GenericSchema<unknown, T>;
}

/** Whether a value is a JSON-style object (not an array, not null). */
export function isPlainObject(x: unknown): x is Record<string, unknown> {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

/** A ticked checkbox: true when the form posted its value ("on" unless the input names one). */
export function checkbox(value = "on"): v.GenericSchema<unknown, boolean> {
  return v.optional(v.pipe(v.unknown(), v.transform((x) => x === value)), false);
}

/**
 * Every issue's first message per field path; a missing required key reads "is required". With
 * `t`, each message is the issue's catalog text in that language instead of the API's English.
 */
export function issueFields(
  issues: readonly v.BaseIssue<unknown>[],
  t?: Translate,
): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of issues) {
    const key = v.getDotPath(issue) ?? "";
    const missing = issue.kind === "schema" && issue.type === "object" &&
      issue.path?.at(-1)?.origin === "key";
    if (Object.hasOwn(fields, key)) continue;
    if (!t) fields[key] = missing ? "is required" : issue.message;
    else {
      const local = localMessage(issue, { key: missing ? "form.required" : "form.invalid" });
      fields[key] = t(local.key, local.vars);
    }
  }
  return fields;
}

export type Checked<T> = { ok: true; value: T } | { ok: false; fields: Record<string, string> };

/**
 * Validates without throwing, for a handler that re-renders its form with the problems: with the
 * page's translate function `t`, in the visitor's language (`c.get("t")`).
 */
export function checkInput<S extends v.GenericSchema>(
  schema: S,
  input: unknown,
  t?: Translate,
): Checked<v.InferOutput<S>> {
  const result = v.safeParse(schema, input, t ? { lang: LOCAL } : undefined);
  return result.success
    ? { ok: true, value: result.output }
    : { ok: false, fields: issueFields(result.issues, t) };
}

/** A problem of one field: the page's catalog key (with values) and the API's English. */
export interface FieldProblem extends LocalMessage {
  en: string;
}

/**
 * A ValidationError a service throws about fields it checks itself: the API reads each field's
 * `en`, a page shows `fieldMessage(error, field, t)` in the reader's language.
 */
export function fieldProblems(
  message: string,
  problems: Record<string, FieldProblem>,
): ValidationError {
  const fields: Record<string, string> = {};
  const local: Record<string, LocalMessage> = {};
  for (const [field, p] of Object.entries(problems)) {
    fields[field] = p.en;
    local[field] = { key: p.key, vars: p.vars };
  }
  return new ValidationError(message, fields, local);
}

/** A field's problem in the reader's language, or undefined when the error names none. */
export function fieldMessage(
  error: ValidationError,
  field: string,
  t: Translate,
): string | undefined {
  const local = error.local[field];
  if (local) return t(local.key as MessageKey, local.vars);
  return Object.hasOwn(error.fields, field) ? t("form.invalid") : undefined;
}

/** The typed value, or a ValidationError (422) listing every field problem at once. */
export function parseInput<S extends v.GenericSchema>(schema: S, input: unknown): v.InferOutput<S> {
  const checked = checkInput(schema, input);
  if (!checked.ok) throw new ValidationError("The request has invalid fields", checked.fields);
  return checked.value;
}
