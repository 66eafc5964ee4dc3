/**
 * Inbound mail from bytes to ticket: parse (outside the write lock), then in ONE transaction store
 * the raw bytes, decide the thread and write customer, ticket, message and attachments. The SMTP
 * adapter answers 250 only after this resolves. Anything that cannot be parsed or threaded is kept
 * raw in quarantine instead, so nothing acknowledged is lost.
 */
import type { Store, Tx } from "../db/client.ts";
import type { InboundMessage } from "../domain/inbound_message.ts";
import { decideThread, threadingKeys } from "../domain/threading.ts";
import {
  statusAfterCustomerMessage,
  statusForNewTicket,
  type TicketStatus,
} from "../domain/ticket_status.ts";
import { newReplyToken, sha256Hex } from "../domain/tokens.ts";
import { filingSender } from "../domain/email_address.ts";
import { findDuplicate } from "../domain/duplicate.ts";
import { upsertCustomer } from "../db/customers.ts";
import {
  inboundCopiesByMessageId,
  insertMessage,
  ticketParticipants,
  ticketsByMessageIds,
  ticketsByReplyTokens,
} from "../db/messages.ts";
import {
  findQuarantine,
  findRawMessage,
  insertRawMessage,
  quarantine,
  type RawEnvelope,
  resolveQuarantine,
} from "../db/raw_messages.ts";
import { findTicket, findTicketByNumber, insertTicket, touchTicket } from "../db/tickets.ts";
import { recordEvent } from "../db/events.ts";
import { notifyCustomerReply } from "./customer_reply_notice.ts";
import { parseMessage } from "./parse.ts";
import { applyBounce } from "./bounce.ts";
import { type AutoReplyMail, handleAfterHours } from "./after_hours.ts";
import { syncReminders } from "../loops/reminders.ts";
import { wakeLoops } from "../loops/wakeups.ts";
import { recomputeTicketSla } from "../db/sla.ts";
import { loadDepartmentSchedules } from "../db/schedules.ts";

export type IngestResult =
  | { kind: "created" | "joined"; ticketId: number; ticketNumber: number; rawId: number }
  | { kind: "duplicate"; ticketId: number | null }
  | { kind: "quarantined"; rawId: number; reason: string };

export interface IngestOptions {
  subjectTagPrefix: string;
  now?: () => number;
  /** The MIME parser; tests swap it to prove quarantine keeps what the parser rejects. */
  parse?: (raw: Uint8Array) => Promise<InboundMessage>;
  /** Our outbound identity; with it, mail arriving after hours may get an auto-reply. */
  autoReply?: AutoReplyMail;
}

/** Stores and threads one received message; resolves once it is committed. */
export async function ingestMessage(
  store: Store,
  raw: Uint8Array,
  envelope: RawEnvelope,
  options: IngestOptions,
): Promise<IngestResult> {
  const now = options.now ?? Date.now;
  // Parsing takes a moment; tell the writer so it can commit this message with others.
  const queued = store.announceWrite();
  try {
    const result = await fileOrQuarantine(store, raw, envelope, options, now, queued);
    // Committed: timers (reminders, SLAs) and the outbox (an after-hours reply) may have work.
    if (result.kind === "created" || result.kind === "joined") wakeLoops("timers", "outbox");
    return result;
  } finally {
    queued();
  }
}

