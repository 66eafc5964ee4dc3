import assert from "node:assert/strict";
import { tempStore } from "../helpers.ts";
import { ticketCsvStream } from "../../services/exports.ts";
import { translator } from "../../domain/i18n/mod.ts";
import { SYSTEM } from "../runtime.ts";
import { parseCsv } from "../csv_parse.ts";

const T0 = Date.parse("2026-05-01T00:00:00Z");

async function seed(store: Awaited<ReturnType<typeof tempStore>>["store"], n: number) {
  await store.writeTx(async (tx) => {
    const { id: customerId } = await tx.insertInto("customers").values({
      email: "c@example.jp",
      name: "顧客",
      created_at: T0,
      updated_at: T0,
    }).returning("id").executeTakeFirstOrThrow();
    for (let i = 0; i < n; i += 200) {
      const rows = [];
      for (let j = i; j < Math.min(n, i + 200); j++) {
        rows.push({
          number: 1001 + j,
          subject: `件名 ${j}`,
          status: j % 3 === 0 ? "resolved" : "new",
          customer_id: customerId,
          department_id: 1,
          reply_token: `tok${j}`,
          channel: "mail",
          created_at: T0 + j * 60_000,
          updated_at: T0 + j * 60_000,
          // Ties on activity, broken by id.
          last_message_at: T0 + Math.floor(j / 7) * 60_000,
        });
      }
      await tx.insertInto("tickets").values(rows).execute();
    }
  });
}

Deno.test("exports: the ticket CSV streams in batches, every ticket once, in the list's order", async () => {
  const t = await tempStore();
  try {
    await seed(t.store, 1_203);
    const stream = ticketCsvStream(t.store.db, SYSTEM, {
      query: { sort: "newest" },
      encoding: "utf-8",
      t: translator("en"),
      timeZone: "UTC",
      now: T0,
    });
    const chunks: Uint8Array[] = [];
    for await (const chunk of stream) chunks.push(chunk);
    // A header-and-first-batch chunk, then one per 500 rows: never the whole file at once.
    assert.ok(chunks.length >= 3, `${chunks.length} chunks`);
    assert.ok(Math.max(...chunks.map((c) => c.length)) < 60_000);
    const text = new TextDecoder("utf-8", { ignoreBOM: true }).decode(
      new Uint8Array(chunks.flatMap((c) => [...c])),
    );
    assert.ok(text.startsWith("\uFEFF"));
    const rows = parseCsv(text.slice(1));
    assert.equal(rows[0][0], "Number");
    const numbers = rows.slice(1).map((r) => Number(r[0]));
    assert.equal(numbers.length, 1_203);
    assert.equal(new Set(numbers).size, 1_203);
    assert.deepEqual(numbers.slice(0, 3), [2203, 2202, 2201]);
    const resolved = rows.find((r) => r[0] === "1001")!;
    assert.equal(resolved[4], "Resolved");
    assert.equal(resolved[9], "2026-05-01 00:00");
    assert.equal(resolved[11], "2026-05-01 00:00");
  } finally {
    await t.cleanup();
  }
});

Deno.test("exports: a filtered list exports only its tickets", async () => {
  const t = await tempStore();
  try {
    await seed(t.store, 30);
    const stream = ticketCsvStream(t.store.db, SYSTEM, {
      query: { status: "resolved", sort: "oldest" },
      encoding: "utf-8",
      t: translator("ja"),
      timeZone: "Asia/Tokyo",
      now: T0,
    });
    const text = await new Response(stream).text(); // decoding drops the BOM
    const rows = parseCsv(text);
    assert.equal(rows[0][0], "番号");
    assert.equal(rows.length, 1 + 10);
    assert.ok(rows.slice(1).every((r) => r[4] === "対応完了"));
  } finally {
    await t.cleanup();
  }
});
