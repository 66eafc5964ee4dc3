/**
 * Every figure links to the tickets behind it: on the dashboard and a report, each number that
 * links to the inbox is followed, and the inbox must list exactly that many tickets.
 */
import assert from "node:assert/strict";
import { reportTeam } from "./report_fixture.ts";
import { agent, run } from "../runtime.ts";
import { createTicketForCustomer } from "../../services/customer_tickets.ts";
import { replyToCustomer } from "../../services/replies.ts";
import { assignTicket } from "../../services/assignment.ts";
import { setTicketCategory } from "../../db/report_queries.ts";
import { replaceTicketTags, upsertTag } from "../../db/tags.ts";
import { parseCsv } from "../csv_parse.ts";
import { saveSlaPolicy } from "../../db/sla_policies.ts";

const at = (local: string) => Date.parse(`${local}+09:00`);
const NOW = at("2026-05-20T15:00");

async function setup(email = "admin@example.test") {
  const db = await reportTeam(NOW);
  const { admin, aki, app, rt } = db;
  let n = 0;
  const open = (subject: string, when: number, channel = "mail") =>
    run(rt, (ctx) =>
      createTicketForCustomer(ctx, {
        customer: { email: `c${++n}@example.com`, name: "客" },
        subject,
        text: "本文",
        channel,
      }), { now: when });
  const ADMIN = agent({ id: admin.id, name: "管理者", role: "admin" });
  const AKI = agent({ id: aki.id, name: "亜紀", role: "agent" });
  // The day before: Aki's, still open.
  const t1 = await open("前日", at("2026-05-19T10:00"));
  await run(rt, (ctx) => assignTicket(ctx, { ticketId: t1.id, assigneeId: aki.id }), {
    actor: ADMIN,
  });
  // Today: a web inquiry with a category and a tag; a mail answered and resolved by Aki; an
  // unassigned mail already past its deadline.
  const t2 = await open("請求について", at("2026-05-20T09:00"), "web");
  const t3 = await open("ログイン", at("2026-05-20T10:00"));
  await run(
    rt,
    (ctx) => replyToCustomer(ctx, { ticketId: t3.id, text: "回答", status: "resolved" }),
    {
      actor: AKI,
      now: at("2026-05-20T11:00"),
    },
  );
  const t4 = await open("至急", at("2026-05-20T11:30"));
  // 迷惑メール is neither received nor listed.
  const spam = await open("Cheap pills", at("2026-05-20T12:00"));
  await db.store.writeTx(async (tx) => {
    await setTicketCategory(tx, t2.id, "ご請求・お支払いについて");
    const tag = await upsertTag(tx, { name: "請求", color: "" }, 0);
    await replaceTicketTags(tx, t2.id, [tag.id]);
    await tx.updateTable("tickets").set({ sla_due_at: at("2026-05-20T12:00") })
      .where("id", "=", t4.id).execute();
    await tx.updateTable("tickets").set({ sla_due_at: at("2026-05-20T18:00") })
      .where("id", "=", t2.id).execute();
    await tx.updateTable("tickets").set({ status: "spam" }).where("id", "=", spam.id).execute();
  });
  const res = await app.request("http://localhost/login", {
    method: "POST",
    headers: { origin: "http://localhost" },
    body: new URLSearchParams({
      email,
      password: "correct horse battery",
      next: "/",
    }),
  });
  const cookie = res.headers.get("set-cookie")!.split(";")[0];
  const get = async (path: string) => {
    const r = await app.request(`http://localhost${path}`, { headers: { cookie } });
    assert.equal(r.status, 200, path);
    return await r.text();
  };
  return { ...db, get, aki, admin, rt, open, t1, t3, ADMIN };
}

/**
 * Every figure of a page that links to the inbox: a linked number (`<a href="/?…">N</a>`), or a
 * bar list's row whose label links and whose value is the row's last number.
 */
function figureLinks(html: string): { href: string; n: number }[] {
  const numbers = [...html.matchAll(/<a (?:class="[^"]*" )?href="(\/\?[^"]*)">\s*(\d+)\s*<\/a>/g)];
  const rows = [
    ...html.matchAll(
      /<th scope="row"><a href="(\/\?[^"]*)">[^<]*<\/a><\/th>(?:<td class="num">[^<]*<\/td>)*<td class="num">(\d+)<\/td><td class="bar-cell"/g,
    ),
  ];
  return [...numbers, ...rows].map((m) => ({
    href: m[1].replaceAll("&amp;", "&"),
    n: Number(m[2]),
  }));
}

async function checkAll(get: (p: string) => Promise<string>, html: string) {
  const links = figureLinks(html);
  for (const { href, n } of links) {
    const list = await get(href);
    const rows = list.match(/data-ticket="\d+"/g)?.length ?? 0;
    assert.equal(rows, n, `${href} lists ${rows} tickets, the figure says ${n}`);
  }
  return links;
}

