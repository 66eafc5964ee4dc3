/** Full-text search through the real ingest path: Japanese substrings, widths, operators, filters. */
import assert from "node:assert/strict";
import { sql } from "kysely";
import type { Store } from "../../db/client.ts";
import { pendingCount } from "../../db/search.ts";
import { dayStart, searchTickets } from "../../services/search.ts";
import { ingestMessage } from "../runtime.ts";
import { rawMail, tempStore } from "../helpers.ts";

let seq = 0;
async function mail(
  store: Store,
  m: { from?: string; subject: string; body: string; html?: string; now?: number },
) {
  seq++;
  const headers = {
    From: m.from ?? `山田太郎 <taro${seq}@example.com>`,
    To: "support@example.test",
    Subject: m.subject,
    "Message-ID": `<search-${seq}@example.com>`,
  };
  const raw = m.html
    ? [
      ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
      "MIME-Version: 1.0",
      "Content-Type: text/html; charset=utf-8",
      "",
      m.html,
    ].join("\r\n")
    : rawMail(headers, m.body);
  await ingestMessage(store, new TextEncoder().encode(raw), {
    mailFrom: "x@example.com",
    rcptTo: ["support@example.test"],
    remoteAddress: null,
  }, { now: () => m.now ?? 1_700_000_000_000 });
}

async function subjects(store: Store, q: string, filters = {}) {
  const page = await searchTickets(store.db, { q, ...filters });
  return page.results.map((r) => r.ticket.subject).sort();
}

async function withMail(fn: (store: Store) => Promise<void>) {
  const { store, cleanup } = await tempStore();
  try {
    await mail(store, {
      from: "田中 <tanaka@example.com>",
      subject: "配送について",
      body: "ペンギン急便の配達時間を教えてください。",
    });
    await mail(store, { subject: "Invoice", body: "Please resend the invoice for October." });
    await mail(store, { subject: "ｶﾀｶﾅの件", body: "ＡＢＣ商事です。猫の写真を送ります" });
    await mail(store, {
      subject: "Script",
      body: "Look: <script>alert(1)</script> delivery failed",
    });
    await fn(store);
  } finally {
    await cleanup();
  }
}

Deno.test("search: a two-character Japanese word inside a body matches", async () => {
  await withMail(async (store) => {
    assert.deepEqual(await subjects(store, "配達"), ["配送について"]);
    assert.deepEqual(await subjects(store, "達時"), ["配送について"]);
  });
});

Deno.test("search: a five-character Japanese word and a one-character query match", async () => {
  await withMail(async (store) => {
    assert.deepEqual(await subjects(store, "ペンギン急便"), ["配送について"]);
    assert.deepEqual(await subjects(store, "ペンギン急"), ["配送について"]);
    assert.deepEqual(await subjects(store, "ギン急便の配"), ["配送について"]);
    assert.deepEqual(await subjects(store, "猫"), ["ｶﾀｶﾅの件"]);
    // Last character of a run (no bigram starts there).
    assert.deepEqual(await subjects(store, "す"), ["ｶﾀｶﾅの件"].concat([]).sort());
    assert.deepEqual(await subjects(store, "ペンギン特急"), []);
  });
});

Deno.test("search: full-width, half-width and case are the same", async () => {
  await withMail(async (store) => {
    assert.deepEqual(await subjects(store, "abc商事"), ["ｶﾀｶﾅの件"]);
    assert.deepEqual(await subjects(store, "ａｂｃ"), ["ｶﾀｶﾅの件"]);
    assert.deepEqual(await subjects(store, "カタカナ"), ["ｶﾀｶﾅの件"]);
    assert.deepEqual(await subjects(store, "INVOICE"), ["Invoice"]);
    assert.deepEqual(await subjects(store, "ｉｎｖｏｉｃｅ"), ["Invoice"]);
  });
});

Deno.test("search: English matches by word and prefix, not inside words", async () => {
  await withMail(async (store) => {
    assert.deepEqual(await subjects(store, "resend"), ["Invoice"]);
    assert.deepEqual(await subjects(store, "octo"), ["Invoice"]);
    assert.deepEqual(await subjects(store, "send"), []);
  });
});

Deno.test("search: phrases and exclusions", async () => {
  await withMail(async (store) => {
    assert.deepEqual(await subjects(store, '"the invoice"'), ["Invoice"]);
    assert.deepEqual(await subjects(store, '"invoice the"'), []);
    assert.deepEqual(await subjects(store, "delivery"), ["Script"]);
    assert.deepEqual(await subjects(store, "delivery -alert"), []);
    assert.deepEqual(await subjects(store, "配達 -ペンギン"), []);
    assert.deepEqual(await subjects(store, "please -alert"), ["Invoice"]);
    const only = await searchTickets(store.db, { q: "-invoice" });
    assert.equal(only.searched, false);
  });
});

