/**
 * The team's accounts: invite or create agents, change their role, departments and presence,
 * disable and enable them, set passwords. Admin-only except an agent's own presence and password.
 * Passwords arrive hashed (the edge hashes them on the worker pool). Disabling an agent ends their
 * sessions in the same transaction; their API tokens stop because token lookups skip disabled
 * agents. The last active admin can be neither disabled nor demoted.
 */
import {
  agentEmailTaken,
  changeAgentPassword,
  closeInvitations,
  countActiveAdmins,
  endAgentSessions,
  findAgentRecord,
  findInvitation,
  insertAgent,
  insertInvitation,
  setAgentDepartments,
  updateAgent,
} from "../db/agents.ts";
import { listDepartments } from "../db/departments.ts";
import { ConflictError, NotFoundError, ValidationError } from "../domain/errors.ts";
import type { Role } from "../domain/permissions.ts";
import { hashSecret, newSecret } from "../domain/tokens.ts";
import { translator } from "../domain/i18n/mod.ts";
import { queueSystemMail } from "../mail/outbound_record.ts";
import { requirePermission } from "./access.ts";
import type { OpContext } from "./context.ts";

/** How long a set-password link lives. */
export const INVITATION_TTL_MS = 72 * 3600_000;

export interface NewAgentInput {
  email: string;
  name: string;
  role: Role;
  departmentIds?: number[];
  restricted?: boolean;
  /** A password hash; without one the agent gets a set-password link by mail. */
  passwordHash?: string;
}

async function checkDepartments(ctx: OpContext, ids: readonly number[] | undefined) {
  if (!ids || ids.length === 0) return;
  const known = new Set((await listDepartments(ctx.tx)).map((d) => d.id));
  if (ids.some((id) => !known.has(id))) {
    throw new ValidationError("Unknown department", { department_ids: "unknown" });
  }
}

/** Creates an agent (admins only); returns its id and, for an invitation, the link's secret. */
export async function createTeamAgent(
  ctx: OpContext,
  input: NewAgentInput,
): Promise<{ id: number; invitation: string | null }> {
  requirePermission(ctx.actor, "agents.manage");
  if (await agentEmailTaken(ctx.tx, input.email)) {
    throw new ConflictError("Cannot create agent: the e-mail address is taken");
  }
  await checkDepartments(ctx, input.departmentIds);
  // An invited agent's password is unusable (a random hash nobody knows) until they set theirs.
  const passwordHash = input.passwordHash ?? `invited:${newSecret()}`;
  const agent = await insertAgent(ctx.tx, { ...input, passwordHash }, ctx.now);
  await setAgentDepartments(ctx.tx, agent.id, input.departmentIds ?? []);
  if (input.restricted) await updateAgent(ctx.tx, agent.id, { restricted: true });
  const invitation = input.passwordHash ? null : await invite(ctx, agent);
  return { id: agent.id, invitation };
}

/** Mails (a new) one-time set-password link; earlier links stop working. */
export async function resendInvitation(ctx: OpContext, agentId: number): Promise<string> {
  requirePermission(ctx.actor, "agents.manage");
  const agent = await findAgentRecord(ctx.tx, agentId);
  if (!agent) throw new NotFoundError("No such agent");
  if (agent.disabled) throw new ConflictError("Cannot invite a disabled agent: enable them first");
  return await invite(ctx, agent);
}

async function invite(
  ctx: OpContext,
  agent: { id: number; email: string; name: string; locale: string },
): Promise<string> {
  await closeInvitations(ctx.tx, agent.id, ctx.now);
  const secret = newSecret();
  await insertInvitation(ctx.tx, {
    agentId: agent.id,
    tokenHash: await hashSecret(secret),
    expiresAt: ctx.now + INVITATION_TTL_MS,
  }, ctx.now);
  const t = translator(agent.locale === "en" ? "en" : "ja");
  await queueSystemMail(ctx.tx, ctx.sender, {
    to: { address: agent.email, name: agent.name },
    subject: t("team.invite.subject"),
    text: t("team.invite.body", {
      name: agent.name,
      link: `${ctx.sender.publicUrl}/invite/${secret}`,
    }),
    now: ctx.now,
  });
  ctx.wake("outbox");
  return secret;
}

/** The agent a live set-password link is for, or undefined. */
export async function invitationAgent(ctx: OpContext, secret: string) {
  return await findInvitation(ctx.tx, await hashSecret(secret), ctx.now);
}

/** Sets the password through a set-password link (once); returns the agent's id. */
export async function acceptInvitation(
  ctx: OpContext,
  input: { secret: string; passwordHash: string },
): Promise<number> {
  const found = await invitationAgent(ctx, input.secret);
  if (!found) throw new NotFoundError("The link is invalid or expired");
  await changeAgentPassword(ctx.tx, found.agentId, input.passwordHash);
  await closeInvitations(ctx.tx, found.agentId, ctx.now);
  return found.agentId;
}

export interface AgentChanges {
  name?: string;
  role?: Role;
  active?: boolean;
  restricted?: boolean;
  departmentIds?: number[];
  absent?: boolean;
  absentUntil?: number | null;
}

/**
 * Changes an agent. Admins change anything; an agent changes only their own presence. Disabling
 * ends the agent's sessions at once; the last active admin stays an active admin (409).
 */
export async function changeTeamAgent(
  ctx: OpContext,
  input: { agentId: number; changes: AgentChanges },
): Promise<void> {
  const { agentId, changes } = input;
  const own = ctx.actor.kind === "agent" && ctx.actor.id === agentId;
  const presenceOnly = Object.keys(changes).every((k) => k === "absent" || k === "absentUntil");
  if (!(own && presenceOnly)) requirePermission(ctx.actor, "agents.manage");
  const agent = await findAgentRecord(ctx.tx, agentId);
  if (!agent) throw new NotFoundError("No such agent");
  const demoted = changes.role !== undefined && changes.role !== "admin";
  const disabled = changes.active === false;
  if (agent.role === "admin" && !agent.disabled && (demoted || disabled)) {
    if (await countActiveAdmins(ctx.tx) <= 1) {
      throw new ConflictError("The last active admin cannot be disabled or demoted");
    }
  }
  await checkDepartments(ctx, changes.departmentIds);
  await updateAgent(ctx.tx, agentId, {
    name: changes.name,
    role: changes.role,
    disabled: changes.active === undefined ? undefined : !changes.active,
    restricted: changes.restricted,
    absent: changes.absent,
    absentUntil: changes.absent === false ? null : changes.absentUntil,
  });
  if (changes.departmentIds) await setAgentDepartments(ctx.tx, agentId, changes.departmentIds);
  if (disabled) await endAgentSessions(ctx.tx, agentId);
}

/** An admin sets another agent's password; every session of theirs ends. */
export async function resetAgentPassword(
  ctx: OpContext,
  input: { agentId: number; passwordHash: string },
): Promise<void> {
  requirePermission(ctx.actor, "agents.manage");
  if (!await findAgentRecord(ctx.tx, input.agentId)) throw new NotFoundError("No such agent");
  await changeAgentPassword(ctx.tx, input.agentId, input.passwordHash);
}

/** An agent changes their own password; their other sessions end (not `keepSession`). */
export async function changeOwnPassword(
  ctx: OpContext,
  input: { passwordHash: string; keepSession?: string },
): Promise<void> {
  if (ctx.actor.kind !== "agent") throw new Error("changeOwnPassword: only an agent");
  await changeAgentPassword(ctx.tx, ctx.actor.id, input.passwordHash, {
    keepSession: input.keepSession,
  });
}
