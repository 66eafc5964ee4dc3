/** What an approval request sends besides its text: recipients and files (migration 0025). */
import type { Db, Tx } from "./client.ts";
import type { MailAddress } from "../domain/inbound_message.ts";

export interface ApprovalPayload {
  /** null: a request filed before 0025, sent reply-all. */
  recipients: { to: MailAddress[]; cc: MailAddress[]; bcc: MailAddress[] } | null;
  attachments: { filename: string; contentType: string; content: Uint8Array }[];
}

/** Stores a request's recipients and files. */
export async function saveApprovalPayload(
  tx: Tx,
  approvalId: number,
  p: ApprovalPayload,
): Promise<void> {
  await tx.updateTable("approval_requests")
    .set({ recipients_json: p.recipients && JSON.stringify(p.recipients) })
    .where("id", "=", approvalId).execute();
  if (p.attachments.length === 0) return;
  await tx.insertInto("approval_attachments").values(p.attachments.map((a) => ({
    approval_id: approvalId,
    filename: a.filename,
    content_type: a.contentType,
    size: a.content.byteLength,
    content: a.content,
  }))).execute();
}

/** A request's recipients and files (with their bytes). */
export async function findApprovalPayload(
  db: Db | Tx,
  approvalId: number,
): Promise<ApprovalPayload> {
  const row = await db.selectFrom("approval_requests").select("recipients_json")
    .where("id", "=", approvalId).executeTakeFirst();
  const files = await db.selectFrom("approval_attachments")
    .select(["filename", "content_type", "content"]).where("approval_id", "=", approvalId)
    .orderBy("id").execute();
  return {
    recipients: row?.recipients_json ? JSON.parse(row.recipients_json) : null,
    attachments: files.map((f) => ({
      filename: f.filename,
      contentType: f.content_type,
      content: new Uint8Array(f.content),
    })),
  };
}

/** What a request will send, for showing it: recipients and file names (no bytes). */
export interface ApprovalPayloadSummary {
  recipients: ApprovalPayload["recipients"];
  files: string[];
}

/** The summaries of requests by id. */
export async function listApprovalPayloadSummaries(
  db: Db | Tx,
  approvalIds: readonly number[],
): Promise<Map<number, ApprovalPayloadSummary>> {
  const out = new Map<number, ApprovalPayloadSummary>();
  if (approvalIds.length === 0) return out;
  const rows = await db.selectFrom("approval_requests").select(["id", "recipients_json"])
    .where("id", "in", approvalIds).execute();
  for (const r of rows) {
    out.set(r.id, {
      recipients: r.recipients_json ? JSON.parse(r.recipients_json) : null,
      files: [],
    });
  }
  const files = await db.selectFrom("approval_attachments").select(["approval_id", "filename"])
    .where("approval_id", "in", approvalIds).orderBy("id").execute();
  for (const f of files) out.get(f.approval_id)?.files.push(f.filename);
  return out;
}
