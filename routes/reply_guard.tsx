/**
 * The ticket page's reply guards: POST /tickets/:number/draft (save as you type; empty discards),
 * /draft/discard, /presence (who views or writes; beats from the ReplyGuard island), /take-over
 * (take the reply from a colleague, confirmed). Each answers JSON to the island (Accept:
 * application/json) and a 303 back to the ticket to a plain form.
 */
import { Hono } from "hono";
import type { Ticket } from "../db/tickets.ts";
import { listReplyDrafts } from "../db/reply_drafts.ts";
import { discardDraft, saveDraft } from "../services/drafts.ts";
import { claimReply, type ReplyHolder, replyHolder } from "../services/reply_lock.ts";
import { beatPresence } from "../services/presence.ts";
import { presenceOf } from "../db/presence.ts";
import { oneOf, parseInput, text, v, wholeNumber } from "../domain/validation.ts";
import { ReplyGuardPanel } from "../components/ReplyGuardPanel.tsx";
import { SEND_DELAYS } from "../components/SendDelayForm.tsx";
import { cancelReply, setSendDelay } from "../services/undo_send.ts";
import { type AppEnv, asAgent, assertAgent, type Ctx, nowOf } from "./state.ts";
import { ticketParam } from "./params.ts";
import { messagesAfter } from "./live_thread.tsx";

const DraftForm = v.object({
  text: text({ multiline: true, max: 1_000_000 }),
  version: wholeNumber({ min: 0, max: Number.MAX_SAFE_INTEGER, required: true }),
});

const SendDelayForm = v.object({
  seconds: v.pipe(
    wholeNumber({ min: 0, max: 60, required: true }),
    v.check((n) => (SEND_DELAYS as readonly number[]).includes(n), "is not offered"),
  ),
});

const PresenceForm = v.object({
  state: oneOf(["viewing", "writing", "gone"] as const, { required: true }),
});

function wantsJson(c: Ctx): boolean {
  return /application\/json/.test(c.req.header("accept") ?? "");
}

function holderJson(holder: ReplyHolder | null) {
  return holder && { id: holder.agentId, name: holder.name, reason: holder.reason };
}

/** The agent's own saved draft and the reply panel (presence, colleagues' drafts, the holder). */
export async function replyGuardState(c: Ctx, ticket: Ticket) {
  const me = assertAgent(c);
  const { store } = c.get("deps");
  const at = nowOf(c);
  // Kept while nothing is committed (db/read_memo.ts); locks and presence expire with time alone:
  // per second.
  const [drafts, holder, presence] = await store.memo(
    `reply-guard\n${ticket.id}\n${Math.floor(at / 1000)}`,
    () =>
      Promise.all([
        listReplyDrafts(store.db, ticket.id),
        replyHolder(store.db, ticket.id, at),
        presenceOf(store.db, [ticket.id], at),
      ]),
  );
  const own = drafts.find((d) => d.agentId === me.id);
  const t = c.get("t");
  const panel = (
    <ReplyGuardPanel
      number={ticket.number}
      version={ticket.version}
      me={me.id}
      people={presence.get(ticket.id) ?? []}
      drafts={drafts.filter((d) => d.agentId !== me.id).map((d) => ({
        id: d.agentId,
        name: d.agentName,
      }))}
      writer={holder && holder.agentId !== me.id ? { id: holder.agentId, name: holder.name } : null}
      texts={{
        viewing: t("guard.presence.viewing"),
        writing: t("guard.presence.writing"),
        drafts: t("guard.drafts"),
        person: t("guard.person"),
        separator: t("guard.separator"),
        changed: t("guard.live.changed"),
        reload: t("guard.live.reload"),
        takeOver: t("guard.lock.takeOver"),
        takeOverConfirm: t("guard.lock.confirm"),
        saved: t("guard.draft.saved"),
      }}
    />
  );
  return { panel, own: own ? { text: own.text, version: own.version } : null };
}

async function loadTicket(c: Ctx): Promise<Ticket | undefined> {
  return await ticketParam(c);
}

/** Routes under /tickets/:number for drafts, presence and the reply lock. */
export function replyGuardRoutes() {
  const app = new Hono<AppEnv>();

  app.post("/:number{[0-9]{1,15}}/draft", async (c) => {
    const ticket = await loadTicket(c);
    if (!ticket) return c.notFound();
    const form = parseInput(DraftForm, await c.req.parseBody());
    const { holder } = await asAgent(
      c,
      (ctx) =>
        saveDraft(ctx, { ticketId: ticket.id, text: form.text ?? "", version: form.version }),
    );
    if (wantsJson(c)) return c.json({ saved: true, holder: holderJson(holder) });
    return c.redirect(`/tickets/${ticket.number}#reply`, 303);
  });

  app.post("/:number{[0-9]{1,15}}/draft/discard", async (c) => {
    const ticket = await loadTicket(c);
    if (!ticket) return c.notFound();
    await asAgent(c, (ctx) => discardDraft(ctx, ticket.id));
    if (wantsJson(c)) return c.json({ discarded: true });
    return c.redirect(`/tickets/${ticket.number}`, 303);
  });

  app.post("/:number{[0-9]{1,15}}/presence", async (c) => {
    const ticket = await loadTicket(c);
    if (!ticket) return c.notFound();
    const me = assertAgent(c);
    const { state } = parseInput(PresenceForm, await c.req.parseBody());
    const holder = await asAgent(c, async (ctx) => {
      await beatPresence(ctx, { ticketId: ticket.id, state });
      // Writing keeps the reply lock fresh (or takes it when free); never takes it from someone.
      return state === "writing" ? (await claimReply(ctx, { ticketId: ticket.id })).holder : null;
    });
    const people = await presenceOf(c.get("deps").store.db, [ticket.id], nowOf(c));
    return c.json({
      people: (people.get(ticket.id) ?? []).filter((p) => p.id !== me.id || state !== "gone"),
      holder: holderJson(holder),
    });
  });

  // The live ticket page's new messages (routes/live_thread.tsx).
  app.get("/:number{[0-9]{1,15}}/messages/after/:version{[0-9]{1,15}}", messagesAfter);

  app.post("/:number{[0-9]{1,15}}/take-over", async (c) => {
    const ticket = await loadTicket(c);
    if (!ticket) return c.notFound();
    await asAgent(c, (ctx) => claimReply(ctx, { ticketId: ticket.id, takeOver: true }));
    if (wantsJson(c)) return c.json({ holder: null });
    return c.redirect(`/tickets/${ticket.number}#reply`, 303);
  });

  app.post("/:number{[0-9]{1,15}}/messages/:id{[0-9]{1,15}}/cancel", async (c) => {
    const ticket = await loadTicket(c);
    if (!ticket) return c.notFound();
    const messageId = Number(c.req.param("id"));
    await asAgent(c, (ctx) => cancelReply(ctx, { ticketId: ticket.id, messageId }));
    return c.redirect(`/tickets/${ticket.number}#reply`, 303);
  });

  return app;
}

/** POST /settings/send-delay: the agent's own send delay (送信取消). */
export function sendDelayRoutes() {
  const app = new Hono<AppEnv>();
  app.post("/", async (c) => {
    const { seconds } = parseInput(SendDelayForm, await c.req.parseBody());
    await asAgent(c, (ctx) => setSendDelay(ctx, seconds));
    return c.redirect("/settings/profile?saved=1", 303);
  });
  return app;
}
