/**
 * Two Madoguchi processes on one database file (two stores, two apps, two live hubs): agent A's
 * presence on process 1 shows on agent B's page and stream on process 2; mail filed by process 2
 * reaches process 1's stream; the ticket page fetches the new message as a fragment.
 */
import assert from "node:assert/strict";
import { createApp } from "../../routes/mod.tsx";
import { createLiveHub, type LiveHub } from "../../services/live.ts";
import { openStore, type Store } from "../../db/client.ts";
import { createAgent, ingestMessage } from "../runtime.ts";
import { rawMail, tempStore, testConfig } from "../helpers.ts";

const ORIGIN = "http://localhost";

async function twoProcesses() {
  const one = await tempStore();
  const two = await openStore(`file:${one.dir}/test.db`);
  for (const [email, name] of [["yamada@example.test", "山田"], ["sato@example.test", "佐藤"]]) {
    await createAgent(one.store, { email, name, password: "correct horse battery", role: "agent" });
  }
  const hubs: LiveHub[] = [];
  function process(store: Store) {
    const live = createLiveHub(store.db, { pollMs: 20 });
    hubs.push(live);
    const app = createApp({ store, config: testConfig(one.dir), outbox: { wake() {} }, live });
    return async (path: string, init: RequestInit & { cookie?: string } = {}) => {
      const headers = new Headers(init.headers);
      if (init.cookie) headers.set("cookie", init.cookie);
      if (init.method === "POST") headers.set("origin", ORIGIN);
      return await app.request(`${ORIGIN}${path}`, { ...init, headers });
    };
  }
  const p1 = process(one.store);
  const p2 = process(two);
  async function login(request: typeof p1, email: string) {
    const res = await request("/login", {
      method: "POST",
      body: new URLSearchParams({ email, password: "correct horse battery", next: "/" }),
    });
    return res.headers.get("set-cookie")!.split(";")[0];
  }
  async function mail(store: Store, id: string, body: string, inReplyTo?: string) {
    const headers: Record<string, string> = {
      From: "山田太郎 <taro@example.com>",
      To: "support@example.test",
      Subject: "請求書の再発行",
      "Message-ID": `<${id}@example.com>`,
    };
    if (inReplyTo) headers["In-Reply-To"] = inReplyTo;
    await ingestMessage(store, new TextEncoder().encode(rawMail(headers, body)), {
      mailFrom: null,
      rcptTo: ["support@example.test"],
      remoteAddress: null,
    });
  }
  return {
    one,
    two,
    p1,
    p2,
    login,
    mail,
    async close() {
      for (const h of hubs) h.close();
      await two.close();
      await one.cleanup();
    },
  };
}

/** Reads an SSE body until an event of `type` whose data matches; fails after 10 s. */
async function nextEvent(
  reader: ReadableStreamDefaultReader<string>,
  type: string,
  match: (data: Record<string, unknown>) => boolean = () => true,
): Promise<{ id?: string; data: Record<string, unknown> }> {
  let buf = "";
  const deadline = setTimeout(() => reader.cancel("timeout"), 10_000);
  try {
    for (;;) {
      const end = buf.indexOf("\n\n");
      if (end >= 0) {
        const block = buf.slice(0, end);
        buf = buf.slice(end + 2);
        const fields = Object.fromEntries(
          block.split("\n").map((l) => [l.split(": ")[0], l.slice(l.indexOf(": ") + 2)]),
        );
        if (fields.event === type) {
          const data = JSON.parse(fields.data);
          if (match(data)) return { id: fields.id, data };
        }
        continue;
      }
      const { value, done } = await reader.read();
      if (done) throw new Error(`stream ended before a "${type}" event`);
      buf += value;
    }
  } finally {
    clearTimeout(deadline);
  }
}

