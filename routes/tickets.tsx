/** One ticket: the conversation, status changes, the reply box and delivery retries. */
import { Hono } from "hono";
import { redirectWithFlash } from "./flash.ts";
import type { Ticket } from "../db/tickets.ts";
import { listMessages, type Message, PAGE_BODY_BUDGET } from "../db/messages.ts";
import { withShownHtml } from "./message_html.ts";
import { OlderMessages } from "../components/OlderMessages.tsx";
import { retryOutboxItem } from "../db/outbox.ts";
import { originalForAgent, originalMailResponse } from "./attachments.ts";
import { sendReply } from "../services/approvals.ts";
import { approvalPanel } from "./approvals.tsx";
import { changeStatus, findFollowUp } from "../services/tickets.ts";
import {
  DEFAULT_STATUS_AFTER_REPLY,
  STATUSES,
  type TicketStatus,
} from "../domain/ticket_status.ts";
import {
  checkInput,
  oneOf,
  orElse,
  parseInput,
  text,
  v,
  wholeNumber,
} from "../domain/validation.ts";
import { ConflictError } from "../domain/errors.ts";
import { DraftButtons, LockNotice, NewMark, StaleNotice } from "../components/StaleNotice.tsx";
import { replyGuardState } from "./reply_guard.tsx";
import { elapsed, type Translate } from "../domain/i18n/mod.ts";
import { formatDateTime } from "../components/render.tsx";
import { renderPage } from "./render.tsx";
import { MessageView } from "../components/MessageView.tsx";
import { keptHtml } from "../components/kept_html.ts";
import { ReplyBox } from "../components/ReplyBox.tsx";
import { composeStampFor } from "../services/handling_time.ts";
import { CustomerLinkPanel } from "../components/CustomerLinkPanel.tsx";
import { type AppEnv, asAgent, assertAgent, type Ctx, displayTimeZone } from "./state.ts";
import { UndoSend } from "../components/SendDelayForm.tsx";
import { ticketParam } from "./params.ts";
import { allowRemoteImages } from "./middleware/remote_images.ts";
import { FollowUpPanel } from "../components/FollowUpPanel.tsx";
import { SpamPanel } from "../components/SpamPanel.tsx";
import { findSpamReplyLink, heldRepliesFor } from "../db/spam_reply_links.ts";
import { slaPanel } from "./ticket_sla.tsx";
import { teamPanel } from "./ticket_team.tsx";
import type { SlaParts } from "../components/SlaPanel.tsx";
import type { TeamParts } from "../components/TicketSidePanel.tsx";
import { TicketAside, type TicketAsideProps } from "../components/TicketAside.tsx";
import type { RelativeLocale } from "../domain/relative_time.ts";
import { listTickets } from "../db/ticket_list.ts";
import { listParamsOf, loadPanes, Workspace, type WorkspacePanes } from "./workspace.tsx";
import type { VNode } from "preact";
import { TemplatePicker } from "../components/TemplatePicker.tsx";
import { filledTemplate, templatesForTicket, ticketTemplateValues } from "../services/templates.ts";
import { suggestTemplates } from "../services/suggestions.ts";
import { fillTemplate } from "../domain/template_vars.ts";
import { ValidationError } from "../domain/errors.ts";
import { fieldMessage } from "../domain/validation.ts";
import { composerStart, withoutSignature, withSignature } from "../domain/signature.ts";
import { formatField } from "../domain/recipients.ts";
import { MAX_FILE_BYTES, MAX_FILES, MAX_TOTAL_BYTES } from "../domain/inquiry_form.ts";
import { defaultRecipients, replySignature } from "../services/composer.ts";
import { addNote } from "../services/collaboration.ts";
import { describeFiles, toAttachments } from "./customer_form.tsx";
import { Uploads } from "../domain/inquiry_form.ts";
import {
  ComposerMode,
  type ComposerRecipients,
  RecipientFields,
} from "../components/ComposerFields.tsx";
import { outgoingFiles, readReplyForm, replyUploadLimit } from "./reply_form.tsx";

