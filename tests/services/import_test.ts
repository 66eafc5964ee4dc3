/**
 * Importing old mail (services/import.ts) through the SMTP filing path: an mbox built from the
 * real-world corpus, a Maildir and an .eml folder of the same mail; counts, idempotence, resuming,
 * and no automatic mail for imported mail.
 */
import assert from "node:assert/strict";
import { saveAfterHoursPolicy } from "../../db/after_hours.ts";
import { assignDepartmentSchedule, insertSchedule } from "../../db/schedules.ts";
import { defaultDepartmentId } from "../../db/tickets.ts";
import type { Store } from "../../db/client.ts";
import { DEFAULT_AFTER_HOURS_POLICY } from "../../domain/after_hours.ts";
import { importEnvelope } from "../../mail/import_envelope.ts";
import { parseMessage } from "../../mail/parse.ts";
import { dryRunImport, prepareImport, runImport } from "../../services/import.ts";
import { receiveMail } from "../../services/inbound_mail.ts";
import { at, WEEKDAYS_TOKYO } from "../automation_helpers.ts";
import { rawMail, tempStore } from "../helpers.ts";
import { testRuntime } from "../runtime.ts";

const CORPUS = new URL("../../../shared/corpus/", import.meta.url);
const enc = new TextEncoder();
const dec = new TextDecoder("latin1");

/** A message as an mbox holds it: ending in a line break. */
function withEol(raw: Uint8Array): Uint8Array {
  return raw[raw.length - 1] === 10 ? raw : new Uint8Array([...raw, 13, 10]);
}

/** Corpus messages (byte-exact, ending in a line break), or null when the corpus is absent. */
async function corpusMessages(): Promise<Uint8Array[] | null> {
  const paths: string[] = [];
  async function walk(dir: URL, rel: string) {
    for await (const e of Deno.readDir(dir)) {
      const name = `${rel}${e.name}`;
      if (e.isDirectory) await walk(new URL(`${e.name}/`, dir), `${name}/`);
      else if (/\.(eml|msg|txt)$/i.test(e.name) && !/LICENSE|NOTICE|README/i.test(e.name)) {
        paths.push(name);
      }
    }
  }
  try {
    for (const top of ["eml-format", "postal-mime", "mikel-mail", "mailparser"]) {
      await walk(new URL(`${top}/`, CORPUS), `${top}/`);
    }
  } catch {
    return null;
  }
  const out: Uint8Array[] = [];
  for (const p of paths.sort()) {
    const raw = await Deno.readFile(new URL(p, CORPUS));
    if (raw.length > 1_000_000) continue;
    out.push(withEol(raw));
    if (out.length === 40) break;
  }
  return out;
}

const PARSE_FAILS = "X-Test-Unparseable: yes";
/** The parser, except that a message carrying PARSE_FAILS is refused (to prove quarantine). */
function parse(raw: Uint8Array) {
  if (dec.decode(raw.subarray(0, 4000)).includes(PARSE_FAILS)) {
    return Promise.reject(new Error("unparseable (test)"));
  }
  return parseMessage(raw);
}

/** The corpus plus a thread, a duplicate and an unparseable message. */
async function fixture(): Promise<Uint8Array[] | null> {
  const corpus = await corpusMessages();
  if (!corpus) return null;
  const first = enc.encode(rawMail({
    From: "Taro <taro@example.com>",
    To: "support@example.test",
    Subject: "請求書について",
    "Message-ID": "<first@example.com>",
  }, "From now on, please send invoices by mail.\n\nFrom the desk of Taro"));
  const reply = enc.encode(rawMail({
    From: "Taro <taro@example.com>",
    To: "support@example.test",
    Subject: "Re: 請求書について",
    "Message-ID": "<second@example.com>",
    "In-Reply-To": "<first@example.com>",
    References: "<first@example.com>",
  }, "追記です。"));
  const broken = enc.encode(rawMail({
    From: "x@example.com",
    To: "support@example.test",
    Subject: "broken",
    "X-Test-Unparseable": "yes",
  }, "?"));
  return [first, ...corpus.slice(0, 20), reply, first, broken, ...corpus.slice(20)].map(withEol);
}