Deno.test("two processes: A's presence on process 1 shows on B's page and stream on process 2", async () => {
  const t = await twoProcesses();
  try {
    await t.mail(t.one.store, "first", "再発行をお願いします");
    const yamada = await t.login(t.p1, "yamada@example.test");
    const sato = await t.login(t.p2, "sato@example.test");
    const stream = (await t.p2("/events", { cookie: sato })).body!
      .pipeThrough(new TextDecoderStream()).getReader();
    await nextEvent(stream, "hello");

    const beat = await t.p1("/tickets/1001/presence", {
      method: "POST",
      cookie: yamada,
      headers: { accept: "application/json" },
      body: new URLSearchParams({ state: "viewing" }),
    });
    assert.equal(beat.status, 200);
    const seen = await nextEvent(stream, "presence", (d) => d.number === 1001);
    assert.deepEqual(
      (seen.data.people as { name: string; state: string }[]).map((p) => [p.name, p.state]),
      [["山田", "viewing"]],
    );
    // B's page, made by process 2, shows A (who is on process 1).
    const page = await (await t.p2("/tickets/1001", { cookie: sato })).text();
    assert.match(page, /山田さんが表示中/);
    const inbox = await (await t.p2("/?status=all", { cookie: sato })).text();
    assert.match(inbox, /山田さんが表示中/);

    // A closes the tab (sendBeacon "gone"): B hears of it.
    await t.p1("/tickets/1001/presence", {
      method: "POST",
      cookie: yamada,
      body: new URLSearchParams({ state: "gone" }),
    });
    const gone = await nextEvent(stream, "presence", (d) => d.number === 1001);
    assert.deepEqual(gone.data.people, []);
    await stream.cancel();
  } finally {
    await t.close();
  }
});

Deno.test("two processes: mail filed by process 2 reaches process 1's stream; the page fetches it as a fragment", async () => {
  const t = await twoProcesses();
  try {
    await t.mail(t.one.store, "first", "再発行をお願いします");
    const yamada = await t.login(t.p1, "yamada@example.test");
    const page = await (await t.p1("/tickets/1001", { cookie: yamada })).text();
    const version = Number(/name="version" value="(\d+)"/.exec(page)![1]);
    const stream = (await t.p1("/events", { cookie: yamada })).body!
      .pipeThrough(new TextDecoderStream()).getReader();
    await nextEvent(stream, "hello");

    // Process 2's SMTP side files the customer's answer.
    await t.mail(t.two, "second", "宛名は株式会社タロウでお願いします", "<first@example.com>");
    const changed = await nextEvent(stream, "ticket", (d) => d.number === 1001);
    assert.ok(Number(changed.data.version) > version);
    assert.ok(changed.id, "a ticket event carries the feed id to resume from");
    await stream.cancel();

    const fragment = await t.p1(`/tickets/1001/messages/after/${version}`, { cookie: yamada });
    assert.equal(fragment.status, 200);
    assert.match(fragment.headers.get("content-type") ?? "", /^text\/html/);
    assert.equal(fragment.headers.get("x-ticket-version"), String(changed.data.version));
    const html = await fragment.text();
    assert.match(html, /宛名は株式会社タロウでお願いします/);
    assert.match(html, /新着/);
    assert.doesNotMatch(html, /再発行をお願いします/);
    assert.doesNotMatch(html, /<html/);

    // Nothing newer: 204; a status change alone is not a message: 204 with the new version.
    const now = await t.p1(`/tickets/1001/messages/after/${changed.data.version}`, {
      cookie: yamada,
    });
    assert.equal(now.status, 204);
    await t.p1("/tickets/1001/status", {
      method: "POST",
      cookie: yamada,
      body: new URLSearchParams({ status: "pending" }),
    });
    const status = await t.p1(`/tickets/1001/messages/after/${changed.data.version}`, {
      cookie: yamada,
    });
    assert.equal(status.status, 204);
    assert.ok(Number(status.headers.get("x-ticket-version")) > Number(changed.data.version));
  } finally {
    await t.close();
  }
});
