/**
 * Agents, their sessions, API tokens and invitations. Secrets are stored only as SHA-256 hashes;
 * passwords arrive already hashed (the caller hashes on the worker pool, workers/password_pool.ts).
 * Every function takes a transaction or executor: the caller opens the transaction.
 */
import type { Db, Tx } from "./client.ts";
import { hashSecret, newSecret } from "../domain/tokens.ts";
import type { Role } from "../domain/permissions.ts";

export interface Agent {
  id: number;
  email: string;
  name: string;
  role: Role;
  locale: string;
  /** IANA zone for dates, or null for the configured default. */
  timeZone: string | null;
  /** The departments a restricted agent sees; null: every department. */
  departmentIds: number[] | null;
}

/** An agent as the admin pages show them, disabled ones included. */
export interface AgentRecord extends Omit<Agent, "departmentIds"> {
  disabled: boolean;
  absent: boolean;
  absentUntil: number | null;
  restricted: boolean;
  /** The departments the agent belongs to (for assignment; for visibility when restricted). */
  departmentIds: number[];
  createdAt: number;
}

type Executor = Db | Tx;

const agentColumns = [
  "agents.id",
  "agents.email",
  "agents.name",
  "agents.role",
  "agents.locale",
  "agents.time_zone as timeZone",
  "agents.restricted",
] as const;

async function withDepartments<T extends { id: number; restricted: number }>(
  db: Executor,
  row: T | undefined,
): Promise<(Omit<T, "restricted"> & { departmentIds: number[] | null }) | undefined> {
  if (!row) return undefined;
  const { restricted, ...rest } = row;
  return {
    ...rest,
    departmentIds: restricted ? await agentDepartmentIds(db, row.id) : null,
  };
}

/** The departments an agent belongs to. */
export async function agentDepartmentIds(db: Executor, agentId: number): Promise<number[]> {
  const rows = await db.selectFrom("agent_departments").select("department_id")
    .where("agent_id", "=", agentId).orderBy("department_id").execute();
  return rows.map((r) => r.department_id);
}

/** How many agents exist (0 means first-run setup is open). */
export async function countAgents(db: Executor): Promise<number> {
  const { n } = await db.selectFrom("agents").select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirstOrThrow();
  return Number(n);
}

/** Creates an agent with a password hash (argon2id, from workers/password_pool.ts). */
export async function insertAgent(
  tx: Tx,
  a: { email: string; name: string; passwordHash: string; role: Role },
  now: number,
): Promise<Agent> {
  const email = a.email.toLowerCase();
  const { id } = await tx.insertInto("agents").values({
    email,
    name: a.name,
    password_hash: a.passwordHash,
    role: a.role,
    created_at: now,
  }).returning("id").executeTakeFirstOrThrow();
  return {
    id,
    email,
    name: a.name,
    role: a.role,
    locale: "ja",
    timeZone: null,
    departmentIds: null,
  };
}

/** Whether an agent (enabled or not) has this e-mail address. */
export async function agentEmailTaken(db: Executor, email: string): Promise<boolean> {
  return !!await db.selectFrom("agents").select("id").where("email", "=", email.toLowerCase())
    .executeTakeFirst();
}

/** An enabled agent and its password hash by e-mail, for login. */
export async function findAgentForLogin(db: Executor, email: string) {
  const row = await db.selectFrom("agents").select([...agentColumns, "agents.password_hash"])
    .where("email", "=", email.toLowerCase()).where("disabled", "=", 0).executeTakeFirst();
  return await withDepartments(db, row);
}

/** An enabled agent by id, or undefined. */
export async function findAgent(db: Executor, id: number): Promise<Agent | undefined> {
  const row = await db.selectFrom("agents").select(agentColumns).where("id", "=", id)
    .where("disabled", "=", 0).executeTakeFirst();
  return await withDepartments(db, row);
}

const recordColumns = [
  ...agentColumns,
  "agents.disabled",
  "agents.absent",
  "agents.absent_until as absentUntil",
  "agents.created_at as createdAt",
] as const;

type RecordRow = {
  id: number;
  email: string;
  name: string;
  role: Role;
  locale: string;
  timeZone: string | null;
  restricted: number;
  disabled: number;
  absent: number;
  absentUntil: number | null;
  createdAt: number;
};

function toRecord(row: RecordRow, departmentIds: number[]): AgentRecord {
  return {
    ...row,
    restricted: row.restricted === 1,
    disabled: row.disabled === 1,
    absent: row.absent === 1,
    departmentIds,
  };
}

