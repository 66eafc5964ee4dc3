/** Routing rules: admin-only changes, ordering, and what a new ticket gets (mail over SMTP, form). */
import assert from "node:assert/strict";
import { rawMail, sendRaw, tempStore } from "../helpers.ts";
import {
  agent,
  createAgent,
  createTicketForCustomer,
  deliverTo,
  run,
  testRuntime,
} from "../runtime.ts";
import { startInboundSmtp } from "../../mail/smtp_server.ts";
import { createDepartment } from "../../db/departments.ts";
import { setAgentDepartments, updateAgent } from "../../db/agents.ts";
import { updateAssignmentRule } from "../../db/assignment.ts";
import { listRoutingRules } from "../../db/routing_rules.ts";
import { ticketTags, upsertTag } from "../../db/tags.ts";
import { findTicket } from "../../db/tickets.ts";
import { listTicketEvents } from "../../db/events.ts";
import { changeRule, createRule, moveRule, removeRule } from "../../services/routing_rules.ts";
import { eventText } from "../../components/Timeline.tsx";
import { translator } from "../../domain/i18n/mod.ts";
import type { Store } from "../../db/client.ts";

async function desk(store: Store) {
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
  const { billing, refund } = await store.writeTx(async (tx) => {
    const billing = await createDepartment(tx, { name: "経理", slug: "billing" }, 0);
    const refund = await upsertTag(tx, { name: "返金", color: "#cc3333" }, 0);
    await setAgentDepartments(tx, sato.id, [billing.id]);
    await setAgentDepartments(tx, suzuki.id, [billing.id]);
    // 経理 assigns new tickets to its first receiver, 鈴木.
    await updateAssignmentRule(tx, billing.id, {
      mode: "first_receiver",
      firstReceiverId: suzuki.id,
      preferLastAgent: false,
    });
    return { billing, refund };
  });
  return { admin, sato, suzuki, billing, refund, rt: testRuntime(store) };
}

Deno.test("routing rules: only admins change them; move, switch off and delete keep the order", async () => {
  const { store, cleanup } = await tempStore();
  try {
    const { admin, sato, billing, rt } = await desk(store);
    const as = { actor: agent(admin) };
    const make = (name: string) =>
      run(rt, (ctx) =>
        createRule(ctx, {
          name,
          enabled: true,
          conditions: { subject: [name] },
          actions: { departmentId: billing.id },
        }), as);
    const a = await make("a");
    const b = await make("b");
    const c = await make("c");
    await assert.rejects(
      run(rt, (ctx) => moveRule(ctx, { id: c, direction: "up" }), {
        actor: agent({ ...sato, role: "agent" }),
      }),
      { name: "ForbiddenError" },
    );
    await run(rt, (ctx) => moveRule(ctx, { id: c, direction: "up" }), as);
    await run(rt, (ctx) => moveRule(ctx, { id: a, direction: "up" }), as); // already first
    assert.deepEqual((await listRoutingRules(store.db)).map((r) => r.name), ["a", "c", "b"]);
    await run(rt, (ctx) => changeRule(ctx, { id: b, enabled: false }), as);
    await run(rt, (ctx) => removeRule(ctx, a), as);
    assert.deepEqual(
      (await listRoutingRules(store.db)).map((r) => [r.name, r.enabled]),
      [["c", true], ["b", false]],
    );
    await assert.rejects(
      run(
        rt,
        (ctx) =>
          createRule(ctx, {
            name: "empty",
            enabled: true,
            conditions: {},
            actions: { priority: "high" },
          }),
        as,
      ),
      (e: { name: string; fields: Record<string, string> }) =>
        e.name === "ValidationError" && "conditions" in e.fields,
    );
    await assert.rejects(
      run(rt, (ctx) =>
        createRule(ctx, {
          name: "ghost",
          enabled: true,
          conditions: { subject: ["x"] },
          actions: { departmentId: 999 },
        }), as),
      (e: { fields: Record<string, string> }) => "department_id" in e.fields,
    );
  } finally {
    await cleanup();
  }
});

