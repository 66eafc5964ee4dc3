/**
 * The team the approval tests work with: an admin (上司, boss@) and a new agent (新人, new@), each
 * with an API token, the app over a temporary database, customer mail filed as tickets #1001…,
 * `api(who, method, path, json)` for /api/v1, and `outCount(number)`: replies a ticket has sent.
 */
import { createApp } from "../../routes/mod.tsx";
import { createAgent, createApiToken, ingestMessage } from "../runtime.ts";
import { listMessages } from "../../db/messages.ts";
import { findTicketByNumber } from "../../db/tickets.ts";
import { rawMail, tempStore, testConfig } from "../helpers.ts";

/** `mails`: subject and Message-ID of each customer mail to file, in order. */
export async function approvalTeam(
  mails: { from: string; subject: string; id: string; text: string }[],
) {
  const db = await tempStore();
  const app = createApp({ store: db.store, config: testConfig(db.dir), outbox: { wake() {} } });
  const admin = await createAgent(db.store, {
    email: "boss@example.test",
    name: "上司",
    password: "correct horse battery",
    role: "admin",
  });
  const newbie = await createAgent(db.store, {
    email: "new@example.test",
    name: "新人",
    password: "correct horse battery",
    role: "agent",
  });
  const tokens = {
    admin: await createApiToken(db.store, admin.id, "t"),
    newbie: await createApiToken(db.store, newbie.id, "t"),
  };
  for (const m of mails) {
    await ingestMessage(
      db.store,
      new TextEncoder().encode(rawMail({
        From: m.from,
        To: "support@example.test",
        Subject: m.subject,
        "Message-ID": `<${m.id}>`,
      }, m.text)),
      { mailFrom: null, rcptTo: ["support@example.test"], remoteAddress: null },
    );
  }
  function api(who: keyof typeof tokens, method: string, path: string, json?: unknown) {
    const headers = new Headers({ authorization: `Bearer ${tokens[who]}` });
    if (json !== undefined) headers.set("content-type", "application/json");
    return Promise.resolve(app.request(`/api/v1${path}`, {
      method,
      headers,
      body: json === undefined ? undefined : JSON.stringify(json),
    }));
  }
  const outCount = async (number = 1001) => {
    const ticket = (await findTicketByNumber(db.store.db, number))!;
    return (await listMessages(db.store.db, ticket.id)).filter((m) => m.direction === "out")
      .length;
  };
  return { ...db, app, admin, newbie, api, outCount };
}