/** Templates the composer can insert without a reload (more than this: the picker only). */
const COMPOSER_TEMPLATES = 100;

const ReplyForm = v.object({
  text: text({ required: true, multiline: true }),
  // The ticket version the reply was composed against (the stale-send guard).
  version: wholeNumber({ min: 0, max: Number.MAX_SAFE_INTEGER }),
  // "1": the agent confirmed taking the reply over from a colleague who is writing it.
  take_over: oneOf(["1"]),
  // The select offers only statuses; anything else keeps the default rather than losing the reply.
  status: orElse(oneOf(STATUSES), DEFAULT_STATUS_AFTER_REPLY),
  template_id: orElse(v.pipe(v.string(), v.regex(/^[0-9]{1,15}$/), v.transform(Number)), null),
});

const StatusForm = v.object({ status: oneOf(STATUSES, { required: true }) });

interface TicketPageProps {
  t: Translate;
  locale: string;
  timeZone: string;
  now: number;
  ticket: Ticket;
  messages: Message[];
  /** `focus` puts the cursor in the reply box on load (the deep link in agents' mail). */
  draft: {
    text: string;
    status: TicketStatus;
    error?: string;
    focus?: boolean;
    templateId?: number | null;
    /** The messages that held a stale send (their ids), with the form now at the new version. */
    stale?: number[];
    /** The version the text was composed against (a restored server draft's); else the page's. */
    version?: number;
    /** A colleague holds the reply: sending again takes it over (routes/reply_guard.tsx). */
    lockedBy?: string;
    /** To, Cc and Bcc as typed (a refused form); absent: reply-all. */
    recipients?: ComposerRecipients;
    mode?: "reply" | "note";
    /** Problems by field (to, cc, bcc, attachments), in the reader's language. */
    fieldErrors?: Record<string, string>;
  };
  /** Reply-all, as the composer starts. */
  defaultRecipients: ComposerRecipients;
  /** Suggestions and the template picker (components/TemplatePicker.tsx). */
  templates: VNode;
  /** Templates filled in for this ticket, for the hydrated composer. */
  composerTemplates: { id: number; title: string; text: string }[];
  /** Presence, colleagues' drafts and the reply's holder (routes/reply_guard.tsx). */
  guard: VNode;
  /** The viewing agent's id (their own replies held by a send delay can be cancelled). */
  me: number;
  /** Approval requests of the ticket (routes/approvals.tsx), with a notice after a request. */
  approvals: VNode | null;
  /** The message whose remote images the agent asked to see. */
  imagesFor: number | null;
  /** The follow-up instant (null: none) and a refused form's error. */
  followUp: { at: number | null; error: string | null };
  /** Priority, department and SLA clocks (routes/ticket_sla.tsx). */
  sla: SlaParts | null;
  /** Assignee, tags, transfer, notes and history (routes/ticket_team.tsx). */
  team: TeamParts | null;
  /** A held reply: the ticket it claims to answer, and whether it was moved there. */
  spamLink: { number: number; moved: boolean } | null;
  /** Replies to this ticket held in 迷惑メール (their ticket numbers). */
  heldReplies: number[];
  /** The customer's card in the side panel: their latest other tickets. */
  customer: TicketAsideProps["customer"];
  /** Where "一覧に戻る" goes: the list the agent came from. */
  backHref: string;
  /** Every message in full (`?thread=all`), not only the last RECENT_MESSAGES. */
  showAll: boolean;
  /** The reply form's signed render stamp (handling time in reports). */
  composeStamp?: string;
}

/** The reply form's handling-time stamp as posted. */
function postedStamp(form: Record<string, unknown>): string | undefined {
  return typeof form.compose_stamp === "string" ? form.compose_stamp.slice(0, 200) : undefined;
}

/** A long conversation shows this many of its last messages in full, the rest folded. */
const RECENT_MESSAGES = 10;

