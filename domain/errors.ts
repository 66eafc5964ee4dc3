/** Domain errors; `app.onError` maps each to a status code and a friendly page or JSON body. */

export class NotFoundError extends Error {
  override name = "NotFoundError";
}

export class ValidationError extends Error {
  override name = "ValidationError";
  constructor(message: string, readonly fields: Record<string, string> = {}) {
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
