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
 * The start of a long conversation, folded: one line per message (who, when, its first line)
 * inside a plain `<details>`, each linking to the whole thread at that message. The bodies are
 * not rendered, so a 50-message ticket costs the last few messages' bodies, not every one.
 */
export function OlderMessages({ messages, ticketNumber, t, locale, timeZone }: OlderMessagesProps) {
  const all = (m: Message) => `/tickets/${ticketNumber}?thread=all#m${m.id}`;
  return (
    <div class="older-messages">
      <details>
        <summary>{t("ticket.olderMessages", { n: messages.length })}</summary>
        <ol>
          {messages.map((m) => (
            <li key={m.id} class={m.direction}>
              <a href={all(m)}>{m.fromName || m.fromAddress}</a>{" "}
              <span class="muted">{formatDateTime(m.createdAt, timeZone, locale)}</span>{" "}
              <span>{firstLine(m.text)}</span>
            </li>
          ))}
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
