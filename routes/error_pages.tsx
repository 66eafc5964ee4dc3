/**
 * The one `app.onError`: every domain error becomes its status — validation 422, forbidden 403,
 * not found 404, conflict 409 — as a friendly page in the visitor's language, or as the API's JSON
 * error under /api/v1. A page never shows `err.message`: it may carry internals, and it is English.
 */
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import { renderPage } from "./render.tsx";
import { negotiateLocale, type Translate, translator } from "../domain/i18n/mod.ts";
import { ConflictError, ForbiddenError, NotFoundError, ValidationError } from "../domain/errors.ts";
import { apiErrorHandler } from "./api/v1/errors.ts";
import type { AppEnv } from "./state.ts";

type PageStatus = 403 | 404 | 409 | 422 | 500;

const PAGE_TEXT: Record<PageStatus, Parameters<Translate>[0]> = {
  403: "error.forbidden",
  404: "error.notFound",
  409: "error.conflict",
  422: "error.validation",
  500: "error.server",
};

/** The status a domain error stands for; 500 for anything unexpected. */
export function domainErrorStatus(err: unknown): PageStatus {
  if (err instanceof ValidationError) return 422;
  if (err instanceof ForbiddenError) return 403;
  if (err instanceof NotFoundError) return 404;
  if (err instanceof ConflictError) return 409;
  return 500;
}

/** A page with one fixed, localized sentence for `status`. */
export function errorPage(c: Context<AppEnv>, status: PageStatus): Response {
  // An error may come before the session middleware chose the language (a database failure).
  if (!c.get("t")) {
    const locale = negotiateLocale(undefined, c.req.header("accept-language"));
    c.set("locale", locale);
    c.set("t", translator(locale));
  }
  const text = c.get("t")(PAGE_TEXT[status]);
  return renderPage(c, text, <p class={status >= 500 ? "error" : "empty"}>{text}</p>, status);
}

/** `app.onError` for the whole app. */
export function errorHandler(err: Error, c: Context<AppEnv>): Response {
  if (c.req.path === "/api/v1" || c.req.path.startsWith("/api/v1/")) {
    return apiErrorHandler(err, c);
  }
  // Hono's own middleware (CSRF 403, body limit 413) signal with HTTPException.
  if (err instanceof HTTPException) return err.getResponse();
  const status = domainErrorStatus(err);
  if (status === 500) {
    console.error(`[${c.get("requestId") ?? "-"}] ${c.req.method} ${c.req.path}`, err);
  }
  return errorPage(c, status);
}