async function fileOrQuarantine(
  store: Store,
  raw: Uint8Array,
  envelope: RawEnvelope,
  options: IngestOptions,
  now: () => number,
  queued: () => void,
): Promise<IngestResult> {
  const sha = await sha256Hex(raw);
  let parsed: InboundMessage | null = null;
  let parseError = "";
  try {
    parsed = await (options.parse ?? parseMessage)(raw);
  } catch (e) {
    parseError = `Cannot parse MIME: ${e instanceof Error ? e.message : String(e)}`;
  }

  if (parsed) {
    const msg = parsed;
    try {
      queued();
      return await store.writeTx(async (tx) => {
        const duplicate = await refuseDuplicate(tx, msg, sha, envelope, now());
        if (duplicate) return duplicate;
        const rawId = await insertRawMessage(tx, raw, sha, envelope, now());
        return await fileMessage(tx, msg, rawId, envelope, options, now());
      });
    } catch (e) {
      parseError = `Cannot file message: ${e instanceof Error ? e.message : String(e)}`;
    }
  }
  queued();
  return await store.writeTx(async (tx) => {
    const rawId = await insertRawMessage(tx, raw, sha, envelope, now());
    await quarantine(tx, rawId, parseError, now());
    await recordEvent(tx, {
      ticketId: null,
      agentId: null,
      kind: "mail.quarantined",
      data: { rawId, reason: parseError },
      now: now(),
    });
    return { kind: "quarantined", rawId, reason: parseError };
  });
}

/** Re-runs a quarantined message through parsing and threading (after a fix or by an admin). */
export async function reprocessQuarantined(
  store: Store,
  quarantineId: number,
  options: IngestOptions,
): Promise<IngestResult> {
  const now = options.now ?? Date.now;
  const entry = await findQuarantine(store.db, quarantineId);
  if (!entry || entry.resolvedAt !== null) throw new Error("No such open quarantine entry");
  const raw = await findRawMessage(store.db, entry.rawId);
  if (!raw) throw new Error("The raw message is missing");
  const msg = await (options.parse ?? parseMessage)(raw.content);
  const sha = await sha256Hex(raw.content);
  const result = await store.writeTx(async (tx): Promise<IngestResult> => {
    // Claim the entry first, inside the transaction: two admins pressing "reprocess" at once
    // must not file the same mail twice.
    if (!await resolveQuarantine(tx, quarantineId, null, now())) {
      throw new Error("No such open quarantine entry");
    }
    const duplicate = await refuseDuplicate(tx, msg, sha, raw.envelope, now());
    if (duplicate) {
      await resolveQuarantine(tx, quarantineId, duplicate.ticketId, now(), { claimed: true });
      return duplicate;
    }
    const filed = await fileMessage(tx, msg, raw.id, raw.envelope, options, now());
    await resolveQuarantine(tx, quarantineId, filed.ticketId, now(), { claimed: true });
    return filed;
  });
  wakeLoops("timers", "outbox");
  return result;
}

/**
 * A second delivery of a filed mail (domain/duplicate.ts) is not stored again, but its refusal
 * is recorded (`mail.duplicate`), so no mail vanishes without a trace.
 */
async function refuseDuplicate(
  tx: Tx,
  msg: InboundMessage,
  sha256: string,
  envelope: RawEnvelope,
  now: number,
): Promise<Extract<IngestResult, { kind: "duplicate" }> | null> {
  if (msg.messageId === null) return null;
  const sender = filingSender(
    { address: msg.from?.address ?? null, name: msg.fromName },
    envelope.mailFrom,
  ).address;
  const stored = await inboundCopiesByMessageId(tx, msg.messageId);
  const found = findDuplicate({ messageId: msg.messageId, sender, sha256 }, stored);
  if (found === null) return null;
  const { copy, reason } = found;
  await recordEvent(tx, {
    ticketId: copy.ticketId,
    agentId: null,
    kind: "mail.duplicate",
    data: { messageId: msg.messageId, from: sender, sha256, reason },
    now,
  });
  return { kind: "duplicate", ticketId: copy.ticketId };
}