/** The messages folded away: none when the thread is short or all were asked for. */
function olderMessages(messages: Message[], showAll: boolean, imagesFor: number | null) {
  if (showAll || messages.length <= RECENT_MESSAGES + 2) return [];
  const older = messages.slice(0, messages.length - RECENT_MESSAGES);
  return older.some((m) => m.id === imagesFor) ? [] : older;
}

function StatusSelect(p: { name: string; value: TicketStatus; t: Translate }) {
  return (
    <select name={p.name} aria-label={p.t("inbox.status")}>
      {STATUSES.map((s) => (
        <option key={s} value={s} selected={s === p.value}>{p.t(`status.${s}`)}</option>
      ))}
    </select>
  );
}

function TicketPage(
  {
    t,
    locale,
    timeZone,
    now,
    ticket,
    messages,
    draft,
    imagesFor,
    followUp,
    sla,
    team,
    showAll,
    spamLink,
    heldReplies,
    templates,
    composerTemplates,
    guard,
    me,
    approvals,
    composeStamp,
    defaultRecipients,
    customer,
    backHref,
  }: TicketPageProps,
) {
  const notices = messages.filter(isAgentNotice);
  const conversation = notices.length ? messages.filter((m) => !isAgentNotice(m)) : messages;
  const older = olderMessages(conversation, showAll, imagesFor);
  const rel = { locale: (locale === "en" ? "en" : "ja") as RelativeLocale, timeZone };
  return (
    <div class="ticket">
      <header class="ticket-head">
        <a class="back" href={backHref}>← {t("workspace.backToList")}</a>
        <h1>
          <span class="muted">#{ticket.number}</span> {ticket.subject}
        </h1>
        <div class="ticket-meta">
          <span class={`badge status-${ticket.status}`}>{t(`status.${ticket.status}`)}</span>
          <span class="who">
            <a href={`/customers/${ticket.customerId}`}>{ticket.customerName}</a>{" "}
            <span class="muted">&lt;{ticket.customerEmail}&gt;</span>
          </span>
          <span class="muted">
            {t("workspace.created")}{" "}
            <time
              dateTime={new Date(ticket.createdAt).toISOString()}
              title={formatDateTime(ticket.createdAt, timeZone, locale)}
            >
              {elapsed(t, ticket.createdAt, now)}
            </time>
          </span>
          <span class="head-actions">
            <a href="#reply" class="button secondary jump-reply">{t("ticket.reply")}</a>
            {ticket.status !== "resolved" && (
              <form
                method="post"
                action={`/tickets/${ticket.number}/status`}
                class="inline resolve"
              >
                <input type="hidden" name="status" value="resolved" />
                <button type="submit" class="secondary" data-shortcut="e" title="e">
                  {t("ticket.resolve")}
                </button>
              </form>
            )}
          </span>
        </div>
        {(ticket.status === "spam" || spamLink?.moved || heldReplies.length > 0) && (
          <SpamPanel
            t={t}
            ticketNumber={ticket.number}
            isSpam={ticket.status === "spam"}
            link={spamLink}
            held={heldReplies}
            bannerOnly
          />
        )}
      </header>
      <section class="conversation">
        {
          // Rendered once per kept thread read and variant (components/kept_html.ts): a long
          // thread's markup is most of the page, the same for every view until a commit.
          older.length > 0 &&
          keptHtml(messages, `older\n${older.length}\n${locale}\n${timeZone}`, () => (
            <OlderMessages
              messages={older}
              ticketNumber={ticket.number}
              t={t}
              locale={locale}
              timeZone={timeZone}
            />
          ))
        }
        {conversation.slice(older.length).map((m) => (
          <>
            {draft.stale?.includes(m.id) && <NewMark t={t} />}
            {keptHtml(
              m,
              `${locale}\n${timeZone}\n${ticket.number}\n${m.id === imagesFor}`,
              () => (
                <MessageView
                  message={m}
                  t={t}
                  locale={locale}
                  timeZone={timeZone}
                  ticketNumber={ticket.number}
                  showImages={m.id === imagesFor}
                />
              ),
            )}
            {m.direction === "out" && m.agentId !== null && <ReplyActions t={t} messageId={m.id} />}
            {undoable(m, me, now) && (
              <UndoSend
                t={t}
                ticketNumber={ticket.number}
                messageId={m.id}
                dueAt={m.delivery!.nextAttemptAt}
                now={now}
                timeZone={timeZone}
                locale={locale}
              />
            )}
          </>
        ))}
      </section>
      <section class="reply" id="reply">
        <h2>{t("ticket.reply")}</h2>
        {templates}
        {approvals}
        {guard}
        {draft.error && <p class="error" role="alert">{draft.error}</p>}
        {draft.stale && (
          <StaleNotice t={t} ticketNumber={ticket.number} count={draft.stale.length} />
        )}
        {draft.lockedBy && <LockNotice t={t} name={draft.lockedBy} />}
        <form
          method="post"
          action={`/tickets/${ticket.number}/reply`}
          id="reply-form"
          class="composer-form"
          enctype="multipart/form-data"
        >
          <input type="hidden" name="version" value={draft.version ?? ticket.version} />
          {draft.lockedBy && <input type="hidden" name="take_over" value="1" />}
          {/* The signature is in the text, as the agent sees it: the service appends none. */}
          <input type="hidden" name="signed" value="1" />
          <ComposerMode t={t} mode={draft.mode ?? "reply"} />
          <RecipientFields
            t={t}
            values={draft.recipients ?? defaultRecipients}
            errors={draft.fieldErrors ?? {}}
          />
          <p class="muted small note-only">{t("composer.noteHint")}</p>
          <ReplyBox
            name="text"
            value={draft.text}
            sendLabel={t("ticket.send")}
            label={t("ticket.reply")}
            autoFocus={draft.focus || !!draft.error}
            templateId={draft.templateId ?? null}
            templates={composerTemplates}
            insertLabel={t("templates.insert")}
            chooseLabel={t("templates.choose")}
            composeStamp={composeStamp}
            files={{
              name: "attachments",
              label: t("composer.attachments"),
              hint: t("composer.attachLimits", {
                max: MAX_FILES,
                maxMb: MAX_FILE_BYTES / 1024 / 1024,
                totalMb: MAX_TOTAL_BYTES / 1024 / 1024,
              }),
              drop: t("composer.drop"),
              remove: t("composer.remove"),
              maxFiles: MAX_FILES,
              maxFileBytes: MAX_FILE_BYTES,
              maxTotalBytes: MAX_TOTAL_BYTES,
              error: draft.fieldErrors?.attachments,
            }}
          />
          <label class="inline reply-only">
            {t("ticket.statusAfter")} <StatusSelect name="status" value={draft.status} t={t} />
          </label>
          <button type="submit">
            <span class="reply-only">
              {draft.lockedBy
                ? t("guard.lock.sendTakingOver")
                : draft.stale
                ? t("guard.stale.sendAnyway")
                : t("ticket.send")}
            </span>
            <span class="note-only">{t("composer.addNote")}</span>
          </button>
          <DraftButtons t={t} ticketNumber={ticket.number} />
        </form>
      </section>
      <TicketAside
        t={t}
        now={now}
        rel={rel}
        ticket={ticket}
        customer={customer}
        sla={sla}
        team={team}
        notices={notices}
        spam={ticket.status === "spam" || spamLink?.moved
          ? null
          : <SpamPanel t={t} ticketNumber={ticket.number} isSpam={false} />}
        customerLink={<CustomerLinkPanel t={t} ticketNumber={ticket.number} />}
        followUp={
          <FollowUpPanel
            t={t}
            locale={locale}
            timeZone={timeZone}
            ticketNumber={ticket.number}
            followUp={followUp.at}
            error={followUp.error}
          />
        }
      />
    </div>
  );
}

