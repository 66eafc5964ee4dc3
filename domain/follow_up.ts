/**
 * Follow-up dates: an agent says "look at this again on 3/10 at 10:00" in their own time zone; we
 * keep the UTC instant, and when it comes the ticket needs attention again (未対応). Pure.
 *
 * @module
 */
import type { TicketStatus } from "./ticket_status.ts";

/**
 * The instant of a local date ("YYYY-MM-DD") and time ("HH:MM") in `timeZone`, or null when they
 * are not a real date and time. A wall time skipped by a DST change moves forward by the gap; a
 * repeated one takes its first occurrence (Temporal's "compatible").
 */
export function followUpInstant(date: string, time: string, timeZone: string): number | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || !/^([01]\d|2[0-3]):[0-5]\d$/.test(time)) return null;
  try {
    return Temporal.PlainDateTime.from(`${date}T${time}`, { overflow: "reject" })
      .toZonedDateTime(timeZone, { disambiguation: "compatible" }).epochMilliseconds;
  } catch {
    return null;
  }
}

/** The local date and time of an instant, as the form's date and time inputs show them. */
export function followUpInputs(ms: number, timeZone: string): { date: string; time: string } {
  const local = Temporal.Instant.fromEpochMilliseconds(ms).toZonedDateTimeISO(timeZone);
  return {
    date: local.toPlainDate().toString(),
    time: local.toPlainTime().toString({ smallestUnit: "minute" }),
  };
}

/**
 * The status when a follow-up comes due: a waiting, resolved or dismissed ticket needs attention
 * again; one that is new or being worked on stays as it is.
 */
export function statusAfterFollowUp(current: TicketStatus): TicketStatus {
  return current === "open" ? "open" : "new";
}
