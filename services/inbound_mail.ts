/**
 * Inbound mail from bytes to ticket.
 *
 * `receiveMail` is the SMTP adapter's edge (mail/smtp_server.ts calls it through the wiring in
 * server.ts): it parses outside the write lock, then files the message in ONE transaction — raw
 * bytes, thread decision, customer, ticket, message and attachments — and resolves only once that
 * has committed, so SMTP answers 250 only for mail that is on disk. A message that cannot be
 * parsed or filed is kept raw in quarantine instead; a busy or locked database is not the mail's
 * fault, so it rejects and SMTP answers 451 (the sender retries).
 *
 * What follows filing — an after-hours auto-reply, a notice to agents — runs in its own savepoint:
 * a bug or failure there is logged and recorded, and never costs the mail its place. Imported mail
 * (an mbox, a Maildir, a folder of .eml files) is filed the same way but is old: it gets no
 * auto-reply and notifies nobody.
 */
import { sql } from "kysely";
import type { Tx } from "../db/client.ts";
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
import { isBusyError } from "../db/errors.ts";
import { loadDepartmentSchedules } from "../db/schedules.ts";
import { isOpen } from "../domain/business_time.ts";
import { NotFoundError } from "../domain/errors.ts";
import { parseMail } from "../mail/parse_pool.ts";
import { SANITIZER_VERSION } from "../mail/sanitize_html.ts";
import { notifyCustomerReply } from "./notices.ts";
import { handleAfterHours } from "./after_hours.ts";
import { CUSTOMER, type OpContext, type Runtime, SYSTEM, transact } from "./context.ts";
import { afterTicketChange } from "./after_change.ts";
import { routeNewTicket } from "./routing_rules.ts";
import { departmentForAddresses } from "../db/department_addresses.ts";
import { applyBounce } from "./bounces.ts";
import { classifyInbound } from "./spam.ts";
import { linkSpamReply } from "../db/spam_reply_links.ts";
import { importOfRaw } from "../db/imported_raw.ts";
import type { SpamVerdict } from "../domain/spam.ts";

export type IngestResult =
  | { kind: "created" | "joined"; ticketId: number; ticketNumber: number; rawId: number }
  | { kind: "duplicate"; ticketId: number | null }
  | { kind: "quarantined"; rawId: number; reason: string };

export interface ReceiveOptions {
  /** The MIME parser; tests swap it to prove quarantine keeps what the parser rejects. */
  parse?: (raw: Uint8Array) => Promise<InboundMessage>;
  /** Old mail being moved in: no after-hours auto-reply, no notice to agents. */
  imported?: boolean;
  /**
   * Runs in the transaction that files (or quarantines) the message, before it commits: an import
   * records its position here, so the position and the mail commit together.
   */
  within?: (ctx: OpContext, result: IngestResult) => Promise<void>;
}

/** Stores and threads one received message; resolves once it is committed. */
export async function receiveMail(
  rt: Runtime,
  raw: Uint8Array,
  envelope: RawEnvelope,
  options: ReceiveOptions = {},
): Promise<IngestResult> {
  // Parsing takes a moment; tell the writer so it can commit this message with others.
  const queued = rt.store.announceWrite();
  try {
    const sha = await sha256Hex(raw);
    let reason: string;
    try {
      const message = await (options.parse ?? parseMail)(raw);
      queued();
      try {
        return await transact(rt, CUSTOMER, async (ctx) => {
          const result = await fileInboundMail(ctx, {
            raw,
            sha,
            envelope,
            message,
            imported: options.imported,
          });
          await options.within?.(ctx, result);
          return result;
        });
      } catch (e) {
        if (isBusyError(e)) throw e;
        reason = `Cannot file message: ${e instanceof Error ? e.message : String(e)}`;
        console.error("ingest: cannot file message, quarantined:", e);
      }
    } catch (e) {
      if (isBusyError(e)) throw e;
      reason = `Cannot parse MIME: ${e instanceof Error ? e.message : String(e)}`;
    }
    queued();
    return await transact(rt, SYSTEM, async (ctx) => {
      const result = await quarantineMail(ctx, { raw, sha, envelope, reason });
      await options.within?.(ctx, result);
      return result;
    });
  } finally {
    queued();
  }
}

