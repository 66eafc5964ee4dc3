/**
 * The IMAP pull configured on the admin page (/admin/imap), besides MADOGUCHI_IMAP_URL: host,
 * port, TLS, login, folder, on/off. The password is kept sealed (services/secret_box.ts) and never
 * shown again: the form leaves it empty, and an empty password keeps the saved one.
 */
import { loadImapSettings, saveImapSettings } from "../db/imap_settings.ts";
import type { Db, Tx } from "../db/client.ts";
import { ForbiddenError, ValidationError } from "../domain/errors.ts";
import { imapFormProblems, type ImapTarget } from "../domain/imap_target.ts";
import type { OpContext } from "./context.ts";
import { seal, unseal } from "./secret_box.ts";

/** What the admin page shows: everything but the password. */
export interface ImapSettingsView {
  host: string;
  port: number;
  tls: boolean;
  username: string;
  hasPassword: boolean;
  folder: string;
  enabled: boolean;
  updatedAt: number;
}

/** The form as typed. */
export interface ImapForm {
  host: string;
  port: string;
  tls: boolean;
  username: string;
  /** Empty: keep the saved one. */
  password: string;
  folder: string;
  enabled: boolean;
}

function requireAdmin(ctx: OpContext) {
  if (ctx.actor.kind !== "agent" || ctx.actor.role !== "admin") {
    throw new ForbiddenError("Only admins can change the IMAP settings");
  }
}

export async function imapSettingsView(db: Db | Tx): Promise<ImapSettingsView | null> {
  const s = await loadImapSettings(db);
  if (!s) return null;
  const { passwordSealed, ...rest } = s;
  return { ...rest, hasPassword: passwordSealed !== "" };
}

/** The form checked and completed: trimmed, the saved password when none was typed. */
async function target(db: Db | Tx, form: ImapForm): Promise<ImapTarget> {
  const f = {
    host: form.host.trim().toLowerCase(),
    port: form.port.trim() || (form.tls ? "993" : "143"),
    username: form.username.trim(),
    folder: form.folder.trim() || "INBOX",
  };
  const problems = imapFormProblems(f);
  let pass = form.password;
  if (!pass) {
    const saved = await loadImapSettings(db);
    if (saved?.passwordSealed) pass = await unseal(db, saved.passwordSealed);
    else problems.password = "required";
  }
  if (Object.keys(problems).length) throw new ValidationError("Invalid IMAP settings", problems);
  return {
    host: f.host,
    port: Number(f.port),
    secure: form.tls,
    user: f.username,
    pass,
    mailbox: f.folder,
  };
}

/** Saves the settings (admins). */
export async function saveImapSettingsOp(ctx: OpContext, form: ImapForm): Promise<void> {
  requireAdmin(ctx);
  const t = await target(ctx.tx, form);
  await saveImapSettings(ctx.tx, {
    host: t.host,
    port: t.port,
    tls: t.secure,
    username: t.user,
    passwordSealed: await seal(ctx.tx, t.pass),
    folder: t.mailbox,
    enabled: form.enabled,
    updatedAt: ctx.now,
  });
}

/** The mailbox a connection test should try: the form as typed (admins). */
export async function imapTargetToTest(
  db: Db | Tx,
  actor: OpContext["actor"],
  form: ImapForm,
): Promise<ImapTarget> {
  if (actor.kind !== "agent" || actor.role !== "admin") {
    throw new ForbiddenError("Only admins can test the IMAP settings");
  }
  return await target(db, form);
}

/** The saved mailbox to pull from, or null when none is saved or it is switched off. */
export async function enabledImapTarget(db: Db | Tx): Promise<ImapTarget | null> {
  const s = await loadImapSettings(db);
  if (!s || !s.enabled) return null;
  return {
    host: s.host,
    port: s.port,
    secure: s.tls,
    user: s.username,
    pass: await unseal(db, s.passwordSealed),
    mailbox: s.folder,
  };
}