/** Mail the desk sent to agents (SLA warnings, notices): kept out of the customer conversation. */
function isAgentNotice(m: Message): boolean {
  return m.direction === "note" && m.autoKind !== "none";
}

/** Under a sent reply: keep it as a template, or start an FAQ article from it. */
function ReplyActions({ t, messageId }: { t: Translate; messageId: number }) {
  return (
    <div class="reply-actions small">
      <form method="post" action={`/templates/from-message/${messageId}`} class="inline">
        <button type="submit" class="link">{t("templates.saveReply")}</button>
      </form>
      <form method="post" action={`/articles/from-message/${messageId}`} class="inline">
        <button type="submit" class="link">{t("templates.replyToFaq")}</button>
      </form>
    </div>
  );
}

/** The suggestions, the picker and the composer's templates for this ticket. */
async function templatesFor(c: Ctx, ticket: Ticket, messages: Message[]) {
  const agent = assertAgent(c);
  const { store } = c.get("deps");
  const db = store.db;
  // Kept while nothing is committed (db/read_memo.ts), per agent (their templates).
  const [all, suggestions, values] = await store.memo(
    `templates\n${agent.id}\n${ticket.id}`,
    () =>
      Promise.all([
        templatesForTicket(db, agent, ticket),
        suggestTemplates(db, agent, ticket, { messages }),
        ticketTemplateValues(db, ticket, agent),
      ]),
  );
  const picker = (
    <TemplatePicker
      t={c.get("t")}
      ticketNumber={ticket.number}
      suggestions={suggestions}
      templates={all}
    />
  );
  const composer = all.length <= COMPOSER_TEMPLATES
    ? all.map((tpl) => ({ id: tpl.id, title: tpl.title, text: fillTemplate(tpl.body, values) }))
    : [];
  return { picker, composer };
}

