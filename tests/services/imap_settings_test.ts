/** IMAP settings saved from the admin page: admins only, checked, the password sealed and kept. */
import assert from "node:assert/strict";
import { loadImapSettings } from "../../db/imap_settings.ts";
import {
  enabledImapTarget,
  type ImapForm,
  imapSettingsView,
  imapTargetToTest,
  saveImapSettingsOp,
} from "../../services/imap_settings.ts";
import { agent, run, testRuntime } from "../runtime.ts";
import { tempStore } from "../helpers.ts";

const FORM: ImapForm = {
  host: " IMAP.Example.co.jp ",
  port: "993",
  tls: true,
  username: "support@example.co.jp",
  password: "s3cret-パス",
  folder: "",
  enabled: true,
};
const ADMIN = agent({ id: 1, role: "admin" });

Deno.test("imap settings: saved checked and sealed; the password is never shown and an empty one keeps it", async () => {
  const db = await tempStore();
  try {
    const rt = testRuntime(db.store);
    await run(rt, (ctx) => saveImapSettingsOp(ctx, FORM), { actor: ADMIN });
    const stored = (await loadImapSettings(db.store.db))!;
    assert.equal(stored.host, "imap.example.co.jp");
    assert.equal(stored.folder, "INBOX");
    assert.ok(!stored.passwordSealed.includes("s3cret"), "not stored in the clear");
    assert.ok(!atob(stored.passwordSealed).includes("s3cret"));
    const view = (await imapSettingsView(db.store.db))!;
    assert.equal(view.hasPassword, true);
    assert.ok(!JSON.stringify(view).includes("s3cret"), "the view has no password");
    assert.deepEqual(await enabledImapTarget(db.store.db), {
      host: "imap.example.co.jp",
      port: 993,
      secure: true,
      user: "support@example.co.jp",
      pass: "s3cret-パス",
      mailbox: "INBOX",
    });

    // Saved again with the password left empty: the old one stays.
    await run(rt, (ctx) => saveImapSettingsOp(ctx, { ...FORM, password: "", folder: "Support" }), {
      actor: ADMIN,
    });
    const again = (await enabledImapTarget(db.store.db))!;
    assert.equal(again.pass, "s3cret-パス");
    assert.equal(again.mailbox, "Support");
    // Switched off: nothing to pull.
    await run(rt, (ctx) => saveImapSettingsOp(ctx, { ...FORM, enabled: false }), { actor: ADMIN });
    assert.equal(await enabledImapTarget(db.store.db), null);
  } finally {
    await db.cleanup();
  }
});

Deno.test("imap settings: bad fields are refused by field; agents may not save or test", async () => {
  const db = await tempStore();
  try {
    const rt = testRuntime(db.store);
    await assert.rejects(
      run(rt, (ctx) =>
        saveImapSettingsOp(ctx, {
          ...FORM,
          host: "bad host",
          port: "70000",
          username: "",
          password: "",
        }), { actor: ADMIN }),
      (e: Error & { fields?: Record<string, string> }) => {
        assert.deepEqual(e.fields, {
          host: "invalid",
          port: "invalid",
          username: "required",
          password: "required",
        });
        return true;
      },
    );
    await assert.rejects(
      run(rt, (ctx) => saveImapSettingsOp(ctx, FORM), { actor: agent({ id: 2, role: "agent" }) }),
      { name: "ForbiddenError" },
    );
    await assert.rejects(
      imapTargetToTest(db.store.db, agent({ id: 2, role: "agent" }), FORM),
      { name: "ForbiddenError" },
    );
    assert.equal(await loadImapSettings(db.store.db), null);
  } finally {
    await db.cleanup();
  }
});
