/**
 * The UI's words: one catalog (Japanese first, English), one translate function, and locale
 * negotiation. Pure data and pure functions, so routes, components, services and mail all read
 * their texts from here.
 *
 * @module
 */
import { en, ja, type MessageKey } from "./catalog.ts";

export type { MessageKey };

export type Locale = "ja" | "en";

/** Values for a text's `{name}` placeholders. */
export type MessageVars = Record<string, string | number>;

export type Translate = (key: MessageKey, vars?: MessageVars) => string;

const CATALOGS: Record<Locale, Record<MessageKey, string>> = { ja, en };

/** `{name}` placeholders; a name is letters, digits or underscores. */
const PLACEHOLDER = /\{(\w+)\}/g;

/** The texts of one locale with `{name}` filled in from `vars`; unknown names stay as written. */
export function translator(locale: Locale): Translate {
  const catalog = CATALOGS[locale];
  // One pass over the text, so a value that itself contains "{name}" (a subject, a file name) is
  // never filled in again.
  return (key, vars) =>
    vars
      ? text(catalog, key).replace(
        PLACEHOLDER,
        (whole, name: string) => Object.hasOwn(vars, name) ? String(vars[name]) : whole,
      )
      : text(catalog, key);
}

/** A key built at run time (`priority.${p}`) that is not in the catalog shows as itself. */
function text(catalog: Record<MessageKey, string>, key: MessageKey): string {
  return catalog[key] ?? key;
}

/** The `{name}` placeholders of a text, in order of appearance. */
export function placeholders(text: string): string[] {
  return [...text.matchAll(PLACEHOLDER)].map((m) => m[1]);
}

/** Picks the locale from a user setting, then Accept-Language; Japanese by default. */
export function negotiateLocale(
  setting: string | null | undefined,
  acceptLanguage?: string,
): Locale {
  if (setting === "ja" || setting === "en") return setting;
  for (const part of (acceptLanguage ?? "").split(",")) {
    const tag = part.split(";")[0].trim().toLowerCase();
    if (tag.startsWith("ja")) return "ja";
    if (tag.startsWith("en")) return "en";
  }
  return "ja";
}

/** "3時間" / "3 h": how long ago an instant was, coarse. */
export function elapsed(t: Translate, from: number, now: number): string {
  const minutes = Math.floor((now - from) / 60_000);
  if (minutes < 1) return t("time.justNow");
  if (minutes < 60) return t("time.minutes", { n: minutes });
  if (minutes < 48 * 60) return t("time.hours", { n: Math.floor(minutes / 60) });
  return t("time.days", { n: Math.floor(minutes / 1440) });
}

/** "1時間20分" / "1h 20m": a business duration, whole minutes, days of 24 h only past 48 h. */
export function formatBusinessDuration(t: Translate, ms: number): string {
  const total = Math.floor(Math.abs(ms) / 60_000);
  const m = total % 60;
  const h = Math.floor(total / 60);
  if (h === 0) return t("duration.m", { m });
  if (h < 48) return t("duration.hm", { h, m });
  return t("duration.dhm", { d: Math.floor(h / 24), h: h % 24, m });
}
