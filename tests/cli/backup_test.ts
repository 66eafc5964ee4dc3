/** deno task backup: a consistent copy of a database another process has open and is writing. */
import assert from "node:assert/strict";
import { openStore } from "../../db/client.ts";
import { tempStore } from "../helpers.ts";

const root = new URL("../../", import.meta.url).pathname;

function backup(dataDir: string, ...args: string[]) {
  return new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "cli/backup.ts", ...args],
    cwd: root,
    env: { MADOGUCHI_DATABASE_URL: `file:${dataDir}/test.db`, NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
}

function insertEvents(store: Awaited<ReturnType<typeof tempStore>>["store"], n: number) {
  return store.writeTx((tx) =>
    tx.insertInto("events").values(
      Array.from({ length: n }, () => ({
        ticket_id: null,
        agent_id: null,
        kind: "x",
        created_at: 0,
      })),
    ).execute()
  );
}

Deno.test("backup: copies the database while it is open and written to; the copy opens", async () => {
  const { store, dir, cleanup } = await tempStore();
  const target = `${dir}/copy.db`;
  try {
    await insertEvents(store, 100);
    let writing = true;
    const writer = (async () => {
      while (writing) {
        await insertEvents(store, 1);
        // The embedded driver is synchronous: without a macrotask this loop would starve I/O.
        await new Promise((r) => setTimeout(r, 1));
      }
    })();
    const out = await backup(dir, target);
    writing = false;
    await writer;
    assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
    assert.match(new TextDecoder().decode(out.stdout), /wrote .*copy\.db/);
    const copy = await openStore(`file:${target}`);
    try {
      const { n } = await copy.db.selectFrom("events")
        .select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
      assert.ok(Number(n) >= 100, `${n} events in the copy`);
    } finally {
      await copy.close();
    }
  } finally {
    await cleanup();
  }
});

Deno.test("backup: refuses to overwrite an existing file", async () => {
  const { dir, cleanup } = await tempStore();
  try {
    await Deno.writeTextFile(`${dir}/exists.db`, "keep me");
    const out = await backup(dir, `${dir}/exists.db`);
    assert.equal(out.code, 2);
    assert.match(new TextDecoder().decode(out.stderr), /exists/);
    assert.equal(await Deno.readTextFile(`${dir}/exists.db`), "keep me");
  } finally {
    await cleanup();
  }
});
