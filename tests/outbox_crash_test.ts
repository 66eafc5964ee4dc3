/**
 * The real process and a real relay (an SMTP sink counting Message-IDs): kill -9 in the middle of
 * the outbox, restart, and two processes on one database. No mail may be lost; a mail may arrive
 * twice only when its process died between the relay's 250 and recording it.
 */
import assert from "node:assert/strict";
// @ts-types="@types/smtp-server"
import { SMTPServer } from "smtp-server";
import { unpackBytes } from "../db/stored_bytes.ts";
import { openStore } from "../db/client.ts";
import { rawMail, sendRaw } from "./helpers.ts";

const root = new URL("../", import.meta.url).pathname;
const ADMIN = { email: "admin@example.test", password: "correct horse battery" };

function freePort(): number {
  const l = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (l.addr as Deno.NetAddr).port;
  l.close();
  return port;
}

/** A relay that counts arrivals by Message-ID; `beforeAnswer` may delay the 250 of an arrival. */
async function startRelay(options: {
  beforeAnswer?: (arrival: number) => Promise<void> | void;
  afterAnswer?: (arrival: number) => void;
} = {}) {
  const arrivals: string[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    disableReverseLookup: true,
    onData(stream, _session, cb) {
      let raw = "";
      stream.setEncoding("utf8");
      stream.on("data", (c: string) => raw += c);
      stream.on("end", async () => {
        const id = raw.match(/^Message-ID: *(.*)$/im)?.[1].trim() ?? "(none)";
        arrivals.push(id);
        const arrival = arrivals.length;
        await options.beforeAnswer?.(arrival);
        cb(); // 250
        options.afterAnswer?.(arrival);
      });
    },
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const addr = server.server.address();
  const port = typeof addr === "object" && addr ? addr.port : 0;
  return {
    url: `smtp://127.0.0.1:${port}`,
    arrivals,
    counts() {
      const counts = new Map<string, number>();
      for (const id of arrivals) counts.set(id, (counts.get(id) ?? 0) + 1);
      return counts;
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** Starts main.ts on fresh ports; resolves once /healthz answers 200. */
async function startProcess(env: Record<string, string>) {
  const http = freePort();
  const smtp = freePort();
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-net",
      "--allow-read",
      "--allow-write",
      "--allow-env",
      "--allow-sys",
      "--allow-ffi",
      "main.ts",
    ],
    cwd: root,
    env: {
      ...env,
      MADOGUCHI_HTTP_HOST: "127.0.0.1",
      MADOGUCHI_HTTP_PORT: String(http),
      MADOGUCHI_SMTP_HOST: "127.0.0.1",
      MADOGUCHI_SMTP_PORT: String(smtp),
      MADOGUCHI_ADMIN_EMAIL: ADMIN.email,
      MADOGUCHI_ADMIN_PASSWORD: ADMIN.password,
      MADOGUCHI_OUTBOX_LEASE_SECONDS: "1",
      NO_COLOR: "1",
    },
    stdout: "null",
    stderr: "null",
  }).spawn();
  const deadline = Date.now() + 60_000;
  for (;;) {
    const ok = await fetch(`http://127.0.0.1:${http}/healthz`).then(
      async (r) => (await r.body?.cancel(), r.ok),
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error("The process did not become healthy");
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { child, http, smtp };
}

/** Files `count` inquiries by SMTP and replies to each through the API: `count` outbox mails. */
async function queueReplies(proc: { http: number; smtp: number }, count: number, first = 1001) {
  const auth = `Basic ${btoa(`${ADMIN.email}:${ADMIN.password}`)}`;
  for (let i = 0; i < count; i++) {
    const response = await sendRaw(
      proc.smtp,
      { from: `customer${i}@example.com`, to: ["support@example.test"] },
      rawMail({
        From: `customer${i}@example.com`,
        To: "support@example.test",
        Subject: `inquiry ${i}`,
        "Message-ID": `<inquiry-${i}-${crypto.randomUUID()}@example.com>`,
      }, "hello"),
    );
    assert.match(response, /^250 /);
    const reply = await fetch(`http://127.0.0.1:${proc.http}/api/v1/tickets/${first + i}/reply`, {
      method: "POST",
      headers: { authorization: auth, "content-type": "application/json" },
      body: JSON.stringify({ text: `answer ${i}` }),
    });
    assert.equal(reply.status, 201, await reply.text());
  }
}

/** Outbox rows as the database has them: status and Message-ID. */
async function outboxRows(dir: string) {
  const store = await openStore(`file:${dir}/madoguchi.db`);
  try {
    const rows = await store.db.selectFrom("outbox").select(["status", "raw", "raw_encoding"])
      .orderBy("id").execute();
    return rows.map((r) => ({
      status: r.status,
      // Sent mail is kept gzipped (db/stored_bytes.ts).
      messageId: new TextDecoder().decode(unpackBytes(new Uint8Array(r.raw), r.raw_encoding))
        .match(/^Message-ID: *(.*)$/im)![1].trim(),
    }));
  } finally {
    await store.close();
  }
}

async function waitUntil(what: string, condition: () => Promise<boolean> | boolean) {
  const deadline = Date.now() + 60_000;
  while (!await condition()) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function stop(child: Deno.ChildProcess) {
  try {
    child.kill("SIGTERM");
  } catch { /* already gone */ }
  await child.status;
}

Deno.test("outbox crash: kill -9 mid-way loses no mail; only the unrecorded one may arrive twice", async () => {
  const dir = await Deno.makeTempDir({ prefix: "madoguchi-crash-" });
  const MAILS = 12;
  const KILL_AT = 5;
  let queued!: () => void;
  const allQueued = new Promise<void>((r) => queued = r);
  let victim: Deno.ChildProcess | null = null;
  const relay = await startRelay({
    // Hold the first 250 until every mail is queued, so the rest go out back to back.
    beforeAnswer: (arrival) => arrival === 1 ? allQueued : undefined,
    // Die right after the relay's 250 for the fifth mail: before or after recording it.
    afterAnswer: (arrival) => {
      if (arrival === KILL_AT) victim?.kill("SIGKILL");
    },
  });
  const env = { MADOGUCHI_DATA_DIR: dir, MADOGUCHI_SMTP_RELAY_URL: relay.url };
  let second: Deno.ChildProcess | null = null;
  try {
    const first = await startProcess(env);
    victim = first.child;
    await queueReplies(first, MAILS);
    queued();
    const status = await first.child.status;
    assert.equal(status.signal, "SIGKILL");
    const arrivedBeforeKill = relay.arrivals.length;
    assert.ok(arrivedBeforeKill >= KILL_AT && arrivedBeforeKill < MAILS);
    const atKill = await outboxRows(dir);
    assert.equal(atKill.length, MAILS);
    const unrecorded = new Set(
      atKill.filter((r) => r.status === "sending").map((r) => r.messageId),
    );

    second = (await startProcess(env)).child;
    await waitUntil(
      "every mail to be recorded as sent",
      async () => (await outboxRows(dir)).every((r) => r.status === "sent"),
    );

    const counts = relay.counts();
    for (const row of atKill) {
      const n = counts.get(row.messageId) ?? 0;
      assert.ok(n >= 1, `mail ${row.messageId} (${row.status} at the kill) was lost`);
      if (!unrecorded.has(row.messageId)) {
        assert.equal(n, 1, `mail ${row.messageId} (${row.status} at the kill) arrived ${n} times`);
      } else {
        assert.ok(n <= 2, `mail ${row.messageId} arrived ${n} times`);
      }
    }
    assert.equal(counts.size, MAILS);
    const duplicates = [...counts.values()].filter((n) => n > 1).length;
    assert.ok(duplicates <= unrecorded.size);
    console.log(
      `kill -9 after ${arrivedBeforeKill} arrivals: ${unrecorded.size} unrecorded, ` +
        `${duplicates} duplicate(s), ${relay.arrivals.length} arrivals for ${MAILS} mails`,
    );
  } finally {
    if (second) await stop(second);
    if (victim) await stop(victim);
    await relay.close();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("outbox crash: a second process starting on the same database sends nothing twice", async () => {
  const dir = await Deno.makeTempDir({ prefix: "madoguchi-two-" });
  const MAILS = 6;
  let release!: () => void;
  const held = new Promise<void>((r) => release = r);
  // The first mail stays at the relay (no 250 yet) until the second process is up.
  const relay = await startRelay({ beforeAnswer: (arrival) => arrival === 1 ? held : undefined });
  const env = { MADOGUCHI_DATA_DIR: dir, MADOGUCHI_SMTP_RELAY_URL: relay.url };
  const running: Deno.ChildProcess[] = [];
  try {
    const a = await startProcess(env);
    running.push(a.child);
    await queueReplies(a, MAILS);
    await waitUntil("the first mail to reach the relay", () => relay.arrivals.length >= 1);
    const b = await startProcess(env);
    running.push(b.child);
    // Give the second process's outbox worker time for its first passes.
    await new Promise((r) => setTimeout(r, 1_500));
    release();
    await waitUntil(
      "every mail to be recorded as sent",
      async () => (await outboxRows(dir)).every((r) => r.status === "sent"),
    );
    const counts = relay.counts();
    assert.equal(counts.size, MAILS);
    const twice = [...counts].filter(([, n]) => n > 1).map(([id]) => id);
    assert.deepEqual(twice, [], "mail sent twice by two live processes");
  } finally {
    release();
    for (const child of running) await stop(child);
    await relay.close();
    await Deno.remove(dir, { recursive: true });
  }
});
