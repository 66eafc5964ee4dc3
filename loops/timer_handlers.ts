/**
 * What each kind of durable timer does when it fires. One registry, so the scheduler stays
 * generic: SLA escalations, reminders, auto-close and follow-ups each add their kind here.
 */
import type { Config } from "../config.ts";
import type { TimerHandler } from "./scheduler.ts";

export interface TimerContext {
  config: Config;
}

/** The handler for every timer kind the app arms. */
export function timerHandlers(_ctx: TimerContext): Record<string, TimerHandler> {
  return {};
}
