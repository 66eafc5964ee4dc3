import assert from "node:assert/strict";
import type { Store } from "../../db/client.ts";
import { receiveMail } from "../../services/inbound_mail.ts";
import { replyToCustomer } from "../../services/replies.ts";
import { addCustomerWebReply } from "../../services/customer_tickets.ts";
import { CUSTOMER_REPLIED } from "../../services/notices.ts";
import { rawMail, tempStore } from "../helpers.ts";
import { agent, CUSTOMER as ON_THE_WEB, run, testRuntime } from "../runtime.ts";

const SUPPORT = "support@example.test";
const CUSTOMER = "taro@example.com";
const AGENTS = [
  ["boss@example.test", "admin"],
  ["aki@example.test", "agent"],
  ["ken@example.test", "agent"],
] as const;

/** A desk with an admin (1) and two agents (2, 3), and one mailed-in ticket from the customer. */
async function desk() {
  const t = await tempStore();
  await t.store.writeTx(async (tx) => {
    for (const [email, role] of AGENTS) {
      await tx.insertInto("agents").values({
        email,
        name: email.split("@")[0],
        password_hash: "x",
        role,
        time_zone: null,
        created_at: 0,
      }).execute();
    }
  });
  const first = await mail(t.store, {
    Subject: "請求書の再発行",
    "Message-ID": "<m1@example.com>",
  });
  assert.equal(first.kind, "created");
  const ticketId = first.kind === "created" ? first.ticketId : 0;
  return { ...t, ticketId };
}

function mail(store: Store, headers: Record<string, string>, now = 1_000) {
  const raw = rawMail(
    { From: `太郎 <${CUSTOMER}>`, To: SUPPORT, ...headers },
    "よろしくお願いします",
  );
  return receiveMail(testRuntime(store, { now: () => now }), new TextEncoder().encode(raw), {
    mailFrom: CUSTOMER,
    rcptTo: [SUPPORT],
    remoteAddress: null,
  });
}

async function agentReplies(store: Store, ticketId: number, agentId: number) {
  const rt = testRuntime(store, { sender: { relayConfigured: false } });
  await run(
    rt,
    (ctx) => replyToCustomer(ctx, { ticketId, text: "確認いたします", status: "pending" }),
    { actor: agent({ id: agentId, name: "aki" }), now: 2_000 },
  );
}

async function notifications(store: Store) {
  const rows = await store.db.selectFrom("notifications")
    .select(["agent_id", "ticket_id", "kind", "data_json"]).orderBy("id").execute();
  return rows.map((r) => ({ ...r, data: JSON.parse(r.data_json) }));
}

function webReply(store: Store, ticketId: number, formToken = "token-1") {
  return run(
    testRuntime(store),
    (ctx) =>
      addCustomerWebReply(ctx, { ticketId, text: "添付を送ります", attachments: [], formToken }),
    { actor: ON_THE_WEB, now: 3_000 },
  );
}

Deno.test("customer reply notice: a reply from the customer's page notifies the agent who last replied", async () => {
  const d = await desk();
  try {
    assert.deepEqual(await notifications(d.store), [], "a new ticket is not a reply");
    await agentReplies(d.store, d.ticketId, 2);
    const first = await webReply(d.store, d.ticketId);
    await webReply(d.store, d.ticketId); // a double post: one message, one notification
    const notes = await notifications(d.store);
    assert.equal(notes.length, 1);
    assert.equal(notes[0].agent_id, 2);
    assert.equal(notes[0].ticket_id, d.ticketId);
    assert.equal(notes[0].kind, CUSTOMER_REPLIED);
    assert.deepEqual(notes[0].data, { via: "web", messageId: first.messageId });
  } finally {
    await d.cleanup();
  }
});

Deno.test("customer reply notice: a mailed reply notifies the agent who last replied", async () => {
  const d = await desk();
  try {
    await agentReplies(d.store, d.ticketId, 3);
    const r = await mail(d.store, { Subject: "Re: 請求書の再発行 [#1001]" }, 3_000);
    assert.equal(r.kind, "joined");
    const notes = await notifications(d.store);
    assert.deepEqual(notes.map((n) => [n.agent_id, n.kind, n.data.via]), [
      [3, CUSTOMER_REPLIED, "mail"],
    ]);
  } finally {
    await d.cleanup();
  }
});

Deno.test("customer reply notice: an auto-reply to the ticket notifies nobody", async () => {
  const d = await desk();
  try {
    await agentReplies(d.store, d.ticketId, 2);
    const r = await mail(d.store, {
      Subject: "自動応答: 請求書の再発行 [#1001]",
      "Auto-Submitted": "auto-replied",
    }, 3_000);
    assert.equal(r.kind, "joined");
    assert.deepEqual(await notifications(d.store), []);
  } finally {
    await d.cleanup();
  }
});

Deno.test("customer reply notice: before any agent replied, the department's chosen agents are notified", async () => {
  const d = await desk();
  try {
    await d.store.writeTx((tx) =>
      tx.insertInto("department_settings")
        .values({ department_id: 1, notify_agent_ids_json: "[3]", updated_at: 0 }).execute()
    );
    await mail(d.store, { Subject: "Re: 請求書の再発行 [#1001]" }, 3_000);
    assert.deepEqual((await notifications(d.store)).map((n) => n.agent_id), [3]);
  } finally {
    await d.cleanup();
  }
});

Deno.test("customer reply notice: a disabled last replier falls back to every agent, the writer excepted", async () => {
  const d = await desk();
  try {
    await agentReplies(d.store, d.ticketId, 2);
    await d.store.writeTx((tx) =>
      tx.updateTable("agents").set({ disabled: 1 }).where("id", "=", 2).execute()
    );
    // The "customer" is an agent writing in from their own address: never notify the writer.
    await d.store.writeTx((tx) =>
      tx.updateTable("customers").set({ email: "ken@example.test" }).execute()
    );
    await webReply(d.store, d.ticketId);
    assert.deepEqual((await notifications(d.store)).map((n) => n.agent_id), [1]);
  } finally {
    await d.cleanup();
  }
});