/** Files a parsed message: a duplicate, a reply joining its ticket, or a new ticket. */
export async function fileInboundMail(
  ctx: OpContext,
  m: {
    raw: Uint8Array;
    sha: string;
    envelope: RawEnvelope;
    message: InboundMessage;
    imported?: boolean;
  },
): Promise<IngestResult> {
  const { tx, now } = ctx;
  const msg = m.message;
  const duplicate = await refuseDuplicate(ctx, msg, m.sha, m.envelope);
  if (duplicate) return duplicate;
  const rawId = await insertRawMessage(tx, m.raw, m.sha, m.envelope, now);
  return await fileMessage(ctx, msg, rawId, m.envelope, m.imported ?? false);
}

/** Keeps a message that could not be parsed or filed, raw, for an admin to look at. */
export async function quarantineMail(
  ctx: OpContext,
  m: { raw: Uint8Array; sha: string; envelope: RawEnvelope; reason: string },
): Promise<IngestResult> {
  const { tx, now } = ctx;
  const rawId = await insertRawMessage(tx, m.raw, m.sha, m.envelope, now);
  await quarantine(tx, rawId, m.reason, now);
  await recordEvent(tx, {
    ticketId: null,
    agentId: null,
    kind: "mail.quarantined",
    data: { rawId, reason: m.reason },
    now,
  });
  return { kind: "quarantined", rawId, reason: m.reason };
}

/** The stored bytes of a quarantined message, to parse again before `reprocessQuarantined`. */
export async function quarantinedBytes(
  db: Parameters<typeof findQuarantine>[0],
  quarantineId: number,
): Promise<Uint8Array> {
  const entry = await findQuarantine(db, quarantineId);
  if (!entry || entry.resolvedAt !== null) throw new NotFoundError("No such open quarantine entry");
  const raw = await findRawMessage(db, entry.rawId);
  if (!raw) throw new NotFoundError("The raw message is missing");
  return raw.content;
}

/** Files a quarantined message again, parsed anew (after a fix, or by an admin). */
export async function reprocessQuarantined(
  ctx: OpContext,
  input: { quarantineId: number; message: InboundMessage },
): Promise<IngestResult> {
  const { tx, now } = ctx;
  const msg = input.message;
  // Claim the entry first, inside the transaction: two admins pressing "reprocess" at once
  // must not file the same mail twice.
  const entry = await findQuarantine(tx, input.quarantineId);
  if (!entry || !await resolveQuarantine(tx, input.quarantineId, null, now)) {
    throw new NotFoundError("No such open quarantine entry");
  }
  const raw = (await findRawMessage(tx, entry.rawId))!;
  const duplicate = await refuseDuplicate(ctx, msg, await sha256Hex(raw.content), raw.envelope);
  if (duplicate) {
    await resolveQuarantine(tx, input.quarantineId, duplicate.ticketId, now, { claimed: true });
    return duplicate;
  }
  // Imported mail stays imported: filed again, it still starts no clocks and mails nobody.
  const imported = (await importOfRaw(tx, raw.id)) !== null;
  const filed = await fileMessage(ctx, msg, raw.id, raw.envelope, imported);
  await resolveQuarantine(tx, input.quarantineId, filed.ticketId, now, { claimed: true });
  return filed;
}

/**
 * A second delivery of a filed mail (domain/duplicate.ts) is not stored again, but its refusal
 * is recorded (`mail.duplicate`), so no mail vanishes without a trace.
 */
