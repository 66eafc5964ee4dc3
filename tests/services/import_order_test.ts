/**
 * Importing old mail, part two: filed in date order (a reply stored before what it answers still
 * joins its thread), no SLA clock or reminder or assignment for old mail, and quarantined
 * imported mail keeps its job (listed with it, filed again as imported).
 */
import assert from "node:assert/strict";
import { saveSlaPolicy } from "../../db/sla_policies.ts";
import { listMessages } from "../../db/messages.ts";
import { findTicketByNumber } from "../../db/tickets.ts";
import { quarantinedByImport } from "../../db/imported_raw.ts";
import type { Store } from "../../db/client.ts";
import type { SlaPolicyInput } from "../../domain/sla_policy.ts";
import { dateOrder, messageDate } from "../../mail/mailbox_source.ts";
import { parseMessage } from "../../mail/parse.ts";
import { prepareImport, runImport } from "../../services/import.ts";
import { receiveMail } from "../../services/inbound_mail.ts";
import { rawMail, tempStore } from "../helpers.ts";
import { reprocess, testRuntime } from "../runtime.ts";

const enc = new TextEncoder();

function mbox(messages: string[]): Uint8Array {
  return enc.encode(
    messages.map((m) =>
      `From MAILER-DAEMON Thu Jan  1 00:00:00 2026\n${
        m.replace(/\r\n/g, "\n").replace(/\n*$/, "\n")
      }\n`
    )
      .join(""),
  );
}

function mail(id: string, date: string, extra: Record<string, string> = {}, body = "本文") {
  return rawMail({
    From: "taro@example.com",
    To: "support@example.test",
    Subject: "お問い合わせ",
    Date: date,
    "Message-ID": `<${id}@example.com>`,
    ...extra,
  }, body);
}

/** A thread stored newest first (as some exports do) and an undated message in between. */
const THREAD = [
  mail("c", "Wed, 03 Jun 2020 10:00:00 +0900", {
    Subject: "Re: お問い合わせ",
    "In-Reply-To": "<b@example.com>",
    References: "<a@example.com> <b@example.com>",
  }),
  mail("b", "Tue, 02 Jun 2020 10:00:00 +0900 (JST)", {
    Subject: "Re: お問い合わせ",
    "In-Reply-To": "<a@example.com>",
    References: "<a@example.com>",
  }),
  mail("a", "Mon, 01 Jun 2020 10:00:00 +0900"),
];

Deno.test("import order: dates sort the filing, file order breaks ties, an undated message keeps its neighbour's date", () => {
  assert.deepEqual(dateOrder([30, 20, 10]), [2, 1, 0]);
  assert.deepEqual(dateOrder([10, 10, 5]), [2, 0, 1]);
  assert.deepEqual(dateOrder([30, null, 10]), [2, 0, 1]);
  assert.deepEqual(dateOrder([null, 5]), [0, 1]);
  assert.equal(messageDate(enc.encode(THREAD[1])), Date.parse("2020-06-02T01:00:00Z"));
  assert.equal(messageDate(enc.encode("Subject: x\r\n\r\nbody")), null);
  assert.equal(messageDate(enc.encode("Date: not a date\r\n\r\nbody")), null);
});

async function imported(store: Store, path: string) {
  const rt = testRuntime(store);
  return await runImport(rt, (await prepareImport(rt, { path })).id);
}

Deno.test("import order: an mbox stored newest first builds one thread, oldest message first", async () => {
  const db = await tempStore();
  try {
    const path = `${db.dir}/newest-first.mbox`;
    await Deno.writeFile(path, mbox(THREAD));
    const job = await imported(db.store, path);
    assert.deepEqual([job.created, job.joined, job.done, job.total], [1, 2, 3, 3]);
    const ticket = (await findTicketByNumber(db.store.db, 1001))!;
    assert.equal(ticket.messageCount, 3);
    assert.equal(await findTicketByNumber(db.store.db, 1002), undefined);
    const thread = await listMessages(db.store.db, ticket.id);
    assert.deepEqual(thread.map((m) => m.messageId), [
      "a@example.com",
      "b@example.com",
      "c@example.com",
    ]);
  } finally {
    await db.cleanup();
  }
});

Deno.test("import order: a folder of .eml files whose names sort the reply first builds one thread", async () => {
  const db = await tempStore();
  try {
    const dir = `${db.dir}/takeout`;
    await Deno.mkdir(dir);
    // Names in reverse date order: 1.eml is the newest.
    for (const [i, m] of THREAD.entries()) await Deno.writeTextFile(`${dir}/${i + 1}.eml`, m);
    const job = await imported(db.store, dir);
    assert.deepEqual([job.created, job.joined], [1, 2]);
    assert.equal((await findTicketByNumber(db.store.db, 1001))!.messageCount, 3);
  } finally {
    await db.cleanup();
  }
});

