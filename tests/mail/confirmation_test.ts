/** Confirmation mails of a web inquiry: content, headers, recipients, switches, templates. */
import assert from "node:assert/strict";
// @ts-types="@types/mailparser"
import { simpleParser } from "mailparser";
import { createAgent } from "../runtime.ts";
import { findDepartmentBySlug, findDepartmentSettings } from "../../db/departments.ts";
import type { DepartmentSettings } from "../../db/departments.ts";
import { listMessages } from "../../db/messages.ts";
import { findTicketByNumber } from "../../db/tickets.ts";
import { formTokenKey, issueFormToken } from "../../domain/form_token.ts";
import { composeAutoMail } from "../../mail/auto_mail.ts";
import { submitInquiry } from "../../services/inquiries.ts";
import { receiveMail } from "../../services/inbound_mail.ts";
import { rawMail, tempStore } from "../helpers.ts";
import { CUSTOMER, run, testRuntime } from "../runtime.ts";

const MAIL = {
  publicUrl: "https://help.example.test",
  supportAddress: "support@example.test",
  fromName: "サポート窓口",
  subjectTagPrefix: "#",
  relayConfigured: true,
};

async function setup() {
  const db = await tempStore();
  await createAgent(db.store, {
    email: "admin@example.test",
    name: "管理者",
    password: "correct horse battery",
    role: "admin",
  });
  const en = await createAgent(db.store, {
    email: "alice@example.test",
    name: "Alice",
    password: "correct horse battery",
    role: "agent",
  });
  await db.store.writeTx((tx) =>
    tx.updateTable("agents").set({ locale: "en" }).where("id", "=", en.id).execute()
  );
  const department = (await findDepartmentBySlug(db.store.db, "support"))!;
  const key = await formTokenKey(btoa("k".repeat(32)));
  async function submit(
    overrides: Partial<DepartmentSettings> = {},
    input: { email?: string; lang?: "ja" | "en"; subject?: string; name?: string } = {},
  ) {
    const settings = { ...await findDepartmentSettings(db.store.db, department.id), ...overrides };
    const formToken = await issueFormToken(key, "inquiry:1", Date.now());
    return await run(testRuntime(db.store, { sender: MAIL }), (ctx) =>
      submitInquiry(ctx, {
        department,
        settings,
        lang: input.lang ?? "ja",
        customer: { email: input.email ?? "taro@example.com", name: input.name ?? "山田 太郎" },
        subject: input.subject ?? "請求書の再発行",
        text: "再発行をお願いします。",
        attachments: [],
        formToken,
        formKey: key,
      }), { actor: CUSTOMER });
  }
  async function outbox() {
    const rows = await db.store.db.selectFrom("outbox").select(["raw", "envelope_to", "status"])
      .orderBy("id").execute();
    return await Promise.all(rows.map(async (r) => ({
      to: JSON.parse(r.envelope_to) as string[],
      status: r.status,
      mail: await simpleParser(new TextDecoder().decode(r.raw)),
    })));
  }
  return { ...db, department, submit, outbox, alice: en };
}

Deno.test("confirmation: the customer gets their inquiry, its number, a private link and an access key, as automatic mail", async () => {
  const t = await setup();
  try {
    await t.submit();
    const [customer] = (await t.outbox()).filter((m) => m.to.includes("taro@example.com"));
    assert.equal(customer.status, "queued");
    const m = customer.mail;
    assert.equal(m.headers.get("auto-submitted"), "auto-replied");
    assert.equal(m.headers.get("x-auto-response-suppress"), "All");
    assert.equal(m.subject, "お問い合わせを受け付けました: 請求書の再発行 [#1001]");
    assert.match(m.replyTo?.value[0].address ?? "", /^support\+t[a-z2-7]{26}@example\.test$/);
    const text = m.text ?? "";
    assert.match(text, /山田 太郎 様/);
    assert.match(text, /受付番号: 1001/);
    assert.match(text, /再発行をお願いします。/);
    assert.match(text, /https:\/\/help\.example\.test\/c\/[A-Za-z0-9_-]{43}\n/);
    assert.match(text, /https:\/\/help\.example\.test\/status/);
    assert.match(text, /アクセスキー: [0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}/);
    // Replying to the confirmation threads into the ticket: its Message-ID is on record.
    const ticket = (await findTicketByNumber(t.store.db, 1001))!;
    const out = (await listMessages(t.store.db, ticket.id)).find((x) => x.direction === "out")!;
    assert.equal(`<${out.messageId}>`, m.messageId);
    assert.equal(out.autoKind, "auto-reply");
  } finally {
    await t.cleanup();
  }
});

Deno.test("confirmation: an English visitor gets the English template", async () => {
  const t = await setup();
  try {
    await t.submit({}, { lang: "en", name: "Jane Doe" });
    const [customer] = (await t.outbox()).filter((m) => m.to.includes("taro@example.com"));
    assert.equal(customer.mail.subject, "We received your inquiry: 請求書の再発行 [#1001]");
    assert.match(customer.mail.text ?? "", /^Dear Jane Doe,/);
    assert.match(customer.mail.text ?? "", /Access key: /);
  } finally {
    await t.cleanup();
  }
});

