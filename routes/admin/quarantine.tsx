/** Admin: mail that could not be parsed or filed, kept raw, downloadable and re-processable. */
import { Hono } from "hono";
import { findQuarantine, findRawMessage, listQuarantine } from "../../db/raw_messages.ts";
import { quarantinedBytes, reprocessQuarantined } from "../../services/inbound_mail.ts";
import { parseMessage } from "../../mail/parse.ts";
import { formatDateTime } from "../../components/render.tsx";
import { renderPage } from "../render.tsx";
import { type AppEnv, asAgent, displayTimeZone } from "../state.ts";

/** What a failed reprocess can report back: fixed codes, never an exception's text in the URL. */
const REPROCESS_ERRORS = {
  gone: "quarantine.error.gone",
  failed: "quarantine.error.failed",
} as const;
type ReprocessError = keyof typeof REPROCESS_ERRORS;

function isReprocessError(code: string | undefined): code is ReprocessError {
  return code !== undefined && Object.hasOwn(REPROCESS_ERRORS, code);
}

/** Routes under /admin/quarantine. */
export function quarantineRoutes() {
  const app = new Hono<AppEnv>();

  app.get("/", async (c) => {
    const t = c.get("t");
    const { store } = c.get("deps");
    const items = await listQuarantine(store.db);
    const code = c.req.query("error");
    const error = isReprocessError(code) ? t(REPROCESS_ERRORS[code]) : undefined;
    return renderPage(
      c,
      t("quarantine.title"),
      <section>
        <h1>{t("quarantine.title")}</h1>
        {error && <p class="error" role="alert">{error}</p>}
        {items.length === 0 ? <p class="empty">{t("quarantine.empty")}</p> : (
          <table class="tickets">
            <thead>
              <tr>
                <th>#</th>
                <th>{t("quarantine.reason")}</th>
                <th>MAIL FROM</th>
                <th>bytes</th>
                <th></th>
              </tr>
            </thead>
            <tbody>
              {items.map((q) => (
                <tr>
                  <td>{q.id}</td>
                  <td>{q.reason}</td>
                  <td>{q.mailFrom ?? "<>"}</td>
                  <td>{q.size}</td>
                  <td>
                    {formatDateTime(q.createdAt, displayTimeZone(c), c.get("locale"))}{" "}
                    <a href={`/admin/quarantine/${q.id}/raw`}>{t("quarantine.download")}</a>
                    <form
                      method="post"
                      action={`/admin/quarantine/${q.id}/reprocess`}
                      class="inline"
                    >
                      <button type="submit">{t("quarantine.reprocess")}</button>
                    </form>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>,
    );
  });

  app.get("/:id{[0-9]{1,15}}/raw", async (c) => {
    const { store } = c.get("deps");
    const entry = await findQuarantine(store.db, Number(c.req.param("id")));
    const raw = entry && await findRawMessage(store.db, entry.rawId);
    if (!raw) return c.notFound();
    return c.body(raw.content, 200, {
      "content-type": "message/rfc822",
      "content-disposition": `attachment; filename="quarantine-${entry.id}.eml"`,
      "x-content-type-options": "nosniff",
      "content-security-policy": "sandbox; default-src 'none'",
    });
  });

  app.post("/:id{[0-9]{1,15}}/reprocess", async (c) => {
    const { store } = c.get("deps");
    const id = Number(c.req.param("id"));
    const back = (code: ReprocessError) => c.redirect(`/admin/quarantine?error=${code}`, 303);
    const entry = Number.isSafeInteger(id) ? await findQuarantine(store.db, id) : undefined;
    if (!entry || entry.resolvedAt !== null) return back("gone");
    try {
      const message = await parseMessage(await quarantinedBytes(store.db, id));
      const result = await asAgent(
        c,
        (ctx) => reprocessQuarantined(ctx, { quarantineId: id, message }),
      );
      return c.redirect(
        "ticketNumber" in result ? `/tickets/${result.ticketNumber}` : "/admin/quarantine",
        303,
      );
    } catch (e) {
      console.error(`[${c.get("requestId") ?? "-"}] quarantine ${id}: reprocess failed`, e);
      return back("failed");
    }
  });

  return app;
}
