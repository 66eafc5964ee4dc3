/**
 * A very long thread (`deno task bench:thread --db /tmp/x.db [--messages 3000]`): grows the first
 * ticket of a seeded database (bench/seed.ts) to `--messages` short inbound mails, for good (run it
 * on a copy) — an alert that keeps arriving on one ticket — and times its page and
 * `?thread=all`, each right after a commit (nothing kept: db/read_memo.ts) and again without one,
 * three times. Prints ms and the page's size. Timing never changes the exit code.
 */
import { benchApp, ORIGIN } from "./bench_app.ts";

function flag(name: string, fallback?: string): string | undefined {
  const i = Deno.args.indexOf(`--${name}`);
  return i >= 0 ? Deno.args[i + 1] : fallback;
}

const dbPath = flag("db");
if (!dbPath) {
  console.error("usage: deno task bench:thread --db /tmp/x.db [--messages 3000]");
  Deno.exit(2);
}
const messages = Number(flag("messages", "3000"));
const { store, app, cookie, close } = await benchApp(dbPath, {
  readWorkers: 0,
  email: "bench-thread@example.test",
});
const ticket = await store.db.selectFrom("tickets").select(["id", "number"]).orderBy("id")
  .limit(1).executeTakeFirstOrThrow();
const { n } = await store.db.selectFrom("messages").select((eb) => eb.fn.countAll<number>().as("n"))
  .where("ticket_id", "=", ticket.id).executeTakeFirstOrThrow();
const now = Date.now();
await store.writeTx(async (tx) => {
  for (let i = Number(n); i < messages; i++) {
    await tx.insertInto("messages").values({
      ticket_id: ticket.id,
      direction: "in",
      message_id: `alert-${i}@monitor.example.com`,
      in_reply_to: null,
      from_address: "monitor@example.com",
      from_name: "監視",
      subject: "ALERT db-01",
      text_body: `ALERT ${i}: ディスク使用率 91% (db-01)\n確認してください`,
      html_body: null,
      raw_id: null,
      agent_id: null,
      created_at: now - (messages - i) * 60_000,
    }).execute();
  }
});

async function get(path: string) {
  const t = performance.now();
  const res = await app.fetch(new Request(`${ORIGIN}${path}`, { headers: { cookie } }));
  const body = await res.text();
  if (res.status !== 200) throw new Error(`${path}: ${res.status}`);
  return { ms: performance.now() - t, bytes: body.length };
}

// Warm the code paths on another ticket first.
for (let i = 0; i < 20; i++) await get(`/tickets/${ticket.number + 1}`);
let flip = false;
const commit = () => {
  flip = !flip;
  return store.writeTx((tx) =>
    tx.updateTable("tickets").set({ priority: flip ? "high" : "normal" })
      .where("id", "=", ticket.id + 1).execute()
  );
};
console.log(`ticket #${ticket.number}: ${messages} messages`);
for (const path of [`/tickets/${ticket.number}`, `/tickets/${ticket.number}?thread=all`]) {
  const after: number[] = [];
  const kept: number[] = [];
  let bytes = 0;
  for (let i = 0; i < 3; i++) {
    await commit();
    after.push((await get(path)).ms);
    const again = await get(path);
    kept.push(again.ms);
    bytes = again.bytes;
  }
  const fmt = (xs: number[]) => xs.map((x) => x.toFixed(0)).join(" / ");
  console.log(`${path}: after a commit ${fmt(after)} ms, kept ${fmt(kept)} ms, ${bytes} bytes`);
}
await close();
Deno.exit(0);
