import assert from "node:assert/strict";
import { rawMail, sendRaw, tempStore } from "../helpers.ts";
import {
  agent,
  createAgent,
  createTicketForCustomer,
  deliverTo,
  queueReply,
  run,
  testRuntime,
} from "../runtime.ts";
import { startInboundSmtp } from "../../mail/smtp_server.ts";
import { createDepartment } from "../../db/departments.ts";
import { setDepartmentAddresses } from "../../db/department_addresses.ts";
import { setAgentDepartments, updateAgent } from "../../db/agents.ts";
import { updateAssignmentRule } from "../../db/assignment.ts";
import { findTicket } from "../../db/tickets.ts";
import { listTicketEvents } from "../../db/events.ts";
import { listNotifications } from "../../db/notifications.ts";
import { listMessages } from "../../db/messages.ts";
import { assignTicket } from "../../services/assignment.ts";
import { addNote, transferTicket } from "../../services/collaboration.ts";
import { changeDepartment, changeStatus } from "../../services/tickets.ts";
import { updateDepartmentIdentity } from "../../db/department_addresses.ts";
import type { Store } from "../../db/client.ts";
import { parseMessage } from "../../mail/parse.ts";

async function team(store: Store) {
  const admin = await createAgent(store, {
    email: "admin@example.test",
    name: "管理",
    password: "x".repeat(10),
    role: "admin",
  });
  const sato = await createAgent(store, {
    email: "sato@example.test",
    name: "佐藤",
    password: "x".repeat(10),
    role: "agent",
  });
  const suzuki = await createAgent(store, {
    email: "suzuki@example.test",
    name: "鈴木",
    password: "x".repeat(10),
    role: "agent",
  });
  const sales = await store.writeTx((tx) =>
    createDepartment(tx, { name: "営業部", slug: "sales" }, 0)
  );
  return { admin, sato, suzuki, sales };
}

function newTicket(store: Store, email = "taro@example.com") {
  return createTicketForCustomer(store, {
    customer: { email, name: "太郎" },
    subject: "見積もり",
    text: "お願いします",
    channel: "web",
  });
}

Deno.test("team: mail to a department's address files there over SMTP and is dealt round-robin", async () => {
  const { store, cleanup } = await tempStore();
  const { sato, suzuki, sales } = await team(store);
  await store.writeTx(async (tx) => {
    await setDepartmentAddresses(tx, sales.id, ["Sales@example.test"]);
    await setAgentDepartments(tx, sato.id, [sales.id]);
    await setAgentDepartments(tx, suzuki.id, [sales.id]);
    await updateAssignmentRule(tx, sales.id, {
      mode: "round_robin",
      firstReceiverId: null,
      preferLastAgent: false,
    });
  });
  const smtp = await startInboundSmtp(deliverTo(store), {
    host: "127.0.0.1",
    port: 0,
    mailDomains: ["example.test"],
    maxMessageBytes: 1024 * 1024,
    maxConnections: 4,
  });
  try {
    const send = (to: string, n: number) =>
      sendRaw(
        smtp.port,
        { from: `c${n}@example.com`, to: [to] },
        rawMail({
          From: `c${n}@example.com`,
          To: to,
          Subject: `件名${n}`,
          "Message-ID": `<m${n}@example.com>`,
        }, "本文"),
      );
    await send("sales@example.test", 1);
    await send("sales@example.test", 2);
    await send("sales@example.test", 3);
    await send("support@example.test", 4);
    const tickets = await store.db.selectFrom("tickets").select([
      "id",
      "department_id",
      "assignee_id",
    ])
      .orderBy("id").execute();
    assert.deepEqual(tickets.map((t) => t.department_id), [sales.id, sales.id, sales.id, 1]);
    assert.deepEqual(tickets.map((t) => t.assignee_id), [sato.id, suzuki.id, sato.id, null]);
    const events = await listTicketEvents(store.db, tickets[0].id);
    const assigned = events.find((e) => e.kind === "assignee.changed")!;
    assert.deepEqual(JSON.parse(assigned.dataJson).reason, {
      via: "round_robin",
      name: "佐藤",
      next: "鈴木",
    });
  } finally {
    await smtp.close();
    await cleanup();
  }
});

Deno.test("team: an agent takes an unassigned ticket but cannot take a colleague's; a supervisor can", async () => {
  const { store, cleanup } = await tempStore();
  try {
    const { admin, sato, suzuki } = await team(store);
    const rt = testRuntime(store);
    const t1 = await newTicket(store);
    await run(rt, (ctx) => assignTicket(ctx, { ticketId: t1.id, assigneeId: sato.id }), {
      actor: agent(sato),
    });
    assert.equal((await findTicket(store.db, t1.id))!.assigneeId, sato.id);
    await assert.rejects(
      run(rt, (ctx) => assignTicket(ctx, { ticketId: t1.id, assigneeId: suzuki.id }), {
        actor: agent(suzuki),
      }),
      { name: "ForbiddenError" },
    );
    await run(rt, (ctx) => assignTicket(ctx, { ticketId: t1.id, assigneeId: suzuki.id }), {
      actor: agent({ ...suzuki, role: "supervisor" }),
    });
    assert.equal((await findTicket(store.db, t1.id))!.assigneeId, suzuki.id);
    await run(rt, (ctx) => assignTicket(ctx, { ticketId: t1.id, assigneeId: sato.id }), {
      actor: agent(admin),
    });
    await run(rt, (ctx) => assignTicket(ctx, { ticketId: t1.id, assigneeId: suzuki.id }), {
      actor: agent(admin),
    });
    assert.equal((await findTicket(store.db, t1.id))!.assigneeId, suzuki.id);
    // The new assignee was notified (not the one who assigned themself).
    // Each new assignee was notified, never the agent who took it themself.
    assert.deepEqual((await listNotifications(store.db, suzuki.id)).map((n) => n.kind), [
      "ticket.assigned",
    ]);
    assert.deepEqual((await listNotifications(store.db, sato.id)).map((n) => n.kind), [
      "ticket.assigned",
    ]);
  } finally {
    await cleanup();
  }
});

