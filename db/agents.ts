/** Agents, their sessions and their API tokens. Secrets are stored only as SHA-256 hashes. */
import type { Db, Store, Tx } from "./client.ts";
import { hashSecret, newSecret } from "../domain/tokens.ts";
import { hashPassword } from "../workers/password_pool.ts";

export interface Agent {
  id: number;
  email: string;
  name: string;
  role: "admin" | "agent";
  locale: string;
  /** IANA zone for dates, or null for the configured default. */
  timeZone: string | null;
}

const agentColumns = ["id", "email", "name", "role", "locale", "time_zone as timeZone"] as const;

/** How many agents exist (0 means first-run setup is open). */
export async function countAgents(db: Db): Promise<number> {
  const { n } = await db.selectFrom("agents").select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirstOrThrow();
  return Number(n);
}

/** Creates an agent with an argon2id password hash. */
export async function createAgent(
  store: Store,
  a: { email: string; name: string; password: string; role: "admin" | "agent" },
  now = Date.now(),
): Promise<Agent> {
  const password_hash = await hashPassword(a.password);
  return await store.writeTx(async (tx) => {
    const { id } = await tx.insertInto("agents").values({
      email: a.email.toLowerCase(),
      name: a.name,
      password_hash,
      role: a.role,
      created_at: now,
    }).returning("id").executeTakeFirstOrThrow();
    return {
      id,
      email: a.email.toLowerCase(),
      name: a.name,
      role: a.role,
      locale: "ja",
      timeZone: null,
    };
  });
}

/** An enabled agent and its password hash by e-mail, for login. */
export function findAgentForLogin(db: Db, email: string) {
  return db.selectFrom("agents").select([...agentColumns, "password_hash"])
    .where("email", "=", email.toLowerCase()).where("disabled", "=", 0).executeTakeFirst();
}

/** An agent by id, or undefined. */
export function findAgent(db: Db, id: number): Promise<Agent | undefined> {
  return db.selectFrom("agents").select(agentColumns).where("id", "=", id)
    .where("disabled", "=", 0).executeTakeFirst();
}

/** Starts a session; returns the secret for the cookie (only its hash is stored). */
export async function createSession(
  store: Store,
  agentId: number,
  ttlMs: number,
  now = Date.now(),
): Promise<string> {
  const secret = newSecret();
  const id_hash = await hashSecret(secret);
  await store.writeTx((tx) =>
    tx.insertInto("sessions").values({
      id_hash,
      agent_id: agentId,
      created_at: now,
      expires_at: now + ttlMs,
    }).execute()
  );
  return secret;
}

/** A live session: its agent, the hash it is stored under, and its lifetime. */
export interface LiveSession {
  agent: Agent;
  idHash: string;
  createdAt: number;
  expiresAt: number;
}

/** The live session of a cookie secret (of an enabled agent), or undefined. */
export async function findSession(
  db: Db,
  secret: string,
  now = Date.now(),
): Promise<LiveSession | undefined> {
  const id_hash = await hashSecret(secret);
  const row = await db.selectFrom("sessions").innerJoin("agents", "agents.id", "sessions.agent_id")
    .select(agentColumns.map((c) => `agents.${c}` as const))
    .select(["sessions.created_at as createdAt", "sessions.expires_at as expiresAt"])
    .where("sessions.id_hash", "=", id_hash).where("sessions.expires_at", ">", now)
    .where("agents.disabled", "=", 0).executeTakeFirst();
  if (!row) return undefined;
  const { createdAt, expiresAt, ...agent } = row;
  return { agent, idHash: id_hash, createdAt, expiresAt };
}

/** The agent of a live session, or undefined. */
export async function findSessionAgent(
  db: Db,
  secret: string,
  now = Date.now(),
): Promise<Agent | undefined> {
  return (await findSession(db, secret, now))?.agent;
}

/** Moves a session's deadline (the idle timeout's sliding refresh). */
export async function extendSession(store: Store, idHash: string, expiresAt: number) {
  await store.writeTx((tx) =>
    tx.updateTable("sessions").set({ expires_at: expiresAt }).where("id_hash", "=", idHash)
      .execute()
  );
}

/** Ends a session. */
export async function deleteSession(store: Store, secret: string): Promise<void> {
  const id_hash = await hashSecret(secret);
  await store.writeTx((tx) => tx.deleteFrom("sessions").where("id_hash", "=", id_hash).execute());
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
 * Sets an agent's password and, in the same transaction, ends their sessions: all of them, or all
 * but `keepSession` (the secret of the session that made the change).
 */
export async function changeAgentPassword(
  store: Store,
  agentId: number,
  password: string,
  options: { keepSession?: string } = {},
): Promise<void> {
  const password_hash = await hashPassword(password);
  const except = options.keepSession ? await hashSecret(options.keepSession) : undefined;
  await store.writeTx(async (tx) => {
    await tx.updateTable("agents").set({ password_hash }).where("id", "=", agentId).execute();
    await endAgentSessions(tx, agentId, { except });
  });
}

/** Creates an API token for an agent; returns the secret, shown once. */
export async function createApiToken(
  store: Store,
  agentId: number,
  name: string,
  now = Date.now(),
): Promise<string> {
  const secret = `mdg_${newSecret()}`;
  const token_hash = await hashSecret(secret);
  await store.writeTx((tx) =>
    tx.insertInto("api_tokens").values({ agent_id: agentId, name, token_hash, created_at: now })
      .execute()
  );
  return secret;
}

/** The agent owning a live API token, or undefined. */
export async function findApiTokenAgent(db: Db, secret: string): Promise<Agent | undefined> {
  const token_hash = await hashSecret(secret);
  return db.selectFrom("api_tokens").innerJoin("agents", "agents.id", "api_tokens.agent_id")
    .select(agentColumns.map((c) => `agents.${c}` as const))
    .where("api_tokens.token_hash", "=", token_hash).where("api_tokens.revoked_at", "is", null)
    .where("agents.disabled", "=", 0).executeTakeFirst();
}

/** An agent's API tokens (never the secrets). */
export function listApiTokens(db: Db, agentId: number) {
  return db.selectFrom("api_tokens")
    .select(["id", "name", "created_at as createdAt", "revoked_at as revokedAt"])
    .where("agent_id", "=", agentId).orderBy("id", "desc").execute();
}

/** Revokes one of an agent's API tokens. */
export async function revokeApiToken(store: Store, agentId: number, id: number, now = Date.now()) {
  await store.writeTx((tx) =>
    tx.updateTable("api_tokens").set({ revoked_at: now }).where("id", "=", id)
      .where("agent_id", "=", agentId).execute()
  );
}

/** Saves an agent's own preferences: display name, UI locale and time zone (null: default). */
export async function updateAgentProfile(
  store: Store,
  agentId: number,
  profile: { name: string; locale: "ja" | "en"; timeZone: string | null },
): Promise<void> {
  await store.writeTx((tx) =>
    tx.updateTable("agents")
      .set({ name: profile.name, locale: profile.locale, time_zone: profile.timeZone })
      .where("id", "=", agentId).execute()
  );
}
