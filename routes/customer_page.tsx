/**
 * The customer's page, /c/<token>: reached by the unguessable link in our mail (or after the
 * status check), it shows that ticket's conversation — never internal notes — and takes replies
 * with attachments. Unknown links are 404, revoked or expired ones 410, each with a way on.
 *
 * The token is looked up by its SHA-256: an index comparison can only leak how a hash of the
 * attacker's guess relates to stored hashes, which says nothing about any working token.
 */
import { Hono } from "hono";
import { findCustomerLink, type LinkedTicket } from "../db/customer_access.ts";
import { findAttachment, listMessages, PAGE_BODY_BUDGET } from "../db/messages.ts";
import { withShownHtml } from "./message_html.ts";
import { findTicket } from "../db/tickets.ts";
import { customerLinkState, visibleToCustomer } from "../domain/customer_link_policy.ts";
import { issueFormToken, verifyFormToken } from "../domain/form_token.ts";
import { MAX_LENGTH, Uploads } from "../domain/inquiry_form.ts";
import { checkInput, localized, text, v } from "../domain/validation.ts";
import { createRateLimiter } from "./rate_limiter.ts";
import { hashSecret } from "../domain/tokens.ts";
import { addCustomerWebReply } from "../services/customer_tickets.ts";
import { CustomerMessage } from "../components/CustomerLayout.tsx";
import { renderCustomerPage } from "./render.tsx";
import { CustomerTicketPage } from "../components/CustomerTicketPage.tsx";
import { attachmentHeaders } from "./attachments.ts";
import {
  describeFiles,
  formKey,
  readFormBody,
  toAttachments,
  uploadLimit,
} from "./customer_form.tsx";
import { clientIp } from "./login_guard.ts";
import { type AppEnv, asCustomer, type Ctx, nowOf } from "./state.ts";

/** Replies one address may post per hour. */
export const REPLY_POSTS_PER_HOUR = 30;

type Resolved = { kind: "ok"; link: LinkedTicket } | { kind: "unknown" | "gone" };

async function resolveLink(c: Ctx): Promise<Resolved> {
  const token = c.req.param("token") ?? "";
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) return { kind: "unknown" };
  const { store, now } = c.get("deps");
  const link = await findCustomerLink(store.db, await hashSecret(token));
  if (!link) return { kind: "unknown" };
  const state = customerLinkState(link, link, (now ?? Date.now)());
  return state === "valid" ? { kind: "ok", link } : { kind: "gone" };
}

function deadLink(c: Ctx, kind: "unknown" | "gone") {
  const t = c.get("t");
  const title = t(kind === "gone" ? "portal.linkGone" : "portal.linkUnknown");
  return renderCustomerPage(
    c,
    title,
    <CustomerMessage
      title={title}
      text={t(kind === "gone" ? "portal.linkGoneText" : "portal.linkUnknownText")}
      link={{ href: "/status", label: t("portal.toStatus") }}
    />,
    { status: kind === "gone" ? 410 : 404, private: true },
  );
}

async function showPage(
  c: Ctx,
  link: LinkedTicket,
  draft: { text: string; error?: string } = { text: "" },
  status: 200 | 422 | 429 = 200,
) {
  const t = c.get("t");
  const { store, config, now } = c.get("deps");
  const ticket = (await findTicket(store.db, link.ticketId))!;
  const messages = withShownHtml(
    store,
    (await listMessages(store.db, ticket.id, { bodyBudget: PAGE_BODY_BUDGET }))
      .filter(visibleToCustomer),
  );
  const formToken = await issueFormToken(
    await formKey(c),
    `reply:${ticket.id}`,
    (now ?? Date.now)(),
  );
  return renderCustomerPage(
    c,
    t("portal.title", { number: ticket.number }),
    <CustomerTicketPage
      t={t}
      locale={c.get("locale")}
      timeZone={config.timeZone}
      supportName={config.fromName}
      ticket={ticket}
      messages={messages}
      path={c.req.path.replace(/\/$/, "")}
      formToken={formToken}
      draft={draft}
      notice={c.req.query("sent") === "1" ? t("portal.sent") : undefined}
    />,
    { status, private: true },
  );
}

/** A customer's reply: text, files, or both. */
const ReplyForm = v.pipe(
  v.object({
    text: text({ max: MAX_LENGTH.text, multiline: true }),
    attachments: Uploads,
  }),
  v.forward(
    v.check(
      (r) => r.text !== undefined || r.attachments.length > 0,
      localized("portal.replyEmpty"),
    ),
    ["text"],
  ),
);

/** Routes under /c. */
export function customerPageRoutes() {
  const app = new Hono<AppEnv>();
  const limiter = createRateLimiter(REPLY_POSTS_PER_HOUR, 3600_000);

  // A link cut off before its token: the status check is the way in.
  app.get("/", (c) => c.redirect("/status", 303));

  app.get("/:token", async (c) => {
    const r = await resolveLink(c);
    return r.kind === "ok" ? showPage(c, r.link) : deadLink(c, r.kind);
  });

  app.post("/:token", uploadLimit({ private: true }), async (c) => {
    const r = await resolveLink(c);
    if (r.kind !== "ok") return deadLink(c, r.kind);
    const t = c.get("t");
    const at = nowOf(c);
    if (!limiter.attempt(clientIp(c), at)) {
      return showPage(c, r.link, { text: "", error: t("inquiry.limited") }, 429);
    }
    const body = await readFormBody(c);
    const posted = { text: body.fields.text, attachments: describeFiles(body.files) };
    const reply = checkInput(ReplyForm, posted, t);
    const token = body.fields.form_token ?? "";
    const check = await verifyFormToken(await formKey(c), token, `reply:${r.link.ticketId}`, at);
    // One message above the box: the files' problem first, then the text's, then the token's.
    const error = reply.ok
      ? (check === "ok" ? undefined : t("inquiry.expired"))
      : reply.fields.attachments ?? reply.fields.text;
    if (!reply.ok || error) {
      const reattach = body.files.length > 0 ? ` ${t("inquiry.reattach")}` : "";
      return showPage(c, r.link, { text: body.fields.text ?? "", error: error + reattach }, 422);
    }
    const { text } = reply.value;
    const attachments = await toAttachments(body.files);
    const result = await asCustomer(
      c,
      (ctx) =>
        addCustomerWebReply(ctx, {
          ticketId: r.link.ticketId,
          text: text ?? "",
          attachments,
          formToken: token,
        }),
    );
    return c.redirect(`/c/${c.req.param("token")}?sent=1#m${result.messageId}`, 303);
  });

  app.get("/:token/attachments/:id{[0-9]{1,15}}", async (c) => {
    const r = await resolveLink(c);
    if (r.kind !== "ok") return deadLink(c, r.kind);
    const { store } = c.get("deps");
    const id = Number(c.req.param("id"));
    const visible = (await listMessages(store.db, r.link.ticketId, {
      bodyBudget: PAGE_BODY_BUDGET,
    })).filter(visibleToCustomer);
    if (!visible.some((m) => m.attachments.some((a) => a.id === id))) return deadLink(c, "unknown");
    const att = (await findAttachment(store.db, id))!;
    return c.body(new Uint8Array(att.content), 200, attachmentHeaders(att));
  });

  return app;
}