/** Every agent (disabled ones too) with their departments, by name. */
export async function listAgents(db: Executor): Promise<AgentRecord[]> {
  const [rows, links] = await Promise.all([
    db.selectFrom("agents").select(recordColumns).orderBy("agents.name").orderBy("agents.id")
      .execute(),
    db.selectFrom("agent_departments").select(["agent_id", "department_id"])
      .orderBy("department_id").execute(),
  ]);
  return rows.map((r) =>
    toRecord(
      r,
      links.filter((l) => l.agent_id === r.id).map((l) => l.department_id),
    )
  );
}

/** One agent (disabled or not) with their departments, or undefined. */
export async function findAgentRecord(
  db: Executor,
  id: number,
): Promise<AgentRecord | undefined> {
  const row = await db.selectFrom("agents").select(recordColumns).where("id", "=", id)
    .executeTakeFirst();
  return row && toRecord(row, await agentDepartmentIds(db, id));
}

/** Enabled admins. */
export async function countActiveAdmins(db: Executor): Promise<number> {
  const { n } = await db.selectFrom("agents").select((eb) => eb.fn.countAll<number>().as("n"))
    .where("role", "=", "admin").where("disabled", "=", 0).executeTakeFirstOrThrow();
  return Number(n);
}

/** Changes what an admin edits about an agent; fields left out stay. */
export async function updateAgent(
  tx: Tx,
  id: number,
  changes: {
    name?: string;
    role?: Role;
    disabled?: boolean;
    restricted?: boolean;
    absent?: boolean;
    absentUntil?: number | null;
  },
): Promise<void> {
  const set: Record<string, unknown> = {};
  if (changes.name !== undefined) set.name = changes.name;
  if (changes.role !== undefined) set.role = changes.role;
  if (changes.disabled !== undefined) set.disabled = changes.disabled ? 1 : 0;
  if (changes.restricted !== undefined) set.restricted = changes.restricted ? 1 : 0;
  if (changes.absent !== undefined) set.absent = changes.absent ? 1 : 0;
  if (changes.absentUntil !== undefined) set.absent_until = changes.absentUntil;
  if (Object.keys(set).length === 0) return;
  await tx.updateTable("agents").set(set).where("id", "=", id).execute();
}

/** Replaces the departments an agent belongs to. */
export async function setAgentDepartments(
  tx: Tx,
  agentId: number,
  departmentIds: readonly number[],
): Promise<void> {
  await tx.deleteFrom("agent_departments").where("agent_id", "=", agentId).execute();
  if (departmentIds.length === 0) return;
  await tx.insertInto("agent_departments")
    .values(
      [...new Set(departmentIds)].map((department_id) => ({ agent_id: agentId, department_id })),
    )
    .execute();
}

/** Starts a session; returns the secret for the cookie (only its hash is stored). */
export async function createSession(
  tx: Tx,
  agentId: number,
  ttlMs: number,
  now: number,
): Promise<string> {
  const secret = newSecret();
  const id_hash = await hashSecret(secret);
  await tx.insertInto("sessions").values({
    id_hash,
    agent_id: agentId,
    created_at: now,
    expires_at: now + ttlMs,
  }).execute();
  return secret;
}

/** A live session: its agent, the hash it is stored under, and its lifetime. */
export interface LiveSession {
  agent: Agent;
  idHash: string;
  createdAt: number;
  expiresAt: number;
}

/** The live session under `id_hash` (hashSecret of the cookie secret), or undefined. */
export async function findSessionByHash(
  db: Executor,
  id_hash: string,
  now: number,
): Promise<LiveSession | undefined> {
  const row = await db.selectFrom("sessions").innerJoin("agents", "agents.id", "sessions.agent_id")
    .select(agentColumns)
    .select(["sessions.created_at as createdAt", "sessions.expires_at as expiresAt"])
    .where("sessions.id_hash", "=", id_hash).where("sessions.expires_at", ">", now)
    .where("agents.disabled", "=", 0).executeTakeFirst();
  if (!row) return undefined;
  const { createdAt, expiresAt, ...agentRow } = row;
  const agent = (await withDepartments(db, agentRow))!;
  return { agent, idHash: id_hash, createdAt, expiresAt };
}

/** Moves a session's deadline (the idle timeout's sliding refresh). */
export async function extendSession(tx: Tx, idHash: string, expiresAt: number): Promise<void> {
  await tx.updateTable("sessions").set({ expires_at: expiresAt }).where("id_hash", "=", idHash)
    .execute();
}

/** Ends a session. */
export async function deleteSession(tx: Tx, secret: string): Promise<void> {
  const id_hash = await hashSecret(secret);
  await tx.deleteFrom("sessions").where("id_hash", "=", id_hash).execute();
}

