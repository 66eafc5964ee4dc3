/**
 * Signatures in the composer: the agent's own and the department's, put under the reply before
 * sending so the agent sees and may edit them. The API and anything else that does not show the
 * text first gets them appended at send time instead.
 */

/** The agent's signature, then the department's; "" when neither has one. */
export function signatureBlock(agent: string | null, department: string | null): string {
  return [agent, department].map((s) => s?.replace(/\r\n?/g, "\n").trim() ?? "")
    .filter((s) => s !== "").join("\n\n");
}

/** What the composer starts with: room to write, then the signature. */
export function composerStart(block: string): string {
  return block ? `\n\n${block}` : "";
}

/** The reply with the signature under it. */
export function withSignature(text: string, block: string): string {
  return block ? `${text}\n\n${block}` : text;
}

/** Whether the agent wrote nothing but the signature the composer started with. */
export function onlySignature(text: string, block: string): boolean {
  const fold = (s: string) => s.replace(/\s+/g, " ").trim();
  return fold(text) === "" || fold(text) === fold(block);
}

/** The text without the signature at its end (a note needs none). */
export function withoutSignature(text: string, block: string): string {
  const trimmed = text.replace(/\s+$/, "");
  if (!block || !trimmed.endsWith(block)) return text;
  return trimmed.slice(0, trimmed.length - block.length).replace(/\s+$/, "");
}
