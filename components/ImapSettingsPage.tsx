/** Admin: the IMAP pull's mailbox — server, login, folder, on/off — with a connection test. */
import type { Translate } from "../domain/i18n/mod.ts";
import type { ImapForm } from "../services/imap_settings.ts";

export interface ImapSettingsPageProps {
  t: Translate;
  /** The form as saved or as typed (the password never: `hasPassword` says one is saved). */
  form: Omit<ImapForm, "password">;
  hasPassword: boolean;
  /** Field problems: field → "required" | "invalid". */
  problems: Record<string, string>;
  /** MADOGUCHI_IMAP_URL is set: it wins over this page. */
  envOverrides: boolean;
  /** What is pulled now, or null. */
  current: { key: string; from: "env" | "admin" } | null;
  /** The last connection test. */
  test: { ok: true; uidValidity: string } | { ok: false; error: string } | null;
  saved: boolean;
}

function Problem({ t, problem }: { t: Translate; problem?: string }) {
  if (!problem) return null;
  return (
    <span class="error small" role="alert">
      {t(problem === "required" ? "imap.error.required" : "imap.error.invalid")}
    </span>
  );
}

export function ImapSettingsPage(p: ImapSettingsPageProps) {
  const { t, form, problems } = p;
  return (
    <section class="imap-settings">
      <h1>{t("imap.title")}</h1>
      <p class="muted">{t("imap.intro")}</p>
      {p.envOverrides && <p class="notice" role="status">{t("imap.envOverrides")}</p>}
      <p class="small">
        {p.current
          ? (
            <>
              {t("imap.pulling")} <code>{p.current.key}</code>
            </>
          )
          : t("imap.notPulling")}
      </p>
      {p.saved && <p class="notice" role="status">{t("imap.saved")}</p>}
      {p.test && (p.test.ok
        ? <p class="notice" role="status">{t("imap.test.ok")}</p>
        : (
          <p class="error" role="alert">
            {t("imap.test.failed")} <code>{p.test.error}</code>
          </p>
        ))}
      <form method="post" action="/admin/imap" class="card">
        <label>
          {t("imap.host")}
          <input
            name="host"
            value={form.host}
            required
            maxlength={253}
            autocomplete="off"
            placeholder="imap.example.co.jp"
          />
          <Problem t={t} problem={problems.host} />
        </label>
        <label>
          {t("imap.port")}
          <input
            name="port"
            value={form.port}
            inputmode="numeric"
            maxlength={5}
            placeholder="993"
          />
          <Problem t={t} problem={problems.port} />
        </label>
        <label class="check">
          <input type="checkbox" name="tls" value="1" checked={form.tls} /> {t("imap.tls")}
        </label>
        <label>
          {t("imap.username")}
          <input name="username" value={form.username} required autocomplete="off" />
          <Problem t={t} problem={problems.username} />
        </label>
        <label>
          {t("imap.password")}
          <input
            type="password"
            name="password"
            value=""
            autocomplete="new-password"
            placeholder={p.hasPassword ? t("imap.passwordSaved") : ""}
          />
          <span class="muted small">{t("imap.passwordHint")}</span>
          <Problem t={t} problem={problems.password} />
        </label>
        <label>
          {t("imap.folder")}
          <input name="folder" value={form.folder} placeholder="INBOX" maxlength={200} />
          <Problem t={t} problem={problems.folder} />
        </label>
        <label class="check">
          <input type="checkbox" name="enabled" value="1" checked={form.enabled} />{" "}
          {t("imap.enabled")}
        </label>
        <p>
          <button type="submit">{t("imap.save")}</button>{" "}
          <button type="submit" class="secondary" formaction="/admin/imap/test">
            {t("imap.test")}
          </button>
        </p>
        <p class="muted small">{t("imap.seenHint")}</p>
      </form>
    </section>
  );
}
