/**
 * Which mailbox the IMAP pull reads (loops/imap_control.ts): the admin page's settings, restarted
 * when saved, MADOGUCHI_IMAP_URL winning; and the connection test against a local IMAP responder.
 */
import assert from "node:assert/strict";
import { imapControl } from "../../loops/imap_control.ts";
import type { ImapSession } from "../../loops/imap_pull.ts";
import type { ImapTarget } from "../../domain/imap_target.ts";
import { saveImapSettingsOp } from "../../services/imap_settings.ts";
import { agent, run, testRuntime } from "../runtime.ts";
import { rawMail, tempStore } from "../helpers.ts";
import { startResponder } from "../imap_responder.ts";

const FORM = {
  host: "imap.example.co.jp",
  port: "993",
  tls: true,
  username: "desk",
  password: "secret",
  folder: "INBOX",
  enabled: true,
};

/** Sessions that record which target they were opened for; the mailbox is empty. */
function recorder() {
  const opened: ImapTarget[] = [];
  const sessionFor = (target: ImapTarget) => (): Promise<ImapSession> => {
    opened.push(target);
    return Promise.resolve({
      open: () => Promise.resolve({ uidValidity: "1" }),
      uidsAfter: () => Promise.resolve([]),
      fetch: () => Promise.resolve(null),
      markSeen: () => Promise.resolve(),
      wait: (_ms, signal) =>
        new Promise<void>((r) => signal.addEventListener("abort", () => r(), { once: true })),
      close: () => Promise.resolve(),
    });
  };
  return { opened, sessionFor };
}

Deno.test("imap control: the saved settings start the pull, saving again restarts it, switching off stops it; the env URL wins", async () => {
  const db = await tempStore();
  const rt = testRuntime(db.store);
  const { opened, sessionFor } = recorder();
  const control = imapControl(rt, { envUrl: null, pollMs: 60_000, sessionFor, log: () => {} });
  try {
    await control.apply();
    assert.equal(control.current(), null, "nothing saved: no pull");
    await run(rt, (ctx) => saveImapSettingsOp(ctx, FORM), {
      actor: agent({ id: 1, role: "admin" }),
    });
    await control.apply();
    assert.deepEqual(control.current(), {
      key: "imaps://desk@imap.example.co.jp:993/INBOX",
      from: "admin",
    });
    while (opened.length < 1) await new Promise((r) => setTimeout(r, 1));
    assert.equal(opened[0].pass, "secret");
    await control.apply();
    assert.equal(opened.length, 1, "unchanged settings: not restarted");

    await run(rt, (ctx) => saveImapSettingsOp(ctx, { ...FORM, folder: "Support", password: "" }), {
      actor: agent({ id: 1, role: "admin" }),
    });
    await control.apply();
    assert.equal(control.current()!.key, "imaps://desk@imap.example.co.jp:993/Support");
    await run(rt, (ctx) => saveImapSettingsOp(ctx, { ...FORM, enabled: false, password: "" }), {
      actor: agent({ id: 1, role: "admin" }),
    });
    await control.apply();
    assert.equal(control.current(), null);
  } finally {
    await control.stop();
  }
  const env = imapControl(rt, {
    envUrl: "imap://other:pw@mail.example.net:143/Desk",
    pollMs: 60_000,
    sessionFor,
    log: () => {},
  });
  try {
    await run(rt, (ctx) => saveImapSettingsOp(ctx, FORM), {
      actor: agent({ id: 1, role: "admin" }),
    });
    await env.apply();
    assert.deepEqual(env.current(), { key: "imap://other@mail.example.net:143/Desk", from: "env" });
  } finally {
    await env.stop();
    await db.cleanup();
  }
});

Deno.test("imap control: 接続テスト logs in and opens the folder of a real (local) IMAP server; a wrong password or no server says why", async () => {
  const server = startResponder(
    new Map([[1, rawMail({ From: "a@example.com", Subject: "x" }, "hi")]]),
    { password: "secret" },
  );
  const db = await tempStore();
  const control = imapControl(testRuntime(db.store), {
    envUrl: null,
    pollMs: 60_000,
    testTimeoutMs: 5_000,
    log: () => {},
  });
  try {
    const target: ImapTarget = {
      host: "127.0.0.1",
      port: server.port,
      secure: false,
      user: "desk",
      pass: "secret",
      mailbox: "INBOX",
    };
    assert.deepEqual(await control.test(target), { ok: true, uidValidity: "7" });
    assert.ok(server.log.some((l) => /SELECT|EXAMINE/i.test(l)));
    const wrong = await control.test({ ...target, pass: "nope" });
    assert.equal(wrong.ok, false);
    assert.match(
      (wrong as { error: string }).error,
      /Invalid credentials|AUTHENTICATIONFAILED|auth/i,
    );
    server.close();
    const gone = await control.test(target);
    assert.equal(gone.ok, false);
    assert.ok((gone as { error: string }).error.length > 0);
    assert.equal(control.current(), null, "a test starts no pull");
  } finally {
    server.close();
    await control.stop();
    await db.cleanup();
  }
});
