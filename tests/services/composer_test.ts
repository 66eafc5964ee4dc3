/** The composer's reply: reply-all, chosen To/Cc/Bcc, files, signatures, approvals, real SMTP. */
import assert from "node:assert/strict";
// @ts-types="@types/mailparser"
import { simpleParser } from "mailparser";
import { Buffer } from "node:buffer";
import { rawMail, startSmtpSink, tempStore } from "../helpers.ts";
import { agent, createAgent, ingestMessage, run, testRuntime } from "../runtime.ts";
import type { Store } from "../../db/client.ts";
import { findTicketByNumber } from "../../db/tickets.ts";
import { listMessages } from "../../db/messages.ts";
import { unpackBytes } from "../../db/stored_bytes.ts";
import { suppressAddress } from "../../db/suppressed_addresses.ts";
import { updateAgentSignature } from "../../db/composer.ts";
import { updateDepartmentIdentity } from "../../db/department_addresses.ts";
import { updateRequiresApproval } from "../../db/approvals.ts";
import { replyToCustomer } from "../../services/replies.ts";
import { approveRequest, sendReply } from "../../services/approvals.ts";
import { ValidationError } from "../../domain/errors.ts";
import { smtpRelayTransport, startOutboxWorker } from "../../loops/outbox_worker.ts";
import { MAX_FILE_BYTES } from "../../domain/inquiry_form.ts";
import { translator } from "../../domain/i18n/mod.ts";
import { fieldMessage } from "../../domain/validation.ts";

const PDF = new TextEncoder().encode("%PDF-1.4 請求書 test");

/** A ticket whose customer wrote to us, copying a colleague, another of our addresses and a bouncer. */
async function seed(store: Store) {
  const sato = await createAgent(store, {
    email: "sato@example.test",
    name: "佐藤",
    password: "x".repeat(10),
    role: "admin",
  });
  const raw = rawMail({
    From: "山田太郎 <taro@example.com>",
    To: "support@example.test, 経理 <keiri@example.com>",
    Cc: '"Hanako, Sato" <hanako@example.com>, sales@example.test, bounce@example.com',
    Subject: "請求書の再発行",
    "Message-ID": "<customer-1@example.com>",
  }, "お願いします");
  await ingestMessage(store, new TextEncoder().encode(raw), {
    mailFrom: "taro@example.com",
    rcptTo: ["support@example.test"],
    remoteAddress: null,
  });
  await store.writeTx((tx) =>
    suppressAddress(tx, { address: "bounce@example.com", reason: "550", until: 9e15, now: 0 })
  );
  const ticket = (await findTicketByNumber(store.db, 1001))!;
  return { sato, ticket };
}

async function outbox(store: Store) {
  const rows = await store.db.selectFrom("outbox")
    .select(["envelope_to", "raw", "raw_encoding"]).orderBy("id").execute();
  return await Promise.all(rows.map(async (r) => ({
    envelope: JSON.parse(r.envelope_to) as string[],
    raw: unpackBytes(new Uint8Array(r.raw), r.raw_encoding),
    parsed: await simpleParser(Buffer.from(unpackBytes(new Uint8Array(r.raw), r.raw_encoding))),
  })));
}

function addresses(field: unknown): string[] {
  const list = Array.isArray(field) ? field : field ? [field] : [];
  return list.flatMap((a: { value: { address: string }[] }) => a.value.map((v) => v.address));
}

