/** The approval policy as admins set it (0014 flags, 0021 first-N rule) and as a reply meets it. */
import type { Db, Tx } from "./client.ts";

/** What decides whether one agent's reply on one ticket needs approval. */
export interface ApprovalFacts {
  agentRequiresApproval: boolean;
  departmentRequiresApproval: boolean;
  /** The global first-N setting and the ticket's department's override (null: the global). */
  globalFirstReplies: number;
  departmentFirstReplies: number | null;
  repliesSent: number;
}

/** Reads the facts for an agent's reply on a ticket in one query. */
export async function findApprovalFacts(
  db: Db | Tx,
  agentId: number,
  ticketId: number,
): Promise<ApprovalFacts> {
  const row = await db.selectFrom("agents")
    .leftJoin("tickets", (j) => j.on("tickets.id", "=", ticketId))
    .leftJoin("departments", "departments.id", "tickets.department_id")
    .leftJoin("approval_settings", (j) => j.on("approval_settings.id", "=", 1))
    .select([
      "agents.requires_approval as agent",
      "agents.replies_sent as sent",
      "departments.requires_approval as department",
      "departments.approval_first_replies as departmentFirst",
      "approval_settings.first_replies as globalFirst",
    ])
    .where("agents.id", "=", agentId).executeTakeFirst();
  return {
    agentRequiresApproval: row?.agent === 1,
    departmentRequiresApproval: row?.department === 1,
    globalFirstReplies: row?.globalFirst ?? 0,
    departmentFirstReplies: row?.departmentFirst ?? null,
    repliesSent: row?.sent ?? 0,
  };
}

/** The global first-N setting (0: off). */
export async function findGlobalFirstReplies(db: Db | Tx): Promise<number> {
  const row = await db.selectFrom("approval_settings").select("first_replies").where("id", "=", 1)
    .executeTakeFirst();
  return row?.first_replies ?? 0;
}

/** Sets the global first-N setting. */
export async function updateGlobalFirstReplies(tx: Tx, n: number): Promise<void> {
  await tx.insertInto("approval_settings").values({ id: 1, first_replies: n })
    .onConflict((oc) => oc.column("id").doUpdateSet({ first_replies: n })).execute();
}

/** One department's approval settings. */
export interface DepartmentApproval {
  id: number;
  name: string;
  requiresApproval: boolean;
  firstReplies: number | null;
}

/** Every department's approval settings, by name (a handful of rows). */
export async function listDepartmentApproval(db: Db | Tx): Promise<DepartmentApproval[]> {
  const rows = await db.selectFrom("departments")
    .select(["id", "name", "requires_approval", "approval_first_replies"]).orderBy("name")
    .execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    requiresApproval: r.requires_approval === 1,
    firstReplies: r.approval_first_replies,
  }));
}

/** Sets a department's approval settings; false when there is no such department. */
export async function updateDepartmentApprovalPolicy(
  tx: Tx,
  id: number,
  p: { requiresApproval: boolean; firstReplies: number | null },
): Promise<boolean> {
  const r = await tx.updateTable("departments")
    .set({ requires_approval: p.requiresApproval ? 1 : 0, approval_first_replies: p.firstReplies })
    .where("id", "=", id).executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** One agent's approval setting and how many replies they sent. */
export interface AgentApproval {
  id: number;
  name: string;
  role: string;
  requiresApproval: boolean;
  repliesSent: number;
}

/** Every enabled agent's approval setting, by name. */
export async function listAgentApproval(db: Db | Tx): Promise<AgentApproval[]> {
  const rows = await db.selectFrom("agents")
    .select(["id", "name", "role", "requires_approval", "replies_sent"])
    .where("disabled", "=", 0).orderBy("name").execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    role: r.role,
    requiresApproval: r.requires_approval === 1,
    repliesSent: r.replies_sent,
  }));
}
