/**
 * Seeds a database file with realistic help-desk data (`deno task bench:seed --tickets 200000
 * --db /tmp/x.db`): Japanese and English tickets over the last two years, about 5 messages each
 * (a few long threads of 50–80 messages with HTML mail), ~0.3 customers per ticket, four
 * departments, the usual status mix (mostly 対応完了) and SLA deadlines on open tickets.
 *
 * It goes through the real schema (`openStore` runs every migration), in batched multi-row
 * inserts inside big transactions. The output is deterministic for a given --tickets (seeded PRNG)
 * and the seed's clock (--now, default 2026-07-07T10:00+09:00), so bench:web runs compare.
 */
import { openStore } from "../db/client.ts";
import type { Tx } from "../db/client.ts";

function flag(name: string): string | undefined {
  const i = Deno.args.indexOf(`--${name}`);
  return i >= 0 ? Deno.args[i + 1] : undefined;
}

const TICKETS = Number(flag("tickets") ?? 10_000);
const PATH = flag("db") ?? `/tmp/madoguchi-seed-${TICKETS}.db`;
/** The instant the data ends at; bench/web.ts pins the app's clock to it. */
export const SEED_NOW = Date.parse("2026-07-07T01:00:00Z");
const DAY = 86_400_000;
const SPAN = 730 * DAY;

/** mulberry32: a small deterministic PRNG. */
function prng(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = prng(13);
const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)];

const FAMILY = ["佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林", "加藤"];
const GIVEN = ["太郎", "花子", "翔太", "美咲", "健一", "由美", "大輔", "明美", "拓也", "さくら"];
const EN_NAMES = ["Alice Smith", "Bob Jones", "Carol White", "Dan Brown", "Eve Miller"];
const JA_SUBJECTS = [
  "請求書の再発行について",
  "ログインできません",
  "配送状況を教えてください",
  "解約の手続きについて",
  "領収書の宛名変更",
  "商品が届いていません",
  "パスワードの再設定",
  "お見積りのお願い",
  "返品・交換について",
  "契約プランの変更",
];
const EN_SUBJECTS = [
  "Invoice copy request",
  "Cannot sign in",
  "Where is my order?",
  "Cancel my subscription",
  "Refund for a damaged item",
  "Upgrade our plan",
];
const JA_BODIES = [
  "いつもお世話になっております。\n先月分の請求書を紛失してしまいました。再発行をお願いできますでしょうか。\nよろしくお願いいたします。",
  "お世話になります。\n昨日からログインしようとすると「認証エラー」と表示されます。\nパスワードは変更していません。確認をお願いします。",
  "注文番号 A-20931 の商品がまだ届いておりません。\n配送状況を教えていただけますか。",
  "ご回答ありがとうございます。\n承知いたしました。引き続きよろしくお願いいたします。",
  "ペンギン急便で発送された荷物の配達時間を指定することはできますか。\n平日の日中は不在にしております。",
];
const EN_BODIES = [
  "Hello,\nI lost last month's invoice. Could you send me a copy?\nThanks,",
  "Hi,\nSince yesterday I get an authentication error when I sign in. I did not change my password.",
  "Thanks for the quick answer, that solved it.",
];
const REPLIES_JA = [
  "お問い合わせいただきありがとうございます。\n担当者が確認のうえ、改めてご連絡いたします。",
  "ご不便をおかけして申し訳ございません。\n再発行した請求書を添付いたしました。ご確認ください。",
];
const REPLIES_EN = [
  "Thank you for contacting us.\nWe are looking into it and will get back to you shortly.",
  "Sorry for the trouble. We have reissued the invoice; please find it attached.",
];
const DEPARTMENTS = [["請求", "billing"], ["技術", "tech"], ["営業", "sales"]];

/** Status mix of a mature help desk: most tickets long closed. */
function pickStatus(age: number): string {
  const r = rand();
  if (age < 14 * DAY) {
    return r < 0.3
      ? "new"
      : r < 0.5
      ? "open"
      : r < 0.7
      ? "pending"
      : r < 0.95
      ? "resolved"
      : "no_action";
  }
  return r < 0.02
    ? "new"
    : r < 0.04
    ? "open"
    : r < 0.08
    ? "pending"
    : r < 0.93
    ? "resolved"
    : "no_action";
}

/** 1–9 messages, mean ≈ 5; one ticket in 2 000 is a long thread of 50–80. */
function messageCount(): number {
  if (rand() < 0.0005) return 50 + Math.floor(rand() * 31);
  return 1 + Math.floor(rand() * 5) + Math.floor(rand() * 5);
}

