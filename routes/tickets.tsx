/** One ticket: the conversation, status changes, the reply box and delivery retries. */
import { Hono } from "hono";
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
import { slaPanel } from "./ticket_sla.tsx";
import type { VNode } from "preact";

const ReplyForm = v.object({
  text: text({ required: true, multiline: true }),
  // The ticket version the reply was composed against (the stale-send guard).
  version: wholeNumber({ min: 0, max: Number.MAX_SAFE_INTEGER }),
  // "1": the agent confirmed taking the reply over from a colleague who is writing it.
  take_over: oneOf(["1"]),
  // The select offers only statuses; anything else keeps the default rather than losing the reply.
  status: orElse(oneOf(STATUSES), DEFAULT_STATUS_AFTER_REPLY),
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
    /** The messages that held a stale send (their ids), with the form now at the new version. */
    stale?: number[];
    /** The version the text was composed against (a restored server draft's); else the page's. */
    version?: number;
    /** A colleague holds the reply: sending again takes it over (routes/reply_guard.tsx). */
    lockedBy?: string;
  };
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
  sla: VNode | null;
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
    <select name={p.name}>
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
    showAll,
    guard,
    me,
    approvals,
  }: TicketPageProps,
) {
  const older = olderMessages(messages, showAll, imagesFor);
  return (
    <div class="ticket">
      <header class="ticket-head">
        <h1>
          <span class="muted">#{ticket.number}</span> {ticket.subject}
        </h1>
        <p>
          <span class={`badge status-${ticket.status}`}>{t(`status.${ticket.status}`)}</span>{" "}
          <a href={`/customers/${ticket.customerId}`}>{ticket.customerName}</a>{" "}
          &lt;{ticket.customerEmail}&gt; · {formatDateTime(ticket.createdAt, timeZone, locale)}{" "}
          ({elapsed(t, ticket.createdAt, now)})
        </p>
        <form method="post" action={`/tickets/${ticket.number}/status`} class="inline">
          <StatusSelect name="status" value={ticket.status} t={t} />
          <button type="submit">{t("ticket.changeStatus")}</button>
        </form>
        {sla}
        <CustomerLinkPanel t={t} ticketNumber={ticket.number} />
        <FollowUpPanel
          t={t}
          locale={locale}
          timeZone={timeZone}
          ticketNumber={ticket.number}
          followUp={followUp.at}
          error={followUp.error}
        />
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
        {messages.slice(older.length).map((m) => (
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
            autoFocus={draft.focus || !!draft.error}
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
    </div>
  );
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

async function showTicket(
  c: Ctx,
  ticket: Ticket,
  draft: TicketPageProps["draft"],
  status: 200 | 409 | 422 = 200,
) {
  const { store, now } = c.get("deps");
  const messages = withShownHtml(store, await listMessages(store.db, ticket.id));
  const guard = await replyGuardState(c, ticket);
  // Reopened: the agent's saved draft comes back, with the version it was written against.
  if (!draft.text && !draft.error && guard.own) {
    draft = { ...draft, text: guard.own.text, version: guard.own.version };
  }
  return renderPage(
    c,
    `#${ticket.number} ${ticket.subject}`,
    <TicketPage
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

/** Routes under /tickets/:number. */
export function ticketRoutes() {
  const app = new Hono<AppEnv>();

  app.get("/:number{[0-9]{1,15}}", async (c) => {
    const ticket = await ticketParam(c);
    if (!ticket) return c.notFound();
    // ?focus=reply survives the login redirect (a #fragment does not survive the login form).
    const focus = c.req.query("focus") === "reply";
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
    const { text, status, version, take_over } = reply.value;
    try {
      const outcome = await asAgent(c, (ctx) =>
        sendReply(ctx, {
          ticketId: ticket.id,
          text,
          status,
          expectedVersion: version,
          takeOver: take_over === "1",
        }));
      return c.redirect(
        outcome.kind === "sent"
          ? `/tickets/${ticket.number}#m${outcome.messageId}`
          : `/tickets/${ticket.number}?approval=requested#approval-${outcome.approvalId}`,
        303,
      );
    } catch (e) {
      if (!(e instanceof ConflictError)) throw e;
      const fresh = (await ticketParam(c))!;
      if (e.code === "locked") {
        // Held: a colleague writes the reply; sending this form again takes it over.
        const lockedBy = String((e.details.holder as { name: string }).name);
        return showTicket(c, fresh, { text, status, version, lockedBy }, 409);
      }
      if (e.code !== "stale") throw e;
      // Held: show the draft again under what is new, the form now at the current version.
      const stale = (e.details as { changes: { id: number }[] }).changes.map((m) => m.id);
      return showTicket(c, fresh, { text, status, stale, focus: false }, 409);
    }
  });

  app.post("/:number{[0-9]{1,15}}/status", async (c) => {
    const ticket = await ticketParam(c);
    if (!ticket) return c.notFound();
    const { status } = parseInput(StatusForm, await c.req.parseBody());
    await asAgent(c, (ctx) => changeStatus(ctx, { ticketId: ticket.id, status }));
    return c.redirect(`/tickets/${ticket.number}`, 303);
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
    return c.redirect(`/tickets/${ticket.number}#m${messageId}`, 303);
  });

  return app;
}