async function refuseDuplicate(
  ctx: OpContext,
  msg: InboundMessage,
  sha256: string,
  envelope: RawEnvelope,
): Promise<Extract<IngestResult, { kind: "duplicate" }> | null> {
  if (msg.messageId === null) return null;
  const sender = filingSender(
    { address: msg.from?.address ?? null, name: msg.fromName },
    envelope.mailFrom,
  ).address;
  const stored = await inboundCopiesByMessageId(ctx.tx, msg.messageId);
  const found = findDuplicate({ messageId: msg.messageId, sender, sha256 }, stored);
  if (found === null) return null;
  const { copy, reason } = found;
  await recordEvent(ctx.tx, {
    ticketId: copy.ticketId,
    agentId: null,
    kind: "mail.duplicate",
    data: { messageId: msg.messageId, from: sender, sha256, reason },
    now: ctx.now,
  });
  return { kind: "duplicate", ticketId: copy.ticketId };
}

async function fileMessage(
  ctx: OpContext,
  msg: InboundMessage,
  rawId: number,
  envelope: RawEnvelope,
  imported = false,
): Promise<Extract<IngestResult, { kind: "created" | "joined" }>> {
  const { tx, now } = ctx;
  const subjectTagPrefix = ctx.sender.subjectTagPrefix;
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
  let spam: SpamVerdict | null = null;
  // A reply to a ticket that scores as spam (a denied sender, a forged From of the ticket's
  // customer) must not join and reopen it: it is filed as its own ticket in 迷惑メール, linked to
  // the ticket it claims to answer (services/spam.ts moves it there when it is not spam).
  let heldFor: number | null = null;
  const joined = decision.kind === "join"
    ? (tagged?.id === decision.ticketId ? tagged : (await findTicket(tx, decision.ticketId))!)
    : null;
  if (joined && joined.status !== "spam") {
    spam = await classifyInbound(tx, {
      sender: sender.address,
      subject: msg.subject,
      text: msg.text,
      auth: envelope.auth ?? null,
    });
    if (spam.spam) heldFor = joined.id;
  }
  if (joined && heldFor === null) {
    // The subject-tagged ticket was read above; nothing since has written to tickets.
    const ticket = joined;
    ticketId = ticket.id;
    ticketNumber = ticket.number;
    departmentId = ticket.departmentId;
    before = ticket.status;
    status = statusAfterCustomerMessage(ticket.status, msg.autoKind);
  } else {
    spam ??= await classifyInbound(tx, {
      sender: sender.address,
      subject: msg.subject,
      text: msg.text,
      auth: envelope.auth ?? null,
    });
    status = spam.spam ? "spam" : statusForNewTicket(msg.autoKind);
    // Created with its first message counted (what touchTicket would do), in the department that
    // claims one of its recipients (envelope first, then To), else the default department.
    ({ id: ticketId, number: ticketNumber, departmentId } = await insertTicket(tx, {
      subject: msg.subject || "(件名なし)",
      status,
      customerId: customer.id,
      departmentId: joined?.departmentId ?? await departmentForAddresses(tx, recipients),
      replyToken: newReplyToken(),
      channel: "email",
      now,
      messageCount: 1,
    }));
    if (heldFor !== null) {
      await linkSpamReply(tx, { spamTicketId: ticketId, targetTicketId: heldFor, now });
    }
  }
  const filedAs = heldFor === null ? decision.kind : "new";
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
    // mail/parse.ts sanitized it with the display sanitizer (on the parse worker for big mail).
    htmlSanitizedBy: SANITIZER_VERSION,
    clipped: msg.clipped,
    autoKind: msg.autoKind,
    rawId,
    agentId: null,
    createdAt: now,
    attachments: msg.attachments,
  });
  if (msg.bounce && filedAs === "join") {
    await applyBounce(tx, { ticketId, bounce: msg.bounce, now });
  }
  if (before !== null) await touchTicket(tx, ticketId, status, now);
  // The mail is filed. What follows must not cost it its place: each is caught on its own.
  if (before !== null && msg.autoKind === "none" && status !== "spam" && !imported) {
    // Someone should answer it (automatic mail and old imported mail notify nobody). Reads, then ONE insert, which
    // SQLite undoes by itself if it fails: no savepoint needed.
    await bestEffort(ctx, ticketId, "notice", { atomic: true }, () =>
      notifyCustomerReply(tx, {
        ticketId,
        departmentId,
        messageId,
        from: sender.address,
        autoKind: msg.autoKind,
        via: "mail",
        now,
      }));
  }
  // Read once for the after-hours check and the SLA (unless the ticket is routed elsewhere).
  const schedules = await loadDepartmentSchedules(tx, [departmentId]);
  const schedule = schedules.get(departmentId) ?? null;
  // Spam gets no auto-reply: its From is as likely forged as not.
  if (schedule && !isOpen(schedule, now) && status !== "spam") {
    // Before the SLA: a new ticket routed to the on-duty department gets that department's SLA.
    await bestEffort(ctx, ticketId, "after_hours", { atomic: false }, () =>
      handleAfterHours(ctx, {
        ticketId,
        isNewTicket: filedAs !== "join",
        message: msg,
        sender,
        envelopeFrom: envelope.mailFrom,
        auth: envelope.auth ?? null,
        imported,
      }, { departmentId, schedule }));
  }
  // A new ticket starts its SLA clocks; a customer's reply ends a wait and starts a
  // next-response cycle (not for imported old mail).
  await afterTicketChange(ctx, {
    ticketId,
    status: before === null ? undefined : { from: before, to: status },
    known: { schedules },
    imported,
    event: {
      kind: filedAs === "join" ? "mail.joined" : "mail.created",
      data: {
        ...(decision.kind === "join" ? { via: decision.via } : {}),
        ...(heldFor !== null ? { heldFor } : {}),
        ...(envelope.auth ? { auth: envelope.auth } : {}),
        ...(spam && (spam.spam || spam.score !== 0)
          ? { spam: { score: spam.score, reasons: spam.reasons, filed: spam.spam } }
          : {}),
      },
    },
  });
  // Old imported mail is nobody's work yet: no automatic assignment (nor its notices).
  if (filedAs !== "join" && msg.autoKind === "none" && status !== "spam" && !imported) {
    await bestEffort(
      ctx,
      ticketId,
      "assignment",
      { atomic: false },
      () =>
        routeNewTicket(ctx, {
          ticketId,
          subject: msg.subject,
          body: msg.text,
          sender: sender.address,
          category: null,
        }),
    );
  }
  return { kind: filedAs === "join" ? "joined" : "created", ticketId, ticketNumber, rawId };
}