Deno.test("links: every dashboard figure opens the inbox list of exactly its tickets", async () => {
  const t = await setup();
  try {
    const links = await checkAll(t.get, await t.get("/dashboard"));
    const hrefs = links.map((l) => l.href);
    assert.ok(hrefs.some((h) => h.includes("created_from=2026-05-20")), "received today");
    assert.ok(hrefs.some((h) => h.includes("due=today")), "due today");
    assert.ok(hrefs.some((h) => h.includes("due=overdue")), "overdue");
    assert.ok(hrefs.some((h) => h.includes(`assignee=${t.aki.id}`)), "an agent's load");
    assert.ok(hrefs.some((h) => h.includes("assignee=none")), "unassigned");
    // The numbers themselves, by hand: 3 received today, 2 due by today, 1 overdue.
    const n = (part: string) => links.find((l) => l.href.includes(part))?.n;
    assert.deepEqual([n("created_from"), n("due=today"), n("due=overdue")], [3, 2, 1]);
    // Today's replies: Aki's one.
    assert.equal(n("replied_from=2026-05-20"), 1);
  } finally {
    await t.cleanup();
  }
});

Deno.test("links: every report figure opens the inbox list of exactly its tickets, with the filters", async () => {
  const t = await setup();
  try {
    const page = await t.get("/reports?period=custom&from=2026-05-20&to=2026-05-20");
    const links = await checkAll(t.get, page);
    const hrefs = links.map((l) => l.href);
    assert.ok(hrefs.some((h) => h.includes("category=")), "a category");
    assert.ok(hrefs.some((h) => h.includes("tag=")), "a tag");
    assert.ok(links.length >= 6, `${links.length} figures link`);
    // Filtered by the tag: one ticket received, and its links keep the tag.
    const tagged = await t.get(
      "/reports?period=custom&from=2026-05-20&to=2026-05-20&tag=%E8%AB%8B%E6%B1%82",
    );
    assert.match(tagged, /受付件数<\/span><a class="kpi-value" href="[^"]*tag=[^"]*">1<\/a>/);
    await checkAll(t.get, tagged);
    const web = await t.get(
      "/reports?period=custom&from=2026-05-20&to=2026-05-20&category=" +
        encodeURIComponent("ご請求・お支払いについて"),
    );
    assert.match(web, /受付件数<\/span><a class="kpi-value" href="[^"]*">1<\/a>/);
    // The inbox shows what it filters on, each removable.
    const inbox = await t.get(figureLinks(web)[0].href);
    assert.match(inbox, /受付日 2026-05-20〜2026-05-20/);
    assert.match(inbox, /種別: ご請求・お支払いについて/);
  } finally {
    await t.cleanup();
  }
});

Deno.test("links: an agent's dashboard and report link to their own tickets only", async () => {
  const t = await setup("aki@example.test");
  try {
    const dash = await checkAll(t.get, await t.get("/dashboard"));
    assert.ok(dash.length >= 3);
    const report = await checkAll(
      t.get,
      await t.get("/reports?period=custom&from=2026-05-19&to=2026-05-20"),
    );
    const received = report.find((l) => l.href.includes("created_from"));
    assert.deepEqual(received?.n, 2, "Aki's two tickets of the two days");
    assert.match(received!.href, /assignee=me/);
  } finally {
    await t.cleanup();
  }
});

Deno.test("links: the ticket CSV takes the inbox's filters — tag, category, created range, assignee", async () => {
  const t = await setup();
  try {
    const csv = async (query: string) => {
      const text = await t.get(`/tickets.csv?${query}`);
      return parseCsv(text.replace(/^\uFEFF/, "")).slice(1);
    };
    const tagged = await csv(`status=all&tag=${encodeURIComponent("請求")}`);
    assert.deepEqual(tagged.map((r) => [r[1], r[7]]), [["請求について", "請求"]]);
    const category = await csv(
      `status=all&category=${encodeURIComponent("ご請求・お支払いについて")}`,
    );
    assert.deepEqual(category.map((r) => r[1]), ["請求について"]);
    const today = await csv("status=all&created_from=2026-05-20&created_to=2026-05-20&sort=oldest");
    assert.deepEqual(today.map((r) => r[1]), ["請求について", "ログイン", "至急"]);
    const akis = await csv(`status=all&assignee=${t.aki.id}&sort=oldest`);
    assert.deepEqual(akis.map((r) => [r[1], r[6]]), [["前日", "亜紀"], ["ログイン", "亜紀"]]);
  } finally {
    await t.cleanup();
  }
});

