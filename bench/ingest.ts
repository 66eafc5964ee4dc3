/**
 * Inbound mail throughput bench (`deno task bench`, flags: `--n 2000 --k 8 --sample 10
 * --client worker|inline`, or env BENCH_N / BENCH_K).
 *
 * Pushes N generated messages over K reused SMTP connections (one pooled nodemailer transport per
 * connection, maxConnections 1, maxMessages Infinity, each sending its share one after another) to:
 * 1. the ceiling: a bare smtp-server whose onData only runs mailparser's simpleParser (no DB);
 * 2. the real thing: `startInboundSmtp` over `openStore` on a temp database FILE (WAL,
 *    synchronous=FULL), where every 250 means the message and its ticket are committed.
 * It prints throughput, client-side sendMail→250 latency percentiles, time-to-visible (after a
 * 250, until a separate read connection finds the ticket), writer utilisation, the durable/ceiling
 * ratio against the issue's targets, and then checks the database against what was sent.
 * Timing never fails the run; a wrong count does (exit 1).
 *
 * The client runs in a Worker by default so that it does not share the server's event loop (the
 * sending MTA is another process in production); `--client inline` keeps everything on one thread.
 */
// @ts-types="@types/smtp-server"
import { SMTPServer, type SMTPServerDataStream } from "smtp-server";
// @ts-types="@types/mailparser"
import { simpleParser } from "mailparser";
// @ts-types="@types/nodemailer"
import nodemailer from "nodemailer";
import { Buffer } from "node:buffer";
import { createClient } from "@libsql/client";
import { LibsqlDialect } from "@libsql/kysely-libsql";
import { Kysely, sql } from "kysely";
import { openStore, type Store, type Tx } from "../db/client.ts";
import type { Database } from "../db/schema.ts";
import { findTicketByNumber } from "../db/tickets.ts";
import { startInboundSmtp } from "../mail/smtp_server.ts";
import { senderFromConfig } from "../mail/sender.ts";
import { loadConfig } from "../config.ts";
import type { Runtime } from "../services/context.ts";
import { receiveMail } from "../services/inbound_mail.ts";

const DOMAIN = "example.test";
const RCPT = `support@${DOMAIN}`;
const TARGET_MSGS_PER_SEC = 300;
const TARGET_RATIO = 0.4;

// ---------------------------------------------------------------------------------------------
// Message generation (deterministic)

type Kind = "plain" | "html" | "reply" | "jis" | "attachment";

interface BenchMessage {
  kind: Kind;
  /** Index of the message this one replies to (same connection, sent earlier), or -1. */
  parent: number;
  from: string;
  raw: Uint8Array;
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const NAMES = [
  "山田太郎",
  "佐藤花子",
  "鈴木一郎",
  "高橋美咲",
  "田中健太",
  "伊藤由美",
  "渡辺翔",
  "中村あかり",
  "小林誠",
  "加藤恵子",
];
const SUBJECTS = [
  "【問い合わせ】請求書の再発行について",
  "ログインできません",
  "注文番号12345の配送状況を教えてください",
  "解約手続きについて",
  "領収書の宛名変更のお願い",
  "パスワード再設定メールが届かない",
  "料金プランの変更について相談です",
  "商品の初期不良について",
];
const SENTENCES = [
  "いつもお世話になっております。",
  "先日注文した商品がまだ届いておりません。",
  "請求書の再発行をお願いできますでしょうか。",
  "ログインしようとすると「認証に失敗しました」というエラーが表示されます。",
  "お手数ですが、ご確認のほどよろしくお願いいたします。",
  "添付の資料をご確認ください。",
  "パスワードを忘れてしまい、再設定のメールも届きません。",
  "契約内容の変更について相談したいことがあります。",
  "配送先の住所を変更したいのですが、可能でしょうか。",
  "領収書の宛名を株式会社山田商事に変更してください。",
  "昨日の午後三時ごろから、管理画面が開けない状態です。",
  "急ぎではありませんが、今週中にご回答いただけると助かります。",
];

const utf8 = new TextEncoder();

function b64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64");
}