async function fileMessage(
  tx: Tx,
  msg: InboundMessage,
  rawId: number,
  envelope: RawEnvelope,
  options: IngestOptions,
  now: number,
): Promise<Extract<IngestResult, { kind: "created" | "joined" }>> {
  const { subjectTagPrefix } = options;
  const sender = filingSender(
    { address: msg.from?.address ?? null, name: msg.from?.name ?? msg.fromName },
    envelope.mailFrom,
  );
  const recipients = [...envelope.rcptTo, ...msg.to.map((a) => a.address)];
  const keys = threadingKeys(msg, recipients, subjectTagPrefix);
  const tagged = keys.subjectTagNumber === null
    ? undefined
    : await findTicketByNumber(tx, keys.subjectTagNumber);
  const decision = decideThread(keys, {
    isDuplicate: false,
    ticketByReplyToken: await ticketsByReplyTokens(tx, keys.replyTokens),
    ticketByMessageId: await ticketsByMessageIds(tx, keys.referencedIds),
    subjectTagTicket: tagged
      ? { ticketId: tagged.id, participants: await ticketParticipants(tx, tagged.id) }
      : null,
  }, sender.address);

  const customer = await upsertCustomer(tx, sender.address, sender.name, now);
  let ticketId: number;
  let ticketNumber: number;
  let departmentId: number;
  let status: TicketStatus;
  let before: TicketStatus | null = null;
  if (decision.kind === "join") {
    // The subject-tagged ticket was read above; nothing since has written to tickets.
    const ticket = tagged?.id === decision.ticketId
      ? tagged
      : (await findTicket(tx, decision.ticketId))!;
    ticketId = ticket.id;
    ticketNumber = ticket.number;
    departmentId = ticket.departmentId;
    before = ticket.status;
    status = statusAfterCustomerMessage(ticket.status, msg.autoKind);
  } else {
    status = statusForNewTicket(msg.autoKind);
    // Created with its first message counted (what touchTicket would do), in the default department.
    ({ id: ticketId, number: ticketNumber, departmentId } = await insertTicket(tx, {
      subject: msg.subject || "(件名なし)",
      status,
      customerId: customer.id,
      replyToken: newReplyToken(),
      channel: "email",
      now,
      messageCount: 1,
    }));
  }
  const messageId = await insertMessage(tx, {
    ticketId,
    direction: "in",
    messageId: msg.messageId,
    inReplyTo: msg.inReplyTo[0] ?? null,
    references: msg.references,
    from: sender,
    to: msg.to,
    cc: msg.cc,
    subject: msg.subject,
    text: msg.text,
    html: msg.html,
    autoKind: msg.autoKind,
    rawId,
    agentId: null,
    createdAt: now,
    attachments: msg.attachments,
  });
  if (msg.bounce && decision.kind === "join") {
    await applyBounce(tx, { ticketId, bounce: msg.bounce, now });
  }
  if (before !== null) await touchTicket(tx, ticketId, status, now);
  // The customer answered: a reminder series waiting on them ends.
  if (before !== null) await syncReminders(tx, { ticketId, from: before, to: status, now });
  // Someone should answer it (automatic mail notifies nobody).
  if (before !== null) {
    await notifyCustomerReply(tx, {
      ticketId,
      departmentId,
      messageId,
      from: sender.address,
      autoKind: msg.autoKind,
      via: "mail",
      now,
    });
  }
  // Read once for the after-hours check and the SLA (unless the ticket is routed elsewhere).
  const schedules = await loadDepartmentSchedules(tx, [departmentId]);
  // Before the SLA: a new ticket routed to the on-duty department gets that department's SLA.
  await handleAfterHours(
    tx,
    options.autoReply,
    {
      ticketId,
      isNewTicket: decision.kind !== "join",
      message: msg,
      sender,
      envelopeFrom: envelope.mailFrom,
    },
    now,
    { departmentId, schedule: schedules.get(departmentId) ?? null },
  );
  // A new ticket starts its SLA clocks; a customer's reply starts a next-response cycle.
  await recomputeTicketSla(tx, ticketId, now, { schedules });
  await recordEvent(tx, {
    ticketId,
    agentId: null,
    kind: decision.kind === "join" ? "mail.joined" : "mail.created",
    data: decision.kind === "join" ? { via: decision.via } : {},
    now,
  });
  return { kind: decision.kind === "join" ? "joined" : "created", ticketId, ticketNumber, rawId };
}
