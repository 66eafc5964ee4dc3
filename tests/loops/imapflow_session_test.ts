/**
 * The imapflow adapter (loops/imap_pull.ts `imapflowSession`) against a minimal IMAP responder on a
 * local socket: LOGIN, SELECT, UID SEARCH, UID FETCH BODY[], UID STORE +FLAGS, IDLE with an
 * EXISTS push, LOGOUT. Enough of IMAP4rev1 for imapflow; not a real server.
 */
import assert from "node:assert/strict";
import { imapflowSession, startImapPull } from "../../loops/imap_pull.ts";
import { rawMail, tempStore } from "../helpers.ts";
import { testRuntime } from "../runtime.ts";

import { startResponder } from "../imap_responder.ts";

function mail(n: number) {
  return rawMail({
    From: `customer${n}@example.com`,
    To: "support@example.test",
    Subject: `IMAP ${n}`,
    "Message-ID": `<imapflow-${n}@example.com>`,
  }, "hello\r\n");
}

Deno.test("imapflow session: a real client files the mailbox, marks each message seen, and IDLE brings new mail", async () => {
  const server = startResponder(new Map([[1, mail(1)], [2, mail(2)]]));
  const db = await tempStore();
  try {
    const rt = testRuntime(db.store);
    const url = `imap://desk:secret@127.0.0.1:${server.port}/INBOX`;
    const pull = startImapPull(rt, {
      connect: imapflowSession(url),
      mailbox: "test",
      pollMs: 60_000,
      backoff: () => Promise.resolve(),
      log: (m, e) => console.error(m, e),
    });
    await pull.passed();
    assert.deepEqual(server.seen, [1, 2]);
    const next = pull.passed();
    // Give the client a moment to enter IDLE, then push the new mail.
    while (!server.log.some((l) => / IDLE$/i.test(l))) await new Promise((r) => setTimeout(r, 10));
    await server.deliver(3, mail(3));
    await next;
    await pull.stop();
    assert.deepEqual(server.seen, [1, 2, 3]);
    const filed = await db.store.db.selectFrom("messages").select("message_id").execute();
    assert.deepEqual(filed.map((m) => m.message_id).sort(), [
      "imapflow-1@example.com",
      "imapflow-2@example.com",
      "imapflow-3@example.com",
    ]);
    assert.ok(server.log.some((l) => /UID STORE 1 \+FLAGS/i.test(l)), server.log.join("\n"));
  } finally {
    server.close();
    await db.cleanup();
  }
});
