/** Queuing outbox mail for worker tests: one ticket, many replies. */
import { ingestMessage, queueReply } from "../runtime.ts";
import type { Store } from "../../db/client.ts";
import { rawMail } from "../helpers.ts";

const settings = {
  supportAddress: "support@example.test",
  fromName: "サポート窓口",
  subjectTagPrefix: "#",
  relayConfigured: true,
};

/** One ticket and `count` replies on it, each a queued outbox row; returns their message ids. */
export async function queueMails(store: Store, count: number): Promise<number[]> {
  const agentId = await store.writeTx(async (tx) => {
    const r = await tx.insertInto("agents").values({
      email: "sato@example.test",
      name: "佐藤",
      password_hash: "x",
      role: "agent",
      created_at: 0,
    }).returning("id").executeTakeFirstOrThrow();
    return r.id;
  });
  const raw = rawMail({
    From: "taro@example.com",
    To: "support@example.test",
    Subject: "question",
    "Message-ID": "<customer-1@example.com>",
  }, "hello");
  const filed = await ingestMessage(store, new TextEncoder().encode(raw), {
    mailFrom: "taro@example.com",
    rcptTo: ["support@example.test"],
    remoteAddress: null,
  });
  const ticketId = (filed as { ticketId: number }).ticketId;
  const ids = [];
  for (let i = 0; i < count; i++) {
    ids.push(
      await queueReply(store, settings, {
        ticketId,
        agent: { id: agentId, name: "佐藤" },
        text: `reply ${i}`,
        status: "pending",
      }),
    );
  }
  return ids;
}