/** A reply of `me` that the send delay still holds (queued, never tried, due later). */
function undoable(m: Message, me: number, now: number): boolean {
  const d = m.delivery;
  return m.direction === "out" && m.agentId === me && d !== null && d.status === "queued" &&
    d.attempts === 0 && d.nextAttemptAt > now;
}

/** `?images=<message id>`: that message's remote images, if it has any, load on this response. */
function imagesRequested(c: Ctx, messages: Message[]): number | null {
  const id = Number(c.req.query("images"));
  const message = messages.find((m) => m.id === id);
  if (!message?.html?.includes("data-remote-src=")) return null;
  allowRemoteImages(c);
  return message.id;
}

async function spamLinkOf(db: Parameters<typeof findSpamReplyLink>[0], ticketId: number) {
  const link = await findSpamReplyLink(db, ticketId);
  return link ? { number: link.targetNumber, moved: link.movedAt !== null } : null;
}

/** The ticket page in the workspace, beside the navigation and the list it was opened from. */
function TicketInWorkspace({ panes, ...page }: TicketPageProps & { panes: WorkspacePanes }) {
  return (
    <Workspace panes={panes} openNumber={page.ticket.number}>
      <TicketPage {...page} />
    </Workspace>
  );
}

async function showTicket(
  c: Ctx,
  ticket: Ticket,
  draft: TicketPageProps["draft"],
  status: 200 | 409 | 422 = 200,
) {
  const { store, now } = c.get("deps");
  // The thread is kept while nothing is committed (db/read_memo.ts): a long one is most of the
  // page's reads, and every colleague with the ticket open asks for it again.
  const thread = await store.memo(
    `thread\n${ticket.id}`,
    () => listMessages(store.db, ticket.id, { bodyBudget: PAGE_BODY_BUDGET }),
  );
  const messages = withShownHtml(store, thread);
  const templates = await templatesFor(c, ticket, messages);
  const guard = await replyGuardState(c, ticket);
  const composer = await composerDefaults(c, ticket);
  // Reopened: the agent's saved draft comes back, with the version it was written against.
  if (!draft.text && !draft.error && guard.own) {
    draft = { ...draft, text: guard.own.text, version: guard.own.version };
  }
  // A fresh reply starts with the signature under room to write; the agent may edit it.
  if (!draft.text && !draft.error) draft = { ...draft, text: composerStart(composer.signature) };
  const listParams = listParamsOf(c, true);
  const [panes, customer] = await Promise.all([
    loadPanes(c, listParams),
    customerCard(c, ticket),
  ]);
  // Kept while nothing is committed (db/read_memo.ts): small reads, but on every view.
  const extras = await store.memo(`ticket-extras\n${ticket.id}`, async () => ({
    followUp: await findFollowUp(store.db, ticket.id),
    spamLink: await spamLinkOf(store.db, ticket.id),
    heldReplies: await heldRepliesFor(store.db, ticket.id),
  }));
  return renderPage(
    c,
    `#${ticket.number} ${ticket.subject}`,
    <TicketInWorkspace
      panes={panes}
      customer={customer}
      backHref={listParams.size ? `/?${listParams}` : "/"}
      t={c.get("t")}
      locale={c.get("locale")}
      timeZone={displayTimeZone(c)}
      now={(now ?? Date.now)()}
      ticket={ticket}
      messages={messages}
      draft={draft}
      imagesFor={imagesRequested(c, messages)}
      showAll={c.req.query("thread") === "all"}
      followUp={{ at: extras.followUp, error: c.req.query("follow_up") ?? null }}
      sla={await slaPanel(c, ticket)}
      templates={templates.picker}
      composerTemplates={templates.composer}
      team={await teamPanel(c, ticket)}
      spamLink={extras.spamLink}
      heldReplies={extras.heldReplies}
      guard={guard.panel}
      me={assertAgent(c).id}
      composeStamp={await composeStampFor(store.db, {
        agentId: assertAgent(c).id,
        ticketId: ticket.id,
        now: (now ?? Date.now)(),
        posted: c.req.method === "POST" ? postedStamp(await c.req.parseBody()) : undefined,
      })}
      defaultRecipients={composer.recipients}
      approvals={
        <>
          {c.req.query("approval") === "requested" && (
            <p class="notice" role="status">{c.get("t")("approval.requested")}</p>
          )}
          {await approvalPanel(c, ticket.id)}
        </>
      }
    />,
    status,
  );
}

