/**
 * The IMAP pull loop (loops/imap_pull.ts) against a scripted mailbox behind the `ImapSession`
 * interface; tests/loops/imapflow_session_test.ts runs the imapflow adapter against a socket.
 */
import assert from "node:assert/strict";
import type { Store } from "../../db/client.ts";
import { imapState } from "../../db/import_jobs.ts";
import { type ImapSession, parseImapUrl, startImapPull } from "../../loops/imap_pull.ts";
import { rawMail, tempStore } from "../helpers.ts";
import { testRuntime } from "../runtime.ts";

const KEY = "imaps://desk%40example.com@imap.example.com:993/INBOX";

function mail(n: number, extra: Record<string, string> = {}) {
  return new TextEncoder().encode(rawMail({
    From: `customer${n}@example.com`,
    To: "desk@example.com",
    Subject: `question ${n}`,
    "Message-ID": `<imap-${n}@example.com>`,
    ...extra,
  }, "hello"));
}

async function filedIds(store: Store): Promise<string[]> {
  const rows = await store.db.selectFrom("messages").select("message_id").orderBy("id").execute();
  return rows.map((r) => r.message_id!);
}

/** A mailbox: messages by UID, \Seen flags, a log of commands, failures to inject. */
function fakeServer(store: Store) {
  const box = {
    uidValidity: "7",
    messages: new Map<number, Uint8Array>(),
    seen: [] as number[],
    fetched: [] as number[],
    failFetchOnce: new Set<number>(),
    connects: 0,
    notify: null as null | (() => void),
    /** Checked at each \Seen: the message must already be committed. */
    seenBeforeCommit: [] as number[],
  };
  const connect = (): Promise<ImapSession> => {
    box.connects++;
    return Promise.resolve({
      open: () => Promise.resolve({ uidValidity: box.uidValidity }),
      uidsAfter: (after) =>
        Promise.resolve([...box.messages.keys()].filter((u) => u > after).sort((a, b) => a - b)),
      fetch(uid) {
        box.fetched.push(uid);
        if (box.failFetchOnce.delete(uid)) return Promise.reject(new Error("connection reset"));
        return Promise.resolve(box.messages.get(uid) ?? null);
      },
      async markSeen(uid) {
        if (!(await filedIds(store)).includes(`imap-${uid}@example.com`)) {
          box.seenBeforeCommit.push(uid);
        }
        box.seen.push(uid);
      },
      wait: (_ms, signal) =>
        new Promise<void>((resolve) => {
          box.notify = resolve;
          signal.addEventListener("abort", () => resolve(), { once: true });
        }),
      close: () => Promise.resolve(),
    });
  };
  return { box, connect };
}

Deno.test("imap pull: new mail is filed, then marked seen; IDLE news brings the next; a restart files nothing twice", async () => {
  const db = await tempStore();
  try {
    const rt = testRuntime(db.store);
    const { box, connect } = fakeServer(db.store);
    box.messages.set(1, mail(1));
    box.messages.set(2, mail(2, { "In-Reply-To": "<imap-1@example.com>" }));
    let pull = startImapPull(rt, { connect, mailbox: KEY, backoff: () => Promise.resolve() });
    await pull.passed();
    assert.deepEqual(await filedIds(db.store), ["imap-1@example.com", "imap-2@example.com"]);
    assert.deepEqual(box.seen, [1, 2]);
    assert.deepEqual(box.seenBeforeCommit, [], "never seen before it is committed");
    assert.deepEqual(await imapState(db.store.db, KEY), { uidValidity: "7", lastUid: 2 });

    box.messages.set(5, mail(5));
    const next = pull.passed();
    box.notify!();
    await next;
    assert.deepEqual(box.seen, [1, 2, 5]);
    await pull.stop();

    // A restart: the saved UID means nothing old is fetched or filed again.
    box.fetched = [];
    pull = startImapPull(rt, { connect, mailbox: KEY, backoff: () => Promise.resolve() });
    await pull.passed();
    await pull.stop();
    assert.deepEqual(box.fetched, []);
    assert.equal((await filedIds(db.store)).length, 3);
  } finally {
    await db.cleanup();
  }
});

Deno.test("imap pull: an error backs off and reconnects; a new UIDVALIDITY files nothing twice", async () => {
  const db = await tempStore();
  try {
    const rt = testRuntime(db.store);
    const { box, connect } = fakeServer(db.store);
    box.messages.set(1, mail(1));
    box.messages.set(2, mail(2));
    box.failFetchOnce.add(2);
    const waits: number[] = [];
    const logged: string[] = [];
    let pull = startImapPull(rt, {
      connect,
      mailbox: KEY,
      backoff: (attempt) => (waits.push(attempt), Promise.resolve()),
      log: (m) => logged.push(m),
    });
    await pull.passed();
    assert.deepEqual(waits, [0], "one back-off after the failure");
    assert.match(logged[0], /connection reset/);
    assert.equal(box.connects, 2);
    assert.deepEqual(box.seen, [1, 2]);
    assert.equal((await filedIds(db.store)).length, 2);

    await pull.stop();

    // The server renumbered its mailbox (UIDs from 1 again under a new UIDVALIDITY): read from the
    // start, the same mail is recognised as filed.
    box.uidValidity = "8";
    box.messages = new Map([[1, mail(2)], [2, mail(1)], [3, mail(3)]]);
    pull = startImapPull(rt, { connect, mailbox: KEY, backoff: () => Promise.resolve() });
    await pull.passed();
    await pull.stop();
    assert.deepEqual(await filedIds(db.store), [
      "imap-1@example.com",
      "imap-2@example.com",
      "imap-3@example.com",
    ]);
    assert.deepEqual(await imapState(db.store.db, KEY), { uidValidity: "8", lastUid: 3 });
  } finally {
    await db.cleanup();
  }
});

Deno.test("imap pull: MADOGUCHI_IMAP_URL parts and the state key without the password", () => {
  assert.deepEqual(parseImapUrl("imaps://desk%40example.com:s%3Acret@imap.example.com/INBOX"), {
    host: "imap.example.com",
    port: 993,
    secure: true,
    user: "desk@example.com",
    pass: "s:cret",
    mailbox: "INBOX",
    key: KEY,
  });
  assert.equal(parseImapUrl("imap://u:p@h").port, 143);
  assert.equal(parseImapUrl("imap://u:p@h").mailbox, "INBOX");
});
