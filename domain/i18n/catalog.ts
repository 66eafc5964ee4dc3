/**
 * The one message catalog: every area's texts, Japanese first. Each area file types its English
 * as `Record<keyof typeof ja, string>`, so a key missing from either language fails `deno check`.
 *
 * @module
 */
import * as admin from "./admin.ts";
import * as agent from "./agent.ts";
import * as customer from "./customer.ts";
import * as schedules from "./schedules.ts";
import * as sla from "./sla.ts";
import * as search from "./search.ts";

/** The catalog's areas; their keys never overlap (a test checks, since a spread would hide it). */
export const AREAS = { agent, customer, admin, schedules, sla, search };

export const ja = {
  ...agent.ja,
  ...customer.ja,
  ...admin.ja,
  ...schedules.ja,
  ...sla.ja,
  ...search.ja,
};

/** A key of the catalog. */
export type MessageKey = keyof typeof ja;

export const en: Record<MessageKey, string> = {
  ...agent.en,
  ...customer.en,
  ...admin.en,
  ...schedules.en,
  ...sla.en,
  ...search.en,
};