/** The composer's start: reply-all recipients and the signature (agent's, then department's). */
function composerDefaults(c: Ctx, ticket: Ticket) {
  const { store, now } = c.get("deps");
  const at = (now ?? Date.now)();
  const agentId = assertAgent(c).id;
  // Kept while nothing is committed (db/read_memo.ts), per agent and second.
  return store.memo(`composer\n${agentId}\n${ticket.id}\n${Math.floor(at / 1000)}`, async () => {
    const recipients = await defaultRecipients(store.db, c.get("rt").sender, ticket, at);
    return {
      recipients: {
        to: formatField(recipients.to),
        cc: formatField(recipients.cc),
        bcc: formatField(recipients.bcc),
      },
      signature: await replySignature(store.db, agentId, ticket.departmentId),
    };
  });
}

/** A refused reply's problems, by field, in the reader's language. */
function replyErrors(c: Ctx, e: ValidationError) {
  const t = c.get("t");
  const fields: Record<string, string> = {};
  for (const field of ["to", "cc", "bcc", "attachments"]) {
    const text = fieldMessage(e, field, t);
    if (text) fields[field] = text;
  }
  const text = fieldMessage(e, "text", t);
  return { fields, error: text ?? (Object.keys(fields).length ? undefined : t("form.invalid")) };
}

