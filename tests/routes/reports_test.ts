/** Reports, dashboard and CSV exports through app.request(): JSON API, CSV bytes, pages. */
import assert from "node:assert/strict";
import { reportTeam } from "./report_fixture.ts";
import Encoding from "encoding-japanese";
import { createApp } from "../../routes/mod.tsx";
import { createApiToken } from "../runtime.ts";
import { agent, run } from "../runtime.ts";
import { createTicketForCustomer } from "../../services/customer_tickets.ts";
import { replyToCustomer } from "../../services/replies.ts";
import { parseCsv } from "../csv_parse.ts";

const at = (local: string) => Date.parse(`${local}+09:00`);
const NOW = at("2026-05-20T12:00");

async function setup() {
  const db = await reportTeam(NOW);
  const { admin, aki, app, rt } = db;
  const adminToken = await createApiToken(db.store, admin.id, "test");
  const akiToken = await createApiToken(db.store, aki.id, "test");
  let customers = 0;
  const open = (subject: string, now: number, name = "太郎") =>
    run(rt, (ctx) =>
      createTicketForCustomer(ctx, {
        customer: { email: `c${++customers}@example.com`, name },
        subject,
        text: "本文",
        channel: "mail",
      }), { now });
  const reply = (ticketId: number, who: { id: number }, now: number) =>
    run(rt, (ctx) => replyToCustomer(ctx, { ticketId, text: "回答", status: "resolved" }), {
      actor: agent({ id: who.id, role: "agent" }),
      now,
    });
  const api = (path: string, token = adminToken) =>
    app.request(`http://localhost/api/v1${path}`, {
      headers: { authorization: `Bearer ${token}` },
    });
  return { ...db, app, admin, aki, adminToken, akiToken, open, reply, api };
}

Deno.test("api: reports/summary counts an inclusive range in the team's zone, zero days included", async () => {
  const t = await setup();
  try {
    // 2026-05-01 23:30 in Tokyo is still April 30th in UTC: it counts on May 1st.
    const a = await t.open("請求書", at("2026-05-01T23:30"));
    await t.reply(a.id, t.admin, at("2026-05-02T00:30"));
    const b = await t.open("ログイン", at("2026-05-03T10:00"));
    await t.reply(b.id, t.aki, at("2026-05-03T10:20"));
    await t.open("範囲外", at("2026-05-04T00:00"));
    const res = await t.api("/reports/summary?from=2026-05-01&to=2026-05-03");
    assert.equal(res.status, 200);
    const body = await res.json();
    assert.equal(body.received, 2);
    assert.equal(body.replied, 2);
    assert.deepEqual(body.by_day, [
      { date: "2026-05-01", received: 1, replied: 0 },
      { date: "2026-05-02", received: 0, replied: 1 },
      { date: "2026-05-03", received: 1, replied: 1 },
    ]);
    // No schedule: business time is wall time. 60 and 20 minutes.
    assert.deepEqual(body.first_response, {
      median_minutes: 40,
      p90_minutes: 56,
      business_median_minutes: 40,
      business_p90_minutes: 56,
    });
    assert.deepEqual(body.sla, { first_response_pct: null, resolution_pct: null });
    assert.deepEqual(body.by_agent.map((x: { agent_id: number }) => x.agent_id).sort(), [
      t.admin.id,
      t.aki.id,
    ]);

    const mine = await (await t.api(
      `/reports/summary?from=2026-05-01&to=2026-05-03`,
      t.akiToken,
    )).json();
    assert.equal(mine.received, 1);
    const other = await t.api(
      `/reports/summary?from=2026-05-01&to=2026-05-03&agent_id=${t.admin.id}`,
      t.akiToken,
    );
    assert.equal(other.status, 403);
    assert.equal((await t.api("/reports/summary?from=2026-05-03&to=2026-05-01")).status, 422);
    assert.equal((await t.api("/reports/summary?from=2026-05-01")).status, 422);
  } finally {
    await t.cleanup();
  }
});

