/**
 * Remote images in mail are blocked by the CSP (`img-src 'self' data:`) as well as by the
 * sanitizer. When an agent asks to see one message's images, its handler calls
 * `allowRemoteImages(c)` and this middleware widens `img-src` for that one response only.
 *
 * It must be registered before secureHeaders: secureHeaders writes its headers after the handler
 * returns, so only a middleware outside it sees the final policy. Every other response keeps the
 * strict default (or a stricter one its handler set, such as an attachment's sandbox).
 */
import { createMiddleware } from "hono/factory";
import type { AppEnv, Ctx } from "../state.ts";

const REMOTE_IMAGE_SOURCES = ["https:", "http:"];

/** Lets this response load remote images (http and https). */
export function allowRemoteImages(c: Ctx): void {
  c.set("remoteImages", true);
}

/** Widens the response's img-src when the handler allowed remote images. */
export function remoteImagesCsp() {
  return createMiddleware<AppEnv>(async function remoteImagesCsp(c, next) {
    await next();
    if (!c.get("remoteImages")) return;
    const policy = c.res.headers.get("content-security-policy");
    if (policy) c.res.headers.set("content-security-policy", widenImgSrc(policy));
  });
}

/** The policy with the remote sources added to img-src (or an img-src added). */
export function widenImgSrc(policy: string): string {
  const directives = policy.split(";").map((d) => d.trim()).filter(Boolean);
  const index = directives.findIndex((d) => /^img-src\s/i.test(d) || d === "img-src");
  if (index === -1) directives.push(`img-src 'self' ${REMOTE_IMAGE_SOURCES.join(" ")}`);
  else directives[index] = `${directives[index]} ${REMOTE_IMAGE_SOURCES.join(" ")}`;
  return directives.join("; ");
}
