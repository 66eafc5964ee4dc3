/** The agent web UI through app.request(): auth, CSRF, setup, inbox, ticket, reply, attachments. */
import assert from "node:assert/strict";
import { createApp } from "../../routes/mod.tsx";
import { createAgent } from "../runtime.ts";
import { ingestMessage } from "../runtime.ts";
import { listMessages } from "../../db/messages.ts";
import { findTicketByNumber } from "../../db/tickets.ts";
import { rawMail, tempStore, testConfig } from "../helpers.ts";

const ORIGIN = "http://localhost";

async function setup(options: { admin?: boolean } = {}) {
  const db = await tempStore();
  const config = testConfig(db.dir);
  let wakes = 0;
  const app = createApp({ store: db.store, config, outbox: { wake: () => void wakes++ } });
  if (options.admin !== false) {
    await createAgent(db.store, {
      email: "admin@example.test",
      name: "管理者",
      password: "correct horse battery",
      role: "admin",
    });
  }
  async function request(path: string, init: RequestInit & { cookie?: string } = {}) {
    const headers = new Headers(init.headers);
    if (init.cookie) headers.set("cookie", init.cookie);
    if (init.method === "POST" && !headers.has("origin")) headers.set("origin", ORIGIN);
    return await app.request(`${ORIGIN}${path}`, { ...init, headers });
  }
  function form(data: Record<string, string>) {
    return { method: "POST", body: new URLSearchParams(data) } as const;
  }
  async function login(email = "admin@example.test", password = "correct horse battery") {
    const res = await request("/login", form({ email, password, next: "/" }));
    assert.equal(res.status, 303);
    const cookie = res.headers.get("set-cookie")!;
    return cookie.split(";")[0];
  }
  async function mail(headers: Record<string, string>, body: string) {
    return await ingestMessage(db.store, new TextEncoder().encode(rawMail(headers, body)), {
      mailFrom: null,
      rcptTo: ["support@example.test"],
      remoteAddress: null,
    });
  }
  return { ...db, app, request, form, login, mail, wakes: () => wakes };
}

Deno.test("web: every agent page redirects to login, keeping where the agent was going", async () => {
  const t = await setup();
  try {
    for (const path of ["/", "/tickets/1001", "/attachments/1", "/settings/tokens"]) {
      const res = await t.request(path);
      assert.equal(res.status, 303, path);
      assert.equal(res.headers.get("location"), `/login?next=${encodeURIComponent(path)}`);
    }
  } finally {
    await t.cleanup();
  }
});

Deno.test("web: login sets an HttpOnly SameSite session cookie and honours only local next paths", async () => {
  const t = await setup();
  try {
    const res = await t.request(
      "/login",
      t.form({
        email: "admin@example.test",
        password: "correct horse battery",
        next: "//evil.example/x",
      }),
    );
    assert.equal(res.status, 303);
    assert.equal(res.headers.get("location"), "/");
    const cookie = res.headers.get("set-cookie")!;
    assert.match(cookie, /HttpOnly/);
    assert.match(cookie, /SameSite=Lax/);
    const ok = await t.request(
      "/login",
      t.form({
        email: "admin@example.test",
        password: "correct horse battery",
        next: "/tickets/1001#reply",
      }),
    );
    assert.equal(ok.headers.get("location"), "/tickets/1001#reply");
  } finally {
    await t.cleanup();
  }
});

Deno.test("web: a wrong password re-renders the form with the address kept, then rate-limits", async () => {
  const t = await setup();
  try {
    const res = await t.request(
      "/login",
      t.form({ email: "admin@example.test", password: "nope" }),
    );
    assert.equal(res.status, 422);
    assert.match(res.headers.get("content-type")!, /text\/html/);
    const html = await res.text();
    assert.match(html, /value="admin@example.test"/);
    assert.match(html, /正しくありません/);
    for (let i = 0; i < 5; i++) {
      await t.request("/login", t.form({ email: "admin@example.test", password: "nope" }));
    }
    const limited = await t.request(
      "/login",
      t.form({ email: "admin@example.test", password: "correct horse battery" }),
    );
    assert.equal(limited.status, 429);
  } finally {
    await t.cleanup();
  }
});

