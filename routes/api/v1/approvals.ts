/**
 * /api/v1/approvals (supervisors: pending replies). The approval flags of agents and departments
 * are set through PATCH /api/v1/agents/:id and /api/v1/departments/:id (team.ts).
 */
import { Hono } from "hono";
import { findApprovalRequest, listPendingApprovals } from "../../../db/approvals.ts";
import type { ApprovalRequest } from "../../../db/approvals.ts";
import { approveRequest, returnRequest } from "../../../services/approvals.ts";
import { isApprover } from "../../../domain/approval.ts";
import { ForbiddenError } from "../../../domain/errors.ts";
import { text, v } from "../../../domain/validation.ts";
import { type AppEnv, asAgent, assertAgent } from "../../state.ts";
import { readJson } from "./validate.ts";
import {
  type ApprovalPayloadSummary,
  listApprovalPayloadSummaries,
} from "../../../db/approval_payload.ts";
import type { Db } from "../../../db/client.ts";

const Approve = v.object({ text: text({ multiline: true, max: 1_000_000 }) });
const Return = v.object({ comment: text({ required: true, multiline: true, max: 10_000 }) });

/** Requests as the API shows them, each with its recipients and file names. */
export async function approvalsJson(db: Db, requests: ApprovalRequest[]) {
  const payloads = await listApprovalPayloadSummaries(db, requests.map((r) => r.id));
  return requests.map((r) => approvalJson(r, payloads.get(r.id)));
}

const iso = (ms: number | null) => ms === null ? null : new Date(ms).toISOString();

/** An approval request as the API shows it, with what it will send when its payload is given. */
export function approvalJson(a: ApprovalRequest, payload?: ApprovalPayloadSummary) {
  return {
    ...payload && {
      // null: filed before recipients were kept; sent reply-all.
      to: payload.recipients?.to ?? null,
      cc: payload.recipients?.cc ?? null,
      bcc: payload.recipients?.bcc ?? null,
      attachments: payload.files.map((filename) => ({ filename })),
    },
    id: a.id,
    ticket: { number: a.ticketNumber, subject: a.ticketSubject },
    author: { id: a.agentId, name: a.agentName },
    text: a.text,
    approved_text: a.approvedText,
    reply_status: a.replyStatus,
    reasons: a.reasons,
    status: a.status,
    comment: a.comment,
    message_id: a.messageId,
    created_at: iso(a.createdAt),
    decided_at: iso(a.decidedAt),
  };
}

/** Routes under /api/v1/approvals. */
export function approvalApiRoutes() {
  const app = new Hono<AppEnv>();
  app.use(async function approversOnly(c, next) {
    if (!isApprover(assertAgent(c).role)) throw new ForbiddenError("Only supervisors approve");
    await next();
  });

  app.get("/", async (c) => {
    const { db } = c.get("deps").store;
    const pending = await listPendingApprovals(db);
    return c.json({ approvals: await approvalsJson(db, pending), count: pending.length });
  });

  app.post("/:id{[0-9]{1,15}}/approve", async (c) => {
    const id = Number(c.req.param("id"));
    const body = await readJson(c, Approve);
    await asAgent(c, (ctx) => approveRequest(ctx, { id, text: body.text }));
    const { db } = c.get("deps").store;
    return c.json((await approvalsJson(db, [(await findApprovalRequest(db, id))!]))[0]);
  });

  app.post("/:id{[0-9]{1,15}}/return", async (c) => {
    const id = Number(c.req.param("id"));
    const { comment } = await readJson(c, Return);
    await asAgent(c, (ctx) => returnRequest(ctx, { id, comment }));
    const { db } = c.get("deps").store;
    return c.json((await approvalsJson(db, [(await findApprovalRequest(db, id))!]))[0]);
  });

  return app;
}