Deno.test("team: replying to an unassigned ticket assigns the replier; a customer reply notifies the assignee", async () => {
  const { store, cleanup } = await tempStore();
  try {
    const { sato } = await team(store);
    const t1 = await newTicket(store);
    await queueReply(store, {}, {
      ticketId: t1.id,
      agent: sato,
      text: "承知しました",
      status: "pending",
    });
    assert.equal((await findTicket(store.db, t1.id))!.assigneeId, sato.id);
  } finally {
    await cleanup();
  }
});

Deno.test("team: a restricted agent cannot see or change another department's ticket (404)", async () => {
  const { store, cleanup } = await tempStore();
  try {
    const { sato, sales } = await team(store);
    await store.writeTx(async (tx) => {
      await setAgentDepartments(tx, sato.id, [sales.id]);
      await updateAgent(tx, sato.id, { restricted: true });
    });
    const t1 = await newTicket(store);
    const restricted = agent({ ...sato, role: "agent" });
    const actor = { ...restricted, departmentIds: [sales.id] } as typeof restricted;
    await assert.rejects(
      run(testRuntime(store), (ctx) => changeStatus(ctx, { ticketId: t1.id, status: "open" }), {
        actor,
      }),
      { name: "NotFoundError" },
    );
  } finally {
    await cleanup();
  }
});

Deno.test("team: a note with a mention notifies the agent and never reaches the customer page", async () => {
  const { store, cleanup } = await tempStore();
  try {
    const { sato, suzuki } = await team(store);
    const t1 = await newTicket(store);
    await run(
      testRuntime(store),
      (ctx) => addNote(ctx, { ticketId: t1.id, text: "@鈴木 確認お願いします (mail taro@suzuki)" }),
      {
        actor: agent(sato),
      },
    );
    assert.deepEqual((await listNotifications(store.db, suzuki.id)).map((n) => n.kind), [
      "note.mention",
    ]);
    assert.deepEqual(await listNotifications(store.db, sato.id), []);
    const notes = (await listMessages(store.db, t1.id)).filter((m) => m.direction === "note");
    assert.equal(notes.length, 1);
    assert.equal(notes[0].agentId, sato.id);
  } finally {
    await cleanup();
  }
});

Deno.test("team: a transfer needs a memo, assigns, notifies in the app and by mail with a link", async () => {
  const { store, cleanup } = await tempStore();
  try {
    const { sato, suzuki, sales } = await team(store);
    const t1 = await newTicket(store);
    const rt = testRuntime(store, { sender: { publicUrl: "https://help.example.test" } });
    await assert.rejects(
      run(rt, (ctx) => transferTicket(ctx, { ticketId: t1.id, assigneeId: suzuki.id, memo: " " }), {
        actor: agent(sato),
      }),
      { name: "ValidationError" },
    );
    await run(
      rt,
      (ctx) =>
        transferTicket(ctx, {
          ticketId: t1.id,
          assigneeId: suzuki.id,
          departmentId: sales.id,
          memo: "見積もりは営業で",
        }),
      {
        actor: agent({ ...sato, role: "agent" }),
      },
    );
    const ticket = (await findTicket(store.db, t1.id))!;
    assert.equal(ticket.assigneeId, suzuki.id);
    assert.equal(ticket.departmentId, sales.id);
    const notices = await listNotifications(store.db, suzuki.id);
    assert.deepEqual(notices.map((n) => [n.kind, n.data.memo]), [[
      "ticket.transferred",
      "見積もりは営業で",
    ]]);
    const outbox = await store.db.selectFrom("outbox").select(["envelope_to", "raw"]).execute();
    assert.equal(outbox.length, 1);
    assert.equal(outbox[0].envelope_to, '["suzuki@example.test"]');
    const mail = await parseMessage(new Uint8Array(outbox[0].raw));
    assert.match(mail.text, /見積もりは営業で/);
    assert.match(mail.text, /https:\/\/help\.example\.test\/tickets\/1001/);
    const events = (await listTicketEvents(store.db, t1.id)).map((e) => e.kind);
    assert.ok(events.includes("ticket.transferred") && events.includes("department.changed"));
  } finally {
    await cleanup();
  }
});

Deno.test("team: a reply goes out with the department's From name, reply address and signature", async () => {
  const { store, cleanup } = await tempStore();
  try {
    const { sato, sales } = await team(store);
    await store.writeTx((tx) =>
      updateDepartmentIdentity(tx, sales.id, {
        fromName: "営業部",
        replyAddress: "sales@example.test",
        signature: "営業部 佐藤",
      })
    );
    const t1 = await newTicket(store);
    await run(
      testRuntime(store),
      (ctx) => changeDepartment(ctx, { ticketId: t1.id, departmentId: sales.id }),
    );
    await queueReply(store, {}, {
      ticketId: t1.id,
      agent: sato,
      text: "お見積もりです",
      status: "pending",
    });
    const [out] = await store.db.selectFrom("outbox").select(["envelope_from", "raw"]).execute();
    assert.equal(out.envelope_from, "sales@example.test");
    const mail = await parseMessage(new Uint8Array(out.raw));
    assert.match(mail.text, /お見積もりです\n+営業部 佐藤/);
    assert.equal(mail.from?.address, "sales@example.test");
  } finally {
    await cleanup();
  }
});
