/** Request bodies of the API are JSON only, and bounded. */
import { createMiddleware } from "hono/factory";
import { bodyLimit } from "hono/body-limit";
import type { AppEnv } from "../../state.ts";
import { errorResponse } from "./errors.ts";

const JSON_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i;
const WITH_BODY = new Set(["POST", "PUT", "PATCH"]);

/** Answers 415 to a POST, PUT or PATCH whose Content-Type is not JSON. */
export function requireJson() {
  return createMiddleware<AppEnv>(async function requireJson(c, next) {
    if (WITH_BODY.has(c.req.method) && !JSON_TYPE.test(c.req.header("content-type") ?? "")) {
      return errorResponse(c, 415, {
        code: "invalid_request",
        message: "The body must be JSON (Content-Type: application/json)",
      });
    }
    await next();
  });
}

/** Answers 413 in the API's error shape when a body exceeds maxSize bytes. */
export function jsonBodyLimit(maxSize: number) {
  return bodyLimit({
    maxSize,
    onError: (c) =>
      errorResponse(c, 413, {
        code: "payload_too_large",
        message: `The body exceeds ${maxSize} bytes`,
      }),
  });
}
