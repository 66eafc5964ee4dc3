/**
 * A Worker that parses big mail (mail/parse_pool.ts) with mail/parse.ts, off the thread that
 * answers SMTP and HTTP. The raw bytes come in transferred; the parsed message goes back with its
 * attachments' bytes transferred, so nothing large is copied twice.
 */
import { parseMessage } from "./parse.ts";
import type { ParseAnswer, ParseJob } from "./parse_pool.ts";

self.onmessage = async (e: MessageEvent<ParseJob>) => {
  const { id, raw } = e.data;
  let answer: ParseAnswer;
  let transfer: ArrayBuffer[] = [];
  try {
    const message = await parseMessage(raw);
    answer = { id, ok: true, message };
    transfer = [...new Set(message.attachments.map((a) => a.content.buffer as ArrayBuffer))];
  } catch (err) {
    answer = { id, ok: false, message: err instanceof Error ? err.message : String(err) };
  }
  self.postMessage(answer, { transfer });
};
