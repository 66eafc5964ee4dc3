/**
 * The team's part of the ticket page: assignee (with 自分に割り当て), tags, transfer with a memo,
 * an internal note, and the history. Plain forms: everything works without JavaScript.
 */
import { MAX_FILE_BYTES, MAX_FILES } from "../domain/inquiry_form.ts";
import type { Translate } from "../domain/i18n/mod.ts";
import type { Tag } from "../db/tags.ts";
import { Timeline, type TimelineEvent } from "./Timeline.tsx";

export interface TicketSidePanelProps {
  t: Translate;
  locale: string;
  timeZone: string;
  ticket: { number: number; assigneeId: number | null; departmentId: number };
  me: number;
  agents: { id: number; name: string }[];
  departments: { id: number; name: string }[];
  tags: Tag[];
  ticketTags: Tag[];
  events: TimelineEvent[];
}

export function TicketSidePanel(p: TicketSidePanelProps) {
  const { t, ticket } = p;
  const base = `/tickets/${ticket.number}`;
  return (
    <div class="team-panel">
      <form method="post" action={`${base}/assign`} class="inline" id="assign">
        <label class="inline">
          {t("team.assignee")}{" "}
          <select name="assignee_id">
            <option value="" selected={ticket.assigneeId === null}>{t("team.unassigned")}</option>
            {p.agents.map((a) => (
              <option key={a.id} value={a.id} selected={ticket.assigneeId === a.id}>
                {a.name}
              </option>
            ))}
          </select>
        </label>
        <button type="submit">{t("team.assign")}</button>
        {ticket.assigneeId !== p.me && (
          <button type="submit" name="assignee_id" value="me" class="secondary">
            {t("team.assignToMe")}
          </button>
        )}
      </form>
      {p.tags.length > 0 && (
        <form method="post" action={`${base}/tags`} class="inline tags-form">
          {p.tags.map((g) => (
            <label key={g.id} class="inline tag" style={`--tag:${g.color}`}>
              <input
                type="checkbox"
                name="tags"
                value={g.name}
                checked={p.ticketTags.some((x) => x.id === g.id)}
              />{" "}
              {g.name}
            </label>
          ))}
          <button type="submit">{t("team.tags.save")}</button>
        </form>
      )}
      <details class="team-forms">
        <summary>{t("team.transfer.title")}</summary>
        <form method="post" action={`${base}/transfer`} id="transfer">
          <label>
            {t("team.transfer.agent")}
            <select name="assignee_id">
              <option value="">—</option>
              {p.agents.filter((a) => a.id !== p.me).map((a) => (
                <option key={a.id} value={a.id}>{a.name}</option>
              ))}
            </select>
          </label>
          <label>
            {t("team.transfer.department")}
            <select name="department_id">
              <option value="">—</option>
              {p.departments.map((d) => <option key={d.id} value={d.id}>{d.name}</option>)}
            </select>
          </label>
          <label>
            {t("team.transfer.memo")}
            <textarea name="memo" required rows={3} />
          </label>
          <button type="submit">{t("team.transfer.submit")}</button>
        </form>
      </details>
      <form
        method="post"
        action={`${base}/notes`}
        class="note-form"
        id="note"
        enctype="multipart/form-data"
      >
        <label>
          {t("team.note.title")}
          <textarea name="note" required rows={3} placeholder={t("team.note.placeholder")} />
        </label>
        <label class="note-files">
          {t("noteFiles.label")}
          <input type="file" name="files" multiple />
          <span class="muted small">
            {t("noteFiles.hint", { max: MAX_FILES, mb: MAX_FILE_BYTES / 1024 / 1024 })}
          </span>
        </label>
        <button type="submit">{t("team.note.submit")}</button>
      </form>
      <Timeline t={t} locale={p.locale} timeZone={p.timeZone} events={p.events} />
    </div>
  );
}
