/**
 * /api/v1/agents, /api/v1/departments and /api/v1/notifications: the team, for integrations and
 * scripts. Admin-only writes are checked in the services (403); passwords are hashed here, on the
 * worker pool, before any transaction opens.
 */
import { Hono } from "hono";
import * as v from "valibot";
import { type AgentRecord, findAgentRecord, listAgents } from "../../../db/agents.ts";
import { listDepartments } from "../../../db/departments.ts";
import { findAssignmentRule } from "../../../db/assignment.ts";
import {
  findDepartmentIdentity,
  listDepartmentAddresses,
} from "../../../db/department_addresses.ts";
import { listNotifications } from "../../../db/notifications.ts";
import { listTags } from "../../../db/tags.ts";
import { removeTag, saveTag } from "../../../services/tags.ts";
import { NotFoundError } from "../../../domain/errors.ts";
import { EMAIL_ADDRESS } from "../../../domain/email_address.ts";
import { ROLES } from "../../../domain/permissions.ts";
import { ASSIGNMENT_MODES } from "../../../domain/assignment.ts";
import { oneOf, text, wholeNumber } from "../../../domain/validation.ts";
import { changeTeamAgent, createTeamAgent, resendInvitation } from "../../../services/agents.ts";
import { changeTeamDepartment, createTeamDepartment } from "../../../services/departments.ts";
import { setDepartmentApproval, setRequiresApproval } from "../../../services/approvals.ts";
import { hashPassword } from "../../../workers/password_pool.ts";
import { type AppEnv, asAgent, assertAgent, type Ctx } from "../../state.ts";
import { intParam } from "../../params.ts";
import { readJson } from "./validate.ts";

const ids = v.optional(
  v.array(v.pipe(v.number(), v.safeInteger(), v.minValue(1)), "must be a list of ids"),
);

const CreateAgent = v.object({
  email: text({
    required: true,
    max: 254,
    pattern: EMAIL_ADDRESS,
    patternMessage: "must be an e-mail address",
  }),
  name: text({ required: true, max: 100 }),
  role: oneOf(ROLES, { required: true }),
  department_ids: ids,
  restricted: v.optional(v.boolean()),
  password: v.optional(
    v.pipe(v.string(), v.minLength(10, "must be 10 characters or more"), v.maxLength(1000)),
  ),
});

const ChangeAgent = v.object({
  name: text({ max: 100 }),
  role: oneOf(ROLES),
  active: v.optional(v.boolean()),
  absent: v.optional(v.boolean()),
  absent_until: v.optional(
    v.nullable(v.pipe(v.string(), v.isoTimestamp("must be an ISO 8601 instant"))),
  ),
  restricted: v.optional(v.boolean()),
  department_ids: ids,
  requires_approval: v.optional(v.boolean("must be true or false")),
});

const Department = v.object({
  name: text({ max: 100 }),
  slug: text({
    max: 50,
    pattern: /^[a-z0-9][a-z0-9-]{0,49}$/,
    patternMessage: "must be lower-case letters, digits and -",
  }),
  addresses: v.optional(
    v.array(v.pipe(v.string(), v.regex(EMAIL_ADDRESS, "must be e-mail addresses"))),
  ),
  assignment: oneOf(ASSIGNMENT_MODES),
  first_receiver_id: v.optional(v.nullable(v.pipe(v.number(), v.safeInteger()))),
  prefer_last_agent: v.optional(v.boolean()),
  from_name: v.optional(v.nullable(v.pipe(v.string(), v.maxLength(100)))),
  reply_address: v.optional(
    v.nullable(v.pipe(v.string(), v.regex(EMAIL_ADDRESS, "must be an e-mail address"))),
  ),
  signature: v.optional(v.nullable(v.pipe(v.string(), v.maxLength(2000)))),
  requires_approval: v.optional(v.boolean("must be true or false")),
});

function iso(ms: number | null) {
  return ms === null ? null : new Date(ms).toISOString();
}

/** An agent as the API shows them. */
export function teamAgentJson(a: AgentRecord) {
  return {
    id: a.id,
    email: a.email,
    name: a.name,
    role: a.role,
    active: !a.disabled,
    absent: a.absent,
    absent_until: iso(a.absentUntil),
    restricted: a.restricted,
    department_ids: a.departmentIds,
  };
}

async function departmentJson(c: Ctx, d: { id: number; name: string; slug: string }) {
  const { db } = c.get("deps").store;
  const [addresses, rule, identity, approval] = await Promise.all([
    listDepartmentAddresses(db, d.id),
    findAssignmentRule(db, d.id),
    findDepartmentIdentity(db, d.id),
    db.selectFrom("departments").select("requires_approval").where("id", "=", d.id)
      .executeTakeFirst(),
  ]);
  return {
    ...d,
    addresses,
    assignment: rule?.mode ?? "manual",
    first_receiver_id: rule?.firstReceiverId ?? null,
    prefer_last_agent: rule?.preferLastAgent ?? false,
    from_name: identity.fromName,
    reply_address: identity.replyAddress,
    signature: identity.signature,
    requires_approval: approval?.requires_approval === 1,
  };
}

async function agentOr404(c: Ctx, id: number) {
  const { db } = c.get("deps").store;
  const agent = await findAgentRecord(db, id);
  if (!agent) throw new NotFoundError("No such agent");
  const approval = await db.selectFrom("agents").select("requires_approval").where("id", "=", id)
    .executeTakeFirst();
  return { ...teamAgentJson(agent), requires_approval: approval?.requires_approval === 1 };
}

