/** Automatic mail cannot be turned against a stranger: caps per mailbox, domain and hour. */
import assert from "node:assert/strict";
import { saveAfterHoursPolicy } from "../../db/after_hours.ts";
import { findDepartmentBySlug, findDepartmentSettings } from "../../db/departments.ts";
import { openStore } from "../../db/client.ts";
import { DEFAULT_AFTER_HOURS_POLICY } from "../../domain/after_hours.ts";
import { formTokenKey, issueFormToken } from "../../domain/form_token.ts";
import { submitInquiry } from "../../services/inquiries.ts";
import { CUSTOMER, run, testRuntime } from "../runtime.ts";
import { rawMail, tempStore } from "../helpers.ts";
import { at, startDesk } from "../automation_helpers.ts";

const SATURDAY_NIGHT = at("2026-03-07T22:00+09:00");

function inquiry(from: string, i: number) {
  return rawMail({
    From: from,
    To: "support@example.test",
    Subject: `問い合わせ ${i}`,
    "Message-ID": `<cap-${i}@example.net>`,
  }, "よろしくお願いします。");
}

async function eventsOf(db: Awaited<ReturnType<typeof startDesk>>["store"]["db"], kind: string) {
  const rows = await db.selectFrom("events").select("data_json").where("kind", "=", kind)
    .orderBy("id").execute();
  return rows.map((r) => JSON.parse(r.data_json));
}

Deno.test("after-hours cap: 20 sub-addresses of one mailbox get one auto-reply, every mail is filed", async () => {
  const desk = await startDesk(SATURDAY_NIGHT);
  try {
    await desk.store.writeTx((tx) =>
      saveAfterHoursPolicy(tx, desk.departmentId, {
        ...DEFAULT_AFTER_HOURS_POLICY,
        autoReply: true,
      }, 0)
    );
    for (let i = 1; i <= 20; i++) {
      const address = `Victim+${i}@Example.net`;
      assert.match(await desk.send(address, inquiry(address, i)), /^250 /);
    }
    await desk.delivered();
    assert.equal(desk.sink.messages.length, 1);
    const tickets = await desk.store.db.selectFrom("tickets").select("id").execute();
    assert.equal(tickets.length, 20);
  } finally {
    await desk.stop();
  }
});

Deno.test("after-hours cap: one domain gets at most its hourly cap; the rest are skipped with an event", async () => {
  const desk = await startDesk(SATURDAY_NIGHT, { MADOGUCHI_AUTO_MAIL_PER_DOMAIN_PER_HOUR: "3" });
  try {
    await desk.store.writeTx((tx) =>
      saveAfterHoursPolicy(tx, desk.departmentId, {
        ...DEFAULT_AFTER_HOURS_POLICY,
        autoReply: true,
      }, 0)
    );
    for (let i = 1; i <= 5; i++) {
      const address = `user${i}@victim.example`;
      await desk.send(address, inquiry(address, i));
    }
    // Another domain is not affected.
    await desk.send("taro@example.com", inquiry("taro@example.com", 6));
    await desk.delivered();
    assert.equal(desk.sink.messages.length, 4);
    const skipped = await eventsOf(desk.store.db, "after_hours.skipped");
    assert.deepEqual(skipped.map((e) => e.reason), ["per_domain", "per_domain"]);
    assert.deepEqual(skipped.map((e) => e.to), ["user4@victim.example", "user5@victim.example"]);
    // An hour later the domain may get mail again.
    desk.clock.now += 3_600_000 + 1;
    await desk.send("user9@victim.example", inquiry("user9@victim.example", 9));
    await desk.delivered();
    assert.equal(desk.sink.messages.length, 5);
  } finally {
    await desk.stop();
  }
});

async function inquiryDesk(caps?: { perDomainPerHour: number; perHour: number }) {
  const db = await tempStore();
  const key = await formTokenKey(btoa("k".repeat(32)));
  async function submit(store: typeof db.store, email: string, now: number) {
    const department = (await findDepartmentBySlug(store.db, "support"))!;
    const settings = await findDepartmentSettings(store.db, department.id);
    const formToken = await issueFormToken(key, "inquiry:1", now);
    const rt = testRuntime(store, { sender: { relayConfigured: true, autoMailCaps: caps } });
    return await run(rt, (ctx) =>
      submitInquiry(ctx, {
        department,
        settings,
        lang: "ja",
        customer: { email, name: "x" },
        subject: "お問い合わせ",
        text: "本文です。",
        attachments: [],
        formToken,
        formKey: key,
      }), { actor: CUSTOMER, now });
  }
  async function confirmations(store: typeof db.store) {
    const rows = await store.db.selectFrom("outbox").select("envelope_to").execute();
    return rows.map((r) => JSON.parse(r.envelope_to) as string[]).flat()
      .filter((a) => !a.endsWith("@example.test"));
  }
  return { ...db, submit, confirmations };
}

Deno.test("confirmation cap: victim+1@, victim+2@… count as one address", async () => {
  const t = await inquiryDesk();
  try {
    const start = Date.UTC(2026, 2, 9, 0, 0);
    for (let i = 1; i <= 6; i++) {
      const r = await t.submit(t.store, `Victim+${i}@example.net`, start + i * 1000);
      assert.equal(r.kind, "created");
    }
    assert.equal((await t.confirmations(t.store)).length, 3);
    const skipped = await t.store.db.selectFrom("events").select("data_json")
      .where("kind", "=", "confirmation.skipped").execute();
    assert.equal(skipped.length, 3);
    assert.equal(JSON.parse(skipped[0].data_json).cap, "per_address");
  } finally {
    await t.cleanup();
  }
});

Deno.test("confirmation cap: the global hourly cap holds across a restart", async () => {
  const t = await inquiryDesk({ perDomainPerHour: 100, perHour: 2 });
  let store = t.store;
  try {
    const start = Date.UTC(2026, 2, 9, 0, 0);
    await t.submit(store, "a@one.example", start);
    await t.submit(store, "b@two.example", start + 1000);
    await store.close();
    store = await openStore(`file:${t.dir}/test.db`);
    const r = await t.submit(store, "c@three.example", start + 2000);
    assert.equal(r.kind, "created", "the inquiry is filed");
    assert.deepEqual(await t.confirmations(store), ["a@one.example", "b@two.example"]);
    await t.submit(store, "d@four.example", start + 3_600_000 + 1000);
    assert.equal((await t.confirmations(store)).length, 3);
  } finally {
    await store.close();
    await Deno.remove(t.dir, { recursive: true });
  }
});