Deno.test("search: the snippet is escaped first, then marked", async () => {
  await withMail(async (store) => {
    const page = await searchTickets(store.db, { q: "alert" });
    assert.equal(page.results.length, 1);
    const { snippet } = page.results[0];
    assert.ok(!snippet.includes("<script>"), snippet);
    assert.match(snippet, /&#60;script&#62;<mark>alert<\/mark>\(1\)&#60;\/script&#62;/);
  });
});

Deno.test("search: subjects, customer names and addresses, and HTML-only mail are indexed", async () => {
  await withMail(async (store) => {
    await mail(store, {
      from: "鈴木花子 <hanako@shop.example.org>",
      subject: "返品",
      body: "",
      html: "<p>商品を<b>返品</b>したいです &amp; 交換希望</p><script>secretword</script>",
    });
    assert.deepEqual(await subjects(store, "鈴木"), ["返品"]);
    assert.deepEqual(await subjects(store, "hanako@shop.example.org"), ["返品"]);
    assert.deepEqual(await subjects(store, "HANAKO@shop"), ["返品"]);
    assert.deepEqual(await subjects(store, "hanako@shop.example.com"), []);
    assert.deepEqual(await subjects(store, "交換希望"), ["返品"]);
    assert.deepEqual(await subjects(store, "secretword"), []);
    assert.deepEqual(await subjects(store, "配送"), ["配送について"]);
  });
});

Deno.test("search: filters by status, department, channel, date and attachment", async () => {
  await withMail(async (store) => {
    await mail(store, { subject: "後日の配達", body: "配達の再依頼", now: 1_800_000_000_000 });
    assert.deepEqual(await subjects(store, "配達"), ["後日の配達", "配送について"]);
    assert.deepEqual(await subjects(store, "配達", { from: 1_750_000_000_000 }), ["後日の配達"]);
    assert.deepEqual(await subjects(store, "配達", { to: 1_750_000_000_000 }), ["配送について"]);
    await store.writeTx((tx) =>
      tx.updateTable("tickets").set({ status: "resolved" }).where("subject", "=", "後日の配達")
        .execute()
    );
    assert.deepEqual(await subjects(store, "配達", { status: "resolved" }), ["後日の配達"]);
    assert.deepEqual(await subjects(store, "配達", { channel: "email" }), [
      "後日の配達",
      "配送について",
    ]);
    assert.deepEqual(await subjects(store, "配達", { channel: "api" }), []);
    assert.deepEqual(await subjects(store, "配達", { departmentId: 999 }), []);
    assert.deepEqual(await subjects(store, "配達", { hasAttachment: true }), []);
  });
});

Deno.test("search: the index follows subject and customer changes and message deletes", async () => {
  await withMail(async (store) => {
    await store.writeTx((tx) =>
      tx.updateTable("tickets").set({ subject: "至急の問い合わせ" }).where(
        "subject",
        "=",
        "Invoice",
      )
        .execute()
    );
    assert.deepEqual(await subjects(store, "至急"), ["至急の問い合わせ"]);
    await store.writeTx((tx) =>
      tx.updateTable("customers").set({ name: "佐々木一郎" }).where(
        "email",
        "=",
        "tanaka@example.com",
      )
        .execute()
    );
    assert.deepEqual(await subjects(store, "佐々木"), ["配送について"]);
    await store.writeTx((tx) =>
      sql`delete from messages where text_body like '%ペンギン%'`.execute(tx)
    );
    assert.deepEqual(await subjects(store, "ペンギン"), []);
    assert.equal(await pendingCount(store.db), 0);
  });
});

Deno.test("search: results and total come in pages", async () => {
  const { store, cleanup } = await tempStore();
  try {
    for (let i = 0; i < 23; i++) await mail(store, { subject: `件${i}`, body: "共通の語句" });
    const first = await searchTickets(store.db, { q: "共通" });
    assert.equal(first.total, 23);
    assert.equal(first.results.length, 20);
    assert.equal(first.hasNext, true);
    assert.equal(first.results[0].ticket.subject, "件22");
    const second = await searchTickets(store.db, { q: "共通", page: 2 });
    assert.deepEqual(second.results.map((r) => r.ticket.subject), ["件2", "件1", "件0"]);
    assert.equal(second.hasNext, false);
  } finally {
    await cleanup();
  }
});

Deno.test("search: a calendar day starts at midnight in the zone", () => {
  assert.equal(dayStart("2026-04-01", "Asia/Tokyo"), Date.UTC(2026, 2, 31, 15));
  assert.equal(dayStart("2026-04-01", "UTC"), Date.UTC(2026, 3, 1));
  assert.equal(dayStart("2026-02-30", "UTC"), null);
});

Deno.test("search: messages not yet indexed (an old database) are indexed when the store opens", async () => {
  const dir = await Deno.makeTempDir({ prefix: "madoguchi-test-" });
  const { openStore } = await import("../../db/client.ts");
  try {
    const first = await openStore(`file:${dir}/test.db`);
    await mail(first, { subject: "古い問い合わせ", body: "以前の配達について" });
    // As migration 0015 leaves an existing database: every message queued, none indexed.
    await sql`delete from search_fts`.execute(first.db);
    await sql`insert into search_pending (message_id, fresh) select id, 1 from messages`
      .execute(first.db);
    assert.deepEqual(await subjects(first, "配達"), []);
    await first.close();
    const again = await openStore(`file:${dir}/test.db`);
    try {
      assert.equal(await pendingCount(again.db), 0);
      assert.deepEqual(await subjects(again, "配達"), ["古い問い合わせ"]);
    } finally {
      await again.close();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
