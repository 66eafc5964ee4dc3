/** Two processes on one database file: a writer waits for the other's transaction, never fails. */
import assert from "node:assert/strict";
import { sql } from "kysely";
import { tempStore } from "../helpers.ts";

const fixture = new URL("../fixtures/second_writer.ts", import.meta.url).pathname;

/** Starts the second process and returns a line reader for its stdout. */
function startSecondWriter(url: string) {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", fixture, url, "1000"],
    stdin: "piped",
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  const out = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  const stdin = child.stdin.getWriter();
  let buffer = "";
  return {
    async line(): Promise<string> {
      for (;;) {
        const newline = buffer.indexOf("\n");
        if (newline >= 0) {
          const line = buffer.slice(0, newline);
          buffer = buffer.slice(newline + 1);
          return line;
        }
        const { value, done } = await out.read();
        if (done) return "eof";
        buffer += value;
      }
    },
    send: (command: string) => stdin.write(new TextEncoder().encode(`${command}\n`)),
    async close() {
      await stdin.close();
      await out.cancel().catch(() => {});
      await child.status;
    },
  };
}

function countEvents(store: Awaited<ReturnType<typeof tempStore>>["store"], kind: string) {
  return store.db.selectFrom("events").select((eb) => eb.fn.countAll<number>().as("n"))
    .where("kind", "=", kind).executeTakeFirstOrThrow().then((r) => Number(r.n));
}

Deno.test("busy timeout: a second process's write waits for our open transaction and succeeds", async () => {
  const { store, dir, cleanup } = await tempStore();
  const other = startSecondWriter(`file:${dir}/test.db`);
  try {
    assert.equal(await other.line(), "ready");
    let answer: Promise<string> | undefined;
    await store.writeTx(async (tx) => {
      await sql`insert into events (kind, created_at) values ('ours', 0)`.execute(tx);
      await other.send("write");
      answer = other.line();
      // Hold the write lock about a second while the other process tries to write; without a
      // busy timeout its answer is an SQLITE_BUSY error long before we commit.
      await Promise.race([answer, new Promise((r) => setTimeout(r, 1000))]);
    });
    assert.equal(await answer, "done");
    assert.equal(await countEvents(store, "write"), 1);
  } finally {
    await other.close();
    await cleanup();
  }
});

Deno.test("busy timeout: our write waits for a second process's transaction and succeeds", async () => {
  const { store, dir, cleanup } = await tempStore();
  const other = startSecondWriter(`file:${dir}/test.db`);
  try {
    assert.equal(await other.line(), "ready");
    await other.send("hold");
    assert.equal(await other.line(), "holding");
    await store.writeTx((tx) =>
      sql`insert into events (kind, created_at) values ('ours', 0)`.execute(tx)
    );
    assert.equal(await other.line(), "released");
    assert.equal(await countEvents(store, "ours"), 1);
    assert.equal(await countEvents(store, "hold"), 1);
  } finally {
    await other.close();
    await cleanup();
  }
});
