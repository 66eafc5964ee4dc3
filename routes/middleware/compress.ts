/**
 * Compresses what the app renders — HTML pages, JSON, our CSS and JS — with Hono's compress
 * (gzip or deflate, as the client accepts). A page of the inbox is ~22 KB of repetitive markup
 * and shrinks about tenfold.
 *
 * Never compressed: attachment and raw-mail downloads (sent byte for byte as stored, their own
 * types and headers: routes/attachments.ts) and event streams (a compressor buffers, which would
 * hold events back). The type allowlist alone excludes both; the path list says so explicitly.
 * Nor /healthz: a few bytes, polled often, and a compressor costs about a millisecond to set up
 * (our responses carry no Content-Length, so compress's size threshold cannot skip it).
 */
import type { MiddlewareHandler } from "hono";
import { compress } from "hono/compress";
import { except } from "hono/combine";

const PAGE_TYPES =
  /^\s*(?:text\/(?:html|css|javascript)|application\/(?:json|javascript))\s*(?:;|$)/i;

const NEVER = [
  "/healthz",
  "/attachments/*",
  "/api/v1/attachments/*",
  "/c/:token/attachments/*",
  "/admin/quarantine/:id/raw",
  "/events",
  "/api/v1/events",
];

/** The compress middleware for rendered responses (see the module comment). */
export function compressPages(): MiddlewareHandler {
  return except(NEVER, compress({ contentTypeFilter: PAGE_TYPES }));
}
