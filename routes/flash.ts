/**
 * Flash messages: "状態を変更しました" on the page an action redirects to. The action names one of
 * a fixed set of confirmations in a short-lived cookie; the next page shows it once and clears it.
 * Only known keys are ever shown, so the cookie cannot put words on the page.
 */
import type { MiddlewareHandler } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { ja } from "../domain/i18n/flash.ts";
import type { AppEnv, Ctx } from "./state.ts";

export type FlashKey = keyof typeof ja;

const COOKIE = "madoguchi_flash";

function isFlashKey(value: string | undefined): value is FlashKey {
  return value !== undefined && Object.hasOwn(ja, value);
}

/** Redirects (303) to `url` with a confirmation for the next page. */
export function redirectWithFlash(c: Ctx, url: string, key: FlashKey): Response {
  setCookie(c, COOKIE, key, {
    path: "/",
    httpOnly: true,
    sameSite: "Lax",
    secure: c.get("deps").config.secureCookies,
    maxAge: 60,
  });
  return c.redirect(url, 303);
}

/** Reads (and clears) a pending confirmation for the page being rendered. */
export function flash(): MiddlewareHandler<AppEnv> {
  return async function readFlash(c, next) {
    const key = getCookie(c, COOKIE);
    if (key !== undefined) {
      deleteCookie(c, COOKIE, { path: "/" });
      if (isFlashKey(key)) c.set("flash", key);
    }
    await next();
  };
}
