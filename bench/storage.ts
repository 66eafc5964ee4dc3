/**
 * Storage per 1 000 messages before and after compression, and what 1 M messages would take.
 * `deno task bench:storage [--messages 50000] [--keep /tmp/dir]`
 *
 * 1. The corpus alone: every raw file of ../shared/corpus packed as the database packs it
 *    (db/stored_bytes.ts) — raw bytes only.
 * 2. A whole database: `--messages` inbound mails (half the real-world corpus cycled with fresh
 *    Message-IDs, half generated help-desk mail in Japanese: plain UTF-8, Gmail-style HTML,
 *    ISO-2022-JP, one in twenty with a 30 KB attachment, a quarter of them replies in a thread)
 *    filed through the real path (`receiveMail`), an agent's reply on 60 % of the tickets, sent
 *    through the outbox worker (a relay that accepts everything). Then the file is copied with
 *    VACUUM INTO ("after": raw and sent mail compressed, as the desk stores them) and a second
 *    copy has every compressed row inflated again and is vacuumed ("before": what the same
 *    mail took without compression). Both are measured as files, with a per-table breakdown
 *    from SQLite's dbstat when the build has it.
 *
 * The 1 M figure is the measured bytes per message times 1 M: tables and indexes grow linearly
 * with rows; the FTS index and the mix of attachments are what moves it most (see README).
 */
import { gunzipSync } from "node:zlib";
import { createClient } from "@libsql/client";
import { packBytes } from "../db/stored_bytes.ts";
import { openStore } from "../db/client.ts";
import { insertAgent } from "../db/agents.ts";
import { loadConfig } from "../config.ts";
import { senderFromConfig } from "../mail/sender.ts";
import { agentActor, type Runtime, transact } from "../services/context.ts";
import { type IngestResult, receiveMail } from "../services/inbound_mail.ts";
import { replyToCustomer } from "../services/replies.ts";
import { startOutboxWorker } from "../loops/outbox_worker.ts";

function flag(name: string): string | undefined {
  const i = Deno.args.indexOf(`--${name}`);
  return i >= 0 ? Deno.args[i + 1] : undefined;
}

const MESSAGES = Number(flag("messages") ?? 20_000);
const KEEP = flag("keep");
const MiB = 1024 * 1024;

async function* walk(dir: string): AsyncGenerator<{ name: string; path: string }> {
  const entries = [];
  for await (const e of Deno.readDir(dir)) entries.push(e);
  entries.sort((a, b) => a.name < b.name ? -1 : 1);
  for (const e of entries) {
    const path = `${dir}/${e.name}`;
    if (e.isDirectory) yield* walk(path);
    else if (e.isFile) yield { name: e.name, path };
  }
}

const root = new URL("../../shared/corpus/", import.meta.url).pathname.replace(/\/$/, "");
const corpus: Uint8Array[] = [];
for await (const entry of walk(root)) {
  if (/\.(md|tsv|json)$/i.test(entry.name) || /LICENSE|NOTICE|README/i.test(entry.name)) continue;
  corpus.push(await Deno.readFile(entry.path));
}

// --- 1. The corpus, raw bytes only ----------------------------------------------------------
{
  let before = 0, after = 0, gzipped = 0;
  const started = performance.now();
  for (const bytes of corpus) {
    const packed = packBytes(bytes);
    before += bytes.byteLength;
    after += packed.data.byteLength;
    if (packed.encoding === "gzip") gzipped++;
  }
  const ms = performance.now() - started;
  const perK = (n: number) => `${(n / corpus.length * 1000 / MiB).toFixed(2)} MiB`;
  console.log(`corpus: ${corpus.length} messages, ${gzipped} stored gzip`);
  console.log(
    `  raw bytes per 1 000 messages: ${perK(before)} before, ${perK(after)} after ` +
      `(${(100 * after / before).toFixed(0)} %); ${(ms / corpus.length).toFixed(2)} ms per message`,
  );
}

// --- 2. A whole database ----------------------------------------------------------------------
const latin1 = new TextDecoder("latin1");
const utf8 = new TextEncoder();

