/** isBusyError: the lock errors an SMTP adapter answers with 451, and nothing else. */
import assert from "node:assert/strict";
import { createClient } from "@libsql/client";
import { sql } from "kysely";
import { isBusyError } from "../../db/errors.ts";
import { tempStore } from "../helpers.ts";

Deno.test("isBusyError: a write that meets another connection's transaction is a busy error", async () => {
  const { store, dir, cleanup } = await tempStore();
  // A second client with no busy timeout fails at once instead of blocking this event loop.
  const other = createClient({ url: `file:${dir}/test.db` });
  try {
    let error: unknown = null;
    await store.writeTx(async (tx) => {
      await sql`insert into events (kind, created_at) values ('ours', 0)`.execute(tx);
      error = await other.execute("insert into events (kind, created_at) values ('theirs', 0)")
        .then(() => null, (e) => e);
    });
    assert.ok(error, "the second write should have failed");
    assert.equal(isBusyError(error), true);
    assert.equal(isBusyError(new Error("wrapped", { cause: error })), true);
  } finally {
    other.close();
    await cleanup();
  }
});

Deno.test("isBusyError: constraint, full disk and ordinary errors are not busy errors", async () => {
  const { store, cleanup } = await tempStore();
  try {
    const constraint = await store.writeTx((tx) =>
      sql`insert into events (id, kind, created_at) values (1, 'a', 0), (1, 'b', 0)`.execute(tx)
    ).then(() => null, (e) => e);
    assert.ok(constraint);
    assert.equal(isBusyError(constraint), false);
    assert.equal(isBusyError({ code: "SQLITE_FULL", rawCode: 13 }), false);
    assert.equal(isBusyError(new Error("database is locked")), false);
    assert.equal(isBusyError(null), false);
    assert.equal(isBusyError("SQLITE_BUSY"), false);
    assert.equal(isBusyError({ code: "SQLITE_BUSY_SNAPSHOT" }), true);
    assert.equal(isBusyError({ rawCode: 517 }), true);
  } finally {
    await cleanup();
  }
});
