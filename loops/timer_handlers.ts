/**
 * What each kind of durable timer does when it fires. One registry, so the scheduler stays
 * generic: SLA escalations, reminders, auto-close, follow-ups and housekeeping each add their
 * kind here, and each calls one service operation.
 */
import type { TimerHandler } from "./scheduler.ts";
import { metrics } from "../obs/metrics.ts";
import { finishWait, REMINDER_FINAL, REMINDER_SEND, sendReminder } from "../services/reminders.ts";
import { FOLLOW_UP_DUE, followUpCameDue } from "../services/tickets.ts";
import {
  deferredNotify,
  SLA_BREACH,
  SLA_NOTIFY,
  SLA_WARNING,
  thresholdReached,
} from "../services/escalations.ts";
import { REPORT_SCHEDULED, sendScheduledReport } from "../services/report_schedules.ts";
import {
  HOUSEKEEPING_DAILY,
  housekeepingDaily,
  housekeepingHandler,
  type HousekeepingOptions,
} from "./housekeeping.ts";

/** The handler for every timer kind the app arms. */
export function timerHandlers(options: HousekeepingOptions = {}): Record<string, TimerHandler> {
  return {
    [REMINDER_SEND]: sendReminder,
    [REMINDER_FINAL]: finishWait,
    [FOLLOW_UP_DUE]: followUpCameDue,
    [HOUSEKEEPING_DAILY]: options.rawRetentionDays == null
      ? housekeepingDaily
      : housekeepingHandler(options),
    [SLA_WARNING]: (ctx, timer) => thresholdReached(ctx, timer, "warning"),
    [SLA_BREACH]: async (ctx, timer) => {
      await thresholdReached(ctx, timer, "breach");
      metrics.inc("madoguchi_sla_breaches_total");
    },
    [SLA_NOTIFY]: deferredNotify,
    [REPORT_SCHEDULED]: sendScheduledReport,
  };
}