Deno.test("routing rules: a form's category moves the ticket; the new department's assignment follows; a rule's assignee wins", async () => {
  const { store, cleanup } = await tempStore();
  try {
    const { admin, sato, billing, refund, rt } = await desk(store);
    const as = { actor: agent(admin) };
    await run(rt, (ctx) =>
      createRule(ctx, {
        name: "請求区分",
        enabled: true,
        conditions: { category: ["ご請求・お支払いについて"] },
        actions: { departmentId: billing.id, priority: "high" },
      }), as);
    const form = await createTicketForCustomer(store, {
      customer: { email: "hanako@example.com", name: "花子" },
      subject: "請求書について",
      text: "再発行してください",
      channel: "web",
      category: "ご請求・お支払いについて",
    });
    const t1 = (await findTicket(store.db, form.id))!;
    assert.equal(t1.departmentId, billing.id);
    assert.equal(t1.priority, "high");
    // 経理's first receiver took it, with the reason.
    assert.equal(
      t1.assigneeId,
      (await store.db.selectFrom("agents").select("id").where("name", "=", "鈴木")
        .executeTakeFirstOrThrow()).id,
    );
    // The same words without the category (an API ticket) stay where they were.
    const api = await createTicketForCustomer(store, {
      customer: { email: "hanako@example.com", name: "花子" },
      subject: "ご請求・お支払いについて",
      text: "x",
      channel: "api",
    });
    assert.equal((await findTicket(store.db, api.id))!.departmentId, 1);

    // A rule naming 佐藤 wins over 経理's first receiver; an absent 佐藤 is skipped.
    await run(rt, (ctx) =>
      createRule(ctx, {
        name: "返金",
        enabled: true,
        conditions: { body: ["返金"] },
        actions: { departmentId: billing.id, assigneeId: sato.id, tagIds: [refund.id] },
      }), as);
    const r1 = await createTicketForCustomer(store, {
      customer: { email: "jiro@example.com", name: "次郎" },
      subject: "注文",
      text: "返金をお願いします",
      channel: "web",
    });
    assert.equal((await findTicket(store.db, r1.id))!.assigneeId, sato.id);
    assert.deepEqual((await ticketTags(store.db, r1.id)).map((g) => g.name), ["返金"]);
    const ja = translator("ja");
    const texts = (await listTicketEvents(store.db, r1.id)).map((e) =>
      eventText(ja, {
        id: e.id,
        kind: e.kind,
        data: JSON.parse(e.dataJson),
        agentName: null,
        createdAt: 0,
      })
    );
    assert.ok(
      texts.includes("ルール「返金」: 部署 → 経理、担当者 → 佐藤、タグ +返金"),
      texts.join("\n"),
    );
    assert.ok(texts.includes("ルール「返金」により割り当て: 佐藤"), texts.join("\n"));

    await store.writeTx((tx) => updateAgent(tx, sato.id, { absent: true }));
    const r2 = await createTicketForCustomer(store, {
      customer: { email: "jiro@example.com", name: "次郎" },
      subject: "注文2",
      text: "返金",
      channel: "web",
    });
    const t2 = (await findTicket(store.db, r2.id))!;
    assert.notEqual(t2.assigneeId, sato.id);
    assert.notEqual(t2.assigneeId, null);
    const kinds = (await listTicketEvents(store.db, r2.id)).map((
      e,
    ) => [e.kind, JSON.parse(e.dataJson)]);
    assert.ok(kinds.some(([k, d]) => k === "routing.applied" && d.skipped === "佐藤"));

    // Switched off, the rule does nothing.
    const rule = (await listRoutingRules(store.db)).find((r) => r.name === "返金")!;
    await run(rt, (ctx) => changeRule(ctx, { id: rule.id, enabled: false }), as);
    const r3 = await createTicketForCustomer(store, {
      customer: { email: "jiro@example.com", name: "次郎" },
      subject: "注文3",
      text: "返金",
      channel: "web",
    });
    assert.equal((await findTicket(store.db, r3.id))!.departmentId, 1);
    assert.deepEqual(await ticketTags(store.db, r3.id), []);
  } finally {
    await cleanup();
  }
});

Deno.test("routing rules: a mail matching a rule, sent over the SMTP socket, lands in the department with its tag and history", async () => {
  const { store, cleanup } = await tempStore();
  const { admin, billing, refund, rt } = await desk(store);
  await run(rt, (ctx) =>
    createRule(ctx, {
      name: "返金",
      enabled: true,
      conditions: { subject: ["返金", "払い戻し"], senderDomain: ["example.co.jp"] },
      actions: { departmentId: billing.id, tagIds: [refund.id] },
    }), { actor: agent(admin) });
  const smtp = await startInboundSmtp(deliverTo(store), {
    host: "127.0.0.1",
    port: 0,
    mailDomains: ["example.test"],
    maxMessageBytes: 1024 * 1024,
    maxConnections: 4,
  });
  try {
    const send = (from: string, subject: string, n: number) =>
      sendRaw(
        smtp.port,
        { from, to: ["support@example.test"] },
        rawMail({
          From: from,
          To: "support@example.test",
          Subject: subject,
          "Message-ID": `<r${n}@x>`,
        }, "本文"),
      );
    await send(
      "taro@shop.example.co.jp",
      "=?UTF-8?B?" + btoa(String.fromCharCode(...new TextEncoder().encode("払い戻しのお願い"))) +
        "?=",
      1,
    );
    await send(
      "taro@other.example",
      "=?UTF-8?B?" + btoa(String.fromCharCode(...new TextEncoder().encode("払い戻しのお願い"))) +
        "?=",
      2,
    );
    const tickets = await store.db.selectFrom("tickets").select([
      "id",
      "department_id",
      "assignee_id",
    ]).orderBy("id").execute();
    assert.equal(tickets.length, 2);
    assert.deepEqual(tickets.map((t) => t.department_id), [billing.id, 1]);
    assert.deepEqual((await ticketTags(store.db, tickets[0].id)).map((g) => g.name), ["返金"]);
    assert.deepEqual(await ticketTags(store.db, tickets[1].id), []);
    const events = await listTicketEvents(store.db, tickets[0].id);
    const applied = events.find((e) => e.kind === "routing.applied")!;
    assert.deepEqual(JSON.parse(applied.dataJson), {
      rule: "返金",
      ruleId: (await listRoutingRules(store.db))[0].id,
      department: "経理",
      tags: ["返金"],
    });
    // 経理's automatic assignment ran after the move.
    assert.notEqual(tickets[0].assignee_id, null);
    assert.ok(events.some((e) => e.kind === "department.changed"));
  } finally {
    await smtp.close();
    await cleanup();
  }
});