Deno.test("web: a form post from another origin is refused (CSRF)", async () => {
  const t = await setup();
  try {
    const cookie = await t.login();
    const res = await t.request("/logout", {
      method: "POST",
      cookie,
      headers: {
        origin: "http://evil.example",
        "content-type": "application/x-www-form-urlencoded",
      },
      body: "",
    });
    assert.equal(res.status, 403);
  } finally {
    await t.cleanup();
  }
});

Deno.test("web: first-run setup creates the admin once, keeping typed values on errors", async () => {
  const t = await setup({ admin: false });
  try {
    assert.equal((await t.request("/login")).headers.get("location"), "/setup");
    const bad = await t.request(
      "/setup",
      t.form({ name: "管理者", email: "admin@x", password: "short" }),
    );
    assert.equal(bad.status, 422);
    const html = await bad.text();
    assert.match(html, /value="管理者"/);
    assert.match(html, /10文字以上/);
    const ok = await t.request(
      "/setup",
      t.form({ name: "管理者", email: "admin@example.test", password: "correct horse battery" }),
    );
    assert.equal(ok.status, 303);
    assert.match(ok.headers.get("set-cookie")!, /madoguchi_session=/);
    assert.equal((await t.request("/setup")).status, 404);
  } finally {
    await t.cleanup();
  }
});

Deno.test("web: the inbox lists tickets by folder with counts; the ticket page shows the conversation", async () => {
  const t = await setup();
  try {
    await t.mail(
      { From: "山田 <taro@example.com>", Subject: "<script>alert(1)</script>請求書" },
      "本文です",
    );
    const cookie = await t.login();
    const inbox = await t.request("/?status=new", { cookie });
    assert.equal(inbox.status, 200);
    const html = await inbox.text();
    assert.match(html, /未対応<\/span> <span class="count">1</);
    assert.match(html, /&lt;script>alert\(1\)&lt;\/script>請求書/);
    assert.doesNotMatch(html, /<script>alert/);
    const ticket = await t.request("/tickets/1001", { cookie });
    assert.equal(ticket.status, 200);
    assert.match(await ticket.text(), /本文です/);
    assert.equal((await t.request("/tickets/99999", { cookie })).status, 404);
  } finally {
    await t.cleanup();
  }
});

Deno.test("web: an empty reply re-renders with a message; a real one is queued and wakes the outbox", async () => {
  const t = await setup();
  try {
    await t.mail(
      { From: "taro@example.com", Subject: "質問", "Message-ID": "<q@example.com>" },
      "?",
    );
    const cookie = await t.login();
    const empty = await t.request("/tickets/1001/reply", {
      ...t.form({ text: "  ", status: "resolved" }),
      cookie,
    });
    assert.equal(empty.status, 422);
    const html = await empty.text();
    assert.match(html, /返信本文を入力してください/);
    assert.match(html, /<option value="resolved" selected/);
    const sent = await t.request("/tickets/1001/reply", {
      ...t.form({ text: "お答えします", status: "resolved" }),
      cookie,
    });
    assert.equal(sent.status, 303);
    assert.equal(t.wakes(), 1);
    const ticket = (await findTicketByNumber(t.store.db, 1001))!;
    assert.equal(ticket.status, "resolved");
    const out = (await listMessages(t.store.db, ticket.id)).find((m) => m.direction === "out")!;
    assert.equal(out.text, "お答えします");
    assert.equal(out.delivery?.status, "held"); // no relay in testConfig
    const page = await (await t.request("/tickets/1001", { cookie })).text();
    assert.match(page, /未送信: リレー未設定/);
  } finally {
    await t.cleanup();
  }
});

