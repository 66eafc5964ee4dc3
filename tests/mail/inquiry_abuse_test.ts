/** The public form cannot be used against other people: no renaming, no mail bombing. */
import assert from "node:assert/strict";
import { findDepartmentBySlug, findDepartmentSettings } from "../../db/departments.ts";
import { formTokenKey, issueFormToken } from "../../domain/form_token.ts";
import { CONFIRMATION_WINDOW_MS, CONFIRMATIONS_PER_ADDRESS } from "../../mail/confirmation.ts";
import { submitInquiry } from "../../services/inquiries.ts";
import { CUSTOMER, ingestMessage, run, testRuntime } from "../runtime.ts";
import { rawMail, tempStore } from "../helpers.ts";

const MAIL = {
  publicUrl: "https://help.example.test",
  supportAddress: "support@example.test",
  fromName: "サポート窓口",
  subjectTagPrefix: "#",
  relayConfigured: true,
};

async function setup() {
  const db = await tempStore();
  const department = (await findDepartmentBySlug(db.store.db, "support"))!;
  const key = await formTokenKey(btoa("k".repeat(32)));
  async function submit(input: { email: string; name: string; now?: number }) {
    const now = input.now ?? Date.now();
    const settings = await findDepartmentSettings(db.store.db, department.id);
    const formToken = await issueFormToken(key, "inquiry:1", now);
    return await run(testRuntime(db.store, { sender: MAIL }), (ctx) =>
      submitInquiry(ctx, {
        department,
        settings,
        lang: "ja",
        customer: { email: input.email, name: input.name },
        subject: "お問い合わせ",
        text: "本文です。",
        attachments: [],
        formToken,
        formKey: key,
      }), { actor: CUSTOMER, now });
  }
  async function mail(from: string) {
    await ingestMessage(
      db.store,
      new TextEncoder().encode(
        rawMail({ From: from, To: "support@example.test", Subject: "件名" }, "本文"),
      ),
      { mailFrom: null, rcptTo: ["support@example.test"], remoteAddress: null },
    );
  }
  async function customerName(email: string) {
    return (await db.store.db.selectFrom("customers").select("name").where("email", "=", email)
      .executeTakeFirst())?.name;
  }
  async function mailsTo(address: string) {
    const rows = await db.store.db.selectFrom("outbox").select("envelope_to").execute();
    return rows.filter((r) => (JSON.parse(r.envelope_to) as string[]).includes(address)).length;
  }
  async function events(kind: string) {
    return await db.store.db.selectFrom("events").select(["ticket_id", "data_json"])
      .where("kind", "=", kind).orderBy("id").execute();
  }
  return { ...db, submit, mail, customerName, mailsTo, events };
}

Deno.test("inquiry: a form post does not rename an existing customer; a new one gets the typed name", async () => {
  const t = await setup();
  try {
    await t.mail("本物 太郎 <taro@example.com>");
    assert.equal(await t.customerName("taro@example.com"), "本物 太郎");
    await t.submit({ email: "Taro@Example.com", name: "偽物" });
    assert.equal(await t.customerName("taro@example.com"), "本物 太郎");
    // Mail keeps updating the display name, as before.
    await t.mail("山田 太郎 <taro@example.com>");
    assert.equal(await t.customerName("taro@example.com"), "山田 太郎");
    await t.submit({ email: "hanako@example.com", name: "佐藤 花子" });
    assert.equal(await t.customerName("hanako@example.com"), "佐藤 花子");
  } finally {
    await t.cleanup();
  }
});

Deno.test("confirmation: an address gets a limited number a day; more inquiries are filed without one, with an event", async () => {
  const t = await setup();
  try {
    const start = Date.UTC(2026, 2, 9, 0, 0);
    const victim = "victim@example.net";
    const count = CONFIRMATIONS_PER_ADDRESS + 2;
    for (let i = 0; i < count; i++) {
      const r = await t.submit({ email: victim, name: "x", now: start + i * 60_000 });
      assert.equal(r.kind, "created");
    }
    const tickets = await t.store.db.selectFrom("tickets").select("id").execute();
    assert.equal(tickets.length, count, "every inquiry is still filed");
    assert.equal(await t.mailsTo(victim), CONFIRMATIONS_PER_ADDRESS);
    const skipped = await t.events("confirmation.skipped");
    assert.equal(skipped.length, 2);
    assert.deepEqual(JSON.parse(skipped[0].data_json).reason, "rate_limited");
    // Another address is not affected, and the window passes.
    await t.submit({ email: "other@example.net", name: "y", now: start });
    assert.equal(await t.mailsTo("other@example.net"), 1);
    await t.submit({ email: victim, name: "x", now: start + CONFIRMATION_WINDOW_MS + 1 });
    assert.equal(await t.mailsTo(victim), CONFIRMATIONS_PER_ADDRESS + 1);
  } finally {
    await t.cleanup();
  }
});
