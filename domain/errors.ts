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

export class ConflictError extends Error {
  override name = "ConflictError";
}