Deno.test("web: attachments download only for agents, as attachment, with an RFC 5987 name", async () => {
  const t = await setup();
  try {
    const raw = [
      "From: taro@example.com",
      "Subject: 添付",
      "MIME-Version: 1.0",
      'Content-Type: multipart/mixed; boundary="b"',
      "",
      "--b",
      "Content-Type: text/plain; charset=utf-8",
      "",
      "see attached",
      "--b",
      "Content-Type: text/html; name*=UTF-8''%E8%AB%8B%E6%B1%82.html",
      "Content-Disposition: attachment; filename*=UTF-8''%E8%AB%8B%E6%B1%82.html",
      "",
      "<script>alert(1)</script>",
      "--b--",
      "",
    ].join("\r\n");
    await ingestMessage(t.store, new TextEncoder().encode(raw), {
      mailFrom: null,
      rcptTo: ["support@example.test"],
      remoteAddress: null,
    });
    const ticket = (await findTicketByNumber(t.store.db, 1001))!;
    const [message] = await listMessages(t.store.db, ticket.id);
    const id = message.attachments[0].id;
    assert.equal((await t.request(`/attachments/${id}`)).status, 303);
    const cookie = await t.login();
    const res = await t.request(`/attachments/${id}`, { cookie });
    assert.equal(res.status, 200);
    assert.equal(
      res.headers.get("content-disposition"),
      "attachment; filename=\"__.html\"; filename*=UTF-8''%E8%AB%8B%E6%B1%82.html",
    );
    assert.equal(res.headers.get("x-content-type-options"), "nosniff");
    assert.equal(await res.text(), "<script>alert(1)</script>");
  } finally {
    await t.cleanup();
  }
});

Deno.test("web: admin pages answer 404 to agents who are not admins", async () => {
  const t = await setup();
  try {
    await createAgent(t.store, {
      email: "agent@example.test",
      name: "担当",
      password: "another long password",
      role: "agent",
    });
    const agentCookie = await t.login("agent@example.test", "another long password");
    assert.equal((await t.request("/admin/quarantine", { cookie: agentCookie })).status, 404);
    const adminCookie = await t.login();
    assert.equal((await t.request("/admin/quarantine", { cookie: adminCookie })).status, 200);
  } finally {
    await t.cleanup();
  }
});

Deno.test("web: /admin lists every admin section for admins; the top bar has one link to it", async () => {
  const t = await setup();
  try {
    await createAgent(t.store, {
      email: "agent@example.test",
      name: "担当",
      password: "another long password",
      role: "agent",
    });
    const agentCookie = await t.login("agent@example.test", "another long password");
    assert.equal((await t.request("/admin", { cookie: agentCookie })).status, 404);
    const inbox = await (await t.request("/", { cookie: agentCookie })).text();
    assert.doesNotMatch(inbox, /href="\/admin/);

    const res = await t.request("/admin", { cookie: await t.login() });
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type")!, /text\/html/);
    const html = await res.text();
    for (
      const path of ["quarantine", "departments", "schedules", "sla", "reminders", "after-hours"]
    ) {
      assert.match(html, new RegExp(`<a href="/admin/${path}">`), path);
    }
    // The top bar links to /admin only; the sections are listed on the page.
    const topbar = html.slice(html.indexOf('<header class="topbar">'), html.indexOf("</header>"));
    assert.deepEqual([...topbar.matchAll(/href="(\/admin[^"]*)"/g)].map((m) => m[1]), ["/admin"]);
  } finally {
    await t.cleanup();
  }
});

Deno.test("web: /healthz reports the database state as JSON", async () => {
  const t = await setup();
  try {
    const res = await t.request("/healthz");
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type")!, /application\/json/);
    assert.deepEqual(await res.json(), { ok: true, db: { ok: true, writable: true }, smtp: null });
  } finally {
    await t.cleanup();
  }
});

Deno.test("web: a non-numeric id in any agent or admin path is a 404, never a 500", async () => {
  const t = await setup();
  try {
    const cookie = await t.login();
    const gets = ["/tickets/abc", "/customers/x", "/attachments/1e3", "/admin/schedules/x"];
    for (const path of gets) {
      assert.equal((await t.request(path, { cookie })).status, 404, path);
    }
    const posts = [
      "/tickets/abc/priority",
      "/tickets/abc/department",
      "/tickets/abc/reply",
      "/admin/quarantine/x/reprocess",
      "/notifications/x/read",
    ];
    for (const path of posts) {
      assert.equal((await t.request(path, { ...t.form({}), cookie })).status, 404, path);
    }
  } finally {
    await t.cleanup();
  }
});
