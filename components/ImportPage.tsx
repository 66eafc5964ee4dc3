/** Admin: importing old mail — start an import (upload or server path) and follow each job. */
import type { ImportJob } from "../db/import_jobs.ts";
import type { ImportedQuarantine } from "../db/imported_raw.ts";
import type { Translate } from "../domain/i18n/mod.ts";
import { formatDateTime } from "./render.tsx";

/** How a job is shown: its stored status, or "interrupted" when a run died without saying so. */
export type JobView = ImportJob & {
  shown: ImportJob["status"] | "interrupted";
  active: boolean;
  /** Its mail in quarantine (the parser refused it), with where it was in the source. */
  quarantine: ImportedQuarantine[];
};

export interface ImportPageProps {
  t: Translate;
  jobs: JobView[];
  error?: string;
  uploadLimit: string;
  timeZone: string;
  locale: string;
}

function percent(job: ImportJob): number {
  if (job.status === "done") return 100;
  return job.total > 0 ? Math.min(100, Math.floor((job.done / job.total) * 100)) : 0;
}

function sourceName(source: string): string {
  return source.split("/").filter(Boolean).pop() ?? source;
}

export function ImportPage({ t, jobs, error, uploadLimit, timeZone, locale }: ImportPageProps) {
  return (
    <section class="import">
      <h1>{t("import.title")}</h1>
      <p class="muted">{t("import.intro")}</p>
      {error && <p class="error" role="alert">{error}</p>}
      <form method="post" action="/admin/import" enctype="multipart/form-data" class="card">
        <label>
          {t("import.to")}
          <input type="email" name="to" autocomplete="off" placeholder="support@example.co.jp" />
          <span class="muted small">{t("import.toHint")}</span>
        </label>
        <label>
          {t("import.path")}
          <input
            type="text"
            name="path"
            autocomplete="off"
            placeholder="/srv/takeout/support.mbox"
          />
          <span class="muted small">{t("import.pathHint")}</span>
        </label>
        {/* Last: the upload is streamed to disk and fields after the file are not read. */}
        <label>
          {t("import.upload")}
          <input type="file" name="file" accept=".mbox,.eml,application/mbox,message/rfc822" />
          <span class="muted small">{t("import.uploadHint", { size: uploadLimit })}</span>
        </label>
        <button type="submit">{t("import.start")}</button>
      </form>

      <h2>
        {t("import.jobs")} <a class="small" href="/admin/import">{t("import.refresh")}</a>
      </h2>
      {jobs.length === 0 ? <p class="empty">{t("import.empty")}</p> : (
        <ul class="import-jobs">
          {jobs.map((job) => (
            <li key={job.id} class="card">
              <div class="import-head">
                <strong title={job.source}>{sourceName(job.source)}</strong>
                <span class="muted small">{job.kind}</span>
                <span class={`badge import-${job.shown}`}>{t(`import.status.${job.shown}`)}</span>
                <span class="muted small">
                  {formatDateTime(job.updatedAt, timeZone, locale)}
                </span>
              </div>
              <div class="import-progress">
                <progress max={100} value={percent(job)} aria-label={t("import.progress")} />
                <span>{percent(job)}%</span>
                <span class="muted small">{t("import.messages", { n: job.messages })}</span>
              </div>
              <p class="small">
                {t("import.counts.text", {
                  created: job.created,
                  joined: job.joined,
                  duplicates: job.duplicates,
                  quarantined: job.quarantined,
                  skipped: job.skipped,
                })}
              </p>
              {job.active
                ? (
                  <form method="post" action={`/admin/import/${job.id}/stop`} class="inline">
                    <button type="submit">{t("import.stop")}</button>
                  </form>
                )
                : job.shown !== "done" && job.shown !== "running" && (
                  <form method="post" action={`/admin/import/${job.id}/resume`} class="inline">
                    <button type="submit">{t("import.resume")}</button>
                  </form>
                )}
              {job.quarantine.length > 0 && (
                <details>
                  <summary>{t("import.quarantined", { n: job.quarantine.length })}</summary>
                  <ul class="small import-errors">
                    {job.quarantine.map((q) => (
                      <li key={q.quarantineId}>
                        <code>{q.where}</code> {q.reason}{" "}
                        {q.resolved
                          ? <span class="muted">{t("import.quarantineResolved")}</span>
                          : (
                            <>
                              <a href={`/admin/quarantine/${q.quarantineId}/raw`}>
                                {t("quarantine.download")}
                              </a>{" "}
                              <form
                                method="post"
                                action={`/admin/quarantine/${q.quarantineId}/reprocess`}
                                class="inline"
                              >
                                <button type="submit" class="secondary">
                                  {t("quarantine.reprocess")}
                                </button>
                              </form>
                            </>
                          )}
                      </li>
                    ))}
                  </ul>
                </details>
              )}
              {job.errors.length > 0 && (
                <details>
                  <summary class="error">{t("import.errors", { n: job.errors.length })}</summary>
                  <ul class="small import-errors">
                    {job.errors.slice().reverse().map((e, i) => (
                      <li key={i}>
                        <code>{e.where}</code> {e.message}
                      </li>
                    ))}
                  </ul>
                </details>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
