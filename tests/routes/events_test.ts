/** The live stream over HTTP: events, the badge, Last-Event-ID catch-up, no compression. */
import assert from "node:assert/strict";
import { createApp } from "../../routes/mod.tsx";
import type { AppDeps } from "../../routes/state.ts";
import { createAgent, createApiToken } from "../runtime.ts";
import { createLiveHub, type LiveHub } from "../../services/live.ts";
import { ingestMessage } from "../runtime.ts";
import { rawMail, tempStore, testConfig } from "../helpers.ts";
import type { Store } from "../../db/client.ts";
import { createDepartment } from "../../db/departments.ts";
import { setAgentDepartments, updateAgent } from "../../db/agents.ts";

interface SseEvent {
  id?: string;
  event?: string;
  data?: string;
}

/** Reads server-sent events from a response body, one at a time. */
function sseReader(res: Response) {
  const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
  let buf = "";
  return {
    async next(): Promise<SseEvent | "comment"> {
      for (;;) {
        const end = buf.indexOf("\n\n");
        if (end >= 0) {
          const block = buf.slice(0, end);
          buf = buf.slice(end + 2);
          if (block.startsWith(":")) return "comment";
          const e: SseEvent = {};
          for (const line of block.split("\n")) {
            const [k, ...v] = line.split(": ");
            if (k === "id" || k === "event" || k === "data") e[k] = v.join(": ");
          }
          return e;
        }
        const { value, done } = await reader.read();
        if (done) throw new Error("stream ended");
        buf += value;
      }
    },
    /** The next event of `type`, skipping others; fails rather than hangs when none comes. */
    async until(type: string): Promise<SseEvent> {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const give = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no "${type}" event within 10 s`)), 10_000);
      });
      const find = (async () => {
        for (;;) {
          const e = await this.next();
          if (e !== "comment" && e.event === type) return e;
        }
      })();
      return await Promise.race([find, give]).finally(() => clearTimeout(timer));
    },
    cancel: () => reader.cancel(),
  };
}

async function setup(
  fn: (t: {
    store: Store;
    live: LiveHub;
    token: string;
    request(path: string, init?: RequestInit): Promise<Response>;
  }) => Promise<void>,
  heartbeatMs = 60_000,
) {
  const db = await tempStore();
  const live = createLiveHub(db.store.db, { coalesceMs: 0 });
  try {
    const agent = await createAgent(db.store, {
      email: "sato@example.test",
      name: "佐藤",
      password: "correct horse battery",
      role: "agent",
    });
    const token = await createApiToken(db.store, agent.id, "t");
    const deps: AppDeps = {
      store: db.store,
      config: testConfig(db.dir),
      outbox: { wake() {} },
      live,
      liveHeartbeatMs: heartbeatMs,
    };
    const app = createApp(deps);
    await fn({
      store: db.store,
      live,
      token,
      request: (path, init = {}) => {
        const headers = new Headers(init.headers);
        if (!headers.has("authorization")) headers.set("authorization", `Bearer ${token}`);
        return Promise.resolve(app.request(path, { ...init, headers }));
      },
    });
  } finally {
    live.close();
    await db.cleanup();
  }
}

async function customerWrites(store: Store, id: string) {
  const raw = rawMail({
    From: "山田太郎 <taro@example.com>",
    To: "support@example.test",
    Subject: "請求書の再発行",
    "Message-ID": `<${id}@example.com>`,
  }, "お願いします");
  await ingestMessage(store, new TextEncoder().encode(raw), {
    mailFrom: null,
    rcptTo: ["support@example.test"],
    remoteAddress: null,
  });
}

Deno.test("events: a ticket change reaches an open stream, uncompressed, with counts", async () => {
  await setup(async ({ store, request }) => {
    await customerWrites(store, "first");
    const res = await request("/api/v1/events", { headers: { "accept-encoding": "gzip" } });
    assert.equal(res.status, 200);
    assert.match(res.headers.get("content-type") ?? "", /^text\/event-stream/);
    assert.equal(res.headers.get("content-encoding"), null);
    const sse = sseReader(res);
    assert.deepEqual(JSON.parse((await sse.until("badge")).data!), { unread: 0 });
    const reply = await request("/api/v1/tickets/1001/reply", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ text: "承知しました", status: "pending" }),
    });
    assert.equal(reply.status, 201);
    const e = await sse.until("ticket");
    const data = JSON.parse(e.data!);
    assert.equal(data.number, 1001);
    assert.equal(data.status, "pending");
    assert.ok(e.id);
    const counts = JSON.parse((await sse.until("counts")).data!);
    assert.equal(counts.pending, 1);
    await sse.cancel();
  });
});

Deno.test("events: an event sent while disconnected is delivered after reconnect with Last-Event-ID", async () => {
  await setup(async ({ store, live, request }) => {
    await customerWrites(store, "first");
    const first = sseReader(await request("/api/v1/events"));
    await first.until("badge");
    await request("/api/v1/tickets/1001", {
      method: "PATCH",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ status: "open" }),
    });
    const seen = await first.until("ticket");
    await first.cancel();

    // Disconnected: the ticket changes twice.
    for (const status of ["pending", "resolved"]) {
      await request("/api/v1/tickets/1001", {
        method: "PATCH",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ status }),
      });
      await live.flushed();
    }
    const again = sseReader(
      await request("/api/v1/events", {
        headers: { "last-event-id": seen.id! },
      }),
    );
    // What changed while away arrives as the ticket's state now, before anything new.
    const caught = await again.until("ticket");
    assert.equal(JSON.parse(caught.data!).status, "resolved");
    assert.ok(Number(caught.id) > Number(seen.id));
    await again.cancel();

    // An id the feed cannot account for (another database, pruned) says reset, never loses.
    for (const id of ["deadbeef.3", "999999"]) {
      const stale = sseReader(
        await request("/api/v1/events", { headers: { "last-event-id": id } }),
      );
      await stale.until("reset");
      await stale.cancel();
    }
  });
});

Deno.test("events: an idle stream sends heartbeat comments", async () => {
  await setup(async ({ request }) => {
    const sse = sseReader(await request("/api/v1/events"));
    for (;;) if (await sse.next() === "comment") break;
    await sse.cancel();
  }, 5);
});

Deno.test("events: an agent restricted to a department hears only of its tickets, with its counts", async () => {
  await setup(async ({ store, request }) => {
    await customerWrites(store, "first");
    const sales = await store.writeTx((tx) =>
      createDepartment(tx, { name: "営業部", slug: "sales" }, 0)
    );
    const seller = await createAgent(store, {
      email: "seller@example.test",
      name: "営業",
      password: "correct horse battery",
      role: "agent",
    });
    await store.writeTx(async (tx) => {
      await setAgentDepartments(tx, seller.id, [sales.id]);
      await updateAgent(tx, seller.id, { restricted: true });
    });
    const token = await createApiToken(store, seller.id, "t");
    const sse = sseReader(
      await request("/api/v1/events", { headers: { authorization: `Bearer ${token}` } }),
    );
    await sse.until("badge");
    // Another department's ticket changes: nothing of it reaches the seller…
    await request("/api/v1/tickets/1001", {
      method: "PATCH",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ status: "open" }),
    });
    // …then a ticket of theirs does: it is the first ticket event they get.
    await customerWrites(store, "second");
    await store.writeTx((tx) =>
      tx.updateTable("tickets").set({ department_id: sales.id }).where("number", "=", 1002)
        .execute()
    );
    await request("/api/v1/tickets/1002", {
      method: "PATCH",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ status: "pending" }),
    });
    const e = await sse.until("ticket");
    assert.equal(JSON.parse(e.data!).number, 1002);
    const counts = JSON.parse((await sse.until("counts")).data!);
    assert.equal(counts.open, 0, "the other department's open ticket is not counted");
    assert.equal(counts.pending, 1);
    await sse.cancel();
  });
});