/**
 * Runs a follow-up of filing so that its failure cannot undo the filing: if it fails, its writes
 * are undone, the failure is logged and recorded on the ticket, and the filing transaction goes
 * on. Several writes need a savepoint; a follow-up whose only write is its last single statement
 * (`atomic`) does not — SQLite rolls back a failed statement by itself — which spares two
 * statements on every customer reply.
 */
async function bestEffort(
  ctx: OpContext,
  ticketId: number,
  what: string,
  options: { atomic: boolean },
  fn: () => Promise<unknown>,
): Promise<void> {
  const tx: Tx = ctx.tx;
  if (!options.atomic) await sql`savepoint follow_up`.execute(tx);
  try {
    await fn();
    if (!options.atomic) await sql`release savepoint follow_up`.execute(tx);
  } catch (error) {
    if (!options.atomic) {
      await sql`rollback to savepoint follow_up`.execute(tx);
      await sql`release savepoint follow_up`.execute(tx);
    }
    if (isBusyError(error)) throw error;
    console.error(`ingest: ${what} failed for ticket ${ticketId}:`, error);
    await recordEvent(tx, {
      ticketId,
      agentId: null,
      kind: "effect.failed",
      data: { what, error: error instanceof Error ? error.message : String(error) },
      now: ctx.now,
    });
  }
}
