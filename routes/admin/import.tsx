/**
 * Admin: /admin/import — start an import of old mail (an uploaded file, streamed to the data
 * folder, or a path on the server) and follow every job. Runs in the background of this process
 * (loops/import_runner.ts); a job whose run died shows as interrupted and can be resumed.
 */
import { Hono } from "hono";
import { findImportJob, listImportJobs } from "../../db/import_jobs.ts";
import { quarantinedByImport } from "../../db/imported_raw.ts";
import { ValidationError } from "../../domain/errors.ts";
import { type MessageKey } from "../../domain/i18n/mod.ts";
import { importRunner } from "../../loops/import_runner.ts";
import { prepareImport } from "../../services/import.ts";
import { ImportPage, type JobView } from "../../components/ImportPage.tsx";
import { renderPage } from "../render.tsx";
import { type AppEnv, type Ctx, displayTimeZone } from "../state.ts";
import { spoolUpload, UploadError } from "./upload_spool.ts";

/** The largest upload; bigger sources go on the server and are named by path. */
export const UPLOAD_MAX_BYTES = 1024 * 1024 * 1024;
/** A running job not updated for this long, and not running here, died with its process. */
const STALE_MS = 60_000;

const ERRORS = {
  noSource: "import.error.noSource",
  tooLarge: "import.error.tooLarge",
  upload: "import.error.upload",
} as const satisfies Record<string, MessageKey>;

async function page(c: Ctx, error?: string, status: 200 | 422 = 200) {
  const t = c.get("t");
  const { store } = c.get("deps");
  const runner = importRunner(store);
  const now = c.get("rt").now();
  const jobs: JobView[] = [];
  for (const job of await listImportJobs(store.db)) {
    const active = runner.isRunning(job.id);
    const stale = job.status === "running" && !active && now - job.updatedAt > STALE_MS;
    const quarantine = job.quarantined > 0 ? await quarantinedByImport(store.db, job.id) : [];
    jobs.push({ ...job, active, shown: stale ? "interrupted" : job.status, quarantine });
  }
  return renderPage(
    c,
    t("import.title"),
    <ImportPage
      t={t}
      jobs={jobs}
      error={error}
      uploadLimit="1 GB"
      timeZone={displayTimeZone(c)}
      locale={c.get("locale")}
    />,
    status,
  );
}

/** Routes under /admin/import. */
export function importRoutes() {
  const app = new Hono<AppEnv>();

  app.get("/", (c) => {
    const code = c.req.query("error");
    const key = code && Object.hasOwn(ERRORS, code) ? ERRORS[code as keyof typeof ERRORS] : null;
    return page(c, key ? c.get("t")(key) : undefined);
  });

  app.post("/", async (c) => {
    const { config, store } = c.get("deps");
    const rt = c.get("rt");
    let upload;
    try {
      upload = await spoolUpload(
        c.req.raw,
        `${config.dataDir}/imports`,
        UPLOAD_MAX_BYTES,
        rt.now(),
      );
    } catch (e) {
      if (!(e instanceof UploadError)) throw e;
      return c.redirect(`/admin/import?error=${e.tooLarge ? "tooLarge" : "upload"}`, 303);
    }
    const path = upload.file?.path ?? upload.fields.path?.trim();
    if (!path) return c.redirect("/admin/import?error=noSource", 303);
    try {
      const job = await prepareImport(rt, { path, to: upload.fields.to || null });
      importRunner(store).start(rt, job.id, { maxBytes: config.maxMessageBytes });
    } catch (e) {
      if (!(e instanceof ValidationError)) throw e;
      if (upload.file) await Deno.remove(upload.file.path).catch(() => {});
      return page(c, e.message, 422);
    }
    return c.redirect("/admin/import", 303);
  });

  app.post("/:id{[0-9]{1,15}}/resume", async (c) => {
    const { config, store } = c.get("deps");
    const rt = c.get("rt");
    const job = await findImportJob(store.db, Number(c.req.param("id")));
    if (!job) return c.notFound();
    if (job.status !== "done") {
      await prepareImport(rt, { path: job.source });
      importRunner(store).start(rt, job.id, { maxBytes: config.maxMessageBytes });
    }
    return c.redirect("/admin/import", 303);
  });

  app.post("/:id{[0-9]{1,15}}/stop", (c) => {
    importRunner(c.get("deps").store).stop(Number(c.req.param("id")));
    return c.redirect("/admin/import", 303);
  });

  return app;
}