function wrap76(text: string): string {
  return text.replace(/.{1,76}/g, "$&\r\n").trimEnd();
}

/** RFC 2047 encoded words, short enough to stay under 75 characters each, folded. */
function encodedWords(text: string, charset: "UTF-8" | "ISO-2022-JP"): string {
  const chars = [...text];
  const words: string[] = [];
  for (let i = 0; i < chars.length; i += 12) {
    const piece = chars.slice(i, i + 12).join("");
    const bytes = charset === "UTF-8" ? utf8.encode(piece) : encodeJis(piece);
    words.push(`=?${charset}?B?${b64(bytes)}?=`);
  }
  return words.join("\r\n ");
}

let jisTable: Map<string, number> | null = null;

/** char → JIS X 0208 row/cell (as row << 8 | cell), built from the WHATWG iso-2022-jp decoder. */
function jisMap(): Map<string, number> {
  if (jisTable) return jisTable;
  const bytes = [0x1b, 0x24, 0x42];
  for (let row = 0x21; row <= 0x7e; row++) {
    for (let cell = 0x21; cell <= 0x7e; cell++) bytes.push(row, cell);
  }
  bytes.push(0x1b, 0x28, 0x42);
  const chars = [...new TextDecoder("iso-2022-jp").decode(new Uint8Array(bytes))];
  if (chars.length !== 94 * 94) throw new Error("unexpected iso-2022-jp decoder output");
  jisTable = new Map();
  chars.forEach((ch, i) => {
    if (ch !== "\ufffd" && !jisTable!.has(ch)) {
      jisTable!.set(ch, ((0x21 + Math.floor(i / 94)) << 8) | (0x21 + (i % 94)));
    }
  });
  return jisTable;
}

/** One line of text as ISO-2022-JP bytes (ends in ASCII mode). */
function encodeJis(line: string): Uint8Array {
  const map = jisMap();
  const out: number[] = [];
  let jis = false;
  for (const ch of line) {
    const code = ch.codePointAt(0)!;
    if (code < 0x80) {
      if (jis) out.push(0x1b, 0x28, 0x42);
      jis = false;
      out.push(code);
      continue;
    }
    const rc = map.get(ch);
    if (rc === undefined) throw new Error(`not in JIS X 0208: ${ch}`);
    if (!jis) out.push(0x1b, 0x24, 0x42);
    jis = true;
    out.push(rc >> 8, rc & 0xff);
  }
  if (jis) out.push(0x1b, 0x28, 0x42);
  return new Uint8Array(out);
}

function joinBytes(parts: (string | Uint8Array)[]): Uint8Array {
  const chunks = parts.map((p) => typeof p === "string" ? utf8.encode(p) : p);
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0));
  let offset = 0;
  for (const c of chunks) {
    out.set(c, offset);
    offset += c.byteLength;
  }
  return out;
}

/**
 * N messages for K connections: message i goes over connection i % K. A reply always answers an
 * earlier message of the same connection, which has had its 250 (so is committed) before the
 * reply is sent: the reply must join that ticket.
 */
