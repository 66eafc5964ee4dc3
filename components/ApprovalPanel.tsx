/**
 * Approval (承認) on the ticket page: the ticket's requests — waiting, returned with the
 * supervisor's comment, or approved (with the edited text beside the original) — and, for a
 * supervisor, approve / edit-and-approve / return forms. Plain forms, no JavaScript needed.
 */
import type { ApprovalRequest } from "../db/approvals.ts";
import { approvalReasonsText } from "./approval_reasons.ts";
import type { Translate } from "../domain/i18n/mod.ts";

export interface ApprovalPanelProps {
  t: Translate;
  requests: ApprovalRequest[];
  /** The viewer approves (admin or supervisor). */
  approver: boolean;
  /** What each request sends besides its text: To/Cc/Bcc as written and file names. */
  payloads?: Map<number, { to: string; cc: string; bcc: string; files: string[] }>;
}

export function ApprovalPanel({ t, requests, approver, payloads }: ApprovalPanelProps) {
  const shown = requests.filter((r) =>
    r.status === "pending" || r.status === "returned" ||
    r.approvedText !== null
  );
  if (shown.length === 0) return null;
  return (
    <section class="approvals">
      {shown.map((r) => (
        <div class={`approval approval-${r.status}`} id={`approval-${r.id}`}>
          <p>
            <span class={`badge approval-${r.status}`}>{t(`approval.status.${r.status}`)}</span>
            {" "}
            {t("approval.by", { name: r.agentName })}
            {r.status === "pending" && r.reasons.length > 0 && (
              <span class="muted small">
                {` (${t("approval.reasons")}: ${approvalReasonsText(t, r.reasons)})`}
              </span>
            )}
          </p>
          {payloads?.get(r.id) && <PayloadLines t={t} payload={payloads.get(r.id)!} />}
          {r.status === "returned" && r.comment && (
            <p class="approval-comment">{t("approval.comment", { comment: r.comment })}</p>
          )}
          {r.approvedText !== null
            ? (
              <div class="approval-diff">
                <div>
                  <h4>{t("approval.original")}</h4>
                  <pre>{r.text}</pre>
                </div>
                <div>
                  <h4>{t("approval.edited")}</h4>
                  <pre>{r.approvedText}</pre>
                </div>
              </div>
            )
            : <pre>{r.text}</pre>}
          {approver && r.status === "pending" && (
            <div class="approval-actions">
              <form method="post" action={`/approvals/${r.id}/approve`}>
                <label>
                  {t("approval.editLabel")}
                  <textarea name="text" rows={5}>{r.text}</textarea>
                </label>
                <button type="submit">{t("approval.approve")}</button>
              </form>
              <form method="post" action={`/approvals/${r.id}/return`}>
                <label>
                  {t("approval.returnLabel")}
                  <input name="comment" required maxLength={10_000} />
                </label>
                <button type="submit" class="secondary">{t("approval.return")}</button>
              </form>
            </div>
          )}
        </div>
      ))}
    </section>
  );
}

function PayloadLines(
  { t, payload }: {
    t: Translate;
    payload: { to: string; cc: string; bcc: string; files: string[] };
  },
) {
  const lines = [
    [t("composer.to"), payload.to],
    [t("composer.cc"), payload.cc],
    [t("composer.bcc"), payload.bcc],
    [t("composer.attachments"), payload.files.join(", ")],
  ].filter(([, v]) => v !== "");
  return (
    <dl class="recipients muted small">
      {lines.map(([label, value]) => (
        <div key={label}>
          <dt>{label}:</dt> <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}
