/** POST /api/v1/tickets/:number/reply with to/cc/bcc and attachments; GET shows them. */
import assert from "node:assert/strict";
// @ts-types="@types/mailparser"
import { simpleParser } from "mailparser";
import { Buffer } from "node:buffer";
import { createApp } from "../../routes/mod.tsx";
import { createAgent, createApiToken, ingestMessage } from "../runtime.ts";
import { unpackBytes } from "../../db/stored_bytes.ts";
import { rawMail, tempStore, testConfig } from "../helpers.ts";
import type { Store } from "../../db/client.ts";
import { updateRequiresApproval } from "../../db/approvals.ts";

async function withApi(
  fn: (api: {
    store: Store;
    call(path: string, json?: unknown, token?: string): Promise<Response>;
    /** A token of a second agent ("new@example.test") whose replies may need approval. */
    tokenFor(role: "agent", approval: boolean): Promise<string>;
  }) => Promise<void>,
) {
  const db = await tempStore();
  try {
    const admin = await createAgent(db.store, {
      email: "admin@example.test",
      password: "correct horse battery",
      name: "Admin",
      role: "admin",
    });
    const token = await createApiToken(db.store, admin.id, "test");
    const app = createApp({ store: db.store, config: testConfig(db.dir), outbox: { wake() {} } });
    await ingestMessage(
      db.store,
      new TextEncoder().encode(rawMail({
        From: "Taro <taro@example.com>",
        To: "support@example.test",
        Cc: "Hanako <hanako@example.com>",
        Subject: "Invoice",
        "Message-ID": "<c1@example.com>",
      }, "Please send the PDF")),
      { mailFrom: null, rcptTo: ["support@example.test"], remoteAddress: null },
    );
    await fn({
      store: db.store,
      async tokenFor(role, approval) {
        const a = await createAgent(db.store, {
          email: "new@example.test",
          password: "correct horse battery",
          name: "New",
          role,
        });
        await db.store.writeTx((tx) => updateRequiresApproval(tx, a.id, approval));
        return await createApiToken(db.store, a.id, "new");
      },
      call: (path, json, as = token) =>
        Promise.resolve(app.request(`/api/v1${path}`, {
          method: json === undefined ? "GET" : "POST",
          headers: { authorization: `Bearer ${as}`, "content-type": "application/json" },
          body: json === undefined ? undefined : JSON.stringify(json),
        })),
    });
  } finally {
    await db.cleanup();
  }
}

async function outbox(store: Store) {
  const rows = await store.db.selectFrom("outbox").select(["envelope_to", "raw", "raw_encoding"])
    .orderBy("id").execute();
  return await Promise.all(rows.map(async (r) => ({
    envelope: JSON.parse(r.envelope_to) as string[],
    parsed: await simpleParser(Buffer.from(unpackBytes(new Uint8Array(r.raw), r.raw_encoding))),
  })));
}

const b64 = (s: string) => btoa(s);

Deno.test("api reply: reply-all by default; to/cc/bcc and attachments are sent and listed", async () => {
  await withApi(async ({ store, call }) => {
    const first = await call("/tickets/1001/reply", { text: "Thanks" });
    assert.equal(first.status, 201);
    const firstJson = await first.json();
    assert.deepEqual(firstJson.cc, [{ address: "hanako@example.com", name: "Hanako" }]);
    assert.deepEqual(firstJson.bcc, []);

    const res = await call("/tickets/1001/reply", {
      text: "Here it is",
      to: ["Taro <taro@example.com>"],
      cc: [],
      bcc: ["archive@example.org"],
      attachments: [
        { filename: "invoice.pdf", content_type: "application/pdf", content_base64: b64("%PDF-1") },
      ],
    });
    assert.equal(res.status, 201);
    assert.equal(res.headers.get("content-type"), "application/json");
    const sent = await res.json();
    assert.deepEqual(sent.to, [{ address: "taro@example.com", name: "Taro" }]);
    assert.deepEqual(sent.cc, []);
    assert.deepEqual(sent.bcc, [{ address: "archive@example.org", name: "" }]);
    assert.deepEqual(
      sent.attachments.map((a: { filename: string; size: number }) => [a.filename, a.size]),
      [["invoice.pdf", 6]],
    );
    const [, mail] = await outbox(store);
    assert.deepEqual(mail.envelope, ["taro@example.com", "archive@example.org"]);
    assert.deepEqual(mail.parsed.attachments.map((a) => a.filename), ["invoice.pdf"]);
    assert.equal(mail.parsed.cc, undefined);

    const ticket = await (await call("/tickets/1001")).json();
    const out = ticket.messages.filter((m: { direction: string }) => m.direction === "out");
    assert.equal(out.length, 2);
    assert.deepEqual(out[1].bcc, [{ address: "archive@example.org", name: "" }]);
    assert.equal(out[1].attachments[0].filename, "invoice.pdf");
  });
});

