/**
 * The API's error shape, `{ error: { code, message, fields? } }`, and the one handler that maps
 * every thrown error to it, so an API client never receives an HTML page.
 */
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import {
  ConflictError,
  ForbiddenError,
  NotFoundError,
  ValidationError,
} from "../../../domain/errors.ts";
import type { AppEnv } from "../../state.ts";

export type ApiErrorCode =
  | "not_found"
  | "forbidden"
  | "conflict"
  | "stale"
  | "locked"
  | "invalid_request"
  | "unauthorized"
  | "rate_limited"
  | "payload_too_large"
  | "internal";

/** An error a handler or middleware throws to answer with a specific status and code. */
export class ApiError extends Error {
  override name = "ApiError";
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: ApiErrorCode,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

/** Answers with the API's JSON error body. */
export function errorResponse(
  c: Context<AppEnv>,
  status: ContentfulStatusCode,
  error: { code: ApiErrorCode; message: string; fields?: Record<string, string> },
  headers: Record<string, string> = {},
): Response {
  return c.json({ error }, status, headers);
}

/**
 * `app.onError` for the API. Domain errors answer with a fixed message per code (a domain message
 * may name records the client cannot see); a validation error with its summary and fields;
 * anything else is a 500 that reveals nothing and is logged with the request id.
 */
export function apiErrorHandler(err: Error, c: Context<AppEnv>): Response {
  if (err instanceof ApiError) {
    return errorResponse(c, err.status, { code: err.code, message: err.message }, err.headers);
  }
  if (err instanceof NotFoundError) {
    return errorResponse(c, 404, { code: "not_found", message: "Not found" });
  }
  if (err instanceof ForbiddenError) {
    return errorResponse(c, 403, { code: "forbidden", message: "Not allowed" });
  }
  if (err instanceof ConflictError) {
    // "stale" and "locked" carry what the client needs to resolve them (services/replies.ts).
    if (err.code === "stale" || err.code === "locked") {
      return c.json({ error: { code: err.code, message: err.message, ...err.details } }, 409);
    }
    return errorResponse(c, 409, {
      code: "conflict",
      message: "The request conflicts with the current state",
    });
  }
  if (err instanceof ValidationError) {
    return errorResponse(c, 422, {
      code: "invalid_request",
      message: err.message,
      fields: err.fields,
    });
  }
  if (err instanceof HTTPException && err.status < 500) {
    const code = err.status === 413 ? "payload_too_large" : "invalid_request";
    return errorResponse(c, err.status, { code, message: err.message || "Invalid request" });
  }
  console.error(`[${c.get("requestId") ?? "-"}] ${c.req.method} ${c.req.path}`, err);
  // Never echo err.message here: it may carry SQL or file paths.
  return errorResponse(c, 500, { code: "internal", message: "Internal error" });
}
