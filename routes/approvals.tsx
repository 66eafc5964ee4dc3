/** /approvals: the 承認待ち folder (supervisors) and the approve / return forms. */
import { Hono } from "hono";
import { approvalReasonsText } from "../components/approval_reasons.ts";
import { findApprovalRequest, listPendingApprovals, listTicketApprovals } from "../db/approvals.ts";
import { approveRequest, returnRequest } from "../services/approvals.ts";
import { isApprover } from "../domain/approval.ts";
import { ForbiddenError, NotFoundError } from "../domain/errors.ts";
import { parseInput, text, v } from "../domain/validation.ts";
import { ApprovalPanel } from "../components/ApprovalPanel.tsx";
import { listApprovalPayloadSummaries } from "../db/approval_payload.ts";
import { formatField } from "../domain/recipients.ts";
import { formatDateTime } from "../components/render.tsx";
import { renderPage } from "./render.tsx";
import { type AppEnv, asAgent, assertAgent, type Ctx, displayTimeZone } from "./state.ts";

const ApproveForm = v.object({ text: text({ multiline: true, max: 1_000_000 }) });
const ReturnForm = v.object({ comment: text({ required: true, multiline: true, max: 10_000 }) });

function approverOnly(c: Ctx) {
  if (!isApprover(assertAgent(c).role)) throw new ForbiddenError("Only supervisors approve");
}

/** The ticket page's approval panel (null when the ticket has no requests to show). */
export async function approvalPanel(c: Ctx, ticketId: number) {
  const { store } = c.get("deps");
  // Kept while nothing is committed (db/read_memo.ts): read on every view of the ticket.
  const [requests, summaries] = await store.memo(`approvals\n${ticketId}`, async () => {
    const requests = await listTicketApprovals(store.db, ticketId);
    if (requests.length === 0) return [requests, new Map()] as const;
    return [
      requests,
      await listApprovalPayloadSummaries(store.db, requests.map((r) => r.id)),
    ] as const;
  });
  if (requests.length === 0) return null;
  const payloads = new Map(
    [...summaries].map(([id, s]) => [id, {
      to: formatField(s.recipients?.to ?? []),
      cc: formatField(s.recipients?.cc ?? []),
      bcc: formatField(s.recipients?.bcc ?? []),
      files: s.files,
    }]),
  );
  return (
    <ApprovalPanel
      t={c.get("t")}
      requests={requests}
      approver={isApprover(assertAgent(c).role)}
      payloads={payloads}
    />
  );
}

/** Routes under /approvals. */
export function approvalRoutes() {
  const app = new Hono<AppEnv>();

  app.get("/", async (c) => {
    approverOnly(c);
    const t = c.get("t");
    const pending = await listPendingApprovals(c.get("deps").store.db);
    const zone = displayTimeZone(c);
    return renderPage(
      c,
      t("approval.title"),
      <section>
        <h1>
          {t("approval.title")} <span class="muted">({pending.length})</span>
        </h1>
        {pending.length === 0 ? <p class="empty">{t("approval.empty")}</p> : (
          <table class="tickets">
            <thead>
              <tr>
                <th>#</th>
                <th>{t("inbox.subject")}</th>
                <th>{t("approval.author")}</th>
                <th>{t("approval.reasons")}</th>
                <th>{t("inbox.updated")}</th>
              </tr>
            </thead>
            <tbody>
              {pending.map((r) => (
                <tr>
                  <td class="num">{r.ticketNumber}</td>
                  <td>
                    <a href={`/tickets/${r.ticketNumber}#approval-${r.id}`}>{r.ticketSubject}</a>
                  </td>
                  <td>{r.agentName}</td>
                  <td>{approvalReasonsText(t, r.reasons)}</td>
                  <td>{formatDateTime(r.createdAt, zone, c.get("locale"))}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>,
    );
  });

  app.post("/:id{[0-9]{1,15}}/approve", async (c) => {
    const id = Number(c.req.param("id"));
    const { text } = parseInput(ApproveForm, await c.req.parseBody());
    const request = await findApprovalRequest(c.get("deps").store.db, id);
    if (!request) throw new NotFoundError("No such approval request");
    const { messageId } = await asAgent(c, (ctx) => approveRequest(ctx, { id, text }));
    return c.redirect(`/tickets/${request.ticketNumber}#m${messageId}`, 303);
  });

  app.post("/:id{[0-9]{1,15}}/return", async (c) => {
    const id = Number(c.req.param("id"));
    const { comment } = parseInput(ReturnForm, await c.req.parseBody());
    const request = await findApprovalRequest(c.get("deps").store.db, id);
    if (!request) throw new NotFoundError("No such approval request");
    await asAgent(c, (ctx) => returnRequest(ctx, { id, comment }));
    return c.redirect(`/tickets/${request.ticketNumber}#approval-${id}`, 303);
  });

  return app;
}
