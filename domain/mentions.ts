/** `@name` mentions in an internal note: which agents they name (the longest name wins). */

/** The ids of the agents whose `@name` (or `@` + the local part of their e-mail) the text holds. */
export function mentionedAgents(
  text: string,
  agents: readonly { id: number; name: string; email: string }[],
): number[] {
  const found = new Set<number>();
  const handles = agents.flatMap((a) => [
    { id: a.id, handle: a.name.toLowerCase() },
    { id: a.id, handle: a.email.split("@")[0].toLowerCase() },
  ]).filter((h) => h.handle.length > 0).sort((a, b) => b.handle.length - a.handle.length);
  const lower = text.toLowerCase();
  for (let i = lower.indexOf("@"); i >= 0; i = lower.indexOf("@", i + 1)) {
    // An address (taro@example.com) is not a mention: the @ must start a word.
    if (i > 0 && /[\p{L}\p{N}._+-]/u.test(lower[i - 1])) continue;
    const rest = lower.slice(i + 1);
    const hit = handles.find((h) => {
      if (!rest.startsWith(h.handle)) return false;
      const after = rest[h.handle.length];
      return after === undefined || !/[\p{L}\p{N}_]/u.test(after) || /[^ -~]/.test(h.handle);
    });
    if (hit) found.add(hit.id);
  }
  return [...found];
}
