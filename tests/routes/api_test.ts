/** JSON API v1 through `app.request()` on a real database file: auth, tickets, replies, errors. */
import assert from "node:assert/strict";
import { createApp } from "../../routes/mod.tsx";
import { contentDisposition } from "../../routes/attachments.ts";
import type { AppDeps } from "../../routes/state.ts";
import type { Store } from "../../db/client.ts";
import { createAgent, createApiToken, createSession, revokeApiToken } from "../runtime.ts";
import { listApiTokens } from "../../db/agents.ts";
import { findTicketByNumber } from "../../db/tickets.ts";
import { listTicketEvents } from "../../db/events.ts";
import { ingestMessage } from "../runtime.ts";
import { tempStore, testConfig } from "../helpers.ts";

const ADMIN = { email: "admin@example.test", password: "correct horse battery" };
const T0 = Date.UTC(2025, 3, 1, 0, 0, 0);

interface Api {
  store: Store;
  /** Sends a request to /api/v1 with the admin's bearer token unless `auth` says otherwise. */
  call(
    path: string,
    init?: RequestInit & { auth?: string | null; json?: unknown },
  ): Promise<Response>;
  token: string;
  wakes(): number;
}

function basic(email: string, password: string): string {
  const bytes = new TextEncoder().encode(`${email}:${password}`);
  return `Basic ${btoa(String.fromCharCode(...bytes))}`;
}

async function withApi(fn: (api: Api) => Promise<void>, env: Record<string, string> = {}) {
  const db = await tempStore();
  try {
    const admin = await createAgent(db.store, { ...ADMIN, name: "Admin", role: "admin" });
    const token = await createApiToken(db.store, admin.id, "test");
    let wakes = 0;
    const deps: AppDeps = {
      store: db.store,
      config: testConfig(db.dir, env),
      outbox: { wake: () => void wakes++ },
    };
    const app = createApp(deps);
    await fn({
      store: db.store,
      token,
      wakes: () => wakes,
      call(path, { auth, json, ...init } = {}) {
        const headers = new Headers(init.headers);
        const authorization = auth === undefined ? `Bearer ${token}` : auth;
        if (authorization !== null) headers.set("authorization", authorization);
        if (json !== undefined) headers.set("content-type", "application/json");
        const body = json === undefined ? init.body : JSON.stringify(json);
        return Promise.resolve(app.request(`/api/v1${path}`, { ...init, headers, body }));
      },
    });
  } finally {
    await db.cleanup();
  }
}

async function ingest(store: Store, raw: string, at: number) {
  const result = await ingestMessage(
    store,
    new TextEncoder().encode(raw.replaceAll("\n", "\r\n")),
    { mailFrom: null, rcptTo: ["support@example.test"], remoteAddress: null },
    { now: () => at },
  );
  assert.equal(result.kind, "created");
}

/** #1001 from Taro (HTML + a PDF attachment) at T0, #1002 from Hanako a minute later. */
async function seedTickets(store: Store) {
  await ingest(
    store,
    `From: Taro Yamada <taro@example.com>
To: support@example.test
Subject: Invoice reissue
Message-ID: <invoice@example.com>
MIME-Version: 1.0
Content-Type: multipart/mixed; boundary="m"

--m
Content-Type: multipart/alternative; boundary="a"

--a
Content-Type: text/plain; charset=utf-8

Please reissue the invoice.
--a
Content-Type: text/html; charset=utf-8

<p>Please reissue the invoice.</p><script>alert(1)</script>
--a--
--m
Content-Type: application/pdf; name="invoice.pdf"
Content-Disposition: attachment; filename*=UTF-8''%E8%AB%8B%E6%B1%82%E6%9B%B8.pdf
Content-Transfer-Encoding: base64

JVBERi0xLjQK
--m--
`,
    T0,
  );
  await ingest(
    store,
    `From: Hanako <hanako@example.org>
To: support@example.test
Subject: Password reset
Message-ID: <password@example.org>
Content-Type: text/plain; charset=utf-8

I cannot sign in.
`,
    T0 + 60_000,
  );
}