function generateMessages(n: number, k: number, tag: string): BenchMessage[] {
  const rand = mulberry32(20240607);
  const pick = <T>(list: readonly T[]) => list[Math.floor(rand() * list.length)];
  const attachment = new Uint8Array(50 * 1024);
  for (let i = 0; i < attachment.length; i++) attachment[i] = Math.floor(rand() * 256);
  const attachmentB64 = wrap76(b64(attachment));
  const messages: BenchMessage[] = [];
  const subjects: string[] = [];
  const refs: string[][] = [];
  const date = "Fri, 07 Jun 2024 10:15:00 +0900";
  for (let i = 0; i < n; i++) {
    const customer = Math.floor(rand() * 300);
    const name = NAMES[customer % NAMES.length];
    let from = `customer${customer}@mail.example.jp`;
    const messageId = `bench.${tag}.${i}@mail.example.jp`;
    const body = Array.from({ length: 4 + Math.floor(rand() * 8) }, () => pick(SENTENCES));
    body.push("", "--", `${name}`, "株式会社サンプル 営業部", "TEL 03-1234-5678");
    const r = rand();
    const earlier = i - k * (1 + Math.floor(rand() * 4));
    let kind: Kind = r < 0.2 && earlier >= 0
      ? "reply"
      : r < 0.35
      ? "jis"
      : r < 0.45
      ? "attachment"
      : r < 0.75
      ? "html"
      : "plain";
    let subject = pick(SUBJECTS);
    let raw: Uint8Array;
    let references: string[] = [];
    const common = (fromHeader: string, subjectHeader: string, extra: string[] = []) =>
      [
        `From: ${fromHeader}`,
        `To: サポート窓口 <${RCPT}>`.replace("サポート窓口", encodedWords("サポート窓口", "UTF-8")),
        `Subject: ${subjectHeader}`,
        `Date: ${date}`,
        `Message-ID: <${messageId}>`,
        ...extra,
        "MIME-Version: 1.0",
      ].join("\r\n");
    if (kind === "reply") {
      const parent = messages[earlier];
      from = parent.from;
      subject = `Re: ${subjects[earlier].replace(/^Re: /, "")}`;
      references = [...refs[earlier], `bench.${tag}.${earlier}@mail.example.jp`];
      const quoted = ["", "> " + SENTENCES[earlier % SENTENCES.length], "> (以下略)"];
      raw = utf8.encode(
        common(
          `${encodedWords(name, "UTF-8")} <${from}>`,
          encodedWords(subject, "UTF-8"),
          [
            `In-Reply-To: <${references.at(-1)}>`,
            `References: ${references.map((id) => `<${id}>`).join("\r\n ")}`,
          ],
        ) +
          "\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" +
          [...body, ...quoted].join("\r\n") + "\r\n",
      );
    } else if (kind === "jis") {
      raw = joinBytes([
        common(
          `${encodedWords(name, "ISO-2022-JP")} <${from}>`,
          encodedWords(subject, "ISO-2022-JP"),
        ),
        "\r\nContent-Type: text/plain; charset=ISO-2022-JP\r\nContent-Transfer-Encoding: 7bit\r\n\r\n",
        ...body.flatMap((line) => [encodeJis(line), "\r\n"]),
      ]);
    } else if (kind === "attachment") {
      const boundary = `----=_Part_${i}_bench`;
      raw = utf8.encode(
        common(`${encodedWords(name, "UTF-8")} <${from}>`, encodedWords(subject, "UTF-8")) +
          `\r\nContent-Type: multipart/mixed; boundary="${boundary}"\r\n\r\n` +
          `--${boundary}\r\nContent-Type: text/plain; charset=UTF-8\r\n` +
          `Content-Transfer-Encoding: base64\r\n\r\n${
            wrap76(b64(utf8.encode(body.join("\r\n"))))
          }\r\n` +
          `--${boundary}\r\nContent-Type: application/pdf; name="=?UTF-8?B?${
            b64(utf8.encode("請求書.pdf"))
          }?="\r\nContent-Disposition: attachment; filename*=UTF-8''${
            encodeURIComponent("請求書.pdf")
          }\r\nContent-Transfer-Encoding: base64\r\n\r\n${attachmentB64}\r\n--${boundary}--\r\n`,
      );
    } else if (kind === "html") {
      // What Gmail sends: multipart/alternative, both parts base64.
      const boundary = `000000000000bench${i}`;
      const html = `<div dir="ltr">${
        body.map((line) => `<div>${line || "<br>"}</div>`).join("")
      }</div>`;
      raw = utf8.encode(
        common(`${encodedWords(name, "UTF-8")} <${from}>`, encodedWords(subject, "UTF-8")) +
          `\r\nContent-Type: multipart/alternative; boundary="${boundary}"\r\n\r\n` +
          `--${boundary}\r\nContent-Type: text/plain; charset="UTF-8"\r\n` +
          `Content-Transfer-Encoding: base64\r\n\r\n${
            wrap76(b64(utf8.encode(body.join("\r\n"))))
          }\r\n` +
          `--${boundary}\r\nContent-Type: text/html; charset="UTF-8"\r\n` +
          `Content-Transfer-Encoding: base64\r\n\r\n${wrap76(b64(utf8.encode(html)))}\r\n` +
          `--${boundary}--\r\n`,
      );
    } else {
      kind = "plain";
      raw = utf8.encode(
        common(`${encodedWords(name, "UTF-8")} <${from}>`, encodedWords(subject, "UTF-8")) +
          "\r\nContent-Type: text/plain; charset=UTF-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n" +
          body.join("\r\n") + "\r\n",
      );
    }
    messages.push({ kind, parent: kind === "reply" ? earlier : -1, from, raw });
    subjects.push(subject);
    refs.push(references);
  }
  return messages;
}

