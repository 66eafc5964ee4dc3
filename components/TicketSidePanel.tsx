/**
 * The team's parts of the ticket page: assignee (with 自分に割り当て), tags, transfer with a memo,
 * an internal note, and the history. Plain forms: everything works without JavaScript. The ticket
 * page places each part in its side panel (components/TicketAside.tsx).
 */
import { MAX_FILE_BYTES, MAX_FILES } from "../domain/inquiry_form.ts";
import type { VNode } from "preact";
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

export interface TeamParts {
  assignee: VNode;
  tags: VNode | null;
  transfer: VNode;
  note: VNode;
  history: VNode;
}

/** Each team form as its own node, for the side panel to place. */
export function teamParts(p: TicketSidePanelProps): TeamParts {
  const { t, ticket } = p;
  const base = `/tickets/${ticket.number}`;
  return {
    assignee: (
      <form method="post" action={`${base}/assign`} class="prop" id="assign">
        <label for="prop-assignee">{t("team.assignee")}</label>
        <select name="assignee_id" id="prop-assignee">
          <option value="" selected={ticket.assigneeId === null}>{t("team.unassigned")}</option>
          {p.agents.map((a) => (
            <option key={a.id} value={a.id} selected={ticket.assigneeId === a.id}>
              {a.name}
            </option>
          ))}
        </select>
        <button type="submit">{t("workspace.set")}</button>
        {ticket.assigneeId !== p.me && (
          <button
            type="submit"
            name="assignee_id"
            value="me"
            class="link to-me"
            data-shortcut="a"
            title="a"
          >
            {t("team.assignToMe")}
          </button>
        )}
      </form>
    ),
    tags: p.tags.length === 0
      ? null
      : (
        <form method="post" action={`${base}/tags`} class="tags-form">
          <fieldset>
            <legend>{t("workspace.tags")}</legend>
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
          </fieldset>
          <button type="submit">{t("team.tags.save")}</button>
        </form>
      ),
    transfer: (
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
    ),
    note: (
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
    ),
    history: <Timeline t={t} locale={p.locale} timeZone={p.timeZone} events={p.events} />,
  };
}