async function assertJsonError(res: Response, status: number, code: string) {
  assert.equal(res.status, status);
  assert.match(res.headers.get("content-type") ?? "", /^application\/json/);
  const body = await res.json();
  assert.equal(body.error.code, code);
  assert.equal(typeof body.error.message, "string");
  return body.error as { code: string; message: string; fields?: Record<string, string> };
}

// --- Authentication ---------------------------------------------------------------------------

Deno.test("api auth: a bearer token from createApiToken identifies its agent", async () => {
  await withApi(async ({ call }) => {
    const res = await call("/me");
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type") ?? "", /^application\/json/);
    assert.deepEqual(await res.json(), {
      id: 1,
      email: ADMIN.email,
      name: "Admin",
      role: "admin",
      locale: "ja",
    });
  });
});

Deno.test("api auth: basic auth with the admin's e-mail and password works", async () => {
  await withApi(async ({ call }) => {
    const res = await call("/me", { auth: basic("Admin@Example.test", ADMIN.password) });
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type") ?? "", /^application\/json/);
    assert.equal((await res.json()).email, ADMIN.email);
  });
});

Deno.test("api auth: no credentials is a 401 JSON error with a Bearer and Basic challenge", async () => {
  await withApi(async ({ call }) => {
    const res = await call("/tickets", { auth: null });
    assert.equal(res.headers.get("www-authenticate"), 'Bearer, Basic realm="madoguchi"');
    await assertJsonError(res, 401, "unauthorized");
  });
});

Deno.test("api auth: a wrong password, an unknown token or an unknown scheme is a 401", async () => {
  await withApi(async ({ call }) => {
    for (
      const auth of [
        basic(ADMIN.email, "wrong password"),
        basic("nobody@example.test", ADMIN.password),
        "Basic not-base64!",
        "Bearer mdg_not-a-token",
        "Digest username=admin",
      ]
    ) {
      const res = await call("/me", { auth });
      assert.equal(res.headers.get("www-authenticate"), 'Bearer, Basic realm="madoguchi"', auth);
      await assertJsonError(res, 401, "unauthorized");
    }
  });
});

Deno.test("api auth: a revoked token is refused", async () => {
  await withApi(async ({ call, store, token }) => {
    const [{ id }] = await listApiTokens(store.db, 1);
    await revokeApiToken(store, 1, id);
    await assertJsonError(await call("/me", { auth: `Bearer ${token}` }), 401, "unauthorized");
  });
});

Deno.test("api auth: a web session cookie does not authenticate the API", async () => {
  await withApi(async ({ call, store }) => {
    const secret = await createSession(store, 1, 3600_000);
    const res = await call("/me", {
      auth: null,
      headers: { cookie: `madoguchi_session=${secret}` },
    });
    await assertJsonError(res, 401, "unauthorized");
  });
});

Deno.test("api auth: repeated bad basic auth is rate-limited with 429, even for the right password", async () => {
  await withApi(async ({ call }) => {
    for (let i = 0; i < 5; i++) {
      await assertJsonError(
        await call("/me", { auth: basic(ADMIN.email, `wrong ${i}`) }),
        401,
        "unauthorized",
      );
    }
    const res = await call("/me", { auth: basic(ADMIN.email, ADMIN.password) });
    assert.equal(res.headers.get("retry-after"), "900");
    await assertJsonError(res, 429, "rate_limited");
    // Tokens are not affected by the password lock-out.
    assert.equal((await call("/me")).status, 200);
  });
});

// --- Tickets: read ----------------------------------------------------------------------------