function warmupMessage(tag: string, conn: number): BenchMessage {
  const raw = utf8.encode(
    [
      `From: warmup${conn}@mail.example.jp`,
      `To: ${RCPT}`,
      `Subject: ${encodedWords("接続の確認", "UTF-8")}`,
      `Date: Fri, 07 Jun 2024 10:00:00 +0900`,
      `Message-ID: <warmup.${tag}.${conn}@mail.example.jp>`,
      "MIME-Version: 1.0",
      "Content-Type: text/plain; charset=UTF-8",
      "",
      "ウォームアップ",
      "",
    ].join("\r\n"),
  );
  return { kind: "plain", parent: -1, from: `warmup${conn}@mail.example.jp`, raw };
}

// ---------------------------------------------------------------------------------------------
// Client (runs in a Worker by default)

interface ClientRequest {
  port: number;
  k: number;
  tag: string;
  messages: BenchMessage[];
  /** Database file to poll for time-to-visible, or null (the ceiling has no database). */
  dbPath: string | null;
  sampleEvery: number;
}

interface ClientResult {
  /** From the first measured sendMail to the last 250, ms (connections were already open). */
  elapsedMs: number;
  /** Per message: sendMail call → resolution, ms. */
  latencies: number[];
  responses: string[];
  errors: string[];
  /** 250 → a separate read connection finds the ticket, ms (sampled new tickets). */
  visibleMs: number[];
  visibleFirstTry: number;
}

async function runClient(req: ClientRequest): Promise<ClientResult> {
  const transports = Array.from({ length: req.k }, () =>
    nodemailer.createTransport({
      host: "127.0.0.1",
      port: req.port,
      secure: false,
      ignoreTLS: true,
      pool: true,
      maxConnections: 1,
      maxMessages: Infinity,
    }));
  const send = (conn: number, m: BenchMessage) =>
    transports[conn].sendMail({
      envelope: { from: m.from, to: [RCPT] },
      raw: Buffer.from(m.raw.buffer, m.raw.byteOffset, m.raw.byteLength),
    });
  let reader: Kysely<Database> | null = null;
  if (req.dbPath) {
    const client = createClient({ url: `file:${req.dbPath}` });
    // deno-lint-ignore no-explicit-any
    reader = new Kysely<Database>({ dialect: new LibsqlDialect({ client: client as any }) });
  }
  const result: ClientResult = {
    elapsedMs: 0,
    latencies: new Array(req.messages.length).fill(NaN),
    responses: new Array(req.messages.length).fill(""),
    errors: [],
    visibleMs: [],
    visibleFirstTry: 0,
  };
  const polls: Promise<void>[] = [];
  try {
    // One warm-up message per connection opens it, so connection set-up is not timed.
    await Promise.all(transports.map((_, conn) => send(conn, warmupMessage(req.tag, conn))));
    const t0 = performance.now();
    await Promise.all(transports.map(async (_, conn) => {
      for (let i = conn; i < req.messages.length; i += req.k) {
        const m = req.messages[i];
        const start = performance.now();
        try {
          const info = await send(conn, m);
          const acked = performance.now();
          result.latencies[i] = acked - start;
          result.responses[i] = info.response;
          const number = /#(\d+)/.exec(info.response)?.[1];
          if (reader && number && m.kind !== "reply" && i % req.sampleEvery === 0) {
            polls.push(pollVisible(reader, Number(number), acked, result));
          }
        } catch (e) {
          result.errors.push(`#${i}: ${e instanceof Error ? e.message : String(e)}`);
        }
      }
    }));
    result.elapsedMs = performance.now() - t0;
    await Promise.all(polls);
  } finally {
    for (const t of transports) t.close();
    await reader?.destroy();
  }
  return result;
}

