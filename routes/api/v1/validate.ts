/**
 * Hand-written input checks for the API. Handlers read each field they accept by name — nothing
 * is copied wholesale from the body into a query — and every problem is reported at once in
 * `fields`, keyed by the field's path (`customer.email`).
 */
import { ValidationError } from "../../../domain/errors.ts";
import type { Ctx } from "../../state.ts";
import { ApiError } from "./errors.ts";

type Input = Record<string, unknown>;

// Header-bound values (names, subjects) may not carry line breaks or other control characters.
const CONTROL = /(?!\t)\p{Cc}/u;
export { EMAIL_ADDRESS as EMAIL } from "../../../domain/email_address.ts";

export interface StringRule {
  required?: boolean;
  max?: number;
  pattern?: RegExp;
  patternMessage?: string;
  /** Keep line breaks (message bodies); otherwise control characters are refused. */
  multiline?: boolean;
}

/** Reads typed fields from one object, collecting errors; `done()` throws them together. */
export class FieldReader {
  readonly errors: Record<string, string>;

  constructor(
    private readonly input: Input,
    private readonly prefix = "",
    errors?: Record<string, string>,
  ) {
    this.errors = errors ?? {};
  }

  /** A trimmed string; undefined when absent (and not required) or invalid. */
  string(key: string, rule: StringRule = {}): string | undefined {
    const value = this.input[key];
    if (value === undefined || value === null || value === "") {
      if (rule.required) this.fail(key, "is required");
      return undefined;
    }
    if (typeof value !== "string") return this.fail(key, "must be a string");
    const s = rule.multiline ? value.replace(/\r\n?/g, "\n").trim() : value.trim();
    if (!s) return rule.required ? this.fail(key, "is required") : undefined;
    if (rule.max !== undefined && s.length > rule.max) {
      return this.fail(key, `must be at most ${rule.max} characters`);
    }
    if (!rule.multiline && CONTROL.test(s)) {
      return this.fail(key, "must not contain line breaks or control characters");
    }
    if (rule.pattern && !rule.pattern.test(s)) {
      return this.fail(key, rule.patternMessage ?? "has an invalid format");
    }
    return s;
  }

  /** One of a fixed set of strings. */
  oneOf<T extends string>(
    key: string,
    values: readonly T[],
    rule: { required?: boolean } = {},
  ): T | undefined {
    const s = this.string(key, { required: rule.required, max: 100 });
    if (s === undefined) return undefined;
    if (!(values as readonly string[]).includes(s)) {
      return this.fail(key, `must be one of: ${values.join(", ")}`);
    }
    return s as T;
  }

  /** A whole number in [min, max]; numeric strings are accepted (query parameters). */
  integer(key: string, rule: { min: number; max: number }): number | undefined {
    const value = this.input[key];
    if (value === undefined || value === "") return undefined;
    const n = typeof value === "string" && /^\d+$/.test(value) ? Number(value) : value;
    if (typeof n !== "number" || !Number.isSafeInteger(n) || n < rule.min || n > rule.max) {
      return this.fail(key, `must be a whole number from ${rule.min} to ${rule.max}`);
    }
    return n;
  }

  /** A nested object, read with the same error collection. */
  object(key: string, rule: { required?: boolean } = {}): FieldReader | undefined {
    const value = this.input[key];
    if (value === undefined || value === null) {
      if (rule.required) this.fail(key, "is required");
      return undefined;
    }
    if (!isPlainObject(value)) return this.fail(key, "must be an object");
    return new FieldReader(value, `${this.prefix}${key}.`, this.errors);
  }

  /** Throws a ValidationError (422) listing every field problem, if there was any. */
  done(): void {
    if (Object.keys(this.errors).length > 0) {
      throw new ValidationError("The request has invalid fields", this.errors);
    }
  }

  private fail(key: string, message: string): undefined {
    this.errors[`${this.prefix}${key}`] ??= message;
    return undefined;
  }
}

function isPlainObject(v: unknown): v is Input {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** The request body as a JSON object, or a 400 (malformed JSON, or not an object). */
export async function readJsonObject(c: Ctx): Promise<FieldReader> {
  let body: unknown;
  try {
    body = await c.req.json();
  } catch {
    throw new ApiError(400, "invalid_request", "The body is not valid JSON");
  }
  if (!isPlainObject(body)) {
    throw new ApiError(400, "invalid_request", "The body must be a JSON object");
  }
  return new FieldReader(body);
}
