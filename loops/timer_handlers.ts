/**
 * What each kind of durable timer does when it fires. One registry, so the scheduler stays
 * generic: SLA escalations, reminders, auto-close and follow-ups each add their kind here.
 */
import type { Config } from "../config.ts";
import type { TimerHandler } from "./scheduler.ts";
import { reminderHandlers } from "./reminders.ts";
import { FOLLOW_UP_DUE, followUpDue } from "./follow_up.ts";
import { slaTimerHandlers } from "./sla_escalation.ts";
import { HOUSEKEEPING_DAILY, housekeepingDaily } from "./housekeeping.ts";
import { replySettings } from "../mail/reply.ts";

export interface TimerContext {
  config: Config;
}

/** The handler for every timer kind the app arms. */
export function timerHandlers(ctx: TimerContext): Record<string, TimerHandler> {
  const { config } = ctx;
  return {
    ...reminderHandlers(replySettings(config)),
    [FOLLOW_UP_DUE]: followUpDue,
    [HOUSEKEEPING_DAILY]: housekeepingDaily,
    ...slaTimerHandlers({
      supportAddress: config.supportAddress,
      fromName: config.fromName,
      relayConfigured: config.smtpRelayUrl !== null,
      publicUrl: config.publicUrl,
      timeZone: config.timeZone,
    }),
  };
}