async function pollVisible(
  reader: Kysely<Database>,
  number: number,
  acked: number,
  result: ClientResult,
): Promise<void> {
  for (let attempt = 0; attempt < 10_000; attempt++) {
    if (await findTicketByNumber(reader, number)) {
      result.visibleMs.push(performance.now() - acked);
      if (attempt === 0) result.visibleFirstTry++;
      return;
    }
    await new Promise((r) => setTimeout(r, 1));
  }
  result.visibleMs.push(Infinity);
}

function clientInWorker(): (req: ClientRequest) => Promise<ClientResult> {
  const worker = new Worker(import.meta.url, { type: "module" });
  let pending: ((r: ClientResult | { error: string }) => void) | null = null;
  worker.onmessage = (e) => pending?.(e.data);
  const run = (req: ClientRequest) =>
    new Promise<ClientResult>((resolve, reject) => {
      pending = (r) => "error" in r ? reject(new Error(r.error)) : resolve(r);
      worker.postMessage(req);
    });
  workerHandle = worker;
  return run;
}
let workerHandle: Worker | null = null;

// ---------------------------------------------------------------------------------------------
// Servers

/** The ceiling: smtp-server + simpleParser, nothing stored. */
async function startCeiling(): Promise<{ port: number; close(): Promise<void> }> {
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["AUTH", "STARTTLS"],
    disableReverseLookup: true,
    closeTimeout: 5000,
    size: 25 * 1024 * 1024,
    maxClients: 100,
    onData(stream: SMTPServerDataStream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        simpleParser(Buffer.concat(chunks)).then(
          () => callback(null, "2.0.0 parsed"),
          (e) => callback(e),
        );
      });
    },
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const address = server.server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return { port, close: () => new Promise<void>((r) => server.close(() => r())) };
}

interface WriterStats {
  count: number;
  /** Per call, from the transaction callback's start to the commit's resolution. */
  holdMs: number;
  /** The part of holdMs after the callback resolved: COMMIT, including the WAL fsync. */
  commitMs: number;
  /** Per call, from writeTx() to the callback's start: waiting for the single writer. */
  waitMs: number;
  /** [start, end] of every hold, to measure how much of the wall time the writer was busy. */
  intervals: [number, number][];
}

/** Length of the union of intervals (holds overlap if writeTx ever batches several calls). */
function unionMs(intervals: [number, number][]): number {
  const sorted = [...intervals].sort((a, b) => a[0] - b[0]);
  let total = 0;
  let [start, end] = [-Infinity, -Infinity];
  for (const [s, e] of sorted) {
    if (s > end) {
      if (end > start) total += end - start;
      [start, end] = [s, e];
    } else if (e > end) end = e;
  }
  if (end > start) total += end - start;
  return total;
}

