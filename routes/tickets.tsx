/** One ticket: the conversation, status changes, the reply box and delivery retries. */
import { Hono } from "hono";
import { redirectWithFlash } from "./flash.ts";
import type { Ticket } from "../db/tickets.ts";
import { listMessages, type Message } from "../db/messages.ts";
import { withShownHtml } from "./message_html.ts";
import { OlderMessages } from "../components/OlderMessages.tsx";
import { retryOutboxItem } from "../db/outbox.ts";
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
import { ReplyBox } from "../components/ReplyBox.tsx";
import { CustomerLinkPanel } from "../components/CustomerLinkPanel.tsx";
import { type AppEnv, asAgent, assertAgent, type Ctx, displayTimeZone } from "./state.ts";
import { UndoSend } from "../components/SendDelayForm.tsx";
import { ticketParam } from "./params.ts";
import { allowRemoteImages } from "./middleware/remote_images.ts";
import { FollowUpPanel } from "../components/FollowUpPanel.tsx";
import { SpamPanel } from "../components/SpamPanel.tsx";
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
import { fillTemplate, unfilledVariables } from "../domain/template_vars.ts";
import { ValidationError } from "../domain/errors.ts";

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
  };
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
  /** The customer's card in the side panel: their latest other tickets. */
  customer: TicketAsideProps["customer"];
  /** Where "一覧に戻る" goes: the list the agent came from. */
  backHref: string;
  /** Every message in full (`?thread=all`), not only the last RECENT_MESSAGES. */
  showAll: boolean;
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
    templates,
    composerTemplates,
    guard,
    me,
    approvals,
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
        {ticket.status === "spam" && <SpamPanel t={t} ticketNumber={ticket.number} isSpam />}
      </header>
      <section class="conversation">
        {older.length > 0 && (
          <OlderMessages
            messages={older}
            ticketNumber={ticket.number}
            t={t}
            locale={locale}
            timeZone={timeZone}
          />
        )}
        {conversation.slice(older.length).map((m) => (
          <>
            {draft.stale?.includes(m.id) && <NewMark t={t} />}
            <MessageView
              message={m}
              t={t}
              locale={locale}
              timeZone={timeZone}
              ticketNumber={ticket.number}
              showImages={m.id === imagesFor}
            />
            {m.direction === "out" && m.agentId !== null && <ReplyActions t={t} messageId={m.id} />}
            {undoable(m, me, now) && (
              <UndoSend
                t={t}
                ticketNumber={ticket.number}
                messageId={m.id}
                seconds={Math.ceil((m.delivery!.nextAttemptAt - now) / 1000)}
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
        <form method="post" action={`/tickets/${ticket.number}/reply`} id="reply-form">
          <input type="hidden" name="version" value={draft.version ?? ticket.version} />
          {draft.lockedBy && <input type="hidden" name="take_over" value="1" />}
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
          />
          <label class="inline">
            {t("ticket.statusAfter")} <StatusSelect name="status" value={draft.status} t={t} />
          </label>
          <button type="submit">
            {draft.lockedBy
              ? t("guard.lock.sendTakingOver")
              : draft.stale
              ? t("guard.stale.sendAnyway")
              : t("ticket.send")}
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
        spam={<SpamPanel t={t} ticketNumber={ticket.number} isSpam={ticket.status === "spam"} />}
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
  const { db } = c.get("deps").store;
  const [all, suggestions, values] = await Promise.all([
    templatesForTicket(db, agent, ticket),
    suggestTemplates(db, agent, ticket, { messages }),
    ticketTemplateValues(db, ticket, agent),
  ]);
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
  const messages = withShownHtml(store, await listMessages(store.db, ticket.id));
  const templates = await templatesFor(c, ticket, messages);
  const guard = await replyGuardState(c, ticket);
  // Reopened: the agent's saved draft comes back, with the version it was written against.
  if (!draft.text && !draft.error && guard.own) {
    draft = { ...draft, text: guard.own.text, version: guard.own.version };
  }
  const listParams = listParamsOf(c, true);
  const [panes, customer] = await Promise.all([
    loadPanes(c, listParams),
    customerCard(c, ticket),
  ]);
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
      followUp={{
        at: await findFollowUp(store.db, ticket.id),
        error: c.req.query("follow_up") ?? null,
      }}
      sla={await slaPanel(c, ticket)}
      templates={templates.picker}
      composerTemplates={templates.composer}
      team={await teamPanel(c, ticket)}
      guard={guard.panel}
      me={assertAgent(c).id}
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

/** How many of the customer's other tickets the side panel lists. */
const OTHER_TICKETS = 5;

/** The customer's latest other tickets this agent may see (the customer index, newest first). */
async function customerCard(c: Ctx, ticket: Ticket): Promise<TicketAsideProps["customer"]> {
  const agent = assertAgent(c);
  const page = await listTickets(c.get("deps").store.db, {
    customerId: ticket.customerId,
    departmentIds: agent.departmentIds ?? undefined,
    perPage: OTHER_TICKETS + 1,
  });
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
      return showTicket(c, ticket, {
        text: filled.text,
        status: DEFAULT_STATUS_AFTER_REPLY,
        focus: true,
        templateId,
      });
    }
    return showTicket(c, ticket, { text: "", status: DEFAULT_STATUS_AFTER_REPLY, focus });
  });

  app.post("/:number{[0-9]{1,15}}/reply", async (c) => {
    const ticket = await ticketParam(c);
    if (!ticket) return c.notFound();
    const form = await c.req.parseBody();
    const reply = checkInput(ReplyForm, form);
    if (!reply.ok) {
      const status = v.parse(ReplyForm.entries.status, form.status);
      const parsed = v.safeParse(ReplyForm.entries.version, form.version);
      const version = parsed.success ? parsed.output : undefined;
      const draft = {
        text: String(form.text ?? ""),
        status,
        version,
        error: c.get("t")("reply.empty"),
      };
      return showTicket(c, ticket, draft, 422);
    }
    const { text, status, template_id: templateId, version, take_over } = reply.value;
    const unfilled = unfilledVariables(text);
    if (unfilled.length) {
      const names = unfilled.map((n) => `{{${n}}}`).join(" ");
      const error = c.get("t")("templates.unfilled", { names });
      return showTicket(c, ticket, { text, status, error, templateId }, 422);
    }
    try {
      const outcome = await asAgent(c, (ctx) =>
        sendReply(ctx, {
          ticketId: ticket.id,
          text,
          status,
          templateId,
          expectedVersion: version,
          takeOver: take_over === "1",
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
        return showTicket(c, ticket, { text, status, error: e.message, templateId }, 422);
      }
      if (!(e instanceof ConflictError)) throw e;
      const fresh = (await ticketParam(c))!;
      if (e.code === "locked") {
        // Held: a colleague writes the reply; sending this form again takes it over.
        const lockedBy = String((e.details.holder as { name: string }).name);
        return showTicket(c, fresh, { text, status, version, lockedBy, templateId }, 409);
      }
      if (e.code !== "stale") throw e;
      // Held: show the draft again under what is new, the form now at the current version.
      const stale = (e.details as { changes: { id: number }[] }).changes.map((m) => m.id);
      return showTicket(c, fresh, { text, status, stale, focus: false, templateId }, 409);
    }
  });

  app.post("/:number{[0-9]{1,15}}/status", async (c) => {
    const ticket = await ticketParam(c);
    if (!ticket) return c.notFound();
    const { status } = parseInput(StatusForm, await c.req.parseBody());
    await asAgent(c, (ctx) => changeStatus(ctx, { ticketId: ticket.id, status }));
    return redirectWithFlash(c, `/tickets/${ticket.number}`, "flash.statusChanged");
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
