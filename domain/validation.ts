/**
 * The one way input is validated: valibot schemas, built from the few field kinds below, parsed
 * by `parseInput` into typed values or one ValidationError listing every field's first problem
 * keyed by its path (`customer.email`). Schemas are plain data with no I/O, so they may live in
 * `domain/` next to the rules they encode, or in `routes/` next to the request they describe.
 *
 * The field messages are the API's documented wording ("is required", "must be a string", …);
 * pages show their own localized text instead (see routes/error_pages.tsx).
 */
import * as v from "valibot";
import { ValidationError } from "./errors.ts";

export { v };

// Header-bound values (names, subjects) may not carry line breaks or other control characters.
const CONTROL = /(?!\t)\p{Cc}/u;

export interface TextRule {
  required?: boolean;
  max?: number;
  pattern?: RegExp;
  patternMessage?: string;
  /** Keep line breaks (message bodies), normalized to `\n`; otherwise control characters are refused. */
  multiline?: boolean;
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
    v.string("must be a string"),
    v.transform((s) => (rule.multiline ? s.replace(/\r\n?/g, "\n").trim() : s.trim())),
    v.check((s) => !rule.required || s !== "", "is required"),
    v.check((s) => max === undefined || s.length <= max, `must be at most ${max} characters`),
    v.check(
      (s) => rule.multiline || !CONTROL.test(s),
      "must not contain line breaks or control characters",
    ),
    v.check(
      (s) => !rule.pattern || s === "" || rule.pattern.test(s),
      rule.patternMessage ?? "has an invalid format",
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

/** One of a fixed set of strings. */
export function oneOf<const T extends string>(
  values: readonly T[],
  rule: Required,
): v.GenericSchema<unknown, T>;
export function oneOf<const T extends string>(
  values: readonly T[],
  rule?: { required?: boolean },
): v.GenericSchema<unknown, T | undefined>;
export function oneOf<const T extends string>(
  values: readonly T[],
  rule: { required?: boolean } = {},
): v.GenericSchema<unknown, T | undefined> {
  const message = `must be one of: ${values.join(", ")}`;
  return optionalUnless(
    rule.required,
    v.pipe(
      textPipe({ required: rule.required, max: 100 }),
      v.optional(v.picklist(values, message)),
    ),
  );
}

/** A whole number in [min, max]; numeric strings are accepted (query strings, form fields). */
export function wholeNumber(
  rule: { min: number; max: number } & Required,
): v.GenericSchema<unknown, number>;
export function wholeNumber(
  rule: { min: number; max: number; required?: boolean },
): v.GenericSchema<unknown, number | undefined>;
export function wholeNumber(
  rule: { min: number; max: number; required?: boolean },
): v.GenericSchema<unknown, number | undefined> {
  const message = `must be a whole number from ${rule.min} to ${rule.max}`;
  const schema = v.pipe(
    v.unknown(),
    v.transform((x) => {
      if (blank(x)) return undefined;
      return typeof x === "string" && /^\d+$/.test(x) ? Number(x) : x;
    }),
    v.check((x) => x !== undefined || !rule.required, "is required"),
    v.optional(v.pipe(
      v.number(message),
      v.safeInteger(message),
      v.minValue(rule.min, message),
      v.maxValue(rule.max, message),
    )),
  );
  return optionalUnless(rule.required, schema);
}

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
    v.check((x) => x !== null || !rule.required, "is required"),
    v.check((x) => x === null || isPlainObject(x), "must be an object"),
    v.transform((x) => (x === null ? undefined : x)),
    v.optional(v.object(entries, "must be an object")),
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

/** Every issue's first message per field path; a missing required key reads "is required". */
export function issueFields(issues: readonly v.BaseIssue<unknown>[]): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of issues) {
    const key = v.getDotPath(issue) ?? "";
    const missing = issue.kind === "schema" && issue.type === "object" &&
      issue.path?.at(-1)?.origin === "key";
    fields[key] ??= missing ? "is required" : issue.message;
  }
  return fields;
}

export type Checked<T> = { ok: true; value: T } | { ok: false; fields: Record<string, string> };

/** Validates without throwing, for a handler that re-renders its form with the problems. */
export function checkInput<S extends v.GenericSchema>(
  schema: S,
  input: unknown,
): Checked<v.InferOutput<S>> {
  const result = v.safeParse(schema, input);
  return result.success
    ? { ok: true, value: result.output }
    : { ok: false, fields: issueFields(result.issues) };
}

/** The typed value, or a ValidationError (422) listing every field problem at once. */
export function parseInput<S extends v.GenericSchema>(schema: S, input: unknown): v.InferOutput<S> {
  const checked = checkInput(schema, input);
  if (!checked.ok) throw new ValidationError("The request has invalid fields", checked.fields);
  return checked.value;
}