Deno.test("links: replies sent, reopened tickets and heat map cells open exactly their tickets", async () => {
  const t = await setup();
  try {
    // The admin answers the day-before ticket today (a reply in the period on an older ticket),
    // a second inquiry arrives on Wednesday in the 10 o'clock hour, and the resolved one is
    // reopened.
    await run(
      t.rt,
      (ctx) => replyToCustomer(ctx, { ticketId: t.t1.id, text: "確認します", status: "pending" }),
      {
        actor: t.ADMIN,
        now: at("2026-05-20T13:00"),
      },
    );
    await t.open("ログイン再び", at("2026-05-20T10:45"));
    await t.store.writeTx(async (tx) => {
      await tx.updateTable("ticket_report_facts").set({ reopen_count: 1 })
        .where("ticket_id", "=", t.t3.id).execute();
    });
    const page = await t.get("/reports?period=custom&from=2026-05-20&to=2026-05-20");
    const links = await checkAll(t.get, page);
    const find = (...parts: string[]) =>
      links.filter((l) => parts.every((part) => l.href.includes(part)));
    // 返信数: two replies today, on two tickets; the older ticket is listed too.
    const replied = find("replied_from=2026-05-20", "replied_to=2026-05-20")
      .filter((l) => !l.href.includes("replied_by"));
    assert.deepEqual(replied.map((l) => l.n), [2]);
    assert.doesNotMatch(replied[0].href, /created_from/);
    const listed = await t.get(replied[0].href);
    assert.match(listed, /前日/);
    assert.match(listed, /返信日 2026-05-20〜2026-05-20/);
    // Per agent: one each, by the writer.
    assert.deepEqual(find(`replied_by=${t.aki.id}`).map((l) => l.n), [1]);
    assert.deepEqual(find(`replied_by=${t.admin.id}`).map((l) => l.n), [1]);
    assert.match(await t.get(find(`replied_by=${t.aki.id}`)[0].href), /亜紀が返信/);
    // 再オープン: one of the period's tickets.
    assert.deepEqual(find("reopened=1").map((l) => l.n), [1]);
    assert.match(await t.get(find("reopened=1")[0].href), /再オープンあり/);
    // The heat map: Wednesday (3) 9, 10 (two) and 11 o'clock, in Tokyo time.
    const cells = find("created_dow=").map((l) => [
      Number(new URL(l.href, "http://x").searchParams.get("created_dow")),
      Number(new URL(l.href, "http://x").searchParams.get("created_hour")),
      l.n,
    ]);
    assert.deepEqual(cells, [[3, 9, 1], [3, 10, 2], [3, 11, 1]]);
    assert.match(await t.get(find("created_hour=10")[0].href), /受付 水曜 10時台/);
  } finally {
    await t.cleanup();
  }
});

Deno.test("links: an agent's replies link to the tickets they answered", async () => {
  const t = await setup("aki@example.test");
  try {
    await run(
      t.rt,
      (ctx) => replyToCustomer(ctx, { ticketId: t.t1.id, text: "確認します", status: "pending" }),
      {
        actor: t.ADMIN,
        now: at("2026-05-20T13:00"),
      },
    );
    const links = await checkAll(
      t.get,
      await t.get("/reports?period=custom&from=2026-05-20&to=2026-05-20"),
    );
    // Aki's one reply, not the admin's.
    const mine = links.filter((l) => l.href.includes("replied_by=me"));
    assert.ok(mine.length >= 1);
    assert.ok(mine.every((l) => l.n === 1), JSON.stringify(mine));
  } finally {
    await t.cleanup();
  }
});

Deno.test("links: SLA compliance figures open their met and missed tickets, judged as the report judges", async () => {
  const t = await setup();
  try {
    // First response within 60 minutes (always open: no schedule), resolution within 10 hours.
    await t.store.writeTx(async (tx) => {
      await saveSlaPolicy(tx, 1, "normal", {
        firstResponseMinutes: 60,
        nextResponseMinutes: null,
        resolutionMinutes: 600,
        warning: { kind: "percent", value: 80 },
        businessHoursOnly: true,
        actions: { warning: [], breach: [] },
      }, 0);
    });
    const page = await t.get("/reports?period=custom&from=2026-05-20&to=2026-05-20");
    const links = await checkAll(t.get, page);
    const n = (result: string) => links.filter((l) => l.href.includes(`sla_result=${result}`));
    // ログイン answered in an hour (met); 請求について and 至急 unanswered past the hour (missed).
    assert.deepEqual(n("first_met").map((l) => l.n), [1]);
    assert.deepEqual(n("first_breached").map((l) => l.n), [2]);
    assert.deepEqual(n("resolution_met").map((l) => l.n), [1]);
    assert.deepEqual(n("resolution_breached").map((l) => l.n), [0]);
    const missed = await t.get(n("first_breached")[0].href);
    assert.match(missed, /初回応答 SLA 未達/);
    assert.match(missed, /請求について/);
    assert.match(missed, /至急/);
    assert.doesNotMatch(missed, /ログイン/);
    // The same tickets in the ticket CSV of that list.
    const csv = await t.get(`/tickets.csv?${n("first_breached")[0].href.slice(2)}&sort=oldest`);
    assert.deepEqual(
      parseCsv(csv.replace(/^\uFEFF/, "")).slice(1).map((r) => r[1]),
      ["請求について", "至急"],
    );
  } finally {
    await t.cleanup();
  }
});
