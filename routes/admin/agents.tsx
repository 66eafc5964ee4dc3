/** Admin: 担当者管理 (/admin/agents) — invite, edit, disable agents, reset passwords. */
import { Hono } from "hono";
import * as v from "valibot";
import { awaitsPassword, findAgentRecord, listAgents } from "../../db/agents.ts";
import { listDepartments } from "../../db/departments.ts";
import { EMAIL_ADDRESS } from "../../domain/email_address.ts";
import { ROLES } from "../../domain/permissions.ts";
import { oneOf, parseInput, text } from "../../domain/validation.ts";
import {
  changeTeamAgent,
  createTeamAgent,
  resendInvitation,
  resetAgentPassword,
} from "../../services/agents.ts";
import { hashPassword } from "../../workers/password_pool.ts";
import { AgentEdit, AgentsAdmin } from "../../components/AgentsAdmin.tsx";
import { renderPage } from "../render.tsx";
import { type AppEnv, asAgent, type Ctx } from "../state.ts";
import { intParam } from "../params.ts";

const password = v.pipe(
  v.string(),
  v.minLength(10, "must be 10 characters or more"),
  v.maxLength(1000),
);

const AgentForm = v.object({
  name: text({ required: true, max: 100 }),
  role: oneOf(ROLES, { required: true }),
  restricted: v.optional(v.literal("1")),
});

const InviteForm = v.object({
  ...AgentForm.entries,
  email: text({
    required: true,
    max: 254,
    pattern: EMAIL_ADDRESS,
    patternMessage: "must be an e-mail address",
  }),
  password: v.optional(v.union([v.literal(""), password])),
});

/** The checked department boxes as ids. */
async function departmentIds(c: Ctx): Promise<number[]> {
  const body = await c.req.parseBody({ all: true });
  const raw = body.department_ids;
  const list = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  return list.map(Number).filter(Number.isSafeInteger);
}

async function listPage(c: Ctx) {
  const { db } = c.get("deps").store;
  const notice = c.req.query("notice");
  return renderPage(
    c,
    c.get("t")("team.agents.title"),
    <AgentsAdmin
      t={c.get("t")}
      agents={await listAgents(db)}
      departments={await listDepartments(db)}
      notice={notice === "saved" || notice === "invited" ? notice : null}
    />,
  );
}

/** Routes under /admin/agents. */
export function agentAdminRoutes() {
  const app = new Hono<AppEnv>();

  app.get("/", (c) => listPage(c));

  app.post("/", async (c) => {
    const form = parseInput(InviteForm, await c.req.parseBody());
    const ids = await departmentIds(c);
    const passwordHash = form.password ? await hashPassword(form.password) : undefined;
    const { invitation } = await asAgent(c, (ctx) =>
      createTeamAgent(ctx, {
        email: form.email,
        name: form.name,
        role: form.role,
        departmentIds: ids,
        restricted: form.restricted === "1",
        passwordHash,
      }));
    return c.redirect(`/admin/agents?notice=${invitation ? "invited" : "saved"}`, 303);
  });

  app.get("/:id{[0-9]{1,15}}", async (c) => {
    const { db } = c.get("deps").store;
    const agent = await findAgentRecord(db, intParam(c, "id")!);
    if (!agent) return c.notFound();
    return renderPage(
      c,
      agent.name,
      <AgentEdit
        t={c.get("t")}
        agent={agent}
        departments={await listDepartments(db)}
        saved={c.req.query("saved") === "1"}
        invited={await awaitsPassword(db, agent.id)}
        resent={c.req.query("resent") === "1"}
      />,
    );
  });

  app.post("/:id{[0-9]{1,15}}", async (c) => {
    const agentId = intParam(c, "id")!;
    const form = parseInput(AgentForm, await c.req.parseBody());
    const ids = await departmentIds(c);
    await asAgent(c, (ctx) =>
      changeTeamAgent(ctx, {
        agentId,
        changes: {
          name: form.name,
          role: form.role,
          restricted: form.restricted === "1",
          departmentIds: ids,
        },
      }));
    return c.redirect(`/admin/agents/${agentId}?saved=1`, 303);
  });

  app.post("/:id{[0-9]{1,15}}/active", async (c) => {
    const agentId = intParam(c, "id")!;
    const active = (await c.req.parseBody()).active === "1";
    await asAgent(c, (ctx) => changeTeamAgent(ctx, { agentId, changes: { active } }));
    return c.redirect(`/admin/agents/${agentId}?saved=1`, 303);
  });

  // A new set-password link; the previous one stops working (services/agents.ts invite).
  app.post("/:id{[0-9]{1,15}}/invitation", async (c) => {
    const agentId = intParam(c, "id")!;
    await asAgent(c, (ctx) => resendInvitation(ctx, agentId));
    return c.redirect(`/admin/agents/${agentId}?resent=1`, 303);
  });

  app.post("/:id{[0-9]{1,15}}/password", async (c) => {
    const agentId = intParam(c, "id")!;
    const form = parseInput(v.object({ password }), await c.req.parseBody());
    const passwordHash = await hashPassword(form.password);
    await asAgent(c, (ctx) => resetAgentPassword(ctx, { agentId, passwordHash }));
    return c.redirect(`/admin/agents/${agentId}?saved=1`, 303);
  });

  return app;
}
