/** Internal notes with attachments: web form (no JS) and API; agents download, customers never see. */
import assert from "node:assert/strict";
import { createApp } from "../../routes/mod.tsx";
import { createAgent, createApiToken, createSession, createTicketForCustomer } from "../runtime.ts";
import { tempStore, testConfig } from "../helpers.ts";
import { issueCustomerLink } from "../../mail/customer_link.ts";
import { listMessages } from "../../db/messages.ts";

const ORIGIN = "http://localhost";

async function setup() {
  const db = await tempStore();
  const app = createApp({ store: db.store, config: testConfig(db.dir), outbox: { wake() {} } });
  const admin = await createAgent(db.store, {
    email: "admin@example.test",
    name: "管理",
    password: "correct horse battery",
    role: "agent",
  });
  const cookie = `madoguchi_session=${await createSession(db.store, admin.id, 3600_000)}`;
  const token = await createApiToken(db.store, admin.id, "t");
  const ticket = await createTicketForCustomer(db.store, {
    customer: { email: "taro@example.com", name: "太郎" },
    subject: "見積もり",
    text: "お願いします",
    channel: "web",
  });
  const link = await db.store.writeTx((tx) => issueCustomerLink(tx, ticket.id, Date.now()));
  const notes = async () =>
    (await listMessages(db.store.db, ticket.id)).filter((m) => m.direction === "note");
  return { db, app, cookie, token, ticket, link, notes };
}

Deno.test("note attachments: a note posted with files on the page; agents download them, the customer page never shows them", async () => {
  const t = await setup();
  try {
    const form = new FormData();
    form.set("note", "見積書の下書きです");
    form.append("files", new File(["社内用の見積書"], "見積書.txt", { type: "text/plain" }));
    // Past the app's 2 MB limit for forms, within the upload limits.
    form.append(
      "files",
      new File([new Uint8Array(3 * 1024 * 1024)], "scan.pdf", {
        type: "application/pdf",
      }),
    );
    const res = await t.app.request(`${ORIGIN}/tickets/${t.ticket.number}/notes`, {
      method: "POST",
      headers: { cookie: t.cookie, origin: ORIGIN },
      body: form,
    });
    assert.equal(res.status, 303);
    const [note] = await t.notes();
    assert.equal(note.attachments.length, 2);
    const id = note.attachments[0].id;
    const download = await t.app.request(`${ORIGIN}/attachments/${id}`, {
      headers: { cookie: t.cookie },
    });
    assert.equal(download.status, 200);
    assert.equal(await download.text(), "社内用の見積書");
    // Not for anyone without a session, and not through the customer's page.
    assert.notEqual((await t.app.request(`${ORIGIN}/attachments/${id}`)).status, 200);
    const page = await (await t.app.request(`${ORIGIN}/c/${t.link}`)).text();
    assert.doesNotMatch(page, /見積書|下書き/);
    assert.equal((await t.app.request(`${ORIGIN}/c/${t.link}/attachments/${id}`)).status, 404);
    // The ticket page lists the file under the note.
    const ticketPage = await (await t.app.request(`${ORIGIN}/tickets/${t.ticket.number}`, {
      headers: { cookie: t.cookie },
    })).text();
    assert.match(ticketPage, new RegExp(`/attachments/${id}`));
    assert.match(ticketPage, /enctype="multipart\/form-data"/);
  } finally {
    await t.db.cleanup();
  }
});

Deno.test("note attachments: past the limits, the page says why and saves nothing", async () => {
  const t = await setup();
  try {
    const form = new FormData();
    form.set("note", "多すぎ");
    for (let i = 0; i < 6; i++) form.append("files", new File(["x"], `f${i}.txt`));
    const res = await t.app.request(`${ORIGIN}/tickets/${t.ticket.number}/notes`, {
      method: "POST",
      headers: { cookie: t.cookie, origin: ORIGIN },
      body: form,
    });
    assert.equal(res.status, 422);
    assert.match(await res.text(), /メモは保存されていません/);
    assert.deepEqual(await t.notes(), []);
  } finally {
    await t.db.cleanup();
  }
});

Deno.test("note attachments: the API takes base64 files, shows them on the note, refuses bad base64", async () => {
  const t = await setup();
  try {
    const post = (json: unknown) =>
      Promise.resolve(t.app.request(`/api/v1/tickets/${t.ticket.number}/notes`, {
        method: "POST",
        headers: { authorization: `Bearer ${t.token}`, "content-type": "application/json" },
        body: JSON.stringify(json),
      }));
    const res = await post({
      text: "ログを添付",
      attachments: [{
        filename: "log.txt",
        content_type: "text/plain",
        content_base64: btoa("error at 12:00"),
      }],
    });
    assert.equal(res.status, 201);
    const note = await res.json();
    assert.equal(note.attachments.length, 1);
    assert.equal(note.attachments[0].filename, "log.txt");
    const bytes = await t.app.request(new URL(note.attachments[0].download_url).pathname, {
      headers: { authorization: `Bearer ${t.token}` },
    });
    assert.equal(await bytes.text(), "error at 12:00");
    // A file alone is a note too; bad base64 and too many files are 422.
    assert.equal(
      (await post({ attachments: [{ filename: "a.txt", content_base64: btoa("a") }] })).status,
      201,
    );
    assert.equal(
      (await post({ text: "x", attachments: [{ filename: "a", content_base64: "@@@" }] })).status,
      422,
    );
    const six = Array.from({ length: 6 }, (_, i) => ({ filename: `${i}`, content_base64: "" }));
    assert.equal((await post({ text: "x", attachments: six })).status, 422);
    assert.equal((await post({})).status, 422);
    assert.equal((await t.notes()).length, 2);
  } finally {
    await t.db.cleanup();
  }
});
