/** MADOGUCHI_RAW_RETENTION_DAYS: raw bytes of resolved tickets' mail go N days after the last change. */
import assert from "node:assert/strict";
import { findRawMessage } from "../../db/raw_messages.ts";
import { runHousekeeping } from "../../loops/housekeeping.ts";
import { loadConfig } from "../../config.ts";
import { ingestMessage } from "../runtime.ts";
import { rawMail, tempStore } from "../helpers.ts";

const DAY = 24 * 3_600_000;
const T = Date.UTC(2026, 0, 1);

Deno.test("raw retention: a resolved ticket's raw mail is dropped after N days; open tickets keep theirs", async () => {
  const t = await tempStore();
  try {
    const rawIds: number[] = [];
    for (const from of ["a@example.com", "b@example.com", "c@example.com"]) {
      const r = await ingestMessage(
        t.store,
        new TextEncoder().encode(
          rawMail({ From: from, To: "support@example.test", Subject: from }, "本文"),
        ),
        { mailFrom: from, rcptTo: ["support@example.test"], remoteAddress: null },
      );
      assert.ok("rawId" in r);
      rawIds.push(r.rawId);
    }
    // a: resolved 40 days ago; b: resolved 10 days ago; c: still open.
    await t.store.writeTx(async (tx) => {
      await tx.updateTable("tickets").set({ status: "resolved", updated_at: T - 40 * DAY })
        .where("number", "=", 1001).execute();
      await tx.updateTable("tickets").set({ status: "resolved", updated_at: T - 10 * DAY })
        .where("number", "=", 1002).execute();
    });
    const kept = await t.store.writeTx((tx) =>
      runHousekeeping(tx, T, 0, { since: 0, retentionDays: null })
    );
    assert.equal(kept.counts.rawDropped, 0, "without the setting raw mail is kept for ever");

    const run = await t.store.writeTx((tx) =>
      runHousekeeping(tx, T, 0, { since: 0, retentionDays: 30 })
    );
    assert.equal(run.counts.rawDropped, 1);
    assert.equal(run.rawBefore, T - 30 * DAY);
    assert.equal((await findRawMessage(t.store.db, rawIds[0]))!.content.byteLength, 0);
    assert.ok((await findRawMessage(t.store.db, rawIds[1]))!.content.byteLength > 0);
    assert.ok((await findRawMessage(t.store.db, rawIds[2]))!.content.byteLength > 0);

    // The next run looks only at tickets that crossed the line since.
    const next = await t.store.writeTx((tx) =>
      runHousekeeping(tx, T + 25 * DAY, 0, { since: run.rawBefore, retentionDays: 30 })
    );
    assert.equal(next.counts.rawDropped, 1);
    assert.equal((await findRawMessage(t.store.db, rawIds[1]))!.content.byteLength, 0);
  } finally {
    await t.cleanup();
  }
});

Deno.test("raw retention: the raw of a mail stored clipped is its only whole copy and is kept", async () => {
  const t = await tempStore();
  try {
    const rawIds: number[] = [];
    for (
      const [from, body] of [["long@example.com", "ログ 123456\n".repeat(60_000)], [
        "short@example.com",
        "本文",
      ]]
    ) {
      const r = await ingestMessage(
        t.store,
        new TextEncoder().encode(
          rawMail({ From: from, To: "support@example.test", Subject: from }, body),
        ),
        { mailFrom: from, rcptTo: ["support@example.test"], remoteAddress: null },
      );
      assert.ok("rawId" in r);
      rawIds.push(r.rawId);
    }
    const clipped = await t.store.db.selectFrom("messages").select("text_full_chars")
      .where("raw_id", "=", rawIds[0]).executeTakeFirstOrThrow();
    assert.equal(clipped.text_full_chars, 600_000);
    await t.store.writeTx((tx) =>
      tx.updateTable("tickets").set({ status: "resolved", updated_at: T - 40 * DAY }).execute()
    );
    const run = await t.store.writeTx((tx) =>
      runHousekeeping(tx, T, 0, { since: 0, retentionDays: 30 })
    );
    assert.equal(run.counts.rawDropped, 1);
    assert.ok((await findRawMessage(t.store.db, rawIds[0]))!.content.byteLength > 600_000);
    assert.equal((await findRawMessage(t.store.db, rawIds[1]))!.content.byteLength, 0);
  } finally {
    await t.cleanup();
  }
});

Deno.test("raw retention: the variable is optional and must be a whole number of days", () => {
  assert.equal(loadConfig({}).rawRetentionDays, null);
  assert.equal(loadConfig({ MADOGUCHI_RAW_RETENTION_DAYS: "365" }).rawRetentionDays, 365);
  assert.throws(() => loadConfig({ MADOGUCHI_RAW_RETENTION_DAYS: "0" }), /RAW_RETENTION_DAYS/);
});
