/** Inbox and API paging by cursor through app.request(): next/prev links, old ?page= links. */
import assert from "node:assert/strict";
import { createApp } from "../../routes/mod.tsx";
import { createAgent, createApiToken } from "../runtime.ts";
import { tempStore, testConfig } from "../helpers.ts";

const ORIGIN = "http://localhost";
const T0 = Date.UTC(2026, 6, 7, 1, 0, 0);

/** 120 tickets in 対応完了, #1001 the oldest activity; an admin with a session and a token. */
async function setup() {
  const db = await tempStore();
  const app = createApp({
    store: db.store,
    config: testConfig(db.dir),
    outbox: { wake() {} },
    now: () => T0,
  });
  const admin = await createAgent(db.store, {
    email: "admin@example.test",
    name: "Admin",
    password: "correct horse battery",
    role: "admin",
  });
  await db.store.writeTx(async (tx) => {
    await tx.insertInto("customers").values({
      email: "c@example.com",
      name: "Customer",
      created_at: T0,
      updated_at: T0,
    }).execute();
    await tx.insertInto("tickets").values(Array.from({ length: 120 }, (_, i) => ({
      number: 1001 + i,
      subject: `Question ${i}`,
      status: "resolved",
      customer_id: 1,
      department_id: 1,
      reply_token: `tok${i}`,
      channel: "email",
      created_at: T0 - 3_600_000,
      updated_at: T0,
      last_message_at: T0 - 3_600_000 + i * 1000,
    }))).execute();
  });
  const login = await app.request(`${ORIGIN}/login`, {
    method: "POST",
    headers: { origin: ORIGIN },
    body: new URLSearchParams({
      email: "admin@example.test",
      password: "correct horse battery",
      next: "/",
    }),
  });
  assert.equal(login.status, 303);
  const cookie = login.headers.get("set-cookie")!.split(";")[0];
  const token = await createApiToken(db.store, admin.id, "test");
  return {
    ...db,
    page: async (path: string) => {
      const res = await app.request(`${ORIGIN}${path}`, { headers: { cookie } });
      assert.equal(res.status, 200);
      assert.match(res.headers.get("content-type") ?? "", /text\/html/);
      return await res.text();
    },
    api: (path: string) =>
      app.request(`${ORIGIN}/api/v1${path}`, { headers: { authorization: `Bearer ${token}` } }),
  };
}

function rowNumbers(html: string): number[] {
  return [...html.matchAll(/data-ticket="(\d+)"/g)].map((m) => Number(m[1]));
}

function link(html: string, rel: "next" | "prev"): string | null {
  const m = new RegExp(`<a href="([^"]*)" rel="${rel}">`).exec(html);
  return m ? m[1].replace(/&amp;/g, "&") : null;
}

Deno.test("inbox paging: next and prev links carry cursors; the pager shows the range and the total", async () => {
  const t = await setup();
  try {
    const first = await t.page("/?status=resolved");
    assert.deepEqual(rowNumbers(first).slice(0, 2), [1120, 1119]);
    assert.match(first, /1–50 \/ 120/);
    assert.equal(link(first, "prev"), null);
    assert.match(first, /<span class="count">120<\/span>/, "the folder count");
    const nextHref = link(first, "next")!;
    assert.match(nextHref, /^\/\?status=resolved&sort=newest&cursor=/);

    const second = await t.page(nextHref);
    assert.deepEqual(rowNumbers(second).slice(0, 2), [1070, 1069]);
    assert.match(second, /51–100 \/ 120/);
    const third = await t.page(link(second, "next")!);
    assert.deepEqual(rowNumbers(third), Array.from({ length: 20 }, (_, i) => 1020 - i));
    assert.match(third, /101–120 \/ 120/);
    assert.equal(link(third, "next"), null);

    const back = await t.page(link(third, "prev")!);
    assert.deepEqual(rowNumbers(back), rowNumbers(second));
    assert.equal(
      link(second, "prev"),
      "/?status=resolved&sort=newest",
      "back to page 1: no cursor",
    );
  } finally {
    await t.cleanup();
  }
});

Deno.test("inbox paging: an old ?page= link works, and one past the end shows the last page", async () => {
  const t = await setup();
  try {
    const second = await t.page("/?status=resolved&page=2");
    assert.deepEqual(rowNumbers(second).slice(0, 1), [1070]);
    assert.match(second, /51–100 \/ 120/);
    const far = await t.page("/?status=resolved&page=99999");
    assert.deepEqual(rowNumbers(far).slice(0, 1), [1020]);
    assert.match(far, /101–120 \/ 120/);
    assert.doesNotMatch(far, /99999/);
    // A cursor we did not make (or from another order) gives the first page, not an error.
    const garbled = await t.page("/?status=resolved&cursor=bm9wZQ");
    assert.deepEqual(rowNumbers(garbled).slice(0, 1), [1120]);
    const empty = await t.page("/?status=new&page=3");
    assert.match(empty, /<nav class="pager">\s*<span>0<\/span>/);
  } finally {
    await t.cleanup();
  }
});

Deno.test("API paging: next is a cursor to pass back; page stays, bounded; a bad cursor is a 422", async () => {
  const t = await setup();
  try {
    let res = await t.api("/tickets?status=resolved&per_page=50");
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type") ?? "", /^application\/json/);
    const first = await res.json();
    assert.equal(first.total, 120);
    assert.equal(first.page, 1);
    assert.equal(first.prev, null);
    assert.equal(first.counts.resolved, 120);
    const numbers = first.tickets.map((tk: { number: number }) => tk.number);
    let next = first.next;
    while (next) {
      res = await t.api(`/tickets?status=resolved&per_page=50&cursor=${next}`);
      const body = await res.json();
      numbers.push(...body.tickets.map((tk: { number: number }) => tk.number));
      next = body.next;
    }
    assert.deepEqual(numbers, Array.from({ length: 120 }, (_, i) => 1120 - i));

    const past = await (await t.api("/tickets?status=resolved&per_page=50&page=4")).json();
    assert.deepEqual(past.tickets, [], "past the end: empty, so page-by-page clients stop");
    const deep = await t.api("/tickets?per_page=50&page=500");
    assert.equal(deep.status, 422);
    assert.match((await deep.json()).error.fields.page, /follow "next"/);
    const bad = await t.api("/tickets?cursor=bm9wZQ");
    assert.equal(bad.status, 422);
    assert.match((await bad.json()).error.fields.cursor, /not a cursor/);
  } finally {
    await t.cleanup();
  }
});