Deno.test("api tickets: the list is paged, filtered, searched and sorted", async () => {
  await withApi(async ({ call, store }) => {
    await seedTickets(store);
    let res = await call("/tickets");
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type") ?? "", /^application\/json/);
    const all = await res.json();
    assert.equal(all.total, 2);
    assert.equal(all.page, 1);
    assert.equal(all.per_page, 50);
    assert.deepEqual(all.counts, {
      new: 2,
      open: 0,
      pending: 0,
      resolved: 0,
      no_action: 0,
      spam: 0,
    });
    assert.deepEqual(all.tickets.map((t: { number: number }) => t.number), [1002, 1001]);
    assert.deepEqual(all.tickets[1], {
      id: 1,
      number: 1001,
      subject: "Invoice reissue",
      status: "new",
      customer: { email: "taro@example.com", name: "Taro Yamada" },
      message_count: 1,
      assignee: null,
      created_at: "2025-04-01T00:00:00.000Z",
      last_message_at: "2025-04-01T00:00:00.000Z",
    });

    res = await call("/tickets?sort=oldest&per_page=1&page=2");
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type") ?? "", /^application\/json/);
    const paged = await res.json();
    assert.equal(paged.total, 2);
    assert.deepEqual(paged.tickets.map((t: { number: number }) => t.number), [1002]);

    res = await call("/tickets?q=hanako");
    assert.deepEqual((await res.json()).tickets.map((t: { number: number }) => t.number), [1002]);
    res = await call("/tickets?status=resolved");
    assert.deepEqual(await res.json(), {
      tickets: [],
      total: 0,
      total_capped: false,
      page: 1,
      per_page: 50,
      next: null,
      prev: null,
      counts: { new: 2, open: 0, pending: 0, resolved: 0, no_action: 0, spam: 0 },
    });
  });
});

Deno.test("api tickets: bad list parameters are a 422 naming each field", async () => {
  await withApi(async ({ call }) => {
    const error = await assertJsonError(
      await call("/tickets?status=closed&per_page=0&sort=random&page=x"),
      422,
      "invalid_request",
    );
    assert.deepEqual(Object.keys(error.fields ?? {}).sort(), [
      "page",
      "per_page",
      "sort",
      "status",
    ]);
    assert.match(error.fields!.status, /new, open, pending, resolved, no_action/);
  });
});

Deno.test("api tickets: one ticket comes with its messages, sanitized HTML and attachments", async () => {
  await withApi(async ({ call, store }) => {
    await seedTickets(store);
    const res = await call("/tickets/1001");
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type") ?? "", /^application\/json/);
    const ticket = await res.json();
    assert.equal(ticket.number, 1001);
    assert.equal(ticket.channel, "email");
    assert.deepEqual(ticket.customer, { id: 1, email: "taro@example.com", name: "Taro Yamada" });
    assert.equal(ticket.reply_token, undefined);
    assert.equal(ticket.messages.length, 1);
    const [m] = ticket.messages;
    assert.equal(m.direction, "in");
    assert.equal(m.message_id, "invoice@example.com");
    assert.deepEqual(m.from, { address: "taro@example.com", name: "Taro Yamada" });
    assert.match(m.text, /Please reissue the invoice/);
    assert.match(m.html, /<p>Please reissue the invoice.<\/p>/);
    assert.doesNotMatch(m.html, /script/);
    assert.equal(m.created_at, "2025-04-01T00:00:00.000Z");
    assert.equal(m.delivery, null);
    assert.equal(m.attachments.length, 1);
    const [att] = m.attachments;
    assert.equal(att.filename, "請求書.pdf");
    assert.equal(att.content_type, "application/pdf");
    assert.equal(att.size, 9);
    assert.equal(att.download_url, `http://localhost/api/v1/attachments/${att.id}`);

    const download = await call(`/attachments/${att.id}`);
    assert.equal(download.status, 200);
    assert.equal(download.headers.get("content-type"), "application/pdf");
    assert.equal(download.headers.get("content-disposition"), contentDisposition("請求書.pdf"));
    assert.equal(download.headers.get("x-content-type-options"), "nosniff");
    assert.equal(download.headers.get("cache-control"), "private, no-store");
    assert.equal(await download.text(), "%PDF-1.4\n");
  });
});

Deno.test("api: unknown tickets, attachments and endpoints are 404 JSON, never HTML", async () => {
  await withApi(async ({ call }) => {
    for (const path of ["/tickets/9999", "/tickets/abc", "/attachments/42", "/nothing/here", ""]) {
      await assertJsonError(await call(path), 404, "not_found");
    }
    await assertJsonError(
      await call("/tickets/9999/reply", { method: "POST", json: { text: "hi" } }),
      404,
      "not_found",
    );
  });
});

// --- Tickets: write ---------------------------------------------------------------------------

