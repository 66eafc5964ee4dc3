/**
 * What an agent's reply carries besides its text: who it goes to (reply-all by default, or the
 * To/Cc/Bcc the agent edited), the files, and the signature. Checked here, in the service, so the
 * web form, the API and approvals share one set of rules and limits.
 */
import type { Db, Tx } from "../db/client.ts";
import { findAgentSignature, listOwnAddresses, suppressedAmong } from "../db/composer.ts";
import { findDepartmentIdentity } from "../db/department_addresses.ts";
import { lastInboundMessage } from "../db/messages.ts";
import type { Ticket } from "../db/tickets.ts";
import type { MailAddress } from "../domain/inbound_message.ts";
import {
  MAX_FILE_BYTES,
  MAX_FILES,
  MAX_TOTAL_BYTES,
  safeFilename,
} from "../domain/inquiry_form.ts";
import {
  checkRecipients,
  formatMailbox,
  type OwnAddresses,
  parseMailbox,
  RECIPIENT_FIELDS,
  type RecipientField,
  type RecipientProblem,
  type Recipients,
  replyAllRecipients,
} from "../domain/recipients.ts";
import { signatureBlock } from "../domain/signature.ts";
import { type FieldProblem, fieldProblems } from "../domain/validation.ts";
import type { OutgoingAttachment } from "../mail/compose.ts";
import type { Sender } from "../mail/sender.ts";

/** Recipients as an agent or API client wrote them: one entry per mailbox, per field. */
export type RecipientEntries = Record<RecipientField, string[]>;

/** Our own addresses: the mail domains, department addresses and reply addresses. */
export async function ownAddresses(db: Db | Tx, sender: Sender): Promise<OwnAddresses> {
  return {
    domains: sender.mailDomains,
    addresses: [sender.supportAddress.toLowerCase(), ...await listOwnAddresses(db)],
  };
}

/**
 * Reply-all for a ticket: To its customer, Cc whoever else wrote or got the last mail — not
 * ours, not an address that bounced.
 */
export async function defaultRecipients(
  db: Db | Tx,
  sender: Sender,
  ticket: Ticket,
  now: number,
): Promise<Recipients> {
  const last = await lastInboundMessage(db, ticket.id);
  const lastTo: MailAddress[] = last ? JSON.parse(last.toJson) : [];
  const lastCc: MailAddress[] = last ? JSON.parse(last.ccJson) : [];
  return replyAllRecipients({
    customer: { address: ticket.customerEmail, name: ticket.customerName },
    lastFrom: last && { address: last.fromAddress, name: last.fromName },
    lastTo,
    lastCc,
    own: await ownAddresses(db, sender),
    suppressed: await suppressedAmong(
      db,
      [...lastTo, ...lastCc, ...last ? [{ address: last.fromAddress }] : []].map((a) => a.address),
      now,
    ),
  });
}

const PROBLEM_TEXT: Record<RecipientProblem["code"], (p: RecipientProblem) => FieldProblem> = {
  invalid: (p) => ({
    key: "composer.error.invalid",
    vars: { entry: "entry" in p ? p.entry : "" },
    en: `"${"entry" in p ? p.entry : ""}" is not one e-mail address`,
  }),
  several: (p) => ({
    key: "composer.error.several",
    vars: { entry: "entry" in p ? p.entry : "" },
    en: `"${"entry" in p ? p.entry : ""}" holds more than one address: give one per entry`,
  }),
  own: (p) => ({
    key: "composer.error.own",
    vars: { entry: "entry" in p ? p.entry : "" },
    en: `"${"entry" in p ? p.entry : ""}" is one of our own addresses`,
  }),
  required: () => ({ key: "composer.error.toRequired", en: "must name at least one recipient" }),
  tooMany: (p) => ({
    key: "composer.error.tooMany",
    vars: { max: "max" in p ? p.max : 0 },
    en: `may name at most ${"max" in p ? p.max : 0} recipients (To, Cc and Bcc together)`,
  }),
};

/**
 * The recipients an agent chose, each entry one mailbox; ValidationError (fields `to`, `cc`,
 * `bcc`, with catalog keys) when an entry is not one address, is ours, To is empty or there are
 * too many.
 */