Deno.test("api reply: bad recipients and attachments past the limits are a 422 naming the field", async () => {
  await withApi(async ({ store, call }) => {
    const cases: [unknown, string, RegExp][] = [
      [{ cc: ["a@example.com, b@example.com"] }, "cc", /more than one address/],
      [{ to: ["x@example.com\r\nBcc: evil@example.org"] }, "to", /not one e-mail address/],
      [{ bcc: "a@example.com" }, "bcc", /array/],
      [{ to: [] }, "to", /at least one/],
      [{ cc: ["support@example.test"] }, "cc", /our own addresses/],
      [{ bcc: Array.from({ length: 51 }, (_, i) => `p${i}@example.com`) }, "bcc", /at most 50/],
      [
        { attachments: [{ filename: "a", content_base64: "***" }] },
        "attachments.0.content_base64",
        /base64/,
      ],
      [
        {
          attachments: Array.from({ length: 6 }, (_, i) => ({
            filename: `f${i}.txt`,
            content_base64: b64("x"),
          })),
        },
        "attachments",
        /at most 5 files/,
      ],
      [
        {
          attachments: [{
            filename: "big.bin",
            content_base64: Buffer.from(new Uint8Array(10 * 1024 * 1024 + 1)).toString("base64"),
          }],
        },
        "attachments",
        /no file over 10 MB/,
      ],
    ];
    for (const [extra, field, message] of cases) {
      const res = await call("/tickets/1001/reply", { text: "x", ...extra as object });
      assert.equal(res.status, 422, field);
      const body = await res.json();
      assert.match(body.error.fields[field], message, JSON.stringify(body));
    }
    assert.equal((await outbox(store)).length, 0);
  });
});

Deno.test("api reply: a reply waiting for approval shows, and then sends, its recipients and files", async () => {
  await withApi(async ({ store, call, tokenFor }) => {
    const newbie = await tokenFor("agent", true);
    const res = await call("/tickets/1001/reply", {
      text: "Here it is",
      bcc: ["archive@example.org"],
      attachments: [{
        filename: "q.pdf",
        content_type: "application/pdf",
        content_base64: b64("%PDF"),
      }],
    }, newbie);
    assert.equal(res.status, 202);
    const { approval } = await res.json();
    assert.deepEqual(approval.cc, [{ address: "hanako@example.com", name: "Hanako" }]);
    assert.deepEqual(approval.bcc, [{ address: "archive@example.org", name: "" }]);
    assert.deepEqual(approval.attachments, [{ filename: "q.pdf" }]);
    const listed = await (await call("/approvals")).json();
    assert.deepEqual(listed.approvals[0].attachments, [{ filename: "q.pdf" }]);
    assert.equal((await outbox(store)).length, 0);
    assert.equal((await call(`/approvals/${approval.id}/approve`, {})).status, 200);
    const [mail] = await outbox(store);
    assert.deepEqual(mail.envelope, [
      "taro@example.com",
      "hanako@example.com",
      "archive@example.org",
    ]);
    assert.deepEqual(mail.parsed.attachments.map((a) => a.filename), ["q.pdf"]);
  });
});
