/**
 * Admin: 受信アドレス・自動割り当て (/admin/assignment) — per department, the addresses it receives,
 * how new tickets are assigned, and the From name, reply address and signature of its replies.
 */
import { Hono } from "hono";
import type { Department } from "../../db/departments.ts";
import { listDepartments } from "../../db/departments.ts";
import { type AgentRecord, listAgents } from "../../db/agents.ts";
import { findAssignmentRule } from "../../db/assignment.ts";
import {
  type DepartmentIdentity,
  findDepartmentIdentity,
  listDepartmentAddresses,
} from "../../db/department_addresses.ts";
import { ASSIGNMENT_MODES, isAssignmentMode } from "../../domain/assignment.ts";
import { ValidationError } from "../../domain/errors.ts";
import { EMAIL_ADDRESS } from "../../domain/email_address.ts";
import type { Translate } from "../../domain/i18n/mod.ts";
import { changeTeamDepartment } from "../../services/departments.ts";
import { renderPage } from "../render.tsx";
import { type AppEnv, asAgent } from "../state.ts";
import { intParam } from "../params.ts";

interface DepartmentTeamSettings {
  department: Department;
  addresses: string[];
  mode: string;
  firstReceiverId: number | null;
  preferLastAgent: boolean;
  identity: DepartmentIdentity;
}

function DepartmentCard(
  { t, s, agents }: { t: Translate; s: DepartmentTeamSettings; agents: AgentRecord[] },
) {
  const members = agents.filter((a) => !a.disabled);
  return (
    <form
      method="post"
      action={`/admin/assignment/${s.department.id}`}
      class="card"
      data-department={s.department.slug}
    >
      <h2>{s.department.name}</h2>
      <label>
        {t("team.dept.addresses")}
        <textarea name="addresses" rows={2}>{s.addresses.join("\n")}</textarea>
      </label>
      <label>
        {t("team.dept.assignment")}{" "}
        <select name="assignment">
          {ASSIGNMENT_MODES.map((m) => (
            <option key={m} value={m} selected={s.mode === m}>{t(`team.mode.${m}`)}</option>
          ))}
        </select>
      </label>
      <label>
        {t("team.dept.firstReceiver")}{" "}
        <select name="first_receiver_id">
          <option value="">—</option>
          {members.map((a) => (
            <option key={a.id} value={a.id} selected={s.firstReceiverId === a.id}>{a.name}</option>
          ))}
        </select>
      </label>
      <label class="inline">
        <input type="checkbox" name="prefer_last_agent" value="1" checked={s.preferLastAgent} />
        {" "}
        {t("team.dept.preferLast")}
      </label>
      <label>
        {t("team.dept.fromName")}
        <input name="from_name" value={s.identity.fromName ?? ""} maxLength={100} />
      </label>
      <label>
        {t("team.dept.replyAddress")}
        <input name="reply_address" type="email" value={s.identity.replyAddress ?? ""} />
      </label>
      <label>
        {t("team.dept.signature")}
        <textarea name="signature" rows={3}>{s.identity.signature ?? ""}</textarea>
      </label>
      <button type="submit">{t("team.agents.save")}</button>
    </form>
  );
}

const blank = (x: unknown) => String(x ?? "").trim() || null;

/** Routes under /admin/assignment. */
export function assignmentAdminRoutes() {
  const app = new Hono<AppEnv>();

  app.get("/", async (c) => {
    const t = c.get("t");
    const { db } = c.get("deps").store;
    const [departments, agents] = await Promise.all([listDepartments(db), listAgents(db)]);
    const settings = await Promise.all(departments.map(async (department) => {
      const rule = (await findAssignmentRule(db, department.id))!;
      return {
        department,
        addresses: await listDepartmentAddresses(db, department.id),
        mode: rule.mode,
        firstReceiverId: rule.firstReceiverId,
        preferLastAgent: rule.preferLastAgent,
        identity: await findDepartmentIdentity(db, department.id),
      };
    }));
    return renderPage(
      c,
      t("team.dept.title"),
      <section class="assignment-admin">
        <h1>{t("team.dept.title")}</h1>
        <p class="muted">{t("team.dept.about")}</p>
        {c.req.query("saved") && <p class="notice" role="status">{t("team.agents.saved")}</p>}
        {settings.map((s) => <DepartmentCard key={s.department.id} t={t} s={s} agents={agents} />)}
      </section>,
    );
  });

  app.post("/:id{[0-9]{1,15}}", async (c) => {
    const id = intParam(c, "id")!;
    const form = await c.req.parseBody();
    const addresses = String(form.addresses ?? "").split(/[\s,]+/).filter(Boolean);
    const bad = addresses.find((a) => !EMAIL_ADDRESS.test(a));
    if (bad) throw new ValidationError("Not an e-mail address", { addresses: bad });
    const mode = String(form.assignment ?? "");
    const receiver = Number(form.first_receiver_id);
    await asAgent(c, (ctx) =>
      changeTeamDepartment(ctx, {
        id,
        addresses,
        assignment: isAssignmentMode(mode) ? mode : "manual",
        firstReceiverId: Number.isSafeInteger(receiver) && receiver > 0 ? receiver : null,
        preferLastAgent: form.prefer_last_agent === "1",
        identity: {
          fromName: blank(form.from_name),
          replyAddress: blank(form.reply_address),
          signature: blank(form.signature),
        },
      }));
    return c.redirect("/admin/assignment?saved=1", 303);
  });
  return app;
}