/** Ends every session of an agent, except the one stored under `except` (an id hash). */
export async function endAgentSessions(
  tx: Tx,
  agentId: number,
  options: { except?: string } = {},
): Promise<void> {
  let q = tx.deleteFrom("sessions").where("agent_id", "=", agentId);
  if (options.except) q = q.where("id_hash", "!=", options.except);
  await q.execute();
}

/**
 * Sets an agent's password hash and ends their sessions: all of them, or all but `keepSession`
 * (the secret of the session that made the change).
 */
export async function changeAgentPassword(
  tx: Tx,
  agentId: number,
  passwordHash: string,
  options: { keepSession?: string } = {},
): Promise<void> {
  const except = options.keepSession ? await hashSecret(options.keepSession) : undefined;
  await tx.updateTable("agents").set({ password_hash: passwordHash }).where("id", "=", agentId)
    .execute();
  await endAgentSessions(tx, agentId, { except });
}

/** Creates an API token for an agent; returns the secret, shown once. */
export async function createApiToken(
  tx: Tx,
  agentId: number,
  name: string,
  now: number,
): Promise<string> {
  const secret = `mdg_${newSecret()}`;
  const token_hash = await hashSecret(secret);
  await tx.insertInto("api_tokens")
    .values({ agent_id: agentId, name, token_hash, created_at: now }).execute();
  return secret;
}

/** The enabled agent owning a live API token, or undefined. */
export async function findApiTokenAgent(db: Executor, secret: string): Promise<Agent | undefined> {
  const token_hash = await hashSecret(secret);
  const row = await db.selectFrom("api_tokens").innerJoin(
    "agents",
    "agents.id",
    "api_tokens.agent_id",
  )
    .select(agentColumns)
    .where("api_tokens.token_hash", "=", token_hash).where("api_tokens.revoked_at", "is", null)
    .where("agents.disabled", "=", 0).executeTakeFirst();
  return await withDepartments(db, row);
}

/** An agent's API tokens (never the secrets). */
export function listApiTokens(db: Executor, agentId: number) {
  return db.selectFrom("api_tokens")
    .select(["id", "name", "created_at as createdAt", "revoked_at as revokedAt"])
    .where("agent_id", "=", agentId).orderBy("id", "desc").execute();
}

/** Revokes one of an agent's API tokens. */
export async function revokeApiToken(tx: Tx, agentId: number, id: number, now: number) {
  await tx.updateTable("api_tokens").set({ revoked_at: now }).where("id", "=", id)
    .where("agent_id", "=", agentId).execute();
}

/** Saves an agent's own preferences: display name, UI locale and time zone (null: default). */
export async function updateAgentProfile(
  tx: Tx,
  agentId: number,
  profile: { name: string; locale: "ja" | "en"; timeZone: string | null },
): Promise<void> {
  await tx.updateTable("agents")
    .set({ name: profile.name, locale: profile.locale, time_zone: profile.timeZone })
    .where("id", "=", agentId).execute();
}

/** Stores a one-time set-password link (by the hash of its secret). */
export async function insertInvitation(
  tx: Tx,
  i: { agentId: number; tokenHash: string; expiresAt: number },
  now: number,
): Promise<void> {
  await tx.insertInto("agent_invitations").values({
    token_hash: i.tokenHash,
    agent_id: i.agentId,
    expires_at: i.expiresAt,
    created_at: now,
  }).execute();
}

/** The agent a live, unused invitation is for, or undefined. */
export async function findInvitation(
  db: Executor,
  tokenHash: string,
  now: number,
): Promise<{ agentId: number; email: string; name: string } | undefined> {
  return await db.selectFrom("agent_invitations")
    .innerJoin("agents", "agents.id", "agent_invitations.agent_id")
    .select(["agents.id as agentId", "agents.email", "agents.name"])
    .where("agent_invitations.token_hash", "=", tokenHash)
    .where("agent_invitations.used_at", "is", null)
    .where("agent_invitations.expires_at", ">", now)
    .where("agents.disabled", "=", 0).executeTakeFirst();
}

/** Whether the agent was invited and has not set a password yet. */
export async function awaitsPassword(db: Executor, agentId: number): Promise<boolean> {
  const row = await db.selectFrom("agents").select("password_hash").where("id", "=", agentId)
    .executeTakeFirst();
  return row?.password_hash.startsWith("invited:") ?? false;
}

/** Marks every open invitation of an agent used (the password is set, or a new link was sent). */
export async function closeInvitations(tx: Tx, agentId: number, now: number): Promise<void> {
  await tx.updateTable("agent_invitations").set({ used_at: now })
    .where("agent_id", "=", agentId).where("used_at", "is", null).execute();
}