/** An mboxrd file of the messages. */
function mbox(messages: Uint8Array[], crlf = false): Uint8Array {
  const nl = crlf ? "\r\n" : "\n";
  const parts: Uint8Array[] = [];
  for (const raw of messages.map(withEol)) {
    parts.push(enc.encode(`From MAILER-DAEMON Thu Jan  1 00:00:00 2026${nl}`));
    const text = dec.decode(raw);
    // Escape body lines that look like a separator (mboxrd): byte-exact through latin1.
    const escaped = text.replace(/^(>*From )/gm, ">$1");
    parts.push(Uint8Array.from(escaped, (c) => c.charCodeAt(0)));
    parts.push(enc.encode(nl));
  }
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) (out.set(p, at), at += p.length);
  return out;
}

type Counts = { created: number; joined: number; duplicates: number; quarantined: number };

/** What the SMTP path makes of the same messages, in the same order, in a fresh database. */
async function smtpCounts(messages: Uint8Array[]): Promise<Counts & { tickets: number }> {
  const db = await tempStore();
  try {
    const rt = testRuntime(db.store);
    const counts = { created: 0, joined: 0, duplicates: 0, quarantined: 0 };
    for (const raw of messages) {
      const r = await receiveMail(rt, raw, importEnvelope(raw, null), { parse });
      counts[r.kind === "duplicate" ? "duplicates" : r.kind]++;
    }
    return { ...counts, tickets: await count(db.store, "tickets") };
  } finally {
    await db.cleanup();
  }
}