Deno.test("api: tickets.csv is UTF-8 with a BOM and CRLF, quoted, formulas neutralised", async () => {
  const t = await setup();
  try {
    await t.open('=HYPERLINK("http://evil")', at("2026-05-01T09:00"), "-2+3");
    await t.open('請求書, "再発行"', at("2026-05-02T09:00"), "山田 花子");
    const res = await t.api("/tickets.csv?sort=oldest");
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("content-type"), "text/csv; charset=utf-8");
    const bytes = new Uint8Array(await res.arrayBuffer());
    assert.deepEqual([...bytes.slice(0, 3)], [0xef, 0xbb, 0xbf]);
    const text = new TextDecoder().decode(bytes.slice(3));
    const rows = parseCsv(text);
    assert.equal(rows[0][0], "番号");
    assert.equal(rows.length, 3);
    assert.deepEqual(rows[1].slice(0, 3), ["1001", '\'=HYPERLINK("http://evil")', "'-2+3"]);
    assert.deepEqual(rows[2].slice(0, 3), ["1002", '請求書, "再発行"', "山田 花子"]);
    assert.equal(rows[2][4], "未対応");
    assert.equal(rows[2][9], "2026-05-02 09:00");
    assert.equal(text.split("\r\n").length, 4);
  } finally {
    await t.cleanup();
  }
});

Deno.test("web: tickets.csv in Shift_JIS round-trips Japanese, NEC specials included", async () => {
  const t = await setup();
  try {
    await t.open("①番の件 ㈱テスト ～", at("2026-05-01T09:00"));
    const cookie = await login(t.app);
    const res = await t.app.request("http://localhost/tickets.csv?encoding=shift_jis", {
      headers: { cookie },
    });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get("content-type"), "text/csv; charset=Shift_JIS");
    const bytes = new Uint8Array(await res.arrayBuffer());
    assert.notEqual(bytes[0], 0xef); // no BOM
    assert.equal(Encoding.detect(bytes), "SJIS");
    const text = Encoding.convert(bytes, { to: "UNICODE", from: "SJIS", type: "string" });
    const rows = parseCsv(text);
    assert.equal(rows[1][1], "①番の件 ㈱テスト ～");
  } finally {
    await t.cleanup();
  }
});

Deno.test("web: the dashboard and a report render with charts and their numbers", async () => {
  const t = await setup();
  try {
    const a = await t.open("請求書の再発行", at("2026-05-20T09:00"));
    await t.reply(a.id, t.admin, at("2026-05-20T10:00"));
    await t.open("ログインできません", at("2026-05-20T11:00"));
    await t.open("前日の問い合わせ", at("2026-05-19T11:00"));
    const cookie = await login(t.app);
    const dash = await t.app.request("http://localhost/dashboard", { headers: { cookie } });
    assert.equal(dash.status, 200);
    const html = await dash.text();
    assert.match(html, /今日の受付/);
    // The figure links to exactly its tickets: today's, in the inbox.
    const received = html.match(/<a class="kpi-value" href="([^"]*created_from[^"]*)">2<\/a>/);
    assert.ok(received, "today's received count links to the inbox");
    const list = await t.app.request(`http://localhost${received[1].replaceAll("&amp;", "&")}`, {
      headers: { cookie },
    });
    assert.equal(list.status, 200);
    const listed = (await list.text()).match(/data-ticket="\d+"/g) ?? [];
    assert.equal(listed.length, 2);
    const report = await t.app.request("http://localhost/reports?period=month", {
      headers: { cookie },
    });
    assert.equal(report.status, 200);
    const page = await report.text();
    assert.match(page, /<svg[^>]*role="img"/);
    assert.match(page, /2026-05-01 – 2026-05-31/);
    // 31 days in the table, empty ones as 0.
    assert.equal(page.match(/<tr><th scope="row">05-\d\d<\/th>/g)?.length, 31);
    const csv = await t.app.request("http://localhost/reports.csv?period=month", {
      headers: { cookie },
    });
    assert.equal(csv.status, 200);
    const rows = parseCsv(new TextDecoder().decode(await csv.arrayBuffer()));
    assert.deepEqual(rows[0], ["項目", "値"]);
    assert.deepEqual(rows[2], ["受付件数", "3"]);
  } finally {
    await t.cleanup();
  }
});

