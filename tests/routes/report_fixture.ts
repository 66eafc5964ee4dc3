/**
 * The team the report route tests work with: an admin (管理者) and an agent (亜紀), the app over
 * a temporary database with its clock at `now`, and a runtime for the services that make the data.
 */
import { createApp } from "../../routes/mod.tsx";
import { createAgent, testRuntime } from "../runtime.ts";
import { tempStore, testConfig } from "../helpers.ts";

export async function reportTeam(now: number) {
  const db = await tempStore();
  const admin = await createAgent(db.store, {
    email: "admin@example.test",
    name: "管理者",
    password: "correct horse battery",
    role: "admin",
  });
  const aki = await createAgent(db.store, {
    email: "aki@example.test",
    name: "亜紀",
    password: "correct horse battery",
    role: "agent",
  });
  const app = createApp({
    store: db.store,
    config: testConfig(db.dir),
    outbox: { wake: () => {} },
    now: () => now,
  });
  return { ...db, admin, aki, app, rt: testRuntime(db.store) };
}
