/**
 * Big mail is parsed on a Worker (mail/parse_pool.ts) with exactly parse.ts's result and errors;
 * small mail in place; over the real SMTP socket a big message is filed through the worker.
 */
import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import {
  PARSE_OFF_THREAD_BYTES,
  parseMail,
  parsePoolStats,
  stopIdleParser,
} from "../../mail/parse_pool.ts";
import { parseMessage } from "../../mail/parse.ts";
import { startInboundSmtp } from "../../mail/smtp_server.ts";
import { deliverTo } from "../runtime.ts";
import { sendRaw, tempStore } from "../helpers.ts";

/** A multipart mail with a Japanese subject, HTML and a `size`-byte PDF attachment. */
function bigMail(size: number, id = "big@example.com"): Uint8Array {
  const pdf = new Uint8Array(size);
  for (let i = 0; i < size; i++) pdf[i] = (i * 31 + 7) & 0xff;
  const b64 = Buffer.from(pdf).toString("base64").replace(/.{76}/g, "$&\r\n");
  const raw = [
    "From: 山田 太郎 <taro@example.com>",
    "To: support@example.test",
    "Subject: =?UTF-8?B?" + Buffer.from("見積書を添付します").toString("base64") + "?=",
    `Message-ID: <${id}>`,
    "Date: Tue, 01 Dec 2026 10:00:00 +0900",
    "MIME-Version: 1.0",
    'Content-Type: multipart/mixed; boundary="b1"',
    "",
    "--b1",
    'Content-Type: multipart/alternative; boundary="b2"',
    "",
    "--b2",
    "Content-Type: text/plain; charset=utf-8",
    "",
    "お世話になっております。見積書をお送りします。",
    "--b2",
    "Content-Type: text/html; charset=utf-8",
    "",
    '<p>お世話に<b>なって</b>おります。<img src="https://track.example/p.gif"></p>',
    "--b2--",
    "--b1",
    'Content-Type: application/pdf; name="mitsumori.pdf"',
    "Content-Transfer-Encoding: base64",
    'Content-Disposition: attachment; filename="mitsumori.pdf"',
    "",
    b64,
    "--b1--",
    "",
  ].join("\r\n");
  return new TextEncoder().encode(raw);
}

Deno.test("parse pool: a big mail parsed on the worker equals the one parsed in place", async () => {
  try {
    const raw = bigMail(600 * 1024);
    assert.ok(raw.byteLength >= PARSE_OFF_THREAD_BYTES);
    const before = parsePoolStats().parsedOffThread;
    const offThread = await parseMail(raw);
    assert.equal(parsePoolStats().parsedOffThread, before + 1);
    const inPlace = await parseMessage(raw);
    assert.deepEqual(offThread, inPlace);
    assert.equal(offThread.subject, "見積書を添付します");
    assert.equal(offThread.attachments[0].content.byteLength, 600 * 1024);
    // The caller keeps its bytes (the worker got a copy; they are stored as the raw message).
    assert.equal(new TextDecoder().decode(raw.subarray(0, 5)), "From:");
  } finally {
    stopIdleParser();
  }
});

Deno.test("parse pool: small mail is parsed in place; errors read the same either way", async () => {
  try {
    const before = parsePoolStats().parsedOffThread;
    const small = await parseMail(bigMail(10));
    assert.equal(small.attachments.length, 1);
    assert.equal(parsePoolStats().parsedOffThread, before);
    assert.equal(parsePoolStats().running, false);
    // Forced onto the worker: parse.ts's own error comes back.
    const empty = new Uint8Array(0);
    const here = await parseMessage(empty).then(() => null, (e) => e.message);
    const there = await parseMail(empty, { offThreadFrom: 0 }).then(() => null, (e) => e.message);
    assert.equal(there, here);
    assert.match(String(there), /^Cannot parse message/);
  } finally {
    stopIdleParser();
  }
});

Deno.test("parse pool: over real SMTP a big mail is filed through the worker", async () => {
  const db = await tempStore();
  const smtp = await startInboundSmtp(deliverTo(db.store), {
    host: "127.0.0.1",
    port: 0,
    mailDomains: ["example.test"],
    maxMessageBytes: 4 * 1024 * 1024,
    maxConnections: 10,
  });
  try {
    const before = parsePoolStats().parsedOffThread;
    const response = await sendRaw(
      smtp.port,
      { from: "taro@example.com", to: ["support@example.test"] },
      bigMail(1024 * 1024, "smtp-big@example.com"),
    );
    assert.match(response, /^250/);
    assert.equal(parsePoolStats().parsedOffThread, before + 1);
    const att = await db.store.db.selectFrom("attachments").select(["filename", "size"])
      .executeTakeFirstOrThrow();
    assert.deepEqual(att, { filename: "mitsumori.pdf", size: 1024 * 1024 });
  } finally {
    stopIdleParser();
    await smtp.close();
    await db.cleanup();
  }
});