async function count(store: Store, table: "tickets" | "messages" | "outbox" | "notifications") {
  const r = await store.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

function countsOf(job: Counts): Counts {
  const { created, joined, duplicates, quarantined } = job;
  return { created, joined, duplicates, quarantined };
}

Deno.test("import: an mbox of corpus mail files like SMTP; a re-run files nothing; a new copy is all duplicates", async (t) => {
  const messages = await fixture();
  if (!messages) {
    return void t.step({ name: "skipped: ../shared/corpus is absent", fn: () => {}, ignore: true });
  }
  const expected = await smtpCounts(messages);
  assert.equal(expected.duplicates >= 1, true);
  assert.equal(expected.quarantined, 1);
  assert.ok(expected.joined >= 1, "the reply joins its ticket");
  const db = await tempStore();
  try {
    const rt = testRuntime(db.store);
    const path = `${db.dir}/takeout.mbox`;
    await Deno.writeFile(path, mbox(messages));
    const progress: number[] = [];
    const job = await prepareImport(rt, { path });
    const done = await runImport(rt, job.id, { parse, onProgress: (j) => progress.push(j.done) });
    assert.equal(done.status, "done");
    assert.equal(done.messages, messages.length);
    assert.deepEqual(countsOf(done), countsOf(expected));
    assert.equal(await count(db.store, "tickets"), expected.tickets);
    assert.equal(done.done, done.total, "the whole file was read");
    assert.equal(progress.length, messages.length);
    assert.ok(progress.every((p, i) => i === 0 || p > progress[i - 1]), "progress only grows");
    assert.equal(done.errors.length, 1);
    assert.match(done.errors[0].message, /^Quarantined: Cannot parse MIME/);

    // The message whose body had "From " lines came through byte-exact.
    const first = await db.store.db.selectFrom("messages").select("text_body")
      .where("message_id", "=", "first@example.com").executeTakeFirstOrThrow();
    assert.match(first.text_body, /^From now on/);
    assert.match(first.text_body, /\nFrom the desk of Taro/);

    const tickets = await count(db.store, "tickets");
    const again = await runImport(rt, (await prepareImport(rt, { path })).id, { parse });
    assert.equal(again.messages, messages.length, "nothing more was read");
    assert.equal(await count(db.store, "tickets"), tickets);

    // The same mail from another file: every message it files again is a duplicate.
    const copy = `${db.dir}/copy.mbox`;
    await Deno.copyFile(path, copy);
    const messagesBefore = await count(db.store, "messages");
    const second = await runImport(rt, (await prepareImport(rt, { path: copy })).id, { parse });
    assert.equal(second.messages, messages.length);
    assert.equal(
      second.created + second.joined,
      await count(db.store, "messages") - messagesBefore,
    );
    // Only mail without a Message-ID (or with one not its own) can be filed again.
    assert.ok(second.duplicates >= expected.created + expected.joined - 10);
  } finally {
    await db.cleanup();
  }
});

Deno.test("import: an interrupted run resumes where it stopped and files each message once", async (t) => {
  const messages = await fixture();
  if (!messages) {
    return void t.step({ name: "skipped: ../shared/corpus is absent", fn: () => {}, ignore: true });
  }
  const expected = await smtpCounts(messages);
  const db = await tempStore();
  try {
    const rt = testRuntime(db.store);
    const path = `${db.dir}/crlf.mbox`;
    await Deno.writeFile(path, mbox(messages, true));
    const job = await prepareImport(rt, { path, to: "support@example.test" });
    const stop = new AbortController();
    const stopped = await runImport(rt, job.id, {
      parse,
      signal: stop.signal,
      onProgress: (j) => j.messages === 7 && stop.abort(),
    });
    assert.equal(stopped.status, "pending");
    assert.equal(stopped.messages, 7);
    assert.ok(stopped.offset > 0 && stopped.offset < stopped.total);
    const resumed = await runImport(rt, (await prepareImport(rt, { path })).id, { parse });
    assert.equal(resumed.status, "done");
    assert.equal(resumed.messages, messages.length);
    assert.equal(resumed.rcptTo, "support@example.test");
    assert.deepEqual(countsOf(resumed), countsOf(expected));
    assert.equal(await count(db.store, "tickets"), expected.tickets);
  } finally {
    await db.cleanup();
  }
});

Deno.test("import: a Maildir and a folder of .eml files file the same as the mbox", async (t) => {
  const messages = await fixture();
  if (!messages) {
    return void t.step({ name: "skipped: ../shared/corpus is absent", fn: () => {}, ignore: true });
  }
  const expected = await smtpCounts(messages);
  for (const kind of ["maildir", "eml"] as const) {
    const db = await tempStore();
    try {
      const rt = testRuntime(db.store);
      const root = `${db.dir}/${kind}`;
      if (kind === "maildir") {
        for (const sub of ["cur", "new", "tmp"]) {
          await Deno.mkdir(`${root}/${sub}`, { recursive: true });
        }
      } else await Deno.mkdir(root);
      for (const [i, raw] of messages.entries()) {
        const n = String(1_700_000_000 + i);
        const name = kind === "maildir"
          ? `${i % 2 ? "cur" : "new"}/${n}.M${i}.host${i % 2 ? ":2,S" : ""}`
          : `${String(i).padStart(4, "0")}.eml`;
        await Deno.writeFile(`${root}/${name}`, raw);
      }
      const job = await prepareImport(rt, { path: root });
      assert.equal(job.kind, kind);
      assert.equal(job.total, messages.length);
      const stop = new AbortController();
      await runImport(rt, job.id, {
        parse,
        signal: stop.signal,
        onProgress: (j) => j.messages === 5 && stop.abort(),
      });
      const done = await runImport(rt, job.id, { parse });
      assert.equal(done.status, "done", kind);
      assert.equal(done.messages, messages.length, kind);
      assert.deepEqual(countsOf(done), countsOf(expected), kind);
      assert.equal(await count(db.store, "tickets"), expected.tickets, kind);
    } finally {
      await db.cleanup();
    }
  }
});

Deno.test("import: imported mail gets no after-hours auto-reply and notifies nobody; SMTP mail does", async () => {
  const saturdayNight = at("2026-03-07T22:00+09:00");
  const db = await tempStore();
  try {
    const departmentId = await defaultDepartmentId(db.store.db);
    await db.store.writeTx(async (tx) => {
      const id = await insertSchedule(tx, { name: "営業日", ...WEEKDAYS_TOKYO }, saturdayNight);
      await assignDepartmentSchedule(tx, departmentId, id);
      await saveAfterHoursPolicy(tx, departmentId, {
        ...DEFAULT_AFTER_HOURS_POLICY,
        autoReply: true,
      }, 0);
    });
    await db.store.writeTx((tx) =>
      tx.insertInto("agents").values({
        email: "agent@example.test",
        name: "Agent",
        password_hash: "x",
        role: "agent",
        created_at: 0,
      }).execute()
    );
    const rt = testRuntime(db.store, { now: () => saturdayNight });
    const mail = (id: string, extra: Record<string, string> = {}) =>
      enc.encode(rawMail({
        From: "taro@example.com",
        To: "support@example.test",
        Subject: "old question",
        "Message-ID": `<${id}@example.com>`,
        ...extra,
      }, "hello"));
    const path = `${db.dir}/old.mbox`;
    await Deno.writeFile(
      path,
      mbox([mail("old-1"), mail("old-2", { "In-Reply-To": "<old-1@example.com>" })]),
    );
    const job = await runImport(rt, (await prepareImport(rt, { path })).id);
    assert.deepEqual([job.created, job.joined], [1, 1]);
    assert.equal(await count(db.store, "outbox"), 0, "no auto-reply for imported mail");
    assert.equal(await count(db.store, "notifications"), 0, "no notice for an imported reply");

    // The same situation over SMTP: a reply notifies, a new mail gets its auto-reply.
    await receiveMail(rt, mail("new-1", { "In-Reply-To": "<old-1@example.com>" }), {
      mailFrom: "taro@example.com",
      rcptTo: ["support@example.test"],
      remoteAddress: "127.0.0.1",
    });
    assert.ok(await count(db.store, "notifications") > 0, "an SMTP reply notifies");
    await receiveMail(rt, mail("new-2", { Subject: "new question" }), {
      mailFrom: "hanako@example.com",
      rcptTo: ["support@example.test"],
      remoteAddress: "127.0.0.1",
    });
    assert.ok(await count(db.store, "outbox") > 0, "an SMTP mail after hours gets its auto-reply");
  } finally {
    await db.cleanup();
  }
});

Deno.test("import: a dry run reads the source through and writes nothing", async () => {
  const db = await tempStore();
  try {
    const path = `${db.dir}/x.mbox`;
    await Deno.writeFile(
      path,
      mbox([enc.encode(rawMail({ From: "a@example.com", Subject: "a" }, "x"))]),
    );
    const report = await dryRunImport({ path });
    assert.deepEqual(report, {
      kind: "mbox",
      messages: 1,
      unparseable: 0,
      tooLarge: 0,
      withoutRecipient: 1,
    });
    assert.equal(
      await db.store.db.selectFrom("import_jobs").selectAll().execute().then((r) => r.length),
      0,
    );
  } finally {
    await db.cleanup();
  }
});

Deno.test("import: a path that does not exist or a bad --to is refused", async () => {
  const db = await tempStore();
  try {
    const rt = testRuntime(db.store);
    await assert.rejects(prepareImport(rt, { path: `${db.dir}/nope.mbox` }), /No such file/);
    await Deno.writeTextFile(`${db.dir}/a.mbox`, "");
    await assert.rejects(
      prepareImport(rt, { path: `${db.dir}/a.mbox`, to: "not an address" }),
      /Not an e-mail/,
    );
  } finally {
    await db.cleanup();
  }
});

Deno.test("import: two runs of one job at once (the CLI and the admin page) file each message once", async () => {
  const db = await tempStore();
  try {
    const rt = testRuntime(db.store);
    const path = `${db.dir}/twice.mbox`;
    const messages = Array.from({ length: 12 }, (_, i) =>
      enc.encode(rawMail({
        From: `c${i}@example.com`,
        To: "support@example.test",
        Subject: `q${i}`,
        // No Message-ID: the duplicate rule cannot help; only the job's position can.
      }, "x")));
    await Deno.writeFile(path, mbox(messages));
    const job = await prepareImport(rt, { path });
    const [a, b] = await Promise.all([runImport(rt, job.id), runImport(rt, job.id)]);
    const final = a.messages >= b.messages ? a : b;
    assert.equal(final.messages, 12);
    assert.equal(final.created, 12);
    assert.equal(await count(db.store, "tickets"), 12, "no message filed twice");
  } finally {
    await db.cleanup();
  }
});
