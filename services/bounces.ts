/**
 * What a bounce that joined its ticket changes: the returned mail shows 送信失敗 with the remote
 * server's reason, and a hard bounce pauses automatic mail (after-hours replies, confirmations,
 * reminders) to that address. Only a bounce that names one of our mails gets here, so a forged
 * one cannot silence a customer.
 */
import type { Tx } from "../db/client.ts";
import { recordEvent } from "../db/events.ts";
import { markOutboundBounced } from "../db/outbox.ts";
import { suppressAddress } from "../db/suppressed_addresses.ts";
import type { Bounce } from "../domain/bounce.ts";

/** How long automatic mail to a hard-bouncing address stays paused. */
export const SUPPRESS_FOR_MS = 30 * 24 * 3_600_000;

/** Records a bounce on the ticket it joined. */
export async function applyBounce(
  tx: Tx,
  b: { ticketId: number; bounce: Bounce; now: number },
): Promise<void> {
  const { bounce, ticketId, now } = b;
  const reason = ["bounced:", bounce.status, bounce.recipient, bounce.diagnostic]
    .filter((part) => part).join(" ").slice(0, 500);
  const marked = bounce.failed &&
    await markOutboundBounced(tx, {
      ticketId,
      messageIds: bounce.originalMessageIds,
      recipient: bounce.recipient,
      reason,
    });
  const suppress = bounce.failed && bounce.severity === "hard" && bounce.recipient !== null;
  if (suppress) {
    await suppressAddress(tx, {
      address: bounce.recipient!,
      reason,
      until: now + SUPPRESS_FOR_MS,
      now,
    });
  }
  await recordEvent(tx, {
    ticketId,
    agentId: null,
    kind: "mail.bounced",
    data: { ...bounce, marked, suppressed: suppress },
    now,
  });
}