/** Wraps writeTx to time it; the server gets the same Store otherwise. */
function instrument(store: Store, stats: WriterStats): Store {
  return {
    ...store,
    writeTx<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
      const called = performance.now();
      let started = called;
      let fnDone = called;
      return store.writeTx(async (tx) => {
        started = performance.now();
        try {
          return await fn(tx);
        } finally {
          fnDone = performance.now();
        }
      }).finally(() => {
        const end = performance.now();
        stats.count++;
        stats.holdMs += end - started;
        stats.commitMs += end - fnDone;
        stats.waitMs += started - called;
        stats.intervals.push([started, end]);
      });
    },
  };
}

/** CPU seconds (user+system) of this process and of its main thread; null off Linux. */
async function cpuTimes(): Promise<{ process: number; main: number } | null> {
  try {
    const ticks = async (path: string) => {
      const stat = await Deno.readTextFile(path);
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime; USER_HZ = 100
    };
    return {
      process: await ticks("/proc/self/stat"),
      main: await ticks(`/proc/self/task/${Deno.pid}/stat`),
    };
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------------------------------------
// Reporting

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

function fmtMs(ms: number): string {
  return ms < 10 ? ms.toFixed(2) : ms.toFixed(1);
}

function summarize(label: string, n: number, r: ClientResult, cpu: string): number {
  const ok = r.latencies.filter((x) => !Number.isNaN(x)).sort((a, b) => a - b);
  const rate = (ok.length / r.elapsedMs) * 1000;
  console.log(
    `${label}: ${ok.length}/${n} accepted in ${(r.elapsedMs / 1000).toFixed(2)} s = ` +
      `${rate.toFixed(0)} msg/s${cpu}`,
  );
  console.log(
    `  sendMail→250 latency (client side: MAIL/RCPT/DATA round trips + server work), ms: ` +
      `p50 ${fmtMs(percentile(ok, 50))}  p95 ${fmtMs(percentile(ok, 95))}  ` +
      `p99 ${fmtMs(percentile(ok, 99))}  max ${fmtMs(ok.at(-1) ?? NaN)}`,
  );
  if (r.errors.length) {
    console.log(`  ${r.errors.length} errors, first: ${r.errors.slice(0, 3).join(" | ")}`);
  }
  return rate;
}

function cpuLine(before: Awaited<ReturnType<typeof cpuTimes>>, wallMs: number): Promise<string> {
  return cpuTimes().then((after) => {
    if (!before || !after) return "";
    const pct = (s: number) => `${((s / (wallMs / 1000)) * 100).toFixed(0)}%`;
    return ` (CPU: process ${pct(after.process - before.process)}, ` +
      `main thread ${pct(after.main - before.main)} of one core)`;
  });
}

function argValue(name: string, env: string, fallback: string): string {
  const args = Deno.args;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === `--${name}` && i + 1 < args.length) return args[i + 1];
    if (args[i].startsWith(`--${name}=`)) return args[i].slice(name.length + 3);
  }
  return Deno.env.get(env) ?? fallback;
}

function positiveInt(name: string, env: string, fallback: number): number {
  const value = Number(argValue(name, env, String(fallback)));
  if (!Number.isInteger(value) || value < 1) {
    console.error(`--${name} must be a positive integer`);
    Deno.exit(2);
  }
  return value;
}

// ---------------------------------------------------------------------------------------------

