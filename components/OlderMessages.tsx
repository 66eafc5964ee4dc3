import type { Message } from "../db/messages.ts";
import type { Translate } from "../domain/i18n/mod.ts";
import { formatDateTime } from "./render.tsx";

export interface OlderMessagesProps {
  messages: Message[];
  ticketNumber: number;
  t: Translate;
  locale: string;
  timeZone: string;
}

/**
 * A folded list longer than this shows the first message (the original inquiry) and the latest
 * ones, with how many are left out between: an alert mailed 3 000 times folds into a list one can
 * read, not 3 000 lines (the whole thread is one link away).
 */
export const FOLDED_MAX = 100;

/**
 * The start of a long conversation, folded: one line per message (who, when, its first line)
 * inside a plain `<details>`, each linking to the whole thread at that message. The bodies are
 * not rendered, so a 50-message ticket costs the last few messages' bodies, not every one.
 */
export function OlderMessages({ messages, ticketNumber, t, locale, timeZone }: OlderMessagesProps) {
  const all = (m: Message) => `/tickets/${ticketNumber}?thread=all#m${m.id}`;
  const line = (m: Message, value?: number) => (
    <li key={m.id} class={m.direction} value={value}>
      <a href={all(m)}>{m.fromName || m.fromAddress}</a>{" "}
      <span class="muted">{formatDateTime(m.createdAt, timeZone, locale)}</span>{" "}
      <span>{firstLine(m.text)}</span>
    </li>
  );
  const latest = messages.length - (FOLDED_MAX - 1);
  return (
    <div class="older-messages">
      <details>
        <summary>{t("ticket.olderMessages", { n: messages.length })}</summary>
        <ol>
          {messages.length <= FOLDED_MAX ? messages.map((m) => line(m)) : (
            <>
              {line(messages[0])}
              <li class="gap">
                <a href={all(messages[1])}>{t("ticket.olderGap", { n: latest - 1 })}</a>
              </li>
              {messages.slice(latest).map((m, i) => line(m, latest + i + 1))}
            </>
          )}
        </ol>
      </details>
      <a href={all(messages[0])}>{t("ticket.showAll")}</a>
    </div>
  );
}

function firstLine(text: string): string {
  const line = text.split("\n").find((l) => l.trim() !== "" && !l.startsWith(">")) ?? "";
  return line.length > 80 ? `${line.slice(0, 80)}…` : line;
}