Deno.test("api reply: queues the mail, wakes the outbox and sets the status", async () => {
  await withApi(async ({ call, store, wakes }) => {
    await seedTickets(store);
    const res = await call("/tickets/1001/reply", {
      method: "POST",
      json: { text: "We have reissued it.\r\n", status: "resolved" },
    });
    assert.equal(res.status, 201);
    assert.match(res.headers.get("content-type") ?? "", /^application\/json/);
    const message = await res.json();
    assert.equal(message.direction, "out");
    assert.equal(message.text, "We have reissued it.");
    assert.equal(message.agent_id, 1);
    assert.deepEqual(message.to, [{ address: "taro@example.com", name: "Taro Yamada" }]);
    assert.match(message.subject, /#1001/);
    // No relay is configured in tests: the mail is held, never faked as sent.
    assert.equal(message.delivery.status, "held");
    assert.equal(wakes(), 1);
    assert.equal((await findTicketByNumber(store.db, 1001))?.status, "resolved");

    const again = await call("/tickets/1001/reply", { method: "POST", json: { text: "Also…" } });
    assert.equal(again.status, 201);
    assert.equal((await findTicketByNumber(store.db, 1001))?.status, "pending");
    assert.equal(wakes(), 2);
  });
});

Deno.test("api reply: empty text or an unknown status is a 422 and nothing is queued", async () => {
  await withApi(async ({ call, store, wakes }) => {
    await seedTickets(store);
    const error = await assertJsonError(
      await call("/tickets/1001/reply", {
        method: "POST",
        json: { text: "  \n ", status: "done" },
      }),
      422,
      "invalid_request",
    );
    assert.deepEqual(Object.keys(error.fields ?? {}).sort(), ["status", "text"]);
    const wrongType = await assertJsonError(
      await call("/tickets/1001/reply", { method: "POST", json: { text: 42 } }),
      422,
      "invalid_request",
    );
    assert.equal(wrongType.fields?.text, "must be a string");
    assert.equal(wakes(), 0);
    assert.equal((await findTicketByNumber(store.db, 1001))?.messageCount, 1);
  });
});

Deno.test("api: form bodies are refused with 415 and malformed JSON with 400", async () => {
  await withApi(async ({ call, store, wakes }) => {
    await seedTickets(store);
    const form = await call("/tickets/1001/reply", {
      method: "POST",
      body: new URLSearchParams({ text: "hello" }),
    });
    await assertJsonError(form, 415, "invalid_request");
    await assertJsonError(
      await call("/tickets", { method: "POST", body: "customer[email]=a@b.example" }),
      415,
      "invalid_request",
    );
    const broken = await call("/tickets/1001", {
      method: "PATCH",
      body: "{status:",
      headers: { "content-type": "application/json" },
    });
    await assertJsonError(broken, 400, "invalid_request");
    await assertJsonError(
      await call("/tickets/1001", { method: "PATCH", json: ["resolved"] }),
      400,
      "invalid_request",
    );
    assert.equal(wakes(), 0);
  });
});

Deno.test("api: a body over the size limit is a 413 JSON error", async () => {
  await withApi(async ({ call, store }) => {
    await seedTickets(store);
    const res = await call("/tickets/1001/reply", {
      method: "POST",
      json: { text: "x".repeat(2048) },
    });
    await assertJsonError(res, 413, "payload_too_large");
  }, { MADOGUCHI_MAX_MESSAGE_BYTES: "1024" });
});

Deno.test("api status: PATCH changes the status and records who did it", async () => {
  await withApi(async ({ call, store }) => {
    await seedTickets(store);
    const res = await call("/tickets/1002", { method: "PATCH", json: { status: "open" } });
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type") ?? "", /^application\/json/);
    const ticket = await res.json();
    assert.equal(ticket.number, 1002);
    assert.equal(ticket.status, "open");
    assert.equal(ticket.messages, undefined);
    const events = await listTicketEvents(store.db, ticket.id);
    assert.deepEqual(events.map((e) => [e.kind, e.agentName]).at(-1), ["status.changed", "Admin"]);

    const error = await assertJsonError(
      await call("/tickets/1002", { method: "PATCH", json: { status: "closed" } }),
      422,
      "invalid_request",
    );
    assert.ok(error.fields?.status);
    const missing = await assertJsonError(
      await call("/tickets/1002", { method: "PATCH", json: {} }),
      422,
      "invalid_request",
    );
    assert.equal(missing.fields?.status, "is required");
  });
});

Deno.test("api create: a ticket opened for a customer has their inbound message", async () => {
  await withApi(async ({ call, store }) => {
    const res = await call("/tickets", {
      method: "POST",
      json: {
        customer: { email: "Jiro@Example.com", name: "Jiro" },
        subject: "Phone: delivery is late",
        text: "Called at 10:00.\r\nParcel not arrived.",
        channel: "phone",
        status: "resolved", // not a field of this endpoint: ignored, never assigned
        id: 99,
      },
    });
    assert.equal(res.status, 201);
    assert.match(res.headers.get("content-type") ?? "", /^application\/json/);
    assert.equal(res.headers.get("location"), "/api/v1/tickets/1001");
    const ticket = await res.json();
    assert.equal(ticket.number, 1001);
    assert.equal(ticket.id, 1);
    assert.equal(ticket.status, "new");
    assert.equal(ticket.channel, "phone");
    assert.equal(ticket.subject, "Phone: delivery is late");
    assert.deepEqual(ticket.customer, { id: 1, email: "jiro@example.com", name: "Jiro" });
    assert.equal(ticket.message_count, 1);
    assert.equal(ticket.messages.length, 1);
    const [m] = ticket.messages;
    assert.equal(m.direction, "in");
    assert.equal(m.message_id, null);
    assert.equal(m.text, "Called at 10:00.\nParcel not arrived.");
    assert.deepEqual(m.from, { address: "jiro@example.com", name: "Jiro" });
    const events = await listTicketEvents(store.db, ticket.id);
    assert.deepEqual(events.map((e) => [e.kind, e.agentName]), [["ticket.created", "Admin"]]);

    const plain = await call("/tickets", {
      method: "POST",
      json: { customer: { email: "saburo@example.com" }, subject: "Chat", text: "Hello" },
    });
    assert.equal(plain.status, 201);
    const second = await plain.json();
    assert.equal(second.number, 1002);
    assert.equal(second.channel, "api");
    assert.equal(second.customer.name, "saburo");
  });
});

Deno.test("api create: an invalid e-mail, missing fields or a header-breaking subject are a 422", async () => {
  await withApi(async ({ call, store }) => {
    let error = await assertJsonError(
      await call("/tickets", {
        method: "POST",
        json: {
          customer: { email: "not an address", name: "Bad\r\nBcc: x@y.example" },
          subject: "Hi\r\nBcc: victim@example.com",
          text: "",
          channel: "Carrier Pigeon",
        },
      }),
      422,
      "invalid_request",
    );
    assert.deepEqual(Object.keys(error.fields ?? {}).sort(), [
      "channel",
      "customer.email",
      "customer.name",
      "subject",
      "text",
    ]);
    assert.equal(error.fields?.["customer.email"], "must be an e-mail address");
    error = await assertJsonError(
      await call("/tickets", { method: "POST", json: { subject: "x", text: "y" } }),
      422,
      "invalid_request",
    );
    assert.deepEqual(error.fields, { customer: "is required" });
    assert.equal((await call("/tickets").then((r) => r.json())).total, 0);
    assert.equal(await findTicketByNumber(store.db, 1001), undefined);
  });
});

Deno.test("api: an unexpected failure is a 500 JSON error that reveals nothing", async () => {
  const db = await tempStore();
  const logged: unknown[][] = [];
  const originalError = console.error;
  console.error = (...args: unknown[]) => void logged.push(args);
  try {
    const admin = await createAgent(db.store, { ...ADMIN, name: "Admin", role: "admin" });
    const token = await createApiToken(db.store, admin.id, "test");
    await seedTickets(db.store);
    const store: Store = {
      ...db.store,
      writeTx: () => Promise.reject(new Error("disk I/O error at /var/secret/madoguchi.db")),
    };
    const app = createApp({ store, config: testConfig(db.dir), outbox: { wake() {} } });
    const res = await app.request("/api/v1/tickets/1001", {
      method: "PATCH",
      headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
      body: JSON.stringify({ status: "open" }),
    });
    const error = await assertJsonError(res, 500, "internal");
    assert.doesNotMatch(error.message, /secret|disk/);
    assert.equal(logged.length, 1);
  } finally {
    console.error = originalError;
    await db.cleanup();
  }
});