/** The composer in note mode: an internal note (no signature, its files for agents, nothing mailed). */
async function postNote(c: Ctx, ticket: Ticket, text: string, files: File[]) {
  const t = c.get("t");
  // A note keeps its files for agents, within the upload limits.
  const checked = checkInput(Uploads, describeFiles(files), t);
  if (!checked.ok) {
    const problem = Object.values(checked.fields)[0] ?? "";
    return showTicket(c, ticket, {
      text,
      status: DEFAULT_STATUS_AFTER_REPLY,
      mode: "note",
      fieldErrors: { attachments: `${problem} ${t("composer.reattach")}` },
    }, 422);
  }
  const attachments = await toAttachments(files);
  const signature = await replySignature(
    c.get("deps").store.db,
    assertAgent(c).id,
    ticket.departmentId,
  );
  const note = withoutSignature(text, signature);
  try {
    const id = await asAgent(
      c,
      (ctx) => addNote(ctx, { ticketId: ticket.id, text: note, attachments }),
    );
    return redirectWithFlash(c, `/tickets/${ticket.number}#m${id}`, "flash.noteAdded");
  } catch (e) {
    if (!(e instanceof ValidationError)) throw e;
    const files = e.fields.attachments;
    return showTicket(c, ticket, {
      text,
      status: DEFAULT_STATUS_AFTER_REPLY,
      mode: "note",
      ...(files
        ? { fieldErrors: { attachments: `${files} ${t("composer.reattach")}` } }
        : { error: t("reply.empty") }),
    }, 422);
  }
}

/** How many of the customer's other tickets the side panel lists. */
const OTHER_TICKETS = 5;

/** The customer's latest other tickets this agent may see (the customer index, newest first). */
async function customerCard(c: Ctx, ticket: Ticket): Promise<TicketAsideProps["customer"]> {
  const agent = assertAgent(c);
  const { store } = c.get("deps");
  const page = await store.memo(
    `customer-card\n${agent.id}\n${ticket.id}`,
    () =>
      listTickets(store.db, {
        customerId: ticket.customerId,
        departmentIds: agent.departmentIds ?? undefined,
        perPage: OTHER_TICKETS + 1,
      }),
  );
  const others = page.tickets.filter((tk) => tk.id !== ticket.id).slice(0, OTHER_TICKETS);
  return {
    id: ticket.customerId,
    name: ticket.customerName,
    email: ticket.customerEmail,
    others,
    othersTotal: Math.max(0, page.total - 1),
  };
}

