/** An agent's own preferences, validated: display name, UI language and time zone. */
import { dateTimeFormat } from "./intl_cache.ts";

export type ProfileLocale = "ja" | "en";

export interface AgentProfile {
  name: string;
  locale: ProfileLocale;
  /** Canonical IANA zone, or null for the configured default. */
  timeZone: string | null;
}

export type ProfileError = "nameRequired" | "nameTooLong" | "localeInvalid" | "timeZoneInvalid";

export const MAX_NAME_LENGTH = 100;

/** Validates submitted profile fields; errors are keyed by field. */
export function validateProfile(
  input: { name: string; locale: string; timeZone: string },
): { ok: true; profile: AgentProfile } | { ok: false; errors: Record<string, ProfileError> } {
  const errors: Record<string, ProfileError> = {};
  const name = input.name.trim().replace(/\s+/g, " ");
  if (name === "") errors.name = "nameRequired";
  else if ([...name].length > MAX_NAME_LENGTH) errors.name = "nameTooLong";
  const locale = input.locale === "ja" || input.locale === "en" ? input.locale : null;
  if (locale === null) errors.locale = "localeInvalid";
  const timeZone = input.timeZone.trim() === "" ? null : canonicalTimeZone(input.timeZone.trim());
  if (timeZone === undefined) errors.timeZone = "timeZoneInvalid";
  if (Object.keys(errors).length > 0 || locale === null || timeZone === undefined) {
    return { ok: false, errors };
  }
  return { ok: true, profile: { name, locale, timeZone } };
}

/** The canonical name of an IANA zone ("asia/tokyo" → "Asia/Tokyo"), or undefined. */
export function canonicalTimeZone(zone: string): string | undefined {
  try {
    return dateTimeFormat("en", { timeZone: zone }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

/** Every zone to offer in a picker, with UTC. */
export function timeZoneChoices(): string[] {
  return ["UTC", ...Intl.supportedValuesOf("timeZone").filter((z) => z !== "UTC")];
}