const POLICY: SlaPolicyInput = {
  firstResponseMinutes: 60,
  nextResponseMinutes: 60,
  resolutionMinutes: 600,
  warning: { kind: "percent", value: 80 },
  businessHoursOnly: false,
  actions: { warning: [], breach: [{ kind: "notify", to: "supervisors", mail: true }] },
};

async function slaTimers(store: Store): Promise<number> {
  const r = await store.db.selectFrom("timers").select((eb) => eb.fn.countAll<number>().as("n"))
    .where("kind", "like", "sla%").executeTakeFirstOrThrow();
  return Number(r.n);
}

Deno.test("import: old mail starts no SLA clock, no assignment; the same mail over SMTP does", async () => {
  const db = await tempStore();
  try {
    await db.store.writeTx(async (tx) => {
      await tx.insertInto("agents").values({
        email: "boss@example.test",
        name: "boss",
        password_hash: "x",
        role: "admin",
        created_at: 0,
      }).execute();
      await saveSlaPolicy(tx, 1, "normal", POLICY, 0);
      // Round-robin: new mail gets an assignee (and the assignee a notice).
      await tx.updateTable("departments").set({ assignment: "round_robin" }).execute();
      await tx.insertInto("agent_departments").values({ agent_id: 1, department_id: 1 }).execute();
    });
    const path = `${db.dir}/old.mbox`;
    await Deno.writeFile(path, mbox(THREAD));
    const job = await imported(db.store, path);
    assert.equal(job.status, "done");
    const ticket = (await findTicketByNumber(db.store.db, 1001))!;
    const row = await db.store.db.selectFrom("tickets")
      .select(["first_response_due_at", "sla_due_at", "assignee_id"])
      .where("id", "=", ticket.id).executeTakeFirstOrThrow();
    assert.deepEqual(row, { first_response_due_at: null, sla_due_at: null, assignee_id: null });
    assert.equal(await slaTimers(db.store), 0, "no breach timer for years-old mail");
    const outbox = await db.store.db.selectFrom("outbox").select("id").execute();
    assert.equal(outbox.length, 0, "no automatic mail");

    // The same kind of mail over SMTP starts its clock.
    await receiveMail(
      testRuntime(db.store),
      enc.encode(mail("new", "Tue, 01 Dec 2026 10:00:00 +0900")),
      {
        mailFrom: "hanako@example.com",
        rcptTo: ["support@example.test"],
        remoteAddress: "127.0.0.1",
      },
    );
    const fresh = await db.store.db.selectFrom("tickets")
      .select(["first_response_due_at", "assignee_id"])
      .where("number", "=", 1002).executeTakeFirstOrThrow();
    assert.notEqual(fresh.first_response_due_at, null);
    assert.equal(fresh.assignee_id, 1, "SMTP mail is assigned");
    assert.ok(await slaTimers(db.store) > 0);
  } finally {
    await db.cleanup();
  }
});

Deno.test("import: quarantined imported mail is listed with its job and, filed again, stays imported", async () => {
  const db = await tempStore();
  try {
    await db.store.writeTx((tx) => saveSlaPolicy(tx, 1, "normal", POLICY, 0));
    const path = `${db.dir}/with-broken.mbox`;
    await Deno.writeFile(
      path,
      mbox([THREAD[2], mail("broken", "Mon, 01 Jun 2020 11:00:00 +0900")]),
    );
    const rt = testRuntime(db.store);
    const job = await runImport(rt, (await prepareImport(rt, { path })).id, {
      // The parser refuses one message (as it would a truly broken one).
      parse: (raw) =>
        new TextDecoder().decode(raw).includes("broken@")
          ? Promise.reject(new Error("bad MIME"))
          : parseMessage(raw),
    });
    assert.deepEqual([job.created, job.quarantined], [1, 1]);
    const listed = await quarantinedByImport(db.store.db, job.id);
    assert.equal(listed.length, 1);
    assert.match(listed[0].where, /^offset \d+$/);
    assert.match(listed[0].reason, /bad MIME/);
    assert.equal(listed[0].resolved, false);

    // An admin files it again (the real parser takes it): still old mail, no clock started.
    const result = await reprocess(db.store, listed[0].quarantineId);
    assert.equal(result.kind, "created");
    assert.equal(await slaTimers(db.store), 0);
    assert.equal((await quarantinedByImport(db.store.db, job.id))[0].resolved, true);
  } finally {
    await db.cleanup();
  }
});