Deno.test("confirmation: agents get a deep link to the reply box, each in their language, recorded as an internal note", async () => {
  const t = await setup();
  try {
    await t.submit();
    const mails = await t.outbox();
    const ja = mails.find((m) => m.to.includes("admin@example.test"))!;
    const en = mails.find((m) => m.to.includes("alice@example.test"))!;
    assert.deepEqual(ja.to, ["admin@example.test"]);
    assert.equal(ja.mail.subject, "[新規問い合わせ] 請求書の再発行 [#1001]");
    assert.match(
      ja.mail.text ?? "",
      /https:\/\/help\.example\.test\/tickets\/1001\?focus=reply#reply/,
    );
    assert.match(ja.mail.text ?? "", /山田 太郎 <taro@example\.com>/);
    assert.doesNotMatch(ja.mail.text ?? "", /\/c\//, "agents never get the customer's link");
    assert.equal(ja.mail.headers.get("auto-submitted"), "auto-replied");
    assert.equal(en.mail.subject, "[New inquiry] 請求書の再発行 [#1001]");
    const ticket = (await findTicketByNumber(t.store.db, 1001))!;
    const notes = (await listMessages(t.store.db, ticket.id)).filter((m) => m.direction === "note");
    assert.equal(notes.length, 2);
    // The notification must not thread back into the customer's conversation.
    assert.ok(notes.every((n) => n.messageId === null));
  } finally {
    await t.cleanup();
  }
});

Deno.test("confirmation: only the chosen agents are notified, and each mail can be switched off", async () => {
  const t = await setup();
  try {
    await t.submit({ notifyAgentIds: [t.alice.id] });
    let to = (await t.outbox()).flatMap((m) => m.to);
    assert.deepEqual(to.sort(), ["alice@example.test", "taro@example.com"]);

    await t.store.writeTx((tx) => tx.deleteFrom("outbox").execute());
    await t.submit({ confirmCustomer: false, confirmAgents: false });
    assert.equal((await t.outbox()).length, 0);

    await t.submit({ confirmCustomer: false });
    to = (await t.outbox()).flatMap((m) => m.to);
    assert.ok(!to.includes("taro@example.com"));
  } finally {
    await t.cleanup();
  }
});

Deno.test("confirmation: nothing goes to a no-reply or mailer-daemon address, but the agents still hear of it", async () => {
  const t = await setup();
  try {
    for (
      const email of ["no-reply@shop.example", "mailer-daemon@example.com", "noreply@x.example"]
    ) {
      await t.submit({}, { email });
    }
    const to = (await t.outbox()).flatMap((m) => m.to);
    assert.ok(to.every((a) => a.endsWith("@example.test")), `sent to ${to}`);
    assert.equal(to.length, 6);
  } finally {
    await t.cleanup();
  }
});

Deno.test("confirmation: a department's own template fills its placeholders", async () => {
  const t = await setup();
  try {
    await t.submit({
      templates: {
        customer: {
          ja: {
            subject: "【{{department}}】受付 {{number}}",
            body: "{{name}}様 番号{{number}} キー{{access_key}} {{reply_url}} {{unknown}}",
          },
        },
      },
    });
    const [customer] = (await t.outbox()).filter((m) => m.to.includes("taro@example.com"));
    assert.equal(customer.mail.subject, "【サポート】受付 1001");
    assert.match(
      customer.mail.text ?? "",
      /^山田 太郎様 番号1001 キー[0-9A-Z-]{19} https:\/\/help\.example\.test\/c\/\S+ \{\{unknown\}\}/,
    );
  } finally {
    await t.cleanup();
  }
});

Deno.test("confirmation: a line break in a name or subject never becomes a header of its own", async () => {
  const raw = new TextDecoder().decode(
    await composeAutoMail({
      from: { name: "サポート", address: "support@example.test" },
      to: [{ name: "Taro\r\nBcc: victim@example.org", address: "taro@example.com" }],
      subject: "Hello\r\nBcc: victim@example.org",
      text: "body",
      messageId: "x@example.test",
      ticketNumber: 1,
      date: new Date(0),
    }),
  );
  const headers = raw.split("\r\n\r\n")[0];
  assert.doesNotMatch(headers, /^Bcc:/im);
  const parsed = await simpleParser(raw);
  assert.equal(parsed.bcc, undefined);
  assert.equal(parsed.to && !Array.isArray(parsed.to) ? parsed.to.value.length : 0, 1);
});

Deno.test("confirmation: with no relay configured the mails are held, never shown as sent", async () => {
  const t = await setup();
  try {
    const department = t.department;
    const settings = await findDepartmentSettings(t.store.db, department.id);
    const key = await formTokenKey(btoa("k".repeat(32)));
    const formToken = await issueFormToken(key, "inquiry:1", Date.now());
    const rt = testRuntime(t.store, { sender: { ...MAIL, relayConfigured: false } });
    await run(rt, (ctx) =>
      submitInquiry(ctx, {
        department,
        settings,
        lang: "ja",
        customer: { email: "taro@example.com", name: "山田" },
        subject: "保留",
        text: "本文",
        attachments: [],
        formToken,
        formKey: key,
      }));
    const statuses = (await t.outbox()).map((m) => m.status);
    assert.ok(statuses.length > 0 && statuses.every((s) => s === "held"));
  } finally {
    await t.cleanup();
  }
});

Deno.test("confirmation: a customer answering the confirmation by mail joins the inquiry's ticket", async () => {
  const t = await setup();
  try {
    await t.submit();
    const [customer] = (await t.outbox()).filter((m) => m.to.includes("taro@example.com"));
    const replyTo = customer.mail.replyTo!.value[0].address!;
    const raw = rawMail({
      From: "taro@example.com",
      To: replyTo,
      Subject: "Re: 受付ありがとうございます",
      "Message-ID": "<answer@example.com>",
      "In-Reply-To": customer.mail.messageId!,
    }, "追加の情報です。");
    const result = await receiveMail(testRuntime(t.store), new TextEncoder().encode(raw), {
      mailFrom: "taro@example.com",
      rcptTo: [replyTo],
      remoteAddress: null,
    });
    assert.equal(result.kind, "joined");
    assert.equal("ticketNumber" in result && result.ticketNumber, 1001);
  } finally {
    await t.cleanup();
  }
});
