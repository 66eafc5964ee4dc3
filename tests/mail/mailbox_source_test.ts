/** Reading mbox files, Maildirs and .eml folders for an import (mail/mailbox_source.ts). */
import assert from "node:assert/strict";
import { detectSource, readFolder, readMbox } from "../../mail/mailbox_source.ts";
import { importEnvelope } from "../../mail/import_envelope.ts";

const enc = new TextEncoder();
const dec = new TextDecoder();

async function collect(it: AsyncGenerator<unknown>) {
  const out = [];
  for await (const x of it) out.push(x as { raw: Uint8Array; nextOffset: number });
  return out;
}

async function tempFile(text: string): Promise<string> {
  const path = await Deno.makeTempFile({ suffix: ".mbox" });
  await Deno.writeFile(path, enc.encode(text));
  return path;
}

const MBOX = [
  "From a@example.com Mon Jan  1 00:00:00 2024",
  "From: a@example.com",
  "Subject: one",
  "",
  "Hello",
  ">From the desk of A", // escaped body line (mboxrd)
  ">>From twice",
  "From here on it is body: no empty line before it",
  "",
  "From b@example.com Mon Jan  1 00:00:01 2024",
  "From: b@example.com",
  "Subject: two",
  "",
  "Second",
  "",
  "",
].join("\n");

Deno.test("mbox: messages split at From lines after an empty line, >From unescaped, mbox's empty line dropped", async () => {
  const path = await tempFile(MBOX);
  try {
    for (const chunkBytes of [1 << 20, 7, 1]) {
      const got = await collect(readMbox(path, { chunkBytes }));
      assert.equal(got.length, 2, `chunk ${chunkBytes}`);
      assert.equal(
        dec.decode(got[0].raw),
        "From: a@example.com\nSubject: one\n\nHello\nFrom the desk of A\n>From twice\n" +
          "From here on it is body: no empty line before it\n",
      );
      assert.equal(dec.decode(got[1].raw), "From: b@example.com\nSubject: two\n\nSecond\n");
      assert.equal(got[1].nextOffset, enc.encode(MBOX).length);
    }
  } finally {
    await Deno.remove(path);
  }
});

Deno.test("mbox: CRLF line endings are kept and a read resumes at the offset it returned", async () => {
  const path = await tempFile(MBOX.replaceAll("\n", "\r\n"));
  try {
    const all = await collect(readMbox(path, { chunkBytes: 5 }));
    assert.equal(all.length, 2);
    assert.match(dec.decode(all[0].raw), /^From: a@example\.com\r\nSubject: one\r\n\r\nHello\r\n/);
    assert.ok(dec.decode(all[0].raw).endsWith("no empty line before it\r\n"));
    const rest = await collect(readMbox(path, { offset: all[0].nextOffset }));
    assert.equal(rest.length, 1);
    assert.deepEqual(rest[0].raw, all[1].raw);
    await assert.rejects(collect(readMbox(path, { offset: 3 })), /file changed/);
  } finally {
    await Deno.remove(path);
  }
});

Deno.test("mbox: a file that is not an mbox is refused, an oversize message is reported, not held", async () => {
  const notMbox = await tempFile("Subject: hi\n\nbody\n");
  const path = await tempFile(MBOX);
  try {
    await assert.rejects(collect(readMbox(notMbox)), /Not an mbox/);
    const got = await collect(readMbox(path, { maxBytes: 60 })) as unknown as Array<
      { oversize?: true; size?: number }
    >;
    assert.equal(got[0].oversize, true);
    assert.ok(got[0].size! > 60);
    assert.equal(got[1].oversize, undefined);
  } finally {
    await Deno.remove(notMbox);
    await Deno.remove(path);
  }
});

Deno.test("folders: a Maildir is read from cur/ and new/ by file name, an .eml folder recursively; a cursor skips what was read", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.mkdir(`${dir}/md/cur`, { recursive: true });
    await Deno.mkdir(`${dir}/md/new`);
    await Deno.mkdir(`${dir}/md/tmp`);
    await Deno.writeTextFile(`${dir}/md/new/1700000002.x.host`, "Subject: b\n\n");
    await Deno.writeTextFile(`${dir}/md/cur/1700000001.x.host:2,S`, "Subject: a\n\n");
    await Deno.mkdir(`${dir}/eml/2024`, { recursive: true });
    await Deno.writeTextFile(`${dir}/eml/b.eml`, "Subject: b\n\n");
    await Deno.writeTextFile(`${dir}/eml/2024/a.eml`, "Subject: a\n\n");
    await Deno.writeTextFile(`${dir}/eml/notes.txt`, "not mail");
    assert.deepEqual(await detectSource(`${dir}/md`), { kind: "maildir", total: 2 });
    assert.deepEqual(await detectSource(`${dir}/eml`), { kind: "eml", total: 2 });
    const md = await collect(readFolder(`${dir}/md`, "maildir"));
    assert.deepEqual(md.map((m) => dec.decode(m.raw)), ["Subject: a\n\n", "Subject: b\n\n"]);
    const eml = await collect(readFolder(`${dir}/eml`, "eml", { cursor: "2024/a.eml" }));
    assert.deepEqual(eml.map((m) => dec.decode(m.raw)), ["Subject: b\n\n"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("import envelope: Return-Path then From for MAIL FROM; Delivered-To, else To and Cc, unless given", () => {
  const raw = enc.encode(
    "Return-Path: <bounce@lists.example.com>\r\nDelivered-To: support@example.test\r\n" +
      "From: Taro <taro@example.com>\r\nTo: a@example.test,\r\n b@example.test\r\n\r\nbody\r\n",
  );
  assert.deepEqual(importEnvelope(raw, null), {
    mailFrom: "bounce@lists.example.com",
    rcptTo: ["support@example.test"],
    remoteAddress: null,
  });
  assert.deepEqual(importEnvelope(raw, "Help@Example.test").rcptTo, ["help@example.test"]);
  const plain = enc.encode(
    "From: Taro <taro@example.com>\nTo: a@example.test,\n b@example.test\n\n",
  );
  assert.deepEqual(importEnvelope(plain, null), {
    mailFrom: "taro@example.com",
    rcptTo: ["a@example.test", "b@example.test"],
    remoteAddress: null,
  });
  assert.equal(
    importEnvelope(enc.encode("Return-Path: <>\nFrom: x@example.com\n\n"), null).mailFrom,
    null,
  );
});