/** Routes under /tickets/:number. */
export function ticketRoutes() {
  const app = new Hono<AppEnv>();

  app.get("/:number{[0-9]{1,15}}", async (c) => {
    const ticket = await ticketParam(c);
    if (!ticket) return c.notFound();
    // ?focus=reply survives the login redirect (a #fragment does not survive the login form).
    const focus = c.req.query("focus") === "reply";
    // ?template=<id>: the no-JS insert — the page comes back with the template filled in.
    const templateId = Number(c.req.query("template"));
    if (Number.isSafeInteger(templateId) && templateId > 0) {
      const { db } = c.get("deps").store;
      const filled = await filledTemplate(db, assertAgent(c), ticket, templateId);
      const signature = await replySignature(db, assertAgent(c).id, ticket.departmentId);
      return showTicket(c, ticket, {
        text: withSignature(filled.text, signature),
        status: DEFAULT_STATUS_AFTER_REPLY,
        focus: true,
        templateId,
      });
    }
    return showTicket(c, ticket, { text: "", status: DEFAULT_STATUS_AFTER_REPLY, focus });
  });

  app.post("/:number{[0-9]{1,15}}/reply", replyUploadLimit(), async (c) => {
    const ticket = await ticketParam(c);
    if (!ticket) return c.notFound();
    const body = await readReplyForm(c);
    const form = body.fields;
    const reply = checkInput(ReplyForm, form);
    // What the agent typed and chose comes back on a refusal (files must be chosen again).
    const mode = form.mode === "note" ? "note" as const : "reply" as const;
    const kept = { recipients: body.typed, mode };
    const reattach = body.files.length > 0 ? ` ${c.get("t")("composer.reattach")}` : "";
    if (!reply.ok) {
      const status = v.parse(ReplyForm.entries.status, form.status);
      const parsed = v.safeParse(ReplyForm.entries.version, form.version);
      const version = parsed.success ? parsed.output : undefined;
      const error = c.get("t")("reply.empty") + reattach;
      return showTicket(c, ticket, { text: form.text ?? "", status, version, error, ...kept }, 422);
    }
    const { text, status, template_id: templateId, version, take_over } = reply.value;
    if (mode === "note") return await postNote(c, ticket, text, body.files);
    const attachments = await outgoingFiles(body.files);
    try {
      const outcome = await asAgent(c, (ctx) =>
        sendReply(ctx, {
          ticketId: ticket.id,
          text,
          status,
          templateId,
          expectedVersion: version,
          takeOver: take_over === "1",
          composeStamp: postedStamp(form),
          recipients: body.entries ?? undefined,
          attachments,
          signed: form.signed === "1",
        }));
      if (outcome.kind !== "sent") {
        return c.redirect(
          `/tickets/${ticket.number}?approval=requested#approval-${outcome.approvalId}`,
          303,
        );
      }
      return redirectWithFlash(
        c,
        `/tickets/${ticket.number}#m${outcome.messageId}`,
        "flash.replyQueued",
      );
    } catch (e) {
      if (e instanceof ValidationError) {
        const { fields, error } = replyErrors(c, e);
        if (reattach) fields.attachments = (fields.attachments ?? "") + reattach;
        return showTicket(c, ticket, {
          text,
          status,
          version,
          error,
          fieldErrors: fields,
          templateId,
          ...kept,
        }, 422);
      }
      if (!(e instanceof ConflictError)) throw e;
      const fresh = (await ticketParam(c))!;
      if (e.code === "locked") {
        // Held: a colleague writes the reply; sending this form again takes it over.
        const lockedBy = String((e.details.holder as { name: string }).name);
        return showTicket(c, fresh, { text, status, version, lockedBy, templateId, ...kept }, 409);
      }
      if (e.code !== "stale") throw e;
      // Held: show the draft again under what is new, the form now at the current version.
      const stale = (e.details as { changes: { id: number }[] }).changes.map((m) => m.id);
      return showTicket(c, fresh, { text, status, stale, focus: false, templateId, ...kept }, 409);
    }
  });

  app.post("/:number{[0-9]{1,15}}/status", async (c) => {
    const ticket = await ticketParam(c);
    if (!ticket) return c.notFound();
    const { status } = parseInput(StatusForm, await c.req.parseBody());
    await asAgent(c, (ctx) => changeStatus(ctx, { ticketId: ticket.id, status }));
    return redirectWithFlash(c, `/tickets/${ticket.number}`, "flash.statusChanged");
  });

  // The mail as received, to open in a mail program: everything a clipped body left out, and
  // the headers. A download (attachmentHeaders: bytes, nosniff, sandbox), never shown in the page.
  app.get("/:number{[0-9]{1,15}}/messages/:id{[0-9]{1,15}}/original", async (c) => {
    const ticket = await ticketParam(c);
    if (!ticket) return c.notFound();
    const messageId = Number(c.req.param("id"));
    const original = await originalForAgent(c, messageId);
    if (original?.ticketId !== ticket.id) return c.notFound();
    return originalMailResponse(c, messageId, original);
  });

  app.post("/:number{[0-9]{1,15}}/messages/:id{[0-9]{1,15}}/retry", async (c) => {
    const ticket = await ticketParam(c);
    if (!ticket) return c.notFound();
    const { store, config } = c.get("deps");
    const messageId = Number(c.req.param("id"));
    const messages = await listMessages(store.db, ticket.id);
    if (!messages.some((m) => m.id === messageId)) return c.notFound();
    await store.writeTx((tx) =>
      retryOutboxItem(tx, messageId, Date.now(), config.smtpRelayUrl === null)
    );
    c.get("rt").wakers.outbox();
    return redirectWithFlash(c, `/tickets/${ticket.number}#m${messageId}`, "flash.retryQueued");
  });

  return app;
}
