/** Server secrets created by migrations (the form-token signing key). */
import type { Db } from "./client.ts";

/** A named secret, or undefined when the migration did not create it. */
export async function findAppSecret(db: Db, name: string): Promise<string | undefined> {
  const row = await db.selectFrom("app_secrets").select("value").where("name", "=", name)
    .executeTakeFirst();
  return row?.value;
}