export async function chosenRecipients(
  db: Db | Tx,
  sender: Sender,
  entries: RecipientEntries,
): Promise<Recipients> {
  const problems: Partial<Record<RecipientField, RecipientProblem>> = {};
  const parsed: Recipients = { to: [], cc: [], bcc: [] };
  for (const field of RECIPIENT_FIELDS) {
    for (const entry of entries[field]) {
      const box = parseMailbox(entry);
      if ("code" in box) problems[field] ??= box;
      else parsed[field].push(box);
    }
  }
  const checked = checkRecipients(parsed, await ownAddresses(db, sender));
  if (!checked.ok) Object.assign(problems, { ...checked.problems, ...problems });
  if (Object.keys(problems).length > 0 || !checked.ok) {
    const texts: Record<string, FieldProblem> = {};
    for (const [field, p] of Object.entries(problems)) texts[field] = PROBLEM_TEXT[p.code](p);
    throw fieldProblems("The recipients are invalid", texts);
  }
  return checked.recipients;
}

/**
 * A reply's recipients: reply-all, with each field the agent or client gave replacing its
 * default (`cc: []` drops the customer's Cc); every entry checked (see `chosenRecipients`).
 */
export async function replyRecipients(
  db: Db | Tx,
  sender: Sender,
  ticket: Ticket,
  now: number,
  entries?: Partial<RecipientEntries>,
): Promise<Recipients> {
  const defaults = await defaultRecipients(db, sender, ticket, now);
  if (!entries || RECIPIENT_FIELDS.every((f) => entries[f] === undefined)) return defaults;
  const full = {} as RecipientEntries;
  for (const f of RECIPIENT_FIELDS) full[f] = entries[f] ?? defaults[f].map(formatMailbox);
  return await chosenRecipients(db, sender, full);
}

const MAX_FILE_MB = MAX_FILE_BYTES / 1024 / 1024;

/**
 * Files to send, within the limits of every upload here (count, each file, all together; see
 * domain/inquiry_form.ts): a ValidationError on `attachments` otherwise. Names lose their path
 * and control characters; a type that is not one plain token is sent as bytes.
 */
export function checkedAttachments(files: readonly OutgoingAttachment[]): OutgoingAttachment[] {
  const problem = attachmentProblem(files);
  if (problem) throw fieldProblems("The attachments exceed the limits", { attachments: problem });
  return files.map((f) => ({
    filename: safeFilename(f.filename),
    contentType: /^[\w.+-]+\/[\w.+-]+$/.test(f.contentType)
      ? f.contentType.toLowerCase()
      : "application/octet-stream",
    content: f.content,
  }));
}

function attachmentProblem(files: readonly OutgoingAttachment[]): FieldProblem | null {
  if (files.length > MAX_FILES) {
    return {
      key: "inquiry.error.tooManyFiles",
      vars: { max: MAX_FILES },
      en: `must hold at most ${MAX_FILES} files`,
    };
  }
  const large = files.find((f) => f.content.byteLength > MAX_FILE_BYTES);
  if (large) {
    return {
      key: "inquiry.error.fileTooLarge",
      vars: { name: safeFilename(large.filename), maxMb: MAX_FILE_MB },
      en: `must hold no file over ${MAX_FILE_MB} MB`,
    };
  }
  if (files.reduce((n, f) => n + f.content.byteLength, 0) > MAX_TOTAL_BYTES) {
    const maxMb = MAX_TOTAL_BYTES / 1024 / 1024;
    return {
      key: "inquiry.error.totalTooLarge",
      vars: { maxMb },
      en: `must total at most ${maxMb} MB`,
    };
  }
  return null;
}

/** The signature a reply of this agent on this ticket gets: theirs, then the department's. */
export async function replySignature(
  db: Db | Tx,
  agentId: number,
  departmentId: number,
): Promise<string> {
  const mine = await findAgentSignature(db, agentId);
  const identity = await findDepartmentIdentity(db, departmentId);
  return signatureBlock(mine, identity.signature);
}