async function main() {
  const n = positiveInt("n", "BENCH_N", 2000);
  const k = positiveInt("k", "BENCH_K", 8);
  const sampleEvery = positiveInt("sample", "BENCH_SAMPLE", 10);
  const clientMode = argValue("client", "BENCH_CLIENT", "worker");
  if (clientMode !== "worker" && clientMode !== "inline") {
    console.error("--client must be worker or inline");
    Deno.exit(2);
  }
  const run = clientMode === "worker" ? clientInWorker() : runClient;

  const messages = generateMessages(n, k, "m");
  const kinds = new Map<Kind, number>();
  for (const m of messages) kinds.set(m.kind, (kinds.get(m.kind) ?? 0) + 1);
  const bytes = messages.reduce((s, m) => s + m.raw.byteLength, 0);
  console.log(
    `Madoguchi inbound bench: N=${n} messages over K=${k} reused SMTP connections, ` +
      `client ${clientMode === "worker" ? "in a Worker" : "inline"}, ` +
      `${navigator.hardwareConcurrency} CPUs, Deno ${Deno.version.deno}`,
  );
  console.log(
    `  mix: ${[...kinds].map(([kind, c]) => `${kind} ${c}`).join(", ")}; ` +
      `${(bytes / 1024 / 1024).toFixed(1)} MiB total, mean ${(bytes / n / 1024).toFixed(1)} KiB`,
  );

  const dir = await Deno.makeTempDir({ prefix: "madoguchi-bench-" });
  let failed = false;
  try {
    // Ceiling, after a short warm-up pass so that mailparser and nodemailer are JIT-compiled.
    const ceiling = await startCeiling();
    let ceilingRate: number;
    try {
      const warm = generateMessages(Math.min(n, 300), k, "w");
      await run({ port: ceiling.port, k, tag: "w", messages: warm, dbPath: null, sampleEvery });
      const cpu0 = await cpuTimes();
      const r = await run({ port: ceiling.port, k, tag: "c", messages, dbPath: null, sampleEvery });
      ceilingRate = summarize(
        "Ceiling (smtp-server + simpleParser, no DB)",
        n,
        r,
        await cpuLine(cpu0, r.elapsedMs),
      );
    } finally {
      await ceiling.close();
    }

    // Durable: the real server on a real database file.
    const dbPath = `${dir}/bench.db`;
    const store = await openStore(`file:${dbPath}`);
    const stats: WriterStats = { count: 0, holdMs: 0, commitMs: 0, waitMs: 0, intervals: [] };
    const rt: Runtime = {
      store: instrument(store, stats),
      sender: senderFromConfig(loadConfig({ MADOGUCHI_MAIL_DOMAINS: DOMAIN })),
      wakers: { timers: () => {}, outbox: () => {} },
      now: Date.now,
    };
    const smtp = await startInboundSmtp((raw, envelope) => receiveMail(rt, raw, envelope), {
      host: "127.0.0.1",
      port: 0,
      mailDomains: [DOMAIN],
      maxMessageBytes: 25 * 1024 * 1024,
      maxConnections: 100,
    });
    const journal = (await sql<{ journal_mode: string }>`pragma journal_mode`.execute(store.db))
      .rows[0]?.journal_mode;
    const sync = (await sql<{ synchronous: number }>`pragma synchronous`.execute(store.db))
      .rows[0]?.synchronous;
    const syncName = ["OFF", "NORMAL", "FULL", "EXTRA"][Number(sync)] ?? String(sync);
    let r: ClientResult;
    try {
      const cpu0 = await cpuTimes();
      r = await run({ port: smtp.port, k, tag: "m", messages, dbPath, sampleEvery });
      const cpu = await cpuLine(cpu0, r.elapsedMs);
      // Includes the K warm-up messages, committed just before the clock started.
      const perTx = Math.max(stats.count, 1);
      const durableRate = summarize(
        `Durable (startInboundSmtp + openStore, journal_mode=${journal}, synchronous=${syncName})`,
        n,
        r,
        cpu,
      );
      const v = [...r.visibleMs].sort((a, b) => a - b);
      console.log(
        `  time-to-visible (after the 250, until findTicketByNumber on a separate connection ` +
          `finds it; ${v.length} sampled new tickets), ms: p50 ${fmtMs(percentile(v, 50))}  ` +
          `p95 ${fmtMs(percentile(v, 95))}  max ${fmtMs(v.at(-1) ?? NaN)}; ` +
          `found on the first read: ${r.visibleFirstTry}/${v.length}`,
      );
      console.log(
        `  writer: ${stats.count} transactions, mean hold ${fmtMs(stats.holdMs / perTx)} ms ` +
          `(of which COMMIT ${fmtMs(stats.commitMs / perTx)} ms), ` +
          `mean wait for the lock ${fmtMs(stats.waitMs / perTx)} ms; ` +
          `writer busy ${((unionMs(stats.intervals) / r.elapsedMs) * 100).toFixed(0)}% ` +
          `of the wall time`,
      );
      const ratio = durableRate / ceilingRate;
      const mark = (ok: boolean) => ok ? "met" : "NOT met";
      console.log(
        `Result: durable ${durableRate.toFixed(0)} msg/s ` +
          `(target ≥ ${TARGET_MSGS_PER_SEC} msg/s on 2 cores: ` +
          `${mark(durableRate >= TARGET_MSGS_PER_SEC)}${
            navigator.hardwareConcurrency === 2 ? "" : `; this machine has ` +
              `${navigator.hardwareConcurrency} CPUs`
          }), ceiling ${ceilingRate.toFixed(0)} msg/s, durable/ceiling ${
            (ratio * 100).toFixed(0)
          }% (target ≥ ${TARGET_RATIO * 100}%: ${mark(ratio >= TARGET_RATIO)})`,
      );
    } finally {
      await smtp.close();
    }

    // Correctness: everything acknowledged is in the database, and replies joined their parent.
    const count = async (table: "tickets" | "messages" | "raw_messages" | "quarantine") =>
      Number(
        (await store.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as("n"))
          .executeTakeFirstOrThrow()).n,
      );
    const attachments = Number(
      (await store.db.selectFrom("attachments").select((eb) => eb.fn.countAll<number>().as("n"))
        .executeTakeFirstOrThrow()).n,
    );
    const replies = kinds.get("reply") ?? 0;
    const expected = {
      tickets: n - replies + k,
      messages: n + k,
      raw_messages: n + k,
      quarantine: 0,
      attachments: kinds.get("attachment") ?? 0,
    };
    const actual = {
      tickets: await count("tickets"),
      messages: await count("messages"),
      raw_messages: await count("raw_messages"),
      quarantine: await count("quarantine"),
      attachments,
    };
    const ticketOf = (i: number) => /#(\d+)/.exec(r.responses[i])?.[1] ?? null;
    let threaded = 0;
    messages.forEach((m, i) => {
      if (m.kind === "reply" && ticketOf(i) !== null && ticketOf(i) === ticketOf(m.parent)) {
        threaded++;
      }
    });
    const countsOk = Object.entries(expected).every(([key, value]) =>
      actual[key as keyof typeof actual] === value
    );
    const threadsOk = threaded === replies && r.errors.length === 0;
    failed = !countsOk || !threadsOk;
    console.log(
      `Check: sent ${n} + ${k} warm-up, ${replies} of them replies → expected ` +
        Object.entries(expected).map(([key, value]) => `${key} ${value}`).join(", ") +
        `; database has ` +
        Object.entries(actual).map(([key, value]) => `${key} ${value}`).join(", ") +
        `; replies answered with their parent's ticket number: ${threaded}/${replies} → ` +
        (failed ? "MISMATCH" : "OK"),
    );
    await store.close();
  } finally {
    workerHandle?.terminate();
    await Deno.remove(dir, { recursive: true });
  }
  if (failed) Deno.exit(1);
}

if ("WorkerGlobalScope" in globalThis) {
  const scope = self as unknown as {
    onmessage: ((e: MessageEvent<ClientRequest>) => void) | null;
    postMessage(data: unknown): void;
  };
  scope.onmessage = (e) => {
    runClient(e.data).then(
      (result) => scope.postMessage(result),
      (err) => scope.postMessage({ error: err instanceof Error ? err.stack : String(err) }),
    );
  };
} else if (import.meta.main) {
  await main();
}