/** Routes under /api/v1/agents. */
export function agentApiRoutes() {
  const app = new Hono<AppEnv>();
  app.get("/", async (c) => {
    const agents = await listAgents(c.get("deps").store.db);
    return c.json({ agents: agents.map(teamAgentJson) });
  });
  app.post("/", async (c) => {
    const body = await readJson(c, CreateAgent);
    const passwordHash = body.password ? await hashPassword(body.password) : undefined;
    const { id } = await asAgent(c, (ctx) =>
      createTeamAgent(ctx, {
        email: body.email,
        name: body.name,
        role: body.role,
        departmentIds: body.department_ids,
        restricted: body.restricted,
        passwordHash,
      }));
    c.header("location", `/api/v1/agents/${id}`);
    return c.json(await agentOr404(c, id), 201);
  });
  app.get("/:id{[0-9]{1,15}}", async (c) => c.json(await agentOr404(c, intParam(c, "id")!)));
  // Mails a new set-password link (72 h); the previous link stops working.
  app.post("/:id{[0-9]{1,15}}/invitation", async (c) => {
    const agentId = intParam(c, "id")!;
    await asAgent(c, (ctx) => resendInvitation(ctx, agentId));
    return c.json({ invited: true, agent: await agentOr404(c, agentId) }, 202);
  });
  app.patch("/:id{[0-9]{1,15}}", async (c) => {
    const agentId = intParam(c, "id")!;
    const b = await readJson(c, ChangeAgent);
    const changes = Object.fromEntries(
      Object.entries({
        name: b.name,
        role: b.role,
        active: b.active,
        absent: b.absent,
        absentUntil: b.absent_until === undefined
          ? undefined
          : b.absent_until && Date.parse(b.absent_until),
        restricted: b.restricted,
        departmentIds: b.department_ids,
      }).filter(([, v]) => v !== undefined),
    );
    // Team fields and the approval flag together, in one transaction: all or nothing.
    await asAgent(c, async (ctx) => {
      if (Object.keys(changes).length || b.requires_approval === undefined) {
        await changeTeamAgent(ctx, { agentId, changes });
      }
      if (b.requires_approval !== undefined) {
        await setRequiresApproval(ctx, { agentId, on: b.requires_approval });
      }
    });
    return c.json(await agentOr404(c, agentId));
  });
  return app;
}

function departmentInput(b: v.InferOutput<typeof Department>) {
  return {
    name: b.name,
    slug: b.slug,
    addresses: b.addresses,
    assignment: b.assignment,
    firstReceiverId: b.first_receiver_id,
    preferLastAgent: b.prefer_last_agent,
    identity:
      b.from_name === undefined && b.reply_address === undefined && b.signature === undefined
        ? undefined
        : {
          fromName: b.from_name ?? null,
          replyAddress: b.reply_address ?? null,
          signature: b.signature ?? null,
        },
  };
}

/** Routes under /api/v1/departments. */
export function departmentApiRoutes() {
  const app = new Hono<AppEnv>();
  app.get("/", async (c) => {
    const departments = await listDepartments(c.get("deps").store.db);
    return c.json({ departments: await Promise.all(departments.map((d) => departmentJson(c, d))) });
  });
  app.post("/", async (c) => {
    const b = await readJson(c, Department);
    const d = await asAgent(c, async (ctx) => {
      const created = await createTeamDepartment(ctx, departmentInput(b));
      if (b.requires_approval !== undefined) {
        await setDepartmentApproval(ctx, { departmentId: created.id, on: b.requires_approval });
      }
      return created;
    });
    c.header("location", `/api/v1/departments/${d.id}`);
    return c.json(await departmentJson(c, d), 201);
  });
  app.patch("/:id{[0-9]{1,15}}", async (c) => {
    const id = intParam(c, "id")!;
    const b = await readJson(c, Department);
    const d = await asAgent(c, async (ctx) => {
      const changed = await changeTeamDepartment(ctx, { id, ...departmentInput(b) });
      if (b.requires_approval !== undefined) {
        await setDepartmentApproval(ctx, { departmentId: id, on: b.requires_approval });
      }
      return changed;
    });
    return c.json(await departmentJson(c, d));
  });
  return app;
}

const TagBody = v.object({
  name: text({ required: true, max: 50 }),
  color: text({
    required: true,
    pattern: /^#[0-9a-fA-F]{6}$/,
    patternMessage: "must be a colour like #3366cc",
  }),
});

/** Routes under /api/v1/tags: list (everyone), create or recolour and delete (admins). */
export function tagApiRoutes() {
  const app = new Hono<AppEnv>();
  app.get("/", async (c) => c.json({ tags: await listTags(c.get("deps").store.db) }));
  app.post("/", async (c) => {
    const b = await readJson(c, TagBody);
    return c.json(await asAgent(c, (ctx) => saveTag(ctx, b)), 201);
  });
  app.delete("/:id{[0-9]{1,15}}", async (c) => {
    const id = intParam(c, "id")!;
    await asAgent(c, (ctx) => removeTag(ctx, id));
    return c.body(null, 204);
  });
  return app;
}

const NotificationQuery = v.object({ limit: wholeNumber({ min: 1, max: 200 }) });

/** GET /api/v1/notifications: the current agent's latest notices. */
export function notificationApiRoutes() {
  const app = new Hono<AppEnv>();
  app.get("/", async (c) => {
    const { limit = 100 } = v.parse(NotificationQuery, c.req.query());
    const list = await listNotifications(c.get("deps").store.db, assertAgent(c).id, limit);
    return c.json({
      notifications: list.map((n) => ({
        id: n.id,
        kind: n.kind,
        ticket: n.ticketNumber === null
          ? null
          : { number: n.ticketNumber, subject: n.ticketSubject },
        data: n.data,
        created_at: iso(n.createdAt),
        read_at: iso(n.readAt),
      })),
    });
  });
  return app;
}