function htmlOf(text: string): string {
  const paras = text.split("\n").map((l) => `<p style="margin: 0 0 8px">${escapeHtml(l)}</p>`);
  return `<div dir="ltr"><table width="100%" cellpadding="0"><tr><td>${
    paras.join("")
  }<img data-remote-src="https://tracker.example.com/p.gif" width="1" height="1" alt=""><a href="https://example.com/faq" target="_blank" rel="noopener noreferrer nofollow">FAQ</a></td></tr></table></div>`;
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

async function insertChunked<T>(
  rows: T[],
  size: number,
  insert: (chunk: T[]) => Promise<unknown>,
): Promise<void> {
  for (let i = 0; i < rows.length; i += size) await insert(rows.slice(i, i + size));
}

async function main() {
  try {
    await Deno.remove(PATH);
    await Deno.remove(`${PATH}-wal`).catch(() => {});
    await Deno.remove(`${PATH}-shm`).catch(() => {});
  } catch { /* a fresh path */ }
  const started = performance.now();
  const store = await openStore(`file:${PATH}`);
  const customersN = Math.max(10, Math.round(TICKETS * 0.3));
  await store.writeTx(async (tx) => {
    for (const [name, slug] of DEPARTMENTS) {
      await tx.insertInto("departments").values({ name, slug, created_at: SEED_NOW - SPAN })
        .execute();
    }
    await tx.insertInto("agents").values(
      Array.from({ length: 8 }, (_, i) => ({
        email: `agent${i}@example.test`,
        name: `${pick(FAMILY)} ${pick(GIVEN)}`,
        password_hash: "x",
        role: "agent" as const,
        time_zone: null,
        created_at: SEED_NOW - SPAN,
      })),
    ).execute();
    const customers = Array.from({ length: customersN }, (_, i) => {
      const en = rand() < 0.3;
      return {
        email: `c${i}@${en ? "example.com" : "example.co.jp"}`,
        name: en ? pick(EN_NAMES) : `${pick(FAMILY)} ${pick(GIVEN)}`,
        created_at: SEED_NOW - SPAN,
        updated_at: SEED_NOW - SPAN,
      };
    });
    await insertChunked(customers, 2_000, (c) => tx.insertInto("customers").values(c).execute());
  });

  let messagesN = 0;
  const BATCH = 5_000;
  for (let from = 0; from < TICKETS; from += BATCH) {
    const end = Math.min(from + BATCH, TICKETS);
    await store.writeTx((tx) => seedTickets(tx, from, end, customersN).then((n) => messagesN += n));
    if ((from / BATCH) % 4 === 3 || end === TICKETS) {
      const s = ((performance.now() - started) / 1000).toFixed(1);
      console.log(`  ${end} tickets, ${messagesN} messages (${s} s)`);
    }
  }
  await store.close();
  const seconds = (performance.now() - started) / 1000;
  const bytes = (await Deno.stat(PATH)).size;
  console.log(
    `seeded ${TICKETS} tickets, ${messagesN} messages into ${PATH} in ${seconds.toFixed(1)} s ` +
      `(${Math.round(TICKETS / seconds)} tickets/s, ${(bytes / 2 ** 20).toFixed(0)} MiB)`,
  );
}

async function seedTickets(tx: Tx, from: number, end: number, customersN: number) {
  const tickets = [];
  const messages = [];
  for (let i = from; i < end; i++) {
    // Evenly spread over two years, oldest first, so ids and numbers follow creation.
    const created = SEED_NOW - SPAN + Math.floor((i + rand()) * SPAN / TICKETS);
    const en = rand() < 0.3;
    const customer = Math.floor(rand() * customersN);
    const n = messageCount();
    const status = pickStatus(SEED_NOW - created);
    const open = status === "new" || status === "open" || status === "pending";
    const department = 1 + Math.floor(rand() * (DEPARTMENTS.length + 1));
    const html = rand() < 0.25 || n >= 50;
    let at = created;
    for (let k = 0; k < n; k++) {
      const inbound = k % 2 === 0;
      const text = inbound
        ? pick(en ? EN_BODIES : JA_BODIES)
        : pick(en ? REPLIES_EN : REPLIES_JA) + `\n\n> ${pick(en ? EN_BODIES : JA_BODIES)}`;
      messages.push({
        ticket_id: i + 1,
        direction: inbound ? "in" as const : "out" as const,
        message_id: `<${i}.${k}.seed@${inbound ? "mail.example.com" : "example.test"}>`,
        from_address: inbound ? `c${customer}@example.com` : "support@example.test",
        from_name: inbound ? "" : "サポート窓口",
        to_json: JSON.stringify([{ address: "support@example.test", name: "" }]),
        subject: "",
        text_body: text,
        html_body: inbound && html ? htmlOf(text) : null,
        agent_id: inbound ? null : 1 + (i % 8),
        created_at: at,
      });
      at += Math.floor(rand() * 2 * (n >= 50 ? DAY / 8 : DAY));
    }
    const last = Math.min(at, SEED_NOW);
    // Open tickets of the last weeks carry a deadline (some already breached), older ones none.
    const due = open && SEED_NOW - created < 30 * DAY && rand() < 0.7
      ? last + Math.floor((rand() - 0.3) * 3 * DAY)
      : null;
    tickets.push({
      id: i + 1,
      number: 1001 + i,
      subject: pick(en ? EN_SUBJECTS : JA_SUBJECTS),
      status,
      customer_id: 1 + customer,
      department_id: department,
      reply_token: `seed${i.toString(36)}${Math.floor(rand() * 1e9).toString(36)}`,
      channel: rand() < 0.9 ? "email" : "web",
      created_at: created,
      updated_at: last,
      last_message_at: last,
      message_count: n,
      priority: rand() < 0.05 ? "high" : rand() < 0.01 ? "urgent" : "normal",
      sla_due_at: due,
      sla_warn_at: due === null ? null : due - 3_600_000,
    });
  }
  await insertChunked(tickets, 1_000, (c) => tx.insertInto("tickets").values(c).execute());
  await insertChunked(messages, 1_000, (c) => tx.insertInto("messages").values(c).execute());
  return messages.length;
}

if (import.meta.main) await main();