Deno.test("web: the tickets behind a report come as CSV: its period only, an agent's own only", async () => {
  const t = await setup();
  try {
    await t.open("四月", at("2026-04-30T23:59"));
    const a = await t.open("五月一日", at("2026-05-01T00:00"));
    await t.reply(a.id, t.aki, at("2026-05-01T09:00"));
    await t.open("五月二日", at("2026-05-02T12:00"));
    const cookie = await login(t.app);
    const get = async (path: string, who = cookie) =>
      parseCsv(
        await (await t.app.request(`http://localhost${path}`, { headers: { cookie: who } }))
          .text(),
      );
    const all = await get("/reports/tickets.csv?period=custom&from=2026-05-01&to=2026-05-31");
    assert.deepEqual(all.slice(1).map((r) => r[1]), ["五月一日", "五月二日"]);
    assert.equal(all[1][6], "亜紀");
    const aki = await get(
      `/reports/tickets.csv?period=custom&from=2026-05-01&to=2026-05-31&agent_id=${t.aki.id}`,
    );
    assert.deepEqual(aki.slice(1).map((r) => r[1]), ["五月一日"]);
    const akiCookie = await login(t.app, "aki@example.test");
    const own = await get(
      "/reports/tickets.csv?period=custom&from=2026-04-01&to=2026-05-31",
      akiCookie,
    );
    assert.deepEqual(own.slice(1).map((r) => r[1]), ["五月一日"]);
  } finally {
    await t.cleanup();
  }
});

async function login(
  app: ReturnType<typeof createApp>,
  email = "admin@example.test",
): Promise<string> {
  const res = await app.request("http://localhost/login", {
    method: "POST",
    headers: { origin: "http://localhost" },
    body: new URLSearchParams({
      email,
      password: "correct horse battery",
      next: "/",
    }),
  });
  assert.equal(res.status, 303);
  return res.headers.get("set-cookie")!.split(";")[0];
}

Deno.test("api: scheduled report subscriptions — create, list, delete; an agent may not", async () => {
  const t = await setup();
  try {
    const call = (method: string, path: string, token: string, body?: unknown) =>
      t.app.request(`http://localhost/api/v1${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          ...(body ? { "content-type": "application/json" } : {}),
        },
        body: body ? JSON.stringify(body) : undefined,
      });
    const created = await call("POST", "/reports/subscriptions", t.adminToken, {
      frequency: "monthly",
      send_hour: 9,
      channel: "web",
    });
    assert.equal(created.status, 201);
    const sub = await created.json();
    assert.equal(sub.frequency, "monthly");
    assert.equal(sub.filter.channel, "web");
    const listed = await (await call("GET", "/reports/subscriptions", t.adminToken)).json();
    assert.deepEqual(listed.map((s: { id: number }) => s.id), [sub.id]);
    const timer = await t.store.db.selectFrom("timers").select("due_at")
      .where("kind", "=", "report.scheduled").executeTakeFirstOrThrow();
    assert.equal(timer.due_at, at("2026-06-01T09:00"));
    const bad = await call("POST", "/reports/subscriptions", t.adminToken, {
      frequency: "hourly",
      send_hour: 9,
    });
    assert.equal(bad.status, 422);
    const refused = await call("POST", "/reports/subscriptions", t.akiToken, {
      frequency: "daily",
      send_hour: 9,
    });
    assert.equal(refused.status, 403);
    assert.equal(
      (await call("DELETE", `/reports/subscriptions/${sub.id}`, t.akiToken)).status,
      403,
    );
    assert.equal(
      (await call("DELETE", `/reports/subscriptions/${sub.id}`, t.adminToken)).status,
      204,
    );
    assert.deepEqual(await (await call("GET", "/reports/subscriptions", t.adminToken)).json(), []);
  } finally {
    await t.cleanup();
  }
});