Deno.test("composer: a reply goes to everyone by default — the customer's Cc kept, ours and bounced excluded", async () => {
  const { store, cleanup } = await tempStore();
  try {
    const { sato, ticket } = await seed(store);
    const rt = testRuntime(store);
    const id = await run(
      rt,
      (ctx) =>
        replyToCustomer(ctx, { ticketId: ticket.id, text: "再発行しました。", status: "pending" }),
      { actor: agent(sato) },
    );
    const [mail] = await outbox(store);
    assert.deepEqual(addresses(mail.parsed.to), ["taro@example.com"]);
    assert.deepEqual(addresses(mail.parsed.cc), ["keiri@example.com", "hanako@example.com"]);
    assert.deepEqual(mail.envelope, [
      "taro@example.com",
      "keiri@example.com",
      "hanako@example.com",
    ]);
    const out = (await listMessages(store.db, ticket.id)).find((m) => m.id === id)!;
    assert.deepEqual(out.to.map((a) => a.address), ["taro@example.com"]);
    assert.deepEqual(out.cc.map((a) => a.address), ["keiri@example.com", "hanako@example.com"]);
    assert.equal(out.cc[1].name, "Hanako, Sato");
    // Threading still holds.
    assert.equal(mail.parsed.inReplyTo, "<customer-1@example.com>");
    assert.match(mail.parsed.subject ?? "", /\[#1001\]/);
  } finally {
    await cleanup();
  }
});

Deno.test("composer: chosen To/Cc/Bcc and files — Bcc only in the envelope, files in the bytes and on the ticket", async () => {
  const { store, cleanup } = await tempStore();
  try {
    const { sato, ticket } = await seed(store);
    const rt = testRuntime(store);
    const id = await run(
      rt,
      (ctx) =>
        replyToCustomer(ctx, {
          ticketId: ticket.id,
          text: "請求書を添付します。",
          status: "pending",
          recipients: {
            to: ["山田太郎 <taro@example.com>"],
            cc: ["keiri@example.com"],
            bcc: ["boss@example.org"],
          },
          attachments: [
            { filename: "請求書.pdf", contentType: "application/pdf", content: PDF },
            { filename: "../../etc/memo.txt", contentType: "text/plain", content: PDF },
          ],
        }),
      { actor: agent(sato) },
    );
    const [mail] = await outbox(store);
    assert.deepEqual(addresses(mail.parsed.to), ["taro@example.com"]);
    assert.deepEqual(addresses(mail.parsed.cc), ["keiri@example.com"]);
    assert.equal(mail.parsed.bcc, undefined);
    assert.doesNotMatch(new TextDecoder().decode(mail.raw), /boss@example\.org/);
    assert.deepEqual(mail.envelope, ["taro@example.com", "keiri@example.com", "boss@example.org"]);
    assert.deepEqual(mail.parsed.attachments.map((a) => a.filename), ["請求書.pdf", "memo.txt"]);
    assert.deepEqual(new Uint8Array(mail.parsed.attachments[0].content), PDF);
    assert.equal(mail.parsed.attachments[0].contentType, "application/pdf");
    // Not only the customer gets it: no footer with their private page's link.
    assert.equal((mail.parsed.text ?? "").trim(), "請求書を添付します。");
    const out = (await listMessages(store.db, ticket.id)).find((m) => m.id === id)!;
    assert.deepEqual(out.bcc.map((a) => a.address), ["boss@example.org"]);
    assert.deepEqual(out.attachments.map((a) => [a.filename, a.size]), [
      ["請求書.pdf", PDF.byteLength],
      ["memo.txt", PDF.byteLength],
    ]);
  } finally {
    await cleanup();
  }
});

Deno.test("composer: an entry that is not exactly one mailbox, or is ours, is refused by field", async () => {
  const { store, cleanup } = await tempStore();
  try {
    const { sato, ticket } = await seed(store);
    const rt = testRuntime(store);
    const attempt = (recipients: { to?: string[]; cc?: string[]; bcc?: string[] }) =>
      run(
        rt,
        (ctx) =>
          replyToCustomer(ctx, { ticketId: ticket.id, text: "x", status: "pending", recipients }),
        { actor: agent(sato) },
      );
    const cases: [Parameters<typeof attempt>[0], string, RegExp][] = [
      [{ cc: ["a@example.com, b@example.com"] }, "cc", /more than one/],
      [{ cc: ["a@example.com\r\nBcc: evil@example.org"] }, "cc", /not one e-mail address/],
      [{ bcc: ["Evil <a@example.com>\nX: y"] }, "bcc", /not one e-mail address/],
      [{ to: ['"a b"@example.com'] }, "to", /not one e-mail address/],
      [{ to: [] }, "to", /at least one/],
      [{ cc: ["help@example.test"] }, "cc", /our own/],
      [{ bcc: Array.from({ length: 50 }, (_, i) => `p${i}@example.com`) }, "to", /at most 50/],
    ];
    for (const [recipients, field, message] of cases) {
      await assert.rejects(attempt(recipients), (e: unknown) => {
        assert.ok(e instanceof ValidationError, String(e));
        assert.match(e.fields[field], message, JSON.stringify(recipients));
        return true;
      });
    }
    assert.equal((await outbox(store)).length, 0);
  } finally {
    await cleanup();
  }
});

Deno.test("composer: files past the upload limits are refused with the field and its catalog text", async () => {
  const { store, cleanup } = await tempStore();
  try {
    const { sato, ticket } = await seed(store);
    const rt = testRuntime(store);
    const file = (size: number, i = 0) => ({
      filename: `f${i}.bin`,
      contentType: "application/octet-stream",
      content: new Uint8Array(size),
    });
    const cases = [
      [Array.from({ length: 6 }, (_, i) => file(10, i)), /at most 5 files/, "5個まで"],
      [[file(MAX_FILE_BYTES + 1)], /no file over 10 MB/, "「f0.bin」が大きすぎます"],
      [
        [file(MAX_FILE_BYTES, 1), file(MAX_FILE_BYTES, 2), file(10, 3)],
        /at most 20 MB/,
        "合計20MB",
      ],
    ] as const;
    for (const [attachments, en, ja] of cases) {
      await assert.rejects(
        run(rt, (ctx) =>
          replyToCustomer(ctx, {
            ticketId: ticket.id,
            text: "x",
            status: "pending",
            attachments: [...attachments],
          }), { actor: agent(sato) }),
        (e: unknown) => {
          assert.ok(e instanceof ValidationError);
          assert.match(e.fields.attachments, en);
          assert.match(fieldMessage(e, "attachments", translator("ja"))!, new RegExp(ja));
          return true;
        },
      );
    }
    assert.equal((await outbox(store)).length, 0);
  } finally {
    await cleanup();
  }
});

Deno.test("composer: signatures — appended when the text is not signed, kept as edited when it is", async () => {
  const { store, cleanup } = await tempStore();
  try {
    const { sato, ticket } = await seed(store);
    await store.writeTx(async (tx) => {
      await updateAgentSignature(tx, sato.id, "佐藤 花子");
      await updateDepartmentIdentity(tx, ticket.departmentId, {
        fromName: null,
        replyAddress: null,
        signature: "サポート窓口\n03-0000-0000",
      });
    });
    const rt = testRuntime(store, { sender: { publicUrl: "" } });
    const reply = (text: string, signed: boolean) =>
      run(rt, (ctx) =>
        replyToCustomer(ctx, {
          ticketId: ticket.id,
          text,
          status: "pending",
          signed,
          recipients: { cc: [] },
        }), { actor: agent(sato) });
    await reply("API から", false);
    await reply("編集した署名\n\n佐藤", true);
    // A signed text that is only the signature is an empty reply, with its catalog key.
    await assert.rejects(
      reply("\n\n佐藤 花子\n\nサポート窓口\n03-0000-0000", true),
      (e: unknown) => {
        assert.ok(e instanceof ValidationError);
        assert.equal(fieldMessage(e, "text", translator("ja")), "返信本文を入力してください");
        return true;
      },
    );
    const mails = await outbox(store);
    assert.equal(
      (mails[0].parsed.text ?? "").trim(),
      "API から\n\n佐藤 花子\n\nサポート窓口\n03-0000-0000",
    );
    assert.equal((mails[1].parsed.text ?? "").trim(), "編集した署名\n\n佐藤");
  } finally {
    await cleanup();
  }
});

Deno.test("composer: the customer's private page link is in the footer only when nobody else gets the mail", async () => {
  const { store, cleanup } = await tempStore();
  try {
    const { sato, ticket } = await seed(store);
    const rt = testRuntime(store);
    const reply = (recipients: { cc?: string[]; bcc?: string[] }) =>
      run(
        rt,
        (ctx) =>
          replyToCustomer(ctx, {
            ticketId: ticket.id,
            text: "どうぞ",
            status: "pending",
            recipients,
          }),
        {
          actor: agent(sato),
        },
      );
    await reply({ cc: [] });
    await reply({ cc: [], bcc: ["boss@example.org"] });
    await reply({});
    const [alone, bcc, all] = (await outbox(store)).map((m) => m.parsed.text ?? "");
    assert.match(alone, /http:\/\/localhost\/c\//);
    assert.doesNotMatch(bcc, /\/c\//);
    assert.doesNotMatch(all, /\/c\//);
  } finally {
    await cleanup();
  }
});

Deno.test("composer: unfilled template variables are refused once, in the service, with a catalog key", async () => {
  const { store, cleanup } = await tempStore();
  try {
    const { sato, ticket } = await seed(store);
    await assert.rejects(
      run(testRuntime(store), (ctx) =>
        replyToCustomer(ctx, {
          ticketId: ticket.id,
          text: "{{customer.name}} 様",
          status: "pending",
        }), { actor: agent(sato) }),
      (e: unknown) => {
        assert.ok(e instanceof ValidationError);
        assert.match(e.fields.text, /unfilled variables: \{\{customer\.name\}\}/);
        assert.match(
          fieldMessage(e, "text", translator("ja"))!,
          /変数 \{\{customer\.name\}\} が埋まっていません/,
        );
        assert.match(
          fieldMessage(e, "text", translator("en"))!,
          /The variables \{\{customer\.name\}\}/,
        );
        return true;
      },
    );
  } finally {
    await cleanup();
  }
});

Deno.test("composer: an approval request carries its recipients and files to the one mail it becomes", async () => {
  const { store, cleanup } = await tempStore();
  try {
    const { sato, ticket } = await seed(store);
    const author = await createAgent(store, {
      email: "new@example.test",
      name: "新人",
      password: "x".repeat(10),
      role: "agent",
    });
    await store.writeTx((tx) => updateRequiresApproval(tx, author.id, true));
    const rt = testRuntime(store);
    const outcome = await run(rt, (ctx) =>
      sendReply(ctx, {
        ticketId: ticket.id,
        text: "添付をご確認ください。",
        status: "pending",
        recipients: { cc: [], bcc: ["boss@example.org"] },
        attachments: [{ filename: "見積書.pdf", contentType: "application/pdf", content: PDF }],
      }), { actor: agent({ ...author, role: "agent" }) });
    assert.equal(outcome.kind, "approval");
    assert.equal((await outbox(store)).length, 0);
    await run(
      rt,
      (ctx) => approveRequest(ctx, { id: (outcome as { approvalId: number }).approvalId }),
      { actor: agent(sato) },
    );
    const [mail] = await outbox(store);
    assert.deepEqual(addresses(mail.parsed.to), ["taro@example.com"]);
    assert.equal(mail.parsed.cc, undefined);
    assert.deepEqual(mail.envelope, ["taro@example.com", "boss@example.org"]);
    assert.deepEqual(mail.parsed.attachments.map((a) => a.filename), ["見積書.pdf"]);
    assert.equal((mail.parsed.text ?? "").trim(), "添付をご確認ください。");
  } finally {
    await cleanup();
  }
});

Deno.test("composer: over real SMTP the relay gets RCPT TO for exactly To + Cc + Bcc", async () => {
  const { store, cleanup } = await tempStore();
  const sink = await startSmtpSink();
  const worker = await startOutboxWorker(store, smtpRelayTransport(sink.url));
  try {
    const { sato, ticket } = await seed(store);
    await run(
      testRuntime(store, { sender: { relayConfigured: true } }),
      (ctx) =>
        replyToCustomer(ctx, {
          ticketId: ticket.id,
          text: "確認しました。",
          status: "pending",
          recipients: { bcc: ["boss@example.org"] },
          attachments: [{ filename: "a.pdf", contentType: "application/pdf", content: PDF }],
        }),
      { actor: agent(sato) },
    );
    worker.wake();
    const mail = await sink.next();
    assert.deepEqual(
      [...mail.to].sort(),
      ["boss@example.org", "hanako@example.com", "keiri@example.com", "taro@example.com"],
    );
    const parsed = await simpleParser(mail.raw);
    assert.deepEqual(addresses(parsed.cc), ["keiri@example.com", "hanako@example.com"]);
    assert.doesNotMatch(mail.raw, /boss@example\.org/);
    assert.deepEqual(parsed.attachments.map((a) => a.filename), ["a.pdf"]);
    await worker.idle();
  } finally {
    await worker.stop();
    await sink.close();
    await cleanup();
  }
});