/** The corpus message with its Message-ID replaced by a fresh one (so it is filed, not a dup). */
function withMessageId(raw: Uint8Array, id: string): Uint8Array {
  const text = latin1.decode(raw.subarray(0, Math.min(raw.length, 64 * 1024)));
  const end = text.search(/\r?\n\r?\n/);
  const head = end < 0 ? text : text.slice(0, end);
  const stripped = head.replace(/^Message-ID:[^\n]*\n(?:[ \t][^\n]*\n)*/gim, "");
  const headBytes = Uint8Array.from(`Message-ID: <${id}>\r\n${stripped}`, (c) => c.charCodeAt(0));
  const rest = raw.subarray(head.length);
  const out = new Uint8Array(headBytes.length + rest.length);
  out.set(headBytes);
  out.set(rest, headBytes.length);
  return out;
}

function prng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = prng(1014);
const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)];

const SENTENCES = [
  "いつもお世話になっております。",
  "先日注文した商品がまだ届いておりません。",
  "請求書の宛名を変更していただくことは可能でしょうか。",
  "ログインできなくなってしまいました。パスワードの再設定をお願いします。",
  "解約の手続きについて教えてください。",
  "添付の見積書の内容をご確認ください。",
  "配送先の住所を変更したいのですが、まだ間に合いますか。",
  "お手数ですが、折り返しご連絡いただけますと幸いです。",
  "We were charged twice for the same order last month.",
  "Could you please confirm the delivery date?",
];
const SUBJECTS = [
  "商品が届きません",
  "請求書について",
  "ログインできません",
  "解約の手続き",
  "見積もりのお願い",
];
const b64 = (bytes: Uint8Array) => btoa(String.fromCharCode(...bytes));
const wrap76 = (s: string) => s.replace(/.{76}/g, "$&\r\n");
const encodedWord = (s: string) => `=?UTF-8?B?${b64(utf8.encode(s))}?=`;

function b64Big(bytes: Uint8Array): string {
  let out = "";
  for (let i = 0; i < bytes.length; i += 3 * 4096) out += b64(bytes.subarray(i, i + 3 * 4096));
  return out;
}

const generated: { id: string; subject: string; from: string }[] = [];

/** A generated help-desk mail: plain, HTML, ISO-2022-JP-ish 7bit, or with an attachment. */
function generate(i: number): Uint8Array {
  const id = `gen-${i}@mail.example.jp`;
  const customer = Math.floor(rand() * 3000);
  const from = `customer${customer}@mail.example.jp`;
  const body = Array.from({ length: 3 + Math.floor(rand() * 10) }, () => pick(SENTENCES));
  body.push("", "--", `顧客 ${customer}`, "株式会社サンプル", "TEL 03-1234-5678");
  let subject = pick(SUBJECTS);
  const extra: string[] = [];
  if (generated.length > 10 && rand() < 0.25) {
    const parent = generated[generated.length - 1 - Math.floor(rand() * 10)];
    subject = `Re: ${parent.subject.replace(/^Re: /, "")}`;
    extra.push(`In-Reply-To: <${parent.id}>`, `References: <${parent.id}>`);
    body.push("", ...body.slice(0, 3).map((l) => `> ${l}`));
  }
  generated.push({ id, subject, from });
  const head = [
    `From: ${encodedWord(`顧客 ${customer}`)} <${from}>`,
    "To: support@example.test",
    `Subject: ${encodedWord(subject)}`,
    `Date: ${new Date(Date.UTC(2026, 0, 1) + i * 60_000).toUTCString()}`,
    `Message-ID: <${id}>`,
    ...extra,
    "MIME-Version: 1.0",
  ].join("\r\n");
  const r = rand();
  const text = body.join("\r\n");
  if (r < 0.05) {
    const attachment = new Uint8Array(30 * 1024);
    for (let k = 0; k < attachment.length; k++) attachment[k] = Math.floor(rand() * 256);
    return utf8.encode(
      `${head}\r\nContent-Type: multipart/mixed; boundary="b${i}"\r\n\r\n--b${i}\r\n` +
        `Content-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n${text}\r\n` +
        `--b${i}\r\nContent-Type: application/pdf; name="mitsumori.pdf"\r\n` +
        `Content-Disposition: attachment; filename="mitsumori.pdf"\r\n` +
        `Content-Transfer-Encoding: base64\r\n\r\n${wrap76(b64Big(attachment))}\r\n--b${i}--\r\n`,
    );
  }
  if (r < 0.4) {
    const html = `<div dir="ltr">${body.map((l) => `<div>${l || "<br>"}</div>`).join("")}</div>`;
    return utf8.encode(
      `${head}\r\nContent-Type: multipart/alternative; boundary="a${i}"\r\n\r\n--a${i}\r\n` +
        `Content-Type: text/plain; charset="UTF-8"\r\nContent-Transfer-Encoding: base64\r\n\r\n` +
        `${
          wrap76(b64(utf8.encode(text)))
        }\r\n--a${i}\r\nContent-Type: text/html; charset="UTF-8"\r\n` +
        `Content-Transfer-Encoding: base64\r\n\r\n${
          wrap76(b64(utf8.encode(html)))
        }\r\n--a${i}--\r\n`,
    );
  }
  return utf8.encode(
    `${head}\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n${text}\r\n`,
  );
}

