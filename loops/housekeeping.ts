/**
 * The daily clean-up, a durable timer like any other: expired sessions, records of used form
 * tokens, dead customer links and the after-hours auto-reply log are deleted once nobody can use
 * them. The handler re-arms its own timer in the transaction that fires it, so exactly one stays
 * armed across restarts; `ensureHousekeeping` arms it at start when it is missing.
 */
import type { Tx } from "../db/client.ts";
import {
  dropClosedTicketRaw,
  pruneAutoReplyLog,
  pruneClosedTicketLinks,
  pruneExpiredSessions,
  pruneFormSubmissions,
  pruneRevokedCustomerLinks,
} from "../db/housekeeping.ts";
import { scheduleTimer, type Timer } from "../db/timers.ts";
import { pruneAutoMailLog } from "../db/auto_mail_log.ts";
import { CONFIRMATION_WINDOW_MS } from "../mail/confirmation.ts";
import { AUTO_REPLY_PERIOD_MS } from "../domain/after_hours.ts";
import { LINK_GRACE_DAYS, LINK_RETENTION_DAYS } from "../domain/customer_link_policy.ts";
import type { TimerHandler } from "./scheduler.ts";

export const HOUSEKEEPING_DAILY = "housekeeping.daily";

const DAY_MS = 24 * 3_600_000;
/** The first run after a start that found no timer: soon, but not in the start-up rush. */
const FIRST_RUN_DELAY_MS = 10 * 60_000;
/** Rows per table per run; a backlog continues a second later, in its own transaction. */
export const HOUSEKEEPING_BATCH = 2_000;
const BACKLOG_DELAY_MS = 1_000;

/**
 * A used form token's record answers a replayed post (the token is refused as expired after 24
 * hours anyway) and backs the thank-you page (shown for 7 days: RECEIPT_TTL_MS); a day more.
 */
export const SUBMISSION_RETENTION_MS = 8 * DAY_MS;
export const LINK_RETENTION_MS = LINK_RETENTION_DAYS * DAY_MS;

/** What one run deleted, per kind of row. */
export interface HousekeepingCounts {
  sessions: number;
  formSubmissions: number;
  customerLinks: number;
  autoReplyLog: number;
  autoMailLog: number;
  /** Raw messages whose bytes were dropped (MADOGUCHI_RAW_RETENTION_DAYS). */
  rawDropped: number;
}

export interface HousekeepingOptions {
  /** Days the raw bytes of a resolved ticket's mail are kept after its last change; null: ever. */
  rawRetentionDays?: number | null;
}

/** Deletes what expired by `now`; `linksSince` is where the previous run's ticket window ended. */
export async function runHousekeeping(
  tx: Tx,
  now: number,
  linksSince: number,
  raw: { since: number; retentionDays?: number | null } = { since: 0 },
): Promise<
  { counts: HousekeepingCounts; linksBefore: number; rawBefore: number; backlog: boolean }
> {
  const limit = HOUSEKEEPING_BATCH;
  // A closed ticket's links expire LINK_GRACE_DAYS after its last change, then are kept a while.
  const linksBefore = now - LINK_GRACE_DAYS * DAY_MS - LINK_RETENTION_MS;
  const revoked = await pruneRevokedCustomerLinks(tx, now - LINK_RETENTION_MS, limit);
  const counts: HousekeepingCounts = {
    sessions: await pruneExpiredSessions(tx, now, limit),
    formSubmissions: await pruneFormSubmissions(tx, now - SUBMISSION_RETENTION_MS, limit),
    customerLinks: revoked +
      await pruneClosedTicketLinks(tx, { since: linksSince, before: linksBefore }),
    autoReplyLog: await pruneAutoReplyLog(tx, now - AUTO_REPLY_PERIOD_MS, limit),
    // The longest window a cap counts over is the confirmations' day.
    autoMailLog: await pruneAutoMailLog(tx, now - CONFIRMATION_WINDOW_MS, limit),
    rawDropped: 0,
  };
  let rawBefore = raw.since;
  if (raw.retentionDays != null) {
    rawBefore = Math.max(raw.since, now - raw.retentionDays * DAY_MS);
    counts.rawDropped = await dropClosedTicketRaw(tx, { since: raw.since, before: rawBefore });
  }
  const backlog = revoked === limit ||
    [counts.sessions, counts.formSubmissions, counts.autoReplyLog, counts.autoMailLog].some((n) =>
      n === limit
    );
  return { counts, linksBefore: Math.max(linksBefore, linksSince), rawBefore, backlog };
}

/** The daily run's handler: fires the run and arms the next one. */
export function housekeepingHandler(options: HousekeepingOptions = {}): TimerHandler {
  return async ({ tx, now }, timer: Timer) => {
    const since = typeof timer.data.linksSince === "number" ? timer.data.linksSince : 0;
    const rawSince = typeof timer.data.rawSince === "number" ? timer.data.rawSince : 0;
    const { linksBefore, rawBefore, backlog } = await runHousekeeping(tx, now, since, {
      since: rawSince,
      retentionDays: options.rawRetentionDays,
    });
    await scheduleTimer(tx, {
      kind: HOUSEKEEPING_DAILY,
      ticketId: null,
      dueAt: now + (backlog ? BACKLOG_DELAY_MS : DAY_MS),
      data: { linksSince: linksBefore, rawSince: rawBefore },
      rearm: true,
      now,
    });
  };
}

/** Fires the daily run and arms the next one (raw bytes kept for ever). */
export const housekeepingDaily: TimerHandler = housekeepingHandler();

/** Arms the daily timer unless one is armed already; true when it armed one. */
export async function ensureHousekeeping(tx: Tx, now: number): Promise<boolean> {
  const existing = await tx.selectFrom("timers").select(["fired_at", "data_json"])
    .where("kind", "=", HOUSEKEEPING_DAILY).where("ticket_id", "is", null).where("key", "=", "")
    .executeTakeFirst();
  if (existing && existing.fired_at === null) return false;
  await scheduleTimer(tx, {
    kind: HOUSEKEEPING_DAILY,
    ticketId: null,
    dueAt: now + FIRST_RUN_DELAY_MS,
    // A fired timer (stopped by an older version) keeps its window.
    data: existing ? JSON.parse(existing.data_json) : { linksSince: 0 },
    rearm: true,
    now,
  });
  return true;
}
