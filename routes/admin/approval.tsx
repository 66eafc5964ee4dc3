/**
 * Admin: 返信の承認 (/admin/approval) — the first-N-replies rule for new agents (globally, with a
 * per-department override), the departments and the agents whose every reply waits. One form,
 * one save (services/approval_policy.ts).
 */
import { Hono } from "hono";
import {
  type AgentApproval,
  type DepartmentApproval,
  findGlobalFirstReplies,
  listAgentApproval,
  listDepartmentApproval,
} from "../../db/approval_policy.ts";
import { isApprover } from "../../domain/approval.ts";
import type { Translate } from "../../domain/i18n/mod.ts";
import { ValidationError } from "../../domain/errors.ts";
import { MAX_FIRST_REPLIES, setApprovalPolicy } from "../../services/approval_policy.ts";
import { renderPage } from "../render.tsx";
import { type AppEnv, asAgent, type Ctx } from "../state.ts";

interface ApprovalAdminProps {
  t: Translate;
  firstReplies: number;
  departments: DepartmentApproval[];
  agents: AgentApproval[];
  saved: boolean;
}

function ApprovalAdmin({ t, firstReplies, departments, agents, saved }: ApprovalAdminProps) {
  const max = String(MAX_FIRST_REPLIES);
  return (
    <section class="approval-admin">
      <h1>{t("approvalAdmin.title")}</h1>
      {saved && <p class="notice" role="status">{t("approvalAdmin.saved")}</p>}
      <p class="muted">{t("approvalAdmin.intro")}</p>
      <form method="post" action="/admin/approval" class="card">
        <label>
          {t("approvalAdmin.firstReplies")}{" "}
          <span class="inline-number">
            <input
              name="first_replies"
              type="number"
              inputMode="numeric"
              min="0"
              max={max}
              value={String(firstReplies)}
              aria-describedby="first-replies-help"
            />{" "}
            {t("approvalAdmin.replies")}
          </span>
        </label>
        <p id="first-replies-help" class="muted small">{t("approvalAdmin.firstRepliesHelp")}</p>

        <h2>{t("approvalAdmin.departments")}</h2>
        <p class="muted small">{t("approvalAdmin.deptFirstHelp")}</p>
        <div class="table-scroll">
          <table class="approval-table">
            <thead>
              <tr>
                <th>{t("approvalAdmin.department")}</th>
                <th>{t("approvalAdmin.always")}</th>
                <th>{t("approvalAdmin.firstShort")}</th>
              </tr>
            </thead>
            <tbody>
              {departments.map((d) => (
                <tr key={d.id}>
                  <th scope="row">{d.name}</th>
                  <td>
                    <input
                      type="checkbox"
                      name={`dept_all_${d.id}`}
                      checked={d.requiresApproval}
                      aria-label={`${d.name}: ${t("approvalAdmin.deptAll")}`}
                    />
                  </td>
                  <td>
                    <input
                      name={`dept_first_${d.id}`}
                      type="number"
                      inputMode="numeric"
                      min="0"
                      max={max}
                      class="short"
                      value={d.firstReplies === null ? "" : String(d.firstReplies)}
                      aria-label={`${d.name}: ${t("approvalAdmin.deptFirst")}`}
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>

        <h2>{t("approvalAdmin.agents")}</h2>
        <p class="muted small">{t("approvalAdmin.agentsHelp")}</p>
        <div class="table-scroll">
          <table class="approval-table">
            <thead>
              <tr>
                <th>{t("approvalAdmin.agent")}</th>
                <th>{t("approvalAdmin.always")}</th>
                <th class="num">{t("approvalAdmin.sent")}</th>
              </tr>
            </thead>
            <tbody>
              {agents.map((a) => (
                <tr key={a.id}>
                  <th scope="row">{a.name}</th>
                  <td>
                    {isApprover(a.role)
                      ? <span class="muted small">{t("approvalAdmin.approver")}</span>
                      : (
                        <input
                          type="checkbox"
                          name={`agent_all_${a.id}`}
                          checked={a.requiresApproval}
                          aria-label={`${a.name}: ${t("approvalAdmin.agentAll")}`}
                        />
                      )}
                  </td>
                  <td class="num">{a.repliesSent}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <p class="form-actions">
          <button type="submit">{t("approvalAdmin.save")}</button>
        </p>
      </form>
    </section>
  );
}

/** A whole number in range, or null for a blank field (only where blank is allowed). */
function count(t: Translate, raw: unknown, field: string, blank: boolean): number | null {
  const s = typeof raw === "string" ? raw.trim() : "";
  if (s === "" && blank) return null;
  const n = Number(s);
  if (!/^\d{1,4}$/.test(s) || n > MAX_FIRST_REPLIES) {
    throw new ValidationError("The number of replies is out of range", {
      [field]: t("approvalAdmin.badNumber"),
    });
  }
  return n;
}

async function page(c: Ctx) {
  const t = c.get("t");
  const { db } = c.get("deps").store;
  const [firstReplies, departments, agents] = await Promise.all([
    findGlobalFirstReplies(db),
    listDepartmentApproval(db),
    listAgentApproval(db),
  ]);
  return renderPage(
    c,
    t("approvalAdmin.title"),
    <ApprovalAdmin
      t={t}
      firstReplies={firstReplies}
      departments={departments}
      agents={agents}
      saved={c.req.query("saved") === "1"}
    />,
  );
}

/** Routes under /admin/approval. */
export function approvalAdminRoutes() {
  const app = new Hono<AppEnv>();
  app.get("/", (c) => page(c));
  app.post("/", async (c) => {
    const t = c.get("t");
    const form = await c.req.parseBody();
    const { db } = c.get("deps").store;
    // Every row shown is saved: an unchecked box is absent from the form, so it means "off".
    const [departments, agents] = await Promise.all([
      listDepartmentApproval(db),
      listAgentApproval(db),
    ]);
    const input = {
      firstReplies: count(t, form.first_replies, "first_replies", false)!,
      departments: departments.map((d) => ({
        id: d.id,
        requiresApproval: form[`dept_all_${d.id}`] === "on",
        firstReplies: count(t, form[`dept_first_${d.id}`], `dept_first_${d.id}`, true),
      })),
      agents: agents.filter((a) => !isApprover(a.role)).map((a) => ({
        id: a.id,
        requiresApproval: form[`agent_all_${a.id}`] === "on",
      })),
    };
    await asAgent(c, (ctx) => setApprovalPolicy(ctx, input));
    return c.redirect("/admin/approval?saved=1", 303);
  });
  return app;
}