const dir = KEEP ?? await Deno.makeTempDir({ prefix: "madoguchi-storage-" });
await Deno.mkdir(dir, { recursive: true });
const dbPath = `${dir}/desk.db`;
const store = await openStore(`file:${dbPath}`);
const config = loadConfig({
  MADOGUCHI_DATA_DIR: dir,
  MADOGUCHI_MAIL_DOMAINS: "example.test",
  MADOGUCHI_PUBLIC_URL: "http://localhost",
  MADOGUCHI_DNS_RESOLVER: "off",
});
let clock = Date.UTC(2026, 0, 1);
const rt: Runtime = {
  store,
  sender: senderFromConfig(config),
  wakers: { timers() {}, outbox() {} },
  now: () => clock,
};
const agent = await store.writeTx((tx) =>
  insertAgent(tx, {
    email: "sato@example.test",
    name: "佐藤",
    passwordHash: "x",
    role: "admin",
  }, clock)
);
const actor = agentActor(agent);

const started = performance.now();
const created: number[] = [];
let filed = 0;
const CONCURRENCY = 8;
let next = 0;
async function worker() {
  while (next < MESSAGES) {
    const i = next++;
    const raw = i % 2 === 0
      ? withMessageId(corpus[(i / 2) % corpus.length], `corpus-${i}@storage.bench`)
      : generate(i);
    clock += 1000;
    const r: IngestResult = await receiveMail(rt, raw, {
      mailFrom: null,
      rcptTo: ["support@example.test"],
      remoteAddress: null,
    });
    if (r.kind === "created") created.push(r.ticketId);
    if (r.kind !== "duplicate") filed++;
    if (i % 5000 === 4999) {
      const s = (performance.now() - started) / 1000;
      console.log(`  filed ${i + 1} in ${s.toFixed(0)} s`);
    }
  }
}
await Promise.all(Array.from({ length: CONCURRENCY }, worker));
let replies = 0;
for (const ticketId of created) {
  if (rand() >= 0.6) continue;
  const text = Array.from({ length: 4 + Math.floor(rand() * 6) }, () => pick(SENTENCES))
    .join("\n");
  try {
    await transact(rt, actor, (ctx) =>
      replyToCustomer(ctx, {
        ticketId,
        text: `お問い合わせありがとうございます。\n\n${text}\n\nサポート窓口 佐藤`,
        status: "pending",
      }));
    replies++;
  } catch (e) {
    // Spam or machine mail may refuse a reply; count only what was queued.
    if (replies === 0) console.error("reply:", e instanceof Error ? e.message : e);
  }
}
const outbox = await startOutboxWorker(store, {
  send: () => Promise.resolve(),
  close() {},
}, { now: () => clock });
outbox.wake();
await outbox.idle();
await outbox.stop();
const seconds = (performance.now() - started) / 1000;
const counts = await store.db.selectFrom("messages")
  .select((eb) => [eb.fn.countAll<number>().as("n")]).executeTakeFirstOrThrow();
