/** The admins' spam rules (domain/spam.ts): allow or deny an address or domain, keywords. */
import type { Db, Tx } from "./client.ts";
import { SPAM_RULE_KINDS, type SpamRule, type SpamRuleKind } from "../domain/spam.ts";

function isKind(s: string): s is SpamRuleKind {
  return (SPAM_RULE_KINDS as readonly string[]).includes(s);
}

/** Every rule, oldest first (a desk keeps tens, not thousands). */
export async function listSpamRules(db: Db | Tx): Promise<SpamRule[]> {
  const rows = await db.selectFrom("spam_rules").select(["id", "kind", "pattern"]).orderBy("id")
    .execute();
  return rows.flatMap((r) =>
    isKind(r.kind) ? [{ id: r.id, kind: r.kind, pattern: r.pattern }] : []
  );
}

/** Adds a rule (normalised by the caller); an existing identical rule is kept. */
export async function insertSpamRule(
  tx: Tx,
  r: { kind: SpamRuleKind; pattern: string; now: number },
): Promise<void> {
  await tx.insertInto("spam_rules").values({ kind: r.kind, pattern: r.pattern, created_at: r.now })
    .onConflict((oc) => oc.columns(["kind", "pattern"]).doNothing()).execute();
}

/** Removes the allow/deny rules for a pattern of the other kind (allowing undoes a deny). */
export async function deleteSpamRulesFor(
  tx: Tx,
  r: { kind: SpamRuleKind; pattern: string },
): Promise<void> {
  await tx.deleteFrom("spam_rules").where("kind", "=", r.kind).where("pattern", "=", r.pattern)
    .execute();
}

/** Removes one rule; false when there was none. */
export async function deleteSpamRule(tx: Tx, id: number): Promise<boolean> {
  const r = await tx.deleteFrom("spam_rules").where("id", "=", id).executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}
