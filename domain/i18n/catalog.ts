/**
 * The one message catalog: every area's texts, Japanese first. Each area file types its English
 * as `Record<keyof typeof ja, string>`, so a key missing from either language fails `deno check`.
 *
 * @module
 */
import * as agent from "./agent.ts";
import * as composer from "./composer.ts";
import * as customer from "./customer.ts";
import * as admin from "./admin.ts";
import * as schedules from "./schedules.ts";
import * as sla from "./sla.ts";
import * as flash from "./flash.ts";
import * as forms from "./forms.ts";
import * as guard from "./guard.ts";
import * as hygiene from "./hygiene.ts";
import * as importer from "./importer.ts";
import * as knowledge from "./knowledge.ts";
import * as live from "./live.ts";
import * as mailops from "./mailops.ts";
import * as onboarding from "./onboarding.ts";
import * as reports from "./reports.ts";
import * as reportMore from "./report_more.ts";
import * as search from "./search.ts";
import * as team from "./team.ts";
import * as routing from "./routing.ts";
import * as workspace from "./workspace.ts";

/** The catalog's areas; their keys never overlap (a test checks, since a spread would hide it). */
export const AREAS = {
  agent,
  composer,
  customer,
  admin,
  schedules,
  sla,
  flash,
  forms,
  guard,
  hygiene,
  importer,
  knowledge,
  live,
  mailops,
  onboarding,
  reports,
  reportMore,
  search,
  team,
  routing,
  workspace,
};

export const ja = {
  ...agent.ja,
  ...composer.ja,
  ...customer.ja,
  ...admin.ja,
  ...schedules.ja,
  ...sla.ja,
  ...flash.ja,
  ...forms.ja,
  ...guard.ja,
  ...hygiene.ja,
  ...importer.ja,
  ...knowledge.ja,
  ...live.ja,
  ...mailops.ja,
  ...onboarding.ja,
  ...reports.ja,
  ...reportMore.ja,
  ...search.ja,
  ...team.ja,
  ...routing.ja,
  ...workspace.ja,
};

/** A key of the catalog. */
export type MessageKey = keyof typeof ja;

export const en: Record<MessageKey, string> = {
  ...agent.en,
  ...composer.en,
  ...customer.en,
  ...admin.en,
  ...schedules.en,
  ...sla.en,
  ...flash.en,
  ...forms.en,
  ...guard.en,
  ...hygiene.en,
  ...importer.en,
  ...knowledge.en,
  ...live.en,
  ...mailops.en,
  ...onboarding.en,
  ...reports.en,
  ...reportMore.en,
  ...search.en,
  ...team.en,
  ...routing.en,
  ...workspace.en,
};
