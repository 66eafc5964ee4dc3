/**
 * The stale-send guard through the API and the web form: versions, ETag/If-Match, 409 "stale"
 * with what changed, and the race — 100 concurrent sends against one version, one mail out.
 */
import assert from "node:assert/strict";
import { createApp } from "../../routes/mod.tsx";
import type { AppDeps } from "../../routes/state.ts";
import type { Store } from "../../db/client.ts";
import { createAgent, createApiToken } from "../runtime.ts";
import { findTicketByNumber } from "../../db/tickets.ts";
import { smtpRelayTransport, startOutboxWorker } from "../../loops/outbox_worker.ts";
import { ingestMessage } from "../runtime.ts";
import { rawMail, startSmtpSink, tempStore, testConfig } from "../helpers.ts";

const MAIL = {
  mailFrom: "taro@example.com",
  rcptTo: ["support@example.test"],
  remoteAddress: null,
};

async function customerWrites(store: Store, id: string, text: string) {
  const raw = rawMail({
    From: "山田太郎 <taro@example.com>",
    To: "support@example.test",
    Subject: "請求書の再発行",
    "Message-ID": `<${id}@example.com>`,
    ...(id === "first" ? {} : { "In-Reply-To": "<first@example.com>" }),
  }, text);
  await ingestMessage(store, new TextEncoder().encode(raw), MAIL);
}

interface Api {
  store: Store;
  tokens: string[];
  app: ReturnType<typeof createApp>;
  call(
    path: string,
    init?: { token?: string; json?: unknown; headers?: Record<string, string> },
  ): Promise<Response>;
}

async function withApi(
  fn: (api: Api) => Promise<void>,
  options: { relayUrl?: string; wake?: () => void } = {},
) {
  const db = await tempStore();
  try {
    const tokens: string[] = [];
    for (const name of ["佐藤", "鈴木", "高橋", "田中"]) {
      const agent = await createAgent(db.store, {
        email: `${tokens.length}@example.test`,
        password: "correct horse battery",
        name,
        role: "agent",
      });
      tokens.push(await createApiToken(db.store, agent.id, "test"));
    }
    const env: Record<string, string> = options.relayUrl
      ? { MADOGUCHI_SMTP_RELAY_URL: options.relayUrl }
      : {};
    const deps: AppDeps = {
      store: db.store,
      config: testConfig(db.dir, env),
      outbox: { wake: options.wake ?? (() => {}) },
    };
    const app = createApp(deps);
    await fn({
      store: db.store,
      tokens,
      app,
      call(path, { token = tokens[0], json, headers = {} } = {}) {
        const h = new Headers(headers);
        h.set("authorization", `Bearer ${token}`);
        if (json !== undefined) h.set("content-type", "application/json");
        return Promise.resolve(app.request(`/api/v1${path}`, {
          method: json === undefined ? "GET" : "POST",
          headers: h,
          body: json === undefined ? undefined : JSON.stringify(json),
        }));
      },
    });
  } finally {
    await db.cleanup();
  }
}

Deno.test("reply guard: the ticket shows its version and a weak ETag; a message moves it", async () => {
  await withApi(async ({ store, call }) => {
    await customerWrites(store, "first", "再発行をお願いします");
    const res = await call("/tickets/1001");
    assert.equal(res.status, 200);
    const body = await res.json();
    assert.equal(typeof body.version, "number");
    assert.equal(res.headers.get("etag"), `W/"v${body.version}"`);
    await customerWrites(store, "second", "追記です");
    const after = await (await call("/tickets/1001")).json();
    assert.ok(after.version > body.version);
  });
});

Deno.test("reply guard: a reply against an old version after a customer message is 409 stale with the message", async () => {
  await withApi(async ({ store, call }) => {
    await customerWrites(store, "first", "再発行をお願いします");
    const { version } = await (await call("/tickets/1001")).json();
    await customerWrites(store, "second", "宛名は株式会社でお願いします");
    const res = await call("/tickets/1001/reply", {
      json: { text: "承知しました", expected_version: version },
    });
    assert.equal(res.status, 409);
    const { error } = await res.json();
    assert.equal(error.code, "stale");
    assert.equal(error.changes.length, 1);
    assert.equal(error.changes[0].direction, "in");
    assert.match(error.changes[0].text, /宛名は株式会社/);
    assert.ok(error.version > version);
    // Sending anyway: against the version the refusal named, it goes.
    const again = await call("/tickets/1001/reply", {
      json: { text: "承知しました", expected_version: error.version },
    });
    assert.equal(again.status, 201);
  });
});

Deno.test("reply guard: If-Match carries the version; a status change alone does not hold a reply", async () => {
  await withApi(async ({ store, app, tokens, call }) => {
    await customerWrites(store, "first", "再発行をお願いします");
    const etag = (await call("/tickets/1001")).headers.get("etag")!;
    const patched = await app.request("/api/v1/tickets/1001", {
      method: "PATCH",
      headers: { authorization: `Bearer ${tokens[1]}`, "content-type": "application/json" },
      body: JSON.stringify({ status: "open" }),
    });
    assert.equal(patched.status, 200);
    assert.notEqual((await patched.json()).version, Number(/\d+/.exec(etag)![0]));
    const res = await call("/tickets/1001/reply", {
      json: { text: "承知しました" },
      headers: { "if-match": etag },
    });
    assert.equal(res.status, 201);
    const stale = await call("/tickets/1001/reply", {
      json: { text: "もう一度" },
      headers: { "if-match": etag },
    });
    assert.equal(stale.status, 409);
    assert.equal((await stale.json()).error.changes[0].direction, "out");
    const bad = await call("/tickets/1001/reply", {
      json: { text: "x" },
      headers: { "if-match": "nonsense" },
    });
    assert.equal(bad.status, 422);
  });
});

Deno.test("reply guard: 100 concurrent sends against one version from four agents → one mail, 99 refusals", async () => {
  const sink = await startSmtpSink();
  try {
    let wake = () => {};
    await withApi(async ({ store, tokens, call }) => {
      await customerWrites(store, "first", "再発行をお願いします");
      const { version } = await (await call("/tickets/1001")).json();
      const worker = await startOutboxWorker(store, smtpRelayTransport(sink.url));
      wake = worker.wake;
      try {
        const responses = await Promise.all(
          Array.from({ length: 100 }, (_, i) =>
            call("/tickets/1001/reply", {
              token: tokens[i % tokens.length],
              json: { text: `返信 ${i}`, expected_version: version },
            })),
        );
        const statuses = responses.map((r) => r.status);
        assert.equal(statuses.filter((s) => s === 201).length, 1);
        assert.equal(statuses.filter((s) => s === 409).length, 99);
        for (const r of responses) {
          const body = await r.json();
          if (r.status === 409) assert.equal(body.error.code, "stale");
        }
        await sink.next();
        await worker.stop();
        const ticket = await findTicketByNumber(store.db, 1001);
        const queued = await store.db.selectFrom("outbox").select("id").execute();
        assert.equal(queued.length, 1);
        assert.equal(sink.messages.length, 1);
        const out = await store.db.selectFrom("messages").select("id")
          .where("ticket_id", "=", ticket!.id).where("direction", "=", "out").execute();
        assert.equal(out.length, 1);
      } finally {
        await worker.stop();
      }
    }, { relayUrl: sink.url, wake: () => wake() });
  } finally {
    await sink.close();
  }
});