const sent = await store.db.selectFrom("outbox").select((eb) => eb.fn.countAll<number>().as("n"))
  .where("status", "=", "sent").executeTakeFirstOrThrow();
await store.close();
console.log(
  `database: ${filed} inbound filed (${created.length} tickets), ${replies} replies ` +
    `(${sent.n} sent), ${counts.n} messages in all, in ${seconds.toFixed(0)} s`,
);

async function vacuumInto(from: string, to: string) {
  await Deno.remove(to).catch(() => {});
  const c = createClient({ url: `file:${from}` });
  await c.execute("pragma wal_checkpoint(truncate)");
  await c.execute({ sql: "vacuum into ?", args: [to] });
  c.close();
}

/** Bytes per table and index (dbstat), or null when the build lacks it. */
async function breakdown(path: string): Promise<Map<string, number> | null> {
  const c = createClient({ url: `file:${path}` });
  try {
    const rs = await c.execute(
      "select name, sum(pgsize) as bytes from dbstat group by name order by bytes desc",
    );
    return new Map(rs.rows.map((r) => [String(r.name), Number(r.bytes)]));
  } catch {
    return null;
  } finally {
    c.close();
  }
}

const afterPath = `${dir}/after.db`;
const beforePath = `${dir}/before.db`;
await vacuumInto(dbPath, afterPath);
await vacuumInto(afterPath, beforePath);
{
  // Inflate every compressed row again: the same mail, stored as it was before compression.
  const c = createClient({ url: `file:${beforePath}` });
  for (
    const [table, column, encoding] of [
      ["raw_messages", "content", "content_encoding"],
      ["outbox", "raw", "raw_encoding"],
    ]
  ) {
    let last = 0;
    while (true) {
      const rs = await c.execute({
        sql:
          `select id, ${column} as data from ${table} where ${encoding} = 'gzip' and id > ? order by id limit 500`,
        args: [last],
      });
      if (rs.rows.length === 0) break;
      const tx = await c.transaction("write");
      for (const row of rs.rows) {
        const data = new Uint8Array(row.data as ArrayBuffer);
        await tx.execute({
          sql: `update ${table} set ${column} = ?, ${encoding} = 'identity' where id = ?`,
          args: [gunzipSync(data), row.id as number],
        });
        last = Number(row.id);
      }
      await tx.commit();
    }
  }
  await c.execute("vacuum");
  c.close();
}
const sizeOf = async (p: string) => (await Deno.stat(p)).size;
const before = await sizeOf(beforePath);
const after = await sizeOf(afterPath);
const messages = Number(counts.n);
const perK = (bytes: number) => `${(bytes / messages * 1000 / MiB).toFixed(2)} MiB`;
const perM = (bytes: number) => `${(bytes / messages * 1e6 / 1024 / MiB).toFixed(1)} GiB`;
console.log(
  `  whole database per 1 000 messages: ${perK(before)} before, ${perK(after)} after ` +
    `(${(100 * after / before).toFixed(0)} %)`,
);
console.log(`  1 M messages, extrapolated linearly: ${perM(before)} before, ${perM(after)} after`);
const [b, a] = [await breakdown(beforePath), await breakdown(afterPath)];
if (b && a) {
  console.log("  largest tables and indexes, per 1 000 messages (before → after):");
  for (const [name, bytes] of [...b].slice(0, 10)) {
    console.log(`    ${name.padEnd(32)} ${perK(bytes).padStart(10)} → ${perK(a.get(name) ?? 0)}`);
  }
  const raw = (m: Map<string, number>) => (m.get("raw_messages") ?? 0) + (m.get("outbox") ?? 0);
  console.log(
    `  raw inbound + outbox bytes: ${(100 * raw(b) / before).toFixed(0)} % of the database ` +
      `before, ${(100 * raw(a) / after).toFixed(0)} % after`,
  );
}
if (!KEEP) await Deno.remove(dir, { recursive: true });
