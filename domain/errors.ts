/** Domain errors; `app.onError` maps each to a status code and a friendly page or JSON body. */

export class NotFoundError extends Error {
  override name = "NotFoundError";
}

/** A field's problem as a catalog key and its placeholder values (domain/validation.ts). */
export interface LocalFieldMessage {
  key: string;
  vars?: Record<string, string | number>;
}

/**
 * Invalid input. `fields` holds the API's English per field; `local`, when the thrower knew it,
 * the same problems as catalog keys, so a page can say them in the reader's language.
 */
export class ValidationError extends Error {
  override name = "ValidationError";
  constructor(
    message: string,
    readonly fields: Record<string, string> = {},
    readonly local: Record<string, LocalFieldMessage> = {},
  ) {
    super(message);
  }
}

export class ForbiddenError extends Error {
  override name = "ForbiddenError";
}

/**
 * The request conflicts with the current state. `code` narrows it for clients (`stale`: the
 * ticket moved since the reply was composed; `locked`: someone else holds the reply) and
 * `details` says what the client needs to resolve it (plain JSON values).
 */
export class ConflictError extends Error {
  override name = "ConflictError";
  constructor(
    message: string,
    readonly code: string = "conflict",
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
  }
}
