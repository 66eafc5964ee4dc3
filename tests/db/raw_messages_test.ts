import assert from "node:assert/strict";
import type { Store } from "../../db/client.ts";
import {
  findQuarantine,
  findRawMessage,
  insertRawMessage,
  listQuarantine,
  quarantine,
  resolveQuarantine,
} from "../../db/raw_messages.ts";
import { withStore } from "./seed.ts";

const bytes = (s: string) => new TextEncoder().encode(s);

function store_(store: Store, text: string, now = 1_000) {
  return store.writeTx((tx) =>
    insertRawMessage(tx, bytes(text), "sha", {
      mailFrom: "taro@example.com",
      rcptTo: ["support@example.test", "sales@example.test"],
      remoteAddress: "192.0.2.1",
    }, now)
  );
}

Deno.test("raw messages: the bytes and envelope come back exactly as received", () =>
  withStore(async (store) => {
    const text = "Subject: =?ISO-2022-JP?B?GyRCJDMkcxsoQg==?=\r\n\r\n\x1b$B$3$s\x1b(B\r\n";
    const id = await store_(store, text, 1_234);
    const raw = await findRawMessage(store.db, id);
    assert.deepEqual(raw?.content, bytes(text));
    assert.deepEqual(raw?.envelope, {
      mailFrom: "taro@example.com",
      rcptTo: ["support@example.test", "sales@example.test"],
      remoteAddress: "192.0.2.1",
    });
    assert.equal(raw?.receivedAt, 1_234);
    const row = await store.db.selectFrom("raw_messages").select("size").where("id", "=", id)
      .executeTakeFirstOrThrow();
    assert.equal(row.size, bytes(text).byteLength);
    assert.equal(await findRawMessage(store.db, id + 1), undefined);
  }));

Deno.test("quarantine: unresolved entries are listed newest first with their reason", () =>
  withStore(async (store) => {
    const a = await store_(store, "a");
    const b = await store_(store, "bb");
    await store.writeTx(async (tx) => {
      await quarantine(tx, a, "parse error", 1_000);
      await quarantine(tx, b, "too large", 2_000);
    });
    const list = await listQuarantine(store.db);
    assert.deepEqual(list.map((q) => [q.rawId, q.reason, q.size, q.mailFrom]), [
      [b, "too large", 2, "taro@example.com"],
      [a, "parse error", 1, "taro@example.com"],
    ]);
    await store.writeTx((tx) => resolveQuarantine(tx, list[0].id, null, 3_000));
    assert.deepEqual((await listQuarantine(store.db)).map((q) => q.rawId), [a]);
  }));

Deno.test("quarantine: an entry resolves once; a second re-processing is refused", () =>
  withStore(async (store) => {
    const raw = await store_(store, "a");
    await store.writeTx((tx) => quarantine(tx, raw, "parse error", 1_000));
    const [entry] = await listQuarantine(store.db);
    const results = await Promise.all([
      store.writeTx((tx) => resolveQuarantine(tx, entry.id, null, 2_000)),
      store.writeTx((tx) => resolveQuarantine(tx, entry.id, null, 2_500)),
    ]);
    assert.deepEqual(results, [true, false]);
    assert.equal(await store.writeTx((tx) => resolveQuarantine(tx, entry.id, null, 3_000)), false);
    assert.deepEqual(await findQuarantine(store.db, entry.id), {
      id: entry.id,
      rawId: raw,
      resolvedAt: 2_000,
    });
  }));

Deno.test("quarantine: the transaction that claimed an entry can still file it into a ticket", () =>
  withStore(async (store) => {
    const raw = await store_(store, "a");
    await store.writeTx((tx) => quarantine(tx, raw, "parse error", 1_000));
    const [entry] = await listQuarantine(store.db);
    const r = await store.writeTx(async (tx) => {
      const claimed = await resolveQuarantine(tx, entry.id, null, 2_000);
      const filed = await resolveQuarantine(tx, entry.id, 7, 2_000, { claimed: true });
      return [claimed, filed];
    });
    assert.deepEqual(r, [true, true]);
    const row = await store.db.selectFrom("quarantine").select(["ticket_id", "resolved_at"])
      .where("id", "=", entry.id).executeTakeFirstOrThrow();
    assert.deepEqual(row, { ticket_id: 7, resolved_at: 2_000 });
  }));
