/**
 * Admin: /admin/imap — the IMAP pull's mailbox (host, port, TLS, login, folder, on/off), saved
 * with the password sealed and never shown again; 接続テスト tries the form as typed (an empty
 * password: the saved one). Saving restarts the pull (loops/imap_control.ts).
 */
import { Hono } from "hono";
import { ValidationError } from "../../domain/errors.ts";
import { agentActor } from "../../services/context.ts";
import {
  type ImapForm,
  imapSettingsView,
  imapTargetToTest,
  saveImapSettingsOp,
} from "../../services/imap_settings.ts";
import {
  ImapSettingsPage,
  type ImapSettingsPageProps,
} from "../../components/ImapSettingsPage.tsx";
import { renderPage } from "../render.tsx";
import { type AppEnv, asAgent, assertAgent, type Ctx } from "../state.ts";

async function page(
  c: Ctx,
  shown: Partial<Pick<ImapSettingsPageProps, "form" | "problems" | "test" | "saved">> = {},
  status: 200 | 422 = 200,
) {
  const t = c.get("t");
  const { store, config, imap } = c.get("deps");
  const saved = await imapSettingsView(store.db);
  const form = shown.form ?? {
    host: saved?.host ?? "",
    port: String(saved?.port ?? 993),
    tls: saved?.tls ?? true,
    username: saved?.username ?? "",
    folder: saved?.folder ?? "INBOX",
    enabled: saved?.enabled ?? false,
  };
  return renderPage(
    c,
    t("imap.title"),
    <ImapSettingsPage
      t={t}
      form={form}
      hasPassword={saved?.hasPassword ?? false}
      problems={shown.problems ?? {}}
      envOverrides={config.imapUrl !== null}
      current={imap?.current() ?? null}
      test={shown.test ?? null}
      saved={shown.saved ?? false}
    />,
    status,
  );
}

async function formOf(c: Ctx): Promise<ImapForm> {
  const body = await c.req.parseBody();
  const text = (name: string) => String(body[name] ?? "").slice(0, 1000);
  return {
    host: text("host"),
    port: text("port"),
    tls: body.tls === "1",
    username: text("username"),
    password: text("password"),
    folder: text("folder"),
    enabled: body.enabled === "1",
  };
}

function withoutPassword({ password: _, ...form }: ImapForm) {
  return form;
}

/** Routes under /admin/imap. */
export function imapSettingsRoutes() {
  const app = new Hono<AppEnv>();

  app.get("/", (c) => page(c, { saved: c.req.query("saved") === "1" }));

  app.post("/", async (c) => {
    const form = await formOf(c);
    try {
      await asAgent(c, (ctx) => saveImapSettingsOp(ctx, form));
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      return page(c, { form: withoutPassword(form), problems: e.fields }, 422);
    }
    await c.get("deps").imap?.apply();
    return c.redirect("/admin/imap?saved=1", 303);
  });

  app.post("/test", async (c) => {
    const form = await formOf(c);
    const { store, imap } = c.get("deps");
    let target;
    try {
      target = await imapTargetToTest(store.db, agentActor(assertAgent(c)), form);
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      return page(c, { form: withoutPassword(form), problems: e.fields }, 422);
    }
    const test = imap
      ? await imap.test(target)
      : { ok: false as const, error: c.get("t")("imap.test.unavailable") };
    return page(c, { form: withoutPassword(form), test });
  });

  return app;
}
